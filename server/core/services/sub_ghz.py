"""The CHF's sub-GHz radio (dual-band Communications Hubs): 6.28 Set CHF Sub GHz Configuration,
6.29 Request CHF Sub GHz Channel Scan, 6.30 Read CHF Sub GHz Configuration, 6.31 Read CHF Sub GHz
Channel and 6.32 Read CHF Sub GHz Channel Log. What the radio does is `dccsim.devices.sub_ghz`'s
(its module doc holds the decisions on scans and the log).

Decisions (docs/decisions.md):
- Every simulated CHF is dual band, so these SRVs reach any CHF; other device types get E11.
- A body is checked exactly as DUIS's SubGHzConfiguration and ReadLogPeriod type it. DUIS lists
  E062801-E062803 for 6.28, but no public source says what they mean, so dccsim uses none of them:
  6.28 takes any configuration the schema admits (an empty channel list included).
- 6.32 refuses a ReadLogPeriod whose end is before its start (`body.end`); an empty period is
  answered with an empty log.
- 6.28 and 6.29 answer with their empty MMC responses; 6.30, 6.31 and 6.32 carry what the radio
  holds. A read of a hub never configured nor scanned shows its factory state and creates none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from itertools import pairwise

from dccsim.devices.device import SimulatedDevice
from dccsim.devices.kinds import DeviceType
from dccsim.devices.sub_ghz import (
    LOWER_BAND_CHANNELS,
    UPPER_BAND_CHANNELS,
    ChannelLogEntry,
    SubGhzChannel,
    SubGhzRadio,
    SubGhzSettings,
)
from dccsim.server.core.delivery import Outcome, nothing
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.fields import check_decimal, check_int
from dccsim.server.core.requests import ServiceRequest
from dccsim.server.core.services.registry import Family
from dccsim.server.core.state import DspState

family: Family = Family()

_CHF = (DeviceType.CHF,)
_UNSIGNED_SHORT = 65_535
_TENTH, _HUNDREDTH = Decimal("0.1"), Decimal("0.01")


# -- request bodies ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SetSubGhzConfiguration:
    """6.28 SetCHFSubGHzConfiguration (DUIS SubGHzConfiguration). DUIS's three lower-band channel
    groups (0-26, 27-34, 35-61) are one list of channel numbers here, in increasing order."""

    lower_band_channels: tuple[int, ...]
    upper_band_channels: tuple[int, ...]
    normal_limited_duty_cycle_threshold: Decimal
    limited_critical_duty_cycle_threshold: Decimal
    maximum_channel_changes_per_week: int
    gsme_curfew: int
    channel_quieter_threshold: int
    channel_noisier_threshold: int
    non_gsme_poor_comms_percentage_threshold: Decimal
    non_gsme_poor_comms_measurement_periods: int
    local_ch_noise_measurement_period: int
    local_ch_failure_percentage: Decimal
    local_ch_retry_percentage: Decimal

    def settings(self) -> SubGhzSettings:
        """The configuration as the hub holds it: decimals to the digits DUIS gives them (a
        1.30 sent is held, and read back, as 1.3)."""
        return SubGhzSettings(
            self.lower_band_channels,
            self.upper_band_channels,
            self.normal_limited_duty_cycle_threshold.quantize(_TENTH),
            self.limited_critical_duty_cycle_threshold.quantize(_TENTH),
            self.maximum_channel_changes_per_week,
            self.gsme_curfew,
            self.channel_quieter_threshold,
            self.channel_noisier_threshold,
            self.non_gsme_poor_comms_percentage_threshold.quantize(_HUNDREDTH),
            self.non_gsme_poor_comms_measurement_periods,
            self.local_ch_noise_measurement_period,
            self.local_ch_failure_percentage.quantize(_HUNDREDTH),
            self.local_ch_retry_percentage.quantize(_HUNDREDTH),
        )


@dataclass(frozen=True, slots=True)
class RequestSubGhzChannelScan:
    """6.29 RequestCHFSubGHzChannelScan: no content."""


@dataclass(frozen=True, slots=True)
class ReadSubGhzConfiguration:
    """6.30 ReadCHFSubGHzConfiguration: no content."""


@dataclass(frozen=True, slots=True)
class ReadSubGhzChannel:
    """6.31 ReadCHFSubGHzChannel: no content."""


@dataclass(frozen=True, slots=True)
class ReadSubGhzChannelLog:
    """6.32 ReadCHFSubGHzChannelLog: its ReadLogPeriod."""

    start: datetime
    end: datetime


# -- response bodies -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SubGhzConfigurationRead:
    """6.30 ReadCHFSubGHzConfigurationRsp."""

    settings: SubGhzSettings


@dataclass(frozen=True, slots=True)
class SubGhzChannelRead:
    """6.31 ReadCHFSubGHzChannelRsp: the operating channel."""

    channel: SubGhzChannel


@dataclass(frozen=True, slots=True)
class SubGhzChannelLogRead:
    """6.32 ReadCHFSubGHzChannelLogRsp: the entries of the period, oldest first."""

    entries: tuple[ChannelLogEntry, ...]


# -- checks --------------------------------------------------------------------------------------


def _check_channels(channels: object, field: str, count: int) -> None:
    if not isinstance(channels, tuple):
        raise InvalidField(field, "must be a list of channel numbers")
    if len(channels) > count:  # checked first: a huge list is refused without a long walk
        raise InvalidField(field, f"more than the band's {count} channels")
    for index, number in enumerate(channels):
        check_int(number, f"{field}[{index}]", low=0, high=count - 1)
    if any(a >= b for a, b in pairwise(channels)):
        raise InvalidField(field, "each channel is listed once, in increasing order")


def _check_configuration(body: SetSubGhzConfiguration) -> None:
    _check_channels(body.lower_band_channels, "body.lower_band_channels", LOWER_BAND_CHANNELS)
    _check_channels(body.upper_band_channels, "body.upper_band_channels", UPPER_BAND_CHANNELS)
    check_decimal(
        body.normal_limited_duty_cycle_threshold,
        "body.normal_limited_duty_cycle_threshold",
        low=Decimal("0.5"),
        high=Decimal("2.0"),
        fraction_digits=1,
    )
    check_decimal(
        body.limited_critical_duty_cycle_threshold,
        "body.limited_critical_duty_cycle_threshold",
        low=Decimal("1.5"),
        high=Decimal("2.5"),
        fraction_digits=1,
        exclusive=True,
    )
    check_int(
        body.maximum_channel_changes_per_week,
        "body.maximum_channel_changes_per_week",
        low=1,
        high=7,
    )
    check_int(body.gsme_curfew, "body.gsme_curfew", low=2, high=_UNSIGNED_SHORT)
    check_int(body.channel_quieter_threshold, "body.channel_quieter_threshold", low=1, high=255)
    check_int(body.channel_noisier_threshold, "body.channel_noisier_threshold", low=0, high=20)
    check_int(
        body.non_gsme_poor_comms_measurement_periods,
        "body.non_gsme_poor_comms_measurement_periods",
        low=50,
        high=150,
    )
    check_int(
        body.local_ch_noise_measurement_period,
        "body.local_ch_noise_measurement_period",
        low=61,
        high=_UNSIGNED_SHORT,
    )
    for name in (
        "non_gsme_poor_comms_percentage_threshold",
        "local_ch_failure_percentage",
        "local_ch_retry_percentage",
    ):
        check_decimal(
            getattr(body, name),
            f"body.{name}",
            low=Decimal("1.00"),
            high=Decimal("100.00"),
            fraction_digits=2,
        )


def _check_log_period(body: ReadSubGhzChannelLog) -> None:
    for name in ("start", "end"):
        when = getattr(body, name)
        if not isinstance(when, datetime) or when.tzinfo is None:
            raise InvalidField(f"body.{name}", "must be a date and time with its time zone")
    if body.end < body.start:
        raise InvalidField("body.end", "is before the start of the period")


# -- executions ----------------------------------------------------------------------------------


def _radio(device: SimulatedDevice) -> SubGhzRadio:
    """The hub's radio state, made at its first write."""
    if device.sub_ghz is None:
        device.sub_ghz = SubGhzRadio.factory(device.device_id)
    return device.sub_ghz


