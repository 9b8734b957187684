"""The DUIS gateway's signature hooks, made from a keystore (BOXED-03, BOXED-04).

`dccsim.server.duis.signing` knows how to verify and sign and which documents are signed; the
keystore (`dccsim.server.keys`) holds the certificates and the DSP's DspXmlSign key. This module
only joins them to the gateway's two hooks, so that every transport verifies and signs alike.
"""

from __future__ import annotations

from typing import Protocol

from lxml import etree

from dccsim.server.duis.signing import (
    CertificateLookup,
    DocumentSigner,
    SignatureSettings,
    SigningCredential,
)
from dccsim.server.duis.xmldsig import SignatureRefused
from dccsim.server.runtime.duis_gateway import RequestRefused, RequestVerifier, ResponseSigner


class SigningKeys(CertificateLookup, Protocol):
    """What the hooks need of a keystore (`dccsim.server.keys.keystore.KeyStore` is one)."""

    def dsp_signing(self) -> SigningCredential: ...


def request_verifier(
    keys: CertificateLookup, settings: SignatureSettings
) -> RequestVerifier | None:
    """Checks each request's signature (None when checking is off, as DCC Boxed allows)."""
    if not settings.verify:
        return None

    def verify(xml: bytes | etree._ElementTree) -> None:
        try:
            settings.check(xml, keys)
        except SignatureRefused as refusal:
            raise RequestRefused(settings.code_for(refusal.kind), str(refusal)) from None

    return verify


def response_signer(keys: SigningKeys) -> ResponseSigner:
    """Signs what the DSP sends with its DspXmlSign key, where DUIS has it signed."""
    # KeyError now, at start, rather than at the first answer; the key's checks and KeyInfo
    # are made once.
    return DocumentSigner(keys.dsp_signing()).sign_built
