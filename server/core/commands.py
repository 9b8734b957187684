"""Every change to the DSP's state, as a value.

The core is deterministic: given the same starting state, the same commands applied at the same
virtual instants produce the same state, byte for byte. So a command log is a complete record of
what happened. The server applies each command under its lock with the virtual clock pinned to one
instant, and the store (`dccsim.server.store`) writes `(instant, command)` down; a restart loads the
last snapshot and applies the commands written after it.

A command that raises (InvalidField, NotFound, NotSimulated) has changed nothing, so it is not
written down; `Dsp` runs every check before its first change, and the one piece of work that
happens before a request is judged -- running the future-dated actions that have fallen due -- is a
command of its own (`RunDue`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from dccsim.devices.alerts import DeviceAlertPayload
from dccsim.server.core import device_alerts, receive_address
from dccsim.server.core.dsp import Dsp
from dccsim.server.core.faults import FaultRule
from dccsim.server.core.messages import SyncAnswer
from dccsim.server.core.records import CplEntry, Registration, SmiRecord, User
from dccsim.server.core.requests import ServiceRequest


class Command(Protocol):
    def apply(self, dsp: Dsp) -> Any: ...


@dataclass(frozen=True, slots=True)
class Submit:
    request: ServiceRequest

    def apply(self, dsp: Dsp) -> SyncAnswer:
        return dsp.submit(self.request)


@dataclass(frozen=True, slots=True)
class RunDue:
    """Run the future-dated actions whose time has come (the clock ticker, and before each
    command)."""

    def apply(self, dsp: Dsp) -> int:
        return dsp.run_due()


@dataclass(frozen=True, slots=True)
class Acknowledge:
    user_id: str
    up_to: int

    def apply(self, dsp: Dsp) -> int:
        return dsp.acknowledge(self.user_id, self.up_to)


@dataclass(frozen=True, slots=True)
class Advance:
    delta: timedelta

    def apply(self, dsp: Dsp) -> int:
        return dsp.advance(self.delta)


@dataclass(frozen=True, slots=True)
class AdvanceTo:
    when: datetime

    def apply(self, dsp: Dsp) -> int:
        return dsp.advance_to(self.when)


@dataclass(frozen=True, slots=True)
class SetClockRate:
    rate: float

    def apply(self, dsp: Dsp) -> None:
        dsp.set_clock_rate(self.rate)


@dataclass(frozen=True, slots=True)
class AddUser:
    user: User

    def apply(self, dsp: Dsp) -> None:
        dsp.add_user(receive_address.keep_receive_url(dsp, self.user))


@dataclass(frozen=True, slots=True)
class SetReceiveUrl:
    """A User's Receive Response Service address (BOXED-02); "" removes it."""

    user_id: str
    url: str

    def apply(self, dsp: Dsp) -> User:
        return receive_address.set_receive_url(dsp, self.user_id, self.url)


@dataclass(frozen=True, slots=True)
class Delivered:
    """A POST to a User's address was answered 2xx: acknowledge the message (BOXED-02)."""

    user_id: str
    sequence: int
    url: str
    status: int

    def apply(self, dsp: Dsp) -> int:
        return receive_address.delivered(dsp, self.user_id, self.sequence, self.url, self.status)


@dataclass(frozen=True, slots=True)
class DeliveryFailed:
    """A POST to a User's address failed; the message stays queued (the journal says why)."""

    user_id: str
    sequence: int
    url: str
    error: str
    attempt: int
    retry_in: float

    def apply(self, dsp: Dsp) -> None:
        receive_address.delivery_failed(
            dsp, self.user_id, self.sequence, self.url, self.error, self.attempt, self.retry_in
        )


@dataclass(frozen=True, slots=True)
class AddRegistration:
    registration: Registration

    def apply(self, dsp: Dsp) -> None:
        dsp.add_registration(self.registration)


@dataclass(frozen=True, slots=True)
class AddDevice:
    record: SmiRecord

    def apply(self, dsp: Dsp) -> SmiRecord:
        dsp.add_device(self.record)
        return dsp.device_record(self.record.device_id)


@dataclass(frozen=True, slots=True)
class PutCplEntry:
    entry: CplEntry

    def apply(self, dsp: Dsp) -> int:
        return dsp.put_cpl_entry(self.entry)


@dataclass(frozen=True, slots=True)
class RestoreDevice:
    device_id: str
    actor: str
    reason: str

    def apply(self, dsp: Dsp) -> SmiRecord:
        return dsp.restore_device(self.device_id, actor=self.actor, reason=self.reason)


@dataclass(frozen=True, slots=True)
class BeginRecovery:
    device_id: str
    actor: str
    reason: str

    def apply(self, dsp: Dsp) -> SmiRecord:
        return dsp.begin_recovery(self.device_id, actor=self.actor, reason=self.reason)


@dataclass(frozen=True, slots=True)
class CompleteRecovery:
    device_id: str
    actor: str
    reason: str

    def apply(self, dsp: Dsp) -> SmiRecord:
        return dsp.complete_recovery(self.device_id, actor=self.actor, reason=self.reason)


@dataclass(frozen=True, slots=True)
class ProgramEcosFailure:
    device_id: str
    ecos_error_code: str

    def apply(self, dsp: Dsp) -> None:
        dsp.program_ecos_failure(self.device_id, self.ecos_error_code)


@dataclass(frozen=True, slots=True)
class RaiseDeviceAlert:
    """SRV-06: a device raises one of its own alerts (the control API); returns who it is for."""

    device_id: str
    alert_code: int
    payload: DeviceAlertPayload | None = None

    def apply(self, dsp: Dsp) -> tuple[str, ...]:
        return device_alerts.raise_checked(dsp.state, self.device_id, self.alert_code, self.payload)


@dataclass(frozen=True, slots=True)
class AddFaultRule:
    rule: FaultRule

    def apply(self, dsp: Dsp) -> int:
        # A RAISE_ALERT rule's work is held on the virtual clock (SRV-06).
        return device_alerts.add_fault_rule(dsp.state, self.rule)


@dataclass(frozen=True, slots=True)
class RemoveFaultRule:
    rule_id: int

    def apply(self, dsp: Dsp) -> None:
        dsp.remove_fault_rule(self.rule_id)
