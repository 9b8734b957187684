"""Fuzzing SubmitBatch and SubmitStream (BAD-01, BAD-02) by difference: a list of random and
near-valid SubmitRequests goes in one batch (or one stream) to one DSP, and one by one through
the unary Submit to an identical DSP. Each item must get its own result -- the one the unary
call gave, an error where it raised one -- and the two DSPs must end identical; since each unary
call that was refused changed nothing (checked as it runs), neither did its item in the batch."""

from __future__ import annotations

import grpc
import pytest
from google.rpc import error_details_pb2, status_pb2
from hypothesis import given
from hypothesis import strategies as st

from dccsim.server.core.fingerprint import fingerprint
from dccsim.server.rpc.services import SupplierService
from dccsim.v1 import supplier_pb2
from tests.fuzz.harness import (
    SENT,
    Aborted,
    FakeContext,
    field_violations,
    fresh_host,
    fuzz_settings,
    run_checked,
)
from tests.fuzz.test_typed_fuzz import read_submit_response
from tests.fuzz.typed_inputs import submit_request

needs_batches = pytest.mark.skipif(
    "SubmitBatch" not in SupplierService.__dict__, reason="SubmitBatch is not served yet"
)
batches = st.lists(submit_request(), min_size=1, max_size=8)


def _one_by_one(requests: list[supplier_pb2.SubmitRequest]) -> tuple[list[object], dict]:
    """Each request through the unary Submit, checked; what each gave, as a SubmitResult."""
    host, _ = fresh_host()
    service = SupplierService(host)
    results = []
    for request in requests:
        outcome = run_checked(
            "batch: the same items one by one",
            host,
            lambda request=request: service.Submit(request, FakeContext()),
            read_submit_response,
        )
        results.append(_as_result(outcome))
    return results, fingerprint(host.dsp)


def _reason(metadata: tuple) -> str:
    """The refusal a status's google.rpc.ErrorInfo names (dccsim.v1.refusals)."""
    for key, value in metadata:
        if key == "grpc-status-details-bin":
            for detail in status_pb2.Status.FromString(value).details:
                info = error_details_pb2.ErrorInfo()
                if detail.Unpack(info):
                    return info.reason
    return ""


def _as_result(outcome: object) -> supplier_pb2.SubmitResult:
    if isinstance(outcome, Aborted):
        violations = field_violations(outcome.metadata)
        field = violations[0].field if outcome.code is grpc.StatusCode.INVALID_ARGUMENT else ""
        error = supplier_pb2.SubmitError(
            code=outcome.code.name,
            message=outcome.details,
            field=field,
            status_code=outcome.code.value[0],  # the google.rpc.Code
            reason=_reason(outcome.metadata),
        )
        return supplier_pb2.SubmitResult(error=error)
    assert isinstance(outcome, supplier_pb2.SubmitResponse)
    return supplier_pb2.SubmitResult(response=outcome)


@needs_batches
@pytest.mark.spec("BAD-01", "BAD-02")
@fuzz_settings(share=0.15)
@given(requests=batches)
def test_submit_batch_answers_each_item_as_submit_would(
    requests: list[supplier_pb2.SubmitRequest],
) -> None:
    host, _ = fresh_host()
    batch = supplier_pb2.SubmitBatchRequest(requests=requests)
    SENT["batch: SubmitBatch items"] += len(requests)
    results = list(SupplierService(host).SubmitBatch(batch, FakeContext()).results)
    expected, state = _one_by_one(requests)
    assert results == expected
    assert fingerprint(host.dsp) == state


@needs_batches
@pytest.mark.spec("BAD-01", "BAD-02")
@fuzz_settings(share=0.1)
@given(requests=batches)
def test_submit_stream_answers_each_item_as_submit_would(
    requests: list[supplier_pb2.SubmitRequest],
) -> None:
    host, _ = fresh_host()
    SENT["batch: SubmitStream items"] += len(requests)
    results = list(SupplierService(host).SubmitStream(iter(requests), FakeContext()))
    expected, state = _one_by_one(requests)
    assert results == expected
    assert fingerprint(host.dsp) == state
