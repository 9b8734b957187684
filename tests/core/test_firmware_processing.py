"""Firmware response processing (SPEC §3, FW-01 … FW-10): what the DSP makes of the firmware
version a device reports in an 11.3 response, an 11.2 response or a future-dated 0x00CA alert."""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import replace
from datetime import timedelta

import pytest

from dccsim.devices.codes import AlertCode, MessageCode
from dccsim.devices.firmware import ActivateImageResponseCode, FirmwareImage
from dccsim.devices.kinds import DeviceType, SmetsVersion
from dccsim.server.core.baseline import Baseline
from dccsim.server.core.codes import DccAlertCode, ResponseCode
from dccsim.server.core.dsp import Dsp
from dccsim.server.core.faults import FaultAction, FaultRule
from dccsim.server.core.firmware_processing import (
    AlertIntent,
    FirmwareOutcome,
    process_activation,
    process_gpf_reading,
    process_reported_version,
)
from dccsim.server.core.fleet import EXAMPLE_MPAN, example_fleet
from dccsim.server.core.inventory import Cpl
from dccsim.server.core.journal import EventKind
from dccsim.server.core.messages import (
    DccAlertMessage,
    DeviceAlertMessage,
    DeviceStatusChange,
    FirmwareActivation,
    FirmwareVersionMismatch,
    FirmwareVersionRead,
    ServiceResponse,
)
from dccsim.server.core.records import (
    CplEntry,
    CplStatus,
    SmiRecord,
    SmiStatus,
    User,
    UserRole,
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
    NEW_IMAGE_HASH,
    PPMID,
    SUPPLIER_A,
    SUPPLIER_B,
    Sim,
    example_model,
)

OFF_CPL_FIRMWARE = "0300"  # a version no CPL entry names
DISTRIBUTOR = "90-B3-D5-1F-30-04-00-00"
TRANSPORTER = "90-B3-D5-1F-30-05-00-00"
DEVICE_TYPES = {
    ESME: DeviceType.ESME,
    GSME: DeviceType.GSME,
    CHF: DeviceType.CHF,
    GPF: DeviceType.GPF,
    PPMID: DeviceType.PPMID,
    HCALCS: DeviceType.HCALCS,
}


# -- helpers ---------------------------------------------------------------------------------


def _dcc_alerts(sim: Sim, user: str = SUPPLIER_A) -> list[DccAlertMessage]:
    return [m for m in sim.messages(user) if isinstance(m, DccAlertMessage)]


def _alert_codes(sim: Sim, user: str = SUPPLIER_A) -> list[DccAlertCode]:
    return [m.code for m in _dcc_alerts(sim, user)]


def _responses(sim: Sim, srv: str, user: str = SUPPLIER_A) -> list[ServiceResponse]:
    return [m for m in sim.messages(user) if isinstance(m, ServiceResponse) and m.srv == srv]


def _all_users_alert_codes(sim: Sim) -> dict[str, list[DccAlertCode]]:
    return {user: _alert_codes(sim, user) for user in sim.dsp.state.users}


def _ack_everything(sim: Sim) -> None:
    for user in sim.dsp.state.users:
        box = sim.dsp.outbox(user)
        if box.last_sequence:
            sim.dsp.acknowledge(user, box.last_sequence)


def _suspend(sim: Sim, device_id: str) -> None:
    """Mark the device's running version Removed on the CPL: the device is Suspended (CPL-01)."""
    # The example CHF's hub GPF is suspended with it (CPL-04).
    assert sim.remove_from_cpl(DEVICE_TYPES[device_id]) == (2 if device_id == CHF else 1)
    assert sim.record(device_id).status is SmiStatus.SUSPENDED


def _run_new_firmware_unheard(sim: Sim, device_id: str) -> None:
    """Distribute and activate 0200 but drop the 11.3 response: the device runs 0200, the SMI
    still says 0100 (DEV-07)."""
    assert sim.distribute(device_id).code is ResponseCode.I99
    rule = sim.dsp.faults.add(FaultRule(FaultAction.DROP, srv="11.3"))
    assert sim.activate(device_id).code is ResponseCode.I99
    sim.dsp.faults.remove(rule)
    assert sim.dsp.device(device_id).running_version == EXAMPLE_NEW_FIRMWARE
    assert sim.record(device_id).firmware_version == EXAMPLE_FIRMWARE


def _suspended_running_new_firmware(sim: Sim, device_id: str) -> None:
    """The MP105 situation: Suspended on 0100 in the SMI, running 0200 on the device."""
    _suspend(sim, device_id)
    _run_new_firmware_unheard(sim, device_id)
    _ack_everything(sim)


