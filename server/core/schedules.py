"""The DSP's schedule book (SRV-04): the DCC Schedules Users create with 5.1 Create Schedule, read
with 5.2 and delete with 5.3, and when each falls due on the virtual clock.

A schedule is one DCC-scheduled SRV (the matrix's `dcc_scheduled` column) sent to one device at
each due time: its ScheduleStartDate at its ScheduleExecutionStartTime (UTC; midnight when the
request names none), then every day, week, month, quarter, half-year or year (ScheduleFrequency),
up to and including its ScheduleEndDate. A monthly schedule that starts on the 31st runs on the
last day of shorter months (Decision). Occurrences are numbered from 0: occurrence `n` of a
schedule is a pure function of its details, so nothing but the book and one held timer per
schedule is state.

The book is part of `DspState` and so of every snapshot; it holds only frozen records and plain
numbers.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from dccsim.server.core.records import UserRole

# DUIS's scheduleID: xs:nonNegativeInteger up to 10^12.
MAX_SCHEDULE_ID = 10**12
# DSPSchedulesRead holds at most 99 schedules: a User may keep that many for one device
# (Decision), so that 5.2 by DeviceID always reads them all.
MAX_SCHEDULES_PER_DEVICE = 99
# The RequestID counter of occurrence n of schedule s is s * RUN_COUNTER_BASE + n (Decision):
# unique to the run, increasing with time, and readable. 10^12 * 10^7 stays below 2^64.
RUN_COUNTER_BASE = 10**7


class ScheduleFrequency(StrEnum):
    """DUIS ScheduleFrequency."""

    DAILY = "Daily"
    WEEKLY = "Weekly"
    MONTHLY = "Monthly"
    QUARTERLY = "Quarterly"
    HALF_YEARLY = "Half-Yearly"
    YEARLY = "Yearly"


_DAYS = {ScheduleFrequency.DAILY: 1, ScheduleFrequency.WEEKLY: 7}
_MONTHS = {
    ScheduleFrequency.MONTHLY: 1,
    ScheduleFrequency.QUARTERLY: 3,
    ScheduleFrequency.HALF_YEARLY: 6,
    ScheduleFrequency.YEARLY: 12,
}


@dataclass(frozen=True, slots=True)
class LogPeriodOffset:
    """DUIS ReadLogPeriodOffset: the log period a scheduled read asks for, relative to the day
    it runs (offsets are whole days, 0 or negative; times are UTC)."""

    start_offset: int
    start_time: time
    end_offset: int
    end_time: time

    def window(self, day: date) -> tuple[datetime, datetime]:
        """The period's start and end for a run on `day`."""
        return (
            datetime.combine(day + timedelta(days=self.start_offset), self.start_time, UTC),
            datetime.combine(day + timedelta(days=self.end_offset), self.end_time, UTC),
        )


@dataclass(frozen=True, slots=True)
class ScheduleDetails:
    """DUIS DSPSchedule: what 5.1 asks for and 5.2 reads back."""

    device_id: str
    srv: str  # DSPScheduledServiceReferenceVariant
    frequency: ScheduleFrequency
    start_date: date
    end_date: date | None = None
    start_time: time | None = None  # ScheduleExecutionStartTime, UTC; None: midnight
    # The read's log period, for the SRVs whose scheduled body is a ReadLogPeriodOffset; None for
    # those whose body is empty (DSPReadData, RecordNetworkDataGAS).
    period: LogPeriodOffset | None = None
    ka_credential: bytes | None = None  # KAPublicSecurityCredential
    # DSPScheduledServiceReference; None: the SRV's own (the typed API may leave it out).
    service_reference: str | None = None

    def occurrence(self, index: int) -> datetime:
        """Due instant of occurrence `index` (0 = the start date)."""
        at = self.start_time or time(0)
        days = _DAYS.get(self.frequency)
        if days is not None:
            return datetime.combine(self.start_date + timedelta(days=days * index), at, UTC)
        return datetime.combine(
            _add_months(self.start_date, _MONTHS[self.frequency] * index), at, UTC
        )

    def in_range(self, due: datetime) -> bool:
        return self.end_date is None or due.date() <= self.end_date

    def first_occurrence_from(self, now: datetime) -> int | None:
        """The first occurrence due at or after `now` and within the end date; None if none."""
        first = self.occurrence(0)
        index = 0
        if first < now:
            days = _DAYS.get(self.frequency)
            if days is not None:
                step = timedelta(days=days)
                index = -((first - now) // step)  # ceiling division
            else:
                months = (now.year - first.year) * 12 + now.month - first.month
                index = max(0, months // _MONTHS[self.frequency] - 1)
                while self.occurrence(index) < now:
                    index += 1
        try:
            due = self.occurrence(index)
        except OverflowError:
            return None
        return index if self.in_range(due) else None


def _add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    if year > 9999:
        raise OverflowError("past the year 9999")
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True, slots=True)
class Schedule:
    """One DCC Schedule in the book."""

    schedule_id: int
    owner: str  # the User who created it: the only one who reads, deletes and is answered
    role: UserRole  # the role its SRV is sent in, fixed at creation
    details: ScheduleDetails
    created_at: datetime

    def run_counter(self, occurrence: int) -> int:
        return self.schedule_id * RUN_COUNTER_BASE + occurrence


class ScheduleBook:
    """The DSP's schedules by ID, and the IDs given so far (never reused)."""

    def __init__(self) -> None:
        self._schedules: dict[int, Schedule] = {}
        self._last_id = 0

    def __len__(self) -> int:
        return len(self._schedules)

    # The snapshot contract (dccsim.server.store.codec).
    def to_data(self) -> dict[str, object]:
        return {"schedules": list(self._schedules.values()), "last_id": self._last_id}

    @classmethod
    def from_data(cls, data: dict[str, object]) -> ScheduleBook:
        book = cls()
        book._schedules = {s.schedule_id: s for s in data["schedules"]}  # type: ignore[attr-defined]
        book._last_id = int(data["last_id"])  # type: ignore[call-overload]
        return book

    def __iter__(self) -> Iterator[Schedule]:
        return iter(sorted(self._schedules.values(), key=lambda s: s.schedule_id))

    @property
    def last_id(self) -> int:
        return self._last_id

    @property
    def full(self) -> bool:
        return self._last_id >= MAX_SCHEDULE_ID

    def get(self, schedule_id: int) -> Schedule | None:
        return self._schedules.get(schedule_id)

    def of(self, owner: str, device_id: str | None = None) -> list[Schedule]:
        """The owner's schedules (for one device, if named), by ID."""
        return [
            s
            for s in self
            if s.owner == owner and (device_id is None or s.details.device_id == device_id)
        ]

    def add(self, owner: str, role: UserRole, details: ScheduleDetails, now: datetime) -> Schedule:
        self._last_id += 1
        schedule = Schedule(self._last_id, owner, role, details, now)
        self._schedules[schedule.schedule_id] = schedule
        return schedule

    def remove(self, schedule_id: int) -> Schedule | None:
        return self._schedules.pop(schedule_id, None)
