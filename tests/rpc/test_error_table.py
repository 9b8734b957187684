"""One error table (dccsim.v1.refusals) for the server's statuses, its batch items and the
client's reading of both; and one log line per refused call, without a traceback."""

from __future__ import annotations

import logging
import socket

import grpc
import pytest
from google.rpc import code_pb2

from dccsim.clients import client as client_module
from dccsim.clients.client import (
    AcknowledgementLost,
    Client,
    InvalidRequest,
    NotFoundError,
    NotSimulatedError,
    StorageUnavailable,
    build_request,
)
from dccsim.server.core.errors import InvalidField, NotFound, NotSimulated
from dccsim.server.rpc import errors
from dccsim.server.rpc.app import RunningServer
from dccsim.server.store import StateFileError
from dccsim.v1 import control_pb2, supplier_pb2
from dccsim.v1.refusals import Refusal
from tests.conftest import ESME, SUPPLIER_A

CORE_ERRORS = {
    Refusal.MALFORMED: InvalidField("body.utrn", "is not a UTRN"),
    Refusal.NOT_FOUND: NotFound("user", "90-B3-D5-1F-30-09-00-00"),
    Refusal.NOT_SIMULATED: NotSimulated("99.9", "Imaginary"),
    Refusal.STORAGE_UNAVAILABLE: StateFileError("database or disk is full"),
}
CLIENT_ERRORS = {
    Refusal.MALFORMED: InvalidRequest,
    Refusal.NOT_FOUND: NotFoundError,
    Refusal.NOT_SIMULATED: NotSimulatedError,
    Refusal.ACKNOWLEDGEMENT_LOST: AcknowledgementLost,
    Refusal.STORAGE_UNAVAILABLE: StorageUnavailable,
}


def read(counter: int, request_id: str | None = None) -> supplier_pb2.SubmitRequest:
    request = build_request(
        "11.2",
        user=SUPPLIER_A,
        target=ESME,
        counter=counter,
        cv=1,
        body={"read_firmware_version": {}},
    )
    if request_id is not None:
        request.request_id = request_id
    return request


def test_every_refusal_has_its_code_and_both_halves_of_the_table() -> None:
    assert {r.code for r in Refusal} == {
        code_pb2.INVALID_ARGUMENT,
        code_pb2.NOT_FOUND,
        code_pb2.UNIMPLEMENTED,
        code_pb2.UNAVAILABLE,
    }
    for refusal in Refusal:
        assert refusal.status_code.value[0] == refusal.code
        assert refusal.status_code.name == refusal.code_name
        assert Refusal.of(refusal.status_code, refusal.name) is refusal
        assert Refusal.of(refusal.code, refusal.name) is refusal
    assert Refusal.of(grpc.StatusCode.INVALID_ARGUMENT) is Refusal.MALFORMED  # the code says it
    # Two refusals share UNAVAILABLE (and so may the network): only the reason tells them apart.
    assert Refusal.of(grpc.StatusCode.UNAVAILABLE) is None
    assert Refusal.of(code_pb2.NOT_FOUND, "MALFORMED") is None  # a reason with the wrong code
    # The server raises every refusal but the lost acknowledgement from an exception.
    assert set(errors.REFUSALS.values()) == set(Refusal) - {Refusal.ACKNOWLEDGEMENT_LOST}
    assert set(client_module._EXCEPTIONS) == set(Refusal)
    assert Refusal.of(grpc.StatusCode.PERMISSION_DENIED) is None


@pytest.mark.parametrize("refusal", list(CORE_ERRORS))
def test_a_batch_item_reads_back_as_the_error_its_status_would(refusal: Refusal) -> None:
    error = CORE_ERRORS[refusal]
    item = errors.submit_error(error)
    assert (item.status_code, item.reason) == (refusal.code, refusal.name)
    assert item.code == refusal.code_name  # the name, for readers written before status_code
    outcome = client_module._refusal(item)
    assert type(outcome) is CLIENT_ERRORS[refusal]
    assert str(outcome) == item.message
    assert str(error) in str(outcome)
    if refusal is Refusal.MALFORMED:
        assert isinstance(outcome, InvalidRequest) and outcome.field == "body.utrn"


def test_a_refused_call_and_a_refused_batch_item_are_the_same_error(
    server: RunningServer,
) -> None:
    with Client(f"127.0.0.1:{server.port}") as dcc:
        with pytest.raises(InvalidRequest) as unary:
            dcc.submit(read(1, request_id="not-a-request-id"))
        (item,) = dcc.submit_batch([read(2, request_id="not-a-request-id")])
        raw = dcc.supplier.SubmitBatch(
            supplier_pb2.SubmitBatchRequest(requests=[read(3, request_id="nope")])
        )
        with pytest.raises(NotFoundError):
            dcc.device("00-DB-12-34-56-78-99-99")
    assert isinstance(item, InvalidRequest)
    assert (str(item), item.field) == (str(unary.value), unary.value.field)
    assert item.field == "request_id"
    assert raw.results[0].error.status_code == code_pb2.INVALID_ARGUMENT


