"""DCC Schedules (SRV-04): 5.1 Create Schedule, 5.2 Read Schedule and 5.3 Delete Schedule,
answered by the DSP, and the runs of each schedule on the virtual clock.

5.1 asks the DSP to send a DCC-scheduled SRV (the matrix's `dcc_scheduled` column: 4.2, 4.6.x,
4.8.x, 4.10, 4.12.x, 4.14-4.17, 14.1) to one device at each due time (`dccsim.server.core.
schedules`), and to deliver its responses to the User. DUIS Table 22 applies its checks to a DCC
Scheduled Service "at the point the Service Request is received ... or prior to execution":
so the scheduled SR is validated and authorised (AUTH-*, as CV 1 from the User, in the role fixed
then) when the schedule is created -- a refusal answers 5.1 with that check's code (E2, E4, E11,
E19...) -- and again before each run. The device's SMI status (E5) is left to the runs: it
changes (a suspension is lifted), and a non-device SR is never answered E5 (AUTH-06).

Decisions (the sources are silent; docs/decisions.md, "DCC Schedules"):
- **Codes.** 5.1 answers I0 with the new DSPScheduleID; E050101 when DSPScheduledServiceReference
  is not the SRV's Service Reference, or a User on DUIS 5.1 asks for 4.2 (not in 5.1's list);
  E050102 for a ScheduleStartDate before today; E050103 when no due time falls between start and
  end; E050105 for a log period that starts after it ends; E050107 when the User already holds 99
  schedules for the device (DSPSchedulesRead's limit); E050108 when the IDs (up to 10^12) are
  spent. 5.2 answers I0 with DSPSchedulesRead, E050201 for an unknown ID, E050202 for another
  User's, W050201 when the User holds none for the DeviceID. 5.3 answers I99 (no XML data),
  E050301 / E050302 / W050301 alike; by DeviceID it deletes all the User's schedules for it. Only
  the User who created a schedule reads or deletes it; an error changes nothing and consumes no
  counter (REQ-02).
- **Runs.** Each run is a Service Request from the User to the device with CV 1, RequestID
  `user:device:counter` where counter = schedule ID x 10^7 + occurrence number: the DSP makes
  it, so it is outside the User's own counters (REQ-02 stays the User's). Its Service Response
  is delivered to the User carrying the DSPScheduleID (DUIS's DSPScheduledMessage).
- **A run that fails its checks** is skipped: the journal records it and the User gets a Service
  Response with the check's code and the DSPScheduleID (Table 22: "a Service Response is
  generated ... to inform the User"). When the failure is lasting -- the User is no longer an
  Eligible User for the device (E4, e.g. after a change of supplier), the device left the SMI
  (E19) or was Decommissioned or Withdrawn -- the DSP also removes the schedule and sends the User
  a DSPScheduleRemoval DCC Alert. A Suspended device, a device in Recovery or a suspended User
  only skip the run: those can be undone.
- **Unserved SRVs.** A run of a DCC-scheduled SRV dccsim does not serve yet passes its checks,
  is recorded in the journal and produces no response. Once the SRV is served its runs are sent
  to the device with no change here: the run's body is made by the SRV's body class --
  `for_schedule(details, due)` where it has one (a log read's period comes from
  `details.period.window(due.date())`), else the class called with no arguments.
- **The end.** A schedule whose last due time has passed leaves the book (5.2 no longer reads
  it), with no alert: the User chose the end date.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time
from functools import partial
from typing import TYPE_CHECKING

from dccsim.server.core.codes import DccAlertCode, ResponseCode
from dccsim.server.core.delivery import response_id
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.eui import parse_eui64
from dccsim.server.core.fields import check_int
from dccsim.server.core.journal import EventKind
from dccsim.server.core.matrix import SERVICE_MATRIX, CommandVariant
from dccsim.server.core.messages import (
    DccAlertMessage,
    ScheduleRemoval,
    ServiceResponse,
    SyncAnswer,
)
from dccsim.server.core.records import DuisVersion, SmiStatus, UserRole
from dccsim.server.core.requests import NoBody, RequestBody, RequestId, ServiceRequest
from dccsim.server.core.schedules import (
    MAX_SCHEDULES_PER_DEVICE,
    RUN_COUNTER_BASE,
    LogPeriodOffset,
    Schedule,
    ScheduleDetails,
    ScheduleFrequency,
)
from dccsim.server.core.services.registry import Family
from dccsim.server.core.state import DspState

if TYPE_CHECKING:
    from dccsim.server.core.authorisation import Decision

family: Family = Family()

# The SRVs a schedule may send (DSPScheduledServiceReferenceVariant, DUIS 5.3a).
SCHEDULABLE = frozenset(srv for srv, d in SERVICE_MATRIX.items() if d.dcc_scheduled)
# Those whose scheduled body is a ReadLogPeriodOffset; the others' is empty.
LOG_PERIOD_SRVS = frozenset({"4.6.1", "4.6.2", "4.8.1", "4.8.2", "4.8.3", "4.10", "4.14", "4.17"})
# DSPScheduledServiceReference's values.
SERVICE_REFERENCES = frozenset(".".join(srv.split(".")[:2]) for srv in SCHEDULABLE)
NOT_IN_DUIS_5_1 = frozenset({"4.2"})  # added to the scheduled list in DUIS 5.3a
# Decision: a log period reaches back at most 100 years; a certificate is at most 4,096 bytes
# (an X.509 ECDSA certificate is about 500).
MAX_OFFSET_DAYS = 36_500
MAX_CREDENTIAL_BYTES = 4_096
# Lasting failures of a run: the schedule is removed (DSPScheduleRemoval).
_GONE = frozenset({SmiStatus.DECOMMISSIONED, SmiStatus.WITHDRAWN})


# -- bodies and answers --------------------------------------------------------------------------

CreateSchedule = ScheduleDetails  # 5.1's body is DUIS's DSPSchedule (what 5.2 reads back)


@dataclass(frozen=True, slots=True)
class ReadSchedule:
    """5.2: one schedule by ID, or the User's schedules for a device."""

    schedule_id: int | None = None
    device_id: str | None = None


