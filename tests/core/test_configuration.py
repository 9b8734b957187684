"""Device configuration, 6.2.x, 6.5-6.7, 6.11-6.13, 6.20.x, 6.22 and 6.25
(server/core/services/configuration.py, devices/configuration.py): each SRV is served by the
device types it applies to (SRV-01), its answer comes from the meter's state (SRV-02), what a
write sets the matching read returns (SRV-03), the DSP-pattern writes are held until their time
(SRV-05), and a malformed body is refused naming its field and changes nothing (BAD-01)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from lxml import etree

from dccsim.devices.configuration import (
    AlertSetting,
    AverageVoltage,
    ClockStatus,
    EventCode,
    LogKind,
    RmsVoltage,
    SupplyState,
    configuration_of,
)
from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.fingerprint import fingerprint
from dccsim.server.core.messages import ServiceResponse
from dccsim.server.core.records import DuisVersion, UserRole
from dccsim.server.core.requests import RequestBody
from dccsim.server.core.services import configuration as cfg
from dccsim.server.core.services import display
from dccsim.server.duis.build import build_outbox_message, read_gbcs_payload
from dccsim.server.duis.parse import parse_request
from dccsim.server.rpc import convert
from dccsim.v1 import configuration_pb2, supplier_pb2
from tests.conftest import CHF, ESME, GPF, GSME, NETWORK_OPERATOR, RTDS_DIR, SUPPLIER_A, Sim

SR = {"sr": "http://www.dccinterface.co.uk/ServiceUserGateway"}
RA = {"ra": "http://www.dccinterface.co.uk/ResponseAndAlert"}
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)
FAR_AHEAD = datetime(2100, 1, 1, tzinfo=UTC)
RMS = RmsVoltage(20, 280, 20, 190, 40, 210, 40, 250)
PHASE = AverageVoltage(260, 205, 900)
VOLTAGE = cfg.UpdateVoltage(RMS, single_phase=PHASE)
POLY_VOLTAGE = cfg.UpdateVoltage(
    RMS,
    poly_phase=tuple(cfg.PhaseVoltage(n, AverageVoltage(250 + n, 200 + n, 60)) for n in (3, 1, 2)),
)
GAS_FLOW = cfg.UpdateGasFlow(Decimal("1.2345"), SupplyState.LOCKED, SupplyState.LOCKED, 90, 600)
ALERTS = cfg.ConfigureAlertBehaviour(
    cfg.AlertGroup.ELECTRICITY_SUPPLIER_HAN_ALERTS,
    (cfg.AlertChange(0x810D, AlertSetting.HAN_ALERT, True),),
)


def example_body(srv: str, device_id: str = ESME) -> RequestBody:
    """A well-formed body of one of the configuration or display SRVs."""
    now = datetime(2026, 1, 1, tzinfo=UTC)
    bodies: dict[str, RequestBody] = {
        "6.2.1": cfg.ReadVoltage(),
        "6.2.2": cfg.ReadRandomisation(),
        "6.2.4": cfg.ReadIdentity(),
        "6.2.5": cfg.ReadPowerThresholds(),
        "6.2.7": cfg.ReadMpxn(),
        "6.2.8": cfg.ReadGasConfiguration(),
        "6.2.10": cfg.ReadAlertBehaviours(),
        "6.5": VOLTAGE,
        "6.6": cfg.UpdateGasConversion(Decimal("40.1"), Decimal("1.02264")),
        "6.7": GAS_FLOW,
        "6.11": cfg.SynchroniseClock(now, 60),
        "6.12": cfg.UpdatePowerThreshold(2500, 5500),
        "6.13": cfg.ReadEventOrSecurityLog(now - timedelta(days=1), now, cfg.LogToRead.EVENT),
        "6.20.1": cfg.SetImportMpxn(import_mpan="1312345678999"),
        "6.20.2": cfg.SetExportMpan("1312345678888"),
        "6.22": ALERTS,
        "6.25": cfg.SetSupplyTamperState(SupplyState.LOCKED),
        "3.1": display.DisplayMessage("Hello"),
        "3.2": display.RestrictAccessForChangeOfTenancy(now),
        "3.3": display.ClearEventLog(),
        "3.4": display.UpdateSupplierName("DCCSIM", "0800 123 456"),
        "3.5": display.DisablePrivacyPin(),
    }
    return bodies[srv]


CRITICAL = {"6.6", "6.7", "6.11", "6.25"}


def _sender(srv: str) -> str:
    """6.5 is the network operator's (ED); the others a supplier's."""
    return NETWORK_OPERATOR if srv == "6.5" else SUPPLIER_A


def _ask(sim: Sim, srv: str, body: RequestBody, target: str = ESME, **kwargs) -> ServiceResponse:
    """Send the SR (the two-leg flow for a critical one) and return the device's response."""
    kwargs.setdefault("user", _sender(srv))
    answer = (
        sim.send_critical(srv, body, target=target, **kwargs)
        if srv in CRITICAL
        else sim.send(srv, body, target=target, **kwargs)
    )
    assert answer.code is ResponseCode.I99, answer
    response = sim.messages(kwargs["user"])[-1]
    assert isinstance(response, ServiceResponse)
    assert response.request_id == answer.request_id
    assert response.code is ResponseCode.I0
    return response


