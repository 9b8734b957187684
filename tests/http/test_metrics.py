"""`GET /metrics` on the DUIS port (issue 19): Prometheus text that scrapes, with requests by SRV
and code, latencies, deliveries pending per User, fault decisions, commits and snapshots -- one
registry per server."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from dccsim.server.core import commands
from dccsim.server.core.faults import FaultAction, FaultRule, FaultStage
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.requests import ReadFirmwareVersion, RequestId, ServiceRequest
from dccsim.server.http.console.options import ConsoleOptions
from dccsim.server.http.options import HttpOptions
from dccsim.server.rpc.app import start_server
from dccsim.server.store import StateFile
from tests.conftest import ESME, GSME, SUPPLIER_A, example_dsp
from tests.http.console_server import Browser, ConsoleServer, console_server

TOKEN = "s3cret-operator-token"


def _samples(
    running: ConsoleServer | str, headers: dict[str, str] | None = None
) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    url = running.url("/metrics") if isinstance(running, ConsoleServer) else running
    reply = Browser().get(url, headers)
    assert reply.status == 200
    assert reply.headers["Content-Type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(reply.body)
        for sample in family.samples
    }


def _read(counter: int, device: str = ESME) -> commands.Submit:
    return commands.Submit(
        ServiceRequest(
            RequestId(SUPPLIER_A, device, counter),
            "11.2",
            CommandVariant.NON_CRITICAL_REMOTE,
            ReadFirmwareVersion(),
        )
    )


@pytest.fixture
def running() -> Iterator[ConsoleServer]:
    with console_server() as server:
        yield server


def test_requests_are_counted_by_srv_and_code_with_their_latency(running: ConsoleServer) -> None:
    host = running.host
    host.run_one(_read(1))
    host.run_one(_read(2))
    host.run_one(_read(2))  # a replayed counter: refused (REQ-02)
    samples = _samples(running)
    assert samples[("dccsim_requests_total", (("code", "I99"), ("srv", "11.2")))] == 2
    refused = [
        value
        for (name, labels), value in samples.items()
        if name == "dccsim_requests_total" and dict(labels)["code"] != "I99"
    ]
    assert refused == [1]
    assert samples[("dccsim_request_duration_seconds_count", (("srv", "11.2"),))] == 3
    assert samples[("dccsim_request_duration_seconds_sum", (("srv", "11.2"),))] > 0


def test_gateway_refusals_are_counted_too(running: ConsoleServer) -> None:
    """A request at the wrong web service is answered E13 by the gateway, not the core."""
    body = (
        '<sr:Request xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" '
        f'schemaVersion="5.2"><sr:Header><sr:RequestID>{SUPPLIER_A}:{ESME}:9</sr:RequestID>'
        "<sr:CommandVariant>1</sr:CommandVariant><sr:ServiceReference>11.2</sr:ServiceReference>"
        "<sr:ServiceReferenceVariant>11.2</sr:ServiceReferenceVariant></sr:Header><sr:Body>"
        "<sr:ReadFirmwareVersion/></sr:Body></sr:Request>"
    )
    request = urllib.request.Request(
        running.url("/api/v1/serviceD"), body.encode(), {"Content-Type": "application/xml"}
    )
    with urllib.request.urlopen(request, timeout=10) as reply:
        assert b"E13" in reply.read()
    assert _samples(running)[("dccsim_requests_total", (("code", "E13"), ("srv", "11.2")))] == 1


def test_deliveries_pending_per_user(running: ConsoleServer) -> None:
    running.host.run_one(_read(1))
    running.host.run_one(_read(1, GSME))
    pending = {
        dict(labels)["user"]: value
        for (name, labels), value in _samples(running).items()
        if name == "dccsim_deliveries_pending"
    }
    assert pending[SUPPLIER_A] == 2  # the two device responses, unacknowledged
    running.host.run_one(commands.Acknowledge(SUPPLIER_A, 1))
    after = _samples(running)
    assert after[("dccsim_deliveries_pending", (("user", SUPPLIER_A),))] == 1


@pytest.mark.spec("FAULT-02")
def test_fault_decisions_are_counted_once_each_across_scrapes(running: ConsoleServer) -> None:
    rule = FaultRule(FaultAction.DROP, FaultStage.DEVICE_RESPONSE, srv="11.2", first_n=2)
    running.host.run_one(commands.AddFaultRule(rule))
    running.host.run_one(_read(1))
    key = (
        "dccsim_fault_decisions_total",
        (("action", "drop"), ("srv", "11.2"), ("stage", "device-response")),
    )
    assert _samples(running)[key] == 1
    running.host.run_one(_read(2))
    running.host.run_one(_read(3))  # the rule's first two only
    samples = _samples(running)
    assert samples[key] == 2
    assert samples[("dccsim_fault_decisions_missed_total", ())] == 0


def test_commits_and_snapshots_of_the_state_file(tmp_path: Path) -> None:
    state = StateFile(tmp_path / "state.sqlite3", snapshot_every=2)
    server = start_server(
        example_dsp,
        http=HttpOptions(duis_port=0, smki_port=None),
        state_file=state,
    )
    try:
        url = f"http://127.0.0.1:{server.http_ports.duis}/metrics"
        before = _samples(url)
        # More changes than the fleet has devices: a snapshot falls due (StateFile.snapshot_due).
        for counter in range(1, 11):
            server.host.run_one(_read(counter))
        server.host.run_one(commands.Advance(timedelta(minutes=1)))
        after = _samples(url)
    finally:
        server.stop(grace=None)
    assert (
        after[("dccsim_state_file_commits_total", ())]
        > before[("dccsim_state_file_commits_total", ())]
    )
    assert (
        after[("dccsim_state_file_commands_total", ())]
        - before[("dccsim_state_file_commands_total", ())]
        >= 4
    )
    assert after[("dccsim_snapshot_duration_seconds_count", ())] >= 1


def test_each_server_has_its_own_registry() -> None:
    with console_server() as first, console_server() as second:
        first.host.run_one(_read(1))
        key = ("dccsim_requests_total", (("code", "I99"), ("srv", "11.2")))
        assert _samples(first)[key] == 1
        assert key not in _samples(second)


def test_metrics_can_be_switched_off() -> None:
    with console_server(metrics=False) as running:
        assert Browser().get(running.url("/metrics")).status == 404


# -- who may scrape (SEC-02): as who may read the console ----------------------------------------


@pytest.mark.spec("SEC-02")
@pytest.mark.parametrize("console", [True, False], ids=["console", "no-console"])
def test_with_an_operator_token_a_scrape_needs_it(console: bool) -> None:
    """/metrics names the fleet's Users: with a token configured it is the operator's, with
    the console switched off too."""
    options = ConsoleOptions(enabled=console, operator_token=TOKEN)
    with console_server(options) as running:
        refused = Browser().get(running.url("/metrics"))
        assert refused.status == 401
        assert refused.headers["WWW-Authenticate"] == 'Bearer realm="dccsim"'
        assert refused.body.count("\n") == 1 and "bearer token" in refused.body
        assert "credentials_file" in refused.body  # how Prometheus presents it
        assert SUPPLIER_A not in refused.body
        wrong = Browser().get(running.url("/metrics"), {"Authorization": "Bearer nope"})
        assert wrong.status == 401

        running.host.run_one(_read(1))
        samples = _samples(running, {"Authorization": f"Bearer {TOKEN}"})
        assert samples[("dccsim_requests_total", (("code", "I99"), ("srv", "11.2")))] == 1


@pytest.mark.spec("SEC-02")
@pytest.mark.parametrize("console", [True, False], ids=["console", "no-console"])
def test_off_loopback_without_a_token_scrapes_are_refused_unless_opened(console: bool) -> None:
    with console_server(ConsoleOptions(enabled=console), listen="0.0.0.0") as running:
        refused = Browser().get(running.url("/metrics"))
        assert refused.status == 403
        assert "--open-control" in refused.body and "DCCSIM_OPERATOR_TOKEN" in refused.body
    opened = ConsoleOptions(enabled=console, open_reads=True)
    with console_server(opened, listen="0.0.0.0") as running:
        assert ("dccsim_fault_decisions_missed_total", ()) in _samples(running)
