"""Security credentials: 6.15.1, 6.15.2, 6.17, 6.21, 6.24.1, 6.24.2 (and 6.23's part in them).

The device keeps what it trusts per remote party role and its own certificates; a write followed
by its read returns what was written (SRV-03)."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest

from dccsim.devices.codes import AlertCode, MessageCode
from dccsim.devices.credentials import (
    CertificateUsage,
    CredentialStatus,
    CredentialType,
    RemotePartyRole,
    ReplacementCertificates,
    ReplacementMode,
    certificate_hash,
    inspect,
    stand_in_certificate,
)
from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.fingerprint import fingerprint
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.messages import DeviceAlertMessage, ServiceResponse
from dccsim.server.core.records import DuisVersion
from dccsim.server.core.requests import (
    CANCELLATION_DATETIME,
    RequestBody,
    UpdateSecurityCredentialsCoS,
)
from dccsim.server.core.services.credentials import (
    CredentialsIssued,
    CredentialsUpdated,
    DeviceCertificateRead,
    DeviceCertificateUpdated,
    DeviceHandedOver,
    IssueSecurityCredentials,
    RemotePartyCredentials,
    ReplaceCredentials,
    RetrieveDeviceCertificate,
    RetrieveRemotePartyCredentials,
    UpdateDeviceCertificate,
)
from dccsim.server.duis.build import build_outbox_message
from dccsim.server.duis.parse import parse_request
from dccsim.server.rpc import convert
from dccsim.v1 import credentials_pb2, supplier_pb2
from tests.conftest import (
    CHF,
    ESME,
    GPF,
    NETWORK_OPERATOR,
    PPMID,
    RTDS_DIR,
    SUPPLIER_A,
    SUPPLIER_B,
    Sim,
)
from tests.duis.documents import mmc, template_document, text, texts

ACB = "90-B3-D5-1F-30-00-00-02"
NEW_SUPPLIER_ID = "90-B3-D5-1F-30-01-00-09"
LOAD_CONTROLLER_ID = "90-B3-D5-1F-30-01-00-08"


def _certificates(party: str, *, top_up: bool = False) -> ReplacementCertificates:
    return ReplacementCertificates(
        stand_in_certificate(party, CertificateUsage.DIGITAL_SIGNING, 7),
        stand_in_certificate(party, CertificateUsage.KEY_AGREEMENT, 7),
        stand_in_certificate(party, CertificateUsage.KEY_AGREEMENT_TOP_UP, 7) if top_up else None,
    )


_ROOT_CERTIFICATE = stand_in_certificate(ACB, CertificateUsage.KEY_CERT_SIGN)


def _replacement(
    role: RemotePartyRole = RemotePartyRole.SUPPLIER,
    party: str = NEW_SUPPLIER_ID,
    floor: int | None = 5,
    **changes: object,
) -> ReplaceCredentials:
    body = ReplaceCredentials(
        role,
        _certificates(party, top_up=role is RemotePartyRole.SUPPLIER),
        (_ROOT_CERTIFICATE,),
        True,
        floor,
        7 if role is RemotePartyRole.SUPPLIER else None,
    )
    return ReplaceCredentials(**{**_fields(body), **changes})  # type: ignore[arg-type]


def _fields(body: ReplaceCredentials) -> dict[str, object]:
    return {name: getattr(body, name) for name in ReplaceCredentials.__slots__}


def example_body(srv: str, device_id: str) -> RequestBody:
    """A well-formed body for each of the family's SRVs (also used by test_properties)."""
    match srv:
        case "6.15.1":
            return _replacement()
        case "6.21":
            return _replacement(floor=None, top_up_floor_seq_number=None)
        case "6.15.2":
            cert = stand_in_certificate(device_id, CertificateUsage.DIGITAL_SIGNING, 3)
            return UpdateDeviceCertificate(cert)
        case "6.17":
            return IssueSecurityCredentials(CredentialType.KEY_AGREEMENT)
        case "6.24.1":
            return RetrieveRemotePartyCredentials((RemotePartyRole.SUPPLIER,))
        case "6.24.2":
            return RetrieveDeviceCertificate(CredentialType.DIGITAL_SIGNATURE)
    raise KeyError(srv)


