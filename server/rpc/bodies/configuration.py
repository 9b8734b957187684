"""gRPC messages of the device configuration SRVs, 6.2.x, 6.5-6.7, 6.11-6.13, 6.20.x, 6.22 and
6.25 (configuration.proto). Enumerations travel as DUIS's words and decimals as DUIS writes them;
a word or decimal that is not one is refused naming its field."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from dccsim.devices.configuration import AlertSetting, AverageVoltage, RmsVoltage, SupplyState
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.services.configuration import (
    AlertBehavioursRead,
    AlertChange,
    AlertGroup,
    ClockSynchronised,
    ConfigureAlertBehaviour,
    GasConfigurationRead,
    IdentityRead,
    LogRead,
    LogToRead,
    MpxnRead,
    PhaseVoltage,
    PowerThresholdsRead,
    RandomisationRead,
    ReadAlertBehaviours,
    ReadEventOrSecurityLog,
    ReadGasConfiguration,
    ReadIdentity,
    ReadMpxn,
    ReadPowerThresholds,
    ReadRandomisation,
    ReadVoltage,
    SetExportMpan,
    SetImportMpxn,
    SetSupplyTamperState,
    SynchroniseClock,
    UpdateGasConversion,
    UpdateGasFlow,
    UpdatePowerThreshold,
    UpdateVoltage,
    VoltageRead,
)
from dccsim.server.rpc.bodies.family import MessageFamily
from dccsim.server.rpc.wire import from_timestamp, timestamp
from dccsim.v1 import configuration_pb2 as pb
from dccsim.v1 import supplier_pb2

S = TypeVar("S", bound=StrEnum)
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
_MAX_DECIMAL_CHARS = 40
_RMS_FIELDS = tuple(RmsVoltage.__dataclass_fields__)
_AVERAGE_FIELDS = tuple(AverageVoltage.__dataclass_fields__)

# -- requests ------------------------------------------------------------------------------------


def _decimal(text: str, field: str) -> Decimal:
    if len(text) > _MAX_DECIMAL_CHARS or _DECIMAL.fullmatch(text) is None:
        raise InvalidField(field, f"{text[:_MAX_DECIMAL_CHARS]!r} is not a decimal number")
    return Decimal(text)


def _word(kind: type[S], text: str, field: str) -> S:
    try:
        return kind(text)
    except ValueError:
        words = ", ".join(member.value for member in kind)
        raise InvalidField(field, f"{text[:40]!r} is not one of {words}") from None


def _required(message: object, name: str, field: str) -> None:
    if not message.HasField(name):  # type: ignore[attr-defined]
        raise InvalidField(field, "is required")


def _rms(message: pb.CfgRmsVoltage) -> RmsVoltage:
    return RmsVoltage(**{name: getattr(message, name) for name in _RMS_FIELDS})


def _average(message: pb.CfgAverageVoltage) -> AverageVoltage:
    return AverageVoltage(**{name: getattr(message, name) for name in _AVERAGE_FIELDS})


def _update_voltage(message: pb.CfgUpdateVoltage) -> UpdateVoltage:
    _required(message, "rms", "body.rms")
    single = _average(message.single_phase) if message.HasField("single_phase") else None
    phases = tuple(PhaseVoltage(p.phase, _average(p.settings)) for p in message.poly_phase)
    return UpdateVoltage(_rms(message.rms), single, phases, message.counters_not_reset)


def _gas_conversion(message: pb.CfgUpdateGasConversion) -> UpdateGasConversion:
    return UpdateGasConversion(
        _decimal(message.calorific_value, "body.calorific_value"),
        _decimal(message.conversion_factor, "body.conversion_factor"),
    )


def _gas_flow(message: pb.CfgUpdateGasFlow) -> UpdateGasFlow:
    return UpdateGasFlow(
        _decimal(message.uncontrolled_rate, "body.uncontrolled_rate"),
        _word(SupplyState, message.supply_depletion_state, "body.supply_depletion_state"),
        _word(SupplyState, message.supply_tamper_state, "body.supply_tamper_state"),
        message.stabilisation_period,
        message.measurement_period,
    )


def _synchronise_clock(message: pb.CfgSynchroniseClock) -> SynchroniseClock:
    _required(message, "current_datetime", "body.current_datetime")
    current = from_timestamp(message.current_datetime, "body.current_datetime")
    return SynchroniseClock(current, message.tolerance_period)


def _read_log(message: pb.CfgReadEventOrSecurityLog) -> ReadEventOrSecurityLog:
    for name in ("start", "end"):
        _required(message, name, f"body.{name}")
    return ReadEventOrSecurityLog(
        from_timestamp(message.start, "body.start"),
        from_timestamp(message.end, "body.end"),
        _word(LogToRead, message.log, "body.log"),
    )


def _optional(message: object, name: str) -> str | None:
    return getattr(message, name) if message.HasField(name) else None  # type: ignore[attr-defined]


def _import_mpxn(message: pb.CfgSetImportMpxn) -> SetImportMpxn:
    return SetImportMpxn(
        _optional(message, "import_mpan"),
        _optional(message, "secondary_import_mpan"),
        _optional(message, "import_mprn"),
    )


def _alert_behaviour(message: pb.CfgConfigureAlertBehaviour) -> ConfigureAlertBehaviour:
    group = _word(AlertGroup, message.group, "body.group")
    changes = tuple(
        AlertChange(
            change.code,
            _word(AlertSetting, change.setting, f"body.changes[{index}].setting"),
            change.enabled,
        )
        for index, change in enumerate(message.changes)
    )
    return ConfigureAlertBehaviour(group, changes)


def _no_content(body_type: type) -> Callable[[object], object]:
    return lambda _: body_type()


# -- answers -------------------------------------------------------------------------------------


def _fill_average(out: pb.CfgAverageVoltage, value: AverageVoltage) -> None:
    for name in _AVERAGE_FIELDS:
        setattr(out, name, getattr(value, name))


def _voltage(response: supplier_pb2.ServiceResponse, read: VoltageRead) -> None:
    out = response.voltage_configuration
    for name in _RMS_FIELDS:
        setattr(out.rms, name, getattr(read.settings.rms, name))
    for phase in read.settings.phases:
        _fill_average(out.phases.add(), phase)


def _randomisation(response: supplier_pb2.ServiceResponse, read: RandomisationRead) -> None:
    out = response.randomisation
    out.offset, out.offset_number, out.offset_limit = (
        read.offset,
        read.offset_number,
        read.offset_limit,
    )


def _identity(response: supplier_pb2.ServiceResponse, read: IdentityRead) -> None:
    out = response.identity
    out.device_id, out.model, out.manufacturer = read.device_id, read.model, read.manufacturer
    if read.supply_tamper_state is not None:
        out.supply_tamper_state = read.supply_tamper_state.value
    if read.meter_variant is not None:
        out.meter_variant = read.meter_variant
    if read.supply_depletion_state is not None:
        out.supply_depletion_state = read.supply_depletion_state.value


def _power_thresholds(response: supplier_pb2.ServiceResponse, read: PowerThresholdsRead) -> None:
    response.power_thresholds.low_medium = read.low_medium
    response.power_thresholds.medium_high = read.medium_high


def _mpxn(response: supplier_pb2.ServiceResponse, read: MpxnRead) -> None:
    out = response.mpxn
    out.gas = read.gas
    for name in ("import_mpxn", "secondary_import_mpan", "export_mpan"):
        value = getattr(read, name)
        if value is not None:
            setattr(out, name, value)


def _gas(response: supplier_pb2.ServiceResponse, read: GasConfigurationRead) -> None:
    out = response.gas_configuration
    out.calorific_value = f"{read.conversion.calorific_value:f}"
    out.conversion_factor = f"{read.conversion.conversion_factor:f}"
    out.uncontrolled_rate = f"{read.flow.uncontrolled_rate:f}"
    out.stabilisation_period = read.flow.stabilisation_period
    out.measurement_period = read.flow.measurement_period


def _alert_behaviours(response: supplier_pb2.ServiceResponse, read: AlertBehavioursRead) -> None:
    out = response.alert_behaviours
    out.audience, out.poly_phase = read.audience.value, read.poly_phase
    for value in read.values:
        out.values.add(code=value.code, setting=value.setting.value, enabled=value.enabled)


def _clock(response: supplier_pb2.ServiceResponse, read: ClockSynchronised) -> None:
    out = response.clock_synchronised
    out.device_time.CopyFrom(timestamp(read.device_time))
    out.status, out.adjusted = read.status.word, read.adjusted


def _log(response: supplier_pb2.ServiceResponse, read: LogRead) -> None:
    out = response.event_or_security_log
    out.log = read.log.value
    for entry in read.entries:
        item = out.entries.add(code=entry.code, meaning=entry.meaning)
        item.timestamp.CopyFrom(timestamp(entry.timestamp))


FAMILY = MessageFamily(
    readers={
        "read_device_configuration_voltage": (ReadVoltage, _no_content(ReadVoltage)),
        "read_device_configuration_randomisation": (
            ReadRandomisation,
            _no_content(ReadRandomisation),
        ),
        "read_device_configuration_identity": (ReadIdentity, _no_content(ReadIdentity)),
        "read_device_configuration_power_thresholds": (
            ReadPowerThresholds,
            _no_content(ReadPowerThresholds),
        ),
        "read_device_configuration_mpxn": (ReadMpxn, _no_content(ReadMpxn)),
        "read_device_configuration_gas": (ReadGasConfiguration, _no_content(ReadGasConfiguration)),
        "read_device_configuration_alert_behaviours": (
            ReadAlertBehaviours,
            _no_content(ReadAlertBehaviours),
        ),
        "update_device_configuration_voltage": (UpdateVoltage, _update_voltage),
        "update_device_configuration_gas_conversion": (UpdateGasConversion, _gas_conversion),
        "update_device_configuration_gas_flow": (UpdateGasFlow, _gas_flow),
        "synchronise_clock": (SynchroniseClock, _synchronise_clock),
        "update_device_configuration_power_threshold": (
            UpdatePowerThreshold,
            lambda m: UpdatePowerThreshold(m.low_medium, m.medium_high),
        ),
        "read_event_or_security_log": (ReadEventOrSecurityLog, _read_log),
        "set_import_mpxn": (SetImportMpxn, _import_mpxn),
        "set_export_mpan": (SetExportMpan, lambda m: SetExportMpan(m.export_mpan)),
        "configure_alert_behaviour": (ConfigureAlertBehaviour, _alert_behaviour),
        "set_electricity_supply_tamper_state": (
            SetSupplyTamperState,
            lambda m: SetSupplyTamperState(_word(SupplyState, m.state, "body.state")),
        ),
    },
    response_fillers={
        VoltageRead: _voltage,
        RandomisationRead: _randomisation,
        IdentityRead: _identity,
        PowerThresholdsRead: _power_thresholds,
        MpxnRead: _mpxn,
        GasConfigurationRead: _gas,
        AlertBehavioursRead: _alert_behaviours,
        ClockSynchronised: _clock,
        LogRead: _log,
    },
)
