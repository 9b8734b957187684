"""8.5, 8.6 and 8.13 in DUIS XML: the bodies are read as the schema types them (a bad element is
named), the DSPOptIn answer and the ServiceOptOutRsp carry what the DSP and the device did, and
every document is valid for DUIS 5.1 and 5.3a."""

from __future__ import annotations

import base64

import pytest

from dccsim.server.core.errors import InvalidField
from dccsim.server.core.fingerprint import fingerprint
from dccsim.server.core.fleet import EXAMPLE_MPAN, SUPPLIER_A
from dccsim.server.core.records import DuisVersion, SmiStatus
from dccsim.server.core.services.service_opt import CertificatePurpose, acb_certificate
from dccsim.server.duis.build import build_outbox_message, build_sync_answer
from dccsim.server.duis.parse import parse_request
from tests.conftest import ESME, example_dsp
from tests.duis.documents import (
    ACB_ID,
    CERTIFICATE,
    OfficialSchemas,
    b64,
    mmc,
    request_xml,
    text,
    texts,
)

VERSIONS = (DuisVersion.V5_1, DuisVersion.V5_2)
NS = {"ra": "http://www.dccinterface.co.uk/ResponseAndAlert"}


def _opt_out_xml(counter: int, *, when: str = "2015-01-15T00:00:00Z", floor: str = "5") -> bytes:
    execution = f"<sr:ExecutionDateTime>{when}</sr:ExecutionDateTime>" if when else ""
    body = f"""<sr:ServiceOptOut>{execution}
      <sr:ACBFloorSeqNumber>{floor}</sr:ACBFloorSeqNumber>
      <sr:ReplacementCertificates>
        <sr:KeyAgreementCertificate>{CERTIFICATE}</sr:KeyAgreementCertificate>
      </sr:ReplacementCertificates>
      <sr:CertificationPathCertificates>
        <sr:Certificate>{CERTIFICATE}</sr:Certificate>
      </sr:CertificationPathCertificates>
      <sr:ApplyTimeBasedCPVChecks>true</sr:ApplyTimeBasedCPVChecks>
    </sr:ServiceOptOut>"""
    return request_xml("8.5", body, request_id=f"{SUPPLIER_A}:{ESME}:{counter}", cv=1)


def _opt_in_xml(counter: int, *, date: str = "2026-02-01", mpxn: str = EXAMPLE_MPAN) -> bytes:
    body = f"""<sr:ServiceOptIn>
      <sr:DeviceID>{ESME}</sr:DeviceID>
      <sr:DeviceType>ESME</sr:DeviceType>
      <sr:MPxNs><sr:ImportMPxN>{mpxn}</sr:ImportMPxN></sr:MPxNs>
      <sr:OptInDate>{date}</sr:OptInDate>
    </sr:ServiceOptIn>"""
    return request_xml("8.6", body, request_id=f"{SUPPLIER_A}:{ACB_ID}:{counter}", cv=8)


def _return_xml(counter: int, original: str, response: str = b64(b"device said")) -> bytes:
    original_element = (
        f"<sr:OriginalRequestID>{original}</sr:OriginalRequestID>" if original else ""
    )
    body = f"""<sr:ReturnLocalCommandResponse>{original_element}
      <sr:DeviceGBCSResponse>{response}</sr:DeviceGBCSResponse>
    </sr:ReturnLocalCommandResponse>"""
    return request_xml("8.13", body, request_id=f"{SUPPLIER_A}:{ACB_ID}:{counter}", cv=8)


