"""Simulated devices and their firmware behaviour (SPEC §5, DEV-01 … DEV-07): directly on
dccsim.devices, and through the DSP."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dccsim.devices.codes import AlertCode, MessageCode, receipt_message_code
from dccsim.devices.device import DeviceAlert, FirmwareReading, SimulatedDevice
from dccsim.devices.firmware import (
    ActivateImageResponseCode,
    ActivationResult,
    FirmwareImage,
    SingleStepFirmware,
    TwoStepFirmware,
)
from dccsim.devices.kinds import DeviceType, SmetsVersion
from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.faults import FaultAction, FaultRule, FaultStage
from dccsim.server.core.journal import EventKind
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.messages import (
    DeviceAlertMessage,
    FirmwareActivation,
    FirmwareVersionRead,
    ServiceResponse,
    UpdateFirmwareWarnings,
)
from dccsim.server.core.records import CplEntry, SmiStatus
from dccsim.server.core.requests import UpdateFirmware
from tests.conftest import (
    CHF,
    ESME,
    EXAMPLE_FIRMWARE,
    EXAMPLE_MANUFACTURER,
    EXAMPLE_NEW_FIRMWARE,
    GPF,
    GSME,
    HCALCS,
    NEW_IMAGE,
    NEW_IMAGE_HASH,
    PPMID,
    SUPPLIER_A,
    SUPPLIER_B,
    Sim,
    example_model,
)

CPL_TYPES = [
    DeviceType.ESME,
    DeviceType.GSME,
    DeviceType.GPF,
    DeviceType.CHF,
    DeviceType.PPMID,
    DeviceType.HCALCS,
]
FLEET = {
    DeviceType.ESME: ESME,
    DeviceType.GSME: GSME,
    DeviceType.GPF: GPF,
    DeviceType.CHF: CHF,
    DeviceType.PPMID: PPMID,
    DeviceType.HCALCS: HCALCS,
}
T0 = datetime(2026, 1, 1, tzinfo=UTC)
WRONG_HASH = hashlib.sha256(b"some other image").digest()
NEW = FirmwareImage.from_bytes(NEW_IMAGE, EXAMPLE_NEW_FIRMWARE)


def _device(
    device_type: DeviceType = DeviceType.ESME, smets: SmetsVersion = SmetsVersion.SMETS2
) -> SimulatedDevice:
    return SimulatedDevice.create(
        FLEET[device_type],
        device_type,
        smets,
        EXAMPLE_MANUFACTURER,
        example_model(device_type),
        EXAMPLE_FIRMWARE,
    )


def _device_alerts(sim: Sim, user: str = SUPPLIER_A) -> list[DeviceAlertMessage]:
    return [m for m in sim.messages(user) if isinstance(m, DeviceAlertMessage)]


def _responses(sim: Sim, srv: str, user: str = SUPPLIER_A) -> list[ServiceResponse]:
    return [m for m in sim.messages(user) if isinstance(m, ServiceResponse) and m.srv == srv]


def _add_device(sim: Sim, device_id: str, like: str = ESME, **changes: object) -> str:
    sim.dsp.add_device(replace(sim.record(like), device_id=device_id, **changes))
    return device_id


def _add_smets1_esme(sim: Sim, device_id: str = "00-DB-12-34-56-78-90-C0") -> str:
    model = "ESME-S1"
    for version in (EXAMPLE_FIRMWARE, EXAMPLE_NEW_FIRMWARE):
        sim.dsp.put_cpl_entry(CplEntry(EXAMPLE_MANUFACTURER, model, version))
    return _add_device(sim, device_id, smets=SmetsVersion.SMETS1, model=model)


# -- DEV-01: every kind, either generation, holds its own firmware -----------------------------


@pytest.mark.spec("DEV-01")
@pytest.mark.parametrize("smets", list(SmetsVersion))
@pytest.mark.parametrize("device_type", CPL_TYPES)
def test_dev01_each_kind_holds_its_running_version(
    device_type: DeviceType, smets: SmetsVersion
) -> None:
    device = _device(device_type, smets)

    assert (device.device_type, device.smets) == (device_type, smets)
    assert device.running_version == EXAMPLE_FIRMWARE
    assert device.firmware.held_image is None
    expected = SingleStepFirmware if smets is SmetsVersion.SMETS1 else TwoStepFirmware
    assert type(device.firmware) is expected


@pytest.mark.spec("DEV-01", "DEV-02")
@pytest.mark.parametrize("device_type", CPL_TYPES)
def test_dev01_two_step_device_holds_the_distributed_image_and_hash(
    device_type: DeviceType,
) -> None:
    device = _device(device_type)

    device.receive_image(NEW)

    assert device.running_version == EXAMPLE_FIRMWARE  # held, not active
    assert device.firmware.held_image == NEW
    assert device.firmware.held_image.hash == NEW_IMAGE_HASH
    assert device.firmware.held_image.version == EXAMPLE_NEW_FIRMWARE


@pytest.mark.spec("DEV-01")
def test_dev01_each_device_keeps_its_own_state() -> None:
    esme, gsme = _device(DeviceType.ESME), _device(DeviceType.GSME)

    esme.receive_image(NEW)
    esme.activate_firmware(NEW_IMAGE_HASH)

    assert esme.running_version == EXAMPLE_NEW_FIRMWARE
    assert gsme.running_version == EXAMPLE_FIRMWARE
    assert gsme.firmware.held_image is None


@pytest.mark.spec("DEV-01", "DEV-02")
def test_dev01_fleet_devices_hold_the_image_after_11_1(sim: Sim) -> None:
    answer = sim.distribute(*FLEET.values())

    assert answer.code is ResponseCode.I99
    for device_id in FLEET.values():
        device = sim.dsp.device(device_id)
        assert device.running_version == EXAMPLE_FIRMWARE
        assert device.firmware.held_image == NEW


# -- DEV-02: SMETS2 two-step ------------------------------------------------------------------


@pytest.mark.spec("DEV-02", "DEV-05")
def test_dev02_each_smets2_device_raises_a_successful_receipt(sim: Sim) -> None:
    answer = sim.distribute(*FLEET.values())

    assert answer.code is ResponseCode.I99
    assert answer.body is None
    now = sim.dsp.now()
    assert _device_alerts(sim) == [
        DeviceAlertMessage(
            device_id,
            receipt_message_code(device_type),
            AlertCode.FIRMWARE_VERIFICATION_SUCCESSFUL,
            now,
            None,
            answer.request_id,
            image_hash=NEW_IMAGE_HASH,  # the hash the device calculated (GBCS 0x00CE/0x00CF)
        )
        for device_type, device_id in FLEET.items()
    ]
    assert {a.alert_code for a in _device_alerts(sim)} == {0x8F72}


@pytest.mark.spec("DEV-02", "FAULT-01")
def test_dev02_failed_verification_raises_0x8f1c_and_nothing_is_held(sim: Sim) -> None:
    sim.dsp.faults.add(
        FaultRule(FaultAction.FAIL_VERIFICATION, stage=FaultStage.DEVICE_ALERT, srv="11.1")
    )

    answer = sim.distribute(ESME)

    assert answer.code is ResponseCode.I99
    assert _device_alerts(sim) == [
        DeviceAlertMessage(
            ESME,
            MessageCode.FIRMWARE_DISTRIBUTION_RECEIPT_DLMS,
            AlertCode.FIRMWARE_VERIFICATION_FAILED,
            sim.dsp.now(),
            None,
            answer.request_id,
            image_hash=NEW_IMAGE_HASH,
        )
    ]
    assert _device_alerts(sim)[0].alert_code == 0x8F1C
    assert sim.dsp.device(ESME).firmware.held_image is None
    sim.activate(ESME)
    assert sim.dsp.device(ESME).running_version == EXAMPLE_FIRMWARE
    [response] = _responses(sim, "11.3")
    assert response.body == FirmwareActivation(
        ActivateImageResponseCode.NO_IMAGE_HELD, EXAMPLE_FIRMWARE
    )


@pytest.mark.spec("DEV-02")
def test_dev02_receipt_message_codes_by_device_type() -> None:
    assert receipt_message_code(DeviceType.ESME) == 0x00CE
    assert receipt_message_code(DeviceType.CHF) == 0x00CE
    assert receipt_message_code(DeviceType.GPF) == 0x00CE
    assert receipt_message_code(DeviceType.GSME) == 0x00CF
    assert receipt_message_code(DeviceType.PPMID) == 0x00CF
    assert receipt_message_code(DeviceType.HCALCS) == 0x012C


@pytest.mark.spec("DEV-02")
def test_dev02_warning_list_invalid_device_ids(sim: Sim) -> None:
    unknown = "00-DB-12-34-56-78-90-FF"
    # SUPPLIER_B is not the Responsible Supplier of the fleet: all its IDs are invalid.
    answer_b = sim.send(
        "11.1",
        UpdateFirmware(NEW_IMAGE, EXAMPLE_NEW_FIRMWARE, (ESME,)),
        target=sim.acb,
        cv=CommandVariant.NON_DEVICE,
        user=SUPPLIER_B,
    )
    answer = sim.distribute(ESME, unknown)

    assert answer_b.code is ResponseCode.W110101
    assert answer_b.body == UpdateFirmwareWarnings(invalid_device_ids=(ESME,))
    assert answer.code is ResponseCode.W110101
    assert answer.body == UpdateFirmwareWarnings(invalid_device_ids=(unknown,))
    # The valid device got the image once (from SUPPLIER_A's request only).
    assert sim.dsp.device(ESME).firmware.held_image == NEW
    assert [a.device_id for a in _device_alerts(sim)] == [ESME]
    assert _device_alerts(sim, SUPPLIER_B) == []


@pytest.mark.spec("DEV-02")
def test_dev02_warning_lists_all_four_at_once(sim: Sim) -> None:
    unknown = "00-DB-12-34-56-78-90-FF"
    not_commissioned = _add_device(
        sim, "00-DB-12-34-56-78-90-B1", status=SmiStatus.INSTALLED_NOT_COMMISSIONED
    )
    wrong_model = _add_device(sim, "00-DB-12-34-56-78-90-B2", model="ESME-OTHER")
    busy = _add_device(sim, "00-DB-12-34-56-78-90-B3")
    assert sim.distribute(busy).code is ResponseCode.I99
    when = sim.dsp.now() + timedelta(days=1)
    assert sim.activate(busy, execution_datetime=when).code is ResponseCode.I99
    sim.dsp.acknowledge(SUPPLIER_A, sim.dsp.outbox(SUPPLIER_A).last_sequence)

    answer = sim.distribute(ESME, unknown, not_commissioned, wrong_model, busy)

    assert answer.code is ResponseCode.W110101
    assert answer.body == UpdateFirmwareWarnings(
        invalid_device_ids=(unknown,),
        not_commissioned=(not_commissioned,),
        not_applicable_firmware=(wrong_model,),
        other_request_in_progress=(busy,),
    )
    assert [a.device_id for a in _device_alerts(sim)] == [ESME]
    for device_id in (not_commissioned, wrong_model):
        assert sim.dsp.device(device_id).firmware.held_image is None


@pytest.mark.spec("DEV-02")
def test_dev02_version_not_current_on_the_cpl_is_not_applicable(sim: Sim) -> None:
    assert sim.remove_from_cpl(DeviceType.ESME, EXAMPLE_NEW_FIRMWARE) == 0

    answer = sim.distribute(ESME, GSME)

    assert answer.code is ResponseCode.W110101
    assert answer.body == UpdateFirmwareWarnings(not_applicable_firmware=(ESME,))
    assert sim.dsp.device(ESME).firmware.held_image is None
    assert sim.dsp.device(GSME).firmware.held_image == NEW


@pytest.mark.spec("DEV-02")
def test_dev02_immediate_activation_success_runs_the_held_image(sim: Sim) -> None:
    assert sim.distribute(ESME).code is ResponseCode.I99

    assert sim.activate(ESME).code is ResponseCode.I99

    [response] = _responses(sim, "11.3")
    assert response.code is ResponseCode.I0
    assert response.body == FirmwareActivation(
        ActivateImageResponseCode.SUCCESS, EXAMPLE_NEW_FIRMWARE
    )
    device = sim.dsp.device(ESME)
    assert device.running_version == EXAMPLE_NEW_FIRMWARE
    assert device.firmware.held_image is None


@pytest.mark.spec("DEV-02", "FW-08")
def test_dev02_future_dated_activation_answers_command_accepted(sim: Sim) -> None:
    assert sim.distribute(ESME).code is ResponseCode.I99
    when = sim.dsp.now() + timedelta(minutes=30)

    assert sim.activate(ESME, execution_datetime=when).code is ResponseCode.I99

    [response] = _responses(sim, "11.3")
    assert response.body == FirmwareActivation(None, None)
    assert sim.dsp.device(ESME).running_version == EXAMPLE_FIRMWARE
    sim.dsp.advance(timedelta(minutes=30))
    assert sim.dsp.device(ESME).running_version == EXAMPLE_NEW_FIRMWARE
    [alert] = _device_alerts(sim)[-1:]
    assert (alert.message_code, alert.alert_code, alert.issued_at) == (0x00CA, 0x8F66, when)


@pytest.mark.spec("DEV-02")
def test_dev02_two_step_machine_answers_each_activation_code() -> None:
    machine = TwoStepFirmware(EXAMPLE_FIRMWARE)
    assert machine.activate(NEW_IMAGE_HASH) == ActivationResult(
        ActivateImageResponseCode.NO_IMAGE_HELD, EXAMPLE_FIRMWARE
    )
    machine.receive(NEW)
    assert machine.activate(WRONG_HASH) == ActivationResult(
        ActivateImageResponseCode.HASH_MISMATCH, EXAMPLE_FIRMWARE
    )
    assert machine.activate(NEW_IMAGE_HASH) == ActivationResult(
        ActivateImageResponseCode.SUCCESS, EXAMPLE_NEW_FIRMWARE
    )
    assert machine.schedule(NEW_IMAGE_HASH, T0) == ActivationResult(None, None)
    assert machine.schedule(NEW_IMAGE_HASH, T0).accepted_for_later


# -- DEV-03: SMETS1 single-step ----------------------------------------------------------------


@pytest.mark.spec("DEV-03")
def test_dev03_smets1_gets_no_receipt_and_applies_at_11_3(sim: Sim) -> None:
    smets1 = _add_smets1_esme(sim)

    answer = sim.distribute(smets1)

    assert answer.code is ResponseCode.I99
    assert _device_alerts(sim) == []
    assert sim.dsp.device(smets1).running_version == EXAMPLE_FIRMWARE

    assert sim.activate(smets1).code is ResponseCode.I99
    assert sim.dsp.device(smets1).running_version == EXAMPLE_NEW_FIRMWARE
    assert sim.record(smets1).firmware_version == EXAMPLE_NEW_FIRMWARE

    assert sim.activate(smets1).code is ResponseCode.I99
    assert [r.body for r in _responses(sim, "11.3")] == [
        FirmwareActivation(ActivateImageResponseCode.SUCCESS, EXAMPLE_NEW_FIRMWARE),
        FirmwareActivation(ActivateImageResponseCode.ACTIVATION_FAILURE, None),
    ]
    assert sim.dsp.device(smets1).running_version == EXAMPLE_NEW_FIRMWARE


@pytest.mark.spec("DEV-03")
def test_dev03_single_step_machine_directly() -> None:
    device = _device(DeviceType.ESME, SmetsVersion.SMETS1)

    assert device.receive_image(NEW) is None  # no receipt
    assert device.running_version == EXAMPLE_FIRMWARE
    first = device.activate_firmware(NEW_IMAGE_HASH)
    retry = device.activate_firmware(NEW_IMAGE_HASH)

    assert first == ActivationResult(ActivateImageResponseCode.SUCCESS, EXAMPLE_NEW_FIRMWARE)
    assert retry == ActivationResult(ActivateImageResponseCode.ACTIVATION_FAILURE, None)
    assert device.running_version == EXAMPLE_NEW_FIRMWARE


# -- DEV-04: hash mismatch and no image ----------------------------------------------------------


@pytest.mark.spec("DEV-04")
def test_dev04_hash_mismatch_activates_nothing(sim: Sim) -> None:
    assert sim.distribute(ESME).code is ResponseCode.I99

    assert sim.activate(ESME, WRONG_HASH).code is ResponseCode.I99

    [response] = _responses(sim, "11.3")
    assert response.body == FirmwareActivation(
        ActivateImageResponseCode.HASH_MISMATCH, EXAMPLE_FIRMWARE
    )
    device = sim.dsp.device(ESME)
    assert device.running_version == EXAMPLE_FIRMWARE
    assert device.firmware.held_image == NEW  # still held: the right hash can activate it
    assert sim.record(ESME).firmware_version == EXAMPLE_FIRMWARE


@pytest.mark.spec("DEV-04")
def test_dev04_no_image_held(sim: Sim) -> None:
    assert sim.activate(ESME).code is ResponseCode.I99

    [response] = _responses(sim, "11.3")
    assert response.body == FirmwareActivation(
        ActivateImageResponseCode.NO_IMAGE_HELD, EXAMPLE_FIRMWARE
    )
    assert sim.dsp.device(ESME).running_version == EXAMPLE_FIRMWARE


@pytest.mark.spec("DEV-04")
@pytest.mark.parametrize("smets", list(SmetsVersion))
def test_dev04_machines_directly(smets: SmetsVersion) -> None:
    device = _device(DeviceType.ESME, smets)
    assert device.activate_firmware(NEW_IMAGE_HASH) == ActivationResult(
        ActivateImageResponseCode.NO_IMAGE_HELD, EXAMPLE_FIRMWARE
    )
    device.receive_image(NEW)
    assert device.activate_firmware(WRONG_HASH) == ActivationResult(
        ActivateImageResponseCode.HASH_MISMATCH, EXAMPLE_FIRMWARE
    )
    assert device.running_version == EXAMPLE_FIRMWARE


# -- DEV-05: HCALCS receipts ---------------------------------------------------------------------


@pytest.mark.spec("DEV-05")
@pytest.mark.parametrize(
    ("fail", "alert_code"),
    [
        (False, AlertCode.FIRMWARE_VERIFICATION_SUCCESSFUL),
        (True, AlertCode.FIRMWARE_VERIFICATION_FAILED),
    ],
)
def test_dev05_hcalcs_receipt_travels_in_0x012c(sim: Sim, fail: bool, alert_code: int) -> None:
    if fail:
        sim.dsp.faults.add(
            FaultRule(FaultAction.FAIL_VERIFICATION, stage=FaultStage.DEVICE_ALERT, srv="11.1")
        )

    answer = sim.distribute(HCALCS)

    assert answer.code is ResponseCode.I99
    assert _device_alerts(sim) == [
        DeviceAlertMessage(
            HCALCS,
            0x012C,
            alert_code,
            sim.dsp.now(),
            None,
            answer.request_id,
            image_hash=NEW_IMAGE_HASH,
        )
    ]
    assert _device_alerts(sim)[0].message_code is MessageCode.FIRMWARE_DISTRIBUTION_RECEIPT_HCALCS


@pytest.mark.spec("DEV-05")
@pytest.mark.parametrize("verifies", [True, False])
def test_dev05_hcalcs_device_alert_directly(verifies: bool) -> None:
    device = _device(DeviceType.HCALCS)

    alert = device.receive_image(NEW, verifies=verifies)

    assert alert == DeviceAlert(
        HCALCS,
        MessageCode.FIRMWARE_DISTRIBUTION_RECEIPT_HCALCS,
        AlertCode.FIRMWARE_VERIFICATION_SUCCESSFUL if verifies else 0x8F1C,
        image_hash=NEW_IMAGE_HASH,
    )


# -- DEV-06: GPF and GSME answer 11.2 ---------------------------------------------------------


@pytest.mark.spec("DEV-06")
def test_dev06_gpf_reports_its_own_and_the_gsme_version(sim: Sim) -> None:
    assert sim.distribute(GSME).code is ResponseCode.I99
    assert sim.activate(GSME).code is ResponseCode.I99

    sim.read_firmware(GPF)
    sim.read_firmware(GSME)

    assert [(r.device_id, r.body) for r in _responses(sim, "11.2")] == [
        (GPF, FirmwareVersionRead(EXAMPLE_FIRMWARE, EXAMPLE_NEW_FIRMWARE)),
        (GSME, FirmwareVersionRead(EXAMPLE_NEW_FIRMWARE, None)),
    ]


@pytest.mark.spec("DEV-06")
def test_dev06_devices_directly() -> None:
    gpf, gsme = _device(DeviceType.GPF), _device(DeviceType.GSME)
    gpf.firmware.running_version = "0150"
    assert gpf.read_firmware_version() == FirmwareReading("0150", None)  # not yet paired
    gpf.gsme = gsme
    gsme.receive_image(NEW)
    gsme.activate_firmware(NEW_IMAGE_HASH)

    assert gpf.read_firmware_version() == FirmwareReading("0150", EXAMPLE_NEW_FIRMWARE)
    assert gsme.read_firmware_version() == FirmwareReading(EXAMPLE_NEW_FIRMWARE, None)


# -- DEV-07: a lost response does not undo the work -----------------------------------------------


@pytest.mark.spec("DEV-07", "FAULT-03")
def test_dev07_dropped_11_3_response_still_leaves_new_firmware_running(sim: Sim) -> None:
    assert sim.distribute(ESME).code is ResponseCode.I99
    sim.dsp.faults.add(FaultRule(FaultAction.DROP, srv="11.3"))

    assert sim.activate(ESME).code is ResponseCode.I99

    assert sim.dsp.device(ESME).running_version == EXAMPLE_NEW_FIRMWARE
    assert sim.dsp.device(ESME).firmware.held_image is None
    assert _responses(sim, "11.3") == []
    assert sim.record(ESME).firmware_version == EXAMPLE_FIRMWARE
    faults = sim.dsp.journal.events(EventKind.FAULT)
    assert [e.summary for e in faults] == ["dropped SRV 11.3 response"]


# -- property: a failed verification never runs --------------------------------------------------

_IMAGES = [FirmwareImage.from_bytes(f"image {i}".encode(), f"V{i}") for i in range(4)]
_HASHES = [image.hash for image in _IMAGES] + [WRONG_HASH]

_receive = st.tuples(st.just("receive"), st.integers(0, len(_IMAGES) - 1), st.booleans())
_activate = st.tuples(st.just("activate"), st.integers(0, len(_HASHES) - 1))
_schedule = st.tuples(st.just("schedule"), st.integers(0, len(_HASHES) - 1), st.integers(0, 10))
_run_due = st.tuples(st.just("run_due"), st.integers(0, 10))
_cancel = st.tuples(st.just("cancel"))


@pytest.mark.spec("DEV-01", "DEV-02", "DEV-03", "DEV-04")
@settings(max_examples=300, deadline=None)
@given(
    machine_type=st.sampled_from([TwoStepFirmware, SingleStepFirmware]),
    operations=st.lists(st.one_of(_receive, _activate, _schedule, _run_due, _cancel), max_size=30),
)
def test_firmware_machine_never_runs_an_image_whose_verification_failed(
    machine_type: type[TwoStepFirmware], operations: list[tuple]
) -> None:
    machine = machine_type("V-initial")
    allowed = {"V-initial"}
    for operation in operations:
        match operation:
            case ("receive", index, verifies):
                machine.receive(_IMAGES[index], verifies=verifies)
                if verifies:
                    allowed.add(_IMAGES[index].version)
            case ("activate", index):
                result = machine.activate(_HASHES[index])
                assert result.firmware_version in (None, machine.running_version)
            case ("schedule", index, minutes):
                machine.schedule(_HASHES[index], T0 + timedelta(minutes=minutes))
            case ("run_due", minutes):
                machine.run_due(T0 + timedelta(minutes=minutes))
            case ("cancel",):
                machine.cancel()
        assert machine.running_version in allowed
        held = machine.held_image
        assert held is None or held.version in allowed


@pytest.mark.spec("DEV-07", "FW-08")
def test_dev07_lost_command_accepted_still_activates_at_the_execution_time(sim: Sim) -> None:
    assert sim.distribute(ESME).code is ResponseCode.I99
    sim.dsp.faults.add(FaultRule(FaultAction.DROP, srv="11.3"))
    when = sim.dsp.now() + timedelta(hours=1)

    assert sim.activate(ESME, execution_datetime=when).code is ResponseCode.I99
    assert _responses(sim, "11.3") == []
    sim.dsp.advance(timedelta(hours=1))

    assert sim.dsp.device(ESME).running_version == EXAMPLE_NEW_FIRMWARE
    [alert] = [a for a in _device_alerts(sim) if a.message_code == 0x00CA]
    assert (alert.alert_code, alert.firmware_version) == (0x8F66, EXAMPLE_NEW_FIRMWARE)
    assert sim.record(ESME).firmware_version == EXAMPLE_NEW_FIRMWARE


@pytest.mark.spec("DEV-07", "FW-08")
def test_dev07_lost_0x00ca_alert_still_leaves_new_firmware_running(sim: Sim) -> None:
    assert sim.distribute(ESME).code is ResponseCode.I99
    sim.dsp.faults.add(FaultRule(FaultAction.DROP, stage=FaultStage.DEVICE_ALERT, srv="11.3"))
    when = sim.dsp.now() + timedelta(hours=1)
    assert sim.activate(ESME, execution_datetime=when).code is ResponseCode.I99

    sim.dsp.advance(timedelta(hours=1))

    assert sim.dsp.device(ESME).running_version == EXAMPLE_NEW_FIRMWARE
    assert [a for a in _device_alerts(sim) if a.message_code == 0x00CA] == []
    assert sim.record(ESME).firmware_version == EXAMPLE_FIRMWARE  # the DSP never heard
