"""An aiohttp TCP site that holds at most a number of connections at once (SEC-04): each is an
open file, and a process has a limited number. A connection beyond the bound is closed as soon
as it is accepted; the ones held are closed by aiohttp once idle (`keepalive_timeout`)."""

from __future__ import annotations

import asyncio
import ssl

from aiohttp import web


class _Refused(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # A server's connections come with a Transport (TCP, or TLS over it), which can abort.
        assert isinstance(transport, asyncio.Transport)
        transport.abort()


class BoundedSite(web.TCPSite):
    def __init__(
        self,
        runner: web.AppRunner,
        host: str | None = None,
        port: int | None = None,
        *,
        max_connections: int,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        if max_connections < 1:
            raise ValueError("max_connections must be at least 1")
        super().__init__(runner, host, port, ssl_context=ssl_context)
        self._max_connections = max_connections

    async def start(self) -> None:
        # TCPSite.start, with a protocol factory that counts the server's open connections.
        await web.BaseSite.start(self)
        server = self._runner.server
        assert server is not None
        most = self._max_connections

        def protocol() -> asyncio.BaseProtocol:
            if len(server.connections) >= most:
                return _Refused()
            return server()

        self._server = await asyncio.get_running_loop().create_server(
            protocol,
            self._host,
            self._port,
            ssl=self._ssl_context,
            backlog=self._backlog,
            reuse_address=self._reuse_address,
            reuse_port=self._reuse_port,
        )
        sockets = self._server.sockets
        self._bound_port = sockets[0].getsockname()[1] if sockets else self._port
