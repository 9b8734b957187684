"""The device alerts a simulated device can raise on its own (SRV-06): their GBCS codes and names
(shared/reference/gbcs-message-and-alert-codes.txt), the device types that raise them, who hears
of them, the GBCS message that carries them and the MMC payload they bring.

Recipients (decision, from GBCS's alert list and DUIS's routing of device alerts): every alert
goes to the device's Responsible Supplier (the Import Supplier for electricity devices, the Gas
Supplier for gas devices); the alerts that concern the network -- supply interrupted, supply
outage restored, voltage and current quality -- go to the Network Operator as well (the
Electricity Distributor for an ESME; the Gas Transporter for a GSME's uncontrolled or excess gas
flow). An alert caused by a request goes to that request's sender in place of the supplier.

Message codes (decision): the outage-restored alerts travel in ECS80 "Supply Outage Restore Alert
from ESME" (0x0067), which carries the interruption and restoration times (MMC
SupplyOutageRestoreAlert); every other alert in GBCS's generic alert messages, 0x1000 Generic
Critical Alert for the alerts that change or threaten the supply (supply disabled, locked,
interrupted) and 0x1001 Generic Non Critical Alert otherwise.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum, StrEnum

from dccsim.devices.codes import AlertCode
from dccsim.devices.kinds import DeviceType


class AlertMessageCode(IntEnum):
    """The GBCS messages that carry a device's own alerts."""

    SUPPLY_OUTAGE_RESTORE = 0x0067  # ECS80 Supply Outage Restore Alert from ESME
    GENERIC_CRITICAL = 0x1000  # Generic Critical Alert
    GENERIC_NON_CRITICAL = 0x1001  # Generic Non Critical Alert


class DeviceAlertCode(IntEnum):
    """The device-originated alerts dccsim supports (GBCS alert codes)."""

    # -- power: outage and restoration, quality ----------------------------------------------
    SUPPLY_INTERRUPTED = 0x8F57  # the ESME's power outage alert
    SUPPLY_INTERRUPTED_PHASE_1 = 0x8F58
    SUPPLY_INTERRUPTED_PHASE_2 = 0x8F59
    SUPPLY_INTERRUPTED_PHASE_3 = 0x8F5A
    SUPPLY_OUTAGE_RESTORED = 0x8F35
    SUPPLY_OUTAGE_RESTORED_LONG = 0x8F36  # outage >= 3 minutes
    SUPPLY_OUTAGE_RESTORED_PHASE_1 = 0x8F37
    SUPPLY_OUTAGE_RESTORED_PHASE_1_LONG = 0x8F38
    SUPPLY_OUTAGE_RESTORED_PHASE_2 = 0x8F39
    SUPPLY_OUTAGE_RESTORED_PHASE_2_LONG = 0x8F3A
    SUPPLY_OUTAGE_RESTORED_PHASE_3 = 0x8F3B
    SUPPLY_OUTAGE_RESTORED_PHASE_3_LONG = 0x8F3C
    OVER_CURRENT = 0x8010
    EXTREME_OVER_VOLTAGE = 0x8020
    VOLTAGE_SWELL = 0x8024
    EXTREME_UNDER_VOLTAGE = 0x8028
    VOLTAGE_SAG = 0x802C
    LOAD_LIMIT_EXCEEDED = 0x8F01  # Active Power Import above Load Limit Threshold
    SUPPLY_ARMED_BY_LOAD_LIMIT = 0x8F33  # Supply Disabled then Armed - Load Limit triggered
    GSME_POWER_SUPPLY_LOSS = 0x8F1D
    LOW_BATTERY_CAPACITY = 0x8F1F
    # -- gas flow ------------------------------------------------------------------------------
    EXCESS_GAS_FLOW = 0x81B4  # Excess Gas Flow Beyond Meter Capacity
    REVERSE_GAS_FLOW = 0x81B6  # Flow Sensor Detects Reverse Flow of Gas
    SUPPLY_ARMED_BY_UNCONTROLLED_GAS_FLOW = 0x81BF
    # -- tamper --------------------------------------------------------------------------------
    TAMPER_DETECTED = 0x8F3F  # Unauthorised Physical Access - Tamper Detect
    BATTERY_COVER_REMOVED = 0x8F73
    METER_COVER_REMOVED = 0x8F74
    STRONG_MAGNETIC_FIELD = 0x8F75
    TERMINAL_COVER_REMOVED = 0x8F76
    TILT_TAMPER = 0x81C3
    SUPPLY_LOCKED_BY_TAMPER = 0x81BE  # Supply Disabled Then Locked - Supply Tamper State Cause
    INTEGRITY_WARNING = 0x81A0  # Smart Meter Integrity Issue - Warning
    # -- credit and supply (prepayment; devices.prepayment.PrepaymentAlert raises these) ----------
    LOW_CREDIT = 0x810D  # Combined Credit Below Low Credit Threshold (prepayment mode)
    EMERGENCY_CREDIT_AVAILABLE = 0x8119
    SUPPLY_ARMED_BY_EMERGENCY_CREDIT = 0x8168
    TIME_DEBT_1_CLEARED = 0x81A7
    TIME_DEBT_2_CLEARED = 0x81A8
    PAYMENT_DEBT_CLEARED = 0x81A9
    EMERGENCY_CREDIT_EXHAUSTED = 0x81AA
    EMERGENCY_CREDIT_ACTIVATED = 0x81AB
    CREDIT_BELOW_DISABLEMENT_THRESHOLD = 0x8F0F
    SUPPLY_ARMED = 0x8F32
    MAX_METER_BALANCE_EXCEEDED = 0x8F47
    DUPLICATE_UTRN = 0x8F51
    UTRN_EXCEEDS_MAX_CREDIT = 0x8F5B


