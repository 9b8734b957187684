"""DUIS bodies of the device configuration SRVs (server/core/services/configuration.py): the
ReadDeviceConfiguration* reads (6.2.1, 6.2.2, 6.2.4, 6.2.5, 6.2.7, 6.2.8, 6.2.10),
UpdateDeviceConfigurationVoltage / GasConversion / GasFlow / InstantaneousPowerThreshold,
SynchroniseClock, ReadEventOrSecurityLog, SetDeviceConfigurationImportMPxN / ExportMPAN,
ConfigureAlertBehaviour and SetElectricitySupplyTamperState in; the MMC responses out, each
filled from what the meter holds (the writes' responses are empty)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

from lxml import etree

from dccsim.devices.configuration import AlertSetting, AverageVoltage, RmsVoltage, SupplyState
from dccsim.devices.kinds import DeviceType
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.services.configuration import (
    AlertAudience,
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
from dccsim.server.duis.bodies.family import BodyFamily
from dccsim.server.duis.names import format_datetime
from dccsim.server.duis.reading import (
    BodyReading,
    contentless,
    datetime_value,
    element_children,
    optional_datetime,
    sequence,
    text_value,
    unsigned_value,
)
from dccsim.server.duis.writing import ra, sub

# RMSVoltageSettings and AverageRMSVoltageSettings: (element, core field), in the schema's order.
_RMS = (
    ("RMSExtremeOverVoltageMeasurementPeriod", "extreme_over_period"),
    ("RMSExtremeOverVoltageThreshold", "extreme_over_threshold"),
    ("RMSExtremeUnderVoltageMeasurementPeriod", "extreme_under_period"),
    ("RMSExtremeUnderVoltageThreshold", "extreme_under_threshold"),
    ("RMSVoltageSagMeasurementPeriod", "sag_period"),
    ("RMSVoltageSagThreshold", "sag_threshold"),
    ("RMSVoltageSwellMeasurementPeriod", "swell_period"),
    ("RMSVoltageSwellThreshold", "swell_threshold"),
)
_AVERAGE = (
    ("AverageRMSOverVoltageThreshold", "over_threshold"),
    ("AverageRMSUnderVoltageThreshold", "under_threshold"),
    ("AverageRMSVoltageMeasurementPeriod", "measurement_period"),
)
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
_MAX_DECIMAL_CHARS = 40
_ENABLE = {"Enable": True, "Disable": False}
# The sections an electricity group's codes sit in, in the schema's order (gas codes sit directly
# in their group's element).
_SUPPLIER_SECTIONS = ("SupplierESMECommon", "SupplierESMEPolyPhase")
_NETWORK_OPERATOR_SECTIONS = (
    "NetworkOperatorESMECommon",
    "NetworkOperatorESMESinglePhase",
    "NetworkOperatorESMEPolyPhase",
)
_GROUP_SECTION_NAMES: dict[AlertGroup, tuple[str, ...]] = {
    AlertGroup.ELECTRICITY_SUPPLIER_ALERTS: _SUPPLIER_SECTIONS,
    AlertGroup.ELECTRICITY_SUPPLIER_HAN_ALERTS: _SUPPLIER_SECTIONS,
    AlertGroup.ELECTRICITY_SUPPLIER_ALARMS: _SUPPLIER_SECTIONS,
    AlertGroup.ELECTRICITY_SUPPLIER_LOGGING: _SUPPLIER_SECTIONS,
    AlertGroup.ELECTRICITY_NETWORK_OPERATOR_ALERTS: _NETWORK_OPERATOR_SECTIONS,
    AlertGroup.ELECTRICITY_NETWORK_OPERATOR_LOGGING: _NETWORK_OPERATOR_SECTIONS,
    AlertGroup.GAS_SUPPLIER_ALERTS: (),
    AlertGroup.GAS_SUPPLIER_ALERT_EVENT_SETTINGS: (),
}


# -- reading helpers -----------------------------------------------------------------------------


def _decimal_value(element: etree._Element, path: str) -> Decimal:
    text = text_value(element, path)
    if len(text) > _MAX_DECIMAL_CHARS or _DECIMAL.fullmatch(text) is None:
        raise InvalidField(path, f"{text[:_MAX_DECIMAL_CHARS]!r} is not an xs:decimal")
    return Decimal(text)


def _enum_value(element: etree._Element, path: str, choices: Mapping[str, object]) -> object:
    text = text_value(element, path)
    if text not in choices:
        raise InvalidField(path, f"{text[:40]!r} is not one of {', '.join(choices)}")
    return choices[text]


def _supply_state(element: etree._Element, path: str) -> SupplyState:
    value = _enum_value(element, path, {s.value: s for s in SupplyState})
    assert isinstance(value, SupplyState)
    return value


def _values(
    element: etree._Element, path: str, layout: tuple[tuple[str, str], ...]
) -> dict[str, int]:
    parts = sequence(element, path, [(name, 1, 1) for name, _ in layout])
    return {field: unsigned_value(parts[name][0], f"{path}/{name}") for name, field in layout}


def _fields(prefix: str, path: str, layout: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return {f"{prefix}.{field}": f"{path}/{name}" for name, field in layout}


# -- 6.5 -----------------------------------------------------------------------------------------


def _update_voltage(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(
        element,
        path,
        [
            ("ExecutionDateTime", 0, 1),
            ("RMSVoltageSettings", 1, 1),
            ("SinglePhaseVoltageSettings", 0, 1),
            ("PolyPhaseVoltageSettings", 0, 3),
            ("RMSVoltageCountersNotReset", 0, 1),
        ],
    )
    single_items, poly_items = (
        parts["SinglePhaseVoltageSettings"],
        parts["PolyPhaseVoltageSettings"],
    )
    if bool(single_items) == bool(poly_items):
        raise InvalidField(
            f"{path}/SinglePhaseVoltageSettings",
            "is required here, unless three PolyPhaseVoltageSettings are given instead",
        )
    if poly_items and len(poly_items) != 3:
        raise InvalidField(f"{path}/PolyPhaseVoltageSettings", "occurs exactly three times")
    for flag in parts["RMSVoltageCountersNotReset"]:
        sequence(flag, f"{path}/RMSVoltageCountersNotReset", [])
    rms_path = f"{path}/RMSVoltageSettings"
    fields = _fields("body.rms", rms_path, _RMS)
    rms = RmsVoltage(**_values(parts["RMSVoltageSettings"][0], rms_path, _RMS))
    single = None
    if single_items:
        single_path = f"{path}/SinglePhaseVoltageSettings"
        single = AverageVoltage(**_values(single_items[0], single_path, _AVERAGE))
        fields.update(_fields("body.single_phase", single_path, _AVERAGE))
    phases = []
    for index, item in enumerate(poly_items):
        item_path = f"{path}/PolyPhaseVoltageSettings[{index + 1}]"
        inner = sequence(item, item_path, [("Phase", 1, 1), ("PhaseVoltageSettings", 1, 1)])
        settings_path = f"{item_path}/PhaseVoltageSettings"
        settings = AverageVoltage(
            **_values(inner["PhaseVoltageSettings"][0], settings_path, _AVERAGE)
        )
        phases.append(
            PhaseVoltage(unsigned_value(inner["Phase"][0], f"{item_path}/Phase"), settings)
        )
        fields[f"body.poly_phase[{index}].phase"] = f"{item_path}/Phase"
        fields.update(_fields(f"body.poly_phase[{index}].settings", settings_path, _AVERAGE))
    fields["body.poly_phase"] = f"{path}/PolyPhaseVoltageSettings"
    body = UpdateVoltage(rms, single, tuple(phases), bool(parts["RMSVoltageCountersNotReset"]))
    return body, optional_datetime(parts, path), fields


# -- 6.6, 6.7 ------------------------------------------------------------------------------------


def _update_gas_conversion(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(element, path, [("CalorificValue", 1, 1), ("ConversionFactor", 1, 1)])
    body = UpdateGasConversion(
        _decimal_value(parts["CalorificValue"][0], f"{path}/CalorificValue"),
        _decimal_value(parts["ConversionFactor"][0], f"{path}/ConversionFactor"),
    )
    fields = {
        "body.calorific_value": f"{path}/CalorificValue",
        "body.conversion_factor": f"{path}/ConversionFactor",
    }
    return body, None, fields


def _update_gas_flow(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(
        element,
        path,
        [
            ("UncontrolledGasFlowRate", 0, 1),
            ("UncontrolledGasFlowRateDecimal", 0, 1),
            ("SupplyDepletionState", 1, 1),
            ("SupplyTamperState", 1, 1),
            ("StabilisationPeriod", 1, 1),
            ("MeasurementPeriod", 1, 1),
        ],
    )
    integer, decimal = parts["UncontrolledGasFlowRate"], parts["UncontrolledGasFlowRateDecimal"]
    if bool(integer) == bool(decimal):
        raise InvalidField(
            f"{path}/UncontrolledGasFlowRate",
            "is required here, unless UncontrolledGasFlowRateDecimal is given instead",
        )
    if integer:
        rate_path = f"{path}/UncontrolledGasFlowRate"
        raw = unsigned_value(integer[0], rate_path)
        if raw > 65_535:  # xs:unsignedShort, in 1/10000 m3/h
            raise InvalidField(rate_path, f"{raw} is not an xs:unsignedShort")
        rate = Decimal(raw).scaleb(-4)
    else:
        rate_path = f"{path}/UncontrolledGasFlowRateDecimal"
        rate = _decimal_value(decimal[0], rate_path)
    body = UpdateGasFlow(
        rate,
        _supply_state(parts["SupplyDepletionState"][0], f"{path}/SupplyDepletionState"),
        _supply_state(parts["SupplyTamperState"][0], f"{path}/SupplyTamperState"),
        unsigned_value(parts["StabilisationPeriod"][0], f"{path}/StabilisationPeriod"),
        unsigned_value(parts["MeasurementPeriod"][0], f"{path}/MeasurementPeriod"),
    )
    fields = {
        "body.uncontrolled_rate": rate_path,
        "body.stabilisation_period": f"{path}/StabilisationPeriod",
        "body.measurement_period": f"{path}/MeasurementPeriod",
    }
    return body, None, fields


# -- 6.11, 6.12, 6.13 ----------------------------------------------------------------------------


def _synchronise_clock(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(element, path, [("CurrentDateTime", 1, 1), ("TolerancePeriod", 1, 1)])
    tolerance_path = f"{path}/TolerancePeriod"
    text = text_value(parts["TolerancePeriod"][0], tolerance_path)
    # xs:int: a sign is allowed; the core refuses what is out of range.
    if re.fullmatch(r"[+-]?[0-9]{1,10}", text) is None:
        raise InvalidField(tolerance_path, f"{text[:20]!r} is not an xs:int")
    body = SynchroniseClock(
        datetime_value(parts["CurrentDateTime"][0], f"{path}/CurrentDateTime"), int(text)
    )
    fields = {
        "body.current_datetime": f"{path}/CurrentDateTime",
        "body.tolerance_period": tolerance_path,
    }
    return body, None, fields


def _update_power_threshold(element: etree._Element, path: str) -> BodyReading:
    layout = (
        ("LowMediumPowerThreshold", "low_medium"),
        ("MediumHighPowerThreshold", "medium_high"),
    )
    parts = sequence(
        element, path, [("ExecutionDateTime", 0, 1), *((name, 1, 1) for name, _ in layout)]
    )
    values = {field: unsigned_value(parts[name][0], f"{path}/{name}") for name, field in layout}
    body = UpdatePowerThreshold(**values)
    return body, optional_datetime(parts, path), _fields("body", path, layout)


def _read_log(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(element, path, [("ReadLogPeriod", 1, 1), ("LogToRead", 1, 1)])
    period_path = f"{path}/ReadLogPeriod"
    period = sequence(
        parts["ReadLogPeriod"][0], period_path, [("StartDateTime", 1, 1), ("EndDateTime", 1, 1)]
    )
    log = _enum_value(parts["LogToRead"][0], f"{path}/LogToRead", {v.value: v for v in LogToRead})
    assert isinstance(log, LogToRead)
    body = ReadEventOrSecurityLog(
        datetime_value(period["StartDateTime"][0], f"{period_path}/StartDateTime"),
        datetime_value(period["EndDateTime"][0], f"{period_path}/EndDateTime"),
        log,
    )
    fields = {
        "body.start": f"{period_path}/StartDateTime",
        "body.end": f"{period_path}/EndDateTime",
    }
    return body, None, fields


# -- 6.20.x, 6.25 --------------------------------------------------------------------------------


def _set_import_mpxn(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(
        element,
        path,
        [("ExecutionDateTime", 0, 1), ("ImportMPANs", 0, 1), ("ImportMPRN", 0, 1)],
    )
    mpans, mprn = parts["ImportMPANs"], parts["ImportMPRN"]
    if bool(mpans) == bool(mprn):
        raise InvalidField(f"{path}/ImportMPANs", "is required here, unless ImportMPRN is given")
    when = optional_datetime(parts, path)
    if mprn:
        mprn_path = f"{path}/ImportMPRN"
        body = SetImportMpxn(import_mprn=text_value(mprn[0], mprn_path))
        return body, when, {"body.import_mprn": mprn_path}
    mpans_path = f"{path}/ImportMPANs"
    inner = sequence(mpans[0], mpans_path, [("ImportMPAN", 1, 1), ("SecondaryImportMPAN", 0, 1)])
    secondary = inner["SecondaryImportMPAN"]
    body = SetImportMpxn(
        import_mpan=text_value(inner["ImportMPAN"][0], f"{mpans_path}/ImportMPAN"),
        secondary_import_mpan=(
            text_value(secondary[0], f"{mpans_path}/SecondaryImportMPAN") if secondary else None
        ),
    )
    fields = {
        "body.import_mpan": f"{mpans_path}/ImportMPAN",
        "body.secondary_import_mpan": f"{mpans_path}/SecondaryImportMPAN",
    }
    return body, when, fields


def _set_export_mpan(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(element, path, [("ExecutionDateTime", 0, 1), ("ExportMPAN", 1, 1)])
    mpan_path = f"{path}/ExportMPAN"
    body = SetExportMpan(text_value(parts["ExportMPAN"][0], mpan_path))
    return body, optional_datetime(parts, path), {"body.export_mpan": mpan_path}


def _set_tamper_state(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(element, path, [("SupplyTamperState", 1, 1)])
    state_path = f"{path}/SupplyTamperState"
    body = SetSupplyTamperState(_supply_state(parts["SupplyTamperState"][0], state_path))
    return body, None, {"body.state": state_path}


# -- 6.22 ----------------------------------------------------------------------------------------


def _configure_alert_behaviour(element: etree._Element, path: str) -> BodyReading:
    choices = {group.value: group for group in AlertGroup}
    children = element_children(element, path)
    if len(children) != 1 or etree.QName(children[0]).localname not in choices:
        raise InvalidField(path, f"holds exactly one of {', '.join(choices)}")
    choice = children[0]
    group = choices[etree.QName(choice).localname]
    group_path = f"{path}/{group.value}"
    section_names = _GROUP_SECTION_NAMES[group]
    if section_names:
        # Electricity: the codes sit in sections (common, single-phase, polyphase).
        layout = [(name, 0, 1) for name in section_names]
        sections = sequence(choice, group_path, layout)
        if len(section_names) == 3 and all(sections[name] for name in section_names[1:]):
            raise InvalidField(
                f"{group_path}/{section_names[2]}", "single-phase or polyphase codes, not both"
            )
        changes: list[AlertChange] = []
        for name, codes in zip(section_names, group.sections, strict=True):
            for item in sections[name]:
                changes += _alert_codes(item, f"{group_path}/{name}", codes, group)
    else:
        changes = _alert_codes(choice, group_path, group.sections[0], group)
    body = ConfigureAlertBehaviour(group, tuple(changes))
    return body, None, {"body.changes": group_path, "body.group": group_path}


def _alert_codes(
    element: etree._Element, path: str, codes: tuple[int, ...], group: AlertGroup
) -> list[AlertChange]:
    names = [f"x{code:04X}" for code in codes]
    parts = sequence(element, path, [(name, 0, 1) for name in names])
    changes = []
    for code, name in zip(codes, names, strict=True):
        for item in parts[name]:
            item_path = f"{path}/{name}"
            if len(group.settings) == 1:
                enabled = _enum_value(item, item_path, _ENABLE)
                changes.append(AlertChange(code, group.settings[0], bool(enabled)))
                continue
            layout = [(setting.value, 1, 1) for setting in AlertSetting]
            inner = sequence(item, item_path, layout)
            for setting in AlertSetting:
                value = inner[setting.value][0]
                enabled = _enum_value(value, f"{item_path}/{setting.value}", _ENABLE)
                changes.append(AlertChange(code, setting, bool(enabled)))
    return changes


# -- writing -------------------------------------------------------------------------------------


def _write_values(
    parent: etree._Element, value: object, layout: tuple[tuple[str, str], ...]
) -> None:
    for name, field in layout:
        sub(parent, name, str(getattr(value, field)))


def _voltage_rsp(read: VoltageRead) -> etree._Element:
    element = etree.Element(ra("ReadDeviceConfigurationVoltageRsp"))
    settings = read.settings
    average = _AVERAGE[:2]  # the MMC answer has no measurement period (GBCS has none)
    if settings.poly_phase:
        for number, phase in enumerate(settings.phases, start=1):
            item = sub(element, "PolyPhaseVoltageSettings")
            sub(item, "Phase", str(number))
            _write_values(sub(item, "PhaseVoltageSettings"), phase, average)
    else:
        _write_values(sub(element, "SinglePhaseVoltageSettings"), settings.phases[0], average)
    _write_values(sub(element, "RMSVoltageSettings"), settings.rms, _RMS)
    return element


def _randomisation_rsp(read: RandomisationRead) -> etree._Element:
    element = etree.Element(ra("ReadDeviceConfigurationRandomisationRsp"))
    sub(element, "RandomisedOffset", str(read.offset))
    sub(element, "RandomisedOffsetNumber", str(read.offset_number))
    sub(element, "RandomisedOffsetLimit", str(read.offset_limit))
    return element


def _identity_rsp(read: IdentityRead) -> etree._Element:
    element = etree.Element(ra("ReadDeviceConfigurationIdentityExcMPxNRsp"))
    sub(element, "DeviceIdentifier", read.device_id)
    sub(element, "ModelType", read.model[:8])  # the MMC bounds: GBCS's octet strings
    sub(element, "ManufacturerIdentifier", read.manufacturer[:32])
    if read.fuel is DeviceType.ESME:
        fuel = sub(element, "Electricity")
        if read.supply_tamper_state is not None:
            sub(fuel, "SupplyTamperState", read.supply_tamper_state.value)
        if read.meter_variant is not None:
            sub(fuel, "MeterVariant", read.meter_variant)
    elif read.fuel is DeviceType.GSME:
        fuel = sub(element, "Gas")
        if read.supply_tamper_state is not None:
            sub(fuel, "SupplyTamperState", read.supply_tamper_state.value)
        if read.supply_depletion_state is not None:
            sub(fuel, "SupplyDepletionState", read.supply_depletion_state.value)
    return element


def _power_thresholds_rsp(read: PowerThresholdsRead) -> etree._Element:
    element = etree.Element(ra("ReadDeviceConfigurationInstantaneousPowerThresholdsRsp"))
    sub(element, "LowMediumPowerThreshold", str(read.low_medium))
    sub(element, "MediumHighPowerThreshold", str(read.medium_high))
    return element


def _mpxn_rsp(read: MpxnRead) -> etree._Element:
    element = etree.Element(ra("ReadDeviceConfigurationMPxNRsp"))
    if read.gas:
        gas = sub(element, "Gas")
        if read.import_mpxn is not None:
            sub(gas, "MPRN", read.import_mpxn)
        return element
    electricity = sub(element, "Electricity")
    for name, value in (
        ("ImportMPAN", read.import_mpxn),
        ("SecondaryImportMPAN", read.secondary_import_mpan),
        ("ExportMPAN", read.export_mpan),
    ):
        if value is not None:
            sub(electricity, name, value)
    return element


def _gas_rsp(read: GasConfigurationRead) -> etree._Element:
    element = etree.Element(ra("ReadDeviceConfigurationGasRsp"))
    sub(element, "CalorificValue", f"{read.conversion.calorific_value:f}")
    sub(element, "ConversionFactor", f"{read.conversion.conversion_factor:f}")
    sub(element, "UncontrolledGasFlowRate", f"{read.flow.uncontrolled_rate:f}")
    sub(element, "FlowStabilisationPeriod", str(read.flow.stabilisation_period))
    sub(element, "FlowMeasurementPeriod", str(read.flow.measurement_period))
    return element


# 6.2.10's electricity settings: (MMC element, the behaviour it holds), in the schema's order.
_SUPPLIER_SETTINGS = (
    ("ElectricitySupplierWANAlertSettings", AlertSetting.WAN_ALERT),
    ("ElectricitySupplierHANAlertSettings", AlertSetting.HAN_ALERT),
    ("ElectricitySupplierAlarmSettings", AlertSetting.ALARM),
    ("ElectricitySupplierLoggingSettings", AlertSetting.EVENT_LOG),
)
_NETWORK_OPERATOR_SETTINGS = (
    ("ElectricityNetworkOperatorWANAlertSettings", AlertSetting.WAN_ALERT),
    ("ElectricityNetworkOperatorLoggingSettings", AlertSetting.EVENT_LOG),
)


def _word(enabled: bool) -> str:
    return "Enable" if enabled else "Disable"


def _alert_behaviours_rsp(read: AlertBehavioursRead) -> etree._Element:
    element = etree.Element(ra("ReadDeviceConfigurationEventAndAlertBehavioursRsp"))
    choice = sub(element, read.audience.value)
    if read.audience is AlertAudience.GAS_SUPPLIER:
        codes = dict.fromkeys(v.code for v in read.values)  # in the order read
        for code in codes:
            item = sub(choice, f"x{code:04X}")
            for setting in AlertSetting:
                sub(item, setting.value, _word(bool(read.value(code, setting))))
        return element
    supplier = read.audience is AlertAudience.ELECTRICITY_SUPPLIER
    group = (
        AlertGroup.ELECTRICITY_SUPPLIER_ALERTS
        if supplier
        else AlertGroup.ELECTRICITY_NETWORK_OPERATOR_ALERTS
    )
    for name, setting in _SUPPLIER_SETTINGS if supplier else _NETWORK_OPERATOR_SETTINGS:
        holder = sub(choice, name)
        held = {v.code: v.enabled for v in read.values if v.setting is setting}
        sections = zip(_GROUP_SECTION_NAMES[group], group.sections, strict=True)
        for section_name, section_codes in sections:
            present = [code for code in section_codes if code in held]
            if present:
                section = sub(holder, section_name)
                for code in present:
                    sub(section, f"x{code:04X}", _word(held[code]))
    return element


def _clock_rsp(read: ClockSynchronised) -> etree._Element:
    element = etree.Element(ra("SynchroniseClockRsp"))
    sub(element, "DeviceTime", format_datetime(read.device_time))
    if read.gas:
        status = sub(sub(element, "Gas"), "GasClockTimeStatus")
        status.set("ResponseCode", str(int(read.status)))
        sub(status, "ASN1Status", read.status.word)
    else:
        status = sub(sub(element, "Electricity"), "ElecClockTimeStatus")
        status.set("TimeStatusCode", str(int(read.status)))
        sub(status, "TimeStatus", read.status.word)
    return element


def _log_rsp(read: LogRead) -> etree._Element:
    element = etree.Element(ra("ReadEventOrSecurityLogRsp"))
    if read.log is LogToRead.ALCS_EVENT:
        log = sub(element, "ALCSEvent")
        for entry in read.entries:
            sub(sub(log, "ALCSEventLogEntry"), "Timestamp", format_datetime(entry.timestamp))
        return element
    log = sub(element, "Log")
    for entry in read.entries:
        item = sub(log, "LogEntry")
        sub(item, "Timestamp", format_datetime(entry.timestamp))
        sub(item, "LogCode", f"{entry.code:04X}")
        sub(item, "LogMeaning", entry.meaning)
    return element


FAMILY: BodyFamily = BodyFamily(
    readers={
        "6.2.1": ("ReadDeviceConfigurationVoltage", contentless(ReadVoltage)),
        "6.2.2": ("ReadDeviceConfigurationRandomisation", contentless(ReadRandomisation)),
        "6.2.4": ("ReadDeviceConfigurationIdentityExcMPxN", contentless(ReadIdentity)),
        "6.2.5": (
            "ReadDeviceConfigurationInstantaneousPowerThresholds",
            contentless(ReadPowerThresholds),
        ),
        "6.2.7": ("ReadDeviceConfigurationMPxN", contentless(ReadMpxn)),
        "6.2.8": ("ReadDeviceConfigurationGas", contentless(ReadGasConfiguration)),
        "6.2.10": (
            "ReadDeviceConfigurationEventAndAlertBehaviours",
            contentless(ReadAlertBehaviours),
        ),
        "6.5": ("UpdateDeviceConfigurationVoltage", _update_voltage),
        "6.6": ("UpdateDeviceConfigurationGasConversion", _update_gas_conversion),
        "6.7": ("UpdateDeviceConfigurationGasFlow", _update_gas_flow),
        "6.11": ("SynchroniseClock", _synchronise_clock),
        "6.12": ("UpdateDeviceConfigurationInstantaneousPowerThreshold", _update_power_threshold),
        "6.13": ("ReadEventOrSecurityLog", _read_log),
        "6.20.1": ("SetDeviceConfigurationImportMPxN", _set_import_mpxn),
        "6.20.2": ("SetDeviceConfigurationExportMPAN", _set_export_mpan),
        "6.22": ("ConfigureAlertBehaviour", _configure_alert_behaviour),
        "6.25": ("SetElectricitySupplyTamperState", _set_tamper_state),
    },
    mmc_writers={
        VoltageRead: _voltage_rsp,
        RandomisationRead: _randomisation_rsp,
        IdentityRead: _identity_rsp,
        PowerThresholdsRead: _power_thresholds_rsp,
        MpxnRead: _mpxn_rsp,
        GasConfigurationRead: _gas_rsp,
        AlertBehavioursRead: _alert_behaviours_rsp,
        ClockSynchronised: _clock_rsp,
        LogRead: _log_rsp,
    },
    empty_responses={
        "6.5": "UpdateDeviceConfigurationVoltageRsp",
        "6.6": "UpdateDeviceConfigurationGasConversionRsp",
        "6.7": "UpdateDeviceConfigurationGasFlowRsp",
        "6.12": "UpdateDeviceConfigurationInstantaneousPowerThresholdRsp",
        "6.20.1": "SetDeviceConfigurationImportMPxNRsp",
        "6.20.2": "SetDeviceConfigurationExportMPANRsp",
        "6.22": "ConfigureAlertBehaviourRsp",
        "6.25": "SetElectricitySupplyTamperStateRsp",
    },
)
