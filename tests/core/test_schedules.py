"""DCC Schedules (SRV-04): 5.1 Create Schedule, 5.2 Read Schedule, 5.3 Delete Schedule, and the
runs of each schedule on the virtual clock (REQ-07); bad input (BAD-01), counters (REQ-02), the
DUIS documents and the gRPC conversion, and a schedule across a state-file restart."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest

from dccsim.server.core import commands
from dccsim.server.core import services as core_services
from dccsim.server.core.codes import DccAlertCode, ResponseCode
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.fingerprint import fingerprint
from dccsim.server.core.fleet import EXAMPLE_MPAN
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.messages import (
    DccAlertMessage,
    FirmwareVersionRead,
    ScheduleRemoval,
    ServiceResponse,
)
from dccsim.server.core.records import DuisVersion, Registration, UserRole
from dccsim.server.core.requests import ReadFirmwareVersion
from dccsim.server.core.schedules import (
    RUN_COUNTER_BASE,
    LogPeriodOffset,
    ScheduleDetails,
    ScheduleFrequency,
)
from dccsim.server.core.services.schedules import (
    DeleteSchedule,
    ReadSchedule,
    ScheduleCreated,
    SchedulesRead,
    schedule_label,
)
from dccsim.server.duis.build import build_outbox_message, build_sync_answer
from dccsim.server.duis.parse import parse_request
from dccsim.server.rpc import convert
from dccsim.v1 import schedules_pb2, supplier_pb2
from tests.conftest import ESME, GSME, NETWORK_OPERATOR, SUPPLIER_A, SUPPLIER_B, Sim, make_sim
from tests.duis.documents import (
    XSD_5_1,
    XSD_5_3A,
    OfficialSchemas,
    request_xml,
    served,
    text,
    texts,
)

CV8 = CommandVariant.NON_DEVICE
START = datetime(2026, 1, 1, tzinfo=UTC)  # the example DSP's clock
PROFILE = LogPeriodOffset(-1, time(0), 0, time(0))


def _details(**changes: object) -> ScheduleDetails:
    """A daily 4.8.1 (active import profile) read of the ESME at 02:00, yesterday's data."""
    base = ScheduleDetails(
        ESME, "4.8.1", ScheduleFrequency.DAILY, date(2026, 1, 1), None, time(2, 0), PROFILE
    )
    return replace(base, **changes)


def _create(sim: Sim, details: ScheduleDetails | None = None, user: str = SUPPLIER_A):
    return sim.send("5.1", details or _details(), target=sim.acb, cv=CV8, user=user)


def _runs(sim: Sim, schedule_id: int) -> list[str]:
    """The journal's record of a schedule's runs (one event each, whatever became of it)."""
    return [
        e.details["request"]
        for e in sim.dsp.journal.events()
        if e.details.get("schedule") == str(schedule_id) and "request" in e.details
    ]


@pytest.fixture(scope="module")
def schemas() -> OfficialSchemas:
    if not (XSD_5_1.is_file() and XSD_5_3A.is_file()):
        pytest.skip("the official DUIS schemas are not in ../shared/duis-xsd")
    return OfficialSchemas.load()


# -- 5.1 and the runs ----------------------------------------------------------------------------


@pytest.mark.spec("SRV-04", "REQ-07")
def test_a_schedule_runs_at_each_due_time_of_the_virtual_clock(sim: Sim) -> None:
    answer = _create(sim)
    assert answer.code is ResponseCode.I0
    assert answer.body == ScheduleCreated(1)
    assert sim.dsp.state.scheduler.pending() == [(START + timedelta(hours=2), schedule_label(1))]

    sim.dsp.advance(timedelta(days=3))  # 2 Jan 00:00 ... 4 Jan 00:00: runs on 1, 2, 3 January
    counters = [int(rid.rsplit(":", 1)[1]) for rid in _runs(sim, 1)]
    assert counters == [RUN_COUNTER_BASE + n for n in range(3)]
    assert sim.dsp.state.scheduler.pending() == [
        (datetime(2026, 1, 4, 2, tzinfo=UTC), schedule_label(1))
    ]


