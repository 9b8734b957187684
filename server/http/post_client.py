"""The HTTP/1.1 client a deliverer POSTs with (BOXED-02): one keep-alive connection, one POST
at a time, the answer's status and the start of its body.

Why not aiohttp's client: a delivery needs none of what it offers (cookies, redirects,
decompression, connection pools, tracing), and it cost ~300 µs of CPU per POST, more than
aiohttp's server spends answering a request: the biggest single share of a delivered Service
Response's server CPU after the signatures. This does only what a delivery needs, on asyncio's
streams: ~50 µs.

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

# The most of an answer's head (status line and headers) read, and of a body read to keep the
# connection: a receiver answering more than this is read no further, and its connection closed.
MAX_HEAD_BYTES = 64 * 1024
MAX_KEPT_BODY_BYTES = 1024 * 1024
# Characters a request target keeps as they are (RFC 3986's reserved and unreserved, and "%").
_SAFE = "/?#[]@!$&'()*+,;=:%-._~"
# Statuses that never carry a body (RFC 9112, 6.3).
_NO_BODY = frozenset({204, 304})


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
        try:
            return await self._exchange(head, body, quote)
        except asyncio.IncompleteReadError:
            raise PostFailed("the receiver closed the connection before answering") from None
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

    async def _exchange(self, head: bytes, body: bytes, quote: int) -> PostAnswer:
        assert self._streams is not None
        reader, writer = self._streams
        writer.write(head + body)
        await writer.drain()
        while True:
            status, keep, framing = await self._read_head(reader)
            if not 100 <= status < 200:
                break  # 1xx: an interim answer, the final one follows
        body_start, complete = await self._read_body(reader, status, framing, quote)
        if not (keep and complete):
            self.close()
        return PostAnswer(status, body_start)

    async def _read_head(self, reader: asyncio.StreamReader) -> tuple[int, bool, str | int]:
        """The status, whether the connection may be kept, and the body's framing: its length,
        "chunked", or "close" (to the connection's end)."""
        try:
            raw = await reader.readuntil(b"\r\n\r\n")
        except asyncio.LimitOverrunError:
            raise PostFailed(f"an answer head longer than {MAX_HEAD_BYTES:,} bytes") from None
        lines = raw.decode("latin-1").split("\r\n")
        version, _, rest = lines[0].partition(" ")
        code = rest[:3]
        well_formed = len(code) == 3 and code.isdigit() and rest[3:4] in ("", " ")
        if version not in ("HTTP/1.1", "HTTP/1.0") or not well_formed:
            raise PostFailed(f"not an HTTP answer: {lines[0][:60]!r}")
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if not line:
                continue
            name, colon, value = line.partition(":")
            if not colon or not name or name != name.strip():
                raise PostFailed(f"a malformed header line: {line[:60]!r}")
            key = name.lower()
            value = value.strip()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        connection = {t.strip().lower() for t in headers.get("connection", "").split(",")}
        keep = "close" not in connection and (version == "HTTP/1.1" or "keep-alive" in connection)
        status = int(code)
        framing: str | int
        if status in _NO_BODY or 100 <= status < 200:
            framing = 0
        elif "transfer-encoding" in headers:
            codings = [c.strip().lower() for c in headers["transfer-encoding"].split(",")]
            if codings[-1] != "chunked":
                framing, keep = "close", False
            else:
                framing = "chunked"
        elif "content-length" in headers:
            length = headers["content-length"]
            if not length.isdigit():
                raise PostFailed(f"a malformed Content-Length: {length[:40]!r}")
            framing = int(length)
        else:
            framing, keep = "close", False
        return status, keep, framing

    async def _read_body(
        self, reader: asyncio.StreamReader, status: int, framing: str | int, quote: int
    ) -> tuple[bytes, bool]:
        """The body's first `quote` bytes, and whether it was read to its end (so the
        connection can carry the next POST)."""
        if isinstance(framing, int):
            if framing > MAX_KEPT_BODY_BYTES:
                return await reader.read(quote) if quote else b"", False
            data = await reader.readexactly(framing)
            return data[:quote], True
        if framing == "close":
            return (await reader.read(quote) if quote else b""), False
        kept = b""
        total = 0
        while True:
            size_line = await reader.readuntil(b"\r\n")
            size_text = size_line.split(b";", 1)[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError:
                raise PostFailed(f"a malformed chunk size: {size_text[:20]!r}") from None
            total += size
            if total > MAX_KEPT_BODY_BYTES:
                return kept, False
            if size == 0:
                while (await reader.readuntil(b"\r\n")) != b"\r\n":
                    pass  # trailer fields
                return kept, True
            chunk = await reader.readexactly(size + 2)
            kept = (kept + chunk[:size])[:quote]

    def close(self) -> None:
        if self._streams is not None:
            _, writer = self._streams
            with contextlib.suppress(Exception):
                writer.close()
        self._streams = None
        self._origin = None
