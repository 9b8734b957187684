"""The `dccsim` command-line tool: the click group, and one module per command group."""

from __future__ import annotations

import click

from dccsim.clients.cli.bench import BENCH_MIX, bench
from dccsim.clients.cli.campaign import CAMPAIGN_SUPPLIER, campaign, campaign_fleet_yaml
from dccsim.clients.cli.clock import clock
from dccsim.clients.cli.cpl import cpl
from dccsim.clients.cli.demo import demo, fleet
from dccsim.clients.cli.devices import devices, raise_alert
from dccsim.clients.cli.faults import faults
from dccsim.clients.cli.keys import keys
from dccsim.clients.cli.send import send
from dccsim.clients.cli.serve import serve
from dccsim.clients.cli.watch import watch

# Re-exported for the tests and tools that import them from here.
__all__ = ["BENCH_MIX", "CAMPAIGN_SUPPLIER", "campaign_fleet_yaml", "main"]


@click.group()
@click.version_option(package_name="dccsim")
def main() -> None:
    """dccsim: a simulator of GB smart-metering DCC systems (DSP, SMI, CPL, devices)."""


for command in (
    demo,
    fleet,
    serve,
    send,
    watch,
    devices,
    raise_alert,
    cpl,
    clock,
    campaign,
    faults,
    bench,
    keys,
):
    main.add_command(command)
