"""The keystore: every credential dccsim knows, and the lookups its parts need.

Two kinds of credential live here. Organisation credentials (the Users', the ACB's, the DSP's
DspXmlSign) are few and held in full. Device credentials are many (a fleet may hold a million
devices) and are never held: a `CredentialSource` (the test PKI) derives one when asked. The
source may also derive an organisation's credentials when it is registered (dccsim's own test
PKI does); the DCC Boxed keystore holds them all up front. Lookups never derive organisation keys
for an EUI nobody registered, so a stream of requests naming made-up EUIs cannot grow the store
(SEC-04); `by_serial` registers an organisation whose serial the source recognises as its own.

Validity dates are never checked: every DCC Boxed organisation certificate has expired, and DCC
Boxed's own tools use them anyway (notes §2.4).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from typing import Protocol

from cryptography import x509

from dccsim.server.keys.model import (
    ACB_EUI,
    CertificateRole,
    Credential,
    KeyUsage,
    canonical_eui,
)

# Organisation credentials a lookup for "the User's DS / KA key" never returns.
_SIGNING_ONLY = frozenset({CertificateRole.XML_SIGN, CertificateRole.DSP_XML_SIGN})


class CredentialSource(Protocol):
    """Derives credentials on demand (dccsim's test PKI)."""

    @property
    def authorities(self) -> tuple[x509.Certificate, ...]:
        """The CA certificates that issue what this source makes, root first."""
        ...

    def device(self, eui: str, usage: KeyUsage) -> Credential: ...

    def organisation(self, eui: str, role: CertificateRole | None) -> tuple[Credential, ...]:
        """The credentials of an organisation, its DS and KA certificates' subject OU `role`
        (None: the source's choice); empty if this source makes device keys only."""
        ...

    def by_serial(self, serial: int) -> Credential | None:
        """A credential this source issued, recognised by its serial alone."""
        ...


class KeyStore:
    """Thread-safe: the gRPC and HTTP servers look keys up concurrently."""

    def __init__(
        self,
        credentials: Iterable[Credential] = (),
        *,
        source: CredentialSource | None = None,
        dsp_signing_serial: int | None = None,
    ) -> None:
        self._lock = threading.RLock()
        self._by_serial: dict[int, Credential] = {}
        # Per EUI, in the order added: "the first" XmlSign / DS credential is DCC's rule.
        self._by_eui: dict[str, list[Credential]] = {}
        self._source = source
        self._derived: set[str] = set()  # organisations the source has been asked for
        self._dsp_signing_serial = dsp_signing_serial
        for credential in credentials:
            self.add(credential)

    @property
    def source(self) -> CredentialSource | None:
        return self._source

    @property
    def authorities(self) -> tuple[x509.Certificate, ...]:
        return () if self._source is None else self._source.authorities

    def add(self, credential: Credential) -> None:
        """Add an organisation credential (device credentials come from the source)."""
        with self._lock:
            self._by_serial.setdefault(credential.serial, credential)
            self._by_eui.setdefault(credential.eui, []).append(credential)

    def register(self, eui: str, role: CertificateRole | None = None) -> tuple[Credential, ...]:
        """Make sure an organisation's credentials are here (deriving them, with this SMKI role,
        if the source makes organisation keys and has not made them yet); return them all."""
        eui = canonical_eui(eui)
        with self._lock:
            if self._source is not None and eui not in self._derived:
                self._derived.add(eui)
                held = {c.serial for c in self._by_eui.get(eui, ())}
                for credential in self._source.organisation(eui, role):
                    if credential.serial not in held:
                        self.add(credential)
            return tuple(self._by_eui.get(eui, ()))

    # -- lookups ------------------------------------------------------------------------------

    def _held(self, eui: str) -> tuple[Credential, ...]:
        try:
            canonical = canonical_eui(eui)
        except ValueError:
            return ()  # a lookup of something that is not an EUI finds nothing
        with self._lock:
            return tuple(self._by_eui.get(canonical, ()))

    def organisations(self) -> tuple[str, ...]:
        """The EUIs of the organisations whose credentials are held (so far, for derived ones)."""
        with self._lock:
            return tuple(self._by_eui)

    def by_serial(self, serial: int) -> Credential | None:
        """Any credential, organisation or device, by certificate serial alone (as DCC's XML
        signature validator and DCC Boxed's SMKI retrieve do; notes §2.2)."""
        with self._lock:
            found = self._by_serial.get(serial)
        if found is not None or self._source is None:
            return found
        derived = self._source.by_serial(serial)
        if derived is not None and not derived.is_device:
            role = None if derived.role in _SIGNING_ONLY else derived.role
            self.register(derived.eui, role)
        return derived

    def by_issuer_serial(self, issuer: str, serial: int) -> Credential | None:
        """By X509IssuerSerial: the serial, and an issuer name that matches the certificate's
        whatever the order of its attributes (Java writes RFC 2253 `CN=Z1,OU=07`) or the spaces
        after its commas (DUIS templates hold `CN=U1, OU=07`)."""
        found = self.by_serial(serial)
        if found is None or _name_key(issuer) != _name_key(found.certificate.issuer):
            return None
        return found

    def xml_signing(self, eui: str) -> Credential | None:
        """The key a User signs DUIS requests with: its first XmlSign (135) credential; where it
        has none, its first DS one (DCC's signing tool does this for supplier 2; notes §2.1)."""
        for credential in self._held(eui):
            if credential.role is CertificateRole.XML_SIGN:
                return credential
        return self.organisation(eui, KeyUsage.DIGITAL_SIGNATURE)

    def dsp_signing(self) -> Credential:
        """The DSP's DspXmlSign credential for the ACB: the one chosen by serial, else the most
        recently issued (DCC Boxed 25.11's over 1.4.1's; notes §2.2). KeyError if there is none."""
        candidates = [
            c
            for c in self._held(ACB_EUI)
            if c.role is CertificateRole.DSP_XML_SIGN and c.private_key is not None
        ]
        if self._dsp_signing_serial is not None:
            for credential in candidates:
                if credential.serial == self._dsp_signing_serial:
                    return credential
            raise KeyError(f"no DspXmlSign credential with serial {self._dsp_signing_serial:X}")
        if not candidates:
            raise KeyError("the keystore holds no DspXmlSign credential for the ACB")
        return max(candidates, key=lambda c: c.certificate.not_valid_before_utc)

    def organisation(self, eui: str, usage: KeyUsage) -> Credential | None:
        """A User's or the ACB's DS or KA credential: the first of that usage that is neither an
        XML signing key nor a prepayment KA key."""
        for credential in self._held(eui):
            if (
                credential.usage is usage
                and credential.role not in _SIGNING_ONLY
                and not credential.prepayment
            ):
                return credential
        return None

    def prepayment(self, eui: str) -> Credential | None:
        """A supplier's prepayment KA credential (DCC Boxed's `…PP-ka`), if it has one."""
        for credential in self._held(eui):
            if credential.prepayment:
                return credential
        return None

    def device(self, eui: str, usage: KeyUsage) -> Credential | None:
        """A simulated device's DS or KA credential, derived on first use. Whether the EUI is a
        device of the fleet is the caller's question: the keystore does not know the fleet."""
        if self._source is None:
            return None
        return self._source.device(canonical_eui(eui), usage)

    def search(
        self,
        eui: str,
        *,
        usage: KeyUsage | None = None,
        role: CertificateRole | None = None,
    ) -> tuple[Credential, ...]:
        """An organisation's certificates, as SMKI's certificate search by subject name finds
        them; only organisations whose credentials are held (registered) match."""
        return tuple(
            c
            for c in self._held(eui)
            if (usage is None or c.usage is usage) and (role is None or c.role is role)
        )


def _name_key(name: str | x509.Name) -> frozenset[tuple[str, str]]:
    """A distinguished name as a set of (attribute, value), for comparing names written in
    different orders and spacings. Escaped commas are rare in SMKI names and kept whole."""
    text = name.rfc4514_string() if isinstance(name, x509.Name) else name
    pairs = set()
    for part in re.split(r"(?<!\\),", text):
        attribute, _, value = part.strip().partition("=")
        pairs.add((attribute.strip().upper(), value.strip()))
    return frozenset(pairs)
