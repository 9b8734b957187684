"""DUIS bodies of the auxiliary load SRVs, 6.14.1-6.14.3 and 7.5-7.16 (core:
`dccsim.server.core.services.auxiliary_loads`). Requests in, read in the DUIS schema's element
order; the MMC ReadALCSDataRsp (7.7), ReadBoostButtonDetailsRsp (7.11),
ReadAuxiliaryControllerConfigurationDataRsp (7.14) and ReadAuxiliaryControllerOperationalDataRsp
(7.15) out, filled from the ESME's state. The writes answer with their empty MMC responses;
the MMC schema has none for 6.14.3, which answers with 6.14.2's (UpdateDeviceConfiguration-
ALCSchedulerRsp, the same Service Reference's empty response) rather than without a payload."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from functools import partial

from lxml import etree

from dccsim.devices.auxiliary_loads import (
    CONTROLLERS,
    ControllerAction,
    ControllerCalendar,
    DatePattern,
    Direction,
    MonthEnd,
    SpecialDay,
    SwitchCalendar,
    SwitchEvent,
    SwitchType,
    Timing,
    Weekday,
)
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.services.auxiliary_loads import (
    BoostButtonChange,
    BoostButtonRead,
    ControllerConfigurationRead,
    ControllerLevel,
    ControllerOperationalRead,
    ReadBoostButtonDetails,
    ReadControllerConfiguration,
    ReadControllerOperationalData,
    ReadSwitchData,
    ResetAuxiliaryLoad,
    SetRandomisedOffsetLimit,
    SetSwitchDescriptions,
    SwitchAuxiliaryLoad,
    SwitchDataRead,
)
from dccsim.server.duis.bodies.family import BodyFamily
from dccsim.server.duis.names import format_datetime
from dccsim.server.duis.reading import (
    BodyReading,
    Fields,
    boolean_value,
    contentless,
    datetime_value,
    empty_element,
    only_child,
    optional_datetime,
    sequence,
    text_value,
    unsigned_value,
)
from dccsim.server.duis.writing import ra, sub

# xs:time: hh:mm:ss[.s][Z|+hh:mm]
_TIME = re.compile(r"([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?(Z|[+-][0-9]{2}:[0-9]{2})?")
_WEEKDAYS = {day.name.capitalize(): day for day in Weekday}
_DATE_PARTS = ("Year", "Month", "DayOfMonth", "DayOfWeek")
_EXECUTION = ("ExecutionDateTime", 0, 1)


# -- reading: values -----------------------------------------------------------------------------


def _index(element: etree._Element, path: str, name: str = "index", high: int = CONTROLLERS) -> int:
    """A required range_1_N attribute."""
    text = element.get(name)
    where = f"{path}/@{name}"
    if text is None:
        raise InvalidField(where, "is required")
    text = text.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 4 or not 1 <= int(text) <= high:
        raise InvalidField(where, f"{text!r} is not a number from 1 to {high}")
    return int(text)


def _time(element: etree._Element, path: str) -> time:
    """An xs:time, as the UTC time of day it stands for."""
    text = text_value(element, path)
    match = _TIME.fullmatch(text)
    if match is None:
        raise InvalidField(path, f"{text!r} is not an xs:time (hh:mm:ss[.s][Z])")
    hour, minute, second, fraction, zone = match.groups()
    try:
        when = datetime(2000, 1, 3, int(hour), int(minute), int(second), tzinfo=UTC)
    except ValueError as error:
        raise InvalidField(path, f"{text!r} is not a valid time: {error}") from None
    when = when.replace(microsecond=int((fraction or "0")[:6].ljust(6, "0")))
    if zone not in (None, "Z"):
        sign = 1 if zone[0] == "+" else -1
        if int(zone[1:3]) > 14 or int(zone[4:6]) > 59:
            raise InvalidField(path, f"{text!r} has no valid time zone")
        when -= sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
    return when.time()


def _choice(element: etree._Element, path: str) -> tuple[str, etree._Element]:
    child = only_child(element, path)
    return etree.QName(child).localname, child


def _date(element: etree._Element, path: str) -> DatePattern:
    """DUIS Date: Year, Month, DayOfMonth, DayOfWeek, each specified or NonSpecified."""
    parts = sequence(element, path, [(name, 1, 1) for name in _DATE_PARTS])
    values: list[int | MonthEnd | None] = []
    for name in _DATE_PARTS:
        part_path = f"{path}/{name}"
        chosen, child = _choice(parts[name][0], part_path)
        child_path = f"{part_path}/{chosen}"
        if chosen == f"Specified{name}":
            values.append(unsigned_value(child, child_path))
        elif chosen == f"NonSpecified{name}":
            empty_element(child, child_path)
            values.append(None)
        elif name == "DayOfMonth" and chosen in MonthEnd.__members__.values():
            empty_element(child, child_path)
            values.append(MonthEnd(chosen))
        else:
            raise InvalidField(child_path, "is not expected here")
    year, month, day_of_month, day_of_week = values
    return DatePattern(year, month, day_of_month, day_of_week)  # type: ignore[arg-type]


def _days_of_week(element: etree._Element, path: str) -> tuple[Weekday, ...]:
    parts = sequence(element, path, [("DayOfWeekApplicability", 0, 7)])
    days = []
    for child in parts["DayOfWeekApplicability"]:
        item = sequence(child, f"{path}/DayOfWeekApplicability", [("DayOfWeekID", 1, 1)])
        id_path = f"{path}/DayOfWeekApplicability/DayOfWeekID"
        text = text_value(item["DayOfWeekID"][0], id_path)
        if text not in _WEEKDAYS:
            raise InvalidField(id_path, f"{text!r} is not a DayOfWeekID")
        days.append(_WEEKDAYS[text])
    return tuple(days)


def _timing(
    parts: dict[str, list[etree._Element]], path: str, attribute: str, period: str
) -> Timing:
    """An entry's SpecialDaysApplicability, DaysOfWeekApplicability and dates and time."""
    special = tuple(
        _index(item, f"{path}/SpecialDaysApplicability", attribute, 20)
        for item in parts["SpecialDaysApplicability"]
    )
    for item in parts["SpecialDaysApplicability"]:
        empty_element(item, f"{path}/SpecialDaysApplicability")
    days = parts["DaysOfWeekApplicability"]
    days_of_week = _days_of_week(days[0], f"{path}/DaysOfWeekApplicability") if days else None
    when_path = f"{path}/{period}"
    when = sequence(
        parts[period][0], when_path, [("SwitchTime", 1, 1), ("StartDate", 1, 1), ("EndDate", 1, 1)]
    )
    return Timing(
        special,
        days_of_week,
        _time(when["SwitchTime"][0], f"{when_path}/SwitchTime"),
        _date(when["StartDate"][0], f"{when_path}/StartDate"),
        _date(when["EndDate"][0], f"{when_path}/EndDate"),
    )