@pytest.mark.spec("SRV-04", "REQ-07")
@pytest.mark.parametrize(
    ("frequency", "start", "expected"),
    [
        (ScheduleFrequency.WEEKLY, date(2026, 1, 5), [date(2026, 1, 5), date(2026, 1, 12)]),
        (
            ScheduleFrequency.MONTHLY,
            date(2026, 1, 31),
            [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)],
        ),
        (ScheduleFrequency.QUARTERLY, date(2026, 1, 15), [date(2026, 1, 15), date(2026, 4, 15)]),
        (ScheduleFrequency.YEARLY, date(2026, 2, 1), [date(2026, 2, 1), date(2027, 2, 1)]),
    ],
)
def test_frequencies_give_their_due_dates(
    frequency: ScheduleFrequency, start: date, expected: list[date]
) -> None:
    details = _details(frequency=frequency, start_date=start, start_time=None)
    assert [details.occurrence(n).date() for n in range(len(expected))] == expected
    assert details.occurrence(0).time() == time(0)  # no ScheduleExecutionStartTime: midnight


@pytest.mark.spec("SRV-04")
def test_a_schedule_ends_after_its_end_date(sim: Sim) -> None:
    _create(sim, _details(end_date=date(2026, 1, 2)))
    sim.dsp.advance(timedelta(days=5))
    assert len(_runs(sim, 1)) == 2  # 1 and 2 January, then it leaves the book
    assert len(sim.dsp.state.schedules) == 0
    assert sim.dsp.state.scheduler.pending() == []
    read = sim.send("5.2", ReadSchedule(schedule_id=1), target=sim.acb, cv=CV8)
    assert read.code is ResponseCode.E050201


@pytest.mark.spec("SRV-04", "REQ-07", "REQ-03")
def test_runs_deliver_the_devices_responses_with_the_schedule_id(sim: Sim) -> None:
    _create(sim, _details(srv="4.12.1", period=None))
    sim.dsp.advance(timedelta(days=2))  # 1 and 2 January, 02:00
    responses = sim.messages()
    assert [type(m) for m in responses] == [ServiceResponse, ServiceResponse]
    for n, response in enumerate(responses):
        assert isinstance(response, ServiceResponse)
        assert response.schedule_id == 1
        assert response.code is ResponseCode.I0
        assert response.srv == "4.12.1"
        assert response.body is not None  # the maximum demand registers read at the run
        assert response.request_id.counter == RUN_COUNTER_BASE + n
        assert response.request_id.originator == SUPPLIER_A
        assert response.issued_at == datetime(2026, 1, 1 + n, 2, tzinfo=UTC)


# -- checks at creation and at each run ---------------------------------------------------------


@pytest.mark.spec("SRV-04", "AUTH-05", "AUTH-04", "AUTH-02")
@pytest.mark.parametrize(
    ("details", "user", "code"),
    [
        (_details(), SUPPLIER_B, ResponseCode.E4),  # not registered for the ESME's MPAN
        (_details(device_id="00-DB-12-34-56-78-99-99"), SUPPLIER_A, ResponseCode.E19),
        (_details(srv="14.1", period=None), SUPPLIER_A, ResponseCode.E2),  # GT only
        (_details(service_reference="4.6"), SUPPLIER_A, ResponseCode.E050101),
        (_details(start_date=date(2025, 12, 31)), SUPPLIER_A, ResponseCode.E050102),
        (_details(end_date=date(2025, 12, 31)), SUPPLIER_A, ResponseCode.E050103),
        (
            _details(period=LogPeriodOffset(0, time(1), 0, time(0))),
            SUPPLIER_A,
            ResponseCode.E050105,
        ),
    ],
)
def test_create_refusals_change_nothing_and_consume_no_counter(
    sim: Sim, details: ScheduleDetails, user: str, code: ResponseCode
) -> None:
    before = fingerprint(sim.dsp)
    request = sim.request("5.1", details, target=sim.acb, cv=CV8, user=user)
    answer = sim.dsp.submit(request)
    assert answer.code is code
    assert answer.body is None
    assert fingerprint(sim.dsp) == before
    # REQ-02: the refused request's counter is still free.
    assert sim.dsp.submit(replace(request, body=_details())).code is not ResponseCode.E1000


