"""The console's forms as core commands: each reads a posted form and returns the command to run
(or raises InvalidField naming the field it cannot read). No HTTP here, no host."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TypeVar

from dccsim.devices.kinds import DeviceType, SmetsVersion
from dccsim.server.core import commands
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.eui import parse_eui64
from dccsim.server.core.faults import FaultAction, FaultRule, FaultStage
from dccsim.server.core.records import CplEntry, CplStatus

Form = Mapping[str, str]
E = TypeVar("E", bound=StrEnum)
UNITS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
# The fastest the console sets the clock: a year of virtual time per real minute.
MAX_RATE = 525_600.0


def text(form: Form, name: str) -> str:
    return str(form.get(name, "")).strip()


def _number(form: Form, name: str, kind: type[int] | type[float]) -> int | float | None:
    value = text(form, name)
    if not value:
        return None
    try:
        return kind(value)
    except ValueError:
        raise InvalidField(name, f"{value!r} is not a number") from None


def _choice(form: Form, name: str, enum: type[E]) -> E | None:
    value = text(form, name)
    if not value:
        return None
    try:
        return enum(value)
    except ValueError:
        raise InvalidField(name, f"{value!r} is not one of the choices") from None


def _instant(form: Form, name: str) -> datetime | None:
    value = text(form, name)
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidField(name, f"{value!r} is not a date and time (ISO 8601)") from None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def fault_rule(form: Form) -> commands.AddFaultRule:
    action = _choice(form, "action", FaultAction)
    if action is None:
        raise InvalidField("action", "choose an action")
    stage = _choice(form, "stage", FaultStage) or FaultStage.DEVICE_RESPONSE
    device_ids = frozenset(
        parse_eui64(part, "device_ids")
        for part in re.split(r"[\s,]+", text(form, "device_ids"))
        if part
    )
    probability = _number(form, "probability", float)
    first_n = _number(form, "first_n", int)
    delay = _number(form, "delay_seconds", float)
    alert = text(form, "alert_code")
    try:
        alert_code = int(alert, 16) if alert else None
    except ValueError:
        raise InvalidField("alert_code", f"{alert!r} is not a hexadecimal code") from None
    rule = FaultRule(
        action=action,
        stage=stage,
        srv=text(form, "srv") or None,
        device_type=_choice(form, "device_type", DeviceType),
        smets=_choice(form, "smets", SmetsVersion),
        device_ids=device_ids or None,
        probability=1.0 if probability is None else probability,
        first_n=None if first_n is None else int(first_n),
        window_start=_instant(form, "window_start"),
        window_end=_instant(form, "window_end"),
        delay=None if delay is None else timedelta(seconds=delay),
        error_code=text(form, "error_code") or None,
        alert_code=alert_code,
    )
    return commands.AddFaultRule(rule)


def remove_fault_rule(form: Form) -> commands.RemoveFaultRule:
    rule_id = _number(form, "rule_id", int)
    if rule_id is None:
        raise InvalidField("rule_id", "which rule?")
    return commands.RemoveFaultRule(int(rule_id))


def cpl_entry(form: Form, existing: list[CplEntry]) -> commands.PutCplEntry:
    """A new CPL entry, or an existing one's new status (its image hash kept)."""
    key = (text(form, "manufacturer"), text(form, "model"), text(form, "firmware_version"))
    for name, value in zip(("manufacturer", "model", "firmware_version"), key, strict=True):
        if not value:
            raise InvalidField(name, "required")
    status = _choice(form, "status", CplStatus) or CplStatus.CURRENT
    for entry in existing:
        if (entry.manufacturer, entry.model, entry.firmware_version) == key:
            return commands.PutCplEntry(replace(entry, status=status))
    return commands.PutCplEntry(CplEntry(*key, status=status))


def advance(form: Form) -> commands.Advance | commands.AdvanceTo:
    to = _instant(form, "to")
    if to is not None:
        return commands.AdvanceTo(to)
    amount = _number(form, "amount", float)
    unit = text(form, "unit") or "minutes"
    if amount is None or amount <= 0:
        raise InvalidField("amount", "advance by a positive amount")
    if unit not in UNITS:
        raise InvalidField("unit", f"{unit!r} is not one of {', '.join(UNITS)}")
    return commands.Advance(timedelta(seconds=amount * UNITS[unit]))


def clock_rate(form: Form) -> commands.SetClockRate:
    rate = _number(form, "rate", float)
    if rate is None or not 0 <= rate <= MAX_RATE:
        raise InvalidField("rate", f"a rate from 0 (frozen) to {MAX_RATE:,.0f}")
    return commands.SetClockRate(float(rate))