def _read(sim: Sim, srv: str, target: str = ESME, **kwargs):
    return _ask(sim, srv, example_body(srv), target, **kwargs).body


def _mmc(response: ServiceResponse, version: DuisVersion = DuisVersion.V5_2) -> etree._Element:
    document = build_outbox_message(response, version, recipient=SUPPLIER_A)
    [payload] = etree.fromstring(document).xpath("//sr:GBCSPayload/text()", namespaces=SR)
    return read_gbcs_payload(str(payload))


def _text(payload: etree._Element, path: str) -> list[str]:
    """The texts at `path` below the MMC response element (the payload's *Rsp)."""
    [rsp] = payload.xpath("//*[substring(local-name(), string-length(local-name()) - 2) = 'Rsp']")
    return [str(t) for t in rsp.xpath(f"{path}/text()", namespaces=RA)]


# -- SRV-01 --------------------------------------------------------------------------------------


@pytest.mark.spec("SRV-01")
@pytest.mark.parametrize(
    ("srv", "served", "refused"),
    [
        ("6.2.1", ESME, GSME),
        ("6.2.2", ESME, GSME),
        ("6.2.4", CHF, "00-DB-12-34-56-78-90-A4"),
        ("6.2.5", ESME, GSME),
        ("6.2.7", GSME, CHF),
        ("6.2.8", GSME, ESME),
        ("6.2.10", GSME, GPF),
        ("6.5", ESME, GSME),
        ("6.12", ESME, GSME),
        ("6.13", GPF, None),
        ("6.20.2", ESME, GSME),
        ("6.22", ESME, CHF),
    ],
)
def test_each_srv_is_served_by_the_device_types_it_applies_to(
    sim: Sim, srv: str, served: str, refused: str | None
) -> None:
    _ask(sim, srv, example_body(srv), served)
    if refused is not None:
        answer = sim.send(srv, example_body(srv), target=refused, user=_sender(srv))
        assert answer.code is ResponseCode.E11


@pytest.mark.spec("SRV-01")
@pytest.mark.parametrize("srv", ["6.6", "6.7", "6.11"])
def test_the_critical_gas_and_clock_writes_take_the_signed_pre_command_flow(
    sim: Sim, srv: str
) -> None:
    _ask(sim, srv, example_body(srv), GSME)
    assert sim.send(srv, example_body(srv), target=GSME).code is ResponseCode.E12


# -- SRV-02 and SRV-03: each write, then its read ------------------------------------------------


