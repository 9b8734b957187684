"""The core and GBCS cycle benchmarks under several Python interpreters, interleaved, on one CPU.

    python benchmarks/interpreters.py --python /tmp/venv-debian/bin/python [--rounds 3]

runs `benchmarks/test_core.py` and `benchmarks/test_gbcs.py`'s 11.2 and 11.3 cycles (CPU time,
pinned to the last CPU) with this interpreter and each `--python`, one after another, `--rounds`
times, and writes each run's least and median time per cycle, with the host's speed and the
interpreter it ran under, to `benchmarks/results/interpreters.json` (or `--output`). Each
interpreter needs dccsim installed (`python3.11 -m venv DIR && DIR/bin/pip install -e '.[test]'`;
a compiled build compares the same way: docs/performance.md, "A compiled build"). Interleaving
matters: this machine's host moves between two speeds (docs/performance.md), and runs taken
minutes apart under one interpreter can differ more than two interpreters do.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "interpreters.json"
SELECTION = ["benchmarks/test_core.py", "benchmarks/test_gbcs.py", "-k", "11_2 or 11_3"]


def run_once(python: str, cpu: int) -> dict[str, Any]:
    """One pytest-benchmark run under `python`: its figures in microseconds, compactly."""
    with tempfile.TemporaryDirectory(prefix="dccsim-interpreters-") as workdir:
        report = Path(workdir) / "report.json"
        subprocess.run(
            [
                *(["taskset", "-c", str(cpu)] if _has_taskset() else []),
                python,
                "-m",
                "pytest",
                *SELECTION,
                "-q",
                "-p",
                "no:cacheprovider",
                "--benchmark-timer=time.process_time",
                f"--benchmark-json={report}",
            ],
            cwd=HERE.parent,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        data = json.loads(report.read_text())
    machine = data["machine_info"]
    return {
        "interpreter": machine.get("interpreter"),
        "python_version": machine["python_version"],
        "host_speed": machine.get("host_speed"),
        "datetime": data["datetime"],
        "cycles_us": {
            bench["name"]: {
                "min": round(bench["stats"]["min"] * 1e6, 1),
                "median": round(bench["stats"]["median"] * 1e6, 1),
            }
            for bench in data["benchmarks"]
        },
    }


def _has_taskset() -> bool:
    return any(
        os.access(Path(folder) / "taskset", os.X_OK)
        for folder in os.environ.get("PATH", "").split(os.pathsep)
    )


def summary(runs: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, float]]]:
    """Per interpreter, per cycle: the range of the runs' least times and medians."""
    table: dict[str, dict[str, dict[str, list[float]]]] = {}
    for run in runs:
        who = run["python"]
        for name, figures in run["cycles_us"].items():
            cell = table.setdefault(who, {}).setdefault(name, {"min": [], "median": []})
            cell["min"].append(figures["min"])
            cell["median"].append(figures["median"])
    return {
        who: {
            name: {
                "least_min": min(cell["min"]),
                "median_of_medians": statistics.median(cell["median"]),
            }
            for name, cell in cycles.items()
        }
        for who, cycles in table.items()
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--python", action="append", default=[], help="another interpreter")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-save", action="store_true")
    # e.g. results/compiled-build.json: a pure and a compiled (DCCSIM_USE_MYPYC=1) install of
    # dccsim, each in its own venv, compare the same way.
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the result")
    args = parser.parse_args(argv)
    pythons = [sys.executable, *args.python]
    cpu = max(os.sched_getaffinity(0))
    runs = []
    for round_ in range(args.rounds):
        for python in pythons:
            run = {"python": python, "round": round_ + 1, **run_once(python, cpu)}
            runs.append(run)
            print(json.dumps({k: run[k] for k in ("python", "round", "cycles_us")}), flush=True)
    result = {
        "command": " ".join(["python", "benchmarks/interpreters.py", *(argv or sys.argv[1:])]),
        "runs": runs,
        "summary": summary(runs),
    }
    if not args.no_save:
        args.output.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