def _responses(sim: Sim, user: str = SUPPLIER_A) -> list[ServiceResponse]:
    return [m for m in sim.messages(user) if isinstance(m, ServiceResponse)]


def _last_body(sim: Sim, user: str = SUPPLIER_A) -> object:
    return _responses(sim, user)[-1].body


def _read_krp(sim: Sim, *roles: RemotePartyRole, target: str = ESME) -> RemotePartyCredentials:
    assert sim.send("6.24.1", RetrieveRemotePartyCredentials(roles), target=target).code == "I99"
    body = _last_body(sim)
    assert isinstance(body, RemotePartyCredentials)
    return body


def _held(read: RemotePartyCredentials, role: RemotePartyRole) -> dict[CertificateUsage, tuple]:
    return {
        d.usage: (d.party_id, d.certificate_hash, d.floor_seq_number)
        for d in read.details
        if d.role is role and d.usage is not None
    }


# -- SRV-01 / SRV-02: served, and answered from the device's state ----------------------------


@pytest.mark.spec("SRV-01", "SRV-02")
def test_6_24_1_reports_the_parties_the_device_was_installed_with(sim: Sim) -> None:
    read = _read_krp(
        sim,
        RemotePartyRole.SUPPLIER,
        RemotePartyRole.NETWORK_OPERATOR,
        RemotePartyRole.ACB,
        RemotePartyRole.LOAD_CONTROLLER,
    )

    supplier = _held(read, RemotePartyRole.SUPPLIER)
    assert {party for party, _, _ in supplier.values()} == {SUPPLIER_A}
    assert set(supplier) == {CertificateUsage.DIGITAL_SIGNING, CertificateUsage.KEY_AGREEMENT}
    assert {p for p, _, _ in _held(read, RemotePartyRole.NETWORK_OPERATOR).values()} == {
        NETWORK_OPERATOR
    }
    assert {p for p, _, _ in _held(read, RemotePartyRole.ACB).values()} == {sim.acb}
    [no_load_controller] = [d for d in read.details if d.role is RemotePartyRole.LOAD_CONTROLLER]
    assert no_load_controller.status is CredentialStatus.TRUST_ANCHOR_NOT_FOUND
    assert no_load_controller.usage is None


@pytest.mark.spec("SRV-02")
def test_a_gpf_is_dcc_controlled_until_handed_over(sim: Sim) -> None:
    read = _read_krp(sim, RemotePartyRole.SUPPLIER, target=GPF)
    assert {party for party, _, _ in _held(read, RemotePartyRole.SUPPLIER).values()} == {sim.acb}


@pytest.mark.spec("SRV-01", "REQ-06")
@pytest.mark.parametrize("srv", ["6.15.1", "6.15.2", "6.17", "6.21", "6.24.1", "6.24.2"])
def test_credential_srvs_do_not_apply_to_a_ppmid(sim: Sim, srv: str) -> None:
    body = example_body(srv, PPMID)
    if srv in ("6.15.1", "6.15.2", "6.17", "6.24.2"):
        answer = sim.send_critical(srv, body, target=PPMID)
    else:
        answer = sim.send(srv, body, target=PPMID)
    assert answer.code is ResponseCode.E11


# -- SRV-03: a write then its read ----------------------------------------------------------------


@pytest.mark.spec("SRV-03", "SRV-02")
def test_6_15_1_replaces_the_supplier_credentials_and_6_24_1_reads_them_back(sim: Sim) -> None:
    before = _held(_read_krp(sim, RemotePartyRole.SUPPLIER), RemotePartyRole.SUPPLIER)
    body = _replacement()

    answer = sim.send_critical("6.15.1", body, target=ESME)

    assert answer.code is ResponseCode.I99
    updated = _last_body(sim)
    assert isinstance(updated, CredentialsUpdated) and updated.outcome is not None
    outcome = updated.outcome
    assert outcome.mode is ReplacementMode.SUPPLIER_BY_SUPPLIER
    assert outcome.authorising_counter == answer.request_id.counter
    assert (outcome.floor_seq_number, outcome.top_up_floor_seq_number) == (5, 7)
    digital = outcome.replacements[0]
    assert digital.usage is CertificateUsage.DIGITAL_SIGNING
    assert (digital.existing_party_id, digital.new_party_id) == (SUPPLIER_A, NEW_SUPPLIER_ID)
    assert digital.existing_hash == before[CertificateUsage.DIGITAL_SIGNING][1]
    assert digital.new_hash == certificate_hash(body.certificates.digital_signing or b"")
    after = _held(_read_krp(sim, RemotePartyRole.SUPPLIER), RemotePartyRole.SUPPLIER)
    assert after == {
        usage: (NEW_SUPPLIER_ID, certificate_hash(cert), 5)
        for usage, cert in body.certificates.by_usage()
    }


