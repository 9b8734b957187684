"""DUIS documents out: the `sr:Response` documents dccsim sends, shaped for each user's version.

- `build_sync_answer(answer, version)` — the synchronous answer to a request: an `I99`
  acknowledgement, an `I0` with a ResponseMessage body (PreCommand for CV 4, LocalCommand for
  CV 2/6, DSPInventory for 8.2, DSPWANMatrix for 12.1), `W110101` with DSPUpdateFirmwareWarning for
  11.1, or an error code. Every answer carries a ResponseMessage with its ServiceReference and
  ServiceReferenceVariant, as DCC's acknowledgements do.
- `build_outbox_message(message, version)` — an asynchronous message: a device's Service Response,
  a device alert (firmware distribution receipts 0x8F72 / 0x8F1C as a DeviceAlertMessage; the
  future-dated activation outcomes 0x8F66 / 0x8F67 as a FutureDatedDeviceAlertMessage), or a DCC
  Alert (DCCAlertMessage: DeviceStatusChangeEvent with DeviceSuspended / DeviceRestored,
  FirmwareVersionMismatch, ChangeOfSupplier).
- `read_gbcs_payload(xml)` — for a user or a test: the MMC document a GBCSPayload carries.

Interface versions (VER-01). Every document's `schemaVersion` is the recipient's DUIS version.
**Decision**: users on 5.1 are answered in the shapes of DUIS_Schema_V5.1 (+ MMC 5.1); users on
5.2, 5.3 and 5.4 in the shapes of DUIS_Schema_V5.3a (+ MMC 5.3), the first schema published after
v5.2 and the newest whose shapes dccsim knows. The shapes differ where dccsim answers in two
places: N26's ChangeOfSupplier carries the optional ECoSErrorCode only from 5.2 on (ALERT-02), and
12.1's DSPWANMatrix is one flat CSPRegion answer in 5.1 but a list of DSPWANMatrixResponse
(with CSPRegionResponseCode) from 5.3a on.

Decisions where the schema leaves a choice:
- **Device payloads: GBCS, else MMC form (GBCS-01, GBCS-05).** A DUIS response carries what the
  device said only as `GBCSPayload` (xs:base64Binary: no ra: element may stand in a
  ResponseMessage or a DeviceAlertMessage), which DCC fills with the GBCS frame for the user's
  Parse & Correlate tool to turn into an MMC `ra:GBCSResponse`. Where the caller passes the GBCS
  frame (`gbcs_payload`, from `dccsim.server.gbcs`: the firmware use cases), that is what it
  carries. Otherwise dccsim's GBCSPayload is the base64 of that MMC `ra:GBCSResponse` document
  itself — already parsed: `ReadFirmwareVersionRsp`
  with FirmwareVersion (11.2), `ActivateFirmwareRsp` with ActivateImageResponseCode and
  FirmwareVersion (11.3), `TopUpDeviceRsp` (2.2), `UpdateSecurityCredentialsCoSRsp` (6.23),
  `CommissionDeviceSynchroniseClockRsp` (8.1.1), and for alerts a `DeviceAlertContent` with
  GBCSHexAlertCode, AlertDescription, Timestamp and a FirmwareVerificationDeviceAlert or
  FutureDatedCommandOutcomeDeviceAlert/FirmwareActivationDeviceAlert payload; a device's own alert
  (SRV-06, devices/alerts.py) carries its GBCS name as AlertDescription and its MMC payload
  (SupplyOutageRestoreAlert, SmartMeterIntegrityIssueWarningDeviceAlert) or, like most, no
  Payload at all. An alert no request caused has no RequestID or ResponseID. The inner document
  is valid against the MMC schema that the user's DUIS schema imports. A `PreCommand` or
  `LocalCommand` payload is what the answer holds: the GBCS pre-command, or for CV 6 the User's
  signed GBCS command, where the runtime put it there (11.3, GBCS-03), else dccsim's opaque
  stand-in for the GBCS command (a PreCommand's a user returns unchanged in its
  SignedPreCommand).
- **MMC header.** BusinessOriginatorID is the device, BusinessTargetID the user, OriginatorCounter
  the counter of the request the message answers (0 when there is none);
  GBCSHexadecimalMessageCode is given for alerts (0x00CE, 0x00CF, 0x012C, 0x00CA,
  0x00CB).
- **ActivateImageResponseCode** is an MMC StatusASN1: ASN1Status is the device's word and the
  required ResponseCode attribute its GBCS enumeration value (success 0, noImageHeld 1,
  hashMismatch 2, activationFailure 3).
- **A GPF's 11.2** answer carries the GPF's own firmware version: MMC's ReadFirmwareVersionRsp
  has room for one version, so the GSME version the GPF reports is not in the document (a
  mismatch with the SMI is still reported by N52's FirmwareVersionMismatch, which carries both).
- **Identifiers.** Synchronous answers carry the RequestID. A Service Response carries RequestID
  and ResponseID (`device:user:counter`). A device alert carries the RequestID of the request that
  caused it and the ResponseID `device:user:counter` of that request. DCC Alerts carry neither
  (both are optional): the body names the device, and N26 names the 6.23 request in
  ChangeOfSupplierServiceRequestID. Every message's ResponseCode is `I0` unless the core says
  otherwise. A FutureDatedDeviceAlertMessage answers SRV 11.3 with InstructionNumber 1 of
  TotalCommandInstructions 1 (an ASN.1 activation has one instruction).
- **DSPInventory** reports DeviceFirmwareVersionStatus and CPLStatus with the same value, the CPL
  entry's status in DUIS words (`Current` -> `Active`, `Removed` -> `Withdrawn`), and leaves both
  out for firmware not on the CPL. SMETSCHTSVersion is `SMETS1` or `SMETS2`.
- **Synchronous answers' ResponseDateTime** is `at` (the simulator's clock, which a caller should
  pass), else the wall clock.
"""

