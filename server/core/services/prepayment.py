"""Prepayment and supply SRVs: 1.5 Update Meter Balance, 1.6 Update Payment Mode, 2.1 Update
Prepay Configuration, 2.2 Top Up Device, 2.3 Update Debt, 2.5 Activate Emergency Credit, 4.3 Read
Instantaneous Prepay Values, 4.4.4 / 4.4.5 Retrieve Billing Data Log (Payment Based Debt Payments /
Prepayment Credits), 4.13 Read Prepayment Configuration, 4.14 Read Prepayment Daily Read Log, 4.18
Read Meter Balance, 6.2.9 Read Device Configuration (Payment Mode), 7.1 Enable Supply, 7.2 Disable
Supply, 7.3 Arm Supply and 7.4 Read Supply Status.

The meter keeps its credit in `dccsim.devices.prepayment` (derived from its consumption, never
ticked). A write followed by its read returns what was written (SRV-03): 1.5 -> 4.18, 1.6 ->
6.2.9, 2.1 -> 4.13, 2.2 -> 4.3 / 4.18 / 4.4.5, 2.3 -> 4.3, 7.1 / 7.2 / 7.3 -> 7.4.

Decisions (DUIS and GBCS leave these to the device; docs/decisions.md, "Prepayment"):
- **Money** is in millipence (10^-5 GBP, GBCS's currency unit). The unit price is the meter's
  tariff's (`Tariff.unit_price_at`, `standing_charge`) when it has one, else dccsim's default:
  24.5 p/kWh and 60 p/day (ESME), 67.3 p/m3 and 30 p/day (GSME).
- **A new meter** is in Credit mode with a balance of 0 and the factory thresholds of
  `PrepayConfig`. In both modes consumption is charged to the meter balance (in Credit mode it
  goes negative: what the consumer owes); a GSME keeps a separate credit-mode balance (1.5's
  CreditMode adjusts it; 4.18 answers the current mode's balance as MeterBalance and the
  prepayment-mode one as Gas/MeterBalancePrepaymentMode). An ESME has one balance that both of
  1.5's elements adjust.
- **In Prepayment mode** the meter raises 0x810D when combined credit (balance + emergency credit
  in use) reaches the low credit threshold, 0x8119 when the balance reaches the emergency credit
  threshold, 0x81AA when emergency credit runs out, 0x81A7/0x81A8 when a time debt is paid off,
  and at the disablement threshold disables the supply with 0x8F0F — each at the virtual instant
  it happens, scheduled on the clock. While the supply is off (or armed) nothing is charged.
  Time debts are recovered continuously at their rate (x 10^scale for an ESME) per hour or day;
  not while emergency credit is in use if SuspendDebtEmergency. The non-disablement calendar is
  stored and read back, not applied.
- **2.2's UTRN**: the DSP checks its form (20 ASCII digits, E-free BAD-01 refusal); the meter
  judges the rest, as GBCS meters do — the DCC cannot know which UTRNs a meter has applied. A
  UTRN applied before (0x8F51), one worth more than the maximum credit threshold (0x8F5B), or one
  that would take the balance over the maximum meter balance (0x8F47) is refused: the response is
  I0 with `TopUpDeviceRsp MessageSuccess="false"`, the alert goes to the Responsible Supplier and
  nothing changes. A UTRN's value is its last four digits in pence (dccsim cannot check a
  Supplier's UTRN MAC). An accepted top-up recovers payment-based debt first (its share), repays
  emergency credit in use and logs the credit (4.4.5) and the debt recovered (4.4.4).
- **Supply**: a supply cut for lack of credit is armed (0x8F32; 0x8168 when 2.5 did it) once
  credit is back above the disablement threshold, and the simulated consumer presses the meter's
  button a minute later, enabling it. 7.3 arms the supply and leaves it armed. 7.1 on a meter in
  Prepayment mode without credit above the disablement threshold is refused
  (`MessageSuccess="false"`), as is 2.5 when emergency credit is not available.
- **Future-dated 1.6 and 2.1** are held by the meter (the matrix's "Device" pattern, SRV-05):
  answered at once, run at their time with 0x8F66 in a future-dated execution alert (0x00CC for
  an ESME, 0x00CD for a GSME); a 3000-12-31 ExecutionDateTime cancels the one held.
- **4.14** logs the registers at each midnight (UTC) since the meter's prepayment state was
  made; a GPF answers 4.3, 4.14 and 4.18 with its GSME's registers (nothing when it relays no
  GSME).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from datetime import datetime, time, timedelta
from fractions import Fraction
from functools import partial

from dccsim.devices.codes import AlertCode
from dccsim.devices.device import SimulatedDevice
from dccsim.devices.kinds import DeviceType
from dccsim.devices.prepayment import (
    CONSUMER_DELAY,
    Calendar,
    DebtRecovery,
    ElecCalendar,
    ElecSchedule,
    GasCalendar,
    LogEntry,
    Meter,
    PaymentMode,
    PrepayConfig,
    PrepaymentAlert,
    PrepaymentState,
    RatePeriod,
    Registers,
    Script,
    SupplyState,
    Weekday,
    changes,
    flags,
    next_event,
    project,
    restore,
    settle_supply,
    top_up,
    utrn_value,
)
from dccsim.devices.tariff import DateSpec, MonthDay
from dccsim.server.core.delivery import Outcome, decide, deliver_heard, nothing
from dccsim.server.core.device_alerts import raise_device_alert
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.faults import FaultStage
from dccsim.server.core.fields import check_int
from dccsim.server.core.journal import EventKind
from dccsim.server.core.messages import DeviceAlertMessage
from dccsim.server.core.requests import RequestId, ServiceRequest, TopUpDevice
from dccsim.server.core.services.registry import Family
from dccsim.server.core.state import DspState

family: Family = Family()

METERS = (DeviceType.ESME, DeviceType.GSME)
READ_THROUGH_GPF = (DeviceType.ESME, DeviceType.GSME, DeviceType.GPF)
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
UINT_MAX = 2**32 - 1
SHORT_MIN, SHORT_MAX = -(2**15), 2**15 - 1
# How far ahead the meter looks for what it will do next; it looks again then.
LOOKAHEAD = timedelta(days=7)
DEFAULT_UNIT_PRICE = {DeviceType.ESME: 24_500, DeviceType.GSME: 67_300}  # per kWh / per m3
DEFAULT_STANDING_CHARGE = {DeviceType.ESME: 60_000, DeviceType.GSME: 30_000}  # per day
# GBCS message codes of the commands a future-dated outcome alert reports.
_FUTURE_MESSAGE = {
    ("1.6", DeviceType.ESME, PaymentMode.CREDIT): 0x001A,
    ("1.6", DeviceType.ESME, PaymentMode.PREPAYMENT): 0x001B,
    ("1.6", DeviceType.GSME, PaymentMode.CREDIT): 0x006C,
    ("1.6", DeviceType.GSME, PaymentMode.PREPAYMENT): 0x006D,
}
_FUTURE_DATED_ALERT_MESSAGE = {DeviceType.ESME: 0x00CC, DeviceType.GSME: 0x00CD}
_XS_DATE = re.compile(
    r"-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(Z|[+-][0-9]{2}:[0-9]{2})?"
)


# -- request bodies ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UpdateMeterBalance:
    """1.5: adjust (by `adjustment`) or reset (None) the balance of `mode`."""

    mode: PaymentMode
    adjustment: int | None


@dataclass(frozen=True, slots=True)
class UpdatePaymentMode:
    """1.6: Credit, or Prepayment with its three settings."""

    mode: PaymentMode
    suspend_debt_disabled: bool | None = None
    suspend_debt_emergency: bool | None = None
    disablement_threshold: int | None = None


@dataclass(frozen=True, slots=True)
class UpdatePrepayConfiguration:
    """2.1: UpdatePrepayConfigElectricity or UpdatePrepayConfigGas (by the calendar's kind)."""

    debt_recovery_rate_cap: int
    emergency_credit_limit: int
    emergency_credit_threshold: int
    low_credit_threshold: int
    calendar: Calendar
    max_meter_balance: int
    max_credit_threshold: int


@dataclass(frozen=True, slots=True)
class UpdateDebt:
    """2.3: the debt registers and their recovery (two ElecDebtRecovery or GasDebtRecovery)."""

    time_debt_1: int
    time_debt_2: int
    payment_debt: int
    debt_recovery_per_payment: int
    recovery: tuple[DebtRecovery, DebtRecovery]


@dataclass(frozen=True, slots=True)
class ActivateEmergencyCredit:
    """2.5."""


@dataclass(frozen=True, slots=True)
class ReadPrepayValues:
    """4.3 ReadInstantaneousPrepayValues."""


@dataclass(frozen=True, slots=True)
class ReadBillingLog:
    """4.4.4 RetrieveBillingDataLogDebtPayments / 4.4.5 ...PrepaymentCredits: ReadLogPeriod."""

    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class ReadPrepaymentConfiguration:
    """4.13."""


@dataclass(frozen=True, slots=True)
class ReadPrepaymentDailyLog:
    """4.14 ReadPrepaymentDailyReadLog; the URP's KA certificate, if any, is carried."""

    start: datetime
    end: datetime
    ka_certificate: bytes | None = None


@dataclass(frozen=True, slots=True)
class ReadMeterBalance:
    """4.18."""


@dataclass(frozen=True, slots=True)
class ReadPaymentMode:
    """6.2.9 ReadDeviceConfigurationPaymentMode."""


@dataclass(frozen=True, slots=True)
class EnableSupply:
    """7.1."""


@dataclass(frozen=True, slots=True)
class DisableSupply:
    """7.2."""


@dataclass(frozen=True, slots=True)
class ArmSupply:
    """7.3."""


@dataclass(frozen=True, slots=True)
class ReadSupplyStatus:
    """7.4."""


# -- response bodies -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CommandRefused:
    """The meter refused the command (MMC `MessageSuccess="false"`), with the alert it raised."""

    srv: str
    alert: PrepaymentAlert | None = None


@dataclass(frozen=True, slots=True)
class PrepayValues:
    """One set of prepayment registers (4.3's answer, a 4.14 log entry), whole millipence."""

    emergency_credit: int
    accumulated_debt: int
    payment_debt: int
    time_debt_1: int
    time_debt_2: int
    meter_balance: int
    timestamp: datetime


@dataclass(frozen=True, slots=True)
class PrepayValuesRead:
    """4.3 ReadInstantaneousPrepayValuesRsp."""

    values: PrepayValues


@dataclass(frozen=True, slots=True)
class MeterBalanceRead:
    """4.18 ReadMeterBalanceRsp; a GSME's prepayment-mode balance besides."""

    meter_balance: int
    prepayment_mode_balance: int | None = None


@dataclass(frozen=True, slots=True)
class BillingLogRead:
    """4.4.4 (`debt_payments`) or 4.4.5: BillingDataLogAmountTimestamp entries."""

    debt_payments: bool
    entries: tuple[LogEntry, ...]


@dataclass(frozen=True, slots=True)
class PrepaymentConfigurationRead:
    """4.13 ReadPrepaymentConfigurationRsp."""

    gas: bool
    mode: PaymentMode
    config: PrepayConfig


@dataclass(frozen=True, slots=True)
class DailyLogRead:
    """4.14 ReadPrepaymentDailyReadLogRsp."""

    gas: bool
    entries: tuple[PrepayValues, ...]


@dataclass(frozen=True, slots=True)
class PaymentModeRead:
    """6.2.9 ReadDeviceConfigurationPaymentModeRsp."""

    mode: PaymentMode
    suspend_debt_emergency: bool
    suspend_debt_disabled: bool


@dataclass(frozen=True, slots=True)
class SupplyStatusRead:
    """7.4 ReadSupplyStatusRsp."""

    state: SupplyState


# -- checks --------------------------------------------------------------------------------------


def _check_bool(value: object, field: str) -> None:
    if not isinstance(value, bool):
        raise InvalidField(field, f"{value!r} is not true or false")


def _check_mode(value: object, field: str) -> None:
    if not isinstance(value, PaymentMode):
        raise InvalidField(field, f"{value!r} is not Credit or Prepayment")


def _check_balance_update(body: UpdateMeterBalance) -> None:
    _check_mode(body.mode, "body.mode")
    if body.adjustment is not None:
        check_int(body.adjustment, "body.adjustment", low=INT_MIN, high=INT_MAX)


def _check_payment_mode(body: UpdatePaymentMode) -> None:
    _check_mode(body.mode, "body.mode")
    settings = ("suspend_debt_disabled", "suspend_debt_emergency", "disablement_threshold")
    if body.mode is PaymentMode.CREDIT:
        for name in settings:
            if getattr(body, name) is not None:
                raise InvalidField(f"body.{name}", "Credit mode carries no prepayment settings")
        return
    _check_bool(body.suspend_debt_disabled, "body.suspend_debt_disabled")
    _check_bool(body.suspend_debt_emergency, "body.suspend_debt_emergency")
    check_int(body.disablement_threshold, "body.disablement_threshold", low=INT_MIN, high=INT_MAX)


def _check_configuration(body: UpdatePrepayConfiguration) -> None:
    """UpdatePrepayConfigElec types its values xs:unsignedShort and xs:int; ...Gas xs:int and
    xs:unsignedInt."""
    gas = isinstance(body.calendar, GasCalendar)
    if not gas and not isinstance(body.calendar, ElecCalendar):
        raise InvalidField("body.calendar", "a non-disablement calendar is required")
    cap_low, cap_high = (INT_MIN, INT_MAX) if gas else (0, 65_535)
    check_int(
        body.debt_recovery_rate_cap, "body.debt_recovery_rate_cap", low=cap_low, high=cap_high
    )
    low, high = (0, UINT_MAX) if gas else (INT_MIN, INT_MAX)
    for name in (
        "emergency_credit_limit",
        "emergency_credit_threshold",
        "low_credit_threshold",
        "max_meter_balance",
        "max_credit_threshold",
    ):
        check_int(getattr(body, name), f"body.{name}", low=low, high=high)
    check_calendar(body.calendar, "body.calendar")


def _check_date(spec: object, field: str, *, gas: bool) -> None:
    """A DUIS Date (or GasDateWithWildcards): a year from 2014 (four digits), a month, a day
    of the month (or, electricity only, its last or second last), a day of the week."""
    if not isinstance(spec, DateSpec):
        raise InvalidField(field, "is a date with wildcards")
    if spec.year is not None:
        check_int(spec.year, f"{field}.year", low=2014, high=9999)
    if spec.month is not None:
        check_int(spec.month, f"{field}.month", low=1, high=12)
    if isinstance(spec.day, MonthDay):
        if gas:
            raise InvalidField(f"{field}.day", "a gas date names its day of the month")
    elif spec.day is not None:
        check_int(spec.day, f"{field}.day", low=1, high=31)
    if spec.weekday is not None:
        check_int(spec.weekday, f"{field}.weekday", low=1, high=7)


def _check_schedule(schedule: object, field: str) -> None:
    if not isinstance(schedule, ElecSchedule):
        raise InvalidField(field, "is a non-disablement schedule")
    if not isinstance(schedule.script, Script):
        raise InvalidField(f"{field}.script", "is START or STOP")
    if len(schedule.special_days) > 20 or len(schedule.weekdays) > 7:
        raise InvalidField(field, "applies to at most 20 special days and 7 days of the week")
    for day in schedule.special_days:
        check_int(day, f"{field}.special_days", low=1, high=20)
    for weekday in schedule.weekdays:
        if not isinstance(weekday, Weekday):
            raise InvalidField(f"{field}.weekdays", f"{weekday!r} is not a day of the week")
    if not isinstance(schedule.switch_time, time):
        raise InvalidField(f"{field}.switch_time", "is a time of day")
    for name in ("start_date", "end_date"):
        value = getattr(schedule, name)
        if not isinstance(value, str) or _XS_DATE.fullmatch(value) is None:
            raise InvalidField(f"{field}.{name}", f"{value!r} is not an xs:date")


def check_calendar(calendar: Calendar, field: str) -> None:
    """The calendar's shape and values as the schema bounds them."""
    if isinstance(calendar, ElecCalendar):
        if not 0 <= len(calendar.special_days) <= 20:
            raise InvalidField(f"{field}.special_days", "holds 0 to 20 special days")
        for index, date in calendar.special_days:
            check_int(index, f"{field}.special_days.index", low=1, high=20)
            _check_date(date, f"{field}.special_days.date", gas=False)
        if not 1 <= len(calendar.schedules) <= 22:
            raise InvalidField(f"{field}.schedules", "holds 1 to 22 schedules")
        for schedule in calendar.schedules:
            _check_schedule(schedule, f"{field}.schedules")
        return
    bounds = (
        ("day_profiles", 1, 5),
        ("week_profiles", 1, 2),
        ("seasons", 1, 3),
        ("special_days", 0, 20),
    )
    for name, low, high in bounds:
        if not low <= len(getattr(calendar, name)) <= high:
            raise InvalidField(f"{field}.{name}", f"holds {low} to {high} entries")
    for profile in calendar.day_profiles:
        check_int(profile.day_name, f"{field}.day_profiles.day_name", low=1, high=5)
        if not 1 <= len(profile.actions) <= 3:
            raise InvalidField(f"{field}.day_profiles.actions", "holds 1 to 3 actions")
        for start, script in profile.actions:
            if not isinstance(start, time) or not isinstance(script, Script):
                raise InvalidField(f"{field}.day_profiles.actions", "a time and START or STOP")
    for week in calendar.week_profiles:
        check_int(week.week_name, f"{field}.week_profiles.week_name", low=1, high=2)
        if len(week.day_names) != 7:
            raise InvalidField(f"{field}.week_profiles.day_names", "names seven days")
        for day in week.day_names:
            check_int(day, f"{field}.week_profiles.day_names", low=1, high=5)
    for season_start, week_name in calendar.seasons:
        _check_date(season_start, f"{field}.seasons.start", gas=True)
        check_int(week_name, f"{field}.seasons.week_name", low=1, high=2)
    for date, day_name in calendar.special_days:
        _check_date(date, f"{field}.special_days.date", gas=True)
        check_int(day_name, f"{field}.special_days.day_name", low=1, high=5)


def _check_debt(body: UpdateDebt) -> None:
    for name in ("time_debt_1", "time_debt_2", "payment_debt"):
        check_int(getattr(body, name), f"body.{name}", low=INT_MIN, high=INT_MAX)
    check_int(body.debt_recovery_per_payment, "body.debt_recovery_per_payment", low=0, high=10_000)
    if not isinstance(body.recovery, tuple) or len(body.recovery) != 2:
        raise InvalidField("body.recovery", "two debt recovery rates are required")
    elec = [recovery.price_scale is not None for recovery in body.recovery]
    if elec[0] != elec[1]:
        raise InvalidField("body.recovery", "both rates are an ESME's or both a GSME's")
    for index, recovery in enumerate(body.recovery, start=1):
        field = f"body.recovery[{index}]"
        if not isinstance(recovery.period, RatePeriod):
            raise InvalidField(f"{field}.period", f"{recovery.period!r} is not HOURLY or DAILY")
        if recovery.price_scale is None:  # GasDebtRecovery: xs:int
            check_int(recovery.rate, f"{field}.rate", low=INT_MIN, high=INT_MAX)
        else:  # ElecDebtRecovery: xs:short and a PriceScale
            check_int(recovery.rate, f"{field}.rate", low=SHORT_MIN, high=SHORT_MAX)
            check_int(recovery.price_scale, f"{field}.price_scale", low=-128, high=127)


def _check_top_up(body: TopUpDevice) -> None:
    # ASCII digits only: str.isdigit would take other scripts' digits.
    utrn = body.utrn
    if not isinstance(utrn, str) or len(utrn) != 20 or not (utrn.isascii() and utrn.isdigit()):
        raise InvalidField("body.utrn", "a UTRN is exactly 20 digits")


def _check_period(body: ReadBillingLog | ReadPrepaymentDailyLog) -> None:
    for name in ("start", "end"):
        value = getattr(body, name)
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise InvalidField(f"body.{name}", "must be a timezone-aware date and time")


def _check_daily_log(body: ReadPrepaymentDailyLog) -> None:
    _check_period(body)
    certificate = body.ka_certificate
    if certificate is not None and (not isinstance(certificate, bytes) or not certificate):
        raise InvalidField("body.ka_certificate", "is a certificate's bytes when given")


# -- the meter's state ---------------------------------------------------------------------------


def prepayment_state(state: DspState, device: SimulatedDevice) -> PrepaymentState:
    if device.prepayment is None:
        device.prepayment = PrepaymentState.installed(state.now())
    return device.prepayment


def meter(state: DspState, device: SimulatedDevice) -> Meter:
    readings = state.network.readings(device)
    tariff = device.tariff
    default_price = DEFAULT_UNIT_PRICE.get(device.device_type, 0)

    def price(at: datetime) -> int:
        # A tariff with no primary element prices at 0: the meter then runs dccsim's default.
        return (tariff.unit_price_at(at) if tariff is not None else 0) or default_price

    standing = tariff.standing_charge() if tariff is not None else 0
    return Meter(
        energy_between=readings.import_between if readings is not None else _nothing_measured,
        unit_price_at=price,
        standing_charge=standing or DEFAULT_STANDING_CHARGE.get(device.device_type, 0),
        splits_balances=device.device_type is DeviceType.GSME,
        flat_price=default_price if tariff is None else None,
    )


def _nothing_measured(start: datetime, end: datetime) -> int:
    return 0


def _now_registers(state: DspState, device: SimulatedDevice) -> tuple[PrepaymentState, Registers]:
    """The meter's registers now, after raising the alerts of what it did since the last
    change (the clock's scheduled events normally raised them at their instants already)."""
    held = prepayment_state(state, device)
    latest = held.latest
    registers, events = project(latest.registers, latest.config, meter(state, device), state.now())
    if events:
        held.commit(registers, latest.config)
        for event in events:
            raise_prepayment_alert(state, device, event.alert)
        _schedule_next(state, device)  # what was scheduled is stale now
    return held, registers


def _change(
    state: DspState,
    device: SimulatedDevice,
    before: Registers,
    after: Registers,
    config: PrepayConfig,
    *,
    extra: tuple[PrepaymentAlert, ...] = (),
) -> None:
    """Commit what an SR changed, raise what it crossed, and schedule what comes next."""
    held = prepayment_state(state, device)
    after = settle_supply(after, config)
    alerts = [*extra, *changes(before, after, config)]
    after = flags(after, config)
    held.commit(after, config)
    for alert in alerts:
        raise_prepayment_alert(state, device, alert)
    armed = before.supply is not SupplyState.ARMED and after.supply is SupplyState.ARMED
    if armed and after.credit_cut:
        state.scheduler.at(
            state.now() + CONSUMER_DELAY,
            partial(consumer_enables_supply, state, device.device_id, held.generation),
            label=f"consumer enables supply on {device.device_id}",
        )
    _schedule_next(state, device)


def _schedule_next(state: DspState, device: SimulatedDevice) -> None:
    held = prepayment_state(state, device)
    latest = held.latest
    due = next_event(latest.registers, latest.config, meter(state, device), LOOKAHEAD)
    running = latest.registers.supply is SupplyState.ENABLED
    if due is None and running and latest.registers.mode is PaymentMode.PREPAYMENT:
        due = state.now() + LOOKAHEAD  # nothing this week: look again then
    if due is not None:
        state.scheduler.at(
            max(due, state.now()),
            partial(run_meter_event, state, device.device_id, held.generation),
            label=f"prepayment on {device.device_id}",
        )


def run_meter_event(state: DspState, device_id: str, generation: int) -> None:
    """The instant the meter acts on its own has come (unless something changed since)."""
    device = state.network.get(device_id)
    if device is None or device.prepayment is None or device.prepayment.generation != generation:
        return
    held, registers = _now_registers(state, device)
    if held.generation == generation:  # nothing happened: settle here, look further ahead
        held.commit(registers, held.config)
        _schedule_next(state, device)


def consumer_enables_supply(state: DspState, device_id: str, generation: int) -> None:
    """The consumer presses the meter's button: an armed supply comes back on."""
    device = state.network.get(device_id)
    if device is None or device.prepayment is None or device.prepayment.generation != generation:
        return
    _, registers = _now_registers(state, device)
    if registers.supply is SupplyState.ARMED:
        enabled = replace(registers, supply=SupplyState.ENABLED, credit_cut=False)
        _change(state, device, registers, enabled, device.prepayment.config)


def raise_prepayment_alert(state: DspState, device: SimulatedDevice, alert: int) -> None:
    """Every alert the meter raises of its own goes through here: `device_alerts` delivers it
    to the recipients DUIS names (the Responsible Supplier), past the fault plan (SRV-06)."""
    raise_device_alert(state, device.device_id, int(alert))


def raise_future_dated_outcome(
    state: DspState, device: SimulatedDevice, rid: RequestId, srv: str, command: int | None
) -> None:
    """A held 1.6 / 2.1 ran: 0x8F66 in a future-dated execution alert to its requester."""
    now = state.now()
    message_code = _FUTURE_DATED_ALERT_MESSAGE[device.device_type]
    state.journal.record(
        now,
        EventKind.DEVICE_ALERT,
        f"alert {0x8F66:#06X}",
        device=device.device_id,
        message_code=f"{message_code:#06X}",
    )
    message = DeviceAlertMessage(
        device_id=device.device_id,
        message_code=message_code,  # type: ignore[arg-type]
        alert_code=AlertCode.FUTURE_DATED_COMMAND_ACTIONED,
        issued_at=now,
        request_id=rid,
        future_dated_srv=srv,
        command_message_code=command,
    )
    decision = decide(state, FaultStage.DEVICE_ALERT, srv, device, rid)
    deliver_heard(state, rid.originator, message, decision)


# -- 2.2 Top Up Device ---------------------------------------------------------------------------


@family.device(
    "2.2", body=TopUpDevice, check=_check_top_up, device_types=METERS, responses=(CommandRefused,)
)
def top_up_device(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    assert isinstance(request.body, TopUpDevice)
    utrn = request.body.utrn
    held, registers = _now_registers(state, device)
    config = held.config
    amount = utrn_value(utrn)
    refusal = None
    if utrn in device.top_ups:
        refusal = PrepaymentAlert.DUPLICATE_UTRN
    elif amount > config.max_credit_threshold:
        refusal = PrepaymentAlert.UTRN_EXCEEDS_MAX_CREDIT
    elif registers.balance + amount > config.max_meter_balance:
        refusal = PrepaymentAlert.MAX_METER_BALANCE_EXCEEDED
    if refusal is not None:
        raise_prepayment_alert(state, device, refusal)
        return CommandRefused("2.2", refusal), nothing
    device.top_up(utrn)
    after, recovered = top_up(registers, config, amount)
    held.log_credit(LogEntry(state.now(), amount))
    if recovered:
        held.log_debt_payment(LogEntry(state.now(), recovered))
    extra = (PrepaymentAlert.SUPPLY_ARMED,) if after.supply is not registers.supply else ()
    _change(state, device, registers, after, config, extra=extra)
    return None, nothing


# -- 1.5 Update Meter Balance --------------------------------------------------------------------


@family.device("1.5", body=UpdateMeterBalance, check=_check_balance_update, device_types=METERS)
def update_meter_balance(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    body = request.body
    assert isinstance(body, UpdateMeterBalance)
    held, registers = _now_registers(state, device)
    credit_register = device.device_type is DeviceType.GSME and body.mode is PaymentMode.CREDIT
    name = "credit_balance" if credit_register else "balance"
    value: Fraction = getattr(registers, name)
    value = Fraction(0) if body.adjustment is None else value + body.adjustment
    if credit_register:
        changed = replace(registers, credit_balance=value)
    else:
        changed = replace(registers, balance=value)
    after = restore(changed, held.config)
    extra = (PrepaymentAlert.SUPPLY_ARMED,) if after.supply is not registers.supply else ()
    _change(state, device, registers, after, held.config, extra=extra)
    return None, nothing


# -- 1.6 Update Payment Mode and 2.1 Update Prepay Configuration (future-datable) ---------------


def _apply_payment_mode(
    registers: Registers, config: PrepayConfig, body: UpdatePaymentMode
) -> tuple[Registers, PrepayConfig]:
    if body.mode is PaymentMode.PREPAYMENT:
        assert body.suspend_debt_disabled is not None and body.suspend_debt_emergency is not None
        assert body.disablement_threshold is not None
        config = replace(
            config,
            suspend_debt_disabled=body.suspend_debt_disabled,
            suspend_debt_emergency=body.suspend_debt_emergency,
            disablement_threshold=body.disablement_threshold,
        )
    after = replace(registers, mode=body.mode)
    if body.mode is PaymentMode.CREDIT:
        after = replace(after, emergency_active=False, emergency_credit=Fraction(0))
    return restore(after, config), config


def _apply_configuration(
    registers: Registers, config: PrepayConfig, body: UpdatePrepayConfiguration
) -> tuple[Registers, PrepayConfig]:
    values = {
        field.name: getattr(body, field.name)
        for field in fields(UpdatePrepayConfiguration)
        if field.name != "calendar"
    }
    return restore(registers, config), replace(config, calendar=body.calendar, **values)


_APPLY = {"1.6": _apply_payment_mode, "2.1": _apply_configuration}


def _future_datable(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    held, registers = _now_registers(state, device)
    srv = request.srv
    if request.is_cancellation:
        held.held.pop(srv, None)
        return None, nothing
    when = request.execution_datetime
    if when is not None and when > state.now():
        held.held[srv] = (when, request.body, request.request_id.counter)
        state.scheduler.at(
            when,
            partial(run_held_update, state, device.device_id, request.request_id, srv),
            label=f"{srv} held by {device.device_id}",
        )
        return None, nothing
    _apply(state, device, registers, srv, request.body)
    return None, nothing


def _apply(
    state: DspState, device: SimulatedDevice, registers: Registers, srv: str, body: object
) -> None:
    held = prepayment_state(state, device)
    after, config = _APPLY[srv](registers, held.config, body)  # type: ignore[operator]
    if after.mode is not registers.mode and device.tariff is not None:
        # A change of payment mode logs the tariff registers (4.4.2, the tariffs family's).
        device.tariff.record_mode_change(state.now(), state.network.readings(device))
    extra = (PrepaymentAlert.SUPPLY_ARMED,) if after.supply is not registers.supply else ()
    _change(state, device, registers, after, config, extra=extra)


def run_held_update(state: DspState, device_id: str, rid: RequestId, srv: str) -> None:
    """A future-dated 1.6 or 2.1 falls due: the meter applies it and raises 0x8F66 (SRV-05)."""
    device = state.network.get(device_id)
    if device is None or device.prepayment is None:
        return
    held = device.prepayment.held.get(srv)
    if held is None or held[2] != rid.counter:  # cancelled or replaced meanwhile
        return
    del device.prepayment.held[srv]
    body = held[1]
    _, registers = _now_registers(state, device)
    _apply(state, device, registers, srv, body)
    mode = body.mode if isinstance(body, UpdatePaymentMode) else None
    command = _FUTURE_MESSAGE.get((srv, device.device_type, mode))  # type: ignore[arg-type]
    if srv == "2.1":
        command = 0x001F if device.device_type is DeviceType.ESME else 0x006F
    raise_future_dated_outcome(state, device, rid, srv, command)


family.device(
    "1.6",
    body=UpdatePaymentMode,
    check=_check_payment_mode,
    device_types=METERS,
    device_holds_future_dated=True,
)(_future_datable)
family.device(
    "2.1",
    body=UpdatePrepayConfiguration,
    check=_check_configuration,
    device_types=METERS,
    device_holds_future_dated=True,
)(_future_datable)


# -- 2.3 Update Debt and 2.5 Activate Emergency Credit --------------------------------------------


@family.device("2.3", body=UpdateDebt, check=_check_debt, device_types=METERS)
def update_debt(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    body = request.body
    assert isinstance(body, UpdateDebt)
    held, registers = _now_registers(state, device)
    after = replace(
        registers,
        time_debt_1=Fraction(body.time_debt_1),
        time_debt_2=Fraction(body.time_debt_2),
        payment_debt=Fraction(body.payment_debt),
    )
    config = replace(
        held.config,
        debt_recovery_per_payment=body.debt_recovery_per_payment,
        debt_recovery=body.recovery,
    )
    _change(state, device, registers, after, config)
    return None, nothing


@family.device(
    "2.5",
    body=ActivateEmergencyCredit,
    device_types=METERS,
    responses=(CommandRefused,),
)
def activate_emergency_credit(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    held, registers = _now_registers(state, device)
    config = held.config
    available = (
        registers.mode is PaymentMode.PREPAYMENT
        and not registers.emergency_active
        and registers.balance <= config.emergency_credit_threshold
    )
    if not available:
        return CommandRefused("2.5"), nothing
    after = replace(
        registers,
        emergency_active=True,
        emergency_credit=Fraction(config.emergency_credit_limit),
    )
    after = restore(after, config)
    extra = [PrepaymentAlert.EMERGENCY_CREDIT_ACTIVATED]
    if after.supply is not registers.supply:
        extra.append(PrepaymentAlert.SUPPLY_ARMED_BY_EMERGENCY_CREDIT)
    _change(state, device, registers, after, config, extra=tuple(extra))
    return None, nothing


# -- reads ---------------------------------------------------------------------------------------


def prepay_values(registers: Registers, gsme: bool) -> PrepayValues:
    balance = registers.balance
    if gsme and registers.mode is PaymentMode.CREDIT:
        balance = registers.credit_balance
    return PrepayValues(
        emergency_credit=int(registers.emergency_credit if registers.emergency_active else 0),
        accumulated_debt=int(registers.accumulated_debt),
        payment_debt=int(registers.payment_debt),
        time_debt_1=int(registers.time_debt_1),
        time_debt_2=int(registers.time_debt_2),
        meter_balance=int(balance),
        timestamp=registers.at,
    )


def _metered(device: SimulatedDevice) -> SimulatedDevice | None:
    """The meter whose registers a read answers: a GPF holds its GSME's."""
    if device.device_type is DeviceType.GPF:
        return device.gsme
    return device


@family.device(
    "4.3", body=ReadPrepayValues, device_types=READ_THROUGH_GPF, responses=(PrepayValuesRead,)
)
def read_prepay_values(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    metered = _metered(device)
    if metered is None:
        return PrepayValuesRead(prepay_values(Registers(state.now()), True)), nothing
    _, registers = _now_registers(state, metered)
    gsme = metered.device_type is DeviceType.GSME
    return PrepayValuesRead(prepay_values(registers, gsme)), nothing


@family.device(
    "4.18", body=ReadMeterBalance, device_types=READ_THROUGH_GPF, responses=(MeterBalanceRead,)
)
def read_meter_balance(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    metered = _metered(device)
    if metered is None:
        return MeterBalanceRead(0, 0), nothing
    _, registers = _now_registers(state, metered)
    if metered.device_type is DeviceType.GSME:
        current = prepay_values(registers, True).meter_balance
        return MeterBalanceRead(current, int(registers.balance)), nothing
    return MeterBalanceRead(int(registers.balance)), nothing


def _read_billing_log(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    body = request.body
    assert isinstance(body, ReadBillingLog)
    held = prepayment_state(state, device)
    debt = request.srv == "4.4.4"
    log = held.debt_payments if debt else held.credits
    entries = tuple(entry for entry in log if body.start <= entry.at <= body.end)
    return BillingLogRead(debt, entries), nothing


for _srv in ("4.4.4", "4.4.5"):
    family.device(
        _srv,
        body=ReadBillingLog,
        check=_check_period,
        device_types=METERS,
        responses=(BillingLogRead,),
    )(_read_billing_log)


@family.device(
    "4.13",
    body=ReadPrepaymentConfiguration,
    device_types=METERS,
    responses=(PrepaymentConfigurationRead,),
)
def read_prepayment_configuration(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    held, registers = _now_registers(state, device)
    gas = device.device_type is DeviceType.GSME
    return PrepaymentConfigurationRead(gas, registers.mode, held.config), nothing


@family.device(
    "4.14",
    body=ReadPrepaymentDailyLog,
    check=_check_daily_log,
    device_types=READ_THROUGH_GPF,
    responses=(DailyLogRead,),
)
def read_prepayment_daily_log(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    body = request.body
    assert isinstance(body, ReadPrepaymentDailyLog)
    metered = _metered(device)
    gas = device.device_type is not DeviceType.ESME
    if metered is None:
        return DailyLogRead(gas, ()), nothing
    held, _ = _now_registers(state, metered)
    end = min(body.end, state.now())
    days = held.daily_log(body.start, end, meter(state, metered))
    return DailyLogRead(gas, tuple(prepay_values(day, gas) for day in days)), nothing


@family.device("6.2.9", body=ReadPaymentMode, device_types=METERS, responses=(PaymentModeRead,))
def read_payment_mode(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    held, registers = _now_registers(state, device)
    config = held.config
    read = PaymentModeRead(
        registers.mode, config.suspend_debt_emergency, config.suspend_debt_disabled
    )
    return read, nothing


# -- 7.1-7.4 Supply ------------------------------------------------------------------------------


@family.device(
    "7.1",
    body=EnableSupply,
    device_types=(DeviceType.ESME,),
    responses=(CommandRefused,),
)
def enable_supply(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    held, registers = _now_registers(state, device)
    config = held.config
    if (
        registers.mode is PaymentMode.PREPAYMENT
        and registers.combined_credit <= config.disablement_threshold
    ):
        return CommandRefused("7.1"), nothing
    after = replace(registers, supply=SupplyState.ENABLED, credit_cut=False)
    _change(state, device, registers, after, config)
    return None, nothing


def _set_supply(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    held, registers = _now_registers(state, device)
    supply = SupplyState.DISABLED if request.srv == "7.2" else SupplyState.ARMED
    after = replace(registers, supply=supply, credit_cut=False)
    _change(state, device, registers, after, held.config)
    return None, nothing


family.device("7.2", body=DisableSupply, device_types=METERS)(_set_supply)
family.device("7.3", body=ArmSupply, device_types=METERS)(_set_supply)


@family.device("7.4", body=ReadSupplyStatus, device_types=METERS, responses=(SupplyStatusRead,))
def read_supply_status(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    _, registers = _now_registers(state, device)
    return SupplyStatusRead(registers.supply), nothing
