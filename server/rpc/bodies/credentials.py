"""gRPC messages of the security credential SRVs: 6.15.1, 6.15.2, 6.17, 6.21, 6.24.1, 6.24.2
(protos/dccsim/v1/credentials.proto). 6.23 predates the registry and is converted in `convert`."""

from __future__ import annotations

from dccsim.devices.credentials import (
    CredentialType,
    ExecutionOutcome,
    RemotePartyRole,
    ReplacementCertificates,
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
from dccsim.server.rpc.bodies.family import MessageFamily
from dccsim.server.rpc.wire import EnumMap
from dccsim.v1 import credentials_pb2, supplier_pb2

ROLES = EnumMap(RemotePartyRole, credentials_pb2.RemotePartyRole)
CREDENTIAL_TYPES = EnumMap(CredentialType, credentials_pb2.CredentialType)


# -- requests ------------------------------------------------------------------------------------


def _optional(message: object, name: str) -> object:
    return getattr(message, name) if message.HasField(name) else None  # type: ignore[attr-defined]


def _replacement(message: credentials_pb2.ReplaceCredentials) -> ReplaceCredentials:
    role = ROLES.to_core(message.remote_party_role, "body.remote_party_role")
    assert role is not None
    given = message.certificates
    certificates = ReplacementCertificates(
        _optional(given, "digital_signing"),  # type: ignore[arg-type]
        _optional(given, "key_agreement"),  # type: ignore[arg-type]
        _optional(given, "key_agreement_top_up"),  # type: ignore[arg-type]
    )
    return ReplaceCredentials(
        role,
        certificates,
        tuple(message.certification_path),
        message.apply_time_based_cpv_checks,
        _optional(message, "floor_seq_number"),  # type: ignore[arg-type]
        _optional(message, "top_up_floor_seq_number"),  # type: ignore[arg-type]
    )


def _device_certificate(
    message: credentials_pb2.UpdateDeviceCertificate,
) -> UpdateDeviceCertificate:
    return UpdateDeviceCertificate(message.device_certificate)


def _credential_type(message: object) -> CredentialType:
    kind = CREDENTIAL_TYPES.to_core(message.credential_type, "body.credential_type")  # type: ignore[attr-defined]
    assert kind is not None
    return kind


def _issue(message: credentials_pb2.IssueSecurityCredentials) -> IssueSecurityCredentials:
    return IssueSecurityCredentials(_credential_type(message))


def _retrieve_device(
    message: credentials_pb2.RetrieveDeviceCertificate,
) -> RetrieveDeviceCertificate:
    return RetrieveDeviceCertificate(_credential_type(message))


def _retrieve_krp(
    message: credentials_pb2.RetrieveRemotePartyCredentials,
) -> RetrieveRemotePartyCredentials:
    roles = tuple(
        ROLES.to_core(role, f"body.roles[{index}]") for index, role in enumerate(message.roles)
    )
    return RetrieveRemotePartyCredentials(roles)  # type: ignore[arg-type]


# -- device responses ----------------------------------------------------------------------------


def fill_outcome(
    into: credentials_pb2.CredentialsExecutionOutcome, outcome: ExecutionOutcome
) -> None:
    into.authorising_originator_counter = outcome.authorising_counter
    into.credentials_replacement_mode = outcome.mode.value
    into.remote_party_role = outcome.role.value
    if outcome.floor_seq_number is not None:
        into.floor_seq_number = outcome.floor_seq_number
    if outcome.top_up_floor_seq_number is not None:
        into.top_up_floor_seq_number = outcome.top_up_floor_seq_number
    for replaced in outcome.replacements:
        item = into.replacements.add(
            status=replaced.status.value,
            certificate_type=replaced.usage.value,
            remote_party_role=replaced.role.value,
            new_remote_party_id=replaced.new_party_id,
            new_certificate_hash=replaced.new_hash,
        )
        if replaced.existing_party_id is not None:
            item.existing_remote_party_id = replaced.existing_party_id
        if replaced.existing_hash is not None:
            item.existing_certificate_hash = replaced.existing_hash


def _replaced(
    response: supplier_pb2.ServiceResponse, body: CredentialsUpdated | DeviceHandedOver
) -> None:
    replaced = response.credentials_replaced
    replaced.SetInParent()  # present even without an outcome (held for later, or cancelled)
    if body.outcome is not None:
        fill_outcome(replaced.outcome, body.outcome)


def _device_certificate_updated(
    response: supplier_pb2.ServiceResponse, body: DeviceCertificateUpdated
) -> None:
    response.device_certificate_updated.status = body.status.value


def _issued(response: supplier_pb2.ServiceResponse, body: CredentialsIssued) -> None:
    issued = response.credentials_issued
    issued.status = body.status.value
    if body.certification_request is not None:
        issued.certification_request = body.certification_request


def _remote_parties(response: supplier_pb2.ServiceResponse, body: RemotePartyCredentials) -> None:
    read = response.remote_party_credentials
    read.SetInParent()
    for detail in body.details:
        item = read.details.add(remote_party_role=detail.role.value, status=detail.status.value)
        if detail.floor_seq_number is not None:
            item.floor_seq_number = detail.floor_seq_number
        if detail.usage is not None:
            item.certificate_usage = detail.usage.value
        if detail.party_id is not None:
            item.existing_remote_party_id = detail.party_id
        if detail.certificate_hash is not None:
            item.existing_certificate_hash = detail.certificate_hash


def _device_certificate_read(
    response: supplier_pb2.ServiceResponse, body: DeviceCertificateRead
) -> None:
    read = response.device_certificate_read
    read.status = body.status.value
    if body.certificate is not None:
        read.certificate = body.certificate


FAMILY = MessageFamily(
    readers={
        "update_security_credentials_krp": (ReplaceCredentials, _replacement),
        "request_handover_of_dcc_controlled_device": (ReplaceCredentials, _replacement),
        "update_device_certificate": (UpdateDeviceCertificate, _device_certificate),
        "issue_security_credentials": (IssueSecurityCredentials, _issue),
        "retrieve_remote_party_credentials": (RetrieveRemotePartyCredentials, _retrieve_krp),
        "retrieve_device_certificate": (RetrieveDeviceCertificate, _retrieve_device),
    },
    response_fillers={
        CredentialsUpdated: _replaced,
        DeviceHandedOver: _replaced,
        DeviceCertificateUpdated: _device_certificate_updated,
        CredentialsIssued: _issued,
        RemotePartyCredentials: _remote_parties,
        DeviceCertificateRead: _device_certificate_read,
    },
)
