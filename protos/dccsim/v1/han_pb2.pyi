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

class HanLogRequestType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    HAN_LOG_REQUEST_TYPE_UNSPECIFIED: _ClassVar[HanLogRequestType]
    HAN_LOG_REQUEST_TYPE_ADD: _ClassVar[HanLogRequestType]
    HAN_LOG_REQUEST_TYPE_REMOVE: _ClassVar[HanLogRequestType]
HAN_LOG_REQUEST_TYPE_UNSPECIFIED: HanLogRequestType
HAN_LOG_REQUEST_TYPE_ADD: HanLogRequestType
HAN_LOG_REQUEST_TYPE_REMOVE: HanLogRequestType

class JoinDevice(_message.Message):
    __slots__ = ("other_device_id",)
    OTHER_DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    other_device_id: str
    def __init__(self, other_device_id: _Optional[str] = ...) -> None: ...

class UnjoinDevice(_message.Message):
    __slots__ = ("other_device_id",)
    OTHER_DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    other_device_id: str
    def __init__(self, other_device_id: _Optional[str] = ...) -> None: ...

class ReadDeviceLog(_message.Message):
    __slots__ = ("read_security_details",)
    READ_SECURITY_DETAILS_FIELD_NUMBER: _ClassVar[int]
    read_security_details: bool
    def __init__(self, read_security_details: _Optional[bool] = ...) -> None: ...

class ChfWhitelisting(_message.Message):
    __slots__ = ("join_time_period", "install_code", "import_mpxn", "secondary_import_mpan", "export_mpan")
    JOIN_TIME_PERIOD_FIELD_NUMBER: _ClassVar[int]
    INSTALL_CODE_FIELD_NUMBER: _ClassVar[int]
    IMPORT_MPXN_FIELD_NUMBER: _ClassVar[int]
    SECONDARY_IMPORT_MPAN_FIELD_NUMBER: _ClassVar[int]
    EXPORT_MPAN_FIELD_NUMBER: _ClassVar[int]
    join_time_period: int
    install_code: bytes
    import_mpxn: str
    secondary_import_mpan: str
    export_mpan: str
    def __init__(self, join_time_period: _Optional[int] = ..., install_code: _Optional[bytes] = ..., import_mpxn: _Optional[str] = ..., secondary_import_mpan: _Optional[str] = ..., export_mpan: _Optional[str] = ...) -> None: ...

class UpdateHanDeviceLog(_message.Message):
    __slots__ = ("device_id", "request_type", "whitelist")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_TYPE_FIELD_NUMBER: _ClassVar[int]
    WHITELIST_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    request_type: HanLogRequestType
    whitelist: ChfWhitelisting
    def __init__(self, device_id: _Optional[str] = ..., request_type: _Optional[_Union[HanLogRequestType, str]] = ..., whitelist: _Optional[_Union[ChfWhitelisting, _Mapping]] = ...) -> None: ...

class RestoreHanDeviceLog(_message.Message):
    __slots__ = ("old_chf_id",)
    OLD_CHF_ID_FIELD_NUMBER: _ClassVar[int]
    old_chf_id: str
    def __init__(self, old_chf_id: _Optional[str] = ...) -> None: ...

class RestoreGpfDeviceLog(_message.Message):
    __slots__ = ("old_gpf_id",)
    OLD_GPF_ID_FIELD_NUMBER: _ClassVar[int]
    old_gpf_id: str
    def __init__(self, old_gpf_id: _Optional[str] = ...) -> None: ...

class HanJoinOutcome(_message.Message):
    __slots__ = ("status",)
    STATUS_FIELD_NUMBER: _ClassVar[int]
    status: str
    def __init__(self, status: _Optional[str] = ...) -> None: ...

class HanLogEntry(_message.Message):
    __slots__ = ("device_id", "device_type")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    device_type: _types_pb2.DeviceType
    def __init__(self, device_id: _Optional[str] = ..., device_type: _Optional[_Union[_types_pb2.DeviceType, str]] = ...) -> None: ...

class DeviceLogRead(_message.Message):
    __slots__ = ("entries",)
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[HanLogEntry]
    def __init__(self, entries: _Optional[_Iterable[_Union[HanLogEntry, _Mapping]]] = ...) -> None: ...

class ChfLogEntry(_message.Message):
    __slots__ = ("device_id", "last_written", "install_code")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    LAST_WRITTEN_FIELD_NUMBER: _ClassVar[int]
    INSTALL_CODE_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    last_written: _timestamp_pb2.Timestamp
    install_code: bytes
    def __init__(self, device_id: _Optional[str] = ..., last_written: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., install_code: _Optional[bytes] = ...) -> None: ...

class ChfDeviceLogRead(_message.Message):
    __slots__ = ("entries", "historic", "security_details")
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    HISTORIC_FIELD_NUMBER: _ClassVar[int]
    SECURITY_DETAILS_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[ChfLogEntry]
    historic: _containers.RepeatedCompositeFieldContainer[ChfLogEntry]
    security_details: bool
    def __init__(self, entries: _Optional[_Iterable[_Union[ChfLogEntry, _Mapping]]] = ..., historic: _Optional[_Iterable[_Union[ChfLogEntry, _Mapping]]] = ..., security_details: _Optional[bool] = ...) -> None: ...

class HanLogUpdated(_message.Message):
    __slots__ = ("status",)
    STATUS_FIELD_NUMBER: _ClassVar[int]
    status: str
    def __init__(self, status: _Optional[str] = ...) -> None: ...

class HanLogRestored(_message.Message):
    __slots__ = ("restored_device_ids", "status")
    RESTORED_DEVICE_IDS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    restored_device_ids: _containers.RepeatedScalarFieldContainer[str]
    status: str
    def __init__(self, restored_device_ids: _Optional[_Iterable[str]] = ..., status: _Optional[str] = ...) -> None: ...

class GpfRestoreOutcome(_message.Message):
    __slots__ = ("entry", "status")
    ENTRY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    entry: HanLogEntry
    status: str
    def __init__(self, entry: _Optional[_Union[HanLogEntry, _Mapping]] = ..., status: _Optional[str] = ...) -> None: ...

class GpfLogRestored(_message.Message):
    __slots__ = ("outcomes",)
    OUTCOMES_FIELD_NUMBER: _ClassVar[int]
    outcomes: _containers.RepeatedCompositeFieldContainer[GpfRestoreOutcome]
    def __init__(self, outcomes: _Optional[_Iterable[_Union[GpfRestoreOutcome, _Mapping]]] = ...) -> None: ...
