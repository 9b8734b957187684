"""Fault injection: selectors, actions, triggers, seeding and the headline 20% scenario."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from dccsim.devices.kinds import DeviceType, SmetsVersion
from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.dsp import Dsp
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.faults import FaultAction, FaultPlan, FaultRule, FaultStage
from dccsim.server.core.fleet_file import parse_fleet
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.messages import DeviceAlertMessage, ServiceResponse
from dccsim.server.core.requests import (
    ActivateFirmware,
    ReadFirmwareVersion,
    RequestId,
    ServiceRequest,
    SignedPreCommand,
    UpdateFirmware,
)
from tests.conftest import ESME, GSME, SUPPLIER_A, Sim

SUPPLIER = "90-B3-D5-1F-30-01-00-00"
IMAGE = b"campaign image 0200"
IMAGE_HASH = hashlib.sha256(IMAGE).digest()


def _responses(sim: Sim) -> list[ServiceResponse]:
    return [m for m in sim.messages() if isinstance(m, ServiceResponse)]


@pytest.mark.spec("FAULT-01")
def test_drop_selects_by_srv_and_leaves_other_srvs_alone(sim: Sim) -> None:
    sim.dsp.faults.add(FaultRule(FaultAction.DROP, srv="11.3"))
    sim.read_firmware(ESME)
    assert [r.srv for r in _responses(sim)] == ["11.2"]


@pytest.mark.spec("FAULT-01")
@pytest.mark.parametrize(
    ("rule", "dropped"),
    [
        (FaultRule(FaultAction.DROP, device_type=DeviceType.GSME), {GSME}),
        (FaultRule(FaultAction.DROP, device_ids=frozenset({ESME})), {ESME}),
        (FaultRule(FaultAction.DROP, smets=SmetsVersion.SMETS1), set()),
        (FaultRule(FaultAction.DROP, smets=SmetsVersion.SMETS2), {ESME, GSME}),
    ],
)
def test_selectors_pick_exactly_their_devices(sim: Sim, rule: FaultRule, dropped: set[str]) -> None:
    sim.dsp.faults.add(rule)
    sim.read_firmware(ESME)
    sim.read_firmware(GSME)
    answered = {r.device_id for r in _responses(sim)}
    assert answered == {ESME, GSME} - dropped


@pytest.mark.spec("FAULT-01")
def test_first_n_drops_only_the_first_matches(sim: Sim) -> None:
    sim.dsp.faults.add(FaultRule(FaultAction.DROP, srv="11.2", first_n=2))
    for _ in range(4):
        sim.read_firmware(ESME)
    assert len(_responses(sim)) == 2


@pytest.mark.spec("FAULT-01")
def test_a_time_window_bounds_a_rule_in_virtual_time(sim: Sim) -> None:
    start = sim.dsp.now() + timedelta(hours=1)
    sim.dsp.faults.add(
        FaultRule(FaultAction.DROP, window_start=start, window_end=start + timedelta(hours=1))
    )
    sim.read_firmware(ESME)  # before the window
    sim.dsp.advance(timedelta(hours=1, minutes=30))
    sim.read_firmware(ESME)  # inside
    sim.dsp.advance(timedelta(hours=1))
    sim.read_firmware(ESME)  # after
    assert len(_responses(sim)) == 2


@pytest.mark.spec("FAULT-01")
def test_delay_delivers_and_processes_later_in_virtual_time(sim: Sim) -> None:
    sim.dsp.faults.add(FaultRule(FaultAction.DELAY, srv="11.2", delay=timedelta(minutes=5)))
    assert sim.read_firmware(ESME).code is ResponseCode.I99
    assert _responses(sim) == []
    sim.dsp.advance(timedelta(minutes=5))
    (response,) = _responses(sim)
    assert response.issued_at == sim.dsp.now()


@pytest.mark.spec("FAULT-01", "FW-02")
def test_a_delayed_activation_response_restores_the_device_only_when_heard(sim: Sim) -> None:
    sim.remove_from_cpl(DeviceType.ESME)
    sim.distribute(ESME)
    sim.dsp.faults.add(FaultRule(FaultAction.DELAY, srv="11.3", delay=timedelta(seconds=30)))
    sim.activate(ESME)
    assert sim.record(ESME).status == "Suspended"
    sim.dsp.advance(timedelta(seconds=30))
    assert sim.record(ESME).status == "Commissioned"


@pytest.mark.spec("FAULT-01")
def test_duplicate_delivers_twice_and_processes_once(sim: Sim) -> None:
    sim.remove_from_cpl(DeviceType.ESME)
    sim.distribute(ESME)
    sim.dsp.faults.add(FaultRule(FaultAction.DUPLICATE, srv="11.3"))
    sim.activate(ESME)
    activations = [r for r in _responses(sim) if r.srv == "11.3"]
    assert len(activations) == 2 and activations[0] == activations[1]
    restored = [m for m in sim.messages() if getattr(m, "code", None) == "N29"]
    assert len(restored) == 1


@pytest.mark.spec("FAULT-01", "DEV-07")
def test_unreachable_device_does_nothing_and_the_user_gets_e20(sim: Sim) -> None:
    sim.distribute(ESME)
    sim.dsp.faults.add(FaultRule(FaultAction.UNREACHABLE, srv="11.3"))
    assert sim.activate(ESME).code is ResponseCode.I99
    assert sim.dsp.device(ESME).running_version == "0100"
    (response,) = [r for r in _responses(sim) if r.srv == "11.3"]
    assert (response.code, response.body) == (ResponseCode.E20, None)


@pytest.mark.spec("FAULT-01")
def test_a_chosen_error_code_replaces_the_response_and_is_not_processed(sim: Sim) -> None:
    sim.remove_from_cpl(DeviceType.ESME)
    sim.distribute(ESME)
    sim.dsp.faults.add(FaultRule(FaultAction.ERROR_CODE, srv="11.3", error_code="E21"))
    sim.activate(ESME)
    (response,) = [r for r in _responses(sim) if r.srv == "11.3"]
    assert response.code is ResponseCode.E21
    assert sim.dsp.device(ESME).running_version == "0200"  # the device did the work
    assert sim.record(ESME).status == "Suspended"  # the DSP did not hear a success


@pytest.mark.spec("FAULT-01", "DEV-02")
def test_alert_stage_rules_drop_receipts(sim: Sim) -> None:
    sim.dsp.faults.add(FaultRule(FaultAction.DROP, stage=FaultStage.DEVICE_ALERT, srv="11.1"))
    assert sim.distribute(ESME).code is ResponseCode.I99
    assert [m for m in sim.messages() if isinstance(m, DeviceAlertMessage)] == []
    assert sim.dsp.device(ESME).firmware.held_image is not None


@pytest.mark.spec("FAULT-01")
def test_a_lost_acknowledgement_still_executes_the_request(sim: Sim) -> None:
    sim.dsp.faults.add(FaultRule(FaultAction.DROP, stage=FaultStage.ACKNOWLEDGEMENT, srv="11.2"))
    answer = sim.read_firmware(ESME)
    assert answer.acknowledgement_lost and answer.code is ResponseCode.I99
    assert len(_responses(sim)) == 1


@pytest.mark.spec("FAULT-01")
@pytest.mark.parametrize(
    ("rule_args", "field"),
    [
        ({"action": FaultAction.DROP, "probability": 1.5}, "probability"),
        ({"action": FaultAction.DELAY}, "delay"),
        ({"action": FaultAction.ERROR_CODE, "error_code": "E5"}, "error_code"),
        ({"action": FaultAction.FAIL_VERIFICATION}, "action"),  # not a response-stage action
        ({"action": FaultAction.DROP, "first_n": -1}, "first_n"),
    ],
)
def test_bad_rules_name_the_field(rule_args: dict, field: str) -> None:
    with pytest.raises(InvalidField) as caught:
        FaultRule(**rule_args)
    assert caught.value.field == field


@pytest.mark.spec("FAULT-04")
def test_rules_are_added_listed_and_removed_while_running(sim: Sim) -> None:
    rule_id = sim.dsp.faults.add(FaultRule(FaultAction.DROP, srv="11.2"))
    assert list(sim.dsp.faults.rules()) == [rule_id]
    sim.read_firmware(ESME)
    sim.dsp.faults.remove(rule_id)
    assert sim.dsp.faults.rules() == {}
    sim.read_firmware(ESME)
    assert len(_responses(sim)) == 1
    with pytest.raises(KeyError):
        sim.dsp.faults.remove(rule_id)


# -- the headline scenario over a generated fleet ----------------------------------------------

FLEET = f"""
users: [{{id: {SUPPLIER}, roles: [IS]}}]
cpl:
  - {{manufacturer: M, model: X, firmware: "0100"}}
  - {{manufacturer: M, model: X, firmware: "0200"}}
