"""Load a generated fleet into a Dsp in a fresh process; print the seconds and peak RSS as JSON.

    python benchmarks/fleet_load.py                 # 1,000,000 ESMEs -> results/fleet-load-1m.json
    python benchmarks/fleet_load.py --devices 10000 --no-save
    python benchmarks/fleet_load.py --state-file    # also snapshot and restore -> ...-state.json

The load runs in a child process so that its peak RSS (ru_maxrss) is the load's alone, not that
of whatever ran before it in the parent. Issue 6's target: 1,000,000 devices in under 30 s and
under 2 GiB. With --state-file, the child then writes the fleet's snapshot to a state file
(encoded in the foreground, as at a start, a LoadFleet or a clean stop; a serving dccsim takes
its periodic ones in the background: benchmarks/snapshot_pause.py) and restores it, as a
restart would.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
SUPPLIER = "90-B3-D5-1F-30-01-00-00"
OPERATOR = "90-B3-D5-1F-30-02-00-00"


def fleet_yaml(devices: int) -> str:
    """One bulk block: each device with its own MPAN, registered to a supplier and a DNO."""
    return f"""
users:
  - {{id: {SUPPLIER}, roles: [IS]}}
  - {{id: {OPERATOR}, roles: [ED]}}
cpl: [{{manufacturer: M, model: X, firmware: "0100"}}]
generate:
  - {{count: {devices}, type: ESME, smets1_share: 0.1, manufacturer: M, model: X,
      firmware: "0100", id_prefix: 00-DB-09, supplier: {SUPPLIER}, network_operator: {OPERATOR}}}
"""


def _max_rss_bytes() -> int:
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _child(devices: int, state_file: bool) -> dict[str, object]:
    from dccsim.server.core.dsp import Dsp
    from dccsim.server.core.fleet_file import parse_fleet

    text = fleet_yaml(devices)
    rss_before = _max_rss_bytes()
    started = time.perf_counter()
    fleet = parse_fleet(text)
    parsed = time.perf_counter()
    dsp = Dsp()
    fleet.load_into(dsp)
    del fleet  # what stays is the Dsp; the peak below still counts the fleet while it lived
    finished = time.perf_counter()
    assert len(dsp.state.smi) == devices
    result: dict[str, object] = {
        "devices": devices,
        "seconds": round(finished - started, 3),
        "parse_seconds": round(parsed - started, 3),
        "load_seconds": round(finished - parsed, 3),
        "rss_before_bytes": rss_before,
        "peak_rss_bytes": _max_rss_bytes(),
        "peak_rss_mib": round(_max_rss_bytes() / 2**20, 1),
        "python": sys.version.split()[0],
    }
    if state_file:
        result["state_file"] = _snapshot_and_restore(dsp)
    return result


def _snapshot_and_restore(dsp) -> dict[str, object]:
    import tempfile

    from dccsim.server.store import StateFile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "state.sqlite3"
        state = StateFile(path)
        started = time.perf_counter()
        state.snapshot(dsp)  # encodes the DSP (in the foreground)
        encoded = time.perf_counter()
        state.flush()
        written = time.perf_counter()
        state.close()
        size = sum(p.stat().st_size for p in Path(folder).iterdir())
        started_restore = time.perf_counter()
        restored = StateFile(path).restore()
        finished = time.perf_counter()
        assert restored is not None and len(restored.dsp.state.smi) == len(dsp.state.smi)
    return {
        "snapshot_encode_seconds": round(encoded - started, 3),
        "snapshot_write_seconds": round(written - encoded, 3),
        "file_mib": round(size / 2**20, 1),
        "restore_seconds": round(finished - started_restore, 3),
        "peak_rss_mib": round(_max_rss_bytes() / 2**20, 1),
    }


def measure(devices: int, state_file: bool = False) -> dict[str, object]:
    """Run the load in a fresh interpreter and return its figures."""
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            "--devices",
            str(devices),
            *(["--state-file"] if state_file else []),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=1_000_000)
    parser.add_argument("--no-save", action="store_true", help="print only")
    parser.add_argument(
        "--state-file", action="store_true", help="also snapshot to a state file and restore"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.devices, args.state_file)))
        return
    result = measure(args.devices, args.state_file)
    result["command"] = " ".join(["python", "benchmarks/fleet_load.py", *sys.argv[1:]])
    # Timings depend on what else the machine runs: the 1/5/15-minute load averages say.
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    text = json.dumps(result, indent=2)
    print(text)
    if not args.no_save:
        RESULTS.mkdir(exist_ok=True)
        name = "1m" if args.devices == 1_000_000 else str(args.devices)
        suffix = "-state" if args.state_file else ""
        (RESULTS / f"fleet-load-{name}{suffix}.json").write_text(text + "\n")


if __name__ == "__main__":
    main()
