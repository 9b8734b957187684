"""Firmware campaigns (CAMP-01) through the gRPC API of an in-process server."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner

from dccsim.clients.campaign import (
    COMMISSIONED_ON_NEW,
    STILL_SUSPENDED,
    UNKNOWN,
    Campaign,
    CampaignPlan,
    CampaignReport,
)
from dccsim.clients.cli import main
from dccsim.clients.cli.campaign import CAMPAIGN_SUPPLIER, campaign_fleet_yaml
from dccsim.clients.client import Client
from dccsim.server.core.baseline import Baseline
from dccsim.server.core.dsp import Dsp
from dccsim.server.core.faults import FaultAction, FaultPlan, FaultRule
from dccsim.server.core.fleet_file import parse_fleet
from dccsim.server.rpc.app import start_server
from dccsim.v1 import types_pb2


def run(baseline: Baseline, *, devices: int, loss: float, seed: int) -> CampaignReport:
    fleet = parse_fleet(campaign_fleet_yaml(devices, 0.1), seed=seed)

    def make_dsp() -> Dsp:
        dsp = Dsp(baseline=baseline, faults=FaultPlan(seed=seed))
        fleet.load_into(dsp)
        dsp.faults.add(FaultRule(FaultAction.DROP, srv="11.3", probability=loss))
        return dsp

    running = start_server(make_dsp, max_workers=8)
    try:
        with Client(f"127.0.0.1:{running.port}") as dcc:
            dcc.set_cpl_status("DCCSIM", "ESME-S2", "0100", types_pb2.CPL_STATUS_REMOVED)
            plan = CampaignPlan(
                CAMPAIGN_SUPPLIER,
                tuple(d.device_id for d in fleet.devices),
                "0200",
                b"test campaign image",
            )
            return Campaign(dcc, plan, baseline=baseline, idle_seconds=0.1).run()
    finally:
        running.stop(grace=None)


@pytest.mark.spec("CAMP-01", "FAULT-03", "AUTH-11")
def test_current_baseline_leaves_none_suspended_and_pre_mp105_about_the_lost_share() -> None:
    devices = 400
    current = run(Baseline.CURRENT, devices=devices, loss=0.2, seed=3)
    pre = run(Baseline.PRE_MP105, devices=devices, loss=0.2, seed=3)

    assert current.final_states == {COMMISSIONED_ON_NEW: devices, STILL_SUSPENDED: 0, UNKNOWN: 0}
    # Binomial(400, 0.2) has mean 80 and sd 8: stay within 5 sd.
    stuck = pre.final_states[STILL_SUSPENDED]
    assert 40 <= stuck <= 120
    assert pre.final_states[COMMISSIONED_ON_NEW] == devices - stuck
    # Same seed, same faults: the same activations were lost under both baselines.
    assert pre.requests_by_srv["11.3"] == current.requests_by_srv["11.3"]
    assert current.alerts_by_code["N28"] == devices  # every device was suspended first
    assert current.alerts_by_code["N29"] == devices


@pytest.mark.spec("CAMP-01", "FAULT-02")
def test_the_same_seed_gives_an_identical_report() -> None:
    first = run(Baseline.CURRENT, devices=150, loss=0.3, seed=9).as_dict()
    again = run(Baseline.CURRENT, devices=150, loss=0.3, seed=9).as_dict()
    first.pop("wall_seconds")
    again.pop("wall_seconds")
    assert first == again


def _keys(value: object) -> Iterator[str]:
    """Every key of the JSON document, bar those of the maps keyed by data (SRVs, alert codes)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            if key not in ("requests_by_srv", "alerts_by_code"):
                yield from _keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _keys(inner)


@pytest.mark.spec("CAMP-01")
def test_campaign_command_compares_baselines_as_json_and_html(tmp_path: Path) -> None:
    page_path = tmp_path / "campaign.html"
    result = CliRunner().invoke(
        main,
        [
            "campaign",
            "--devices",
            "120",
            "--compare-baselines",
            "--json",
            "--html",
            str(page_path),
            "--seed",
            "4",
        ],
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert {key for key in _keys(document) if not re.fullmatch(r"[a-z][a-z0-9_]*", key)} == set()
    assert document["dccsim_version"] == metadata.version("dccsim")
    assert document["parameters"] == {
        "devices": 120,
        "smets1_share": 0.1,
        "activation_response_loss": 0.2,
        "seed": 4,
        "retries": 1,
        "read_remaining": True,
        "future_dated_seconds": None,
        "from_firmware": "0100",
        "to_firmware": "0200",
    }
    current, pre = document["runs"]
    assert (current["baseline"], pre["baseline"]) == ("current", "pre-MP105")
    assert set(current["final_states"]) == {COMMISSIONED_ON_NEW, STILL_SUSPENDED, UNKNOWN}
    assert current["final_states"][STILL_SUSPENDED] == 0 and current["complete"]
    stuck = pre["final_states"][STILL_SUSPENDED]
    assert stuck > 0 and not pre["complete"]
    assert len(pre["suspended_devices"]) == stuck
    assert {d["smi_status"] for d in pre["suspended_devices"]} == {"Suspended"}
    assert document["verdict"].startswith("current: all 120 devices Commissioned on firmware 0200;")
    assert f"{stuck} ({100 * stuck / 120:.1f}%) left Suspended" in document["verdict"]

    page = page_path.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>")
    text = " ".join(lxml.html.fromstring(page).text_content().split())
    assert f"dccsim {document['dccsim_version']}" in text
    assert document["generated_at"].replace("T", " ").replace("Z", " UTC") in text
    assert "seed 4" in text and "baselines current and pre-MP105" in text
    assert "Complete — current: all 120 devices Commissioned on firmware 0200." in text
    assert f"Not complete — pre-MP105: {120 - stuck} of 120 devices" in text
    # Requests by SRV and alerts by code, each with its name, one column per baseline.
    rows = {
        row.xpath("string(th)"): [cell.text_content() for cell in row.xpath("td")]
        for row in lxml.html.fromstring(page).xpath("//table[@class='comparison']//tr[th]")
    }
    assert rows["11.3"] == [
        str(current["requests_by_srv"]["11.3"]),
        str(pre["requests_by_srv"]["11.3"]),
        "Activate Firmware",
    ]
    assert rows["11.2"][-1] == "Read Firmware Version"
    assert rows["N28"] == ["120", "120", "Device suspended"]
    assert rows["still Suspended"] == ["0", str(stuck), ""]
    for device in pre["suspended_devices"]:
        assert device["device_id"] in text
    assert f"baseline pre-MP105: {stuck} devices" in text
    assert "dccsim campaign --devices 120 --smets1-share 0.1" in text
    assert "--compare-baselines" in text


def test_campaign_table_for_a_person() -> None:
    result = CliRunner().invoke(main, ["campaign", "--devices", "50", "--seed", "1"])
    assert result.exit_code == 0, result.output
    assert "Firmware campaign over 50 devices" in result.output
    assert "Commissioned on the new firmware" in result.output


@pytest.mark.spec("CAMP-01", "FW-08", "REQ-07")
def test_a_future_dated_campaign_is_completed_by_the_activation_alerts() -> None:
    result = CliRunner().invoke(
        main, ["campaign", "--devices", "80", "--future-dated", "600", "--json", "--seed", "2"]
    )
    assert result.exit_code == 0, result.output
    (report,) = json.loads(result.output)["runs"]
    assert report["final_states"][COMMISSIONED_ON_NEW] == 80
    assert report["alerts_by_code"]["0x8F66"] == 80
    assert report["virtual_seconds"] == 600
