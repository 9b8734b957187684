"""Property tests: a rejected request never changes anything, and a Suspended device accepts
exactly the AUTH-07 exception set, whatever the request."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from dccsim.devices.kinds import DeviceType, SmetsVersion
from dccsim.server.core.authorisation import device_status_allows
from dccsim.server.core.baseline import Baseline
from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.errors import InvalidField, NotSimulated
from dccsim.server.core.fleet import LOAD_CONTROLLER
from dccsim.server.core.fleet import OTHER_USER as FLEET_OTHER_USER
from dccsim.server.core.journal import EventKind
from dccsim.server.core.matrix import SERVICE_MATRIX, CommandVariant
from dccsim.server.core.records import SmiStatus, User, UserRole, UserStatus
from dccsim.server.core.requests import (
    ActivateFirmware,
    CommissionDevice,
    DeleteDevice,
    NoBody,
    ReadFirmwareVersion,
    ReadInventory,
    RequestBody,
    RequestId,
    RequestWanMatrix,
    ServiceRequest,
    SignedPreCommand,
    StatusChange,
    TopUpDevice,
    UpdateFirmware,
    UpdateInventory,
    UpdateSecurityCredentialsCoS,
)
from dccsim.server.core.schedules import ScheduleDetails, ScheduleFrequency
from dccsim.server.core.services import (
    REGISTRY,
    customer_and_network,
    local_command,
    service_opt,
    sub_ghz,
)
from dccsim.server.core.services.auxiliary_loads import family as auxiliary_loads_family
from dccsim.server.core.services.comms_hub import HubInstalled, HubReturned
from dccsim.server.core.services.han import (
    ChfWhitelisting,
    HanLogRequest,
    JoinDevice,
    ReadDeviceLog,
    RestoreGpfDeviceLog,
    RestoreHanDeviceLog,
    UnjoinDevice,
    UpdateHanDeviceLog,
)
from dccsim.server.core.services.inventory import DecommissionDevice, DevicePrenotification
from dccsim.server.core.services.schedules import DeleteSchedule, ReadSchedule
from tests.conftest import (
    CHF,
    ESME,
    EXAMPLE_NEW_FIRMWARE,
    GPF,
    GSME,
    HCALCS,
    NETWORK_OPERATOR,
    NEW_IMAGE,
    NEW_IMAGE_HASH,
    PPMID,
    SUPPLIER_A,
    SUPPLIER_B,
    Sim,
    make_sim,
)
from tests.core import test_prepayment as prepayment_test
from tests.core import test_reads as reads_test
from tests.core.test_auxiliary_loads import example_body as auxiliary_loads_body
from tests.core.test_configuration import example_body as configuration_body
from tests.core.test_credentials import example_body as credentials_body
from tests.core.test_tariffs import TARIFF_SRVS
from tests.core.test_tariffs import example_body as tariffs_body

CV = CommandVariant
UTRN = "12345678901234567890"
OTHER_USER = "90-B3-D5-1F-30-05-00-00"
SUSPENDED_USER = "90-B3-D5-1F-30-06-00-00"
FLEET_DEVICES = [ESME, GSME, CHF, GPF, PPMID, HCALCS]
SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Answers that mean "refused by validation/authorisation" (plus REQ-02's replay code). 8.4's own
# inventory rules may answer E4 after the request was accepted; that is not a refusal here.
REFUSALS = frozenset(
    {
        ResponseCode.E1,
        ResponseCode.E2,
        ResponseCode.E3,
        ResponseCode.E4,
        ResponseCode.E5,
        ResponseCode.E11,
        ResponseCode.E12,
        ResponseCode.E17,
        ResponseCode.E19,
        ResponseCode.E1000,
    }
)


AUXILIARY_LOAD_SRVS = frozenset(spec.srv for spec in auxiliary_loads_family.specs)


def _body_for(srv: str, device_id: str) -> RequestBody:
    """A well-formed body for the SRV."""
    match srv:
        case "2.2":
            return TopUpDevice(UTRN)
        case "6.23":
            return UpdateSecurityCredentialsCoS("1100000000001")
        case "6.15.1" | "6.15.2" | "6.17" | "6.21" | "6.24.1" | "6.24.2":
            return credentials_body(srv, device_id)
        case "8.1.1":
            return CommissionDevice()
        case "8.2":
            return ReadInventory(device_id=device_id)
        case "8.4":
            return UpdateInventory(device_id, StatusChange(SmiStatus.PENDING))
        case "11.1":
            return UpdateFirmware(NEW_IMAGE, EXAMPLE_NEW_FIRMWARE, (device_id,))
        case "11.2":
            return ReadFirmwareVersion()
        case "11.3":
            return ActivateFirmware(NEW_IMAGE_HASH)
        case "12.1":
            return RequestWanMatrix(uprn=100000000001)
        case "11.4":
            return UpdateFirmware(NEW_IMAGE, EXAMPLE_NEW_FIRMWARE, (device_id,))
        case "8.3":
            return DecommissionDevice(device_id)
        case "12.2":
            return DevicePrenotification("00-DB-12-34-56-78-91-00", "AB01", "0A0B", DeviceType.ESME)
        case "8.14.1" | "8.14.2":
            return HubInstalled(CHF, "New CHF Install", "1100000000001", "Basement or Cellar")
        case "8.14.3" | "8.14.4":
            return HubReturned(CHF, "No Fault Return (general)")
        case "5.1":
            start = datetime(2026, 1, 1, tzinfo=UTC).date()
            return ScheduleDetails(device_id, "4.12.1", ScheduleFrequency.DAILY, start)
        case "5.2":
            return ReadSchedule(device_id=device_id)
        case "5.3":
            return DeleteSchedule(device_id=device_id)
        case "8.7.1" | "8.7.2":
            return JoinDevice(PPMID)
        case "8.8.1" | "8.8.2":
            return UnjoinDevice(PPMID)
        case "8.9":
            return ReadDeviceLog()
        case "8.11":
            return UpdateHanDeviceLog(
                PPMID, HanLogRequest.ADD, ChfWhitelisting(60, bytes(range(16)))
            )
        case "8.12.1":
            return RestoreHanDeviceLog(CHF)
        case "8.12.2":
            return RestoreGpfDeviceLog(GPF)
        case "6.28":
            return sub_ghz.SetSubGhzConfiguration((1, 2, 28, 36), (1,), *_SUB_GHZ_VALUES)
        case "6.32":
            now = datetime(2026, 1, 1, tzinfo=UTC)
            return sub_ghz.ReadSubGhzChannelLog(now - timedelta(days=7), now)
        case "6.29" | "6.30" | "6.31" | "9.1" | "14.1":
            return _NO_CONTENT_BODIES[srv]()
        case "8.5":
            return service_opt.ServiceOptOut(0, b"ka", (b"ca",), True)
        case "8.6":
            opt_in = datetime(2026, 2, 1, tzinfo=UTC).date()
            return service_opt.ServiceOptIn(device_id, DeviceType.ESME, "1100000000001", opt_in)
        case "8.13":
            original = RequestId("90-B3-D5-1F-30-01-00-00", device_id, 1)
            return local_command.ReturnLocalCommandResponse(b"response", original)
        case _ if srv in AUXILIARY_LOAD_SRVS:
            return auxiliary_loads_body(srv)
        case srv if srv in _CONFIGURATION_SRVS:
            return configuration_body(srv, device_id)
        case srv if srv in reads_test.BODIES:
            return reads_test.BODIES[srv]
        case srv if srv in prepayment_test.BODIES:
            return prepayment_test.BODIES[srv]
        case srv if srv in TARIFF_SRVS:
            return tariffs_body(srv, device_id)
        case _:
            return NoBody()


_CONFIGURATION_SRVS = frozenset(
    {"3.1", "3.2", "3.3", "3.4", "3.5", "6.5", "6.6", "6.7", "6.11", "6.12", "6.13", "6.20.1"}
    | {"6.20.2", "6.22", "6.25", "6.2.1", "6.2.2", "6.2.4", "6.2.5", "6.2.7", "6.2.8", "6.2.10"}
)
_SUB_GHZ_VALUES = (Decimal("1.3"), Decimal("2.2"), 5, 7, 7, 12, Decimal("60.00"), 130, 100)
_SUB_GHZ_VALUES += (Decimal("40.00"), Decimal("30.00"))
_NO_CONTENT_BODIES = {
    "6.29": sub_ghz.RequestSubGhzChannelScan,
    "6.30": sub_ghz.ReadSubGhzConfiguration,
    "6.31": sub_ghz.ReadSubGhzChannel,
    "9.1": customer_and_network.RequestCustomerIdentificationNumber,
    "14.1": customer_and_network.RecordNetworkDataGas,
}
_eui = st.lists(st.integers(0, 255), min_size=8, max_size=8).map(
    lambda octets: "-".join(f"{o:02X}" for o in octets)
)
_other_bodies = st.sampled_from(
    [
        NoBody(),
        ReadFirmwareVersion(),
        TopUpDevice("1"),
        ActivateFirmware(b"short"),
        SignedPreCommand(b"DCCSIM-GBCS/forged"),
        UpdateInventory(ESME, DeleteDevice()),
        ReadInventory(),
    ]
)


def _mostly(likely: st.SearchStrategy, unlikely: st.SearchStrategy) -> st.SearchStrategy:
    """`likely` nine times in ten, so that most requests get past validation."""
    return st.integers(0, 9).flatmap(lambda n: unlikely if n == 0 else likely)


@st.composite
def _requests(draw: st.DrawFn, sim: Sim) -> ServiceRequest:
    srv = draw(
        _mostly(
            st.sampled_from(sorted(set(REGISTRY))),
            st.sampled_from([*sorted(SERVICE_MATRIX), "99.9"]),
        ),
        label="srv",
    )
    definition = SERVICE_MATRIX.get(srv)
    cvs = sorted(definition.command_variants) if definition else list(CV)
    cv = draw(_mostly(st.sampled_from(cvs), st.sampled_from(list(CV))), label="cv")
    originator = draw(
        _mostly(
            st.sampled_from([SUPPLIER_A, SUPPLIER_B, NETWORK_OPERATOR, OTHER_USER, SUSPENDED_USER]),
            _eui,
        ),
        label="originator",
    )
    devices = st.sampled_from([ESME, *FLEET_DEVICES])  # the ESME, whose status varies, twice
    usual_target = st.just(sim.acb) if definition and definition.non_device else devices
    target = draw(
        _mostly(usual_target, st.sampled_from([*FLEET_DEVICES, sim.acb]) | _eui), label="target"
    )
    device_id = draw(_mostly(devices, _eui), label="device_id")
    body = draw(_mostly(st.just(_body_for(srv, device_id)), _other_bodies), label="body")
    when = draw(
        _mostly(
            st.none(),
            st.integers(-2, 48).map(lambda hours: sim.dsp.now() + timedelta(hours=hours)),
        ),
        label="execution_datetime",
    )
    return ServiceRequest(
        RequestId(originator, target, draw(st.integers(0, 2_000), label="counter")),
        srv,
        cv,
        body,
        execution_datetime=when,
        user_role=draw(_mostly(st.none(), st.sampled_from(list(UserRole))), label="user_role"),
    )


def _world(sim: Sim, esme_status: SmiStatus, gsme_smets: SmetsVersion) -> None:
    sim.dsp.add_user(User(OTHER_USER, frozenset({UserRole.OTHER_USER})))
    sim.dsp.add_user(
        User(
            SUSPENDED_USER,
            frozenset({UserRole.IMPORT_SUPPLIER, UserRole.GAS_SUPPLIER}),
            status=UserStatus.SUSPENDED,
        )
    )
    record = sim.record(ESME)
    sim.dsp.state.smi.put(
        record.suspended()
        if esme_status is SmiStatus.SUSPENDED
        else replace(record, status=esme_status)
    )
    sim.dsp.state.smi.put(replace(sim.record(GSME), smets=gsme_smets))
    # Some history: counters in use, a message waiting, a future-dated request pending.
    assert sim.read_firmware(CHF).code is ResponseCode.I99
    later = sim.dsp.now() + timedelta(hours=1)
    assert sim.read_firmware(HCALCS, execution_datetime=later).code is ResponseCode.I99


def _state(sim: Sim) -> tuple[object, ...]:
    dsp = sim.dsp
    return (
        list(dsp.state.smi),
        dsp.state.outboxes.snapshot(),
        # The replay-protection counters have no public view; read them to prove none moved.
        dict(dsp._counters),
        set(dsp._pre_commands),
        dsp.state.scheduler.pending(),
        len(dsp.journal.events(EventKind.REQUEST)),
        [
            (d.device_id, d.running_version, d.firmware.held_image, tuple(d.top_ups))
            for d in dsp.state.network
        ],
    )


@pytest.mark.spec("BAD-01", "REQ-02", "AUTH-01", "AUTH-02", "AUTH-04", "AUTH-05", "AUTH-06")
@SETTINGS
@given(data=st.data())
def test_a_refused_request_changes_nothing(data: st.DataObject) -> None:
    sim = make_sim()
    _world(
        sim,
        data.draw(st.sampled_from(list(SmiStatus)), label="esme_status"),
        data.draw(st.sampled_from(list(SmetsVersion)), label="gsme_smets"),
    )
    request = data.draw(_requests(sim), label="request")
    before = _state(sim)

    try:
        answer = sim.dsp.submit(request)
    except (InvalidField, NotSimulated) as error:
        event(f"raised {type(error).__name__}")
        refused = True
    else:
        event(f"answered {answer.code}")
        refused = answer.code in REFUSALS and not (
            request.srv == "8.4" and answer.code is ResponseCode.E4
        )
        if refused:
            assert answer.body is None
            assert answer.request_id == request.request_id

    if refused:
        assert _state(sim) == before


# -- AUTH-07: the Suspended exception set -----------------------------------------------------


def _suspended_accepts(srv: str, cv: CV, smets: SmetsVersion, baseline: Baseline) -> bool:
    """AUTH-07 (with AUTH-06's exemptions), written out from SPEC.md."""
    if cv.is_critical or srv in ("8.2", "12.1"):
        return True
    exceptions = {"11.1", "6.23"} | ({"11.2"} if baseline is Baseline.CURRENT else set())
    if srv in exceptions:
        return True
    return srv == "2.2" and cv is CV.NON_CRITICAL_LOCAL and smets is SmetsVersion.SMETS1


def _suspended_record(sim: Sim, smets: SmetsVersion, before: SmiStatus):
    return replace(sim.record(ESME), smets=smets, status=before).suspended()


@pytest.mark.spec("AUTH-07", "AUTH-11", "AUTH-06")
@pytest.mark.parametrize("baseline", list(Baseline), ids=str)
@pytest.mark.parametrize("smets", list(SmetsVersion), ids=str)
def test_suspended_exception_set_holds_for_every_served_srv_and_cv(
    sim: Sim, baseline: Baseline, smets: SmetsVersion
) -> None:
    record = _suspended_record(sim, smets, SmiStatus.COMMISSIONED)
    allowed = {
        (srv, int(cv))
        for srv in set(REGISTRY)
        for cv in CV
        if device_status_allows(srv, cv, record, baseline)
    }

    expected = {
        (srv, int(cv))
        for srv in set(REGISTRY)
        for cv in CV
        if _suspended_accepts(srv, cv, smets, baseline)
    }
    assert allowed == expected
    non_critical = {(s, c) for s, c in allowed if c not in (4, 5, 6, 7)}
    exceptions = {"11.1", "6.23", "8.2", "12.1"} | (
        {"11.2"} if baseline is Baseline.CURRENT else set()
    )
    local_top_up = {("2.2", 2)} if smets is SmetsVersion.SMETS1 else set()
    assert non_critical == {(s, c) for s in exceptions for c in (1, 2, 3, 8)} | local_top_up


@pytest.mark.spec("AUTH-07", "AUTH-11")
@SETTINGS
@given(
    srv=st.sampled_from(sorted(SERVICE_MATRIX)),
    cv=st.sampled_from(list(CV)),
    smets=st.sampled_from(list(SmetsVersion)),
    baseline=st.sampled_from(list(Baseline)),
    before=st.sampled_from(
        [
            SmiStatus.COMMISSIONED,
            SmiStatus.INSTALLED_NOT_COMMISSIONED,
            SmiStatus.WHITELISTED,
            SmiStatus.PENDING,
        ]
    ),
)
def test_suspended_status_check_matches_auth_07_for_any_srv(
    srv: str, cv: CV, smets: SmetsVersion, baseline: Baseline, before: SmiStatus
) -> None:
    sim = make_sim()
    record = _suspended_record(sim, smets, before)

    assert device_status_allows(srv, cv, record, baseline) is _suspended_accepts(
        srv, cv, smets, baseline
    )


# The device SRVs that apply to an ESME (the device the next test suspends): one that does not
# (8.11 is for a CHF) is refused with E11 before its status is looked at (REQ-06).
_SERVED_DEVICE_SRVS = sorted(
    s
    for s in set(REGISTRY)
    if not SERVICE_MATRIX[s].non_device and REGISTRY.applies_to(s, DeviceType.ESME)
)


def _admitted_user(srv: str) -> str:
    roles = SERVICE_MATRIX[srv].roles
    for user, held in (
        (SUPPLIER_A, {UserRole.IMPORT_SUPPLIER, UserRole.EXPORT_SUPPLIER, UserRole.GAS_SUPPLIER}),
        (NETWORK_OPERATOR, {UserRole.ELECTRICITY_DISTRIBUTOR, UserRole.GAS_TRANSPORTER}),
        (FLEET_OTHER_USER, {UserRole.OTHER_USER}),
        (LOAD_CONTROLLER, {UserRole.LOAD_CONTROLLER}),
    ):
        if roles & held:
            return user
    raise AssertionError(f"no example user may send {srv}")


@pytest.mark.spec("AUTH-07", "AUTH-11", "AUTH-06", "AUTH-09")
@SETTINGS
@given(data=st.data())
def test_suspended_device_answers_e5_exactly_outside_the_exception_set(
    data: st.DataObject,
) -> None:
    baseline = data.draw(st.sampled_from(list(Baseline)), label="baseline")
    smets = data.draw(st.sampled_from(list(SmetsVersion)), label="smets")
    srv = data.draw(st.sampled_from(_SERVED_DEVICE_SRVS), label="srv")
    cv = data.draw(st.sampled_from(sorted(SERVICE_MATRIX[srv].command_variants)), label="cv")
    sim = make_sim(baseline)
    sim.dsp.state.smi.put(replace(sim.record(ESME), smets=smets).suspended())
    assert sim.record(ESME).status_before_suspension is SmiStatus.COMMISSIONED

    # Sent by a user in a role the matrix admits: Supplier A (IS/ES/GS), the Network Operator,
    # the fleet's Other User (9.1) or its Load Controller (7.16).
    user = _admitted_user(srv)
    answer = sim.send(srv, _body_for(srv, ESME), target=ESME, cv=cv, user=user)

    expected_e5 = not _suspended_accepts(srv, cv, smets, baseline)
    assert (answer.code is ResponseCode.E5) is expected_e5
    if not expected_e5:
        # AUTH-09 as clarified: local delivery to a Suspended device is E17, but for SMETS1
        # 2.2 with CV 2.
        local_exception = (srv, cv, smets) == (
            "2.2",
            CommandVariant.NON_CRITICAL_LOCAL,
            SmetsVersion.SMETS1,
        )
        if cv.is_local and not local_exception:
            assert answer.code is ResponseCode.E17
        else:
            assert answer.code in (ResponseCode.I0, ResponseCode.I99)


@pytest.mark.spec("AUTH-07", "AUTH-06")
@pytest.mark.parametrize("baseline", list(Baseline), ids=str)
def test_non_device_srs_about_a_suspended_device_are_never_e5(baseline: Baseline) -> None:
    sim = make_sim(baseline)
    sim.remove_from_cpl(DeviceType.ESME)
    assert sim.record(ESME).status is SmiStatus.SUSPENDED

    for srv in sorted(s for s in set(REGISTRY) if SERVICE_MATRIX[s].non_device):
        answer = sim.send(srv, _body_for(srv, ESME), target=sim.acb, cv=CV(8))
        assert answer.code is not ResponseCode.E5, srv


_COMMUNICABLE = frozenset(
    {
        SmiStatus.COMMISSIONED,
        SmiStatus.INSTALLED_NOT_COMMISSIONED,
        SmiStatus.WHITELISTED,
        SmiStatus.PENDING,
    }
)


@pytest.mark.spec("AUTH-06")
@SETTINGS
@given(
    srv=st.sampled_from(sorted(SERVICE_MATRIX)),
    cv=st.sampled_from(list(CV)),
    status=st.sampled_from(
        [s for s in SmiStatus if s not in (SmiStatus.SUSPENDED, SmiStatus.RECOVERED)]
    ),
    baseline=st.sampled_from(list(Baseline)),
)
def test_status_check_outside_suspension(
    srv: str, cv: CV, status: SmiStatus, baseline: Baseline
) -> None:
    sim = make_sim()
    record = replace(sim.record(ESME), status=status)

    expected = status is not SmiStatus.RECOVERY and (
        cv.is_critical or srv in ("8.2", "12.1") or status in _COMMUNICABLE
    )
    assert device_status_allows(srv, cv, record, baseline) is expected


@pytest.mark.spec("AUTH-08")
@SETTINGS
@given(
    srv=st.sampled_from(sorted(SERVICE_MATRIX)),
    cv=st.sampled_from(list(CV)),
    before=st.sampled_from(
        [s for s in SmiStatus if s not in (SmiStatus.RECOVERY, SmiStatus.RECOVERED)]
    ),
    smets=st.sampled_from(list(SmetsVersion)),
    baseline=st.sampled_from(list(Baseline)),
)
def test_recovered_device_is_judged_as_its_status_before_recovery(
    srv: str, cv: CV, before: SmiStatus, smets: SmetsVersion, baseline: Baseline
) -> None:
    sim = make_sim()
    base = replace(sim.record(ESME), smets=smets, status=before)
    if before is SmiStatus.SUSPENDED:
        base = replace(base, status=SmiStatus.COMMISSIONED).suspended()
    recovered = replace(base, status=SmiStatus.RECOVERED, status_before_recovery=before)

    assert device_status_allows(srv, cv, recovered, baseline) is device_status_allows(
        srv, cv, base, baseline
    )


@pytest.mark.spec("AUTH-08")
@SETTINGS
@given(
    srv=st.sampled_from(sorted(s for s, d in SERVICE_MATRIX.items() if not d.non_device)),
    cv=st.sampled_from(list(CV)),
)
def test_recovery_refuses_every_device_sr(srv: str, cv: CV) -> None:
    sim = make_sim()
    record = replace(sim.record(ESME), status=SmiStatus.RECOVERY)

    for baseline in Baseline:
        assert device_status_allows(srv, cv, record, baseline) is False
