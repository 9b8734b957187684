"""What one server will hold for its clients (SPEC SEC-04), and the interceptor that keeps
streams from taking the workers every other call needs.

Each open streaming call (Subscribe, SubscribeBatches, SubmitStream, StreamEvents, ExportKeys,
DUIS Subscribe, health Watch, reflection) holds one of the server's worker threads for as long as
it is open. Streams are capped below the number of workers, in all and per User, so whatever
number of streams clients try to open, `reserved_workers` stay free for unary calls and the health
check; a stream beyond a cap is refused at once with RESOURCE_EXHAUSTED naming the cap, and
nothing else changes. Bounds that live elsewhere are listed in the README's Security section:
the unacknowledged outbox (core/outbox.py), fleet size (core/fleet_file.py), DUIS parse cost
(duis/safe.py).
"""

from __future__ import annotations

import logging
import resource
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import grpc

from dccsim.server.core.errors import InvalidField
from dccsim.server.core.eui import parse_eui64
from dccsim.server.core.fleet_file import DEFAULT_MAX_DEVICES
from dccsim.server.core.outbox import DEFAULT_OUTBOX_LIMIT
from dccsim.server.rpc.handlers import checked_first

log = logging.getLogger("dccsim.limits")

MIB = 1024 * 1024
# Methods whose stream follows one User's outbox: counted against that User's cap.
_USER_STREAMS = frozenset(
    {
        "/dccsim.v1.SupplierService/Subscribe",
        "/dccsim.v1.SupplierService/SubscribeBatches",
        "/dccsim.v1.DuisGateway/Subscribe",
    }
)
# Fields whose size is bounded below the message's own bound: what they cost to parse grows far
# faster than their size (YAML: about 1 MB/s and tens of bytes of memory per byte).
_FIELD_LIMITS: dict[str, tuple[str, str]] = {
    "/dccsim.v1.ControlService/LoadFleet": ("fleet_yaml", "max_fleet_yaml_bytes"),
}


@dataclass(frozen=True, slots=True)
class Limits:
    """The server's bounds; each default is safe for a developer's machine and far above what
    dccsim's own load tests use."""

    # Worker threads for gRPC calls: a unary call holds one while it runs, a stream while open.
    workers: int = 64
    # Open streaming calls, in all: at most workers - reserved_workers.
    max_streams: int = 48
    # Open streams that follow one User's outbox (Subscribe, SubscribeBatches, DUIS Subscribe).
    max_streams_per_user: int = 8
    # Client connections at once; more are refused by gRPC (the file-descriptor limit is raised
    # to fit, where the system allows).
    max_connections: int = 256
    # A connection with no call for this long is closed (the client reconnects when it calls).
    idle_connection_seconds: float = 300.0
    # The largest gRPC message either way: a DUIS FirmwareImage is 7.68 MB (10,240,000 base64
    # characters), and a SubmitBatch may carry many requests.
    max_message_bytes: int = 16 * MIB
    # LoadFleet's YAML, and the devices it may list and generate (counted before any is made).
    max_fleet_yaml_bytes: int = 8 * MIB
    max_fleet_devices: int = DEFAULT_MAX_DEVICES
    # SubmitBatch's requests in one call (each runs under the DSP's lock, so one huge batch
    # would hold every other caller up for seconds).
    max_batch_requests: int = 10_000
    # Unacknowledged messages per User before its new Service Requests are refused (E1003).
    outbox_per_user: int = DEFAULT_OUTBOX_LIMIT

    def __post_init__(self) -> None:
        for name in (
            "workers",
            "max_streams",
            "max_streams_per_user",
            "max_connections",
            "max_message_bytes",
            "max_fleet_yaml_bytes",
            "max_fleet_devices",
            "max_batch_requests",
            "outbox_per_user",
        ):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if self.max_streams > self.workers - MIN_RESERVED_WORKERS:
            raise ValueError(
                f"max_streams ({self.max_streams}) must leave at least {MIN_RESERVED_WORKERS} of "
                f"the {self.workers} workers for unary calls and the health check"
            )
        if self.idle_connection_seconds <= 0:
            raise ValueError("idle_connection_seconds must be positive")

    @property
    def reserved_workers(self) -> int:
        return self.workers - self.max_streams

    def grpc_options(self) -> list[tuple[str, Any]]:
        return [
            ("grpc.max_receive_message_length", self.max_message_bytes),
            ("grpc.max_send_message_length", self.max_message_bytes),
            ("grpc.max_allowed_incoming_connections", self.max_connections),
            ("grpc.max_connection_idle_ms", int(self.idle_connection_seconds * 1000)),
        ]


MIN_RESERVED_WORKERS = 2
# Descriptors beyond the connections: the state file, its WAL, the HTTP side, logs, sockets.
_SPARE_DESCRIPTORS = 128