def _sim_with_separate_network_operators() -> Sim:
    """The example fleet, but with the ED and the GT as two different users, so that N29's
    Network Operator can be told apart by fuel."""
    fleet = example_fleet()
    fleet.users += [
        User(DISTRIBUTOR, frozenset({UserRole.ELECTRICITY_DISTRIBUTOR}), name="Distributor"),
        User(TRANSPORTER, frozenset({UserRole.GAS_TRANSPORTER}), name="Transporter"),
    ]
    operators = {
        UserRole.ELECTRICITY_DISTRIBUTOR: DISTRIBUTOR,
        UserRole.GAS_TRANSPORTER: TRANSPORTER,
    }
    fleet.registrations = [
        replace(r, user_id=operators[r.role]) if r.role in operators else r
        for r in fleet.registrations
    ]
    dsp = Dsp()
    fleet.load_into(dsp)
    return Sim(dsp, itertools.count(1000))


def _record(
    status: SmiStatus = SmiStatus.COMMISSIONED,
    version: str = EXAMPLE_FIRMWARE,
    *,
    before: SmiStatus | None = None,
    device_type: DeviceType = DeviceType.ESME,
) -> SmiRecord:
    return SmiRecord(
        device_id=ESME,
        device_type=device_type,
        smets=SmetsVersion.SMETS2,
        manufacturer=EXAMPLE_MANUFACTURER,
        model=example_model(device_type),
        firmware_version=version,
        status=status,
        mpxn=EXAMPLE_MPAN,
        status_before_suspension=before,
    )


def _cpl(*, old: CplStatus = CplStatus.REMOVED, new: CplStatus = CplStatus.CURRENT) -> Cpl:
    model = example_model(DeviceType.ESME)
    return Cpl(
        [
            CplEntry(EXAMPLE_MANUFACTURER, model, EXAMPLE_FIRMWARE, old),
            CplEntry(EXAMPLE_MANUFACTURER, model, EXAMPLE_NEW_FIRMWARE, new),
        ]
    )


_RESTORED = AlertIntent(
    DccAlertCode.DEVICE_RESTORED, DeviceStatusChange(restored=True), to_network_operator=True
)


# -- FW-01: the ActivateImageResponseCode is not a criterion ----------------------------------


@pytest.mark.spec("FW-01", "FW-02")
@pytest.mark.parametrize(
    "code",
    [
        ActivateImageResponseCode.SUCCESS,
        ActivateImageResponseCode.NO_IMAGE_HELD,
        ActivateImageResponseCode.ACTIVATION_FAILURE,
        ActivateImageResponseCode.HASH_MISMATCH,
    ],
)
def test_fw01_activation_code_is_not_a_criterion_under_current_baseline(
    code: ActivateImageResponseCode,
) -> None:
    record = _record(SmiStatus.SUSPENDED, before=SmiStatus.COMMISSIONED)

    outcome = process_activation(record, code, EXAMPLE_NEW_FIRMWARE, _cpl(), Baseline.CURRENT)

    assert outcome == FirmwareOutcome(
        replace(
            record,
            firmware_version=EXAMPLE_NEW_FIRMWARE,
            status=SmiStatus.COMMISSIONED,
            status_before_suspension=None,
        ),
        (_RESTORED,),
    )


@pytest.mark.spec("FW-01", "AUTH-11")
@pytest.mark.parametrize(
    "code", [ActivateImageResponseCode.NO_IMAGE_HELD, ActivateImageResponseCode.ACTIVATION_FAILURE]
)
def test_fw01_pre_mp105_baseline_ignores_a_non_success_activation(
    code: ActivateImageResponseCode,
) -> None:
    record = _record(SmiStatus.SUSPENDED, before=SmiStatus.COMMISSIONED)

    outcome = process_activation(record, code, EXAMPLE_NEW_FIRMWARE, _cpl(), Baseline.PRE_MP105)

    assert outcome.record is record
    assert outcome.alerts == ()


@pytest.mark.spec("FW-01", "FW-02", "FW-09")
def test_fw01_retry_answering_no_image_held_restores_the_device(sim: Sim) -> None:
    _suspended_running_new_firmware(sim, ESME)

    assert sim.activate(ESME).code is ResponseCode.I99

    [response] = _responses(sim, "11.3")
    assert response.body == FirmwareActivation(
        ActivateImageResponseCode.NO_IMAGE_HELD, EXAMPLE_NEW_FIRMWARE
    )
    record = sim.record(ESME)
    assert (record.status, record.firmware_version) == (
        SmiStatus.COMMISSIONED,
        EXAMPLE_NEW_FIRMWARE,
    )
    assert _alert_codes(sim, SUPPLIER_A) == [DccAlertCode.DEVICE_RESTORED]
    assert _alert_codes(sim, NETWORK_OPERATOR) == [DccAlertCode.DEVICE_RESTORED]


@pytest.mark.spec("FW-01", "AUTH-11")
def test_fw01_same_retry_under_pre_mp105_leaves_the_device_suspended(pre_mp105_sim: Sim) -> None:
    sim = pre_mp105_sim
    _suspended_running_new_firmware(sim, ESME)

    assert sim.activate(ESME).code is ResponseCode.I99

    [response] = _responses(sim, "11.3")
    assert response.body == FirmwareActivation(
        ActivateImageResponseCode.NO_IMAGE_HELD, EXAMPLE_NEW_FIRMWARE
    )
    record = sim.record(ESME)
    assert (record.status, record.firmware_version) == (SmiStatus.SUSPENDED, EXAMPLE_FIRMWARE)
    assert _all_users_alert_codes(sim) == {user: [] for user in sim.dsp.state.users}


