import datetime

from dccsim.v1 import types_pb2 as _types_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ExportKeysRequest(_message.Message):
    __slots__ = ("device_ids", "no_devices")
    DEVICE_IDS_FIELD_NUMBER: _ClassVar[int]
    NO_DEVICES_FIELD_NUMBER: _ClassVar[int]
    device_ids: _containers.RepeatedScalarFieldContainer[str]
    no_devices: bool
    def __init__(self, device_ids: _Optional[_Iterable[str]] = ..., no_devices: _Optional[bool] = ...) -> None: ...

class KeyFile(_message.Message):
    __slots__ = ("name", "pem")
    NAME_FIELD_NUMBER: _ClassVar[int]
    PEM_FIELD_NUMBER: _ClassVar[int]
    name: str
    pem: bytes
    def __init__(self, name: _Optional[str] = ..., pem: _Optional[bytes] = ...) -> None: ...

class ExportKeysResponse(_message.Message):
    __slots__ = ("owner", "files")
    OWNER_FIELD_NUMBER: _ClassVar[int]
    FILES_FIELD_NUMBER: _ClassVar[int]
    owner: str
    files: _containers.RepeatedCompositeFieldContainer[KeyFile]
    def __init__(self, owner: _Optional[str] = ..., files: _Optional[_Iterable[_Union[KeyFile, _Mapping]]] = ...) -> None: ...

class PutReceiveUrlRequest(_message.Message):
    __slots__ = ("user_id", "url")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    url: str
    def __init__(self, user_id: _Optional[str] = ..., url: _Optional[str] = ...) -> None: ...

class PutReceiveUrlResponse(_message.Message):
    __slots__ = ("user_id", "url")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    url: str
    def __init__(self, user_id: _Optional[str] = ..., url: _Optional[str] = ...) -> None: ...

class FaultRule(_message.Message):
    __slots__ = ("action", "stage", "srv", "device_type", "smets", "device_ids", "probability", "first_n", "window_start", "window_end", "delay", "error_code", "alert_code")
    ACTION_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    SRV_FIELD_NUMBER: _ClassVar[int]
    DEVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    SMETS_FIELD_NUMBER: _ClassVar[int]
    DEVICE_IDS_FIELD_NUMBER: _ClassVar[int]
    PROBABILITY_FIELD_NUMBER: _ClassVar[int]
    FIRST_N_FIELD_NUMBER: _ClassVar[int]
    WINDOW_START_FIELD_NUMBER: _ClassVar[int]
    WINDOW_END_FIELD_NUMBER: _ClassVar[int]
    DELAY_FIELD_NUMBER: _ClassVar[int]
    ERROR_CODE_FIELD_NUMBER: _ClassVar[int]
    ALERT_CODE_FIELD_NUMBER: _ClassVar[int]
    action: str
    stage: str
    srv: str
    device_type: _types_pb2.DeviceType
    smets: _types_pb2.SmetsVersion
    device_ids: _containers.RepeatedScalarFieldContainer[str]
    probability: float
    first_n: int
    window_start: _timestamp_pb2.Timestamp
    window_end: _timestamp_pb2.Timestamp
    delay: _duration_pb2.Duration
    error_code: str
    alert_code: int
    def __init__(self, action: _Optional[str] = ..., stage: _Optional[str] = ..., srv: _Optional[str] = ..., device_type: _Optional[_Union[_types_pb2.DeviceType, str]] = ..., smets: _Optional[_Union[_types_pb2.SmetsVersion, str]] = ..., device_ids: _Optional[_Iterable[str]] = ..., probability: _Optional[float] = ..., first_n: _Optional[int] = ..., window_start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., window_end: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., delay: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., error_code: _Optional[str] = ..., alert_code: _Optional[int] = ...) -> None: ...

class FaultRuleEntry(_message.Message):
    __slots__ = ("rule_id", "rule")
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    rule_id: int
    rule: FaultRule
    def __init__(self, rule_id: _Optional[int] = ..., rule: _Optional[_Union[FaultRule, _Mapping]] = ...) -> None: ...

class ListFaultRulesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListFaultRulesResponse(_message.Message):
    __slots__ = ("rules",)
    RULES_FIELD_NUMBER: _ClassVar[int]
    rules: _containers.RepeatedCompositeFieldContainer[FaultRuleEntry]
    def __init__(self, rules: _Optional[_Iterable[_Union[FaultRuleEntry, _Mapping]]] = ...) -> None: ...

