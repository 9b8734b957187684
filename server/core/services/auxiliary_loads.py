"""Auxiliary load control: 6.14.1 Update Device Configuration (Auxiliary Load Control
Description), 6.14.2 (Auxiliary Load Control Scheduler), 6.14.3 (Auxiliary Controller Scheduler),
7.5 Activate / 7.6 Deactivate / 7.8 Reset Auxiliary Load, 7.7 Read Auxiliary Load Switch Data,
7.9 / 7.10 Add / Remove Auxiliary Load To / From Boost Button, 7.11 Read Boost Button Details,
7.12 Set Randomised Offset Limit, 7.13 Set Auxiliary Controller State, 7.14 / 7.15 Read Auxiliary
Controller Configuration / Operational Data and 7.16 Limit APC Level.

What the ESME holds and how a controller's level follows from it is `dccsim.devices.
auxiliary_loads`'s (its module doc holds those decisions). A write followed by its read returns
what was written (SRV-03): 6.14.1 -> 7.7 / 7.14, 6.14.2 -> 7.7, 6.14.3 -> 7.14, 7.9 / 7.10 ->
7.11, 7.5 / 7.6 / 7.8 / 7.13 / 7.16 / the calendars -> 7.7's switch states and 7.15's levels.

Decisions (DUIS is silent; docs/decisions.md, "Auxiliary loads"):
- These SRVs apply to ESMEs only (E11 otherwise): the ESME controls its ALCSs, HCALCSs and APCs.
- 7.5 / 7.6 Duration is in minutes from the device's receipt; 0 holds the switch until a 7.8
  Reset or a later command. 7.13 / 7.16 hold their level from StartDateTime to EndDateTime; an
  end before the start is a bad `body.end`.
- 6.14.1 names each controller once (a label given twice is a bad field). 7.9 / 7.10 carry the
  five flags DUIS gives them: true adds (removes) the load, false leaves it as it is.
- 6.14.2 and 6.14.3 replace the ESME's calendar in full. Future-dated, the ESME holds them
  (SRV-05): it answers at once, and at their time takes the calendar and raises 0x8F66 in a
  0x00CC alert (COSEMFutureDatedAlert) to the requester. A 3000-12-31 ExecutionDateTime cancels
  the one held; a later future-dated update replaces it.
- 6.14.3 has no MMC response element: it answers with 6.14.2's empty UpdateDeviceConfiguration-
  ALCSchedulerRsp (the same Service Reference), so a client always finds an MMC payload.
- 7.12's limit is held (0-1799 s) for 6.2.2 to read; dccsim applies no random offset to switch
  times, so calendars stay predictable.
- 7.16 may cap any controller (a switch capped below 100 stays off); 7.8 does not lift it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import partial

from dccsim.devices.auxiliary_loads import (
    CONTROLLERS,
    OFF,
    ON,
    AuxiliaryLoads,
    BoostPeriod,
    Command,
    ControllerAction,
    ControllerCalendar,
    ControllerKind,
    DatePattern,
    Direction,
    HeldCalendar,
    MonthEnd,
    SpecialDay,
    SwitchCalendar,
    SwitchEvent,
    Timing,
    Weekday,
)
from dccsim.devices.codes import AlertCode, MessageCode
from dccsim.devices.device import SimulatedDevice
from dccsim.devices.kinds import DeviceType
from dccsim.server.core.delivery import Outcome, decide, deliver_heard, nothing
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.eui import parse_eui64
from dccsim.server.core.faults import FaultStage
from dccsim.server.core.fields import check_int
from dccsim.server.core.journal import EventKind
from dccsim.server.core.messages import DeviceAlertMessage
from dccsim.server.core.requests import RequestId, ServiceRequest
from dccsim.server.core.services.registry import Family
from dccsim.server.core.state import DspState

family: Family = Family()

_ESME = (DeviceType.ESME,)
MAX_DESCRIPTION = 22
MAX_SWITCH_EVENTS = 48
MAX_CONTROLLER_ACTIONS = 120
MAX_SPECIAL_DAYS = 20
MAX_OFFSET_LIMIT = 1799
MAX_DURATION = 65_535  # xs:unsignedShort
MAX_YEAR = 9999  # SpecifiedYear: totalDigits 4
# GBCS message codes of the future-dated commands (ECS46c); ECS46d's is not in the public list.
_ECS46C = 0x0054


# -- request bodies ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SetSwitchDescriptions:
    """6.14.1 UpdateDeviceConfigurationALCDescriptions: 1-5 (controller, label)."""

    descriptions: tuple[tuple[int, str], ...]


@dataclass(frozen=True, slots=True)
class SwitchAuxiliaryLoad:
    """7.5 ActivateAuxiliaryLoad and 7.6 DeactivateAuxiliaryLoad: the switch and minutes."""

    index: int
    duration: int


@dataclass(frozen=True, slots=True)
class ResetAuxiliaryLoad:
    """7.8."""

    index: int


@dataclass(frozen=True, slots=True)
class ReadSwitchData:
    """7.7 ReadALCSData: no content."""


@dataclass(frozen=True, slots=True)
class BoostButtonChange:
    """7.9 AddAuxiliaryLoadToBoostButton / 7.10 RemoveAuxiliaryLoadFromBoostButton: one flag
    per controller, 1 to 5."""

    flags: tuple[bool, ...]


@dataclass(frozen=True, slots=True)
class ReadBoostButtonDetails:
    """7.11: its ReadLogPeriod."""

    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class SetRandomisedOffsetLimit:
    """7.12: seconds."""

    limit: int


@dataclass(frozen=True, slots=True)
class ControllerLevel:
    """7.13 SetAuxiliaryControllerState and 7.16 LimitAPCLevel."""

    controller: int
    start: datetime
    end: datetime
    level: int
    direction: Direction = Direction.OUTPUT


@dataclass(frozen=True, slots=True)
class ReadControllerConfiguration:
    """7.14: no content."""


@dataclass(frozen=True, slots=True)
class ReadControllerOperationalData:
    """7.15: no content."""


# -- response bodies -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SwitchReading:
    """One MMC ALCSType: a controller's label, type and (switches only) on or off."""

    index: int
    description: str | None
    kind: ControllerKind
    hcalcs_id: str | None
    on: bool


