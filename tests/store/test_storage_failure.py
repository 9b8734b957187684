"""SEC-05: a state file that cannot be written (a full disk, simulated by SQLite's page limit, or
a real one on a tiny filesystem) refuses changes as UNAVAILABLE with the reason, says
NOT_SERVING on the health service, shows nothing it did not write, and recovers without a
restart once it can write again; the server still stops within a bounded time."""

from __future__ import annotations

import contextlib
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_status import rpc_status

from dccsim.server.core import commands
from dccsim.server.core.fingerprint import fingerprint
from dccsim.server.core.requests import ReadFirmwareVersion
from dccsim.server.rpc.app import start_server
from dccsim.server.store import StateFile, StorageUnavailable
from dccsim.v1 import supplier_pb2, supplier_pb2_grpc
from tests.conftest import ESME, SUPPLIER_A, example_dsp
from tests.store.test_state_file import DEVICES, Workload, crash, open_host

SQLITE_FULL = "database or disk is full"


def fill(state_file: StateFile) -> None:
    """The disk is full: the file may not grow by a page."""
    state_file.flush()  # the starting snapshot is in the file (the server's start does this)
    db = state_file._db
    (pages,) = db.execute("PRAGMA page_count").fetchone()
    db.execute(f"PRAGMA max_page_count={pages}")


def make_room(state_file: StateFile) -> None:
    state_file._db.execute("PRAGMA max_page_count=1073741823")


def until_refused(submit, limit: int = 2_000) -> Exception:
    """Submit until a commit fails (free pages inside the file take a few first)."""
    for _ in range(limit):
        try:
            submit()
        except StorageUnavailable as error:
            return error
    raise AssertionError("the file never filled up")


def eventually(check, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "did not happen in time"
        time.sleep(0.02)


@pytest.mark.spec("SEC-05")
def test_a_full_disk_refuses_changes_shows_nothing_unwritten_and_recovers(tmp_path) -> None:
    path = tmp_path / "state.sqlite3"
    host = open_host(path)
    workload = Workload(host, seed=5)
    state_file = host._state_file
    fill(state_file)
    before: dict[str, object] = {}

    def submit() -> None:
        before["state"] = fingerprint(host.dsp)
        workload.submit(workload.request("11.2", ReadFirmwareVersion(), DEVICES[0]))

    error = until_refused(submit)
    assert SQLITE_FULL in str(error)
    # The change whose commit failed is not there: the DSP is what the file holds.
    assert fingerprint(host.dsp) == before["state"]
    assert host.storage_failure is not None and SQLITE_FULL in host.storage_failure
    # While the file cannot be written, every change is refused and changes nothing.
    with pytest.raises(StorageUnavailable, match="cannot be written"):
        host.run_one(commands.Acknowledge(SUPPLIER_A, 0))
    assert fingerprint(host.dsp) == before["state"]

    make_room(state_file)
    eventually(lambda: host.storage_failure is None)  # no restart: the ticker tries again
    answer = workload.submit(workload.request("11.2", ReadFirmwareVersion(), DEVICES[0]))
    assert answer.code == "I99"
    live = fingerprint(host.dsp)
    crash(host)
    assert fingerprint(open_host(path).dsp) == live  # and what it wrote since is durable


@pytest.mark.spec("SEC-05")
def test_a_failed_commit_fails_only_its_own_callers_and_a_stream_waits(tmp_path) -> None:
    """Concurrent callers sharing the failed commit are all refused; a delivery stream is not
    ended (it sends nothing unwritten and carries on after recovery)."""
    host = open_host(tmp_path / "state.sqlite3")
    workload = Workload(host, seed=9)
    seen: list[int] = []

    class Call:
        active = True

        def is_active(self) -> bool:
            return self.active

    call = Call()

    def follow() -> None:
        fetch = lambda dsp, after: dsp.pending(SUPPLIER_A, after)  # noqa: E731
        probe = lambda dsp: dsp.state.outboxes.last_sequence(SUPPLIER_A)  # noqa: E731
        for entry in host.follow(call, fetch, probe, 0):
            seen.append(entry.sequence)

    stream = threading.Thread(target=follow)
    stream.start()
    fill(host._state_file)
    until_refused(lambda: workload.submit(workload.request("11.2", ReadFirmwareVersion(), ESME)))
    durable = host.dsp.state.outboxes.last_sequence(SUPPLIER_A)
    time.sleep(0.2)
    assert stream.is_alive()
    assert all(sequence <= durable for sequence in seen)  # nothing unwritten was sent
    make_room(host._state_file)
    eventually(lambda: host.storage_failure is None)
    workload.submit(workload.request("11.2", ReadFirmwareVersion(), ESME))
    eventually(lambda: bool(seen) and seen[-1] == host.dsp.state.outboxes.last_sequence(SUPPLIER_A))
    call.active = False
    host.stop()
    stream.join(timeout=5)
    assert not stream.is_alive()
    host.close()


def read_firmware(counter: int) -> supplier_pb2.SubmitRequest:
    return supplier_pb2.SubmitRequest(
        request_id=f"{SUPPLIER_A}:{ESME}:{counter}",
        service_reference_variant="11.2",
        command_variant=1,
        read_firmware_version=supplier_pb2.ReadFirmwareVersion(),
    )


@contextlib.contextmanager
def serving(path: Path) -> Iterator[tuple[object, grpc.Channel]]:
    running = start_server(example_dsp, state_file=StateFile(path, commit_delay=0))
    try:
        with grpc.insecure_channel(f"127.0.0.1:{running.port}") as channel:
            yield running, channel
    finally:
        started = time.monotonic()
        running.stop(grace=1)
        assert time.monotonic() - started < 10  # shutdown is bounded


def health_of(channel: grpc.Channel) -> int:
    stub = health_pb2_grpc.HealthStub(channel)
    return stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=5).status


