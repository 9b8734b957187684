"""What the CLI tests share: running a command in-process, and `dccsim serve`'s ServeConfig
captured instead of served (the `captured` fixture, tests/clients/conftest.py)."""

from __future__ import annotations

from click.testing import CliRunner, Result

from dccsim.clients.cli import main
from dccsim.server.runtime.serve_config import ServeConfig


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


def served_config(captured: list[ServeConfig], *args: str, **env: str) -> ServeConfig:
    """The ServeConfig `dccsim serve --in-memory ARGS` builds (with ENV set)."""
    result = run("serve", "--in-memory", *args, env=env)
    assert result.exit_code == 2 and "not served in this test" in result.output, result.output
    return captured.pop()