@pytest.mark.spec("SRV-01", "SRV-02", "SRV-04", "VER-01")
def test_opt_out_then_opt_in_in_duis_xml(schemas: OfficialSchemas) -> None:
    dsp = example_dsp()
    answer = dsp.submit(parse_request(_opt_out_xml(1)).request)
    assert answer.code == "I99"
    [entry] = dsp.pending(SUPPLIER_A)
    for version in VERSIONS:
        document = build_outbox_message(entry.message, version, recipient=SUPPLIER_A)
        schemas.assert_valid(document, version)
        outcome = mmc(document).find(".//ra:ServiceOptOutRsp/ra:ExecutionOutcome", NS)
        assert outcome is not None
        assert texts(outcome, "ra:CredentialsReplacementMode") == ["ACBByACB"]
        assert texts(outcome, "ra:AuthorisingRemotePartyOriginatorCounter") == ["1"]
        assert texts(outcome, "ra:RemotePartySeqNumberChange/ra:RemotePartyFloorSeqNumber") == ["5"]
        assert texts(outcome, "ra:ReplacementOutcome/ra:CertificateType") == ["KeyAgreement"]
        assert texts(outcome, "ra:ReplacementOutcome/ra:StatusCode/ra:ASN1Status") == ["success"]
    assert dsp.device_record(ESME).status is SmiStatus.WITHDRAWN

    answer = dsp.submit(parse_request(_opt_in_xml(2)).request)
    assert answer.code == "I0"
    for version in VERSIONS:
        document = build_sync_answer(answer, version, at=dsp.now())
        schemas.assert_valid(document, version)
        assert text(document, "//sr:DSPOptIn/sr:DeviceID") == ESME
        ka = text(document, "//sr:DSPOptIn/sr:DSPBrokerSecurityCredentialsKeyAgreement")
        ds = text(document, "//sr:DSPOptIn/sr:DSPBrokerSecurityCredentialsDigitalSigning")
        assert base64.b64decode(ka) == acb_certificate(ACB_ID, CertificatePurpose.KEY_AGREEMENT)
        assert base64.b64decode(ds) == acb_certificate(ACB_ID, CertificatePurpose.DIGITAL_SIGNING)
    assert dsp.device_record(ESME).status is SmiStatus.COMMISSIONED


@pytest.mark.spec("SRV-01", "VER-01")
def test_refusals_of_8_6_and_8_13_are_valid_documents(schemas: OfficialSchemas) -> None:
    dsp = example_dsp()
    for document, code in (
        (_opt_in_xml(1), "E080602"),
        (_return_xml(1, f"{SUPPLIER_A}:{ESME}:77"), "E081301"),
    ):
        answer = dsp.submit(parse_request(document).request)
        assert answer.code == code
        for version in VERSIONS:
            schemas.assert_valid(build_sync_answer(answer, version, at=dsp.now()), version)


_BAD_DOCUMENTS = [
    ("Body/ServiceOptOut/ExecutionDateTime", _opt_out_xml(1, when="")),
    ("Body/ServiceOptOut/ACBFloorSeqNumber", _opt_out_xml(1, floor="9223372036854775808")),
    ("Body/ServiceOptOut/ACBFloorSeqNumber", _opt_out_xml(1, floor="-1")),
    ("Body/ServiceOptIn/OptInDate", _opt_in_xml(1, date="2026-02-30")),
    ("Body/ServiceOptIn/OptInDate", _opt_in_xml(1, date="01/02/2026")),
    ("Body/ServiceOptIn/MPxNs/ImportMPxN", _opt_in_xml(1, mpxn="12345678901234")),
    ("Body/ReturnLocalCommandResponse/OriginalRequestID", _return_xml(1, "not-a-request-id")),
    ("Body/ReturnLocalCommandResponse/DeviceGBCSResponse", _return_xml(1, "", response="*")),
    ("Body/ReturnLocalCommandResponse/DeviceGBCSResponse", _return_xml(1, "", response="")),
]


@pytest.mark.spec("BAD-01")
@pytest.mark.parametrize(
    ("element", "document"), _BAD_DOCUMENTS, ids=[str(i) for i in range(len(_BAD_DOCUMENTS))]
)
def test_a_malformed_body_names_its_element_and_changes_nothing(
    element: str, document: bytes
) -> None:
    dsp = example_dsp()
    before = fingerprint(dsp)
    with pytest.raises(InvalidField) as raised:
        dsp.submit(parse_request(document).request)
    assert raised.value.field.startswith(element), raised.value
    assert fingerprint(dsp) == before
