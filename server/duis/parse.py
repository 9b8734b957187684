"""DUIS request documents (`sr:Request`) in, the core's typed `ServiceRequest` out.

`parse_request(xml)` accepts what real supplier adapters send: schemaVersion 5.1, 5.2, 5.3 or 5.4
in the namespace http://www.dccinterface.co.uk/ServiceUserGateway, with or without a
`ds:Signature` (**signatures are not verified**; `ParsedRequest.signed` says whether one came).

Every document is loaded safely (`safe.load_document`: no entities, no DTD, no network, bounded
depth and size). A structural check always runs: the root, the Header's elements in order, one Body
element that fits the Service Reference Variant, and for every SRV the simulator serves each element
of the body, in order, with its value. With `schema=` (a `DuisSchemas` of official XSDs the user
supplies, a single `DuisSchema` or a compiled `lxml.etree.XMLSchema`) the document is first
validated strictly against the official schema too. Finally the request passes the core's own
validation, so a `ParsedRequest` is one `Dsp.submit` accepts as well-formed.

Anything wrong raises the core's `InvalidField`, whose `field` names the element as a path below
the root (`Header/CommandVariant`, `Body/UpdateFirmware/FirmwareImage`) or `document` / `Request`
for the document as a whole. Nothing is changed by a refused document.

Bodies, by SRV: 2.2 TopUpDevice; 6.23 UpdateSecurityCredentialsCoS; 8.1.1
CommissionDeviceSynchroniseClock; 8.2 ReadInventory; 8.4 UpdateInventory (status, details, delete,
MPxN); 11.1 UpdateFirmware; 11.2 ReadFirmwareVersion; 11.3 ActivateFirmware (the
ExecutionDateTime 3000-12-31T00:00:00Z cancels); 12.1 RequestWANMatrix; SignedPreCommand with
Command Variant 5, 6 or 7 for any critical SRV; any other SRV is validated and authorised by the
core with a `NoBody` body (and its ExecutionDateTime, where the body starts with one).

Decisions:
- Command Variants 5, 6 and 7 carry a SignedPreCommand and a SignedPreCommand comes only with
  them (REQ-05's two-leg flow); any other pairing is refused naming `Header/CommandVariant` or the
  body.
- An xs:dateTime without a time zone is taken as UTC (DUIS times are UTC).
- FirstInSequence and PrecedingServiceRequestID are checked for form and otherwise ignored: dccsim
  does not simulate DSP-sequenced requests.
- Forms the core cannot hold are refused as not simulated, naming the element: 8.2 by
  PropertyFilter, and 8.4 UpdateMPxN of a SecondaryImportMPAN or an ExportMPAN.
- SMETSCHTSVersion (8.4 UpdateDeviceDetails) is read as SMETS1 when it begins `SMETS1`, and as
  SMETS2 when it begins `SMETS2` or `CHTS`.
- FirmwareImage is limited to 10,240,000 base64 characters (whitespace not counted), checked
  before it is decoded.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from lxml import etree

from dccsim.devices.kinds import DeviceType
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.eui import parse_eui64
from dccsim.server.core.matrix import SERVICE_MATRIX, CommandVariant
from dccsim.server.core.records import DuisVersion, SmetsVersion, SmiStatus
from dccsim.server.core.requests import (
    ActivateFirmware,
    CommissionDevice,
    DeleteDevice,
    DeviceDetailsChange,
    MpxnChange,
    NoBody,
    ReadFirmwareVersion,
    ReadInventory,
    RequestBody,
    RequestId,
    RequestWanMatrix,
    ServiceRequest,
    SignedPreCommand,
    StatusChange,
    TopUpDevice,
    UpdateFirmware,
    UpdateInventory,
    UpdateSecurityCredentialsCoS,
)
from dccsim.server.core.services.comms_hub import HubInstalled, HubReturned
from dccsim.server.core.services.inventory import DecommissionDevice, DevicePrenotification
from dccsim.server.core.validation import validate
from dccsim.server.duis.names import DS_NS, SR_NS, schema_version_value, service_reference
from dccsim.server.duis.safe import load_document
from dccsim.server.duis.schemas import StrictSchema, validate_request_against

MAX_FIRMWARE_IMAGE_CHARS = 10_240_000
_XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

_SIGNED_CVS = frozenset(
    {
        CommandVariant.CRITICAL_SIGNED_REMOTE,
        CommandVariant.CRITICAL_SIGNED_LOCAL,
        CommandVariant.CRITICAL_SIGNED_REMOTE_AND_LOCAL,
    }
)
_STATUS_EXCEPT_CH = ("Pending", "InstalledNotCommissioned")
_STATUS_CH = ("Commissioned", "Withdrawn", "InstalledNotCommissioned")
# ASCII digits only: \d would also take other scripts' digits, which int() accepts.
_DATETIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})?"
)
_HEX = re.compile(r"[0-9A-Fa-f]*")
_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True, slots=True)
class ParsedRequest:
    """A DUIS request, read: the core request and what the document said about itself."""

    request: ServiceRequest
    schema_version: DuisVersion  # the document's schemaVersion
    body_element: str  # e.g. "UpdateFirmware"
    signed: bool  # a ds:Signature came with it (not verified)


def parse_request(xml: bytes, *, schema: StrictSchema | None = None) -> ParsedRequest:
    """Read one DUIS `sr:Request` document; raise InvalidField naming what is wrong."""
    tree = load_document(xml)
    root = tree.getroot()
    version = _check_root(root)
    if schema is not None:
        validate_request_against(schema, tree)
    return _read_request(root, version)


# -- the envelope --------------------------------------------------------------------------------


def _check_root(root: etree._Element) -> DuisVersion:
    name = etree.QName(root)
    if name.namespace != SR_NS:
        raise InvalidField(
            "Request",
            f"the root element {name.localname!r} is in namespace {name.namespace!r}, not "
            f"DUIS's {SR_NS!r}",
        )
    if name.localname != "Request":
        raise InvalidField("Request", f"the root element is sr:{name.localname}, not sr:Request")
    text = root.get("schemaVersion")
    if text is None:
        raise InvalidField("Request/@schemaVersion", "is required")
    version = schema_version_value(text)
    if version is None:
        raise InvalidField(
            "Request/@schemaVersion",
            f"{text!r} is not a DUIS schema version dccsim accepts (5.1 to 5.4)",
        )
    for attribute in root.attrib:
        # xsi: attributes (e.g. xsi:schemaLocation) are allowed on any element by XML Schema.
        if attribute != "schemaVersion" and not attribute.startswith(f"{{{_XSI_NS}}}"):
            raise InvalidField(f"Request/@{attribute}", "is not a DUIS attribute")
    return version


def _read_request(root: etree._Element, version: DuisVersion) -> ParsedRequest:
    parts = _sequence(root, "", [("Header", 1, 1), ("Body", 1, 1), ("ds:Signature", 0, 1)])
    request_id, cv, srv = _read_header(parts["Header"][0])
    body_element = _only_child(parts["Body"][0], "Body")
    name = etree.QName(body_element).localname
    path = f"Body/{name}"
    body, when, fields = _read_body(body_element, path, srv, cv)
    request = ServiceRequest(request_id, srv, cv, body, execution_datetime=when)
    try:
        request, _ = validate(request)
    except InvalidField as error:
        raise InvalidField(_xml_field(error.field, path, fields), error.reason) from None
    return ParsedRequest(request, version, name, signed=bool(parts["Signature"]))


def _read_header(header: etree._Element) -> tuple[RequestId, CommandVariant, str]:
    parts = _sequence(
        header,
        "Header",
        [
            ("RequestID", 1, 1),
            ("FirstInSequence", 0, 1),
            ("PrecedingServiceRequestID", 0, 1),
            ("CommandVariant", 1, 1),
            ("ServiceReference", 1, 1),
            ("ServiceReferenceVariant", 1, 1),
        ],
    )
    path = "Header/RequestID"
    request_id = RequestId.parse(_text(parts["RequestID"][0], path), path)
    for element in parts["FirstInSequence"]:
        _boolean(element, "Header/FirstInSequence")
    for element in parts["PrecedingServiceRequestID"]:
        path = "Header/PrecedingServiceRequestID"
        RequestId.parse(_text(element, path), path)
    cv_text = _text(parts["CommandVariant"][0], "Header/CommandVariant")
    # Compared as text: int() of thousands of digits (leading zeros included) raises ValueError.
    cv_digit = cv_text.lstrip("0") if _DIGITS.fullmatch(cv_text) else ""
    if len(cv_digit) != 1 or not "1" <= cv_digit <= "8":
        raise InvalidField("Header/CommandVariant", f"{cv_text!r} is not a Command Variant (1-8)")
    cv = CommandVariant(int(cv_digit))
    srv = _text(parts["ServiceReferenceVariant"][0], "Header/ServiceReferenceVariant")
    if srv not in SERVICE_MATRIX:
        raise InvalidField(
            "Header/ServiceReferenceVariant", f"{srv!r} is not a DUIS Service Reference Variant"
        )
    reference = _text(parts["ServiceReference"][0], "Header/ServiceReference")
    if reference != service_reference(srv):
        raise InvalidField(
            "Header/ServiceReference",
            f"{reference!r} does not match ServiceReferenceVariant {srv!r} "
            f"(expected {service_reference(srv)!r})",
        )
    return request_id, cv, srv


# -- bodies --------------------------------------------------------------------------------------

Fields = dict[str, str]  # core field name -> element path
BodyReading = tuple[RequestBody, datetime | None, Fields]  # body, ExecutionDateTime, fields


def _read_body(element: etree._Element, path: str, srv: str, cv: CommandVariant) -> BodyReading:
    name = etree.QName(element).localname
    if name == "SignedPreCommand":
        if cv not in _SIGNED_CVS:
            raise InvalidField(
                "Header/CommandVariant",
                f"a SignedPreCommand is sent with Command Variant 5, 6 or 7, not {int(cv)}",
            )
        return _signed_pre_command(element, path)
    if cv in _SIGNED_CVS:
        raise InvalidField(
            path,
            f"Command Variant {int(cv)} carries a SignedPreCommand (the PreCommand that Command "
            "Variant 4 returned, signed), not a service request body",
        )
    entry = BODY_READERS.get(srv)
    if entry is None:
        if name in _SRV_OF_BODY:
            raise InvalidField(
                path, f"a {name} body belongs to SRV {_SRV_OF_BODY[name]}, not {srv}"
            )
        return NoBody(), _leading_execution_datetime(element, path), {}
    expected, reader = entry
    if name != expected:
        raise InvalidField(path, f"SRV {srv} takes a {expected} body, not {name}")
    return reader(element, path)


def _signed_pre_command(element: etree._Element, path: str) -> BodyReading:
    parts = _sequence(element, path, [("ExecutionDateTime", 0, 1), ("GBCSPayload", 1, 1)])
    payload = _base64(parts["GBCSPayload"][0], f"{path}/GBCSPayload")
    fields = {"body.payload": f"{path}/GBCSPayload"}
    return SignedPreCommand(payload), _optional_datetime(parts, path), fields


def _top_up(element: etree._Element, path: str) -> BodyReading:
    parts = _sequence(element, path, [("UTRN", 1, 1)])
    utrn = _text(parts["UTRN"][0], f"{path}/UTRN")
    return TopUpDevice(utrn), None, {"body.utrn": f"{path}/UTRN"}


def _change_of_supplier(element: etree._Element, path: str) -> BodyReading:
    parts = _sequence(
        element,
        path,
        [
            ("ExecutionDateTime", 0, 1),
            ("SupplierFloorSeqNumber", 1, 1),
            ("SupplierPrepaymentTopUpFloorSeqNumber", 0, 1),
            ("SupplierReplacementCertificates", 1, 1),
            ("CertificationPathCertificates", 1, 1),
            ("ApplyTimeBasedCPVChecks", 1, 1),
            ("ImportMPxN", 1, 1),
        ],
    )
    for name in ("SupplierFloorSeqNumber", "SupplierPrepaymentTopUpFloorSeqNumber"):
        for item in parts[name]:
            _unsigned(item, f"{path}/{name}")
    _boolean(parts["ApplyTimeBasedCPVChecks"][0], f"{path}/ApplyTimeBasedCPVChecks")
    mpxn = _text(parts["ImportMPxN"][0], f"{path}/ImportMPxN")
    body = UpdateSecurityCredentialsCoS(mpxn)
    return body, _optional_datetime(parts, path), {"body.import_mpxn": f"{path}/ImportMPxN"}


def _commission(element: etree._Element, path: str) -> BodyReading:
    parts = _sequence(element, path, [("CurrentDateTime", 1, 1), ("TolerancePeriod", 1, 1)])
    _datetime(parts["CurrentDateTime"][0], f"{path}/CurrentDateTime")
    tolerance = _unsigned(parts["TolerancePeriod"][0], f"{path}/TolerancePeriod")
    if tolerance > 86_400:
        raise InvalidField(f"{path}/TolerancePeriod", f"{tolerance} is over 86400 seconds")
    return CommissionDevice(), None, {}


def _read_inventory(element: etree._Element, path: str) -> BodyReading:
    key = _only_child(element, path)
    name = etree.QName(key).localname
    key_path = f"{path}/{name}"
    if name == "DeviceID":
        body = ReadInventory(device_id=parse_eui64(_text(key, key_path), key_path))
    elif name == "MPxN":
        body = ReadInventory(mpxn=_text(key, key_path))
    elif name == "UPRN":
        body = ReadInventory(uprn=_uprn(key, key_path))
    elif name == "PropertyFilter":
        raise InvalidField(key_path, "searching the inventory by PropertyFilter is not simulated")
    else:
        raise InvalidField(key_path, "is not a ReadInventory search key")
    fields = {"body.device_id": key_path, "body.mpxn": key_path, "body.uprn": key_path}
    return body, None, fields


def _update_inventory(element: etree._Element, path: str) -> BodyReading:
    children = _children(element, path)
    if not children or etree.QName(children[0]).localname != "DeviceID":
        raise InvalidField(f"{path}/DeviceID", "is required first")
    device_id = parse_eui64(_text(children[0], f"{path}/DeviceID"), f"{path}/DeviceID")
    if len(children) != 2:
        raise InvalidField(path, "holds a DeviceID and exactly one change")
    change_element = children[1]
    name = etree.QName(change_element).localname
    change_path = f"{path}/{name}"
    fields = {"body.device_id": f"{path}/DeviceID", "body.change": change_path}
    if name in ("UpdateDeviceStatusExceptCH", "UpdateDeviceStatusCH"):
        allowed = _STATUS_EXCEPT_CH if name == "UpdateDeviceStatusExceptCH" else _STATUS_CH
        status = _text(change_element, change_path)
        if status not in allowed:
            raise InvalidField(change_path, f"{status!r} is not one of {', '.join(allowed)}")
        change = StatusChange(SmiStatus(status))
        fields["body.change.new_status"] = change_path
    elif name == "UpdateDeviceDetails":
        change = _device_details(change_element, change_path, fields)
    elif name == "DeleteDevice":
        _sequence(change_element, change_path, [])
        change = DeleteDevice()
    elif name == "UpdateMPxN":
        mpxn = _only_child(change_element, change_path)
        mpxn_name = etree.QName(mpxn).localname
        mpxn_path = f"{change_path}/{mpxn_name}"
        if mpxn_name != "ImportMPxN":
            raise InvalidField(
                mpxn_path, "is not simulated: dccsim keeps one import MPxN for each device"
            )
        change = MpxnChange(_text(mpxn, mpxn_path))
        fields["body.change.import_mpxn"] = mpxn_path
    else:
        raise InvalidField(change_path, "is not an UpdateInventory change")
    return UpdateInventory(device_id, change), None, fields


def _device_details(element: etree._Element, path: str, fields: Fields) -> DeviceDetailsChange:
    names = ("DeviceManufacturer", "DeviceModel", "SMETSCHTSVersion", "FirmwareVersion")
    parts = _sequence(element, path, [*((n, 0, 1) for n in names), ("ESMEVariant", 0, 1)])
    values = {
        name: _text(items[0], f"{path}/{name}") if items else None for name, items in parts.items()
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


def _update_firmware(element: etree._Element, path: str) -> BodyReading:
    parts = _sequence(
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
    image = _base64(image_element, image_path)
    version = _text(parts["FirmwareVersion"][0], f"{path}/FirmwareVersion")
    list_path = f"{path}/DeviceIDList"
    device_list = _text(parts["DeviceIDList"][0], list_path)
    device_ids = tuple(parse_eui64(part.strip(), list_path) for part in device_list.split(","))
    fields = {
        "body.image": image_path,
        "body.firmware_version": f"{path}/FirmwareVersion",
        "body.device_ids": list_path,
    }
    return UpdateFirmware(image, version, device_ids), None, fields


def _read_firmware_version(element: etree._Element, path: str) -> BodyReading:
    parts = _sequence(element, path, [("ExecutionDateTime", 0, 1)])
    return ReadFirmwareVersion(), _optional_datetime(parts, path), {}


def _activate_firmware(element: etree._Element, path: str) -> BodyReading:
    parts = _sequence(element, path, [("ExecutionDateTime", 0, 1), ("FirmwareHash", 1, 1)])
    hash_path = f"{path}/FirmwareHash"
    text = _text(parts["FirmwareHash"][0], hash_path)
    if len(text) != 64 or _HEX.fullmatch(text) is None:
        raise InvalidField(hash_path, "a FirmwareHash is 32 bytes written as 64 hex digits")
    body = ActivateFirmware(bytes.fromhex(text))
    return body, _optional_datetime(parts, path), {"body.firmware_hash": hash_path}


def _request_wan_matrix(element: etree._Element, path: str) -> BodyReading:
    key = _only_child(element, path)
    name = etree.QName(key).localname
    key_path = f"{path}/{name}"
    if name == "UPRN":
        return RequestWanMatrix(uprn=_uprn(key, key_path)), None, {"body.uprn": key_path}
    if name != "PartialAddress":
        raise InvalidField(key_path, "is not a RequestWANMatrix key (UPRN or PartialAddress)")
    parts = _sequence(key, key_path, [("PostCode", 1, 1), ("AddressIdentifier", 1, 1)])
    postcode = _text(parts["PostCode"][0], f"{key_path}/PostCode")
    if not 6 <= len(postcode) <= 8:
        raise InvalidField(f"{key_path}/PostCode", f"{postcode!r} is not 6 to 8 characters")
    address = _text(parts["AddressIdentifier"][0], f"{key_path}/AddressIdentifier")
    if not 0 < len(address) <= 30:
        raise InvalidField(f"{key_path}/AddressIdentifier", "must be 1 to 30 characters")
    fields = {"body.postcode": f"{key_path}/PostCode", "body": key_path}
    return RequestWanMatrix(postcode=postcode, address_identifier=address), None, fields


def _decommission(element: etree._Element, path: str) -> BodyReading:
    parts = _sequence(element, path, [("DeviceID", 1, 1)])
    device_path = f"{path}/DeviceID"
    device_id = parse_eui64(_text(parts["DeviceID"][0], device_path), device_path)
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
    parts = _sequence(element, path, _PRENOTIFICATION)
    values = {
        name: _text(items[0], f"{path}/{name}") if items else None for name, items in parts.items()
    }
    device_path = f"{path}/DeviceID"
    device_id = parse_eui64(values["DeviceID"], device_path)
    type_path = f"{path}/DeviceType"
    try:
        device_type = DeviceType(values["DeviceType"])
    except ValueError:
        raise InvalidField(
            type_path, f"{values['DeviceType']!r} is not a DUIS DeviceType"
        ) from None
    for gpf in parts["AssociatedGPFDeviceID"]:
        parse_eui64(_text(gpf, f"{path}/AssociatedGPFDeviceID"), f"{path}/AssociatedGPFDeviceID")
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
    return parse_eui64(_text(parts["DeviceID"][0], device_path), device_path)


def _hub_installed(
    layout: list[tuple[str, int, int]],
) -> Callable[[etree._Element, str], BodyReading]:
    def read(element: etree._Element, path: str) -> BodyReading:
        parts = _sequence(element, path, [*layout, _ADDITIONAL_INFORMATION])
        for name in ("AerialInstall", *(n for n, _, _ in layout if n.endswith("Check"))):
            _boolean(parts[name][0], f"{path}/{name}")
        for when in parts["InstallDateTime"]:
            _datetime(when, f"{path}/InstallDateTime")
        body = HubInstalled(
            device_id=_hub_device(parts, path),
            install_type=_text(parts["CHFInstallType"][0], f"{path}/CHFInstallType"),
            mpxn=_text(parts["MPxN"][0], f"{path}/MPxN"),
            location=_text(parts["CHFLocation"][0], f"{path}/CHFLocation"),
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
        parts = _sequence(element, path, [*layout, _ADDITIONAL_INFORMATION])
        for when in parts["UserRefDateTime"]:
            _datetime(when, f"{path}/UserRefDateTime")
        for other in parts.get("OtherDeviceID", []):
            parse_eui64(_text(other, f"{path}/OtherDeviceID"), f"{path}/OtherDeviceID")
        reasons = parts.get("CHFFaultReason", [])
        body = HubReturned(
            device_id=_hub_device(parts, path),
            return_type=_text(parts[type_element][0], f"{path}/{type_element}"),
            reason=_text(reasons[0], f"{path}/CHFFaultReason") if reasons else None,
        )
        fields = {
            "body.device_id": f"{path}/DeviceID",
            "body.return_type": f"{path}/{type_element}",
            "body.reason": f"{path}/CHFFaultReason",
        }
        return body, None, fields

    return read


Reader = Callable[[etree._Element, str], BodyReading]
# The body element and its reader for each SRV the core serves (its registry): a test fails when
# the two differ.
BODY_READERS: dict[str, tuple[str, Reader]] = {
    "2.2": ("TopUpDevice", _top_up),
    "6.23": ("UpdateSecurityCredentialsCoS", _change_of_supplier),
    "8.1.1": ("CommissionDeviceSynchroniseClock", _commission),
    "8.2": ("ReadInventory", _read_inventory),
    "8.4": ("UpdateInventory", _update_inventory),
    "11.1": ("UpdateFirmware", _update_firmware),
    "11.2": ("ReadFirmwareVersion", _read_firmware_version),
    "11.3": ("ActivateFirmware", _activate_firmware),
    "11.4": ("UpdatePPMIDFirmware", _update_firmware),
    "12.1": ("RequestWANMatrix", _request_wan_matrix),
    "12.2": ("DevicePrenotification", _prenotification),
    "8.3": ("DecommissionDevice", _decommission),
    "8.14.1": ("CHFInstallSuccessSMWAN", _hub_installed(_HUB_INSTALLED)),
    "8.14.2": ("CHFInstallSuccessNoSMWAN", _hub_installed(_HUB_NO_WAN)),
    "8.14.3": ("CHFFaultReturn", _hub_returned(_HUB_FAULT_RETURN, "CHFFaultReturnType")),
    "8.14.4": ("CHFNoFaultReturn", _hub_returned(_HUB_NO_FAULT_RETURN, "CHFNoFaultReturnType")),
}
_SRV_OF_BODY = {name: srv for srv, (name, _) in BODY_READERS.items()}


def _leading_execution_datetime(element: etree._Element, path: str) -> datetime | None:
    """An unserved SRV's ExecutionDateTime: DUIS puts it first in every future-datable body."""
    children = [c for c in element if isinstance(c.tag, str)]
    if children and children[0].tag == f"{{{SR_NS}}}ExecutionDateTime":
        return _datetime(children[0], f"{path}/ExecutionDateTime")
    return None


