"""`dccsim campaign`: a firmware roll-out through the gRPC API, on an embedded fleet."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console

from dccsim.clients.cli.common import BASELINES
from dccsim.server.core.baseline import Baseline
from dccsim.server.core.fleet_file import parse_fleet

if TYPE_CHECKING:
    pass


CAMPAIGN_SUPPLIER = "90-B3-D5-1F-30-01-00-00"


def campaign_fleet_yaml(devices: int, smets1_share: float) -> str:
    """The fleet an embedded campaign runs on: one supplier, ESMEs on firmware 0100, with 0100
    and 0200 both Current on the CPL until the campaign marks 0100 Removed."""
    return f"""
users: [{{id: {CAMPAIGN_SUPPLIER}, roles: [IS], name: Campaign supplier}},
        {{id: 90-B3-D5-1F-30-02-00-00, roles: [ED], name: Network operator}}]
cpl:
  - {{manufacturer: DCCSIM, model: ESME-S2, firmware: "0100"}}
  - {{manufacturer: DCCSIM, model: ESME-S2, firmware: "0200"}}
generate:
  - {{count: {devices}, type: ESME, smets1_share: {smets1_share}, manufacturer: DCCSIM,
      model: ESME-S2, firmware: "0100", id_prefix: 00-DB-07, supplier: {CAMPAIGN_SUPPLIER},
      network_operator: 90-B3-D5-1F-30-02-00-00}}
"""


@click.command()
@click.option(
    "--devices",
    "device_count",
    default=1000,
    show_default=True,
    type=click.IntRange(1, 1_000_000),
    help="ESMEs in the embedded campaign fleet.",
)
@click.option("--smets1-share", default=0.1, show_default=True, type=click.FloatRange(0, 1))
@click.option(
    "--lose-activation-responses",
    "loss",
    default=0.2,
    show_default=True,
    type=click.FloatRange(0, 1),
    help="Share of 11.3 responses lost.",
)
@click.option("--seed", default=0, show_default=True)
@click.option("--baseline", type=BASELINES, default=Baseline.CURRENT.value, show_default=True)
@click.option(
    "--compare-baselines",
    is_flag=True,
    help="Run the current and the pre-MP105 baseline on identical seeds, side by side.",
)
@click.option(
    "--retries",
    default=1,
    show_default=True,
    type=click.IntRange(0, 10),
    help="How often to retry 11.3 where no response came.",
)
@click.option("--no-read", is_flag=True, help="Skip the final 11.2 reads.")
@click.option(
    "--future-dated",
    "execute_after",
    type=click.FloatRange(min=1),
    metavar="SECONDS",
    help="Activate future-dated, this many virtual seconds after sending.",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the report as JSON (parameters, verdict, runs)."
)
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report as one self-contained HTML page to this file.",
)
def campaign(
    device_count: int,
    smets1_share: float,
    loss: float,
    seed: int,
    baseline: str,
    compare_baselines: bool,
    retries: int,
    no_read: bool,
    execute_after: float | None,
    as_json: bool,
    html_path: Path | None,
) -> None:
    """Roll firmware 0200 across a fleet through the gRPC API, with the old firmware Removed
    from the CPL (so the devices start Suspended), and report how every device ends up."""
    from rich.progress import Progress, TaskID

    from dccsim.clients.campaign import Campaign, CampaignPlan
    from dccsim.clients.campaign_report import report_html, report_table
    from dccsim.clients.campaign_summary import CampaignParameters, summarise
    from dccsim.clients.client import Client
    from dccsim.server.runtime.serve_config import ServeConfig, start
    from dccsim.v1 import types_pb2

    fleet = parse_fleet(campaign_fleet_yaml(device_count, smets1_share), seed=seed)
    baselines = (
        [Baseline.CURRENT, Baseline.PRE_MP105] if compare_baselines else [Baseline(baseline)]
    )
    reports = []
    console = Console(stderr=True)
    for chosen in baselines:
        # An embedded server, built as `dccsim serve` builds one: any port, nothing kept.
        running = start(
            ServeConfig(
                fleet=fleet,
                port=0,
                seed=seed,
                baseline=chosen,
                lose_activation_responses=loss,
                state=None,
                http_port=None,
                smki_port=None,
            )
        )
        try:
            with (
                Client(f"127.0.0.1:{running.port}") as dcc,
                Progress(console=console, transient=True, disable=as_json) as bar,
            ):
                dcc.set_cpl_status("DCCSIM", "ESME-S2", "0100", types_pb2.CPL_STATUS_REMOVED)
                devices = tuple(d.device_id for d in fleet.devices)
                task = bar.add_task(f"[{chosen}] starting", total=len(devices))
                phases: dict[str, int] = {}

                def progress(
                    phase: str,
                    advance: int,
                    task: TaskID = task,
                    phases: dict[str, int] = phases,
                    total: int = len(devices),
                    label: str = chosen,
                ) -> None:
                    if phase not in phases:
                        phases[phase] = 0
                        bar.reset(task, total=total, description=f"[{label}] {phase}")
                    bar.advance(task, advance)

                plan = CampaignPlan(
                    CAMPAIGN_SUPPLIER,
                    devices,
                    "0200",
                    b"dccsim campaign image 0200",
                    retries,
                    not no_read,
                    timedelta(seconds=execute_after) if execute_after is not None else None,
                )
                reports.append(Campaign(dcc, plan, baseline=chosen, progress=progress).run())
        finally:
            running.stop(grace=None)
    summary = summarise(
        CampaignParameters(
            devices=device_count,
            smets1_share=smets1_share,
            activation_response_loss=loss,
            seed=seed,
            retries=retries,
            read_remaining=not no_read,
            future_dated_seconds=execute_after,
            from_firmware="0100",
            to_firmware="0200",
        ),
        reports,
    )
    if as_json:
        click.echo(json.dumps(summary.as_dict(), indent=2))
    else:
        Console().print(report_table(summary))
    if html_path is not None:
        html_path.write_text(report_html(summary), encoding="utf-8")
        if not as_json:
            click.echo(f"report written to {html_path}")
