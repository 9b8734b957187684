"""Tariffs, prices, TOU and block registers, billing: 1.1.1, 1.1.2, 1.2.1, 1.2.2, 1.7, 6.26, 4.1.2,
4.1.3, 4.1.4, 4.4.2, 4.4.3, 4.11.1, 4.11.2, 6.8, 6.2.3.

A write followed by its read returns what was written; the TOU and block registers split the
meter's consumption by the tariff's switching table and thresholds (SRV-03)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest

from dccsim.devices.codes import AlertCode, MessageCode
from dccsim.devices.tariff import (
    Currency,
    DateSpec,
    DayProfile,
    ElecBillingCalendar,
    ElecPrices,
    Fuel,
    GasBillingCalendar,
    GasPrices,
    Indexed,
    IndexedRow,
    Periodicity,
    PrimaryTariff,
    Season,
    SecondaryPrices,
    SecondaryTariff,
    Switch,
    SwitchingTable,
    WeekProfile,
)
from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.fingerprint import fingerprint
from dccsim.server.core.messages import DeviceAlertMessage, ServiceResponse
from dccsim.server.core.records import DuisVersion
from dccsim.server.core.requests import CANCELLATION_DATETIME, RequestBody
from dccsim.server.core.services.tariffs import (
    BillingCalendarRead,
    BillingLogRead,
    BlockCountersRead,
    PrimaryTariffRead,
    ReadBillingCalendar,
    ReadBillingDataLog,
    ReadBlockCounters,
    ReadPrimaryTariff,
    ReadSecondaryTariff,
    ReadTouMatrices,
    ReadTouWithBlocksMatrices,
    ResetTariffBlockCounterMatrix,
    SecondaryTariffRead,
    SetDailyBlockCounterReset,
    TouMatricesRead,
    TouWithBlocksRead,
    UpdateBillingCalendar,
    UpdateImportTariffPrimary,
    UpdateImportTariffSecondary,
    UpdatePricePrimary,
    UpdatePriceSecondary,
)
from dccsim.server.duis.build import build_outbox_message
from dccsim.server.rpc import bodies
from dccsim.server.rpc.bodies.tariffs import _fill_primary
from dccsim.v1 import supplier_pb2
from tests.conftest import ESME, GPF, GSME, SUPPLIER_A, Sim
from tests.duis.documents import mmc, texts

GAS_SUPPLIER = SUPPLIER_A  # the example fleet's supplier for both fuels

# -- example bodies --------------------------------------------------------------------------------

_NIGHT, _DAY_START = time(0, 0), time(7, 0)
_TWO_RATE_DAY = DayProfile(1, (Switch(_NIGHT, 1), Switch(_DAY_START, 2)))
_WEEK = WeekProfile(1, (1,) * 7)
_SEASON = Season("all", DateSpec(None, 1, 1, None), 1)
_TABLE = SwitchingTable((_TWO_RATE_DAY,), (_WEEK,), (_SEASON,))
_THRESHOLDS = tuple(IndexedRow(i, (Indexed(1, 4_294_967_295),)) for i in range(1, 9))
_ELEC_PRICES = ElecPrices(20_000, -5, -5, tou_prices=(Indexed(1, 1_000), Indexed(2, 3_000)))
ELEC_TARIFF = PrimaryTariff(Fuel.ELECTRICITY, _TABLE, _THRESHOLDS, _ELEC_PRICES, Currency.GBP)

# Block tariff: every half-hour on TOU-block rate 1, blocks split at 2 kWh and 5 kWh.
_BLOCK_DAY = DayProfile(1, (Switch(_NIGHT, 1, block=True),))
_BLOCK_TABLE = SwitchingTable((_BLOCK_DAY,), (_WEEK,), (_SEASON,))
_BLOCK_THRESHOLDS = (
    IndexedRow(1, (Indexed(1, 2_000), Indexed(2, 5_000))),
    *(IndexedRow(i, (Indexed(1, 4_294_967_295),)) for i in range(2, 9)),
)
_BLOCK_PRICES = ElecPrices(
    20_000,
    -5,
    -5,
    block_prices=(IndexedRow(1, (Indexed(1, 1_000), Indexed(2, 2_000), Indexed(3, 4_000))),),
)
ELEC_BLOCK_TARIFF = PrimaryTariff(
    Fuel.ELECTRICITY, _BLOCK_TABLE, _BLOCK_THRESHOLDS, _BLOCK_PRICES, Currency.GBP
)

_GAS_DAY = DayProfile(1, (Switch(_NIGHT, 2),))
_GAS_WEEK = WeekProfile(1, (1,) * 7)
_GAS_SEASON = Season(None, DateSpec(None, 1, 1, None), 1)
GAS_TARIFF = PrimaryTariff(
    Fuel.GAS,
    SwitchingTable((_GAS_DAY,), (_GAS_WEEK,), (_GAS_SEASON,)),
    (IndexedRow(1, (Indexed(1, 100),)),),
    GasPrices(Currency.GBP, 22_465, tou_prices=(Indexed(1, 9_600), Indexed(2, 10_200))),
)
SECONDARY = SecondaryTariff(
    SwitchingTable((DayProfile(1, (Switch(_NIGHT, 1),)),), (_WEEK,), (_SEASON,)),
    SecondaryPrices(-5, (Indexed(1, 10_100),)),
)
ELEC_CALENDAR = ElecBillingCalendar(time(0, 0), Periodicity.MONTHLY, day=1)


def example_body(srv: str, device_id: str) -> RequestBody:
    """A well-formed body for each of the family's SRVs (also used by test_properties)."""
    now = datetime(2026, 1, 1, tzinfo=UTC)
    gas = device_id == GSME
    match srv:
        case "1.1.1":
            return UpdateImportTariffPrimary(GAS_TARIFF if gas else ELEC_TARIFF)
        case "1.1.2":
            return UpdateImportTariffSecondary(SECONDARY)
        case "1.2.1":
            return UpdatePricePrimary(GAS_TARIFF.prices if gas else _ELEC_PRICES)
        case "1.2.2":
            return UpdatePriceSecondary(SECONDARY.prices)
        case "1.7":
            return ResetTariffBlockCounterMatrix()
        case "6.26":
            return SetDailyBlockCounterReset(True)
        case "4.1.2":
            return ReadTouMatrices()
        case "4.1.3":
            return ReadTouWithBlocksMatrices()
        case "4.1.4":
            return ReadBlockCounters()
        case "4.4.2" | "4.4.3":
            return ReadBillingDataLog(now - timedelta(days=400), now + timedelta(days=400))
        case "4.11.1":
            return ReadPrimaryTariff()
        case "4.11.2":
            return ReadSecondaryTariff()
        case "6.8":
            cal = GasBillingCalendar(now, Periodicity.MONTHLY) if gas else ELEC_CALENDAR
            return UpdateBillingCalendar(cal)
        case "6.2.3":
            return ReadBillingCalendar()
    raise KeyError(srv)