def _optional_datetime(parts: dict[str, list[etree._Element]], path: str) -> datetime | None:
    items = parts.get("ExecutionDateTime") or []
    return _datetime(items[0], f"{path}/ExecutionDateTime") if items else None


def _xml_field(core_field: str, path: str, fields: Fields) -> str:
    """Name the element behind a field the core's validation refused."""
    base = core_field.split("[", 1)[0]
    if core_field in fields or base in fields:
        return fields.get(core_field, fields.get(base, path))
    if core_field.startswith("request_id"):
        return "Header/RequestID"
    generic = {
        "command_variant": "Header/CommandVariant",
        "service_reference_variant": "Header/ServiceReferenceVariant",
        "execution_datetime": f"{path}/ExecutionDateTime",
    }
    return generic.get(core_field, path)


# -- structure and values ------------------------------------------------------------------------


def _children(element: etree._Element, path: str) -> list[etree._Element]:
    """The element children of a complex element; text between them is refused."""
    where = path or "Request"
    if element.text and element.text.strip():
        raise InvalidField(where, "holds text where only elements belong")
    children = []
    for child in element:
        if child.tail and child.tail.strip():
            raise InvalidField(where, "holds text where only elements belong")
        if isinstance(child.tag, str):  # comments and processing instructions are skipped
            children.append(child)
    return children


