from dccsim.v1 import supplier_pb2 as _supplier_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class DuisDocument(_message.Message):
    __slots__ = ("xml",)
    XML_FIELD_NUMBER: _ClassVar[int]
    xml: bytes
    def __init__(self, xml: _Optional[bytes] = ...) -> None: ...

class DuisDelivery(_message.Message):
    __slots__ = ("sequence", "xml")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    XML_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    xml: bytes
    def __init__(self, sequence: _Optional[int] = ..., xml: _Optional[bytes] = ...) -> None: ...
