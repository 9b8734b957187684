"""SEC-01 over HTTP: DUIS over HTTPS, and with a client CA, mutual TLS binding the client to a
User: another User's request is refused with 403 and changes nothing."""

from __future__ import annotations

import ssl
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from dccsim.server.core.fleet import SUPPLIER_A, SUPPLIER_B
from dccsim.server.http.options import HttpOptions
from dccsim.server.keys.export import write_server_tls
from dccsim.server.keys.tls import TestTlsPki, TlsPair
from tests.conftest import ESME, GSME, example_dsp
from tests.duis.documents import request_xml

pytestmark = pytest.mark.spec("SEC-01")


def write(directory: Path, stem: str, pair: TlsPair) -> tuple[Path, Path]:
    cert, key = directory / f"{stem}.pem", directory / f"{stem}.key"
    cert.write_bytes(pair.certificate_pem)
    key.write_bytes(pair.private_key_pem)
    return cert, key


def post(url: str, body: bytes, context: ssl.SSLContext) -> tuple[int, bytes]:
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/xml"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, context=context, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def client_context(tls_pki: TestTlsPki, directory: Path, user: str) -> ssl.SSLContext:
    context = ssl.create_default_context(cadata=tls_pki.ca_pem.decode())
    context.load_cert_chain(*write(directory, f"client-{user}", tls_pki.user(user)))
    return context


def test_duis_over_https_binds_the_client_certificate_to_its_user(start, tls_pki, tmp_path):
    files = write_server_tls(tls_pki, ("localhost", "127.0.0.1"), tmp_path / "keys")
    assert files.private_key.stat().st_mode & 0o777 == 0o600
    http = HttpOptions(
        duis_port=0,
        smki_port=None,
        tls_cert=files.certificate,
        tls_key=files.private_key,
        client_ca=files.client_ca,
    )
    server = start(example_dsp, max_workers=8, http=http)
    url = f"https://localhost:{server.http_ports.duis}/api/v1/serviceS"
    supplier_a = client_context(tls_pki, tmp_path, SUPPLIER_A)

    def read(user: str, device: str) -> bytes:
        return request_xml(
            "11.2", "<sr:ReadFirmwareVersion/>", request_id=f"{user}:{device}:1", cv=1
        )

    status, body = post(url, read(SUPPLIER_B, GSME), supplier_a)
    assert status == 403, body
    assert SUPPLIER_A.encode() in body and SUPPLIER_B.encode() in body
    assert server.host.dsp.counters == {}
    status, body = post(url, read(SUPPLIER_A, ESME), supplier_a)
    assert status == 200 and b"I99" in body
    # No client certificate: the handshake fails.
    anonymous = ssl.create_default_context(cadata=tls_pki.ca_pem.decode())
    with pytest.raises((urllib.error.URLError, ssl.SSLError, ConnectionError)):
        post(url, read(SUPPLIER_A, ESME), anonymous)


def test_http_options_refuse_a_client_ca_without_tls(tmp_path):
    with pytest.raises(ValueError, match="need TLS"):
        HttpOptions(client_ca=tmp_path / "ca.pem")
