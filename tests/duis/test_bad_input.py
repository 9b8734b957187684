"""Bad DUIS documents (BAD-01, BAD-02): each is refused with an InvalidField naming what is wrong,
changes nothing in the DSP, consumes no counter, and the next good document is still served."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from dccsim.server.core.dsp import Dsp
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.fleet import SUPPLIER_A
from dccsim.server.duis.parse import ParsedRequest, parse_request
from dccsim.server.duis.safe import MAX_DEPTH, MAX_DOCUMENT_BYTES, check_depth
from dccsim.server.duis.schemas import DuisSchemas
from tests.conftest import ESME, Sim
from tests.duis.documents import (
    COS_BODY,
    XSD_5_1,
    XSD_5_3A,
    OfficialSchemas,
    b64,
    request_xml,
    served,
)

ACB = "90-B3-D5-1F-30-00-00-02"
COUNTER = 7000
RID = f"{SUPPLIER_A}:{ESME}:{COUNTER}"
UTRN = "73946144332040217315"
TOP_UP = f"<sr:TopUpDevice><sr:UTRN>{UTRN}</sr:UTRN></sr:TopUpDevice>"
GOOD = request_xml("2.2", TOP_UP, request_id=RID, cv=1)
HASH = "AA758690730934FF0685AA758690730934FF0685657788990011223344556677"
LAUGHS = "".join(
    f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' if n else '<!ENTITY lol0 "lol">' for n in range(10)
)


def _top_up(body: str = TOP_UP, **options: object) -> bytes:
    return request_xml("2.2", body, **{"request_id": RID, "cv": 1, **options})


def _with_doctype(doctype: str, content: str) -> bytes:
    document = GOOD.decode().replace(f"<sr:UTRN>{UTRN}</sr:UTRN>", f"<sr:UTRN>{content}</sr:UTRN>")
    return document.replace("<sr:Request", f"{doctype}\n<sr:Request", 1).encode()


def _firmware(image: str, devices: str = ESME) -> bytes:
    body = (
        f"<sr:UpdateFirmware><sr:FirmwareImage>{image}</sr:FirmwareImage>"
        f"<sr:FirmwareVersion>0200</sr:FirmwareVersion>"
        f"<sr:DeviceIDList>{devices}</sr:DeviceIDList></sr:UpdateFirmware>"
    )
    return request_xml("11.1", body, request_id=f"{SUPPLIER_A}:{ACB}:{COUNTER}", cv=8)


def _nested(depth: int) -> bytes:
    inner = "<sr:X>" * depth + "</sr:X>" * depth
    return _top_up(f"<sr:TopUpDevice><sr:UTRN>{UTRN}</sr:UTRN>{inner}</sr:TopUpDevice>")


@dataclass(frozen=True)
class Bad:
    name: str
    document: object
    field: str
    reason: str  # a fragment of the explanation


BAD = [
    Bad("not-xml", b"this is not XML", "document", "is not XML"),
    Bad("empty", b"", "document", "is empty"),
    Bad("truncated", GOOD[:300], "document", "not well-formed"),
    Bad("text-not-bytes", GOOD.decode(), "document", "is bytes, not str"),
    Bad("utf-16", GOOD.decode().replace("UTF-8", "UTF-16").encode("utf-16"), "document", "UTF-8"),
    Bad(
        "wrong-namespace",
        _top_up(namespace="http://example.com/not-duis"),
        "Request",
        "in namespace 'http://example.com/not-duis', not DUIS's",
    ),
    Bad(
        "a-response-not-a-request",
        GOOD.replace(b"sr:Request", b"sr:Response"),
        "Request",
        "is sr:Response, not sr:Request",
    ),
    Bad("schema-version", _top_up(schema_version="4.0"), "Request/@schemaVersion", "5.1 to 5.4"),
    Bad(
        "unknown-srv",
        request_xml("99.9", TOP_UP, request_id=RID, cv=1),
        "Header/ServiceReferenceVariant",
        "'99.9' is not a DUIS Service Reference Variant",
    ),
    Bad(
        "reference-mismatch",
        _top_up(reference="2.1"),
        "Header/ServiceReference",
        "does not match ServiceReferenceVariant '2.2'",
    ),
    Bad(
        "missing-command-variant",
        GOOD.replace(b"<sr:CommandVariant>1</sr:CommandVariant>", b""),
        "Header/CommandVariant",
        "is required here; found sr:ServiceReference",
    ),
    Bad("command-variant-9", _top_up(cv=9), "Header/CommandVariant", "not a Command Variant"),
    Bad(
        "bad-request-id",
        _top_up(request_id="not-a-request-id"),
        "Header/RequestID",
        "originator:target:counter",
    ),
    Bad(
        "unexpected-header-element",
        GOOD.replace(b"</sr:Header>", b"<sr:Extra>1</sr:Extra></sr:Header>"),
        "Header/Extra",
        "is not expected here",
    ),
    Bad(
        "text-in-header",
        GOOD.replace(b"<sr:Header>", b"<sr:Header>stray text"),
        "Header",
        "holds text where only elements belong",
    ),
    Bad(
        "body-for-another-srv",
        request_xml("11.2", TOP_UP, request_id=RID, cv=1),
        "Body/TopUpDevice",
        "SRV 11.2 takes a ReadFirmwareVersion body, not TopUpDevice",
    ),
    Bad("empty-body", _top_up(""), "Body", "is empty"),
    Bad("two-bodies", _top_up(TOP_UP + TOP_UP), "Body/TopUpDevice", "holds exactly one element"),
    Bad(
        "foreign-body",
        _top_up('<x:TopUpDevice xmlns:x="urn:other"/>'),
        "Body/TopUpDevice",
        "is in namespace 'urn:other'",
    ),
    Bad(
        "missing-utrn",
        _top_up("<sr:TopUpDevice/>"),
        "Body/TopUpDevice/UTRN",
        "is required here; it is missing",
    ),
    Bad(
        "short-utrn",
        _top_up("<sr:TopUpDevice><sr:UTRN>1234</sr:UTRN></sr:TopUpDevice>"),
        "Body/TopUpDevice/UTRN",
        "exactly 20 digits",
    ),
    Bad(
        "unexpected-body-element",
        _top_up(f"<sr:TopUpDevice><sr:UTRN>{UTRN}</sr:UTRN><sr:Tip>1</sr:Tip></sr:TopUpDevice>"),
        "Body/TopUpDevice/Tip",
        "is not expected here",
    ),
    Bad(
        "bad-firmware-hash",
        request_xml(
            "11.3",
            "<sr:ActivateFirmware><sr:FirmwareHash>XYZ</sr:FirmwareHash></sr:ActivateFirmware>",
            request_id=RID,
            cv=4,
        ),
        "Body/ActivateFirmware/FirmwareHash",
        "64 hex digits",
    ),
    Bad(
        "bad-execution-datetime",
        request_xml(
            "11.2",
            "<sr:ReadFirmwareVersion><sr:ExecutionDateTime>tomorrow</sr:ExecutionDateTime>"
            "</sr:ReadFirmwareVersion>",
            request_id=RID,
            cv=1,
        ),
        "Body/ReadFirmwareVersion/ExecutionDateTime",
        "is not an xs:dateTime",
    ),
    Bad(
        "signed-pre-command-with-cv-1",
        request_xml(
            "11.3",
            "<sr:SignedPreCommand><sr:GBCSPayload>AAAA</sr:GBCSPayload></sr:SignedPreCommand>",
            request_id=RID,
            cv=1,
        ),
        "Header/CommandVariant",
        "sent with Command Variant 5, 6 or 7, not 1",
    ),
    Bad(
        "cv-5-without-signed-pre-command",
        request_xml(
            "11.3",
            f"<sr:ActivateFirmware><sr:FirmwareHash>{HASH}</sr:FirmwareHash></sr:ActivateFirmware>",
            request_id=RID,
            cv=5,
        ),
        "Body/ActivateFirmware",
        "Command Variant 5 carries a SignedPreCommand",
    ),
    Bad(
        "bad-base64-image", _firmware("not base64!"), "Body/UpdateFirmware/FirmwareImage", "base64"
    ),
    Bad(
        "bad-device-id-list",
        _firmware("AAAA", f"{ESME},00-DB-12"),
        "Body/UpdateFirmware/DeviceIDList",
        "'00-DB-12' is not an EUI-64",
    ),
    Bad(
        "oversized-firmware-image",
        _firmware("A" * 10_240_004),
        "Body/UpdateFirmware/FirmwareImage",
        "10,240,004 base64 characters exceeds DUIS's 10,240,000",
    ),
    Bad(
        "oversized-document",
        _firmware("A" * (MAX_DOCUMENT_BYTES + 1)),
        "document",
        "larger than any valid DUIS request",
    ),
    Bad(
        "billion-laughs",
        _with_doctype(f"<!DOCTYPE lolz [{LAUGHS}]>", "&lol9;"),
        "document",
        "DOCTYPE or ENTITY declaration is not allowed",
    ),
    Bad(
        "external-entity",
        _with_doctype('<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "&x;"),
        "document",
        "DOCTYPE or ENTITY declaration is not allowed",
    ),
    Bad("undeclared-entity", _with_doctype("", "&x;"), "document", "Entity 'x' not defined"),
    Bad(
        "nested-too-deep",
        _nested(MAX_DEPTH),
        "Body/TopUpDevice/X/…",
        f"nested deeper than {MAX_DEPTH} elements",
    ),
    Bad("nested-far-too-deep", _nested(10_000), "document", f"nested deeper than {MAX_DEPTH}"),
]


def _state(dsp: Dsp) -> tuple[object, ...]:
    return (
        len(dsp.journal.events()),
        dsp.state.outboxes.snapshot(),
        tuple(dsp.state.smi),
        len(dsp.state.scheduler),
    )


@pytest.mark.spec("BAD-01", "BAD-02")
@pytest.mark.parametrize("bad", BAD, ids=lambda bad: bad.name)
def test_bad_document_is_refused_naming_the_problem_and_changes_nothing(sim: Sim, bad: Bad) -> None:
    before = _state(sim.dsp)

    with pytest.raises(InvalidField) as refused:
        served(sim.dsp, bad.document)  # type: ignore[arg-type]

    assert refused.value.field == bad.field
    assert bad.reason in refused.value.reason
    assert _state(sim.dsp) == before
    # The next good document is served, with the very counter the bad one carried: none consumed.
    _, answer, _ = served(sim.dsp, GOOD)
    assert answer.code == "I99"


@pytest.mark.spec("BAD-01")
def test_an_image_of_exactly_the_duis_maximum_is_accepted(sim: Sim) -> None:
    image = bytes(range(256)) * 30_000  # 7,680,000 bytes: 10,240,000 base64 characters
    assert len(b64(image)) == 10_240_000
    parsed, answer, _ = served(sim.dsp, _firmware(b64(image)))
    assert parsed.request.body.image == image
    assert answer.code == "I99"


@pytest.mark.spec("BAD-01")
def test_schema_violations_the_structural_check_does_not_see_are_refused_in_strict_mode(
    sim: Sim, schemas: OfficialSchemas
) -> None:
    strict = DuisSchemas([XSD_5_1, XSD_5_3A])
    no_signing_certificate = COS_BODY.replace(
        "<sr:DigitalSigningCertificate>ZGVmYXVsdA==</sr:DigitalSigningCertificate>", ""
    )
    document = request_xml("6.23", no_signing_certificate, request_id=RID, cv=1)
    assert isinstance(parse_request(document), ParsedRequest)  # structurally fine
    before = _state(sim.dsp)

    with pytest.raises(InvalidField) as refused:
        parse_request(document, schema=strict)

    assert (
        refused.value.field == "Body/UpdateSecurityCredentialsCoS/SupplierReplacementCertificates"
    )
    assert "DigitalSigningCertificate" in refused.value.reason
    assert "DUIS_Schema_V5.3a.xsd" in refused.value.reason  # a 5.4 request: the 5.2+ schema
    assert _state(sim.dsp) == before
    assert sim.dsp.submit(parse_request(GOOD, schema=strict).request).code == "I99"


@pytest.mark.spec("BAD-01")
def test_strict_mode_names_the_element_that_breaks_the_schema(schemas: OfficialSchemas) -> None:
    strict = DuisSchemas(XSD_5_3A)
    bad_utrn = _top_up("<sr:TopUpDevice><sr:UTRN>7394614433204021731X</sr:UTRN></sr:TopUpDevice>")

    with pytest.raises(InvalidField) as refused:
        parse_request(bad_utrn, schema=strict)

    assert refused.value.field == "Body/TopUpDevice/UTRN"
    assert "[0-9]{20}" in refused.value.reason
    # A compiled lxml schema works as well.
    with pytest.raises(InvalidField) as again:
        parse_request(bad_utrn, schema=schemas.v5_1)
    assert again.value.field == "Body/TopUpDevice/UTRN"


_MARKUP = st.sampled_from(
    [b"<", b">", b"&", b"/", b'"', b"]]>", b"<!DOCTYPE x>", b"&amp;", b"\x00", b"\xff", b"<sr:X>"]
)


@pytest.mark.spec("BAD-02")
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mangled_documents_are_parsed_or_refused_never_anything_else(data: st.DataObject) -> None:
    document = bytearray(GOOD)
    for _ in range(data.draw(st.integers(1, 4), label="edits")):
        at = data.draw(st.integers(0, len(document)), label="at")
        cut = data.draw(st.integers(0, 8), label="cut")
        insert = data.draw(st.one_of(_MARKUP, st.binary(max_size=4)), label="insert")
        document[at : at + cut] = insert
    try:
        parsed = parse_request(bytes(document))
    except InvalidField as error:
        assert error.field and error.reason
    else:
        assert parsed.request.srv == "2.2"


def _walk_refuses(root: etree._Element) -> bool:
    """The depth rule as a plain walk (the oracle): any element, comment or processing
    instruction deeper than MAX_DEPTH, the root being depth 1."""
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in node)
    return False


@pytest.mark.parametrize("extra", [-1, 0, 1, 2])
@pytest.mark.parametrize("leaf", ["<x/>", "<!-- c -->", "<?pi data?>", "text only", "<x>t</x><y/>"])
def test_the_depth_check_refuses_exactly_what_a_walk_would(extra: int, leaf: str) -> None:
    """`check_depth` answers most trees with one XPath question; held here to the walk it
    replaced, at and around the limit, for each kind of node at the bottom."""
    levels = MAX_DEPTH - 1 + extra  # elements below the root, then `leaf` inside the last
    document = "<r>" + "<e>" * levels + leaf + "</e>" * levels + "</r>"
    root = etree.fromstring(document)
    if _walk_refuses(root):
        with pytest.raises(InvalidField, match=f"nested deeper than {MAX_DEPTH}"):
            check_depth(root)
    else:
        check_depth(root)
    # The deepest <e> is at depth MAX_DEPTH + extra, the leaf one below it.
    assert _walk_refuses(root) == (extra >= 1 or (extra >= 0 and leaf != "text only"))
