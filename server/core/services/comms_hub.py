"""Communications Hub status updates, 8.14.1-8.14.4: the installer's supplier tells the DCC how a
hub's installation went, and the DSP records it in the CHF's SMI status (SRV-04).

Decisions (DUIS's own rules for these are not in the sources here; docs/decisions.md):
- 8.14.1 Install Success (SM WAN): the CHF becomes Commissioned; 8.14.2 Install Success, no SM
  WAN: InstalledNotCommissioned. Both are accepted from Pending, Whitelisted,
  InstalledNotCommissioned or Commissioned (a hub re-installed is reported again).
- 8.14.3 Fault Return and 8.14.4 No Fault Return: the hub goes back to its provider, so the CHF
  and the GPF of its hub become Withdrawn; accepted from any status but Decommissioned and
  Withdrawn.
- The target must be a CHF in the SMI, else E081401; a status the update cannot start from gets
  E081402. Success is I99 (no XML data); a refused update changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from dccsim.devices.kinds import DeviceType
from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.eui import parse_eui64
from dccsim.server.core.fields import check_text
from dccsim.server.core.messages import SyncAnswer
from dccsim.server.core.records import SmiStatus
from dccsim.server.core.requests import ServiceRequest
from dccsim.server.core.services.registry import Family
from dccsim.server.core.state import DspState

family: Family = Family()

_INSTALLABLE = frozenset(
    {
        SmiStatus.PENDING,
        SmiStatus.WHITELISTED,
        SmiStatus.INSTALLED_NOT_COMMISSIONED,
        SmiStatus.COMMISSIONED,
    }
)
_OUT_OF_SERVICE = frozenset({SmiStatus.DECOMMISSIONED, SmiStatus.WITHDRAWN})


@dataclass(frozen=True, slots=True)
class HubInstalled:
    """8.14.1 CHFInstallSuccessSMWAN / 8.14.2 CHFInstallSuccessNoSMWAN."""

    device_id: str
    install_type: str  # CHFInstallType
    mpxn: str
    location: str  # CHFLocation


@dataclass(frozen=True, slots=True)
class HubReturned:
    """8.14.3 CHFFaultReturn / 8.14.4 CHFNoFaultReturn."""

    device_id: str
    return_type: str  # CHFFaultReturnType or CHFNoFaultReturnType
    reason: str | None = None  # CHFFaultReason (8.14.3 only)


def _check_installed(body: HubInstalled) -> None:
    parse_eui64(body.device_id, "body.device_id")
    check_text(body.install_type, "body.install_type", max_length=50)
    check_text(body.mpxn, "body.mpxn", max_length=13)
    check_text(body.location, "body.location", max_length=50)


def _check_returned(body: HubReturned) -> None:
    parse_eui64(body.device_id, "body.device_id")
    check_text(body.return_type, "body.return_type", max_length=50)
    if body.reason is not None:
        check_text(body.reason, "body.reason", max_length=50)


def _update(
    state: DspState,
    request: ServiceRequest,
    device_id: str,
    allowed: frozenset[SmiStatus],
    new_status: SmiStatus,
    *,
    with_gpf: bool = False,
) -> SyncAnswer:
    record = state.smi.get(device_id.upper())
    if record is None or record.device_type is not DeviceType.CHF:
        return SyncAnswer(
            request.request_id, request.srv, ResponseCode.E081401, detail="not a CHF in the SMI"
        )
    if record.status not in allowed:
        return SyncAnswer(
            request.request_id,
            request.srv,
            ResponseCode.E081402,
            detail=f"a CHF in status {record.status} cannot take this update",
        )
    why = f"{request.srv} Communications Hub status update"
    state.store(record.evolve(status=new_status), why)
    if with_gpf:
        gpf = state.smi.hub_gpf(record.device_id)
        if gpf is not None and gpf.status not in _OUT_OF_SERVICE:
            state.store(gpf.evolve(status=new_status), why)
    return SyncAnswer(request.request_id, request.srv, ResponseCode.I99)


@family.dsp("8.14.1", body=HubInstalled, check=_check_installed)
def install_success(state: DspState, request: ServiceRequest) -> SyncAnswer:
    assert isinstance(request.body, HubInstalled)
    return _update(state, request, request.body.device_id, _INSTALLABLE, SmiStatus.COMMISSIONED)


@family.dsp("8.14.2", body=HubInstalled, check=_check_installed)
def install_no_wan(state: DspState, request: ServiceRequest) -> SyncAnswer:
    assert isinstance(request.body, HubInstalled)
    return _update(
        state, request, request.body.device_id, _INSTALLABLE, SmiStatus.INSTALLED_NOT_COMMISSIONED
    )


_RETURNABLE = frozenset(set(SmiStatus) - _OUT_OF_SERVICE)


@family.dsp("8.14.3", body=HubReturned, check=_check_returned)
def fault_return(state: DspState, request: ServiceRequest) -> SyncAnswer:
    assert isinstance(request.body, HubReturned)
    return _update(
        state, request, request.body.device_id, _RETURNABLE, SmiStatus.WITHDRAWN, with_gpf=True
    )


@family.dsp("8.14.4", body=HubReturned, check=_check_returned)
def no_fault_return(state: DspState, request: ServiceRequest) -> SyncAnswer:
    assert isinstance(request.body, HubReturned)
    return _update(
        state, request, request.body.device_id, _RETURNABLE, SmiStatus.WITHDRAWN, with_gpf=True
    )