def _sequence(
    element: etree._Element, path: str, spec: list[tuple[str, int, int]]
) -> dict[str, list[etree._Element]]:
    """Match an element's children against `(name, min, max)` in order; names are sr: unless
    written `ds:Name`. Returns the children found for each name (by local name)."""
    children = _children(element, path)
    prefix = f"{path}/" if path else ""
    found: dict[str, list[etree._Element]] = {}
    index = 0
    for name, low, high in spec:
        namespace, local = (DS_NS, name[3:]) if name.startswith("ds:") else (SR_NS, name)
        items = []
        while (
            index < len(children)
            and len(items) < high
            and children[index].tag == f"{{{namespace}}}{local}"
        ):
            items.append(children[index])
            index += 1
        if len(items) < low:
            got = "it is missing"
            if index < len(children):
                got = f"found {_describe(children[index])}"
            raise InvalidField(f"{prefix}{local}", f"is required here; {got}")
        found[local] = items
    if index < len(children):
        extra = children[index]
        raise InvalidField(f"{prefix}{etree.QName(extra).localname}", _unexpected(extra))
    return found


def _only_child(element: etree._Element, path: str) -> etree._Element:
    children = _children(element, path)
    if not children:
        raise InvalidField(path, "is empty; it holds one element")
    for child in children:
        if etree.QName(child).namespace != SR_NS:
            raise InvalidField(f"{path}/{etree.QName(child).localname}", _unexpected(child))
    if len(children) > 1:
        raise InvalidField(
            f"{path}/{etree.QName(children[1]).localname}", f"{path} holds exactly one element"
        )
    return children[0]


