"""The dccsim command-line tool, driven in-process with click's runner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from dccsim.clients.cli import main


@pytest.mark.spec("FW-06", "AUTH-11")
def test_demo_shows_the_read_restoring_the_device_and_the_baseline_refusing_it() -> None:
    runner = CliRunner()
    current = runner.invoke(main, ["demo", "--json"])
    pre = runner.invoke(main, ["demo", "--json", "--baseline", "pre-MP105"])
    assert current.exit_code == 0 and pre.exit_code == 0
    last_current, last_pre = json.loads(current.output)[-1], json.loads(pre.output)[-1]
    assert (last_current["answer"], last_current["device_status"]) == ("I99", "Commissioned")
    assert (last_pre["answer"], last_pre["device_status"]) == ("E5", "Suspended")


def test_demo_table_names_the_alerts_each_user_is_waiting_for() -> None:
    result = CliRunner().invoke(main, ["demo"])
    assert result.exit_code == 0
    assert "DccAlert N29" in result.output
    assert "DeviceAlert 0x8F72" in result.output


def test_fleet_lists_the_template_devices() -> None:
    result = CliRunner().invoke(main, ["fleet", "--json"])
    assert result.exit_code == 0
    ids = {device["device_id"] for device in json.loads(result.output)}
    assert ids == {f"00-DB-12-34-56-78-90-A{n}" for n in range(7)}


def test_bad_option_is_a_clear_usage_error() -> None:
    result = CliRunner().invoke(main, ["demo", "--baseline", "yesterday"])
    assert result.exit_code == 2
    assert "yesterday" in result.output
