"""Bytes that are no message of the method's request type: INVALID_ARGUMENT naming the request,
one log line with the peer and the reason, no traceback, and the server keeps serving."""

from __future__ import annotations

import logging

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from dccsim.server.rpc.app import RunningServer
from dccsim.v1 import supplier_pb2
from tests.conftest import ESME, SUPPLIER_A

GARBAGE = b"\xff\xff\xff\xff garbage"


def _good() -> supplier_pb2.SubmitRequest:
    return supplier_pb2.SubmitRequest(
        request_id=f"{SUPPLIER_A}:{ESME}:1",
        service_reference_variant="11.2",
        command_variant=1,
        read_firmware_version={},
    )


def _field(error: grpc.RpcError) -> str:
    status = rpc_status.from_call(error)
    assert status is not None
    for detail in status.details:
        bad = error_details_pb2.BadRequest()
        if detail.Unpack(bad):
            return bad.field_violations[0].field
    raise AssertionError("no BadRequest")


def _assert_one_clean_line(caplog: pytest.LogCaptureFixture, method: str) -> None:
    lines = [r for r in caplog.records if "refused" in r.getMessage()]
    assert len(lines) == 1, [r.getMessage() for r in caplog.records]
    message = lines[0].getMessage()
    assert "peer=ipv4:127.0.0.1:" in message
    assert f"method=/dccsim.v1.{method}" in message
    assert "reason=request: not a valid protobuf message" in message
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"
    assert not [r for r in caplog.records if "deserializing" in r.getMessage()]


@pytest.mark.spec("BAD-01", "BAD-02")
@pytest.mark.parametrize(
    ("method", "call"),
    [
        ("SupplierService/Submit", "unary_unary"),
        ("SupplierService/Subscribe", "unary_stream"),
    ],
)
def test_an_undecodable_request_is_invalid_argument_logged_in_one_line(
    server: RunningServer, channel, supplier, caplog, method: str, call: str
) -> None:
    caplog.set_level(logging.INFO)
    raw = getattr(channel, call)(f"/dccsim.v1.{method}")
    with pytest.raises(grpc.RpcError) as caught:
        answer = raw(GARBAGE, timeout=5)
        if call == "unary_stream":
            next(iter(answer))
    assert caught.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert _field(caught.value) == "request"
    _assert_one_clean_line(caplog, method)
    assert supplier.Submit(_good()).response_code == "I99"  # still serving


@pytest.mark.spec("BAD-01", "BAD-02")
def test_an_undecodable_message_in_a_stream_ends_it_refused(
    server: RunningServer, channel, supplier, caplog
) -> None:
    caplog.set_level(logging.INFO)
    raw = channel.stream_stream("/dccsim.v1.SupplierService/SubmitStream")
    with pytest.raises(grpc.RpcError) as caught:
        list(raw(iter([GARBAGE]), timeout=5))
    assert caught.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    _assert_one_clean_line(caplog, "SupplierService/SubmitStream")
    assert supplier.Submit(_good()).response_code == "I99"
