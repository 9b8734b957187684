"""`dccsim send`: one Service Request, and its synchronous answer."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from dccsim.clients.cli.common import connect, fail, server_option

if TYPE_CHECKING:
    pass


@click.command()
@server_option
@click.argument("srv")
@click.option("--user", required=True, help="Originator EUI-64.")
@click.option("--target", help="Device EUI-64 (default: the DCC ACB, for non-device SRs).")
@click.option(
    "--cv",
    type=click.IntRange(1, 8),
    default=1,
    show_default=True,
    help="Command Variant. With --sign, CV 4 is sent and its PreCommand signed (CV 5).",
)
@click.option("--sign", is_flag=True, help="Critical SR: the two-leg CV 4 -> CV 5 flow.")
@click.option(
    "--body",
    "body_json",
    default="{}",
    help="Body as JSON, e.g. '{\"read_firmware_version\": {}}'.",
)
@click.option("--counter", type=int, help="RequestID counter (default: milliseconds now).")
@click.option("--json", "as_json", is_flag=True)
def send(
    server: str,
    srv: str,
    user: str,
    target: str | None,
    cv: int,
    sign: bool,
    body_json: str,
    counter: int | None,
    as_json: bool,
) -> None:
    """Send one Service Request and print the synchronous answer."""
    from google.protobuf import json_format

    from dccsim.clients.client import ACB_ID, DccsimError

    try:
        body = json.loads(body_json)
    except json.JSONDecodeError as error:
        raise click.BadParameter(f"not JSON: {error}", param_hint="--body") from None
    with connect(server) as dcc:
        try:
            if sign:
                answer = dcc.send_critical(srv, user=user, target=target or ACB_ID, body=body)
            else:
                answer = dcc.send(
                    srv, user=user, target=target or ACB_ID, cv=cv, body=body, counter=counter
                )
        except (DccsimError, ValueError, TypeError, json_format.ParseError) as error:
            fail(error)
    if as_json:
        click.echo(json_format.MessageToJson(answer.message))
    else:
        detail = f" ({answer.detail})" if answer.detail else ""
        click.echo(f"{answer.request_id} SRV {answer.srv} -> {answer.code}{detail}")