@pytest.mark.spec("SRV-03")
def test_6_15_1_installs_a_load_controller_on_the_esme(sim: Sim) -> None:
    certificates = ReplacementCertificates(
        stand_in_certificate(LOAD_CONTROLLER_ID, CertificateUsage.DIGITAL_SIGNING, 1)
    )
    body = _replacement(
        RemotePartyRole.LOAD_CONTROLLER,
        certificates=certificates,
        top_up_floor_seq_number=None,
    )
    assert sim.send_critical("6.15.1", body, target=ESME).code is ResponseCode.I99
    outcome = _last_body(sim).outcome  # type: ignore[attr-defined]
    assert outcome.mode is ReplacementMode.LOAD_CONTROLLER_BY_SUPPLIER
    assert outcome.replacements[0].existing_party_id is None  # none was trusted before

    read = _read_krp(sim, RemotePartyRole.LOAD_CONTROLLER)
    assert _held(read, RemotePartyRole.LOAD_CONTROLLER) == {
        CertificateUsage.DIGITAL_SIGNING: (
            LOAD_CONTROLLER_ID,
            certificate_hash(certificates.digital_signing or b""),
            5,
        )
    }


@pytest.mark.spec("SRV-03")
def test_6_21_hands_a_dcc_controlled_gpf_over_to_the_supplier(sim: Sim) -> None:
    body = _replacement(
        certificates=_certificates(SUPPLIER_A), floor=None, top_up_floor_seq_number=None
    )
    assert sim.send("6.21", body, target=GPF).code is ResponseCode.I99
    handed = _last_body(sim)
    assert isinstance(handed, DeviceHandedOver) and handed.outcome is not None
    assert {r.existing_party_id for r in handed.outcome.replacements} == {sim.acb}
    assert {r.new_party_id for r in handed.outcome.replacements} == {SUPPLIER_A}

    read = _read_krp(sim, RemotePartyRole.SUPPLIER, target=GPF)
    assert {party for party, _, _ in _held(read, RemotePartyRole.SUPPLIER).values()} == {SUPPLIER_A}


@pytest.mark.spec("SRV-03")
def test_6_23_change_of_supplier_shows_in_6_24_1(sim: Sim) -> None:
    _read_krp(sim, RemotePartyRole.SUPPLIER)  # the device's credentials exist before the CoS

    answer = sim.send("6.23", UpdateSecurityCredentialsCoS("1100000000001"), target=ESME)
    assert answer.code is ResponseCode.I99

    read = _read_krp(sim, RemotePartyRole.SUPPLIER)
    assert {party for party, _, _ in _held(read, RemotePartyRole.SUPPLIER).values()} == {SUPPLIER_A}
    assert sim.dsp.device(ESME).supplier_credentials == SUPPLIER_A  # 6.23's own record kept