from __future__ import annotations

import base64
import copy
from datetime import datetime

from lxml import etree

from dccsim.devices.alerts import alert_name
from dccsim.devices.codes import AlertCode, MessageCode
from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.messages import (
    ChangeOfSupplier,
    DccAlertMessage,
    DeviceAlertMessage,
    DeviceStatusChange,
    FirmwareVersionMismatch,
    LocalCommand,
    OutboundMessage,
    PreCommand,
    ScheduleRemoval,
    ServiceResponse,
    SyncAnswer,
)
from dccsim.server.core.records import DuisVersion
from dccsim.server.core.requests import RequestId
from dccsim.server.duis.bodies import (
    EMPTY_RESPONSE_BODIES,
    MMC_WRITERS,
    RESPONSE_MESSAGE_WRITERS,
    SYNC_WRITERS,
    SyncWriter,
)
from dccsim.server.duis.bodies.credentials import write_alert_outcome
from dccsim.server.duis.device_alert_payloads import write_device_alert_payload
from dccsim.server.duis.names import (
    RA_NS,
    SR_NS,
    duis_version,
    format_datetime,
    now_utc,
    service_reference,
)
from dccsim.server.duis.safe import load_document
from dccsim.server.duis.writing import b64, ra, serialise, sr, sub

_FUTURE_DATED_ALERTS = frozenset(
    {AlertCode.FUTURE_DATED_COMMAND_ACTIONED, AlertCode.FUTURE_DATED_COMMAND_NOT_ACTIONED}
)
# The SRV a future-dated outcome alert answers, by the message code that carries it.
_FUTURE_DATED_SRV = {
    MessageCode.FUTURE_DATED_FIRMWARE_ACTIVATION: "11.3",
    MessageCode.FUTURE_DATED_SECURITY_CREDENTIALS: "6.15.1",
}
_FIRMWARE_VERIFICATION_ALERTS = frozenset(
    {AlertCode.FIRMWARE_VERIFICATION_SUCCESSFUL, AlertCode.FIRMWARE_VERIFICATION_FAILED}
)
_UNKNOWN_USER = "90-B3-D5-1F-30-00-00-02"  # the ACB, when an alert names no user at all


# -- public API ----------------------------------------------------------------------------------


def build_sync_answer(
    answer: SyncAnswer, version: DuisVersion | str, *, at: datetime | None = None
) -> bytes:
    """The synchronous answer to a request, for a user on `version`."""
    return serialise(sync_answer_tree(answer, version, at=at))


def sync_answer_tree(
    answer: SyncAnswer, version: DuisVersion | str, *, at: datetime | None = None
) -> etree._Element:
    """`build_sync_answer`'s document as the tree it is built as, for a caller that signs it
    before it is serialised (so it is serialised once, not parsed again to be signed)."""
    version = duis_version(version)
    root, body = _response(
        version, code=answer.code, at=at or now_utc(), request_id=answer.request_id
    )
    message = _response_message(body, answer.srv)
    if answer.body is not None:
        writer = _SYNC_WRITERS.get(type(answer.body))
        if writer is None:  # pragma: no cover - a test checks every registered response
            raise TypeError(f"no DUIS form for {type(answer.body).__name__}")
        writer(message, answer.body, version)
    return root


