"""Benchmark scale: DCCSIM_BENCH_SCALE=full for the figures the README quotes; the default
`smoke` runs every benchmark on small inputs (CI: they must run, not meet numbers)."""

from __future__ import annotations

import os

import pytest

FULL = os.environ.get("DCCSIM_BENCH_SCALE", "smoke") == "full"


@pytest.fixture(scope="session")
def scale() -> int:
    """Devices in the large-fleet benchmarks."""
    return 100_000 if FULL else 2_000
