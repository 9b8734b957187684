"""DUIS XML inputs for the gateway fuzzers: DCC's public request templates and its RTDS's (every
SRV) mutated in their tree (drop, duplicate, reorder, rename, re-namespace, new text, crossover
between templates), then sometimes in their bytes (truncation, DOCTYPE and entity attacks, other
encodings, flipped bytes); and documents that are not DUIS at all."""

from __future__ import annotations

import base64
import contextlib
import copy
from collections.abc import Callable

from hypothesis import strategies as st
from lxml import etree

from dccsim.server.core.fleet import EXAMPLE_MPAN, SUPPLIER_A
from dccsim.server.duis.names import DS_NS, SR_NS
from tests.conftest import RTDS_DIR
from tests.duis.documents import (
    REQUESTS_DIR,
    request_xml,
    rtds_paths,
    template_document,
)
from tests.fuzz.harness import Seasoned
from tests.fuzz.strategies import ACB, DEVICE_IDS, text_value, value_like

# The templates, by folder and file name; empty when ../shared is absent (the tests that need
# them skip): DCC's public request templates, and the RTDS's, one or more for every SRV, each as
# its eligible User sends it (`template_document`), so that mutations reach every SRV's body.
TEMPLATES: dict[str, bytes] = {
    **{f"requests/{p.name}": p.read_bytes() for p in sorted(REQUESTS_DIR.glob("*.XML"))},
    **{f"rtds/{p.name}": template_document(p) for p in rtds_paths()},
}
NO_TEMPLATES = f"DCC's DUIS request templates are not in {REQUESTS_DIR} or {RTDS_DIR}"


def signed_leg(seasoned: Seasoned) -> bytes:
    """The CV 5 leg of the seasoned DSP's pending 11.3 PreCommand: a document that is accepted,
    whose mutations test the signed path (REQ-05)."""
    rid, payload = seasoned.pre_command
    body = (
        "<sr:SignedPreCommand><sr:GBCSPayload>"
        f"{base64.b64encode(payload).decode()}</sr:GBCSPayload></sr:SignedPreCommand>"
    )
    return request_xml("11.3", body, request_id=str(rid), cv=5)


def _rid(target: str, counter: int) -> str:
    return f"{SUPPLIER_A}:{target}:{counter}"


