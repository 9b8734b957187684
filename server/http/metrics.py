"""Prometheus metrics of one running dccsim, served as `GET /metrics` on the DUIS HTTP port.

Each server has its own `CollectorRegistry` (several servers share a test process, and nothing
here is global). What is counted as it happens comes from the host (`DspHost.attach_metrics`):
answers by SRV and response code, unary request latency, snapshots. What is a state comes at
scrape time through the host's named queries: deliveries pending per User, the state file's
commands and commits, and the fault decisions taken since the last scrape.

Fault decisions are read from the DSP's decision log (the record FAULT-02 keeps, bounded like the
journal) rather than the event journal: the log holds each decision's action, stage and SRV as
values, while a journal event is formatted text built on every read. A scrape counts the
decisions after the last one it saw; more than the log holds between two scrapes (100,000) would
be missed, and `dccsim_fault_decisions_missed_total` says so.
"""

from __future__ import annotations

import asyncio
import threading
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor

from aiohttp import web
from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector

from dccsim.server.core.faults import FaultDecision
from dccsim.server.http.console.access import ConsoleAccess
from dccsim.server.runtime.host import DspHost

CONTENT_TYPE = CONTENT_TYPE_LATEST
# Request latency: a unary request takes tens of microseconds in the core and a commit's time on
# top (milliseconds with --sync full); the long tail is a snapshot or a stalled disk.
LATENCY_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0)
# A snapshot holds the host's lock from a millisecond (the example fleet, or forking a
# million-device one off in the background) to tens of seconds (a million devices encoded in
# place: the first snapshot of a new file, after Reset or LoadFleet, and the last at a stop).
SNAPSHOT_BUCKETS = (0.001, 0.01, 0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class ServerMetrics:
    """The metrics of one server: `attach` it to the host, serve `exposition()`."""

    def __init__(self, host: DspHost) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        # A plain Counter under a lock of ours: a labelled prometheus Counter would cost several
        # times more per request on the hot path.
        self._answers: Counter[tuple[str, str]] = Counter()
        self._answers_lock = threading.Lock()
        self._latency = _LatencyTally(LATENCY_BUCKETS)
        self._snapshots = Histogram(
            "dccsim_snapshot_duration_seconds",
            "Snapshots handed to the state file (the count is the number of snapshots), and how "
            "long each held the host's lock (encoding it, or forking it off to be written).",
            buckets=SNAPSHOT_BUCKETS,
            registry=self.registry,
        )
        self.registry.register(_ScrapeTimeCollector(host, self.answer_counts, self._latency))
        self._host = host

    def attach(self) -> None:
        """Start counting: from now on the host reports to these metrics."""
        self._host.attach_metrics(self)

    # -- HostMetrics --------------------------------------------------------------------------

    def answered(self, srv: str, code: str) -> None:
        with self._answers_lock:
            self._answers[(srv, str(code))] += 1

    def answer_counts(self) -> list[tuple[tuple[str, str], int]]:
        with self._answers_lock:
            return sorted(self._answers.items())

    def request_took(self, srv: str, seconds: float) -> None:
        self._latency.observe(srv, seconds)

    def snapshot_took(self, seconds: float) -> None:
        self._snapshots.observe(seconds)

    # -- serving ------------------------------------------------------------------------------

    def exposition(self) -> bytes:
        """The text format a Prometheus scrape reads (reads the host: call off the event loop)."""
        return generate_latest(self.registry)


class _ScrapeTimeCollector(Collector):
    """What is read when Prometheus scrapes: the answer counts, and the host's current state."""

    def __init__(
        self,
        host: DspHost,
        answers: Callable[[], list[tuple[tuple[str, str], int]]],
        latency: _LatencyTally,
    ) -> None:
        self._host = host
        self._answers = answers
        self._latency = latency
        self._decisions = _DecisionTally()

    def describe(self) -> list[Metric]:
        return []  # families vary with what has happened; described as they are collected

    def collect(self) -> Iterator[Metric]:
        host = self._host
        requests = CounterMetricFamily(
            "dccsim_requests",
            "Service Requests answered, by SRV and DUIS response code (I99, I0, E-codes; the "
            "DUIS gateway's own refusals, E13 and signatures, included).",
            labels=["srv", "code"],
        )
        for (srv, code), count in self._answers():
            requests.add_metric([srv, code], count)
        yield requests
        yield self._latency.family()

        pending = GaugeMetricFamily(
            "dccsim_deliveries_pending",
            "Messages (responses and alerts) waiting for a User's acknowledgement or POST.",
            labels=["user"],
        )
        for user, count in sorted(host.pending_counts().items()):
            pending.add_metric([user], count)
        yield pending

        yield from self._decisions.collect(host)

        counts = host.state_file_counts()
        if counts is not None:
            commands, commits = counts
            yield CounterMetricFamily(
                "dccsim_state_file_commands",
                "The state file's last command number: each change the DSP made, recorded. Its "
                "rate over dccsim_state_file_commits' rate is the average commit size.",
                value=commands,
            )
            yield CounterMetricFamily(
                "dccsim_state_file_commits",
                "Transactions committed to the state file since the server started.",
                value=commits,
            )


class _LatencyTally:
    """A histogram by SRV, kept cheaply: on the hot path a prometheus Histogram's labels() and
    observe() cost several times a request's own bookkeeping; this is a bisect and two
    additions under one lock."""

    def __init__(self, bounds: Sequence[float]) -> None:
        self._bounds = tuple(bounds)
        self._lock = threading.Lock()
        # SRV -> [count per bucket (the last one: above every bound)..., sum of seconds]
        self._rows: dict[str, list[float]] = {}

    def observe(self, srv: str, seconds: float) -> None:
        bucket = bisect_left(self._bounds, seconds)
        with self._lock:
            row = self._rows.get(srv)
            if row is None:
                row = self._rows[srv] = [0.0] * (len(self._bounds) + 2)
            row[bucket] += 1
            row[-1] += seconds

    def family(self) -> HistogramMetricFamily:
        family = HistogramMetricFamily(
            "dccsim_request_duration_seconds",
            "Unary Service Requests (DUIS over HTTP, gRPC Submit, the console) from arrival at "
            "the host to a durable answer, by SRV.",
            labels=["srv"],
        )
        with self._lock:
            rows = {srv: list(row) for srv, row in self._rows.items()}
        for srv, row in sorted(rows.items()):
            cumulative, buckets = 0.0, []
            for bound, count in zip((*map(str, self._bounds), "+Inf"), row[:-1], strict=True):
                cumulative += count
                buckets.append((bound, cumulative))
            family.add_metric([srv], buckets, sum_value=row[-1])
        return family


class _DecisionTally:
    """Cumulative fault decisions by action, stage and SRV, counted from the decision log."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # two scrapes at once must not count a decision twice
        self._counts: Counter[tuple[str, str, str]] = Counter()
        self._last: FaultDecision | None = None
        self._missed = 0

    def collect(self, host: DspHost) -> Iterator[CounterMetricFamily]:
        with self._lock:
            new, complete = _after(host.queries.fault_decisions(), self._last)
            if new:
                self._last = new[-1]
            if not complete:
                self._missed += 1
            for decision in new:
                target = decision.target
                self._counts[(str(decision.action), str(target.stage), target.srv)] += 1
            counts = sorted(self._counts.items())
            missed = self._missed
        family = CounterMetricFamily(
            "dccsim_fault_decisions",
            "Fault rules' decisions about messages (FAULT-01), by action, stage and SRV.",
            labels=["action", "stage", "srv"],
        )
        for (action, stage, srv), count in counts:
            family.add_metric([action, stage, srv], count)
        yield family
        yield CounterMetricFamily(
            "dccsim_fault_decisions_missed",
            "Scrapes that found the decision log had rolled over since the last one (some "
            "decisions were not counted), or the DSP replaced (a Reset or fleet load).",
            value=missed,
        )


def _after(
    decisions: Sequence[FaultDecision], last: FaultDecision | None
) -> tuple[list[FaultDecision], bool]:
    """The decisions (oldest first) after `last`, and whether `last` was found (or nothing had
    been seen yet). Walks back from the newest: a scrape costs what is new."""
    new: list[FaultDecision] = []
    for decision in reversed(decisions):
        if decision is last:
            new.reverse()
            return new, True
        new.append(decision)
    new.reverse()
    return new, last is None


def metrics_route(
    metrics: ServerMetrics, executor: Executor, access: ConsoleAccess
) -> web.RouteDef:
    """`GET /metrics`: read as the console's pages are (SEC-02: the operator token when one is
    configured; the fleet's Users are in its labels); the exposition is read in a worker (it
    takes the host's lock)."""

    async def scrape(request: web.Request) -> web.Response:
        access.check_read(request)
        body = await asyncio.get_running_loop().run_in_executor(executor, metrics.exposition)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE})

    return web.get("/metrics", scrape)
