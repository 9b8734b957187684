"""The `dccsim` command-line tool: the click group, and one module per command group."""

from __future__ import annotations

import click

from dccsim.clients.cli import (
    bench,
    campaign,
    clock,
    cpl,
    demo,
    devices,
    faults,
    keys,
    reset,
    send,
    serve,
    watch,
)

# Re-exported for the tests and tools that import them from here.
from dccsim.clients.cli.campaign import CAMPAIGN_SUPPLIER, campaign_fleet_yaml

__all__ = ["CAMPAIGN_SUPPLIER", "campaign_fleet_yaml", "main"]


@click.group()
@click.version_option(package_name="dccsim")
def main() -> None:
    """dccsim: a simulator of GB smart-metering DCC systems (DSP, SMI, CPL, devices)."""


# The names stay bound to the modules (dccsim.clients.cli.serve is the module, not the command).
for command in (
    demo.demo,
    demo.fleet,
    serve.serve,
    send.send,
    watch.watch,
    devices.devices,
    devices.raise_alert,
    cpl.cpl,
    clock.clock,
    campaign.campaign,
    faults.faults,
    bench.bench,
    keys.keys,
    reset.reset,
):
    main.add_command(command)