@pytest.mark.spec("SRV-03")
def test_6_12_sets_what_6_2_5_reads(sim: Sim) -> None:
    before = _read(sim, "6.2.5")
    _ask(sim, "6.12", cfg.UpdatePowerThreshold(1234, 4321))
    after = _read(sim, "6.2.5")
    assert before != after == cfg.PowerThresholdsRead(1234, 4321)


@pytest.mark.spec("SRV-03", "SRV-02")
def test_6_5_sets_what_6_2_1_reads(sim: Sim) -> None:
    assert not _read(sim, "6.2.1").settings.poly_phase  # variant A: single phase
    _ask(sim, "6.5", VOLTAGE)
    assert _read(sim, "6.2.1").settings.phases == (PHASE,)
    _ask(sim, "6.5", POLY_VOLTAGE)
    read = _ask(sim, "6.2.1", cfg.ReadVoltage())
    assert read.body.settings.rms == RMS
    assert [p.over_threshold for p in read.body.settings.phases] == [251, 252, 253]
    rsp = _mmc(read)
    assert _text(rsp, "ra:PolyPhaseVoltageSettings/ra:Phase") == ["1", "2", "3"]
    assert _text(rsp, "ra:RMSVoltageSettings/ra:RMSVoltageSagThreshold") == ["210"]


@pytest.mark.spec("SRV-03")
def test_6_5_resets_the_rms_counters_unless_told_not_to(sim: Sim) -> None:
    device = sim.dsp.state.network.get(ESME)
    _ask(sim, "6.5", cfg.UpdateVoltage(RMS, single_phase=PHASE, counters_not_reset=True))
    assert device.configuration.voltage_counters_reset_at is None
    _ask(sim, "6.5", VOLTAGE)
    assert device.configuration.voltage_counters_reset_at == sim.dsp.now()


@pytest.mark.spec("SRV-03", "SRV-02")
def test_6_6_and_6_7_set_what_6_2_8_and_6_2_4_read(sim: Sim) -> None:
    _ask(sim, "6.6", cfg.UpdateGasConversion(Decimal("40.00"), Decimal("1.02000")), GSME)
    _ask(sim, "6.7", GAS_FLOW, GSME)
    gas = _read(sim, "6.2.8", GSME)
    assert gas.conversion == cfg.GasConversion(Decimal("40.0"), Decimal("1.02000"))
    assert gas.flow == cfg.GasFlow(Decimal("1.2345"), 90, 600)
    rsp = _mmc(_ask(sim, "6.2.8", cfg.ReadGasConfiguration(), GSME))
    assert _text(rsp, "ra:CalorificValue") == ["40.0"]
    assert _text(rsp, "ra:UncontrolledGasFlowRate") == ["1.2345"]
    identity = _mmc(_ask(sim, "6.2.4", cfg.ReadIdentity(), GSME))
    assert _text(identity, "ra:Gas/ra:SupplyTamperState") == ["Locked"]
    assert _text(identity, "ra:Gas/ra:SupplyDepletionState") == ["Locked"]


@pytest.mark.spec("SRV-03", "SRV-02")
def test_6_25_sets_the_tamper_state_6_2_4_reads(sim: Sim) -> None:
    assert _read(sim, "6.2.4").supply_tamper_state is SupplyState.UNCHANGED
    _ask(sim, "6.25", cfg.SetSupplyTamperState(SupplyState.LOCKED))
    rsp = _mmc(_ask(sim, "6.2.4", cfg.ReadIdentity()))
    assert _text(rsp, "ra:DeviceIdentifier") == [ESME]
    assert _text(rsp, "ra:Electricity/ra:SupplyTamperState") == ["Locked"]
    assert _text(rsp, "ra:Electricity/ra:MeterVariant") == ["A"]


