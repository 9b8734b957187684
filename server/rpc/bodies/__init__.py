"""The typed API's bodies of the SRVs added with the SRV registry, one module per family."""

from __future__ import annotations

from dccsim.server.rpc.bodies import comms_hub, inventory
from dccsim.server.rpc.bodies.family import (
    BodyReader,
    MessageFamily,
    ResponseFiller,
    SyncFiller,
)

FAMILIES: tuple[MessageFamily, ...] = (
    inventory.FAMILY,
    comms_hub.FAMILY,
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
