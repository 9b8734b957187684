"""Export what a User's tools need, as PEM files named the way DCC's GBCS parser CLI reads them
(tools/gbcs-parser/decode.js `--keys DIR`):

- `<eui>-ds.pem` / `<eui>-ka.pem`: certificates, for every User, the ACB and every device;
- `<eui>-ds.key` / `<eui>-ka.key`: PKCS#8 private keys, for the Users and the ACB only (a
  device's private key stays in the simulator, as it stays in a meter);
- `<eui>-xmlsign.pem` / `.key`: a User's DUIS XML signing credential (the one `xml_signing`
  chooses); for the ACB, the DSP's DspXmlSign certificate only;
- `<eui>-pp-ka.pem` / `.key`: a supplier's prepayment KA credential, where it has one;
- `dccsim-root-ca.pem`, `dccsim-issuing-ca.pem`: the test PKI's CAs (when it is dccsim's).
- TLS (SEC-01; keys/tls.py), whenever devices' keys come from dccsim's test PKI:
  `<eui>-tls.pem` / `.key`, a User's TLS client certificate (its EUI in the subject), which binds
  a mutual-TLS client to that User; `dccsim-tls-ca.pem`, the CA that issues them and the
  server's; `dccsim-operator-tls.pem` / `.key`, the operator's client certificate.

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
from dccsim.server.keys.test_pki import TestPki
from dccsim.server.keys.tls import CA_FILE, OPERATOR_STEM, TestTlsPki, TlsPair

_AUTHORITY_FILES = ("dccsim-root-ca.pem", "dccsim-issuing-ca.pem")
SERVER_STEM = "dccsim-server-tls"


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


def tls_pki(store: KeyStore) -> TestTlsPki | None:
    """The TLS side of the store's test PKI, if its keys come from dccsim's test PKI."""
    source = store.source
    return TestTlsPki(source) if isinstance(source, TestPki) else None


def _tls_files(stem: str, pair: TlsPair) -> list[KeyFile]:
    return [
        KeyFile(f"{stem}.pem", pair.certificate_pem),
        KeyFile(f"{stem}.key", pair.private_key_pem),
    ]


def organisation_files(store: KeyStore, eui: str, tls: TestTlsPki | None = None) -> list[KeyFile]:
    """A User's or the ACB's files (none for an EUI the keystore has no credentials for); with
    `tls`, a User's TLS client certificate and key too."""
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
        if tls is not None and files:
            files += _tls_files(f"{stem}-tls", tls.user(eui))
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
    tls = tls_pki(store)
    if tls is not None:
        authorities += [KeyFile(CA_FILE, tls.ca_pem), *_tls_files(OPERATOR_STEM, tls.operator())]
    if authorities:
        yield "", authorities
    seen = set()
    for eui in (ACB_EUI, *users):
        canonical = canonical_eui(eui)
        if canonical not in seen:
            seen.add(canonical)
            files = organisation_files(store, canonical, tls)
            if files:
                yield canonical, files
    for eui in devices:
        yield canonical_eui(eui), device_files(store, eui)


@dataclass(frozen=True, slots=True)
class ServerTlsFiles:
    """Where `write_server_tls` put a server's TLS certificate, key and the CA of its clients."""

    certificate: Path
    private_key: Path
    client_ca: Path


def write_server_tls(tls: TestTlsPki, names: Iterable[str], directory: Path) -> ServerTlsFiles:
    """Write the test PKI's server certificate for `names` (host names and IP addresses) and its
    key (owner-only) as `dccsim-server-tls.pem` / `.key`, and the TLS CA, into `directory`: what
    a server serving TLS from the test PKI loads (gRPC and HTTP alike)."""
    pair = tls.server(names)
    certificate, private_key, client_ca = write_files(
        [*_tls_files(SERVER_STEM, pair), KeyFile(CA_FILE, tls.ca_pem)], directory
    )
    return ServerTlsFiles(certificate, private_key, client_ca)


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
