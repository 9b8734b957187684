"""`dccsim serve`: the refusal codes as options (issue 15: a documented decision, configurable),
HTTP and SMKI ports that cannot be listened on named by their options, and a fleet file a state
file's state overrides said out loud."""

from __future__ import annotations

import dataclasses
import logging
import socket
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from dccsim.clients.cli import serve as serve_command
from dccsim.clients.client import Client
from dccsim.server.core.codes import PRE_COMMAND_REFUSED, REFUSED_SIGNATURE, ResponseCode
from dccsim.server.core.dsp import Dsp
from dccsim.server.core.fleet import example_fleet
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.messages import PreCommand
from dccsim.server.core.requests import (
    ActivateFirmware,
    RequestId,
    ServiceRequest,
    SignedPreCommand,
    UpdateFirmware,
)
from dccsim.server.duis.signing import SignatureSettings
from dccsim.server.http.console.sending import examples
from dccsim.server.keys import ACB_EUI, CertificateRole, KeyStore, TestPki
from dccsim.server.rpc.app import RunningServer
from dccsim.server.runtime.duis_gateway import RequestRefused
from dccsim.server.runtime.gbcs_hooks import GbcsHooks
from dccsim.server.runtime.host import DspHost
from dccsim.server.runtime.serve_config import CannotListen, ConfigError, ServeConfig, start
from dccsim.v1 import supplier_pb2
from tests.clients.serving import run, served_config, start_server_arguments
from tests.conftest import (
    ESME,
    EXAMPLE_NEW_FIRMWARE,
    NEW_IMAGE,
    NEW_IMAGE_HASH,
    SUPPLIER_A,
)

ESME_11_2 = "example/11.2-read-firmware-version-esme.xml"


def _listening() -> socket.socket:
    """A port something already listens on (closed by the caller)."""
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    return busy


# -- the refusal codes (BOXED-03, GBCS-03) -------------------------------------------------------


@pytest.mark.spec("BOXED-03", "GBCS-03")
def test_the_refusal_codes_are_options_checked_against_duis_error_codes(
    captured: list[ServeConfig],
) -> None:
    default = served_config(captured)
    assert default.signature_refused_code is REFUSED_SIGNATURE is ResponseCode.E1001
    assert default.pre_command_refused_code is PRE_COMMAND_REFUSED is ResponseCode.E1002
    # The Python API's default agrees with the hooks' decision.
    assert SignatureSettings().pre_command_refused_code == PRE_COMMAND_REFUSED
    chosen = served_config(
        captured, "--signature-refused-code", "e2", "--pre-command-refused-code", "E1003"
    )
    assert chosen.signature_refused_code is ResponseCode.E2  # any case
    assert chosen.pre_command_refused_code is ResponseCode.E1003
    from_env = served_config(captured, DCCSIM_SIGNATURE_REFUSED_CODE="E13")
    assert from_env.signature_refused_code is ResponseCode.E13
    refusals = {
        "I0": "'I0' is not an error code",  # a success
        "W110101": "is not an error code",  # a warning
        "E65": "is not a DUIS response code dccsim knows",
        "1001": "is not a DUIS response code dccsim knows",
    }
    for option in ("--signature-refused-code", "--pre-command-refused-code"):
        for code, words in refusals.items():
            refused = run("serve", "--in-memory", option, code)
            assert refused.exit_code == 2, (option, code, refused.output)
            assert f"Invalid value for {option}: " in refused.output, refused.output
            assert words in refused.output and "E1001" in refused.output  # the choices
    assert captured == []
    with pytest.raises(ConfigError) as in_code:
        ServeConfig(pre_command_refused_code=ResponseCode.I0)
    assert in_code.value.field == "pre_command_refused_code"


