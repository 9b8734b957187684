"""Soak the DSP core with a steady Service Request mix and watch its memory (issue 6: memory
stays flat over a 10-minute soak).

    python benchmarks/soak.py --minutes 10          # the full soak -> results/soak-10m.json
    python benchmarks/soak.py --seconds 20          # a quick check
    python benchmarks/soak.py --seconds 60 --faults # also drop 20% of 11.3 responses (FAULT-03)

The mix, round and round over a generated fleet as a supplier would send it: an 11.2 read, an
11.3 activation (CV 4, then CV 5 with the PreCommand) and an 8.2 inventory read, the supplier
acknowledging everything delivered after each round. RSS is sampled every few seconds; the
summary gives the start, end and peak RSS and the slope of a least-squares line through the
samples after a warm-up (the journal fills to its bound, caches fill), with the sizes of the
structures that could grow per request, so that growth can be traced to its holder.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import itertools
import json
import os
import sys
import time
from pathlib import Path

from dccsim.server.core.dsp import Dsp
from dccsim.server.core.faults import FaultAction, FaultRule
from dccsim.server.core.fleet_file import parse_fleet
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.requests import (
    ActivateFirmware,
    ReadFirmwareVersion,
    ReadInventory,
    RequestId,
    ServiceRequest,
    SignedPreCommand,
    UpdateFirmware,
)

RESULTS = Path(__file__).resolve().parent / "results"
SUPPLIER = "90-B3-D5-1F-30-01-00-00"
OPERATOR = "90-B3-D5-1F-30-02-00-00"
IMAGE = b"soak image"
_PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_bytes() -> int:
    """The current resident set size (ru_maxrss is only the peak)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * _PAGE


def build(devices: int, faults: bool) -> tuple[Dsp, list[str]]:
    text = f"""
users:
  - {{id: {SUPPLIER}, roles: [IS]}}
  - {{id: {OPERATOR}, roles: [ED]}}
cpl:
  - {{manufacturer: M, model: X, firmware: "0100"}}
  - {{manufacturer: M, model: X, firmware: "0200"}}
generate:
  - {{count: {devices}, type: ESME, smets1_share: 0.1, manufacturer: M, model: X,
      firmware: "0100", id_prefix: 00-DB-0A, supplier: {SUPPLIER}, network_operator: {OPERATOR}}}
"""
    fleet = parse_fleet(text)
    dsp = Dsp()
    fleet.load_into(dsp)
    ids = [record.device_id for record in fleet.devices]
    # Distribute the image to every device first, so that 11.3 has something to activate.
    for start in range(0, len(ids), 50_000):
        rid = RequestId(SUPPLIER, dsp.state.acb_id, start + 1)
        update = UpdateFirmware(IMAGE, "0200", tuple(ids[start : start + 50_000]))
        dsp.submit(ServiceRequest(rid, "11.1", CommandVariant.NON_DEVICE, update))
    if faults:
        dsp.faults.add(FaultRule(FaultAction.DROP, srv="11.3", probability=0.2))
    _acknowledge(dsp)
    return dsp, ids


def _acknowledge(dsp: Dsp) -> None:
    """What a supplier does after reading its outbox."""
    box = dsp.outbox(SUPPLIER)
    if box.last_sequence > box.acknowledged:
        box.acknowledge(box.last_sequence)


class Mix:
    """One round: 11.2, 11.3 (CV 4 then CV 5) and 8.2, to the next device of the fleet."""

    def __init__(self, dsp: Dsp, ids: list[str]) -> None:
        self.dsp = dsp
        self.devices = itertools.cycle(ids)
        self.counter = itertools.count(1_000_000)  # above the 11.1 counters used in build()
        self.firmware_hash = hashlib.sha256(IMAGE).digest()
        self.requests = 0

    def round(self) -> None:
        dsp, device = self.dsp, next(self.devices)
        submit = dsp.submit
        answer = submit(
            ServiceRequest(
                RequestId(SUPPLIER, device, next(self.counter)),
                "11.2",
                CommandVariant.NON_CRITICAL_REMOTE,
                ReadFirmwareVersion(),
            )
        )
        assert answer.code == "I99", answer
        rid = RequestId(SUPPLIER, device, next(self.counter))
        activate = ActivateFirmware(self.firmware_hash)
        pre = submit(ServiceRequest(rid, "11.3", CommandVariant.CRITICAL_TRANSFORM, activate))
        assert pre.body is not None and hasattr(pre.body, "payload"), pre
        signed = SignedPreCommand(pre.body.payload)
        answer = submit(ServiceRequest(rid, "11.3", CommandVariant.CRITICAL_SIGNED_REMOTE, signed))
        assert answer.code == "I99", answer
        answer = submit(
            ServiceRequest(
                RequestId(SUPPLIER, dsp.state.acb_id, next(self.counter)),
                "8.2",
                CommandVariant.NON_DEVICE,
                ReadInventory(device_id=device),
            )
        )
        assert answer.code == "I0", answer
        _acknowledge(dsp)
        self.requests += 4


