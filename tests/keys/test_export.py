"""BOXED-05: export writes the files a User's tools read — as DCC's GBCS parser CLI
(tools/gbcs-parser/decode.js `--keys DIR`) names and parses them."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from dccsim.server.keys import ACB_EUI, KeyStore, KeyUsage, export_keys
from tests.gbcs.conftest import DECODE, RTDS, RTDS_KEYS
from tests.keys.conftest import SUPPLIER

pytestmark = pytest.mark.spec("BOXED-05")

# An RTDS 11.2 response from the ESME 00-DB-12-34-56-78-90-A0 to the supplier
# 90-B3-D5-1F-30-01-00-00, MAC'd with the device's KA key and the supplier's (Z1) KA key.
ECS52_RESPONSE = RTDS / "11.2_ECS52" / "ECS52_11.2_SUCCESS_RESPONSE_GBCS.HEX"
ECS52_DEVICE = "00-DB-12-34-56-78-90-A0"
DEVICE = "00-DB-12-34-56-78-90-A5"


def names(directory: Path) -> set[str]:
    return {path.name for path in directory.iterdir()}


def test_export_writes_each_owners_files_named_as_decode_js_reads_them(
    store: KeyStore, tmp_path: Path
):
    written = export_keys(store, [SUPPLIER], [DEVICE], tmp_path)
    assert (
        {path.name for path in written}
        == names(tmp_path)
        == {
            "dccsim-root-ca.pem",
            "dccsim-issuing-ca.pem",
            # the ACB: DS and KA with keys, the DSP's DspXmlSign certificate
            "90b3d51f30000002-ds.pem",
            "90b3d51f30000002-ds.key",
            "90b3d51f30000002-ka.pem",
            "90b3d51f30000002-ka.key",
            "90b3d51f30000002-xmlsign.pem",
            # a User: DS, KA and XmlSign, with keys
            "90b3d51f30010000-ds.pem",
            "90b3d51f30010000-ds.key",
            "90b3d51f30010000-ka.pem",
            "90b3d51f30010000-ka.key",
            "90b3d51f30010000-xmlsign.pem",
            "90b3d51f30010000-xmlsign.key",
            # TLS (SEC-01): the CA, the operator's and the User's client certificates, with keys
            "dccsim-tls-ca.pem",
            "dccsim-operator-tls.pem",
            "dccsim-operator-tls.key",
            "90b3d51f30010000-tls.pem",
            "90b3d51f30010000-tls.key",
            # a device: certificates only
            "00db1234567890a5-ds.pem",
            "00db1234567890a5-ka.pem",
        }
    )
    ka = x509.load_pem_x509_certificate((tmp_path / "00db1234567890a5-ka.pem").read_bytes())
    assert ka == store.device(DEVICE, KeyUsage.KEY_AGREEMENT).certificate
    key_pem = (tmp_path / "90b3d51f30000002-ka.key").read_bytes()
    assert key_pem.startswith(b"-----BEGIN PRIVATE KEY-----")  # PKCS#8, unencrypted
    key = serialization.load_pem_private_key(key_pem, password=None)
    acb_ka = store.organisation(ACB_EUI, KeyUsage.KEY_AGREEMENT)
    assert key.private_numbers() == acb_ka.private_key.private_numbers()
    assert (tmp_path / "90b3d51f30000002-ka.key").stat().st_mode & 0o777 == 0o600
    xml_sign_pem = (tmp_path / "90b3d51f30010000-xmlsign.pem").read_bytes()
    xml_sign = x509.load_pem_x509_certificate(xml_sign_pem)
    assert xml_sign == store.xml_signing(SUPPLIER).certificate


def test_export_of_the_dcc_boxed_keystore_includes_the_prepayment_key(
    dccboxed: KeyStore, tmp_path: Path
):
    export_keys(dccboxed, [SUPPLIER, "00-11-22-33-44-55-66-77"], [], tmp_path)
    files = names(tmp_path)
    assert {"90b3d51f30010000-pp-ka.pem", "90b3d51f30010000-pp-ka.key"} <= files
    assert not any(name.startswith("0011223344556677") for name in files)  # no keys, no files
    # The devices' certificates still come from dccsim's test PKI, so its CAs come too.
    assert {"dccsim-root-ca.pem", "dccsim-issuing-ca.pem"} <= files
    ds = x509.load_pem_x509_certificate((tmp_path / "90b3d51f30010000-ds.pem").read_bytes())
    assert ds.serial_number == 0x4FBC525201A1D7586C1BC1C4734DEB9F  # Z1-supplier-ds


def _decode(*arguments: str | Path) -> tuple[int, dict]:
    if shutil.which("node") is None:
        pytest.skip("node is not installed: decode.js cannot run")
    if not DECODE.exists() or not ECS52_RESPONSE.exists():
        pytest.skip(f"{DECODE} or the RTDS samples are missing")
    done = subprocess.run(
        ["node", str(DECODE), *map(str, arguments)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    assert lines, done.stderr
    return done.returncode, json.loads(lines[-1])


def test_decode_js_checks_a_mac_with_the_exported_dcc_boxed_users_key(
    dccboxed: KeyStore, tmp_path: Path
):
    exported = tmp_path / "exported"
    export_keys(dccboxed, [SUPPLIER], [], exported)
    # Only the RTDS devices' certificates from the samples; the User's KA private key from us.
    devices = tmp_path / "devices"
    devices.mkdir()
    for pem in RTDS_KEYS.glob("00db*.pem"):
        shutil.copy(pem, devices / pem.name)
    status, result = _decode("--keys", exported, "--keys", devices, ECS52_RESPONSE)
    assert result["error"] is None
    assert result["mac"] == "valid"
    assert status == 0


def test_decode_js_loads_the_test_pkis_exported_keys(store: KeyStore, tmp_path: Path):
    # A device with the RTDS ESME's EUI: decode.js finds its KA certificate and the supplier's
    # KA private key in our files and computes the MAC with them. The RTDS message was MAC'd with
    # other keys, so the MAC is "invalid" — which it can only say once both keys have loaded.
    export_keys(store, [SUPPLIER], [ECS52_DEVICE], tmp_path)
    status, result = _decode("--keys", tmp_path, ECS52_RESPONSE)
    assert result["error"] is None
    assert result["mac"] == "invalid"
    assert status == 1
    # Without the device's certificate the key lookup fails and the MAC cannot be checked.
    (tmp_path / "00db1234567890a0-ka.pem").unlink()
    _, result = _decode("--keys", tmp_path, ECS52_RESPONSE)
    assert result["mac"] == "unknown"
