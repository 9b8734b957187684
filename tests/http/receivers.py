"""Test HTTP peers on loopback: a client for dccsim's DUIS endpoints, and a Receive Response
Service (a User's receiver of asynchronous POSTs) whose answers a test chooses."""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import aiohttp
from aiohttp import web

XML = {"Content-Type": "application/xml"}


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()


def post(url: str, body: bytes, *, ssl_context: ssl.SSLContext | None = None) -> Answer:
    """One POST with aiohttp's client, as DCC Boxed's users send DUIS (3 s timeout)."""

    async def send() -> Answer:
        timeout = aiohttp.ClientTimeout(total=30)
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.post(url, data=body, headers=XML, ssl=ssl_context or True) as response,
        ):
            return Answer(response.status, response.content_type, await response.read())

    return asyncio.run(send())


def free_port() -> int:
    """A loopback port nothing listens on (just now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# What a receiver does with a POST: answer with a status, or HANG (never answer).
HANG = -1
Behaviour = Callable[[int], int]  # the POST's number (1, 2, ...) -> status or HANG


def always(status: int) -> Behaviour:
    return lambda number: status


def failing_first(count: int, status: int = 500) -> Behaviour:
    """`status` for the first `count` POSTs, then 204."""
    return lambda number: status if number <= count else 204


@dataclass(frozen=True)
class Received:
    body: bytes
    content_type: str
    status: int  # what the receiver answered (HANG: nothing)
    at: float  # time.monotonic()


class Receiver:
    """An aiohttp server on 127.0.0.1 in its own thread, recording every POST it gets. `stop()`
    and `start()` again take it down and bring it back on the same port."""

    def __init__(self, behaviour: Behaviour | None = None, path: str = "/smartdcc/duis") -> None:
        self.behaviour = behaviour or always(204)
        self.path = path
        self.received: list[Received] = []
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._release = asyncio.Event()  # set on stop: hung handlers end
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path}"

    def start(self, port: int | None = None) -> Receiver:
        self.port = self._call(self._start(self.port if port is None else port))
        return self

    def stop(self) -> None:
        if self._runner is not None:
            self._call(self._stop())

    def close(self) -> None:
        self.stop()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def bodies(self) -> list[bytes]:
        with self._lock:
            return [r.body for r in self.received]

    def accepted(self) -> list[bytes]:
        """The bodies it answered 2xx."""
        with self._lock:
            return [r.body for r in self.received if 200 <= r.status < 300]

    def wait_for(self, predicate: Callable[[Receiver], bool], timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate(self):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; received {len(self.received)} POSTs")
            time.sleep(0.01)

    def _call(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(10)

    async def _start(self, port: int) -> int:
        self._release = asyncio.Event()
        app = web.Application()
        app.router.add_post(self.path, self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port, reuse_address=True)
        await site.start()
        return self._runner.addresses[0][1]

    async def _stop(self) -> None:
        self._release.set()
        assert self._runner is not None
        await self._runner.cleanup()
        self._runner = None

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        with self._lock:
            number = len(self.received) + 1
            status = self.behaviour(number)
            self.received.append(Received(body, request.content_type, status, time.monotonic()))
        if status == HANG:
            await self._release.wait()
            return web.Response(status=503)
        return web.Response(status=status)


class GarbageReceiver:
    """A TCP server that answers every connection with bytes that are not HTTP, then hangs up."""

    def __init__(self) -> None:
        self._server = socket.socket()
        self._server.bind(("127.0.0.1", 0))
        self._server.listen()
        self.port = self._server.getsockname()[1]
        self.connections = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/smartdcc/duis"

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._server.accept()
            except OSError:
                return
            self.connections += 1
            with connection:
                connection.settimeout(1)
                try:
                    connection.recv(65536)
                    connection.sendall(b"\x00\xffgarbage, not HTTP at all\r\n\r\n\x07")
                except OSError:
                    pass

    def close(self) -> None:
        self._server.close()


def post_all(
    requests: list[tuple[str, bytes]], *, ssl_context: ssl.SSLContext | None = None
) -> list[Answer]:
    """POST each (url, body) in turn over one session; the answers in order."""

    async def send() -> list[Answer]:
        answers = []
        timeout = aiohttp.ClientTimeout(total=30)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            for url, body in requests:
                async with session.post(
                    url, data=body, headers=XML, ssl=ssl_context or True
                ) as response:
                    answers.append(
                        Answer(response.status, response.content_type, await response.read())
                    )
        return answers

    return asyncio.run(send())