@dataclass(frozen=True, slots=True)
class SwitchDataRead:
    """7.7 ReadALCSDataRsp."""

    switches: tuple[SwitchReading, ...]
    calendar: SwitchCalendar


@dataclass(frozen=True, slots=True)
class BoostButtonRead:
    """7.11 ReadBoostButtonDetailsRsp."""

    periods: tuple[BoostPeriod, ...]
    available: bool
    members: tuple[bool, ...]  # BoostFunctionControl1Value-5Value


@dataclass(frozen=True, slots=True)
class ControllerConfigurationRead:
    """7.14 ReadAuxiliaryControllerConfigurationDataRsp."""

    descriptions: tuple[tuple[int, str], ...]
    calendar: ControllerCalendar


@dataclass(frozen=True, slots=True)
class ControllerReading:
    """One MMC AuxiliaryControllerOperationalData; an APC also reports its input."""

    controller: int
    kind: ControllerKind
    hcalcs_id: str | None
    output: int
    input: int | None


@dataclass(frozen=True, slots=True)
class ControllerOperationalRead:
    """7.15 ReadAuxiliaryControllerOperationalDataRsp."""

    controllers: tuple[ControllerReading, ...]


# -- checks --------------------------------------------------------------------------------------


def _check_tuple(value: object, field: str, low: int, high: int) -> tuple[object, ...]:
    if not isinstance(value, tuple):
        raise InvalidField(field, "must be a list")
    if not low <= len(value) <= high:
        raise InvalidField(field, f"holds {low} to {high} items, not {len(value)}")
    return value


