"""The `dccsim` command-line tool: the click group, and one module per command group.

A command's module is imported when that command runs (or `--help` lists it), so a client
command such as `dccsim devices` does not import the DSP, the server and the bench it never uses.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Mapping
from typing import Any

import click

__all__ = ["main"]

# Command name -> "module:attribute" of its click command.
COMMANDS = {
    "demo": "demo:demo",
    "fleet": "demo:fleet",
    "serve": "serve:serve",
    "send": "send:send",
    "watch": "watch:watch",
    "devices": "devices:devices",
    "raise-alert": "devices:raise_alert",
    "cpl": "cpl:cpl",
    "clock": "clock:clock",
    "campaign": "campaign:campaign",
    "faults": "faults:faults",
    "bench": "bench:bench",
    "keys": "keys:keys",
    "reset": "reset:reset",
}


class LazyGroup(click.Group):
    """A group whose commands are imported by name when wanted (click's documented pattern for
    lazily loaded subcommands)."""

    def __init__(self, *args: Any, lazy: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lazy = dict(lazy)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self._lazy})

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        # click suggests the nearest command from the commands it holds, which are none until
        # imported: an unknown name is answered here, with the names it could have been.
        name = args[0]
        if (
            not ctx.resilient_parsing
            and not name.startswith("-")
            and self.get_command(ctx, name) is None
        ):
            near = difflib.get_close_matches(name, self.list_commands(ctx))
            hint = "" if not near else f" Did you mean {', '.join(repr(n) for n in near)}?"
            ctx.fail(f"No such command {name!r}.{hint}")
        return super().resolve_command(ctx, args)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = self._lazy.get(cmd_name)
        if target is None:
            return super().get_command(ctx, cmd_name)
        module, attribute = target.split(":")
        command = getattr(importlib.import_module(f"{__name__}.{module}"), attribute)
        assert isinstance(command, click.Command), target
        return command


@click.group(cls=LazyGroup, lazy=COMMANDS)
@click.version_option(package_name="dccsim")
def main() -> None:
    """dccsim: a simulator of GB smart-metering DCC systems (DSP, SMI, CPL, devices)."""
