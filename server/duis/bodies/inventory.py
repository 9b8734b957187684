"""DUIS bodies of the inventory SRVs: 8.1.1 CommissionDeviceSynchroniseClock, 8.2 ReadInventory,
8.3 DecommissionDevice, 8.4 UpdateInventory, 12.2 DevicePrenotification in; DSPInventory out."""

from __future__ import annotations

import re

from lxml import etree

from dccsim.devices.kinds import DeviceType, SmetsVersion
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.eui import parse_eui64
from dccsim.server.core.messages import (
    InventoryResult,
)
from dccsim.server.core.records import DuisVersion, SmiRecord, SmiStatus
from dccsim.server.core.requests import (
    CommissionDevice,
    DeleteDevice,
    DeviceDetailsChange,
    InventoryChange,
    MpxnChange,
    ReadInventory,
    StatusChange,
    UpdateInventory,
)
from dccsim.server.core.services.inventory import DecommissionDevice, DevicePrenotification
from dccsim.server.duis.bodies.family import BodyFamily
from dccsim.server.duis.reading import (
    BodyReading,
    Fields,
    datetime_value,
    element_children,
    only_child,
    sequence,
    text_value,
    unsigned_value,
    uprn_value,
)
from dccsim.server.duis.writing import sub

_STATUS_EXCEPT_CH = ("Pending", "InstalledNotCommissioned")


_STATUS_CH = ("Commissioned", "Withdrawn", "InstalledNotCommissioned")


