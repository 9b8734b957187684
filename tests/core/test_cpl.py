"""The CPL and suspension (SPEC §4, CPL-01 … CPL-03)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dccsim.devices.kinds import DeviceType
from dccsim.server.core.codes import DccAlertCode, ResponseCode
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.faults import FaultAction, FaultRule
from dccsim.server.core.journal import EventKind
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.messages import DccAlertMessage, DeviceStatusChange
from dccsim.server.core.records import CplEntry, CplStatus, SmiStatus
from dccsim.server.core.requests import DeviceDetailsChange, StatusChange, UpdateInventory
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
    PPMID,
    SUPPLIER_A,
    SUPPLIER_B,
    Sim,
    example_model,
)

FLEET = {
    DeviceType.ESME: ESME,
    DeviceType.GSME: GSME,
    DeviceType.CHF: CHF,
    DeviceType.GPF: GPF,
    DeviceType.PPMID: PPMID,
    DeviceType.HCALCS: HCALCS,
}
SUSPENDED_ALERT_BODY = DeviceStatusChange(restored=False)


def _add_device(sim: Sim, device_id: str, like: str = ESME, **changes: object) -> str:
    sim.dsp.add_device(replace(sim.record(like), device_id=device_id, **changes))
    return device_id


def _dcc_alerts(sim: Sim, user: str) -> list[DccAlertMessage]:
    return [m for m in sim.messages(user) if isinstance(m, DccAlertMessage)]


def _statuses(sim: Sim) -> dict[str, SmiStatus]:
    return {record.device_id: record.status for record in sim.dsp.state.smi}


# -- CPL-01 ---------------------------------------------------------------------------------------


@pytest.mark.spec("CPL-01", "ALERT-01")
def test_cpl01_removing_an_entry_suspends_its_devices_and_alerts_the_supplier(sim: Sim) -> None:
    statuses_before = _statuses(sim)

    assert sim.remove_from_cpl(DeviceType.ESME) == 1

    record = sim.record(ESME)
    assert record.status is SmiStatus.SUSPENDED
    assert record.status_before_suspension is SmiStatus.COMMISSIONED
    assert record.firmware_version == EXAMPLE_FIRMWARE
    assert _statuses(sim) == {**statuses_before, ESME: SmiStatus.SUSPENDED}
    assert _dcc_alerts(sim, SUPPLIER_A) == [
        DccAlertMessage(DccAlertCode.DEVICE_SUSPENDED, ESME, sim.dsp.now(), SUSPENDED_ALERT_BODY)
    ]
    assert sim.messages(NETWORK_OPERATOR) == []
    assert sim.messages(SUPPLIER_B) == []


@pytest.mark.spec("CPL-01")
def test_cpl01_remembers_each_devices_previous_status(sim: Sim) -> None:
    previous = {
        "00-DB-12-34-56-78-90-B1": SmiStatus.PENDING,
        "00-DB-12-34-56-78-90-B2": SmiStatus.WHITELISTED,
        "00-DB-12-34-56-78-90-B3": SmiStatus.INSTALLED_NOT_COMMISSIONED,
        ESME: SmiStatus.COMMISSIONED,
    }
    for device_id, status in previous.items():
        if device_id != ESME:
            _add_device(sim, device_id, status=status)

    assert sim.remove_from_cpl(DeviceType.ESME) == 4

    for device_id, status in previous.items():
        record = sim.record(device_id)
        assert (record.status, record.status_before_suspension) == (SmiStatus.SUSPENDED, status)
    alerted = [m.device_id for m in _dcc_alerts(sim, SUPPLIER_A)]
    assert sorted(alerted) == sorted(previous)
    assert {m.code for m in _dcc_alerts(sim, SUPPLIER_A)} == {DccAlertCode.DEVICE_SUSPENDED}


@pytest.mark.spec("CPL-01")
def test_cpl01_devices_on_other_versions_or_models_are_untouched(sim: Sim) -> None:
    newer = _add_device(sim, "00-DB-12-34-56-78-90-B1", firmware_version=EXAMPLE_NEW_FIRMWARE)
    other_model = "ESME-OTHER"
    sim.dsp.put_cpl_entry(CplEntry(EXAMPLE_MANUFACTURER, other_model, EXAMPLE_FIRMWARE))
    other = _add_device(sim, "00-DB-12-34-56-78-90-B2", model=other_model)
    other_maker = _add_device(sim, "00-DB-12-34-56-78-90-B3", manufacturer="OTHERCO")
    before = {d: sim.record(d) for d in (newer, other, other_maker, GSME, CHF)}

    assert sim.remove_from_cpl(DeviceType.ESME) == 1

    assert sim.record(ESME).status is SmiStatus.SUSPENDED
    assert {d: sim.record(d) for d in before} == before
    assert [m.device_id for m in _dcc_alerts(sim, SUPPLIER_A)] == [ESME]


@pytest.mark.spec("CPL-01")
def test_cpl01_marking_removed_again_does_nothing_more(sim: Sim) -> None:
    assert sim.remove_from_cpl(DeviceType.ESME) == 1
    record = sim.record(ESME)
    messages = sim.messages(SUPPLIER_A)

    assert sim.remove_from_cpl(DeviceType.ESME) == 0

    assert sim.record(ESME) == record
    assert sim.messages(SUPPLIER_A) == messages
    assert len(messages) == 1


@pytest.mark.spec("CPL-01", "CPL-02")
def test_cpl01_current_then_removed_again_keeps_the_original_previous_status(sim: Sim) -> None:
    assert sim.remove_from_cpl(DeviceType.ESME) == 1
    model = example_model(DeviceType.ESME)
    sim.dsp.put_cpl_entry(CplEntry(EXAMPLE_MANUFACTURER, model, EXAMPLE_FIRMWARE))
    # Reinstating the entry does not restore anyone by itself (CPL-02).
    assert sim.record(ESME).status is SmiStatus.SUSPENDED

    assert sim.remove_from_cpl(DeviceType.ESME) == 0

    record = sim.record(ESME)
    assert (record.status, record.status_before_suspension) == (
        SmiStatus.SUSPENDED,
        SmiStatus.COMMISSIONED,
    )
    assert len(_dcc_alerts(sim, SUPPLIER_A)) == 1


@pytest.mark.spec("CPL-01")
def test_cpl01_a_new_entry_created_removed_suspends_too(sim: Sim) -> None:
    model = "ESME-NEW"
    device = _add_device(sim, "00-DB-12-34-56-78-90-B1", model=model)

    suspended = sim.dsp.put_cpl_entry(
        CplEntry(EXAMPLE_MANUFACTURER, model, EXAMPLE_FIRMWARE, CplStatus.REMOVED)
    )

    assert suspended == 1
    assert sim.record(device).status is SmiStatus.SUSPENDED


@pytest.mark.spec("CPL-01", "ALERT-01")
def test_cpl01_gas_device_alert_goes_to_the_gas_supplier_only(sim: Sim) -> None:
    assert sim.remove_from_cpl(DeviceType.GSME) == 1

    assert _dcc_alerts(sim, SUPPLIER_A) == [
        DccAlertMessage(DccAlertCode.DEVICE_SUSPENDED, GSME, sim.dsp.now(), SUSPENDED_ALERT_BODY)
    ]
    assert sim.messages(NETWORK_OPERATOR) == []


# -- CPL-02 ---------------------------------------------------------------------------------------


@pytest.mark.spec("CPL-02")
def test_cpl02_administrative_restore_is_journalled_with_actor_and_reason(sim: Sim) -> None:
    sim.remove_from_cpl(DeviceType.ESME)

    restored = sim.dsp.restore_device(ESME, actor="ops@example", reason="ticket 42")

    assert restored.status is SmiStatus.COMMISSIONED
    assert restored.status_before_suspension is None
    assert sim.record(ESME) == restored
    [event] = [
        e
        for e in sim.dsp.journal.events(EventKind.CONTROL)
        if e.summary == "administrative restore"
    ]
    assert dict(event.details) == {"device": ESME, "actor": "ops@example", "reason": "ticket 42"}


@pytest.mark.spec("CPL-02")
def test_cpl02_administrative_restore_returns_to_the_previous_status(sim: Sim) -> None:
    device = _add_device(
        sim, "00-DB-12-34-56-78-90-B1", status=SmiStatus.INSTALLED_NOT_COMMISSIONED
    )
    sim.remove_from_cpl(DeviceType.ESME)

    restored = sim.dsp.restore_device(device.lower(), actor="ops", reason="test")

    assert restored.status is SmiStatus.INSTALLED_NOT_COMMISSIONED
    assert sim.record(device).status is SmiStatus.INSTALLED_NOT_COMMISSIONED
    assert sim.record(ESME).status is SmiStatus.SUSPENDED


@pytest.mark.spec("CPL-02")
def test_cpl02_restoring_a_device_that_is_not_suspended_is_invalid(sim: Sim) -> None:
    record = sim.record(ESME)
    events = len(sim.dsp.journal.events())

    with pytest.raises(InvalidField) as error:
        sim.dsp.restore_device(ESME, actor="ops", reason="mistake")

    assert error.value.field == "device_id"
    assert sim.record(ESME) == record
    assert len(sim.dsp.journal.events()) == events


@pytest.mark.spec("CPL-02", "FW-03", "FW-04")
def test_cpl02_nothing_but_fw02_lifts_a_suspension(sim: Sim) -> None:
    sim.remove_from_cpl(DeviceType.ESME)
    # 11.2 reporting the same Removed version: still Suspended.
    assert sim.read_firmware(ESME).code is ResponseCode.I99
    assert sim.record(ESME).status is SmiStatus.SUSPENDED
    # A reported version on no CPL entry: N51, still Suspended.
    sim.dsp.device(ESME).firmware.running_version = "0300"
    assert sim.read_firmware(ESME).code is ResponseCode.I99
    assert sim.record(ESME).status is SmiStatus.SUSPENDED
    # A lost 11.3 response: still Suspended.
    sim.dsp.device(ESME).firmware.running_version = EXAMPLE_FIRMWARE
    assert sim.distribute(ESME).code is ResponseCode.I99
    rule = sim.dsp.faults.add(FaultRule(FaultAction.DROP, srv="11.3"))
    assert sim.activate(ESME).code is ResponseCode.I99
    assert sim.record(ESME).status is SmiStatus.SUSPENDED
    sim.dsp.faults.remove(rule)
    # 8.4 cannot move a Suspended device to another status.
    answer = sim.send(
        "8.4",
        UpdateInventory(ESME, StatusChange(SmiStatus.INSTALLED_NOT_COMMISSIONED)),
        target=sim.acb,
        cv=CommandVariant.NON_DEVICE,
    )
    assert answer.code is ResponseCode.E080407
    assert sim.record(ESME).status is SmiStatus.SUSPENDED
    # FW-02: a report of a Current version does.
    assert sim.read_firmware(ESME).code is ResponseCode.I99
    assert sim.record(ESME).status is SmiStatus.COMMISSIONED


# -- CPL-03 ---------------------------------------------------------------------------------------


@pytest.mark.spec("CPL-03", "CPL-01")
@pytest.mark.parametrize(
    "device_type",
    [DeviceType.ESME, DeviceType.GSME, DeviceType.PPMID, DeviceType.HCALCS, DeviceType.CHF],
)
def test_cpl03_device_type_can_be_suspended(sim: Sim, device_type: DeviceType) -> None:
    device_id = FLEET[device_type]

    assert sim.remove_from_cpl(device_type) == 1

    record = sim.record(device_id)
    assert (record.status, record.status_before_suspension) == (
        SmiStatus.SUSPENDED,
        SmiStatus.COMMISSIONED,
    )
    assert _dcc_alerts(sim, SUPPLIER_A) == [
        DccAlertMessage(
            DccAlertCode.DEVICE_SUSPENDED, device_id, sim.dsp.now(), SUSPENDED_ALERT_BODY
        )
    ]


@pytest.mark.spec("CPL-03")
@pytest.mark.parametrize("other_type", [DeviceType.IHD, DeviceType.CAD])
def test_cpl03_an_ihd_on_the_same_model_and_version_is_not_suspended(
    sim: Sim, other_type: DeviceType
) -> None:
    ihd = _add_device(sim, "00-DB-12-34-56-78-90-D0", device_type=other_type, esme_variant=None)

    assert sim.remove_from_cpl(DeviceType.ESME) == 1

    assert sim.record(ESME).status is SmiStatus.SUSPENDED
    record = sim.record(ihd)
    assert (record.status, record.status_before_suspension) == (SmiStatus.COMMISSIONED, None)
    assert [m.device_id for m in _dcc_alerts(sim, SUPPLIER_A)] == [ESME]


@pytest.mark.spec("CPL-01", "FW-02")
def test_cpl01_follows_the_version_the_smi_now_records(sim: Sim) -> None:
    assert sim.distribute(ESME).code is ResponseCode.I99
    assert sim.activate(ESME).code is ResponseCode.I99
    assert sim.record(ESME).firmware_version == EXAMPLE_NEW_FIRMWARE

    assert sim.remove_from_cpl(DeviceType.ESME, EXAMPLE_FIRMWARE) == 0
    assert sim.record(ESME).status is SmiStatus.COMMISSIONED
    assert sim.remove_from_cpl(DeviceType.ESME, EXAMPLE_NEW_FIRMWARE) == 1

    assert sim.record(ESME).status is SmiStatus.SUSPENDED


@pytest.mark.spec("CPL-01", "INV-03")
def test_cpl01_follows_a_model_changed_through_8_4(sim: Sim) -> None:
    device = _add_device(sim, "00-DB-12-34-56-78-90-B1", status=SmiStatus.PENDING)
    sim.dsp.put_cpl_entry(CplEntry(EXAMPLE_MANUFACTURER, "ESME-X", EXAMPLE_FIRMWARE))
    answer = sim.send(
        "8.4",
        UpdateInventory(device, DeviceDetailsChange(model="ESME-X")),
        target=sim.acb,
        cv=CommandVariant.NON_DEVICE,
    )
    assert answer.code is ResponseCode.I99

    assert sim.remove_from_cpl(DeviceType.ESME) == 1  # only the fleet's ESME
    assert sim.record(device).status is SmiStatus.PENDING
    removed = CplEntry(EXAMPLE_MANUFACTURER, "ESME-X", EXAMPLE_FIRMWARE, CplStatus.REMOVED)
    assert sim.dsp.put_cpl_entry(removed) == 1

    record = sim.record(device)
    assert (record.status, record.status_before_suspension) == (
        SmiStatus.SUSPENDED,
        SmiStatus.PENDING,
    )
