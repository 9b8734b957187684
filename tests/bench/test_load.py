"""The gRPC load generator's senders (dccsim.bench.load) when the server fails them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import grpc
import pytest

from dccsim.bench.load import LoadSpec, Window, _stream
from dccsim.v1 import supplier_pb2


class _Lane:
    """A lane's traffic, reduced to what a sender asks of it: one 11.2 after another."""

    acb = None

    def __init__(self) -> None:
        self.count = 0

    def needs_acb(self) -> bool:
        return False

    def next(self) -> tuple[supplier_pb2.SubmitRequest, str, bool]:
        self.count += 1
        return supplier_pb2.SubmitRequest(), f"request-{self.count}", True

    def answered(self, message: object, response: object) -> None:
        pass


class _FailingStream:
    """A SubmitStream whose server answers `answers` requests, then fails the stream (as a
    handler that raises does: UNKNOWN), whatever is still in flight."""

    def __init__(self, answers: int) -> None:
        self.written: asyncio.Queue[supplier_pb2.SubmitRequest] = asyncio.Queue()
        self.answers = answers

    def __aiter__(self) -> AsyncIterator[supplier_pb2.SubmitResult]:
        return self._results()

    async def _results(self) -> AsyncIterator[supplier_pb2.SubmitResult]:
        for _ in range(self.answers):
            await self.written.get()
            answer = supplier_pb2.SubmitResponse(response_code="I99")
            yield supplier_pb2.SubmitResult(response=answer)
        raise grpc.aio.AioRpcError(
            grpc.StatusCode.UNKNOWN,
            grpc.aio.Metadata(),
            grpc.aio.Metadata(),
            "Exception iterating responses",
        )

    async def write(self, message: supplier_pb2.SubmitRequest) -> None:
        await self.written.put(message)

    async def done_writing(self) -> None:
        pass


@pytest.mark.parametrize("answers", [0, 3])
def test_a_stream_the_server_fails_fails_the_sender_rather_than_hanging_it(answers: int) -> None:
    # A window of 2: once two requests are in flight the sender waits for credit, which only
    # an answer gives; the failed stream gives none, so it used to wait for ever.
    spec = LoadSpec("stream", 1, 10.0, None, 0.0, 1, 2, 1.0)
    window = Window(spec, tracks_deliveries=True)
    stream = _FailingStream(answers)

    async def send() -> None:
        sender = asyncio.ensure_future(_stream(lambda: stream, _Lane(), window))  # type: ignore[arg-type]
        await asyncio.wait({sender}, timeout=5)
        assert sender.done(), "the sender still waits for credit on a failed stream"
        await sender  # its failure: the stream's error

    with pytest.raises(grpc.aio.AioRpcError) as failure:
        asyncio.run(send())
    assert failure.value.code() is grpc.StatusCode.UNKNOWN
    assert window.result.codes == {}  # nothing was measured: the window never opened
