"""DUIS bodies of the meter-data reads and their configuration (server/core/services/reads.py):
the request bodies in, in the DUIS schema's element order, and the MMC responses out, named and
shaped as MMC_Schema_V5.3 (and 5.1, identical for these) define them. 6.4.1, 6.4.2, 6.18.1,
6.18.2 and 6.27 answer with their empty MMC responses."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import time
from decimal import Decimal

from lxml import etree

from dccsim.devices.meter_data import LoadLimitSupplyState
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.services.reads import (
    ActiveImportProfile,
    ActivePower,
    DailyConsumptionLog,
    ElectricityImportRegisters,
    ElectricityNetworkData,
    ExportDailyReadLog,
    ExportProfile,
    ExportRegisters,
    GasImportRegister,
    GasNetworkData,
    ImportDailyReadLog,
    LoadLimitData,
    LogRead,
    MaximumDemand,
    MaximumDemandExport,
    MaximumDemandImport,
    PhaseVoltageData,
    ReactiveImportProfile,
    ReadActiveImportProfileData,
    ReadActivePowerImport,
    ReadExportProfileData,
    ReadInstantaneousExportRegisters,
    ReadInstantaneousImportRegisters,
    ReadLoadLimitData,
    ReadMaximumDemandExportRegisters,
    ReadMaximumDemandImportRegisters,
    ReadNetworkData,
    ReadReactiveImportProfileData,
    ResetLoadLimitingCounter,
    ResetMaximumDemandRegisters,
    ResetRmsVoltageCounters,
    RetrieveDailyConsumptionLog,
    RetrieveExportDailyReadLog,
    RetrieveImportDailyReadLog,
    SetMaximumDemandPeriod,
    UpdateLoadLimitingSettings,
)
from dccsim.server.duis.bodies.family import BodyFamily
from dccsim.server.duis.names import RA_NS, format_datetime
from dccsim.server.duis.reading import (
    BodyReading,
    Reader,
    base64_value,
    contentless,
    datetime_value,
    element_children,
    optional_datetime,
    sequence,
    text_value,
    unsigned_value,
)
from dccsim.server.duis.writing import ra, sub

# xs:time: hh:mm:ss[.s+][Z|(+|-)hh:mm]
_TIME = re.compile(r"([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?(Z|[+-][0-9]{2}:[0-9]{2})?")
_UNSIGNED_INT = 4_294_967_295


# -- reading -------------------------------------------------------------------------------------


def _time_value(element: etree._Element, path: str) -> time:
    """An xs:time, as a UTC time of day (no zone: UTC, as every DUIS time)."""
    text = text_value(element, path)
    match = _TIME.fullmatch(text)
    if match is None:
        raise InvalidField(path, f"{text[:40]!r} is not an xs:time (hh:mm:ss[.s][Z])")
    hour, minute, second, fraction, zone = match.groups()
    h, m, s = int(hour), int(minute), int(second)
    if h > 24 or m > 59 or s > 59 or (h == 24 and (m or s or int(fraction or "0"))):
        raise InvalidField(path, f"{text!r} is not a valid time of day")
    seconds = h * 3600 + m * 60 + s
    if zone not in (None, "Z"):
        offset = int(zone[1:3]) * 3600 + int(zone[4:6]) * 60
        if int(zone[1:3]) > 14 or int(zone[4:6]) > 59:
            raise InvalidField(path, f"{text!r} has an invalid time zone")
        seconds -= offset if zone[0] == "+" else -offset
    seconds %= 86_400
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    return (
        time(seconds // 3600, seconds // 60 % 60, seconds % 60, micro)
        if seconds or micro
        else time(0)
    )


def _uint_value(element: etree._Element, path: str) -> int:
    value = unsigned_value(element, path)
    if value > _UNSIGNED_INT:
        raise InvalidField(path, f"{value} is more than xs:unsignedInt's {_UNSIGNED_INT}")
    return value


def _nothing(body_type: type) -> Callable[[etree._Element, str], BodyReading]:
    """A ReadDataOnDemand body: nothing at all."""

    def read(element: etree._Element, path: str) -> BodyReading:
        sequence(element, path, [])
        return body_type(), None, {}

    return read


def _log_read(body_type: type[LogRead], credentials: bool) -> Callable[..., BodyReading]:
    """ReadLogFutureDatable(AndURPCredentials): [ExecutionDateTime], ReadLogPeriod,
    [KAPublicSecurityCredentials]."""

    def read(element: etree._Element, path: str) -> BodyReading:
        layout = [("ExecutionDateTime", 0, 1), ("ReadLogPeriod", 1, 1)]
        if credentials:
            layout.append(("KAPublicSecurityCredentials", 0, 1))
        parts = sequence(element, path, layout)
        period_path = f"{path}/ReadLogPeriod"
        period = sequence(
            parts["ReadLogPeriod"][0],
            period_path,
            [("StartDateTime", 1, 1), ("EndDateTime", 1, 1)],
        )
        start = datetime_value(period["StartDateTime"][0], f"{period_path}/StartDateTime")
        end = datetime_value(period["EndDateTime"][0], f"{period_path}/EndDateTime")
        fields = {
            "body.start": f"{period_path}/StartDateTime",
            "body.end": f"{period_path}/EndDateTime",
        }
        key = None
        if credentials and parts["KAPublicSecurityCredentials"]:
            key_path = f"{path}/KAPublicSecurityCredentials"
            key = base64_value(parts["KAPublicSecurityCredentials"][0], key_path)
            fields["body.ka_credentials"] = key_path
        return body_type(start, end, key), optional_datetime(parts, path), fields

    return read


_LOAD_LIMIT = (
    ("LoadLimitPeriod", "period"),
    ("LoadLimitPowerThreshold", "power_threshold"),
    ("LoadLimitRestorationPeriod", "restoration_period"),
)


def _load_limit(element: etree._Element, path: str) -> BodyReading:
    names = [name for name, _ in _LOAD_LIMIT] + ["LoadLimitSupplyState"]
    parts = sequence(element, path, [("ExecutionDateTime", 0, 1)] + [(n, 1, 1) for n in names])
    values = {field: _uint_value(parts[name][0], f"{path}/{name}") for name, field in _LOAD_LIMIT}
    state_path = f"{path}/LoadLimitSupplyState"
    state_text = text_value(parts["LoadLimitSupplyState"][0], state_path)
    try:
        supply_state = LoadLimitSupplyState(state_text)
    except ValueError:
        raise InvalidField(state_path, f"{state_text[:40]!r} is not Disable or Unchanged") from None
    fields = {f"body.{field}": f"{path}/{name}" for name, field in _LOAD_LIMIT}
    fields["body.supply_state"] = state_path
    body = UpdateLoadLimitingSettings(supply_state=supply_state, **values)
    return body, optional_datetime(parts, path), fields


def _demand_period(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(
        element, path, [("ExecutionDateTime", 0, 1), ("MaximumDemandTimePeriodSchedule", 1, 1)]
    )
    window_path = f"{path}/MaximumDemandTimePeriodSchedule"
    window = sequence(
        parts["MaximumDemandTimePeriodSchedule"][0],
        window_path,
        [("StartTime", 1, 1), ("EndTime", 1, 1)],
    )
    start = _time_value(window["StartTime"][0], f"{window_path}/StartTime")
    end = _time_value(window["EndTime"][0], f"{window_path}/EndTime")
    fields = {"body.start": f"{window_path}/StartTime", "body.end": f"{window_path}/EndTime"}
    return SetMaximumDemandPeriod(start, end), optional_datetime(parts, path), fields


_RESETS = (
    ("MaxDemandActivePowerImportValue", "active_import"),
    ("MaxDemandActivePowerExportValue", "active_export"),
    ("MaxDemandConfigTimeActivePowerImportValue", "configurable_time_import"),
)


def _reset_demand(element: etree._Element, path: str) -> BodyReading:
    layout = [("ExecutionDateTime", 0, 1)] + [(name, 0, 1) for name, _ in _RESETS]
    parts = sequence(element, path, layout)
    named = {}
    for name, field in _RESETS:
        for child in parts[name]:
            if element_children(child, f"{path}/{name}") or (child.text or "").strip():
                raise InvalidField(f"{path}/{name}", "is an empty element")
        named[field] = bool(parts[name])
    return ResetMaximumDemandRegisters(**named), optional_datetime(parts, path), {}


# -- writing -------------------------------------------------------------------------------------


def _decimal(value: int | Decimal) -> str:
    return f"{value:f}" if isinstance(value, Decimal) else str(value)


def _import_registers(read: ElectricityImportRegisters) -> etree._Element:
    element = etree.Element(ra("ReadInstantaneousImportRegistersRsp"))
    electricity = sub(element, "Electricity")
    active = sub(electricity, "ActiveImportRegister")
    sub(active, "Value", str(read.active))
    sub(active, "ActiveEnergyUnit", "Wh")
    reactive = sub(electricity, "ReactiveImportRegister")
    sub(reactive, "Value", str(read.reactive))
    sub(reactive, "ReactiveEnergyUnit", "varh")
    return element


def _gas_register(read: GasImportRegister) -> etree._Element:
    element = etree.Element(ra("ReadInstantaneousImportRegistersRsp"))
    gas = sub(element, "Gas")
    if read.volume is not None:
        register = sub(gas, "ConsumptionRegister")
        sub(register, "Value", _decimal(read.volume))
        sub(register, "Unit", "m3")
    return element


def _export_registers(read: ExportRegisters) -> etree._Element:
    element = etree.Element(ra("ReadInstantaneousExportRegistersRsp"))
    active = sub(element, "ActiveExportRegister")
    sub(active, "Value", str(read.active))
    sub(active, "ActiveEnergyUnit", "Wh")
    reactive = sub(element, "ReactiveExportRegister")
    sub(reactive, "Value", str(read.reactive))
    sub(reactive, "ReactiveEnergyUnit", "varh")
    return element


def _logged(name: str, entries: Iterable[str]) -> etree._Element:
    """`etree.Element(ra(name))` holding the log entries' markup, parsed in one go: a profile's
    48 half-hours (up to 19,056) are four elements each, which lxml parses from one string in a
    fraction of the time `sub` takes to add them one at a time. The markup is dccsim's own:
    element names, numbers (`str`, `_decimal`) and times (`format_datetime`), none of which need
    escaping. `ns0` is the prefix `etree.Element` gives RA_NS, so the tree is the same, and
    appended to a document it is written in that document's `ra:` prefix as before."""
    return etree.fromstring(f'<ns0:{name} xmlns:ns0="{RA_NS}">{"".join(entries)}</ns0:{name}>')


