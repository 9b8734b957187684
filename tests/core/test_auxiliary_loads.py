"""Auxiliary loads, 6.14.1-6.14.3 and 7.5-7.16 (server/core/services/auxiliary_loads.py,
devices/auxiliary_loads.py): each SRV is served (SRV-01), its answer comes from the ESME's state
(SRV-02), what the writes set the reads return at the read's instant of virtual time (SRV-03),
6.14.2 / 6.14.3 are held by the device when future-dated and cancelled by 3000-12-31 (SRV-05),
and a malformed body is refused naming its field and changes nothing (BAD-01)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest
from lxml import etree

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
from dccsim.devices.codes import AlertCode, MessageCode
from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.fingerprint import fingerprint
from dccsim.server.core.fleet import EXAMPLE_APC_ESME_ID, LOAD_CONTROLLER
from dccsim.server.core.messages import DeviceAlertMessage, ServiceResponse
from dccsim.server.core.records import DuisVersion
from dccsim.server.core.requests import CANCELLATION_DATETIME, RequestBody
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
from dccsim.server.duis.build import build_outbox_message, read_gbcs_payload
from dccsim.server.duis.parse import parse_request
from dccsim.server.rpc import convert
from dccsim.v1 import auxiliary_loads_pb2 as pb
from dccsim.v1 import supplier_pb2
from tests.conftest import ESME, GSME, SUPPLIER_A, Sim
from tests.duis.documents import XSD_5_1, XSD_5_3A, OfficialSchemas

RA = {"ra": "http://www.dccinterface.co.uk/ResponseAndAlert"}
SR = {"sr": "http://www.dccinterface.co.uk/ServiceUserGateway"}
APC = EXAMPLE_APC_ESME_ID
CRITICAL = {"6.14.1", "6.14.2", "6.14.3", "7.5", "7.6", "7.8", "7.12", "7.13", "7.16"}
ANY_DAY = DatePattern()
WEEKDAYS = (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY)
HCALCS_ID = "00-DB-12-34-56-78-90-A5"


def _timing(hour: int, days: tuple[Weekday, ...] | None = None, **changes: object) -> Timing:
    timing = Timing((), days, time(hour), ANY_DAY, ANY_DAY)
    return replace(timing, **changes)


# Switch 1 on at 06:00 and off at 22:00 every day; switch 2 is the example HCALCS.
SWITCHES = SwitchCalendar(
    (SwitchEvent(1, True, _timing(6)), SwitchEvent(1, False, _timing(22))),
    (SpecialDay(1, DatePattern(month=12, day_of_month=25)),),
    (SwitchType(2, HCALCS_ID),),
)
# APC 1's output: 40% on weekdays from 09:00, 80% at weekends from 09:00, 10% on Christmas Day.
CONTROLLERS = ControllerCalendar(
    (
        ControllerAction(1, 40, Direction.OUTPUT, _timing(9, WEEKDAYS)),
        ControllerAction(1, 80, Direction.OUTPUT, _timing(9, (Weekday.SATURDAY, Weekday.SUNDAY))),
        ControllerAction(1, 10, Direction.OUTPUT, _timing(9, (), special_days=(1,))),
        ControllerAction(1, 30, Direction.INPUT, _timing(9)),
    ),
    (SpecialDay(1, DatePattern(month=12, day_of_month=25)),),
)


def _level(sim: Sim, controller: int = 1, level: int = 50, **changes: object) -> ControllerLevel:
    now = sim.dsp.now()
    body = ControllerLevel(controller, now, now + timedelta(hours=2), level)
    return replace(body, **changes)


def _bodies(sim: Sim) -> dict[str, RequestBody]:
    return _bodies_at(sim.dsp.now())


def _bodies_at(now: datetime) -> dict[str, RequestBody]:
    level = ControllerLevel(1, now, now + timedelta(hours=2), 50)
    return {
        "6.14.1": SetSwitchDescriptions(((1, "Heater"), (3, "Pool pump"))),
        "6.14.2": SWITCHES,
        "6.14.3": CONTROLLERS,
        "7.5": SwitchAuxiliaryLoad(1, 30),
        "7.6": SwitchAuxiliaryLoad(3, 60),
        "7.7": ReadSwitchData(),
        "7.8": ResetAuxiliaryLoad(5),
        "7.9": BoostButtonChange((True, True, False, False, False)),
        "7.10": BoostButtonChange((False, True, False, False, False)),
        "7.11": ReadBoostButtonDetails(now - timedelta(days=7), now),
        "7.12": SetRandomisedOffsetLimit(900),
        "7.13": level,
        "7.14": ReadControllerConfiguration(),
        "7.15": ReadControllerOperationalData(),
        "7.16": replace(level, controller=5, level=20),
    }


def example_body(srv: str) -> RequestBody:
    """A well-formed body for an auxiliary load SRV (tests/core/test_properties.py uses it)."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    return _bodies_at(start)[srv]