def _check_controller(value: object, field: str) -> None:
    check_int(value, field, low=1, high=CONTROLLERS)


def _check_descriptions(body: SetSwitchDescriptions) -> None:
    items = _check_tuple(body.descriptions, "body.descriptions", 1, CONTROLLERS)
    seen: set[object] = set()
    for position, item in enumerate(items):
        field = f"body.descriptions[{position}]"
        if not isinstance(item, tuple) or len(item) != 2:
            raise InvalidField(field, "is a (controller, description) pair")
        index, text = item
        _check_controller(index, f"{field}.index")
        if index in seen:
            raise InvalidField(f"{field}.index", f"controller {index} is described twice")
        seen.add(index)
        _check_label(text, f"{field}.description")


def _check_label(text: object, field: str) -> None:
    """SwitchDescription: 1-22 printable ASCII characters ([ -~]+)."""
    if not isinstance(text, str) or not 1 <= len(text) <= MAX_DESCRIPTION:
        raise InvalidField(field, f"must be 1 to {MAX_DESCRIPTION} characters")
    if any(not " " <= char <= "~" for char in text):
        raise InvalidField(field, f"{text!r} holds a character outside printable ASCII")


def _check_date(pattern: object, field: str) -> None:
    if not isinstance(pattern, DatePattern):
        raise InvalidField(field, "must be a date (each part specified or not)")
    if pattern.year is not None:
        check_int(pattern.year, f"{field}.year", low=2014, high=MAX_YEAR)
    if pattern.month is not None:
        check_int(pattern.month, f"{field}.month", low=1, high=12)
    day = pattern.day_of_month
    if day is not None and not isinstance(day, MonthEnd):
        check_int(day, f"{field}.day_of_month", low=1, high=31)
    if pattern.day_of_week is not None:
        check_int(pattern.day_of_week, f"{field}.day_of_week", low=1, high=7)


def _check_timing(timing: object, field: str) -> None:
    if not isinstance(timing, Timing):
        raise InvalidField(field, "must give the entry's days and time")
    numbers = _check_tuple(timing.special_days, f"{field}.special_days", 0, MAX_SPECIAL_DAYS)
    for position, number in enumerate(numbers):
        check_int(number, f"{field}.special_days[{position}]", low=1, high=MAX_SPECIAL_DAYS)
    if timing.days_of_week is not None:
        days = _check_tuple(timing.days_of_week, f"{field}.days_of_week", 0, 7)
        for position, day in enumerate(days):
            if not isinstance(day, Weekday):
                raise InvalidField(f"{field}.days_of_week[{position}]", f"{day!r} is not a day")
    if not isinstance(timing.switch_time, time):
        raise InvalidField(f"{field}.switch_time", "must be a time of day")
    _check_date(timing.start, f"{field}.start")
    _check_date(timing.end, f"{field}.end")


def _check_special_days(days: object, field: str) -> None:
    for position, day in enumerate(_check_tuple(days, field, 0, MAX_SPECIAL_DAYS)):
        if not isinstance(day, SpecialDay):
            raise InvalidField(f"{field}[{position}]", "must be a numbered date")
        check_int(day.number, f"{field}[{position}].number", low=1, high=MAX_SPECIAL_DAYS)
        _check_date(day.date, f"{field}[{position}].date")


def _check_switch_calendar(body: SwitchCalendar) -> None:
    events = _check_tuple(body.events, "body.events", 1, MAX_SWITCH_EVENTS)
    for position, event in enumerate(events):
        field = f"body.events[{position}]"
        if not isinstance(event, SwitchEvent):
            raise InvalidField(field, "must be a switch event")
        _check_controller(event.index, f"{field}.index")
        if not isinstance(event.activate, bool):
            raise InvalidField(f"{field}.activate", "must be true or false")
        _check_timing(event.timing, f"{field}.timing")
    _check_special_days(body.special_days, "body.special_days")
    types = _check_tuple(body.switch_types, "body.switch_types", 0, CONTROLLERS)
    for position, switch_type in enumerate(types):
        field = f"body.switch_types[{position}]"
        _check_controller(getattr(switch_type, "index", None), f"{field}.index")
        hcalcs_id = getattr(switch_type, "hcalcs_id", None)
        if hcalcs_id is not None and parse_eui64(hcalcs_id, f"{field}.hcalcs_id") != hcalcs_id:
            raise InvalidField(f"{field}.hcalcs_id", "must be written in upper case")


