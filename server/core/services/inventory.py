"""Inventory SRVs: 8.1.1 Commission Device (the device's clock is set, then the SMI says
Commissioned), 8.2 Read Inventory and 8.4 Update Inventory (INV-*), answered by the DSP."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial

from dccsim.devices.device import SimulatedDevice
from dccsim.devices.kinds import DeviceType, SmetsVersion
from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.delivery import Outcome
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.eui import parse_eui64
from dccsim.server.core.fields import (
    check_firmware_version,
    check_mpxn,
    check_text,
    check_uprn,
    check_xml_text,
)
from dccsim.server.core.inventory_update import update_inventory
from dccsim.server.core.journal import EventKind
from dccsim.server.core.messages import InventoryResult, SyncAnswer
from dccsim.server.core.records import ESME_VARIANTS, SmiRecord, SmiStatus
from dccsim.server.core.requests import (
    CommissionDevice,
    DeleteDevice,
    DeviceDetailsChange,
    MpxnChange,
    ReadInventory,
    ServiceRequest,
    StatusChange,
    UpdateInventory,
)
from dccsim.server.core.services.registry import Family
from dccsim.server.core.state import DspState

family: Family = Family()

MAX_INVENTORY_DEVICES = 17  # DSPInventory holds at most 17 devices
_STATUS_CHANGES = frozenset(
    {
        SmiStatus.PENDING,
        SmiStatus.INSTALLED_NOT_COMMISSIONED,
        SmiStatus.COMMISSIONED,
        SmiStatus.WITHDRAWN,
    }
)


# -- 8.1.1 Commission Device ---------------------------------------------------------------------


@family.device("8.1.1", body=CommissionDevice, device_types=(DeviceType.ESME, DeviceType.GSME))
def commission(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    device.set_clock()
    return None, partial(_commissioned, state, device.device_id)


def _commissioned(state: DspState, device_id: str) -> None:
    record = state.smi.get(device_id)
    # A device Recovered from InstalledNotCommissioned is judged by that status (AUTH-08).
    if record is not None and record.effective_status is SmiStatus.INSTALLED_NOT_COMMISSIONED:
        state.store(
            replace(record, status=SmiStatus.COMMISSIONED, date_commissioned=state.now().date()),
            "8.1.1 commissioned the device",
        )


# -- 8.2 Read Inventory --------------------------------------------------------------------------


def _check_read_inventory(body: ReadInventory) -> None:
    keys = [k for k in (body.device_id, body.mpxn, body.uprn) if k is not None]
    if len(keys) != 1:
        raise InvalidField("body", "8.2 takes exactly one of device_id, mpxn, uprn")
    if body.device_id is not None:
        parse_eui64(body.device_id, "body.device_id")
    if body.mpxn is not None:
        check_mpxn(body.mpxn, "body.mpxn")
    if body.uprn is not None:
        check_uprn(body.uprn, "body.uprn")


@family.dsp("8.2", body=ReadInventory, check=_check_read_inventory, responses=(InventoryResult,))
def read_inventory(state: DspState, request: ServiceRequest) -> SyncAnswer:
    body = request.body
    assert isinstance(body, ReadInventory)
    if body.device_id is not None:
        record = state.smi.get(body.device_id.upper())
        records = [record] if record is not None else []
    elif body.mpxn is not None:
        records = state.smi.with_mpxn(body.mpxn)
    else:
        records = [r for r in state.smi if r.uprn == body.uprn]
    records = records[:MAX_INVENTORY_DEVICES]
    if not records:
        return SyncAnswer(
            request.request_id,
            request.srv,
            ResponseCode.E080201,
            detail="no device matches the search key",
        )
    statuses = tuple(
        (status.duis_value if (status := state.cpl.status_of(r.cpl_key)) else None) for r in records
    )
    return SyncAnswer(
        request.request_id, request.srv, ResponseCode.I0, InventoryResult(tuple(records), statuses)
    )


# -- 8.4 Update Inventory ------------------------------------------------------------------------


def _check_update_inventory(body: UpdateInventory) -> None:
    parse_eui64(body.device_id, "body.device_id")
    match body.change:
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
                check_firmware_version(details.firmware_version, "body.change.firmware_version")
            for name in ("manufacturer", "model"):
                value = getattr(details, name)
                if value is not None and not 0 < len(value) <= 30:
                    raise InvalidField(f"body.change.{name}", "must be 1 to 30 characters")
                check_xml_text(value, f"body.change.{name}")
        case MpxnChange(import_mpxn=mpxn):
            check_mpxn(mpxn, "body.change.import_mpxn")
        case DeleteDevice():
            pass  # carries nothing
        case _:
            raise InvalidField(
                "body.change", "UpdateInventory needs a status, details, delete or MPxN change"
            )


@family.dsp("8.4", body=UpdateInventory, check=_check_update_inventory)
def apply_inventory_update(state: DspState, request: ServiceRequest) -> SyncAnswer:
    body = request.body
    assert isinstance(body, UpdateInventory)
    device_id = body.device_id.upper()
    outcome = update_inventory(
        body,
        state.smi.get(device_id),
        request.request_id.originator,
        state.registrations,
        state.now(),
    )
    if outcome.deleted:
        state.smi.delete(device_id)
        state.network.remove(device_id)
        state.journal.record(
            state.now(), EventKind.SMI_CHANGE, "8.4 deleted the device", device=device_id
        )
    elif outcome.record is not None:
        state.store(outcome.record, "8.4 Update Inventory")
    return SyncAnswer(request.request_id, request.srv, outcome.code, detail=outcome.reason)


# -- 8.3 Decommission Device ---------------------------------------------------------------------

# Decision: a device that has been installed can be decommissioned; one never installed
# (Pending, Whitelisted) or already out of service cannot.
_DECOMMISSIONABLE = frozenset(
    {
        SmiStatus.INSTALLED_NOT_COMMISSIONED,
        SmiStatus.COMMISSIONED,
        SmiStatus.SUSPENDED,
        SmiStatus.RECOVERED,
    }
)


@dataclass(frozen=True, slots=True)
class DecommissionDevice:
    """8.3: the device is taken out of service; the SMI says Decommissioned."""

    device_id: str


def _check_decommission(body: DecommissionDevice) -> None:
    parse_eui64(body.device_id, "body.device_id")


@family.dsp("8.3", body=DecommissionDevice, check=_check_decommission)
def decommission(state: DspState, request: ServiceRequest) -> SyncAnswer:
    """Decision: only the device's Responsible Supplier may decommission it (E080302)."""
    body = request.body
    assert isinstance(body, DecommissionDevice)
    record = state.smi.get(body.device_id.upper())
    if record is None:
        return _refused(request, ResponseCode.E080301, "device is not in the SMI")
    supplier = state.registrations.responsible_supplier(
        record.device_type, record.mpxn, state.now()
    )
    if supplier != request.request_id.originator:
        return _refused(request, ResponseCode.E080302, "not the device's Responsible Supplier")
    if record.status not in _DECOMMISSIONABLE:
        return _refused(
            request, ResponseCode.E080302, f"a {record.status} device cannot be decommissioned"
        )
    state.store(record.evolve(status=SmiStatus.DECOMMISSIONED), "8.3 Decommission Device")
    return SyncAnswer(request.request_id, request.srv, ResponseCode.I99)


