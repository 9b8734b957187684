"""Stages 3 and 4 for device SRs: send the command to the device, pass its answer through the
fault plan, process it into the SMI, and deliver it to the user. What the device does for each SRV
is that SRV's own (the registry, `dccsim.server.core.services`)."""

from __future__ import annotations

from datetime import datetime

from dccsim.devices.device import SimulatedDevice
from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.delivery import NoResponse, decide, deliver_heard, response_id
from dccsim.server.core.faults import FaultAction, FaultStage
from dccsim.server.core.journal import EventKind
from dccsim.server.core.messages import ResponseBody, ServiceResponse
from dccsim.server.core.requests import ServiceRequest
from dccsim.server.core.services import REGISTRY
from dccsim.server.core.state import DspState

_SPECS = REGISTRY.by_srv


def execute(state: DspState, request: ServiceRequest, *, schedule_id: int | None = None) -> None:
    """Send an authorised device SR to its device now; `schedule_id` names the DCC Schedule
    (5.1) it is a run of, which its response carries (DSPScheduledMessage)."""
    rid = request.request_id
    now = state.now()  # one instant for the whole exchange
    device = state.network.get(rid.target)
    if device is None:  # the SMI holds a record with no simulated device behind it
        state.journal.record(now, EventKind.DECISION, "no simulated device", device=rid.target)
        return
    decision = decide(state, FaultStage.DEVICE_RESPONSE, request.srv, device, rid)
    if decision is not None and decision.action is FaultAction.UNREACHABLE:
        # The command never reaches the device: the DSP tells the user it could not (E20).
        response = _response(request, device, None, now, ResponseCode.E20, schedule_id)
        state.deliver(rid.originator, response)
        return
    state.journal.record(
        now,
        EventKind.DEVICE_COMMAND,
        f"SRV {request.srv} to {device.device_id}",
        request=rid,
        srv=request.srv,
    )
    run = _SPECS[request.srv].run_on_device
    assert run is not None  # the registry refuses a device SRV without one
    body, on_heard = run(state, request, device)
    if isinstance(body, NoResponse):
        return
    state.journal.record(
        now,
        EventKind.DEVICE_RESPONSE,
        f"SRV {request.srv} response",
        request=rid,
        device=device.device_id,
    )
    response = _response(request, device, body, now, schedule_id=schedule_id)
    deliver_heard(state, rid.originator, response, decision, on_heard)


def _response(
    request: ServiceRequest,
    device: SimulatedDevice,
    body: ResponseBody | None,
    issued_at: datetime,
    code: ResponseCode = ResponseCode.I0,
    schedule_id: int | None = None,
) -> ServiceResponse:
    rid = request.request_id
    return ServiceResponse(
        request_id=rid,
        response_id=response_id(device.device_id, rid),
        srv=request.srv,
        code=code,
        device_id=device.device_id,
        issued_at=issued_at,
        body=body,
        schedule_id=schedule_id,
    )
