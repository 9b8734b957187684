"""A dccsim gRPC server in this process, on a loopback port, with the example fleet."""

from __future__ import annotations

from collections.abc import Iterator

import grpc
import pytest

from dccsim.server.rpc.app import RunningServer, start_server
from dccsim.v1 import control_pb2_grpc, supplier_pb2_grpc
from tests.conftest import example_dsp


@pytest.fixture
def server() -> Iterator[RunningServer]:
    running = start_server(example_dsp, max_workers=16)
    yield running
    running.stop(grace=None)


@pytest.fixture
def channel(server: RunningServer) -> Iterator[grpc.Channel]:
    with grpc.insecure_channel(f"127.0.0.1:{server.port}") as channel:
        yield channel


@pytest.fixture
def supplier(channel: grpc.Channel) -> supplier_pb2_grpc.SupplierServiceStub:
    return supplier_pb2_grpc.SupplierServiceStub(channel)


@pytest.fixture
def control(channel: grpc.Channel) -> control_pb2_grpc.ControlServiceStub:
    return control_pb2_grpc.ControlServiceStub(channel)