@pytest.mark.spec("SRV-04", "VER-01")
def test_a_duis_5_1_user_cannot_schedule_4_2(sim: Sim) -> None:
    user = sim.dsp.state.users[SUPPLIER_A]
    sim.dsp.add_user(replace(user, interface_version=DuisVersion.V5_1))
    answer = _create(sim, _details(srv="4.2", period=None))
    assert answer.code is ResponseCode.E050101


@pytest.mark.spec("SRV-04", "BAD-01")
@pytest.mark.parametrize(
    ("details", "field"),
    [
        (_details(device_id="not-an-eui"), "body.device_id"),
        (_details(srv="11.2"), "body.srv"),
        (_details(frequency="Fortnightly"), "body.frequency"),
        (_details(start_date=datetime(2026, 1, 2, tzinfo=UTC)), "body.start_date"),
        (_details(end_date="2026-02-01"), "body.end_date"),
        (_details(start_time=time(2, tzinfo=UTC)), "body.start_time"),
        (_details(period=None), "body.period"),
        (_details(srv="4.12.1"), "body.period"),
        (_details(period=LogPeriodOffset(1, time(0), 0, time(0))), "body.period.start_offset"),
        (_details(period=LogPeriodOffset(0, time(0), -(10**9), time(0))), "body.period.end_offset"),
        (_details(ka_credential=b"x" * 5000), "body.ka_credential"),
        (_details(service_reference="9.9"), "body.service_reference"),
    ],
)
def test_a_malformed_create_names_its_field_and_changes_nothing(
    sim: Sim, details: ScheduleDetails, field: str
) -> None:
    before = fingerprint(sim.dsp)
    with pytest.raises(InvalidField) as raised:
        _create(sim, details)
    assert raised.value.field == field
    assert fingerprint(sim.dsp) == before  # no schedule, no timer, no counter consumed


@pytest.mark.spec("SRV-04", "BAD-01")
@pytest.mark.parametrize(
    "body",
    [
        ReadSchedule(),
        ReadSchedule(schedule_id=1, device_id=ESME),
        ReadSchedule(schedule_id=10**12 + 1),
        ReadSchedule(device_id="00-DB"),
    ],
)
def test_a_malformed_read_or_delete_changes_nothing(sim: Sim, body: ReadSchedule) -> None:
    _create(sim)
    before = fingerprint(sim.dsp)
    for srv, kind in (("5.2", ReadSchedule), ("5.3", DeleteSchedule)):
        with pytest.raises(InvalidField):
            sim.send(srv, kind(body.schedule_id, body.device_id), target=sim.acb, cv=CV8)
    assert fingerprint(sim.dsp) == before


@pytest.mark.spec("SRV-04", "AUTH-07", "CPL-01")
def test_a_run_to_a_suspended_device_is_skipped_with_e5_and_the_schedule_kept(sim: Sim) -> None:
    _create(sim)
    sim.dsp.advance(timedelta(hours=3))  # the first run, unserved: no response
    sim.remove_from_cpl(sim.record(ESME).device_type)  # the ESME is suspended (N28 follows)
    sim.dsp.acknowledge(SUPPLIER_A, up_to=sim.dsp.outbox(SUPPLIER_A).last_sequence)
    sim.dsp.advance(timedelta(days=1))
    (refused,) = sim.messages()
    assert isinstance(refused, ServiceResponse)
    assert (refused.code, refused.schedule_id, refused.body) == (ResponseCode.E5, 1, None)
    assert refused.request_id.counter == RUN_COUNTER_BASE + 1
    assert sim.dsp.state.schedules.get(1) is not None  # a suspension can be lifted
    assert sim.dsp.state.scheduler.pending()[0][1] == schedule_label(1)


