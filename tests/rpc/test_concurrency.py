"""Many clients at once on the same devices, through a real gRPC server in this process.

- No lost update: every accepted request has exactly one effect, the final SMI is the one the
  accepted requests make, and a RequestID counter sent by several clients at once is accepted
  at most once (REQ-02); a CV 5 leg sent twice at once executes once (REQ-05).
- Per-user order: each subscriber sees sequences 1, 2, 3... with no gap, in the order the DSP
  produced them, and the responses for one (user, device) pair in the order of their counters
  (ALERT-03).
- Reconnecting mid-stream loses nothing, and nothing acknowledged comes back (ALERT-03).
"""

from __future__ import annotations

import hashlib
import itertools
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import grpc
import pytest

from dccsim.server.core.dsp import Dsp
from dccsim.server.core.fleet import NETWORK_OPERATOR, OTHER_USER
from dccsim.server.core.requests import RequestId
from dccsim.server.rpc.app import RunningServer, start_server
from dccsim.v1 import supplier_pb2, supplier_pb2_grpc
from tests.conftest import CHF, ESME, GSME, PPMID, SUPPLIER_A, example_dsp

ACB = "90-B3-D5-1F-30-00-00-02"
THREADS = 8
IMAGE = b"concurrency image 0200"
IMAGE_HASH = hashlib.sha256(IMAGE).digest()
# Generous: a delivery normally arrives within milliseconds.
WAIT_SECONDS = 10


def _dsp() -> Dsp:
    return example_dsp()


@pytest.fixture
def server() -> Iterator[RunningServer]:
    # Room for every producer and every open stream at once.
    running = start_server(_dsp, max_workers=4 * THREADS)
    yield running
    running.stop(grace=None)


@pytest.fixture
def address(server: RunningServer) -> str:
    return f"127.0.0.1:{server.port}"


class Client:
    """One client: its own channel, as separate head-end processes would have."""

    def __init__(self, address: str) -> None:
        self.channel = grpc.insecure_channel(address)
        self.supplier = supplier_pb2_grpc.SupplierServiceStub(self.channel)

    def close(self) -> None:
        self.channel.close()

    def submit(
        self, user: str, target: str, counter: int, srv: str, cv: int, **body: object
    ) -> supplier_pb2.SubmitResponse:
        request = supplier_pb2.SubmitRequest(
            request_id=f"{user}:{target}:{counter}",
            service_reference_variant=srv,
            command_variant=cv,
            **body,
        )
        return self.supplier.Submit(request, timeout=WAIT_SECONDS)

    def read_firmware(self, user: str, device: str, counter: int) -> supplier_pb2.SubmitResponse:
        return self.submit(
            user,
            device,
            counter,
            "11.2",
            1,
            read_firmware_version=supplier_pb2.ReadFirmwareVersion(),
        )


def _in_parallel(address: str, work: list[Callable[[Client], object]]) -> list[object]:
    """Run each piece of work on its own client, all at once (a barrier lines them up)."""
    start = threading.Barrier(len(work))

    def run(job: Callable[[Client], object]) -> object:
        client = Client(address)
        try:
            start.wait()
            return job(client)
        finally:
            client.close()

    with ThreadPoolExecutor(max_workers=len(work)) as pool:
        return list(pool.map(run, work))


def _outbox(server: RunningServer, user: str) -> list[supplier_pb2.Delivery]:
    """What the DSP holds for a user, in its order, as the typed API shows it."""
    from dccsim.server.rpc import convert

    with server.host.lock:
        return [convert.delivery(entry) for entry in server.host.dsp.pending(user)]


def _last_sequence(server: RunningServer, user: str) -> int:
    with server.host.lock:
        return server.host.dsp.outbox(user).last_sequence


def _responses(deliveries: list[supplier_pb2.Delivery]) -> list[supplier_pb2.ServiceResponse]:
    return [d.service_response for d in deliveries if d.WhichOneof("message") == "service_response"]


# -- no lost update ------------------------------------------------------------------------------


