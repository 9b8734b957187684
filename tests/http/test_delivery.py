"""Asynchronous delivery by POST (BOXED-02): each User with a Receive Response Service address
gets its responses and alerts POSTed there, one at a time, in order, acknowledged by a 2xx and
retried with capped backoff otherwise -- across restarts, and without one User's receiver
holding up another's."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import itertools
import logging
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import grpc
import pytest
from aiohttp import web

from dccsim.server.core.records import DuisVersion
from dccsim.server.http.options import RetryPolicy
from dccsim.server.rpc.app import RunningServer, start_server
from dccsim.server.store import StateFile
from dccsim.v1 import control_pb2, duis_pb2_grpc, supplier_pb2
from dccsim.v1.control_pb2_grpc import ControlServiceStub
from tests.conftest import ESME, NETWORK_OPERATOR, SUPPLIER_A
from tests.duis.documents import OfficialSchemas, request_xml, text
from tests.http.conftest import FAST_RETRY, loopback, relaxed_dsp
from tests.http.receivers import (
    HANG,
    GarbageReceiver,
    Receiver,
    always,
    failing_first,
    free_port,
    post,
)
from tests.processes import Served

Receivers = Callable[..., Receiver]


def _read_firmware(user: str, counter: int) -> bytes:
    rid = f"{user}:{ESME}:{counter}"
    return request_xml("11.2", "<sr:ReadFirmwareVersion/>", request_id=rid, cv=1, signed=False)


def _send_reads(server: RunningServer, user: str, counters: range) -> None:
    """Device SRs over HTTP: each acknowledged I99, each response queued for `user`."""
    url = f"http://127.0.0.1:{server.http_ports.duis}/api/v1/serviceS"
    for counter in counters:
        answer = post(url, _read_firmware(user, counter))
        assert answer.status == 200
        assert text(answer.body, "//sr:ResponseCode") == "I99"


def _request_counters(bodies: list[bytes]) -> list[int]:
    """The RequestID counters of delivered responses, in the order POSTed."""
    return [int(text(body, "//sr:RequestID").rsplit(":", 1)[1]) for body in bodies]


def _put_url(control: ControlServiceStub, user: str, url: str) -> str:
    request = control_pb2.PutReceiveUrlRequest(user_id=user, url=url)
    return control.PutReceiveUrl(request).url


def _queued(server: RunningServer, user: str) -> int:
    return server.host.oldest_pending(user)[1]


def _wait(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def _assert_each_once_in_order(receiver: Receiver, expected: list[int]) -> None:
    """Every message 2xx'd exactly once, in order; every POST (retries too) in order; none
    POSTed again after its 2xx."""
    acknowledged: set[int] = set()
    posted = []
    for received in receiver.received:
        [counter] = _request_counters([received.body])
        assert counter not in acknowledged, f"{counter} POSTed again after a 2xx"
        if 200 <= received.status < 300:
            acknowledged.add(counter)
        posted.append(counter)
    assert posted == sorted(posted), posted
    assert _request_counters(receiver.accepted()) == expected


# How long another User's request and delivery may take while one User's receiver misbehaves:
# half the second (or more) that waiting behind the misbehaving one would add, and room enough
# for a loaded two-core machine.
PROMPT = 1.0


def _assert_prompt(server: RunningServer, user: str, counters: range, receiver: Receiver) -> None:
    """`user`'s requests are each answered within PROMPT, and each response reaches its
    receiver within PROMPT of that, once and in order: whatever another User's receiver is
    doing meanwhile."""
    url = f"http://127.0.0.1:{server.http_ports.duis}/api/v1/serviceS"
    answered = []
    for counter in counters:
        sent = time.monotonic()
        answer = post(url, _read_firmware(user, counter))
        answered.append(time.monotonic())
        assert text(answer.body, "//sr:ResponseCode") == "I99"
        assert answered[-1] - sent < PROMPT
    receiver.wait_for(lambda r: len(r.accepted()) >= len(counters), timeout=5)
    _assert_each_once_in_order(receiver, list(counters))
    latencies = [r.at - at for r, at in zip(receiver.received, answered, strict=True)]
    assert max(latencies) < PROMPT, latencies


@contextlib.contextmanager
def _server(retry: RetryPolicy, receive_urls: dict[str, str]) -> Iterator[RunningServer]:
    """A server of its own, with this retry policy and these Users' addresses."""
    running = start_server(
        relaxed_dsp,
        max_workers=8,
        http=dataclasses.replace(loopback(), retry=retry),
        receive_urls=receive_urls,
    )
    try:
        yield running
    finally:
        running.stop(grace=None)