def synthetic_documents() -> list[bytes]:
    """Well-formed requests for the forms the public templates do not show, so that mutations
    reach their checks too: 8.2 by MPxN and UPRN, each 8.4 change, 12.1 by UPRN, a future-dated
    11.2, the Header's optional elements, and an SRV that is validated but not simulated."""
    acb, esme, chf = ACB, DEVICE_IDS[0], DEVICE_IDS[2]
    inventory = (
        "<sr:UpdateInventory><sr:DeviceID>{device}</sr:DeviceID>{change}</sr:UpdateInventory>"
    )
    details = (
        "<sr:UpdateDeviceDetails><sr:DeviceManufacturer>DCCSIM</sr:DeviceManufacturer>"
        "<sr:DeviceModel>ESME-S2</sr:DeviceModel><sr:SMETSCHTSVersion>SMETS2v4</sr:SMETSCHTSVersion>"
        "<sr:FirmwareVersion>0100</sr:FirmwareVersion><sr:ESMEVariant>B</sr:ESMEVariant>"
        "</sr:UpdateDeviceDetails>"
    )
    changes = [
        (esme, "<sr:UpdateDeviceStatusExceptCH>Pending</sr:UpdateDeviceStatusExceptCH>"),
        (chf, "<sr:UpdateDeviceStatusCH>Withdrawn</sr:UpdateDeviceStatusCH>"),
        (esme, details),
        (
            esme,
            "<sr:UpdateDeviceDetails><sr:ESMEVariant>B</sr:ESMEVariant></sr:UpdateDeviceDetails>",
        ),
        (esme, "<sr:UpdateMPxN><sr:ImportMPxN>1100000000002</sr:ImportMPxN></sr:UpdateMPxN>"),
        (esme, "<sr:UpdateMPxN><sr:ExportMPAN>1100000000003</sr:ExportMPAN></sr:UpdateMPxN>"),
    ]
    documents = [
        request_xml(
            "8.2",
            f"<sr:ReadInventory><sr:MPxN>{EXAMPLE_MPAN}</sr:MPxN></sr:ReadInventory>",
            request_id=_rid(acb, 2001),
            cv=8,
        ),
        request_xml(
            "8.2",
            "<sr:ReadInventory><sr:UPRN>100000000001</sr:UPRN></sr:ReadInventory>",
            request_id=_rid(acb, 2002),
            cv=8,
        ),
        request_xml(
            "12.1",
            "<sr:RequestWANMatrix><sr:UPRN>100000000001</sr:UPRN></sr:RequestWANMatrix>",
            request_id=_rid(acb, 2003),
            cv=8,
        ),
        request_xml(
            "11.2",
            "<sr:ReadFirmwareVersion><sr:ExecutionDateTime>2026-02-01T00:00:00Z</sr:ExecutionDateTime></sr:ReadFirmwareVersion>",
            request_id=_rid(esme, 2004),
            cv=1,
        ),
        request_xml(
            "3.1",
            "<sr:DisplayMessage><sr:ExecutionDateTime>2026-02-01T00:00:00Z</sr:ExecutionDateTime></sr:DisplayMessage>",
            request_id=_rid(esme, 2005),
            cv=1,
        ),
    ]
    for offset, (device, change) in enumerate(changes):
        body = inventory.format(device=device, change=change)
        documents.append(request_xml("8.4", body, request_id=_rid(acb, 2100 + offset), cv=8))
    header_extras = request_xml(
        "11.2", "<sr:ReadFirmwareVersion/>", request_id=_rid(esme, 2200), cv=1
    ).replace(
        b"<sr:CommandVariant>",
        f"<sr:FirstInSequence>true</sr:FirstInSequence><sr:PrecedingServiceRequestID>"
        f"{_rid(esme, 1)}</sr:PrecedingServiceRequestID><sr:CommandVariant>".encode(),
    )
    documents.append(header_extras)
    return documents


# Element names the parser knows that no template uses.
MORE_NAMES = (
    "UPRN", "MPxN", "PropertyFilter", "PartialAddress", "UpdateDeviceStatusExceptCH",
    "UpdateDeviceStatusCH", "UpdateDeviceDetails", "DeleteDevice", "UpdateMPxN", "ExportMPAN",
    "SecondaryImportMPAN", "DeviceManufacturer", "DeviceModel", "SMETSCHTSVersion",
    "ESMEVariant", "FirstInSequence", "PrecedingServiceRequestID", "SignedPreCommand",
    "GBCSPayload", "Signature", "Response", "Request",
)  # fmt: skip


def element_names(documents: list[bytes]) -> list[str]:
    names: set[str] = set(MORE_NAMES)
    for document in documents:
        names.update(
            etree.QName(e).localname for e in etree.fromstring(document).iter(etree.Element)
        )
    return sorted(names)


NAMESPACES = (
    SR_NS,
    DS_NS,
    "",
    "urn:wrong",
    SR_NS + "/",
    SR_NS.upper(),
    "http://www.w3.org/1999/xhtml",
)
VERSIONS = (
    "5.1",
    "5.2",
    "5.3",
    "5.4",
    "5.10",
    " 5.2 ",
    "5.0",
    "5.5",
    "6",
    "",
    "5.2.1",
    "NaN",
    "1E+9",
)

Mutation = Callable[[st.DrawFn, etree._Element, list[bytes]], None]


def _elements(root: etree._Element) -> list[etree._Element]:
    return [e for e in root.iter() if isinstance(e.tag, str)]


