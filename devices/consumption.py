"""What a meter measures: energy (or gas volume) flowing through it as virtual time passes.

Nothing here is stored per device or per half-hour. A device's consumption is a pure function of
its profile, a seed and its EUI, so a register reading, a day's half-hourly profile or a daily
read log is *derived* at the instant it is read, and they agree with each other exactly:

- `cumulative(t)` is the energy since the model's epoch, in whole units (Wh, or litres of gas);
- a register reads `start + cumulative(t)`;
- a half-hour's consumption is `cumulative(end) - cumulative(start)`, so a day's 48 half-hours
  sum to that day's register growth, and a daily log entry is the register at midnight.

The shape of a day comes from the profile's 48 half-hourly weights. Days differ by a seasonal
swing (closed-form, so `cumulative` costs the same for a day or a decade) and a seeded day-to-day
jitter that telescopes: day d carries `J(d+1) - J(d)`, so the sum over any run of days is
`J(end) - J(start)` and never needs a loop over days.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from itertools import accumulate, pairwise

from dccsim.devices.kinds import DeviceType

HALF_HOURS = 48
HALF_HOUR = timedelta(minutes=30)
# Every device's consumption is counted from here; the clock never runs before it in practice,
# and a reading before it is simply the starting reading.
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_DAY_SECONDS = 86_400
_YEAR_DAYS = 365.25
# The day of the year consumption peaks (mid-January: the heating season).
_PEAK_DAY = 15


def _normalised(weights: tuple[float, ...]) -> tuple[float, ...]:
    total = sum(weights)
    return tuple(w / total for w in weights)


# A domestic day: low overnight, a morning rise, an evening peak (half-hours from 00:00 UTC).
DOMESTIC_SHAPE = _normalised(
    (
        *(0.5,) * 12,  # 00:00-06:00
        *(1.0, 1.4, 1.8, 1.6, 1.2, 1.0),  # 06:00-09:00
        *(0.9,) * 16,  # 09:00-17:00
        *(1.6, 2.2, 2.6, 2.6, 2.2, 1.8, 1.4, 1.2),  # 17:00-21:00
        *(0.9, 0.8, 0.7, 0.6, 0.6, 0.5),  # 21:00-24:00
    )
)
# Export (solar): nothing at night, a midday bell.
SOLAR_SHAPE = _normalised(
    tuple(max(0.0, math.sin(math.pi * (h - 12) / 20)) if 12 <= h < 32 else 0.0 for h in range(48))
)


@dataclass(frozen=True, slots=True)
class ConsumptionProfile:
    """How much a kind of meter measures per day, and when in the day.

    `daily` is the average per day in the meter's unit (Wh of active import for an ESME, litres
    for a GSME); `export_daily` the average export (Wh; 0 for none). `spread` scales each device
    by a seeded factor in [1 - spread, 1 + spread]; `seasonal` is the swing between winter and
    summer; `jitter` the seeded day-to-day variation, as fractions of `daily`.
    """

    daily: int
    export_daily: int = 0
    shape: tuple[float, ...] = DOMESTIC_SHAPE
    export_shape: tuple[float, ...] = SOLAR_SHAPE
    spread: float = 0.3
    seasonal: float = 0.25
    jitter: float = 0.1

    def __post_init__(self) -> None:
        # These bounds keep every day's and every half-hour's consumption non-negative.
        if self.daily < 0 or self.export_daily < 0:
            raise ValueError("daily consumption cannot be negative")
        if len(self.shape) != HALF_HOURS or len(self.export_shape) != HALF_HOURS:
            raise ValueError(f"a day's shape has {HALF_HOURS} half-hourly weights")
        if any(w < 0 for w in (*self.shape, *self.export_shape)):
            raise ValueError("shape weights cannot be negative")
        if not (0 <= self.spread < 1 and 0 <= self.seasonal < 1 and self.jitter >= 0):
            raise ValueError("spread and seasonal are fractions below 1; jitter is not negative")
        if self.seasonal + 2 * self.jitter >= 1:
            raise ValueError("seasonal + 2 x jitter must stay below 1 (a day never runs backwards)")


# Typical domestic figures: about 2,700 kWh of electricity and 12,000 kWh of gas a year.
DEFAULT_PROFILES: Mapping[DeviceType, ConsumptionProfile] = {
    DeviceType.ESME: ConsumptionProfile(daily=7_400),
    DeviceType.GSME: ConsumptionProfile(daily=3_000, seasonal=0.6, jitter=0.15),
}


@dataclass(frozen=True, slots=True)
class Flow:
    """One direction of one device's flow: a daily total in units, its shape, and the device's
    seeded variations. Cheap to make; every reading is computed from it."""

    daily: float  # this device's average per day (the profile's, scaled by its spread)
    cumulative_shape: tuple[float, ...]  # 49 running sums of the shape: 0 ... 1
    seasonal: float
    jitter: float
    key: int  # the device's seeded 64-bit identity for jitter
    j0: float  # the jitter of day 0, which every sum of days subtracts

    def cumulative(self, at: datetime) -> int:
        """Whole units since EPOCH."""
        seconds = (at - EPOCH).total_seconds()
        if seconds <= 0 or self.daily == 0:
            return 0
        day, into = divmod(seconds, _DAY_SECONDS)
        days = int(day)
        slot, part = divmod(into / (_DAY_SECONDS / HALF_HOURS), 1)
        k = int(slot)
        shape = self.cumulative_shape
        fraction = shape[k] + (shape[k + 1] - shape[k]) * part
        total = self._days(days) + fraction * self._day(days)
        return int(total)

    def at_midnights(self, first_day: int, count: int) -> list[int]:
        """`cumulative` at the start of each of `count` days from day `first_day` (days since
        EPOCH): there the day's shape adds nothing, so each is the sum of the days before it,
        without the date arithmetic (a maximum-demand read asks for 13 months of them)."""
        if self.daily == 0:
            return [0] * count
        return [int(self._days(d)) for d in range(first_day, first_day + count)]

    def at_half_hours(self, start: datetime, count: int) -> list[int]:
        """`cumulative` at `count` half-hour boundaries from `start`: each day's totals are
        worked out once, not once per half-hour (a 4.8.1 profile read asks for 48)."""
        seconds = (start - EPOCH).total_seconds()
        slot_seconds = _DAY_SECONDS / HALF_HOURS
        first, off = divmod(seconds, slot_seconds)
        if off or seconds < 0 or self.daily == 0:  # not on a boundary: the general way
            return [self.cumulative(start + i * HALF_HOUR) for i in range(count)]
        marks: list[int] = []
        shape = self.cumulative_shape
        index, end = int(first), int(first) + count
        while index < end:
            day, slot = divmod(index, HALF_HOURS)
            last = min(HALF_HOURS, slot + end - index)  # this day's slots, at most to midnight
            base = self._days(day)
            if last == 1:  # only the day's midnight (a period ending at 00:00): no day total
                marks.append(int(base))
            else:
                whole = self._day(day)
                marks.extend([int(base + c * whole) for c in shape[slot:last]])
            index += last - slot
        return marks

    def _day(self, d: int) -> float:
        return self.daily * (1 + self._season(d)) + self.daily * (self._j(d + 1) - self._j(d))

    def _days(self, n: int) -> float:
        """The sum of the first n days, in closed form."""
        if n <= 0:
            return 0.0
        seasons = _season_sum(n)
        return self.daily * (n + self.seasonal * seasons) + self.daily * (self._j(n) - self.j0)

    def _season(self, d: int) -> float:
        return self.seasonal * _season_of(d)

    def _j(self, d: int) -> float:
        """A seeded value in [-jitter, jitter] for day d."""
        if self.jitter == 0:
            return 0.0
        return self.jitter * _unit_jitter(self.key, d)


# Pure functions of a day number (and a device's key), memoised: a profile or log read asks for
# the same few days again and again, for every device.
@lru_cache(maxsize=4096)
def _season_sum(n: int) -> float:
    """sum_{k<n} cos(a + k b) = sin(n b / 2) / sin(b / 2) * cos(a + (n - 1) b / 2)."""
    b = 2 * math.pi / _YEAR_DAYS
    a = -b * _PEAK_DAY
    return math.sin(n * b / 2) / math.sin(b / 2) * math.cos(a + (n - 1) * b / 2)


@lru_cache(maxsize=4096)
def _season_of(d: int) -> float:
    return math.cos(2 * math.pi * (d - _PEAK_DAY) / _YEAR_DAYS)


@lru_cache(maxsize=65_536)
def _unit_jitter(key: int, d: int) -> float:
    """A seeded value in [-1, 1] for a device's day d."""
    return 2 * _mix(key ^ (d & _MASK)) / 2**64 - 1