def fit_file_limit(connections: int) -> int:
    """Raise the process's open-file soft limit (up to its hard limit) so `connections` and
    the server's own files fit; return the soft limit in force. A limit that cannot be raised
    far enough is logged: the connection cap then meets it first."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connections + _SPARE_DESCRIPTORS
    if soft != resource.RLIM_INFINITY and soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError) as error:
            log.warning("cannot raise the open-file limit from %d: %s", soft, error)
        if soft < wanted:
            log.warning(
                "the open-file limit (%d) is below %d connections plus the server's own files: "
                "lower max_connections or raise the limit (ulimit -n)",
                soft,
                connections,
            )
    return soft


class StreamSlots:
    """Counts open streams, in all and per User (thread-safe)."""

    def __init__(self, total: int, per_user: int) -> None:
        self._total = total
        self._per_user = per_user
        self._lock = threading.Lock()
        self._open = 0
        self._by_user: Counter[str] = Counter()

    @property
    def open(self) -> int:
        with self._lock:
            return self._open

    def acquire(self, user: str | None) -> str | None:
        """Take a slot; or return why not (nothing taken)."""
        with self._lock:
            if self._open >= self._total:
                return (
                    f"{self._total} streams are open, the most this server holds at once "
                    "(SEC-04); close one or try later"
                )
            if user is not None and self._by_user[user] >= self._per_user:
                return (
                    f"{user} has {self._per_user} streams open, the most one User may hold (SEC-04)"
                )
            self._open += 1
            if user is not None:
                self._by_user[user] += 1
            return None

    def release(self, user: str | None) -> None:
        with self._lock:
            self._open -= 1
            if user is not None:
                self._by_user[user] -= 1
                if not self._by_user[user]:
                    del self._by_user[user]


# A method's request and response messages: the interceptor wraps every method's handler.
Req = TypeVar("Req")
Resp = TypeVar("Resp")


class LimitsInterceptor(grpc.ServerInterceptor):
    """Caps open streams (see the module's note) and bounds request fields' sizes."""

    def __init__(self, limits: Limits) -> None:
        self._limits = limits
        self.slots = StreamSlots(limits.max_streams, limits.max_streams_per_user)

    def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], grpc.RpcMethodHandler[Req, Resp] | None],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler[Req, Resp] | None:
        handler = continuation(handler_call_details)
        if handler is None:
            return None
        method = handler_call_details.method
        if handler.unary_stream:
            return self._counted_unary_stream(handler, method)
        if handler.stream_stream or handler.stream_unary:
            return self._counted_request_stream(handler)
        if method in _FIELD_LIMITS:
            field, setting = _FIELD_LIMITS[method]
            return _bounded_field(handler, field, getattr(self._limits, setting), setting)
        if method == "/dccsim.v1.SupplierService/SubmitBatch":
            return _bounded_batch(handler, self._limits.max_batch_requests)
        return handler

    def _hold(self, context: grpc.ServicerContext, user: str | None) -> None:
        refusal = self.slots.acquire(user)
        if refusal is not None:
            context.abort(grpc.StatusCode.RESOURCE_EXHAUSTED, refusal)
        # Released however the call ends: finished, cancelled, failed, or never iterated.
        if not context.add_callback(lambda: self.slots.release(user)):
            self.slots.release(user)

    def _counted_unary_stream(
        self, handler: grpc.RpcMethodHandler[Req, Resp], method: str
    ) -> grpc.RpcMethodHandler[Req, Resp]:
        per_user = method in _USER_STREAMS

        def hold(request: Any, context: grpc.ServicerContext) -> None:
            self._hold(context, _stream_user(request) if per_user else None)

        return checked_first(handler, hold)

    def _counted_request_stream(
        self, handler: grpc.RpcMethodHandler[Req, Resp]
    ) -> grpc.RpcMethodHandler[Req, Resp]:
        return checked_first(handler, lambda _requests, context: self._hold(context, None))


def _stream_user(request: Any) -> str | None:
    try:
        return parse_eui64(request.user_id, "user_id")
    except InvalidField:
        return None  # the servicer refuses it at once


def _bounded_field(
    handler: grpc.RpcMethodHandler[Req, Resp], field: str, most: int, setting: str
) -> grpc.RpcMethodHandler[Req, Resp]:
    def check(request: Req, context: grpc.ServicerContext) -> None:
        size = len(getattr(request, field))
        if size > most:
            context.abort(
                grpc.StatusCode.INVALID_ARGUMENT,
                f"{field}: {size:,} bytes is more than {most:,} ({setting}, SEC-04)",
            )

    return checked_first(handler, check)


def _bounded_batch(
    handler: grpc.RpcMethodHandler[Req, Resp], most: int
) -> grpc.RpcMethodHandler[Req, Resp]:
    # Any: SubmitBatch's request (a SubmitBatchRequest), which the handler's type leaves open.
    def check(request: Any, context: grpc.ServicerContext) -> None:
        count = len(request.requests)
        if count > most:
            context.abort(
                grpc.StatusCode.INVALID_ARGUMENT,
                f"requests: {count:,} in one batch is more than {most:,} (max_batch_requests, "
                "SEC-04); send several batches",
            )

    return checked_first(handler, check)
