"""Device-originated alerts (SRV-06): raised through the control API's command and by fault rules,
delivered as DUIS DeviceAlertMessages with their codes to the recipients GBCS / DUIS name, through
the fault plan's device-alert stage (FAULT-01, FAULT-02), and refused when malformed (BAD-01)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from dccsim.devices.alerts import (
    CATALOGUE,
    AlertMessageCode,
    DeviceAlertCode,
    IntegrityWarning,
    IntegrityWarningKind,
    SupplyOutageRestore,
    parse_alert_code,
)
from dccsim.devices.kinds import DeviceType
from dccsim.server.core import commands
from dccsim.server.core.device_alerts import chosen_devices, raise_device_alert
from dccsim.server.core.dsp import Dsp
from dccsim.server.core.errors import InvalidField, NotFound
from dccsim.server.core.faults import FaultAction, FaultPlan, FaultRule, FaultStage
from dccsim.server.core.fleet_file import parse_fleet
from dccsim.server.core.messages import DeviceAlertMessage
from dccsim.server.core.records import DuisVersion
from dccsim.server.core.requests import RequestId
from dccsim.server.duis.build import build_outbox_message, read_gbcs_payload
from tests.conftest import ESME, GSME
from tests.duis.documents import OfficialSchemas

SUPPLIER = "90-B3-D5-1F-30-01-00-00"  # IS
GAS_SUPPLIER = "90-B3-D5-1F-30-06-00-00"  # GS
DISTRIBUTOR = "90-B3-D5-1F-30-04-00-00"  # ED
TRANSPORTER = "90-B3-D5-1F-30-05-00-00"  # GT
BYSTANDER = "90-B3-D5-1F-30-03-00-00"  # registered for nothing
USERS = (SUPPLIER, GAS_SUPPLIER, DISTRIBUTOR, TRANSPORTER, BYSTANDER)
START = datetime(2026, 1, 1, tzinfo=UTC)
TWO_AM = START + timedelta(hours=2)

# Every role a different user; the example devices' MPxNs plus 200 ESMEs and 50 GSMEs.
FLEET = f"""
users:
  - {{id: {SUPPLIER}, roles: [IS], duis: "5.2"}}
  - {{id: {GAS_SUPPLIER}, roles: [GS], duis: "5.1"}}
  - {{id: {DISTRIBUTOR}, roles: [ED], duis: "5.1"}}
  - {{id: {TRANSPORTER}, roles: [GT], duis: "5.2"}}
  - {{id: {BYSTANDER}, roles: [IS, GS, ED, GT], duis: "5.2"}}
registrations:
  - {{mpxn: "1100000000001", role: IS, user: {SUPPLIER}, start: 2020-01-01T00:00:00Z}}
  - {{mpxn: "1100000000001", role: ED, user: {DISTRIBUTOR}, start: 2020-01-01T00:00:00Z}}
  - {{mpxn: "2100000001", role: GS, user: {GAS_SUPPLIER}, start: 2020-01-01T00:00:00Z}}
  - {{mpxn: "2100000001", role: GT, user: {TRANSPORTER}, start: 2020-01-01T00:00:00Z}}
devices:
  - {{id: {ESME}, type: ESME, manufacturer: DCCSIM, model: ESME-S2, firmware: "0100",
     mpxn: "1100000000001"}}
  - {{id: {GSME}, type: GSME, manufacturer: DCCSIM, model: GSME-S2, firmware: "0100",
     mpxn: "2100000001"}}
generate:
  - {{count: 200, type: ESME, manufacturer: DCCSIM, model: ESME-S2, firmware: "0100",
     id_prefix: 00-DB-01, supplier: {SUPPLIER}, network_operator: {DISTRIBUTOR}}}
  - {{count: 50, type: GSME, manufacturer: DCCSIM, model: GSME-S2, firmware: "0100",
     id_prefix: 00-DB-02, supplier: {GAS_SUPPLIER}, network_operator: {TRANSPORTER}}}
"""

OUTAGE_RULE = """
faults:
  - {action: raise-alert, stage: device-alert, device_type: ESME, probability: 0.02,
     window_start: 2026-01-01T02:00:00Z, alert_code: supply-interrupted}
