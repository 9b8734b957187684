"""The state file: an SQLite database holding a snapshot of the DSP and every command applied since.

Why a command log and not tables of records: the core is deterministic (see
`dccsim.server.core.commands`), so `(instant, command)` pairs in order are a complete record of
every change -- SMI, CPL, users, registrations, counters, device firmware, outboxes, fault
decisions -- at the cost of about 70 bytes per change. The commands of one commit go into one row,
pickled together, which costs far less than pickling them one by one. A snapshot (the whole `Dsp`,
pickled) bounds how much a restart has to replay; once it is written, the commands it covers are
deleted.

Group commit: the server appends commands while holding its lock, which only queues them. A
caller answers its client only after its command is durable, so an acknowledged request is never
lost; the first caller to wait writes whatever has queued in a single transaction, and those who
queued meanwhile wait for it, so many concurrent requests share one fsync.

The file is trusted input (it is pickled Python objects): open only state files you wrote.
"""

from __future__ import annotations

import copyreg
import dataclasses
import heapq
import io
import itertools
import logging
import operator
import pickle
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Literal, NamedTuple

from dccsim.server.core import commands, faults, messages, records, requests
from dccsim.server.core.clock import UNIX_EPOCH
from dccsim.server.core.commands import Command
from dccsim.server.core.dsp import Dsp
from dccsim.server.core.matrix import CommandVariant

log = logging.getLogger("dccsim.store")

