import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DisplayMessage(_message.Message):
    __slots__ = ("message",)
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    message: str
    def __init__(self, message: _Optional[str] = ...) -> None: ...

class RestrictAccessForChangeOfTenancy(_message.Message):
    __slots__ = ("restriction_datetime",)
    RESTRICTION_DATETIME_FIELD_NUMBER: _ClassVar[int]
    restriction_datetime: _timestamp_pb2.Timestamp
    def __init__(self, restriction_datetime: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ClearEventLog(_message.Message):
    __slots__ = ("log",)
    LOG_FIELD_NUMBER: _ClassVar[int]
    log: str
    def __init__(self, log: _Optional[str] = ...) -> None: ...

class UpdateSupplierName(_message.Message):
    __slots__ = ("name", "telephone")
    NAME_FIELD_NUMBER: _ClassVar[int]
    TELEPHONE_FIELD_NUMBER: _ClassVar[int]
    name: str
    telephone: str
    def __init__(self, name: _Optional[str] = ..., telephone: _Optional[str] = ...) -> None: ...

class DisablePrivacyPin(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...
