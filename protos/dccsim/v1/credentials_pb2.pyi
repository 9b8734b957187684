from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class RemotePartyRole(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REMOTE_PARTY_ROLE_UNSPECIFIED: _ClassVar[RemotePartyRole]
    REMOTE_PARTY_ROLE_ACB: _ClassVar[RemotePartyRole]
    REMOTE_PARTY_ROLE_NETWORK_OPERATOR: _ClassVar[RemotePartyRole]
    REMOTE_PARTY_ROLE_RECOVERY: _ClassVar[RemotePartyRole]
    REMOTE_PARTY_ROLE_ROOT: _ClassVar[RemotePartyRole]
    REMOTE_PARTY_ROLE_SUPPLIER: _ClassVar[RemotePartyRole]
    REMOTE_PARTY_ROLE_TRANS_COS: _ClassVar[RemotePartyRole]
    REMOTE_PARTY_ROLE_LOAD_CONTROLLER: _ClassVar[RemotePartyRole]

class CredentialType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CREDENTIAL_TYPE_UNSPECIFIED: _ClassVar[CredentialType]
    CREDENTIAL_TYPE_DIGITAL_SIGNATURE: _ClassVar[CredentialType]
    CREDENTIAL_TYPE_KEY_AGREEMENT: _ClassVar[CredentialType]
REMOTE_PARTY_ROLE_UNSPECIFIED: RemotePartyRole
REMOTE_PARTY_ROLE_ACB: RemotePartyRole
REMOTE_PARTY_ROLE_NETWORK_OPERATOR: RemotePartyRole
REMOTE_PARTY_ROLE_RECOVERY: RemotePartyRole
REMOTE_PARTY_ROLE_ROOT: RemotePartyRole
REMOTE_PARTY_ROLE_SUPPLIER: RemotePartyRole
REMOTE_PARTY_ROLE_TRANS_COS: RemotePartyRole
REMOTE_PARTY_ROLE_LOAD_CONTROLLER: RemotePartyRole
CREDENTIAL_TYPE_UNSPECIFIED: CredentialType
CREDENTIAL_TYPE_DIGITAL_SIGNATURE: CredentialType
CREDENTIAL_TYPE_KEY_AGREEMENT: CredentialType

class ReplacementCertificates(_message.Message):
    __slots__ = ("digital_signing", "key_agreement", "key_agreement_top_up")
    DIGITAL_SIGNING_FIELD_NUMBER: _ClassVar[int]
    KEY_AGREEMENT_FIELD_NUMBER: _ClassVar[int]
    KEY_AGREEMENT_TOP_UP_FIELD_NUMBER: _ClassVar[int]
    digital_signing: bytes
    key_agreement: bytes
    key_agreement_top_up: bytes
    def __init__(self, digital_signing: _Optional[bytes] = ..., key_agreement: _Optional[bytes] = ..., key_agreement_top_up: _Optional[bytes] = ...) -> None: ...

class ReplaceCredentials(_message.Message):
    __slots__ = ("remote_party_role", "certificates", "certification_path", "apply_time_based_cpv_checks", "floor_seq_number", "top_up_floor_seq_number")
    REMOTE_PARTY_ROLE_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATES_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATION_PATH_FIELD_NUMBER: _ClassVar[int]
    APPLY_TIME_BASED_CPV_CHECKS_FIELD_NUMBER: _ClassVar[int]
    FLOOR_SEQ_NUMBER_FIELD_NUMBER: _ClassVar[int]
    TOP_UP_FLOOR_SEQ_NUMBER_FIELD_NUMBER: _ClassVar[int]
    remote_party_role: RemotePartyRole
    certificates: ReplacementCertificates
    certification_path: _containers.RepeatedScalarFieldContainer[bytes]
    apply_time_based_cpv_checks: bool
    floor_seq_number: int
    top_up_floor_seq_number: int
    def __init__(self, remote_party_role: _Optional[_Union[RemotePartyRole, str]] = ..., certificates: _Optional[_Union[ReplacementCertificates, _Mapping]] = ..., certification_path: _Optional[_Iterable[bytes]] = ..., apply_time_based_cpv_checks: _Optional[bool] = ..., floor_seq_number: _Optional[int] = ..., top_up_floor_seq_number: _Optional[int] = ...) -> None: ...

class UpdateDeviceCertificate(_message.Message):
    __slots__ = ("device_certificate",)
    DEVICE_CERTIFICATE_FIELD_NUMBER: _ClassVar[int]
    device_certificate: bytes
    def __init__(self, device_certificate: _Optional[bytes] = ...) -> None: ...

class IssueSecurityCredentials(_message.Message):
    __slots__ = ("credential_type",)
    CREDENTIAL_TYPE_FIELD_NUMBER: _ClassVar[int]
    credential_type: CredentialType
    def __init__(self, credential_type: _Optional[_Union[CredentialType, str]] = ...) -> None: ...

class RetrieveRemotePartyCredentials(_message.Message):
    __slots__ = ("roles",)
    ROLES_FIELD_NUMBER: _ClassVar[int]
    roles: _containers.RepeatedScalarFieldContainer[RemotePartyRole]
    def __init__(self, roles: _Optional[_Iterable[_Union[RemotePartyRole, str]]] = ...) -> None: ...

class RetrieveDeviceCertificate(_message.Message):
    __slots__ = ("credential_type",)
    CREDENTIAL_TYPE_FIELD_NUMBER: _ClassVar[int]
    credential_type: CredentialType
    def __init__(self, credential_type: _Optional[_Union[CredentialType, str]] = ...) -> None: ...

class CredentialReplacement(_message.Message):
    __slots__ = ("status", "certificate_type", "remote_party_role", "existing_remote_party_id", "new_remote_party_id", "existing_certificate_hash", "new_certificate_hash")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATE_TYPE_FIELD_NUMBER: _ClassVar[int]
    REMOTE_PARTY_ROLE_FIELD_NUMBER: _ClassVar[int]
    EXISTING_REMOTE_PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    NEW_REMOTE_PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    EXISTING_CERTIFICATE_HASH_FIELD_NUMBER: _ClassVar[int]
    NEW_CERTIFICATE_HASH_FIELD_NUMBER: _ClassVar[int]
    status: str
    certificate_type: str
    remote_party_role: str
    existing_remote_party_id: str
    new_remote_party_id: str
    existing_certificate_hash: bytes
    new_certificate_hash: bytes
    def __init__(self, status: _Optional[str] = ..., certificate_type: _Optional[str] = ..., remote_party_role: _Optional[str] = ..., existing_remote_party_id: _Optional[str] = ..., new_remote_party_id: _Optional[str] = ..., existing_certificate_hash: _Optional[bytes] = ..., new_certificate_hash: _Optional[bytes] = ...) -> None: ...

class CredentialsExecutionOutcome(_message.Message):
    __slots__ = ("authorising_originator_counter", "credentials_replacement_mode", "remote_party_role", "floor_seq_number", "top_up_floor_seq_number", "replacements")
    AUTHORISING_ORIGINATOR_COUNTER_FIELD_NUMBER: _ClassVar[int]
    CREDENTIALS_REPLACEMENT_MODE_FIELD_NUMBER: _ClassVar[int]
    REMOTE_PARTY_ROLE_FIELD_NUMBER: _ClassVar[int]
    FLOOR_SEQ_NUMBER_FIELD_NUMBER: _ClassVar[int]
    TOP_UP_FLOOR_SEQ_NUMBER_FIELD_NUMBER: _ClassVar[int]
    REPLACEMENTS_FIELD_NUMBER: _ClassVar[int]
    authorising_originator_counter: int
    credentials_replacement_mode: str
    remote_party_role: str
    floor_seq_number: int
    top_up_floor_seq_number: int
    replacements: _containers.RepeatedCompositeFieldContainer[CredentialReplacement]
    def __init__(self, authorising_originator_counter: _Optional[int] = ..., credentials_replacement_mode: _Optional[str] = ..., remote_party_role: _Optional[str] = ..., floor_seq_number: _Optional[int] = ..., top_up_floor_seq_number: _Optional[int] = ..., replacements: _Optional[_Iterable[_Union[CredentialReplacement, _Mapping]]] = ...) -> None: ...

class CredentialsReplaced(_message.Message):
    __slots__ = ("outcome",)
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    outcome: CredentialsExecutionOutcome
    def __init__(self, outcome: _Optional[_Union[CredentialsExecutionOutcome, _Mapping]] = ...) -> None: ...

class DeviceCertificateUpdated(_message.Message):
    __slots__ = ("status",)
    STATUS_FIELD_NUMBER: _ClassVar[int]
    status: str
    def __init__(self, status: _Optional[str] = ...) -> None: ...

class CredentialsIssued(_message.Message):
    __slots__ = ("status", "certification_request")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATION_REQUEST_FIELD_NUMBER: _ClassVar[int]
    status: str
    certification_request: bytes
    def __init__(self, status: _Optional[str] = ..., certification_request: _Optional[bytes] = ...) -> None: ...

class RemotePartyDetail(_message.Message):
    __slots__ = ("remote_party_role", "status", "floor_seq_number", "certificate_usage", "existing_remote_party_id", "existing_certificate_hash")
    REMOTE_PARTY_ROLE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    FLOOR_SEQ_NUMBER_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATE_USAGE_FIELD_NUMBER: _ClassVar[int]
    EXISTING_REMOTE_PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    EXISTING_CERTIFICATE_HASH_FIELD_NUMBER: _ClassVar[int]
    remote_party_role: str
    status: str
    floor_seq_number: int
    certificate_usage: str
    existing_remote_party_id: str
    existing_certificate_hash: bytes
    def __init__(self, remote_party_role: _Optional[str] = ..., status: _Optional[str] = ..., floor_seq_number: _Optional[int] = ..., certificate_usage: _Optional[str] = ..., existing_remote_party_id: _Optional[str] = ..., existing_certificate_hash: _Optional[bytes] = ...) -> None: ...

class RemotePartyCredentials(_message.Message):
    __slots__ = ("details",)
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    details: _containers.RepeatedCompositeFieldContainer[RemotePartyDetail]
    def __init__(self, details: _Optional[_Iterable[_Union[RemotePartyDetail, _Mapping]]] = ...) -> None: ...

class DeviceCertificateRead(_message.Message):
    __slots__ = ("status", "certificate")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATE_FIELD_NUMBER: _ClassVar[int]
    status: str
    certificate: bytes
    def __init__(self, status: _Optional[str] = ..., certificate: _Optional[bytes] = ...) -> None: ...
