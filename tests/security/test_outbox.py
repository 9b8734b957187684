"""SEC-04: a User's unacknowledged outbox is bounded — at its limit, new Service Requests are
refused with E1003 (consuming nothing) until it acknowledges — and outbox sequences only grow,
across Reset and LoadFleet, so a connected subscriber misses nothing."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from dccsim.clients.client import Client
from dccsim.server.core.codes import OUTBOX_FULL
from dccsim.server.core.fleet import SUPPLIER_A
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.outbox import Outbox
from dccsim.server.core.requests import ReadFirmwareVersion, RequestId, ServiceRequest
from dccsim.server.rpc.limits import Limits
from dccsim.v1 import supplier_pb2
from tests.conftest import ESME, example_dsp

pytestmark = pytest.mark.spec("SEC-04")

EXAMPLE_FLEET = Path(__file__).resolve().parents[2] / "examples" / "fleet.yaml"


def read(counter: int) -> supplier_pb2.SubmitRequest:
    return supplier_pb2.SubmitRequest(
        request_id=f"{SUPPLIER_A}:{ESME}:{counter}",
        service_reference_variant="11.2",
        command_variant=1,
        read_firmware_version=supplier_pb2.ReadFirmwareVersion(),
    )


def read_firmware_version(counter: int) -> ServiceRequest:
    return ServiceRequest(
        RequestId(SUPPLIER_A, ESME, counter),
        "11.2",
        CommandVariant.NON_CRITICAL_REMOTE,
        ReadFirmwareVersion(),
    )


def test_a_full_outbox_refuses_new_requests_until_acknowledged():
    dsp = example_dsp()
    dsp.state.outboxes.limit = 2
    assert dsp.submit(read_firmware_version(1)).code == "I99"
    assert dsp.submit(read_firmware_version(2)).code == "I99"
    assert len(dsp.pending(SUPPLIER_A)) == 2
    refused = dsp.submit(read_firmware_version(3))
    assert refused.code == OUTBOX_FULL == "E1003"
    assert "2 unacknowledged" in refused.detail
    assert len(dsp.pending(SUPPLIER_A)) == 2
    assert dsp.counters[(SUPPLIER_A, ESME)] == 2  # counter 3 not consumed
    dsp.acknowledge(SUPPLIER_A, up_to=1)
    assert dsp.submit(read_firmware_version(3)).code == "I99"


def test_the_server_applies_its_outbox_limit_and_answers_e1003(start):
    server = start(example_dsp, max_workers=8, limits=Limits(outbox_per_user=3))
    with Client(f"127.0.0.1:{server.port}") as client:
        codes = [client.submit(read(counter)).code for counter in range(1, 6)]
        assert codes == ["I99", "I99", "I99", "E1003", "E1003"]
        client.acknowledge(SUPPLIER_A, 3)
        assert client.submit(read(6)).code == "I99"
        # A Reset keeps the server's limit (a setting, not state).
        client.reset()
        codes = [client.submit(read(counter)).code for counter in range(1, 5)]
        assert codes == ["I99", "I99", "I99", "E1003"]


def test_a_new_dsp_continues_each_users_numbering():
    box = Outbox(SUPPLIER_A)
    box.continue_after(7)
    assert (box.last_sequence, box.acknowledged) == (7, 7)
    box.acknowledge(7)  # a stale acknowledgement of the old numbering is harmless
    box.continue_after(3)  # never backwards
    assert box.last_sequence == 7


@pytest.mark.parametrize("change", ["reset", "load_fleet"])
def test_a_connected_subscriber_gets_the_new_dsps_messages_after_reset_or_load_fleet(start, change):
    server = start(example_dsp, max_workers=8)
    received: list[int] = []
    arrived = threading.Condition()
    with Client(f"127.0.0.1:{server.port}") as client:
        assert client.submit(read(1)).code == "I99"
        assert client.submit(read(2)).code == "I99"

        def follow() -> None:
            for delivery in client.deliveries(SUPPLIER_A, timeout=20):
                with arrived:
                    received.append(delivery.sequence)
                    arrived.notify_all()

        def wait_for(count: int) -> None:
            with arrived:
                assert arrived.wait_for(lambda: len(received) >= count, timeout=10), received

        reader = threading.Thread(target=follow, daemon=True)
        reader.start()
        wait_for(2)
        if change == "reset":
            client.reset()
        else:
            client.load_fleet(EXAMPLE_FLEET.read_text())
        assert client.submit(read(1)).code == "I99"  # a fresh DSP: counters start again
        wait_for(3)
        server.host.stop()  # ends the stream
        reader.join(timeout=10)
    assert received[:3] == [1, 2, 3]
