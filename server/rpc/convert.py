"""Translation between dccsim.v1 messages and the core's records. No business rules: a value that
cannot be translated raises the core's InvalidField, naming the field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dccsim.server.core import faults, records, requests
from dccsim.server.core import messages as core_messages
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.eui import parse_eui64
from dccsim.server.core.journal import Event
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.outbox import OutboxEntry
from dccsim.server.rpc.bodies import BODY_READERS as FAMILY_BODY_READERS
from dccsim.server.rpc.bodies import RESPONSE_FILLERS, SYNC_FILLERS
from dccsim.server.rpc.bodies.credentials import fill_outcome
from dccsim.server.rpc.device_alerts import fill_device_alert_payload
from dccsim.server.rpc.wire import (
    CPL_STATUSES,
    DEVICE_TYPES,
    SMETS,
    SMI_STATUSES,
    USER_ROLES,
    E,
    from_duration,
    from_timestamp,
    timestamp,
)
from dccsim.v1 import control_pb2, supplier_pb2, types_pb2

# -- requests ------------------------------------------------------------------------------------


# CommandVariant(value) looks the member up through the Enum machinery: a dict is a tenth of it.
_COMMAND_VARIANTS = {variant.value: variant for variant in CommandVariant}


def service_request(message: supplier_pb2.SubmitRequest) -> requests.ServiceRequest:
    request_id = requests.RequestId.parse(message.request_id, "request_id")
    variant = _COMMAND_VARIANTS.get(message.command_variant)
    if variant is None:
        raise InvalidField("command_variant", f"{message.command_variant} is not 1-8")
    return requests.ServiceRequest(
        request_id=request_id,
        srv=message.service_reference_variant,
        command_variant=variant,
        body=_body(message),
        execution_datetime=from_timestamp(message.execution_datetime, "execution_datetime")
        if message.HasField("execution_datetime")
        else None,
        user_role=USER_ROLES.to_core(message.user_role, "user_role", required=False),
    )


def _body(message: supplier_pb2.SubmitRequest) -> requests.RequestBody:
    kind = message.WhichOneof("body")
    if kind is None:
        raise InvalidField("body", "a Service Request needs a body")
    entry = BODY_READERS.get(kind)
    if entry is None:  # no_body: an SRV the simulator validates and authorises only
        return requests.NoBody()
    return entry[1](getattr(message, kind))


def _read_inventory(read: supplier_pb2.ReadInventory) -> requests.ReadInventory:
    key = read.WhichOneof("key")
    return requests.ReadInventory(
        device_id=read.device_id if key == "device_id" else None,
        mpxn=read.mpxn if key == "mpxn" else None,
        uprn=read.uprn if key == "uprn" else None,
    )


def _request_wan_matrix(wan: supplier_pb2.RequestWanMatrix) -> requests.RequestWanMatrix:
    return requests.RequestWanMatrix(
        uprn=wan.uprn if wan.HasField("uprn") else None,
        postcode=wan.postcode if wan.HasField("postcode") else None,
        address_identifier=wan.address_identifier if wan.HasField("address_identifier") else None,
    )


def _update_inventory(update: supplier_pb2.UpdateInventory) -> requests.UpdateInventory:
    change: requests.InventoryChange
    match update.WhichOneof("change"):
        case "new_status":
            status = SMI_STATUSES.to_core(update.new_status, "body.change.new_status")
            assert status is not None
            change = requests.StatusChange(status)
        case "device_details":
            d = update.device_details
            change = requests.DeviceDetailsChange(
                manufacturer=d.manufacturer if d.HasField("manufacturer") else None,
                model=d.model if d.HasField("model") else None,
                smets=SMETS.to_core(d.smets, "body.change.smets", required=False),
                firmware_version=d.firmware_version if d.HasField("firmware_version") else None,
                esme_variant=d.esme_variant if d.HasField("esme_variant") else None,
            )
        case "delete_device":
            change = requests.DeleteDevice()
        case "import_mpxn":
            change = requests.MpxnChange(update.import_mpxn)
        case _:
            raise InvalidField("body.change", "UpdateInventory needs a change")
    return requests.UpdateInventory(update.device_id, change)


# The oneof field, core body type and reader of each body: keyed by the registry's bodies
# (dccsim.server.core.services), and a test fails when a served SRV's body has no entry here.
BODY_READERS: dict[str, tuple[type, Callable[[Any], requests.RequestBody]]] = {
    "top_up_device": (requests.TopUpDevice, lambda m: requests.TopUpDevice(m.utrn)),
    "update_security_credentials_cos": (
        requests.UpdateSecurityCredentialsCoS,
        lambda m: requests.UpdateSecurityCredentialsCoS(m.import_mpxn),
    ),
    "commission_device": (requests.CommissionDevice, lambda m: requests.CommissionDevice()),
    "read_inventory": (requests.ReadInventory, _read_inventory),
    "update_inventory": (requests.UpdateInventory, _update_inventory),
    "update_firmware": (
        requests.UpdateFirmware,
        lambda m: requests.UpdateFirmware(m.image, m.firmware_version, tuple(m.device_ids)),
    ),
    "read_firmware_version": (
        requests.ReadFirmwareVersion,
        lambda m: requests.ReadFirmwareVersion(),
    ),
    "activate_firmware": (
        requests.ActivateFirmware,
        lambda m: requests.ActivateFirmware(m.firmware_hash),
    ),
    "request_wan_matrix": (requests.RequestWanMatrix, _request_wan_matrix),
    "signed_pre_command": (
        requests.SignedPreCommand,
        lambda m: requests.SignedPreCommand(m.payload),
    ),
    **FAMILY_BODY_READERS,
}


# -- answers -------------------------------------------------------------------------------------


def submit_response(
    answer: core_messages.SyncAnswer, into: supplier_pb2.SubmitResponse | None = None
) -> supplier_pb2.SubmitResponse:
    """The answer as a SubmitResponse: a new one, or `into` (a field of the message it goes out
    in, filled in place: a stream or batch result would otherwise copy it)."""
    response = supplier_pb2.SubmitResponse() if into is None else into
    response.request_id = str(answer.request_id)
    response.service_reference_variant = answer.srv
    response.response_code = answer.code
    response.detail = answer.detail
    match answer.body:
        case core_messages.PreCommand(gbcs_version=version, payload=payload):
            response.pre_command.gbcs_version = version
            response.pre_command.payload = payload
        case core_messages.LocalCommand(payload=payload):
            response.local_command.payload = payload
        case core_messages.InventoryResult(devices=devices, cpl_status=statuses):
            response.inventory.devices.extend(device(r) for r in devices)
            response.inventory.cpl_status.extend(s or "" for s in statuses)
        case core_messages.UpdateFirmwareWarnings() as w:
            warnings = response.update_firmware_warnings
            warnings.invalid_device_ids.extend(w.invalid_device_ids)
            warnings.not_commissioned.extend(w.not_commissioned)
            warnings.not_applicable_firmware.extend(w.not_applicable_firmware)
            warnings.other_request_in_progress.extend(w.other_request_in_progress)
        case core_messages.WanMatrixResult(coverage=coverage):
            response.wan_matrix.coverage.extend(
                supplier_pb2.WanCoverage(
                    csp_region=c.csp_region,
                    coverage_available=c.coverage_available,
                    wan_technology=c.wan_technology,
                    connectivity_likelihood=c.connectivity_likelihood,
                )
                for c in coverage
            )
        case None:
            pass
        case other:
            SYNC_FILLERS[type(other)](response, other)
    return response


def delivery(
    entry: OutboxEntry, into: supplier_pb2.Delivery | None = None
) -> supplier_pb2.Delivery:
    """The outbox entry as a Delivery: a new one, or `into` (an item just added to a batch's
    repeated field, filled in place rather than copied there)."""
    out = supplier_pb2.Delivery() if into is None else into
    out.sequence = entry.sequence
    out.user_id = entry.recipient
    match entry.message:
        case core_messages.ServiceResponse() as r:
            response = out.service_response
            response.request_id = str(r.request_id)
            response.response_id = r.response_id
            response.service_reference_variant = r.srv
            response.response_code = r.code
            response.device_id = r.device_id
            response.issued_at.CopyFrom(timestamp(r.issued_at))
            if r.schedule_id is not None:
                response.schedule_id = r.schedule_id
            match r.body:
                case core_messages.FirmwareVersionRead(firmware_version=v, gsme_firmware_version=g):
                    response.firmware_version_read.firmware_version = v
                    if g is not None:
                        response.firmware_version_read.gsme_firmware_version = g
                case core_messages.FirmwareActivation(code=code, firmware_version=v):
                    response.firmware_activation.activate_image_response_code = code or ""
                    if v is not None:
                        response.firmware_activation.firmware_version = v
                case None:
                    pass
                case other:
                    RESPONSE_FILLERS[type(other)](response, other)
        case core_messages.DeviceAlertMessage() as a:
            alert = out.device_alert
            alert.device_id = a.device_id
            alert.message_code = a.message_code
            alert.alert_code = a.alert_code
            alert.issued_at.CopyFrom(timestamp(a.issued_at))
            if a.firmware_version is not None:
                alert.firmware_version = a.firmware_version
            alert.request_id = str(a.request_id) if a.request_id else ""
            if a.credentials_outcome is not None:
                fill_outcome(alert.credentials_outcome, a.credentials_outcome)
            fill_device_alert_payload(alert, a)
        case core_messages.DccAlertMessage() as a:
            dcc_alert = out.dcc_alert
            dcc_alert.dcc_alert_code = a.code
            dcc_alert.device_id = a.device_id
            dcc_alert.issued_at.CopyFrom(timestamp(a.issued_at))
            match a.body:
                case core_messages.DeviceStatusChange(restored=restored):
                    dcc_alert.device_status_change.restored = restored
                case core_messages.FirmwareVersionMismatch() as m:
                    dcc_alert.firmware_version_mismatch.device_type = DEVICE_TYPES.to_proto(
                        m.device_type
                    )
                    dcc_alert.firmware_version_mismatch.smi_version = m.smi_version
                    dcc_alert.firmware_version_mismatch.device_version = m.device_version
                case core_messages.ChangeOfSupplier(request_id=rid, ecos_error_code=ecos_code):
                    dcc_alert.change_of_supplier.request_id = str(rid)
                    if ecos_code is not None:
                        dcc_alert.change_of_supplier.ecos_error_code = ecos_code
                case core_messages.ScheduleRemoval(schedule_id=schedule_id):
                    dcc_alert.schedule_removal.schedule_id = schedule_id
    return out


# -- records -------------------------------------------------------------------------------------


def device(record: records.SmiRecord) -> types_pb2.Device:
    return types_pb2.Device(
        device_id=record.device_id,
        device_type=DEVICE_TYPES.to_proto(record.device_type),
        smets=SMETS.to_proto(record.smets),
        manufacturer=record.manufacturer,
        model=record.model,
        firmware_version=record.firmware_version,
        status=SMI_STATUSES.to_proto(record.status),
        mpxn=record.mpxn or "",
        esme_variant=record.esme_variant or "",
        added_by=record.added_by or "",
        uprn=record.uprn or 0,
        status_before_suspension=SMI_STATUSES.to_proto(record.status_before_suspension),
        paired_gsme=record.paired_gsme or "",
        status_before_recovery=SMI_STATUSES.to_proto(record.status_before_recovery),
        comms_hub=record.comms_hub or "",
    )


def smi_record(message: types_pb2.Device) -> records.SmiRecord:
    device_type = DEVICE_TYPES.to_core(message.device_type, "device_type")
    smets = SMETS.to_core(message.smets, "smets")
    status = SMI_STATUSES.to_core(message.status, "status")
    assert device_type is not None and smets is not None and status is not None
    # The record refuses what it cannot hold (records.py), naming the field: these are the
    # Device message's names too.
    return records.SmiRecord(
        device_id=message.device_id,
        device_type=device_type,
        smets=smets,
        manufacturer=message.manufacturer,
        model=message.model,
        firmware_version=message.firmware_version,
        status=status,
        mpxn=message.mpxn or None,
        esme_variant=message.esme_variant or None,
        added_by=message.added_by or None,
        uprn=message.uprn or None,
        status_before_suspension=SMI_STATUSES.to_core(
            message.status_before_suspension, "status_before_suspension", required=False
        ),
        paired_gsme=message.paired_gsme.upper() or None,
        status_before_recovery=SMI_STATUSES.to_core(
            message.status_before_recovery, "status_before_recovery", required=False
        ),
        comms_hub=message.comms_hub or None,  # canonicalised, and checked, by Dsp.add_device
    )


def user(message: types_pb2.User) -> records.User:
    roles = frozenset(USER_ROLES.to_core(r, "roles") for r in message.roles)
    if not roles:  # the API's rule: the core can hold a User with none (AUTH-01, E1)
        raise InvalidField("roles", "a user needs at least one role")
    try:
        version = records.DuisVersion(message.interface_version or "5.2")
    except ValueError:
        raise InvalidField("interface_version", f"{message.interface_version!r} unknown") from None
    return records.User(
        user_id=message.user_id,
        roles=roles,  # type: ignore[arg-type]
        status=records.UserStatus.SUSPENDED if message.suspended else records.UserStatus.ACTIVE,
        interface_version=version,
        name=message.name,
    )


def user_message(record: records.User) -> types_pb2.User:
    return types_pb2.User(
        user_id=record.user_id,
        roles=sorted(USER_ROLES.to_proto(r) for r in record.roles),
        suspended=record.status is records.UserStatus.SUSPENDED,
        interface_version=record.interface_version,
        name=record.name,
    )


def registration(message: control_pb2.Registration) -> records.Registration:
    role = USER_ROLES.to_core(message.role, "role")
    assert role is not None
    if not message.HasField("start"):
        raise InvalidField("start", "is required")
    return records.Registration(
        mpxn=message.mpxn,
        role=role,
        user_id=message.user_id,
        start=from_timestamp(message.start, "start"),
        end=from_timestamp(message.end, "end") if message.HasField("end") else None,
    )


def cpl_entry(message: types_pb2.CplEntry) -> records.CplEntry:
    status = CPL_STATUSES.to_core(message.status, "status")
    assert status is not None
    return records.CplEntry(
        message.manufacturer,
        message.model,
        message.firmware_version,
        status,
        message.image_hash or None,
    )


def cpl_message(entry: records.CplEntry) -> types_pb2.CplEntry:
    return types_pb2.CplEntry(
        manufacturer=entry.manufacturer,
        model=entry.model,
        firmware_version=entry.firmware_version,
        status=CPL_STATUSES.to_proto(entry.status),
        image_hash=entry.image_hash or b"",
    )


def event(record: Event) -> control_pb2.Event:
    return control_pb2.Event(
        sequence=record.sequence,
        at=timestamp(record.at),
        kind=record.kind,
        summary=record.summary,
        details=dict(record.details),
    )


# -- fault rules ---------------------------------------------------------------------------------


def fault_rule(message: control_pb2.FaultRule) -> faults.FaultRule:
    action = _str_enum(faults.FaultAction, message.action, "action")
    stage = _str_enum(faults.FaultStage, message.stage or "device-response", "stage")
    return faults.FaultRule(
        action=action,
        stage=stage,
        srv=message.srv or None,
        device_type=DEVICE_TYPES.to_core(message.device_type, "device_type", required=False),
        smets=SMETS.to_core(message.smets, "smets", required=False),
        device_ids=frozenset(parse_eui64(d, "device_ids") for d in message.device_ids) or None,
        probability=message.probability if message.HasField("probability") else 1.0,
        first_n=message.first_n if message.HasField("first_n") else None,
        window_start=from_timestamp(message.window_start, "window_start")
        if message.HasField("window_start")
        else None,
        window_end=from_timestamp(message.window_end, "window_end")
        if message.HasField("window_end")
        else None,
        delay=from_duration(message.delay, "delay") if message.HasField("delay") else None,
        error_code=message.error_code or None,
        alert_code=message.alert_code or None,
    )


def _str_enum(enum_type: type[E], value: str, field: str) -> E:
    try:
        return enum_type(value)
    except ValueError:
        allowed = ", ".join(m.value for m in enum_type)
        raise InvalidField(field, f"{value!r} is not one of {allowed}") from None


def fault_rule_entry(rule_id: int, rule: faults.FaultRule) -> control_pb2.FaultRuleEntry:
    message = control_pb2.FaultRule(
        action=rule.action,
        stage=rule.stage,
        srv=rule.srv or "",
        device_type=DEVICE_TYPES.to_proto(rule.device_type),
        smets=SMETS.to_proto(rule.smets),
        device_ids=sorted(rule.device_ids or ()),
        probability=rule.probability,
        error_code=rule.error_code or "",
        alert_code=rule.alert_code or 0,
    )
    if rule.first_n is not None:
        message.first_n = rule.first_n
    if rule.window_start is not None:
        message.window_start.CopyFrom(timestamp(rule.window_start))
    if rule.window_end is not None:
        message.window_end.CopyFrom(timestamp(rule.window_end))
    if rule.delay is not None:
        message.delay.FromTimedelta(rule.delay)
    return control_pb2.FaultRuleEntry(rule_id=rule_id, rule=message)


def fault_decision(decision: faults.FaultDecision) -> control_pb2.FaultDecision:
    return control_pb2.FaultDecision(
        at=timestamp(decision.at),
        rule_id=decision.rule_id,
        action=decision.action,
        stage=decision.target.stage,
        srv=decision.target.srv,
        device_id=decision.target.device_id,
        request_id=decision.target.request_id,
        alert_code=decision.target.alert_code or 0,
    )
