"""The event journal: every request, decision, device exchange and alert the simulator records."""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType


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


@dataclass(frozen=True, slots=True)
class Event:
    sequence: int
    at: datetime
    kind: EventKind
    summary: str
    details: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


class Journal:
    """A bounded in-memory record (oldest events fall off) with live listeners."""

    def __init__(self, capacity: int = 100_000) -> None:
        self._events: deque[Event] = deque(maxlen=capacity)
        self._sequence = 0
        self._listeners: list[Callable[[Event], None]] = []

    def record(self, at: datetime, kind: EventKind, summary: str, **details: object) -> Event:
        self._sequence += 1
        event = Event(
            self._sequence,
            at,
            kind,
            summary,
            MappingProxyType({k: str(v) for k, v in details.items()}),
        )
        self._events.append(event)
        for listener in self._listeners:
            listener(event)
        return event

    @property
    def last_sequence(self) -> int:
        return self._sequence

    def since(self, sequence: int) -> list[Event]:
        """Events after `sequence` still held, oldest first."""
        if not self._events:
            return []
        start = max(0, sequence - self._events[0].sequence + 1)
        return list(itertools.islice(self._events, start, None))

    def events(self, kind: EventKind | None = None) -> list[Event]:
        return [e for e in self._events if kind is None or e.kind is kind]

    def subscribe(self, listener: Callable[[Event], None]) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[Event], None]) -> None:
        self._listeners.remove(listener)
