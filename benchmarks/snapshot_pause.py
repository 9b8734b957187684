"""How long requests wait while a snapshot is taken, and how much memory it takes, at a fleet size.

    python benchmarks/snapshot_pause.py          # 1,000,000 ESMEs -> results/snapshot-pause-1m.json
    python benchmarks/snapshot_pause.py --devices 20000 --no-save

In a fresh interpreter: load a generated fleet, open a state file, and have paced callers submit
11.2 reads (acknowledging as they go) through the server's host, each timing its own calls.
Once they run steadily, the next call finds a snapshot due (as a serving dccsim does every so
many changes) and starts it in the background; the callers go on until it is recorded in the
file. Reported: the latency of the calls made meanwhile (p50, p99, max) beside the steady ones,
the fork's pause, how long the snapshot took, and the memory of the server and its snapshot
process together (the server's RSS plus the child's private pages, sampled) against the
fleet's (the server's RSS before the snapshot).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
SUPPLIER = "90-B3-D5-1F-30-01-00-00"


def _kib(path: str, *keys: str) -> int:
    total = 0
    try:
        for line in Path(path).read_text().splitlines():
            name, _, value = line.partition(":")
            if name in keys:
                total += int(value.split()[0])
    except (OSError, ValueError):
        return 0
    return total


def _rss_mib(pid: int | str = "self") -> float:
    return _kib(f"/proc/{pid}/status", "VmRSS") / 1024


def _private_mib(pid: int) -> float:
    return _kib(f"/proc/{pid}/smaps_rollup", "Private_Clean", "Private_Dirty") / 1024


def _percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"count": 0}
    ordered = sorted(values)
    quantiles = statistics.quantiles(ordered, n=100) if len(ordered) > 1 else ordered * 99
    return {
        "count": len(ordered),
        "p50_ms": round(quantiles[49] * 1000, 2),
        "p99_ms": round(quantiles[98] * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
    }


def _child(devices: int, callers: int, interval: float) -> dict[str, object]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from fleet_load import fleet_yaml

    from dccsim.server.core import commands
    from dccsim.server.core.dsp import Dsp
    from dccsim.server.core.fleet_file import parse_fleet
    from dccsim.server.core.matrix import CommandVariant
    from dccsim.server.core.requests import ReadFirmwareVersion, RequestId, ServiceRequest
    from dccsim.server.rpc.app import tune_gc
    from dccsim.server.runtime.host import DspHost
    from dccsim.server.store import StateFile

    started = time.perf_counter()
    dsp = Dsp()
    parse_fleet(fleet_yaml(devices)).load_into(dsp)
    device_ids = [record.device_id for record in dsp.state.smi]
    loaded = time.perf_counter() - started
    folder = tempfile.TemporaryDirectory()
    path = Path(folder.name) / "state.sqlite3"
    state_file = StateFile(path, snapshot_every=10**12, commit_delay=0.001)
    begun = time.perf_counter()
    state_file.snapshot(dsp)  # the starting snapshot, as `dccsim serve` writes one
    state_file.flush()
    first_snapshot = time.perf_counter() - begun
    host = DspHost(dsp, state_file=state_file)
    tune_gc()  # as `dccsim serve` does once its fleet is loaded
    host.start()

    stop = threading.Event()
    samples: list[tuple[float, float]] = []  # (when it started, how long it took)
    counters = itertools.count(1)

    def caller(seed: int) -> None:
        chance = random.Random(seed)
        next_at = time.perf_counter()
        while not stop.is_set():
            device = chance.choice(device_ids)
            rid = RequestId(SUPPLIER, device, next(counters))
            request = ServiceRequest(
                rid, "11.2", CommandVariant.NON_CRITICAL_REMOTE, ReadFirmwareVersion()
            )
            at = time.perf_counter()
            host.run_one(commands.Submit(request))
            if chance.random() < 0.02:
                host.run_one(
                    commands.Acknowledge(SUPPLIER, host.dsp.outbox(SUPPLIER).last_sequence)
                )
            samples.append((at, time.perf_counter() - at))
            next_at += interval
            pause = next_at - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            else:
                next_at = time.perf_counter()

    threads = [threading.Thread(target=caller, args=(i,), daemon=True) for i in range(callers)]
    for thread in threads:
        thread.start()
    time.sleep(5)  # steady
    fleet_rss = _rss_mib()
    peak = {"total": fleet_rss, "server": fleet_rss, "child_private": 0.0}

    # The next call finds a snapshot due, as after `--snapshot-every` changes.
    state_file._since_snapshot = 10**12
    snapshot_begun = time.perf_counter()
    while state_file._background is None:
        time.sleep(0.001)
    background = state_file._background
    while state_file._background is background:
        server = _rss_mib()
        child = _private_mib(background.pid)
        if server + child > peak["total"]:
            peak = {"total": server + child, "server": server, "child_private": child}
        time.sleep(0.05)
    snapshot_ended = time.perf_counter()
    time.sleep(2)
    stop.set()
    for thread in threads:
        thread.join()
    host.stop()
    state_file.settle()
    (snapshot_seq,) = state_file._db.execute("SELECT max(through_seq) FROM snapshots").fetchone()
    host._state_file = None  # no final snapshot: not measured here
    state_file.close()
    folder.cleanup()

    steady = [d for at, d in samples if at < snapshot_begun]
    during = [d for at, d in samples if snapshot_begun <= at <= snapshot_ended]
    slowest = sorted(
        ((d, at) for at, d in samples if snapshot_begun <= at <= snapshot_ended), reverse=True
    )[:5]
    return {
        "devices": devices,
        "callers": callers,
        "call_interval_ms": interval * 1000,
        "load_seconds": round(loaded, 1),
        "first_snapshot_seconds_in_the_foreground": round(first_snapshot, 1),
        "snapshot_seconds_in_the_background": round(snapshot_ended - snapshot_begun, 1),
        "snapshot_recorded_through_change": snapshot_seq,
        "fork_pause_ms": round(state_file.last_fork_seconds * 1000, 1),
        "slowest_calls_during_snapshot": [
            {"ms": round(d * 1000, 1), "at_s": round(at - snapshot_begun, 2)} for d, at in slowest
        ],
        "calls_steady": _percentiles(steady),
        "calls_during_snapshot": _percentiles(during),
        "fleet_rss_mib": round(fleet_rss, 1),
        "peak_during_snapshot_mib": {k: round(v, 1) for k, v in peak.items()},
        "peak_over_fleet": round(peak["total"] / fleet_rss, 2),
        "python": sys.version.split()[0],
    }


def measure(devices: int, callers: int = 4, interval: float = 0.005) -> dict[str, object]:
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            "--devices",
            str(devices),
            "--callers",
            str(callers),
            "--interval-ms",
            str(interval * 1000),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=1_000_000)
    parser.add_argument("--callers", type=int, default=4)
    parser.add_argument("--interval-ms", type=float, default=5.0, help="each caller's pace")
    parser.add_argument("--no-save", action="store_true", help="print only")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.devices, args.callers, args.interval_ms / 1000)))
        return
    result = measure(args.devices, args.callers, args.interval_ms / 1000)
    result["command"] = " ".join(["python", "benchmarks/snapshot_pause.py", *sys.argv[1:]])
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    text = json.dumps(result, indent=2)
    print(text)
    if not args.no_save:
        RESULTS.mkdir(exist_ok=True)
        name = "1m" if args.devices == 1_000_000 else str(args.devices)
        (RESULTS / f"snapshot-pause-{name}.json").write_text(text + "\n")


if __name__ == "__main__":
    main()
