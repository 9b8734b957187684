"""Device configuration SRVs: the Read Device Configuration reads 6.2.1 (Voltage), 6.2.2
(Randomisation), 6.2.4 (Identity Exc MPxN), 6.2.5 (Instantaneous Power Thresholds), 6.2.7 (MPxN),
6.2.8 (Gas) and 6.2.10 (Event and Alert Behaviours); the writes 6.5 (Voltage), 6.6 (Gas
Conversion), 6.7 (Gas Flow), 6.11 Synchronise Clock, 6.12 (Instantaneous Power Threshold), 6.20.1
Set Import MPxN, 6.20.2 Set Export MPAN, 6.22 Configure Alert Behaviour and 6.25 Set Electricity
Supply Tamper State; and 6.13 Read Event Or Security Log. What the meter holds is
`dccsim.devices.configuration`'s.

Device types (REQ-06, E11), from the GBCS use cases the RTDS templates name:
- ESME only: 6.2.1, 6.2.2, 6.2.5, 6.5, 6.12, 6.20.2, 6.25 (ECS26b/c/f/k, ECS29x, ECS34, ECS39b,
  ECS81). GSME only: 6.2.8, 6.6, 6.7 (GCS21a, GCS23, GCS24).
- ESME and GSME: 6.2.7, 6.2.10, 6.11, 6.20.1, 6.22. 6.2.4: ESME, GSME, GPF and CHF (ECS26e/m,
  GCS21e/m, ECS26i/n). 6.13: every device type (ECS35x, CS10a/b to any ZigBee device).

Decisions (DUIS and SPEC are silent; docs/decisions.md "Device configuration and display"):
- Every body is checked as DUIS types it; beyond the schema, 6.5's three PolyPhaseVoltageSettings
  name phases 1, 2 and 3 once each, 6.12's MediumHighPowerThreshold is not below its
  LowMediumPowerThreshold, 6.13's period does not end before it starts, and 6.22 names each alert
  code once (InvalidField in each case).
- Content for the other fuel (an ImportMPRN to an ESME, ImportMPANs to a GSME, electricity alert
  settings to a GSME, gas ones to an ESME) reaches the meter, which refuses it: it changes nothing,
  logs 0x8155 (command not actioned) and answers the SRV's empty response. The pipeline has no
  device-level error response for it.
- 6.20.1 / 6.20.2 set the MPxN the meter holds (6.2.7 reads it); the SMI does not follow. The SMI's
  MPxN is what the DSP authorises by (AUTH-05), and DUIS changes it only with 8.4
  UpdateInventory, so 8.2 keeps showing it. Until a 6.20.x, a meter holds the SMI's MPxN (what it
  was installed with).
- 6.22 writes the behaviour it names (WAN alert, HAN alert, alarm or logging) for each code; a
  code not written keeps its factory behaviour (WAN alert and logging on, HAN alert and alarm off).
  6.2.10 answers the ESME's supplier settings to a supplier and its network operator settings to
  an ED (a user acting as ED, or holding ED and not IS), each code of the schema's lists; a GSME
  answers GasSupplierAlertEventSettings. An ESME whose SMI ESME Variant contains C (polyphase), or
  whose 6.5 sent three phases, reports the polyphase codes; otherwise the single-phase ones.
- 6.11: the meter sets its clock to CurrentDateTime when its own clock is within TolerancePeriod of
  it (logging 0x8145), and otherwise leaves it (0x8F0C). The answer carries the meter's time and
  its clock status: reliable within 10 seconds of true time, else unreliable.
- 6.5 without RMSVoltageCountersNotReset resets the RMS voltage counters (the time is kept).
  6.2.1 answers what the meter holds; the MMC answer has no measurement periods.
- 6.2.2: the meter's Randomised Offset Number is fixed per meter (from its ID); its Randomised
  Offset is that share of its Randomised Offset Limit (1800 s as installed).
- 6.13 answers the newest 100 entries of the period (the MMC bound). GSMEEvent and GSMESecurity
  sent to a GPF read the GSME's logs; to another device, its own. Every write SRV here (and the
  display SRVs) logs 0x8154 in the event log; 3.3 logs 0x8F52 in the security log.
- Reads create no state; a meter starts with factory settings (devices/configuration.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from dccsim.devices.configuration import (
    LOG_CAPACITY,
    AlertSetting,
    AverageVoltage,
    ClockStatus,
    DeviceConfiguration,
    EventCode,
    GasConversion,
    GasFlow,
    LogEntry,
    LogKind,
    RmsVoltage,
    SupplyState,
    VoltageSettings,
    configuration_of,
    configuration_view,
    factory_voltage,
    randomised_offset,
    randomised_offset_number,
)
from dccsim.devices.device import SimulatedDevice
from dccsim.devices.kinds import DeviceType
from dccsim.server.core.delivery import Outcome, nothing
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.fields import check_decimal, check_int, check_text
from dccsim.server.core.records import UserRole
from dccsim.server.core.requests import ServiceRequest
from dccsim.server.core.services.registry import Family
from dccsim.server.core.state import DspState

family: Family = Family()

_ESME = (DeviceType.ESME,)
_GSME = (DeviceType.GSME,)
_METERS = (DeviceType.ESME, DeviceType.GSME)
_IDENTIFIED = (DeviceType.ESME, DeviceType.GSME, DeviceType.GPF, DeviceType.CHF)
_ANY = tuple(DeviceType)
_UNSIGNED_INT = 4_294_967_295
MAX_TOLERANCE = 86_400  # seconds (sr:tolerancePeriod)
MPAN_LENGTH = 13
MAX_MPRN_LENGTH = 10


def _codes(*codes: int) -> tuple[int, ...]:
    return codes


# The alert codes of each DUIS / MMC list, in the schema's order (identical in 5.1 and 5.3).
SUPPLIER_ESME_COMMON = _codes(
    0x810D, 0x810E, 0x8119, 0x8145, 0x8154, 0x8155, 0x8161, 0x8162, 0x8168, 0x8183, 0x81A0,
    0x81A1, 0x81A2, 0x81A3, 0x81A4, 0x81A5, 0x81A6, 0x81A7, 0x81A8, 0x81A9, 0x81AA, 0x81AB,
    0x81AC, 0x81AD, 0x81AE, 0x81AF, 0x81B0, 0x81B1, 0x81B2, 0x81B3, 0x81B8, 0x81B9, 0x81BA,
    0x81BB, 0x81BC, 0x81BD, 0x81BE, 0x81C0, 0x81C1, 0x81C4, 0x81C5, 0x81C6,
)  # fmt: skip
SUPPLIER_ESME_POLY_PHASE = _codes(0x81B7)
NETWORK_OPERATOR_ESME_COMMON = _codes(0x8014, 0x8015)
NETWORK_OPERATOR_ESME_SINGLE_PHASE = _codes(
    0x8002, 0x8006, 0x8020, 0x8024, 0x8028, 0x802C, 0x8085, 0x8089, 0x808D, 0x8091, 0x8095,
    0x8099, 0x8010,
)  # fmt: skip
NETWORK_OPERATOR_ESME_POLY_PHASE = _codes(
    0x8003, 0x8004, 0x8005, 0x8007, 0x8008, 0x8009, 0x8021, 0x8022, 0x8023, 0x8025, 0x8026,
    0x8027, 0x8029, 0x802A, 0x802B, 0x802D, 0x802E, 0x802F, 0x8086, 0x8087, 0x8088, 0x808A,
    0x808B, 0x808C, 0x808E, 0x808F, 0x8090, 0x8092, 0x8093, 0x8094, 0x8096, 0x8097, 0x8098,
    0x809A, 0x809B, 0x809C, 0x8011, 0x8016, 0x8013,
)  # fmt: skip
SUPPLIER_GSME = _codes(
    0x810D, 0x810E, 0x8119, 0x8145, 0x8154, 0x8155, 0x8168, 0x8183, 0x8184, 0x81A1, 0x81A4,
    0x81A5, 0x81A6, 0x81A7, 0x81A8, 0x81A9, 0x81AA, 0x81AB, 0x81AC, 0x81AD, 0x81AE, 0x81AF,
    0x81B0, 0x81B1, 0x81B2, 0x81B3, 0x81B4, 0x81B5, 0x81B6, 0x81B9, 0x81BA, 0x81BC, 0x81BD,
    0x81BE, 0x81BF, 0x81C0, 0x81C2, 0x81C3, 0x81C4, 0x81C5,
)  # fmt: skip
SUPPLIER_GSME_EVENTS = _codes(
    0x810D, 0x810E, 0x8119, 0x8145, 0x8154, 0x8155, 0x8161, 0x8162, 0x8168, 0x8183, 0x8184,
    0x81A0, 0x81A1, 0x81A4, 0x81A5, 0x81A6, 0x81A7, 0x81A8, 0x81A9, 0x81AA, 0x81AB, 0x81AC,
    0x81AD, 0x81AE, 0x81AF, 0x81B0, 0x81B1, 0x81B2, 0x81B3, 0x81B4, 0x81B5, 0x81B6, 0x81B9,
    0x81BA, 0x81BC, 0x81BD, 0x81BE, 0x81BF, 0x81C0, 0x81C2, 0x81C3, 0x81C4, 0x81C5, 0x81C6,
)  # fmt: skip


# -- request bodies ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReadVoltage:
    """6.2.1 ReadDeviceConfigurationVoltage: no content."""


@dataclass(frozen=True, slots=True)
class ReadRandomisation:
    """6.2.2 ReadDeviceConfigurationRandomisation: no content."""


@dataclass(frozen=True, slots=True)
class ReadIdentity:
    """6.2.4 ReadDeviceConfigurationIdentityExcMPxN: no content."""


@dataclass(frozen=True, slots=True)
class ReadPowerThresholds:
    """6.2.5 ReadDeviceConfigurationInstantaneousPowerThresholds: no content."""


@dataclass(frozen=True, slots=True)
class ReadMpxn:
    """6.2.7 ReadDeviceConfigurationMPxN: no content."""


@dataclass(frozen=True, slots=True)
class ReadGasConfiguration:
    """6.2.8 ReadDeviceConfigurationGas: no content."""


@dataclass(frozen=True, slots=True)
class ReadAlertBehaviours:
    """6.2.10 ReadDeviceConfigurationEventAndAlertBehaviours: no content."""


@dataclass(frozen=True, slots=True)
class PhaseVoltage:
    """PolyPhaseVoltageSettings: one phase (1-3) and its settings."""

    phase: int
    settings: AverageVoltage


@dataclass(frozen=True, slots=True)
class UpdateVoltage:
    """6.5 UpdateDeviceConfigurationVoltage: RMS settings and either a single phase's or the
    three phases' average RMS settings."""

    rms: RmsVoltage
    single_phase: AverageVoltage | None = None
    poly_phase: tuple[PhaseVoltage, ...] = ()
    counters_not_reset: bool = False

    def settings(self) -> VoltageSettings:
        if self.single_phase is not None:
            return VoltageSettings(self.rms, (self.single_phase,))
        ordered = sorted(self.poly_phase, key=lambda p: p.phase)
        return VoltageSettings(self.rms, tuple(p.settings for p in ordered))


