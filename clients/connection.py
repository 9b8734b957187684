"""How a client reaches a dccsim server (SEC-01, SEC-02): plaintext, TLS, or mutual TLS with a
User's (or the operator's) client certificate, and the operator token for the control API."""

from __future__ import annotations

from collections.abc import AsyncIterable, Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import grpc
import grpc.aio

# What the server reads (dccsim.server.rpc.security): `authorization: Bearer <token>`.
TOKEN_METADATA = "authorization"
TOKEN_SCHEME = "Bearer "

# A call's request and response messages, and what a sync interceptor's continuation returns.
Req = TypeVar("Req")
Resp = TypeVar("Resp")
Out = TypeVar("Out")


@dataclass(frozen=True, slots=True)
class ClientSecurity:
    """A client's credentials. `ca`: the CA (PEM) the server's certificate is checked against;
    giving it turns TLS on. `certificate` / `private_key` (PEM): the client certificate for
    mutual TLS (a User's binds the client to that User). `operator_token`: sent with every call,
    for servers that guard their control API with one. `server_name`: the name the server's
    certificate must carry, when the address does not (e.g. an IP address)."""

    ca: bytes | None = None
    certificate: bytes | None = None
    private_key: bytes | None = None
    operator_token: str | None = None
    server_name: str | None = None

    def __post_init__(self) -> None:
        if (self.certificate is None) != (self.private_key is None):
            raise ValueError("a client certificate needs its private key, and the key its cert")
        if self.certificate is not None and self.ca is None:
            raise ValueError("a client certificate needs TLS: give the server's CA too")

    @classmethod
    def from_files(
        cls,
        *,
        ca: Path | None = None,
        certificate: Path | None = None,
        private_key: Path | None = None,
        operator_token: str | None = None,
        server_name: str | None = None,
    ) -> ClientSecurity:
        def read(path: Path | None) -> bytes | None:
            return None if path is None else path.read_bytes()

        return cls(read(ca), read(certificate), read(private_key), operator_token, server_name)

    @property
    def tls(self) -> bool:
        return self.ca is not None

    def channel_credentials(self) -> grpc.ChannelCredentials:
        return grpc.ssl_channel_credentials(
            root_certificates=self.ca,
            private_key=self.private_key,
            certificate_chain=self.certificate,
        )

    def options(self) -> list[tuple[str, Any]]:
        if self.server_name is None:
            return []
        return [("grpc.ssl_target_name_override", self.server_name)]

    def metadata(self) -> tuple[tuple[str, str], ...]:
        if self.operator_token is None:
            return ()
        return ((TOKEN_METADATA, TOKEN_SCHEME + self.operator_token),)


def open_channel(target: str, security: ClientSecurity | None = None) -> grpc.Channel:
    security = security or ClientSecurity()
    if security.tls:
        channel = grpc.secure_channel(
            target, security.channel_credentials(), options=security.options()
        )
    else:
        channel = grpc.insecure_channel(target)
    metadata = security.metadata()
    if metadata:
        channel = grpc.intercept_channel(channel, _Metadata(metadata))
    return channel


def open_aio_channel(target: str, security: ClientSecurity | None = None) -> grpc.aio.Channel:
    security = security or ClientSecurity()
    interceptors = [_AioMetadata(security.metadata())] if security.metadata() else None
    if security.tls:
        return grpc.aio.secure_channel(
            target,
            security.channel_credentials(),
            options=security.options(),
            interceptors=interceptors,
        )
    return grpc.aio.insecure_channel(target, interceptors=interceptors)


class _ClientCallDetails(grpc.ClientCallDetails):
    def __init__(
        self, details: grpc.ClientCallDetails, metadata: tuple[tuple[str, str | bytes], ...]
    ) -> None:
        self.method = details.method
        self.timeout = details.timeout
        self.metadata = metadata
        self.credentials = details.credentials
        self.wait_for_ready = getattr(details, "wait_for_ready", None)
        self.compression = getattr(details, "compression", None)