@dataclass(frozen=True, slots=True)
class DeleteSchedule:
    """5.3: one schedule by ID, or the User's schedules for a device."""

    schedule_id: int | None = None
    device_id: str | None = None


@dataclass(frozen=True, slots=True)
class ScheduleCreated:
    """5.1's answer: DSPScheduleID."""

    schedule_id: int


@dataclass(frozen=True, slots=True)
class SchedulesRead:
    """5.2's answer: DSPSchedulesRead."""

    schedules: tuple[Schedule, ...]


# -- checks --------------------------------------------------------------------------------------


def _check_create(body: ScheduleDetails) -> None:
    parse_eui64(body.device_id, "body.device_id")
    if not isinstance(body.srv, str) or body.srv not in SCHEDULABLE:
        raise InvalidField("body.srv", f"{body.srv!r} is not a DCC-scheduled SRV")
    if not isinstance(body.frequency, ScheduleFrequency):
        raise InvalidField("body.frequency", f"{body.frequency!r} is not a ScheduleFrequency")
    _check_date(body.start_date, "body.start_date")
    if body.end_date is not None:
        _check_date(body.end_date, "body.end_date")
    if body.start_time is not None:
        _check_time(body.start_time, "body.start_time")
    _check_period(body)
    credential = body.ka_credential
    if credential is not None and (
        not isinstance(credential, bytes) or not 0 < len(credential) <= MAX_CREDENTIAL_BYTES
    ):
        raise InvalidField(
            "body.ka_credential", f"a certificate is 1 to {MAX_CREDENTIAL_BYTES} bytes"
        )
    reference = body.service_reference
    if reference is not None and reference not in SERVICE_REFERENCES:
        raise InvalidField(
            "body.service_reference", f"{reference!r} is not a DSPScheduledServiceReference"
        )


def _check_date(value: object, field: str) -> None:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidField(field, f"{value!r} is not a date")


def _check_time(value: object, field: str) -> None:
    if not isinstance(value, time) or value.tzinfo is not None:
        raise InvalidField(field, f"{value!r} is not a UTC time of day (without a timezone)")