def _send(sim: Sim, srv: str, body: RequestBody, target: str = ESME, **extra: object):
    user = LOAD_CONTROLLER if srv == "7.16" else SUPPLIER_A
    if srv in CRITICAL:
        return sim.send_critical(srv, body, target=target, user=user, **extra)
    return sim.send(srv, body, target=target, user=user, **extra)


def _ask(sim: Sim, srv: str, body: RequestBody, target: str = ESME) -> ServiceResponse:
    """Send an auxiliary load SR, check its acknowledgement and return the ESME's response."""
    answer = _send(sim, srv, body, target)
    assert answer.code is ResponseCode.I99, answer
    user = LOAD_CONTROLLER if srv == "7.16" else SUPPLIER_A
    response = sim.messages(user)[-1]
    assert isinstance(response, ServiceResponse)
    assert response.request_id == answer.request_id
    assert response.code is ResponseCode.I0
    return response


def _switch_data(sim: Sim, target: str = ESME) -> SwitchDataRead:
    body = _ask(sim, "7.7", ReadSwitchData(), target).body
    assert isinstance(body, SwitchDataRead)
    return body


def _operational(sim: Sim, target: str = APC) -> ControllerOperationalRead:
    body = _ask(sim, "7.15", ReadControllerOperationalData(), target).body
    assert isinstance(body, ControllerOperationalRead)
    return body


def _output(sim: Sim, controller: int = 1, target: str = APC) -> int:
    return _operational(sim, target).controllers[controller - 1].output


def _at(sim: Sim, when: datetime) -> None:
    sim.dsp.advance_to(when)


def _next(sim: Sim, weekday: Weekday, hour: int, minute: int = 0) -> datetime:
    """The next such weekday and time (UTC) after the virtual clock's now."""
    now = sim.dsp.now()
    day = now.date() + timedelta(days=1)
    while day.isoweekday() != weekday:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def _mmc(response: object, version: DuisVersion = DuisVersion.V5_2) -> etree._Element:
    document = build_outbox_message(response, version, recipient=SUPPLIER_A)
    [payload] = etree.fromstring(document).xpath("//sr:GBCSPayload/text()", namespaces=SR)
    return read_gbcs_payload(str(payload))


@pytest.fixture(scope="module")
def schemas() -> OfficialSchemas:
    if not (XSD_5_1.is_file() and XSD_5_3A.is_file()):
        pytest.skip("the official DUIS schemas are not in ../shared/duis-xsd")
    return OfficialSchemas.load()


# -- SRV-01 --------------------------------------------------------------------------------------


@pytest.mark.spec("SRV-01")
@pytest.mark.parametrize("srv", sorted(CRITICAL | {"7.7", "7.9", "7.10", "7.11", "7.14", "7.15"}))
def test_each_auxiliary_load_srv_is_acknowledged_and_answered(sim: Sim, srv: str) -> None:
    response = _ask(sim, srv, _bodies(sim)[srv])
    assert response.srv == srv


@pytest.mark.spec("SRV-01", "REQ-06")
def test_an_auxiliary_load_srv_to_another_device_type_is_e11(sim: Sim) -> None:
    assert _send(sim, "7.7", ReadSwitchData(), GSME).code is ResponseCode.E11


# -- SRV-03: write, then read ------------------------------------------------------------------