def _leaf(name: str, text: str) -> str:
    return f"<ns0:{name}>{text}</ns0:{name}>"


def _import_daily_log(read: ImportDailyReadLog) -> etree._Element:
    if read.gas:
        fuel, register = "Gas", "GasActiveImportRegisterConsumption"
    else:
        fuel, register = "Electricity", "ElecActiveImportRegisterConsumption"
    return _logged(
        "RetrieveImportDailyReadLogRsp",
        (
            "<ns0:LogEntry>"
            + _leaf("Timestamp", format_datetime(entry.timestamp))
            + _leaf(fuel, _leaf(register, _decimal(entry.value) if read.gas else str(entry.value)))
            + "</ns0:LogEntry>"
            for entry in read.entries
        ),
    )


def _export_daily_log(read: ExportDailyReadLog) -> etree._Element:
    return _logged(
        "RetrieveExportDailyReadLogRsp",
        (
            "<ns0:LogEntry>"
            + _leaf("ActiveExportRegisterValue", str(entry.value))
            + _leaf("TimeStamp", format_datetime(entry.timestamp))
            + "</ns0:LogEntry>"
            for entry in read.entries
        ),
    )


def _active_profile(read: ActiveImportProfile) -> etree._Element:
    fuel = "Gas" if read.gas else "Electricity"
    return _logged(
        "ReadActiveImportProfileDataRsp",
        (  # the half-hours' times, and m3 for gas
            "<ns0:LogEntry>"
            + _leaf("Timestamp", format_datetime(entry.timestamp))
            + _leaf(fuel, _leaf("PrimaryValue", _decimal(entry.value)))
            + "</ns0:LogEntry>"
            for entry in read.entries
        ),
    )


