"""9.1 Request Customer Identification Number and 14.1 Record Network Data (GAS)
(server/core/services/customer_and_network.py, devices/cin.py, devices/network_data.py): served to
the roles and device types DUIS names (SRV-01), answered from the meter's state (SRV-02), the state
they write is what the meter then holds (SRV-03), and malformed requests change nothing
(BAD-01)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from lxml import etree

from dccsim.devices.network_data import SAMPLE_INTERVAL, SAMPLES, meter_index
from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.fingerprint import fingerprint
from dccsim.server.core.fleet import OTHER_USER
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.messages import ServiceResponse
from dccsim.server.core.records import DuisVersion
from dccsim.server.core.requests import NoBody, RequestBody
from dccsim.server.core.services.customer_and_network import (
    CustomerIdentificationNumberShown,
    NetworkDataLogStarted,
    RecordNetworkDataGas,
    RequestCustomerIdentificationNumber,
)
from dccsim.server.duis.build import build_outbox_message, read_gbcs_payload
from dccsim.server.duis.parse import parse_request
from dccsim.server.rpc import convert
from dccsim.v1 import supplier_pb2
from tests.conftest import (
    CHF,
    ESME,
    GSME,
    NETWORK_OPERATOR,
    RTDS_DIR,
    SUPPLIER_A,
    Sim,
    make_sim,
)
from tests.duis.documents import OfficialSchemas, template_document

NS = {
    "sr": "http://www.dccinterface.co.uk/ServiceUserGateway",
    "ra": "http://www.dccinterface.co.uk/ResponseAndAlert",
}
CIN = RequestCustomerIdentificationNumber()
NETWORK_DATA = RecordNetworkDataGas()


def _ask(sim: Sim, srv: str, body: RequestBody, target: str, user: str) -> ServiceResponse:
    answer = sim.send(srv, body, target=target, user=user)
    assert answer.code is ResponseCode.I99, answer
    response = sim.messages(user)[-1]
    assert isinstance(response, ServiceResponse)
    assert response.request_id == answer.request_id
    assert response.code is ResponseCode.I0
    return response


def _cin(sim: Sim, target: str = ESME) -> ServiceResponse:
    return _ask(sim, "9.1", CIN, target, OTHER_USER)


def _record(sim: Sim) -> ServiceResponse:
    return _ask(sim, "14.1", NETWORK_DATA, GSME, NETWORK_OPERATOR)


# -- SRV-01 --------------------------------------------------------------------------------------


@pytest.mark.spec("SRV-01")
def test_9_1_is_served_to_the_other_user_by_esme_and_gsme_only(sim: Sim) -> None:
    for meter in (ESME, GSME):
        assert isinstance(_cin(sim, meter).body, CustomerIdentificationNumberShown)
    assert sim.send("9.1", CIN, target=CHF, user=OTHER_USER).code is ResponseCode.E11
    assert sim.send("9.1", CIN, target=ESME, user=SUPPLIER_A).code is ResponseCode.E2


@pytest.mark.spec("SRV-01")
def test_14_1_is_served_to_the_gas_transporter_by_the_gsme_only(sim: Sim) -> None:
    assert isinstance(_record(sim).body, NetworkDataLogStarted)
    e11 = sim.send("14.1", NETWORK_DATA, target=ESME, user=NETWORK_OPERATOR)
    assert e11.code is ResponseCode.E11
    assert sim.send("14.1", NETWORK_DATA, target=GSME, user=SUPPLIER_A).code is ResponseCode.E2


# -- SRV-02 / SRV-03: 9.1 ------------------------------------------------------------------------


@pytest.mark.spec("SRV-02", "SRV-03")
def test_the_cin_answered_is_the_one_the_meter_now_shows(sim: Sim) -> None:
    first = _cin(sim).body
    assert isinstance(first, CustomerIdentificationNumberShown)
    meter = sim.dsp.state.network.get(ESME)
    assert meter.cin is not None and meter.cin.cin == first.cin
    assert len(first.cin) == 4 and first.cin.isdigit()
    assert meter.cin.shown_since == sim.dsp.now()
    sim.dsp.advance(timedelta(minutes=5))
    second = _cin(sim).body
    assert meter.cin.cin == second.cin and meter.cin.shown_since == sim.dsp.now()
    assert sim.dsp.state.network.get(GSME).cin is None  # only the meter asked shows one


@pytest.mark.spec("SRV-02")
def test_cins_differ_by_request_and_are_the_same_on_every_run(sim: Sim) -> None:
    cins = [_cin(sim).body.cin for _ in range(20)]
    assert len(set(cins)) > 10
    other = make_sim()
    assert [_cin(other).body.cin for _ in range(20)] == cins


@pytest.mark.spec("SRV-02", "SRV-01")
def test_the_duis_response_is_a_cin_message_with_the_payload_and_the_cin(sim: Sim) -> None:
    response = _cin(sim)
    schemas = _schemas()
    for version in (DuisVersion.V5_1, DuisVersion.V5_2):
        document = build_outbox_message(response, version, recipient=OTHER_USER)
        schemas.assert_valid(document, version)
        root = etree.fromstring(document)
        [message] = root.xpath("//sr:ResponseMessage/sr:CINMessage", namespaces=NS)
        number = message.findtext("sr:CustomerIdentificationNumber", namespaces=NS)
        assert number == sim.dsp.state.network.get(ESME).cin.cin
        mmc = read_gbcs_payload(message.findtext("sr:GBCSPayload", namespaces=NS))
        assert mmc.xpath("//ra:SMETSData/ra:RequestCustomerIdentificationNumberRsp", namespaces=NS)
        assert not root.xpath("//sr:ResponseMessage/sr:GBCSPayload", namespaces=NS)


# -- SRV-02 / SRV-03: 14.1 -----------------------------------------------------------------------


@pytest.mark.spec("SRV-02", "SRV-03")
def test_each_14_1_starts_a_new_network_data_log_with_the_next_sample_id(sim: Sim) -> None:
    assert _record(sim).body == NetworkDataLogStarted(1)
    log = sim.dsp.state.network.get(GSME).network_data
    assert log is not None and log.sample_id == 1 and log.started_at == sim.dsp.now()
    sim.dsp.advance(timedelta(hours=1))
    assert _record(sim).body == NetworkDataLogStarted(2)
    assert sim.dsp.state.network.get(GSME).network_data.started_at == sim.dsp.now()


@pytest.mark.spec("SRV-03")
def test_the_log_samples_the_meter_index_every_six_minutes_for_41_samples(sim: Sim) -> None:
    _record(sim)
    start = sim.dsp.now()
    meter = sim.dsp.state.network.get(GSME)
    assert len(meter.network_data.samples(GSME, start)) == 1
    sim.dsp.advance(timedelta(hours=1))
    samples = meter.network_data.samples(GSME, sim.dsp.now())
    assert [s.timestamp for s in samples] == [start + n * SAMPLE_INTERVAL for n in range(11)]
    values = [s.value for s in samples]
    assert values == sorted(values) and values[-1] > values[0]  # gas flowed
    assert values[0] == meter_index(GSME, start)
    sim.dsp.advance(timedelta(hours=10))
    assert len(meter.network_data.samples(GSME, sim.dsp.now())) == SAMPLES == 41


@pytest.mark.spec("SRV-02")
def test_the_stand_in_meter_index_differs_by_meter() -> None:
    when = datetime(2026, 1, 1, tzinfo=UTC)
    assert meter_index(GSME, when) != meter_index("00-DB-12-34-56-78-91-A1", when)
    assert meter_index(GSME, when).as_tuple().exponent == -3  # m3 to the litre


@pytest.mark.spec("SRV-02", "SRV-01")
def test_the_duis_response_carries_the_sample_id(sim: Sim) -> None:
    _record(sim)
    response = _record(sim)
    schemas = _schemas()
    for version in (DuisVersion.V5_1, DuisVersion.V5_2):
        document = build_outbox_message(response, version, recipient=NETWORK_OPERATOR)
        schemas.assert_valid(document, version)
        [payload] = etree.fromstring(document).xpath("//sr:GBCSPayload/text()", namespaces=NS)
        mmc = read_gbcs_payload(str(payload))
        assert mmc.xpath("string(//ra:RecordNetworkDataGASRsp/ra:SampleID)", namespaces=NS) == "2"


def _schemas() -> OfficialSchemas:
    try:
        return OfficialSchemas.load()
    except OSError:
        pytest.skip("DCC's DUIS schemas are not in ../shared/duis-xsd")


# -- BAD-01 --------------------------------------------------------------------------------------


@pytest.mark.spec("BAD-01")
@pytest.mark.parametrize(
    ("srv", "target", "user"), [("9.1", ESME, OTHER_USER), ("14.1", GSME, NETWORK_OPERATOR)]
)
def test_a_malformed_request_is_refused_and_changes_nothing(
    sim: Sim, srv: str, target: str, user: str
) -> None:
    before = fingerprint(sim.dsp)
    with pytest.raises(InvalidField) as refused:
        sim.send(srv, NoBody(), target=target, user=user)
    assert refused.value.field == "body"
    with pytest.raises(InvalidField) as refused:
        body = CIN if srv == "9.1" else NETWORK_DATA
        sim.send(srv, body, target=target, user=user, execution_datetime=sim.dsp.now())
    assert refused.value.field == "execution_datetime"
    assert fingerprint(sim.dsp) == before
    meter = sim.dsp.state.network.get(target)
    assert meter.cin is None and meter.network_data is None


@pytest.mark.spec("BAD-01")
@pytest.mark.parametrize(
    ("template", "element"),
    [
        ("ECS50_9.1", "RequestCustomerIdentificationNumber"),
        ("GCS31_14.1", "RecordNetworkDataGAS"),
    ],
)
def test_a_body_with_content_names_the_element(template: str, element: str) -> None:
    document = template_document(RTDS_DIR / f"{template}_SUCCESS_REQUEST_DUIS.XML")
    assert parse_request(document).body_element == element
    bad = document.replace(
        f"<sr:{element}/>".encode(), f"<sr:{element}><sr:X/></sr:{element}>".encode()
    )
    with pytest.raises(InvalidField) as refused:
        parse_request(bad)
    assert refused.value.field == f"Body/{element}/X"


# -- gRPC ----------------------------------------------------------------------------------------


@pytest.mark.spec("SRV-01", "SRV-02")
def test_grpc_bodies_and_answers_convert(sim: Sim) -> None:
    for srv, field, target, user, expected in [
        ("9.1", "request_customer_identification_number", ESME, OTHER_USER, CIN),
        ("14.1", "record_network_data_gas", GSME, NETWORK_OPERATOR, NETWORK_DATA),
    ]:
        message = supplier_pb2.SubmitRequest(
            request_id=f"{user}:{target}:7000",
            service_reference_variant=srv,
            command_variant=int(CommandVariant.NON_CRITICAL_REMOTE),
        )
        getattr(message, field).SetInParent()
        request = convert.service_request(message)
        assert request.body == expected
        assert sim.dsp.submit(request).code is ResponseCode.I99
    [cin_entry] = sim.dsp.pending(OTHER_USER)
    delivered = convert.delivery(cin_entry).service_response
    assert delivered.customer_identification_number.cin == sim.dsp.state.network.get(ESME).cin.cin
    [record_entry] = sim.dsp.pending(NETWORK_OPERATOR)
    assert convert.delivery(record_entry).service_response.network_data_log_started.sample_id == 1