"""


def _dsp(seed: int = 0, extra: str = "") -> Dsp:
    dsp = Dsp(faults=FaultPlan(seed=seed))
    parse_fleet(FLEET + extra, seed=seed).load_into(dsp)
    return dsp


def _alerts(dsp: Dsp, user: str) -> list[DeviceAlertMessage]:
    return [e.message for e in dsp.pending(user) if isinstance(e.message, DeviceAlertMessage)]


def _who_heard(dsp: Dsp) -> dict[str, list[tuple[str, int]]]:
    """User -> (device, alert code) of each device alert queued for them."""
    heard = {u: [(a.device_id, int(a.alert_code)) for a in _alerts(dsp, u)] for u in USERS}
    return {u: alerts for u, alerts in heard.items() if alerts}


def _raise(dsp: Dsp, device: str, code: int, payload: object = None) -> tuple[str, ...]:
    return commands.RaiseDeviceAlert(device, code, payload).apply(dsp)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def schemas() -> OfficialSchemas:
    return OfficialSchemas.load()


# -- recipients ------------------------------------------------------------------------------


@pytest.mark.spec("SRV-06", "ALERT-01")
@pytest.mark.parametrize(
    ("device", "code", "expected"),
    [
        (ESME, DeviceAlertCode.SUPPLY_INTERRUPTED, (SUPPLIER, DISTRIBUTOR)),
        (ESME, DeviceAlertCode.SUPPLY_OUTAGE_RESTORED, (SUPPLIER, DISTRIBUTOR)),
        (ESME, DeviceAlertCode.EXTREME_UNDER_VOLTAGE, (SUPPLIER, DISTRIBUTOR)),
        (ESME, DeviceAlertCode.LOW_CREDIT, (SUPPLIER,)),
        (ESME, DeviceAlertCode.METER_COVER_REMOVED, (SUPPLIER,)),
        (GSME, DeviceAlertCode.LOW_CREDIT, (GAS_SUPPLIER,)),
        (GSME, DeviceAlertCode.TILT_TAMPER, (GAS_SUPPLIER,)),
        (GSME, DeviceAlertCode.GSME_POWER_SUPPLY_LOSS, (GAS_SUPPLIER,)),
        (GSME, DeviceAlertCode.EXCESS_GAS_FLOW, (GAS_SUPPLIER, TRANSPORTER)),
    ],
)
def test_an_alert_reaches_exactly_its_recipients_with_its_code(
    device: str, code: DeviceAlertCode, expected: tuple[str, ...]
) -> None:
    dsp = _dsp()
    assert _raise(dsp, device, code) == expected
    assert _who_heard(dsp) == {user: [(device, int(code))] for user in expected}
    for user in expected:
        (alert,) = _alerts(dsp, user)
        assert alert.request_id is None  # no request caused it
        assert alert.issued_at == dsp.now()
        assert alert.message_code == CATALOGUE[code].message_code


@pytest.mark.spec("SRV-06")
def test_an_alert_caused_by_a_request_goes_to_its_sender_and_names_it() -> None:
    dsp = _dsp()
    rid = RequestId(BYSTANDER, ESME, 7)
    raise_device_alert(dsp.state, ESME, DeviceAlertCode.SUPPLY_INTERRUPTED, request_id=rid)
    assert _who_heard(dsp) == {
        BYSTANDER: [(ESME, 0x8F57)],
        DISTRIBUTOR: [(ESME, 0x8F57)],
    }
    assert _alerts(dsp, BYSTANDER)[0].request_id == rid


@pytest.mark.spec("SRV-06")
def test_a_code_outside_the_catalogue_still_reaches_the_supplier_from_the_core() -> None:
    """Families (prepayment, ...) may raise codes the control API does not offer."""
    dsp = _dsp()
    raise_device_alert(dsp.state, GSME, 0x8F84)
    assert _who_heard(dsp) == {GAS_SUPPLIER: [(GSME, 0x8F84)]}
    assert _alerts(dsp, GAS_SUPPLIER)[0].message_code == AlertMessageCode.GENERIC_NON_CRITICAL


# -- the DUIS documents ----------------------------------------------------------------------


def _inner(document: bytes):
    payload = re.search(rb"<sr:GBCSPayload>([^<]*)</sr:GBCSPayload>", document)
    assert payload is not None
    return read_gbcs_payload(payload.group(1).decode())


def _text(root, path: str) -> list[str]:
    return [
        str(t)
        for t in root.xpath(
            path,
            namespaces={
                "sr": "http://www.dccinterface.co.uk/ServiceUserGateway",
                "ra": "http://www.dccinterface.co.uk/ResponseAndAlert",
            },
        )
    ]


@pytest.mark.spec("SRV-06", "VER-01")
@pytest.mark.parametrize("version", [DuisVersion.V5_1, DuisVersion.V5_3])
def test_every_catalogued_alert_is_schema_valid_with_its_payload(
    schemas: OfficialSchemas, version: DuisVersion
) -> None:
    dsp = _dsp()
    for code, spec in CATALOGUE.items():
        device = ESME if DeviceType.ESME in spec.device_types else GSME
        _raise(dsp, device, code)
    alerts = _alerts(dsp, SUPPLIER) + _alerts(dsp, GAS_SUPPLIER)
    assert sorted(int(a.alert_code) for a in alerts) == sorted(CATALOGUE)
    for alert in alerts:
        document = build_outbox_message(alert, version, recipient=SUPPLIER)
        root = schemas.assert_valid(document, version)
        assert _text(root, "//sr:DeviceAlertMessage/sr:AlertCode/text()") == [
            f"{int(alert.alert_code):04X}"
        ]
        assert _text(root, "//sr:Header/sr:RequestID/text()") == []  # none caused it
        inner = _inner(document)
        spec = CATALOGUE[alert.alert_code]
        assert _text(inner, "//ra:GBCSHexAlertCode/text()") == [f"{spec.code:04X}"]
        assert _text(inner, "//ra:AlertDescription/text()") == [spec.name]
        assert _text(inner, "//ra:GBCSHexadecimalMessageCode/text()") == [
            f"{spec.message_code:04X}"
        ]
        payload = [
            e.tag.split("}")[1]
            for e in inner.xpath(
                "//ra:Payload/*",
                namespaces={"ra": "http://www.dccinterface.co.uk/ResponseAndAlert"},
            )
        ]
        assert payload == ([] if spec.payload == "none" else [spec.payload.value])


@pytest.mark.spec("SRV-06")
def test_an_outage_restored_alert_reports_when_the_supply_went_and_came_back(
    schemas: OfficialSchemas,
) -> None:
    dsp = _dsp()
    _raise(dsp, ESME, DeviceAlertCode.SUPPLY_INTERRUPTED)
    dsp.advance(timedelta(minutes=7))
    _raise(dsp, ESME, DeviceAlertCode.SUPPLY_OUTAGE_RESTORED_LONG)
    restored = _alerts(dsp, DISTRIBUTOR)[-1]
    assert restored.payload == SupplyOutageRestore(START, START + timedelta(minutes=7))
    document = build_outbox_message(restored, DuisVersion.V5_1, recipient=DISTRIBUTOR)
    schemas.assert_valid(document, DuisVersion.V5_1)
    inner = _inner(document)
    assert _text(inner, "//ra:SupplyOutageRestoreAlert/ra:interruptionValue/text()") == [
        "2026-01-01T00:00:00.000Z"
    ]
    assert _text(inner, "//ra:SupplyOutageRestoreAlert/ra:restorationValue/text()") == [
        "2026-01-01T00:07:00.000Z"
    ]
    # A payload given by the caller is carried as given.
    given = SupplyOutageRestore(START - timedelta(hours=1))
    _raise(dsp, ESME, DeviceAlertCode.SUPPLY_OUTAGE_RESTORED, given)
    assert _alerts(dsp, SUPPLIER)[-1].payload == SupplyOutageRestore(
        given.interrupted_at, dsp.now()
    )
    _raise(dsp, GSME, DeviceAlertCode.INTEGRITY_WARNING, IntegrityWarning(IntegrityWarningKind.RAM))
    warning = _alerts(dsp, GAS_SUPPLIER)[-1]
    document = build_outbox_message(warning, DuisVersion.V5_3, recipient=GAS_SUPPLIER)
    schemas.assert_valid(document, DuisVersion.V5_3)
    assert _text(_inner(document), "//ra:Warning/text()") == ["Error RAM"]


# -- bad requests ------------------------------------------------------------------------------


@pytest.mark.spec("SRV-06", "BAD-01")
@pytest.mark.parametrize(
    ("device", "code", "payload", "field"),
    [
        ("not-an-eui", 0x8F57, None, "device_id"),
        (ESME, 0x1234, None, "alert_code"),  # not a catalogued alert
        (ESME, 0x12345, None, "alert_code"),  # not 16 bits
        (GSME, 0x8F57, None, "alert_code"),  # an ESME's alert, not a GSME's
        (ESME, 0x81C3, None, "alert_code"),  # tilt tamper: a GSME's
        (ESME, 0x8F57, SupplyOutageRestore(START), "interrupted_at"),  # carries no payload
        (ESME, 0x8F35, IntegrityWarning(), "integrity_warning"),
        (ESME, 0x8F35, SupplyOutageRestore(START + timedelta(days=1)), "interrupted_at"),
    ],
)
def test_a_bad_alert_is_refused_naming_the_field_and_changes_nothing(
    device: str, code: int, payload: object, field: str
) -> None:
    dsp = _dsp()
    before = dsp.journal.last_sequence
    with pytest.raises(InvalidField) as caught:
        _raise(dsp, device, code, payload)
    assert caught.value.field == field
    assert _who_heard(dsp) == {}
    assert dsp.journal.last_sequence == before


@pytest.mark.spec("SRV-06", "BAD-01")
def test_an_unknown_device_is_not_found() -> None:
    dsp = _dsp()
    with pytest.raises(NotFound) as caught:
        _raise(dsp, "00-DB-99-99-99-99-99-99", 0x8F57)
    assert caught.value.what == "device"
    assert _who_heard(dsp) == {}


def test_alert_codes_parse_as_hex_or_names() -> None:
    assert parse_alert_code("8F57") == parse_alert_code("0x8f57") == 0x8F57
    assert parse_alert_code("supply-interrupted") == 0x8F57
    assert parse_alert_code(0x810D) == DeviceAlertCode.LOW_CREDIT
    for bad in ("power-cut", "8F5", "", True):
        with pytest.raises(ValueError):
            parse_alert_code(bad)


# -- fault rules -------------------------------------------------------------------------------


def _outage_devices(dsp: Dsp) -> list[str]:
    return sorted(device for device, code in _who_heard(dsp).get(DISTRIBUTOR, []) if code == 0x8F57)


@pytest.mark.spec("SRV-06", "FAULT-01", "FAULT-02")
def test_a_fault_rule_raises_a_power_outage_on_its_seeded_share_of_esmes_at_its_time() -> None:
    dsp = _dsp(seed=5, extra=OUTAGE_RULE)
    dsp.advance(timedelta(hours=1, minutes=59))
    assert _who_heard(dsp) == {}  # not yet
    dsp.advance(timedelta(minutes=1))
    chosen = _outage_devices(dsp)
    assert len(chosen) == round(0.02 * 201)  # 2% of the 201 ESMEs: 4
    assert all(_alerts(dsp, DISTRIBUTOR)[0].issued_at == TWO_AM for _ in chosen)
    heard = _who_heard(dsp)
    assert sorted(d for d, _ in heard[SUPPLIER]) == chosen  # each ESME's IS and ED, no one else
    assert set(heard) == {SUPPLIER, DISTRIBUTOR}
    decisions = [d for d in dsp.faults.decisions if d.action is FaultAction.RAISE_ALERT]
    assert sorted(d.target.device_id for d in decisions) == chosen
    assert {(d.at, d.target.alert_code, d.rule_id) for d in decisions} == {(TWO_AM, 0x8F57, 1)}
    dsp.advance(timedelta(days=1))
    assert _outage_devices(dsp) == chosen  # once, not again

    # FAULT-02: the same seed picks the same devices; another seed others.
    again = _dsp(seed=5, extra=OUTAGE_RULE)
    again.advance(timedelta(hours=3))
    assert _outage_devices(again) == chosen
    other = _dsp(seed=6, extra=OUTAGE_RULE)
    other.advance(timedelta(hours=3))
    assert len(_outage_devices(other)) == len(chosen)
    assert _outage_devices(other) != chosen


@pytest.mark.spec("SRV-06", "FAULT-01")
def test_a_raise_rule_added_as_a_command_honours_first_n_and_removal() -> None:
    dsp = _dsp(seed=1)
    rule = FaultRule(
        FaultAction.RAISE_ALERT,
        FaultStage.DEVICE_ALERT,
        device_type=DeviceType.GSME,
        probability=0.5,
        first_n=3,
        window_start=TWO_AM,
        alert_code=DeviceAlertCode.TILT_TAMPER,
    )
    rule_id = commands.AddFaultRule(rule).apply(dsp)
    assert len(chosen_devices(dsp.state, rule_id, rule)) == 3
    removed = commands.AddFaultRule(rule).apply(dsp)
    commands.RemoveFaultRule(removed).apply(dsp)
    dsp.advance(timedelta(hours=2))
    tilted = [d for d, code in _who_heard(dsp)[GAS_SUPPLIER] if code == 0x81C3]
    assert len(tilted) == 3  # the removed rule raised nothing
    assert TRANSPORTER not in _who_heard(dsp)


@pytest.mark.spec("SRV-06", "FAULT-01")
def test_a_drop_rule_on_the_alert_stage_drops_them() -> None:
    drop = """
  - {action: drop, stage: device-alert, device_type: ESME, alert_code: 8F57}
