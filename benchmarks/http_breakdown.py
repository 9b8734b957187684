"""Where a signed DUIS-over-HTTP Service Request's server CPU goes, step by step, without HTTP.

    python benchmarks/http_breakdown.py                 # -> results/http-breakdown.json
    python benchmarks/http_breakdown.py --requests 400 --no-save
    python benchmarks/http_breakdown.py --threads 1 --threads 8 --threads 16
                                    # -> results/http-breakdown-threads.json

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

`--threads N` answers the same requests from N threads at once instead, one lane (supplier) a
thread, as the HTTP workers do, for their CPU a request beside one thread's.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class Setup:
    """What `dccsim serve` would hold for `dccsim bench --mode http`'s fleet, and the signed
    requests to send it, by lane (one lane a client, each its own supplier)."""

    host: DspHost
    front: Any  # the host as the gateway sees it: `host`, or a TimedHost
    gateway: DuisGateway
    users: list[str]
    lanes: list[list[tuple[bytes, WebService]]]

    @property
    def documents(self) -> list[tuple[bytes, WebService]]:
        return [document for lane in self.lanes for document in lane]


def set_up(
    requests: int, workdir: Path, clock: Clock | None = None, clients: int = CLIENTS
) -> Setup:
    """The host (started, with a state file in `workdir`), its DUIS gateway, and `requests`
    signed requests; with `clock`, the gateway's verifier, signer and host are timed by it."""
    fleet_text = fleet_yaml(clients, clients, 40)
    lanes = lanes_of(fleet_text, clients)
    users = [lane.user for lane in lanes]
    config = ServeConfig(fleet=parse_fleet(fleet_text), state=workdir / "state.sqlite3")
    host = DspHost(config.make_dsp(), state_file=StateFile(workdir / "state.sqlite3"))
    keystore = keystore_for(workdir / "state.sqlite3", users)
    verifier = request_verifier(keystore, SignatureSettings())
    signer = response_signer(keystore)
    front: Any = host
    if clock is not None:
        verifier = clock.timed("verify the request", verifier)
        signer = clock.timed("sign", signer)
        front = TimedHost(host, clock)
    gbcs = GbcsHooks(keystore, host, PayloadForm.GBCS)
    gateway = DuisGateway(front, verifier=verifier, signer=signer, gbcs=gbcs)
    host.start()
    cycle = interleave(parse_mix(DEFAULT_HTTP_MIX))
    signed = [
        [
            (sign_document(document, keystore.xml_signing(lane.user)), WebService(service))
            for document, service, _rid, _awaits in lane_requests(
                lane, cycle, time.time_ns() // 1000, requests // clients
            )
        ]
        for lane in lanes
    ]
    return Setup(host, front, gateway, users, signed)


def measure(requests: int, workdir: Path) -> dict[str, Any]:
    clock = Clock()
    setup = set_up(requests, workdir, clock)
    host, gateway = setup.host, setup.gateway
    documents = setup.documents

    def deliver(user: str, entry: OutboxEntry) -> None:
        """What a deliverer does for a message but the POST: its document, then Delivered."""
        gateway.outbox_document(entry, gateway.user_version(user))
        setup.front.run_one(commands.Delivered(user, entry.sequence, "http://bench", 200))

    answer = clock.phase_of("answer", gateway.submit)
    delivery = clock.phase_of("delivery", deliver)
    started = time.process_time()
    for document, service in documents:
        answer(document, service)
    for user in setup.users:
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


def answer_in_threads(requests: int, workdir: Path, threads: int, lanes: int) -> dict[str, Any]:
    """CPU a request for answering them all (no deliveries) from `threads` threads at once, as
    `dccsim serve`'s HTTP workers do: whether those threads cost CPU beside what one thread
    spends (they share commits). `lanes` suppliers send the requests (the same for every count
    of threads compared); a lane's requests stay in order in one thread, as a client sends
    them, so none is refused for its counter. `codes`: the answers'."""
    setup = set_up(requests, workdir, clients=lanes)
    shares: list[list[tuple[bytes, WebService]]] = [[] for _ in range(threads)]
    for number, lane in enumerate(setup.lanes):
        shares[number % threads].extend(lane)
    counted: list[Counter[str]] = [Counter() for _ in shares]  # one a thread: no shared update

    def answer_all(share: list[tuple[bytes, WebService]], codes: Counter[str]) -> None:
        for document, service in share:
            codes[setup.gateway.submit(document, service).answer.code.value] += 1

    workers = [
        threading.Thread(target=answer_all, args=(share, codes))
        for share, codes in zip(shares, counted, strict=True)
    ]
    started = time.process_time()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    total = time.process_time() - started
    setup.host.close()
    count = len(setup.documents)
    return {
        "threads": threads,
        "lanes": lanes,
        "requests": count,
        "cpu_us_per_request": round(total / count * 1e6, 1),
        "codes": dict(sum(counted, Counter())),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--requests", type=int, default=1600)
    parser.add_argument("--no-save", action="store_true")
    parser.add_argument(
        "--threads",
        type=int,
        action="append",
        help="instead of the steps: answer the requests from this many threads at once, CPU a "
        "request (repeatable: each count in turn, --rounds times)",
    )
    parser.add_argument("--rounds", type=int, default=2, help="with --threads")
    args = parser.parse_args()
    load_before = os.getloadavg()
    speed_before = measure_host_speed()
    result: dict[str, Any]
    if args.threads:
        runs = []
        lanes = max(CLIENTS, *args.threads)
        for _round in range(args.rounds):
            for threads in args.threads:
                with tempfile.TemporaryDirectory(prefix="dccsim-http-breakdown-") as workdir:
                    runs.append(answer_in_threads(args.requests, Path(workdir), threads, lanes))
        result = {"threads": runs}
    else:
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
        name = "http-breakdown-threads.json" if args.threads else "http-breakdown.json"
        (RESULTS / name).write_text(text + "\n")


if __name__ == "__main__":
    main()
