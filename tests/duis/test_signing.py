"""DUIS XML signatures (BOXED-03, BOXED-04), checked against DCC's own signing tool.

Requests are signed by DCC's tool (`Sign --preserveCounter`, the key chosen by the RequestID's
originator from the DCC Boxed keystore inside the jar) and verified by dccsim; documents dccsim
signs with the DSP's DspXmlSign key are checked by the tool's `Validate`. All the tool's work
runs in one JVM per session (`DccToolBatch.java`); the tests that need it skip, saying why, where
`java` or the tool is missing.
"""

from __future__ import annotations

import base64
import copy
import shutil
import subprocess
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from dccsim.server.core.codes import REFUSED_SIGNATURE, DccAlertCode, ResponseCode
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.messages import DccAlertMessage, DeviceStatusChange, SyncAnswer
from dccsim.server.core.records import DuisVersion
from dccsim.server.core.requests import RequestId
from dccsim.server.duis import signature_profile, signing
from dccsim.server.duis.build import build_outbox_message, build_sync_answer
from dccsim.server.duis.names import DS_NS, SR_NS
from dccsim.server.duis.safe import load_document
from dccsim.server.duis.signing import (
    SignatureSettings,
    java_rfc2253,
    should_sign,
    sign_document,
    sign_response,
    verify_request,
)
from dccsim.server.duis.xmldsig import RefusalKind, SignatureRefused
from dccsim.server.keys import KeyStore, load_dccboxed_keystore
from tests.conftest import ESME, RTDS_DIR, SHARED, make_sim
from tests.duis.documents import (
    outbox_documents,
    request_xml,
    served,
    template_document,
)

JAR = SHARED / "tools" / "duis-signing-tool" / "tool.jar"
BATCH = Path(__file__).with_name("DccToolBatch.java")
KEYSTORE_JSON = SHARED / "keystore" / "dccboxed-keystore.json"
NS = {"sr": SR_NS, "ds": DS_NS}
V5_1, V5_2, V5_4 = DuisVersion.V5_1, DuisVersion.V5_2, DuisVersion.V5_4
T0 = datetime(2026, 12, 1, tzinfo=UTC)

SUPPLIER = "90-B3-D5-1F-30-01-00-00"
NETWORK_OPERATOR = "90-B3-D5-1F-30-02-00-00"
OTHER_USER = "00-DB-12-34-56-78-00-04"
SUPPLIER_2 = "90-B3-D5-1F-30-03-00-00"  # has no XmlSign certificate: signs with Z1-supplier2-ds
# Keystore serials (decimal, as X509SerialNumber writes them).
XML_SIGN = {
    SUPPLIER: 27572613927499351639968579586655397031,
    NETWORK_OPERATOR: 40938316298935008147424226388667426413,
    OTHER_USER: 37250744094852421200045328576547436839,
}
SUPPLIER_KA = 78705613441713544701898588866012598037  # Z1-supplier-ka
SUPPLIER_2_DS = 76986165265641917001207597343644863443  # Z1-supplier2-ds, expired 2025-12-22
DSP_XML_SIGN = 167048897159233642262001557408276884033  # dsp-xml-sign-90B3D51F30000002-ds (1.4.1)
# One RTDS template per sender (template_document keeps or swaps the sender as REQ-08 does).
TEMPLATES = {
    SUPPLIER: "8.2_READ_INVENTORY_REQUEST_DUIS.XML",
    NETWORK_OPERATOR: "ECS17a_4.2_SUCCESS_REQUEST_DUIS.XML",
    OTHER_USER: "CS08_11.2_SUCCESS_REQUEST_DUIS.XML",
}
SENDER_IDS = {SUPPLIER: "supplier", NETWORK_OPERATOR: "network-operator", OTHER_USER: "other-user"}


# -- the keystore --------------------------------------------------------------------------------


def dccboxed_keystore() -> KeyStore:
    """The DCC Boxed keystore, as server/keys loads it."""
    return load_dccboxed_keystore(KEYSTORE_JSON)


@pytest.fixture(scope="session")
def keystore():
    if not KEYSTORE_JSON.is_file():
        pytest.skip(f"the DCC Boxed keystore is not at {KEYSTORE_JSON}")
    return dccboxed_keystore()


def credential(keystore, serial: int):
    found = keystore.by_serial(serial)
    assert found is not None, f"serial {serial} is not in the DCC Boxed keystore"
    return found


# -- DCC's tool, one JVM per session -------------------------------------------------------------


@dataclass(frozen=True)
class ToolRun:
    code: int  # the tool's exit code
    output: bytes  # what it printed: the signed document, or the validated one unsigned
    log: str  # its standard error ("[I] passed signature check", ...)