def _pick(draw: st.DrawFn, root: etree._Element, *, not_root: bool = True) -> etree._Element | None:
    """Any element, with even chances: a draw from a list favours its first items, which would
    make the Header the target of most mutations."""
    candidates = _elements(root)[1:] if not_root else _elements(root)
    return draw(st.randoms(use_true_random=False)).choice(candidates) if candidates else None


def _drop(draw: st.DrawFn, root: etree._Element, _: list[bytes]) -> None:
    if (element := _pick(draw, root)) is not None:
        element.getparent().remove(element)


def _duplicate(draw: st.DrawFn, root: etree._Element, _: list[bytes]) -> None:
    if (element := _pick(draw, root)) is not None:
        element.addnext(copy.deepcopy(element))


def _reorder(draw: st.DrawFn, root: etree._Element, _: list[bytes]) -> None:
    parents = [e for e in _elements(root) if len(e) >= 2]
    if parents:
        parent = draw(st.sampled_from(parents))
        children = draw(st.permutations(list(parent)))
        for child in children:
            parent.append(child)


def _set_text(draw: st.DrawFn, root: etree._Element, _: list[bytes]) -> None:
    """A new value for a leaf: mostly one in the Body, where each SRV's own checks are, some in
    the Header; sometimes text inside a structure."""
    leaves = [e for e in _elements(root) if len(e) == 0]
    body = [e for e in leaves if any(etree.QName(a).localname == "Body" for a in e.iterancestors())]
    where = draw(st.integers(0, 9))
    pool = body if where < 6 and body else leaves if where < 9 else _elements(root)
    if pool:
        element = draw(st.randoms(use_true_random=False)).choice(pool)
        element.text = draw(value_like(element.text or ""))


def _tail_text(draw: st.DrawFn, root: etree._Element, _: list[bytes]) -> None:
    if (element := _pick(draw, root)) is not None:
        element.tail = draw(st.sampled_from(["x", " ", "\n  ", "0"]))


def _rename(draw: st.DrawFn, root: etree._Element, documents: list[bytes]) -> None:
    element = _pick(draw, root, not_root=draw(st.integers(0, 9)) > 0)
    if element is not None:
        name = draw(
            st.one_of(
                st.sampled_from(element_names(documents)),
                st.from_regex(r"[A-Za-z_][A-Za-z0-9_.-]{0,12}", fullmatch=True),
            )
        )
        element.tag = f"{{{etree.QName(element).namespace or ''}}}{name}".replace("{}", "")


def _renamespace(draw: st.DrawFn, root: etree._Element, _: list[bytes]) -> None:
    element = _pick(draw, root, not_root=draw(st.integers(0, 4)) > 0)
    if element is not None:
        namespace = draw(st.sampled_from(NAMESPACES))
        local = etree.QName(element).localname
        element.tag = f"{{{namespace}}}{local}" if namespace else local


def _attribute(draw: st.DrawFn, root: etree._Element, _: list[bytes]) -> None:
    element = _pick(draw, root, not_root=False)
    if element is None:
        return
    if element is root and draw(st.booleans()):
        if draw(st.integers(0, 5)) == 5:
            element.attrib.pop("schemaVersion", None)
        else:
            element.set("schemaVersion", draw(st.one_of(st.sampled_from(VERSIONS), text_value())))
        return
    name = draw(
        st.sampled_from(
            [
                "schemaVersion",
                "id",
                "{urn:x}a",
                "{http://www.w3.org/2001/XMLSchema-instance}nil",
                "{http://www.w3.org/2001/XMLSchema-instance}type",
            ]
        )
    )
    element.set(name, draw(st.sampled_from(["true", "5.2", "", "x" * 100])))


