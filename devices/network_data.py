"""A GSME's Network Data Log (14.1 Record Network Data (GAS) starts it; 4.10 Read Network Data
reads it for gas).

Decisions (docs/decisions.md):
- 14.1 starts a new log: the GSME samples its meter index at once and every 6 minutes after,
  41 samples in all (4 hours; 41 is what the MMC's GasNetworkDataLog holds), replacing the log
  of any earlier start. Each start has a SampleID, the GSME's count of starts (1, 2, ...), which
  the 14.1 response carries.
- The samples are worked out when read, from the start time and the virtual clock: a sample
  exists once its time has come. The meter index is a stand-in until the meters' registers are
  modelled: a per-device starting index and hourly flow, both taken from a SHA-256 of the device
  ID, advancing with virtual time from 2020-01-01T00:00Z (m3, to the litre).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

SAMPLE_INTERVAL = timedelta(minutes=6)
SAMPLES = 41
_INDEX_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
_LITRES = Decimal("0.001")


@dataclass(frozen=True, slots=True)
class NetworkDataSample:
    value: Decimal  # the meter index, m3
    timestamp: datetime


@dataclass(frozen=True, slots=True)
class GasNetworkDataLog:
    sample_id: int
    started_at: datetime

    def samples(self, device_id: str, now: datetime) -> list[NetworkDataSample]:
        """The samples taken by `now`, oldest first."""
        taken = []
        for number in range(SAMPLES):
            when = self.started_at + number * SAMPLE_INTERVAL
            if when > now:
                break
            taken.append(NetworkDataSample(meter_index(device_id, when), when))
        return taken


def start_log(previous: GasNetworkDataLog | None, now: datetime) -> GasNetworkDataLog:
    return GasNetworkDataLog((previous.sample_id if previous else 0) + 1, now)


def meter_index(device_id: str, when: datetime) -> Decimal:
    """The stand-in meter index (m3) at `when` (see the module doc)."""
    digest = hashlib.sha256(f"{device_id}:gas-index".encode()).digest()
    start_litres = int.from_bytes(digest[:4], "big") % 20_000_000  # up to 20,000 m3
    litres_per_hour = 20 + digest[4] % 180
    seconds = max((when - _INDEX_EPOCH) // timedelta(seconds=1), 0)
    return (start_litres + seconds * litres_per_hour // 3600) * _LITRES
