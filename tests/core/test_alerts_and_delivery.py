"""DCC Alerts, interface versions and delivery (SPEC §7: ALERT-01, ALERT-02, VER-01, ALERT-03)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import pytest

from dccsim.devices.codes import AlertCode
from dccsim.devices.kinds import DeviceType
from dccsim.server.core.codes import DccAlertCode, ResponseCode
from dccsim.server.core.dsp import Dsp
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.fleet import EXAMPLE_MPAN, example_fleet
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.messages import (
    ChangeOfSupplier,
    DccAlertMessage,
    DeviceAlertMessage,
    DeviceStatusChange,
    FirmwareVersionMismatch,
    FirmwareVersionRead,
    ServiceResponse,
)
from dccsim.server.core.outbox import Outbox, OutboxEntry, Outboxes
from dccsim.server.core.records import DuisVersion, Registration, User, UserRole
from dccsim.server.core.requests import (
    RequestId,
    UpdateFirmware,
    UpdateSecurityCredentialsCoS,
)
from tests.conftest import (
    ESME,
    EXAMPLE_FIRMWARE,
    EXAMPLE_NEW_FIRMWARE,
    GPF,
    GSME,
    NETWORK_OPERATOR,
    NEW_IMAGE,
    SUPPLIER_A,
    SUPPLIER_B,
    Sim,
)

GAS_SUPPLIER = "90-B3-D5-1F-30-06-00-00"
DISTRIBUTOR = "90-B3-D5-1F-30-04-00-00"
TRANSPORTER = "90-B3-D5-1F-30-05-00-00"
SINCE = datetime(2020, 1, 1, tzinfo=UTC)
OFF_CPL_FIRMWARE = "0300"


@dataclass(frozen=True)
class Fuel:
    device_id: str
    device_type: DeviceType
    supplier: str
    network_operator: str


ELECTRICITY = Fuel(ESME, DeviceType.ESME, SUPPLIER_A, DISTRIBUTOR)
GAS = Fuel(GSME, DeviceType.GSME, GAS_SUPPLIER, TRANSPORTER)
FUELS = pytest.mark.parametrize("fuel", [ELECTRICITY, GAS], ids=["electricity", "gas"])


def _separate_parties_sim() -> Sim:
    """The example fleet with a different user in each registered role: IS (SUPPLIER_A), GS,
    ED and GT. SUPPLIER_B and NETWORK_OPERATOR exist but are registered for nothing."""
    fleet = example_fleet()
    fleet.users += [
        User(GAS_SUPPLIER, frozenset({UserRole.GAS_SUPPLIER}), name="Gas Supplier"),
        User(DISTRIBUTOR, frozenset({UserRole.ELECTRICITY_DISTRIBUTOR}), name="Distributor"),
        User(TRANSPORTER, frozenset({UserRole.GAS_TRANSPORTER}), name="Transporter"),
    ]
    parties = {
        UserRole.GAS_SUPPLIER: GAS_SUPPLIER,
        UserRole.ELECTRICITY_DISTRIBUTOR: DISTRIBUTOR,
        UserRole.GAS_TRANSPORTER: TRANSPORTER,
    }
    fleet.registrations = [
        replace(r, user_id=parties[r.role]) if r.role in parties else r for r in fleet.registrations
    ]
    dsp = Dsp()
    fleet.load_into(dsp)
    return Sim(dsp, itertools.count(1000))


@pytest.fixture
def parties() -> Sim:
    return _separate_parties_sim()


def _recipients(sim: Sim, code: DccAlertCode) -> dict[str, list[DccAlertMessage]]:
    """Every user whose outbox holds a DCC alert with `code`, with those alerts."""
    found = {}
    for user in sim.dsp.state.users:
        alerts = [
            m for m in sim.messages(user) if isinstance(m, DccAlertMessage) and m.code is code
        ]
        if alerts:
            found[user] = alerts
    return found


def _distribute(sim: Sim, fuel: Fuel) -> None:
    answer = sim.send(
        "11.1",
        UpdateFirmware(NEW_IMAGE, EXAMPLE_NEW_FIRMWARE, (fuel.device_id,)),
        target=sim.acb,
        cv=CommandVariant.NON_DEVICE,
        user=fuel.supplier,
    )
    assert answer.code is ResponseCode.I99


def _activate(sim: Sim, fuel: Fuel) -> None:
    assert sim.activate(fuel.device_id, user=fuel.supplier).code is ResponseCode.I99


# -- ALERT-01 -------------------------------------------------------------------------------------


@pytest.mark.spec("ALERT-01", "CPL-01")
@FUELS
def test_alert01_device_suspended_goes_to_the_responsible_supplier_only(
    parties: Sim, fuel: Fuel
) -> None:
    sim = parties

    assert sim.remove_from_cpl(fuel.device_type) == 1

    expected = DccAlertMessage(
        DccAlertCode.DEVICE_SUSPENDED,
        fuel.device_id,
        sim.dsp.now(),
        DeviceStatusChange(restored=False),
    )
    assert _recipients(sim, DccAlertCode.DEVICE_SUSPENDED) == {fuel.supplier: [expected]}
    assert all(sim.messages(u) == [] for u in sim.dsp.state.users if u != fuel.supplier)


@pytest.mark.spec("ALERT-01", "FW-02")
@FUELS
def test_alert01_n29_goes_to_supplier_and_network_operator_only(parties: Sim, fuel: Fuel) -> None:
    sim = parties
    sim.remove_from_cpl(fuel.device_type)
    _distribute(sim, fuel)

    _activate(sim, fuel)

    expected = DccAlertMessage(
        DccAlertCode.DEVICE_RESTORED,
        fuel.device_id,
        sim.dsp.now(),
        DeviceStatusChange(restored=True),
    )
    assert _recipients(sim, DccAlertCode.DEVICE_RESTORED) == {
        fuel.supplier: [expected],
        fuel.network_operator: [expected],
    }
    assert sim.messages(fuel.network_operator) == [expected]  # nothing else for the operator


@pytest.mark.spec("ALERT-01", "FW-03")
@FUELS
def test_alert01_n50_goes_to_the_responsible_supplier_only(parties: Sim, fuel: Fuel) -> None:
    sim = parties
    _distribute(sim, fuel)
    assert sim.remove_from_cpl(fuel.device_type, EXAMPLE_NEW_FIRMWARE) == 0

    _activate(sim, fuel)

    expected = DccAlertMessage(
        DccAlertCode.FIRMWARE_NO_LONGER_VALID,
        fuel.device_id,
        sim.dsp.now(),
        FirmwareVersionMismatch(fuel.device_type, EXAMPLE_FIRMWARE, EXAMPLE_NEW_FIRMWARE),
    )
    assert _recipients(sim, DccAlertCode.FIRMWARE_NO_LONGER_VALID) == {fuel.supplier: [expected]}
    assert sim.messages(fuel.network_operator) == []


@pytest.mark.spec("ALERT-01", "FW-04")
@FUELS
def test_alert01_n51_goes_to_the_responsible_supplier_only(parties: Sim, fuel: Fuel) -> None:
    sim = parties
    sim.dsp.device(fuel.device_id).firmware.running_version = OFF_CPL_FIRMWARE

    assert sim.read_firmware(fuel.device_id, user=fuel.supplier).code is ResponseCode.I99

    expected = DccAlertMessage(
        DccAlertCode.INVALID_FIRMWARE_VERSION,
        fuel.device_id,
        sim.dsp.now(),
        FirmwareVersionMismatch(fuel.device_type, EXAMPLE_FIRMWARE, OFF_CPL_FIRMWARE),
    )
    assert _recipients(sim, DccAlertCode.INVALID_FIRMWARE_VERSION) == {fuel.supplier: [expected]}
    assert sim.messages(fuel.network_operator) == []


@pytest.mark.spec("ALERT-01", "FW-07")
def test_alert01_n52_goes_to_the_gas_supplier_only(parties: Sim) -> None:
    sim = parties
    sim.dsp.device(GSME).firmware.running_version = EXAMPLE_NEW_FIRMWARE

    answer = sim.read_firmware(GPF, user=GAS_SUPPLIER)

    assert answer.code is ResponseCode.I99
    expected = DccAlertMessage(
        DccAlertCode.GSME_FIRMWARE_MISMATCH,
        GSME,
        sim.dsp.now(),
        FirmwareVersionMismatch(DeviceType.GSME, EXAMPLE_FIRMWARE, EXAMPLE_NEW_FIRMWARE),
    )
    assert _recipients(sim, DccAlertCode.GSME_FIRMWARE_MISMATCH) == {GAS_SUPPLIER: [expected]}
    assert [type(m) for m in sim.messages(GAS_SUPPLIER)] == [ServiceResponse, DccAlertMessage]
    for user in (SUPPLIER_A, SUPPLIER_B, NETWORK_OPERATOR, DISTRIBUTOR, TRANSPORTER):
        assert sim.messages(user) == []


@pytest.mark.spec("ALERT-01")
def test_alert01_no_registered_party_means_no_alert_but_no_crash(sim: Sim) -> None:
    """A device whose MPxN has no registration: the suspension happens, nobody is alerted."""
    orphan = "00-DB-12-34-56-78-90-E0"
    sim.dsp.add_device(replace(sim.record(ESME), device_id=orphan, mpxn="1199999999999"))

    assert sim.remove_from_cpl(DeviceType.ESME) == 2

    assert [m.device_id for m in sim.messages(SUPPLIER_A)] == [ESME]
    assert sim.messages(NETWORK_OPERATOR) == []
    assert sim.messages(SUPPLIER_B) == []


# -- ALERT-02 -------------------------------------------------------------------------------------


def _change_of_supplier(sim: Sim, user: str):
    return sim.send("6.23", UpdateSecurityCredentialsCoS(EXAMPLE_MPAN), target=ESME, user=user)


@pytest.mark.spec("ALERT-02", "VER-01")
def test_alert02_n26_carries_the_ecos_error_code_for_a_5_2_user(sim: Sim) -> None:
    sim.dsp.program_ecos_failure(ESME, "E01")

    answer = _change_of_supplier(sim, SUPPLIER_A)

    assert answer.code is ResponseCode.I99
    assert sim.messages(SUPPLIER_A) == [
        DccAlertMessage(
            DccAlertCode.CHANGE_OF_SUPPLIER_FAILED,
            ESME,
            sim.dsp.now(),
            ChangeOfSupplier(answer.request_id, "E01"),
        )
    ]
    assert sim.dsp.device(ESME).supplier_credentials is None  # the device never got it
    assert sim.messages(NETWORK_OPERATOR) == []
    assert sim.messages(SUPPLIER_B) == []


@pytest.mark.spec("ALERT-02", "VER-01")
def test_alert02_n26_has_no_ecos_error_code_for_a_5_1_user(sim: Sim) -> None:
    sim.dsp.add_registration(
        Registration(EXAMPLE_MPAN, UserRole.IMPORT_SUPPLIER, SUPPLIER_B, SINCE)
    )
    sim.dsp.program_ecos_failure(ESME, "E01")

    answer = _change_of_supplier(sim, SUPPLIER_B)

    assert answer.code is ResponseCode.I99
    assert sim.messages(SUPPLIER_B) == [
        DccAlertMessage(
            DccAlertCode.CHANGE_OF_SUPPLIER_FAILED,
            ESME,
            sim.dsp.now(),
            ChangeOfSupplier(answer.request_id, None),
        )
    ]
    assert sim.messages(SUPPLIER_A) == []


@pytest.mark.spec("ALERT-02")
def test_alert02_the_failure_applies_to_the_next_6_23_only(sim: Sim) -> None:
    sim.dsp.program_ecos_failure(ESME, "E02")
    failed = _change_of_supplier(sim, SUPPLIER_A)

    succeeded = _change_of_supplier(sim, SUPPLIER_A)

    assert succeeded.code is ResponseCode.I99
    messages = sim.messages(SUPPLIER_A)
    assert [type(m) for m in messages] == [DccAlertMessage, ServiceResponse]
    assert messages[0].body == ChangeOfSupplier(failed.request_id, "E02")
    assert messages[1].request_id == succeeded.request_id
    assert messages[1].code is ResponseCode.I0
    assert sim.dsp.device(ESME).supplier_credentials == SUPPLIER_A


@pytest.mark.spec("ALERT-02")
@pytest.mark.parametrize("code", ["", "E1", "E001"])
def test_alert02_ecos_error_code_is_three_characters(sim: Sim, code: str) -> None:
    with pytest.raises(InvalidField) as error:
        sim.dsp.program_ecos_failure(ESME, code)

    assert error.value.field == "ecos_error_code"
    assert sim.dsp.state.ecos_failures == {}


# -- VER-01 ---------------------------------------------------------------------------------------


@pytest.mark.spec("VER-01", "ALERT-02")
@pytest.mark.parametrize("version", list(DuisVersion))
def test_ver01_n26_is_shaped_for_each_interface_version(sim: Sim, version: DuisVersion) -> None:
    user = "90-B3-D5-1F-30-07-00-00"
    sim.dsp.add_user(User(user, frozenset({UserRole.IMPORT_SUPPLIER}), interface_version=version))
    sim.dsp.add_registration(Registration(EXAMPLE_MPAN, UserRole.IMPORT_SUPPLIER, user, SINCE))
    sim.dsp.program_ecos_failure(ESME, "X9Z")

    answer = _change_of_supplier(sim, user)

    assert answer.code is ResponseCode.I99  # a user on any version is served
    [alert] = sim.messages(user)
    expected_code = None if version is DuisVersion.V5_1 else "X9Z"
    assert alert.body == ChangeOfSupplier(answer.request_id, expected_code)


@pytest.mark.spec("VER-01")
def test_ver01_one_message_delivered_to_two_users_is_shaped_for_each(sim: Sim) -> None:
    rid = RequestId(SUPPLIER_A, ESME, 1)
    message = DccAlertMessage(
        DccAlertCode.CHANGE_OF_SUPPLIER_FAILED, ESME, sim.dsp.now(), ChangeOfSupplier(rid, "E01")
    )

    sim.dsp.state.deliver(SUPPLIER_B, message)  # DUIS 5.1
    sim.dsp.state.deliver(SUPPLIER_A, message)  # DUIS 5.2

    assert sim.messages(SUPPLIER_B) == [replace(message, body=ChangeOfSupplier(rid, None))]
    assert sim.messages(SUPPLIER_A) == [message]


@pytest.mark.spec("VER-01", "ALERT-01")
def test_ver01_messages_without_version_differences_are_identical_for_5_1(sim: Sim) -> None:
    # The Responsible Supplier moves back to DUIS 5.1: bodies without version-specific
    # elements reach it unchanged.
    user = sim.dsp.state.users[SUPPLIER_A]
    sim.dsp.add_user(replace(user, interface_version=DuisVersion.V5_1))

    assert sim.remove_from_cpl(DeviceType.ESME) == 1
    assert sim.read_firmware(ESME).code is ResponseCode.I99

    messages = sim.messages(SUPPLIER_A)
    assert messages[0] == DccAlertMessage(
        DccAlertCode.DEVICE_SUSPENDED, ESME, sim.dsp.now(), DeviceStatusChange(restored=False)
    )
    assert isinstance(messages[1], ServiceResponse)
    assert messages[1].body == FirmwareVersionRead(EXAMPLE_FIRMWARE, None)


# -- ALERT-03 -------------------------------------------------------------------------------------


def _alert(n: int) -> DccAlertMessage:
    return DccAlertMessage(
        DccAlertCode.DEVICE_SUSPENDED,
        f"00-DB-12-34-56-78-90-{n:02X}",
        SINCE,
        DeviceStatusChange(restored=False),
    )


@pytest.mark.spec("ALERT-03")
def test_alert03_outbox_numbers_messages_in_order() -> None:
    box = Outbox(SUPPLIER_A)

    entries = [box.append(_alert(n)) for n in range(1, 4)]

    assert entries == [OutboxEntry(n, SUPPLIER_A, _alert(n)) for n in range(1, 4)]
    assert box.pending() == entries
    assert box.last_sequence == 3
    assert len(box) == 3


@pytest.mark.spec("ALERT-03")
def test_alert03_pending_after_resumes_and_limit_caps() -> None:
    box = Outbox(SUPPLIER_A)
    for n in range(1, 6):
        box.append(_alert(n))

    assert [e.sequence for e in box.pending(after=2)] == [3, 4, 5]
    assert [e.sequence for e in box.pending(after=2, limit=2)] == [3, 4]
    assert box.pending(after=5) == []
    assert len(box) == 5  # reading acknowledges nothing


@pytest.mark.spec("ALERT-03")
def test_alert03_acknowledge_removes_exactly_those_and_nothing_comes_back() -> None:
    box = Outbox(SUPPLIER_A)
    for n in range(1, 5):
        box.append(_alert(n))

    assert box.acknowledge(2) == 2

    assert [e.sequence for e in box.pending()] == [3, 4]
    assert box.acknowledged == 2
    assert box.acknowledge(2) == 0  # acknowledging again removes nothing more
    assert box.acknowledge(1) == 0
    assert box.acknowledged == 2
    box.append(_alert(5))
    assert [(e.sequence, e.message) for e in box.pending()] == [
        (3, _alert(3)),
        (4, _alert(4)),
        (5, _alert(5)),
    ]
    assert box.acknowledge(5) == 3
    assert box.pending() == []
    assert len(box) == 0


@pytest.mark.spec("ALERT-03")
def test_alert03_acknowledging_beyond_the_last_sequence_is_an_error() -> None:
    box = Outbox(SUPPLIER_A)
    box.append(_alert(1))

    with pytest.raises(ValueError, match="cannot acknowledge 2"):
        box.acknowledge(2)

    assert [e.sequence for e in box.pending()] == [1]
    assert box.acknowledged == 0


@pytest.mark.spec("ALERT-03")
def test_alert03_each_user_numbers_its_own_entries_in_order() -> None:
    boxes = Outboxes()

    first = boxes.deliver(SUPPLIER_A, _alert(1))
    other = boxes.deliver(SUPPLIER_B, _alert(2))
    second = boxes.deliver(SUPPLIER_A, _alert(3))

    assert boxes.for_user(SUPPLIER_A).pending() == [first, second]
    assert boxes.for_user(SUPPLIER_B).pending() == [other]
    assert (first.sequence, other.sequence, second.sequence) == (1, 1, 2)
    assert boxes.snapshot() == {SUPPLIER_A: 2, SUPPLIER_B: 1}


@pytest.mark.spec("ALERT-03", "REQ-03")
def test_alert03_messages_for_a_user_who_never_reads_are_kept_in_order(sim: Sim) -> None:
    assert sim.remove_from_cpl(DeviceType.ESME) == 1
    distributed = sim.distribute(ESME)
    activated = sim.activate(ESME)

    entries = sim.dsp.pending(SUPPLIER_A)

    assert [e.sequence for e in entries] == [1, 2, 3, 4]
    assert {e.recipient for e in entries} == {SUPPLIER_A}
    suspended, receipt, response, restored = (e.message for e in entries)
    assert isinstance(suspended, DccAlertMessage)
    assert suspended.code is DccAlertCode.DEVICE_SUSPENDED
    assert isinstance(receipt, DeviceAlertMessage)
    assert receipt.alert_code is AlertCode.FIRMWARE_VERIFICATION_SUCCESSFUL
    assert receipt.request_id == distributed.request_id
    assert isinstance(response, ServiceResponse)
    assert response.request_id == activated.request_id
    assert isinstance(restored, DccAlertMessage)
    assert restored.code is DccAlertCode.DEVICE_RESTORED
    # The network operator's outbox is numbered on its own.
    assert [(e.sequence, e.message) for e in sim.dsp.pending(NETWORK_OPERATOR)] == [(1, restored)]


@pytest.mark.spec("ALERT-03")
def test_alert03_dsp_acknowledge_then_reconnect(sim: Sim) -> None:
    for device_type in (DeviceType.ESME, DeviceType.GSME, DeviceType.HCALCS):
        sim.remove_from_cpl(device_type)
    entries = sim.dsp.pending(SUPPLIER_A)
    assert [e.sequence for e in entries] == [1, 2, 3]

    # The reader saw 1 and 2, acknowledged 1, and disconnected.
    assert sim.dsp.acknowledge(SUPPLIER_A, 1) == 1
    # On reconnecting it resumes after what it last acknowledged: nothing lost, nothing twice.
    resumed = sim.dsp.pending(SUPPLIER_A, after=sim.dsp.outbox(SUPPLIER_A).acknowledged)
    assert resumed == entries[1:]
    assert sim.dsp.pending(SUPPLIER_A, after=2) == entries[2:]

    assert sim.dsp.acknowledge(SUPPLIER_A, 3) == 2
    assert sim.dsp.pending(SUPPLIER_A) == []
    sim.remove_from_cpl(DeviceType.PPMID)
    assert [e.sequence for e in sim.dsp.pending(SUPPLIER_A)] == [4]


@pytest.mark.spec("ALERT-03")
def test_alert03_dsp_acknowledging_beyond_the_last_is_invalid(sim: Sim) -> None:
    sim.remove_from_cpl(DeviceType.ESME)
    before = sim.dsp.pending(SUPPLIER_A)

    with pytest.raises(InvalidField) as error:
        sim.dsp.acknowledge(SUPPLIER_A, 2)

    assert error.value.field == "up_to"
    assert sim.dsp.pending(SUPPLIER_A) == before
    with pytest.raises(InvalidField):
        sim.dsp.acknowledge(SUPPLIER_B, 1)  # nothing was ever sent to SUPPLIER_B


@pytest.mark.spec("ALERT-03")
def test_alert03_acknowledging_one_user_leaves_others_untouched(sim: Sim) -> None:
    sim.remove_from_cpl(DeviceType.ESME)
    sim.distribute(ESME)
    sim.activate(ESME)
    operator_before = sim.dsp.pending(NETWORK_OPERATOR)

    sim.dsp.acknowledge(SUPPLIER_A, sim.dsp.outbox(SUPPLIER_A).last_sequence)

    assert sim.dsp.pending(SUPPLIER_A) == []
    assert sim.dsp.pending(NETWORK_OPERATOR) == operator_before
    assert len(operator_before) == 1


@pytest.mark.spec("ALERT-03")
def test_alert03_unknown_recipient_is_not_queued(sim: Sim) -> None:
    stranger = "90-B3-D5-1F-30-09-00-00"

    sim.dsp.state.deliver(stranger, _alert(1))

    assert stranger not in sim.dsp.state.outboxes.snapshot()