def _special_days(
    element: etree._Element, path: str, name: str, attribute: str
) -> tuple[SpecialDay, ...]:
    parts = sequence(element, path, [(name, 0, 20)])
    return tuple(
        SpecialDay(_index(day, f"{path}/{name}", attribute, 20), _date(day, f"{path}/{name}"))
        for day in parts[name]
    )


# -- reading: bodies -----------------------------------------------------------------------------


def _descriptions(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(element, path, [("ALCSHCALCSDescription", 1, CONTROLLERS)])
    items = []
    for child in parts["ALCSHCALCSDescription"]:
        child_path = f"{path}/ALCSHCALCSDescription"
        label = sequence(child, child_path, [("SwitchDescription", 1, 1)])["SwitchDescription"][0]
        if len(label):
            raise InvalidField(f"{child_path}/SwitchDescription", "must hold a value")
        # The label is kept as written (not stripped): spaces are part of it.
        items.append((_index(child, child_path), label.text or ""))
    fields = {"body.descriptions": f"{path}/ALCSHCALCSDescription"}
    return SetSwitchDescriptions(tuple(items)), None, fields


def _switch_calendar(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(
        element,
        path,
        [
            _EXECUTION,
            ("ALCSHCALCSConnectionSchedule", 1, 48),
            ("ALCSHCALCSSpecialDays", 1, 1),
            ("SwitchTypeAndId", 0, CONTROLLERS),
        ],
    )
    events = tuple(
        _switch_event(item, f"{path}/ALCSHCALCSConnectionSchedule")
        for item in parts["ALCSHCALCSConnectionSchedule"]
    )
    days_path = f"{path}/ALCSHCALCSSpecialDays"
    days = _special_days(
        parts["ALCSHCALCSSpecialDays"][0], days_path, "ALCSHCALCSSpecialDay", "index"
    )
    types = tuple(
        _switch_type(item, f"{path}/SwitchTypeAndId") for item in parts["SwitchTypeAndId"]
    )
    fields: Fields = {
        "body.events": f"{path}/ALCSHCALCSConnectionSchedule",
        "body.special_days": days_path,
        "body.switch_types": f"{path}/SwitchTypeAndId",
    }
    return SwitchCalendar(events, days, types), optional_datetime(parts, path), fields


def _switch_event(element: etree._Element, path: str) -> SwitchEvent:
    parts = sequence(
        element,
        path,
        [
            ("ActivateDeactivateSwitch", 1, 1),
            ("SpecialDaysApplicability", 0, 20),
            ("DaysOfWeekApplicability", 0, 1),
            ("ALCSScheduleDatesAndTime", 1, 1),
        ],
    )
    switch_path = f"{path}/ActivateDeactivateSwitch"
    switch = parts["ActivateDeactivateSwitch"][0]
    chosen, child = _choice(switch, switch_path)
    if chosen not in ("ActivateSwitch", "DeactivateSwitch"):
        raise InvalidField(f"{switch_path}/{chosen}", "is not expected here")
    empty_element(child, f"{switch_path}/{chosen}")
    timing = _timing(parts, path, "index", "ALCSScheduleDatesAndTime")
    return SwitchEvent(_index(switch, switch_path), chosen == "ActivateSwitch", timing)


def _switch_type(element: etree._Element, path: str) -> SwitchType:
    chosen, child = _choice(element, path)
    if chosen == "ALCS":
        empty_element(child, f"{path}/ALCS")
        return SwitchType(_index(element, path))
    if chosen == "HCALCS":
        return SwitchType(_index(element, path), text_value(child, f"{path}/HCALCS").upper())
    raise InvalidField(f"{path}/{chosen}", "is not expected here")


def _controller_calendar(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(
        element,
        path,
        [
            _EXECUTION,
            ("AuxiliaryControllerSchedule", 0, 120),
            ("AuxiliaryControllerSpecialDayDefinitions", 1, 1),
        ],
    )
    actions = tuple(
        _controller_action(item, f"{path}/AuxiliaryControllerSchedule")
        for item in parts["AuxiliaryControllerSchedule"]
    )
    days_path = f"{path}/AuxiliaryControllerSpecialDayDefinitions"
    days = _special_days(
        parts["AuxiliaryControllerSpecialDayDefinitions"][0],
        days_path,
        "AuxiliaryControllerSpecialDayDefinition",
        "identifier",
    )
    fields: Fields = {
        "body.actions": f"{path}/AuxiliaryControllerSchedule",
        "body.special_days": days_path,
    }
    return ControllerCalendar(actions, days), optional_datetime(parts, path), fields


_LEVEL = [("CommandedStateLevel", 1, 1), ("InputFromControlledLoad", 0, 1)]


def _level_parts(parts: dict[str, list[etree._Element]], path: str) -> tuple[int, Direction]:
    """CommandedStateLevel and the optional InputFromControlledLoad."""
    level = unsigned_value(parts["CommandedStateLevel"][0], f"{path}/CommandedStateLevel")
    for flag in parts["InputFromControlledLoad"]:
        empty_element(flag, f"{path}/InputFromControlledLoad")
    return level, Direction.INPUT if parts["InputFromControlledLoad"] else Direction.OUTPUT


def _controller_action(element: etree._Element, path: str) -> ControllerAction:
    parts = sequence(
        element,
        path,
        [
            ("AuxiliaryControllerAction", 1, 1),
            ("SpecialDaysApplicability", 0, 20),
            ("DaysOfWeekApplicability", 0, 1),
            ("AuxiliaryControllerSchedulePeriodAndTime", 1, 1),
        ],
    )
    action_path = f"{path}/AuxiliaryControllerAction"
    action = parts["AuxiliaryControllerAction"][0]
    level, direction = _level_parts(sequence(action, action_path, _LEVEL), action_path)
    timing = _timing(parts, path, "identifier", "AuxiliaryControllerSchedulePeriodAndTime")
    return ControllerAction(
        _index(action, action_path, "auxiliaryControllerN"), level, direction, timing
    )


def _switching(name: str) -> Callable[[etree._Element, str], BodyReading]:
    return partial(_read_switching, name)


def _read_switching(name: str, element: etree._Element, path: str) -> BodyReading:
    parts = sequence(element, path, [(name, 1, 1)])
    child_path = f"{path}/{name}"
    child = parts[name][0]
    duration = sequence(child, child_path, [("Duration", 1, 1)])["Duration"][0]
    fields = {"body.index": f"{child_path}/@index", "body.duration": f"{child_path}/Duration"}
    body = SwitchAuxiliaryLoad(
        _index(child, child_path), unsigned_value(duration, f"{child_path}/Duration")
    )
    return body, None, fields


def _reset(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(element, path, [("ResetALCSHCALCS", 1, 1)])
    child_path = f"{path}/ResetALCSHCALCS"
    child = parts["ResetALCSHCALCS"][0]
    empty_element(child, child_path)
    return ResetAuxiliaryLoad(_index(child, child_path)), None, {"body.index": child_path}


def _boost(name: str) -> Callable[[etree._Element, str], BodyReading]:
    def read(element: etree._Element, path: str) -> BodyReading:
        parts = sequence(element, path, [_EXECUTION, (name, CONTROLLERS, CONTROLLERS)])
        flags: dict[int, bool] = {}
        child_path = f"{path}/{name}"
        for child in parts[name]:
            index = _index(child, child_path)
            if index in flags:
                raise InvalidField(f"{child_path}/@index", f"controller {index} is named twice")
            flags[index] = boolean_value(child, child_path)
        body = BoostButtonChange(tuple(flags[number] for number in range(1, CONTROLLERS + 1)))
        return body, optional_datetime(parts, path), {"body.flags": child_path}

    return read


def _read_boost(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(element, path, [_EXECUTION, ("ReadLogPeriod", 1, 1)])
    period_path = f"{path}/ReadLogPeriod"
    period = sequence(
        parts["ReadLogPeriod"][0], period_path, [("StartDateTime", 1, 1), ("EndDateTime", 1, 1)]
    )
    start = datetime_value(period["StartDateTime"][0], f"{period_path}/StartDateTime")
    end = datetime_value(period["EndDateTime"][0], f"{period_path}/EndDateTime")
    fields = {
        "body.start": f"{period_path}/StartDateTime",
        "body.end": f"{period_path}/EndDateTime",
    }
    return ReadBoostButtonDetails(start, end), optional_datetime(parts, path), fields


def _offset_limit(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(element, path, [("RandomisedOffsetLimit", 1, 1)])
    limit_path = f"{path}/RandomisedOffsetLimit"
    limit = unsigned_value(parts["RandomisedOffsetLimit"][0], limit_path)
    return SetRandomisedOffsetLimit(limit), None, {"body.limit": limit_path}


def _controller_level(element: etree._Element, path: str) -> BodyReading:
    layout = [("StartDateTime", 1, 1), ("EndDateTime", 1, 1), *_LEVEL]
    parts = sequence(element, path, layout)
    start = datetime_value(parts["StartDateTime"][0], f"{path}/StartDateTime")
    end = datetime_value(parts["EndDateTime"][0], f"{path}/EndDateTime")
    level, direction = _level_parts(parts, path)
    controller = _index(element, path, "auxiliaryControllerN")
    fields = {
        "body.controller": f"{path}/@auxiliaryControllerN",
        "body.start": f"{path}/StartDateTime",
        "body.end": f"{path}/EndDateTime",
        "body.level": f"{path}/CommandedStateLevel",
    }
    return ControllerLevel(controller, start, end, level, direction), None, fields


# -- writing -------------------------------------------------------------------------------------


def _write_time(parent: etree._Element, name: str, value: time) -> None:
    text = value.strftime("%H:%M:%S")
    if value.microsecond:
        text += f".{value.microsecond:06d}".rstrip("0")
    sub(parent, name, text + "Z")


def _write_date(parent: etree._Element, name: str, pattern: DatePattern) -> None:
    element = sub(parent, name)
    for part, value in zip(
        _DATE_PARTS,
        (pattern.year, pattern.month, pattern.day_of_month, pattern.day_of_week),
        strict=True,
    ):
        holder = sub(element, part)
        if value is None:
            sub(holder, f"NonSpecified{part}")
        elif isinstance(value, MonthEnd):
            sub(holder, value.value)
        else:
            sub(holder, f"Specified{part}", str(value))


def _write_timing(parent: etree._Element, timing: Timing, attribute: str, period: str) -> None:
    for number in timing.special_days:
        sub(parent, "SpecialDaysApplicability").set(attribute, str(number))
    if timing.days_of_week is not None:
        days = sub(parent, "DaysOfWeekApplicability")
        for day in timing.days_of_week:
            sub(sub(days, "DayOfWeekApplicability"), "DayOfWeekID", day.name.capitalize())
    when = sub(parent, period)
    _write_time(when, "SwitchTime", timing.switch_time)
    _write_date(when, "StartDate", timing.start)
    _write_date(when, "EndDate", timing.end)


def _write_special_days(
    parent: etree._Element, name: str, item: str, attribute: str, days: tuple[SpecialDay, ...]
) -> None:
    holder = sub(parent, name)
    for day in days:
        _write_date(holder, item, day.date)
        holder[-1].set(attribute, str(day.number))


def _switch_data_rsp(read: SwitchDataRead) -> etree._Element:
    element = etree.Element(ra("ReadALCSDataRsp"))
    for switch in read.switches:
        item = sub(element, "AuxiliaryLoadControlSwitch")
        item.set("Index", str(switch.index))
        if switch.description is not None:
            sub(item, "Description", switch.description)
        if switch.kind.is_switch:  # an APC is no switch: it has no switch type or state
            identity = sub(item, "TypeAndIdentifier")
            if switch.hcalcs_id is None:
                sub(identity, "ALCS")
            else:
                sub(identity, "HCALCS", switch.hcalcs_id)
            sub(item, "State", "true" if switch.on else "false")
    calendar = read.calendar
    _write_special_days(
        element, "ALCSHCALCSSpecialDays", "ALCSHCALCSSpecialDay", "index", calendar.special_days
    )
    for event in calendar.events:
        item = sub(element, "ALCSScheduler")
        switch_element = sub(item, "ActivateDeactivateSwitch")
        switch_element.set("index", str(event.index))
        sub(switch_element, "ActivateSwitch" if event.activate else "DeactivateSwitch")
        _write_timing(item, event.timing, "index", "ALCSScheduleDatesAndTime")
    return element


def _boost_rsp(read: BoostButtonRead) -> etree._Element:
    element = etree.Element(ra("ReadBoostButtonDetailsRsp"))
    for period in read.periods:
        entry = sub(element, "EventLogEntry")
        sub(entry, "BoostEnd", format_datetime(period.end))
        sub(entry, "BoostStart", format_datetime(period.start))
    sub(element, "BoostFunctionAvailability", "true" if read.available else "false")
    for number, member in enumerate(read.members, start=1):
        sub(element, f"BoostFunctionControl{number}Value", "true" if member else "false")
    return element


def _configuration_rsp(read: ControllerConfigurationRead) -> etree._Element:
    element = etree.Element(ra("ReadAuxiliaryControllerConfigurationDataRsp"))
    for number, text in read.descriptions:
        item = sub(element, "AuxiliaryControllerDescription")
        item.set("auxiliaryControllerN", str(number))
        sub(item, "AuxiliaryControlDescription", text)
    calendar = read.calendar
    _write_special_days(
        element,
        "AuxiliaryControllerSpecialDayDefinitions",
        "AuxiliaryControllerSpecialDayDefinition",
        "identifier",
        calendar.special_days,
    )
    for action in calendar.actions:
        item = sub(element, "AuxiliaryControllerSchedule")
        what = sub(item, "AuxiliaryControllerAction")
        what.set("auxiliaryControllerN", str(action.controller))
        sub(what, "CommandedStateLevel", str(action.level))
        if action.direction is Direction.INPUT:
            sub(what, "InputFromControlledLoad")
        _write_timing(item, action.timing, "identifier", "AuxiliaryControllerSchedulePeriodAndTime")
    return element


def _operational_rsp(read: ControllerOperationalRead) -> etree._Element:
    element = etree.Element(ra("ReadAuxiliaryControllerOperationalDataRsp"))
    for reading in read.controllers:
        item = sub(element, "AuxiliaryControllerOperationalData")
        item.set("auxiliaryControllerN", str(reading.controller))
        identity = sub(item, "TypeAndIdentifier")
        sub(identity, "AuxiliaryControllerType", reading.kind.value)
        if reading.hcalcs_id is not None:
            sub(identity, "HCALCSID", reading.hcalcs_id)
        levels = sub(item, "AuxiliaryControllerStateAndAssociatedInformation")
        sub(levels, "OutputState", str(reading.output))
        if reading.input is not None:
            sub(levels, "InputState", str(reading.input))
    return element


FAMILY: BodyFamily = BodyFamily(
    readers={
        "6.14.1": ("UpdateDeviceConfigurationALCDescriptions", _descriptions),
        "6.14.2": ("UpdateDeviceConfigurationALCScheduler", _switch_calendar),
        "6.14.3": ("UpdateDeviceConfigurationAuxiliaryControllerScheduler", _controller_calendar),
        "7.5": ("ActivateAuxiliaryLoad", _switching("ActivateALCSHCALCS")),
        "7.6": ("DeactivateAuxiliaryLoad", _switching("DeactivateALCSHCALCS")),
        "7.7": ("ReadALCSData", contentless(ReadSwitchData, future_datable=True)),
        "7.8": ("ResetAuxiliaryLoad", _reset),
        "7.9": ("AddAuxiliaryLoadToBoostButton", _boost("AddToBoostButton")),
        "7.10": ("RemoveAuxiliaryLoadFromBoostButton", _boost("RemoveFromBoostButton")),
        "7.11": ("ReadBoostButtonDetails", _read_boost),
        "7.12": ("SetRandomisedOffsetLimit", _offset_limit),
        "7.13": ("SetAuxiliaryControllerState", _controller_level),
        "7.14": (
            "ReadAuxiliaryControllerConfigurationData",
            contentless(ReadControllerConfiguration, future_datable=True),
        ),
        "7.15": (
            "ReadAuxiliaryControllerOperationalData",
            contentless(ReadControllerOperationalData, future_datable=True),
        ),
        "7.16": ("LimitAPCLevel", _controller_level),
    },
    mmc_writers={
        SwitchDataRead: _switch_data_rsp,
        BoostButtonRead: _boost_rsp,
        ControllerConfigurationRead: _configuration_rsp,
        ControllerOperationalRead: _operational_rsp,
    },
    empty_responses={
        "6.14.1": "UpdateDeviceConfigurationALCDescriptionsRsp",
        "6.14.2": "UpdateDeviceConfigurationALCSchedulerRsp",
        # The MMC schema has no element for 6.14.3: it gets its sibling's (SR 6.14, empty).
        "6.14.3": "UpdateDeviceConfigurationALCSchedulerRsp",
        "7.5": "ActivateAuxiliaryLoadRsp",
        "7.6": "DeactivateAuxiliaryLoadRsp",
        "7.8": "ResetAuxiliaryLoadRsp",
        "7.9": "AddAuxiliaryLoadToBoostButtonRsp",
        "7.10": "RemoveAuxiliaryLoadFromBoostButtonRsp",
        "7.12": "SetRandomisedOffsetLimitRsp",
        "7.13": "SetAuxiliaryControllerStateRsp",
        "7.16": "LimitAPCLevelRsp",
    },
)
