"""What the DSP sends back: synchronous answers, and the asynchronous messages of an outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dccsim.devices.alerts import DeviceAlertPayload
from dccsim.devices.codes import AlertCode, MessageCode
from dccsim.devices.credentials import ExecutionOutcome
from dccsim.devices.firmware import ActivateImageResponseCode
from dccsim.devices.kinds import DeviceType
from dccsim.server.core.codes import DccAlertCode, ResponseCode
from dccsim.server.core.quick_init import quick_init
from dccsim.server.core.records import SmiRecord
from dccsim.server.core.requests import RequestId, ServiceRequest

# -- synchronous answer bodies ------------------------------------------------------------------


@quick_init
@dataclass(frozen=True, slots=True)
class PreCommand:
    """CV 4's answer: what the user must sign and send back with CV 5 (REQ-05).

    `payload` is the core's own token for the transformed command; a layer with a GBCS form for
    `command` (the request as transformed) sends that instead (GBCS-03)."""

    gbcs_version: str
    payload: bytes
    command: ServiceRequest | None = None


@dataclass(frozen=True, slots=True)
class LocalCommand:
    """CV 2/6's answer: the command for the user to deliver locally (not executed by dccsim)."""

    payload: bytes


@dataclass(frozen=True, slots=True)
class InventoryResult:
    """8.2's answer: up to 17 device records (DSPInventory)."""

    devices: tuple[SmiRecord, ...]
    cpl_status: tuple[str | None, ...]  # DUIS CPLStatus value of each device's firmware


@dataclass(frozen=True, slots=True)
class UpdateFirmwareWarnings:
    """11.1's answer (DSPUpdateFirmwareWarning): the devices the image was *not* sent to."""

    invalid_device_ids: tuple[str, ...] = ()
    not_commissioned: tuple[str, ...] = ()
    not_applicable_firmware: tuple[str, ...] = ()
    other_request_in_progress: tuple[str, ...] = ()

    @property
    def any(self) -> bool:
        return bool(
            self.invalid_device_ids
            or self.not_commissioned
            or self.not_applicable_firmware
            or self.other_request_in_progress
        )


@dataclass(frozen=True, slots=True)
class WanCoverage:
    csp_region: str
    coverage_available: bool
    wan_technology: str
    connectivity_likelihood: str


@dataclass(frozen=True, slots=True)
class WanMatrixResult:
    """12.1's answer."""

    uprn: int | None
    postcode: str | None
    address_identifier: str | None
    coverage: tuple[WanCoverage, ...]


# Open sets: every family of the SRV registry defines its own answer records (the DUIS and gRPC
# layers dispatch on their types), so these name what the core itself defines and admit the rest.
SyncBody = (
    PreCommand | LocalCommand | InventoryResult | UpdateFirmwareWarnings | WanMatrixResult | object
)


@quick_init
@dataclass(frozen=True, slots=True)
class SyncAnswer:
    """The synchronous answer to a Service Request."""

    request_id: RequestId
    srv: str
    code: ResponseCode
    body: SyncBody | None = None
    detail: str = ""  # why, for a person reading a log; not part of DUIS
    # Fault injection: the request was accepted and acted on, but this answer never reaches
    # the user (a transport would fail the call).
    acknowledgement_lost: bool = False


# -- asynchronous messages ----------------------------------------------------------------------


@quick_init
@dataclass(frozen=True, slots=True)
class FirmwareVersionRead:
    """11.2 response body (ReadFirmwareVersionRsp); a GPF adds its GSME's version."""

    firmware_version: str
    gsme_firmware_version: str | None = None


@quick_init
@dataclass(frozen=True, slots=True)
class FirmwareActivation:
    """11.3 response body (ActivateFirmwareRsp). Both fields absent: accepted for later."""

    code: ActivateImageResponseCode | None
    firmware_version: str | None


ResponseBody = FirmwareVersionRead | FirmwareActivation | object  # an open set, as SyncBody


@quick_init
@dataclass(frozen=True, slots=True)
class ServiceResponse:
    """A device's answer, relayed to the user (REQ-03). Carries what the device said (FW-10)."""

    request_id: RequestId
    response_id: str  # device:user:counter
    srv: str
    code: ResponseCode
    device_id: str
    issued_at: datetime
    body: ResponseBody | None = None
    # The DCC Schedule (5.1) whose run this answers: DUIS's DSPScheduledMessage (SRV-04).
    schedule_id: int | None = None


@quick_init
@dataclass(frozen=True, slots=True)
class DeviceAlertMessage:
    device_id: str
    message_code: MessageCode
    alert_code: AlertCode
    issued_at: datetime
    firmware_version: str | None = None
    request_id: RequestId | None = None  # the request that caused it, where there is one
    # A future-dated 6.15.1's outcome (0x00CB: UpdateSecurityCredentialsDeviceAlert).
    credentials_outcome: ExecutionOutcome | None = None
    # A future-dated DLMS COSEM command's outcome (0x00CC: COSEMFutureDatedAlert): the SRV it
    # answers and the GBCS message code of the command, where known.
    future_dated_srv: str | None = None
    command_message_code: int | None = None
    # What a device's own alert brings (SRV-06): MMC's SupplyOutageRestoreAlert and the like.
    payload: DeviceAlertPayload | None = None
    # A firmware distribution receipt's calculated image hash (GBCS 0x00CE / 0x00CF / 0x012C).
    image_hash: bytes | None = None
    # A future-dated activation's outcome (GBCS 0x00CA's responseCode), where the device said.
    activation_code: ActivateImageResponseCode | None = None


@dataclass(frozen=True, slots=True)
class DeviceStatusChange:
    """DeviceStatusChangeEvent body: DeviceSuspended or DeviceRestored."""

    restored: bool


@dataclass(frozen=True, slots=True)
class FirmwareVersionMismatch:
    """FirmwareVersionMismatch body (N50, N51, N52)."""

    device_type: DeviceType
    smi_version: str
    device_version: str


@dataclass(frozen=True, slots=True)
class ChangeOfSupplier:
    """ChangeOfSupplier body of N26; ECoSErrorCode only for users on DUIS 5.2+ (ALERT-02)."""

    request_id: RequestId
    ecos_error_code: str | None = None


@dataclass(frozen=True, slots=True)
class ScheduleRemoval:
    """DSPScheduleRemoval body: the DSP removed one of the User's DCC Schedules (SRV-04)."""

    schedule_id: int


DccAlertBody = DeviceStatusChange | FirmwareVersionMismatch | ChangeOfSupplier | ScheduleRemoval


@dataclass(frozen=True, slots=True)
class DccAlertMessage:
    code: DccAlertCode
    device_id: str
    issued_at: datetime
    body: DccAlertBody


OutboundMessage = ServiceResponse | DeviceAlertMessage | DccAlertMessage
