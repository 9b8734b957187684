"""DUIS bodies of the firmware SRVs: 11.1 UpdateFirmware, 11.2 ReadFirmwareVersion, 11.3
ActivateFirmware, 11.4 UpdatePPMIDFirmware in; DSPUpdate(PPMID)FirmwareWarning and the MMC
ReadFirmwareVersionRsp / ActivateFirmwareRsp out."""

from __future__ import annotations

import re

from lxml import etree

from dccsim.devices.firmware import ActivateImageResponseCode
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.eui import parse_eui64
from dccsim.server.core.messages import (
    FirmwareActivation,
    FirmwareVersionRead,
    UpdateFirmwareWarnings,
)
from dccsim.server.core.records import DuisVersion
from dccsim.server.core.requests import (
    ActivateFirmware,
    ReadFirmwareVersion,
    UpdateFirmware,
)
from dccsim.server.duis.bodies.family import BodyFamily
from dccsim.server.duis.reading import (
    BodyReading,
    base64_value,
    optional_datetime,
    sequence,
    text_value,
)
from dccsim.server.duis.writing import ra, sr, sub

MAX_FIRMWARE_IMAGE_CHARS = 10_240_000


_HEX = re.compile(r"[0-9A-Fa-f]*")


def _update_firmware(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(
        element, path, [("FirmwareImage", 1, 1), ("FirmwareVersion", 1, 1), ("DeviceIDList", 1, 1)]
    )
    image_path = f"{path}/FirmwareImage"
    image_element = parts["FirmwareImage"][0]
    if len(image_element):
        raise InvalidField(image_path, "must hold a value, not elements")
    text = image_element.text or ""
    characters = len(text) - sum(text.count(space) for space in " \t\r\n")
    if characters > MAX_FIRMWARE_IMAGE_CHARS:
        raise InvalidField(
            image_path,
            f"{characters:,} base64 characters exceeds DUIS's {MAX_FIRMWARE_IMAGE_CHARS:,}",
        )
    image = base64_value(image_element, image_path)
    version = text_value(parts["FirmwareVersion"][0], f"{path}/FirmwareVersion")
    list_path = f"{path}/DeviceIDList"
    device_list = text_value(parts["DeviceIDList"][0], list_path)
    device_ids = tuple(parse_eui64(part.strip(), list_path) for part in device_list.split(","))
    fields = {
        "body.image": image_path,
        "body.firmware_version": f"{path}/FirmwareVersion",
        "body.device_ids": list_path,
    }
    return UpdateFirmware(image, version, device_ids), None, fields


def _read_firmware_version(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(element, path, [("ExecutionDateTime", 0, 1)])
    return ReadFirmwareVersion(), optional_datetime(parts, path), {}


def _activate_firmware(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(element, path, [("ExecutionDateTime", 0, 1), ("FirmwareHash", 1, 1)])
    hash_path = f"{path}/FirmwareHash"
    text = text_value(parts["FirmwareHash"][0], hash_path)
    if len(text) != 64 or _HEX.fullmatch(text) is None:
        raise InvalidField(hash_path, "a FirmwareHash is 32 bytes written as 64 hex digits")
    body = ActivateFirmware(bytes.fromhex(text))
    return body, optional_datetime(parts, path), {"body.firmware_hash": hash_path}


_ASN1_CODES = {
    ActivateImageResponseCode.SUCCESS: 0,
    ActivateImageResponseCode.NO_IMAGE_HELD: 1,
    ActivateImageResponseCode.HASH_MISMATCH: 2,
    ActivateImageResponseCode.ACTIVATION_FAILURE: 3,
}


def _firmware_warnings(
    message: etree._Element, warnings: UpdateFirmwareWarnings, version: DuisVersion
) -> None:
    # 11.4's warnings have the same shape under a name of their own.
    ppmid = message.findtext(sr("ServiceReferenceVariant")) == "11.4"
    element = sub(message, "DSPUpdatePPMIDFirmwareWarning" if ppmid else "DSPUpdateFirmwareWarning")
    for name, device_ids in (
        ("InvalidDeviceIDList", warnings.invalid_device_ids),
        ("NotCommissionedDeviceIDList", warnings.not_commissioned),
        ("NotApplicableFirmwareDeviceIDList", warnings.not_applicable_firmware),
        ("OtherRequestInProgressList", warnings.other_request_in_progress),
    ):
        if device_ids:
            sub(element, name, ",".join(device_ids))


def _read_firmware_rsp(read: FirmwareVersionRead) -> etree._Element:
    element = etree.Element(ra("ReadFirmwareVersionRsp"))
    sub(element, "FirmwareVersion", read.firmware_version)
    return element


def _activate_firmware_rsp(activation: FirmwareActivation) -> etree._Element:
    element = etree.Element(ra("ActivateFirmwareRsp"))
    if activation.code is not None:
        _asn1_status(sub(element, "ActivateImageResponseCode"), activation.code)
    if activation.firmware_version is not None:
        sub(element, "FirmwareVersion", activation.firmware_version)
    return element


def _asn1_status(element: etree._Element, code: ActivateImageResponseCode) -> None:
    element.set("ResponseCode", str(_ASN1_CODES[code]))
    sub(element, "ASN1Status", code.value)


FAMILY: BodyFamily = BodyFamily(
    readers={
        "11.1": ("UpdateFirmware", _update_firmware),
        "11.2": ("ReadFirmwareVersion", _read_firmware_version),
        "11.3": ("ActivateFirmware", _activate_firmware),
        "11.4": ("UpdatePPMIDFirmware", _update_firmware),
    },
    sync_writers={UpdateFirmwareWarnings: _firmware_warnings},
    mmc_writers={
        FirmwareVersionRead: _read_firmware_rsp,
        FirmwareActivation: _activate_firmware_rsp,
    },
)
