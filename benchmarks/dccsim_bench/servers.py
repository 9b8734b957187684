"""The servers `dccsim bench` measures, run as child processes: `dccsim serve` and the echo
baselines (`dccsim.bench.echo` on gRPC, `dccsim.bench.http_echo` on aiohttp), each optionally
pinned to one CPU, with their CPU time read from /proc so the report can give server CPU per
request; and the worker processes for the bench's own signing and checking."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

# Every child is exec'd through this one-liner: it asks the kernel to SIGTERM the child if the
# bench dies (PR_SET_PDEATHSIG, kept across exec), so no server outlives a killed bench, and
# pins it to a CPU before the interpreter that becomes the server starts any thread (safer than
# a preexec_fn in a parent that already runs gRPC threads).
_LAUNCH = (
    "import ctypes, os, signal, sys; "
    "ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM); "  # 1: PR_SET_PDEATHSIG
    "os.getppid() == int(sys.argv[1]) or sys.exit('the bench has gone'); "
    "sys.argv[2] and os.sched_setaffinity(0, {int(sys.argv[2])}); "
    "os.execv(sys.argv[3], sys.argv[3:])"
)
_TICKS = os.sysconf("SC_CLK_TCK")
READY_TIMEOUT = 60.0


def cpu_count() -> int:
    return len(os.sched_getaffinity(0))


def worker_pool(cpus: Iterable[int] | None = None) -> ProcessPoolExecutor:
    """Worker processes for the bench's own CPU-bound work (signing, checking signatures), one
    per CPU of `cpus` (default: those this process may use), each allowed all of them.
    Spawned, not forked: the bench process may hold gRPC's threads, which a fork does not
    survive."""
    mask = set(os.sched_getaffinity(0) if cpus is None else cpus)
    return ProcessPoolExecutor(
        len(mask),
        mp_context=multiprocessing.get_context("spawn"),
        initializer=os.sched_setaffinity,
        initargs=(0, mask),
    )


def pin_this_process(cpus: int | Iterable[int]) -> None:
    """Pin every thread of this process (gRPC's included, if any) to these CPUs; threads
    started later inherit the mask of the thread that starts them."""
    mask = {cpus} if isinstance(cpus, int) else set(cpus)
    for tid in os.listdir("/proc/self/task"):
        with contextlib.suppress(ProcessLookupError):  # a thread that has just ended
            os.sched_setaffinity(int(tid), mask)


def cpu_seconds(pids: Sequence[int]) -> float:
    """User plus system CPU time of these processes (all their threads) so far."""
    total = 0
    for pid in pids:
        # The command name may hold spaces; the fields after it are fixed (proc(5)).
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / _TICKS


def machine_busy_seconds() -> float:
    """CPU time all CPUs have spent busy so far (proc(5): /proc/stat, without idle and
    iowait): set against the server's and the bench's own, it shows what else was running."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / _TICKS


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]  # an IPv4 address: (host, port)
        return port


@dataclass
class ServerProcess:
    """A server child process; `pids` are the processes doing the serving (for CPU time)."""

    name: str
    process: subprocess.Popen[bytes] | subprocess.Popen[str]  # dccsim logs to a file; echo: text
    address: str
    pids: tuple[int, ...]
    log_path: Path | None = None
    http_url: str | None = None  # DUIS over HTTP, when the server serves it
    _closed: bool = field(default=False, repr=False)

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.pids)

    def log_tail(self, lines: int = 20) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self, timeout: float = 15.0) -> None:
        if self._closed:
            return
        self._closed = True
        if self.process.poll() is None:
            self.process.terminate()  # SIGTERM: a graceful stop
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


def _command(argv: Sequence[str], cpu: int | None) -> list[str]:
    pin = "" if cpu is None else str(cpu)
    return [sys.executable, "-c", _LAUNCH, str(os.getpid()), pin, *argv]


def start_dccsim(
    fleet: Path,
    workdir: Path,
    *,
    cpu: int | None,
    extra_args: Sequence[str] = (),
    http: bool = False,
) -> ServerProcess:
    """`dccsim serve` on a free loopback port with the bench fleet and a state file in
    `workdir`, with DUIS over HTTP on another free port if `http`; `extra_args` come last, so
    they override these."""
    port = free_port()
    http_port = free_port() if http else None
    # Without `http` the bench measures gRPC alone; and two benches may run side by side.
    listeners = ["--no-http"] if http_port is None else ["--http-port", str(http_port)]
    log_path = workdir / "dccsim-serve.log"
    argv = [
        sys.executable,
        "-m",
        "dccsim.clients",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        *listeners,
        "--no-smki",
        "--fleet",
        str(fleet),
        "--state",
        str(workdir / "dccsim-state.sqlite3"),
        *extra_args,
    ]
    with log_path.open("wb") as log:  # the child keeps its own descriptor
        process = subprocess.Popen(
            _command(argv, cpu), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    server = ServerProcess("dccsim", process, f"127.0.0.1:{port}", (process.pid,), log_path)
    if http_port is not None:
        server.http_url = f"http://127.0.0.1:{http_port}"
    try:
        wait_serving(server)
    except BaseException:
        server.stop()
        raise
    return server


def wait_serving(server: ServerProcess, timeout: float = READY_TIMEOUT) -> None:
    """Poll the health service until the server says SERVING (whatever its log level)."""
    deadline = time.monotonic() + timeout
    with grpc.insecure_channel(server.address) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        while True:
            if server.process.poll() is not None:
                raise RuntimeError(
                    f"{server.name} exited with {server.process.returncode}:\n{server.log_tail()}"
                )
            try:
                status = stub.Check(health_pb2.HealthCheckRequest(), timeout=1.0).status
                if status == health_pb2.HealthCheckResponse.SERVING:
                    return
            except grpc.RpcError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"{server.name} not serving after {timeout:.0f} s")
            time.sleep(0.1)


def start_http_echo(*, cpu: int | None) -> ServerProcess:
    """The HTTP echo baseline (`dccsim.bench.http_echo`) on a free port."""
    argv = [sys.executable, "-m", "dccsim.bench.http_echo", "--port", str(free_port())]
    server = _announced(argv, cpu, "http echo")
    server.http_url = f"http://{server.address}"
    return server


def start_echo(*, cpu: int | None, processes: int = 1) -> ServerProcess:
    """The echo baseline on a free port; it prints `echo serving on HOST:PORT pids ...` once
    every process is ready."""
    argv = [
        sys.executable,
        "-m",
        "dccsim.bench.echo",
        "--port",
        str(free_port()),
        "--processes",
        str(processes),
    ]
    return _announced(argv, cpu, f"echo x{processes}")


def _announced(argv: Sequence[str], cpu: int | None, name: str) -> ServerProcess:
    """A child that prints `echo serving on HOST:PORT pids PID[,PID...]` once it serves."""
    process = subprocess.Popen(
        _command(argv, cpu), stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True
    )
    assert process.stdout is not None
    line = process.stdout.readline().split()
    if line[:3] != ["echo", "serving", "on"]:
        process.kill()
        process.wait()
        raise RuntimeError(f"the {name} server did not start (exit {process.returncode})")
    pids = tuple(int(p) for p in line[5].split(","))
    return ServerProcess(name, process, line[3], pids)
