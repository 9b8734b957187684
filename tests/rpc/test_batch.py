"""The bulk paths: SubmitBatch, SubmitStream and SubscribeBatches. Each item is answered on its
own and in order; a bad item gets the error a unary Submit would have raised and changes nothing;
the good items around it run."""

from __future__ import annotations

import pytest

from dccsim.clients.client import (
    AcknowledgementLost,
    Answer,
    Client,
    InvalidRequest,
    build_request,
)
from dccsim.server.core.fingerprint import fingerprint
from dccsim.server.rpc.app import RunningServer
from dccsim.v1 import control_pb2, supplier_pb2
from tests.conftest import CHF, ESME, GSME, SUPPLIER_A


def read(device: str, counter: int) -> supplier_pb2.SubmitRequest:
    return build_request(
        "11.2",
        user=SUPPLIER_A,
        target=device,
        counter=counter,
        cv=1,
        body={"read_firmware_version": {}},
    )


def mixed_batch() -> list[supplier_pb2.SubmitRequest]:
    malformed = read(ESME, 101)
    malformed.request_id = "not-a-request-id"
    wrong_body = read(GSME, 102)
    wrong_body.service_reference_variant = "4.1.1"  # a read of registers with no body
    wrong_body.no_body.SetInParent()
    return [read(ESME, 100), malformed, wrong_body, read(CHF, 103), read(ESME, 100)]


def check_mixed(outcomes: list) -> None:
    first, malformed, wrong_body, chf, replay = outcomes
    assert isinstance(first, Answer) and first.code == "I99"
    assert isinstance(malformed, InvalidRequest) and malformed.field == "request_id"
    assert isinstance(wrong_body, InvalidRequest) and wrong_body.field == "body"
    assert isinstance(chf, Answer) and chf.code == "I99"
    assert isinstance(replay, Answer) and replay.code == "E1000"  # the counter was spent


@pytest.mark.spec("BAD-01", "REQ-02")
def test_a_batch_answers_each_item_in_order(server: RunningServer) -> None:
    with Client(f"127.0.0.1:{server.port}") as dcc:
        check_mixed(dcc.submit_batch(mixed_batch()))
        delivered = next(dcc.delivery_batches(SUPPLIER_A, timeout=5))
    assert [d.service_response.request_id for d in delivered] == [
        f"{SUPPLIER_A}:{ESME}:100",
        f"{SUPPLIER_A}:{CHF}:103",
    ]


@pytest.mark.spec("BAD-01")
def test_a_batch_of_only_bad_items_changes_nothing(server: RunningServer) -> None:
    bad = mixed_batch()[1:3]
    with server.host.lock:
        before = fingerprint(server.host.dsp)
    with Client(f"127.0.0.1:{server.port}") as dcc:
        outcomes = dcc.submit_batch(bad)
    assert [type(o) for o in outcomes] == [InvalidRequest, InvalidRequest]
    with server.host.lock:
        assert fingerprint(server.host.dsp) == before


def test_a_stream_answers_each_request_in_order(server: RunningServer) -> None:
    with Client(f"127.0.0.1:{server.port}") as dcc:
        results = list(dcc.supplier.SubmitStream(iter(mixed_batch()), timeout=10))
    codes = [r.response.response_code or r.error.code for r in results]
    assert codes == ["I99", "INVALID_ARGUMENT", "INVALID_ARGUMENT", "I99", "E1000"]
    assert results[1].error.field == "request_id"


def test_a_long_stream_is_answered_completely(server: RunningServer) -> None:
    requests = [read(ESME, 1_000 + n) for n in range(3_000)]
    with Client(f"127.0.0.1:{server.port}") as dcc:
        results = list(dcc.supplier.SubmitStream(iter(requests), timeout=30))
    assert [r.response.request_id for r in results] == [r.request_id for r in requests]
    assert {r.response.response_code for r in results} == {"I99"}


def test_delivery_batches_hold_at_most_max_batch_and_resume_after(server: RunningServer) -> None:
    with Client(f"127.0.0.1:{server.port}") as dcc:
        dcc.submit_batch([read(ESME, 200 + n) for n in range(25)])
        batches = dcc.delivery_batches(SUPPLIER_A, max_batch=10, timeout=5)
        sizes = [len(next(batches)) for _ in range(3)]
        resumed = next(dcc.delivery_batches(SUPPLIER_A, after=20, timeout=5))
    assert sizes == [10, 10, 5]
    assert [d.sequence for d in resumed] == [21, 22, 23, 24, 25]


def test_a_lost_acknowledgement_is_an_item_error_and_the_request_still_ran(
    server: RunningServer,
) -> None:
    rule = control_pb2.FaultRule(action="drop", stage="acknowledgement", srv="11.2")
    with Client(f"127.0.0.1:{server.port}") as dcc:
        dcc.add_fault_rule(rule)
        (outcome,) = dcc.submit_batch([read(ESME, 300)])
        assert isinstance(outcome, AcknowledgementLost)
        delivered = next(dcc.delivery_batches(SUPPLIER_A, timeout=5))
    assert delivered[0].service_response.request_id == f"{SUPPLIER_A}:{ESME}:300"


@pytest.mark.spec("REQ-05")
def test_critical_requests_in_two_batches_sign_each_pre_command(server: RunningServer) -> None:
    body = {"activate_firmware": {"firmware_hash": b"\x00" * 32}}
    with Client(f"127.0.0.1:{server.port}") as dcc:
        outcomes = dcc.send_critical_batch(
            "11.3", user=SUPPLIER_A, targets=[ESME, "not-an-eui", GSME], body=body
        )
    esme, bad, gsme = outcomes
    assert isinstance(esme, Answer) and esme.code == "I99"  # the signed CV 5 leg's answer
    assert isinstance(bad, InvalidRequest)
    assert isinstance(gsme, Answer) and gsme.code == "I99"