class _Metadata(
    grpc.UnaryUnaryClientInterceptor,
    grpc.UnaryStreamClientInterceptor,
    grpc.StreamUnaryClientInterceptor,
    grpc.StreamStreamClientInterceptor,
):
    """Adds fixed metadata (the operator token) to every call."""

    def __init__(self, metadata: tuple[tuple[str, str], ...]) -> None:
        self._metadata = metadata

    def _details(self, details: grpc.ClientCallDetails) -> grpc.ClientCallDetails:
        return _ClientCallDetails(details, (*(details.metadata or ()), *self._metadata))

    # Each continuation's result (a call future or iterator) goes back as it came.
    def intercept_unary_unary(
        self,
        continuation: Callable[[grpc.ClientCallDetails, Req], Out],
        client_call_details: grpc.ClientCallDetails,
        request: Req,
    ) -> Out:
        return continuation(self._details(client_call_details), request)

    def intercept_stream_unary(
        self,
        continuation: Callable[[grpc.ClientCallDetails, Iterator[Req]], Out],
        client_call_details: grpc.ClientCallDetails,
        request_iterator: Iterator[Req],
    ) -> Out:
        return continuation(self._details(client_call_details), request_iterator)

    # The same bodies: a call is a call, whichever way its messages stream.
    intercept_unary_stream = intercept_unary_unary
    intercept_stream_stream = intercept_stream_unary


class _AioMetadata(
    grpc.aio.UnaryUnaryClientInterceptor,
    grpc.aio.UnaryStreamClientInterceptor,
    grpc.aio.StreamUnaryClientInterceptor,
    grpc.aio.StreamStreamClientInterceptor,
):
    def __init__(self, metadata: tuple[tuple[str, str], ...]) -> None:
        self._metadata = metadata

    def _details(self, details: grpc.aio.ClientCallDetails) -> grpc.aio.ClientCallDetails:
        metadata = grpc.aio.Metadata(*(details.metadata or ()), *self._metadata)
        return grpc.aio.ClientCallDetails(
            details.method, details.timeout, metadata, details.credentials, details.wait_for_ready
        )

    async def intercept_unary_unary(
        self,
        continuation: Callable[
            [grpc.aio.ClientCallDetails, Req], Awaitable[grpc.aio.UnaryUnaryCall[Req, Resp]]
        ],
        details: grpc.aio.ClientCallDetails,
        request: Req,
    ) -> grpc.aio.UnaryUnaryCall[Req, Resp]:
        return await continuation(self._details(details), request)

    async def intercept_unary_stream(
        self,
        continuation: Callable[
            [grpc.aio.ClientCallDetails, Req], Awaitable[grpc.aio.UnaryStreamCall[Req, Resp]]
        ],
        details: grpc.aio.ClientCallDetails,
        request: Req,
    ) -> grpc.aio.UnaryStreamCall[Req, Resp]:
        return await continuation(self._details(details), request)

    async def intercept_stream_unary(
        self,
        continuation: Callable[
            [grpc.aio.ClientCallDetails, AsyncIterable[Req] | Iterable[Req]],
            Awaitable[grpc.aio.StreamUnaryCall[Req, Resp]],
        ],
        details: grpc.aio.ClientCallDetails,
        request_iterator: AsyncIterable[Req] | Iterable[Req],
    ) -> grpc.aio.StreamUnaryCall[Req, Resp]:
        return await continuation(self._details(details), request_iterator)

    async def intercept_stream_stream(
        self,
        continuation: Callable[
            [grpc.aio.ClientCallDetails, AsyncIterable[Req] | Iterable[Req]],
            Awaitable[grpc.aio.StreamStreamCall[Req, Resp]],
        ],
        details: grpc.aio.ClientCallDetails,
        request_iterator: AsyncIterable[Req] | Iterable[Req],
    ) -> grpc.aio.StreamStreamCall[Req, Resp]:
        return await continuation(self._details(details), request_iterator)
