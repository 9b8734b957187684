"""Security credential SRVs: 6.15.1 Update Security Credentials (KRP), 6.15.2 Update Security
Credentials (Device), 6.17 Issue Security Credentials, 6.21 Request Handover Of DCC Controlled
Device, 6.23 Update Security Credentials (CoS), 6.24.1 Retrieve Device Security Credentials (KRP)
and 6.24.2 Retrieve Device Security Credentials (Device).

The device keeps what it trusts (`dccsim.devices.credentials`): per remote party role the party,
its certificates (by SHA-1) and floor sequence numbers; and its own certificates. A write followed
by its read returns what was written (SRV-03): 6.15.1 / 6.21 / 6.23 -> 6.24.1, 6.15.2 -> 6.24.2.

Decisions (DUIS and GBCS leave these to the DCC's systems and the devices; docs/decisions.md):
- **What a device trusts before anyone changed it** is seeded at its first credential SR: the DCC
  (its ACB ID) as ACB, Root, Recovery and TransCoS; for an ESME or GSME the Responsible Supplier
  and the Network Operator of its MPxN at that time (the incoming supplier if a 6.23 ran first);
  a CHF's and a GPF's Supplier and Network Operator are the DCC's (they are DCC-controlled until
  6.21 hands them over). No LoadController until a 6.15.1 installs one. Seeded certificates are
  stand-ins made from the party's ID, reported by their SHA-1 like real ones.
- **Certificates** are checked as DER (one SEQUENCE) of at most 2,048 bytes (SMKI certificates
  are about 400): anything else is refused as a bad field before anything runs. The new party's
  ID is the entity the certificate names (an organisation certificate's x500UniqueIdentifier);
  a certificate naming none makes the requester the party.
- **6.15.1** replaces Supplier (SupplierBySupplier), NetworkOperator (NetworkOperatorByNetwork-
  Operator) or LoadController (LoadControllerBySupplier): the CS02b variants DUIS gives 6.15.1; any
  other role is a bad `body.remote_party_role`. It names at least one certificate. A
  KeyAgreementTopUp certificate and a top-up floor sequence number are the Supplier's only.
  Future-dated, the device holds it (SRV-05) and answers at once with no ExecutionOutcome; at its
  time it replaces the credentials and raises 0x8F66 in message 0x00CB carrying the outcome. A
  3000-12-31 ExecutionDateTime cancels the update held for the role; a later future-dated update
  of a role replaces the one held.
- **6.21** hands a role (Supplier or NetworkOperator) over to the requester's certificates (the
  Digital Signing one is required, as DUIS's schema says). It applies to ESME, GSME and GPF;
  dccsim does not refuse a handover of a role the DCC no longer holds: the outcome's
  ExistingRemotePartyID shows who held it. Future dating is the DSP's (the matrix's "DSP").
- **6.17** makes the device generate a new key pair for the credential type and answer its
  certification request (a DER stand-in naming the device: dccsim holds no private keys).
- **6.15.2** installs a device certificate: one that is not DER is `invalidCertificate`, one
  whose key usage is neither digital signature nor key agreement `invalidKeyUsage`, one naming
  another device `wrongDeviceIdentity` (nothing changes in those cases); dccsim does not require
  a 6.17 first. **6.24.2** answers the certificate installed, else the device's factory one.
- **6.24.1** answers one RemotePartyDetails per certificate held for each role asked (its usage,
  the party's ID, the certificate's SHA-1, the floor sequence number), or the role with
  `trustAnchorNotFound` when the device holds none for it. An ESME whose ACB was replaced by 8.5
  Service Opt Out reports that ACB's certificates.
- These SRVs apply to ESME, GSME, CHF and GPF (the devices with remote party credentials); 6.21
  to ESME, GSME and GPF; 6.23 to ESME and GSME.
- The MMC StatusASN1 `ResponseCode` attribute is the status's position in GBCS's list as the MMC
  schema orders it (success 0), see `dccsim.server.duis.bodies.credentials`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from dccsim.devices.codes import AlertCode, MessageCode
from dccsim.devices.credentials import (
    CertificateUsage,
    CredentialStatus,
    CredentialsUpdate,
    CredentialType,
    DeviceCredentials,
    ExecutionOutcome,
    RemotePartyRole,
    ReplacementCertificates,
    ReplacementMode,
    TrustAnchor,
    is_der_sequence,
    stand_in_certificate,
)
from dccsim.devices.device import SimulatedDevice
from dccsim.devices.kinds import DeviceType
from dccsim.server.core.codes import DccAlertCode
from dccsim.server.core.delivery import NO_RESPONSE, Outcome, decide, deliver_heard, nothing
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.faults import FaultStage
from dccsim.server.core.fields import check_mpxn
from dccsim.server.core.journal import EventKind
from dccsim.server.core.messages import ChangeOfSupplier, DccAlertMessage, DeviceAlertMessage
from dccsim.server.core.requests import RequestId, ServiceRequest, UpdateSecurityCredentialsCoS
from dccsim.server.core.services.registry import Family
from dccsim.server.core.state import DspState

family: Family = Family()

MAX_CERTIFICATE_BYTES = 2048
MAX_FLOOR_SEQ_NUMBER = 9_223_372_036_854_775_807  # DUIS floorSequenceNumber
_WITH_CREDENTIALS = (DeviceType.ESME, DeviceType.GSME, DeviceType.CHF, DeviceType.GPF)
_HANDED_OVER = (DeviceType.ESME, DeviceType.GSME, DeviceType.GPF)
_DCC_CONTROLLED = frozenset({DeviceType.CHF, DeviceType.GPF})
_DCC_ROLES = (
    RemotePartyRole.ACB,
    RemotePartyRole.ROOT,
    RemotePartyRole.RECOVERY,
    RemotePartyRole.TRANS_COS,
)
_KRP_MODES = {
    RemotePartyRole.SUPPLIER: ReplacementMode.SUPPLIER_BY_SUPPLIER,
    RemotePartyRole.NETWORK_OPERATOR: ReplacementMode.NETWORK_OPERATOR_BY_NETWORK_OPERATOR,
    RemotePartyRole.LOAD_CONTROLLER: ReplacementMode.LOAD_CONTROLLER_BY_SUPPLIER,
}
_HANDOVER_MODES = {
    RemotePartyRole.SUPPLIER: ReplacementMode.SUPPLIER_BY_SUPPLIER,
    RemotePartyRole.NETWORK_OPERATOR: ReplacementMode.NETWORK_OPERATOR_BY_NETWORK_OPERATOR,
}


# -- request bodies ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReplaceCredentials:
    """6.15.1 UpdateSecurityCredentialsKRP and 6.21 RequestHandoverOfDCCControlledDevice."""

    remote_party_role: RemotePartyRole
    certificates: ReplacementCertificates
    certification_path: tuple[bytes, ...]  # CertificationPathCertificates: 1 to 3
    apply_time_based_cpv_checks: bool
    floor_seq_number: int | None = None
    top_up_floor_seq_number: int | None = None


@dataclass(frozen=True, slots=True)
class UpdateDeviceCertificate:
    """6.15.2 UpdateSecurityCredentialsDevice."""

    device_certificate: bytes


@dataclass(frozen=True, slots=True)
class IssueSecurityCredentials:
    """6.17."""

    credential_type: CredentialType


@dataclass(frozen=True, slots=True)
class RetrieveRemotePartyCredentials:
    """6.24.1 RetrieveDeviceSecurityCredentialsKRP: 1 to 7 roles."""

    roles: tuple[RemotePartyRole, ...]


@dataclass(frozen=True, slots=True)
class RetrieveDeviceCertificate:
    """6.24.2 RetrieveDeviceSecurityCredentialsDevice."""

    credential_type: CredentialType


# -- response bodies -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CredentialsUpdated:
    """6.15.1 UpdateSecurityCredentialsKRPRsp; no outcome: held for its future date, or a
    cancellation."""

    outcome: ExecutionOutcome | None


@dataclass(frozen=True, slots=True)
class DeviceHandedOver:
    """6.21 RequestHandoverOfDCCControlledDeviceRsp; no outcome: a cancellation."""

    outcome: ExecutionOutcome | None


@dataclass(frozen=True, slots=True)
class DeviceCertificateUpdated:
    """6.15.2 UpdateSecurityCredentialsDeviceRsp."""

    status: CredentialStatus


@dataclass(frozen=True, slots=True)
class CredentialsIssued:
    """6.17 IssueSecurityCredentialsRsp."""

    status: CredentialStatus
    certification_request: bytes | None


@dataclass(frozen=True, slots=True)
class RemotePartyDetail:
    """One MMC RemotePartyDetails: a certificate the device holds for a role, or the role with
    a status and nothing else."""

    role: RemotePartyRole
    status: CredentialStatus
    floor_seq_number: int | None = None
    usage: CertificateUsage | None = None
    party_id: str | None = None
    certificate_hash: bytes | None = None


@dataclass(frozen=True, slots=True)
class RemotePartyCredentials:
    """6.24.1 RetrieveDeviceSecurityCredentialsKRPRsp."""

    details: tuple[RemotePartyDetail, ...]


@dataclass(frozen=True, slots=True)
class DeviceCertificateRead:
    """6.24.2 RetrieveDeviceSecurityCredentialsDeviceRsp."""

    status: CredentialStatus
    certificate: bytes | None


# -- checks --------------------------------------------------------------------------------------


def _check_certificate(value: object, field: str) -> None:
    if not isinstance(value, bytes) or not value:
        raise InvalidField(field, "a certificate is required")
    if len(value) > MAX_CERTIFICATE_BYTES:
        raise InvalidField(field, f"{len(value)} bytes exceeds {MAX_CERTIFICATE_BYTES}")
    if not is_der_sequence(value):
        raise InvalidField(field, "is not a DER-encoded certificate (one ASN.1 SEQUENCE)")


def _check_floor(value: object, field: str) -> None:
    if value is None:
        return
    if (
        not isinstance(value, int)
        or isinstance(value, bool)
        or not 0 <= value <= (MAX_FLOOR_SEQ_NUMBER)
    ):
        raise InvalidField(field, f"{value!r} is not a floor sequence number (0 to 2^63-1)")


def _check_role(value: object, field: str, allowed: dict[RemotePartyRole, ReplacementMode]) -> None:
    if not isinstance(value, RemotePartyRole):
        raise InvalidField(field, f"{value!r} is not a RemotePartyRole")
    if value not in allowed:
        names = ", ".join(role.value for role in allowed)
        raise InvalidField(field, f"{value} cannot be replaced by this SRV (only {names})")


def _check_replacement(
    body: ReplaceCredentials, modes: dict[RemotePartyRole, ReplacementMode]
) -> None:
    _check_role(body.remote_party_role, "body.remote_party_role", modes)
    _check_floor(body.floor_seq_number, "body.floor_seq_number")
    _check_floor(body.top_up_floor_seq_number, "body.top_up_floor_seq_number")
    supplier = body.remote_party_role is RemotePartyRole.SUPPLIER
    if body.top_up_floor_seq_number is not None and not supplier:
        raise InvalidField("body.top_up_floor_seq_number", "only the Supplier has one")
    certificates = body.certificates
    if not isinstance(certificates, ReplacementCertificates):
        raise InvalidField("body.certificates", "replacement certificates are required")
    given = certificates.by_usage()
    if not given:
        raise InvalidField("body.certificates", "names no certificate to replace")
    for usage, certificate in given:
        _check_certificate(certificate, f"body.certificates.{_FIELDS[usage]}")
    if certificates.key_agreement_top_up is not None and not supplier:
        raise InvalidField(
            "body.certificates.key_agreement_top_up", "only the Supplier has a top-up certificate"
        )
    path = body.certification_path
    if not isinstance(path, tuple) or not 1 <= len(path) <= 3:
        raise InvalidField("body.certification_path", "holds 1 to 3 certificates")
    for index, certificate in enumerate(path):
        _check_certificate(certificate, f"body.certification_path[{index}]")
    if not isinstance(body.apply_time_based_cpv_checks, bool):
        raise InvalidField("body.apply_time_based_cpv_checks", "must be true or false")


_FIELDS = {
    CertificateUsage.DIGITAL_SIGNING: "digital_signing",
    CertificateUsage.KEY_AGREEMENT: "key_agreement",
    CertificateUsage.KEY_AGREEMENT_TOP_UP: "key_agreement_top_up",
}


def _check_krp(body: ReplaceCredentials) -> None:
    _check_replacement(body, _KRP_MODES)


def _check_handover(body: ReplaceCredentials) -> None:
    _check_replacement(body, _HANDOVER_MODES)
    if body.certificates.digital_signing is None:
        raise InvalidField("body.certificates.digital_signing", "a handover names it")


def _check_device_certificate(body: UpdateDeviceCertificate) -> None:
    _check_certificate_bytes(body.device_certificate, "body.device_certificate")


def _check_certificate_bytes(value: object, field: str) -> None:
    """6.15.2's certificate goes to the device as it is: the device judges it (CS02d)."""
    if not isinstance(value, bytes) or not value:
        raise InvalidField(field, "a certificate is required")
    if len(value) > MAX_CERTIFICATE_BYTES:
        raise InvalidField(field, f"{len(value)} bytes exceeds {MAX_CERTIFICATE_BYTES}")