def _reactive_profile(read: ReactiveImportProfile) -> etree._Element:
    return _logged(
        "ReadReactiveImportProfileDataRsp",
        (
            "<ns0:LogEntry>"
            + _leaf("ReactiveEnergyImportedValue", str(entry.value))
            + _leaf("Timestamp", format_datetime(entry.timestamp))
            + "</ns0:LogEntry>"
            for entry in read.entries
        ),
    )


def _export_profile(read: ExportProfile) -> etree._Element:
    return _logged(
        "ReadExportProfileDataRsp",
        (
            "<ns0:LogEntry>"
            + _leaf("ActiveEnergyExportedValue", str(entry.active))
            + _leaf("ReactiveEnergyExportedValue", str(entry.reactive))
            + _leaf("Timestamp", format_datetime(entry.timestamp))
            + "</ns0:LogEntry>"
            for entry in read.entries
        ),
    )


def _voltage_data(parent: etree._Element, data: PhaseVoltageData) -> None:
    for name, count in (
        ("AvgRMSOverVoltageCounter", data.over_voltage_count),
        ("AvgRMSUnderVoltageCounter", data.under_voltage_count),
    ):
        sub(sub(parent, name), "Value", str(count))
    log = sub(parent, "AvgRMSVoltageProfileDataLog")
    for entry in data.profile:
        item = sub(log, "LogEntry")
        sub(item, "Value", _decimal(entry.value))
        sub(item, "Timestamp", format_datetime(entry.timestamp))
    sub(log, "MeasurementPeriod", str(data.measurement_period))