def _view(device: SimulatedDevice) -> SubGhzRadio:
    """What a read sees: the radio's state, or its factory state without making it."""
    return device.sub_ghz or SubGhzRadio.factory(device.device_id)


@family.device("6.28", body=SetSubGhzConfiguration, check=_check_configuration, device_types=_CHF)
def set_configuration(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    assert isinstance(request.body, SetSubGhzConfiguration)
    _radio(device).configure(request.body.settings(), state.now())
    return None, nothing


@family.device("6.29", body=RequestSubGhzChannelScan, device_types=_CHF)
def request_scan(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    _radio(device).scan(device.device_id, state.now())
    return None, nothing


@family.device(
    "6.30",
    body=ReadSubGhzConfiguration,
    device_types=_CHF,
    responses=(SubGhzConfigurationRead,),
)
def read_configuration(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    return SubGhzConfigurationRead(_view(device).settings), nothing


@family.device("6.31", body=ReadSubGhzChannel, device_types=_CHF, responses=(SubGhzChannelRead,))
def read_channel(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    return SubGhzChannelRead(_view(device).channel), nothing


@family.device(
    "6.32",
    body=ReadSubGhzChannelLog,
    check=_check_log_period,
    device_types=_CHF,
    responses=(SubGhzChannelLogRead,),
)
def read_channel_log(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    body = request.body
    assert isinstance(body, ReadSubGhzChannelLog)
    radio = device.sub_ghz
    entries = radio.entries(body.start, body.end) if radio is not None else []
    return SubGhzChannelLogRead(tuple(entries)), nothing
