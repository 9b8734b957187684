"""SEC-04: no number of open streams stops the server answering others or its health check;
streams beyond the caps (in all, per User) are refused at once, naming the cap."""

from __future__ import annotations

import time

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from dccsim.server.core.fleet import SUPPLIER_A, SUPPLIER_B
from dccsim.server.rpc.limits import Limits
from dccsim.v1 import control_pb2, control_pb2_grpc, supplier_pb2, supplier_pb2_grpc
from tests.conftest import example_dsp

pytestmark = pytest.mark.spec("SEC-04")

# More streams than the default worker pool (64), the number that stopped the server before.
STREAMS = 100


def settle(calls: list, seconds: float = 3.0) -> None:
    """Wait until each refused call has ended (the held ones stay open)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.2)
        if sum(c.done() for c in calls) >= len(calls) - Limits().max_streams:
            return


def test_streams_beyond_the_pool_leave_unary_calls_and_the_health_check_answered(start):
    server = start(example_dsp)  # the default limits: the 64 workers `dccsim serve` has
    limits = Limits()
    with grpc.insecure_channel(f"127.0.0.1:{server.port}") as channel:
        supplier = supplier_pb2_grpc.SupplierServiceStub(channel)
        control = control_pb2_grpc.ControlServiceStub(channel)
        users = (SUPPLIER_A, SUPPLIER_B)
        calls = [
            control.StreamEvents(control_pb2.StreamEventsRequest())
            if i % 3 == 0
            else supplier.Subscribe(supplier_pb2.SubscribeRequest(user_id=users[i % 2]))
            for i in range(STREAMS)
        ]
        try:
            settle(calls)
            refused = [c for c in calls if c.done()]
            codes = {c.code() for c in refused}
            assert codes == {grpc.StatusCode.RESOURCE_EXHAUSTED}, codes
            assert len(refused) == STREAMS - limits.max_streams
            assert any("streams are open" in c.details() for c in refused)
            # The streams hold their workers; the health check and a unary call still answer.
            health = health_pb2_grpc.HealthStub(channel)
            for _ in range(3):
                began = time.monotonic()
                status = health.Check(health_pb2.HealthCheckRequest(), timeout=1).status
                assert status == health_pb2.HealthCheckResponse.SERVING
                assert time.monotonic() - began < 1.0
            ack = supplier.Acknowledge(
                supplier_pb2.AcknowledgeRequest(user_id=SUPPLIER_A), timeout=1
            )
            assert ack.removed == 0
        finally:
            for call in calls:
                call.cancel()
        # Cancelled streams give their slots back.
        deadline = time.monotonic() + 5
        while True:
            again = supplier.Subscribe(supplier_pb2.SubscribeRequest(user_id=SUPPLIER_B))
            time.sleep(0.3)
            if not again.done() or time.monotonic() > deadline:
                break
        assert not again.done(), again.details()
        again.cancel()


def test_one_user_may_hold_only_its_own_share_of_the_streams(start):
    limits = Limits(max_streams_per_user=3)
    server = start(example_dsp, limits=limits)
    with grpc.insecure_channel(f"127.0.0.1:{server.port}") as channel:
        supplier = supplier_pb2_grpc.SupplierServiceStub(channel)
        calls = [
            supplier.Subscribe(supplier_pb2.SubscribeRequest(user_id=SUPPLIER_A)) for _ in range(4)
        ]
        time.sleep(1.0)
        try:
            refused = [c for c in calls if c.done()]
            assert len(refused) == 1
            assert refused[0].code() is grpc.StatusCode.RESOURCE_EXHAUSTED
            assert SUPPLIER_A in refused[0].details()
            # Another User is not held up by A's streams.
            other = supplier.Subscribe(supplier_pb2.SubscribeRequest(user_id=SUPPLIER_B))
            time.sleep(0.5)
            assert not other.done()
            other.cancel()
        finally:
            for call in calls:
                call.cancel()


def test_limits_refuse_a_stream_cap_that_would_take_every_worker():
    with pytest.raises(ValueError, match="must leave"):
        Limits(workers=8, max_streams=8)
    with pytest.raises(ValueError, match="at least 1"):
        Limits(max_batch_requests=0)
