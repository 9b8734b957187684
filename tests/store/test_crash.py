"""Crash safety: `dccsim serve` killed with SIGKILL under load, at random moments, several times.

After each restart: every acknowledged request has had its effect exactly once; every response
queued for the user is delivered (a redelivery is only of what was not acknowledged, under the
same sequence number and with the same content); no RequestID counter can be used twice.
"""

from __future__ import annotations

import itertools
import random
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import grpc

from dccsim.v1 import supplier_pb2, supplier_pb2_grpc

EXAMPLE_FLEET = Path(__file__).resolve().parents[2] / "examples" / "fleet.yaml"
SUPPLIER_A = "90-B3-D5-1F-30-01-00-00"
# The example fleet's 200 generated ESMEs: IDs count up from 00-DB-01-00-00-00-00-00.
DEVICES = [f"00-DB-01-00-00-00-00-{n:02X}" for n in range(40)]
KILLS = 4


@dataclass
class Ledger:
    """What the client side knows for certain."""

    counters: itertools.count = field(default_factory=lambda: itertools.count(1))
    # Requests the server answered I99: each must get exactly one response.
    acknowledged: set[str] = field(default_factory=set)
    # Delivery sequence -> its content, and the sequences each request's responses came under.
    seen: dict[int, bytes] = field(default_factory=dict)
    responses: defaultdict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    # The highest sequence the server confirmed as acknowledged.
    confirmed: int = 0
    violations: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_batch(self, size: int) -> list[supplier_pb2.SubmitRequest]:
        with self.lock:
            return [
                supplier_pb2.SubmitRequest(
                    request_id=f"{SUPPLIER_A}:{DEVICES[n % len(DEVICES)]}:{next(self.counters)}",
                    service_reference_variant="11.2",
                    command_variant=1,
                    read_firmware_version=supplier_pb2.ReadFirmwareVersion(),
                )
                for n in range(size)
            ]

    def delivered(self, delivery: supplier_pb2.Delivery) -> None:
        content = delivery.SerializeToString(deterministic=True)
        with self.lock:
            if delivery.sequence <= self.confirmed:
                self.violations.append(f"acknowledged {delivery.sequence} came back")
            previous = self.seen.setdefault(delivery.sequence, content)
            if previous != content:
                self.violations.append(f"sequence {delivery.sequence} changed its content")
            if delivery.WhichOneof("message") == "service_response":
                request_id = delivery.service_response.request_id
                self.responses[request_id].add(delivery.sequence)


def submit_until_stopped(stub, ledger: Ledger, stop: threading.Event) -> None:
    while not stop.is_set():
        batch = ledger.next_batch(25)
        try:
            reply = stub.SubmitBatch(supplier_pb2.SubmitBatchRequest(requests=batch), timeout=5)
        except grpc.RpcError:
            return  # killed mid-call: these requests may or may not have run
        with ledger.lock:
            for request, result in zip(batch, reply.results, strict=True):
                if result.response.response_code == "I99":
                    ledger.acknowledged.add(request.request_id)


def receive_until_stopped(stub, ledger: Ledger, stop: threading.Event) -> None:
    stream = stub.SubscribeBatches(
        supplier_pb2.SubscribeBatchesRequest(user_id=SUPPLIER_A, max_batch=50)
    )
    try:
        for batch in stream:
            for delivery in batch.deliveries:
                ledger.delivered(delivery)
            # Acknowledge every other batch: the rest must be redelivered after a crash.
            if batch.deliveries[-1].sequence % 2:
                up_to = batch.deliveries[-1].sequence
                stub.Acknowledge(
                    supplier_pb2.AcknowledgeRequest(user_id=SUPPLIER_A, up_to_sequence=up_to),
                    timeout=5,
                )
                with ledger.lock:
                    ledger.confirmed = max(ledger.confirmed, up_to)
            if stop.is_set():
                return
    except grpc.RpcError:
        return
    except ValueError:  # `drain` closed the channel while a batch was being acknowledged
        assert stop.is_set()
        return
    finally:
        stream.cancel()


def run_until_killed(served, ledger: Ledger, delay: float) -> None:
    stop = threading.Event()
    with grpc.insecure_channel(served.address) as channel:
        stub = supplier_pb2_grpc.SupplierServiceStub(channel)
        workers = [
            threading.Thread(target=submit_until_stopped, args=(stub, ledger, stop)),
            threading.Thread(target=submit_until_stopped, args=(stub, ledger, stop)),
            threading.Thread(target=receive_until_stopped, args=(stub, ledger, stop)),
        ]
        for worker in workers:
            worker.start()
        time.sleep(delay)
        served.kill()
        stop.set()
        for worker in workers:
            worker.join(timeout=10)


def drain(served, ledger: Ledger) -> None:
    """Receive until every acknowledged request has its response (or 20 s pass)."""
    stop = threading.Event()
    with grpc.insecure_channel(served.address) as channel:
        stub = supplier_pb2_grpc.SupplierServiceStub(channel)
        receiver = threading.Thread(target=receive_until_stopped, args=(stub, ledger, stop))
        receiver.start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with ledger.lock:
                if all(ledger.responses[r] for r in ledger.acknowledged):
                    break
            time.sleep(0.1)
        stop.set()
        channel.close()
        receiver.join(timeout=10)


def test_sigkill_under_load_loses_nothing_acknowledged_and_duplicates_nothing(
    serve, tmp_path
) -> None:
    state = tmp_path / "state.sqlite3"
    args = ("--fleet", str(EXAMPLE_FLEET), "--state", str(state))
    ledger = Ledger()
    chance = random.Random(2026)
    acknowledged_by_round = []
    for _ in range(KILLS):
        run_until_killed(serve(*args), ledger, delay=chance.uniform(0.3, 1.2))
        acknowledged_by_round.append(len(ledger.acknowledged))

    served = serve(*args)
    drain(served, ledger)
    assert acknowledged_by_round[0] > 0 and len(set(acknowledged_by_round)) == KILLS, (
        f"each round should get requests acknowledged before the kill: {acknowledged_by_round}"
    )
    assert ledger.violations == []
    missing = [r for r in ledger.acknowledged if not ledger.responses[r]]
    assert missing == [], f"{len(missing)} acknowledged requests have no response"
    twice = {r: s for r, s in ledger.responses.items() if len(s) > 1}
    assert twice == {}, "a request took effect twice"

    # The counters of every acknowledged request are spent, even across the crashes.
    sample = sorted(ledger.acknowledged)[:: max(1, len(ledger.acknowledged) // 50)]
    replayed = [
        supplier_pb2.SubmitRequest(
            request_id=request_id,
            service_reference_variant="11.2",
            command_variant=1,
            read_firmware_version=supplier_pb2.ReadFirmwareVersion(),
        )
        for request_id in sample
    ]
    with grpc.insecure_channel(served.address) as channel:
        reply = supplier_pb2_grpc.SupplierServiceStub(channel).SubmitBatch(
            supplier_pb2.SubmitBatchRequest(requests=replayed), timeout=10
        )
    assert {r.response.response_code for r in reply.results} == {"E1000"}
    served.terminate()
