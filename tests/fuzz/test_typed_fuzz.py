"""Fuzzing the typed API (BAD-01, BAD-02): SubmitRequests of every body kind, random and
near-valid, straight to the SupplierService servicer; and sequences of control API calls
(PutDevice, PutCplEntry, SetClock, AddFaultRule, ...) straight to the ControlService. Every call
is answered or refused with an allowed gRPC error naming the field; a refused call (or an answer
with a DUIS error code) leaves the fingerprint as it was; and whatever was accepted, the DSP
still serves: its state can be read back through every API."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from google.protobuf.duration_pb2 import Duration
from hypothesis import given
from hypothesis import strategies as st

from dccsim.server.core.fleet import SUPPLIER_A
from dccsim.server.rpc.services import ControlService, SupplierService
from dccsim.server.runtime.host import DspHost
from dccsim.v1 import control_pb2, supplier_pb2
from tests.conftest import ESME, GSME
from tests.fuzz.harness import (
    Answer,
    FakeContext,
    fresh_host,
    fuzz_settings,
    render_everything,
    run_checked,
    still_dsp,
)
from tests.fuzz.strategies import USER_IDS, eui, small_text, text_value
from tests.fuzz.typed_inputs import (
    cpl_message,
    device_message,
    fault_rule_message,
    registration_message,
    set_clock_message,
    submit_request,
    user_message,
)


def read_submit_response(answer: object) -> Answer:
    assert isinstance(answer, supplier_pb2.SubmitResponse)
    assert answer.response_code, answer
    return Answer(answer.response_code, answer.service_reference_variant, answer.request_id)


@pytest.mark.spec("BAD-01", "BAD-02")
@fuzz_settings(share=1.0)
@given(request=submit_request())
def test_submit(request: supplier_pb2.SubmitRequest) -> None:
    host, _ = fresh_host()
    service = SupplierService(host)
    answer = run_checked(
        "typed: Submit",
        host,
        lambda: service.Submit(request, FakeContext()),
        read_submit_response,
    )
    if isinstance(answer, supplier_pb2.SubmitResponse):
        render_everything(host.dsp)


# -- the control API -----------------------------------------------------------------------------

# (method, request) pairs; "supplier." methods are SupplierService's, the rest ControlService's.
control_calls = st.one_of(
    st.tuples(st.just("PutDevice"), device_message()),
    st.tuples(st.just("PutCplEntry"), cpl_message),
    st.tuples(st.just("SetClock"), set_clock_message()),
    st.tuples(st.just("AddFaultRule"), fault_rule_message()),
    st.tuples(st.just("PutUser"), user_message),
    st.tuples(st.just("PutRegistration"), registration_message()),
    st.tuples(
        st.just("RestoreDevice"),
        st.builds(
            control_pb2.RestoreDeviceRequest, device_id=eui(), actor=small_text, reason=text_value()
        ),
    ),
    st.tuples(
        st.just("ProgramEcosFailure"),
        st.builds(
            control_pb2.ProgramEcosFailureRequest,
            device_id=eui(),
            ecos_error_code=st.one_of(
                st.sampled_from(["E01", "E1", "EEEE", "\x00\x01\x02"]), small_text
            ),
        ),
    ),
    st.tuples(
        st.just("RemoveFaultRule"),
        st.builds(control_pb2.RemoveFaultRuleRequest, rule_id=st.integers(0, 2**32 - 1)),
    ),
    st.tuples(st.just("GetDevice"), st.builds(control_pb2.GetDeviceRequest, device_id=eui())),
    st.tuples(
        st.just("ListDevices"),
        st.builds(
            control_pb2.ListDevicesRequest,
            status=st.integers(-5, 12),
            device_type=st.integers(-5, 12),
            limit=st.integers(0, 2**32 - 1),
        ),
    ),
    st.tuples(
        st.just("supplier.Acknowledge"),
        st.builds(
            supplier_pb2.AcknowledgeRequest,
            user_id=st.one_of(st.sampled_from(USER_IDS), eui()),
            up_to_sequence=st.one_of(st.integers(0, 5), st.integers(0, 2**64 - 1)),
        ),
    ),
)

# What reads everything back: each must answer, whatever the calls before stored.
READ_BACK = (
    ("GetClock", control_pb2.GetClockRequest()),
    ("ListDevices", control_pb2.ListDevicesRequest()),
    ("ListCpl", control_pb2.ListCplRequest()),
    ("ListFaultRules", control_pb2.ListFaultRulesRequest()),
    ("ListFaultDecisions", control_pb2.ListFaultDecisionsRequest()),
)


def _method(host: DspHost, name: str) -> Callable[[object, FakeContext], object]:
    if name.startswith("supplier."):
        return getattr(SupplierService(host), name.removeprefix("supplier."))
    return getattr(ControlService(host, dsp_factory=still_dsp), name)


def _still_serves(host: DspHost) -> None:
    """BAD-02: after any accepted calls, reads answer and requests are still served."""
    for name, request in READ_BACK:
        run_checked(
            f"control: {name} (read back)",
            host,
            lambda name=name, request=request: _method(host, name)(request, FakeContext()),
        )
    render_everything(host.dsp)
    supplier = SupplierService(host)
    for counter, device in enumerate((ESME, GSME), start=10**9):
        request = supplier_pb2.SubmitRequest(
            request_id=f"{SUPPLIER_A}:{device}:{counter}",
            service_reference_variant="11.2",
            command_variant=1,
            read_firmware_version=supplier_pb2.ReadFirmwareVersion(),
        )
        run_checked(
            "control: 11.2 afterwards",
            host,
            lambda request=request: supplier.Submit(request, FakeContext()),
            read_submit_response,
        )
    # A day later, held work has run and the DSP still serves.
    advance = control_pb2.SetClockRequest(advance=Duration(seconds=86_400))
    run_checked(
        "control: SetClock (afterwards)",
        host,
        lambda: _method(host, "SetClock")(advance, FakeContext()),
    )
    render_everything(host.dsp)


@pytest.mark.spec("BAD-01", "BAD-02")
@fuzz_settings(share=0.5)
@given(calls=st.lists(control_calls, min_size=1, max_size=5))
def test_control_calls(calls: list[tuple[str, object]]) -> None:
    host, _ = fresh_host()
    for name, request in calls:
        method = _method(host, name)
        call = lambda method=method, request=request: method(request, FakeContext())  # noqa: E731
        run_checked(f"control: {name}", host, call)
    _still_serves(host)
