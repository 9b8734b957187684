"""The meter-data reads and their configuration (server/core/services/reads.py,
devices/meter_data.py): every SRV is served (SRV-01), its answer comes from the meter's model and
state (SRV-02), reads agree with each other and with virtual time, writes show in the matching
reads (SRV-03), a future-dated 6.4.1 is held by the ESME (SRV-05), and a malformed body is
refused by name with nothing changed (BAD-01)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from lxml import etree

from dccsim.devices.consumption import HALF_HOUR, ConsumptionProfile
from dccsim.devices.meter_data import LoadLimitSupplyState, VoltagePhase
from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.fingerprint import fingerprint
from dccsim.server.core.messages import ServiceResponse
from dccsim.server.core.records import DuisVersion
from dccsim.server.core.requests import RequestBody
from dccsim.server.core.services import REGISTRY
from dccsim.server.core.services import reads as r
from dccsim.server.duis.build import build_outbox_message, read_gbcs_payload
from dccsim.server.duis.parse import parse_request
from dccsim.server.rpc import convert
from dccsim.v1 import reads_pb2, supplier_pb2
from tests.conftest import CHF, ESME, GPF, GSME, NETWORK_OPERATOR, RTDS_DIR, SUPPLIER_A, Sim
from tests.duis.documents import OfficialSchemas

RA = {"ra": "http://www.dccinterface.co.uk/ResponseAndAlert"}
SR = {"sr": "http://www.dccinterface.co.uk/ServiceUserGateway"}
DAY = timedelta(days=1)
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)
FAR_AHEAD = datetime(2100, 1, 1, tzinfo=UTC)
# The SRVs only a network operator (ED, or GT for 14.1) may send (the matrix).
_ED_ONLY = {"6.18.1", "6.18.2", "6.27", "14.1"}  # (14.1: GT)
SETTINGS = r.UpdateLoadLimitingSettings(300, 6900, 30, LoadLimitSupplyState.DISABLE)


_CONFIG_RESET = b"MaxDemandConfigTimeActivePowerImportValue"


def _user(srv: str) -> str:
    return NETWORK_OPERATOR if srv in _ED_ONLY else SUPPLIER_A


def _ask(sim: Sim, srv: str, body: RequestBody, target: str = ESME, **extra) -> ServiceResponse:
    """Send the SR (the two-leg flow for a critical one) and return the device's response."""
    user = _user(srv)
    if srv == "6.4.1":
        answer = sim.send_critical(srv, body, target=target, user=user, **extra)
    else:
        answer = sim.send(srv, body, target=target, user=user, **extra)
    assert answer.code is ResponseCode.I99, answer
    response = sim.messages(user)[-1]
    assert isinstance(response, ServiceResponse)
    assert response.request_id == answer.request_id
    assert response.code is ResponseCode.I0
    return response


def _read(sim: Sim, srv: str, body: RequestBody, target: str = ESME):
    return _ask(sim, srv, body, target).body


def _mmc(response: ServiceResponse, version: DuisVersion = DuisVersion.V5_2) -> etree._Element:
    document = build_outbox_message(response, version, recipient=SUPPLIER_A)
    [payload] = etree.fromstring(document).xpath("//sr:GBCSPayload/text()", namespaces=SR)
    return read_gbcs_payload(str(payload))


def _readings(sim: Sim, device_id: str = ESME):
    return sim.dsp.state.network.readings(sim.dsp.state.network.get(device_id))


def _with_solar_export(sim: Sim) -> None:
    """The example ESME exports nothing; give it solar panels."""
    model = sim.dsp.state.network.consumption
    model.overrides[ESME] = ConsumptionProfile(daily=7_400, export_daily=4_000)


def _midnight(sim: Sim) -> datetime:
    return sim.dsp.now().replace(hour=0, minute=0, second=0, microsecond=0)


# -- SRV-01 --------------------------------------------------------------------------------------