@pytest.mark.spec("SRV-03", "SRV-02")
def test_6_20_1_and_6_20_2_set_what_6_2_7_reads_and_the_smi_keeps_its_mpxn(sim: Sim) -> None:
    installed = sim.record(ESME).mpxn
    assert _read(sim, "6.2.7").import_mpxn == installed  # as installed: the SMI's
    _ask(sim, "6.20.1", cfg.SetImportMpxn("1312345678111", "1312345678222"))
    _ask(sim, "6.20.2", cfg.SetExportMpan("1312345678333"))
    read = _read(sim, "6.2.7")
    assert read == cfg.MpxnRead(False, "1312345678111", "1312345678222", "1312345678333")
    rsp = _mmc(_ask(sim, "6.2.7", cfg.ReadMpxn()))
    assert _text(rsp, "ra:Electricity/ra:SecondaryImportMPAN") == ["1312345678222"]
    assert sim.record(ESME).mpxn == installed  # Decision: 8.4 moves the SMI, not 6.20.1
    _ask(sim, "6.20.1", cfg.SetImportMpxn(import_mprn="1234567890"), GSME)
    assert _read(sim, "6.2.7", GSME) == cfg.MpxnRead(True, "1234567890")


@pytest.mark.spec("SRV-03")
def test_content_for_the_other_fuel_is_refused_by_the_meter_and_logged(sim: Sim) -> None:
    _ask(sim, "6.20.1", cfg.SetImportMpxn(import_mprn="1234567890"))
    assert _read(sim, "6.2.7").import_mpxn == sim.record(ESME).mpxn
    log = _ask(sim, "6.13", cfg.ReadEventOrSecurityLog(LONG_AGO, FAR_AHEAD, cfg.LogToRead.EVENT))
    assert [e.code for e in log.body.entries] == [EventCode.COMMAND_NOT_ACTIONED]


@pytest.mark.spec("SRV-03", "SRV-02")
def test_6_22_sets_what_6_2_10_reads(sim: Sim) -> None:
    before = _read(sim, "6.2.10")
    assert before.value(0x810D, AlertSetting.HAN_ALERT) is False  # factory
    assert before.value(0x810D, AlertSetting.WAN_ALERT) is True
    _ask(sim, "6.22", ALERTS)
    after = _ask(sim, "6.2.10", cfg.ReadAlertBehaviours())
    assert after.body.value(0x810D, AlertSetting.HAN_ALERT) is True
    rsp = _mmc(after)
    path = "ra:ElectricitySupplierAlertEventSettings/ra:ElectricitySupplierHANAlertSettings"
    assert _text(rsp, f"{path}/ra:SupplierESMECommon/ra:x810D") == ["Enable"]
    assert not _text(rsp, f"{path}/ra:SupplierESMEPolyPhase/*")  # single phase


@pytest.mark.spec("SRV-03", "SRV-02")
def test_6_2_10_answers_the_network_operator_its_own_settings(sim: Sim) -> None:
    changes = (cfg.AlertChange(0x8014, AlertSetting.EVENT_LOG, False),)
    group = cfg.AlertGroup.ELECTRICITY_NETWORK_OPERATOR_LOGGING
    _ask(sim, "6.22", cfg.ConfigureAlertBehaviour(group, changes), user=NETWORK_OPERATOR)
    read = _ask(sim, "6.2.10", cfg.ReadAlertBehaviours(), user=NETWORK_OPERATOR)
    assert read.body.audience is cfg.AlertAudience.ELECTRICITY_NETWORK_OPERATOR
    assert read.body.value(0x8014, AlertSetting.EVENT_LOG) is False
    assert read.body.value(0x8002, AlertSetting.WAN_ALERT) is True  # single phase
    as_supplier = _read(sim, "6.2.10", user=SUPPLIER_A, user_role=UserRole.IMPORT_SUPPLIER)
    assert as_supplier.audience is cfg.AlertAudience.ELECTRICITY_SUPPLIER