@pytest.mark.spec("SRV-03")
def test_descriptions_and_switch_calendar_are_read_back_by_7_7(sim: Sim) -> None:
    before = _switch_data(sim)
    assert [s.description for s in before.switches] == [None] * 5
    _ask(sim, "6.14.1", SetSwitchDescriptions(((1, "Heater"), (3, " Pool pump "))))
    _ask(sim, "6.14.2", SWITCHES)
    read = _switch_data(sim)
    assert [s.description for s in read.switches] == ["Heater", None, " Pool pump ", None, None]
    assert [(s.kind, s.hcalcs_id) for s in read.switches[:2]] == [
        (ControllerKind.ALCS, None),
        (ControllerKind.HCALCS, HCALCS_ID),
    ]
    assert read.calendar == SWITCHES
    configuration = _ask(sim, "7.14", ReadControllerConfiguration()).body
    assert isinstance(configuration, ControllerConfigurationRead)
    assert configuration.descriptions == ((1, "Heater"), (3, " Pool pump "))


@pytest.mark.spec("SRV-03")
def test_a_switch_follows_its_calendar_on_the_virtual_clock(sim: Sim) -> None:
    _ask(sim, "6.14.2", SWITCHES)
    _at(sim, _next(sim, Weekday.MONDAY, 5, 59))
    assert not _switch_data(sim).switches[0].on  # yesterday's 22:00 event: off
    _at(sim, sim.dsp.now() + timedelta(minutes=1))
    assert _switch_data(sim).switches[0].on  # 06:00
    _at(sim, sim.dsp.now() + timedelta(hours=16))
    assert not _switch_data(sim).switches[0].on  # 22:00


@pytest.mark.spec("SRV-03")
def test_activate_deactivate_and_reset_override_the_calendar_for_their_duration(sim: Sim) -> None:
    _ask(sim, "6.14.2", SWITCHES)
    _at(sim, _next(sim, Weekday.MONDAY, 12))  # the calendar has switch 1 on
    _ask(sim, "7.6", SwitchAuxiliaryLoad(1, 30))
    assert not _switch_data(sim).switches[0].on
    _at(sim, sim.dsp.now() + timedelta(minutes=30))
    assert _switch_data(sim).switches[0].on  # the 30 minutes are over
    _ask(sim, "7.5", SwitchAuxiliaryLoad(4, 0))  # 0: until reset
    _at(sim, sim.dsp.now() + timedelta(days=3))
    assert _switch_data(sim).switches[3].on
    _ask(sim, "7.8", ResetAuxiliaryLoad(4))
    assert not _switch_data(sim).switches[3].on  # back to its (empty) calendar


@pytest.mark.spec("SRV-03")
def test_an_apc_follows_its_calendar_and_its_commanded_and_limited_levels(sim: Sim) -> None:
    _ask(sim, "6.14.3", CONTROLLERS, APC)
    _at(sim, _next(sim, Weekday.WEDNESDAY, 9, 30))
    read = _operational(sim)
    assert (read.controllers[0].kind, read.controllers[0].output) == (ControllerKind.APC, 40)
    assert read.controllers[0].input == 30
    _at(sim, _next(sim, Weekday.SATURDAY, 10))
    assert _output(sim) == 80
    _ask(sim, "7.13", _level(sim, 1, 65), APC)
    assert _output(sim) == 65
    _ask(sim, "7.16", _level(sim, 1, 25), APC)  # the Load Controller caps it
    assert _output(sim) == 25
    _ask(sim, "7.8", ResetAuxiliaryLoad(1), APC)
    assert _output(sim) == 25  # the reset drops the supplier's command, not the limit
    _at(sim, sim.dsp.now() + timedelta(hours=2))
    assert _output(sim) == 80  # limit over: the calendar again
    configuration = _ask(sim, "7.14", ReadControllerConfiguration(), APC).body
    assert isinstance(configuration, ControllerConfigurationRead)
    assert configuration.calendar == CONTROLLERS


@pytest.mark.spec("SRV-03")
def test_a_special_day_applies_its_own_actions(sim: Sim) -> None:
    _ask(sim, "6.14.3", CONTROLLERS, APC)
    now = sim.dsp.now()
    _at(sim, datetime(now.year, 12, 25, 12, tzinfo=UTC))
    assert _output(sim) == 10  # Christmas Day's action at 09:00 is the latest due


@pytest.mark.spec("SRV-03")
def test_a_switch_commanded_below_100_is_off(sim: Sim) -> None:
    _ask(sim, "7.13", _level(sim, 2, 99))
    assert [s.on for s in _switch_data(sim).switches] == [False] * 5
    _ask(sim, "7.13", _level(sim, 2, 100))
    assert _switch_data(sim).switches[1].on


