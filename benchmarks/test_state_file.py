"""What a durable change costs: the full 11.2 cycle of test_core.py run through the server's host,
in memory and with a state file, one caller (so every change is its own commit: the worst case;
under load, concurrent callers share commits).

    python -m pytest benchmarks/test_state_file.py \
        --benchmark-json benchmarks/results/state-file.json
"""

from __future__ import annotations

import itertools

import pytest

from dccsim.devices.kinds import DeviceType
from dccsim.server.core import commands
from dccsim.server.core.dsp import Dsp
from dccsim.server.core.fleet import EXAMPLE_DEVICE_IDS, SUPPLIER_A, example_fleet
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.requests import ReadFirmwareVersion, RequestId, ServiceRequest
from dccsim.server.runtime.host import DspHost
from dccsim.server.store import StateFile

ESME = EXAMPLE_DEVICE_IDS[DeviceType.ESME]


@pytest.mark.parametrize("state", ["in-memory", "normal", "full"])
def test_11_2_cycle_through_the_host(benchmark, tmp_path, state: str) -> None:
    """Submit and acknowledge, each a change the caller waits for."""
    dsp = Dsp()
    example_fleet().load_into(dsp)
    state_file = None
    if state != "in-memory":
        state_file = StateFile(tmp_path / "state.sqlite3", synchronous=state)  # type: ignore[arg-type]
        state_file.snapshot(dsp)
    host = DspHost(dsp, state_file=state_file)
    host.start()
    counters = itertools.count(1)

    def cycle():
        rid = RequestId(SUPPLIER_A, ESME, next(counters))
        request = ServiceRequest(
            rid, "11.2", CommandVariant.NON_CRITICAL_REMOTE, ReadFirmwareVersion()
        )
        answer = host.run_one(commands.Submit(request))
        host.run_one(commands.Acknowledge(SUPPLIER_A, host.dsp.outbox(SUPPLIER_A).last_sequence))
        return answer

    try:
        assert benchmark(cycle).code == "I99"
    finally:
        host.stop()
        host.close()
    if state_file is not None:
        assert state_file.commits >= 2  # each change of the last cycle was its own commit


def test_fleet_snapshot_and_restore_script_runs() -> None:
    """`fleet_load.py --state-file` (the 1,000,000-device snapshot figures), on a small fleet."""
    from fleet_load import measure

    result = measure(500, state_file=True)
    assert result["devices"] == 500
    assert set(result["state_file"]) >= {"snapshot_encode_seconds", "restore_seconds"}


def test_snapshot_pause_script_runs() -> None:
    """`snapshot_pause.py` (calls and memory across a background snapshot), on a small fleet."""
    from snapshot_pause import measure

    result = measure(2_000, callers=2, interval=0.01)
    assert result["devices"] == 2_000
    assert result["calls_during_snapshot"]["count"] > 0
    assert result["snapshot_recorded_through_change"] > 0