@dataclass(frozen=True, slots=True)
class UpdateGasConversion:
    """6.6 UpdateDeviceConfigurationGasConversion."""

    calorific_value: Decimal  # MJ/m3, one fraction digit
    conversion_factor: Decimal  # five fraction digits


@dataclass(frozen=True, slots=True)
class UpdateGasFlow:
    """6.7 UpdateDeviceConfigurationGasFlow. DUIS's UncontrolledGasFlowRate (an integer in
    1/10000 m3/h) and UncontrolledGasFlowRateDecimal are both `uncontrolled_rate` in m3/h."""

    uncontrolled_rate: Decimal
    supply_depletion_state: SupplyState
    supply_tamper_state: SupplyState
    stabilisation_period: int  # seconds, 1-255
    measurement_period: int  # seconds, 1-65535


@dataclass(frozen=True, slots=True)
class SynchroniseClock:
    """6.11: what the supplier says the time is, and how far the meter's clock may be from it."""

    current_datetime: datetime
    tolerance_period: int  # seconds, 0-86400


@dataclass(frozen=True, slots=True)
class UpdatePowerThreshold:
    """6.12 UpdateDeviceConfigurationInstantaneousPowerThreshold, in watts."""

    low_medium: int
    medium_high: int


class LogToRead(StrEnum):
    """6.13 LogToRead."""

    EVENT = "Event"
    ALCS_EVENT = "ALCSEvent"
    POWER_EVENT = "PowerEvent"
    SECURITY = "Security"
    GSME_EVENT = "GSMEEvent"
    GSME_SECURITY = "GSMESecurity"