TARIFF_SRVS = (
    "1.1.1", "1.1.2", "1.2.1", "1.2.2", "1.7", "6.26", "4.1.2", "4.1.3", "4.1.4",
    "4.4.2", "4.4.3", "4.11.1", "4.11.2", "6.8", "6.2.3",
)  # fmt: skip
_CRITICAL = frozenset({"1.1.1", "1.1.2", "1.2.1", "1.2.2", "1.7", "6.26", "6.8"})


def _send(sim: Sim, srv: str, body: RequestBody, target: str = ESME, **extra: object):
    if srv in _CRITICAL:
        return sim.send_critical(srv, body, target=target, **extra)
    return sim.send(srv, body, target=target, **extra)


def _read(sim: Sim, srv: str, body: RequestBody, target: str = ESME) -> object:
    assert _send(sim, srv, body, target).code is ResponseCode.I99
    return [m for m in sim.messages() if isinstance(m, ServiceResponse)][-1].body


def _readings(sim: Sim, device_id: str):
    device = sim.dsp.state.network.get(device_id)
    return sim.dsp.state.network.readings(device)


# -- the prepayment contract -----------------------------------------------------------------------


def test_unit_price_and_standing_charge_are_in_millipence(sim: Sim) -> None:
    assert _send(sim, "1.1.1", UpdateImportTariffPrimary(ELEC_TARIFF)).code is ResponseCode.I99
    tariff = sim.dsp.state.network.get(ESME).tariff
    assert tariff is not None
    day = sim.dsp.now().date() + timedelta(days=1)
    assert tariff.unit_price_at(datetime.combine(day, time(3), tzinfo=UTC)) == 1_000
    assert tariff.unit_price_at(datetime.combine(day, time(12), tzinfo=UTC)) == 3_000
    assert tariff.standing_charge() == 20_000


