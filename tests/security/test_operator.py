"""SEC-02: the control API can be closed to all but holders of an operator credential (a token,
or an operator client certificate); off loopback it is closed unless opened explicitly. And
SEC-01's loud warning for a server beyond loopback without TLS."""

from __future__ import annotations

import logging

import grpc
import pytest

from dccsim.clients.client import Client
from dccsim.clients.connection import ClientSecurity
from dccsim.server.core.fleet import SUPPLIER_A
from dccsim.server.rpc.security import SecurityOptions, TlsCredentials
from dccsim.v1 import control_pb2, types_pb2
from tests.conftest import example_dsp
from tests.security.conftest import OPERATOR_TOKEN, user_client

pytestmark = pytest.mark.spec("SEC-02")

# One call of each kind the control API has: changes, reads, a stream.
CALLS = (
    ("Reset", control_pb2.ResetRequest()),
    ("PutUser", types_pb2.User()),
    ("AddFaultRule", control_pb2.FaultRule()),
    ("SetClock", control_pb2.SetClockRequest()),
    ("PutCplEntry", types_pb2.CplEntry()),
    ("ListDevices", control_pb2.ListDevicesRequest()),
    ("GetClock", control_pb2.GetClockRequest()),
)


def refused_code(client: Client, method: str, request) -> grpc.StatusCode | None:
    try:
        result = getattr(client.control, method)(request, timeout=5)
        if method in ("StreamEvents", "ExportKeys"):
            next(iter(result))
    except grpc.RpcError as error:
        return error.code()
    return None


def every_control_call_is(client: Client, code: grpc.StatusCode) -> None:
    for method, request in [
        *CALLS,
        ("ExportKeys", control_pb2.ExportKeysRequest()),
        ("StreamEvents", control_pb2.StreamEventsRequest()),
    ]:
        assert refused_code(client, method, request) is code, method


def test_with_a_token_every_control_call_without_it_is_unauthenticated(start):
    server = start(
        example_dsp, max_workers=16, security=SecurityOptions(operator_token=OPERATOR_TOKEN)
    )
    with Client(f"127.0.0.1:{server.port}") as anonymous:
        every_control_call_is(anonymous, grpc.StatusCode.UNAUTHENTICATED)
        # Nothing changed, and a User's calls need no operator credential.
        assert anonymous.acknowledge(SUPPLIER_A, 0) == 0
    wrong = ClientSecurity(operator_token="not the token")
    with Client(f"127.0.0.1:{server.port}", security=wrong) as guesser:
        assert refused_code(guesser, "Reset", control_pb2.ResetRequest()) is (
            grpc.StatusCode.UNAUTHENTICATED
        )
    operator = ClientSecurity(operator_token=OPERATOR_TOKEN)
    with Client(f"127.0.0.1:{server.port}", security=operator) as client:
        assert client.reset() == 7
        assert client.clock().rate >= 0


def test_the_async_client_passes_the_token(start):
    import asyncio

    from dccsim.clients.client import AsyncClient

    server = start(
        example_dsp, max_workers=8, security=SecurityOptions(operator_token=OPERATOR_TOKEN)
    )

    async def reset(security: ClientSecurity | None) -> grpc.StatusCode | int:
        async with AsyncClient(f"127.0.0.1:{server.port}", security=security) as client:
            try:
                return (await client.control.Reset(control_pb2.ResetRequest())).devices
            except grpc.aio.AioRpcError as error:
                return error.code()

    assert asyncio.run(reset(None)) is grpc.StatusCode.UNAUTHENTICATED
    assert asyncio.run(reset(ClientSecurity(operator_token=OPERATOR_TOKEN))) == 7


def test_an_operator_certificate_opens_the_control_api_and_a_users_does_not(
    start, mutual_tls, tls_pki
):
    server = start(
        example_dsp,
        max_workers=16,
        security=SecurityOptions(
            tls=mutual_tls, operator_certificates=(tls_pki.operator().certificate_pem,)
        ),
    )
    with user_client(tls_pki, server.port, SUPPLIER_A) as supplier:
        every_control_call_is(supplier, grpc.StatusCode.UNAUTHENTICATED)
    with user_client(tls_pki, server.port, None) as operator:
        assert operator.reset() == 7


def test_beyond_loopback_the_control_api_is_closed_unless_opened(start, caplog):
    with caplog.at_level(logging.WARNING, logger="dccsim.server"):
        closed = start(example_dsp, address="0.0.0.0:0", max_workers=8)
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert any("WITHOUT TLS" in w for w in warnings), warnings  # SEC-01's loud warning
    with Client(f"127.0.0.1:{closed.port}") as client:
        every_control_call_is(client, grpc.StatusCode.UNAUTHENTICATED)
        assert client.acknowledge(SUPPLIER_A, 0) == 0  # the supplier API still serves
    opened = start(
        example_dsp, address="0.0.0.0:0", max_workers=8, security=SecurityOptions(open_control=True)
    )
    with Client(f"127.0.0.1:{opened.port}") as client:
        assert client.reset() == 7


def test_on_loopback_without_a_credential_the_control_api_is_open(start, caplog):
    with caplog.at_level(logging.WARNING, logger="dccsim.server"):
        server = start(example_dsp, max_workers=8)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    with Client(f"127.0.0.1:{server.port}") as client:
        assert client.reset() == 7


@pytest.mark.spec("SEC-01")
def test_options_refuse_what_cannot_work():
    with pytest.raises(ValueError, match="mutual TLS"):
        SecurityOptions(operator_certificates=(b"-----BEGIN CERTIFICATE-----",))
    with pytest.raises(ValueError, match="empty"):
        SecurityOptions(operator_token="  ")


@pytest.mark.spec("SEC-01")
def test_tls_credentials_refuse_files_that_are_not_a_certificate_and_its_key(tls_pki):
    server, user = tls_pki.server(), tls_pki.user(SUPPLIER_A)
    with pytest.raises(ValueError, match="certificate chain"):
        TlsCredentials(b"not a certificate", server.private_key_pem)
    with pytest.raises(ValueError, match="private key"):
        TlsCredentials(server.certificate_pem, b"not a key")
    with pytest.raises(ValueError, match="not the certificate's"):
        TlsCredentials(server.certificate_pem, user.private_key_pem)
    with pytest.raises(ValueError, match="client CA"):
        TlsCredentials(server.certificate_pem, server.private_key_pem, b"nothing")
