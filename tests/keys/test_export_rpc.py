"""BOXED-05: `dccsim keys export DIR` writes a running server's keys (ControlService.ExportKeys)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from click.testing import CliRunner
from cryptography import x509

from dccsim.clients.cli import main
from dccsim.clients.client import Client, NotFoundError
from dccsim.server.core.fleet import example_fleet
from dccsim.server.keys import CertificateRole, KeyStore, eui_hex, keystore_for, smki_role
from dccsim.server.keys.model import subject_role
from dccsim.server.rpc.app import RunningServer, start_server
from tests.conftest import ESME, GSME, SUPPLIER_A, example_dsp

pytestmark = pytest.mark.spec("BOXED-05")


@pytest.fixture(scope="module")
def keystore() -> KeyStore:
    users = example_fleet().users
    roles = {u.user_id: smki_role(u.roles) for u in users}
    return keystore_for(None, list(roles), roles=roles)


@pytest.fixture
def server(keystore: KeyStore) -> Iterator[RunningServer]:
    running = start_server(example_dsp, max_workers=8, keystore=keystore)
    yield running
    running.stop(grace=None)


@pytest.fixture
def client(server: RunningServer) -> Iterator[Client]:
    with Client(f"127.0.0.1:{server.port}") as client:
        yield client


def test_export_streams_the_cas_the_acb_every_user_and_every_device(
    client: Client, server: RunningServer
):
    owners = dict(client.export_keys())
    dsp = server.host.dsp
    devices = {r.device_id for r in dsp.state.smi}
    assert set(owners) == {"", "90-B3-D5-1F-30-00-00-02", *dsp.state.users, *devices}
    assert [f.name for f in owners[""]] == [
        "dccsim-root-ca.pem",
        "dccsim-issuing-ca.pem",
        "dccsim-tls-ca.pem",  # SEC-01
        "dccsim-operator-tls.pem",
        "dccsim-operator-tls.key",
    ]
    esme = eui_hex(ESME)
    assert sorted(f.name for f in owners[ESME]) == [f"{esme}-ds.pem", f"{esme}-ka.pem"]
    supplier = {f.name: f.pem for f in owners[SUPPLIER_A]}
    stem = eui_hex(SUPPLIER_A)
    kinds = ("ds", "ka", "xmlsign", "tls")
    assert set(supplier) == {f"{stem}-{kind}.{ext}" for kind in kinds for ext in ("pem", "key")}
    assert supplier[f"{eui_hex(SUPPLIER_A)}-ds.key"].startswith(b"-----BEGIN PRIVATE KEY-----")


def test_export_can_name_devices_or_leave_them_out(client: Client):
    owners = dict(client.export_keys(device_ids=[GSME.lower()]))
    assert GSME in owners and ESME not in owners
    owners = dict(client.export_keys(no_devices=True))
    assert ESME not in owners and GSME not in owners and SUPPLIER_A in owners
    with pytest.raises(NotFoundError):
        list(client.export_keys(device_ids=["11-22-33-44-55-66-77-88"]))


def test_a_user_added_while_running_is_exported_with_its_keys(client: Client):
    from dccsim.v1 import types_pb2

    added = "90-B3-D5-1F-30-0A-00-00"
    user = types_pb2.User(user_id=added, roles=[types_pb2.USER_ROLE_ED], name="late")
    client.control.PutUser(user)
    owners = dict(client.export_keys(no_devices=True))
    files = {f.name: f.pem for f in owners[added]}
    assert {"90b3d51f300a0000-xmlsign.pem", "90b3d51f300a0000-ka.key"} <= set(files)
    # Its certificates carry its SMKI role: an electricity distributor is a network operator.
    ds = x509.load_pem_x509_certificate(files["90b3d51f300a0000-ds.pem"])
    assert subject_role(ds) is CertificateRole.NETWORK_OPERATOR


def test_a_server_without_a_keystore_says_so():
    running = start_server(example_dsp, max_workers=4)
    try:
        with Client(f"127.0.0.1:{running.port}") as client, pytest.raises(grpc.RpcError) as error:
            list(client.export_keys())
        assert error.value.code() is grpc.StatusCode.FAILED_PRECONDITION
    finally:
        running.stop(grace=None)


def test_the_cli_writes_the_files(server: RunningServer, tmp_path: Path):
    result = CliRunner().invoke(
        main, ["keys", "export", str(tmp_path / "keys"), "--server", f"127.0.0.1:{server.port}"]
    )
    assert result.exit_code == 0, result.output
    files = {path.name for path in (tmp_path / "keys").iterdir()}
    assert f"{eui_hex(ESME)}-ka.pem" in files
    assert f"{eui_hex(SUPPLIER_A)}-xmlsign.key" in files
    assert "90b3d51f30000002-ka.key" in files
    assert result.output.startswith(f"{len(files)} files for ")
