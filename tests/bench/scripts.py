"""The scripts in benchmarks/ (not the `dccsim.bench` package), run as a person runs them."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def run_script(name: str, *args: str) -> str:
    """`python benchmarks/<name> args...` with this interpreter: its standard output, once it
    has exited 0 (an assertion with its standard error otherwise)."""
    run = subprocess.run(
        [sys.executable, str(BENCHMARKS / name), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


def load_script(name: str) -> ModuleType:
    """benchmarks/<name> as a module, to test its functions."""
    spec = importlib.util.spec_from_file_location(Path(name).stem, BENCHMARKS / name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