_PERIOD = r.LogRead(LONG_AGO, FAR_AHEAD)
BODIES: dict[str, RequestBody] = {
    "4.1.1": r.ReadInstantaneousImportRegisters(),
    "4.2": r.ReadInstantaneousExportRegisters(),
    "4.6.1": r.RetrieveImportDailyReadLog(LONG_AGO, FAR_AHEAD),
    "4.6.2": r.RetrieveExportDailyReadLog(LONG_AGO, FAR_AHEAD),
    "4.8.1": r.ReadActiveImportProfileData(LONG_AGO, FAR_AHEAD),
    "4.8.2": r.ReadReactiveImportProfileData(LONG_AGO, FAR_AHEAD),
    "4.8.3": r.ReadExportProfileData(LONG_AGO, FAR_AHEAD),
    "4.10": r.ReadNetworkData(LONG_AGO, FAR_AHEAD),
    "4.12.1": r.ReadMaximumDemandImportRegisters(),
    "4.12.2": r.ReadMaximumDemandExportRegisters(),
    "4.15": r.ReadLoadLimitData(),
    "4.16": r.ReadActivePowerImport(),
    "4.17": r.RetrieveDailyConsumptionLog(LONG_AGO, FAR_AHEAD),
    "6.4.1": SETTINGS,
    "6.4.2": r.ResetLoadLimitingCounter(),
    "6.18.1": r.SetMaximumDemandPeriod(time(17), time(22)),
    "6.18.2": r.ResetMaximumDemandRegisters(True, True, True),
    "6.27": r.ResetRmsVoltageCounters(),
}
_GAS_TOO = {"4.1.1", "4.6.1", "4.8.1", "4.10", "4.17"}


@pytest.mark.spec("SRV-01")
def test_the_family_serves_its_eighteen_srvs() -> None:
    assert set(BODIES) == {spec.srv for spec in r.family.specs}
    assert all(srv in REGISTRY for srv in BODIES)


@pytest.mark.spec("SRV-01", "SRV-02")
@pytest.mark.parametrize("srv", sorted(BODIES))
def test_each_srv_is_answered_by_an_esme_and_refused_where_it_does_not_apply(
    sim: Sim, srv: str
) -> None:
    response = _ask(sim, srv, BODIES[srv])
    assert response.body is None or type(response.body) in REGISTRY[srv].responses
    for target in (GSME, GPF):
        if srv in _GAS_TOO:
            assert _ask(sim, srv, BODIES[srv], target=target).body is not None
        elif srv != "6.4.1":
            assert sim.send(srv, BODIES[srv], target=target, user=_user(srv)).code in (
                ResponseCode.E11
            )
    if srv != "6.4.1":
        assert sim.send(srv, BODIES[srv], target=CHF, user=_user(srv)).code is ResponseCode.E11


@pytest.mark.spec("SRV-01", "SRV-02")
def test_every_answer_is_valid_for_both_schema_families(sim: Sim) -> None:
    schemas = OfficialSchemas.load()
    _with_solar_export(sim)
    _ask(sim, "6.18.1", BODIES["6.18.1"])
    _ask(sim, "14.1", _record_network_data(), target=GSME)
    sim.dsp.advance(timedelta(days=2, hours=1))
    # Two days of each log: enough to show every element, small enough to validate quickly.
    recent = {
        srv: replace(body, start=sim.dsp.now() - 2 * DAY) if isinstance(body, r.LogRead) else body
        for srv, body in BODIES.items()
    }
    responses = [_ask(sim, srv, body) for srv, body in recent.items()]
    responses += [_ask(sim, srv, recent[srv], target=GSME) for srv in sorted(_GAS_TOO)]
    for response in responses:
        for version in (DuisVersion.V5_1, DuisVersion.V5_2):
            document = build_outbox_message(response, version, recipient=_user(response.srv))
            schemas.assert_valid(document, version)


# -- SRV-02 / SRV-03: registers and logs ---------------------------------------------------------


