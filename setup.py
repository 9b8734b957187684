"""dccsim's build, for one option: DCCSIM_USE_MYPYC=1 compiles the simulator's hot path (mypyc).

Everything about the package itself is declared in pyproject.toml; without the variable this file
changes nothing. The compiled build is opt-in (docs/performance.md, "A compiled build"): it needs a
C compiler, Python's headers and mypy where it is built, so it is made with
`--no-build-isolation` in a virtual environment that has the test extra, and never editable (the
compiled modules would shadow the sources being edited).
"""

from __future__ import annotations

import os
import shutil
import sys
import tomllib
from pathlib import Path
from typing import Any

from setuptools import setup

ROOT = Path(__file__).resolve().parent
# The commands that build extensions; metadata steps (egg_info, dist_info) skip mypy's analysis.
BUILDING = {"build", "build_ext", "bdist_wheel", "install"}


def compiling() -> bool:
    if os.environ.get("DCCSIM_USE_MYPYC") != "1":
        return False
    if "editable_wheel" in sys.argv:
        sys.exit("DCCSIM_USE_MYPYC=1 is for a regular install (pip install .), not an editable one")
    return bool(BUILDING.intersection(sys.argv[1:]))


def compiled_extensions() -> list[Any]:
    """mypyc's extensions for the modules pyproject.toml's [tool.dccsim] `mypyc` lists."""
    from mypyc.build import mypycify  # a build need only with DCCSIM_USE_MYPYC=1

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    # The sources install under the `dccsim` namespace through package-dir mappings, which mypy
    # cannot follow (as .ci/typecheck says): lay the namespace out as mypy and the compiled
    # modules' names need it, in the build folder.
    stage = ROOT / "build" / "mypyc-src"
    shutil.rmtree(stage, ignore_errors=True)
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.so")
    for package, folder in config["tool"]["setuptools"]["package-dir"].items():
        target = stage.joinpath(*package.split("."))
        shutil.copytree(ROOT / folder, target, ignore=skip, dirs_exist_ok=True)
    (stage / "dccsim" / "__init__.py").write_text("", encoding="utf-8")
    modules: list[str] = config["tool"]["dccsim"]["mypyc"]
    paths = [str(Path(*module.split(".")).with_suffix(".py")) for module in modules]
    # From the laid-out namespace: mypy finds the modules the compiled ones import there, and
    # reads no configuration (.ci/typecheck checks the code; this only compiles it).
    here = os.getcwd()
    os.chdir(stage)
    try:
        return list(mypycify(paths, opt_level="3", target_dir=str(ROOT / "build" / "mypyc-c")))
    finally:
        os.chdir(here)


def clear_built_modules() -> None:
    """Forget the modules an earlier build left in build/: a pure build after a compiled one
    would otherwise ship its stale extension modules, which Python imports before the sources."""
    for built in (ROOT / "build").glob("lib*"):
        shutil.rmtree(built, ignore_errors=True)


if BUILDING.intersection(sys.argv[1:]):
    clear_built_modules()
setup(ext_modules=compiled_extensions() if compiling() else [])
