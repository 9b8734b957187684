"""Firmware SRVs: 11.1 Update Firmware (the DSP distributes), 11.2 Read Firmware Version and
11.3 Activate Firmware (the device answers; FW-* response processing)."""

from __future__ import annotations

from functools import partial

from dccsim.devices.device import DeviceAlert, FirmwareReading, SimulatedDevice
from dccsim.devices.firmware import ActivateImageResponseCode, FirmwareImage
from dccsim.devices.kinds import DeviceType
from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.delivery import (
    Outcome,
    apply_outcome,
    decide,
    deliver_device_alert,
    nothing,
)
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.eui import parse_eui64
from dccsim.server.core.faults import FaultAction, FaultStage
from dccsim.server.core.fields import check_firmware_version
from dccsim.server.core.firmware_processing import (
    process_activation,
    process_gpf_reading,
    process_reported_version,
)
from dccsim.server.core.journal import EventKind
from dccsim.server.core.messages import (
    FirmwareActivation,
    FirmwareVersionRead,
    SyncAnswer,
    UpdateFirmwareWarnings,
)
from dccsim.server.core.records import CplStatus, SmiStatus
from dccsim.server.core.requests import (
    MAX_FIRMWARE_IMAGE_BYTES,
    ActivateFirmware,
    ReadFirmwareVersion,
    RequestId,
    ServiceRequest,
    UpdateFirmware,
)
from dccsim.server.core.services.registry import Family
from dccsim.server.core.state import DspState

family: Family = Family()

_MAX_DEVICE_IDS = 50_000  # 1,199,999 characters of DeviceIDList hold 50,000 EUIs
_DISTRIBUTABLE = frozenset({SmiStatus.COMMISSIONED, SmiStatus.SUSPENDED})
# 11.2 responses from these device types reconcile the SMI (FW-06); a GPF's never restore (FW-07).
_FW_READ_PROCESSED = frozenset({DeviceType.ESME, DeviceType.GSME, DeviceType.CHF})
_ON_CPL = frozenset(t for t in DeviceType if t.on_cpl)


# -- 11.1 Update Firmware -------------------------------------------------------------------------


def _check_update_firmware(body: UpdateFirmware) -> None:
    image = body.image
    if not isinstance(image, bytes) or not image:
        raise InvalidField("body.image", "a firmware image is required")
    if len(image) > MAX_FIRMWARE_IMAGE_BYTES:
        raise InvalidField(
            "body.image", f"{len(image)} bytes exceeds DUIS's {MAX_FIRMWARE_IMAGE_BYTES}"
        )
    check_firmware_version(body.firmware_version, "body.firmware_version")
    if not body.device_ids:
        raise InvalidField("body.device_ids", "at least one device ID is required")
    if len(body.device_ids) > _MAX_DEVICE_IDS:
        raise InvalidField("body.device_ids", f"more than {_MAX_DEVICE_IDS} device IDs")
    for index, device_id in enumerate(body.device_ids):
        parse_eui64(device_id, f"body.device_ids[{index}]")


@family.dsp(
    "11.1", body=UpdateFirmware, check=_check_update_firmware, responses=(UpdateFirmwareWarnings,)
)
def distribute_firmware(state: DspState, request: ServiceRequest) -> SyncAnswer:
    """11.1: check each listed device, send the image to the rest; each SMETS2 device then
    raises its Firmware Distribution Receipt (DEV-02, DEV-05)."""
    return _distribute(state, request, _ON_CPL, ResponseCode.W110101)


@family.dsp(
    "11.4", body=UpdateFirmware, check=_check_update_firmware, responses=(UpdateFirmwareWarnings,)
)
def distribute_ppmid_firmware(state: DspState, request: ServiceRequest) -> SyncAnswer:
    """11.4 Update PPMID Firmware: 11.1's distribution for PPMIDs (CS05c). Decision: a listed
    device that is not a PPMID is an invalid device ID for it."""
    return _distribute(state, request, frozenset({DeviceType.PPMID}), ResponseCode.W110401)


def _distribute(
    state: DspState,
    request: ServiceRequest,
    device_types: frozenset[DeviceType],
    warning: ResponseCode,
) -> SyncAnswer:
    body = request.body
    assert isinstance(body, UpdateFirmware)
    originator = request.request_id.originator
    now = state.now()
    image = FirmwareImage.from_bytes(body.image, body.firmware_version)
    invalid, not_commissioned, not_applicable, in_progress = [], [], [], []
    recipients = []
    for device_id in dict.fromkeys(d.upper() for d in body.device_ids):
        record = state.smi.get(device_id)
        device = state.network.get(device_id)
        if (
            record is None
            or device is None
            or record.device_type not in device_types
            or (
                state.registrations.responsible_supplier(record.device_type, record.mpxn, now)
                != originator
            )
        ):
            invalid.append(device_id)
            continue
        if record.effective_status not in _DISTRIBUTABLE:  # a Recovered device: AUTH-08
            not_commissioned.append(device_id)
            continue
        entry = state.cpl.get(record.manufacturer, record.model, body.firmware_version)
        if (
            entry is None
            or entry.status is not CplStatus.CURRENT
            or (entry.image_hash is not None and entry.image_hash != image.hash)
        ):
            not_applicable.append(device_id)
            continue
        if device.firmware.pending is not None:
            in_progress.append(device_id)
            continue
        recipients.append(device)
    for device in recipients:
        decision = decide(state, FaultStage.DEVICE_ALERT, request.srv, device, request.request_id)
        failing = decision is not None and decision.action is FaultAction.FAIL_VERIFICATION
        alert = device.receive_image(image, verifies=not failing)
        state.journal.record(
            now,
            EventKind.DEVICE_COMMAND,
            f"{request.srv} image distributed",
            device=device.device_id,
            version=image.version,
        )
        if alert is not None:
            deliver_device_alert(state, alert, request.request_id, decision)
    warnings = UpdateFirmwareWarnings(
        tuple(invalid), tuple(not_commissioned), tuple(not_applicable), tuple(in_progress)
    )
    code = warning if warnings.any else ResponseCode.I99
    return SyncAnswer(
        request.request_id,
        request.srv,
        code,
        warnings if warnings.any else None,
        detail=f"image sent to {len(recipients)} device(s)",
    )


