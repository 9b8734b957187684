"""The GBCS layer's keys from dccsim's keystore: devices' DS and KA private keys (the simulated
devices sign and MAC with them), and organisations' (Users', the ACB's) public keys."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric import ec

from dccsim.server.keys.keystore import KeyStore
from dccsim.server.keys.model import Credential, KeyUsage


class MissingKey(LookupError):
    """The keystore holds no such key."""


class KeyStoreKeys:
    """`GbcsKeys` and the pre-command check's key lookups over a KeyStore."""

    def __init__(self, store: KeyStore) -> None:
        self._store = store

    def device_ds(self, eui: str) -> ec.EllipticCurvePrivateKey:
        return _private(self._store.device(eui, KeyUsage.DIGITAL_SIGNATURE), eui, "DS")

    def device_ka(self, eui: str) -> ec.EllipticCurvePrivateKey:
        return _private(self._store.device(eui, KeyUsage.KEY_AGREEMENT), eui, "KA")

    def organisation_ka(self, eui: str) -> ec.EllipticCurvePublicKey:
        return _public(self._store.organisation(eui, KeyUsage.KEY_AGREEMENT), eui, "KA")

    def organisation_ds(self, eui: str) -> ec.EllipticCurvePublicKey | None:
        """A User's DS public key, or None when the keystore has no certificate for it."""
        credential = self._store.organisation(eui, KeyUsage.DIGITAL_SIGNATURE)
        if credential is None:
            return None
        return _public(credential, eui, "DS")


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
