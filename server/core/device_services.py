"""Stages 3 and 4 for device SRs: send the command to the device, pass its answer through the
fault plan, process it into the SMI, and deliver it to the user.

A device always does the work it was sent (DEV-07) unless a rule makes it unreachable; a fault
otherwise only decides whether, when and how often the DSP hears of it. What the DSP makes of an
answer (`on_heard`) runs once, when the DSP hears it.

Work held for later (a delayed response, a future-dated activation) is a `functools.partial` of a
module-level function, never a closure, so that the whole DSP state can be pickled into a snapshot.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from functools import partial

from dccsim.devices.device import DeviceAlert, FirmwareReading, SimulatedDevice
from dccsim.devices.firmware import ActivateImageResponseCode
from dccsim.devices.kinds import DeviceType
from dccsim.server.core.codes import DccAlertCode, ResponseCode
from dccsim.server.core.faults import FaultAction, FaultDecision, FaultStage, FaultTarget
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
    OutboundMessage,
    ResponseBody,
    ServiceResponse,
)
from dccsim.server.core.records import SmiRecord, SmiStatus
from dccsim.server.core.requests import ActivateFirmware, RequestId, ServiceRequest, TopUpDevice
from dccsim.server.core.state import DspState

# 11.2 responses from these device types reconcile the SMI (FW-06); a GPF's never restore (FW-07).
_FW_READ_PROCESSED = frozenset({DeviceType.ESME, DeviceType.GSME, DeviceType.CHF})


def _nothing() -> None:
    pass


def decide(
    state: DspState, stage: FaultStage, srv: str, device: SimulatedDevice, rid: RequestId
) -> FaultDecision | None:
    if not state.faults.active:
        return None
    target = FaultTarget(stage, srv, device.device_id, device.device_type, device.smets, str(rid))
    decision = state.faults.decide(target, state.now())
    if decision is not None:
        state.journal.record(
            state.now(),
            EventKind.FAULT,
            f"{_VERBS[decision.action]} SRV {srv} {_NOUNS[stage]}",
            request=rid,
            device=device.device_id,
            rule=decision.rule_id,
        )
    return decision


_VERBS = {
    FaultAction.DROP: "dropped",
    FaultAction.DELAY: "delayed",
    FaultAction.DUPLICATE: "duplicated",
    FaultAction.UNREACHABLE: "device unreachable for",
    FaultAction.ERROR_CODE: "error code injected into",
    FaultAction.FAIL_VERIFICATION: "failed image verification for",
}
_NOUNS = {
    FaultStage.ACKNOWLEDGEMENT: "acknowledgement",
    FaultStage.DEVICE_RESPONSE: "response",
    FaultStage.DEVICE_ALERT: "device alert",
}


def deliver_heard(
    state: DspState,
    recipient: str,
    message: OutboundMessage,
    decision: FaultDecision | None,
    on_heard: Callable[[], None] = _nothing,
) -> None:
    """Deliver what the DSP heard, as the fault decision says: drop it, delay it, send it twice,
    or swap a response's code. `on_heard` (the SMI processing) runs once, when it is heard,
    and not at all when the response carries an injected error code."""
    if decision is None:  # the usual case: no fault
        state.deliver(recipient, message)
        on_heard()
        return
    action = decision.action
    match action:
        case FaultAction.DROP:
            return
        case FaultAction.DELAY:
            assert decision.rule.delay is not None
            try:
                due = state.now() + decision.rule.delay
            except OverflowError:  # past the year 9999: it never falls due, like a drop
                return
            state.scheduler.at(
                due,
                partial(_deliver_delayed, state, recipient, message, on_heard),
                label=f"delayed {type(message).__name__}",
            )
            return
        case FaultAction.ERROR_CODE if isinstance(message, ServiceResponse):
            assert decision.rule.error_code is not None
            code = ResponseCode(decision.rule.error_code)
            state.deliver(recipient, replace(message, code=code, body=None))
            return
    state.deliver(recipient, message)
    if action is FaultAction.DUPLICATE:
        state.deliver(recipient, message)
    on_heard()


def _deliver_delayed(
    state: DspState, recipient: str, message: OutboundMessage, on_heard: Callable[[], None]
) -> None:
    deliver_heard(state, recipient, replace(message, issued_at=state.now()), None, on_heard)


def execute(state: DspState, request: ServiceRequest) -> None:
    """Send an authorised device SR to its device now."""
    rid = request.request_id
    now = state.now()  # one instant for the whole exchange
    device = state.network.get(rid.target)
    if device is None:  # the SMI holds a record with no simulated device behind it
        state.journal.record(now, EventKind.DECISION, "no simulated device", device=rid.target)
        return
    decision = decide(state, FaultStage.DEVICE_RESPONSE, request.srv, device, rid)
    if decision is not None and decision.action is FaultAction.UNREACHABLE:
        # The command never reaches the device: the DSP tells the user it could not (E20).
        response = _response(request, device, None, now, ResponseCode.E20)
        state.deliver(rid.originator, response)
        return
    state.journal.record(
        now,
        EventKind.DEVICE_COMMAND,
        f"SRV {request.srv} to {device.device_id}",
        request=rid,
        srv=request.srv,
    )
    body, on_heard = _run_on_device(state, request, device)
    if body is _NO_RESPONSE:
        return
    assert not isinstance(body, _NoResponse)
    state.journal.record(
        now,
        EventKind.DEVICE_RESPONSE,
        f"SRV {request.srv} response",
        request=rid,
        device=device.device_id,
    )
    deliver_heard(state, rid.originator, _response(request, device, body, now), decision, on_heard)


class _NoResponse:
    """The request produced no device response (the ECoS party refused it first)."""


_NO_RESPONSE = _NoResponse()
_Outcome = tuple[ResponseBody | _NoResponse | None, Callable[[], None]]


def _run_on_device(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> _Outcome:
    """The device does the work; returns the response body and what the DSP does on hearing it."""
    match request.srv:  # the most frequent first
        case "11.2":
            return _read_firmware(state, device)
        case "11.3":
            return _activate_firmware(state, request, device)
        case "2.2":
            assert isinstance(request.body, TopUpDevice)
            device.top_up(request.body.utrn)
            return None, _nothing
        case "6.23":
            return _change_of_supplier(state, request, device)
        case "8.1.1":
            device.set_clock()
            return None, partial(_commissioned, state, device.device_id)
    raise AssertionError(f"SRV {request.srv} is not a served device SR")  # pragma: no cover


def _response(
    request: ServiceRequest,
    device: SimulatedDevice,
    body: ResponseBody | None,
    issued_at: datetime,
    code: ResponseCode = ResponseCode.I0,
) -> ServiceResponse:
    rid = request.request_id
    return ServiceResponse(
        request_id=rid,
        response_id=response_id(device.device_id, rid),
        srv=request.srv,
        code=code,
        device_id=device.device_id,
        issued_at=issued_at,
        body=body,
    )


def response_id(device_id: str, rid: RequestId) -> str:
    """REQ-03: `device:user:counter`."""
    return f"{device_id}:{rid.originator}:{rid.counter}"


def _apply(state: DspState, outcome: FirmwareOutcome, before: SmiRecord, why: str) -> None:
    if outcome.record is not before:
        state.store(outcome.record, why)
    if outcome.alerts:
        state.raise_alerts(outcome.record, outcome.alerts)


def _commissioned(state: DspState, device_id: str) -> None:
    record = state.smi.get(device_id)
    if record is not None and record.status is SmiStatus.INSTALLED_NOT_COMMISSIONED:
        state.store(
            replace(record, status=SmiStatus.COMMISSIONED, date_commissioned=state.now().date()),
            "8.1.1 commissioned the device",
        )


def _read_firmware(state: DspState, device: SimulatedDevice) -> _Outcome:
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
            _apply(state, outcome, gsme, "GPF 11.2 response")
    elif device_type in _FW_READ_PROCESSED:
        outcome = process_reported_version(record, reading.firmware_version, state.cpl)
        _apply(state, outcome, record, "11.2 response")


def _activate_firmware(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> _Outcome:
    assert isinstance(request.body, ActivateFirmware)
    if request.is_cancellation:
        result = device.cancel_firmware_activation()
        return FirmwareActivation(result.code, None), _nothing
    when = request.execution_datetime
    if when is not None and when > state.now():
        result = device.activate_firmware(request.body.firmware_hash, execute_at=when)
        state.scheduler.at(
            when,
            partial(run_scheduled_activation, state, device.device_id, request.request_id),
            label=f"11.3 activation on {device.device_id}",
        )
        return FirmwareActivation(None, None), _nothing
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
        _apply(state, outcome, record, "11.3 response")


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
        _apply(state, outcome, record, f"future-dated activation alert {alert.alert_code:#06X}")


def deliver_device_alert(
    state: DspState,
    alert: DeviceAlert,
    rid: RequestId,
    decision: FaultDecision | None,
    on_heard: Callable[[], None] = _nothing,
) -> None:
    """Deliver a device alert to the user whose request caused it, as the fault decision says."""
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
    deliver_heard(state, rid.originator, message, decision, on_heard)


def _change_of_supplier(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> _Outcome:
    """6.23: the ECoS party processes the request before it reaches the device. A refusal
    programmed through the control API raises N26 to the requester instead (ALERT-02)."""
    rid = request.request_id
    error_code = state.ecos_failures.pop(device.device_id, None)
    if error_code is None:
        device.replace_supplier_credentials(rid.originator)
        return None, _nothing
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
    return _NO_RESPONSE, _nothing
