"""Which rule book the DSP follows (AUTH-11)."""

from __future__ import annotations

from enum import StrEnum


class Baseline(StrEnum):
    """`current` is DUIS as amended by MP105; `pre-MP105` is the behaviour MP105 replaced:
    11.2 is not in the Suspended exception list, and 11.3 responses update the SMI only when the
    activation itself reports success."""

    CURRENT = "current"
    PRE_MP105 = "pre-MP105"
