"""Device-originated alerts (SRV-06): a device raises an alert of its own -- power outage and
restoration, supply interrupted, low credit, tamper, ... -- and the DSP delivers it, as a DUIS
`DeviceAlertMessage` with its GBCS alert code, to the recipients GBCS / DUIS name for it.

- `raise_device_alert(state, device_id, code, payload=..., request_id=...)`: the one entry point,
  for the control API (RaiseDeviceAlert), fault rules (RAISE_ALERT) and the service families
  (prepayment's low-credit and supply alerts). The alert passes the fault plan's device-alert
  stage, so a FAULT rule can drop, delay or duplicate it (FAULT-01); every decision is recorded.
- Recipients (`devices.alerts`): the Responsible Supplier (IS for electricity, GS for gas
  devices), or the sender of the request that caused the alert; and, for the alerts that concern
  the network, the Network Operator (ED / GT) too, once even when one user holds both roles.
- `check_alert(state, device_id, code)`: what the control API refuses (BAD-01), naming the field.
- `schedule_raise_rule(state, rule_id, rule)`: a RAISE_ALERT fault rule raises its alert at its
  virtual time on a seeded share of the devices it selects (FAULT-02): the work is a
  `functools.partial` of a module-level function, which a state file stores by name.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime
from functools import partial

from dccsim.devices.alerts import (
    CATALOGUE,
    DeviceAlertPayload,
    IntegrityWarning,
    PayloadKind,
    SupplyOutageRestore,
    alert_message_code,
)
from dccsim.devices.device import SimulatedDevice
from dccsim.server.core.delivery import deliver_heard
from dccsim.server.core.errors import InvalidField, NotFound
from dccsim.server.core.eui import parse_eui64
from dccsim.server.core.faults import (
    FaultAction,
    FaultDecision,
    FaultRule,
    FaultStage,
    FaultTarget,
)
from dccsim.server.core.journal import EventKind
from dccsim.server.core.messages import DeviceAlertMessage
from dccsim.server.core.requests import RequestId
from dccsim.server.core.state import DspState


def raise_device_alert(
    state: DspState,
    device_id: str,
    alert_code: int,
    *,
    payload: DeviceAlertPayload | None = None,
    request_id: RequestId | None = None,
) -> None:
    """The device raises `alert_code`: deliver it, as the fault plan's device-alert stage says,
    to the recipients SRV-06 names. A code outside the catalogue goes to the supplier (or the
    request's sender) alone, with no payload. A device the network does not hold raises nothing."""
    device = state.network.get(device_id)
    if device is None:
        return
    now = state.now()
    spec = CATALOGUE.get(alert_code)
    payload = _payload(state, device_id, alert_code, payload)
    recipients = alert_recipients(state, device, alert_code, request_id)
    message = DeviceAlertMessage(
        device_id=device_id,
        message_code=alert_message_code(alert_code),  # type: ignore[arg-type]
        alert_code=alert_code,  # type: ignore[arg-type]
        issued_at=now,
        request_id=request_id,
        payload=payload,
    )
    state.journal.record(
        now,
        EventKind.DEVICE_ALERT,
        f"alert {alert_code:#06X}" + (f" ({spec.name})" if spec is not None else ""),
        device=device_id,
        message_code=f"{int(message.message_code):#06X}",
        recipients=",".join(recipients) or "none registered",
    )
    decision = _decide(state, device, alert_code, request_id)
    for recipient in recipients:
        deliver_heard(state, recipient, message, decision)


def alert_recipients(
    state: DspState, device: SimulatedDevice, alert_code: int, request_id: RequestId | None
) -> tuple[str, ...]:
    """The users who hear this alert: the Responsible Supplier (or the sender of the request
    that caused it), then the Network Operator for the alerts that concern the network."""
    now = state.now()
    record = state.smi.get(device.device_id)
    mpxn = record.mpxn if record is not None else None
    first = (
        request_id.originator
        if request_id is not None
        else state.registrations.responsible_supplier(device.device_type, mpxn, now)
    )
    recipients: tuple[str, ...] = () if first is None else (first,)
    spec = CATALOGUE.get(alert_code)
    if spec is not None and spec.to_network_operator:
        operator = state.registrations.network_operator(device.device_type, mpxn, now)
        if operator is not None and operator not in recipients:
            recipients = (*recipients, operator)
    return recipients


def raise_checked(
    state: DspState,
    device_id: str,
    alert_code: int,
    payload: DeviceAlertPayload | None = None,
) -> tuple[str, ...]:
    """The control API's RaiseDeviceAlert: refuse what `check_alert` refuses, before any change;
    else raise the alert and return who it is for (before the fault plan's say)."""
    device = check_alert(state, device_id, alert_code, payload)
    recipients = alert_recipients(state, device, alert_code, None)
    raise_device_alert(state, device.device_id, alert_code, payload=payload)
    return recipients


def check_alert(
    state: DspState, device_id: str, alert_code: int, payload: DeviceAlertPayload | None = None
) -> SimulatedDevice:
    """BAD-01: refuse, naming the field, an unknown device, an alert outside the catalogue or
    not raised by that device type, or a payload that alert does not carry."""
    device = state.network.get(parse_eui64(device_id, "device_id"))
    if device is None:
        raise NotFound("device", device_id)
    if not 0 <= alert_code <= 0xFFFF:
        raise InvalidField("alert_code", f"{alert_code} is not a 16-bit GBCS alert code")
    spec = CATALOGUE.get(alert_code)
    if spec is None:
        raise InvalidField("alert_code", f"{alert_code:#06X} is not a supported device alert")
    if device.device_type not in spec.device_types:
        types = ", ".join(sorted(spec.device_types))
        raise InvalidField(
            "alert_code",
            f"{alert_code:#06X} ({spec.name}) is raised by {types}, not a {device.device_type}",
        )
    fits = {
        PayloadKind.SUPPLY_OUTAGE_RESTORE: SupplyOutageRestore,
        PayloadKind.INTEGRITY_WARNING: IntegrityWarning,
    }.get(spec.payload)
    if payload is not None and (fits is None or not isinstance(payload, fits)):
        outage = isinstance(payload, SupplyOutageRestore)
        field = "interrupted_at" if outage else "integrity_warning"
        raise InvalidField(field, f"{alert_code:#06X} ({spec.name}) carries no such payload")
    if isinstance(payload, SupplyOutageRestore):
        restored = payload.restored_at or state.now()
        if payload.interrupted_at.tzinfo is None:
            raise InvalidField("interrupted_at", "must be timezone-aware")
        if payload.interrupted_at > restored:
            raise InvalidField("interrupted_at", "is after the restoration")
    return device


# -- the fault plan's say -------------------------------------------------------------------------


def _decide(
    state: DspState, device: SimulatedDevice, alert_code: int, rid: RequestId | None
) -> FaultDecision | None:
    if not state.faults.active:
        return None
    target = FaultTarget(
        FaultStage.DEVICE_ALERT,
        "",
        device.device_id,
        device.device_type,
        device.smets,
        "" if rid is None else str(rid),
        alert_code=alert_code,
    )
    decision = state.faults.decide(target, state.now())
    if decision is not None:
        state.journal.record(
            state.now(),
            EventKind.FAULT,
            f"{decision.action} device alert {alert_code:#06X}",
            device=device.device_id,
            rule=decision.rule_id,
        )
    return decision


# -- payloads -----------------------------------------------------------------------------------


def _payload(
    state: DspState, device_id: str, alert_code: int, given: DeviceAlertPayload | None
) -> DeviceAlertPayload | None:
    """The payload the alert carries: the one given when it fits the alert, else the device's
    own account (an outage restored reports when this device's supply was interrupted)."""
    spec = CATALOGUE.get(alert_code)
    kind = spec.payload if spec is not None else PayloadKind.NONE
    interruptions = _interruptions(state)
    now = state.now()
    if spec is not None and spec.code.name.startswith("SUPPLY_INTERRUPTED"):
        interruptions.setdefault(device_id, now)  # the first phase to go starts the outage
    match kind:
        case PayloadKind.SUPPLY_OUTAGE_RESTORE:
            interrupted = interruptions.pop(device_id, None)
            if isinstance(given, SupplyOutageRestore):
                return given if given.restored_at is not None else replace(given, restored_at=now)
            return SupplyOutageRestore(interrupted or now, now)
        case PayloadKind.INTEGRITY_WARNING:
            return given if isinstance(given, IntegrityWarning) else IntegrityWarning()
    return None


def _interruptions(state: DspState) -> dict[str, datetime]:
    """`state.supply_interruptions`, also for a /3 state file's (pickled before the field)."""
    held = state.__dict__.get("supply_interruptions")
    if held is None:
        held = state.__dict__["supply_interruptions"] = {}
    return held


# -- fault rules that raise alerts (RAISE_ALERT) -------------------------------------------------


def add_fault_rule(state: DspState, rule: FaultRule) -> int:
    """Add a fault rule to the plan, holding a RAISE_ALERT rule's work until its time. Every
    path that adds rules to a running DSP (AddFaultRule, a fleet file's `faults:`) comes here."""
    rule_id = state.faults.add(rule)
    schedule_raise_rule(state, rule_id, rule)
    return rule_id


def schedule_raise_rule(state: DspState, rule_id: int, rule: FaultRule) -> None:
    """Hold a RAISE_ALERT rule's work until its virtual time (its window start; now if none)."""
    if rule.action is not FaultAction.RAISE_ALERT:
        return
    due = rule.window_start or state.now()
    state.scheduler.at(
        due,
        partial(run_raise_rule, state, rule_id),
        label=f"fault rule {rule_id}: raise alert {rule.alert_code or 0:#06X}",
    )


def chosen_devices(state: DspState, rule_id: int, rule: FaultRule) -> list[SimulatedDevice]:
    """The devices a RAISE_ALERT rule raises its alert on: of those it selects that can raise
    the alert, in device ID order, `round(probability x count)` drawn with a generator seeded by
    the plan's seed and the rule's ID (FAULT-02: the same seed picks the same devices, and the
    draw never shifts the sequence other rules see), capped at `first_n`."""
    assert rule.alert_code is not None
    spec = CATALOGUE.get(rule.alert_code)
    candidates = sorted(
        (
            device
            for device in state.network
            if (rule.device_type is None or device.device_type is rule.device_type)
            and (rule.smets is None or device.smets is rule.smets)
            and (rule.device_ids is None or device.device_id in rule.device_ids)
            and (spec is None or device.device_type in spec.device_types)
        ),
        key=lambda device: device.device_id,
    )
    count = round(rule.probability * len(candidates))
    if rule.first_n is not None:
        count = min(count, rule.first_n)
    rng = random.Random(f"dccsim-raise-alert:{state.faults.seed}:{rule_id}")
    chosen = rng.sample(candidates, count)
    return sorted(chosen, key=lambda device: device.device_id)


def run_raise_rule(state: DspState, rule_id: int) -> None:
    """A RAISE_ALERT rule's time has come: raise its alert on its seeded share of devices,
    recording each as a fault decision. A rule removed meanwhile raises nothing."""
    rule = state.faults.rules().get(rule_id)
    if rule is None or rule.action is not FaultAction.RAISE_ALERT or rule.alert_code is None:
        return
    now = state.now()
    if rule.window_end is not None and now >= rule.window_end:
        return
    devices = chosen_devices(state, rule_id, rule)
    state.journal.record(
        now,
        EventKind.FAULT,
        f"fault rule {rule_id} raises alert {rule.alert_code:#06X} on {len(devices)} devices",
        rule=rule_id,
    )
    for device in devices:
        target = FaultTarget(
            FaultStage.DEVICE_ALERT,
            "",
            device.device_id,
            device.device_type,
            device.smets,
            alert_code=rule.alert_code,
        )
        state.faults.record(FaultDecision(now, rule_id, FaultAction.RAISE_ALERT, target, rule))
        raise_device_alert(state, device.device_id, rule.alert_code)
