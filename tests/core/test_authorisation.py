"""Authorisation (SPEC §2, DUIS Table 22 as amended by MP105): one rule at a time, then the order
in which the checks run, then the pre-MP105 baseline."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from dccsim.devices.firmware import ActivateImageResponseCode
from dccsim.devices.kinds import DeviceType, SmetsVersion
from dccsim.server.core.authorisation import (
    CHECK_ORDER,
    device_status_allows,
    local_delivery_allows,
)
from dccsim.server.core.baseline import Baseline
from dccsim.server.core.codes import DccAlertCode, ResponseCode
from dccsim.server.core.faults import FaultAction, FaultRule
from dccsim.server.core.journal import EventKind
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.messages import (
    DccAlertMessage,
    FirmwareActivation,
    InventoryResult,
    LocalCommand,
    PreCommand,
    ServiceResponse,
    UpdateFirmwareWarnings,
)
from dccsim.server.core.records import (
    COMMUNICABLE,
    Registration,
    SmiRecord,
    SmiStatus,
    User,
    UserRole,
    UserStatus,
)
from dccsim.server.core.requests import (
    ActivateFirmware,
    CommissionDevice,
    ReadFirmwareVersion,
    ReadInventory,
    RequestWanMatrix,
    ServiceRequest,
    SignedPreCommand,
    StatusChange,
    TopUpDevice,
    UpdateFirmware,
    UpdateInventory,
    UpdateSecurityCredentialsCoS,
)
from tests.conftest import (
    ESME,
    EXAMPLE_FIRMWARE,
    EXAMPLE_MANUFACTURER,
    EXAMPLE_NEW_FIRMWARE,
    GPF,
    GSME,
    NETWORK_OPERATOR,
    NEW_IMAGE,
    NEW_IMAGE_HASH,
    SUPPLIER_A,
    SUPPLIER_B,
    Sim,
    example_model,
)

CV = CommandVariant
MPAN = "1100000000001"
MPRN = "2100000001"
OTHER_MPAN = "1100000000099"
UTRN = "12345678901234567890"
SINCE = datetime(2020, 1, 1, tzinfo=UTC)
UNKNOWN_USER = "90-B3-D5-1F-30-FF-00-00"
UNKNOWN_DEVICE = "00-DB-12-34-56-78-90-FF"
SPARE_ESME = "00-DB-12-34-56-78-90-B0"
SMETS1_ESME = "00-DB-12-34-56-78-90-B1"
ROLE_USERS = {
    UserRole.IMPORT_SUPPLIER: "90-B3-D5-1F-31-00-00-01",
    UserRole.EXPORT_SUPPLIER: "90-B3-D5-1F-31-00-00-02",
    UserRole.GAS_SUPPLIER: "90-B3-D5-1F-31-00-00-03",
    UserRole.ELECTRICITY_DISTRIBUTOR: "90-B3-D5-1F-31-00-00-04",
    UserRole.GAS_TRANSPORTER: "90-B3-D5-1F-31-00-00-05",
    UserRole.REGISTERED_SUPPLIER_AGENT: "90-B3-D5-1F-31-00-00-06",
    UserRole.OTHER_USER: "90-B3-D5-1F-31-00-00-07",
}
GAS_ROLES = {UserRole.GAS_SUPPLIER, UserRole.GAS_TRANSPORTER}

# AUTH-02's "all seven roles"; the Load Controller (7.16 only) is the corrected matrix's eighth.
SEVEN_ROLES = [role for role in UserRole if role is not UserRole.LOAD_CONTROLLER]


# -- helpers ------------------------------------------------------------------------------------


def _add_user(sim: Sim, user_id: str, *roles: UserRole, **fields: object) -> None:
    sim.dsp.add_user(User(user_id, frozenset(roles), **fields))


def _register(sim: Sim, mpxn: str, role: UserRole, user_id: str, **period: datetime) -> None:
    sim.dsp.add_registration(
        Registration(mpxn, role, user_id, period.pop("start", SINCE), **period)
    )


def _add_device(
    sim: Sim,
    device_id: str,
    device_type: DeviceType = DeviceType.ESME,
    status: SmiStatus = SmiStatus.COMMISSIONED,
    **fields: object,
) -> None:
    fields.setdefault("mpxn", MPRN if device_type.is_gas else MPAN)
    sim.dsp.add_device(
        SmiRecord(
            device_id,
            device_type,
            fields.pop("smets", SmetsVersion.SMETS2),
            EXAMPLE_MANUFACTURER,
            example_model(device_type),
            EXAMPLE_FIRMWARE,
            status,
            **fields,
        )
    )


def _set(sim: Sim, device_id: str, **changes: object) -> None:
    sim.dsp.state.smi.put(replace(sim.record(device_id), **changes))


def _role_user(sim: Sim, role: UserRole) -> str:
    """A user holding just `role`, registered for the example MPAN and MPRN where it can be."""
    user_id = ROLE_USERS[role]
    _add_user(sim, user_id, role)
    if role is not UserRole.OTHER_USER:
        _register(sim, MPRN if role in GAS_ROLES else MPAN, role, user_id)
        if role is UserRole.REGISTERED_SUPPLIER_AGENT:
            _register(sim, MPRN, role, user_id)
    return user_id


def _accepted(sim: Sim) -> int:
    return len(sim.dsp.journal.events(EventKind.REQUEST))


def _read(sim: Sim, target: str = ESME, **kwargs: object) -> ResponseCode:
    return sim.read_firmware(target, **kwargs).code


def _top_up(sim: Sim, target: str = ESME, **kwargs: object) -> ResponseCode:
    return sim.send("2.2", TopUpDevice(UTRN), target=target, **kwargs).code


def _cos(sim: Sim, target: str = ESME, **kwargs: object) -> ResponseCode:
    return sim.send("6.23", UpdateSecurityCredentialsCoS(MPAN), target=target, **kwargs).code


def _inventory(sim: Sim, device_id: str = ESME, **kwargs: object):
    return sim.send("8.2", ReadInventory(device_id=device_id), target=sim.acb, cv=CV(8), **kwargs)


# -- AUTH-01 E1 ---------------------------------------------------------------------------------


@pytest.mark.spec("AUTH-01")
def test_unknown_originator_is_e1(sim: Sim) -> None:
    answer = sim.send("11.2", ReadFirmwareVersion(), target=ESME, user=UNKNOWN_USER)

    assert answer.code is ResponseCode.E1
    assert answer.detail == "originator is not a known user"
    assert _accepted(sim) == 0


@pytest.mark.spec("AUTH-01")
def test_unknown_originator_of_a_non_device_sr_is_e1(sim: Sim) -> None:
    assert _inventory(sim, user=UNKNOWN_USER).code is ResponseCode.E1


@pytest.mark.spec("AUTH-01")
@pytest.mark.parametrize(
    ("user", "role"),
    [
        (SUPPLIER_A, UserRole.ELECTRICITY_DISTRIBUTOR),
        (SUPPLIER_A, UserRole.OTHER_USER),
        (NETWORK_OPERATOR, UserRole.IMPORT_SUPPLIER),
        (NETWORK_OPERATOR, UserRole.REGISTERED_SUPPLIER_AGENT),
    ],
)
def test_role_the_user_does_not_hold_is_e1(sim: Sim, user: str, role: UserRole) -> None:
    answer = sim.send("11.2", ReadFirmwareVersion(), target=ESME, user=user, user_role=role)

    assert answer.code is ResponseCode.E1
    assert answer.detail == f"user does not hold role {role}"


@pytest.mark.spec("AUTH-01")
def test_user_with_no_roles_is_e1(sim: Sim) -> None:
    _add_user(sim, UNKNOWN_USER)

    assert _read(sim, user=UNKNOWN_USER) is ResponseCode.E1


@pytest.mark.spec("AUTH-01")
@pytest.mark.parametrize(
    ("user", "role", "target"),
    [
        (SUPPLIER_A, UserRole.IMPORT_SUPPLIER, ESME),
        (SUPPLIER_A, UserRole.GAS_SUPPLIER, GSME),
        (NETWORK_OPERATOR, UserRole.ELECTRICITY_DISTRIBUTOR, ESME),
        (NETWORK_OPERATOR, UserRole.GAS_TRANSPORTER, GSME),
    ],
)
def test_known_user_in_a_role_it_holds_is_served(
    sim: Sim, user: str, role: UserRole, target: str
) -> None:
    assert _read(sim, target, user=user, user_role=role) is ResponseCode.I99


# -- AUTH-02 E2 ---------------------------------------------------------------------------------


@pytest.mark.spec("AUTH-02")
@pytest.mark.parametrize("target", [ESME, GSME])
def test_network_operator_sending_activate_firmware_is_e2(sim: Sim, target: str) -> None:
    answer = sim.activate(target, user=NETWORK_OPERATOR)

    assert answer.code is ResponseCode.E2
    assert answer.body is None
    assert "may not send SRV 11.3" in answer.detail
    assert _accepted(sim) == 0


_SUPPLIER_ONLY = ["11.1", "11.3", "2.2", "6.23"]
_NOT_SUPPLIERS = [
    UserRole.EXPORT_SUPPLIER,
    UserRole.ELECTRICITY_DISTRIBUTOR,
    UserRole.GAS_TRANSPORTER,
    UserRole.REGISTERED_SUPPLIER_AGENT,
    UserRole.OTHER_USER,
]


def _supplier_only_request(sim: Sim, srv: str, user: str) -> ServiceRequest:
    match srv:
        case "11.1":
            body = UpdateFirmware(NEW_IMAGE, EXAMPLE_NEW_FIRMWARE, (ESME,))
            return sim.request(srv, body, target=sim.acb, cv=CV(8), user=user)
        case "11.3":
            body = ActivateFirmware(NEW_IMAGE_HASH)
            return sim.request(srv, body, target=ESME, cv=CV(4), user=user)
        case "2.2":
            return sim.request(srv, TopUpDevice(UTRN), target=ESME, user=user)
        case _:
            return sim.request(srv, UpdateSecurityCredentialsCoS(MPAN), target=ESME, user=user)


@pytest.mark.spec("AUTH-02")
@pytest.mark.parametrize("srv", _SUPPLIER_ONLY)
@pytest.mark.parametrize("role", _NOT_SUPPLIERS, ids=str)
def test_is_gs_only_srvs_are_e2_for_every_other_role(sim: Sim, srv: str, role: UserRole) -> None:
    user = _role_user(sim, role)

    answer = sim.dsp.submit(_supplier_only_request(sim, srv, user))

    assert answer.code is ResponseCode.E2
    assert answer.detail == f"role {role} may not send SRV {srv}"


@pytest.mark.spec("AUTH-02")
@pytest.mark.parametrize("srv", _SUPPLIER_ONLY)
@pytest.mark.parametrize("role", [UserRole.IMPORT_SUPPLIER, UserRole.GAS_SUPPLIER], ids=str)
def test_is_gs_only_srvs_pass_e2_for_suppliers(sim: Sim, srv: str, role: UserRole) -> None:
    user = _role_user(sim, role)

    answer = sim.dsp.submit(_supplier_only_request(sim, srv, user))

    assert answer.code is not ResponseCode.E2


@pytest.mark.spec("AUTH-02", "AUTH-05")
@pytest.mark.parametrize("role", SEVEN_ROLES, ids=str)
def test_read_firmware_version_is_open_to_all_seven_roles(sim: Sim, role: UserRole) -> None:
    user = _role_user(sim, role)
    target = GSME if role in GAS_ROLES else ESME

    assert _read(sim, target, user=user) is ResponseCode.I99


@pytest.mark.spec("AUTH-02", "REQ-04")
@pytest.mark.parametrize("role", SEVEN_ROLES, ids=str)
def test_read_inventory_and_wan_matrix_are_open_to_all_seven_roles(
    sim: Sim, role: UserRole
) -> None:
    user = _role_user(sim, role)

    assert _inventory(sim, user=user).code is ResponseCode.I0
    wan = sim.send("12.1", RequestWanMatrix(uprn=7), target=sim.acb, cv=CV(8), user=user)
    assert wan.code is ResponseCode.I0


@pytest.mark.spec("AUTH-02")
@pytest.mark.parametrize("role", SEVEN_ROLES, ids=str)
def test_update_inventory_passes_authorisation_for_all_seven_roles(
    sim: Sim, role: UserRole
) -> None:
    user = _role_user(sim, role)
    change = UpdateInventory(ESME, StatusChange(SmiStatus.PENDING))

    answer = sim.send("8.4", change, target=sim.acb, cv=CV(8), user=user)

    # 8.4 carries its own rules (INV-*); the matrix lets every role past authorisation, so
    # the answer is 8.4's own (a refused 8.4 consumes no counter, so is not "accepted").
    assert answer.code is not ResponseCode.E2
    assert answer.code in (ResponseCode.I0, ResponseCode.E4, ResponseCode.E080407)


# -- AUTH-03 E3 ---------------------------------------------------------------------------------


@pytest.mark.spec("AUTH-03")
def test_suspended_user_is_e3(sim: Sim) -> None:
    user = sim.dsp.state.users[SUPPLIER_A]
    sim.dsp.add_user(replace(user, status=UserStatus.SUSPENDED))

    answer = sim.send("11.2", ReadFirmwareVersion(), target=ESME)

    assert answer.code is ResponseCode.E3
    assert answer.detail == "user is suspended"
    assert _inventory(sim).code is ResponseCode.E3
    assert sim.activate(ESME).code is ResponseCode.E3
    assert _accepted(sim) == 0

    sim.dsp.add_user(user)
    assert _read(sim) is ResponseCode.I99


# -- AUTH-04 E19 --------------------------------------------------------------------------------


@pytest.mark.spec("AUTH-04")
def test_device_not_in_the_smi_is_e19(sim: Sim) -> None:
    answer = sim.send("11.2", ReadFirmwareVersion(), target=UNKNOWN_DEVICE)

    assert answer.code is ResponseCode.E19
    assert answer.detail == "target device is not in the SMI"
    assert sim.activate(UNKNOWN_DEVICE).code is ResponseCode.E19
    assert _top_up(sim, UNKNOWN_DEVICE) is ResponseCode.E19


@pytest.mark.spec("AUTH-04")
def test_device_sr_to_the_acb_is_e19(sim: Sim) -> None:
    assert _read(sim, sim.acb) is ResponseCode.E19


@pytest.mark.spec("AUTH-04")
@pytest.mark.parametrize("target", [ESME, UNKNOWN_DEVICE, SUPPLIER_A])
def test_non_device_sr_not_targeting_the_acb_is_e19(sim: Sim, target: str) -> None:
    inventory = sim.send("8.2", ReadInventory(device_id=ESME), target=target, cv=CV(8))
    wan = sim.send("12.1", RequestWanMatrix(uprn=7), target=target, cv=CV(8))
    image = UpdateFirmware(NEW_IMAGE, EXAMPLE_NEW_FIRMWARE, (ESME,))
    firmware = sim.send("11.1", image, target=target, cv=CV(8))

    assert [inventory.code, wan.code, firmware.code] == [ResponseCode.E19] * 3
    assert inventory.detail == "a non-device SR must target the DCC ACB"
    assert sim.dsp.device(ESME).firmware.held_image is None


# -- AUTH-05 E4 ---------------------------------------------------------------------------------


@pytest.mark.spec("AUTH-05")
def test_unregistered_supplier_is_e4(sim: Sim) -> None:
    answer = sim.send("11.2", ReadFirmwareVersion(), target=ESME, user=SUPPLIER_B)

    assert answer.code is ResponseCode.E4
    assert "not an Eligible User" in answer.detail
    assert _top_up(sim, user=SUPPLIER_B) is ResponseCode.E4


@pytest.mark.spec("AUTH-05")
def test_registration_for_the_other_fuel_does_not_make_a_user_eligible(sim: Sim) -> None:
    # Supplier A is the registered gas supplier for the MPRN; as GS it is not eligible for
    # the ESME, and the ED is not eligible for the GSME.
    assert _read(sim, ESME, user_role=UserRole.GAS_SUPPLIER) is ResponseCode.E4
    assert (
        _read(sim, GSME, user=NETWORK_OPERATOR, user_role=UserRole.ELECTRICITY_DISTRIBUTOR)
        is ResponseCode.E4
    )


@pytest.mark.spec("AUTH-05")
def test_role_is_picked_by_the_device_fuel_when_none_is_named(sim: Sim) -> None:
    assert _read(sim, ESME, user=NETWORK_OPERATOR) is ResponseCode.I99
    assert _read(sim, GSME, user=NETWORK_OPERATOR) is ResponseCode.I99
    assert _read(sim, GPF) is ResponseCode.I99


@pytest.mark.spec("AUTH-05")
def test_registration_for_another_mpxn_does_not_make_a_user_eligible(sim: Sim) -> None:
    _register(sim, OTHER_MPAN, UserRole.IMPORT_SUPPLIER, SUPPLIER_B)

    assert _read(sim, user=SUPPLIER_B) is ResponseCode.E4


@pytest.mark.spec("AUTH-05")
def test_registration_that_ended_no_longer_makes_a_user_eligible(sim: Sim) -> None:
    now = sim.dsp.now()
    _register(sim, MPAN, UserRole.IMPORT_SUPPLIER, SUPPLIER_B, end=now)

    assert _read(sim, user=SUPPLIER_B) is ResponseCode.E4

    _register(sim, MPAN, UserRole.IMPORT_SUPPLIER, SUPPLIER_B, start=now)
    assert _read(sim, user=SUPPLIER_B) is ResponseCode.I99


@pytest.mark.spec("AUTH-05", "REQ-07")
def test_future_dated_request_is_judged_at_its_execution_time(sim: Sim) -> None:
    gain = sim.dsp.now() + timedelta(days=30)
    _register(sim, MPAN, UserRole.IMPORT_SUPPLIER, SUPPLIER_B, start=gain)

    assert _read(sim, user=SUPPLIER_B) is ResponseCode.E4
    assert _read(sim, user=SUPPLIER_B, execution_datetime=gain - timedelta(seconds=1)) is (
        ResponseCode.E4
    )
    answer = sim.read_firmware(ESME, user=SUPPLIER_B, execution_datetime=gain)
    assert answer.code is ResponseCode.I99

    sim.dsp.advance(timedelta(days=30))
    [response] = [m for m in sim.messages(SUPPLIER_B) if isinstance(m, ServiceResponse)]
    assert response.request_id == answer.request_id


@pytest.mark.spec("AUTH-05", "REQ-07")
def test_future_dated_request_after_the_registration_ends_is_e4(sim: Sim) -> None:
    _add_device(sim, SPARE_ESME, mpxn=OTHER_MPAN)
    end = sim.dsp.now() + timedelta(days=10)
    _register(sim, OTHER_MPAN, UserRole.IMPORT_SUPPLIER, SUPPLIER_B, end=end)

    assert _read(sim, SPARE_ESME, user=SUPPLIER_B) is ResponseCode.I99
    assert (
        _read(sim, SPARE_ESME, user=SUPPLIER_B, execution_datetime=end - timedelta(minutes=1))
        is ResponseCode.I99
    )
    assert _read(sim, SPARE_ESME, user=SUPPLIER_B, execution_datetime=end) is ResponseCode.E4
    assert len(sim.dsp.state.scheduler) == 1


@pytest.mark.spec("AUTH-05")
@pytest.mark.parametrize(
    ("ceased_on", "code"),
    [
        (date(2023, 12, 31), ResponseCode.E4),  # more than 24 months before 2026-01-01
        (date(2024, 1, 1), ResponseCode.I99),  # exactly 24 months: not *more* than
        (date(2025, 6, 1), ResponseCode.I99),
    ],
)
def test_party_that_ceased_more_than_24_months_ago_is_e4(
    sim: Sim, ceased_on: date, code: ResponseCode
) -> None:
    assert sim.dsp.now().date() == date(2026, 1, 1)
    user = sim.dsp.state.users[SUPPLIER_A]
    sim.dsp.add_user(replace(user, ceased_on=ceased_on))

    assert _read(sim) is code


@pytest.mark.spec("AUTH-05")
def test_ceased_party_other_user_is_e4_after_24_months(sim: Sim) -> None:
    user = _role_user(sim, UserRole.OTHER_USER)
    sim.dsp.add_user(replace(sim.dsp.state.users[user], ceased_on=date(2024, 1, 1)))

    assert _read(sim, user=user) is ResponseCode.I99
    assert (
        _read(sim, user=user, execution_datetime=datetime(2026, 1, 2, tzinfo=UTC))
        is ResponseCode.E4
    )


@pytest.mark.spec("AUTH-05")
@pytest.mark.parametrize("target", [ESME, GSME, GPF])
def test_other_user_is_eligible_for_any_device_without_registration(sim: Sim, target: str) -> None:
    user = _role_user(sim, UserRole.OTHER_USER)
    assert sim.dsp.state.registrations.parties(MPAN, UserRole.OTHER_USER, sim.dsp.now()) == []

    assert _read(sim, target, user=user) is ResponseCode.I99


@pytest.mark.spec("AUTH-05")
def test_registered_supplier_agent_only_where_the_registration_names_it(sim: Sim) -> None:
    agent = ROLE_USERS[UserRole.REGISTERED_SUPPLIER_AGENT]
    _add_user(sim, agent, UserRole.REGISTERED_SUPPLIER_AGENT)

    assert _read(sim, user=agent) is ResponseCode.E4

    _register(sim, MPAN, UserRole.REGISTERED_SUPPLIER_AGENT, agent)
    assert _read(sim, user=agent) is ResponseCode.I99


@pytest.mark.spec("AUTH-05")
def test_e4_is_not_applied_to_critical_srs(sim: Sim) -> None:
    sim.distribute(ESME)
    request = sim.request(
        "11.3", ActivateFirmware(NEW_IMAGE_HASH), target=ESME, cv=CV(4), user=SUPPLIER_B
    )

    pre = sim.dsp.submit(request)

    assert pre.code is ResponseCode.I0
    assert isinstance(pre.body, PreCommand)
    signed = ServiceRequest(request.request_id, "11.3", CV(5), SignedPreCommand(pre.body.payload))
    assert sim.dsp.submit(signed).code is ResponseCode.I99
    assert sim.dsp.device(ESME).running_version == EXAMPLE_NEW_FIRMWARE


@pytest.mark.spec("AUTH-05")
def test_e4_is_not_applied_to_a_signed_pre_command_after_the_registration_ends(sim: Sim) -> None:
    _add_device(sim, SPARE_ESME, mpxn=OTHER_MPAN)
    end = sim.dsp.now() + timedelta(hours=1)
    _register(sim, OTHER_MPAN, UserRole.IMPORT_SUPPLIER, SUPPLIER_B, end=end)
    request = sim.request(
        "11.3", ActivateFirmware(NEW_IMAGE_HASH), target=SPARE_ESME, cv=CV(4), user=SUPPLIER_B
    )
    pre = sim.dsp.submit(request)
    sim.dsp.advance(timedelta(hours=2))

    signed = ServiceRequest(request.request_id, "11.3", CV(5), SignedPreCommand(pre.body.payload))

    assert sim.dsp.submit(signed).code is ResponseCode.I99
    assert _read(sim, SPARE_ESME, user=SUPPLIER_B) is ResponseCode.E4


# -- AUTH-06 E5 ---------------------------------------------------------------------------------


@pytest.mark.spec("AUTH-06")
@pytest.mark.parametrize("status", list(SmiStatus), ids=str)
def test_non_critical_sr_needs_a_communicable_status(sim: Sim, status: SmiStatus) -> None:
    _set(sim, ESME, status=status)

    answer = sim.send("2.2", TopUpDevice(UTRN), target=ESME)

    communicable = {
        SmiStatus.COMMISSIONED,
        SmiStatus.INSTALLED_NOT_COMMISSIONED,
        SmiStatus.WHITELISTED,
        SmiStatus.PENDING,
        SmiStatus.RECOVERED,
    }
    assert communicable == COMMUNICABLE
    if status in communicable:
        assert answer.code is ResponseCode.I99
        assert sim.dsp.device(ESME).top_ups == [UTRN]
    else:
        assert answer.code is ResponseCode.E5
        assert answer.detail == f"SMI status {status} does not allow the SR"
        assert list(sim.dsp.device(ESME).top_ups) == []
        assert sim.messages() == []


@pytest.mark.spec("AUTH-06")
@pytest.mark.parametrize(
    "status",
    [SmiStatus.DECOMMISSIONED, SmiStatus.WITHDRAWN, SmiStatus.SUSPENDED, SmiStatus.RECOVERY],
    ids=str,
)
def test_read_inventory_is_exempt_from_status_checks(sim: Sim, status: SmiStatus) -> None:
    _set(sim, ESME, status=status)

    answer = _inventory(sim)

    assert answer.code is ResponseCode.I0
    assert isinstance(answer.body, InventoryResult)
    assert [r.status for r in answer.body.devices] == [status]


@pytest.mark.spec("AUTH-06")
@pytest.mark.parametrize("srv", ["8.2", "12.1"])
@pytest.mark.parametrize(
    "status", [SmiStatus.DECOMMISSIONED, SmiStatus.WITHDRAWN, SmiStatus.SUSPENDED], ids=str
)
def test_8_2_and_12_1_pass_the_status_check_directly(sim: Sim, srv: str, status: SmiStatus) -> None:
    record = replace(sim.record(ESME), status=status)

    for baseline in Baseline:
        assert device_status_allows(srv, CV(8), record, baseline) is True
        assert device_status_allows(srv, CV(1), record, baseline) is True


@pytest.mark.spec("AUTH-06")
@pytest.mark.parametrize(
    "status",
    [SmiStatus.DECOMMISSIONED, SmiStatus.WITHDRAWN, SmiStatus.SUSPENDED],
    ids=str,
)
def test_critical_srs_are_exempt_from_status_checks(sim: Sim, status: SmiStatus) -> None:
    sim.distribute(ESME)
    _set(sim, ESME, status=status)

    answer = sim.activate(ESME)

    assert answer.code is ResponseCode.I99
    assert sim.dsp.device(ESME).running_version == EXAMPLE_NEW_FIRMWARE


@pytest.mark.spec("AUTH-06", "AUTH-08")
def test_signed_pre_command_is_status_checked_when_the_device_is_in_recovery(sim: Sim) -> None:
    sim.distribute(ESME)
    request = sim.request("11.3", ActivateFirmware(NEW_IMAGE_HASH), target=ESME, cv=CV(4))
    pre = sim.dsp.submit(request)
    assert pre.code is ResponseCode.I0
    _set(sim, ESME, status=SmiStatus.RECOVERY)

    signed = ServiceRequest(request.request_id, "11.3", CV(5), SignedPreCommand(pre.body.payload))
    answer = sim.dsp.submit(signed)

    assert answer.code is ResponseCode.E5
    assert sim.dsp.device(ESME).running_version == EXAMPLE_FIRMWARE
    # The pre-command was not consumed: once the device leaves Recovery it can be sent.
    _set(sim, ESME, status=SmiStatus.COMMISSIONED)
    assert sim.dsp.submit(signed).code is ResponseCode.I99


# -- AUTH-07 Suspended --------------------------------------------------------------------------


def _suspend(sim: Sim, device_id: str = ESME) -> None:
    sim.dsp.state.smi.put(sim.record(device_id).suspended())


@pytest.mark.spec("AUTH-07")
def test_suspended_device_rejects_ordinary_non_critical_srs(sim: Sim) -> None:
    _suspend(sim)

    assert _top_up(sim) is ResponseCode.E5
    assert _top_up(sim, cv=CV(2)) is ResponseCode.E5
    assert _top_up(sim, cv=CV(3)) is ResponseCode.E5
    assert list(sim.dsp.device(ESME).top_ups) == []


@pytest.mark.spec("AUTH-07")
def test_suspended_device_accepts_read_firmware_version_since_mp105(sim: Sim) -> None:
    _suspend(sim)

    assert _read(sim) is ResponseCode.I99
    assert [m.srv for m in sim.messages() if isinstance(m, ServiceResponse)] == ["11.2"]


@pytest.mark.spec("AUTH-07")
def test_suspended_device_accepts_update_security_credentials_cos(sim: Sim) -> None:
    _suspend(sim)

    assert _cos(sim) is ResponseCode.I99
    assert sim.dsp.device(ESME).supplier_credentials == SUPPLIER_A


@pytest.mark.spec("AUTH-07")
def test_suspended_device_accepts_update_firmware(sim: Sim) -> None:
    _suspend(sim)

    answer = sim.distribute(ESME)

    assert answer.code is ResponseCode.I99
    assert answer.body is None
    assert sim.dsp.device(ESME).firmware.held_image is not None


@pytest.mark.spec("AUTH-07")
def test_suspended_smets1_device_accepts_top_up_with_cv2_only(sim: Sim) -> None:
    _add_device(sim, SMETS1_ESME, smets=SmetsVersion.SMETS1)
    _suspend(sim, SMETS1_ESME)

    answer = sim.send("2.2", TopUpDevice(UTRN), target=SMETS1_ESME, cv=CV(2))

    assert answer.code is ResponseCode.I0
    assert isinstance(answer.body, LocalCommand)
    assert _top_up(sim, SMETS1_ESME, cv=CV(1)) is ResponseCode.E5
    assert _top_up(sim, SMETS1_ESME, cv=CV(3)) is ResponseCode.E5


@pytest.mark.spec("AUTH-07")
def test_suspended_smets2_device_refuses_top_up_even_with_cv2(sim: Sim) -> None:
    _suspend(sim)

    assert _top_up(sim, cv=CV(2)) is ResponseCode.E5


@pytest.mark.spec("AUTH-07")
def test_critical_activate_firmware_reaches_a_suspended_device(sim: Sim) -> None:
    assert sim.remove_from_cpl(DeviceType.ESME) == 1
    sim.distribute(ESME)

    answer = sim.activate(ESME)

    assert answer.code is ResponseCode.I99
    [response] = [m for m in sim.messages() if isinstance(m, ServiceResponse)]
    assert response.body == FirmwareActivation(
        ActivateImageResponseCode.SUCCESS, EXAMPLE_NEW_FIRMWARE
    )
    assert sim.record(ESME).status is SmiStatus.COMMISSIONED


@pytest.mark.spec("AUTH-07")
def test_suspended_device_refuses_other_srvs_through_the_matrix(sim: Sim) -> None:
    # An SRV outside AUTH-07's exception list is refused E5 while Suspended.
    from dccsim.server.core.services.reads import ReadInstantaneousImportRegisters

    _suspend(sim)

    answer = sim.send("4.1.1", ReadInstantaneousImportRegisters(), target=ESME)

    assert answer.code is ResponseCode.E5


# -- AUTH-08 Recovery / Recovered ---------------------------------------------------------------


@pytest.mark.spec("AUTH-08")
def test_device_in_recovery_rejects_every_device_sr(sim: Sim) -> None:
    sim.distribute(ESME)
    _set(sim, ESME, status=SmiStatus.RECOVERY)

    assert _read(sim) is ResponseCode.E5
    assert _top_up(sim) is ResponseCode.E5
    assert _cos(sim) is ResponseCode.E5
    assert sim.activate(ESME).code is ResponseCode.E5
    assert sim.send_critical("8.1.1", CommissionDevice(), target=ESME).code is ResponseCode.E5
    assert sim.dsp.device(ESME).running_version == EXAMPLE_FIRMWARE
    assert [m for m in sim.messages() if isinstance(m, ServiceResponse)] == []


@pytest.mark.spec("AUTH-08")
def test_device_in_recovery_still_answers_non_device_srs(sim: Sim) -> None:
    _set(sim, ESME, status=SmiStatus.RECOVERY)

    assert _inventory(sim).code is ResponseCode.I0
    answer = sim.distribute(ESME)
    # 11.1 keeps its own validation: a device in Recovery is listed as not commissioned.
    assert answer.code is ResponseCode.W110101
    assert answer.body == UpdateFirmwareWarnings(not_commissioned=(ESME,))


@pytest.mark.spec("AUTH-08")
@pytest.mark.parametrize(
    ("before", "read", "top_up"),
    [
        (SmiStatus.COMMISSIONED, ResponseCode.I99, ResponseCode.I99),
        (SmiStatus.SUSPENDED, ResponseCode.I99, ResponseCode.E5),
        (SmiStatus.DECOMMISSIONED, ResponseCode.E5, ResponseCode.E5),
        (SmiStatus.WITHDRAWN, ResponseCode.E5, ResponseCode.E5),
    ],
    ids=str,
)
def test_recovered_device_is_checked_with_its_status_before_recovery(
    sim: Sim, before: SmiStatus, read: ResponseCode, top_up: ResponseCode
) -> None:
    _set(sim, ESME, status=SmiStatus.RECOVERED, status_before_recovery=before)

    assert _top_up(sim) is top_up
    # Last: reading the Current version restores a device Suspended before Recovery (FW-02).
    assert _read(sim) is read


@pytest.mark.spec("AUTH-08", "AUTH-11")
def test_recovered_previously_suspended_device_follows_the_baseline(pre_mp105_sim: Sim) -> None:
    sim = pre_mp105_sim
    _set(sim, ESME, status=SmiStatus.RECOVERED, status_before_recovery=SmiStatus.SUSPENDED)

    assert _read(sim) is ResponseCode.E5
    assert _cos(sim) is ResponseCode.I99


@pytest.mark.spec("AUTH-08", "AUTH-09")
@pytest.mark.parametrize(
    ("before", "supplier", "network"),
    [
        (SmiStatus.PENDING, ResponseCode.I0, ResponseCode.E17),
        (SmiStatus.COMMISSIONED, ResponseCode.I0, ResponseCode.I0),
    ],
    ids=str,
)
def test_recovered_device_local_delivery_uses_the_status_before_recovery(
    sim: Sim, before: SmiStatus, supplier: ResponseCode, network: ResponseCode
) -> None:
    _set(sim, ESME, status=SmiStatus.RECOVERED, status_before_recovery=before)

    assert _read(sim, cv=CV(2)) is supplier
    assert _read(sim, cv=CV(2), user=NETWORK_OPERATOR) is network


# -- AUTH-09 E17 --------------------------------------------------------------------------------


@pytest.mark.spec("AUTH-09")
@pytest.mark.parametrize(
    ("status", "supplier", "others"),
    [
        (SmiStatus.PENDING, ResponseCode.I0, ResponseCode.E17),
        (SmiStatus.WHITELISTED, ResponseCode.I0, ResponseCode.E17),
        (SmiStatus.INSTALLED_NOT_COMMISSIONED, ResponseCode.I0, ResponseCode.I0),
        (SmiStatus.COMMISSIONED, ResponseCode.I0, ResponseCode.I0),
    ],
    ids=str,
)
@pytest.mark.parametrize("cv", [CV(2), CV(3)], ids=lambda cv: f"CV{int(cv)}")
def test_local_delivery_depends_on_role_and_status(
    sim: Sim, status: SmiStatus, supplier: ResponseCode, others: ResponseCode, cv: CV
) -> None:
    _set(sim, ESME, status=status)
    es = _role_user(sim, UserRole.EXPORT_SUPPLIER)
    rsa = _role_user(sim, UserRole.REGISTERED_SUPPLIER_AGENT)
    ou = _role_user(sim, UserRole.OTHER_USER)
    # CV 3 is delivered remotely too, so its success is the I99 acknowledgement.
    ok = ResponseCode.I0 if cv is CV(2) else ResponseCode.I99

    def expected(code: ResponseCode) -> ResponseCode:
        return ok if code is ResponseCode.I0 else code

    assert _read(sim, cv=cv) is expected(supplier)
    assert _read(sim, cv=cv, user=es) is expected(supplier)
    assert _read(sim, cv=cv, user=NETWORK_OPERATOR) is expected(others)
    assert _read(sim, cv=cv, user=rsa) is expected(others)
    assert _read(sim, cv=cv, user=ou) is expected(others)


@pytest.mark.spec("AUTH-09")
def test_local_delivery_is_answered_with_the_command_and_not_executed(sim: Sim) -> None:
    answer = sim.send("2.2", TopUpDevice(UTRN), target=ESME, cv=CV(2))

    assert answer.code is ResponseCode.I0
    assert isinstance(answer.body, LocalCommand)
    assert answer.body.payload.startswith(b"DCCSIM-GBCS/2.2/")
    assert list(sim.dsp.device(ESME).top_ups) == []


@pytest.mark.spec("AUTH-09")
def test_e17_detail_names_local_delivery(sim: Sim) -> None:
    _set(sim, ESME, status=SmiStatus.PENDING)

    answer = sim.send("11.2", ReadFirmwareVersion(), target=ESME, cv=CV(2), user=NETWORK_OPERATOR)

    assert answer.code is ResponseCode.E17
    assert answer.detail == "not available for local delivery"


@pytest.mark.spec("AUTH-09")
@pytest.mark.parametrize("cv", [CV(3), CV(2)], ids=lambda cv: f"CV{int(cv)}")
def test_future_dated_sr_cannot_be_delivered_locally(sim: Sim, cv: CV) -> None:
    assert _read(sim, cv=cv, execution_datetime=sim.dsp.now() + timedelta(hours=1)) is (
        ResponseCode.E17
    )


@pytest.mark.spec("AUTH-09")
@pytest.mark.parametrize("cv", [CV(6), CV(7)], ids=lambda cv: f"CV{int(cv)}")
def test_future_dated_critical_sr_cannot_be_delivered_locally(sim: Sim, cv: CV) -> None:
    when = sim.dsp.now() + timedelta(hours=1)

    answer = sim.send(
        "11.3", ActivateFirmware(NEW_IMAGE_HASH), target=ESME, cv=cv, execution_datetime=when
    )

    assert answer.code is ResponseCode.E17


@pytest.mark.spec("AUTH-09")
def test_critical_local_delivery_is_refused_on_a_decommissioned_device(sim: Sim) -> None:
    _set(sim, ESME, status=SmiStatus.DECOMMISSIONED)

    answer = sim.send("11.3", ActivateFirmware(NEW_IMAGE_HASH), target=ESME, cv=CV(6))

    assert answer.code is ResponseCode.E17


@pytest.mark.spec("AUTH-09")
@pytest.mark.parametrize("cv", [CV(2), CV(3), CV(6), CV(7)], ids=lambda cv: f"CV{int(cv)}")
def test_commission_device_is_never_delivered_locally(sim: Sim, cv: CV) -> None:
    request = sim.request("8.1.1", CommissionDevice(), target=ESME, cv=cv)

    assert not local_delivery_allows(request, UserRole.IMPORT_SUPPLIER, sim.record(ESME))
    # Through the DSP the matrix already refuses these Command Variants for 8.1.1 (E12).
    assert sim.dsp.submit(request).code is ResponseCode.E12


# -- AUTH-10 order ------------------------------------------------------------------------------

ORDER_USER = "90-B3-D5-1F-30-0A-00-00"
ORDER_DEVICE = "00-DB-12-34-56-78-90-C0"


def _order_case(sim: Sim, failing: frozenset[str]) -> ServiceRequest:
    """A 2.2 Top Up sent locally that fails exactly the checks named in `failing`."""
    status = UserStatus.SUSPENDED if "E3" in failing else UserStatus.ACTIVE
    _add_user(
        sim,
        ORDER_USER,
        UserRole.IMPORT_SUPPLIER,
        UserRole.ELECTRICITY_DISTRIBUTOR,
        status=status,
    )
    if "E4" not in failing:
        _register(sim, MPAN, UserRole.IMPORT_SUPPLIER, ORDER_USER)
    if "E19" not in failing:
        if "E5" in failing:
            device_status = SmiStatus.DECOMMISSIONED  # also fails E17
        elif "E17" in failing:
            device_status = SmiStatus.RECOVERED  # communicable, but not for local delivery
        else:
            device_status = SmiStatus.COMMISSIONED
        device_type = DeviceType.PPMID if "E11" in failing else DeviceType.ESME
        _add_device(sim, ORDER_DEVICE, device_type, device_status)
    if "E1" in failing:
        role = UserRole.REGISTERED_SUPPLIER_AGENT  # not held, and not eligible for 2.2
    elif "E2" in failing:
        role = UserRole.ELECTRICITY_DISTRIBUTOR  # held, but not eligible for 2.2
    else:
        role = UserRole.IMPORT_SUPPLIER
    cv = CV(4) if "E12" in failing else CV(2)
    return sim.request(
        "2.2", TopUpDevice(UTRN), target=ORDER_DEVICE, cv=cv, user=ORDER_USER, user_role=role
    )


@pytest.mark.spec("AUTH-10")
def test_check_order_is_documented() -> None:
    assert CHECK_ORDER == ("E12", "E1", "E2", "E3", "E19", "E11", "E4", "E5", "E17")


@pytest.mark.spec("AUTH-10")
def test_order_case_without_failures_is_served(sim: Sim) -> None:
    answer = sim.dsp.submit(_order_case(sim, frozenset()))

    assert answer.code is ResponseCode.I0
    assert isinstance(answer.body, LocalCommand)


@pytest.mark.spec("AUTH-10")
@pytest.mark.parametrize("check", CHECK_ORDER)
def test_each_order_case_fails_its_own_check_alone(sim: Sim, check: str) -> None:
    answer = sim.dsp.submit(_order_case(sim, frozenset({check})))

    assert answer.code == check


@pytest.mark.spec("AUTH-10")
@pytest.mark.parametrize("index", range(len(CHECK_ORDER)), ids=lambda i: CHECK_ORDER[i])
def test_first_failing_check_in_the_order_answers(sim: Sim, index: int) -> None:
    failing = frozenset(CHECK_ORDER[index:])

    answer = sim.dsp.submit(_order_case(sim, failing))

    assert answer.code == CHECK_ORDER[index]
    assert _accepted(sim) == 0


@pytest.mark.spec("AUTH-10")
@pytest.mark.parametrize(
    ("earlier", "later"),
    [(a, b) for i, a in enumerate(CHECK_ORDER) for b in CHECK_ORDER[i + 1 :]],
)
def test_every_pair_of_failures_answers_the_earlier_check(
    sim: Sim, earlier: str, later: str
) -> None:
    answer = sim.dsp.submit(_order_case(sim, frozenset({earlier, later})))

    assert answer.code == earlier


@pytest.mark.spec("AUTH-10")
def test_unknown_originator_answers_e1_before_e19_and_e5(sim: Sim) -> None:
    _set(sim, ESME, status=SmiStatus.DECOMMISSIONED)

    assert _read(sim, UNKNOWN_DEVICE, user=UNKNOWN_USER) is ResponseCode.E1
    assert _read(sim, ESME, user=UNKNOWN_USER) is ResponseCode.E1


@pytest.mark.spec("AUTH-10")
def test_non_device_sr_order_e12_e1_e2_e3_e19(sim: Sim) -> None:
    def inventory(cv: CV, user: str, target: str, role: UserRole | None = None) -> ResponseCode:
        body = ReadInventory(device_id=ESME)
        return sim.send("8.2", body, target=target, cv=cv, user=user, user_role=role).code

    image = UpdateFirmware(NEW_IMAGE, EXAMPLE_NEW_FIRMWARE, (ESME,))
    suspended = ROLE_USERS[UserRole.OTHER_USER]
    _add_user(sim, suspended, UserRole.OTHER_USER, status=UserStatus.SUSPENDED)

    assert inventory(CV(1), UNKNOWN_USER, ESME) is ResponseCode.E12
    assert inventory(CV(8), UNKNOWN_USER, ESME) is ResponseCode.E1
    assert sim.send("11.1", image, target=ESME, cv=CV(8), user=suspended).code is ResponseCode.E2
    assert inventory(CV(8), suspended, ESME) is ResponseCode.E3
    assert inventory(CV(8), SUPPLIER_A, ESME) is ResponseCode.E19


# -- AUTH-11 baseline ---------------------------------------------------------------------------


@pytest.mark.spec("AUTH-11", "AUTH-07")
def test_pre_mp105_suspended_device_refuses_read_firmware_version(pre_mp105_sim: Sim) -> None:
    sim = pre_mp105_sim
    assert sim.remove_from_cpl(DeviceType.ESME) == 1

    answer = sim.send("11.2", ReadFirmwareVersion(), target=ESME)

    assert answer.code is ResponseCode.E5
    assert [m for m in sim.messages() if isinstance(m, ServiceResponse)] == []
    # The rest of the exception list is unchanged.
    assert _cos(sim) is ResponseCode.I99
    assert sim.distribute(ESME).code is ResponseCode.I99


@pytest.mark.spec("AUTH-11")
def test_default_baseline_is_current(sim: Sim) -> None:
    assert sim.dsp.baseline is Baseline.CURRENT
    assert Baseline("pre-MP105") is Baseline.PRE_MP105


def _retry_after_lost_activation(sim: Sim) -> ServiceResponse:
    """Suspend, distribute, lose the first 11.3 response, retry: the retry reports
    noImageHeld with the (new) running version."""
    assert sim.remove_from_cpl(DeviceType.ESME) == 1
    sim.distribute(ESME)
    sim.dsp.faults.add(FaultRule(FaultAction.DROP, srv="11.3", first_n=1))
    assert sim.activate(ESME).code is ResponseCode.I99
    assert sim.dsp.device(ESME).running_version == EXAMPLE_NEW_FIRMWARE

    assert sim.activate(ESME).code is ResponseCode.I99

    [response] = [m for m in sim.messages() if isinstance(m, ServiceResponse)]
    return response


@pytest.mark.spec("AUTH-11", "FW-01")
def test_activation_retry_reporting_no_image_held_updates_the_smi_under_current(
    sim: Sim,
) -> None:
    response = _retry_after_lost_activation(sim)

    assert response.body == FirmwareActivation(
        ActivateImageResponseCode.NO_IMAGE_HELD, EXAMPLE_NEW_FIRMWARE
    )
    record = sim.record(ESME)
    assert (record.status, record.firmware_version) == (
        SmiStatus.COMMISSIONED,
        EXAMPLE_NEW_FIRMWARE,
    )
    assert [m.code for m in sim.messages(NETWORK_OPERATOR) if isinstance(m, DccAlertMessage)] == [
        DccAlertCode.DEVICE_RESTORED
    ]


@pytest.mark.spec("AUTH-11", "FW-01")
def test_activation_retry_reporting_no_image_held_changes_nothing_under_pre_mp105(
    pre_mp105_sim: Sim,
) -> None:
    sim = pre_mp105_sim

    response = _retry_after_lost_activation(sim)

    assert response.body == FirmwareActivation(
        ActivateImageResponseCode.NO_IMAGE_HELD, EXAMPLE_NEW_FIRMWARE
    )
    record = sim.record(ESME)
    assert (record.status, record.firmware_version) == (SmiStatus.SUSPENDED, EXAMPLE_FIRMWARE)
    assert sim.messages(NETWORK_OPERATOR) == []


@pytest.mark.spec("AUTH-11")
def test_pre_mp105_successful_activation_still_restores(pre_mp105_sim: Sim) -> None:
    sim = pre_mp105_sim
    sim.remove_from_cpl(DeviceType.ESME)
    sim.distribute(ESME)

    assert sim.activate(ESME).code is ResponseCode.I99

    record = sim.record(ESME)
    assert (record.status, record.firmware_version) == (
        SmiStatus.COMMISSIONED,
        EXAMPLE_NEW_FIRMWARE,
    )


# -- AUTH-09 as clarified: a Suspended device takes no local delivery ----------------------------


@pytest.mark.spec("AUTH-09", "AUTH-07")
@pytest.mark.parametrize("cv", [CV(2), CV(3)], ids=lambda cv: f"CV{int(cv)}")
def test_local_delivery_to_a_suspended_device_is_e17(sim: Sim, cv: CV) -> None:
    """11.2 is in AUTH-07's exception list, so E5 passes it; E17 then refuses it locally."""
    _suspend(sim)
    before = sim.dsp.counters

    answer = sim.send("11.2", ReadFirmwareVersion(), target=ESME, cv=cv)

    assert answer.code is ResponseCode.E17
    assert sim.messages() == [] or all(not isinstance(m, ServiceResponse) for m in sim.messages())
    assert dict(sim.dsp.counters) == dict(before)


