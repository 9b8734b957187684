"""The deliverers' HTTP/1.1 client (server/http/post_client.py, answers read by httptools)
against scripted receivers: what it sends, each way an answer may be framed, when it keeps its
connection, and how it fails."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from dccsim.server.http.post_client import Connection, PostAnswer, PostFailed

# A scripted receiver: given the request head and body it read, writes what it likes; returns
# whether to keep reading requests on this connection.
Script = Callable[[bytes, bytes, asyncio.StreamWriter], Awaitable[bool]]


class ScriptedReceiver:
    def __init__(self, script: Script) -> None:
        self.script = script
        self.requests: list[tuple[bytes, bytes]] = []
        self.connections = 0
        self.server: asyncio.Server | None = None

    async def __aenter__(self) -> ScriptedReceiver:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *_: object) -> None:
        assert self.server is not None
        self.server.close()

    @property
    def url(self) -> str:
        assert self.server is not None
        port = self.server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/receive?user=1"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                body = await reader.readexactly(length)
                self.requests.append((head, body))
                keep = await self.script(head, body, writer)
                await writer.drain()
                if not keep:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


def answering(*answers: bytes, keep: bool = True) -> Script:
    async def script(head: bytes, body: bytes, writer: asyncio.StreamWriter) -> bool:
        for answer in answers:
            writer.write(answer)
        return keep

    return script


async def _post(connection: Connection, url: str, body: bytes = b"<x/>") -> PostAnswer:
    return await connection.post(url, body, "application/xml", 2.0, quote=12)


def test_it_posts_the_document_as_application_xml_with_its_length_and_host() -> None:
    async def run() -> None:
        ok = answering(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        async with ScriptedReceiver(ok) as r:
            answer = await _post(Connection(), r.url, b"<doc>\xc3\xa9</doc>")
            assert answer == PostAnswer(200, b"")
            head, body = r.requests[0]
            lines = head.decode().split("\r\n")
            assert lines[0] == "POST /receive?user=1 HTTP/1.1"
            port = r.url.split(":")[2].split("/")[0]
            assert f"Host: 127.0.0.1:{port}" in lines
            assert "Content-Type: application/xml" in lines
            assert "Content-Length: 13" in lines
            assert not any(line.lower().startswith("accept-encoding") for line in lines)
            assert body == b"<doc>\xc3\xa9</doc>"

    asyncio.run(run())


@pytest.mark.parametrize(
    ("answer", "status", "quoted", "kept"),
    [
        (b"HTTP/1.1 500 Oops\r\nContent-Length: 20\r\n\r\nsomething went wrong", 500, True, True),
        (b"HTTP/1.1 500 Oops\r\nTransfer-Encoding: chunked\r\n\r\n"
         b"a;x=1\r\nsomething \r\na\r\nwent wrong\r\n0\r\nTrailer: t\r\n\r\n", 500, True, True),
        (b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", 204, False, True),
        (b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", 200, False, False),
        (b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", 200, False, False),
        (b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok", 200, False,
         True),
        (b"HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n", 302, False,
         True),
    ],
)  # fmt: skip
def test_each_framing_of_an_answer_is_read_and_the_connection_kept_when_it_may_be(
    answer: bytes, status: int, quoted: bool, kept: bool
) -> None:
    async def run() -> None:
        async with ScriptedReceiver(answering(answer)) as r:
            connection = Connection()
            first = await _post(connection, r.url)
            assert first.status == status
            assert first.body_start == (b"something we" if quoted else first.body_start)
            await _post(connection, r.url)
            assert r.connections == (1 if kept else 2)

    asyncio.run(run())


def test_a_body_to_the_connections_end_is_read_and_the_connection_not_kept() -> None:
    async def run() -> None:
        script = answering(b"HTTP/1.1 503 Busy\r\n\r\nback soon", keep=False)
        async with ScriptedReceiver(script) as r:
            connection = Connection()
            assert await _post(connection, r.url) == PostAnswer(503, b"back soon")
            assert (await _post(connection, r.url)).status == 503
            assert r.connections == 2

    asyncio.run(run())


def test_a_kept_connection_the_receiver_closed_while_idle_is_replaced_before_the_post() -> None:
    async def run() -> None:
        script = answering(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", keep=False)
        async with ScriptedReceiver(script) as r:  # answers, then closes without saying so
            connection = Connection()
            assert (await _post(connection, r.url)).status == 200
            await asyncio.sleep(0.05)  # the receiver's close arrives
            assert (await _post(connection, r.url)).status == 200
            assert len(r.requests) == 2  # each POST sent once

    asyncio.run(run())


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (b"\x00\xffgarbage, not HTTP at all\r\n\r\n", "not a well-formed HTTP answer"),
        (b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "header"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "Content-Length"),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "chunk size"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", "closed the connection"),
    ],
)
def test_a_malformed_or_cut_answer_fails_and_the_next_post_uses_a_new_connection(
    answer: bytes, reason: str
) -> None:
    async def run() -> None:
        async with ScriptedReceiver(answering(answer, keep=False)) as r:
            connection = Connection()
            with pytest.raises(PostFailed, match=reason):
                await _post(connection, r.url)
            with pytest.raises(PostFailed):
                await _post(connection, r.url)
            assert r.connections == 2

    asyncio.run(run())


def test_no_answer_within_the_timeout_is_a_timeout_and_no_receiver_is_a_failure() -> None:
    async def run() -> None:
        async def hang(head: bytes, body: bytes, writer: asyncio.StreamWriter) -> bool:
            await asyncio.sleep(10)
            return False

        async with ScriptedReceiver(hang) as r:
            with pytest.raises(TimeoutError):
                await Connection().post(r.url, b"<x/>", "application/xml", 0.1, quote=0)
            url = r.url
        with pytest.raises(PostFailed, match="cannot connect"):
            await _post(Connection(), url)
        with pytest.raises(PostFailed, match="not an http"):
            await _post(Connection(), "ftp://127.0.0.1/x")

    asyncio.run(run())


def test_a_target_that_is_not_ascii_is_sent_percent_encoded() -> None:
    async def run() -> None:
        ok = answering(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        async with ScriptedReceiver(ok) as r:
            base = r.url.split("/receive")[0]
            assert (await _post(Connection(), f"{base}/für dich?x=%20y")).status == 200
            assert r.requests[0][0].startswith(b"POST /f%C3%BCr%20dich?x=%20y HTTP/1.1\r\n")

    asyncio.run(run())


def test_a_status_line_that_is_not_http_fails() -> None:
    async def run() -> None:
        async with ScriptedReceiver(answering(b"HTTP/1.1 2000 OK\r\n\r\n", keep=False)) as r:
            with pytest.raises(PostFailed, match="not a well-formed HTTP answer"):
                await _post(Connection(), r.url)

    asyncio.run(run())
