"""`dccsim serve`'s security, limits and console options (SEC-01, SEC-02, SEC-04, issue 19)
become the server's SecurityOptions, Limits and ConsoleOptions; the client commands reach a
mutual-TLS server with the files `dccsim keys export` writes, and the control API's operator
token from DCCSIM_OPERATOR_TOKEN."""

from __future__ import annotations

import dataclasses
import re
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from dccsim.clients.cli import serve as serve_command
from dccsim.server.gbcs.payloads import PayloadForm
from dccsim.server.http.console.options import ConsoleOptions
from dccsim.server.http.console.sending import examples
from dccsim.server.keys import keys_directory, keystore_for
from dccsim.server.keys.export import tls_pki, write_server_tls
from dccsim.server.keys.keystore import KeyStore
from dccsim.server.keys.model import eui_hex
from dccsim.server.keys.tls import CA_FILE, OPERATOR_STEM
from dccsim.server.rpc.app import RunningServer
from dccsim.server.rpc.limits import Limits
from dccsim.server.rpc.security import TlsCredentials
from dccsim.server.runtime.serve_config import LIMIT_OPTIONS, ConfigError, ServeConfig
from tests.clients.serving import run, served_config, start_server_arguments
from tests.conftest import ESME, SUPPLIER_A, SUPPLIER_B
from tests.http.console_server import Browser
from tests.processes import Served

TOKEN = "s3cret-operator-token"
ESME_11_2 = "example/11.2-read-firmware-version-esme.xml"
READ_FIRMWARE = '{"read_firmware_version": {}}'


@dataclass(frozen=True)
class Pki:
    """PEM files from a test PKI: a server's certificate and key, the CA, the operator's."""

    keystore: KeyStore
    cert: Path
    key: Path
    ca: Path
    operator: Path


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    keystore = keystore_for(None, [SUPPLIER_A])
    tls = tls_pki(keystore)
    assert tls is not None
    folder = tmp_path_factory.mktemp("pki")
    files = write_server_tls(tls, ["localhost"], folder)
    operator = folder / "operator.pem"
    operator.write_bytes(tls.operator().certificate_pem)
    return Pki(keystore, files.certificate, files.private_key, files.client_ca, operator)


# -- serve: options -> ServeConfig -> SecurityOptions, Limits, ConsoleOptions --------------------


@pytest.mark.spec("SEC-01", "SEC-02")
def test_tls_and_operator_options_become_the_servers_security_options(
    captured: list[ServeConfig], pki: Pki, tmp_path: Path
) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(f"  {TOKEN}\n")
    config = served_config(
        captured,
        *("--tls-cert", str(pki.cert), "--tls-key", str(pki.key), "--client-ca", str(pki.ca)),
        *("--http-tls-cert", str(pki.cert), "--http-tls-key", str(pki.key)),
        *("--operator-token-file", str(token_file), "--operator-cert", str(pki.operator)),
    )
    security = config.security_options(pki.keystore)
    assert security.tls == TlsCredentials(
        pki.cert.read_bytes(), pki.key.read_bytes(), pki.ca.read_bytes()
    )
    assert security.tls.mutual
    assert security.operator_token == TOKEN  # whitespace stripped
    assert security.operator_certificates == (pki.operator.read_bytes(),)
    assert not security.open_control
    http = config.http_options()
    assert http is not None  # HTTPS, and the same client CA binds its clients to Users
    assert (http.tls_cert, http.tls_key, http.client_ca) == (pki.cert, pki.key, pki.ca)

    plain = served_config(captured)
    assert plain.security_options(pki.keystore) == type(security)()
    plain_http = plain.http_options()
    assert plain_http is not None and plain_http.tls_cert is None