@pytest.mark.spec("SRV-02", "SRV-03")
def test_the_import_register_is_the_models_and_grows_with_virtual_time(sim: Sim) -> None:
    readings = _readings(sim)
    first = _read(sim, "4.1.1", BODIES["4.1.1"])
    start = sim.dsp.now()
    assert first.active == readings.import_register(start)
    sim.dsp.advance(timedelta(days=3, hours=5))
    second = _read(sim, "4.1.1", BODIES["4.1.1"])
    assert second.active - first.active == readings.import_between(start, sim.dsp.now()) > 0
    assert second.reactive > first.reactive > 0
    rsp = _mmc(_ask(sim, "4.1.1", BODIES["4.1.1"]))
    value = rsp.xpath("//ra:Electricity/ra:ActiveImportRegister/ra:Value/text()", namespaces=RA)
    assert value == [str(second.active)]


@pytest.mark.spec("SRV-02", "SRV-03")
def test_a_gsme_and_its_gpf_read_the_same_gas_register_in_m3(sim: Sim) -> None:
    gsme = _read(sim, "4.1.1", BODIES["4.1.1"], target=GSME)
    gpf = _read(sim, "4.1.1", BODIES["4.1.1"], target=GPF)
    litres = _readings(sim, GSME).import_register(sim.dsp.now())
    assert gsme.volume == gpf.volume == Decimal(litres) / 1000
    rsp = _mmc(_ask(sim, "4.1.1", BODIES["4.1.1"], target=GPF))
    assert rsp.xpath("//ra:Gas/ra:ConsumptionRegister/ra:Unit/text()", namespaces=RA) == ["m3"]


@pytest.mark.spec("SRV-02", "SRV-03")
def test_the_export_register_and_its_daily_log_agree(sim: Sim) -> None:
    _with_solar_export(sim)
    sim.dsp.advance(timedelta(days=2))
    readings = _readings(sim)
    registers = _read(sim, "4.2", BODIES["4.2"])
    assert registers.active == readings.export_register(sim.dsp.now())
    log = _read(sim, "4.6.2", BODIES["4.6.2"])
    midnight = _midnight(sim)
    assert log.entries[-1] == r.LogValue(midnight, readings.export_register(midnight))


@pytest.mark.spec("SRV-03")
def test_the_daily_read_log_is_the_register_at_each_midnight_and_holds_31(sim: Sim) -> None:
    sim.dsp.advance(timedelta(days=40, hours=7))
    readings = _readings(sim)
    log = _read(sim, "4.6.1", BODIES["4.6.1"])
    assert len(log.entries) == r.DAILY_READ_DAYS
    assert log.entries[-1].timestamp == _midnight(sim)
    for entry in log.entries:
        assert entry.timestamp.hour == entry.timestamp.minute == 0
        assert entry.value == readings.import_register(entry.timestamp)
    # A period selects its midnights, both ends included.
    end = _midnight(sim) - 2 * DAY
    window = _read(sim, "4.6.1", r.RetrieveImportDailyReadLog(end - 2 * DAY, end))
    assert [e.timestamp for e in window.entries] == [end - 2 * DAY, end - DAY, end]
    rsp = _mmc(_ask(sim, "4.6.1", r.RetrieveImportDailyReadLog(end, end)))
    value = rsp.xpath(
        "//ra:LogEntry/ra:Electricity/ra:ElecActiveImportRegisterConsumption/text()", namespaces=RA
    )
    assert value == [str(readings.import_register(end))]


@pytest.mark.spec("SRV-03")
def test_daily_consumption_is_the_difference_of_the_daily_read_log(sim: Sim) -> None:
    sim.dsp.advance(timedelta(days=10))
    for target in (ESME, GSME):
        log = _read(sim, "4.6.1", BODIES["4.6.1"], target=target).entries
        consumption = _read(sim, "4.17", BODIES["4.17"], target=target).entries
        by_day = {entry.timestamp: entry.value for entry in consumption}
        for before, after in pairwise(log):
            assert by_day[after.timestamp] == after.value - before.value


