"""The MP105 scenario as a reusable script: used by `dccsim demo` and readable on its own.

CPL entry Removed -> devices Suspended -> 11.1 distributes -> 11.3 activates with the response lost
-> 11.2 reads the firmware back, which (since MP105) restores the device.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass

from dccsim.devices.kinds import DeviceType
from dccsim.server.core.baseline import Baseline
from dccsim.server.core.dsp import Dsp
from dccsim.server.core.faults import FaultAction, FaultRule
from dccsim.server.core.fleet import (
    EXAMPLE_DEVICE_IDS,
    EXAMPLE_FIRMWARE,
    EXAMPLE_MANUFACTURER,
    EXAMPLE_NEW_FIRMWARE,
    SUPPLIER_A,
    example_fleet,
    example_model,
)
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.messages import PreCommand, SyncAnswer
from dccsim.server.core.records import CplEntry, CplStatus
from dccsim.server.core.requests import (
    ActivateFirmware,
    ReadFirmwareVersion,
    RequestBody,
    RequestId,
    ServiceRequest,
    SignedPreCommand,
    UpdateFirmware,
)

DEMO_IMAGE = b"dccsim demo firmware image " + EXAMPLE_NEW_FIRMWARE.encode()


@dataclass(frozen=True, slots=True)
class Step:
    action: str
    answer: str
    device_status: str
    smi_firmware: str
    device_firmware: str


def run_mp105_scenario(baseline: Baseline = Baseline.CURRENT) -> tuple[Dsp, list[Step]]:
    dsp = Dsp(baseline=baseline)
    example_fleet().load_into(dsp)
    esme = EXAMPLE_DEVICE_IDS[DeviceType.ESME]
    counters = itertools.count(1)
    steps: list[Step] = []

    def note(action: str, answer: str) -> None:
        record = dsp.device_record(esme)
        steps.append(
            Step(
                action,
                answer,
                record.status,
                record.firmware_version,
                dsp.device(esme).running_version,
            )
        )

    def send(srv: str, cv: CommandVariant, body: RequestBody, target: str = esme) -> SyncAnswer:
        return dsp.submit(
            ServiceRequest(RequestId(SUPPLIER_A, target, next(counters)), srv, cv, body)
        )

    removed = dsp.put_cpl_entry(
        CplEntry(
            EXAMPLE_MANUFACTURER,
            example_model(DeviceType.ESME),
            EXAMPLE_FIRMWARE,
            CplStatus.REMOVED,
        )
    )
    note(f"CPL: ESME firmware {EXAMPLE_FIRMWARE} marked Removed", f"{removed} device(s) suspended")
    answer = send(
        "11.1",
        CommandVariant.NON_DEVICE,
        UpdateFirmware(DEMO_IMAGE, EXAMPLE_NEW_FIRMWARE, (esme,)),
        target=dsp.state.acb_id,
    )
    note(f"11.1 Update Firmware to {EXAMPLE_NEW_FIRMWARE}", answer.code)
    dsp.faults.add(FaultRule(FaultAction.DROP, srv="11.3"))
    pre = send(
        "11.3",
        CommandVariant.CRITICAL_TRANSFORM,
        ActivateFirmware(hashlib.sha256(DEMO_IMAGE).digest()),
    )
    assert isinstance(pre.body, PreCommand)
    signed = ServiceRequest(
        pre.request_id,
        "11.3",
        CommandVariant.CRITICAL_SIGNED_REMOTE,
        SignedPreCommand(pre.body.payload),
    )
    note("11.3 Activate Firmware (CV 4 then 5); response lost", dsp.submit(signed).code)
    note(
        "11.2 Read Firmware Version",
        send("11.2", CommandVariant.NON_CRITICAL_REMOTE, ReadFirmwareVersion()).code,
    )
    return dsp, steps
