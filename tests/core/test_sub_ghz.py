"""The CHF's sub-GHz radio, 6.28-6.32 (server/core/services/sub_ghz.py, devices/sub_ghz.py): each
SRV is served (SRV-01), its answer comes from the hub's state (SRV-02), what 6.28 sets 6.30 reads
back and what 6.28 and 6.29 do shows in 6.31 and 6.32 (SRV-03), and a malformed body is refused
naming its field and changes nothing (BAD-01)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from lxml import etree

from dccsim.devices.sub_ghz import (
    FACTORY_SETTINGS,
    Band,
    ChannelEvent,
    ScanTrigger,
    SubGhzChannel,
    SubGhzRadio,
    noise_dbm,
)
from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.fingerprint import fingerprint
from dccsim.server.core.messages import ServiceResponse
from dccsim.server.core.records import DuisVersion
from dccsim.server.core.requests import RequestBody
from dccsim.server.core.services.sub_ghz import (
    ReadSubGhzChannel,
    ReadSubGhzChannelLog,
    ReadSubGhzConfiguration,
    RequestSubGhzChannelScan,
    SetSubGhzConfiguration,
    SubGhzChannelLogRead,
    SubGhzChannelRead,
    SubGhzConfigurationRead,
)
from dccsim.server.duis.build import build_outbox_message, read_gbcs_payload
from dccsim.server.duis.parse import parse_request
from dccsim.server.rpc import convert
from dccsim.v1 import sub_ghz_pb2, supplier_pb2
from tests.conftest import CHF, ESME, RTDS_DIR, SUPPLIER_A, Sim
from tests.duis.documents import OfficialSchemas

RA = {"ra": "http://www.dccinterface.co.uk/ResponseAndAlert"}
SR = {"sr": "http://www.dccinterface.co.uk/ServiceUserGateway"}
TEMPLATE_628 = RTDS_DIR / "DBCH04_6.28_SUCCESS_REQUEST_DUIS.XML"
# DBCH04's configuration (the RTDS template), as the core body.
CONFIGURATION = SetSubGhzConfiguration(
    lower_band_channels=(1, 2, 28, 29, 36, 37),
    upper_band_channels=(1, 2),
    normal_limited_duty_cycle_threshold=Decimal("1.3"),
    limited_critical_duty_cycle_threshold=Decimal("2.2"),
    maximum_channel_changes_per_week=5,
    gsme_curfew=7,
    channel_quieter_threshold=7,
    channel_noisier_threshold=12,
    non_gsme_poor_comms_percentage_threshold=Decimal("60.00"),
    non_gsme_poor_comms_measurement_periods=130,
    local_ch_noise_measurement_period=100,
    local_ch_failure_percentage=Decimal("40.00"),
    local_ch_retry_percentage=Decimal("30.00"),
)
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)
# What 6.28 of CONFIGURATION logs on the example CHF: its factory channel is not allowed, so the
# hub moves to the first allowed one.
_CONFIGURED = [ChannelEvent.CONFIGURATION_CHANGED, ChannelEvent.CHANNEL_CHANGED]
FAR_AHEAD = datetime(2100, 1, 1, tzinfo=UTC)


def _ask(sim: Sim, srv: str, body: RequestBody, target: str = CHF) -> ServiceResponse:
    """Send a sub-GHz SR, check its acknowledgement and return the hub's response."""
    answer = sim.send(srv, body, target=target)
    assert answer.code is ResponseCode.I99, answer
    response = sim.messages()[-1]
    assert isinstance(response, ServiceResponse)
    assert response.request_id == answer.request_id
    assert response.code is ResponseCode.I0
    return response


def _configuration(sim: Sim) -> SubGhzConfigurationRead:
    body = _ask(sim, "6.30", ReadSubGhzConfiguration()).body
    assert isinstance(body, SubGhzConfigurationRead)
    return body


def _channel(sim: Sim) -> SubGhzChannel:
    body = _ask(sim, "6.31", ReadSubGhzChannel()).body
    assert isinstance(body, SubGhzChannelRead)
    return body.channel


