"""How fast the host runs right now, measured in a moment: a pure-Python reference loop, lookups
scattered over a dict larger than the CPU's caches, and OpenSSL's P-256 signature and
verification (through `cryptography`) -- the kinds of work dccsim's figures are made of.

A shared or virtual machine does not run at one speed: this development machine ran the same
P-256 verification in 75 us and, a quarter of an hour later, in 115 us (docs/performance.md). So a
run records the host's speed beside its figures, at its start and at its end; figures from two
runs compare only together with the speeds they were measured at, and a run whose host changed
speed under it says so.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

# A run's host speed changed under it when a steady measure (`drift`) moved by more than this.
DRIFT_SHARE = 0.15

_ECDSA = ec.ECDSA(hashes.SHA256())
# What is signed: the size of a GBCS grouping header with its content.
_MESSAGE = bytes(range(256)) * 2


@dataclass(frozen=True, slots=True)
class HostSpeed:
    """CPU time per unit of reference work (lower is faster)."""

    python_loop_ns: float  # one iteration of `_reference_loop`
    # One lookup of `_scattered_lookups`: memory-bound, so it moves with what other tenants do
    # to the shared caches and with the cost of a TLB miss under virtualisation, which the loop
    # (all in the core's own caches) does not show.
    memory_lookup_ns: float
    p256_sign_us: float
    p256_verify_us: float

    def as_dict(self) -> dict[str, float]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, float]) -> HostSpeed:
        return cls(
            data["python_loop_ns"],
            data["memory_lookup_ns"],
            data["p256_sign_us"],
            data["p256_verify_us"],
        )

    def measures(self) -> tuple[float, ...]:
        return (self.python_loop_ns, self.memory_lookup_ns, self.p256_sign_us, self.p256_verify_us)

    def describe(self) -> str:
        return (
            f"Python loop {self.python_loop_ns:.1f} ns/iteration, memory lookup "
            f"{self.memory_lookup_ns:.0f} ns, P-256 sign {self.p256_sign_us:.1f} us, verify "
            f"{self.p256_verify_us:.1f} us"
        )


def _reference_loop(iterations: int) -> int:
    """Plain bytecode work: arithmetic, a branch, a local store per iteration."""
    total = 0
    for i in range(iterations):
        if i & 1:
            total += i >> 1
        else:
            total ^= i
    return total


def _scattered_lookups(entries: int) -> Callable[[], int]:
    """Every key of a dict of `entries` ints looked up once, in an order that defeats the
    caches and the prefetcher (the dict and its keys: tens of megabytes at the default)."""
    table = {key * 7919: key for key in range(entries)}
    keys = list(table)
    random.Random(entries).shuffle(keys)

    def walk() -> int:
        total = 0
        for key in keys:
            total += table[key]
        return total

    return walk


def _best_cpu_seconds(work: Callable[[], object], rounds: int) -> float:
    """The least CPU time of `rounds` runs: the host's speed, not the noise around it."""
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        work()
        best = min(best, time.process_time() - started)
    return best


def measure_host_speed(
    *, rounds: int = 3, iterations: int = 200_000, entries: int = 1 << 17, signatures: int = 100
) -> HostSpeed:
    """Under a second of CPU with the defaults."""
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key()
    signature = key.sign(_MESSAGE, _ECDSA)

    def sign_all() -> None:
        for _ in range(signatures):
            key.sign(_MESSAGE, _ECDSA)

    def verify_all() -> None:
        for _ in range(signatures):
            public.verify(signature, _MESSAGE, _ECDSA)

    loop = _best_cpu_seconds(lambda: _reference_loop(iterations), rounds)
    lookups = _best_cpu_seconds(_scattered_lookups(entries), rounds)
    sign = _best_cpu_seconds(sign_all, rounds)
    verify = _best_cpu_seconds(verify_all, rounds)
    return HostSpeed(
        python_loop_ns=round(loop / iterations * 1e9, 2),
        memory_lookup_ns=round(lookups / entries * 1e9, 1),
        p256_sign_us=round(sign / signatures * 1e6, 2),
        p256_verify_us=round(verify / signatures * 1e6, 2),
    )


def drift(start: HostSpeed, end: HostSpeed) -> float:
    """The largest relative change from `start` to `end` of the measures that hold steady when
    the host does: not the memory lookup, which moves by a third between two measures taken
    back to back (it is recorded, to read beside a memory-bound figure)."""
    steady = (
        (start.python_loop_ns, end.python_loop_ns),
        (start.p256_sign_us, end.p256_sign_us),
        (start.p256_verify_us, end.p256_verify_us),
    )
    return max(abs(after - before) / before for before, after in steady if before > 0)


def drift_note(start: HostSpeed, end: HostSpeed, share: float = DRIFT_SHARE) -> str | None:
    """A warning when the host changed speed during a run (None when it held steady)."""
    moved = drift(start, end)
    if moved <= share:
        return None
    return (
        f"the host's speed changed by {moved:.0%} during the run (start: {start.describe()}; "
        f"end: {end.describe()}): its figures mix two machines"
    )


def main(argv: list[str] | None = None) -> None:
    """`python -m dccsim.bench.host_speed [--for SECONDS] [--every SECONDS]`: the host's speed,
    once or as a series (a small measure each time), to see how it moves."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--for", dest="duration", type=float, default=0.0)
    parser.add_argument("--every", type=float, default=1.0)
    args = parser.parse_args(argv)
    if args.duration <= 0:
        print(measure_host_speed().describe())
        return
    started = time.monotonic()
    while (elapsed := time.monotonic() - started) < args.duration:
        speed = measure_host_speed(rounds=1, iterations=50_000, signatures=50)
        print(f"{elapsed:6.1f} s  {speed.describe()}", flush=True)
        time.sleep(max(0.0, args.every - (time.monotonic() - started - elapsed)))


if __name__ == "__main__":
    main()
