"""The SRV registry: one home per Service Reference Variant.

Each family module (firmware, inventory, prepayment, ...) declares, for each SRV it serves, its
request body type, how the body is checked, the device types it applies to, how the DSP or the
device executes it and the response bodies it can produce, with a decorator on the execution:

    family = Family()

    @family.device("11.2", body=ReadFirmwareVersion, responses=(FirmwareVersionRead,), ...)
    def read_firmware(state, request, device) -> Outcome: ...

The pipeline (validation, authorisation, the DSP, the device stage) and the transport layers (the
DUIS reader and writer, the gRPC conversion) are keyed by the assembled `REGISTRY`
(`dccsim.server.core.services`), and a test fails when any layer misses one of its SRVs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from dccsim.devices.device import SimulatedDevice
from dccsim.devices.kinds import DeviceType
from dccsim.server.core.delivery import Outcome
from dccsim.server.core.matrix import SERVICE_MATRIX
from dccsim.server.core.messages import SyncAnswer
from dccsim.server.core.requests import ServiceRequest
from dccsim.server.core.state import DspState

DeviceRun = Callable[[DspState, ServiceRequest, SimulatedDevice], Outcome]
DspRun = Callable[[DspState, ServiceRequest], SyncAnswer]
BodyCheck = Callable[[Any], None]


@dataclass(frozen=True, slots=True)
class ServiceSpec:
    """Everything the core knows of one served SRV."""

    srv: str
    body: type
    check: BodyCheck | None  # None: the body carries nothing to check
    device_types: frozenset[DeviceType] | None  # None: any device type (or a non-device SRV)
    run_on_device: DeviceRun | None
    run_in_dsp: DspRun | None
    responses: tuple[type, ...]  # the response bodies (device or synchronous) it can produce
    # The device itself holds the future-dated form (11.3's "Device" pattern); otherwise the DSP
    # holds it until its time (SRV-05).
    device_holds_future_dated: bool = False

    def applies_to(self, device_type: DeviceType) -> bool:
        return self.device_types is None or device_type in self.device_types


class Family:
    """Collects a family module's SRVs as it is imported; `specs` are its finished entries."""

    def __init__(self) -> None:
        self._specs: list[ServiceSpec] = []

    @property
    def specs(self) -> tuple[ServiceSpec, ...]:
        return tuple(self._specs)

    def device(
        self,
        srv: str,
        *,
        body: type,
        check: BodyCheck | None = None,
        device_types: Iterable[DeviceType] | None = None,
        responses: tuple[type, ...] = (),
        device_holds_future_dated: bool = False,
    ) -> Callable[[DeviceRun], DeviceRun]:
        def register(run: DeviceRun) -> DeviceRun:
            self._specs.append(
                ServiceSpec(
                    srv,
                    body,
                    check,
                    None if device_types is None else frozenset(device_types),
                    run,
                    None,
                    responses,
                    device_holds_future_dated,
                )
            )
            return run

        return register

    def dsp(
        self,
        srv: str,
        *,
        body: type,
        check: BodyCheck | None = None,
        responses: tuple[type, ...] = (),
    ) -> Callable[[DspRun], DspRun]:
        def register(run: DspRun) -> DspRun:
            self._specs.append(ServiceSpec(srv, body, check, None, None, run, responses))
            return run

        return register


class Registry(Mapping[str, ServiceSpec]):
    """SRV -> ServiceSpec, checked against the Service Request Matrix as it is assembled."""

    def __init__(self, *families: Family) -> None:
        specs: dict[str, ServiceSpec] = {}
        for family in families:
            for spec in family.specs:
                if spec.srv in specs:
                    raise AssertionError(f"SRV {spec.srv} is registered twice")
                definition = SERVICE_MATRIX.get(spec.srv)
                if definition is None:
                    raise AssertionError(f"SRV {spec.srv} is not in the Service Request Matrix")
                if definition.non_device is (spec.run_in_dsp is None):
                    raise AssertionError(f"SRV {spec.srv}: non-device SRVs run in the DSP")
                specs[spec.srv] = spec
        self._specs = MappingProxyType(specs)
        self.body_types = frozenset(spec.body for spec in specs.values())

    def __getitem__(self, srv: str) -> ServiceSpec:
        return self._specs[srv]

    @property
    def by_srv(self) -> Mapping[str, ServiceSpec]:
        """The specs as a read-only dict: what every request's path looks SRVs up in (a
        Mapping subclass's `get` and `[]` cost a Python call each)."""
        return self._specs

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)

    def applies_to(self, srv: str, device_type: DeviceType) -> bool:
        """REQ-06 (E11): does the SRV apply to this device type? Unserved SRVs apply to any."""
        spec = self._specs.get(srv)
        return spec is None or spec.applies_to(device_type)