@dataclass(frozen=True, slots=True)
class ReadEventOrSecurityLog:
    """6.13: the log and its ReadLogPeriod, both ends included."""

    start: datetime
    end: datetime
    log: LogToRead


@dataclass(frozen=True, slots=True)
class SetImportMpxn:
    """6.20.1 SetDeviceConfigurationImportMPxN: ImportMPANs (an import MPAN and perhaps a
    secondary one) or an ImportMPRN."""

    import_mpan: str | None = None
    secondary_import_mpan: str | None = None
    import_mprn: str | None = None


@dataclass(frozen=True, slots=True)
class SetExportMpan:
    """6.20.2 SetDeviceConfigurationExportMPAN."""

    export_mpan: str


class AlertGroup(StrEnum):
    """ConfigureAlertBehaviour's choice: whose alerts, and which behaviour it sets."""

    ELECTRICITY_SUPPLIER_ALERTS = "ElectricitySupplierAlerts"
    ELECTRICITY_SUPPLIER_HAN_ALERTS = "ElectricitySupplierHANAlertSettings"
    ELECTRICITY_SUPPLIER_ALARMS = "ElectricitySupplierAlarmSettings"
    ELECTRICITY_SUPPLIER_LOGGING = "ElectricitySupplierLoggingSettings"
    ELECTRICITY_NETWORK_OPERATOR_ALERTS = "ElectricityNetworkOperatorAlerts"
    ELECTRICITY_NETWORK_OPERATOR_LOGGING = "ElectricityNetworkOperatorLoggingSettings"
    GAS_SUPPLIER_ALERTS = "GasSupplierAlerts"
    GAS_SUPPLIER_ALERT_EVENT_SETTINGS = "GasSupplierAlertEventSettings"

    @property
    def is_gas(self) -> bool:
        return self in (
            AlertGroup.GAS_SUPPLIER_ALERTS,
            AlertGroup.GAS_SUPPLIER_ALERT_EVENT_SETTINGS,
        )

    @property
    def settings(self) -> tuple[AlertSetting, ...]:
        """The behaviours a code of this group sets."""
        return _GROUP_SETTINGS[self]

    @property
    def sections(self) -> tuple[tuple[int, ...], ...]:
        """The group's code lists, in the schema's order."""
        return _GROUP_SECTIONS[self]