# -- 12.2 Device Pre-notification ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DevicePrenotification:
    """12.2: the DCC is told of a device before it is installed; the SMI gains it as Pending."""

    device_id: str
    manufacturer: str
    model: str
    device_type: DeviceType
    smets: SmetsVersion = SmetsVersion.SMETS2
    firmware_version: str | None = None
    esme_variant: str | None = None


def _check_prenotification(body: DevicePrenotification) -> None:
    parse_eui64(body.device_id, "body.device_id")
    # DUIS types manufacturer and model as hex strings of 4 and 8 characters at most.
    check_text(body.manufacturer, "body.manufacturer", max_length=4)
    check_text(body.model, "body.model", max_length=8)
    if not isinstance(body.device_type, DeviceType):
        raise InvalidField("body.device_type", f"{body.device_type!r} is not a device type")
    if not isinstance(body.smets, SmetsVersion):
        raise InvalidField("body.smets", f"{body.smets!r} is not SMETS1 or SMETS2")
    if body.firmware_version is not None:
        check_firmware_version(body.firmware_version, "body.firmware_version")
    if body.esme_variant is not None and body.esme_variant not in ESME_VARIANTS:
        raise InvalidField("body.esme_variant", f"{body.esme_variant!r} is not an ESME Variant")


# Decision: the firmware version a pre-notified device runs when the notice names none.
UNKNOWN_FIRMWARE = "00000000"


@family.dsp("12.2", body=DevicePrenotification, check=_check_prenotification)
def prenotify(state: DspState, request: ServiceRequest) -> SyncAnswer:
    body = request.body
    assert isinstance(body, DevicePrenotification)
    device_id = body.device_id.upper()
    if device_id in state.smi:
        return _refused(request, ResponseCode.E120201, "device is already in the SMI")
    record = SmiRecord(
        device_id=device_id,
        device_type=body.device_type,
        smets=body.smets,
        manufacturer=body.manufacturer,
        model=body.model,
        firmware_version=body.firmware_version or UNKNOWN_FIRMWARE,
        status=SmiStatus.PENDING,
        esme_variant=body.esme_variant,
        added_by=request.request_id.originator,
    )
    state.store(record, "12.2 Device Pre-notification")
    state.network.add(
        SimulatedDevice.create(
            device_id,
            record.device_type,
            record.smets,
            record.manufacturer,
            record.model,
            record.firmware_version,
        )
    )
    return SyncAnswer(request.request_id, request.srv, ResponseCode.I99)


def _refused(request: ServiceRequest, code: ResponseCode, reason: str) -> SyncAnswer:
    return SyncAnswer(request.request_id, request.srv, code, detail=reason)