def _log(sim: Sim, start: datetime = LONG_AGO, end: datetime = FAR_AHEAD) -> SubGhzChannelLogRead:
    body = _ask(sim, "6.32", ReadSubGhzChannelLog(start, end)).body
    assert isinstance(body, SubGhzChannelLogRead)
    return body


def _mmc(response: ServiceResponse, version: DuisVersion = DuisVersion.V5_2) -> etree._Element:
    document = build_outbox_message(response, version, recipient=SUPPLIER_A)
    [payload] = etree.fromstring(document).xpath("//sr:GBCSPayload/text()", namespaces=SR)
    return read_gbcs_payload(str(payload))


# -- SRV-01 --------------------------------------------------------------------------------------


@pytest.mark.spec("SRV-01")
@pytest.mark.parametrize(
    ("srv", "body", "answer"),
    [
        ("6.28", CONFIGURATION, type(None)),
        ("6.29", RequestSubGhzChannelScan(), type(None)),
        ("6.30", ReadSubGhzConfiguration(), SubGhzConfigurationRead),
        ("6.31", ReadSubGhzChannel(), SubGhzChannelRead),
        ("6.32", ReadSubGhzChannelLog(LONG_AGO, FAR_AHEAD), SubGhzChannelLogRead),
    ],
)
def test_each_sub_ghz_srv_is_served_by_a_chf_and_only_a_chf(
    sim: Sim, srv: str, body: RequestBody, answer: type
) -> None:
    assert isinstance(_ask(sim, srv, body).body, answer)
    assert sim.send(srv, body, target=ESME).code is ResponseCode.E11


@pytest.mark.spec("SRV-01")
def test_the_empty_answers_are_the_mmc_responses_of_6_28_and_6_29(sim: Sim) -> None:
    assert _mmc(_ask(sim, "6.28", CONFIGURATION)).xpath(
        "//ra:SetCHFSubGHzConfigurationRsp", namespaces=RA
    )
    scan = _mmc(_ask(sim, "6.29", RequestSubGhzChannelScan()))
    assert scan.xpath("//ra:RequestCHFSubGHzChannelScanRsp", namespaces=RA)


# -- SRV-02 --------------------------------------------------------------------------------------


@pytest.mark.spec("SRV-02")
def test_a_hub_never_configured_reads_its_factory_state_and_the_read_creates_none(
    sim: Sim,
) -> None:
    assert _configuration(sim).settings == FACTORY_SETTINGS
    assert _channel(sim) == SubGhzRadio.factory(CHF).channel
    assert _log(sim).entries == ()
    assert sim.dsp.state.network.get(CHF).sub_ghz is None  # a pure read made nothing


@pytest.mark.spec("SRV-02")
def test_the_factory_channel_depends_on_the_hub() -> None:
    channels = {SubGhzRadio.factory(f"00-DB-12-34-56-78-91-{n:02X}").channel for n in range(40)}
    assert len(channels) > 10
    assert all(c.band is Band.LOWER and 0 <= c.number <= 61 for c in channels)


@pytest.mark.spec("SRV-02", "SRV-03")
def test_the_duis_configuration_response_carries_what_the_hub_holds(sim: Sim) -> None:
    _ask(sim, "6.28", CONFIGURATION)
    rsp = _mmc(_ask(sim, "6.30", ReadSubGhzConfiguration()))
    [element] = rsp.xpath("//ra:ReadCHFSubGHzConfigurationRsp", namespaces=RA)

    def channels(group: str) -> list[str]:
        return [etree.QName(c).localname for c in element.find(f"ra:{group}", RA)]

    assert channels("LowerBandSubGHzChannels0To26") == ["Channel1", "Channel2"]
    assert channels("LowerBandSubGHzChannels27To34") == ["Channel28", "Channel29"]
    assert channels("LowerBandSubGHzChannels35To61") == ["Channel36", "Channel37"]
    assert channels("UpperBandSubGHzChannels0To26") == ["Channel1", "Channel2"]
    assert element.findtext("ra:NormalLimitedDutyCycleThreshold", namespaces=RA) == "1.3"
    assert element.findtext("ra:GSMECurfew", namespaces=RA) == "7"
    assert element.findtext("ra:NonGSMEPoorCommsPercentageThreshold", namespaces=RA) == "60.00"
    assert element.findtext("ra:LocalCHRetryPercentage", namespaces=RA) == "30.00"