class RemoveFaultRuleRequest(_message.Message):
    __slots__ = ("rule_id",)
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    rule_id: int
    def __init__(self, rule_id: _Optional[int] = ...) -> None: ...

class RemoveFaultRuleResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListFaultDecisionsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class FaultDecision(_message.Message):
    __slots__ = ("at", "rule_id", "action", "stage", "srv", "device_id", "request_id", "alert_code")
    AT_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    SRV_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ALERT_CODE_FIELD_NUMBER: _ClassVar[int]
    at: _timestamp_pb2.Timestamp
    rule_id: int
    action: str
    stage: str
    srv: str
    device_id: str
    request_id: str
    alert_code: int
    def __init__(self, at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., rule_id: _Optional[int] = ..., action: _Optional[str] = ..., stage: _Optional[str] = ..., srv: _Optional[str] = ..., device_id: _Optional[str] = ..., request_id: _Optional[str] = ..., alert_code: _Optional[int] = ...) -> None: ...

class ListFaultDecisionsResponse(_message.Message):
    __slots__ = ("decisions",)
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    decisions: _containers.RepeatedCompositeFieldContainer[FaultDecision]
    def __init__(self, decisions: _Optional[_Iterable[_Union[FaultDecision, _Mapping]]] = ...) -> None: ...

