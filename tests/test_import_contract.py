"""The layering holds: the DSP core and the device models import no transport, no generated
protos and no store, so the same rules serve gRPC, DUIS over HTTP and a test alike."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# What a core or device module may not import (by module-name prefix).
FORBIDDEN = (
    "grpc",
    "google.protobuf",
    "aiohttp",
    "dccsim.v1",
    "dccsim.server.rpc",
    "dccsim.server.http",
    "dccsim.server.store",
    "dccsim.server.runtime",
    "dccsim.server.duis",
    "dccsim.clients",
)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("folder", ["server/core", "devices"])
def test_the_core_and_the_devices_import_no_transport_protos_or_store(folder: str) -> None:
    offences = {
        str(path.relative_to(ROOT)): sorted(
            name for name in _imports(path) if name.startswith(FORBIDDEN)
        )
        for path in sorted((ROOT / folder).rglob("*.py"))
    }
    assert {path: names for path, names in offences.items() if names} == {}


def test_the_devices_know_nothing_of_the_dsp() -> None:
    offences = {
        str(path.relative_to(ROOT)): sorted(
            name for name in _imports(path) if name.startswith("dccsim.server")
        )
        for path in sorted((ROOT / "devices").rglob("*.py"))
    }
    assert {path: names for path, names in offences.items() if names} == {}


def test_the_gbcs_layer_imports_no_transport_protos_store_or_duis() -> None:
    # GBCS sits over the core's values and the keys; DUIS and the transports sit over it.
    offences = {
        str(path.relative_to(ROOT)): sorted(
            name for name in _imports(path) if name.startswith(FORBIDDEN)
        )
        for path in sorted((ROOT / "server" / "gbcs").rglob("*.py"))
    }
    assert {path: names for path, names in offences.items() if names} == {}