# 3: held work (future-dated activations, delayed responses) names the functions of the SRV
# registry (dccsim.server.core.services, .delivery), so a /2 snapshot cannot be read back.
FORMAT = "dccsim-state/3"
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
Synchronous = Literal["full", "normal"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS snapshots (
    through_seq INTEGER PRIMARY KEY,  -- the last command the snapshot includes
    taken_at TEXT NOT NULL,           -- virtual time
    state BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS commands (
    first_seq INTEGER PRIMARY KEY,
    last_seq INTEGER NOT NULL,
    kinds TEXT NOT NULL,              -- e.g. "Submit x998, RunDue x2", for a person reading it
    commands BLOB NOT NULL            -- a pickled list of (instant, command), first_seq onwards
);
"""


def _by_fields(cls: type) -> Callable[[object], tuple[type, tuple[object, ...]]]:
    names = [f.name for f in dataclasses.fields(cls)]
    if not names:
        return lambda obj: (cls, ())
    get = operator.attrgetter(*names)
    if len(names) == 1:  # attrgetter of one name returns the value, not a 1-tuple
        return lambda obj: (cls, (get(obj),))
    return lambda obj: (cls, get(obj))


def _frozen_records(*modules: ModuleType) -> dict[type, Callable]:
    """Pickle each frozen dataclass of these modules as (class, field values): its __init__
    rebuilds it exactly. Four times faster to write than pickle's default for slotted
    dataclasses, and seven times faster to read back."""
    table: dict[type, Callable] = {}
    for module in modules:
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and value.__module__ == module.__name__
                and dataclasses.is_dataclass(value)
                and value.__dataclass_params__.frozen  # type: ignore[attr-defined]
                and not hasattr(value, "__post_init__")
                and all(f.init for f in dataclasses.fields(value))
            ):
                table[value] = _by_fields(value)
    return table


_MICROSECOND = timedelta(microseconds=1)


def _utc_instant(micros: int) -> datetime:
    return UNIX_EPOCH + timedelta(microseconds=micros)


def _reduce_datetime(value: datetime) -> tuple[object, ...]:
    """A UTC instant (every instant the clock gives) as microseconds since the epoch: pickle's
    own form of a datetime costs four times as much, and every command carries one."""
    if value.tzinfo is UTC:
        return _utc_instant, ((value - UNIX_EPOCH) // _MICROSECOND,)
    return value.__reduce_ex__(pickle.HIGHEST_PROTOCOL)


def _submit(
    originator: str,
    target: str,
    counter: int,
    srv: str,
    variant: int,
    body: requests.RequestBody,
    execution_datetime: datetime | None,
    user_role: records.UserRole | None,
) -> commands.Submit:
    """Rebuild a Submit that `_reduce_submit` wrote."""
    request_id = requests.RequestId(originator, target, counter)
    return commands.Submit(
        requests.ServiceRequest(
            request_id, srv, CommandVariant(variant), body, execution_datetime, user_role
        )
    )


def _reduce_submit(command: commands.Submit) -> tuple[object, ...]:
    """A Submit, most of what the file holds, as one flat record: nested (Submit, request,
    RequestID, Command Variant) it costs two thirds more to write, and a third more space."""
    request = command.request
    rid = request.request_id
    return _submit, (
        rid.originator,
        rid.target,
        rid.counter,
        request.srv,
        request.command_variant.value,
        request.body,
        request.execution_datetime,
        request.user_role,
    )


_DISPATCH = (
    copyreg.dispatch_table
    | _frozen_records(commands, requests, records, messages, faults)
    | {datetime: _reduce_datetime, commands.Submit: _reduce_submit}
)


def _dumps(value: object) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _DISPATCH
    pickler.dump(value)
    return buffer.getvalue()


class StateFileError(RuntimeError):
    """The state file cannot be read, replayed or written."""


@dataclass(frozen=True, slots=True)
class Restored:
    dsp: Dsp
    snapshot_seq: int
    replayed: int
    seconds: float


class _PendingCommand(NamedTuple):  # a tuple: one is made per change, under the server's lock
    seq: int
    at: datetime
    command: Command


@dataclass(frozen=True, slots=True)
class _PendingSnapshot:
    through_seq: int
    taken_at: datetime
    state: bytes


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
            self._db.execute("PRAGMA journal_mode=WAL")
            # NORMAL (WAL): a commit survives a crash of the process (it is in the OS's hands
            # once written); the last commits before a power loss may be lost. FULL: it
            # survives power loss too, at the cost of an fsync per commit.
            self._db.execute(f"PRAGMA synchronous={synchronous.upper()}")
            self._db.executescript(_SCHEMA)
            self._check_format()
        except sqlite3.DatabaseError as error:
            self._db.close()
            if "locked" in str(error):
                raise StateFileError(
                    f"{path} is in use by another process (is another dccsim serving it?)"
                ) from None
            raise StateFileError(f"{path}: {error}") from None
        # One mutex guards the queue, the marks and the waiters. There is no writer thread: a
        # caller that needs its change durable commits the queue itself when nobody else is
        # committing (the leader), or waits on a lock of its own for the leader to release
        # (a follower). A lone request is written by its own thread, and a commit wakes exactly
        # the callers it made durable. Each hand-over between threads costs tens of
        # microseconds of CPU here, as much as the commit itself.
        self._mutex = threading.Lock()
        self._queue: list[_PendingCommand | _PendingSnapshot] = []
        self._seq = self._last_seq()
        self._queued = 0  # items (commands and snapshots) queued since opening: the marks
        self._written = 0  # of which committed
        self._committing = False  # a leader is writing
        self._company_until = 0.0  # time.monotonic() until which a caller may expect company
        self.commits = 0  # transactions: with `appended`, how well commits are grouped
        # The followers, in a heap: who waits for what.
        self._waiters: list[_Waiter] = []
        self._tiebreak = itertools.count()
        self._since_snapshot = 0
        self._failure: BaseException | None = None
        self._closed = False

    def _check_format(self) -> None:
        row = self._db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        if row is None:
            self._db.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT,))
        elif row[0] != FORMAT:
            raise StateFileError(f"{self.path} is {row[0]!r}; this dccsim reads {FORMAT!r}")

    def _last_seq(self) -> int:
        (commands,) = self._db.execute("SELECT max(last_seq) FROM commands").fetchone()
        (snapshot,) = self._db.execute("SELECT max(through_seq) FROM snapshots").fetchone()
        return max(commands or 0, snapshot or 0)

    # -- starting up --------------------------------------------------------------------------

    def restore(self) -> Restored | None:
        """The DSP as the file last recorded it, or None for a new file. Call before start()."""
        started = time.perf_counter()
        row = self._db.execute(
            "SELECT through_seq, state FROM snapshots ORDER BY through_seq DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        snapshot_seq, blob = row
        dsp = pickle.loads(blob)
        replayed = 0
        for first_seq, blob in self._db.execute(
            "SELECT first_seq, commands FROM commands WHERE first_seq > ? ORDER BY first_seq",
            (snapshot_seq,),
        ):
            for seq, (at, command) in enumerate(pickle.loads(blob), start=first_seq):
                try:
                    with dsp.clock.pinned(at):
                        command.apply(dsp)
                except Exception as error:
                    kind = type(command).__name__
                    raise StateFileError(
                        f"{self.path}: command {seq} ({kind}) did not replay: {error}"
                    ) from error
                replayed += 1
        self._since_snapshot = replayed
        return Restored(dsp, snapshot_seq, replayed, time.perf_counter() - started)

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
        or after as many changes as it has devices, if that is more. Pickling costs about as
        much per device (20 s for 1,000,000, with the server's lock held) as a restart's replay
        costs per change, so a big fleet snapshots less often: its pauses stay rare, and a
        restart replays for about as long as it reads the snapshot."""
        return self._since_snapshot >= max(self.snapshot_every, devices)

    def snapshot(self, dsp: Dsp) -> None:
        """Queue a snapshot of `dsp` as it is now: it covers every command appended so far, which
        its commit then deletes. Also how a replaced DSP (a fleet load, a reset) is recorded."""
        self._raise_if_failed()
        state = _dumps(dsp)
        with self._mutex:
            self.check_writable()
            self._queue.append(_PendingSnapshot(self._seq, dsp.now(), state))
            self._queued += 1
            self._since_snapshot = 0

    # -- waiting (without the server's lock) ---------------------------------------------------

    def wait_durable(self, mark: int, *, linger: bool = False) -> None:
        """Return once everything queued up to `mark` (see `mark`) is committed to the file,
        committing it if nobody else is. With `linger`, a caller that is to commit while
        other callers are about (the last commit was shared) first waits `commit_delay` for
        them to queue: for one small change among many concurrent ones (a unary call), not
        for a caller that brings many (a batch)."""
        while self._written < mark:
            with self._mutex:
                if self._written >= mark or self._failure is not None:
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
                gate.acquire()  # released once our mark is durable, or to make us lead
        self._raise_if_failed()

    def flush(self) -> None:
        """Wait until everything queued so far, snapshots included, is in the file."""
        self.wait_durable(self.mark)

    @staticmethod
    def remove(path: Path) -> None:
        """Delete the state file at `path`, and SQLite's side files with it, so that the next
        StateFile there starts fresh. Nothing there is not an error."""
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    def close(self) -> None:
        """Write what is queued and close the file."""
        if self._failure is None:
            self.flush()
        with self._mutex:
            self._closed = True
        self._db.close()

    def check_writable(self) -> None:
        """Raise StateFileError if nothing more can be written (a commit failed, or closed)."""
        self._raise_if_failed()
        if self._closed:
            raise StateFileError(f"{self.path} is closed")

    def _raise_if_failed(self) -> None:
        if self._failure is not None:
            raise StateFileError(f"{self.path}: cannot write: {self._failure}")

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
        try:
            if batch:
                self._write(batch)
        except Exception as error:  # whatever it was, the file is behind the DSP from now on
            log.critical("state file %s: cannot write: %s", self.path, error)
            with self._mutex:
                self._failure = error
                self._committing = False
                wake = self._waiters
                self._waiters = []
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

    def _write(self, batch: list[_PendingCommand | _PendingSnapshot]) -> None:
        db = self._db
        if all(isinstance(item, _PendingCommand) for item in batch):
            # The usual commit: one statement, its own transaction. Each call into SQLite lets
            # go of the GIL, and getting it back on a busy core is a wait; BEGIN and COMMIT
            # would be two more.
            self._write_commands(batch)  # type: ignore[arg-type]
            return
        db.execute("BEGIN")
        try:
            run: list[_PendingCommand] = []
            for item in batch:
                if isinstance(item, _PendingCommand):
                    run.append(item)
                    continue
                self._write_commands(run)  # a run of commands never straddles a snapshot
                run = []
                db.execute(
                    "INSERT OR REPLACE INTO snapshots VALUES (?, ?, ?)",
                    (item.through_seq, item.taken_at.isoformat(), item.state),
                )
                db.execute("DELETE FROM commands WHERE last_seq <= ?", (item.through_seq,))
                db.execute("DELETE FROM snapshots WHERE through_seq < ?", (item.through_seq,))
            self._write_commands(run)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _write_commands(self, run: list[_PendingCommand]) -> None:
        if not run:
            return
        blob = _dumps([(c.at, c.command) for c in run])
        self._db.execute(
            "INSERT INTO commands VALUES (?, ?, ?, ?)", (run[0].seq, run[-1].seq, _kinds(run), blob)
        )


def _kinds(run: list[_PendingCommand]) -> str:
    """What a run of commands is, for a person reading the file: "Submit x7, RunDue x1"."""
    names = [type(c.command).__name__ for c in run]
    if names.count(names[0]) == len(names):  # the usual commit: one kind (a Counter costs more)
        return f"{names[0]} x{len(names)}"
    return ", ".join(f"{name} x{count}" for name, count in Counter(names).most_common())
