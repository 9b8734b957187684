"""The dccsim command-line tool, driven in-process with click's runner, against a server started
in this process from a ServeConfig (as `dccsim serve` starts one)."""

from __future__ import annotations

import base64
import hashlib
import json
import socket
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from dccsim.clients.cli import main
from dccsim.clients.cli import serve as serve_command
from dccsim.clients.client import Client
from dccsim.server.rpc.app import RunningServer
from dccsim.server.runtime.serve_config import ServeConfig, start
from tests.clients.serving import run
from tests.conftest import ESME, EXAMPLE_FIRMWARE, EXAMPLE_MANUFACTURER, SUPPLIER_A, example_model

IMAGE = b"dccsim cli test image 0200"


def _with_state(state: Path | None) -> ServeConfig:
    """Any free port, no HTTP side."""
    return ServeConfig(port=0, state=state, http_port=None, smki_port=None)


@pytest.fixture
def server() -> Iterator[RunningServer]:
    running = start(_with_state(None))
    yield running
    running.stop(grace=None)


@pytest.fixture
def address(server: RunningServer) -> str:
    return f"127.0.0.1:{server.port}"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


# -- offline commands ---------------------------------------------------------------------------


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


# -- send: JSON bodies through protobuf's JSON mapping ------------------------------------------


@pytest.mark.spec("FW-01")
def test_send_11_1_and_11_3_take_json_bodies_in_either_spelling_with_bytes_in_base64(
    address: str, server: RunningServer
) -> None:
    # The README's own commands: 11.1 in the .proto's names, 11.3 (signed) in camelCase.
    update = {
        "update_firmware": {"image": b64(IMAGE), "firmware_version": "0200", "device_ids": [ESME]}
    }
    sent = run(
        "send",
        "--server",
        address,
        "11.1",
        "--cv",
        "8",
        "--user",
        SUPPLIER_A,
        "--body",
        json.dumps(update),
    )
    assert sent.exit_code == 0, sent.output
    assert "SRV 11.1 -> I99 (image sent to 1 device(s))" in sent.output
    activate = {"activateFirmware": {"firmwareHash": b64(hashlib.sha256(IMAGE).digest())}}
    signed = run(
        "send",
        "--server",
        address,
        "11.3",
        "--sign",
        "--user",
        SUPPLIER_A,
        "--target",
        ESME,
        "--body",
        json.dumps(activate),
        "--json",
    )
    assert signed.exit_code == 0, signed.output
    answer = json.loads(signed.output)
    assert (answer["serviceReferenceVariant"], answer["responseCode"]) == ("11.3", "I99")
    with Client(address) as dcc:  # the device took the image the CLI sent, byte for byte
        for delivery in dcc.deliveries(SUPPLIER_A, timeout=5):
            if delivery.service_response.HasField("firmware_activation"):
                break
        assert dcc.device(ESME).firmware_version == "0200"


@pytest.mark.spec("GBCS-03")
def test_send_sign_signs_with_the_keys_dccsim_keys_export_wrote(
    address: str, tmp_path: Path
) -> None:
    update = {
        "updateFirmware": {"image": b64(IMAGE), "firmwareVersion": "0200", "deviceIds": [ESME]}
    }
    assert run("send", "--server", address, "11.1", "--cv", "8", "--user", SUPPLIER_A,
               "--body", json.dumps(update)).exit_code == 0  # fmt: skip
    exported = run("keys", "export", "--server", address, str(tmp_path / "keys"))
    assert exported.exit_code == 0, exported.output
    activate = {"activateFirmware": {"firmwareHash": b64(hashlib.sha256(IMAGE).digest())}}
    args = ["send", "--server", address, "11.3", "--sign", "--user", SUPPLIER_A, "--target", ESME,
            "--body", json.dumps(activate)]  # fmt: skip
    empty = tmp_path / "empty"
    empty.mkdir()
    missing = run(*args, "--keys", str(empty))
    assert missing.exit_code == 1
    assert missing.output.strip().splitlines() == [
        f"Error: no DS key to sign {SUPPLIER_A}'s PreCommand in {empty} (see `dccsim keys export`)"
    ]
    signed = run(*args, "--keys", str(tmp_path / "keys"))
    assert signed.exit_code == 0, signed.output
    assert "SRV 11.3 -> I99" in signed.output