def _check_credential_type(body: IssueSecurityCredentials | RetrieveDeviceCertificate) -> None:
    if not isinstance(body.credential_type, CredentialType):
        raise InvalidField("body.credential_type", f"{body.credential_type!r} is not a type")


def _check_roles(body: RetrieveRemotePartyCredentials) -> None:
    roles = body.roles
    if not isinstance(roles, tuple) or not 1 <= len(roles) <= 7:
        raise InvalidField("body.roles", "names 1 to 7 remote party roles")
    for index, role in enumerate(roles):
        if not isinstance(role, RemotePartyRole):
            raise InvalidField(f"body.roles[{index}]", f"{role!r} is not a RemotePartyRole")


# -- the device's credentials --------------------------------------------------------------------


def device_credentials(state: DspState, device: SimulatedDevice) -> DeviceCredentials:
    """The device's credentials, seeded at first use with what it was installed with."""
    if device.credentials is None:
        device.credentials = DeviceCredentials.seeded(_installed_parties(state, device))
    return device.credentials


def _installed_parties(state: DspState, device: SimulatedDevice) -> dict[RemotePartyRole, str]:
    dcc = state.acb_id
    parties = dict.fromkeys(_DCC_ROLES, dcc)
    supplier = network_operator = None
    if device.device_type not in _DCC_CONTROLLED:
        record = state.smi.get(device.device_id)
        mpxn = record.mpxn if record is not None else None
        now = state.now()
        supplier = state.registrations.responsible_supplier(device.device_type, mpxn, now)
        network_operator = state.registrations.network_operator(device.device_type, mpxn, now)
        supplier = device.supplier_credentials or supplier
    parties[RemotePartyRole.SUPPLIER] = supplier or dcc
    parties[RemotePartyRole.NETWORK_OPERATOR] = network_operator or dcc
    return parties


