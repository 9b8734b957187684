"""Opening a state file: what it is checked for before anything is written (an empty file, an
SQLite file that is not dccsim's, another format, a lost write-ahead log, a damaged page), the
creation of a new one, and the one-time migration of a /3 (pickled) file."""

from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path

from dccsim.server.core.dsp import Dsp
from dccsim.server.store import legacy
from dccsim.server.store.codec import Encoder
from dccsim.server.store.errors import StateFileError
from dccsim.server.store.layout import (
    FORMAT,
    TABLES,
    create_tables,
    insert_snapshot,
    remove_unfinished_snapshots,
)
from dccsim.server.store.reading import replay

log = logging.getLogger("dccsim.store")


def wal_path(path: Path) -> Path:
    return Path(f"{path}-wal")


def check_and_prepare(
    db: sqlite3.Connection, path: Path, *, existed: bool, wal_existed: bool
) -> None:
    """Check what the file is (creating a new one), migrating a /3 file."""
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    if not tables:
        if existed:
            raise StateFileError(
                f"{path} holds no dccsim state (an SQLite file without its tables: "
                "was its write-ahead log deleted?); nothing was restored"
            )
        db.execute("PRAGMA journal_mode=WAL")
        _create(db)
        return
    row = (
        db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        if "meta" in tables
        else None
    )
    if row is None:
        raise StateFileError(f"{path} is an SQLite file, but not a dccsim state file")
    if row[0] == legacy.LEGACY_FORMAT:
        _check_integrity(db, path)
        _migrate(db, path)  # in one transaction: nothing is written if it fails
        return
    if row[0] != FORMAT:
        raise StateFileError(f"{path} is {row[0]!r}; this dccsim reads {FORMAT!r}")
    if not tables >= TABLES:
        raise StateFileError(f"{path} is damaged: tables {TABLES - tables} are missing")
    (open_,) = db.execute("SELECT value FROM meta WHERE key = 'open'").fetchone() or ("0",)
    if open_ == "1" and not wal_existed:
        raise StateFileError(
            f"{path} was not closed cleanly and its write-ahead log "
            f"{wal_path(path).name} is missing: the changes it held are lost, so the file "
            "is refused (restore the log, or start again with --fresh)"
        )
    _check_integrity(db, path)


def _create(db: sqlite3.Connection) -> None:
    db.execute("BEGIN")
    create_tables(db)
    db.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT,))
    db.execute("COMMIT")


def mark_open(db: sqlite3.Connection, path: Path) -> None:
    """Note in the main file (not only the log) that the file is open: if the log is then
    lost, the next start knows that it was there, and refuses the file. Also clear what
    a background snapshot left unfinished."""
    db.execute(
        "DELETE FROM snapshot_parts WHERE through_seq NOT IN (SELECT through_seq FROM snapshots)"
    )
    remove_unfinished_snapshots(path)
    db.execute("INSERT OR REPLACE INTO meta VALUES ('open', '1')")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _check_integrity(db: sqlite3.Connection, path: Path) -> None:
    problems = [row[0] for row in db.execute("PRAGMA quick_check")]
    if problems != ["ok"]:
        raise StateFileError(f"{path} is damaged: {'; '.join(problems[:3])}")


def _migrate(db: sqlite3.Connection, path: Path) -> None:
    """Read a /3 file (pickled) through the restricted loader and write it again as /4,
    in one transaction: if anything fails, the file stays as it was."""
    started = time.perf_counter()
    snapshot = db.execute(
        "SELECT through_seq, taken_at, state FROM snapshots ORDER BY through_seq DESC LIMIT 1"
    ).fetchone()
    rows = db.execute(
        "SELECT first_seq, last_seq, commands FROM commands ORDER BY first_seq"
    ).fetchall()
    try:
        if snapshot is None:
            if rows:
                raise StateFileError(f"{path} has commands but no snapshot to start from")
            dsp = None
        else:
            dsp = legacy.loads(snapshot[2])
            if not isinstance(dsp, Dsp):
                raise StateFileError(f"{path}: its snapshot is not a DSP")
            expected = snapshot[0] + 1
            for first_seq, last_seq, blob in rows:
                if last_seq <= snapshot[0]:
                    continue
                if first_seq != expected:
                    raise StateFileError(
                        f"{path} is missing commands {expected} to {first_seq - 1}"
                    )
                changes = legacy.loads(blob)
                if len(changes) != last_seq - first_seq + 1:
                    raise StateFileError(f"{path}: commands {first_seq}-{last_seq} damaged")
                replay(path, dsp, first_seq, changes)
                expected = last_seq + 1
            through = expected - 1
    except legacy.LegacyRefused as error:
        raise StateFileError(f"{path} was refused: {error}") from None
    except (StateFileError, sqlite3.DatabaseError):
        raise
    except Exception as error:  # a damaged pickle: whatever it made the loader raise
        raise StateFileError(
            f"{path} ({legacy.LEGACY_FORMAT}) is damaged: {type(error).__name__}: {error}"
        ) from None
    db.execute("BEGIN")
    try:
        for table in ("snapshots", "commands"):
            db.execute(f"DROP TABLE {table}")
        create_tables(db)
        if dsp is not None:
            document = Encoder().encode_document(dsp)
            insert_snapshot(db, through, dsp.now(), document)
        db.execute("UPDATE meta SET value = ? WHERE key = 'format'", (FORMAT,))
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("VACUUM")
    log.warning(
        "state file %s: migrated from %s to %s in %.1f s",
        path,
        legacy.LEGACY_FORMAT,
        FORMAT,
        time.perf_counter() - started,
    )
