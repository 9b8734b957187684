"""Display and consumer SRVs: 3.1 Display Message, 3.2 Restrict Access For Change Of Tenancy,
3.3 Clear Event Log, 3.4 Update Supplier Name and 3.5 Disable Privacy PIN. What the meter shows is
`dccsim.devices.display`'s; the logs 3.3 clears are `dccsim.devices.configuration`'s.

Device types (REQ-06, E11), from the GBCS use cases the RTDS templates name: 3.1, 3.4 and 3.5 an
ESME or a GSME (ECS10/GCS07, ECS16/GCS44, ECS14/GCS11); 3.2 an ESME or a GPF (ECS12, GCS09: the
GPF holds the gas data a consumer sees); 3.3 an ESME (ECS15a/c) or a ZigBee device with an event
log (CS11: GSME, GPF, PPMID, HCALCS).

Decisions (DUIS and SPEC are silent; docs/decisions.md "Device configuration and display"):
- Each body is checked as DUIS types it: SupplierMessage 1-116 printable ASCII characters,
  SupplierName up to 15 printable ASCII characters (an empty name is refused: it would show
  nothing), SupplierTelephoneNumber up to 18 digits and spaces (not empty), ESMEEventLogType ESME
  or ALCS.
- 3.3 with ESMEEventLogType ALCS clears the ESME's ALCS event log; without it (or with ESME) the
  event log. The clearing is logged (0x8F52) in the security log, which 3.3 never clears.
- None of these SRVs answers with data (their MMC responses are empty), and no SRV reads the
  display back: the meter's DisplayState holds what it shows (tests read it). Each is logged as an
  actioned command (0x8154) in the meter's event log, which 6.13 reads.
- 3.1, 3.2 and 3.4 are future-datable with the "DSP" pattern: the DSP holds them (SRV-05).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from dccsim.devices.configuration import EventCode, LogKind, configuration_of
from dccsim.devices.device import SimulatedDevice
from dccsim.devices.display import DisplayState, ShownMessage, display_of
from dccsim.devices.kinds import DeviceType
from dccsim.server.core.delivery import Outcome, nothing
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.fields import check_text
from dccsim.server.core.requests import ServiceRequest
from dccsim.server.core.services.registry import Family
from dccsim.server.core.state import DspState

family: Family = Family()

_METERS = (DeviceType.ESME, DeviceType.GSME)
_TENANCY = (DeviceType.ESME, DeviceType.GPF)
_EVENT_LOGS = (
    DeviceType.ESME,
    DeviceType.GSME,
    DeviceType.GPF,
    DeviceType.PPMID,
    DeviceType.HCALCS,
)
MAX_MESSAGE = 116
MAX_SUPPLIER_NAME = 15
MAX_TELEPHONE = 18
_PRINTABLE = re.compile(r"[ -~]+")  # the schema's pattern: printable ASCII
_TELEPHONE = re.compile(r"[0-9 ]+")


# -- request bodies ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DisplayMessage:
    """3.1: the message the meter is to show."""

    message: str


@dataclass(frozen=True, slots=True)
class RestrictAccessForChangeOfTenancy:
    """3.2: the consumer may no longer see data from before this instant."""

    restriction_datetime: datetime


class EventLogType(StrEnum):
    """3.3 ESMEEventLogType."""

    ESME = "ESME"
    ALCS = "ALCS"


@dataclass(frozen=True, slots=True)
class ClearEventLog:
    """3.3: which of the ESME's logs to clear (None: the event log)."""

    log: EventLogType | None = None


@dataclass(frozen=True, slots=True)
class UpdateSupplierName:
    """3.4: the name and telephone number the meter shows."""

    name: str
    telephone: str


@dataclass(frozen=True, slots=True)
class DisablePrivacyPin:
    """3.5 DisablePrivacyPIN: no content."""


# -- checks --------------------------------------------------------------------------------------


def _check_pattern(value: object, field: str, pattern: re.Pattern[str], words: str) -> None:
    if not isinstance(value, str) or pattern.fullmatch(value) is None:
        raise InvalidField(field, f"{value!r} is not {words}")


def _check_message(body: DisplayMessage) -> None:
    check_text(body.message, "body.message", max_length=MAX_MESSAGE)
    _check_pattern(body.message, "body.message", _PRINTABLE, "printable ASCII")


def _check_restriction(body: RestrictAccessForChangeOfTenancy) -> None:
    when = body.restriction_datetime
    if not isinstance(when, datetime) or when.tzinfo is None:
        raise InvalidField("body.restriction_datetime", "must be a date and time with its zone")


def _check_clear(body: ClearEventLog) -> None:
    if body.log is not None and not isinstance(body.log, EventLogType):
        raise InvalidField("body.log", f"{body.log!r} is not ESME or ALCS")


def _check_supplier_name(body: UpdateSupplierName) -> None:
    check_text(body.name, "body.name", max_length=MAX_SUPPLIER_NAME)
    _check_pattern(body.name, "body.name", _PRINTABLE, "printable ASCII")
    check_text(body.telephone, "body.telephone", max_length=MAX_TELEPHONE)
    _check_pattern(body.telephone, "body.telephone", _TELEPHONE, "digits and spaces")


# -- executions ----------------------------------------------------------------------------------


def _shown(state: DspState, device: SimulatedDevice) -> DisplayState:
    """The display a command changes, with the command logged as actioned."""
    configuration_of(device).record(LogKind.EVENT, state.now(), EventCode.COMMAND_ACTIONED)
    return display_of(device)


@family.device("3.1", body=DisplayMessage, check=_check_message, device_types=_METERS)
def display_message(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    body = request.body
    assert isinstance(body, DisplayMessage)
    _shown(state, device).message = ShownMessage(body.message, state.now())
    return None, nothing


@family.device(
    "3.2", body=RestrictAccessForChangeOfTenancy, check=_check_restriction, device_types=_TENANCY
)
def restrict_access(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    body = request.body
    assert isinstance(body, RestrictAccessForChangeOfTenancy)
    _shown(state, device).restricted_before = body.restriction_datetime
    return None, nothing


@family.device("3.3", body=ClearEventLog, check=_check_clear, device_types=_EVENT_LOGS)
def clear_event_log(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    body = request.body
    assert isinstance(body, ClearEventLog)
    kind = LogKind.ALCS_EVENT if body.log is EventLogType.ALCS else LogKind.EVENT
    configuration_of(device).clear(kind, state.now())
    return None, nothing


@family.device("3.4", body=UpdateSupplierName, check=_check_supplier_name, device_types=_METERS)
def update_supplier_name(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    body = request.body
    assert isinstance(body, UpdateSupplierName)
    display = _shown(state, device)
    display.supplier_name = body.name
    display.supplier_telephone = body.telephone
    return None, nothing


@family.device("3.5", body=DisablePrivacyPin, device_types=_METERS)
def disable_privacy_pin(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    _shown(state, device).privacy_pin_enabled = False
    return None, nothing
