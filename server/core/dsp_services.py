"""Non-device SRs (CV 8), answered synchronously by the DSP itself (REQ-04)."""

from __future__ import annotations

import zlib

from dccsim.devices.firmware import FirmwareImage
from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.device_services import decide, deliver_device_alert
from dccsim.server.core.faults import FaultAction, FaultStage
from dccsim.server.core.inventory_update import update_inventory
from dccsim.server.core.journal import EventKind
from dccsim.server.core.messages import (
    InventoryResult,
    SyncAnswer,
    UpdateFirmwareWarnings,
    WanCoverage,
    WanMatrixResult,
)
from dccsim.server.core.records import CplStatus, SmiStatus
from dccsim.server.core.requests import (
    ReadInventory,
    RequestWanMatrix,
    ServiceRequest,
    UpdateFirmware,
    UpdateInventory,
)
from dccsim.server.core.state import DspState

MAX_INVENTORY_DEVICES = 17  # DSPInventory holds at most 17 devices
_DISTRIBUTABLE = frozenset({SmiStatus.COMMISSIONED, SmiStatus.SUSPENDED})


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


def distribute_firmware(state: DspState, request: ServiceRequest) -> SyncAnswer:
    """11.1: check each listed device, send the image to the rest; each SMETS2 device then
    raises its Firmware Distribution Receipt (DEV-02, DEV-05)."""
    body = request.body
    assert isinstance(body, UpdateFirmware)
    originator = request.request_id.originator
    now = state.now()
    image = FirmwareImage.from_bytes(body.image, body.firmware_version)
    invalid, not_commissioned, not_applicable, in_progress = [], [], [], []
    recipients = []
    for device_id in dict.fromkeys(d.upper() for d in body.device_ids):
        record = state.smi.get(device_id)
        device = state.network.get(device_id)
        if (
            record is None
            or device is None
            or (
                state.registrations.responsible_supplier(record.device_type, record.mpxn, now)
                != originator
            )
        ):
            invalid.append(device_id)
            continue
        if record.status not in _DISTRIBUTABLE:
            not_commissioned.append(device_id)
            continue
        entry = state.cpl.get(record.manufacturer, record.model, body.firmware_version)
        if (
            entry is None
            or entry.status is not CplStatus.CURRENT
            or (entry.image_hash is not None and entry.image_hash != image.hash)
        ):
            not_applicable.append(device_id)
            continue
        if device.firmware.pending is not None:
            in_progress.append(device_id)
            continue
        recipients.append(device)
    for device in recipients:
        decision = decide(state, FaultStage.DEVICE_ALERT, "11.1", device, request.request_id)
        failing = decision is not None and decision.action is FaultAction.FAIL_VERIFICATION
        alert = device.receive_image(image, verifies=not failing)
        state.journal.record(
            now,
            EventKind.DEVICE_COMMAND,
            "11.1 image distributed",
            device=device.device_id,
            version=image.version,
        )
        if alert is not None:
            deliver_device_alert(state, alert, request.request_id, decision)
    warnings = UpdateFirmwareWarnings(
        tuple(invalid), tuple(not_commissioned), tuple(not_applicable), tuple(in_progress)
    )
    code = ResponseCode.W110101 if warnings.any else ResponseCode.I99
    return SyncAnswer(
        request.request_id,
        request.srv,
        code,
        warnings if warnings.any else None,
        detail=f"image sent to {len(recipients)} device(s)",
    )


# Decision: coverage is simulated. Postcode areas of Scotland and northern England are in the
# North CSP region, Wales and the Midlands Central, the rest South; every property is covered.
_NORTH = frozenset(
    [
        "AB",
        "DD",
        "DG",
        "EH",
        "FK",
        "G",
        "HS",
        "IV",
        "KA",
        "KW",
        "KY",
        "ML",
        "PA",
        "PH",
        "TD",
        "ZE",
        "CA",
        "DH",
        "DL",
        "HG",
        "HU",
        "LA",
        "LS",
        "NE",
        "SR",
        "TS",
        "YO",
        "BD",
        "HD",
        "HX",
        "WF",
    ]
)
_CENTRAL = frozenset(
    [
        "B",
        "CV",
        "DE",
        "DY",
        "LE",
        "NG",
        "NN",
        "ST",
        "WS",
        "WV",
        "CF",
        "LD",
        "LL",
        "NP",
        "SA",
        "SY",
        "CH",
        "CW",
        "L",
        "M",
        "OL",
        "PR",
        "SK",
        "WA",
        "WN",
        "BB",
        "BL",
        "FY",
        "S",
        "DN",
        "LN",
    ]
)


def _region(request: RequestWanMatrix) -> str:
    if request.postcode is not None:
        area = "".join(c for c in request.postcode.upper().split()[0] if c.isalpha())
        if area in _NORTH:
            return "North"
        return "Central" if area in _CENTRAL else "South"
    return ("North", "Central", "South")[zlib.crc32(str(request.uprn).encode()) % 3]


def wan_matrix(state: DspState, request: ServiceRequest) -> SyncAnswer:
    body = request.body
    assert isinstance(body, RequestWanMatrix)
    coverage = WanCoverage(_region(body), True, "Cellular 4G", "High")
    result = WanMatrixResult(body.uprn, body.postcode, body.address_identifier, (coverage,))
    return SyncAnswer(request.request_id, request.srv, ResponseCode.I0, result)