def _electricity_network(read: ElectricityNetworkData) -> etree._Element:
    element = etree.Element(ra("ReadNetworkDataRsp"))
    electricity = sub(element, "Electricity")
    if not read.polyphase:
        _voltage_data(sub(electricity, "SinglePhaseESME"), read.phases[0])
        return element
    poly = sub(electricity, "PolyPhaseESME")
    for phase in read.phases:
        item = sub(poly, "PhaseVoltageOperationalData")
        _voltage_data(sub(item, "VoltageOperationalData"), phase)
        sub(item, "Phase", str(phase.phase))
    return element


def _gas_network(read: GasNetworkData) -> etree._Element:
    element = etree.Element(ra("ReadNetworkDataRsp"))
    gas = sub(element, "Gas")
    if read.samples is not None:
        log = sub(gas, "NetworkDataLog")
        for sample in read.samples:
            item = sub(log, "LogEntry")
            sub(item, "Value", _decimal(sample.value))
            sub(item, "Timestamp", format_datetime(sample.timestamp))
    return element


def _demand(parent: etree._Element, name: str, demand: MaximumDemand) -> None:
    element = sub(parent, name)
    sub(element, "Value", str(demand.value))
    if demand.captured_at is not None:
        sub(element, "CaptureTime", format_datetime(demand.captured_at))
    if demand.last_reset is not None:
        sub(element, "LastResetDateTime", format_datetime(demand.last_reset))


def _format_time(at: time) -> str:
    return f"{at.hour:02d}:{at.minute:02d}:{at.second:02d}.{at.microsecond // 1000:03d}Z"


def _demand_import(read: MaximumDemandImport) -> etree._Element:
    element = etree.Element(ra("ReadMaximumDemandImportRegistersRsp"))
    if read.configurable is not None:
        _demand(element, "MaxDemandConfigurableTimeActivePowerImport", read.configurable)
    _demand(element, "MaxDemandActiveEnergyImport", read.active)
    if read.window is not None:
        window = sub(element, "MaxDemandConfigurableTimePeriod")
        sub(window, "StartTime", _format_time(read.window.start))
        sub(window, "EndTime", _format_time(read.window.end))
    return element


def _demand_export(read: MaximumDemandExport) -> etree._Element:
    element = etree.Element(ra("ReadMaximumDemandExportRegistersRsp"))
    _demand(element, "MaxDemandActiveEnergyExport", read.active)
    return element


def _load_limit_data(read: LoadLimitData) -> etree._Element:
    element = etree.Element(ra("ReadLoadLimitDataRsp"))
    sub(element, "LoadLimitCounterValue", str(read.counter))
    settings = read.settings
    if settings is not None:
        sub(element, "LoadLimitPowerThreshold", str(settings.power_threshold))
        sub(element, "LoadLimitPeriod", str(settings.period))
        sub(element, "LoadLimitRestorationPeriod", str(settings.restoration_period))
        sub(element, "LoadLimitSupplyState", settings.supply_state.value)
    return element


