"""Prepayment and supply (server/core/services/prepayment.py, devices/prepayment.py): each SRV is
served (SRV-01), answers from the meter's registers (SRV-02), what a write sets its read returns
(SRV-03), future-dated 1.6 / 2.1 are held by the meter (SRV-05), the meter raises its credit
alerts at the virtual instant they happen (SRV-06), a malformed body is refused naming its field
and changes nothing (BAD-01), and a Suspended SMETS1 meter still takes 2.2 with CV 2 (AUTH-07)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest
from lxml import etree

from dccsim.devices.kinds import SmetsVersion
from dccsim.devices.prepayment import (
    DebtRecovery,
    ElecCalendar,
    ElecSchedule,
    GasCalendar,
    GasDayProfile,
    GasWeekProfile,
    PaymentMode,
    PrepaymentAlert,
    RatePeriod,
    Script,
    SupplyState,
    Weekday,
    utrn_value,
)
from dccsim.devices.tariff import DateSpec
from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.fingerprint import fingerprint
from dccsim.server.core.matrix import CommandVariant as CV
from dccsim.server.core.messages import DeviceAlertMessage, LocalCommand, ServiceResponse
from dccsim.server.core.records import DuisVersion
from dccsim.server.core.requests import RequestBody, TopUpDevice
from dccsim.server.core.services.prepayment import (
    ActivateEmergencyCredit,
    ArmSupply,
    BillingLogRead,
    CommandRefused,
    DailyLogRead,
    DisableSupply,
    EnableSupply,
    MeterBalanceRead,
    PaymentModeRead,
    PrepaymentConfigurationRead,
    PrepayValuesRead,
    ReadBillingLog,
    ReadMeterBalance,
    ReadPaymentMode,
    ReadPrepaymentConfiguration,
    ReadPrepaymentDailyLog,
    ReadPrepayValues,
    ReadSupplyStatus,
    SupplyStatusRead,
    UpdateDebt,
    UpdateMeterBalance,
    UpdatePaymentMode,
    UpdatePrepayConfiguration,
)
from dccsim.server.duis.build import build_outbox_message, read_gbcs_payload
from dccsim.server.duis.parse import parse_request
from dccsim.server.rpc import convert
from dccsim.server.rpc.bodies import prepayment as rpc_prepayment
from dccsim.v1 import prepayment_pb2, supplier_pb2
from tests.conftest import ESME, GPF, GSME, RTDS_DIR, SUPPLIER_A, Sim
from tests.core.test_authorisation import SMETS1_ESME, _add_device, _suspend
from tests.duis.documents import OfficialSchemas

RA = {"ra": "http://www.dccinterface.co.uk/ResponseAndAlert"}
SR = {"sr": "http://www.dccinterface.co.uk/ServiceUserGateway"}
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)
FAR_AHEAD = datetime(2100, 1, 1, tzinfo=UTC)
UTRN = "73946144332040215000"  # GBP 50.00 (its last four digits in pence)
ELEC_CALENDAR = ElecCalendar(
    ((1, DateSpec(None, 12, 25, None)),),
    (
        ElecSchedule(
            Script.START, (1,), (Weekday.SATURDAY,), time(0, 0), "2026-01-01Z", "65535-12-31Z"
        ),
    ),
)
GAS_CALENDAR = GasCalendar(
    (GasDayProfile(((time(0, 0), Script.START), (time(8, 0), Script.STOP)), 1),),
    (GasWeekProfile(1, (1, 1, 1, 1, 1, 1, 1)),),
    ((DateSpec(2026, 1, 1, None), 1),),
    ((DateSpec(None, 12, 25, None), 1),),
)
CONFIGURATION = UpdatePrepayConfiguration(
    30, 300_000, 100_000, 200_000, ELEC_CALENDAR, 5_000_000, 1_000_000
)
ELEC_DEBT = UpdateDebt(
    30_000,
    15_000,
    50_000,
    1_000,
    (DebtRecovery(3, RatePeriod.DAILY, -1), DebtRecovery(15, RatePeriod.DAILY, -1)),
)
PREPAYMENT = UpdatePaymentMode(PaymentMode.PREPAYMENT, False, False, 0)
CREDIT = UpdatePaymentMode(PaymentMode.CREDIT)
# A well-formed body for each SRV (tests/core/test_properties.py uses them).
BODIES: dict[str, RequestBody] = {
    "1.5": UpdateMeterBalance(PaymentMode.PREPAYMENT, 1_200_000),
    "1.6": PREPAYMENT,
    "2.1": CONFIGURATION,
    "2.3": ELEC_DEBT,
    "2.5": ActivateEmergencyCredit(),
    "4.3": ReadPrepayValues(),
    "4.4.4": ReadBillingLog(LONG_AGO, FAR_AHEAD),
    "4.4.5": ReadBillingLog(LONG_AGO, FAR_AHEAD),
    "4.13": ReadPrepaymentConfiguration(),
    "4.14": ReadPrepaymentDailyLog(LONG_AGO, FAR_AHEAD),
    "4.18": ReadMeterBalance(),
    "6.2.9": ReadPaymentMode(),
    "7.1": EnableSupply(),
    "7.2": DisableSupply(),
    "7.3": ArmSupply(),
    "7.4": ReadSupplyStatus(),
}
CRITICAL = {"1.5", "1.6", "2.1", "2.3", "2.5", "7.1", "7.2", "7.3"}


def _send(sim: Sim, srv: str, body: RequestBody, target: str = ESME, **extra: object):
    if srv in CRITICAL:
        answer = sim.send_critical(srv, body, target=target, **extra)
    else:
        answer = sim.send(srv, body, target=target, **extra)
    assert answer.code is ResponseCode.I99, answer
    return answer


def _ask(sim: Sim, srv: str, body: RequestBody, target: str = ESME, **extra: object):
    """Send an SR and return the meter's response body."""
    answer = _send(sim, srv, body, target, **extra)
    responses = [
        m
        for m in sim.messages()
        if isinstance(m, ServiceResponse) and m.request_id == answer.request_id
    ]
    assert responses, f"no response to {srv}"
    assert responses[-1].code is ResponseCode.I0
    return responses[-1].body


