"""dccsim for a supplier's own test suite: import this as `dccsim.testing`.

- `Sim` / `make_sim`: the simulated DSP in the test's process, driven like a test script.
- `serve_in_process` / `InProcessServer`: a real server (gRPC, DUIS over HTTP, SMKI) on free
  loopback ports for the length of a `with` block.
- The pytest fixtures `dccsim_sim`, `dccsim_server` and `dccsim_client` (dccsim.testing.plugin),
  registered with pytest when dccsim is installed.

The source lives in clients/testing/ (it drives the simulator from outside, as the clients do)
and installs as the top-level `dccsim.testing` (pyproject.toml's package-dir), the name the docs
use; see docs/testing.md.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dccsim.server.core.fleet import (
        EXAMPLE_DEVICE_IDS,
        EXAMPLE_FIRMWARE,
        EXAMPLE_NEW_FIRMWARE,
        NETWORK_OPERATOR,
        SUPPLIER_A,
        SUPPLIER_B,
    )
    from dccsim.testing.server import InProcessServer, example_fleet_file, serve_in_process
    from dccsim.testing.sim import NEW_IMAGE, NEW_IMAGE_HASH, Sim, make_sim

# Loaded on first use (PEP 562): pytest imports this package for the plugin in every run of every
# suite where dccsim is installed, and the server, grpc and the fleet take half a second to load.
_HOMES = {
    "EXAMPLE_DEVICE_IDS": "dccsim.server.core.fleet",
    "EXAMPLE_FIRMWARE": "dccsim.server.core.fleet",
    "EXAMPLE_NEW_FIRMWARE": "dccsim.server.core.fleet",
    "NETWORK_OPERATOR": "dccsim.server.core.fleet",
    "SUPPLIER_A": "dccsim.server.core.fleet",
    "SUPPLIER_B": "dccsim.server.core.fleet",
    "InProcessServer": "dccsim.testing.server",
    "serve_in_process": "dccsim.testing.server",
    "example_fleet_file": "dccsim.testing.server",
    "NEW_IMAGE": "dccsim.testing.sim",
    "NEW_IMAGE_HASH": "dccsim.testing.sim",
    "Sim": "dccsim.testing.sim",
    "make_sim": "dccsim.testing.sim",
}
__all__ = [
    "EXAMPLE_DEVICE_IDS",
    "EXAMPLE_FIRMWARE",
    "EXAMPLE_NEW_FIRMWARE",
    "NETWORK_OPERATOR",
    "NEW_IMAGE",
    "NEW_IMAGE_HASH",
    "SUPPLIER_A",
    "SUPPLIER_B",
    "InProcessServer",
    "Sim",
    "example_fleet_file",
    "make_sim",
    "serve_in_process",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)


def __dir__() -> list[str]:
    return __all__
