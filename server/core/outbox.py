"""Per-user ordered delivery with acknowledgement (REQ-03, ALERT-03).

Each user's messages are numbered 1, 2, 3, ... in the order the DSP produced them. A message stays
in the outbox until the user acknowledges it (or a later one); a reader that reconnects asks for
everything after what it last acknowledged, so nothing is lost and nothing acknowledged comes back.

Bounded (SEC-04): a User holding `Outboxes.limit` unacknowledged messages has its new Service
Requests refused (`OUTBOX_FULL`, see dsp.py) until it acknowledges some; the messages already owed
(responses to requests accepted earlier, alerts) are still queued, so nothing accepted is lost.
Sequences only ever grow: a new DSP (Reset, LoadFleet) carries each User's last sequence on
(`Outboxes.carry_over`), so a connected subscriber's next message is numbered after what it saw.
"""

from __future__ import annotations

import itertools
from collections import deque
from dataclasses import dataclass

from dccsim.server.core.messages import OutboundMessage
from dccsim.server.core.quick_init import quick_init

# The unacknowledged messages per User at which its new Service Requests are refused: about
# 108 MiB of memory (and 55 MiB of state file) per 100,000 messages were measured, so the default
# bounds a User who never acknowledges to roughly that, while a load test acknowledging in
# batches of thousands never meets it.
DEFAULT_OUTBOX_LIMIT = 100_000


@quick_init
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

    def continue_after(self, sequence: int) -> None:
        """Number what follows after `sequence` (when it is ahead): everything up to it counts
        as acknowledged, so a stale acknowledgement of it is harmless."""
        shift = sequence - self._acknowledged
        if shift <= 0:
            return
        # A new DSP's outboxes are almost always empty; any message one holds moves up too.
        self._entries = deque(
            OutboxEntry(e.sequence + shift, e.recipient, e.message) for e in self._entries
        )
        self._last_sequence += shift
        self._acknowledged = sequence

    # The snapshot contract (dccsim.server.store.codec): what a restart must find again.
    def to_data(self) -> dict[str, object]:
        return {
            "recipient": self.recipient,
            "entries": [(e.sequence, e.message) for e in self._entries],
            "last_sequence": self._last_sequence,
            "acknowledged": self._acknowledged,
        }

    @classmethod
    def from_data(cls, data: dict[str, object]) -> Outbox:
        box = cls(str(data["recipient"]))
        box._entries = deque(
            OutboxEntry(sequence, box.recipient, message)
            for sequence, message in data["entries"]  # type: ignore[attr-defined]
        )
        box._last_sequence = int(data["last_sequence"])  # type: ignore[call-overload]
        box._acknowledged = int(data["acknowledged"])  # type: ignore[call-overload]
        return box

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

    # A class default, so a DSP restored from a state file written before the limit existed has
    # one; the server sets its own (a setting, never part of the state).
    limit: int = DEFAULT_OUTBOX_LIMIT

    def __init__(self, limit: int = DEFAULT_OUTBOX_LIMIT) -> None:
        self._boxes: dict[str, Outbox] = {}
        self.limit = limit

    def full(self, user_id: str) -> bool:
        """Whether the user holds `limit` or more unacknowledged messages; creates nothing."""
        box = self._boxes.get(user_id)
        return box is not None and len(box) >= self.limit

    def carry_over(self, previous: Outboxes) -> None:
        """Continue `previous`'s numbering (a new DSP replacing an old one): each user's next
        message is numbered after the last one it was sent, never again from 1. The old
        messages themselves are not carried: a Reset or LoadFleet empties every outbox."""
        self.limit = previous.limit
        for user_id, old in previous._boxes.items():
            box = self.for_user(user_id)
            box.continue_after(old.last_sequence)

    # The snapshot contract: the outboxes (the limit is a setting of the server, not state).
    def to_data(self) -> dict[str, object]:
        return {"boxes": list(self._boxes.values())}

    @classmethod
    def from_data(cls, data: dict[str, object]) -> Outboxes:
        outboxes = cls()
        outboxes._boxes = {box.recipient: box for box in data["boxes"]}  # type: ignore[attr-defined]
        return outboxes

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
