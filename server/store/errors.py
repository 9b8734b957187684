"""What the store raises."""

from __future__ import annotations


class StateFileError(RuntimeError):
    """The state file cannot be read, replayed or written."""


class StorageUnavailable(StateFileError):
    """The state file cannot be written now (disk full, I/O error): a change is refused, and a
    change that was queued is not made. Clears once the file can be written again."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason
