"""The state file: an SQLite database holding a snapshot of the DSP and every command applied since.

Why a command log and not tables of records: the core is deterministic (see
`dccsim.server.core.commands`), so `(instant, command)` pairs in order are a complete record of
every change -- SMI, CPL, users, registrations, counters, device firmware, outboxes, fault
decisions -- at the cost of tens of bytes per change. The commands of one commit go into one row.
A snapshot (the whole DSP) bounds how much a restart has to replay; once it is written, the
commands it covers are deleted.

The file holds data, not code (SPEC SEC-03): every row is a value of dccsim's state schema
(`schema.py`) in the record format of `codec.py`, named by stable names, in a format whose
version is in the file. A file of the previous format (/3, pickled) is migrated once, by a loader
that refuses anything but dccsim's own records (`legacy.py`). A file that is empty, damaged,
missing commands or missing its write-ahead log is refused with a message saying so: never
replaced by a fresh simulator. (Opening: `opening.py`; reading: `reading.py`; the tables:
`layout.py`; background snapshots: `snapshots.py`. This module is the file while it serves.)

Group commit: the server appends commands while holding its lock, which only queues them. A
caller answers its client only after its command is durable, so an acknowledged request is never
lost; the first caller to wait writes whatever has queued in a single transaction, and those who
queued meanwhile wait for it, so many concurrent requests share one fsync.

Storage failure (SPEC SEC-05): a commit that fails (disk full, I/O error) fails every change
queued with it, which the caller answers as unavailable, and makes the file refuse changes
(`StorageUnavailable`) until `recover()` finds it can write again; `on_failure` lets the server
go back to what the file holds, so nothing that was not written stays visible.
"""

from __future__ import annotations

import contextlib
import gc
import heapq
import itertools
import json
import logging
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal, NamedTuple

from dccsim.server.core.commands import Command
from dccsim.server.core.dsp import Dsp
from dccsim.server.core.fleet import cyclic_gc_paused
from dccsim.server.store import snapshots
from dccsim.server.store.codec import CodecError, Encoder
from dccsim.server.store.errors import StateFileError, StorageUnavailable
from dccsim.server.store.layout import (
    FORMAT,
    SNAPSHOT_PART_BYTES,
    insert_snapshot,
    record_snapshot,
    remove_unfinished_snapshots,
    tag_rows,
)
from dccsim.server.store.opening import check_and_prepare, mark_open, wal_path
from dccsim.server.store.reading import Restored, read_durable

__all__ = ["FORMAT", "Restored", "StateFile", "StateFileError", "StorageUnavailable"]

log = logging.getLogger("dccsim.store")

# Snapshot after this many commands (or as many as the fleet has devices, if more): see
# `StateFile.snapshot_due`.
DEFAULT_SNAPSHOT_EVERY = 100_000
# How long a unary caller waits for company before it commits, when the last commit was shared
# by several callers and ended less than COMPANY_SECONDS ago: concurrent callers then share
# commits, while a lone caller (one client sending one request after another, or an idle server)
# is written at once. Measured with `dccsim bench --mode unary --clients 16`: see the README.
DEFAULT_COMMIT_DELAY = 0.001
COMPANY_SECONDS = 0.01
# How long opening a state file waits for another process to let go of it.
LOCK_WAIT_SECONDS = 1.0
# How much a test write after a storage failure writes (see `recover`).
PROBE_BYTES = 256 * 1024
Synchronous = Literal["full", "normal"]


class _PendingCommand(NamedTuple):  # a tuple: one is made per change, under the server's lock
    seq: int
    at: datetime
    command: Command


@dataclass(frozen=True, slots=True)
class _PendingSnapshot:
    through_seq: int
    taken_at: datetime
    document: bytes


@dataclass(frozen=True, slots=True)
class _Boundary:
    """Where a background snapshot was taken: no commit row straddles it, so the commands it
    covers are exactly the rows it deletes."""

    through_seq: int


@dataclass(frozen=True, slots=True)
class _SnapshotRecord:
    """A background snapshot whose parts are in the file: recording it makes it the one a
    restart reads, and deletes the commands it covers."""

    through_seq: int
    taken_at: datetime
    parts: int
    size: int
    sha256: str


@dataclass(slots=True)
class _Background:
    pid: int
    through_seq: int
    taken_at: datetime
    path: Path
    thread: threading.Thread | None = None
    cancelled: bool = False