_MASK = 2**64 - 1


def _mix(x: int) -> int:
    """SplitMix64's finaliser: a well-spread 64-bit value from a 64-bit input. A keyed hash of
    the day would do as well at several times the cost, on every reading."""
    x = (x + 0x9E3779B97F4A7C15) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


@dataclass(frozen=True, slots=True)
class Readings:
    """A device's import and export flows and its starting register values."""

    imported: Flow
    exported: Flow
    import_start: int  # the register's reading at EPOCH
    export_start: int

    def import_register(self, at: datetime) -> int:
        return self.import_start + self.imported.cumulative(at)

    def export_register(self, at: datetime) -> int:
        return self.export_start + self.exported.cumulative(at)

    def import_between(self, start: datetime, end: datetime) -> int:
        return self.imported.cumulative(end) - self.imported.cumulative(start)

    def export_between(self, start: datetime, end: datetime) -> int:
        return self.exported.cumulative(end) - self.exported.cumulative(start)

    def half_hours(self, start: datetime, count: int, *, export: bool = False) -> list[int]:
        """`count` consecutive half-hours' consumption from `start` (a half-hour boundary)."""
        flow = self.exported if export else self.imported
        marks = flow.at_half_hours(start, count + 1)
        return [b - a for a, b in pairwise(marks)]