@pytest.mark.spec("BOXED-03", "GBCS-03")
def test_the_codes_reach_the_servers_signature_settings(
    captured: list[ServeConfig], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = served_config(
        captured,
        *("--signature-refused-code", "E2", "--pre-command-refused-code", "E3"),
        "--no-verify-signatures",
    )
    assert start_server_arguments(config, monkeypatch)["signatures"] == (
        SignatureSettings(verify=False, refused_code="E2", pre_command_refused_code="E3")
    )


@pytest.mark.spec("BOXED-03")
def test_a_server_started_with_another_signature_code_refuses_an_unsigned_request_with_it(
    captured: list[ServeConfig], started: Callable[[ServeConfig], RunningServer]
) -> None:
    config = served_config(captured, "--signature-refused-code", "E2")
    running = started(dataclasses.replace(config, port=0, http_port=0, smki_port=None))
    (example,) = [t for t in examples() if t.name == ESME_11_2]
    request = urllib.request.Request(
        f"http://127.0.0.1:{running.http_ports.duis}/api/v1/serviceS",
        example.document,  # unsigned, as the example is
        {"Content-Type": "application/xml"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        answer = response.read()
    assert b"<sr:ResponseCode>E2</sr:ResponseCode>" in answer, answer[:2000]


@pytest.mark.spec("GBCS-03")
def test_the_gbcs_hooks_refuse_a_bad_signed_pre_command_with_the_code_they_are_given() -> None:
    dsp = Dsp()
    example_fleet().load_into(dsp)
    store = KeyStore(source=TestPki(bytes(range(32))))
    store.register(ACB_EUI)
    store.register(SUPPLIER_A, CertificateRole.SUPPLIER)
    hooks = GbcsHooks(store, DspHost(dsp), refused_code="E3")
    dsp.submit(
        ServiceRequest(
            RequestId(SUPPLIER_A, dsp.state.acb_id, 1),
            "11.1",
            CommandVariant.NON_DEVICE,
            UpdateFirmware(NEW_IMAGE, EXAMPLE_NEW_FIRMWARE, (ESME,)),
        )
    )
    rid = RequestId(SUPPLIER_A, ESME, 2)
    answer = dsp.submit(
        ServiceRequest(
            rid, "11.3", CommandVariant.CRITICAL_TRANSFORM, ActivateFirmware(NEW_IMAGE_HASH)
        )
    )
    pre = hooks.outgoing(answer).body
    assert isinstance(pre, PreCommand)
    unsigned = ServiceRequest(
        rid, "11.3", CommandVariant.CRITICAL_SIGNED_REMOTE, SignedPreCommand(pre.payload)
    )
    with pytest.raises(RequestRefused) as refused:
        hooks.incoming(unsigned)
    assert refused.value.code is ResponseCode.E3
    with pytest.raises(ValueError, match="not a DUIS error code"):
        GbcsHooks(store, DspHost(dsp), refused_code="I0")


@pytest.mark.spec("GBCS-03")
def test_a_server_started_with_another_pre_command_code_refuses_an_unsigned_one_with_it(
    captured: list[ServeConfig], started: Callable[[ServeConfig], RunningServer]
) -> None:
    config = served_config(captured, "--pre-command-refused-code", "E3")
    running = started(dataclasses.replace(config, port=0, http_port=None, smki_port=None))
    with Client(f"127.0.0.1:{running.port}") as client:
        sent = client.update_firmware(
            user=SUPPLIER_A, image=NEW_IMAGE, version=EXAMPLE_NEW_FIRMWARE, devices=[ESME]
        )
        assert sent.code == "I99", sent.detail
        pre = client.send(
            "11.3",
            user=SUPPLIER_A,
            target=ESME,
            cv=4,
            body={"activate_firmware": {"firmware_hash": NEW_IMAGE_HASH}},
        )
        assert pre.code == "I0", pre.detail
        unsigned = supplier_pb2.SubmitRequest(
            request_id=pre.request_id,
            service_reference_variant="11.3",
            command_variant=5,
            signed_pre_command=supplier_pb2.SignedPreCommand(
                payload=pre.message.pre_command.payload
            ),
        )
        refused = client.submit(unsigned)
    assert refused.code == "E3", refused.detail


# -- ports that cannot be listened on ------------------------------------------------------------


@pytest.mark.parametrize("option", ["--http-port", "--smki-port"])
def test_a_busy_http_or_smki_port_is_named_by_its_option(
    option: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(serve_command.logs, "configure", lambda *_: None)
    with _listening() as busy:
        port = busy.getsockname()[1]
        ports = {"--http-port": "0", "--smki-port": "0", option: str(port)}
        result = run(
            *("serve", "--in-memory", "--port", "0"),
            *(word for pair in ports.items() for word in pair),
        )
    assert result.exit_code == 1, result.output  # as for the gRPC port
    assert result.output.splitlines()[-1] == (
        f"Error: cannot listen on 127.0.0.1:{port} ({option}): address already in use "
        "(another server?)"
    )
    assert "Errno" not in result.output


def test_start_names_the_field_of_a_busy_port() -> None:
    with _listening() as busy:
        port = busy.getsockname()[1]
        with pytest.raises(CannotListen) as refused:
            start(ServeConfig(port=0, state=None, http_port=0, smki_port=port))
    assert refused.value.field == "smki_port"
    assert refused.value.address == f"127.0.0.1:{port}"
    assert refused.value.reason.startswith("address already in use")


# -- a fleet file the state file overrides --------------------------------------------------------


def test_a_fleet_file_is_ignored_with_a_warning_when_the_state_file_holds_a_state(
    captured: list[ServeConfig], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fleet_file = tmp_path / "fleet.yaml"
    fleet_file.write_text(
        "generate:\n"
        "  - {count: 2, type: ESME, manufacturer: DCCSIM, model: ESME-S2, firmware: '0100',\n"
        "     id_prefix: 00-DB-01, supplier: 90-B3-D5-1F-30-01-00-00}\n"
    )
    state = tmp_path / "state.sqlite3"
    from_cli = served_config(captured, "--fleet", str(fleet_file))
    assert from_cli.fleet_file == fleet_file
    config = dataclasses.replace(
        from_cli, port=0, state=state, http_port=None, smki_port=None, tls_test_pki=False
    )

    def warnings_of_a_start(**fields: object) -> list[str]:
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="dccsim.server"):
            start(dataclasses.replace(config, **fields)).stop(grace=None)
        return [r.getMessage() for r in caplog.records if "already holds a state" in r.getMessage()]

    assert warnings_of_a_start() == []  # a new state file: the fleet is served
    (warning,) = warnings_of_a_start()  # the state file's state is served
    assert str(state) in warning and str(fleet_file) in warning and "--fresh" in warning
    assert warnings_of_a_start(fresh=True) == []
    assert warnings_of_a_start(fleet_file=None) == []  # no fleet was given to ignore


@pytest.mark.spec("BOXED-03")
def test_a_refusal_code_given_as_text_from_python_is_normalised_or_refused() -> None:
    config = ServeConfig(signature_refused_code="e2", pre_command_refused_code="E3")  # type: ignore[arg-type]
    assert config.signature_refused_code is ResponseCode.E2
    assert config.pre_command_refused_code is ResponseCode.E3
    with pytest.raises(ConfigError, match="'I0' is not an error code"):
        ServeConfig(signature_refused_code="I0")  # type: ignore[arg-type]
