"""gRPC messages of the inventory SRVs added with the registry: 8.3 and 12.2. (8.1.1, 8.2 and 8.4
predate it and are converted in `convert`.)"""

from __future__ import annotations

from dccsim.devices.kinds import SmetsVersion
from dccsim.server.core.services.inventory import DecommissionDevice, DevicePrenotification
from dccsim.server.rpc.bodies.family import MessageFamily
from dccsim.server.rpc.wire import DEVICE_TYPES, SMETS
from dccsim.v1 import supplier_pb2


def _decommission(message: supplier_pb2.DecommissionDevice) -> DecommissionDevice:
    return DecommissionDevice(message.device_id)


def _prenotification(message: supplier_pb2.DevicePrenotification) -> DevicePrenotification:
    device_type = DEVICE_TYPES.to_core(message.device_type, "body.device_type")
    assert device_type is not None
    smets = SMETS.to_core(message.smets, "body.smets", required=False)
    return DevicePrenotification(
        device_id=message.device_id,
        manufacturer=message.manufacturer,
        model=message.model,
        device_type=device_type,
        smets=smets or SmetsVersion.SMETS2,
        firmware_version=message.firmware_version if message.HasField("firmware_version") else None,
        esme_variant=message.esme_variant if message.HasField("esme_variant") else None,
    )


FAMILY = MessageFamily(
    readers={
        "decommission_device": (DecommissionDevice, _decommission),
        "device_prenotification": (DevicePrenotification, _prenotification),
    }
)
