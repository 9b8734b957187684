"""Fault rules through the control API, the fleet file and `dccsim serve`'s headline flag."""

from __future__ import annotations

import hashlib
import json
import re
import signal
import subprocess
import sys

import grpc
import pytest

from dccsim.clients.client import Client, NotFoundError
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.faults import FaultAction, FaultStage
from dccsim.server.core.fleet_file import parse_fleet
from dccsim.server.rpc.app import RunningServer
from dccsim.v1 import control_pb2, supplier_pb2
from tests.conftest import ESME, SUPPLIER_A

IMAGE = b"image for fault tests"


def _read(supplier, counter: int) -> str:
    return supplier.Submit(
        supplier_pb2.SubmitRequest(
            request_id=f"{SUPPLIER_A}:{ESME}:{counter}",
            service_reference_variant="11.2",
            command_variant=1,
            read_firmware_version={},
        )
    ).response_code


@pytest.mark.spec("FAULT-04", "FAULT-02")
def test_rules_are_added_listed_removed_and_their_decisions_listed(
    server: RunningServer, supplier, control
) -> None:
    entry = control.AddFaultRule(control_pb2.FaultRule(action="drop", srv="11.2", first_n=1))
    listed = control.ListFaultRules(control_pb2.ListFaultRulesRequest())
    assert [(r.rule_id, r.rule.action, r.rule.srv, r.rule.first_n) for r in listed.rules] == [
        (entry.rule_id, "drop", "11.2", 1)
    ]
    assert _read(supplier, 1) == "I99"
    assert _read(supplier, 2) == "I99"
    decisions = control.ListFaultDecisions(control_pb2.ListFaultDecisionsRequest()).decisions
    assert [
        (d.rule_id, d.action, d.stage, d.srv, d.device_id, d.request_id) for d in decisions
    ] == [(entry.rule_id, "drop", "device-response", "11.2", ESME, f"{SUPPLIER_A}:{ESME}:1")]
    assert len(server.host.dsp.pending(SUPPLIER_A)) == 1  # only the second response came
    control.RemoveFaultRule(control_pb2.RemoveFaultRuleRequest(rule_id=entry.rule_id))
    assert not control.ListFaultRules(control_pb2.ListFaultRulesRequest()).rules
    with pytest.raises(grpc.RpcError) as caught:
        control.RemoveFaultRule(control_pb2.RemoveFaultRuleRequest(rule_id=entry.rule_id))
    assert caught.value.code() is grpc.StatusCode.NOT_FOUND


@pytest.mark.spec("FAULT-01")
@pytest.mark.parametrize(
    ("rule", "field"),
    [
        ({"action": "explode"}, "action"),
        ({"action": "drop", "stage": "later"}, "stage"),
        ({"action": "drop", "probability": 2.0}, "probability"),
        ({"action": "delay"}, "delay"),
        ({"action": "error-code", "error_code": "I0"}, "error_code"),
        ({"action": "drop", "device_ids": ["nope"]}, "device_ids"),
    ],
)
def test_a_bad_rule_is_invalid_argument_naming_the_field(control, rule, field) -> None:
    with pytest.raises(grpc.RpcError) as caught:
        control.AddFaultRule(control_pb2.FaultRule(**rule))
    assert caught.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert field in caught.value.details()
    assert not control.ListFaultRules(control_pb2.ListFaultRulesRequest()).rules


@pytest.mark.spec("FAULT-01")
def test_a_lost_acknowledgement_fails_the_call_but_the_request_runs(
    server: RunningServer, supplier, control
) -> None:
    control.AddFaultRule(control_pb2.FaultRule(action="drop", stage="acknowledgement"))
    with pytest.raises(grpc.RpcError) as caught:
        _read(supplier, 1)
    assert caught.value.code() is grpc.StatusCode.UNAVAILABLE
    assert len(server.host.dsp.pending(SUPPLIER_A)) == 1


@pytest.mark.spec("FAULT-01")
def test_fleet_file_faults_section() -> None:
    fleet = parse_fleet("""
faults:
  - {action: drop, srv: "11.3", probability: 0.2}
  - {action: delay, stage: device-alert, srv: "11.1", delay_seconds: 90}
  - {action: error-code, error_code: E21, device_type: GSME, first_n: 3}
""")
    assert [(f.action, f.stage, f.srv) for f in fleet.faults] == [
        (FaultAction.DROP, FaultStage.DEVICE_RESPONSE, "11.3"),
        (FaultAction.DELAY, FaultStage.DEVICE_ALERT, "11.1"),
        (FaultAction.ERROR_CODE, FaultStage.DEVICE_RESPONSE, None),
    ]
    assert fleet.faults[1].delay.total_seconds() == 90
    with pytest.raises(InvalidField) as caught:
        parse_fleet("faults: [{action: delay}]")
    assert caught.value.field == "faults[0].delay"


@pytest.mark.spec("FAULT-03", "DEV-07")
def test_serve_lose_activation_responses_flag(tmp_path) -> None:
    command = [
        sys.executable,
        "-m",
        "dccsim.clients",
        "serve",
        "--port",
        "0",
        "--no-http",
        "--no-smki",
        "--lose-activation-responses",
        "1.0",
        "--log-format",
        "json",
        "--in-memory",
    ]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        first = json.loads(process.stderr.readline())
        port = int(re.search(r"serving on [\d.]+:(\d+)", first["message"]).group(1))
        with Client(f"127.0.0.1:{port}") as dcc:
            dcc.update_firmware(user=SUPPLIER_A, image=IMAGE, version="0200", devices=[ESME])
            answer = dcc.activate_firmware(
                user=SUPPLIER_A, device=ESME, image_hash=hashlib.sha256(IMAGE).digest()
            )
            assert answer.code == "I99"
            decisions = dcc.control.ListFaultDecisions(control_pb2.ListFaultDecisionsRequest())
            assert [(d.action, d.srv) for d in decisions.decisions] == [("drop", "11.3")]
            # The DSP never heard: the SMI still shows the old firmware; a read reveals the new.
            assert dcc.device(ESME).firmware_version == "0100"
            assert dcc.read_firmware_version(user=SUPPLIER_A, device=ESME).code == "I99"
            assert dcc.device(ESME).firmware_version == "0200"
            with pytest.raises(NotFoundError):
                dcc.device("00-00-00-00-00-00-00-09")
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)


@pytest.mark.spec("FAULT-02", "FAULT-04")
def test_faults_command_adds_lists_exports_and_removes(server: RunningServer, supplier) -> None:
    from click.testing import CliRunner

    from dccsim.clients.cli import main

    address = ["--server", f"127.0.0.1:{server.port}"]
    runner = CliRunner()
    added = runner.invoke(main, ["faults", *address, "--add", '{"action": "drop", "srv": "11.2"}'])
    assert added.output.strip() == "rule 1 added"
    assert _read(supplier, 1) == "I99"
    exported = json.loads(runner.invoke(main, ["faults", *address, "--decisions", "--json"]).output)
    assert [(d["ruleId"], d["action"], d["srv"]) for d in exported] == [(1, "drop", "11.2")]
    bad = runner.invoke(main, ["faults", *address, "--add", '{"action": "explode"}'])
    assert bad.exit_code == 1 and "field: action" in bad.output
    assert runner.invoke(main, ["faults", *address, "--remove", "1"]).output.strip() == (
        "rule 1 removed"
    )
    assert json.loads(runner.invoke(main, ["faults", *address, "--json"]).output) == []