def _alerts(sim: Sim) -> list[tuple[int, datetime]]:
    return [
        (int(m.alert_code), m.issued_at)
        for m in sim.messages()
        if isinstance(m, DeviceAlertMessage)
    ]


def _balance(sim: Sim, target: str = ESME) -> int:
    read = _ask(sim, "4.18", ReadMeterBalance(), target)
    assert isinstance(read, MeterBalanceRead)
    return read.meter_balance


def _supply(sim: Sim, target: str = ESME) -> SupplyState:
    read = _ask(sim, "7.4", ReadSupplyStatus(), target)
    assert isinstance(read, SupplyStatusRead)
    return read.state


def _mmc(response: ServiceResponse, version: DuisVersion = DuisVersion.V5_2) -> etree._Element:
    document = build_outbox_message(response, version, recipient=SUPPLIER_A)
    [payload] = etree.fromstring(document).xpath("//sr:GBCSPayload/text()", namespaces=SR)
    return read_gbcs_payload(str(payload))


def _last_response(sim: Sim) -> ServiceResponse:
    response = [m for m in sim.messages() if isinstance(m, ServiceResponse)][-1]
    return response


# -- SRV-01 --------------------------------------------------------------------------------------


@pytest.mark.spec("SRV-01")
@pytest.mark.parametrize("srv", sorted(BODIES))
def test_every_prepayment_srv_is_served_on_an_esme(sim: Sim, srv: str) -> None:
    _send(sim, srv, BODIES[srv])
    assert any(isinstance(m, ServiceResponse) for m in sim.messages())


@pytest.mark.spec("SRV-01", "SRV-02")
def test_a_gpf_answers_prepay_reads_with_its_gsmes_registers(sim: Sim) -> None:
    _send(sim, "1.5", UpdateMeterBalance(PaymentMode.PREPAYMENT, 123_000), GSME)
    read = _ask(sim, "4.18", ReadMeterBalance(), GPF)
    assert isinstance(read, MeterBalanceRead)
    assert read.prepayment_mode_balance == 123_000


# -- SRV-03: a write, then its read ---------------------------------------------------------------


