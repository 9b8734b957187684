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


# The transports (gRPC, HTTP) read the DSP through the runtime's named queries and commands
# (server/runtime/queries.py, DspHost) only: they never take the host's lock, reach for its DSP
# or import the core's state. What reads where is then listed in one place, and the core may
# rearrange its state without a transport noticing.
TRANSPORTS = ("server/rpc", "server/http")
HOST_INTERNALS = frozenset({"lock", "dsp", "_dsp"})
# Files still reading the host's internals, each to move to a named query or command; the list
# must shrink as they do (a file that no longer offends fails the test until it is removed).
NOT_YET_THROUGH_QUERIES: set[str] = set()


def _host_internals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in HOST_INTERNALS:
            found.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.ImportFrom | ast.Import):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            found += [
                f"line {node.lineno}: import {name}"
                for name in names
                if name.startswith("dccsim.server.core.state")
            ]
    return found


def test_the_transports_read_the_dsp_through_named_queries_only() -> None:
    offences = {
        str(path.relative_to(ROOT)): found
        for folder in TRANSPORTS
        for path in sorted((ROOT / folder).rglob("*.py"))
        if (found := _host_internals(path))
    }
    new = {path: found for path, found in offences.items() if path not in NOT_YET_THROUGH_QUERIES}
    assert new == {}, "read through DspHost.queries or a named host command instead"
    fixed = sorted(NOT_YET_THROUGH_QUERIES - set(offences))
    assert not fixed, f"no longer reading the host's internals, remove from the list: {fixed}"


def test_the_internals_check_sees_what_it_looks_for(tmp_path: Path) -> None:
    sample = tmp_path / "servicer.py"
    sample.write_text(
        "from dccsim.server.core.state import DspState\n"
        "def read(host):\n"
        "    with host.lock:\n"
        "        return host.dsp.state.smi\n",
        encoding="utf-8",
    )
    assert _host_internals(sample) == [
        "line 1: import dccsim.server.core.state",
        "line 3: .lock",
        "line 4: .dsp",
    ]


# No server layer outside the core reaches into a DSP's state (`dsp.state.smi`,
# `host.dsp.state.users`): the runtime reads through the core's views (server/core/views.py) and
# the DSP's own methods. (The in-process tools in clients/ -- the demo, the test Sim -- drive a
# Dsp directly, as the core's own tests do.)
OUTSIDE_THE_CORE = ("server/runtime", "server/rpc", "server/http", "server/store")
# Files still reaching into it, each to move to a view; the list must shrink as they do.
NOT_YET_THROUGH_VIEWS: set[str] = set()


def _dsp_state_reads(path: Path) -> list[str]:
    """`<…>.dsp.state`, `<…>._dsp.state` and `dsp.state` (not, say, a config's `.state`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and node.attr == "state"):
            continue
        owner = node.value
        if (isinstance(owner, ast.Attribute) and owner.attr in {"dsp", "_dsp"}) or (
            isinstance(owner, ast.Name) and owner.id == "dsp"
        ):
            found.append(f"line {node.lineno}")
    return found


def test_nothing_outside_the_core_reads_a_dsps_state() -> None:
    offences = {
        str(path.relative_to(ROOT)): found
        for folder in OUTSIDE_THE_CORE
        for path in sorted((ROOT / folder).rglob("*.py"))
        if (found := _dsp_state_reads(path))
    }
    new = {path: found for path, found in offences.items() if path not in NOT_YET_THROUGH_VIEWS}
    assert new == {}, "read through dccsim.server.core.views (or a Dsp method) instead"
    fixed = sorted(NOT_YET_THROUGH_VIEWS - set(offences))
    assert not fixed, f"no longer reading a DSP's state, remove from the list: {fixed}"


def test_the_state_check_sees_what_it_looks_for(tmp_path: Path) -> None:
    sample = tmp_path / "reader.py"
    sample.write_text(
        "def read(host, dsp, config):\n"
        "    a = host.dsp.state.smi\n"
        "    b = dsp.state.users\n"
        "    return config.state\n",
        encoding="utf-8",
    )
    assert _dsp_state_reads(sample) == ["line 2", "line 3"]
