"""DUIS over HTTP (BOXED-01): the three web services, E13 at the wrong one, HTTP 400 for what is
not a DUIS request, the CV 4 -> CV 5 round trip, and HTTPS."""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import ssl
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import aiohttp
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from lxml import etree

from dccsim.server.core.errors import InvalidField
from dccsim.server.core.fleet import example_fleet
from dccsim.server.core.records import DuisVersion
from dccsim.server.core.services import REGISTRY
from dccsim.server.duis import parse_request
from dccsim.server.http.duis_app import MAX_BODY_BYTES
from dccsim.server.keys import keystore_for
from dccsim.server.rpc.app import RunningServer, start_server
from dccsim.v1 import control_pb2
from dccsim.v1.control_pb2_grpc import ControlServiceStub
from tests.conftest import (
    ESME,
    EXAMPLE_NEW_FIRMWARE,
    NEW_IMAGE,
    NEW_IMAGE_HASH,
    RTDS_DIR,
    SUPPLIER_A,
)
from tests.duis.documents import (
    ACB_ID,
    NS,
    OfficialSchemas,
    b64,
    count,
    request_xml,
    rtds_paths,
    signed_pre_command_xml,
    template_document,
    text,
)
from tests.http.conftest import loopback, relaxed_dsp
from tests.http.receivers import Answer, post

SERVICE_OF_CV = {1: "serviceS", 3: "serviceS", 5: "serviceS", 7: "serviceS", 4: "serviceT"}
SERVICE_OF_CV |= {2: "serviceD", 6: "serviceD", 8: "serviceD"}
SERVICES = ("serviceS", "serviceT", "serviceD")
VERSIONS = {user.user_id: DuisVersion(user.interface_version) for user in example_fleet().users}


def _code(answer: Answer) -> str:
    assert answer.status == 200, answer.text
    assert answer.content_type == "application/xml"
    return text(answer.body, "//sr:Header/sr:ResponseCode")


def _cv(document: bytes) -> int:
    return int(etree.fromstring(document).findtext("sr:Header/sr:CommandVariant", namespaces=NS))


def _srv(document: bytes) -> str:
    return text(document, "//sr:Header/sr:ServiceReferenceVariant")


def _expected_refusal(document: bytes) -> int:
    """What the HTTP status of a document dccsim cannot serve must be: 400 for one its parser
    refuses, 501 for an SRV it does not simulate."""
    try:
        srv = parse_request(document).request.srv
    except InvalidField:
        return 400
    assert srv not in REGISTRY
    return 501


def _read_firmware(counter: int, cv: int = 1) -> bytes:
    rid = f"{SUPPLIER_A}:{ESME}:{counter}"
    return request_xml("11.2", "<sr:ReadFirmwareVersion/>", request_id=rid, cv=cv, signed=False)


def _update_firmware(counter: int) -> bytes:
    body = (
        f"<sr:UpdateFirmware><sr:FirmwareImage>{b64(NEW_IMAGE)}</sr:FirmwareImage>"
        f"<sr:FirmwareVersion>{EXAMPLE_NEW_FIRMWARE}</sr:FirmwareVersion>"
        f"<sr:DeviceIDList>{ESME}</sr:DeviceIDList></sr:UpdateFirmware>"
    )
    return request_xml("11.1", body, request_id=f"{SUPPLIER_A}:{ACB_ID}:{counter}", cv=8)


def _activate_firmware(counter: int) -> bytes:
    body = (
        f"<sr:ActivateFirmware><sr:FirmwareHash>{NEW_IMAGE_HASH.hex().upper()}"
        "</sr:FirmwareHash></sr:ActivateFirmware>"
    )
    return request_xml("11.3", body, request_id=f"{SUPPLIER_A}:{ESME}:{counter}", cv=4)


def _document_with_cv(cv: int, counter: int) -> bytes:
    """A well-formed request with Command Variant `cv`."""
    match cv:
        case 1 | 2 | 3:
            return _read_firmware(counter, cv)
        case 4:
            return _activate_firmware(counter)
        case 5 | 6 | 7:
            body = (
                "<sr:SignedPreCommand><sr:GBCSPayload>AAAA</sr:GBCSPayload></sr:SignedPreCommand>"
            )
            return request_xml("11.3", body, request_id=f"{SUPPLIER_A}:{ESME}:{counter}", cv=cv)
        case _:
            body = (
                "<sr:RequestWANMatrix><sr:PartialAddress><sr:PostCode>M22 0RR</sr:PostCode>"
                "<sr:AddressIdentifier>Threapwood Road</sr:AddressIdentifier>"
                "</sr:PartialAddress></sr:RequestWANMatrix>"
            )
            return request_xml("12.1", body, request_id=f"{SUPPLIER_A}:{ACB_ID}:{counter}", cv=8)


