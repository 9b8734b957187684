"""The virtual clock (REQ-07): frozen, advanced or accelerated, so that a test never sleeps."""

from __future__ import annotations

import heapq
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

DEFAULT_START = datetime(2026, 1, 1, tzinfo=UTC)


class VirtualClock:
    """Virtual time = anchor + (real time since anchoring) x rate. Rate 0 is a frozen clock."""

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

    @property
    def rate(self) -> float:
        return self._rate

    @property
    def frozen(self) -> bool:
        return self._rate == 0.0

    def now(self) -> datetime:
        if self._rate == 0.0:
            return self._anchor_virtual
        elapsed = self._monotonic() - self._anchor_real
        return self._anchor_virtual + timedelta(seconds=elapsed * self._rate)

    def set(self, when: datetime) -> None:
        if when.tzinfo is None:
            raise ValueError("the clock needs a timezone-aware time")
        self._anchor_virtual = when
        self._anchor_real = self._monotonic()

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
