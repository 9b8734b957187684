"""SRV 8.4 Update Inventory (SPEC §6, INV-01 … INV-05), plus the status changes, DeleteDevice and
UpdateMPxN decisions documented in server/core/inventory_update.py."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dccsim.devices.kinds import DeviceType, SmetsVersion
from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.errors import InvalidField, NotFound
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.messages import SyncAnswer
from dccsim.server.core.records import SmiRecord, SmiStatus
from dccsim.server.core.requests import (
    DeleteDevice,
    DeviceDetailsChange,
    InventoryChange,
    MpxnChange,
    StatusChange,
    UpdateInventory,
)
from tests.conftest import (
    CHF,
    ESME,
    EXAMPLE_NEW_FIRMWARE,
    GPF,
    GSME,
    HCALCS,
    NETWORK_OPERATOR,
    PPMID,
    SUPPLIER_A,
    SUPPLIER_B,
    Sim,
)

NEW_DEVICE = "00-DB-12-34-56-78-90-B1"
UNKNOWN_DEVICE = "00-DB-12-34-56-78-90-FF"
VARIANT = DeviceDetailsChange(esme_variant="B")
VARIANT_STATUSES = [
    SmiStatus.WHITELISTED,
    SmiStatus.INSTALLED_NOT_COMMISSIONED,
    SmiStatus.COMMISSIONED,
]
OTHER_MPAN = "1100000000002"
FLEET = {
    DeviceType.GSME: GSME,
    DeviceType.CHF: CHF,
    DeviceType.GPF: GPF,
    DeviceType.PPMID: PPMID,
    DeviceType.HCALCS: HCALCS,
}


def _update(
    sim: Sim, device_id: str, change: InventoryChange, *, user: str = SUPPLIER_A
) -> SyncAnswer:
    return sim.send(
        "8.4",
        UpdateInventory(device_id, change),
        target=sim.acb,
        cv=CommandVariant.NON_DEVICE,
        user=user,
    )


def _add_esme(sim: Sim, status: SmiStatus, **changes: object) -> str:
    sim.dsp.add_device(replace(sim.record(ESME), device_id=NEW_DEVICE, status=status, **changes))
    return NEW_DEVICE


def _smi(sim: Sim) -> dict[str, SmiRecord]:
    return {record.device_id: record for record in sim.dsp.state.smi}


# -- INV-01 ---------------------------------------------------------------------------------------


@pytest.mark.spec("INV-01", "REQ-04")
@pytest.mark.parametrize("status", VARIANT_STATUSES)
def test_inv01_registered_supplier_updates_the_esme_variant(sim: Sim, status: SmiStatus) -> None:
    device = _add_esme(sim, status)
    before = sim.record(device)

    answer = _update(sim, device, VARIANT)

    assert answer.code is ResponseCode.I99
    assert sim.record(device) == replace(before, esme_variant="B")


@pytest.mark.spec("INV-01")
def test_inv01_the_registered_supplier_not_the_adder_decides(sim: Sim) -> None:
    device = _add_esme(sim, SmiStatus.COMMISSIONED, added_by=SUPPLIER_B)
    before = sim.record(device)

    refused = _update(sim, device, VARIANT, user=SUPPLIER_B)  # adder, not registered

    assert refused.code is ResponseCode.E4
    assert sim.record(device) == before
    assert _update(sim, device, VARIANT, user=SUPPLIER_A).code is ResponseCode.I99
    assert sim.record(device).esme_variant == "B"


@pytest.mark.spec("INV-01", "INV-05")
def test_inv01_network_operator_may_not_update_the_variant(sim: Sim) -> None:
    before = _smi(sim)

    answer = _update(sim, ESME, VARIANT, user=NETWORK_OPERATOR)

    assert answer.code is ResponseCode.E4
    assert _smi(sim) == before


# -- INV-02 ---------------------------------------------------------------------------------------


@pytest.mark.spec("INV-02")
@pytest.mark.parametrize("status", VARIANT_STATUSES)
def test_inv02_smets1_esme_variant_update_is_refused(sim: Sim, status: SmiStatus) -> None:
    _add_esme(sim, status, smets=SmetsVersion.SMETS1)
    before = _smi(sim)

    answer = _update(sim, NEW_DEVICE, VARIANT)

    assert answer.code is ResponseCode.E080407
    assert _smi(sim) == before


@pytest.mark.spec("INV-02", "INV-03")
def test_inv02_pending_smets1_esme_variant_can_still_be_set_by_its_adder(sim: Sim) -> None:
    _add_esme(sim, SmiStatus.PENDING, smets=SmetsVersion.SMETS1)

    assert _update(sim, NEW_DEVICE, VARIANT).code is ResponseCode.I99

    assert sim.record(NEW_DEVICE).esme_variant == "B"


# -- INV-03 ---------------------------------------------------------------------------------------


@pytest.mark.spec("INV-03")
def test_inv03_pending_adder_updates_variant_and_other_details(sim: Sim) -> None:
    device = _add_esme(sim, SmiStatus.PENDING, added_by=SUPPLIER_B)
    before = sim.record(device)
    change = DeviceDetailsChange(
        manufacturer="OTHERCO",
        model="ESME-X",
        smets=SmetsVersion.SMETS1,
        firmware_version=EXAMPLE_NEW_FIRMWARE,
        esme_variant="AD",
    )

    answer = _update(sim, device, change, user=SUPPLIER_B)

    assert answer.code is ResponseCode.I99
    assert sim.record(device) == replace(
        before,
        manufacturer="OTHERCO",
        model="ESME-X",
        smets=SmetsVersion.SMETS1,
        firmware_version=EXAMPLE_NEW_FIRMWARE,
        esme_variant="AD",
    )


@pytest.mark.spec("INV-03")
def test_inv03_pending_only_given_fields_change(sim: Sim) -> None:
    device = _add_esme(sim, SmiStatus.PENDING)
    before = sim.record(device)

    assert _update(sim, device, DeviceDetailsChange(model="ESME-Y")).code is ResponseCode.I99

    assert sim.record(device) == replace(before, model="ESME-Y")


@pytest.mark.spec("INV-03")
@pytest.mark.parametrize("other", [SUPPLIER_A, NETWORK_OPERATOR])
@pytest.mark.parametrize(
    "change", [VARIANT, DeviceDetailsChange(model="ESME-X")], ids=["variant", "model"]
)
def test_inv03_pending_other_user_gets_e4(
    sim: Sim, other: str, change: DeviceDetailsChange
) -> None:
    # SUPPLIER_A is even the Registered Supplier: while Pending only the adder may update.
    _add_esme(sim, SmiStatus.PENDING, added_by=SUPPLIER_B)
    before = _smi(sim)

    answer = _update(sim, NEW_DEVICE, change, user=other)

    assert answer.code is ResponseCode.E4
    assert _smi(sim) == before


# -- INV-04 ---------------------------------------------------------------------------------------


@pytest.mark.spec("INV-04")
@pytest.mark.parametrize("device_type", list(FLEET))
def test_inv04_other_device_types_only_while_pending(sim: Sim, device_type: DeviceType) -> None:
    device_id = FLEET[device_type]
    change = DeviceDetailsChange(firmware_version=EXAMPLE_NEW_FIRMWARE)
    before = _smi(sim)

    refused = _update(sim, device_id, change)

    assert refused.code is ResponseCode.E080407
    assert _smi(sim) == before

    # A copy names no hub: the example hub has its GPF already (CPL-04).
    pending = replace(
        sim.record(device_id), device_id=NEW_DEVICE, status=SmiStatus.PENDING, comms_hub=None
    )
    sim.dsp.add_device(pending)
    assert _update(sim, NEW_DEVICE, change).code is ResponseCode.I99
    assert sim.record(NEW_DEVICE) == replace(pending, firmware_version=EXAMPLE_NEW_FIRMWARE)


@pytest.mark.spec("INV-04")
@pytest.mark.parametrize(
    "status",
    [
        SmiStatus.WHITELISTED,
        SmiStatus.INSTALLED_NOT_COMMISSIONED,
        SmiStatus.COMMISSIONED,
        SmiStatus.SUSPENDED,
    ],
)
def test_inv04_gsme_details_outside_pending_are_refused(sim: Sim, status: SmiStatus) -> None:
    sim.dsp.add_device(replace(sim.record(GSME), device_id=NEW_DEVICE, status=status))
    before = _smi(sim)

    answer = _update(sim, NEW_DEVICE, DeviceDetailsChange(model="GSME-X"))

    assert answer.code is ResponseCode.E080407
    assert _smi(sim) == before


@pytest.mark.spec("INV-04", "INV-01")
@pytest.mark.parametrize(
    "change",
    [
        DeviceDetailsChange(model="ESME-X"),
        DeviceDetailsChange(firmware_version=EXAMPLE_NEW_FIRMWARE),
        DeviceDetailsChange(esme_variant="B", model="ESME-X"),
    ],
    ids=["model", "firmware", "variant-and-model"],
)
def test_inv04_esme_details_other_than_variant_only_while_pending(
    sim: Sim, change: DeviceDetailsChange
) -> None:
    before = _smi(sim)

    answer = _update(sim, ESME, change)

    assert answer.code is ResponseCode.E080407
    assert _smi(sim) == before


# -- INV-05 ---------------------------------------------------------------------------------------


@pytest.mark.spec("INV-05")
@pytest.mark.parametrize(
    "change",
    [VARIANT, StatusChange(SmiStatus.PENDING), DeleteDevice(), MpxnChange(OTHER_MPAN)],
    ids=["details", "status", "delete", "mpxn"],
)
def test_inv05_unknown_device_is_e080407_and_changes_nothing(
    sim: Sim, change: InventoryChange
) -> None:
    before = _smi(sim)

    answer = _update(sim, UNKNOWN_DEVICE, change)

    assert answer.code is ResponseCode.E080407
    assert _smi(sim) == before
    with pytest.raises(NotFound):
        sim.record(UNKNOWN_DEVICE)


@pytest.mark.spec("INV-05")
@pytest.mark.parametrize(
    "status",
    [
        SmiStatus.DECOMMISSIONED,
        SmiStatus.WITHDRAWN,
        SmiStatus.SUSPENDED,
        SmiStatus.RECOVERY,
    ],
)
def test_inv05_esme_variant_in_an_invalid_status_is_e080407(sim: Sim, status: SmiStatus) -> None:
    _add_esme(sim, status)
    before = _smi(sim)

    answer = _update(sim, NEW_DEVICE, VARIANT)

    assert answer.code is ResponseCode.E080407
    assert _smi(sim) == before


@pytest.mark.spec("INV-05", "AUTH-04")
def test_inv05_8_4_must_target_the_acb(sim: Sim) -> None:
    before = _smi(sim)

    answer = sim.send(
        "8.4", UpdateInventory(ESME, VARIANT), target=ESME, cv=CommandVariant.NON_DEVICE
    )

    assert answer.code is ResponseCode.E19
    assert _smi(sim) == before


@pytest.mark.spec("INV-05", "BAD-01")
def test_inv05_a_variant_that_does_not_exist_is_invalid(sim: Sim) -> None:
    before = _smi(sim)

    with pytest.raises(InvalidField) as error:
        _update(sim, ESME, DeviceDetailsChange(esme_variant="Z"))

    assert error.value.field == "body.change.esme_variant"
    assert _smi(sim) == before


# -- status changes (decision: the transitions in inventory_update._STATUS_TRANSITIONS) --------


@pytest.mark.spec("INV-04")
@pytest.mark.parametrize(
    ("start", "new"),
    [
        (SmiStatus.PENDING, SmiStatus.INSTALLED_NOT_COMMISSIONED),
        (SmiStatus.WHITELISTED, SmiStatus.INSTALLED_NOT_COMMISSIONED),
        (SmiStatus.WHITELISTED, SmiStatus.PENDING),
        (SmiStatus.INSTALLED_NOT_COMMISSIONED, SmiStatus.PENDING),
    ],
)
def test_status_change_allowed_for_a_non_chf_device(
    sim: Sim, start: SmiStatus, new: SmiStatus
) -> None:
    _add_esme(sim, start)

    assert _update(sim, NEW_DEVICE, StatusChange(new)).code is ResponseCode.I99

    assert sim.record(NEW_DEVICE).status is new


@pytest.mark.spec("INV-05")
@pytest.mark.parametrize(
    ("start", "new"),
    [
        (SmiStatus.COMMISSIONED, SmiStatus.INSTALLED_NOT_COMMISSIONED),
        (SmiStatus.INSTALLED_NOT_COMMISSIONED, SmiStatus.COMMISSIONED),
        (SmiStatus.PENDING, SmiStatus.WITHDRAWN),
        (SmiStatus.PENDING, SmiStatus.PENDING),
        (SmiStatus.SUSPENDED, SmiStatus.PENDING),
        (SmiStatus.DECOMMISSIONED, SmiStatus.PENDING),
    ],
)
def test_status_change_refused_for_a_non_chf_device(
    sim: Sim, start: SmiStatus, new: SmiStatus
) -> None:
    _add_esme(sim, start)
    before = _smi(sim)

    assert _update(sim, NEW_DEVICE, StatusChange(new)).code is ResponseCode.E080407

    assert _smi(sim) == before


@pytest.mark.spec("INV-04")
@pytest.mark.parametrize(
    ("start", "new", "code"),
    [
        (SmiStatus.COMMISSIONED, SmiStatus.WITHDRAWN, ResponseCode.I99),
        (SmiStatus.INSTALLED_NOT_COMMISSIONED, SmiStatus.COMMISSIONED, ResponseCode.I99),
        (SmiStatus.PENDING, SmiStatus.INSTALLED_NOT_COMMISSIONED, ResponseCode.I99),
        (SmiStatus.PENDING, SmiStatus.PENDING, ResponseCode.E080407),
        (SmiStatus.COMMISSIONED, SmiStatus.COMMISSIONED, ResponseCode.E080407),
        (SmiStatus.WITHDRAWN, SmiStatus.COMMISSIONED, ResponseCode.E080407),
    ],
)
def test_status_change_for_a_chf(
    sim: Sim, start: SmiStatus, new: SmiStatus, code: ResponseCode
) -> None:
    sim.dsp.add_device(replace(sim.record(CHF), device_id=NEW_DEVICE, status=start))

    assert _update(sim, NEW_DEVICE, StatusChange(new)).code is code

    assert sim.record(NEW_DEVICE).status is (new if code is ResponseCode.I99 else start)


@pytest.mark.spec("INV-05")
def test_status_change_by_a_user_with_no_right_is_e4(sim: Sim) -> None:
    _add_esme(sim, SmiStatus.WHITELISTED)
    before = _smi(sim)

    answer = _update(
        sim, NEW_DEVICE, StatusChange(SmiStatus.INSTALLED_NOT_COMMISSIONED), user=SUPPLIER_B
    )

    assert answer.code is ResponseCode.E4
    assert _smi(sim) == before


@pytest.mark.spec("BAD-01")
def test_status_change_to_a_status_8_4_cannot_set_is_invalid(sim: Sim) -> None:
    _add_esme(sim, SmiStatus.WHITELISTED)

    with pytest.raises(InvalidField) as error:
        _update(sim, NEW_DEVICE, StatusChange(SmiStatus.SUSPENDED))

    assert error.value.field == "body.change.new_status"
    assert sim.record(NEW_DEVICE).status is SmiStatus.WHITELISTED


# -- DeleteDevice -------------------------------------------------------------------------------


@pytest.mark.spec("INV-03")
def test_delete_a_pending_device_by_its_adder(sim: Sim) -> None:
    _add_esme(sim, SmiStatus.PENDING)

    assert _update(sim, NEW_DEVICE, DeleteDevice()).code is ResponseCode.I99

    with pytest.raises(NotFound):
        sim.record(NEW_DEVICE)
    with pytest.raises(NotFound):
        sim.dsp.device(NEW_DEVICE)
    assert _update(sim, NEW_DEVICE, DeleteDevice()).code is ResponseCode.E080407


@pytest.mark.spec("INV-03", "INV-05")
@pytest.mark.parametrize(
    ("status", "adder", "code"),
    [
        (SmiStatus.PENDING, SUPPLIER_B, ResponseCode.E4),
        (SmiStatus.WHITELISTED, SUPPLIER_A, ResponseCode.E080407),
        (SmiStatus.COMMISSIONED, SUPPLIER_A, ResponseCode.E080407),
    ],
)
def test_delete_refused(sim: Sim, status: SmiStatus, adder: str, code: ResponseCode) -> None:
    _add_esme(sim, status, added_by=adder)
    before = _smi(sim)

    assert _update(sim, NEW_DEVICE, DeleteDevice()).code is code

    assert _smi(sim) == before
    assert sim.dsp.device(NEW_DEVICE).device_id == NEW_DEVICE


# -- UpdateMPxN -----------------------------------------------------------------------------------


@pytest.mark.spec("INV-05")
@pytest.mark.parametrize(
    "status", [SmiStatus.PENDING, SmiStatus.INSTALLED_NOT_COMMISSIONED, SmiStatus.COMMISSIONED]
)
def test_update_mpxn_by_the_supplier(sim: Sim, status: SmiStatus) -> None:
    _add_esme(sim, status, added_by=SUPPLIER_B)

    assert _update(sim, NEW_DEVICE, MpxnChange(OTHER_MPAN)).code is ResponseCode.I99

    assert sim.record(NEW_DEVICE).mpxn == OTHER_MPAN
    assert [r.device_id for r in sim.dsp.state.smi.with_mpxn(OTHER_MPAN)] == [NEW_DEVICE]


@pytest.mark.spec("INV-05")
@pytest.mark.parametrize(
    "status",
    [SmiStatus.DECOMMISSIONED, SmiStatus.WITHDRAWN, SmiStatus.SUSPENDED, SmiStatus.RECOVERY],
)
def test_update_mpxn_refused_in_a_frozen_status(sim: Sim, status: SmiStatus) -> None:
    _add_esme(sim, status)
    before = _smi(sim)

    assert _update(sim, NEW_DEVICE, MpxnChange(OTHER_MPAN)).code is ResponseCode.E080407

    assert _smi(sim) == before


@pytest.mark.spec("INV-05")
def test_update_mpxn_by_a_user_with_no_right_is_e4(sim: Sim) -> None:
    before = _smi(sim)

    answer = _update(sim, ESME, MpxnChange(OTHER_MPAN), user=SUPPLIER_B)

    assert answer.code is ResponseCode.E4
    assert _smi(sim) == before


@pytest.mark.spec("INV-03", "INV-05")
@pytest.mark.parametrize("device_type", [t for t in FLEET if t is not DeviceType.ESME])
def test_an_esme_variant_on_another_device_type_is_refused_even_while_pending(
    sim: Sim, device_type: DeviceType
) -> None:
    """Decision: the ESME Variant is an ESME's attribute; setting it elsewhere is E080407."""
    pending = replace(
        sim.record(FLEET[device_type]),
        device_id=NEW_DEVICE,
        status=SmiStatus.PENDING,
        comms_hub=None,  # the example hub has its GPF already (CPL-04)
    )
    sim.dsp.add_device(pending)

    refused = _update(sim, NEW_DEVICE, DeviceDetailsChange(esme_variant="A"))

    assert refused.code is ResponseCode.E080407
    assert sim.record(NEW_DEVICE) == pending