"""
    dsp = _dsp(seed=5, extra=OUTAGE_RULE + drop)
    dsp.advance(timedelta(hours=3))
    assert _who_heard(dsp) == {}
    dropped = [d for d in dsp.faults.decisions if d.action is FaultAction.DROP]
    raised = [d for d in dsp.faults.decisions if d.action is FaultAction.RAISE_ALERT]
    assert len(raised) == 4
    assert sorted(d.target.device_id for d in dropped) == sorted(d.target.device_id for d in raised)
    # The drop rule selects by code: a GSME's alert, or another ESME alert, still goes through.
    _raise(dsp, ESME, DeviceAlertCode.LOW_CREDIT)
    assert _who_heard(dsp) == {SUPPLIER: [(ESME, 0x810D)]}


@pytest.mark.spec("SRV-06", "FAULT-01")
def test_a_delay_rule_on_the_alert_stage_delays_them() -> None:
    dsp = _dsp()
    dsp.faults.add(
        FaultRule(FaultAction.DELAY, FaultStage.DEVICE_ALERT, delay=timedelta(minutes=10))
    )
    _raise(dsp, ESME, DeviceAlertCode.SUPPLY_INTERRUPTED)
    assert _who_heard(dsp) == {}
    dsp.advance(timedelta(minutes=10))
    assert _who_heard(dsp) == {SUPPLIER: [(ESME, 0x8F57)], DISTRIBUTOR: [(ESME, 0x8F57)]}


@pytest.mark.spec("FAULT-01", "BAD-01")
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"action": FaultAction.RAISE_ALERT, "stage": FaultStage.DEVICE_ALERT}, "alert_code"),
        ({"action": FaultAction.RAISE_ALERT}, "action"),  # not at the device-response stage
        (
            {
                "action": FaultAction.RAISE_ALERT,
                "stage": FaultStage.DEVICE_ALERT,
                "alert_code": 8010,  # YAML's 8010, not 0x8010: not a catalogued alert
            },
            "alert_code",
        ),
        (
            {"action": FaultAction.DROP, "stage": FaultStage.DEVICE_ALERT, "alert_code": -1},
            "alert_code",
        ),
    ],
)
def test_a_bad_raise_rule_is_refused_naming_the_field(kwargs: dict, field: str) -> None:
    with pytest.raises(InvalidField) as caught:
        FaultRule(**kwargs)
    assert caught.value.field == field


def test_a_raise_rule_survives_a_snapshot_of_the_state() -> None:
    """The held work is a partial of a module-level function: the state file writes it as
    the function's name and arguments, and reads it back."""
    from dccsim.server.store.codec import Encoder, decode_document

    dsp = _dsp(seed=5, extra=OUTAGE_RULE)
    copy = decode_document(Encoder().encode_document(dsp))
    copy.advance(timedelta(hours=3))
    dsp.advance(timedelta(hours=3))
    assert _outage_devices(copy) == _outage_devices(dsp) != []


@pytest.mark.spec("SRV-06", "ALERT-01")
def test_one_user_in_both_roles_hears_a_network_alert_once() -> None:
    dsp = Dsp()
    parse_fleet(
        f"""
users:
  - {{id: {BYSTANDER}, roles: [IS, ED], duis: "5.2"}}
registrations:
  - {{mpxn: "1100000000001", role: IS, user: {BYSTANDER}, start: 2020-01-01T00:00:00Z}}
  - {{mpxn: "1100000000001", role: ED, user: {BYSTANDER}, start: 2020-01-01T00:00:00Z}}
devices:
  - {{id: {ESME}, type: ESME, manufacturer: DCCSIM, model: ESME-S2, firmware: "0100",
     mpxn: "1100000000001"}}
"""
    ).load_into(dsp)
    assert _raise(dsp, ESME, DeviceAlertCode.SUPPLY_INTERRUPTED) == (BYSTANDER,)
    assert _who_heard(dsp) == {BYSTANDER: [(ESME, 0x8F57)]}
