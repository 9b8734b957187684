"""The load driver of `dccsim bench`, on grpc.aio: one asyncio task per client, each sending its
lane's requests by unary calls, over one bidirectional stream, or in batches, plus one
subscriber per supplier that matches every delivered Service Response to its send time.

grpc.aio was measured against threads on the echo service (unary, echo pinned to CPU 0, client
to CPU 1, nothing else running): 7,600-7,900 calls/s with asyncio tasks, 6,000-7,200 with
blocking calls on threads, 6,500-7,200 with sync futures and callbacks (16 clients over 2
channels, and 32 over 4). The client's core is the limit in every case, so the client that
costs least per call wins.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

import grpc

from dccsim.bench.servers import machine_busy_seconds
from dccsim.bench.traffic import LaneTraffic
from dccsim.bench.v1 import echo_pb2_grpc
from dccsim.v1 import supplier_pb2, supplier_pb2_grpc

Mode = Literal["unary", "stream", "batch", "http"]
GRPC_MODES: tuple[Mode, ...] = ("unary", "stream", "batch")  # this module's; http: http_load
_now = time.perf_counter_ns
# Acknowledge a subscriber's outbox whenever this many messages have arrived since the last
# acknowledgement (and once at the end), so the server's outboxes stay short.
ACK_EVERY = 2000
DELIVERY_BATCH = 1000
_CHANNEL_OPTIONS = [
    ("grpc.max_receive_message_length", 16 * 1024 * 1024),
    ("grpc.max_send_message_length", 16 * 1024 * 1024),
    # Each channel its own connection: channels with the same target and options would
    # otherwise share one subchannel, and `--channels` would mean nothing.
    ("grpc.use_local_subchannel_pool", 1),
]


@dataclass(frozen=True, slots=True)
class LoadSpec:
    mode: Mode
    channels: int
    duration: float | None  # measured seconds, or
    requests: int | None  # measured requests
    warmup: float
    batch_size: int
    window: int  # stream mode: requests in flight per stream
    drain_timeout: float


@dataclass(slots=True)
class LoadResult:
    """Raw figures of one measured window. Latencies in nanoseconds."""

    seconds: float = 0.0
    sent: int = 0  # requests sent in the window
    answered: int = 0  # of those, answered (any result)
    awaited: int = 0  # of those, expecting a delivered Service Response (I99)
    delivered: int = 0  # of the awaited, delivered before the drain ended
    deliveries_in_window: int = 0  # matched deliveries that arrived inside the window
    other_deliveries: int = 0  # alerts, and responses to requests sent before the window
    delivery_batches: int = 0  # DeliveryBatch messages that arrived inside the window
    drain_seconds: float = 0.0
    ack_ns: list[int] = field(default_factory=list)
    delivered_ns: list[int] = field(default_factory=list)
    codes: Counter[str] = field(default_factory=Counter)  # response codes and error codes
    server_cpu: float | None = None  # seconds, during the window
    client_cpu: float = 0.0
    machine_cpu: float = 0.0  # every process on the machine, during the window

    @property
    def undelivered(self) -> int:
        return self.awaited - self.delivered


class Window:
    """Shared state: whether to send, whether the window is open, and the pending requests
    (RequestID -> (send time, sent inside the window)) that wait for a delivery."""

    def __init__(self, spec: LoadSpec, *, tracks_deliveries: bool) -> None:
        self.spec = spec
        # The echo service delivers nothing: its I99s await no Service Response.
        self.tracks_deliveries = tracks_deliveries
        self.sending = True
        self.measuring = False
        self.quota = spec.requests  # requests still to send in the window, if counted
        self.pending: dict[str, tuple[int, bool]] = {}
        self.result = LoadResult()

    def sent(self, count: int) -> None:
        if self.measuring:
            self.result.sent += count
            if self.quota is not None:
                self.quota -= count
                if self.quota <= 0:
                    self.sending = False

    def answered(
        self,
        sent_at: int,
        measured: bool,
        rid: str,
        awaits: bool,
        code: str,
        now: int,
    ) -> None:
        if measured:
            result = self.result
            result.answered += 1
            result.ack_ns.append(now - sent_at)
            result.codes[code] += 1
        if awaits and self.tracks_deliveries:
            if code == "I99":
                if measured:
                    self.result.awaited += 1
            else:  # refused: no Service Response will come
                self.pending.pop(rid, None)

    def delivered(self, rid: str, now: int) -> None:
        entry = self.pending.pop(rid, None)
        if entry is None:
            self.result.other_deliveries += 1
            return
        sent_at, measured = entry
        if measured:
            self.result.delivered += 1
            self.result.delivered_ns.append(now - sent_at)
        if self.measuring:
            self.result.deliveries_in_window += 1


def _code(result: supplier_pb2.SubmitResult) -> str:
    if result.HasField("response"):
        return result.response.response_code
    return result.error.code


# The three calls, typed as the async stubs of both services declare them.
_Submit = grpc.aio.UnaryUnaryMultiCallable[supplier_pb2.SubmitRequest, supplier_pb2.SubmitResponse]
_OpenStream = grpc.aio.StreamStreamMultiCallable[
    supplier_pb2.SubmitRequest, supplier_pb2.SubmitResult
]
_SubmitBatch = grpc.aio.UnaryUnaryMultiCallable[
    supplier_pb2.SubmitBatchRequest, supplier_pb2.SubmitBatchResponse
]


class Target:
    """The three ways to submit, on dccsim's SupplierService or on the echo baseline."""

    def __init__(self, address: str, *, echo: bool) -> None:
        self.address = address
        self.echo = echo

    def stubs(self, channel: grpc.aio.Channel) -> tuple[_Submit, _OpenStream, _SubmitBatch]:
        if self.echo:
            echo = echo_pb2_grpc.EchoServiceStub(channel)
            return echo.Echo, echo.EchoStream, echo.EchoBatch
        supplier = supplier_pb2_grpc.SupplierServiceStub(channel)
        return supplier.Submit, supplier.SubmitStream, supplier.SubmitBatch


