"""Shared helpers of the GBCS tests: the RTDS reference messages and keys, and DCC's GBCS parser
(`tools/gbcs-parser/decode.js`, node) as the independent oracle."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from tests.conftest import SHARED
from tests.http.receivers import Receiver

RTDS = SHARED / "gbcs-samples" / "RTDS-4.5.0"
RTDS_KEYS = SHARED / "gbcs-samples" / "rtds-device-keystore"
DECODE = SHARED / "tools" / "gbcs-parser" / "decode.js"


def rtds(name: str) -> bytes:
    path = RTDS / name
    if not path.exists():
        pytest.skip(f"{path} is missing (../shared/gbcs-samples)")
    return bytes.fromhex(path.read_text().strip())


def rtds_public(eui_hex: str, usage: str) -> ec.EllipticCurvePublicKey:
    path = RTDS_KEYS / f"{eui_hex}-{usage}.pem"
    if not path.exists():
        pytest.skip(f"{path} is missing")
    key = x509.load_pem_x509_certificate(path.read_bytes()).public_key()
    assert isinstance(key, ec.EllipticCurvePublicKey)
    return key


def rtds_private(eui_hex: str, usage: str) -> ec.EllipticCurvePrivateKey:
    path = RTDS_KEYS / f"{eui_hex}-{usage}.key"
    if not path.exists():
        pytest.skip(f"{path} is missing")
    key = load_pem_private_key(path.read_bytes(), None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return key


def decode(keys: list[Path], payloads: list[bytes], *, acb: str | None = None) -> list[dict]:
    """Run decode.js over payloads (as hex) with `--keys` directories: one result per payload."""
    if shutil.which("node") is None:
        pytest.skip("node is not installed: DCC's gbcs-parser (decode.js) cannot run")
    if not DECODE.exists():
        pytest.skip(f"{DECODE} is missing (../shared/tools)")
    arguments = ["node", str(DECODE)]
    for directory in keys:
        arguments += ["--keys", str(directory)]
    if acb is not None:
        arguments += ["--acb", acb]
    done = subprocess.run(
        [*arguments, *(payload.hex() for payload in payloads)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    results = [json.loads(line) for line in done.stdout.strip().splitlines()]
    assert len(results) == len(payloads), done.stderr
    return results


# A User's Receive Response Service: the async POSTs the HTTP tests read back.
@pytest.fixture
def receiver() -> Iterator[Receiver]:
    made = Receiver().start()
    yield made
    made.close()