@pytest.mark.spec("SRV-04", "AUTH-05")
def test_a_user_no_longer_eligible_loses_the_schedule_with_a_removal_alert(sim: Sim) -> None:
    end = START + timedelta(days=1)
    sim.dsp.add_registration(
        Registration(EXAMPLE_MPAN, UserRole.IMPORT_SUPPLIER, SUPPLIER_B, START, end)
    )
    assert _create(sim, user=SUPPLIER_B).code is ResponseCode.I0
    sim.dsp.advance(timedelta(days=3))
    served, refused, alert = sim.messages(SUPPLIER_B)  # 1 January's run, while registered
    assert isinstance(served, ServiceResponse) and served.code is ResponseCode.I0
    assert isinstance(refused, ServiceResponse) and refused.code is ResponseCode.E4
    assert refused.schedule_id == 1
    assert alert == DccAlertMessage(
        DccAlertCode.SCHEDULE_REMOVED, ESME, datetime(2026, 1, 2, 2, tzinfo=UTC), ScheduleRemoval(1)
    )
    assert len(sim.dsp.state.schedules) == 0 and sim.dsp.state.scheduler.pending() == []


@pytest.mark.spec("SRV-04", "REQ-02")
def test_runs_leave_the_users_own_counters_alone(sim: Sim) -> None:
    _create(sim)
    counters = dict(sim.dsp.counters)
    sim.dsp.advance(timedelta(days=2))
    assert dict(sim.dsp.counters) == counters
    # The User's own next request to the ESME carries on from its own counter.
    assert sim.read_firmware(ESME).code is ResponseCode.I99


# -- 5.2 and 5.3 ---------------------------------------------------------------------------------


@pytest.mark.spec("SRV-04")
def test_read_schedule_reads_only_the_users_own(sim: Sim) -> None:
    _create(sim)
    _create(sim, _details(srv="4.17", device_id=GSME))
    by_id = sim.send("5.2", ReadSchedule(schedule_id=2), target=sim.acb, cv=CV8)
    assert by_id.code is ResponseCode.I0
    assert isinstance(by_id.body, SchedulesRead)
    assert [s.schedule_id for s in by_id.body.schedules] == [2]
    assert by_id.body.schedules[0].details == _details(srv="4.17", device_id=GSME)
    by_device = sim.send("5.2", ReadSchedule(device_id=ESME.lower()), target=sim.acb, cv=CV8)
    assert isinstance(by_device.body, SchedulesRead)
    assert [s.schedule_id for s in by_device.body.schedules] == [1]
    other = sim.send("5.2", ReadSchedule(schedule_id=1), target=sim.acb, cv=CV8, user=SUPPLIER_B)
    assert other.code is ResponseCode.E050202
    none = sim.send("5.2", ReadSchedule(device_id=ESME), target=sim.acb, cv=CV8, user=SUPPLIER_B)
    assert none.code is ResponseCode.W050201
    unknown = sim.send("5.2", ReadSchedule(schedule_id=99), target=sim.acb, cv=CV8)
    assert unknown.code is ResponseCode.E050201


@pytest.mark.spec("SRV-04")
def test_only_the_owner_deletes_and_a_deleted_schedule_never_runs(sim: Sim) -> None:
    _create(sim)
    before = fingerprint(sim.dsp)
    other = sim.send("5.3", DeleteSchedule(schedule_id=1), target=sim.acb, cv=CV8, user=SUPPLIER_B)
    assert other.code is ResponseCode.E050302
    assert fingerprint(sim.dsp) == before
    assert sim.send("5.3", DeleteSchedule(schedule_id=7), target=sim.acb, cv=CV8).code is (
        ResponseCode.E050301
    )
    assert sim.send("5.3", DeleteSchedule(schedule_id=1), target=sim.acb, cv=CV8).code is (
        ResponseCode.I99
    )
    sim.dsp.advance(timedelta(days=2))
    assert _runs(sim, 1) == [] and sim.dsp.state.scheduler.pending() == []
    again = sim.send("5.3", DeleteSchedule(device_id=ESME), target=sim.acb, cv=CV8)
    assert again.code is ResponseCode.W050301


# -- DUIS ----------------------------------------------------------------------------------------

