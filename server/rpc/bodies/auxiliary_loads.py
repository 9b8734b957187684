"""gRPC messages of the auxiliary load SRVs, 6.14.1-6.14.3 and 7.5-7.16 (auxiliary_loads.proto).
The core checks every value; this layer only turns messages into core bodies and back."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import time

from google.protobuf.internal.containers import RepeatedCompositeFieldContainer

from dccsim.devices.auxiliary_loads import (
    ControllerAction,
    ControllerCalendar,
    ControllerKind,
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
from dccsim.server.rpc.bodies.family import MessageFamily
from dccsim.server.rpc.wire import EnumMap, from_timestamp, timestamp
from dccsim.v1 import auxiliary_loads_pb2 as pb
from dccsim.v1 import supplier_pb2

WEEKDAYS = EnumMap(Weekday, pb.AuxWeekday)
MONTH_ENDS = EnumMap(MonthEnd, pb.AuxMonthEnd)
KINDS = EnumMap(ControllerKind, pb.AuxControllerType)
_TIME = re.compile(r"([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,6}))?")


# -- requests ------------------------------------------------------------------------------------


def _time(text: str, field: str) -> time:
    match = _TIME.fullmatch(text)
    if match is None:
        raise InvalidField(field, f"{text[:20]!r} is not a time of day (hh:mm:ss[.ffffff])")
    hour, minute, second, fraction = match.groups()
    try:
        return time(int(hour), int(minute), int(second), int((fraction or "0").ljust(6, "0")))
    except ValueError as error:
        raise InvalidField(field, f"{text!r} is not a valid time: {error}") from None


def _date(message: pb.AuxDate, field: str) -> DatePattern:
    day: int | MonthEnd | None = None
    match message.WhichOneof("day_of_month"):
        case "day":
            day = message.day
        case "month_end":
            day = MONTH_ENDS.to_core(message.month_end, f"{field}.day_of_month")
    return DatePattern(
        message.year if message.HasField("year") else None,
        message.month if message.HasField("month") else None,
        day,
        message.day_of_week if message.HasField("day_of_week") else None,
    )


def _timing(message: pb.AuxTiming, field: str) -> Timing:
    days = None
    if message.has_days_of_week:
        days = tuple(
            WEEKDAYS.to_core(day, f"{field}.days_of_week[{position}]")
            for position, day in enumerate(message.days_of_week)
        )
    return Timing(
        tuple(message.special_days),
        days,  # type: ignore[arg-type]
        _time(message.switch_time, f"{field}.switch_time"),
        _date(message.start, f"{field}.start"),
        _date(message.end, f"{field}.end"),
    )


def _special_days(days: Sequence[pb.AuxSpecialDay], field: str) -> tuple[SpecialDay, ...]:
    return tuple(
        SpecialDay(day.number, _date(day.date, f"{field}[{position}].date"))
        for position, day in enumerate(days)
    )


def _descriptions(message: pb.AuxSetDescriptions) -> SetSwitchDescriptions:
    return SetSwitchDescriptions(tuple((d.index, d.description) for d in message.descriptions))


def _switch_calendar(message: pb.AuxSwitchCalendar) -> SwitchCalendar:
    events = tuple(
        SwitchEvent(event.index, event.activate, _timing(event.timing, f"body.events[{i}].timing"))
        for i, event in enumerate(message.events)
    )
    types = tuple(
        SwitchType(item.index, item.hcalcs_id if item.HasField("hcalcs_id") else None)
        for item in message.switch_types
    )
    return SwitchCalendar(events, _special_days(message.special_days, "body.special_days"), types)


def _direction(input_from_controlled_load: bool) -> Direction:
    return Direction.INPUT if input_from_controlled_load else Direction.OUTPUT


def _controller_calendar(message: pb.AuxControllerCalendar) -> ControllerCalendar:
    actions = tuple(
        ControllerAction(
            action.controller,
            action.level,
            _direction(action.input_from_controlled_load),
            _timing(action.timing, f"body.actions[{i}].timing"),
        )
        for i, action in enumerate(message.actions)
    )
    return ControllerCalendar(actions, _special_days(message.special_days, "body.special_days"))


def _required(message: object, names: tuple[str, ...]) -> None:
    for name in names:
        if not message.HasField(name):  # type: ignore[attr-defined]
            raise InvalidField(f"body.{name}", "is required")


def _read_boost(message: pb.AuxReadBoostButtonDetails) -> ReadBoostButtonDetails:
    _required(message, ("start", "end"))
    return ReadBoostButtonDetails(
        from_timestamp(message.start, "body.start"), from_timestamp(message.end, "body.end")
    )


def _controller_level(message: pb.AuxControllerLevel) -> ControllerLevel:
    _required(message, ("start", "end"))
    return ControllerLevel(
        message.controller,
        from_timestamp(message.start, "body.start"),
        from_timestamp(message.end, "body.end"),
        message.level,
        _direction(message.input_from_controlled_load),
    )


# -- answers -------------------------------------------------------------------------------------


def _fill_date(out: pb.AuxDate, pattern: DatePattern) -> None:
    out.SetInParent()
    if pattern.year is not None:
        out.year = pattern.year
    if pattern.month is not None:
        out.month = pattern.month
    if isinstance(pattern.day_of_month, MonthEnd):
        out.month_end = MONTH_ENDS.to_proto(pattern.day_of_month)
    elif pattern.day_of_month is not None:
        out.day = pattern.day_of_month
    if pattern.day_of_week is not None:
        out.day_of_week = pattern.day_of_week


def _fill_timing(out: pb.AuxTiming, timing: Timing) -> None:
    out.special_days.extend(timing.special_days)
    out.has_days_of_week = timing.days_of_week is not None
    out.days_of_week.extend(WEEKDAYS.to_proto(day) for day in timing.days_of_week or ())
    out.switch_time = timing.switch_time.isoformat()
    _fill_date(out.start, timing.start)
    _fill_date(out.end, timing.end)


def _fill_special_days(
    out: RepeatedCompositeFieldContainer[pb.AuxSpecialDay], days: tuple[SpecialDay, ...]
) -> None:
    for day in days:
        item = out.add()
        item.number = day.number
        _fill_date(item.date, day.date)


def _switch_data(response: supplier_pb2.ServiceResponse, read: SwitchDataRead) -> None:
    out = response.alcs_data
    out.SetInParent()
    for switch in read.switches:
        reading = out.switches.add(
            index=switch.index, type=KINDS.to_proto(switch.kind), on=switch.on
        )
        if switch.description is not None:
            reading.description = switch.description
        if switch.hcalcs_id is not None:
            reading.hcalcs_id = switch.hcalcs_id
    calendar = out.calendar
    calendar.SetInParent()
    for event in read.calendar.events:
        event_item = calendar.events.add(index=event.index, activate=event.activate)
        _fill_timing(event_item.timing, event.timing)
    _fill_special_days(calendar.special_days, read.calendar.special_days)
    for switch_type in read.calendar.switch_types:
        type_item = calendar.switch_types.add(index=switch_type.index)
        if switch_type.hcalcs_id is not None:
            type_item.hcalcs_id = switch_type.hcalcs_id


def _boost(response: supplier_pb2.ServiceResponse, read: BoostButtonRead) -> None:
    out = response.boost_button_details
    out.SetInParent()
    for period in read.periods:
        out.periods.add(start=timestamp(period.start), end=timestamp(period.end))
    out.available = read.available
    out.members.extend(read.members)


def _configuration(
    response: supplier_pb2.ServiceResponse, read: ControllerConfigurationRead
) -> None:
    out = response.auxiliary_controller_configuration
    out.SetInParent()
    for index, text in read.descriptions:
        out.descriptions.add(index=index, description=text)
    calendar = out.calendar
    calendar.SetInParent()
    for action in read.calendar.actions:
        item = calendar.actions.add(
            controller=action.controller,
            level=action.level,
            input_from_controlled_load=action.direction is Direction.INPUT,
        )
        _fill_timing(item.timing, action.timing)
    _fill_special_days(calendar.special_days, read.calendar.special_days)


def _operational(response: supplier_pb2.ServiceResponse, read: ControllerOperationalRead) -> None:
    out = response.auxiliary_controller_operational_data
    out.SetInParent()
    for reading in read.controllers:
        item = out.controllers.add(
            controller=reading.controller, type=KINDS.to_proto(reading.kind), output=reading.output
        )
        if reading.hcalcs_id is not None:
            item.hcalcs_id = reading.hcalcs_id
        if reading.input is not None:
            item.input = reading.input


FAMILY = MessageFamily(
    readers={
        "update_alc_descriptions": (SetSwitchDescriptions, _descriptions),
        "update_alc_scheduler": (SwitchCalendar, _switch_calendar),
        "update_auxiliary_controller_scheduler": (ControllerCalendar, _controller_calendar),
        "activate_auxiliary_load": (
            SwitchAuxiliaryLoad,
            lambda m: SwitchAuxiliaryLoad(m.index, m.duration),
        ),
        "deactivate_auxiliary_load": (
            SwitchAuxiliaryLoad,
            lambda m: SwitchAuxiliaryLoad(m.index, m.duration),
        ),
        "read_alcs_data": (ReadSwitchData, lambda _: ReadSwitchData()),
        "reset_auxiliary_load": (ResetAuxiliaryLoad, lambda m: ResetAuxiliaryLoad(m.index)),
        "add_auxiliary_load_to_boost_button": (
            BoostButtonChange,
            lambda m: BoostButtonChange(tuple(m.flags)),
        ),
        "remove_auxiliary_load_from_boost_button": (
            BoostButtonChange,
            lambda m: BoostButtonChange(tuple(m.flags)),
        ),
        "read_boost_button_details": (ReadBoostButtonDetails, _read_boost),
        "set_randomised_offset_limit": (
            SetRandomisedOffsetLimit,
            lambda m: SetRandomisedOffsetLimit(m.limit),
        ),
        "set_auxiliary_controller_state": (ControllerLevel, _controller_level),
        "read_auxiliary_controller_configuration": (
            ReadControllerConfiguration,
            lambda _: ReadControllerConfiguration(),
        ),
        "read_auxiliary_controller_operational_data": (
            ReadControllerOperationalData,
            lambda _: ReadControllerOperationalData(),
        ),
        "limit_apc_level": (ControllerLevel, _controller_level),
    },
    response_fillers={
        SwitchDataRead: _switch_data,
        BoostButtonRead: _boost,
        ControllerConfigurationRead: _configuration,
        ControllerOperationalRead: _operational,
    },
)
