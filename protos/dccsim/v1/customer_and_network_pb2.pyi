from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class RequestCustomerIdentificationNumber(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RecordNetworkDataGas(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class CustomerIdentificationNumber(_message.Message):
    __slots__ = ("cin",)
    CIN_FIELD_NUMBER: _ClassVar[int]
    cin: str
    def __init__(self, cin: _Optional[str] = ...) -> None: ...

class NetworkDataLogStarted(_message.Message):
    __slots__ = ("sample_id",)
    SAMPLE_ID_FIELD_NUMBER: _ClassVar[int]
    sample_id: int
    def __init__(self, sample_id: _Optional[int] = ...) -> None: ...