@pytest.mark.spec("SRV-03", "SRV-02")
def test_6_17_then_6_15_2_then_6_24_2_returns_the_installed_certificate(sim: Sim) -> None:
    factory = sim.send_critical(
        "6.24.2", RetrieveDeviceCertificate(CredentialType.KEY_AGREEMENT), target=ESME
    )
    assert factory.code is ResponseCode.I99
    factory_read = _last_body(sim)
    assert isinstance(factory_read, DeviceCertificateRead)
    assert inspect(factory_read.certificate or b"").entity_id == ESME

    sim.send_critical("6.17", IssueSecurityCredentials(CredentialType.KEY_AGREEMENT), target=ESME)
    issued = _last_body(sim)
    assert isinstance(issued, CredentialsIssued)
    assert issued.status is CredentialStatus.SUCCESS
    assert inspect(issued.certification_request or b"") == inspect(factory_read.certificate or b"")
    assert sim.dsp.device(ESME).credentials.key_pairs == {CredentialType.KEY_AGREEMENT: 1}

    certificate = stand_in_certificate(ESME, CertificateUsage.KEY_AGREEMENT, 42)
    sim.send_critical("6.15.2", UpdateDeviceCertificate(certificate), target=ESME)
    assert _last_body(sim) == DeviceCertificateUpdated(CredentialStatus.SUCCESS)
    assert sim.dsp.device(ESME).credentials.key_pairs == {}

    sim.send_critical(
        "6.24.2", RetrieveDeviceCertificate(CredentialType.KEY_AGREEMENT), target=ESME
    )
    assert _last_body(sim) == DeviceCertificateRead(CredentialStatus.SUCCESS, certificate)
    sim.send_critical(
        "6.24.2", RetrieveDeviceCertificate(CredentialType.DIGITAL_SIGNATURE), target=ESME
    )
    assert _last_body(sim).certificate != certificate  # type: ignore[attr-defined]


@pytest.mark.spec("SRV-03")
@pytest.mark.parametrize(
    ("certificate", "status"),
    [
        (b"not DER", CredentialStatus.INVALID_CERTIFICATE),
        (
            stand_in_certificate(ESME, CertificateUsage.KEY_CERT_SIGN),
            CredentialStatus.INVALID_KEY_USAGE,
        ),
        (
            stand_in_certificate(CHF, CertificateUsage.DIGITAL_SIGNING),
            CredentialStatus.WRONG_DEVICE_IDENTITY,
        ),
    ],
)
def test_6_15_2_refused_by_the_device_changes_nothing(
    sim: Sim, certificate: bytes, status: CredentialStatus
) -> None:
    sim.send_critical("6.15.2", UpdateDeviceCertificate(certificate), target=ESME)
    assert _last_body(sim) == DeviceCertificateUpdated(status)
    assert sim.dsp.device(ESME).credentials.own == {}


# -- SRV-05: future dating and cancellation -----------------------------------------------------


@pytest.mark.spec("SRV-05", "SRV-03")
def test_future_dated_6_15_1_is_held_by_the_device_then_alerts_0x8f66(sim: Sim) -> None:
    when = sim.dsp.now() + timedelta(days=2)
    answer = sim.send_critical("6.15.1", _replacement(), target=ESME, execution_datetime=when)

    assert answer.code is ResponseCode.I99
    assert _last_body(sim) == CredentialsUpdated(None)  # accepted for later
    before = _held(_read_krp(sim, RemotePartyRole.SUPPLIER), RemotePartyRole.SUPPLIER)
    assert {p for p, _, _ in before.values()} == {SUPPLIER_A}

    sim.dsp.advance_to(when)

    [alert] = [m for m in sim.messages() if isinstance(m, DeviceAlertMessage)]
    assert alert.message_code is MessageCode.FUTURE_DATED_SECURITY_CREDENTIALS
    assert alert.alert_code is AlertCode.FUTURE_DATED_COMMAND_ACTIONED
    assert alert.request_id == answer.request_id
    assert alert.credentials_outcome is not None
    assert alert.credentials_outcome.authorising_counter == answer.request_id.counter
    after = _held(_read_krp(sim, RemotePartyRole.SUPPLIER), RemotePartyRole.SUPPLIER)
    assert {p for p, _, _ in after.values()} == {NEW_SUPPLIER_ID}


@pytest.mark.spec("SRV-05")
def test_3000_12_31_cancels_the_held_6_15_1(sim: Sim) -> None:
    when = sim.dsp.now() + timedelta(days=2)
    sim.send_critical("6.15.1", _replacement(), target=ESME, execution_datetime=when)

    cancel = sim.send_critical(
        "6.15.1", _replacement(), target=ESME, execution_datetime=CANCELLATION_DATETIME
    )

    assert cancel.code is ResponseCode.I99
    assert _last_body(sim) == CredentialsUpdated(None)
    assert sim.dsp.device(ESME).credentials.held == {}
    sim.dsp.advance_to(when + timedelta(hours=1))
    assert not [m for m in sim.messages() if isinstance(m, DeviceAlertMessage)]
    after = _held(_read_krp(sim, RemotePartyRole.SUPPLIER), RemotePartyRole.SUPPLIER)
    assert {p for p, _, _ in after.values()} == {SUPPLIER_A}