@pytest.fixture(scope="module")
def rtds() -> list[Path]:
    found = rtds_paths()
    if not found:
        pytest.skip(f"DCC's RTDS templates are not in {RTDS_DIR}")
    return found


@pytest.mark.spec("BOXED-01", "VER-01", "SRV-01")
def test_each_web_service_answers_the_rtds_templates_of_its_command_variants(
    control: ControlServiceStub,
    duis: Callable[[str], str],
    rtds: list[Path],
    schemas: OfficialSchemas,
) -> None:
    documents = [template_document(path) for path in rtds]
    services = [SERVICE_OF_CV[_cv(document)] for document in documents]
    answers = []
    for service, document in zip(services, documents, strict=True):
        control.Reset(control_pb2.ResetRequest())  # each template meets the example fleet
        answers.append(post(duis(service), document))
    codes: dict[str, Counter[str]] = {service: Counter() for service in SERVICES}
    for path, service, answer in zip(rtds, services, answers, strict=True):
        if answer.status != 200:  # the SRVs dccsim does not read or serve yet say so
            assert answer.content_type == "text/plain", path.name
            assert answer.status == _expected_refusal(template_document(path)), path.name
            continue
        code = _code(answer)
        assert code != "E13", path.name
        originator = text(answer.body, "//sr:RequestID").split(":")[0]
        schemas.assert_valid(answer.body, VERSIONS[originator])  # VER-01: the User's own
        codes[service][code] += 1
    # The templates of the SRVs served reached the core and were answered as through the gRPC
    # gateway: device SRs acknowledged, CV 4 with a PreCommand, non-device SRs with their data.
    # (The floors are today's served SRVs; they only grow.)
    assert codes["serviceS"]["I99"] >= 30, codes
    assert codes["serviceT"]["I0"] >= 15, codes
    assert codes["serviceD"]["I0"] + codes["serviceD"]["I99"] >= 5, codes
    assert not {s: c for s, c in codes.items() if {"E1", "E2", "E3"} & set(c)}


@pytest.mark.spec("BOXED-01")
@pytest.mark.parametrize(
    ("cv", "service"),
    [(cv, s) for cv in range(1, 9) for s in SERVICES if s != SERVICE_OF_CV[cv]],
)
def test_a_request_at_the_wrong_web_service_is_e13_and_changes_nothing(
    server: RunningServer, duis: Callable[[str], str], cv: int, service: str
) -> None:
    document = _document_with_cv(cv, 5000 + cv)
    before = server.host.fingerprint()
    answer = post(duis(service), document)
    assert _code(answer) == "E13"
    assert b"Signature" not in answer.body  # an error answer is unsigned
    assert text(answer.body, "//sr:RequestID") == f"{SUPPLIER_A}:{document_target(document)}"
    assert server.host.fingerprint() == before
    # At its own web service the same request reaches the core (which may refuse it, but not
    # for its URL).
    again = post(duis(SERVICE_OF_CV[cv]), document)
    assert again.status == 400 or _code(again) != "E13"  # 400: no PreCommand for CV 5/6/7


def document_target(document: bytes) -> str:
    rid = text(document, "//sr:RequestID")
    return rid.split(":", 1)[1]


NOT_DUIS = {
    "not XML": b"this is not XML",
    "empty": b"",
    "binary": b"\x00\x01\x02<sr:Request/>",
    "another XML document": b"<order><item>tea</item></order>",
    "a DUIS response": b'<sr:Response xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway"/>',
    "a DOCTYPE": b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
    b'"&lol;&lol;&lol;">]><lolz>&lol2;</lolz>',
    "an external entity": b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>',
    "a DUIS request with a bad EUI": _read_firmware(1).replace(ESME.encode(), b"NOT-AN-EUI"),
    "an unknown SRV": _read_firmware(2).replace(b">11.2<", b">99.9<"),
    "too deep": b"<a>" * 300 + b"</a>" * 300,
}


@pytest.mark.spec("BOXED-01", "BAD-01", "BAD-02")
@pytest.mark.parametrize("name", list(NOT_DUIS))
def test_a_body_that_is_not_a_duis_request_gets_400_changes_nothing_and_serving_goes_on(
    server: RunningServer, duis: Callable[[str], str], name: str
) -> None:
    before = server.host.fingerprint()
    answer = post(duis("serviceS"), NOT_DUIS[name])
    assert answer.status == 400
    assert answer.content_type == "text/plain"
    assert len(answer.text.strip()) > 10  # the reason
    assert server.host.fingerprint() == before
    assert _code(post(duis("serviceS"), _read_firmware(7000))) == "I99"


