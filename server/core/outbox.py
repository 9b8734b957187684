"""Per-user ordered delivery with acknowledgement (REQ-03, ALERT-03).

Each user's messages are numbered 1, 2, 3, ... in the order the DSP produced them. A message stays
in the outbox until the user acknowledges it (or a later one); a reader that reconnects asks for
everything after what it last acknowledged, so nothing is lost and nothing acknowledged comes back.
"""

from __future__ import annotations

import itertools
from collections import deque
from dataclasses import dataclass

from dccsim.server.core.messages import OutboundMessage


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    sequence: int
    recipient: str
    message: OutboundMessage


class Outbox:
    def __init__(self, recipient: str) -> None:
        self.recipient = recipient
        self._entries: deque[OutboxEntry] = deque()
        self._last_sequence = 0
        self._acknowledged = 0

    @property
    def last_sequence(self) -> int:
        return self._last_sequence

    @property
    def acknowledged(self) -> int:
        return self._acknowledged

    def __len__(self) -> int:
        return len(self._entries)

    def append(self, message: OutboundMessage) -> OutboxEntry:
        self._last_sequence += 1
        entry = OutboxEntry(self._last_sequence, self.recipient, message)
        self._entries.append(entry)
        return entry

    def pending(self, after: int = 0, limit: int | None = None) -> list[OutboxEntry]:
        """Unacknowledged entries with a sequence above `after`, oldest first."""
        # The entries are numbered without gaps from the oldest unacknowledged one, so the
        # first wanted is found by arithmetic, not by a scan of the whole backlog.
        if not self._entries:
            return []
        start = max(0, after - self._entries[0].sequence + 1)
        stop = None if limit is None else start + limit
        return list(itertools.islice(self._entries, start, stop))

    def acknowledge(self, up_to: int) -> int:
        """Acknowledge every entry up to and including `up_to`; return how many were removed."""
        if up_to > self._last_sequence:
            raise ValueError(
                f"cannot acknowledge {up_to}: only {self._last_sequence} messages were sent"
            )
        removed = 0
        while self._entries and self._entries[0].sequence <= up_to:
            self._entries.popleft()
            removed += 1
        self._acknowledged = max(self._acknowledged, up_to)
        return removed


class Outboxes:
    """All users' outboxes."""

    def __init__(self) -> None:
        self._boxes: dict[str, Outbox] = {}

    def for_user(self, user_id: str) -> Outbox:
        box = self._boxes.get(user_id)
        if box is None:
            box = self._boxes[user_id] = Outbox(user_id)
        return box

    def last_sequence(self, user_id: str) -> int:
        """The sequence number of the user's latest message (0: none yet); creates nothing."""
        box = self._boxes.get(user_id)
        return 0 if box is None else box.last_sequence

    def deliver(self, recipient: str, message: OutboundMessage) -> OutboxEntry:
        entry = self.for_user(recipient).append(message)
        return entry

    def snapshot(self) -> dict[str, int]:
        """Pending message counts by user."""
        return {user: len(box) for user, box in self._boxes.items()}
