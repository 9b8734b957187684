"""`dccsim devices` and `dccsim raise-alert`: the SMI's devices, and alerts they raise."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import click
from rich.table import Table

from dccsim.clients.cli.common import EUI64, EUI_WIDTH, server_option, session, show


@click.command()
@server_option
@click.option(
    "--status",
    help="Only devices in this SMI status, in DUIS's words: Commissioned, Suspended, "
    "InstalledNotCommissioned, ...",
)
@click.option("--json", "as_json", is_flag=True, help="Print the devices as JSON.")
def devices(server: str, status: str | None, as_json: bool) -> None:
    """List the SMI's devices."""
    from dccsim.clients.cli.words import BadValue, message_dict, parse_word, word
    from dccsim.v1 import types_pb2

    wanted = types_pb2.SMI_STATUS_UNSPECIFIED
    if status:
        try:
            # ValueType: int at run time, the status's NewType to the checker.
            wanted = types_pb2.SmiStatus.ValueType(
                parse_word(types_pb2.SmiStatus.DESCRIPTOR, status)
            )
        except BadValue as error:
            raise click.BadParameter(str(error), param_hint="--status") from None
    with session(server) as dcc:
        found = dcc.devices(status=wanted)
    if as_json:
        click.echo(json.dumps([message_dict(d) for d in found], indent=2))
        return
    if not found:
        click.echo(f"no devices in status {status}" if status else "no devices")
        return
    table = Table(title=f"{len(found)} device(s)")
    table.add_column("device", no_wrap=True, min_width=EUI_WIDTH)
    for column in ("type", "SMETS", "firmware", "status", "MPxN"):
        table.add_column(column)
    for d in found:
        table.add_row(
            d.device_id,
            word(types_pb2.DeviceType.DESCRIPTOR, d.device_type),
            word(types_pb2.SmetsVersion.DESCRIPTOR, d.smets),
            d.firmware_version,
            word(types_pb2.SmiStatus.DESCRIPTOR, d.status),
            d.mpxn,
        )
    show(table)


@click.command("raise-alert")
@server_option
@click.argument("device_id", type=EUI64)
@click.argument("alert_code")
@click.option(
    "--interrupted-at",
    type=click.DateTime(["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S"]),
    help="Outage restored (0x8F35..0x8F3C): when the supply went (UTC if no offset).",
)
@click.option("--warning", default="", help='Integrity warning (0x81A0), e.g. "Error RAM".')
def raise_alert(
    server: str, device_id: str, alert_code: str, interrupted_at: datetime | None, warning: str
) -> None:
    """A device raises one of its own alerts (SRV-06), e.g. `raise-alert <ESME> 8F57` or
    `raise-alert <ESME> supply-interrupted`; prints who it is for."""
    from dccsim.devices.alerts import parse_alert_code

    try:
        code = parse_alert_code(alert_code)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="ALERT_CODE") from None
    if interrupted_at is not None and interrupted_at.tzinfo is None:
        interrupted_at = interrupted_at.replace(tzinfo=UTC)
    with session(server) as dcc:
        raised = dcc.raise_device_alert(
            device_id, code, interrupted_at=interrupted_at, integrity_warning=warning
        )
    recipients = ", ".join(raised.recipients) or "no one registered"
    click.echo(f"{raised.alert_code:04X} {raised.alert_name} on {raised.device_id}: {recipients}")
