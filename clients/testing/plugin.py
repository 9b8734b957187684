"""dccsim's pytest plugin: fixtures for a supplier's own test suite.

Installing dccsim registers it (the `pytest11` entry point in pyproject.toml), so these fixtures
are there in every pytest run without a conftest.py:

- `dccsim_sim`: a `Sim`, the DSP in the test's process on the example fleet (no server).
- `dccsim_server`: a real server on free loopback ports (gRPC, DUIS over HTTP, SMKI), one per
  test, stopped after it.
- `dccsim_client`: a gRPC `Client` connected to `dccsim_server`.

A test changes its server with the `dccsim` marker, whose keywords are `serve_in_process`'s:
`@pytest.mark.dccsim(baseline="pre-MP105", lose_activation_responses=0.2, fleet="fleet.yaml")`.
A relative fleet path is read from pytest's rootdir; the `dccsim_fleet` ini option sets one for
the whole suite. See docs/testing.md.

Every fixture is named dccsim_* so none can shadow a fixture of the suite that loads it; the
heavy imports (grpc, the server) wait until a fixture is used.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from dccsim.clients.client import Client
    from dccsim.testing.server import InProcessServer
    from dccsim.testing.sim import Sim

MARKER = "dccsim"
FLEET_INI = "dccsim_fleet"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        FLEET_INI,
        "Fleet file (YAML) the dccsim_server fixture serves, relative to the rootdir "
        "(default: dccsim's embedded example fleet).",
        default="",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**options): options for the dccsim_server fixture: fleet, baseline, seed, "
        "lose_activation_responses, http (see dccsim.testing.serve_in_process)",
    )


@pytest.fixture
def dccsim_sim() -> Sim:
    """The simulated DSP in this process, on the example fleet, under the current baseline."""
    from dccsim.testing.sim import make_sim

    return make_sim()


@pytest.fixture
def dccsim_server(request: pytest.FixtureRequest) -> Iterator[InProcessServer]:
    """A dccsim server for this test (see the `dccsim` marker for its options)."""
    from dccsim.testing.server import serve_in_process

    with serve_in_process(**_server_options(request)) as server:
        yield server


@pytest.fixture
def dccsim_client(dccsim_server: InProcessServer) -> Iterator[Client]:
    """A gRPC client of `dccsim_server`."""
    with dccsim_server.client() as client:
        yield client


def _server_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    options: dict[str, Any] = {}
    configured = str(request.config.getini(FLEET_INI))
    if configured:
        options["fleet"] = configured
    marker = request.node.get_closest_marker(MARKER)
    if marker is not None:
        if marker.args:
            raise pytest.UsageError(f"@pytest.mark.{MARKER} takes keywords only")
        options.update(marker.kwargs)
    fleet = options.get("fleet")
    if isinstance(fleet, str | Path):
        options["fleet"] = Path(request.config.rootpath, fleet)  # an absolute path stays as is
    return options