@pytest.mark.spec("SRV-03")
def test_update_meter_balance_then_read_meter_balance(sim: Sim) -> None:
    sim.dsp.set_clock_rate(0)
    _send(sim, "1.6", PREPAYMENT)
    _send(sim, "1.5", UpdateMeterBalance(PaymentMode.PREPAYMENT, 1_200_000))
    assert _balance(sim) == 1_200_000
    _send(sim, "1.5", UpdateMeterBalance(PaymentMode.CREDIT, None))
    assert _balance(sim) == 0


@pytest.mark.spec("SRV-03")
def test_gsme_keeps_a_credit_mode_and_a_prepayment_mode_balance(sim: Sim) -> None:
    _send(sim, "1.5", UpdateMeterBalance(PaymentMode.CREDIT, 5_000_000), GSME)
    _send(sim, "1.5", UpdateMeterBalance(PaymentMode.PREPAYMENT, 23_130), GSME)
    read = _ask(sim, "4.18", ReadMeterBalance(), GSME)
    assert read == MeterBalanceRead(5_000_000, 23_130)  # in Credit mode: the credit balance


@pytest.mark.spec("SRV-03")
def test_update_payment_mode_then_read_payment_mode(sim: Sim) -> None:
    _send(sim, "1.6", UpdatePaymentMode(PaymentMode.PREPAYMENT, True, False, 0))
    assert _ask(sim, "6.2.9", ReadPaymentMode()) == PaymentModeRead(
        PaymentMode.PREPAYMENT, False, True
    )
    _send(sim, "1.6", CREDIT)
    assert _ask(sim, "6.2.9", ReadPaymentMode()).mode is PaymentMode.CREDIT


@pytest.mark.spec("SRV-03")
@pytest.mark.parametrize(
    ("target", "body"),
    [(ESME, CONFIGURATION), (GSME, replace(CONFIGURATION, calendar=GAS_CALENDAR))],
)
def test_update_prepay_configuration_then_read_it(
    sim: Sim, target: str, body: UpdatePrepayConfiguration
) -> None:
    _send(sim, "2.1", body, target)
    read = _ask(sim, "4.13", ReadPrepaymentConfiguration(), target)
    assert isinstance(read, PrepaymentConfigurationRead)
    config = read.config
    assert config.low_credit_threshold == 200_000
    assert config.emergency_credit_limit == 300_000
    assert config.max_meter_balance == 5_000_000
    assert config.calendar == body.calendar
    root = _mmc(_last_response(sim))
    assert root.xpath("string(//ra:LowCreditThreshold)", namespaces=RA) == "200000"


@pytest.mark.spec("SRV-03")
def test_top_up_then_read_prepay_values_balance_and_credit_log(sim: Sim) -> None:
    sim.dsp.set_clock_rate(0)
    _send(sim, "1.6", PREPAYMENT)
    _send(sim, "2.2", TopUpDevice(UTRN))
    assert _balance(sim) == utrn_value(UTRN) == 5_000_000
    values = _ask(sim, "4.3", ReadPrepayValues())
    assert isinstance(values, PrepayValuesRead)
    assert values.values.meter_balance == 5_000_000
    log = _ask(sim, "4.4.5", ReadBillingLog(LONG_AGO, FAR_AHEAD))
    assert isinstance(log, BillingLogRead)
    assert [entry.amount for entry in log.entries] == [5_000_000]


@pytest.mark.spec("SRV-03")
def test_update_debt_then_read_and_payment_debt_recovered_from_a_top_up(sim: Sim) -> None:
    sim.dsp.set_clock_rate(0)
    _send(sim, "1.6", PREPAYMENT)
    _send(sim, "2.3", ELEC_DEBT)
    values = _ask(sim, "4.3", ReadPrepayValues()).values
    assert (values.time_debt_1, values.time_debt_2, values.payment_debt) == (30_000, 15_000, 50_000)
    _send(sim, "2.2", TopUpDevice(UTRN))  # 10% of GBP 50 recovers all GBP 0.50 of payment debt
    values = _ask(sim, "4.3", ReadPrepayValues()).values
    assert values.payment_debt == 0
    assert values.meter_balance == 5_000_000 - 50_000
    debts = _ask(sim, "4.4.4", ReadBillingLog(LONG_AGO, FAR_AHEAD))
    assert [entry.amount for entry in debts.entries] == [50_000]


