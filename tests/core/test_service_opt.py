"""8.5 Service Opt Out and 8.6 Service Opt In (server/core/services/service_opt.py): an ESME opted
out is Withdrawn in the SMI (8.2 shows it) and refuses non-critical SRs; opted back in, it is
what it was. 8.5 is DSP future-dated (SRV-05); every refusal and malformed request changes
nothing (BAD-01)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from datetime import timedelta

import pytest

from dccsim.devices.credentials import certificate_hash
from dccsim.devices.kinds import DeviceType
from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.fingerprint import fingerprint
from dccsim.server.core.fleet import EXAMPLE_MPAN
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.messages import InventoryResult, ServiceResponse, SyncAnswer
from dccsim.server.core.records import SmiStatus
from dccsim.server.core.requests import CANCELLATION_DATETIME, ReadInventory, RequestBody
from dccsim.server.core.services.service_opt import (
    CertificatePurpose,
    OptInCredentials,
    OptOutOutcome,
    ServiceOptIn,
    ServiceOptOut,
    acb_certificate,
)
from tests.conftest import ESME, GSME, SUPPLIER_A, SUPPLIER_B, Sim

NEW_ACB_KA = b"\x30\x03other ACB key agreement certificate"
NEW_ACB_DS = b"\x30\x03other ACB digital signing certificate"
OPT_OUT = ServiceOptOut(
    acb_floor_sequence_number=7,
    key_agreement_certificate=NEW_ACB_KA,
    certification_path=(b"\x30\x03issuing CA",),
    apply_time_based_cpv_checks=True,
)
OPT_IN = ServiceOptIn(ESME, DeviceType.ESME, EXAMPLE_MPAN, dt.date(2026, 2, 1))


def _opt_out(sim: Sim, body: ServiceOptOut = OPT_OUT, **extra: object) -> SyncAnswer:
    extra.setdefault("execution_datetime", sim.dsp.now())
    return sim.send("8.5", body, target=ESME, **extra)


def _dsp(sim: Sim, srv: str, body: RequestBody, user: str = SUPPLIER_A) -> SyncAnswer:
    return sim.send(srv, body, target=sim.acb, cv=CommandVariant.NON_DEVICE, user=user)


def _inventory_status(sim: Sim, device_id: str = ESME) -> SmiStatus:
    answer = _dsp(sim, "8.2", ReadInventory(device_id=device_id))
    assert isinstance(answer.body, InventoryResult)
    [record] = answer.body.devices
    return record.status


def _responses(sim: Sim) -> list[ServiceResponse]:
    return [m for m in sim.messages() if isinstance(m, ServiceResponse) and m.srv == "8.5"]


# -- 8.5 -----------------------------------------------------------------------------------------


@pytest.mark.spec("SRV-04", "SRV-02")
def test_opt_out_replaces_the_acb_credentials_and_8_2_shows_the_esme_withdrawn(sim: Sim) -> None:
    assert _opt_out(sim).code is ResponseCode.I99
    [response] = _responses(sim)
    assert response.code is ResponseCode.I0
    outcome = response.body
    assert isinstance(outcome, OptOutOutcome)
    assert outcome.floor_sequence_number == 7
    assert outcome.authorising_counter == response.request_id.counter
    [replacement] = outcome.replacements
    assert replacement.purpose is CertificatePurpose.KEY_AGREEMENT
    dcc_ka = acb_certificate(sim.acb, CertificatePurpose.KEY_AGREEMENT)
    assert replacement.existing_hash == certificate_hash(dcc_ka)
    assert replacement.new_hash == certificate_hash(NEW_ACB_KA)
    device = sim.dsp.device(ESME)
    assert device.acb_credentials is not None
    assert device.acb_credentials.key_agreement_hash == certificate_hash(NEW_ACB_KA)
    record = sim.record(ESME)
    assert record.status is SmiStatus.WITHDRAWN
    assert record.status_before_opt_out is SmiStatus.COMMISSIONED
    assert _inventory_status(sim) is SmiStatus.WITHDRAWN


@pytest.mark.spec("SRV-02")
def test_opt_out_with_a_digital_signing_certificate_reports_both_replacements(sim: Sim) -> None:
    _opt_out(sim, replace(OPT_OUT, digital_signing_certificate=NEW_ACB_DS))
    [response] = _responses(sim)
    assert isinstance(response.body, OptOutOutcome)
    purposes = [r.purpose for r in response.body.replacements]
    assert purposes == [CertificatePurpose.KEY_AGREEMENT, CertificatePurpose.DIGITAL_SIGNING]
    assert response.body.replacements[1].new_hash == certificate_hash(NEW_ACB_DS)


@pytest.mark.spec("SRV-05", "REQ-07")
def test_future_dated_opt_out_is_held_by_the_dsp_until_its_time(sim: Sim) -> None:
    when = sim.dsp.now() + timedelta(days=1)
    assert _opt_out(sim, execution_datetime=when).code is ResponseCode.I99
    assert _responses(sim) == []
    assert sim.record(ESME).status is SmiStatus.COMMISSIONED
    assert sim.dsp.device(ESME).acb_credentials is None
    sim.dsp.advance(timedelta(hours=23))
    assert _responses(sim) == []
    sim.dsp.advance(timedelta(hours=1))
    [response] = _responses(sim)
    assert response.code is ResponseCode.I0
    assert sim.record(ESME).status is SmiStatus.WITHDRAWN


@pytest.mark.spec("SRV-05")
def test_a_past_execution_datetime_runs_at_once(sim: Sim) -> None:
    assert _opt_out(sim, execution_datetime=dt.datetime(2015, 1, 15, tzinfo=dt.UTC)).code == "I99"
    assert sim.record(ESME).status is SmiStatus.WITHDRAWN


@pytest.mark.spec("SRV-05")
def test_3000_12_31_cancels_the_held_opt_out(sim: Sim) -> None:
    _opt_out(sim, execution_datetime=sim.dsp.now() + timedelta(days=1))
    assert _opt_out(sim, execution_datetime=CANCELLATION_DATETIME).code is ResponseCode.I99
    [cancelled] = _responses(sim)
    assert cancelled.body == OptOutOutcome(None, ())
    sim.dsp.advance(timedelta(days=2))
    assert len(_responses(sim)) == 1
    assert sim.record(ESME).status is SmiStatus.COMMISSIONED
    assert sim.dsp.device(ESME).acb_credentials is None


@pytest.mark.spec("AUTH-06", "SRV-04")
def test_an_opted_out_esme_refuses_non_critical_srs_but_is_still_read_by_8_2(sim: Sim) -> None:
    _opt_out(sim)
    assert sim.read_firmware(ESME).code is ResponseCode.E5
    assert _opt_out(sim).code is ResponseCode.E5  # already out of DCC service
    assert _inventory_status(sim) is SmiStatus.WITHDRAWN


@pytest.mark.spec("REQ-06", "AUTH-05")
def test_opt_out_goes_to_an_esme_from_its_import_supplier(sim: Sim) -> None:
    assert sim.send("8.5", OPT_OUT, target=GSME).code is ResponseCode.E11
    assert _opt_out(sim, user=SUPPLIER_B).code is ResponseCode.E4
    assert sim.record(ESME).status is SmiStatus.COMMISSIONED


@pytest.mark.spec("REQ-06")
def test_opt_out_is_cv_1_only(sim: Sim) -> None:
    answer = _opt_out(sim, cv=CommandVariant.NON_CRITICAL_LOCAL)
    assert answer.code is ResponseCode.E12
    assert sim.record(ESME).status is SmiStatus.COMMISSIONED


_BAD_OPT_OUTS = [
    ("body.acb_floor_sequence_number", replace(OPT_OUT, acb_floor_sequence_number=-1)),
    ("body.acb_floor_sequence_number", replace(OPT_OUT, acb_floor_sequence_number=2**63)),
    ("body.key_agreement_certificate", replace(OPT_OUT, key_agreement_certificate=b"")),
    ("body.key_agreement_certificate", replace(OPT_OUT, key_agreement_certificate=b"x" * 4097)),
    ("body.digital_signing_certificate", replace(OPT_OUT, digital_signing_certificate=b"")),
    ("body.certification_path", replace(OPT_OUT, certification_path=())),
    ("body.certification_path", replace(OPT_OUT, certification_path=(b"c",) * 4)),
    ("body.certification_path[1]", replace(OPT_OUT, certification_path=(b"c", b""))),
    ("body.apply_time_based_cpv_checks", replace(OPT_OUT, apply_time_based_cpv_checks="yes")),
]


@pytest.mark.spec("BAD-01")
@pytest.mark.parametrize(("field", "body"), _BAD_OPT_OUTS, ids=[f for f, _ in _BAD_OPT_OUTS])
def test_a_malformed_opt_out_names_its_field_and_changes_nothing(
    sim: Sim, field: str, body: ServiceOptOut
) -> None:
    before = fingerprint(sim.dsp)
    with pytest.raises(InvalidField) as raised:
        _opt_out(sim, body)
    assert raised.value.field == field
    assert fingerprint(sim.dsp) == before  # no SMI change, no held work, no counter consumed


# -- 8.6 -----------------------------------------------------------------------------------------


@pytest.mark.spec("SRV-04")
def test_opt_in_answers_the_dcc_acb_credentials_and_restores_the_esme(sim: Sim) -> None:
    _opt_out(sim)
    answer = _dsp(sim, "8.6", OPT_IN)
    assert answer.code is ResponseCode.I0
    assert answer.body == OptInCredentials(
        ESME,
        acb_certificate(sim.acb, CertificatePurpose.KEY_AGREEMENT),
        acb_certificate(sim.acb, CertificatePurpose.DIGITAL_SIGNING),
    )
    record = sim.record(ESME)
    assert record.status is SmiStatus.COMMISSIONED
    assert record.status_before_opt_out is None
    assert sim.dsp.device(ESME).acb_credentials is None  # trusts the DCC's ACB again
    assert _inventory_status(sim) is SmiStatus.COMMISSIONED
    assert sim.read_firmware(ESME).code is ResponseCode.I99  # back in DCC service


@pytest.mark.spec("SRV-04")
def test_opt_in_returns_the_esme_to_the_status_it_held_before(sim: Sim) -> None:
    record = sim.record(ESME)
    sim.dsp.state.store(record.evolve(status=SmiStatus.INSTALLED_NOT_COMMISSIONED), "test")
    _opt_out(sim)
    assert _dsp(sim, "8.6", OPT_IN).code is ResponseCode.I0
    assert sim.record(ESME).status is SmiStatus.INSTALLED_NOT_COMMISSIONED


_UNKNOWN = "00-11-22-33-44-55-66-77"
_REFUSALS = [
    ("unknown device", ResponseCode.E080601, replace(OPT_IN, device_id=_UNKNOWN), SUPPLIER_A),
    ("wrong type", ResponseCode.E080604, replace(OPT_IN, device_type=DeviceType.GSME), SUPPLIER_A),
    (
        "not an ESME",
        ResponseCode.E080604,
        replace(OPT_IN, device_id=GSME, device_type=DeviceType.GSME),
        SUPPLIER_A,
    ),
    ("wrong MPxN", ResponseCode.E080606, replace(OPT_IN, import_mpxn="1312345678111"), SUPPLIER_A),
    ("not its Import Supplier", ResponseCode.E080607, OPT_IN, SUPPLIER_B),
]


@pytest.mark.spec("SRV-04", "BAD-01")
@pytest.mark.parametrize(("name", "code", "body", "user"), _REFUSALS, ids=[r[0] for r in _REFUSALS])
def test_a_refused_opt_in_changes_nothing(
    sim: Sim, name: str, code: ResponseCode, body: ServiceOptIn, user: str
) -> None:
    _opt_out(sim)
    before = fingerprint(sim.dsp)
    assert _dsp(sim, "8.6", body, user=user).code is code
    assert fingerprint(sim.dsp) == before  # still opted out; no counter consumed


@pytest.mark.spec("SRV-04")
def test_opt_in_of_an_esme_in_service_is_refused(sim: Sim) -> None:
    before = fingerprint(sim.dsp)
    assert _dsp(sim, "8.6", OPT_IN).code is ResponseCode.E080602
    assert fingerprint(sim.dsp) == before


_BAD_OPT_INS = [
    ("body.device_id", replace(OPT_IN, device_id="not-an-eui")),
    ("body.device_type", replace(OPT_IN, device_type="ESME")),
    ("body.import_mpxn", replace(OPT_IN, import_mpxn="")),
    ("body.import_mpxn", replace(OPT_IN, import_mpxn="1" * 14)),
    ("body.secondary_import_mpan", replace(OPT_IN, secondary_import_mpan="123")),
    ("body.export_mpan", replace(OPT_IN, export_mpan="1" * 14)),
    ("body.opt_in_date", replace(OPT_IN, opt_in_date="2026-02-01")),
    ("body.opt_in_date", replace(OPT_IN, opt_in_date=dt.datetime(2026, 2, 1))),
]


@pytest.mark.spec("BAD-01")
@pytest.mark.parametrize(
    ("field", "body"), _BAD_OPT_INS, ids=[f"{f}-{i}" for i, (f, _) in enumerate(_BAD_OPT_INS)]
)
def test_a_malformed_opt_in_names_its_field_and_changes_nothing(
    sim: Sim, field: str, body: ServiceOptIn
) -> None:
    _opt_out(sim)
    before = fingerprint(sim.dsp)
    with pytest.raises(InvalidField) as raised:
        _dsp(sim, "8.6", body)
    assert raised.value.field == field
    assert fingerprint(sim.dsp) == before
