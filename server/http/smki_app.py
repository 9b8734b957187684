"""SMKI over HTTP, as DCC Boxed serves it on port 8083 (BOXED-06): `POST
/services/certificatesearch` and `/services/retrievecertificate`, XML in and out.

The handlers only translate: the answers (DCC Boxed's XML shapes, 402 when nothing matches) come
from `SmkiBackend`, which `dccsim.server.keys.smki` provides. DCC Boxed's `apikey` query parameter
is accepted and ignored.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor
from dataclasses import dataclass

from aiohttp import web

from dccsim.server.core.errors import InvalidField
from dccsim.server.http.duis_app import XML, read_body, text_error
from dccsim.server.keys.keystore import KeyStore
from dccsim.server.runtime.fleet_devices import FleetDevices
from dccsim.server.runtime.host import DspHost

log = logging.getLogger("dccsim.http")

# The SMKI requests are a few hundred bytes; anything much bigger is not one.
MAX_SMKI_BODY_BYTES = 64 * 1024

# A request body in, (HTTP status, XML body) out.
SmkiCall = Callable[[bytes], tuple[int, bytes]]


@dataclass(frozen=True, slots=True)
class SmkiBackend:
    certificate_search: SmkiCall
    retrieve_certificate: SmkiCall


def smki_app(backend: SmkiBackend, executor: Executor) -> web.Application:
    app = web.Application(client_max_size=MAX_SMKI_BODY_BYTES)
    app.add_routes(
        [
            web.post("/services/certificatesearch", _handler(backend.certificate_search, executor)),
            web.post(
                "/services/retrievecertificate", _handler(backend.retrieve_certificate, executor)
            ),
        ]
    )
    return app


def _handler(
    call: SmkiCall, executor: Executor
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def handle(request: web.Request) -> web.StreamResponse:
        body = await read_body(request)
        if isinstance(body, web.Response):
            return body
        try:
            status, document = await asyncio.get_running_loop().run_in_executor(
                executor, call, body
            )
        except InvalidField as error:
            return text_error(400, str(error))
        return web.Response(status=status, body=document, content_type=XML)

    return handle


def smki_backend(keystore: KeyStore | None, host: DspHost) -> SmkiBackend | None:
    """SMKI answered from the keystore and the fleet, by `dccsim.server.keys.smki`; None (no
    SMKI listener) without a keystore or without that module."""
    if keystore is None:
        return None
    try:
        from dccsim.server.keys import smki
    except ImportError:
        log.warning("SMKI is not served: dccsim.server.keys.smki is not available")
        return None
    devices = FleetDevices(host)
    return SmkiBackend(
        certificate_search=lambda xml: smki.certificate_search(xml, keystore, devices),
        retrieve_certificate=lambda xml: smki.retrieve_certificate(xml, keystore, devices),
    )