def holders(dsp: Dsp) -> dict[str, int]:
    """Sizes of everything that could grow with the number of requests."""
    state = dsp.state
    return {
        "journal_events": len(state.journal.events()),
        "counters": len(dsp.counters),
        "pending_pre_commands": len(dsp.pending_pre_commands),
        "outbox_pending": sum(state.outboxes.snapshot().values()),
        "fault_decisions": len(state.faults.decisions),
        "scheduled": len(state.scheduler),
        "smi": len(state.smi),
    }


def slope_per_minute(samples: list[tuple[float, int]]) -> float:
    """Least-squares slope of RSS over time, in bytes per minute."""
    if len(samples) < 2:
        return 0.0
    n = len(samples)
    mean_t = sum(t for t, _ in samples) / n
    mean_r = sum(r for _, r in samples) / n
    var = sum((t - mean_t) ** 2 for t, _ in samples)
    if var == 0:
        return 0.0
    cov = sum((t - mean_t) * (r - mean_r) for t, r in samples)
    return cov / var * 60


def soak(seconds: float, sample_every: float, devices: int, faults: bool) -> dict[str, object]:
    started_build = time.perf_counter()
    dsp, ids = build(devices, faults)
    built = time.perf_counter()
    mix = Mix(dsp, ids)
    warm_up = min(60.0, seconds / 5)
    samples: list[tuple[float, int]] = []
    start = time.monotonic()
    next_sample = start
    while True:
        now = time.monotonic()
        if now >= next_sample:
            elapsed = now - start
            samples.append((elapsed, rss_bytes()))
            print(
                f"{elapsed:7.1f}s  rss {samples[-1][1] / 2**20:8.1f} MiB  "
                f"requests {mix.requests:>10,}",
                file=sys.stderr,
                flush=True,
            )
            next_sample += sample_every
            if elapsed >= seconds:
                break
        for _ in range(100):
            mix.round()
    steady = [(t, r) for t, r in samples if t >= warm_up]
    rss = [r for _, r in samples]
    slope = slope_per_minute(steady)
    gc.collect()
    return {
        "seconds": round(samples[-1][0], 1),
        "build_seconds": round(built - started_build, 2),
        "devices": devices,
        "faults": "drop 20% of 11.3 responses" if faults else "none",
        "requests": mix.requests,
        "requests_per_second": round(mix.requests / samples[-1][0]),
        "sample_every_seconds": sample_every,
        "warm_up_seconds": warm_up,
        "start_rss_mib": round(rss[0] / 2**20, 1),
        "rss_after_warm_up_mib": round(steady[0][1] / 2**20, 1) if steady else None,
        "end_rss_mib": round(rss[-1] / 2**20, 1),
        "max_rss_mib": round(max(rss) / 2**20, 1),
        "slope_mib_per_minute": round(slope / 2**20, 3),
        "growth_after_warm_up_mib": round((rss[-1] - steady[0][1]) / 2**20, 1) if steady else None,
        "holders": holders(dsp),
        "samples": [[round(t, 1), round(r / 2**20, 1)] for t, r in samples],
        "python": sys.version.split()[0],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    length = parser.add_mutually_exclusive_group()
    length.add_argument("--minutes", type=float, help="soak length (default 10)")
    length.add_argument("--seconds", type=float, help="soak length, for a quick check")
    parser.add_argument("--sample-every", type=float, default=5.0, help="seconds (default 5)")
    parser.add_argument("--devices", type=int, default=10_000, help="fleet size (default 10000)")
    parser.add_argument("--faults", action="store_true", help="drop 20%% of 11.3 responses")
    parser.add_argument("--out", type=Path, help="JSON summary file (default under results/)")
    parser.add_argument("--no-save", action="store_true", help="print only")
    args = parser.parse_args(argv)
    seconds = args.seconds if args.seconds is not None else (args.minutes or 10) * 60
    result = soak(seconds, args.sample_every, args.devices, args.faults)
    result["command"] = " ".join(["python", "benchmarks/soak.py", *sys.argv[1:]])
    # Throughput depends on what else the machine runs: the 1/5/15-minute load averages say.
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    # One line for the samples, however many there are.
    samples = json.dumps(result.pop("samples"))
    text = json.dumps({**result, "samples": "@"}, indent=2).replace('"@"', samples)
    print(text)
    if not args.no_save:
        name = f"soak-{seconds / 60:g}m{'-faults' if args.faults else ''}.json"
        out = args.out or RESULTS / name
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n")


if __name__ == "__main__":
    main()
