"""The fleet's devices as a read-only collection of EUI-64s, for parts outside the core that ask
"is this one of the simulated devices?" (SMKI's certificate search) without reading the state."""

from __future__ import annotations

from collections.abc import Iterator

from dccsim.server.core.errors import InvalidField
from dccsim.server.core.eui import parse_eui64
from dccsim.server.runtime.host import DspHost


class FleetDevices:
    """`eui in devices` (any EUI-64 spelling), `len(devices)`, and iteration over the canonical
    IDs (a copy taken under the lock: the fleet may change meanwhile)."""

    __slots__ = ("_host",)

    def __init__(self, host: DspHost) -> None:
        self._host = host

    def __contains__(self, eui: object) -> bool:
        try:
            canonical = parse_eui64(eui, "device_id")
        except InvalidField:
            return False
        with self._host.lock:
            return canonical in self._host.dsp.state.smi

    def __len__(self) -> int:
        with self._host.lock:
            return len(self._host.dsp.state.smi)

    def __iter__(self) -> Iterator[str]:
        with self._host.lock:
            ids = [record.device_id for record in self._host.dsp.state.smi]
        return iter(ids)
