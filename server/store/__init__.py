"""Durable state: the DSP's command log and snapshots in an embedded SQLite database."""

from dccsim.server.store.errors import StateFileError, StorageUnavailable
from dccsim.server.store.state_file import StateFile

__all__ = ["StateFile", "StateFileError", "StorageUnavailable"]
