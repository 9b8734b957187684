"""`dccsim clock`: the simulator's virtual clock."""

from __future__ import annotations

import json
from datetime import timedelta

import click

from dccsim.clients.cli.common import DURATION, server_option, session


@click.command()
@server_option
@click.option(
    "--advance",
    type=DURATION,
    help="Move virtual time forward: seconds (90) or with units (90s, 15m, 1h30m, 2d).",
)
@click.option(
    "--rate", type=float, help="Run virtual time at this multiple of real time (0 freezes)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the clock as JSON.")
def clock(server: str, advance: timedelta | None, rate: float | None, as_json: bool) -> None:
    """Show or change the simulator's virtual clock."""
    with session(server) as dcc:
        state = dcc.clock()
        if advance is not None:
            state = dcc.advance(advance)
        if rate is not None:
            state = dcc.set_clock_rate(rate)
    now = state.now.ToDatetime().isoformat() + "Z"
    if as_json:
        click.echo(json.dumps({"now": now, "rate": state.rate, "pending": state.pending_actions}))
    else:
        rate_text = "frozen" if state.rate == 0 else f"rate {state.rate:g}x"
        click.echo(f"{now} {rate_text}, {state.pending_actions} future-dated action(s)")
