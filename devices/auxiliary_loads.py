"""An ESME's auxiliary loads: its five auxiliary controllers (Auxiliary Load Control Switches,
HAN-connected ALCSs and Auxiliary Proportional Controllers), their calendars, the boost button
and the randomised offset limit (SRVs 6.14.1-6.14.3 and 7.5-7.16).

A controller's level at an instant is *derived*, never ticked: the latest calendar action due at
or before the instant (6.14.2's switch events and 6.14.3's controller actions), unless a command
(7.5 / 7.6 / 7.13, or a boost) holds the controller over that instant, then capped by any Load
Controller limit (7.16) in force. So a read (7.7, 7.15) reports the state at its own instant of
virtual time and a 1,000,000-device fleet pays nothing while time passes.

Decisions (docs/decisions.md, "Auxiliary loads"):
- Every ESME has five controllers. An ESME whose model names an APC (the example fleet's -A6,
  "ESME-APC-S2") has five APCs; any other ESME five ALCSs. 6.14.2's SwitchTypeAndId makes a
  controller an ALCS or an HCALCS (with its EUI-64).
- Levels are percentages, 0-100, for the output and, apart, for the input from the controlled
  load (DUIS InputFromControlledLoad). A switch is on at 100 and off at anything else (the DUIS
  schema's note): its level is 100 or 0. A controller nothing has commanded is at 0 (off).
- Calendars: an entry applies on a day inside its period (wildcard date fields take the day's own
  value, so an all-wildcard period is every day, month-and-day bounds recur every year, and a
  start after the end wraps round) that is one of its days of the week or one of its special
  days; an entry naming neither applies every day. A bound's day of week is not used. Switch
  times are UTC. An action last due more than `LOOKBACK_DAYS` before the instant is not seen.
  When a 6.14.2 event and a 6.14.3 action fall due at the same time, the 6.14.3 action wins.
- A command holds a direction of a controller from its start to its end; a later one replaces
  it. 7.8 Reset drops the commands of both directions (calendar control again); the Load
  Controller's limit stays until its end.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import IntEnum, StrEnum

CONTROLLERS = 5  # DUIS range_1_5
ON, OFF = 100, 0
LOOKBACK_DAYS = 731  # two years: every weekly, monthly and yearly pattern recurs within it
BOOST_MINUTES = 60  # how long a press of the boost button holds its loads on
BOOST_LOG_SIZE = 25  # MMC ReadBoostButtonDetailsRsp holds up to 25 entries


class ControllerKind(StrEnum):
    """MMC AuxiliaryControllerType."""

    APC = "APC"
    ALCS = "ALCS"
    HCALCS = "HCALCS"

    @property
    def is_switch(self) -> bool:
        return self is not ControllerKind.APC


class Direction(StrEnum):
    """What a level applies to: the output to the load, or the input from it."""

    OUTPUT = "output"
    INPUT = "input"


class Weekday(IntEnum):
    """DUIS DayOfWeekID, numbered as ISO and DUIS's SpecifiedDayOfWeek (Monday 1)."""

    MONDAY = 1
    TUESDAY = 2
    WEDNESDAY = 3
    THURSDAY = 4
    FRIDAY = 5
    SATURDAY = 6
    SUNDAY = 7


class MonthEnd(StrEnum):
    """DUIS DayOfMonth's LastDayOfMonth and SecondLastDayOfMonth."""

    LAST = "LastDayOfMonth"
    SECOND_LAST = "SecondLastDayOfMonth"


# -- calendars -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DatePattern:
    """DUIS Date: each field specified, or None for its NonSpecified wildcard."""

    year: int | None = None
    month: int | None = None
    day_of_month: int | MonthEnd | None = None
    day_of_week: int | None = None

    def matches(self, day: date) -> bool:
        """Is `day` this date (a special day's test)? Wildcards match anything."""
        return (
            (self.year is None or self.year == day.year)
            and (self.month is None or self.month == day.month)
            and (self.day_of_month is None or _day_in(day.year, day.month, self) == day.day)
            and (self.day_of_week is None or self.day_of_week == day.isoweekday())
        )

    def bound(self, day: date) -> date:
        """The period bound as it stands for `day`: wildcards take the day's own values."""
        year = self.year or day.year
        month = self.month or day.month
        return date(year, month, _day_in(year, month, self) or day.day)

    def last_day(self) -> date | None:
        """As an end bound with its year given: the last day it can stand for."""
        if self.year is None:
            return None
        month = self.month or 12
        return date(self.year, month, _day_in(self.year, month, self) or _length(self.year, month))

    def first_day(self) -> date | None:
        """As a start bound with its year given: the first day it can stand for."""
        if self.year is None:
            return None
        month = self.month or 1
        return date(self.year, month, _day_in(self.year, month, self) or 1)


