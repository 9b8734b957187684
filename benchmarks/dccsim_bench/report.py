"""Figures from `dccsim bench` windows: percentiles, per-request CPU, ratios to the echo baseline,
a line of figures per mode, and a table for a person."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from rich.table import Table

from dccsim.bench.host_speed import HostSpeed, drift_note
from dccsim.bench.interpreter import Interpreter
from dccsim.bench.load import LoadResult

PERCENTILES = (50, 90, 95, 99, 99.9)
# HTTP: deliveries in the window below this share of the answered requests fell behind.
DELIVERIES_BEHIND = 0.9


def percentile(sorted_values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile of an ascending sequence."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(pct / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def latency_ms(samples_ns: Sequence[int]) -> dict[str, float] | None:
    if not samples_ns:
        return None
    ordered = sorted(samples_ns)
    figures = {f"p{p:g}": percentile(ordered, p) / 1e6 for p in PERCENTILES}
    figures["mean"] = sum(ordered) / len(ordered) / 1e6
    figures["max"] = ordered[-1] / 1e6
    return {k: round(v, 3) for k, v in figures.items()}


def summarize(result: LoadResult) -> dict[str, Any]:
    seconds = result.seconds or math.nan
    per_request = (lambda cpu: round(cpu / result.answered * 1e6, 1)) if result.answered else None
    return {
        "seconds": round(result.seconds, 3),
        "sent": result.sent,
        "answered": result.answered,
        "requests_per_second": round(result.answered / seconds, 1),
        "awaited": result.awaited,
        "delivered": result.delivered,
        "undelivered": result.undelivered,
        "deliveries_per_second": round(result.deliveries_in_window / seconds, 1),
        "other_deliveries": result.other_deliveries,
        "delivery_batches": result.delivery_batches,
        "deliveries_per_batch": (
            round(result.deliveries_in_window / result.delivery_batches, 2)
            if result.delivery_batches
            else None
        ),
        "drain_seconds": round(result.drain_seconds, 3),
        "ack_latency_ms": latency_ms(result.ack_ns),
        "delivered_latency_ms": latency_ms(result.delivered_ns),
        "codes": dict(result.codes.most_common()),
        "server_cpu_seconds": None if result.server_cpu is None else round(result.server_cpu, 2),
        "server_cpu_us_per_request": (
            per_request(result.server_cpu) if per_request and result.server_cpu else None
        ),
        "client_cpu_seconds": round(result.client_cpu, 2),
        "client_cpu_us_per_request": per_request(result.client_cpu) if per_request else None,
        # CPU the rest of the machine used in the window: near 0 when nothing else ran.
        "other_cpu_seconds": (
            None
            if result.server_cpu is None
            else round(result.machine_cpu - result.server_cpu - result.client_cpu, 2)
        ),
    }


def ratio(dccsim: Mapping[str, Any], echo: Mapping[str, Any]) -> float | None:
    if not echo["requests_per_second"]:
        return None
    value: float = round(dccsim["requests_per_second"] / echo["requests_per_second"], 3)
    return value


def summary_lines(modes: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """One line of figures per mode: throughput, its ratio to the echo, what was delivered and,
    over HTTP, what was verified."""
    lines = []
    for mode, figures in modes.items():
        dccsim = figures.get("dccsim")
        echo = next(iter(figures.get("echo", {}).values()), None)
        parts = []
        if dccsim is not None:
            parts.append(f"{dccsim['requests_per_second']:,.0f} SR/s")
            if figures.get("ratio") is not None and echo is not None:
                parts.append(
                    f"{figures['ratio']:.2f} of the echo's {echo['requests_per_second']:,.0f}"
                )
            parts.append(
                f"{dccsim['delivered']:,} of {dccsim['awaited']:,} awaited responses delivered"
            )
            delivered_rate = dccsim["deliveries_per_second"]
            if (
                dccsim["awaited"]
                and delivered_rate < DELIVERIES_BEHIND * dccsim["requests_per_second"]
            ):
                # Answering outran delivering: the SR/s above is not sustained end to end (the
                # backlog grew through the window and was drained after it).
                parts.append(
                    f"deliveries fell behind: {delivered_rate:,.0f}/s in the window, the rest "
                    "drained after it"
                )
            if "deliveries_checked" in dccsim:
                # The requests were signed before the window and these checked after it (the
                # load generator's own CPU work, kept off the measured window: http_run.py).
                parts.append(
                    "requests signed before the window; DSP signatures verified after it: "
                    f"{dccsim['deliveries_verified']:,} of "
                    f"{dccsim['deliveries_checked']:,} delivered responses, "
                    f"{dccsim['answers_verified']:,} of {dccsim['answers_checked']:,} answers"
                )
            if dccsim.get("pool_exhausted"):
                parts.append("a client's signed requests ran out before the window ended")
        elif echo is not None:
            parts.append(f"echo {echo['requests_per_second']:,.0f} calls/s")
        lines.append(f"{mode}: " + "; ".join(parts))
    return lines


def _ms(figures: Mapping[str, float] | None) -> str:
    if figures is None:
        return "-"
    return f"{figures['p50']:.2f} / {figures['p95']:.2f} / {figures['p99']:.2f}"


def _number(value: float | None, digits: int = 0) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def report_table(report: Mapping[str, Any]) -> Table:
    config = report["config"]
    table = Table(
        title=(
            f"dccsim bench: {config['clients']} clients, {config['devices']:,} devices, "
            f"mix {config['mix'] or 'realistic'}"
        ),
        caption="latencies p50 / p95 / p99 in ms; CPU per answered request in µs",
    )
    for column, justify in (
        ("mode", "left"),
        ("server", "left"),
        ("SRs/s", "right"),
        ("vs echo", "right"),
        ("ack latency", "right"),
        ("delivered latency", "right"),
        ("delivered/s", "right"),
        ("undelivered", "right"),
        ("server CPU/SR", "right"),
        ("client CPU/SR", "right"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for mode, figures in report["modes"].items():
        rows = []
        if "dccsim" in figures:
            rows.append(("dccsim", figures["dccsim"], figures.get("ratio")))
        for processes, echo in figures.get("echo", {}).items():
            rows.append((f"echo x{processes}" if processes != "1" else "echo", echo, None))
        for name, f, r in rows:
            table.add_row(
                mode,
                name,
                _number(f["requests_per_second"]),
                _number(r, 2) if r is not None else "",
                _ms(f["ack_latency_ms"]),
                _ms(f["delivered_latency_ms"]),
                _number(f["deliveries_per_second"]) if f["awaited"] else "-",
                str(f["undelivered"]) if f["awaited"] else "-",
                _number(f["server_cpu_us_per_request"]),
                _number(f["client_cpu_us_per_request"]),
            )
    return table


def interpreter_line(machine: Mapping[str, Any]) -> str | None:
    """The Python the run's figures were made with (interpreter.py): it counts as much as the
    host."""
    found = machine.get("interpreter")
    return None if found is None else f"interpreter: {Interpreter.from_dict(found).describe()}"


def host_speed_line(machine: Mapping[str, Any]) -> str | None:
    """The host's speed the run's figures were measured at (host_speed.py)."""
    start = machine.get("host_speed_at_start")
    return None if start is None else f"host speed: {HostSpeed.from_dict(start).describe()}"


def contention_notes(report: Mapping[str, Any], share: float = 0.1) -> list[str]:
    """Windows in which other processes used more than `share` of a CPU, and a host whose
    speed changed during the run: their figures are not this machine's best."""
    notes = []
    machine = report.get("machine", {})
    if "host_speed_at_start" in machine and "host_speed_at_end" in machine:
        moved = drift_note(
            HostSpeed.from_dict(machine["host_speed_at_start"]),
            HostSpeed.from_dict(machine["host_speed_at_end"]),
        )
        if moved is not None:
            notes.append(moved)
    for mode, figures in report["modes"].items():
        runs = [("dccsim", figures.get("dccsim"))]
        runs += [(f"echo x{p}", f) for p, f in figures.get("echo", {}).items()]
        for name, f in runs:
            if f is None or f["other_cpu_seconds"] is None:
                continue
            if f["other_cpu_seconds"] > share * f["seconds"]:
                notes.append(
                    f"{mode} {name}: other processes used {f['other_cpu_seconds']:.1f} CPU-s "
                    f"in the {f['seconds']:.1f} s window"
                )
    return notes
