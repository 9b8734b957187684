"""`dccsim bench`: the mix, the echo baseline, and short end-to-end runs of every mode."""

from __future__ import annotations

import json
import os
import platform
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import grpc
import pytest
from click.testing import CliRunner

from dccsim.bench import servers as bench_servers
from dccsim.bench.mixes import DEFAULT_MIX, interleave, parse_mix
from dccsim.bench.report import contention_notes, latency_ms, percentile
from dccsim.bench.run import BenchConfig, run_bench
from dccsim.bench.traffic import fleet_yaml, lanes_of, traffic_for
from dccsim.bench.v1 import echo_pb2_grpc
from dccsim.clients.cli import main
from dccsim.server.core.dsp import Dsp
from dccsim.server.rpc.app import RunningServer, start_server
from dccsim.v1 import supplier_pb2

# Small and quick: a run measures a few hundred requests per mode.
QUICK = ["--clients", "3", "--devices", "30", "--warmup", "0.2", "--no-pin", "--batch-size", "20"]
QUICK += ["--drain-timeout", "5"]


def test_mix_is_parsed_and_spread_out() -> None:
    assert parse_mix("11.2=8,8.2=1,11.3") == {"11.2": 8, "8.2": 1, "11.3": 1}
    assert interleave({"11.2": 2, "8.2": 1}) == ("11.2", "8.2", "11.2")
    cycle = interleave(parse_mix("firmware"))
    assert len(cycle) == 10 and cycle.count("11.2") == 8 and cycle.count("11.3") == 1
    realistic = interleave(parse_mix(DEFAULT_MIX))
    reads = [srv for srv in realistic if srv.startswith("4.")]
    assert len(reads) > len(realistic) / 2  # mostly meter reads
    assert parse_mix("realistic") == parse_mix(DEFAULT_MIX)
    for bad in ("11.9=1", "11.2=x", "11.2=1,11.2=2", "11.2=0", "11.2=-1"):
        with pytest.raises(ValueError):
            parse_mix(bad)


def test_each_client_drives_its_own_devices_with_rising_counters() -> None:
    lanes = lanes_of(fleet_yaml(clients=4, users=2, devices=10), clients=4)
    assert [len(lane.devices) for lane in lanes] == [3, 3, 2, 2]
    assert len({d for lane in lanes for d in lane.devices}) == 10
    assert [lane.user for lane in lanes][:2] == [lanes[2].user, lanes[3].user]
    traffics = traffic_for(lanes, interleave({"11.2": 1, "8.2": 1}), 100)
    # Clients 0 and 2 send as one supplier: one counter between them, always rising.
    sent = [traffics[i].next()[1] for i in (0, 2, 0, 2)]
    assert [int(rid.rsplit(":", 1)[1]) for rid in sent] == [100, 101, 102, 103]
    assert sent[0].split(":")[1] in lanes[0].devices  # 11.2 to its own device
    assert sent[2].split(":")[1] == "90-B3-D5-1F-30-00-00-02"  # 8.2 to the ACB
    assert traffics[1].next()[1].endswith(":100")  # the other supplier counts on its own
    assert traffics[1].needs_acb() and not traffics[0].needs_acb()


def test_a_fleet_device_no_supplier_added_gives_no_lane() -> None:
    # A client sends as the supplier that added its devices; without one it has no sender.
    fleet = fleet_yaml(clients=1, users=1, devices=1) + (
        "devices:\n"
        "  - {id: 00-DC-00-AA-00-00-00-01, type: ESME, manufacturer: DCCSIM, model: ESME-S2, "
        'firmware: "0100"}\n'
    )
    with pytest.raises(ValueError, match="00-DC-00-AA-00-00-00-01: the fleet names no supplier"):
        lanes_of(fleet, clients=1)


def test_percentiles_are_nearest_rank_and_ordered() -> None:
    values = list(range(1, 101))
    assert [percentile(values, p) for p in (50, 95, 99, 100)] == [50, 95, 99, 100]
    figures = latency_ms([3_000_000, 1_000_000, 2_000_000])
    assert figures is not None
    assert figures["p50"] == 2.0 and figures["max"] == 3.0 and figures["mean"] == 2.0
    assert latency_ms([]) is None


def test_windows_shared_with_other_processes_are_flagged() -> None:
    quiet = {"seconds": 10.0, "other_cpu_seconds": 0.3}
    busy = {"seconds": 10.0, "other_cpu_seconds": 4.2}
    report = {"modes": {"unary": {"dccsim": quiet, "echo": {"1": busy}}}}
    assert contention_notes(report) == [
        "unary echo x1: other processes used 4.2 CPU-s in the 10.0 s window"
    ]


@pytest.mark.parametrize("processes", [1, 2])
def test_echo_server_answers_every_call_shape(processes: int) -> None:
    echo = bench_servers.start_echo(cpu=None, processes=processes)
    try:
        assert len(echo.pids) == processes
        request = supplier_pb2.SubmitRequest(request_id="a:b:1", service_reference_variant="11.2")
        with grpc.insecure_channel(echo.address) as channel:
            stub = echo_pb2_grpc.EchoServiceStub(channel)
            answer = stub.Echo(request, timeout=5)
            assert answer.response_code == "I99" and answer.request_id
            results = list(stub.EchoStream(iter([request] * 3), timeout=5))
            assert [r.response.response_code for r in results] == ["I99"] * 3
            batch = stub.EchoBatch(supplier_pb2.SubmitBatchRequest(requests=[request] * 7))
            assert len(batch.results) == 7
        assert echo.cpu_seconds() >= 0
    finally:
        echo.stop()
    assert echo.process.returncode == 0