class _SlowReceiver(Receiver):
    """A Receiver that answers each POST (recorded as it arrives) only `delay` seconds later."""

    def __init__(self, delay: float) -> None:
        super().__init__()
        self.delay = delay

    async def _handle(self, request: web.Request) -> web.Response:
        answer = await super()._handle(request)
        await asyncio.sleep(self.delay)
        return answer


@pytest.mark.spec("BOXED-02", "ALERT-03", "VER-01")
def test_responses_are_posted_in_order_as_application_xml_and_a_2xx_acknowledges_them(
    server: RunningServer,
    control: ControlServiceStub,
    receivers: Receivers,
    schemas: OfficialSchemas,
) -> None:
    receiver = receivers()
    assert _put_url(control, SUPPLIER_A, receiver.url) == receiver.url
    _send_reads(server, SUPPLIER_A, range(100, 110))
    receiver.wait_for(lambda r: len(r.accepted()) == 10)
    assert _request_counters(receiver.bodies()) == list(range(100, 110))
    assert {r.content_type for r in receiver.received} == {"application/xml"}
    for body in receiver.bodies():
        schemas.assert_valid(body, DuisVersion.V5_2)
        assert text(body, "//sr:ResponseCode") == "I0"
    _wait(lambda: _queued(server, SUPPLIER_A) == 0)  # acknowledged: nothing left for Subscribe
    time.sleep(0.3)
    assert len(receiver.received) == 10  # and nothing POSTed twice


@pytest.mark.spec("BOXED-02")
def test_a_failing_receiver_is_retried_with_backoff_and_never_sent_a_message_again_after_a_2xx(
    server: RunningServer,
    control: ControlServiceStub,
    receivers: Receivers,
    caplog: pytest.LogCaptureFixture,
) -> None:
    receiver = receivers(failing_first(4, status=500))
    events = control.StreamEvents(control_pb2.StreamEventsRequest(), timeout=10)
    _put_url(control, SUPPLIER_A, receiver.url)
    with caplog.at_level(logging.WARNING, logger="dccsim.delivery"):
        _send_reads(server, SUPPLIER_A, range(200, 203))
        receiver.wait_for(lambda r: len(r.accepted()) == 3)
    # The first message until it was accepted, then the others, each once.
    assert _request_counters(receiver.bodies()) == [200] * 5 + [201, 202]
    times = [r.at for r in receiver.received[:5]]
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    # 0.05, 0.1, 0.2, 0.2 s (and the time each POST took): backing off, capped.
    assert 0.04 <= gaps[0] < gaps[2]
    assert max(gaps) < 0.6
    time.sleep(0.3)
    assert len(receiver.received) == 7
    # One log line per failure, without a traceback, and the same in the event stream.
    failures = [r for r in caplog.records if r.name == "dccsim.delivery"]
    assert len(failures) == 4
    assert all(r.exc_info is None and "HTTP 500" in r.getMessage() for r in failures)
    assert "attempt 4" in failures[-1].getMessage()
    seen = []
    for event in events:
        if event.kind == "delivery":
            seen.append((event.summary, event.details.get("sequence"), event.details.get("error")))
        if len(seen) == 7:
            break
    events.cancel()
    assert [s[0] for s in seen] == ["delivery by POST failed"] * 4 + ["delivered by POST"] * 3
    assert all("HTTP 500" in s[2] for s in seen[:4])


@pytest.mark.spec("BOXED-02")
def test_a_receiver_that_is_down_gets_everything_in_order_once_it_is_up(
    server: RunningServer, control: ControlServiceStub
) -> None:
    port = free_port()
    _put_url(control, SUPPLIER_A, f"http://127.0.0.1:{port}/smartdcc/duis")
    _send_reads(server, SUPPLIER_A, range(300, 305))
    time.sleep(0.5)  # refused connections meanwhile: all still queued
    assert _queued(server, SUPPLIER_A) == 5
    receiver = Receiver().start(port)
    try:
        receiver.wait_for(lambda r: len(r.accepted()) == 5)
        assert _request_counters(receiver.bodies()) == list(range(300, 305))
        _wait(lambda: _queued(server, SUPPLIER_A) == 0)
    finally:
        receiver.close()