@pytest.mark.spec("SRV-05")
def test_future_dated_6_21_is_held_by_the_dsp(sim: Sim) -> None:
    when = sim.dsp.now() + timedelta(hours=3)
    body = example_body("6.21", GPF)
    assert sim.send("6.21", body, target=GPF, execution_datetime=when).code is ResponseCode.I99
    assert _responses(sim) == []  # nothing reached the device yet

    sim.dsp.advance_to(when)

    assert isinstance(_last_body(sim), DeviceHandedOver)


# -- BAD-01: bad fields named, nothing changed -----------------------------------------------------


@pytest.mark.spec("BAD-01")
@pytest.mark.parametrize(
    ("srv", "body", "field"),
    [
        ("6.15.1", _replacement(RemotePartyRole.ROOT), "body.remote_party_role"),
        ("6.15.1", _replacement(remote_party_role="Supplier"), "body.remote_party_role"),
        ("6.15.1", _replacement(floor=2**63), "body.floor_seq_number"),
        ("6.15.1", _replacement(floor=-1), "body.floor_seq_number"),
        (
            "6.15.1",
            _replacement(RemotePartyRole.NETWORK_OPERATOR, top_up_floor_seq_number=1),
            "body.top_up_floor_seq_number",
        ),
        (
            "6.15.1",
            _replacement(certificates=ReplacementCertificates()),
            "body.certificates",
        ),
        (
            "6.15.1",
            _replacement(certificates=ReplacementCertificates(b"\x30\x05abc")),
            "body.certificates.digital_signing",
        ),
        (
            "6.15.1",
            _replacement(certificates=ReplacementCertificates(None, b"\x30\x82" + b"x" * 3000)),
            "body.certificates.key_agreement",
        ),
        ("6.15.1", _replacement(certification_path=()), "body.certification_path"),
        (
            "6.15.1",
            _replacement(certification_path=(_ROOT_CERTIFICATE,) * 4),
            "body.certification_path",
        ),
        (
            "6.15.1",
            _replacement(apply_time_based_cpv_checks=None),
            "body.apply_time_based_cpv_checks",
        ),
        (
            "6.21",
            _replacement(
                certificates=ReplacementCertificates(
                    None, stand_in_certificate(SUPPLIER_A, CertificateUsage.KEY_AGREEMENT)
                ),
                top_up_floor_seq_number=None,
            ),
            "body.certificates.digital_signing",
        ),
        ("6.21", _replacement(RemotePartyRole.LOAD_CONTROLLER), "body.remote_party_role"),
        ("6.15.2", UpdateDeviceCertificate(b""), "body.device_certificate"),
        ("6.15.2", UpdateDeviceCertificate(b"\x30" * 5000), "body.device_certificate"),
        ("6.17", IssueSecurityCredentials("Digital Signature"), "body.credential_type"),  # type: ignore[arg-type]
        ("6.24.1", RetrieveRemotePartyCredentials(()), "body.roles"),
        (
            "6.24.1",
            RetrieveRemotePartyCredentials((RemotePartyRole.ACB,) * 8),
            "body.roles",
        ),
        ("6.24.1", RetrieveRemotePartyCredentials(("ACB",)), "body.roles[0]"),  # type: ignore[arg-type]
        ("6.24.2", RetrieveDeviceCertificate(None), "body.credential_type"),  # type: ignore[arg-type]
    ],
)
def test_bad_fields_are_named_and_change_nothing(
    sim: Sim, srv: str, body: RequestBody, field: str
) -> None:
    target = GPF if srv == "6.21" else ESME
    cv = (
        CommandVariant.CRITICAL_TRANSFORM
        if srv in ("6.15.1", "6.15.2", "6.17", "6.24.2")
        else (CommandVariant.NON_CRITICAL_REMOTE)
    )
    before = fingerprint(sim.dsp)

    with pytest.raises(InvalidField) as raised:
        sim.send(srv, body, target=target, cv=cv)

    assert raised.value.field == field
    assert fingerprint(sim.dsp) == before  # no counter, no PreCommand, no device state