CREATE_BODY = """<sr:CreateSchedule>
      <sr:ScheduleFrequency>Daily</sr:ScheduleFrequency>
      <sr:ScheduleStartDate>2026-01-01</sr:ScheduleStartDate>
      <sr:ScheduleEndDate>2026-12-31</sr:ScheduleEndDate>
      <sr:ScheduleExecutionStartTime>03:30:00+01:00</sr:ScheduleExecutionStartTime>
      <sr:DSPScheduledServiceReference>4.8</sr:DSPScheduledServiceReference>
      <sr:DSPScheduledServiceReferenceVariant>4.8.1</sr:DSPScheduledServiceReferenceVariant>
      <sr:DeviceID>{device}</sr:DeviceID>
      <sr:DSPReadActiveImportProfileData>
        <sr:StartDateOffset>-1</sr:StartDateOffset>
        <sr:StartTime>00:00:00</sr:StartTime>
        <sr:EndDateOffset>0</sr:EndDateOffset>
        <sr:EndTime>00:00:00Z</sr:EndTime>
      </sr:DSPReadActiveImportProfileData>
    </sr:CreateSchedule>"""


def _create_xml(counter: int = 1, **changes: str) -> bytes:
    body = CREATE_BODY.format(device=ESME)
    for old, new in changes.items():
        body = body.replace(old, new)
    acb = "90-B3-D5-1F-30-00-00-02"
    return request_xml("5.1", body, request_id=f"{SUPPLIER_A}:{acb}:{counter}", cv=8)


@pytest.mark.spec("SRV-04", "SRV-01", "VER-01")
def test_duis_create_and_read_are_schema_valid_and_carry_the_schedule(
    sim: Sim, schemas: OfficialSchemas
) -> None:
    document = _create_xml()
    for version in (DuisVersion.V5_1, DuisVersion.V5_2):  # a valid request in both schemas
        assert schemas.for_version(version).validate(etree_of(document)), version
    parsed, answer, _ = served(sim.dsp, document)
    assert parsed.request.body == _details(
        end_date=date(2026, 12, 31), start_time=time(2, 30), service_reference="4.8"
    )
    assert answer.code is ResponseCode.I0
    for version in (DuisVersion.V5_1, DuisVersion.V5_2):
        answer_doc = build_sync_answer(answer, version, at=sim.dsp.now())
        schemas.assert_valid(answer_doc, version)
        assert text(answer_doc, "//sr:ResponseMessage/sr:DSPScheduleID") == "1"

    acb = sim.acb
    read_xml = request_xml(
        "5.2",
        "<sr:ReadSchedule><sr:DSPScheduleID>1</sr:DSPScheduleID></sr:ReadSchedule>",
        request_id=f"{SUPPLIER_A}:{acb}:2",
        cv=8,
    )
    _, read, _ = served(sim.dsp, read_xml)
    for version in (DuisVersion.V5_1, DuisVersion.V5_2):
        doc = build_sync_answer(read, version, at=sim.dsp.now())
        schemas.assert_valid(doc, version)
        details = "//sr:DSPSchedulesRead/sr:DSPSchedules/sr:DSPScheduleDetails"
        assert text(doc, "//sr:DSPSchedules/sr:DSPScheduleID") == "1"
        assert text(doc, f"{details}/sr:ScheduleExecutionStartTime") == "02:30:00Z"
        assert text(doc, f"{details}/sr:DSPScheduledServiceReferenceVariant") == "4.8.1"
        assert text(doc, f"{details}/sr:DeviceID") == ESME
        period = f"{details}/sr:DSPReadActiveImportProfileData"
        assert texts(doc, f"{period}/*") == ["-1", "00:00:00Z", "0", "00:00:00Z"]


def etree_of(document: bytes):  # lxml's element type
    from lxml import etree

    return etree.fromstring(document)


