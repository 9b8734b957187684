"""SRV 8.4 Update Inventory (DUIS v5.2 as changed by MP125/MP215): who may change what, when.

Pure: returns the answer and the record to store; the caller applies it. Rules INV-01 to INV-05:
- an ESME's ESME Variant: by the Registered (import) Supplier for its MPAN while Whitelisted,
  InstalledNotCommissioned or Commissioned, except a SMETS1 ESME (E080407);
- while Pending: anything, by the user who added the device;
- every other update to a device with an SMI status: only while Pending.
Decisions: a user with no right to the device gets E4; status changes follow the transitions below.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from dccsim.devices.kinds import DeviceType, SmetsVersion
from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.records import SmiRecord, SmiStatus, UserRole
from dccsim.server.core.registration import RegistrationData, supplier_role
from dccsim.server.core.requests import (
    DeleteDevice,
    DeviceDetailsChange,
    MpxnChange,
    StatusChange,
    UpdateInventory,
)

_ESME_VARIANT_STATUSES = frozenset(
    {SmiStatus.WHITELISTED, SmiStatus.INSTALLED_NOT_COMMISSIONED, SmiStatus.COMMISSIONED}
)
# Decision: the status transitions 8.4 allows. Non-CHF devices use UpdateDeviceStatusExceptCH
# (to Pending or InstalledNotCommissioned); a CHF uses UpdateDeviceStatusCH.
_STATUS_TRANSITIONS: dict[bool, tuple[frozenset[SmiStatus], frozenset[SmiStatus]]] = {
    False: (
        frozenset({SmiStatus.PENDING, SmiStatus.WHITELISTED, SmiStatus.INSTALLED_NOT_COMMISSIONED}),
        frozenset({SmiStatus.PENDING, SmiStatus.INSTALLED_NOT_COMMISSIONED}),
    ),
    True: (
        frozenset(
            {
                SmiStatus.PENDING,
                SmiStatus.WHITELISTED,
                SmiStatus.INSTALLED_NOT_COMMISSIONED,
                SmiStatus.COMMISSIONED,
            }
        ),
        frozenset(
            {SmiStatus.INSTALLED_NOT_COMMISSIONED, SmiStatus.COMMISSIONED, SmiStatus.WITHDRAWN}
        ),
    ),
}
_MPXN_FROZEN_STATUSES = frozenset(
    {SmiStatus.DECOMMISSIONED, SmiStatus.WITHDRAWN, SmiStatus.SUSPENDED, SmiStatus.RECOVERY}
)


@dataclass(frozen=True, slots=True)
class InventoryUpdateOutcome:
    code: ResponseCode
    record: SmiRecord | None = None  # the record to store (None: nothing to store)
    deleted: bool = False
    reason: str = ""


def _refuse(code: ResponseCode, reason: str) -> InventoryUpdateOutcome:
    return InventoryUpdateOutcome(code, reason=reason)


def update_inventory(
    body: UpdateInventory,
    record: SmiRecord | None,
    user_id: str,
    registrations: RegistrationData,
    now: datetime,
) -> InventoryUpdateOutcome:
    if record is None:
        return _refuse(ResponseCode.E080407, "device is not in the SMI")  # INV-05
    is_adder = record.added_by == user_id
    is_supplier = registrations.is_registered(
        record.mpxn, supplier_role(record.device_type), user_id, now
    )
    match body.change:
        case DeviceDetailsChange() as details:
            return _update_details(record, details, is_adder, registrations, user_id, now)
        case StatusChange(new_status=new_status):
            if not (is_adder or is_supplier):
                return _refuse(ResponseCode.E4, "only the adder or the supplier may change status")
            allowed_from, allowed_to = _STATUS_TRANSITIONS[record.device_type is DeviceType.CHF]
            if record.status not in allowed_from or new_status not in allowed_to:
                return _refuse(
                    ResponseCode.E080407, f"cannot move from {record.status} to {new_status}"
                )
            if new_status is record.status:
                return _refuse(ResponseCode.E080407, f"device is already {new_status}")
            return InventoryUpdateOutcome(ResponseCode.I99, replace(record, status=new_status))
        case DeleteDevice():
            if not is_adder:
                return _refuse(ResponseCode.E4, "only the user who added a device may delete it")
            if record.status is not SmiStatus.PENDING:
                return _refuse(ResponseCode.E080407, "only a Pending device can be deleted")
            return InventoryUpdateOutcome(ResponseCode.I99, deleted=True)
        case MpxnChange(import_mpxn=mpxn):
            new_supplier = registrations.is_registered(
                mpxn, supplier_role(record.device_type), user_id, now
            )
            if not (is_adder or is_supplier or new_supplier):
                return _refuse(ResponseCode.E4, "user has no right to this device's MPxN")
            if record.status in _MPXN_FROZEN_STATUSES:
                return _refuse(ResponseCode.E080407, f"cannot change MPxN while {record.status}")
            return InventoryUpdateOutcome(ResponseCode.I99, replace(record, mpxn=mpxn))
    return _refuse(ResponseCode.E080407, "unknown update")  # pragma: no cover - validated earlier


def _update_details(
    record: SmiRecord,
    details: DeviceDetailsChange,
    is_adder: bool,
    registrations: RegistrationData,
    user_id: str,
    now: datetime,
) -> InventoryUpdateOutcome:
    if details.esme_variant is not None and record.device_type is not DeviceType.ESME:
        return _refuse(ResponseCode.E080407, "an ESME Variant applies to ESMEs only")
    if record.status is SmiStatus.PENDING:  # INV-03
        if not is_adder:
            return _refuse(ResponseCode.E4, "while Pending only the adder may update details")
        return InventoryUpdateOutcome(ResponseCode.I99, _apply(record, details))
    if (
        record.device_type is DeviceType.ESME
        and details.only_esme_variant
        and record.status in _ESME_VARIANT_STATUSES
    ):
        if not registrations.is_registered(record.mpxn, UserRole.IMPORT_SUPPLIER, user_id, now):
            return _refuse(ResponseCode.E4, "only the Registered Supplier may update the variant")
        if record.smets is SmetsVersion.SMETS1:  # INV-02 (MP215)
            return _refuse(ResponseCode.E080407, "a SMETS1 ESME's variant cannot be updated")
        return InventoryUpdateOutcome(ResponseCode.I99, _apply(record, details))  # INV-01
    # INV-04 / INV-05: any other update needs the device to be Pending.
    return _refuse(ResponseCode.E080407, f"status {record.status} is not valid for this update")


def _apply(record: SmiRecord, details: DeviceDetailsChange) -> SmiRecord:
    changes = {
        name: value
        for name in ("manufacturer", "model", "smets", "firmware_version", "esme_variant")
        if (value := getattr(details, name)) is not None
    }
    return replace(record, **changes)
