"""SMKI certificate search and retrieval, as DCC Boxed's SMKI web service answers them (BOXED-06;
notes §1.6, from SmartDCCInnovation/dccboxed-keystore `src/certificateSearch.ts` and its tests).
Pure functions, no HTTP: the HTTP server mounts them at `POST /services/certificatesearch` and
`POST /services/retrievecertificate` and sends back the status and the XML.

    <CertificateSearchRequest>
      <CertificateSubjectAltName>88-73-84-57-00-2F-96-6C</CertificateSubjectAltName>  (a device)
      or <CertificateSubjectName>90-B3-D5-1F-30-01-00-00</CertificateSubjectName>   (a User)
      [<CertificateUsage>DS|KA</…>] [<CertificateRole>2</…>] [<CertificateStatus>I</…>]
    </CertificateSearchRequest>
    -> 200 <CertificateSearchResponse> ResponseCode, ResponseMessage, AuditReference, then one
       <Result> per certificate: CertificateSerial (hex), CertificateSubjectAltName | Name,
       CertificateStatus (I), [CertificateRole,] CertificateUsage, ManufacturingFlag.

    <CertificateDataRequest><CertificateSerial>HEX</CertificateSerial></CertificateDataRequest>
    -> 200 <CertificateDataResponse> … <CertificateResponse> the same fields and CertificateBody
       (base64 DER).

402 when nothing matches, 401 for invalid search parameters (DCC Boxed's codes), 400 for a body
that is not XML; each with the same document shape, its ResponseCode the status (Decision: DCC
Boxed's clients read only the status of these). Every certificate is reported In use (`I`):
dccsim never checks validity dates. `devices` is the fleet's device EUIs (DUIS form); a device
certificate is found only for a device in it.
"""

from __future__ import annotations

import base64
import hashlib
import re
import textwrap
from collections.abc import Container

from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from dccsim.server.core.errors import InvalidField
from dccsim.server.duis.safe import load_document
from dccsim.server.keys.keystore import KeyStore
from dccsim.server.keys.model import CertificateRole, Credential, KeyUsage, canonical_eui

OK = 200
BAD_REQUEST = 400
INVALID_PARAMETERS = 401
NO_RESULT = 402

IN_USE = "I"
STATUSES = frozenset({"P", "I", "N", "E", "R"})
_SERIAL = re.compile(r"[0-9A-Fa-f]{1,40}")
_MESSAGES = {
    OK: "Success",
    BAD_REQUEST: "Bad request",
    INVALID_PARAMETERS: "Invalid search parameters",
    NO_RESULT: "No result",
}


class _Invalid(ValueError):
    """Invalid search parameters (401)."""


def certificate_search(xml: bytes, store: KeyStore, devices: Container[str]) -> tuple[int, bytes]:
    """POST /services/certificatesearch."""
    root_name = "CertificateSearchResponse"
    try:
        fields = _request(xml, "CertificateSearchRequest", _SEARCH_FIELDS)
        found = _search(fields, store, devices)
    except InvalidField as error:
        return _failure(root_name, BAD_REQUEST, xml, str(error))
    except _Invalid as error:
        return _failure(root_name, INVALID_PARAMETERS, xml, str(error))
    if not found:
        return _failure(root_name, NO_RESULT, xml, "no certificate matches")
    root = _response(root_name, OK, xml, _MESSAGES[OK])
    for credential in found:
        _describe(etree.SubElement(root, "Result"), credential, body=False)
    return OK, _serialise(root)


def retrieve_certificate(xml: bytes, store: KeyStore, devices: Container[str]) -> tuple[int, bytes]:
    """POST /services/retrievecertificate."""
    root_name = "CertificateDataResponse"
    try:
        fields = _request(xml, "CertificateDataRequest", frozenset({"CertificateSerial"}))
        text = fields.get("CertificateSerial", "")
        if _SERIAL.fullmatch(text) is None:
            raise _Invalid(f"CertificateSerial {text!r} is not a serial number in hex")
    except InvalidField as error:
        return _failure(root_name, BAD_REQUEST, xml, str(error))
    except _Invalid as error:
        return _failure(root_name, INVALID_PARAMETERS, xml, str(error))
    credential = store.by_serial(int(text, 16))
    if credential is None or (credential.is_device and credential.eui not in devices):
        return _failure(root_name, NO_RESULT, xml, f"no certificate has serial {text.upper()}")
    root = _response(root_name, OK, xml, _MESSAGES[OK])
    _describe(etree.SubElement(root, "CertificateResponse"), credential, body=True)
    return OK, _serialise(root)