@pytest.mark.spec("SRV-03")
def test_boost_button_membership_is_read_back_by_7_11(sim: Sim) -> None:
    now = sim.dsp.now()
    period = ReadBoostButtonDetails(now - timedelta(days=1), now + timedelta(days=1))
    _ask(sim, "7.9", BoostButtonChange((True, True, False, False, True)))
    _ask(sim, "7.10", BoostButtonChange((False, True, False, False, False)))
    read = _ask(sim, "7.11", period).body
    assert isinstance(read, BoostButtonRead)
    assert read.members == (True, False, False, False, True)
    assert read.available and read.periods == ()
    loads = sim.dsp.device(ESME).auxiliary_loads
    assert loads is not None
    pressed = loads.press_boost(sim.dsp.now())
    read = _ask(sim, "7.11", period).body
    assert isinstance(read, BoostButtonRead)
    assert read.periods == (pressed,)
    assert _switch_data(sim).switches[0].on  # a boost holds its loads on


@pytest.mark.spec("SRV-03")
def test_the_randomised_offset_limit_is_held(sim: Sim) -> None:
    _ask(sim, "7.12", SetRandomisedOffsetLimit(1799))
    loads = sim.dsp.device(ESME).auxiliary_loads
    assert loads is not None and loads.randomised_offset_limit == 1799


def test_a_read_creates_no_state(sim: Sim) -> None:
    before = fingerprint(sim.dsp)
    _switch_data(sim)
    assert sim.dsp.device(ESME).auxiliary_loads is None
    assert fingerprint(sim.dsp)["devices"] == before["devices"]


# -- SRV-05 --------------------------------------------------------------------------------------


@pytest.mark.spec("SRV-05")
@pytest.mark.parametrize(
    ("srv", "body", "target"), [("6.14.2", SWITCHES, ESME), ("6.14.3", CONTROLLERS, APC)]
)
def test_a_future_dated_calendar_is_held_by_the_esme_until_its_time(
    sim: Sim, schemas: OfficialSchemas, srv: str, body: RequestBody, target: str
) -> None:
    when = _next(sim, Weekday.MONDAY, 12)
    answer = _send(sim, srv, body, target, execution_datetime=when)
    assert answer.code is ResponseCode.I99
    response = sim.messages()[-1]
    assert isinstance(response, ServiceResponse) and response.request_id == answer.request_id
    loads = sim.dsp.device(target).auxiliary_loads
    assert loads is not None
    assert (
        loads.switch_calendar == SwitchCalendar()
        and loads.controller_calendar == ControllerCalendar()
    )
    _at(sim, when)
    alert = sim.messages()[-1]
    assert isinstance(alert, DeviceAlertMessage)
    assert (alert.message_code, alert.alert_code) == (
        MessageCode.FUTURE_DATED_COSEM,
        AlertCode.FUTURE_DATED_COMMAND_ACTIONED,
    )
    assert alert.request_id == answer.request_id
    assert body in (loads.switch_calendar, loads.controller_calendar)
    for version in (DuisVersion.V5_1, DuisVersion.V5_2):
        document = build_outbox_message(alert, version, recipient=SUPPLIER_A)
        schemas.assert_valid(document, version)
        root = etree.fromstring(document)
        assert root.xpath("string(//sr:ServiceReferenceVariant)", namespaces=SR) == srv
    counter = _mmc_alert(alert).xpath(
        "string(//ra:COSEMFutureDatedAlert/ra:FutureDatedCommandOriginatorCounter)", namespaces=RA
    )
    assert counter == str(answer.request_id.counter)


def _mmc_alert(alert: DeviceAlertMessage) -> etree._Element:
    document = build_outbox_message(alert, DuisVersion.V5_2, recipient=SUPPLIER_A)
    [payload] = etree.fromstring(document).xpath("//sr:GBCSPayload/text()", namespaces=SR)
    return read_gbcs_payload(str(payload))