@pytest.mark.spec("REQ-02", "REQ-03")
def test_a_counter_sent_by_many_clients_at_once_is_accepted_at_most_once(
    server: RunningServer, address: str
) -> None:
    """Every client sends the same counters, racing: each counter is accepted at most once, the
    accepted ones are exactly the requests that got an answer from the device, once each."""
    counters = range(1, 41)

    def sender(client: Client) -> list[tuple[int, str]]:
        return [(c, client.read_firmware(SUPPLIER_A, ESME, c).response_code) for c in counters]

    results = list(itertools.chain.from_iterable(_in_parallel(address, [sender] * THREADS)))
    accepted = [counter for counter, code in results if code == "I99"]
    assert len(accepted) == len(set(accepted)), "a counter was accepted twice"
    refused = [code for _, code in results if code != "I99"]
    assert set(refused) <= {"E1000"}
    assert len(refused) >= (THREADS - 1) * len(counters)  # every copy but one of each counter
    responses = _responses(_outbox(server, SUPPLIER_A))
    answered = [RequestId.parse(r.request_id).counter for r in responses]
    assert sorted(answered) == sorted(accepted)  # one effect each, none lost
    assert answered == sorted(answered)  # and in counter order (REQ-02 keeps them increasing)
    with server.host.lock:
        assert server.host.dsp.counters[(SUPPLIER_A, ESME)] == max(accepted)


@pytest.mark.spec("INV-01", "REQ-02")
def test_concurrent_inventory_updates_leave_the_last_accepted_one(
    server: RunningServer, address: str
) -> None:
    """8.4 ESME Variant changes race on one ESME, several clients sending each counter with
    different variants: each counter is accepted at most once, and the SMI ends with the variant
    of the accepted request with the highest counter -- the last one accepted, since accepted
    counters only grow (no lost update, no stale write)."""
    variants = ("A", "B", "C", "AD", "BD", "CD", "ADE", "BDE")

    def updater(index: int) -> Callable[[Client], list[tuple[int, str, str]]]:
        def job(client: Client) -> list[tuple[int, str, str]]:
            sent = []
            for counter in range(1, 31):
                variant = variants[(index + counter) % len(variants)]
                details = supplier_pb2.DeviceDetails(esme_variant=variant)
                update = supplier_pb2.UpdateInventory(device_id=ESME, device_details=details)
                answer = client.submit(SUPPLIER_A, ACB, counter, "8.4", 8, update_inventory=update)
                sent.append((counter, variant, answer.response_code))
            return sent

        return job

    results = list(
        itertools.chain.from_iterable(_in_parallel(address, [updater(i) for i in range(THREADS)]))
    )
    accepted = {counter: variant for counter, variant, code in results if code == "I99"}
    assert len(accepted) == len([1 for _, _, code in results if code == "I99"]), "counter twice"
    assert {code for _, _, code in results} <= {"I99", "E1000"}
    with server.host.lock:
        record = server.host.dsp.device_record(ESME)
        assert record.esme_variant == accepted[max(accepted)]
        assert server.host.dsp.counters[(SUPPLIER_A, ACB)] == max(accepted)


