from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DeviceType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DEVICE_TYPE_UNSPECIFIED: _ClassVar[DeviceType]
    DEVICE_TYPE_ESME: _ClassVar[DeviceType]
    DEVICE_TYPE_GSME: _ClassVar[DeviceType]
    DEVICE_TYPE_GPF: _ClassVar[DeviceType]
    DEVICE_TYPE_CHF: _ClassVar[DeviceType]
    DEVICE_TYPE_PPMID: _ClassVar[DeviceType]
    DEVICE_TYPE_HCALCS: _ClassVar[DeviceType]
    DEVICE_TYPE_IHD: _ClassVar[DeviceType]
    DEVICE_TYPE_CAD: _ClassVar[DeviceType]

class SmetsVersion(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SMETS_VERSION_UNSPECIFIED: _ClassVar[SmetsVersion]
    SMETS_VERSION_SMETS1: _ClassVar[SmetsVersion]
    SMETS_VERSION_SMETS2: _ClassVar[SmetsVersion]

class SmiStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SMI_STATUS_UNSPECIFIED: _ClassVar[SmiStatus]
    SMI_STATUS_PENDING: _ClassVar[SmiStatus]
    SMI_STATUS_WHITELISTED: _ClassVar[SmiStatus]
    SMI_STATUS_INSTALLED_NOT_COMMISSIONED: _ClassVar[SmiStatus]
    SMI_STATUS_COMMISSIONED: _ClassVar[SmiStatus]
    SMI_STATUS_DECOMMISSIONED: _ClassVar[SmiStatus]
    SMI_STATUS_WITHDRAWN: _ClassVar[SmiStatus]
    SMI_STATUS_SUSPENDED: _ClassVar[SmiStatus]
    SMI_STATUS_RECOVERY: _ClassVar[SmiStatus]
    SMI_STATUS_RECOVERED: _ClassVar[SmiStatus]

class UserRole(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    USER_ROLE_UNSPECIFIED: _ClassVar[UserRole]
    USER_ROLE_IS: _ClassVar[UserRole]
    USER_ROLE_ES: _ClassVar[UserRole]
    USER_ROLE_GS: _ClassVar[UserRole]
    USER_ROLE_ED: _ClassVar[UserRole]
    USER_ROLE_GT: _ClassVar[UserRole]
    USER_ROLE_RSA: _ClassVar[UserRole]
    USER_ROLE_OU: _ClassVar[UserRole]
    USER_ROLE_LC: _ClassVar[UserRole]

class CplStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CPL_STATUS_UNSPECIFIED: _ClassVar[CplStatus]
    CPL_STATUS_CURRENT: _ClassVar[CplStatus]
    CPL_STATUS_REMOVED: _ClassVar[CplStatus]
DEVICE_TYPE_UNSPECIFIED: DeviceType
DEVICE_TYPE_ESME: DeviceType
DEVICE_TYPE_GSME: DeviceType
DEVICE_TYPE_GPF: DeviceType
DEVICE_TYPE_CHF: DeviceType
DEVICE_TYPE_PPMID: DeviceType
DEVICE_TYPE_HCALCS: DeviceType
DEVICE_TYPE_IHD: DeviceType
DEVICE_TYPE_CAD: DeviceType
SMETS_VERSION_UNSPECIFIED: SmetsVersion
SMETS_VERSION_SMETS1: SmetsVersion
SMETS_VERSION_SMETS2: SmetsVersion
SMI_STATUS_UNSPECIFIED: SmiStatus
SMI_STATUS_PENDING: SmiStatus
SMI_STATUS_WHITELISTED: SmiStatus
SMI_STATUS_INSTALLED_NOT_COMMISSIONED: SmiStatus
SMI_STATUS_COMMISSIONED: SmiStatus
SMI_STATUS_DECOMMISSIONED: SmiStatus
SMI_STATUS_WITHDRAWN: SmiStatus
SMI_STATUS_SUSPENDED: SmiStatus
SMI_STATUS_RECOVERY: SmiStatus
SMI_STATUS_RECOVERED: SmiStatus
USER_ROLE_UNSPECIFIED: UserRole
USER_ROLE_IS: UserRole
USER_ROLE_ES: UserRole
USER_ROLE_GS: UserRole
USER_ROLE_ED: UserRole
USER_ROLE_GT: UserRole
USER_ROLE_RSA: UserRole
USER_ROLE_OU: UserRole
USER_ROLE_LC: UserRole
CPL_STATUS_UNSPECIFIED: CplStatus
CPL_STATUS_CURRENT: CplStatus
CPL_STATUS_REMOVED: CplStatus

class Device(_message.Message):
    __slots__ = ("device_id", "device_type", "smets", "manufacturer", "model", "firmware_version", "status", "mpxn", "esme_variant", "added_by", "uprn", "status_before_suspension", "paired_gsme", "status_before_recovery", "comms_hub")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    SMETS_FIELD_NUMBER: _ClassVar[int]
    MANUFACTURER_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    FIRMWARE_VERSION_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    MPXN_FIELD_NUMBER: _ClassVar[int]
    ESME_VARIANT_FIELD_NUMBER: _ClassVar[int]
    ADDED_BY_FIELD_NUMBER: _ClassVar[int]
    UPRN_FIELD_NUMBER: _ClassVar[int]
    STATUS_BEFORE_SUSPENSION_FIELD_NUMBER: _ClassVar[int]
    PAIRED_GSME_FIELD_NUMBER: _ClassVar[int]
    STATUS_BEFORE_RECOVERY_FIELD_NUMBER: _ClassVar[int]
    COMMS_HUB_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    device_type: DeviceType
    smets: SmetsVersion
    manufacturer: str
    model: str
    firmware_version: str
    status: SmiStatus
    mpxn: str
    esme_variant: str
    added_by: str
    uprn: int
    status_before_suspension: SmiStatus
    paired_gsme: str
    status_before_recovery: SmiStatus
    comms_hub: str
    def __init__(self, device_id: _Optional[str] = ..., device_type: _Optional[_Union[DeviceType, str]] = ..., smets: _Optional[_Union[SmetsVersion, str]] = ..., manufacturer: _Optional[str] = ..., model: _Optional[str] = ..., firmware_version: _Optional[str] = ..., status: _Optional[_Union[SmiStatus, str]] = ..., mpxn: _Optional[str] = ..., esme_variant: _Optional[str] = ..., added_by: _Optional[str] = ..., uprn: _Optional[int] = ..., status_before_suspension: _Optional[_Union[SmiStatus, str]] = ..., paired_gsme: _Optional[str] = ..., status_before_recovery: _Optional[_Union[SmiStatus, str]] = ..., comms_hub: _Optional[str] = ...) -> None: ...

class User(_message.Message):
    __slots__ = ("user_id", "roles", "suspended", "interface_version", "name")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ROLES_FIELD_NUMBER: _ClassVar[int]
    SUSPENDED_FIELD_NUMBER: _ClassVar[int]
    INTERFACE_VERSION_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    roles: _containers.RepeatedScalarFieldContainer[UserRole]
    suspended: bool
    interface_version: str
    name: str
    def __init__(self, user_id: _Optional[str] = ..., roles: _Optional[_Iterable[_Union[UserRole, str]]] = ..., suspended: _Optional[bool] = ..., interface_version: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class CplEntry(_message.Message):
    __slots__ = ("manufacturer", "model", "firmware_version", "status", "image_hash")
    MANUFACTURER_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    FIRMWARE_VERSION_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    IMAGE_HASH_FIELD_NUMBER: _ClassVar[int]
    manufacturer: str
    model: str
    firmware_version: str
    status: CplStatus
    image_hash: bytes
    def __init__(self, manufacturer: _Optional[str] = ..., model: _Optional[str] = ..., firmware_version: _Optional[str] = ..., status: _Optional[_Union[CplStatus, str]] = ..., image_hash: _Optional[bytes] = ...) -> None: ...