@pytest.mark.spec("SRV-03")
def test_a_days_48_half_hours_sum_to_the_registers_growth(sim: Sim) -> None:
    sim.dsp.advance(timedelta(days=2))
    day = _midnight(sim) - DAY
    profile = _read(sim, "4.8.1", r.ReadActiveImportProfileData(day, day + DAY)).entries
    assert len(profile) == 48
    assert [e.timestamp for e in profile] == [day + i * HALF_HOUR for i in range(48)]
    log = _read(sim, "4.6.1", r.RetrieveImportDailyReadLog(day, day + DAY)).entries
    assert sum(e.value for e in profile) == log[1].value - log[0].value
    # Gas too, in m3.
    gas = _read(sim, "4.8.1", r.ReadActiveImportProfileData(day, day + DAY), target=GSME)
    gas_log = _read(sim, "4.6.1", r.RetrieveImportDailyReadLog(day, day + DAY), target=GSME)
    assert sum(e.value for e in gas.entries) == gas_log.entries[1].value - gas_log.entries[0].value
    # Only half-hours that have ended are in the log.
    latest = _read(sim, "4.8.1", r.ReadActiveImportProfileData(sim.dsp.now() - DAY, FAR_AHEAD))
    assert latest.entries[-1].timestamp + HALF_HOUR <= sim.dsp.now()


@pytest.mark.spec("SRV-03")
def test_reactive_and_export_profiles_are_differences_of_their_registers(sim: Sim) -> None:
    _with_solar_export(sim)
    sim.dsp.advance(timedelta(days=1, hours=13))
    start = _midnight(sim)
    before = _read(sim, "4.1.1", BODIES["4.1.1"])
    reactive = _read(sim, "4.8.2", r.ReadReactiveImportProfileData(start, FAR_AHEAD)).entries
    export = _read(sim, "4.8.3", r.ReadExportProfileData(start, FAR_AHEAD)).entries
    assert len(reactive) == len(export) == 26
    exported = _readings(sim).export_between(start, start + 26 * HALF_HOUR)
    assert sum(e.active for e in export) == exported > 0
    assert sum(e.value for e in reactive) > 0
    assert before.reactive >= sum(e.value for e in reactive)


# -- maximum demand (4.12.x, 6.18.x) -------------------------------------------------------------


@pytest.mark.spec("SRV-03")
def test_maximum_demand_is_the_largest_half_hour_since_the_reset(sim: Sim) -> None:
    sim.dsp.advance(timedelta(hours=7, minutes=10))
    _ask(sim, "6.18.2", BODIES["6.18.2"])
    reset_at = sim.dsp.now()
    just_reset = _read(sim, "4.12.1", BODIES["4.12.1"]).active
    assert just_reset == r.MaximumDemand(0, None, reset_at)
    sim.dsp.advance(timedelta(days=2, hours=3))
    demand = _read(sim, "4.12.1", BODIES["4.12.1"]).active
    profile = _read(sim, "4.8.1", r.ReadActiveImportProfileData(reset_at, FAR_AHEAD)).entries
    largest = max(profile, key=lambda e: e.value)
    assert demand.value == 2 * largest.value  # Wh in half an hour -> W
    assert demand.captured_at == largest.timestamp + HALF_HOUR
    assert demand.last_reset == reset_at
    rsp = _mmc(_ask(sim, "4.12.1", BODIES["4.12.1"]))
    md = rsp.xpath("//ra:MaxDemandActiveEnergyImport", namespaces=RA)[0]
    assert md.findtext("ra:Value", namespaces=RA) == str(demand.value)
    assert md.findtext("ra:LastResetDateTime", namespaces=RA).startswith(
        reset_at.strftime("%Y-%m-%dT%H:%M:%S")
    )