async def _unary(submit: _Submit, traffic: LaneTraffic, window: Window) -> None:
    pending = window.pending
    tracking = window.tracks_deliveries
    while window.sending:
        lock = traffic.acb if traffic.needs_acb() else None
        if lock is not None:
            await lock.acquire()
        try:
            message, rid, awaits = traffic.next()
            measured = window.measuring
            window.sent(1)
            sent_at = _now()
            if awaits and tracking:
                pending[rid] = (sent_at, measured)
            try:
                response = await submit(message)
            except grpc.aio.AioRpcError as error:
                window.answered(sent_at, measured, rid, awaits, error.code().name, _now())
                continue
        finally:
            if lock is not None:
                lock.release()
        window.answered(sent_at, measured, rid, awaits, response.response_code, _now())
        traffic.answered(message, response)


_InFlight = tuple[supplier_pb2.SubmitRequest, str, bool, int, bool, asyncio.Lock | None]


async def _stream(open_stream: _OpenStream, traffic: LaneTraffic, window: Window) -> None:
    """Up to `window` requests in flight on one stream; a non-device SR holds its supplier's
    ACB lock from its write until its result is read."""
    call = open_stream()
    in_flight: deque[_InFlight] = deque()
    credit = asyncio.Semaphore(window.spec.window)
    pending = window.pending
    tracking = window.tracks_deliveries

    async def read() -> None:
        try:
            async for result in call:
                message, rid, awaits, sent_at, measured, lock = in_flight.popleft()
                if lock is not None:
                    lock.release()
                window.answered(sent_at, measured, rid, awaits, _code(result), _now())
                if result.HasField("response"):
                    traffic.answered(message, result.response)
                credit.release()
        finally:
            # The stream is over (ended, or failed: a server error ends it): wake the writer
            # should it wait for credit with the window full, or it would wait for ever.
            for _ in range(window.spec.window):
                credit.release()

    reader = asyncio.create_task(read())
    try:
        while True:
            await credit.acquire()
            if not window.sending or reader.done():
                break
            lock = traffic.acb if traffic.needs_acb() else None
            if lock is not None:
                await lock.acquire()
            message, rid, awaits = traffic.next()
            measured = window.measuring
            window.sent(1)
            sent_at = _now()
            if awaits and tracking:
                pending[rid] = (sent_at, measured)
            in_flight.append((message, rid, awaits, sent_at, measured, lock))
            await call.write(message)
        await call.done_writing()
    finally:
        await reader  # every answer to what was sent, or the stream's error


