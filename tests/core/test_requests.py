"""Request identity and lifecycle (SPEC §1): RequestIDs, counters, acknowledgements, the
two-leg critical flow, E11/E12 and future-dated requests on the virtual clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from dccsim.devices.codes import AlertCode, MessageCode
from dccsim.devices.firmware import ActivateImageResponseCode
from dccsim.devices.kinds import DeviceType, SmetsVersion
from dccsim.server.core.clock import DEFAULT_START, VirtualClock
from dccsim.server.core.codes import REPLAYED_COUNTER, ResponseCode
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.eui import canonical_eui64
from dccsim.server.core.journal import EventKind
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.messages import (
    DeviceAlertMessage,
    FirmwareActivation,
    FirmwareVersionRead,
    InventoryResult,
    PreCommand,
    ServiceResponse,
    UpdateFirmwareWarnings,
    WanMatrixResult,
)
from dccsim.server.core.records import SmiRecord, SmiStatus
from dccsim.server.core.requests import (
    CANCELLATION_DATETIME,
    MAX_COUNTER,
    ActivateFirmware,
    CommissionDevice,
    ReadFirmwareVersion,
    ReadInventory,
    RequestId,
    RequestWanMatrix,
    ServiceRequest,
    SignedPreCommand,
    StatusChange,
    TopUpDevice,
    UpdateFirmware,
    UpdateInventory,
    UpdateSecurityCredentialsCoS,
)
from tests.conftest import (
    CHF,
    ESME,
    EXAMPLE_FIRMWARE,
    EXAMPLE_MANUFACTURER,
    EXAMPLE_NEW_FIRMWARE,
    GPF,
    GSME,
    HCALCS,
    NETWORK_OPERATOR,
    NEW_IMAGE,
    NEW_IMAGE_HASH,
    PPMID,
    SUPPLIER_A,
    SUPPLIER_B,
    Sim,
    example_model,
    make_sim,
)

CV = CommandVariant
UTRN = "12345678901234567890"


def _responses(sim: Sim, user: str = SUPPLIER_A, srv: str | None = None) -> list[ServiceResponse]:
    return [
        m
        for m in sim.messages(user)
        if isinstance(m, ServiceResponse) and (srv is None or m.srv == srv)
    ]


def _accepted(sim: Sim) -> list[str]:
    return [e.details["request"] for e in sim.dsp.journal.events(EventKind.REQUEST)]


def _device_commands(sim: Sim) -> list[str]:
    """The SRVs sent to devices (11.1's image distribution is journalled without an SRV)."""
    events = sim.dsp.journal.events(EventKind.DEVICE_COMMAND)
    return [e.details["srv"] for e in events if "srv" in e.details]


def _read(sim: Sim, counter: int, *, user: str = SUPPLIER_A, target: str = ESME):
    request = ServiceRequest(RequestId(user, target, counter), "11.2", CV(1), ReadFirmwareVersion())
    return sim.dsp.submit(request)


# -- REQ-01 -------------------------------------------------------------------------------------


@pytest.mark.spec("REQ-01")
def test_request_id_parses_two_euis_and_a_counter() -> None:
    rid = RequestId.parse(f"{SUPPLIER_A}:{ESME}:42")

    assert rid == RequestId(SUPPLIER_A, ESME, 42)
    assert str(rid) == f"{SUPPLIER_A}:{ESME}:42"


@pytest.mark.spec("REQ-01")
def test_request_id_accepts_either_case_and_canonicalises_to_upper_case() -> None:
    rid = RequestId.parse("90-b3-d5-1f-30-01-00-00:00-db-12-34-56-78-90-a0:7")

    assert rid == RequestId(SUPPLIER_A, ESME, 7)


@pytest.mark.spec("REQ-01")
@pytest.mark.parametrize("counter", [0, 1, MAX_COUNTER])
def test_request_id_counter_spans_the_unsigned_64_bit_range(counter: int) -> None:
    assert RequestId.parse(f"{SUPPLIER_A}:{ESME}:{counter}").counter == counter


@pytest.mark.spec("REQ-01")
@pytest.mark.parametrize(
    ("text", "field"),
    [
        (None, "request_id"),
        (b"90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:1", "request_id"),
        (42, "request_id"),
        ("", "request_id"),
        (f"{SUPPLIER_A}:{ESME}", "request_id"),
        (f"{SUPPLIER_A}:{ESME}:1:2", "request_id"),
        (f"{SUPPLIER_A}-{ESME}-1", "request_id"),
        (f"90-B3-D5-1F-30-01-00:{ESME}:1", "request_id.originator"),
        (f"90B3D51F30010000:{ESME}:1", "request_id.originator"),
        (f"90:B3:D5:1F:30:01:00:00;{ESME};1", "request_id"),
        (f"ZZ-B3-D5-1F-30-01-00-00:{ESME}:1", "request_id.originator"),
        (f" {SUPPLIER_A}:{ESME}:1", "request_id.originator"),
        (f"{SUPPLIER_A}:00-DB-12-34-56-78-90-A0-00:1", "request_id.target"),
        (f"{SUPPLIER_A}::1", "request_id.target"),
        (f"{SUPPLIER_A}:{ESME}:", "request_id.counter"),
        (f"{SUPPLIER_A}:{ESME}:-1", "request_id.counter"),
        (f"{SUPPLIER_A}:{ESME}:+1", "request_id.counter"),
        (f"{SUPPLIER_A}:{ESME}:1.0", "request_id.counter"),
        (f"{SUPPLIER_A}:{ESME}:0x10", "request_id.counter"),
        (f"{SUPPLIER_A}:{ESME}: 1", "request_id.counter"),
        (f"{SUPPLIER_A}:{ESME}:{MAX_COUNTER + 1}", "request_id.counter"),
        (f"{SUPPLIER_A}:{ESME}:{'9' * 5000}", "request_id.counter"),
    ],
)
def test_malformed_request_id_is_rejected_naming_the_field(text: object, field: str) -> None:
    with pytest.raises(InvalidField) as caught:
        RequestId.parse(text)

    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")


@pytest.mark.spec("REQ-01")
def test_request_id_parsing_remembers_only_valid_euis() -> None:
    """EUIs a run keeps using are remembered; a malformed one is refused every time it comes,
    and the same text in either case gives the same canonical EUI."""
    for _ in range(2):
        with pytest.raises(InvalidField):
            RequestId.parse(f"{SUPPLIER_A}:00-db-12-34-56-78-90-zz:1")
        assert RequestId.parse(f"{SUPPLIER_A.lower()}:{ESME.lower()}:1").originator == SUPPLIER_A
        assert canonical_eui64(ESME.lower(), "device_id") == ESME
        with pytest.raises(InvalidField, match="device_id"):
            canonical_eui64(ESME.lower() + "-00", "device_id")


@pytest.mark.spec("REQ-01")
def test_request_id_parse_names_the_caller_s_field() -> None:
    with pytest.raises(InvalidField) as caught:
        RequestId.parse(f"{SUPPLIER_A}:nope:1", field="header.request_id")

    assert caught.value.field == "header.request_id.target"
    assert "nope" in caught.value.reason


@pytest.mark.spec("REQ-01")
def test_malformed_request_id_queues_nothing(sim: Sim) -> None:
    outboxes = sim.dsp.state.outboxes.snapshot()
    with pytest.raises(InvalidField):
        RequestId.parse(f"{SUPPLIER_A}:{ESME}:-5")

    assert sim.dsp.state.outboxes.snapshot() == outboxes
    assert len(sim.dsp.state.scheduler) == 0
    assert _accepted(sim) == []
    # The pair's counter is untouched: the lowest counter is still accepted.
    assert _read(sim, 0).code is ResponseCode.I99


@pytest.mark.spec("REQ-01", "REQ-02")
@pytest.mark.parametrize(
    ("originator", "target", "counter", "field"),
    [
        (SUPPLIER_A, ESME, MAX_COUNTER + 1, "request_id.counter"),
        (SUPPLIER_A, ESME, -1, "request_id.counter"),
        (SUPPLIER_A, ESME, True, "request_id.counter"),
        (SUPPLIER_A, ESME, "7", "request_id.counter"),
        ("90-B3-D5-1F-30-01-00", ESME, 7, "request_id.originator"),
        (None, ESME, 7, "request_id.originator"),
        (SUPPLIER_A, "00:DB:12:34:56:78:90:A0", 7, "request_id.target"),
    ],
    ids=[
        "counter-above-64-bits",
        "negative-counter",
        "bool-counter",
        "text-counter",
        "short-originator",
        "no-originator",
        "target-with-colons",
    ],
)
def test_typed_request_with_a_malformed_request_id_is_rejected(
    sim: Sim, originator: object, target: object, counter: object, field: str
) -> None:
    """A RequestId built in code skips RequestId.parse; submit must check it all the same."""
    request = ServiceRequest(
        RequestId(originator, target, counter),  # type: ignore[arg-type]
        "11.2",
        CV(1),
        ReadFirmwareVersion(),
    )

    with pytest.raises(InvalidField) as caught:
        sim.dsp.submit(request)

    assert caught.value.field == field
    assert _accepted(sim) == []
    assert _responses(sim) == []
    # Nothing consumed: the pair still takes any counter, even the largest.
    assert _read(sim, MAX_COUNTER).code is ResponseCode.I99


@pytest.mark.spec("REQ-01")
def test_typed_request_with_lower_case_euis_is_served_in_canonical_form(sim: Sim) -> None:
    answer = _read(sim, 1, user=SUPPLIER_A.lower(), target=ESME.lower())

    assert answer.code is ResponseCode.I99
    assert answer.request_id == RequestId(SUPPLIER_A, ESME, 1)
    [response] = _responses(sim)
    assert response.response_id == f"{ESME}:{SUPPLIER_A}:1"
    # The counter is kept for the canonical pair: the same counter in upper case is a replay.
    assert _read(sim, 1).code is ResponseCode.E1000


# -- REQ-02 -------------------------------------------------------------------------------------


@pytest.mark.spec("REQ-02")
def test_counter_must_strictly_increase_per_originator_and_target(sim: Sim) -> None:
    assert _read(sim, 10).code is ResponseCode.I99
    assert _read(sim, 11).code is ResponseCode.I99
    assert _read(sim, 100).code is ResponseCode.I99


@pytest.mark.spec("REQ-02")
@pytest.mark.parametrize("counter", [10, 9, 0])
def test_repeated_or_lower_counter_is_answered_e1000_and_changes_nothing(
    sim: Sim, counter: int
) -> None:
    assert _read(sim, 10).code is ResponseCode.I99
    outboxes = sim.dsp.state.outboxes.snapshot()
    accepted = _accepted(sim)
    commands = _device_commands(sim)

    answer = _read(sim, counter)

    assert REPLAYED_COUNTER is ResponseCode.E1000
    assert answer.code is ResponseCode.E1000
    assert answer.request_id == RequestId(SUPPLIER_A, ESME, counter)
    assert "10" in answer.detail
    assert sim.dsp.state.outboxes.snapshot() == outboxes
    assert _accepted(sim) == accepted
    assert _device_commands(sim) == commands
    # The last accepted counter is still 10, not the replayed one.
    assert _read(sim, 10).code is ResponseCode.E1000
    assert _read(sim, 11).code is ResponseCode.I99


@pytest.mark.spec("REQ-02")
def test_counters_are_kept_per_originator_and_target_pair(sim: Sim) -> None:
    assert _read(sim, 50).code is ResponseCode.I99

    assert _read(sim, 5, target=GSME).code is ResponseCode.I99
    assert _read(sim, 5, user=NETWORK_OPERATOR).code is ResponseCode.I99
    assert _read(sim, 5).code is ResponseCode.E1000


@pytest.mark.spec("REQ-02")
def test_rejected_request_does_not_consume_its_counter(sim: Sim) -> None:
    record = sim.record(ESME)
    sim.dsp.state.smi.put(replace(record, status=SmiStatus.DECOMMISSIONED))
    assert _read(sim, 20).code is ResponseCode.E5

    sim.dsp.state.smi.put(record)

    assert _read(sim, 20).code is ResponseCode.I99


@pytest.mark.spec("REQ-02")
def test_relaxed_counters_accept_a_replay() -> None:
    sim = make_sim(strict_counters=False)
    assert _read(sim, 10).code is ResponseCode.I99

    assert _read(sim, 10).code is ResponseCode.I99
    assert _read(sim, 3).code is ResponseCode.I99
    assert [r.request_id.counter for r in _responses(sim, srv="11.2")] == [10, 10, 3]


# -- REQ-03 -------------------------------------------------------------------------------------


@pytest.mark.spec("REQ-03")
def test_device_sr_is_acknowledged_i99_then_answered_i0_asynchronously(sim: Sim) -> None:
    request = sim.request("11.2", ReadFirmwareVersion(), target=ESME)

    answer = sim.dsp.submit(request)

    assert answer.code is ResponseCode.I99
    assert answer.request_id == request.request_id
    assert answer.body is None
    [response] = _responses(sim)
    assert response.code is ResponseCode.I0
    assert response.request_id == request.request_id
    assert response.srv == "11.2"
    assert response.device_id == ESME
    assert response.response_id == f"{ESME}:{SUPPLIER_A}:{request.request_id.counter}"
    assert response.body == FirmwareVersionRead(EXAMPLE_FIRMWARE)


@pytest.mark.spec("REQ-03")
def test_async_response_goes_to_the_originator_only(sim: Sim) -> None:
    answer = sim.read_firmware(GSME, user=NETWORK_OPERATOR)

    assert answer.code is ResponseCode.I99
    [response] = _responses(sim, NETWORK_OPERATOR)
    assert response.response_id == f"{GSME}:{NETWORK_OPERATOR}:{answer.request_id.counter}"
    assert _responses(sim, SUPPLIER_A) == []


@pytest.mark.spec("REQ-03")
def test_non_critical_top_up_reaches_the_device_and_answers_i0(sim: Sim) -> None:
    answer = sim.send("2.2", TopUpDevice(UTRN), target=ESME)

    assert answer.code is ResponseCode.I99
    assert sim.dsp.device(ESME).top_ups == [UTRN]
    [response] = _responses(sim, srv="2.2")
    assert (response.code, response.body) == (ResponseCode.I0, None)
    assert response.response_id == f"{ESME}:{SUPPLIER_A}:{answer.request_id.counter}"


@pytest.mark.spec("REQ-03", "REQ-05")
def test_signed_critical_sr_is_acknowledged_i99_with_the_cv4_request_id(sim: Sim) -> None:
    sim.distribute(ESME)

    answer = sim.activate(ESME)

    assert answer.code is ResponseCode.I99
    [response] = _responses(sim, srv="11.3")
    assert response.request_id == answer.request_id
    assert response.response_id == f"{ESME}:{SUPPLIER_A}:{answer.request_id.counter}"
    assert response.body == FirmwareActivation(
        ActivateImageResponseCode.SUCCESS, EXAMPLE_NEW_FIRMWARE
    )


# -- REQ-04 -------------------------------------------------------------------------------------


@pytest.mark.spec("REQ-04")
def test_read_inventory_is_answered_synchronously(sim: Sim) -> None:
    answer = sim.send("8.2", ReadInventory(device_id=ESME), target=sim.acb, cv=CV(8))

    assert answer.code is ResponseCode.I0
    assert isinstance(answer.body, InventoryResult)
    assert [r.device_id for r in answer.body.devices] == [ESME]
    assert answer.body.cpl_status == ("Active",)
    assert _responses(sim) == []
    assert _device_commands(sim) == []


@pytest.mark.spec("REQ-04")
def test_update_inventory_is_answered_synchronously(sim: Sim) -> None:
    pending = "00-DB-12-34-56-78-90-B0"
    sim.dsp.add_device(
        SmiRecord(
            pending,
            DeviceType.ESME,
            SmetsVersion.SMETS2,
            EXAMPLE_MANUFACTURER,
            example_model(DeviceType.ESME),
            EXAMPLE_FIRMWARE,
            SmiStatus.PENDING,
            mpxn="1100000000001",
            added_by=SUPPLIER_A,
        )
    )
    change = UpdateInventory(pending, StatusChange(SmiStatus.INSTALLED_NOT_COMMISSIONED))

    answer = sim.send("8.4", change, target=sim.acb, cv=CV(8))

    assert answer.code is ResponseCode.I99
    assert sim.record(pending).status is SmiStatus.INSTALLED_NOT_COMMISSIONED
    assert _responses(sim) == []


@pytest.mark.spec("REQ-04")
def test_update_firmware_is_answered_synchronously_with_its_warnings(sim: Sim) -> None:
    unknown = "00-DB-12-34-56-78-90-FF"

    answer = sim.distribute(ESME, unknown)

    assert answer.code is ResponseCode.W110101
    assert answer.body == UpdateFirmwareWarnings(invalid_device_ids=(unknown,))
    assert _responses(sim) == []
    assert sim.dsp.device(ESME).firmware.held_image is not None


@pytest.mark.spec("REQ-04")
def test_wan_matrix_is_answered_synchronously(sim: Sim) -> None:
    answer = sim.send(
        "12.1",
        RequestWanMatrix(postcode="EH1 1AA", address_identifier="1"),
        target=sim.acb,
        cv=CV(8),
    )

    assert answer.code is ResponseCode.I0
    assert isinstance(answer.body, WanMatrixResult)
    assert [c.csp_region for c in answer.body.coverage] == ["North"]
    assert _responses(sim) == []


# -- REQ-05 -------------------------------------------------------------------------------------


def _cv4(sim: Sim, srv: str = "11.3", body: object = None, target: str = ESME, **extra: object):
    request = sim.request(
        srv, body or ActivateFirmware(NEW_IMAGE_HASH), target=target, cv=CV(4), **extra
    )
    return request, sim.dsp.submit(request)


def _signed(
    request: ServiceRequest, payload: bytes, cv: CommandVariant = CV.CRITICAL_SIGNED_REMOTE
) -> ServiceRequest:
    return ServiceRequest(request.request_id, request.srv, cv, SignedPreCommand(payload))


@pytest.mark.spec("REQ-05")
def test_cv4_returns_a_pre_command_and_executes_nothing(sim: Sim) -> None:
    sim.distribute(ESME)
    outboxes = sim.dsp.state.outboxes.snapshot()

    request, answer = _cv4(sim)

    assert answer.code is ResponseCode.I0
    assert isinstance(answer.body, PreCommand)
    assert answer.body.gbcs_version == "4.0"
    assert answer.body.payload.startswith(b"DCCSIM-GBCS/11.3/")
    assert answer.request_id == request.request_id
    assert "11.3" not in _device_commands(sim)
    assert sim.dsp.device(ESME).running_version == EXAMPLE_FIRMWARE
    assert sim.dsp.state.outboxes.snapshot() == outboxes


@pytest.mark.spec("REQ-05")
def test_cv5_signed_pre_command_executes_the_request(sim: Sim) -> None:
    sim.distribute(ESME)
    request, pre = _cv4(sim)

    answer = sim.dsp.submit(_signed(request, pre.body.payload))

    assert answer.code is ResponseCode.I99
    assert _device_commands(sim) == ["11.3"]
    assert sim.dsp.device(ESME).running_version == EXAMPLE_NEW_FIRMWARE
    assert sim.record(ESME).firmware_version == EXAMPLE_NEW_FIRMWARE


@pytest.mark.spec("REQ-05")
def test_commission_device_runs_through_the_two_leg_flow(sim: Sim) -> None:
    sim.dsp.state.smi.put(replace(sim.record(ESME), status=SmiStatus.INSTALLED_NOT_COMMISSIONED))

    answer = sim.send_critical("8.1.1", CommissionDevice(), target=ESME)

    assert answer.code is ResponseCode.I99
    assert sim.dsp.device(ESME).clock_set is True
    assert sim.record(ESME).status is SmiStatus.COMMISSIONED
    assert sim.record(ESME).date_commissioned == DEFAULT_START.date()


@pytest.mark.spec("REQ-05")
def test_pre_command_with_a_wrong_payload_is_invalid_and_stays_usable(sim: Sim) -> None:
    sim.distribute(ESME)
    request, pre = _cv4(sim)

    with pytest.raises(InvalidField) as caught:
        sim.dsp.submit(_signed(request, pre.body.payload + b"tampered"))

    assert caught.value.field == "body.payload"
    assert "11.3" not in _device_commands(sim)
    assert sim.dsp.device(ESME).running_version == EXAMPLE_FIRMWARE
    assert sim.dsp.submit(_signed(request, pre.body.payload)).code is ResponseCode.I99


@pytest.mark.spec("REQ-05")
def test_empty_signed_payload_is_invalid(sim: Sim) -> None:
    request, _ = _cv4(sim)

    with pytest.raises(InvalidField) as caught:
        sim.dsp.submit(_signed(request, b""))

    assert caught.value.field == "body.payload"


@pytest.mark.spec("REQ-05")
def test_cv5_without_a_cv4_leg_is_invalid(sim: Sim) -> None:
    request = sim.request("11.3", ActivateFirmware(NEW_IMAGE_HASH), target=ESME, cv=CV(4))

    with pytest.raises(InvalidField) as caught:
        sim.dsp.submit(_signed(request, b"DCCSIM-GBCS/11.3/made-up"))

    assert caught.value.field == "body.payload"
    assert "CV 4" in caught.value.reason
    assert _accepted(sim) == []


@pytest.mark.spec("REQ-05")
def test_pre_command_for_another_request_id_is_invalid(sim: Sim) -> None:
    request, pre = _cv4(sim)
    other = sim.request("11.3", ActivateFirmware(NEW_IMAGE_HASH), target=ESME, cv=CV(4))

    with pytest.raises(InvalidField) as caught:
        sim.dsp.submit(_signed(other, pre.body.payload))

    assert caught.value.field == "body.payload"
    assert "11.3" not in _device_commands(sim)
    assert request.request_id != other.request_id


@pytest.mark.spec("REQ-05")
def test_signed_pre_command_sent_with_cv4_is_invalid(sim: Sim) -> None:
    request, pre = _cv4(sim)

    with pytest.raises(InvalidField) as caught:
        sim.dsp.submit(_signed(request, pre.body.payload, cv=CV(4)))

    assert caught.value.field == "command_variant"


@pytest.mark.spec("REQ-05")
def test_pre_command_cannot_be_executed_twice(sim: Sim) -> None:
    sim.distribute(ESME)
    request, pre = _cv4(sim)
    assert sim.dsp.submit(_signed(request, pre.body.payload)).code is ResponseCode.I99
    outboxes = sim.dsp.state.outboxes.snapshot()

    with pytest.raises(InvalidField) as caught:
        sim.dsp.submit(_signed(request, pre.body.payload))

    assert caught.value.field == "body.payload"
    assert _device_commands(sim) == ["11.3"]
    assert sim.dsp.state.outboxes.snapshot() == outboxes


@pytest.mark.spec("REQ-05")
def test_signed_pre_command_under_another_srv_is_invalid(sim: Sim) -> None:
    sim.distribute(ESME)
    request, pre = _cv4(sim)
    other_srv = ServiceRequest(
        request.request_id, "8.1.1", CV(5), SignedPreCommand(pre.body.payload)
    )

    with pytest.raises(InvalidField) as caught:
        sim.dsp.submit(other_srv)

    assert caught.value.field == "service_reference_variant"
    assert sim.dsp.device(ESME).running_version == EXAMPLE_FIRMWARE


@pytest.mark.spec("REQ-05", "REQ-02")
def test_cv4_consumes_the_counter_so_its_request_id_cannot_be_reused(sim: Sim) -> None:
    request, _ = _cv4(sim)

    again = sim.dsp.submit(
        ServiceRequest(request.request_id, "11.3", CV(4), ActivateFirmware(NEW_IMAGE_HASH))
    )

    assert again.code is ResponseCode.E1000


@pytest.mark.spec("REQ-05", "AUTH-02")
def test_rejected_cv4_issues_no_pre_command(sim: Sim) -> None:
    request, answer = _cv4(sim, user=NETWORK_OPERATOR)

    assert (answer.code, answer.body) == (ResponseCode.E2, None)
    with pytest.raises(InvalidField):
        sim.dsp.submit(_signed(request, b"DCCSIM-GBCS/11.3/guess"))


# -- REQ-06 -------------------------------------------------------------------------------------


@pytest.mark.spec("REQ-06")
@pytest.mark.parametrize(
    ("srv", "body", "cv", "to_acb"),
    [
        ("11.2", ReadFirmwareVersion(), CV(4), False),
        ("11.2", ReadFirmwareVersion(), CV(5), False),
        ("11.2", ReadFirmwareVersion(), CV(8), False),
        ("11.3", ActivateFirmware(NEW_IMAGE_HASH), CV(1), False),
        ("11.3", ActivateFirmware(NEW_IMAGE_HASH), CV(8), False),
        ("2.2", TopUpDevice(UTRN), CV(4), False),
        ("8.1.1", CommissionDevice(), CV(6), False),
        ("8.1.1", CommissionDevice(), CV(7), False),
        ("8.1.1", CommissionDevice(), CV(1), False),
        ("8.2", ReadInventory(device_id=ESME), CV(1), True),
        ("12.1", RequestWanMatrix(uprn=1), CV(5), True),
        (
            "11.1",
            UpdateFirmware(NEW_IMAGE, EXAMPLE_NEW_FIRMWARE, (ESME,)),
            CV(3),
            True,
        ),
    ],
)
def test_wrong_command_variant_is_e12(
    sim: Sim, srv: str, body: object, cv: CommandVariant, to_acb: bool
) -> None:
    answer = sim.send(srv, body, target=sim.acb if to_acb else ESME, cv=cv)

    assert answer.code is ResponseCode.E12
    assert f"SRV {srv} takes Command Variant" in answer.detail
    assert _accepted(sim) == []


@pytest.mark.spec("REQ-06")
@pytest.mark.parametrize("target", [PPMID, GPF])
def test_activate_firmware_to_a_ppmid_or_gpf_is_e11(sim: Sim, target: str) -> None:
    answer = sim.activate(target)

    assert answer.code is ResponseCode.E11
    assert answer.body is None
    assert "11.3" in answer.detail
    assert _accepted(sim) == []


@pytest.mark.spec("REQ-06")
@pytest.mark.parametrize("target", [ESME, GSME, CHF, HCALCS])
def test_activate_firmware_applies_to_esme_gsme_chf_hcalcs(sim: Sim, target: str) -> None:
    _, answer = _cv4(sim, target=target)

    assert answer.code is ResponseCode.I0
    assert isinstance(answer.body, PreCommand)


@pytest.mark.spec("REQ-06")
@pytest.mark.parametrize(
    ("srv", "body", "target"),
    [
        ("2.2", TopUpDevice(UTRN), CHF),
        ("2.2", TopUpDevice(UTRN), PPMID),
        ("6.23", None, HCALCS),
    ],
)
def test_non_critical_sr_for_another_device_type_is_e11(
    sim: Sim, srv: str, body: object, target: str
) -> None:
    body = body or UpdateSecurityCredentialsCoS("1100000000001")

    answer = sim.send(srv, body, target=target)

    assert answer.code is ResponseCode.E11
    assert _accepted(sim) == []


@pytest.mark.spec("REQ-06")
def test_read_firmware_version_to_an_ihd_is_e11(sim: Sim) -> None:
    ihd = "00-DB-12-34-56-78-90-A6"
    sim.dsp.add_device(
        SmiRecord(
            ihd,
            DeviceType.IHD,
            SmetsVersion.SMETS2,
            EXAMPLE_MANUFACTURER,
            "IHD-S2",
            EXAMPLE_FIRMWARE,
            SmiStatus.COMMISSIONED,
            mpxn="1100000000001",
        )
    )

    assert sim.read_firmware(ihd).code is ResponseCode.E11


# -- REQ-07 -------------------------------------------------------------------------------------


@pytest.mark.spec("REQ-07")
def test_future_dated_read_is_held_by_the_dsp_until_its_time(sim: Sim) -> None:
    when = sim.dsp.now() + timedelta(hours=2)

    answer = sim.read_firmware(ESME, execution_datetime=when)

    assert answer.code is ResponseCode.I99
    assert _device_commands(sim) == []
    assert _responses(sim) == []
    assert sim.dsp.state.scheduler.pending() == [(when, f"SRV 11.2 held for {ESME}")]

    assert sim.dsp.advance(timedelta(hours=1, minutes=59)) == 0
    assert _responses(sim) == []

    assert sim.dsp.advance(timedelta(minutes=1)) == 1
    [response] = _responses(sim)
    assert response.request_id == answer.request_id
    assert response.issued_at == when
    assert response.body == FirmwareVersionRead(EXAMPLE_FIRMWARE)
    assert len(sim.dsp.state.scheduler) == 0


@pytest.mark.spec("REQ-07")
def test_advance_runs_due_work_at_its_own_time_in_due_order(sim: Sim) -> None:
    start = sim.dsp.now()
    late = sim.read_firmware(ESME, execution_datetime=start + timedelta(hours=3))
    early = sim.read_firmware(GSME, execution_datetime=start + timedelta(hours=1))

    assert sim.dsp.advance(timedelta(days=1)) == 2

    responses = _responses(sim)
    assert [r.request_id for r in responses] == [early.request_id, late.request_id]
    assert [r.issued_at for r in responses] == [
        start + timedelta(hours=1),
        start + timedelta(hours=3),
    ]
    assert sim.dsp.now() == start + timedelta(days=1)


@pytest.mark.spec("REQ-07")
def test_due_work_also_runs_when_the_next_request_arrives(sim: Sim) -> None:
    when = sim.dsp.now() + timedelta(minutes=30)
    sim.read_firmware(ESME, execution_datetime=when)
    sim.dsp.clock.advance(timedelta(hours=1))  # the clock moves; nobody called Dsp.advance

    sim.read_firmware(GSME)

    assert [r.device_id for r in _responses(sim)] == [ESME, GSME]


@pytest.mark.spec("REQ-07", "DEV-02", "FW-08")
def test_future_dated_activation_is_held_by_the_device_and_raises_00ca(sim: Sim) -> None:
    sim.distribute(ESME)
    when = sim.dsp.now() + timedelta(hours=6)

    answer = sim.activate(ESME, execution_datetime=when)

    assert answer.code is ResponseCode.I99
    [response] = _responses(sim, srv="11.3")
    assert response.code is ResponseCode.I0
    assert response.body == FirmwareActivation(None, None)
    assert sim.dsp.device(ESME).running_version == EXAMPLE_FIRMWARE
    assert sim.record(ESME).firmware_version == EXAMPLE_FIRMWARE

    assert sim.dsp.advance(timedelta(hours=6)) == 1

    alerts = [m for m in sim.messages() if isinstance(m, DeviceAlertMessage)]
    assert alerts[-1] == DeviceAlertMessage(
        device_id=ESME,
        message_code=MessageCode.FUTURE_DATED_FIRMWARE_ACTIVATION,
        alert_code=AlertCode.FUTURE_DATED_COMMAND_ACTIONED,
        issued_at=when,
        firmware_version=EXAMPLE_NEW_FIRMWARE,
        request_id=answer.request_id,
        activation_code=ActivateImageResponseCode.SUCCESS,
    )
    assert alerts[-1].message_code == 0x00CA
    assert sim.dsp.device(ESME).running_version == EXAMPLE_NEW_FIRMWARE
    assert sim.record(ESME).firmware_version == EXAMPLE_NEW_FIRMWARE


@pytest.mark.spec("REQ-07", "FW-08")
def test_future_dated_activation_without_an_image_raises_not_actioned(sim: Sim) -> None:
    when = sim.dsp.now() + timedelta(hours=1)
    sim.activate(ESME, execution_datetime=when)

    sim.dsp.advance(timedelta(hours=1))

    [alert] = [m for m in sim.messages() if isinstance(m, DeviceAlertMessage)]
    assert (alert.message_code, alert.alert_code) == (
        MessageCode.FUTURE_DATED_FIRMWARE_ACTIVATION,
        AlertCode.FUTURE_DATED_COMMAND_NOT_ACTIONED,
    )
    assert alert.firmware_version == EXAMPLE_FIRMWARE


@pytest.mark.spec("REQ-07")
def test_cancellation_date_cancels_a_future_dated_activation(sim: Sim) -> None:
    sim.distribute(ESME)
    sim.activate(ESME, execution_datetime=sim.dsp.now() + timedelta(hours=1))

    cancel = sim.activate(ESME, execution_datetime=CANCELLATION_DATETIME)

    assert cancel.code is ResponseCode.I99
    last = _responses(sim, srv="11.3")[-1]
    assert last.request_id == cancel.request_id
    assert isinstance(last.body, FirmwareActivation)
    assert last.body.code is ActivateImageResponseCode.SUCCESS
    assert len(sim.dsp.state.scheduler) == 1  # the DSP's timer stays, the device has nothing

    sim.dsp.advance(timedelta(hours=2))

    alerts = [m for m in sim.messages() if isinstance(m, DeviceAlertMessage)]
    assert [a.message_code for a in alerts] == [MessageCode.FIRMWARE_DISTRIBUTION_RECEIPT_DLMS]
    assert sim.dsp.device(ESME).running_version == EXAMPLE_FIRMWARE
    assert sim.record(ESME).firmware_version == EXAMPLE_FIRMWARE


@pytest.mark.spec("REQ-07")
def test_cancellation_datetime_is_3000_12_31() -> None:
    assert datetime(3000, 12, 31, tzinfo=UTC) == CANCELLATION_DATETIME
    request = ServiceRequest(
        RequestId(SUPPLIER_A, ESME, 1),
        "11.3",
        CV(4),
        ActivateFirmware(NEW_IMAGE_HASH),
        execution_datetime=datetime(3000, 12, 31, tzinfo=UTC),
    )
    assert request.is_cancellation
    assert not ServiceRequest(
        RequestId(SUPPLIER_A, ESME, 1),
        "11.3",
        CV(4),
        ActivateFirmware(NEW_IMAGE_HASH),
        execution_datetime=datetime(2999, 12, 31, tzinfo=UTC),
    ).is_cancellation


class _FakeMonotonic:
    """Real time under the test's control: the virtual clock reads this, never the wall."""

    def __init__(self) -> None:
        self.seconds = 1_000.0

    def __call__(self) -> float:
        return self.seconds


@pytest.mark.spec("REQ-07")
def test_frozen_clock_does_not_move_with_real_time() -> None:
    real = _FakeMonotonic()
    clock = VirtualClock(monotonic=real)

    real.seconds += 3_600

    assert clock.frozen
    assert clock.now() == DEFAULT_START


@pytest.mark.spec("REQ-07")
def test_accelerated_clock_runs_at_its_rate_and_can_be_frozen_again() -> None:
    real = _FakeMonotonic()
    clock = VirtualClock(monotonic=real)

    clock.accelerate(60.0)
    real.seconds += 10

    assert clock.rate == 60.0
    assert clock.now() == DEFAULT_START + timedelta(minutes=10)

    clock.freeze()
    real.seconds += 1_000

    assert clock.frozen
    assert clock.now() == DEFAULT_START + timedelta(minutes=10)

    clock.advance(timedelta(days=1))
    assert clock.now() == DEFAULT_START + timedelta(days=1, minutes=10)


@pytest.mark.spec("REQ-07")
def test_accelerated_clock_keeps_its_rate_across_set_and_advance() -> None:
    real = _FakeMonotonic()
    clock = VirtualClock(datetime(2030, 6, 1, tzinfo=UTC), rate=2.0, monotonic=real)

    clock.advance(timedelta(hours=1))
    real.seconds += 30

    assert clock.now() == datetime(2030, 6, 1, 1, 1, tzinfo=UTC)


@pytest.mark.spec("REQ-07")
def test_a_pinned_clock_stands_still_and_an_inner_pin_keeps_the_outer_instant() -> None:
    real = _FakeMonotonic()
    clock = VirtualClock(rate=1.0, monotonic=real)
    pinned_at = DEFAULT_START + timedelta(hours=1)

    with clock.pinned(pinned_at) as outer:
        real.seconds += 10
        with clock.pinned(DEFAULT_START + timedelta(days=9)) as inner:
            assert inner == outer == pinned_at
        assert clock.now() == pinned_at  # leaving the inner block unpins nothing
        clock.advance(timedelta(minutes=5))  # a command may move the pinned instant
        assert clock.now() == pinned_at + timedelta(minutes=5)
    real.seconds += 10
    assert clock.now() == pinned_at + timedelta(minutes=5, seconds=10)  # running again


@pytest.mark.spec("REQ-07")
def test_clock_refuses_to_go_back_or_to_take_naive_times() -> None:
    clock = VirtualClock(monotonic=_FakeMonotonic())

    with pytest.raises(ValueError, match="forward"):
        clock.advance(timedelta(seconds=-1))
    with pytest.raises(ValueError, match="timezone"):
        clock.set(datetime(2026, 1, 2))
    with pytest.raises(ValueError, match="negative"):
        clock.accelerate(-1.0)
    with pytest.raises(ValueError, match="timezone"):
        VirtualClock(datetime(2026, 1, 1))
    assert clock.now() == DEFAULT_START


@pytest.mark.spec("REQ-07")
def test_future_dated_request_runs_on_an_accelerated_clock_without_sleeping() -> None:
    real = _FakeMonotonic()
    sim = make_sim(clock=VirtualClock(rate=3_600.0, monotonic=real))
    when = DEFAULT_START + timedelta(hours=2)
    answer = sim.read_firmware(ESME, execution_datetime=when)
    assert answer.code is ResponseCode.I99

    real.seconds += 1  # one virtual hour
    assert sim.dsp.run_due() == 0
    assert _responses(sim) == []

    real.seconds += 1.5  # two and a half virtual hours in all
    assert sim.dsp.run_due() == 1
    [response] = _responses(sim)
    assert response.request_id == answer.request_id
    assert response.issued_at == DEFAULT_START + timedelta(hours=2, minutes=30)


@pytest.mark.spec("REQ-07", "AUTH-09")
def test_future_dated_request_cannot_be_delivered_locally(sim: Sim) -> None:
    when = sim.dsp.now() + timedelta(hours=1)

    answer = sim.read_firmware(ESME, cv=CV(3), execution_datetime=when)

    assert answer.code is ResponseCode.E17
    assert len(sim.dsp.state.scheduler) == 0


@pytest.mark.spec("REQ-07", "BAD-01")
def test_future_dating_an_srv_that_cannot_be_future_dated_is_invalid(sim: Sim) -> None:
    with pytest.raises(InvalidField) as caught:
        sim.send(
            "2.2",
            TopUpDevice(UTRN),
            target=ESME,
            user=SUPPLIER_B,
            execution_datetime=sim.dsp.now() + timedelta(hours=1),
        )

    assert caught.value.field == "execution_datetime"
    assert "2.2" in caught.value.reason
