"""Snapshots off the request path: a serving DSP's snapshot is encoded by a child process while
calls go on, stored between commits, and recorded exactly at the change it was taken at."""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from pathlib import Path

import pytest

from dccsim.server.core.fingerprint import fingerprint
from dccsim.server.core.requests import ReadFirmwareVersion
from dccsim.server.store import StateFile, StorageUnavailable, snapshots
from tests.store.test_state_file import DEVICES, Workload, crash, faulty, open_host

pytestmark = pytest.mark.skipif(not snapshots.can_fork(), reason="needs fork()")


def snapshot_rows(path: Path) -> list[tuple[int, int]]:
    with closing(sqlite3.connect(path)) as db:
        return db.execute("SELECT through_seq, parts FROM snapshots").fetchall()


def test_a_background_snapshot_is_recorded_at_its_change_and_restores_exactly(tmp_path) -> None:
    path = tmp_path / "state.sqlite3"
    host = open_host(path, snapshot_every=40)
    faulty(host)
    workload = Workload(host, seed=21)
    for _ in range(150):
        workload.step()
    host._state_file.settle()
    live = fingerprint(host.dsp)
    appended = host._state_file.appended
    crash(host)
    ((through, parts),) = snapshot_rows(path)
    assert 0 < through < appended and parts >= 1
    restored = StateFile(path)
    try:
        result = restored.restore()
        assert result is not None and result.snapshot_seq == through
        assert result.replayed == appended - through
        assert fingerprint(result.dsp) == live
    finally:
        restored.close()


def slow_write(real):
    def write(dsp, path):
        time.sleep(1.0)  # in the child: an encoding that takes its time
        real(dsp, path)

    return write


def test_calls_are_answered_while_the_snapshot_process_encodes(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(snapshots, "_write", slow_write(snapshots._write))
    path = tmp_path / "state.sqlite3"
    host = open_host(path)
    host._state_file.flush()
    workload = Workload(host, seed=4)
    host._state_file._since_snapshot = 10**9  # due: the next call starts it
    workload.submit(workload.request("11.2", ReadFirmwareVersion(), DEVICES[0]))
    background = host._state_file._background
    assert background is not None
    took = []
    while host._state_file._background is background:
        started = time.perf_counter()
        workload.submit(workload.request("11.2", ReadFirmwareVersion(), DEVICES[1]))
        took.append(time.perf_counter() - started)
    assert len(took) >= 10  # calls went on during the second the child took
    assert max(took) < 0.5
    live = fingerprint(host.dsp)
    crash(host)
    ((through, _),) = snapshot_rows(path)
    assert through == background.through_seq
    assert fingerprint(open_host(path).dsp) == live


def test_a_failed_snapshot_process_leaves_the_file_as_it_was(tmp_path, monkeypatch) -> None:
    def failing(dsp, path):
        raise OSError("No space left on device")

    monkeypatch.setattr(snapshots, "_write", failing)
    path = tmp_path / "state.sqlite3"
    host = open_host(path)
    host._state_file.flush()
    workload = Workload(host, seed=4)
    host._state_file._since_snapshot = 10**9
    workload.submit(workload.request("11.2", ReadFirmwareVersion(), DEVICES[0]))
    host._state_file.settle()
    workload.submit(workload.request("11.2", ReadFirmwareVersion(), DEVICES[0]))
    live = fingerprint(host.dsp)
    crash(host)
    assert [through for through, _ in snapshot_rows(path)] == [0]  # the first one only
    with closing(sqlite3.connect(path)) as db:
        (parts,) = db.execute(
            "SELECT count(*) FROM snapshot_parts WHERE through_seq > 0"
        ).fetchone()
    assert parts == 0
    assert list(tmp_path.glob("state.sqlite3.snapshot-*")) == []
    assert fingerprint(open_host(path).dsp) == live


def test_what_an_unfinished_snapshot_left_is_cleared_when_the_file_opens(tmp_path) -> None:
    path = tmp_path / "state.sqlite3"
    host = open_host(path)
    crash(host)
    leftover = Path(f"{path}.snapshot-7.tmp")
    leftover.write_bytes(b"half a snapshot")
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("INSERT INTO snapshot_parts VALUES (7, 0, x'00')")
    StateFile(path).close()
    assert not leftover.exists()
    with closing(sqlite3.connect(path)) as db:
        assert db.execute(
            "SELECT count(*) FROM snapshot_parts WHERE through_seq = 7"
        ).fetchone() == (0,)


@pytest.mark.spec("SEC-05")
def test_a_snapshot_of_changes_whose_commit_failed_is_never_recorded(tmp_path, monkeypatch) -> None:
    """The commit holding the change a snapshot was forked at fails: the child, encoding a
    change that was never written, is stopped, and its snapshot never recorded."""
    monkeypatch.setattr(snapshots, "_write", slow_write(snapshots._write))
    cancelled: list[int] = []
    real_cancel = snapshots.cancel
    monkeypatch.setattr(snapshots, "cancel", lambda pid: (cancelled.append(pid), real_cancel(pid)))
    path = tmp_path / "state.sqlite3"
    host = open_host(path)
    state_file = host._state_file
    state_file.flush()
    workload = Workload(host, seed=4)
    real_write = state_file._write

    def full_once(batch) -> None:
        state_file._write = real_write  # type: ignore[method-assign]
        raise sqlite3.OperationalError("database or disk is full")

    state_file._write = full_once  # type: ignore[method-assign]
    state_file._since_snapshot = 10**9  # the next call forks one off, then fails to commit
    with pytest.raises(StorageUnavailable):
        workload.submit(workload.request("11.2", ReadFirmwareVersion(), DEVICES[0]))
    assert cancelled  # the child encoding the lost change was stopped
    state_file.settle()
    deadline = time.monotonic() + 5
    while host.storage_failure is not None:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    workload.submit(workload.request("11.2", ReadFirmwareVersion(), DEVICES[0]))
    live = fingerprint(host.dsp)
    crash(host)
    assert [through for through, _ in snapshot_rows(path)] == [0]
    assert fingerprint(open_host(path).dsp) == live


def test_a_snapshot_that_cannot_fork_changes_nothing_and_calls_go_on(tmp_path, monkeypatch) -> None:
    def no_fork(dsp, path):
        raise OSError("Cannot allocate memory")

    monkeypatch.setattr(snapshots, "start", no_fork)
    path = tmp_path / "state.sqlite3"
    host = open_host(path)
    workload = Workload(host, seed=4)
    host._state_file._since_snapshot = 10**9
    answer = workload.submit(workload.request("11.2", ReadFirmwareVersion(), DEVICES[0]))
    assert answer.code == "I99"
    live = fingerprint(host.dsp)
    crash(host)
    assert fingerprint(open_host(path).dsp) == live