# -- SRV-01 / SRV-02 / SRV-03: write then read ---------------------------------------------------


@pytest.mark.spec("SRV-01", "SRV-03", "SRV-02")
@pytest.mark.parametrize(("target", "tariff"), [(ESME, ELEC_TARIFF), (GSME, GAS_TARIFF)])
def test_1_1_1_then_4_11_1_reads_back_the_tariff(
    sim: Sim, target: str, tariff: PrimaryTariff
) -> None:
    assert _send(sim, "1.1.1", UpdateImportTariffPrimary(tariff), target).code is ResponseCode.I99
    read = _read(sim, "4.11.1", ReadPrimaryTariff(), target)
    assert isinstance(read, PrimaryTariffRead)
    assert read.tariff == tariff
    assert read.active_price in {p.value for p in tariff.prices.tou_prices}


@pytest.mark.spec("SRV-03")
def test_1_1_2_then_4_11_2_and_prices_1_2_x(sim: Sim) -> None:
    assert _send(sim, "1.1.2", UpdateImportTariffSecondary(SECONDARY)).code is ResponseCode.I99
    read = _read(sim, "4.11.2", ReadSecondaryTariff())
    assert isinstance(read, SecondaryTariffRead) and read.tariff == SECONDARY
    assert read.active_price == 10_100
    new = SecondaryPrices(-4, (Indexed(1, 777),))
    assert _send(sim, "1.2.2", UpdatePriceSecondary(new)).code is ResponseCode.I99
    read = _read(sim, "4.11.2", ReadSecondaryTariff())
    assert isinstance(read, SecondaryTariffRead) and read.tariff is not None
    assert read.tariff.prices == new and read.active_price == 777


@pytest.mark.spec("SRV-03")
def test_1_2_1_replaces_the_prices_4_11_1_reads(sim: Sim) -> None:
    _send(sim, "1.1.1", UpdateImportTariffPrimary(ELEC_TARIFF))
    prices = replace(
        _ELEC_PRICES, standing_charge=12_345, tou_prices=(Indexed(1, 5), Indexed(2, 6))
    )
    assert _send(sim, "1.2.1", UpdatePricePrimary(prices)).code is ResponseCode.I99
    read = _read(sim, "4.11.1", ReadPrimaryTariff())
    assert isinstance(read, PrimaryTariffRead) and read.tariff is not None
    assert read.tariff.prices == prices
    assert read.tariff.table == ELEC_TARIFF.table


@pytest.mark.spec("SRV-03")
def test_6_8_then_6_2_3_reads_back_the_calendar(sim: Sim) -> None:
    assert _read(sim, "6.2.3", ReadBillingCalendar()) == BillingCalendarRead(None)
    assert _send(sim, "6.8", UpdateBillingCalendar(ELEC_CALENDAR)).code is ResponseCode.I99
    assert _read(sim, "6.2.3", ReadBillingCalendar()) == BillingCalendarRead(ELEC_CALENDAR)


