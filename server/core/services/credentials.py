"""Security credential SRVs: 6.23 Update Security Credentials (CoS)."""

from __future__ import annotations

from dccsim.devices.device import SimulatedDevice
from dccsim.devices.kinds import DeviceType
from dccsim.server.core.codes import DccAlertCode
from dccsim.server.core.delivery import NO_RESPONSE, Outcome, nothing
from dccsim.server.core.fields import check_mpxn
from dccsim.server.core.journal import EventKind
from dccsim.server.core.messages import ChangeOfSupplier, DccAlertMessage
from dccsim.server.core.requests import ServiceRequest, UpdateSecurityCredentialsCoS
from dccsim.server.core.services.registry import Family
from dccsim.server.core.state import DspState

family = Family()


def _check_change_of_supplier(body: UpdateSecurityCredentialsCoS) -> None:
    check_mpxn(body.import_mpxn, "body.import_mpxn")


@family.device(
    "6.23",
    body=UpdateSecurityCredentialsCoS,
    check=_check_change_of_supplier,
    device_types=(DeviceType.ESME, DeviceType.GSME),
)
def change_of_supplier(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    """6.23: the ECoS party processes the request before it reaches the device. A refusal
    programmed through the control API raises N26 to the requester instead (ALERT-02)."""
    rid = request.request_id
    if request.is_cancellation:
        # The DSP has dropped the 6.23 it held for the device (SRV-05); nothing reaches the
        # ECoS party, and the device answers that nothing changed.
        return None, nothing
    error_code = state.ecos_failures.pop(device.device_id, None)
    if error_code is None:
        device.replace_supplier_credentials(rid.originator)
        return None, nothing
    alert = DccAlertMessage(
        DccAlertCode.CHANGE_OF_SUPPLIER_FAILED,
        device.device_id,
        state.now(),
        ChangeOfSupplier(rid, error_code),
    )
    state.journal.record(
        state.now(),
        EventKind.DCC_ALERT,
        "N26: ECoS party refused 6.23",
        request=rid,
        ecos_error_code=error_code,
    )
    state.deliver(rid.originator, alert)
    return NO_RESPONSE, nothing
