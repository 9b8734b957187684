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

import os
import platform
import sys
import sysconfig
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from dccsim.server.runtime.build import compiled_modules, describe

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
        build = describe(self.compiled_modules)
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