@pytest.mark.spec("SEC-02")
def test_the_operator_token_comes_from_the_environment_and_never_the_command_line(
    captured: list[ServeConfig], pki: Pki, tmp_path: Path
) -> None:
    config = served_config(captured, "--open-control", DCCSIM_OPERATOR_TOKEN=f" {TOKEN} ")
    assert config.operator_token == TOKEN and config.open_control
    security = config.security_options(pki.keystore)
    assert security.operator_token == TOKEN and security.open_control

    on_the_command_line = run("serve", "--in-memory", "--operator-token", TOKEN)
    assert on_the_command_line.exit_code == 2
    assert "DCCSIM_OPERATOR_TOKEN" in on_the_command_line.output
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN)
    both = run(
        *("serve", "--in-memory", "--operator-token-file", str(token_file)),
        env={"DCCSIM_OPERATOR_TOKEN": TOKEN},
    )
    assert both.exit_code == 2 and "--operator-token-file" in both.output
    token_file.write_text(" \n")
    empty = run("serve", "--in-memory", "--operator-token-file", str(token_file))
    assert empty.exit_code == 2 and "is empty" in empty.output
    assert captured == []  # each refused before a config was made


@pytest.mark.spec("SEC-01")
def test_tls_test_pki_serves_its_server_certificate_and_trusts_its_operator(
    captured: list[ServeConfig], tmp_path: Path
) -> None:
    state = tmp_path / "state.sqlite3"
    result = run("serve", "--tls-test-pki", "--state", str(state), "--host", "127.0.0.1")
    assert result.exit_code == 2, result.output
    (config,) = captured
    assert config.tls_test_pki and config.http_tls
    keystore = keystore_for(state, [SUPPLIER_A])
    tls = tls_pki(keystore)
    assert tls is not None
    security = config.security_options(keystore)
    names = ("127.0.0.1", "localhost", "127.0.0.1", "::1")
    assert security.tls == TlsCredentials.from_test_pki(tls, names)
    assert security.tls.mutual
    assert security.operator_certificates == (tls.operator().certificate_pem,)


def test_options_that_do_not_go_together_are_refused_naming_one(
    captured: list[ServeConfig], pki: Pki
) -> None:
    refusals = {
        "--tls-test-pki": ["--tls-test-pki"],  # --in-memory: no keys directory to hand out
        "--tls-cert": ["--tls-cert", str(pki.cert)],  # without its key
        "--client-ca": ["--client-ca", str(pki.ca)],  # without TLS
        "--operator-cert": ["--operator-cert", str(pki.operator)],  # without mutual TLS
        "--max-streams": ["--workers", "8", "--max-streams", "7"],  # leaves 1 worker
    }
    for option, args in refusals.items():
        result = run("serve", "--in-memory", *args)
        assert result.exit_code == 2, (args, result.output)
        assert f"Invalid value for {option}:" in result.output, result.output
    both = run(
        *("serve", "--state", "x.sqlite3", "--tls-test-pki"),
        *("--tls-cert", str(pki.cert), "--tls-key", str(pki.key)),
    )
    assert both.exit_code == 2 and "Invalid value for --tls-test-pki:" in both.output
    assert captured == []


@pytest.mark.spec("SEC-01")
def test_a_tls_file_that_is_not_one_is_refused_naming_its_option_before_anything_starts(
    pki: Pki, tmp_path: Path
) -> None:
    not_pem = tmp_path / "not.pem"
    not_pem.write_text("not a certificate\n")
    tls = {"tls_cert": pki.cert, "tls_key": pki.key}
    cases: list[tuple[dict[str, object], str]] = [
        ({"tls_cert": not_pem, "tls_key": pki.key}, "tls_cert"),
        ({"tls_cert": pki.cert, "tls_key": not_pem}, "tls_cert"),
        ({**tls, "client_ca": not_pem}, "tls_cert"),
        ({**tls, "client_ca": pki.ca, "operator_certs": (not_pem,)}, "operator_cert"),
        (
            {**tls, "client_ca": pki.ca, "operator_certs": (pki.ca.with_name("gone"),)},
            "operator_cert",
        ),
    ]
    for fields, field in cases:
        config = dataclasses.replace(ServeConfig(state=None), **fields)
        with pytest.raises(ConfigError) as refused:
            config.security_options(pki.keystore)
        assert refused.value.field == field
    # Through dccsim serve: a real start, refused before a port or file is taken.
    result = run(
        *("serve", "--in-memory", "--port", "0", "--no-http", "--no-smki"),
        *("--tls-cert", str(not_pem), "--tls-key", str(pki.key)),
    )
    assert result.exit_code == 2
    assert "Invalid value for --tls-cert: the TLS certificate is not a PEM" in result.output


