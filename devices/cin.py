"""The Customer Identification Number (CIN) a meter shows its consumer (9.1).

The DCC makes the CIN and sends it to the ESME or GSME (GBCS ECS50 / GCS36 "Send CIN"); the meter
holds it and shows it on its display, so that the consumer can read it out to the Other User who
asked for it. A meter that was never sent one holds nothing (no object: the fleet pays nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class CustomerIdentification:
    cin: str  # four digits (DUIS CINMessage/CustomerIdentificationNumber)
    shown_since: datetime
