"""What a meter holds for prepayment and its supply: the payment mode, meter balance and
emergency credit, debt registers, the top-up and debt-payment logs, the thresholds, the
non-disablement calendar and the supply state (enabled, armed, disabled).

Nothing ticks. Credit is *derived*: the state keeps a *checkpoint* (every register at the instant
of the last change) and `project` walks the meter's consumption forward from it, half-hour by
half-hour (the consumption model is linear inside a half-hour, so every crossing inside one is
found exactly), charging energy at the unit price, the standing charge and time-based debt.
The walk also finds the instants the meter would act on its own — credit falling below the low
credit threshold, emergency credit becoming available or running out, credit reaching the
disablement threshold, a time debt paid off — so the DSP can schedule each on the virtual clock.

Units: money in millipence (10^-5 GBP, GBCS's currency unit: 100000 is one pound), energy in the
meter's unit (Wh for an ESME, litres for a GSME) priced per kWh or per m3.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta
from enum import Enum, IntEnum
from fractions import Fraction

from dccsim.devices.tariff import DateSpec

HALF_HOUR = timedelta(minutes=30)
_MICROSECOND = timedelta(microseconds=1)
_HOUR = 3600
_DAY = 86_400
CREDIT_LOG_ENTRIES = 5  # MMC PrepaymentCreditsType: at most 5
DEBT_LOG_ENTRIES = 10  # MMC PaymentBasedDebtRepaymentType: at most 10
DAILY_LOG_ENTRIES = 31  # MMC ReadPrepaymentDailyReadLogRsp: at most 31
# Checkpoints kept for the daily read log: 31 days back, and never more than this many.
HISTORY = timedelta(days=32)
MAX_CHECKPOINTS = 256
# How long the simulated consumer takes to press the meter's button once credit is back.
CONSUMER_DELAY = timedelta(minutes=1)


class PaymentMode(Enum):
    CREDIT = "Credit"
    PREPAYMENT = "Prepayment"


class SupplyState(Enum):
    ENABLED = "Enabled"
    ARMED = "Armed"
    DISABLED = "Disabled"


class RatePeriod(Enum):
    HOURLY = "HOURLY"
    DAILY = "DAILY"

    @property
    def seconds(self) -> int:
        return _HOUR if self is RatePeriod.HOURLY else _DAY


class Script(Enum):
    """A non-disablement period's start or end."""

    START = "START"
    STOP = "STOP"


class Weekday(Enum):
    MONDAY = "Monday"
    TUESDAY = "Tuesday"
    WEDNESDAY = "Wednesday"
    THURSDAY = "Thursday"
    FRIDAY = "Friday"
    SATURDAY = "Saturday"
    SUNDAY = "Sunday"


class PrepaymentAlert(IntEnum):
    """The GBCS alert codes a meter raises for its credit and supply (reference list)."""

    LOW_CREDIT = 0x810D  # Combined Credit Below Low Credit Threshold (prepayment mode)
    EMERGENCY_CREDIT_AVAILABLE = 0x8119
    SUPPLY_ARMED_BY_EMERGENCY_CREDIT = 0x8168  # Supply Disabled then Armed - EC triggered
    TIME_DEBT_1_CLEARED = 0x81A7
    TIME_DEBT_2_CLEARED = 0x81A8
    PAYMENT_DEBT_CLEARED = 0x81A9
    EMERGENCY_CREDIT_EXHAUSTED = 0x81AA
    EMERGENCY_CREDIT_ACTIVATED = 0x81AB
    CREDIT_BELOW_DISABLEMENT_THRESHOLD = 0x8F0F
    SUPPLY_ARMED = 0x8F32
    MAX_METER_BALANCE_EXCEEDED = 0x8F47  # Credit would cause Meter Balance to exceed Maximum
    DUPLICATE_UTRN = 0x8F51
    UTRN_EXCEEDS_MAX_CREDIT = 0x8F5B


# -- the non-disablement calendar (2.1; stored and read back by 4.13) ------------------------


@dataclass(frozen=True, slots=True)
class ElecSchedule:
    """ElectricityNonDisablementSchedule. Dates are xs:date as written (GBCS writes its
    wildcard year as 65535, which no Python date holds)."""

    script: Script
    special_days: tuple[int, ...]  # SpecialDayID 1-20
    weekdays: tuple[Weekday, ...]
    switch_time: time
    start_date: str
    end_date: str