@pytest.mark.spec("SRV-04", "BAD-01")
@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("Daily", "Fortnightly", "ScheduleFrequency"),
        ("2026-01-01", "2026-13-01", "ScheduleStartDate"),
        ("03:30:00+01:00", "25:00:00", "ScheduleExecutionStartTime"),
        ("<sr:StartDateOffset>-1", "<sr:StartDateOffset>1", "StartDateOffset"),
        (
            "DSPReadActiveImportProfileData>",
            "DSPRetrieveImportDailyReadLog>",
            "DSPRetrieveImportDailyReadLog",
        ),
        ("4.8.1</sr:DSP", "4.2</sr:DSP", "DSPReadActiveImportProfileData"),
        ("<sr:DeviceID>00", "<sr:DeviceID>ZZ", "DeviceID"),
    ],
)
def test_a_malformed_duis_create_names_its_element(
    sim: Sim, old: str, new: str, where: str
) -> None:
    before = fingerprint(sim.dsp)
    with pytest.raises(InvalidField) as raised:
        sim.dsp.submit(parse_request(_create_xml(**{old: new})).request)
    assert where in raised.value.field
    assert fingerprint(sim.dsp) == before


@pytest.mark.spec("SRV-04", "ALERT-01", "VER-01")
def test_duis_scheduled_messages_and_the_removal_alert_are_schema_valid(
    schemas: OfficialSchemas,
) -> None:
    from dccsim.server.core.requests import RequestId

    rid = RequestId(SUPPLIER_A, ESME, RUN_COUNTER_BASE)
    common = dict(
        request_id=rid,
        response_id=f"{ESME}:{SUPPLIER_A}:{RUN_COUNTER_BASE}",
        srv="11.2",
        device_id=ESME,
        issued_at=START,
        schedule_id=1,
    )
    heard = ServiceResponse(code=ResponseCode.I0, body=FirmwareVersionRead("0100"), **common)
    refused = ServiceResponse(code=ResponseCode.E5, **common)
    alert = DccAlertMessage(DccAlertCode.SCHEDULE_REMOVED, ESME, START, ScheduleRemoval(1))
    for version in (DuisVersion.V5_1, DuisVersion.V5_2):
        doc = build_outbox_message(heard, version)
        schemas.assert_valid(doc, version)
        assert text(doc, "//sr:DSPScheduledMessage/sr:DSPScheduleID") == "1"
        assert len(texts(doc, "//sr:DSPScheduledMessage/sr:GBCSPayload")) == 1
        doc = build_outbox_message(refused, version)
        schemas.assert_valid(doc, version)
        assert text(doc, "//sr:ResponseMessage/sr:DSPScheduleID") == "1"
        doc = build_outbox_message(alert, version)
        schemas.assert_valid(doc, version)
        assert text(doc, "//sr:DCCAlertCode") == DccAlertCode.SCHEDULE_REMOVED
        assert text(doc, "//sr:DSPScheduleRemoval/sr:DeviceID") == ESME
        assert text(doc, "//sr:DSPScheduleRemoval/sr:DSPScheduleID") == "1"


# -- gRPC ----------------------------------------------------------------------------------------


@pytest.mark.spec("SRV-04", "SRV-01")
def test_grpc_create_and_read_convert_both_ways(sim: Sim) -> None:
    request = supplier_pb2.SubmitRequest(
        request_id=f"{SUPPLIER_A}:{sim.acb}:1", service_reference_variant="5.1", command_variant=8
    )
    request.create_schedule.CopyFrom(
        schedules_pb2.CreateSchedule(
            device_id=ESME,
            service_reference_variant="4.8.1",
            frequency=schedules_pb2.SCHEDULE_FREQUENCY_DAILY,
            start_date="2026-01-01",
            execution_start_time="02:00:00",
            log_period=schedules_pb2.LogPeriodOffset(
                start_offset_days=-1, start_time="00:00:00", end_offset_days=0, end_time="00:00"
            ),
        )
    )
    core = convert.service_request(request)
    assert core.body == _details()
    answer = sim.dsp.submit(core)
    assert convert.submit_response(answer).schedule_created.schedule_id == 1

    read = supplier_pb2.SubmitRequest(
        request_id=f"{SUPPLIER_A}:{sim.acb}:2", service_reference_variant="5.2", command_variant=8
    )
    read.read_schedule.schedule_id = 1
    response = convert.submit_response(sim.dsp.submit(convert.service_request(read)))
    (entry,) = response.schedules_read.schedules
    assert (entry.schedule_id, entry.owner, entry.details.start_date) == (
        1,
        SUPPLIER_A,
        "2026-01-01",
    )
    assert entry.details.log_period.start_offset_days == -1
    assert entry.details.service_reference == "4.8"
    assert convert.service_request(
        supplier_pb2.SubmitRequest(
            request_id=f"{SUPPLIER_A}:{sim.acb}:3",
            service_reference_variant="5.1",
            command_variant=8,
            create_schedule=entry.details,
        )
    ).body == replace(_details(), service_reference="4.8")


