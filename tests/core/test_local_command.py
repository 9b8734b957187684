"""8.13 Return Local Command Response (server/core/services/local_command.py): the DSP keeps the
local commands it issues (CV 2, CV 6) and processes a returned response as it would the device's
remote one — the device's ServiceResponse is delivered, and a CS06 11.3's runs FW-* processing.
A response to no command issued to that user, a second return, or a GBCS header that does not
match is refused with 8.13's codes; malformed input is InvalidField; none changes anything."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.fingerprint import fingerprint
from dccsim.server.core.local_commands import MAX_ISSUED, LocalCommands
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.messages import (
    FirmwareActivation,
    FirmwareVersionRead,
    LocalCommand,
    ServiceResponse,
    SyncAnswer,
)
from dccsim.server.core.requests import (
    ActivateFirmware,
    ReadFirmwareVersion,
    RequestId,
    ServiceRequest,
    SignedPreCommand,
)
from dccsim.server.core.services.local_command import (
    ReturnLocalCommandResponse,
    read_gbcs_header,
)
from dccsim.server.duis.parse import parse_request
from tests.conftest import (
    ESME,
    EXAMPLE_FIRMWARE,
    EXAMPLE_NEW_FIRMWARE,
    NETWORK_OPERATOR,
    NEW_IMAGE_HASH,
    RTDS_DIR,
    SUPPLIER_A,
    SUPPLIER_B,
    Sim,
)
from tests.duis.documents import template_document

OPAQUE = b"response read off the device by the hand-held terminal"
CS06_TEMPLATE = RTDS_DIR / "8.13_RETURN_LOCAL_COMMAND_RESPONSE_CS06_REQUEST_DUIS.XML"


def _gbcs_response(
    counter: int, device: str = ESME, user: str = SUPPLIER_A, cra: int = 0x02
) -> bytes:
    """A General-Signing APDU's header (as the RTDS CS06 response begins), then some content."""

    def title(eui: str) -> bytes:
        return bytes([8]) + bytes.fromhex(eui.replace("-", ""))

    transaction = bytes([9, cra]) + counter.to_bytes(8, "big")
    return bytes([0xDF]) + transaction + title(device) + title(user) + b"\x00\x02\x00\x12content"


def _return(sim: Sim, body: ReturnLocalCommandResponse, user: str = SUPPLIER_A) -> SyncAnswer:
    return sim.send("8.13", body, target=sim.acb, cv=CommandVariant.NON_DEVICE, user=user)


def _local_read(sim: Sim, user: str = SUPPLIER_A) -> ServiceRequest:
    request = sim.request(
        "11.2", ReadFirmwareVersion(), target=ESME, cv=CommandVariant.NON_CRITICAL_LOCAL, user=user
    )
    answer = sim.dsp.submit(request)
    assert answer.code is ResponseCode.I0 and isinstance(answer.body, LocalCommand)
    return request


def _local_activation(sim: Sim, request_id: RequestId | None = None) -> RequestId:
    """CS06 delivered locally: the image distributed, then CV 4 and the signed CV 6."""
    assert sim.distribute(ESME).code is ResponseCode.I99
    first = sim.request(
        "11.3",
        ActivateFirmware(NEW_IMAGE_HASH),
        target=ESME,
        cv=CommandVariant.CRITICAL_TRANSFORM,
    )
    if request_id is not None:
        first = replace(first, request_id=request_id)
    pre = sim.dsp.submit(first)
    assert pre.body is not None
    signed = ServiceRequest(
        first.request_id,
        "11.3",
        CommandVariant.CRITICAL_SIGNED_LOCAL,
        SignedPreCommand(pre.body.payload),
    )
    answer = sim.dsp.submit(signed)
    assert isinstance(answer.body, LocalCommand)
    return first.request_id


def _responses(sim: Sim, rid: RequestId) -> list[ServiceResponse]:
    return [m for m in sim.messages() if isinstance(m, ServiceResponse) and m.request_id == rid]


