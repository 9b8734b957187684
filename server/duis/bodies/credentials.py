"""DUIS bodies of the security credential SRVs: 6.15.1 UpdateSecurityCredentialsKRP, 6.15.2
UpdateSecurityCredentialsDevice, 6.17 IssueSecurityCredentials, 6.21
RequestHandoverOfDCCControlledDevice, 6.23 UpdateSecurityCredentialsCoS, 6.24.1
RetrieveDeviceSecurityCredentialsKRP and 6.24.2 RetrieveDeviceSecurityCredentialsDevice in; their
MMC responses out, and the UpdateSecurityCredentialsDeviceAlert of a future-dated 6.15.1's 0x00CB
alert.

Decision: the StatusASN1 `ResponseCode` attribute (an integer the MMC schema requires but does not
enumerate) is the status's position in the MMC's list of statuses for the use case, success 0
(e.g. 6.15.2: invalidCertificate 1, wrongDeviceIdentity 2, invalidKeyUsage 3, ...).
"""

from __future__ import annotations

import base64

from lxml import etree

from dccsim.devices.credentials import (
    CredentialStatus,
    CredentialType,
    ExecutionOutcome,
    RemotePartyRole,
    ReplacementCertificates,
)
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.requests import UpdateSecurityCredentialsCoS
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
from dccsim.server.duis.bodies.family import BodyFamily
from dccsim.server.duis.reading import (
    BodyReading,
    base64_value,
    boolean_value,
    optional_datetime,
    sequence,
    text_value,
    unsigned_value,
)
from dccsim.server.duis.writing import b64, ra, sub

_ROLES = {role.value: role for role in RemotePartyRole}
_CREDENTIAL_TYPES = {kind.value: kind for kind in CredentialType}
# StatusASN1 ResponseCode values (see the module docstring).
_ASN1_CODES = {
    CredentialStatus.SUCCESS: 0,
    CredentialStatus.BAD_CERTIFICATE: 1,
    CredentialStatus.INVALID_CERTIFICATE: 1,
    CredentialStatus.WRONG_DEVICE_IDENTITY: 2,
    CredentialStatus.INVALID_KEY_USAGE: 3,
    CredentialStatus.NO_CORRESPONDING_KEY_PAIR: 4,
    CredentialStatus.TRUST_ANCHOR_NOT_FOUND: 1,
    CredentialStatus.NO_CERTIFICATE_HELD: 1,
}
_CERTIFICATE_FIELDS = (
    ("DigitalSigningCertificate", "digital_signing"),
    ("KeyAgreementCertificate", "key_agreement"),
    ("KeyAgreementTopUpCertificate", "key_agreement_top_up"),
)


# -- readers -------------------------------------------------------------------------------------


def _role(element: etree._Element, path: str) -> RemotePartyRole:
    text = " ".join(text_value(element, path).split())  # xs:token
    role = _ROLES.get(text)
    if role is None:
        raise InvalidField(path, f"{text!r} is not a RemotePartyRole ({', '.join(_ROLES)})")
    return role


def _credential_type(element: etree._Element, path: str) -> CredentialType:
    text = text_value(element, path)
    kind = _CREDENTIAL_TYPES.get(text)
    if kind is None:
        raise InvalidField(
            path, f"{text!r} is not a CredentialType ({', '.join(_CREDENTIAL_TYPES)})"
        )
    return kind


def _optional_unsigned(parts: dict[str, list[etree._Element]], name: str, path: str) -> int | None:
    items = parts[name]
    return unsigned_value(items[0], f"{path}/{name}") if items else None


