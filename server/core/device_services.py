"""Stage 3 and 4 for device SRs: send the command to the device, pass its answer through the
fault plan, process it into the SMI, and deliver it to the user.

A device always does the work it was sent; a fault only decides whether the DSP hears of it
(DEV-07).
"""

from __future__ import annotations

from dataclasses import replace

from dccsim.devices.device import DeviceAlert, SimulatedDevice
from dccsim.devices.kinds import DeviceType
from dccsim.server.core.codes import DccAlertCode, ResponseCode
from dccsim.server.core.faults import FaultAction, FaultStage, FaultTarget
from dccsim.server.core.firmware_processing import (
    FirmwareOutcome,
    process_activation,
    process_gpf_reading,
    process_reported_version,
)
from dccsim.server.core.journal import EventKind
from dccsim.server.core.messages import (
    ChangeOfSupplier,
    DccAlertMessage,
    DeviceAlertMessage,
    FirmwareActivation,
    FirmwareVersionRead,
    ResponseBody,
    ServiceResponse,
)
from dccsim.server.core.records import SmiRecord, SmiStatus
from dccsim.server.core.requests import (
    ActivateFirmware,
    RequestId,
    ServiceRequest,
    TopUpDevice,
)
from dccsim.server.core.state import DspState

# 11.2 responses from these device types reconcile the SMI (FW-06); a GPF's never restore (FW-07).
_FW_READ_PROCESSED = frozenset({DeviceType.ESME, DeviceType.GSME, DeviceType.CHF})


def fault_target(
    stage: FaultStage, srv: str, device: SimulatedDevice, request_id: str
) -> FaultTarget:
    return FaultTarget(stage, srv, device.device_id, device.device_type, device.smets, request_id)


def execute(state: DspState, request: ServiceRequest) -> None:
    """Send an authorised device SR to its device now."""
    device_id = request.request_id.target
    device = state.network.get(device_id)
    if device is None:  # the SMI holds a record with no simulated device behind it
        state.journal.record(
            state.now(), EventKind.DECISION, "no simulated device", device=device_id
        )
        return
    state.journal.record(
        state.now(),
        EventKind.DEVICE_COMMAND,
        f"SRV {request.srv} to {device_id}",
        request=request.request_id,
        srv=request.srv,
    )
    match request.srv:
        case "2.2":
            assert isinstance(request.body, TopUpDevice)
            device.top_up(request.body.utrn)
            _respond(state, request, device, None)
        case "6.23":
            _change_of_supplier(state, request, device)
        case "8.1.1":
            device.set_clock()
            if _respond(state, request, device, None):
                record = state.smi.get(device_id)
                if record is not None and record.status is SmiStatus.INSTALLED_NOT_COMMISSIONED:
                    state.store(
                        replace(
                            record,
                            status=SmiStatus.COMMISSIONED,
                            date_commissioned=state.now().date(),
                        ),
                        "8.1.1 commissioned the device",
                    )
        case "11.2":
            _read_firmware(state, request, device)
        case "11.3":
            _activate_firmware(state, request, device)
        case _:  # pragma: no cover - only served SRVs are dispatched here
            raise AssertionError(f"SRV {request.srv} is not a served device SR")


def _respond(
    state: DspState, request: ServiceRequest, device: SimulatedDevice, body: ResponseBody | None
) -> bool:
    """Deliver the device's response unless a fault drops it; True if the DSP heard it."""
    rid = request.request_id
    target = fault_target(FaultStage.DEVICE_RESPONSE, request.srv, device, str(rid))
    action = state.faults.decide(target, state.now())
    if action is FaultAction.DROP:
        state.journal.record(
            state.now(),
            EventKind.FAULT,
            f"dropped SRV {request.srv} response",
            request=rid,
            device=device.device_id,
        )
        return False
    response = ServiceResponse(
        request_id=rid,
        response_id=response_id(device.device_id, rid),
        srv=request.srv,
        code=ResponseCode.I0,
        device_id=device.device_id,
        issued_at=state.now(),
        body=body,
    )
    state.journal.record(
        state.now(),
        EventKind.DEVICE_RESPONSE,
        f"SRV {request.srv} response",
        request=rid,
        device=device.device_id,
    )
    state.deliver(rid.originator, response)
    return True


def response_id(device_id: str, rid: RequestId) -> str:
    """REQ-03: `device:user:counter`."""
    return f"{device_id}:{rid.originator}:{rid.counter}"


def _apply(state: DspState, outcome: FirmwareOutcome, before: SmiRecord, why: str) -> None:
    if outcome.record is not before:
        state.store(outcome.record, why)
    state.raise_alerts(outcome.record, outcome.alerts)