def _describe(element: etree._Element) -> str:
    name = etree.QName(element)
    if name.namespace == SR_NS:
        return f"sr:{name.localname}"
    return f"{name.localname} in namespace {name.namespace!r}"


def _unexpected(element: etree._Element) -> str:
    name = etree.QName(element)
    if name.namespace != SR_NS:
        return f"is in namespace {name.namespace!r}, not DUIS's {SR_NS!r}"
    return "is not expected here"


def _text(element: etree._Element, path: str) -> str:
    if len(element):
        raise InvalidField(path, "must hold a value, not elements")
    return (element.text or "").strip()


def _boolean(element: etree._Element, path: str) -> bool:
    text = _text(element, path)
    if text not in ("true", "false", "1", "0"):
        raise InvalidField(path, f"{text!r} is not a boolean")
    return text in ("true", "1")


def _unsigned(element: etree._Element, path: str) -> int:
    text = _text(element, path)
    if _DIGITS.fullmatch(text) is None or len(text) > 20:
        raise InvalidField(path, f"{text!r} is not an unsigned number")
    return int(text)


def _uprn(element: etree._Element, path: str) -> int:
    text = _text(element, path)
    # Leading zeros are stripped before int(): thousands of them would make int() raise.
    significant = text.lstrip("0") if _DIGITS.fullmatch(text) else ""
    if not 1 <= len(significant) <= 12:
        raise InvalidField(path, f"{text!r} is not a UPRN (a positive number of up to 12 digits)")
    return int(significant)


def _base64(element: etree._Element, path: str) -> bytes:
    if len(element):
        raise InvalidField(path, "must hold a value, not elements")
    text = "".join((element.text or "").split())
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidField(path, "is not valid base64") from None


def _datetime(element: etree._Element, path: str) -> datetime:
    text = _text(element, path)
    match = _DATETIME.fullmatch(text)
    if match is None:
        raise InvalidField(path, f"{text!r} is not an xs:dateTime (YYYY-MM-DDThh:mm:ss[.s][Z])")
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        tz = UTC
        if zone not in (None, "Z"):  # timezone() refuses an offset of 24 hours or more
            sign = 1 if zone[0] == "+" else -1
            tz = timezone(sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])))
        when = datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second), micro, tz
        ).astimezone(UTC)
    except (ValueError, OverflowError) as error:
        raise InvalidField(path, f"{text!r} is not a valid date and time: {error}") from None
    return when