def _certificates(
    element: etree._Element, path: str, first_required: bool, fields: dict[str, str]
) -> ReplacementCertificates:
    spec = [
        (name, 1 if first_required and i == 0 else 0, 1)
        for i, (name, _) in enumerate(_CERTIFICATE_FIELDS)
    ]
    parts = sequence(element, path, spec)
    found: dict[str, bytes] = {}
    for name, field in _CERTIFICATE_FIELDS:
        fields[f"body.certificates.{field}"] = f"{path}/{name}"
        if parts[name]:
            found[field] = base64_value(parts[name][0], f"{path}/{name}")
    fields["body.certificates"] = path
    return ReplacementCertificates(**found)


def _replacement(element: etree._Element, path: str, handover: bool) -> BodyReading:
    parts = sequence(
        element,
        path,
        [
            ("ExecutionDateTime", 0, 1),
            ("RemotePartyRole", 1, 1),
            ("RemotePartyFloorSeqNumber", 0, 1),
            ("RemotePartyPrepaymentTopUpFloorSeqNumber", 0, 1),
            ("ReplacementCertificates", 1, 1),
            ("CertificationPathCertificates", 1, 1),
            ("ApplyTimeBasedCPVChecks", 1, 1),
        ],
    )
    fields = {
        "body.remote_party_role": f"{path}/RemotePartyRole",
        "body.floor_seq_number": f"{path}/RemotePartyFloorSeqNumber",
        "body.top_up_floor_seq_number": f"{path}/RemotePartyPrepaymentTopUpFloorSeqNumber",
        "body.apply_time_based_cpv_checks": f"{path}/ApplyTimeBasedCPVChecks",
    }
    role = _role(parts["RemotePartyRole"][0], f"{path}/RemotePartyRole")
    floor = _optional_unsigned(parts, "RemotePartyFloorSeqNumber", path)
    top_up = _optional_unsigned(parts, "RemotePartyPrepaymentTopUpFloorSeqNumber", path)
    replacement_path = f"{path}/ReplacementCertificates"
    replacement = parts["ReplacementCertificates"][0]
    if handover:  # ReplacementCertificatesDCCHandover: the certificates themselves
        certificates = _certificates(replacement, replacement_path, True, fields)
    else:  # ReplacementCertificatesKRP: a choice of one SupplierOrNetworkOperatorCertificates
        inner = sequence(
            replacement, replacement_path, [("SupplierOrNetworkOperatorCertificates", 1, 1)]
        )["SupplierOrNetworkOperatorCertificates"][0]
        inner_path = f"{replacement_path}/SupplierOrNetworkOperatorCertificates"
        certificates = _certificates(inner, inner_path, False, fields)
    path_path = f"{path}/CertificationPathCertificates"
    chain = sequence(parts["CertificationPathCertificates"][0], path_path, [("Certificate", 1, 3)])
    certification_path = tuple(
        base64_value(item, f"{path_path}/Certificate") for item in chain["Certificate"]
    )
    fields["body.certification_path"] = f"{path_path}/Certificate"
    checks = boolean_value(parts["ApplyTimeBasedCPVChecks"][0], f"{path}/ApplyTimeBasedCPVChecks")
    body = ReplaceCredentials(role, certificates, certification_path, checks, floor, top_up)
    return body, optional_datetime(parts, path), fields


def _update_krp(element: etree._Element, path: str) -> BodyReading:
    return _replacement(element, path, handover=False)


def _handover(element: etree._Element, path: str) -> BodyReading:
    return _replacement(element, path, handover=True)


