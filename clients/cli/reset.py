"""`dccsim reset`: back to the starting fleet, on a running server or in a stopped one's state
file (a state file left behind makes the next `dccsim serve` carry on where it stopped)."""

from __future__ import annotations

from pathlib import Path

import click

from dccsim.clients.cli.common import server_option, session


@click.command()
@server_option
@click.option(
    "--state",
    "state_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Instead of a running server: delete this state file of a stopped one, so that the "
    "next `dccsim serve` starts from its fleet (e.g. --state dccsim-state.sqlite3). The keys "
    "beside it stay.",
)
def reset(server: str, state_path: Path | None) -> None:
    """Put a running server back to its starting fleet (its devices, Users, CPL, counters and
    queued messages as they were at start), or delete a stopped server's state file."""
    if state_path is not None:
        remove_state_file(state_path)
        click.echo(f"{state_path} deleted: the next `dccsim serve` starts from its fleet")
        return
    with session(server) as dcc:
        devices = dcc.reset()
    click.echo(f"reset to the starting fleet: {devices} device(s)")


def remove_state_file(path: Path) -> None:
    """Delete the state file at `path`, refusing one a server has open or one that is not a
    dccsim state file."""
    from dccsim.server.store import StateFile, StateFileError

    if not path.is_file():
        raise click.BadParameter(f"there is no state file {path}", param_hint="--state")
    try:
        # Opening it is the check: the store refuses a file another process holds (a running
        # dccsim) and one that is not in its format.
        StateFile(path).close()
    except StateFileError as error:
        raise click.BadParameter(str(error), param_hint="--state") from None
    StateFile.remove(path)
