"""With a keystore, the HTTP side verifies request signatures and signs what the DSP sends
(BOXED-03, BOXED-04, through the shared gateway's hooks), and serves SMKI (BOXED-06)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dccsim.server.core.fleet import example_fleet
from dccsim.server.duis.signing import SignatureSettings, sign_document
from dccsim.server.keys import keystore_for
from dccsim.server.keys.keystore import KeyStore
from dccsim.server.rpc.app import RunningServer, start_server
from tests.conftest import ESME, SUPPLIER_A
from tests.duis.documents import request_xml, text
from tests.http.conftest import loopback, relaxed_dsp
from tests.http.receivers import post

USERS = [user.user_id for user in example_fleet().users]


@pytest.fixture(scope="module")
def keystore() -> KeyStore:
    return keystore_for(None, USERS)


@pytest.fixture
def keyed(keystore: KeyStore) -> Iterator[RunningServer]:
    running = start_server(relaxed_dsp, http=loopback(), keystore=keystore)
    yield running
    running.stop(grace=None)


def _read(counter: int) -> bytes:
    rid = f"{SUPPLIER_A}:{ESME}:{counter}"
    return request_xml("11.2", "<sr:ReadFirmwareVersion/>", request_id=rid, cv=1, signed=False)


def _duis(running: RunningServer, service: str = "serviceS") -> str:
    return f"http://127.0.0.1:{running.http_ports.duis}/api/v1/{service}"


def _smki(running: RunningServer, path: str) -> str:
    return f"http://127.0.0.1:{running.http_ports.smki}/services/{path}?apikey=anything"


@pytest.mark.spec("BOXED-01", "BOXED-03", "BOXED-04")
def test_signed_requests_are_served_and_unsigned_ones_refused_unchanged(
    keyed: RunningServer, keystore: KeyStore
) -> None:
    before = keyed.host.fingerprint()
    refused = post(_duis(keyed), _read(1))
    assert refused.status == 200
    assert text(refused.body, "//sr:ResponseCode") == "E1001"
    assert b"SignatureValue" not in refused.body
    assert keyed.host.fingerprint() == before

    signed = sign_document(_read(2), keystore.xml_signing(SUPPLIER_A))
    accepted = post(_duis(keyed), signed)
    assert text(accepted.body, "//sr:ResponseCode") == "I99"
    assert b"SignatureValue" in accepted.body  # the DSP's DspXmlSign signature
    # The wrong web service is refused before the signature is even looked at.
    assert text(post(_duis(keyed, "serviceT"), signed).body, "//sr:ResponseCode") == "E13"


@pytest.mark.spec("BOXED-01", "BOXED-03")
def test_signature_checking_can_be_switched_off(keystore: KeyStore) -> None:
    running = start_server(
        relaxed_dsp,
        http=loopback(),
        keystore=keystore,
        signatures=SignatureSettings(verify=False),
    )
    try:
        answer = post(_duis(running), _read(3))
        assert text(answer.body, "//sr:ResponseCode") == "I99"
    finally:
        running.stop(grace=None)


@pytest.mark.spec("BOXED-06")
def test_smki_is_served_on_its_own_port(keyed: RunningServer) -> None:
    search = (
        "<CertificateSearchRequest><CertificateSubjectAltName>"
        f"{ESME.lower()}</CertificateSubjectAltName></CertificateSearchRequest>"
    ).encode()
    found = post(_smki(keyed, "certificatesearch"), search)
    assert (found.status, found.content_type) == (200, "application/xml")
    assert b"<CertificateSerial>" in found.body
    nobody = search.replace(ESME.lower().encode(), b"00-11-22-33-44-55-66-77")
    assert post(_smki(keyed, "certificatesearch"), nobody).status == 402
    assert post(_smki(keyed, "retrievecertificate"), b"not xml").status == 400


@pytest.mark.spec("BOXED-06")
def test_no_smki_listener_without_a_keystore(server: RunningServer) -> None:
    assert server.http_ports.smki is None
    assert server.http_ports.duis is not None