# -- payloads (MMC DeviceAlertMessagePayload) ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class SupplyOutageRestore:
    """SupplyOutageRestoreAlert (0x8F35..0x8F3C): when the supply went and when it came back
    (None: when the alert is raised)."""

    interrupted_at: datetime
    restored_at: datetime | None = None


class IntegrityWarningKind(StrEnum):
    """SmartMeterIntegrityIssueWarningDeviceAlert's Warning (0x81A0), in MMC's words."""

    OTHER = "Other"
    NON_VOLATILE_MEMORY = "Error Non Volatile Memory"
    PROGRAM_EXECUTION = "Error Program Execution"
    PROGRAM_STORAGE = "Error Program Storage"
    RAM = "Error RAM"
    UNEXPECTED_HARDWARE_RESET = "Error Unexpected Hardware Reset"
    WATCHDOG = "Error Watchdog"
    METROLOGY_FIRMWARE = "Error Metrology Firmware Verification Failure"
    MEASUREMENT_FAULT = "Error Measurement Fault"
    UNSPECIFIED = "Unspecified Smart Meter Operational Integrity Error"


@dataclass(frozen=True, slots=True)
class IntegrityWarning:
    """SmartMeterIntegrityIssueWarningDeviceAlert (0x81A0)."""

    warning: IntegrityWarningKind = IntegrityWarningKind.OTHER


DeviceAlertPayload = SupplyOutageRestore | IntegrityWarning


class PayloadKind(StrEnum):
    """Which MMC payload an alert carries (none for most)."""

    NONE = "none"
    SUPPLY_OUTAGE_RESTORE = "SupplyOutageRestoreAlert"
    INTEGRITY_WARNING = "SmartMeterIntegrityIssueWarningDeviceAlert"


# -- the catalogue ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AlertSpec:
    code: DeviceAlertCode
    name: str  # GBCS's name (the reference list), the AlertDescription
    device_types: frozenset[DeviceType]
    to_network_operator: bool
    message_code: AlertMessageCode
    payload: PayloadKind = PayloadKind.NONE


