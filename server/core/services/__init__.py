"""Every served SRV, one home each (see `registry`): `REGISTRY` maps an SRV to its ServiceSpec."""

from __future__ import annotations

from dccsim.server.core.services import (
    auxiliary_loads,
    comms_hub,
    configuration,
    credentials,
    customer_and_network,
    display,
    firmware,
    han,
    inventory,
    local_command,
    prepayment,
    reads,
    schedules,
    service_opt,
    sub_ghz,
    tariffs,
    wan,
)
from dccsim.server.core.services.registry import Registry, ServiceSpec

REGISTRY = Registry(
    schedules.family,
    firmware.family,
    inventory.family,
    prepayment.family,
    credentials.family,
    wan.family,
    comms_hub.family,
    han.family,
    service_opt.family,
    local_command.family,
    sub_ghz.family,
    customer_and_network.family,
    auxiliary_loads.family,
    configuration.family,
    display.family,
    reads.family,
    tariffs.family,
)

__all__ = ["REGISTRY", "Registry", "ServiceSpec"]
