"""The meter model: registers that advance with virtual time along each device's profile, and
half-hourly and daily figures derived from them that agree exactly (SRV-03)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dccsim.devices.consumption import (
    DEFAULT_PROFILES,
    EPOCH,
    HALF_HOUR,
    HALF_HOURS,
    ConsumptionModel,
    ConsumptionProfile,
)
from dccsim.devices.kinds import DeviceType
from dccsim.devices.meter_data import (
    HalfHour,
    ceil_half_hour,
    floor_half_hour,
    half_hours,
    largest_half_hour,
)

ESME = "00-DB-12-34-56-78-90-A0"
DAY = datetime(2026, 1, 1, tzinfo=UTC)
_instants = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)


def _readings(seed: int = 0, device_id: str = ESME, device_type: DeviceType = DeviceType.ESME):
    readings = ConsumptionModel(seed=seed).readings(device_id, device_type)
    assert readings is not None
    return readings


@pytest.mark.spec("SRV-03")
def test_the_register_advances_with_virtual_time() -> None:
    readings = _readings()
    day = [readings.import_register(DAY + timedelta(hours=h)) for h in range(25)]
    assert day == sorted(day)
    grown = day[-1] - day[0]
    # About a domestic day's electricity: the profile's 7.4 kWh, scaled by the device's spread
    # (±30%) and the season (January: up to +25%) and jitter (±20%).
    assert 7_400 * 0.7 * 0.8 < grown < 7_400 * 1.3 * 1.45


@pytest.mark.spec("SRV-03")
@given(start=_instants, hours=st.integers(0, 24 * 400))
def test_readings_never_run_backwards(start: datetime, hours: int) -> None:
    readings = _readings()
    later = start + timedelta(hours=hours, minutes=7)
    assert readings.import_register(later) >= readings.import_register(start)


@pytest.mark.spec("SRV-03")
@given(day=st.integers(0, 365 * 60), seed=st.integers(0, 2**32))
def test_a_days_half_hours_sum_to_its_register_growth(day: int, seed: int) -> None:
    readings = _readings(seed)
    midnight = EPOCH + timedelta(days=day)
    half_hours = readings.half_hours(midnight, HALF_HOURS)
    assert len(half_hours) == HALF_HOURS
    assert all(value >= 0 for value in half_hours)
    growth = readings.import_register(midnight + timedelta(days=1)) - readings.import_register(
        midnight
    )
    assert sum(half_hours) == growth


@pytest.mark.spec("SRV-03")
def test_daily_log_entries_are_differences_of_midnight_registers() -> None:
    readings = _readings()
    midnights = [DAY + timedelta(days=d) for d in range(8)]
    registers = [readings.import_register(m) for m in midnights]
    days = [readings.import_between(a, b) for a, b in itertools.pairwise(midnights)]
    assert days == [b - a for a, b in itertools.pairwise(registers)]
    assert len(set(days)) > 1  # days differ (jitter), yet always agree with the register


@pytest.mark.spec("SRV-03")
def test_the_evening_peak_and_the_winter_show() -> None:
    readings = _readings()
    half_hours = readings.half_hours(DAY, HALF_HOURS)
    assert max(half_hours[34:42]) > 2 * max(half_hours[:12])  # 17:00-21:00 against the night
    january = readings.import_between(DAY, DAY + timedelta(days=28))
    july = readings.import_between(DAY.replace(month=7), DAY.replace(month=7, day=29))
    assert january > july


@pytest.mark.spec("SRV-03")
def test_each_device_is_its_own_and_the_seed_repeats_it() -> None:
    at = DAY + timedelta(days=3, hours=5)
    ids = [f"00-DB-12-34-56-78-91-{n:02X}" for n in range(20)]
    values = [_readings(0, device_id).import_register(at) for device_id in ids]
    assert len(set(values)) == len(ids)
    assert values == [_readings(0, device_id).import_register(at) for device_id in ids]
    assert values != [_readings(1, device_id).import_register(at) for device_id in ids]


@pytest.mark.spec("SRV-03")
def test_gas_is_seasonal_and_export_follows_the_sun() -> None:
    gas = _readings(device_id="00-DB-12-34-56-78-90-A1", device_type=DeviceType.GSME)
    winter = gas.import_between(DAY, DAY + timedelta(days=7))
    summer = gas.import_between(DAY.replace(month=7), DAY.replace(month=7, day=8))
    assert winter > 2 * summer
    model = ConsumptionModel()
    model.overrides[ESME] = ConsumptionProfile(daily=7_400, export_daily=8_000)
    solar = model.readings(ESME, DeviceType.ESME)
    assert solar is not None
    noon = solar.half_hours(DAY.replace(hour=11), 4, export=True)
    night = solar.half_hours(DAY, 8, export=True)
    assert min(noon) > 0 and sum(night) == 0
    assert solar.export_register(DAY + timedelta(days=1)) > solar.export_register(DAY)


def test_devices_that_measure_nothing_have_no_readings() -> None:
    model = ConsumptionModel()
    for device_type in (DeviceType.CHF, DeviceType.PPMID, DeviceType.GPF, DeviceType.HCALCS):
        assert model.readings("00-DB-12-34-56-78-90-A2", device_type) is None
    assert set(DEFAULT_PROFILES) == {DeviceType.ESME, DeviceType.GSME}


def test_a_reading_before_the_epoch_is_the_starting_reading() -> None:
    readings = _readings()
    assert readings.import_register(EPOCH - HALF_HOUR) == readings.import_start


@pytest.mark.spec("BAD-01")
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"daily": -1}, "negative"),
        ({"shape": (1.0,) * 47}, "48"),
        ({"shape": (-1.0, *(1.0,) * 47)}, "negative"),
        ({"spread": 1.0}, "fractions"),
        ({"seasonal": 0.6, "jitter": 0.3}, "never runs backwards"),
    ],
)
def test_a_profile_that_would_run_backwards_is_refused(changes: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ConsumptionProfile(**{"daily": 1_000, **changes})


@pytest.mark.spec("SRV-03")
@given(start=_instants, count=st.integers(1, 200))
def test_half_hours_worked_out_by_day_equal_those_worked_out_one_by_one(
    start: datetime, count: int
) -> None:
    readings = _readings()
    flow = readings.imported
    aligned = start.replace(minute=30 if start.minute >= 30 else 0, second=0, microsecond=0)
    for at in (start, aligned):
        expected = [flow.cumulative(at + i * HALF_HOUR) for i in range(count)]
        assert flow.at_half_hours(at, count) == expected


@given(
    first_day=st.integers(min_value=-3, max_value=40_000),
    count=st.integers(min_value=1, max_value=60),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_registers_at_midnights_equal_the_register_read_at_each(
    first_day: int, count: int, seed: int
) -> None:
    flow = _readings(seed).imported
    expected = [
        flow.cumulative(EPOCH + timedelta(days=d)) for d in range(first_day, first_day + count)
    ]
    assert flow.at_midnights(first_day, count) == expected


@pytest.mark.parametrize("export", [False, True])
@given(
    start=st.datetimes(
        min_value=datetime(2025, 1, 1), max_value=datetime(2027, 1, 1), timezones=st.just(UTC)
    ),
    hours=st.integers(min_value=0, max_value=24 * 40),
    seed=st.integers(min_value=0, max_value=2**32),
    slots=st.none() | st.frozensets(st.integers(min_value=0, max_value=HALF_HOURS - 1), max_size=6),
)
def test_the_largest_half_hour_is_the_largest_of_them_all(
    export: bool, start: datetime, hours: int, seed: int, slots: frozenset[int] | None
) -> None:
    """4.12.x's maximum demand: the pruned search (day bounds, best first) finds what looking at
    every half-hour finds, the earliest of equals."""
    readings = _readings(seed, device_type=DeviceType.ESME)
    until = start + timedelta(hours=hours)
    found = largest_half_hour(readings, start, until, export=export, slots=slots)
    first, end = ceil_half_hour(start), floor_half_hour(until)
    every = [
        HalfHour(first + i * HALF_HOUR, value)
        for i, value in enumerate(half_hours(readings, first, end, export=export))
        if slots is None or _slot_of(first + i * HALF_HOUR) in slots
    ]
    expected = max(every, key=lambda h: (h.value, -h.start.timestamp()), default=None)
    assert found == expected


def _slot_of(at: datetime) -> int:
    return at.hour * 2 + at.minute // 30