@pytest.mark.spec("BOXED-02", "BAD-02")
def test_a_hanging_receiver_for_one_user_does_not_delay_another_or_the_server(
    server: RunningServer, control: ControlServiceStub, receivers: Receivers
) -> None:
    hanging = receivers(always(HANG))
    prompt = receivers()
    _put_url(control, SUPPLIER_A, hanging.url)
    _put_url(control, NETWORK_OPERATOR, prompt.url)
    _send_reads(server, SUPPLIER_A, range(400, 405))
    hanging.wait_for(lambda r: len(r.received) >= 1)
    started = time.monotonic()
    _send_reads(server, NETWORK_OPERATOR, range(500, 505))  # the server answers meanwhile
    prompt.wait_for(lambda r: len(r.accepted()) == 5, timeout=2)
    assert time.monotonic() - started < 2
    assert _request_counters(prompt.bodies()) == list(range(500, 505))
    # The hung POSTs time out (0.5 s here) and are retried; nothing of A's was acknowledged.
    hanging.wait_for(lambda r: len(r.received) >= 2, timeout=3)
    assert set(_request_counters(hanging.bodies())) == {400}
    assert _queued(server, SUPPLIER_A) == 5


@pytest.mark.spec("BOXED-02", "BAD-02")
def test_a_slow_receiver_for_one_user_does_not_delay_another_or_the_server(
    receivers: Receivers,
) -> None:
    # The slow receiver answers 2xx two seconds after each POST (a POST may take 5 s here:
    # never a timeout). Blocking on it shows as a delay of up to two seconds; PROMPT is half.
    retry = dataclasses.replace(FAST_RETRY, timeout=5.0)
    slow = _SlowReceiver(delay=2.0).start()
    try:
        prompt = receivers()
        with _server(retry, {SUPPLIER_A: slow.url, NETWORK_OPERATOR: prompt.url}) as running:
            _send_reads(running, SUPPLIER_A, range(1200, 1203))  # 6 s of work at the least
            slow.wait_for(lambda r: len(r.received) >= 1)  # it is working on the first
            _assert_prompt(running, NETWORK_OPERATOR, range(1300, 1305), prompt)
            assert _queued(running, SUPPLIER_A) >= 1  # the slow one is still on its queue
            # The slow receiver gets everything too, each POST once the one before was answered.
            slow.wait_for(lambda r: len(r.accepted()) == 3, timeout=10)
            _assert_each_once_in_order(slow, list(range(1200, 1203)))
            times = [r.at for r in slow.received]
            assert min(later - earlier for earlier, later in itertools.pairwise(times)) >= 1.9
    finally:
        slow.close()


@pytest.mark.spec("BOXED-02", "BAD-02")
def test_a_receiver_answering_garbage_is_retried_and_a_new_address_takes_over(
    server: RunningServer, control: ControlServiceStub, receivers: Receivers
) -> None:
    garbage = GarbageReceiver()
    try:
        _put_url(control, SUPPLIER_A, garbage.url)
        _send_reads(server, SUPPLIER_A, range(600, 603))
        _wait(lambda: garbage.connections >= 3)
        assert _queued(server, SUPPLIER_A) == 3
        good = receivers()
        _put_url(control, SUPPLIER_A, good.url)  # while running: a retry goes there at once
        good.wait_for(lambda r: len(r.accepted()) == 3, timeout=3)
        assert _request_counters(good.bodies()) == [600, 601, 602]
    finally:
        garbage.close()