@pytest.mark.spec("REQ-05", "DEV-02", "FW-02", "FW-06")
def test_concurrent_firmware_updates_activations_and_reads_each_have_one_effect(
    server: RunningServer, address: str
) -> None:
    """11.1, 11.3 (CV 4 then CV 5, the CV 5 leg sent twice at once) and 11.2 from several
    clients on the same devices. Every accepted device request gets exactly one Service
    Response; each PreCommand executes once; and the SMI ends with what the devices run."""
    devices = (ESME, GSME, CHF)
    distributor = Client(address)
    try:
        update = supplier_pb2.UpdateFirmware(
            image=IMAGE, firmware_version="0200", device_ids=devices
        )
        assert (
            distributor.submit(SUPPLIER_A, ACB, 1, "11.1", 8, update_firmware=update).response_code
            == "I99"
        )
        pre_commands = {}
        for device in devices:
            activate = supplier_pb2.ActivateFirmware(firmware_hash=IMAGE_HASH)
            pre = distributor.submit(SUPPLIER_A, device, 1, "11.3", 4, activate_firmware=activate)
            assert pre.response_code == "I0"
            pre_commands[device] = pre.pre_command.payload
    finally:
        distributor.close()

    def signer(device: str) -> Callable[[Client], str]:
        def job(client: Client) -> str:
            signed = supplier_pb2.SignedPreCommand(payload=pre_commands[device])
            try:
                return client.submit(
                    SUPPLIER_A, device, 1, "11.3", 5, signed_pre_command=signed
                ).response_code
            except grpc.RpcError as error:  # the other copy of the leg got there first
                assert error.code() is grpc.StatusCode.INVALID_ARGUMENT, error
                return "refused"

        return job

    def reader(user: str, first: int) -> Callable[[Client], list[tuple[str, int, str]]]:
        def job(client: Client) -> list[tuple[str, int, str]]:
            return [
                (device, counter, client.read_firmware(user, device, counter).response_code)
                for counter in range(first, first + 15)
                for device in devices
            ]

        return job

    work: list[Callable[[Client], object]] = [signer(d) for d in devices for _ in range(2)]
    work += [reader(SUPPLIER_A, 100), reader(SUPPLIER_A, 100), reader(NETWORK_OPERATOR, 1)]
    outcomes = _in_parallel(address, work)
    signs, reads = outcomes[: 2 * len(devices)], outcomes[2 * len(devices) :]
    for index, device in enumerate(devices):
        assert sorted(signs[2 * index : 2 * index + 2]) == ["I99", "refused"], device

    responses = _responses(_outbox(server, SUPPLIER_A)) + _responses(
        _outbox(server, NETWORK_OPERATOR)
    )
    by_request = defaultdict(list)
    for response in responses:
        by_request[response.request_id].append(response)
    assert all(len(found) == 1 for found in by_request.values()), "a request answered twice"
    accepted_reads = {
        f"{user}:{device}:{counter}"
        for (user, batch) in zip((SUPPLIER_A, SUPPLIER_A, NETWORK_OPERATOR), reads, strict=True)
        for device, counter, code in batch  # type: ignore[union-attr]
        if code == "I99"
    }
    activations = {f"{SUPPLIER_A}:{device}:1" for device in devices}
    assert set(by_request) == accepted_reads | activations  # one effect each, none lost
    with server.host.lock:
        dsp = server.host.dsp
        for device in devices:
            assert dsp.device(device).running_version == "0200"
            assert dsp.device_record(device).firmware_version == "0200"
        assert not dsp.pending_pre_commands


# -- per-user order and reconnection -------------------------------------------------------------


@dataclass
class Connection:
    after: int  # the after_sequence it subscribed with: what was acknowledged then
    sequences: list[int]
    request_ids: list[str]


@dataclass
class Subscriber:
    """Reads one user's stream in a thread; optionally hangs up every `reconnect_every`
    deliveries and subscribes again after what it has acknowledged, acknowledging `lag` behind
    what it has read (so that some unacknowledged messages come again)."""

    address: str
    user: str
    reconnect_every: int = 0
    lag: int = 0

    def __post_init__(self) -> None:
        self.connections: list[Connection] = []
        self.acknowledged = 0
        self.error: BaseException | None = None
        self._finished = threading.Event()
        self._stream: grpc.Future | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def received(self) -> list[int]:
        return [s for connection in self.connections for s in connection.sequences]

    def start(self) -> None:
        self._thread.start()

    def finish(self, target: int) -> None:
        """Wait until the stream has delivered `target`, then hang up for good and acknowledge
        everything."""
        deadline = time.monotonic() + WAIT_SECONDS
        while (
            target not in self.received and time.monotonic() < deadline and self._thread.is_alive()
        ):
            time.sleep(0.01)
        self._finished.set()
        if self._stream is not None:
            self._stream.cancel()
        self._thread.join(WAIT_SECONDS)
        assert not self._thread.is_alive(), f"{self.user}: the stream did not end"
        if self.error is not None:
            raise self.error
        assert target in self.received, f"{self.user}: {target} never delivered"

    def _run(self) -> None:
        client = Client(self.address)
        try:
            while not self._finished.is_set():
                self._connection(client)
            self._acknowledge(client, max(self.received, default=0))
        except BaseException as error:  # reported by finish()
            self.error = error
        finally:
            client.close()

    def _acknowledge(self, client: Client, up_to: int) -> None:
        if up_to > self.acknowledged:
            request = supplier_pb2.AcknowledgeRequest(user_id=self.user, up_to_sequence=up_to)
            client.supplier.Acknowledge(request, timeout=WAIT_SECONDS)
            self.acknowledged = up_to

    def _connection(self, client: Client) -> None:
        """One connection, until it is time to hang up."""
        connection = Connection(self.acknowledged, [], [])
        self.connections.append(connection)
        request = supplier_pb2.SubscribeRequest(user_id=self.user, after_sequence=connection.after)
        self._stream = stream = client.supplier.Subscribe(request)
        try:
            for delivery in stream:
                connection.sequences.append(delivery.sequence)
                connection.request_ids.append(_request_id(delivery))
                if self.reconnect_every and len(connection.sequences) >= self.reconnect_every:
                    self._acknowledge(client, delivery.sequence - self.lag)
                    return  # hang up mid-stream; the caller reconnects
        except grpc.RpcError as error:
            if not (self._finished.is_set() and error.code() is grpc.StatusCode.CANCELLED):
                raise
        finally:
            stream.cancel()


