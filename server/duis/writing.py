"""Writing DUIS and MMC documents: the element helpers every writer uses."""

from __future__ import annotations

import base64

from lxml import etree

from dccsim.server.duis.names import RA_NS, SR_NS


def sr(name: str) -> str:
    return f"{{{SR_NS}}}{name}"


def ra(name: str) -> str:
    return f"{{{RA_NS}}}{name}"


def sub(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    """A child in the parent's namespace."""
    # The namespace read off the parent's tag ("{namespace}Local"): building an etree.QName
    # for it cost more than the SubElement itself (a 4.8.1 profile's response has ~200 children).
    namespace, _, _ = parent.tag.partition("}")
    element = etree.SubElement(parent, f"{namespace}}}{name}")
    if text is not None:
        element.text = text
    return element


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