@pytest.mark.spec("BOXED-02", "BAD-02")
def test_a_receiver_answering_garbage_for_one_user_does_not_delay_another_or_the_server(
    receivers: Receivers,
) -> None:
    # Two seconds between retries: a deliverer that waited out one User's backoff before
    # another User's POST would delay it by up to that, twice PROMPT.
    retry = dataclasses.replace(FAST_RETRY, first=2.0, cap=2.0)
    garbage = GarbageReceiver()
    try:
        prompt = receivers()
        with _server(retry, {SUPPLIER_A: garbage.url, NETWORK_OPERATOR: prompt.url}) as running:
            _send_reads(running, SUPPLIER_A, range(1400, 1403))
            _wait(lambda: garbage.connections >= 1)
            _assert_prompt(running, NETWORK_OPERATOR, range(1500, 1505), prompt)
            # Meanwhile the garbage goes on being retried, and none of A's is taken as delivered.
            seen = garbage.connections
            _wait(lambda: garbage.connections > seen, timeout=5)
            assert _queued(running, SUPPLIER_A) == 3
    finally:
        garbage.close()


@pytest.mark.spec("BOXED-02", "ALERT-03")
def test_without_an_address_messages_wait_for_the_subscribe_stream(
    server: RunningServer, control: ControlServiceStub, receivers: Receivers
) -> None:
    receiver = receivers(always(500))
    _put_url(control, SUPPLIER_A, receiver.url)
    _send_reads(server, SUPPLIER_A, range(700, 702))
    receiver.wait_for(lambda r: len(r.received) >= 1)
    assert _put_url(control, SUPPLIER_A, "") == ""
    time.sleep(0.5)  # the deliverer has stopped: no more POSTs
    posted = len(receiver.received)
    time.sleep(0.5)
    assert len(receiver.received) == posted
    with grpc.insecure_channel(f"127.0.0.1:{server.port}") as channel:
        stream = duis_pb2_grpc.DuisGatewayStub(channel).Subscribe(
            supplier_pb2.SubscribeRequest(user_id=SUPPLIER_A), timeout=5
        )
        counters = [_request_counters([next(stream).xml])[0] for _ in range(2)]
        stream.cancel()
    assert counters == [700, 701]


@pytest.mark.spec("BOXED-02", "BAD-01")
def test_put_receive_url_checks_the_user_and_the_address(
    server: RunningServer, control: ControlServiceStub
) -> None:
    before = server.host.fingerprint()
    for user, url, code in [
        ("90-B3-D5-1F-30-09-09-09", "http://127.0.0.1:1/x", grpc.StatusCode.NOT_FOUND),
        (SUPPLIER_A, "ftp://127.0.0.1/x", grpc.StatusCode.INVALID_ARGUMENT),
        (SUPPLIER_A, "http://user:pw@127.0.0.1/x", grpc.StatusCode.INVALID_ARGUMENT),
        (SUPPLIER_A, "http://127.0.0.1:99999/x", grpc.StatusCode.INVALID_ARGUMENT),
        (SUPPLIER_A, "http://", grpc.StatusCode.INVALID_ARGUMENT),
        ("not-an-eui", "http://127.0.0.1/x", grpc.StatusCode.INVALID_ARGUMENT),
    ]:
        with pytest.raises(grpc.RpcError) as refused:
            _put_url(control, user, url)
        assert refused.value.code() is code, url
    assert server.host.fingerprint() == before
    # DCC Boxed's form, without a scheme, is read as http.
    kept = _put_url(control, SUPPLIER_A.lower(), "127.0.0.1:1880/smartdcc/duis")
    assert kept == "http://127.0.0.1:1880/smartdcc/duis"
    assert server.host.receive_urls() == {SUPPLIER_A: kept}