@pytest.mark.spec("SEC-04")
def test_limit_options_become_the_servers_limits(captured: list[ServeConfig]) -> None:
    config = served_config(
        captured,
        *("--workers", "16", "--max-streams-per-user", "3", "--max-connections", "100"),
        *("--outbox-limit", "5", "--max-batch", "7"),
    )
    assert config.limits == Limits(
        workers=16,
        max_streams=12,  # a quarter of the workers kept for unary calls
        max_streams_per_user=3,
        max_connections=100,
        outbox_per_user=5,
        max_batch_requests=7,
    )
    http = config.http_options()
    assert http is not None and http.max_connections == 100
    assert served_config(captured, "--max-streams", "20").limits == Limits(max_streams=20)
    assert served_config(captured, DCCSIM_MAX_BATCH="9").limits == Limits(max_batch_requests=9)
    assert served_config(captured).limits == Limits()


def test_the_limit_defaults_serve_shows_are_the_servers() -> None:
    defaults = Limits()
    options = {param.name: param for param in serve_command.serve.params}
    for field, option in LIMIT_OPTIONS.items():
        param = options[option]
        shown = str(param.default if param.show_default is True else param.show_default)
        assert shown.split(",")[0] == str(getattr(defaults, field)), option


def test_a_fleet_file_beyond_max_fleet_devices_is_refused(
    captured: list[ServeConfig], tmp_path: Path
) -> None:
    fleet = tmp_path / "fleet.yaml"
    fleet.write_text(
        "generate:\n"
        "  - {count: 5, type: ESME, manufacturer: DCCSIM, model: ESME-S2, firmware: '0100',\n"
        "     id_prefix: 00-DB-01, supplier: 90-B3-D5-1F-30-01-00-00}\n"
    )
    refused = run("serve", "--in-memory", "--fleet", str(fleet), "--max-fleet-devices", "4")
    assert refused.exit_code == 2 and "Invalid value for --fleet:" in refused.output
    assert "5 devices" in refused.output
    config = served_config(captured, "--fleet", str(fleet), "--max-fleet-devices", "5")
    assert len(config.fleet.devices) == 5
    assert config.limits is not None and config.limits.max_fleet_devices == 5  # LoadFleet's too


def test_console_and_metrics_options(captured: list[ServeConfig], tmp_path: Path) -> None:
    default = served_config(captured)
    assert default.console == ConsoleOptions() and default.metrics
    off = served_config(captured, "--no-console", "--no-metrics")
    http = off.http_options()
    assert http is not None
    assert http.console == ConsoleOptions(enabled=False) and not http.metrics
    read_only = served_config(captured, "--console-read-only", "--console-templates", str(tmp_path))
    assert read_only.console == ConsoleOptions(allow_changes=False, templates_dir=tmp_path)
    from_env = served_config(captured, DCCSIM_CONSOLE_READ_ONLY="1", DCCSIM_NO_METRICS="1")
    assert from_env.console.allow_changes is False and not from_env.metrics


