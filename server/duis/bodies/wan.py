"""DUIS bodies of 12.1: RequestWANMatrix in, DSPWANMatrix out."""

from __future__ import annotations

from lxml import etree

from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.messages import (
    WanCoverage,
    WanMatrixResult,
)
from dccsim.server.core.records import DuisVersion
from dccsim.server.core.requests import (
    RequestWanMatrix,
)
from dccsim.server.duis.bodies.family import BodyFamily
from dccsim.server.duis.names import uses_v5_1_shapes
from dccsim.server.duis.reading import (
    BodyReading,
    only_child,
    sequence,
    text_value,
    uprn_value,
)
from dccsim.server.duis.writing import sub


def _request_wan_matrix(element: etree._Element, path: str) -> BodyReading:
    key = only_child(element, path)
    name = etree.QName(key).localname
    key_path = f"{path}/{name}"
    if name == "UPRN":
        return RequestWanMatrix(uprn=uprn_value(key, key_path)), None, {"body.uprn": key_path}
    if name != "PartialAddress":
        raise InvalidField(key_path, "is not a RequestWANMatrix key (UPRN or PartialAddress)")
    parts = sequence(key, key_path, [("PostCode", 1, 1), ("AddressIdentifier", 1, 1)])
    postcode = text_value(parts["PostCode"][0], f"{key_path}/PostCode")
    if not 6 <= len(postcode) <= 8:
        raise InvalidField(f"{key_path}/PostCode", f"{postcode!r} is not 6 to 8 characters")
    address = text_value(parts["AddressIdentifier"][0], f"{key_path}/AddressIdentifier")
    if not 0 < len(address) <= 30:
        raise InvalidField(f"{key_path}/AddressIdentifier", "must be 1 to 30 characters")
    fields = {"body.postcode": f"{key_path}/PostCode", "body": key_path}
    return RequestWanMatrix(postcode=postcode, address_identifier=address), None, fields


def _wan_matrix(message: etree._Element, result: WanMatrixResult, version: DuisVersion) -> None:
    matrix = sub(message, "DSPWANMatrix")
    request = sub(matrix, "Request")
    if result.uprn is not None:
        sub(request, "UPRN", str(result.uprn))
    else:
        address = sub(request, "PartialAddress")
        sub(address, "PostCode", result.postcode or "")
        sub(address, "AddressIdentifier", result.address_identifier or "")
    if uses_v5_1_shapes(version):
        # DUIS 5.1: one region's answer, flat under DSPWANMatrix.
        coverage = result.coverage[0]
        sub(matrix, "CSPRegion", coverage.csp_region)
        _coverage(matrix, coverage)
        return
    for coverage in result.coverage:
        answer = sub(matrix, "DSPWANMatrixResponse")
        sub(answer, "CSPRegion", coverage.csp_region)
        sub(answer, "CSPRegionResponseCode", ResponseCode.I0.value)
        _coverage(answer, coverage)


def _coverage(parent: etree._Element, coverage: WanCoverage) -> None:
    sub(parent, "CoverageAvailability", "true" if coverage.coverage_available else "false")
    sub(parent, "WANTechnology", coverage.wan_technology)
    sub(parent, "ConnectivityLikelihood", coverage.connectivity_likelihood)


FAMILY: BodyFamily = BodyFamily(
    readers={"12.1": ("RequestWANMatrix", _request_wan_matrix)},
    sync_writers={WanMatrixResult: _wan_matrix},
)