def _read_firmware(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> None:
    reading = device.read_firmware_version()
    body = FirmwareVersionRead(reading.firmware_version, reading.gsme_firmware_version)
    if not _respond(state, request, device, body):
        return
    record = state.smi.get(device.device_id)
    if record is None:
        return
    if device.device_type is DeviceType.GPF:
        gsme = state.smi.get(record.paired_gsme) if record.paired_gsme else None
        if gsme is not None:
            _apply(
                state,
                process_gpf_reading(gsme, reading.gsme_firmware_version),
                gsme,
                "GPF 11.2 response",
            )
    elif device.device_type in _FW_READ_PROCESSED:
        _apply(
            state,
            process_reported_version(record, reading.firmware_version, state.cpl),
            record,
            "11.2 response",
        )


def _activate_firmware(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> None:
    assert isinstance(request.body, ActivateFirmware)
    if request.is_cancellation:
        result = device.cancel_firmware_activation()
        _respond(state, request, device, FirmwareActivation(result.code, None))
        return
    when = request.execution_datetime
    if when is not None and when > state.now():
        result = device.activate_firmware(request.body.firmware_hash, execute_at=when)
        state.scheduler.at(
            when,
            lambda: run_scheduled_activation(state, device.device_id, request.request_id),
            label=f"11.3 activation on {device.device_id}",
        )
    else:
        result = device.activate_firmware(request.body.firmware_hash)
    if not _respond(
        state, request, device, FirmwareActivation(result.code, result.firmware_version)
    ):
        return
    if result.accepted_for_later:
        return
    record = state.smi.get(device.device_id)
    if record is not None:
        outcome = process_activation(
            record, result.code, result.firmware_version, state.cpl, state.baseline
        )
        _apply(state, outcome, record, "11.3 response")


def run_scheduled_activation(state: DspState, device_id: str, rid: RequestId) -> None:
    """A future-dated 11.3 falls due: the device acts and raises 0x00CA (FW-08)."""
    device = state.network.get(device_id)
    if device is None:
        return
    alert = device.run_due_activation(state.now())
    if alert is None:  # cancelled meanwhile
        return
    if not deliver_device_alert(state, alert, rid, decide_alert_fault(state, device, "11.3", rid)):
        return
    record = state.smi.get(device_id)
    if record is not None:
        _apply(
            state,
            process_reported_version(record, alert.firmware_version, state.cpl),
            record,
            f"future-dated activation alert {alert.alert_code:#06X}",
        )


def decide_alert_fault(
    state: DspState, device: SimulatedDevice, srv: str, rid: RequestId
) -> FaultAction | None:
    target = fault_target(FaultStage.DEVICE_ALERT, srv, device, str(rid))
    return state.faults.decide(target, state.now())


def deliver_device_alert(
    state: DspState, alert: DeviceAlert, rid: RequestId, action: FaultAction | None
) -> bool:
    """Deliver a device alert to the user whose request caused it, unless `action` drops it."""
    if action is FaultAction.DROP:
        state.journal.record(
            state.now(),
            EventKind.FAULT,
            f"dropped alert {alert.alert_code:#06X}",
            device=alert.device_id,
        )
        return False
    message = DeviceAlertMessage(
        device_id=alert.device_id,
        message_code=alert.message_code,
        alert_code=alert.alert_code,
        issued_at=state.now(),
        firmware_version=alert.firmware_version,
        request_id=rid,
    )
    state.journal.record(
        state.now(),
        EventKind.DEVICE_ALERT,
        f"alert {alert.alert_code:#06X}",
        device=alert.device_id,
        message_code=f"{alert.message_code:#06X}",
    )
    state.deliver(rid.originator, message)
    return True


def _change_of_supplier(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> None:
    """6.23: the ECoS party processes the request before it reaches the device. A refusal
    programmed through the control API raises N26 to the requester instead (ALERT-02)."""
    rid = request.request_id
    error_code = state.ecos_failures.pop(device.device_id, None)
    if error_code is not None:
        alert = DccAlertMessage(
            DccAlertCode.CHANGE_OF_SUPPLIER_FAILED,
            device.device_id,
            state.now(),
            ChangeOfSupplier(rid, error_code),
        )
        state.journal.record(
            state.now(),
            EventKind.DCC_ALERT,
            "N26: ECoS party refused 6.23",
            request=rid,
            ecos_error_code=error_code,
        )
        state.deliver(rid.originator, alert)
        return
    device.replace_supplier_credentials(rid.originator)
    _respond(state, request, device, None)