def _check_period(body: ScheduleDetails) -> None:
    period = body.period
    if body.srv in LOG_PERIOD_SRVS:
        if not isinstance(period, LogPeriodOffset):
            raise InvalidField("body.period", f"a schedule of {body.srv} names its log period")
        for name in ("start_offset", "end_offset"):
            check_int(getattr(period, name), f"body.period.{name}", low=-MAX_OFFSET_DAYS, high=0)
        for name in ("start_time", "end_time"):
            _check_time(getattr(period, name), f"body.period.{name}")
    elif period is not None:
        raise InvalidField("body.period", f"a schedule of {body.srv} reads no log period")


def _check_by_id_or_device(body: ReadSchedule | DeleteSchedule) -> None:
    if (body.schedule_id is None) == (body.device_id is None):
        raise InvalidField("body", "takes exactly one of schedule_id and device_id")
    if body.schedule_id is not None:
        check_int(body.schedule_id, "body.schedule_id", low=0, high=10**12)
    if body.device_id is not None:
        parse_eui64(body.device_id, "body.device_id")


# -- 5.1 Create Schedule -------------------------------------------------------------------------


@family.dsp("5.1", body=ScheduleDetails, check=_check_create, responses=(ScheduleCreated,))
def create_schedule(state: DspState, request: ServiceRequest) -> SyncAnswer:
    details = request.body
    assert isinstance(details, ScheduleDetails)
    device_id = details.device_id.upper()
    if device_id != details.device_id:
        details = replace(details, device_id=device_id)
    owner = request.request_id.originator
    refusal = _refusal(state, owner, details)
    if refusal is not None:
        return _answer(request, *refusal)
    first = details.first_occurrence_from(state.now())
    if first is None:
        return _answer(request, ResponseCode.E050103, "no due time between start and end")
    # Checked as the first run will be sent: with the counter it will carry.
    counter = (state.schedules.last_id + 1) * RUN_COUNTER_BASE + first
    inner = _scheduled_request(owner, details, first, counter, request.user_role)
    decision = _authorise(state, inner)
    # The device's status is judged at each run, not now (a suspension can be lifted before the
    # first run; and a non-device SR is never answered E5, AUTH-06).
    if decision.code is not None and decision.code is not ResponseCode.E5:
        return _answer(request, decision.code, f"the scheduled SR: {decision.reason}")
    if len(state.schedules.of(owner, device_id)) >= MAX_SCHEDULES_PER_DEVICE:
        return _answer(request, ResponseCode.E050107, "99 schedules held for this device")
    if state.schedules.full:
        return _answer(request, ResponseCode.E050108, "no DSPScheduleID left")
    assert decision.role is not None
    schedule = state.schedules.add(owner, decision.role, details, state.now())
    _hold(state, schedule, first)
    state.journal.record(
        state.now(),
        EventKind.CONTROL,
        f"DSP schedule {schedule.schedule_id} created",
        schedule=schedule.schedule_id,
        srv=details.srv,
        device=device_id,
        owner=owner,
        first=details.occurrence(first),
    )
    return SyncAnswer(
        request.request_id, request.srv, ResponseCode.I0, ScheduleCreated(schedule.schedule_id)
    )


def _refusal(
    state: DspState, owner: str, details: ScheduleDetails
) -> tuple[ResponseCode, str] | None:
    """5.1's own checks of a well-formed body, before the scheduled SR's."""
    reference = ".".join(details.srv.split(".")[:2])
    if details.service_reference not in (None, reference):
        return ResponseCode.E050101, f"SRV {details.srv} is of Service Reference {reference}"
    user = state.users.get(owner)
    if (
        details.srv in NOT_IN_DUIS_5_1
        and user is not None
        and user.interface_version is DuisVersion.V5_1
    ):
        return ResponseCode.E050101, f"DUIS 5.1 cannot schedule SRV {details.srv}"
    if details.start_date < state.now().date():
        return ResponseCode.E050102, "ScheduleStartDate is in the past"
    if details.end_date is not None and details.end_date < details.start_date:
        return ResponseCode.E050103, "ScheduleEndDate is before ScheduleStartDate"
    period = details.period
    if period is not None:
        start, end = period.window(details.start_date)
        if start > end:
            return ResponseCode.E050105, "the log period starts after it ends"
    return None


# -- 5.2 Read Schedule ---------------------------------------------------------------------------


