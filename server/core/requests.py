"""Service Requests as typed records: the RequestID, the header and one body per served SRV."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from dccsim.devices.kinds import SmetsVersion
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.eui import canonical_eui64
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.quick_init import quick_init
from dccsim.server.core.records import SmiStatus, UserRole

MAX_COUNTER = 2**64 - 1
# DUIS caps FirmwareImage at 10,240,000 base64 characters, i.e. 7,680,000 bytes.
MAX_FIRMWARE_IMAGE_BYTES = 10_240_000 // 4 * 3
# DUIS's convention for cancelling a future-dated 11.3: an ExecutionDateTime of 3000-12-31.
CANCELLATION_DATETIME = datetime(3000, 12, 31, tzinfo=UTC)

_COUNTER = re.compile(r"[0-9]{1,20}")


@quick_init
@dataclass(frozen=True, slots=True)
class RequestId:
    """`originator:target:counter` (REQ-01)."""

    originator: str
    target: str
    counter: int

    @classmethod
    def parse(cls, text: object, field: str = "request_id") -> RequestId:
        if not isinstance(text, str):
            raise InvalidField(field, f"{text!r} is not a RequestID")
        parts = text.split(":")
        if len(parts) != 3:
            raise InvalidField(field, f"{text!r} is not 'originator:target:counter'")
        originator = canonical_eui64(parts[0], f"{field}.originator")
        target = canonical_eui64(parts[1], f"{field}.target")
        if _COUNTER.fullmatch(parts[2]) is None or int(parts[2]) > MAX_COUNTER:
            raise InvalidField(
                f"{field}.counter", f"{parts[2]!r} is not an unsigned 64-bit decimal counter"
            )
        return cls(originator, target, int(parts[2]))

    def __str__(self) -> str:
        return f"{self.originator}:{self.target}:{self.counter}"


# -- bodies --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TopUpDevice:
    """2.2: a 20-digit Unique Transaction Reference Number."""

    utrn: str


@dataclass(frozen=True, slots=True)
class UpdateSecurityCredentialsCoS:
    """6.23: the incoming supplier replaces the outgoing one's credentials on the device."""

    import_mpxn: str


@dataclass(frozen=True, slots=True)
class CommissionDevice:
    """8.1.1: sets the device clock; the device is then Commissioned."""


@dataclass(frozen=True, slots=True)
class ReadInventory:
    """8.2: exactly one search key."""

    device_id: str | None = None
    mpxn: str | None = None
    uprn: int | None = None


@dataclass(frozen=True, slots=True)
class StatusChange:
    """8.4 UpdateDeviceStatusExceptCH / UpdateDeviceStatusCH."""

    new_status: SmiStatus


@dataclass(frozen=True, slots=True)
class DeviceDetailsChange:
    """8.4 UpdateDeviceDetails: only the fields given are changed."""

    manufacturer: str | None = None
    model: str | None = None
    smets: SmetsVersion | None = None
    firmware_version: str | None = None
    esme_variant: str | None = None

    @property
    def only_esme_variant(self) -> bool:
        return self.esme_variant is not None and (
            self.manufacturer,
            self.model,
            self.smets,
            self.firmware_version,
        ) == (None, None, None, None)


@dataclass(frozen=True, slots=True)
class DeleteDevice:
    """8.4 DeleteDevice."""


@dataclass(frozen=True, slots=True)
class MpxnChange:
    """8.4 UpdateMPxN."""

    import_mpxn: str


InventoryChange = StatusChange | DeviceDetailsChange | DeleteDevice | MpxnChange


@dataclass(frozen=True, slots=True)
class UpdateInventory:
    device_id: str
    change: InventoryChange


@dataclass(frozen=True, slots=True)
class UpdateFirmware:
    """11.1: an image, its firmware version and the devices to distribute it to."""

    image: bytes
    firmware_version: str
    device_ids: tuple[str, ...]


@quick_init
@dataclass(frozen=True, slots=True)
class ReadFirmwareVersion:
    """11.2 has no body data beyond an optional ExecutionDateTime."""


@quick_init
@dataclass(frozen=True, slots=True)
class ActivateFirmware:
    """11.3: the SHA-256 of the image to activate."""

    firmware_hash: bytes


@dataclass(frozen=True, slots=True)
class RequestWanMatrix:
    """12.1: by UPRN, or by postcode and address identifier."""

    uprn: int | None = None
    postcode: str | None = None
    address_identifier: str | None = None


@quick_init
@dataclass(frozen=True, slots=True)
class SignedPreCommand:
    """CV 5/6/7 second leg: the PreCommand payload returned by CV 4, signed by the user."""

    payload: bytes


@dataclass(frozen=True, slots=True)
class NoBody:
    """Body of an SRV that the simulator validates and authorises but does not simulate."""


RequestBody = (
    TopUpDevice
    | UpdateSecurityCredentialsCoS
    | CommissionDevice
    | ReadInventory
    | UpdateInventory
    | UpdateFirmware
    | ReadFirmwareVersion
    | ActivateFirmware
    | RequestWanMatrix
    | SignedPreCommand
    | NoBody
    # an open set: each family of the SRV registry defines the bodies of its SRVs
    | object
)


@quick_init
@dataclass(frozen=True, slots=True)
class ServiceRequest:
    request_id: RequestId
    srv: str
    command_variant: CommandVariant
    body: RequestBody
    execution_datetime: datetime | None = None
    # Optional: when absent the DSP picks the user's role that the SRV and device call for.
    user_role: UserRole | None = None

    @property
    def is_cancellation(self) -> bool:
        return self.execution_datetime == CANCELLATION_DATETIME
