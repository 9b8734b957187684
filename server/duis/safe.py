"""Safe XML loading: every DUIS document dccsim reads goes through `load_document`.

- lxml parses with entity resolution, DTD loading and network access off, and libxml2's resource
  limits on (`huge_tree=False`): no external entity is fetched and no entity is expanded.
- A document with a DOCTYPE or an entity declaration is refused before and after parsing: DUIS
  documents have none.
- A document nested deeper than `MAX_DEPTH` elements is refused (libxml2 itself stops at 256).
- A document with more than `MAX_MARKUP` markup openings (`<`: every element, end tag, comment
  and processing instruction starts with one) is refused before any tree is built (SEC-04): a
  document of the largest size made of empty elements would otherwise cost seconds of CPU and
  hundreds of MB as a tree before its depth or content could be refused. The largest valid DUIS
  request (an 11.1 DeviceIDList of 1,199,999 characters: about 27,000 IDs) has about 55,000.
- A document larger than `MAX_DOCUMENT_BYTES` is refused unread. That size is above any valid DUIS
  request: a FirmwareImage of 10,240,000 base64 characters plus a DeviceIDList of 1,199,999.
- **Decision**: libxml2's limit on one text node (10,000,000 characters) is below DUIS's
  FirmwareImage maximum (10,240,000). A document refused *only* for that limit, and within
  `MAX_DOCUMENT_BYTES`, is parsed again with that limit lifted (`huge_tree=True`); every other
  protection stays (entities are still neither resolved nor expanded, and libxml2's entity
  amplification check still runs), and the parser's callers check each field's own limit.

Every refusal is an `InvalidField` naming the document or the element, and changes nothing.
"""

from __future__ import annotations

import re

from lxml import etree

from dccsim.server.core.errors import InvalidField

MAX_DEPTH = 64
MAX_DOCUMENT_BYTES = 12 * 1024 * 1024
MAX_MARKUP = 120_000
_TEXT_TOO_LONG = "Text node too long"
# Looked for in the raw bytes; a document that is not ASCII-compatible is refused first, so an
# encoding cannot hide these from the check.
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_UTF8_BOM = b"\xef\xbb\xbf"


def _parser(huge: bool) -> etree.XMLParser:
    # A fresh parser per call: lxml parsers are not safe to share between threads.
    return etree.XMLParser(
        huge_tree=huge,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=False,
    )


def load_document(xml: object) -> etree._ElementTree:
    """Parse untrusted bytes into a tree, or raise InvalidField("document", why)."""
    if not isinstance(xml, bytes | bytearray | memoryview):
        raise InvalidField("document", f"a DUIS document is bytes, not {type(xml).__name__}")
    data = bytes(xml)
    if not data.strip():
        raise InvalidField("document", "is empty")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InvalidField(
            "document",
            f"{len(data):,} bytes is larger than any valid DUIS request "
            f"({MAX_DOCUMENT_BYTES:,} bytes; a FirmwareImage holds at most 10,240,000 base64 "
            "characters)",
        )
    start = data.removeprefix(_UTF8_BOM).lstrip()
    if not start.startswith(b"<") or b"\x00" in data:
        raise InvalidField("document", "is not XML (DUIS documents are UTF-8 and begin with '<')")
    markup = data.count(b"<")
    if markup > MAX_MARKUP:
        raise InvalidField(
            "document",
            f"has {markup:,} elements, tags or comments; a DUIS request has at most {MAX_MARKUP:,}",
        )
    if _DECLARATION.search(data):
        raise InvalidField(
            "document", "a DOCTYPE or ENTITY declaration is not allowed in a DUIS document"
        )
    try:
        tree = _parse(data, huge=False)
    except etree.XMLSyntaxError as error:
        if _TEXT_TOO_LONG not in str(error):
            raise _refusal(error) from None
        try:
            tree = _parse(data, huge=True)
        except etree.XMLSyntaxError as second:
            raise _refusal(second) from None
    docinfo = tree.docinfo
    # lxml-stubs lacks DocInfo.doctype (lxml has had it since 2.0)
    doctype = docinfo.doctype  # type: ignore[attr-defined]
    if doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise InvalidField("document", "a DOCTYPE is not allowed in a DUIS document")
    check_depth(tree.getroot())
    return tree


def _parse(data: bytes, *, huge: bool) -> etree._ElementTree:
    return etree.fromstring(data, _parser(huge)).getroottree()


def _refusal(error: etree.XMLSyntaxError) -> InvalidField:
    message = str(error)
    if "depth" in message.lower():
        return InvalidField("document", f"is nested deeper than {MAX_DEPTH} elements")
    if "amplification" in message.lower():
        return InvalidField("document", f"entity expansion refused: {message}")
    return InvalidField("document", f"is not well-formed XML: {message}")


# True when a node the walk below would visit (an element, comment or processing instruction:
# not text) lies deeper than MAX_DEPTH below the context element, which is depth 1. libxml2
# answers it in C, at a fraction of the walk's cost; the walk then only runs to name the branch.
# Compiled once (compiling it was most of the check's cost); lxml's XPath evaluators take a lock
# of their own while they run, so threads may share it.
_DEEPER_THAN_MAX = etree.XPath(
    "boolean(self::*" + "/*" * (MAX_DEPTH - 1) + "/node()[not(self::text())])"
)


def check_depth(root: etree._Element) -> None:
    """Refuse a tree nested deeper than MAX_DEPTH, naming the branch that goes too deep."""
    if next(root.iter(etree.Entity), None) is None and not _DEEPER_THAN_MAX(root):
        return
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if isinstance(element, etree._Entity):
            raise InvalidField("document", "entity references are not allowed")
        if depth > MAX_DEPTH:
            raise InvalidField(
                _branch(element), f"is nested deeper than {MAX_DEPTH} elements in the document"
            )
        stack.extend((child, depth + 1) for child in element)


def _branch(element: etree._Element) -> str:
    """The first steps below the root of a too-deep element's path, e.g. `Body/TopUpDevice/…`."""
    names = [etree.QName(a).localname for a in element.iterancestors() if isinstance(a.tag, str)]
    names.reverse()
    return "/".join(names[1:4]) + "/…"
