"""Where a signed DUIS-over-HTTP Service Request's server CPU goes, step by step, without HTTP.

    python benchmarks/http_breakdown.py                 # -> results/http-breakdown.json
    python benchmarks/http_breakdown.py --requests 400 --no-save

One thread does what `dccsim serve` does for each request of `dccsim bench --mode http` (the
same fleet, mix and signed documents, dccsim's test PKI, a state file): the DUIS gateway answers
it (parse, verify its signature, the core's Submit with its durable commit, the I99 document,
signed), then its Service Response is built and signed as a delivery would POST it, and the
Delivered command is run. The verifier, the signer and the host are wrapped to time their share
(CPU time, so other work on the machine matters less than for throughput); parsing and building
the synchronous answer are the rest of the gateway's time. The signer is handed the tree the
gateway built and returns the document's bytes, so its share includes serialising the document
(signed or not, it is serialised once). HTTP's share is not here -- aiohttp serving the request
(the HTTP echo of `dccsim bench --mode http` gives it), the deliverer's POST
(server/http/post_client.py) -- nor the hand-overs between the event loop and the worker threads.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dccsim.bench.host_speed import measure_host_speed
from dccsim.bench.http_traffic import lane_requests
from dccsim.bench.interpreter import this_interpreter
from dccsim.bench.mixes import DEFAULT_HTTP_MIX, interleave, parse_mix
from dccsim.bench.traffic import fleet_yaml, lanes_of
from dccsim.server.core import commands
from dccsim.server.core.fleet_file import parse_fleet
from dccsim.server.core.outbox import OutboxEntry
from dccsim.server.core.web_services import WebService
from dccsim.server.duis.signing import SignatureSettings, sign_document
from dccsim.server.keys import keystore_for
from dccsim.server.runtime.duis_gateway import DuisGateway
from dccsim.server.runtime.gbcs_hooks import GbcsHooks, PayloadForm
from dccsim.server.runtime.host import DspHost
from dccsim.server.runtime.serve_config import ServeConfig
from dccsim.server.runtime.signing_hooks import request_verifier, response_signer
from dccsim.server.store import StateFile

RESULTS = Path(__file__).resolve().parent / "results"
CLIENTS = 4


class Clock:
    """CPU seconds and calls, by step; a step is named within the phase it runs in (`answer`:
    the gateway answering a request, `delivery`: a delivery's document and its Delivered)."""

    def __init__(self) -> None:
        self.seconds: defaultdict[str, float] = defaultdict(float)
        self.calls: Counter[str] = Counter()
        self.phase = ""

    def timed(self, step: str, call: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            name = f"{self.phase}: {step}"
            started = time.process_time()
            try:
                return call(*args, **kwargs)
            finally:
                self.seconds[name] += time.process_time() - started
                self.calls[name] += 1

        return run

    def phase_of(self, phase: str, call: Callable[..., Any]) -> Callable[..., Any]:
        """`call`, timed as the whole of `phase` (`<phase>: total`)."""

        def run(*args: Any, **kwargs: Any) -> Any:
            self.phase = phase
            return self.timed("total", call)(*args, **kwargs)

        return run

    def steps(self, count: int) -> dict[str, dict[str, float]]:
        """Per step: calls, µs a call, µs a request; and each phase's time outside its timed
        steps as `<phase>: the rest` (for an answer: parsing, routing, building the I99; for a
        delivery: building the Service Response's document)."""
        seconds = dict(self.seconds)
        calls = dict(self.calls)
        for phase in {name.split(":")[0] for name in seconds}:
            inner = sum(
                s
                for n, s in seconds.items()
                if n.startswith(f"{phase}: ") and n != f"{phase}: total"
            )
            total = seconds.get(f"{phase}: total", 0.0)
            if total:
                seconds[f"{phase}: the rest"] = total - inner
                calls[f"{phase}: the rest"] = calls[f"{phase}: total"]
        return {
            name: {
                "calls": calls[name],
                "us_per_call": round(s / calls[name] * 1e6, 1),
                "us_per_request": round(s / count * 1e6, 1),
            }
            for name, s in sorted(seconds.items(), key=lambda item: -item[1])
        }


class TimedHost:
    """The host as the gateway sees it, with `run_one` timed per command (and per SRV)."""

    def __init__(self, host: DspHost, clock: Clock) -> None:
        self._host = host
        self._clock = clock

    def run_one(self, command: Any) -> Any:
        srv = getattr(getattr(command, "request", None), "srv", None)
        step = f"host {type(command).__name__}" + (f" {srv}" if srv else "")
        return self._clock.timed(step, self._host.run_one)(command)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._host, name)


def measure(requests: int, workdir: Path) -> dict[str, Any]:
    fleet_text = fleet_yaml(CLIENTS, CLIENTS, 40)
    lanes = lanes_of(fleet_text, CLIENTS)
    users = [lane.user for lane in lanes]
    config = ServeConfig(fleet=parse_fleet(fleet_text), state=workdir / "state.sqlite3")
    host = DspHost(config.make_dsp(), state_file=StateFile(workdir / "state.sqlite3"))
    keystore = keystore_for(workdir / "state.sqlite3", users)
    clock = Clock()
    timed_host = TimedHost(host, clock)
    gateway = DuisGateway(
        timed_host,  # type: ignore[arg-type]
        verifier=clock.timed("verify the request", request_verifier(keystore, SignatureSettings())),
        signer=clock.timed("sign", response_signer(keystore)),
        gbcs=GbcsHooks(keystore, host, PayloadForm.GBCS),
    )
    host.start()
    cycle = interleave(parse_mix(DEFAULT_HTTP_MIX))
    documents = [
        (sign_document(document, keystore.xml_signing(lane.user)), WebService(service))
        for lane in lanes
        for document, service, _rid, _awaits in lane_requests(
            lane, cycle, time.time_ns() // 1000, requests // CLIENTS
        )
    ]

    def deliver(user: str, entry: OutboxEntry) -> None:
        """What a deliverer does for a message but the POST: its document, then Delivered."""
        gateway.outbox_document(entry, gateway.user_version(user))
        timed_host.run_one(commands.Delivered(user, entry.sequence, "http://bench", 200))

    answer = clock.phase_of("answer", gateway.submit)
    delivery = clock.phase_of("delivery", deliver)
    started = time.process_time()
    for document, service in documents:
        answer(document, service)
    for user in users:
        while (entry := host.oldest_pending(user)[0]) is not None:
            delivery(user, entry)
    total = time.process_time() - started
    host.close()
    count = len(documents)
    return {
        "requests": count,
        "cpu_us_per_request": round(total / count * 1e6, 1),
        "steps": clock.steps(count),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--requests", type=int, default=1600)
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args()
    load_before = os.getloadavg()
    speed_before = measure_host_speed()
    with tempfile.TemporaryDirectory(prefix="dccsim-http-breakdown-") as workdir:
        result = measure(args.requests, Path(workdir))
    result["host_speed"] = {
        "before": speed_before.as_dict(),
        "after": measure_host_speed().as_dict(),
    }
    result["interpreter"] = this_interpreter().as_dict()
    result["command"] = " ".join(["python", "benchmarks/http_breakdown.py", *sys.argv[1:]])
    result["load_average"] = {"before": load_before, "after": os.getloadavg()}
    text = json.dumps(result, indent=2)
    print(text)
    if not args.no_save:
        (RESULTS / "http-breakdown.json").write_text(text + "\n")


if __name__ == "__main__":
    main()