@pytest.mark.spec("SRV-02")
def test_the_duis_channel_and_log_responses_carry_the_hubs_channel_and_events(sim: Sim) -> None:
    _ask(sim, "6.29", RequestSubGhzChannelScan())
    channel = _channel(sim)
    rsp = _mmc(_ask(sim, "6.31", ReadSubGhzChannel()))
    band = f"Operating{channel.band.value}BandSubGHzChannel"
    path = f"//ra:OperatingSubGHzChannel/ra:{band}/ra:Channel{channel.number}"
    assert rsp.xpath(path, namespaces=RA)

    log = _mmc(_ask(sim, "6.32", ReadSubGhzChannelLog(LONG_AGO, FAR_AHEAD)))
    entries = log.xpath("//ra:LogEntry", namespaces=RA)
    assert [e.findtext("ra:EventCode", namespaces=RA) for e in entries] == ["8F27", "8F26"]
    assert entries[1].findtext("ra:EventDescription", namespaces=RA) == "Sub GHz Channel Changed"
    assert entries[1].findtext("ra:ScanTrigger", namespaces=RA) == "RemotePartyCommand"
    assert entries[1].findtext("ra:Timestamp", namespaces=RA).startswith("2026-01-01T00:00:00")
    assert entries[1].xpath(
        f"ra:OperatingSubGHzChannel/ra:{band}/ra:Channel{channel.number}", namespaces=RA
    )


@pytest.mark.spec("SRV-01", "SRV-02")
def test_every_sub_ghz_answer_is_valid_for_both_schema_families(sim: Sim) -> None:
    schemas = _schemas()
    upper_only = replace(CONFIGURATION, lower_band_channels=(), upper_band_channels=(26,))
    _ask(sim, "6.28", upper_only)  # the hub moves to the upper band
    _ask(sim, "6.28", CONFIGURATION)
    _ask(sim, "6.29", RequestSubGhzChannelScan())
    for srv, body in [
        ("6.30", ReadSubGhzConfiguration()),
        ("6.31", ReadSubGhzChannel()),
        ("6.32", ReadSubGhzChannelLog(LONG_AGO, FAR_AHEAD)),
    ]:
        response = _ask(sim, srv, body)
        for version in (DuisVersion.V5_1, DuisVersion.V5_2):
            document = build_outbox_message(response, version, recipient=SUPPLIER_A)
            schemas.assert_valid(document, version)


def _schemas() -> OfficialSchemas:
    try:
        return OfficialSchemas.load()
    except OSError:
        pytest.skip("DCC's DUIS schemas are not in ../shared/duis-xsd")


# -- SRV-03 --------------------------------------------------------------------------------------


@pytest.mark.spec("SRV-03")
def test_6_28_then_6_30_reads_back_what_was_written(sim: Sim) -> None:
    _ask(sim, "6.28", CONFIGURATION)
    assert _configuration(sim).settings == CONFIGURATION.settings()
    again = replace(
        CONFIGURATION, gsme_curfew=65_535, limited_critical_duty_cycle_threshold=Decimal("2.40")
    )
    _ask(sim, "6.28", again)
    read = _configuration(sim).settings
    assert read.gsme_curfew == 65_535
    assert str(read.limited_critical_duty_cycle_threshold) == "2.4"  # held to DUIS's digits


@pytest.mark.spec("SRV-03")
def test_6_28_logs_the_change_and_moves_off_a_channel_no_longer_allowed(sim: Sim) -> None:
    before = _channel(sim)
    allowed = tuple(n for n in (3, 4) if n != before.number)
    _ask(sim, "6.28", replace(CONFIGURATION, lower_band_channels=allowed, upper_band_channels=()))
    assert _channel(sim) == SubGhzChannel(Band.LOWER, allowed[0])
    events = [(e.event, e.channel) for e in _log(sim).entries]
    assert events == [
        (ChannelEvent.CONFIGURATION_CHANGED, before),
        (ChannelEvent.CHANNEL_CHANGED, SubGhzChannel(Band.LOWER, allowed[0])),
    ]


