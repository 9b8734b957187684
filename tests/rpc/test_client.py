"""The client library (sync and asyncio) and the CLI against a server in this process."""

from __future__ import annotations

import asyncio
import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from dccsim.clients.cli import main
from dccsim.clients.client import AsyncClient, Client, InvalidRequest, NotFoundError
from dccsim.server.rpc.app import RunningServer
from dccsim.v1 import types_pb2
from tests.conftest import ESME, SUPPLIER_A

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def address(server: RunningServer) -> str:
    return f"127.0.0.1:{server.port}"


@pytest.mark.spec("REQ-05", "FW-01", "REQ-03")
def test_client_runs_a_firmware_update_and_reads_the_results(address: str) -> None:
    image = b"client image"
    with Client(address) as dcc:
        assert (
            dcc.update_firmware(user=SUPPLIER_A, image=image, version="0200", devices=[ESME]).code
            == "I99"
        )
        answer = dcc.activate_firmware(
            user=SUPPLIER_A, device=ESME, image_hash=hashlib.sha256(image).digest()
        )
        assert answer.code == "I99"
        received = []
        for delivery in dcc.deliveries(SUPPLIER_A, timeout=5):
            received.append(delivery)
            if len(received) == 2:
                break
        receipt, activation = received
        assert receipt.device_alert.alert_code == 0x8F72
        assert activation.service_response.firmware_activation.activate_image_response_code == (
            "success"
        )
        assert dcc.acknowledge(SUPPLIER_A, activation.sequence) == 2
        assert dcc.device(ESME).firmware_version == "0200"


def test_client_raises_pythonic_errors(address: str) -> None:
    with Client(address) as dcc:
        with pytest.raises(InvalidRequest) as caught:
            dcc.read_firmware_version(user="not-an-eui", device=ESME)
        assert caught.value.field == "request_id.originator"
        with pytest.raises(NotFoundError):
            dcc.device("00-00-00-00-00-00-00-01")


def test_async_client_reads_and_streams(address: str) -> None:
    async def scenario() -> tuple[str, str]:
        async with AsyncClient(address) as dcc:
            answer = await dcc.read_firmware_version(user=SUPPLIER_A, device=ESME)
            async for delivery in dcc.deliveries(SUPPLIER_A):
                await dcc.acknowledge(SUPPLIER_A, delivery.sequence)
                return answer.code, delivery.service_response.response_code
        raise AssertionError("no delivery")

    assert asyncio.run(asyncio.wait_for(scenario(), 10)) == ("I99", "I0")


@pytest.mark.spec("CPL-01")
def test_cli_send_watch_devices_cpl_and_clock(address: str) -> None:
    runner = CliRunner()
    sent = runner.invoke(
        main,
        [
            "send",
            "--server",
            address,
            "11.2",
            "--user",
            SUPPLIER_A,
            "--target",
            ESME,
            "--body",
            '{"read_firmware_version": {}}',
        ],
    )
    assert sent.exit_code == 0, sent.output
    assert sent.output.strip().endswith("SRV 11.2 -> I99")
    watched = runner.invoke(
        main,
        [
            "watch",
            "--server",
            address,
            "--user",
            SUPPLIER_A,
            "--count",
            "1",
            "--ack",
            "--timeout",
            "5",
        ],
    )
    assert watched.exit_code == 0, watched.output
    assert watched.output.startswith("#1 response") and "I0" in watched.output
    removed = runner.invoke(
        main, ["cpl", "--server", address, "--remove", "DCCSIM", "ESME-S2", "0100"]
    )
    assert "1 device(s) suspended" in removed.output
    listed = runner.invoke(
        main, ["devices", "--server", address, "--status", "Suspended", "--json"]
    )
    assert [d["deviceId"] for d in json.loads(listed.output)] == [ESME]
    ticked = runner.invoke(main, ["clock", "--server", address, "--advance", "60", "--json"])
    assert json.loads(ticked.output)["now"].startswith("2026-01-01T00:01:00")


def test_cli_send_reports_a_bad_field_clearly(address: str) -> None:
    """The server's refusal of a field the CLI cannot check names the field (exit 1); what the
    CLI can check (an EUI-64) is a usage error naming the option (exit 2)."""

    def send(target: str, srv: str, cv: str, body: str) -> Result:
        return CliRunner().invoke(
            main,
            [
                *("send", "--server", address, srv, "--user", SUPPLIER_A, "--target", target),
                *("--cv", cv, "--body", body),
            ],
        )

    refused = send(ESME, "11.3", "4", '{"activate_firmware": {"firmware_hash": "AAAA"}}')
    assert refused.exit_code == 1
    assert "a firmware hash is 32 bytes (SHA-256) (field: body.firmware_hash)" in refused.output
    usage = send("nonsense", "11.2", "1", '{"read_firmware_version": {}}')
    assert usage.exit_code == 2
    assert "Invalid value for '--target': 'nonsense' is not an EUI-64" in usage.output


def test_load_fleet_through_the_control_api(address: str) -> None:
    with Client(address) as dcc:
        loaded = dcc.load_fleet((EXAMPLES / "fleet.yaml").read_text())
        assert (loaded.users, loaded.devices) == (4, 206)
        assert len(dcc.devices(device_type=types_pb2.DEVICE_TYPE_ESME)) == 202  # with -A6
        with pytest.raises(InvalidRequest) as caught:
            dcc.load_fleet("devices: [{id: bad}]")
        assert caught.value.field == "devices[0].id"
        assert len(dcc.devices()) == 207  # the bad file changed nothing (206 loaded, and -A6)