_GROUP_SETTINGS = {
    AlertGroup.ELECTRICITY_SUPPLIER_ALERTS: (AlertSetting.WAN_ALERT,),
    AlertGroup.ELECTRICITY_SUPPLIER_HAN_ALERTS: (AlertSetting.HAN_ALERT,),
    AlertGroup.ELECTRICITY_SUPPLIER_ALARMS: (AlertSetting.ALARM,),
    AlertGroup.ELECTRICITY_SUPPLIER_LOGGING: (AlertSetting.EVENT_LOG,),
    AlertGroup.ELECTRICITY_NETWORK_OPERATOR_ALERTS: (AlertSetting.WAN_ALERT,),
    AlertGroup.ELECTRICITY_NETWORK_OPERATOR_LOGGING: (AlertSetting.EVENT_LOG,),
    AlertGroup.GAS_SUPPLIER_ALERTS: (AlertSetting.WAN_ALERT,),
    AlertGroup.GAS_SUPPLIER_ALERT_EVENT_SETTINGS: tuple(AlertSetting),
}
_SUPPLIER_ESME = (SUPPLIER_ESME_COMMON, SUPPLIER_ESME_POLY_PHASE)
_NETWORK_OPERATOR_ESME = (
    NETWORK_OPERATOR_ESME_COMMON,
    NETWORK_OPERATOR_ESME_SINGLE_PHASE,
    NETWORK_OPERATOR_ESME_POLY_PHASE,
)
_GROUP_SECTIONS = {
    AlertGroup.ELECTRICITY_SUPPLIER_ALERTS: _SUPPLIER_ESME,
    AlertGroup.ELECTRICITY_SUPPLIER_HAN_ALERTS: _SUPPLIER_ESME,
    AlertGroup.ELECTRICITY_SUPPLIER_ALARMS: _SUPPLIER_ESME,
    AlertGroup.ELECTRICITY_SUPPLIER_LOGGING: _SUPPLIER_ESME,
    AlertGroup.ELECTRICITY_NETWORK_OPERATOR_ALERTS: _NETWORK_OPERATOR_ESME,
    AlertGroup.ELECTRICITY_NETWORK_OPERATOR_LOGGING: _NETWORK_OPERATOR_ESME,
    AlertGroup.GAS_SUPPLIER_ALERTS: (SUPPLIER_GSME,),
    AlertGroup.GAS_SUPPLIER_ALERT_EVENT_SETTINGS: (SUPPLIER_GSME_EVENTS,),
}


@dataclass(frozen=True, slots=True)
class AlertChange:
    """One behaviour of one alert code: Enable (True) or Disable (False)."""

    code: int
    setting: AlertSetting
    enabled: bool


@dataclass(frozen=True, slots=True)
class ConfigureAlertBehaviour:
    """6.22: the group DUIS names and the behaviours it sets."""

    group: AlertGroup
    changes: tuple[AlertChange, ...]


@dataclass(frozen=True, slots=True)
class SetSupplyTamperState:
    """6.25 SetElectricitySupplyTamperState."""

    state: SupplyState


# -- response bodies -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VoltageRead:
    """6.2.1 ReadDeviceConfigurationVoltageRsp."""

    settings: VoltageSettings


@dataclass(frozen=True, slots=True)
class RandomisationRead:
    """6.2.2 ReadDeviceConfigurationRandomisationRsp (seconds, and the 0-65535 number)."""

    offset: int
    offset_number: int
    offset_limit: int


@dataclass(frozen=True, slots=True)
class IdentityRead:
    """6.2.4 ReadDeviceConfigurationIdentityExcMPxNRsp: the fuel part only for meters."""

    device_id: str
    model: str
    manufacturer: str
    fuel: DeviceType | None = None  # ESME (Electricity) or GSME (Gas); None: neither
    supply_tamper_state: SupplyState | None = None
    meter_variant: str | None = None  # ESME
    supply_depletion_state: SupplyState | None = None  # GSME


@dataclass(frozen=True, slots=True)
class PowerThresholdsRead:
    """6.2.5, in watts."""

    low_medium: int
    medium_high: int


@dataclass(frozen=True, slots=True)
class MpxnRead:
    """6.2.7: an ESME's MPANs (Electricity), or a GSME's MPRN (Gas, in `import_mpxn`)."""

    gas: bool
    import_mpxn: str | None
    secondary_import_mpan: str | None = None
    export_mpan: str | None = None


@dataclass(frozen=True, slots=True)
class GasConfigurationRead:
    """6.2.8 ReadDeviceConfigurationGasRsp."""

    conversion: GasConversion
    flow: GasFlow


