"""A sample of the fuzz inputs through a real gRPC server on a loopback port (BAD-01, BAD-02):
what the direct fuzzers show of the servicers holds on the wire too -- serialisation, status
codes with their google.rpc.BadRequest details, and a server that keeps serving. Before each
input, ControlService.Reset puts the seasoned DSP back."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import grpc
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dccsim.server.core.dsp import Dsp
from dccsim.server.core.fingerprint import fingerprint
from dccsim.server.rpc.app import RunningServer, start_server
from dccsim.v1 import control_pb2, control_pb2_grpc, duis_pb2, duis_pb2_grpc, supplier_pb2_grpc
from tests.fuzz.duis_inputs import mutated_template, noise
from tests.fuzz.harness import (
    SENT,
    Answer,
    assert_unchanged,
    check_error,
    fuzz_settings,
    seasoned_dsp,
)
from tests.fuzz.test_duis_fuzz import _documents, read_duis_answer
from tests.fuzz.test_typed_fuzz import read_submit_response
from tests.fuzz.typed_inputs import submit_request


def _seasoned() -> Dsp:
    return seasoned_dsp().dsp


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    running = start_server(_seasoned, max_workers=8)
    yield running
    running.stop(grace=None)


@pytest.fixture(scope="module")
def channel(server: RunningServer) -> Iterator[grpc.Channel]:
    with grpc.insecure_channel(f"127.0.0.1:{server.port}") as channel:
        yield channel


def _over_the_wire(
    target: str,
    server: RunningServer,
    channel: grpc.Channel,
    call: Callable[[], object],
    read: Callable[[object], Answer],
) -> None:
    control_pb2_grpc.ControlServiceStub(channel).Reset(control_pb2.ResetRequest(), timeout=10)
    SENT[target] += 1
    host = server.host
    with host.lock:
        before = fingerprint(host.dsp)
    try:
        answer = call()
    except grpc.RpcError as error:
        check_error(error.code(), error.details(), tuple(error.trailing_metadata() or ()))
        with host.lock:
            assert_unchanged(host.dsp, before)
        return
    said = read(answer)
    if said.rejected:
        with host.lock:
            assert_unchanged(host.dsp, before)


@pytest.mark.spec("BAD-01", "BAD-02")
@fuzz_settings(share=0.1)
@given(request=submit_request())
def test_typed_submit_over_grpc(
    server: RunningServer, channel: grpc.Channel, request: object
) -> None:
    stub = supplier_pb2_grpc.SupplierServiceStub(channel)
    _over_the_wire(
        "grpc: typed Submit",
        server,
        channel,
        lambda: stub.Submit(request, timeout=10),
        read_submit_response,
    )


# The synthetic documents and the signed leg are there even without ../shared's templates.
duis_documents = st.one_of(mutated_template(_documents()), noise)


@pytest.mark.spec("BAD-01", "BAD-02")
@fuzz_settings(share=0.1)
@given(data=duis_documents)
def test_duis_submit_over_grpc(server: RunningServer, channel: grpc.Channel, data: bytes) -> None:
    stub = duis_pb2_grpc.DuisGatewayStub(channel)
    _over_the_wire(
        "grpc: DUIS Submit",
        server,
        channel,
        lambda: stub.Submit(duis_pb2.DuisDocument(xml=data), timeout=10),
        read_duis_answer,
    )
