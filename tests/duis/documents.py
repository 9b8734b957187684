"""Helpers for the DUIS XML tests: request documents, schema checks and reading answers."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from dccsim.server.core.dsp import Dsp
from dccsim.server.core.fleet import (
    LOAD_CONTROLLER,
    NETWORK_OPERATOR,
    OTHER_USER,
    SUPPLIER_A,
    example_fleet,
)
from dccsim.server.core.matrix import SERVICE_MATRIX
from dccsim.server.core.messages import SyncAnswer
from dccsim.server.core.records import DuisVersion
from dccsim.server.core.state import DEFAULT_ACB_ID as ACB_ID
from dccsim.server.duis.build import build_outbox_message, build_sync_answer, read_gbcs_payload
from dccsim.server.duis.names import RA_NS, SR_NS, service_reference
from dccsim.server.duis.parse import ParsedRequest, parse_request
from tests.conftest import RTDS_DIR, SHARED

XSD_DIR = SHARED / "duis-xsd"
XSD_5_1 = XSD_DIR / "DUIS_Schema_V5.1.xsd"
XSD_5_3A = XSD_DIR / "DUIS_Schema_V5.3a.xsd"
REQUESTS_DIR = SHARED / "duis-samples" / "requests"
RESPONSES_DIR = SHARED / "duis-samples" / "responses"
NS = {"sr": SR_NS, "ra": RA_NS}
ALL_VERSIONS = tuple(DuisVersion)

SIGNATURE = """
  <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
    <ds:SignedInfo>
      <ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
      <ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"/>
      <ds:Reference URI="">
        <ds:Transforms>
          <ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>
        </ds:Transforms>
        <ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>
        <ds:DigestValue>ZGVmYXVsdA==</ds:DigestValue>
      </ds:Reference>
    </ds:SignedInfo>
    <ds:SignatureValue>ZGVmYXVsdA==</ds:SignatureValue>
  </ds:Signature>"""


CERTIFICATE = "ZGVmYXVsdA=="
COS_BODY = f"""<sr:UpdateSecurityCredentialsCoS>
      <sr:SupplierFloorSeqNumber>0</sr:SupplierFloorSeqNumber>
      <sr:SupplierReplacementCertificates>
        <sr:DigitalSigningCertificate>{CERTIFICATE}</sr:DigitalSigningCertificate>
      </sr:SupplierReplacementCertificates>
      <sr:CertificationPathCertificates>
        <sr:Certificate>{CERTIFICATE}</sr:Certificate>
      </sr:CertificationPathCertificates>
      <sr:ApplyTimeBasedCPVChecks>true</sr:ApplyTimeBasedCPVChecks>
      <sr:ImportMPxN>1100000000001</sr:ImportMPxN>
    </sr:UpdateSecurityCredentialsCoS>"""


def request_xml(
    srv: str,
    body: str,
    *,
    request_id: str,
    cv: int,
    schema_version: str = "5.4",
    reference: str | None = None,
    signed: bool = True,
    namespace: str = SR_NS,
) -> bytes:
    """A DUIS request document; `body` is the Body's content, with `sr:` prefixes."""
    reference = service_reference(srv) if reference is None else reference
    signature = SIGNATURE if signed else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<sr:Request xmlns:sr="{namespace}" schemaVersion="{schema_version}">
  <sr:Header>
    <sr:RequestID>{request_id}</sr:RequestID>
    <sr:CommandVariant>{cv}</sr:CommandVariant>
    <sr:ServiceReference>{reference}</sr:ServiceReference>
    <sr:ServiceReferenceVariant>{srv}</sr:ServiceReferenceVariant>
  </sr:Header>
  <sr:Body>{body}</sr:Body>{signature}
</sr:Request>
""".encode()


def signed_pre_command_xml(pre_command_answer: bytes, request_id: str, srv: str, cv: int = 5):
    """The CV 5 leg (REQ-05): the PreCommand's payload, read back out of the DUIS answer."""
    payload = texts(pre_command_answer, "//sr:PreCommand/sr:GBCSPayload")
    assert len(payload) == 1, "the answer carries no PreCommand"
    body = (
        f"<sr:SignedPreCommand><sr:GBCSPayload>{payload[0]}</sr:GBCSPayload></sr:SignedPreCommand>"
    )
    return request_xml(srv, body, request_id=request_id, cv=cv)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def tree(document: bytes) -> etree._Element:
    return etree.fromstring(document)