def run_dcc_tool(jobs: list[tuple[str, bytes]], workdir: Path) -> list[ToolRun]:
    """Run `(operation, document)` jobs (`sign` / `validate`) through DCC's tool in one JVM."""
    java = shutil.which("java")
    if java is None:
        pytest.skip("java is not installed: DCC's signing tool cannot run")
    if not JAR.is_file():
        pytest.skip(f"DCC's signing tool is not at {JAR}")
    arguments: list[str] = []
    for index, (operation, document) in enumerate(jobs):
        source, target = workdir / f"in-{index}.xml", workdir / f"out-{index}.xml"
        source.write_bytes(document)
        arguments += [operation, str(source), str(target)]
    done = subprocess.run(
        [java, "-cp", str(JAR), str(BATCH), *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"the batch runner failed: {done.stderr}"
    codes = [int(line) for line in done.stdout.split()]
    assert len(codes) == len(jobs), done.stdout + done.stderr
    return [
        ToolRun(
            code,
            (workdir / f"out-{i}.xml").read_bytes(),
            (workdir / f"out-{i}.xml.err").read_text(),
        )
        for i, code in enumerate(codes)
    ]


def _dsp_documents(version: DuisVersion) -> dict[str, bytes]:
    """Documents dccsim answers a User on `version` with, unsigned."""
    sim = make_sim()
    inventory = request_xml(
        "8.2",
        "<sr:ReadInventory><sr:UPRN>100000000001</sr:UPRN></sr:ReadInventory>",
        request_id=f"{SUPPLIER}:{sim.acb}:1",
        cv=8,
    )
    _, _, i0 = served(sim.dsp, inventory, version)
    wan_matrix = request_xml(
        "12.1",
        "<sr:RequestWANMatrix><sr:UPRN>100000000001</sr:UPRN></sr:RequestWANMatrix>",
        request_id=f"{SUPPLIER}:{sim.acb}:4",
        cv=8,
    )
    _, _, matrix = served(sim.dsp, wan_matrix, version)
    read = request_xml("11.2", "<sr:ReadFirmwareVersion/>", request_id=f"{SUPPLIER}:{ESME}:2", cv=1)
    _, _, i99 = served(sim.dsp, read, version)
    [device_response] = outbox_documents(sim.dsp, SUPPLIER, version)
    alert = DccAlertMessage(DccAlertCode.DEVICE_SUSPENDED, ESME, T0, DeviceStatusChange(False))
    error = SyncAnswer(RequestId(SUPPLIER, ESME, 3), "11.2", ResponseCode.E5)
    return {
        "I0 8.2 inventory": i0,
        "I0 12.1 WAN matrix": matrix,  # shaped differently from 5.3a on (build.py)
        "I99 acknowledgement": i99,
        "device response 11.2": device_response,
        "DCC alert N28": build_outbox_message(alert, version, recipient=SUPPLIER),
        "E5 acknowledgement": build_sync_answer(error, version, at=T0),
    }


@dataclass(frozen=True)
class ToolResults:
    signed_requests: dict[str, bytes]  # by sender: the RTDS template signed by DCC's tool
    sign_runs: dict[str, ToolRun]
    validated: dict[str, ToolRun]  # by label: dccsim's documents through DCC's Validate


@pytest.fixture(scope="session")
def dcc_tool(keystore, tmp_path_factory: pytest.TempPathFactory) -> ToolResults:
    dsp = credential(keystore, DSP_XML_SIGN)
    ours: dict[str, bytes] = {}
    for version in (V5_1, V5_2, V5_4):
        for label, document in _dsp_documents(version).items():
            ours[f"{label} v{version.value}"] = sign_response(document, dsp)
    # A negative control: the tool must refuse one of our documents changed after signing.
    ours["tampered"] = ours["I0 8.2 inventory v5.1"].replace(b">Commissioned<", b">Withdrawn<", 1)
    assert ours["tampered"] != ours["I0 8.2 inventory v5.1"]
    jobs = [("sign", template_document(RTDS_DIR / TEMPLATES[s])) for s in TEMPLATES]
    jobs += [("validate", document) for document in ours.values()]
    runs = run_dcc_tool(jobs, tmp_path_factory.mktemp("dcc-tool"))
    signs, validations = runs[: len(TEMPLATES)], runs[len(TEMPLATES) :]
    return ToolResults(
        signed_requests={s: run.output for s, run in zip(TEMPLATES, signs, strict=True)},
        sign_runs=dict(zip(TEMPLATES, signs, strict=True)),
        validated=dict(zip(ours, validations, strict=True)),
    )


# -- helpers -------------------------------------------------------------------------------------


def refusal(document: bytes, keystore) -> SignatureRefused:
    with pytest.raises(SignatureRefused) as caught:
        verify_request(document, keystore)
    return caught.value


def _signature_value(document: bytes) -> str:
    return etree.fromstring(document).findtext("ds:Signature/ds:SignatureValue", namespaces=NS)


def _replace_text(document: bytes, xpath: str, value: str) -> bytes:
    root = etree.fromstring(document)
    [element] = root.xpath(xpath, namespaces=NS)
    element.text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _signature(document: bytes) -> etree._Element:
    return etree.fromstring(document).find("ds:Signature", NS)


# -- BOXED-03: requests signed by DCC's tool -----------------------------------------------------


@pytest.mark.spec("BOXED-03")
@pytest.mark.parametrize("sender", list(TEMPLATES), ids=SENDER_IDS.get)
def test_requests_signed_by_dccs_tool_verify(dcc_tool: ToolResults, keystore, sender: str) -> None:
    run = dcc_tool.sign_runs[sender]
    assert run.code == 0, run.log
    document = dcc_tool.signed_requests[sender]
    assert f"certificate serial number: {XML_SIGN[sender]}" in run.log
    before = etree.tostring(etree.fromstring(document), method="c14n")
    root = etree.fromstring(document)
    verified = verify_request(root, keystore)
    assert verified.serial == XML_SIGN[sender]
    assert verified.credential.certificate.serial_number == XML_SIGN[sender]
    assert verified.originator == sender
    assert verified.issuer.startswith("CN=")
    assert etree.tostring(root, method="c14n") == before  # verifying changes nothing
    assert verify_request(document, keystore).serial == XML_SIGN[sender]  # bytes in, too


@pytest.mark.spec("BOXED-03", "BOXED-04")
def test_dccsim_signs_exactly_as_dccs_tool(dcc_tool: ToolResults, keystore) -> None:
    """The same document signed by the tool and by dccsim with the same key: the same
    SignedInfo (algorithms, transforms, digest) and KeyInfo; both signatures verify. (The tool
    drops whitespace between elements before it signs, so dccsim re-signs the tool's output.)"""
    theirs = dcc_tool.signed_requests[SUPPLIER]
    ours = sign_document(theirs, credential(keystore, XML_SIGN[SUPPLIER]))
    assert _signature_value(ours) != _signature_value(theirs)
    c14n = "http://www.w3.org/2001/10/xml-exc-c14n#"

    def part(document: bytes, name: str) -> bytes:
        element = _signature(document).find(f"ds:{name}", NS)
        return etree.tostring(element, method="c14n", exclusive=True)

    assert c14n in part(theirs, "SignedInfo").decode()
    assert part(ours, "SignedInfo") == part(theirs, "SignedInfo")
    assert part(ours, "KeyInfo") == part(theirs, "KeyInfo")
    assert [etree.QName(e).localname for e in _signature(ours)] == [
        "SignedInfo",
        "SignatureValue",
        "KeyInfo",
    ]
    assert etree.fromstring(ours)[-1].tag == f"{{{DS_NS}}}Signature"  # the root's last child
    assert "\r\n" in _signature_value(ours)  # wrapped at 76 with CR LF, as Java writes it
    assert verify_request(ours, keystore).serial == XML_SIGN[SUPPLIER]


@pytest.mark.spec("BOXED-03")
def test_a_tampered_body_is_refused(dcc_tool: ToolResults, keystore) -> None:
    document = dcc_tool.signed_requests[SUPPLIER]
    tampered = document.replace(b"00-DB-12-34-56-78-90-A2", b"00-DB-12-34-56-78-90-A3", 1)
    assert tampered != document
    assert refusal(tampered, keystore).kind is RefusalKind.DIGEST_MISMATCH


@pytest.mark.spec("BOXED-03")
def test_a_flipped_signature_byte_is_refused(dcc_tool: ToolResults, keystore) -> None:
    document = dcc_tool.signed_requests[NETWORK_OPERATOR]
    value = bytearray(base64.b64decode(_signature_value(document)))
    value[10] ^= 0x01
    flipped = _replace_text(
        document, "ds:Signature/ds:SignatureValue", base64.b64encode(value).decode()
    )
    assert refusal(flipped, keystore).kind is RefusalKind.SIGNATURE_MISMATCH
    # A changed SignedInfo (a forged digest) breaks the signature the same way.
    forged = _replace_text(
        document, "ds:Signature/ds:SignedInfo/ds:Reference/ds:DigestValue", "A" * 43 + "="
    )
    assert refusal(forged, keystore).kind is RefusalKind.SIGNATURE_MISMATCH


@pytest.mark.spec("BOXED-03")
def test_another_users_signature_is_refused(dcc_tool: ToolResults, keystore) -> None:
    # Signed by DCC's tool as the supplier, then sent as the network operator's.
    document = dcc_tool.signed_requests[SUPPLIER]
    resent = document.replace(
        f"<sr:RequestID>{SUPPLIER}:".encode(), f"<sr:RequestID>{NETWORK_OPERATOR}:".encode()
    )
    assert resent != document
    caught = refusal(resent, keystore)
    assert caught.kind is RefusalKind.FOREIGN_CERTIFICATE
    assert NETWORK_OPERATOR in caught.reason
    # A signature that is cryptographically sound, by the supplier, over the operator's request.
    request = template_document(RTDS_DIR / TEMPLATES[NETWORK_OPERATOR])
    by_supplier = sign_document(request, credential(keystore, XML_SIGN[SUPPLIER]))
    assert refusal(by_supplier, keystore).kind is RefusalKind.FOREIGN_CERTIFICATE
    by_operator = sign_document(request, credential(keystore, XML_SIGN[NETWORK_OPERATOR]))
    assert verify_request(by_operator, keystore).originator == NETWORK_OPERATOR


@pytest.mark.spec("BOXED-03")
def test_a_users_ds_certificate_signs_and_a_ka_certificate_does_not(keystore) -> None:
    """DCC's tool signs with a User's organisation DS key when it has no XmlSign one (supplier 2);
    expired ZAZ1 certificates are accepted. A key-agreement certificate is not for signing."""
    request = request_xml(
        "11.2", "<sr:ReadFirmwareVersion/>", request_id=f"{SUPPLIER_2}:{ESME}:1", cv=1, signed=False
    )
    ds = credential(keystore, SUPPLIER_2_DS)
    assert ds.certificate.not_valid_after_utc < datetime.now(UTC)  # expired
    assert verify_request(sign_document(request, ds), keystore).serial == SUPPLIER_2_DS
    supplier_request = request.replace(SUPPLIER_2.encode(), SUPPLIER.encode())
    by_ka = sign_document(supplier_request, credential(keystore, SUPPLIER_KA))
    caught = refusal(by_ka, keystore)
    assert caught.kind is RefusalKind.FOREIGN_CERTIFICATE
    assert "digitalSignature" in caught.reason


@pytest.mark.spec("BOXED-03")
def test_an_unsigned_request_is_refused(keystore) -> None:
    unsigned = template_document(RTDS_DIR / TEMPLATES[SUPPLIER])
    root = etree.fromstring(unsigned)
    root.remove(root.find("ds:Signature", NS))
    caught = refusal(etree.tostring(root), keystore)
    assert caught.kind is RefusalKind.MISSING


@pytest.mark.spec("BOXED-03")
def test_a_template_placeholder_signature_is_refused(keystore) -> None:
    """The RTDS templates carry placeholder signatures (DigestValue and SignatureValue
    `ZGVmYXVsdA==`, serial 1234567890)."""
    template = template_document(RTDS_DIR / TEMPLATES[SUPPLIER])
    assert refusal(template, keystore).kind is RefusalKind.MALFORMED  # 'ZGVmYXVsdA==' is 7 bytes


@pytest.mark.spec("BOXED-03")
def test_an_unknown_certificate_is_refused(dcc_tool: ToolResults, keystore) -> None:
    document = dcc_tool.signed_requests[OTHER_USER]
    unknown = _replace_text(document, "//ds:X509SerialNumber", str(XML_SIGN[OTHER_USER] + 1))
    caught = refusal(unknown, keystore)
    assert caught.kind is RefusalKind.UNKNOWN_CERTIFICATE
    assert str(XML_SIGN[OTHER_USER] + 1) in caught.reason


def _mutations() -> dict[str, object]:
    def two_signatures(root: etree._Element) -> None:
        root.append(etree.fromstring(etree.tostring(root.find("ds:Signature", NS))))

    def nested(root: etree._Element) -> None:
        root.find("sr:Body", NS).append(root.find("ds:Signature", NS))

    def attribute(xpath: str, name: str, value: str):
        def change(root: etree._Element) -> None:
            root.xpath(xpath, namespaces=NS)[0].set(name, value)

        return change

    def drop(xpath: str):
        def change(root: etree._Element) -> None:
            element = root.xpath(xpath, namespaces=NS)[0]
            element.getparent().remove(element)

        return change

    def text(xpath: str, value: str):
        def change(root: etree._Element) -> None:
            root.xpath(xpath, namespaces=NS)[0].text = value

        return change

    info = "ds:Signature/ds:SignedInfo"
    return {
        "two signatures": two_signatures,
        "signature inside the body": nested,
        "rsa-sha256": attribute(
            f"{info}/ds:SignatureMethod",
            "Algorithm",
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        ),
        "inclusive c14n": attribute(
            f"{info}/ds:CanonicalizationMethod",
            "Algorithm",
            "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
        ),
        "sha-1 digest": attribute(
            f"{info}/ds:Reference/ds:DigestMethod",
            "Algorithm",
            "http://www.w3.org/2000/09/xmldsig#sha1",
        ),
        "a reference to part of the document": attribute(f"{info}/ds:Reference", "URI", "#body"),
        "no enveloped-signature transform": drop(f"{info}/ds:Reference/ds:Transforms/ds:Transform"),
        "no X509IssuerSerial": drop("ds:Signature/ds:KeyInfo/ds:X509Data/ds:X509IssuerSerial"),
        "a serial that is not a number": text("//ds:X509SerialNumber", "0x14BE4AD2"),
        "a serial of a thousand digits": text("//ds:X509SerialNumber", "9" * 1000),
        "SignatureValue not base64": text("ds:Signature/ds:SignatureValue", "not base64!"),
    }


@pytest.mark.spec("BOXED-03")
@pytest.mark.parametrize("mutation", list(_mutations()))
def test_signatures_not_in_duis_form_are_refused(
    dcc_tool: ToolResults, keystore, mutation: str
) -> None:
    root = etree.fromstring(dcc_tool.signed_requests[SUPPLIER])
    _mutations()[mutation](root)
    caught = refusal(etree.tostring(root), keystore)
    assert caught.kind is RefusalKind.MALFORMED, caught


@pytest.mark.spec("BOXED-03")
def test_a_request_without_a_request_id_cannot_be_checked(dcc_tool: ToolResults, keystore) -> None:
    root = etree.fromstring(dcc_tool.signed_requests[SUPPLIER])
    request_id = root.find("sr:Header/sr:RequestID", NS)
    request_id.getparent().remove(request_id)
    with pytest.raises(InvalidField) as caught:
        verify_request(etree.tostring(root), keystore)
    assert caught.value.field == "Header/RequestID"


@pytest.mark.spec("BOXED-03")
def test_unsafe_xml_is_not_parsed(keystore) -> None:
    bomb = b'<!DOCTYPE r [<!ENTITY a "aaaa">]><sr:Request xmlns:sr="%s">&a;</sr:Request>' % (
        SR_NS.encode()
    )
    with pytest.raises(InvalidField):
        verify_request(bomb, keystore)


@pytest.mark.spec("BOXED-03")
def test_a_firmware_sized_request_verifies(keystore) -> None:
    """A FirmwareImage beyond libxml2's 10,000,000-character text limit (safe.load_document's
    Decision) is verified too."""
    image = base64.b64encode(b"\x5a" * 7_600_000).decode()  # 10,133,336 characters
    assert len(image) > 10_000_000
    body = (
        "<sr:UpdateFirmware><sr:FirmwareImage>"
        + image
        + "</sr:FirmwareImage><sr:FirmwareHash>"
        + "0" * 64
        + "</sr:FirmwareHash><sr:DeviceIDList><sr:DeviceID>"
        + ESME
        + "</sr:DeviceID></sr:DeviceIDList></sr:UpdateFirmware>"
    )
    request = request_xml(
        "11.1", body, request_id=f"{SUPPLIER}:90-B3-D5-1F-30-00-00-02:1", cv=8, signed=False
    )
    signed = sign_document(request, credential(keystore, XML_SIGN[SUPPLIER]))
    assert verify_request(signed, keystore).serial == XML_SIGN[SUPPLIER]
    tampered = signed.replace(b"WlpaWlpa", b"WlpaWlpb", 1)
    assert refusal(tampered, keystore).kind is RefusalKind.DIGEST_MISMATCH


@pytest.mark.spec("BOXED-03")
def test_the_refusal_code_is_configurable() -> None:
    assert REFUSED_SIGNATURE is ResponseCode.E1001
    default = SignatureSettings()
    assert default.verify
    assert {default.code_for(kind) for kind in RefusalKind} == {"E1001"}
    settings = SignatureSettings(refused_code="E3", codes={RefusalKind.UNKNOWN_CERTIFICATE: "E1"})
    assert settings.code_for(RefusalKind.DIGEST_MISMATCH) == "E3"
    assert settings.code_for(RefusalKind.UNKNOWN_CERTIFICATE) == "E1"
    # Only codes dccsim can answer with (E65 has the form, but DUIS's table here lacks it).
    for bad in ("I0", "65", "E", "E1x", "", "E65"):
        with pytest.raises(ValueError):
            SignatureSettings(refused_code=bad)
    with pytest.raises(ValueError):
        SignatureSettings(codes={"no-such-kind": "E1"})


@pytest.mark.spec("BOXED-03")
def test_checking_can_be_switched_off(keystore) -> None:
    unsigned = request_xml(
        "11.2", "<sr:ReadFirmwareVersion/>", request_id=f"{SUPPLIER}:{ESME}:1", cv=1, signed=False
    )
    assert SignatureSettings(verify=False).check(unsigned, keystore) is None
    with pytest.raises(SignatureRefused):
        SignatureSettings().check(unsigned, keystore)


# -- BOXED-04: the DSP's documents ---------------------------------------------------------------


SIGNED_LABELS = [
    "I0 8.2 inventory",
    "I0 12.1 WAN matrix",
    "I99 acknowledgement",
    "device response 11.2",
    "DCC alert N28",
]


@pytest.mark.spec("BOXED-04")
@pytest.mark.parametrize("label", SIGNED_LABELS)
def test_dsp_documents_pass_dccs_validate(dcc_tool: ToolResults, label: str) -> None:
    """Signed with the DSP's DspXmlSign key (DCC Boxed 1.4.1's, which the tool knows), for a
    User on DUIS 5.1 (the tool's built-in schema)."""
    run = dcc_tool.validated[f"{label} v5.1"]
    assert run.code == 0, run.log
    assert "passed xsd validation" in run.log
    assert f"certificate serial number: {DSP_XML_SIGN}" in run.log
    assert "passed signature check" in run.log
    assert b"Signature" not in run.output  # the tool prints the document without its signature


@pytest.mark.spec("BOXED-04")
def test_dccs_validate_refuses_a_document_changed_after_signing(dcc_tool: ToolResults) -> None:
    run = dcc_tool.validated["tampered"]
    assert run.code == 10, run.log
    assert "passed signature check" not in run.log


@pytest.mark.spec("BOXED-04")
@pytest.mark.parametrize("version", ["5.2", "5.4"])
@pytest.mark.parametrize("label", SIGNED_LABELS)
def test_what_dccs_validate_says_of_newer_versions(
    dcc_tool: ToolResults, version: str, label: str
) -> None:
    """The tool checks every document against its DUIS 5.1 schema first, whose schemaVersion is
    not pinned: documents for 5.2+ Users pass, signature included, where their shapes are 5.1's,
    and fail validation (10) before any signature check where they are not (12.1's
    DSPWANMatrixResponse list, from 5.3a on)."""
    run = dcc_tool.validated[f"{label} v{version}"]
    if label == "I0 12.1 WAN matrix":
        assert run.code == 10, run.log
        assert "DSPWANMatrixResponse" in run.log
        assert "failed xsd validation" in run.log
        assert "signature check" not in run.log
    else:
        assert run.code == 0, run.log
        assert "passed signature check" in run.log


@pytest.mark.spec("BOXED-04")
@pytest.mark.parametrize("version", ["5.1", "5.2", "5.4"])
def test_error_acknowledgements_are_not_signed(dcc_tool: ToolResults, version: str) -> None:
    run = dcc_tool.validated[f"E5 acknowledgement v{version}"]
    assert b"<sr:ResponseCode>E5</sr:ResponseCode>" in run.output
    assert "without signature" in run.log
    assert run.code == 0, run.log


@pytest.mark.spec("BOXED-04")
def test_which_documents_are_signed(keystore) -> None:
    dsp = credential(keystore, DSP_XML_SIGN)
    documents = _dsp_documents(V5_2)
    for label in SIGNED_LABELS:
        assert should_sign(documents[label]), label
        signed = sign_response(documents[label], dsp)
        signature = _signature(signed)
        assert signature is not None, label
        serial = signature.findtext(".//ds:X509SerialNumber", namespaces=NS)
        issuer = signature.findtext(".//ds:X509IssuerName", namespaces=NS)
        assert serial == str(DSP_XML_SIGN)
        assert issuer == java_rfc2253(dsp.certificate.issuer) == "CN=Z1,OU=07"
        # What is signed is the document as built.
        unsigned = etree.fromstring(signed)
        unsigned.remove(unsigned.find("ds:Signature", NS))
        assert etree.tostring(unsigned, method="c14n") == etree.tostring(
            etree.fromstring(documents[label]), method="c14n"
        )
    error = documents["E5 acknowledgement"]
    assert not should_sign(error)
    assert sign_response(error, dsp) is error
    assert not should_sign(
        request_xml("11.2", "<sr:ReadFirmwareVersion/>", request_id="a:b:1", cv=1)
    )


@pytest.mark.spec("BOXED-04")
def test_signing_again_replaces_the_signature(keystore) -> None:
    dsp = credential(keystore, DSP_XML_SIGN)
    document = _dsp_documents(V5_1)["DCC alert N28"]
    once = sign_document(document, dsp)
    twice = sign_document(etree.fromstring(once), dsp)
    assert len(etree.fromstring(twice).findall(".//ds:Signature", NS)) == 1
    assert _signature(once).findtext(".//ds:DigestValue", namespaces=NS) == _signature(
        twice
    ).findtext(".//ds:DigestValue", namespaces=NS)


@pytest.mark.spec("BOXED-04")
def test_only_an_ecdsa_p256_key_signs(keystore) -> None:
    public_only = replace(credential(keystore, DSP_XML_SIGN), private_key=None)
    with pytest.raises(ValueError):
        sign_document(_dsp_documents(V5_1)["DCC alert N28"], public_only)


# -- the DUIS profile without signxml (docs/decisions.md, "Signatures: the DUIS profile's fast
# path"): held to signxml both ways, and to DCC's tool above (its signatures are verified, and
# dccsim's validated, through the fast path) ----------------------------------------------------

SR = SR_NS
# Documents that stress canonicalisation: namespaces declared on the root and below, a default
# namespace, the ds prefix declared on the root, comments, CR and tabs, escapes, non-ASCII text,
# attributes in an order C14N changes, an empty element, whitespace after the signature's place.
AWKWARD = {
    "ds on the root": (
        f'<sr:Response xmlns:sr="{SR}" xmlns:ds="{DS_NS}" schemaVersion="5.2">'
        "<sr:Header><sr:ResponseCode>I0</sr:ResponseCode></sr:Header></sr:Response>"
    ),
    "namespaces, comments, escapes": (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sr:Response xmlns:sr="{SR}" '
        'xmlns:x="urn:x" schemaVersion="5.2" x:b="2" x:a="&quot;&lt;&amp;&#9;">\r\n'
        "\t<!-- a comment is not signed -->\n"
        '<sr:Body><y:Thing xmlns:y="urn:y" xmlns="urn:default">'
        "caf\u00e9 &lt;&gt;&amp; \u20ac<Inner a='1'/><Empty></Empty></y:Thing>"
        "<?pi data?></sr:Body>\n  \n</sr:Response>"
    ),
    "default namespace root": '<Response xmlns="urn:d"><A>1</A>  </Response>',
}


def _fast_path_documents() -> dict[str, bytes]:
    documents = {
        f"{label} v{version.value}": document
        for version in (V5_1, V5_2, V5_4)
        for label, document in _dsp_documents(version).items()
    }
    documents["request"] = request_xml(
        "11.2", "<sr:ReadFirmwareVersion/>", request_id=f"{SUPPLIER}:{ESME}:1", cv=1, signed=False
    )
    documents.update({label: text.encode() for label, text in AWKWARD.items()})
    return documents


FAST_PATH_DOCUMENTS = _fast_path_documents()


def _without_value(document: bytes) -> bytes:
    """The document with its SignatureValue emptied (ECDSA signatures differ every time)."""
    return _replace_text(document, "ds:Signature/ds:SignatureValue", "")


def _the_root(document: bytes) -> etree._Element:
    return load_document(document).getroot()


def _fast_verify(document: bytes, certificate) -> bool:
    root = _the_root(document)
    return signature_profile.verify(root, root.find("ds:Signature", NS), certificate)


@pytest.mark.spec("BOXED-03", "BOXED-04")
@pytest.mark.parametrize("label", list(FAST_PATH_DOCUMENTS))
def test_the_fast_path_signs_and_verifies_as_signxml_does(keystore, label: str) -> None:
    dsp = credential(keystore, DSP_XML_SIGN)
    document = FAST_PATH_DOCUMENTS[label]
    template = signature_profile.signature_template(signing._key_info(dsp.certificate))
    fast = signature_profile.sign(_the_root(document), dsp.private_key, template)
    assert fast is not None, "the document is in the fast path's profile"
    slow = signing._sign_signxml(
        _the_root(document), dsp.private_key, signing._key_info(dsp.certificate)
    )
    # The same document, byte for byte, but the signature value: the same digest, SignedInfo,
    # KeyInfo, namespace declarations and serialisation. Likewise through the public calls (a
    # signer's KeyInfo is built once and copied into each signature).
    signer = signing.DocumentSigner(dsp)
    public = [
        signer.sign(document),
        sign_document(document, dsp),
        signer.sign(etree.fromstring(document)),
    ]
    if should_sign(document):
        public += [signer.sign_response(document), sign_response(document, dsp)]
    for signed in (fast, *public):
        assert _without_value(signed) == _without_value(slow)
    assert _signature_value(fast) != _signature_value(slow)
    # Each verifies the other's signature; the fast path decides for both (it is their profile).
    for signed in (fast, slow):
        root = _the_root(signed)
        assert signature_profile.in_duis_profile(root, root.find("ds:Signature", NS))
        signing._verify_signxml(root, dsp.certificate)
        assert _fast_verify(signed, dsp.certificate)


@pytest.mark.spec("BOXED-03")
def test_dccs_tool_signatures_are_decided_by_the_fast_path(dcc_tool: ToolResults, keystore) -> None:
    """The tool's signatures are in the profile (so `test_requests_signed_by_dccs_tool_verify`
    ran the fast path), and signxml agrees with it on each."""
    for sender, document in dcc_tool.signed_requests.items():
        root = _the_root(document)
        assert signature_profile.in_duis_profile(root, root.find("ds:Signature", NS)), sender
        certificate = credential(keystore, XML_SIGN[sender]).certificate
        assert _fast_verify(document, certificate)
        signing._verify_signxml(_the_root(document), certificate)


@pytest.mark.spec("BOXED-04")
def test_the_documents_dccs_tool_validates_are_signed_by_the_fast_path(keystore) -> None:
    """`dcc_tool` validates what `sign_response` makes of these; the fast path signs them all."""
    dsp = credential(keystore, DSP_XML_SIGN)
    for version in (V5_1, V5_2, V5_4):
        for label, document in _dsp_documents(version).items():
            if should_sign(document):
                template = signature_profile.signature_template(signing._key_info(dsp.certificate))
                signed = signature_profile.sign(_the_root(document), dsp.private_key, template)
                assert signed is not None, label


def _tamperings(keystore) -> dict[str, tuple[bytes, RefusalKind]]:
    """A request signed by the supplier, changed after signing: what each change must be
    refused as."""
    signed = sign_document(
        request_xml(
            "11.2",
            "<sr:ReadFirmwareVersion/>",
            request_id=f"{SUPPLIER}:{ESME}:1",
            cv=1,
            signed=False,
        ),
        credential(keystore, XML_SIGN[SUPPLIER]),
    )
    info = "ds:Signature/ds:SignedInfo"
    other_digest = base64.b64encode(bytes(32)).decode()
    value = bytearray(base64.b64decode(_signature_value(signed)))
    value[40] ^= 0x80

    def root_attribute(document: bytes) -> bytes:
        root = etree.fromstring(document)
        root.set("schemaVersion", "5.3")
        return etree.tostring(root)

    def whitespace_in_signed_info(document: bytes) -> bytes:
        root = etree.fromstring(document)
        root.find(info, NS).find("ds:Reference", NS).tail = "\n  "
        return etree.tostring(root)

    def tail_after_signature(document: bytes) -> bytes:
        root = etree.fromstring(document)
        root.find("ds:Signature", NS).tail = "\n\n"
        return etree.tostring(root)

    # Signed by another User's key, its certificate swapped for the supplier's: the right
    # certificate, the wrong key.
    by_other = sign_document(
        etree.fromstring(signed), credential(keystore, XML_SIGN[NETWORK_OPERATOR])
    )
    wrong_key = _replace_text(by_other, "//ds:X509SerialNumber", str(XML_SIGN[SUPPLIER]))
    return {
        "the body": (
            signed.replace(
                b"<sr:ReadFirmwareVersion/>",
                b"<sr:ReadFirmwareVersion></sr:ReadFirmwareVersion><x/>",
            ),
            RefusalKind.DIGEST_MISMATCH,
        ),
        "the RequestID's counter": (
            signed.replace(f"{ESME}:1<".encode(), f"{ESME}:2<".encode()),
            RefusalKind.DIGEST_MISMATCH,
        ),
        "a root attribute": (root_attribute(signed), RefusalKind.DIGEST_MISMATCH),
        "text after the signature": (tail_after_signature(signed), RefusalKind.DIGEST_MISMATCH),
        "the DigestValue": (
            _replace_text(signed, f"{info}/ds:Reference/ds:DigestValue", other_digest),
            RefusalKind.SIGNATURE_MISMATCH,
        ),
        "whitespace in SignedInfo": (
            whitespace_in_signed_info(signed),
            RefusalKind.SIGNATURE_MISMATCH,
        ),
        "the SignatureValue": (
            _replace_text(
                signed, "ds:Signature/ds:SignatureValue", base64.b64encode(value).decode()
            ),
            RefusalKind.SIGNATURE_MISMATCH,
        ),
        "the wrong key": (wrong_key, RefusalKind.SIGNATURE_MISMATCH),
    }


@pytest.mark.spec("BOXED-03")
def test_tampering_is_refused_alike_by_the_fast_path_and_signxml(keystore) -> None:
    certificate = credential(keystore, XML_SIGN[SUPPLIER]).certificate
    for change, (document, kind) in _tamperings(keystore).items():
        root = _the_root(document)
        signature = root.find("ds:Signature", NS)
        assert signature_profile.in_duis_profile(root, signature), change  # the fast path decides
        with pytest.raises(SignatureRefused) as fast:
            signature_profile.verify(root, signature, certificate)
        with pytest.raises(SignatureRefused) as slow:
            signing._verify_signxml(_the_root(document), certificate)
        assert (fast.value.kind, slow.value.kind) == (kind, kind), change
        assert refusal(document, keystore).kind is kind, change


@pytest.mark.spec("BOXED-03")
def test_unsigned_comments_are_accepted_alike(keystore) -> None:
    """C14N without comments (XML-DSig's, DCC's tool's): a comment added after signing changes
    nothing signed. Both paths say so."""
    signed = sign_document(FAST_PATH_DOCUMENTS["request"], credential(keystore, XML_SIGN[SUPPLIER]))
    commented = signed.replace(b"<sr:Body>", b"<sr:Body><!-- added -->", 1)
    assert commented != signed
    certificate = credential(keystore, XML_SIGN[SUPPLIER]).certificate
    assert _fast_verify(commented, certificate)
    signing._verify_signxml(_the_root(commented), certificate)


def _outside_the_profile(signed: bytes) -> dict[str, bytes]:
    """Signatures the fast path leaves to signxml, each still signed over the same content."""

    def change(edit) -> bytes:
        root = etree.fromstring(signed)
        edit(root, root.find("ds:Signature", NS))
        return etree.tostring(root)

    def wrapped(root: etree._Element, signature: etree._Element) -> None:
        # XML signature wrapping: the signed body kept in a ds:Object, the live one replaced.
        holder = etree.SubElement(signature, f"{{{DS_NS}}}Object")
        body = root.find("sr:Body", NS)
        holder.append(copy.deepcopy(body))
        body[0].tag = f"{{{SR_NS}}}ReadInventory"

    return {
        "an Id on the signature": change(lambda root, sig: sig.set("Id", "s1")),
        "a KeyName": change(
            lambda root, sig: etree.SubElement(sig.find("ds:KeyInfo", NS), f"{{{DS_NS}}}KeyName")
        ),
        "a comment in SignedInfo": change(lambda root, sig: sig[0].insert(0, etree.Comment("x"))),
        "a comment before the root": b"<!-- before -->" + etree.tostring(etree.fromstring(signed)),
        "text between SignedInfo's children": change(
            lambda root, sig: setattr(sig[0][1], "tail", "x")
        ),
        "a signature wrapping": change(wrapped),
    }


@pytest.mark.spec("BOXED-03")
def test_signatures_outside_the_profile_are_left_to_signxml(keystore) -> None:
    supplier = credential(keystore, XML_SIGN[SUPPLIER])
    signed = sign_document(FAST_PATH_DOCUMENTS["request"], supplier)
    for label, document in _outside_the_profile(signed).items():
        root = _the_root(document)
        signature = root.find("ds:Signature", NS)
        assert not signature_profile.in_duis_profile(root, signature), label
        assert not signature_profile.verify(root, signature, supplier.certificate), label
        try:
            signing._verify_signxml(_the_root(document), supplier.certificate)
        except SignatureRefused as error:
            assert refusal(document, keystore).kind is error.kind, label
            # The wrapped body fails the digest; text in SignedInfo, XML-DSig's schema.
            expected = {
                "a signature wrapping": RefusalKind.DIGEST_MISMATCH,
                "text between SignedInfo's children": RefusalKind.MALFORMED,
            }
            assert error.kind is expected.get(label), f"{label}: {error}"
        else:
            assert verify_request(document, keystore).serial == XML_SIGN[SUPPLIER], label
    # A document with something beside its root element is signed by signxml, and verifies.
    beside = b"<!-- before -->" + FAST_PATH_DOCUMENTS["request"].split(b"?>", 1)[1]
    root = _the_root(beside)
    template = signature_profile.signature_template(signing._key_info(supplier.certificate))
    assert signature_profile.sign(root, supplier.private_key, template) is None
    assert root.find("ds:Signature", NS) is None  # refused without changing the tree
    assert verify_request(sign_document(beside, supplier), keystore).originator == SUPPLIER


@pytest.mark.spec("BOXED-04")
def test_the_fast_paths_signedinfo_c14n_made_once_is_that_of_each_signed_documents(
    keystore,
) -> None:
    """The fast path canonicalises its SignedInfo once per signer, around the DigestValue; what
    it signs is the exclusive C14N of the SignedInfo in each document it signs."""
    dsp = credential(keystore, DSP_XML_SIGN)
    template = signature_profile.signature_template(signing._key_info(dsp.certificate))
    before, after = template.signed_info_c14n
    for document in FAST_PATH_DOCUMENTS.values():
        signed = signature_profile.sign(_the_root(document), dsp.private_key, template)
        assert signed is not None
        signed_info = _the_root(signed).find("ds:Signature/ds:SignedInfo", NS)
        digest = signed_info.findtext("ds:Reference/ds:DigestValue", namespaces=NS).encode()
        c14n = etree.tostring(signed_info, method="c14n", exclusive=True, with_comments=False)
        assert c14n == before + digest + after
