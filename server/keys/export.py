"""Export what a User's tools need, as PEM files named the way DCC's GBCS parser CLI reads them
(tools/gbcs-parser/decode.js `--keys DIR`):

- `<eui>-ds.pem` / `<eui>-ka.pem`: certificates, for every User, the ACB and every device;
- `<eui>-ds.key` / `<eui>-ka.key`: PKCS#8 private keys, for the Users and the ACB only (a
  device's private key stays in the simulator, as it stays in a meter);
- `<eui>-xmlsign.pem` / `.key`: a User's DUIS XML signing credential (the one `xml_signing`
  chooses); for the ACB, the DSP's DspXmlSign certificate only;
- `<eui>-pp-ka.pem` / `.key`: a supplier's prepayment KA credential, where it has one;
- `dccsim-root-ca.pem`, `dccsim-issuing-ca.pem`: the test PKI's CAs (when it is dccsim's).

`<eui>` is 16 lower-case hex digits, no dashes.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from dccsim.server.keys.keystore import KeyStore
from dccsim.server.keys.model import ACB_EUI, Credential, KeyUsage, canonical_eui, eui_hex

_AUTHORITY_FILES = ("dccsim-root-ca.pem", "dccsim-issuing-ca.pem")


@dataclass(frozen=True, slots=True)
class KeyFile:
    name: str
    data: bytes

    @property
    def private(self) -> bool:
        return self.name.endswith(".key")


def certificate_pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def private_key_pem(credential: Credential) -> bytes:
    assert credential.private_key is not None
    return credential.private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _files(stem: str, credential: Credential | None, *, with_key: bool) -> list[KeyFile]:
    if credential is None:
        return []
    files = [KeyFile(f"{stem}.pem", certificate_pem(credential.certificate))]
    if with_key and credential.private_key is not None:
        files.append(KeyFile(f"{stem}.key", private_key_pem(credential)))
    return files


def organisation_files(store: KeyStore, eui: str) -> list[KeyFile]:
    """A User's or the ACB's files (none for an EUI the keystore has no credentials for)."""
    eui = canonical_eui(eui)
    store.register(eui)
    stem = eui_hex(eui)
    files = [
        *_files(f"{stem}-ds", store.organisation(eui, KeyUsage.DIGITAL_SIGNATURE), with_key=True),
        *_files(f"{stem}-ka", store.organisation(eui, KeyUsage.KEY_AGREEMENT), with_key=True),
        *_files(f"{stem}-pp-ka", store.prepayment(eui), with_key=True),
    ]
    if eui == ACB_EUI:
        with contextlib.suppress(KeyError):  # a keystore without a DspXmlSign credential
            files += _files(f"{stem}-xmlsign", store.dsp_signing(), with_key=False)
    else:
        files += _files(f"{stem}-xmlsign", store.xml_signing(eui), with_key=True)
    return files


def device_files(store: KeyStore, eui: str) -> list[KeyFile]:
    stem = eui_hex(eui)
    return [
        *_files(f"{stem}-ds", store.device(eui, KeyUsage.DIGITAL_SIGNATURE), with_key=False),
        *_files(f"{stem}-ka", store.device(eui, KeyUsage.KEY_AGREEMENT), with_key=False),
    ]


def export_files(
    store: KeyStore, users: Iterable[str], devices: Iterable[str]
) -> Iterator[tuple[str, list[KeyFile]]]:
    """(owner EUI, its files) for the CAs (owner ""), the ACB, each User and each device, made
    lazily: a device's credentials are derived only when its turn comes."""
    authorities = [
        KeyFile(name, certificate_pem(certificate))
        for name, certificate in zip(_AUTHORITY_FILES, store.authorities, strict=False)
    ]
    if authorities:
        yield "", authorities
    seen = set()
    for eui in (ACB_EUI, *users):
        canonical = canonical_eui(eui)
        if canonical not in seen:
            seen.add(canonical)
            files = organisation_files(store, canonical)
            if files:
                yield canonical, files
    for eui in devices:
        yield canonical_eui(eui), device_files(store, eui)


def write_files(files: Iterable[KeyFile], directory: Path) -> list[Path]:
    """Write files into a directory (made if missing); private keys readable by the owner only."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for file in files:
        if "/" in file.name or "\\" in file.name or file.name.startswith("."):
            raise ValueError(f"{file.name!r} is not a plain file name")
        path = directory / file.name
        mode = 0o600 if file.private else 0o644
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(file.data)
        os.chmod(path, mode)  # O_CREAT's mode applies to new files only
        written.append(path)
    return written


def export_keys(
    store: KeyStore, users: Iterable[str], devices: Iterable[str], directory: Path
) -> list[Path]:
    """Write the CAs', the ACB's, each User's and each device's files into `directory`."""
    return write_files(
        (file for _, files in export_files(store, users, devices) for file in files), directory
    )