@pytest.mark.spec("SRV-04")
def test_a_local_command_is_recorded_and_not_executed_until_its_response_returns(
    sim: Sim,
) -> None:
    request = _local_read(sim)
    issued = sim.dsp.state.local_commands.get(request.request_id)
    assert issued is not None and issued.request == request and not issued.returned
    assert _responses(sim, request.request_id) == []


@pytest.mark.spec("SRV-04", "REQ-03")
def test_a_returned_response_is_processed_as_the_remote_one_would_be(sim: Sim) -> None:
    request = _local_read(sim)
    body = ReturnLocalCommandResponse(OPAQUE, request.request_id)
    assert _return(sim, body).code is ResponseCode.I99
    [response] = _responses(sim, request.request_id)
    assert response.code is ResponseCode.I0
    assert response.body == FirmwareVersionRead(EXAMPLE_FIRMWARE)
    issued = sim.dsp.state.local_commands.get(request.request_id)
    assert issued is not None and issued.returned


@pytest.mark.spec("SRV-04", "FW-02", "FW-09")
def test_a_returned_cs06_activation_runs_firmware_response_processing(sim: Sim) -> None:
    rid = _local_activation(sim)
    assert sim.dsp.device(ESME).running_version == EXAMPLE_FIRMWARE  # not delivered yet
    # No OriginalRequestID: the GBCS header names the command.
    assert _return(sim, ReturnLocalCommandResponse(_gbcs_response(rid.counter))).code == "I99"
    [response] = _responses(sim, rid)
    assert isinstance(response.body, FirmwareActivation)
    assert response.body.firmware_version == EXAMPLE_NEW_FIRMWARE
    assert sim.dsp.device(ESME).running_version == EXAMPLE_NEW_FIRMWARE
    assert sim.record(ESME).firmware_version == EXAMPLE_NEW_FIRMWARE  # FW-02 ran


@pytest.mark.spec("SRV-01", "SRV-04")
def test_the_rtds_cs06_template_answers_the_local_command_it_names(sim: Sim) -> None:
    if not CS06_TEMPLATE.is_file():
        pytest.skip("DCC's RTDS is not in ../shared")
    request = parse_request(template_document(CS06_TEMPLATE)).request
    assert request.srv == "8.13"
    before = fingerprint(sim.dsp)
    assert sim.dsp.submit(request).code is ResponseCode.E081301  # none issued yet
    assert fingerprint(sim.dsp) == before
    # The template's GBCS header: counter 1000 from the ESME to Supplier A.
    rid = _local_activation(sim, RequestId(SUPPLIER_A, ESME, 1000))
    assert sim.dsp.submit(request).code is ResponseCode.I99
    [response] = _responses(sim, rid)
    assert isinstance(response.body, FirmwareActivation)
    assert sim.record(ESME).firmware_version == EXAMPLE_NEW_FIRMWARE


def test_the_gbcs_header_is_read_from_the_rtds_response() -> None:
    header = read_gbcs_header(_gbcs_response(1000))
    assert header is not None
    assert (header.cra_flag, header.counter, header.originator, header.recipient) == (
        2,
        1000,
        ESME,
        SUPPLIER_A,
    )
    assert read_gbcs_header(b"\xdf\x09\x02") is None
    assert read_gbcs_header(OPAQUE) is None


