"""GBCS-03 over the typed gRPC API: with keys, a CV 4 answers with the GBCS pre-command, the
client library's one-shot `activate_firmware` signs it with the User's exported DS key, and a
client without the key (returning the PreCommand unsigned) is refused with E1002."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dccsim.clients.client import Client
from dccsim.clients.pre_command_signing import PreCommandSigner
from dccsim.server.core.codes import PRE_COMMAND_REFUSED
from dccsim.server.gbcs.frame import parse_general_signing
from dccsim.server.keys import ACB_EUI, CertificateRole, KeyStore, TestPki, export_keys
from dccsim.server.rpc.app import RunningServer, start_server
from dccsim.v1 import supplier_pb2
from tests.conftest import (
    ESME,
    EXAMPLE_NEW_FIRMWARE,
    NEW_IMAGE,
    NEW_IMAGE_HASH,
    SUPPLIER_A,
    example_dsp,
)

pytestmark = pytest.mark.spec("GBCS-03", "REQ-05")


@pytest.fixture
def keys(tmp_path: Path) -> tuple[KeyStore, Path]:
    store = KeyStore(source=TestPki(bytes(range(32))))
    store.register(ACB_EUI)
    store.register(SUPPLIER_A, CertificateRole.SUPPLIER)
    export_keys(store, [SUPPLIER_A], [], tmp_path)
    return store, tmp_path


@pytest.fixture
def server(keys: tuple[KeyStore, Path]) -> Iterator[RunningServer]:
    running = start_server(example_dsp, max_workers=4, keystore=keys[0])
    yield running
    running.stop(grace=None)


def client_leg(pre, signer: PreCommandSigner) -> supplier_pb2.SubmitRequest:
    return supplier_pb2.SubmitRequest(
        request_id=pre.request_id,
        service_reference_variant="11.3",
        command_variant=5,
        signed_pre_command=supplier_pb2.SignedPreCommand(
            payload=signer.sign(SUPPLIER_A, pre.message.pre_command.payload)
        ),
    )


def test_the_typed_one_shot_signs_the_gbcs_pre_command(server, keys) -> None:
    target = f"127.0.0.1:{server.port}"
    signer = PreCommandSigner(directory=keys[1])
    with Client(target, signer=signer) as client:
        answer = client.update_firmware(
            user=SUPPLIER_A, image=NEW_IMAGE, version=EXAMPLE_NEW_FIRMWARE, devices=[ESME]
        )
        assert answer.code == "I99"
        pre = client.send(
            "11.3",
            user=SUPPLIER_A,
            target=ESME,
            cv=4,
            body={"activate_firmware": {"firmware_hash": NEW_IMAGE_HASH}},
        )
        assert pre.code == "I0"
        parsed = parse_general_signing(pre.message.pre_command.payload)
        assert parsed.signature is None  # GBCS, with its null signature
        # Returned as it came (a client without the User's key): refused, nothing runs.
        unsigned = supplier_pb2.SubmitRequest(
            request_id=pre.request_id,
            service_reference_variant="11.3",
            command_variant=5,
            signed_pre_command=supplier_pb2.SignedPreCommand(
                payload=pre.message.pre_command.payload
            ),
        )
        refused = client.submit(unsigned)
        assert refused.code == str(PRE_COMMAND_REFUSED)
        assert "not signed" in refused.detail
        assert client.submit(client_leg(pre, signer)).code == "I99"
        done = client.activate_firmware(user=SUPPLIER_A, device=ESME, image_hash=NEW_IMAGE_HASH)
        assert done.code == "I99"
        batch = client.send_critical_batch(
            "11.3",
            user=SUPPLIER_A,
            targets=[ESME],
            body={"activate_firmware": {"firmware_hash": NEW_IMAGE_HASH}},
        )
        assert [outcome.code for outcome in batch] == ["I99"]


def test_a_client_without_a_signer_signs_with_the_users_key_the_simulator_exports(server) -> None:
    with Client(f"127.0.0.1:{server.port}") as client:
        client.update_firmware(
            user=SUPPLIER_A, image=NEW_IMAGE, version=EXAMPLE_NEW_FIRMWARE, devices=[ESME]
        )
        done = client.activate_firmware(user=SUPPLIER_A, device=ESME, image_hash=NEW_IMAGE_HASH)
        assert done.code == "I99"
        assert client.signer is not None  # fetched once, from ControlService.ExportKeys
