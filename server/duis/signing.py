"""DUIS XML signatures (BOXED-03, BOXED-04): verify Users' requests, sign the DSP's responses.

DUIS-layer code: bytes or lxml trees in and out, no transport. Signatures are made and checked
in exactly the form DCC's signing tool (`uk.co.smartdcc.boxed.xmldsig`) writes and DCC Boxed
accepts -- for that form with lxml's C14N and `cryptography` directly (`in_duis_profile`, the
fast path), for anything else with `signxml` over lxml:

- an enveloped XML-DSig over the whole document: one `ds:Reference URI=""` whose only transform
  is `enveloped-signature` (so the referenced node-set is turned into octets by inclusive C14N, as
  XML-DSig prescribes), digest SHA-256, SignedInfo canonicalised by **exclusive C14N**, signature
  **ECDSA P-256 with SHA-256** (raw r||s), `ds:` prefix, `ds:Signature` the last child of the root;
- `ds:KeyInfo/ds:X509Data/ds:X509IssuerSerial` only: the issuer in RFC 2253 form as Java writes it
  (`CN=Z1,OU=07`), the serial in decimal; SignatureValue wrapped at 76 characters with CR LF, as
  Java writes it.

`sign_document(xml, credential)` signs any document; the DSP signs its answers with its
DspXmlSign credential through `sign_response`, which applies the one rule of which documents are
signed (`should_sign`); `DocumentSigner(credential)` does both with the per-key work done once.
`verify_request(xml, lookup)` checks a request's signature and that it is its originator's;
anything else raises `SignatureRefused(reason, kind)`. `SignatureSettings` holds the two switches
a transport needs: whether requests are checked at all, and the DUIS response code that answers
a refused signature.

Decisions (docs/decisions.md, "Signatures"):
- **The fast path** for DUIS's one form (0.6 ms to sign and 1 ms to verify with signxml, 0.15
  and 0.2 without): below, "the DUIS profile without signxml", and what keeps it honest.
- **Which documents are signed.** Every `sr:Response` whose ResponseCode is not an error (`I0`,
  `I99`, `W…`): I0 answers, acknowledgements, asynchronous responses and alerts. Error
  acknowledgements (`E…`) stay unsigned, as DCC Boxed's E65 sample is. DCC Boxed's habit for `I99`
  is not public; a signed acknowledgement passes every validator an unsigned one does.
- **Finding the certificate.** By `X509SerialNumber` alone, as DCC's validator does
  (`CertificateLibrary.lookup(BigInteger)`); `X509IssuerName` is reported but not compared (the
  templates carry placeholders such as `CN=U1, OU=07`, and DN spellings differ between
  libraries). What protects the originator is the next check, which DCC's validator lacks.
- **Whose certificate.** The certificate's subject `x500UniqueIdentifier` must be the RequestID's
  originator EUI and its keyUsage must allow digitalSignature: the User's XmlSign certificate or
  its organisation DS certificate (DCC's tool falls back to DS for a User without XmlSign). A
  key-agreement certificate, or any other User's, is refused (`FOREIGN_CERTIFICATE`).
- **Order of checks.** Form of the signature (`MISSING`, `MALFORMED`), then the certificate
  (`UNKNOWN_CERTIFICATE`, `FOREIGN_CERTIFICATE`), then the cryptography (`DIGEST_MISMATCH`,
  `SIGNATURE_MISMATCH`): no ECDSA verification is spent on a signature that cannot be accepted.
- **Expiry.** Certificate validity dates are not checked (DCC Boxed's ZAZ1 test certificates
  have expired and its tools use them anyway); nor is a certificate chain: the keystore is the
  trust anchor.
- **Refusal code.** A refused signature is answered with `E1001` by default (`REFUSED_SIGNATURE`
  in `core.codes`): DUIS lists E1001 with no public meaning (as `E1000`, dccsim's replayed
  counter), so it cannot be mistaken for a documented code. `SignatureSettings(refused_code=...)`
  sets another for every kind, `codes={kind: code}` one per kind.
- A request without a readable `Header/RequestID` cannot be bound to a User: `InvalidField`, as
  the parser would raise, not `SignatureRefused`.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Protocol

from cryptography import x509
from cryptography.exceptions import InvalidSignature as CryptographyInvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml import (
    CanonicalizationMethod,
    DigestAlgorithm,
    SignatureConstructionMethod,
    SignatureMethod,
    XMLSigner,
    XMLVerifier,
)
from signxml.exceptions import InvalidDigest, InvalidSignature, SignXMLException
from signxml.verifier import SignatureConfiguration

from dccsim.server.core.codes import REFUSED_SIGNATURE
from dccsim.server.core.errors import InvalidField
from dccsim.server.duis.names import DS_NS, SR_NS
from dccsim.server.duis.safe import load_document
from dccsim.server.duis.writing import serialise

EXC_C14N = CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0.value
ECDSA_SHA256 = SignatureMethod.ECDSA_SHA256.value
SHA256 = DigestAlgorithm.SHA256.value
ENVELOPED = SignatureConstructionMethod.enveloped.value
# Transforms a request's Reference may list: the enveloped-signature transform (required) and a
# canonicalisation (DCC's tool writes none; other signers write exclusive C14N).
_ALLOWED_TRANSFORMS = frozenset(
    {
        ENVELOPED,
        EXC_C14N,
        CanonicalizationMethod.CANONICAL_XML_1_0.value,
        CanonicalizationMethod.CANONICAL_XML_1_1.value,
    }
)
_DS = {"ds": DS_NS}
_SIGNATURE = f"{{{DS_NS}}}Signature"
_REQUEST_ID = f"{{{SR_NS}}}Header/{{{SR_NS}}}RequestID"
_RESPONSE_CODE = f"{{{SR_NS}}}Header/{{{SR_NS}}}ResponseCode"
# A certificate serial is at most 20 octets (RFC 5280): 49 decimal digits. Checked as text before
# int(), which is quadratic in the number of digits.
_SERIAL = re.compile(r"\+?[0-9]{1,60}")
_DUIS_ERROR_CODE = re.compile(r"E[0-9]{1,7}")
_JAVA_BASE64_LINE = 76  # java.util.Base64.getMimeEncoder(): 76 characters, CR LF


# -- what this module needs from the keystore -----------------------------------------------------


class Certified(Protocol):
    """A keystore entry, as far as verifying needs it (server/keys' Credential is one)."""

    @property
    def certificate(self) -> x509.Certificate: ...


class SigningCredential(Certified, Protocol):
    """A keystore entry with its private key: the DSP's DspXmlSign credential, or a User's."""

    @property
    def private_key(self) -> ec.EllipticCurvePrivateKey | None: ...


class CertificateLookup(Protocol):
    """Finds a certificate by its serial number (server/keys' KeyStore is one)."""

    def by_serial(self, serial: int) -> Certified | None: ...


# -- refusals --------------------------------------------------------------------------------------


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


@dataclass(frozen=True, slots=True)
class VerifiedSignature:
    """A request's signature, checked: who signed, with which keystore entry."""

    credential: Certified
    serial: int
    issuer: str  # X509IssuerName as the request wrote it (not compared)
    originator: str  # the RequestID's originator EUI, as written


@dataclass(frozen=True, slots=True)
class SignatureSettings:
    """How a transport treats request signatures (BOXED-03).

    `verify=False` switches the check off, as DCC Boxed's "DUIS Signature validation: Disable".
    `refused_code` answers every refusal; `codes` overrides it for some kinds."""

    verify: bool = True
    refused_code: str = REFUSED_SIGNATURE.value
    codes: Mapping[RefusalKind, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for kind, code in [(None, self.refused_code), *self.codes.items()]:
            if not isinstance(code, str) or not _DUIS_ERROR_CODE.fullmatch(code):
                where = "refused_code" if kind is None else f"codes[{kind}]"
                raise ValueError(
                    f"{where}: {code!r} is not a DUIS error code (E followed by digits)"
                )
        for kind in self.codes:
            RefusalKind(kind)

    def code_for(self, kind: RefusalKind) -> str:
        """The DUIS ResponseCode that answers a refusal of this kind."""
        return self.codes.get(kind, self.refused_code)

    def check(
        self, xml: bytes | etree._ElementTree | etree._Element, lookup: CertificateLookup
    ) -> VerifiedSignature | None:
        """`verify_request`, or None when checking is switched off."""
        return verify_request(xml, lookup) if self.verify else None


# -- signing (BOXED-04) ---------------------------------------------------------------------------


class _ToolSigner(XMLSigner):
    """signxml's enveloped signer, writing the Reference as DCC's tool does: its only transform
    is enveloped-signature, so its digest is over the inclusive C14N of the document (XML-DSig's
    default node-set-to-octets conversion), while SignedInfo is canonicalised exclusively."""

    @property
    def parser(self) -> etree.XMLParser:
        # signxml copies the document by serialising and parsing it; dccsim's documents are safe
        # (no DTD, no entities) and may hold text beyond libxml2's default limit.
        return _trusted_parser()

    def _unpack(self, data, references):  # type: ignore[no-untyped-def]
        sig_root, doc_root, c14n_inputs, found = super()._unpack(data, references)
        inclusive = CanonicalizationMethod.CANONICAL_XML_1_0
        return sig_root, doc_root, c14n_inputs, [replace(r, c14n_method=inclusive) for r in found]


class DocumentSigner:
    """Signs documents with one credential (the DSP's DspXmlSign, or a User's), as
    `sign_document` and `sign_response` do: the key is checked and the KeyInfo built once, not
    per document. Keeps no document between calls, so threads may share one."""

    def __init__(self, credential: SigningCredential) -> None:
        key = credential.private_key
        if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(
            key.curve, ec.SECP256R1
        ):
            raise ValueError("DUIS signatures need an ECDSA P-256 private key")
        self._key = key
        self._key_info = _key_info(credential.certificate)  # a copy goes into each signature
        self._template = _signature_template(copy.deepcopy(self._key_info))

    def sign(self, xml: bytes | etree._ElementTree | etree._Element) -> bytes:
        """`sign_document` with this signer's credential."""
        if isinstance(xml, bytes | bytearray | memoryview):
            return self._sign_own(_root(xml, copy=False))  # a tree of our own
        return self._sign_own(_root(xml, copy=True))  # the caller's tree is left as it was

    def sign_response(self, xml: bytes) -> bytes:
        """`sign_response` with this signer's credential. `xml` is a document dccsim has just
        built, so it is parsed without `safe.load_document`'s checks for hostile input (a
        parser that loads no DTD, entity or network resource all the same)."""
        root = etree.fromstring(xml, _trusted_parser())
        return self._sign_own(root) if should_sign(root) else xml

    def sign_built(self, root: etree._Element) -> bytes:
        """`sign_response` for a tree dccsim has just built and hands over (`build`'s
        `*_tree`): it gains the signature where one is due, and is serialised once -- not
        serialised, parsed again and serialised again as bytes would be."""
        return self._sign_own(root) if should_sign(root) else serialise(root)

    def _sign_own(self, root: etree._Element) -> bytes:
        for old in root.findall(_SIGNATURE):
            _remove_keeping_tail(old)
        signed = _sign_fast(root, self._key, self._template)
        if signed is None:
            signed = _sign_signxml(root, self._key, copy.deepcopy(self._key_info))
        return signed


def sign_document(
    xml: bytes | etree._ElementTree | etree._Element, credential: SigningCredential
) -> bytes:
    """The document with an enveloped signature by `credential`, as DCC's tool makes it. A
    signature the document already carries is replaced (as the tool does)."""
    return DocumentSigner(credential).sign(xml)


def _sign_signxml(
    root: etree._Element, key: ec.EllipticCurvePrivateKey, key_info: etree._Element
) -> bytes:
    """signxml's signature in DCC's tool's form: for documents outside the fast path's profile
    (and the fast path's oracle in the tests)."""
    signer = _ToolSigner(
        method=SignatureConstructionMethod.enveloped,
        signature_algorithm=SignatureMethod.ECDSA_SHA256,
        digest_algorithm=DigestAlgorithm.SHA256,
        c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0,
    )
    signed = signer.sign(
        root,
        key=key,
        key_info=key_info,
        exclude_c14n_transform_element=True,
    )
    value = signed.find("ds:Signature/ds:SignatureValue", _DS)
    assert value is not None and value.text is not None  # signxml has just written it
    value.text = _java_base64(value.text)
    return serialise(signed)


def should_sign(document: bytes | etree._ElementTree | etree._Element) -> bool:
    """Whether the DSP signs this document: an `sr:Response` that is not an error (I0, I99,
    W-codes, asynchronous responses and alerts). Requests and error acknowledgements: no."""
    root = _root(document, copy=False)
    if root.tag != f"{{{SR_NS}}}Response":
        return False
    code = root.findtext(_RESPONSE_CODE)
    return code is not None and not code.strip().startswith("E")


def sign_response(xml: bytes, credential: SigningCredential) -> bytes:
    """The DSP's document as it goes out: signed by `credential` when `should_sign` says so,
    else unchanged. The one rule every transport applies (BOXED-04)."""
    return DocumentSigner(credential).sign_response(xml)


def _key_info(certificate: x509.Certificate) -> etree._Element:
    key_info = etree.Element(f"{{{DS_NS}}}KeyInfo", nsmap=_DS)
    data = etree.SubElement(key_info, f"{{{DS_NS}}}X509Data")
    issuer_serial = etree.SubElement(data, f"{{{DS_NS}}}X509IssuerSerial")
    etree.SubElement(issuer_serial, f"{{{DS_NS}}}X509IssuerName").text = java_rfc2253(
        certificate.issuer
    )
    etree.SubElement(issuer_serial, f"{{{DS_NS}}}X509SerialNumber").text = str(
        certificate.serial_number
    )
    return key_info


def java_rfc2253(name: x509.Name) -> str:
    """A name as Java's `X500Principal.getName()` writes it: RFC 2253, most specific RDN first,
    no spaces (`CN=Z1,OU=07`)."""
    return name.rfc4514_string({NameOID.X500_UNIQUE_IDENTIFIER: "2.5.4.45"})


def _java_base64(text: str) -> str:
    compact = "".join(text.split())
    lines = [compact[i : i + _JAVA_BASE64_LINE] for i in range(0, len(compact), _JAVA_BASE64_LINE)]
    return "\r\n".join(lines)


# -- verifying (BOXED-03) -------------------------------------------------------------------------


def verify_request(
    xml: bytes | etree._ElementTree | etree._Element, lookup: CertificateLookup
) -> VerifiedSignature:
    """Check a request's enveloped signature and that its originator made it.

    `xml` is the request's bytes (loaded through `safe.load_document`) or a tree already loaded
    that way. Raises `SignatureRefused` (see `RefusalKind`), or `InvalidField` for a request with
    no readable RequestID. Changes nothing."""
    root = _root(xml, copy=False)
    signature = _the_signature(root)
    in_profile = in_duis_profile(root, signature)
    serial, issuer = _check_form(signature, in_profile=in_profile)
    credential = lookup.by_serial(serial)
    if credential is None:
        raise SignatureRefused(
            f"no certificate in the keystore has serial {serial} (0x{serial:X}, issuer {issuer!r})",
            RefusalKind.UNKNOWN_CERTIFICATE,
        )
    originator = _originator(root)
    _check_owner(credential.certificate, originator, serial)
    if not (in_profile and _verify_fast(root, signature, credential.certificate, in_profile=True)):
        _verify_signxml(root, credential.certificate)
    return VerifiedSignature(credential, serial, issuer, originator)


def _the_signature(root: etree._Element) -> etree._Element:
    found = list(root.iter(_SIGNATURE))
    if not found:
        raise SignatureRefused("the request carries no ds:Signature", RefusalKind.MISSING)
    if len(found) > 1:
        raise SignatureRefused(
            f"the request carries {len(found)} ds:Signature elements, not one",
            RefusalKind.MALFORMED,
        )
    if found[0].getparent() is not root:
        raise SignatureRefused(
            "the ds:Signature is not a child of the root element (an enveloped signature over "
            "the whole document is)",
            RefusalKind.MALFORMED,
        )
    return found[0]


def _check_form(signature: etree._Element, *, in_profile: bool = False) -> tuple[int, str]:
    """DUIS's form of signature, before any cryptography; the certificate serial and issuer.
    `in_profile`: `in_duis_profile` holds, so the algorithms, the Reference and the elements'
    places are known already (every check below that they pass is one it made)."""

    def one(path: str, what: str) -> etree._Element:
        found = signature.findall(path, _DS)
        if len(found) != 1:
            raise SignatureRefused(
                f"expected one {what}, found {len(found)}", RefusalKind.MALFORMED
            )
        return found[0]

    if in_profile:
        issuer_serial = signature[2][0][0]
        value_element, issuer_element, serial_element = signature[1], *issuer_serial
    else:
        _check_algorithms(signature, one)
        value_element = one("ds:SignatureValue", "ds:SignatureValue")
        path = "ds:KeyInfo/ds:X509Data/ds:X509IssuerSerial"
        issuer_element = one(f"{path}/ds:X509IssuerName", "X509IssuerSerial/X509IssuerName")
        serial_element = one(f"{path}/ds:X509SerialNumber", "X509SerialNumber")
    try:
        value = base64.b64decode(value_element.text or "")
    except ValueError:
        raise SignatureRefused("SignatureValue is not base64", RefusalKind.MALFORMED) from None
    if len(value) != 64:
        raise SignatureRefused(
            f"SignatureValue holds {len(value)} bytes, not an ECDSA P-256 r||s (64)",
            RefusalKind.MALFORMED,
        )
    issuer = (issuer_element.text or "").strip()
    serial_text = (serial_element.text or "").strip()
    if not _SERIAL.fullmatch(serial_text):
        raise SignatureRefused(
            f"X509SerialNumber {serial_text[:80]!r} is not a certificate serial (decimal)",
            RefusalKind.MALFORMED,
        )
    return int(serial_text), issuer


def _check_algorithms(signature: etree._Element, one: Callable[[str, str], etree._Element]) -> None:
    def algorithm(path: str, expected: str, what: str) -> None:
        actual = one(path, what).get("Algorithm")
        if actual != expected:
            raise SignatureRefused(
                f"{what} is {actual!r}; DUIS signs with {expected!r}", RefusalKind.MALFORMED
            )

    algorithm("ds:SignedInfo/ds:CanonicalizationMethod", EXC_C14N, "CanonicalizationMethod")
    algorithm("ds:SignedInfo/ds:SignatureMethod", ECDSA_SHA256, "SignatureMethod")
    reference = one("ds:SignedInfo/ds:Reference", "ds:Reference")
    if reference.get("URI") != "":
        raise SignatureRefused(
            f'the Reference URI is {reference.get("URI")!r}, not "" (the whole document)',
            RefusalKind.MALFORMED,
        )
    algorithm("ds:SignedInfo/ds:Reference/ds:DigestMethod", SHA256, "DigestMethod")
    transforms = [t.get("Algorithm") for t in reference.findall("ds:Transforms/ds:Transform", _DS)]
    if ENVELOPED not in transforms or not set(transforms) <= _ALLOWED_TRANSFORMS:
        raise SignatureRefused(
            f"the Reference's transforms are {transforms}; DUIS's are enveloped-signature "
            "(and a canonicalisation)",
            RefusalKind.MALFORMED,
        )


def _originator(root: etree._Element) -> str:
    text = root.findtext(_REQUEST_ID)
    if text is None or text.count(":") != 2:
        raise InvalidField(
            "Header/RequestID", "is required (originator:target:counter) to check the signature"
        )
    return text.split(":", 1)[0].strip()


def certificate_eui(certificate: x509.Certificate) -> str | None:
    """The EUI-64 in a certificate's subject x500UniqueIdentifier, as 16 upper-case hex digits."""
    found = certificate.subject.get_attributes_for_oid(NameOID.X500_UNIQUE_IDENTIFIER)
    if len(found) != 1 or not isinstance(found[0].value, bytes):
        return None
    value = found[0].value
    # A BIT STRING's contents: the count of unused bits (0), then the eight octets.
    if len(value) == 9 and value[0] == 0:
        value = value[1:]
    return value.hex().upper() if len(value) == 8 else None


def _check_owner(certificate: x509.Certificate, originator: str, serial: int) -> None:
    owner = certificate_eui(certificate)
    wanted = originator.replace("-", "").upper()
    if owner != wanted:
        raise SignatureRefused(
            f"certificate {serial} belongs to {owner or 'no EUI'}, not the originator {originator}",
            RefusalKind.FOREIGN_CERTIFICATE,
        )
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    if usage is not None and not usage.digital_signature:
        raise SignatureRefused(
            f"certificate {serial} of {originator} is not a signing certificate (its keyUsage "
            "does not allow digitalSignature)",
            RefusalKind.FOREIGN_CERTIFICATE,
        )
    if not isinstance(certificate.public_key(), ec.EllipticCurvePublicKey):
        raise SignatureRefused(
            f"certificate {serial} holds no ECDSA key", RefusalKind.FOREIGN_CERTIFICATE
        )


def _verify_signxml(root: etree._Element, certificate: x509.Certificate) -> None:
    """signxml's verification: for signatures outside the fast path's profile (and the fast
    path's oracle in the tests)."""
    config = signxml_configuration(certificate)
    # The document was loaded safely already (no DTD, no entities); signxml re-serialises and
    # re-parses it, with huge text nodes allowed (an 11.1 FirmwareImage exceeds libxml2's limit).
    parser = _trusted_parser()
    try:
        XMLVerifier().verify(root, x509_cert=certificate, expect_config=config, parser=parser)
    except InvalidDigest as error:
        raise _digest_mismatch(str(error)) from None
    except InvalidSignature as error:
        raise _signature_mismatch(certificate, str(error)) from None
    except (SignXMLException, ValueError, etree.DocumentInvalid) as error:
        # DocumentInvalid: signxml checks the signature against XML-DSig's schema first.
        raise SignatureRefused(
            f"the signature is not usable: {error}", RefusalKind.MALFORMED
        ) from None


def signxml_configuration(certificate: x509.Certificate) -> SignatureConfiguration:
    """What signxml is told to expect of a DUIS signature: one Reference, ECDSA P-256 with
    SHA-256. Validity dates are not checked (test certificates expire): the verification time
    is clamped into the certificate's."""
    now = datetime.now(UTC)
    when = min(max(now, certificate.not_valid_before_utc), certificate.not_valid_after_utc)
    return SignatureConfiguration(
        location="./",
        expect_references=1,
        signature_methods=frozenset({SignatureMethod.ECDSA_SHA256}),
        digest_algorithms=frozenset({DigestAlgorithm.SHA256}),
        verification_time=when,
    )


def _digest_mismatch(detail: str) -> SignatureRefused:
    return SignatureRefused(
        f"the document does not match its signature's digest ({detail})",
        RefusalKind.DIGEST_MISMATCH,
    )


def _signature_mismatch(certificate: x509.Certificate, detail: str) -> SignatureRefused:
    return SignatureRefused(
        f"the SignatureValue does not verify with certificate "
        f"{certificate.serial_number} ({detail})",
        RefusalKind.SIGNATURE_MISMATCH,
    )


# -- the DUIS profile without signxml (docs/decisions.md, "Signatures: the DUIS profile's fast
# path") ------------------------------------------------------------------------------------------
#
# signxml serialises and re-parses the whole document three to five times per signature (its
# defence against namespace context leaking between a copied node and its old document), which
# cost 0.6 ms to sign and 1 ms to verify a DUIS document, 60% of a signed HTTP SR's server CPU.
# DUIS uses one form of signature, so for exactly that form the same octets are canonicalised
# with lxml (libxml2's C14N, the one signxml calls) and signed or checked with `cryptography` (as
# signxml does), on the tree as it is. Anything else -- other algorithms, InclusiveNamespaces, a
# KeyValue, an Object, attributes or comments in the signature, nodes beside the root element --
# goes to signxml, whose answer it was before. tests/duis/test_signing.py holds the two to each
# other and to DCC's signing tool, both ways.

_TRANSFORMS_INCLUSIVE = ((ENVELOPED,), (ENVELOPED, CanonicalizationMethod.CANONICAL_XML_1_0.value))
_TRANSFORMS_EXCLUSIVE = ((ENVELOPED, EXC_C14N),)
_XML_SPACE = " \t\r\n"
_ECDSA_SHA256 = ec.ECDSA(hashes.SHA256())


def _ds(name: str) -> str:
    return f"{{{DS_NS}}}{name}"


# The one shape of a DUIS signature: (tag, attributes, children); children None is an element
# holding only text, () an empty one. "Transforms" holds one or two Transform elements (checked
# on their own).
_Shape = tuple[str, frozenset[str], "tuple[_Shape, ...] | None"]
_ALGORITHM = frozenset({"Algorithm"})
_NONE = frozenset[str]()
_TRANSFORM: _Shape = (_ds("Transform"), _ALGORITHM, ())
_PROFILE: _Shape = (
    _SIGNATURE,
    _NONE,
    (
        (
            _ds("SignedInfo"),
            _NONE,
            (
                (_ds("CanonicalizationMethod"), _ALGORITHM, ()),
                (_ds("SignatureMethod"), _ALGORITHM, ()),
                (
                    _ds("Reference"),
                    frozenset({"URI"}),
                    (
                        (_ds("Transforms"), _NONE, (_TRANSFORM,)),
                        (_ds("DigestMethod"), _ALGORITHM, ()),
                        (_ds("DigestValue"), _NONE, None),
                    ),
                ),
            ),
        ),
        (_ds("SignatureValue"), _NONE, None),
        (
            _ds("KeyInfo"),
            _NONE,
            (
                (
                    _ds("X509Data"),
                    _NONE,
                    (
                        (
                            _ds("X509IssuerSerial"),
                            _NONE,
                            (
                                (_ds("X509IssuerName"), _NONE, None),
                                (_ds("X509SerialNumber"), _NONE, None),
                            ),
                        ),
                    ),
                ),
            ),
        ),
    ),
)


def _preorder(shape: _Shape, transforms: int) -> tuple[tuple[str, list[str], int | None], ...]:
    """A shape as its elements in document order: (tag, attribute names, element children or
    None for text only). A tree is fixed by its nodes in document order and their child counts,
    so one walk of `iter()` checks it; comments and processing instructions are nodes there too,
    and break the match."""
    tag, attributes, children = shape
    if children == (_TRANSFORM,):
        children = children * transforms
    own = (tag, sorted(attributes), None if children is None else len(children))
    parts = (part for child in children or () for part in _preorder(child, transforms))
    return (own, *parts)


# By number of nodes: one Transform or two.
_PREORDERS = {len(order): order for order in (_preorder(_PROFILE, 1), _preorder(_PROFILE, 2))}


def _has_shape(signature: etree._Element) -> bool:
    nodes = list(signature.iter())
    expected = _PREORDERS.get(len(nodes))
    if expected is None:
        return False
    for index, (node, (tag, attributes, children)) in enumerate(zip(nodes, expected, strict=True)):
        if node.tag != tag or node.keys() != attributes:
            return False
        if children is not None and (len(node) != children or (node.text or "").strip(_XML_SPACE)):
            return False  # element-only content: its children, only whitespace between them
        if index and (node.tail or "").strip(_XML_SPACE):
            return False
    return True


def _alone(root: etree._Element) -> bool:
    """No comment or processing instruction beside the root element: signxml (and so dccsim
    before the fast path) signs and checks the root element, XML-DSig the document node; they
    differ only when something is beside it."""
    return root.getprevious() is None and root.getnext() is None


def in_duis_profile(root: etree._Element, signature: etree._Element) -> bool:
    """Whether a document's signature is exactly DUIS's form, the one the fast path checks:
    `signature` is the root's child, the document holds no other ds:Signature, and its
    algorithms are DUIS's."""
    if signature.getparent() is not root or not _alone(root) or not _has_shape(signature):
        return False
    if sum(1 for _ in root.iter(_SIGNATURE)) != 1:
        return False
    signed_info = signature[0]
    reference = signed_info[2]
    transforms = tuple(t.get("Algorithm") for t in reference[0])
    return (
        signed_info[0].get("Algorithm") == EXC_C14N
        and signed_info[1].get("Algorithm") == ECDSA_SHA256
        and reference.get("URI") == ""
        and reference[1].get("Algorithm") == SHA256
        and transforms in _TRANSFORMS_INCLUSIVE + _TRANSFORMS_EXCLUSIVE
    )


def _verify_fast(
    root: etree._Element,
    signature: etree._Element,
    certificate: x509.Certificate,
    *,
    in_profile: bool | None = None,
) -> bool:
    """Check a signature in DUIS's profile as signxml does: SignedInfo's signature first, then
    the document's digest. False, checking nothing, for one outside the profile (`in_profile`:
    `in_duis_profile`'s answer, when the caller has it)."""
    public_key = certificate.public_key()
    if not isinstance(public_key, ec.EllipticCurvePublicKey) or not isinstance(
        public_key.curve, ec.SECP256R1
    ):
        return False
    if not (in_duis_profile(root, signature) if in_profile is None else in_profile):
        return False
    signed_info, value_element = signature[0], signature[1]
    reference = signed_info[2]
    try:
        value = base64.b64decode(value_element.text or "")
        expected_digest = base64.b64decode(reference[2].text or "")
    except ValueError as error:
        raise SignatureRefused(
            f"the signature is not usable: {error}", RefusalKind.MALFORMED
        ) from None
    if len(value) != 64:
        return False  # _check_form refuses it first; signxml's answer otherwise
    # Exclusive C14N of SignedInfo where it stands: exclusive C14N takes nothing from the
    # element's ancestors but the namespaces it uses, so no copy is needed.
    signed_info_c14n = etree.tostring(
        signed_info, method="c14n", exclusive=True, with_comments=False
    )
    r, s = int.from_bytes(value[:32], "big"), int.from_bytes(value[32:], "big")
    try:
        public_key.verify(encode_dss_signature(r, s), signed_info_c14n, _ECDSA_SHA256)
    except CryptographyInvalidSignature:
        raise _signature_mismatch(certificate, "signature mismatch") from None
    exclusive = tuple(t.get("Algorithm") for t in reference[0]) in _TRANSFORMS_EXCLUSIVE
    digest = hashlib.sha256(_without_signature_c14n(root, signature, exclusive=exclusive)).digest()
    if not hmac.compare_digest(digest, expected_digest):
        raise _digest_mismatch('digest mismatch for the Reference URI=""')
    return True


def _without_signature_c14n(
    root: etree._Element, signature: etree._Element, *, exclusive: bool
) -> bytes:
    """The enveloped-signature transform, then C14N: the document without its signature (whose
    tail text stays), canonicalised. On a copy (libxml2's, no re-parse): the caller's tree is
    not changed, even for a moment."""
    copied = copy.deepcopy(root)
    _remove_keeping_tail(copied[root.index(signature)])
    return etree.tostring(copied, method="c14n", exclusive=exclusive, with_comments=False)


@dataclass(frozen=True, slots=True)
class _SignatureTemplate:
    """What the fast path writes into each document it signs, made once per signer."""

    # The ds:Signature, all but its DigestValue and SignatureValue: copied into each document.
    element: etree._Element
    # SignedInfo's exclusive C14N before and after its DigestValue's text. Exclusive C14N
    # renders an element from itself alone (its own tags, attributes and the namespaces they
    # use, nothing inherited), so a copy of this SignedInfo in any document canonicalises to
    # these bytes with its digest between them: one C14N per signer, not per document.
    signed_info_c14n: tuple[bytes, bytes]


# A stand-in DigestValue: base64 and C14N leave it as it is, and no other text in SignedInfo
# holds it.
_DIGEST_MARK = "DIGESTVALUE"


def _signature_template(key_info: etree._Element) -> _SignatureTemplate:
    """The ds:Signature the fast path writes, built with the same calls as signxml's signer (so
    the same namespace declarations result), then copied into each document, a dozen element
    creations cheaper."""
    signature = etree.Element(_SIGNATURE, nsmap=_DS)
    signed_info = etree.SubElement(signature, _ds("SignedInfo"), nsmap=_DS)
    etree.SubElement(signed_info, _ds("CanonicalizationMethod"), Algorithm=EXC_C14N)
    etree.SubElement(signed_info, _ds("SignatureMethod"), Algorithm=ECDSA_SHA256)
    reference = etree.SubElement(signed_info, _ds("Reference"), URI="")
    transforms = etree.SubElement(reference, _ds("Transforms"))
    etree.SubElement(transforms, _ds("Transform"), Algorithm=ENVELOPED)
    etree.SubElement(reference, _ds("DigestMethod"), Algorithm=SHA256)
    etree.SubElement(reference, _ds("DigestValue"))
    etree.SubElement(signature, _ds("SignatureValue"))
    signature.append(key_info)
    probe = copy.deepcopy(signature)
    probe[0][2][2].text = _DIGEST_MARK
    before, after = etree.tostring(
        probe[0], method="c14n", exclusive=True, with_comments=False
    ).split(_DIGEST_MARK.encode())
    return _SignatureTemplate(signature, (before, after))


def _sign_fast(
    root: etree._Element, key: ec.EllipticCurvePrivateKey, template: _SignatureTemplate
) -> bytes | None:
    """Sign a tree of our own (`root` gains a copy of `_signature_template`'s signature, filled
    in) exactly as `_sign_signxml` does, or None, changing nothing, for a document outside the
    profile."""
    if not _alone(root) or next(root.iter(_SIGNATURE), None) is not None:
        return None  # signxml would fill a placeholder ds:Signature in; let it
    # The Reference's only transform is enveloped-signature: inclusive C14N of the document as
    # it is before the signature is added.
    digest = hashlib.sha256(etree.tostring(root, method="c14n", with_comments=False)).digest()
    signature = copy.deepcopy(template.element)
    root.append(signature)
    signed_info, value = signature[0], signature[1]
    digest_value = base64.b64encode(digest)
    signed_info[2][2].text = digest_value.decode()  # Reference/DigestValue
    before, after = template.signed_info_c14n
    r, s = decode_dss_signature(key.sign(before + digest_value + after, _ECDSA_SHA256))
    value.text = _java_base64(
        base64.b64encode(r.to_bytes(32, "big") + s.to_bytes(32, "big")).decode()
    )
    return serialise(root)


# -- helpers ---------------------------------------------------------------------------------------


def _root(xml: bytes | etree._ElementTree | etree._Element, *, copy: bool) -> etree._Element:
    if isinstance(xml, bytes | bytearray | memoryview):
        return load_document(bytes(xml)).getroot()  # a fresh tree: no copy needed
    if isinstance(xml, etree._ElementTree):
        root = xml.getroot()
    elif isinstance(xml, etree._Element):
        root = xml.getroottree().getroot()
    else:
        raise TypeError(f"a DUIS document is bytes or an lxml tree, not {type(xml).__name__}")
    return _copy(root) if copy else root


def _trusted_parser() -> etree.XMLParser:
    """For re-parsing a document already loaded by `safe.load_document` (or built by dccsim):
    still no entities, DTD or network, but text nodes beyond libxml2's default limit allowed."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)


def _copy(root: etree._Element) -> etree._Element:
    return etree.fromstring(etree.tostring(root), _trusted_parser())


def _remove_keeping_tail(element: etree._Element) -> None:
    parent = element.getparent()
    assert parent is not None  # never the root: a ds:Signature inside the document
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)