def build_outbox_message(
    message: OutboundMessage,
    version: DuisVersion | str,
    *,
    recipient: str | None = None,
    gbcs_payload: bytes | None = None,
) -> bytes:
    """An asynchronous message for a user on `version`. `recipient` (the user) is used where the
    message itself does not name the user it goes to. `gbcs_payload`: the message's GBCS
    payload (`dccsim.server.gbcs`, GBCS-01), carried in GBCSPayload instead of the MMC form."""
    return serialise(
        outbox_message_tree(message, version, recipient=recipient, gbcs_payload=gbcs_payload)
    )


def outbox_message_tree(
    message: OutboundMessage,
    version: DuisVersion | str,
    *,
    recipient: str | None = None,
    gbcs_payload: bytes | None = None,
) -> etree._Element:
    """`build_outbox_message`'s document as the tree it is built as (see `sync_answer_tree`)."""
    version = duis_version(version)
    match message:
        case ServiceResponse():
            return _service_response(message, version, gbcs_payload)
        case DeviceAlertMessage():
            return _device_alert(message, version, recipient, gbcs_payload)
        case DccAlertMessage():
            return _dcc_alert(message, version)
        case other:
            raise TypeError(f"no DUIS form for {type(other).__name__}")


def read_gbcs_payload(payload: str | bytes) -> etree._Element:
    """The MMC `ra:GBCSResponse` document a dccsim GBCSPayload carries (see the module doc)."""
    return load_document(base64.b64decode(payload, validate=True)).getroot()


# -- the envelope --------------------------------------------------------------------------------


def _envelope(request_id: bool, response_id: bool) -> etree._Element:
    """An sr:Response with its Header's elements, empty, and an empty Body."""
    root = etree.Element(sr("Response"), nsmap={"sr": SR_NS})
    header = sub(root, "Header")
    if request_id:
        sub(header, "RequestID")
    if response_id:
        sub(header, "ResponseID")
    sub(header, "ResponseCode")
    sub(header, "ResponseDateTime")
    sub(root, "Body")
    return root


# The envelope each message starts from, by whether its Header has a RequestID and a
# ResponseID: copied (libxml2 copies it in C), not built element by element -- 35 µs a document
# to build, 7 to copy and fill. Never changed: each message changes its own copy.
_ENVELOPES = {
    (rid, resid): _envelope(rid, resid) for rid in (False, True) for resid in (False, True)
}


def _response(
    version: DuisVersion,
    *,
    code: ResponseCode | str,
    at: datetime,
    request_id: RequestId | None = None,
    response_id: str | None = None,
) -> tuple[etree._Element, etree._Element]:
    """An sr:Response with its Header filled in; returns the root and its empty Body."""
    root = copy.deepcopy(_ENVELOPES[request_id is not None, response_id is not None])
    root.set("schemaVersion", version.value)
    header = root[0]
    texts = [str(code), format_datetime(at)]
    if response_id is not None:
        texts.insert(0, response_id)
    if request_id is not None:
        texts.insert(0, str(request_id))
    for element, text in zip(header, texts, strict=True):
        element.text = text
    return root, root[1]


def _response_message(body: etree._Element, srv: str) -> etree._Element:
    message = sub(body, "ResponseMessage")
    sub(message, "ServiceReference", service_reference(srv))
    sub(message, "ServiceReferenceVariant", srv)
    return message


# -- synchronous bodies --------------------------------------------------------------------------


def _pre_command(message: etree._Element, pre: PreCommand, version: DuisVersion) -> None:
    element = sub(message, "PreCommand")
    sub(element, "GBCSVersion", pre.gbcs_version)
    sub(element, "GBCSPayload", b64(pre.payload))


def _local_command(message: etree._Element, local: LocalCommand, version: DuisVersion) -> None:
    sub(sub(message, "LocalCommand"), "GBCSPayload", b64(local.payload))


# -- asynchronous messages -----------------------------------------------------------------------


