"""Every served SRV, one home each (see `registry`): `REGISTRY` maps an SRV to its ServiceSpec."""

from __future__ import annotations

from dccsim.server.core.services import (
    comms_hub,
    credentials,
    firmware,
    inventory,
    prepayment,
    wan,
)
from dccsim.server.core.services.registry import Registry, ServiceSpec

REGISTRY = Registry(
    firmware.family,
    inventory.family,
    prepayment.family,
    credentials.family,
    wan.family,
    comms_hub.family,
)

__all__ = ["REGISTRY", "Registry", "ServiceSpec"]
