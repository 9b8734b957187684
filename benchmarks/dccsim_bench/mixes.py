"""The Service Request mixes `dccsim bench` sends, by name or as `SRV=weight,...`, and their
order within one cycle. Plain Python, so the command line can show its defaults without loading
gRPC or the protobuf messages."""

from __future__ import annotations

# The SRVs the gRPC modes can send (dccsim.bench.traffic builds them); the HTTP mode sends these
# but 11.3 (dccsim.bench.http_traffic).
SRVS = ("11.2", "8.2", "11.3", "2.2", "4.1.1", "4.6.1", "4.8.1", "4.12.1", "6.2.7")

# A day of a supplier's traffic, roughly: mostly meter reads (registers, the half-hourly profile,
# the daily log), then firmware reads, top-ups, configuration reads, inventory and firmware
# activation. `--mix firmware` is the MP105 story's traffic alone.
DEFAULT_MIX = "4.1.1=6,4.8.1=4,4.6.1=3,4.12.1=1,11.2=2,2.2=1,6.2.7=1,8.2=1,11.3=1"
FIRMWARE_MIX = "11.2=8,8.2=1,11.3=1"
NAMED_MIXES = {"realistic": DEFAULT_MIX, "firmware": FIRMWARE_MIX}


def parse_mix(text: str) -> dict[str, int]:
    """'11.2=8,8.2=1' -> {'11.2': 8, '8.2': 1}; a bare SRV weighs 1; a name of NAMED_MIXES is
    that mix. Raises ValueError."""
    text = NAMED_MIXES.get(text, text)
    mix: dict[str, int] = {}
    for part in text.split(","):
        srv, _, weight = part.strip().partition("=")
        if srv not in SRVS:
            raise ValueError(
                f"SRV {srv!r} is not one the bench sends; choose from {', '.join(SRVS)}"
            )
        if srv in mix:
            raise ValueError(f"SRV {srv} appears twice")
        try:
            mix[srv] = int(weight) if weight else 1
        except ValueError:
            raise ValueError(f"weight {weight!r} of SRV {srv} is not a whole number") from None
        if mix[srv] < 0:
            raise ValueError(f"weight of SRV {srv} is negative")
    if not any(mix.values()):
        raise ValueError("the mix sends nothing")
    return mix


def interleave(mix: dict[str, int]) -> tuple[str, ...]:
    """One cycle of the mix, spread out (smooth weighted round-robin): 11.2=2,8.2=1 gives
    11.2, 8.2, 11.2 rather than 11.2, 11.2, 8.2."""
    total = sum(mix.values())
    current = dict.fromkeys(mix, 0)
    cycle = []
    for _ in range(total):
        for srv, weight in mix.items():
            current[srv] += weight
        chosen = max(current, key=current.__getitem__)
        current[chosen] -= total
        cycle.append(chosen)
    return tuple(cycle)


# The realistic mix without 11.3, for DUIS over HTTP: its signed leg (CV 5) carries the PreCommand
# the DSP answers its CV 4 with, and the HTTP mode signs every request before the run.
DEFAULT_HTTP_MIX = "4.1.1=6,4.8.1=4,4.6.1=3,4.12.1=1,11.2=2,2.2=1,6.2.7=1,8.2=1"
