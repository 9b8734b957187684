"""9.1 Request Customer Identification Number (an Other User asks an ESME or GSME to show the
consumer a CIN) and 14.1 Record Network Data (GAS) (the Gas Transporter starts a GSME's Network
Data Log). What the meters hold is `dccsim.devices.cin`'s and `dccsim.devices.network_data`'s.

Decisions (docs/decisions.md):
- 9.1: the DCC makes the CIN and sends it to the meter (GBCS ECS50 / GCS36 "Send CIN"), so the
  DSP makes it here: four digits from a SHA-256 of the device ID and the RequestID's originator
  and counter. A new request shows a new CIN, and a replayed command log shows the same ones. The
  meter keeps the CIN it shows (the latest) and its response (an empty
  RequestCustomerIdentificationNumberRsp in the MMC) comes back to the Other User in a DUIS
  CINMessage with the CIN the meter now shows. ESME and GSME only (E11 otherwise).
- 14.1 goes to the GSME (the RTDS template's target, GBCS GCS31 "Start Network Data Log on
  GSME"); the response carries the SampleID of the log it started (see
  `dccsim.devices.network_data` for the log itself). GSME only (E11 otherwise).
- Neither body has content, so neither has anything to check.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from dccsim.devices.cin import CustomerIdentification
from dccsim.devices.device import SimulatedDevice
from dccsim.devices.kinds import DeviceType
from dccsim.devices.network_data import start_log
from dccsim.server.core.delivery import Outcome, nothing
from dccsim.server.core.requests import RequestId, ServiceRequest
from dccsim.server.core.services.registry import Family
from dccsim.server.core.state import DspState

family: Family = Family()


@dataclass(frozen=True, slots=True)
class RequestCustomerIdentificationNumber:
    """9.1 RequestCustomerIdentificationNumber: no content."""


@dataclass(frozen=True, slots=True)
class RecordNetworkDataGas:
    """14.1 RecordNetworkDataGAS: no content."""


@dataclass(frozen=True, slots=True)
class CustomerIdentificationNumberShown:
    """9.1's answer: the CIN the meter now shows (DUIS CINMessage)."""

    cin: str


@dataclass(frozen=True, slots=True)
class NetworkDataLogStarted:
    """14.1 RecordNetworkDataGASRsp: the SampleID of the log the GSME started."""

    sample_id: int


def make_cin(device_id: str, request_id: RequestId) -> str:
    """The CIN the DCC sends with a 9.1 (see the module doc)."""
    seed = f"{device_id}:{request_id.originator}:{request_id.counter}".encode()
    return f"{int.from_bytes(hashlib.sha256(seed).digest()[:4], 'big') % 10_000:04d}"


@family.device(
    "9.1",
    body=RequestCustomerIdentificationNumber,
    device_types=(DeviceType.ESME, DeviceType.GSME),
    responses=(CustomerIdentificationNumberShown,),
)
def request_cin(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    cin = make_cin(device.device_id, request.request_id)
    device.cin = CustomerIdentification(cin, state.now())
    return CustomerIdentificationNumberShown(device.cin.cin), nothing


@family.device(
    "14.1",
    body=RecordNetworkDataGas,
    device_types=(DeviceType.GSME,),
    responses=(NetworkDataLogStarted,),
)
def record_network_data(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    device.network_data = start_log(device.network_data, state.now())
    return NetworkDataLogStarted(device.network_data.sample_id), nothing
