"""What every fuzz target shares: how many examples to run, a seasoned DSP to run them against,
a stand-in for the gRPC servicer context, and the property itself.

The property (BAD-01, BAD-02): a call returns an answer or a gRPC error whose code is one the
project allows (INVALID_ARGUMENT naming the field, NOT_FOUND, UNIMPLEMENTED) with a message; and
when the input was rejected -- a gRPC error, or a DUIS error code (E...) in the answer -- the
DSP's `fingerprint` is what it was before the call.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import grpc
from google.rpc import error_details_pb2, status_pb2
from hypothesis import HealthCheck, settings

from dccsim.server.core.clock import VirtualClock
from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.dsp import Dsp
from dccsim.server.core.fingerprint import fingerprint
from dccsim.server.core.fleet import SUPPLIER_A, SUPPLIER_B
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.messages import InventoryResult, PreCommand, SyncAnswer
from dccsim.server.core.records import DuisVersion
from dccsim.server.core.requests import (
    ActivateFirmware,
    ReadFirmwareVersion,
    RequestBody,
    RequestId,
    ServiceRequest,
    SignedPreCommand,
    UpdateFirmware,
)
from dccsim.server.core.services.inventory import MAX_INVENTORY_DEVICES
from dccsim.server.duis import build_outbox_message, build_sync_answer
from dccsim.server.rpc import convert
from dccsim.server.runtime.host import DspHost
from tests.conftest import CHF, ESME, GSME, NEW_IMAGE, NEW_IMAGE_HASH, example_dsp

# -- how much to run -----------------------------------------------------------------------------

# Examples per fuzz test. The default keeps CI's whole fuzz suite well under a minute; a long run
# sets it higher (tests/fuzz/README.md). Random (not derandomized) runs: DCCSIM_FUZZ_RANDOM=1,
# with pytest's --hypothesis-seed=N to repeat one.
EXAMPLES = int(os.environ.get("DCCSIM_FUZZ_EXAMPLES", "500"))
RANDOM = os.environ.get("DCCSIM_FUZZ_RANDOM", "") not in ("", "0")


def fuzz_settings(share: float = 1.0) -> settings:
    """Settings for one fuzz test running `share` x DCCSIM_FUZZ_EXAMPLES examples: deterministic
    unless DCCSIM_FUZZ_RANDOM is set, and never reading or writing a .hypothesis database."""
    return settings(
        max_examples=max(1, int(EXAMPLES * share)),
        derandomize=not RANDOM,
        database=None,
        deadline=None,
        print_blob=True,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
            HealthCheck.large_base_example,
        ],
    )


# Inputs sent, by target: printed at the end of the run (tests/fuzz/conftest.py).
SENT: Counter[str] = Counter()

# -- the DSP under test --------------------------------------------------------------------------

# Counters used while seasoning: below every counter the public DUIS templates use (1000 on).
SEASONING_COUNTER = 10
FUTURE = datetime(2026, 3, 1, tzinfo=UTC)


def _no_real_time() -> float:
    return 0.0


def still_dsp() -> Dsp:
    """The example fleet on a clock that real time never moves, even at a rate above 0: so a
    fingerprint taken before and after a call differs only by what the call did."""
    return example_dsp(clock=VirtualClock(monotonic=_no_real_time))


@dataclass(frozen=True)
class Seasoned:
    dsp: Dsp
    pre_command: tuple[RequestId, bytes]  # a CV 4 PreCommand awaiting its signed leg


def seasoned_dsp() -> Seasoned:
    """The example fleet with some history, so that rejections have state to leave alone: an
    image held by the ESME and GSME (with receipts queued), a read answered (an outbox entry and
    a counter), a future-dated read held by the DSP (scheduler), a future-dated activation held
    by the GSME, and an 11.3 PreCommand awaiting its CV 5 leg. Deterministic: every call builds
    the same state."""
    dsp = still_dsp()
    acb = dsp.state.acb_id

    def send(
        target: str, srv: str, cv: CommandVariant, body: RequestBody, **extra: Any
    ) -> SyncAnswer:
        rid = RequestId(SUPPLIER_A, target, SEASONING_COUNTER + len(dsp.counters))
        answer = dsp.submit(ServiceRequest(rid, srv, cv, body, **extra))
        assert answer.code.startswith(("I", "W")), answer
        return answer

    send(acb, "11.1", CommandVariant.NON_DEVICE, UpdateFirmware(NEW_IMAGE, "0200", (ESME, GSME)))
    send(ESME, "11.2", CommandVariant.NON_CRITICAL_REMOTE, ReadFirmwareVersion())
    later = {"execution_datetime": FUTURE}
    send(CHF, "11.2", CommandVariant.NON_CRITICAL_REMOTE, ReadFirmwareVersion(), **later)
    activation = ActivateFirmware(NEW_IMAGE_HASH)
    # The GSME's activation: CV 4, then the signed CV 5 leg, future-dated (held by the device).
    pre = send(GSME, "11.3", CommandVariant.CRITICAL_TRANSFORM, activation, **later)
    assert isinstance(pre.body, PreCommand)
    signed = ServiceRequest(
        pre.request_id,
        "11.3",
        CommandVariant.CRITICAL_SIGNED_REMOTE,
        SignedPreCommand(pre.body.payload),
    )
    assert dsp.submit(signed).code == "I99"
    pending = send(ESME, "11.3", CommandVariant.CRITICAL_TRANSFORM, activation)
    dsp.acknowledge(SUPPLIER_A, up_to=1)
    # SUPPLIER_B holds nothing yet: its outbox must stay empty after a rejection too.
    assert not dsp.pending(SUPPLIER_B)
    assert isinstance(pending.body, PreCommand)
    return Seasoned(dsp, (pending.request_id, pending.body.payload))


def fresh_host() -> tuple[DspHost, Seasoned]:
    seasoned = seasoned_dsp()
    return DspHost(seasoned.dsp), seasoned


# -- a servicer context --------------------------------------------------------------------------


class Aborted(Exception):
    """What `context.abort` raises in place of grpc's own exception."""

    def __init__(self, code: grpc.StatusCode, details: str, metadata: tuple = ()) -> None:
        super().__init__(f"{code.name}: {details}")
        self.code = code
        self.details = details
        self.metadata = metadata


