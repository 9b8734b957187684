"""Done when (issue 16): the firmware story runs with real GBCS through DCC's own tools -- DCC
Boxed's keystore, the request templates signed with DCC's signing tool (tool.jar), the
PreCommand signed with the User's GBCS DS key as `dccsim keys export` wrote it, and every
response decoded by DCC's gbcs-parser with its MAC valid and its signature true."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from dccsim.clients.pre_command_signing import load_ds_key, signed_leg_document
from dccsim.server.keys import KeyStore, TestPki, export_keys, load_dccboxed_keystore
from dccsim.server.rpc.app import RunningServer, start_server
from tests.conftest import ESME, SHARED, SUPPLIER_A, example_dsp
from tests.duis.documents import text
from tests.gbcs.conftest import decode
from tests.gbcs.story import gbcs_payloads, key_hex
from tests.http.conftest import loopback
from tests.http.receivers import Receiver, post

pytestmark = pytest.mark.spec("GBCS-01", "GBCS-03", "GBCS-04", "BOXED-03")

JAR = SHARED / "tools" / "duis-signing-tool" / "tool.jar"
TEMPLATES = SHARED / "duis-samples" / "requests"
KEYSTORE = SHARED / "keystore" / "dccboxed-keystore.json"


def _tool(document: bytes, *options: str) -> bytes:
    """DCC's signing tool, signing as the RequestID's originator (DCC Boxed's test keystore)."""
    if shutil.which("java") is None:
        pytest.skip("java is not installed: DCC's signing tool cannot run")
    if not JAR.is_file():
        pytest.skip(f"DCC's signing tool is not at {JAR}")
    done = subprocess.run(
        ["java", "-cp", str(JAR), "uk.co.smartdcc.boxed.xmldsig.Sign", "-", *options],
        input=document,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


@pytest.fixture
def keystore(tmp_path: Path) -> tuple[KeyStore, Path]:
    if not KEYSTORE.is_file() or not TEMPLATES.is_dir():
        pytest.skip("DCC Boxed's keystore or the DUIS templates are not in ../shared")
    store = load_dccboxed_keystore(KEYSTORE, source=TestPki(bytes(32), organisations=False))
    export_keys(store, [SUPPLIER_A], [ESME], tmp_path)
    return store, tmp_path


@pytest.fixture
def server(keystore: tuple[KeyStore, Path], receiver: Receiver) -> Iterator[RunningServer]:
    running = start_server(
        example_dsp,
        max_workers=4,
        http=loopback(),
        keystore=keystore[0],
        receive_urls={SUPPLIER_A: receiver.url},
    )
    yield running
    running.stop(grace=None)


def test_templates_signed_by_dccs_tool_and_the_pre_command_by_the_users_gbcs_key(
    server: RunningServer, keystore: tuple[KeyStore, Path], receiver: Receiver
) -> None:
    keys = keystore[1]
    url = f"http://127.0.0.1:{server.http_ports.duis}/api/v1/"
    cv4 = _tool((TEMPLATES / "CS06_11.3_IMMEDIATE_SUCCESS_REQUEST_DUIS.XML").read_bytes())
    answer = post(url + "serviceT", cv4)
    assert text(answer.body, "//sr:Header/sr:ResponseCode") == "I0"
    user_key = load_ds_key(keys / f"{key_hex(SUPPLIER_A)}-ds.key")
    cv5 = _tool(signed_leg_document(answer.body, user_key), "--preserveCounter")
    assert text(post(url + "serviceS", cv5).body, "//sr:Header/sr:ResponseCode") == "I99"
    read = _tool((TEMPLATES / "ECS52_11.2_SUCCESS_REQUEST_DUIS.XML").read_bytes())
    assert text(post(url + "serviceS", read).body, "//sr:Header/sr:ResponseCode") == "I99"

    receiver.wait_for(lambda r: len(r.accepted()) >= 2)
    payloads = gbcs_payloads(receiver.accepted())
    results = decode([keys], payloads)
    assert [(r["error"], r["mac"], r["signature"]) for r in results] == [
        (None, "absent", True),  # CS06: the ESME's DS signature
        (None, "valid", None),  # ECS52: MAC'd with the ESME's and the ACB's KA keys
    ]
