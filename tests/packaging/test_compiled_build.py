"""The opt-in compiled build (setup.py, DCCSIM_USE_MYPYC=1; docs/performance.md, "A compiled
build"). .ci/run builds it and runs every test and benchmark again on it; here, what the build
itself promises."""

from __future__ import annotations

import os
import subprocess
import sys

from dccsim.server.runtime.build import describe
from tests.processes import Served
from tests.project import ROOT, compiled_module_list, project_config


def test_an_editable_compiled_install_is_refused_before_anything_is_built() -> None:
    # Compiled modules in the source tree would shadow the sources a developer edits.
    before = sorted(ROOT.glob("build/*"))
    done = subprocess.run(
        [sys.executable, "setup.py", "editable_wheel"],
        cwd=ROOT,
        env={**os.environ, "DCCSIM_USE_MYPYC": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "not an editable one" in done.stderr
    assert sorted(ROOT.glob("build/*")) == before


def test_the_compiled_modules_exist_and_none_must_stay_interpreted() -> None:
    folders = project_config()["tool"]["setuptools"]["package-dir"]
    compiled = compiled_module_list()
    assert len(set(compiled)) == len(compiled)  # no module twice
    for module in compiled:
        package, name = module.rsplit(".", 1)
        owner = max((p for p in folders if package == p or package.startswith(p + ".")), key=len)
        inner = package.removeprefix(owner).strip(".").split(".") if package != owner else []
        assert (ROOT / folders[owner]).joinpath(*inner, f"{name}.py").is_file(), module
    # A compiled class checks its fields' types when built, and compiled code casts what it
    # reads: the request values and their validation stay interpreted so a value of the wrong
    # type is answered with INVALID_ARGUMENT naming the field (BAD-01), not a TypeError.
    kept = ("requests", "validation", "fields", "services")
    assert not [m for m in compiled if any(f".core.{k}" in m for k in kept)]


def test_the_server_says_which_build_it_runs() -> None:
    # .ci/run runs this on both builds: "pure Python" on the first, the count on the second.
    expected = (
        f"compiled with mypyc ({len(compiled_module_list())} modules)"
        if os.environ.get("DCCSIM_USE_MYPYC") == "1"
        else "pure Python"
    )
    served = Served("--in-memory", "--no-http", "--no-smki")
    try:
        assert served.serving["message"].endswith(f"; {expected}")
    finally:
        served.terminate()
    assert describe(()) == "pure Python"
    assert describe(("dccsim.server.core.dsp",)) == "compiled with mypyc (1 module)"
