"""DUIS bodies of the Communications Hub status updates, 8.14.1-8.14.4."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from dccsim.server.core.eui import parse_eui64
from dccsim.server.core.services.comms_hub import HubInstalled, HubReturned
from dccsim.server.duis.bodies.family import BodyFamily
from dccsim.server.duis.reading import (
    BodyReading,
    boolean_value,
    datetime_value,
    sequence,
    text_value,
)

# The elements of the four Communications Hub status updates (8.14.x), in the schema's order;
# those the simulator keeps are read, the others checked for form by the schema when one is given.
_HUB_INSTALLED = [
    ("DeviceID", 1, 1),
    ("CHFInstallType", 1, 1),
    ("InstallDateTime", 0, 1),
    ("UserRefID", 0, 1),
    ("MPxN", 1, 1),
    ("GISData", 0, 1),
    ("AerialInstall", 1, 1),
    ("CHFLocation", 1, 1),
]


_HUB_NO_WAN = [
    *_HUB_INSTALLED,
    ("PremiseType", 1, 1),
    ("MetalObstructionCheck", 1, 1),
    ("ConnectivityObstructionCheck", 1, 1),
    ("SharedObstructionCheck", 1, 1),
]


_HUB_FAULT_RETURN = [
    ("DeviceID", 1, 1),
    ("CHFFaultReturnType", 1, 1),
    ("UserRefDateTime", 0, 1),
    ("UserRefID", 0, 1),
    ("OtherDeviceID", 1, 1),
    ("IncidentReference", 0, 1),
    ("CHFConnectionMethod", 1, 1),
    ("CHFFaultReason", 1, 1),
]


_HUB_NO_FAULT_RETURN = [
    ("DeviceID", 1, 1),
    ("CHFNoFaultReturnType", 1, 1),
    ("UserRefDateTime", 0, 1),
    ("UserRefID", 0, 1),
    ("IncidentReference", 0, 1),
]


_ADDITIONAL_INFORMATION = ("AdditionalInformation", 0, 1)


def _hub_device(parts: dict[str, list[etree._Element]], path: str) -> str:
    device_path = f"{path}/DeviceID"
    return parse_eui64(text_value(parts["DeviceID"][0], device_path), device_path)


def _hub_installed(
    layout: list[tuple[str, int, int]],
) -> Callable[[etree._Element, str], BodyReading]:
    def read(element: etree._Element, path: str) -> BodyReading:
        parts = sequence(element, path, [*layout, _ADDITIONAL_INFORMATION])
        for name in ("AerialInstall", *(n for n, _, _ in layout if n.endswith("Check"))):
            boolean_value(parts[name][0], f"{path}/{name}")
        for when in parts["InstallDateTime"]:
            datetime_value(when, f"{path}/InstallDateTime")
        body = HubInstalled(
            device_id=_hub_device(parts, path),
            install_type=text_value(parts["CHFInstallType"][0], f"{path}/CHFInstallType"),
            mpxn=text_value(parts["MPxN"][0], f"{path}/MPxN"),
            location=text_value(parts["CHFLocation"][0], f"{path}/CHFLocation"),
        )
        fields = {
            "body.device_id": f"{path}/DeviceID",
            "body.install_type": f"{path}/CHFInstallType",
            "body.mpxn": f"{path}/MPxN",
            "body.location": f"{path}/CHFLocation",
        }
        return body, None, fields

    return read


def _hub_returned(
    layout: list[tuple[str, int, int]], type_element: str
) -> Callable[[etree._Element, str], BodyReading]:
    def read(element: etree._Element, path: str) -> BodyReading:
        parts = sequence(element, path, [*layout, _ADDITIONAL_INFORMATION])
        for when in parts["UserRefDateTime"]:
            datetime_value(when, f"{path}/UserRefDateTime")
        for other in parts.get("OtherDeviceID", []):
            parse_eui64(text_value(other, f"{path}/OtherDeviceID"), f"{path}/OtherDeviceID")
        reasons = parts.get("CHFFaultReason", [])
        body = HubReturned(
            device_id=_hub_device(parts, path),
            return_type=text_value(parts[type_element][0], f"{path}/{type_element}"),
            reason=text_value(reasons[0], f"{path}/CHFFaultReason") if reasons else None,
        )
        fields = {
            "body.device_id": f"{path}/DeviceID",
            "body.return_type": f"{path}/{type_element}",
            "body.reason": f"{path}/CHFFaultReason",
        }
        return body, None, fields

    return read


FAMILY: BodyFamily = BodyFamily(
    readers={
        "8.14.1": ("CHFInstallSuccessSMWAN", _hub_installed(_HUB_INSTALLED)),
        "8.14.2": ("CHFInstallSuccessNoSMWAN", _hub_installed(_HUB_NO_WAN)),
        "8.14.3": ("CHFFaultReturn", _hub_returned(_HUB_FAULT_RETURN, "CHFFaultReturnType")),
        "8.14.4": ("CHFNoFaultReturn", _hub_returned(_HUB_NO_FAULT_RETURN, "CHFNoFaultReturnType")),
    },
)
