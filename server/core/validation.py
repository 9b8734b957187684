"""Stage 1 of the pipeline: structural validation of a Service Request (BAD-01).

Everything here is about the request's own shape; nothing reads or changes simulator state. A
failure raises InvalidField naming the field, so a caller can answer INVALID_ARGUMENT (or a DUIS
code where one exists) knowing that nothing was queued, changed or consumed.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from dccsim.server.core.errors import InvalidField
from dccsim.server.core.eui import canonical_eui64, parse_eui64
from dccsim.server.core.matrix import SERVICE_MATRIX, CommandVariant, ServiceDefinition
from dccsim.server.core.records import ESME_VARIANTS, SmiStatus
from dccsim.server.core.requests import (
    BODY_TYPES,
    MAX_COUNTER,
    MAX_FIRMWARE_IMAGE_BYTES,
    ActivateFirmware,
    CommissionDevice,
    DeleteDevice,
    DeviceDetailsChange,
    MpxnChange,
    NoBody,
    ReadFirmwareVersion,
    ReadInventory,
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

_UTRN = re.compile(r"[0-9]{20}")
# Letters and digits only (spaces aside): what the postcode area is read from (12.1).
_POSTCODE = re.compile(r"[A-Za-z0-9]{5,7}")
# What XML 1.0 cannot hold: C0 controls but tab, LF and CR; surrogates; U+FFFE and U+FFFF.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_MAX_DEVICE_IDS = 50_000  # 1,199,999 characters of DeviceIDList hold 50,000 EUIs
_STATUS_CHANGES = frozenset(
    {
        SmiStatus.PENDING,
        SmiStatus.INSTALLED_NOT_COMMISSIONED,
        SmiStatus.COMMISSIONED,
        SmiStatus.WITHDRAWN,
    }
)


def service_definition(srv: object) -> ServiceDefinition:
    definition = SERVICE_MATRIX.get(srv) if isinstance(srv, str) else None
    if definition is None:
        raise InvalidField("service_reference_variant", f"{srv!r} is not a DUIS SRV")
    return definition


def validate(request: ServiceRequest) -> tuple[ServiceRequest, ServiceDefinition]:
    """Check a request's shape; return it in canonical form (upper-case EUIs) with its matrix
    definition, or raise InvalidField."""
    canonical = _canonical_request_id(request.request_id)
    if canonical is not request.request_id:
        request = replace(request, request_id=canonical)
    definition = service_definition(request.srv)
    if not isinstance(request.command_variant, CommandVariant):
        raise InvalidField("command_variant", f"{request.command_variant!r} is not 1-8")
    if request.execution_datetime is not None:
        _check_execution_datetime(request, definition)
    body = request.body
    if isinstance(body, SignedPreCommand):
        if not body.payload:
            raise InvalidField("body.payload", "a signed pre-command needs its payload")
        return request, definition
    expected = BODY_TYPES.get(request.srv, NoBody)
    if not isinstance(body, expected):
        raise InvalidField(
            "body", f"SRV {request.srv} takes a {expected.__name__} body, not {type(body).__name__}"
        )
    if expected not in _BODIES_WITHOUT_CHECKS:
        _check_body(body)
    return request, definition


# Bodies that carry nothing to check skip the walk through _check_body's cases (11.2 is the
# most frequent request of all).
_BODIES_WITHOUT_CHECKS = frozenset({NoBody, ReadFirmwareVersion, CommissionDevice})


def _canonical_request_id(request_id: object) -> RequestId:
    """A RequestId built in code skips RequestId.parse, so check it the same way here. One that
    is already canonical is returned as it is (no copy)."""
    if not isinstance(request_id, RequestId):
        raise InvalidField("request_id", f"{request_id!r} is not a RequestId")
    counter = request_id.counter
    if not isinstance(counter, int) or isinstance(counter, bool) or not 0 <= counter <= MAX_COUNTER:
        raise InvalidField("request_id.counter", f"{counter!r} is not an unsigned 64-bit counter")
    originator = canonical_eui64(request_id.originator, "request_id.originator")
    target = canonical_eui64(request_id.target, "request_id.target")
    if originator == request_id.originator and target == request_id.target:
        return request_id
    return RequestId(originator, target, counter)


def _check_execution_datetime(request: ServiceRequest, definition: ServiceDefinition) -> None:
    when = request.execution_datetime
    if when is None:
        return
    if not isinstance(when, datetime) or when.tzinfo is None:
        raise InvalidField("execution_datetime", "must be a timezone-aware date and time")
    if not definition.can_be_future_dated:
        raise InvalidField("execution_datetime", f"SRV {definition.srv} cannot be future-dated")


def _check_body(body: object) -> None:
    match body:
        case TopUpDevice(utrn=utrn):
            if not isinstance(utrn, str) or _UTRN.fullmatch(utrn) is None:
                raise InvalidField("body.utrn", "a UTRN is exactly 20 digits")
        case UpdateSecurityCredentialsCoS(import_mpxn=mpxn):
            _check_mpxn(mpxn, "body.import_mpxn")
        case ReadInventory(device_id=device_id, mpxn=mpxn, uprn=uprn):
            keys = [k for k in (device_id, mpxn, uprn) if k is not None]
            if len(keys) != 1:
                raise InvalidField("body", "8.2 takes exactly one of device_id, mpxn, uprn")
            if device_id is not None:
                parse_eui64(device_id, "body.device_id")
            if mpxn is not None:
                _check_mpxn(mpxn, "body.mpxn")
            if uprn is not None:
                _check_uprn(uprn, "body.uprn")
        case UpdateInventory(device_id=device_id, change=change):
            parse_eui64(device_id, "body.device_id")
            _check_inventory_change(change)
        case UpdateFirmware(image=image, firmware_version=version, device_ids=device_ids):
            if not isinstance(image, bytes) or not image:
                raise InvalidField("body.image", "a firmware image is required")
            if len(image) > MAX_FIRMWARE_IMAGE_BYTES:
                raise InvalidField(
                    "body.image", f"{len(image)} bytes exceeds DUIS's {MAX_FIRMWARE_IMAGE_BYTES}"
                )
            _check_firmware_version(version, "body.firmware_version")
            if not device_ids:
                raise InvalidField("body.device_ids", "at least one device ID is required")
            if len(device_ids) > _MAX_DEVICE_IDS:
                raise InvalidField("body.device_ids", f"more than {_MAX_DEVICE_IDS} device IDs")
            for index, device_id in enumerate(device_ids):
                parse_eui64(device_id, f"body.device_ids[{index}]")
        case ActivateFirmware(firmware_hash=digest):
            if not isinstance(digest, bytes) or len(digest) != 32:
                raise InvalidField("body.firmware_hash", "a firmware hash is 32 bytes (SHA-256)")
        case RequestWanMatrix(uprn=uprn, postcode=postcode, address_identifier=address):
            if uprn is not None:
                if postcode is not None or address is not None:
                    raise InvalidField("body", "12.1 takes a UPRN or a partial address, not both")
                _check_uprn(uprn, "body.uprn")
            elif not postcode or not address:
                raise InvalidField("body", "12.1 needs a UPRN, or a postcode and an address")
            elif not _is_postcode(postcode):
                raise InvalidField("body.postcode", f"{postcode!r} is not a UK postcode")


def _check_inventory_change(change: object) -> None:
    match change:
        case StatusChange(new_status=status):
            if status not in _STATUS_CHANGES:
                raise InvalidField("body.change.new_status", f"8.4 cannot set status {status!r}")
        case DeviceDetailsChange() as details:
            if details == DeviceDetailsChange():
                raise InvalidField("body.change", "UpdateDeviceDetails needs at least one field")
            if details.esme_variant is not None and details.esme_variant not in ESME_VARIANTS:
                raise InvalidField(
                    "body.change.esme_variant", f"{details.esme_variant!r} is not an ESME Variant"
                )
            if details.firmware_version is not None:
                _check_firmware_version(details.firmware_version, "body.change.firmware_version")
            for name in ("manufacturer", "model"):
                value = getattr(details, name)
                if value is not None and not 0 < len(value) <= 30:
                    raise InvalidField(f"body.change.{name}", "must be 1 to 30 characters")
                check_xml_text(value, f"body.change.{name}")
        case MpxnChange(import_mpxn=mpxn):
            _check_mpxn(mpxn, "body.change.import_mpxn")
        case DeleteDevice():
            pass  # carries nothing
        case _:
            raise InvalidField(
                "body.change", "UpdateInventory needs a status, details, delete or MPxN change"
            )


def _check_mpxn(mpxn: object, field: str) -> None:
    if not isinstance(mpxn, str) or not 1 <= len(mpxn) <= 13 or not mpxn.isalnum():
        raise InvalidField(field, f"{mpxn!r} is not an MPAN or MPRN (1-13 characters)")


def _is_postcode(value: object) -> bool:
    return isinstance(value, str) and _POSTCODE.fullmatch(value.replace(" ", "")) is not None


def _check_uprn(uprn: object, field: str) -> None:
    if not isinstance(uprn, int) or isinstance(uprn, bool) or not 0 < uprn < 10**12:
        raise InvalidField(
            field, f"{uprn!r} is not a UPRN (a positive number of 12 digits or less)"
        )


def _check_firmware_version(version: object, field: str) -> None:
    if not isinstance(version, str) or not 1 <= len(version) <= 8:
        raise InvalidField(field, f"{version!r} is not a firmware version (1-8 characters)")
    check_xml_text(version, field)


def check_xml_text(value: object, field: str) -> None:
    """Refuse text that no DUIS document can carry: once stored (a firmware version, a model...)
    it would make every later answer or delivery that shows it fail."""
    if isinstance(value, str) and _NOT_XML.search(value):
        raise InvalidField(field, f"{value!r} holds a character XML cannot carry")
