"""`dccsim bench`: an end-to-end load generator. N clients over M channels drive a `dccsim serve`
child process (or a running server) with a Service Request mix, by unary calls, streams or
batches, and in the same run drive an empty echo service set up the same way, so every headline
figure can be read as a ratio to what gRPC alone costs on this machine. `http` mode does the
same with signed DUIS documents POSTed over HTTP, against an aiohttp echo (`http_run`).

By default the server is pinned to CPU 0 and the load generator to CPU 1 (when there are two
or more), so each side's CPU time is its own.
"""

from __future__ import annotations

import asyncio
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import grpc

from dccsim.bench import report as bench_report
from dccsim.bench import servers as bench_servers
from dccsim.bench.host_speed import measure_host_speed
from dccsim.bench.http_run import measure_http
from dccsim.bench.http_traffic import check_http_mix
from dccsim.bench.interpreter import this_interpreter
from dccsim.bench.load import GRPC_MODES, LoadSpec, Mode, Target, Ticker, run_load
from dccsim.bench.mixes import DEFAULT_HTTP_MIX, DEFAULT_MIX, interleave, parse_mix
from dccsim.bench.traffic import LaneTraffic, Signer, fleet_yaml, lanes_of, traffic_for
from dccsim.server.rpc.limits import Limits

# On the server each supplier's subscription holds a worker thread, and so does each client's
# call (its unary call in flight, or its submit stream); of the DEFAULT_WORKERS threads keep 16
# free for acknowledgements.
DEFAULT_WORKERS = Limits().workers
MAX_STREAMS = DEFAULT_WORKERS - 16
SERVER_CPU, CLIENT_CPU = 0, 1


@dataclass(frozen=True, slots=True)
class BenchConfig:
    modes: tuple[Mode, ...] = ("unary",)
    clients: int = 8
    users: int = 1  # gRPC modes; http: every client sends as its own supplier
    channels: int | None = None  # gRPC channels; None: 2, or 1 for one client
    duration: float | None = 5.0
    requests: int | None = None
    warmup: float = 1.0
    mix: str | None = None  # None: the realistic mix (without 11.3 for http)
    devices: int = 1000
    batch_size: int = 100
    window: int = 32
    server: str | None = None  # a running server; else `dccsim serve` is started
    server_pid: int | None = None
    server_args: tuple[str, ...] = ()
    dccsim: bool = True
    echo_processes: tuple[int, ...] = (1,)  # () for no echo baseline
    pin: bool = True
    drain_timeout: float = 10.0
    verify_every: int = 1  # http: check the signature of one delivered response in this many
    http_pool_rate: float = 2000.0  # http: signed requests made per second of warm-up and window

    @property
    def grpc_mix(self) -> str:
        return self.mix or DEFAULT_MIX

    @property
    def http_mix(self) -> str:
        return self.mix or DEFAULT_HTTP_MIX

    @property
    def grpc_channels(self) -> int:
        return self.channels if self.channels is not None else min(2, self.clients)

    def check(self) -> None:
        """Raise ValueError naming the option at fault."""
        if any(mode in GRPC_MODES for mode in self.modes):
            parse_mix(self.grpc_mix)
        if "http" in self.modes:
            check_http_mix(parse_mix(self.http_mix))
            if self.server is not None:
                raise ValueError(
                    "--mode http starts its own server (its fleet names the bench's receiver); "
                    "it cannot drive --server"
                )
            if self.verify_every < 1 or self.http_pool_rate <= 0:
                raise ValueError("--verify-every and --http-pool-rate must be positive")
        if "http" in self.modes and not self.dccsim:
            raise ValueError(
                "--mode http measures its echo with dccsim's signed requests: no --echo-only"
            )
        if self.clients < 1:
            raise ValueError("--clients must be at least 1")
        if not 1 <= self.users <= self.clients:
            raise ValueError("--users must be between 1 and --clients")
        if self.clients + self.users > MAX_STREAMS:
            raise ValueError(
                f"--clients plus --users must be at most {MAX_STREAMS}: each client's call and "
                f"each supplier's subscription holds one of the server's {DEFAULT_WORKERS} "
                "worker threads"
            )
        if not 1 <= self.grpc_channels <= self.clients:
            raise ValueError("--channels must be between 1 and --clients")
        if self.devices < self.clients:
            raise ValueError("--devices must be at least --clients (each drives its own)")
        if (self.duration is None) == (self.requests is None):
            raise ValueError("give one of --duration and --requests")
        if self.server is None and self.server_pid is not None:
            raise ValueError("--server-pid needs --server")
        if self.server is not None and self.server_args:
            raise ValueError("--server-arg applies to a server the bench starts, not --server")
        if not self.dccsim and not self.echo_processes:
            raise ValueError("nothing to measure: neither dccsim nor an echo baseline")
        if any(p < 1 for p in self.echo_processes):
            raise ValueError("--echo-processes must be at least 1")


@dataclass(slots=True)
class BenchReport:
    machine: dict[str, Any]
    config: dict[str, Any]
    modes: dict[str, dict[str, Any]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "machine": self.machine,
            "config": self.config,
            "modes": self.modes,
        }


