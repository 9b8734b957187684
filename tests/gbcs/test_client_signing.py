"""GBCS-03 from the User's side: the client library signs a GBCS PreCommand with the User's DS
key as `dccsim keys export` wrote it, and leaves dccsim's opaque token as it came."""

from __future__ import annotations

from pathlib import Path

import pytest

from dccsim.clients.pre_command_signing import MissingSigningKey, PreCommandSigner
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.requests import ActivateFirmware, RequestId, ServiceRequest
from dccsim.server.gbcs.pre_command import PreCommandRefused, check_signed, pre_command
from dccsim.server.keys import ACB_EUI, CertificateRole, KeyStore, KeyUsage, TestPki, export_keys
from tests.conftest import ESME, NEW_IMAGE_HASH, SUPPLIER_A, SUPPLIER_B

pytestmark = pytest.mark.spec("GBCS-03")


@pytest.fixture
def store(tmp_path: Path) -> KeyStore:
    store = KeyStore(source=TestPki(bytes(range(32))))
    store.register(ACB_EUI)
    for user in (SUPPLIER_A, SUPPLIER_B):
        store.register(user, CertificateRole.SUPPLIER)
    export_keys(store, [SUPPLIER_A, SUPPLIER_B], [], tmp_path)
    return store


def _request(user: str = SUPPLIER_A) -> ServiceRequest:
    return ServiceRequest(
        RequestId(user, ESME, 7),
        "11.3",
        CommandVariant.CRITICAL_TRANSFORM,
        ActivateFirmware(NEW_IMAGE_HASH),
    )


def test_the_signer_signs_with_the_exported_key_and_the_dsp_accepts_it(store, tmp_path):
    request = _request()
    payload = pre_command(request)
    assert payload is not None
    signed = PreCommandSigner(directory=tmp_path).sign(SUPPLIER_A, payload)
    user_key = store.organisation(SUPPLIER_A, KeyUsage.DIGITAL_SIGNATURE).certificate.public_key()
    check_signed(signed, request, user_key)  # raises if not
    # Another User's key (given as a file path) makes a signature the DSP refuses.
    other = PreCommandSigner({SUPPLIER_A: tmp_path / "90b3d51f30030000-ds.key"})
    with pytest.raises(PreCommandRefused, match="does not verify"):
        check_signed(other.sign(SUPPLIER_A, payload), request, user_key)


def test_the_opaque_token_goes_back_unchanged_and_a_missing_key_is_named(tmp_path):
    signer = PreCommandSigner(directory=tmp_path)
    assert signer.sign(SUPPLIER_A, b"DCCSIM-GBCS/6.15.1/abc") == b"DCCSIM-GBCS/6.15.1/abc"
    payload = pre_command(_request())
    assert payload is not None
    with pytest.raises(MissingSigningKey, match=SUPPLIER_A):
        signer.sign(SUPPLIER_A, payload)
