"""The Service Request Matrix: who may send which SRV, with which Command Variants, to what."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum
from types import MappingProxyType

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


@dataclass(frozen=True, slots=True)
class ServiceDefinition:
    srv: str
    name: str
    critical: bool
    future_dated: str  # "No", "Device", "DSP" or "DSP & Device"
    dcc_scheduled: bool  # may be the subject of a DCC Schedule (5.1)
    non_device: bool
    roles: frozenset[UserRole]
    command_variants: frozenset[CommandVariant]

    @property
    def can_be_future_dated(self) -> bool:
        return self.future_dated != "No"


def _definition(row: tuple[str, str, bool, str, bool, bool, str, str]) -> ServiceDefinition:
    srv, name, _critical, future_dated, dcc_scheduled, non_device, roles, cvs = row
    variants = frozenset(CommandVariant(int(cv)) for cv in cvs.split(","))
    return ServiceDefinition(
        srv=srv,
        name=name,
        critical=any(cv.is_critical for cv in variants),
        future_dated=future_dated,
        dcc_scheduled=dcc_scheduled,
        non_device=non_device,
        roles=frozenset(UserRole(r) for r in roles.split(",")),
        command_variants=variants,
    )


SERVICE_MATRIX: Mapping[str, ServiceDefinition] = MappingProxyType(
    {row[0]: _definition(row) for row in MATRIX_ROWS}
)