@dataclass(frozen=True, slots=True)
class ElecCalendar:
    special_days: tuple[tuple[int, DateSpec], ...]  # (index 1-20, date)
    schedules: tuple[ElecSchedule, ...]  # 1-22


@dataclass(frozen=True, slots=True)
class GasDayProfile:
    actions: tuple[tuple[time, Script], ...]  # TimeStartAction: 1-3
    day_name: int  # 1-5


@dataclass(frozen=True, slots=True)
class GasWeekProfile:
    week_name: int  # 1-2
    day_names: tuple[int, ...]  # seven day names (1-5), Monday first


@dataclass(frozen=True, slots=True)
class GasCalendar:
    day_profiles: tuple[GasDayProfile, ...]  # 1-5
    week_profiles: tuple[GasWeekProfile, ...]  # 1-2
    seasons: tuple[tuple[DateSpec, int], ...]  # (start date, week name): 1-3
    special_days: tuple[tuple[DateSpec, int], ...]  # (date, day name): 0-20


Calendar = ElecCalendar | GasCalendar


# -- configuration ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DebtRecovery:
    """One time-based debt's recovery rate: `rate` x 10^`price_scale` millipence per period
    (an ESME's rate carries a scale; a GSME's is millipence)."""

    rate: int
    period: RatePeriod
    price_scale: int | None = None

    def per_second(self) -> Fraction:
        scale = Fraction(10) ** (self.price_scale or 0)
        return max(Fraction(0), self.rate * scale / self.period.seconds)


@dataclass(frozen=True, slots=True)
class PrepayConfig:
    """What 1.6, 2.1 and 2.3 configure (and 4.13 / 6.2.9 read). Factory values: dccsim's."""

    debt_recovery_rate_cap: int = 0
    emergency_credit_limit: int = 500_000  # GBP 5
    emergency_credit_threshold: int = 100_000  # GBP 1
    low_credit_threshold: int = 200_000  # GBP 2
    max_meter_balance: int = 25_000_000  # GBP 250
    max_credit_threshold: int = 10_000_000  # GBP 100 in one top-up
    calendar: Calendar | None = None
    suspend_debt_disabled: bool = False
    suspend_debt_emergency: bool = False
    disablement_threshold: int = 0
    debt_recovery_per_payment: int = 0  # hundredths of a percent of each top-up (0-10000)
    debt_recovery: tuple[DebtRecovery, DebtRecovery] | None = None


# -- the registers ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Registers:
    """Every credit register of a meter at `at`, exactly (fractions of a millipenny kept)."""

    at: datetime
    mode: PaymentMode = PaymentMode.CREDIT
    balance: Fraction = Fraction(0)  # the meter balance (a GSME's prepayment-mode one)
    credit_balance: Fraction = Fraction(0)  # a GSME's credit-mode meter balance
    emergency_credit: Fraction = Fraction(0)  # what is left of emergency credit in use
    emergency_active: bool = False
    time_debt_1: Fraction = Fraction(0)
    time_debt_2: Fraction = Fraction(0)
    payment_debt: Fraction = Fraction(0)
    accumulated_debt: Fraction = Fraction(0)  # all debt recovered so far
    supply: SupplyState = SupplyState.ENABLED
    # Why the supply is off or armed: for lack of credit (a top-up brings it back) or not.
    credit_cut: bool = False
    # Crossings already signalled, so each alert is raised once per crossing.
    below_low_credit: bool = False
    emergency_offered: bool = False

    @property
    def combined_credit(self) -> Fraction:
        return self.balance + (self.emergency_credit if self.emergency_active else 0)


@dataclass(frozen=True, slots=True)
class Checkpoint:
    registers: Registers
    config: PrepayConfig


@dataclass(frozen=True, slots=True)
class Event:
    """Something the meter does on its own at `at` (an alert it raises)."""

    at: datetime
    alert: PrepaymentAlert


@dataclass(frozen=True, slots=True)
class Meter:
    """What the walk needs of the meter: energy between two instants and its prices
    (millipence per kWh or m3, and per day)."""

    energy_between: Callable[[datetime, datetime], int]
    unit_price_at: Callable[[datetime], int]
    standing_charge: int
    splits_balances: bool  # a GSME keeps separate credit-mode and prepayment-mode balances
    # The unit price when it cannot change with time (no tariff: dccsim's default); None when a
    # tariff's TOU or block prices may vary from one half-hour to the next.
    flat_price: int | None = None


