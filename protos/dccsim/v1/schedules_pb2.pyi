import datetime

from dccsim.v1 import types_pb2 as _types_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ScheduleFrequency(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SCHEDULE_FREQUENCY_UNSPECIFIED: _ClassVar[ScheduleFrequency]
    SCHEDULE_FREQUENCY_DAILY: _ClassVar[ScheduleFrequency]
    SCHEDULE_FREQUENCY_WEEKLY: _ClassVar[ScheduleFrequency]
    SCHEDULE_FREQUENCY_MONTHLY: _ClassVar[ScheduleFrequency]
    SCHEDULE_FREQUENCY_QUARTERLY: _ClassVar[ScheduleFrequency]
    SCHEDULE_FREQUENCY_HALF_YEARLY: _ClassVar[ScheduleFrequency]
    SCHEDULE_FREQUENCY_YEARLY: _ClassVar[ScheduleFrequency]
SCHEDULE_FREQUENCY_UNSPECIFIED: ScheduleFrequency
SCHEDULE_FREQUENCY_DAILY: ScheduleFrequency
SCHEDULE_FREQUENCY_WEEKLY: ScheduleFrequency
SCHEDULE_FREQUENCY_MONTHLY: ScheduleFrequency
SCHEDULE_FREQUENCY_QUARTERLY: ScheduleFrequency
SCHEDULE_FREQUENCY_HALF_YEARLY: ScheduleFrequency
SCHEDULE_FREQUENCY_YEARLY: ScheduleFrequency

class LogPeriodOffset(_message.Message):
    __slots__ = ("start_offset_days", "start_time", "end_offset_days", "end_time")
    START_OFFSET_DAYS_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_OFFSET_DAYS_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    start_offset_days: int
    start_time: str
    end_offset_days: int
    end_time: str
    def __init__(self, start_offset_days: _Optional[int] = ..., start_time: _Optional[str] = ..., end_offset_days: _Optional[int] = ..., end_time: _Optional[str] = ...) -> None: ...

class CreateSchedule(_message.Message):
    __slots__ = ("device_id", "service_reference_variant", "frequency", "start_date", "end_date", "execution_start_time", "log_period", "ka_public_security_credential", "service_reference")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_REFERENCE_VARIANT_FIELD_NUMBER: _ClassVar[int]
    FREQUENCY_FIELD_NUMBER: _ClassVar[int]
    START_DATE_FIELD_NUMBER: _ClassVar[int]
    END_DATE_FIELD_NUMBER: _ClassVar[int]
    EXECUTION_START_TIME_FIELD_NUMBER: _ClassVar[int]
    LOG_PERIOD_FIELD_NUMBER: _ClassVar[int]
    KA_PUBLIC_SECURITY_CREDENTIAL_FIELD_NUMBER: _ClassVar[int]
    SERVICE_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    service_reference_variant: str
    frequency: ScheduleFrequency
    start_date: str
    end_date: str
    execution_start_time: str
    log_period: LogPeriodOffset
    ka_public_security_credential: bytes
    service_reference: str
    def __init__(self, device_id: _Optional[str] = ..., service_reference_variant: _Optional[str] = ..., frequency: _Optional[_Union[ScheduleFrequency, str]] = ..., start_date: _Optional[str] = ..., end_date: _Optional[str] = ..., execution_start_time: _Optional[str] = ..., log_period: _Optional[_Union[LogPeriodOffset, _Mapping]] = ..., ka_public_security_credential: _Optional[bytes] = ..., service_reference: _Optional[str] = ...) -> None: ...

class ReadSchedule(_message.Message):
    __slots__ = ("schedule_id", "device_id")
    SCHEDULE_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    schedule_id: int
    device_id: str
    def __init__(self, schedule_id: _Optional[int] = ..., device_id: _Optional[str] = ...) -> None: ...

class DeleteSchedule(_message.Message):
    __slots__ = ("schedule_id", "device_id")
    SCHEDULE_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    schedule_id: int
    device_id: str
    def __init__(self, schedule_id: _Optional[int] = ..., device_id: _Optional[str] = ...) -> None: ...

class ScheduleCreated(_message.Message):
    __slots__ = ("schedule_id",)
    SCHEDULE_ID_FIELD_NUMBER: _ClassVar[int]
    schedule_id: int
    def __init__(self, schedule_id: _Optional[int] = ...) -> None: ...

class ScheduleEntry(_message.Message):
    __slots__ = ("schedule_id", "owner", "role", "details", "created_at")
    SCHEDULE_ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    schedule_id: int
    owner: str
    role: _types_pb2.UserRole
    details: CreateSchedule
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, schedule_id: _Optional[int] = ..., owner: _Optional[str] = ..., role: _Optional[_Union[_types_pb2.UserRole, str]] = ..., details: _Optional[_Union[CreateSchedule, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SchedulesRead(_message.Message):
    __slots__ = ("schedules",)
    SCHEDULES_FIELD_NUMBER: _ClassVar[int]
    schedules: _containers.RepeatedCompositeFieldContainer[ScheduleEntry]
    def __init__(self, schedules: _Optional[_Iterable[_Union[ScheduleEntry, _Mapping]]] = ...) -> None: ...