# -- FW-02: a Current CPL match sets the version and restores -------------------------------


@pytest.mark.spec("FW-02")
def test_fw02_pure_current_match_restores_to_the_status_before_suspension() -> None:
    record = _record(SmiStatus.SUSPENDED, before=SmiStatus.WHITELISTED)

    outcome = process_reported_version(record, EXAMPLE_NEW_FIRMWARE, _cpl())

    assert outcome.record == replace(
        record,
        firmware_version=EXAMPLE_NEW_FIRMWARE,
        status=SmiStatus.WHITELISTED,
        status_before_suspension=None,
    )
    assert outcome.alerts == (_RESTORED,)


@pytest.mark.spec("FW-02")
def test_fw02_pure_current_match_on_an_unsuspended_device_only_sets_the_version() -> None:
    record = _record(SmiStatus.COMMISSIONED)

    outcome = process_reported_version(record, EXAMPLE_NEW_FIRMWARE, _cpl(old=CplStatus.CURRENT))

    assert outcome == FirmwareOutcome(replace(record, firmware_version=EXAMPLE_NEW_FIRMWARE))


@pytest.mark.spec("FW-02")
def test_fw02_same_version_back_on_the_cpl_as_current_restores_on_report() -> None:
    """The suspended version reinstated as Current: the next report restores the device."""
    record = _record(SmiStatus.SUSPENDED, before=SmiStatus.INSTALLED_NOT_COMMISSIONED)

    outcome = process_reported_version(record, EXAMPLE_FIRMWARE, _cpl(old=CplStatus.CURRENT))

    assert outcome.record == replace(
        record, status=SmiStatus.INSTALLED_NOT_COMMISSIONED, status_before_suspension=None
    )
    assert outcome.alerts == (_RESTORED,)


@pytest.mark.spec("FW-02", "ALERT-01")
def test_fw02_esme_activation_restores_and_alerts_supplier_and_distributor() -> None:
    sim = _sim_with_separate_network_operators()
    _suspend(sim, ESME)
    assert sim.distribute(ESME).code is ResponseCode.I99
    _ack_everything(sim)

    assert sim.activate(ESME).code is ResponseCode.I99

    record = sim.record(ESME)
    assert record.status is SmiStatus.COMMISSIONED
    assert record.firmware_version == EXAMPLE_NEW_FIRMWARE
    assert record.status_before_suspension is None
    expected = DccAlertMessage(
        DccAlertCode.DEVICE_RESTORED, ESME, sim.dsp.now(), DeviceStatusChange(restored=True)
    )
    assert _dcc_alerts(sim, SUPPLIER_A) == [expected]
    assert _dcc_alerts(sim, DISTRIBUTOR) == [expected]
    assert _dcc_alerts(sim, TRANSPORTER) == []
    assert _dcc_alerts(sim, NETWORK_OPERATOR) == []
    assert _dcc_alerts(sim, SUPPLIER_B) == []


@pytest.mark.spec("FW-02", "ALERT-01")
def test_fw02_gsme_activation_restores_and_alerts_gas_supplier_and_transporter() -> None:
    sim = _sim_with_separate_network_operators()
    _suspend(sim, GSME)
    assert sim.distribute(GSME).code is ResponseCode.I99
    _ack_everything(sim)

    assert sim.activate(GSME).code is ResponseCode.I99

    record = sim.record(GSME)
    assert (record.status, record.firmware_version) == (
        SmiStatus.COMMISSIONED,
        EXAMPLE_NEW_FIRMWARE,
    )
    expected = DccAlertMessage(
        DccAlertCode.DEVICE_RESTORED, GSME, sim.dsp.now(), DeviceStatusChange(restored=True)
    )
    assert _dcc_alerts(sim, SUPPLIER_A) == [expected]
    assert _dcc_alerts(sim, TRANSPORTER) == [expected]
    assert _dcc_alerts(sim, DISTRIBUTOR) == []
    assert _dcc_alerts(sim, NETWORK_OPERATOR) == []


@pytest.mark.spec("FW-02", "CPL-01")
def test_fw02_restores_the_status_held_before_suspension_not_commissioned(sim: Sim) -> None:
    other = "00-DB-12-34-56-78-90-B0"
    sim.dsp.add_device(
        replace(
            sim.record(ESME),
            device_id=other,
            status=SmiStatus.INSTALLED_NOT_COMMISSIONED,
            esme_variant=None,
        )
    )
    assert sim.remove_from_cpl(DeviceType.ESME) == 2
    assert sim.record(other).status_before_suspension is SmiStatus.INSTALLED_NOT_COMMISSIONED
    assert sim.distribute(other).code is ResponseCode.I99

    assert sim.activate(other).code is ResponseCode.I99

    record = sim.record(other)
    assert record.status is SmiStatus.INSTALLED_NOT_COMMISSIONED
    assert record.status_before_suspension is None
    assert record.firmware_version == EXAMPLE_NEW_FIRMWARE
    assert sim.record(ESME).status is SmiStatus.SUSPENDED  # the other device is untouched