# -- requests -----------------------------------------------------------------------------------

_SEARCH_FIELDS = frozenset(
    {
        "CertificateSubjectAltName",
        "CertificateSubjectName",
        "CertificateUsage",
        "CertificateRole",
        "CertificateStatus",
    }
)


def _request(xml: bytes, root_name: str, allowed: frozenset[str]) -> dict[str, str]:
    """The request's fields (child elements' text); InvalidField when it is not XML, _Invalid
    when it is not this request or names a field this request does not have."""
    root = load_document(xml).getroot()
    if etree.QName(root).localname != root_name:
        raise _Invalid(f"expected a {root_name}, not {etree.QName(root).localname}")
    fields: dict[str, str] = {}
    for child in root:
        if not isinstance(child.tag, str):
            continue  # comments, processing instructions
        name = etree.QName(child).localname
        if name not in allowed:
            raise _Invalid(f"{name} is not a {root_name} parameter")
        if name in fields or len(child):
            raise _Invalid(f"{name} must appear once, as text")
        fields[name] = (child.text or "").strip()
    return fields


def _search(fields: dict[str, str], store: KeyStore, devices: Container[str]) -> list[Credential]:
    alt_name = fields.get("CertificateSubjectAltName")
    subject_name = fields.get("CertificateSubjectName")
    if (alt_name is None) == (subject_name is None):
        raise _Invalid("give one of CertificateSubjectAltName (a device) or CertificateSubjectName")
    try:
        eui = canonical_eui(alt_name if alt_name is not None else subject_name or "")
    except ValueError as error:
        raise _Invalid(str(error)) from None
    usage = role = None
    try:
        if "CertificateUsage" in fields:
            usage = KeyUsage.from_smki(fields["CertificateUsage"])
        if "CertificateRole" in fields:
            role = CertificateRole(int(fields["CertificateRole"]))
    except ValueError as error:
        raise _Invalid(str(error)) from None
    status = fields.get("CertificateStatus")
    if status is not None and status not in STATUSES:
        raise _Invalid(f"CertificateStatus {status!r} is not one of P, I, N, E, R")
    if status not in (None, IN_USE):
        return []
    if alt_name is not None:
        if role is not None:
            raise _Invalid("device certificates have no CertificateRole")
        if eui not in devices:
            return []
        usages = [usage] if usage is not None else list(KeyUsage)
        found = [store.device(eui, u) for u in usages]
        return [c for c in found if c is not None]
    return list(store.search(eui, usage=usage, role=role))


# -- responses ----------------------------------------------------------------------------------


def _response(root_name: str, status: int, request: bytes, message: str) -> etree._Element:
    root = etree.Element(root_name)
    etree.SubElement(root, "ResponseCode").text = str(status)
    etree.SubElement(root, "ResponseMessage").text = message
    # The same request gets the same reference: these functions are pure.
    etree.SubElement(root, "AuditReference").text = hashlib.sha256(request).hexdigest()[:20]
    return root


def _failure(root_name: str, status: int, request: bytes, reason: str) -> tuple[int, bytes]:
    return status, _serialise(
        _response(root_name, status, request, f"{_MESSAGES[status]}: {reason}")
    )


def _describe(element: etree._Element, credential: Credential, *, body: bool) -> None:
    name = "CertificateSubjectAltName" if credential.is_device else "CertificateSubjectName"
    serial = f"{credential.serial:X}".zfill(32)
    if body:  # retrieve: the name first, as DCC Boxed's response has it
        etree.SubElement(element, name).text = credential.eui
        etree.SubElement(element, "CertificateSerial").text = serial
    else:
        etree.SubElement(element, "CertificateSerial").text = serial
        etree.SubElement(element, name).text = credential.eui
    etree.SubElement(element, "CertificateStatus").text = IN_USE
    if body:
        der = credential.certificate.public_bytes(Encoding.DER)
        # 64-character lines, as PEM has them: DCC Boxed's clients wrap the body in PEM armour.
        etree.SubElement(element, "CertificateBody").text = "\n".join(
            textwrap.wrap(base64.b64encode(der).decode("ascii"), 64)
        )
    if credential.role is not None:
        etree.SubElement(element, "CertificateRole").text = str(credential.role.value)
    etree.SubElement(element, "CertificateUsage").text = credential.usage.smki
    etree.SubElement(element, "ManufacturingFlag").text = "false"


_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _serialise(root: etree._Element) -> bytes:
    # The declaration as DCC Boxed writes it (lxml's own uses single quotes).
    return _DECLARATION + etree.tostring(root, xml_declaration=False, encoding="UTF-8")