def _refusal_cases(sim: Sim) -> list[tuple[ResponseCode, ReturnLocalCommandResponse, str]]:
    request = _local_read(sim)
    rid = request.request_id
    returned = ReturnLocalCommandResponse
    gbcs = _gbcs_response
    counter = rid.counter
    a, b = SUPPLIER_A, SUPPLIER_B
    return [
        # Never issued, or issued to another user.
        (ResponseCode.E081301, returned(OPAQUE, replace(rid, counter=9)), a),
        (ResponseCode.E081301, returned(OPAQUE, rid), b),
        # No OriginalRequestID and nothing to find the command by.
        (ResponseCode.E081301, returned(OPAQUE), a),
        # A GBCS header that answers another command, is not a response, or cannot be read.
        (ResponseCode.E081302, returned(gbcs(counter + 1), rid), a),
        (ResponseCode.E081302, returned(gbcs(counter, cra=3), rid), a),
        (ResponseCode.E081302, returned(gbcs(counter, device=SUPPLIER_B), rid), a),
        (ResponseCode.E081302, returned(b"\xdd\x09\x02\x00", rid), a),
    ]


@pytest.mark.spec("SRV-04", "BAD-01")
@pytest.mark.parametrize("case", range(7))
def test_a_response_that_answers_no_issued_command_is_refused_and_changes_nothing(
    sim: Sim, case: int
) -> None:
    code, body, user = _refusal_cases(sim)[case]
    before = fingerprint(sim.dsp)
    assert _return(sim, body, user=user).code is code
    assert fingerprint(sim.dsp) == before  # nothing executed, nothing delivered, no counter


@pytest.mark.spec("SRV-04", "BAD-01")
def test_a_second_return_of_the_same_response_is_refused(sim: Sim) -> None:
    request = _local_read(sim)
    body = ReturnLocalCommandResponse(OPAQUE, request.request_id)
    _return(sim, body)
    before = fingerprint(sim.dsp)
    assert _return(sim, body).code is ResponseCode.E081303
    assert fingerprint(sim.dsp) == before
    assert len(_responses(sim, request.request_id)) == 1


_BAD_RETURNS = [
    ("body.device_response", ReturnLocalCommandResponse(b"")),
    ("body.device_response", ReturnLocalCommandResponse(b"x" * 65_537)),
    ("body.device_response", ReturnLocalCommandResponse("text")),  # type: ignore[arg-type]
    ("body.original_request_id", ReturnLocalCommandResponse(OPAQUE, "a:b:1")),  # type: ignore[arg-type]
    (
        "body.original_request_id.originator",
        ReturnLocalCommandResponse(OPAQUE, RequestId("nope", ESME, 1)),
    ),
    (
        "body.original_request_id.counter",
        ReturnLocalCommandResponse(OPAQUE, RequestId(SUPPLIER_A, ESME, 2**64)),
    ),
]


@pytest.mark.spec("BAD-01")
@pytest.mark.parametrize(("field", "body"), _BAD_RETURNS, ids=[f"{i}" for i in range(6)])
def test_a_malformed_return_names_its_field_and_changes_nothing(
    sim: Sim, field: str, body: ReturnLocalCommandResponse
) -> None:
    _local_read(sim)
    before = fingerprint(sim.dsp)
    with pytest.raises(InvalidField) as raised:
        _return(sim, body)
    assert raised.value.field == field
    assert fingerprint(sim.dsp) == before


@pytest.mark.spec("AUTH-02")
def test_only_import_and_gas_suppliers_return_local_command_responses(sim: Sim) -> None:
    body = ReturnLocalCommandResponse(OPAQUE, RequestId(NETWORK_OPERATOR, ESME, 1))
    assert _return(sim, body, user=NETWORK_OPERATOR).code is ResponseCode.E2


@pytest.mark.spec("SEC-04")
def test_the_record_of_issued_local_commands_is_bounded(sim: Sim) -> None:
    commands = LocalCommands()
    request = _local_read(sim)
    for counter in range(MAX_ISSUED + 5):
        commands.issue(
            replace(request, request_id=replace(request.request_id, counter=counter)),
            b"",
            sim.dsp.now(),
        )
    assert len(commands) == MAX_ISSUED
    assert commands.get(replace(request.request_id, counter=0)) is None  # the oldest forgotten
    assert commands.get(replace(request.request_id, counter=MAX_ISSUED + 4)) is not None
