"""Signing a PreCommand as a DCC Boxed user's tools do (GBCS-03): the GBCS grouping header
signed with the User's digital-signature key, ECDSA P-256/SHA-256, raw r ‖ s.

The key is the User's GBCS DS private key: the `<eui>-ds.key` file `dccsim keys export` writes
(PKCS#8 PEM), or a key object."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from dccsim.server.gbcs.frame import GENERAL_SIGNING
from dccsim.server.gbcs.pre_command import sign

KeySource = ec.EllipticCurvePrivateKey | str | Path


class MissingSigningKey(LookupError):
    """The client holds no DS key for the User whose PreCommand must be signed."""


def load_ds_key(source: KeySource) -> ec.EllipticCurvePrivateKey:
    if isinstance(source, ec.EllipticCurvePrivateKey):
        return source
    key = load_pem_private_key(Path(source).read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError(f"{source}: not an EC private key (a GBCS DS key is P-256)")
    return key


def _eui_hex(eui: str) -> str:
    return eui.replace("-", "").lower()


class PreCommandSigner:
    """Signs each User's PreCommands with that User's DS key."""

    def __init__(
        self,
        keys: Mapping[str, KeySource] | None = None,
        *,
        directory: str | Path | None = None,
    ) -> None:
        """`keys`: User EUI -> its DS key (object or PEM file); `directory`: where `dccsim keys
        export` wrote `<eui>-ds.key` files, for Users not in `keys`."""
        self._keys = {_eui_hex(eui): load_ds_key(key) for eui, key in (keys or {}).items()}
        self._directory = None if directory is None else Path(directory)

    def key_for(self, user: str) -> ec.EllipticCurvePrivateKey:
        stem = _eui_hex(user)
        key = self._keys.get(stem)
        if key is None and self._directory is not None:
            path = self._directory / f"{stem}-ds.key"
            if path.exists():
                key = self._keys[stem] = load_ds_key(path)
        if key is None:
            raise MissingSigningKey(f"no DS key to sign {user}'s PreCommand")
        return key

    def sign(self, user: str, payload: bytes) -> bytes:
        """The signed pre-command; a payload that is not GBCS (dccsim's opaque token, where it
        has no GBCS form) goes back unchanged, as it came."""
        if not payload.startswith(GENERAL_SIGNING):
            return payload
        return sign(payload, self.key_for(user))
