"""The state file's tables, and the statements that write and clear whole snapshots."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import datetime
from pathlib import Path

# 4: data, not pickles: the record format of codec.py, named by the state schema (SEC-03).
# 3: held work names the functions of the SRV registry (pickled).
FORMAT = "dccsim-state/4"
# A snapshot is stored in parts of this size: a background one stores each part in its own short
# transaction, so commits go on between them (see `snapshots.py`).
SNAPSHOT_PART_BYTES = 1024 * 1024

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE tags (                   -- the command log's tag table (codec.py)
    tag INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    fields TEXT NOT NULL              -- a JSON list
);
CREATE TABLE snapshots (
    through_seq INTEGER PRIMARY KEY,  -- the last command the snapshot includes
    taken_at TEXT NOT NULL,           -- virtual time
    parts INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL              -- of the parts, in order
);
CREATE TABLE snapshot_parts (         -- a snapshot's document (codec.py), in parts
    through_seq INTEGER NOT NULL,
    part INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (through_seq, part)
);
CREATE TABLE commands (
    first_seq INTEGER PRIMARY KEY,
    last_seq INTEGER NOT NULL,
    kinds TEXT NOT NULL,              -- e.g. "Submit x998, RunDue x2", for a person reading it
    commands BLOB NOT NULL            -- a list of (instant, command), first_seq onwards
);
"""
TABLES = {"meta", "tags", "snapshots", "snapshot_parts", "commands"}


def create_tables(db: sqlite3.Connection) -> None:
    """Within a transaction (executescript would commit it): the tables not yet there."""
    for statement in SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS"))


def tag_rows(db: sqlite3.Connection) -> list[tuple[str, str, tuple[str, ...]]]:
    """The command log's tag table (codec.py)."""
    return [
        (name, kind, tuple(json.loads(fields)))
        for name, kind, fields in db.execute("SELECT name, kind, fields FROM tags ORDER BY tag")
    ]


def insert_snapshot(
    db: sqlite3.Connection, through_seq: int, taken_at: datetime, document: bytes
) -> None:
    """Within a transaction: a snapshot, replacing the one before and the commands it covers."""
    db.execute("DELETE FROM snapshot_parts WHERE through_seq = ?", (through_seq,))
    parts = range(0, max(len(document), 1), SNAPSHOT_PART_BYTES)
    db.executemany(
        "INSERT INTO snapshot_parts VALUES (?, ?, ?)",
        [
            (through_seq, n, document[start : start + SNAPSHOT_PART_BYTES])
            for n, start in enumerate(parts)
        ],
    )
    db.execute(
        "INSERT OR REPLACE INTO snapshots VALUES (?, ?, ?, ?, ?)",
        (
            through_seq,
            taken_at.isoformat(),
            len(parts),
            len(document),
            hashlib.sha256(document).hexdigest(),
        ),
    )
    db.execute("DELETE FROM commands WHERE last_seq <= ?", (through_seq,))
    db.execute("DELETE FROM snapshots WHERE through_seq < ?", (through_seq,))
    db.execute("DELETE FROM snapshot_parts WHERE through_seq < ?", (through_seq,))


def record_snapshot(
    db: sqlite3.Connection, through_seq: int, taken_at: datetime, parts: int, size: int, sha256: str
) -> None:
    """Within a transaction: a background snapshot whose parts are stored becomes the one a
    restart reads (unless a newer one was recorded meanwhile)."""
    (newest,) = db.execute("SELECT max(through_seq) FROM snapshots").fetchone()
    if newest is not None and newest > through_seq:
        db.execute("DELETE FROM snapshot_parts WHERE through_seq = ?", (through_seq,))
        return
    db.execute(
        "INSERT OR REPLACE INTO snapshots VALUES (?, ?, ?, ?, ?)",
        (
            through_seq,
            taken_at.isoformat(),
            parts,
            size,
            sha256,
        ),
    )
    db.execute("DELETE FROM commands WHERE last_seq <= ?", (through_seq,))
    # The older snapshot's parts are deleted after, a part at a time (`_drop_old_parts`):
    # freeing hundreds of megabytes in this commit would hold up every caller waiting for it.
    db.execute("DELETE FROM snapshots WHERE through_seq < ?", (through_seq,))


def remove_unfinished_snapshots(path: Path) -> None:
    """Files a background snapshot left when the server stopped before it was stored."""
    for leftover in path.parent.glob(f"{path.name}.snapshot-*"):
        leftover.unlink(missing_ok=True)
