"""Group commit in the state file: who writes, who waits, and what a caller may send when.

There is no writer thread: the first caller that needs its change durable commits everything
queued (the leader); callers that queue while it writes wait, and the next of them leads."""

from __future__ import annotations

import logging
import sqlite3
import threading
from contextlib import closing
from datetime import UTC, datetime, timedelta

import grpc
import pytest

from dccsim.server.core import commands
from dccsim.server.rpc.app import start_server
from dccsim.server.runtime.host import DspHost
from dccsim.server.store import StateFile, StateFileError
from dccsim.server.store import state_file as state_file_module
from dccsim.v1 import supplier_pb2, supplier_pb2_grpc
from tests.conftest import ESME, SUPPLIER_A, example_dsp

AT = datetime(2026, 11, 21, tzinfo=UTC)
NOTHING = commands.Advance(timedelta(0))  # a command that changes nothing, to record


class SlowWrites:
    """Wraps a state file's `_write`: records which thread wrote what, and holds the first write
    until released, so that other callers queue behind it."""

    def __init__(self, state_file: StateFile) -> None:
        self.writing = threading.Event()
        self.release = threading.Event()
        self.writers: list[tuple[int, int]] = []  # (thread ident, items)
        self._write = state_file._write
        state_file._write = self  # type: ignore[method-assign]

    def __call__(self, batch) -> None:
        self.writers.append((threading.get_ident(), len(batch)))
        self.writing.set()
        self.release.wait(timeout=10)
        self._write(batch)


def append_and_wait(state_file: StateFile, lock: threading.Lock, done: list[int]) -> None:
    with lock:  # as the host appends: under its lock
        state_file.append_all([(AT, NOTHING)])
        mark = state_file.mark
    state_file.wait_durable(mark)
    done.append(threading.get_ident())


def test_callers_that_queue_during_a_commit_share_the_next_one(tmp_path) -> None:
    state_file = StateFile(tmp_path / "state.sqlite3", commit_delay=0)
    slow = SlowWrites(state_file)
    lock, done = threading.Lock(), []
    first = threading.Thread(target=append_and_wait, args=(state_file, lock, done))
    first.start()
    assert slow.writing.wait(timeout=10)
    others = [
        threading.Thread(target=append_and_wait, args=(state_file, lock, done)) for _ in range(7)
    ]
    for thread in others:
        thread.start()
    while len(state_file._waiters) < 7:  # all seven queued behind the first commit
        threading.Event().wait(0.001)
    slow.release.set()
    for thread in (first, *others):
        thread.join(timeout=10)

    assert len(done) == 8
    assert [items for _, items in slow.writers] == [1, 7]
    assert state_file.commits == 2
    # Each commit was written by a caller's own thread: the first by the first caller, the
    # second by one of the seven it woke to lead.
    assert slow.writers[0][0] == first.ident
    assert slow.writers[1][0] in {thread.ident for thread in others}
    state_file.close()
    with closing(sqlite3.connect(tmp_path / "state.sqlite3", isolation_level=None)) as db:
        rows = db.execute("SELECT first_seq, last_seq FROM commands ORDER BY first_seq").fetchall()
    assert rows == [(1, 1), (2, 8)]


def test_a_failed_commit_fails_every_waiter_and_every_later_change(tmp_path) -> None:
    state_file = StateFile(tmp_path / "state.sqlite3", commit_delay=0)
    slow = SlowWrites(state_file)

    def failing_write(batch) -> None:
        slow.writing.set()
        slow.release.wait(timeout=10)
        raise sqlite3.OperationalError("disk I/O error")

    state_file._write = failing_write  # type: ignore[method-assign]
    lock, done, errors = threading.Lock(), [], []

    def attempt() -> None:
        try:
            append_and_wait(state_file, lock, done)
        except StateFileError as error:
            errors.append(str(error))

    threads = [threading.Thread(target=attempt)]
    threads[0].start()
    assert slow.writing.wait(timeout=10)
    threads += [threading.Thread(target=attempt) for _ in range(3)]
    for thread in threads[1:]:
        thread.start()
    while len(state_file._waiters) < 3:
        threading.Event().wait(0.001)
    slow.release.set()
    for thread in threads:
        thread.join(timeout=10)

    assert done == []
    assert len(errors) == 4 and all("disk I/O error" in e for e in errors)
    with pytest.raises(StateFileError, match="cannot be written"):
        state_file.append_all([(AT, NOTHING)])


