"""Which build of dccsim is running: pure Python, or with the request path compiled by mypyc
(`DCCSIM_USE_MYPYC=1`, setup.py; docs/performance.md, "A compiled build"). The server says so
when it starts, and every benchmark records it beside its figures: the two builds' figures
differ as much as two hosts'."""

from __future__ import annotations

import importlib
import importlib.machinery
from collections.abc import Sequence
from pathlib import Path

# The packages holding what setup.py compiles (pyproject.toml's [tool.dccsim] `mypyc`).
_COMPILED_PACKAGES = ("dccsim.server", "dccsim.devices")


def compiled_modules() -> tuple[str, ...]:
    """The dccsim modules Python imports from extension modules here, found where they are
    imported from (not by the install's records, which a source tree's egg-info can stand in
    for)."""
    suffixes = importlib.machinery.EXTENSION_SUFFIXES
    found: set[str] = set()
    endings = {Path(suffix).suffix for suffix in suffixes}  # ".so"; ".pyd" on Windows
    for name in _COMPILED_PACKAGES:
        for folder in importlib.import_module(name).__path__:
            for path in (p for ending in endings for p in Path(folder).rglob(f"*{ending}")):
                suffix = next((s for s in suffixes if path.name.endswith(s)), None)
                if suffix is not None:
                    relative = path.relative_to(folder).as_posix().removesuffix(suffix)
                    found.add(f"{name}.{relative.replace('/', '.')}")
    return tuple(sorted(found))


def describe(compiled: Sequence[str]) -> str:
    """ "pure Python", or "compiled with mypyc (N modules)"."""
    if not compiled:
        return "pure Python"
    count = len(compiled)
    return f"compiled with mypyc ({count} module{'' if count == 1 else 's'})"