def _check_level(value: object, field: str) -> None:
    check_int(value, field, low=OFF, high=ON)


def _check_direction(value: object, field: str) -> None:
    if not isinstance(value, Direction):
        raise InvalidField(field, f"{value!r} is not output or input")


def _check_controller_calendar(body: ControllerCalendar) -> None:
    actions = _check_tuple(body.actions, "body.actions", 0, MAX_CONTROLLER_ACTIONS)
    for position, action in enumerate(actions):
        field = f"body.actions[{position}]"
        if not isinstance(action, ControllerAction):
            raise InvalidField(field, "must be a controller action")
        _check_controller(action.controller, f"{field}.controller")
        _check_level(action.level, f"{field}.level")
        _check_direction(action.direction, f"{field}.direction")
        _check_timing(action.timing, f"{field}.timing")
    _check_special_days(body.special_days, "body.special_days")


def _check_switching(body: SwitchAuxiliaryLoad) -> None:
    _check_controller(body.index, "body.index")
    check_int(body.duration, "body.duration", low=0, high=MAX_DURATION)


def _check_reset(body: ResetAuxiliaryLoad) -> None:
    _check_controller(body.index, "body.index")


def _check_boost(body: BoostButtonChange) -> None:
    flags = _check_tuple(body.flags, "body.flags", CONTROLLERS, CONTROLLERS)
    for position, flag in enumerate(flags):
        if not isinstance(flag, bool):
            raise InvalidField(f"body.flags[{position}]", "must be true or false")


def _check_instant(value: object, field: str) -> None:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise InvalidField(field, "must be a date and time with its time zone")


def _check_period(body: ReadBoostButtonDetails | ControllerLevel) -> None:
    _check_instant(body.start, "body.start")
    _check_instant(body.end, "body.end")
    if body.end < body.start:
        raise InvalidField("body.end", "is before the start of the period")


def _check_offset_limit(body: SetRandomisedOffsetLimit) -> None:
    check_int(body.limit, "body.limit", low=0, high=MAX_OFFSET_LIMIT)


def _check_controller_level(body: ControllerLevel) -> None:
    _check_controller(body.controller, "body.controller")
    _check_period(body)
    _check_level(body.level, "body.level")
    _check_direction(body.direction, "body.direction")


# -- the ESME's auxiliary loads ------------------------------------------------------------------


def _loads(device: SimulatedDevice) -> AuxiliaryLoads:
    """The ESME's auxiliary loads, made at their first write."""
    if device.auxiliary_loads is None:
        device.auxiliary_loads = AuxiliaryLoads.factory(device.model)
    return device.auxiliary_loads


def _view(device: SimulatedDevice) -> AuxiliaryLoads:
    """What a read sees: the loads, or their factory state without making it."""
    return device.auxiliary_loads or AuxiliaryLoads.factory(device.model)


# -- 6.14.1 ------------------------------------------------------------------------------------


