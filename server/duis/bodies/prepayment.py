"""DUIS bodies of the prepayment SRVs: 2.2 TopUpDevice."""

from __future__ import annotations

from lxml import etree

from dccsim.server.core.requests import (
    TopUpDevice,
)
from dccsim.server.duis.bodies.family import BodyFamily
from dccsim.server.duis.reading import (
    BodyReading,
    sequence,
    text_value,
)


def _top_up(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(element, path, [("UTRN", 1, 1)])
    utrn = text_value(parts["UTRN"][0], f"{path}/UTRN")
    return TopUpDevice(utrn), None, {"body.utrn": f"{path}/UTRN"}


FAMILY = BodyFamily(
    readers={"2.2": ("TopUpDevice", _top_up)},
    empty_responses={"2.2": "TopUpDeviceRsp"},
)