@pytest.mark.spec("SRV-03")
def test_6_11_sets_the_device_clock_within_tolerance_only(sim: Sim) -> None:
    device = sim.dsp.state.network.get(ESME)
    configuration_of(device).clock_offset = timedelta(minutes=5)  # the meter's clock drifted
    now = sim.dsp.now()
    refused = _ask(sim, "6.11", cfg.SynchroniseClock(now, 60)).body
    assert not refused.adjusted and refused.status is ClockStatus.UNRELIABLE
    assert refused.device_time == now + timedelta(minutes=5)
    adjusted = _ask(sim, "6.11", cfg.SynchroniseClock(now + timedelta(seconds=1), 600)).body
    assert adjusted.adjusted and adjusted.status is ClockStatus.RELIABLE
    assert device.configuration.clock(now) == now + timedelta(seconds=1)
    rsp = _mmc(_ask(sim, "6.11", cfg.SynchroniseClock(now, 60)))
    assert _text(rsp, "ra:Electricity/ra:ElecClockTimeStatus/ra:TimeStatus") == ["reliable"]
    codes = [e.code for e in device.configuration.logs[LogKind.EVENT]]
    assert codes == [
        EventCode.CLOCK_NOT_ADJUSTED,
        EventCode.CLOCK_ADJUSTED,
        EventCode.CLOCK_ADJUSTED,
    ]


@pytest.mark.spec("SRV-02")
def test_6_2_2_answers_the_meters_own_randomisation(sim: Sim) -> None:
    read = _read(sim, "6.2.2")
    assert 0 <= read.offset <= read.offset_limit
    other = _ask(sim, "6.2.2", cfg.ReadRandomisation(), "00-DB-12-34-56-78-90-A6")
    assert other.body.offset_number != read.offset_number  # per meter, not a constant


@pytest.mark.spec("SRV-03", "SRV-02")
def test_6_13_reads_what_the_meter_logged_and_3_3_clears_it(sim: Sim) -> None:
    period = (LONG_AGO, FAR_AHEAD)
    assert (
        _ask(sim, "6.13", cfg.ReadEventOrSecurityLog(*period, cfg.LogToRead.EVENT)).body.entries
        == ()
    )
    _ask(sim, "6.12", cfg.UpdatePowerThreshold(1, 2))
    log = _ask(sim, "6.13", cfg.ReadEventOrSecurityLog(*period, cfg.LogToRead.EVENT))
    assert [e.code for e in log.body.entries] == [EventCode.COMMAND_ACTIONED]
    rsp = _mmc(log)
    assert _text(rsp, "ra:Log/ra:LogEntry/ra:LogCode") == ["8154"]
    _ask(sim, "3.3", display.ClearEventLog())
    cleared = _ask(sim, "6.13", cfg.ReadEventOrSecurityLog(*period, cfg.LogToRead.EVENT))
    assert cleared.body.entries == ()
    security = _ask(sim, "6.13", cfg.ReadEventOrSecurityLog(*period, cfg.LogToRead.SECURITY))
    assert [e.code for e in security.body.entries] == [EventCode.EVENT_LOG_CLEARED]
    now = sim.dsp.now()
    later = _ask(
        sim,
        "6.13",
        cfg.ReadEventOrSecurityLog(now + timedelta(1), FAR_AHEAD, cfg.LogToRead.SECURITY),
    )
    assert later.body.entries == ()


@pytest.mark.spec("SRV-03")
def test_6_13_gsme_logs_sent_to_the_gpf_read_the_gsme(sim: Sim) -> None:
    _ask(sim, "3.5", display.DisablePrivacyPin(), GSME)
    log = cfg.ReadEventOrSecurityLog(LONG_AGO, FAR_AHEAD, cfg.LogToRead.GSME_EVENT)
    assert [e.code for e in _ask(sim, "6.13", log, GPF).body.entries] == [
        EventCode.COMMAND_ACTIONED
    ]


@pytest.mark.spec("SRV-03")
def test_reads_create_no_state(sim: Sim) -> None:
    before = fingerprint(sim.dsp)
    for srv in ("6.2.1", "6.2.2", "6.2.4", "6.2.5", "6.2.7", "6.2.10", "6.13"):
        _read(sim, srv)
    assert sim.dsp.state.network.get(ESME).configuration is None
    assert fingerprint(sim.dsp) != before  # the responses are queued; the meter is untouched


