"""The interpreter recorded beside a run's figures (dccsim.bench.interpreter)."""

from __future__ import annotations

import importlib
import json
import os
import platform
import sys

import pytest

from dccsim.bench import interpreter
from dccsim.bench.interpreter import Interpreter, this_interpreter
from dccsim.bench.report import interpreter_line
from tests.bench.scripts import load_script, run_script
from tests.project import compiled_module_list


def test_the_interpreter_is_the_one_running_resolved_through_the_venv_link() -> None:
    found = this_interpreter()
    assert found.implementation == platform.python_implementation()
    assert found.version == platform.python_version()
    assert found.executable == os.path.realpath(sys.executable)
    assert os.path.isfile(found.executable) and not os.path.islink(found.executable)
    # Through JSON (a report file) and back, unchanged.
    assert Interpreter.from_dict(json.loads(json.dumps(found.as_dict()))) == found


@pytest.mark.parametrize(
    ("configured", "expected"),
    [
        (
            "'--prefix=/usr/local' '--enable-optimizations' '--with-lto'",
            ("--enable-optimizations", "--with-lto"),
        ),
        ("'--prefix=/root/.pyenv/versions/3.11.7' '--enable-shared'", ()),
        (None, ()),  # an interpreter that keeps no configure line
    ],
)
def test_the_speed_options_are_those_the_build_names(
    monkeypatch: pytest.MonkeyPatch, configured: str | None, expected: tuple[str, ...]
) -> None:
    monkeypatch.setattr(interpreter.sysconfig, "get_config_var", lambda name: configured)
    assert this_interpreter().speed_options == expected


def test_the_bench_prints_which_interpreter_made_its_figures() -> None:
    built = Interpreter("CPython", "3.11.7", "/opt/py/bin/python3.11", "GCC 12.2.0", ())
    assert interpreter_line({"interpreter": built.as_dict()}) == (
        "interpreter: CPython 3.11.7 at /opt/py/bin/python3.11; dccsim pure Python"
    )
    optimised = Interpreter(
        "CPython", "3.11.9", "/usr/bin/python3.11", "GCC", ("--with-lto",), ("dccsim.a", "dccsim.b")
    )
    assert interpreter_line({"interpreter": optimised.as_dict()}) == (
        "interpreter: CPython 3.11.9 at /usr/bin/python3.11, configured with --with-lto;"
        " dccsim compiled with mypyc (2 modules)"
    )
    assert interpreter_line({}) is None  # a report from before it was recorded
    # A report saved before the build was recorded: it ran pure Python.
    older = {k: v for k, v in built.as_dict().items() if k != "compiled_modules"}
    assert Interpreter.from_dict(older) == built


def test_the_compiled_modules_are_those_the_build_compiled() -> None:
    """.ci/run checks both builds: the pure one, then DCCSIM_USE_MYPYC=1's (setup.py)."""
    found = this_interpreter().compiled_modules
    if os.environ.get("DCCSIM_USE_MYPYC") == "1":
        assert set(found) == set(compiled_module_list())
        # and they are what runs: an extension module, not the source beside it
        module = importlib.import_module(found[0])
        assert module.__file__ is not None and not module.__file__.endswith(".py")
    else:
        assert found == ()


def test_the_interpreters_script_runs_the_cycle_benchmarks_under_each_and_sums_them_up() -> None:
    output = run_script("interpreters.py", "--rounds", "1", "--no-save")
    [line] = output.splitlines()  # one interpreter, one round
    figures = json.loads(line)
    assert figures["python"] == sys.executable and figures["round"] == 1
    cycles = figures["cycles_us"]
    assert {"test_full_11_2_cycle", "test_11_3_cycle_without_the_users_signing"} <= set(cycles)
    assert all(0 < cell["min"] <= cell["median"] for cell in cycles.values())


def test_the_summary_gives_each_interpreters_least_time_and_median_per_cycle() -> None:
    script = load_script("interpreters.py")
    runs = [
        {"python": "a", "cycles_us": {"c": {"min": 30.0, "median": 33.0}}},
        {"python": "b", "cycles_us": {"c": {"min": 20.0, "median": 22.0}}},
        {"python": "a", "cycles_us": {"c": {"min": 29.0, "median": 35.0}}},
        {"python": "a", "cycles_us": {"c": {"min": 31.0, "median": 31.0}}},
    ]
    assert script.summary(runs) == {
        "a": {"c": {"least_min": 29.0, "median_of_medians": 33.0}},
        "b": {"c": {"least_min": 20.0, "median_of_medians": 22.0}},
    }