@pytest.mark.spec("SRV-03", "SRV-02")
def test_tou_registers_split_consumption_by_the_switching_table(sim: Sim) -> None:
    readings = _readings(sim, ESME)
    start = sim.dsp.now()
    _send(sim, "1.1.1", UpdateImportTariffPrimary(ELEC_TARIFF))
    before = _read(sim, "4.1.2", ReadTouMatrices())
    assert isinstance(before, TouMatricesRead)
    end = start + timedelta(days=3)
    sim.dsp.advance_to(end)

    after = _read(sim, "4.1.2", ReadTouMatrices())
    assert isinstance(after, TouMatricesRead)
    night = day = 0
    moment = start
    while moment < end:  # the half-hours of the meter's own profile, by the table's bands
        step = min(end, moment + timedelta(minutes=30))
        used = readings.import_between(moment, step)
        if moment.time() < _DAY_START:
            night += used
        else:
            day += used
        moment = step
    assert after.tou[0] - before.tou[0] == pytest.approx(night, abs=3)
    assert after.tou[1] - before.tou[1] == pytest.approx(day, abs=3)
    assert sum(after.tou) == readings.import_register(end)  # TOU registers sum to the total


@pytest.mark.spec("SRV-03")
def test_block_registers_cross_thresholds_and_1_7_resets_the_counters(sim: Sim) -> None:
    readings = _readings(sim, ESME)
    start = sim.dsp.now()
    _send(sim, "1.1.1", UpdateImportTariffPrimary(ELEC_BLOCK_TARIFF))
    sim.dsp.advance_to(start + timedelta(days=1))
    read = _read(sim, "4.1.3", ReadTouWithBlocksMatrices())
    assert isinstance(read, TouWithBlocksRead)
    used = readings.import_between(start, start + timedelta(days=1))
    blocks = [read.blocks[b][0] for b in range(4)]
    assert blocks[0] == min(used, 2_000)
    assert blocks[1] == min(max(used - 2_000, 0), 3_000)
    assert blocks[2] == max(used - 5_000, 0)
    assert sum(blocks) == used
    assert read.counters == read.blocks

    assert _send(sim, "1.7", ResetTariffBlockCounterMatrix()).code is ResponseCode.I99
    after = _read(sim, "4.1.3", ReadTouWithBlocksMatrices())
    assert isinstance(after, TouWithBlocksRead)
    assert all(c == 0 for row in after.counters for c in row)
    assert after.blocks == read.blocks  # registers keep their history


@pytest.mark.spec("SRV-03")
def test_6_26_daily_reset_zeroes_the_counters_at_midnight(sim: Sim) -> None:
    _send(sim, "1.1.1", UpdateImportTariffPrimary(ELEC_BLOCK_TARIFF))
    assert _send(sim, "6.26", SetDailyBlockCounterReset(True)).code is ResponseCode.I99
    midnight = datetime.combine(sim.dsp.now().date() + timedelta(days=2), time(), tzinfo=UTC)
    sim.dsp.advance_to(midnight + timedelta(minutes=30))
    read = _read(sim, "4.1.3", ReadTouWithBlocksMatrices())
    assert isinstance(read, TouWithBlocksRead)
    since = _readings(sim, ESME).import_between(midnight, sim.dsp.now())
    assert sum(c for row in read.counters for c in row) == since


@pytest.mark.spec("SRV-03")
def test_gas_tou_registers_and_block_counters_via_the_gpf(sim: Sim) -> None:
    _send(sim, "1.1.1", UpdateImportTariffPrimary(GAS_TARIFF), GSME)
    sim.dsp.advance_to(sim.dsp.now() + timedelta(days=1))
    direct = _read(sim, "4.1.2", ReadTouMatrices(), GSME)
    via_gpf = _read(sim, "4.1.2", ReadTouMatrices(), GPF)
    assert isinstance(direct, TouMatricesRead) and direct == via_gpf
    assert sum(direct.tou) == _readings(sim, GSME).import_register(sim.dsp.now())
    counters = _read(sim, "4.1.4", ReadBlockCounters(), GSME)
    assert isinstance(counters, BlockCountersRead) and counters.counters == (0, 0, 0, 0)


