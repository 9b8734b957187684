"""8.13 Return Local Command Response: a User that delivered a command locally (CV 2 or 6, the
DSP's `LocalCommand`) returns the device's response, and the DSP processes it as it would the
device's remote response (SRV-04).

dccsim cannot decode GBCS yet (a later issue adds it), so what it checks and does today is:

- **Which command it answers.** The DSP keeps a record of the local commands it issued
  (`server/core/local_commands.py`). `OriginalRequestID`, when given, names one; without it the
  GBCS header of `DeviceGBCSResponse` does (below). Either must name a local command the DSP
  issued *to this User*, else E081301; one whose response has already come back gets E081303.
- **The GBCS header, where there is one.** A response that starts as a GBCS General-Signing
  (0xDF) or General-Ciphering (0xDD) APDU has its header read: the transaction ID's CRA flag
  must say "response" (0x02) and its originator counter be the command's counter, the
  originator system title the command's device, and the recipient system title the User (or
  the DCC's ACB). A header that disagrees, or cannot be read, gets E081302. Any other payload is
  taken as an opaque stand-in (no device answers a hand-held terminal here, so a harness has no
  real device response to return), and then OriginalRequestID is required.
- **The processing.** dccsim has no hand-held terminal, so the simulated device carries out the
  command when its response is returned: the DSP sends the original request to the device then
  and treats its answer exactly as a remote response — fault rules for the original SRV apply,
  response processing runs (a CS06 11.3 activation runs FW-*'s firmware processing), and the
  User is delivered the device's ServiceResponse, correlated by the original RequestID, with the
  content dccsim's device returned (the content of the returned GBCS is not decoded).
- 8.13 itself is answered I99 (a non-device success with no data). A refusal changes nothing and
  consumes no counter.
"""

from __future__ import annotations

from dataclasses import dataclass

from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.journal import EventKind
from dccsim.server.core.local_commands import IssuedLocalCommand
from dccsim.server.core.messages import SyncAnswer
from dccsim.server.core.requests import RequestId, ServiceRequest
from dccsim.server.core.services.registry import Family
from dccsim.server.core.state import DspState

family: Family = Family()

# Decision: no GBCS response comes near 64 KiB (BAD-01's oversized field).
MAX_DEVICE_RESPONSE_BYTES = 65_536

GENERAL_CIPHERING = 0xDD
GENERAL_SIGNING = 0xDF
_CRA_RESPONSE = 0x02
_TRANSACTION_ID_LENGTH = 9  # the CRA flag and the 8-byte originator counter
_SYSTEM_TITLE_LENGTH = 8  # an EUI-64


@dataclass(frozen=True, slots=True)
class ReturnLocalCommandResponse:
    """8.13 ReturnLocalCommandResponse."""

    device_response: bytes  # DeviceGBCSResponse
    original_request_id: RequestId | None = None  # OriginalRequestID


@dataclass(frozen=True, slots=True)
class GbcsHeader:
    """What dccsim reads of a GBCS APDU today: its transaction ID and system titles."""

    cra_flag: int
    counter: int
    originator: str  # EUI-64
    recipient: str  # EUI-64


def _check_return(body: ReturnLocalCommandResponse) -> None:
    response = body.device_response
    if not isinstance(response, bytes) or not response:
        raise InvalidField("body.device_response", "the device's response is required")
    if len(response) > MAX_DEVICE_RESPONSE_BYTES:
        raise InvalidField(
            "body.device_response",
            f"{len(response)} bytes is more than {MAX_DEVICE_RESPONSE_BYTES}",
        )
    rid = body.original_request_id
    if rid is not None:
        if not isinstance(rid, RequestId):
            raise InvalidField("body.original_request_id", f"{rid!r} is not a RequestID")
        RequestId.parse(str(rid), "body.original_request_id")


def is_gbcs(payload: bytes) -> bool:
    return bool(payload) and payload[0] in (GENERAL_CIPHERING, GENERAL_SIGNING)


def read_gbcs_header(payload: bytes) -> GbcsHeader | None:
    """The header of a General-Signing or General-Ciphering APDU, or None if it cannot be read.
    Both begin: tag, transaction-id, originator-system-title, recipient-system-title, each an
    octet string with a one-byte length."""
    if not is_gbcs(payload):
        return None
    at = 1
    fields = []
    for length in (_TRANSACTION_ID_LENGTH, _SYSTEM_TITLE_LENGTH, _SYSTEM_TITLE_LENGTH):
        if len(payload) < at + 1 + length or payload[at] != length:
            return None
        fields.append(payload[at + 1 : at + 1 + length])
        at += 1 + length
    transaction, originator, recipient = fields
    return GbcsHeader(
        cra_flag=transaction[0],
        counter=int.from_bytes(transaction[1:], "big"),
        originator=_eui(originator),
        recipient=_eui(recipient),
    )


def _eui(title: bytes) -> str:
    return "-".join(f"{octet:02X}" for octet in title)


@family.dsp("8.13", body=ReturnLocalCommandResponse, check=_check_return)
def return_local_command_response(state: DspState, request: ServiceRequest) -> SyncAnswer:
    body = request.body
    assert isinstance(body, ReturnLocalCommandResponse)
    found = _issued_command(state, request, body)
    if isinstance(found, tuple):
        code, reason = found
        return SyncAnswer(request.request_id, request.srv, code, detail=reason)
    original = found.request
    state.local_commands.mark_returned(original.request_id)
    state.journal.record(
        state.now(),
        EventKind.DECISION,
        f"8.13 returned the response to local SRV {original.srv}",
        request=request.request_id,
        original=original.request_id,
        gbcs=is_gbcs(body.device_response),
    )
    # Imported here: device_services reads the registry this module is part of.
    from dccsim.server.core import device_services

    device_services.execute(state, original)
    return SyncAnswer(request.request_id, request.srv, ResponseCode.I99)


def _issued_command(
    state: DspState, request: ServiceRequest, body: ReturnLocalCommandResponse
) -> IssuedLocalCommand | tuple[ResponseCode, str]:
    """The local command the response answers, or the refusal's code and reason."""
    user = request.request_id.originator
    header = read_gbcs_header(body.device_response)
    if is_gbcs(body.device_response) and header is None:
        return ResponseCode.E081302, "DeviceGBCSResponse's GBCS header cannot be read"
    rid = body.original_request_id
    if rid is None:
        if header is None:
            return ResponseCode.E081301, "OriginalRequestID is needed with a non-GBCS response"
        rid = RequestId(user, header.originator, header.counter)
    else:
        rid = RequestId(rid.originator.upper(), rid.target.upper(), rid.counter)
    issued = state.local_commands.get(rid) if rid.originator == user else None
    if issued is None:
        return ResponseCode.E081301, f"no local command {rid} was issued to this user"
    if issued.returned:
        return ResponseCode.E081303, f"the response to local command {rid} was already returned"
    if header is not None and not _header_matches(header, rid, state.acb_id):
        return ResponseCode.E081302, f"the GBCS header does not answer local command {rid}"
    return issued


def _header_matches(header: GbcsHeader, rid: RequestId, acb_id: str) -> bool:
    return (
        header.cra_flag == _CRA_RESPONSE
        and header.counter == rid.counter
        and header.originator == rid.target
        and header.recipient in (rid.originator, acb_id)
    )
