"""The keystore `dccsim serve` uses, and where its test PKI is kept.

dccsim keeps its test PKI with its state: `<state file>.keys/` beside the state file holds
`pki-secret` (32 random bytes in hex, made at first start, readable by the owner only), from which
every key is derived, and a copy of the Users' and the ACB's files (export.py), rewritten at each
start so a User's tools can be pointed at the directory. `--in-memory` (no state file) makes an
ephemeral secret. `--fresh` deletes the state file but not the keys: the same fleet keeps its keys
(delete the directory for new ones).
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Iterable, Mapping
from pathlib import Path

from dccsim.server.keys.dccboxed import load_dccboxed_keystore
from dccsim.server.keys.export import export_keys
from dccsim.server.keys.keystore import KeyStore
from dccsim.server.keys.model import ACB_EUI, CertificateRole
from dccsim.server.keys.test_pki import SECRET_BYTES, TestPki

log = logging.getLogger("dccsim.keys")

SECRET_FILE = "pki-secret"


class KeysDirectoryError(ValueError):
    """The keys directory holds something that is not a test PKI secret."""


def keys_directory(state_path: Path) -> Path:
    return state_path.with_name(state_path.name + ".keys")


def load_or_create_secret(directory: Path) -> bytes:
    """The secret in `directory`, made (and the directory too) if there is none yet. A damaged
    secret is refused, never silently replaced: that would change every key."""
    path = directory / SECRET_FILE
    directory.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        text = path.read_text(encoding="ascii", errors="replace").strip()
        try:
            secret = bytes.fromhex(text)
        except ValueError:
            secret = b""
        if len(secret) != SECRET_BYTES:
            raise KeysDirectoryError(
                f"{path} is not a test PKI secret ({SECRET_BYTES * 2} hex digits); delete it "
                "(and so every key derived from it) to make a new one"
            ) from None
        return secret
    secret = secrets.token_bytes(SECRET_BYTES)
    with os.fdopen(descriptor, "w", encoding="ascii") as stream:
        stream.write(secret.hex() + "\n")
    log.info("test PKI: new secret in %s", path)
    return secret


def smki_role(user_roles: Iterable[str]) -> CertificateRole:
    """The SMKI role an organisation certificate of a User with these DUIS roles carries."""
    roles = {str(role) for role in user_roles}
    if roles & {"IS", "ES", "GS"}:
        return CertificateRole.SUPPLIER
    if roles & {"ED", "GT"}:
        return CertificateRole.NETWORK_OPERATOR
    if "LC" in roles:
        return CertificateRole.LOAD_CONTROLLER
    return CertificateRole.OTHER


def keystore_for(
    state_path: Path | None,
    users: Iterable[str],
    *,
    dccboxed: Path | None = None,
    roles: Mapping[str, CertificateRole] | None = None,
    dsp_signing_serial: int | None = None,
) -> KeyStore:
    """The keystore for a server: dccsim's test PKI (kept beside `state_path`, ephemeral when it
    is None) for the ACB and `users` (their certificates' OU from `roles`, default Other), or,
    with `dccboxed`, DCC Boxed's keystore for the organisations. Devices' keys always come from
    the test PKI, derived when first used."""
    users = list(users)
    directory = None if state_path is None else keys_directory(state_path)
    secret = (
        secrets.token_bytes(SECRET_BYTES) if directory is None else load_or_create_secret(directory)
    )
    if dccboxed is not None:
        store = load_dccboxed_keystore(
            dccboxed,
            source=TestPki(secret, organisations=False),
            dsp_signing_serial=dsp_signing_serial,
        )
    else:
        store = KeyStore(source=TestPki(secret), dsp_signing_serial=dsp_signing_serial)
    roles = roles or {}
    for eui in (ACB_EUI, *users):
        store.register(eui, roles.get(eui))
    if directory is not None:
        export_keys(store, users, (), directory)
    return store
