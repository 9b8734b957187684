"""What a meter's tariff holds and how it splits consumption into TOU and block registers
(DUIS 1.1.1, 1.1.2, 1.2.1, 1.2.2, 1.7, 6.26, 6.8; read by 4.1.2-4.1.4, 4.4.2, 4.4.3, 4.11.x, 6.2.3).

Units (dccsim's decisions, the same in DUIS requests, MMC answers and the gRPC API):

- **Prices** are kept as the SR carries them (a price and its scale); `unit_price_at` and
  `standing_charge` normalise them to **millipence** (10^-5 GBP, the MMC `CurrencyUnitsName`
  default), an ESME's price per kWh and standing charge per day. A GSME's prices carry no scale
  in DUIS: they already are millipence (per kWh, per day).
- **Registers** are in the meter's unit: Wh for an ESME; for a GSME litres inside dccsim and m3
  (to the litre) in the MMC answers.
- **Block thresholds** are in Wh for an ESME and in whole m3 for a GSME, as written and read.

Registers are derived, never stored per half-hour: the tariff keeps a *checkpoint* (the registers
at the instant the tariff, the block counters or the billing calendar last changed) and walks the
meter's consumption forward from it, segment by segment of the switching table, splitting each
segment's consumption into the TOU register or the (rate, block) register its action names and
crossing block thresholds exactly. A change of tariff takes a new checkpoint first, so it never
rewrites the history before it. With no tariff set, a meter runs its factory default: one rate,
all consumption in TOU register 1 — so the TOU and block registers always sum to the total import
register (a test engineer can check that).
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dccsim.devices.consumption import Readings

ELEC_TOU_RATES = 48
ELEC_BLOCK_RATES = 8
BLOCKS = 4
GAS_TOU_RATES = 4
SECONDARY_TOU_RATES = 4
BILLING_LOG_ENTRIES = 12  # MMC: at most 12 entries in each billing data log answer
# GBCS's "no further block": an ESME threshold at the top of its unsignedInt range.
UNREACHABLE_THRESHOLD = 4_294_967_295
# A GSME prices energy (kWh) but dccsim measures its gas in litres: the GB standard conversion
# (calorific value 39.5 MJ/m3, volume correction 1.02264) turns a price per kWh into one per m3.
KWH_PER_M3 = 39.5 * 1.02264 / 3.6
_MILLIPENCE_SCALE = -5  # 10^-5 GBP = one millipenny
_DAY = timedelta(days=1)


class Fuel(StrEnum):
    ELECTRICITY = "Electricity"
    GAS = "Gas"


class Currency(StrEnum):
    GBP = "GBP"
    ECB = "ECB"


class MonthDay(StrEnum):
    """The DUIS DayOfMonth choices that are not a number."""

    LAST = "LastDayOfMonth"
    SECOND_LAST = "SecondLastDayOfMonth"


class Periodicity(StrEnum):
    DAILY = "Daily"
    WEEKLY = "Weekly"
    MONTHLY = "Monthly"
    QUARTERLY = "Quarterly"
    SIX_MONTHLY = "SixMonthly"
    YEARLY = "Yearly"


_PERIOD_MONTHS = {
    Periodicity.MONTHLY: 1,
    Periodicity.QUARTERLY: 3,
    Periodicity.SIX_MONTHLY: 6,
    Periodicity.YEARLY: 12,
}


# -- the switching table ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DateSpec:
    """A DUIS Date with wildcards: None is "NonSpecified". Day of week 1 is Monday."""

    year: int | None = None
    month: int | None = None
    day: int | MonthDay | None = None
    weekday: int | None = None

    def matches(self, on: date) -> bool:
        if self.year is not None and on.year != self.year:
            return False
        if self.month is not None and on.month != self.month:
            return False
        if self.weekday is not None and on.isoweekday() != self.weekday:
            return False
        return self.day is None or on.day == _day_number(self.day, on.year, on.month)

    def latest_on_or_before(self, on: date) -> date | None:
        """The last date matching this spec on or before `on` (a season's start)."""
        if isinstance(self.day, int) and self.month is not None and self.weekday is None:
            for year in (on.year, on.year - 1) if self.year is None else (self.year,):
                try:
                    candidate = date(year, self.month, self.day)
                except ValueError:  # 29 February of a common year
                    continue
                if candidate <= on:
                    return candidate
            return None
        for back in range(400):  # wildcard months or weekdays: look back a little over a year
            candidate = on - timedelta(days=back)
            if self.matches(candidate):
                return candidate
        return None


def _day_number(day: int | MonthDay, year: int, month: int) -> int:
    if isinstance(day, int):
        return day
    last = _calendar.monthrange(year, month)[1]
    return last if day is MonthDay.LAST else last - 1


@dataclass(frozen=True, slots=True)
class Switch:
    """One ProfileSchedule entry: from `start`, the TOU rate `action`, or (block) the TOU-block
    rate `action` (an ESME's BlockTariffAction 1-8; a GSME's BlockTariff, rate 1)."""

    start: time
    action: int
    block: bool = False


@dataclass(frozen=True, slots=True)
class DayProfile:
    name: int
    switches: tuple[Switch, ...]

    def switch_at(self, at: time) -> Switch:
        """The switch in force at `at`; before the first start, the day's last one carries on
        from the night before (dccsim's decision)."""
        current = self.switches[-1]
        for switch in sorted(self.switches, key=lambda s: s.start):
            if switch.start <= at:
                current = switch
        return current


@dataclass(frozen=True, slots=True)
class WeekProfile:
    name: int
    days: tuple[int, ...]  # the day profile of Monday ... Sunday


@dataclass(frozen=True, slots=True)
class Season:
    name: str | None  # a GSME's seasons have none
    start: DateSpec
    week: int


@dataclass(frozen=True, slots=True)
class SpecialDay:
    date: DateSpec
    day: int


@dataclass(frozen=True, slots=True)
class SwitchingTable:
    day_profiles: tuple[DayProfile, ...]
    week_profiles: tuple[WeekProfile, ...]
    seasons: tuple[Season, ...]
    special_days: tuple[SpecialDay, ...] = ()

    def day_profile(self, on: date) -> DayProfile | None:
        """Special days first, then the season's week profile (the season that started last;
        before any has started, the first season)."""
        name = next((s.day for s in self.special_days if s.date.matches(on)), None)
        if name is None:
            week = self._week(on)
            if week is None:
                return None
            name = week.days[on.isoweekday() - 1]
        return next((p for p in self.day_profiles if p.name == name), None)

    def _week(self, on: date) -> WeekProfile | None:
        season, started = (self.seasons[0] if self.seasons else None), date.min
        for candidate in self.seasons:
            start = candidate.start.latest_on_or_before(on)
            if start is not None and start >= started:
                season, started = candidate, start
        if season is None:
            return None
        return next((w for w in self.week_profiles if w.name == season.week), None)


# -- prices and thresholds -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Indexed:
    """A value with its DUIS `index` attribute (a price, a threshold)."""

    index: int
    value: int


@dataclass(frozen=True, slots=True)
class IndexedRow:
    """A row of a matrix with its `index` (an ESME's block prices or thresholds of one rate)."""

    index: int
    values: tuple[Indexed, ...]


class PriceKind(StrEnum):
    BLOCK = "BlockTariff"
    TOU = "TOUTariff"
    HYBRID = "HybridTariff"


@dataclass(frozen=True, slots=True)
class ElecPrices:
    """ElecPriceElementsPrimary: prices are `value` x 10^scale GBP."""

    standing_charge: int
    standing_charge_scale: int
    price_scale: int
    block_prices: tuple[IndexedRow, ...] = ()
    tou_prices: tuple[Indexed, ...] = ()

    @property
    def kind(self) -> PriceKind:
        if self.block_prices and self.tou_prices:
            return PriceKind.HYBRID
        return PriceKind.BLOCK if self.block_prices else PriceKind.TOU


@dataclass(frozen=True, slots=True)
class GasPrices:
    """GasPriceElements: millipence (per kWh; the standing charge per day)."""

    currency: Currency
    standing_charge: int
    block_prices: tuple[Indexed, ...] = ()
    number_of_thresholds: int | None = None
    tou_prices: tuple[Indexed, ...] = ()

    @property
    def kind(self) -> PriceKind:
        return PriceKind.BLOCK if self.block_prices else PriceKind.TOU


@dataclass(frozen=True, slots=True)
class SecondaryPrices:
    price_scale: int
    tou_prices: tuple[Indexed, ...]


@dataclass(frozen=True, slots=True)
class PrimaryTariff:
    """What 1.1.1 writes (1.2.1 replaces `prices`). `currency` is an ESME's
    ElecTariffElements/CurrencyUnits; a GSME's is in its prices. Gas thresholds are one row."""

    fuel: Fuel
    table: SwitchingTable
    thresholds: tuple[IndexedRow, ...]
    prices: ElecPrices | GasPrices
    currency: Currency | None = None


@dataclass(frozen=True, slots=True)
class SecondaryTariff:
    """What 1.1.2 writes (1.2.2 replaces `prices`): a twin ESME's secondary element."""

    table: SwitchingTable
    prices: SecondaryPrices


def _millipence(value: int, scale: int) -> int:
    return round(value * 10.0 ** (scale - _MILLIPENCE_SCALE))


# -- billing calendar ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ElecBillingCalendar:
    """ElectricityBillingCalendar: `day` is the weekday (Weekly, 1 Monday) or the day of the
    month (1-28); `start_month` the BillingPeriodStartMonth of Quarterly/SixMonthly/Yearly."""

    billing_time: time
    periodicity: Periodicity
    day: int | None = None
    start_month: int | None = None


@dataclass(frozen=True, slots=True)
class GasBillingCalendar:
    period_start: datetime
    periodicity: Periodicity


BillingCalendar = ElecBillingCalendar | GasBillingCalendar


def billing_dates(cal: BillingCalendar, after: datetime, until: datetime) -> Iterator[datetime]:
    """The calendar's billing instants in (after, until], in order."""
    if until <= after:
        return
    if isinstance(cal, GasBillingCalendar):
        yield from _gas_dates(cal, after, until)
        return
    day = after.astimezone(UTC).date()
    while True:
        at = datetime.combine(day, cal.billing_time.replace(tzinfo=None), tzinfo=UTC)
        if at > until:
            return
        if at > after and _elec_bills_on(cal, day):
            yield at
        day += _DAY


def _elec_bills_on(cal: ElecBillingCalendar, on: date) -> bool:
    if cal.periodicity is Periodicity.DAILY:
        return True
    if cal.periodicity is Periodicity.WEEKLY:
        return on.isoweekday() == cal.day
    if on.day != cal.day:
        return False
    months = _PERIOD_MONTHS[cal.periodicity]
    return (on.month - (cal.start_month or 1)) % months == 0


def _gas_dates(cal: GasBillingCalendar, after: datetime, until: datetime) -> Iterator[datetime]:
    step = 0
    while True:
        at = _gas_step(cal, step)
        if at > until:
            return
        if at > after:
            yield at
        step += 1


def _gas_step(cal: GasBillingCalendar, step: int) -> datetime:
    start = cal.period_start
    if cal.periodicity is Periodicity.DAILY:
        return start + step * _DAY
    if cal.periodicity is Periodicity.WEEKLY:
        return start + step * 7 * _DAY
    months = start.month - 1 + step * _PERIOD_MONTHS[cal.periodicity]
    year, month = start.year + months // 12, months % 12 + 1
    day = min(start.day, _calendar.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day)


# -- registers -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Registers:
    """A meter's tariff registers at one instant (the meter's unit: Wh, or litres of gas).

    `blocks[r][b]` is TOU-block rate r+1's block b+1 register (a GSME has one rate);
    `counters` the same consumption since the block counters were last reset (1.7, 6.26, a
    billing date). `secondary` is a twin ESME's secondary element's TOU registers."""

    at: datetime
    total: int
    tou: tuple[int, ...]
    blocks: tuple[tuple[int, ...], ...]
    counters: tuple[tuple[int, ...], ...]
    secondary_total: int = 0
    secondary: tuple[int, ...] = (0,) * SECONDARY_TOU_RATES

    @classmethod
    def factory(cls, fuel: Fuel, at: datetime, total: int) -> Registers:
        """As installed: everything measured so far on the default single rate (TOU 1)."""
        rates = ELEC_TOU_RATES if fuel is Fuel.ELECTRICITY else GAS_TOU_RATES
        block_rates = ELEC_BLOCK_RATES if fuel is Fuel.ELECTRICITY else 1
        zeros = ((0,) * BLOCKS,) * block_rates
        return cls(at, total, (total, *(0,) * (rates - 1)), zeros, zeros)

    def reset_counters(self) -> Registers:
        return replace(self, counters=tuple((0,) * BLOCKS for _ in self.counters))


@dataclass(slots=True)
class _Accumulator:
    """Registers being walked forward (mutable lists, frozen into `Registers` at the end)."""

    total: int
    tou: list[int]
    blocks: list[list[int]]
    counters: list[list[int]]

    @classmethod
    def start(cls, registers: Registers) -> _Accumulator:
        return cls(
            registers.total,
            list(registers.tou),
            [list(row) for row in registers.blocks],
            [list(row) for row in registers.counters],
        )

    def freeze(self, at: datetime, base: Registers) -> Registers:
        return Registers(
            at,
            self.total,
            tuple(self.tou),
            tuple(tuple(row) for row in self.blocks),
            tuple(tuple(row) for row in self.counters),
            base.secondary_total,
            base.secondary,
        )

    def reset(self) -> None:
        self.counters = [[0] * BLOCKS for _ in self.counters]

    def add(self, switch: Switch, amount: int, thresholds: tuple[int, ...]) -> None:
        self.total += amount
        if not switch.block:
            self.tou[switch.action - 1] += amount
            return
        rate = min(switch.action, len(self.blocks)) - 1
        while amount > 0:
            used = sum(self.counters[rate])
            block = sum(1 for limit in thresholds if used >= limit)
            room = thresholds[block] - used if block < len(thresholds) else amount
            part = min(amount, room) if block < BLOCKS - 1 else amount
            self.blocks[rate][block] += part
            self.counters[rate][block] += part
            amount -= part


# -- the device's tariff ---------------------------------------------------------------------------


class TariffChange(StrEnum):
    """The future-datable writes a meter holds until their time (SRV-05 "Device")."""

    PRIMARY_TARIFF = "1.1.1"
    SECONDARY_TARIFF = "1.1.2"
    PRIMARY_PRICE = "1.2.1"
    SECONDARY_PRICE = "1.2.2"


@dataclass(frozen=True, slots=True)
class HeldChange:
    execute_at: datetime
    counter: int  # the originator counter of the request that asked for it
    value: PrimaryTariff | SecondaryTariff | ElecPrices | GasPrices | SecondaryPrices


@dataclass(frozen=True, slots=True)
class BillingEntry:
    """One billing data log entry: the registers at a change of tariff or mode (4.4.2) or at
    a billing date (4.4.3)."""

    registers: Registers


@dataclass(slots=True)
class Tariff:
    """Everything tariff-related one meter holds. Made at a meter's first tariff SR: most of a
    large fleet never sees one.

    Contract with prepayment: `unit_price_at` and `standing_charge` (millipence)."""

    fuel: Fuel
    checkpoint: Registers
    primary: PrimaryTariff | None = None
    secondary: SecondaryTariff | None = None
    calendar: BillingCalendar | None = None
    daily_block_reset: bool = False
    change_log: list[BillingEntry] = field(default_factory=list)  # 4.4.2, oldest first
    billing_log: list[BillingEntry] = field(default_factory=list)  # 4.4.3, materialised
    held: dict[TariffChange, HeldChange] = field(default_factory=dict)
    # The last registers walked to: a later read walks on from here instead of the checkpoint.
    _cursor: Registers | None = None

    @classmethod
    def installed(cls, fuel: Fuel, readings: Readings | None, at: datetime) -> Tariff:
        total = readings.import_register(at) if readings is not None else 0
        return cls(fuel, Registers.factory(fuel, at, total))

    # -- the prepayment contract ---------------------------------------------------------------

    def unit_price_at(self, at: datetime, readings: Readings | None = None) -> int:
        """The primary element's price in force at `at`, in millipence per kWh (ESME) or per m3
        (GSME, converted with `KWH_PER_M3`). A block rate's price depends on the block counters:
        with `readings` they are walked to `at`, without them block 1 is assumed. 0: no tariff."""
        if self.primary is None:
            return 0
        switch = self._switch_at(at)
        if switch is None:
            return 0
        block = 0
        if switch.block and readings is not None:
            registers = self.registers_at(at, readings)
            rate = min(switch.action, len(registers.counters)) - 1
            used = sum(registers.counters[rate])
            block = sum(1 for limit in self._thresholds(switch.action) if used >= limit)
        price = self._price(switch, block)
        if self.fuel is Fuel.GAS:
            return round(price * KWH_PER_M3)
        return price

    def standing_charge(self) -> int:
        """The primary element's standing charge in millipence per day (0: no tariff)."""
        if self.primary is None:
            return 0
        prices = self.primary.prices
        if isinstance(prices, GasPrices):
            return prices.standing_charge
        return _millipence(prices.standing_charge, prices.standing_charge_scale)

    def _price(self, switch: Switch, block: int) -> int:
        assert self.primary is not None
        prices = self.primary.prices
        if isinstance(prices, GasPrices):
            table = prices.block_prices if switch.block else prices.tou_prices
            index = block + 1 if switch.block else switch.action
            return _value(table, index)
        if switch.block:
            row = next((r for r in prices.block_prices if r.index == switch.action), None)
            value = _value(row.values, block + 1) if row is not None else 0
        else:
            value = _value(prices.tou_prices, switch.action)
        return _millipence(value, prices.price_scale)

    def active_secondary_price(self, at: datetime) -> int | None:
        """The secondary element's price in force at `at` (as written, unscaled)."""
        if self.secondary is None:
            return None
        profile = self.secondary.table.day_profile(at.astimezone(UTC).date())
        if profile is None:
            return None
        switch = profile.switch_at(at.astimezone(UTC).time())
        return _value(self.secondary.prices.tou_prices, switch.action)

    def active_primary_price(self, at: datetime, readings: Readings | None) -> int | None:
        """PrimaryActiveTariffPrice: the price in force as written (unscaled), or None."""
        if self.primary is None:
            return None
        switch = self._switch_at(at)
        if switch is None:
            return None
        block = 0
        if switch.block and readings is not None:
            registers = self.registers_at(at, readings)
            rate = min(switch.action, len(registers.counters)) - 1
            used = sum(registers.counters[rate])
            block = sum(1 for limit in self._thresholds(switch.action) if used >= limit)
        prices = self.primary.prices
        if isinstance(prices, GasPrices):
            table = prices.block_prices if switch.block else prices.tou_prices
            return _value(table, block + 1 if switch.block else switch.action)
        if switch.block:
            row = next((r for r in prices.block_prices if r.index == switch.action), None)
            return _value(row.values, block + 1) if row is not None else 0
        return _value(prices.tou_prices, switch.action)

    def _switch_at(self, at: datetime) -> Switch | None:
        assert self.primary is not None
        moment = at.astimezone(UTC)
        profile = self.primary.table.day_profile(moment.date())
        return profile.switch_at(moment.time()) if profile is not None else None

    def _thresholds(self, rate: int) -> tuple[int, ...]:
        """The block thresholds of a TOU-block rate, in register units, ascending."""
        if self.primary is None:
            return ()
        row = next((r for r in self.primary.thresholds if r.index == rate), None)
        if self.fuel is Fuel.GAS:
            row = self.primary.thresholds[0] if self.primary.thresholds else None
        if row is None:
            return ()
        values = [t.value for t in sorted(row.values, key=lambda t: t.index)]
        prices = self.primary.prices
        if isinstance(prices, GasPrices):
            if prices.number_of_thresholds is not None:
                values = values[: prices.number_of_thresholds]
            return tuple(v * 1000 for v in values)  # whole m3 -> litres
        return tuple(v for v in values if v < UNREACHABLE_THRESHOLD)

    # -- registers -----------------------------------------------------------------------------

    def registers_at(self, at: datetime, readings: Readings | None) -> Registers:
        """The registers at `at` (not before the checkpoint: history before it is fixed)."""
        start = self.checkpoint
        if at <= start.at or readings is None:
            return start
        cursor = self._cursor
        if cursor is not None and start.at <= cursor.at <= at:
            start = cursor
        registers = self._walk(start, at, readings)
        self._cursor = registers
        return registers

    def _walk(self, start: Registers, until: datetime, readings: Readings) -> Registers:
        acc = _Accumulator.start(start)
        resets = set(self._reset_instants(start.at, until))
        cursor = start.at
        mark = readings.imported.cumulative(cursor)
        for end, switch in self._segments(start.at, until, resets):
            following = readings.imported.cumulative(end)
            thresholds = self._thresholds(switch.action) if switch.block else ()
            acc.add(switch, following - mark, thresholds)
            mark, cursor = following, end
            if end in resets:
                acc.reset()
        return acc.freeze(until, start)

    def _reset_instants(self, after: datetime, until: datetime) -> Iterator[datetime]:
        """When the block counters go back to zero: each billing date, and each midnight when
        6.26 asked for a daily reset."""
        if self.calendar is not None:
            yield from billing_dates(self.calendar, after, until)
        if self.daily_block_reset:
            day = after.astimezone(UTC).date() + _DAY
            while (midnight := datetime.combine(day, time(), tzinfo=UTC)) <= until:
                yield midnight
                day += _DAY

    def _segments(
        self, start: datetime, until: datetime, resets: set[datetime]
    ) -> Iterator[tuple[datetime, Switch]]:
        """(end, switch) for each stretch of constant switch between `start` and `until`."""
        default = Switch(time(), 1)
        if self.primary is None:
            yield until, default
            return
        cuts = sorted(r for r in resets if start < r < until)
        moment = start
        while moment < until:
            day = moment.astimezone(UTC).date()
            midnight = datetime.combine(day + _DAY, time(), tzinfo=UTC)
            profile = self.primary.table.day_profile(day)
            bounds = [midnight, until]
            if profile is not None:
                bounds += [
                    datetime.combine(day, s.start.replace(tzinfo=None), tzinfo=UTC)
                    for s in profile.switches
                ]
            bounds += [c for c in cuts if moment < c < midnight]
            end = min(b for b in bounds if b > moment)
            switch = profile.switch_at(moment.astimezone(UTC).time()) if profile else default
            yield end, switch
            moment = end

    # -- changes -------------------------------------------------------------------------------

    def take_checkpoint(self, at: datetime, readings: Readings | None) -> Registers:
        """Fix the history up to `at` before a change: billing dates passed so far go to the
        billing log, and the registers at `at` become the new starting point."""
        for when in self._billing_dates_since_checkpoint(at):
            self._log(self.billing_log, BillingEntry(self.registers_at(when, readings)))
        registers = self.registers_at(at, readings)
        self.checkpoint, self._cursor = registers, None
        return registers

    def _billing_dates_since_checkpoint(self, until: datetime) -> list[datetime]:
        if self.calendar is None:
            return []
        dates = list(billing_dates(self.calendar, self.checkpoint.at, until))
        return dates[-BILLING_LOG_ENTRIES:]

    @staticmethod
    def _log(log: list[BillingEntry], entry: BillingEntry) -> None:
        log.append(entry)
        del log[:-BILLING_LOG_ENTRIES]

    def set_primary(self, tariff: PrimaryTariff, at: datetime, readings: Readings | None) -> None:
        """1.1.1: a change of tariff, logged (4.4.2) with the registers it ends."""
        self._log(self.change_log, BillingEntry(self.take_checkpoint(at, readings)))
        self.primary = tariff

    def set_primary_prices(
        self, prices: ElecPrices | GasPrices, at: datetime, readings: Readings | None
    ) -> bool:
        """1.2.1: new prices for the tariff in force (False: no primary tariff to price)."""
        if self.primary is None or _fuel_of(prices) is not self.primary.fuel:
            return False
        self._log(self.change_log, BillingEntry(self.take_checkpoint(at, readings)))
        self.primary = replace(self.primary, prices=prices)
        return True

    def set_secondary(self, tariff: SecondaryTariff, at: datetime) -> None:
        self.secondary = tariff

    def set_secondary_prices(self, prices: SecondaryPrices) -> bool:
        if self.secondary is None:
            return False
        self.secondary = replace(self.secondary, prices=prices)
        return True

    def reset_block_counters(self, at: datetime, readings: Readings | None) -> None:
        """1.7: the block counters start again from zero."""
        self.checkpoint = self.take_checkpoint(at, readings).reset_counters()

    def set_daily_block_reset(self, daily: bool, at: datetime, readings: Readings | None) -> None:
        """6.26: reset the block counters at each midnight (or stop doing so)."""
        self.take_checkpoint(at, readings)
        self.daily_block_reset = daily

    def set_calendar(self, cal: BillingCalendar, at: datetime, readings: Readings | None) -> None:
        """6.8: billing dates of the old calendar up to now stay in the log."""
        self.take_checkpoint(at, readings)
        self.calendar = cal

    def record_mode_change(self, at: datetime, readings: Readings | None) -> None:
        """A change of payment mode (1.6) logs the registers too (4.4.2); for prepayment."""
        self._log(self.change_log, BillingEntry(self.take_checkpoint(at, readings)))

    def billing_entries(self, at: datetime, readings: Readings | None) -> list[BillingEntry]:
        """4.4.3: the billing log as of `at`: materialised entries, then the billing dates since
        the checkpoint (derived now), the last 12."""
        derived = [
            BillingEntry(self.registers_at(when, readings))
            for when in self._billing_dates_since_checkpoint(at)
        ]
        return [*self.billing_log, *derived][-BILLING_LOG_ENTRIES:]

    # -- future-dated writes (SRV-05) -------------------------------------------------------

    def hold(self, change: TariffChange, held: HeldChange) -> None:
        """Keep a future-dated write until its time; a later one of the same kind replaces it."""
        self.held[change] = held

    def cancel(self, change: TariffChange) -> bool:
        return self.held.pop(change, None) is not None

    def take_due(self, change: TariffChange, counter: int, now: datetime) -> HeldChange | None:
        held = self.held.get(change)
        if held is None or held.counter != counter or held.execute_at > now:
            return None
        del self.held[change]
        return held


def _value(values: tuple[Indexed, ...], index: int) -> int:
    return next((v.value for v in values if v.index == index), 0)


def _fuel_of(prices: ElecPrices | GasPrices) -> Fuel:
    return Fuel.GAS if isinstance(prices, GasPrices) else Fuel.ELECTRICITY
