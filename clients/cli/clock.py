"""`dccsim clock`: the simulator's virtual clock."""

from __future__ import annotations

import json
from datetime import timedelta

import click

from dccsim.clients.cli.common import server_option, session


@click.command()
@server_option
@click.option("--advance", type=float, help="Move virtual time forward by this many seconds.")
@click.option(
    "--rate", type=float, help="Run virtual time at this multiple of real time (0 freezes)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the clock as JSON.")
def clock(server: str, advance: float | None, rate: float | None, as_json: bool) -> None:
    """Show or change the simulator's virtual clock."""
    with session(server) as dcc:
        state = dcc.clock()
        if advance is not None:
            state = dcc.advance(timedelta(seconds=advance))
        if rate is not None:
            state = dcc.set_clock_rate(rate)
    now = state.now.ToDatetime().isoformat() + "Z"
    if as_json:
        click.echo(json.dumps({"now": now, "rate": state.rate, "pending": state.pending_actions}))
    else:
        click.echo(f"{now} rate {state.rate:g}x, {state.pending_actions} future-dated action(s)")