@pytest.mark.spec("FAULT-01")
def test_a_lost_acknowledgement_reads_back_alike_unary_and_batched(server: RunningServer) -> None:
    rule = control_pb2.FaultRule(action="drop", stage="acknowledgement", srv="11.2")
    with Client(f"127.0.0.1:{server.port}") as dcc:
        dcc.add_fault_rule(rule)
        with pytest.raises(AcknowledgementLost):
            dcc.submit(read(10))
        (item,) = dcc.submit_batch([read(11)])
    assert isinstance(item, AcknowledgementLost)
    assert str(item) == errors.ACKNOWLEDGEMENT_LOST


def test_an_unavailable_server_is_not_a_lost_acknowledgement() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with Client(f"127.0.0.1:{port}") as dcc, pytest.raises(grpc.RpcError) as caught:
        dcc.supplier.Submit(read(1), timeout=2)
    translated = client_module._translate(caught.value)
    assert translated is caught.value  # the network's UNAVAILABLE, as it came
    assert caught.value.code() is grpc.StatusCode.UNAVAILABLE


def _refusal_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "dccsim.rpc" and "refused" in r.getMessage()]


def test_a_malformed_call_logs_one_line_with_the_peer_and_the_reason(
    server: RunningServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="dccsim.rpc")
    with Client(f"127.0.0.1:{server.port}") as dcc, pytest.raises(InvalidRequest):
        dcc.submit(read(1, request_id="not-a-request-id"))
    (line,) = _refusal_lines(caplog)
    message = line.getMessage()
    assert line.levelno == logging.INFO
    assert "peer=ipv4:127.0.0.1:" in message
    assert "method=/dccsim.v1.SupplierService/Submit" in message
    assert "reason=request_id: 'not-a-request-id'" in message
    assert line.exc_info is None and "\n" not in message
    assert not [r for r in caplog.records if r.exc_info]  # no traceback anywhere


def test_a_batch_with_refused_items_logs_one_line_counting_the_rest(
    server: RunningServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="dccsim.rpc")
    with Client(f"127.0.0.1:{server.port}") as dcc:
        dcc.submit_batch([read(1, request_id="bad-1"), read(2), read(3, request_id="bad-3")])
    (line,) = _refusal_lines(caplog)
    message = line.getMessage()
    assert "method=/dccsim.v1.SupplierService/SubmitBatch" in message
    assert "reason=request_id: 'bad-1'" in message
    assert message.endswith("(and 1 more in this call)")


def test_a_bug_is_not_answered_as_a_refusal() -> None:
    class Context:
        def abort_with_status(self, status: grpc.Status) -> None:
            raise AssertionError("a bug must not be answered as a refusal")

    with pytest.raises(KeyError), errors.translated_errors(Context(), "Test.Bug"):  # type: ignore[arg-type]
        raise KeyError("a bug")


class _FailedCall(grpc.RpcError, grpc.Call):
    """A failed call as the client sees one, carrying a status the server made."""

    def __init__(self, status: grpc.Status) -> None:
        self._status = status

    def code(self) -> grpc.StatusCode:
        return self._status.code

    def details(self) -> str:
        return self._status.details

    def trailing_metadata(self):
        return self._status.trailing_metadata

    def initial_metadata(self):
        return ()

    def is_active(self) -> bool:
        return False

    def time_remaining(self) -> None:
        return None

    def cancel(self) -> bool:
        return False

    def add_callback(self, callback) -> bool:
        return False


@pytest.mark.parametrize("refusal", [*CORE_ERRORS, Refusal.ACKNOWLEDGEMENT_LOST])
def test_a_status_reads_back_as_its_refusal(refusal: Refusal) -> None:
    status = (
        errors.acknowledgement_lost_status()
        if refusal is Refusal.ACKNOWLEDGEMENT_LOST
        else errors.status_of(CORE_ERRORS[refusal])
    )
    assert status.code is refusal.status_code
    translated = client_module._translate(_FailedCall(status))
    assert type(translated) is CLIENT_ERRORS[refusal]
    assert str(translated) == status.details


def test_an_unavailable_without_dccsims_reason_is_left_as_it_came() -> None:
    status = grpc.Status()  # what a status without details looks like to the client
    status.code, status.details, status.trailing_metadata = grpc.StatusCode.UNAVAILABLE, "x", ()
    call = _FailedCall(status)
    assert client_module._translate(call) is call
