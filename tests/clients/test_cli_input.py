"""What the client commands check themselves: a misspelt body field, an EUI-64 that is not one, a
body-less `send` and a misspelt alert name are usage errors naming the option (exit 2) with the
nearest valid spellings, before any server is asked; and a device's request-driven alerts (the
firmware receipt, a future-dated outcome) reach `watch` and the client by GBCS's names."""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator

import pytest
from click.testing import Result

from dccsim.clients.client import Client
from dccsim.devices.alerts import CATALOGUE, GENERIC, REQUEST_ALERT_NAMES, alert_name
from dccsim.devices.codes import AlertCode
from dccsim.server.rpc.app import RunningServer
from dccsim.server.runtime.serve_config import ServeConfig, start
from tests.clients.serving import run
from tests.conftest import ESME, EXAMPLE_NEW_FIRMWARE, NEW_IMAGE, SHARED, SUPPLIER_A

READ_FIRMWARE = '{"read_firmware_version": {}}'
REFERENCE = SHARED / "reference" / "gbcs-message-and-alert-codes.txt"


@pytest.fixture
def nowhere() -> dict[str, str]:
    """A server address nothing listens on: a command that reached for it would exit 1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return {"DCCSIM_SERVER": f"127.0.0.1:{probe.getsockname()[1]}"}


@pytest.fixture
def address() -> Iterator[str]:
    running: RunningServer = start(ServeConfig(port=0, state=None, http_port=None, smki_port=None))
    yield f"127.0.0.1:{running.port}"
    running.stop(grace=None)


def _usage_error(result: Result, option: str) -> str:
    """The one-line usage error's message, once it is seen to name `option` (exit 2)."""
    assert result.exit_code == 2, result.output
    last = result.output.splitlines()[-1]
    assert re.match(rf"Error: Invalid value for '?{re.escape(option)}'?: ", last), last
    return last


# -- send --body: a misspelt field ----------------------------------------------------------------


def test_a_misspelt_body_field_is_named_with_the_nearest_body_fields(nowhere) -> None:
    def send_body(body: str) -> str:
        sent = run("send", "11.2", "--user", SUPPLIER_A, "--body", body, env=nowhere)
        message = _usage_error(sent, "--body")
        assert "Available Fields" not in sent.output  # not protobuf's list of ~140 names
        return message

    assert send_body('{"read_firmware_versoin": {}}').endswith(
        "'read_firmware_versoin' is not a body field; did you mean read_firmware_version?"
    )
    camel = send_body('{"readFirmwareVersoin": {}}')
    assert camel.endswith("did you mean read_firmware_version?")
    several = send_body('{"read_inventry": {"device_id": "x"}}')
    assert "did you mean one of: read_inventory, update_inventory?" in several
    # Within a body: the fields of that body's message.
    nested = send_body('{"update_firmware": {"firmwre_version": "0200"}}')
    assert nested.endswith(
        "UpdateFirmware has no field 'firmwre_version' (in update_firmware); "
        "did you mean firmware_version?"
    )
    listed = send_body('{"update_firmware": {"device_ids": ["x"], "imagee": ""}}')
    assert "has no field 'imagee'" in listed and "did you mean image?" in listed
    nothing_near = send_body('{"zzz": {}}')
    assert "'zzz' is not a body field: the body fields are SubmitRequest's" in nothing_near
    # The envelope's fields (request_id) are not offered as body fields.
    assert send_body('{"request_ids": {}}').endswith("did you mean request_wan_matrix?")


# -- send --user / --target: EUI-64s ---------------------------------------------------------------


def test_eui64_options_are_checked_by_the_cli_naming_the_option(nowhere) -> None:
    target = run(
        *("send", "11.2", "--user", SUPPLIER_A, "--target", "00DB1234567890A0"),
        *("--body", READ_FIRMWARE),
        env=nowhere,
    )
    assert _usage_error(target, "--target").endswith(
        "'00DB1234567890A0' is not an EUI-64 (eight hex octets joined by '-'); "
        "did you mean 00-DB-12-34-56-78-90-A0?"
    )
    for bad in ("00-DB-12", "00-DB-12-34-56-78-90-AZ", "supplier-a"):
        user = run("send", "11.2", "--user", bad, "--target", ESME, "--body", READ_FIRMWARE)
        assert f"'{bad}' is not an EUI-64" in _usage_error(user, "--user")
    # The other commands that take one.
    assert _usage_error(run("watch", "--user", "nope", env=nowhere), "--user")
    assert _usage_error(run("raise-alert", "00DB", "8F57", env=nowhere), "DEVICE_ID")
    exported = run("keys", "export", "unused", "--device", "x", env=nowhere)
    assert _usage_error(exported, "--device")