@pytest.mark.spec("FW-02")
def test_fw02_commissioned_device_activation_updates_version_without_alerts(sim: Sim) -> None:
    assert sim.distribute(ESME).code is ResponseCode.I99
    _ack_everything(sim)

    assert sim.activate(ESME).code is ResponseCode.I99

    record = sim.record(ESME)
    assert (record.status, record.firmware_version) == (
        SmiStatus.COMMISSIONED,
        EXAMPLE_NEW_FIRMWARE,
    )
    assert _all_users_alert_codes(sim) == {user: [] for user in sim.dsp.state.users}


# -- FW-03: a Removed CPL match updates but does not suspend ---------------------------------


@pytest.mark.spec("FW-03")
def test_fw03_pure_removed_match_updates_version_and_warns() -> None:
    record = _record(SmiStatus.COMMISSIONED)

    outcome = process_reported_version(
        record, EXAMPLE_NEW_FIRMWARE, _cpl(old=CplStatus.CURRENT, new=CplStatus.REMOVED)
    )

    assert outcome.record == replace(record, firmware_version=EXAMPLE_NEW_FIRMWARE)
    assert outcome.record.status is SmiStatus.COMMISSIONED
    assert outcome.alerts == (
        AlertIntent(
            DccAlertCode.FIRMWARE_NO_LONGER_VALID,
            FirmwareVersionMismatch(DeviceType.ESME, EXAMPLE_FIRMWARE, EXAMPLE_NEW_FIRMWARE),
        ),
    )


@pytest.mark.spec("FW-03")
def test_fw03_pure_same_removed_version_changes_nothing() -> None:
    record = _record(SmiStatus.SUSPENDED, before=SmiStatus.COMMISSIONED)

    outcome = process_reported_version(record, EXAMPLE_FIRMWARE, _cpl())

    assert outcome == FirmwareOutcome(record)


@pytest.mark.spec("FW-03", "ALERT-01")
def test_fw03_activating_a_version_removed_meanwhile_updates_without_suspending(
    sim: Sim,
) -> None:
    assert sim.distribute(ESME).code is ResponseCode.I99
    # 0200 is withdrawn after distribution; no device runs it yet, so none is suspended.
    assert sim.remove_from_cpl(DeviceType.ESME, EXAMPLE_NEW_FIRMWARE) == 0
    _ack_everything(sim)

    assert sim.activate(ESME).code is ResponseCode.I99

    record = sim.record(ESME)
    assert (record.status, record.firmware_version) == (
        SmiStatus.COMMISSIONED,
        EXAMPLE_NEW_FIRMWARE,
    )
    assert _dcc_alerts(sim, SUPPLIER_A) == [
        DccAlertMessage(
            DccAlertCode.FIRMWARE_NO_LONGER_VALID,
            ESME,
            sim.dsp.now(),
            FirmwareVersionMismatch(DeviceType.ESME, EXAMPLE_FIRMWARE, EXAMPLE_NEW_FIRMWARE),
        )
    ]
    assert _alert_codes(sim, NETWORK_OPERATOR) == []
    assert _alert_codes(sim, SUPPLIER_B) == []


# -- FW-04: a version on no CPL entry warns and leaves the SMI alone -------------------------


@pytest.mark.spec("FW-04")
@pytest.mark.parametrize("status", [SmiStatus.COMMISSIONED, SmiStatus.SUSPENDED])
def test_fw04_pure_unknown_version_warns_and_leaves_record(status: SmiStatus) -> None:
    before = SmiStatus.COMMISSIONED if status is SmiStatus.SUSPENDED else None
    record = _record(status, before=before)

    outcome = process_reported_version(record, OFF_CPL_FIRMWARE, _cpl())

    assert outcome.record is record
    assert outcome.alerts == (
        AlertIntent(
            DccAlertCode.INVALID_FIRMWARE_VERSION,
            FirmwareVersionMismatch(DeviceType.ESME, EXAMPLE_FIRMWARE, OFF_CPL_FIRMWARE),
        ),
    )