def _service_response(
    response: ServiceResponse, version: DuisVersion, gbcs_payload: bytes | None = None
) -> etree._Element:
    root, body = _response(
        version,
        code=response.code,
        at=response.issued_at,
        request_id=response.request_id,
        response_id=response.response_id,
    )
    message = _response_message(body, response.srv)
    mmc_body = _mmc_response_body(response)
    if mmc_body is not None:
        mmc_root = _mmc_document(
            version,
            device_id=response.device_id,
            user_id=response.request_id.originator,
            counter=response.request_id.counter,
            srv=response.srv,
            at=response.issued_at,
        )
        sub(sub(sub(mmc_root, "Body"), "ResponseMessage"), "SMETSData").append(mmc_body)
        payload = b64(serialise(mmc_root) if gbcs_payload is None else gbcs_payload)
        wrap = RESPONSE_MESSAGE_WRITERS.get(type(response.body))
        if response.schedule_id is not None:  # a DCC Schedule's run (SRV-04)
            scheduled = sub(message, "DSPScheduledMessage")
            sub(scheduled, "GBCSPayload", payload)
            sub(scheduled, "DSPScheduleID", str(response.schedule_id))
        elif wrap is None:
            sub(message, "GBCSPayload", payload)
        else:  # DUIS holds more than the payload (9.1's CINMessage)
            wrap(message, response.body, payload)
    elif response.schedule_id is not None:  # a schedule's run refused: which schedule it was
        sub(message, "DSPScheduleID", str(response.schedule_id))
    return root


def _mmc_response_body(response: ServiceResponse) -> etree._Element | None:
    if response.body is None:
        name = EMPTY_RESPONSE_BODIES.get(response.srv)
        if name is None:
            return None
        element = etree.Element(ra(name))
        if response.srv == "8.1.1":
            sub(element, "DeviceTime", format_datetime(response.issued_at))
        return element
    writer = MMC_WRITERS.get(type(response.body))
    return None if writer is None else writer(response.body)


def _mmc_document(
    version: DuisVersion,
    *,
    device_id: str,
    user_id: str,
    counter: int,
    at: datetime,
    srv: str | None = None,
    message_code: int | None = None,
) -> etree._Element:
    """An MMC ra:GBCSResponse with its Header; the caller adds the Body."""
    root = copy.deepcopy(_MMC_ENVELOPES[message_code is not None, srv is not None])
    root.set("schemaVersion", version.value)
    texts = [device_id, user_id, str(counter)]
    if message_code is not None:
        texts.append(f"{message_code:04X}")
    if srv is not None:
        texts += [service_reference(srv), srv]
    texts.append(format_datetime(at))
    for element, text in zip(root[0], texts, strict=True):
        element.text = text
    return root


def _mmc_envelope(message_code: bool, srv: bool) -> etree._Element:
    """An MMC ra:GBCSResponse with its Header's elements, empty (see `_ENVELOPES`)."""
    root = etree.Element(ra("GBCSResponse"), nsmap={"ra": RA_NS})
    header = sub(root, "Header")
    names = ["BusinessOriginatorID", "BusinessTargetID", "OriginatorCounter"]
    if message_code:
        names.append("GBCSHexadecimalMessageCode")
    if srv:
        names += ["ServiceReference", "ServiceReferenceVariant"]
    for name in [*names, "Timestamp"]:
        sub(header, name)
    return root


# By whether the Header carries GBCSHexadecimalMessageCode and the Service Reference (Variant).
_MMC_ENVELOPES = {
    (code, srv): _mmc_envelope(code, srv) for code in (False, True) for srv in (False, True)
}