@pytest.mark.spec("SRV-05")
def test_a_cancellation_drops_the_held_calendar(sim: Sim) -> None:
    when = _next(sim, Weekday.MONDAY, 12)
    assert _send(sim, "6.14.2", SWITCHES, execution_datetime=when).code is ResponseCode.I99
    cancel = _send(sim, "6.14.2", SWITCHES, execution_datetime=CANCELLATION_DATETIME)
    assert cancel.code is ResponseCode.I99
    loads = sim.dsp.device(ESME).auxiliary_loads
    assert loads is not None and loads.held_switch_calendar is None
    assert sim.dsp.state.scheduler.pending() == []
    _at(sim, when + timedelta(hours=1))
    assert not any(isinstance(m, DeviceAlertMessage) for m in sim.messages())
    assert loads.switch_calendar == SwitchCalendar()


# -- SRV-02: DUIS content ----------------------------------------------------------------------


@pytest.mark.spec("SRV-02")
def test_duis_reads_carry_the_esmes_state(sim: Sim, schemas: OfficialSchemas) -> None:
    _ask(sim, "6.14.1", SetSwitchDescriptions(((1, "Heater"),)))
    calendar = replace(
        SWITCHES,
        special_days=(
            SpecialDay(1, DatePattern(2030, 1, MonthEnd.LAST, 4)),
            SpecialDay(2, DatePattern(day_of_month=MonthEnd.SECOND_LAST)),
        ),
    )
    _ask(sim, "6.14.2", calendar)
    _ask(sim, "6.14.3", CONTROLLERS)
    _ask(sim, "7.9", BoostButtonChange((True, False, False, False, False)))
    now = sim.dsp.now()
    reads = [
        _ask(sim, "7.7", ReadSwitchData()),
        _ask(sim, "7.11", ReadBoostButtonDetails(now - timedelta(days=1), now)),
        _ask(sim, "7.14", ReadControllerConfiguration()),
        _ask(sim, "7.15", ReadControllerOperationalData()),
    ]
    for response in reads:
        for version in (DuisVersion.V5_1, DuisVersion.V5_2):
            schemas.assert_valid(
                build_outbox_message(response, version, recipient=SUPPLIER_A), version
            )
    switch_data, boost, configuration, operational = (_mmc(r) for r in reads)
    assert switch_data.xpath(
        "//ra:AuxiliaryLoadControlSwitch[@Index='1']/ra:Description/text()", namespaces=RA
    ) == ["Heater"]
    assert switch_data.xpath("//ra:TypeAndIdentifier/ra:HCALCS/text()", namespaces=RA) == [
        HCALCS_ID
    ]
    assert len(switch_data.xpath("//ra:ALCSScheduler", namespaces=RA)) == 2
    assert switch_data.xpath("count(//ra:LastDayOfMonth)", namespaces=RA) == 1
    assert boost.xpath("//ra:BoostFunctionControl1Value/text()", namespaces=RA) == ["true"]
    assert len(configuration.xpath("//ra:AuxiliaryControllerSchedule", namespaces=RA)) == 4
    assert configuration.xpath("count(//ra:InputFromControlledLoad)", namespaces=RA) == 1
    assert operational.xpath(
        "//ra:AuxiliaryControllerOperationalData[@auxiliaryControllerN='2']//ra:AuxiliaryControllerType/text()",
        namespaces=RA,
    ) == ["HCALCS"]


@pytest.mark.spec("SRV-02")
def test_a_6_14_3_response_carries_its_sibling_6_14_2_mmc_response(
    sim: Sim, schemas: OfficialSchemas
) -> None:
    response = _ask(sim, "6.14.3", CONTROLLERS, APC)
    for version in (DuisVersion.V5_1, DuisVersion.V5_2):
        schemas.assert_valid(build_outbox_message(response, version, recipient=SUPPLIER_A), version)
    mmc = _mmc(response)
    assert mmc.xpath("local-name(//ra:SMETSData/*)", namespaces=RA) == (
        "UpdateDeviceConfigurationALCSchedulerRsp"
    )
    assert mmc.xpath("string(//ra:ServiceReferenceVariant)", namespaces=RA) == "6.14.3"


# -- BAD-01 --------------------------------------------------------------------------------------


def _bad_event(**changes: object) -> SwitchCalendar:
    return replace(SWITCHES, events=(replace(SWITCHES.events[0], **changes),))