@family.dsp("5.2", body=ReadSchedule, check=_check_by_id_or_device, responses=(SchedulesRead,))
def read_schedule(state: DspState, request: ServiceRequest) -> SyncAnswer:
    body = request.body
    assert isinstance(body, ReadSchedule)
    owner = request.request_id.originator
    if body.schedule_id is not None:
        schedule = state.schedules.get(body.schedule_id)
        if schedule is None:
            return _answer(request, ResponseCode.E050201, "no such schedule")
        if schedule.owner != owner:
            return _answer(request, ResponseCode.E050202, "the schedule is another User's")
        found = [schedule]
    else:
        assert body.device_id is not None
        found = state.schedules.of(owner, body.device_id.upper())
        if not found:
            return _answer(request, ResponseCode.W050201, "no schedule for the device")
    return SyncAnswer(request.request_id, request.srv, ResponseCode.I0, SchedulesRead(tuple(found)))


# -- 5.3 Delete Schedule -------------------------------------------------------------------------


@family.dsp("5.3", body=DeleteSchedule, check=_check_by_id_or_device)
def delete_schedule(state: DspState, request: ServiceRequest) -> SyncAnswer:
    body = request.body
    assert isinstance(body, DeleteSchedule)
    owner = request.request_id.originator
    if body.schedule_id is not None:
        schedule = state.schedules.get(body.schedule_id)
        if schedule is None:
            return _answer(request, ResponseCode.E050301, "no such schedule")
        if schedule.owner != owner:
            return _answer(request, ResponseCode.E050302, "the schedule is another User's")
        doomed = [schedule]
    else:
        assert body.device_id is not None
        doomed = state.schedules.of(owner, body.device_id.upper())
        if not doomed:
            return _answer(request, ResponseCode.W050301, "no schedule for the device")
    for schedule in doomed:
        _remove(state, schedule, f"deleted by 5.3 {request.request_id}")
    return SyncAnswer(request.request_id, request.srv, ResponseCode.I99)


# -- the runs ------------------------------------------------------------------------------------


def run_schedule(state: DspState, schedule_id: int, occurrence: int) -> None:
    """Occurrence `occurrence` of a schedule falls due: check and send its SR, then hold the next.

    Held by the scheduler as a partial of this module-level function: a state file stores it by
    name with its arguments (dccsim.server.store.schema)."""
    schedule = state.schedules.get(schedule_id)
    if schedule is None:  # deleted; its timer is cancelled with it, so this is a stale copy
        return
    details = schedule.details
    request = _scheduled_request(
        schedule.owner, details, occurrence, schedule.run_counter(occurrence), schedule.role
    )
    rid = request.request_id
    try:
        decision = _authorise(state, request)
    except InvalidField as error:  # the SRV's own body check refused what the schedule made
        state.journal.record(
            state.now(),
            EventKind.DECISION,
            f"DSP schedule {schedule_id}: run not valid ({error}); skipped",
            schedule=schedule_id,
            request=rid,
        )
        _hold(state, schedule, occurrence + 1)
        return
    if decision.code is not None:
        _refused_run(state, schedule, request, decision)
        if _lasting(state, details.device_id, decision):
            _remove(state, schedule, f"run refused with {decision.code}", alert=True)
            return
    else:
        from dccsim.server.core import device_services

        state.journal.record(
            state.now(),
            EventKind.REQUEST,
            f"DSP schedule {schedule_id}: SRV {details.srv} sent",
            schedule=schedule_id,
            request=rid,
        )
        device_services.execute(state, request, schedule_id=schedule_id)
    _hold(state, schedule, occurrence + 1)


def _scheduled_request(
    owner: str, details: ScheduleDetails, occurrence: int, counter: int, role: UserRole | None
) -> ServiceRequest:
    """The SR a schedule sends at `occurrence`: from its User, CV 1, in the schedule's role."""
    return ServiceRequest(
        RequestId(owner, details.device_id, counter),
        details.srv,
        CommandVariant.NON_CRITICAL_REMOTE,
        _scheduled_body(details, details.occurrence(occurrence)),
        user_role=role,
    )


