"""Benchmark scale: DCCSIM_BENCH_SCALE=full for the figures the README quotes; the default
`smoke` runs every benchmark on small inputs (CI: they must run, not meet numbers)."""

from __future__ import annotations

import os

import pytest

from dccsim.bench.host_speed import measure_host_speed
from dccsim.bench.interpreter import this_interpreter

FULL = os.environ.get("DCCSIM_BENCH_SCALE", "smoke") == "full"


@pytest.fixture(scope="session")
def scale() -> int:
    """Devices whose CPL entry is marked Removed (issue 6: 100,000 at full scale)."""
    return 100_000 if FULL else 2_000


@pytest.fixture(scope="session")
def fleet_scale() -> int:
    """Devices in the fleet-load benchmark (issue 6: 1,000,000 at full scale)."""
    return 1_000_000 if FULL else 2_000


def pytest_benchmark_update_machine_info(config: pytest.Config, machine_info: dict) -> None:
    """The host's speed the figures were measured at (dccsim.bench.host_speed) and the interpreter
    that made them (dccsim.bench.interpreter), in each report pytest-benchmark writes
    (`--benchmark-json`, `--benchmark-save`)."""
    machine_info["host_speed"] = measure_host_speed().as_dict()
    machine_info["interpreter"] = this_interpreter().as_dict()
