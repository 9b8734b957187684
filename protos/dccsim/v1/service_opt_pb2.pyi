from dccsim.v1 import types_pb2 as _types_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ServiceOptOut(_message.Message):
    __slots__ = ("acb_floor_sequence_number", "key_agreement_certificate", "digital_signing_certificate", "certification_path", "apply_time_based_cpv_checks")
    ACB_FLOOR_SEQUENCE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    KEY_AGREEMENT_CERTIFICATE_FIELD_NUMBER: _ClassVar[int]
    DIGITAL_SIGNING_CERTIFICATE_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATION_PATH_FIELD_NUMBER: _ClassVar[int]
    APPLY_TIME_BASED_CPV_CHECKS_FIELD_NUMBER: _ClassVar[int]
    acb_floor_sequence_number: int
    key_agreement_certificate: bytes
    digital_signing_certificate: bytes
    certification_path: _containers.RepeatedScalarFieldContainer[bytes]
    apply_time_based_cpv_checks: bool
    def __init__(self, acb_floor_sequence_number: _Optional[int] = ..., key_agreement_certificate: _Optional[bytes] = ..., digital_signing_certificate: _Optional[bytes] = ..., certification_path: _Optional[_Iterable[bytes]] = ..., apply_time_based_cpv_checks: _Optional[bool] = ...) -> None: ...

class ServiceOptIn(_message.Message):
    __slots__ = ("device_id", "device_type", "import_mpxn", "secondary_import_mpan", "export_mpan", "opt_in_date")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    IMPORT_MPXN_FIELD_NUMBER: _ClassVar[int]
    SECONDARY_IMPORT_MPAN_FIELD_NUMBER: _ClassVar[int]
    EXPORT_MPAN_FIELD_NUMBER: _ClassVar[int]
    OPT_IN_DATE_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    device_type: _types_pb2.DeviceType
    import_mpxn: str
    secondary_import_mpan: str
    export_mpan: str
    opt_in_date: str
    def __init__(self, device_id: _Optional[str] = ..., device_type: _Optional[_Union[_types_pb2.DeviceType, str]] = ..., import_mpxn: _Optional[str] = ..., secondary_import_mpan: _Optional[str] = ..., export_mpan: _Optional[str] = ..., opt_in_date: _Optional[str] = ...) -> None: ...

class OptInCredentials(_message.Message):
    __slots__ = ("device_id", "key_agreement_certificate", "digital_signing_certificate")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    KEY_AGREEMENT_CERTIFICATE_FIELD_NUMBER: _ClassVar[int]
    DIGITAL_SIGNING_CERTIFICATE_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    key_agreement_certificate: bytes
    digital_signing_certificate: bytes
    def __init__(self, device_id: _Optional[str] = ..., key_agreement_certificate: _Optional[bytes] = ..., digital_signing_certificate: _Optional[bytes] = ...) -> None: ...

class AcbCertificateReplacement(_message.Message):
    __slots__ = ("certificate_type", "existing_hash", "new_hash")
    CERTIFICATE_TYPE_FIELD_NUMBER: _ClassVar[int]
    EXISTING_HASH_FIELD_NUMBER: _ClassVar[int]
    NEW_HASH_FIELD_NUMBER: _ClassVar[int]
    certificate_type: str
    existing_hash: bytes
    new_hash: bytes
    def __init__(self, certificate_type: _Optional[str] = ..., existing_hash: _Optional[bytes] = ..., new_hash: _Optional[bytes] = ...) -> None: ...

class ServiceOptOutOutcome(_message.Message):
    __slots__ = ("floor_sequence_number", "replacements", "authorising_counter")
    FLOOR_SEQUENCE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    REPLACEMENTS_FIELD_NUMBER: _ClassVar[int]
    AUTHORISING_COUNTER_FIELD_NUMBER: _ClassVar[int]
    floor_sequence_number: int
    replacements: _containers.RepeatedCompositeFieldContainer[AcbCertificateReplacement]
    authorising_counter: int
    def __init__(self, floor_sequence_number: _Optional[int] = ..., replacements: _Optional[_Iterable[_Union[AcbCertificateReplacement, _Mapping]]] = ..., authorising_counter: _Optional[int] = ...) -> None: ...
