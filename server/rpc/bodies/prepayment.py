"""gRPC messages of the prepayment and supply SRVs (prepayment.proto): 1.5, 1.6, 2.1, 2.3, 2.5,
4.3, 4.4.4, 4.4.5, 4.13, 4.14, 4.18, 6.2.9 and 7.1-7.4. (2.2's TopUpDevice is converted by
`dccsim.server.rpc.convert`.) Every value is checked by the core as DUIS types it."""

from __future__ import annotations

import re
from datetime import datetime, time

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
    SupplyState,
    Weekday,
)
from dccsim.devices.tariff import DateSpec, MonthDay
from dccsim.server.core.errors import InvalidField
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
from dccsim.server.rpc.bodies.family import MessageFamily
from dccsim.server.rpc.wire import EnumMap, from_timestamp, timestamp
from dccsim.v1 import prepayment_pb2 as pb
from dccsim.v1 import supplier_pb2

MODES = EnumMap(PaymentMode, pb.PaymentMode)
SUPPLY = EnumMap(SupplyState, pb.SupplyState)
PERIODS = EnumMap(RatePeriod, pb.DebtRecoveryPeriod)
SCRIPTS = EnumMap(Script, pb.NonDisablementScript)
_TIME = re.compile(r"([0-9]{2}):([0-9]{2}):([0-9]{2})")
_DATE = re.compile(
    r"-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(Z|[+-][0-9]{2}:[0-9]{2})?"
)

# -- requests ------------------------------------------------------------------------------------


def _mode(value: pb.PaymentMode.ValueType, field: str) -> PaymentMode:
    mode = MODES.to_core(value, field)
    assert mode is not None
    return mode


def _time(text: str, field: str) -> time:
    match = _TIME.fullmatch(text)
    if match is None or int(match[1]) > 23 or int(match[2]) > 59 or int(match[3]) > 59:
        raise InvalidField(field, f"{text!r} is not a time of day (hh:mm:ss)")
    return time(int(match[1]), int(match[2]), int(match[3]))


def _xs_date(text: str, field: str) -> str:
    if len(text) > 32 or _DATE.fullmatch(text) is None:
        raise InvalidField(field, f"{text[:32]!r} is not an xs:date (YYYY-MM-DD[Z])")
    return text


def _date(message: pb.WildcardDate, field: str) -> DateSpec:
    words = {day.value: day for day in MonthDay}
    day: int | MonthDay | None = message.day_of_month if message.HasField("day_of_month") else None
    if message.day_of_month_word:
        if day is not None or message.day_of_month_word not in words:
            raise InvalidField(f"{field}.day_of_month_word", "is LastDayOfMonth or ...")
        day = words[message.day_of_month_word]
    return DateSpec(
        message.year if message.HasField("year") else None,
        message.month if message.HasField("month") else None,
        day,
        message.day_of_week if message.HasField("day_of_week") else None,
    )


def _weekday(text: str, field: str) -> Weekday:
    try:
        return Weekday(text)
    except ValueError:
        raise InvalidField(field, f"{text!r} is not a day of the week") from None


def _script(value: pb.NonDisablementScript.ValueType, field: str) -> Script:
    script = SCRIPTS.to_core(value, field)
    assert script is not None
    return script


def _elec_calendar(message: pb.ElecNonDisablementCalendar) -> ElecCalendar:
    field = "body.calendar"
    return ElecCalendar(
        tuple(
            (day.index, _date(day.date, f"{field}.special_days")) for day in message.special_days
        ),
        tuple(
            ElecSchedule(
                _script(item.script, f"{field}.schedules.script"),
                tuple(item.special_days),
                tuple(_weekday(day, f"{field}.schedules.weekdays") for day in item.weekdays),
                _time(item.switch_time, f"{field}.schedules.switch_time"),
                _xs_date(item.start_date, f"{field}.schedules.start_date"),
                _xs_date(item.end_date, f"{field}.schedules.end_date"),
            )
            for item in message.schedules
        ),
    )


def _gas_calendar(message: pb.GasNonDisablementCalendar) -> GasCalendar:
    field = "body.calendar"
    return GasCalendar(
        tuple(
            GasDayProfile(
                tuple(
                    (
                        _time(action.start_time, f"{field}.day_profiles.start_time"),
                        _script(action.script, f"{field}.day_profiles.script"),
                    )
                    for action in profile.actions
                ),
                profile.day_name,
            )
            for profile in message.day_profiles
        ),
        tuple(
            GasWeekProfile(week.week_name, tuple(week.day_names)) for week in message.week_profiles
        ),
        tuple(
            (_date(season.start, f"{field}.seasons"), season.week_name)
            for season in message.seasons
        ),
        tuple(
            (_date(day.date, f"{field}.special_days"), day.day_name) for day in message.special_days
        ),
    )