def test_a_unary_caller_lingers_only_in_company(tmp_path, monkeypatch) -> None:
    """`commit_delay` is spent only by a caller that asks to linger (a unary call), and only
    when the last commit was shared by several callers, recently: a lone caller sending one
    request after another is written at once."""
    slept: list[float] = []
    monkeypatch.setattr(state_file_module.time, "sleep", slept.append)
    monkeypatch.setattr(state_file_module, "COMPANY_SECONDS", 3600.0)  # a slow CI is not idle
    state_file = StateFile(tmp_path / "state.sqlite3", commit_delay=0.004)
    lock = threading.Lock()

    def change(*, linger: bool) -> None:
        with lock:
            state_file.append_all([(AT, NOTHING)])
        state_file.wait_durable(state_file.mark, linger=linger)

    for _ in range(3):  # one caller, one change after another
        change(linger=True)
    assert slept == []

    # Two callers share a commit: the second queues while the first one's commit is written.
    slow = SlowWrites(state_file)
    first = threading.Thread(target=change, kwargs={"linger": True})
    first.start()
    assert slow.writing.wait(timeout=10)
    second = threading.Thread(target=change, kwargs={"linger": True})
    second.start()
    while not state_file._waiters:
        threading.Event().wait(0.001)
    slow.release.set()
    first.join(timeout=10)
    second.join(timeout=10)
    # The first had no company to expect; the second, woken to lead the next commit, had.
    assert slept == [0.004]

    change(linger=False)  # in company, but a batch or a stream round: no wait
    assert slept == [0.004]
    change(linger=True)  # in company, a unary call: wait for the others
    assert slept == [0.004, 0.004]
    state_file._company_until = 0.0  # as if COMPANY_SECONDS had passed
    change(linger=True)
    assert slept == [0.004, 0.004]
    assert state_file.commits == 8
    state_file.close()


def test_a_stream_result_is_sent_only_once_its_change_is_durable(tmp_path) -> None:
    path = tmp_path / "state.sqlite3"
    state_file = StateFile(path, commit_delay=0)

    running = start_server(example_dsp, state_file=state_file, max_workers=8)
    slow = SlowWrites(state_file)
    try:
        with grpc.insecure_channel(f"127.0.0.1:{running.port}") as channel:
            stub = supplier_pb2_grpc.SupplierServiceStub(channel)
            request = supplier_pb2.SubmitRequest(
                request_id=f"{SUPPLIER_A}:{ESME}:4242",
                service_reference_variant="11.2",
                command_variant=1,
                read_firmware_version=supplier_pb2.ReadFirmwareVersion(),
            )
            results = stub.SubmitStream(iter([request]), timeout=10)
            received: list[supplier_pb2.SubmitResult] = []
            reader = threading.Thread(target=lambda: received.extend(results))
            reader.start()
            assert slow.writing.wait(timeout=10)
            reader.join(timeout=0.3)
            assert received == [], "a result was sent before its change was in the file"
            slow.release.set()
            reader.join(timeout=10)
        assert [r.response.response_code for r in received] == ["I99"]
        # The file is locked while it is open: look through its own connection.
        kinds = [k for (k,) in state_file._db.execute("SELECT kinds FROM commands")]
        assert any("Submit" in k for k in kinds)
    finally:
        slow.release.set()
        running.stop(grace=None)


def test_the_traffic_summary_says_how_well_commits_are_grouped(tmp_path, caplog) -> None:
    dsp = example_dsp()
    state_file = StateFile(tmp_path / "state.sqlite3", commit_delay=0)
    state_file.snapshot(dsp)
    host = DspHost(dsp, state_file=state_file)
    host.start()
    host.run([commands.Advance(timedelta(seconds=1))] * 3)
    host.run_one(commands.Advance(timedelta(seconds=1)))
    with caplog.at_level(logging.INFO, logger="dccsim.traffic"):
        host._summarise()
    host.stop()
    host.close()
    assert "state file at change 4, 2.0 changes per commit" in caplog.text