@pytest.mark.spec("SRV-03")
def test_a_never_reset_register_is_never_below_a_reset_one(sim: Sim) -> None:
    _with_solar_export(sim)
    never = _read(sim, "4.12.2", BODIES["4.12.2"]).active
    assert never.last_reset is None and never.value > 0
    # Never reset: the largest half-hour of the 13 months the profile log holds.
    held = _read(sim, "4.8.1", r.ReadActiveImportProfileData(LONG_AGO, FAR_AHEAD)).entries
    assert len(held) == r.ACTIVE_PROFILE_HALF_HOURS
    largest = max(held, key=lambda e: e.value)
    assert _read(sim, "4.12.1", BODIES["4.12.1"]).active == r.MaximumDemand(
        2 * largest.value, largest.timestamp + HALF_HOUR, None
    )
    _ask(sim, "6.18.2", r.ResetMaximumDemandRegisters(active_export=True))
    sim.dsp.advance(timedelta(days=1))
    after = _read(sim, "4.12.2", BODIES["4.12.2"]).active
    assert after.last_reset is not None and 0 < after.value <= never.value
    # 6.18.2 reset only the register it named.
    assert _read(sim, "4.12.1", BODIES["4.12.1"]).active.last_reset is None


@pytest.mark.spec("SRV-03")
def test_the_configurable_period_counts_only_its_window(sim: Sim) -> None:
    assert _read(sim, "4.12.1", BODIES["4.12.1"]).configurable is None
    _ask(sim, "6.18.1", r.SetMaximumDemandPeriod(time(17), time(22)))
    _ask(sim, "6.18.2", r.ResetMaximumDemandRegisters(configurable_time_import=True))
    reset_at = sim.dsp.now()
    sim.dsp.advance(timedelta(days=3))
    read = _read(sim, "4.12.1", BODIES["4.12.1"])
    assert read.window == r.DemandWindow(time(17), time(22))
    profile = _read(sim, "4.8.1", r.ReadActiveImportProfileData(reset_at, FAR_AHEAD)).entries
    evening = [e for e in profile if 17 <= e.timestamp.hour < 22]
    assert read.configurable.value == 2 * max(e.value for e in evening)
    rsp = _mmc(_ask(sim, "4.12.1", BODIES["4.12.1"]))
    period = rsp.xpath("//ra:MaxDemandConfigurableTimePeriod", namespaces=RA)[0]
    assert period.findtext("ra:StartTime", namespaces=RA) == "17:00:00.000Z"


# -- load limiting (4.15, 6.4.x) and active power (4.16) -----------------------------------------


@pytest.mark.spec("SRV-03")
def test_load_limit_settings_read_back_and_the_counter_counts_and_resets(sim: Sim) -> None:
    assert _read(sim, "4.15", BODIES["4.15"]) == r.LoadLimitData(0, None)
    low = r.UpdateLoadLimitingSettings(1800, 600, 30, LoadLimitSupplyState.UNCHANGED)
    _ask(sim, "6.4.1", low)
    since = sim.dsp.now()
    sim.dsp.advance(timedelta(days=2))
    data = _read(sim, "4.15", BODIES["4.15"])
    assert (data.settings.power_threshold, data.settings.period) == (600, 1800)
    profile = _read(sim, "4.8.1", r.ReadActiveImportProfileData(since, FAR_AHEAD)).entries
    runs, run = 0, 0
    for entry in profile:
        run = run + 1 if 2 * entry.value > 600 else 0
        runs += run == 1
    assert data.counter == runs > 0
    rsp = _mmc(_ask(sim, "4.15", BODIES["4.15"]))
    assert rsp.xpath("//ra:LoadLimitCounterValue/text()", namespaces=RA) == [str(runs)]
    assert rsp.xpath("//ra:LoadLimitSupplyState/text()", namespaces=RA) == ["Unchanged"]
    _ask(sim, "6.4.2", BODIES["6.4.2"])
    assert _read(sim, "4.15", BODIES["4.15"]).counter == 0


@pytest.mark.spec("SRV-02")
def test_active_power_is_the_current_half_hours_average(sim: Sim) -> None:
    sim.dsp.advance(timedelta(hours=18, minutes=10))  # the evening peak
    start = sim.dsp.now().replace(minute=0)
    power = _read(sim, "4.16", BODIES["4.16"])
    assert power.watts == 2 * _readings(sim).import_between(start, start + HALF_HOUR) > 0


