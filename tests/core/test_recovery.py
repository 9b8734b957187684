"""Recovery and Recovered (SPEC §2, AUTH-08 as clarified), driven as the DCC drives them: through
the control operations `Dsp.begin_recovery` and `Dsp.complete_recovery`."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dccsim.devices.kinds import DeviceType
from dccsim.server.core.codes import DccAlertCode, ResponseCode
from dccsim.server.core.errors import InvalidField, NotFound
from dccsim.server.core.journal import EventKind
from dccsim.server.core.matrix import CommandVariant as CV
from dccsim.server.core.messages import (
    DccAlertMessage,
    InventoryResult,
    ServiceResponse,
    WanMatrixResult,
)
from dccsim.server.core.records import SmiRecord, SmiStatus
from dccsim.server.core.requests import (
    ActivateFirmware,
    CommissionDevice,
    ReadFirmwareVersion,
    ReadInventory,
    RequestWanMatrix,
    ServiceRequest,
    SignedPreCommand,
    TopUpDevice,
)
from dccsim.server.store.codec import Encoder, decode_document
from tests.conftest import (
    ESME,
    EXAMPLE_FIRMWARE,
    EXAMPLE_NEW_FIRMWARE,
    NETWORK_OPERATOR,
    NEW_IMAGE_HASH,
    SUPPLIER_A,
    Sim,
)

UTRN = "12345678901234567890"
ACTOR = "dcc-recovery@example"


# -- helpers ------------------------------------------------------------------------------------


def _recover(sim: Sim, device_id: str = ESME) -> SmiRecord:
    sim.dsp.begin_recovery(device_id, actor=ACTOR, reason="credentials compromised")
    return sim.dsp.complete_recovery(device_id, actor=ACTOR, reason="new credentials placed")


def _set(sim: Sim, device_id: str = ESME, **changes: object) -> None:
    sim.dsp.state.smi.put(replace(sim.record(device_id), **changes))


def _read(sim: Sim, **kwargs: object) -> ResponseCode:
    return sim.send("11.2", ReadFirmwareVersion(), target=ESME, **kwargs).code


def _top_up(sim: Sim, **kwargs: object) -> ResponseCode:
    return sim.send("2.2", TopUpDevice(UTRN), target=ESME, **kwargs).code


def _responses(sim: Sim) -> list[ServiceResponse]:
    return [m for m in sim.messages() if isinstance(m, ServiceResponse)]


def _control_events(sim: Sim) -> list[tuple[str, dict[str, str]]]:
    return [(e.summary, dict(e.details)) for e in sim.dsp.journal.events(EventKind.CONTROL)]


# -- the control operations -----------------------------------------------------------------------


@pytest.mark.spec("AUTH-08")
def test_recovery_moves_a_device_into_recovery_then_recovered_remembering_its_status(
    sim: Sim,
) -> None:
    in_recovery = sim.dsp.begin_recovery(ESME.lower(), actor=ACTOR, reason="ticket 7")

    assert (in_recovery.status, in_recovery.status_before_recovery) == (
        SmiStatus.RECOVERY,
        SmiStatus.COMMISSIONED,
    )
    assert sim.record(ESME) == in_recovery

    recovered = sim.dsp.complete_recovery(ESME, actor=ACTOR, reason="ticket 7 closed")

    assert (recovered.status, recovered.status_before_recovery) == (
        SmiStatus.RECOVERED,
        SmiStatus.COMMISSIONED,
    )
    assert recovered.effective_status is SmiStatus.COMMISSIONED
    assert sim.record(ESME) == recovered
    # Audited like the administrative restore: who, why, and from what.
    assert _control_events(sim)[-2:] == [
        (
            "recovery begun",
            {"device": ESME, "actor": ACTOR, "reason": "ticket 7", "was": "Commissioned"},
        ),
        (
            "recovery completed",
            {"device": ESME, "actor": ACTOR, "reason": "ticket 7 closed", "was": "Recovery"},
        ),
    ]


@pytest.mark.spec("AUTH-08")
@pytest.mark.parametrize(
    "status",
    [
        SmiStatus.PENDING,
        SmiStatus.WHITELISTED,
        SmiStatus.INSTALLED_NOT_COMMISSIONED,
        SmiStatus.COMMISSIONED,
        SmiStatus.SUSPENDED,
    ],
    ids=str,
)
def test_recovery_starts_from_any_status_in_service(sim: Sim, status: SmiStatus) -> None:
    _set(sim, status=status)

    assert _recover(sim).status_before_recovery is status


@pytest.mark.spec("AUTH-08", "BAD-01")
@pytest.mark.parametrize(
    "status",
    [SmiStatus.RECOVERY, SmiStatus.RECOVERED, SmiStatus.DECOMMISSIONED, SmiStatus.WITHDRAWN],
    ids=str,
)
def test_recovery_cannot_begin_from_recovery_recovered_or_out_of_service(
    sim: Sim, status: SmiStatus
) -> None:
    _set(sim, status=status, status_before_recovery=SmiStatus.COMMISSIONED)
    record, events = sim.record(ESME), len(sim.dsp.journal.events())

    with pytest.raises(InvalidField) as error:
        sim.dsp.begin_recovery(ESME, actor=ACTOR, reason="again")

    assert error.value.field == "device_id"
    assert sim.record(ESME) == record
    assert len(sim.dsp.journal.events()) == events


@pytest.mark.spec("AUTH-08", "BAD-01")
@pytest.mark.parametrize("status", [s for s in SmiStatus if s is not SmiStatus.RECOVERY], ids=str)
def test_only_a_device_in_recovery_can_complete_it(sim: Sim, status: SmiStatus) -> None:
    _set(sim, status=status)
    record, events = sim.record(ESME), len(sim.dsp.journal.events())

    with pytest.raises(InvalidField) as error:
        sim.dsp.complete_recovery(ESME, actor=ACTOR, reason="")

    assert error.value.field == "device_id"
    assert sim.record(ESME) == record
    assert len(sim.dsp.journal.events()) == events


@pytest.mark.spec("AUTH-08", "BAD-01")
@pytest.mark.parametrize("operation", ["begin_recovery", "complete_recovery"])
def test_recovery_operations_refuse_bad_input_and_change_nothing(sim: Sim, operation: str) -> None:
    if operation == "complete_recovery":
        sim.dsp.begin_recovery(ESME, actor=ACTOR, reason="")
    call = getattr(sim.dsp, operation)
    record, events = sim.record(ESME), len(sim.dsp.journal.events())

    with pytest.raises(InvalidField) as no_actor:
        call(ESME, actor="", reason="who?")
    with pytest.raises(InvalidField) as malformed:
        call("not-an-eui", actor=ACTOR, reason="")
    with pytest.raises(NotFound):
        call("00-00-00-00-00-00-00-01", actor=ACTOR, reason="")

    assert (no_actor.value.field, malformed.value.field) == ("actor", "device_id")
    assert sim.record(ESME) == record
    assert len(sim.dsp.journal.events()) == events


# -- Recovery refuses every SR relating to the device ------------------------------------------


@pytest.mark.spec("AUTH-08", "AUTH-06")
def test_device_in_recovery_refuses_every_device_sr_with_e5(sim: Sim) -> None:
    sim.distribute(ESME)
    sim.dsp.begin_recovery(ESME, actor=ACTOR, reason="")

    assert _read(sim) is ResponseCode.E5
    assert _top_up(sim) is ResponseCode.E5
    assert _read(sim, cv=CV.NON_CRITICAL_LOCAL) is ResponseCode.E5  # E5 comes before E17
    # Critical SRs skip the status check everywhere else (AUTH-06), but not in Recovery.
    assert sim.activate(ESME).code is ResponseCode.E5
    assert sim.send_critical("8.1.1", CommissionDevice(), target=ESME).code is ResponseCode.E5
    assert sim.dsp.device(ESME).running_version == EXAMPLE_FIRMWARE
    assert list(sim.dsp.device(ESME).top_ups) == []
    assert _responses(sim) == []


@pytest.mark.spec("AUTH-08", "AUTH-06", "REQ-05")
def test_signed_pre_command_is_refused_once_the_device_entered_recovery(sim: Sim) -> None:
    sim.distribute(ESME)
    first = sim.request("11.3", ActivateFirmware(NEW_IMAGE_HASH), target=ESME, cv=CV(4))
    pre = sim.dsp.submit(first)
    assert pre.code is ResponseCode.I0
    sim.dsp.begin_recovery(ESME, actor=ACTOR, reason="")
    signed = ServiceRequest(first.request_id, "11.3", CV(5), SignedPreCommand(pre.body.payload))

    assert sim.dsp.submit(signed).code is ResponseCode.E5

    assert sim.dsp.device(ESME).running_version == EXAMPLE_FIRMWARE
    # Once Recovered (Commissioned before Recovery), the same signed leg goes through.
    sim.dsp.complete_recovery(ESME, actor=ACTOR, reason="")
    assert sim.dsp.submit(signed).code is ResponseCode.I99
    assert sim.dsp.device(ESME).running_version == EXAMPLE_NEW_FIRMWARE


@pytest.mark.spec("AUTH-08", "AUTH-04", "REQ-04")
def test_device_in_recovery_leaves_non_device_srs_to_their_own_rules(sim: Sim) -> None:
    sim.dsp.begin_recovery(ESME, actor=ACTOR, reason="")

    inventory = sim.send("8.2", ReadInventory(device_id=ESME), target=sim.acb, cv=CV(8))
    wan = sim.send("12.1", RequestWanMatrix(uprn=100000000001), target=sim.acb, cv=CV(8))

    assert inventory.code is ResponseCode.I0
    assert isinstance(inventory.body, InventoryResult)
    [record] = inventory.body.devices
    assert (record.status, record.status_before_recovery) == (
        SmiStatus.RECOVERY,
        SmiStatus.COMMISSIONED,
    )
    assert wan.code is ResponseCode.I0
    assert isinstance(wan.body, WanMatrixResult)


# -- Recovered is judged by the status before Recovery ----------------------------------------


@pytest.mark.spec("AUTH-08")
def test_recovered_device_commissioned_before_takes_device_srs_again(sim: Sim) -> None:
    _recover(sim)

    assert _read(sim) is ResponseCode.I99
    assert _top_up(sim) is ResponseCode.I99
    assert _read(sim, cv=CV.NON_CRITICAL_LOCAL, user=NETWORK_OPERATOR) is ResponseCode.I0
    assert list(sim.dsp.device(ESME).top_ups) == [UTRN]
    assert [r.srv for r in _responses(sim)] == ["11.2", "2.2"]


@pytest.mark.spec("AUTH-08", "AUTH-09")
def test_recovered_device_pending_before_is_judged_pending_for_local_delivery(sim: Sim) -> None:
    _set(sim, status=SmiStatus.PENDING)
    _recover(sim)

    assert _read(sim, cv=CV.NON_CRITICAL_LOCAL) is ResponseCode.I0
    assert _read(sim, cv=CV.NON_CRITICAL_LOCAL, user=NETWORK_OPERATOR) is ResponseCode.E17


@pytest.mark.spec("AUTH-08", "AUTH-07", "CPL-01")
def test_recovered_device_suspended_before_is_still_judged_suspended(sim: Sim) -> None:
    assert sim.remove_from_cpl(DeviceType.ESME) == 1
    _recover(sim)

    assert _top_up(sim) is ResponseCode.E5  # not in AUTH-07's exception list
    assert _read(sim) is ResponseCode.I99  # 11.2 is (MP105)
    # The version read is the Removed one: nothing restores it, and it stays Recovered.
    record = sim.record(ESME)
    assert (record.status, record.status_before_recovery) == (
        SmiStatus.RECOVERED,
        SmiStatus.SUSPENDED,
    )
    # Nor is it suspended again when the entry is marked Removed a second time.
    assert sim.remove_from_cpl(DeviceType.ESME) == 0
    assert sim.record(ESME) == record


@pytest.mark.spec("AUTH-08", "FW-02", "ALERT-01")
def test_fw02_restores_a_device_recovered_from_suspension(sim: Sim) -> None:
    assert sim.remove_from_cpl(DeviceType.ESME) == 1
    _recover(sim)
    # It took the Current 0200 while its responses were lost (DEV-07); now it is read.
    sim.dsp.device(ESME).firmware.running_version = EXAMPLE_NEW_FIRMWARE

    assert _read(sim) is ResponseCode.I99

    # FW-02 judges it Suspended, as it was before Recovery: restored to Commissioned, the
    # status held before suspension, which replaces Recovered.
    record = sim.record(ESME)
    assert (record.status, record.firmware_version) == (
        SmiStatus.COMMISSIONED,
        EXAMPLE_NEW_FIRMWARE,
    )
    assert (record.status_before_suspension, record.status_before_recovery) == (None, None)
    restored = [m for m in sim.messages(NETWORK_OPERATOR) if isinstance(m, DccAlertMessage)]
    assert [(m.code, m.device_id) for m in restored] == [(DccAlertCode.DEVICE_RESTORED, ESME)]
    assert _top_up(sim) is ResponseCode.I99


@pytest.mark.spec("AUTH-08", "CPL-02")
def test_administrative_restore_lifts_a_suspension_held_before_recovery(sim: Sim) -> None:
    assert sim.remove_from_cpl(DeviceType.ESME) == 1
    _recover(sim)

    restored = sim.dsp.restore_device(ESME, actor="ops", reason="ticket 9")

    assert (restored.status, restored.status_before_recovery) == (SmiStatus.COMMISSIONED, None)
    assert _top_up(sim) is ResponseCode.I99


@pytest.mark.spec("AUTH-08", "CPL-01", "FW-02")
def test_a_recovered_device_suspended_and_restored_returns_to_recovered(sim: Sim) -> None:
    _recover(sim)

    assert sim.remove_from_cpl(DeviceType.ESME) == 1
    record = sim.record(ESME)
    assert (record.status, record.status_before_suspension, record.status_before_recovery) == (
        SmiStatus.SUSPENDED,
        SmiStatus.RECOVERED,
        SmiStatus.COMMISSIONED,
    )
    sim.distribute(ESME)
    assert sim.activate(ESME).code is ResponseCode.I99

    record = sim.record(ESME)
    assert (record.status, record.status_before_recovery) == (
        SmiStatus.RECOVERED,
        SmiStatus.COMMISSIONED,
    )


@pytest.mark.spec("AUTH-08")
def test_a_snapshot_keeps_the_status_before_recovery(sim: Sim) -> None:
    sim.dsp.begin_recovery(ESME, actor=ACTOR, reason="")

    copy = decode_document(Encoder().encode_document(sim.dsp))

    record = copy.device_record(ESME)
    assert (record.status, record.status_before_recovery) == (
        SmiStatus.RECOVERY,
        SmiStatus.COMMISSIONED,
    )
    assert SUPPLIER_A in copy.state.users


@pytest.mark.spec("AUTH-08", "DEV-02")
def test_update_firmware_judges_a_recovered_device_by_its_status_before_recovery(
    sim: Sim,
) -> None:
    _recover(sim)

    answer = sim.distribute(ESME)

    assert answer.code is ResponseCode.I99  # no "not commissioned" warning
    assert sim.dsp.device(ESME).firmware.held_image is not None


@pytest.mark.spec("AUTH-08")
def test_commissioning_a_device_recovered_from_installed_not_commissioned(sim: Sim) -> None:
    _set(sim, status=SmiStatus.INSTALLED_NOT_COMMISSIONED)
    _recover(sim)

    answer = sim.send_critical("8.1.1", CommissionDevice(), target=ESME)

    assert answer.code is ResponseCode.I99
    assert sim.record(ESME).status is SmiStatus.COMMISSIONED
