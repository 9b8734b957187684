"""`dccsim bench` for a person: a progress line while it runs, then the table, one line of
figures per mode, warnings about a busy machine, and the raw figures as JSON if asked."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from dccsim.bench.report import (
    contention_notes,
    host_speed_line,
    interpreter_line,
    report_table,
    summary_lines,
)
from dccsim.bench.run import BenchConfig, run_bench


def run_with_progress(config: BenchConfig) -> dict[str, Any]:
    """Run the bench, showing its phase on stderr; the report, with the command that made it."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[figure]}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
        refresh_per_second=4,
    ) as bar:
        task = bar.add_task("starting", total=None, figure="")

        def tick(phase: str, done: float, total: float | None) -> None:
            figure = f"{done:,.1f} / {total:,.1f}" if total else ""
            bar.update(task, description=phase, completed=done, total=total, figure=figure)

        report = run_bench(config, tick).as_dict()
    report["command"] = shlex.join(["dccsim", *sys.argv[1:]])
    return report


def print_report(report: dict[str, Any], json_path: Path | None) -> None:
    out = Console()
    out.print(report_table(report))
    machine = report["machine"]
    lines = [*summary_lines(report["modes"]), interpreter_line(machine), host_speed_line(machine)]
    for line in lines:
        if line is not None:
            out.print(line, highlight=False, soft_wrap=True)
    err = Console(stderr=True)
    for note in contention_notes(report):
        err.print(f"warning: {note}", highlight=False, soft_wrap=True)
    if json_path is not None:
        json_path.write_text(json.dumps(report, indent=2) + "\n")
        out.print(f"figures written to {json_path}", highlight=False, soft_wrap=True)
