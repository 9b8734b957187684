"""The typed API's 8.5, 8.6 and 8.13: each message converts to its core body, and the answers
(OptInCredentials, the ServiceOptOutOutcome delivery) come back filled."""

from __future__ import annotations

import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from dccsim.server.core.errors import InvalidField
from dccsim.server.core.records import SmiStatus
from dccsim.server.core.services.local_command import ReturnLocalCommandResponse
from dccsim.server.core.services.service_opt import (
    CertificatePurpose,
    ServiceOptIn,
    ServiceOptOut,
    acb_certificate,
)
from dccsim.server.rpc import convert
from dccsim.v1 import local_command_pb2, service_opt_pb2, supplier_pb2, types_pb2
from tests.conftest import ESME, SUPPLIER_A, example_dsp

_ACB = "90-B3-D5-1F-30-00-00-02"


def _submit(counter: int, srv: str, target: str, cv: int) -> supplier_pb2.SubmitRequest:
    return supplier_pb2.SubmitRequest(
        request_id=f"{SUPPLIER_A}:{target}:{counter}",
        service_reference_variant=srv,
        command_variant=cv,
    )


@pytest.mark.spec("SRV-01", "SRV-04")
def test_opt_out_opt_in_and_return_convert_and_answer() -> None:
    dsp = example_dsp()
    opt_out = _submit(1, "8.5", ESME, 1)
    # 2015-01-15, as RTDS: past, so it runs at once (and after the registration began)
    opt_out.execution_datetime.CopyFrom(Timestamp(seconds=1_421_280_000))
    opt_out.service_opt_out.CopyFrom(
        service_opt_pb2.ServiceOptOut(
            acb_floor_sequence_number=3,
            key_agreement_certificate=b"ka",
            certification_path=[b"ca"],
            apply_time_based_cpv_checks=True,
        )
    )
    request = convert.service_request(opt_out)
    assert request.body == ServiceOptOut(3, b"ka", (b"ca",), True, None)
    assert dsp.submit(request).code == "I99"
    (entry,) = dsp.pending(SUPPLIER_A)
    outcome = convert.delivery(entry).service_response.service_opt_out_outcome
    assert outcome.floor_sequence_number == 3 and outcome.authorising_counter == 1
    assert [r.certificate_type for r in outcome.replacements] == ["KeyAgreement"]

    opt_in = _submit(2, "8.6", _ACB, 8)
    opt_in.service_opt_in.CopyFrom(
        service_opt_pb2.ServiceOptIn(
            device_id=ESME,
            device_type=types_pb2.DEVICE_TYPE_ESME,
            import_mpxn=dsp.device_record(ESME).mpxn,
            opt_in_date="2026-02-01",
        )
    )
    request = convert.service_request(opt_in)
    assert isinstance(request.body, ServiceOptIn)
    response = convert.submit_response(dsp.submit(request))
    assert response.response_code == "I0"
    credentials = response.opt_in_credentials
    assert credentials.device_id == ESME
    assert credentials.key_agreement_certificate == acb_certificate(
        _ACB, CertificatePurpose.KEY_AGREEMENT
    )
    assert dsp.device_record(ESME).status is SmiStatus.COMMISSIONED

    returned = _submit(3, "8.13", _ACB, 8)
    returned.return_local_command_response.CopyFrom(
        local_command_pb2.ReturnLocalCommandResponse(
            original_request_id=f"{SUPPLIER_A}:{ESME}:9", device_response=b"\x01"
        )
    )
    request = convert.service_request(returned)
    assert isinstance(request.body, ReturnLocalCommandResponse)
    assert request.body.original_request_id is not None
    assert convert.submit_response(dsp.submit(request)).response_code == "E081301"


@pytest.mark.spec("BAD-01")
def test_a_bad_opt_in_date_names_its_field() -> None:
    opt_in = _submit(1, "8.6", _ACB, 8)
    opt_in.service_opt_in.CopyFrom(
        service_opt_pb2.ServiceOptIn(
            device_id=ESME, device_type=types_pb2.DEVICE_TYPE_ESME, opt_in_date="2026-13-01"
        )
    )
    with pytest.raises(InvalidField) as raised:
        convert.service_request(opt_in)
    assert raised.value.field == "body.opt_in_date"
