"""Keystores for the keys tests: DCC Boxed's (the shared test keystore) and dccsim's test PKI."""

from __future__ import annotations

import pytest

from dccsim.server.keys import ACB_EUI, CertificateRole, KeyStore, TestPki, load_dccboxed_keystore
from tests.conftest import SHARED

DCCBOXED_KEYSTORE = SHARED / "keystore" / "dccboxed-keystore.json"
SECRET = bytes(range(32))
SUPPLIER = "90-B3-D5-1F-30-01-00-00"
SUPPLIER_2 = "90-B3-D5-1F-30-03-00-00"


@pytest.fixture(scope="session")
def dccboxed() -> KeyStore:
    if not DCCBOXED_KEYSTORE.exists():
        pytest.skip(f"{DCCBOXED_KEYSTORE} is missing")
    return load_dccboxed_keystore(DCCBOXED_KEYSTORE, source=TestPki(SECRET, organisations=False))


@pytest.fixture
def pki() -> TestPki:
    return TestPki(SECRET)


@pytest.fixture
def store(pki: TestPki) -> KeyStore:
    store = KeyStore(source=pki)
    store.register(ACB_EUI)
    store.register(SUPPLIER, CertificateRole.SUPPLIER)
    return store
