"""Who may change things through the console (SEC-02): read-only unless the operator says so.

`ConsoleAccess.may_change(request)` decides per request (see `ConsoleOptions`). A POST that may
not change anything is refused with 403 before its form is read. A browser POST must also come
from the console's own pages (its Origin, or failing that its Referer, names this host): with no
token on loopback, any web page the operator visits could otherwise post a form to it.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from urllib.parse import urlsplit

from aiohttp import web

from dccsim.server.http.console.options import ConsoleOptions

COOKIE = "dccsim_console"


def listens_on_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name other than localhost, or 0.0.0.0 / :: (every interface)


class ConsoleAccess:
    def __init__(self, options: ConsoleOptions, listen_host: str) -> None:
        # allow_changes=False: read-only, whatever else is set (not even the token opens it).
        self._closed = options.allow_changes is False
        self._token = None if self._closed else options.operator_token
        self._open_without_token = (
            not self._closed
            and self._token is None
            and (options.allow_changes is True or listens_on_loopback(listen_host))
        )

    @property
    def needs_login(self) -> bool:
        """Whether a login form can open changes (a token is configured)."""
        return self._token is not None

    def may_change(self, request: web.Request) -> bool:
        if self._closed:
            return False
        if self._open_without_token:
            return True
        return self._presents_token(request)

    def cookie_value(self, token: str) -> str | None:
        """What the login cookie holds for a correct token (a digest, not the token); None for
        a wrong one."""
        if self._token is None or not hmac.compare_digest(token.encode(), self._token.encode()):
            return None
        return _digest(self._token)

    def check_post(self, request: web.Request) -> None:
        """Raise 403 unless this POST may change things and comes from the console's pages."""
        if not same_origin(request):
            raise web.HTTPForbidden(text="the console takes forms only from its own pages\n")
        if not self.may_change(request):
            raise web.HTTPForbidden(
                text="the console is read-only: changes need the operator token\n"
            )

    def _presents_token(self, request: web.Request) -> bool:
        token = self._token
        if token is None:
            return False
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer ") and hmac.compare_digest(
            header[len("Bearer ") :].strip().encode(), token.encode()
        ):
            return True
        cookie = request.cookies.get(COOKIE, "")
        return bool(cookie) and hmac.compare_digest(cookie.encode(), _digest(token).encode())


def same_origin(request: web.Request) -> bool:
    """Whether a request's Origin (or Referer) names the host it was sent to; a request with
    neither (curl, a script with the bearer token) is not a browser's cross-site form."""
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source or source == "null":
        return source != "null"
    return urlsplit(source).netloc == request.host


def _digest(token: str) -> str:
    return hashlib.sha256(b"dccsim console\0" + token.encode()).hexdigest()