@dataclass(frozen=True, slots=True)
class LogEntry:
    """A BillingDataLogAmountTimestamp: a top-up's credit or a payment's debt recovery."""

    at: datetime
    amount: int


@dataclass(frozen=True, slots=True)
class TopUpResult:
    accepted: bool
    alert: PrepaymentAlert | None = None


@dataclass(slots=True)
class PrepaymentState:
    """A meter's prepayment and supply state: made at its first prepayment or supply SR."""

    checkpoints: list[Checkpoint]
    credits: list[LogEntry] = field(default_factory=list)  # 4.4.5, oldest first
    debt_payments: list[LogEntry] = field(default_factory=list)  # 4.4.4, oldest first
    # Bumped at every change: an event scheduled before it is stale when it falls due.
    generation: int = 0
    # Future-dated 1.6 / 2.1 held by the meter: SRV -> (due, what to apply, counter).
    held: dict[str, tuple[datetime, object, int]] = field(default_factory=dict)

    @classmethod
    def installed(cls, at: datetime) -> PrepaymentState:
        return cls([Checkpoint(Registers(at), PrepayConfig())])

    @property
    def latest(self) -> Checkpoint:
        return self.checkpoints[-1]

    @property
    def config(self) -> PrepayConfig:
        return self.latest.config

    @property
    def installed_at(self) -> datetime:
        return self.checkpoints[0].registers.at

    def at(self, when: datetime, meter: Meter) -> Registers:
        """The registers at `when` (not before the state was made: then, as made)."""
        base = self.checkpoints[0]
        for checkpoint in self.checkpoints:
            if checkpoint.registers.at > when:
                break
            base = checkpoint
        registers, _ = project(base.registers, base.config, meter, when)
        return registers

    def commit(self, registers: Registers, config: PrepayConfig) -> None:
        """A change at `registers.at`: the new checkpoint, older ones pruned."""
        self.generation += 1
        self.checkpoints.append(Checkpoint(registers, config))
        horizon = registers.at - HISTORY
        while len(self.checkpoints) > 1 and (
            self.checkpoints[1].registers.at <= horizon or len(self.checkpoints) > MAX_CHECKPOINTS
        ):
            del self.checkpoints[0]

    def log_credit(self, entry: LogEntry) -> None:
        self.credits = [*self.credits, entry][-CREDIT_LOG_ENTRIES:]

    def log_debt_payment(self, entry: LogEntry) -> None:
        self.debt_payments = [*self.debt_payments, entry][-DEBT_LOG_ENTRIES:]

    def daily_log(self, start: datetime, end: datetime, meter: Meter) -> list[Registers]:
        """The registers at each midnight (UTC) from `start` to `end` since the state was
        made, the latest 31."""
        first = max(start, self.installed_at)
        midnight = datetime.combine(first.date(), time(), UTC)
        if midnight < first:
            midnight += timedelta(days=1)
        days: list[datetime] = []
        while midnight <= end:
            days.append(midnight)
            midnight += timedelta(days=1)
        return [self.at(day, meter) for day in days[-DAILY_LOG_ENTRIES:]]


# -- the walk --------------------------------------------------------------------------------------


def project(
    registers: Registers, config: PrepayConfig, meter: Meter, until: datetime
) -> tuple[Registers, list[Event]]:
    """The registers at `until`, walked from `registers`, and the events on the way."""
    events: list[Event] = []
    current = registers
    while current.at < until:
        if _quiet(current, config, meter):
            # Nothing can cross a level: charge the whole stretch at once, exactly as the
            # walk would (a year of virtual time is otherwise 17,520 half-hours to walk).
            return _charge_quietly(current, meter, until), events
        start = current.at
        slot = start.replace(minute=0 if start.minute < 30 else 30, second=0, microsecond=0)
        end = min(slot + HALF_HOUR, until)
        current = _charge_span(current, config, meter, start, end, slot, events)
    return current, events