class AlertAudience(StrEnum):
    """Whose settings a 6.2.10 answer carries (the MMC choice)."""

    ELECTRICITY_SUPPLIER = "ElectricitySupplierAlertEventSettings"
    ELECTRICITY_NETWORK_OPERATOR = "ElectricityNetworkOperatorAlertEventSettings"
    GAS_SUPPLIER = "GasSupplierAlertEventSettings"


@dataclass(frozen=True, slots=True)
class AlertBehavioursRead:
    """6.2.10: every behaviour of every code the meter reports for the audience; `poly_phase`
    says which of the ESME's phase-specific lists the codes come from."""

    audience: AlertAudience
    poly_phase: bool
    values: tuple[AlertChange, ...]

    def value(self, code: int, setting: AlertSetting) -> bool | None:
        return next(
            (v.enabled for v in self.values if (v.code, v.setting) == (code, setting)), None
        )


@dataclass(frozen=True, slots=True)
class ClockSynchronised:
    """6.11 SynchroniseClockRsp: the meter's time after the command and its clock status."""

    device_time: datetime
    gas: bool
    status: ClockStatus
    adjusted: bool


@dataclass(frozen=True, slots=True)
class LogRead:
    """6.13 ReadEventOrSecurityLogRsp: the period's entries, oldest first."""

    log: LogToRead
    entries: tuple[LogEntry, ...]


# -- checks --------------------------------------------------------------------------------------


def _check_unsigned_ints(value: object, field: str, names: tuple[str, ...]) -> None:
    for name in names:
        check_int(getattr(value, name), f"{field}.{name}", low=0, high=_UNSIGNED_INT)


_RMS_FIELDS = RmsVoltage.__dataclass_fields__.keys()
_AVERAGE_FIELDS = AverageVoltage.__dataclass_fields__.keys()


def _check_average(value: object, field: str) -> None:
    if not isinstance(value, AverageVoltage):
        raise InvalidField(field, "must be AverageRMSVoltageSettings")
    _check_unsigned_ints(value, field, tuple(_AVERAGE_FIELDS))


def _check_voltage(body: UpdateVoltage) -> None:
    if not isinstance(body.rms, RmsVoltage):
        raise InvalidField("body.rms", "must be RMSVoltageSettings")
    _check_unsigned_ints(body.rms, "body.rms", tuple(_RMS_FIELDS))
    if not isinstance(body.counters_not_reset, bool):
        raise InvalidField("body.counters_not_reset", "must be true or false")
    if body.single_phase is not None:
        if body.poly_phase:
            raise InvalidField("body.poly_phase", "a single phase's settings or three phases'")
        _check_average(body.single_phase, "body.single_phase")
        return
    phases = body.poly_phase
    if not isinstance(phases, tuple) or len(phases) != 3:
        raise InvalidField("body.poly_phase", "needs the settings of exactly three phases")
    for index, phase in enumerate(phases):
        where = f"body.poly_phase[{index}]"
        if not isinstance(phase, PhaseVoltage):
            raise InvalidField(where, "must be PolyPhaseVoltageSettings")
        check_int(phase.phase, f"{where}.phase", low=1, high=3)
        _check_average(phase.settings, f"{where}.settings")
    if sorted(p.phase for p in phases) != [1, 2, 3]:
        raise InvalidField("body.poly_phase", "names phases 1, 2 and 3 once each")


def _check_gas_conversion(body: UpdateGasConversion) -> None:
    check_decimal(
        body.calorific_value,
        "body.calorific_value",
        low=Decimal(0),
        high=Decimal("429496729.5"),
        fraction_digits=1,
    )
    check_decimal(
        body.conversion_factor,
        "body.conversion_factor",
        low=Decimal(0),
        high=Decimal("42949.67295"),
        fraction_digits=5,
    )


def _check_supply_state(value: object, field: str) -> None:
    if not isinstance(value, SupplyState):
        raise InvalidField(field, f"{value!r} is not Unchanged or Locked")


def _check_gas_flow(body: UpdateGasFlow) -> None:
    check_decimal(
        body.uncontrolled_rate,
        "body.uncontrolled_rate",
        low=Decimal(0),
        high=Decimal("6.5535"),
        fraction_digits=4,
    )
    _check_supply_state(body.supply_depletion_state, "body.supply_depletion_state")
    _check_supply_state(body.supply_tamper_state, "body.supply_tamper_state")
    check_int(body.stabilisation_period, "body.stabilisation_period", low=1, high=255)
    check_int(body.measurement_period, "body.measurement_period", low=1, high=65_535)


def _check_datetime(value: object, field: str) -> None:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise InvalidField(field, "must be a date and time with its time zone")


def _check_clock(body: SynchroniseClock) -> None:
    _check_datetime(body.current_datetime, "body.current_datetime")
    check_int(body.tolerance_period, "body.tolerance_period", low=0, high=MAX_TOLERANCE)