async def _batch(submit_batch: _SubmitBatch, traffic: LaneTraffic, window: Window) -> None:
    """One batch in flight; a batch with a non-device SR holds its supplier's ACB lock from
    that SR's counter until the answer."""
    size = window.spec.batch_size
    pending = window.pending
    tracking = window.tracks_deliveries
    while window.sending:
        lock = None
        try:
            items = []
            for _ in range(size):
                if lock is None and traffic.needs_acb():
                    lock = traffic.acb
                    await lock.acquire()
                items.append(traffic.next())
            measured = window.measuring
            window.sent(size)
            sent_at = _now()
            for _message, rid, awaits in items:
                if awaits and tracking:
                    pending[rid] = (sent_at, measured)
            request = supplier_pb2.SubmitBatchRequest(requests=[item[0] for item in items])
            try:
                response = await submit_batch(request)
            except grpc.aio.AioRpcError as error:
                now = _now()
                for _message, rid, awaits in items:
                    window.answered(sent_at, measured, rid, awaits, error.code().name, now)
                continue
        finally:
            if lock is not None:
                lock.release()
        now = _now()
        for (message, rid, awaits), result in zip(items, response.results, strict=True):
            window.answered(sent_at, measured, rid, awaits, _code(result), now)
            if result.HasField("response"):
                traffic.answered(message, result.response)


async def _subscribe(channel: grpc.aio.Channel, user: str, window: Window) -> None:
    supplier = supplier_pb2_grpc.SupplierServiceStub(channel)
    call = supplier.SubscribeBatches(
        supplier_pb2.SubscribeBatchesRequest(user_id=user, max_batch=DELIVERY_BATCH)
    )
    acknowledged = last = 0
    acks: set[asyncio.Task[supplier_pb2.AcknowledgeResponse]] = set()

    def acknowledge(up_to: int) -> None:
        # In the background: the stream keeps being read while the acknowledgement travels.
        task = asyncio.ensure_future(
            supplier.Acknowledge(
                supplier_pb2.AcknowledgeRequest(user_id=user, up_to_sequence=up_to)
            )
        )
        acks.add(task)
        task.add_done_callback(acks.discard)

    try:
        async for batch in call:
            now = _now()
            if window.measuring:
                window.result.delivery_batches += 1
            for delivery in batch.deliveries:
                # An alert has no service_response: its request_id reads as "", never pending.
                window.delivered(delivery.service_response.request_id, now)
            last = batch.deliveries[-1].sequence
            if last - acknowledged >= ACK_EVERY:
                acknowledge(last)
                acknowledged = last
    except asyncio.CancelledError:
        call.cancel()
        if last > acknowledged:
            acknowledge(last)
        if acks:
            await asyncio.wait(acks, timeout=5)
        raise


_Sent = TypeVar("_Sent")  # what the senders return (gRPC: nothing; HTTP: whether each ran dry)
Ticker = Callable[[str, float, float | None], None]