@family.device("6.14.1", body=SetSwitchDescriptions, check=_check_descriptions, device_types=_ESME)
def set_descriptions(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    assert isinstance(request.body, SetSwitchDescriptions)
    _loads(device).describe(request.body.descriptions)
    return None, nothing


# -- 6.14.2 and 6.14.3: calendars the ESME may hold for later (SRV-05) ---------------------------


@family.device(
    "6.14.2",
    body=SwitchCalendar,
    check=_check_switch_calendar,
    device_types=_ESME,
    device_holds_future_dated=True,
)
def set_switch_calendar(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    _update_calendar(state, request, device)
    return None, nothing


@family.device(
    "6.14.3",
    body=ControllerCalendar,
    check=_check_controller_calendar,
    device_types=_ESME,
    device_holds_future_dated=True,
)
def set_controller_calendar(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    _update_calendar(state, request, device)
    return None, nothing


def _update_calendar(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> None:
    """Take the calendar now, hold it for its time, or drop the one held (a cancellation)."""
    calendar = request.body
    assert isinstance(calendar, SwitchCalendar | ControllerCalendar)
    loads = _loads(device)
    label = f"{request.srv} calendar on {device.device_id}"
    if request.is_cancellation:
        _hold(loads, calendar, None)
        state.scheduler.cancel(label)
        return
    when = request.execution_datetime
    if when is not None and when > state.now():
        rid = request.request_id
        _hold(loads, calendar, HeldCalendar(when, rid.counter, calendar))
        state.scheduler.at(
            when,
            partial(run_held_calendar, state, device.device_id, rid, request.srv),
            label=label,
        )
        return
    _apply(loads, calendar)


def _hold(
    loads: AuxiliaryLoads, calendar: SwitchCalendar | ControllerCalendar, held: HeldCalendar | None
) -> None:
    if isinstance(calendar, SwitchCalendar):
        loads.held_switch_calendar = held
    else:
        loads.held_controller_calendar = held


def _apply(loads: AuxiliaryLoads, calendar: SwitchCalendar | ControllerCalendar) -> None:
    if isinstance(calendar, SwitchCalendar):
        loads.set_switch_calendar(calendar)
    else:
        loads.set_controller_calendar(calendar)


def run_held_calendar(state: DspState, device_id: str, rid: RequestId, srv: str) -> None:
    """A future-dated 6.14.2 / 6.14.3 falls due: the ESME takes the calendar it held and raises
    0x8F66 in a 0x00CC alert to the requester (SRV-05)."""
    device = state.network.get(device_id)
    loads = device.auxiliary_loads if device is not None else None
    if device is None or loads is None:
        return
    switches = srv == "6.14.2"
    held = loads.held_switch_calendar if switches else loads.held_controller_calendar
    if held is None or held.counter != rid.counter:  # cancelled or replaced meanwhile
        return
    if switches:
        loads.held_switch_calendar = None
    else:
        loads.held_controller_calendar = None
    _apply(loads, held.calendar)
    alert = DeviceAlertMessage(
        device_id=device_id,
        message_code=MessageCode.FUTURE_DATED_COSEM,
        alert_code=AlertCode.FUTURE_DATED_COMMAND_ACTIONED,
        issued_at=state.now(),
        request_id=rid,
        future_dated_srv=srv,
        command_message_code=_ECS46C if switches else None,
    )
    state.journal.record(
        state.now(),
        EventKind.DEVICE_ALERT,
        f"alert {alert.alert_code:#06X}",
        device=device_id,
        message_code=f"{alert.message_code:#06X}",
    )
    decision = decide(state, FaultStage.DEVICE_ALERT, srv, device, rid)
    deliver_heard(state, rid.originator, alert, decision)


# -- 7.5, 7.6, 7.8: switching ----------------------------------------------------------------


def _switch(state: DspState, request: ServiceRequest, device: SimulatedDevice, level: int) -> None:
    body = request.body
    assert isinstance(body, SwitchAuxiliaryLoad)
    now = state.now()
    end = now + timedelta(minutes=body.duration) if body.duration else None
    _loads(device).command(body.index, Direction.OUTPUT, Command(now, end, level))


@family.device("7.5", body=SwitchAuxiliaryLoad, check=_check_switching, device_types=_ESME)
def activate(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    _switch(state, request, device, ON)
    return None, nothing


@family.device("7.6", body=SwitchAuxiliaryLoad, check=_check_switching, device_types=_ESME)
def deactivate(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    _switch(state, request, device, OFF)
    return None, nothing


@family.device("7.8", body=ResetAuxiliaryLoad, check=_check_reset, device_types=_ESME)
def reset(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    assert isinstance(request.body, ResetAuxiliaryLoad)
    _loads(device).reset(request.body.index)
    return None, nothing


# -- 7.7 -------------------------------------------------------------------------------------


@family.device("7.7", body=ReadSwitchData, device_types=_ESME, responses=(SwitchDataRead,))
def read_switch_data(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    loads = _view(device)
    now = state.now()
    switches = tuple(
        SwitchReading(
            number,
            controller.description,
            controller.kind,
            controller.hcalcs_id,
            loads.is_on(number, now),
        )
        for number, controller in enumerate(loads.controllers, start=1)
    )
    return SwitchDataRead(switches, loads.switch_calendar), nothing


# -- 7.9, 7.10, 7.11: the boost button -------------------------------------------------------


@family.device("7.9", body=BoostButtonChange, check=_check_boost, device_types=_ESME)
def add_to_boost(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    assert isinstance(request.body, BoostButtonChange)
    _loads(device).set_boost(request.body.flags, member=True)
    return None, nothing


@family.device("7.10", body=BoostButtonChange, check=_check_boost, device_types=_ESME)
def remove_from_boost(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    assert isinstance(request.body, BoostButtonChange)
    _loads(device).set_boost(request.body.flags, member=False)
    return None, nothing


@family.device(
    "7.11",
    body=ReadBoostButtonDetails,
    check=_check_period,
    device_types=_ESME,
    responses=(BoostButtonRead,),
)
def read_boost(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    body = request.body
    assert isinstance(body, ReadBoostButtonDetails)
    loads = _view(device)
    members = tuple(controller.boost for controller in loads.controllers)
    periods = tuple(loads.boost_periods(body.start, body.end))
    return BoostButtonRead(periods, any(members), members), nothing


# -- 7.12, 7.13, 7.16 ------------------------------------------------------------------------


@family.device("7.12", body=SetRandomisedOffsetLimit, check=_check_offset_limit, device_types=_ESME)
def set_offset_limit(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    assert isinstance(request.body, SetRandomisedOffsetLimit)
    _loads(device).randomised_offset_limit = request.body.limit
    return None, nothing


def _command(body: ControllerLevel) -> Command:
    return Command(body.start, body.end, body.level)


@family.device("7.13", body=ControllerLevel, check=_check_controller_level, device_types=_ESME)
def set_state(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    body = request.body
    assert isinstance(body, ControllerLevel)
    _loads(device).command(body.controller, body.direction, _command(body))
    return None, nothing


@family.device("7.16", body=ControllerLevel, check=_check_controller_level, device_types=_ESME)
def limit_level(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    body = request.body
    assert isinstance(body, ControllerLevel)
    _loads(device).limit(body.controller, body.direction, _command(body))
    return None, nothing


# -- 7.14, 7.15 ------------------------------------------------------------------------------


@family.device(
    "7.14",
    body=ReadControllerConfiguration,
    device_types=_ESME,
    responses=(ControllerConfigurationRead,),
)
def read_configuration(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    loads = _view(device)
    descriptions = tuple(
        (number, controller.description)
        for number, controller in enumerate(loads.controllers, start=1)
        if controller.description is not None
    )
    return ControllerConfigurationRead(descriptions, loads.controller_calendar), nothing


@family.device(
    "7.15",
    body=ReadControllerOperationalData,
    device_types=_ESME,
    responses=(ControllerOperationalRead,),
)
def read_operational_data(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    loads = _view(device)
    now = state.now()
    readings = tuple(
        ControllerReading(
            number,
            controller.kind,
            controller.hcalcs_id,
            loads.level(number, Direction.OUTPUT, now),
            None if controller.kind.is_switch else loads.level(number, Direction.INPUT, now),
        )
        for number, controller in enumerate(loads.controllers, start=1)
    )
    return ControllerOperationalRead(readings), nothing
