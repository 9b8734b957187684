"""Prepayment SRVs: 2.2 Top Up Device."""

from __future__ import annotations

import re

from dccsim.devices.device import SimulatedDevice
from dccsim.devices.kinds import DeviceType
from dccsim.server.core.delivery import Outcome, nothing
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.requests import ServiceRequest, TopUpDevice
from dccsim.server.core.services.registry import Family
from dccsim.server.core.state import DspState

family = Family()

_UTRN = re.compile(r"[0-9]{20}")


def _check_top_up(body: TopUpDevice) -> None:
    if not isinstance(body.utrn, str) or _UTRN.fullmatch(body.utrn) is None:
        raise InvalidField("body.utrn", "a UTRN is exactly 20 digits")


# CS01a (ESME) and CS01b (GSME).
@family.device(
    "2.2", body=TopUpDevice, check=_check_top_up, device_types=(DeviceType.ESME, DeviceType.GSME)
)
def top_up(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    assert isinstance(request.body, TopUpDevice)
    device.top_up(request.body.utrn)
    return None, nothing
