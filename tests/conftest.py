"""Shared fixtures: a DSP loaded with the example fleet, and a request builder."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from dccsim.devices.kinds import DeviceType
from dccsim.server.core.baseline import Baseline
from dccsim.server.core.dsp import Dsp
from dccsim.server.core.fleet import (
    EXAMPLE_DEVICE_IDS,
    EXAMPLE_FIRMWARE,
    EXAMPLE_MANUFACTURER,
    EXAMPLE_NEW_FIRMWARE,
    NETWORK_OPERATOR,
    SUPPLIER_A,
    SUPPLIER_B,
    example_fleet,
    example_model,
)
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.messages import SyncAnswer
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

# The `serve` fixture: `dccsim serve` in a child process.
pytest_plugins = ["tests.processes"]

SHARED = Path(__file__).resolve().parents[2] / "shared"

ESME = EXAMPLE_DEVICE_IDS[DeviceType.ESME]
GSME = EXAMPLE_DEVICE_IDS[DeviceType.GSME]
CHF = EXAMPLE_DEVICE_IDS[DeviceType.CHF]
GPF = EXAMPLE_DEVICE_IDS[DeviceType.GPF]
PPMID = EXAMPLE_DEVICE_IDS[DeviceType.PPMID]
HCALCS = EXAMPLE_DEVICE_IDS[DeviceType.HCALCS]
NEW_IMAGE = b"dccsim test image for firmware 0200"
NEW_IMAGE_HASH = hashlib.sha256(NEW_IMAGE).digest()

__all__ = [
    "CHF", "ESME", "EXAMPLE_FIRMWARE", "EXAMPLE_MANUFACTURER", "EXAMPLE_NEW_FIRMWARE", "GPF",
    "GSME", "HCALCS", "NETWORK_OPERATOR", "NEW_IMAGE", "NEW_IMAGE_HASH", "PPMID", "SHARED",
    "SUPPLIER_A", "SUPPLIER_B", "Sim", "example_model",
]  # fmt: skip


@dataclass
class Sim:
    """A DSP on the example fleet, with helpers that read like a supplier's test script."""

    dsp: Dsp
    _counter: Iterator[int]

    def request(
        self,
        srv: str,
        body: RequestBody,
        *,
        target: str,
        cv: CommandVariant = CommandVariant.NON_CRITICAL_REMOTE,
        user: str = SUPPLIER_A,
        **extra: object,
    ) -> ServiceRequest:
        return ServiceRequest(RequestId(user, target, next(self._counter)), srv, cv, body, **extra)

    def send(self, srv: str, body: RequestBody, *, target: str, **kwargs: object) -> SyncAnswer:
        return self.dsp.submit(self.request(srv, body, target=target, **kwargs))

    def send_critical(
        self, srv: str, body: RequestBody, *, target: str, user: str = SUPPLIER_A, **extra: object
    ) -> SyncAnswer:
        """The two-leg critical flow: CV 4 for the PreCommand, then CV 5 with it signed."""
        first = self.request(
            srv, body, target=target, user=user, cv=CommandVariant.CRITICAL_TRANSFORM, **extra
        )
        pre = self.dsp.submit(first)
        if pre.body is None:
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
        return self.dsp.state.acb_id

    def distribute(
        self, *device_ids: str, version: str = EXAMPLE_NEW_FIRMWARE, image: bytes = NEW_IMAGE
    ) -> SyncAnswer:
        return self.send(
            "11.1",
            UpdateFirmware(image, version, device_ids),
            target=self.acb,
            cv=CommandVariant.NON_DEVICE,
        )

    def activate(self, device_id: str, image_hash: bytes = NEW_IMAGE_HASH, **extra: object):
        return self.send_critical("11.3", ActivateFirmware(image_hash), target=device_id, **extra)

    def read_firmware(self, device_id: str, **kwargs: object) -> SyncAnswer:
        return self.send("11.2", ReadFirmwareVersion(), target=device_id, **kwargs)

    def remove_from_cpl(self, device_type: DeviceType, version: str = EXAMPLE_FIRMWARE) -> int:
        entry = CplEntry(
            EXAMPLE_MANUFACTURER, example_model(device_type), version, CplStatus.REMOVED
        )
        return self.dsp.put_cpl_entry(entry)

    def messages(self, user: str = SUPPLIER_A) -> list[object]:
        return [entry.message for entry in self.dsp.pending(user)]

    def record(self, device_id: str):
        return self.dsp.device_record(device_id)


def example_dsp(**dsp_options: object) -> Dsp:
    """A DSP (built with these options) holding the example fleet."""
    dsp = Dsp(**dsp_options)
    example_fleet().load_into(dsp)
    return dsp


def make_sim(baseline: Baseline = Baseline.CURRENT, **dsp_options: object) -> Sim:
    return Sim(example_dsp(baseline=baseline, **dsp_options), itertools.count(1000))


@pytest.fixture
def sim() -> Sim:
    return make_sim()


@pytest.fixture
def pre_mp105_sim() -> Sim:
    return make_sim(Baseline.PRE_MP105)
