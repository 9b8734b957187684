"""dccsim's own test PKI: every key and certificate derived from one secret.

Nothing is stored but the secret: the same secret gives the same keys and byte-identical
certificates (fixed dates, serials derived from the secret, RFC 6979 signatures), so a restart
finds the keys a User exported before it.

- Keys: a P-256 scalar from HKDF-SHA256(secret, a label naming the key), reduced into [1, n-1].
- Serials: 16 octets that say what the certificate is, so `by_serial` can remake any certificate
  it issued from its serial alone (DCC's validator and SMKI's retrieve look certificates up by
  serial), with an HMAC tag so that a serial nobody was given is not recognised:
  organisation `4F role usage EUI(8) tag(5)`, device `44 usage EUI(8) tag(6)`.
- Devices (a fleet may hold a million): a credential is made on first use, never at fleet load,
  and the last `cache_size` are kept (an LRU cache). Making one costs a scalar multiplication and
  an ECDSA signature (see docs/decisions.md, Keys).
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from functools import lru_cache

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from dccsim.server.keys import issue
from dccsim.server.keys.issue import Authority
from dccsim.server.keys.model import (
    ACB_EUI,
    CertificateRole,
    Credential,
    KeyUsage,
    canonical_eui,
    eui_bytes,
    eui_hex,
)

SECRET_BYTES = 32
DEFAULT_CACHE_SIZE = 4096
ROOT_NAME = "DCCSIM-ROOT"
ISSUING_NAME = "DCCSIM1"  # the issuing CA, as ZAZ1's is "Z1"

_ORDER = int("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16)  # P-256's n
_ORGANISATION = 0x4F  # "O"
_DEVICE = 0x44  # "D"
_AUTHORITY = 0x43  # "C"
_USAGE_CODES = {KeyUsage.DIGITAL_SIGNATURE: 1, KeyUsage.KEY_AGREEMENT: 2}
_USAGES = {code: usage for usage, code in _USAGE_CODES.items()}
_SERIAL_OCTETS = 16
_ROLES = {role.value: role for role in CertificateRole}


class TestPki:
    """A `CredentialSource` (see keystore.py). `organisations=False` makes device keys only (for
    use beside the DCC Boxed keystore, which has the organisations' keys but no device keys)."""

    __test__ = False  # not a pytest test class, whatever its name

    def __init__(
        self,
        secret: bytes,
        *,
        organisations: bool = True,
        cache_size: int = DEFAULT_CACHE_SIZE,
    ) -> None:
        if len(secret) < 16:
            raise ValueError("a test PKI secret has at least 16 bytes")
        self._secret = secret
        self._tag_key = self._derive(b"serial tags", 32)
        self._organisations = organisations
        root_key = self._key(b"authority/root")
        root = Authority(
            issue.root_certificate(root_key, self._authority_serial(b"root"), ROOT_NAME), root_key
        )
        issuing_key = self._key(b"authority/issuing")
        self.root = root
        self.issuing = Authority(
            issue.issuing_certificate(
                root, issuing_key, self._authority_serial(b"issuing"), ISSUING_NAME
            ),
            issuing_key,
        )
        self._count_lock = threading.Lock()
        self.device_derivations = 0  # device credentials made (not served from the cache)
        self._device = lru_cache(maxsize=cache_size)(self._make_device)

    @property
    def authorities(self) -> tuple[x509.Certificate, ...]:
        return (self.root.certificate, self.issuing.certificate)

    # -- CredentialSource -----------------------------------------------------------------------

    def device(self, eui: str, usage: KeyUsage) -> Credential:
        return self._device(canonical_eui(eui), usage)

    def organisation(self, eui: str, role: CertificateRole | None = None) -> tuple[Credential, ...]:
        if not self._organisations:
            return ()
        eui = canonical_eui(eui)
        if eui == ACB_EUI:
            role, signing = CertificateRole.ACCESS_CONTROL_BROKER, CertificateRole.DSP_XML_SIGN
        else:
            role = CertificateRole.OTHER if role is None else role
            signing = CertificateRole.XML_SIGN
        # DCC Boxed's order: a User's XmlSign credential first; the ACB's DspXmlSign last.
        made = (
            self._organisation(eui, role, KeyUsage.DIGITAL_SIGNATURE),
            self._organisation(eui, role, KeyUsage.KEY_AGREEMENT),
        )
        xml_signing = self._organisation(eui, signing, KeyUsage.DIGITAL_SIGNATURE)
        return (*made, xml_signing) if eui == ACB_EUI else (xml_signing, *made)

    def by_serial(self, serial: int) -> Credential | None:
        if serial <= 0 or serial.bit_length() > _SERIAL_OCTETS * 8:
            return None
        octets = serial.to_bytes(_SERIAL_OCTETS, "big")
        if octets[0] == _DEVICE and self._tagged(octets, 10):
            usage = _USAGES.get(octets[1])
            if usage is not None:
                return self._device(canonical_eui(octets[2:10].hex()), usage)
        elif octets[0] == _ORGANISATION and self._organisations and self._tagged(octets, 11):
            usage = _USAGES.get(octets[2])
            role = _ROLES.get(octets[1])
            if usage is not None and role is not None:
                return self._organisation(canonical_eui(octets[3:11].hex()), role, usage)
        return None

    def derived_key(self, label: bytes) -> ec.EllipticCurvePrivateKey:
        """A key of this PKI's secret for another purpose (keys/tls.py), by its label: the same
        secret and label always give the same key, and no label collides with this module's."""
        return self._key(b"other/" + label)

    # -- derivation -----------------------------------------------------------------------------

    def _derive(self, label: bytes, length: int) -> bytes:
        hkdf = HKDF(hashes.SHA256(), length=length, salt=b"dccsim test PKI v1", info=label)
        return hkdf.derive(self._secret)

    def _key(self, label: bytes) -> ec.EllipticCurvePrivateKey:
        # 48 octets reduced mod n-1: the bias is below 2^-128.
        scalar = int.from_bytes(self._derive(b"key/" + label, 48), "big") % (_ORDER - 1) + 1
        return ec.derive_private_key(scalar, ec.SECP256R1())

    def _tag(self, head: bytes, length: int) -> bytes:
        return hmac.new(self._tag_key, head, hashlib.sha256).digest()[:length]

    def _tagged(self, octets: bytes, head: int) -> bool:
        return hmac.compare_digest(octets[head:], self._tag(octets[:head], _SERIAL_OCTETS - head))

    def _authority_serial(self, label: bytes) -> int:
        head = bytes([_AUTHORITY])
        return int.from_bytes(head + self._derive(b"serial/" + label, _SERIAL_OCTETS - 1), "big")

    def _organisation(self, eui: str, role: CertificateRole, usage: KeyUsage) -> Credential:
        head = bytes([_ORGANISATION, role.value, _USAGE_CODES[usage]]) + eui_bytes(eui)
        serial = int.from_bytes(head + self._tag(head, _SERIAL_OCTETS - len(head)), "big")
        key = self._key(b"organisation/" + head)
        certificate = issue.organisation_certificate(
            self.issuing, key.public_key(), eui=eui, role=role, usage=usage, serial=serial
        )
        kind = {
            CertificateRole.XML_SIGN: "xmlsign",
            CertificateRole.DSP_XML_SIGN: "dspxmlsign",
        }.get(role, usage.smki.lower())
        return Credential(eui, role, usage, f"dccsim-{eui_hex(eui)}-{kind}", certificate, key)

    def _make_device(self, eui: str, usage: KeyUsage) -> Credential:
        with self._count_lock:
            self.device_derivations += 1
        head = bytes([_DEVICE, _USAGE_CODES[usage]]) + eui_bytes(eui)
        serial = int.from_bytes(head + self._tag(head, _SERIAL_OCTETS - len(head)), "big")
        key = self._key(b"device/" + head)
        certificate = issue.device_certificate(
            self.issuing, key.public_key(), eui=eui, usage=usage, serial=serial
        )
        name = f"device-{eui_hex(eui)}-{usage.smki.lower()}"
        return Credential(eui, None, usage, name, certificate, key)
