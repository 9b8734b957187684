"""12.1 Request WAN Matrix: the DSP answers with the WAN coverage of a property."""

from __future__ import annotations

import zlib

from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.fields import check_uprn, is_postcode
from dccsim.server.core.messages import SyncAnswer, WanCoverage, WanMatrixResult
from dccsim.server.core.requests import RequestWanMatrix, ServiceRequest
from dccsim.server.core.services.registry import Family
from dccsim.server.core.state import DspState

family: Family = Family()

# Decision: coverage is simulated. Postcode areas of Scotland and northern England are in the
# North CSP region, Wales and the Midlands Central, the rest South; every property is covered.
_NORTH = frozenset(
    [
        "AB",
        "DD",
        "DG",
        "EH",
        "FK",
        "G",
        "HS",
        "IV",
        "KA",
        "KW",
        "KY",
        "ML",
        "PA",
        "PH",
        "TD",
        "ZE",
        "CA",
        "DH",
        "DL",
        "HG",
        "HU",
        "LA",
        "LS",
        "NE",
        "SR",
        "TS",
        "YO",
        "BD",
        "HD",
        "HX",
        "WF",
    ]
)
_CENTRAL = frozenset(
    [
        "B",
        "CV",
        "DE",
        "DY",
        "LE",
        "NG",
        "NN",
        "ST",
        "WS",
        "WV",
        "CF",
        "LD",
        "LL",
        "NP",
        "SA",
        "SY",
        "CH",
        "CW",
        "L",
        "M",
        "OL",
        "PR",
        "SK",
        "WA",
        "WN",
        "BB",
        "BL",
        "FY",
        "S",
        "DN",
        "LN",
    ]
)


def _region(request: RequestWanMatrix) -> str:
    if request.postcode is not None:
        area = "".join(c for c in request.postcode.upper().split()[0] if c.isalpha())
        if area in _NORTH:
            return "North"
        return "Central" if area in _CENTRAL else "South"
    return ("North", "Central", "South")[zlib.crc32(str(request.uprn).encode()) % 3]


def _check_wan_matrix(body: RequestWanMatrix) -> None:
    if body.uprn is not None:
        if body.postcode is not None or body.address_identifier is not None:
            raise InvalidField("body", "12.1 takes a UPRN or a partial address, not both")
        check_uprn(body.uprn, "body.uprn")
    elif not body.postcode or not body.address_identifier:
        raise InvalidField("body", "12.1 needs a UPRN, or a postcode and an address")
    elif not is_postcode(body.postcode):
        raise InvalidField("body.postcode", f"{body.postcode!r} is not a UK postcode")


@family.dsp("12.1", body=RequestWanMatrix, check=_check_wan_matrix, responses=(WanMatrixResult,))
def wan_matrix(state: DspState, request: ServiceRequest) -> SyncAnswer:
    body = request.body
    assert isinstance(body, RequestWanMatrix)
    coverage = WanCoverage(_region(body), True, "Cellular 4G", "High")
    result = WanMatrixResult(body.uprn, body.postcode, body.address_identifier, (coverage,))
    return SyncAnswer(request.request_id, request.srv, ResponseCode.I0, result)
