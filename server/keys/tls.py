"""TLS credentials from dccsim's test PKI (SEC-01): a TLS CA, a server certificate, a client
certificate per User and one for the operator.

A User's client certificate names it as DCC's SMKI organisation certificates do: the EUI-64's
eight octets in the subject's x500UniqueIdentifier (and, for people reading it, the EUI as the
common name); that is what binds a TLS client to a User. The TLS CA is apart from the SMKI CAs,
as DCC keeps its TLS PKI apart from SMKI: a TLS client certificate signs nothing in DUIS or GBCS,
and an SMKI certificate opens no connection.

Everything derives from the test PKI's secret (fixed dates, serials from the labels,
deterministic ECDSA): a restart gives byte-identical certificates, so exported files keep working.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.name import _ASN1Type
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from dccsim.server.keys.issue import NOT_BEFORE, ORGANISATION_NOT_AFTER, key_id
from dccsim.server.keys.model import canonical_eui, eui_bytes, eui_hex
from dccsim.server.keys.test_pki import TestPki

CA_NAME = "DCCSIM-TLS-CA"
OPERATOR_NAME = "dccsim operator"
# Where the server's certificate is valid by default: this machine.
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
CA_FILE = "dccsim-tls-ca.pem"
OPERATOR_STEM = "dccsim-operator-tls"


@dataclass(frozen=True, slots=True)
class TlsPair:
    """A TLS certificate and its private key."""

    certificate: x509.Certificate
    private_key: ec.EllipticCurvePrivateKey

    @property
    def certificate_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def private_key_pem(self) -> bytes:
        return self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


class TestTlsPki:
    """The TLS side of a `TestPki`."""

    __test__ = False  # not a pytest test class, whatever its name

    def __init__(self, pki: TestPki) -> None:
        self._pki = pki
        key = pki.derived_key(b"tls/ca")
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, CA_NAME)])
        builder = (
            _builder(name, name, key.public_key(), _serial(b"tls/ca"))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_usage(cert_sign=True), critical=True)
        )
        self.ca = TlsPair(_sign(builder, key), key)

    @property
    def ca_pem(self) -> bytes:
        return self.ca.certificate_pem

    def server(self, names: Iterable[str] = LOOPBACK_NAMES) -> TlsPair:
        """The server's certificate, valid for these host names and IP addresses."""
        names = tuple(dict.fromkeys(names))
        if not names:
            raise ValueError("a server certificate names at least one host")
        label = b"tls/server/" + "\n".join(names).encode()
        key = self._pki.derived_key(b"tls/server")
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
        builder = (
            self._issued(subject, key, label)
            .add_extension(x509.SubjectAlternativeName([_general_name(n) for n in names]), False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
        )
        return TlsPair(_sign(builder, self.ca.private_key), key)

    def user(self, eui: str) -> TlsPair:
        """A User's client certificate: its EUI in the subject, as SMKI carries it."""
        eui = canonical_eui(eui)
        key = self._pki.derived_key(b"tls/user/" + eui_bytes(eui))
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, eui),
                x509.NameAttribute(
                    NameOID.X500_UNIQUE_IDENTIFIER, b"\x00" + eui_bytes(eui), _ASN1Type.BitString
                ),
            ]
        )
        return self._client(subject, key, b"tls/user/" + eui_bytes(eui))

    def operator(self) -> TlsPair:
        """The operator's client certificate: names no User (SEC-02's credential)."""
        key = self._pki.derived_key(b"tls/operator")
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, OPERATOR_NAME)])
        return self._client(subject, key, b"tls/operator")

    def user_stem(self, eui: str) -> str:
        return f"{eui_hex(eui)}-tls"

    def _client(self, subject: x509.Name, key: ec.EllipticCurvePrivateKey, label: bytes) -> TlsPair:
        builder = self._issued(subject, key, label).add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False
        )
        return TlsPair(_sign(builder, self.ca.private_key), key)

    def _issued(
        self, subject: x509.Name, key: ec.EllipticCurvePrivateKey, label: bytes
    ) -> x509.CertificateBuilder:
        return (
            _builder(subject, self.ca.certificate.subject, key.public_key(), _serial(label))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_usage(cert_sign=False), critical=True)
            .add_extension(
                x509.AuthorityKeyIdentifier(key_id(self.ca.private_key.public_key()), None, None),
                critical=False,
            )
        )


def _builder(
    subject: x509.Name, issuer: x509.Name, public_key: ec.EllipticCurvePublicKey, serial: int
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(serial)
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(ORGANISATION_NOT_AFTER)
        .add_extension(x509.SubjectKeyIdentifier(key_id(public_key)), critical=False)
    )


def _usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _serial(label: bytes) -> int:
    # 16 octets, top bit clear (a positive INTEGER), never 0.
    return (
        int.from_bytes(hashlib.sha256(b"dccsim tls serial/" + label).digest()[:16], "big") >> 1 | 1
    )


def _general_name(name: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        return x509.DNSName(name)


def _sign(builder: x509.CertificateBuilder, key: ec.EllipticCurvePrivateKey) -> x509.Certificate:
    return builder.sign(key, hashes.SHA256(), ecdsa_deterministic=True)