generate:
  - {{count: 1000, type: ESME, manufacturer: M, model: X, firmware: "0100",
      id_prefix: 00-DB-05, supplier: {SUPPLIER}}}
"""


def _activate_fleet(seed: int, loss: float) -> tuple[Dsp, list[str]]:
    dsp = Dsp(faults=FaultPlan(seed=seed))
    fleet = parse_fleet(FLEET)
    fleet.load_into(dsp)
    ids = [d.device_id for d in fleet.devices]
    acb = dsp.state.acb_id
    dsp.submit(
        ServiceRequest(
            RequestId(SUPPLIER, acb, 1),
            "11.1",
            CommandVariant.NON_DEVICE,
            UpdateFirmware(IMAGE, "0200", tuple(ids)),
        )
    )
    dsp.faults.add(FaultRule(FaultAction.DROP, srv="11.3", probability=loss))
    for n, device_id in enumerate(ids, start=2):
        rid = RequestId(SUPPLIER, device_id, n)
        pre = dsp.submit(
            ServiceRequest(
                rid, "11.3", CommandVariant.CRITICAL_TRANSFORM, ActivateFirmware(IMAGE_HASH)
            )
        )
        dsp.submit(
            ServiceRequest(
                rid,
                "11.3",
                CommandVariant.CRITICAL_SIGNED_REMOTE,
                SignedPreCommand(pre.body.payload),
            )
        )
    return dsp, ids


@pytest.mark.spec("FAULT-03", "DEV-07", "FAULT-02")
def test_twenty_percent_of_activation_responses_are_lost_and_every_device_activates() -> None:
    dsp, ids = _activate_fleet(seed=11, loss=0.2)
    lost = len(dsp.faults.decisions)
    # Binomial(1000, 0.2): mean 200, sd 12.6; 5 sd either side.
    assert 137 <= lost <= 263
    assert all(dsp.device(d).running_version == "0200" for d in ids)  # DEV-07
    heard = sum(1 for d in ids if dsp.device_record(d).firmware_version == "0200")
    assert heard == len(ids) - lost
    decision = dsp.faults.decisions[0]
    assert decision.action is FaultAction.DROP and decision.target.srv == "11.3"
    assert decision.target.request_id.startswith(f"{SUPPLIER}:")


@pytest.mark.spec("FAULT-02")
def test_the_same_seed_gives_the_same_decisions_and_another_seed_does_not() -> None:
    first, _ = _activate_fleet(seed=5, loss=0.2)
    again, _ = _activate_fleet(seed=5, loss=0.2)
    other, _ = _activate_fleet(seed=6, loss=0.2)

    def lost(dsp: Dsp) -> list[str]:
        return [d.target.device_id for d in dsp.faults.decisions]

    assert lost(first) == lost(again)
    assert lost(first) != lost(other)


@pytest.mark.spec("FAULT-02")
def test_every_decision_is_journalled_with_request_and_rule(sim: Sim) -> None:
    rule_id = sim.dsp.faults.add(FaultRule(FaultAction.DROP, srv="11.2"))
    answer = sim.read_firmware(ESME)
    (event,) = [e for e in sim.dsp.journal.events() if e.kind == "fault"]
    assert event.details["request"] == str(answer.request_id)
    assert event.details["rule"] == str(rule_id)
    assert event.summary == "dropped SRV 11.2 response"


def test_a_request_rejected_by_the_dsp_consumes_no_fault_decision(sim: Sim) -> None:
    sim.dsp.faults.add(FaultRule(FaultAction.DROP, srv="11.2", first_n=1))
    refused = sim.send("11.2", ReadFirmwareVersion(), target=ESME, user="90-B3-D5-1F-30-09-09-09")
    assert refused.code is ResponseCode.E1
    sim.read_firmware(ESME)
    assert _responses(sim) == [] and SUPPLIER_A == SUPPLIER