@pytest.mark.spec("SRV-03")
def test_a_scan_moves_to_the_quietest_other_allowed_channel_the_same_on_every_run(
    sim: Sim,
) -> None:
    _ask(sim, "6.28", CONFIGURATION)
    start = _channel(sim)
    _ask(sim, "6.29", RequestSubGhzChannelScan())
    candidates = [c for c in CONFIGURATION.settings().allowed() if c != start]
    expected = min(candidates, key=lambda c: noise_dbm(CHF, c, 1))
    assert _channel(sim) == expected != start
    entries = _log(sim).entries
    assert [e.event for e in entries[-2:]] == [
        ChannelEvent.SCAN_INITIATED,
        ChannelEvent.CHANNEL_CHANGED,
    ]
    assert {e.trigger for e in entries[-2:]} == {ScanTrigger.REMOTE_PARTY_COMMAND}


@pytest.mark.spec("SRV-03")
def test_a_scan_is_deterministic(sim: Sim) -> None:
    from tests.conftest import make_sim

    other = make_sim()
    for each in (sim, other):
        for _ in range(3):
            _ask(each, "6.29", RequestSubGhzChannelScan())
    assert _channel(sim) == _channel(other)
    assert _log(sim) == _log(other)


@pytest.mark.spec("SRV-03")
def test_scans_respect_the_weekly_limit_on_channel_changes(sim: Sim) -> None:
    _ask(sim, "6.28", replace(CONFIGURATION, maximum_channel_changes_per_week=1))
    _ask(sim, "6.29", RequestSubGhzChannelScan())
    moved = _channel(sim)
    _ask(sim, "6.29", RequestSubGhzChannelScan())
    assert _channel(sim) == moved
    assert _log(sim).entries[-1].event is ChannelEvent.CHANNEL_NOT_CHANGED
    sim.dsp.advance(timedelta(days=7))
    _ask(sim, "6.29", RequestSubGhzChannelScan())
    assert _log(sim).entries[-1].event is ChannelEvent.CHANNEL_CHANGED


@pytest.mark.spec("SRV-03")
def test_6_32_returns_only_the_period_asked_for(sim: Sim) -> None:
    assert SubGhzRadio.factory(CHF).channel.number not in CONFIGURATION.lower_band_channels
    first = sim.dsp.now()
    _ask(sim, "6.28", CONFIGURATION)
    sim.dsp.advance(timedelta(days=1))
    _ask(sim, "6.29", RequestSubGhzChannelScan())
    day_one = _log(sim, first, first + timedelta(hours=1)).entries
    assert [e.event for e in day_one] == _CONFIGURED
    assert len(_log(sim, first + timedelta(hours=1), sim.dsp.now()).entries) == 2
    assert _log(sim, FAR_AHEAD, FAR_AHEAD).entries == ()


@pytest.mark.spec("SRV-03")
def test_the_log_keeps_the_latest_100_entries(sim: Sim) -> None:
    _ask(sim, "6.28", replace(CONFIGURATION, maximum_channel_changes_per_week=1))
    for _ in range(60):
        _ask(sim, "6.29", RequestSubGhzChannelScan())
    entries = _log(sim).entries
    assert len(entries) == 100
    assert entries[-1].event is ChannelEvent.CHANNEL_NOT_CHANGED


# -- BAD-01 --------------------------------------------------------------------------------------

