"""The local commands the DSP has issued (CV 2 and 6), kept so that 8.13 Return Local Command
Response can be matched with the command it answers.

A User delivers a local command to the device itself (a hand-held terminal on site) and returns
the device's response with 8.13; the DSP then processes it as it would the device's remote
response. The record is bounded (SEC-04): at most `MAX_ISSUED` commands are kept, the oldest
forgotten first; a response to a forgotten one is answered as one to an unknown command.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime

from dccsim.server.core.requests import RequestId, ServiceRequest

# Decision: enough for a busy day's site visits of a large test fleet; a run that never
# returns its local commands cannot grow the DSP without bound.
MAX_ISSUED = 100_000


@dataclass(frozen=True, slots=True)
class IssuedLocalCommand:
    """One local command: the request it carries out, its payload, and whether its response
    has come back (8.13)."""

    request: ServiceRequest
    payload: bytes
    issued_at: datetime
    returned: bool = False


class LocalCommands:
    """RequestID -> the local command issued for it, oldest first."""

    def __init__(self) -> None:
        self._issued: dict[RequestId, IssuedLocalCommand] = {}

    def issue(self, request: ServiceRequest, payload: bytes, at: datetime) -> None:
        self._issued.pop(request.request_id, None)  # a reissue counts as the newest
        self._issued[request.request_id] = IssuedLocalCommand(request, payload, at)
        while len(self._issued) > MAX_ISSUED:
            del self._issued[next(iter(self._issued))]

    # The snapshot contract (dccsim.server.store.codec): the commands issued, oldest first.
    def to_data(self) -> dict[str, object]:
        return {"issued": list(self._issued.values())}

    @classmethod
    def from_data(cls, data: dict[str, object]) -> LocalCommands:
        commands = cls()
        commands._issued = {c.request.request_id: c for c in data["issued"]}  # type: ignore[attr-defined]
        return commands

    def get(self, request_id: RequestId) -> IssuedLocalCommand | None:
        return self._issued.get(request_id)

    def mark_returned(self, request_id: RequestId) -> None:
        self._issued[request_id] = replace(self._issued[request_id], returned=True)

    def __iter__(self) -> Iterator[IssuedLocalCommand]:
        return iter(self._issued.values())

    def __len__(self) -> int:
        return len(self._issued)
