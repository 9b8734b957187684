"""A device's Home Area Network state: what 8.7 join / 8.8 unjoin, 8.9 Read Device Log, 8.11
Update HAN Device Log and 8.12.x restore read and write.

- A CHF keeps its *device log*: the HAN devices allowed to join the HAN (its whitelist), each with
  the install code it was given, and a short history of the entries it has removed.
- Every other device (ESME, GSME, GPF, PPMID, HCALCS) keeps the devices it is joined to.

Devices know nothing of the DSP: what to join or log is decided by the caller. Most devices of a
large fleet never see a HAN command, so a device has no HanState until its first one
(`han_of`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from dccsim.devices.kinds import DeviceType

if TYPE_CHECKING:
    from dccsim.devices.device import SimulatedDevice

# The MMC schema bounds a CHF's device log at 16 entries (CHFDeviceLogType); dccsim gives every
# device log the same capacity.
DEVICE_LOG_CAPACITY = 16


class HanStatus(StrEnum):
    """The GBCS ASN.1 statuses a join, unjoin or restore answers with (MMC `ASN1Status`)."""

    SUCCESS = "success"
    INVALID_JOIN_METHOD_AND_ROLE = "invalidJoinMethodAndRole"
    INCOMPATIBLE_WITH_EXISTING_ENTRY = "incompatibleWithExistingEntry"
    DEVICE_LOG_FULL = "deviceLogFull"
    OTHER_DEVICE_NOT_IN_DEVICE_LOG = "otherDeviceNotInDeviceLog"


@dataclass(frozen=True, slots=True)
class JoinedDevice:
    """An entry of a (non-CHF) device's log. `device_type` None: a Type 2 device (IHD, CAD) the
    caller did not know."""

    device_id: str
    device_type: DeviceType | None


@dataclass(frozen=True, slots=True)
class WhitelistEntry:
    """An entry of a CHF's device log (8.11 AddDeviceToCHFWhitelist)."""

    device_id: str
    install_code: bytes
    join_time_period: int  # seconds the device may take to join
    written_at: datetime  # when the entry was last written (LastCommunicationsDateTime)


DeviceLogEntry = JoinedDevice | WhitelistEntry


@dataclass(slots=True)
class HanState:
    """A device's HAN state; a CHF uses `whitelist` and `removed`, other devices `joined`.
    (A dataclass, so that the DSP's fingerprint and snapshots see every field.)"""

    joined: dict[str, JoinedDevice] = field(default_factory=dict)
    whitelist: dict[str, WhitelistEntry] = field(default_factory=dict)
    removed: list[WhitelistEntry] = field(default_factory=list)  # newest last, at most 16

    # -- joins (8.7, 8.8, 8.12.2) ---------------------------------------------------------------

    def join(self, other: JoinedDevice) -> HanStatus:
        existing = self.joined.get(other.device_id)
        if existing is not None:
            # Joining again refreshes the binding; the same EUI as another kind of device is not
            # the device that joined.
            if existing.device_type is not other.device_type:
                return HanStatus.INCOMPATIBLE_WITH_EXISTING_ENTRY
            return HanStatus.SUCCESS
        if len(self.joined) >= DEVICE_LOG_CAPACITY:
            return HanStatus.DEVICE_LOG_FULL
        self.joined[other.device_id] = other
        return HanStatus.SUCCESS

    def unjoin(self, other_id: str) -> HanStatus:
        if self.joined.pop(other_id, None) is None:
            return HanStatus.OTHER_DEVICE_NOT_IN_DEVICE_LOG
        return HanStatus.SUCCESS

    # -- the CHF's device log (8.11, 8.12.1) ----------------------------------------------------

    def add_to_log(self, entry: WhitelistEntry) -> HanStatus:
        if entry.device_id not in self.whitelist and len(self.whitelist) >= DEVICE_LOG_CAPACITY:
            return HanStatus.DEVICE_LOG_FULL
        self.whitelist[entry.device_id] = entry
        return HanStatus.SUCCESS

    def remove_from_log(self, device_id: str) -> HanStatus:
        entry = self.whitelist.pop(device_id, None)
        if entry is None:
            return HanStatus.OTHER_DEVICE_NOT_IN_DEVICE_LOG
        self.removed.append(entry)
        del self.removed[:-DEVICE_LOG_CAPACITY]
        return HanStatus.SUCCESS

    def log(self) -> tuple[WhitelistEntry, ...]:
        return tuple(self.whitelist.values())

    def joined_devices(self) -> tuple[JoinedDevice, ...]:
        return tuple(self.joined.values())


def han_of(device: SimulatedDevice) -> HanState:
    """The device's HAN state, made at its first HAN command."""
    if device.han is None:
        device.han = HanState()
    return device.han


def han_if_any(device: SimulatedDevice) -> HanState | None:
    """The device's HAN state without making one: reading an untouched device costs nothing."""
    return device.han