_BAD_CONFIGURATIONS = [
    ("lower_band_channels", (62,)),
    ("lower_band_channels", (2, 1)),
    ("lower_band_channels", (1, 1)),
    ("upper_band_channels", (27,)),
    ("upper_band_channels", [1]),
    ("upper_band_channels", (0,) * 100_000),
    ("normal_limited_duty_cycle_threshold", Decimal("0.4")),
    ("normal_limited_duty_cycle_threshold", Decimal("2.1")),
    ("normal_limited_duty_cycle_threshold", Decimal("1.25")),
    ("normal_limited_duty_cycle_threshold", 1.3),
    ("limited_critical_duty_cycle_threshold", Decimal("1.5")),
    ("limited_critical_duty_cycle_threshold", Decimal("2.5")),
    ("limited_critical_duty_cycle_threshold", Decimal("NaN")),
    ("maximum_channel_changes_per_week", 0),
    ("maximum_channel_changes_per_week", 8),
    ("gsme_curfew", 1),
    ("gsme_curfew", 65_536),
    ("channel_quieter_threshold", 0),
    ("channel_quieter_threshold", 256),
    ("channel_noisier_threshold", 21),
    ("channel_noisier_threshold", -1),
    ("non_gsme_poor_comms_percentage_threshold", Decimal("0.99")),
    ("non_gsme_poor_comms_percentage_threshold", Decimal("100.01")),
    ("non_gsme_poor_comms_percentage_threshold", Decimal("50.001")),
    ("non_gsme_poor_comms_measurement_periods", 49),
    ("non_gsme_poor_comms_measurement_periods", 151),
    ("local_ch_noise_measurement_period", 60),
    ("local_ch_failure_percentage", Decimal("101")),
    ("local_ch_retry_percentage", Decimal("0")),
    ("local_ch_retry_percentage", True),
]


@pytest.mark.spec("BAD-01")
@pytest.mark.parametrize(("field", "value"), _BAD_CONFIGURATIONS)
def test_a_bad_configuration_field_is_refused_by_name_and_changes_nothing(
    sim: Sim, field: str, value: object
) -> None:
    _assert_refused(sim, "6.28", replace(CONFIGURATION, **{field: value}), f"body.{field}")


@pytest.mark.spec("BAD-01")
def test_a_reversed_or_naive_log_period_is_refused_by_name(sim: Sim) -> None:
    now = sim.dsp.now()
    _assert_refused(sim, "6.32", ReadSubGhzChannelLog(now, now - timedelta(seconds=1)), "body.end")
    naive = datetime(2026, 1, 1)
    _assert_refused(sim, "6.32", ReadSubGhzChannelLog(naive, now), "body.start")


def _assert_refused(sim: Sim, srv: str, body: RequestBody, field: str) -> None:
    _ask(sim, "6.28", CONFIGURATION)  # a hub with a state of its own
    before = fingerprint(sim.dsp)
    request = sim.request(srv, body, target=CHF)
    with pytest.raises(InvalidField) as refused:
        sim.dsp.submit(request)
    assert refused.value.field.split("[")[0] == field
    assert fingerprint(sim.dsp) == before  # no counter consumed, nothing queued, no hub change


@pytest.mark.spec("BAD-01")
@pytest.mark.parametrize(
    ("old", "new", "element"),
    [
        (b"<sr:GSMECurfew>7<", b"<sr:GSMECurfew>1<", "GSMECurfew"),
        (b"<sr:GSMECurfew>7<", b"<sr:GSMECurfew>seven<", "GSMECurfew"),
        (b">1.3<", b">1.35<", "NormalLimitedDutyCycleThreshold"),
        (b">1.3<", b">1e0<", "NormalLimitedDutyCycleThreshold"),
        (b">60.00<", b">100.5<", "NonGSMEPoorCommsPercentageThreshold"),
        (
            b"<sr:Channel28/>\n        <sr:Channel29/>",
            b"<sr:Channel29/>\n        <sr:Channel28/>",
            "LowerBandSubGHzChannels27To34/Channel28",
        ),
        (b"<sr:Channel36/>", b"<sr:Channel36>x</sr:Channel36>", "LowerBandSubGHzChannels35To61"),
        (b"<sr:Channel36/>", b"<sr:Channel3/>", "LowerBandSubGHzChannels35To61/Channel3"),
    ],
)
def test_a_bad_duis_configuration_names_its_element(old: bytes, new: bytes, element: str) -> None:
    document = TEMPLATE_628.read_bytes()
    assert old in document
    with pytest.raises(InvalidField) as refused:
        parse_request(document.replace(old, new, 1))
    assert refused.value.field.startswith(f"Body/SetCHFSubGHzConfiguration/{element}")


