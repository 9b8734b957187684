"""A meter's configuration and its logs: what the Read / Update / Set Device Configuration SRVs
(6.2.x, 6.5-6.7, 6.11-6.13, 6.20.x, 6.22, 6.25) and the display SRVs' 3.3 Clear Event Log read
and write.

- voltage settings (6.5 / 6.2.1), instantaneous power thresholds (6.12 / 6.2.5), randomisation
  (6.2.2), gas conversion and flow (6.6, 6.7 / 6.2.8), supply tamper and depletion states (6.7,
  6.25 / 6.2.4), the MPxNs the meter holds (6.20.x / 6.2.7), event and alert behaviours (6.22 /
  6.2.10) and the clock's offset from true time (6.11);
- the event, security, power event and ALCS event logs (6.13 reads them, 3.3 clears them). The
  device records real events there: each configuration command it actions (0x8154) or refuses
  (0x8155), clock adjustments (0x8145 / 0x8F0C), and the clearing of a log (0x8F52, in the
  security log).

Devices know nothing of the DSP. Most devices of a large fleet never see one of these commands,
so a device has no DeviceConfiguration until its first write (`configuration_of`); a read of an
untouched device sees `FACTORY` values and makes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dccsim.devices.device import SimulatedDevice

# The MMC schema answers at most 100 entries of a log (LogType, ALCSLogType): a device keeps its
# newest 100 of each.
LOG_CAPACITY = 100
# GBCS: a clock within 10 seconds of true time is reliable (0x8F0C's threshold).
RELIABLE_CLOCK = timedelta(seconds=10)
_RANDOMISATION_SPAN = 65_536


class SupplyState(StrEnum):
    """The tamper and depletion states DUIS names (6.7, 6.25, 6.2.4)."""

    UNCHANGED = "Unchanged"
    LOCKED = "Locked"


class LogKind(StrEnum):
    """The logs a meter keeps (6.13 LogToRead; the GSME's own kinds are read through the GPF)."""

    EVENT = "Event"
    SECURITY = "Security"
    POWER_EVENT = "PowerEvent"
    ALCS_EVENT = "ALCSEvent"


class AlertSetting(StrEnum):
    """What one alert code's behaviour is made of (the MMC/DUIS WANHANEventLogAlarm)."""

    WAN_ALERT = "WANAlert"
    HAN_ALERT = "HANAlert"
    EVENT_LOG = "EventLog"
    ALARM = "Alarm"


# Decision: as installed, a meter sends every alert over the WAN and logs every event, but shows
# none on the HAN and sounds no alarm.
FACTORY_ALERT_SETTINGS: Mapping[AlertSetting, bool] = {
    AlertSetting.WAN_ALERT: True,
    AlertSetting.HAN_ALERT: False,
    AlertSetting.EVENT_LOG: True,
    AlertSetting.ALARM: False,
}


class ClockStatus(IntEnum):
    """The clock's status a 6.11 answer reports (MMC TimeStatus, with its TimeStatusCode)."""

    RELIABLE = 0
    INVALID = 1
    UNRELIABLE = 2

    @property
    def word(self) -> str:
        return self.name.lower()


class EventCode(IntEnum):
    """The GBCS event codes the simulated meters log (gbcs-message-and-alert-codes.txt)."""

    COMMAND_ACTIONED = 0x8154
    COMMAND_NOT_ACTIONED = 0x8155
    CLOCK_ADJUSTED = 0x8145
    CLOCK_NOT_ADJUSTED = 0x8F0C
    EVENT_LOG_CLEARED = 0x8F52

    @property
    def meaning(self) -> str:
        return _MEANINGS[self]


_MEANINGS = {
    EventCode.COMMAND_ACTIONED: (
        "Immediate HAN Interface Command Received and Successfully Actioned"
    ),
    EventCode.COMMAND_NOT_ACTIONED: (
        "Immediate HAN Interface Command Received but not Successfully Actioned"
    ),
    EventCode.CLOCK_ADJUSTED: "Clock adjusted (within tolerance)",
    EventCode.CLOCK_NOT_ADJUSTED: "Clock not adjusted (adjustment greater than 10 seconds)",
    EventCode.EVENT_LOG_CLEARED: "Event Log Cleared",
}


@dataclass(frozen=True, slots=True)
class LogEntry:
    timestamp: datetime
    code: int  # the GBCS event code
    meaning: str


@dataclass(frozen=True, slots=True)
class AverageVoltage:
    """AverageRMSVoltageSettings: one phase's (or a single-phase meter's) thresholds, in volts,
    and its measurement period, in seconds."""

    over_threshold: int
    under_threshold: int
    measurement_period: int


@dataclass(frozen=True, slots=True)
class RmsVoltage:
    """RMSVoltageSettings: the extreme, sag and swell thresholds (V) and periods (s)."""

    extreme_over_period: int
    extreme_over_threshold: int
    extreme_under_period: int
    extreme_under_threshold: int
    sag_period: int
    sag_threshold: int
    swell_period: int
    swell_threshold: int


@dataclass(frozen=True, slots=True)
class VoltageSettings:
    """What 6.5 writes: `phases` holds one entry (single phase) or three (phases 1, 2, 3)."""

    rms: RmsVoltage
    phases: tuple[AverageVoltage, ...]

    @property
    def poly_phase(self) -> bool:
        return len(self.phases) == 3


# Decision: GB's 230 V nominal supply with the statutory +10 % / -6 % limits.
_FACTORY_RMS = RmsVoltage(10, 276, 10, 184, 30, 216, 30, 253)
_FACTORY_PHASE = AverageVoltage(253, 216, 600)


def factory_voltage(poly_phase: bool) -> VoltageSettings:
    return VoltageSettings(_FACTORY_RMS, (_FACTORY_PHASE,) * (3 if poly_phase else 1))


@dataclass(frozen=True, slots=True)
class GasConversion:
    """6.6: the calorific value (MJ/m3, one decimal) and conversion factor (five decimals)."""

    calorific_value: Decimal
    conversion_factor: Decimal


@dataclass(frozen=True, slots=True)
class GasFlow:
    """6.7: the uncontrolled gas flow rate (m3/h, four decimals) and its periods (s)."""

    uncontrolled_rate: Decimal
    stabilisation_period: int
    measurement_period: int


FACTORY_GAS_CONVERSION = GasConversion(Decimal("39.5"), Decimal("1.02264"))
FACTORY_GAS_FLOW = GasFlow(Decimal("6.0000"), 60, 300)
FACTORY_POWER_THRESHOLDS = (3000, 6000)  # watts: LowMedium, MediumHigh
FACTORY_RANDOMISED_OFFSET_LIMIT = 1800  # seconds


@dataclass(slots=True)
class DeviceConfiguration:
    """A meter's configuration and logs. A dataclass, so that the DSP's fingerprint and
    snapshots see every field. None in a field: the value as installed."""

    voltage: VoltageSettings | None = None
    voltage_counters_reset_at: datetime | None = None
    power_thresholds: tuple[int, int] = FACTORY_POWER_THRESHOLDS
    randomised_offset_limit: int = FACTORY_RANDOMISED_OFFSET_LIMIT
    gas_conversion: GasConversion = FACTORY_GAS_CONVERSION
    gas_flow: GasFlow = FACTORY_GAS_FLOW
    supply_tamper_state: SupplyState = SupplyState.UNCHANGED
    supply_depletion_state: SupplyState = SupplyState.UNCHANGED
    # None: the MPxN the meter was installed with (the SMI's, which the DSP knows).
    import_mpxn: str | None = None
    secondary_import_mpan: str | None = None
    export_mpan: str | None = None
    # (alert code, setting) -> enabled, for the settings written; the rest are factory.
    alert_settings: dict[tuple[int, AlertSetting], bool] = field(default_factory=dict)
    clock_offset: timedelta = timedelta(0)
    logs: dict[LogKind, list[LogEntry]] = field(default_factory=dict)

    # -- alert behaviours (6.22, 6.2.10) --------------------------------------------------------

    def alert_setting(self, code: int, setting: AlertSetting) -> bool:
        return self.alert_settings.get((code, setting), FACTORY_ALERT_SETTINGS[setting])

    def configure_alerts(self, changes: Mapping[tuple[int, AlertSetting], bool]) -> None:
        self.alert_settings.update(changes)

    # -- the clock (6.11) -----------------------------------------------------------------------

    def clock(self, now: datetime) -> datetime:
        return now + self.clock_offset

    def synchronise(self, now: datetime, current: datetime, tolerance: timedelta) -> bool:
        """Set the clock to `current` if the command arrives within its tolerance of what the
        meter's clock reads; log the outcome."""
        adjusted = abs(self.clock(now) - current) <= tolerance
        if adjusted:
            self.clock_offset = current - now
        code = EventCode.CLOCK_ADJUSTED if adjusted else EventCode.CLOCK_NOT_ADJUSTED
        self.record(LogKind.EVENT, now, code)
        return adjusted

    def clock_status(self) -> ClockStatus:
        return clock_status(self.clock_offset)

    # -- logs (6.13, 3.3) -----------------------------------------------------------------------

    def record(self, kind: LogKind, now: datetime, code: EventCode) -> None:
        """Log an event at the meter's own time, keeping the newest LOG_CAPACITY entries."""
        entries = self.logs.setdefault(kind, [])
        entries.append(LogEntry(self.clock(now), int(code), code.meaning))
        del entries[:-LOG_CAPACITY]

    def entries(self, kind: LogKind, start: datetime, end: datetime) -> tuple[LogEntry, ...]:
        """The entries of a log within [start, end], oldest first."""
        return tuple(e for e in self.logs.get(kind, ()) if start <= e.timestamp <= end)

    def clear(self, kind: LogKind, now: datetime) -> None:
        """3.3: empty a log; the clearing itself is a security event."""
        self.logs.pop(kind, None)
        self.record(LogKind.SECURITY, now, EventCode.EVENT_LOG_CLEARED)


def clock_status(offset: timedelta) -> ClockStatus:
    return ClockStatus.RELIABLE if abs(offset) <= RELIABLE_CLOCK else ClockStatus.UNRELIABLE


def randomised_offset_number(device_id: str) -> int:
    """The meter's Randomised Offset Number (0-65535): fixed per meter, as if drawn at
    manufacture; derived from its ID so that it is the same in every run."""
    digest = hashlib.sha256(device_id.encode("ascii")).digest()
    return int.from_bytes(digest[:2], "big")


def randomised_offset(device_id: str, limit: int) -> int:
    """The meter's Randomised Offset (s): its share of the Randomised Offset Limit."""
    return randomised_offset_number(device_id) * limit // _RANDOMISATION_SPAN


FACTORY = DeviceConfiguration()


def configuration_of(device: SimulatedDevice) -> DeviceConfiguration:
    """The device's configuration, made at its first write."""
    if device.configuration is None:
        device.configuration = DeviceConfiguration()
    return device.configuration


def configuration_view(device: SimulatedDevice) -> DeviceConfiguration:
    """What a read sees: the device's configuration, or the factory one without making it."""
    return device.configuration or FACTORY
