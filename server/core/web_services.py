"""DUIS's web services, and which Command Variant each takes (BOXED-01).

DCC Boxed serves DUIS at three URLs, and the Command Variant alone chooses the URL (never the
SRV): the Send Command Service takes CV 1, 3, 5 and 7, the Transform Service CV 4, the Non-Device
Service CV 2, 6 and 8. **Decision**: a request sent to a URL that does not take its Command Variant
is answered `E13` ("Invalid Request Type for URL") and changes nothing: no counter is consumed,
nothing is queued, the originator need not even be a User.
"""

from __future__ import annotations

from enum import StrEnum

from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.messages import SyncAnswer
from dccsim.server.core.requests import ServiceRequest


class WebService(StrEnum):
    SEND_COMMAND = "serviceS"
    TRANSFORM = "serviceT"
    NON_DEVICE = "serviceD"


SERVICE_OF_CV: dict[CommandVariant, WebService] = {
    CommandVariant.NON_CRITICAL_REMOTE: WebService.SEND_COMMAND,
    CommandVariant.NON_CRITICAL_REMOTE_AND_LOCAL: WebService.SEND_COMMAND,
    CommandVariant.CRITICAL_SIGNED_REMOTE: WebService.SEND_COMMAND,
    CommandVariant.CRITICAL_SIGNED_REMOTE_AND_LOCAL: WebService.SEND_COMMAND,
    CommandVariant.CRITICAL_TRANSFORM: WebService.TRANSFORM,
    CommandVariant.NON_CRITICAL_LOCAL: WebService.NON_DEVICE,
    CommandVariant.CRITICAL_SIGNED_LOCAL: WebService.NON_DEVICE,
    CommandVariant.NON_DEVICE: WebService.NON_DEVICE,
}


def wrong_service(request: ServiceRequest, service: WebService) -> SyncAnswer | None:
    """The E13 answer when `service` does not take the request's Command Variant, else None."""
    expected = SERVICE_OF_CV[request.command_variant]
    if expected is service:
        return None
    return SyncAnswer(
        request.request_id,
        request.srv,
        ResponseCode.E13,
        detail=f"Command Variant {int(request.command_variant)} is served at "
        f"/api/v1/{expected}, not /api/v1/{service}",
    )