@pytest.mark.spec("SRV-01")
def test_the_rtds_configuration_reads_as_its_body() -> None:
    assert parse_request(TEMPLATE_628.read_bytes()).request.body == CONFIGURATION


# -- gRPC ----------------------------------------------------------------------------------------


@pytest.mark.spec("SRV-01", "SRV-02")
def test_grpc_bodies_and_answers_convert(sim: Sim) -> None:
    message = supplier_pb2.SubmitRequest(
        request_id=f"{SUPPLIER_A}:{CHF}:1", service_reference_variant="6.28", command_variant=1
    )
    message.set_sub_ghz_configuration.CopyFrom(
        sub_ghz_pb2.SubGhzSettings(
            lower_band_channels=[1, 2, 28, 29, 36, 37],
            upper_band_channels=[1, 2],
            normal_limited_duty_cycle_threshold="1.3",
            limited_critical_duty_cycle_threshold="2.2",
            maximum_channel_changes_per_week=5,
            gsme_curfew=7,
            channel_quieter_threshold=7,
            channel_noisier_threshold=12,
            non_gsme_poor_comms_percentage_threshold="60.00",
            non_gsme_poor_comms_measurement_periods=130,
            local_ch_noise_measurement_period=100,
            local_ch_failure_percentage="40.00",
            local_ch_retry_percentage="30.00",
        )
    )
    assert convert.service_request(message).body == CONFIGURATION
    message.set_sub_ghz_configuration.gsme_curfew = 0
    with pytest.raises(InvalidField, match=r"body\.gsme_curfew"):
        sim.dsp.submit(convert.service_request(message))
    message.set_sub_ghz_configuration.local_ch_retry_percentage = "30%"
    with pytest.raises(InvalidField, match=r"body\.local_ch_retry_percentage"):
        convert.service_request(message)

    _ask(sim, "6.28", CONFIGURATION)
    _ask(sim, "6.29", RequestSubGhzChannelScan())
    read = convert.delivery(_entry(sim, _ask(sim, "6.30", ReadSubGhzConfiguration())))
    settings = read.service_response.sub_ghz_configuration
    assert list(settings.lower_band_channels) == [1, 2, 28, 29, 36, 37]
    assert settings.non_gsme_poor_comms_percentage_threshold == "60.00"
    channel = _channel(sim)
    read = convert.delivery(_entry(sim, _ask(sim, "6.31", ReadSubGhzChannel())))
    assert read.service_response.sub_ghz_channel.number == channel.number
    log = convert.delivery(
        _entry(sim, _ask(sim, "6.32", ReadSubGhzChannelLog(LONG_AGO, FAR_AHEAD)))
    )
    entries = log.service_response.sub_ghz_channel_log.entries
    assert [e.event_code for e in entries] == [*_CONFIGURED, 0x8F27, 0x8F26]
    assert entries[-1].scan_trigger == "RemotePartyCommand"
    empty = convert.delivery(
        _entry(sim, _ask(sim, "6.32", ReadSubGhzChannelLog(FAR_AHEAD, FAR_AHEAD)))
    )
    assert empty.service_response.WhichOneof("body") == "sub_ghz_channel_log"

    request = supplier_pb2.SubmitRequest(
        request_id=f"{SUPPLIER_A}:{CHF}:5000", service_reference_variant="6.32", command_variant=1
    )
    request.read_sub_ghz_channel_log.start.FromDatetime(LONG_AGO)
    with pytest.raises(InvalidField, match=r"body\.end"):
        convert.service_request(request)


def _entry(sim: Sim, response: ServiceResponse):  # an OutboxEntry
    [entry] = [e for e in sim.dsp.pending(SUPPLIER_A) if e.message is response]
    return entry
