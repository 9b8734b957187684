"""Shared fixtures: a DSP loaded with the example fleet, and a request builder."""

from __future__ import annotations

from pathlib import Path

import pytest

from dccsim.devices.kinds import DeviceType
from dccsim.server.core.baseline import Baseline
from dccsim.server.core.fleet import (
    EXAMPLE_DEVICE_IDS,
    EXAMPLE_FIRMWARE,
    EXAMPLE_MANUFACTURER,
    EXAMPLE_NEW_FIRMWARE,
    NETWORK_OPERATOR,
    SUPPLIER_A,
    SUPPLIER_B,
    example_model,
)

# The tests drive the DSP with the helper suppliers' own suites get (dccsim.testing).
from dccsim.testing.sim import NEW_IMAGE, NEW_IMAGE_HASH, Sim, example_dsp, make_sim

# The `serve` fixture: `dccsim serve` in a child process.
pytest_plugins = ["tests.processes"]

SHARED = Path(__file__).resolve().parents[2] / "shared"
# DCC's Reference Test Data Set: a DUIS request template for every SRV (tests/duis/test_rtds.py).
RTDS_DIR = SHARED / "duis-samples" / "rtds"

ESME = EXAMPLE_DEVICE_IDS[DeviceType.ESME]
GSME = EXAMPLE_DEVICE_IDS[DeviceType.GSME]
CHF = EXAMPLE_DEVICE_IDS[DeviceType.CHF]
GPF = EXAMPLE_DEVICE_IDS[DeviceType.GPF]
PPMID = EXAMPLE_DEVICE_IDS[DeviceType.PPMID]
HCALCS = EXAMPLE_DEVICE_IDS[DeviceType.HCALCS]

__all__ = [
    "CHF", "ESME", "EXAMPLE_FIRMWARE", "EXAMPLE_MANUFACTURER", "EXAMPLE_NEW_FIRMWARE", "GPF",
    "GSME", "HCALCS", "NETWORK_OPERATOR", "NEW_IMAGE", "NEW_IMAGE_HASH", "PPMID", "RTDS_DIR",
    "SHARED", "SUPPLIER_A", "SUPPLIER_B", "Sim", "example_dsp", "example_model", "make_sim",
]  # fmt: skip


@pytest.fixture
def sim() -> Sim:
    return make_sim()


@pytest.fixture
def pre_mp105_sim() -> Sim:
    return make_sim(Baseline.PRE_MP105)