@pytest.mark.spec("BOXED-02", "ALERT-03")
def test_deliveries_survive_a_restart_none_lost_none_posted_again_after_a_2xx(
    tmp_path: Path, receivers: Receivers
) -> None:
    path = tmp_path / "state.sqlite3"
    receiver = receivers(failing_first(2**30, status=503))  # down for maintenance
    running = start_server(
        relaxed_dsp,
        state_file=StateFile(path, commit_delay=0),
        http=loopback(),
        receive_urls={SUPPLIER_A: receiver.url},
    )
    try:
        _send_reads(running, SUPPLIER_A, range(800, 804))
        receiver.wait_for(lambda r: len(r.received) >= 2)
    finally:
        running.stop(grace=None)
    assert receiver.accepted() == []

    # Back up: the address and the four messages come back with the state file.
    receiver.behaviour = failing_first(0)
    running = start_server(relaxed_dsp, state_file=StateFile(path, commit_delay=0), http=loopback())
    try:
        assert running.host.receive_urls() == {SUPPLIER_A: receiver.url}
        receiver.wait_for(lambda r: len(r.accepted()) == 4)
        assert _request_counters(receiver.accepted()) == list(range(800, 804))
        _wait(lambda: _queued(running, SUPPLIER_A) == 0)
        _send_reads(running, SUPPLIER_A, range(804, 806))
        receiver.wait_for(lambda r: len(r.accepted()) == 6)
        # The receiver has answered the sixth; the server has acknowledged it only once it has
        # read that 2xx and recorded its Delivered. A stop before then abandons the POST, and
        # the message is POSTed again after the restart, as it must be.
        _wait(lambda: _queued(running, SUPPLIER_A) == 0)
    finally:
        running.stop(grace=None)

    # Everything acknowledged stays acknowledged: a third start POSTs nothing.
    posted = len(receiver.received)
    running = start_server(relaxed_dsp, state_file=StateFile(path, commit_delay=0), http=loopback())
    try:
        time.sleep(0.5)
        assert len(receiver.received) == posted
        assert _request_counters(receiver.accepted()) == list(range(800, 806))
    finally:
        running.stop(grace=None)


@pytest.mark.spec("BOXED-02")
def test_a_receiver_going_down_and_up_again_mid_run_gets_every_message_once_in_order(
    server: RunningServer, control: ControlServiceStub, receivers: Receivers
) -> None:
    receiver = receivers()
    _put_url(control, SUPPLIER_A, receiver.url)
    _send_reads(server, SUPPLIER_A, range(1600, 1604))  # before
    receiver.wait_for(lambda r: len(r.accepted()) == 4)
    _wait(lambda: _queued(server, SUPPLIER_A) == 0)
    port = receiver.port
    receiver.stop()  # down, and its end of the kept connection closed
    _send_reads(server, SUPPLIER_A, range(1604, 1608))  # during
    time.sleep(0.3)  # refused meanwhile: all still queued
    assert _queued(server, SUPPLIER_A) == 4
    receiver.start(port)  # up again
    _send_reads(server, SUPPLIER_A, range(1608, 1612))  # after, while the backlog drains
    receiver.wait_for(lambda r: len(r.accepted()) >= 12)
    _wait(lambda: _queued(server, SUPPLIER_A) == 0)
    time.sleep(0.3)
    _assert_each_once_in_order(receiver, list(range(1600, 1612)))


@pytest.mark.spec("BOXED-02")
def test_a_fleet_file_gives_users_their_addresses(
    server: RunningServer, control: ControlServiceStub, receivers: Receivers
) -> None:
    receiver = receivers()
    fleet = f"""
users:
  - {{id: {SUPPLIER_A}, roles: [IS, GS], receive_url: "{receiver.url.removeprefix("http://")}"}}
  - {{id: {NETWORK_OPERATOR}, roles: [ED, GT]}}
registrations:
  - {{mpxn: "1100000000001", role: IS, user: {SUPPLIER_A}, start: 2020-01-01T00:00:00Z}}
devices:
  - {{id: {ESME}, type: ESME, manufacturer: DCCSIM, model: ESME-S2, firmware: "0100",
     mpxn: "1100000000001"}}
"""
    control.LoadFleet(control_pb2.LoadFleetRequest(fleet_yaml=fleet))
    assert server.host.receive_urls() == {SUPPLIER_A: receiver.url}
    _send_reads(server, SUPPLIER_A, range(900, 902))
    receiver.wait_for(lambda r: len(r.accepted()) == 2)
    assert _request_counters(receiver.accepted()) == [900, 901]


def _duis_url(served) -> str:
    found = re.search(r"DUIS over HTTP on port (\d+)", served.serving["message"])
    assert found, served.serving["message"]
    return f"http://127.0.0.1:{found.group(1)}/api/v1/serviceS"