def _update_device(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(element, path, [("DeviceCertificate", 1, 1)])
    certificate_path = f"{path}/DeviceCertificate"
    certificate = base64_value(parts["DeviceCertificate"][0], certificate_path)
    return (
        UpdateDeviceCertificate(certificate),
        None,
        {"body.device_certificate": certificate_path},
    )


def _issue(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(element, path, [("CredentialType", 1, 1)])
    kind = _credential_type(parts["CredentialType"][0], f"{path}/CredentialType")
    return IssueSecurityCredentials(kind), None, {"body.credential_type": f"{path}/CredentialType"}


def _retrieve_krp(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(element, path, [("RemotePartyRole", 1, 7)])
    roles = tuple(_role(item, f"{path}/RemotePartyRole") for item in parts["RemotePartyRole"])
    return RetrieveRemotePartyCredentials(roles), None, {"body.roles": f"{path}/RemotePartyRole"}


def _retrieve_device(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(element, path, [("CredentialType", 1, 1)])
    kind = _credential_type(parts["CredentialType"][0], f"{path}/CredentialType")
    return RetrieveDeviceCertificate(kind), None, {"body.credential_type": f"{path}/CredentialType"}


def _change_of_supplier(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(
        element,
        path,
        [
            ("ExecutionDateTime", 0, 1),
            ("SupplierFloorSeqNumber", 1, 1),
            ("SupplierPrepaymentTopUpFloorSeqNumber", 0, 1),
            ("SupplierReplacementCertificates", 1, 1),
            ("CertificationPathCertificates", 1, 1),
            ("ApplyTimeBasedCPVChecks", 1, 1),
            ("ImportMPxN", 1, 1),
        ],
    )
    for name in ("SupplierFloorSeqNumber", "SupplierPrepaymentTopUpFloorSeqNumber"):
        for item in parts[name]:
            unsigned_value(item, f"{path}/{name}")
    boolean_value(parts["ApplyTimeBasedCPVChecks"][0], f"{path}/ApplyTimeBasedCPVChecks")
    mpxn = text_value(parts["ImportMPxN"][0], f"{path}/ImportMPxN")
    body = UpdateSecurityCredentialsCoS(mpxn)
    return body, optional_datetime(parts, path), {"body.import_mpxn": f"{path}/ImportMPxN"}


# -- MMC writers ---------------------------------------------------------------------------------


def _status(parent: etree._Element, name: str, status: CredentialStatus) -> None:
    element = sub(parent, name)
    element.set("ResponseCode", str(_ASN1_CODES[status]))
    sub(element, "ASN1Status", status.value)


def _sha1(digest: bytes) -> str:
    return base64.b64encode(digest).decode("ascii")


def write_execution_outcome(parent: etree._Element, name: str, outcome: ExecutionOutcome) -> None:
    """An MMC ExecutionOutcome, in the schema's element order."""
    element = sub(parent, name)
    sub(element, "AuthorisingRemotePartyOriginatorCounter", str(outcome.authorising_counter))
    sub(element, "CredentialsReplacementMode", outcome.mode.value)
    if outcome.floor_seq_number is not None or outcome.top_up_floor_seq_number is not None:
        change = sub(element, "RemotePartySeqNumberChange")
        sub(change, "RemotePartyRole", outcome.role.value)
        if outcome.floor_seq_number is not None:
            sub(change, "RemotePartyFloorSeqNumber", str(outcome.floor_seq_number))
        if outcome.top_up_floor_seq_number is not None:
            sub(
                change,
                "RemotePartyPrepaymentTopUpFloorSeqNumber",
                str(outcome.top_up_floor_seq_number),
            )
    for replaced in outcome.replacements:
        item = sub(element, "ReplacementOutcome")
        _status(item, "StatusCode", replaced.status)
        sub(item, "CertificateType", replaced.usage.value)
        sub(item, "RemotePartyRole", replaced.role.value)
        if replaced.existing_party_id is not None:
            sub(item, "ExistingRemotePartyID", replaced.existing_party_id)
        sub(item, "NewRemotePartyID", replaced.new_party_id)
        if replaced.existing_hash is not None:
            sub(item, "ExistingCertificateHash", _sha1(replaced.existing_hash))
        sub(item, "NewCertificateHash", _sha1(replaced.new_hash))


def _credentials_updated_rsp(updated: CredentialsUpdated) -> etree._Element:
    element = etree.Element(ra("UpdateSecurityCredentialsKRPRsp"))
    if updated.outcome is not None:
        write_execution_outcome(element, "ExecutionOutcome", updated.outcome)
    return element


def _handed_over_rsp(handed_over: DeviceHandedOver) -> etree._Element:
    element = etree.Element(ra("RequestHandoverOfDCCControlledDeviceRsp"))
    if handed_over.outcome is not None:
        write_execution_outcome(element, "ExecutionOutcome", handed_over.outcome)
    return element


def _device_certificate_updated_rsp(updated: DeviceCertificateUpdated) -> etree._Element:
    element = etree.Element(ra("UpdateSecurityCredentialsDeviceRsp"))
    _status(element, "UpdateSecurityCredentialsResponseCode", updated.status)
    return element


def _issued_rsp(issued: CredentialsIssued) -> etree._Element:
    element = etree.Element(ra("IssueSecurityCredentialsRsp"))
    _status(element, "IssueCredentialsResponseCode", issued.status)
    if issued.certification_request is not None:
        sub(element, "CertificationRequest", b64(issued.certification_request))
    return element


def _remote_party_rsp(read: RemotePartyCredentials) -> etree._Element:
    element = etree.Element(ra("RetrieveDeviceSecurityCredentialsKRPRsp"))
    for detail in read.details:
        item = sub(element, "RemotePartyDetails")
        sub(item, "RemotePartyRole", detail.role.value)
        _status(item, "StatusCode", detail.status)
        if detail.floor_seq_number is not None:
            sub(item, "RemotePartyFloorSeqNumber", str(detail.floor_seq_number))
        if detail.usage is not None:
            sub(item, "CertificateUsage", detail.usage.value)
        if detail.party_id is not None:
            sub(item, "ExistingRemotePartyID", detail.party_id)
        if detail.certificate_hash is not None:
            sub(item, "ExistingCertificateHash", _sha1(detail.certificate_hash))
    return element


def _device_certificate_rsp(read: DeviceCertificateRead) -> etree._Element:
    element = etree.Element(ra("RetrieveDeviceSecurityCredentialsDeviceRsp"))
    _status(element, "RetrieveDeviceSecurityCredentialsStatusCode", read.status)
    if read.certificate is not None:
        sub(element, "Certificate", b64(read.certificate))
    return element


def write_alert_outcome(payload: etree._Element, outcome: ExecutionOutcome) -> None:
    """A future-dated 6.15.1's alert payload: FutureDatedCommandOutcomeDeviceAlert /
    UpdateSecurityCredentialsDeviceAlert / UpdateSecurityCredentialsExecutionOutcome."""
    alert = sub(
        sub(payload, "FutureDatedCommandOutcomeDeviceAlert"), "UpdateSecurityCredentialsDeviceAlert"
    )
    write_execution_outcome(alert, "UpdateSecurityCredentialsExecutionOutcome", outcome)


FAMILY: BodyFamily = BodyFamily(
    readers={
        "6.15.1": ("UpdateSecurityCredentialsKRP", _update_krp),
        "6.15.2": ("UpdateSecurityCredentialsDevice", _update_device),
        "6.17": ("IssueSecurityCredentials", _issue),
        "6.21": ("RequestHandoverOfDCCControlledDevice", _handover),
        "6.23": ("UpdateSecurityCredentialsCoS", _change_of_supplier),
        "6.24.1": ("RetrieveDeviceSecurityCredentialsKRP", _retrieve_krp),
        "6.24.2": ("RetrieveDeviceSecurityCredentialsDevice", _retrieve_device),
    },
    mmc_writers={
        CredentialsUpdated: _credentials_updated_rsp,
        DeviceHandedOver: _handed_over_rsp,
        DeviceCertificateUpdated: _device_certificate_updated_rsp,
        CredentialsIssued: _issued_rsp,
        RemotePartyCredentials: _remote_party_rsp,
        DeviceCertificateRead: _device_certificate_rsp,
    },
    empty_responses={"6.23": "UpdateSecurityCredentialsCoSRsp"},
)