def _length(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _day_in(year: int, month: int, pattern: DatePattern) -> int | None:
    """The pattern's day of month in that month (a 31st in a shorter month is its last day)."""
    day = pattern.day_of_month
    length = _length(year, month)
    if day is MonthEnd.LAST:
        return length
    if day is MonthEnd.SECOND_LAST:
        return length - 1
    return None if day is None else min(int(day), length)


@dataclass(frozen=True, slots=True)
class SpecialDay:
    """ALCSHCALCSSpecialDay (index) / AuxiliaryControllerSpecialDayDefinition (identifier)."""

    number: int  # 1-20
    date: DatePattern


@dataclass(frozen=True, slots=True)
class Timing:
    """When a calendar entry applies: its special days, days of week and period, at a time."""

    special_days: tuple[int, ...]  # SpecialDaysApplicability: special day numbers
    days_of_week: tuple[Weekday, ...] | None  # None: no DaysOfWeekApplicability element
    switch_time: time  # UTC
    start: DatePattern
    end: DatePattern

    def applies(self, day: date, special_days: dict[int, DatePattern]) -> bool:
        if not _within(day, self.start.bound(day), self.end.bound(day)):
            return False
        if any(
            number in special_days and special_days[number].matches(day)
            for number in self.special_days
        ):
            return True
        if self.days_of_week is None:
            return not self.special_days  # an entry naming neither applies every day
        return day.isoweekday() in self.days_of_week

    def last_due(self, at: datetime, special_days: dict[int, DatePattern]) -> datetime | None:
        """The latest instant at or before `at` when this entry fell due, if any."""
        day = at.date()
        if datetime.combine(day, self.switch_time, UTC) > at:
            day -= timedelta(days=1)
        last, first = self.end.last_day(), self.start.first_day()
        if last is not None:
            day = min(day, last)
        for _ in range(LOOKBACK_DAYS):
            if first is not None and day < first:
                return None
            if self.applies(day, special_days):
                return datetime.combine(day, self.switch_time, UTC)
            if day == date.min:
                return None
            day -= timedelta(days=1)
        return None


def _within(day: date, start: date, end: date) -> bool:
    if start <= end:
        return start <= day <= end
    return day >= start or day <= end  # a period wrapping round the year (or month)


@dataclass(frozen=True, slots=True)
class SwitchEvent:
    """6.14.2 ALCSHCALCSConnectionSchedule: switch `index` on or off."""

    index: int  # 1-5
    activate: bool
    timing: Timing


@dataclass(frozen=True, slots=True)
class SwitchType:
    """6.14.2 SwitchTypeAndId: the controller is an ALCS, or the HCALCS with this EUI-64."""

    index: int  # 1-5
    hcalcs_id: str | None = None


@dataclass(frozen=True, slots=True)
class SwitchCalendar:
    """6.14.2's body and what the ESME holds of it (read by 7.7)."""

    events: tuple[SwitchEvent, ...] = ()  # 1-48 in a request
    special_days: tuple[SpecialDay, ...] = ()  # up to 20
    switch_types: tuple[SwitchType, ...] = ()  # up to 5


@dataclass(frozen=True, slots=True)
class ControllerAction:
    """6.14.3 AuxiliaryControllerSchedule: set controller `controller` to `level`."""

    controller: int  # 1-5
    level: int  # 0-100
    direction: Direction
    timing: Timing


@dataclass(frozen=True, slots=True)
class ControllerCalendar:
    """6.14.3's body and what the ESME holds of it (read by 7.14)."""

    actions: tuple[ControllerAction, ...] = ()  # up to 120
    special_days: tuple[SpecialDay, ...] = ()  # up to 20


@dataclass(frozen=True, slots=True)
class HeldCalendar:
    """A future-dated 6.14.2 or 6.14.3 the ESME holds until its time (SRV-05)."""

    due: datetime
    counter: int  # the request's counter: a later update replaces this one
    calendar: SwitchCalendar | ControllerCalendar


# -- the controllers -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Command:
    """A level held from `start` until `end` (None: until reset): 7.5, 7.6, 7.13, 7.16, boost."""

    start: datetime
    end: datetime | None
    level: int

    def holds(self, at: datetime) -> bool:
        return self.start <= at and (self.end is None or at < self.end)


@dataclass(slots=True)
class AuxiliaryController:
    kind: ControllerKind
    hcalcs_id: str | None = None
    description: str | None = None  # 6.14.1
    boost: bool = False  # on the boost button (7.9 / 7.10)
    commands: dict[Direction, Command] = field(default_factory=dict)
    limits: dict[Direction, Command] = field(default_factory=dict)  # the Load Controller's


@dataclass(frozen=True, slots=True)
class BoostPeriod:
    """An MMC ReadBoostButtonEventLogType entry."""

    start: datetime
    end: datetime


@dataclass(slots=True)
class AuxiliaryLoads:
    """What an ESME holds of its auxiliary loads; made at its first auxiliary load SR."""

    controllers: list[AuxiliaryController]  # controller N at N - 1
    switch_calendar: SwitchCalendar = SwitchCalendar()
    controller_calendar: ControllerCalendar = ControllerCalendar()
    held_switch_calendar: HeldCalendar | None = None
    held_controller_calendar: HeldCalendar | None = None
    randomised_offset_limit: int = 0  # seconds (7.12); read by 6.2.2 where it is served
    boost_log: list[BoostPeriod] = field(default_factory=list)  # oldest first

    @classmethod
    def factory(cls, model: str) -> AuxiliaryLoads:
        kind = ControllerKind.APC if "APC" in model.upper() else ControllerKind.ALCS
        return cls([AuxiliaryController(kind) for _ in range(CONTROLLERS)])

    def controller(self, number: int) -> AuxiliaryController:
        return self.controllers[number - 1]

    # -- writes ---------------------------------------------------------------------------------

    def describe(self, descriptions: tuple[tuple[int, str], ...]) -> None:
        """6.14.1: the labels given replace those controllers' labels."""
        for number, text in descriptions:
            self.controller(number).description = text

    def set_switch_calendar(self, switches: SwitchCalendar) -> None:
        """6.14.2: the calendar replaces the one held; SwitchTypeAndId retypes switches."""
        self.switch_calendar = switches
        for switch_type in switches.switch_types:
            controller = self.controller(switch_type.index)
            controller.hcalcs_id = switch_type.hcalcs_id
            controller.kind = (
                ControllerKind.ALCS if switch_type.hcalcs_id is None else ControllerKind.HCALCS
            )

    def set_controller_calendar(self, controllers: ControllerCalendar) -> None:
        """6.14.3: the calendar replaces the one held."""
        self.controller_calendar = controllers

    def command(self, number: int, direction: Direction, command: Command) -> None:
        """7.5, 7.6, 7.13: hold a level; it replaces that direction's earlier command."""
        self.controller(number).commands[direction] = command

    def limit(self, number: int, direction: Direction, limit: Command) -> None:
        """7.16: the Load Controller caps the level for a period."""
        self.controller(number).limits[direction] = limit

    def reset(self, number: int) -> None:
        """7.8: back to calendar control."""
        self.controller(number).commands.clear()

    def set_boost(self, flags: tuple[bool, ...], *, member: bool) -> None:
        """7.9 (member) / 7.10 (not): each controller flagged true joins or leaves the button."""
        for controller, flagged in zip(self.controllers, flags, strict=True):
            if flagged:
                controller.boost = member

    def press_boost(self, at: datetime) -> BoostPeriod | None:
        """The consumer presses the boost button: its loads go on for BOOST_MINUTES."""
        members = [c for c in self.controllers if c.boost]
        if not members:
            return None
        period = BoostPeriod(at, at + timedelta(minutes=BOOST_MINUTES))
        for controller in members:
            controller.commands[Direction.OUTPUT] = Command(period.start, period.end, ON)
        self.boost_log.append(period)
        del self.boost_log[:-BOOST_LOG_SIZE]
        return period

    # -- reads ----------------------------------------------------------------------------------

    def level(self, number: int, direction: Direction, at: datetime) -> int:
        """The controller's level at `at`: command, else calendar; capped by a limit."""
        controller = self.controller(number)
        command = controller.commands.get(direction)
        if command is not None and command.holds(at):
            level = command.level
        else:
            level = self.calendar_level(number, direction, at)
        limit = controller.limits.get(direction)
        if limit is not None and limit.holds(at):
            level = min(level, limit.level)
        return _as_kind(controller.kind, level)

    def calendar_level(self, number: int, direction: Direction, at: datetime) -> int:
        latest: tuple[datetime, int, int] | None = None  # (due, precedence, level)
        switch_days = _special_days(self.switch_calendar.special_days)
        if direction is Direction.OUTPUT:
            for event in self.switch_calendar.events:
                if event.index == number:
                    due = event.timing.last_due(at, switch_days)
                    if due is not None:
                        latest = _later(latest, (due, 0, ON if event.activate else OFF))
        controller_days = _special_days(self.controller_calendar.special_days)
        for action in self.controller_calendar.actions:
            if action.controller == number and action.direction is direction:
                due = action.timing.last_due(at, controller_days)
                if due is not None:
                    latest = _later(latest, (due, 1, action.level))
        return OFF if latest is None else latest[2]

    def is_on(self, number: int, at: datetime) -> bool:
        return self.level(number, Direction.OUTPUT, at) == ON

    def boost_periods(self, start: datetime, end: datetime) -> list[BoostPeriod]:
        return [p for p in self.boost_log if start <= p.start <= end]


def _as_kind(kind: ControllerKind, level: int) -> int:
    """A switch is on at 100 and off at anything else."""
    if kind.is_switch:
        return ON if level == ON else OFF
    return level


def _special_days(days: tuple[SpecialDay, ...]) -> dict[int, DatePattern]:
    return {day.number: day.date for day in days}


def _later(
    latest: tuple[datetime, int, int] | None, candidate: tuple[datetime, int, int]
) -> tuple[datetime, int, int]:
    if latest is None or candidate[:2] >= latest[:2]:  # ties: the later-listed entry
        return candidate
    return latest
