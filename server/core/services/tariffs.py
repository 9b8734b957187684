"""Tariffs, prices, TOU and block registers, billing: 1.1.1 / 1.1.2 Update Import Tariff, 1.2.1 /
1.2.2 Update Price, 1.7 Reset Tariff Block Counter Matrix, 6.26 daily resetting of the block
counters, 4.1.2 / 4.1.3 / 4.1.4 TOU, TOU-with-blocks and block counter reads, 4.4.2 / 4.4.3 billing
data logs, 4.11.1 / 4.11.2 Read Tariff, 6.8 / 6.2.3 billing calendar. The meter's side (units,
how registers are derived) is `dccsim.devices.tariff`'s.

Decisions (docs/decisions.md, "Tariffs"):
- Every field is checked as the DUIS schema types it, and beyond it where a meter could not use
  the tariff: a week profile, season or special day must name a day or week profile the same
  tariff defines, a TOU action must not exceed the rates the tariff prices, indices in a list
  are unique. A bad field raises InvalidField naming it; nothing changes.
- 1.1.1 / 1.1.2 / 1.2.1 / 1.2.2 are "Device" future-dated (SRV-05): the meter holds the write
  and applies it at its time, raising 0x8F66 in a future-dated alert (message code 0x00D0), one
  held write per SRV (a later one replaces it; 3000-12-31 cancels it).
- A write whose fuel is not the meter's (gas elements to an ESME, electricity to a GSME) and a
  price update before any tariff, are not applied: the meter answers, its tariff unchanged.
- A GPF answers reads (4.1.2, 4.1.4, 4.4.x, 4.11.1, 6.2.3) from its GSME's data (the GSME it
  serves); an unpaired GPF holds none and answers with empty content.
- The secondary element of a twin ESME measures nothing in dccsim's meter model (one import flow
  per meter, the primary element's): its TOU registers read 0 for the rates it has.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time
from functools import partial

from dccsim.devices.codes import AlertCode, MessageCode
from dccsim.devices.consumption import EPOCH, Readings
from dccsim.devices.device import SimulatedDevice
from dccsim.devices.kinds import DeviceType
from dccsim.devices.tariff import (
    BLOCKS,
    BillingCalendar,
    Currency,
    DateSpec,
    DayProfile,
    ElecBillingCalendar,
    ElecPrices,
    Fuel,
    GasBillingCalendar,
    GasPrices,
    HeldChange,
    Indexed,
    IndexedRow,
    MonthDay,
    Periodicity,
    PrimaryTariff,
    Registers,
    Season,
    SecondaryPrices,
    SecondaryTariff,
    SpecialDay,
    SwitchingTable,
    Tariff,
    TariffChange,
    WeekProfile,
)
from dccsim.server.core.delivery import Outcome, decide, deliver_heard, nothing
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.faults import FaultStage
from dccsim.server.core.fields import check_int, check_text
from dccsim.server.core.journal import EventKind
from dccsim.server.core.messages import DeviceAlertMessage
from dccsim.server.core.requests import RequestId, ServiceRequest
from dccsim.server.core.services.registry import Family
from dccsim.server.core.state import DspState

family: Family = Family()

_METERS = (DeviceType.ESME, DeviceType.GSME)
_ESME = (DeviceType.ESME,)
_GAS_READERS = (DeviceType.GSME, DeviceType.GPF)
_ALL_READERS = (DeviceType.ESME, DeviceType.GSME, DeviceType.GPF)
_SHORT = (-32_768, 32_767)
_SCALE = (-128, 127)
_UNSIGNED_INT = 4_294_967_295
_GAS_THRESHOLD = 281_474_976_710_655
_MAX_CERTIFICATE_BYTES = 4096
# The GBCS message code of each future-datable write, by meter (its 0x00CC alert names it).
_COMMAND_CODES = {
    (TariffChange.PRIMARY_TARIFF, DeviceType.ESME): 0x0019,  # ECS01a
    (TariffChange.PRIMARY_TARIFF, DeviceType.GSME): 0x006B,  # GCS01a
    (TariffChange.PRIMARY_PRICE, DeviceType.ESME): 0x00A2,  # ECS01b
    (TariffChange.PRIMARY_PRICE, DeviceType.GSME): 0x00A3,  # GCS01b
    (TariffChange.SECONDARY_TARIFF, DeviceType.ESME): 0x00B7,  # ECS01c
    (TariffChange.SECONDARY_PRICE, DeviceType.ESME): 0x00C7,  # ECS01d
}


# -- request bodies ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UpdateImportTariffPrimary:
    """1.1.1 UpdateImportTariffPrimaryElement (DUIS TariffPrimaryElement)."""

    tariff: PrimaryTariff


@dataclass(frozen=True, slots=True)
class UpdateImportTariffSecondary:
    """1.1.2 UpdateImportTariffSecondaryElement (DUIS TariffSecondaryElement)."""

    tariff: SecondaryTariff


@dataclass(frozen=True, slots=True)
class UpdatePricePrimary:
    """1.2.1 UpdatePricePrimaryElement: ElectricityPriceElements or GasPriceElements."""

    prices: ElecPrices | GasPrices


@dataclass(frozen=True, slots=True)
class UpdatePriceSecondary:
    """1.2.2 UpdatePriceSecondaryElement."""

    prices: SecondaryPrices


@dataclass(frozen=True, slots=True)
class ResetTariffBlockCounterMatrix:
    """1.7: no content."""


@dataclass(frozen=True, slots=True)
class SetDailyBlockCounterReset:
    """6.26 UpdateDeviceConfigurationDailyResettingOfTariffBlockCounterMatrix."""

    daily: bool


@dataclass(frozen=True, slots=True)
class ReadTouMatrices:
    """4.1.2 ReadInstantaneousImportTOUMatrices (its ExecutionDateTime is the request's)."""


@dataclass(frozen=True, slots=True)
class ReadTouWithBlocksMatrices:
    """4.1.3 ReadInstantaneousImportTOUWithBlocksMatrices."""


@dataclass(frozen=True, slots=True)
class ReadBlockCounters:
    """4.1.4 ReadInstantaneousImportBlockCounters."""


@dataclass(frozen=True, slots=True)
class ReadBillingDataLog:
    """4.4.2 / 4.4.3 (ReadLogFutureDatableAndURPCredentials): the period, and the unknown
    remote party's key agreement certificate (kept for the schema; dccsim encrypts nothing)."""

    start: datetime
    end: datetime
    ka_certificate: bytes | None = None


@dataclass(frozen=True, slots=True)
class ReadPrimaryTariff:
    """4.11.1 ReadTariffPrimaryElement: no content."""


@dataclass(frozen=True, slots=True)
class ReadSecondaryTariff:
    """4.11.2 ReadTariffSecondaryElement: no content."""


@dataclass(frozen=True, slots=True)
class UpdateBillingCalendar:
    """6.8 UpdateDeviceConfigurationBillingCalendar."""

    calendar: BillingCalendar


@dataclass(frozen=True, slots=True)
class ReadBillingCalendar:
    """6.2.3 ReadDeviceConfigurationBillingCalendar: no content."""


# -- response bodies -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TouMatricesRead:
    """4.1.2: the TOU registers (ESME 48 and its secondary element's 4; GSME 4, litres)."""

    fuel: Fuel
    tou: tuple[int, ...]
    secondary: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class TouWithBlocksRead:
    """4.1.3: per block 1-4, the 8 TOU-block rates' registers and counters (Wh)."""

    blocks: tuple[tuple[int, ...], ...]  # [block][rate]
    counters: tuple[tuple[int, ...], ...]


@dataclass(frozen=True, slots=True)
class BlockCountersRead:
    """4.1.4: a GSME's block counters 1-4 (litres)."""

    counters: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class BillingLogRead:
    """4.4.2 (`calendar` False) or 4.4.3: the entries in the period, oldest first."""

    fuel: Fuel
    calendar: bool
    entries: tuple[Registers, ...]


@dataclass(frozen=True, slots=True)
class PrimaryTariffRead:
    """4.11.1: the tariff held (None: none set) and the price in force, as written."""

    fuel: Fuel
    active_price: int | None
    tariff: PrimaryTariff | None


@dataclass(frozen=True, slots=True)
class SecondaryTariffRead:
    """4.11.2."""

    active_price: int | None
    tariff: SecondaryTariff | None


@dataclass(frozen=True, slots=True)
class BillingCalendarRead:
    """6.2.3: the calendar held (None: never set)."""

    calendar: BillingCalendar | None


# -- checks --------------------------------------------------------------------------------------


def _check_count(items: object, field: str, low: int, high: int) -> tuple[object, ...]:
    if not isinstance(items, tuple):
        raise InvalidField(field, "must be a list")
    if not low <= len(items) <= high:
        raise InvalidField(field, f"holds {len(items)} entries; {low} to {high} allowed")
    return items


def _check_indexed(
    items: object, field: str, *, count: tuple[int, int], indices: int, value: tuple[int, int]
) -> None:
    """A list of `Indexed`: its length, each index (unique, 1-indices) and value range."""
    seen: set[int] = set()
    for n, item in enumerate(_check_count(items, field, *count)):
        if not isinstance(item, Indexed):
            raise InvalidField(f"{field}[{n}]", "must be an indexed value")
        check_int(item.index, f"{field}[{n}].index", low=1, high=indices)
        if item.index in seen:
            raise InvalidField(f"{field}[{n}].index", f"index {item.index} is given twice")
        seen.add(item.index)
        check_int(item.value, f"{field}[{n}].value", low=value[0], high=value[1])


@dataclass(frozen=True, slots=True)
class _TableLimits:
    """What DUIS allows in a switching table of one kind."""

    days: int  # day profiles (and day names 1..days)
    switches: int  # ProfileSchedule entries per day profile
    tou_actions: int
    block_actions: int  # 0: no block actions
    weeks: int
    seasons: int
    special_days: int
    named_seasons: bool
    month_day_words: bool  # LastDayOfMonth / SecondLastDayOfMonth allowed


_ELEC_PRIMARY = _TableLimits(16, 48, 48, 8, 4, 4, 50, True, True)
_ELEC_SECONDARY = _TableLimits(16, 48, 4, 0, 4, 4, 50, True, True)
_GAS = _TableLimits(4, 1, 4, 1, 2, 3, 20, False, False)


def _check_date(spec: object, field: str, limits: _TableLimits) -> None:
    if not isinstance(spec, DateSpec):
        raise InvalidField(field, "must be a date (with wildcards)")
    if spec.year is not None:
        check_int(spec.year, f"{field}.year", low=2014, high=9999)
    if spec.month is not None:
        check_int(spec.month, f"{field}.month", low=1, high=12)
    if isinstance(spec.day, MonthDay):
        if not limits.month_day_words:
            raise InvalidField(f"{field}.day", "a gas date names a day of the month by number")
    elif spec.day is not None:
        check_int(spec.day, f"{field}.day", low=1, high=31)
    if spec.weekday is not None:
        check_int(spec.weekday, f"{field}.weekday", low=1, high=7)


def _check_day_profile(profile: object, field: str, limits: _TableLimits) -> None:
    if not isinstance(profile, DayProfile):
        raise InvalidField(field, "must be a day profile")
    check_int(profile.name, f"{field}.name", low=1, high=limits.days)
    _check_count(profile.switches, f"{field}.switches", 1, limits.switches)
    for n, switch in enumerate(profile.switches):
        where = f"{field}.switches[{n}]"
        if not isinstance(switch.start, time):
            raise InvalidField(f"{where}.start", "must be a time of day")
        if switch.block and not limits.block_actions:
            raise InvalidField(f"{where}.block", "this tariff has no block actions")
        high = limits.block_actions if switch.block else limits.tou_actions
        check_int(switch.action, f"{where}.action", low=1, high=high)


def _check_table(table: object, field: str, limits: _TableLimits) -> None:
    if not isinstance(table, SwitchingTable):
        raise InvalidField(field, "a switching table is required")
    days = _check_count(table.day_profiles, f"{field}.day_profiles", 1, limits.days)
    for n, profile in enumerate(days):
        _check_day_profile(profile, f"{field}.day_profiles[{n}]", limits)
    names = {p.name for p in table.day_profiles}
    weeks = _check_count(table.week_profiles, f"{field}.week_profiles", 1, limits.weeks)
    for n, week in enumerate(weeks):
        _check_week(week, f"{field}.week_profiles[{n}]", limits, names)
    week_names = {w.name for w in table.week_profiles}
    seasons = _check_count(table.seasons, f"{field}.seasons", 1, limits.seasons)
    for n, season in enumerate(seasons):
        _check_season(season, f"{field}.seasons[{n}]", limits, week_names)
    specials = _check_count(table.special_days, f"{field}.special_days", 0, limits.special_days)
    for n, special in enumerate(specials):
        where = f"{field}.special_days[{n}]"
        if not isinstance(special, SpecialDay):
            raise InvalidField(where, "must be a special day")
        _check_date(special.date, f"{where}.date", limits)
        _check_reference(special.day, f"{where}.day", limits.days, names, "day profile")


def _check_week(week: object, field: str, limits: _TableLimits, days: set[int]) -> None:
    if not isinstance(week, WeekProfile):
        raise InvalidField(field, "must be a week profile")
    check_int(week.name, f"{field}.name", low=1, high=limits.weeks)
    _check_count(week.days, f"{field}.days", 7, 7)
    for n, day in enumerate(week.days):
        _check_reference(day, f"{field}.days[{n}]", limits.days, days, "day profile")


def _check_season(season: object, field: str, limits: _TableLimits, weeks: set[int]) -> None:
    if not isinstance(season, Season):
        raise InvalidField(field, "must be a season")
    if limits.named_seasons:
        check_text(season.name, f"{field}.name", min_length=0, max_length=8)
    elif season.name is not None:
        raise InvalidField(f"{field}.name", "a gas season has no name")
    _check_date(season.start, f"{field}.start", limits)
    _check_reference(season.week, f"{field}.week", limits.weeks, weeks, "week profile")


def _check_reference(value: object, field: str, high: int, defined: set[int], what: str) -> None:
    check_int(value, field, low=1, high=high)
    if value not in defined:
        raise InvalidField(field, f"names {what} {value}, which the tariff does not define")


def _check_elec_prices(prices: object, field: str) -> None:
    if not isinstance(prices, ElecPrices):
        raise InvalidField(field, "electricity price elements are required")
    low, high = _SHORT
    check_int(prices.standing_charge, f"{field}.standing_charge", low=low, high=high)
    check_int(prices.standing_charge_scale, f"{field}.standing_charge_scale", low=-128, high=127)
    check_int(prices.price_scale, f"{field}.price_scale", low=-128, high=127)
    if not prices.block_prices and not prices.tou_prices:
        raise InvalidField(f"{field}.tou_prices", "a block, TOU or hybrid tariff is required")
    if prices.block_prices:
        _check_block_rows(prices.block_prices, f"{field}.block_prices")
    if prices.tou_prices:
        _check_indexed(
            prices.tou_prices, f"{field}.tou_prices", count=(1, 48), indices=48, value=_SHORT
        )


def _check_block_rows(rows: object, field: str) -> None:
    seen: set[int] = set()
    for n, row in enumerate(_check_count(rows, field, 1, 8)):
        if not isinstance(row, IndexedRow):
            raise InvalidField(f"{field}[{n}]", "must be an indexed row")
        check_int(row.index, f"{field}[{n}].index", low=1, high=8)
        if row.index in seen:
            raise InvalidField(f"{field}[{n}].index", f"index {row.index} is given twice")
        seen.add(row.index)
        _check_indexed(row.values, f"{field}[{n}].values", count=(1, 4), indices=4, value=_SHORT)


def _check_gas_prices(prices: object, field: str) -> None:
    if not isinstance(prices, GasPrices):
        raise InvalidField(field, "gas price elements are required")
    if not isinstance(prices.currency, Currency):
        raise InvalidField(f"{field}.currency", f"{prices.currency!r} is not GBP or ECB")
    check_int(prices.standing_charge, f"{field}.standing_charge", low=0, high=_UNSIGNED_INT)
    if bool(prices.block_prices) == bool(prices.tou_prices):
        raise InvalidField(f"{field}.tou_prices", "either a block or a TOU tariff is required")
    price = (0, _UNSIGNED_INT)
    if prices.block_prices:
        _check_indexed(
            prices.block_prices, f"{field}.block_prices", count=(1, 4), indices=4, value=price
        )
        check_int(prices.number_of_thresholds, f"{field}.number_of_thresholds", low=1, high=3)
    else:
        if prices.number_of_thresholds is not None:
            raise InvalidField(f"{field}.number_of_thresholds", "only a block tariff has it")
        _check_indexed(
            prices.tou_prices, f"{field}.tou_prices", count=(1, 4), indices=4, value=price
        )


def _check_prices_cover(table: SwitchingTable, prices: ElecPrices | GasPrices, field: str) -> None:
    """A TOU action must name a rate the tariff prices (the meter could not charge it)."""
    priced = {p.index for p in prices.tou_prices}
    for n, profile in enumerate(table.day_profiles):
        for k, switch in enumerate(profile.switches):
            if not switch.block and priced and switch.action not in priced:
                raise InvalidField(
                    f"{field}.day_profiles[{n}].switches[{k}].action",
                    f"TOU rate {switch.action} has no price",
                )


def _check_primary(body: UpdateImportTariffPrimary) -> None:
    tariff = body.tariff
    if not isinstance(tariff, PrimaryTariff):
        raise InvalidField("body.tariff", "a primary element tariff is required")
    if not isinstance(tariff.fuel, Fuel):
        raise InvalidField("body.tariff.fuel", f"{tariff.fuel!r} is not Electricity or Gas")
    gas = tariff.fuel is Fuel.GAS
    _check_table(tariff.table, "body.tariff.table", _GAS if gas else _ELEC_PRIMARY)
    if gas:
        if tariff.currency is not None:
            raise InvalidField("body.tariff.currency", "a gas tariff's currency is in its prices")
        _check_rows_gas(tariff.thresholds)
        _check_gas_prices(tariff.prices, "body.tariff.prices")
    else:
        if not isinstance(tariff.currency, Currency):
            raise InvalidField("body.tariff.currency", f"{tariff.currency!r} is not GBP or ECB")
        _check_rows_elec(tariff.thresholds)
        _check_elec_prices(tariff.prices, "body.tariff.prices")
    assert isinstance(tariff.prices, ElecPrices | GasPrices)
    _check_prices_cover(tariff.table, tariff.prices, "body.tariff.table")


def _check_rows_elec(rows: object) -> None:
    field = "body.tariff.thresholds"
    seen: set[int] = set()
    for n, row in enumerate(_check_count(rows, field, 8, 8)):
        if not isinstance(row, IndexedRow):
            raise InvalidField(f"{field}[{n}]", "must be an indexed row")
        check_int(row.index, f"{field}[{n}].index", low=1, high=8)
        if row.index in seen:
            raise InvalidField(f"{field}[{n}].index", f"index {row.index} is given twice")
        seen.add(row.index)
        _check_indexed(
            row.values, f"{field}[{n}].values", count=(1, 3), indices=3, value=(0, _UNSIGNED_INT)
        )


def _check_rows_gas(rows: object) -> None:
    field = "body.tariff.thresholds"
    row = _check_count(rows, field, 1, 1)[0]
    if not isinstance(row, IndexedRow) or row.index != 1:
        raise InvalidField(f"{field}[0]", "a gas tariff has one row of thresholds, index 1")
    _check_indexed(
        row.values, f"{field}[0].values", count=(1, 3), indices=3, value=(0, _GAS_THRESHOLD)
    )


def _check_secondary_prices(prices: object, field: str) -> None:
    if not isinstance(prices, SecondaryPrices):
        raise InvalidField(field, "secondary element prices are required")
    check_int(prices.price_scale, f"{field}.price_scale", low=-128, high=127)
    _check_indexed(prices.tou_prices, f"{field}.tou_prices", count=(1, 4), indices=4, value=_SHORT)


def _check_secondary(body: UpdateImportTariffSecondary) -> None:
    tariff = body.tariff
    if not isinstance(tariff, SecondaryTariff):
        raise InvalidField("body.tariff", "a secondary element tariff is required")
    _check_table(tariff.table, "body.tariff.table", _ELEC_SECONDARY)
    _check_secondary_prices(tariff.prices, "body.tariff.prices")


def _check_price_primary(body: UpdatePricePrimary) -> None:
    if isinstance(body.prices, GasPrices):
        _check_gas_prices(body.prices, "body.prices")
    else:
        _check_elec_prices(body.prices, "body.prices")


def _check_price_secondary(body: UpdatePriceSecondary) -> None:
    _check_secondary_prices(body.prices, "body.prices")


def _check_daily_reset(body: SetDailyBlockCounterReset) -> None:
    if not isinstance(body.daily, bool):
        raise InvalidField("body.daily", "must be true or false")


def _check_log_period(body: ReadBillingDataLog) -> None:
    for name in ("start", "end"):
        when = getattr(body, name)
        if not isinstance(when, datetime) or when.tzinfo is None:
            raise InvalidField(f"body.{name}", "must be a date and time with its time zone")
    if body.end < body.start:
        raise InvalidField("body.end", "is before the start of the period")
    certificate = body.ka_certificate
    if certificate is not None and (
        not isinstance(certificate, bytes) or not 0 < len(certificate) <= _MAX_CERTIFICATE_BYTES
    ):
        raise InvalidField(
            "body.ka_certificate", f"a certificate of 1-{_MAX_CERTIFICATE_BYTES} bytes"
        )


def _check_calendar(body: UpdateBillingCalendar) -> None:
    cal = body.calendar
    if isinstance(cal, GasBillingCalendar):
        if not isinstance(cal.period_start, datetime) or cal.period_start.tzinfo is None:
            raise InvalidField("body.calendar.period_start", "must be a date and time with zone")
        if not isinstance(cal.periodicity, Periodicity):
            raise InvalidField("body.calendar.periodicity", f"{cal.periodicity!r} is unknown")
        return
    if not isinstance(cal, ElecBillingCalendar):
        raise InvalidField("body.calendar", "an electricity or gas billing calendar is required")
    if not isinstance(cal.billing_time, time):
        raise InvalidField("body.calendar.billing_time", "must be a time of day")
    if not isinstance(cal.periodicity, Periodicity):
        raise InvalidField("body.calendar.periodicity", f"{cal.periodicity!r} is unknown")
    daily = cal.periodicity is Periodicity.DAILY
    weekly = cal.periodicity is Periodicity.WEEKLY
    if daily:
        if cal.day is not None:
            raise InvalidField("body.calendar.day", "a daily calendar names no day")
    else:
        check_int(cal.day, "body.calendar.day", low=1, high=7 if weekly else 28)
    if daily or weekly or cal.periodicity is Periodicity.MONTHLY:
        if cal.start_month is not None:
            raise InvalidField("body.calendar.start_month", "only a longer period starts a month")
    else:
        check_int(cal.start_month, "body.calendar.start_month", low=1, high=12)


# -- the meter's tariff --------------------------------------------------------------------------


def _fuel(device: SimulatedDevice) -> Fuel:
    return Fuel.ELECTRICITY if device.device_type is DeviceType.ESME else Fuel.GAS


def _meter(device: SimulatedDevice) -> SimulatedDevice | None:
    """The meter whose data a device answers with: itself, or a GPF's GSME."""
    if device.device_type is DeviceType.GPF:
        return device.gsme
    return device


def _tariff(state: DspState, device: SimulatedDevice) -> Tariff:
    """The meter's tariff, made at its first tariff write (as installed: a single rate)."""
    if device.tariff is None:
        readings = state.network.readings(device)
        device.tariff = Tariff.installed(_fuel(device), readings, state.now())
    return device.tariff


def _view(state: DspState, meter: SimulatedDevice) -> Tariff:
    """What a read sees: the meter's tariff, or its installed state (made, not kept: a read
    changes nothing)."""
    if meter.tariff is not None:
        return meter.tariff
    readings = state.network.readings(meter)
    return Tariff.installed(_fuel(meter), readings, _installed_at(state))


def _installed_at(state: DspState) -> datetime:
    """A meter never written to has run its factory tariff since its first reading."""
    return min(EPOCH, state.now())


def _readings(state: DspState, meter: SimulatedDevice) -> Readings | None:
    return state.network.readings(meter)


# -- writes, and the "Device" future-dating they share (SRV-05) ---------------------------------


Apply = Callable[[DspState, SimulatedDevice, object], None]


def _apply_primary(state: DspState, device: SimulatedDevice, value: object) -> None:
    assert isinstance(value, PrimaryTariff)
    if value.fuel is _fuel(device):
        _tariff(state, device).set_primary(value, state.now(), _readings(state, device))


def _apply_secondary(state: DspState, device: SimulatedDevice, value: object) -> None:
    assert isinstance(value, SecondaryTariff)
    _tariff(state, device).set_secondary(value, state.now())


def _apply_primary_prices(state: DspState, device: SimulatedDevice, value: object) -> None:
    assert isinstance(value, ElecPrices | GasPrices)
    _tariff(state, device).set_primary_prices(value, state.now(), _readings(state, device))


def _apply_secondary_prices(state: DspState, device: SimulatedDevice, value: object) -> None:
    assert isinstance(value, SecondaryPrices)
    _tariff(state, device).set_secondary_prices(value)


_APPLY: dict[TariffChange, Apply] = {
    TariffChange.PRIMARY_TARIFF: _apply_primary,
    TariffChange.SECONDARY_TARIFF: _apply_secondary,
    TariffChange.PRIMARY_PRICE: _apply_primary_prices,
    TariffChange.SECONDARY_PRICE: _apply_secondary_prices,
}


def _write(
    state: DspState, request: ServiceRequest, device: SimulatedDevice, value: object
) -> Outcome:
    change = TariffChange(request.srv)
    tariff = _tariff(state, device)
    if request.is_cancellation:
        tariff.cancel(change)
        return None, nothing
    when = request.execution_datetime
    if when is not None and when > state.now():
        tariff.hold(change, HeldChange(when, request.request_id.counter, value))  # type: ignore[arg-type]
        state.scheduler.at(
            when,
            partial(run_held_change, state, device.device_id, request.request_id, change),
            label=f"{change.value} tariff write on {device.device_id}",
        )
        return None, nothing
    _APPLY[change](state, device, value)
    return None, nothing


def run_held_change(state: DspState, device_id: str, rid: RequestId, change: TariffChange) -> None:
    """A future-dated tariff or price write falls due: the meter applies it and raises 0x8F66
    (SRV-05)."""
    device = state.network.get(device_id)
    if device is None or device.tariff is None:
        return
    held = device.tariff.take_due(change, rid.counter, state.now())
    if held is None:  # cancelled or replaced meanwhile
        return
    _APPLY[change](state, device, held.value)
    alert = DeviceAlertMessage(
        device_id=device_id,
        message_code=MessageCode.FUTURE_DATED_COSEM,
        alert_code=AlertCode.FUTURE_DATED_COMMAND_ACTIONED,
        issued_at=state.now(),
        request_id=rid,
        future_dated_srv=change.value,
        command_message_code=_COMMAND_CODES[change, device.device_type],
    )
    state.journal.record(
        state.now(),
        EventKind.DEVICE_ALERT,
        f"alert {alert.alert_code:#06X}",
        device=device_id,
        message_code=f"{alert.message_code:#06X}",
    )
    decision = decide(state, FaultStage.DEVICE_ALERT, change.value, device, rid)
    deliver_heard(state, rid.originator, alert, decision)


@family.device(
    "1.1.1",
    body=UpdateImportTariffPrimary,
    check=_check_primary,
    device_types=_METERS,
    device_holds_future_dated=True,
)
def update_primary_tariff(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    assert isinstance(request.body, UpdateImportTariffPrimary)
    return _write(state, request, device, request.body.tariff)


@family.device(
    "1.1.2",
    body=UpdateImportTariffSecondary,
    check=_check_secondary,
    device_types=_ESME,
    device_holds_future_dated=True,
)
def update_secondary_tariff(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    assert isinstance(request.body, UpdateImportTariffSecondary)
    return _write(state, request, device, request.body.tariff)


@family.device(
    "1.2.1",
    body=UpdatePricePrimary,
    check=_check_price_primary,
    device_types=_METERS,
    device_holds_future_dated=True,
)
def update_primary_price(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    assert isinstance(request.body, UpdatePricePrimary)
    return _write(state, request, device, request.body.prices)


@family.device(
    "1.2.2",
    body=UpdatePriceSecondary,
    check=_check_price_secondary,
    device_types=_ESME,
    device_holds_future_dated=True,
)
def update_secondary_price(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    assert isinstance(request.body, UpdatePriceSecondary)
    return _write(state, request, device, request.body.prices)


@family.device("1.7", body=ResetTariffBlockCounterMatrix, device_types=_ESME)
def reset_block_counters(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    _tariff(state, device).reset_block_counters(state.now(), _readings(state, device))
    return None, nothing


@family.device("6.26", body=SetDailyBlockCounterReset, check=_check_daily_reset, device_types=_ESME)
def set_daily_block_reset(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    assert isinstance(request.body, SetDailyBlockCounterReset)
    tariff = _tariff(state, device)
    tariff.set_daily_block_reset(request.body.daily, state.now(), _readings(state, device))
    return None, nothing


@family.device("6.8", body=UpdateBillingCalendar, check=_check_calendar, device_types=_METERS)
def update_billing_calendar(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    assert isinstance(request.body, UpdateBillingCalendar)
    cal = request.body.calendar
    if isinstance(cal, GasBillingCalendar) != (device.device_type is DeviceType.GSME):
        return None, nothing  # the other fuel's calendar: not applied (module doc)
    _tariff(state, device).set_calendar(cal, state.now(), _readings(state, device))
    return None, nothing


# -- reads ---------------------------------------------------------------------------------------


def _registers(state: DspState, meter: SimulatedDevice | None) -> Registers | None:
    if meter is None:
        return None
    return _view(state, meter).registers_at(state.now(), _readings(state, meter))


@family.device(
    "4.1.2", body=ReadTouMatrices, device_types=_ALL_READERS, responses=(TouMatricesRead,)
)
def read_tou_matrices(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    meter = _meter(device)
    registers = _registers(state, meter)
    fuel = _fuel(device) if device.device_type is not DeviceType.GPF else Fuel.GAS
    if registers is None:
        return TouMatricesRead(fuel, ()), nothing
    secondary: tuple[int, ...] = ()
    if fuel is Fuel.ELECTRICITY and meter is not None and _has_secondary(meter):
        secondary = registers.secondary
    return TouMatricesRead(fuel, registers.tou, secondary), nothing


def _has_secondary(meter: SimulatedDevice) -> bool:
    return meter.tariff is not None and meter.tariff.secondary is not None


@family.device(
    "4.1.3", body=ReadTouWithBlocksMatrices, device_types=_ESME, responses=(TouWithBlocksRead,)
)
def read_tou_with_blocks(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    registers = _registers(state, device)
    assert registers is not None
    by_block = tuple(tuple(row[b] for row in registers.blocks) for b in range(BLOCKS))
    counters = tuple(tuple(row[b] for row in registers.counters) for b in range(BLOCKS))
    return TouWithBlocksRead(by_block, counters), nothing


@family.device(
    "4.1.4", body=ReadBlockCounters, device_types=_GAS_READERS, responses=(BlockCountersRead,)
)
def read_block_counters(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    registers = _registers(state, _meter(device))
    if registers is None:
        return BlockCountersRead(()), nothing
    return BlockCountersRead(registers.counters[0]), nothing


def _read_log(
    state: DspState, request: ServiceRequest, device: SimulatedDevice, calendar: bool
) -> Outcome:
    body = request.body
    assert isinstance(body, ReadBillingDataLog)
    meter = _meter(device)
    fuel = Fuel.ELECTRICITY if device.device_type is DeviceType.ESME else Fuel.GAS
    if meter is None or meter.tariff is None:
        return BillingLogRead(fuel, calendar, ()), nothing
    tariff = meter.tariff
    if calendar:
        entries = tariff.billing_entries(state.now(), _readings(state, meter))
    else:
        entries = list(tariff.change_log)
    chosen = tuple(e.registers for e in entries if body.start <= e.registers.at <= body.end)
    return BillingLogRead(fuel, calendar, chosen), nothing


@family.device(
    "4.4.2",
    body=ReadBillingDataLog,
    check=_check_log_period,
    device_types=_METERS,
    responses=(BillingLogRead,),
)
def read_change_billing_log(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    return _read_log(state, request, device, calendar=False)


@family.device(
    "4.4.3",
    body=ReadBillingDataLog,
    check=_check_log_period,
    device_types=_METERS,
    responses=(BillingLogRead,),
)
def read_calendar_billing_log(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    return _read_log(state, request, device, calendar=True)


@family.device(
    "4.11.1", body=ReadPrimaryTariff, device_types=_METERS, responses=(PrimaryTariffRead,)
)
def read_primary_tariff(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    meter = _meter(device)
    fuel = Fuel.ELECTRICITY if device.device_type is DeviceType.ESME else Fuel.GAS
    if meter is None or meter.tariff is None:
        return PrimaryTariffRead(fuel, None, None), nothing
    tariff = meter.tariff
    price = tariff.active_primary_price(state.now(), _readings(state, meter))
    return PrimaryTariffRead(fuel, price, tariff.primary), nothing


@family.device(
    "4.11.2", body=ReadSecondaryTariff, device_types=_ESME, responses=(SecondaryTariffRead,)
)
def read_secondary_tariff(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    tariff = device.tariff
    if tariff is None:
        return SecondaryTariffRead(None, None), nothing
    return SecondaryTariffRead(
        tariff.active_secondary_price(state.now()), tariff.secondary
    ), nothing


@family.device(
    "6.2.3", body=ReadBillingCalendar, device_types=_METERS, responses=(BillingCalendarRead,)
)
def read_billing_calendar(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    meter = _meter(device)
    tariff = meter.tariff if meter is not None else None
    return BillingCalendarRead(tariff.calendar if tariff is not None else None), nothing