def _active_power(read: ActivePower) -> etree._Element:
    element = etree.Element(ra("ReadActivePowerImportRsp"))
    power = sub(element, "ActivePowerImport")
    sub(power, "Value", str(read.watts))
    sub(power, "Unit", "W")
    return element


def _daily_consumption(read: DailyConsumptionLog) -> etree._Element:
    element = etree.Element(ra("RetrieveDailyConsumptionLogRsp"))
    fuel = sub(element, "Gas" if read.gas else "Electricity")
    for entry in read.entries:
        item = sub(fuel, "LogEntry")
        sub(item, "Value", _decimal(entry.value))
        sub(item, "Timestamp", format_datetime(entry.timestamp))
    return element


def _on_demand(body_type: type) -> Reader:
    """A ReadDataOnDemand(OrFutureDated) body: an optional ExecutionDateTime only."""
    return contentless(body_type, future_datable=True)


FAMILY: BodyFamily = BodyFamily(
    readers={
        "4.1.1": (
            "ReadInstantaneousImportRegisters",
            _on_demand(ReadInstantaneousImportRegisters),
        ),
        "4.2": (
            "ReadInstantaneousExportRegisters",
            _on_demand(ReadInstantaneousExportRegisters),
        ),
        "4.6.1": ("RetrieveImportDailyReadLog", _log_read(RetrieveImportDailyReadLog, True)),
        "4.6.2": ("RetrieveExportDailyReadLog", _log_read(RetrieveExportDailyReadLog, False)),
        "4.8.1": ("ReadActiveImportProfileData", _log_read(ReadActiveImportProfileData, True)),
        "4.8.2": (
            "ReadReactiveImportProfileData",
            _log_read(ReadReactiveImportProfileData, False),
        ),
        "4.8.3": ("ReadExportProfileData", _log_read(ReadExportProfileData, False)),
        "4.10": ("ReadNetworkData", _log_read(ReadNetworkData, True)),
        "4.12.1": (
            "ReadMaximumDemandImportRegisters",
            _on_demand(ReadMaximumDemandImportRegisters),
        ),
        "4.12.2": (
            "ReadMaximumDemandExportRegisters",
            _on_demand(ReadMaximumDemandExportRegisters),
        ),
        "4.15": ("ReadLoadLimitData", _on_demand(ReadLoadLimitData)),
        "4.16": ("ReadActivePowerImport", _nothing(ReadActivePowerImport)),
        "4.17": ("RetrieveDailyConsumptionLog", _log_read(RetrieveDailyConsumptionLog, True)),
        "6.4.1": ("UpdateDeviceConfigurationLoadLimitingGeneralSettings", _load_limit),
        "6.4.2": (
            "UpdateDeviceConfigurationLoadLimitingCounterReset",
            _on_demand(ResetLoadLimitingCounter),
        ),
        "6.18.1": ("SetMaximumDemandConfigurableTimePeriod", _demand_period),
        "6.18.2": ("ResetMaximumDemandRegisters", _reset_demand),
        "6.27": (
            "UpdateDeviceConfigurationRMSVoltageCounterReset",
            _on_demand(ResetRmsVoltageCounters),
        ),
    },
    mmc_writers={
        ElectricityImportRegisters: _import_registers,
        GasImportRegister: _gas_register,
        ExportRegisters: _export_registers,
        ImportDailyReadLog: _import_daily_log,
        ExportDailyReadLog: _export_daily_log,
        ActiveImportProfile: _active_profile,
        ReactiveImportProfile: _reactive_profile,
        ExportProfile: _export_profile,
        ElectricityNetworkData: _electricity_network,
        GasNetworkData: _gas_network,
        MaximumDemandImport: _demand_import,
        MaximumDemandExport: _demand_export,
        LoadLimitData: _load_limit_data,
        ActivePower: _active_power,
        DailyConsumptionLog: _daily_consumption,
    },
    empty_responses={
        "6.4.1": "UpdateDeviceConfigurationLoadLimitingGeneralSettingsRsp",
        "6.4.2": "UpdateDeviceConfigurationLoadLimitingCounterResetRsp",
        "6.18.1": "SetMaximumDemandConfigurableTimePeriodRsp",
        "6.18.2": "ResetMaximumDemandRegistersRsp",
        "6.27": "UpdateDeviceConfigurationRMSVoltageCounterResetRsp",
    },
)
