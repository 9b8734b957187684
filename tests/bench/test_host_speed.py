"""The host's speed recorded beside a run's figures (dccsim.bench.host_speed)."""

from __future__ import annotations

import pytest

from dccsim.bench.host_speed import HostSpeed, drift, drift_note, main, measure_host_speed
from dccsim.bench.report import contention_notes, host_speed_line

STEADY = HostSpeed(
    python_loop_ns=50.0, memory_lookup_ns=300.0, p256_sign_us=28.0, p256_verify_us=75.0
)
SLOWER = HostSpeed(
    python_loop_ns=52.0, memory_lookup_ns=310.0, p256_sign_us=43.0, p256_verify_us=115.0
)


def test_a_measure_of_the_host_is_cpu_time_per_unit_of_reference_work() -> None:
    speed = measure_host_speed(rounds=1, iterations=5_000, entries=5_000, signatures=3)
    assert all(measure > 0 for measure in speed.measures())
    assert HostSpeed.from_dict(speed.as_dict()) == speed


def test_drift_is_the_largest_relative_change_of_one_measure() -> None:
    assert drift(STEADY, STEADY) == 0
    # The memory lookup is recorded but too noisy to call a change of host on its own.
    assert drift(STEADY, HostSpeed(50.0, 450.0, 28.0, 75.0)) == 0
    # The sign time moved most: 28 -> 43 us is +54%.
    assert abs(drift(STEADY, SLOWER) - 15 / 28) < 1e-9
    assert abs(drift(SLOWER, STEADY) - 15 / 43) < 1e-9


def test_a_run_whose_host_changed_speed_says_so_and_a_steady_one_does_not() -> None:
    assert drift_note(STEADY, HostSpeed(55.0, 330.0, 30.0, 80.0)) is None  # within 15%
    note = drift_note(STEADY, SLOWER)
    assert note is not None
    assert note.startswith("the host's speed changed by 54% during the run")
    assert "P-256 sign 28.0 us" in note and "P-256 sign 43.0 us" in note


def test_the_bench_report_carries_the_host_speed_and_its_drift() -> None:
    machine = {"host_speed_at_start": STEADY.as_dict(), "host_speed_at_end": SLOWER.as_dict()}
    report = {"machine": machine, "modes": {}}
    [note] = contention_notes(report)
    assert "the host's speed changed by 54%" in note
    assert host_speed_line(machine) == (
        "host speed: Python loop 50.0 ns/iteration, memory lookup 300 ns, P-256 sign 28.0 us, "
        "verify 75.0 us"
    )
    steady = {"host_speed_at_start": STEADY.as_dict(), "host_speed_at_end": STEADY.as_dict()}
    assert contention_notes({"machine": steady, "modes": {}}) == []
    assert host_speed_line({}) is None


def test_the_host_speed_runs_as_a_command_once_or_as_a_series(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main([])
    [once] = capsys.readouterr().out.splitlines()
    assert once.startswith("Python loop ") and once.endswith(" us")
    main(["--for", "1.2", "--every", "0.3"])  # a measure takes ~0.15 s, more when loaded
    series = capsys.readouterr().out.splitlines()
    assert len(series) >= 2 and all(" s  Python loop " in line for line in series)