def test_send_refuses_a_body_that_is_not_one_body_field(address: str) -> None:
    for body, words in (
        ('{"activate_firmware": {"firmware_hash": "not base64!"}}', "firmware_hash"),
        ('{"read_firmware_version": {}, "request_id": "x"}', "request_id is not a body field"),
        ("[1]", "not a JSON object"),
        ("{nope", "not JSON"),
    ):
        result = run("send", "--server", address, "11.2", "--user", SUPPLIER_A, "--body", body)
        assert result.exit_code == 2, body
        assert "--body" in result.output and words in result.output, result.output


# -- a server that is not there -----------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize(
    "command",
    [
        [
            "send",
            "11.2",
            "--user",
            SUPPLIER_A,
            "--target",
            ESME,
            "--body",
            '{"read_firmware_version": {}}',
        ],
        ["watch", "--user", SUPPLIER_A, "--timeout", "5"],
        ["devices"],
        ["raise-alert", ESME, "8F57"],
        ["cpl"],
        ["clock"],
        ["faults"],
        ["reset"],
        ["keys", "export", "unused-directory"],
    ],
)
def test_every_client_command_says_in_one_line_that_no_server_answers(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    address = f"127.0.0.1:{_free_port()}"
    result = run(*command, env={"DCCSIM_SERVER": address})
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Error: no dccsim server answers at {address}: start one with `dccsim serve`, or name "
        "it with --server (or DCCSIM_SERVER)"
    ]
    assert not (tmp_path / "unused-directory").exists()


# -- one spelling of enums ----------------------------------------------------------------------


def test_devices_and_cpl_print_duis_words_for_every_enum(address: str) -> None:
    table = run("devices", "--server", address)
    assert table.exit_code == 0
    assert "Commissioned" in table.output and "ESME" in table.output
    assert "SMETS2" in table.output
    assert ESME in table.output  # whole, however narrow the terminal
    none = run("devices", "--server", address, "--status", "Suspended")
    assert none.output == "no devices in status Suspended\n"
    assert "COMMISSIONED" not in table.output and "SMI_STATUS" not in table.output
    listed = json.loads(run("devices", "--server", address, "--json").output)
    esme = next(d for d in listed if d["deviceId"] == ESME)
    assert (esme["deviceType"], esme["status"], esme["smets"]) == ("ESME", "Commissioned", "SMETS2")
    entries = json.loads(run("cpl", "--server", address, "--json").output)
    assert {e["status"] for e in entries} == {"Current"}
    assert "Current" in run("cpl", "--server", address).output


def test_devices_status_filter_takes_either_spelling_and_names_the_choices(address: str) -> None:
    for spelling in ("Commissioned", "commissioned", "SMI_STATUS_COMMISSIONED"):
        listed = json.loads(
            run("devices", "--server", address, "--status", spelling, "--json").output
        )
        assert ESME in {d["deviceId"] for d in listed}
    assert (
        json.loads(run("devices", "--server", address, "--status", "Suspended", "--json").output)
        == []
    )
    bad = run("devices", "--server", address, "--status", "Comissioned")
    assert bad.exit_code == 2
    assert "'Comissioned' is not one of Pending" in bad.output and "Suspended" in bad.output


# -- cpl ----------------------------------------------------------------------------------------


@pytest.mark.spec("CPL-01")
def test_cpl_remove_refuses_an_entry_the_cpl_does_not_list_unless_told_to_create_it(
    address: str,
) -> None:
    model = example_model("ESME")
    before = json.loads(run("cpl", "--server", address, "--json").output)
    typo = run("cpl", "--server", address, "--remove", EXAMPLE_MANUFACTURER, model, "0101")
    assert typo.exit_code == 2
    assert f"the CPL has no entry {EXAMPLE_MANUFACTURER} {model} 0101" in typo.output
    assert json.loads(run("cpl", "--server", address, "--json").output) == before
    created = run(
        "cpl", "--server", address, "--remove", EXAMPLE_MANUFACTURER, model, "0101", "--create"
    )
    assert created.exit_code == 0, created.output
    assert "0 device(s) suspended" in created.output
    after = json.loads(run("cpl", "--server", address, "--json").output)
    assert {
        "manufacturer": EXAMPLE_MANUFACTURER,
        "model": model,
        "firmwareVersion": "0101",
        "status": "Removed",
    } in after
    assert run("cpl", "--server", address, "--create").exit_code == 2


