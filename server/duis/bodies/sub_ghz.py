"""DUIS bodies of the CHF's sub-GHz SRVs: 6.28 SetCHFSubGHzConfiguration, 6.29
RequestCHFSubGHzChannelScan, 6.30 ReadCHFSubGHzConfiguration, 6.31 ReadCHFSubGHzChannel and 6.32
ReadCHFSubGHzChannelLog in; the MMC ReadCHFSubGHzConfigurationRsp, ReadCHFSubGHzChannelRsp and
ReadCHFSubGHzChannelLogRsp out (6.28's and 6.29's responses are empty)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from lxml import etree

from dccsim.devices.sub_ghz import Band, SubGhzChannel, SubGhzSettings
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.services.sub_ghz import (
    ReadSubGhzChannel,
    ReadSubGhzChannelLog,
    ReadSubGhzConfiguration,
    RequestSubGhzChannelScan,
    SetSubGhzConfiguration,
    SubGhzChannelLogRead,
    SubGhzChannelRead,
    SubGhzConfigurationRead,
)
from dccsim.server.duis.bodies.family import BodyFamily
from dccsim.server.duis.names import format_datetime
from dccsim.server.duis.reading import (
    BodyReading,
    contentless,
    datetime_value,
    empty_element,
    sequence,
    text_value,
    unsigned_value,
)
from dccsim.server.duis.writing import ra, sub

# The channel groups of DUIS's SubGHzConfiguration: (element, first channel, last channel, band).
_GROUPS = (
    ("LowerBandSubGHzChannels0To26", 0, 26, Band.LOWER),
    ("LowerBandSubGHzChannels27To34", 27, 34, Band.LOWER),
    ("LowerBandSubGHzChannels35To61", 35, 61, Band.LOWER),
    ("UpperBandSubGHzChannels0To26", 0, 26, Band.UPPER),
)
# The other elements in the schema's order: (element, core field, is a decimal).
_VALUES = (
    ("NormalLimitedDutyCycleThreshold", "normal_limited_duty_cycle_threshold", True),
    ("LimitedCriticalDutyCycleThreshold", "limited_critical_duty_cycle_threshold", True),
    ("MaximumSubGHzChannelChangesPerWeek", "maximum_channel_changes_per_week", False),
    ("GSMECurfew", "gsme_curfew", False),
    ("ChannelQuieterThreshold", "channel_quieter_threshold", False),
    ("ChannelNoisierThreshold", "channel_noisier_threshold", False),
    ("NonGSMEPoorCommsPercentageThreshold", "non_gsme_poor_comms_percentage_threshold", True),
    ("NonGSMEPoorCommsMeasurementPeriods", "non_gsme_poor_comms_measurement_periods", False),
    ("LocalCHNoiseMeasurementPeriod", "local_ch_noise_measurement_period", False),
    ("LocalCHFailurePercentage", "local_ch_failure_percentage", True),
    ("LocalCHRetryPercentage", "local_ch_retry_percentage", True),
)
# xs:decimal's lexical form (no exponent, no NaN or INF); long enough for any value DUIS allows.
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
_MAX_DECIMAL_CHARS = 40


# -- reading -------------------------------------------------------------------------------------


def _decimal_value(element: etree._Element, path: str) -> Decimal:
    text = text_value(element, path)
    if len(text) > _MAX_DECIMAL_CHARS or _DECIMAL.fullmatch(text) is None:
        raise InvalidField(path, f"{text[:_MAX_DECIMAL_CHARS]!r} is not an xs:decimal")
    return Decimal(text)


def _channels(element: etree._Element, path: str, first: int, last: int) -> list[int]:
    names = [f"Channel{number}" for number in range(first, last + 1)]
    parts = sequence(element, path, [(name, 0, 1) for name in names])
    present = []
    for number, name in zip(range(first, last + 1), names, strict=True):
        for child in parts[name]:
            empty_element(child, f"{path}/{name}")
            present.append(number)
    return present


def _set_configuration(element: etree._Element, path: str) -> BodyReading:
    layout = [(name, 1, 1) for name, _, _, _ in _GROUPS] + [(name, 1, 1) for name, _, _ in _VALUES]
    parts = sequence(element, path, layout)
    lower: list[int] = []
    upper: list[int] = []
    for name, first, last, band in _GROUPS:
        found = _channels(parts[name][0], f"{path}/{name}", first, last)
        (lower if band is Band.LOWER else upper).extend(found)
    values: dict[str, Any] = {}  # the thresholds and limits: Decimals and ints by name
    fields = {
        "body.lower_band_channels": f"{path}/LowerBandSubGHzChannels0To26",
        "body.upper_band_channels": f"{path}/UpperBandSubGHzChannels0To26",
    }
    for name, field, is_decimal in _VALUES:
        value_path = f"{path}/{name}"
        read = _decimal_value if is_decimal else unsigned_value
        values[field] = read(parts[name][0], value_path)
        fields[f"body.{field}"] = value_path
    body = SetSubGhzConfiguration(tuple(lower), tuple(upper), **values)
    return body, None, fields


def _read_channel_log(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(element, path, [("ReadLogPeriod", 1, 1)])
    period_path = f"{path}/ReadLogPeriod"
    period = sequence(
        parts["ReadLogPeriod"][0], period_path, [("StartDateTime", 1, 1), ("EndDateTime", 1, 1)]
    )
    start = datetime_value(period["StartDateTime"][0], f"{period_path}/StartDateTime")
    end = datetime_value(period["EndDateTime"][0], f"{period_path}/EndDateTime")
    fields = {
        "body.start": f"{period_path}/StartDateTime",
        "body.end": f"{period_path}/EndDateTime",
    }
    return ReadSubGhzChannelLog(start, end), None, fields


# -- writing -------------------------------------------------------------------------------------


def _configuration_rsp(read: SubGhzConfigurationRead) -> etree._Element:
    element = etree.Element(ra("ReadCHFSubGHzConfigurationRsp"))
    _write_settings(element, read.settings)
    return element


def _write_settings(element: etree._Element, settings: SubGhzSettings) -> None:
    for name, first, last, band in _GROUPS:
        group = sub(element, name)
        chosen = (
            settings.lower_band_channels if band is Band.LOWER else settings.upper_band_channels
        )
        for number in chosen:
            if first <= number <= last:
                sub(group, f"Channel{number}")
    for name, field, is_decimal in _VALUES:
        value = getattr(settings, field)
        # The device holds decimals to the digits DUIS gives them: 1.3, 60.00.
        sub(element, name, f"{value:f}" if is_decimal else str(value))


def _channel_rsp(read: SubGhzChannelRead) -> etree._Element:
    element = etree.Element(ra("ReadCHFSubGHzChannelRsp"))
    _write_channel(element, read.channel)
    return element


def _write_channel(parent: etree._Element, channel: SubGhzChannel) -> None:
    operating = sub(parent, "OperatingSubGHzChannel")
    band = sub(operating, f"Operating{channel.band.value}BandSubGHzChannel")
    sub(band, f"Channel{channel.number}")


def _channel_log_rsp(read: SubGhzChannelLogRead) -> etree._Element:
    element = etree.Element(ra("ReadCHFSubGHzChannelLogRsp"))
    for entry in read.entries:
        item = sub(element, "LogEntry")
        sub(item, "Timestamp", format_datetime(entry.timestamp))
        sub(item, "EventCode", f"{int(entry.event):04X}")
        sub(item, "EventDescription", entry.event.description)
        _write_channel(item, entry.channel)
        if entry.trigger is not None:
            sub(item, "ScanTrigger", entry.trigger.value)
    return element


FAMILY: BodyFamily = BodyFamily(
    readers={
        "6.28": ("SetCHFSubGHzConfiguration", _set_configuration),
        "6.29": ("RequestCHFSubGHzChannelScan", contentless(RequestSubGhzChannelScan)),
        "6.30": ("ReadCHFSubGHzConfiguration", contentless(ReadSubGhzConfiguration)),
        "6.31": ("ReadCHFSubGHzChannel", contentless(ReadSubGhzChannel)),
        "6.32": ("ReadCHFSubGHzChannelLog", _read_channel_log),
    },
    mmc_writers={
        SubGhzConfigurationRead: _configuration_rsp,
        SubGhzChannelRead: _channel_rsp,
        SubGhzChannelLogRead: _channel_log_rsp,
    },
    empty_responses={
        "6.28": "SetCHFSubGHzConfigurationRsp",
        "6.29": "RequestCHFSubGHzChannelScanRsp",
    },
)
