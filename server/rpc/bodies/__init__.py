"""The typed API's bodies of the SRVs added with the SRV registry, one module per family."""

from __future__ import annotations

from dccsim.server.rpc.bodies import (
    auxiliary_loads,
    comms_hub,
    configuration,
    credentials,
    customer_and_network,
    display,
    han,
    inventory,
    local_command,
    prepayment,
    reads,
    schedules,
    service_opt,
    sub_ghz,
    tariffs,
)
from dccsim.server.rpc.bodies.family import (
    BodyReader,
    MessageFamily,
    ResponseFiller,
    SyncFiller,
)

FAMILIES: tuple[MessageFamily, ...] = (
    schedules.FAMILY,
    inventory.FAMILY,
    auxiliary_loads.FAMILY,
    comms_hub.FAMILY,
    credentials.FAMILY,
    han.FAMILY,
    service_opt.FAMILY,
    local_command.FAMILY,
    sub_ghz.FAMILY,
    customer_and_network.FAMILY,
    reads.FAMILY,
    configuration.FAMILY,
    display.FAMILY,
    tariffs.FAMILY,
    prepayment.FAMILY,
)
BODY_READERS: dict[str, tuple[type, BodyReader]] = {
    field: entry for family in FAMILIES for field, entry in family.readers.items()
}
SYNC_FILLERS: dict[type, SyncFiller] = {
    kind: filler for family in FAMILIES for kind, filler in family.sync_fillers.items()
}
RESPONSE_FILLERS: dict[type, ResponseFiller] = {
    kind: filler for family in FAMILIES for kind, filler in family.response_fillers.items()
}

__all__ = ["BODY_READERS", "FAMILIES", "RESPONSE_FILLERS", "SYNC_FILLERS", "MessageFamily"]
