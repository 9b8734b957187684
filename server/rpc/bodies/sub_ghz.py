"""gRPC messages of the CHF's sub-GHz SRVs, 6.28-6.32 (sub_ghz.proto)."""

from __future__ import annotations

import re
from decimal import Decimal

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
from dccsim.server.rpc.bodies.family import MessageFamily
from dccsim.server.rpc.wire import EnumMap, from_timestamp, timestamp
from dccsim.v1 import sub_ghz_pb2, supplier_pb2

BANDS = EnumMap(Band, sub_ghz_pb2.SubGhzBand)
# xs:decimal's form, as DUIS writes it: no exponent, no NaN or Infinity.
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
_MAX_DECIMAL_CHARS = 40

# -- requests ------------------------------------------------------------------------------------


def _decimal(message: sub_ghz_pb2.SubGhzSettings, name: str) -> Decimal:
    text = getattr(message, name)
    if len(text) > _MAX_DECIMAL_CHARS or _DECIMAL.fullmatch(text) is None:
        raise InvalidField(f"body.{name}", f"{text[:_MAX_DECIMAL_CHARS]!r} is not a decimal number")
    return Decimal(text)


def _set_configuration(message: sub_ghz_pb2.SubGhzSettings) -> SetSubGhzConfiguration:
    return SetSubGhzConfiguration(
        lower_band_channels=tuple(message.lower_band_channels),
        upper_band_channels=tuple(message.upper_band_channels),
        normal_limited_duty_cycle_threshold=_decimal(
            message, "normal_limited_duty_cycle_threshold"
        ),
        limited_critical_duty_cycle_threshold=_decimal(
            message, "limited_critical_duty_cycle_threshold"
        ),
        maximum_channel_changes_per_week=message.maximum_channel_changes_per_week,
        gsme_curfew=message.gsme_curfew,
        channel_quieter_threshold=message.channel_quieter_threshold,
        channel_noisier_threshold=message.channel_noisier_threshold,
        non_gsme_poor_comms_percentage_threshold=_decimal(
            message, "non_gsme_poor_comms_percentage_threshold"
        ),
        non_gsme_poor_comms_measurement_periods=message.non_gsme_poor_comms_measurement_periods,
        local_ch_noise_measurement_period=message.local_ch_noise_measurement_period,
        local_ch_failure_percentage=_decimal(message, "local_ch_failure_percentage"),
        local_ch_retry_percentage=_decimal(message, "local_ch_retry_percentage"),
    )


def _read_channel_log(message: sub_ghz_pb2.ReadSubGhzChannelLog) -> ReadSubGhzChannelLog:
    for name in ("start", "end"):
        if not message.HasField(name):
            raise InvalidField(f"body.{name}", "is required")
    return ReadSubGhzChannelLog(
        from_timestamp(message.start, "body.start"), from_timestamp(message.end, "body.end")
    )


# -- answers -------------------------------------------------------------------------------------


def _fill_settings(out: sub_ghz_pb2.SubGhzSettings, settings: SubGhzSettings) -> None:
    out.lower_band_channels.extend(settings.lower_band_channels)
    out.upper_band_channels.extend(settings.upper_band_channels)
    out.normal_limited_duty_cycle_threshold = f"{settings.normal_limited_duty_cycle_threshold:f}"
    out.limited_critical_duty_cycle_threshold = (
        f"{settings.limited_critical_duty_cycle_threshold:f}"
    )
    out.maximum_channel_changes_per_week = settings.maximum_channel_changes_per_week
    out.gsme_curfew = settings.gsme_curfew
    out.channel_quieter_threshold = settings.channel_quieter_threshold
    out.channel_noisier_threshold = settings.channel_noisier_threshold
    out.non_gsme_poor_comms_percentage_threshold = (
        f"{settings.non_gsme_poor_comms_percentage_threshold:f}"
    )
    out.non_gsme_poor_comms_measurement_periods = settings.non_gsme_poor_comms_measurement_periods
    out.local_ch_noise_measurement_period = settings.local_ch_noise_measurement_period
    out.local_ch_failure_percentage = f"{settings.local_ch_failure_percentage:f}"
    out.local_ch_retry_percentage = f"{settings.local_ch_retry_percentage:f}"


def _fill_channel(out: sub_ghz_pb2.SubGhzChannel, channel: SubGhzChannel) -> None:
    out.band = BANDS.to_proto(channel.band)
    out.number = channel.number


def _configuration(response: supplier_pb2.ServiceResponse, read: SubGhzConfigurationRead) -> None:
    _fill_settings(response.sub_ghz_configuration, read.settings)


def _channel(response: supplier_pb2.ServiceResponse, read: SubGhzChannelRead) -> None:
    _fill_channel(response.sub_ghz_channel, read.channel)


def _channel_log(response: supplier_pb2.ServiceResponse, read: SubGhzChannelLogRead) -> None:
    log = response.sub_ghz_channel_log
    log.SetInParent()  # an empty log is still a log
    for entry in read.entries:
        item = log.entries.add()
        item.timestamp.CopyFrom(timestamp(entry.timestamp))
        item.event_code = int(entry.event)
        item.event_description = entry.event.description
        _fill_channel(item.channel, entry.channel)
        if entry.trigger is not None:
            item.scan_trigger = entry.trigger.value


FAMILY = MessageFamily(
    readers={
        "set_sub_ghz_configuration": (SetSubGhzConfiguration, _set_configuration),
        "request_sub_ghz_channel_scan": (
            RequestSubGhzChannelScan,
            lambda _: RequestSubGhzChannelScan(),
        ),
        "read_sub_ghz_configuration": (
            ReadSubGhzConfiguration,
            lambda _: ReadSubGhzConfiguration(),
        ),
        "read_sub_ghz_channel": (ReadSubGhzChannel, lambda _: ReadSubGhzChannel()),
        "read_sub_ghz_channel_log": (ReadSubGhzChannelLog, _read_channel_log),
    },
    response_fillers={
        SubGhzConfigurationRead: _configuration,
        SubGhzChannelRead: _channel,
        SubGhzChannelLogRead: _channel_log,
    },
)