_ESME = frozenset({DeviceType.ESME})
_GSME = frozenset({DeviceType.GSME})
_METERS = frozenset({DeviceType.ESME, DeviceType.GSME})
_CRITICAL = AlertMessageCode.GENERIC_CRITICAL
_NON_CRITICAL = AlertMessageCode.GENERIC_NON_CRITICAL
_RESTORE = AlertMessageCode.SUPPLY_OUTAGE_RESTORE
_C = DeviceAlertCode

_TABLE: tuple[tuple[DeviceAlertCode, str, frozenset[DeviceType], bool, AlertMessageCode], ...] = (
    (_C.SUPPLY_INTERRUPTED, "Supply interrupted", _ESME, True, _CRITICAL),
    (_C.SUPPLY_INTERRUPTED_PHASE_1, "Supply interrupted on Phase 1", _ESME, True, _CRITICAL),
    (_C.SUPPLY_INTERRUPTED_PHASE_2, "Supply interrupted on Phase 2", _ESME, True, _CRITICAL),
    (_C.SUPPLY_INTERRUPTED_PHASE_3, "Supply interrupted on Phase 3", _ESME, True, _CRITICAL),
    (_C.SUPPLY_OUTAGE_RESTORED, "Supply Outage Restored", _ESME, True, _RESTORE),
    (
        _C.SUPPLY_OUTAGE_RESTORED_LONG,
        "Supply Outage Restored - Outage >= 3 minutes",
        _ESME,
        True,
        _RESTORE,
    ),
    (_C.SUPPLY_OUTAGE_RESTORED_PHASE_1, "Supply Outage Restored on Phase 1", _ESME, True, _RESTORE),
    (
        _C.SUPPLY_OUTAGE_RESTORED_PHASE_1_LONG,
        "Supply Outage Restored on Phase 1 Restored - Outage >= 3 minutes",
        _ESME,
        True,
        _RESTORE,
    ),
    (
        _C.SUPPLY_OUTAGE_RESTORED_PHASE_2,
        "Supply Outage Restored on Phase 2 Restored",
        _ESME,
        True,
        _RESTORE,
    ),
    (
        _C.SUPPLY_OUTAGE_RESTORED_PHASE_2_LONG,
        "Supply Outage Restored on Phase 2 Restored - Outage >= 3 minutes",
        _ESME,
        True,
        _RESTORE,
    ),
    (
        _C.SUPPLY_OUTAGE_RESTORED_PHASE_3,
        "Supply Outage Restored on Phase 3 Restored",
        _ESME,
        True,
        _RESTORE,
    ),
    (
        _C.SUPPLY_OUTAGE_RESTORED_PHASE_3_LONG,
        "Supply Outage Restored on Phase 3 Restored - Outage >= 3 minutes",
        _ESME,
        True,
        _RESTORE,
    ),
    (_C.OVER_CURRENT, "Over Current", _ESME, True, _NON_CRITICAL),
    (
        _C.EXTREME_OVER_VOLTAGE,
        "RMS Voltage above Extreme Over Voltage Threshold",
        _ESME,
        True,
        _NON_CRITICAL,
    ),
    (_C.VOLTAGE_SWELL, "RMS Voltage above Voltage Swell Threshold", _ESME, True, _NON_CRITICAL),
    (
        _C.EXTREME_UNDER_VOLTAGE,
        "RMS Voltage below Extreme Under Voltage Threshold",
        _ESME,
        True,
        _NON_CRITICAL,
    ),
    (_C.VOLTAGE_SAG, "RMS Voltage below Voltage Sag Threshold", _ESME, True, _NON_CRITICAL),
    (
        _C.LOAD_LIMIT_EXCEEDED,
        "Active Power Import above Load Limit Threshold",
        _ESME,
        False,
        _NON_CRITICAL,
    ),
    (
        _C.SUPPLY_ARMED_BY_LOAD_LIMIT,
        "Supply Disabled then Armed - Load Limit triggered",
        _ESME,
        False,
        _CRITICAL,
    ),
    (_C.GSME_POWER_SUPPLY_LOSS, "GSME Power Supply Loss", _GSME, False, _NON_CRITICAL),
    (_C.LOW_BATTERY_CAPACITY, "Low Battery Capacity", _GSME, False, _NON_CRITICAL),
    (_C.EXCESS_GAS_FLOW, "Excess Gas Flow Beyond Meter Capacity", _GSME, True, _NON_CRITICAL),
    (_C.REVERSE_GAS_FLOW, "Flow Sensor Detects Reverse Flow of Gas", _GSME, True, _NON_CRITICAL),
    (
        _C.SUPPLY_ARMED_BY_UNCONTROLLED_GAS_FLOW,
        "Supply Disabled Then Armed - Uncontrolled Gas Flow Rate",
        _GSME,
        True,
        _CRITICAL,
    ),
    (
        _C.TAMPER_DETECTED,
        "Unauthorised Physical Access - Tamper Detect",
        _METERS,
        False,
        _NON_CRITICAL,
    ),
    (
        _C.BATTERY_COVER_REMOVED,
        "Unauthorised Physical Access - Battery Cover Removed",
        _GSME,
        False,
        _NON_CRITICAL,
    ),
    (
        _C.METER_COVER_REMOVED,
        "Unauthorised Physical Access - Meter Cover Removed",
        _METERS,
        False,
        _NON_CRITICAL,
    ),
    (
        _C.STRONG_MAGNETIC_FIELD,
        "Unauthorised Physical Access - Strong Magnetic field",
        _METERS,
        False,
        _NON_CRITICAL,
    ),
    (
        _C.TERMINAL_COVER_REMOVED,
        "Unauthorised Physical Access - Terminal Cover Removed",
        _ESME,
        False,
        _NON_CRITICAL,
    ),
    (_C.TILT_TAMPER, "Tilt Tamper", _GSME, False, _NON_CRITICAL),
    (
        _C.SUPPLY_LOCKED_BY_TAMPER,
        "Supply Disabled Then Locked - Supply Tamper State Cause",
        _METERS,
        False,
        _CRITICAL,
    ),
    (_C.INTEGRITY_WARNING, "Smart Meter Integrity Issue - Warning", _METERS, False, _NON_CRITICAL),
    (
        _C.LOW_CREDIT,
        "Combined Credit Below Low Credit Threshold (prepayment mode)",
        _METERS,
        False,
        _NON_CRITICAL,
    ),
    (
        _C.EMERGENCY_CREDIT_AVAILABLE,
        "Emergency Credit Has Become Available (prepayment mode)",
        _METERS,
        False,
        _NON_CRITICAL,
    ),
    (
        _C.SUPPLY_ARMED_BY_EMERGENCY_CREDIT,
        "Supply Disabled then Armed - Activate Emergency Credit triggered",
        _METERS,
        False,
        _CRITICAL,
    ),
    (
        _C.TIME_DEBT_1_CLEARED,
        "Debt Collection Completed - Time Debt 1",
        _METERS,
        False,
        _NON_CRITICAL,
    ),
    (
        _C.TIME_DEBT_2_CLEARED,
        "Debt Collection Completed - Time Debt 2",
        _METERS,
        False,
        _NON_CRITICAL,
    ),
    (
        _C.PAYMENT_DEBT_CLEARED,
        "Debt Collection Completed - Payment Debt",
        _METERS,
        False,
        _NON_CRITICAL,
    ),
    (_C.EMERGENCY_CREDIT_EXHAUSTED, "Emergency Credit Exhausted", _METERS, False, _NON_CRITICAL),
    (_C.EMERGENCY_CREDIT_ACTIVATED, "Emergency Credit Activated", _METERS, False, _NON_CRITICAL),
    (
        _C.CREDIT_BELOW_DISABLEMENT_THRESHOLD,
        "Credit Below Disablement Threshold (prepayment mode)",
        _METERS,
        False,
        _CRITICAL,
    ),
    (_C.SUPPLY_ARMED, "Supply Armed", _METERS, False, _CRITICAL),
    (
        _C.MAX_METER_BALANCE_EXCEEDED,
        "Credit would cause Meter Balance to exceed Maximum Meter Balance Threshold",
        _METERS,
        False,
        _NON_CRITICAL,
    ),
    (_C.DUPLICATE_UTRN, "Duplicate UTRN entered", _METERS, False, _NON_CRITICAL),
    (
        _C.UTRN_EXCEEDS_MAX_CREDIT,
        "UTRN exceeds Maximum Credit Threshold",
        _METERS,
        False,
        _NON_CRITICAL,
    ),
)

