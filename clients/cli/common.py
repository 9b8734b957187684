"""What the commands that talk to a server share: the `--server` option, a session with it, and
one way to fail (a one-line error, never a traceback)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, NoReturn

import click
from rich.console import Console
from rich.table import Table

from dccsim.server.core.baseline import Baseline

if TYPE_CHECKING:  # grpc is imported only by the commands that talk to a server
    from dccsim.clients.client import Client

BASELINES = click.Choice([b.value for b in Baseline])
# An EUI-64 as the API writes it (00-DB-12-34-56-78-90-A0): table columns never cut one short.
EUI_WIDTH = 23

server_option = click.option(
    "--server",
    default="127.0.0.1:50051",
    show_default=True,
    envvar="DCCSIM_SERVER",
    show_envvar=True,
    help="Address of a running `dccsim serve`.",
)


@contextmanager
def session(server: str) -> Iterator[Client]:
    """A client of the server at `server`. What the server refuses, or a server that cannot be
    reached, ends the command with one line naming the cause."""
    import grpc

    from dccsim.clients.client import Client, DccsimError

    try:
        with Client(server) as dcc:
            yield dcc
    except DccsimError as error:
        fail(error)
    except grpc.RpcError as error:
        code = error.code() if isinstance(error, grpc.Call) else None
        if code is grpc.StatusCode.UNAVAILABLE:
            raise click.ClickException(
                f"no dccsim server answers at {server}: start one with `dccsim serve`, or name "
                "it with --server (or DCCSIM_SERVER)"
            ) from None
        details = error.details() if isinstance(error, grpc.Call) else str(error)
        raise click.ClickException(f"{code.name if code else 'error'}: {details}") from None


def fail(error: Exception) -> NoReturn:
    field = getattr(error, "field", None)
    raise click.ClickException(f"{error} (field: {field})" if field else str(error))


def show(table: Table) -> None:
    """Print a table; into a pipe or a file at its full width (nothing cut short for a script),
    on a terminal at the terminal's."""
    console = Console()
    if not console.is_terminal:
        # Measured unbounded: a measure within the console's own width is capped at that width.
        natural = console.measure(table, options=console.options.update_width(10_000)).maximum
        console = Console(width=max(console.width, natural))
    console.print(table)
