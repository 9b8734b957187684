"""The raw baseline for `dccsim bench`: an EchoService that answers every call with a pre-built
response and does no work, served exactly as `dccsim serve` serves the simulator (the same
thread pool, worker count and channel options, with health checking and reflection beside it),
so the difference between the two is what dccsim itself costs.

    python -m dccsim.bench.echo --port 0 [--processes 2]

prints `echo serving on HOST:PORT pids PID[,PID...]` once every process is ready to take calls.
With `--processes N` (N > 1) it follows grpc's own multiprocessing example: the parent reserves
the port with SO_REUSEPORT, then forks N children before any gRPC server exists, and each child
binds its own server to that port with `grpc.so_reuseport`, so the kernel spreads connections
between them.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import multiprocessing
import os
import signal
import socket
import sys
import threading
from collections.abc import Iterator
from concurrent import futures
from multiprocessing.connection import Connection

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from dccsim.bench.v1 import echo_pb2, echo_pb2_grpc
from dccsim.server.rpc.limits import Limits
from dccsim.v1 import supplier_pb2

# Set up as `dccsim serve` sets up its server, by default.
DEFAULT_WORKERS = Limits().workers
MAX_MESSAGE_BYTES = Limits().max_message_bytes
SERVICE_NAME = echo_pb2.DESCRIPTOR.services_by_name["EchoService"].full_name

# What the simulator answers to an 11.2 Read Firmware Version: an I99 acknowledgement naming the
# request. The same size on the wire, so the baseline serialises as many bytes as dccsim does.
_ANSWER = supplier_pb2.SubmitResponse(
    request_id="90-B3-D5-1F-30-01-00-00:00-DB-01-00-00-00-00-2A:1763700000000",
    service_reference_variant="11.2",
    response_code="I99",
)
_RESULT = supplier_pb2.SubmitResult(response=_ANSWER)
READY_SECONDS = 30.0


class EchoService(echo_pb2_grpc.EchoServiceServicer):
    def __init__(self) -> None:
        # One pre-built batch answer per batch size seen; building it is the only work, once.
        self._batches: dict[int, supplier_pb2.SubmitBatchResponse] = {}

    def Echo(
        self, request: supplier_pb2.SubmitRequest, context: grpc.ServicerContext
    ) -> supplier_pb2.SubmitResponse:
        return _ANSWER

    def EchoStream(
        self, request_iterator: Iterator[supplier_pb2.SubmitRequest], context: grpc.ServicerContext
    ) -> Iterator[supplier_pb2.SubmitResult]:
        for _ in request_iterator:
            yield _RESULT

    def EchoBatch(
        self, request: supplier_pb2.SubmitBatchRequest, context: grpc.ServicerContext
    ) -> supplier_pb2.SubmitBatchResponse:
        size = len(request.requests)
        answer = self._batches.get(size)
        if answer is None:
            answer = self._batches[size] = supplier_pb2.SubmitBatchResponse(
                results=[_RESULT] * size
            )
        return answer


def start_echo_server(
    address: str = "127.0.0.1:0",
    *,
    max_workers: int = DEFAULT_WORKERS,
    reuse_port: bool = False,
) -> tuple[grpc.Server, int]:
    """Start an echo server set up as `dccsim.server.rpc.app.start_server` sets up dccsim's."""
    options = [
        ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
        ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
    ]
    if reuse_port:
        options.append(("grpc.so_reuseport", 1))
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="dccsim-rpc"),
        options=options,
    )
    echo_pb2_grpc.add_EchoServiceServicer_to_server(EchoService(), server)
    health_servicer = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    reflection.enable_server_reflection(
        (SERVICE_NAME, health.SERVICE_NAME, reflection.SERVICE_NAME), server
    )
    port = server.add_insecure_port(address)
    if port == 0:
        raise OSError(f"cannot listen on {address}")
    server.start()
    for name in (SERVICE_NAME, ""):
        health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    return server, port


def _wait_for_signal() -> None:
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda _signum, _frame: stop.set())
    stop.wait()


@contextlib.contextmanager
def _reserved_port(host: str, port: int) -> Iterator[int]:
    """Hold `port` (a free one if 0) with SO_REUSEPORT while the children bind it too."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    if sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 0:
        raise OSError("SO_REUSEPORT is not available")
    sock.bind((host, port))
    try:
        yield sock.getsockname()[1]
    finally:
        sock.close()


def _die_with_parent() -> None:
    """Linux: SIGTERM this process when its parent dies, however it dies."""
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # 1: PR_SET_PDEATHSIG


def _child(address: str, ready: Connection) -> None:
    _die_with_parent()
    server, _port = start_echo_server(address, reuse_port=True)
    ready.send(os.getpid())
    ready.close()
    _wait_for_signal()
    server.stop(None)


def serve(host: str, port: int, processes: int) -> None:
    if processes == 1:
        server, bound = start_echo_server(f"{host}:{port}")
        print(f"echo serving on {host}:{bound} pids {os.getpid()}", flush=True)
        _wait_for_signal()
        server.stop(None)
        return
    # Fork before this process touches gRPC's core: a forked gRPC server is not supported.
    context = multiprocessing.get_context("fork")
    with _reserved_port(host, port) as bound:
        children, pids = [], []
        for _ in range(processes):
            receive, send = context.Pipe(duplex=False)
            child = context.Process(target=_child, args=(f"{host}:{bound}", send), daemon=True)
            child.start()
            send.close()
            children.append(child)
            try:  # the child sends its pid once its server is bound and started
                if not receive.poll(READY_SECONDS):
                    raise EOFError
                pids.append(receive.recv())
            except EOFError:
                raise SystemExit(f"echo child {child.pid} did not start") from None
        print(
            f"echo serving on {host}:{bound} pids {','.join(map(str, pids))}",
            flush=True,
        )
        _wait_for_signal()
        for child in children:
            child.terminate()  # SIGTERM: each child stops its server
        for child in children:
            child.join(timeout=5)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m dccsim.bench.echo", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument(
        "--processes", type=int, default=1, help="server processes sharing the port"
    )
    args = parser.parse_args(argv)
    if args.processes < 1:
        parser.error("--processes must be at least 1")
    serve(args.host, args.port, args.processes)


if __name__ == "__main__":
    main()