@pytest.mark.spec("FW-04", "FW-10")
def test_fw04_activation_of_an_off_cpl_image_raises_n51_and_keeps_the_smi(sim: Sim) -> None:
    # An image no CPL entry names cannot be distributed by 11.1, so it is put on the device.
    rogue = FirmwareImage.from_bytes(b"rogue image", OFF_CPL_FIRMWARE)
    sim.dsp.device(ESME).firmware.held_image = rogue
    before = sim.record(ESME)

    assert sim.activate(ESME, rogue.hash).code is ResponseCode.I99

    assert sim.dsp.device(ESME).running_version == OFF_CPL_FIRMWARE
    assert sim.record(ESME) == before
    [response] = _responses(sim, "11.3")
    assert response.body == FirmwareActivation(ActivateImageResponseCode.SUCCESS, OFF_CPL_FIRMWARE)
    assert _dcc_alerts(sim, SUPPLIER_A) == [
        DccAlertMessage(
            DccAlertCode.INVALID_FIRMWARE_VERSION,
            ESME,
            sim.dsp.now(),
            FirmwareVersionMismatch(DeviceType.ESME, EXAMPLE_FIRMWARE, OFF_CPL_FIRMWARE),
        )
    ]
    assert _alert_codes(sim, NETWORK_OPERATOR) == []


# -- FW-05: no version, no change -------------------------------------------------------------


@pytest.mark.spec("FW-05")
@pytest.mark.parametrize("status", [SmiStatus.COMMISSIONED, SmiStatus.SUSPENDED])
def test_fw05_pure_no_version_changes_nothing(status: SmiStatus) -> None:
    before = SmiStatus.COMMISSIONED if status is SmiStatus.SUSPENDED else None
    record = _record(status, before=before)

    assert process_reported_version(record, None, _cpl()) == FirmwareOutcome(record)
    for baseline in Baseline:
        outcome = process_activation(
            record, ActivateImageResponseCode.ACTIVATION_FAILURE, None, _cpl(), baseline
        )
        assert outcome == FirmwareOutcome(record)


def _add_smets1_esme(sim: Sim) -> str:
    device_id = "00-DB-12-34-56-78-90-C0"
    model = "ESME-S1"
    for version in (EXAMPLE_FIRMWARE, EXAMPLE_NEW_FIRMWARE):
        sim.dsp.put_cpl_entry(CplEntry(EXAMPLE_MANUFACTURER, model, version))
    sim.dsp.add_device(
        replace(sim.record(ESME), device_id=device_id, smets=SmetsVersion.SMETS1, model=model)
    )
    return device_id


@pytest.mark.spec("FW-05", "DEV-03")
def test_fw05_smets1_retry_without_version_changes_nothing(sim: Sim) -> None:
    smets1 = _add_smets1_esme(sim)
    entry = CplEntry(EXAMPLE_MANUFACTURER, "ESME-S1", EXAMPLE_FIRMWARE, CplStatus.REMOVED)
    assert sim.dsp.put_cpl_entry(entry) == 1
    _run_new_firmware_unheard(sim, smets1)
    _ack_everything(sim)
    before = sim.record(smets1)

    assert sim.activate(smets1).code is ResponseCode.I99

    [response] = _responses(sim, "11.3")
    assert response.body == FirmwareActivation(ActivateImageResponseCode.ACTIVATION_FAILURE, None)
    assert sim.record(smets1) == before
    assert before.status is SmiStatus.SUSPENDED
    assert _all_users_alert_codes(sim) == {user: [] for user in sim.dsp.state.users}


# -- FW-06: 11.2 from ESME, GSME and CHF is processed; from PPMID and HCALCS it is not ---------


@pytest.mark.spec("FW-06", "FW-02", "AUTH-07", "CPL-04")
@pytest.mark.parametrize("device_id", [ESME, GSME, CHF], ids=["ESME", "GSME", "CHF"])
def test_fw06_read_restores_a_suspended_device(sim: Sim, device_id: str) -> None:
    _suspended_running_new_firmware(sim, device_id)

    assert sim.read_firmware(device_id).code is ResponseCode.I99

    record = sim.record(device_id)
    assert (record.status, record.firmware_version) == (
        SmiStatus.COMMISSIONED,
        EXAMPLE_NEW_FIRMWARE,
    )
    # FW-02 restoring the example CHF restores its hub's GPF too, each with N29 (CPL-04).
    restored = [device_id, GPF] if device_id == CHF else [device_id]
    expected = [
        DccAlertMessage(
            DccAlertCode.DEVICE_RESTORED, each, sim.dsp.now(), DeviceStatusChange(restored=True)
        )
        for each in restored
    ]
    assert _dcc_alerts(sim, SUPPLIER_A) == expected
    assert _dcc_alerts(sim, NETWORK_OPERATOR) == expected


@pytest.mark.spec("FW-06", "FW-03")
@pytest.mark.parametrize("device_id", [ESME, GSME, CHF], ids=["ESME", "GSME", "CHF"])
def test_fw06_read_of_a_removed_version_updates_without_suspending(
    sim: Sim, device_id: str
) -> None:
    _run_new_firmware_unheard(sim, device_id)
    assert sim.remove_from_cpl(DEVICE_TYPES[device_id], EXAMPLE_NEW_FIRMWARE) == 0
    _ack_everything(sim)

    assert sim.read_firmware(device_id).code is ResponseCode.I99

    record = sim.record(device_id)
    assert (record.status, record.firmware_version) == (
        SmiStatus.COMMISSIONED,
        EXAMPLE_NEW_FIRMWARE,
    )
    assert _alert_codes(sim, SUPPLIER_A) == [DccAlertCode.FIRMWARE_NO_LONGER_VALID]
    assert _alert_codes(sim, NETWORK_OPERATOR) == []


