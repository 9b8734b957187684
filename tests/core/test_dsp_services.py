"""The DSP's own SRVs of SRV-04 beyond 8.2/8.4/11.1/12.1: each changes what DUIS says it changes,
shows it through 8.2, and refuses with its own E-code (changing nothing) where its validation
fails."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from dccsim.devices.kinds import DeviceType, SmetsVersion
from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.messages import (
    DeviceAlertMessage,
    InventoryResult,
    ServiceResponse,
    SyncAnswer,
)
from dccsim.server.core.records import SmiStatus
from dccsim.server.core.requests import (
    CANCELLATION_DATETIME,
    ReadInventory,
    RequestBody,
    UpdateFirmware,
    UpdateSecurityCredentialsCoS,
)
from dccsim.server.core.services.comms_hub import HubInstalled, HubReturned
from dccsim.server.core.services.inventory import (
    UNKNOWN_FIRMWARE,
    DecommissionDevice,
    DevicePrenotification,
)
from tests.conftest import (
    CHF,
    ESME,
    EXAMPLE_NEW_FIRMWARE,
    GPF,
    NETWORK_OPERATOR,
    NEW_IMAGE,
    PPMID,
    SUPPLIER_A,
    SUPPLIER_B,
    Sim,
)

NEW_DEVICE = "00-DB-12-34-56-78-91-00"


def _dsp(sim: Sim, srv: str, body: RequestBody, user: str = SUPPLIER_A) -> SyncAnswer:
    return sim.send(srv, body, target=sim.acb, cv=CommandVariant.NON_DEVICE, user=user)


def _inventory(sim: Sim, device_id: str) -> SmiStatus:
    answer = _dsp(sim, "8.2", ReadInventory(device_id=device_id))
    assert isinstance(answer.body, InventoryResult)
    [record] = answer.body.devices
    return record.status


def _unchanged(sim: Sim, act) -> None:
    """Run `act` and check it changed no SMI record and consumed no counter."""
    records = {record.device_id: record for record in sim.dsp.state.smi}
    counters = dict(sim.dsp.counters)
    act()
    assert {record.device_id: record for record in sim.dsp.state.smi} == records
    assert dict(sim.dsp.counters) == counters


# -- 8.3 Decommission Device ---------------------------------------------------------------------


@pytest.mark.spec("SRV-04", "REQ-04")
def test_decommission_sets_the_smi_status_shown_by_read_inventory(sim: Sim) -> None:
    answer = _dsp(sim, "8.3", DecommissionDevice(ESME))

    assert answer.code is ResponseCode.I99
    assert _inventory(sim, ESME) is SmiStatus.DECOMMISSIONED
    # A decommissioned device is no longer communicable (AUTH-06).
    assert sim.read_firmware(ESME).code is ResponseCode.E5


@pytest.mark.spec("SRV-04", "BAD-01")
@pytest.mark.parametrize(
    ("device", "user", "code"),
    [
        (NEW_DEVICE, SUPPLIER_A, ResponseCode.E080301),  # not in the SMI
        (ESME, SUPPLIER_B, ResponseCode.E080302),  # not its Responsible Supplier
        (ESME, NETWORK_OPERATOR, ResponseCode.E2),  # the matrix opens 8.3 to IS and GS only
    ],
)
def test_decommission_is_refused_and_changes_nothing(
    sim: Sim, device: str, user: str, code: ResponseCode
) -> None:
    def act() -> None:
        assert _dsp(sim, "8.3", DecommissionDevice(device), user=user).code is code

    _unchanged(sim, act)


@pytest.mark.spec("SRV-04")
def test_decommission_twice_is_refused(sim: Sim) -> None:
    assert _dsp(sim, "8.3", DecommissionDevice(ESME)).code is ResponseCode.I99
    assert _dsp(sim, "8.3", DecommissionDevice(ESME)).code is ResponseCode.E080302


@pytest.mark.spec("BAD-01")
def test_decommission_names_a_bad_device_id(sim: Sim) -> None:
    with pytest.raises(InvalidField) as caught:
        _dsp(sim, "8.3", DecommissionDevice("not an EUI"))
    assert caught.value.field == "body.device_id"


# -- 12.2 Device Pre-notification ----------------------------------------------------------------


@pytest.mark.spec("SRV-04")
def test_prenotification_adds_a_pending_device(sim: Sim) -> None:
    body = DevicePrenotification(
        NEW_DEVICE, "AB01", "010A030B", DeviceType.ESME, SmetsVersion.SMETS1, None, "AD"
    )

    assert _dsp(sim, "12.2", body).code is ResponseCode.I99

    record = sim.record(NEW_DEVICE)
    assert record.status is SmiStatus.PENDING
    assert (record.smets, record.esme_variant, record.added_by) == (
        SmetsVersion.SMETS1,
        "AD",
        SUPPLIER_A,
    )
    assert record.firmware_version == UNKNOWN_FIRMWARE
    assert _inventory(sim, NEW_DEVICE) is SmiStatus.PENDING
    assert sim.dsp.device(NEW_DEVICE).device_type is DeviceType.ESME


@pytest.mark.spec("SRV-04", "BAD-01")
def test_prenotifying_a_device_in_the_smi_is_refused(sim: Sim) -> None:
    body = DevicePrenotification(ESME, "AB01", "0A0B", DeviceType.ESME)

    def act() -> None:
        assert _dsp(sim, "12.2", body).code is ResponseCode.E120201

    _unchanged(sim, act)


@pytest.mark.spec("BAD-01")
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"manufacturer": "TOO-LONG"}, "body.manufacturer"),
        ({"model": ""}, "body.model"),
        ({"esme_variant": "ZZ"}, "body.esme_variant"),
        ({"firmware_version": "123456789"}, "body.firmware_version"),
    ],
)
def test_a_bad_prenotification_names_its_field(sim: Sim, changes: dict, field: str) -> None:
    values = {"manufacturer": "AB01", "model": "0A0B", **changes}
    body = DevicePrenotification(NEW_DEVICE, device_type=DeviceType.ESME, **values)
    with pytest.raises(InvalidField) as caught:
        _dsp(sim, "12.2", body)
    assert caught.value.field == field
    assert NEW_DEVICE not in sim.dsp.state.smi


# -- 8.14.x Communications Hub status updates ----------------------------------------------------


def _installed(device: str = CHF) -> HubInstalled:
    return HubInstalled(device, "New CHF Install", "1100000000001", "Basement or Cellar")


@pytest.mark.spec("SRV-04")
@pytest.mark.parametrize(
    ("srv", "status"),
    [("8.14.1", SmiStatus.COMMISSIONED), ("8.14.2", SmiStatus.INSTALLED_NOT_COMMISSIONED)],
)
def test_hub_install_updates_set_the_chf_status(sim: Sim, srv: str, status: SmiStatus) -> None:
    assert _dsp(sim, srv, _installed()).code is ResponseCode.I99
    assert _inventory(sim, CHF) is status


@pytest.mark.spec("SRV-04", "CPL-04")
@pytest.mark.parametrize("srv", ["8.14.3", "8.14.4"])
def test_a_returned_hub_is_withdrawn_with_its_gpf(sim: Sim, srv: str) -> None:
    sim.dsp.add_device(replace(sim.record(GPF), comms_hub=CHF))  # one hub (CPL-04)
    assert _dsp(sim, srv, HubReturned(CHF, "No Fault Return (general)")).code is ResponseCode.I99

    assert _inventory(sim, CHF) is SmiStatus.WITHDRAWN
    assert _inventory(sim, GPF) is SmiStatus.WITHDRAWN
    assert _dsp(sim, "8.14.1", _installed()).code is ResponseCode.E081402


@pytest.mark.spec("SRV-04", "BAD-01")
@pytest.mark.parametrize("device", [ESME, NEW_DEVICE])
def test_hub_updates_need_a_chf_in_the_smi(sim: Sim, device: str) -> None:
    def act() -> None:
        assert _dsp(sim, "8.14.1", _installed(device)).code is ResponseCode.E081401

    _unchanged(sim, act)


# -- 11.4 Update PPMID Firmware ------------------------------------------------------------------


@pytest.mark.spec("SRV-04", "DEV-02")
def test_ppmid_firmware_goes_to_ppmids_only(sim: Sim) -> None:
    body = UpdateFirmware(NEW_IMAGE, EXAMPLE_NEW_FIRMWARE, (PPMID, ESME))

    answer = _dsp(sim, "11.4", body)

    assert answer.code is ResponseCode.W110401
    assert answer.body is not None and answer.body.invalid_device_ids == (ESME,)
    assert sim.dsp.device(PPMID).firmware.held_image is not None
    assert sim.dsp.device(ESME).firmware.held_image is None
    receipts = [m for m in sim.messages() if isinstance(m, DeviceAlertMessage)]
    assert [m.device_id for m in receipts] == [PPMID]


# -- SRV-05: cancelling what the DSP holds --------------------------------------------------------


@pytest.mark.spec("SRV-05", "REQ-07")
def test_a_cancellation_drops_the_held_change_of_supplier_and_is_answered(sim: Sim) -> None:
    when = sim.dsp.now() + timedelta(days=1)
    body = UpdateSecurityCredentialsCoS("1100000000001")
    assert sim.send("6.23", body, target=ESME, execution_datetime=when).code is ResponseCode.I99
    assert len(sim.dsp.state.scheduler) == 1

    answer = sim.send("6.23", body, target=ESME, execution_datetime=CANCELLATION_DATETIME)

    assert answer.code is ResponseCode.I99
    assert len(sim.dsp.state.scheduler) == 0
    [response] = [m for m in sim.messages() if isinstance(m, ServiceResponse)]
    assert response.request_id == answer.request_id and response.code is ResponseCode.I0
    sim.dsp.advance(timedelta(days=2))
    assert sim.dsp.device(ESME).supplier_credentials != SUPPLIER_A  # never ran