def _insert(draw: st.DrawFn, root: etree._Element, documents: list[bytes]) -> None:
    element = _pick(draw, root, not_root=False)
    if element is None:
        return
    kind = draw(st.integers(0, 3))
    if kind == 0:
        new: etree._Element = etree.Comment(draw(st.sampled_from(["c", "-", " x "])))
    elif kind == 1:
        new = etree.ProcessingInstruction("pi", "data")
    else:
        new = etree.Element(f"{{{SR_NS}}}{draw(st.sampled_from(element_names(documents)))}")
        new.text = draw(text_value())
    element.insert(draw(st.integers(0, len(element))), new)


def _crossover(draw: st.DrawFn, root: etree._Element, documents: list[bytes]) -> None:
    """Swap an element for one of the same name from another template: a Body from another SRV,
    a Header with another SRV or Command Variant."""
    donor = etree.fromstring(draw(st.sampled_from(documents)))
    element = _pick(draw, root)
    if element is None:
        return
    same = [
        e for e in _elements(donor) if etree.QName(e).localname == etree.QName(element).localname
    ]
    replacement = draw(st.sampled_from(same)) if same else draw(st.sampled_from(_elements(donor)))
    element.getparent().replace(element, copy.deepcopy(replacement))


# New values first and most often: they reach the deepest checks.
TREE_MUTATIONS: tuple[Mutation, ...] = (
    _set_text,
    _set_text,
    _set_text,
    _drop,
    _duplicate,
    _reorder,
    _tail_text,
    _rename,
    _renamespace,
    _attribute,
    _insert,
    _crossover,
    _crossover,
)

# -- byte-level mutations ------------------------------------------------------------------------

LAUGHS = "".join(
    f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' if n else '<!ENTITY l0 "lol">' for n in range(10)
)
DOCTYPES = (
    f"<!DOCTYPE sr:Request [{LAUGHS}]>",
    '<!DOCTYPE sr:Request [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    '<!DOCTYPE sr:Request SYSTEM "http://127.0.0.1:1/duis.dtd">',
    '<!DOCTYPE sr:Request [<!ENTITY % p SYSTEM "http://127.0.0.1:1/p.dtd"> %p;]>',
    "<!doctype sr:Request>",
    "<! DOCTYPE x>",
    "<!DOCTYPE sr:Request [<!ELEMENT sr:Request ANY>"
    '<!ATTLIST sr:Request schemaVersion CDATA "5.2">]>',
)
ENTITY_REFERENCES = (
    "&l9;",
    "&xxe;",
    "&amp;",
    "&#0;",
    "&#1;",
    "&#xD800;",
    "&#x110000;",
    "&#65;",
    "&undefined;",
)


def _truncate(draw: st.DrawFn, data: bytes) -> bytes:
    return data[: draw(st.integers(1, max(1, len(data) - 1)))]


def _attack(draw: st.DrawFn, data: bytes) -> bytes:
    """A DOCTYPE or entity attack after the XML declaration, with entity references in it."""
    text = data.decode("utf-8", "replace")
    doctype = draw(st.sampled_from(DOCTYPES))
    reference = draw(st.sampled_from(ENTITY_REFERENCES))
    cut = text.find("?>") + 2 if text.startswith("<?xml") else 0
    body = text[cut:].replace("</sr:Header>", f"</sr:Header>{reference}", 1)
    if draw(st.booleans()):
        body = body.replace(">", f">{reference}", 3)
    return (text[:cut] + doctype + body).encode("utf-8", "replace")


def _reencode(draw: st.DrawFn, data: bytes) -> bytes:
    """Another encoding, declared or not."""
    encoding = draw(st.sampled_from(["utf-16", "utf-16-le", "utf-32", "latin-1", "cp500"]))
    text = data.decode("utf-8", "replace")
    if draw(st.booleans()):
        text = text.replace('encoding="UTF-8"', f'encoding="{encoding}"')
    return text.encode(encoding, "replace")


def _insert_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    position = draw(st.integers(0, len(data)))
    inserted = draw(st.one_of(st.binary(min_size=1, max_size=8), st.sampled_from(BAD_UTF8)))
    return data[:position] + inserted + data[position:]