class Registration(_message.Message):
    __slots__ = ("mpxn", "role", "user_id", "start", "end")
    MPXN_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    mpxn: str
    role: _types_pb2.UserRole
    user_id: str
    start: _timestamp_pb2.Timestamp
    end: _timestamp_pb2.Timestamp
    def __init__(self, mpxn: _Optional[str] = ..., role: _Optional[_Union[_types_pb2.UserRole, str]] = ..., user_id: _Optional[str] = ..., start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class LoadFleetRequest(_message.Message):
    __slots__ = ("fleet_yaml",)
    FLEET_YAML_FIELD_NUMBER: _ClassVar[int]
    fleet_yaml: str
    def __init__(self, fleet_yaml: _Optional[str] = ...) -> None: ...

class LoadFleetResponse(_message.Message):
    __slots__ = ("users", "registrations", "cpl_entries", "devices")
    USERS_FIELD_NUMBER: _ClassVar[int]
    REGISTRATIONS_FIELD_NUMBER: _ClassVar[int]
    CPL_ENTRIES_FIELD_NUMBER: _ClassVar[int]
    DEVICES_FIELD_NUMBER: _ClassVar[int]
    users: int
    registrations: int
    cpl_entries: int
    devices: int
    def __init__(self, users: _Optional[int] = ..., registrations: _Optional[int] = ..., cpl_entries: _Optional[int] = ..., devices: _Optional[int] = ...) -> None: ...

class ResetRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ResetResponse(_message.Message):
    __slots__ = ("devices",)
    DEVICES_FIELD_NUMBER: _ClassVar[int]
    devices: int
    def __init__(self, devices: _Optional[int] = ...) -> None: ...

class GetDeviceRequest(_message.Message):
    __slots__ = ("device_id",)
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    def __init__(self, device_id: _Optional[str] = ...) -> None: ...

class ListDevicesRequest(_message.Message):
    __slots__ = ("status", "device_type", "limit")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DEVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    status: _types_pb2.SmiStatus
    device_type: _types_pb2.DeviceType
    limit: int
    def __init__(self, status: _Optional[_Union[_types_pb2.SmiStatus, str]] = ..., device_type: _Optional[_Union[_types_pb2.DeviceType, str]] = ..., limit: _Optional[int] = ...) -> None: ...

class ListDevicesResponse(_message.Message):
    __slots__ = ("devices",)
    DEVICES_FIELD_NUMBER: _ClassVar[int]
    devices: _containers.RepeatedCompositeFieldContainer[_types_pb2.Device]
    def __init__(self, devices: _Optional[_Iterable[_Union[_types_pb2.Device, _Mapping]]] = ...) -> None: ...

class PutCplEntryResponse(_message.Message):
    __slots__ = ("entry", "devices_suspended")
    ENTRY_FIELD_NUMBER: _ClassVar[int]
    DEVICES_SUSPENDED_FIELD_NUMBER: _ClassVar[int]
    entry: _types_pb2.CplEntry
    devices_suspended: int
    def __init__(self, entry: _Optional[_Union[_types_pb2.CplEntry, _Mapping]] = ..., devices_suspended: _Optional[int] = ...) -> None: ...

class ListCplRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListCplResponse(_message.Message):
    __slots__ = ("entries",)
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[_types_pb2.CplEntry]
    def __init__(self, entries: _Optional[_Iterable[_Union[_types_pb2.CplEntry, _Mapping]]] = ...) -> None: ...

class RestoreDeviceRequest(_message.Message):
    __slots__ = ("device_id", "actor", "reason")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    actor: str
    reason: str
    def __init__(self, device_id: _Optional[str] = ..., actor: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class RaiseDeviceAlertRequest(_message.Message):
    __slots__ = ("device_id", "alert_code", "interrupted_at", "integrity_warning")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    ALERT_CODE_FIELD_NUMBER: _ClassVar[int]
    INTERRUPTED_AT_FIELD_NUMBER: _ClassVar[int]
    INTEGRITY_WARNING_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    alert_code: int
    interrupted_at: _timestamp_pb2.Timestamp
    integrity_warning: str
    def __init__(self, device_id: _Optional[str] = ..., alert_code: _Optional[int] = ..., interrupted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., integrity_warning: _Optional[str] = ...) -> None: ...

class RaiseDeviceAlertResponse(_message.Message):
    __slots__ = ("device_id", "alert_code", "alert_name", "recipients")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    ALERT_CODE_FIELD_NUMBER: _ClassVar[int]
    ALERT_NAME_FIELD_NUMBER: _ClassVar[int]
    RECIPIENTS_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    alert_code: int
    alert_name: str
    recipients: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, device_id: _Optional[str] = ..., alert_code: _Optional[int] = ..., alert_name: _Optional[str] = ..., recipients: _Optional[_Iterable[str]] = ...) -> None: ...

class BeginRecoveryRequest(_message.Message):
    __slots__ = ("device_id", "actor", "reason")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    actor: str
    reason: str
    def __init__(self, device_id: _Optional[str] = ..., actor: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class CompleteRecoveryRequest(_message.Message):
    __slots__ = ("device_id", "actor", "reason")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    actor: str
    reason: str
    def __init__(self, device_id: _Optional[str] = ..., actor: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ProgramEcosFailureRequest(_message.Message):
    __slots__ = ("device_id", "ecos_error_code")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    ECOS_ERROR_CODE_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    ecos_error_code: str
    def __init__(self, device_id: _Optional[str] = ..., ecos_error_code: _Optional[str] = ...) -> None: ...

class ProgramEcosFailureResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetClockRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class SetClockRequest(_message.Message):
    __slots__ = ("advance", "rate", "set_to")
    ADVANCE_FIELD_NUMBER: _ClassVar[int]
    RATE_FIELD_NUMBER: _ClassVar[int]
    SET_TO_FIELD_NUMBER: _ClassVar[int]
    advance: _duration_pb2.Duration
    rate: float
    set_to: _timestamp_pb2.Timestamp
    def __init__(self, advance: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., rate: _Optional[float] = ..., set_to: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ClockState(_message.Message):
    __slots__ = ("now", "rate", "pending_actions")
    NOW_FIELD_NUMBER: _ClassVar[int]
    RATE_FIELD_NUMBER: _ClassVar[int]
    PENDING_ACTIONS_FIELD_NUMBER: _ClassVar[int]
    now: _timestamp_pb2.Timestamp
    rate: float
    pending_actions: int
    def __init__(self, now: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., rate: _Optional[float] = ..., pending_actions: _Optional[int] = ...) -> None: ...

class StreamEventsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class Event(_message.Message):
    __slots__ = ("sequence", "at", "kind", "summary", "details")
    class DetailsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    at: _timestamp_pb2.Timestamp
    kind: str
    summary: str
    details: _containers.ScalarMap[str, str]
    def __init__(self, sequence: _Optional[int] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., kind: _Optional[str] = ..., summary: _Optional[str] = ..., details: _Optional[_Mapping[str, str]] = ...) -> None: ...
