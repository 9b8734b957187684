"""Load a generated fleet into a Dsp in a fresh process; print the seconds and peak RSS as JSON.

    python benchmarks/fleet_load.py                 # 1,000,000 ESMEs -> results/fleet-load-1m.json
    python benchmarks/fleet_load.py --devices 10000 --no-save

The load runs in a child process so that its peak RSS (ru_maxrss) is the load's alone, not that
of whatever ran before it in the parent. Issue 6's target: 1,000,000 devices in under 30 s and
under 2 GiB.
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


def _child(devices: int) -> dict[str, object]:
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
    return {
        "devices": devices,
        "seconds": round(finished - started, 3),
        "parse_seconds": round(parsed - started, 3),
        "load_seconds": round(finished - parsed, 3),
        "rss_before_bytes": rss_before,
        "peak_rss_bytes": _max_rss_bytes(),
        "peak_rss_mib": round(_max_rss_bytes() / 2**20, 1),
        "python": sys.version.split()[0],
    }


def measure(devices: int) -> dict[str, object]:
    """Run the load in a fresh interpreter and return its figures."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", "--devices", str(devices)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=1_000_000)
    parser.add_argument("--no-save", action="store_true", help="print only")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.devices)))
        return
    result = measure(args.devices)
    result["command"] = " ".join(["python", "benchmarks/fleet_load.py", *sys.argv[1:]])
    # Timings depend on what else the machine runs: the 1/5/15-minute load averages say.
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    text = json.dumps(result, indent=2)
    print(text)
    if not args.no_save:
        RESULTS.mkdir(exist_ok=True)
        name = "1m" if args.devices == 1_000_000 else str(args.devices)
        (RESULTS / f"fleet-load-{name}.json").write_text(text + "\n")


if __name__ == "__main__":
    main()
