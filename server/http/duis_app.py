"""DUIS over HTTP, as DCC Boxed serves it (BOXED-01): three web services, XML in, XML out.

`POST /api/v1/serviceS` (CV 1, 3, 5, 7), `/api/v1/serviceT` (CV 4), `/api/v1/serviceD`
(CV 2, 6, 8), `Content-Type: application/xml` both ways. The handlers only translate; the shared
`DuisGateway` does the work, in a worker thread (the host is thread-based and may wait for the
state file: the event loop never blocks on it).

HTTP status codes (decisions, docs/decisions.md "DUIS over HTTP"):
- 200: every synchronous `sr:Response`, whatever its ResponseCode (I0, I99, E-codes; E13 for a
  request at the wrong web service);
- 400 (text/plain, the reason): a body that is not a DUIS request -- not XML, not an
  `sr:Request`, failing the structural or strict schema check, a DOCTYPE, larger than
  `MAX_BODY_BYTES`; nothing changes;
- 403: with mutual TLS, a request whose originator is not the User the client certificate names
  (SEC-01); nothing changes;
- 501: a form dccsim does not simulate; 503: the acknowledgement was lost (fault injection), or
  the state file cannot record the change; 500: a dccsim bug (strict mode caught a document it
  built failing the schema).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor
from functools import partial

from aiohttp import web
from cryptography import x509

from dccsim.server.core.errors import InvalidField, NotFound, NotSimulated
from dccsim.server.core.web_services import WebService
from dccsim.server.duis.safe import MAX_DOCUMENT_BYTES
from dccsim.server.keys.model import subject_eui
from dccsim.server.runtime.duis_gateway import (
    AcknowledgementLost,
    DuisGateway,
    EmittedDocumentInvalid,
    NotPermitted,
)
from dccsim.server.runtime.refusal_log import log_refusal
from dccsim.server.store import StateFileError

log = logging.getLogger("dccsim.http")

XML = "application/xml"
# The largest body read: what the safe loader accepts (a 7.68 MB firmware image in base64 and a
# full DeviceIDList fit). A larger one is refused unread beyond this.
MAX_BODY_BYTES = MAX_DOCUMENT_BYTES
# A reason quoting a huge input is cut, keeping both ends.
MAX_REASON_CHARS = 1000

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def duis_app(gateway: DuisGateway, executor: Executor) -> web.Application:
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app.add_routes(
        [
            web.post(f"/api/v1/{service}", _handler(gateway, executor, service))
            for service in WebService
        ]
    )
    # Last, so the services above match first: anything else under /api/v1/ is answered with
    # the paths that exist, not aiohttp's bare "404: Not Found".
    app.add_routes([web.route("*", "/api/v1/{path:.*}", _no_such_service)])
    return app


_SERVICE_PATHS = ", ".join(f"/api/v1/{service}" for service in WebService)


async def _no_such_service(request: web.Request) -> web.StreamResponse:
    if request.match_info["path"] in set(WebService):
        raise web.HTTPMethodNotAllowed(request.method, ["POST"])
    return text_error(
        404, f"{request.path}: no DUIS web service here; POST DUIS requests to {_SERVICE_PATHS}"
    )


def text_error(status: int, reason: str) -> web.Response:
    if len(reason) > MAX_REASON_CHARS:
        reason = f"{reason[: MAX_REASON_CHARS - 80]}…[{len(reason):,} characters]…{reason[-40:]}"
    return web.Response(status=status, text=reason + "\n", content_type="text/plain")


async def read_body(request: web.Request) -> bytes | web.Response:
    """The request's body, or the 400 that refuses it for its size."""
    try:
        return await request.read()
    except web.HTTPRequestEntityTooLarge:
        return text_error(
            400,
            f"document: the body is larger than any valid DUIS request "
            f"({MAX_BODY_BYTES:,} bytes; a FirmwareImage holds at most 10,240,000 base64 "
            "characters)",
        )


def _handler(gateway: DuisGateway, executor: Executor, service: WebService) -> Handler:
    async def handle(request: web.Request) -> web.StreamResponse:
        body = await read_body(request)
        if isinstance(body, web.Response):
            return body
        loop = asyncio.get_running_loop()
        try:
            reply = await loop.run_in_executor(
                executor, partial(gateway.submit, body, service, caller=_caller(request))
            )
        except NotPermitted as error:  # SEC-01
            return text_error(403, str(error))
        except (InvalidField, NotFound) as error:  # the caller's: one line, no traceback
            log_refusal(log, request.remote or "?", request.path, str(error))
            return text_error(400, str(error))
        except NotSimulated as error:
            return text_error(501, str(error))
        except AcknowledgementLost:
            return text_error(503, "acknowledgement lost (fault injection)")
        except StateFileError as error:
            return text_error(503, f"the state file cannot record the change: {error}")
        except EmittedDocumentInvalid as error:
            return text_error(500, str(error))
        return web.Response(body=reply.document, content_type=XML)

    return handle


def _caller(request: web.Request) -> str | None:
    """The User the client's TLS certificate names (SEC-01); None without one."""
    ssl_object = request.transport.get_extra_info("ssl_object") if request.transport else None
    der = None if ssl_object is None else ssl_object.getpeercert(binary_form=True)
    return None if not der else subject_eui(x509.load_der_x509_certificate(der))