def _device_alert(
    alert: DeviceAlertMessage,
    version: DuisVersion,
    recipient: str | None,
    gbcs_payload: bytes | None = None,
) -> etree._Element:
    rid = alert.request_id
    user = rid.originator if rid is not None else recipient or _UNKNOWN_USER
    counter = rid.counter if rid is not None else 0
    response_id = f"{alert.device_id}:{user}:{counter}" if rid is not None else None
    future_dated = alert.alert_code in _FUTURE_DATED_ALERTS
    srv = (
        alert.future_dated_srv or _FUTURE_DATED_SRV.get(alert.message_code)
        if future_dated
        else None
    )
    mmc_root = _mmc_document(
        version,
        device_id=alert.device_id,
        user_id=user,
        counter=counter,
        at=alert.issued_at,
        srv=srv,
        message_code=int(alert.message_code),
    )
    content = sub(sub(sub(mmc_root, "Body"), "DeviceAlertMessage"), "DeviceAlertContent")
    sub(content, "GBCSHexAlertCode", f"{int(alert.alert_code):04X}")
    sub(content, "AlertDescription", alert_name(alert.alert_code))
    sub(content, "Timestamp", format_datetime(alert.issued_at))
    payload = sub(content, "Payload")
    if alert.credentials_outcome is not None:  # a future-dated 6.15.1 (0x00CB)
        write_alert_outcome(payload, alert.credentials_outcome)
    elif future_dated and alert.message_code == MessageCode.FUTURE_DATED_COSEM:
        outcome = sub(sub(payload, "FutureDatedCommandOutcomeDeviceAlert"), "COSEMFutureDatedAlert")
        if alert.command_message_code is not None:
            sub(outcome, "FutureDatedCommandMessageCode", f"{alert.command_message_code:04X}")
        sub(outcome, "FutureDatedCommandOriginatorCounter", str(counter))
    elif future_dated:
        outcome = sub(
            sub(payload, "FutureDatedCommandOutcomeDeviceAlert"), "FirmwareActivationDeviceAlert"
        )
        sub(outcome, "OriginatorCounterFromCommand", str(counter))
        if alert.firmware_version is not None:
            sub(outcome, "FirmwareVersion", alert.firmware_version)
    elif alert.payload is not None:  # SRV-06: a device's own alert that brings data
        write_device_alert_payload(payload, alert.payload)
    elif alert.alert_code in _FIRMWARE_VERIFICATION_ALERTS:
        sub(payload, "FirmwareVerificationDeviceAlert")
    else:  # most device alerts bring no data: MMC's Payload is optional
        content.remove(payload)
    gbcs_payload_text = b64(serialise(mmc_root) if gbcs_payload is None else gbcs_payload)

    root, body = _response(
        version, code=ResponseCode.I0, at=alert.issued_at, request_id=rid, response_id=response_id
    )
    if future_dated:
        message = _response_message(body, srv or "11.3")
        element = sub(message, "FutureDatedDeviceAlertMessage")
        sub(element, "FutureDatedAlertCode", f"{int(alert.alert_code):04X}")
        sub(element, "GBCSPayload", gbcs_payload_text)
        sub(element, "InstructionNumber", "1")
        sub(element, "TotalCommandInstructions", "1")
    else:
        element = sub(body, "DeviceAlertMessage")
        sub(element, "AlertCode", f"{int(alert.alert_code):04X}")
        sub(element, "GBCSPayload", gbcs_payload_text)
    return root


def _dcc_alert(alert: DccAlertMessage, version: DuisVersion) -> etree._Element:
    root, body = _response(version, code=ResponseCode.I0, at=alert.issued_at)
    message = sub(body, "DCCAlertMessage")
    sub(message, "DCCAlertCode", str(alert.code))
    dcc_alert = sub(message, "DCCAlert")
    match alert.body:
        case DeviceStatusChange(restored=restored):
            event = sub(dcc_alert, "DeviceStatusChangeEvent")
            sub(event, "DeviceID", alert.device_id)
            change = sub(event, "DeviceStatusChange")
            sub(change, "DeviceRestored" if restored else "DeviceSuspended")
        case FirmwareVersionMismatch() as mismatch:
            element = sub(dcc_alert, "FirmwareVersionMismatch")
            sub(element, "DeviceID", alert.device_id)
            sub(element, "DeviceType", mismatch.device_type.value)
            sub(element, "FirmwareVersionSMI", mismatch.smi_version)
            sub(element, "FirmwareVersionDevice", mismatch.device_version)
        case ChangeOfSupplier(request_id=request_id, ecos_error_code=error_code):
            element = sub(dcc_alert, "ChangeOfSupplier")
            sub(element, "ChangeOfSupplierServiceRequestID", str(request_id))
            # ALERT-02 / VER-01: the element exists from DUIS 5.2 on; a 5.1 user never gets it.
            if error_code is not None and version.carries_ecos_error_code:
                sub(element, "ECoSErrorCode", error_code)
        case ScheduleRemoval(schedule_id=schedule_id):
            element = sub(dcc_alert, "DSPScheduleRemoval")
            sub(element, "DeviceID", alert.device_id)
            sub(element, "DSPScheduleID", str(schedule_id))
        case other:  # pragma: no cover - the core's DccAlertBody union is exhausted above
            raise TypeError(f"no DUIS form for {type(other).__name__}")
    return root


# The critical and local forms any device SRV can answer with, then every family's bodies.
_SYNC_WRITERS: dict[type, SyncWriter] = {
    PreCommand: _pre_command,
    LocalCommand: _local_command,
    **SYNC_WRITERS,
}