# -- faults -------------------------------------------------------------------------------------


def test_faults_are_a_table_and_no_rules_say_so(address: str) -> None:
    empty = run("faults", "--server", address)
    assert (empty.exit_code, empty.output) == (0, "no fault rules\n")
    rule = '{"action": "drop", "srv": "11.2", "deviceType": "ESME", "probability": 0.5}'
    assert run("faults", "--server", address, "--add", rule).output.strip() == "rule 1 added"
    table = run("faults", "--server", address)
    assert table.exit_code == 0
    assert "1 fault rule(s)" in table.output
    row = next(line for line in table.output.splitlines() if "drop" in line)
    assert "SRV 11.2 ESME" in row and "0.5 of matches" in row
    assert "{" not in table.output  # no raw JSON
    exported = json.loads(run("faults", "--server", address, "--json").output)
    assert exported[0]["rule"]["deviceType"] == "ESME"
    decisions = run("faults", "--server", address, "--decisions")
    assert decisions.output == "no fault decisions\n"
    bad = run("faults", "--server", address, "--add", '{"action": "drop", "smets": "SMETS9"}')
    assert bad.exit_code == 2 and "--add" in bad.output and "SMETS9" in bad.output


# -- clock and reset ----------------------------------------------------------------------------


def test_clock_advances(address: str) -> None:
    before = json.loads(run("clock", "--server", address, "--json").output)
    ticked = run("clock", "--server", address, "--advance", "3600")
    assert ticked.exit_code == 0 and ticked.output.endswith(" future-dated action(s)\n")
    after = json.loads(run("clock", "--server", address, "--json").output)
    assert after["now"] > before["now"]


def _now(address: str) -> datetime:
    shown = json.loads(run("clock", "--server", address, "--json").output)
    return datetime.fromisoformat(shown["now"])


@pytest.mark.parametrize(
    ("written", "seconds"), [("90", 90), ("90s", 90), ("15m", 900), ("1h30m", 5400), ("2d", 172800)]
)
def test_clock_advance_takes_seconds_or_units(address: str, written: str, seconds: int) -> None:
    run("clock", "--server", address, "--rate", "0")  # frozen: only --advance moves it
    before = _now(address)
    assert run("clock", "--server", address, "--advance", written).exit_code == 0
    assert _now(address) - before == timedelta(seconds=seconds)
    frozen = run("clock", "--server", address)
    assert " frozen, " in frozen.output and "rate 0x" not in frozen.output


@pytest.mark.parametrize(
    "written", ["1x", "h", "1h 30m", "-", "-5", "-1h", "inf", "nan", "1e20", "99999999999d"]
)
def test_clock_advance_refuses_what_is_no_duration_naming_the_option(
    address: str, written: str
) -> None:
    run("clock", "--server", address, "--rate", "0")
    before = _now(address)
    refused = run("clock", "--server", address, "--advance", written)
    assert refused.exit_code == 2 and "--advance" in refused.output, refused.output
    assert "is not a duration" in refused.output or "longer than any clock" in refused.output
    assert _now(address) == before


@pytest.mark.spec("CPL-01")
def test_reset_puts_a_running_server_back_to_its_starting_fleet(address: str) -> None:
    model = example_model("ESME")
    run("cpl", "--server", address, "--remove", EXAMPLE_MANUFACTURER, model, EXAMPLE_FIRMWARE)
    suspended = run("devices", "--server", address, "--status", "Suspended", "--json")
    assert ESME in {d["deviceId"] for d in json.loads(suspended.output)}
    reset = run("reset", "--server", address)
    assert reset.exit_code == 0, reset.output
    assert reset.output.startswith("reset to the starting fleet: 7 device(s)")
    with Client(address) as dcc:
        assert dcc.device(ESME).status == 4  # SMI_STATUS_COMMISSIONED