class FakeContext:
    """Just enough of grpc.ServicerContext for calling a servicer method directly."""

    def abort(self, code: grpc.StatusCode, details: str) -> None:
        raise Aborted(code, details)

    def abort_with_status(self, status: grpc.Status) -> None:
        raise Aborted(status.code, status.details, tuple(status.trailing_metadata or ()))

    def is_active(self) -> bool:
        return True

    def invocation_metadata(self) -> tuple:
        return ()

    def peer(self) -> str:
        return "fuzz"


# -- the property --------------------------------------------------------------------------------

ALLOWED_CODES = frozenset(
    {grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.NOT_FOUND, grpc.StatusCode.UNIMPLEMENTED}
)


def field_violations(metadata: tuple) -> list[error_details_pb2.BadRequest.FieldViolation]:
    """The google.rpc.BadRequest field violations carried in a status's trailing metadata."""
    violations = []
    for key, value in metadata:
        if key != "grpc-status-details-bin":
            continue
        status = status_pb2.Status.FromString(value)
        for detail in status.details:
            request = error_details_pb2.BadRequest()
            if detail.Unpack(request):
                violations.extend(request.field_violations)
    return violations


def check_error(code: grpc.StatusCode, details: str, metadata: tuple) -> None:
    """An allowed status with a message; INVALID_ARGUMENT names the field in a BadRequest."""
    assert code in ALLOWED_CODES, f"{code.name}: {details}"
    assert details, f"{code.name} without a message"
    if code is grpc.StatusCode.INVALID_ARGUMENT:
        violations = field_violations(metadata)
        assert violations, f"INVALID_ARGUMENT without a BadRequest: {details}"
        assert all(v.field and v.description for v in violations), violations


def assert_unchanged(dsp: Dsp, before: dict[str, object]) -> None:
    """The fingerprint is as it was before the call."""
    after = fingerprint(dsp)
    changed = sorted(key for key in before if before[key] != after.get(key))
    assert not changed, f"a rejected input changed {changed}"


@dataclass(frozen=True)
class Answer:
    """What an answer said: its DUIS response code, SRV and RequestID."""

    code: str
    srv: str
    request_id: str

    @property
    def rejected(self) -> bool:
        return self.code.startswith("E")


def run_checked(
    target: str,
    host: DspHost,
    call: Callable[[], object],
    read: Callable[[object], Answer | None] = lambda _: None,
) -> object | Aborted:
    """Run one call and apply the property; return the answer, or the Aborted. `read` says what
    an answer said (None: not a DUIS answer, e.g. the control API's). The DSP is looked up on
    the host before and after: LoadFleet replaces it."""
    SENT[target] += 1
    before = fingerprint(host.dsp)
    try:
        answer = call()
    except Aborted as aborted:
        check_error(aborted.code, aborted.details, aborted.metadata)
        assert_unchanged(host.dsp, before)
        return aborted
    said = read(answer)
    if said is not None and said.rejected:
        assert_unchanged(host.dsp, before)
    return answer


# -- what an accepted input leaves behind --------------------------------------------------------


def render_everything(dsp: Dsp) -> None:
    """Write out everything the DSP holds the way clients will read it: every queued message as
    DUIS XML (in its user's interface version) and as a typed Delivery, and every SMI record as
    a typed Device and inside a DUIS 8.2 answer. An accepted input must never leave behind state
    that a later read cannot answer (BAD-02)."""
    state = dsp.state
    for user_id, user in state.users.items():
        for entry in dsp.pending(user_id):
            build_outbox_message(entry.message, user.interface_version, recipient=user_id)
            convert.delivery(entry)
    records = sorted(state.smi, key=lambda r: r.device_id)
    for record in records:
        convert.device(record)
    rid = RequestId(SUPPLIER_A, state.acb_id, 1)
    for start in range(0, len(records), MAX_INVENTORY_DEVICES):
        chunk = tuple(records[start : start + MAX_INVENTORY_DEVICES])
        statuses = tuple(
            s.duis_value if (s := state.cpl.status_of(r.cpl_key)) else None for r in chunk
        )
        answer = SyncAnswer(rid, "8.2", ResponseCode.I0, InventoryResult(chunk, statuses))
        for version in DuisVersion:
            build_sync_answer(answer, version, at=dsp.now())
