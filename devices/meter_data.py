"""What a meter holds for its reads besides the registers (4.x reads, 6.4, 6.18): the
maximum-demand configuration and reset points, the load-limiting settings and counter reset (the
RMS voltage counters' reset, 6.27, is the configuration's, `dccsim.devices.configuration`) — and
the pure functions that derive, from the meter's consumption model
(`dccsim.devices.consumption`), what those reads report. Nothing here stores a reading:
registers, logs, maximum demand, load-limit events and voltages are worked out when read.

Decisions (docs/decisions.md, "reads"):
- Maximum demand is the largest half-hour's consumption, as average power (W = Wh x 2), among
  the half-hours that started at or after the register's last reset and have ended. A register
  never reset holds the largest half-hour of the 13 months the meter's profile log holds (so
  4.8.1 over those months shows it) and reports no LastResetDateTime. Its
  CaptureTime is the end of that half-hour; of equal half-hours, the earliest holds.
- The configurable-time register (6.18.1) counts only half-hours lying wholly inside the daily
  window [StartTime, EndTime) (UTC; an EndTime at or before the StartTime wraps past midnight).
- A load-limit event is a run of consecutive half-hours whose average power exceeds the power
  threshold, lasting at least the Load Limit Period; each run counts once. Only half-hours from
  the later of the settings' time (6.4.1) and the counter's reset (6.4.2) count.
- RMS voltage: each phase's average over each measurement period (the configuration's, 600 s
  as installed; periods counted from EPOCH) repeats a seeded cycle of P periods (P 300-700):
  226.0-237.9 V, but for one period at 254.0-257.9 V and one at 212.0-215.9 V, so that the
  installed 253 V / 216 V thresholds are crossed now and then. The counters are the periods
  above / below the configured thresholds since the counters' reset (6.27, or 6.5's; EPOCH if
  never), in closed form, so they agree with the profile log's entries.
- Reactive energy is the active energy times a seeded ratio (tan phi, 0.05-0.35) per device, so
  the reactive registers and half-hours agree with each other as the active ones do.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from heapq import heapify, heappop
from itertools import pairwise

from dccsim.devices.consumption import EPOCH, HALF_HOUR, HALF_HOURS, Flow, Readings

DAY = timedelta(days=1)
_TENTH = Decimal("0.1")


class LoadLimitSupplyState(StrEnum):
    """What the ESME does to its supply at a load-limit event (DUIS's LoadLimitSupplyState)."""

    DISABLE = "Disable"
    UNCHANGED = "Unchanged"


@dataclass(frozen=True, slots=True)
class LoadLimitSettings:
    period: int  # seconds the threshold must be exceeded for
    power_threshold: int  # W
    restoration_period: int  # seconds
    supply_state: LoadLimitSupplyState
    since: datetime  # when the ESME took these settings


@dataclass(frozen=True, slots=True)
class HeldLoadLimitSettings:
    """A future-dated 6.4.1 the ESME holds until its time (SRV-05's "Device" pattern)."""

    settings: LoadLimitSettings
    due: datetime
    counter: int  # the RequestID counter of the request that sent it


@dataclass(frozen=True, slots=True)
class DemandWindow:
    """6.18.1's daily window (UTC)."""

    start: time
    end: time

    def slots(self) -> frozenset[int]:
        """The half-hour slots of a day lying wholly inside the window."""
        first, last = _seconds(self.start), _seconds(self.end)
        slot = 1800
        inside = set()
        for k in range(HALF_HOURS):
            a, b = k * slot, (k + 1) * slot
            # An end at or before the start wraps past midnight (equal ends: the whole day).
            ok = first <= a and b <= last if first < last else a >= first or b <= last
            if ok:
                inside.add(k)
        return frozenset(inside)


def _seconds(at: time) -> int:
    return at.hour * 3600 + at.minute * 60 + at.second


@dataclass(slots=True)
class MeterData:
    """The state a meter's 4.x/6.x configuration SRVs write; made at the first write."""

    import_md_reset: datetime | None = None
    export_md_reset: datetime | None = None
    configurable_md_reset: datetime | None = None
    demand_window: DemandWindow | None = None
    load_limit: LoadLimitSettings | None = None
    load_limit_counter_reset: datetime | None = None
    held_load_limit: HeldLoadLimitSettings | None = None

    def run_held_load_limit(self, counter: int, now: datetime) -> LoadLimitSettings | None:
        """Apply the held 6.4.1 of this request, if it is still held and due."""
        held = self.held_load_limit
        if held is None or held.counter != counter or held.due > now:
            return None
        self.held_load_limit = None
        self.load_limit = LoadLimitSettings(
            held.settings.period,
            held.settings.power_threshold,
            held.settings.restoration_period,
            held.settings.supply_state,
            now,
        )
        return self.load_limit


EMPTY = MeterData()  # what a meter never configured reads as: read, never written


# -- time helpers --------------------------------------------------------------------------------


def floor_half_hour(at: datetime) -> datetime:
    if at.utcoffset():  # half-hours are UTC's (a +05:45 zone has its own)
        at = at.astimezone(UTC)
    # Field arithmetic, not a division of timedeltas: a profile read takes three of these.
    return at - timedelta(minutes=at.minute % 30, seconds=at.second, microseconds=at.microsecond)


def ceil_half_hour(at: datetime) -> datetime:
    floor = floor_half_hour(at)
    return floor if floor == at else floor + HALF_HOUR


def floor_day(at: datetime) -> datetime:
    return at.replace(hour=0, minute=0, second=0, microsecond=0)


def ceil_day(at: datetime) -> datetime:
    floor = floor_day(at)
    return floor if floor == at else floor + DAY


# -- half-hours ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HalfHour:
    start: datetime
    value: int  # units consumed in it


def half_hours(readings: Readings, start: datetime, end: datetime, *, export: bool) -> list[int]:
    """The consumption of each half-hour lying wholly inside [start, end) (boundaries aligned)."""
    count = int((end - start) / HALF_HOUR)
    if count <= 0:
        return []
    return readings.half_hours(start, count, export=export)


def _weights(flow: Flow) -> list[float]:
    return [b - a for a, b in pairwise(flow.cumulative_shape)]


def _days(first: datetime, end: datetime) -> Iterator[datetime]:
    day = floor_day(first)
    while day < end:
        yield day
        day += DAY


def largest_half_hour(
    readings: Readings,
    since: datetime,
    until: datetime,
    *,
    export: bool = False,
    slots: frozenset[int] | None = None,
) -> HalfHour | None:
    """The largest half-hour starting at or after `since` and ended by `until` (only the day's
    `slots`, when given); of equal ones the earliest. None when there is no such half-hour.

    A day's half-hour never exceeds (its largest shape weight x the day's total) + 2 (the
    model's whole-unit truncation), so only days whose bound reaches the best so far are worked
    out half-hour by half-hour: a year costs a few hundred register readings, not 17,520
    half-hours."""
    first, end = ceil_half_hour(since), floor_half_hour(until)
    if first >= end:
        return None
    flow = readings.exported if export else readings.imported
    weights = _weights(flow)
    chosen = range(HALF_HOURS) if slots is None else sorted(slots)
    if not chosen:
        return None
    top = max(weights[k] for k in chosen)
    days = list(_days(first, end))
    marks = flow.at_midnights((days[0] - EPOCH).days, len(days) + 1)
    # Largest bound first, of equal ones the earliest day; a heap, as only the first few are
    # usually taken.
    bounds = [
        (-(top * (b - a) + 2), day) for day, (a, b) in zip(days, pairwise(marks), strict=True)
    ]
    heapify(bounds)
    best: HalfHour | None = None
    while bounds:
        negative, day = heappop(bounds)
        if best is not None and -negative < best.value:
            break
        lo, hi = max(day, first), min(day + DAY, end)
        values = half_hours(readings, lo, hi, export=export)
        for index, value in enumerate(values):
            at = lo + index * HALF_HOUR
            if slots is not None and _slot(at) not in slots:
                continue
            if best is None or value > best.value or (value == best.value and at < best.start):
                best = HalfHour(at, value)
    return best


def _slot(at: datetime) -> int:
    return (at.hour * 60 + at.minute) // 30


def load_limit_events(
    readings: Readings, settings: LoadLimitSettings, since: datetime, until: datetime
) -> int:
    """Runs of consecutive half-hours whose average power (Wh x 2) exceeds the threshold, at
    least `settings.period` long, among the half-hours from `since` ended by `until`."""
    first, end = ceil_half_hour(since), floor_half_hour(until)
    if first >= end:
        return 0
    flow = readings.imported
    top = max(_weights(flow))
    needed = max(1, math.ceil(settings.period / 1800))
    events = run = 0
    for day in _days(first, end):
        total = flow.cumulative(day + DAY) - flow.cumulative(day)
        if 2 * (top * total + 2) <= settings.power_threshold:
            run = 0  # no half-hour of this day can exceed it
            continue
        lo, hi = max(day, first), min(day + DAY, end)
        for value in half_hours(readings, lo, hi, export=False):
            if 2 * value > settings.power_threshold:
                run += 1
                if run == needed:
                    events += 1
            else:
                run = 0
    return events


# -- reactive energy -----------------------------------------------------------------------------


def reactive_ratio(device_id: str) -> float:
    """The device's seeded ratio of reactive to active energy (tan phi), 0.05-0.35."""
    digest = hashlib.blake2b(device_id.encode(), digest_size=8, person=b"dccsim-react").digest()
    return 0.05 + 0.30 * int.from_bytes(digest, "big") / 2**64


def reactive(active_units: int, ratio: float) -> int:
    return int(active_units * ratio)


# -- RMS voltage ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VoltagePhase:
    """One phase's seeded average RMS voltages (see the module doc): measurement period k has
    the voltage `tenths[k % len(tenths)]` / 10, so any count over any span is closed-form."""

    tenths: tuple[int, ...]

    @classmethod
    def of(cls, device_id: str, phase: int) -> VoltagePhase:
        digest = hashlib.blake2b(
            f"{device_id}:{phase}".encode(), digest_size=16, person=b"dccsim-volts"
        ).digest()
        every = 300 + int.from_bytes(digest[:4], "big") % 401
        over_at = int.from_bytes(digest[4:8], "big") % every
        under_at = (over_at + 1 + int.from_bytes(digest[8:10], "big") % (every - 1)) % every
        key = int.from_bytes(digest[8:], "big")
        values = []
        for residue in range(every):
            spread = _mix(key ^ residue)
            if residue == over_at:
                values.append(2540 + spread % 40)
            elif residue == under_at:
                values.append(2120 + spread % 40)
            else:
                values.append(2260 + spread % 120)
        return cls(tuple(values))

    def voltage(self, period: int) -> Decimal:
        """The average RMS voltage (V) of measurement period `period` (counted from EPOCH)."""
        return Decimal(self.tenths[period % len(self.tenths)]) * _TENTH

    def count(self, first: int, end: int, threshold: int, *, over: bool) -> int:
        """How many periods first <= k < end were above (below) `threshold` volts."""
        return self._count_to(end, threshold, over) - self._count_to(first, threshold, over)

    def _count_to(self, end: int, threshold: int, over: bool) -> int:
        if end <= 0:
            return 0
        limit = threshold * 10
        hits = [(v > limit) if over else (v < limit) for v in self.tenths]
        cycles, rest = divmod(end, len(self.tenths))
        return cycles * sum(hits) + sum(hits[:rest])


_MASK = 2**64 - 1


def _mix(x: int) -> int:
    """SplitMix64's finaliser, as the consumption model uses for its jitter."""
    x = (x + 0x9E3779B97F4A7C15) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)
