"""`dccsim cpl`: the Central Products List."""

from __future__ import annotations

import json

import click
from rich.table import Table

from dccsim.clients.cli.common import server_option, session, show


@click.command()
@server_option
@click.option(
    "--remove",
    nargs=3,
    metavar="MANUFACTURER MODEL VERSION",
    help="Mark a CPL entry Removed (suspends its devices).",
)
@click.option(
    "--create",
    is_flag=True,
    help="With --remove: add the entry, as Removed, when the CPL does not list it.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the entries as JSON.")
def cpl(server: str, remove: tuple[str, str, str] | None, create: bool, as_json: bool) -> None:
    """Show the Central Products List, or mark an entry Removed."""
    from dccsim.clients.cli.words import message_dict, word
    from dccsim.v1 import types_pb2

    if create and not remove:
        raise click.UsageError("--create goes with --remove")
    with session(server) as dcc:
        entries = dcc.cpl()
        if remove:
            listed = {(e.manufacturer, e.model, e.firmware_version) for e in entries}
            # The API's PutCplEntry adds what it does not know: a typo would add a new Removed
            # entry and suspend nothing.
            if tuple(remove) not in listed and not create:
                raise click.BadParameter(
                    f"the CPL has no entry {' '.join(remove)} (--create adds it as Removed)",
                    param_hint="--remove",
                )
            result = dcc.set_cpl_status(*remove, types_pb2.CPL_STATUS_REMOVED)
            click.echo(f"marked Removed; {result.devices_suspended} device(s) suspended")
            return
    if as_json:
        click.echo(json.dumps([message_dict(e) for e in entries], indent=2))
        return
    table = Table(title=f"Central Products List: {len(entries)} entries")
    for column in ("manufacturer", "model", "firmware", "status"):
        table.add_column(column)
    for e in entries:
        status = word(types_pb2.CplStatus.DESCRIPTOR, e.status)
        table.add_row(e.manufacturer, e.model, e.firmware_version, status)
    show(table)