def _check_power_threshold(body: UpdatePowerThreshold) -> None:
    check_int(body.low_medium, "body.low_medium", low=0, high=_UNSIGNED_INT)
    check_int(body.medium_high, "body.medium_high", low=0, high=_UNSIGNED_INT)
    if body.medium_high < body.low_medium:
        raise InvalidField("body.medium_high", "is below the LowMediumPowerThreshold")


def _check_log_read(body: ReadEventOrSecurityLog) -> None:
    _check_datetime(body.start, "body.start")
    _check_datetime(body.end, "body.end")
    if body.end < body.start:
        raise InvalidField("body.end", "is before the start of the period")
    if not isinstance(body.log, LogToRead):
        raise InvalidField("body.log", f"{body.log!r} is not a LogToRead")


def _check_mpan(value: object, field: str) -> None:
    check_text(value, field, min_length=MPAN_LENGTH, max_length=MPAN_LENGTH)


def _check_import_mpxn(body: SetImportMpxn) -> None:
    if body.import_mprn is not None:
        if body.import_mpan is not None or body.secondary_import_mpan is not None:
            raise InvalidField("body.import_mprn", "ImportMPANs or an ImportMPRN, not both")
        check_text(body.import_mprn, "body.import_mprn", max_length=MAX_MPRN_LENGTH)
        return
    if body.import_mpan is None:
        raise InvalidField("body.import_mpan", "ImportMPANs or an ImportMPRN is required")
    _check_mpan(body.import_mpan, "body.import_mpan")
    if body.secondary_import_mpan is not None:
        _check_mpan(body.secondary_import_mpan, "body.secondary_import_mpan")


def _check_export_mpan(body: SetExportMpan) -> None:
    _check_mpan(body.export_mpan, "body.export_mpan")


def _check_alert_behaviour(body: ConfigureAlertBehaviour) -> None:
    group = body.group
    if not isinstance(group, AlertGroup):
        raise InvalidField("body.group", f"{group!r} is not a ConfigureAlertBehaviour choice")
    if not isinstance(body.changes, tuple):
        raise InvalidField("body.changes", "must be a list of alert settings")
    allowed = {code for section in group.sections for code in section}
    if len(body.changes) > len(allowed) * len(group.settings):  # before a long walk
        raise InvalidField("body.changes", "names more settings than the group holds")
    seen: set[tuple[int, AlertSetting]] = set()
    for index, change in enumerate(body.changes):
        _check_alert_change(change, f"body.changes[{index}]", group, allowed)
        if (change.code, change.setting) in seen:
            raise InvalidField(f"body.changes[{index}]", f"sets 0x{change.code:04X} twice")
        seen.add((change.code, change.setting))
    if group in _NETWORK_OPERATOR_GROUPS:
        codes = {change.code for change in body.changes}
        if codes & set(NETWORK_OPERATOR_ESME_SINGLE_PHASE) and codes & set(
            NETWORK_OPERATOR_ESME_POLY_PHASE
        ):
            raise InvalidField("body.changes", "single-phase or polyphase codes, not both")


_NETWORK_OPERATOR_GROUPS = (
    AlertGroup.ELECTRICITY_NETWORK_OPERATOR_ALERTS,
    AlertGroup.ELECTRICITY_NETWORK_OPERATOR_LOGGING,
)


def _check_alert_change(change: object, field: str, group: AlertGroup, allowed: set[int]) -> None:
    if not isinstance(change, AlertChange):
        raise InvalidField(field, "must be an alert setting")
    if not isinstance(change.code, int) or change.code not in allowed:
        raise InvalidField(f"{field}.code", f"{change.code!r} is not an alert code of {group}")
    if not isinstance(change.setting, AlertSetting) or change.setting not in group.settings:
        raise InvalidField(f"{field}.setting", f"{change.setting!r} is not set by {group}")
    if not isinstance(change.enabled, bool):
        raise InvalidField(f"{field}.enabled", "must be Enable or Disable")


def _check_tamper_state(body: SetSupplyTamperState) -> None:
    _check_supply_state(body.state, "body.state")


# -- helpers -------------------------------------------------------------------------------------


def _actioned(state: DspState, device: SimulatedDevice) -> DeviceConfiguration:
    """The configuration a write changes, with the command logged as actioned."""
    configuration = configuration_of(device)
    configuration.record(LogKind.EVENT, state.now(), EventCode.COMMAND_ACTIONED)
    return configuration


def _refused(state: DspState, device: SimulatedDevice) -> Outcome:
    """The meter refuses content that is not for its fuel: it logs so and changes nothing."""
    configuration_of(device).record(LogKind.EVENT, state.now(), EventCode.COMMAND_NOT_ACTIONED)
    return None, nothing


def _esme_variant(state: DspState, device: SimulatedDevice) -> str | None:
    record = state.smi.get(device.device_id)
    return None if record is None else record.esme_variant


def _poly_phase(state: DspState, device: SimulatedDevice) -> bool:
    """A polyphase ESME: its 6.5 settings say so, or else its SMI ESME Variant (C)."""
    held = configuration_view(device).voltage
    if held is not None:
        return held.poly_phase
    return "C" in (_esme_variant(state, device) or "")


