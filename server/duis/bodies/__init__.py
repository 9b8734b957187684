"""Every served SRV's DUIS bodies, one module per family (like the core's SRV registry)."""

from __future__ import annotations

from dccsim.server.duis.bodies import (
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
from dccsim.server.duis.bodies.family import (
    BodyFamily,
    MmcWriter,
    ResponseMessageWriter,
    SyncWriter,
)
from dccsim.server.duis.reading import Reader

FAMILIES: tuple[BodyFamily, ...] = (
    schedules.FAMILY,
    firmware.FAMILY,
    inventory.FAMILY,
    comms_hub.FAMILY,
    prepayment.FAMILY,
    credentials.FAMILY,
    wan.FAMILY,
    han.FAMILY,
    service_opt.FAMILY,
    local_command.FAMILY,
    sub_ghz.FAMILY,
    customer_and_network.FAMILY,
    auxiliary_loads.FAMILY,
    configuration.FAMILY,
    display.FAMILY,
    reads.FAMILY,
    tariffs.FAMILY,
)
BODY_READERS: dict[str, tuple[str, Reader]] = {
    srv: entry for family in FAMILIES for srv, entry in family.readers.items()
}
SYNC_WRITERS: dict[type, SyncWriter] = {
    kind: writer for family in FAMILIES for kind, writer in family.sync_writers.items()
}
MMC_WRITERS: dict[type, MmcWriter] = {
    kind: writer for family in FAMILIES for kind, writer in family.mmc_writers.items()
}
EMPTY_RESPONSE_BODIES: dict[str, str] = {
    srv: name for family in FAMILIES for srv, name in family.empty_responses.items()
}
RESPONSE_MESSAGE_WRITERS: dict[type, ResponseMessageWriter] = {
    kind: writer for family in FAMILIES for kind, writer in family.response_messages.items()
}

__all__ = [
    "BODY_READERS",
    "EMPTY_RESPONSE_BODIES",
    "FAMILIES",
    "MMC_WRITERS",
    "RESPONSE_MESSAGE_WRITERS",
    "SYNC_WRITERS",
    "BodyFamily",
    "MmcWriter",
    "ResponseMessageWriter",
    "SyncWriter",
]
