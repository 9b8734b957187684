"""Bytes that are no protobuf message of the method's request type: refused as INVALID_ARGUMENT
(BAD-01) with one log line -- the peer, the method, the reason -- instead of gRPC's own answer
(INTERNAL, "Exception deserializing request!", and a traceback in the log for what is the
caller's mistake, not a bug: issue 18).

`MalformedMessages` must be the first (outermost) interceptor: it swaps in a request
deserializer that never raises and refuses the call before any inner interceptor or servicer sees
the undecodable message.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Never, TypeVar

import grpc

from dccsim.server.rpc.errors import log_refusal, refusal_status
from dccsim.v1.refusals import Refusal

# A method's request and response messages: the interceptor wraps every method's handler.
Req = TypeVar("Req")
Resp = TypeVar("Resp")

# The field a refusal of a whole message names: none of its own fields could be read.
WHOLE_MESSAGE = "request"


@dataclass(frozen=True, slots=True)
class Undecodable:
    """What the lenient deserializer hands on in place of a message it could not decode."""

    reason: str


class MalformedRequest(ValueError):
    """Carries an undecodable message's reason to the log line and the status."""


def _lenient(deserialize: Callable[[bytes], Any]) -> Callable[[bytes], Any]:
    def read(data: bytes) -> Any:
        try:
            return deserialize(data)
        except Exception as error:  # protobuf's DecodeError, or whatever a bad message raises
            return Undecodable(f"not a valid protobuf message: {error}")

    return read


def _refuse(context: grpc.ServicerContext, method: str, bad: Undecodable) -> Never:
    log_refusal(context, method, MalformedRequest(f"{WHOLE_MESSAGE}: {bad.reason}"))
    context.abort_with_status(
        refusal_status(Refusal.MALFORMED, f"{WHOLE_MESSAGE}: {bad.reason}", WHOLE_MESSAGE)
    )


def _checked_stream(
    requests: Iterator[Req | Undecodable], context: grpc.ServicerContext, method: str
) -> Iterator[Req]:
    """A request stream that ends at its first undecodable message, the call refused."""
    for request in requests:
        if isinstance(request, Undecodable):
            # abort raises to unwind a handler; here the status is set and the stream just ends
            with contextlib.suppress(Exception):
                _refuse(context, method, request)
            return
        yield request


class MalformedMessages(grpc.ServerInterceptor):
    def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], grpc.RpcMethodHandler[Req, Resp] | None],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler[Req, Resp] | None:
        handler = continuation(handler_call_details)
        if handler is None or handler.request_deserializer is None:
            return handler
        method = handler_call_details.method
        deserializer = _lenient(handler.request_deserializer)
        serializer = handler.response_serializer
        if handler.unary_unary or handler.unary_stream:
            inner = handler.unary_unary or handler.unary_stream
            assert inner is not None  # narrowed by the `if`, which mypy cannot see through `or`

            def behaviour(
                request: Req | Undecodable, context: grpc.ServicerContext
            ) -> Resp | Iterator[Resp]:
                if isinstance(request, Undecodable):
                    _refuse(context, method, request)
                return inner(request, context)

            make = (
                grpc.unary_unary_rpc_method_handler
                if handler.unary_unary
                else grpc.unary_stream_rpc_method_handler
            )
            return make(
                behaviour, request_deserializer=deserializer, response_serializer=serializer
            )
        inner_stream = handler.stream_unary or handler.stream_stream
        assert inner_stream is not None  # a handler has one of the four

        def stream_behaviour(
            requests: Iterator[Req | Undecodable], context: grpc.ServicerContext
        ) -> Resp | Iterator[Resp]:
            return inner_stream(_checked_stream(requests, context, method), context)

        make_stream = (
            grpc.stream_unary_rpc_method_handler
            if handler.stream_unary
            else grpc.stream_stream_rpc_method_handler
        )
        return make_stream(
            stream_behaviour, request_deserializer=deserializer, response_serializer=serializer
        )
