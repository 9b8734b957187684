"""A dual-band Communications Hub's sub-GHz radio: the configuration 6.28 sets and 6.30 reads, the
operating channel (6.31), the channel log (6.32) and what a channel scan (6.29) does.

Decisions (GBCS DBCH01-DBCH05 give the messages, not the radio's behaviour; docs/decisions.md):
- A hub leaves the factory with every channel of both bands allowed and `FACTORY_SETTINGS`'
  thresholds, on a lower-band channel picked from its device ID; its log starts empty. A hub
  nobody has configured or scanned holds no radio object at all: `SubGhzRadio.factory` makes the
  same picture whenever it is read (a pure read creates no state).
- 6.28 replaces the configuration and logs Sub GHz Configuration Changed (0x8F2A). If the
  operating channel is no longer allowed, the hub moves at once to the first allowed channel
  (lower band first) and logs Sub GHz Channel Changed (0x8F26); with no channel allowed at all
  it stays where it is (it has nowhere to go).
- 6.29 logs Sub GHz Channel Scan initiated (0x8F27, trigger RemotePartyCommand) and measures the
  noise on every allowed channel: a level from -100 to -70 dBm taken from a SHA-256 of the device
  ID, the band, the channel and the scan's number, so a scan is the same on every run. The hub
  moves to the quietest allowed channel other than its own (0x8F26), unless it has already
  changed channel `MaximumSubGHzChannelChangesPerWeek` times in the last 7 days or no other
  channel is allowed: then it logs Sub GHz Channel not changed due to Frequency Agility
  Parameters (0x8F2B).
- The log keeps the latest 100 entries (the MMC's ReadCHFSubGHzChannelLogRsp holds 100).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from enum import IntEnum, StrEnum

LOWER_BAND_CHANNELS = 62  # channels 0-61
UPPER_BAND_CHANNELS = 27  # channels 0-26
LOG_CAPACITY = 100
_WEEK = timedelta(days=7)
_QUIETEST_DBM, _NOISE_SPAN = -100, 31  # noise levels -100 to -70 dBm


class Band(StrEnum):
    LOWER = "Lower"
    UPPER = "Upper"


class ChannelEvent(IntEnum):
    """The GBCS event codes the channel log records."""

    CHANNEL_CHANGED = 0x8F26
    SCAN_INITIATED = 0x8F27
    CONFIGURATION_CHANGED = 0x8F2A
    CHANNEL_NOT_CHANGED = 0x8F2B

    @property
    def description(self) -> str:
        return _DESCRIPTIONS[self]


_DESCRIPTIONS = {
    ChannelEvent.CHANNEL_CHANGED: "Sub GHz Channel Changed",
    ChannelEvent.SCAN_INITIATED: "Sub GHz Channel Scan initiated",
    ChannelEvent.CONFIGURATION_CHANGED: "Sub GHz Configuration Changed",
    ChannelEvent.CHANNEL_NOT_CHANGED: (
        "Sub GHz Channel not changed due to Frequency Agility Parameters"
    ),
}


class ScanTrigger(StrEnum):
    """What started a scan (the MMC's ScanTrigger)."""

    REMOTE_PARTY_COMMAND = "RemotePartyCommand"
    GSME_REQUEST = "GSMERequest"
    GSME_MISSED_ITS_CURFEW = "GSMEMissedItsCurfew"
    GSME_MISSING_FOR_THE_LAST_DAY = "GSMEMissingForTheLastDay"
    CH_DETECTED_MESSAGE_FAILURE_PROBLEMS = "CHDetectedMessageFailureProblems"
    CH_DETECTED_MESSAGE_RETRY_PROBLEMS = "CHDetectedMessageRetryProblems"
    SUB_GHZ_NON_GSME_DEVICE_REQUEST = "SubGHzNon-GSMEDeviceRequest"
    SMHAN_FORMATION = "SMHANFormation"


@dataclass(frozen=True, slots=True)
class SubGhzChannel:
    band: Band
    number: int


@dataclass(frozen=True, slots=True)
class SubGhzSettings:
    """The CHF's sub-GHz configuration (DUIS SubGHzConfiguration). The three lower-band channel
    groups of DUIS are one sorted tuple of channel numbers here."""

    lower_band_channels: tuple[int, ...]  # 0-61, increasing
    upper_band_channels: tuple[int, ...]  # 0-26, increasing
    normal_limited_duty_cycle_threshold: Decimal  # % to one decimal place
    limited_critical_duty_cycle_threshold: Decimal
    maximum_channel_changes_per_week: int
    gsme_curfew: int
    channel_quieter_threshold: int
    channel_noisier_threshold: int
    non_gsme_poor_comms_percentage_threshold: Decimal  # % to two decimal places
    non_gsme_poor_comms_measurement_periods: int
    local_ch_noise_measurement_period: int
    local_ch_failure_percentage: Decimal
    local_ch_retry_percentage: Decimal

    def allowed(self) -> Iterator[SubGhzChannel]:
        """The allowed channels, lower band first, each band in channel order."""
        for number in self.lower_band_channels:
            yield SubGhzChannel(Band.LOWER, number)
        for number in self.upper_band_channels:
            yield SubGhzChannel(Band.UPPER, number)


FACTORY_SETTINGS = SubGhzSettings(
    lower_band_channels=tuple(range(LOWER_BAND_CHANNELS)),
    upper_band_channels=tuple(range(UPPER_BAND_CHANNELS)),
    normal_limited_duty_cycle_threshold=Decimal("1.0"),
    limited_critical_duty_cycle_threshold=Decimal("2.0"),
    maximum_channel_changes_per_week=7,
    gsme_curfew=24,
    channel_quieter_threshold=10,
    channel_noisier_threshold=10,
    non_gsme_poor_comms_percentage_threshold=Decimal("50.00"),
    non_gsme_poor_comms_measurement_periods=100,
    local_ch_noise_measurement_period=120,
    local_ch_failure_percentage=Decimal("50.00"),
    local_ch_retry_percentage=Decimal("50.00"),
)


@dataclass(frozen=True, slots=True)
class ChannelLogEntry:
    timestamp: datetime
    event: ChannelEvent
    channel: SubGhzChannel
    trigger: ScanTrigger | None = None


@dataclass(slots=True)
class SubGhzRadio:
    """The radio's state. Made on the first 6.28 or 6.29; until then `factory` stands in."""

    settings: SubGhzSettings
    channel: SubGhzChannel
    log: list[ChannelLogEntry] = field(default_factory=list)
    scans: int = 0  # scans run so far: each scan's noise levels are its own
    # When the channel changed in the last 7 days (the log may have dropped those entries).
    recent_changes: list[datetime] = field(default_factory=list)

    @classmethod
    def factory(cls, device_id: str) -> SubGhzRadio:
        return cls(FACTORY_SETTINGS, _factory_channel(device_id))

    def configure(self, settings: SubGhzSettings, now: datetime) -> None:
        """6.28."""
        self.settings = settings
        self._record(now, ChannelEvent.CONFIGURATION_CHANGED)
        allowed = list(settings.allowed())
        if allowed and self.channel not in allowed:
            self._move(allowed[0], now, None)

    def scan(self, device_id: str, now: datetime) -> None:
        """6.29: a scan the DCC asked for (see the module doc for what it decides)."""
        self.scans += 1
        trigger = ScanTrigger.REMOTE_PARTY_COMMAND
        self._record(now, ChannelEvent.SCAN_INITIATED, trigger)
        candidates = [c for c in self.settings.allowed() if c != self.channel]
        if not candidates or self._changes_in_week(now) >= (
            self.settings.maximum_channel_changes_per_week
        ):
            self._record(now, ChannelEvent.CHANNEL_NOT_CHANGED, trigger)
            return
        quietest = min(candidates, key=lambda c: noise_dbm(device_id, c, self.scans))
        self._move(quietest, now, trigger)

    def entries(self, start: datetime, end: datetime) -> list[ChannelLogEntry]:
        """6.32: the entries logged from `start` to `end`, both included, oldest first."""
        return [entry for entry in self.log if start <= entry.timestamp <= end]

    def _move(self, channel: SubGhzChannel, now: datetime, trigger: ScanTrigger | None) -> None:
        self.channel = channel
        self.recent_changes.append(now)
        self._record(now, ChannelEvent.CHANNEL_CHANGED, trigger)

    def _changes_in_week(self, now: datetime) -> int:
        since = now - _WEEK
        self.recent_changes = [when for when in self.recent_changes if when > since]
        return len(self.recent_changes)

    def _record(
        self, now: datetime, event: ChannelEvent, trigger: ScanTrigger | None = None
    ) -> None:
        self.log.append(ChannelLogEntry(now, event, self.channel, trigger))
        if len(self.log) > LOG_CAPACITY:
            del self.log[0]


def noise_dbm(device_id: str, channel: SubGhzChannel, scan: int) -> int:
    """The noise a scan measures on a channel: seeded, so every run measures the same."""
    seed = f"{device_id}:{channel.band}:{channel.number}:{scan}".encode()
    return _QUIETEST_DBM + hashlib.sha256(seed).digest()[0] % _NOISE_SPAN


def _factory_channel(device_id: str) -> SubGhzChannel:
    digest = hashlib.sha256(f"{device_id}:sub-GHz".encode()).digest()
    return SubGhzChannel(Band.LOWER, digest[0] % LOWER_BAND_CHANNELS)
