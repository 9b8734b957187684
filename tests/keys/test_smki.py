"""BOXED-06: SMKI certificate search and retrieval in DCC Boxed's XML shapes (notes §1.6;
dccboxed-keystore's `certificateSearch.ts` is the client these answers are written for)."""

from __future__ import annotations

import base64

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from lxml import etree

from dccsim.server.keys import ACB_EUI, KeyStore, KeyUsage
from dccsim.server.keys.smki import certificate_search, retrieve_certificate
from tests.keys.conftest import SUPPLIER

pytestmark = pytest.mark.spec("BOXED-06")

DEVICE = "88-73-84-57-00-2F-96-6C"
FLEET = frozenset({DEVICE, "00-DB-12-34-56-78-90-A4"})
DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>'


def search_request(**fields: str) -> bytes:
    body = "".join(f"<{name}>{value}</{name}>" for name, value in fields.items())
    return DECLARATION + f"<CertificateSearchRequest>{body}</CertificateSearchRequest>".encode()


def retrieve_request(serial: str) -> bytes:
    return (
        DECLARATION + b"<CertificateDataRequest><CertificateSerial>" + serial.encode()
        + b"</CertificateSerial></CertificateDataRequest>"
    )  # fmt: skip


def parse(document: bytes) -> etree._Element:
    assert document.startswith(b"<?xml")
    return etree.fromstring(document)


def results(document: bytes) -> list[dict[str, str]]:
    root = parse(document)
    assert root.tag == "CertificateSearchResponse"
    return [{child.tag: child.text for child in result} for result in root.findall("Result")]


def test_search_by_subject_alt_name_finds_a_devices_ds_and_ka_certificates(store: KeyStore):
    status, document = certificate_search(
        search_request(CertificateSubjectAltName=DEVICE.lower()), store, FLEET
    )
    assert status == 200
    root = parse(document)
    assert root.findtext("ResponseCode") == "200"
    assert root.findtext("ResponseMessage") == "Success"
    assert root.findtext("AuditReference")
    found = results(document)
    assert [r["CertificateUsage"] for r in found] == ["DS", "KA"]
    for result, usage in zip(found, KeyUsage, strict=True):
        assert list(result) == [
            "CertificateSerial",
            "CertificateSubjectAltName",
            "CertificateStatus",
            "CertificateUsage",
            "ManufacturingFlag",
        ]
        assert result["CertificateSubjectAltName"] == DEVICE
        assert result["CertificateStatus"] == "I"
        assert result["ManufacturingFlag"] == "false"
        assert int(result["CertificateSerial"], 16) == store.device(DEVICE, usage).serial
        assert result["CertificateSerial"] == result["CertificateSerial"].upper()


def test_search_can_ask_for_one_usage(store: KeyStore):
    status, document = certificate_search(
        search_request(CertificateSubjectAltName=DEVICE, CertificateUsage="KA"), store, FLEET
    )
    assert status == 200
    assert [r["CertificateUsage"] for r in results(document)] == ["KA"]


def test_search_by_subject_name_finds_a_users_certificates_with_their_roles(store: KeyStore):
    status, document = certificate_search(
        search_request(CertificateSubjectName=SUPPLIER), store, FLEET
    )
    assert status == 200
    found = results(document)
    assert [(r["CertificateRole"], r["CertificateUsage"]) for r in found] == [
        ("135", "DS"),
        ("2", "DS"),
        ("2", "KA"),
    ]
    assert all(r["CertificateSubjectName"] == SUPPLIER for r in found)
    status, document = certificate_search(
        search_request(CertificateSubjectName=SUPPLIER, CertificateRole="2", CertificateUsage="KA"),
        store,
        FLEET,
    )
    assert status == 200
    assert [(r["CertificateRole"], r["CertificateUsage"]) for r in results(document)] == [
        ("2", "KA")
    ]


def test_search_finds_the_dcc_boxed_keystores_users(dccboxed: KeyStore):
    status, document = certificate_search(
        search_request(CertificateSubjectName=ACB_EUI, CertificateUsage="KA"), dccboxed, FLEET
    )
    assert status == 200
    serials = {r["CertificateSerial"] for r in results(document)}
    # Z1- and Z1b-accessControlBroker-ka, as dccboxed-keystore's own tests list them.
    assert serials == {"37CDF206B07DDEF852FBC62950F22ED0", "630CEB61682F9941A09574081F69A6B7"}


