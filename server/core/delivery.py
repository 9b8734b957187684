"""What every device SRV shares once a device has answered: the fault plan's say on whether,
when and how often the DSP hears it, and delivery to the user.

A device always does the work it was sent (DEV-07) unless a rule makes it unreachable; a fault
otherwise only decides whether, when and how often the DSP hears of it. What the DSP makes of an
answer (`on_heard`) runs once, when the DSP hears it.

Work held for later (a delayed response) is a `functools.partial` of a module-level function,
never a closure, so that a snapshot can store it as data: the function's name and its arguments
(dccsim.server.store.schema).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial

from dccsim.devices.device import DeviceAlert, SimulatedDevice
from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.faults import FaultAction, FaultDecision, FaultStage, FaultTarget
from dccsim.server.core.firmware_processing import FirmwareOutcome
from dccsim.server.core.journal import EventKind
from dccsim.server.core.messages import (
    DeviceAlertMessage,
    OutboundMessage,
    ResponseBody,
    ServiceResponse,
)
from dccsim.server.core.records import SmiRecord
from dccsim.server.core.requests import RequestId
from dccsim.server.core.state import DspState


def nothing() -> None:
    """What the DSP does on hearing most answers: nothing beyond delivering them."""


class NoResponse:
    """The request produced no device response (e.g. the ECoS party refused it first)."""


NO_RESPONSE = NoResponse()
# What a device SRV's execution returns: the response body and what the DSP does on hearing it.
Outcome = tuple[ResponseBody | NoResponse | None, Callable[[], None]]


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
    on_heard: Callable[[], None] = nothing,
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


def deliver_device_alert(
    state: DspState,
    alert: DeviceAlert,
    rid: RequestId,
    decision: FaultDecision | None,
    on_heard: Callable[[], None] = nothing,
) -> None:
    """Deliver a device alert to the user whose request caused it, as the fault decision says."""
    message = DeviceAlertMessage(
        device_id=alert.device_id,
        message_code=alert.message_code,
        alert_code=alert.alert_code,
        issued_at=state.now(),
        firmware_version=alert.firmware_version,
        request_id=rid,
        image_hash=alert.image_hash,
        activation_code=alert.activation_code,
    )
    state.journal.record(
        state.now(),
        EventKind.DEVICE_ALERT,
        f"alert {alert.alert_code:#06X}",
        device=alert.device_id,
        message_code=f"{alert.message_code:#06X}",
    )
    deliver_heard(state, rid.originator, message, decision, on_heard)


def response_id(device_id: str, rid: RequestId) -> str:
    """REQ-03: `device:user:counter`."""
    return f"{device_id}:{rid.originator}:{rid.counter}"


def apply_outcome(state: DspState, outcome: FirmwareOutcome, before: SmiRecord, why: str) -> None:
    """Store what response processing decided and raise its DCC Alerts."""
    if outcome.record is not before:
        state.store(outcome.record, why)
    if outcome.alerts:
        state.raise_alerts(outcome.record, outcome.alerts)