def test_reset_state_deletes_a_stopped_servers_state_file_and_refuses_a_running_ones(
    tmp_path: Path,
) -> None:
    state = tmp_path / "dccsim-state.sqlite3"
    running = start(_with_state(state))
    try:
        in_use = run("reset", "--state", str(state))
        assert in_use.exit_code == 2
        assert "in use by another process" in in_use.output and state.exists()
    finally:
        running.stop(grace=None)
    done = run("reset", "--state", str(state))
    assert done.exit_code == 0, done.output
    assert not state.exists()
    # Nor SQLite's side files; the keys beside it stay.
    assert [p.name for p in tmp_path.iterdir()] == ["dccsim-state.sqlite3.keys"]
    again = run("reset", "--state", str(state))
    assert again.exit_code == 2 and "there is no state file" in again.output


def test_fresh_starts_from_the_fleet_through_the_store(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite3"
    first = start(_with_state(state))
    removed = run(
        "cpl",
        "--server",
        f"127.0.0.1:{first.port}",
        "--remove",
        EXAMPLE_MANUFACTURER,
        example_model("ESME"),
        EXAMPLE_FIRMWARE,
    )
    assert removed.exit_code == 0, removed.output
    first.stop(grace=None)
    kept = start(_with_state(state))
    assert kept.host.dsp.state.smi.get(ESME).status == "Suspended"
    kept.stop(grace=None)
    fresh = start(ServeConfig(port=0, state=state, fresh=True, http_port=None, smki_port=None))
    try:
        assert fresh.host.dsp.state.smi.get(ESME).status == "Commissioned"
    finally:
        fresh.stop(grace=None)


# -- serve: options from the environment --------------------------------------------------------


def test_every_serve_option_can_come_from_a_dccsim_environment_variable(
    captured: list[ServeConfig], tmp_path: Path
) -> None:
    env = {
        "DCCSIM_PORT": "50999",
        "DCCSIM_STATE": str(tmp_path / "from-env.sqlite3"),
        "DCCSIM_NO_HTTP": "1",
        "DCCSIM_LOSE_ACTIVATION_RESPONSES": "0.25",
        "DCCSIM_RECEIVE_URL": f"{SUPPLIER_A}=http://127.0.0.1:9/in",
    }
    result = run("serve", "--port", "50998", env=env)
    assert result.exit_code == 2  # the stand-in's refusal
    (config,) = captured
    assert config.port == 50998  # the command line wins
    assert config.state == tmp_path / "from-env.sqlite3"
    assert config.http_port is None and config.smki_port == 8083
    assert config.lose_activation_responses == 0.25
    assert config.receive_urls == ((SUPPLIER_A, "http://127.0.0.1:9/in"),)
    help_text = run("serve", "--help").output
    for option in serve_command.serve.params:
        if option.name != "help":
            assert option.envvar and option.envvar.startswith("DCCSIM_"), option.name
    assert "env var: DCCSIM_STATE" in help_text


def test_serve_names_the_option_a_bad_value_came_from(
    captured: list[ServeConfig], tmp_path: Path
) -> None:
    half_tls = run("serve", "--in-memory", "--http-tls-cert", __file__)
    assert half_tls.exit_code == 2 and "--http-tls-cert" in half_tls.output
    signing = run("serve", "--in-memory", "--dsp-signing-key", "25.11")
    assert signing.exit_code == 2 and "--dsp-signing-key" in signing.output
    assert "needs --keystore" in signing.output
    url = run("serve", "--in-memory", "--receive-url", "no-equals-sign")
    assert url.exit_code == 2 and "--receive-url" in url.output
    bad_fleet = tmp_path / "fleet.yaml"
    bad_fleet.write_text("devices: 12\n")
    fleet = run("serve", "--in-memory", "--fleet", str(bad_fleet))
    assert fleet.exit_code == 2 and "--fleet" in fleet.output
    assert captured == []  # each was refused before anything started
