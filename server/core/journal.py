"""The event journal: every request, decision, device exchange and alert the simulator records.

Recording is on the hot path (several events per request) and most events are never read, so the
journal keeps each event as a plain tuple of what the caller passed and builds the `Event`, with
its details formatted as strings, only when a reader asks for it.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class EventKind(StrEnum):
    REQUEST = "request"
    DECISION = "decision"
    DEVICE_COMMAND = "device-command"
    DEVICE_RESPONSE = "device-response"
    DEVICE_ALERT = "device-alert"
    DCC_ALERT = "dcc-alert"
    SMI_CHANGE = "smi-change"
    FAULT = "fault"
    CONTROL = "control"
    DELIVERY = "delivery"  # a POST to a Receive Response Service address (BOXED-02)


class EventDetails(Mapping[str, str]):
    """An event's details, read-only. Values are kept as recorded and formatted with `str` when
    read: callers pass immutable values (strings, numbers, enums, frozen records), so formatting
    later gives the same text as formatting at once, without paying for it on every request."""

    __slots__ = ("_raw",)

    def __init__(self, raw: Mapping[str, object] | None = None) -> None:
        self._raw: Mapping[str, object] = raw if raw is not None else {}

    def __getitem__(self, key: str) -> str:
        return str(self._raw[key])

    def __contains__(self, key: object) -> bool:
        return key in self._raw

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)

    def __repr__(self) -> str:
        return f"EventDetails({dict(self)!r})"


@dataclass(frozen=True, slots=True)
class Event:
    sequence: int
    at: datetime
    kind: EventKind
    summary: str
    details: Mapping[str, str] = field(default_factory=EventDetails)


# (sequence, at, kind, summary, details as passed): what the journal holds per event.
_Raw = tuple[int, datetime, EventKind, str, dict[str, object]]


def _event(raw: _Raw) -> Event:
    sequence, at, kind, summary, details = raw
    return Event(sequence, at, kind, summary, EventDetails(details))


class Journal:
    """A bounded in-memory record: the oldest events fall off."""

    def __init__(self, capacity: int = 100_000) -> None:
        self._events: deque[_Raw] = deque(maxlen=capacity)
        self._sequence = 0

    def record(self, at: datetime, kind: EventKind, summary: str, **details: object) -> None:
        """Record an event. `details` values must be immutable: they are formatted when read."""
        self._sequence += 1
        raw = (self._sequence, at, kind, summary, details)
        self._events.append(raw)

    @property
    def last_sequence(self) -> int:
        return self._sequence

    def since(self, sequence: int) -> list[Event]:
        """Events after `sequence` still held, oldest first."""
        if not self._events:
            return []
        start = max(0, sequence - self._events[0][0] + 1)
        return [_event(raw) for raw in itertools.islice(self._events, start, None)]

    def events(self, kind: EventKind | None = None) -> list[Event]:
        return [_event(raw) for raw in self._events if kind is None or raw[2] is kind]

    # A snapshot of the DSP keeps the journal's numbering, so the event stream carries on after
    # a restart, but not its events: they are for watching, not state, and a full journal
    # would be most of a small fleet's snapshot.
    def __getstate__(self) -> dict[str, int | None]:
        return {"capacity": self._events.maxlen, "sequence": self._sequence}

    def __setstate__(self, state: dict[str, int | None]) -> None:
        # (How a dccsim-state/3 file held it, read once to migrate it.) Files from before
        # `capacity` was kept have none, and take the default.
        self.__init__(state.get("capacity") or 100_000)  # type: ignore[misc]
        self._sequence = state.get("sequence") or 0

    # The snapshot contract (dccsim.server.store.codec): the same two numbers, as data.
    def to_data(self) -> dict[str, object]:
        return {"capacity": self._events.maxlen, "sequence": self._sequence}

    @classmethod
    def from_data(cls, data: dict[str, object]) -> Journal:
        journal = cls(int(data["capacity"] or 0))  # type: ignore[call-overload]
        journal._sequence = int(data["sequence"])  # type: ignore[call-overload]
        return journal
