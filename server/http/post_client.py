"""The HTTP/1.1 client a deliverer POSTs with (BOXED-02): one keep-alive connection, one POST
at a time, the answer's status and the start of its body.

Why not aiohttp's client: a delivery needs none of what it offers (cookies, redirects,
decompression, connection pools, tracing), and it cost ~300 µs of CPU per POST, more than
aiohttp's server spends answering a request: the biggest single share of a delivered Service
Response's server CPU after the signatures. Reading the answer -- its status line, headers, body
framing, interim 1xx answers, whether the connection may carry the next request -- is httptools'
(llhttp, Node.js's HTTP parser, as uvicorn reads HTTP with it); this writes the request's few
header lines and holds the connection on asyncio's streams. (h11, the pure-Python alternative,
cost more CPU per POST than aiohttp's client.)

What it does, as aiohttp's client did for deliveries:
- `http://` and `https://` (the default verifying context: system CAs, host name checked);
- the request: `POST`, `Host`, `Content-Type`, `Content-Length`, and nothing a receiver could
  answer in a form this cannot read (no `Accept-Encoding`: bodies come uncompressed);
- the answer: its status line and headers, interim 1xx answers skipped, then its body framed by
  `Content-Length`, `Transfer-Encoding: chunked` or the connection's end; redirects are answers
  like any other (a 3xx is not a 2xx);
- the connection is kept for the next POST when the answer allows it (HTTP/1.1 without
  `Connection: close`, a body read to its end) and the URL's origin is the same; anything that
  goes wrong -- a timeout, a malformed answer, a closed connection -- closes it, so the next
  attempt starts on a fresh one; a kept connection the receiver closed while it was idle is
  replaced before the POST.

Errors are `PostFailed(reason)`; the caller turns them, and non-2xx statuses, into a retry.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import httptools

# The most of an answer's head (status line and headers) read, and of a body read to keep the
# connection: a receiver answering more than this is read no further, and its connection closed.
MAX_HEAD_BYTES = 64 * 1024
MAX_KEPT_BODY_BYTES = 1024 * 1024
# Characters a request target keeps as they are (RFC 3986's reserved and unreserved, and "%").
_SAFE = "/?#[]@!$&'()*+,;=:%-._~"
_READ_BYTES = 64 * 1024


class PostFailed(Exception):
    """No complete HTTP answer: the reason, for the log and the `delivery` event."""


@dataclass(frozen=True, slots=True)
class PostAnswer:
    status: int
    body_start: bytes  # at most `quote` bytes of the body (see `Connection.post`)


@dataclass(frozen=True, slots=True)
class _Origin:
    scheme: str
    host: str
    port: int
    target: str  # path and query: the request target
    host_header: str


def _origin(url: str) -> _Origin:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise PostFailed(f"not an http or https URL: {url!r}")
    if not parts.hostname:
        raise PostFailed(f"no host in {url!r}")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise PostFailed(f"bad port in {url!r}: {error}") from None
    # As a browser or aiohttp sends them: what is not ASCII percent-encoded (escapes already
    # there kept), a host name that is not ASCII in its IDNA form.
    target = quote((parts.path or "/") + (f"?{parts.query}" if parts.query else ""), safe=_SAFE)
    default = (parts.scheme, port) in (("http", 80), ("https", 443))
    try:
        name = parts.hostname.encode("idna").decode("ascii")
    except UnicodeError:
        raise PostFailed(f"not a host name: {parts.hostname!r}") from None
    host = f"[{name}]" if ":" in name else name
    host_header = host if default else f"{host}:{port}"
    return _Origin(parts.scheme, name, port, target, host_header)


class _Reading:
    """The parser's callbacks for one exchange (httptools calls `on_*` by name): the final
    answer's status, the start of its body, and whether the connection may be kept. Interim
    1xx answers come first on the same stream; the parser reports each as a message."""

    def __init__(self, quote: int) -> None:
        self.parser: httptools.HttpResponseParser | None = None
        self.quote = quote
        self.complete = False
        self._begin()

    def _begin(self) -> None:
        self.status = 0
        self.keep = False  # read as the answer completes: llhttp forgets it afterwards
        self.framed = False  # a Content-Length or Transfer-Encoding header was read
        self.head_done = False
        self.kept = b""
        self.total = 0

    @property
    def interim(self) -> bool:
        return 100 <= self.status < 200

    def on_message_begin(self) -> None:
        self._begin()

    def on_header(self, name: bytes, _value: bytes) -> None:
        if name.lower() in (b"content-length", b"transfer-encoding"):
            self.framed = True

    def on_headers_complete(self) -> None:
        assert self.parser is not None
        self.status = self.parser.get_status_code()
        self.head_done = True

    def on_body(self, body: bytes) -> None:
        self.total += len(body)
        if len(self.kept) < self.quote:
            self.kept = (self.kept + body)[: self.quote]

    def on_message_complete(self) -> None:
        assert self.parser is not None
        if not self.interim:  # an interim answer: the final one follows
            self.keep = self.parser.should_keep_alive()
            self.complete = True


class Connection:
    """One deliverer's connection to its receiver. Not shared: one POST at a time."""

    def __init__(self, ssl_context: ssl.SSLContext | None = None) -> None:
        self._ssl_context = ssl_context  # for https: made on first use unless given
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        self._origin: _Origin | None = None

    async def post(
        self, url: str, body: bytes, content_type: str, timeout: float, *, quote: int
    ) -> PostAnswer:
        """POST `body` to `url`; its answer's status and the first `quote` bytes of its body.
        Raises PostFailed, or TimeoutError after `timeout` seconds without a complete answer
        (either way the connection is closed)."""
        origin = _origin(url)
        try:
            async with asyncio.timeout(timeout):
                return await self._post(origin, body, content_type, quote)
        except BaseException:
            self.close()
            raise

    async def _post(
        self, origin: _Origin, body: bytes, content_type: str, quote: int
    ) -> PostAnswer:
        head = (
            f"POST {origin.target} HTTP/1.1\r\nHost: {origin.host_header}\r\n"
            f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
            "User-Agent: dccsim\r\n\r\n"
        ).encode("latin-1")
        if not self._reusable(origin):
            self.close()
            await self._connect(origin)
        assert self._streams is not None
        reader, writer = self._streams
        try:
            writer.write(head + body)
            await writer.drain()
            return await self._answer(reader, quote)
        except httptools.HttpParserError as error:
            raise PostFailed(f"not a well-formed HTTP answer: {error}") from None
        except ConnectionError as error:
            raise PostFailed(f"{type(error).__name__}: {error}") from None

    def _reusable(self, origin: _Origin) -> bool:
        """Whether the kept connection can carry a POST to `origin`: the same origin, and not
        closed by the receiver while it was idle (its end already read). Not retried on a new
        connection when it fails: the failure is an attempt like any other, retried after the
        backoff, as aiohttp's client's was."""
        if self._streams is None or self._origin != origin:
            return False
        reader, writer = self._streams
        return not (reader.at_eof() or writer.is_closing())

    async def _connect(self, origin: _Origin) -> None:
        context = None
        if origin.scheme == "https":
            if self._ssl_context is None:
                self._ssl_context = ssl.create_default_context()
            context = self._ssl_context
        try:
            self._streams = await asyncio.open_connection(
                origin.host, origin.port, ssl=context, limit=MAX_HEAD_BYTES
            )
        except (OSError, ssl.SSLError) as error:
            raise PostFailed(f"cannot connect to {origin.host}:{origin.port}: {error}") from None
        self._origin = origin

    async def _answer(self, reader: asyncio.StreamReader, quote: int) -> PostAnswer:
        """Read the final answer (past any interim 1xx); keep the connection only if its body
        was read to its end within MAX_KEPT_BODY_BYTES and the answer allows it."""
        reading = _Reading(quote)
        parser = reading.parser = httptools.HttpResponseParser(reading)
        head_bytes = 0
        while not reading.complete:
            data = await reader.read(_READ_BYTES)
            if not data:
                raise PostFailed("the receiver closed the connection before answering")
            if not reading.head_done:
                head_bytes += len(data)
                if head_bytes > MAX_HEAD_BYTES:
                    raise PostFailed(f"an answer head longer than {MAX_HEAD_BYTES:,} bytes")
            parser.feed_data(data)
            if reading.head_done and not reading.interim:
                if not reading.framed and not reading.complete:
                    # A body to the connection's end: its start is all that is wanted, and
                    # the connection cannot be kept anyway (as aiohttp's client answered it).
                    return await self._body_start(reader, parser, reading)
                if reading.total > MAX_KEPT_BODY_BYTES:
                    self.close()  # read no further; the next POST opens a new connection
                    return PostAnswer(reading.status, reading.kept)
        if not reading.keep:
            self.close()
        return PostAnswer(reading.status, reading.kept)

    async def _body_start(
        self,
        reader: asyncio.StreamReader,
        parser: httptools.HttpResponseParser,
        reading: _Reading,
    ) -> PostAnswer:
        while len(reading.kept) < reading.quote:
            data = await reader.read(_READ_BYTES)
            if not data:
                break
            parser.feed_data(data)
        self.close()
        return PostAnswer(reading.status, reading.kept)

    def close(self) -> None:
        if self._streams is not None:
            _, writer = self._streams
            with contextlib.suppress(Exception):
                writer.close()
        self._streams = None
        self._origin = None
