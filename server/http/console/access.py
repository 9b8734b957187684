"""Who may read and who may change things through the console, and who may scrape /metrics
(SEC-02): the rule the control API follows.

`ConsoleAccess` decides per request (see `ConsoleOptions`); one is shared by the console and the
metrics route, so both follow the same rule:

- **Reads** (every page, the live log's stream, `/metrics`): with an operator token configured,
  only for a request that presents it (401 otherwise). With none, open on loopback; beyond it,
  closed (403, saying how to open them) unless opened explicitly.
- **Changes** (POSTs): with a token, only for a request that presents it; with none, open on
  loopback or when opened explicitly; never with `allow_changes=False`. A POST that may not
  change anything is refused with 403 before its form is read. A browser POST must also come
  from the console's own pages (its Origin, or failing that its Referer, names this host): with
  no token on loopback, any web page the operator visits could otherwise post a form to it.

The login page, logout and the static assets are open to all: they show nothing of the DSP.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from urllib.parse import urlsplit

from aiohttp import web

from dccsim.server.http.console.options import ConsoleOptions

COOKIE = "dccsim_console"
# A 401 names the scheme to answer it with (RFC 9110 §11.6.1); a browser shows the body (the
# login page) rather than a dialog, as it does not speak Bearer.
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="dccsim"'}
PRESENT_TOKEN = (
    "present the operator token as a bearer token: Authorization: Bearer <token> "
    "(Prometheus: authorization: {credentials_file: <the token's file>}) (SEC-02)\n"
)
READS_CLOSED = (
    "the console and /metrics are closed on a server listening beyond loopback with no operator "
    "token: configure one (--operator-token-file or DCCSIM_OPERATOR_TOKEN) or open them "
    "explicitly (--open-control) (SEC-02)\n"
)
# Where a login goes when it was not sent from a page it should return to.
HOME = "/console/fleet"


def listens_on_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name other than localhost, or 0.0.0.0 / :: (every interface)


class ConsoleAccess:
    def __init__(self, options: ConsoleOptions, listen_host: str) -> None:
        self._token = options.operator_token
        loopback = listens_on_loopback(listen_host)
        # With a token, nothing is open without it (as the control API): neither opening
        # explicitly nor loopback lifts it.
        self._open_reads = self._token is None and (
            loopback or options.open_reads or options.allow_changes is True
        )
        # allow_changes=False: read-only, whatever else is set (not even the token opens it).
        self._changes_closed = options.allow_changes is False
        self._open_changes = (
            not self._changes_closed
            and self._token is None
            and (options.allow_changes is True or loopback)
        )

    @property
    def needs_login(self) -> bool:
        """Whether a login form opens anything (a token is configured)."""
        return self._token is not None

    def may_read(self, request: web.Request) -> bool:
        return self._open_reads or self.presents_token(request)

    def check_read(self, request: web.Request) -> None:
        """Raise unless this request may read: 401 asking for the token when one is configured,
        403 saying how to open reads when none is (there is nothing to present)."""
        if self.may_read(request):
            return
        if self.needs_login:
            raise web.HTTPUnauthorized(headers=CHALLENGE, text=PRESENT_TOKEN)
        raise web.HTTPForbidden(text=READS_CLOSED)

    def may_change(self, request: web.Request) -> bool:
        if self._changes_closed:
            return False
        if self._open_changes:
            return True
        return self.presents_token(request)

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

    def presents_token(self, request: web.Request) -> bool:
        """Whether the request carries the operator token (bearer) or the login cookie."""
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


def after_login(next_path: str) -> str:
    """Where a login goes: `next_path` when it is one of the console's own pages (not the login
    page itself), else HOME. Never an absolute URL or another site's (`//host`, a backslash
    browsers read as a slash): the login form would otherwise send a freshly logged-in browser
    wherever a link said."""
    parts = urlsplit(next_path)
    local = (
        not parts.scheme
        and not parts.netloc
        and (parts.path == "/console" or parts.path.startswith("/console/"))
        and parts.path != "/console/login"
        and next_path.isascii()
        and next_path.isprintable()
        and "\\" not in next_path
    )
    return next_path if local else HOME


def _digest(token: str) -> str:
    return hashlib.sha256(b"dccsim console\0" + token.encode()).hexdigest()
