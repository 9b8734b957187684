"""A DSP host with only its HTTP side (DUIS port: the console and /metrics), for console tests,
and a small HTTP client that keeps cookies and reports errors as statuses."""

from __future__ import annotations

import http.cookiejar
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from dccsim.server.core.dsp import Dsp
from dccsim.server.duis.signing import SignatureSettings
from dccsim.server.http.console.options import ConsoleOptions
from dccsim.server.http.console.sending import request_signer
from dccsim.server.http.options import HttpOptions
from dccsim.server.http.service import HttpService
from dccsim.server.keys.keystore import KeyStore
from dccsim.server.runtime.duis_gateway import DuisGateway
from dccsim.server.runtime.gbcs_hooks import GbcsHooks
from dccsim.server.runtime.host import DspHost
from dccsim.server.runtime.signing_hooks import request_verifier, response_signer
from tests.conftest import example_dsp


@dataclass
class ConsoleServer:
    host: DspHost
    base: str

    def url(self, path: str) -> str:
        return self.base + path


@contextmanager
def console_server(
    console: ConsoleOptions | None = None,
    *,
    listen: str = "127.0.0.1",
    keystore: KeyStore | None = None,
    sign_requests: bool = True,
    dsp: Dsp | None = None,
    metrics: bool = True,
    gbcs: bool = False,
) -> Iterator[ConsoleServer]:
    """`keystore`: the gateway verifies signatures with it (and the console signs with it,
    unless `sign_requests` is False); with `gbcs`, payloads and pre-commands are GBCS too, as
    `dccsim serve` has them (GBCS-01…05)."""
    host = DspHost(dsp or example_dsp())
    gateway = DuisGateway(
        host,
        verifier=None if keystore is None else request_verifier(keystore, SignatureSettings()),
        signer=None if keystore is None else response_signer(keystore),
        gbcs=GbcsHooks(keystore, host) if keystore is not None and gbcs else None,
    )
    options = HttpOptions(
        host=listen,
        duis_port=0,
        smki_port=None,
        console=console or ConsoleOptions(),
        metrics=metrics,
    )
    signer = request_signer(keystore) if keystore is not None and sign_requests else None
    service = HttpService(host, gateway, options, None, request_signer=signer)
    ports = service.start()
    host.start()
    try:
        yield ConsoleServer(host, f"http://127.0.0.1:{ports.duis}")
    finally:
        host.stop()
        service.stop(grace=None)


@dataclass
class Reply:
    status: int
    body: str
    headers: Mapping[str, str] = field(default_factory=dict)


class Browser:
    """urllib with a cookie jar: follows redirects (a form's 303 back to its page)."""

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, url: str, headers: Mapping[str, str] | None = None) -> Reply:
        return self._open(urllib.request.Request(url, headers=dict(headers or {})))

    def post(
        self, url: str, form: Mapping[str, str], headers: Mapping[str, str] | None = None
    ) -> Reply:
        data = urllib.parse.urlencode(form).encode()
        return self._open(urllib.request.Request(url, data=data, headers=dict(headers or {})))

    def _open(self, request: urllib.request.Request) -> Reply:
        try:
            with self._opener.open(request, timeout=10) as response:
                return Reply(response.status, response.read().decode(), dict(response.headers))
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.read().decode(), dict(error.headers))
