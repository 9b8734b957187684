"""Fixtures of the CLI tests: `dccsim serve`'s config captured, and servers started from one."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from dccsim.clients.cli import serve as serve_command
from dccsim.server.rpc.app import RunningServer
from dccsim.server.runtime.serve_config import ConfigError, ServeConfig, start


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> list[ServeConfig]:
    """`dccsim serve` builds its ServeConfig, which is kept here instead of being served."""
    configs: list[ServeConfig] = []

    def keep(config: ServeConfig) -> RunningServer:
        configs.append(config)
        raise ConfigError("port", "not served in this test")

    monkeypatch.setattr(serve_command, "start", keep)
    monkeypatch.setattr(serve_command.logs, "configure", lambda *_: None)
    return configs


@pytest.fixture
def started() -> Iterator[Callable[[ServeConfig], RunningServer]]:
    """Start servers from ServeConfigs; each is stopped after the test."""
    running: list[RunningServer] = []

    def begin(config: ServeConfig) -> RunningServer:
        running.append(start(config))
        return running[-1]

    yield begin
    for server in running:
        server.stop(grace=None)
