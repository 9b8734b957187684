import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AuxWeekday(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    AUX_WEEKDAY_UNSPECIFIED: _ClassVar[AuxWeekday]
    AUX_WEEKDAY_MONDAY: _ClassVar[AuxWeekday]
    AUX_WEEKDAY_TUESDAY: _ClassVar[AuxWeekday]
    AUX_WEEKDAY_WEDNESDAY: _ClassVar[AuxWeekday]
    AUX_WEEKDAY_THURSDAY: _ClassVar[AuxWeekday]
    AUX_WEEKDAY_FRIDAY: _ClassVar[AuxWeekday]
    AUX_WEEKDAY_SATURDAY: _ClassVar[AuxWeekday]
    AUX_WEEKDAY_SUNDAY: _ClassVar[AuxWeekday]

class AuxMonthEnd(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    AUX_MONTH_END_UNSPECIFIED: _ClassVar[AuxMonthEnd]
    AUX_MONTH_END_LAST: _ClassVar[AuxMonthEnd]
    AUX_MONTH_END_SECOND_LAST: _ClassVar[AuxMonthEnd]

class AuxControllerType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    AUX_CONTROLLER_TYPE_UNSPECIFIED: _ClassVar[AuxControllerType]
    AUX_CONTROLLER_TYPE_APC: _ClassVar[AuxControllerType]
    AUX_CONTROLLER_TYPE_ALCS: _ClassVar[AuxControllerType]
    AUX_CONTROLLER_TYPE_HCALCS: _ClassVar[AuxControllerType]
AUX_WEEKDAY_UNSPECIFIED: AuxWeekday
AUX_WEEKDAY_MONDAY: AuxWeekday
AUX_WEEKDAY_TUESDAY: AuxWeekday
AUX_WEEKDAY_WEDNESDAY: AuxWeekday
AUX_WEEKDAY_THURSDAY: AuxWeekday
AUX_WEEKDAY_FRIDAY: AuxWeekday
AUX_WEEKDAY_SATURDAY: AuxWeekday
AUX_WEEKDAY_SUNDAY: AuxWeekday
AUX_MONTH_END_UNSPECIFIED: AuxMonthEnd
AUX_MONTH_END_LAST: AuxMonthEnd
AUX_MONTH_END_SECOND_LAST: AuxMonthEnd
AUX_CONTROLLER_TYPE_UNSPECIFIED: AuxControllerType
AUX_CONTROLLER_TYPE_APC: AuxControllerType
AUX_CONTROLLER_TYPE_ALCS: AuxControllerType
AUX_CONTROLLER_TYPE_HCALCS: AuxControllerType

class AuxDate(_message.Message):
    __slots__ = ("year", "month", "day", "month_end", "day_of_week")
    YEAR_FIELD_NUMBER: _ClassVar[int]
    MONTH_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    MONTH_END_FIELD_NUMBER: _ClassVar[int]
    DAY_OF_WEEK_FIELD_NUMBER: _ClassVar[int]
    year: int
    month: int
    day: int
    month_end: AuxMonthEnd
    day_of_week: int
    def __init__(self, year: _Optional[int] = ..., month: _Optional[int] = ..., day: _Optional[int] = ..., month_end: _Optional[_Union[AuxMonthEnd, str]] = ..., day_of_week: _Optional[int] = ...) -> None: ...

class AuxSpecialDay(_message.Message):
    __slots__ = ("number", "date")
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    DATE_FIELD_NUMBER: _ClassVar[int]
    number: int
    date: AuxDate
    def __init__(self, number: _Optional[int] = ..., date: _Optional[_Union[AuxDate, _Mapping]] = ...) -> None: ...

class AuxTiming(_message.Message):
    __slots__ = ("special_days", "has_days_of_week", "days_of_week", "switch_time", "start", "end")
    SPECIAL_DAYS_FIELD_NUMBER: _ClassVar[int]
    HAS_DAYS_OF_WEEK_FIELD_NUMBER: _ClassVar[int]
    DAYS_OF_WEEK_FIELD_NUMBER: _ClassVar[int]
    SWITCH_TIME_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    special_days: _containers.RepeatedScalarFieldContainer[int]
    has_days_of_week: bool
    days_of_week: _containers.RepeatedScalarFieldContainer[AuxWeekday]
    switch_time: str
    start: AuxDate
    end: AuxDate
    def __init__(self, special_days: _Optional[_Iterable[int]] = ..., has_days_of_week: _Optional[bool] = ..., days_of_week: _Optional[_Iterable[_Union[AuxWeekday, str]]] = ..., switch_time: _Optional[str] = ..., start: _Optional[_Union[AuxDate, _Mapping]] = ..., end: _Optional[_Union[AuxDate, _Mapping]] = ...) -> None: ...

class AuxSwitchEvent(_message.Message):
    __slots__ = ("index", "activate", "timing")
    INDEX_FIELD_NUMBER: _ClassVar[int]
    ACTIVATE_FIELD_NUMBER: _ClassVar[int]
    TIMING_FIELD_NUMBER: _ClassVar[int]
    index: int
    activate: bool
    timing: AuxTiming
    def __init__(self, index: _Optional[int] = ..., activate: _Optional[bool] = ..., timing: _Optional[_Union[AuxTiming, _Mapping]] = ...) -> None: ...

class AuxSwitchType(_message.Message):
    __slots__ = ("index", "hcalcs_id")
    INDEX_FIELD_NUMBER: _ClassVar[int]
    HCALCS_ID_FIELD_NUMBER: _ClassVar[int]
    index: int
    hcalcs_id: str
    def __init__(self, index: _Optional[int] = ..., hcalcs_id: _Optional[str] = ...) -> None: ...

class AuxSwitchCalendar(_message.Message):
    __slots__ = ("events", "special_days", "switch_types")
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    SPECIAL_DAYS_FIELD_NUMBER: _ClassVar[int]
    SWITCH_TYPES_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[AuxSwitchEvent]
    special_days: _containers.RepeatedCompositeFieldContainer[AuxSpecialDay]
    switch_types: _containers.RepeatedCompositeFieldContainer[AuxSwitchType]
    def __init__(self, events: _Optional[_Iterable[_Union[AuxSwitchEvent, _Mapping]]] = ..., special_days: _Optional[_Iterable[_Union[AuxSpecialDay, _Mapping]]] = ..., switch_types: _Optional[_Iterable[_Union[AuxSwitchType, _Mapping]]] = ...) -> None: ...

class AuxControllerAction(_message.Message):
    __slots__ = ("controller", "level", "input_from_controlled_load", "timing")
    CONTROLLER_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    INPUT_FROM_CONTROLLED_LOAD_FIELD_NUMBER: _ClassVar[int]
    TIMING_FIELD_NUMBER: _ClassVar[int]
    controller: int
    level: int
    input_from_controlled_load: bool
    timing: AuxTiming
    def __init__(self, controller: _Optional[int] = ..., level: _Optional[int] = ..., input_from_controlled_load: _Optional[bool] = ..., timing: _Optional[_Union[AuxTiming, _Mapping]] = ...) -> None: ...

class AuxControllerCalendar(_message.Message):
    __slots__ = ("actions", "special_days")
    ACTIONS_FIELD_NUMBER: _ClassVar[int]
    SPECIAL_DAYS_FIELD_NUMBER: _ClassVar[int]
    actions: _containers.RepeatedCompositeFieldContainer[AuxControllerAction]
    special_days: _containers.RepeatedCompositeFieldContainer[AuxSpecialDay]
    def __init__(self, actions: _Optional[_Iterable[_Union[AuxControllerAction, _Mapping]]] = ..., special_days: _Optional[_Iterable[_Union[AuxSpecialDay, _Mapping]]] = ...) -> None: ...

class AuxDescription(_message.Message):
    __slots__ = ("index", "description")
    INDEX_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    index: int
    description: str
    def __init__(self, index: _Optional[int] = ..., description: _Optional[str] = ...) -> None: ...

class AuxSetDescriptions(_message.Message):
    __slots__ = ("descriptions",)
    DESCRIPTIONS_FIELD_NUMBER: _ClassVar[int]
    descriptions: _containers.RepeatedCompositeFieldContainer[AuxDescription]
    def __init__(self, descriptions: _Optional[_Iterable[_Union[AuxDescription, _Mapping]]] = ...) -> None: ...

class AuxSwitchLoad(_message.Message):
    __slots__ = ("index", "duration")
    INDEX_FIELD_NUMBER: _ClassVar[int]
    DURATION_FIELD_NUMBER: _ClassVar[int]
    index: int
    duration: int
    def __init__(self, index: _Optional[int] = ..., duration: _Optional[int] = ...) -> None: ...

class AuxResetLoad(_message.Message):
    __slots__ = ("index",)
    INDEX_FIELD_NUMBER: _ClassVar[int]
    index: int
    def __init__(self, index: _Optional[int] = ...) -> None: ...

class AuxReadSwitchData(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class AuxBoostButtonChange(_message.Message):
    __slots__ = ("flags",)
    FLAGS_FIELD_NUMBER: _ClassVar[int]
    flags: _containers.RepeatedScalarFieldContainer[bool]
    def __init__(self, flags: _Optional[_Iterable[bool]] = ...) -> None: ...

class AuxReadBoostButtonDetails(_message.Message):
    __slots__ = ("start", "end")
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    start: _timestamp_pb2.Timestamp
    end: _timestamp_pb2.Timestamp
    def __init__(self, start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class AuxSetRandomisedOffsetLimit(_message.Message):
    __slots__ = ("limit",)
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    limit: int
    def __init__(self, limit: _Optional[int] = ...) -> None: ...

class AuxControllerLevel(_message.Message):
    __slots__ = ("controller", "start", "end", "level", "input_from_controlled_load")
    CONTROLLER_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    INPUT_FROM_CONTROLLED_LOAD_FIELD_NUMBER: _ClassVar[int]
    controller: int
    start: _timestamp_pb2.Timestamp
    end: _timestamp_pb2.Timestamp
    level: int
    input_from_controlled_load: bool
    def __init__(self, controller: _Optional[int] = ..., start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., level: _Optional[int] = ..., input_from_controlled_load: _Optional[bool] = ...) -> None: ...

class AuxReadControllerConfiguration(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class AuxReadControllerOperationalData(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class AuxSwitchReading(_message.Message):
    __slots__ = ("index", "description", "type", "hcalcs_id", "on")
    INDEX_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    HCALCS_ID_FIELD_NUMBER: _ClassVar[int]
    ON_FIELD_NUMBER: _ClassVar[int]
    index: int
    description: str
    type: AuxControllerType
    hcalcs_id: str
    on: bool
    def __init__(self, index: _Optional[int] = ..., description: _Optional[str] = ..., type: _Optional[_Union[AuxControllerType, str]] = ..., hcalcs_id: _Optional[str] = ..., on: _Optional[bool] = ...) -> None: ...

class AuxSwitchDataRead(_message.Message):
    __slots__ = ("switches", "calendar")
    SWITCHES_FIELD_NUMBER: _ClassVar[int]
    CALENDAR_FIELD_NUMBER: _ClassVar[int]
    switches: _containers.RepeatedCompositeFieldContainer[AuxSwitchReading]
    calendar: AuxSwitchCalendar
    def __init__(self, switches: _Optional[_Iterable[_Union[AuxSwitchReading, _Mapping]]] = ..., calendar: _Optional[_Union[AuxSwitchCalendar, _Mapping]] = ...) -> None: ...

class AuxBoostPeriod(_message.Message):
    __slots__ = ("start", "end")
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    start: _timestamp_pb2.Timestamp
    end: _timestamp_pb2.Timestamp
    def __init__(self, start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class AuxBoostButtonRead(_message.Message):
    __slots__ = ("periods", "available", "members")
    PERIODS_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    periods: _containers.RepeatedCompositeFieldContainer[AuxBoostPeriod]
    available: bool
    members: _containers.RepeatedScalarFieldContainer[bool]
    def __init__(self, periods: _Optional[_Iterable[_Union[AuxBoostPeriod, _Mapping]]] = ..., available: _Optional[bool] = ..., members: _Optional[_Iterable[bool]] = ...) -> None: ...

class AuxControllerConfigurationRead(_message.Message):
    __slots__ = ("descriptions", "calendar")
    DESCRIPTIONS_FIELD_NUMBER: _ClassVar[int]
    CALENDAR_FIELD_NUMBER: _ClassVar[int]
    descriptions: _containers.RepeatedCompositeFieldContainer[AuxDescription]
    calendar: AuxControllerCalendar
    def __init__(self, descriptions: _Optional[_Iterable[_Union[AuxDescription, _Mapping]]] = ..., calendar: _Optional[_Union[AuxControllerCalendar, _Mapping]] = ...) -> None: ...

class AuxControllerReading(_message.Message):
    __slots__ = ("controller", "type", "hcalcs_id", "output", "input")
    CONTROLLER_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    HCALCS_ID_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    controller: int
    type: AuxControllerType
    hcalcs_id: str
    output: int
    input: int
    def __init__(self, controller: _Optional[int] = ..., type: _Optional[_Union[AuxControllerType, str]] = ..., hcalcs_id: _Optional[str] = ..., output: _Optional[int] = ..., input: _Optional[int] = ...) -> None: ...

class AuxControllerOperationalRead(_message.Message):
    __slots__ = ("controllers",)
    CONTROLLERS_FIELD_NUMBER: _ClassVar[int]
    controllers: _containers.RepeatedCompositeFieldContainer[AuxControllerReading]
    def __init__(self, controllers: _Optional[_Iterable[_Union[AuxControllerReading, _Mapping]]] = ...) -> None: ...