# -- the state file ------------------------------------------------------------------------------


@pytest.mark.spec("SRV-04", "REQ-07")
def test_a_schedule_survives_a_state_file_restart_and_runs_after_it(tmp_path) -> None:
    from tests.store.test_state_file import crash, open_host

    path = tmp_path / "state.sqlite3"
    host = open_host(path)
    request = make_sim().request("5.1", _details(), target=host.dsp.state.acb_id, cv=CV8)
    assert host.run_one(commands.Submit(request)).code is ResponseCode.I0
    host.run_one(commands.Advance(timedelta(hours=3)))  # the first run
    before = fingerprint(host.dsp)
    assert before["schedules"]["last_id"] == 1  # type: ignore[index]
    crash(host)

    replayed = open_host(path)  # the create and the advance replayed from the command log
    assert fingerprint(replayed.dsp) == before
    replayed._state_file.snapshot(replayed.dsp)  # the held run stored with the whole state
    replayed._state_file.flush()
    crash(replayed)

    restored = open_host(path)
    assert fingerprint(restored.dsp) == before
    restored.run_one(commands.Advance(timedelta(days=1)))
    runs = [e for e in restored.dsp.journal.events() if e.details.get("schedule") == "1"]
    assert [e.details["request"].rsplit(":", 1)[1] for e in runs] == [str(RUN_COUNTER_BASE + 1)]
    restored.stop()
    restored.close()


def test_reading_firmware_is_untouched_by_schedules(sim: Sim) -> None:
    """A request of the User's own to the scheduled device is answered as before."""
    _create(sim)
    assert sim.send("11.2", ReadFirmwareVersion(), target=ESME).code is ResponseCode.I99


@pytest.mark.spec("SRV-04", "AUTH-06")
def test_a_schedule_for_a_suspended_device_is_created_and_its_runs_answer_e5(sim: Sim) -> None:
    sim.remove_from_cpl(sim.record(ESME).device_type)
    sim.dsp.acknowledge(SUPPLIER_A, up_to=sim.dsp.outbox(SUPPLIER_A).last_sequence)
    assert _create(sim).code is ResponseCode.I0  # the status is judged at each run
    sim.dsp.advance(timedelta(hours=3))
    (refused,) = sim.messages()
    assert isinstance(refused, ServiceResponse) and refused.code is ResponseCode.E5


@pytest.mark.spec("SRV-04", "SRV-01", "VER-01")
def test_a_served_dcc_scheduled_srv_runs_and_answers_in_a_dsp_scheduled_message(
    sim: Sim, schemas: OfficialSchemas
) -> None:
    """14.1 Record Network Data (GAS), served by its own family: no change here was needed."""
    if "14.1" not in core_services.REGISTRY:
        pytest.skip("14.1 is not served")
    details = ScheduleDetails(GSME, "14.1", ScheduleFrequency.DAILY, date(2026, 1, 1))
    assert _create(sim, details, user=NETWORK_OPERATOR).code is ResponseCode.I0
    sim.dsp.advance(timedelta(days=1))
    responses = sim.messages(NETWORK_OPERATOR)
    assert len(responses) == 2  # 1 and 2 January, 00:00
    for response in responses:
        assert isinstance(response, ServiceResponse)
        assert (response.code, response.schedule_id) == (ResponseCode.I0, 1)
        for version in (DuisVersion.V5_1, DuisVersion.V5_2):
            doc = build_outbox_message(response, version)
            schemas.assert_valid(doc, version)
            assert text(doc, "//sr:DSPScheduledMessage/sr:DSPScheduleID") == "1"
