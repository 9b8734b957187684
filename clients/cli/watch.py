"""`dccsim watch`: a User's responses and alerts as they arrive."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from dccsim.clients.cli.common import EUI64, server_option, session

if TYPE_CHECKING:
    from dccsim.v1.supplier_pb2 import Delivery


@click.command()
@server_option
@click.option("--user", required=True, type=EUI64, help="Whose messages to watch (EUI-64).")
@click.option("--after", default=0, show_default=True, help="Resume after this sequence.")
@click.option(
    "--ack/--no-ack",
    default=False,
    show_default=True,
    help="Acknowledge each message once printed.",
)
@click.option("--count", type=int, help="Stop after this many messages.")
@click.option("--timeout", type=float, help="Stop after this many seconds.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
def watch(
    server: str,
    user: str,
    after: int,
    ack: bool,
    count: int | None,
    timeout: float | None,
    as_json: bool,
) -> None:
    """Print a user's responses and alerts as they arrive."""
    from dccsim.clients.cli.words import message_json

    seen = 0
    with session(server) as dcc:
        for delivery in dcc.deliveries(user, after=after, timeout=timeout):
            click.echo(
                message_json(delivery, indent=None) if as_json else describe_delivery(delivery)
            )
            if ack:
                dcc.acknowledge(user, delivery.sequence)
            seen += 1
            if count is not None and seen >= count:
                break


def describe_delivery(delivery: Delivery) -> str:
    kind = delivery.WhichOneof("message")
    if kind == "service_response":
        r = delivery.service_response
        body = r.WhichOneof("body")
        extra = ""
        if body:
            from dccsim.clients.cli.words import message_json

            extra = f" {body} {message_json(getattr(r, body), indent=None)}"
        return f"#{delivery.sequence} response {r.request_id} {r.response_code}{extra}"
    if kind == "device_alert":
        a = delivery.device_alert
        name = f" {a.alert_name}" if a.alert_name else ""
        return (
            f"#{delivery.sequence} device alert 0x{a.alert_code:04X}{name} "
            f"(message 0x{a.message_code:04X}) from {a.device_id}"
        )
    dcc_alert = delivery.dcc_alert
    return f"#{delivery.sequence} DCC alert {dcc_alert.dcc_alert_code} for {dcc_alert.device_id}"