@pytest.mark.spec("BOXED-02", "BOXED-01", "BOXED-04")
def test_dccsim_serve_receive_url_option_posts_signed_responses(
    serve, receivers: Receivers
) -> None:
    receiver = receivers()
    served = serve(
        "--in-memory",
        "--relaxed-counters",
        "--no-verify-signatures",
        "--receive-url",
        f"{SUPPLIER_A}={receiver.url}",
    )
    answer = post(_duis_url(served), _read_firmware(SUPPLIER_A, 1000))
    assert text(answer.body, "//sr:ResponseCode") == "I99"
    receiver.wait_for(lambda r: len(r.accepted()) == 1)
    [response] = receiver.accepted()
    assert _request_counters([response]) == [1000]
    assert b"SignatureValue" in response  # the DSP signs what it POSTs
    served.terminate()


@pytest.mark.spec("BOXED-01", "BOXED-03")
def test_dccsim_serve_verifies_signatures_over_http_by_default(serve) -> None:
    served = serve("--in-memory", "--relaxed-counters")
    answer = post(_duis_url(served), _read_firmware(SUPPLIER_A, 1001))  # unsigned
    assert answer.status == 200
    assert text(answer.body, "//sr:ResponseCode") == "E1001"
    assert b"SignatureValue" not in answer.body  # error answers are unsigned
    served.terminate()


def _delivery_failed(served: Served) -> bool:
    """Whether `dccsim serve` has logged a failed delivery by POST."""
    return any(
        "failed" in line["message"] for line in served.lines if "delivery" in line["message"]
    )


@pytest.mark.spec("BOXED-02")
def test_dccsim_serve_killed_with_deliveries_queued_posts_each_once_in_order_after_a_restart(
    serve: Callable[..., Served], receivers: Receivers, tmp_path: Path
) -> None:
    state = str(tmp_path / "state.sqlite3")
    options = ("--state", state, "--relaxed-counters", "--no-verify-signatures")
    receiver = receivers()
    served = serve(*options, "--receive-url", f"{SUPPLIER_A}={receiver.url}")

    def send(server: Served, counters: range) -> None:
        for counter in counters:
            answer = post(_duis_url(server), _read_firmware(SUPPLIER_A, counter))
            assert text(answer.body, "//sr:ResponseCode") == "I99"

    send(served, range(1700, 1703))
    receiver.wait_for(lambda r: len(r.accepted()) == 3)
    receiver.behaviour = always(503)
    send(served, range(1703, 1706))
    # A POST of 1703 shows 1702's acknowledgement is in the state file (it is, before the next).
    receiver.wait_for(lambda r: 1703 in _request_counters(r.bodies()))
    port = receiver.port
    receiver.stop()  # down
    send(served, range(1706, 1708))
    served.kill()  # SIGKILL: nothing flushed, no handler run

    # The address and the five unacknowledged messages come back with the state file.
    again = serve(*options)
    _wait(lambda: _delivery_failed(again))  # the receiver is still down: refused, retried
    receiver.behaviour = always(204)
    receiver.start(port)
    receiver.wait_for(lambda r: len(r.accepted()) >= 8)
    send(again, range(1708, 1710))
    receiver.wait_for(lambda r: len(r.accepted()) >= 10)
    time.sleep(0.3)
    _assert_each_once_in_order(receiver, list(range(1700, 1710)))
    again.terminate()


def test_a_message_is_not_posted_before_the_command_that_queued_it_is_durable() -> None:
    """An outbox shows a message once its command is applied, before the state file has it;
    the deliverer waits for the file before it makes the document it POSTs."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from dccsim.server.http import delivery

    calls: list[str] = []

    class Host:
        def oldest_pending(self, user_id: str) -> tuple[object, int]:
            calls.append("oldest_pending")
            return object(), 1

        def wait_applied_durable(self) -> None:
            calls.append("wait_applied_durable")

    class Gateway:
        def user_version(self, user_id: str) -> DuisVersion:
            return DuisVersion.V5_2

        def outbox_document(self, entry: object, version: DuisVersion) -> bytes:
            calls.append("outbox_document")
            return b"<x/>"

    async def run() -> None:
        with ThreadPoolExecutor(1) as executor:
            deliverer = delivery._Deliverer(
                SUPPLIER_A, "http://127.0.0.1:1/", Host(), Gateway(), executor,  # type: ignore[arg-type]
                FAST_RETRY, asyncio.Event(),
            )  # fmt: skip
            deliverer.task.cancel()
            deliverer._oldest_document()

    asyncio.run(run())
    assert calls == ["oldest_pending", "wait_applied_durable", "outbox_document"]