# -- 11.2 Read Firmware Version ------------------------------------------------------------------


@family.device(
    "11.2", body=ReadFirmwareVersion, device_types=_ON_CPL, responses=(FirmwareVersionRead,)
)
def read_firmware(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    reading = device.read_firmware_version()
    on_heard = partial(_firmware_read_heard, state, device.device_id, device.device_type, reading)
    return FirmwareVersionRead(reading.firmware_version, reading.gsme_firmware_version), on_heard


def _firmware_read_heard(
    state: DspState, device_id: str, device_type: DeviceType, reading: FirmwareReading
) -> None:
    record = state.smi.get(device_id)
    if record is None:
        return
    if device_type is DeviceType.GPF:
        gsme = state.smi.get(record.paired_gsme) if record.paired_gsme else None
        if gsme is not None:
            outcome = process_gpf_reading(gsme, reading.gsme_firmware_version)
            apply_outcome(state, outcome, gsme, "GPF 11.2 response")
    elif device_type in _FW_READ_PROCESSED:
        outcome = process_reported_version(record, reading.firmware_version, state.cpl)
        apply_outcome(state, outcome, record, "11.2 response")


# -- 11.3 Activate Firmware ----------------------------------------------------------------------


def _check_activate_firmware(body: ActivateFirmware) -> None:
    digest = body.firmware_hash
    if not isinstance(digest, bytes) or len(digest) != 32:
        raise InvalidField("body.firmware_hash", "a firmware hash is 32 bytes (SHA-256)")


# 11.3 goes to ESME, GSME, CHF and HCALCS; PPMIDs use 11.4 and a GPF's firmware moves with its
# Comms Hub, so 11.3 to a PPMID or GPF is E11.
@family.device(
    "11.3",
    body=ActivateFirmware,
    check=_check_activate_firmware,
    device_types=(DeviceType.ESME, DeviceType.GSME, DeviceType.CHF, DeviceType.HCALCS),
    responses=(FirmwareActivation,),
    device_holds_future_dated=True,
)
def activate_firmware(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    assert isinstance(request.body, ActivateFirmware)
    if request.is_cancellation:
        result = device.cancel_firmware_activation()
        return FirmwareActivation(result.code, None), nothing
    when = request.execution_datetime
    if when is not None and when > state.now():
        result = device.activate_firmware(request.body.firmware_hash, execute_at=when)
        state.scheduler.at(
            when,
            partial(run_scheduled_activation, state, device.device_id, request.request_id),
            label=f"11.3 activation on {device.device_id}",
        )
        return FirmwareActivation(None, None), nothing
    result = device.activate_firmware(request.body.firmware_hash)
    on_heard = partial(
        _activation_heard, state, device.device_id, result.code, result.firmware_version
    )
    return FirmwareActivation(result.code, result.firmware_version), on_heard


def _activation_heard(
    state: DspState,
    device_id: str,
    code: ActivateImageResponseCode | None,
    firmware_version: str | None,
) -> None:
    record = state.smi.get(device_id)
    if record is not None:
        outcome = process_activation(record, code, firmware_version, state.cpl, state.baseline)
        apply_outcome(state, outcome, record, "11.3 response")


def run_scheduled_activation(state: DspState, device_id: str, rid: RequestId) -> None:
    """A future-dated 11.3 falls due: the device acts and raises 0x00CA (FW-08)."""
    device = state.network.get(device_id)
    if device is None:
        return
    alert = device.run_due_activation(state.now())
    if alert is None:  # cancelled meanwhile
        return
    decision = decide(state, FaultStage.DEVICE_ALERT, "11.3", device, rid)
    on_heard = partial(_activation_alert_heard, state, device_id, alert)
    deliver_device_alert(state, alert, rid, decision, on_heard)


def _activation_alert_heard(state: DspState, device_id: str, alert: DeviceAlert) -> None:
    record = state.smi.get(device_id)
    if record is not None:
        outcome = process_reported_version(record, alert.firmware_version, state.cpl)
        apply_outcome(
            state, outcome, record, f"future-dated activation alert {alert.alert_code:#06X}"
        )
