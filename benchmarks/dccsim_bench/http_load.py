"""The load driver of `dccsim bench --mode http`, on aiohttp: one asyncio task per client POSTing
its pool of signed DUIS requests one after another (as a User's adapter sends to DCC Boxed), and a
receiver -- each User's Receive Response Service, one aiohttp server in this process -- that takes
every Service Response the DSP POSTs, matches it to its request's send time, and keeps it for
the signature check after the window.

The same client drives the echo baseline (`http_echo`) with the same documents, for the ratio.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import cycle

import aiohttp
from aiohttp import web

from dccsim.bench.http_traffic import SignedRequest
from dccsim.bench.load import LoadResult, LoadSpec, Ticker, Watch, Window, WindowTiming

XML = {"Content-Type": "application/xml"}
RECEIVE_PATH = "/receive/{user}"
_now = time.perf_counter_ns
# The header fields the bench reads out of a DUIS response without parsing it: a regular
# expression finds them in a few microseconds, where a parse would cost the client as much as the
# POST. The signature check after the window parses every kept document properly.
_REQUEST_ID = re.compile(rb"<(?:\w+:)?RequestID>([^<]*)</")
_RESPONSE_CODE = re.compile(rb"<(?:\w+:)?ResponseCode>([^<]*)</")
# Synchronous answers kept for the signature check, at most, per run.
SYNC_SAMPLE = 200


def response_code(document: bytes) -> str:
    found = _RESPONSE_CODE.search(document)
    return found.group(1).decode().strip() if found else "no ResponseCode"


@dataclass(slots=True)
class HttpLoadResult:
    """A window's figures (as the gRPC modes give them), and the documents to verify."""

    load: LoadResult
    pool_exhausted: bool = False  # a client ran out of signed requests before the window ended
    deliveries: list[bytes] = field(default_factory=list)  # every delivered document, or a sample
    sync_answers: list[bytes] = field(default_factory=list)  # signed synchronous answers (sample)


class Receiver:
    """Every User's Receive Response Service: `POST /receive/<user>`, answered 200 at once. A
    run attaches its window; deliveries outside any run (alerts, stragglers) are counted only."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self._host = host
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.window: Window | None = None
        self.keep_every = 1  # keep one delivered document in this many for the signature check
        self.kept: list[bytes] = []
        self.received = 0

    def url(self, user: str) -> str:
        return f"http://{self._host}:{self.port}{RECEIVE_PATH.format(user=user)}"

    async def start(self) -> None:
        app = web.Application(client_max_size=16 * 1024 * 1024)
        app.router.add_post(RECEIVE_PATH, self._receive)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, 0)
        await site.start()
        self.port = self._runner.addresses[-1][1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _receive(self, request: web.Request) -> web.Response:
        document = await request.read()
        now = _now()
        self.received += 1
        window = self.window
        if window is not None:
            found = _REQUEST_ID.search(document)
            # An alert carries no RequestID of a request the bench sent: counted as "other".
            window.delivered(found.group(1).decode() if found else "", now)
            if self.received % self.keep_every == 0:
                self.kept.append(document)
        return web.Response(status=200)


async def _send(
    session: aiohttp.ClientSession,
    base_url: str,
    requests: Iterable[SignedRequest],
    window: Window,
    kept_answers: list[bytes],
) -> bool:
    """POST one client's requests in order, each after the last one's answer; True when the
    client ran out of requests while the window still wanted more."""
    pending = window.pending
    tracking = window.tracks_deliveries
    urls = {
        service: f"{base_url}/api/v1/{service}" for service in ("serviceS", "serviceT", "serviceD")
    }
    for request in requests:
        if not window.sending:
            return False
        measured = window.measuring
        window.sent(1)
        sent_at = _now()
        rid = request.request_id
        if request.awaits and tracking:
            pending[rid] = (sent_at, measured)
        try:
            async with session.post(
                urls[request.service], data=request.document, headers=XML
            ) as response:
                answer = await response.read()
                status = response.status
        except (aiohttp.ClientError, TimeoutError) as error:
            window.answered(sent_at, measured, rid, request.awaits, type(error).__name__, _now())
            continue
        code = response_code(answer) if status == 200 else f"HTTP {status}"
        window.answered(sent_at, measured, rid, request.awaits, code, _now())
        if measured and len(kept_answers) < SYNC_SAMPLE and code in ("I0", "I99"):
            kept_answers.append(answer)
    return window.sending


async def run_http_load(
    base_url: str,
    pools: Sequence[Sequence[SignedRequest]],
    spec: LoadSpec,
    *,
    receiver: Receiver | None,
    verify_every: int = 1,
    server_cpu: Callable[[], float] | None = None,
    tick: Ticker = lambda phase, done, total: None,
) -> HttpLoadResult:
    """Warm up, measure one window, stop sending, then wait (up to the drain timeout) for the
    responses still owed. `receiver` None: the echo baseline (nothing is delivered)."""
    window = Window(spec, tracks_deliveries=receiver is not None)
    kept_answers: list[bytes] = []
    if receiver is not None:
        receiver.window, receiver.kept, receiver.keep_every = window, [], max(1, verify_every)
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    timeout = aiohttp.ClientTimeout(total=60)
    try:
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
            senders = [
                asyncio.create_task(
                    # The echo takes the same documents again and again: it checks nothing.
                    _send(
                        session,
                        base_url,
                        cycle(pool) if receiver is None else pool,
                        window,
                        kept_answers,
                    )
                )
                for pool in pools
            ]
            workers = asyncio.gather(*senders)
            watch = Watch(workers, [], tick)
            await watch.run_for("warm-up", spec.warmup)

            window.measuring = True
            timing = WindowTiming.start(server_cpu)
            if spec.requests is None:
                assert spec.duration is not None
                deadline = time.monotonic() + spec.duration
                while time.monotonic() < deadline and not workers.done():
                    left = deadline - time.monotonic()
                    await watch.wait(
                        "measuring", spec.duration - left, spec.duration, min(0.2, left)
                    )
                window.sending = False
            else:
                while window.sending and not workers.done():
                    await watch.wait("measuring", window.result.sent, spec.requests)
            exhausted = any(await workers)  # every request sent has its answer
            result = window.result
            timing.stop(result)
            window.measuring = False

            drain_started = _now()
            deadline = time.monotonic() + spec.drain_timeout
            while window.pending and receiver is not None and time.monotonic() < deadline:
                await watch.wait("draining", result.delivered, result.awaited, 0.01)
            result.drain_seconds = (_now() - drain_started) / 1e9
    finally:
        if receiver is not None:
            receiver.window = None
    return HttpLoadResult(
        window.result,
        pool_exhausted=exhausted,
        deliveries=receiver.kept if receiver is not None else [],
        sync_answers=kept_answers,
    )