# -- SRV-05 --------------------------------------------------------------------------------------


@pytest.mark.spec("SRV-05")
def test_a_future_dated_6_12_is_held_by_the_dsp_until_its_time(sim: Sim) -> None:
    when = sim.dsp.now() + timedelta(hours=1)
    answer = sim.send("6.12", cfg.UpdatePowerThreshold(7, 8), target=ESME, execution_datetime=when)
    assert answer.code is ResponseCode.I99
    assert sim.dsp.state.network.get(ESME).configuration is None
    sim.dsp.advance(timedelta(hours=1))
    assert _read(sim, "6.2.5") == cfg.PowerThresholdsRead(7, 8)


# -- BAD-01 --------------------------------------------------------------------------------------


@pytest.mark.spec("BAD-01")
@pytest.mark.parametrize(
    ("srv", "body", "field", "target"),
    [
        ("6.5", cfg.UpdateVoltage(RMS), "body.poly_phase", ESME),
        (
            "6.5",
            cfg.UpdateVoltage(RMS, poly_phase=POLY_VOLTAGE.poly_phase[:2]),
            "body.poly_phase",
            ESME,
        ),
        (
            "6.5",
            cfg.UpdateVoltage(RmsVoltage(-1, 0, 0, 0, 0, 0, 0, 0), single_phase=PHASE),
            "body.rms.extreme_over_period",
            ESME,
        ),
        (
            "6.6",
            cfg.UpdateGasConversion(Decimal("40.12"), Decimal(1)),
            "body.calorific_value",
            GSME,
        ),
        (
            "6.7",
            cfg.UpdateGasFlow(Decimal("6.5536"), SupplyState.LOCKED, SupplyState.LOCKED, 1, 1),
            "body.uncontrolled_rate",
            GSME,
        ),
        ("6.11", cfg.SynchroniseClock(FAR_AHEAD, 86_401), "body.tolerance_period", ESME),
        ("6.12", cfg.UpdatePowerThreshold(10, 9), "body.medium_high", ESME),
        ("6.12", cfg.UpdatePowerThreshold(2**32, 2**32), "body.low_medium", ESME),
        (
            "6.13",
            cfg.ReadEventOrSecurityLog(FAR_AHEAD, LONG_AGO, cfg.LogToRead.EVENT),
            "body.end",
            ESME,
        ),
        ("6.20.1", cfg.SetImportMpxn(import_mpan="123"), "body.import_mpan", ESME),
        ("6.20.1", cfg.SetImportMpxn(), "body.import_mpan", ESME),
        ("6.20.1", cfg.SetImportMpxn(import_mprn="12345678901"), "body.import_mprn", GSME),
        ("6.20.2", cfg.SetExportMpan("13123456783334"), "body.export_mpan", ESME),
        (
            "6.22",
            cfg.ConfigureAlertBehaviour(
                cfg.AlertGroup.GAS_SUPPLIER_ALERTS,
                (cfg.AlertChange(0x8014, AlertSetting.WAN_ALERT, True),),
            ),
            "body.changes[0].code",
            GSME,
        ),
        (
            "6.22",
            cfg.ConfigureAlertBehaviour(ALERTS.group, ALERTS.changes * 2),
            "body.changes[1]",
            ESME,
        ),
        ("6.25", cfg.SetSupplyTamperState("Broken"), "body.state", ESME),
    ],
)
def test_a_malformed_body_is_refused_naming_its_field_and_changes_nothing(
    sim: Sim, srv: str, body: RequestBody, field: str, target: str
) -> None:
    before = fingerprint(sim.dsp)
    with pytest.raises(InvalidField) as refused:
        sim.send(srv, body, target=target, user=_sender(srv))
    assert refused.value.field == field
    assert fingerprint(sim.dsp) == before  # no counter consumed, nothing queued or changed


