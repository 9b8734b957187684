"""DUIS bodies of the display SRVs (server/core/services/display.py): DisplayMessage,
RestrictAccessForChangeOfTenancy, ClearEventLog, UpdateSupplierName and DisablePrivacyPIN in;
their MMC responses are all empty."""

from __future__ import annotations

from lxml import etree

from dccsim.server.core.errors import InvalidField
from dccsim.server.core.services.display import (
    ClearEventLog,
    DisablePrivacyPin,
    DisplayMessage,
    EventLogType,
    RestrictAccessForChangeOfTenancy,
    UpdateSupplierName,
)
from dccsim.server.duis.bodies.family import BodyFamily
from dccsim.server.duis.reading import (
    BodyReading,
    datetime_value,
    optional_datetime,
    sequence,
    text_value,
)


def _display_message(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(element, path, [("ExecutionDateTime", 0, 1), ("SupplierMessage", 1, 1)])
    message_path = f"{path}/SupplierMessage"
    # The message's own spaces are content: only an element inside it is refused.
    text_value(parts["SupplierMessage"][0], message_path)
    body = DisplayMessage(parts["SupplierMessage"][0].text or "")
    return body, optional_datetime(parts, path), {"body.message": message_path}


def _restrict_access(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(element, path, [("ExecutionDateTime", 0, 1), ("RestrictionDateTime", 1, 1)])
    when_path = f"{path}/RestrictionDateTime"
    body = RestrictAccessForChangeOfTenancy(
        datetime_value(parts["RestrictionDateTime"][0], when_path)
    )
    return body, optional_datetime(parts, path), {"body.restriction_datetime": when_path}


def _clear_event_log(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(element, path, [("ESMEEventLogType", 0, 1)])
    if not parts["ESMEEventLogType"]:
        return ClearEventLog(), None, {}
    type_path = f"{path}/ESMEEventLogType"
    text = text_value(parts["ESMEEventLogType"][0], type_path)
    choices = {kind.value: kind for kind in EventLogType}
    if text not in choices:
        raise InvalidField(type_path, f"{text[:40]!r} is not ESME or ALCS")
    return ClearEventLog(choices[text]), None, {"body.log": type_path}


def _update_supplier_name(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(
        element,
        path,
        [("ExecutionDateTime", 0, 1), ("SupplierName", 1, 1), ("SupplierTelephoneNumber", 1, 1)],
    )
    name_path, telephone_path = f"{path}/SupplierName", f"{path}/SupplierTelephoneNumber"
    text_value(parts["SupplierName"][0], name_path)
    text_value(parts["SupplierTelephoneNumber"][0], telephone_path)
    body = UpdateSupplierName(
        parts["SupplierName"][0].text or "", parts["SupplierTelephoneNumber"][0].text or ""
    )
    fields = {"body.name": name_path, "body.telephone": telephone_path}
    return body, optional_datetime(parts, path), fields


def _disable_privacy_pin(element: etree._Element, path: str) -> BodyReading:
    sequence(element, path, [])
    return DisablePrivacyPin(), None, {}


FAMILY: BodyFamily = BodyFamily(
    readers={
        "3.1": ("DisplayMessage", _display_message),
        "3.2": ("RestrictAccessForChangeOfTenancy", _restrict_access),
        "3.3": ("ClearEventLog", _clear_event_log),
        "3.4": ("UpdateSupplierName", _update_supplier_name),
        "3.5": ("DisablePrivacyPIN", _disable_privacy_pin),
    },
    empty_responses={
        "3.1": "DisplayMessageRsp",
        "3.2": "RestrictAccessForChangeOfTenancyRsp",
        "3.3": "ClearEventLogRsp",
        "3.4": "UpdateSupplierNameRsp",
        "3.5": "DisablePrivacyPINRsp",
    },
)