def _scheduled_body(details: ScheduleDetails, due: datetime) -> RequestBody:
    """The run's body, made by the SRV's own body class (see the module docstring)."""
    from dccsim.server.core.services import REGISTRY

    spec = REGISTRY.by_srv.get(details.srv)
    if spec is None:
        return NoBody()
    make = getattr(spec.body, "for_schedule", None)
    if make is not None:
        body: RequestBody = make(details, due)
        return body
    if details.period is not None:
        # DUIS schedules the log reads (4.6.x, 4.8.x, 4.10, 4.14, 4.17) with a
        # ReadLogPeriodOffset: the body is the read of that window of the run's day.
        start, end = details.period.window(due.date())
        windowed: RequestBody = spec.body(start, end)
        return windowed
    plain: RequestBody = spec.body()
    return plain


def _authorise(state: DspState, request: ServiceRequest) -> Decision:
    """Validation and AUTH-* of a scheduled SR, as if the User sent it now."""
    # The pipeline's stages are keyed by the registry this module is part of: imported late.
    from dccsim.server.core.authorisation import authorise
    from dccsim.server.core.validation import validate

    request, definition = validate(request)
    return authorise(
        request,
        definition,
        users=state.users,
        smi=state.smi,
        registrations=state.registrations,
        acb_id=state.acb_id,
        now=state.now(),
        baseline=state.baseline,
    )


def _lasting(state: DspState, device_id: str, decision: Decision) -> bool:
    """A refusal that no later run can overcome (see the module docstring)."""
    if decision.code in (ResponseCode.E4, ResponseCode.E19):
        return True
    record = state.smi.get(device_id)
    return decision.code is ResponseCode.E5 and record is not None and record.status in _GONE


def _refused_run(
    state: DspState, schedule: Schedule, request: ServiceRequest, decision: Decision
) -> None:
    rid = request.request_id
    now = state.now()
    state.journal.record(
        now,
        EventKind.DECISION,
        f"DSP schedule {schedule.schedule_id}: run refused with {decision.code}",
        schedule=schedule.schedule_id,
        request=rid,
        code=decision.code,
        reason=decision.reason,
    )
    assert decision.code is not None
    state.deliver(
        schedule.owner,
        ServiceResponse(
            request_id=rid,
            response_id=response_id(rid.target, rid),
            srv=request.srv,
            code=decision.code,
            device_id=rid.target,
            issued_at=now,
            schedule_id=schedule.schedule_id,
        ),
    )


def _hold(state: DspState, schedule: Schedule, occurrence: int) -> None:
    """Hold the schedule's next run, or close the schedule when it has none."""
    details = schedule.details
    try:
        due = details.occurrence(occurrence)
    except OverflowError:
        due = None
    if due is None or not details.in_range(due):
        _remove(state, schedule, "its last due time has passed")
        return
    state.scheduler.at(
        due,
        partial(run_schedule, state, schedule.schedule_id, occurrence),
        label=schedule_label(schedule.schedule_id),
    )


def schedule_label(schedule_id: int) -> str:
    """The scheduler's label of a schedule's next run."""
    return f"DSP schedule {schedule_id}"


def _remove(state: DspState, schedule: Schedule, why: str, *, alert: bool = False) -> None:
    state.schedules.remove(schedule.schedule_id)
    state.scheduler.cancel(schedule_label(schedule.schedule_id))
    now = state.now()
    state.journal.record(
        now,
        EventKind.CONTROL,
        f"DSP schedule {schedule.schedule_id} removed: {why}",
        schedule=schedule.schedule_id,
        owner=schedule.owner,
    )
    if alert:
        message = DccAlertMessage(
            DccAlertCode.SCHEDULE_REMOVED,
            schedule.details.device_id,
            now,
            ScheduleRemoval(schedule.schedule_id),
        )
        state.deliver(schedule.owner, message)
        state.journal.record(
            now,
            EventKind.DCC_ALERT,
            f"{DccAlertCode.SCHEDULE_REMOVED} for {schedule.details.device_id}",
            code=DccAlertCode.SCHEDULE_REMOVED,
            device=schedule.details.device_id,
            recipients=schedule.owner,
        )


def _answer(request: ServiceRequest, code: ResponseCode, reason: str) -> SyncAnswer:
    return SyncAnswer(request.request_id, request.srv, code, detail=reason)