def _flip(draw: st.DrawFn, data: bytes) -> bytes:
    mutable = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        if mutable:
            mutable[draw(st.integers(0, len(mutable) - 1))] ^= draw(st.integers(1, 255))
    return bytes(mutable)


def _prefix(draw: st.DrawFn, data: bytes) -> bytes:
    return draw(st.sampled_from(PREFIXES)) + data


def _reference_in_value(draw: st.DrawFn, data: bytes) -> bytes:
    """An entity or character reference inside a value."""
    reference = draw(st.sampled_from(ENTITY_REFERENCES)).encode()
    close = data.find(b"</", draw(st.integers(0, len(data))))
    return data[:close] + reference + data[close:] if close >= 0 else data + reference


def _repeat(draw: st.DrawFn, data: bytes) -> bytes:
    start = draw(st.integers(0, len(data)))
    end = draw(st.integers(start, len(data)))
    return data[:end] + data[start:end] * draw(st.integers(1, 3)) + data[end:]


def _cdata(draw: st.DrawFn, data: bytes) -> bytes:
    """A value wrapped in CDATA: the same text, another syntax."""
    close = data.find(b"</", draw(st.integers(0, len(data))))
    start = data.rfind(b">", 0, close) + 1 if close > 0 else 0
    if close > 0 and start > 0:
        return data[:start] + b"<![CDATA[" + data[start:close] + b"]]>" + data[close:]
    return data


def _undeclared_prefix(draw: st.DrawFn, data: bytes) -> bytes:
    return data.replace(b"sr:", b"xx:", draw(st.integers(1, 3)))


BAD_UTF8 = (b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc0\xaf", b"\x00")
PREFIXES = (b"\xef\xbb\xbf", b"\xef\xbb\xbf\xef\xbb\xbf", b" \n", b"\x00", b"\xfe\xff", b"<!-- -->")
# The first is what a draw tends to: the mildest.
BYTE_MUTATIONS: tuple[Callable[[st.DrawFn, bytes], bytes], ...] = (
    _cdata,
    _repeat,
    _flip,
    _truncate,
    _attack,
    _reencode,
    _insert_bytes,
    _prefix,
    _reference_in_value,
    _undeclared_prefix,
)


@st.composite
def mutated_template(draw: st.DrawFn, documents: list[bytes]) -> bytes:
    """A template (or the signed leg), mutated 1-4 times in its tree and, about one time in
    five, in its bytes."""
    root = etree.fromstring(draw(st.sampled_from(documents)))
    for _ in range(draw(st.integers(1, 4))):
        mutation = draw(st.sampled_from(TREE_MUTATIONS))
        # lxml refuses a name or a text that XML cannot hold: that mutation is skipped.
        with contextlib.suppress(ValueError):
            mutation(draw, root, documents)
    data = etree.tostring(root, xml_declaration=draw(st.booleans()), encoding="UTF-8")
    if draw(st.integers(0, 4)) == 4:
        data = draw(st.sampled_from(BYTE_MUTATIONS))(draw, data)
    return data


# Fragments that look like XML, for documents that are XML-ish noise.
FRAGMENTS = (
    "<?xml version='1.0'?>",
    f'<sr:Request xmlns:sr="{SR_NS}" schemaVersion="5.2">',
    "</sr:Request>",
    "<sr:Header>",
    "</sr:Header>",
    "<sr:Body>",
    "</sr:Body>",
    "<sr:RequestID>",
    "</sr:RequestID>",
    "<sr:ReadFirmwareVersion/>",
    "<a>",
    "</a>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "&amp;",
    "&l9;",
    "<!DOCTYPE x>",
    "\x00",
    "\ufffe",
)

noise = st.one_of(
    st.binary(max_size=600),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=10)), max_size=30).map(
        lambda parts: "".join(parts).encode("utf-8", "surrogatepass")
    ),
)