@pytest.mark.spec("FW-06", "FW-04")
@pytest.mark.parametrize("device_id", [ESME, GSME, CHF], ids=["ESME", "GSME", "CHF"])
def test_fw06_read_of_an_off_cpl_version_raises_n51(sim: Sim, device_id: str) -> None:
    sim.dsp.device(device_id).firmware.running_version = OFF_CPL_FIRMWARE
    before = sim.record(device_id)

    assert sim.read_firmware(device_id).code is ResponseCode.I99

    assert sim.record(device_id) == before
    assert _dcc_alerts(sim, SUPPLIER_A) == [
        DccAlertMessage(
            DccAlertCode.INVALID_FIRMWARE_VERSION,
            device_id,
            sim.dsp.now(),
            FirmwareVersionMismatch(DEVICE_TYPES[device_id], EXAMPLE_FIRMWARE, OFF_CPL_FIRMWARE),
        )
    ]
    assert _alert_codes(sim, NETWORK_OPERATOR) == []


@pytest.mark.spec("FW-06", "FW-05")
@pytest.mark.parametrize("device_id", [ESME, GSME, CHF], ids=["ESME", "GSME", "CHF"])
def test_fw06_read_of_the_recorded_version_changes_nothing(sim: Sim, device_id: str) -> None:
    before = sim.record(device_id)

    assert sim.read_firmware(device_id).code is ResponseCode.I99

    assert sim.record(device_id) == before
    assert _all_users_alert_codes(sim) == {user: [] for user in sim.dsp.state.users}


@pytest.mark.spec("FW-06")
@pytest.mark.parametrize("device_id", [PPMID, HCALCS], ids=["PPMID", "HCALCS"])
def test_fw06_read_from_ppmid_or_hcalcs_is_not_processed(sim: Sim, device_id: str) -> None:
    """Decision (services.firmware._FW_READ_PROCESSED): only ESME, GSME and CHF reads count."""
    _suspend(sim, device_id)
    # A PPMID takes its firmware by 11.4 (not simulated): put the new version on it directly.
    sim.dsp.device(device_id).firmware.running_version = EXAMPLE_NEW_FIRMWARE
    _ack_everything(sim)
    before = sim.record(device_id)

    assert sim.read_firmware(device_id).code is ResponseCode.I99

    [response] = _responses(sim, "11.2")
    assert response.body == FirmwareVersionRead(EXAMPLE_NEW_FIRMWARE, None)
    assert sim.record(device_id) == before
    assert before.status is SmiStatus.SUSPENDED
    assert _all_users_alert_codes(sim) == {user: [] for user in sim.dsp.state.users}


# -- FW-07: a GPF's report never restores the GSME --------------------------------------------


@pytest.mark.spec("FW-07")
def test_fw07_pure_gpf_reading_mismatch_is_n52_only() -> None:
    gsme = replace(
        _record(SmiStatus.SUSPENDED, before=SmiStatus.COMMISSIONED, device_type=DeviceType.GSME),
        device_id=GSME,
    )

    outcome = process_gpf_reading(gsme, EXAMPLE_NEW_FIRMWARE)

    assert outcome.record is gsme
    assert outcome.alerts == (
        AlertIntent(
            DccAlertCode.GSME_FIRMWARE_MISMATCH,
            FirmwareVersionMismatch(DeviceType.GSME, EXAMPLE_FIRMWARE, EXAMPLE_NEW_FIRMWARE),
        ),
    )
    assert process_gpf_reading(gsme, EXAMPLE_FIRMWARE) == FirmwareOutcome(gsme)
    assert process_gpf_reading(gsme, None) == FirmwareOutcome(gsme)


@pytest.mark.spec("FW-07", "DEV-06", "ALERT-01")
def test_fw07_gpf_read_never_restores_the_gsme_but_raises_n52(sim: Sim) -> None:
    _suspended_running_new_firmware(sim, GSME)
    gsme_before, gpf_before = sim.record(GSME), sim.record(GPF)

    assert sim.read_firmware(GPF).code is ResponseCode.I99

    [response] = _responses(sim, "11.2")
    assert response.body == FirmwareVersionRead(EXAMPLE_FIRMWARE, EXAMPLE_NEW_FIRMWARE)
    assert sim.record(GSME) == gsme_before
    assert gsme_before.status is SmiStatus.SUSPENDED
    assert sim.record(GPF) == gpf_before
    assert _dcc_alerts(sim, SUPPLIER_A) == [
        DccAlertMessage(
            DccAlertCode.GSME_FIRMWARE_MISMATCH,
            GSME,
            sim.dsp.now(),
            FirmwareVersionMismatch(DeviceType.GSME, EXAMPLE_FIRMWARE, EXAMPLE_NEW_FIRMWARE),
        )
    ]
    assert _alert_codes(sim, NETWORK_OPERATOR) == []
    assert _alert_codes(sim, SUPPLIER_B) == []


