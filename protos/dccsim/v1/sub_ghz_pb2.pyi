import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SubGhzBand(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SUB_GHZ_BAND_UNSPECIFIED: _ClassVar[SubGhzBand]
    SUB_GHZ_BAND_LOWER: _ClassVar[SubGhzBand]
    SUB_GHZ_BAND_UPPER: _ClassVar[SubGhzBand]
SUB_GHZ_BAND_UNSPECIFIED: SubGhzBand
SUB_GHZ_BAND_LOWER: SubGhzBand
SUB_GHZ_BAND_UPPER: SubGhzBand

class SubGhzSettings(_message.Message):
    __slots__ = ("lower_band_channels", "upper_band_channels", "normal_limited_duty_cycle_threshold", "limited_critical_duty_cycle_threshold", "maximum_channel_changes_per_week", "gsme_curfew", "channel_quieter_threshold", "channel_noisier_threshold", "non_gsme_poor_comms_percentage_threshold", "non_gsme_poor_comms_measurement_periods", "local_ch_noise_measurement_period", "local_ch_failure_percentage", "local_ch_retry_percentage")
    LOWER_BAND_CHANNELS_FIELD_NUMBER: _ClassVar[int]
    UPPER_BAND_CHANNELS_FIELD_NUMBER: _ClassVar[int]
    NORMAL_LIMITED_DUTY_CYCLE_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    LIMITED_CRITICAL_DUTY_CYCLE_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    MAXIMUM_CHANNEL_CHANGES_PER_WEEK_FIELD_NUMBER: _ClassVar[int]
    GSME_CURFEW_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_QUIETER_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_NOISIER_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    NON_GSME_POOR_COMMS_PERCENTAGE_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    NON_GSME_POOR_COMMS_MEASUREMENT_PERIODS_FIELD_NUMBER: _ClassVar[int]
    LOCAL_CH_NOISE_MEASUREMENT_PERIOD_FIELD_NUMBER: _ClassVar[int]
    LOCAL_CH_FAILURE_PERCENTAGE_FIELD_NUMBER: _ClassVar[int]
    LOCAL_CH_RETRY_PERCENTAGE_FIELD_NUMBER: _ClassVar[int]
    lower_band_channels: _containers.RepeatedScalarFieldContainer[int]
    upper_band_channels: _containers.RepeatedScalarFieldContainer[int]
    normal_limited_duty_cycle_threshold: str
    limited_critical_duty_cycle_threshold: str
    maximum_channel_changes_per_week: int
    gsme_curfew: int
    channel_quieter_threshold: int
    channel_noisier_threshold: int
    non_gsme_poor_comms_percentage_threshold: str
    non_gsme_poor_comms_measurement_periods: int
    local_ch_noise_measurement_period: int
    local_ch_failure_percentage: str
    local_ch_retry_percentage: str
    def __init__(self, lower_band_channels: _Optional[_Iterable[int]] = ..., upper_band_channels: _Optional[_Iterable[int]] = ..., normal_limited_duty_cycle_threshold: _Optional[str] = ..., limited_critical_duty_cycle_threshold: _Optional[str] = ..., maximum_channel_changes_per_week: _Optional[int] = ..., gsme_curfew: _Optional[int] = ..., channel_quieter_threshold: _Optional[int] = ..., channel_noisier_threshold: _Optional[int] = ..., non_gsme_poor_comms_percentage_threshold: _Optional[str] = ..., non_gsme_poor_comms_measurement_periods: _Optional[int] = ..., local_ch_noise_measurement_period: _Optional[int] = ..., local_ch_failure_percentage: _Optional[str] = ..., local_ch_retry_percentage: _Optional[str] = ...) -> None: ...

class RequestSubGhzChannelScan(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ReadSubGhzConfiguration(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ReadSubGhzChannel(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ReadSubGhzChannelLog(_message.Message):
    __slots__ = ("start", "end")
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    start: _timestamp_pb2.Timestamp
    end: _timestamp_pb2.Timestamp
    def __init__(self, start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SubGhzChannel(_message.Message):
    __slots__ = ("band", "number")
    BAND_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    band: SubGhzBand
    number: int
    def __init__(self, band: _Optional[_Union[SubGhzBand, str]] = ..., number: _Optional[int] = ...) -> None: ...

class SubGhzChannelLogEntry(_message.Message):
    __slots__ = ("timestamp", "event_code", "event_description", "channel", "scan_trigger")
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    EVENT_CODE_FIELD_NUMBER: _ClassVar[int]
    EVENT_DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    SCAN_TRIGGER_FIELD_NUMBER: _ClassVar[int]
    timestamp: _timestamp_pb2.Timestamp
    event_code: int
    event_description: str
    channel: SubGhzChannel
    scan_trigger: str
    def __init__(self, timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., event_code: _Optional[int] = ..., event_description: _Optional[str] = ..., channel: _Optional[_Union[SubGhzChannel, _Mapping]] = ..., scan_trigger: _Optional[str] = ...) -> None: ...

class SubGhzChannelLog(_message.Message):
    __slots__ = ("entries",)
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[SubGhzChannelLogEntry]
    def __init__(self, entries: _Optional[_Iterable[_Union[SubGhzChannelLogEntry, _Mapping]]] = ...) -> None: ...
