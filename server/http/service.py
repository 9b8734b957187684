"""The HTTP side of a running dccsim: its own thread and event loop beside the gRPC server.

`HttpService.start` binds the listeners (DUIS on 8079 and SMKI on 8083 by default, HTTPS on both
when a certificate is given) and starts the deliveries by POST; it returns once they are bound,
raising `ListenFailed`, which names the listener, if one cannot be. `stop` stops taking
requests, lets the ones in flight finish (up to the grace period), stops the deliveries and ends
the thread.

The host is thread-based: every call into it runs in this service's worker threads, so the event
loop never waits on the host's lock or the state file.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import os
import ssl
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from enum import StrEnum

from aiohttp import web

from dccsim.server.http.bounded_site import BoundedSite
from dccsim.server.http.console.access import ConsoleAccess
from dccsim.server.http.console.app import Console
from dccsim.server.http.console.sending import RequestSigner
from dccsim.server.http.delivery import Deliveries
from dccsim.server.http.duis_app import duis_app
from dccsim.server.http.metrics import ServerMetrics, metrics_route
from dccsim.server.http.options import HttpOptions
from dccsim.server.http.smki_app import SmkiBackend, smki_app
from dccsim.server.runtime.duis_gateway import DuisGateway
from dccsim.server.runtime.host import DspHost

log = logging.getLogger("dccsim.http")

# Worker threads for the HTTP requests and deliveries: each holds one while the host works on
# its call (or waits for the state file); requests beyond these wait their turn.
HTTP_WORKERS = 16
START_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class HttpPorts:
    duis: int | None
    smki: int | None


class Listener(StrEnum):
    DUIS = "DUIS"  # DUIS over HTTP, with the console and /metrics
    SMKI = "SMKI"


class ListenFailed(OSError):
    """A listener could not bind its address; `reason` is the system's, in words (aiohttp's own
    message names neither the listener nor a way out)."""

    def __init__(self, listener: Listener, address: str, error: OSError) -> None:
        reason = os.strerror(error.errno).lower() if error.errno else str(error)
        if error.errno == errno.EADDRINUSE:
            reason += " (another server?)"
        super().__init__(f"cannot listen on {address} for {listener}: {reason}")
        self.errno = error.errno
        self.listener = listener
        self.address = address
        self.reason = reason


class HttpService:
    def __init__(
        self,
        host: DspHost,
        gateway: DuisGateway,
        options: HttpOptions,
        smki: SmkiBackend | None = None,
        request_signer: RequestSigner | None = None,
    ) -> None:
        """`request_signer`: how the console signs what it sends as a User, when the gateway
        verifies signatures (`console.sending.request_signer(keystore)`)."""
        self._host = host
        self._gateway = gateway
        self._options = options
        self._smki = smki
        self._request_signer = request_signer
        self._console: Console | None = None
        self._executor = ThreadPoolExecutor(HTTP_WORKERS, thread_name_prefix="dccsim-http")
        self._watch_executor = ThreadPoolExecutor(1, thread_name_prefix="dccsim-delivery-watch")
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="dccsim-http")
        self._runners: list[web.AppRunner] = []
        self._deliveries: Deliveries | None = None
        self.ports = HttpPorts(None, None)

    def start(self) -> HttpPorts:
        self._thread.start()
        try:
            self.ports = asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(
                START_SECONDS
            )
        except BaseException:
            self.stop(grace=0)
            raise
        return self.ports

    def stop(self, grace: float | None = 5.0) -> None:
        if not self._thread.is_alive():
            return
        future = asyncio.run_coroutine_threadsafe(self._stop(grace or 0.0), self._loop)
        try:
            future.result((grace or 0.0) + START_SECONDS)
        except Exception:
            log.exception("the HTTP service did not stop cleanly")
        # The workers finish their calls into the host (short: the host is stopping) while the
        # loop still runs to take their results.
        self._executor.shutdown(wait=True, cancel_futures=True)
        self._watch_executor.shutdown(wait=True, cancel_futures=True)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(START_SECONDS)
        if not self._thread.is_alive():
            self._loop.close()

    async def _start(self) -> HttpPorts:
        options = self._options
        context = options.ssl_context()
        duis_port = smki_port = None
        if options.duis_port is not None:
            app = duis_app(self._gateway, self._executor)
            self._add_console_and_metrics(app)
            duis_port = await self._listen(Listener.DUIS, app, options.duis_port, context)
        if options.smki_port is not None and self._smki is not None:
            smki_port = await self._listen(
                Listener.SMKI, smki_app(self._smki, self._executor), options.smki_port, context
            )
        if options.duis_port is not None:
            self._deliveries = Deliveries(
                self._host, self._gateway, self._executor, self._watch_executor, options.retry
            )
            await self._deliveries.start()
        scheme = "https" if context is not None else "http"
        for name, port in (("DUIS", duis_port), ("SMKI", smki_port)):
            if port is not None:
                # DEBUG: `dccsim serve` announces its ports in one line once it serves.
                log.debug("%s over %s on %s:%d", name, scheme.upper(), options.host, port)
        return HttpPorts(duis_port, smki_port)

    def _add_console_and_metrics(self, app: web.Application) -> None:
        """The console's pages and /metrics share the DUIS port (issue 19), and one rule for who
        may read them (SEC-02): /metrics follows it with the console switched off too."""
        options = self._options
        access = ConsoleAccess(options.console, options.host)
        if options.metrics:
            metrics = ServerMetrics(self._host)
            metrics.attach()
            app.router.add_routes([metrics_route(metrics, self._executor, access)])
        if options.console.enabled:
            self._console = Console(
                self._host,
                self._gateway,
                self._executor,
                options.console,
                access,
                self._request_signer,
            )
            app.router.add_routes(self._console.routes())

    async def _listen(
        self, listener: Listener, app: web.Application, port: int, context: ssl.SSLContext | None
    ) -> int:
        # No access log: a line per request would cost more than the request (the host logs a
        # traffic summary instead).
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        self._runners.append(runner)
        site = BoundedSite(
            runner,
            self._options.host,
            port,
            ssl_context=context,
            max_connections=self._options.max_connections,
        )
        try:
            await site.start()
        except OSError as error:  # in use, not this machine's address, a privileged port
            host = f"[{self._options.host}]" if ":" in self._options.host else self._options.host
            raise ListenFailed(listener, f"{host}:{port}", error) from error
        bound: int = runner.addresses[-1][1]  # aiohttp types an address as Any: (host, port)
        return bound

    async def _stop(self, grace: float) -> None:
        if self._deliveries is not None:
            await self._deliveries.stop()
        for runner in self._runners:
            # In-flight requests get up to `grace` seconds: aiohttp takes its shutdown timeout
            # when the runner is made, and the grace is known only now.
            runner._shutdown_timeout = grace
        await asyncio.gather(*(runner.cleanup() for runner in self._runners))
        if self._console is not None:
            self._console.close()  # its live logs ended with the host (host.stop comes first)