@pytest.mark.spec("SRV-05", "SRV-03")
def test_a_future_dated_load_limit_setting_is_held_by_the_esme_until_its_time(sim: Sim) -> None:
    due = sim.dsp.now() + timedelta(hours=6)
    response = _ask(sim, "6.4.1", SETTINGS, execution_datetime=due)
    assert response.body is None  # the ESME acknowledges at once
    assert _read(sim, "4.15", BODIES["4.15"]).settings is None
    sim.dsp.advance(timedelta(hours=6))
    settings = _read(sim, "4.15", BODIES["4.15"]).settings
    assert settings.power_threshold == 6900 and settings.since == due
    # 3000-12-31 cancels what is held.
    later = r.UpdateLoadLimitingSettings(60, 100, 5, LoadLimitSupplyState.DISABLE)
    _ask(sim, "6.4.1", later, execution_datetime=sim.dsp.now() + DAY)
    cancel = datetime(3000, 12, 31, tzinfo=UTC)
    _ask(sim, "6.4.1", later, execution_datetime=cancel)
    sim.dsp.advance(2 * DAY)
    assert _read(sim, "4.15", BODIES["4.15"]).settings.power_threshold == 6900


# -- network data (4.10, 6.27) -------------------------------------------------------------------


@pytest.mark.spec("SRV-02", "SRV-03")
def test_voltage_counters_agree_with_the_profile_log_and_6_27_resets_them(sim: Sim) -> None:
    sim.dsp.advance(timedelta(days=20))
    _ask(sim, "6.27", BODIES["6.27"])
    reset_at = sim.dsp.now()
    assert _read(sim, "4.10", BODIES["4.10"]).phases[0].over_voltage_count == 0
    sim.dsp.advance(timedelta(days=14))
    [phase] = _read(sim, "4.10", BODIES["4.10"]).phases
    since = [e for e in phase.profile if e.timestamp >= reset_at]
    assert phase.over_voltage_count == sum(e.value > 253 for e in since) > 0
    assert phase.under_voltage_count == sum(e.value < 216 for e in since) > 0
    assert phase.measurement_period == 600
    model = VoltagePhase.of(ESME, 1)
    assert all(Decimal("212") <= e.value < Decimal("258") for e in phase.profile)
    assert len(model.tenths) >= 300
    rsp = _mmc(_ask(sim, "4.10", BODIES["4.10"]))
    counter = "//ra:SinglePhaseESME/ra:AvgRMSOverVoltageCounter/ra:Value/text()"
    assert rsp.xpath(counter, namespaces=RA) == [str(phase.over_voltage_count)]


@pytest.mark.spec("SRV-02", "SRV-03")
def test_gas_network_data_reads_what_14_1_recorded(sim: Sim) -> None:
    assert _read(sim, "4.10", BODIES["4.10"], target=GSME).samples is None
    _ask(sim, "14.1", _record_network_data(), target=GSME)
    sim.dsp.advance(timedelta(minutes=30))
    samples = _read(sim, "4.10", BODIES["4.10"], target=GSME).samples
    assert len(samples) == 6
    assert _read(sim, "4.10", BODIES["4.10"], target=GPF).samples == samples
    rsp = _mmc(_ask(sim, "4.10", BODIES["4.10"], target=GSME))
    assert len(rsp.xpath("//ra:Gas/ra:NetworkDataLog/ra:LogEntry", namespaces=RA)) == 6


def _record_network_data() -> RequestBody:
    from dccsim.server.core.services.customer_and_network import RecordNetworkDataGas

    return RecordNetworkDataGas()


@pytest.mark.spec("SRV-02")
def test_reads_make_no_state(sim: Sim) -> None:
    for srv, body in BODIES.items():
        if srv.startswith("4."):
            _ask(sim, srv, body)
    device = sim.dsp.state.network.get(ESME)
    assert device.meter_data is None and device.configuration is None


# -- BAD-01 --------------------------------------------------------------------------------------