@pytest.mark.spec("SRV-03")
@pytest.mark.parametrize(
    ("srv", "body", "state"),
    [
        ("7.2", DisableSupply(), SupplyState.DISABLED),
        ("7.3", ArmSupply(), SupplyState.ARMED),
        ("7.1", EnableSupply(), SupplyState.ENABLED),
    ],
)
def test_supply_commands_then_read_supply_status(
    sim: Sim, srv: str, body: RequestBody, state: SupplyState
) -> None:
    _send(sim, "7.2", DisableSupply())
    _send(sim, srv, body)
    assert _supply(sim) is state
    root = _mmc(_last_response(sim))
    assert root.xpath("string(//ra:SupplyState)", namespaces=RA) == state.value


# -- credit falls with consumption; alerts at their instants (SRV-02, SRV-06) --------------------


@pytest.mark.spec("SRV-02", "SRV-06")
def test_credit_falls_with_consumption_and_low_credit_is_raised_when_it_crosses(sim: Sim) -> None:
    sim.dsp.set_clock_rate(0)
    _send(sim, "1.6", PREPAYMENT)
    _send(sim, "2.2", TopUpDevice("00000000000000000300"))  # GBP 3: low credit at GBP 2
    start = sim.dsp.now()
    sim.dsp.advance(timedelta(days=2))
    low = [at for code, at in _alerts(sim) if code == PrepaymentAlert.LOW_CREDIT]
    assert len(low) == 2  # at 1.6 (no credit yet) and when GBP 3 fell to GBP 2
    crossing = low[-1]
    assert start < crossing < start + timedelta(days=2)
    # The crossing instant is exact: the balance derived there is the threshold.
    device = sim.dsp.device(ESME)
    from dccsim.server.core.services.prepayment import meter

    assert device.prepayment is not None
    at_crossing = device.prepayment.at(crossing, meter(sim.dsp.state, device))
    assert abs(at_crossing.balance - 200_000) < 1
    assert _balance(sim) < 200_000


@pytest.mark.spec("SRV-06", "SRV-03")
def test_credit_runs_out_supply_is_disabled_and_a_top_up_restores_it(sim: Sim) -> None:
    sim.dsp.set_clock_rate(0)
    _send(sim, "1.6", PREPAYMENT)
    _send(sim, "2.2", TopUpDevice("00000000000000000100"))  # GBP 1
    sim.dsp.advance(timedelta(days=3))
    codes = [code for code, _ in _alerts(sim)]
    assert PrepaymentAlert.CREDIT_BELOW_DISABLEMENT_THRESHOLD in codes
    assert _supply(sim) is SupplyState.DISABLED
    balance = _balance(sim)
    sim.dsp.advance(timedelta(days=1))
    assert _balance(sim) == balance  # no supply, nothing charged
    _send(sim, "2.2", TopUpDevice("00000000000000001000"))
    assert _supply(sim) is SupplyState.ARMED
    assert PrepaymentAlert.SUPPLY_ARMED in [code for code, _ in _alerts(sim)]
    sim.dsp.advance(timedelta(minutes=2))  # the consumer presses the button
    assert _supply(sim) is SupplyState.ENABLED


@pytest.mark.spec("SRV-06")
def test_emergency_credit_is_activated_then_exhausted(sim: Sim) -> None:
    sim.dsp.set_clock_rate(0)
    _send(sim, "1.6", PREPAYMENT)
    assert _supply(sim) is SupplyState.DISABLED
    assert _ask(sim, "2.5", ActivateEmergencyCredit()) is None
    codes = [code for code, _ in _alerts(sim)]
    assert PrepaymentAlert.EMERGENCY_CREDIT_ACTIVATED in codes
    assert PrepaymentAlert.SUPPLY_ARMED_BY_EMERGENCY_CREDIT in codes
    assert _ask(sim, "4.3", ReadPrepayValues()).values.emergency_credit == 500_000
    sim.dsp.advance(timedelta(days=5))
    codes = [code for code, _ in _alerts(sim)]
    assert PrepaymentAlert.EMERGENCY_CREDIT_EXHAUSTED in codes
    assert _supply(sim) is SupplyState.DISABLED