@pytest.mark.spec("BAD-01")
def test_a_bad_duis_element_is_named_by_its_path() -> None:
    template = template_document(RTDS_DIR / "CS02bNOByNO_6.15.1_SUCCESS_REQUEST_DUIS.XML")
    bad_role = template.replace(b">NetworkOperator<", b">Nobody<")
    with pytest.raises(InvalidField) as raised:
        parse_request(bad_role)
    assert raised.value.field.endswith("UpdateSecurityCredentialsKRP/RemotePartyRole")

    root_role = template.replace(b">NetworkOperator<", b">Root<")
    with pytest.raises(InvalidField) as raised:
        parse_request(root_role)
    assert raised.value.field.endswith("UpdateSecurityCredentialsKRP/RemotePartyRole")

    bad_type = template_document(RTDS_DIR / "CS02c_6.17_SUCCESS_REQUEST_DUIS.XML").replace(
        b">Digital Signature<", b">Digital signature<"
    )
    with pytest.raises(InvalidField) as raised:
        parse_request(bad_type)
    assert raised.value.field.endswith("IssueSecurityCredentials/CredentialType")


# -- the DUIS response content ------------------------------------------------------------------


@pytest.mark.spec("SRV-02", "SRV-03")
def test_duis_6_24_1_response_carries_what_6_15_1_wrote(sim: Sim) -> None:
    body = _replacement(
        RemotePartyRole.NETWORK_OPERATOR,
        certificates=_certificates(NETWORK_OPERATOR),
        floor=9,
        top_up_floor_seq_number=None,
    )
    assert sim.send_critical("6.15.1", body, target=ESME, user=NETWORK_OPERATOR).code == "I99"
    krp = build_outbox_message(sim.dsp.pending(NETWORK_OPERATOR)[-1].message, DuisVersion.V5_2)
    outcome = "//ra:UpdateSecurityCredentialsKRPRsp/ra:ExecutionOutcome"
    inner = mmc(krp)
    assert text(inner, f"{outcome}/ra:CredentialsReplacementMode") == (
        "NetworkOperatorByNetworkOperator"
    )
    assert text(inner, f"{outcome}/ra:RemotePartySeqNumberChange/ra:RemotePartyFloorSeqNumber") == (
        "9"
    )

    _read_krp(sim, RemotePartyRole.NETWORK_OPERATOR, RemotePartyRole.LOAD_CONTROLLER)
    read = build_outbox_message(sim.dsp.pending(SUPPLIER_A)[-1].message, DuisVersion.V5_1)
    details = "//ra:RetrieveDeviceSecurityCredentialsKRPRsp/ra:RemotePartyDetails"
    inner = mmc(read)
    assert texts(inner, f"{details}/ra:RemotePartyRole") == [
        "NetworkOperator",
        "NetworkOperator",
        "LoadController",
    ]
    assert texts(inner, f"{details}/ra:StatusCode/ra:ASN1Status") == [
        "success",
        "success",
        "trustAnchorNotFound",
    ]
    assert texts(inner, f"{details}/ra:ExistingRemotePartyID") == [NETWORK_OPERATOR] * 2
    assert texts(inner, f"{details}/ra:RemotePartyFloorSeqNumber") == ["9", "9"]
    assert texts(inner, f"{details}/ra:ExistingCertificateHash") == [
        base64.b64encode(certificate_hash(cert)).decode()
        for _, cert in body.certificates.by_usage()
    ]