async def run_load(
    target: Target,
    traffics: Sequence[LaneTraffic],
    users: Sequence[str],
    spec: LoadSpec,
    *,
    server_cpu: Callable[[], float] | None = None,
    tick: Ticker = lambda phase, done, total: None,
) -> LoadResult:
    """Warm up, measure one window, stop sending, then wait (up to the drain timeout) for the
    responses still owed; returns the window's raw figures. A failed sender or subscriber
    fails the run."""
    window = Window(spec, tracks_deliveries=not target.echo)
    channels = [
        grpc.aio.insecure_channel(target.address, options=_CHANNEL_OPTIONS)
        for _ in range(spec.channels)
    ]
    subscribers: list[asyncio.Task[None]] = []
    try:
        await asyncio.gather(*(c.channel_ready() for c in channels))
        if not target.echo:
            subscribers = [
                asyncio.create_task(_subscribe(channels[i % len(channels)], user, window))
                for i, user in enumerate(users)
            ]
        senders = []
        for i, traffic in enumerate(traffics):
            unary, stream, batch = target.stubs(channels[i % len(channels)])
            if spec.mode == "unary":
                sender = _unary(unary, traffic, window)
            elif spec.mode == "stream":
                sender = _stream(stream, traffic, window)
            else:
                sender = _batch(batch, traffic, window)
            senders.append(asyncio.create_task(sender))
        workers = asyncio.gather(*senders)
        watch = Watch(workers, subscribers, tick)
        await watch.run_for("warm-up", spec.warmup)

        window.measuring = True
        timing = WindowTiming.start(server_cpu)
        if spec.requests is None:
            assert spec.duration is not None
            await watch.run_for("measuring", spec.duration)
            window.sending = False
        else:
            while window.sending:
                await watch.wait("measuring", window.result.sent, spec.requests)
        await workers  # every request sent has its answer (or raises the first failure)
        result = window.result
        timing.stop(result)
        window.measuring = False

        drain_started = _now()
        deadline = time.monotonic() + spec.drain_timeout
        while window.pending and subscribers and time.monotonic() < deadline:
            await watch.wait("draining", result.delivered, result.awaited, 0.01)
        result.drain_seconds = (_now() - drain_started) / 1e9
        return result
    finally:
        for task in subscribers:
            task.cancel()
        await asyncio.gather(*subscribers, return_exceptions=True)
        for channel in channels:
            await channel.close()


class Watch(Generic[_Sent]):
    """Waits while the load runs, ticking the progress display, and raises at once if a
    sender failed or a subscription ended."""

    def __init__(
        self,
        workers: asyncio.Future[_Sent],
        subscribers: list[asyncio.Task[None]],
        tick: Ticker,
    ) -> None:
        self._workers = workers
        self._subscribers = subscribers
        self._tick = tick

    async def run_for(self, phase: str, seconds: float) -> None:
        start = time.monotonic()
        while (elapsed := time.monotonic() - start) < seconds:
            await self.wait(phase, elapsed, seconds, min(0.2, seconds - elapsed))
            if self._workers.done():
                raise RuntimeError("the senders stopped before the window ended")
        self._tick(phase, seconds, seconds)

    async def wait(self, phase: str, done: float, total: float | None, most: float = 0.2) -> None:
        self._tick(phase, done, total)
        # Futures of different result types, only waited on here: Future is invariant, so Any.
        watched: list[asyncio.Future[Any]] = [self._workers, *self._subscribers]
        await asyncio.wait(watched, timeout=most, return_when=asyncio.FIRST_COMPLETED)
        if self._workers.done() and self._workers.exception() is not None:
            self._workers.result()
        for task in self._subscribers:
            if task.done():
                task.result()  # its error, if it failed
                raise RuntimeError("a subscription ended while responses were still owed")


@dataclass(frozen=True, slots=True)
class WindowTiming:
    """The clocks a measuring window reads at its start, and what they moved by at its end."""

    started_ns: int
    client_cpu: float
    machine_cpu: float
    server_cpu: Callable[[], float] | None
    server_cpu_before: float | None

    @classmethod
    def start(cls, server_cpu: Callable[[], float] | None) -> WindowTiming:
        before = server_cpu() if server_cpu else None
        return cls(_now(), own_cpu(), machine_busy_seconds(), server_cpu, before)

    def stop(self, result: LoadResult) -> None:
        result.seconds = (_now() - self.started_ns) / 1e9
        result.client_cpu = own_cpu() - self.client_cpu
        result.machine_cpu = machine_busy_seconds() - self.machine_cpu
        if self.server_cpu is not None and self.server_cpu_before is not None:
            result.server_cpu = self.server_cpu() - self.server_cpu_before


def own_cpu() -> float:
    times = os.times()
    return times.user + times.system
