"""DUIS bodies of the tariff family: 1.1.1 / 1.1.2 UpdateImportTariff{Primary,Secondary}Element,
1.2.1 / 1.2.2 UpdatePrice{Primary,Secondary}Element, 1.7 ResetTariffBlockCounterMatrix, 6.26
UpdateDeviceConfigurationDailyResettingOfTariffBlockCounterMatrix, 4.1.2 / 4.1.3 / 4.1.4
instantaneous TOU and block reads, 4.4.2 / 4.4.3 billing data logs, 4.11.1 / 4.11.2
ReadTariff{Primary,Secondary}Element, 6.8 / 6.2.3 billing calendar in; their MMC responses out
(the writes' responses are empty). Element order is the schemas' (DUIS 5.1 and 5.3a agree)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
from decimal import Decimal

from lxml import etree

from dccsim.devices.tariff import (
    Currency,
    DayProfile,
    ElecBillingCalendar,
    ElecPrices,
    Fuel,
    GasBillingCalendar,
    GasPrices,
    Indexed,
    IndexedRow,
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
from dccsim.server.duis.bodies.calendar import (
    date_spec,
    index_attribute,
    time_text,
    time_value,
    write_date_spec,
)
from dccsim.server.duis.bodies.family import BodyFamily
from dccsim.server.duis.names import format_datetime
from dccsim.server.duis.reading import (
    BodyReading,
    Fields,
    base64_value,
    boolean_value,
    contentless,
    datetime_value,
    empty_element,
    one_of,
    optional_datetime,
    sequence,
    signed_value,
    text_value,
    unsigned_value,
)
from dccsim.server.duis.writing import ra, sub

_LITRES = Decimal("0.001")
Elements = dict[str, list[etree._Element]]


# -- values --------------------------------------------------------------------------------------


def _indexed(element: etree._Element, path: str, *, signed: bool = False) -> Indexed:
    value = signed_value(element, path) if signed else unsigned_value(element, path)
    return Indexed(index_attribute(element, path), value)


def _currency(element: etree._Element, path: str) -> Currency:
    text = text_value(element, path)
    try:
        return Currency(text)
    except ValueError:
        raise InvalidField(path, f"{text!r} is not GBP or ECB") from None


# -- dates ---------------------------------------------------------------------------------------


# -- switching tables ----------------------------------------------------------------------------


def _elec_day_profile(element: etree._Element, path: str, primary: bool) -> DayProfile:
    parts = sequence(element, path, [("DayName", 1, 1), ("ProfileSchedule", 1, 48)])
    switches = []
    for n, item in enumerate(parts["ProfileSchedule"]):
        where = f"{path}/ProfileSchedule[{n + 1}]"
        actions = [("TOUTariffAction", 0, 1)] + ([("BlockTariffAction", 0, 1)] if primary else [])
        inner = sequence(item, where, [("StartTime", 1, 1), *actions])
        names = tuple(name for name, _, _ in actions)
        chosen = one_of(inner, names, where)
        start = time_value(inner["StartTime"][0], f"{where}/StartTime")
        action = unsigned_value(inner[chosen][0], f"{where}/{chosen}")
        switches.append(Switch(start, action, chosen == "BlockTariffAction"))
    name = unsigned_value(parts["DayName"][0], f"{path}/DayName")
    return DayProfile(name, tuple(switches))


def _gas_day_profile(element: etree._Element, path: str) -> DayProfile:
    parts = sequence(
        element, path, [("DayName", 1, 1), ("TOUTariffAction", 0, 1), ("BlockTariff", 0, 1)]
    )
    chosen = one_of(parts, ("TOUTariffAction", "BlockTariff"), path)
    name = unsigned_value(parts["DayName"][0], f"{path}/DayName")
    if chosen == "BlockTariff":
        empty_element(parts["BlockTariff"][0], f"{path}/BlockTariff")
        return DayProfile(name, (Switch(time(), 1, block=True),))
    action = unsigned_value(parts["TOUTariffAction"][0], f"{path}/TOUTariffAction")
    return DayProfile(name, (Switch(time(), action),))


def _week_profile(element: etree._Element, path: str) -> WeekProfile:
    parts = sequence(element, path, [("WeekName", 1, 1), ("ReferencedDayName", 7, 7)])
    days: dict[int, int] = {}
    for n, item in enumerate(parts["ReferencedDayName"]):
        where = f"{path}/ReferencedDayName[{n + 1}]"
        index = index_attribute(item, where)
        if not 1 <= index <= 7 or index in days:
            raise InvalidField(f"{where}/@index", "the 7 days are indexed 1-7, once each")
        days[index] = unsigned_value(item, where)
    name = unsigned_value(parts["WeekName"][0], f"{path}/WeekName")
    return WeekProfile(name, tuple(days[i] for i in range(1, 8)))


def _season(element: etree._Element, path: str, gas: bool) -> Season:
    layout = [("SeasonStartDate", 1, 1), ("ReferencedWeekName", 1, 1)]
    parts = sequence(element, path, layout if gas else [("SeasonName", 1, 1), *layout])
    name = None if gas else text_value(parts["SeasonName"][0], f"{path}/SeasonName")
    start = date_spec(parts["SeasonStartDate"][0], f"{path}/SeasonStartDate", gas)
    week = unsigned_value(parts["ReferencedWeekName"][0], f"{path}/ReferencedWeekName")
    return Season(name, start, week)


def _special_days(element: etree._Element, path: str, gas: bool) -> tuple[SpecialDay, ...]:
    parts = sequence(element, path, [("SpecialDay", 0, 50)])
    days = []
    for n, item in enumerate(parts["SpecialDay"]):
        where = f"{path}/SpecialDay[{n + 1}]"
        inner = sequence(item, where, [("Date", 1, 1), ("ReferencedDayName", 1, 1)])
        on = date_spec(inner["Date"][0], f"{where}/Date", gas)
        days.append(SpecialDay(on, unsigned_value(inner["ReferencedDayName"][0], where)))
    return tuple(days)


def _table(
    element: etree._Element, specials: etree._Element, path: str, kind: str
) -> SwitchingTable:
    """A SwitchingTable (kind: "primary", "secondary" or "gas") and its SpecialDays."""
    gas = kind == "gas"
    parts = sequence(
        element,
        f"{path}/SwitchingTable",
        [("DayProfiles", 1, 1), ("WeekProfiles", 1, 1), ("Seasons", 1, 1)],
    )
    base = f"{path}/SwitchingTable"
    day_items = sequence(parts["DayProfiles"][0], f"{base}/DayProfiles", [("DayProfile", 1, 16)])
    profiles = []
    for n, item in enumerate(day_items["DayProfile"]):
        where = f"{base}/DayProfiles/DayProfile[{n + 1}]"
        profiles.append(
            _gas_day_profile(item, where)
            if gas
            else _elec_day_profile(item, where, kind == "primary")
        )
    week_items = sequence(parts["WeekProfiles"][0], f"{base}/WeekProfiles", [("WeekProfile", 1, 4)])
    weeks = [
        _week_profile(item, f"{base}/WeekProfiles/WeekProfile[{n + 1}]")
        for n, item in enumerate(week_items["WeekProfile"])
    ]
    season_items = sequence(parts["Seasons"][0], f"{base}/Seasons", [("Season", 1, 4)])
    seasons = [
        _season(item, f"{base}/Seasons/Season[{n + 1}]", gas)
        for n, item in enumerate(season_items["Season"])
    ]
    special = _special_days(specials, f"{path}/SpecialDays", gas)
    return SwitchingTable(tuple(profiles), tuple(weeks), tuple(seasons), special)


def _table_fields(path: str, prefix: str) -> Fields:
    base = f"{path}/SwitchingTable"
    return {
        f"{prefix}.day_profiles": f"{base}/DayProfiles",
        f"{prefix}.week_profiles": f"{base}/WeekProfiles",
        f"{prefix}.seasons": f"{base}/Seasons",
        f"{prefix}.special_days": f"{path}/SpecialDays",
    }


# -- prices and thresholds -----------------------------------------------------------------------


def _elec_thresholds(element: etree._Element, path: str) -> tuple[IndexedRow, ...]:
    parts = sequence(element, path, [("Thresholds", 8, 8)])
    rows = []
    for n, item in enumerate(parts["Thresholds"]):
        where = f"{path}/Thresholds[{n + 1}]"
        inner = sequence(item, where, [("BlockThreshold", 1, 3)])
        values = tuple(
            _indexed(t, f"{where}/BlockThreshold[{k + 1}]")
            for k, t in enumerate(inner["BlockThreshold"])
        )
        rows.append(IndexedRow(index_attribute(item, where), values))
    return tuple(rows)


def _gas_thresholds(element: etree._Element, path: str) -> tuple[IndexedRow, ...]:
    parts = sequence(element, path, [("BlockThreshold", 1, 3)])
    values = tuple(
        _indexed(t, f"{path}/BlockThreshold[{k + 1}]")
        for k, t in enumerate(parts["BlockThreshold"])
    )
    return (IndexedRow(1, values),)


def _block_rows(items: list[etree._Element], path: str) -> tuple[IndexedRow, ...]:
    rows = []
    for n, item in enumerate(items):
        where = f"{path}/BlockPrices[{n + 1}]"
        inner = sequence(item, where, [("BlockPrice", 1, 4)])
        values = tuple(
            _indexed(p, f"{where}/BlockPrice[{k + 1}]", signed=True)
            for k, p in enumerate(inner["BlockPrice"])
        )
        rows.append(IndexedRow(index_attribute(item, where), values))
    return tuple(rows)


def _tou_prices(items: list[etree._Element], path: str, *, signed: bool) -> tuple[Indexed, ...]:
    name = etree.QName(items[0]).localname if items else "TOUPrice"
    return tuple(_indexed(p, f"{path}/{name}[{k + 1}]", signed=signed) for k, p in enumerate(items))


def _elec_prices(element: etree._Element, path: str) -> ElecPrices:
    parts = sequence(
        element,
        path,
        [
            ("StandingCharge", 1, 1),
            ("StandingChargeScale", 1, 1),
            ("PriceScale", 1, 1),
            ("BlockTariff", 0, 1),
            ("TOUTariff", 0, 1),
            ("HybridTariff", 0, 1),
        ],
    )
    chosen = one_of(parts, ("BlockTariff", "TOUTariff", "HybridTariff"), path)
    where = f"{path}/{chosen}"
    layout = {
        "BlockTariff": [("BlockPrices", 1, 8)],
        "TOUTariff": [("TOUPrice", 1, 48)],
        "HybridTariff": [("BlockPrices", 1, 8), ("TOUPrice", 1, 48)],
    }[chosen]
    inner = sequence(parts[chosen][0], where, layout)
    return ElecPrices(
        signed_value(parts["StandingCharge"][0], f"{path}/StandingCharge"),
        signed_value(parts["StandingChargeScale"][0], f"{path}/StandingChargeScale"),
        signed_value(parts["PriceScale"][0], f"{path}/PriceScale"),
        _block_rows(inner.get("BlockPrices", []), where),
        _tou_prices(inner.get("TOUPrice", []), where, signed=True),
    )


def _gas_prices(element: etree._Element, path: str) -> GasPrices:
    parts = sequence(
        element,
        path,
        [
            ("CurrencyUnits", 1, 1),
            ("StandingCharge", 1, 1),
            ("BlockTariff", 0, 1),
            ("TOUTariff", 0, 1),
        ],
    )
    chosen = one_of(parts, ("BlockTariff", "TOUTariff"), path)
    currency = _currency(parts["CurrencyUnits"][0], f"{path}/CurrencyUnits")
    standing = unsigned_value(parts["StandingCharge"][0], f"{path}/StandingCharge")
    where = f"{path}/{chosen}"
    if chosen == "TOUTariff":
        inner = sequence(parts[chosen][0], where, [("TOUPrice", 1, 4)])
        return GasPrices(
            currency, standing, tou_prices=_tou_prices(inner["TOUPrice"], where, signed=False)
        )
    inner = sequence(parts[chosen][0], where, [("BlockPrice", 1, 4), ("NumberOfThresholds", 1, 1)])
    blocks = _tou_prices(inner["BlockPrice"], where, signed=False)
    count = unsigned_value(inner["NumberOfThresholds"][0], f"{where}/NumberOfThresholds")
    return GasPrices(currency, standing, blocks, count)


def _primary_prices(element: etree._Element, path: str) -> ElecPrices | GasPrices:
    parts = sequence(
        element, path, [("ElectricityPriceElements", 0, 1), ("GasPriceElements", 0, 1)]
    )
    chosen = one_of(parts, ("ElectricityPriceElements", "GasPriceElements"), path)
    if chosen == "GasPriceElements":
        return _gas_prices(parts[chosen][0], f"{path}/{chosen}")
    return _elec_prices(parts[chosen][0], f"{path}/{chosen}")


def _secondary_prices(element: etree._Element, path: str) -> SecondaryPrices:
    parts = sequence(element, path, [("PriceScale", 1, 1), ("ElectricityPriceElement", 1, 4)])
    scale = signed_value(parts["PriceScale"][0], f"{path}/PriceScale")
    return SecondaryPrices(scale, _tou_prices(parts["ElectricityPriceElement"], path, signed=True))


def _price_fields(path: str, prefix: str) -> Fields:
    return {
        prefix: path,
        f"{prefix}.standing_charge": f"{path}/StandingCharge",
        f"{prefix}.price_scale": f"{path}/PriceScale",
        f"{prefix}.tou_prices": path,
        f"{prefix}.block_prices": path,
    }


# -- request readers -----------------------------------------------------------------------------


def _read_primary_tariff(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(
        element,
        path,
        [
            ("ExecutionDateTime", 0, 1),
            ("ElecTariffElements", 0, 1),
            ("GasTariffElements", 0, 1),
            ("PriceElements", 1, 1),
        ],
    )
    chosen = one_of(parts, ("ElecTariffElements", "GasTariffElements"), path)
    where = f"{path}/{chosen}"
    gas = chosen == "GasTariffElements"
    head = [] if gas else [("CurrencyUnits", 1, 1)]
    inner = sequence(
        parts[chosen][0],
        where,
        [*head, ("SwitchingTable", 1, 1), ("SpecialDays", 1, 1), ("ThresholdMatrix", 1, 1)],
    )
    table = _table(
        inner["SwitchingTable"][0], inner["SpecialDays"][0], where, "gas" if gas else "primary"
    )
    read_thresholds = _gas_thresholds if gas else _elec_thresholds
    thresholds = read_thresholds(inner["ThresholdMatrix"][0], f"{where}/ThresholdMatrix")
    prices = _primary_prices(parts["PriceElements"][0], f"{path}/PriceElements")
    currency = None if gas else _currency(inner["CurrencyUnits"][0], f"{where}/CurrencyUnits")
    fuel = Fuel.GAS if gas else Fuel.ELECTRICITY
    tariff = PrimaryTariff(fuel, table, thresholds, prices, currency)
    fields = {
        "body.tariff": where,
        "body.tariff.currency": f"{where}/CurrencyUnits",
        "body.tariff.thresholds": f"{where}/ThresholdMatrix",
        **_table_fields(where, "body.tariff.table"),
        **_price_fields(f"{path}/PriceElements", "body.tariff.prices"),
    }
    return UpdateImportTariffPrimary(tariff), optional_datetime(parts, path), fields


def _read_secondary_tariff(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(
        element,
        path,
        [
            ("ExecutionDateTime", 0, 1),
            ("SwitchingTable", 1, 1),
            ("SpecialDays", 1, 1),
            ("PriceElements", 1, 1),
        ],
    )
    table = _table(parts["SwitchingTable"][0], parts["SpecialDays"][0], path, "secondary")
    prices = _secondary_prices(parts["PriceElements"][0], f"{path}/PriceElements")
    fields = {
        **_table_fields(path, "body.tariff.table"),
        **_price_fields(f"{path}/PriceElements", "body.tariff.prices"),
    }
    return (
        UpdateImportTariffSecondary(SecondaryTariff(table, prices)),
        optional_datetime(parts, path),
        fields,
    )


def _read_price_primary(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(element, path, [("ExecutionDateTime", 0, 1), ("PriceElements", 1, 1)])
    prices = _primary_prices(parts["PriceElements"][0], f"{path}/PriceElements")
    fields = _price_fields(f"{path}/PriceElements", "body.prices")
    return UpdatePricePrimary(prices), optional_datetime(parts, path), fields


def _read_price_secondary(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(element, path, [("ExecutionDateTime", 0, 1), ("PriceElements", 1, 1)])
    prices = _secondary_prices(parts["PriceElements"][0], f"{path}/PriceElements")
    fields = _price_fields(f"{path}/PriceElements", "body.prices")
    return UpdatePriceSecondary(prices), optional_datetime(parts, path), fields


def _future_datable(body_type: type) -> Callable[[etree._Element, str], BodyReading]:
    """ReadDataOnDemandOrFutureDated: an optional ExecutionDateTime, held by the DSP."""

    def read(element: etree._Element, path: str) -> BodyReading:
        parts = sequence(element, path, [("ExecutionDateTime", 0, 1)])
        return body_type(), optional_datetime(parts, path), {}

    return read


def _read_log(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(
        element,
        path,
        [
            ("ExecutionDateTime", 0, 1),
            ("ReadLogPeriod", 1, 1),
            ("KAPublicSecurityCredentials", 0, 1),
        ],
    )
    period_path = f"{path}/ReadLogPeriod"
    period = sequence(
        parts["ReadLogPeriod"][0], period_path, [("StartDateTime", 1, 1), ("EndDateTime", 1, 1)]
    )
    start = datetime_value(period["StartDateTime"][0], f"{period_path}/StartDateTime")
    end = datetime_value(period["EndDateTime"][0], f"{period_path}/EndDateTime")
    credentials = parts["KAPublicSecurityCredentials"]
    certificate = (
        base64_value(credentials[0], f"{path}/KAPublicSecurityCredentials") if credentials else None
    )
    fields = {
        "body.start": f"{period_path}/StartDateTime",
        "body.end": f"{period_path}/EndDateTime",
        "body.ka_certificate": f"{path}/KAPublicSecurityCredentials",
    }
    return ReadBillingDataLog(start, end, certificate), optional_datetime(parts, path), fields


def _read_daily_reset(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(element, path, [("DailyTariffBlockCounterMatrixReset", 1, 1)])
    where = f"{path}/DailyTariffBlockCounterMatrixReset"
    return (
        SetDailyBlockCounterReset(
            boolean_value(parts["DailyTariffBlockCounterMatrixReset"][0], where)
        ),
        None,
        {"body.daily": where},
    )


_PERIODS = ("Daily", "Weekly", "Monthly", "Quarterly", "SixMonthly", "Yearly")


def _read_calendar(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(
        element, path, [("ElectricityBillingCalendar", 0, 1), ("GasBillingCalendar", 0, 1)]
    )
    chosen = one_of(parts, ("ElectricityBillingCalendar", "GasBillingCalendar"), path)
    where = f"{path}/{chosen}"
    fields = {
        "body.calendar": where,
        "body.calendar.billing_time": f"{where}/BillingTime",
        "body.calendar.period_start": f"{where}/BillingPeriodStart",
        "body.calendar.periodicity": f"{where}/Periodicity",
        "body.calendar.day": where,
        "body.calendar.start_month": where,
    }
    if chosen == "GasBillingCalendar":
        inner = sequence(
            parts[chosen][0], where, [("BillingPeriodStart", 1, 1), ("Periodicity", 1, 1)]
        )
        start = datetime_value(inner["BillingPeriodStart"][0], f"{where}/BillingPeriodStart")
        text = text_value(inner["Periodicity"][0], f"{where}/Periodicity")
        if text not in _PERIODS:
            raise InvalidField(f"{where}/Periodicity", f"{text!r} is not a periodicity")
        return UpdateBillingCalendar(GasBillingCalendar(start, Periodicity(text))), None, fields
    inner = sequence(
        parts[chosen][0], where, [("BillingTime", 1, 1), *[(name, 0, 1) for name in _PERIODS]]
    )
    period = one_of(inner, _PERIODS, where)
    billing_time = time_value(inner["BillingTime"][0], f"{where}/BillingTime")
    item, item_path = inner[period][0], f"{where}/{period}"
    day = start_month = None
    if period == "Daily":
        empty_element(item, item_path)
    elif period in ("Weekly", "Monthly"):
        day = unsigned_value(item, item_path)
    else:
        qsmy = sequence(item, item_path, [("DayOfMonth", 1, 1), ("BillingPeriodStartMonth", 1, 1)])
        day = unsigned_value(qsmy["DayOfMonth"][0], f"{item_path}/DayOfMonth")
        start_month = unsigned_value(
            qsmy["BillingPeriodStartMonth"][0], f"{item_path}/BillingPeriodStartMonth"
        )
    cal = ElecBillingCalendar(billing_time, Periodicity(period), day, start_month)
    return UpdateBillingCalendar(cal), None, fields


# -- MMC writers ---------------------------------------------------------------------------------


def _litres(value: int) -> str:
    return f"{(Decimal(value) * _LITRES):f}"


def _indexed_values(
    parent: etree._Element, name: str, values: tuple[int, ...], text: Callable[[int], str] = str
) -> None:
    for n, value in enumerate(values, start=1):
        sub(parent, name, text(value)).set("index", str(n))


def _tou_rsp(read: TouMatricesRead) -> etree._Element:
    element = etree.Element(ra("ReadInstantaneousImportTOUMatricesRsp"))
    if read.fuel is Fuel.GAS:
        gas = sub(element, "Gas")
        if read.tou:
            _indexed_values(
                sub(gas, "TariffTOURegisterMatrix"), "TOURegisterMatrixValue", read.tou, _litres
            )
        return element
    electricity = sub(element, "Electricity")
    if read.tou or read.secondary:
        collection = sub(electricity, "TariffTOURegisterCollection")
        _indexed_values(collection, "TOUPrimaryRegisterValue", read.tou)
        _indexed_values(collection, "TOUSecondRegisterValue", read.secondary)
    return element


def _tou_blocks_rsp(read: TouWithBlocksRead) -> etree._Element:
    element = etree.Element(ra("ReadInstantaneousImportTOUWithBlocksMatricesRsp"))
    collection = sub(element, "TariffBlockTOURegisterCollection")
    for n, (registers, counters) in enumerate(
        zip(read.blocks, read.counters, strict=True), start=1
    ):
        block = sub(collection, "TariffBlock")
        block.set("index", str(n))
        _indexed_values(block, "RegisterMatrixTOUValue", registers)
        _indexed_values(block, "CounterMatrixTOUValue", counters)
    return element


def _block_counters_rsp(read: BlockCountersRead) -> etree._Element:
    element = etree.Element(ra("ReadInstantaneousImportBlockCountersRsp"))
    if read.counters:
        _indexed_values(
            sub(element, "ImportBlockCounters"), "TariffBlockCounterValue", read.counters, _litres
        )
    return element


def _billing_log_rsp(read: BillingLogRead) -> etree._Element:
    name = (
        "RetrieveBillingCalendarTriggeredBillingDataLogRsp"
        if read.calendar
        else "RetrieveCoMOrTariffTriggeredBillingDataLogRsp"
    )
    element = etree.Element(ra(name))
    fuel = sub(element, read.fuel.value)
    for registers in read.entries:
        if read.fuel is Fuel.GAS:
            _gas_entry(fuel, registers, read.calendar)
        elif read.calendar:
            _esme_calendar_entry(fuel, registers)
        else:
            _esme_change_entry(fuel, registers)
    return element


def _block_rows_out(parent: etree._Element, registers: Registers) -> None:
    for b in range(len(registers.blocks[0])):
        values = tuple(row[b] for row in registers.blocks)
        _indexed_values(parent, f"TariffTOUBlock{b + 1}RegisterMatrixValue", values)


def _esme_change_entry(parent: etree._Element, registers: Registers) -> None:
    entry = sub(parent, "LogEntryConsumptionAndTariffRegistersData")
    sub(entry, "ActiveImportRegisterConsumption", str(registers.total))
    _indexed_values(entry, "TariffTOURegisterMatrixValue", registers.tou)
    _block_rows_out(entry, registers)
    sub(entry, "SecondaryActiveImportRegisterConsumption", str(registers.secondary_total))
    _indexed_values(entry, "SecondaryTariffTOURegisterMatrixValue", registers.secondary)
    sub(entry, "Timestamp", format_datetime(registers.at))


def _esme_calendar_entry(parent: etree._Element, registers: Registers) -> None:
    entry = sub(parent, "ESMEBillingDataLogEntry")
    sub(entry, "Timestamp", format_datetime(registers.at))
    sub(entry, "ActiveImportRegisterValueConsumption", str(registers.total))
    sub(entry, "SecondaryActiveImportRegisterValueConsumption", str(registers.secondary_total))
    _indexed_values(entry, "TariffTOURegisterMatrixValue", registers.tou)
    _indexed_values(entry, "SecondaryTariffTOURegisterMatrixValue", registers.secondary)
    _block_rows_out(entry, registers)


def _gas_entry(parent: etree._Element, registers: Registers, calendar: bool) -> None:
    blocks = registers.blocks[0]
    if calendar:
        entry = sub(parent, "GSMEBillingDataLogEntry")
        sub(entry, "Timestamp", format_datetime(registers.at))
        sub(entry, "ActiveImportRegisterValueConsumption", _litres(registers.total))
        _indexed_values(entry, "BlockRegisterMatrixValue", blocks, _litres)
        _indexed_values(entry, "TariffTOURegisterMatrixValue", registers.tou, _litres)
        return
    entry = sub(parent, "LogEntryConsumptionRegister")
    sub(entry, "ConsumptionRegister", _litres(registers.total))
    sub(entry, "Timestamp", format_datetime(registers.at))
    _indexed_values(entry, "TariffTOURegisterMatrixValue", registers.tou, _litres)
    _indexed_values(entry, "BlockRegisterMatrixValue", blocks, _litres)


def _write_table(parent: etree._Element, table: SwitchingTable, kind: str) -> None:
    gas = kind == "gas"
    switching = sub(parent, "TariffSwitchingTable")
    days = sub(switching, "DayProfiles")
    for profile in table.day_profiles:
        item = sub(days, "DayProfile")
        sub(item, "DayName" if gas else "Day", str(profile.name))
        if gas:
            switch = profile.switches[0]
            if switch.block:
                sub(item, "BlockTariff")
            else:
                sub(item, "TOUTariffAction", str(switch.action))
            continue
        for switch in profile.switches:
            schedule = sub(item, "ProfileSchedule")
            sub(schedule, "StartTime", time_text(switch.start))
            action = "BlockTariffAction" if switch.block else "TOUTariffAction"
            sub(schedule, action, str(switch.action))
    weeks = sub(switching, "WeekProfiles")
    for week in table.week_profiles:
        item = sub(weeks, "WeekProfile")
        sub(item, "WeekName", str(week.name))
        _indexed_values(item, "ReferencedDay" if gas else "ReferencedElecDay", week.days)
    seasons = sub(switching, "Seasons")
    for season in table.seasons:
        item = sub(seasons, "Season")
        if not gas:
            sub(item, "SeasonName", season.name or "")
        write_date_spec(sub(item, "SeasonStartDate"), season.start, gas)
        sub(item, "ReferencedWeekName", str(season.week))
    specials = sub(parent, "TariffSwitchingTableSpecialDays")
    for special in table.special_days:
        item = sub(specials, "SpecialDay")
        write_date_spec(sub(item, "Date"), special.date, gas)
        sub(item, "ReferencedDay", str(special.day))


def _write_indexed(parent: etree._Element, name: str, values: tuple[Indexed, ...]) -> None:
    for value in values:
        sub(parent, name, str(value.value)).set("index", str(value.index))


def _primary_rsp(read: PrimaryTariffRead) -> etree._Element:
    element = etree.Element(ra("ReadTariffPrimaryElementRsp"))
    fuel = sub(element, read.fuel.value)
    tariff = read.tariff
    if read.active_price is not None:
        sub(fuel, "PrimaryActiveTariffPrice", str(max(read.active_price, 0)))
    if tariff is None:
        return element
    prices = tariff.prices
    if isinstance(prices, GasPrices):
        _gas_tariff_out(fuel, tariff, prices)
    else:
        _elec_tariff_out(fuel, tariff, prices)
    return element


def _elec_tariff_out(fuel: etree._Element, tariff: PrimaryTariff, prices: ElecPrices) -> None:
    sub(fuel, "CurrencyUnitsLabel", (tariff.currency or Currency.GBP).value)
    sub(
        fuel,
        "CurrencyUnitsName",
        "Millipence" if tariff.currency is not Currency.ECB else "Millicent",
    )
    sub(fuel, "StandingCharge", str(prices.standing_charge))
    sub(fuel, "StandingChargeScale", str(prices.standing_charge_scale))
    sub(fuel, "PriceScale", str(prices.price_scale))
    if prices.block_prices:
        matrix = sub(fuel, "TariffBlockPriceMatrix")
        for row in prices.block_prices:
            item = sub(matrix, "TariffBlockPrices")
            item.set("index", str(row.index))
            _write_indexed(item, "BlockPrice", row.values)
    if prices.tou_prices:
        _write_indexed(sub(fuel, "TariffTOUPriceMatrix"), "TariffTOUPrice", prices.tou_prices)
    _write_table(fuel, tariff.table, "primary")
    matrix = sub(fuel, "TariffThresholdMatrix")
    for row in tariff.thresholds:
        item = sub(matrix, "ElecTariffThresholds")
        item.set("index", str(row.index))
        _write_indexed(item, "BlockThreshold", row.values)


def _gas_tariff_out(fuel: etree._Element, tariff: PrimaryTariff, prices: GasPrices) -> None:
    sub(fuel, "PrimaryActiveTariffPriceScale", "0")
    sub(fuel, "CurrencyUnitsLabel", prices.currency.value)
    sub(fuel, "StandingCharge", str(prices.standing_charge))
    _write_table(fuel, tariff.table, "gas")
    thresholds = sub(fuel, "TariffThresholds")
    for row in tariff.thresholds:
        _write_indexed(thresholds, "BlockThreshold", row.values)
    if prices.tou_prices:
        _write_indexed(sub(fuel, "TOUTariff"), "TariffTOUPrice", prices.tou_prices)
    if prices.block_prices:
        _write_indexed(sub(fuel, "BlockTariff"), "BlockPrice", prices.block_prices)


def _secondary_rsp(read: SecondaryTariffRead) -> etree._Element:
    element = etree.Element(ra("ReadTariffSecondaryElementRsp"))
    if read.active_price is not None:
        sub(element, "SecondaryActiveTariffPrice", str(max(read.active_price, 0)))
    tariff = read.tariff
    if tariff is None:
        return element
    sub(element, "PriceScale", str(tariff.prices.price_scale))
    _write_indexed(sub(element, "TariffTOUPriceMatrix"), "TariffTOUPrice", tariff.prices.tou_prices)
    _write_table(element, tariff.table, "secondary")
    return element


def _calendar_rsp(read: BillingCalendarRead) -> etree._Element:
    element = etree.Element(ra("ReadDeviceConfigurationDataBillingCalendarRsp"))
    cal = read.calendar
    if cal is None:
        return element
    holder = sub(element, "BillingCalendar")
    if isinstance(cal, GasBillingCalendar):
        gas = sub(holder, "GasBillingCalendar")
        sub(gas, "BillingPeriodStart", format_datetime(cal.period_start))
        sub(gas, "Periodicity", cal.periodicity.value)
        return element
    elec = sub(holder, "ElectricityBillingCalendar")
    sub(elec, "BillingTime", time_text(cal.billing_time))
    period = cal.periodicity
    if period is Periodicity.DAILY:
        sub(elec, period.value)
    elif period in (Periodicity.WEEKLY, Periodicity.MONTHLY):
        sub(elec, period.value, str(cal.day))
    else:
        qsmy = sub(elec, period.value)
        sub(qsmy, "DayOfMonth", str(cal.day))
        sub(qsmy, "BillingPeriodStartMonth", str(cal.start_month))
    return element


FAMILY: BodyFamily = BodyFamily(
    readers={
        "1.1.1": ("UpdateImportTariffPrimaryElement", _read_primary_tariff),
        "1.1.2": ("UpdateImportTariffSecondaryElement", _read_secondary_tariff),
        "1.2.1": ("UpdatePricePrimaryElement", _read_price_primary),
        "1.2.2": ("UpdatePriceSecondaryElement", _read_price_secondary),
        "1.7": ("ResetTariffBlockCounterMatrix", contentless(ResetTariffBlockCounterMatrix)),
        "6.26": (
            "UpdateDeviceConfigurationDailyResettingOfTariffBlockCounterMatrix",
            _read_daily_reset,
        ),
        "4.1.2": ("ReadInstantaneousImportTOUMatrices", _future_datable(ReadTouMatrices)),
        "4.1.3": (
            "ReadInstantaneousImportTOUWithBlocksMatrices",
            _future_datable(ReadTouWithBlocksMatrices),
        ),
        "4.1.4": ("ReadInstantaneousImportBlockCounters", _future_datable(ReadBlockCounters)),
        "4.4.2": ("RetrieveCoMOrTariffTriggeredBillingDataLog", _read_log),
        "4.4.3": ("RetrieveBillingCalendarTriggeredBillingDataLog", _read_log),
        "4.11.1": ("ReadTariffPrimaryElement", contentless(ReadPrimaryTariff)),
        "4.11.2": ("ReadTariffSecondaryElement", contentless(ReadSecondaryTariff)),
        "6.8": ("UpdateDeviceConfigurationBillingCalendar", _read_calendar),
        "6.2.3": ("ReadDeviceConfigurationBillingCalendar", contentless(ReadBillingCalendar)),
    },
    mmc_writers={
        TouMatricesRead: _tou_rsp,
        TouWithBlocksRead: _tou_blocks_rsp,
        BlockCountersRead: _block_counters_rsp,
        BillingLogRead: _billing_log_rsp,
        PrimaryTariffRead: _primary_rsp,
        SecondaryTariffRead: _secondary_rsp,
        BillingCalendarRead: _calendar_rsp,
    },
    empty_responses={
        "1.1.1": "UpdateImportTariffPrimaryElementRsp",
        "1.1.2": "UpdateImportTariffSecondaryElementRsp",
        "1.2.1": "UpdatePricePrimaryElementRsp",
        "1.2.2": "UpdatePriceSecondaryElementRsp",
        "1.7": "ResetTariffBlockCounterMatrixRsp",
        "6.26": "UpdateDeviceConfigurationDailyResettingOfTariffBlockCounterMatrixRsp",
        "6.8": "UpdateDeviceConfigurationBillingCalendarRsp",
    },
)
