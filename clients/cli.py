"""The `dccsim` command-line tool."""

from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from dccsim.clients import logs
from dccsim.server.core.baseline import Baseline
from dccsim.server.core.dsp import Dsp
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.faults import FaultPlan
from dccsim.server.core.fleet import Fleet, example_fleet
from dccsim.server.core.fleet_file import parse_fleet
from dccsim.server.core.scenario import run_mp105_scenario

log = logging.getLogger("dccsim.cli")
BASELINES = click.Choice([b.value for b in Baseline])


@click.group()
@click.version_option(package_name="dccsim")
def main() -> None:
    """dccsim: a simulator of GB smart-metering DCC systems (DSP, SMI, CPL, devices)."""


@main.command()
@click.option(
    "--baseline",
    type=click.Choice([b.value for b in Baseline]),
    default=Baseline.CURRENT.value,
    show_default=True,
    help="Rule book: DUIS as amended by MP105, or the behaviour MP105 replaced.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the steps as JSON.")
def demo(baseline: str, as_json: bool) -> None:
    """Run the MP105 story on the embedded example fleet and show what the DSP did."""
    dsp, steps = run_mp105_scenario(Baseline(baseline))
    if as_json:
        click.echo(json.dumps([dataclasses.asdict(s) for s in steps], indent=2))
        return
    console = Console()
    table = Table(title=f"MP105 story on the example ESME (baseline: {baseline})")
    for column in ("step", "DSP answer", "SMI status", "SMI firmware", "device firmware"):
        table.add_column(column)
    for step in steps:
        table.add_row(
            step.action, step.answer, step.device_status, step.smi_firmware, step.device_firmware
        )
    console.print(table)
    for user_id, count in sorted(dsp.state.outboxes.snapshot().items()):
        codes = [_describe(entry.message) for entry in dsp.pending(user_id)]
        console.print(f"[bold]{user_id}[/bold]: {count} message(s) waiting: {', '.join(codes)}")


def _describe(message: object) -> str:
    code = getattr(message, "code", None) or getattr(message, "alert_code", None)
    kind = type(message).__name__.removesuffix("Message")
    return f"{kind} 0x{int(code):04X}" if isinstance(code, int) else f"{kind} {code}"


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the devices as JSON.")
def fleet(as_json: bool) -> None:
    """Show the embedded example fleet (the devices the public DUIS templates address)."""
    dsp = Dsp()
    example = example_fleet()
    example.load_into(dsp)
    records = list(dsp.state.smi)
    if as_json:
        click.echo(json.dumps([dataclasses.asdict(r) for r in records], indent=2, default=str))
        return
    table = Table(title=f"Example fleet: {len(records)} devices, {len(example.users)} users")
    for column in ("device", "type", "SMETS", "model", "firmware", "status", "MPxN"):
        table.add_column(column)
    for r in records:
        table.add_row(
            r.device_id, r.device_type, r.smets, r.model, r.firmware_version, r.status, r.mpxn or ""
        )
    Console().print(table)
    for user in example.users:
        roles = ",".join(sorted(user.roles))
        click.echo(f"user {user.user_id} {user.name} roles={roles} DUIS {user.interface_version}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=50051, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--fleet",
    "fleet_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Fleet file (YAML). Default: the embedded example fleet.",
)
@click.option("--seed", default=0, show_default=True, help="Seed for fault decisions and fleets.")
@click.option("--baseline", type=BASELINES, default=Baseline.CURRENT.value, show_default=True)
@click.option(
    "--relaxed-counters",
    is_flag=True,
    help="Accept repeated RequestID counters (to replay fixed templates).",
)
@click.option(
    "--log-level",
    default="INFO",
    show_default=True,
    type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
)
@click.option(
    "--log-format", default="json", show_default=True, type=click.Choice(["json", "text"])
)
def serve(
    host: str,
    port: int,
    fleet_file: Path | None,
    seed: int,
    baseline: str,
    relaxed_counters: bool,
    log_level: str,
    log_format: str,
) -> None:
    """Run the simulator as a gRPC server until SIGINT or SIGTERM."""
    from dccsim.server.rpc.app import serve_forever, start_server  # grpc only when serving

    logs.configure(log_level, log_format)
    fleet = _load_fleet(fleet_file, seed)

    def make_dsp() -> Dsp:
        dsp = Dsp(
            baseline=Baseline(baseline),
            faults=FaultPlan(seed=seed),
            strict_counters=not relaxed_counters,
        )
        fleet.load_into(dsp)
        return dsp

    running = start_server(make_dsp, address=f"{host}:{port}")
    log.info(
        "dccsim serving on %s:%d: %d devices, %d users, baseline %s",
        host,
        running.port,
        len(fleet.devices),
        len(fleet.users),
        baseline,
    )
    serve_forever(running)


def _load_fleet(path: Path | None, seed: int) -> Fleet:
    if path is None:
        return example_fleet()
    try:
        return parse_fleet(path.read_text(), seed=seed)
    except InvalidField as error:
        raise click.BadParameter(str(error), param_hint="--fleet") from None