def _source_version() -> dict[str, Any] | None:
    """The checkout the servers run from (commit, and files changed since) when it is a git
    working tree: figures belong to a version of the code."""
    root = Path(__file__).resolve().parents[1]
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        changed = subprocess.run(
            [
                "git",
                "-C",
                str(root),
                "status",
                "--porcelain",
                "--untracked-files=no",
                "--",
                "server",
                "devices",
                "clients",
                "protos",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split("\n")
    except (OSError, subprocess.CalledProcessError):
        return None
    return {"commit": commit, "changed": [line[3:] for line in changed if line]}


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "nproc": bench_servers.cpu_count(),
        "cpu_model": model,
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "interpreter": this_interpreter().as_dict(),
        "grpcio": grpc.__version__,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        # Anything else running on the machine skews the figures: the load average says so.
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "source": _source_version(),
    }


def run_bench(config: BenchConfig, tick: Ticker = lambda phase, done, total: None) -> BenchReport:
    config.check()
    return asyncio.run(_run(config, tick))


async def _run(config: BenchConfig, tick: Ticker) -> BenchReport:
    report = BenchReport(machine(), asdict(config))  # before pinning narrows what we see
    allowed = os.sched_getaffinity(0)
    pinned = config.pin and len(allowed) >= 2
    report.config.update(pinned=pinned, server_cpu=SERVER_CPU if pinned else None)
    if pinned:
        bench_servers.pin_this_process(CLIENT_CPU)
    try:
        tick("measuring the host's speed", 0, None)
        report.machine["host_speed_at_start"] = measure_host_speed().as_dict()
        grpc_modes = [mode for mode in config.modes if mode in GRPC_MODES]
        if grpc_modes:
            await _measure(config, grpc_modes, report, tick)
        if "http" in config.modes:
            # Signing and checking signatures happen outside the window, on every CPU.
            await measure_http(
                config,
                report.modes.setdefault("http", {}),
                tick,
                report.config["server_cpu"],
                allowed,
            )
        report.machine["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        tick("measuring the host's speed", 0, None)
        report.machine["host_speed_at_end"] = measure_host_speed().as_dict()
        return report
    finally:
        if pinned:
            bench_servers.pin_this_process(allowed)  # a library caller gets its CPUs back


async def _measure(
    config: BenchConfig, modes: list[Mode], report: BenchReport, tick: Ticker
) -> None:
    """The gRPC modes: dccsim, then each echo baseline."""
    server_on: int | None = report.config["server_cpu"]  # the CPU servers are pinned to
    fleet_text = fleet_yaml(config.clients, config.users, config.devices)
    lanes = lanes_of(fleet_text, config.clients)
    users = list(dict.fromkeys(lane.user for lane in lanes))
    cycle = interleave(parse_mix(config.grpc_mix))
    spec = {
        mode: LoadSpec(
            mode,
            config.grpc_channels,
            config.duration,
            config.requests,
            config.warmup,
            config.batch_size,
            config.window,
            config.drain_timeout,
        )
        for mode in modes
    }

    def traffic(sign: Signer | None = None) -> list[LaneTraffic]:
        # Counters start at the microseconds of the clock: above any a previous run used.
        return traffic_for(lanes, cycle, time.time_ns() // 1000, sign)

    def labelled(name: str, mode: str) -> Ticker:
        return lambda phase, done, total: tick(f"{name} {mode}: {phase}", done, total)

    with tempfile.TemporaryDirectory(prefix="dccsim-bench-") as workdir:
        if config.dccsim:
            server, cpu_seconds = _dccsim_server(config, Path(workdir), fleet_text, server_on)
            try:
                sign = _users_signer(server_address(config, server))
                for mode in modes:
                    result = await run_load(
                        Target(server_address(config, server), echo=False),
                        traffic(sign),
                        users,
                        spec[mode],
                        server_cpu=cpu_seconds,
                        tick=labelled("dccsim", mode),
                    )
                    report.modes.setdefault(mode, {})["dccsim"] = bench_report.summarize(result)
            finally:
                if server is not None:
                    server.stop()
        for processes in config.echo_processes:
            echo = bench_servers.start_echo(cpu=server_on, processes=processes)
            try:
                for mode in modes:
                    result = await run_load(
                        Target(echo.address, echo=True),
                        traffic(),
                        users,
                        spec[mode],
                        server_cpu=echo.cpu_seconds,
                        tick=labelled(echo.name, mode),
                    )
                    figures = report.modes.setdefault(mode, {})
                    figures.setdefault("echo", {})[str(processes)] = bench_report.summarize(result)
            finally:
                echo.stop()
    for figures in report.modes.values():
        if "dccsim" in figures and figures.get("echo"):
            baseline = next(iter(figures["echo"].values()))
            figures["ratio"] = bench_report.ratio(figures["dccsim"], baseline)


def _users_signer(address: str) -> Signer | None:
    """What signs the bench Users' 11.3 PreCommands (GBCS-03): their DS keys, from the server's
    ControlService.ExportKeys. None where it will not give them (no keystore, control closed):
    the PreCommands then go back as they came, as they may in the MMC form."""
    from dccsim.clients.client import Client, DccsimError  # the bench's only client-library use

    try:
        with Client(address) as client:
            return client.pre_command_signer().sign
    except (DccsimError, grpc.RpcError):
        return None


def server_address(config: BenchConfig, server: bench_servers.ServerProcess | None) -> str:
    if server is not None:
        return server.address
    assert config.server is not None
    return config.server


def _dccsim_server(
    config: BenchConfig, workdir: Path, fleet_text: str, cpu: int | None
) -> tuple[bench_servers.ServerProcess | None, Callable[[], float] | None]:
    """Start `dccsim serve` on the bench fleet, or load the fleet into a running server."""
    if config.server is not None:
        from dccsim.clients.client import Client

        with Client(config.server) as dcc:
            dcc.load_fleet(fleet_text)  # replaces the running server's state
        pid = config.server_pid
        return None, (lambda: bench_servers.cpu_seconds((pid,))) if pid is not None else None
    fleet = workdir / "fleet.yaml"
    fleet.write_text(fleet_text)
    server = bench_servers.start_dccsim(
        fleet,
        workdir,
        cpu=cpu,
        extra_args=config.server_args,
    )
    return server, server.cpu_seconds