_PAYLOADS = {
    **{
        code: PayloadKind.SUPPLY_OUTAGE_RESTORE
        for code, *_ in _TABLE
        if code.name.startswith("SUPPLY_OUTAGE_RESTORED")
    },
    _C.INTEGRITY_WARNING: PayloadKind.INTEGRITY_WARNING,
}

CATALOGUE: dict[int, AlertSpec] = {
    code: AlertSpec(code, name, types, network, message, _PAYLOADS.get(code, PayloadKind.NONE))
    for code, name, types, network, message in _TABLE
}

# The alerts a device raises in answer to a request (devices.codes.AlertCode: the firmware
# distribution receipt, a future-dated command's outcome), by GBCS's names. Named, not
# catalogued: they travel in messages of their own with payloads of their own, so a device never
# raises them unbidden (`raise-alert`, a fault rule) -- and the catalogue is what it may raise.
REQUEST_ALERT_NAMES: dict[int, str] = {
    AlertCode.FIRMWARE_VERIFICATION_FAILED: "Firmware Verification Failed",
    AlertCode.FIRMWARE_VERIFICATION_SUCCESSFUL: "Firmware Verification Successful",
    AlertCode.FUTURE_DATED_COMMAND_ACTIONED: (
        "Future-date HAN Interface Command Successfully Actioned"
    ),
    AlertCode.FUTURE_DATED_COMMAND_NOT_ACTIONED: (
        "Future-date HAN Interface Command not Successfully Actioned"
    ),
}