@pytest.mark.spec("FW-07")
def test_fw07_gpf_read_matching_the_smi_raises_nothing(sim: Sim) -> None:
    gsme_before = sim.record(GSME)

    assert sim.read_firmware(GPF).code is ResponseCode.I99

    [response] = _responses(sim, "11.2")
    assert response.body == FirmwareVersionRead(EXAMPLE_FIRMWARE, EXAMPLE_FIRMWARE)
    assert sim.record(GSME) == gsme_before
    assert _all_users_alert_codes(sim) == {user: [] for user in sim.dsp.state.users}


# -- FW-08: future-dated activation alerts ------------------------------------------------------


def _schedule_activation(sim: Sim, device_id: str, image_hash: bytes = NEW_IMAGE_HASH):
    when = sim.dsp.now() + timedelta(hours=2)
    answer = sim.activate(device_id, image_hash, execution_datetime=when)
    assert answer.code is ResponseCode.I99
    [accepted] = _responses(sim, "11.3")
    assert accepted.body == FirmwareActivation(None, None)  # commandAccepted
    return answer.request_id, when


@pytest.mark.spec("FW-08", "FW-02", "DEV-02", "REQ-07")
def test_fw08_actioned_future_dated_activation_restores_via_0x8f66(sim: Sim) -> None:
    _suspend(sim, ESME)
    assert sim.distribute(ESME).code is ResponseCode.I99
    _ack_everything(sim)
    rid, when = _schedule_activation(sim, ESME)
    assert sim.dsp.device(ESME).running_version == EXAMPLE_FIRMWARE
    assert sim.record(ESME).status is SmiStatus.SUSPENDED

    assert sim.dsp.advance(timedelta(hours=3)) == 1

    assert sim.dsp.device(ESME).running_version == EXAMPLE_NEW_FIRMWARE
    device_alerts = [m for m in sim.messages() if isinstance(m, DeviceAlertMessage)]
    assert device_alerts == [
        DeviceAlertMessage(
            ESME,
            MessageCode.FUTURE_DATED_FIRMWARE_ACTIVATION,
            AlertCode.FUTURE_DATED_COMMAND_ACTIONED,
            when,
            EXAMPLE_NEW_FIRMWARE,
            rid,
            activation_code=ActivateImageResponseCode.SUCCESS,  # GBCS 0x00CA's outcome
        )
    ]
    assert device_alerts[0].message_code == 0x00CA
    assert device_alerts[0].alert_code == 0x8F66
    record = sim.record(ESME)
    assert (record.status, record.firmware_version) == (
        SmiStatus.COMMISSIONED,
        EXAMPLE_NEW_FIRMWARE,
    )
    restored = DccAlertMessage(
        DccAlertCode.DEVICE_RESTORED, ESME, when, DeviceStatusChange(restored=True)
    )
    assert _dcc_alerts(sim, SUPPLIER_A) == [restored]
    assert _dcc_alerts(sim, NETWORK_OPERATOR) == [restored]


@pytest.mark.spec("FW-08", "FW-03")
def test_fw08_actioned_alert_with_a_removed_version_updates_and_raises_n50(sim: Sim) -> None:
    assert sim.distribute(ESME).code is ResponseCode.I99
    _schedule_activation(sim, ESME)
    assert sim.remove_from_cpl(DeviceType.ESME, EXAMPLE_NEW_FIRMWARE) == 0
    _ack_everything(sim)

    sim.dsp.advance(timedelta(hours=3))

    record = sim.record(ESME)
    assert (record.status, record.firmware_version) == (
        SmiStatus.COMMISSIONED,
        EXAMPLE_NEW_FIRMWARE,
    )
    assert _alert_codes(sim, SUPPLIER_A) == [DccAlertCode.FIRMWARE_NO_LONGER_VALID]
    assert _alert_codes(sim, NETWORK_OPERATOR) == []


@pytest.mark.spec("FW-08", "DEV-04")
def test_fw08_hash_mismatch_at_execution_raises_0x8f67_and_changes_nothing(sim: Sim) -> None:
    assert sim.distribute(ESME).code is ResponseCode.I99
    wrong_hash = hashlib.sha256(b"not the distributed image").digest()
    rid, when = _schedule_activation(sim, ESME, wrong_hash)
    _ack_everything(sim)
    before = sim.record(ESME)

    sim.dsp.advance(timedelta(hours=3))

    assert sim.dsp.device(ESME).running_version == EXAMPLE_FIRMWARE
    assert [m for m in sim.messages() if isinstance(m, DeviceAlertMessage)] == [
        DeviceAlertMessage(
            ESME,
            MessageCode.FUTURE_DATED_FIRMWARE_ACTIVATION,
            AlertCode.FUTURE_DATED_COMMAND_NOT_ACTIONED,
            when,
            EXAMPLE_FIRMWARE,
            rid,
            activation_code=ActivateImageResponseCode.HASH_MISMATCH,
        )
    ]
    assert sim.record(ESME) == before
    assert _all_users_alert_codes(sim) == {user: [] for user in sim.dsp.state.users}