@pytest.mark.spec("BAD-01")
@pytest.mark.parametrize(
    ("srv", "body", "field"),
    [
        ("4.6.1", r.RetrieveImportDailyReadLog(FAR_AHEAD, LONG_AGO), "body.end"),
        ("4.8.1", r.ReadActiveImportProfileData(datetime(2026, 1, 1), FAR_AHEAD), "body.start"),
        (
            "4.8.2",
            r.ReadReactiveImportProfileData(LONG_AGO, FAR_AHEAD, b"ka"),
            "body.ka_credentials",
        ),
        ("4.17", r.RetrieveDailyConsumptionLog(LONG_AGO, FAR_AHEAD, "ka"), "body.ka_credentials"),
        (
            "6.4.1",
            r.UpdateLoadLimitingSettings(-1, 1, 1, LoadLimitSupplyState.DISABLE),
            "body.period",
        ),
        (
            "6.4.1",
            r.UpdateLoadLimitingSettings(1, 2**32, 1, LoadLimitSupplyState.DISABLE),
            "body.power_threshold",
        ),
        ("6.4.1", r.UpdateLoadLimitingSettings(1, 1, 1, "Disable"), "body.supply_state"),
        ("6.18.1", r.SetMaximumDemandPeriod("17:00", time(22)), "body.start"),
        ("6.18.2", r.ResetMaximumDemandRegisters(1, False, False), "body.active_import"),
    ],
)
def test_a_bad_body_is_refused_by_name_and_changes_nothing(
    sim: Sim, srv: str, body: RequestBody, field: str
) -> None:
    _ask(sim, "6.4.1", SETTINGS)  # an ESME with a state of its own
    before = fingerprint(sim.dsp)
    request = sim.request(srv, body, target=ESME, user=_user(srv))
    with pytest.raises(InvalidField) as refused:
        sim.dsp.submit(request)
    assert refused.value.field == field
    assert fingerprint(sim.dsp) == before  # no counter consumed, nothing queued, no change


@pytest.mark.spec("BAD-01")
@pytest.mark.parametrize(
    ("template", "old", "new", "element"),
    [
        ("ECS37_6.18.1_SUCCESS_REQUEST_DUIS.XML", b">17:00:00.00Z<", b">25:00:00Z<", "StartTime"),
        ("ECS37_6.18.1_SUCCESS_REQUEST_DUIS.XML", b">22:00:00.00Z<", b">10pm<", "EndTime"),
        (
            "ECS28a_6.4.1_IMMEDIATE_SUCCESS_REQUEST_DUIS.XML",
            b">Disable<",
            b">Off<",
            "LoadLimitSupplyState",
        ),
        (
            "ECS28a_6.4.1_IMMEDIATE_SUCCESS_REQUEST_DUIS.XML",
            b">6900<",
            b">4294967296<",
            "LoadLimitPowerThreshold",
        ),
        (
            "ECS57_6.18.2_SOME_OPTIONALS_SUCCESS_REQUEST_DUIS.XML",
            b"Value/>",
            b"Value>x</sr:" + _CONFIG_RESET + b">",
            "MaxDemandConfigTimeActivePowerImportValue",
        ),
        (
            "ECS22b_4.8.1_SINGLE_SUCCESS_REQUEST_DUIS.XML",
            b"2015-01-01T00:00:00.00Z",
            b"tomorrow",
            "ReadLogPeriod/EndDateTime",
        ),
    ],
)
def test_a_bad_duis_body_names_its_element(
    template: str, old: bytes, new: bytes, element: str
) -> None:
    document = (RTDS_DIR / template).read_bytes()
    assert old in document
    with pytest.raises(InvalidField) as refused:
        parse_request(document.replace(old, new, 1))
    assert element in refused.value.field


