"""What DUIS's XML signatures are made of, for both ways dccsim makes and checks them (signxml's,
`dccsim.server.duis.signing`; the DUIS profile's own, `dccsim.server.duis.signature_profile`):
the algorithms' URIs, the ds: names, why a signature is refused, and the few tree operations
both need."""

from __future__ import annotations

from enum import StrEnum

from cryptography import x509
from lxml import etree
from signxml import (
    CanonicalizationMethod,
    DigestAlgorithm,
    SignatureConstructionMethod,
    SignatureMethod,
)

from dccsim.server.duis.names import DS_NS

EXC_C14N = CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0.value
C14N = CanonicalizationMethod.CANONICAL_XML_1_0.value
C14N_11 = CanonicalizationMethod.CANONICAL_XML_1_1.value
ECDSA_SHA256 = SignatureMethod.ECDSA_SHA256.value
SHA256 = DigestAlgorithm.SHA256.value
ENVELOPED = SignatureConstructionMethod.enveloped.value
DS = {"ds": DS_NS}
SIGNATURE = f"{{{DS_NS}}}Signature"
_JAVA_BASE64_LINE = 76  # java.util.Base64.getMimeEncoder(): 76 characters, CR LF


def ds(name: str) -> str:
    """A ds: element's tag."""
    return f"{{{DS_NS}}}{name}"


class RefusalKind(StrEnum):
    """Why a request's signature was refused."""

    MISSING = "missing"  # no ds:Signature
    # Not DUIS's form: more than one signature or not the root's child, an algorithm other than
    # exclusive C14N / ECDSA-SHA256 / SHA-256, a Reference other than the whole document, no
    # X509IssuerSerial, undecodable values.
    MALFORMED = "malformed"
    UNKNOWN_CERTIFICATE = "unknown-certificate"  # no certificate in the keystore has the serial
    FOREIGN_CERTIFICATE = "foreign-certificate"  # not a signing certificate of the originator
    DIGEST_MISMATCH = "digest-mismatch"  # the document changed after it was signed
    SIGNATURE_MISMATCH = "signature-mismatch"  # SignedInfo changed, or another key signed


class SignatureRefused(Exception):
    """A request's signature is missing, malformed, broken or not its originator's."""

    def __init__(self, reason: str, kind: RefusalKind) -> None:
        super().__init__(f"{kind.value}: {reason}")
        self.reason = reason
        self.kind = kind


def digest_mismatch(detail: str) -> SignatureRefused:
    return SignatureRefused(
        f"the document does not match its signature's digest ({detail})",
        RefusalKind.DIGEST_MISMATCH,
    )


def signature_mismatch(certificate: x509.Certificate, detail: str) -> SignatureRefused:
    return SignatureRefused(
        f"the SignatureValue does not verify with certificate "
        f"{certificate.serial_number} ({detail})",
        RefusalKind.SIGNATURE_MISMATCH,
    )


def java_base64(text: str) -> str:
    compact = "".join(text.split())
    lines = [compact[i : i + _JAVA_BASE64_LINE] for i in range(0, len(compact), _JAVA_BASE64_LINE)]
    return "\r\n".join(lines)


def remove_keeping_tail(element: etree._Element) -> None:
    parent = element.getparent()
    assert parent is not None  # never the root: a ds:Signature inside the document
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)
