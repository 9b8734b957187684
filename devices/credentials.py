"""The security credentials a device holds (GBCS CS02a-CS02e; DUIS 6.15.1, 6.15.2, 6.17, 6.21,
6.23, 6.24.1, 6.24.2).

Two kinds of credential:

- **Trust anchors**: for each remote party role (Supplier, NetworkOperator, ACB, Root, Recovery,
  TransCoS, LoadController) the party the device trusts in it (its entity ID), that party's
  certificates by usage (held as their SHA-1, which is what CS02a reports) and its floor
  sequence numbers. 6.15.1 / 6.21 / 6.23 replace them; 6.24.1 reads them.
- **The device's own certificates** (Digital Signature, Key Agreement): 6.17 makes the device
  generate a new key pair and answer a certification request; 6.15.2 installs the certificate
  issued for it; 6.24.2 reads it.

Devices know nothing of the DSP: what the device trusts when it is first asked is seeded by the
caller (`DeviceCredentials.seeded`). dccsim holds no real key pairs; certificates are read only for
the few facts a device checks (their key usage and the entity ID they name), see `inspect`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class RemotePartyRole(StrEnum):
    """DUIS/MMC RemotePartyRole."""

    ACB = "ACB"
    NETWORK_OPERATOR = "NetworkOperator"
    RECOVERY = "Recovery"
    ROOT = "Root"
    SUPPLIER = "Supplier"
    TRANS_COS = "TransCoS"
    LOAD_CONTROLLER = "LoadController"


class CertificateUsage(StrEnum):
    """MMC CertificateUsage / CertificateType."""

    DIGITAL_SIGNING = "DigitalSigning"
    KEY_AGREEMENT = "KeyAgreement"
    KEY_AGREEMENT_TOP_UP = "KeyAgreementTopUp"
    KEY_CERT_SIGN = "KeyCertSign"


class CredentialType(StrEnum):
    """DUIS CredentialType: which of its own key pairs a device is asked about (6.17, 6.24.2)."""

    DIGITAL_SIGNATURE = "Digital Signature"
    KEY_AGREEMENT = "Key Agreement"


class ReplacementMode(StrEnum):
    """MMC CredentialsReplacementMode of the CS02b variants dccsim serves."""

    SUPPLIER_BY_SUPPLIER = "SupplierBySupplier"
    NETWORK_OPERATOR_BY_NETWORK_OPERATOR = "NetworkOperatorByNetworkOperator"
    LOAD_CONTROLLER_BY_SUPPLIER = "LoadControllerBySupplier"
    SUPPLIER_BY_TRANS_COS = "SupplierByTransCoS"


class CredentialStatus(StrEnum):
    """The MMC StatusASN1 words the credential use cases answer with."""

    SUCCESS = "success"
    BAD_CERTIFICATE = "badCertificate"
    INVALID_CERTIFICATE = "invalidCertificate"
    WRONG_DEVICE_IDENTITY = "wrongDeviceIdentity"
    INVALID_KEY_USAGE = "invalidKeyUsage"
    NO_CORRESPONDING_KEY_PAIR = "noCorrespondingKeyPairGenerated"
    TRUST_ANCHOR_NOT_FOUND = "trustAnchorNotFound"
    NO_CERTIFICATE_HELD = "noCertificateHeld"


# The usage a device certificate must carry for each of the device's own key pairs.
OWN_USAGE = {
    CredentialType.DIGITAL_SIGNATURE: CertificateUsage.DIGITAL_SIGNING,
    CredentialType.KEY_AGREEMENT: CertificateUsage.KEY_AGREEMENT,
}


# -- reading certificates ------------------------------------------------------------------------

# DER encodings of the object identifiers a device looks for in a certificate.
_KEY_USAGE_OID = bytes.fromhex("0603551d0f")  # id-ce-keyUsage 2.5.29.15
_UNIQUE_ID_OID = bytes.fromhex("060355042d")  # x500UniqueIdentifier 2.5.4.45 (organisations)
_HW_MODULE_OID = bytes.fromhex("06082b06010505070804")  # id-on-hardwareModuleName (devices)
# KeyUsage bits (first octet of the BIT STRING): digitalSignature, keyAgreement, keyCertSign.
_USAGE_BITS = (
    (0x80, CertificateUsage.DIGITAL_SIGNING),
    (0x08, CertificateUsage.KEY_AGREEMENT),
    (0x04, CertificateUsage.KEY_CERT_SIGN),
)


@dataclass(frozen=True, slots=True)
class CertificateFacts:
    """What a device reads from a certificate: its key usage and the entity it names."""

    usage: CertificateUsage | None
    entity_id: str | None  # EUI-64, `XX-XX-...`


def is_der_sequence(data: bytes) -> bool:
    """Does `data` hold exactly one DER SEQUENCE (what every X.509 certificate is)?"""
    if len(data) < 2 or data[0] != 0x30:
        return False
    first = data[1]
    if first < 0x80:
        return len(data) == 2 + first
    octets = first & 0x7F
    if octets == 0 or octets > 4 or len(data) < 2 + octets:
        return False
    length = int.from_bytes(data[2 : 2 + octets], "big")
    return len(data) == 2 + octets + length


def inspect(certificate: bytes) -> CertificateFacts:
    """Read the key usage and the entity ID (an organisation's x500UniqueIdentifier or a
    device's hardwareModuleName serial) by their DER encodings."""
    return CertificateFacts(_key_usage(certificate), _entity_id(certificate))


def _key_usage(certificate: bytes) -> CertificateUsage | None:
    at = certificate.find(_KEY_USAGE_OID)
    if at < 0:
        return None
    rest = certificate[at + len(_KEY_USAGE_OID) :]
    if rest[:3] == b"\x01\x01\xff":  # critical flag
        rest = rest[3:]
    # OCTET STRING { BIT STRING { unused bits, usage octet } }
    if len(rest) < 6 or rest[0] != 0x04 or rest[2] != 0x03:
        return None
    bits = rest[5]
    for mask, usage in _USAGE_BITS:
        if bits & mask:
            return usage
    return None


def _entity_id(certificate: bytes) -> str | None:
    at = certificate.find(_UNIQUE_ID_OID)
    if at >= 0:
        rest = certificate[at + len(_UNIQUE_ID_OID) :]
        if rest[:3] == b"\x03\x09\x00":  # BIT STRING of 9 octets, no unused bits
            return _eui(rest[3:11])
    at = certificate.find(_HW_MODULE_OID)
    if at >= 0:
        serial = certificate.find(b"\x04\x08", at)  # hwSerialNum OCTET STRING (8)
        if 0 <= serial - at < 40:
            return _eui(certificate[serial + 2 : serial + 10])
    return None


def _eui(octets: bytes) -> str | None:
    return "-".join(f"{o:02X}" for o in octets) if len(octets) == 8 else None


def certificate_hash(certificate: bytes) -> bytes:
    return hashlib.sha1(certificate, usedforsecurity=False).digest()


def stand_in_certificate(
    entity_id: str, usage: CertificateUsage, generation: int = 0, what: str = "certificate"
) -> bytes:
    """A certificate stand-in for credentials dccsim made itself (a device's factory
    certificates, the certificates of parties seeded at installation, a certification request):
    a DER SEQUENCE naming the entity and carrying the key usage, so `inspect` reads it as it
    reads a real certificate."""
    # A top-up key agreement certificate is a key agreement one (its policy tells them apart).
    usage_bits = (
        CertificateUsage.KEY_AGREEMENT if usage is CertificateUsage.KEY_AGREEMENT_TOP_UP else usage
    )
    mask = next(bits for bits, named in _USAGE_BITS if named is usage_bits)
    unused = (mask & -mask).bit_length() - 1  # the BIT STRING's unused trailing bits
    label = f"dccsim stand-in {what} {entity_id} {usage} {generation}".encode()
    eui = bytes.fromhex(entity_id.replace("-", ""))
    inner = (
        bytes([0x0C, len(label)])
        + label
        + _UNIQUE_ID_OID
        + b"\x03\x09\x00"
        + eui
        + _KEY_USAGE_OID
        + b"\x01\x01\xff\x04\x04\x03\x02"
        + bytes([unused, mask])
    )
    return bytes([0x30, 0x81, len(inner)]) + inner


# -- what the device holds -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TrustedCertificate:
    """One certificate a device trusts (a GBCS trust anchor cell): its usage, the party it names
    and its SHA-1."""

    usage: CertificateUsage
    party_id: str
    certificate_hash: bytes


@dataclass(frozen=True, slots=True)
class TrustAnchor:
    """What a device trusts in one role: a certificate per usage, and the role's floor sequence
    numbers (the lowest originator counter the device accepts from it)."""

    certificates: tuple[TrustedCertificate, ...]
    floor_seq_number: int = 0
    top_up_floor_seq_number: int | None = None

    def certificate(self, usage: CertificateUsage) -> TrustedCertificate | None:
        for held in self.certificates:
            if held.usage is usage:
                return held
        return None


@dataclass(frozen=True, slots=True)
class ReplacementCertificates:
    """The certificates a 6.15.1 / 6.21 / 6.23 brings, by usage (absent: not replaced)."""

    digital_signing: bytes | None = None
    key_agreement: bytes | None = None
    key_agreement_top_up: bytes | None = None

    def by_usage(self) -> tuple[tuple[CertificateUsage, bytes], ...]:
        given = (
            (CertificateUsage.DIGITAL_SIGNING, self.digital_signing),
            (CertificateUsage.KEY_AGREEMENT, self.key_agreement),
            (CertificateUsage.KEY_AGREEMENT_TOP_UP, self.key_agreement_top_up),
        )
        return tuple((usage, cert) for usage, cert in given if cert is not None)


@dataclass(frozen=True, slots=True)
class CredentialsUpdate:
    """One replacement of a role's credentials, as the device is asked to make it."""

    role: RemotePartyRole
    mode: ReplacementMode
    certificates: ReplacementCertificates
    authorising_counter: int  # the originator counter of the command that asked for it
    requester: str  # who asked: the new party when the certificates name none
    floor_seq_number: int | None = None
    top_up_floor_seq_number: int | None = None


@dataclass(frozen=True, slots=True)
class ReplacementOutcome:
    """MMC ReplacementOutcome: one certificate replaced."""

    status: CredentialStatus
    usage: CertificateUsage
    role: RemotePartyRole
    existing_party_id: str | None
    new_party_id: str
    existing_hash: bytes | None
    new_hash: bytes


@dataclass(frozen=True, slots=True)
class ExecutionOutcome:
    """MMC ExecutionOutcome of a credentials replacement (6.15.1, 6.21, 6.23 and the
    future-dated 6.15.1's alert)."""

    authorising_counter: int
    mode: ReplacementMode
    role: RemotePartyRole
    floor_seq_number: int | None
    top_up_floor_seq_number: int | None
    replacements: tuple[ReplacementOutcome, ...]


@dataclass(frozen=True, slots=True)
class HeldUpdate:
    """A future-dated 6.15.1 the device holds until its time."""

    execute_at: datetime
    update: CredentialsUpdate


@dataclass(slots=True)
class DeviceCredentials:
    """Everything credential-related one device holds. Made on first use: most devices of a
    large fleet are never asked."""

    trusted: dict[RemotePartyRole, TrustAnchor]
    # The device's own certificates as installed (6.15.2); absent: its factory certificate.
    own: dict[CredentialType, bytes] = field(default_factory=dict)
    # Key pairs generated by 6.17 and not yet certified (6.15.2), with their generation number.
    key_pairs: dict[CredentialType, int] = field(default_factory=dict)
    generations: int = 0  # key pairs generated so far: each certification request differs
    held: dict[RemotePartyRole, HeldUpdate] = field(default_factory=dict)

    @classmethod
    def seeded(cls, parties: dict[RemotePartyRole, str]) -> DeviceCredentials:
        """A device as installed: it trusts `parties`, each with stand-in certificates."""
        trusted = {role: _seed_anchor(role, party) for role, party in parties.items()}
        return cls(trusted)

    # -- remote parties (6.15.1, 6.21, 6.23, 6.24.1) ------------------------------------------

    def replace(self, update: CredentialsUpdate) -> ExecutionOutcome:
        """Replace a role's credentials with those the update brings (CS02b)."""
        before = self.trusted.get(update.role)
        replacements = []
        held = {c.usage: c for c in before.certificates} if before is not None else {}
        for usage, certificate in update.certificates.by_usage():
            new = TrustedCertificate(
                usage,
                inspect(certificate).entity_id or update.requester,
                certificate_hash(certificate),
            )
            old = held.get(usage)
            replacements.append(
                ReplacementOutcome(
                    CredentialStatus.SUCCESS,
                    usage,
                    update.role,
                    old.party_id if old is not None else None,
                    new.party_id,
                    old.certificate_hash if old is not None else None,
                    new.certificate_hash,
                )
            )
            held[usage] = new
        floor = update.floor_seq_number
        top_up = update.top_up_floor_seq_number
        anchor = TrustAnchor(
            tuple(held[usage] for usage in CertificateUsage if usage in held),
            floor if floor is not None else (before.floor_seq_number if before else 0),
            top_up if top_up is not None else (before.top_up_floor_seq_number if before else None),
        )
        self.trusted[update.role] = anchor
        return ExecutionOutcome(
            update.authorising_counter,
            update.mode,
            update.role,
            floor,
            top_up,
            tuple(replacements),
        )

    def hold(self, update: CredentialsUpdate, execute_at: datetime) -> None:
        """Keep a future-dated update for its time; a later one for the role replaces it."""
        self.held[update.role] = HeldUpdate(execute_at, update)

    def cancel(self, role: RemotePartyRole) -> bool:
        """Cancel the future-dated update held for the role (3000-12-31); False: none held."""
        return self.held.pop(role, None) is not None

    def run_held(
        self, role: RemotePartyRole, counter: int, now: datetime
    ) -> ExecutionOutcome | None:
        """Run the held update of `role` from the command with `counter`, if it is still held
        (not cancelled or replaced) and due."""
        held = self.held.get(role)
        if held is None or held.update.authorising_counter != counter or held.execute_at > now:
            return None
        del self.held[role]
        return self.replace(held.update)

    # -- the device's own credentials (6.17, 6.15.2, 6.24.2) ----------------------------------

    def generate_key_pair(self, device_id: str, kind: CredentialType) -> bytes:
        """CS02c: a new key pair of the kind; returns its certification request (a stand-in:
        dccsim holds no private keys)."""
        self.generations += 1
        self.key_pairs[kind] = self.generations
        usage = OWN_USAGE[kind]
        return stand_in_certificate(device_id, usage, self.generations, "certification request")

    def install_certificate(self, device_id: str, certificate: bytes) -> CredentialStatus:
        """CS02d: install a certificate for one of the device's own key pairs."""
        if not is_der_sequence(certificate):
            return CredentialStatus.INVALID_CERTIFICATE
        facts = inspect(certificate)
        kind = next((k for k, usage in OWN_USAGE.items() if usage is facts.usage), None)
        if kind is None:
            return CredentialStatus.INVALID_KEY_USAGE
        if facts.entity_id is not None and facts.entity_id != device_id:
            return CredentialStatus.WRONG_DEVICE_IDENTITY
        self.own[kind] = certificate
        self.key_pairs.pop(kind, None)
        return CredentialStatus.SUCCESS

    def certificate(self, device_id: str, kind: CredentialType) -> bytes:
        """CS02e: the device's certificate of the kind (its factory one until 6.15.2)."""
        held = self.own.get(kind)
        return held if held is not None else stand_in_certificate(device_id, OWN_USAGE[kind])


def _seed_anchor(role: RemotePartyRole, party: str) -> TrustAnchor:
    usages = [CertificateUsage.DIGITAL_SIGNING, CertificateUsage.KEY_AGREEMENT]
    if role is RemotePartyRole.ROOT:
        usages = [CertificateUsage.KEY_CERT_SIGN]
    elif role is RemotePartyRole.RECOVERY or role is RemotePartyRole.TRANS_COS:
        usages = [CertificateUsage.DIGITAL_SIGNING]
    certificates = tuple(
        TrustedCertificate(usage, party, certificate_hash(stand_in_certificate(party, usage)))
        for usage in usages
    )
    top_up = 0 if role is RemotePartyRole.SUPPLIER else None
    return TrustAnchor(certificates, 0, top_up)


__all__ = [
    "OWN_USAGE",
    "CertificateFacts",
    "CertificateUsage",
    "CredentialStatus",
    "CredentialType",
    "CredentialsUpdate",
    "DeviceCredentials",
    "ExecutionOutcome",
    "HeldUpdate",
    "RemotePartyRole",
    "ReplacementCertificates",
    "ReplacementMode",
    "ReplacementOutcome",
    "TrustAnchor",
    "TrustedCertificate",
    "certificate_hash",
    "inspect",
    "is_der_sequence",
    "stand_in_certificate",
]
