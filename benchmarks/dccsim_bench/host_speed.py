"""How fast the host runs right now, measured in a moment: a pure-Python reference loop and
OpenSSL's P-256 signature and verification (through `cryptography`), the two kinds of work
dccsim's figures are made of.

A shared or virtual machine does not run at one speed: this development machine ran the same
P-256 verification in 75 us and, a quarter of an hour later, in 115 us (docs/performance.md). So a
run records the host's speed beside its figures, at its start and at its end; figures from two
runs compare only together with the speeds they were measured at, and a run whose host changed
speed under it says so.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

# A run's host speed changed under it when one of its measures moved by more than this share.
DRIFT_SHARE = 0.15

_ECDSA = ec.ECDSA(hashes.SHA256())
# What is signed: the size of a GBCS grouping header with its content.
_MESSAGE = bytes(range(256)) * 2


@dataclass(frozen=True, slots=True)
class HostSpeed:
    """CPU time per unit of reference work (lower is faster)."""

    python_loop_ns: float  # one iteration of `_reference_loop`
    p256_sign_us: float
    p256_verify_us: float

    def as_dict(self) -> dict[str, float]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, float]) -> HostSpeed:
        return cls(data["python_loop_ns"], data["p256_sign_us"], data["p256_verify_us"])

    def describe(self) -> str:
        return (
            f"Python loop {self.python_loop_ns:.1f} ns/iteration, P-256 sign "
            f"{self.p256_sign_us:.1f} us, verify {self.p256_verify_us:.1f} us"
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


def _best_cpu_seconds(work: Callable[[], object], rounds: int) -> float:
    """The least CPU time of `rounds` runs: the host's speed, not the noise around it."""
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        work()
        best = min(best, time.process_time() - started)
    return best


def measure_host_speed(
    *, rounds: int = 3, iterations: int = 200_000, signatures: int = 100
) -> HostSpeed:
    """A few tenths of a second of CPU at most, with the defaults."""
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
    sign = _best_cpu_seconds(sign_all, rounds)
    verify = _best_cpu_seconds(verify_all, rounds)
    return HostSpeed(
        python_loop_ns=round(loop / iterations * 1e9, 2),
        p256_sign_us=round(sign / signatures * 1e6, 2),
        p256_verify_us=round(verify / signatures * 1e6, 2),
    )


def drift(start: HostSpeed, end: HostSpeed) -> float:
    """The largest relative change of one measure from `start` to `end`."""
    pairs = zip(
        (start.python_loop_ns, start.p256_sign_us, start.p256_verify_us),
        (end.python_loop_ns, end.p256_sign_us, end.p256_verify_us),
        strict=True,
    )
    return max(abs(after - before) / before for before, after in pairs if before > 0)


def drift_note(start: HostSpeed, end: HostSpeed, share: float = DRIFT_SHARE) -> str | None:
    """A warning when the host changed speed during a run (None when it held steady)."""
    moved = drift(start, end)
    if moved <= share:
        return None
    return (
        f"the host's speed changed by {moved:.0%} during the run (start: {start.describe()}; "
        f"end: {end.describe()}): its figures mix two machines"
    )