def texts(document: bytes | etree._Element, xpath: str) -> list[str]:
    root = tree(document) if isinstance(document, bytes) else document
    return [str(value) for value in root.xpath(f"{xpath}/text()", namespaces=NS)]


def text(document: bytes | etree._Element, xpath: str) -> str:
    found = texts(document, xpath)
    assert len(found) == 1, f"{xpath}: expected one value, found {found}"
    return found[0]


def count(document: bytes | etree._Element, xpath: str) -> int:
    root = tree(document) if isinstance(document, bytes) else document
    return len(root.xpath(xpath, namespaces=NS))


def mmc(document: bytes) -> etree._Element:
    """The MMC document in a response's GBCSPayload."""
    return read_gbcs_payload(text(document, "//sr:GBCSPayload"))


@dataclass(frozen=True)
class OfficialSchemas:
    """DCC's DUIS schemas, compiled once per session."""

    v5_1: etree.XMLSchema
    v5_3a: etree.XMLSchema

    @classmethod
    def load(cls) -> OfficialSchemas:
        def compile_(path: Path) -> etree.XMLSchema:
            return etree.XMLSchema(etree.parse(str(path), etree.XMLParser(no_network=True)))

        return cls(compile_(XSD_5_1), compile_(XSD_5_3A))

    def for_version(self, version: DuisVersion) -> etree.XMLSchema:
        return self.v5_1 if version is DuisVersion.V5_1 else self.v5_3a

    def assert_valid(self, document: bytes, version: DuisVersion) -> etree._Element:
        """Assert a document (and the MMC document in its GBCSPayload, if any) is valid for a
        user on `version`, and that it says so in its schemaVersion."""
        schema = self.for_version(version)
        root = tree(document)
        name = "5.1" if version is DuisVersion.V5_1 else "5.3a"
        assert schema.validate(root), f"not valid against DUIS {name}: {schema.error_log}"
        assert root.get("schemaVersion") == version.value
        for payload in root.xpath("//sr:GBCSPayload/text()", namespaces=NS):
            try:
                inner = read_gbcs_payload(str(payload))
            except ValueError:
                continue  # an opaque PreCommand / LocalCommand payload, not an MMC document
            assert inner.tag == f"{{{RA_NS}}}GBCSResponse"
            assert schema.validate(inner), f"MMC payload not valid ({name}): {schema.error_log}"
        return root


def served(
    dsp: Dsp, document: bytes, version: DuisVersion = DuisVersion.V5_2
) -> tuple[ParsedRequest, SyncAnswer, bytes]:
    """What the DUIS gateway does with one document: parse, submit, answer in XML."""
    parsed = parse_request(document)
    answer = dsp.submit(parsed.request)
    return parsed, answer, build_sync_answer(answer, version, at=dsp.now())


def outbox_documents(dsp: Dsp, user: str, version: DuisVersion) -> list[bytes]:
    return [
        build_outbox_message(entry.message, version, recipient=user) for entry in dsp.pending(user)
    ]


def rtds_paths() -> list[Path]:
    """The RTDS templates, in name order; none where ../shared is absent."""
    return sorted(RTDS_DIR.glob("*.XML")) + sorted(RTDS_DIR.glob("*.xml"))


def template_document(path: Path) -> bytes:
    """A DCC template as a real User sends it (REQ-08). RTDS templates copy the GBCS originator
    into the RequestID, so some name the ACB, or a user the matrix does not admit to the SRV (9.1
    from a supplier), as sender; those are sent by an eligible user of the example fleet: the first
    of the Other User, the Load Controller, Supplier A and the Network Operator whose roles the
    matrix admits."""
    document = path.read_bytes()
    found = re.search(
        rb"<sr:RequestID>([0-9A-Fa-f-]+):.*?<sr:ServiceReferenceVariant>([0-9.]+)<",
        document,
        re.DOTALL,
    )
    assert found is not None, path.name
    sender, srv = found.group(1).decode(), found.group(2).decode()
    admitted = SERVICE_MATRIX[srv].roles
    users = {user.user_id: user.roles for user in example_fleet().users}
    if sender != ACB_ID and users.get(sender, frozenset()) & admitted:
        return document
    eligible = next(
        user
        for user in (OTHER_USER, LOAD_CONTROLLER, SUPPLIER_A, NETWORK_OPERATOR)
        if users[user] & admitted
    )
    return document.replace(
        b"<sr:RequestID>" + sender.encode() + b":", b"<sr:RequestID>" + eligible.encode() + b":"
    )