@pytest.mark.spec("GBCS-05")
def test_gbcs_payload_chooses_the_form_the_server_is_started_with(
    captured: list[ServeConfig], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert served_config(captured).gbcs_payload is PayloadForm.GBCS
    mmc = served_config(captured, "--gbcs-payload", "mmc")
    assert mmc.gbcs_payload is PayloadForm.MMC
    assert served_config(captured, DCCSIM_GBCS_PAYLOAD="mmc").gbcs_payload is PayloadForm.MMC
    assert run("serve", "--gbcs-payload", "xml").exit_code == 2
    arguments = start_server_arguments(replace(mmc, state=None), monkeypatch)
    assert arguments["gbcs_payload"] is PayloadForm.MMC


# -- a mutual-TLS server in a child process, reached by the client commands ---------------------


@pytest.mark.spec("SEC-01", "SEC-02")
def test_a_tls_test_pki_server_is_reached_with_the_files_keys_export_writes(
    serve: Callable[..., Served], tmp_path: Path
) -> None:
    state = tmp_path / "state.sqlite3"
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n")
    served = serve(
        "--tls-test-pki", "--state", str(state), "--operator-token-file", str(token_file)
    )
    announced = served.serving["message"]
    assert "(mutual TLS)" in announced and "DUIS over HTTPS" in announced
    assert re.search(r"web console at https://127\.0\.0\.1:\d+/, metrics at https://", announced)
    address = served.address

    plaintext = run("cpl", "--server", address)
    assert plaintext.exit_code == 1 and "or it serves TLS: give --ca" in plaintext.output

    # The operator's files beside the state file open the control API: ExportKeys.
    keys = keys_directory(state)
    operator = (
        *("--ca", str(keys / CA_FILE)),
        *(
            "--cert",
            str(keys / f"{OPERATOR_STEM}.pem"),
            "--key",
            str(keys / f"{OPERATOR_STEM}.key"),
        ),
    )
    exported = tmp_path / "exported"
    export = run("keys", "export", str(exported), "--no-devices", "--server", address, *operator)
    assert export.exit_code == 0, export.output

    # A User's exported TLS files bind a client to that User (from the environment here).
    stem = exported / f"{eui_hex(SUPPLIER_A)}-tls"
    as_supplier_a = {
        "DCCSIM_SERVER": address,
        "DCCSIM_CA": str(exported / CA_FILE),
        "DCCSIM_CERT": f"{stem}.pem",
        "DCCSIM_KEY": f"{stem}.key",
    }
    sent = run(
        *("send", "11.2", "--user", SUPPLIER_A, "--target", ESME, "--body", READ_FIRMWARE),
        env=as_supplier_a,
    )
    assert sent.exit_code == 0 and "-> I99" in sent.output, sent.output
    as_other = run(
        *("send", "11.2", "--user", SUPPLIER_B, "--target", ESME, "--body", READ_FIRMWARE),
        env=as_supplier_a,
    )
    assert as_other.exit_code == 1 and "PERMISSION_DENIED" in as_other.output

    # The control API: refused without the operator token, served with it.
    refused = run("cpl", env=as_supplier_a)
    assert refused.exit_code == 1
    assert "UNAUTHENTICATED" in refused.output and "DCCSIM_OPERATOR_TOKEN" in refused.output
    wrong = run("cpl", env={**as_supplier_a, "DCCSIM_OPERATOR_TOKEN": "not-" + TOKEN})
    assert wrong.exit_code == 1 and "UNAUTHENTICATED" in wrong.output
    accepted = run("cpl", env={**as_supplier_a, "DCCSIM_OPERATOR_TOKEN": TOKEN})
    assert accepted.exit_code == 0 and "ESME-S2" in accepted.output, accepted.output
    by_file = run("clock", "--operator-token-file", str(token_file), env=as_supplier_a)
    assert by_file.exit_code == 0, by_file.output


# -- the console, through ServeConfig ----------------------------------------------------------


def _console(**fields: object) -> ServeConfig:
    """Any free ports, the DUIS port's console and metrics, no SMKI, no state file."""
    base = ServeConfig(port=0, state=None, http_port=0, smki_port=None)
    return dataclasses.replace(base, **fields)


def _base(running: RunningServer) -> str:
    return f"http://127.0.0.1:{running.http_ports.duis}"


def _answer_code(body: str) -> str:
    found = re.search(r'id="answer-code">([^<]+)<', body)
    assert found is not None, re.findall(r'class="error"[^>]*>([^<]*)<', body) or body[-2000:]
    return found.group(1)


@pytest.mark.spec("BOXED-03")
def test_the_console_signs_its_sends_when_the_server_verifies_signatures(
    started: Callable[[ServeConfig], RunningServer],
) -> None:
    running = started(_console())
    base = _base(running)
    # Signatures are verified: the example as it is (unsigned), POSTed as a User's tool would,
    # is refused...
    (example,) = [t for t in examples() if t.name == ESME_11_2]
    request = urllib.request.Request(
        f"{base}/api/v1/serviceS", example.document, {"Content-Type": "application/xml"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert b"<sr:ResponseCode>E1001</sr:ResponseCode>" in response.read()
    # ...and the console signs it with the User's XmlSign key from the server's keystore.
    sent = Browser().post(
        f"{base}/console/send/template",
        {"user": SUPPLIER_A, "template": ESME_11_2, "document": ""},
        {"Origin": base},
    )
    assert _answer_code(sent.body) == "I99"
    assert "SignatureValue" in sent.body  # what was sent


@pytest.mark.spec("SEC-02")
def test_the_console_follows_the_control_apis_operator_token_and_read_only_wins(
    started: Callable[[ServeConfig], RunningServer],
) -> None:
    form = {"manufacturer": "DCCSIM", "model": "ESME-S2", "firmware_version": "0100"}
    form["status"] = "Removed"
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    guarded = started(_console(operator_token=TOKEN))
    base = _base(guarded)
    for path in ("/console/cpl", "/metrics"):  # reads need the token...
        assert Browser().get(base + path).status == 401
        assert Browser().get(base + path, bearer).status == 200
    # ...and so do changes.
    assert Browser().post(f"{base}/console/cpl", form, {"Origin": base}).status == 403
    assert Browser().post(f"{base}/console/cpl", form, {"Origin": base, **bearer}).status == 200

    read_only = started(_console(operator_token=TOKEN, console=ConsoleOptions(allow_changes=False)))
    base = _base(read_only)
    assert Browser().get(f"{base}/console/cpl").status == 401
    assert Browser().get(f"{base}/console/cpl", bearer).status == 200
    assert Browser().post(f"{base}/console/cpl", form, {"Origin": base, **bearer}).status == 403


@pytest.mark.spec("SEC-02")
def test_beyond_loopback_open_control_opens_the_console_and_metrics(
    started: Callable[[ServeConfig], RunningServer],
) -> None:
    form = {"amount": "1", "unit": "hours"}
    closed = _base(started(_console(host="0.0.0.0")))
    for path in ("/console/fleet", "/metrics"):
        refused = Browser().get(closed + path)
        assert refused.status == 403 and "--open-control" in refused.body
    opened = _base(started(_console(host="0.0.0.0", open_control=True)))
    for path in ("/console/fleet", "/metrics"):
        assert Browser().get(opened + path).status == 200
    assert Browser().post(f"{opened}/console/clock/advance", form).status == 200
    # --console-read-only keeps changes closed, and reads as --open-control left them.
    read_only = ConsoleOptions(allow_changes=False)
    shown = _base(started(_console(host="0.0.0.0", open_control=True, console=read_only)))
    assert Browser().get(f"{shown}/console/fleet").status == 200
    assert Browser().post(f"{shown}/console/clock/advance", form).status == 403


def test_metrics_are_served_unless_switched_off(
    started: Callable[[ServeConfig], RunningServer],
) -> None:
    on = started(_console())
    assert "dccsim_requests_total" in Browser().get(_base(on) + "/metrics").body
    off = started(_console(metrics=False, console=ConsoleOptions(enabled=False)))
    assert Browser().get(_base(off) + "/metrics").status == 404
    assert Browser().get(_base(off) + "/console/fleet").status == 404
