"""gRPC messages of the Communications Hub status updates, 8.14.1-8.14.4."""

from __future__ import annotations

from dccsim.server.core.services.comms_hub import HubInstalled, HubReturned
from dccsim.server.rpc.bodies.family import MessageFamily
from dccsim.v1 import supplier_pb2


def _installed(message: supplier_pb2.HubInstalled) -> HubInstalled:
    return HubInstalled(message.device_id, message.install_type, message.mpxn, message.location)


def _returned(message: supplier_pb2.HubReturned) -> HubReturned:
    reason = message.reason if message.HasField("reason") else None
    return HubReturned(message.device_id, message.return_type, reason)


FAMILY = MessageFamily(
    readers={
        "hub_installed": (HubInstalled, _installed),
        "hub_returned": (HubReturned, _returned),
    }
)
