"""The live message log: the event journal as Server-Sent Events (`text/event-stream`).

Each open log holds one of this module's own threads while it waits for the journal to move
(`DspHost.wait_moved`), never one of the HTTP workers that answer DUIS requests, and at most
`MAX_STREAMS` are open at once (SEC-04: a bounded resource; one more gets 503 and the browser
retries). A stream ends when the client goes or the server stops.
"""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from aiohttp import web

from dccsim.server.http.console import reads
from dccsim.server.runtime.host import DspHost

MAX_STREAMS = 8
# How long one wait lasts; a quiet stream sends a comment this often, which is also how a
# client that has gone is noticed.
WAIT_SECONDS = 5.0
# EventSource reconnects after this long when a stream drops (the SSE `retry` field).
RETRY_MILLISECONDS = 2000


class LiveLog:
    def __init__(self, host: DspHost, streams: int = MAX_STREAMS) -> None:
        self._host = host
        self._executor = ThreadPoolExecutor(streams, thread_name_prefix="dccsim-console-log")
        self._free = streams  # touched only on the event loop

    async def stream(self, request: web.Request) -> web.StreamResponse:
        if self._free <= 0:
            raise web.HTTPServiceUnavailable(text="too many live logs open; retry shortly\n")
        loop = asyncio.get_running_loop()
        after = _start(request)
        if after is None:
            after = await loop.run_in_executor(self._executor, reads.last_event, self._host)
        response = web.StreamResponse(
            headers={
                "Content-Type": "text/event-stream",
                "Cache-Control": "no-cache",
                "X-Accel-Buffering": "no",
            }
        )
        self._free -= 1
        try:
            await response.prepare(request)
            await response.write(f"retry: {RETRY_MILLISECONDS}\n\n".encode())
            while not self._host.stopping:
                events = await loop.run_in_executor(
                    self._executor,
                    partial(reads.wait_for_events, self._host, after, WAIT_SECONDS),
                )
                if events:
                    after = events[-1].sequence
                    payload = json.dumps(reads.events_json(events), separators=(",", ":"))
                    await response.write(f"id: {after}\ndata: {payload}\n\n".encode())
                else:
                    await response.write(b": quiet\n\n")
        except ConnectionResetError:
            pass  # the client went
        finally:
            self._free += 1
        return response

    def close(self) -> None:
        # Not waiting: called on the event loop; a wait in progress ends within WAIT_SECONDS.
        self._executor.shutdown(wait=False, cancel_futures=True)


def _start(request: web.Request) -> int | None:
    """Where the client wants the stream to start: after its Last-Event-ID (a reconnect), or
    the `after` it was given with the page; None for "from now"."""
    for value in (request.headers.get("Last-Event-ID"), request.query.get("after")):
        if value and value.isdigit():
            return int(value)
    return None