def test_retrieve_gives_a_devices_certificate_by_serial(store: KeyStore):
    credential = store.device(DEVICE, KeyUsage.KEY_AGREEMENT)
    # dccboxed-keystore asks with serial.toString(16): lower case, no leading zeros.
    status, document = retrieve_certificate(
        retrieve_request(f"{credential.serial:x}"), store, FLEET
    )
    assert status == 200
    root = parse(document)
    assert root.tag == "CertificateDataResponse"
    assert root.findtext("ResponseCode") == "200"
    response = root.find("CertificateResponse")
    fields = {child.tag: child.text for child in response}
    assert list(fields) == [
        "CertificateSubjectAltName",
        "CertificateSerial",
        "CertificateStatus",
        "CertificateBody",
        "CertificateUsage",
        "ManufacturingFlag",
    ]
    assert fields["CertificateSubjectAltName"] == DEVICE
    assert fields["CertificateUsage"] == "KA"
    # The client wraps the body in PEM armour and parses it.
    pem = f"-----BEGIN CERTIFICATE-----\n{fields['CertificateBody']}\n-----END CERTIFICATE-----"
    assert x509.load_pem_x509_certificate(pem.encode()) == credential.certificate
    der = base64.b64decode(fields["CertificateBody"])
    assert der == credential.certificate.public_bytes(serialization.Encoding.DER)


def test_retrieve_gives_a_users_certificate_with_its_role(dccboxed: KeyStore):
    status, document = retrieve_certificate(
        retrieve_request("469AFEC2E7C0CAAEC8A400769B702BC8"), dccboxed, FLEET
    )
    assert status == 200
    response = parse(document).find("CertificateResponse")
    assert response.findtext("CertificateSubjectName") == "90-B3-D5-1F-30-00-00-01"
    assert response.findtext("CertificateRole") == "1"
    assert response.findtext("CertificateUsage") == "DS"
    assert response.findtext("CertificateSerial") == "469AFEC2E7C0CAAEC8A400769B702BC8"


@pytest.mark.parametrize(
    "request_xml",
    [
        search_request(CertificateSubjectAltName="11-22-33-44-55-66-77-88"),  # not in the fleet
        search_request(CertificateSubjectName="11-22-33-44-55-66-77-88"),  # no such User
        search_request(CertificateSubjectAltName=DEVICE, CertificateStatus="R"),  # all in use
        search_request(CertificateSubjectName=SUPPLIER, CertificateRole="3"),
    ],
)
def test_search_matching_nothing_is_402(store: KeyStore, request_xml: bytes):
    status, document = certificate_search(request_xml, store, FLEET)
    assert status == 402
    root = parse(document)
    assert root.findtext("ResponseCode") == "402"
    assert root.find("Result") is None


def test_retrieve_of_an_unknown_serial_or_a_device_outside_the_fleet_is_402(store: KeyStore):
    assert retrieve_certificate(retrieve_request("1234"), store, FLEET)[0] == 402
    outsider = store.device("11-22-33-44-55-66-77-88", KeyUsage.DIGITAL_SIGNATURE)
    assert retrieve_certificate(retrieve_request(f"{outsider.serial:X}"), store, FLEET)[0] == 402
    assert (
        retrieve_certificate(retrieve_request(f"{outsider.serial:X}"), store, {outsider.eui})[0]
        == 200
    )


@pytest.mark.parametrize(
    "request_xml",
    [
        search_request(),  # neither name
        search_request(CertificateSubjectAltName=DEVICE, CertificateSubjectName=SUPPLIER),
        search_request(CertificateSubjectAltName="not-an-eui"),
        search_request(CertificateSubjectAltName=DEVICE, CertificateUsage="XX"),
        search_request(CertificateSubjectName=SUPPLIER, CertificateRole="two"),
        search_request(CertificateSubjectName=SUPPLIER, CertificateStatus="Q"),
        search_request(CertificateSubjectAltName=DEVICE, CertificateRole="2"),
        search_request(CertificateSubjectAltName=DEVICE, Colour="red"),
        DECLARATION + b"<CertificateDataRequest><CertificateSerial>1</CertificateSerial>"
        b"</CertificateDataRequest>",  # the other service's request
    ],
)
def test_invalid_search_parameters_are_401(store: KeyStore, request_xml: bytes):
    status, document = certificate_search(request_xml, store, FLEET)
    assert status == 401
    root = parse(document)
    assert root.tag == "CertificateSearchResponse"
    assert root.findtext("ResponseCode") == "401"
    assert root.findtext("ResponseMessage").startswith("Invalid search parameters: ")


@pytest.mark.parametrize("serial", ["", "xyz", "12 34", "1" * 41])
def test_an_invalid_serial_is_401(store: KeyStore, serial: str):
    assert retrieve_certificate(retrieve_request(serial), store, FLEET)[0] == 401


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"CertificateSubjectAltName=88-73-84-57-00-2F-96-6C",
        b"<CertificateSearchRequest><CertificateSubjectAltName>",
        b'<!DOCTYPE x [<!ENTITY e "88-73-84-57-00-2F-96-6C">]><CertificateSearchRequest>'
        b"<CertificateSubjectAltName>&e;</CertificateSubjectAltName></CertificateSearchRequest>",
    ],
)
def test_a_body_that_is_not_xml_is_400(store: KeyStore, body: bytes):
    for answer in (certificate_search, retrieve_certificate):
        status, document = answer(body, store, FLEET)
        assert status == 400
        assert parse(document).findtext("ResponseCode") == "400"


def test_the_answers_are_pure(store: KeyStore):
    request = search_request(CertificateSubjectAltName=DEVICE)
    assert certificate_search(request, store, FLEET) == certificate_search(request, store, FLEET)
