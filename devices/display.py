"""What a meter shows its consumer: what the display SRVs (3.1 Display Message, 3.2 Restrict
Access For Change Of Tenancy, 3.4 Update Supplier Name, 3.5 Disable Privacy PIN) write. (3.3
Clear Event Log empties a log of `dccsim.devices.configuration`.)

No DUIS SRV reads these back; they are the meter's state all the same (its display, and what a
consumer may see), kept so that a test can inspect them and snapshots hold them. A device has no
DisplayState until its first display command (`display_of`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dccsim.devices.device import SimulatedDevice


@dataclass(frozen=True, slots=True)
class ShownMessage:
    """3.1: the supplier's message and when the meter started showing it."""

    text: str
    since: datetime


@dataclass(slots=True)
class DisplayState:
    """A dataclass, so that the DSP's fingerprint and snapshots see every field."""

    message: ShownMessage | None = None
    # 3.2: data from before this instant is no longer shown to the (new) consumer.
    restricted_before: datetime | None = None
    supplier_name: str | None = None
    supplier_telephone: str | None = None
    # 3.5: the consumer's privacy PIN protects the display until a supplier disables it.
    privacy_pin_enabled: bool = True


def display_of(device: SimulatedDevice) -> DisplayState:
    """The device's display state, made at its first display command."""
    if device.display is None:
        device.display = DisplayState()
    return device.display
