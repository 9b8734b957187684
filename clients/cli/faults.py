"""`dccsim faults`: fault rules and their decisions."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click
from rich.table import Table

from dccsim.clients.cli.common import EUI_WIDTH, server_option, session, show

if TYPE_CHECKING:
    from collections.abc import Sequence

    from google.protobuf.message import Message
    from google.protobuf.timestamp_pb2 import Timestamp

    from dccsim.v1 import control_pb2


@click.command()
@server_option
@click.option(
    "--add",
    "add_json",
    metavar="JSON",
    help='Add a rule, e.g. \'{"action": "drop", "srv": "11.3", "probability": 0.2}\' '
    '(selectors: srv, device_type "ESME", smets "SMETS1", device_ids; triggers: probability, '
    "first_n, window_start, window_end; delay, error_code, alert_code).",
)
@click.option("--remove", "remove_id", type=int, metavar="RULE_ID", help="Remove a rule.")
@click.option("--decisions", is_flag=True, help="List every decision the rules made.")
@click.option("--json", "as_json", is_flag=True, help="JSON (an export of rules or decisions).")
def faults(
    server: str, add_json: str | None, remove_id: int | None, decisions: bool, as_json: bool
) -> None:
    """List, add and remove fault rules, or export their decisions."""
    from dccsim.clients.cli.words import BadValue, message_dict, parse_message
    from dccsim.v1 import control_pb2

    rule = None
    if add_json is not None:
        try:
            rule = parse_message(add_json, control_pb2.FaultRule())
        except BadValue as error:
            raise click.BadParameter(str(error), param_hint="--add") from None
    with session(server) as dcc:
        if rule is not None:
            click.echo(f"rule {dcc.add_fault_rule(rule)} added")
            return
        if remove_id is not None:
            dcc.remove_fault_rule(remove_id)
            click.echo(f"rule {remove_id} removed")
            return
        if decisions:
            made = dcc.fault_decisions()
            shown: Sequence[Message] = made
            table = decisions_table(made)
        else:
            rules = dcc.fault_rules()
            shown, table = rules, rules_table(rules)
    if as_json:
        click.echo(json.dumps([message_dict(r) for r in shown], indent=2))
    elif not shown:
        click.echo("no fault decisions" if decisions else "no fault rules")
    else:
        show(table)


def rules_table(rules: list[control_pb2.FaultRuleEntry]) -> Table:
    from dccsim.clients.cli.words import word
    from dccsim.v1 import types_pb2

    table = Table(title=f"{len(rules)} fault rule(s)")
    for column in ("rule", "action", "stage"):
        table.add_column(column)
    table.add_column("selects", overflow="fold")
    for column in ("triggers", "effect"):
        table.add_column(column)
    for entry in rules:
        rule = entry.rule
        selects = [f"SRV {rule.srv}" if rule.srv else ""]
        if rule.device_type:
            selects.append(word(types_pb2.DeviceType.DESCRIPTOR, rule.device_type))
        if rule.smets:
            selects.append(word(types_pb2.SmetsVersion.DESCRIPTOR, rule.smets))
        selects.extend(rule.device_ids)  # EUI-64s: the column folds, never truncates
        if rule.alert_code and rule.action != "raise-alert":
            selects.append(f"alert 0x{rule.alert_code:04X}")
        triggers = []
        if rule.HasField("probability") and rule.probability != 1:
            triggers.append(f"{rule.probability:g} of matches")
        if rule.HasField("first_n"):
            triggers.append(f"first {rule.first_n}")
        if rule.HasField("window_start") or rule.HasField("window_end"):
            start = _time(rule.window_start) if rule.HasField("window_start") else ""
            end = _time(rule.window_end) if rule.HasField("window_end") else ""
            triggers.append(f"{start}..{end}")
        effect = []
        if rule.HasField("delay"):
            effect.append(f"{rule.delay.ToTimedelta().total_seconds():g} s")
        if rule.error_code:
            effect.append(rule.error_code)
        if rule.action == "raise-alert" and rule.alert_code:
            effect.append(f"alert 0x{rule.alert_code:04X}")
        table.add_row(
            str(entry.rule_id),
            rule.action,
            rule.stage or "device-response",
            " ".join(s for s in selects if s) or "everything",
            ", ".join(triggers) or "every match",
            " ".join(effect),
        )
    return table


def decisions_table(decisions: list[control_pb2.FaultDecision]) -> Table:
    table = Table(title=f"{len(decisions)} fault decision(s)")
    for column in ("at", "rule", "action", "stage", "SRV"):
        table.add_column(column)
    table.add_column("device", no_wrap=True, min_width=EUI_WIDTH)
    table.add_column("request", overflow="fold")
    table.add_column("alert")
    for d in decisions:
        table.add_row(
            _time(d.at),
            str(d.rule_id),
            d.action,
            d.stage,
            d.srv,
            d.device_id,
            d.request_id,
            f"0x{d.alert_code:04X}" if d.alert_code else "",
        )
    return table


def _time(stamp: Timestamp) -> str:
    return stamp.ToDatetime().isoformat() + "Z"
