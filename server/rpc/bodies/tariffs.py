"""gRPC messages of the tariff family (tariffs.proto): 1.1.1, 1.1.2, 1.2.1, 1.2.2, 1.7, 6.26, 4.1.2,
4.1.3, 4.1.4, 4.4.2, 4.4.3, 4.11.1, 4.11.2, 6.8, 6.2.3. Words DUIS spells are strings; one that
names no DUIS value is refused naming its field (the core checks the rest)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import time
from enum import StrEnum
from typing import TypeVar

from dccsim.devices.tariff import (
    BillingCalendar,
    Currency,
    DateSpec,
    DayProfile,
    ElecBillingCalendar,
    ElecPrices,
    Fuel,
    GasBillingCalendar,
    GasPrices,
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
    Switch,
    SwitchingTable,
    WeekProfile,
)
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.services.tariffs import (
    BillingCalendarRead,
    BillingLogRead,
    BlockCountersRead,
    PrimaryTariffRead,
    ReadBillingCalendar,
    ReadBillingDataLog,
    ReadBlockCounters,
    ReadPrimaryTariff,
    ReadSecondaryTariff,
    ReadTouMatrices,
    ReadTouWithBlocksMatrices,
    ResetTariffBlockCounterMatrix,
    SecondaryTariffRead,
    SetDailyBlockCounterReset,
    TouMatricesRead,
    TouWithBlocksRead,
    UpdateBillingCalendar,
    UpdateImportTariffPrimary,
    UpdateImportTariffSecondary,
    UpdatePricePrimary,
    UpdatePriceSecondary,
)
from dccsim.server.rpc.bodies.family import MessageFamily
from dccsim.server.rpc.wire import from_timestamp, timestamp
from dccsim.v1 import supplier_pb2, tariffs_pb2

E = TypeVar("E", bound=StrEnum)
_TIME = re.compile(r"([0-9]{2}):([0-9]{2}):([0-9]{2})")


# -- requests ------------------------------------------------------------------------------------


def _word(kind: type[E], text: str, field: str) -> E:
    try:
        return kind(text)
    except ValueError:
        raise InvalidField(field, f"{text!r} is not one of {', '.join(kind)}") from None


def _time(text: str, field: str) -> time:
    match = _TIME.fullmatch(text)
    if match is None or int(match[1]) > 23 or int(match[2]) > 59 or int(match[3]) > 59:
        raise InvalidField(field, f"{text!r} is not a time of day (hh:mm:ss)")
    return time(int(match[1]), int(match[2]), int(match[3]))


def _optional(message: object, name: str) -> int | None:
    return getattr(message, name) if message.HasField(name) else None  # type: ignore[attr-defined]


def _date(message: tariffs_pb2.TariffDate, field: str) -> DateSpec:
    day: int | MonthDay | None = _optional(message, "day")
    if message.month_day:
        day = _word(MonthDay, message.month_day, f"{field}.day")
    return DateSpec(
        _optional(message, "year"), _optional(message, "month"), day, _optional(message, "weekday")
    )


def _table(message: tariffs_pb2.TariffSwitchingTable, field: str) -> SwitchingTable:
    profiles = tuple(
        DayProfile(
            p.name,
            tuple(
                Switch(
                    _time(s.start, f"{field}.day_profiles[{n}].switches[{k}].start"),
                    s.action,
                    s.block,
                )
                for k, s in enumerate(p.switches)
            ),
        )
        for n, p in enumerate(message.day_profiles)
    )
    weeks = tuple(WeekProfile(w.name, tuple(w.days)) for w in message.week_profiles)
    seasons = tuple(
        Season(
            s.name if s.HasField("name") else None,
            _date(s.start, f"{field}.seasons[{n}].start"),
            s.week,
        )
        for n, s in enumerate(message.seasons)
    )
    specials = tuple(
        SpecialDay(_date(s.date, f"{field}.special_days[{n}].date"), s.day)
        for n, s in enumerate(message.special_days)
    )
    return SwitchingTable(profiles, weeks, seasons, specials)


def _values(items: object) -> tuple[Indexed, ...]:
    return tuple(Indexed(v.index, v.value) for v in items)  # type: ignore[attr-defined]


def _rows(items: object) -> tuple[IndexedRow, ...]:
    return tuple(IndexedRow(r.index, _values(r.values)) for r in items)  # type: ignore[attr-defined]


def _primary_prices(message: tariffs_pb2.TariffPrimaryPrices, field: str) -> ElecPrices | GasPrices:
    which = message.WhichOneof("prices")
    if which == "gas":
        gas = message.gas
        return GasPrices(
            _word(Currency, gas.currency, f"{field}.currency"),
            gas.standing_charge,
            _values(gas.block_prices),
            _optional(gas, "number_of_thresholds"),
            _values(gas.tou_prices),
        )
    if which != "electricity":
        raise InvalidField(field, "electricity or gas prices are required")
    elec = message.electricity
    return ElecPrices(
        elec.standing_charge,
        elec.standing_charge_scale,
        elec.price_scale,
        _rows(elec.block_prices),
        _values(elec.tou_prices),
    )


def _secondary_prices(message: tariffs_pb2.TariffSecondaryPrices) -> SecondaryPrices:
    return SecondaryPrices(message.price_scale, _values(message.tou_prices))


def _update_primary(message: tariffs_pb2.TariffPrimary) -> UpdateImportTariffPrimary:
    currency = (
        _word(Currency, message.currency, "body.tariff.currency")
        if message.HasField("currency")
        else None
    )
    return UpdateImportTariffPrimary(
        PrimaryTariff(
            _word(Fuel, message.fuel, "body.tariff.fuel"),
            _table(message.table, "body.tariff.table"),
            _rows(message.thresholds),
            _primary_prices(message.prices, "body.tariff.prices"),
            currency,
        )
    )


def _update_secondary(message: tariffs_pb2.TariffSecondary) -> UpdateImportTariffSecondary:
    return UpdateImportTariffSecondary(
        SecondaryTariff(
            _table(message.table, "body.tariff.table"), _secondary_prices(message.prices)
        )
    )


def _update_price_primary(message: tariffs_pb2.TariffPrimaryPrices) -> UpdatePricePrimary:
    return UpdatePricePrimary(_primary_prices(message, "body.prices"))


def _update_price_secondary(message: tariffs_pb2.TariffSecondaryPrices) -> UpdatePriceSecondary:
    return UpdatePriceSecondary(_secondary_prices(message))


def _daily_reset(message: tariffs_pb2.TariffSetDailyBlockCounterReset) -> SetDailyBlockCounterReset:
    return SetDailyBlockCounterReset(message.daily)


def _read_log(message: tariffs_pb2.TariffReadBillingDataLog) -> ReadBillingDataLog:
    for name in ("start", "end"):
        if not message.HasField(name):
            raise InvalidField(f"body.{name}", "is required")
    certificate = message.ka_certificate if message.HasField("ka_certificate") else None
    return ReadBillingDataLog(
        from_timestamp(message.start, "body.start"),
        from_timestamp(message.end, "body.end"),
        certificate,
    )


def _calendar(message: tariffs_pb2.TariffBillingCalendar) -> UpdateBillingCalendar:
    which = message.WhichOneof("calendar")
    if which == "gas":
        gas = message.gas
        if not gas.HasField("period_start"):
            raise InvalidField("body.calendar.period_start", "is required")
        return UpdateBillingCalendar(
            GasBillingCalendar(
                from_timestamp(gas.period_start, "body.calendar.period_start"),
                _word(Periodicity, gas.periodicity, "body.calendar.periodicity"),
            )
        )
    if which != "electricity":
        raise InvalidField("body.calendar", "an electricity or gas calendar is required")
    elec = message.electricity
    return UpdateBillingCalendar(
        ElecBillingCalendar(
            _time(elec.billing_time, "body.calendar.billing_time"),
            _word(Periodicity, elec.periodicity, "body.calendar.periodicity"),
            _optional(elec, "day"),
            _optional(elec, "start_month"),
        )
    )


def _empty(body_type: type) -> Callable[[object], object]:
    def read(message: object) -> object:
        return body_type()

    return read


# -- answers -------------------------------------------------------------------------------------


def _time_text(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"


def _fill_date(out: tariffs_pb2.TariffDate, spec: DateSpec) -> None:
    out.SetInParent()
    if spec.year is not None:
        out.year = spec.year
    if spec.month is not None:
        out.month = spec.month
    if isinstance(spec.day, MonthDay):
        out.month_day = spec.day.value
    elif spec.day is not None:
        out.day = spec.day
    if spec.weekday is not None:
        out.weekday = spec.weekday


def _fill_table(out: tariffs_pb2.TariffSwitchingTable, table: SwitchingTable) -> None:
    for profile in table.day_profiles:
        item = out.day_profiles.add(name=profile.name)
        for switch in profile.switches:
            item.switches.add(
                start=_time_text(switch.start), action=switch.action, block=switch.block
            )
    for week in table.week_profiles:
        out.week_profiles.add(name=week.name, days=week.days)
    for season in table.seasons:
        season_item = out.seasons.add(week=season.week)
        if season.name is not None:
            season_item.name = season.name
        _fill_date(season_item.start, season.start)
    for special in table.special_days:
        special_item = out.special_days.add(day=special.day)
        _fill_date(special_item.date, special.date)


def _fill_values(out: object, values: tuple[Indexed, ...]) -> None:
    for value in values:
        out.add(index=value.index, value=value.value)  # type: ignore[attr-defined]


def _fill_rows(out: object, rows: tuple[IndexedRow, ...]) -> None:
    for row in rows:
        item = out.add(index=row.index)  # type: ignore[attr-defined]
        _fill_values(item.values, row.values)


def _fill_primary_prices(
    out: tariffs_pb2.TariffPrimaryPrices, prices: ElecPrices | GasPrices
) -> None:
    if isinstance(prices, GasPrices):
        gas = out.gas
        gas.currency = prices.currency.value
        gas.standing_charge = prices.standing_charge
        _fill_values(gas.block_prices, prices.block_prices)
        if prices.number_of_thresholds is not None:
            gas.number_of_thresholds = prices.number_of_thresholds
        _fill_values(gas.tou_prices, prices.tou_prices)
        return
    elec = out.electricity
    elec.standing_charge = prices.standing_charge
    elec.standing_charge_scale = prices.standing_charge_scale
    elec.price_scale = prices.price_scale
    _fill_rows(elec.block_prices, prices.block_prices)
    _fill_values(elec.tou_prices, prices.tou_prices)


def _fill_primary(out: tariffs_pb2.TariffPrimary, tariff: PrimaryTariff) -> None:
    out.fuel = tariff.fuel.value
    _fill_table(out.table, tariff.table)
    _fill_rows(out.thresholds, tariff.thresholds)
    _fill_primary_prices(out.prices, tariff.prices)
    if tariff.currency is not None:
        out.currency = tariff.currency.value


def _fill_blocks(
    out: object, blocks: tuple[tuple[int, ...], ...], counters: tuple[tuple[int, ...], ...]
) -> None:
    for registers, counts in zip(blocks, counters, strict=True):
        out.add(registers=registers, counters=counts)  # type: ignore[attr-defined]


def _by_block(rows: tuple[tuple[int, ...], ...]) -> tuple[tuple[int, ...], ...]:
    """[rate][block] -> [block][rate]."""
    return tuple(zip(*rows, strict=True)) if rows else ()


def _fill_registers(out: tariffs_pb2.TariffRegisters, registers: Registers) -> None:
    out.at.CopyFrom(timestamp(registers.at))
    out.total = registers.total
    out.tou.extend(registers.tou)
    _fill_blocks(out.blocks, _by_block(registers.blocks), _by_block(registers.counters))
    out.secondary_total = registers.secondary_total
    out.secondary.extend(registers.secondary)


def _tou(response: supplier_pb2.ServiceResponse, read: TouMatricesRead) -> None:
    out = response.tou_matrices
    out.fuel = read.fuel.value
    out.tou.extend(read.tou)
    out.secondary.extend(read.secondary)


def _tou_blocks(response: supplier_pb2.ServiceResponse, read: TouWithBlocksRead) -> None:
    out = response.tou_with_blocks
    out.SetInParent()
    _fill_blocks(out.blocks, read.blocks, read.counters)


def _block_counters(response: supplier_pb2.ServiceResponse, read: BlockCountersRead) -> None:
    out = response.block_counters
    out.SetInParent()
    out.counters.extend(read.counters)


def _billing_log(response: supplier_pb2.ServiceResponse, read: BillingLogRead) -> None:
    out = response.billing_data_log
    out.fuel = read.fuel.value
    out.calendar = read.calendar
    for registers in read.entries:
        _fill_registers(out.entries.add(), registers)


def _primary(response: supplier_pb2.ServiceResponse, read: PrimaryTariffRead) -> None:
    out = response.primary_tariff
    out.fuel = read.fuel.value
    if read.active_price is not None:
        out.active_price = read.active_price
    if read.tariff is not None:
        _fill_primary(out.tariff, read.tariff)


def _secondary(response: supplier_pb2.ServiceResponse, read: SecondaryTariffRead) -> None:
    out = response.secondary_tariff
    out.SetInParent()
    if read.active_price is not None:
        out.active_price = read.active_price
    if read.tariff is not None:
        _fill_table(out.tariff.table, read.tariff.table)
        out.tariff.prices.price_scale = read.tariff.prices.price_scale
        _fill_values(out.tariff.prices.tou_prices, read.tariff.prices.tou_prices)


def _fill_calendar(out: tariffs_pb2.TariffBillingCalendar, cal: BillingCalendar) -> None:
    if isinstance(cal, GasBillingCalendar):
        out.gas.period_start.CopyFrom(timestamp(cal.period_start))
        out.gas.periodicity = cal.periodicity.value
        return
    elec = out.electricity
    elec.billing_time = _time_text(cal.billing_time)
    elec.periodicity = cal.periodicity.value
    if cal.day is not None:
        elec.day = cal.day
    if cal.start_month is not None:
        elec.start_month = cal.start_month


def _billing_calendar(response: supplier_pb2.ServiceResponse, read: BillingCalendarRead) -> None:
    out = response.billing_calendar
    out.SetInParent()
    if read.calendar is not None:
        _fill_calendar(out.calendar, read.calendar)


FAMILY = MessageFamily(
    readers={
        "update_import_tariff_primary": (UpdateImportTariffPrimary, _update_primary),
        "update_import_tariff_secondary": (UpdateImportTariffSecondary, _update_secondary),
        "update_price_primary": (UpdatePricePrimary, _update_price_primary),
        "update_price_secondary": (UpdatePriceSecondary, _update_price_secondary),
        "reset_tariff_block_counter_matrix": (
            ResetTariffBlockCounterMatrix,
            _empty(ResetTariffBlockCounterMatrix),
        ),
        "set_daily_block_counter_reset": (SetDailyBlockCounterReset, _daily_reset),
        "read_tou_matrices": (ReadTouMatrices, _empty(ReadTouMatrices)),
        "read_tou_with_blocks_matrices": (
            ReadTouWithBlocksMatrices,
            _empty(ReadTouWithBlocksMatrices),
        ),
        "read_block_counters": (ReadBlockCounters, _empty(ReadBlockCounters)),
        "retrieve_tariff_triggered_billing_data_log": (ReadBillingDataLog, _read_log),
        "retrieve_billing_calendar_triggered_billing_data_log": (ReadBillingDataLog, _read_log),
        "read_tariff_primary": (ReadPrimaryTariff, _empty(ReadPrimaryTariff)),
        "read_tariff_secondary": (ReadSecondaryTariff, _empty(ReadSecondaryTariff)),
        "update_billing_calendar": (UpdateBillingCalendar, _calendar),
        "read_billing_calendar": (ReadBillingCalendar, _empty(ReadBillingCalendar)),
    },
    response_fillers={
        TouMatricesRead: _tou,
        TouWithBlocksRead: _tou_blocks,
        BlockCountersRead: _block_counters,
        BillingLogRead: _billing_log,
        PrimaryTariffRead: _primary,
        SecondaryTariffRead: _secondary,
        BillingCalendarRead: _billing_calendar,
    },
)
