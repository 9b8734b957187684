"""Display SRVs, 3.1-3.5 (server/core/services/display.py, devices/display.py): each is served by
the device types it applies to (SRV-01), what it writes the meter holds (SRV-03), the DSP-pattern
ones are held until their time (SRV-05), and a malformed body is refused naming its field and
changes nothing (BAD-01)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dccsim.devices.configuration import EventCode, LogKind
from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.fingerprint import fingerprint
from dccsim.server.core.requests import RequestBody
from dccsim.server.core.services import display
from dccsim.server.duis.parse import parse_request
from dccsim.server.rpc import convert
from dccsim.v1 import supplier_pb2
from tests.conftest import CHF, ESME, GPF, GSME, PPMID, RTDS_DIR, SUPPLIER_A, Sim
from tests.core.test_configuration import _ask, _mmc, example_body

RA = {"ra": "http://www.dccinterface.co.uk/ResponseAndAlert"}


@pytest.mark.spec("SRV-01")
@pytest.mark.parametrize(
    ("srv", "served", "refused", "rsp"),
    [
        ("3.1", GSME, CHF, "DisplayMessageRsp"),
        ("3.2", GPF, GSME, "RestrictAccessForChangeOfTenancyRsp"),
        ("3.3", PPMID, CHF, "ClearEventLogRsp"),
        ("3.4", ESME, PPMID, "UpdateSupplierNameRsp"),
        ("3.5", ESME, GPF, "DisablePrivacyPINRsp"),
    ],
)
def test_each_display_srv_is_served_and_answers_its_empty_mmc_response(
    sim: Sim, srv: str, served: str, refused: str, rsp: str
) -> None:
    response = _ask(sim, srv, example_body(srv), served)
    assert response.body is None
    assert _mmc(response).xpath(f"//ra:{rsp}", namespaces=RA)
    assert sim.send(srv, example_body(srv), target=refused).code is ResponseCode.E11


@pytest.mark.spec("SRV-03")
def test_the_meter_holds_what_the_display_srvs_write(sim: Sim) -> None:
    device = sim.dsp.state.network.get(ESME)
    assert device.display is None
    _ask(sim, "3.1", display.DisplayMessage("Please call us"))
    _ask(sim, "3.4", display.UpdateSupplierName("DCCSIM", "0800 123 456"))
    when = datetime(2026, 1, 1, tzinfo=UTC)
    _ask(sim, "3.2", display.RestrictAccessForChangeOfTenancy(when))
    _ask(sim, "3.5", display.DisablePrivacyPin())
    shown = device.display
    assert shown.message.text == "Please call us" and shown.message.since == sim.dsp.now()
    assert (shown.supplier_name, shown.supplier_telephone) == ("DCCSIM", "0800 123 456")
    assert shown.restricted_before == when and not shown.privacy_pin_enabled
    codes = [e.code for e in device.configuration.logs[LogKind.EVENT]]
    assert codes == [EventCode.COMMAND_ACTIONED] * 4


@pytest.mark.spec("SRV-03")
def test_3_3_clears_the_alcs_log_or_the_event_log(sim: Sim) -> None:
    device = sim.dsp.state.network.get(ESME)
    _ask(sim, "3.5", display.DisablePrivacyPin())
    _ask(sim, "3.3", display.ClearEventLog(display.EventLogType.ALCS))
    assert [e.code for e in device.configuration.logs[LogKind.EVENT]] == [
        EventCode.COMMAND_ACTIONED
    ]
    _ask(sim, "3.3", display.ClearEventLog(display.EventLogType.ESME))
    assert LogKind.EVENT not in device.configuration.logs
    assert len(device.configuration.logs[LogKind.SECURITY]) == 2


@pytest.mark.spec("SRV-05")
def test_a_future_dated_3_1_is_held_by_the_dsp_until_its_time(sim: Sim) -> None:
    when = sim.dsp.now() + timedelta(days=1)
    body = display.DisplayMessage("Tomorrow")
    assert sim.send("3.1", body, target=ESME, execution_datetime=when).code is ResponseCode.I99
    device = sim.dsp.state.network.get(ESME)
    assert device.display is None
    sim.dsp.advance(timedelta(days=1))
    assert device.display.message.text == "Tomorrow"


@pytest.mark.spec("BAD-01")
@pytest.mark.parametrize(
    ("srv", "body", "field"),
    [
        ("3.1", display.DisplayMessage(""), "body.message"),
        ("3.1", display.DisplayMessage("x" * 117), "body.message"),
        ("3.1", display.DisplayMessage("caf\u00e9"), "body.message"),
        (
            "3.2",
            display.RestrictAccessForChangeOfTenancy(datetime(2026, 1, 1)),
            "body.restriction_datetime",
        ),
        ("3.3", display.ClearEventLog("GSME"), "body.log"),
        ("3.4", display.UpdateSupplierName("A" * 16, "0800"), "body.name"),
        ("3.4", display.UpdateSupplierName("DCCSIM", "+44 800"), "body.telephone"),
    ],
)
def test_a_malformed_display_body_is_refused_and_changes_nothing(
    sim: Sim, srv: str, body: RequestBody, field: str
) -> None:
    before = fingerprint(sim.dsp)
    with pytest.raises(InvalidField) as refused:
        sim.send(srv, body, target=ESME)
    assert refused.value.field == field
    assert fingerprint(sim.dsp) == before


@pytest.mark.spec("SRV-01")
def test_the_rtds_display_bodies_read_as_the_core_expects() -> None:
    def body(name: str) -> RequestBody:
        return parse_request((RTDS_DIR / name).read_bytes()).request.body

    assert body("ECS16_3.4_SUCCESS_REQUEST_DUIS.XML") == display.UpdateSupplierName(
        "E-ON", "0333 202 4650"
    )
    assert body("ECS15c_3.3_SUCCESS_REQUEST_DUIS.XML") == display.ClearEventLog(
        display.EventLogType.ALCS
    )
    assert body("CS11_3.3_SUCCESS_REQUEST_DUIS.XML") == display.ClearEventLog()
    document = (RTDS_DIR / "ECS10_3.1_SUCCESS_REQUEST_DUIS.XML").read_bytes()
    with pytest.raises(InvalidField, match="SupplierMessage"):
        parse_request(document.replace(b"<sr:SupplierMessage>Reset", b"<sr:SupplierMessage><x/>"))


@pytest.mark.spec("SRV-01")
def test_grpc_display_bodies_convert() -> None:
    message = supplier_pb2.SubmitRequest(
        request_id=f"{SUPPLIER_A}:{ESME}:1", service_reference_variant="3.3", command_variant=1
    )
    message.clear_event_log.log = "ALCS"
    assert convert.service_request(message).body == display.ClearEventLog(display.EventLogType.ALCS)
    message.clear_event_log.log = "GSME"
    with pytest.raises(InvalidField, match=r"body\.log"):
        convert.service_request(message)
    name = supplier_pb2.SubmitRequest(
        request_id=f"{SUPPLIER_A}:{ESME}:2", service_reference_variant="3.4", command_variant=1
    )
    name.update_supplier_name.name, name.update_supplier_name.telephone = "DCCSIM", "0800"
    assert convert.service_request(name).body == display.UpdateSupplierName("DCCSIM", "0800")
