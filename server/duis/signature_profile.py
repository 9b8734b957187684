"""DUIS's one form of XML signature, made and checked without signxml (BOXED-03/04; the fast
path of docs/decisions.md, "Signatures"). `signing` calls it first and signxml for the rest.

signxml serialises and re-parses the whole document three to five times per signature (its
defence against namespace context leaking between a copied node and its old document), which
cost 0.6 ms to sign and 1 ms to verify a DUIS document, 60% of a signed HTTP SR's server CPU.
DUIS uses one form of signature, so for exactly that form the same octets are canonicalised
with lxml (libxml2's C14N, the one signxml calls) and signed or checked with `cryptography` (as
signxml does), on the tree as it is. Anything else -- other algorithms, InclusiveNamespaces, a
KeyValue, an Object, attributes or comments in the signature, nodes beside the root element --
goes to signxml, whose answer it was before. tests/duis/test_signing.py holds the two to each
other and to DCC's signing tool, both ways.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature as CryptographyInvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from lxml import etree

from dccsim.server.duis.writing import serialise
from dccsim.server.duis.xmldsig import (
    C14N,
    DS,
    ECDSA_SHA256,
    ENVELOPED,
    EXC_C14N,
    SHA256,
    SIGNATURE,
    RefusalKind,
    SignatureRefused,
    digest_mismatch,
    ds,
    java_base64,
    remove_keeping_tail,
    signature_mismatch,
)

_TRANSFORMS_INCLUSIVE = ((ENVELOPED,), (ENVELOPED, C14N))
_TRANSFORMS_EXCLUSIVE = ((ENVELOPED, EXC_C14N),)
_XML_SPACE = " \t\r\n"
_ECDSA_SHA256 = ec.ECDSA(hashes.SHA256())


# The one shape of a DUIS signature: (tag, attributes, children); children None is an element
# holding only text, () an empty one. "Transforms" holds one or two Transform elements (checked
# on their own).
_Shape = tuple[str, frozenset[str], "tuple[_Shape, ...] | None"]
_ALGORITHM = frozenset({"Algorithm"})
_NONE = frozenset[str]()
_TRANSFORM: _Shape = (ds("Transform"), _ALGORITHM, ())
_PROFILE: _Shape = (
    SIGNATURE,
    _NONE,
    (
        (
            ds("SignedInfo"),
            _NONE,
            (
                (ds("CanonicalizationMethod"), _ALGORITHM, ()),
                (ds("SignatureMethod"), _ALGORITHM, ()),
                (
                    ds("Reference"),
                    frozenset({"URI"}),
                    (
                        (ds("Transforms"), _NONE, (_TRANSFORM,)),
                        (ds("DigestMethod"), _ALGORITHM, ()),
                        (ds("DigestValue"), _NONE, None),
                    ),
                ),
            ),
        ),
        (ds("SignatureValue"), _NONE, None),
        (
            ds("KeyInfo"),
            _NONE,
            (
                (
                    ds("X509Data"),
                    _NONE,
                    (
                        (
                            ds("X509IssuerSerial"),
                            _NONE,
                            (
                                (ds("X509IssuerName"), _NONE, None),
                                (ds("X509SerialNumber"), _NONE, None),
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
    if sum(1 for _ in root.iter(SIGNATURE)) != 1:
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


def verify(
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
        raise signature_mismatch(certificate, "signature mismatch") from None
    exclusive = tuple(t.get("Algorithm") for t in reference[0]) in _TRANSFORMS_EXCLUSIVE
    digest = hashlib.sha256(_without_signature_c14n(root, signature, exclusive=exclusive)).digest()
    if not hmac.compare_digest(digest, expected_digest):
        raise digest_mismatch('digest mismatch for the Reference URI=""')
    return True


def _without_signature_c14n(
    root: etree._Element, signature: etree._Element, *, exclusive: bool
) -> bytes:
    """The enveloped-signature transform, then C14N: the document without its signature (whose
    tail text stays), canonicalised. On a copy (libxml2's, no re-parse): the caller's tree is
    not changed, even for a moment."""
    copied = copy.deepcopy(root)
    remove_keeping_tail(copied[root.index(signature)])
    return etree.tostring(copied, method="c14n", exclusive=exclusive, with_comments=False)


@dataclass(frozen=True, slots=True)
class SignatureTemplate:
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


def signature_template(key_info: etree._Element) -> SignatureTemplate:
    """The ds:Signature the fast path writes, built with the same calls as signxml's signer (so
    the same namespace declarations result), then copied into each document, a dozen element
    creations cheaper."""
    signature = etree.Element(SIGNATURE, nsmap=DS)
    signed_info = etree.SubElement(signature, ds("SignedInfo"), nsmap=DS)
    etree.SubElement(signed_info, ds("CanonicalizationMethod"), Algorithm=EXC_C14N)
    etree.SubElement(signed_info, ds("SignatureMethod"), Algorithm=ECDSA_SHA256)
    reference = etree.SubElement(signed_info, ds("Reference"), URI="")
    transforms = etree.SubElement(reference, ds("Transforms"))
    etree.SubElement(transforms, ds("Transform"), Algorithm=ENVELOPED)
    etree.SubElement(reference, ds("DigestMethod"), Algorithm=SHA256)
    etree.SubElement(reference, ds("DigestValue"))
    etree.SubElement(signature, ds("SignatureValue"))
    signature.append(key_info)
    probe = copy.deepcopy(signature)
    probe[0][2][2].text = _DIGEST_MARK
    before, after = etree.tostring(
        probe[0], method="c14n", exclusive=True, with_comments=False
    ).split(_DIGEST_MARK.encode())
    return SignatureTemplate(signature, (before, after))


def sign(
    root: etree._Element, key: ec.EllipticCurvePrivateKey, template: SignatureTemplate
) -> bytes | None:
    """Sign a tree of our own (`root` gains a copy of `signature_template`'s signature, filled
    in) exactly as `signing`'s signxml path does, or None, changing nothing, for a document
    outside the profile."""
    if not _alone(root) or next(root.iter(SIGNATURE), None) is not None:
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
    value.text = java_base64(
        base64.b64encode(r.to_bytes(32, "big") + s.to_bytes(32, "big")).decode()
    )
    return serialise(root)
