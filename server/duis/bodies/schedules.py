"""DUIS bodies of the DCC Schedules: 5.1 CreateSchedule (a DSPSchedule), 5.2 ReadSchedule and
5.3 DeleteSchedule in; DSPScheduleID (5.1) and DSPSchedulesRead (5.2) out.

Decisions where the schema leaves a choice:
- **Times.** An xs:time with a timezone (ScheduleExecutionStartTime, a log period's StartTime
  and EndTime) is turned into UTC; one without is UTC already. An xs:date's timezone, if any, is
  ignored: the schedule runs on that calendar day. dccsim writes times back as `hh:mm:ssZ`.
- **The body element.** The DSPSchedule's last element must be the one for its
  DSPScheduledServiceReferenceVariant (DSPReadActiveImportProfileData for 4.8.1, ...): another
  one is refused naming the element, as a malformed request.
- **DUIS 5.1 users** read no 4.2 schedule (DUIS 5.1 has none; the core refuses to create one for
  them, so only a user whose version changed since can hold one): it is left out of their
  DSPSchedulesRead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import TypeVar

from lxml import etree

from dccsim.server.core.errors import InvalidField
from dccsim.server.core.eui import parse_eui64
from dccsim.server.core.records import DuisVersion
from dccsim.server.core.schedules import (
    LogPeriodOffset,
    Schedule,
    ScheduleDetails,
    ScheduleFrequency,
)
from dccsim.server.core.services.schedules import (
    LOG_PERIOD_SRVS,
    NOT_IN_DUIS_5_1,
    DeleteSchedule,
    ReadSchedule,
    ScheduleCreated,
    SchedulesRead,
)
from dccsim.server.duis.bodies.family import BodyFamily
from dccsim.server.duis.names import uses_v5_1_shapes
from dccsim.server.duis.reading import (
    BodyReading,
    Reader,
    base64_value,
    only_child,
    sequence,
    text_value,
    unsigned_value,
)
from dccsim.server.duis.writing import b64, sub

# The DSPSchedule choice: the element of each DCC-scheduled SRV, in the schema's order.
BODY_ELEMENTS = {
    "4.6.1": "DSPRetrieveImportDailyReadLog",
    "4.6.2": "DSPRetrieveExportDailyReadLog",
    "4.8.1": "DSPReadActiveImportProfileData",
    "4.8.2": "DSPReadReactiveImportProfileData",
    "4.8.3": "DSPReadExportProfileData",
    "4.10": "DSPReadNetworkData",
    "4.12.1": "DSPReadMaximumDemandImportRegisters",
    "4.12.2": "DSPReadMaximumDemandExportRegisters",
    "4.14": "DSPReadPrepaymentDailyReadLog",
    "4.15": "DSPReadLoadLimitData",
    "4.16": "DSPReadActivePowerImport",
    "4.17": "DSPRetrieveDailyConsumptionLog",
    "14.1": "DSPRecordNetworkDataGAS",
    "4.2": "DSPReadInstantaneousExportRegisters",
}
_SCHEDULE = [
    ("ScheduleFrequency", 1, 1),
    ("ScheduleStartDate", 1, 1),
    ("ScheduleEndDate", 0, 1),
    ("ScheduleExecutionStartTime", 0, 1),
    ("KAPublicSecurityCredential", 0, 1),
    ("DSPScheduledServiceReference", 1, 1),
    ("DSPScheduledServiceReferenceVariant", 1, 1),
    ("DeviceID", 1, 1),
    *((name, 0, 1) for name in BODY_ELEMENTS.values()),
]
_OFFSET = [
    ("StartDateOffset", 1, 1),
    ("StartTime", 1, 1),
    ("EndDateOffset", 1, 1),
    ("EndTime", 1, 1),
]
_DATE = re.compile(r"(-?[0-9]{4,})-([0-9]{2})-([0-9]{2})(Z|[+-][0-9]{2}:[0-9]{2})?")
_TIME = re.compile(r"([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?(Z|[+-][0-9]{2}:[0-9]{2})?")
T = TypeVar("T")
_NON_POSITIVE = re.compile(r"(-[0-9]{1,19}|[+-]?0{1,19})")


# -- values --------------------------------------------------------------------------------------


def date_value(element: etree._Element, path: str) -> date:
    text = text_value(element, path)
    match = _DATE.fullmatch(text)
    try:
        if match is None:
            raise ValueError("not YYYY-MM-DD")
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError as error:
        raise InvalidField(path, f"{text!r} is not an xs:date: {error}") from None


def time_value(element: etree._Element, path: str) -> time:
    """An xs:time, in UTC and without a timezone (see the module docstring)."""
    text = text_value(element, path)
    match = _TIME.fullmatch(text)
    if match is None:
        raise InvalidField(path, f"{text!r} is not an xs:time (hh:mm:ss[.s][Z])")
    hour, minute, second, fraction, zone = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        tz = UTC
        if zone not in (None, "Z"):
            sign = 1 if zone[0] == "+" else -1
            tz = timezone(sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])))
        local = datetime(2000, 1, 3, int(hour), int(minute), int(second), micro, tz)
    except ValueError as error:
        raise InvalidField(path, f"{text!r} is not a valid time: {error}") from None
    return local.astimezone(UTC).time()


def _offset_value(element: etree._Element, path: str) -> int:
    text = text_value(element, path)
    if _NON_POSITIVE.fullmatch(text) is None:
        raise InvalidField(path, f"{text!r} is not a day offset (0 or a negative integer)")
    return int(text)


# -- readers -------------------------------------------------------------------------------------


def _create_schedule(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(element, path, _SCHEDULE)
    value = {
        name: text_value(parts[name][0], f"{path}/{name}")
        for name in ("ScheduleFrequency", "DSPScheduledServiceReference")
    }
    srv_path = f"{path}/DSPScheduledServiceReferenceVariant"
    srv = text_value(parts["DSPScheduledServiceReferenceVariant"][0], srv_path)
    body_element = _the_body_element(parts, srv, path)
    try:
        frequency = ScheduleFrequency(value["ScheduleFrequency"])
    except ValueError:
        raise InvalidField(
            f"{path}/ScheduleFrequency", f"{value['ScheduleFrequency']!r} is not a frequency"
        ) from None
    period = None
    body_path = f"{path}/{etree.QName(body_element).localname}"
    if srv in LOG_PERIOD_SRVS:
        period = _log_period(body_element, body_path)
    else:
        sequence(body_element, body_path, [])  # DSPReadData, RecordNetworkDataGAS: empty
    optional = {
        name: parts[name][0] if parts[name] else None
        for name in ("ScheduleEndDate", "ScheduleExecutionStartTime", "KAPublicSecurityCredential")
    }
    device_path = f"{path}/DeviceID"
    body = ScheduleDetails(
        device_id=parse_eui64(text_value(parts["DeviceID"][0], device_path), device_path),
        srv=srv,
        frequency=frequency,
        start_date=date_value(parts["ScheduleStartDate"][0], f"{path}/ScheduleStartDate"),
        end_date=_optional(optional["ScheduleEndDate"], f"{path}/ScheduleEndDate", date_value),
        start_time=_optional(
            optional["ScheduleExecutionStartTime"], f"{path}/ScheduleExecutionStartTime", time_value
        ),
        period=period,
        ka_credential=_optional(
            optional["KAPublicSecurityCredential"],
            f"{path}/KAPublicSecurityCredential",
            base64_value,
        ),
        service_reference=value["DSPScheduledServiceReference"],
    )
    fields = {
        "body.device_id": device_path,
        "body.srv": srv_path,
        "body.frequency": f"{path}/ScheduleFrequency",
        "body.start_date": f"{path}/ScheduleStartDate",
        "body.end_date": f"{path}/ScheduleEndDate",
        "body.start_time": f"{path}/ScheduleExecutionStartTime",
        "body.ka_credential": f"{path}/KAPublicSecurityCredential",
        "body.service_reference": f"{path}/DSPScheduledServiceReference",
        "body.period": body_path,
        "body.period.start_offset": f"{body_path}/StartDateOffset",
        "body.period.start_time": f"{body_path}/StartTime",
        "body.period.end_offset": f"{body_path}/EndDateOffset",
        "body.period.end_time": f"{body_path}/EndTime",
    }
    return body, None, fields


def _the_body_element(
    parts: dict[str, list[etree._Element]], srv: str, path: str
) -> etree._Element:
    present = [items[0] for name, items in parts.items() if name in _BODY_NAMES and items]
    if len(present) != 1:
        raise InvalidField(path, "ends with exactly one scheduled SR body (DSPReadData, ...)")
    name = etree.QName(present[0]).localname
    expected = BODY_ELEMENTS.get(srv)
    if expected is not None and name != expected:
        raise InvalidField(f"{path}/{name}", f"SRV {srv} is scheduled with {expected}")
    return present[0]


_BODY_NAMES = frozenset(BODY_ELEMENTS.values())


def _optional(
    element: etree._Element | None, path: str, read: Callable[[etree._Element, str], T]
) -> T | None:
    return None if element is None else read(element, path)


def _log_period(element: etree._Element, path: str) -> LogPeriodOffset:
    parts = sequence(element, path, _OFFSET)
    return LogPeriodOffset(
        start_offset=_offset_value(parts["StartDateOffset"][0], f"{path}/StartDateOffset"),
        start_time=time_value(parts["StartTime"][0], f"{path}/StartTime"),
        end_offset=_offset_value(parts["EndDateOffset"][0], f"{path}/EndDateOffset"),
        end_time=time_value(parts["EndTime"][0], f"{path}/EndTime"),
    )


def _by_id_or_device(kind: type[ReadSchedule] | type[DeleteSchedule]) -> Reader:
    def read(element: etree._Element, path: str) -> BodyReading:
        key = only_child(element, path)
        name = etree.QName(key).localname
        key_path = f"{path}/{name}"
        if name == "DSPScheduleID":
            body = kind(schedule_id=unsigned_value(key, key_path))
        elif name == "DeviceID":
            body = kind(device_id=parse_eui64(text_value(key, key_path), key_path))
        else:
            raise InvalidField(key_path, "is not a DSPScheduleID or a DeviceID")
        return body, None, {"body.schedule_id": key_path, "body.device_id": key_path}

    return read


# -- writers -------------------------------------------------------------------------------------


def _schedule_id(message: etree._Element, created: ScheduleCreated, version: DuisVersion) -> None:
    sub(message, "DSPScheduleID", str(created.schedule_id))


def _schedules_read(message: etree._Element, read: SchedulesRead, version: DuisVersion) -> None:
    shown = [
        s
        for s in read.schedules
        if not (uses_v5_1_shapes(version) and s.details.srv in NOT_IN_DUIS_5_1)
    ]
    if not shown:
        return
    element = sub(message, "DSPSchedulesRead")
    for schedule in shown:
        _schedule(sub(element, "DSPSchedules"), schedule)


def _schedule(parent: etree._Element, schedule: Schedule) -> None:
    details = schedule.details
    sub(parent, "DSPScheduleID", str(schedule.schedule_id))
    element = sub(parent, "DSPScheduleDetails")
    sub(element, "ScheduleFrequency", details.frequency.value)
    sub(element, "ScheduleStartDate", details.start_date.isoformat())
    if details.end_date is not None:
        sub(element, "ScheduleEndDate", details.end_date.isoformat())
    if details.start_time is not None:
        sub(element, "ScheduleExecutionStartTime", format_time(details.start_time))
    if details.ka_credential is not None:
        sub(element, "KAPublicSecurityCredential", b64(details.ka_credential))
    sub(element, "DSPScheduledServiceReference", ".".join(details.srv.split(".")[:2]))
    sub(element, "DSPScheduledServiceReferenceVariant", details.srv)
    sub(element, "DeviceID", details.device_id)
    body = sub(element, BODY_ELEMENTS[details.srv])
    if details.period is not None:
        sub(body, "StartDateOffset", str(details.period.start_offset))
        sub(body, "StartTime", format_time(details.period.start_time))
        sub(body, "EndDateOffset", str(details.period.end_offset))
        sub(body, "EndTime", format_time(details.period.end_time))


def format_time(value: time) -> str:
    text = value.strftime("%H:%M:%S")
    if value.microsecond:
        text += f".{value.microsecond:06d}"
    return text + "Z"


FAMILY: BodyFamily = BodyFamily(
    readers={
        "5.1": ("CreateSchedule", _create_schedule),
        "5.2": ("ReadSchedule", _by_id_or_device(ReadSchedule)),
        "5.3": ("DeleteSchedule", _by_id_or_device(DeleteSchedule)),
    },
    sync_writers={ScheduleCreated: _schedule_id, SchedulesRead: _schedules_read},
)
