"""Reading DUIS request bodies: the structural checks and value readers every body reader uses.
Each raises InvalidField naming the element by its path below the root."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

from lxml import etree

from dccsim.server.core.errors import InvalidField
from dccsim.server.core.requests import (
    RequestBody,
)
from dccsim.server.duis.names import DS_NS, SR_NS

# ASCII digits only: \d would also take other scripts' digits, which int() accepts.
_DATETIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})?"
)


_DIGITS = re.compile(r"[0-9]+")


Fields = dict[str, str]  # core field name -> element path


BodyReading = tuple[RequestBody, datetime | None, Fields]  # body, ExecutionDateTime, fields


Reader = Callable[[etree._Element, str], BodyReading]


def leading_execution_datetime(element: etree._Element, path: str) -> datetime | None:
    """An unserved SRV's ExecutionDateTime: DUIS puts it first in every future-datable body."""
    children = [c for c in element if isinstance(c.tag, str)]
    if children and children[0].tag == f"{{{SR_NS}}}ExecutionDateTime":
        return datetime_value(children[0], f"{path}/ExecutionDateTime")
    return None


def optional_datetime(parts: dict[str, list[etree._Element]], path: str) -> datetime | None:
    items = parts.get("ExecutionDateTime") or []
    return datetime_value(items[0], f"{path}/ExecutionDateTime") if items else None


def element_children(element: etree._Element, path: str) -> list[etree._Element]:
    """The element children of a complex element; text between them is refused."""
    where = path or "Request"
    if element.text and element.text.strip():
        raise InvalidField(where, "holds text where only elements belong")
    children = []
    for child in element:
        if child.tail and child.tail.strip():
            raise InvalidField(where, "holds text where only elements belong")
        if isinstance(child.tag, str):  # comments and processing instructions are skipped
            children.append(child)
    return children


def sequence(
    element: etree._Element, path: str, spec: list[tuple[str, int, int]]
) -> dict[str, list[etree._Element]]:
    """Match an element's children against `(name, min, max)` in order; names are sr: unless
    written `ds:Name`. Returns the children found for each name (by local name)."""
    children = element_children(element, path)
    prefix = f"{path}/" if path else ""
    found: dict[str, list[etree._Element]] = {}
    index = 0
    for name, low, high in spec:
        namespace, local = (DS_NS, name[3:]) if name.startswith("ds:") else (SR_NS, name)
        items: list[etree._Element] = []
        while (
            index < len(children)
            and len(items) < high
            and children[index].tag == f"{{{namespace}}}{local}"
        ):
            items.append(children[index])
            index += 1
        if len(items) < low:
            got = "it is missing"
            if index < len(children):
                got = f"found {describe(children[index])}"
            raise InvalidField(f"{prefix}{local}", f"is required here; {got}")
        found[local] = items
    if index < len(children):
        extra = children[index]
        raise InvalidField(f"{prefix}{etree.QName(extra).localname}", unexpected(extra))
    return found


def only_child(element: etree._Element, path: str) -> etree._Element:
    children = element_children(element, path)
    if not children:
        raise InvalidField(path, "is empty; it holds one element")
    for child in children:
        if etree.QName(child).namespace != SR_NS:
            raise InvalidField(f"{path}/{etree.QName(child).localname}", unexpected(child))
    if len(children) > 1:
        raise InvalidField(
            f"{path}/{etree.QName(children[1]).localname}", f"{path} holds exactly one element"
        )
    return children[0]


def describe(element: etree._Element) -> str:
    name = etree.QName(element)
    if name.namespace == SR_NS:
        return f"sr:{name.localname}"
    return f"{name.localname} in namespace {name.namespace!r}"


def unexpected(element: etree._Element) -> str:
    name = etree.QName(element)
    if name.namespace != SR_NS:
        return f"is in namespace {name.namespace!r}, not DUIS's {SR_NS!r}"
    return "is not expected here"


def text_value(element: etree._Element, path: str) -> str:
    if len(element):
        raise InvalidField(path, "must hold a value, not elements")
    return (element.text or "").strip()


def boolean_value(element: etree._Element, path: str) -> bool:
    text = text_value(element, path)
    if text not in ("true", "false", "1", "0"):
        raise InvalidField(path, f"{text!r} is not a boolean")
    return text in ("true", "1")


def unsigned_value(element: etree._Element, path: str) -> int:
    text = text_value(element, path)
    if _DIGITS.fullmatch(text) is None or len(text) > 20:
        raise InvalidField(path, f"{text!r} is not an unsigned number")
    return int(text)


def uprn_value(element: etree._Element, path: str) -> int:
    text = text_value(element, path)
    # Leading zeros are stripped before int(): thousands of them would make int() raise.
    significant = text.lstrip("0") if _DIGITS.fullmatch(text) else ""
    if not 1 <= len(significant) <= 12:
        raise InvalidField(path, f"{text!r} is not a UPRN (a positive number of up to 12 digits)")
    return int(significant)


def base64_value(element: etree._Element, path: str) -> bytes:
    if len(element):
        raise InvalidField(path, "must hold a value, not elements")
    text = "".join((element.text or "").split())
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidField(path, "is not valid base64") from None


def datetime_value(element: etree._Element, path: str) -> datetime:
    text = text_value(element, path)
    match = _DATETIME.fullmatch(text)
    if match is None:
        raise InvalidField(path, f"{text!r} is not an xs:dateTime (YYYY-MM-DDThh:mm:ss[.s][Z])")
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        tz = UTC
        if zone not in (None, "Z"):  # timezone() refuses an offset of 24 hours or more
            sign = 1 if zone[0] == "+" else -1
            tz = timezone(sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])))
        when = datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second), micro, tz
        ).astimezone(UTC)
    except (ValueError, OverflowError) as error:
        raise InvalidField(path, f"{text!r} is not a valid date and time: {error}") from None
    return when


def empty_element(element: etree._Element, path: str) -> None:
    """A NoType element: nothing inside, neither elements nor text."""
    if element_children(element, path) or (element.text or "").strip():
        raise InvalidField(path, "is an empty element")


def one_of(parts: dict[str, list[etree._Element]], names: tuple[str, ...], path: str) -> str:
    """Which one of an xs:choice's elements (read as optional items of a sequence) is given."""
    given = [name for name in names if parts.get(name)]
    if len(given) != 1:
        raise InvalidField(path, f"holds exactly one of {', '.join(names)}")
    return given[0]


def contentless(body_type: type, *, future_datable: bool = False) -> Reader:
    """The reader of a body with no content (a read on demand), or only an optional
    ExecutionDateTime where the SRV may be future-dated."""

    def read(element: etree._Element, path: str) -> BodyReading:
        if not future_datable:
            sequence(element, path, [])
            return body_type(), None, {}
        parts = sequence(element, path, [("ExecutionDateTime", 0, 1)])
        return body_type(), optional_datetime(parts, path), {}

    return read


_SIGNED = re.compile(r"[+-]?[0-9]{1,20}")


def signed_value(element: etree._Element, path: str) -> int:
    """An xs:long or xs:int (the range is the caller's to check)."""
    text = text_value(element, path)
    if _SIGNED.fullmatch(text) is None:
        raise InvalidField(path, f"{text!r} is not an integer")
    return int(text)
