"""The cryptography of GBCS messages (GBCS §4; notes §3.3), with `cryptography`.

- MAC (the General-Ciphering wrapper): AES-128-GCM over an empty plaintext, 12-byte tag,
  IV = originator system title ‖ 00 00 00 00, AAD = `11 00 00 00 00 00` ‖ the General-Signing
  APDU. Key = the first 16 octets of SHA-256(00000001 ‖ Z ‖ OtherInfo) (the NIST SP 800-56A
  single-step KDF), Z = the static-static ECDH (P-256) secret of the originator's and recipient's
  KA keys, OtherInfo = `60 85 74 06 08 03 00` ‖ originator title ‖ `09` ‖ CRA flag byte ‖
  originator counter ‖ recipient title.
- Signatures: ECDSA P-256 / SHA-256 over the grouping header from the byte after `DF` to the
  end of the content, as raw r ‖ s (64 octets).

Z is what is expensive (an ECDH per pair of keys): `MacContexts` keeps it per pair, hashed into
the KDF as far as it stays the same. The KDF's OtherInfo holds the counter, so the key is made
afresh for every message.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAC_LENGTH = 12
SIGNATURE_LENGTH = 64
# The security header of an authenticated-only (MAC, no encryption) General-Ciphering APDU.
SECURITY_HEADER = b"\x11\x00\x00\x00\x00"
_KDF_ALGORITHM_ID = b"\x60\x85\x74\x06\x08\x03\x00"
_ECDSA = ec.ECDSA(hashes.SHA256())


def mac_key(z: bytes, originator: bytes, cra: int, counter: int, recipient: bytes) -> bytes:
    """The AES-128 key that MACs one message (GBCS's KDF, CRA flag byte 1-3)."""
    return MacContext(z, originator).key(cra, counter, recipient)


def mac(key: bytes, originator: bytes, apdu: bytes) -> bytes:
    """The 12-byte GCM tag over the General-Signing APDU (`apdu`, from its DF tag)."""
    iv = originator + b"\x00\x00\x00\x00"
    # AESGCM.encrypt of nothing returns the 16-byte tag; GBCS keeps its first 12 octets, which
    # is what GCM with a 96-bit tag gives.
    return AESGCM(key).encrypt(iv, b"", _AAD_PREFIX + apdu)[:MAC_LENGTH]


_AAD_PREFIX = SECURITY_HEADER + b"\x00"


class MacContext:
    """What stays the same for every message between one originator and one recipient: the
    KDF hashed as far as Z, the algorithm ID and the originator's title (a SHA-256 state to copy),
    and the GCM IV. The counter, CRA flag and recipient title are hashed per message."""

    __slots__ = ("_iv", "_prefix")

    def __init__(self, z: bytes, originator: bytes) -> None:
        self._prefix = hashlib.sha256(
            b"\x00\x00\x00\x01" + z + _KDF_ALGORITHM_ID + originator + b"\x09"
        )
        self._iv = originator + b"\x00\x00\x00\x00"

    def key(self, cra: int, counter: int, recipient: bytes) -> bytes:
        digest = self._prefix.copy()
        digest.update(bytes((cra,)) + counter.to_bytes(8, "big") + recipient)
        return digest.digest()[:16]

    def tag(self, cra: int, counter: int, recipient: bytes, apdu: bytes) -> bytes:
        """The MAC of one General-Signing APDU."""
        key = self.key(cra, counter, recipient)
        return AESGCM(key).encrypt(self._iv, b"", _AAD_PREFIX + apdu)[:MAC_LENGTH]


def shared_secret(private: ec.EllipticCurvePrivateKey, public: ec.EllipticCurvePublicKey) -> bytes:
    """Z: the x-coordinate of the static-static ECDH point."""
    return private.exchange(ec.ECDH(), public)


class MacContexts:
    """A MacContext per (originator, recipient) pair, made once: its ECDH is what costs (about
    100 us against a few for the rest of a MAC). Bounded, so a fleet of a million devices does not
    keep a million (past the bound it starts afresh: simpler and faster on the hot path than an
    LRU, and a miss costs only one ECDH). Thread-safe: a dict read or write is atomic, and two
    threads making the same context make equal ones."""

    def __init__(self, limit: int = 100_000) -> None:
        self._limit = limit
        self._held: dict[tuple[str, str], MacContext] = {}

    def get(self, key: tuple[str, str], make: Callable[[], MacContext]) -> MacContext:
        """The context for `key`, made by `make` (which looks the keys up: that too costs) on a
        miss."""
        context = self._held.get(key)
        if context is None:
            context = make()
            if len(self._held) >= self._limit:
                self._held.clear()
            self._held[key] = context
        return context


def sign(private: ec.EllipticCurvePrivateKey, data: bytes) -> bytes:
    """ECDSA P-256/SHA-256 as raw r ‖ s (32 + 32 octets)."""
    r, s = decode_dss_signature(private.sign(data, _ECDSA))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def verify(public: ec.EllipticCurvePublicKey, data: bytes, signature: bytes) -> bool:
    if len(signature) != SIGNATURE_LENGTH:
        return False
    r = int.from_bytes(signature[:32], "big")
    s = int.from_bytes(signature[32:], "big")
    try:
        public.verify(encode_dss_signature(r, s), data, _ECDSA)
    except InvalidSignature:
        return False
    return True
