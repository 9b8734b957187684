import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class LoadLimitSupplyState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LOAD_LIMIT_SUPPLY_STATE_UNSPECIFIED: _ClassVar[LoadLimitSupplyState]
    LOAD_LIMIT_SUPPLY_STATE_DISABLE: _ClassVar[LoadLimitSupplyState]
    LOAD_LIMIT_SUPPLY_STATE_UNCHANGED: _ClassVar[LoadLimitSupplyState]
LOAD_LIMIT_SUPPLY_STATE_UNSPECIFIED: LoadLimitSupplyState
LOAD_LIMIT_SUPPLY_STATE_DISABLE: LoadLimitSupplyState
LOAD_LIMIT_SUPPLY_STATE_UNCHANGED: LoadLimitSupplyState

class ReadInstantaneousImportRegisters(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ReadInstantaneousExportRegisters(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ReadMaximumDemandImportRegisters(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ReadMaximumDemandExportRegisters(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ReadLoadLimitData(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ReadActivePowerImport(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ResetLoadLimitingCounter(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ResetRmsVoltageCounters(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MeterReadPeriod(_message.Message):
    __slots__ = ("start", "end", "ka_public_security_credentials")
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    KA_PUBLIC_SECURITY_CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    start: _timestamp_pb2.Timestamp
    end: _timestamp_pb2.Timestamp
    ka_public_security_credentials: bytes
    def __init__(self, start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ka_public_security_credentials: _Optional[bytes] = ...) -> None: ...

class UpdateLoadLimitingSettings(_message.Message):
    __slots__ = ("period", "power_threshold", "restoration_period", "supply_state")
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    POWER_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    RESTORATION_PERIOD_FIELD_NUMBER: _ClassVar[int]
    SUPPLY_STATE_FIELD_NUMBER: _ClassVar[int]
    period: int
    power_threshold: int
    restoration_period: int
    supply_state: LoadLimitSupplyState
    def __init__(self, period: _Optional[int] = ..., power_threshold: _Optional[int] = ..., restoration_period: _Optional[int] = ..., supply_state: _Optional[_Union[LoadLimitSupplyState, str]] = ...) -> None: ...

class SetMaximumDemandPeriod(_message.Message):
    __slots__ = ("start_time", "end_time")
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    start_time: str
    end_time: str
    def __init__(self, start_time: _Optional[str] = ..., end_time: _Optional[str] = ...) -> None: ...

class ResetMaximumDemandRegisters(_message.Message):
    __slots__ = ("active_import", "active_export", "configurable_time_import")
    ACTIVE_IMPORT_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_EXPORT_FIELD_NUMBER: _ClassVar[int]
    CONFIGURABLE_TIME_IMPORT_FIELD_NUMBER: _ClassVar[int]
    active_import: bool
    active_export: bool
    configurable_time_import: bool
    def __init__(self, active_import: _Optional[bool] = ..., active_export: _Optional[bool] = ..., configurable_time_import: _Optional[bool] = ...) -> None: ...

class MeterLogValue(_message.Message):
    __slots__ = ("timestamp", "units", "decimal")
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    UNITS_FIELD_NUMBER: _ClassVar[int]
    DECIMAL_FIELD_NUMBER: _ClassVar[int]
    timestamp: _timestamp_pb2.Timestamp
    units: int
    decimal: str
    def __init__(self, timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., units: _Optional[int] = ..., decimal: _Optional[str] = ...) -> None: ...

class MeterImportRegisters(_message.Message):
    __slots__ = ("electricity", "gas")
    ELECTRICITY_FIELD_NUMBER: _ClassVar[int]
    GAS_FIELD_NUMBER: _ClassVar[int]
    electricity: MeterElectricityImport
    gas: MeterGasImport
    def __init__(self, electricity: _Optional[_Union[MeterElectricityImport, _Mapping]] = ..., gas: _Optional[_Union[MeterGasImport, _Mapping]] = ...) -> None: ...

class MeterElectricityImport(_message.Message):
    __slots__ = ("active_import_wh", "reactive_import_varh")
    ACTIVE_IMPORT_WH_FIELD_NUMBER: _ClassVar[int]
    REACTIVE_IMPORT_VARH_FIELD_NUMBER: _ClassVar[int]
    active_import_wh: int
    reactive_import_varh: int
    def __init__(self, active_import_wh: _Optional[int] = ..., reactive_import_varh: _Optional[int] = ...) -> None: ...

class MeterGasImport(_message.Message):
    __slots__ = ("volume_m3",)
    VOLUME_M3_FIELD_NUMBER: _ClassVar[int]
    volume_m3: str
    def __init__(self, volume_m3: _Optional[str] = ...) -> None: ...

class MeterExportRegisters(_message.Message):
    __slots__ = ("active_export_wh", "reactive_export_varh")
    ACTIVE_EXPORT_WH_FIELD_NUMBER: _ClassVar[int]
    REACTIVE_EXPORT_VARH_FIELD_NUMBER: _ClassVar[int]
    active_export_wh: int
    reactive_export_varh: int
    def __init__(self, active_export_wh: _Optional[int] = ..., reactive_export_varh: _Optional[int] = ...) -> None: ...

class MeterLog(_message.Message):
    __slots__ = ("gas", "entries")
    GAS_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    gas: bool
    entries: _containers.RepeatedCompositeFieldContainer[MeterLogValue]
    def __init__(self, gas: _Optional[bool] = ..., entries: _Optional[_Iterable[_Union[MeterLogValue, _Mapping]]] = ...) -> None: ...

class MeterExportProfileEntry(_message.Message):
    __slots__ = ("timestamp", "active_export_wh", "reactive_export_varh")
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_EXPORT_WH_FIELD_NUMBER: _ClassVar[int]
    REACTIVE_EXPORT_VARH_FIELD_NUMBER: _ClassVar[int]
    timestamp: _timestamp_pb2.Timestamp
    active_export_wh: int
    reactive_export_varh: int
    def __init__(self, timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., active_export_wh: _Optional[int] = ..., reactive_export_varh: _Optional[int] = ...) -> None: ...

class MeterExportProfile(_message.Message):
    __slots__ = ("entries",)
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[MeterExportProfileEntry]
    def __init__(self, entries: _Optional[_Iterable[_Union[MeterExportProfileEntry, _Mapping]]] = ...) -> None: ...

class MeterPhaseVoltage(_message.Message):
    __slots__ = ("phase", "over_voltage_count", "under_voltage_count", "profile", "measurement_period")
    PHASE_FIELD_NUMBER: _ClassVar[int]
    OVER_VOLTAGE_COUNT_FIELD_NUMBER: _ClassVar[int]
    UNDER_VOLTAGE_COUNT_FIELD_NUMBER: _ClassVar[int]
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    MEASUREMENT_PERIOD_FIELD_NUMBER: _ClassVar[int]
    phase: int
    over_voltage_count: int
    under_voltage_count: int
    profile: _containers.RepeatedCompositeFieldContainer[MeterLogValue]
    measurement_period: int
    def __init__(self, phase: _Optional[int] = ..., over_voltage_count: _Optional[int] = ..., under_voltage_count: _Optional[int] = ..., profile: _Optional[_Iterable[_Union[MeterLogValue, _Mapping]]] = ..., measurement_period: _Optional[int] = ...) -> None: ...

class MeterNetworkData(_message.Message):
    __slots__ = ("electricity", "gas")
    ELECTRICITY_FIELD_NUMBER: _ClassVar[int]
    GAS_FIELD_NUMBER: _ClassVar[int]
    electricity: MeterVoltageData
    gas: MeterGasNetworkData
    def __init__(self, electricity: _Optional[_Union[MeterVoltageData, _Mapping]] = ..., gas: _Optional[_Union[MeterGasNetworkData, _Mapping]] = ...) -> None: ...

class MeterVoltageData(_message.Message):
    __slots__ = ("polyphase", "phases")
    POLYPHASE_FIELD_NUMBER: _ClassVar[int]
    PHASES_FIELD_NUMBER: _ClassVar[int]
    polyphase: bool
    phases: _containers.RepeatedCompositeFieldContainer[MeterPhaseVoltage]
    def __init__(self, polyphase: _Optional[bool] = ..., phases: _Optional[_Iterable[_Union[MeterPhaseVoltage, _Mapping]]] = ...) -> None: ...

class MeterGasNetworkData(_message.Message):
    __slots__ = ("has_log", "samples")
    HAS_LOG_FIELD_NUMBER: _ClassVar[int]
    SAMPLES_FIELD_NUMBER: _ClassVar[int]
    has_log: bool
    samples: _containers.RepeatedCompositeFieldContainer[MeterLogValue]
    def __init__(self, has_log: _Optional[bool] = ..., samples: _Optional[_Iterable[_Union[MeterLogValue, _Mapping]]] = ...) -> None: ...

class MaximumDemandValue(_message.Message):
    __slots__ = ("watts", "captured_at", "last_reset")
    WATTS_FIELD_NUMBER: _ClassVar[int]
    CAPTURED_AT_FIELD_NUMBER: _ClassVar[int]
    LAST_RESET_FIELD_NUMBER: _ClassVar[int]
    watts: int
    captured_at: _timestamp_pb2.Timestamp
    last_reset: _timestamp_pb2.Timestamp
    def __init__(self, watts: _Optional[int] = ..., captured_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_reset: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class MaximumDemandRead(_message.Message):
    __slots__ = ("active", "configurable_time", "window")
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    CONFIGURABLE_TIME_FIELD_NUMBER: _ClassVar[int]
    WINDOW_FIELD_NUMBER: _ClassVar[int]
    active: MaximumDemandValue
    configurable_time: MaximumDemandValue
    window: SetMaximumDemandPeriod
    def __init__(self, active: _Optional[_Union[MaximumDemandValue, _Mapping]] = ..., configurable_time: _Optional[_Union[MaximumDemandValue, _Mapping]] = ..., window: _Optional[_Union[SetMaximumDemandPeriod, _Mapping]] = ...) -> None: ...

class MeterLoadLimitData(_message.Message):
    __slots__ = ("counter", "settings")
    COUNTER_FIELD_NUMBER: _ClassVar[int]
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    counter: int
    settings: UpdateLoadLimitingSettings
    def __init__(self, counter: _Optional[int] = ..., settings: _Optional[_Union[UpdateLoadLimitingSettings, _Mapping]] = ...) -> None: ...

class MeterActivePower(_message.Message):
    __slots__ = ("watts",)
    WATTS_FIELD_NUMBER: _ClassVar[int]
    watts: int
    def __init__(self, watts: _Optional[int] = ...) -> None: ...