@pytest.mark.spec("BAD-01")
@pytest.mark.parametrize(
    ("srv", "body", "field"),
    [
        ("6.14.1", SetSwitchDescriptions(()), "body.descriptions"),
        ("6.14.1", SetSwitchDescriptions(((6, "x"),)), "body.descriptions[0].index"),
        ("6.14.1", SetSwitchDescriptions(((1, "x" * 23),)), "body.descriptions[0].description"),
        ("6.14.1", SetSwitchDescriptions(((1, "caf\u00e9"),)), "body.descriptions[0].description"),
        ("6.14.1", SetSwitchDescriptions(((1, "a"), (1, "b"))), "body.descriptions[1].index"),
        ("6.14.2", replace(SWITCHES, events=()), "body.events"),
        ("6.14.2", _bad_event(index=0), "body.events[0].index"),
        (
            "6.14.2",
            _bad_event(timing=_timing(6, special_days=(21,))),
            "body.events[0].timing.special_days[0]",
        ),
        (
            "6.14.2",
            _bad_event(timing=_timing(6, start=DatePattern(year=2013))),
            "body.events[0].timing.start.year",
        ),
        (
            "6.14.2",
            _bad_event(timing=_timing(6, end=DatePattern(day_of_month=32))),
            "body.events[0].timing.end.day_of_month",
        ),
        (
            "6.14.2",
            replace(SWITCHES, switch_types=(SwitchType(2, "A5"),)),
            "body.switch_types[0].hcalcs_id",
        ),
        (
            "6.14.3",
            replace(CONTROLLERS, actions=(replace(CONTROLLERS.actions[0], level=101),)),
            "body.actions[0].level",
        ),
        (
            "6.14.3",
            replace(CONTROLLERS, special_days=(SpecialDay(0, ANY_DAY),)),
            "body.special_days[0].number",
        ),
        ("7.5", SwitchAuxiliaryLoad(6, 30), "body.index"),
        ("7.6", SwitchAuxiliaryLoad(1, 65_536), "body.duration"),
        ("7.8", ResetAuxiliaryLoad(0), "body.index"),
        ("7.9", BoostButtonChange((True,) * 4), "body.flags"),
        ("7.10", BoostButtonChange((True, True, 1, True, True)), "body.flags[2]"),  # type: ignore[arg-type]
        ("7.12", SetRandomisedOffsetLimit(1800), "body.limit"),
        (
            "7.13",
            ControllerLevel(
                1, datetime(2030, 1, 2, tzinfo=UTC), datetime(2030, 1, 1, tzinfo=UTC), 5
            ),
            "body.end",
        ),
        (
            "7.13",
            ControllerLevel(1, datetime(2030, 1, 1), datetime(2030, 1, 2, tzinfo=UTC), 5),
            "body.start",
        ),
        (
            "7.16",
            ControllerLevel(
                1, datetime(2030, 1, 1, tzinfo=UTC), datetime(2030, 1, 2, tzinfo=UTC), 101
            ),
            "body.level",
        ),
    ],
)
def test_a_malformed_auxiliary_load_body_names_its_field_and_changes_nothing(
    sim: Sim, srv: str, body: RequestBody, field: str
) -> None:
    before = fingerprint(sim.dsp)
    with pytest.raises(InvalidField) as error:
        _send(sim, srv, body)
    assert error.value.field == field
    assert fingerprint(sim.dsp) == before  # no counter consumed, nothing queued or changed


@pytest.mark.spec("BAD-01")
@pytest.mark.parametrize(
    ("body", "path"),
    [
        (
            "<sr:ActivateAuxiliaryLoad><sr:ActivateALCSHCALCS index='6'>"
            "<sr:Duration>30</sr:Duration></sr:ActivateALCSHCALCS></sr:ActivateAuxiliaryLoad>",
            "Body/ActivateAuxiliaryLoad/ActivateALCSHCALCS/@index",
        ),
        (
            "<sr:SetRandomisedOffsetLimit><sr:RandomisedOffsetLimit>1800</sr:RandomisedOffsetLimit>"
            "</sr:SetRandomisedOffsetLimit>",
            "Body/SetRandomisedOffsetLimit/RandomisedOffsetLimit",
        ),
    ],
)
def test_a_malformed_auxiliary_load_document_names_its_element(body: str, path: str) -> None:
    srv = "7.5" if "Activate" in body else "7.12"
    document = (
        f'<sr:Request xmlns:sr="{SR["sr"]}" schemaVersion="5.2">'
        f"<sr:Header><sr:RequestID>{SUPPLIER_A}:{ESME}:1</sr:RequestID>"
        f"<sr:CommandVariant>4</sr:CommandVariant><sr:ServiceReference>{srv}</sr:ServiceReference>"
        f"<sr:ServiceReferenceVariant>{srv}</sr:ServiceReferenceVariant></sr:Header>"
        f"<sr:Body>{body}</sr:Body></sr:Request>"
    ).encode()
    with pytest.raises(InvalidField) as error:
        parse_request(document)
    assert error.value.field == path


