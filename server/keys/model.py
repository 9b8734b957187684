"""What a key is to dccsim: an SMKI role, a key usage, and a credential (certificate + key).

EUIs here are written as DUIS writes them (`90-B3-D5-1F-30-01-00-00`); `canonical_eui` accepts
that form in any case, or 16 hex digits without dashes (the form the DCC Boxed keystore and the
certificates' file names use).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum, IntEnum

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

# The DCC's own EUI: the Access Control Broker, whose DspXmlSign key signs the DSP's responses.
ACB_EUI = "90-B3-D5-1F-30-00-00-02"

# id-on-hardwareModuleName (RFC 4108): the otherName a device certificate names its device with.
HARDWARE_MODULE_NAME = x509.ObjectIdentifier("1.3.6.1.5.5.7.8.4")

_EUI = re.compile(r"[0-9A-Fa-f]{2}(?:-?[0-9A-Fa-f]{2}){7}")


class CertificateRole(IntEnum):
    """SMKI remote-party roles, as the subject OU of an organisation certificate holds them (in
    hex) and as DCC Boxed's SMKI service and keystore number them."""

    ROOT = 0
    RECOVERY = 1
    SUPPLIER = 2
    NETWORK_OPERATOR = 3
    ACCESS_CONTROL_BROKER = 4
    TRANSITIONAL_COS = 5
    WAN_PROVIDER = 6
    ISSUING_AUTHORITY = 7
    LOAD_CONTROLLER = 8
    OTHER = 127
    XML_SIGN = 135  # a User's DUIS XML signing key
    DSP_XML_SIGN = 137  # the DSP's key that signs DUIS responses

    @property
    def ou(self) -> str:
        """The subject OU: the role in two upper-case hex digits (`87` for XmlSign)."""
        return f"{self.value:02X}"


class KeyUsage(Enum):
    """The two key usages of GBCS / SMKI; the values are the DCC Boxed keystore's words."""

    DIGITAL_SIGNATURE = "digitalSignature"
    KEY_AGREEMENT = "keyAgreement"

    @property
    def smki(self) -> str:
        """The SMKI interface's CertificateUsage: DS or KA."""
        return "DS" if self is KeyUsage.DIGITAL_SIGNATURE else "KA"

    @classmethod
    def from_smki(cls, text: str) -> KeyUsage:
        for usage in cls:
            if usage.smki == text:
                return usage
        raise ValueError(f"{text!r} is not a CertificateUsage (DS or KA)")


@dataclass(frozen=True, slots=True)
class Credential:
    """One certificate and, where dccsim holds it, its private key.

    `role` is None for a device certificate (SMKI device certificates carry no role). The
    `prepayment` flag marks a supplier's second KA key (DCC Boxed's `…PP-ka`), used for top-ups,
    which no lookup returns unless asked."""

    eui: str
    role: CertificateRole | None
    usage: KeyUsage
    name: str
    certificate: x509.Certificate
    private_key: ec.EllipticCurvePrivateKey | None = None
    prepayment: bool = False

    @property
    def serial(self) -> int:
        return self.certificate.serial_number

    @property
    def is_device(self) -> bool:
        return self.role is None


def canonical_eui(text: str) -> str:
    """`90b3d51f30010000`, `90-b3-…` or `90-B3-…` -> `90-B3-D5-1F-30-01-00-00`; ValueError for
    anything that is not eight octets."""
    if not isinstance(text, str) or _EUI.fullmatch(text.strip()) is None:
        raise ValueError(f"{text!r} is not an EUI-64")
    digits = text.strip().replace("-", "").upper()
    return "-".join(digits[i : i + 2] for i in range(0, 16, 2))


def eui_hex(eui: str) -> str:
    """The file-name form: 16 lower-case hex digits, no dashes."""
    return canonical_eui(eui).replace("-", "").lower()


def eui_bytes(eui: str) -> bytes:
    return bytes.fromhex(eui_hex(eui))


def subject_eui(certificate: x509.Certificate) -> str | None:
    """The EUI an organisation certificate names: its subject x500UniqueIdentifier (a 64-bit BIT
    STRING, which cryptography hands back as its DER content: a 0 unused-bits octet first)."""
    for attribute in certificate.subject.get_attributes_for_oid(NameOID.X500_UNIQUE_IDENTIFIER):
        value = attribute.value
        if isinstance(value, bytes):
            octets = value[1:] if len(value) == 9 and value[0] == 0 else value
            if len(octets) == 8:
                return canonical_eui(octets.hex())
    return None


def subject_role(certificate: x509.Certificate) -> CertificateRole | None:
    """The SMKI role an organisation certificate's subject OU holds (hex), if it is one."""
    for attribute in certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME):
        try:
            return CertificateRole(int(str(attribute.value), 16))
        except ValueError:
            continue
    return None


def device_eui(certificate: x509.Certificate) -> str | None:
    """The EUI a device certificate names: the hwSerialNum of its subjectAltName otherName
    id-on-hardwareModuleName, which is SEQUENCE { hwType OID, hwSerialNum OCTET STRING (8) }:
    the EUI is the last eight octets of its DER."""
    try:
        names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return None
    for name in names.get_values_for_type(x509.OtherName):
        if name.type_id == HARDWARE_MODULE_NAME and name.value[-10:-8] == b"\x04\x08":
            return canonical_eui(name.value[-8:].hex())
    return None