@pytest.mark.spec("AUTH-09")
@pytest.mark.parametrize("cv", [CV(6), CV(7)], ids=lambda cv: f"CV{int(cv)}")
def test_critical_local_delivery_to_a_suspended_device_is_e17(sim: Sim, cv: CV) -> None:
    _suspend(sim)

    answer = sim.send("11.3", ActivateFirmware(NEW_IMAGE_HASH), target=ESME, cv=cv)

    assert answer.code is ResponseCode.E17


@pytest.mark.spec("AUTH-09", "AUTH-07")
def test_suspended_smets1_top_up_with_cv2_is_the_one_local_exception(sim: Sim) -> None:
    _add_device(sim, SMETS1_ESME, smets=SmetsVersion.SMETS1)
    _suspend(sim, SMETS1_ESME)

    assert sim.send("2.2", TopUpDevice(UTRN), target=SMETS1_ESME, cv=CV(2)).code is (
        ResponseCode.I0
    )
    assert sim.send("11.2", ReadFirmwareVersion(), target=SMETS1_ESME, cv=CV(2)).code is (
        ResponseCode.E17
    )


# -- REQ-08: the ACB is the DCC, never a User -----------------------------------------------------


@pytest.mark.spec("REQ-08", "AUTH-01")
@pytest.mark.parametrize("target", ["device", "acb"])
def test_a_request_from_the_acb_is_e1(sim: Sim, target: str) -> None:
    sim.dsp.add_user(User(sim.acb, frozenset({UserRole.OTHER_USER})))  # even if made a user
    if target == "device":
        answer = sim.send("11.2", ReadFirmwareVersion(), target=ESME, user=sim.acb)
    else:
        answer = sim.send(
            "8.2", ReadInventory(device_id=ESME), target=sim.acb, cv=CV(8), user=sim.acb
        )

    assert answer.code is ResponseCode.E1
    assert "Access Control Broker" in answer.detail
    assert (sim.acb, sim.acb) not in sim.dsp.counters


@pytest.mark.spec("REQ-08")
def test_the_example_fleet_has_no_user_at_the_acb() -> None:
    from dccsim.server.core.fleet import LOAD_CONTROLLER, OTHER_USER, example_fleet

    users = {user.user_id: user for user in example_fleet().users}
    assert "90-B3-D5-1F-30-00-00-02" not in users
    assert users[OTHER_USER].roles == {UserRole.OTHER_USER}
    assert users[LOAD_CONTROLLER].roles == {UserRole.LOAD_CONTROLLER}