def _update(request: ServiceRequest, mode: ReplacementMode) -> CredentialsUpdate:
    body = request.body
    assert isinstance(body, ReplaceCredentials)
    return CredentialsUpdate(
        body.remote_party_role,
        mode,
        body.certificates,
        request.request_id.counter,
        request.request_id.originator,
        body.floor_seq_number,
        body.top_up_floor_seq_number,
    )


# -- 6.15.1 Update Security Credentials (KRP) ----------------------------------------------------


@family.device(
    "6.15.1",
    body=ReplaceCredentials,
    check=_check_krp,
    device_types=_WITH_CREDENTIALS,
    responses=(CredentialsUpdated,),
    device_holds_future_dated=True,
)
def update_credentials(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    assert isinstance(request.body, ReplaceCredentials)
    role = request.body.remote_party_role
    credentials = device_credentials(state, device)
    if request.is_cancellation:
        credentials.cancel(role)
        return CredentialsUpdated(None), nothing
    update = _update(request, _KRP_MODES[role])
    when = request.execution_datetime
    if when is not None and when > state.now():
        credentials.hold(update, when)
        state.scheduler.at(
            when,
            partial(run_held_update, state, device.device_id, request.request_id, role),
            label=f"6.15.1 {role} credentials on {device.device_id}",
        )
        return CredentialsUpdated(None), nothing
    return CredentialsUpdated(credentials.replace(update)), nothing


def run_held_update(state: DspState, device_id: str, rid: RequestId, role: RemotePartyRole) -> None:
    """A future-dated 6.15.1 falls due: the device replaces the credentials and raises 0x8F66
    in a 0x00CB alert carrying the outcome (SRV-05)."""
    device = state.network.get(device_id)
    if device is None or device.credentials is None:
        return
    outcome = device.credentials.run_held(role, rid.counter, state.now())
    if outcome is None:  # cancelled or replaced meanwhile
        return
    alert = DeviceAlertMessage(
        device_id=device_id,
        message_code=MessageCode.FUTURE_DATED_SECURITY_CREDENTIALS,
        alert_code=AlertCode.FUTURE_DATED_COMMAND_ACTIONED,
        issued_at=state.now(),
        request_id=rid,
        credentials_outcome=outcome,
    )
    state.journal.record(
        state.now(),
        EventKind.DEVICE_ALERT,
        f"alert {alert.alert_code:#06X}",
        device=device_id,
        message_code=f"{alert.message_code:#06X}",
    )
    decision = decide(state, FaultStage.DEVICE_ALERT, "6.15.1", device, rid)
    deliver_heard(state, rid.originator, alert, decision)


# -- 6.15.2 Update Security Credentials (Device) --------------------------------------------------


@family.device(
    "6.15.2",
    body=UpdateDeviceCertificate,
    check=_check_device_certificate,
    device_types=_WITH_CREDENTIALS,
    responses=(DeviceCertificateUpdated,),
)
def update_device_certificate(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    assert isinstance(request.body, UpdateDeviceCertificate)
    credentials = device_credentials(state, device)
    status = credentials.install_certificate(device.device_id, request.body.device_certificate)
    return DeviceCertificateUpdated(status), nothing


# -- 6.17 Issue Security Credentials -------------------------------------------------------------


@family.device(
    "6.17",
    body=IssueSecurityCredentials,
    check=_check_credential_type,
    device_types=_WITH_CREDENTIALS,
    responses=(CredentialsIssued,),
)
def issue_credentials(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    assert isinstance(request.body, IssueSecurityCredentials)
    credentials = device_credentials(state, device)
    request_bytes = credentials.generate_key_pair(device.device_id, request.body.credential_type)
    return CredentialsIssued(CredentialStatus.SUCCESS, request_bytes), nothing


# -- 6.21 Request Handover Of DCC Controlled Device ---------------------------------------------


@family.device(
    "6.21",
    body=ReplaceCredentials,
    check=_check_handover,
    device_types=_HANDED_OVER,
    responses=(DeviceHandedOver,),
)
def hand_over(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    assert isinstance(request.body, ReplaceCredentials)
    if request.is_cancellation:  # the DSP dropped the handover it held (SRV-05)
        return DeviceHandedOver(None), nothing
    role = request.body.remote_party_role
    outcome = device_credentials(state, device).replace(_update(request, _HANDOVER_MODES[role]))
    return DeviceHandedOver(outcome), nothing


# -- 6.23 Update Security Credentials (CoS) -----------------------------------------------------


def _check_change_of_supplier(body: UpdateSecurityCredentialsCoS) -> None:
    check_mpxn(body.import_mpxn, "body.import_mpxn")


@family.device(
    "6.23",
    body=UpdateSecurityCredentialsCoS,
    check=_check_change_of_supplier,
    device_types=(DeviceType.ESME, DeviceType.GSME),
)
def change_of_supplier(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    """6.23: the ECoS party processes the request before it reaches the device. A refusal
    programmed through the control API raises N26 to the requester instead (ALERT-02)."""
    rid = request.request_id
    if request.is_cancellation:
        # The DSP has dropped the 6.23 it held for the device (SRV-05); nothing reaches the
        # ECoS party, and the device answers that nothing changed.
        return None, nothing
    error_code = state.ecos_failures.pop(device.device_id, None)
    if error_code is None:
        device.replace_supplier_credentials(rid.originator)
        if device.credentials is not None:  # else seeded from supplier_credentials when asked
            device.credentials.replace(_change_of_supplier_update(rid))
        return None, nothing
    alert = DccAlertMessage(
        DccAlertCode.CHANGE_OF_SUPPLIER_FAILED,
        device.device_id,
        state.now(),
        ChangeOfSupplier(rid, error_code),
    )
    state.journal.record(
        state.now(),
        EventKind.DCC_ALERT,
        "N26: ECoS party refused 6.23",
        request=rid,
        ecos_error_code=error_code,
    )
    state.deliver(rid.originator, alert)
    return NO_RESPONSE, nothing


def _change_of_supplier_update(rid: RequestId) -> CredentialsUpdate:
    """The incoming supplier's certificates (the 6.23 body dccsim keeps carries none of its
    own, so they are stand-ins naming the supplier)."""
    supplier = rid.originator
    certificates = ReplacementCertificates(
        stand_in_certificate(supplier, CertificateUsage.DIGITAL_SIGNING),
        stand_in_certificate(supplier, CertificateUsage.KEY_AGREEMENT),
    )
    return CredentialsUpdate(
        RemotePartyRole.SUPPLIER,
        ReplacementMode.SUPPLIER_BY_TRANS_COS,
        certificates,
        rid.counter,
        supplier,
    )


# -- 6.24.1 Retrieve Device Security Credentials (KRP) ---------------------------------------


@family.device(
    "6.24.1",
    body=RetrieveRemotePartyCredentials,
    check=_check_roles,
    device_types=_WITH_CREDENTIALS,
    responses=(RemotePartyCredentials,),
)
def retrieve_remote_party_credentials(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    assert isinstance(request.body, RetrieveRemotePartyCredentials)
    credentials = device_credentials(state, device)
    details: list[RemotePartyDetail] = []
    for role in dict.fromkeys(request.body.roles):  # a role asked twice is answered once
        anchor = credentials.trusted.get(role)
        if role is RemotePartyRole.ACB and device.acb_credentials is not None:
            details.extend(_opted_out_acb(device))
        elif anchor is None:
            details.append(RemotePartyDetail(role, CredentialStatus.TRUST_ANCHOR_NOT_FOUND))
        else:
            details.extend(_anchor_details(role, anchor))
    return RemotePartyCredentials(tuple(details)), nothing


def _anchor_details(role: RemotePartyRole, anchor: TrustAnchor) -> list[RemotePartyDetail]:
    return [
        RemotePartyDetail(
            role,
            CredentialStatus.SUCCESS,
            anchor.floor_seq_number,
            held.usage,
            held.party_id,
            held.certificate_hash,
        )
        for held in anchor.certificates
    ]


def _opted_out_acb(device: SimulatedDevice) -> list[RemotePartyDetail]:
    """8.5 Service Opt Out put another ACB's certificates on the ESME (devices.service_opt);
    its ID is not kept, so it is not reported."""
    acb = device.acb_credentials
    assert acb is not None
    held = [(CertificateUsage.KEY_AGREEMENT, acb.key_agreement_hash)]
    if acb.digital_signing_hash is not None:
        held.insert(0, (CertificateUsage.DIGITAL_SIGNING, acb.digital_signing_hash))
    return [
        RemotePartyDetail(
            RemotePartyRole.ACB,
            CredentialStatus.SUCCESS,
            acb.floor_sequence_number,
            usage,
            None,
            digest,
        )
        for usage, digest in held
    ]


# -- 6.24.2 Retrieve Device Security Credentials (Device) -------------------------------------


@family.device(
    "6.24.2",
    body=RetrieveDeviceCertificate,
    check=_check_credential_type,
    device_types=_WITH_CREDENTIALS,
    responses=(DeviceCertificateRead,),
)
def retrieve_device_certificate(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    assert isinstance(request.body, RetrieveDeviceCertificate)
    credentials = device_credentials(state, device)
    certificate = credentials.certificate(device.device_id, request.body.credential_type)
    return DeviceCertificateRead(CredentialStatus.SUCCESS, certificate), nothing