def _commission(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(element, path, [("CurrentDateTime", 1, 1), ("TolerancePeriod", 1, 1)])
    datetime_value(parts["CurrentDateTime"][0], f"{path}/CurrentDateTime")
    tolerance = unsigned_value(parts["TolerancePeriod"][0], f"{path}/TolerancePeriod")
    if tolerance > 86_400:
        raise InvalidField(f"{path}/TolerancePeriod", f"{tolerance} is over 86400 seconds")
    return CommissionDevice(), None, {}


def _read_inventory(element: etree._Element, path: str) -> BodyReading:
    key = only_child(element, path)
    name = etree.QName(key).localname
    key_path = f"{path}/{name}"
    if name == "DeviceID":
        body = ReadInventory(device_id=parse_eui64(text_value(key, key_path), key_path))
    elif name == "MPxN":
        body = ReadInventory(mpxn=text_value(key, key_path))
    elif name == "UPRN":
        body = ReadInventory(uprn=uprn_value(key, key_path))
    elif name == "PropertyFilter":
        raise InvalidField(key_path, "searching the inventory by PropertyFilter is not simulated")
    else:
        raise InvalidField(key_path, "is not a ReadInventory search key")
    fields = {"body.device_id": key_path, "body.mpxn": key_path, "body.uprn": key_path}
    return body, None, fields


def _update_inventory(element: etree._Element, path: str) -> BodyReading:
    children = element_children(element, path)
    if not children or etree.QName(children[0]).localname != "DeviceID":
        raise InvalidField(f"{path}/DeviceID", "is required first")
    device_id = parse_eui64(text_value(children[0], f"{path}/DeviceID"), f"{path}/DeviceID")
    if len(children) != 2:
        raise InvalidField(path, "holds a DeviceID and exactly one change")
    change_element = children[1]
    name = etree.QName(change_element).localname
    change_path = f"{path}/{name}"
    fields = {"body.device_id": f"{path}/DeviceID", "body.change": change_path}
    change: InventoryChange
    if name in ("UpdateDeviceStatusExceptCH", "UpdateDeviceStatusCH"):
        allowed = _STATUS_EXCEPT_CH if name == "UpdateDeviceStatusExceptCH" else _STATUS_CH
        status = text_value(change_element, change_path)
        if status not in allowed:
            raise InvalidField(change_path, f"{status!r} is not one of {', '.join(allowed)}")
        change = StatusChange(SmiStatus(status))
        fields["body.change.new_status"] = change_path
    elif name == "UpdateDeviceDetails":
        change = _device_details(change_element, change_path, fields)
    elif name == "DeleteDevice":
        sequence(change_element, change_path, [])
        change = DeleteDevice()
    elif name == "UpdateMPxN":
        mpxn = only_child(change_element, change_path)
        mpxn_name = etree.QName(mpxn).localname
        mpxn_path = f"{change_path}/{mpxn_name}"
        if mpxn_name != "ImportMPxN":
            raise InvalidField(
                mpxn_path, "is not simulated: dccsim keeps one import MPxN for each device"
            )
        change = MpxnChange(text_value(mpxn, mpxn_path))
        fields["body.change.import_mpxn"] = mpxn_path
    else:
        raise InvalidField(change_path, "is not an UpdateInventory change")
    return UpdateInventory(device_id, change), None, fields


def _device_details(element: etree._Element, path: str, fields: Fields) -> DeviceDetailsChange:
    names = ("DeviceManufacturer", "DeviceModel", "SMETSCHTSVersion", "FirmwareVersion")
    parts = sequence(element, path, [*((n, 0, 1) for n in names), ("ESMEVariant", 0, 1)])
    values = {
        name: text_value(items[0], f"{path}/{name}") if items else None
        for name, items in parts.items()
    }
    smets = None
    if (text := values["SMETSCHTSVersion"]) is not None:
        upper = text.upper()
        if upper.startswith("SMETS1"):
            smets = SmetsVersion.SMETS1
        elif upper.startswith(("SMETS2", "CHTS")):
            smets = SmetsVersion.SMETS2
        else:
            raise InvalidField(
                f"{path}/SMETSCHTSVersion", f"{text!r} names neither SMETS1, SMETS2 nor CHTS"
            )
    fields.update(
        {
            "body.change.manufacturer": f"{path}/DeviceManufacturer",
            "body.change.model": f"{path}/DeviceModel",
            "body.change.firmware_version": f"{path}/FirmwareVersion",
            "body.change.esme_variant": f"{path}/ESMEVariant",
        }
    )
    return DeviceDetailsChange(
        manufacturer=values["DeviceManufacturer"],
        model=values["DeviceModel"],
        smets=smets,
        firmware_version=values["FirmwareVersion"],
        esme_variant=values["ESMEVariant"],
    )


def _decommission(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(element, path, [("DeviceID", 1, 1)])
    device_path = f"{path}/DeviceID"
    device_id = parse_eui64(text_value(parts["DeviceID"][0], device_path), device_path)
    return DecommissionDevice(device_id), None, {"body.device_id": device_path}


_PRENOTIFICATION = [
    ("DeviceID", 1, 1),
    ("DeviceManufacturer", 1, 1),
    ("DeviceModel", 1, 1),
    ("DeviceType", 1, 1),
    ("SMETSCHTSVersion", 0, 1),
    ("FirmwareVersion", 0, 1),
    ("ESMEVariant", 0, 1),
    ("AssociatedGPFDeviceID", 0, 1),
]


def _prenotification(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(element, path, _PRENOTIFICATION)
    values = {
        name: text_value(items[0], f"{path}/{name}") if items else None
        for name, items in parts.items()
    }
    device_path = f"{path}/DeviceID"
    device_id = parse_eui64(values["DeviceID"], device_path)
    type_path = f"{path}/DeviceType"
    try:
        device_type = DeviceType(values["DeviceType"] or "")  # DeviceType is mandatory
    except ValueError:
        raise InvalidField(
            type_path, f"{values['DeviceType']!r} is not a DUIS DeviceType"
        ) from None
    for gpf in parts["AssociatedGPFDeviceID"]:
        parse_eui64(
            text_value(gpf, f"{path}/AssociatedGPFDeviceID"), f"{path}/AssociatedGPFDeviceID"
        )
    body = DevicePrenotification(
        device_id=device_id,
        manufacturer=values["DeviceManufacturer"] or "",
        model=values["DeviceModel"] or "",
        device_type=device_type,
        smets=_prenotified_smets(values["SMETSCHTSVersion"]),
        firmware_version=values["FirmwareVersion"],
        esme_variant=values["ESMEVariant"],
    )
    fields = {
        "body.device_id": device_path,
        "body.manufacturer": f"{path}/DeviceManufacturer",
        "body.model": f"{path}/DeviceModel",
        "body.device_type": type_path,
        "body.firmware_version": f"{path}/FirmwareVersion",
        "body.esme_variant": f"{path}/ESMEVariant",
    }
    return body, None, fields


def _prenotified_smets(text: str | None) -> SmetsVersion:
    """Decision: a pre-notified SMETSCHTSVersion that names version 1 (`SMETS1...`, or RTDS's
    `SMETS V1.58`) is SMETS1; any other, or none, SMETS2."""
    if text is not None and re.match(r"SMETS\s*V?1", text.upper()):
        return SmetsVersion.SMETS1
    return SmetsVersion.SMETS2


def _inventory(message: etree._Element, result: InventoryResult, version: DuisVersion) -> None:
    inventory = sub(message, "DSPInventory")
    for record, cpl_status in zip(result.devices, result.cpl_status, strict=True):
        _inventory_device(sub(inventory, "Device"), record, cpl_status)


def _inventory_device(device: etree._Element, record: SmiRecord, cpl_status: str | None) -> None:
    sub(device, "DeviceID", record.device_id)
    sub(device, "DeviceType", record.device_type.value)
    sub(device, "DeviceStatus", record.status.value)
    sub(device, "DeviceManufacturer", record.manufacturer)
    sub(device, "DeviceModel", record.model)
    sub(device, "SMETSCHTSVersion", record.smets.value)
    sub(device, "DeviceFirmwareVersion", record.firmware_version)
    if cpl_status is not None:
        sub(device, "DeviceFirmwareVersionStatus", cpl_status)
        sub(device, "CPLStatus", cpl_status)
    if record.date_commissioned is not None:
        sub(device, "DateCommissioned", record.date_commissioned.isoformat())
    if record.mpxn is not None:
        sub(device, "ImportMPxN", record.mpxn)
    if record.esme_variant is not None:
        sub(device, "ESMEVariant", record.esme_variant)
    if record.uprn is not None:
        sub(device, "UPRN", str(record.uprn))


FAMILY: BodyFamily = BodyFamily(
    readers={
        "8.1.1": ("CommissionDeviceSynchroniseClock", _commission),
        "8.2": ("ReadInventory", _read_inventory),
        "8.3": ("DecommissionDevice", _decommission),
        "8.4": ("UpdateInventory", _update_inventory),
        "12.2": ("DevicePrenotification", _prenotification),
    },
    sync_writers={InventoryResult: _inventory},
    empty_responses={"8.1.1": "CommissionDeviceSynchroniseClockRsp"},
)