def _configuration(message: pb.UpdatePrepayConfiguration) -> UpdatePrepayConfiguration:
    which = message.WhichOneof("calendar")
    if which is None:
        raise InvalidField("body.calendar", "an electricity or gas calendar is required")
    calendar = (
        _elec_calendar(message.electricity)
        if which == "electricity"
        else _gas_calendar(message.gas)
    )
    return UpdatePrepayConfiguration(
        debt_recovery_rate_cap=message.debt_recovery_rate_cap,
        emergency_credit_limit=message.emergency_credit_limit,
        emergency_credit_threshold=message.emergency_credit_threshold,
        low_credit_threshold=message.low_credit_threshold,
        calendar=calendar,
        max_meter_balance=message.max_meter_balance,
        max_credit_threshold=message.max_credit_threshold,
    )


def _recovery(message: pb.DebtRecoveryRate, field: str) -> DebtRecovery:
    period = PERIODS.to_core(message.period, f"{field}.period")
    assert period is not None
    scale = message.price_scale if message.HasField("price_scale") else None
    return DebtRecovery(message.rate, period, scale)


def _update_debt(message: pb.UpdateDebt) -> UpdateDebt:
    for name in ("recovery_1", "recovery_2"):
        if not message.HasField(name):
            raise InvalidField(f"body.{name}", "is required")
    return UpdateDebt(
        message.time_debt_1,
        message.time_debt_2,
        message.payment_debt,
        message.debt_recovery_per_payment,
        (
            _recovery(message.recovery_1, "body.recovery[1]"),
            _recovery(message.recovery_2, "body.recovery[2]"),
        ),
    )


def _payment_mode(message: pb.UpdatePaymentMode) -> UpdatePaymentMode:
    mode = _mode(message.mode, "body.mode")
    if mode is PaymentMode.CREDIT:
        return UpdatePaymentMode(mode)
    return UpdatePaymentMode(
        mode,
        message.suspend_debt_disabled,
        message.suspend_debt_emergency,
        message.disablement_threshold,
    )


def _period(
    message: pb.ReadPrepaymentBillingLog | pb.ReadPrepaymentDailyReadLog,
) -> tuple[datetime, datetime]:
    for name in ("start", "end"):
        if not message.HasField(name):
            raise InvalidField(f"body.{name}", "is required")
    return from_timestamp(message.start, "body.start"), from_timestamp(message.end, "body.end")


def _daily_log(message: pb.ReadPrepaymentDailyReadLog) -> ReadPrepaymentDailyLog:
    start, end = _period(message)
    return ReadPrepaymentDailyLog(start, end, message.ka_certificate or None)


# -- answers -------------------------------------------------------------------------------------


def _fill_values(out: pb.PrepayValues, values: PrepayValues) -> None:
    out.emergency_credit_balance = values.emergency_credit
    out.accumulated_debt = values.accumulated_debt
    out.payment_debt = values.payment_debt
    out.time_debt_1 = values.time_debt_1
    out.time_debt_2 = values.time_debt_2
    out.meter_balance = values.meter_balance
    out.timestamp.CopyFrom(timestamp(values.timestamp))


def _fill_date(out: pb.WildcardDate, spec: DateSpec) -> None:
    out.SetInParent()
    if spec.year is not None:
        out.year = spec.year
    if spec.month is not None:
        out.month = spec.month
    if isinstance(spec.day, MonthDay):
        out.day_of_month_word = spec.day.value
    elif spec.day is not None:
        out.day_of_month = spec.day
    if spec.weekday is not None:
        out.day_of_week = spec.weekday