_Item = _PendingCommand | _PendingSnapshot | _Boundary | _SnapshotRecord


class _Waiter(NamedTuple):
    """A caller waiting for a commit; followers are kept in a heap ordered by mark, then arrival."""

    mark: int
    tiebreak: int
    gate: threading.Lock  # acquired; the leader releases it
    lingers: bool  # a unary caller, who would wait for company


class StateFile:
    def __init__(
        self,
        path: Path,
        *,
        synchronous: Synchronous = "normal",
        snapshot_every: int = DEFAULT_SNAPSHOT_EVERY,
        commit_delay: float = DEFAULT_COMMIT_DELAY,
    ) -> None:
        self.path = path
        self.snapshot_every = snapshot_every
        self.commit_delay = commit_delay
        # Called (from the thread whose commit failed, holding nothing) when a commit fails:
        # the server goes back to what the file holds. See DspHost.
        self.on_failure: Callable[[StorageUnavailable], None] | None = None
        existed = path.exists()
        if existed and path.stat().st_size == 0:
            raise StateFileError(
                f"{path} is empty: it is not a dccsim state file (nothing was restored; "
                "delete it, or start with --fresh, to start again from the fleet)"
            )
        wal_existed = wal_path(path).exists()
        try:
            self._db = sqlite3.connect(
                path, isolation_level=None, check_same_thread=False, timeout=LOCK_WAIT_SECONDS
            )
        except sqlite3.DatabaseError as error:
            raise StateFileError(f"{path}: {error}") from None
        try:
            # One process per file, locked while it is open: a second dccsim on the same file is
            # refused when it starts (not at its first commit, having answered requests it can
            # never record), and each commit skips the shared-memory locking a shared file needs
            # (half of a commit's system time; streaming 2.5-3% faster). Read the file once the
            # server has stopped.
            self._db.execute("PRAGMA locking_mode=EXCLUSIVE")
            # NORMAL (WAL): a commit survives a crash of the process (it is in the OS's hands
            # once written); the last commits before a power loss may be lost. FULL: it
            # survives power loss too, at the cost of an fsync per commit.
            self._db.execute(f"PRAGMA synchronous={synchronous.upper()}")
            # Everything is checked, and the whole state read back, before anything is written:
            # a file that is refused is left exactly as it was.
            check_and_prepare(self._db, path, existed=existed, wal_existed=wal_existed)
            self._restored = self._read()
            self._db.execute("PRAGMA journal_mode=WAL")
            mark_open(self._db, path)
        except StateFileError:
            self._db.close()
            raise
        except sqlite3.DatabaseError as error:
            self._db.close()
            if "locked" in str(error):
                raise StateFileError(
                    f"{path} is in use by another process (is another dccsim serving it?)"
                ) from None
            raise StateFileError(f"{path} is damaged: {error}") from None
        # One mutex guards the queue, the marks and the waiters. There is no writer thread: a
        # caller that needs its change durable commits the queue itself when nobody else is
        # committing (the leader), or waits on a lock of its own for the leader to release
        # (a follower). A lone request is written by its own thread, and a commit wakes exactly
        # the callers it made durable. Each hand-over between threads costs tens of
        # microseconds of CPU here, as much as the commit itself.
        self._mutex = threading.Lock()
        self._queue: list[_Item] = []
        # Guards the connection: the committing leader, a background snapshot storing its
        # parts, a recovery's test write.
        self._db_lock = threading.Lock()
        self._background: _Background | None = None
        self.last_fork_seconds = 0.0
        self._seq = self._durable_seq = self._last_seq()
        self._queued = 0  # items (commands and snapshots) queued since opening: the marks
        self._written = 0  # of which settled: committed, or lost to a failed commit
        # Marks (after, through] whose commit failed, and why.
        self._lost: list[tuple[int, int, str]] = []
        self._committing = False  # a leader is writing
        self._company_until = 0.0  # time.monotonic() until which a caller may expect company
        self.commits = 0  # transactions: with `appended`, how well commits are grouped
        # The followers, in a heap: who waits for what.
        self._waiters: list[_Waiter] = []
        self._tiebreak = itertools.count()
        self._since_snapshot = 0
        self._failure: StorageUnavailable | None = None
        self._closed = False
        self._encoder = self._command_encoder()
        self._persisted_tags = len(self._encoder.table)

    # -- opening -------------------------------------------------------------------------------

    def _last_seq(self) -> int:
        (commands,) = self._db.execute("SELECT max(last_seq) FROM commands").fetchone()
        (snapshot,) = self._db.execute("SELECT max(through_seq) FROM snapshots").fetchone()
        return max(commands or 0, snapshot or 0)

    def _command_encoder(self) -> Encoder:
        return Encoder(tag_rows(self._db))

    # -- starting up --------------------------------------------------------------------------

    def restore(self) -> Restored | None:
        """The DSP as the file last recorded it, or None for a new file (read, and checked, when
        the file was opened). Call before start()."""
        restored, self._restored = self._restored, None
        if restored is not None:
            self._since_snapshot = restored.replayed
        return restored

    def _read(self) -> Restored | None:
        try:
            # A restore is a bulk load like a fleet's: millions of objects that all live on,
            # which the cyclic collector would otherwise walk again and again while they are made.
            with cyclic_gc_paused():
                return read_durable(self._db, self.path)
        except CodecError as error:
            raise StateFileError(f"{self.path} is damaged: {error}") from None
        except sqlite3.DatabaseError as error:
            raise StateFileError(f"{self.path} is damaged: {error}") from None

    # -- while serving (the caller holds the server's lock) ------------------------------------

    def append_all(self, changes: Sequence[tuple[datetime, Command]]) -> int:
        """Queue commands that have just been applied, in order; return the last one's
        sequence number."""
        with self._mutex:
            self.check_writable()
            first = self._seq + 1
            self._queue.extend(
                _PendingCommand(seq, at, command)
                for seq, (at, command) in enumerate(changes, first)
            )
            self._seq += len(changes)
            self._queued += len(changes)
            self._since_snapshot += len(changes)
            return self._seq

    @property
    def appended(self) -> int:
        """The sequence number of the last command appended."""
        return self._seq

    @property
    def mark(self) -> int:
        """A mark for `wait_durable` covering everything queued so far, snapshots included."""
        return self._queued

    def snapshot_due(self, devices: int) -> bool:
        """Whether to snapshot a DSP of this many devices now: after `snapshot_every` changes,
        or after as many changes as it has devices, if that is more: a restart then replays
        for about as long as it reads the snapshot. Never while one is being taken."""
        return self._background is None and self._since_snapshot >= max(
            self.snapshot_every, devices
        )

    def snapshot(self, dsp: Dsp) -> None:
        """Queue a snapshot of `dsp` as it is now: it covers every command appended so far, which
        its commit then deletes. Also how a replaced DSP (a fleet load, a reset) is recorded.
        Encoded here and now: `snapshot_in_background` is the one for a serving DSP."""
        self.check_writable()
        self._cancel_background()  # this one is newer
        document = Encoder().encode_document(dsp)
        with self._mutex:
            self.check_writable()
            self._queue.append(_PendingSnapshot(self._seq, dsp.now(), document))
            self._queued += 1
            self._since_snapshot = 0

    def snapshot_in_background(self, dsp: Dsp) -> None:
        """Start a snapshot of `dsp` as it is now, covering every command appended so far,
        encoded by a child process while serving goes on (see `snapshots.py`). The caller holds
        the server's lock and pins the clock, which the child inherits; this returns as soon as
        the child is forked. Falls back to `snapshot` where there is no fork()."""
        if not snapshots.can_fork():
            self.snapshot(dsp)
            return
        with self._mutex:
            self.check_writable()
            if self._background is not None:
                return
            through = self._seq
            path = Path(f"{self.path}.snapshot-{through}.tmp")
            # No commit row straddles the snapshot's last command.
            self._queue.append(_Boundary(through))
            self._queued += 1
            self._since_snapshot = 0
        # The objects now alive are the parent's to keep: its collector leaving them alone
        # leaves their pages shared with the child (copying them is what a snapshot costs).
        forking = time.perf_counter()
        gc.freeze()
        try:
            pid = snapshots.start(dsp, path)
        except OSError as error:  # no memory or processes left for a child: try again later
            gc.unfreeze()
            log.error("state file %s: no snapshot: cannot fork: %s", self.path, error)
            return
        self.last_fork_seconds = time.perf_counter() - forking  # the pause: for the metrics
        background = _Background(pid, through, dsp.now(), path)
        background.thread = threading.Thread(
            target=self._store_background, args=(background,), name="dccsim-snapshot", daemon=True
        )
        self._background = background
        background.thread.start()

    def _store_background(self, background: _Background) -> None:
        """(Its own thread) wait for the child, store its document in parts between commits,
        then record it with the next commit."""
        started = time.perf_counter()
        written = snapshots.wait(background.pid, background.path)
        gc.unfreeze()
        encoded = time.perf_counter()
        parts = 0
        try:
            if written is None:
                raise OSError("the snapshot process did not finish its file")
            with background.path.open("rb") as document:
                while chunk := document.read(SNAPSHOT_PART_BYTES):
                    with self._db_lock:
                        if background.cancelled:
                            raise OSError("cancelled")
                        self.check_writable()
                        self._db.execute(
                            "INSERT OR REPLACE INTO snapshot_parts VALUES (?, ?, ?)",
                            (background.through_seq, parts, chunk),
                        )
                    parts += 1
            record = _SnapshotRecord(
                background.through_seq, background.taken_at, parts, written.size, written.sha256
            )
            with self._mutex:
                self.check_writable()
                if background.cancelled:
                    raise OSError("cancelled")
                self._queue.append(record)
                self._queued += 1
                mark = self._queued
            self.wait_durable(mark)
            self._drop_old_parts()
        except (OSError, sqlite3.Error, StateFileError) as error:
            if not background.cancelled:
                log.error("state file %s: no snapshot: %s", self.path, error)
            with self._db_lock, contextlib.suppress(sqlite3.Error):
                self._db.execute(
                    "DELETE FROM snapshot_parts WHERE through_seq = ? AND through_seq NOT IN "
                    "(SELECT through_seq FROM snapshots)",
                    (background.through_seq,),
                )
        else:
            log.info(
                "state file %s: snapshot at change %d: %.1f MiB, encoded in %.1f s, "
                "stored in %.1f s while serving",
                self.path,
                background.through_seq,
                written.size / 2**20,
                encoded - started,
                time.perf_counter() - encoded,
            )
        finally:
            snapshots.discard(background.path)
            with self._mutex:
                if self._background is background:
                    self._background = None

    def _drop_old_parts(self) -> None:
        """Delete the parts of snapshots no longer recorded, one part per transaction."""
        while True:
            with self._db_lock:
                if self._closed:
                    return
                row = self._db.execute(
                    "SELECT through_seq, part FROM snapshot_parts WHERE through_seq NOT IN "
                    "(SELECT through_seq FROM snapshots) LIMIT 1"
                ).fetchone()
                if row is None:
                    return
                self._db.execute(
                    "DELETE FROM snapshot_parts WHERE through_seq = ? AND part = ?", row
                )

    def settle(self, timeout: float | None = None) -> None:
        """Wait for a background snapshot (if one is being taken) to be stored and recorded."""
        background = self._background
        if background is not None and background.thread is not None:
            background.thread.join(timeout)

    def _cancel_background(self, timeout: float = 10.0) -> None:
        """Stop a background snapshot (a newer one replaces it, or the file is closing)."""
        background = self._background
        if background is None:
            return
        background.cancelled = True
        snapshots.cancel(background.pid)
        if background.thread is not None and background.thread is not threading.current_thread():
            background.thread.join(timeout)

    # -- waiting (without the server's lock) ---------------------------------------------------

    def wait_durable(self, mark: int, *, linger: bool = False) -> None:
        """Return once everything queued up to `mark` (see `mark`) is committed to the file,
        committing it if nobody else is; raise StorageUnavailable if its commit failed. With
        `linger`, a caller that is to commit while other callers are about (the last commit
        was shared) first waits `commit_delay` for them to queue: for one small change among
        many concurrent ones (a unary call), not for a caller that brings many (a batch)."""
        while self._written < mark:
            with self._mutex:
                if self._written >= mark:
                    break
                leading = not self._committing
                if leading:
                    self._committing = True
                else:
                    gate = threading.Lock()
                    gate.acquire()
                    heapq.heappush(self._waiters, _Waiter(mark, next(self._tiebreak), gate, linger))
            if leading:
                self._lead(linger)
            else:
                gate.acquire()  # released once our mark is settled, or to make us lead
        with self._mutex:
            for after, through, reason in self._lost:
                if after < mark <= through:
                    raise StorageUnavailable(
                        f"the change was not made: the state file could not be written: {reason}",
                        reason,
                    )

    def flush(self) -> None:
        """Wait until everything queued so far, snapshots included, is in the file."""
        self.wait_durable(self.mark)

    @staticmethod
    def remove(path: Path) -> None:
        """Delete the state file at `path`, and SQLite's side files with it, so that the next
        StateFile there starts fresh. Nothing there is not an error."""
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        remove_unfinished_snapshots(path)

    def close(self) -> None:
        """Write what is queued (if the file can be written) and close the file."""
        self._cancel_background()
        if self._failure is None and not self._closed:
            try:
                self.flush()
            except StorageUnavailable as error:
                log.error("state file %s: closing without the last changes: %s", self.path, error)
        with self._mutex:
            if self._closed:
                return
            self._closed = True
        with self._db_lock:
            self._close_db()

    def _close_db(self) -> None:
        if self._failure is None:
            # A clean close: the log is checkpointed into the file and removed.
            try:
                self._db.execute("INSERT OR REPLACE INTO meta VALUES ('open', '0')")
            except sqlite3.Error as error:
                log.error("state file %s: %s", self.path, error)
        self._db.close()

    def check_writable(self) -> None:
        """Raise StateFileError if nothing more can be written (StorageUnavailable: the file
        cannot be written now; or it is closed)."""
        if self._failure is not None:
            reason = self._failure.reason
            raise StorageUnavailable(f"the state file cannot be written: {reason}", reason)
        if self._closed:
            raise StateFileError(f"{self.path} is closed")

    @property
    def writable(self) -> bool:
        return self._failure is None and not self._closed

    @property
    def failure(self) -> str | None:
        """Why the file cannot be written now; None when it can."""
        return None if self._failure is None else self._failure.reason

    # -- storage failure -------------------------------------------------------------------

    def recover(self) -> bool:
        """After a failed commit: try a small write; if it succeeds the file takes changes
        again. Returns whether it can be written."""
        if self._failure is None:
            return True
        with self._mutex:
            if self._committing:
                return False
            self._committing = True
        try:
            self._db_lock.acquire()
            # A write of some size, committed: a row rewritten in place would fit where a
            # commit of new rows cannot, and a full disk would seem to have recovered.
            for probe in ("x" * PROBE_BYTES, ""):
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    self._db.execute("INSERT OR REPLACE INTO meta VALUES ('probe', ?)", (probe,))
                    self._db.execute("COMMIT")
                except BaseException:
                    self._rollback()
                    raise
        except sqlite3.Error as error:
            log.debug("state file %s: still cannot write: %s", self.path, error)
            return False
        finally:
            self._db_lock.release()
            with self._mutex:
                self._committing = False
        with self._mutex:
            self._failure = None
        log.warning("state file %s: can be written again", self.path)
        return True

    def reload(self) -> Restored | None:
        """What the file holds (after a failed commit): the DSP as of the last change written."""
        restored = self._read()
        self._since_snapshot = 0 if restored is None else restored.replayed
        return restored

    def _rollback(self) -> None:
        # SQLite may have rolled it back itself (it does on a full disk).
        with contextlib.suppress(sqlite3.Error):
            self._db.execute("ROLLBACK")

    # -- committing ----------------------------------------------------------------------------

    def _lead(self, linger: bool) -> None:
        """Commit what is queued (the caller has set `_committing`), then wake the followers
        it made durable, and one more to lead the next commit if any are left waiting."""
        if linger and self.commit_delay and time.monotonic() < self._company_until:
            # Among concurrent callers, a moment's wait fills the commit: each commit costs the
            # server far more than each change in it, and on a busy core the wait is spent
            # serving the others.
            time.sleep(self.commit_delay)
        with self._mutex:
            batch, self._queue = self._queue, []
        failure: StorageUnavailable | None = None
        try:
            if batch:
                with self._db_lock:
                    self._write(batch)
        except (sqlite3.Error, OSError, CodecError) as error:
            failure = self._failed(error)
            wake = self._settle_failed(failure)
        else:
            with self._mutex:
                self.commits += 1
                self._written += len(batch)
                self._committing = False
                wake = []
                while self._waiters and self._waiters[0].mark <= self._written:
                    wake.append(heapq.heappop(self._waiters))
                if self._waiters:  # their changes came after this commit began
                    wake.append(heapq.heappop(self._waiters))
                # Other unary callers were waiting: there is company to wait for. (A delivery
                # stream waiting for everything to be written is no company: it sends nothing.)
                if any(waiter.lingers for waiter in wake):
                    self._company_until = time.monotonic() + COMPANY_SECONDS
        for waiter in wake:
            waiter.gate.release()
        if failure is not None:
            listener = self.on_failure
            if listener is not None:
                listener(failure)

    def _failed(self, error: BaseException) -> StorageUnavailable:
        reason = f"{type(error).__name__}: {error}"
        log.critical("state file %s: cannot write: %s", self.path, reason)
        return StorageUnavailable(f"the state file cannot be written: {reason}", reason)

    def _settle_failed(self, failure: StorageUnavailable) -> list[_Waiter]:
        """Everything queued is lost with the failed commit: settle every mark so far as lost,
        forget the sequence numbers and tags it used, and wake every waiter."""
        with self._mutex:
            self._failure = failure
            self._lost.append((self._written, self._queued, failure.reason))
            self._written = self._queued
            self._queue = []
            self._seq = self._durable_seq
            self._encoder.forget_after(self._persisted_tags)
            self._committing = False
            wake, self._waiters = self._waiters, []
            background = self._background
        if background is not None and background.through_seq > self._durable_seq:
            # Its child is encoding changes that were never written: it must not be recorded.
            background.cancelled = True
            snapshots.cancel(background.pid)
        return wake

    def _write(self, batch: list[_Item]) -> None:
        db = self._db
        if all(isinstance(item, _PendingCommand) for item in batch):
            blob, tags = self._encode_commands(batch)  # type: ignore[arg-type]
            if not tags:
                # The usual commit: one statement, its own transaction. Each call into SQLite
                # lets go of the GIL, and getting it back on a busy core is a wait; BEGIN and
                # COMMIT would be two more.
                self._insert_commands(batch, blob)  # type: ignore[arg-type]
                self._committed(batch)
                return
        db.execute("BEGIN")
        try:
            run: list[_PendingCommand] = []
            for item in batch:
                if isinstance(item, _PendingCommand):
                    run.append(item)
                    continue
                self._write_run(run)  # a run of commands never straddles a snapshot
                run = []
                if isinstance(item, _PendingSnapshot):
                    insert_snapshot(db, item.through_seq, item.taken_at, item.document)
                elif isinstance(item, _SnapshotRecord):
                    record_snapshot(
                        db, item.through_seq, item.taken_at, item.parts, item.size, item.sha256
                    )
            self._write_run(run)
            db.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        self._committed(batch)

    def _committed(self, batch: list[_Item]) -> None:
        self._persisted_tags = len(self._encoder.table)
        for item in reversed(batch):  # (a background snapshot's record is of an older change)
            if isinstance(item, _PendingCommand):
                self._durable_seq = item.seq
                break
            if isinstance(item, _PendingSnapshot):
                self._durable_seq = item.through_seq
                break

    def _encode_commands(self, run: list[_PendingCommand]) -> tuple[bytes, bool]:
        """The run's row, and whether it needed new tags (written with it)."""
        blob = self._encoder.encode([(c.at, c.command) for c in run])
        return blob, len(self._encoder.table) > self._persisted_tags

    def _write_run(self, run: list[_PendingCommand]) -> None:
        """Within a transaction: a run of commands, and the tags it is the first to use."""
        if not run:
            return
        blob, _ = self._encode_commands(run)
        table = self._encoder.table
        (written,) = self._db.execute("SELECT count(*) FROM tags").fetchone()
        self._db.executemany(
            "INSERT INTO tags VALUES (?, ?, ?, ?)",
            [
                (number, name, kind, json.dumps(list(fields)))
                for number, (name, kind, fields) in enumerate(table[written:], written)
            ],
        )
        self._insert_commands(run, blob)

    def _insert_commands(self, run: list[_PendingCommand], blob: bytes) -> None:
        self._db.execute(
            "INSERT INTO commands VALUES (?, ?, ?, ?)", (run[0].seq, run[-1].seq, _kinds(run), blob)
        )


def _kinds(run: list[_PendingCommand]) -> str:
    """What a run of commands is, for a person reading the file: "Submit x7, RunDue x1"."""
    names = [type(c.command).__name__ for c in run]
    if names.count(names[0]) == len(names):  # the usual commit: one kind (a Counter costs more)
        return f"{names[0]} x{len(names)}"
    return ", ".join(f"{name} x{count}" for name, count in Counter(names).most_common())