@dataclass(slots=True)
class ConsumptionModel:
    """The fleet's consumption: a default profile per device type, per-device overrides, and the
    seed that makes every device's variations its own and repeatable."""

    seed: int = 0
    defaults: dict[DeviceType, ConsumptionProfile] = field(
        default_factory=lambda: dict(DEFAULT_PROFILES)
    )
    overrides: dict[str, ConsumptionProfile] = field(default_factory=dict)

    def profile(self, device_id: str, device_type: DeviceType) -> ConsumptionProfile | None:
        return self.overrides.get(device_id) or self.defaults.get(device_type)

    def readings(self, device_id: str, device_type: DeviceType) -> Readings | None:
        """The device's readings, or None for a device that measures nothing (a CHF, a PPMID)."""
        profile = self.profile(device_id, device_type)
        if profile is None:
            return None
        return _readings(self.seed, device_id, profile)


# A pure function of its arguments, so a bounded memo is safe: a device read again soon (a
# profile read after a register read, a campaign's second pass) skips the hashing and set-up.
@lru_cache(maxsize=8192)
def _readings(seed: int, device_id: str, profile: ConsumptionProfile) -> Readings:
    key = hashlib.blake2b(
        f"{seed}:{device_id}".encode(), digest_size=32, person=b"dccsim-meter"
    ).digest()
    unit = int.from_bytes(key[:8], "big") / 2**64
    scale = 1 + profile.spread * (2 * unit - 1)
    start_days = 365 + int.from_bytes(key[8:12], "big") % (5 * 365)  # years already metered
    imported = _flow(profile.daily * scale, profile.shape, profile, key[16:])
    exported = _flow(profile.export_daily * scale, profile.export_shape, profile, key[24:])
    return Readings(
        imported,
        exported,
        import_start=int(profile.daily * scale * start_days),
        export_start=int(profile.export_daily * scale * start_days),
    )


def _flow(daily: float, shape: tuple[float, ...], profile: ConsumptionProfile, key: bytes) -> Flow:
    seeded = int.from_bytes(key[:8], "big")
    j0 = profile.jitter * (2 * _mix(seeded) / 2**64 - 1)  # Flow._j(0)
    return Flow(daily, _cumulative_shape(shape), profile.seasonal, profile.jitter, seeded, j0)


@lru_cache(maxsize=64)
def _cumulative_shape(shape: tuple[float, ...]) -> tuple[float, ...]:
    """0, then the running sums of the normalised weights, ending at 1."""
    total = sum(shape)
    if not total:
        return (0.0,) * (HALF_HOURS + 1)
    return (0.0, *accumulate(w / total for w in shape))