@pytest.mark.spec("SRV-06")
def test_emergency_credit_not_available_is_refused(sim: Sim) -> None:
    refused = _ask(sim, "2.5", ActivateEmergencyCredit())  # Credit mode: none to give
    assert refused == CommandRefused("2.5")
    assert (
        _mmc(_last_response(sim)).xpath(
            "string(//ra:ActivateEmergencyCreditRsp/@MessageSuccess)", namespaces=RA
        )
        == "false"
    )


@pytest.mark.spec("SRV-03")
def test_daily_read_log_holds_each_midnights_registers(sim: Sim) -> None:
    sim.dsp.set_clock_rate(0)
    _send(sim, "1.6", PREPAYMENT)
    _send(sim, "2.2", TopUpDevice(UTRN))
    sim.dsp.advance(timedelta(days=3, hours=1))
    log = _ask(sim, "4.14", ReadPrepaymentDailyLog(LONG_AGO, FAR_AHEAD))
    assert isinstance(log, DailyLogRead)
    balances = [entry.meter_balance for entry in log.entries]
    assert len(balances) >= 3
    assert balances == sorted(balances, reverse=True)
    assert all(entry.timestamp.time() == time(0, 0) for entry in log.entries)


# -- 2.2 UTRN checks and replay protection --------------------------------------------------------


@pytest.mark.spec("SRV-06", "BAD-01")
def test_a_utrn_applied_before_is_refused_and_changes_nothing(sim: Sim) -> None:
    sim.dsp.set_clock_rate(0)
    _send(sim, "2.2", TopUpDevice(UTRN))
    before = _balance(sim)
    refused = _ask(sim, "2.2", TopUpDevice(UTRN))
    assert refused == CommandRefused("2.2", PrepaymentAlert.DUPLICATE_UTRN)
    root = _mmc(_last_response(sim))
    assert root.xpath("string(//ra:TopUpDeviceRsp/@MessageSuccess)", namespaces=RA) == "false"
    assert (PrepaymentAlert.DUPLICATE_UTRN, sim.dsp.now()) in _alerts(sim)
    assert _balance(sim) == before
    assert list(sim.dsp.device(ESME).top_ups) == [UTRN]


@pytest.mark.spec("SRV-06")
def test_a_utrn_over_the_maximum_credit_threshold_is_refused(sim: Sim) -> None:
    _send(sim, "2.1", CONFIGURATION)  # at most GBP 10 a top-up
    refused = _ask(sim, "2.2", TopUpDevice("00000000000000002000"))
    assert refused == CommandRefused("2.2", PrepaymentAlert.UTRN_EXCEEDS_MAX_CREDIT)


# -- SRV-05: future-dated 1.6 is held by the meter ------------------------------------------------


@pytest.mark.spec("SRV-05")
def test_future_dated_payment_mode_runs_at_its_time_with_0x8f66(sim: Sim) -> None:
    sim.dsp.set_clock_rate(0)
    when = sim.dsp.now() + timedelta(days=1)
    _send(sim, "1.6", PREPAYMENT, execution_datetime=when)
    assert _ask(sim, "6.2.9", ReadPaymentMode()).mode is PaymentMode.CREDIT
    sim.dsp.advance(timedelta(days=1))
    assert _ask(sim, "6.2.9", ReadPaymentMode()).mode is PaymentMode.PREPAYMENT
    outcome = [
        m
        for m in sim.messages()
        if isinstance(m, DeviceAlertMessage) and m.future_dated_srv == "1.6"
    ]
    assert len(outcome) == 1 and outcome[0].issued_at == when
    assert int(outcome[0].alert_code) == 0x8F66


