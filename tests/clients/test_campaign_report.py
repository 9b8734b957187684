"""The campaign report's wording, page and JSON, from made-up results (no server needed)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import lxml.html

from dccsim.clients.campaign import (
    COMMISSIONED_ON_NEW,
    STILL_SUSPENDED,
    UNKNOWN,
    CampaignReport,
    DeviceOutcome,
)
from dccsim.clients.campaign_report import (
    PAGE_DEVICE_LIMIT,
    alert_name,
    report_html,
    report_table,
    rerun_command,
)
from dccsim.clients.campaign_summary import CampaignParameters, CampaignSummary, summarise

PARAMETERS = CampaignParameters(
    devices=1000,
    smets1_share=0.1,
    activation_response_loss=0.2,
    seed=7,
    retries=1,
    read_remaining=True,
    future_dated_seconds=None,
    from_firmware="0100",
    to_firmware="0200",
)
GENERATED_AT = datetime(2026, 12, 1, 23, 40, 5, tzinfo=UTC)


def _device(number: int, status: str = "Suspended") -> DeviceOutcome:
    return DeviceOutcome(
        f"00-DB-07-00-00-00-{number // 256:02X}-{number % 256:02X}", "SMETS2", status, "0100"
    )


def _run(baseline: str, suspended: int = 0, unknown: int = 0) -> CampaignReport:
    return CampaignReport(
        baseline=baseline,
        devices=1000,
        firmware_version="0200",
        final_states={
            COMMISSIONED_ON_NEW: 1000 - suspended - unknown,
            STILL_SUSPENDED: suspended,
            UNKNOWN: unknown,
        },
        requests_by_srv={"11.1": 1, "11.3": 1200},
        alerts_by_code={"N28": 1000, "0x8F72": 900},
        activation_responses_missing=40,
        suspended_devices=[_device(n) for n in range(suspended)],
        unknown_devices=[_device(n, "Commissioned") for n in range(5000, 5000 + unknown)],
        virtual_seconds=0.0,
        wall_seconds=3.25,
    )


def _summary(*runs: CampaignReport) -> CampaignSummary:
    return summarise(PARAMETERS, list(runs), generated_at=GENERATED_AT)


def _text(page: str) -> str:
    body = lxml.html.fromstring(page).find("body")
    return " ".join(" ".join(body.itertext()).split())


def test_the_verdict_names_each_baseline_and_its_share_left_behind() -> None:
    summary = _summary(_run("current"), _run("pre-MP105", suspended=180, unknown=3))
    assert summary.verdict == (
        "current: all 1000 devices Commissioned on firmware 0200; "
        "pre-MP105: 817 of 1000 devices Commissioned on firmware 0200, "
        "180 (18.0%) left Suspended, 3 (0.3%) unknown."
    )


def test_the_json_document_has_stable_snake_case_keys() -> None:
    document = json.loads(json.dumps(_summary(_run("current", unknown=1)).as_dict()))
    assert list(document) == ["dccsim_version", "generated_at", "parameters", "verdict", "runs"]
    assert document["generated_at"] == "2026-12-01T23:40:05Z"
    (run,) = document["runs"]
    assert list(run) == [
        "baseline",
        "devices",
        "firmware_version",
        "final_states",
        "requests_by_srv",
        "alerts_by_code",
        "activation_responses_missing",
        "suspended_devices",
        "unknown_devices",
        "virtual_seconds",
        "wall_seconds",
        "complete",
    ]
    assert run["unknown_devices"] == [
        {
            "device_id": "00-DB-07-00-00-00-13-88",
            "smets": "SMETS2",
            "smi_status": "Commissioned",
            "firmware_version": "0100",
        }
    ]
    assert run["complete"] is False


def test_the_page_is_self_contained() -> None:
    page = report_html(_summary(_run("current"), _run("pre-MP105", suspended=12)))
    tree = lxml.html.fromstring(page)
    # Nothing fetched from anywhere: no scripts, stylesheets, images or frames by reference.
    assert tree.xpath("//script | //link | //img | //iframe | //*[@src]") == []
    assert len(tree.xpath("//svg")) == 1
    assert "http://pygal.org" not in page.replace("<!--http://pygal.org-->", "")


def test_the_page_lists_the_devices_left_behind_up_to_its_limit() -> None:
    many = PAGE_DEVICE_LIMIT + 25
    page = report_html(_summary(_run("pre-MP105", suspended=many)))
    text = _text(page)
    assert f"baseline pre-MP105: {many} devices" in text
    assert f"The first {PAGE_DEVICE_LIMIT} of {many}; the JSON report" in text
    listed = lxml.html.fromstring(page).xpath("//section[@id='left-behind']//tbody/tr")
    assert len(listed) == PAGE_DEVICE_LIMIT
    assert _device(0).device_id in text and _device(many - 1).device_id not in text


def test_the_page_escapes_what_it_is_given() -> None:
    run = _run("current", suspended=1)
    run.suspended_devices = [DeviceOutcome("<b>x</b>", "SMETS2", "Suspended", "<i>0100</i>")]
    page = report_html(_summary(run))
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page


def test_the_page_states_parameters_version_date_and_a_rerun_command() -> None:
    summary = _summary(_run("current"), _run("pre-MP105", suspended=2))
    text = _text(report_html(summary))
    assert f"dccsim {summary.dccsim_version} · generated 2026-12-01 23:40:05 UTC · seed 7" in text
    assert "11.3 responses lost 20%" in text and "SMETS1 share 10%" in text
    assert "Activation immediate" in text
    assert rerun_command(summary) in text
    assert rerun_command(summary) == (
        "dccsim campaign --devices 1000 --smets1-share 0.1 --lose-activation-responses 0.2 "
        "--seed 7 --retries 1 --compare-baselines"
    )


def test_a_single_future_dated_run_reruns_with_its_options() -> None:
    parameters = replace(PARAMETERS, read_remaining=False, future_dated_seconds=600.0)
    summary = summarise(parameters, [_run("pre-MP105")], generated_at=GENERATED_AT)
    assert rerun_command(summary).endswith("--no-read --future-dated 600 --baseline pre-MP105")
    assert "Activation future-dated, 600 s after sending" in _text(report_html(summary))


def test_alert_codes_are_named_from_the_simulators_own_enums() -> None:
    assert alert_name("N28") == "Device suspended"
    assert alert_name("0x8F66") == "Future dated command actioned"
    assert alert_name("0x8F57") == "Supply interrupted"
    assert alert_name("N99") == ""


def test_the_terminal_table_carries_the_verdict() -> None:
    table = report_table(_summary(_run("current"), _run("pre-MP105", suspended=3)))
    assert [column.header for column in table.columns] == [
        "",
        "baseline current",
        "baseline pre-MP105",
    ]
    assert table.caption is not None and "3 (0.3%) left Suspended" in str(table.caption)


def test_the_same_results_give_the_same_page() -> None:
    # pygal names its SVG after a random uuid unless told otherwise: two reports of one seed
    # must differ only where their runs did (the date and the wall time).
    summary = _summary(_run("current"), _run("pre-MP105", suspended=4))
    assert report_html(summary) == report_html(summary)
