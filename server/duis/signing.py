"""DUIS XML signatures (BOXED-03, BOXED-04): verify Users' requests, sign the DSP's responses.

DUIS-layer code: bytes or lxml trees in and out, no transport. Signatures are made and checked
in exactly the form DCC's signing tool (`uk.co.smartdcc.boxed.xmldsig`) writes and DCC Boxed
accepts -- for that form with lxml's C14N and `cryptography` directly (the fast path,
`signature_profile`), for anything else with `signxml` over lxml (here):

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
  and 0.2 without): `dccsim.server.duis.signature_profile`, and what keeps it honest. The
  algorithms, ds: names and refusals both share are `dccsim.server.duis.xmldsig`'s.
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
  sets another for every kind, `codes={kind: code}` one per kind; `dccsim serve
  --signature-refused-code` sets `refused_code`. `pre_command_refused_code` (E1002, GBCS-03;
  `--pre-command-refused-code`) answers a SignedPreCommand that fails its GBCS check.
- A request without a readable `Header/RequestID` cannot be bound to a User: `InvalidField`, as
  the parser would raise, not `SignatureRefused`.
"""

from __future__ import annotations

import base64
import copy
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Protocol

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
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

from dccsim.server.core.codes import PRE_COMMAND_REFUSED, REFUSED_SIGNATURE, ResponseCode
from dccsim.server.core.errors import InvalidField
from dccsim.server.duis import signature_profile
from dccsim.server.duis.names import DS_NS, SR_NS
from dccsim.server.duis.safe import load_document
from dccsim.server.duis.writing import serialise
from dccsim.server.duis.xmldsig import (
    C14N,
    C14N_11,
    DS,
    ECDSA_SHA256,
    ENVELOPED,
    EXC_C14N,
    SHA256,
    SIGNATURE,
    RefusalKind,
    SignatureRefused,
    digest_mismatch,
    java_base64,
    remove_keeping_tail,
    signature_mismatch,
)

# Transforms a request's Reference may list: the enveloped-signature transform (required) and a
# canonicalisation (DCC's tool writes none; other signers write exclusive C14N).
_ALLOWED_TRANSFORMS = frozenset({ENVELOPED, EXC_C14N, C14N, C14N_11})
_REQUEST_ID = f"{{{SR_NS}}}Header/{{{SR_NS}}}RequestID"
_RESPONSE_CODE = f"{{{SR_NS}}}Header/{{{SR_NS}}}ResponseCode"
# A certificate serial is at most 20 octets (RFC 5280): 49 decimal digits. Checked as text before
# int(), which is quadratic in the number of digits.
_SERIAL = re.compile(r"\+?[0-9]{1,60}")
_ERROR_CODES = frozenset(code.value for code in ResponseCode if code.is_error)


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


# -- refusals (the kinds and the exception: dccsim.server.duis.xmldsig) ----------------------------


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
    `refused_code` answers every refusal; `codes` overrides it for some kinds.
    `pre_command_refused_code` answers a CV 5/6/7 whose SignedPreCommand fails its GBCS check
    (GBCS-03; the server's GbcsHooks, checked whatever `verify` says): it travels here because
    these settings are what a server is told about refusing a signature."""

    verify: bool = True
    refused_code: str = REFUSED_SIGNATURE.value
    codes: Mapping[RefusalKind, str] = field(default_factory=dict)
    pre_command_refused_code: str = PRE_COMMAND_REFUSED.value

    def __post_init__(self) -> None:
        named = [
            ("refused_code", self.refused_code),
            ("pre_command_refused_code", self.pre_command_refused_code),
            *((f"codes[{kind}]", code) for kind, code in self.codes.items()),
        ]
        for where, code in named:
            # Only the codes dccsim can answer with: the answer is built as a ResponseCode.
            if code not in _ERROR_CODES:
                raise ValueError(f"{where}: {code!r} is not a DUIS error code dccsim knows")
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
        self._template = signature_profile.signature_template(copy.deepcopy(self._key_info))

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
        for old in root.findall(SIGNATURE):
            remove_keeping_tail(old)
        signed = signature_profile.sign(root, self._key, self._template)
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
    value = signed.find("ds:Signature/ds:SignatureValue", DS)
    assert value is not None and value.text is not None  # signxml has just written it
    value.text = java_base64(value.text)
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
    key_info = etree.Element(f"{{{DS_NS}}}KeyInfo", nsmap=DS)
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
    in_profile = signature_profile.in_duis_profile(root, signature)
    serial, issuer = _check_form(signature, in_profile=in_profile)
    credential = lookup.by_serial(serial)
    if credential is None:
        raise SignatureRefused(
            f"no certificate in the keystore has serial {serial} (0x{serial:X}, issuer {issuer!r})",
            RefusalKind.UNKNOWN_CERTIFICATE,
        )
    originator = _originator(root)
    _check_owner(credential.certificate, originator, serial)
    if not (
        in_profile
        and signature_profile.verify(root, signature, credential.certificate, in_profile=True)
    ):
        _verify_signxml(root, credential.certificate)
    return VerifiedSignature(credential, serial, issuer, originator)


def _the_signature(root: etree._Element) -> etree._Element:
    found = list(root.iter(SIGNATURE))
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
        found = signature.findall(path, DS)
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
    transforms = [t.get("Algorithm") for t in reference.findall("ds:Transforms/ds:Transform", DS)]
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
        raise digest_mismatch(str(error)) from None
    except InvalidSignature as error:
        raise signature_mismatch(certificate, str(error)) from None
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
