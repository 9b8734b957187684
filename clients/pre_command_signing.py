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

# The GBCS pre-command's and the DUIS document's code is imported where a pre-command is signed:
# the client library (and so every `dccsim` command) is imported without the DSP's encoders.

# A key object, a PEM file's path, or PEM bytes (PKCS#8, as `dccsim keys export` writes them).
KeySource = ec.EllipticCurvePrivateKey | str | Path | bytes


class MissingSigningKey(LookupError):
    """The client holds no DS key for the User whose PreCommand must be signed."""


def load_ds_key(source: KeySource) -> ec.EllipticCurvePrivateKey:
    if isinstance(source, ec.EllipticCurvePrivateKey):
        return source
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    key = load_pem_private_key(data, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        where = "the PEM given" if isinstance(source, bytes) else str(source)
        raise ValueError(f"{where}: not an EC private key (a GBCS DS key is P-256)")
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
        from dccsim.server.gbcs.pre_command import sign

        return sign(payload, self.key_for(user))


# -- the DUIS side: a CV 4 answer in, the CV 5 request out ----------------------------------------


def signed_leg_document(answer: bytes, key: ec.EllipticCurvePrivateKey, cv: int = 5) -> bytes:
    """The CV 5 (6, 7) request that returns a CV 4 answer's PreCommand signed with `key`: same
    RequestID, ServiceReference and Variant, unsigned as XML (sign it with DCC's tool, keeping
    the counter: `Sign - --preserveCounter`)."""
    from dccsim.server.duis.signed_leg import signed_leg_document as duis_signed_leg
    from dccsim.server.gbcs.pre_command import sign

    def signed(payload: bytes) -> bytes:
        if not payload.startswith(GENERAL_SIGNING):
            raise ValueError("the PreCommand is not GBCS: return it unchanged")
        return sign(payload, key)

    return duis_signed_leg(answer, signed, cv)


def main(argv: list[str] | None = None) -> int:
    """`python -m dccsim.clients.pre_command_signing KEY [CV] < cv4-answer.xml > cv5.xml`"""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if not 1 <= len(args) <= 2:
        print(main.__doc__, file=sys.stderr)
        return 2
    cv = int(args[1]) if len(args) == 2 else 5
    sys.stdout.buffer.write(signed_leg_document(sys.stdin.buffer.read(), load_ds_key(args[0]), cv))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
