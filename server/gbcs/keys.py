"""The GBCS layer's keys from dccsim's keystore: devices' DS and KA private keys (the simulated
devices sign and MAC with them), and organisations' (Users', the ACB's) public keys."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric import ec

from dccsim.server.keys.keystore import KeyStore
from dccsim.server.keys.model import Credential, KeyUsage


class MissingKey(LookupError):
    """The keystore holds no such key."""


class KeyStoreKeys:
    """`GbcsKeys` and the pre-command check's key lookups over a KeyStore. Devices' DS keys are
    kept (a bounded few): a keystore lookup costs as much as the rest of a signed response.
    So are Users' DS public keys, once found: the keystore only ever appends credentials, so the
    first DS certificate of a User, once it has one, stays the one (a lookup and the key's parse
    cost ~6 us of each signed pre-command's check)."""

    def __init__(self, store: KeyStore, held: int = 65_536) -> None:
        self._store = store
        self._held = held
        self._device_ds: dict[str, ec.EllipticCurvePrivateKey] = {}
        self._organisation_ds: dict[str, ec.EllipticCurvePublicKey] = {}

    def device_ds(self, eui: str) -> ec.EllipticCurvePrivateKey:
        key = self._device_ds.get(eui)
        if key is None:
            key = _private(self._store.device(eui, KeyUsage.DIGITAL_SIGNATURE), eui, "DS")
            if len(self._device_ds) >= self._held:
                self._device_ds.clear()  # rare: a fleet larger than what is held
            self._device_ds[eui] = key
        return key

    def device_ka(self, eui: str) -> ec.EllipticCurvePrivateKey:
        return _private(self._store.device(eui, KeyUsage.KEY_AGREEMENT), eui, "KA")

    def organisation_ka(self, eui: str) -> ec.EllipticCurvePublicKey:
        return _public(self._store.organisation(eui, KeyUsage.KEY_AGREEMENT), eui, "KA")

    def organisation_ds(self, eui: str) -> ec.EllipticCurvePublicKey | None:
        """A User's DS public key, or None when the keystore has no certificate for it (not
        kept: one may be registered later)."""
        key = self._organisation_ds.get(eui)
        if key is None:
            credential = self._store.organisation(eui, KeyUsage.DIGITAL_SIGNATURE)
            if credential is None:
                return None
            key = _public(credential, eui, "DS")
            if len(self._organisation_ds) >= self._held:
                self._organisation_ds.clear()  # rare: more Users than what is held
            self._organisation_ds[eui] = key
        return key


def _private(credential: Credential | None, eui: str, usage: str) -> ec.EllipticCurvePrivateKey:
    if credential is None or credential.private_key is None:
        raise MissingKey(f"no {usage} private key for {eui}")
    return credential.private_key


def _public(credential: Credential | None, eui: str, usage: str) -> ec.EllipticCurvePublicKey:
    if credential is None:
        raise MissingKey(f"no {usage} certificate for {eui}")
    key = credential.certificate.public_key()
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise MissingKey(f"the {usage} certificate of {eui} holds no EC key")
    return key
