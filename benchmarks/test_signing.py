"""What a DUIS XML signature costs (BOXED-03, BOXED-04): signing one of the DSP's documents
with its DspXmlSign key, and verifying one User's request, per document, on one core.

    python -m pytest benchmarks/test_signing.py --benchmark-json benchmarks/results/signing.json

Nothing is asserted about time (it depends on the machine).
"""

from __future__ import annotations

import pytest

from dccsim.server.core.records import DuisVersion
from dccsim.server.duis.safe import load_document
from dccsim.server.duis.signing import sign_document, sign_response, verify_request
from tests.duis.documents import request_xml
from tests.duis.test_signing import (
    DSP_XML_SIGN,
    KEYSTORE_JSON,
    SUPPLIER,
    XML_SIGN,
    _dsp_documents,
    dccboxed_keystore,
)


@pytest.fixture(scope="module")
def keystore():
    if not KEYSTORE_JSON.is_file():
        pytest.skip(f"the DCC Boxed keystore is not at {KEYSTORE_JSON}")
    return dccboxed_keystore()


@pytest.fixture(scope="module")
def documents() -> dict[str, bytes]:
    return _dsp_documents(DuisVersion.V5_2)


@pytest.mark.parametrize("label", ["I0 8.2 inventory", "device response 11.2", "DCC alert N28"])
def test_sign_a_dsp_document(benchmark, keystore, documents, label: str) -> None:
    dsp = keystore.by_serial(DSP_XML_SIGN)
    document = documents[label]
    signed = benchmark(sign_response, document, dsp)
    assert b"<ds:SignatureValue>" in signed


def test_leave_an_error_acknowledgement_unsigned(benchmark, keystore, documents) -> None:
    dsp = keystore.by_serial(DSP_XML_SIGN)
    document = documents["E5 acknowledgement"]
    assert benchmark(sign_response, document, dsp) is document


def _signed_request(keystore) -> bytes:
    body = "<sr:ReadInventory><sr:DeviceID>00-DB-12-34-56-78-90-A2</sr:DeviceID></sr:ReadInventory>"
    request = request_xml(
        "8.2", body, request_id=f"{SUPPLIER}:90-B3-D5-1F-30-00-00-02:1", cv=8, signed=False
    )
    return sign_document(request, keystore.by_serial(XML_SIGN[SUPPLIER]))


def test_verify_a_request(benchmark, keystore) -> None:
    """From bytes: the safe load included, as a transport that verifies before parsing pays."""
    signed = _signed_request(keystore)
    result = benchmark(verify_request, signed, keystore)
    assert result.serial == XML_SIGN[SUPPLIER]


def test_verify_a_loaded_request(benchmark, keystore) -> None:
    """From a tree already loaded by safe.load_document: the signature check alone."""
    tree = load_document(_signed_request(keystore))
    result = benchmark(verify_request, tree, keystore)
    assert result.serial == XML_SIGN[SUPPLIER]