@pytest.mark.spec("SRV-02", "SRV-05")
def test_duis_future_dated_alert_carries_the_execution_outcome(sim: Sim) -> None:
    when = sim.dsp.now() + timedelta(days=1)
    sim.send_critical("6.15.1", _replacement(), target=ESME, execution_datetime=when)
    sim.dsp.advance_to(when)

    alert = build_outbox_message(sim.dsp.pending(SUPPLIER_A)[-1].message, DuisVersion.V5_2)

    assert text(alert, "//sr:ServiceReferenceVariant") == "6.15.1"
    assert text(alert, "//sr:FutureDatedAlertCode") == "8F66"
    inner = mmc(alert)
    assert text(inner, "//ra:GBCSHexadecimalMessageCode") == "00CB"
    outcome = (
        "//ra:UpdateSecurityCredentialsDeviceAlert/ra:UpdateSecurityCredentialsExecutionOutcome"
    )
    assert (
        texts(inner, f"{outcome}/ra:ReplacementOutcome/ra:NewRemotePartyID")
        == [NEW_SUPPLIER_ID] * 3
    )


# -- gRPC ------------------------------------------------------------------------------------------


@pytest.mark.spec("SRV-01", "SRV-02")
def test_grpc_6_15_1_converts_and_its_response_fills_the_typed_message(sim: Sim) -> None:
    ds = stand_in_certificate(NEW_SUPPLIER_ID, CertificateUsage.DIGITAL_SIGNING, 1)
    message = supplier_pb2.SubmitRequest(
        request_id=f"{SUPPLIER_A}:{ESME}:5000",
        service_reference_variant="6.15.1",
        command_variant=4,
    )
    message.update_security_credentials_krp.CopyFrom(
        credentials_pb2.ReplaceCredentials(
            remote_party_role=credentials_pb2.REMOTE_PARTY_ROLE_SUPPLIER,
            certificates=credentials_pb2.ReplacementCertificates(digital_signing=ds),
            certification_path=[_ROOT_CERTIFICATE],
            apply_time_based_cpv_checks=True,
            floor_seq_number=3,
        )
    )
    request = convert.service_request(message)
    assert request.body == ReplaceCredentials(
        RemotePartyRole.SUPPLIER,
        ReplacementCertificates(ds),
        (_ROOT_CERTIFICATE,),
        True,
        3,
        None,
    )
    sim.send_critical("6.15.1", request.body, target=ESME)
    sim.send("6.24.1", RetrieveRemotePartyCredentials((RemotePartyRole.SUPPLIER,)), target=ESME)
    entries = sim.dsp.pending(SUPPLIER_A)

    replaced = convert.delivery(entries[-2]).service_response.credentials_replaced
    assert replaced.outcome.credentials_replacement_mode == "SupplierBySupplier"
    assert replaced.outcome.replacements[0].new_remote_party_id == NEW_SUPPLIER_ID
    assert replaced.outcome.replacements[0].new_certificate_hash == certificate_hash(ds)
    read = convert.delivery(entries[-1]).service_response.remote_party_credentials
    assert [d.existing_remote_party_id for d in read.details] == [NEW_SUPPLIER_ID, SUPPLIER_A]
    assert read.details[0].floor_seq_number == 3

    bad = supplier_pb2.SubmitRequest()
    bad.CopyFrom(message)
    bad.update_security_credentials_krp.remote_party_role = 0
    with pytest.raises(InvalidField) as raised:
        convert.service_request(bad)
    assert raised.value.field == "body.remote_party_role"


@pytest.mark.spec("SRV-01")
def test_grpc_retrieve_bodies_convert() -> None:
    message = supplier_pb2.SubmitRequest(
        request_id=f"{SUPPLIER_B}:{ESME}:1", service_reference_variant="6.24.1", command_variant=1
    )
    message.retrieve_remote_party_credentials.roles.extend(
        [credentials_pb2.REMOTE_PARTY_ROLE_ACB, credentials_pb2.REMOTE_PARTY_ROLE_LOAD_CONTROLLER]
    )
    assert convert.service_request(message).body == RetrieveRemotePartyCredentials(
        (RemotePartyRole.ACB, RemotePartyRole.LOAD_CONTROLLER)
    )
    message = supplier_pb2.SubmitRequest(
        request_id=f"{SUPPLIER_B}:{ESME}:1", service_reference_variant="6.17", command_variant=4
    )
    message.issue_security_credentials.credential_type = (
        credentials_pb2.CREDENTIAL_TYPE_KEY_AGREEMENT
    )
    assert convert.service_request(message).body == IssueSecurityCredentials(
        CredentialType.KEY_AGREEMENT
    )