@pytest.mark.spec("BOXED-01", "BAD-01", "BAD-02")
def test_an_oversized_body_gets_400_unread_and_the_server_serves_others_meanwhile(
    server: RunningServer, duis: Callable[[str], str]
) -> None:
    before = server.host.fingerprint()
    huge = b"<sr:Request>" + b"A" * MAX_BODY_BYTES + b"</sr:Request>"
    with ThreadPoolExecutor(2) as pool:
        refused = pool.submit(post, duis("serviceD"), huge)
        served = [post(duis("serviceS"), _read_firmware(7100 + i)) for i in range(5)]
        answer = refused.result(30)
    assert answer.status == 400
    assert "larger than" in answer.text
    assert [_code(a) for a in served] == ["I99"] * 5
    # Only the served requests changed anything: the refused one left no trace.
    after = server.host.fingerprint()
    assert after != before
    assert post(duis("serviceS"), huge).status == 400
    assert server.host.fingerprint() == after


@pytest.mark.spec("BOXED-01")
def test_only_post_is_served(duis: Callable[[str], str]) -> None:
    async def get() -> int:
        async with aiohttp.ClientSession() as session, session.get(duis("serviceS")) as response:
            return response.status

    assert asyncio.run(get()) == 405


@pytest.mark.spec("BOXED-01", "REQ-05", "REQ-03")
def test_the_critical_round_trip_cv4_to_service_t_then_cv5_to_service_s(
    server: RunningServer, duis: Callable[[str], str], schemas: OfficialSchemas
) -> None:
    assert _code(post(duis("serviceD"), _update_firmware(8000))) in ("I99", "W110101")
    counter = 8001
    pre_command = post(duis("serviceT"), _activate_firmware(counter))
    assert _code(pre_command) == "I0"
    schemas.assert_valid(pre_command.body, DuisVersion.V5_2)
    assert count(pre_command.body, "//sr:PreCommand/sr:GBCSPayload") == 1
    assert server.host.dsp.device(ESME).running_version != EXAMPLE_NEW_FIRMWARE

    signed = signed_pre_command_xml(pre_command.body, f"{SUPPLIER_A}:{ESME}:{counter}", "11.3")
    before = server.host.fingerprint()
    assert _code(post(duis("serviceT"), signed)) == "E13"  # CV 5 belongs to serviceS
    assert _code(post(duis("serviceD"), signed)) == "E13"
    assert server.host.fingerprint() == before
    acknowledgement = post(duis("serviceS"), signed)
    assert _code(acknowledgement) == "I99"
    schemas.assert_valid(acknowledgement.body, DuisVersion.V5_2)
    assert server.host.dsp.device(ESME).running_version == EXAMPLE_NEW_FIRMWARE


# -- HTTPS ---------------------------------------------------------------------------------------


def _self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.mark.spec("BOXED-01", "SEC-01")
def test_https_on_the_duis_port_with_a_certificate(tmp_path: Path) -> None:
    cert, key = _self_signed(tmp_path)
    running = start_server(relaxed_dsp, http=loopback(tls_cert=cert, tls_key=key))
    try:
        trusted = ssl.create_default_context(cafile=str(cert))
        url = f"https://127.0.0.1:{running.http_ports.duis}/api/v1/serviceS"
        assert _code(post(url, _read_firmware(9000), ssl_context=trusted)) == "I99"
        with pytest.raises(aiohttp.ClientError):  # plain HTTP is not served there
            post(url.replace("https:", "http:"), _read_firmware(9001))
    finally:
        running.stop(grace=None)


@pytest.mark.spec("BOXED-06", "SEC-01")
def test_https_on_the_smki_port_with_the_same_certificate(tmp_path: Path) -> None:
    cert, key = _self_signed(tmp_path)
    running = start_server(
        relaxed_dsp,
        http=loopback(tls_cert=cert, tls_key=key),
        keystore=keystore_for(None, list(VERSIONS)),  # SMKI is served from a keystore
    )
    try:
        assert running.http_ports.smki is not None
        trusted = ssl.create_default_context(cafile=str(cert))
        url = f"https://127.0.0.1:{running.http_ports.smki}/services/certificatesearch?apikey=x"
        search = (
            "<CertificateSearchRequest><CertificateSubjectAltName>"
            f"{ESME.lower()}</CertificateSubjectAltName></CertificateSearchRequest>"
        ).encode()
        found = post(url, search, ssl_context=trusted)
        assert (found.status, found.content_type) == (200, "application/xml")
        assert b"<CertificateSerial>" in found.body
        with pytest.raises(aiohttp.ClientError):  # plain HTTP is not served there
            post(url.replace("https:", "http:"), search)
    finally:
        running.stop(grace=None)
