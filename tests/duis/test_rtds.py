"""Acceptance: DCC's Reference Test Data Set (RTDS 4.9.1, 297 DUIS request templates that between
them use every SRV of the Service Request Matrix) against the default example fleet (SRV-01).

Every template is parsed (structurally, and strictly against the official schemas where
`../shared/duis-xsd` is present), sent as a real User sends it (`template_document`, REQ-08) to a
fresh DSP of its own, and classified:

- *accepted*: answered `I0`, `I99` or a `W` warning, or an `E` code of the SRV's own validation
  (E0804xx for 8.4, E1101xx for 11.1, ...). A CV 4 PreCommand is signed and sent back with CV 5
  (REQ-05); a device SR's future date is reached on the virtual clock (REQ-07) and what the fleet's
  users are sent is collected;
- *refused*: an authorisation or validation code (E1, E2, E3, E4, E19, E11, E5, E17, E12);
- *not simulated*: `Dsp.submit` raised NotSimulated, which it does only after validation and
  authorisation passed.

SRV-01 holds for the SRVs dccsim serves today (`REGISTRY`): their templates are all accepted and
answered. The templates of the other SRVs are tracked: the default fleet must authorise them too,
and they must stop at NotSimulated with nothing changed. The counts grow with `REGISTRY`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from dccsim.server.core.dsp import Dsp
from dccsim.server.core.errors import InvalidField, NotSimulated
from dccsim.server.core.fleet import example_fleet
from dccsim.server.core.matrix import SERVICE_MATRIX
from dccsim.server.core.messages import PreCommand, SyncAnswer
from dccsim.server.core.records import DuisVersion
from dccsim.server.core.services import REGISTRY
from dccsim.server.duis.build import build_outbox_message, build_sync_answer
from dccsim.server.duis.names import service_reference
from dccsim.server.duis.parse import BODY_READERS, parse_request
from dccsim.server.duis.schemas import DuisSchemas
from tests.conftest import RTDS_DIR, example_dsp
from tests.duis.documents import (
    XSD_5_1,
    XSD_5_3A,
    OfficialSchemas,
    rtds_paths,
    signed_pre_command_xml,
    template_document,
    text,
    texts,
)

RTDS_SIZE = 297  # RTDS 4.9.1, as published in @smartdcc/duis-templates 0.7.0
# Authorisation (AUTH-*) and request validation (REQ-06): a template the fleet should accept.
REFUSAL_CODES = frozenset({"E1", "E2", "E3", "E4", "E19", "E11", "E5", "E17", "E12"})
ACCEPTED, REFUSED, REJECTED, NOT_SIMULATED = "accepted", "refused", "rejected", "not simulated"
INVALID, UNPARSED, CRASHED = "invalid", "unparsed", "crashed"
# The example fleet's users and their interface versions: each is answered in its own (VER-01).
FLEET_VERSIONS = {
    user.user_id: DuisVersion(user.interface_version) for user in example_fleet().users
}
# Each document is checked for its recipient's version, then in the other schema family too
# (RTDS's senders are on 5.2, so otherwise the 5.1 shapes would barely be exercised).
FAMILIES = (DuisVersion.V5_2, DuisVersion.V5_1)


@dataclass(repr=False)
class Outcome:
    """What became of one template."""

    name: str
    srv: str
    kind: str = ""
    code: str = ""  # the final answer's code (the CV 5 leg's, for a CV 4 template)
    detail: str = ""
    request_id: str = ""
    device_sr: bool = False  # acknowledged with I99: the device's answer follows (REQ-03)
    # (label, recipient's version, document): every synchronous answer and delivered message.
    documents: list[tuple[str, DuisVersion, bytes]] = field(default_factory=list)
    delivered_request_ids: set[str] = field(default_factory=set)
    changed: list[str] = field(default_factory=list)  # what a NotSimulated request changed

    @property
    def served(self) -> bool:
        return self.srv in REGISTRY

    def __repr__(self) -> str:  # pytest shows failing lists by repr: keep the documents out
        return f"<{self.describe()}>"

    def describe(self) -> str:
        detail = f" ({self.detail})" if self.detail else ""
        return f"{self.name} [SRV {self.srv}]: {self.kind} {self.code}{detail}".rstrip()


@pytest.fixture(scope="module")
def rtds_templates() -> list[Path]:
    if not RTDS_DIR.is_dir():
        pytest.skip(f"DCC's Reference Test Data Set is not in {RTDS_DIR}")
    found = rtds_paths()
    if not found:
        pytest.skip(f"no DUIS request templates in {RTDS_DIR}")
    return found


@pytest.fixture(scope="module")
def rtds_run(rtds_templates: list[Path]) -> list[Outcome]:
    return [_run(path) for path in rtds_templates]


def _srv_of(document: bytes) -> str:
    found = re.search(rb"<sr:ServiceReferenceVariant>\s*([0-9.]+)\s*<", document)
    return found.group(1).decode() if found else "?"


def _own_code(srv: str, code: str) -> bool:
    """An E code of the SRV's own validation: E + its Service Reference's two-digit parts."""
    prefix = "E" + "".join(f"{int(part):02d}" for part in service_reference(srv).split("."))
    return code.startswith(prefix) and len(code) == len(prefix) + 2


def _classify(code: str, srv: str) -> str:
    if code.startswith(("I", "W")) or _own_code(srv, code):
        return ACCEPTED
    return REFUSED if code in REFUSAL_CODES else REJECTED


def _run(path: Path) -> Outcome:
    """Send one template to a DSP of its own (templates reuse counters and touch the same
    devices: one DSP each keeps them independent) and record what happens."""
    document = template_document(path)
    outcome = Outcome(path.name, _srv_of(document))
    try:
        request = parse_request(document).request
    except InvalidField as error:
        outcome.kind, outcome.detail = UNPARSED, str(error)
        return outcome
    outcome.request_id = str(request.request_id)
    dsp = example_dsp(strict_counters=False)  # RTDS counters repeat across templates
    try:
        answer = dsp.submit(request)
        _keep_sync(outcome, dsp, answer, "answer")
        if isinstance(answer.body, PreCommand):  # REQ-05: CV 4, then the same RequestID signed
            pre_command = build_sync_answer(answer, DuisVersion.V5_2, at=dsp.now())
            leg = signed_pre_command_xml(pre_command, outcome.request_id, request.srv)
            answer = dsp.submit(parse_request(leg).request)
            _keep_sync(outcome, dsp, answer, "CV 5 answer")
        outcome.code, outcome.detail = str(answer.code), answer.detail
        outcome.kind = _classify(outcome.code, request.srv)
        outcome.device_sr = answer.code == "I99" and not SERVICE_MATRIX[request.srv].non_device
        when = request.execution_datetime
        if (
            outcome.device_sr
            and when is not None
            and when > dsp.now()
            and not request.is_cancellation
        ):
            dsp.advance_to(when)  # REQ-07: the future-dated SR falls due
        _collect_deliveries(outcome, dsp)
    except NotSimulated as error:
        outcome.kind, outcome.detail = NOT_SIMULATED, str(error)
        outcome.changed = _changes(dsp)
    except InvalidField as error:
        outcome.kind, outcome.detail = INVALID, str(error)
    except Exception as error:  # BAD-02: an acceptance run reports a crash, it does not stop
        outcome.kind, outcome.detail = CRASHED, f"{type(error).__name__}: {error}"
    return outcome


def _keep_sync(outcome: Outcome, dsp: Dsp, answer: SyncAnswer, label: str) -> None:
    sender = answer.request_id.originator
    recipient = FLEET_VERSIONS.get(sender, DuisVersion.V5_2)
    for version in _versions_for(recipient):
        built = build_sync_answer(answer, version, at=dsp.now())
        outcome.documents.append((f"{label} to {sender}", version, built))


def _collect_deliveries(outcome: Outcome, dsp: Dsp) -> None:
    for user, recipient in FLEET_VERSIONS.items():
        for entry in dsp.pending(user):
            message = entry.message
            for version in _versions_for(recipient):
                built = build_outbox_message(message, version, recipient=user)
                label = f"{type(message).__name__} #{entry.sequence} to {user}"
                outcome.documents.append((label, version, built))
                outcome.delivered_request_ids.update(texts(built, "//sr:Header/sr:RequestID"))


def _versions_for(recipient: DuisVersion) -> Iterator[DuisVersion]:
    first = DuisVersion.V5_1 if recipient is DuisVersion.V5_1 else DuisVersion.V5_2
    yield first
    yield from (version for version in FAMILIES if version is not first)


def _changes(dsp: Dsp) -> list[str]:
    """What a request that ended in NotSimulated left behind: it should be nothing."""
    changed = [f"counter {key}" for key in dsp.counters]
    changed += [f"pre-command {rid}" for rid in dsp.pending_pre_commands]
    changed += [f"message to {user}" for user in FLEET_VERSIONS for _ in dsp.pending(user)]
    return changed


def _listing(outcomes: list[Outcome]) -> str:
    return "\n  " + "\n  ".join(outcome.describe() for outcome in outcomes)


@pytest.mark.spec("SRV-01", "REQ-01", "REQ-08", "VER-01")
def test_every_rtds_template_parses_structurally_and_strictly(rtds_templates: list[Path]) -> None:
    strict = DuisSchemas([XSD_5_1, XSD_5_3A]) if XSD_5_1.is_file() and XSD_5_3A.is_file() else None
    failures = {}
    for path in rtds_templates:
        document = template_document(path)
        try:
            parsed = parse_request(document)
            if strict is not None:
                assert parse_request(document, schema=strict) == parsed, "strict parse differs"
            request = parsed.request
            assert text(document, "//sr:ServiceReferenceVariant") == request.srv
            assert str(request.request_id) == text(document, "//sr:RequestID")
            assert parsed.signed, "no (placeholder) ds:Signature"
            assert parsed.schema_version is DuisVersion.V5_4
            if request.srv in BODY_READERS:
                assert parsed.body_element == BODY_READERS[request.srv][0], parsed.body_element
        except (InvalidField, AssertionError) as error:
            failures[path.name] = f"{type(error).__name__}: {error}"
    assert failures == {}, f"{len(failures)} of {len(rtds_templates)} templates do not parse"


@pytest.mark.spec("SRV-01", "REQ-03", "REQ-04", "REQ-05", "REQ-08")
def test_every_served_rtds_template_is_accepted_and_answered(rtds_run: list[Outcome]) -> None:
    served = [outcome for outcome in rtds_run if outcome.served]
    assert served, "no template of a served SRV"
    failed = [outcome for outcome in served if outcome.kind != ACCEPTED]
    assert not failed, (
        f"{len(failed)} of {len(served)} templates of served SRVs are not accepted and answered:"
        + _listing(failed)
    )


@pytest.mark.spec("SRV-01", "REQ-03", "REQ-07")
def test_every_acknowledged_rtds_device_request_gets_its_device_response(
    rtds_run: list[Outcome],
) -> None:
    acknowledged = [outcome for outcome in rtds_run if outcome.device_sr]
    unanswered = [o for o in acknowledged if o.request_id not in o.delivered_request_ids]
    assert not unanswered, (
        f"{len(unanswered)} of {len(acknowledged)} device SRs were acknowledged (I99) but nothing "
        "correlated by their RequestID was ever delivered:" + _listing(unanswered)
    )


@pytest.mark.spec("SRV-01", "VER-01")
def test_every_rtds_answer_and_delivery_is_valid_for_the_recipients_version(
    rtds_run: list[Outcome], schemas: OfficialSchemas
) -> None:
    invalid = []
    checked = 0
    for outcome in rtds_run:
        for label, version, document in outcome.documents:
            checked += 1
            try:
                schemas.assert_valid(document, version)
            except AssertionError as error:
                invalid.append(f"{outcome.name}: {label} (DUIS {version}): {error}")
    assert checked, "no document to check"
    assert not invalid, f"{len(invalid)} of {checked} documents are invalid:\n  " + "\n  ".join(
        invalid
    )


@pytest.mark.spec("SRV-01", "REQ-08")
def test_the_default_fleet_authorises_every_rtds_template(rtds_run: list[Outcome]) -> None:
    refused = [outcome for outcome in rtds_run if outcome.kind == REFUSED]
    assert not refused, (
        f"the default fleet refuses {len(refused)} of {len(rtds_run)} RTDS templates:"
        + _listing(refused)
    )


@pytest.mark.spec("SRV-01")
def test_every_unserved_rtds_template_is_authorised_then_not_simulated(
    rtds_run: list[Outcome],
) -> None:
    unserved = [outcome for outcome in rtds_run if not outcome.served]
    wrong = [outcome for outcome in unserved if outcome.kind != NOT_SIMULATED]
    assert not wrong, (
        f"{len(wrong)} of {len(unserved)} templates of unserved SRVs did not stop at "
        "NotSimulated after validation and authorisation:" + _listing(wrong)
    )
    changed = {outcome.name: outcome.changed for outcome in unserved if outcome.changed}
    assert changed == {}, "a request that is not simulated changed the DSP"


@pytest.mark.spec("SRV-01")
def test_rtds_summary(rtds_run: list[Outcome]) -> None:
    kinds = Counter(outcome.kind for outcome in rtds_run)
    served = [outcome for outcome in rtds_run if outcome.served]
    srvs = {outcome.srv for outcome in rtds_run}
    unserved_srvs = sorted(srvs - set(REGISTRY), key=lambda s: [int(p) for p in s.split(".")])
    print(
        f"\nRTDS: {len(rtds_run)} templates, {len(srvs)} SRVs; served: {len(served)} templates of "
        f"{len(srvs & set(REGISTRY))} SRVs; outcomes: {dict(sorted(kinds.items()))}\n"
        f"not yet served ({len(unserved_srvs)}): {', '.join(unserved_srvs)}"
    )
    assert len(rtds_run) == RTDS_SIZE
    assert srvs == set(SERVICE_MATRIX), "RTDS uses every SRV of the matrix (SPEC section 11)"
    assert set(REGISTRY) <= srvs, "every served SRV is exercised by a template"
    others = [o for o in rtds_run if o.kind not in (ACCEPTED, NOT_SIMULATED)]
    summary = f"{dict(sorted(kinds.items()))}; neither accepted nor not simulated:"
    assert kinds[ACCEPTED] == len(served), summary + _listing(others)
    assert kinds[NOT_SIMULATED] == len(rtds_run) - len(served), summary + _listing(others)
