"""Reading what a state file holds: the latest snapshot and the commands after it."""

from __future__ import annotations

import hashlib
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from dccsim.server.core.commands import Command
from dccsim.server.core.dsp import Dsp
from dccsim.server.store.codec import Decoder, decode_document
from dccsim.server.store.errors import StateFileError
from dccsim.server.store.layout import tag_rows


@dataclass(frozen=True, slots=True)
class Restored:
    dsp: Dsp
    snapshot_seq: int
    replayed: int
    seconds: float


def read_durable(db: sqlite3.Connection, path: Path) -> Restored | None:
    """The DSP the file holds: its latest snapshot, checked against its checksum, and the
    commands after it replayed, with no gap."""
    started = time.perf_counter()
    row = db.execute(
        "SELECT through_seq, parts, bytes, sha256 FROM snapshots ORDER BY through_seq DESC LIMIT 1"
    ).fetchone()
    (commands,) = db.execute("SELECT count(*) FROM commands").fetchone()
    if row is None:
        if commands:
            raise StateFileError(f"{path} has commands but no snapshot to start from")
        return None
    snapshot_seq, _, size, digest = row
    document = b"".join(
        data
        for (data,) in db.execute(
            "SELECT data FROM snapshot_parts WHERE through_seq = ? ORDER BY part",
            (snapshot_seq,),
        )
    )
    if len(document) != size or hashlib.sha256(document).hexdigest() != digest:
        raise StateFileError(
            f"{path} is damaged: snapshot {snapshot_seq} does not match its checksum"
        )
    dsp = decode_document(document)
    if not isinstance(dsp, Dsp):
        raise StateFileError(f"{path} is damaged: its snapshot is not a DSP")
    decoder = Decoder(tag_rows(db))
    replayed = 0
    expected = snapshot_seq + 1
    for first_seq, last_seq, blob in db.execute(
        "SELECT first_seq, last_seq, commands FROM commands WHERE last_seq > ? ORDER BY first_seq",
        (snapshot_seq,),
    ):
        if first_seq != expected:
            raise StateFileError(
                f"{path} is missing commands {expected} to {first_seq - 1}: "
                "the state after them cannot be rebuilt"
            )
        changes = decoder.decode(blob)
        if not isinstance(changes, list) or len(changes) != last_seq - first_seq + 1:
            raise StateFileError(f"{path} is damaged: commands {first_seq}-{last_seq}")
        replay(path, dsp, first_seq, changes)
        replayed += len(changes)
        expected = last_seq + 1
    return Restored(dsp, snapshot_seq, replayed, time.perf_counter() - started)


def replay(path: Path, dsp: Dsp, first_seq: int, changes: list[tuple[datetime, Command]]) -> None:
    for seq, (at, command) in enumerate(changes, start=first_seq):
        try:
            with dsp.clock.pinned(at):
                command.apply(dsp)
        except Exception as error:
            kind = type(command).__name__
            raise StateFileError(
                f"{path}: command {seq} ({kind}) did not replay: {error}"
            ) from error