# An alert raised in the core with a code outside the catalogue (a family's own alert): the
# Responsible Supplier hears it, in a Generic Non Critical Alert, with no payload.
GENERIC = "Device alert"


def alert_spec(code: int) -> AlertSpec | None:
    return CATALOGUE.get(code)


def alert_message_code(code: int) -> int:
    spec = CATALOGUE.get(code)
    return spec.message_code if spec is not None else AlertMessageCode.GENERIC_NON_CRITICAL


def alert_name(code: int) -> str:
    """GBCS's name for an alert a device raises, on its own or for a request."""
    spec = CATALOGUE.get(code)
    if spec is not None:
        return spec.name
    return REQUEST_ALERT_NAMES.get(code, GENERIC)


def parse_alert_code(value: object) -> int:
    """An alert code as a file or a command line writes it: a number (`36695`), hex (`0x8F57`,
    or GBCS's four hex digits `8F57`) or a catalogue name (`SUPPLY_INTERRUPTED`,
    `supply-interrupted`). Raises ValueError for anything else."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    name = text.upper().replace("-", "_")
    if name in DeviceAlertCode.__members__:
        return int(DeviceAlertCode[name])
    try:
        if text.lower().startswith("0x"):
            return int(text, 16)
        if len(text) == 4:
            return int(text, 16)
    except ValueError:
        pass
    raise ValueError(
        f"{value!r} is not an alert code (hex like 0x8F57 or 8F57, or a name){_did_you_mean(text)}"
    )


def _did_you_mean(text: str) -> str:
    """The names nearest a misspelt one, as a misspelt command or option is told its nearest;
    failing those, the names holding it (`tamper`)."""
    names = [member.name.lower().replace("_", "-") for member in DeviceAlertCode]
    wanted = text.lower().replace("_", "-")
    near = difflib.get_close_matches(wanted, names, n=3, cutoff=0.75)
    near = near or [name for name in names if wanted and wanted in name][:3]
    if not near:
        return ""
    if len(near) == 1:
        return f"; did you mean {near[0]}?"
    return f"; did you mean one of: {', '.join(near)}?"
