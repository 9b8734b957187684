"""gRPC messages of the DCC Schedules: 5.1 CreateSchedule, 5.2 ReadSchedule, 5.3 DeleteSchedule
in; ScheduleCreated and SchedulesRead out. Dates are `YYYY-MM-DD` and times `hh:mm:ss` strings
(a time with an offset such as `+01:00` is turned into UTC, as DUIS's xs:time is)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from dccsim.server.core.errors import InvalidField
from dccsim.server.core.schedules import (
    LogPeriodOffset,
    Schedule,
    ScheduleDetails,
    ScheduleFrequency,
)
from dccsim.server.core.services.schedules import (
    DeleteSchedule,
    ReadSchedule,
    ScheduleCreated,
    SchedulesRead,
)
from dccsim.server.rpc.bodies.family import MessageFamily
from dccsim.server.rpc.wire import USER_ROLES, EnumMap, timestamp
from dccsim.v1 import schedules_pb2, supplier_pb2

FREQUENCIES = EnumMap(ScheduleFrequency, schedules_pb2.ScheduleFrequency)


# -- requests ------------------------------------------------------------------------------------


def _date(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidField(field, f"{text!r} is not a date (YYYY-MM-DD)") from None


def _time(text: str, field: str) -> time:
    try:
        value = time.fromisoformat(text)
    except ValueError:
        raise InvalidField(field, f"{text!r} is not a time (hh:mm:ss)") from None
    if value.tzinfo is None:
        return value
    # A time of day with an offset: the same wall time on any day, moved to UTC.
    return datetime.combine(date(2000, 1, 3), value).astimezone(UTC).time()


def _period(message: schedules_pb2.LogPeriodOffset) -> LogPeriodOffset:
    return LogPeriodOffset(
        start_offset=message.start_offset_days,
        start_time=_time(message.start_time, "body.period.start_time"),
        end_offset=message.end_offset_days,
        end_time=_time(message.end_time, "body.period.end_time"),
    )


def _create(message: schedules_pb2.CreateSchedule) -> ScheduleDetails:
    frequency = FREQUENCIES.to_core(message.frequency, "body.frequency")
    assert frequency is not None
    return ScheduleDetails(
        device_id=message.device_id,
        srv=message.service_reference_variant,
        frequency=frequency,
        start_date=_date(message.start_date, "body.start_date"),
        end_date=_date(message.end_date, "body.end_date") if message.HasField("end_date") else None,
        start_time=_time(message.execution_start_time, "body.start_time")
        if message.HasField("execution_start_time")
        else None,
        period=_period(message.log_period) if message.HasField("log_period") else None,
        ka_credential=message.ka_public_security_credential
        if message.HasField("ka_public_security_credential")
        else None,
        service_reference=message.service_reference
        if message.HasField("service_reference")
        else None,
    )


def _by_id_or_device(
    kind: type[ReadSchedule] | type[DeleteSchedule],
    message: schedules_pb2.ReadSchedule | schedules_pb2.DeleteSchedule,
) -> ReadSchedule | DeleteSchedule:
    match message.WhichOneof("key"):
        case "schedule_id":
            return kind(schedule_id=message.schedule_id)
        case "device_id":
            return kind(device_id=message.device_id)
        case _:
            return kind()  # the core's check names what is missing


# -- answers -------------------------------------------------------------------------------------


def _created(response: supplier_pb2.SubmitResponse, body: ScheduleCreated) -> None:
    response.schedule_created.schedule_id = body.schedule_id


def _read(response: supplier_pb2.SubmitResponse, body: SchedulesRead) -> None:
    response.schedules_read.schedules.extend(schedule_entry(s) for s in body.schedules)


def schedule_entry(schedule: Schedule) -> schedules_pb2.ScheduleEntry:
    return schedules_pb2.ScheduleEntry(
        schedule_id=schedule.schedule_id,
        owner=schedule.owner,
        role=USER_ROLES.to_proto(schedule.role),
        details=schedule_details(schedule.details),
        created_at=timestamp(schedule.created_at),
    )


def schedule_details(details: ScheduleDetails) -> schedules_pb2.CreateSchedule:
    message = schedules_pb2.CreateSchedule(
        device_id=details.device_id,
        service_reference_variant=details.srv,
        frequency=FREQUENCIES.to_proto(details.frequency),
        start_date=details.start_date.isoformat(),
        service_reference=details.service_reference or ".".join(details.srv.split(".")[:2]),
    )
    if details.end_date is not None:
        message.end_date = details.end_date.isoformat()
    if details.start_time is not None:
        message.execution_start_time = details.start_time.isoformat()
    if details.period is not None:
        period = details.period
        message.log_period.CopyFrom(
            schedules_pb2.LogPeriodOffset(
                start_offset_days=period.start_offset,
                start_time=period.start_time.isoformat(),
                end_offset_days=period.end_offset,
                end_time=period.end_time.isoformat(),
            )
        )
    if details.ka_credential is not None:
        message.ka_public_security_credential = details.ka_credential
    return message


FAMILY = MessageFamily(
    readers={
        "create_schedule": (ScheduleDetails, _create),
        "read_schedule": (ReadSchedule, lambda m: _by_id_or_device(ReadSchedule, m)),
        "delete_schedule": (DeleteSchedule, lambda m: _by_id_or_device(DeleteSchedule, m)),
    },
    sync_fillers={ScheduleCreated: _created, SchedulesRead: _read},
)