@pytest.mark.spec("SRV-01")
def test_the_rtds_bodies_read_as_the_core_bodies() -> None:
    def body(name: str) -> object:
        return parse_request((RTDS_DIR / name).read_bytes()).request.body

    assert body("ECS37_6.18.1_SUCCESS_REQUEST_DUIS.XML") == r.SetMaximumDemandPeriod(
        time(17), time(22)
    )
    assert body("ECS57_6.18.2_SOME_OPTIONALS_SUCCESS_REQUEST_DUIS.XML") == (
        r.ResetMaximumDemandRegisters(False, False, True)
    )
    assert body("ECS28a_6.4.1_IMMEDIATE_SUCCESS_REQUEST_DUIS.XML") == SETTINGS
    gpf_log = body("GCS61_4.17_SUCCESS_REQUEST_DUIS.XML")
    assert isinstance(gpf_log, r.RetrieveDailyConsumptionLog) and gpf_log.ka_credentials
    start = datetime(2014, 12, 31, tzinfo=UTC)
    assert body("ECS22b_4.8.1_SINGLE_SUCCESS_REQUEST_DUIS.XML") == (
        r.ReadActiveImportProfileData(start, start + DAY)
    )


# -- gRPC ----------------------------------------------------------------------------------------


def _entry(sim: Sim, response: ServiceResponse):
    user = _user(response.srv)
    return next(e for e in sim.dsp.pending(user) if e.message is response)


@pytest.mark.spec("SRV-01", "SRV-02")
def test_grpc_bodies_and_answers_convert(sim: Sim) -> None:
    message = supplier_pb2.SubmitRequest(
        request_id=f"{SUPPLIER_A}:{ESME}:1", service_reference_variant="6.4.1", command_variant=4
    )
    message.update_load_limiting_settings.CopyFrom(
        reads_pb2.UpdateLoadLimitingSettings(
            period=300,
            power_threshold=6900,
            restoration_period=30,
            supply_state=reads_pb2.LOAD_LIMIT_SUPPLY_STATE_DISABLE,
        )
    )
    assert convert.service_request(message).body == SETTINGS
    message.update_load_limiting_settings.supply_state = 0
    with pytest.raises(InvalidField, match=r"body\.supply_state"):
        convert.service_request(message)
    period = supplier_pb2.SubmitRequest(
        request_id=f"{NETWORK_OPERATOR}:{ESME}:2",
        service_reference_variant="6.18.1",
        command_variant=1,
    )
    period.set_maximum_demand_period.start_time = "17:00:00"
    period.set_maximum_demand_period.end_time = "22:00"
    assert convert.service_request(period).body == r.SetMaximumDemandPeriod(time(17), time(22))
    period.set_maximum_demand_period.end_time = "22h"
    with pytest.raises(InvalidField, match=r"body\.end"):
        convert.service_request(period)
    log = supplier_pb2.SubmitRequest(
        request_id=f"{SUPPLIER_A}:{ESME}:3", service_reference_variant="4.8.1", command_variant=1
    )
    log.read_active_import_profile_data.start.FromDatetime(LONG_AGO)
    with pytest.raises(InvalidField, match=r"body\.end"):
        convert.service_request(log)

    sim.dsp.advance(timedelta(days=1))
    day = _midnight(sim) - DAY
    profile = _ask(sim, "4.8.1", r.ReadActiveImportProfileData(day, day + DAY))
    delivered = convert.delivery(_entry(sim, profile)).service_response
    assert delivered.WhichOneof("body") == "meter_log"
    assert [e.units for e in delivered.meter_log.entries] == [e.value for e in profile.body.entries]
    gas = _ask(sim, "4.1.1", BODIES["4.1.1"], target=GSME)
    register = convert.delivery(_entry(sim, gas)).service_response.import_registers.gas
    assert Decimal(register.volume_m3) == gas.body.volume
    _ask(sim, "6.4.1", SETTINGS)
    limit = convert.delivery(_entry(sim, _ask(sim, "4.15", BODIES["4.15"]))).service_response
    assert limit.load_limit_data.settings.power_threshold == 6900
    demand = convert.delivery(_entry(sim, _ask(sim, "4.12.1", BODIES["4.12.1"])))
    assert demand.service_response.maximum_demand.active.watts > 0
