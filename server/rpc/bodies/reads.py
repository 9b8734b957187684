"""gRPC messages of the meter-data reads and their configuration (reads.proto)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import time
from decimal import Decimal

from dccsim.devices.meter_data import LoadLimitSettings, LoadLimitSupplyState
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
    LogValue,
    MaximumDemand,
    MaximumDemandExport,
    MaximumDemandImport,
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
from dccsim.server.rpc.bodies.family import MessageFamily
from dccsim.server.rpc.wire import EnumMap, from_timestamp, timestamp
from dccsim.v1 import reads_pb2, supplier_pb2

SUPPLY_STATES = EnumMap(LoadLimitSupplyState, reads_pb2.LoadLimitSupplyState)
_TIME = re.compile(r"([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?")

# -- requests ------------------------------------------------------------------------------------


def _log_read(body_type: type[LogRead]) -> Callable[[reads_pb2.MeterReadPeriod], LogRead]:
    def read(message: reads_pb2.MeterReadPeriod) -> LogRead:
        for name in ("start", "end"):
            if not message.HasField(name):
                raise InvalidField(f"body.{name}", "is required")
        key = (
            message.ka_public_security_credentials
            if message.HasField("ka_public_security_credentials")
            else None
        )
        return body_type(
            from_timestamp(message.start, "body.start"),
            from_timestamp(message.end, "body.end"),
            key,
        )

    return read


def _time(text: str, field: str) -> time:
    match = _TIME.fullmatch(text)
    if match is None:
        raise InvalidField(field, f"{text[:40]!r} is not a time of day (hh:mm[:ss])")
    hour, minute, second = (int(part or 0) for part in match.groups())
    if hour > 23 or minute > 59 or second > 59:
        raise InvalidField(field, f"{text!r} is not a valid time of day")
    return time(hour, minute, second)


def _load_limit(message: reads_pb2.UpdateLoadLimitingSettings) -> UpdateLoadLimitingSettings:
    supply_state = SUPPLY_STATES.to_core(message.supply_state, "body.supply_state")
    assert supply_state is not None
    return UpdateLoadLimitingSettings(
        message.period, message.power_threshold, message.restoration_period, supply_state
    )


def _demand_period(message: reads_pb2.SetMaximumDemandPeriod) -> SetMaximumDemandPeriod:
    return SetMaximumDemandPeriod(
        _time(message.start_time, "body.start"), _time(message.end_time, "body.end")
    )


def _reset(message: reads_pb2.ResetMaximumDemandRegisters) -> ResetMaximumDemandRegisters:
    return ResetMaximumDemandRegisters(
        message.active_import, message.active_export, message.configurable_time_import
    )


# -- answers -------------------------------------------------------------------------------------


def _fill_value(out: reads_pb2.MeterLogValue, entry: LogValue) -> None:
    out.timestamp.CopyFrom(timestamp(entry.timestamp))
    if isinstance(entry.value, Decimal):
        out.decimal = f"{entry.value:f}"
    else:
        out.units = entry.value


def _log(response: supplier_pb2.ServiceResponse, gas: bool, entries: tuple[LogValue, ...]) -> None:
    log = response.meter_log
    log.SetInParent()  # an empty log is still a log
    log.gas = gas
    for entry in entries:
        _fill_value(log.entries.add(), entry)


def _electricity(response: supplier_pb2.ServiceResponse, read: ElectricityImportRegisters) -> None:
    out = response.import_registers.electricity
    out.active_import_wh = read.active
    out.reactive_import_varh = read.reactive


def _gas(response: supplier_pb2.ServiceResponse, read: GasImportRegister) -> None:
    out = response.import_registers.gas
    out.SetInParent()
    if read.volume is not None:
        out.volume_m3 = f"{read.volume:f}"


def _export(response: supplier_pb2.ServiceResponse, read: ExportRegisters) -> None:
    response.export_registers.active_export_wh = read.active
    response.export_registers.reactive_export_varh = read.reactive


def _export_profile(response: supplier_pb2.ServiceResponse, read: ExportProfile) -> None:
    out = response.export_profile
    out.SetInParent()
    for entry in read.entries:
        item = out.entries.add()
        item.timestamp.CopyFrom(timestamp(entry.timestamp))
        item.active_export_wh = entry.active
        item.reactive_export_varh = entry.reactive


def _voltage(response: supplier_pb2.ServiceResponse, read: ElectricityNetworkData) -> None:
    out = response.network_data.electricity
    out.polyphase = read.polyphase
    for phase in read.phases:
        item = out.phases.add()
        item.phase = phase.phase
        item.over_voltage_count = phase.over_voltage_count
        item.under_voltage_count = phase.under_voltage_count
        item.measurement_period = phase.measurement_period
        for entry in phase.profile:
            _fill_value(item.profile.add(), entry)


def _gas_network(response: supplier_pb2.ServiceResponse, read: GasNetworkData) -> None:
    out = response.network_data.gas
    out.SetInParent()
    out.has_log = read.samples is not None
    for sample in read.samples or ():
        _fill_value(out.samples.add(), LogValue(sample.timestamp, sample.value))


def _fill_demand(out: reads_pb2.MaximumDemandValue, demand: MaximumDemand) -> None:
    out.watts = demand.value
    if demand.captured_at is not None:
        out.captured_at.CopyFrom(timestamp(demand.captured_at))
    if demand.last_reset is not None:
        out.last_reset.CopyFrom(timestamp(demand.last_reset))


def _demand_import(response: supplier_pb2.ServiceResponse, read: MaximumDemandImport) -> None:
    out = response.maximum_demand
    _fill_demand(out.active, read.active)
    if read.configurable is not None:
        _fill_demand(out.configurable_time, read.configurable)
    if read.window is not None:
        out.window.start_time = read.window.start.isoformat()
        out.window.end_time = read.window.end.isoformat()


def _demand_export(response: supplier_pb2.ServiceResponse, read: MaximumDemandExport) -> None:
    _fill_demand(response.maximum_demand.active, read.active)


def _fill_settings(out: reads_pb2.UpdateLoadLimitingSettings, settings: LoadLimitSettings) -> None:
    out.period = settings.period
    out.power_threshold = settings.power_threshold
    out.restoration_period = settings.restoration_period
    out.supply_state = SUPPLY_STATES.to_proto(settings.supply_state)


def _load_limit_data(response: supplier_pb2.ServiceResponse, read: LoadLimitData) -> None:
    out = response.load_limit_data
    out.SetInParent()
    out.counter = read.counter
    if read.settings is not None:
        _fill_settings(out.settings, read.settings)


def _active_power(response: supplier_pb2.ServiceResponse, read: ActivePower) -> None:
    response.active_power.watts = read.watts


FAMILY = MessageFamily(
    readers={
        "read_instantaneous_import_registers": (
            ReadInstantaneousImportRegisters,
            lambda _: ReadInstantaneousImportRegisters(),
        ),
        "read_instantaneous_export_registers": (
            ReadInstantaneousExportRegisters,
            lambda _: ReadInstantaneousExportRegisters(),
        ),
        "retrieve_import_daily_read_log": (
            RetrieveImportDailyReadLog,
            _log_read(RetrieveImportDailyReadLog),
        ),
        "retrieve_export_daily_read_log": (
            RetrieveExportDailyReadLog,
            _log_read(RetrieveExportDailyReadLog),
        ),
        "read_active_import_profile_data": (
            ReadActiveImportProfileData,
            _log_read(ReadActiveImportProfileData),
        ),
        "read_reactive_import_profile_data": (
            ReadReactiveImportProfileData,
            _log_read(ReadReactiveImportProfileData),
        ),
        "read_export_profile_data": (ReadExportProfileData, _log_read(ReadExportProfileData)),
        "read_network_data": (ReadNetworkData, _log_read(ReadNetworkData)),
        "read_maximum_demand_import_registers": (
            ReadMaximumDemandImportRegisters,
            lambda _: ReadMaximumDemandImportRegisters(),
        ),
        "read_maximum_demand_export_registers": (
            ReadMaximumDemandExportRegisters,
            lambda _: ReadMaximumDemandExportRegisters(),
        ),
        "read_load_limit_data": (ReadLoadLimitData, lambda _: ReadLoadLimitData()),
        "read_active_power_import": (ReadActivePowerImport, lambda _: ReadActivePowerImport()),
        "retrieve_daily_consumption_log": (
            RetrieveDailyConsumptionLog,
            _log_read(RetrieveDailyConsumptionLog),
        ),
        "update_load_limiting_settings": (UpdateLoadLimitingSettings, _load_limit),
        "reset_load_limiting_counter": (
            ResetLoadLimitingCounter,
            lambda _: ResetLoadLimitingCounter(),
        ),
        "set_maximum_demand_period": (SetMaximumDemandPeriod, _demand_period),
        "reset_maximum_demand_registers": (ResetMaximumDemandRegisters, _reset),
        "reset_rms_voltage_counters": (
            ResetRmsVoltageCounters,
            lambda _: ResetRmsVoltageCounters(),
        ),
    },
    response_fillers={
        ElectricityImportRegisters: _electricity,
        GasImportRegister: _gas,
        ExportRegisters: _export,
        ImportDailyReadLog: lambda r, read: _log(r, read.gas, read.entries),
        ExportDailyReadLog: lambda r, read: _log(r, False, read.entries),
        ActiveImportProfile: lambda r, read: _log(r, read.gas, read.entries),
        ReactiveImportProfile: lambda r, read: _log(r, False, read.entries),
        DailyConsumptionLog: lambda r, read: _log(r, read.gas, read.entries),
        ExportProfile: _export_profile,
        ElectricityNetworkData: _voltage,
        GasNetworkData: _gas_network,
        MaximumDemandImport: _demand_import,
        MaximumDemandExport: _demand_export,
        LoadLimitData: _load_limit_data,
        ActivePower: _active_power,
    },
)
