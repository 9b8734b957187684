"""`Sim`: the simulated DSP in the test's own process, driven like a supplier's test script.

No server and no network: a request goes straight to the DSP core and its answer comes back as
the core's own objects, so a test of a supplier's rules (authorisation, firmware, CPL, alerts)
runs in microseconds. To test a client against the real API, use `serve_in_process` instead.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from dccsim.devices.kinds import DeviceType
from dccsim.server.core.baseline import Baseline
from dccsim.server.core.dsp import Dsp
from dccsim.server.core.fleet import (
    EXAMPLE_FIRMWARE,
    EXAMPLE_MANUFACTURER,
    EXAMPLE_NEW_FIRMWARE,
    SUPPLIER_A,
    Fleet,
    example_fleet,
    example_model,
)
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.messages import PreCommand, SyncAnswer
from dccsim.server.core.records import CplEntry, CplStatus, SmiRecord
from dccsim.server.core.requests import (
    ActivateFirmware,
    ReadFirmwareVersion,
    RequestBody,
    RequestId,
    ServiceRequest,
    SignedPreCommand,
    UpdateFirmware,
)

# The firmware image `Sim.distribute` sends unless told otherwise, and the hash 11.3 activates.
NEW_IMAGE = b"dccsim test image for firmware 0200"
NEW_IMAGE_HASH = hashlib.sha256(NEW_IMAGE).digest()
# RequestID counters start here: well clear of the small numbers hand-written requests use.
FIRST_COUNTER = 1000


@dataclass
class Sim:
    """A DSP on a fleet (the example fleet unless told), with helpers that read like a supplier's
    test script. Every request goes as SUPPLIER_A unless `user=` says otherwise."""

    dsp: Dsp
    _counter: Iterator[int] = field(default_factory=lambda: itertools.count(FIRST_COUNTER))

    def request(
        self,
        srv: str,
        body: RequestBody,
        *,
        target: str,
        cv: CommandVariant = CommandVariant.NON_CRITICAL_REMOTE,
        user: str = SUPPLIER_A,
        **extra: Any,
    ) -> ServiceRequest:
        """A Service Request with the next RequestID counter (not sent)."""
        return ServiceRequest(
            RequestId(user, target, next(self._counter)),
            srv,
            cv,
            body,
            **extra,  # ServiceRequest's optional fields by name (execute_at, ...)
        )

    def send(self, srv: str, body: RequestBody, *, target: str, **kwargs: Any) -> SyncAnswer:
        return self.dsp.submit(self.request(srv, body, target=target, **kwargs))

    def send_critical(
        self, srv: str, body: RequestBody, *, target: str, user: str = SUPPLIER_A, **extra: Any
    ) -> SyncAnswer:
        """The two-leg critical flow: CV 4 for the PreCommand, then CV 5 with it signed."""
        first = self.request(
            srv, body, target=target, user=user, cv=CommandVariant.CRITICAL_TRANSFORM, **extra
        )
        pre = self.dsp.submit(first)
        if not isinstance(pre.body, PreCommand):  # refused: the answer says why
            return pre
        signed = ServiceRequest(
            first.request_id,
            srv,
            CommandVariant.CRITICAL_SIGNED_REMOTE,
            SignedPreCommand(pre.body.payload),
        )
        return self.dsp.submit(signed)

    @property
    def acb(self) -> str:
        """The DCC Access Control Broker's ID: the target of non-device SRVs such as 11.1."""
        return self.dsp.state.acb_id

    def distribute(
        self, *device_ids: str, version: str = EXAMPLE_NEW_FIRMWARE, image: bytes = NEW_IMAGE
    ) -> SyncAnswer:
        """11.1 Update Firmware to these devices."""
        return self.send(
            "11.1",
            UpdateFirmware(image, version, device_ids),
            target=self.acb,
            cv=CommandVariant.NON_DEVICE,
        )

    def activate(
        self, device_id: str, image_hash: bytes = NEW_IMAGE_HASH, **extra: Any
    ) -> SyncAnswer:
        """11.3 Activate Firmware, both legs."""
        return self.send_critical("11.3", ActivateFirmware(image_hash), target=device_id, **extra)

    def read_firmware(self, device_id: str, **kwargs: Any) -> SyncAnswer:
        """11.2 Read Firmware Version."""
        return self.send("11.2", ReadFirmwareVersion(), target=device_id, **kwargs)

    def remove_from_cpl(self, device_type: DeviceType, version: str = EXAMPLE_FIRMWARE) -> int:
        """Mark the example model's firmware Removed on the CPL: its devices are Suspended."""
        entry = CplEntry(
            EXAMPLE_MANUFACTURER, example_model(device_type), version, CplStatus.REMOVED
        )
        return self.dsp.put_cpl_entry(entry)

    def messages(self, user: str = SUPPLIER_A) -> list[object]:
        """What waits for the user: responses and alerts, oldest first."""
        return [entry.message for entry in self.dsp.pending(user)]

    def record(self, device_id: str) -> SmiRecord:
        """The device's SMI record."""
        return self.dsp.device_record(device_id)


def example_dsp(fleet: Fleet | None = None, **dsp_options: Any) -> Dsp:
    """A DSP (built with these options) holding the fleet, by default the example fleet."""
    dsp = Dsp(**dsp_options)
    (fleet or example_fleet()).load_into(dsp)
    return dsp


def make_sim(
    baseline: Baseline | str = Baseline.CURRENT, *, fleet: Fleet | None = None, **dsp_options: Any
) -> Sim:
    """A Sim on the fleet (the example fleet unless given) under this baseline."""
    return Sim(example_dsp(fleet, baseline=Baseline(baseline), **dsp_options))