@pytest.mark.spec("SRV-03")
def test_billing_logs_snapshot_a_tariff_change_and_each_billing_date(sim: Sim) -> None:
    _send(sim, "6.8", UpdateBillingCalendar(ElecBillingCalendar(time(0), Periodicity.DAILY)))
    first = sim.dsp.now()
    _send(sim, "1.1.1", UpdateImportTariffPrimary(ELEC_TARIFF))
    sim.dsp.advance_to(first + timedelta(days=3))
    _send(sim, "1.2.1", UpdatePricePrimary(_ELEC_PRICES))
    period = ReadBillingDataLog(first - timedelta(days=1), sim.dsp.now() + timedelta(days=1))

    changes = _read(sim, "4.4.2", period)
    assert isinstance(changes, BillingLogRead) and len(changes.entries) == 2
    assert changes.entries[1].tou[0] > changes.entries[0].tou[0]  # history since the change
    calendar = _read(sim, "4.4.3", period)
    assert isinstance(calendar, BillingLogRead) and len(calendar.entries) == 3
    readings = _readings(sim, ESME)
    for entry in calendar.entries:
        assert entry.at.time() == time(0)
        assert entry.total == readings.import_register(entry.at)


# -- SRV-05: "Device" future dating -----------------------------------------------------------


@pytest.mark.spec("SRV-05")
def test_future_dated_1_1_1_is_held_by_the_meter_then_alerts_0x8f66(sim: Sim) -> None:
    when = sim.dsp.now() + timedelta(hours=2)
    body = UpdateImportTariffPrimary(ELEC_TARIFF)
    assert _send(sim, "1.1.1", body, execution_datetime=when).code is ResponseCode.I99
    read = _read(sim, "4.11.1", ReadPrimaryTariff())
    assert isinstance(read, PrimaryTariffRead) and read.tariff is None  # not yet

    sim.dsp.advance_to(when)
    [alert] = [m for m in sim.messages() if isinstance(m, DeviceAlertMessage)]
    assert alert.alert_code is AlertCode.FUTURE_DATED_COMMAND_ACTIONED
    assert alert.message_code is MessageCode.FUTURE_DATED_COSEM
    assert alert.future_dated_srv == "1.1.1"
    read = _read(sim, "4.11.1", ReadPrimaryTariff())
    assert isinstance(read, PrimaryTariffRead) and read.tariff == ELEC_TARIFF


@pytest.mark.spec("SRV-05")
def test_3000_12_31_cancels_a_held_price_update(sim: Sim) -> None:
    _send(sim, "1.1.1", UpdateImportTariffPrimary(ELEC_TARIFF))
    when = sim.dsp.now() + timedelta(hours=2)
    new = replace(_ELEC_PRICES, standing_charge=1)
    _send(sim, "1.2.1", UpdatePricePrimary(new), execution_datetime=when)
    _send(sim, "1.2.1", UpdatePricePrimary(new), execution_datetime=CANCELLATION_DATETIME)
    sim.dsp.advance_to(when + timedelta(hours=1))
    assert not [m for m in sim.messages() if isinstance(m, DeviceAlertMessage)]
    read = _read(sim, "4.11.1", ReadPrimaryTariff())
    assert isinstance(read, PrimaryTariffRead) and read.tariff is not None
    assert read.tariff.prices == _ELEC_PRICES


# -- BAD-01 -------------------------------------------------------------------------------------


def _elec(**changes: object) -> UpdateImportTariffPrimary:
    return UpdateImportTariffPrimary(replace(ELEC_TARIFF, **changes))  # type: ignore[arg-type]


