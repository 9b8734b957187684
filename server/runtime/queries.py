"""The named reads the transports make of the DSP the host holds.

Each takes the host's lock, reads, and returns values that cannot change under the caller
(frozen records, tuples, copies): no transport takes the lock or reads the core's state itself,
so what they may see is listed here, and the core may rearrange its state freely. The streams'
feeds (`Feed`) say what a stream fetches and what moves when it has something new; the host's
`follow` runs them under its lock.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import TYPE_CHECKING, Generic, TypeVar

from dccsim.devices.kinds import DeviceType
from dccsim.server.core import views
from dccsim.server.core.baseline import Baseline
from dccsim.server.core.dsp import Dsp
from dccsim.server.core.errors import InvalidField, NotFound
from dccsim.server.core.eui import parse_eui64
from dccsim.server.core.faults import FaultDecision, FaultRule
from dccsim.server.core.journal import Event
from dccsim.server.core.outbox import OutboxEntry
from dccsim.server.core.records import CplEntry, SmiRecord, SmiStatus, User, UserRole

if TYPE_CHECKING:  # the host builds its queries; at run time this module never imports it
    from dccsim.server.runtime.host import DspHost

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ClockView:
    """The virtual clock as GetClock shows it."""

    now: datetime
    rate: float
    pending_actions: int  # future-dated work on the scheduler


@dataclass(frozen=True, slots=True)
class Feed(Generic[T]):
    """What a stream follows: `fetch(dsp, after)` the items after a sequence (oldest first), and
    `probe(dsp)` a number that moves whenever there may be more (see `DspHost.follow`)."""

    fetch: Callable[[Dsp, int], list[T]]
    probe: Callable[[Dsp], int]


def outbox_feed(user_id: str, limit: int | None = None) -> Feed[OutboxEntry]:
    """A (canonical) User's outbox: its unacknowledged messages, at most `limit` at a time."""
    return Feed(
        lambda dsp, after: dsp.pending(user_id, after, limit),
        lambda dsp: views.outbox_last_sequence(dsp, user_id),
    )


def journal_feed() -> Feed[Event]:
    """The event journal (StreamEvents)."""
    return Feed(lambda dsp, after: dsp.journal.since(after), lambda dsp: dsp.journal.last_sequence)


class DspQueries:
    """The host's named reads (`DspHost.queries`)."""

    __slots__ = ("_host",)

    def __init__(self, host: DspHost) -> None:
        self._host = host

    # -- users ---------------------------------------------------------------------------------

    def known_user(self, user_id: str) -> str:
        """The User's canonical ID; InvalidField for no EUI-64, NotFound for no such User."""
        canonical = parse_eui64(user_id, "user_id")
        with self._host.lock:
            if views.user(self._host.dsp, canonical) is None:
                raise NotFound("user", canonical)
        return canonical

    def users(self) -> tuple[User, ...]:
        """Every User's record, by User ID."""
        with self._host.lock:
            return views.users(self._host.dsp)

    def next_counter(self, originator: str, target: str) -> int:
        """A RequestID counter the DSP will accept from `originator` to `target` now (REQ-02)."""
        with self._host.lock:
            return self._host.dsp.counters.get((originator, target), 0) + 1

    def user_roles(self) -> dict[str, frozenset[UserRole]]:
        """Every User's roles, by User ID (a copy)."""
        with self._host.lock:
            return {user.user_id: user.roles for user in views.users(self._host.dsp)}

    # -- the SMI and the CPL -------------------------------------------------------------------

    def device(self, device_id: str) -> SmiRecord:
        """A device's SMI record; InvalidField for no EUI-64, NotFound for no such device."""
        with self._host.lock:
            return self._host.dsp.device_record(device_id)

    def has_device(self, device_id: object) -> bool:
        """Whether the SMI holds a device, by any EUI-64 spelling; False for what is not one."""
        try:
            canonical = parse_eui64(device_id, "device_id")
        except InvalidField:
            return False
        with self._host.lock:
            return views.has_device(self._host.dsp, canonical)

    def device_ids(self, wanted: Sequence[str] = ()) -> tuple[str, ...]:
        """The wanted devices' canonical IDs, each checked to be in the SMI (NotFound naming
        the first that is not); every device's when none is named."""
        canonical = [parse_eui64(d, "device_ids") for d in wanted]
        with self._host.lock:
            dsp = self._host.dsp
            for device_id in canonical:
                if not views.has_device(dsp, device_id):
                    raise NotFound("device", device_id)
            if canonical:
                return tuple(canonical)
            return tuple(r.device_id for r in views.devices(dsp))

    def devices(
        self,
        *,
        status: SmiStatus | None = None,
        device_type: DeviceType | None = None,
        limit: int = 0,
    ) -> tuple[SmiRecord, ...]:
        """SMI records, in SMI order, of a status and type (None: any); at most `limit` (0:
        all). A first page of the whole SMI is read in place; anything filtered is filtered from a
        copy of the references, outside the lock."""
        with self._host.lock:
            if limit and status is None and device_type is None:
                return tuple(islice(views.devices(self._host.dsp), limit))
            # The records are immutable: copying the references (at C speed) is the only work
            # done under the lock, so filtering a million-device SMI holds up no request.
            records = tuple(views.devices(self._host.dsp))
        found = (
            r
            for r in records
            if (status is None or r.status is status)
            and (device_type is None or r.device_type is device_type)
        )
        return tuple(islice(found, limit) if limit else found)

    def device_count(self) -> int:
        with self._host.lock:
            return views.device_count(self._host.dsp)

    def baseline(self) -> Baseline:
        """The rules the DSP follows: a restored state file's, whatever the options said."""
        with self._host.lock:
            return self._host.dsp.baseline

    def cpl_entries(self) -> tuple[CplEntry, ...]:
        with self._host.lock:
            return views.cpl_entries(self._host.dsp)

    # -- the clock, the journal and fault injection --------------------------------------------

    def clock(self) -> ClockView:
        with self._host.lock:
            dsp = self._host.dsp
            return ClockView(dsp.now(), dsp.clock.rate, views.scheduled_actions(dsp))

    def last_event(self) -> int:
        """The journal's latest sequence: a stream of events from now on starts after it."""
        with self._host.lock:
            return self._host.dsp.journal.last_sequence

    def events_since(self, after: int, most: int) -> tuple[Event, ...]:
        """Up to `most` events after `after`, oldest first. An `after` beyond the journal's end
        (a new DSP after Reset or LoadFleet numbers from its own start) reads from the start."""
        with self._host.lock:
            journal = self._host.dsp.journal
            if after > journal.last_sequence:
                after = 0
            events = journal.since(after)
        return tuple(events[:most])

    def latest_events(self, most: int) -> tuple[Event, ...]:
        """The latest `most` events, oldest first."""
        with self._host.lock:
            journal = self._host.dsp.journal
            return tuple(journal.since(max(journal.last_sequence - most, 0)))

    def fault_rules(self) -> dict[int, FaultRule]:
        """The fault rules in force, by rule ID (a copy)."""
        with self._host.lock:
            return self._host.dsp.faults.rules()

    def fault_decisions(self) -> tuple[FaultDecision, ...]:
        with self._host.lock:
            return tuple(self._host.dsp.faults.decisions)
