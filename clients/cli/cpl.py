"""`dccsim cpl`: the Central Products List."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from dccsim.clients.cli.common import connect, fail, server_option

if TYPE_CHECKING:
    pass


@click.command()
@server_option
@click.option(
    "--remove",
    nargs=3,
    metavar="MANUFACTURER MODEL VERSION",
    help="Mark a CPL entry Removed (suspends its devices).",
)
@click.option("--json", "as_json", is_flag=True)
def cpl(server: str, remove: tuple[str, str, str] | None, as_json: bool) -> None:
    """Show the Central Products List, or mark an entry Removed."""
    from google.protobuf import json_format

    from dccsim.clients.client import DccsimError
    from dccsim.v1 import types_pb2

    with connect(server) as dcc:
        if remove:
            try:
                result = dcc.set_cpl_status(*remove, types_pb2.CPL_STATUS_REMOVED)
            except DccsimError as error:
                fail(error)
            click.echo(f"marked Removed; {result.devices_suspended} device(s) suspended")
            return
        entries = dcc.cpl()
    if as_json:
        click.echo(json.dumps([json_format.MessageToDict(e) for e in entries], indent=2))
        return
    for e in entries:
        status = types_pb2.CplStatus.Name(e.status).removeprefix("CPL_STATUS_").title()
        click.echo(f"{e.manufacturer} {e.model} {e.firmware_version} {status}")
