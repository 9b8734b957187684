"""What the commands share: the `--server` option, a client for it, and one way to fail."""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

import click

from dccsim.server.core.baseline import Baseline

if TYPE_CHECKING:  # grpc is imported only by the commands that talk to a server
    from dccsim.clients.client import Client

BASELINES = click.Choice([b.value for b in Baseline])

server_option = click.option(
    "--server",
    default="127.0.0.1:50051",
    show_default=True,
    envvar="DCCSIM_SERVER",
    help="Address of a running `dccsim serve`.",
)


def connect(server: str) -> Client:
    from dccsim.clients.client import Client

    return Client(server)


def fail(error: Exception) -> NoReturn:
    field = getattr(error, "field", None)
    raise click.ClickException(f"{error} (field: {field})" if field else str(error))