@pytest.mark.spec("FW-08", "FW-01", "FW-02")
def test_fw08_not_actioned_alert_carrying_a_current_version_still_restores(sim: Sim) -> None:
    """A future-dated retry after a lost 11.3: nothing to activate (0x8F67), but the version
    it carries is Current, so the device is restored like FW-02."""
    _suspended_running_new_firmware(sim, ESME)
    rid, _ = _schedule_activation(sim, ESME)
    _ack_everything(sim)

    sim.dsp.advance(timedelta(hours=3))

    [alert] = [m for m in sim.messages() if isinstance(m, DeviceAlertMessage)]
    assert (alert.alert_code, alert.firmware_version, alert.request_id) == (
        AlertCode.FUTURE_DATED_COMMAND_NOT_ACTIONED,
        EXAMPLE_NEW_FIRMWARE,
        rid,
    )
    record = sim.record(ESME)
    assert (record.status, record.firmware_version) == (
        SmiStatus.COMMISSIONED,
        EXAMPLE_NEW_FIRMWARE,
    )
    assert _alert_codes(sim, SUPPLIER_A) == [DccAlertCode.DEVICE_RESTORED]
    assert _alert_codes(sim, NETWORK_OPERATOR) == [DccAlertCode.DEVICE_RESTORED]


@pytest.mark.spec("FW-08", "REQ-07")
def test_fw08_nothing_happens_before_the_execution_time(sim: Sim) -> None:
    _suspend(sim, ESME)
    assert sim.distribute(ESME).code is ResponseCode.I99
    _ack_everything(sim)
    _schedule_activation(sim, ESME)
    _ack_everything(sim)

    assert sim.dsp.advance(timedelta(hours=1)) == 0

    assert sim.dsp.device(ESME).running_version == EXAMPLE_FIRMWARE
    assert sim.record(ESME).status is SmiStatus.SUSPENDED
    assert sim.messages(SUPPLIER_A) == []


# -- FW-09: automatic -----------------------------------------------------------------------------


@pytest.mark.spec("FW-09", "CPL-02")
def test_fw09_restoration_needs_no_control_step(sim: Sim) -> None:
    _suspended_running_new_firmware(sim, ESME)
    controls_before = sim.dsp.journal.events(EventKind.CONTROL)

    assert sim.read_firmware(ESME).code is ResponseCode.I99

    assert sim.record(ESME).status is SmiStatus.COMMISSIONED
    # No control operation (such as an administrative restore) was involved.
    assert sim.dsp.journal.events(EventKind.CONTROL) == controls_before
    changes = [
        e
        for e in sim.dsp.journal.events(EventKind.SMI_CHANGE)
        if e.details.get("device") == ESME and e.details.get("status") == SmiStatus.COMMISSIONED
    ]
    assert [e.summary for e in changes] == ["11.2 response"]


# -- FW-10: the user hears what the device said -------------------------------------------------


@pytest.mark.spec("FW-10", "FW-04", "REQ-03")
def test_fw10_read_response_carries_the_device_version_even_when_smi_refuses_it(
    sim: Sim,
) -> None:
    sim.dsp.device(ESME).firmware.running_version = OFF_CPL_FIRMWARE

    answer = sim.read_firmware(ESME)

    assert answer.code is ResponseCode.I99
    [response] = _responses(sim, "11.2")
    assert response == ServiceResponse(
        request_id=answer.request_id,
        response_id=f"{ESME}:{SUPPLIER_A}:{answer.request_id.counter}",
        srv="11.2",
        code=ResponseCode.I0,
        device_id=ESME,
        issued_at=sim.dsp.now(),
        body=FirmwareVersionRead(OFF_CPL_FIRMWARE, None),
    )
    assert sim.record(ESME).firmware_version == EXAMPLE_FIRMWARE
    assert _alert_codes(sim) == [DccAlertCode.INVALID_FIRMWARE_VERSION]


@pytest.mark.spec("FW-10", "FW-01")
def test_fw10_activation_response_carries_the_device_code_when_smi_is_updated(sim: Sim) -> None:
    _suspended_running_new_firmware(sim, ESME)

    sim.activate(ESME)

    [response] = _responses(sim, "11.3")
    # The SMI counted the version, but the user still sees the device's noImageHeld.
    assert response.code is ResponseCode.I0
    assert response.body == FirmwareActivation(
        ActivateImageResponseCode.NO_IMAGE_HELD, EXAMPLE_NEW_FIRMWARE
    )
    assert sim.record(ESME).status is SmiStatus.COMMISSIONED
