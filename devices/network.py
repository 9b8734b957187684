"""The simulated WAN: every device of the fleet, addressed by its EUI-64."""

from __future__ import annotations

from collections.abc import Iterator

from dccsim.devices.consumption import ConsumptionModel, Readings
from dccsim.devices.device import SimulatedDevice
from dccsim.devices.kinds import DeviceType


class DeviceNetwork:
    def __init__(self, consumption: ConsumptionModel | None = None) -> None:
        self._devices: dict[str, SimulatedDevice] = {}
        # What the fleet's meters measure: derived per device when read, never stored per device.
        self.consumption = consumption or ConsumptionModel()

    # The snapshot contract (dccsim.server.store.codec).
    def to_data(self) -> dict[str, object]:
        return {"devices": list(self._devices.values()), "consumption": self.consumption}

    @classmethod
    def from_data(cls, data: dict[str, object]) -> DeviceNetwork:
        network = cls(data["consumption"])  # type: ignore[arg-type]
        network._devices = {d.device_id: d for d in data["devices"]}  # type: ignore[attr-defined]
        return network

    def readings(self, device: SimulatedDevice) -> Readings | None:
        """What a meter measures (None for a device that measures nothing)."""
        return self.consumption.readings(device.device_id, device.device_type)

    def add(self, device: SimulatedDevice) -> None:
        self._devices[device.device_id] = device

    def remove(self, device_id: str) -> None:
        self._devices.pop(device_id, None)

    def get(self, device_id: str) -> SimulatedDevice | None:
        return self._devices.get(device_id)

    def __contains__(self, device_id: object) -> bool:
        return device_id in self._devices

    def __iter__(self) -> Iterator[SimulatedDevice]:
        return iter(self._devices.values())

    def __len__(self) -> int:
        return len(self._devices)

    def pair_gpf(self, gpf_id: str, gsme_id: str) -> None:
        """Let a GPF relay its GSME's firmware version (DEV-06)."""
        gpf, gsme = self._devices[gpf_id], self._devices[gsme_id]
        if gpf.device_type is not DeviceType.GPF or gsme.device_type is not DeviceType.GSME:
            raise ValueError(f"cannot pair {gpf_id} ({gpf.device_type}) with {gsme_id}")
        gpf.gsme = gsme