# -- gRPC ----------------------------------------------------------------------------------------


@pytest.mark.spec("SRV-01", "SRV-02")
def test_grpc_auxiliary_load_bodies_convert_and_responses_fill(sim: Sim) -> None:
    request = supplier_pb2.SubmitRequest(
        request_id=f"{SUPPLIER_A}:{ESME}:1", service_reference_variant="6.14.2", command_variant=4
    )
    timing = pb.AuxTiming(
        special_days=[1],
        has_days_of_week=True,
        days_of_week=[pb.AUX_WEEKDAY_MONDAY],
        switch_time="06:00:00",
        start=pb.AuxDate(year=2030, month_end=pb.AUX_MONTH_END_LAST),
        end=pb.AuxDate(),
    )
    request.update_alc_scheduler.CopyFrom(
        pb.AuxSwitchCalendar(
            events=[pb.AuxSwitchEvent(index=1, activate=True, timing=timing)],
            switch_types=[pb.AuxSwitchType(index=2, hcalcs_id=HCALCS_ID)],
        )
    )
    expected_timing = Timing(
        (1,), (Weekday.MONDAY,), time(6), DatePattern(2030, None, MonthEnd.LAST), ANY_DAY
    )
    assert convert.service_request(request).body == SwitchCalendar(
        (SwitchEvent(1, True, expected_timing),), (), (SwitchType(2, HCALCS_ID),)
    )
    request.update_alc_scheduler.events[0].timing.switch_time = "25:00"
    with pytest.raises(InvalidField):
        convert.service_request(request)

    level = supplier_pb2.SubmitRequest(
        request_id=f"{LOAD_CONTROLLER}:{ESME}:1",
        service_reference_variant="7.16",
        command_variant=4,
    )
    level.limit_apc_level.controller = 3
    level.limit_apc_level.level = 50
    level.limit_apc_level.input_from_controlled_load = True
    with pytest.raises(InvalidField):
        convert.service_request(level)  # no start or end
    level.limit_apc_level.start.FromDatetime(datetime(2030, 1, 1))
    level.limit_apc_level.end.FromDatetime(datetime(2030, 1, 2))
    assert convert.service_request(level).body == ControllerLevel(
        3,
        datetime(2030, 1, 1, tzinfo=UTC),
        datetime(2030, 1, 2, tzinfo=UTC),
        50,
        Direction.INPUT,
    )

    _ask(sim, "6.14.2", SWITCHES)
    _ask(sim, "6.14.3", CONTROLLERS, APC)
    _ask(sim, "7.7", ReadSwitchData())
    _ask(sim, "7.14", ReadControllerConfiguration(), APC)
    _ask(sim, "7.15", ReadControllerOperationalData(), APC)
    by_body = {type(e.message.body): convert.delivery(e) for e in sim.dsp.pending(SUPPLIER_A)}
    data = by_body[SwitchDataRead].service_response.alcs_data
    assert data.switches[1].type == pb.AUX_CONTROLLER_TYPE_HCALCS
    assert data.switches[1].hcalcs_id == HCALCS_ID
    assert [e.timing.switch_time for e in data.calendar.events] == ["06:00:00", "22:00:00"]
    configuration = by_body[ControllerConfigurationRead].service_response
    actions = configuration.auxiliary_controller_configuration.calendar.actions
    assert [a.level for a in actions] == [40, 80, 10, 30]
    assert actions[3].input_from_controlled_load
    operational = by_body[ControllerOperationalRead].service_response
    assert [c.type for c in operational.auxiliary_controller_operational_data.controllers] == [
        pb.AUX_CONTROLLER_TYPE_APC
    ] * 5