def _time_text(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"


def _fill_elec_calendar(out: pb.ElecNonDisablementCalendar, calendar: ElecCalendar) -> None:
    out.SetInParent()
    for index, date in calendar.special_days:
        day = out.special_days.add(index=index)
        _fill_date(day.date, date)
    for schedule in calendar.schedules:
        out.schedules.add(
            script=SCRIPTS.to_proto(schedule.script),
            special_days=schedule.special_days,
            weekdays=[day.value for day in schedule.weekdays],
            switch_time=_time_text(schedule.switch_time),
            start_date=schedule.start_date,
            end_date=schedule.end_date,
        )


def _fill_gas_calendar(out: pb.GasNonDisablementCalendar, calendar: GasCalendar) -> None:
    out.SetInParent()
    for profile in calendar.day_profiles:
        item = out.day_profiles.add(day_name=profile.day_name)
        for start, script in profile.actions:
            item.actions.add(start_time=_time_text(start), script=SCRIPTS.to_proto(script))
    for week in calendar.week_profiles:
        out.week_profiles.add(week_name=week.week_name, day_names=week.day_names)
    for season_start, week_name in calendar.seasons:
        _fill_date(out.seasons.add(week_name=week_name).start, season_start)
    for date, day_name in calendar.special_days:
        _fill_date(out.special_days.add(day_name=day_name).date, date)


def _fill_recovery(out: pb.DebtRecoveryRate, recovery: DebtRecovery) -> None:
    out.rate = recovery.rate
    out.period = PERIODS.to_proto(recovery.period)
    if recovery.price_scale is not None:
        out.price_scale = recovery.price_scale


def _refused(response: supplier_pb2.ServiceResponse, refused: CommandRefused) -> None:
    response.prepayment_command_refused.alert_code = int(refused.alert or 0)


def _values(response: supplier_pb2.ServiceResponse, read: PrepayValuesRead) -> None:
    _fill_values(response.prepay_values, read.values)


def _balance(response: supplier_pb2.ServiceResponse, read: MeterBalanceRead) -> None:
    response.meter_balance.meter_balance = read.meter_balance
    if read.prepayment_mode_balance is not None:
        response.meter_balance.prepayment_mode_balance = read.prepayment_mode_balance


def _billing_log(response: supplier_pb2.ServiceResponse, read: BillingLogRead) -> None:
    log = response.prepayment_billing_log
    log.SetInParent()
    log.debt_payments = read.debt_payments
    for entry in read.entries:
        _fill_entry(log.entries.add(), entry)


def _fill_entry(out: pb.PrepaymentLogEntry, entry: LogEntry) -> None:
    out.amount = entry.amount
    out.timestamp.CopyFrom(timestamp(entry.at))


def _prepayment_configuration(
    response: supplier_pb2.ServiceResponse, read: PrepaymentConfigurationRead
) -> None:
    out = response.prepayment_configuration
    config = read.config
    out.gas = read.gas
    out.payment_mode = MODES.to_proto(read.mode)
    out.debt_recovery_per_payment = config.debt_recovery_per_payment
    out.debt_recovery_rate_cap = config.debt_recovery_rate_cap
    out.disablement_threshold = config.disablement_threshold
    out.emergency_credit_limit = config.emergency_credit_limit
    out.emergency_credit_threshold = config.emergency_credit_threshold
    out.low_credit_threshold = config.low_credit_threshold
    out.max_credit_threshold = config.max_credit_threshold
    out.max_meter_balance = config.max_meter_balance
    out.suspend_debt_disabled = config.suspend_debt_disabled
    out.suspend_debt_emergency = config.suspend_debt_emergency
    if isinstance(config.calendar, ElecCalendar):
        _fill_elec_calendar(out.electricity, config.calendar)
    elif isinstance(config.calendar, GasCalendar):
        _fill_gas_calendar(out.gas_calendar, config.calendar)
    if config.debt_recovery is not None:
        _fill_recovery(out.recovery_1, config.debt_recovery[0])
        _fill_recovery(out.recovery_2, config.debt_recovery[1])


def _daily_log_read(response: supplier_pb2.ServiceResponse, read: DailyLogRead) -> None:
    log = response.prepayment_daily_read_log
    log.SetInParent()
    log.gas = read.gas
    for entry in read.entries:
        _fill_values(log.entries.add(), entry)


def _payment_mode_read(response: supplier_pb2.ServiceResponse, read: PaymentModeRead) -> None:
    out = response.payment_mode
    out.payment_mode = MODES.to_proto(read.mode)
    out.suspend_debt_emergency = read.suspend_debt_emergency
    out.suspend_debt_disabled = read.suspend_debt_disabled


def _supply(response: supplier_pb2.ServiceResponse, read: SupplyStatusRead) -> None:
    response.supply_status.state = SUPPLY.to_proto(read.state)


FAMILY = MessageFamily(
    readers={
        "update_meter_balance": (
            UpdateMeterBalance,
            lambda m: UpdateMeterBalance(
                _mode(m.mode, "body.mode"), m.adjust if m.HasField("adjust") else None
            ),
        ),
        "update_payment_mode": (UpdatePaymentMode, _payment_mode),
        "update_prepay_configuration": (UpdatePrepayConfiguration, _configuration),
        "update_debt": (UpdateDebt, _update_debt),
        "activate_emergency_credit": (ActivateEmergencyCredit, lambda _: ActivateEmergencyCredit()),
        "read_instantaneous_prepay_values": (ReadPrepayValues, lambda _: ReadPrepayValues()),
        "retrieve_billing_data_log_debt_payments": (
            ReadBillingLog,
            lambda m: ReadBillingLog(*_period(m)),
        ),
        "retrieve_billing_data_log_prepayment_credits": (
            ReadBillingLog,
            lambda m: ReadBillingLog(*_period(m)),
        ),
        "read_prepayment_configuration": (
            ReadPrepaymentConfiguration,
            lambda _: ReadPrepaymentConfiguration(),
        ),
        "read_prepayment_daily_read_log": (ReadPrepaymentDailyLog, _daily_log),
        "read_meter_balance": (ReadMeterBalance, lambda _: ReadMeterBalance()),
        "read_device_configuration_payment_mode": (ReadPaymentMode, lambda _: ReadPaymentMode()),
        "enable_supply": (EnableSupply, lambda _: EnableSupply()),
        "disable_supply": (DisableSupply, lambda _: DisableSupply()),
        "arm_supply": (ArmSupply, lambda _: ArmSupply()),
        "read_supply_status": (ReadSupplyStatus, lambda _: ReadSupplyStatus()),
    },
    response_fillers={
        CommandRefused: _refused,
        PrepayValuesRead: _values,
        MeterBalanceRead: _balance,
        BillingLogRead: _billing_log,
        PrepaymentConfigurationRead: _prepayment_configuration,
        DailyLogRead: _daily_log_read,
        PaymentModeRead: _payment_mode_read,
        SupplyStatusRead: _supply,
    },
)