def test_every_mode_gives_a_sane_report_with_the_echo_ratio(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = CliRunner().invoke(
        main,
        [
            "bench",
            *QUICK,
            "--mode",
            "unary",
            "--mode",
            "stream",
            "--mode",
            "batch",
            "--requests",
            "240",
            "--server-arg=--in-memory",
            "--server-arg",
            "--log-level=WARNING",
            "--json",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    # Figures, not targets: throughput, its ratio to the echo, what was delivered.
    assert "target" not in result.output and "=yes" not in result.output
    unary = next(line for line in result.output.splitlines() if line.startswith("unary: "))
    assert " SR/s; " in unary and " of the echo's " in unary
    assert " awaited responses delivered" in unary
    report = json.loads(out.read_text())
    assert report["machine"]["nproc"] >= 1 and report["machine"]["grpcio"] == grpc.__version__
    for moment in ("start", "end"):  # the host's speed the figures were measured at
        assert report["machine"][f"host_speed_at_{moment}"]["p256_verify_us"] > 0
    assert "host speed: Python loop " in result.output
    # ... and the interpreter that made them (the same host runs them ~1.4x apart by its build).
    assert report["machine"]["interpreter"]["executable"] == os.path.realpath(sys.executable)
    assert f"interpreter: CPython {platform.python_version()} at " in result.output
    assert report["config"]["clients"] == 3 and report["config"]["pinned"] is False
    assert set(report["modes"]) == {"unary", "stream", "batch"}
    for mode, figures in report["modes"].items():
        for name, f in [("dccsim", figures["dccsim"]), ("echo", figures["echo"]["1"])]:
            assert f["sent"] >= 240 and f["answered"] == f["sent"], (mode, name)
            assert f["requests_per_second"] > 0 and f["server_cpu_seconds"] is not None
            assert f["other_cpu_seconds"] is not None
            ack = f["ack_latency_ms"]
            assert 0 < ack["p50"] <= ack["p95"] <= ack["p99"] <= ack["max"], (mode, name)
        dccsim = figures["dccsim"]
        # Every code an answer: I99 for the device SRs, I0 for 8.2 and the 11.3 PreCommands.
        assert set(dccsim["codes"]) == {"I99", "I0"}, (mode, dccsim["codes"])
        assert dccsim["awaited"] > 0 and dccsim["delivered"] == dccsim["awaited"], mode
        assert dccsim["undelivered"] == 0
        delivered = dccsim["delivered_latency_ms"]
        assert 0 < delivered["p50"] <= delivered["p95"] <= delivered["p99"]
        assert figures["echo"]["1"]["awaited"] == 0  # the echo service delivers nothing
        assert figures["ratio"] == pytest.approx(
            dccsim["requests_per_second"] / figures["echo"]["1"]["requests_per_second"],
            rel=1e-2,
        )
    assert "targets" not in report


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="pinning needs two CPUs")
def test_a_pinned_run_reports_the_whole_machine_and_gives_the_cpus_back() -> None:
    before = os.sched_getaffinity(0)
    config = BenchConfig(dccsim=False, clients=2, devices=4, requests=50, duration=None)
    report = run_bench(replace(config, warmup=0.1)).as_dict()
    assert report["config"]["pinned"] is True and report["config"]["server_cpu"] == 0
    assert report["machine"]["nproc"] == len(before)
    assert report["modes"]["unary"]["echo"]["1"]["answered"] >= 50
    assert os.sched_getaffinity(0) == before


@pytest.fixture
def running() -> Iterator[RunningServer]:
    server = start_server(Dsp, max_workers=64)
    yield server
    server.stop(grace=None)


def test_a_running_server_gets_the_bench_fleet_and_is_measured(
    running: RunningServer, tmp_path: Path
) -> None:
    out = tmp_path / "bench.json"
    result = CliRunner().invoke(
        main,
        [
            "bench",
            *QUICK,
            "--server",
            f"127.0.0.1:{running.port}",
            "--no-echo",
            "--requests",
            "100",
            "--json",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(out.read_text())["modes"]["unary"]
    assert "echo" not in figures and "ratio" not in figures
    assert figures["dccsim"]["undelivered"] == 0 and figures["dccsim"]["answered"] >= 100
    assert figures["dccsim"]["server_cpu_seconds"] is None  # no --server-pid
    assert len(running.host.dsp.state.smi) == 30  # the bench fleet replaced the empty one


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--mix", "99.9=1"], "SRV '99.9'"),
        (["--users", "4", "--clients", "2"], "--users must be between 1 and --clients"),
        (["--clients", "48"], "at most 48"),
        (["--devices", "2", "--clients", "3"], "--devices must be at least --clients"),
        (["--duration", "1", "--requests", "10"], "not both"),
        (["--no-echo", "--echo-only"], "exclude each other"),
        (["--server-pid", "1"], "--server-pid needs --server"),
        (["--server", "127.0.0.1:1", "--server-arg=--in-memory"], "--server-arg applies"),
        (["--mode", "carrier-pigeon"], "carrier-pigeon"),
    ],
)
def test_bad_options_are_clear_usage_errors(args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["bench", *args])
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_one_client_runs_on_the_default_channels() -> None:
    """Issue 19: `--clients 1` failed on its own default of two channels."""
    config = BenchConfig(clients=1, devices=1)
    config.check()
    assert config.grpc_channels == 1
    assert BenchConfig(clients=8).grpc_channels == 2
    assert BenchConfig(clients=8, channels=4).grpc_channels == 4
    result = CliRunner().invoke(
        main, ["bench", "--clients", "1", "--echo-only", "--requests", "20", "--warmup", "0"]
    )
    assert result.exit_code == 0, result.output
    assert "unary: echo " in result.output
