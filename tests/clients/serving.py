"""What the CLI tests share: running a command in-process, and `dccsim serve`'s ServeConfig
captured instead of served (the `captured` fixture, tests/clients/conftest.py)."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner, Result

from dccsim.clients.cli import main
from dccsim.server.runtime.serve_config import ServeConfig, start


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


def served_config(captured: list[ServeConfig], *args: str, **env: str) -> ServeConfig:
    """The ServeConfig `dccsim serve --in-memory ARGS` builds (with ENV set)."""
    result = run("serve", "--in-memory", *args, env=env)
    assert result.exit_code == 2 and "not served in this test" in result.output, result.output
    return captured.pop()


class _Stop(Exception):
    """Raised in place of starting a server, once its arguments are kept."""


def start_server_arguments(config: ServeConfig, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The keyword arguments `serve_config.start(config)` passes to `start_server` (which is not
    run: nothing is started)."""
    kept: list[dict[str, Any]] = []

    def start_server(*_args: object, **kwargs: Any) -> object:
        kept.append(kwargs)
        raise _Stop

    monkeypatch.setattr("dccsim.server.rpc.app.start_server", start_server)
    with pytest.raises(_Stop):
        start(config)
    return kept[0]
