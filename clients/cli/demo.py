"""`dccsim demo` and `dccsim fleet`: the embedded example fleet and the MP105 story, offline."""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.table import Table

from dccsim.clients.cli.common import show
from dccsim.server.core.baseline import Baseline
from dccsim.server.core.dsp import Dsp
from dccsim.server.core.fleet import example_fleet
from dccsim.server.core.scenario import run_mp105_scenario

if TYPE_CHECKING:
    pass


@click.command()
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
    show(table)
    for user_id, count in sorted(dsp.state.outboxes.snapshot().items()):
        codes = [_describe(entry.message) for entry in dsp.pending(user_id)]
        console.print(f"[bold]{user_id}[/bold]: {count} message(s) waiting: {', '.join(codes)}")


def _describe(message: object) -> str:
    code = getattr(message, "code", None) or getattr(message, "alert_code", None)
    kind = type(message).__name__.removesuffix("Message")
    return f"{kind} 0x{int(code):04X}" if isinstance(code, int) else f"{kind} {code}"


@click.command()
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
    show(table)
    for user in example.users:
        roles = ",".join(sorted(user.roles))
        click.echo(f"user {user.user_id} {user.name} roles={roles} DUIS {user.interface_version}")