def _quiet(registers: Registers, config: PrepayConfig, meter: Meter) -> bool:
    """True while nothing the meter acts on can happen: its supply is off or armed (no
    consumption is charged), or it is in credit mode at a flat price with no debt to recover
    (no level is watched, no debt register runs out)."""
    if registers.supply is not SupplyState.ENABLED:
        return True
    return (
        registers.mode is PaymentMode.CREDIT
        and meter.flat_price is not None
        and _debt_rates(registers, config) == (Fraction(0), Fraction(0))
    )


def _charge_quietly(registers: Registers, meter: Meter, until: datetime) -> Registers:
    """`_charge_span` over a whole quiet stretch: the energy cost of the half-hours it covers
    (whole ones through the register's difference, the partial ones at either end pro rata as
    the walk charges them) and the standing charge, drawn at once (credit mode's draw is
    linear, so one draw equals many)."""
    if registers.supply is not SupplyState.ENABLED:
        return replace(registers, at=until)
    assert meter.flat_price is not None
    start = registers.at
    first = start.replace(minute=0 if start.minute < 30 else 30, second=0, microsecond=0)
    last = until.replace(minute=0 if until.minute < 30 else 30, second=0, microsecond=0)
    cost = Fraction(0)
    if first == last:  # within one half-hour
        cost += _partial_cost(meter, first, start, until)
    else:
        cost += _partial_cost(meter, first, start, first + HALF_HOUR)
        whole = meter.energy_between(first + HALF_HOUR, last)
        cost += Fraction(whole * meter.flat_price, 1000)
        if until > last:
            cost += _partial_cost(meter, last, last, until)
    seconds = Fraction((until - start) // _MICROSECOND, 1_000_000)
    cost += Fraction(meter.standing_charge, _DAY) * seconds
    balance, credit_balance, emergency = _draw(registers, cost, meter)
    return replace(
        registers,
        at=until,
        balance=balance,
        credit_balance=credit_balance,
        emergency_credit=emergency,
    )


def _partial_cost(meter: Meter, slot: datetime, start: datetime, end: datetime) -> Fraction:
    """The energy cost of [start, end) inside the half-hour from `slot`, pro rata."""
    assert meter.flat_price is not None
    slot_energy = meter.energy_between(slot, slot + HALF_HOUR)
    seconds = Fraction((end - start) // _MICROSECOND, 1_000_000)
    rate = Fraction(slot_energy * meter.flat_price, 1000) / int(HALF_HOUR.total_seconds())
    return rate * seconds


def next_event(
    registers: Registers, config: PrepayConfig, meter: Meter, horizon: timedelta
) -> datetime | None:
    """When the meter next acts on its own, looking no further than `horizon`."""
    if registers.mode is not PaymentMode.PREPAYMENT or registers.supply is not SupplyState.ENABLED:
        return None
    events: list[Event] = []
    current = registers
    for start, end, slot in _half_hours(registers.at, registers.at + horizon):
        current = _charge_span(current, config, meter, start, end, slot, events)
        if events:
            return events[0].at
    return None


def _half_hours(start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime, datetime]]:
    """(from, to, the half-hour's start) for each stretch of each half-hour in [start, end)."""
    at = start
    while at < end:
        boundary = at.replace(minute=0 if at.minute < 30 else 30, second=0, microsecond=0)
        step_end = min(boundary + HALF_HOUR, end)
        yield at, step_end, boundary
        at = step_end


def _charge_span(
    registers: Registers,
    config: PrepayConfig,
    meter: Meter,
    start: datetime,
    end: datetime,
    slot: datetime,
    events: list[Event],
) -> Registers:
    """Charge one stretch inside the half-hour starting at `slot`, where consumption is
    linear: its rate is the whole half-hour's (so a walk cut anywhere agrees with one that is
    not), split at each crossing so every rate is constant between them."""
    if registers.supply is not SupplyState.ENABLED:
        # No supply, no consumption; dccsim charges nothing while the supply is off or armed.
        return replace(registers, at=end)
    seconds = Fraction((end - start) // _MICROSECOND, 1_000_000)
    slot_energy = meter.energy_between(slot, slot + HALF_HOUR)
    energy_cost = Fraction(slot_energy * meter.unit_price_at(slot), 1000)
    energy_rate = energy_cost / int(HALF_HOUR.total_seconds())
    standing_rate = Fraction(meter.standing_charge, _DAY)
    current = registers
    remaining = seconds
    while remaining > 0 and current.supply is SupplyState.ENABLED:
        current, elapsed, crossed = _charge_until_crossing(
            current, config, energy_rate + standing_rate, remaining, meter
        )
        remaining -= elapsed
        if crossed:  # only a crossing changes what the meter signals
            events.extend(Event(current.at, alert) for alert in changes(registers, current, config))
            current = flags(current, config)
            registers = current
    return replace(current, at=end)


def _debt_rates(registers: Registers, config: PrepayConfig) -> tuple[Fraction, Fraction]:
    if registers.mode is not PaymentMode.PREPAYMENT or config.debt_recovery is None:
        return Fraction(0), Fraction(0)
    if registers.emergency_active and config.suspend_debt_emergency:
        return Fraction(0), Fraction(0)
    first, second = config.debt_recovery
    return (
        first.per_second() if registers.time_debt_1 > 0 else Fraction(0),
        second.per_second() if registers.time_debt_2 > 0 else Fraction(0),
    )


def _charge_until_crossing(
    registers: Registers,
    config: PrepayConfig,
    charge_rate: Fraction,
    available: Fraction,
    meter: Meter,
) -> tuple[Registers, Fraction, bool]:
    """Charge at constant rates until the first crossing or `available` seconds: the new
    registers (at the crossing), the seconds elapsed, and whether a crossing stopped it."""
    debt_1, debt_2 = _debt_rates(registers, config)
    rate = charge_rate + debt_1 + debt_2
    candidates = []
    if debt_1:
        candidates.append(registers.time_debt_1 / debt_1)
    if debt_2:
        candidates.append(registers.time_debt_2 / debt_2)
    if rate and registers.mode is PaymentMode.PREPAYMENT:
        credit = registers.combined_credit
        for level in _levels(registers, config):
            if level < credit:
                candidates.append((credit - level) / rate)
        if registers.emergency_active and registers.balance > 0:
            candidates.append(registers.balance / rate)  # then emergency credit is drawn on
        if registers.emergency_active and registers.balance <= 0 < registers.emergency_credit:
            candidates.append(registers.emergency_credit / rate)
    first = min(candidates, default=available)
    crossed = first <= available
    elapsed = min(first, available)
    # Rounded up: walking to this instant always reaches the crossing.
    at = registers.at + timedelta(microseconds=math.ceil(elapsed * 1_000_000))
    recovered_1 = min(registers.time_debt_1, debt_1 * elapsed) if debt_1 else 0
    recovered_2 = min(registers.time_debt_2, debt_2 * elapsed) if debt_2 else 0
    cost = charge_rate * elapsed + recovered_1 + recovered_2
    balance, credit_balance, emergency = _draw(registers, cost, meter)
    updated = replace(
        registers,
        at=at,
        balance=balance,
        credit_balance=credit_balance,
        emergency_credit=emergency,
        time_debt_1=registers.time_debt_1 - recovered_1,
        time_debt_2=registers.time_debt_2 - recovered_2,
        accumulated_debt=registers.accumulated_debt + recovered_1 + recovered_2,
    )
    settled = settle_supply(updated, config)
    return settled, elapsed, crossed or settled is not updated


def _levels(registers: Registers, config: PrepayConfig) -> list[int]:
    """The combined-credit levels whose crossing the meter acts on."""
    levels = [config.low_credit_threshold, config.disablement_threshold]
    if not registers.emergency_active:
        levels.append(config.emergency_credit_threshold)
    return levels


def _draw(
    registers: Registers, cost: Fraction, meter: Meter
) -> tuple[Fraction, Fraction, Fraction]:
    """Take `cost` from the balance the meter's mode charges: in prepayment mode the meter
    balance until it is spent, then emergency credit in use, then the balance again (below 0).
    Returns the balance, the credit-mode balance and the emergency credit left."""
    balance, emergency = registers.balance, registers.emergency_credit
    if registers.mode is PaymentMode.CREDIT:
        if meter.splits_balances:
            return balance, registers.credit_balance - cost, emergency
        return balance - cost, registers.credit_balance, emergency
    from_balance = min(cost, max(balance, Fraction(0)))
    balance -= from_balance
    cost -= from_balance
    if registers.emergency_active:
        from_emergency = min(cost, emergency)
        emergency -= from_emergency
        cost -= from_emergency
    return balance - cost, registers.credit_balance, emergency


def settle_supply(registers: Registers, config: PrepayConfig) -> Registers:
    """What the meter does about its supply at these registers: in prepayment mode, credit at
    or below the disablement threshold disables it."""
    if (
        registers.mode is PaymentMode.PREPAYMENT
        and registers.supply is SupplyState.ENABLED
        and registers.combined_credit <= config.disablement_threshold
    ):
        return replace(registers, supply=SupplyState.DISABLED, credit_cut=True)
    return registers


def flags(registers: Registers, config: PrepayConfig) -> Registers:
    """The registers with their crossing flags as the credit now stands (no alerts)."""
    prepay = registers.mode is PaymentMode.PREPAYMENT
    return replace(
        registers,
        # "Below" a threshold counts from reaching it: the walk stops exactly there.
        below_low_credit=prepay and registers.combined_credit <= config.low_credit_threshold,
        emergency_offered=prepay
        and not registers.emergency_active
        and registers.balance <= config.emergency_credit_threshold,
    )


def changes(before: Registers, after: Registers, config: PrepayConfig) -> list[PrepaymentAlert]:
    """The alerts a move from `before` to `after` raises (each crossing once)."""
    alerts: list[PrepaymentAlert] = []
    flagged = flags(after, config)
    if flagged.below_low_credit and not before.below_low_credit:
        alerts.append(PrepaymentAlert.LOW_CREDIT)
    if flagged.emergency_offered and not before.emergency_offered:
        alerts.append(PrepaymentAlert.EMERGENCY_CREDIT_AVAILABLE)
    if before.emergency_active and before.emergency_credit > 0 >= after.emergency_credit:
        alerts.append(PrepaymentAlert.EMERGENCY_CREDIT_EXHAUSTED)
    if before.time_debt_1 > 0 >= after.time_debt_1:
        alerts.append(PrepaymentAlert.TIME_DEBT_1_CLEARED)
    if before.time_debt_2 > 0 >= after.time_debt_2:
        alerts.append(PrepaymentAlert.TIME_DEBT_2_CLEARED)
    if before.payment_debt > 0 >= after.payment_debt:
        alerts.append(PrepaymentAlert.PAYMENT_DEBT_CLEARED)
    if after.supply is SupplyState.DISABLED and after.credit_cut and not before.credit_cut:
        alerts.append(PrepaymentAlert.CREDIT_BELOW_DISABLEMENT_THRESHOLD)
    return alerts


# -- what SRs do to the registers ------------------------------------------------------------------


def utrn_value(utrn: str) -> int:
    """The credit a UTRN carries, in millipence. dccsim cannot check a Supplier's UTRN MAC, so
    it reads the value from the UTRN's last four digits as pence (0000-9999: up to GBP 99.99)."""
    return int(utrn[-4:]) * 1000


def restore(registers: Registers, config: PrepayConfig) -> Registers:
    """Credit came back: a supply cut for lack of credit is armed once combined credit is above
    the disablement threshold (or the meter left prepayment mode)."""
    back = (
        registers.mode is PaymentMode.CREDIT
        or registers.combined_credit > config.disablement_threshold
    )
    if registers.credit_cut and registers.supply is SupplyState.DISABLED and back:
        return replace(registers, supply=SupplyState.ARMED)
    return registers


def top_up(registers: Registers, config: PrepayConfig, utrn_amount: int) -> tuple[Registers, int]:
    """A top-up of `utrn_amount`: payment-based debt recovered first (a share of the payment),
    emergency credit in use repaid, the rest added to the meter balance. Returns the registers
    and the debt recovered."""
    share = Fraction(utrn_amount * config.debt_recovery_per_payment, 10_000)
    recovered = max(Fraction(0), min(registers.payment_debt, share))
    balance = registers.balance + utrn_amount - recovered
    if registers.emergency_active:
        balance -= config.emergency_credit_limit - registers.emergency_credit
    updated = replace(
        registers,
        balance=balance,
        emergency_active=False,
        emergency_credit=Fraction(0),
        payment_debt=registers.payment_debt - recovered,
        accumulated_debt=registers.accumulated_debt + recovered,
    )
    return restore(updated, config), int(recovered)