@pytest.mark.spec("SRV-05")
def test_future_dated_payment_mode_is_cancelled_by_3000_12_31(sim: Sim) -> None:
    when = sim.dsp.now() + timedelta(days=1)
    _send(sim, "1.6", PREPAYMENT, execution_datetime=when)
    _send(sim, "1.6", PREPAYMENT, execution_datetime=datetime(3000, 12, 31, tzinfo=UTC))
    sim.dsp.advance(timedelta(days=2))
    assert _ask(sim, "6.2.9", ReadPaymentMode()).mode is PaymentMode.CREDIT


# -- BAD-01 --------------------------------------------------------------------------------------


_BAD = {
    "utrn with letters": ("2.2", TopUpDevice("7394614433204021731X"), "body.utrn"),
    "utrn with arabic digits": ("2.2", TopUpDevice("\u0661" * 20), "body.utrn"),
    "balance over int32": (
        "1.5",
        UpdateMeterBalance(PaymentMode.PREPAYMENT, 2**31),
        "body.adjustment",
    ),
    "credit with threshold": (
        "1.6",
        UpdatePaymentMode(PaymentMode.CREDIT, None, None, 5),
        "body.disablement_threshold",
    ),
    "rate cap over unsignedShort": (
        "2.1",
        replace(CONFIGURATION, debt_recovery_rate_cap=70_000),
        "body.debt_recovery_rate_cap",
    ),
    "negative gas threshold": (
        "2.1",
        replace(CONFIGURATION, calendar=GAS_CALENDAR, low_credit_threshold=-1),
        "body.low_credit_threshold",
    ),
    "special day 21": (
        "2.1",
        replace(CONFIGURATION, calendar=ElecCalendar(((21, DateSpec()),), ELEC_CALENDAR.schedules)),
        "body.calendar.special_days.index",
    ),
    "per payment over 100%": (
        "2.3",
        replace(ELEC_DEBT, debt_recovery_per_payment=10_001),
        "body.debt_recovery_per_payment",
    ),
    "elec rate over short": (
        "2.3",
        replace(
            ELEC_DEBT, recovery=(DebtRecovery(40_000, RatePeriod.DAILY, -1), ELEC_DEBT.recovery[1])
        ),
        "body.recovery[1].rate",
    ),
    "naive log start": (
        "4.14",
        ReadPrepaymentDailyLog(datetime(2026, 1, 1), FAR_AHEAD),
        "body.start",
    ),
}


@pytest.mark.spec("BAD-01")
@pytest.mark.parametrize("case", sorted(_BAD))
def test_a_malformed_body_is_refused_naming_its_field_and_changes_nothing(
    sim: Sim, case: str
) -> None:
    srv, body, field = _BAD[case]
    before = fingerprint(sim.dsp)
    cv = CV.CRITICAL_TRANSFORM if srv in CRITICAL else CV.NON_CRITICAL_REMOTE
    with pytest.raises(InvalidField) as refused:
        sim.send(srv, body, target=ESME, cv=cv)
    assert refused.value.field == field
    assert fingerprint(sim.dsp) == before


@pytest.mark.spec("BAD-01")
def test_a_refused_duis_body_names_its_element() -> None:
    template = (RTDS_DIR / "ECS07_2.3_SUCCESS_REQUEST_DUIS.XML").read_bytes()
    bad = template.replace(
        b"<sr:DebtRecoveryRatePeriod>DAILY", b"<sr:DebtRecoveryRatePeriod>WEEKLY", 1
    )
    with pytest.raises(InvalidField) as refused:
        parse_request(bad)
    assert refused.value.field.endswith("ElecDebtRecovery1/DebtRecoveryRatePeriod")


# -- AUTH-07 -------------------------------------------------------------------------------------


@pytest.mark.spec("AUTH-07")
def test_suspended_smets1_esme_takes_top_up_with_cv2_as_a_local_command(sim: Sim) -> None:
    _add_device(sim, SMETS1_ESME, smets=SmetsVersion.SMETS1)
    _suspend(sim, SMETS1_ESME)
    answer = sim.send("2.2", TopUpDevice(UTRN), target=SMETS1_ESME, cv=CV(2))
    assert answer.code is ResponseCode.I0
    assert isinstance(answer.body, LocalCommand)
    assert sim.send("2.2", TopUpDevice(UTRN), target=SMETS1_ESME, cv=CV(1)).code is (
        ResponseCode.E5
    )
    # A critical SR is not E5-checked: it reaches the suspended meter.
    assert sim.send_critical("1.5", BODIES["1.5"], target=SMETS1_ESME).code is ResponseCode.I99