# -- DUIS ----------------------------------------------------------------------------------------


@pytest.mark.spec("SRV-01")
def test_the_rtds_bodies_read_as_the_core_expects() -> None:
    poly = parse_request(
        (RTDS_DIR / "ECS29d_6.5_SUCCESS_REQUEST_DUIS.XML").read_bytes()
    ).request.body
    assert [p.phase for p in poly.poly_phase] == [1, 2, 3] and poly.counters_not_reset
    flows = [
        parse_request((RTDS_DIR / name).read_bytes()).request.body.uncontrolled_rate
        for name in ("GCS24_6.7_SUCCESS_REQUEST_DUIS.XML", "GCS24a_6.7_SUCCESS_REQUEST_DUIS.XML")
    ]
    assert flows == [Decimal("6.1680"), Decimal("6.1680")]
    gas = parse_request(
        (RTDS_DIR / "GCS20_6.22_SUCCESS_REQUEST_DUIS.XML").read_bytes()
    ).request.body
    assert gas.group is cfg.AlertGroup.GAS_SUPPLIER_ALERT_EVENT_SETTINGS
    assert len(gas.changes) == 11 * 4
    twin = parse_request((RTDS_DIR / "ECS39a_6.20.1_TWIN_SUCCESS_REQUEST_DUIS.XML").read_bytes())
    assert twin.request.body == cfg.SetImportMpxn("1312345678111", "1312345678222")


@pytest.mark.spec("BAD-01")
def test_a_duis_body_out_of_schema_is_refused_naming_its_element() -> None:
    document = (RTDS_DIR / "ECS34_6.12_SUCCESS_REQUEST_DUIS.XML").read_bytes()
    bad = document.replace(b">4600<", b">-4600<")
    with pytest.raises(InvalidField, match="MediumHighPowerThreshold"):
        parse_request(bad)


# -- gRPC ----------------------------------------------------------------------------------------


@pytest.mark.spec("SRV-01", "SRV-02")
def test_grpc_bodies_and_answers_convert(sim: Sim) -> None:
    message = supplier_pb2.SubmitRequest(
        request_id=f"{SUPPLIER_A}:{ESME}:1", service_reference_variant="6.12", command_variant=1
    )
    message.update_device_configuration_power_threshold.CopyFrom(
        configuration_pb2.CfgUpdatePowerThreshold(low_medium=111, medium_high=222)
    )
    assert convert.service_request(message).body == cfg.UpdatePowerThreshold(111, 222)
    alerts = supplier_pb2.SubmitRequest(
        request_id=f"{SUPPLIER_A}:{ESME}:2", service_reference_variant="6.22", command_variant=1
    )
    alerts.configure_alert_behaviour.group = "ElectricitySupplierHANAlertSettings"
    alerts.configure_alert_behaviour.changes.add(code=0x810D, setting="HANAlert", enabled=True)
    assert convert.service_request(alerts).body == ALERTS
    alerts.configure_alert_behaviour.changes[0].setting = "Siren"
    with pytest.raises(InvalidField, match=r"body\.changes\[0\]\.setting"):
        convert.service_request(alerts)

    _ask(sim, "6.12", cfg.UpdatePowerThreshold(111, 222))
    read = convert.delivery(_entry(sim, _ask(sim, "6.2.5", cfg.ReadPowerThresholds())))
    assert read.service_response.power_thresholds.medium_high == 222
    log = convert.delivery(
        _entry(
            sim,
            _ask(sim, "6.13", cfg.ReadEventOrSecurityLog(LONG_AGO, FAR_AHEAD, cfg.LogToRead.EVENT)),
        )
    )
    assert [e.code for e in log.service_response.event_or_security_log.entries] == [0x8154]


def _entry(sim: Sim, response: ServiceResponse):  # an OutboxEntry
    [entry] = [e for e in sim.dsp.pending(SUPPLIER_A) if e.message is response]
    return entry
