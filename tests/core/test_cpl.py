"""The CPL and suspension (SPEC §4, CPL-01 … CPL-04)."""

from __future__ import annotations

import itertools
import pickle
from dataclasses import replace
from datetime import timedelta

import pytest

from dccsim.devices.kinds import DeviceType
from dccsim.server.core.codes import DccAlertCode, ResponseCode
from dccsim.server.core.dsp import Dsp
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.faults import FaultAction, FaultRule
from dccsim.server.core.fleet import example_fleet
from dccsim.server.core.inventory import Smi
from dccsim.server.core.journal import EventKind
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.messages import DccAlertMessage, DeviceStatusChange
from dccsim.server.core.records import CplEntry, CplStatus, SmiStatus, User, UserRole
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
    # The example CHF's hub has a GPF, suspended with it (CPL-04); Supplier A is its GS too.
    suspended = [device_id, FLEET[DeviceType.GPF]] if device_type is DeviceType.CHF else [device_id]

    assert sim.remove_from_cpl(device_type) == len(suspended)

    record = sim.record(device_id)
    assert (record.status, record.status_before_suspension) == (
        SmiStatus.SUSPENDED,
        SmiStatus.COMMISSIONED,
    )
    assert _dcc_alerts(sim, SUPPLIER_A) == [
        DccAlertMessage(DccAlertCode.DEVICE_SUSPENDED, each, sim.dsp.now(), SUSPENDED_ALERT_BODY)
        for each in suspended
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


# -- CPL-04: one firmware per Communications Hub ------------------------------------------------

DISTRIBUTOR = "90-B3-D5-1F-30-04-00-00"
TRANSPORTER = "90-B3-D5-1F-30-05-00-00"
GAS_SUPPLIER = SUPPLIER_B
RESTORED_ALERT_BODY = DeviceStatusChange(restored=True)


def _hub_sim() -> Sim:
    """The example fleet with its GPF naming its CHF as its Comms Hub, and every party a
    different user (IS A, GS B, ED and GT apart), so that each alert's recipients show."""
    fleet = example_fleet()
    fleet.users += [
        User(DISTRIBUTOR, frozenset({UserRole.ELECTRICITY_DISTRIBUTOR}), name="Distributor"),
        User(TRANSPORTER, frozenset({UserRole.GAS_TRANSPORTER}), name="Transporter"),
    ]
    parties = {
        UserRole.GAS_SUPPLIER: GAS_SUPPLIER,
        UserRole.ELECTRICITY_DISTRIBUTOR: DISTRIBUTOR,
        UserRole.GAS_TRANSPORTER: TRANSPORTER,
    }
    fleet.registrations = [
        replace(r, user_id=parties[r.role]) if r.role in parties else r for r in fleet.registrations
    ]
    fleet.devices = [
        replace(d, comms_hub=CHF.lower()) if d.device_id == GPF else d for d in fleet.devices
    ]
    dsp = Dsp()
    fleet.load_into(dsp)
    return Sim(dsp, itertools.count(1000))


def _alerts_by_user(sim: Sim) -> dict[str, list[tuple[DccAlertCode, str]]]:
    return {
        user: [(m.code, m.device_id) for m in _dcc_alerts(sim, user)]
        for user in sim.dsp.state.users
        if _dcc_alerts(sim, user)
    }


def _ack_everything(sim: Sim) -> None:
    for user in sim.dsp.state.users:
        last = sim.dsp.outbox(user).last_sequence
        if last:
            sim.dsp.acknowledge(user, last)


def _suspend_hub(sim: Sim) -> None:
    assert sim.remove_from_cpl(DeviceType.CHF) == 2
    _ack_everything(sim)


def _hub_statuses(sim: Sim) -> tuple[SmiStatus, SmiStatus]:
    return sim.record(CHF).status, sim.record(GPF).status


@pytest.fixture
def hub() -> Sim:
    return _hub_sim()


@pytest.mark.spec("CPL-04", "CPL-01", "ALERT-01")
def test_cpl04_removing_the_hub_entry_suspends_the_chf_and_its_gpf_with_an_alert_each(
    hub: Sim,
) -> None:
    sim = hub
    assert sim.record(GPF).comms_hub == CHF  # canonical, whatever case the fleet used

    assert sim.remove_from_cpl(DeviceType.CHF) == 2

    for device_id in (CHF, GPF):
        record = sim.record(device_id)
        assert (record.status, record.status_before_suspension) == (
            SmiStatus.SUSPENDED,
            SmiStatus.COMMISSIONED,
        )
    # Each to its own Responsible Supplier: IS for the CHF, GS for the GPF (ALERT-01).
    now = sim.dsp.now()
    assert _dcc_alerts(sim, SUPPLIER_A) == [
        DccAlertMessage(DccAlertCode.DEVICE_SUSPENDED, CHF, now, SUSPENDED_ALERT_BODY)
    ]
    assert _dcc_alerts(sim, GAS_SUPPLIER) == [
        DccAlertMessage(DccAlertCode.DEVICE_SUSPENDED, GPF, now, SUSPENDED_ALERT_BODY)
    ]
    assert sim.messages(DISTRIBUTOR) == sim.messages(TRANSPORTER) == []
    assert sim.record(GSME).status is SmiStatus.COMMISSIONED


@pytest.mark.spec("CPL-04", "FW-02", "FW-06", "ALERT-01")
def test_cpl04_a_chf_read_reporting_a_current_version_restores_the_chf_and_its_gpf(
    hub: Sim,
) -> None:
    sim = hub
    _suspend_hub(sim)
    # The hub took the Current 0200 while the DSP heard nothing of it (DEV-07).
    sim.dsp.device(CHF).firmware.running_version = EXAMPLE_NEW_FIRMWARE

    assert sim.read_firmware(CHF).code is ResponseCode.I99

    assert _hub_statuses(sim) == (SmiStatus.COMMISSIONED, SmiStatus.COMMISSIONED)
    assert sim.record(CHF).firmware_version == EXAMPLE_NEW_FIRMWARE
    gpf = sim.record(GPF)
    assert (gpf.status_before_suspension, gpf.firmware_version) == (None, EXAMPLE_FIRMWARE)
    # N29 for each: to its Responsible Supplier and its Network Operator (FW-02), the CHF's first.
    assert _alerts_by_user(sim) == {
        SUPPLIER_A: [(DccAlertCode.DEVICE_RESTORED, CHF)],
        DISTRIBUTOR: [(DccAlertCode.DEVICE_RESTORED, CHF)],
        GAS_SUPPLIER: [(DccAlertCode.DEVICE_RESTORED, GPF)],
        TRANSPORTER: [(DccAlertCode.DEVICE_RESTORED, GPF)],
    }
    assert _dcc_alerts(sim, TRANSPORTER) == [
        DccAlertMessage(DccAlertCode.DEVICE_RESTORED, GPF, sim.dsp.now(), RESTORED_ALERT_BODY)
    ]
    journalled = [e.details["device"] for e in sim.dsp.journal.events(EventKind.DCC_ALERT)]
    assert journalled[-2:] == [CHF, GPF]


@pytest.mark.spec("CPL-04", "FW-01", "FW-02")
def test_cpl04_a_chf_activation_restores_the_chf_and_its_gpf(hub: Sim) -> None:
    sim = hub
    _suspend_hub(sim)
    assert sim.distribute(CHF).code is ResponseCode.I99

    assert sim.activate(CHF).code is ResponseCode.I99

    assert _hub_statuses(sim) == (SmiStatus.COMMISSIONED, SmiStatus.COMMISSIONED)
    assert _alerts_by_user(sim)[GAS_SUPPLIER] == [(DccAlertCode.DEVICE_RESTORED, GPF)]
    assert _alerts_by_user(sim)[TRANSPORTER] == [(DccAlertCode.DEVICE_RESTORED, GPF)]


@pytest.mark.spec("CPL-04", "FW-08", "FW-02")
def test_cpl04_a_chf_future_dated_activation_alert_restores_its_gpf_too(hub: Sim) -> None:
    sim = hub
    _suspend_hub(sim)
    assert sim.distribute(CHF).code is ResponseCode.I99
    when = sim.dsp.now() + timedelta(hours=2)
    assert sim.activate(CHF, execution_datetime=when).code is ResponseCode.I99
    assert _hub_statuses(sim) == (SmiStatus.SUSPENDED, SmiStatus.SUSPENDED)

    sim.dsp.advance(timedelta(hours=2))

    assert _hub_statuses(sim) == (SmiStatus.COMMISSIONED, SmiStatus.COMMISSIONED)
    assert _alerts_by_user(sim)[TRANSPORTER] == [(DccAlertCode.DEVICE_RESTORED, GPF)]


@pytest.mark.spec("CPL-04", "FW-07", "AUTH-07")
def test_cpl04_a_gpf_read_never_restores_anything(hub: Sim) -> None:
    sim = hub
    _suspend_hub(sim)
    # Even a GPF reporting a Current version of its own model is not restored on its own.
    sim.dsp.device(GPF).firmware.running_version = EXAMPLE_NEW_FIRMWARE
    before = {d: sim.record(d) for d in (CHF, GPF, GSME)}

    assert sim.read_firmware(GPF, user=GAS_SUPPLIER).code is ResponseCode.I99

    assert {d: sim.record(d) for d in before} == before
    assert _hub_statuses(sim) == (SmiStatus.SUSPENDED, SmiStatus.SUSPENDED)
    assert _alerts_by_user(sim) == {}


@pytest.mark.spec("CPL-04", "CPL-01")
def test_cpl04_a_hub_gpf_is_not_suspended_by_an_entry_of_its_own_model(hub: Sim) -> None:
    sim = hub
    gpf = sim.record(GPF)

    assert sim.remove_from_cpl(DeviceType.GPF) == 0

    assert sim.record(GPF) == gpf
    assert _alerts_by_user(sim) == {}


@pytest.mark.spec("CPL-04", "CPL-01", "CPL-03")
def test_cpl04_a_gpf_that_names_no_hub_follows_its_own_entry_as_before(sim: Sim) -> None:
    sim.dsp.add_device(replace(sim.record(GPF), comms_hub=None))  # a GPF of no known hub

    assert sim.remove_from_cpl(DeviceType.CHF) == 1
    assert sim.record(GPF).status is SmiStatus.COMMISSIONED
    assert sim.remove_from_cpl(DeviceType.GPF) == 1
    assert sim.record(GPF).status is SmiStatus.SUSPENDED


@pytest.mark.spec("CPL-04", "CPL-01", "FW-02")
def test_cpl04_a_gpf_that_cannot_be_suspended_is_left_alone_both_ways(hub: Sim) -> None:
    sim = hub
    sim.dsp.state.smi.put(replace(sim.record(GPF), status=SmiStatus.DECOMMISSIONED))
    gpf = sim.record(GPF)

    assert sim.remove_from_cpl(DeviceType.CHF) == 1
    sim.dsp.device(CHF).firmware.running_version = EXAMPLE_NEW_FIRMWARE
    assert sim.read_firmware(CHF).code is ResponseCode.I99

    assert sim.record(CHF).status is SmiStatus.COMMISSIONED
    assert sim.record(GPF) == gpf
    assert GAS_SUPPLIER not in _alerts_by_user(sim)


@pytest.mark.spec("CPL-04", "CPL-02")
def test_cpl04_the_administrative_restore_acts_on_the_one_device_named(hub: Sim) -> None:
    sim = hub
    _suspend_hub(sim)

    sim.dsp.restore_device(CHF, actor="ops", reason="ticket 11")

    assert _hub_statuses(sim) == (SmiStatus.COMMISSIONED, SmiStatus.SUSPENDED)
    sim.dsp.restore_device(GPF, actor="ops", reason="ticket 11")
    assert _hub_statuses(sim) == (SmiStatus.COMMISSIONED, SmiStatus.COMMISSIONED)
    assert _alerts_by_user(sim) == {}  # an administrative restore raises no N29


@pytest.mark.spec("CPL-04", "BAD-01")
@pytest.mark.parametrize(
    ("device_id", "changes", "why"),
    [
        (ESME, {"comms_hub": CHF}, "only a GPF"),
        (GPF, {"comms_hub": ESME}, "is a ESME, not a CHF"),
        (GPF, {"comms_hub": GPF}, "names the GPF itself"),
        (GPF, {"comms_hub": "not-an-eui"}, "EUI-64"),
        ("00-DB-12-34-56-78-90-C3", {"comms_hub": CHF}, "has GPF"),  # a hub has one GPF
    ],
    ids=["not a GPF", "not a CHF", "itself", "malformed", "second GPF"],
)
def test_cpl04_a_hub_link_that_cannot_be_is_refused_and_changes_nothing(
    hub: Sim, device_id: str, changes: dict[str, object], why: str
) -> None:
    sim = hub
    like = ESME if device_id == ESME else GPF
    record = replace(sim.record(like), device_id=device_id, **changes)
    before = {r.device_id: r for r in sim.dsp.state.smi}

    with pytest.raises(InvalidField) as error:
        sim.dsp.add_device(record)

    assert error.value.field == "comms_hub"
    assert why in error.value.reason
    assert {r.device_id: r for r in sim.dsp.state.smi} == before
    assert sim.dsp.state.smi.hub_gpf(CHF) == sim.record(GPF)


@pytest.mark.spec("CPL-04")
def test_cpl04_the_hub_link_follows_the_gpf_record(hub: Sim) -> None:
    sim = hub
    smi = sim.dsp.state.smi
    # A CHF added after its GPF (the link waits for it), and a GPF that moves to another hub.
    other_chf, other_gpf = "00-DB-12-34-56-78-90-C2", "00-DB-12-34-56-78-90-C3"
    sim.dsp.add_device(replace(sim.record(GPF), device_id=other_gpf, comms_hub=other_chf))
    sim.dsp.add_device(replace(sim.record(CHF), device_id=other_chf))
    assert smi.hub_gpf(other_chf) == sim.record(other_gpf)

    sim.dsp.add_device(replace(sim.record(GPF), comms_hub=None))
    assert smi.hub_gpf(CHF) is None
    sim.dsp.add_device(replace(sim.record(other_gpf), comms_hub=CHF))
    assert smi.hub_gpf(CHF) == sim.record(other_gpf)
    assert smi.hub_gpf(other_chf) is None
    smi.delete(other_gpf)
    assert smi.hub_gpf(CHF) is None

    # A snapshot written before the index existed rebuilds it from the records.
    sim.dsp.add_device(replace(sim.record(GPF), comms_hub=CHF))
    state = dict(smi.__dict__)
    del state["_gpf_by_hub"]
    old = Smi.__new__(Smi)
    old.__setstate__(state)
    assert old.hub_gpf(CHF) == sim.record(GPF)
    assert pickle.loads(pickle.dumps(smi)).hub_gpf(CHF) == sim.record(GPF)
