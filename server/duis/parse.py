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

import re
from dataclasses import dataclass, field

from lxml import etree

from dccsim.server.core.errors import InvalidField
from dccsim.server.core.matrix import SERVICE_MATRIX, CommandVariant
from dccsim.server.core.records import DuisVersion
from dccsim.server.core.requests import (
    NoBody,
    RequestId,
    ServiceRequest,
    SignedPreCommand,
)
from dccsim.server.core.validation import validate
from dccsim.server.duis.bodies import BODY_READERS
from dccsim.server.duis.names import SR_NS, schema_version_value, service_reference
from dccsim.server.duis.reading import (
    BodyReading,
    Fields,
    base64_value,
    boolean_value,
    leading_execution_datetime,
    only_child,
    optional_datetime,
    sequence,
    text_value,
)
from dccsim.server.duis.safe import load_document
from dccsim.server.duis.schemas import StrictSchema, validate_request_against

_XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

# ASCII digits only: \d would also take other scripts' digits, which int() accepts.
_DIGITS = re.compile(r"[0-9]+")
_SIGNED_CVS = frozenset(
    {
        CommandVariant.CRITICAL_SIGNED_REMOTE,
        CommandVariant.CRITICAL_SIGNED_LOCAL,
        CommandVariant.CRITICAL_SIGNED_REMOTE_AND_LOCAL,
    }
)


@dataclass(frozen=True, slots=True)
class ParsedRequest:
    """A DUIS request, read: the core request and what the document said about itself."""

    request: ServiceRequest
    schema_version: DuisVersion  # the document's schemaVersion
    body_element: str  # e.g. "UpdateFirmware"
    signed: bool  # a ds:Signature came with it (not verified)
    # The document as `safe.load_document` read it, unchanged: its signature is checked on this
    # tree rather than on a second parse of the same bytes.
    document: etree._ElementTree | None = field(default=None, compare=False, repr=False)


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
    for attribute in map(str, root.attrib):
        # xsi: attributes (e.g. xsi:schemaLocation) are allowed on any element by XML Schema.
        if attribute != "schemaVersion" and not attribute.startswith(f"{{{_XSI_NS}}}"):
            raise InvalidField(f"Request/@{attribute}", "is not a DUIS attribute")
    return version


def _read_request(root: etree._Element, version: DuisVersion) -> ParsedRequest:
    parts = sequence(root, "", [("Header", 1, 1), ("Body", 1, 1), ("ds:Signature", 0, 1)])
    request_id, cv, srv = _read_header(parts["Header"][0])
    body_element = only_child(parts["Body"][0], "Body")
    name = etree.QName(body_element).localname
    path = f"Body/{name}"
    body, when, fields = _read_body(body_element, path, srv, cv)
    request = ServiceRequest(request_id, srv, cv, body, execution_datetime=when)
    try:
        request, _ = validate(request)
    except InvalidField as error:
        raise InvalidField(_xml_field(error.field, path, fields), error.reason) from None
    return ParsedRequest(
        request, version, name, signed=bool(parts["Signature"]), document=root.getroottree()
    )


def _read_header(header: etree._Element) -> tuple[RequestId, CommandVariant, str]:
    parts = sequence(
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
    request_id = RequestId.parse(text_value(parts["RequestID"][0], path), path)
    for element in parts["FirstInSequence"]:
        boolean_value(element, "Header/FirstInSequence")
    for element in parts["PrecedingServiceRequestID"]:
        path = "Header/PrecedingServiceRequestID"
        RequestId.parse(text_value(element, path), path)
    cv_text = text_value(parts["CommandVariant"][0], "Header/CommandVariant")
    # Compared as text: int() of thousands of digits (leading zeros included) raises ValueError.
    cv_digit = cv_text.lstrip("0") if _DIGITS.fullmatch(cv_text) else ""
    if len(cv_digit) != 1 or not "1" <= cv_digit <= "8":
        raise InvalidField("Header/CommandVariant", f"{cv_text!r} is not a Command Variant (1-8)")
    cv = CommandVariant(int(cv_digit))
    srv = text_value(parts["ServiceReferenceVariant"][0], "Header/ServiceReferenceVariant")
    if srv not in SERVICE_MATRIX:
        raise InvalidField(
            "Header/ServiceReferenceVariant", f"{srv!r} is not a DUIS Service Reference Variant"
        )
    reference = text_value(parts["ServiceReference"][0], "Header/ServiceReference")
    if reference != service_reference(srv):
        raise InvalidField(
            "Header/ServiceReference",
            f"{reference!r} does not match ServiceReferenceVariant {srv!r} "
            f"(expected {service_reference(srv)!r})",
        )
    return request_id, cv, srv


# -- bodies --------------------------------------------------------------------------------------


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
        return NoBody(), leading_execution_datetime(element, path), {}
    expected, reader = entry
    if name != expected:
        raise InvalidField(path, f"SRV {srv} takes a {expected} body, not {name}")
    return reader(element, path)


def _signed_pre_command(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(element, path, [("ExecutionDateTime", 0, 1), ("GBCSPayload", 1, 1)])
    payload = base64_value(parts["GBCSPayload"][0], f"{path}/GBCSPayload")
    fields = {"body.payload": f"{path}/GBCSPayload"}
    return SignedPreCommand(payload), optional_datetime(parts, path), fields


# The body element and its reader for each SRV the core serves (its registry): a test fails when
# the two differ.
# The body element and reader of each served SRV, from the families (dccsim.server.duis.bodies).
_SRV_OF_BODY = {name: srv for srv, (name, _) in BODY_READERS.items()}


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
