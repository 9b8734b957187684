"""Certificate templates for dccsim's test PKI, shaped like the ZAZ1 test PKI's (notes §2.4).

- Organisation certificates (Z1-supplier-ds and friends): subject OU = SMKI role in hex
  (UTF8String) and x500UniqueIdentifier = the EUI's eight octets (BIT STRING); critical keyUsage
  (digitalSignature or keyAgreement), critical certificatePolicies, an 8-octet subject key id and
  the issuer's as authority key id; ECDSA P-256 with SHA-256.
- Device certificates (the RTDS devices'): an empty subject, the EUI in a critical subjectAltName
  otherName id-on-hardwareModuleName, critical keyUsage and certificatePolicies, key ids, and no
  well-defined expiry (99991231235959Z, RFC 5280 §4.1.2.5).
- A self-signed root (OU=00) issues one issuing CA (OU=07), which issues all the above.

Every signature is deterministic ECDSA (RFC 6979), and every date and serial is given, so the
same keys give byte-identical certificates.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.name import _ASN1Type
from cryptography.x509.oid import NameOID

from dccsim.server.keys.model import (
    HARDWARE_MODULE_NAME,
    CertificateRole,
    KeyUsage,
    eui_bytes,
)

# The ZAZ1 certificate policy (every Z1 organisation certificate, and DCC Boxed's device
# certificates, carry it).
POLICY = x509.ObjectIdentifier("1.2.826.0.1.8641679.1.2.1.4")
# hwType of the RTDS device certificates' hardwareModuleName: OID 1.2.826.0.1.8641679.1.2.2.1.
DEVICE_HW_TYPE_DER = bytes.fromhex("060d2a863a0001848fb90f01020201")

# Fixed dates: certificates must not depend on when they were made.
NOT_BEFORE = datetime(2020, 1, 1, tzinfo=UTC)
ORGANISATION_NOT_AFTER = datetime(2120, 1, 1, tzinfo=UTC)
NO_EXPIRY = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Authority:
    """A CA: its certificate and key."""

    certificate: x509.Certificate
    private_key: ec.EllipticCurvePrivateKey

    @property
    def key_id(self) -> bytes:
        return self.certificate.extensions.get_extension_for_class(
            x509.SubjectKeyIdentifier
        ).value.digest


def key_id(public_key: ec.EllipticCurvePublicKey) -> bytes:
    """An 8-octet key identifier (the ZAZ1 certificates' length), from the public point."""
    point = public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return hashlib.sha256(point).digest()[:8]


def organisation_name(eui: str, role: CertificateRole) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, role.ou, _ASN1Type.UTF8String),
            # cryptography takes a BIT STRING's content: the unused-bits octet (0), then the bits.
            x509.NameAttribute(
                NameOID.X500_UNIQUE_IDENTIFIER, b"\x00" + eui_bytes(eui), _ASN1Type.BitString
            ),
        ]
    )


def authority_name(role: CertificateRole, common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, role.ou, _ASN1Type.UTF8String),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name, _ASN1Type.UTF8String),
        ]
    )


def _key_usage(usage: KeyUsage | None) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=usage is KeyUsage.DIGITAL_SIGNATURE,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=usage is KeyUsage.KEY_AGREEMENT,
        key_cert_sign=usage is None,
        crl_sign=usage is None,
        encipher_only=False,
        decipher_only=False,
    )


def _base(
    subject: x509.Name,
    public_key: ec.EllipticCurvePublicKey,
    serial: int,
    issuer: Authority | None,
    issuer_name: x509.Name,
    not_after: datetime,
    usage: KeyUsage | None,
) -> x509.CertificateBuilder:
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(public_key)
        .serial_number(serial)
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(not_after)
        .add_extension(_key_usage(usage), critical=True)
        .add_extension(
            x509.CertificatePolicies([x509.PolicyInformation(POLICY, None)]), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier(key_id(public_key)), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier(issuer.key_id, None, None), critical=False
        )
    return builder


def _sign(builder: x509.CertificateBuilder, key: ec.EllipticCurvePrivateKey) -> x509.Certificate:
    return builder.sign(key, hashes.SHA256(), ecdsa_deterministic=True)


def root_certificate(
    key: ec.EllipticCurvePrivateKey, serial: int, common_name: str
) -> x509.Certificate:
    name = authority_name(CertificateRole.ROOT, common_name)
    builder = _base(name, key.public_key(), serial, None, name, ORGANISATION_NOT_AFTER, None)
    builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=1), critical=True)
    return _sign(builder, key)


def issuing_certificate(
    root: Authority, key: ec.EllipticCurvePrivateKey, serial: int, common_name: str
) -> x509.Certificate:
    name = authority_name(CertificateRole.ISSUING_AUTHORITY, common_name)
    builder = _base(
        name,
        key.public_key(),
        serial,
        root,
        root.certificate.subject,
        ORGANISATION_NOT_AFTER,
        None,
    )
    builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
    return _sign(builder, root.private_key)


def organisation_certificate(
    issuer: Authority,
    public_key: ec.EllipticCurvePublicKey,
    *,
    eui: str,
    role: CertificateRole,
    usage: KeyUsage,
    serial: int,
) -> x509.Certificate:
    builder = _base(
        organisation_name(eui, role),
        public_key,
        serial,
        issuer,
        issuer.certificate.subject,
        ORGANISATION_NOT_AFTER,
        usage,
    )
    return _sign(builder, issuer.private_key)


def device_certificate(
    issuer: Authority,
    public_key: ec.EllipticCurvePublicKey,
    *,
    eui: str,
    usage: KeyUsage,
    serial: int,
) -> x509.Certificate:
    # HardwareModuleName ::= SEQUENCE { hwType OBJECT IDENTIFIER, hwSerialNum OCTET STRING }:
    # a fixed-shape DER value (cryptography has no general ASN.1 encoder to build it with).
    content = DEVICE_HW_TYPE_DER + b"\x04\x08" + eui_bytes(eui)
    hardware_module_name = bytes([0x30, len(content)]) + content
    builder = _base(
        x509.Name([]),
        public_key,
        serial,
        issuer,
        issuer.certificate.subject,
        NO_EXPIRY,
        usage,
    ).add_extension(
        x509.SubjectAlternativeName([x509.OtherName(HARDWARE_MODULE_NAME, hardware_module_name)]),
        critical=True,
    )
    return _sign(builder, issuer.private_key)
