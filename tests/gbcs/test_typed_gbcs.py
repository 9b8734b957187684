"""GBCS-03 over the typed gRPC API: with keys, a CV 4 answers with the GBCS pre-command, the
client library's one-shot `activate_firmware` signs it with the User's exported DS key, and a
client without the key (returning the PreCommand unsigned) is refused with E1002."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dccsim.clients.client import Client
from dccsim.clients.pre_command_signing import PreCommandSigner
from dccsim.server.gbcs.frame import parse_general_signing
from dccsim.server.keys import ACB_EUI, CertificateRole, KeyStore, TestPki, export_keys
from dccsim.server.rpc.app import RunningServer, start_server
from dccsim.server.runtime.gbcs_hooks import PRE_COMMAND_REFUSED
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
        client.signer = None  # a client without the User's key returns it as it came
        refused = client.activate_firmware(user=SUPPLIER_A, device=ESME, image_hash=NEW_IMAGE_HASH)
        assert refused.code == str(PRE_COMMAND_REFUSED)
        assert "not signed" in refused.detail
        client.signer = signer
        done = client.activate_firmware(user=SUPPLIER_A, device=ESME, image_hash=NEW_IMAGE_HASH)
        assert done.code == "I99"
        batch = client.send_critical_batch(
            "11.3",
            user=SUPPLIER_A,
            targets=[ESME],
            body={"activate_firmware": {"firmware_hash": NEW_IMAGE_HASH}},
        )
        assert [outcome.code for outcome in batch] == ["I99"]
