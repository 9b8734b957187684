"""Device-originated alerts (SRV-06) through gRPC: RaiseDeviceAlert, raise-alert fault rules, the
client library and the CLI."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import grpc
import pytest
from click.testing import CliRunner

from dccsim.clients.cli import main
from dccsim.clients.client import Client, InvalidRequest, NotFoundError
from dccsim.server.rpc.app import RunningServer
from dccsim.v1 import control_pb2, supplier_pb2
from tests.conftest import ESME, GSME, NETWORK_OPERATOR, SUPPLIER_A

START = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def address(server: RunningServer) -> str:
    return f"127.0.0.1:{server.port}"


def _device_alerts(dcc: Client, user: str) -> list[supplier_pb2.DeviceAlert]:
    return [
        d.device_alert
        for d in dcc.deliveries(user, timeout=1.0)
        if d.WhichOneof("message") == "device_alert"
    ]


@pytest.mark.spec("SRV-06", "ALERT-01")
def test_raise_device_alert_reaches_the_supplier_and_network_operator(address: str) -> None:
    with Client(address) as dcc:
        interrupted = START - timedelta(minutes=5)
        raised = dcc.raise_device_alert(ESME, 0x8F36, interrupted_at=interrupted)
        assert list(raised.recipients) == [SUPPLIER_A, NETWORK_OPERATOR]
        assert raised.alert_name == "Supply Outage Restored - Outage >= 3 minutes"
        assert dcc.raise_device_alert(GSME, 0x810D).recipients == [SUPPLIER_A]
        to_supplier = _device_alerts(dcc, SUPPLIER_A)
        to_operator = _device_alerts(dcc, NETWORK_OPERATOR)
    assert [(a.device_id, a.alert_code) for a in to_supplier] == [(ESME, 0x8F36), (GSME, 0x810D)]
    assert [(a.device_id, a.alert_code) for a in to_operator] == [(ESME, 0x8F36)]
    outage = to_operator[0]
    assert outage.message_code == 0x0067
    assert outage.request_id == ""
    assert outage.supply_outage_restore.interrupted_at.ToDatetime(tzinfo=UTC) == interrupted
    assert outage.supply_outage_restore.restored_at.ToDatetime(tzinfo=UTC) == START
    assert to_supplier[1].alert_name.startswith("Combined Credit Below Low Credit Threshold")


@pytest.mark.spec("SRV-06", "BAD-01")
@pytest.mark.parametrize(
    ("request_fields", "code", "field"),
    [
        ({"device_id": "", "alert_code": 0x8F57}, grpc.StatusCode.INVALID_ARGUMENT, "device_id"),
        ({"device_id": "zz", "alert_code": 0x8F57}, grpc.StatusCode.INVALID_ARGUMENT, "device_id"),
        ({"device_id": ESME}, grpc.StatusCode.INVALID_ARGUMENT, "alert_code"),
        ({"device_id": ESME, "alert_code": 0x1234}, grpc.StatusCode.INVALID_ARGUMENT, "alert_code"),
        ({"device_id": GSME, "alert_code": 0x8F57}, grpc.StatusCode.INVALID_ARGUMENT, "alert_code"),
        (
            {"device_id": ESME, "alert_code": 0x8F35, "integrity_warning": "Gremlins"},
            grpc.StatusCode.INVALID_ARGUMENT,
            "integrity_warning",
        ),
        (
            {"device_id": "00-DB-99-99-99-99-99-99", "alert_code": 0x8F57},
            grpc.StatusCode.NOT_FOUND,
            "device",
        ),
    ],
)
def test_a_bad_raise_is_refused_naming_the_field(
    server: RunningServer, control, request_fields: dict, code: grpc.StatusCode, field: str
) -> None:
    before = server.host.dsp.journal.last_sequence
    with pytest.raises(grpc.RpcError) as caught:
        control.RaiseDeviceAlert(control_pb2.RaiseDeviceAlertRequest(**request_fields))
    assert caught.value.code() is code
    assert field in caught.value.details()
    assert server.host.dsp.journal.last_sequence == before
    assert not server.host.dsp.pending(SUPPLIER_A)


@pytest.mark.spec("SRV-06", "FAULT-01", "FAULT-02", "FAULT-04")
def test_a_raise_alert_rule_fires_at_its_virtual_time(address: str, server: RunningServer) -> None:
    rule = control_pb2.FaultRule(action="raise-alert", stage="device-alert", alert_code=0x8F57)
    rule.device_ids.append(ESME)
    rule.window_start.FromDatetime(START + timedelta(hours=2))
    with Client(address) as dcc:
        rule_id = dcc.add_fault_rule(rule)
        (listed,) = dcc.fault_rules()
        assert (listed.rule_id, listed.rule.action, listed.rule.alert_code) == (
            rule_id,
            "raise-alert",
            0x8F57,
        )
        dcc.advance(timedelta(hours=1))
        assert not _device_alerts(dcc, NETWORK_OPERATOR)
        dcc.advance(timedelta(hours=1))
        assert [(a.device_id, a.alert_code) for a in _device_alerts(dcc, NETWORK_OPERATOR)] == [
            (ESME, 0x8F57)
        ]
        decisions = dcc.fault_decisions()
    assert [(d.rule_id, d.action, d.stage, d.device_id, d.alert_code) for d in decisions] == [
        (rule_id, "raise-alert", "device-alert", ESME, 0x8F57)
    ]


def test_the_client_raises_pythonic_errors(address: str) -> None:
    with Client(address) as dcc:
        with pytest.raises(InvalidRequest) as caught:
            dcc.raise_device_alert(ESME, 0x81C3)  # a GSME's tilt tamper
        assert caught.value.field == "alert_code"
        with pytest.raises(NotFoundError):
            dcc.raise_device_alert("00-DB-99-99-99-99-99-99", 0x8F57)


@pytest.mark.spec("SRV-06")
def test_cli_raise_alert(address: str) -> None:
    runner = CliRunner()
    result = runner.invoke(
        main,
        ["raise-alert", "--server", address, ESME, "supply-interrupted"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert "8F57 Supply interrupted" in result.output
    assert NETWORK_OPERATOR in result.output
    result = runner.invoke(main, ["raise-alert", "--server", address, GSME, "8F57"])
    assert result.exit_code != 0
    assert "alert_code" in result.output
    result = runner.invoke(main, ["raise-alert", "--server", address, ESME, "power-cut"])
    assert result.exit_code != 0
    assert "ALERT_CODE" in result.output