_TOO_MANY_RATES = tuple(Indexed(i, 1) for i in range(1, 50))
_UNKNOWN_DAY = (WeekProfile(1, (1, 1, 1, 1, 1, 1, 9)),)
_UNPRICED_RATE = (DayProfile(1, (Switch(_NIGHT, 3),)),)
_BAD = [
    (
        _elec(prices=replace(_ELEC_PRICES, standing_charge=40_000)),
        "body.tariff.prices.standing_charge",
    ),
    (
        _elec(prices=replace(_ELEC_PRICES, tou_prices=_TOO_MANY_RATES)),
        "body.tariff.prices.tou_prices",
    ),
    (_elec(thresholds=_THRESHOLDS[:7]), "body.tariff.thresholds"),
    (
        _elec(table=replace(_TABLE, week_profiles=_UNKNOWN_DAY)),
        "body.tariff.table.week_profiles[0].days[6]",
    ),
    (
        _elec(table=replace(_TABLE, day_profiles=_UNPRICED_RATE)),
        "body.tariff.table.day_profiles[0].switches[0].action",
    ),
    (
        UpdatePricePrimary(replace(GAS_TARIFF.prices, block_prices=(Indexed(1, 5),))),
        "body.prices.tou_prices",
    ),
    (
        UpdateBillingCalendar(ElecBillingCalendar(time(0), Periodicity.MONTHLY, day=29)),
        "body.calendar.day",
    ),
    (
        ReadBillingDataLog(datetime(2026, 2, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC)),
        "body.end",
    ),
]


@pytest.mark.spec("BAD-01")
@pytest.mark.parametrize(("body", "field"), _BAD)
def test_a_bad_field_is_refused_naming_it_and_changes_nothing(
    sim: Sim, body: RequestBody, field: str
) -> None:
    srv = {
        UpdateImportTariffPrimary: "1.1.1",
        UpdatePricePrimary: "1.2.1",
        UpdateBillingCalendar: "6.8",
        ReadBillingDataLog: "4.4.3",
    }[type(body)]
    before = fingerprint(sim.dsp)
    with pytest.raises(InvalidField) as refused:
        _send(sim, srv, body)
    assert refused.value.field == field
    assert fingerprint(sim.dsp) == before


# -- the transports -----------------------------------------------------------------------------


def test_grpc_conversion_round_trips_a_tariff_and_its_read(sim: Sim) -> None:
    message = supplier_pb2.SubmitRequest()
    _fill_primary(message.update_import_tariff_primary, ELEC_TARIFF)
    kind, reader = bodies.BODY_READERS["update_import_tariff_primary"]
    read_back = reader(message.update_import_tariff_primary)
    assert kind is UpdateImportTariffPrimary and read_back == UpdateImportTariffPrimary(ELEC_TARIFF)
    response = supplier_pb2.ServiceResponse()
    bodies.RESPONSE_FILLERS[PrimaryTariffRead](
        response, PrimaryTariffRead(Fuel.ELECTRICITY, 1_000, ELEC_TARIFF)
    )
    assert response.primary_tariff.active_price == 1_000
    assert response.primary_tariff.tariff.prices.electricity.tou_prices[1].value == 3_000


def test_duis_4_1_2_carries_the_registers_in_its_mmc_payload(sim: Sim) -> None:
    _send(sim, "1.1.1", UpdateImportTariffPrimary(ELEC_TARIFF))
    read = _read(sim, "4.1.2", ReadTouMatrices())
    assert isinstance(read, TouMatricesRead)
    [response] = [m for m in sim.messages() if isinstance(m, ServiceResponse) and m.body is read]
    document = build_outbox_message(response, DuisVersion.V5_2)
    payload = mmc(document)
    values = texts(payload, "//ra:TOUPrimaryRegisterValue")
    assert [int(v) for v in values[:2]] == list(read.tou[:2])


def test_duis_4_11_1_shows_the_written_prices(sim: Sim) -> None:
    _send(sim, "1.1.1", UpdateImportTariffPrimary(ELEC_TARIFF))
    read = _read(sim, "4.11.1", ReadPrimaryTariff())
    [response] = [m for m in sim.messages() if isinstance(m, ServiceResponse) and m.body is read]
    payload = mmc(build_outbox_message(response, DuisVersion.V5_2))
    assert texts(payload, "//ra:TariffTOUPrice") == ["1000", "3000"]
    assert texts(payload, "//ra:StandingCharge") == ["20000"]
