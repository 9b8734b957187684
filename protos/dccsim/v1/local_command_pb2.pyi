from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class ReturnLocalCommandResponse(_message.Message):
    __slots__ = ("original_request_id", "device_response")
    ORIGINAL_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_RESPONSE_FIELD_NUMBER: _ClassVar[int]
    original_request_id: str
    device_response: bytes
    def __init__(self, original_request_id: _Optional[str] = ..., device_response: _Optional[bytes] = ...) -> None: ...
