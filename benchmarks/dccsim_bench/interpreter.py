"""Which Python made a run's figures.

dccsim's Python-bound figures depend on how the interpreter was built as much as on the host:
on this development machine a CPython built without profile-guided optimisation (the venv the
README's `python3` makes) runs the core's cycles markedly slower than a distribution's build on
the same core (docs/performance.md has the figures). So a run records the interpreter beside the
host's speed: two runs' figures compare only when both match.

What a build was configured with is recorded where the interpreter says (`sysconfig`); a
distribution's build often does not say (Debian's is optimised but names no option), so the
host-speed reference loop, run by the same interpreter, is the measure to compare.

So is dccsim's own build: a DCCSIM_USE_MYPYC=1 install runs its hot path compiled with mypyc
(setup.py; docs/performance.md, "A compiled build"), which changes the core's figures as much.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import os
import platform
import sys
import sysconfig
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

# The packages holding what setup.py compiles (pyproject.toml's [tool.dccsim] `mypyc`).
_COMPILED_PACKAGES = ("dccsim.server", "dccsim.devices")
# The configure options that change how fast CPython runs Python code.
_SPEED_OPTIONS = ("--enable-optimizations", "--with-lto")


@dataclass(frozen=True, slots=True)
class Interpreter:
    implementation: str  # "CPython"
    version: str  # "3.11.7"
    # Resolved: a venv's `python` is a link to the interpreter the venv was made from.
    executable: str
    compiler: str  # as platform.python_compiler() gives it
    speed_options: tuple[str, ...]  # those of _SPEED_OPTIONS its build names (often none)
    # The dccsim modules installed compiled (none: the pure-Python build).
    compiled_modules: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Interpreter:
        return cls(
            implementation=str(data["implementation"]),
            version=str(data["version"]),
            executable=str(data["executable"]),
            compiler=str(data["compiler"]),
            speed_options=tuple(data["speed_options"]),  # a list, once through JSON
            # (absent from results saved before it was recorded: those ran pure Python)
            compiled_modules=tuple(data.get("compiled_modules", ())),
        )

    def describe(self) -> str:
        options = f", configured with {' '.join(self.speed_options)}" if self.speed_options else ""
        count = len(self.compiled_modules)
        build = f"compiled with mypyc ({count} modules)" if count else "pure Python"
        return f"{self.implementation} {self.version} at {self.executable}{options}; dccsim {build}"


def this_interpreter() -> Interpreter:
    configured = str(sysconfig.get_config_var("CONFIG_ARGS") or "")
    return Interpreter(
        implementation=platform.python_implementation(),
        version=platform.python_version(),
        executable=os.path.realpath(sys.executable),
        compiler=platform.python_compiler(),
        speed_options=tuple(option for option in _SPEED_OPTIONS if option in configured),
        compiled_modules=compiled_modules(),
    )


def compiled_modules() -> tuple[str, ...]:
    """The dccsim modules Python imports from extension modules here: those of the packages a
    compiled build compiles, found where they are imported from (not by the install's records,
    which a source tree's egg-info can stand in for)."""
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
