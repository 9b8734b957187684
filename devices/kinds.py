"""What a device is: its type and the SMETS generation it follows."""

from __future__ import annotations

from enum import StrEnum


class DeviceType(StrEnum):
    """DUIS device types (the `sr:DeviceType` enumeration)."""

    ESME = "ESME"
    GSME = "GSME"
    GPF = "GPF"
    CHF = "CHF"
    PPMID = "PPMID"
    HCALCS = "HCALCS"
    IHD = "IHD"
    CAD = "CAD"

    @property
    def is_gas(self) -> bool:
        """Gas devices answer to the gas supplier and the gas transporter."""
        return self in (DeviceType.GSME, DeviceType.GPF)

    @property
    def on_cpl(self) -> bool:
        """IHDs and CADs are not on the Central Products List (CPL-03)."""
        return self not in (DeviceType.IHD, DeviceType.CAD)


class SmetsVersion(StrEnum):
    SMETS1 = "SMETS1"
    SMETS2 = "SMETS2"