def _installed_mpxn(state: DspState, device: SimulatedDevice) -> str | None:
    record = state.smi.get(device.device_id)
    return None if record is None else record.mpxn


def _acts_as_network_operator(state: DspState, request: ServiceRequest) -> bool:
    if request.user_role is not None:
        return request.user_role is UserRole.ELECTRICITY_DISTRIBUTOR
    user = state.users.get(request.request_id.originator)
    roles = user.roles if user is not None else frozenset()
    return UserRole.ELECTRICITY_DISTRIBUTOR in roles and UserRole.IMPORT_SUPPLIER not in roles


# -- 6.2.x reads ---------------------------------------------------------------------------------


@family.device("6.2.1", body=ReadVoltage, device_types=_ESME, responses=(VoltageRead,))
def read_voltage(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    held = configuration_view(device).voltage
    return VoltageRead(held or factory_voltage(_poly_phase(state, device))), nothing


@family.device("6.2.2", body=ReadRandomisation, device_types=_ESME, responses=(RandomisationRead,))
def read_randomisation(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    limit = configuration_view(device).randomised_offset_limit
    number = randomised_offset_number(device.device_id)
    return RandomisationRead(randomised_offset(device.device_id, limit), number, limit), nothing


@family.device("6.2.4", body=ReadIdentity, device_types=_IDENTIFIED, responses=(IdentityRead,))
def read_identity(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    held = configuration_view(device)
    read = IdentityRead(device.device_id, device.model, device.manufacturer)
    if device.device_type is DeviceType.ESME:
        variant = _esme_variant(state, device)
        read = IdentityRead(
            read.device_id,
            read.model,
            read.manufacturer,
            DeviceType.ESME,
            held.supply_tamper_state,
            meter_variant=variant[0] if variant else None,
        )
    elif device.device_type is DeviceType.GSME:
        read = IdentityRead(
            read.device_id,
            read.model,
            read.manufacturer,
            DeviceType.GSME,
            held.supply_tamper_state,
            supply_depletion_state=held.supply_depletion_state,
        )
    return read, nothing


@family.device(
    "6.2.5", body=ReadPowerThresholds, device_types=_ESME, responses=(PowerThresholdsRead,)
)
def read_power_thresholds(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    low, high = configuration_view(device).power_thresholds
    return PowerThresholdsRead(low, high), nothing


@family.device("6.2.7", body=ReadMpxn, device_types=_METERS, responses=(MpxnRead,))
def read_mpxn(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    held = configuration_view(device)
    import_mpxn = held.import_mpxn or _installed_mpxn(state, device)
    if device.device_type is DeviceType.GSME:
        return MpxnRead(True, import_mpxn), nothing
    read = MpxnRead(False, import_mpxn, held.secondary_import_mpan, held.export_mpan)
    return read, nothing


@family.device(
    "6.2.8", body=ReadGasConfiguration, device_types=_GSME, responses=(GasConfigurationRead,)
)
def read_gas(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    held = configuration_view(device)
    return GasConfigurationRead(held.gas_conversion, held.gas_flow), nothing


@family.device(
    "6.2.10", body=ReadAlertBehaviours, device_types=_METERS, responses=(AlertBehavioursRead,)
)
def read_alert_behaviours(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    held = configuration_view(device)
    poly = False
    sections: tuple[tuple[int, ...], ...]
    if device.device_type is DeviceType.GSME:
        audience, sections = AlertAudience.GAS_SUPPLIER, (SUPPLIER_GSME_EVENTS,)
        settings = tuple(AlertSetting)
    else:
        poly = _poly_phase(state, device)
        if _acts_as_network_operator(state, request):
            audience = AlertAudience.ELECTRICITY_NETWORK_OPERATOR
            phase = NETWORK_OPERATOR_ESME_POLY_PHASE if poly else NETWORK_OPERATOR_ESME_SINGLE_PHASE
            sections = (NETWORK_OPERATOR_ESME_COMMON, phase)
            settings = (AlertSetting.WAN_ALERT, AlertSetting.EVENT_LOG)
        else:
            audience = AlertAudience.ELECTRICITY_SUPPLIER
            sections = (SUPPLIER_ESME_COMMON, SUPPLIER_ESME_POLY_PHASE if poly else ())
            settings = tuple(AlertSetting)
    values = tuple(
        AlertChange(code, setting, held.alert_setting(code, setting))
        for setting in settings
        for section in sections
        for code in section
    )
    return AlertBehavioursRead(audience, poly, values), nothing


# -- writes --------------------------------------------------------------------------------------


@family.device("6.5", body=UpdateVoltage, check=_check_voltage, device_types=_ESME)
def update_voltage(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    body = request.body
    assert isinstance(body, UpdateVoltage)
    configuration = _actioned(state, device)
    configuration.voltage = body.settings()
    if not body.counters_not_reset:
        configuration.voltage_counters_reset_at = state.now()
    return None, nothing


@family.device("6.6", body=UpdateGasConversion, check=_check_gas_conversion, device_types=_GSME)
def update_gas_conversion(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    body = request.body
    assert isinstance(body, UpdateGasConversion)
    # Held to the digits DUIS gives them: a 40.00 sent reads back as 40.0.
    conversion = GasConversion(
        body.calorific_value.quantize(Decimal("0.1")),
        body.conversion_factor.quantize(Decimal("0.00001")),
    )
    _actioned(state, device).gas_conversion = conversion
    return None, nothing


@family.device("6.7", body=UpdateGasFlow, check=_check_gas_flow, device_types=_GSME)
def update_gas_flow(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    body = request.body
    assert isinstance(body, UpdateGasFlow)
    configuration = _actioned(state, device)
    configuration.gas_flow = GasFlow(
        body.uncontrolled_rate.quantize(Decimal("0.0001")),
        body.stabilisation_period,
        body.measurement_period,
    )
    configuration.supply_depletion_state = body.supply_depletion_state
    configuration.supply_tamper_state = body.supply_tamper_state
    return None, nothing


@family.device(
    "6.11",
    body=SynchroniseClock,
    check=_check_clock,
    device_types=_METERS,
    responses=(ClockSynchronised,),
)
def synchronise_clock(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    body = request.body
    assert isinstance(body, SynchroniseClock)
    now = state.now()
    configuration = configuration_of(device)
    tolerance = timedelta(seconds=body.tolerance_period)
    adjusted = configuration.synchronise(now, body.current_datetime, tolerance)
    gas = device.device_type is DeviceType.GSME
    read = ClockSynchronised(configuration.clock(now), gas, configuration.clock_status(), adjusted)
    return read, nothing


@family.device("6.12", body=UpdatePowerThreshold, check=_check_power_threshold, device_types=_ESME)
def update_power_threshold(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    body = request.body
    assert isinstance(body, UpdatePowerThreshold)
    _actioned(state, device).power_thresholds = (body.low_medium, body.medium_high)
    return None, nothing


@family.device("6.20.1", body=SetImportMpxn, check=_check_import_mpxn, device_types=_METERS)
def set_import_mpxn(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    body = request.body
    assert isinstance(body, SetImportMpxn)
    gas = device.device_type is DeviceType.GSME
    if gas is (body.import_mprn is None):
        return _refused(state, device)
    configuration = _actioned(state, device)
    if gas:
        configuration.import_mpxn = body.import_mprn
    else:
        configuration.import_mpxn = body.import_mpan
        configuration.secondary_import_mpan = body.secondary_import_mpan
    return None, nothing


@family.device("6.20.2", body=SetExportMpan, check=_check_export_mpan, device_types=_ESME)
def set_export_mpan(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    body = request.body
    assert isinstance(body, SetExportMpan)
    _actioned(state, device).export_mpan = body.export_mpan
    return None, nothing


@family.device(
    "6.22", body=ConfigureAlertBehaviour, check=_check_alert_behaviour, device_types=_METERS
)
def configure_alert_behaviour(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    body = request.body
    assert isinstance(body, ConfigureAlertBehaviour)
    if body.group.is_gas is not (device.device_type is DeviceType.GSME):
        return _refused(state, device)
    changes = {(c.code, c.setting): c.enabled for c in body.changes}
    _actioned(state, device).configure_alerts(changes)
    return None, nothing


@family.device("6.25", body=SetSupplyTamperState, check=_check_tamper_state, device_types=_ESME)
def set_supply_tamper_state(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    body = request.body
    assert isinstance(body, SetSupplyTamperState)
    _actioned(state, device).supply_tamper_state = body.state
    return None, nothing


# -- 6.13 Read Event Or Security Log -------------------------------------------------------------

_LOG_KINDS = {
    LogToRead.EVENT: LogKind.EVENT,
    LogToRead.ALCS_EVENT: LogKind.ALCS_EVENT,
    LogToRead.POWER_EVENT: LogKind.POWER_EVENT,
    LogToRead.SECURITY: LogKind.SECURITY,
    LogToRead.GSME_EVENT: LogKind.EVENT,
    LogToRead.GSME_SECURITY: LogKind.SECURITY,
}


@family.device(
    "6.13",
    body=ReadEventOrSecurityLog,
    check=_check_log_read,
    device_types=_ANY,
    responses=(LogRead,),
)
def read_event_or_security_log(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    body = request.body
    assert isinstance(body, ReadEventOrSecurityLog)
    source = device
    if body.log in (LogToRead.GSME_EVENT, LogToRead.GSME_SECURITY) and device.gsme is not None:
        source = device.gsme  # the GPF holds a copy of its GSME's logs
    held = configuration_view(source)
    entries = held.entries(_LOG_KINDS[body.log], body.start, body.end)
    return LogRead(body.log, entries[-LOG_CAPACITY:]), nothing