# -- DUIS content and the gRPC conversion ---------------------------------------------------------


@pytest.mark.spec("SRV-02")
def test_mmc_answers_are_schema_valid_and_carry_the_registers(sim: Sim) -> None:
    try:
        schemas = OfficialSchemas.load()
    except OSError:
        pytest.skip("DCC's DUIS schemas are not in ../shared/duis-xsd")
    sim.dsp.set_clock_rate(0)
    _send(sim, "1.6", PREPAYMENT)
    _send(sim, "2.3", ELEC_DEBT)
    _send(sim, "2.2", TopUpDevice(UTRN))
    for srv in ("4.3", "4.4.4", "4.4.5", "4.13", "4.14", "4.18", "6.2.9", "7.4"):
        _ask(sim, srv, BODIES[srv])
        response = _last_response(sim)
        for version in (DuisVersion.V5_1, DuisVersion.V5_2):
            document = build_outbox_message(response, version, recipient=SUPPLIER_A)
            schemas.assert_valid(document, version)
    _ask(sim, "4.3", ReadPrepayValues())
    root = _mmc(_last_response(sim))
    assert root.xpath("string(//ra:MeterBalance)", namespaces=RA) == str(5_000_000 - 50_000)
    assert root.xpath("string(//ra:TimeDebtRegister1)", namespaces=RA) == "30000"


def test_grpc_conversion_of_bodies_and_answers(sim: Sim) -> None:
    request = supplier_pb2.SubmitRequest(
        request_id=f"{SUPPLIER_A}:{ESME}:1",
        service_reference_variant="2.3",
        command_variant=4,
        update_debt=prepayment_pb2.UpdateDebt(
            time_debt_1=30_000,
            time_debt_2=15_000,
            payment_debt=50_000,
            debt_recovery_per_payment=1_000,
            recovery_1=prepayment_pb2.DebtRecoveryRate(rate=3, price_scale=-1, period=2),
            recovery_2=prepayment_pb2.DebtRecoveryRate(rate=15, price_scale=-1, period=2),
        ),
    )
    assert convert.service_request(request).body == ELEC_DEBT
    _send(sim, "2.1", CONFIGURATION)
    read = _ask(sim, "4.13", ReadPrepaymentConfiguration())
    response = supplier_pb2.ServiceResponse()
    rpc_prepayment.FAMILY.response_fillers[type(read)](response, read)
    configuration = response.prepayment_configuration
    assert configuration.low_credit_threshold == 200_000
    assert configuration.electricity.schedules[0].end_date == "65535-12-31Z"


@pytest.mark.spec("SRV-03")
@pytest.mark.parametrize("gas", [False, True])
def test_a_quiet_stretch_is_charged_at_once_exactly_as_the_walk_charges_it(gas: bool) -> None:
    """Credit mode at a flat price crosses nothing: `project` charges it in one go, and must
    arrive at exactly the registers the half-hour walk reaches."""
    from dccsim.devices.consumption import ConsumptionModel
    from dccsim.devices.kinds import DeviceType
    from dccsim.devices.prepayment import Meter, PrepayConfig, Registers, project

    device_type = DeviceType.GSME if gas else DeviceType.ESME
    readings = ConsumptionModel().readings(GSME if gas else ESME, device_type)
    assert readings is not None

    def meter(flat: int | None) -> Meter:
        return Meter(readings.import_between, lambda at: 24_500, 60_000, gas, flat_price=flat)

    start = datetime(2026, 1, 1, 7, 13, 5, 250_000, tzinfo=UTC)  # mid half-hour
    until = start + timedelta(days=3, hours=5, minutes=41, seconds=7)
    begin = Registers(start)
    quick, quick_events = project(begin, PrepayConfig(), meter(24_500), until)
    walked, walked_events = project(begin, PrepayConfig(), meter(None), until)
    assert quick == walked
    assert quick_events == walked_events == []
    assert quick.balance < 0 or quick.credit_balance < 0  # something was charged
