"""The meter-data reads and their configuration: 4.1.1 / 4.2 instantaneous registers, 4.6.1 /
4.6.2 daily read logs, 4.8.1-4.8.3 profile data, 4.10 network data, 4.12.1 / 4.12.2 maximum
demand, 4.15 load limit data, 4.16 active power, 4.17 daily consumption log; 6.4.1 / 6.4.2 load
limiting settings and counter reset, 6.18.1 / 6.18.2 maximum demand period and reset, 6.27 RMS
voltage counter reset.

Every reading is derived when read from the meter's consumption model
(`state.network.readings(device)`; Wh for an ESME, litres for a GSME, shown in m3 to the litre);
what the configuration SRVs write is `dccsim.devices.meter_data` (whose module doc holds the
decisions on maximum demand, load limiting, voltage and reactive energy).

Decisions (docs/decisions.md, "reads"):
- Device types, from the GBCS use cases of the RTDS templates: 4.1.1, 4.6.1, 4.8.1, 4.10 and
  4.17 reach an ESME, a GSME or a GPF; the rest an ESME only. A GPF answers from its GSME's data
  (GCS13a/GCS61 "reliable GPF"): its paired GSME's registers and Network Data Log; a GPF paired
  with no GSME answers with no data.
- Logs are read at UTC boundaries. 4.6.1 / 4.6.2 entries are the registers at each midnight
  within the ReadLogPeriod (both ends included) that has come, of the newest 31 (MMC's cap);
  4.17's entry at midnight M is the consumption of the day ending at M (the difference of the
  daily read log's entries), of the newest 731 days. 4.8.x entries are the half-hours lying
  wholly inside the period that have ended, timestamped at their start, of the newest 13
  months (4.8.1, 19,056) or 93 days (4.8.2 / 4.8.3, 4,464). All oldest first.
- A ReadLogPeriod whose end is before its start is refused (`body.end`); KAPublicSecurityCredentials
  (an Unknown Remote Party's key) is accepted and not used: dccsim does not encrypt payloads.
- 4.10 of an ESME is its voltage data (ECS23 / ECS23b): a polyphase ESME (ESME variant C...)
  answers for three phases. A GSME answers with the log 14.1 started (none: no log).
- 4.16's active power is the current half-hour's average power (the model is linear within a
  half-hour). A twin-element ESME's secondary element is not modelled: no secondary values.
- 6.4.1 is held by the ESME when future-dated (the matrix's "Device" pattern): the response
  comes at once, the settings apply at their time; 3000-12-31 cancels what is held. Its fields
  are xs:unsignedInt and are taken as the ESME's settings unchanged.
- 6.18.2 resets the registers it names (none named: nothing reset); 6.27 resets the RMS voltage
  counters the configuration holds (the same reset 6.5 makes).
- Reads create no state: a meter never configured reads its installed state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from itertools import pairwise

from dccsim.devices.configuration import configuration_of, factory_voltage
from dccsim.devices.consumption import EPOCH, HALF_HOUR, Readings
from dccsim.devices.device import SimulatedDevice
from dccsim.devices.kinds import DeviceType
from dccsim.devices.meter_data import (
    DAY,
    EMPTY,
    DemandWindow,
    HeldLoadLimitSettings,
    LoadLimitSettings,
    LoadLimitSupplyState,
    MeterData,
    VoltagePhase,
    ceil_day,
    ceil_half_hour,
    floor_day,
    floor_half_hour,
    half_hours,
    largest_half_hour,
    load_limit_events,
    reactive,
    reactive_ratio,
)
from dccsim.devices.network_data import NetworkDataSample
from dccsim.server.core.delivery import Outcome, nothing
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.fields import check_int
from dccsim.server.core.requests import ServiceRequest
from dccsim.server.core.services.registry import Family
from dccsim.server.core.state import DspState

family: Family = Family()

_ESME = (DeviceType.ESME,)
_METERS = (DeviceType.ESME, DeviceType.GSME, DeviceType.GPF)
_UNSIGNED_INT = 4_294_967_295
_LITRE = Decimal("0.001")
# How much of each log a meter holds (the MMC responses' maxOccurs).
DAILY_READ_DAYS = 31
DAILY_CONSUMPTION_DAYS = 731
ACTIVE_PROFILE_HALF_HOURS = 19_056  # 13 months
OTHER_PROFILE_HALF_HOURS = 4_464  # 93 days
VOLTAGE_LOG_ENTRIES = 4_320


# -- request bodies ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReadInstantaneousImportRegisters:
    """4.1.1: no content (its ExecutionDateTime is the request's)."""


@dataclass(frozen=True, slots=True)
class ReadInstantaneousExportRegisters:
    """4.2: no content."""


@dataclass(frozen=True, slots=True)
class LogRead:
    """A ReadLogPeriod (both ends included) and, where DUIS allows one, the Unknown Remote
    Party's KAPublicSecurityCredentials."""

    start: datetime
    end: datetime
    ka_credentials: bytes | None = None


@dataclass(frozen=True, slots=True)
class RetrieveImportDailyReadLog(LogRead):
    """4.6.1."""


@dataclass(frozen=True, slots=True)
class RetrieveExportDailyReadLog(LogRead):
    """4.6.2 (no credentials in DUIS)."""


@dataclass(frozen=True, slots=True)
class ReadActiveImportProfileData(LogRead):
    """4.8.1."""


@dataclass(frozen=True, slots=True)
class ReadReactiveImportProfileData(LogRead):
    """4.8.2 (no credentials in DUIS)."""


@dataclass(frozen=True, slots=True)
class ReadExportProfileData(LogRead):
    """4.8.3 (no credentials in DUIS)."""


@dataclass(frozen=True, slots=True)
class ReadNetworkData(LogRead):
    """4.10."""


@dataclass(frozen=True, slots=True)
class RetrieveDailyConsumptionLog(LogRead):
    """4.17."""


@dataclass(frozen=True, slots=True)
class ReadMaximumDemandImportRegisters:
    """4.12.1: no content."""


@dataclass(frozen=True, slots=True)
class ReadMaximumDemandExportRegisters:
    """4.12.2: no content."""


@dataclass(frozen=True, slots=True)
class ReadLoadLimitData:
    """4.15: no content."""


@dataclass(frozen=True, slots=True)
class ReadActivePowerImport:
    """4.16: no content."""


@dataclass(frozen=True, slots=True)
class UpdateLoadLimitingSettings:
    """6.4.1 UpdateDeviceConfigurationLoadLimitingGeneralSettings."""

    period: int  # LoadLimitPeriod, seconds
    power_threshold: int  # LoadLimitPowerThreshold, W
    restoration_period: int  # LoadLimitRestorationPeriod, seconds
    supply_state: LoadLimitSupplyState


@dataclass(frozen=True, slots=True)
class ResetLoadLimitingCounter:
    """6.4.2: no content."""


@dataclass(frozen=True, slots=True)
class SetMaximumDemandPeriod:
    """6.18.1 SetMaximumDemandConfigurableTimePeriod: the daily window, UTC."""

    start: time
    end: time


@dataclass(frozen=True, slots=True)
class ResetMaximumDemandRegisters:
    """6.18.2: which registers to reset."""

    active_import: bool = False
    active_export: bool = False
    configurable_time_import: bool = False


@dataclass(frozen=True, slots=True)
class ResetRmsVoltageCounters:
    """6.27: no content."""


# -- response bodies -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LogValue:
    """One log entry: an integer (Wh, varh) for electricity, a Decimal (m3) for gas or volts."""

    timestamp: datetime
    value: int | Decimal


@dataclass(frozen=True, slots=True)
class ElectricityImportRegisters:
    """4.1.1 of an ESME: ActiveImportRegister (Wh) and ReactiveImportRegister (varh)."""

    active: int
    reactive: int


@dataclass(frozen=True, slots=True)
class GasImportRegister:
    """4.1.1 of a GSME (or its GPF): the ConsumptionRegister in m3; None: no GSME to read."""

    volume: Decimal | None


@dataclass(frozen=True, slots=True)
class ExportRegisters:
    """4.2: ActiveExportRegister (Wh) and ReactiveExportRegister (varh)."""

    active: int
    reactive: int


@dataclass(frozen=True, slots=True)
class ImportDailyReadLog:
    """4.6.1: the register at each midnight (Wh, or m3 for gas)."""

    gas: bool
    entries: tuple[LogValue, ...]


@dataclass(frozen=True, slots=True)
class ExportDailyReadLog:
    """4.6.2: the export register at each midnight (Wh)."""

    entries: tuple[LogValue, ...]


@dataclass(frozen=True, slots=True)
class ActiveImportProfile:
    """4.8.1: the consumption of consecutive half-hours from `start` (Wh, or litres for gas).
    The half-hours' times are implied: a profile read is frequent and large (up to 19,056
    half-hours), so the device answers with plain integers and the transports add the times."""

    gas: bool
    start: datetime
    values: tuple[int, ...]

    @property
    def entries(self) -> tuple[LogValue, ...]:
        """The half-hours as log entries (m3 for gas)."""
        return tuple(
            LogValue(self.start + i * HALF_HOUR, _value(value, self.gas))
            for i, value in enumerate(self.values)
        )


@dataclass(frozen=True, slots=True)
class ReactiveImportProfile:
    """4.8.2: the reactive import of consecutive half-hours from `start` (varh)."""

    start: datetime
    values: tuple[int, ...]

    @property
    def entries(self) -> tuple[LogValue, ...]:
        return tuple(
            LogValue(self.start + i * HALF_HOUR, value) for i, value in enumerate(self.values)
        )


@dataclass(frozen=True, slots=True)
class ExportProfileEntry:
    timestamp: datetime
    active: int  # Wh
    reactive: int  # varh


@dataclass(frozen=True, slots=True)
class ExportProfile:
    """4.8.3: each half-hour's active and reactive export."""

    entries: tuple[ExportProfileEntry, ...]


@dataclass(frozen=True, slots=True)
class PhaseVoltageData:
    """One phase's VoltageOperationalData."""

    phase: int  # 1-3
    over_voltage_count: int
    under_voltage_count: int
    profile: tuple[LogValue, ...]  # average RMS voltage per measurement period (V)
    measurement_period: int  # seconds


@dataclass(frozen=True, slots=True)
class ElectricityNetworkData:
    """4.10 of an ESME: one phase (single phase) or three (polyphase)."""

    polyphase: bool
    phases: tuple[PhaseVoltageData, ...]


@dataclass(frozen=True, slots=True)
class GasNetworkData:
    """4.10 of a GSME: the Network Data Log's samples in the period (None: no log started)."""

    samples: tuple[NetworkDataSample, ...] | None


@dataclass(frozen=True, slots=True)
class MaximumDemand:
    """A maximum demand register: W; the end of its half-hour; its last reset (None: never)."""

    value: int
    captured_at: datetime | None
    last_reset: datetime | None


@dataclass(frozen=True, slots=True)
class MaximumDemandImport:
    """4.12.1: the active import register and, once 6.18.1 set a window, the configurable-time
    register and the window."""

    active: MaximumDemand
    configurable: MaximumDemand | None
    window: DemandWindow | None


@dataclass(frozen=True, slots=True)
class MaximumDemandExport:
    """4.12.2."""

    active: MaximumDemand


@dataclass(frozen=True, slots=True)
class LoadLimitData:
    """4.15: the counter and the settings (None: never configured)."""

    counter: int
    settings: LoadLimitSettings | None


@dataclass(frozen=True, slots=True)
class ActivePower:
    """4.16: W."""

    watts: int


@dataclass(frozen=True, slots=True)
class DailyConsumptionLog:
    """4.17: each day's consumption (Wh, or m3 for gas), at the midnight ending it."""

    gas: bool
    entries: tuple[LogValue, ...]


# -- checks --------------------------------------------------------------------------------------


def _check_when(value: object, field: str) -> None:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise InvalidField(field, "must be a date and time with its time zone")


def _check_log_read(body: LogRead) -> None:
    _check_when(body.start, "body.start")
    _check_when(body.end, "body.end")
    if body.end < body.start:
        raise InvalidField("body.end", "is before the start of the period")
    if body.ka_credentials is not None and not isinstance(body.ka_credentials, bytes):
        raise InvalidField("body.ka_credentials", "must be a certificate's bytes")


def _check_no_credentials(body: LogRead) -> None:
    """The SRVs whose DUIS body has no KAPublicSecurityCredentials."""
    _check_log_read(body)
    if body.ka_credentials is not None:
        raise InvalidField("body.ka_credentials", "this SRV carries no credentials")


def _check_load_limit(body: UpdateLoadLimitingSettings) -> None:
    for name in ("period", "power_threshold", "restoration_period"):
        check_int(getattr(body, name), f"body.{name}", low=0, high=_UNSIGNED_INT)
    if not isinstance(body.supply_state, LoadLimitSupplyState):
        raise InvalidField("body.supply_state", f"{body.supply_state!r} is not Disable/Unchanged")


def _check_window(body: SetMaximumDemandPeriod) -> None:
    for name in ("start", "end"):
        value = getattr(body, name)
        if not isinstance(value, time):
            raise InvalidField(f"body.{name}", "must be a time of day")


def _check_reset(body: ResetMaximumDemandRegisters) -> None:
    for name in ("active_import", "active_export", "configurable_time_import"):
        if not isinstance(getattr(body, name), bool):
            raise InvalidField(f"body.{name}", "must be true or false")


# -- what a meter reads from ---------------------------------------------------------------------


def _meter_data(device: SimulatedDevice) -> MeterData:
    """The device's configuration state, made at its first write."""
    if device.meter_data is None:
        device.meter_data = MeterData()
    return device.meter_data


def _view(device: SimulatedDevice) -> MeterData:
    """What a read sees, without making anything."""
    return device.meter_data or EMPTY


def _metered(device: SimulatedDevice) -> SimulatedDevice | None:
    """The device whose measurements answer: a GPF answers for its GSME."""
    return device.gsme if device.device_type is DeviceType.GPF else device


def _readings(state: DspState, device: SimulatedDevice) -> Readings | None:
    metered = _metered(device)
    return None if metered is None else state.network.readings(metered)


def _is_gas(device: SimulatedDevice) -> bool:
    return device.device_type is not DeviceType.ESME


def _value(units: int, gas: bool) -> int | Decimal:
    """A register or consumption in the unit DUIS shows: Wh, or m3 to the litre."""
    return units * _LITRE if gas else units


def _polyphase(state: DspState, device: SimulatedDevice) -> bool:
    settings = device.configuration.voltage if device.configuration is not None else None
    if settings is not None:
        return settings.poly_phase
    record = state.smi.get(device.device_id)
    variant = record.esme_variant if record is not None else None
    return variant is not None and variant.startswith("C")


# -- 4.1.1 / 4.2 instantaneous registers ---------------------------------------------------------


@family.device(
    "4.1.1",
    body=ReadInstantaneousImportRegisters,
    device_types=_METERS,
    responses=(ElectricityImportRegisters, GasImportRegister),
)
def read_import_registers(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    readings = _readings(state, device)
    now = state.now()
    if _is_gas(device):
        volume = None if readings is None else readings.import_register(now) * _LITRE
        return GasImportRegister(volume), nothing
    assert readings is not None  # every ESME has a profile
    active = readings.import_register(now)
    return ElectricityImportRegisters(active, reactive(active, reactive_ratio(device.device_id))), (
        nothing
    )


@family.device(
    "4.2",
    body=ReadInstantaneousExportRegisters,
    device_types=_ESME,
    responses=(ExportRegisters,),
)
def read_export_registers(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    readings = state.network.readings(device)
    assert readings is not None
    active = readings.export_register(state.now())
    return ExportRegisters(active, reactive(active, reactive_ratio(device.device_id))), nothing


# -- 4.6.1 / 4.6.2 daily read logs, 4.17 daily consumption ---------------------------------------


def _midnights(body: LogRead, now: datetime, held: int) -> list[datetime]:
    """The midnights within the period that have come, of the newest `held`."""
    newest = floor_day(now)
    first = max(ceil_day(body.start), newest - (held - 1) * DAY)
    last = min(floor_day(body.end), newest)
    count = (last - first) // DAY + 1 if last >= first else 0
    return [first + i * DAY for i in range(count)]


@family.device(
    "4.6.1",
    body=RetrieveImportDailyReadLog,
    check=_check_log_read,
    device_types=_METERS,
    responses=(ImportDailyReadLog,),
)
def read_import_daily_log(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    body = request.body
    assert isinstance(body, RetrieveImportDailyReadLog)
    readings, gas = _readings(state, device), _is_gas(device)
    entries: tuple[LogValue, ...] = ()
    if readings is not None:
        midnights = _midnights(body, state.now(), DAILY_READ_DAYS)
        entries = tuple(LogValue(m, _value(readings.import_register(m), gas)) for m in midnights)
    return ImportDailyReadLog(gas, entries), nothing


@family.device(
    "4.6.2",
    body=RetrieveExportDailyReadLog,
    check=_check_no_credentials,
    device_types=_ESME,
    responses=(ExportDailyReadLog,),
)
def read_export_daily_log(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    body = request.body
    assert isinstance(body, RetrieveExportDailyReadLog)
    readings = state.network.readings(device)
    assert readings is not None
    midnights = _midnights(body, state.now(), DAILY_READ_DAYS)
    return ExportDailyReadLog(
        tuple(LogValue(m, readings.export_register(m)) for m in midnights)
    ), nothing


@family.device(
    "4.17",
    body=RetrieveDailyConsumptionLog,
    check=_check_log_read,
    device_types=_METERS,
    responses=(DailyConsumptionLog,),
)
def read_daily_consumption(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    body = request.body
    assert isinstance(body, RetrieveDailyConsumptionLog)
    readings, gas = _readings(state, device), _is_gas(device)
    entries: tuple[LogValue, ...] = ()
    if readings is not None:
        midnights = _midnights(body, state.now(), DAILY_CONSUMPTION_DAYS)
        if midnights:
            registers = [readings.import_register(midnights[0] - DAY)]
            registers += [readings.import_register(m) for m in midnights]
            entries = tuple(
                LogValue(m, _value(registers[i + 1] - registers[i], gas))
                for i, m in enumerate(midnights)
            )
    return DailyConsumptionLog(gas, entries), nothing


# -- 4.8.x profile data --------------------------------------------------------------------------


def _slots(body: LogRead, now: datetime, held: int) -> tuple[datetime, datetime]:
    """[first, end): the half-hours wholly inside the period that have ended, of the newest
    `held`; first == end when there are none."""
    newest_end = floor_half_hour(now)
    first = max(ceil_half_hour(body.start), newest_end - held * HALF_HOUR, EPOCH)
    end = min(floor_half_hour(body.end), newest_end)
    return first, max(first, end)


@family.device(
    "4.8.1",
    body=ReadActiveImportProfileData,
    check=_check_log_read,
    device_types=_METERS,
    responses=(ActiveImportProfile,),
)
def read_active_import_profile(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    body = request.body
    assert isinstance(body, ReadActiveImportProfileData)
    readings, gas = _readings(state, device), _is_gas(device)
    first, end = _slots(body, state.now(), ACTIVE_PROFILE_HALF_HOURS)
    if readings is None:
        return ActiveImportProfile(gas, first, ()), nothing
    values = half_hours(readings, first, end, export=False)
    return ActiveImportProfile(gas, first, tuple(values)), nothing


@family.device(
    "4.8.2",
    body=ReadReactiveImportProfileData,
    check=_check_no_credentials,
    device_types=_ESME,
    responses=(ReactiveImportProfile,),
)
def read_reactive_import_profile(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    body = request.body
    assert isinstance(body, ReadReactiveImportProfileData)
    readings = state.network.readings(device)
    assert readings is not None
    ratio = reactive_ratio(device.device_id)
    first, end = _slots(body, state.now(), OTHER_PROFILE_HALF_HOURS)
    count = int((end - first) / HALF_HOUR)
    # Reactive half-hours are differences of the reactive register, as the active ones are.
    marks = readings.imported.at_half_hours(first, count + 1) if count else []
    values = tuple(reactive(b, ratio) - reactive(a, ratio) for a, b in pairwise(marks))
    return ReactiveImportProfile(first, values), nothing


@family.device(
    "4.8.3",
    body=ReadExportProfileData,
    check=_check_no_credentials,
    device_types=_ESME,
    responses=(ExportProfile,),
)
def read_export_profile(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    body = request.body
    assert isinstance(body, ReadExportProfileData)
    readings = state.network.readings(device)
    assert readings is not None
    ratio = reactive_ratio(device.device_id)
    first, end = _slots(body, state.now(), OTHER_PROFILE_HALF_HOURS)
    count = int((end - first) / HALF_HOUR)
    marks = readings.exported.at_half_hours(first, count + 1) if count else []
    entries = tuple(
        ExportProfileEntry(first + i * HALF_HOUR, b - a, reactive(b, ratio) - reactive(a, ratio))
        for i, (a, b) in enumerate(pairwise(marks))
    )
    return ExportProfile(entries), nothing


# -- 4.10 network data ---------------------------------------------------------------------------


@family.device(
    "4.10",
    body=ReadNetworkData,
    check=_check_log_read,
    device_types=_METERS,
    responses=(ElectricityNetworkData, GasNetworkData),
)
def read_network_data(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    body = request.body
    assert isinstance(body, ReadNetworkData)
    if _is_gas(device):
        return _gas_network_data(state, body, device), nothing
    return _voltage_data(state, body, device), nothing


def _gas_network_data(
    state: DspState, body: ReadNetworkData, device: SimulatedDevice
) -> GasNetworkData:
    gsme = _metered(device)
    log = gsme.network_data if gsme is not None else None
    if gsme is None or log is None:
        return GasNetworkData(None)
    samples = log.samples(gsme.device_id, state.now())
    return GasNetworkData(tuple(s for s in samples if body.start <= s.timestamp <= body.end))


def _voltage_data(
    state: DspState, body: ReadNetworkData, device: SimulatedDevice
) -> ElectricityNetworkData:
    polyphase = _polyphase(state, device)
    configuration = device.configuration
    settings = configuration.voltage if configuration is not None else None
    settings = settings or factory_voltage(polyphase)
    reset = configuration.voltage_counters_reset_at if configuration is not None else None
    now = state.now()
    phases = []
    for number, phase in enumerate(settings.phases, start=1):
        model = VoltagePhase.of(device.device_id, number)
        seconds = phase.measurement_period
        if seconds <= 0:  # no measurement period: nothing measured
            phases.append(PhaseVoltageData(number, 0, 0, (), seconds))
            continue
        period = timedelta(seconds=seconds)
        ended = max(0, (now - EPOCH) // period)  # periods that have ended
        since = 0 if reset is None else -(-max(reset - EPOCH, timedelta(0)) // period)
        over = model.count(since, ended, phase.over_threshold, over=True)
        under = model.count(since, ended, phase.under_threshold, over=False)
        first = max(
            ended - VOLTAGE_LOG_ENTRIES, -(-max(body.start - EPOCH, timedelta(0)) // period)
        )
        last = min(ended, (body.end - EPOCH) // period)  # periods ending by the period's end
        profile = tuple(
            LogValue(EPOCH + k * period, model.voltage(k)) for k in range(first, max(first, last))
        )
        phases.append(PhaseVoltageData(number, over, under, profile, seconds))
    return ElectricityNetworkData(polyphase, tuple(phases))


# -- 4.12.x maximum demand and 6.18.x ------------------------------------------------------------


def _demand(
    readings: Readings,
    since: datetime | None,
    now: datetime,
    export: bool,
    slots: frozenset[int] | None = None,
) -> MaximumDemand:
    # Never reset: the largest half-hour the 13-month profile log still holds.
    start = since or floor_half_hour(now) - ACTIVE_PROFILE_HALF_HOURS * HALF_HOUR
    largest = largest_half_hour(readings, start, now, export=export, slots=slots)
    if largest is None or largest.value == 0:  # nothing consumed: nothing captured
        return MaximumDemand(0, None, since)
    return MaximumDemand(2 * largest.value, largest.start + HALF_HOUR, since)


@family.device(
    "4.12.1",
    body=ReadMaximumDemandImportRegisters,
    device_types=_ESME,
    responses=(MaximumDemandImport,),
)
def read_maximum_demand_import(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    readings = state.network.readings(device)
    assert readings is not None
    data, now = _view(device), state.now()
    active = _demand(readings, data.import_md_reset, now, False)
    window = data.demand_window
    configurable = None
    if window is not None:
        configurable = _demand(readings, data.configurable_md_reset, now, False, window.slots())
    return MaximumDemandImport(active, configurable, window), nothing


@family.device(
    "4.12.2",
    body=ReadMaximumDemandExportRegisters,
    device_types=_ESME,
    responses=(MaximumDemandExport,),
)
def read_maximum_demand_export(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    readings = state.network.readings(device)
    assert readings is not None
    return MaximumDemandExport(
        _demand(readings, _view(device).export_md_reset, state.now(), True)
    ), nothing


@family.device("6.18.1", body=SetMaximumDemandPeriod, check=_check_window, device_types=_ESME)
def set_maximum_demand_period(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    body = request.body
    assert isinstance(body, SetMaximumDemandPeriod)
    _meter_data(device).demand_window = DemandWindow(body.start, body.end)
    return None, nothing


@family.device("6.18.2", body=ResetMaximumDemandRegisters, check=_check_reset, device_types=_ESME)
def reset_maximum_demand(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    body = request.body
    assert isinstance(body, ResetMaximumDemandRegisters)
    if not (body.active_import or body.active_export or body.configurable_time_import):
        return None, nothing
    data, now = _meter_data(device), state.now()
    if body.active_import:
        data.import_md_reset = now
    if body.active_export:
        data.export_md_reset = now
    if body.configurable_time_import:
        data.configurable_md_reset = now
    return None, nothing


# -- 4.15 / 4.16 and 6.4.x load limiting ---------------------------------------------------------


@family.device("4.15", body=ReadLoadLimitData, device_types=_ESME, responses=(LoadLimitData,))
def read_load_limit_data(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    data = _view(device)
    settings = data.load_limit
    if settings is None:
        return LoadLimitData(0, None), nothing
    readings = state.network.readings(device)
    assert readings is not None
    since = max(settings.since, data.load_limit_counter_reset or settings.since)
    return LoadLimitData(
        load_limit_events(readings, settings, since, state.now()), settings
    ), nothing


@family.device("4.16", body=ReadActivePowerImport, device_types=_ESME, responses=(ActivePower,))
def read_active_power(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    readings = state.network.readings(device)
    assert readings is not None
    start = floor_half_hour(state.now())
    return ActivePower(2 * readings.import_between(start, start + HALF_HOUR)), nothing


def _settings(body: UpdateLoadLimitingSettings, since: datetime) -> LoadLimitSettings:
    return LoadLimitSettings(
        body.period, body.power_threshold, body.restoration_period, body.supply_state, since
    )


@family.device(
    "6.4.1",
    body=UpdateLoadLimitingSettings,
    check=_check_load_limit,
    device_types=_ESME,
    device_holds_future_dated=True,
)
def update_load_limiting(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    body = request.body
    assert isinstance(body, UpdateLoadLimitingSettings)
    now, when = state.now(), request.execution_datetime
    if request.is_cancellation:
        if device.meter_data is not None:
            device.meter_data.held_load_limit = None
        return None, nothing
    data = _meter_data(device)
    if when is not None and when > now:
        held = HeldLoadLimitSettings(_settings(body, when), when, request.request_id.counter)
        data.held_load_limit = held
        device_id, counter = device.device_id, request.request_id.counter
        state.scheduler.at(
            when,
            lambda: _run_held_load_limit(state, device_id, counter),
            label=f"6.4.1 load limiting on {device_id}",
        )
        return None, nothing
    data.load_limit = _settings(body, now)
    return None, nothing


def _run_held_load_limit(state: DspState, device_id: str, counter: int) -> None:
    """A future-dated 6.4.1 falls due: the ESME takes the settings it held."""
    device = state.network.get(device_id)
    if device is not None and device.meter_data is not None:
        device.meter_data.run_held_load_limit(counter, state.now())


@family.device("6.4.2", body=ResetLoadLimitingCounter, device_types=_ESME)
def reset_load_limiting_counter(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    _meter_data(device).load_limit_counter_reset = state.now()
    return None, nothing


# -- 6.27 ----------------------------------------------------------------------------------------


@family.device("6.27", body=ResetRmsVoltageCounters, device_types=_ESME)
def reset_rms_voltage_counters(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    configuration_of(device).voltage_counters_reset_at = state.now()
    return None, nothing
