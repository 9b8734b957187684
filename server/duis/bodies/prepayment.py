"""DUIS bodies of the prepayment and supply SRVs (server/core/services/prepayment.py): 1.5
UpdateMeterBalance, 1.6 UpdatePaymentMode, 2.1 UpdatePrepayConfiguration, 2.2 TopUpDevice, 2.3
UpdateDebt, 2.5 ActivateEmergencyCredit, 4.3, 4.4.4, 4.4.5, 4.13, 4.14, 4.18, 6.2.9 and 7.1-7.4 in,
each read in its XSD complexType's element order; out, the MMC responses MMC_Schema_V5.3 names for
them, filled from the meter's registers. A refused command's response carries
`MessageSuccess="false"` (ServiceRequestBaseType's attribute)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from enum import Enum
from typing import TypeVar

from lxml import etree

from dccsim.devices.prepayment import (
    DebtRecovery,
    ElecCalendar,
    ElecSchedule,
    GasCalendar,
    GasDayProfile,
    GasWeekProfile,
    LogEntry,
    PaymentMode,
    RatePeriod,
    Script,
    Weekday,
)
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.requests import TopUpDevice
from dccsim.server.core.services.prepayment import (
    ActivateEmergencyCredit,
    ArmSupply,
    BillingLogRead,
    CommandRefused,
    DailyLogRead,
    DisableSupply,
    EnableSupply,
    MeterBalanceRead,
    PaymentModeRead,
    PrepaymentConfigurationRead,
    PrepayValues,
    PrepayValuesRead,
    ReadBillingLog,
    ReadMeterBalance,
    ReadPaymentMode,
    ReadPrepaymentConfiguration,
    ReadPrepaymentDailyLog,
    ReadPrepayValues,
    ReadSupplyStatus,
    SupplyStatusRead,
    UpdateDebt,
    UpdateMeterBalance,
    UpdatePaymentMode,
    UpdatePrepayConfiguration,
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

Elements = dict[str, list[etree._Element]]
_E = TypeVar("_E", bound=Enum)
# xs:date as DUIS's prepayment schedules write it (GBCS's wildcard year 65535 included).
_DATE = re.compile(
    r"-?([0-9]{4,})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(Z|[+-][0-9]{2}:[0-9]{2})?"
)
_RSP = {
    "2.2": "TopUpDeviceRsp",
    "2.5": "ActivateEmergencyCreditRsp",
    "7.1": "EnableSupplyRsp",
}


# -- values --------------------------------------------------------------------------------------


def _date_text(element: etree._Element, path: str) -> str:
    text = text_value(element, path)
    if len(text) > 32 or _DATE.fullmatch(text) is None:
        raise InvalidField(path, f"{text[:32]!r} is not an xs:date (YYYY-MM-DD[Z])")
    return text


def _enum(kind: type[_E], element: etree._Element, path: str) -> _E:
    text = text_value(element, path)
    try:
        return kind(text)
    except ValueError:
        raise InvalidField(path, f"{text!r} is not allowed here") from None


# -- reading -------------------------------------------------------------------------------------


def _meter_balance(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(element, path, [("PrepaymentMode", 0, 1), ("CreditMode", 0, 1)])
    chosen = one_of(parts, ("PrepaymentMode", "CreditMode"), path)
    mode = PaymentMode.PREPAYMENT if chosen == "PrepaymentMode" else PaymentMode.CREDIT
    inner_path = f"{path}/{chosen}"
    inner = sequence(
        parts[chosen][0], inner_path, [("AdjustMeterBalance", 0, 1), ("ResetMeterBalance", 0, 1)]
    )
    which = one_of(inner, ("AdjustMeterBalance", "ResetMeterBalance"), inner_path)
    fields = {"body.mode": inner_path, "body.adjustment": f"{inner_path}/{which}"}
    if which == "ResetMeterBalance":
        empty_element(inner[which][0], f"{inner_path}/{which}")
        return UpdateMeterBalance(mode, None), None, fields
    return (
        UpdateMeterBalance(mode, signed_value(inner[which][0], f"{inner_path}/{which}")),
        None,
        fields,
    )


def _payment_mode(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(
        element, path, [("ExecutionDateTime", 0, 1), ("Credit", 0, 1), ("Prepayment", 0, 1)]
    )
    when = optional_datetime(parts, path)
    chosen = one_of(parts, ("Credit", "Prepayment"), path)
    if chosen == "Credit":
        empty_element(parts["Credit"][0], f"{path}/Credit")
        return UpdatePaymentMode(PaymentMode.CREDIT), when, {"body.mode": f"{path}/Credit"}
    inner_path = f"{path}/Prepayment"
    names = ("SuspendDebtDisabled", "SuspendDebtEmergency", "DisablementThreshold")
    inner = sequence(parts["Prepayment"][0], inner_path, [(name, 1, 1) for name in names])
    body = UpdatePaymentMode(
        PaymentMode.PREPAYMENT,
        boolean_value(inner[names[0]][0], f"{inner_path}/{names[0]}"),
        boolean_value(inner[names[1]][0], f"{inner_path}/{names[1]}"),
        signed_value(inner[names[2]][0], f"{inner_path}/{names[2]}"),
    )
    fields = {
        "body.suspend_debt_disabled": f"{inner_path}/{names[0]}",
        "body.suspend_debt_emergency": f"{inner_path}/{names[1]}",
        "body.disablement_threshold": f"{inner_path}/{names[2]}",
    }
    return body, when, fields


_CONFIG_VALUES = (
    ("DebtRecoveryRateCap", "debt_recovery_rate_cap"),
    ("EmergencyCreditLimit", "emergency_credit_limit"),
    ("EmergencyCreditThreshold", "emergency_credit_threshold"),
    ("LowCreditThreshold", "low_credit_threshold"),
)
_CONFIG_TAIL = (
    ("MaxMeterBalance", "max_meter_balance"),
    ("MaxCreditThreshold", "max_credit_threshold"),
)


def _prepay_configuration(element: etree._Element, path: str) -> BodyReading:
    names = ("UpdatePrepayConfigElectricity", "UpdatePrepayConfigGas")
    parts = sequence(element, path, [("ExecutionDateTime", 0, 1), *((n, 0, 1) for n in names)])
    when = optional_datetime(parts, path)
    chosen = one_of(parts, names, path)
    gas = chosen == "UpdatePrepayConfigGas"
    inner_path = f"{path}/{chosen}"
    calendar_name = "GasNonDisablementCalendar" if gas else "ElectricityNonDisablementCalendar"
    layout = [(name, 1, 1) for name, _ in (*_CONFIG_VALUES, (calendar_name, ""), *_CONFIG_TAIL)]
    inner = sequence(parts[chosen][0], inner_path, layout)
    values: dict[str, object] = {}
    fields: Fields = {"body.calendar": f"{inner_path}/{calendar_name}"}
    for name, field in (*_CONFIG_VALUES, *_CONFIG_TAIL):
        values[field] = signed_value(inner[name][0], f"{inner_path}/{name}")
        fields[f"body.{field}"] = f"{inner_path}/{name}"
    calendar_path = f"{inner_path}/{calendar_name}"
    reader = _gas_calendar if gas else _elec_calendar
    values["calendar"] = reader(inner[calendar_name][0], calendar_path)
    return UpdatePrepayConfiguration(**values), when, fields  # type: ignore[arg-type]


def _elec_calendar(element: etree._Element, path: str) -> ElecCalendar:
    parts = sequence(
        element,
        path,
        [("ElectricitySpecialDays", 1, 1), ("ElectricityNonDisablementSchedule", 1, 22)],
    )
    days_path = f"{path}/ElectricitySpecialDays"
    days = sequence(parts["ElectricitySpecialDays"][0], days_path, [("SpecialDay", 0, 20)])
    special_days = []
    for item in days["SpecialDay"]:
        day_path = f"{days_path}/SpecialDay"
        inner = sequence(item, day_path, [("Date", 1, 1)])
        special_days.append(
            (
                index_attribute(item, day_path),
                date_spec(inner["Date"][0], f"{day_path}/Date", False),
            )
        )
    schedules = tuple(
        _elec_schedule(item, f"{path}/ElectricityNonDisablementSchedule")
        for item in parts["ElectricityNonDisablementSchedule"]
    )
    return ElecCalendar(tuple(special_days), schedules)


def _elec_schedule(element: etree._Element, path: str) -> ElecSchedule:
    names = (
        "NonDisablementScript",
        "SpecialDaysApplicability",
        "DaysOfWeekApplicability",
        "ScheduleDatesAndTime",
    )
    parts = sequence(element, path, [(name, 1, 1) for name in names])
    script = _enum(Script, parts[names[0]][0], f"{path}/{names[0]}")
    special_path = f"{path}/{names[1]}"
    applicable = sequence(parts[names[1]][0], special_path, [("SpecialDayApplicability", 0, 20)])
    special_days = []
    for item in applicable["SpecialDayApplicability"]:
        item_path = f"{special_path}/SpecialDayApplicability"
        inner = sequence(item, item_path, [("SpecialDayID", 1, 1)])
        special_days.append(unsigned_value(inner["SpecialDayID"][0], f"{item_path}/SpecialDayID"))
    week_path = f"{path}/{names[2]}"
    week = sequence(parts[names[2]][0], week_path, [("DayOfWeekApplicability", 0, 7)])
    weekdays = []
    for item in week["DayOfWeekApplicability"]:
        item_path = f"{week_path}/DayOfWeekApplicability"
        inner = sequence(item, item_path, [("DayOfWeekID", 1, 1)])
        weekdays.append(_enum(Weekday, inner["DayOfWeekID"][0], f"{item_path}/DayOfWeekID"))
    when_path = f"{path}/{names[3]}"
    when = sequence(
        parts[names[3]][0],
        when_path,
        [("SwitchTime", 1, 1), ("StartDate", 1, 1), ("EndDate", 1, 1)],
    )
    return ElecSchedule(
        script,
        tuple(special_days),
        tuple(weekdays),
        time_value(when["SwitchTime"][0], f"{when_path}/SwitchTime"),
        _date_text(when["StartDate"][0], f"{when_path}/StartDate"),
        _date_text(when["EndDate"][0], f"{when_path}/EndDate"),
    )


def _gas_calendar(element: etree._Element, path: str) -> GasCalendar:
    names = ("DayProfiles", "WeekProfiles", "SeasonProfiles", "SpecialDays")
    parts = sequence(element, path, [(name, 1, 1) for name in names])
    profiles_path = f"{path}/DayProfiles"
    profiles = sequence(
        parts["DayProfiles"][0], profiles_path, [("GasNonDisablementDayProfile", 1, 5)]
    )
    day_profiles = []
    for item in profiles["GasNonDisablementDayProfile"]:
        item_path = f"{profiles_path}/GasNonDisablementDayProfile"
        inner = sequence(item, item_path, [("TimeStartAction", 1, 3), ("GasDayName", 1, 1)])
        actions = []
        for action in inner["TimeStartAction"]:
            action_path = f"{item_path}/TimeStartAction"
            pair = sequence(
                action, action_path, [("StartTime", 1, 1), ("NonDisablementAction", 1, 1)]
            )
            actions.append(
                (
                    time_value(pair["StartTime"][0], f"{action_path}/StartTime"),
                    _enum(
                        Script,
                        pair["NonDisablementAction"][0],
                        f"{action_path}/NonDisablementAction",
                    ),
                )
            )
        day_name = unsigned_value(inner["GasDayName"][0], f"{item_path}/GasDayName")
        day_profiles.append(GasDayProfile(tuple(actions), day_name))
    weeks_path = f"{path}/WeekProfiles"
    weeks = sequence(parts["WeekProfiles"][0], weeks_path, [("WeekProfile", 1, 2)])
    week_profiles = []
    for item in weeks["WeekProfile"]:
        item_path = f"{weeks_path}/WeekProfile"
        inner = sequence(item, item_path, [("WeekName", 1, 1), ("ReferencedDayName", 7, 7)])
        by_index = {}
        for day in inner["ReferencedDayName"]:
            day_path = f"{item_path}/ReferencedDayName"
            by_index[index_attribute(day, day_path)] = unsigned_value(day, day_path)
        if sorted(by_index) != list(range(1, 8)):
            raise InvalidField(f"{item_path}/ReferencedDayName", "names days 1 to 7 once each")
        week_name = unsigned_value(inner["WeekName"][0], f"{item_path}/WeekName")
        week_profiles.append(GasWeekProfile(week_name, tuple(by_index[n] for n in range(1, 8))))
    seasons_path = f"{path}/SeasonProfiles"
    seasons_parts = sequence(parts["SeasonProfiles"][0], seasons_path, [("Season", 1, 3)])
    seasons = []
    for item in seasons_parts["Season"]:
        item_path = f"{seasons_path}/Season"
        inner = sequence(item, item_path, [("SeasonStartDate", 1, 1), ("ReferencedWeekName", 1, 1)])
        start = date_spec(inner["SeasonStartDate"][0], f"{item_path}/SeasonStartDate", True)
        week = unsigned_value(inner["ReferencedWeekName"][0], f"{item_path}/ReferencedWeekName")
        seasons.append((start, week))
    specials_path = f"{path}/SpecialDays"
    specials = sequence(parts["SpecialDays"][0], specials_path, [("SpecialDay", 0, 20)])
    special_days = []
    for item in specials["SpecialDay"]:
        item_path = f"{specials_path}/SpecialDay"
        inner = sequence(item, item_path, [("Date", 1, 1), ("ReferencedDayName", 1, 1)])
        date = date_spec(inner["Date"][0], f"{item_path}/Date", True)
        name = unsigned_value(inner["ReferencedDayName"][0], f"{item_path}/ReferencedDayName")
        special_days.append((date, name))
    return GasCalendar(
        tuple(day_profiles), tuple(week_profiles), tuple(seasons), tuple(special_days)
    )


def _top_up(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(element, path, [("UTRN", 1, 1)])
    utrn = text_value(parts["UTRN"][0], f"{path}/UTRN")
    return TopUpDevice(utrn), None, {"body.utrn": f"{path}/UTRN"}


def _debt_recovery(element: etree._Element, path: str, gas: bool) -> DebtRecovery:
    names = (
        ("DebtRecoveryRate", "DebtRecoveryRatePeriod")
        if gas
        else ("DebtRecoveryRate", "DebtRecoveryRatePriceScale", "DebtRecoveryRatePeriod")
    )
    parts = sequence(element, path, [(name, 1, 1) for name in names])
    rate = signed_value(parts["DebtRecoveryRate"][0], f"{path}/DebtRecoveryRate")
    period = _enum(RatePeriod, parts["DebtRecoveryRatePeriod"][0], f"{path}/DebtRecoveryRatePeriod")
    scale = None
    if not gas:
        scale_path = f"{path}/DebtRecoveryRatePriceScale"
        scale = signed_value(parts["DebtRecoveryRatePriceScale"][0], scale_path)
    return DebtRecovery(rate, period, scale)


def _update_debt(element: etree._Element, path: str) -> BodyReading:
    head = (
        "TimeDebtRegister1",
        "TimeDebtRegister2",
        "PaymentDebtRegister",
        "DebtRecoveryPerPayment",
    )
    tails = ("ElecDebtRecovery1", "ElecDebtRecovery2", "GasDebtRecovery1", "GasDebtRecovery2")
    parts = sequence(element, path, [*((n, 1, 1) for n in head), *((n, 0, 1) for n in tails)])
    gas = bool(parts["GasDebtRecovery1"] or parts["GasDebtRecovery2"])
    first, second = tails[2:] if gas else tails[:2]
    other = tails[:2] if gas else tails[2:]
    for name in (first, second):
        if not parts[name]:
            raise InvalidField(f"{path}/{name}", "is required here; it is missing")
    for name in other:
        if parts[name]:
            raise InvalidField(f"{path}/{name}", "is not expected here")
    recovery = (
        _debt_recovery(parts[first][0], f"{path}/{first}", gas),
        _debt_recovery(parts[second][0], f"{path}/{second}", gas),
    )
    values = [signed_value(parts[name][0], f"{path}/{name}") for name in head]
    body = UpdateDebt(values[0], values[1], values[2], values[3], recovery)
    fields = {
        "body.time_debt_1": f"{path}/TimeDebtRegister1",
        "body.time_debt_2": f"{path}/TimeDebtRegister2",
        "body.payment_debt": f"{path}/PaymentDebtRegister",
        "body.debt_recovery_per_payment": f"{path}/DebtRecoveryPerPayment",
        "body.recovery": f"{path}/{first}",
    }
    return body, None, fields


def _log_period(element: etree._Element, path: str) -> tuple[datetime, datetime, Fields]:
    period_path = f"{path}/ReadLogPeriod"
    period = sequence(element, period_path, [("StartDateTime", 1, 1), ("EndDateTime", 1, 1)])
    start = datetime_value(period["StartDateTime"][0], f"{period_path}/StartDateTime")
    end = datetime_value(period["EndDateTime"][0], f"{period_path}/EndDateTime")
    fields = {
        "body.start": f"{period_path}/StartDateTime",
        "body.end": f"{period_path}/EndDateTime",
    }
    return start, end, fields


def _billing_log(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(element, path, [("ExecutionDateTime", 0, 1), ("ReadLogPeriod", 1, 1)])
    start, end, fields = _log_period(parts["ReadLogPeriod"][0], path)
    return ReadBillingLog(start, end), optional_datetime(parts, path), fields


def _daily_log(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(
        element,
        path,
        [
            ("ExecutionDateTime", 0, 1),
            ("ReadLogPeriod", 1, 1),
            ("KAPublicSecurityCredentials", 0, 1),
        ],
    )
    when = optional_datetime(parts, path)
    start, end, fields = _log_period(parts["ReadLogPeriod"][0], path)
    certificate = None
    if parts["KAPublicSecurityCredentials"]:
        certificate_path = f"{path}/KAPublicSecurityCredentials"
        certificate = base64_value(parts["KAPublicSecurityCredentials"][0], certificate_path)
        fields["body.ka_certificate"] = certificate_path
    return ReadPrepaymentDailyLog(start, end, certificate), when, fields


def _future_datable_read(body_type: type) -> Callable[[etree._Element, str], BodyReading]:
    """A read the DSP may hold (ReadDataOnDemandOrFutureDated): an optional ExecutionDateTime."""

    def read(element: etree._Element, path: str) -> BodyReading:
        parts = sequence(element, path, [("ExecutionDateTime", 0, 1)])
        return body_type(), optional_datetime(parts, path), {}

    return read


# -- writing -------------------------------------------------------------------------------------


def _refused_rsp(refused: CommandRefused) -> etree._Element:
    element = etree.Element(ra(_RSP[refused.srv]))
    element.set("MessageSuccess", "false")
    return element


def _write_values(parent: etree._Element, values: PrepayValues, names: tuple[str, ...]) -> None:
    numbers = {
        "EmergencyCreditBalance": values.emergency_credit,
        "AccumulatedDebtRegister": values.accumulated_debt,
        "PaymentDebtRegister": values.payment_debt,
        "TimeDebtRegister1": values.time_debt_1,
        "TimeDebtRegisters1": values.time_debt_1,
        "TimeDebtRegister2": values.time_debt_2,
        "TimeDebtRegisters2": values.time_debt_2,
        "MeterBalance": values.meter_balance,
    }
    for name in names:
        if name == "Timestamp":
            sub(parent, name, format_datetime(values.timestamp))
        else:
            sub(parent, name, str(numbers[name]))


_INSTANTANEOUS = (
    "EmergencyCreditBalance",
    "AccumulatedDebtRegister",
    "PaymentDebtRegister",
    "TimeDebtRegister1",
    "TimeDebtRegister2",
    "MeterBalance",
)
_OPERATIONAL = (  # PrepaymentOperationalDataType's order
    "AccumulatedDebtRegister",
    "EmergencyCreditBalance",
    "MeterBalance",
    "PaymentDebtRegister",
    "TimeDebtRegisters1",
    "TimeDebtRegisters2",
    "Timestamp",
)


def _prepay_values_rsp(read: PrepayValuesRead) -> etree._Element:
    element = etree.Element(ra("ReadInstantaneousPrepayValuesRsp"))
    _write_values(element, read.values, _INSTANTANEOUS)
    return element


def _meter_balance_rsp(read: MeterBalanceRead) -> etree._Element:
    element = etree.Element(ra("ReadMeterBalanceRsp"))
    sub(element, "MeterBalance", str(read.meter_balance))
    if read.prepayment_mode_balance is not None:
        sub(sub(element, "Gas"), "MeterBalancePrepaymentMode", str(read.prepayment_mode_balance))
    return element


def _write_log(parent: etree._Element, entries: tuple[LogEntry, ...]) -> None:
    for entry in entries:
        item = sub(parent, "LogEntry")
        sub(item, "Amount", str(entry.amount))
        sub(item, "Timestamp", format_datetime(entry.at))


def _billing_log_rsp(read: BillingLogRead) -> etree._Element:
    if read.debt_payments:
        element = etree.Element(ra("RetrieveBillingDataLogDebtPaymentsRsp"))
        _write_log(sub(element, "PaymentBasedDebtRepayment"), read.entries)
    else:
        element = etree.Element(ra("RetrieveBillingDataLogPrepaymentCreditsRsp"))
        _write_log(sub(element, "PrepaymentCredits"), read.entries)
    return element


def _write_elec_calendar(parent: etree._Element, calendar: ElecCalendar) -> None:
    days = sub(parent, "ElectricitySpecialDays")
    for index, date in calendar.special_days:
        day = sub(days, "SpecialDay")  # MMC: the Date's content, indexed
        day.set("index", str(index))
        write_date_spec(day, date, False)
    for schedule in calendar.schedules:
        item = sub(parent, "ElectricityNonDisablementSchedule")
        sub(item, "NonDisablementScript", schedule.script.value)
        specials = sub(item, "SpecialDaysApplicability")
        for number in schedule.special_days:
            sub(sub(specials, "SpecialDayApplicability"), "SpecialDayID", str(number))
        week = sub(item, "DaysOfWeekApplicability")
        for weekday in schedule.weekdays:
            sub(sub(week, "DayOfWeekApplicability"), "DayOfWeekID", weekday.value)
        when = sub(item, "ScheduleDatesAndTime")
        sub(when, "SwitchTime", time_text(schedule.switch_time))
        sub(when, "StartDate", schedule.start_date)
        sub(when, "EndDate", schedule.end_date)


def _write_gas_calendar(parent: etree._Element, calendar: GasCalendar) -> None:
    profiles = sub(parent, "DayProfiles")
    for profile in calendar.day_profiles:
        item = sub(profiles, "GasNonDisablementDayProfile")
        for number, (start, script) in enumerate(profile.actions, start=1):
            action = sub(item, "TimeStartAction")
            action.set("index", str(number))
            sub(action, "StartTime", time_text(start))
            sub(action, "NonDisablementAction", script.value)
        sub(item, "GasDayName", str(profile.day_name))
    weeks = sub(parent, "WeekProfiles")
    for week in calendar.week_profiles:
        item = sub(weeks, "WeekProfile")
        sub(item, "WeekName", str(week.week_name))
        for number, day_name in enumerate(week.day_names, start=1):
            sub(item, "ReferencedDayName", str(day_name)).set("index", str(number))
    seasons = sub(parent, "SeasonProfiles")
    for season_start, week_name in calendar.seasons:
        item = sub(seasons, "Season")
        write_date_spec(sub(item, "SeasonStartDate"), season_start, True)
        sub(item, "ReferencedWeekName", str(week_name))
    specials = sub(parent, "SpecialDays")
    for date, day_name in calendar.special_days:
        item = sub(specials, "SpecialDay")
        write_date_spec(sub(item, "Date"), date, True)
        sub(item, "ReferencedDayName", str(day_name))


def _write_recovery(parent: etree._Element, name: str, recovery: DebtRecovery, gas: bool) -> None:
    item = sub(parent, name)
    sub(item, "DebtRecoveryRate", str(recovery.rate))
    if not gas and recovery.price_scale is not None:
        sub(item, "DebtRecoveryRatePriceScale", str(recovery.price_scale))
    sub(item, "DebtRecoveryRatePeriod", recovery.period.value)


def _configuration_rsp(read: PrepaymentConfigurationRead) -> etree._Element:
    config = read.config
    element = etree.Element(ra("ReadPrepaymentConfigurationRsp"))
    for name, value in (
        ("DebtRecoveryPerPayment", config.debt_recovery_per_payment),
        ("DebtRecoveryRateCap", config.debt_recovery_rate_cap),
        ("DisablementThreshold", config.disablement_threshold),
        ("EmergencyCreditLimit", config.emergency_credit_limit),
        ("EmergencyCreditThreshold", config.emergency_credit_threshold),
        ("LowCreditThreshold", config.low_credit_threshold),
        ("CreditMaxCreditThreshold", config.max_credit_threshold),
        ("MaxCreditMaxMeterBalance", config.max_meter_balance),
    ):
        sub(element, name, str(value))
    sub(element, "SuspendDebtDisabled", _bool(config.suspend_debt_disabled))
    sub(element, "SuspendDebtEmergency", _bool(config.suspend_debt_emergency))
    fuel = sub(element, "Gas" if read.gas else "Electricity")
    if not read.gas:
        sub(fuel, "PaymentMode", read.mode.value)
    if isinstance(config.calendar, GasCalendar) and read.gas:
        _write_gas_calendar(sub(fuel, "NonDisablementCalendar"), config.calendar)
    elif isinstance(config.calendar, ElecCalendar) and not read.gas:
        _write_elec_calendar(sub(fuel, "NonDisablementCalendar"), config.calendar)
    if config.debt_recovery is not None:
        for number, recovery in enumerate(config.debt_recovery, start=1):
            _write_recovery(fuel, f"DebtRecovery{number}", recovery, read.gas)
    return element


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _daily_log_rsp(read: DailyLogRead) -> etree._Element:
    element = etree.Element(ra("ReadPrepaymentDailyReadLogRsp"))
    fuel = sub(element, "Gas" if read.gas else "Electricity")
    for entry in read.entries:
        _write_values(sub(fuel, "LogEntry"), entry, _OPERATIONAL)
    return element


def _payment_mode_rsp(read: PaymentModeRead) -> etree._Element:
    element = etree.Element(ra("ReadDeviceConfigurationPaymentModeRsp"))
    sub(element, "PaymentMode", read.mode.value)
    sub(element, "SuspendDebtEmergency", _bool(read.suspend_debt_emergency))
    sub(element, "SuspendDebtDisabled", _bool(read.suspend_debt_disabled))
    return element


def _supply_rsp(read: SupplyStatusRead) -> etree._Element:
    element = etree.Element(ra("ReadSupplyStatusRsp"))
    sub(element, "SupplyState", read.state.value)
    return element


FAMILY: BodyFamily = BodyFamily(
    readers={
        "1.5": ("UpdateMeterBalance", _meter_balance),
        "1.6": ("UpdatePaymentMode", _payment_mode),
        "2.1": ("UpdatePrepayConfiguration", _prepay_configuration),
        "2.2": ("TopUpDevice", _top_up),
        "2.3": ("UpdateDebt", _update_debt),
        "2.5": ("ActivateEmergencyCredit", contentless(ActivateEmergencyCredit)),
        "4.3": ("ReadInstantaneousPrepayValues", _future_datable_read(ReadPrepayValues)),
        "4.4.4": ("RetrieveBillingDataLogDebtPayments", _billing_log),
        "4.4.5": ("RetrieveBillingDataLogPrepaymentCredits", _billing_log),
        "4.13": ("ReadPrepaymentConfiguration", _future_datable_read(ReadPrepaymentConfiguration)),
        "4.14": ("ReadPrepaymentDailyReadLog", _daily_log),
        "4.18": ("ReadMeterBalance", _future_datable_read(ReadMeterBalance)),
        "6.2.9": ("ReadDeviceConfigurationPaymentMode", contentless(ReadPaymentMode)),
        "7.1": ("EnableSupply", contentless(EnableSupply)),
        "7.2": ("DisableSupply", contentless(DisableSupply)),
        "7.3": ("ArmSupply", contentless(ArmSupply)),
        "7.4": ("ReadSupplyStatus", contentless(ReadSupplyStatus)),
    },
    mmc_writers={
        CommandRefused: _refused_rsp,
        PrepayValuesRead: _prepay_values_rsp,
        MeterBalanceRead: _meter_balance_rsp,
        BillingLogRead: _billing_log_rsp,
        PrepaymentConfigurationRead: _configuration_rsp,
        DailyLogRead: _daily_log_rsp,
        PaymentModeRead: _payment_mode_rsp,
        SupplyStatusRead: _supply_rsp,
    },
    empty_responses={
        "1.5": "UpdateMeterBalanceRsp",
        "1.6": "UpdatePaymentModeRsp",
        "2.1": "UpdatePrepayConfigurationRsp",
        "2.2": "TopUpDeviceRsp",
        "2.3": "UpdateDebtRsp",
        "2.5": "ActivateEmergencyCreditRsp",
        "7.1": "EnableSupplyRsp",
        "7.2": "DisableSupplyRsp",
        "7.3": "ArmSupplyRsp",
    },
)
