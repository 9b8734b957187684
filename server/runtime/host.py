"""The DSP as the server holds it: one lock around the core (which is single-threaded by design),
the state file that records every command, the streams waiting for something new (each woken
only when what it follows has moved), and a ticker that runs future-dated work while the virtual
clock runs."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any, Protocol, TypeVar

from dccsim.server.core import receive_address, views
from dccsim.server.core.commands import Command, RunDue, Submit
from dccsim.server.core.dsp import Dsp
from dccsim.server.core.errors import InvalidField, NotFound, NotSimulated
from dccsim.server.core.eui import parse_eui64
from dccsim.server.core.fingerprint import Plain, fingerprint
from dccsim.server.core.messages import SyncAnswer
from dccsim.server.core.outbox import OutboxEntry
from dccsim.server.core.records import DuisVersion
from dccsim.server.runtime.queries import DspQueries, Feed
from dccsim.server.store import StateFile, StateFileError, StorageUnavailable

log = logging.getLogger("dccsim.traffic")

# How often an idle stream checks that its client is still there.
STREAM_WAKE_SECONDS = 0.5
# How often the traffic summary is logged (when there was traffic). Each request is logged only
# at DEBUG: at thousands a second, a log line per request would cost more than the request.
SUMMARY_SECONDS = 10.0
# While the state file cannot be written: how often it is tried again (SEC-05).
STORAGE_RETRY_SECONDS = 0.5
# What a command may raise having changed nothing; anything else is a bug and propagates.
REJECTIONS = (InvalidField, NotFound, NotSimulated)
Rejection = InvalidField | NotFound | NotSimulated


class _Sequenced(Protocol):
    @property
    def sequence(self) -> int: ...


T = TypeVar("T", bound=_Sequenced)


class _Call(Protocol):
    def is_active(self) -> bool: ...


# A number that moves whenever a stream's fetch may have something new: a user's latest outbox
# sequence, the journal's latest event.
Probe = Callable[[Dsp], int]


class HostMetrics(Protocol):
    """What the host tells a metrics collector (`dccsim.server.http.metrics`), as it happens:
    counting at scrape time could not see answers or how long calls took."""

    def answered(self, srv: str, code: str) -> None:
        """A request was answered (called with the host's lock held, in answer order)."""

    def request_took(self, srv: str, seconds: float) -> None:
        """A unary request took this long, durable answer included."""

    def snapshot_took(self, seconds: float) -> None:
        """The state file was handed a snapshot (encoding it, or forking it off to be encoded
        in the background, took this long)."""


@dataclass(frozen=True, slots=True)
class Batching:
    """How a batched stream groups what it sends: each stream message costs the server far
    more than an item in it, so under load fewer, fuller messages are worth a little latency."""

    fill: int  # the most items in a batch; a full batch goes at once
    linger: float  # a part-full batch waits this long for more,
    few: int  # and then, if it holds fewer than this many,
    most_linger: float  # until this long in all

    def waits(self) -> Iterator[tuple[float, int]]:
        """In turn: how long to sleep, unless the batch already holds this many."""
        yield self.linger, self.fill
        yield self.most_linger - self.linger, self.few


@dataclass(eq=False, slots=True)
class _Watch:
    """A stream waiting for something new. Each change wakes only the streams whose probe
    moved: with a subscriber per supplier, waking them all on every request would cost more
    than the requests."""

    probe: Probe
    seen: int
    wake: threading.Condition


class DspHost:
    def __init__(
        self, dsp: Dsp, *, state_file: StateFile | None = None, tick_seconds: float = 0.05
    ) -> None:
        self.lock = threading.RLock()
        self._watches: set[_Watch] = set()  # guarded by the lock
        self._tick_seconds = tick_seconds
        self._stopping = threading.Event()
        self._ticker: threading.Thread | None = None
        self._state_file = state_file
        self._traffic: Counter[str] = Counter()
        self._next_summary = time.monotonic() + SUMMARY_SECONDS
        self._summarised = (0, 0)  # the state file's (changes, commits) at the last summary
        self._metrics: HostMetrics | None = None
        # Told False/True when the state file stops or starts taking changes again (the
        # server's health, SEC-05); called from whichever thread saw it.
        self.on_storage_change: Callable[[bool], None] | None = None
        self._next_storage_retry = 0.0
        self.dsp = dsp
        if state_file is not None:
            state_file.on_failure = self._storage_failed

    def attach_metrics(self, metrics: HostMetrics) -> None:
        """Report answers, latencies and snapshots to `metrics` from now on (one collector)."""
        self._metrics = metrics

    # -- changing the state -------------------------------------------------------------------

    def run(self, commands: Sequence[Command]) -> list[Any | Rejection]:
        """Apply commands (see `apply`) and return their outcomes once they are durable: the
        path of a unary call, one of many concurrent ones, whose commit may wait a moment for
        theirs (see `StateFile.wait_durable`)."""
        started = time.perf_counter()
        outcomes, mark = self.apply(commands)
        if self._state_file is not None and mark:
            self._state_file.wait_durable(mark, linger=True)
        metrics = self._metrics
        if metrics is not None:
            took = time.perf_counter() - started
            for command in commands:
                if isinstance(command, Submit):
                    metrics.request_took(command.request.srv, took)
        return outcomes

    def apply(self, commands: Sequence[Command]) -> tuple[list[Any | Rejection], int]:
        """Apply commands in order, under the lock and at one pinned virtual instant, and record
        each one that took effect. Each outcome is the command's result, or the rejection it
        raised (a rejected command changed nothing and is not recorded). Also returns the mark
        to pass to `wait_durable`: no outcome may reach a client before it is durable."""
        outcomes: list[Any | Rejection] = []
        changes: list[tuple[datetime, Command]] = []  # what took effect, in order
        with self.lock:
            dsp = self.dsp
            if self._state_file is not None:
                self._state_file.check_writable()  # a change it cannot record is not made
            try:
                with dsp.clock.pinned():
                    self._run_due(dsp, changes)
                    for i, command in enumerate(commands):
                        if i:  # an earlier command may have made work due
                            self._run_due(dsp, changes)
                        at = dsp.now()  # a command may move the clock (Advance): each its own
                        try:
                            outcome = command.apply(dsp)
                        except REJECTIONS as rejection:
                            # Kept as data, without its traceback: that references this frame,
                            # which holds `outcomes` -- a cycle that would keep the request (a
                            # refused 16 MiB image: 33 MiB) alive until a rare full GC (SEC-04).
                            outcomes.append(rejection.with_traceback(None))
                            self._traffic[type(rejection).__name__] += 1
                            continue
                        outcomes.append(outcome)
                        if self._metrics is not None and isinstance(outcome, SyncAnswer):
                            self._metrics.answered(outcome.srv, outcome.code)
                        # A response code is a StrEnum: it counts as its text.
                        self._traffic[
                            outcome.code
                            if isinstance(outcome, SyncAnswer)
                            else type(command).__name__
                        ] += 1
                        changes.append((at, command))
            finally:
                # Recorded together (one hand-over to the state file per call, not per
                # command), and whatever happens: a change the DSP has made is in the record.
                if changes and self._state_file is not None:
                    self._state_file.append_all(changes)
            if not changes:
                return outcomes, 0
            self._wake(dsp)
            return outcomes, self._durable_mark(dsp)

    def wait_durable(self, mark: int) -> None:
        if self._state_file is not None and mark:
            self._state_file.wait_durable(mark)

    def wait_applied_durable(self) -> None:
        """Until everything applied so far is in the state file: for a transport about to send
        something a command produced (a queued response), which must not reach a User before
        the command is durable. Raises StorageUnavailable if it could not be written (the DSP
        is then back to what the file holds)."""
        if self._state_file is not None:
            self._state_file.wait_durable(self._state_file.mark)

    def run_one(self, command: Command) -> Any:
        """Apply one command; raise its rejection, if any."""
        (outcome,) = self.run((command,))
        if isinstance(outcome, REJECTIONS):
            # Not `raise outcome`: the traceback would hold this frame, whose `outcome` holds
            # the exception -- a cycle keeping the whole call (a refused 16 MiB image: 33 MiB)
            # alive until a rare full GC (SEC-04). Released at once without the local.
            try:
                raise outcome
            finally:
                del outcome
        return outcome

    def _run_due(self, dsp: Dsp, changes: list[tuple[datetime, Command]]) -> None:
        due = dsp.next_due()
        if due is None or due > dsp.now():
            return
        at = dsp.now()
        dsp.run_due()
        changes.append((at, RunDue()))

    def _durable_mark(self, dsp: Dsp) -> int:
        """The sequence to wait for; takes a snapshot first when one is due (lock held)."""
        if self._state_file is None:
            return 0
        if self._state_file.snapshot_due(dsp.device_count()):
            self._snapshot(dsp, background=True)
        return self._state_file.mark

    def _snapshot(self, dsp: Dsp, *, background: bool = False) -> None:
        """Hand the state file a snapshot of `dsp` (lock held), timed for the metrics: the
        lock is held only while it is forked off (`StateFile.snapshot_in_background`), or, for
        a DSP just replaced or at a stop, while it is encoded."""
        assert self._state_file is not None
        started = time.perf_counter()
        if background:
            # The child encodes the DSP at this instant, as the commands so far left it.
            with dsp.clock.pinned():
                self._state_file.snapshot_in_background(dsp)
        else:
            self._state_file.snapshot(dsp)
        if self._metrics is not None:
            self._metrics.snapshot_took(time.perf_counter() - started)

    def replace(self, dsp: Dsp) -> None:
        """Swap in a new DSP (LoadFleet, Reset); streams pick it up on their next wake-up.
        Each User's outbox numbering carries on (SEC-04): a subscriber following from the
        last sequence it saw gets the new DSP's messages, never a sequence it has seen."""
        with self.lock:
            dsp.continue_outboxes(self.dsp)
            self.dsp = dsp
            if self._state_file is not None:
                self._snapshot(dsp)
            self._wake(None)
        if self._state_file is not None:
            self._state_file.flush()

    # -- reading ------------------------------------------------------------------------------

    def follow(
        self, context: _Call, fetch: Callable[[Dsp, int], list[T]], probe: Probe, after: int
    ) -> Iterator[T]:
        """`follow_batches`, one item at a time."""
        for items in self.follow_batches(context, fetch, probe, after):
            yield from items

    def follow_batches(
        self,
        context: _Call,
        fetch: Callable[[Dsp, int], list[T]],
        probe: Probe,
        after: int,
        batching: Batching | None = None,
    ) -> Iterator[list[T]]:
        """Yield what `fetch(dsp, after)` returns, oldest first, waiting for more whenever
        there is none (until `probe(dsp)` moves), until the client hangs up or the server
        stops. Every stream (outbox deliveries, typed or DUIS, and the event journal) is this
        loop. Nothing is yielded before the command that produced it is durable: a message a
        client has seen is never lost or renumbered by a crash.

        With `batching`, a part-full batch waits for more to queue (see `Batching`)."""
        watch = _Watch(probe, 0, threading.Condition(self.lock))
        while context.is_active() and not self.stopping:
            with self.lock:
                items = fetch(self.dsp, after)
                if not items:
                    watch.seen = probe(self.dsp)
                    self._watches.add(watch)
                    try:
                        watch.wake.wait(STREAM_WAKE_SECONDS)
                    finally:
                        self._watches.discard(watch)
                    continue
            if batching is not None:
                for pause, enough in batching.waits():
                    if len(items) >= enough:
                        break
                    time.sleep(pause)
                    with self.lock:
                        items = fetch(self.dsp, after)
                if not items:  # acknowledged meanwhile
                    continue
            if self._state_file is not None:
                # Everything appended by now covers the commands that queued these items.
                try:
                    self._state_file.wait_durable(self._state_file.mark)
                except StorageUnavailable:
                    # Not written, so not sent: the DSP is back to what the file holds, and
                    # the stream carries on from there once the file can be written again.
                    self._stopping.wait(STORAGE_RETRY_SECONDS)
                    continue
            yield items
            after = items[-1].sequence

    def wait_moved(self, probe: Probe, seen: int, timeout: float) -> int:
        """Block until `probe(dsp)` is no longer `seen`, the server stops, or `timeout` passes;
        return the probe's value. For a transport that waits on its own terms (an event loop
        calling it from a worker thread, a moment at a time)."""
        watch = _Watch(probe, seen, threading.Condition(self.lock))
        with self.lock:
            value = probe(self.dsp)
            if value != seen or self.stopping:
                return value
            self._watches.add(watch)
            try:
                watch.wake.wait(timeout)
            finally:
                self._watches.discard(watch)
            return probe(self.dsp)

    def set_outbox_limit(self, limit: int) -> None:
        """Each User's unacknowledged messages beyond which its new SRs are refused (SEC-04); a
        server setting, carried over by Reset and LoadFleet (see `replace`)."""
        with self.lock:
            self.dsp.set_outbox_limit(limit)

    # -- named queries: what the transports read, so none of them reads the state itself ------

    @cached_property
    def queries(self) -> DspQueries:
        """The named reads of the DSP (runtime/queries.py)."""
        return DspQueries(self)

    def follow_feed(
        self, context: _Call, feed: Feed[T], after: int, batching: Batching | None = None
    ) -> Iterator[list[T]]:
        """`follow_batches` of a named feed (`queries.outbox_feed`, `queries.journal_feed`)."""
        return self.follow_batches(context, feed.fetch, feed.probe, after, batching)

    def now(self) -> datetime:
        with self.lock:
            return self.dsp.now()

    def user_version(self, user_id: str) -> DuisVersion | None:
        """A User's DUIS interface version (VER-01); None for no such User (or no EUI-64)."""
        try:
            canonical = parse_eui64(user_id, "user_id")
        except InvalidField:
            return None
        with self.lock:
            user = views.user(self.dsp, canonical)
        return None if user is None else user.interface_version

    def receive_urls(self) -> dict[str, str]:
        """User ID -> Receive Response Service address, for the Users that have one."""
        with self.lock:
            return receive_address.receive_urls(self.dsp)

    def oldest_pending(self, user_id: str) -> tuple[OutboxEntry | None, int]:
        """A User's oldest unacknowledged message (None: none) and how many are queued."""
        with self.lock:
            box = self.dsp.outbox(user_id)
            first = box.pending(0, 1)
            return (first[0] if first else None), len(box)

    def wait_for_outboxes(self, user_ids: Sequence[str], seen: int, timeout: float) -> int:
        """`wait_moved` on these Users' outboxes: returns a number that moves whenever any of
        them has a new message (pass it back as `seen`)."""
        ids = tuple(user_ids)

        def probe(dsp: Dsp) -> int:
            return sum(views.outbox_last_sequence(dsp, u) for u in ids)

        return self.wait_moved(probe, seen, timeout)

    def count_refusal(self, answer: SyncAnswer) -> None:
        """An answer a transport gave without the core (the DUIS gateway's E13 or signature
        refusal): counted with the core's answers."""
        if self._metrics is not None:
            with self.lock:
                self._metrics.answered(answer.srv, answer.code)

    def pending_counts(self) -> dict[str, int]:
        """User ID -> how many messages wait for it (unacknowledged), for Users that had any."""
        with self.lock:
            return self.dsp.pending_counts()

    def state_file_counts(self) -> tuple[int, int] | None:
        """The state file's last command number and its commits since it opened (their rates'
        ratio: changes per commit); None: no state file."""
        file = self._state_file
        return None if file is None else (file.appended, file.commits)

    def fingerprint(self) -> dict[str, Plain]:
        """Everything the DSP keeps, comparable (`dccsim.server.core.fingerprint`)."""
        with self.lock:
            return fingerprint(self.dsp)

    # -- the clock ticker and stopping ---------------------------------------------------------

    def start(self) -> None:
        if self._state_file is not None:
            self._summarised = (self._state_file.appended, self._state_file.commits)
        self._ticker = threading.Thread(target=self._tick, name="dccsim-clock", daemon=True)
        self._ticker.start()

    # -- storage failure (SEC-05) ---------------------------------------------------------------

    @property
    def storage_failure(self) -> str | None:
        """Why the state file cannot take changes now; None when it can (or there is none)."""
        return None if self._state_file is None else self._state_file.failure

    def _storage_failed(self, failure: StorageUnavailable) -> None:
        """A commit failed (the state file's leader calls this, holding nothing): the changes
        it held are not in the file, so they must not be seen either. Go back to the DSP the
        file holds; the file refuses changes until `_retry_storage` finds it writable."""
        with self.lock:
            assert self._state_file is not None
            try:
                restored = self._state_file.reload()
            except StateFileError as error:
                log.critical("cannot go back to the state file's last change: %s", error)
            else:
                if restored is not None and restored.dsp is not self.dsp:
                    # A setting of the server, not state: the restored DSP keeps the server's.
                    restored.dsp.set_outbox_limit(self.dsp.outbox_limit)
                    self.dsp = restored.dsp
                self._wake(None)
        self._next_storage_retry = time.monotonic() + STORAGE_RETRY_SECONDS
        self._storage_changed(False)

    def _retry_storage(self) -> None:
        """While the state file cannot be written: try it now and then (from the ticker)."""
        file = self._state_file
        if file is None or file.writable or time.monotonic() < self._next_storage_retry:
            return
        self._next_storage_retry = time.monotonic() + STORAGE_RETRY_SECONDS
        if file.recover():
            self._storage_changed(True)

    def _storage_changed(self, writable: bool) -> None:
        listener = self.on_storage_change
        if listener is not None:
            try:
                listener(writable)
            except Exception:  # the health service must not stop the store recovering
                log.exception("storage listener failed")

    def stop(self) -> None:
        """End the streams and stop the ticker."""
        self._stopping.set()
        with self.lock:
            self._wake(None)
        if self._ticker is not None:
            self._ticker.join(timeout=2)

    def close(self) -> None:
        """After the last call: write a final snapshot (so the next start replays nothing) when
        the file can be written, and close the state file. Never raises for the file: a server
        whose storage failed still stops (what was written is kept; the rest was refused)."""
        if self._state_file is None:
            return
        try:
            if self._state_file.writable:
                with self.lock:
                    self._state_file.snapshot(self.dsp)
        except StateFileError as error:
            log.error("no final snapshot: %s", error)
        self._state_file.close()

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def _wake(self, dsp: Dsp | None) -> None:
        """Wake the streams whose probe has moved in `dsp`; all of them on None (lock held)."""
        for watch in self._watches:
            if dsp is None or watch.probe(dsp) != watch.seen:
                watch.wake.notify()

    def _tick(self) -> None:
        while not self._stopping.wait(self._tick_seconds):
            self._retry_storage()
            if not self.dsp.clock.frozen:
                # A failed state file was logged when the commit failed; every call says so.
                with contextlib.suppress(StateFileError):
                    self.run(())
            if time.monotonic() >= self._next_summary:
                self._summarise()

    def _summarise(self) -> None:
        with self.lock:
            traffic, self._traffic = self._traffic, Counter()
            file = self._state_file
            written = None if file is None else (file.appended, file.commits)
        self._next_summary = time.monotonic() + SUMMARY_SECONDS
        if not traffic:
            return
        if written is not None:
            changes, commits = written
            grouping = (changes - self._summarised[0]) / max(commits - self._summarised[1], 1)
            self._summarised = written
        log.info(
            "last %.0f s: %s%s",
            SUMMARY_SECONDS,
            ", ".join(f"{name} x{count}" for name, count in traffic.most_common()),
            ""
            if written is None
            else f"; state file at change {changes}, {grouping:.1f} changes per commit",
        )
