"""`dccsim faults`: fault rules and their decisions."""

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
    "--add",
    "add_json",
    metavar="JSON",
    help='Add a rule, e.g. \'{"action": "drop", "srv": "11.3", "probability": 0.2}\'.',
)
@click.option("--remove", "remove_id", type=int, metavar="RULE_ID", help="Remove a rule.")
@click.option("--decisions", is_flag=True, help="List every decision the rules made.")
@click.option("--json", "as_json", is_flag=True, help="JSON (an export of rules or decisions).")
def faults(
    server: str, add_json: str | None, remove_id: int | None, decisions: bool, as_json: bool
) -> None:
    """List, add and remove fault rules, or export their decisions."""
    from google.protobuf import json_format

    from dccsim.clients.client import DccsimError
    from dccsim.v1 import control_pb2

    with connect(server) as dcc:
        try:
            if add_json is not None:
                rule_id = dcc.add_fault_rule(json_format.Parse(add_json, control_pb2.FaultRule()))
                click.echo(f"rule {rule_id} added")
                return
            if remove_id is not None:
                dcc.remove_fault_rule(remove_id)
                click.echo(f"rule {remove_id} removed")
                return
            rows = dcc.fault_decisions() if decisions else dcc.fault_rules()
        except json_format.ParseError as error:
            raise click.BadParameter(str(error), param_hint="--add") from None
        except DccsimError as error:
            fail(error)
    if as_json:
        click.echo(json.dumps([json_format.MessageToDict(r) for r in rows], indent=2))
        return
    for row in rows:
        click.echo(json_format.MessageToJson(row, indent=None))
