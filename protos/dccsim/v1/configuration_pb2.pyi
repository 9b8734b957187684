import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CfgReadVoltage(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class CfgReadRandomisation(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class CfgReadIdentity(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class CfgReadPowerThresholds(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class CfgReadMpxn(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class CfgReadGasConfiguration(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class CfgReadAlertBehaviours(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class CfgAverageVoltage(_message.Message):
    __slots__ = ("over_threshold", "under_threshold", "measurement_period")
    OVER_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    UNDER_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    MEASUREMENT_PERIOD_FIELD_NUMBER: _ClassVar[int]
    over_threshold: int
    under_threshold: int
    measurement_period: int
    def __init__(self, over_threshold: _Optional[int] = ..., under_threshold: _Optional[int] = ..., measurement_period: _Optional[int] = ...) -> None: ...

class CfgRmsVoltage(_message.Message):
    __slots__ = ("extreme_over_period", "extreme_over_threshold", "extreme_under_period", "extreme_under_threshold", "sag_period", "sag_threshold", "swell_period", "swell_threshold")
    EXTREME_OVER_PERIOD_FIELD_NUMBER: _ClassVar[int]
    EXTREME_OVER_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    EXTREME_UNDER_PERIOD_FIELD_NUMBER: _ClassVar[int]
    EXTREME_UNDER_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    SAG_PERIOD_FIELD_NUMBER: _ClassVar[int]
    SAG_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    SWELL_PERIOD_FIELD_NUMBER: _ClassVar[int]
    SWELL_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    extreme_over_period: int
    extreme_over_threshold: int
    extreme_under_period: int
    extreme_under_threshold: int
    sag_period: int
    sag_threshold: int
    swell_period: int
    swell_threshold: int
    def __init__(self, extreme_over_period: _Optional[int] = ..., extreme_over_threshold: _Optional[int] = ..., extreme_under_period: _Optional[int] = ..., extreme_under_threshold: _Optional[int] = ..., sag_period: _Optional[int] = ..., sag_threshold: _Optional[int] = ..., swell_period: _Optional[int] = ..., swell_threshold: _Optional[int] = ...) -> None: ...

class CfgPhaseVoltage(_message.Message):
    __slots__ = ("phase", "settings")
    PHASE_FIELD_NUMBER: _ClassVar[int]
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    phase: int
    settings: CfgAverageVoltage
    def __init__(self, phase: _Optional[int] = ..., settings: _Optional[_Union[CfgAverageVoltage, _Mapping]] = ...) -> None: ...

class CfgUpdateVoltage(_message.Message):
    __slots__ = ("rms", "single_phase", "poly_phase", "counters_not_reset")
    RMS_FIELD_NUMBER: _ClassVar[int]
    SINGLE_PHASE_FIELD_NUMBER: _ClassVar[int]
    POLY_PHASE_FIELD_NUMBER: _ClassVar[int]
    COUNTERS_NOT_RESET_FIELD_NUMBER: _ClassVar[int]
    rms: CfgRmsVoltage
    single_phase: CfgAverageVoltage
    poly_phase: _containers.RepeatedCompositeFieldContainer[CfgPhaseVoltage]
    counters_not_reset: bool
    def __init__(self, rms: _Optional[_Union[CfgRmsVoltage, _Mapping]] = ..., single_phase: _Optional[_Union[CfgAverageVoltage, _Mapping]] = ..., poly_phase: _Optional[_Iterable[_Union[CfgPhaseVoltage, _Mapping]]] = ..., counters_not_reset: _Optional[bool] = ...) -> None: ...

class CfgUpdateGasConversion(_message.Message):
    __slots__ = ("calorific_value", "conversion_factor")
    CALORIFIC_VALUE_FIELD_NUMBER: _ClassVar[int]
    CONVERSION_FACTOR_FIELD_NUMBER: _ClassVar[int]
    calorific_value: str
    conversion_factor: str
    def __init__(self, calorific_value: _Optional[str] = ..., conversion_factor: _Optional[str] = ...) -> None: ...

class CfgUpdateGasFlow(_message.Message):
    __slots__ = ("uncontrolled_rate", "supply_depletion_state", "supply_tamper_state", "stabilisation_period", "measurement_period")
    UNCONTROLLED_RATE_FIELD_NUMBER: _ClassVar[int]
    SUPPLY_DEPLETION_STATE_FIELD_NUMBER: _ClassVar[int]
    SUPPLY_TAMPER_STATE_FIELD_NUMBER: _ClassVar[int]
    STABILISATION_PERIOD_FIELD_NUMBER: _ClassVar[int]
    MEASUREMENT_PERIOD_FIELD_NUMBER: _ClassVar[int]
    uncontrolled_rate: str
    supply_depletion_state: str
    supply_tamper_state: str
    stabilisation_period: int
    measurement_period: int
    def __init__(self, uncontrolled_rate: _Optional[str] = ..., supply_depletion_state: _Optional[str] = ..., supply_tamper_state: _Optional[str] = ..., stabilisation_period: _Optional[int] = ..., measurement_period: _Optional[int] = ...) -> None: ...

class CfgSynchroniseClock(_message.Message):
    __slots__ = ("current_datetime", "tolerance_period")
    CURRENT_DATETIME_FIELD_NUMBER: _ClassVar[int]
    TOLERANCE_PERIOD_FIELD_NUMBER: _ClassVar[int]
    current_datetime: _timestamp_pb2.Timestamp
    tolerance_period: int
    def __init__(self, current_datetime: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., tolerance_period: _Optional[int] = ...) -> None: ...

class CfgUpdatePowerThreshold(_message.Message):
    __slots__ = ("low_medium", "medium_high")
    LOW_MEDIUM_FIELD_NUMBER: _ClassVar[int]
    MEDIUM_HIGH_FIELD_NUMBER: _ClassVar[int]
    low_medium: int
    medium_high: int
    def __init__(self, low_medium: _Optional[int] = ..., medium_high: _Optional[int] = ...) -> None: ...

class CfgReadEventOrSecurityLog(_message.Message):
    __slots__ = ("start", "end", "log")
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    LOG_FIELD_NUMBER: _ClassVar[int]
    start: _timestamp_pb2.Timestamp
    end: _timestamp_pb2.Timestamp
    log: str
    def __init__(self, start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., log: _Optional[str] = ...) -> None: ...

class CfgSetImportMpxn(_message.Message):
    __slots__ = ("import_mpan", "secondary_import_mpan", "import_mprn")
    IMPORT_MPAN_FIELD_NUMBER: _ClassVar[int]
    SECONDARY_IMPORT_MPAN_FIELD_NUMBER: _ClassVar[int]
    IMPORT_MPRN_FIELD_NUMBER: _ClassVar[int]
    import_mpan: str
    secondary_import_mpan: str
    import_mprn: str
    def __init__(self, import_mpan: _Optional[str] = ..., secondary_import_mpan: _Optional[str] = ..., import_mprn: _Optional[str] = ...) -> None: ...

class CfgSetExportMpan(_message.Message):
    __slots__ = ("export_mpan",)
    EXPORT_MPAN_FIELD_NUMBER: _ClassVar[int]
    export_mpan: str
    def __init__(self, export_mpan: _Optional[str] = ...) -> None: ...

class CfgAlertChange(_message.Message):
    __slots__ = ("code", "setting", "enabled")
    CODE_FIELD_NUMBER: _ClassVar[int]
    SETTING_FIELD_NUMBER: _ClassVar[int]
    ENABLED_FIELD_NUMBER: _ClassVar[int]
    code: int
    setting: str
    enabled: bool
    def __init__(self, code: _Optional[int] = ..., setting: _Optional[str] = ..., enabled: _Optional[bool] = ...) -> None: ...

class CfgConfigureAlertBehaviour(_message.Message):
    __slots__ = ("group", "changes")
    GROUP_FIELD_NUMBER: _ClassVar[int]
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    group: str
    changes: _containers.RepeatedCompositeFieldContainer[CfgAlertChange]
    def __init__(self, group: _Optional[str] = ..., changes: _Optional[_Iterable[_Union[CfgAlertChange, _Mapping]]] = ...) -> None: ...

class CfgSetSupplyTamperState(_message.Message):
    __slots__ = ("state",)
    STATE_FIELD_NUMBER: _ClassVar[int]
    state: str
    def __init__(self, state: _Optional[str] = ...) -> None: ...

class CfgVoltageRead(_message.Message):
    __slots__ = ("rms", "phases")
    RMS_FIELD_NUMBER: _ClassVar[int]
    PHASES_FIELD_NUMBER: _ClassVar[int]
    rms: CfgRmsVoltage
    phases: _containers.RepeatedCompositeFieldContainer[CfgAverageVoltage]
    def __init__(self, rms: _Optional[_Union[CfgRmsVoltage, _Mapping]] = ..., phases: _Optional[_Iterable[_Union[CfgAverageVoltage, _Mapping]]] = ...) -> None: ...

class CfgRandomisationRead(_message.Message):
    __slots__ = ("offset", "offset_number", "offset_limit")
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    OFFSET_NUMBER_FIELD_NUMBER: _ClassVar[int]
    OFFSET_LIMIT_FIELD_NUMBER: _ClassVar[int]
    offset: int
    offset_number: int
    offset_limit: int
    def __init__(self, offset: _Optional[int] = ..., offset_number: _Optional[int] = ..., offset_limit: _Optional[int] = ...) -> None: ...

class CfgIdentityRead(_message.Message):
    __slots__ = ("device_id", "model", "manufacturer", "supply_tamper_state", "meter_variant", "supply_depletion_state")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    MANUFACTURER_FIELD_NUMBER: _ClassVar[int]
    SUPPLY_TAMPER_STATE_FIELD_NUMBER: _ClassVar[int]
    METER_VARIANT_FIELD_NUMBER: _ClassVar[int]
    SUPPLY_DEPLETION_STATE_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    model: str
    manufacturer: str
    supply_tamper_state: str
    meter_variant: str
    supply_depletion_state: str
    def __init__(self, device_id: _Optional[str] = ..., model: _Optional[str] = ..., manufacturer: _Optional[str] = ..., supply_tamper_state: _Optional[str] = ..., meter_variant: _Optional[str] = ..., supply_depletion_state: _Optional[str] = ...) -> None: ...

class CfgPowerThresholdsRead(_message.Message):
    __slots__ = ("low_medium", "medium_high")
    LOW_MEDIUM_FIELD_NUMBER: _ClassVar[int]
    MEDIUM_HIGH_FIELD_NUMBER: _ClassVar[int]
    low_medium: int
    medium_high: int
    def __init__(self, low_medium: _Optional[int] = ..., medium_high: _Optional[int] = ...) -> None: ...

class CfgMpxnRead(_message.Message):
    __slots__ = ("gas", "import_mpxn", "secondary_import_mpan", "export_mpan")
    GAS_FIELD_NUMBER: _ClassVar[int]
    IMPORT_MPXN_FIELD_NUMBER: _ClassVar[int]
    SECONDARY_IMPORT_MPAN_FIELD_NUMBER: _ClassVar[int]
    EXPORT_MPAN_FIELD_NUMBER: _ClassVar[int]
    gas: bool
    import_mpxn: str
    secondary_import_mpan: str
    export_mpan: str
    def __init__(self, gas: _Optional[bool] = ..., import_mpxn: _Optional[str] = ..., secondary_import_mpan: _Optional[str] = ..., export_mpan: _Optional[str] = ...) -> None: ...

class CfgGasConfigurationRead(_message.Message):
    __slots__ = ("calorific_value", "conversion_factor", "uncontrolled_rate", "stabilisation_period", "measurement_period")
    CALORIFIC_VALUE_FIELD_NUMBER: _ClassVar[int]
    CONVERSION_FACTOR_FIELD_NUMBER: _ClassVar[int]
    UNCONTROLLED_RATE_FIELD_NUMBER: _ClassVar[int]
    STABILISATION_PERIOD_FIELD_NUMBER: _ClassVar[int]
    MEASUREMENT_PERIOD_FIELD_NUMBER: _ClassVar[int]
    calorific_value: str
    conversion_factor: str
    uncontrolled_rate: str
    stabilisation_period: int
    measurement_period: int
    def __init__(self, calorific_value: _Optional[str] = ..., conversion_factor: _Optional[str] = ..., uncontrolled_rate: _Optional[str] = ..., stabilisation_period: _Optional[int] = ..., measurement_period: _Optional[int] = ...) -> None: ...

class CfgAlertBehavioursRead(_message.Message):
    __slots__ = ("audience", "poly_phase", "values")
    AUDIENCE_FIELD_NUMBER: _ClassVar[int]
    POLY_PHASE_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    audience: str
    poly_phase: bool
    values: _containers.RepeatedCompositeFieldContainer[CfgAlertChange]
    def __init__(self, audience: _Optional[str] = ..., poly_phase: _Optional[bool] = ..., values: _Optional[_Iterable[_Union[CfgAlertChange, _Mapping]]] = ...) -> None: ...

class CfgClockSynchronised(_message.Message):
    __slots__ = ("device_time", "status", "adjusted")
    DEVICE_TIME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ADJUSTED_FIELD_NUMBER: _ClassVar[int]
    device_time: _timestamp_pb2.Timestamp
    status: str
    adjusted: bool
    def __init__(self, device_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., status: _Optional[str] = ..., adjusted: _Optional[bool] = ...) -> None: ...

class CfgLogEntry(_message.Message):
    __slots__ = ("timestamp", "code", "meaning")
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    MEANING_FIELD_NUMBER: _ClassVar[int]
    timestamp: _timestamp_pb2.Timestamp
    code: int
    meaning: str
    def __init__(self, timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., code: _Optional[int] = ..., meaning: _Optional[str] = ...) -> None: ...

class CfgLogRead(_message.Message):
    __slots__ = ("log", "entries")
    LOG_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    log: str
    entries: _containers.RepeatedCompositeFieldContainer[CfgLogEntry]
    def __init__(self, log: _Optional[str] = ..., entries: _Optional[_Iterable[_Union[CfgLogEntry, _Mapping]]] = ...) -> None: ...