def test_an_eui64_in_lower_case_is_sent_as_the_server_writes_it(address: str) -> None:
    sent = run(
        *("send", "11.2", "--server", address, "--user", SUPPLIER_A.lower()),
        *("--target", ESME.lower(), "--body", READ_FIRMWARE),
    )
    assert sent.exit_code == 0, sent.output
    assert f"{SUPPLIER_A}:{ESME}:" in sent.output and "-> I99" in sent.output


# -- send without a body ---------------------------------------------------------------------------


def test_send_without_a_body_is_a_usage_error_naming_the_body_the_srv_takes(nowhere) -> None:
    def no_body(srv: str, *body: str) -> str:
        sent = run("send", srv, "--user", SUPPLIER_A, "--target", ESME, *body, env=nowhere)
        return _usage_error(sent, "--body")

    assert no_body("11.2").endswith(
        "a Service Request needs a body: SRV 11.2 takes '{\"read_firmware_version\": {}}'"
    )
    assert no_body("11.1", "--body", "{}").endswith("SRV 11.1 takes '{\"update_firmware\": {...}}'")
    assert no_body("99.9").endswith(
        "a Service Request needs a body: give one of the SubmitRequest body fields"
    )


# -- raise-alert: a misspelt name -----------------------------------------------------------------


def test_a_misspelt_alert_name_is_told_the_nearest(nowhere) -> None:
    def raised(code: str) -> str:
        return _usage_error(run("raise-alert", ESME, code, env=nowhere), "ALERT_CODE")

    misspelt = raised("supply-interupted")
    assert "is not an alert code" in misspelt
    assert "did you mean one of: supply-interrupted," in misspelt  # the nearest first
    assert raised("low-credt").endswith("did you mean low-credit?")
    assert "did you mean one of: tamper-detected, tilt-tamper" in raised("tamper")  # a part
    assert "did you mean" not in raised("8F5")


# -- the names of request-driven device alerts -----------------------------------------------------


def test_every_alert_a_device_raises_has_gbcss_name() -> None:
    reference: dict[int, list[str]] = {}
    for line in REFERENCE.read_text(encoding="utf-8").splitlines():
        if found := re.fullmatch(r"0x([0-9A-F]{4})\t(.+)", line.strip()):
            reference.setdefault(int(found.group(1), 16), []).append(found.group(2))
    for code in AlertCode:  # what the devices raise for a request
        assert alert_name(code) != GENERIC, hex(code)
        assert alert_name(code) in reference[code], hex(code)
    assert alert_name(AlertCode.FIRMWARE_VERIFICATION_SUCCESSFUL) == (
        "Firmware Verification Successful"
    )
    assert alert_name(AlertCode.FIRMWARE_VERIFICATION_FAILED) == "Firmware Verification Failed"
    # Named, not catalogued: a device does not raise them unbidden (raise-alert, fault rules).
    assert not set(REQUEST_ALERT_NAMES) & set(CATALOGUE)
    assert alert_name(0x8F57) == "Supply interrupted" and alert_name(0x1234) == GENERIC


def test_watch_and_the_client_name_the_firmware_receipt(address: str) -> None:
    with Client(address) as client:
        sent = client.update_firmware(
            user=SUPPLIER_A, image=NEW_IMAGE, version=EXAMPLE_NEW_FIRMWARE, devices=[ESME]
        )
        assert sent.code == "I99", sent.detail
        seen = 0
        receipt = None
        for delivery in client.deliveries(SUPPLIER_A, timeout=10):
            seen += 1
            if delivery.WhichOneof("message") == "device_alert":
                receipt = delivery.device_alert
                break
    assert receipt is not None, f"no device alert among {seen} deliveries"
    assert receipt.alert_code == AlertCode.FIRMWARE_VERIFICATION_SUCCESSFUL
    assert receipt.alert_name == "Firmware Verification Successful"
    # watch replays the same messages (none was acknowledged).
    watched = ("watch", "--server", address, "--user", SUPPLIER_A, "--count", str(seen))
    as_json = run(*watched, "--json", "--timeout", "10")
    lines = [json.loads(line) for line in as_json.output.splitlines()]
    assert lines[-1]["deviceAlert"]["alertName"] == "Firmware Verification Successful"
    text = run(*watched, "--timeout", "10")
    assert "device alert 0x8F72 Firmware Verification Successful (message 0x00CE)" in text.output