@pytest.mark.spec("SEC-05")
def test_over_grpc_a_full_disk_is_unavailable_with_its_reason_and_not_serving(tmp_path) -> None:
    with serving(tmp_path / "state.sqlite3") as (running, channel):
        supplier = supplier_pb2_grpc.SupplierServiceStub(channel)
        fill(running.host._state_file)
        counter = 100
        for counter in range(100, 2_100):
            try:
                supplier.Submit(read_firmware(counter), timeout=10)
            except grpc.RpcError as error:
                failed = error
                break
        else:
            raise AssertionError("the file never filled up")
        assert failed.code() is grpc.StatusCode.UNAVAILABLE
        assert "storage unavailable" in failed.details() and SQLITE_FULL in failed.details()
        status = rpc_status.from_call(failed)
        assert status is not None and any(
            b"STORAGE_UNAVAILABLE" in detail.value for detail in status.details
        )
        assert health_of(channel) == health_pb2.HealthCheckResponse.NOT_SERVING

        make_room(running.host._state_file)
        eventually(lambda: health_of(channel) == health_pb2.HealthCheckResponse.SERVING)
        answer = supplier.Submit(read_firmware(counter + 1), timeout=10)
        assert answer.response_code == "I99"


def _can_mount() -> bool:
    return shutil.which("mount") is not None and Path("/proc/mounts").exists()


@pytest.mark.spec("SEC-05")
def test_a_real_full_filesystem_recovers_without_restart(tmp_path) -> None:
    """The same on a real filesystem of 2 MiB (tmpfs; needs root): ENOSPC, not a page limit."""
    mount = tmp_path / "small"
    mount.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {mounted.stderr.decode().strip()}")
    try:
        host = open_host(mount / "state.sqlite3")
        workload = Workload(host, seed=5)
        host._state_file.flush()
        ballast = mount / "ballast"
        with contextlib.suppress(OSError), ballast.open("wb") as out:  # to the last block
            while True:
                out.write(b"\0" * 4096)
                out.flush()
        before: dict[str, object] = {}

        def submit() -> None:
            before["state"] = fingerprint(host.dsp)
            workload.submit(workload.request("11.2", ReadFirmwareVersion(), DEVICES[0]))

        error = until_refused(submit)
        assert "full" in str(error)
        assert fingerprint(host.dsp) == before["state"]
        ballast.unlink()
        eventually(lambda: host.storage_failure is None)
        assert workload.submit(workload.request("11.2", ReadFirmwareVersion(), ESME)).code == "I99"
        started = time.monotonic()
        host.stop()
        host.close()
        assert time.monotonic() - started < 10
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@contextlib.contextmanager
def small_filesystem(folder: Path) -> Iterator[Path]:
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill_filesystem(folder: Path) -> Path:
    ballast = folder / "ballast"
    with contextlib.suppress(OSError), ballast.open("wb") as out:
        while True:
            out.write(b"\0" * 4096)
            out.flush()
    return ballast


@pytest.mark.spec("SEC-05")
def test_dccsim_serve_on_a_full_disk_answers_unavailable_recovers_and_stops_cleanly(
    serve, tmp_path
) -> None:
    with small_filesystem(tmp_path / "small") as folder:
        served = serve("--state", str(folder / "state.sqlite3"))
        with grpc.insecure_channel(served.address) as channel:
            supplier = supplier_pb2_grpc.SupplierServiceStub(channel)
            assert supplier.Submit(read_firmware(1), timeout=10).response_code == "I99"
            ballast = fill_filesystem(folder)
            codes = set()
            for counter in range(2, 500):
                try:
                    supplier.Submit(read_firmware(counter), timeout=10)
                except grpc.RpcError as error:
                    codes.add(error.code())
                    assert "storage unavailable" in error.details()
                    break
            assert codes == {grpc.StatusCode.UNAVAILABLE}
            assert health_of(channel) == health_pb2.HealthCheckResponse.NOT_SERVING
            ballast.unlink()
            eventually(lambda: health_of(channel) == health_pb2.HealthCheckResponse.SERVING)
            assert supplier.Submit(read_firmware(1_000), timeout=10).response_code == "I99"
            fill_filesystem(folder)  # full again when it is told to stop
        started = time.monotonic()
        served.process.send_signal(signal.SIGTERM)
        assert served.process.wait(timeout=30) == 0  # no final snapshot, but a clean stop
        assert time.monotonic() - started < 30
