"""The virtual clock (REQ-07): frozen, advanced or accelerated, so that a test never sleeps."""

from __future__ import annotations

import heapq
import itertools
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

DEFAULT_START = datetime(2026, 1, 1, tzinfo=UTC)
UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_COUNT = re.compile(r"count\((-?\d+)\)")


def count_position(counter: itertools.count[int]) -> int:
    """The next value an itertools.count will give, read from its repr: reading it by `next`
    would consume it (and pickling a count is deprecated). For the snapshot contracts."""
    match = _COUNT.fullmatch(repr(counter))
    if match is None:
        raise ValueError(f"not a counter of integers: {counter!r}")
    return int(match.group(1))


class VirtualClock:
    """Virtual time = anchor + (real time since anchoring) x rate. Rate 0 is a frozen clock.

    While `pinned()`, time stands still at one instant: the server pins it around each command
    so that everything one request does happens at the same moment, and so that replaying the
    command at that recorded instant does exactly the same.
    """

    def __init__(
        self,
        start: datetime = DEFAULT_START,
        *,
        rate: float = 0.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if start.tzinfo is None:
            raise ValueError("the clock needs a timezone-aware start")
        self._monotonic = monotonic
        self._anchor_virtual = start
        self._anchor_real = monotonic()
        self._rate = rate
        self._pinned: datetime | None = None

    # A snapshot holds virtual time and rate; the real-time anchor means nothing in another
    # process, so a restored clock carries on from the instant it was saved at. (Pickling is
    # how a /3 state file held it, read once to migrate it: dccsim.server.store.legacy.)
    def __getstate__(self) -> dict[str, object]:
        return {"now": self.now(), "rate": self._rate}

    def __setstate__(self, state: dict[str, object]) -> None:
        now, rate = state["now"], state["rate"]
        assert isinstance(now, datetime) and isinstance(rate, int | float)
        self.__init__(now, rate=float(rate))  # type: ignore[misc]

    # The snapshot contract (dccsim.server.store.codec): the same two values, as data.
    def to_data(self) -> dict[str, object]:
        return {"now": self.now(), "rate": self._rate}

    @classmethod
    def from_data(cls, data: dict[str, object]) -> VirtualClock:
        now, rate = data["now"], data["rate"]
        if not isinstance(now, datetime) or not isinstance(rate, int | float):
            raise ValueError(f"not a clock: {data!r}")
        return cls(now, rate=float(rate))

    @property
    def rate(self) -> float:
        return self._rate

    @property
    def frozen(self) -> bool:
        return self._rate == 0.0

    def pinned(self, at: datetime | None = None) -> _Pin:
        """Hold time still (at `at`, or now) until the block ends; re-entrant."""
        return _Pin(self, at)

    def now(self) -> datetime:
        if self._pinned is not None:
            return self._pinned
        if self._rate == 0.0:
            return self._anchor_virtual
        elapsed = self._monotonic() - self._anchor_real
        return self._anchor_virtual + timedelta(seconds=elapsed * self._rate)

    def set(self, when: datetime) -> None:
        if when.tzinfo is None:
            raise ValueError("the clock needs a timezone-aware time")
        self._anchor_virtual = when
        self._anchor_real = self._monotonic()
        if self._pinned is not None:
            self._pinned = when

    def advance(self, delta: timedelta) -> None:
        if delta < timedelta(0):
            raise ValueError("virtual time only moves forward")
        self.set(self.now() + delta)

    def freeze(self) -> None:
        self.accelerate(0.0)

    def accelerate(self, rate: float) -> None:
        """Run virtual time at `rate` x real time (1.0 = real time, 0 = frozen)."""
        if rate < 0:
            raise ValueError("the clock rate cannot be negative")
        self._anchor_virtual = self.now()
        self._anchor_real = self._monotonic()
        self._rate = rate


class _Pin:
    """The context of `VirtualClock.pinned`. A class rather than @contextmanager: every command
    the server runs is inside one, and a generator costs three times as much to enter and leave."""

    __slots__ = ("_at", "_clock", "_outermost")

    def __init__(self, clock: VirtualClock, at: datetime | None) -> None:
        self._clock = clock
        self._at = at
        self._outermost = False

    def __enter__(self) -> datetime:
        clock = self._clock
        if clock._pinned is not None:  # re-entered: the outer block keeps its instant
            return clock._pinned
        self._outermost = True
        if self._at is not None:
            clock.set(self._at)
        clock._pinned = self._at or clock.now()
        return clock._pinned

    def __exit__(self, *exc_info: object) -> None:
        if self._outermost:
            # Real time went on meanwhile, so the running clock is already at or past the
            # pinned instant: time never runs backwards.
            self._clock._pinned = None


@dataclass(order=True, slots=True)
class _Timer:
    due: datetime
    sequence: int
    action: Callable[[], None] = field(compare=False)
    label: str = field(compare=False, default="")


class Scheduler:
    """Work that runs when virtual time reaches it, in due order (ties: order scheduled)."""

    def __init__(self) -> None:
        self._heap: list[_Timer] = []
        self._sequence = itertools.count()

    def __len__(self) -> int:
        return len(self._heap)

    def at(self, due: datetime, action: Callable[[], None], label: str = "") -> None:
        heapq.heappush(self._heap, _Timer(due, next(self._sequence), action, label))

    def next_due(self) -> datetime | None:
        return self._heap[0].due if self._heap else None

    def pop_due(self, now: datetime) -> _Timer | None:
        if self._heap and self._heap[0].due <= now:
            return heapq.heappop(self._heap)
        return None

    def pending(self) -> list[tuple[datetime, str]]:
        return [(t.due, t.label) for t in sorted(self._heap)]

    # The snapshot contract: each timer's work is a `functools.partial` of a function of the SRV
    # registry, which the store's codec writes as that function's name and its arguments.
    def to_data(self) -> dict[str, object]:
        return {
            "timers": [(t.due, t.sequence, t.action, t.label) for t in self._heap],
            "next_sequence": count_position(self._sequence),
        }

    @classmethod
    def from_data(cls, data: dict[str, object]) -> Scheduler:
        scheduler = cls()
        timers = data["timers"]
        assert isinstance(timers, list)
        # Written in heap order, so the heap needs no rebuilding.
        scheduler._heap = [_Timer(due, seq, action, label) for due, seq, action, label in timers]
        scheduler._sequence = itertools.count(int(data["next_sequence"]))  # type: ignore[call-overload]
        return scheduler

    def cancel(self, label: str) -> int:
        """Drop the work labelled `label`; return how much was dropped."""
        kept = [timer for timer in self._heap if timer.label != label]
        dropped = len(self._heap) - len(kept)
        if dropped:
            heapq.heapify(kept)
            self._heap = kept
        return dropped
