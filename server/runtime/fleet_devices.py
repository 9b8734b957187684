"""The fleet's devices as a read-only collection of EUI-64s, for parts outside the core that ask
"is this one of the simulated devices?" (SMKI's certificate search) without reading the state."""

from __future__ import annotations

from collections.abc import Iterator

from dccsim.server.runtime.host import DspHost


class FleetDevices:
    """`eui in devices` (any EUI-64 spelling), `len(devices)`, and iteration over the canonical
    IDs (a copy: the fleet may change meanwhile). Read through the host's named queries."""

    __slots__ = ("_host",)

    def __init__(self, host: DspHost) -> None:
        self._host = host

    def __contains__(self, eui: object) -> bool:
        return self._host.queries.has_device(eui)

    def __len__(self) -> int:
        return self._host.queries.device_count()

    def __iter__(self) -> Iterator[str]:
        return iter(self._host.queries.device_ids())
