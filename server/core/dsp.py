"""The DSP: one object that takes Service Requests through the pipeline

    validate -> authorise -> device -> response processing -> delivery

and offers the control operations a test harness needs (fleet, CPL, clock, outboxes).

A rejected request changes nothing: every check runs before the first change is made.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from types import MappingProxyType

from dccsim.devices.device import SimulatedDevice
from dccsim.devices.kinds import DeviceType
from dccsim.server.core import device_services
from dccsim.server.core.authorisation import authorise
from dccsim.server.core.baseline import Baseline
from dccsim.server.core.clock import VirtualClock
from dccsim.server.core.codes import (
    OUTBOX_FULL,
    REPLAYED_COUNTER,
    DccAlertCode,
    ResponseCode,
)
from dccsim.server.core.delivery import decide
from dccsim.server.core.errors import InvalidField, NotFound, NotSimulated
from dccsim.server.core.eui import parse_eui64
from dccsim.server.core.faults import FaultPlan, FaultStage
from dccsim.server.core.firmware_processing import AlertIntent
from dccsim.server.core.journal import EventKind, Journal
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.messages import DeviceStatusChange, LocalCommand, PreCommand, SyncAnswer
from dccsim.server.core.outbox import Outbox, OutboxEntry
from dccsim.server.core.quick_init import replace
from dccsim.server.core.records import (
    COMMUNICABLE,
    CplEntry,
    CplStatus,
    Registration,
    SmiRecord,
    SmiStatus,
    User,
)
from dccsim.server.core.requests import RequestId, ServiceRequest, SignedPreCommand
from dccsim.server.core.services import REGISTRY
from dccsim.server.core.state import DEFAULT_ACB_ID, DspState
from dccsim.server.core.validation import validate

GBCS_VERSION = "4.0"
_SPECS = REGISTRY.by_srv
# Fast enough to run a year in a few seconds; much faster and a reading of the clock overflows.
MAX_CLOCK_RATE = 10_000_000


@dataclass(frozen=True, slots=True)
class _PendingPreCommand:
    request: ServiceRequest
    payload: bytes


class Dsp:
    def __init__(
        self,
        *,
        clock: VirtualClock | None = None,
        baseline: Baseline = Baseline.CURRENT,
        faults: FaultPlan | None = None,
        acb_id: str = DEFAULT_ACB_ID,
        strict_counters: bool = True,
    ) -> None:
        self.state = DspState(
            clock=clock or VirtualClock(),
            baseline=baseline,
            acb_id=parse_eui64(acb_id, "acb_id"),
            faults=faults or FaultPlan(),
        )
        # REQ-02; a harness replaying fixed templates against a fresh simulator may relax it.
        self.strict_counters = strict_counters
        self._counters: dict[tuple[str, str], int] = {}
        self._pre_commands: dict[RequestId, _PendingPreCommand] = {}

    # -- the snapshot contract (dccsim.server.store.codec) ---------------------------------------

    def to_data(self) -> dict[str, object]:
        return {
            "state": self.state,
            "strict_counters": self.strict_counters,
            "counters": [(o, t, c) for (o, t), c in self._counters.items()],
            "pre_commands": [(p.request, p.payload) for p in self._pre_commands.values()],
        }

    @classmethod
    def from_data(cls, data: dict[str, object]) -> Dsp:
        # Through __init__ (its fresh state then replaced): a class compiled with mypyc has no
        # bare __new__.
        dsp = cls()
        dsp.state = data["state"]  # type: ignore[assignment]
        dsp.strict_counters = bool(data["strict_counters"])
        dsp._counters = {(o, t): c for o, t, c in data["counters"]}  # type: ignore[attr-defined]
        dsp._pre_commands = {
            request.request_id: _PendingPreCommand(request, payload)
            for request, payload in data["pre_commands"]  # type: ignore[attr-defined]
        }
        return dsp

    # -- convenient views ---------------------------------------------------------------------

    @property
    def clock(self) -> VirtualClock:
        return self.state.clock

    @property
    def baseline(self) -> Baseline:
        return self.state.baseline

    @property
    def faults(self) -> FaultPlan:
        return self.state.faults

    @property
    def journal(self) -> Journal:
        return self.state.journal

    def now(self) -> datetime:
        return self.state.now()

    @property
    def counters(self) -> Mapping[tuple[str, str], int]:
        """The highest RequestID counter accepted per (originator, target) (REQ-02)."""
        return MappingProxyType(self._counters)

    @property
    def pending_pre_commands(self) -> frozenset[RequestId]:
        """RequestIDs whose CV 4 PreCommand awaits its signed CV 5/6/7 leg (REQ-05)."""
        return frozenset(self._pre_commands)

    def pre_command(self, request_id: RequestId) -> tuple[ServiceRequest, bytes] | None:
        """The request a CV 4 transformed and the token its signed leg must return, while that
        leg is awaited: a layer that sent the User another form of the command (GBCS-03) checks
        what comes back against the request and returns the token."""
        pending = self._pre_commands.get(request_id)
        return None if pending is None else (pending.request, pending.payload)

    def device_record(self, device_id: str) -> SmiRecord:
        record = self.state.smi.get(parse_eui64(device_id, "device_id"))
        if record is None:
            raise NotFound("device", device_id)
        return record

    def device(self, device_id: str) -> SimulatedDevice:
        device = self.state.network.get(parse_eui64(device_id, "device_id"))
        if device is None:
            raise NotFound("device", device_id)
        return device

    def outbox(self, user_id: str) -> Outbox:
        return self.state.outboxes.for_user(parse_eui64(user_id, "user_id"))

    def pending(self, user_id: str, after: int = 0, limit: int | None = None) -> list[OutboxEntry]:
        return self.outbox(user_id).pending(after, limit)

    def acknowledge(self, user_id: str, up_to: int) -> int:
        try:
            return self.outbox(user_id).acknowledge(up_to)
        except ValueError as error:
            raise InvalidField("up_to", str(error)) from None

    def pending_counts(self) -> dict[str, int]:
        """User ID -> how many messages wait for it, for Users that had any."""
        return self.state.outboxes.snapshot()

    @property
    def outbox_limit(self) -> int:
        """Each User's unacknowledged messages beyond which its new SRs are refused (SEC-04)."""
        return self.state.outboxes.limit

    def set_outbox_limit(self, limit: int) -> None:
        self.state.outboxes.limit = limit

    def continue_outboxes(self, previous: Dsp) -> None:
        """Number each User's messages on from `previous`'s (a Reset or LoadFleet: SEC-04)."""
        self.state.outboxes.carry_over(previous.state.outboxes)

    def device_count(self) -> int:
        return len(self.state.smi)

    def next_due(self) -> datetime | None:
        """When the earliest held work falls due (None: none is held)."""
        return self.state.scheduler.next_due()

    # -- the pipeline -------------------------------------------------------------------------

    def submit(self, request: ServiceRequest) -> SyncAnswer:
        """Take one Service Request through the pipeline and return the synchronous answer.

        Raises InvalidField for malformed input and NotSimulated for an SRV dccsim does not
        serve; in both cases nothing has changed.
        """
        request, definition = validate(request)
        if self.state.scheduler:  # held work is rare: skip the loop (and a clock read) without it
            self.run_due()
        signed = isinstance(request.body, SignedPreCommand)
        if signed:
            request = self._signed_leg(request)
        else:
            key = (request.request_id.originator, request.request_id.target)
            last = self._counters.get(key)
            if self.strict_counters and last is not None and request.request_id.counter <= last:
                return self._answer(
                    request, REPLAYED_COUNTER, f"counter must exceed {last} (REQ-02)"
                )
        decision = authorise(
            request,
            definition,
            users=self.state.users,
            smi=self.state.smi,
            registrations=self.state.registrations,
            acb_id=self.state.acb_id,
            now=self.now(),
            baseline=self.baseline,
        )
        if not decision.authorised:
            assert decision.code is not None
            return self._answer(request, decision.code, decision.reason)
        originator = request.request_id.originator
        if self.state.outboxes.full(originator):  # SEC-04: consumes no counter
            return self._answer(
                request,
                OUTBOX_FULL,
                f"{self.state.outboxes.limit} unacknowledged messages are waiting: acknowledge "
                "some before sending more",
            )
        spec = _SPECS.get(definition.srv)
        if spec is None:
            raise NotSimulated(definition.srv, definition.name)
        if spec.run_in_dsp is not None:
            # The DSP answers these itself, and may refuse them (E080201, E080407): a refused
            # request consumes no counter (REQ-02), so only a success is accepted.
            answer = spec.run_in_dsp(self.state, request)
            if not answer.code.is_error:
                self._accept(request, signed, decision.role)
            return answer
        self._accept(request, signed, decision.role)
        return self._device_request(request, spec.device_holds_future_dated)

    def _accept(self, request: ServiceRequest, signed: bool, role: str | None) -> None:
        """Consume the counter (or the pending PreCommand) of an accepted request."""
        if signed:
            del self._pre_commands[request.request_id]
        else:
            rid = request.request_id
            key = (rid.originator, rid.target)
            last = self._counters.get(key)
            if last is None or rid.counter > last:
                self._counters[key] = rid.counter
        self.state.journal.record(
            self.now(),
            EventKind.REQUEST,
            f"SRV {request.srv} accepted",
            request=request.request_id,
            cv=int(request.command_variant),
            role=role,
        )

    def _answer(self, request: ServiceRequest, code: ResponseCode, reason: str) -> SyncAnswer:
        self.state.journal.record(
            self.now(),
            EventKind.DECISION,
            f"SRV {request.srv}: {code}",
            request=request.request_id,
            code=code,
            reason=reason,
        )
        return SyncAnswer(request.request_id, request.srv, code, detail=reason)

    def _signed_leg(self, request: ServiceRequest) -> ServiceRequest:
        """REQ-05: a CV 5/6/7 SignedPreCommand executes the request its CV 4 leg transformed."""
        if not request.command_variant.is_critical or request.command_variant is (
            CommandVariant.CRITICAL_TRANSFORM
        ):
            raise InvalidField("command_variant", "a signed pre-command is sent with CV 5, 6 or 7")
        pending = self._pre_commands.get(request.request_id)
        assert isinstance(request.body, SignedPreCommand)
        if pending is None or pending.payload != request.body.payload:
            raise InvalidField(
                "body.payload", "matches no PreCommand issued for this RequestID (send CV 4 first)"
            )
        if request.srv != pending.request.srv:
            raise InvalidField(
                "service_reference_variant",
                f"the PreCommand for this RequestID was issued for SRV {pending.request.srv}",
            )
        return replace(
            pending.request,
            command_variant=request.command_variant,
            execution_datetime=request.execution_datetime or pending.request.execution_datetime,
        )

    def _device_request(
        self, request: ServiceRequest, device_holds_future_dated: bool
    ) -> SyncAnswer:
        cv = request.command_variant
        rid = request.request_id
        if cv is CommandVariant.CRITICAL_TRANSFORM:
            payload = _pre_command_payload(request)
            self._pre_commands[rid] = _PendingPreCommand(request, payload)
            return SyncAnswer(
                rid, request.srv, ResponseCode.I0, PreCommand(GBCS_VERSION, payload, request)
            )
        if cv.is_local_only:
            # Decision: dccsim hands back the command for local delivery but has no hand-held
            # terminal to carry it, so the device executes it only when the User returns its
            # response with 8.13 (server/core/services/local_command.py), which needs this record.
            payload = _pre_command_payload(request)
            self.state.local_commands.issue(request, payload, self.now())
            return SyncAnswer(rid, request.srv, ResponseCode.I0, LocalCommand(payload))
        when = request.execution_datetime
        if when is not None and request.is_cancellation and not device_holds_future_dated:
            # SRV-05: 3000-12-31 cancels what the DSP holds of this SRV for this device, and the
            # device answers at once.
            self.state.scheduler.cancel(_held_label(request.srv, rid.target))
            device_services.execute(self.state, request)
        elif when is not None and when > self.now() and not device_holds_future_dated:
            self.state.scheduler.at(
                when,
                partial(device_services.execute, self.state, request),
                label=_held_label(request.srv, rid.target),
            )
        else:
            device_services.execute(self.state, request)
        device = self.state.network.get(rid.target)
        lost = (
            device is not None
            and decide(self.state, FaultStage.ACKNOWLEDGEMENT, request.srv, device, rid) is not None
        )  # DROP is the only action at this stage
        return SyncAnswer(rid, request.srv, ResponseCode.I99, acknowledgement_lost=lost)

    # -- the clock ----------------------------------------------------------------------------

    def run_due(self) -> int:
        """Run every future-dated action whose time has come; return how many ran."""
        ran = 0
        while (timer := self.state.scheduler.pop_due(self.now())) is not None:
            timer.action()
            ran += 1
        return ran

    def advance(self, delta: timedelta) -> int:
        """Move virtual time forward, running due actions at their own times, in order."""
        if delta < timedelta(0):
            raise InvalidField("advance", "virtual time only moves forward")
        try:
            target = self.now() + delta
        except OverflowError:
            raise InvalidField("advance", "would take virtual time past the year 9999") from None
        ran = 0
        while (due := self.state.scheduler.next_due()) is not None and due <= target:
            if due > self.now():
                self.clock.set(due)
            ran += self.run_due()
        self.clock.set(max(target, self.now()))
        return ran + self.run_due()

    def advance_to(self, when: datetime) -> int:
        if when.tzinfo is None:
            raise InvalidField("set_to", "must be timezone-aware")
        if when < self.now():
            raise InvalidField("set_to", "virtual time only moves forward")
        return self.advance(when - self.now())

    def set_clock_rate(self, rate: float) -> None:
        """Run virtual time at `rate` x real time; 0 freezes it."""
        if not 0 <= rate <= MAX_CLOCK_RATE:  # also refuses NaN
            raise InvalidField("rate", f"the clock rate must be from 0 to {MAX_CLOCK_RATE:,}")
        self.clock.accelerate(rate)

    # -- control: the fleet, the CPL and the users ---------------------------------------------

    def add_user(self, user: User) -> None:
        self.state.users[parse_eui64(user.user_id, "user.user_id")] = user

    def add_registration(self, registration: Registration) -> None:
        parse_eui64(registration.user_id, "registration.user_id")
        self.state.registrations.add(registration)

    def add_device(self, record: SmiRecord) -> SimulatedDevice:
        """Add a device to the SMI and put a simulated device running its firmware on the WAN."""
        device_id = parse_eui64(record.device_id, "device.device_id")
        if device_id != record.device_id:
            record = replace(record, device_id=device_id)
        # Keep the record's own string when it is already canonical (a generated fleet's are):
        # a copy of each costs a 1,000,000-device load about 3 s and 230 MiB at its peak.
        device_id = record.device_id
        pair = self._gsme_to_pair(record)  # checked before anything changes
        record = self._with_checked_hub(record)
        device = SimulatedDevice.create(
            device_id,
            record.device_type,
            record.smets,
            record.manufacturer,
            record.model,
            record.firmware_version,
        )
        self.state.smi.put(record)
        replaced = device_id in self.state.network
        self.state.network.add(device)
        if pair is not None:
            self.state.network.pair_gpf(device_id, pair)
        if replaced and record.device_type is DeviceType.GSME:
            # The GPFs that relayed the old simulated GSME relay the new one (DEV-06). Only on
            # a replacement: a fleet load adds each GSME before its GPF.
            for gpf in self.state.smi:
                if gpf.device_type is DeviceType.GPF and gpf.paired_gsme == device_id:
                    self.state.network.pair_gpf(gpf.device_id, device_id)
        return device

    def _gsme_to_pair(self, record: SmiRecord) -> str | None:
        """The GSME a new GPF relays (DEV-06), if it is on the network yet; refuses a pairing
        that cannot be."""
        if record.paired_gsme is None:
            return None
        if record.device_type is not DeviceType.GPF:
            raise InvalidField(
                "paired_gsme", f"only a GPF pairs with a GSME, not a {record.device_type}"
            )
        gsme = self.state.network.get(record.paired_gsme)
        if gsme is None:
            return None  # the GSME may be added later
        if gsme.device_type is not DeviceType.GSME:
            raise InvalidField(
                "paired_gsme", f"{record.paired_gsme} is a {gsme.device_type}, not a GSME"
            )
        return gsme.device_id

    def _with_checked_hub(self, record: SmiRecord) -> SmiRecord:
        """The record with its Comms Hub link (CPL-04) in canonical form; refuses a link that
        cannot be. The CHF may be added later, as a GSME may."""
        if record.comms_hub is None:
            return record
        if record.device_type is not DeviceType.GPF:
            raise InvalidField(
                "comms_hub", f"only a GPF names its Comms Hub's CHF, not a {record.device_type}"
            )
        chf_id = parse_eui64(record.comms_hub, "comms_hub")
        if chf_id == record.device_id:
            raise InvalidField("comms_hub", "names the GPF itself, not its Comms Hub's CHF")
        chf = self.state.smi.get(chf_id)
        if chf is not None and chf.device_type is not DeviceType.CHF:
            raise InvalidField("comms_hub", f"{chf_id} is a {chf.device_type}, not a CHF")
        other = self.state.smi.hub_gpf(chf_id)
        if other is not None and other.device_id != record.device_id:
            raise InvalidField("comms_hub", f"the hub of CHF {chf_id} has GPF {other.device_id}")
        return record if chf_id == record.comms_hub else replace(record, comms_hub=chf_id)

    def put_cpl_entry(self, entry: CplEntry) -> int:
        """Add or change a CPL entry. Marking one Removed suspends its devices (CPL-01);
        returns how many devices were suspended."""
        previous = self.state.cpl.status_of(entry.key)
        self.state.cpl.put(entry)
        self.state.journal.record(
            self.now(),
            EventKind.CONTROL,
            "CPL entry set",
            model=entry.model,
            version=entry.firmware_version,
            status=entry.status,
        )
        if entry.status is not CplStatus.REMOVED or previous is CplStatus.REMOVED:
            return 0
        return self._suspend_devices_on(entry)

    def _suspend_devices_on(self, entry: CplEntry) -> int:
        """CPL-01. A GPF of a known Comms Hub runs the hub's firmware, so it is suspended with
        its CHF and never by an entry of its own (CPL-04)."""
        suspended = 0
        alert = (AlertIntent(DccAlertCode.DEVICE_SUSPENDED, DeviceStatusChange(restored=False)),)
        for record in self.state.smi.with_cpl_key(entry.key):
            if record.comms_hub is not None or not self._suspend(record, alert):
                continue
            suspended += 1
            if record.device_type is DeviceType.CHF:
                gpf = self.state.smi.hub_gpf(record.device_id)
                if gpf is not None and self._suspend(gpf, alert):
                    suspended += 1
        return suspended

    def _suspend(self, record: SmiRecord, alert: tuple[AlertIntent, ...]) -> bool:
        """Suspend one device if it can be; a Recovered one is judged by its status before
        Recovery (AUTH-08), so one that was Suspended then is not suspended twice."""
        if not record.device_type.on_cpl or record.effective_status not in COMMUNICABLE:
            return False
        new_record = record.suspended()
        self.state.store(new_record, "CPL entry Removed")
        self.state.raise_alerts(new_record, alert)
        return True

    def restore_device(self, device_id: str, *, actor: str, reason: str) -> SmiRecord:
        """CPL-02's administrative reset: lift a suspension by hand. Audited in the journal."""
        if not actor:
            raise InvalidField("actor", "an administrative restore names who did it")
        record = self.device_record(device_id)
        if not record.is_suspended:  # a Recovered device by its status before Recovery (AUTH-08)
            raise InvalidField("device_id", f"device is {record.status}, not Suspended")
        restored = record.restored()
        self.state.store(restored, "administrative restore")
        self.state.journal.record(
            self.now(),
            EventKind.CONTROL,
            "administrative restore",
            device=record.device_id,
            actor=actor,
            reason=reason,
        )
        return restored

    def begin_recovery(self, device_id: str, *, actor: str, reason: str) -> SmiRecord:
        """AUTH-08: the DCC's recovery process takes a device into Recovery, where every SR
        relating to it is refused, remembering the status it held. Audited in the journal."""
        if not actor:
            raise InvalidField("actor", "a recovery names who started it")
        record = self.device_record(device_id)
        if not record.may_enter_recovery:
            raise InvalidField("device_id", f"a {record.status} device cannot enter Recovery")
        return self._recovery_step(record, record.in_recovery(), "recovery begun", actor, reason)

    def complete_recovery(self, device_id: str, *, actor: str, reason: str) -> SmiRecord:
        """AUTH-08: Recovery -> Recovered; from then on the device is judged by the status it
        held before Recovery. Audited in the journal."""
        if not actor:
            raise InvalidField("actor", "a recovery names who completed it")
        record = self.device_record(device_id)
        if record.status is not SmiStatus.RECOVERY:
            raise InvalidField("device_id", f"device is {record.status}, not in Recovery")
        return self._recovery_step(record, record.recovered(), "recovery completed", actor, reason)

    def _recovery_step(
        self, record: SmiRecord, new_record: SmiRecord, what: str, actor: str, reason: str
    ) -> SmiRecord:
        self.state.store(new_record, what)
        self.state.journal.record(
            self.now(),
            EventKind.CONTROL,
            what,
            device=record.device_id,
            actor=actor,
            reason=reason,
            was=record.status,
        )
        return new_record

    def remove_fault_rule(self, rule_id: int) -> None:
        try:
            self.faults.remove(rule_id)
        except KeyError:
            raise NotFound("fault rule", str(rule_id)) from None

    def program_ecos_failure(self, device_id: str, ecos_error_code: str) -> None:
        """Make the ECoS party refuse the next 6.23 for a device (N26, ALERT-02)."""
        if len(ecos_error_code) != 3:
            raise InvalidField("ecos_error_code", "an ECoSErrorCode is exactly 3 characters")
        self.state.ecos_failures[self.device_record(device_id).device_id] = ecos_error_code


def _held_label(srv: str, device_id: str) -> str:
    """The scheduler's label of a future-dated SR the DSP holds ("DSP" pattern, SRV-05)."""
    return f"SRV {srv} held for {device_id}"


def _pre_command_payload(request: ServiceRequest) -> bytes:
    """An opaque stand-in for the GBCS command: unique to the request, checked on return."""
    digest = hashlib.sha256(repr(request).encode()).digest()
    return b"DCCSIM-GBCS/" + request.srv.encode() + b"/" + digest
