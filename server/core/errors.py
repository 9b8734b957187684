"""Errors raised at the core's boundary.

A DUIS response code is an *answer*, not an error: see `codes.ResponseCode`. These exceptions are
for input that DUIS has no code for, and for what the simulator does not simulate.
"""

from __future__ import annotations


class InvalidField(ValueError):
    """Malformed input (BAD-01): names the offending field; nothing was changed."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class NotFound(LookupError):
    """A control-API lookup named something the simulator does not hold."""

    def __init__(self, what: str, key: str) -> None:
        super().__init__(f"{what} {key!r} not found")
        self.what = what
        self.key = key


class NotSimulated(Exception):
    """A valid, authorised Service Request for an SRV whose behaviour dccsim does not simulate."""

    def __init__(self, srv: str, name: str) -> None:
        super().__init__(
            f"SRV {srv} ({name}) passed validation and authorisation but is not simulated"
        )
        self.srv = srv
        self.name = name
