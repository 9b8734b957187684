"""The interceptors' one tool: a method handler that runs a check before the servicer's.

The security and limits interceptors both refuse a call before the servicer sees it (by
aborting the context); this wraps a handler of any of gRPC's four shapes that way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import grpc

Req = TypeVar("Req")
Resp = TypeVar("Resp")
# The request (None for a request stream, which the check does not read) and the context; a
# check refuses by aborting the context. Any: the handler's request type is chosen per method.
Check = Callable[[Any, grpc.ServicerContext], object]


def checked_first(
    handler: grpc.RpcMethodHandler[Req, Resp], check: Check
) -> grpc.RpcMethodHandler[Req, Resp]:
    """The handler, running `check(request, context)` first (it aborts to refuse)."""
    if handler.unary_unary:
        inner_uu = handler.unary_unary

        def unary_unary(request: Req, context: grpc.ServicerContext) -> Resp:
            check(request, context)
            return inner_uu(request, context)

        return grpc.unary_unary_rpc_method_handler(
            unary_unary,
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )
    if handler.unary_stream:
        inner_us = handler.unary_stream

        def unary_stream(request: Req, context: grpc.ServicerContext) -> Iterator[Resp]:
            check(request, context)
            return inner_us(request, context)

        return grpc.unary_stream_rpc_method_handler(
            unary_stream,
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )
    # Control request streams: none today; the check sees no request.
    if handler.stream_unary:
        inner_su = handler.stream_unary

        def stream_unary(requests: Iterator[Req], context: grpc.ServicerContext) -> Resp:
            check(None, context)
            return inner_su(requests, context)

        return grpc.stream_unary_rpc_method_handler(
            stream_unary,
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )
    inner_ss = handler.stream_stream
    assert inner_ss is not None  # a handler has one of the four

    def stream_stream(requests: Iterator[Req], context: grpc.ServicerContext) -> Iterator[Resp]:
        check(None, context)
        return inner_ss(requests, context)

    return grpc.stream_stream_rpc_method_handler(
        stream_stream,
        request_deserializer=handler.request_deserializer,
        response_serializer=handler.response_serializer,
    )
