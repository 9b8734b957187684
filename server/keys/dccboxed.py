"""Load the DCC Boxed test keystore (`keystore/dccboxed-keystore.json`, the ZAZ1 test PKI), so
that tools configured for DCC Boxed work unchanged against dccsim.

Shape: `{eui (16 hex): {"digitalSignature" | "keyAgreement": {serial (decimal): {"certificate":
PEM, "privateKey"?: PEM, "role": N, "name": "Z1-supplier-ds", ...}}}}`.

Two things are added to what the file holds:
- Order: per EUI, `Z1-` credentials come before the others (`Z1b-`, ...), so "the first DS / KA
  credential" is the Z1 one, as DCC's GBCS tooling chooses (tools/gbcs-parser/decode.js does).
- DCC Boxed 25.11's DspXmlSign certificate (`Z1-accessControlBroker-dSPXmlSign`, serial
  0F4889EF197D41E9016966F9D5AB0402, valid 2025-09-01 to 2035-09-01). DCC re-signed the 1.4.1
  DspXmlSign key for 25.11 ("resigned certificates", dccboxed-signing-tool 0fbc704): same key, new
  certificate; the keystore file (npm 0.4.2) predates it and holds only the 1.4.1 one. Current
  DCC Boxed signs its responses with it, so dccsim does too by default (notes §2.2). The
  certificate (public, GPL-3.0-or-later, Smart DCC Ltd) is below; its private key is the 1.4.1
  one the file already holds, and it is added only when the file holds that key.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from dccsim.server.keys.keystore import CredentialSource, KeyStore
from dccsim.server.keys.model import (
    ACB_EUI,
    CertificateRole,
    Credential,
    KeyUsage,
    canonical_eui,
)

log = logging.getLogger("dccsim.keys")

# The DspXmlSign certificates of DCC Boxed's releases (notes §2.2).
DSP_XML_SIGN_1_4_1 = 0x7DAC7283AAD29BDD23C9EFBFDDB52A41
DSP_XML_SIGN_25_11 = 0x0F4889EF197D41E9016966F9D5AB0402

DSP_XML_SIGN_25_11_PEM = b"""-----BEGIN CERTIFICATE-----
MIIBkjCCATigAwIBAgIQD0iJ7xl9QekBaWb51asEAjAKBggqhkjOPQQDAjAaMQsw
CQYDVQQLEwIwNzELMAkGA1UEAxMCWjEwHhcNMjUwOTAxMDAwMDAwWhcNMzUwOTAx
MjM1OTU5WjAhMQswCQYDVQQLDAI4OTESMBAGA1UELQMJAJCz1R8wAAACMFkwEwYH
KoZIzj0CAQYIKoZIzj0DAQcDQgAEdS2xVB2CrcRDjF+Ifm2PIacFhMyOhY7RQGhd
Z7nBdZSkRM5TEmIdyhNR2YfNZWsCpL2V8sFPp+AGLSRyJTKt9aNZMFcwDgYDVR0P
AQH/BAQDAgeAMBEGA1UdDgQKBAhDlXuu5X1H8jAdBgNVHSABAf8EEzARMA8GDSqG
OgABhI+5DwECAQQwEwYDVR0jBAwwCoAIT1aI1+yTO+IwCgYIKoZIzj0EAwIDSAAw
RQIgbBHZEJa8TYHur/bsY7Pa9tq2VO+WF/flVlO6u8uKA8ECIQD8nPTv4QoZiRBA
4oOElFuilwVvUrBrhX8s8+gSgEU80Q==
-----END CERTIFICATE-----
"""


class KeystoreFileError(ValueError):
    """The keystore file cannot be read as a DCC Boxed keystore."""


def load_dccboxed_keystore(
    path: Path,
    *,
    source: CredentialSource | None = None,
    dsp_signing_serial: int | None = None,
) -> KeyStore:
    """A KeyStore of the file's credentials (+ DCC Boxed 25.11's DspXmlSign certificate).
    `source` makes the device keys (the file has none); `dsp_signing_serial` picks the
    DspXmlSign certificate responses are signed with (default: the most recent, 25.11's)."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise KeystoreFileError(f"{path}: {error}") from None
    if not isinstance(document, dict):
        raise KeystoreFileError(f"{path}: not a DCC Boxed keystore (no EUI object at the top)")
    credentials = list(_credentials(document, path))
    credentials.extend(_resigned_dsp_xml_sign(credentials))
    return KeyStore(credentials, source=source, dsp_signing_serial=dsp_signing_serial)


def _credentials(document: dict[str, Any], path: Path) -> Iterator[Credential]:
    for eui_text, usages in document.items():
        found = []
        try:
            eui = canonical_eui(eui_text)
            for usage_text, entries in usages.items():
                usage = KeyUsage(usage_text)
                for serial_text, entry in entries.items():
                    credential = _credential(eui, usage, int(serial_text), entry, path)
                    if credential is not None:
                        found.append(credential)
        except (ValueError, TypeError, AttributeError, KeyError) as error:
            raise KeystoreFileError(f"{path}: entry {eui_text}: {error}") from None
        # Z1 first, the file's order otherwise (sorted() is stable).
        yield from sorted(found, key=lambda c: not c.name.startswith("Z1-"))


def _credential(
    eui: str, usage: KeyUsage, serial: int, entry: dict[str, Any], path: Path
) -> Credential | None:
    try:
        certificate = x509.load_pem_x509_certificate(entry["certificate"].encode())
    except ValueError as error:
        # The keystore's two MDR certificates (90-B3-D5-1F-30-01-00-09, issuer Z99) give their
        # ecdsa-with-SHA256 AlgorithmIdentifier a parameter, which RFC 5758 forbids and
        # cryptography refuses; Node accepts them. Skip such an entry rather than the file.
        log.warning("%s: skipping %s (%s): %s", path, entry.get("name", serial), eui, error)
        return None
    if certificate.serial_number != serial:
        raise ValueError(f"serial {serial} names a certificate with serial "
                         f"{certificate.serial_number}")  # fmt: skip
    private_key = None
    if entry.get("privateKey"):
        loaded = serialization.load_pem_private_key(entry["privateKey"].encode(), password=None)
        if not isinstance(loaded, ec.EllipticCurvePrivateKey):
            raise ValueError(f"serial {serial}: the private key is not an EC key")
        private_key = loaded
    name = str(entry.get("name", ""))
    return Credential(
        eui=eui,
        role=CertificateRole(int(entry["role"])),
        usage=usage,
        name=name,
        certificate=certificate,
        private_key=private_key,
        # DCC Boxed's prepayment KA keys are named Z1-supplierPP-ka (decode.js matches /PP-/i).
        prepayment="pp-" in name.lower(),
    )


def _resigned_dsp_xml_sign(credentials: list[Credential]) -> list[Credential]:
    certificate = x509.load_pem_x509_certificate(DSP_XML_SIGN_25_11_PEM)
    if any(c.serial == certificate.serial_number for c in credentials):
        return []
    key = certificate.public_key()
    assert isinstance(key, ec.EllipticCurvePublicKey)  # the DSP's keys are P-256
    public = key.public_numbers()
    for credential in credentials:
        if (
            credential.eui == ACB_EUI
            and credential.role is CertificateRole.DSP_XML_SIGN
            and credential.private_key is not None
            and credential.private_key.public_key().public_numbers() == public
        ):
            return [
                Credential(
                    eui=ACB_EUI,
                    role=CertificateRole.DSP_XML_SIGN,
                    usage=KeyUsage.DIGITAL_SIGNATURE,
                    name="Z1-accessControlBroker-dSPXmlSign",
                    certificate=certificate,
                    private_key=credential.private_key,
                )
            ]
    return []