def _request_id(delivery: supplier_pb2.Delivery) -> str:
    kind = delivery.WhichOneof("message")
    if kind == "service_response":
        return delivery.service_response.request_id
    if kind == "device_alert":
        return delivery.device_alert.request_id
    return f"dcc-alert:{delivery.dcc_alert.dcc_alert_code}"


def _produce(address: str, users: tuple[str, ...], per_user: int) -> None:
    """Every user reads the firmware of several devices, from several clients at once, with
    counters that race (so some are refused E1000 and produce nothing)."""

    def producer(user: str, offset: int) -> Callable[[Client], None]:
        def job(client: Client) -> None:
            for counter in range(1 + offset, per_user + 1, 2):
                for device in (ESME, GSME, PPMID):
                    client.read_firmware(user, device, counter)

        return job

    _in_parallel(address, [producer(user, offset) for user in users for offset in (0, 1)])


@pytest.mark.spec("ALERT-03", "REQ-03")
def test_each_subscriber_sees_its_outbox_in_order_with_no_gap(
    server: RunningServer, address: str
) -> None:
    users = (SUPPLIER_A, NETWORK_OPERATOR, OTHER_USER)
    subscribers = [Subscriber(address, user) for user in users]
    for subscriber in subscribers:
        subscriber.start()
    _produce(address, users, per_user=40)
    for subscriber in subscribers:
        produced = _outbox(server, subscriber.user)
        assert produced, subscriber.user
        target = produced[-1].sequence
        subscriber.finish(target)
        (connection,) = subscriber.connections
        assert connection.sequences == list(range(1, target + 1)), subscriber.user
        # ... in the order the DSP produced them:
        assert connection.request_ids == [_request_id(d) for d in produced]
        # ... and each (user, device) pair's responses in the order of their counters.
        by_device = defaultdict(list)
        for request_id in connection.request_ids:
            rid = RequestId.parse(request_id)
            by_device[rid.target].append(rid.counter)
        for device, counters in by_device.items():
            assert counters == sorted(counters), (subscriber.user, device)
            assert len(counters) == len(set(counters)), (subscriber.user, device)


@pytest.mark.spec("ALERT-03")
@pytest.mark.parametrize("lag", [0, 3], ids=["acknowledges all it read", "acknowledges behind"])
def test_subscribers_reconnecting_mid_stream_lose_nothing_and_get_nothing_acknowledged_twice(
    server: RunningServer, address: str, lag: int
) -> None:
    users = (SUPPLIER_A, NETWORK_OPERATOR)
    subscribers = [Subscriber(address, user, reconnect_every=7, lag=lag) for user in users]
    for subscriber in subscribers:
        subscriber.start()
    _produce(address, users, per_user=40)
    for subscriber in subscribers:
        target = _last_sequence(server, subscriber.user)  # some may be acknowledged already
        subscriber.finish(target)
        assert len(subscriber.connections) > 3, "hardly reconnected: the test proves little"
        for connection in subscriber.connections:
            # Each connection resumes right after what was acknowledged when it began, in order
            # and with no gap: nothing acknowledged comes again, nothing is skipped.
            first = connection.after + 1
            assert connection.sequences == list(range(first, first + len(connection.sequences)))
        assert set(subscriber.received) == set(range(1, target + 1)), "a message was lost"
        if lag == 0:
            assert len(subscriber.received) == target, "a message came twice"
        else:  # only what was read but not yet acknowledged came again
            assert len(subscriber.received) > target
        assert _outbox(server, subscriber.user) == []  # all acknowledged in the end
