"""`serve_in_process`: a real dccsim server inside the test's process, on free loopback ports.

It is `dccsim serve` without the command line: the same composition root (ServeConfig, start), so
a supplier's client meets the gRPC API, DUIS over HTTP and SMKI exactly as a separate server
would serve them, but the test needs no subprocess, no fixed port and no state file.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dccsim.clients.client import Client
from dccsim.server.core.baseline import Baseline
from dccsim.server.core.fleet import Fleet, example_fleet
from dccsim.server.core.fleet_file import parse_fleet
from dccsim.server.runtime.serve_config import ServeConfig, start

if TYPE_CHECKING:
    from dccsim.server.rpc.app import RunningServer
    from dccsim.server.runtime.host import DspHost

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class InProcessServer:
    """A running server: where to reach it, and a client for its gRPC API."""

    running: RunningServer

    @property
    def port(self) -> int:
        return self.running.port

    @property
    def address(self) -> str:
        """host:port of the gRPC API, for `Client(address)` or any gRPC channel."""
        return f"{LOOPBACK}:{self.port}"

    @property
    def duis_url(self) -> str | None:
        """Base URL of DUIS over HTTP (POST {duis_url}/api/v1/serviceS), None when switched off."""
        port = self.running.http_ports.duis
        return None if port is None else f"http://{LOOPBACK}:{port}"

    @property
    def smki_url(self) -> str | None:
        """Base URL of SMKI (POST {smki_url}/services/certificatesearch), None when off."""
        port = self.running.http_ports.smki
        return None if port is None else f"http://{LOOPBACK}:{port}"

    @property
    def host(self) -> DspHost:
        """The DSP's host, for a test that must look past the API (its `.dsp`)."""
        return self.running.host

    def client(self) -> Client:
        """A new gRPC client; close it (or use it in a `with`) when done."""
        return Client(self.address)


@contextmanager
def serve_in_process(
    fleet: Fleet | str | os.PathLike[str] | None = None,
    *,
    baseline: Baseline | str = Baseline.CURRENT,
    seed: int = 0,
    lose_activation_responses: float = 0.0,
    http: bool = True,
) -> Iterator[InProcessServer]:
    """Serve a fleet (a Fleet, a fleet file's path, or the embedded example fleet) until the
    block ends. Options as `dccsim serve` has them; `http=False` serves the gRPC API alone.
    Nothing is written to disk: the state is in memory, the keys are dccsim's test PKI."""
    config = ServeConfig(
        fleet=_fleet(fleet, seed),
        host=LOOPBACK,
        port=0,  # any free port: test runs in parallel never collide
        seed=seed,
        baseline=Baseline(baseline),
        lose_activation_responses=lose_activation_responses,
        state=None,
        http_port=0 if http else None,
        smki_port=0 if http else None,
    )
    running = start(config)
    try:
        yield InProcessServer(running)
    finally:
        running.stop(grace=None)


def example_fleet_file() -> Path:
    """examples/fleet.yaml as installed with dccsim (package data): two suppliers, a dual-fuel
    home and 200 generated ESMEs, about 10% SMETS1. A file to copy and change, or to serve."""
    # dccsim.examples holds data only, so it is a namespace package: its folders are its search
    # locations (importlib.resources' namespace support varies between Python 3.11 and 3.12).
    spec = importlib.util.find_spec("dccsim.examples")
    folders = [] if spec is None else list(spec.submodule_search_locations or [])
    for folder in folders:
        candidate = Path(folder, "fleet.yaml")
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("dccsim's examples/fleet.yaml is not installed")


def _fleet(fleet: Fleet | str | os.PathLike[str] | None, seed: int) -> Fleet:
    if fleet is None:
        return example_fleet()
    if isinstance(fleet, Fleet):
        return fleet
    return parse_fleet(Path(fleet).read_text(encoding="utf-8"), seed=seed)
