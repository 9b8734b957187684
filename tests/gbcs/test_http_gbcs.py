"""The firmware story with real GBCS over HTTP, as a DCC Boxed user lives it (GBCS-01…04):
requests POSTed to the web services, the PreCommand signed with the User's exported DS key,
every response and alert POSTed to the User's receiver carrying GBCS that DCC's parser decodes
with valid MACs and signatures."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from dccsim.server.core import commands
from dccsim.server.duis.signing import SignatureSettings
from dccsim.server.gbcs.pre_command import sign
from dccsim.server.keys import ACB_EUI, CertificateRole, KeyStore, TestPki, export_keys
from dccsim.server.rpc.app import RunningServer, start_server
from dccsim.server.runtime.gbcs_hooks import PRE_COMMAND_REFUSED
from tests.conftest import (
    ESME,
    EXAMPLE_NEW_FIRMWARE,
    GSME,
    NEW_IMAGE,
    NEW_IMAGE_HASH,
    SUPPLIER_A,
    example_dsp,
)
from tests.duis.documents import ACB_ID, b64, request_xml, text, texts
from tests.gbcs.conftest import decode
from tests.gbcs.story import gbcs_payloads, key_hex
from tests.http.conftest import loopback
from tests.http.receivers import Receiver, post

pytestmark = pytest.mark.spec("GBCS-01", "GBCS-03", "GBCS-04")


@pytest.fixture
def keys(tmp_path: Path) -> tuple[KeyStore, Path]:
    store = KeyStore(source=TestPki(bytes(range(32))))
    store.register(ACB_EUI)
    store.register(SUPPLIER_A, CertificateRole.SUPPLIER)
    export_keys(store, [SUPPLIER_A], [ESME, GSME], tmp_path)
    return store, tmp_path


@pytest.fixture
def server(keys: tuple[KeyStore, Path], receiver: Receiver) -> Iterator[RunningServer]:
    running = start_server(
        example_dsp,
        max_workers=8,
        http=loopback(),
        keystore=keys[0],
        # The requests here are unsigned XML: the XML signature is BOXED-03's business.
        signatures=SignatureSettings(verify=False),
        receive_urls={SUPPLIER_A: receiver.url},
    )
    yield running
    running.stop(grace=None)


def _activate_body(when: str = "") -> str:
    at = f"<sr:ExecutionDateTime>{when}</sr:ExecutionDateTime>" if when else ""
    return (
        f"<sr:ActivateFirmware>{at}<sr:FirmwareHash>{NEW_IMAGE_HASH.hex().upper()}"
        "</sr:FirmwareHash></sr:ActivateFirmware>"
    )


def _signed_leg(rid: str, payload: bytes) -> bytes:
    body = (
        f"<sr:SignedPreCommand><sr:GBCSPayload>{b64(payload)}</sr:GBCSPayload>"
        "</sr:SignedPreCommand>"
    )
    return request_xml("11.3", body, request_id=rid, cv=5, signed=False)


def test_the_firmware_story_over_http_is_real_gbcs(
    server: RunningServer, keys: tuple[KeyStore, Path], receiver: Receiver
) -> None:
    directory = keys[1]
    user_key = load_pem_private_key(
        (directory / f"{key_hex(SUPPLIER_A)}-ds.key").read_bytes(), None
    )
    assert isinstance(user_key, ec.EllipticCurvePrivateKey)
    url = f"http://127.0.0.1:{server.http_ports.duis}/api/v1/"

    def code(answer) -> str:
        assert answer.status == 200, answer.text
        return text(answer.body, "//sr:Header/sr:ResponseCode")

    update = request_xml(
        "11.1",
        f"<sr:UpdateFirmware><sr:FirmwareImage>{b64(NEW_IMAGE)}</sr:FirmwareImage>"
        f"<sr:FirmwareVersion>{EXAMPLE_NEW_FIRMWARE}</sr:FirmwareVersion>"
        f"<sr:DeviceIDList>{ESME},{GSME}</sr:DeviceIDList></sr:UpdateFirmware>",
        request_id=f"{SUPPLIER_A}:{ACB_ID}:3000",
        cv=8,
        signed=False,
    )
    assert code(post(url + "serviceD", update)) == "I99"
    # 11.3, immediate, to the ESME: CV 4, sign, CV 5.
    rid = f"{SUPPLIER_A}:{ESME}:3001"
    pre = post(
        url + "serviceT", request_xml("11.3", _activate_body(), request_id=rid, cv=4, signed=False)
    )
    assert code(pre) == "I0"
    [payload] = texts(pre.body, "//sr:PreCommand/sr:GBCSPayload")
    unsigned = base64.b64decode(payload)
    # Sent back unsigned: refused, and nothing runs.
    assert code(post(url + "serviceS", _signed_leg(rid, unsigned))) == str(PRE_COMMAND_REFUSED)
    assert code(post(url + "serviceS", _signed_leg(rid, sign(unsigned, user_key)))) == "I99"
    # 11.3, future-dated, to the GSME; then the clock passes it: 0x00CA.
    rid = f"{SUPPLIER_A}:{GSME}:3002"
    when = (server.host.now() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    pre = post(
        url + "serviceT",
        request_xml("11.3", _activate_body(when), request_id=rid, cv=4, signed=False),
    )
    [payload] = texts(pre.body, "//sr:PreCommand/sr:GBCSPayload")
    signed = sign(base64.b64decode(payload), user_key)
    assert code(post(url + "serviceS", _signed_leg(rid, signed))) == "I99"
    server.host.run_one(commands.Advance(timedelta(hours=2)))
    # 11.2 to both.
    for counter, device in ((3003, ESME), (3004, GSME)):
        read = request_xml(
            "11.2",
            "<sr:ReadFirmwareVersion/>",
            request_id=f"{SUPPLIER_A}:{device}:{counter}",
            cv=1,
            signed=False,
        )
        assert code(post(url + "serviceS", read)) == "I99"

    # Two receipts, the ESME's 11.3 response, the GSME's accepted and its 0x00CA, two 11.2s.
    receiver.wait_for(lambda r: len(r.accepted()) >= 7)
    payloads = gbcs_payloads(receiver.accepted())
    assert len(payloads) == 7
    results = decode([directory], payloads)
    for result in results:
        assert result["error"] is None, result
        assert result["mac"] in ("valid", "absent"), result
        assert result["signature"] in (True, None), result
    assert sum(result["mac"] == "valid" for result in results) == 2  # the 11.2 responses
    assert sum(result["signature"] is True for result in results) == 5
