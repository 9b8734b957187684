"""The Service Request Matrix: who may send which SRV, with which Command Variants, to what."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum
from types import MappingProxyType

from dccsim.devices.kinds import DeviceType
from dccsim.server.core.matrix_data import MATRIX_ROWS
from dccsim.server.core.records import UserRole


class CommandVariant(IntEnum):
    """DUIS Command Variants: 1-3 non-critical, 4-7 critical, 8 non-device."""

    NON_CRITICAL_REMOTE = 1
    NON_CRITICAL_LOCAL = 2
    NON_CRITICAL_REMOTE_AND_LOCAL = 3
    CRITICAL_TRANSFORM = 4
    CRITICAL_SIGNED_REMOTE = 5
    CRITICAL_SIGNED_LOCAL = 6
    CRITICAL_SIGNED_REMOTE_AND_LOCAL = 7
    NON_DEVICE = 8

    @property
    def is_critical(self) -> bool:
        return 4 <= self <= 7

    @property
    def is_local(self) -> bool:
        """Local delivery is involved (AUTH-09)."""
        return self in (2, 3, 6, 7)

    @property
    def is_local_only(self) -> bool:
        return self in (2, 6)


# Decisions for the matrix source's gaps (shared/reference notes them):
# - 7.16, 8.5 and 8.6 have no roles in the source; dccsim opens 7.16 (Limit APC Level, a network
#   function) to ED, and 8.5 / 8.6 (service opt out / in) to IS and GS.
# - 7.12-7.15: the sources disagree; dccsim follows the XSD's Command Variants (what a
#   schema-valid request can carry) and derives criticality from them.
_ROLE_GAPS = {"7.16": "ED", "8.5": "IS,GS", "8.6": "IS,GS"}

# Device types each *served* SRV applies to (E11, REQ-06). SRVs not listed apply to any device.
# 11.3 goes to ESME, GSME, CHF and HCALCS; PPMIDs use 11.4 and a GPF's firmware moves with its
# Comms Hub, so 11.3 to a PPMID or GPF is E11.
_DEVICE_TYPES = {
    "2.2": frozenset({DeviceType.ESME, DeviceType.GSME}),
    "6.23": frozenset({DeviceType.ESME, DeviceType.GSME}),
    "8.1.1": frozenset({DeviceType.ESME, DeviceType.GSME}),
    "11.2": frozenset(
        {
            DeviceType.ESME,
            DeviceType.GSME,
            DeviceType.GPF,
            DeviceType.CHF,
            DeviceType.PPMID,
            DeviceType.HCALCS,
        }
    ),
    "11.3": frozenset({DeviceType.ESME, DeviceType.GSME, DeviceType.CHF, DeviceType.HCALCS}),
}


@dataclass(frozen=True, slots=True)
class ServiceDefinition:
    srv: str
    name: str
    critical: bool
    future_dated: str  # "No", "Device", "DSP" or "DSP & Device"
    non_device: bool
    roles: frozenset[UserRole]
    command_variants: frozenset[CommandVariant]
    device_types: frozenset[DeviceType] | None  # None: not restricted by the simulator

    @property
    def can_be_future_dated(self) -> bool:
        return self.future_dated != "No"

    def applies_to(self, device_type: DeviceType) -> bool:
        return self.device_types is None or device_type in self.device_types


def _definition(row: tuple[str, str, bool, str, bool, str, str]) -> ServiceDefinition:
    srv, name, _critical, future_dated, non_device, roles, cvs = row
    variants = frozenset(CommandVariant(int(cv)) for cv in cvs.split(","))
    role_text = roles or _ROLE_GAPS.get(srv, "")
    return ServiceDefinition(
        srv=srv,
        name=name,
        critical=any(cv.is_critical for cv in variants),
        future_dated=future_dated,
        non_device=non_device,
        roles=frozenset(UserRole(r) for r in role_text.split(",") if r),
        command_variants=variants,
        device_types=_DEVICE_TYPES.get(srv),
    )


SERVICE_MATRIX: Mapping[str, ServiceDefinition] = MappingProxyType(
    {row[0]: _definition(row) for row in MATRIX_ROWS}
)

# The SRVs whose behaviour the simulator serves in full; every other SRV is validated and
# authorised, then answered "not simulated".
SERVED_SRVS = frozenset({"2.2", "6.23", "8.1.1", "8.2", "8.4", "11.1", "11.2", "11.3", "12.1"})
