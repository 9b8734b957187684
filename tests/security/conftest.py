"""Fixtures for SEC-01, -02, -04: a test PKI's TLS credentials, and servers in this process."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from dccsim.clients.client import Client
from dccsim.clients.connection import ClientSecurity
from dccsim.server.keys.test_pki import TestPki
from dccsim.server.keys.tls import TestTlsPki
from dccsim.server.rpc.app import RunningServer, start_server
from dccsim.server.rpc.security import TlsCredentials

# A fixed secret: the same certificates every run.
SECRET = bytes(range(32))
OPERATOR_TOKEN = "correct horse battery staple"


@pytest.fixture(scope="session")
def tls_pki() -> TestTlsPki:
    return TestTlsPki(TestPki(SECRET))


@pytest.fixture(scope="session")
def mutual_tls(tls_pki: TestTlsPki) -> TlsCredentials:
    return TlsCredentials.from_test_pki(tls_pki, ("localhost", "127.0.0.1"))


@pytest.fixture
def start() -> Iterator[Callable[..., RunningServer]]:
    """start_server(...), stopped at the end of the test."""
    started: list[RunningServer] = []

    def run(*args, **kwargs) -> RunningServer:
        started.append(start_server(*args, **kwargs))
        return started[-1]

    yield run
    for running in started:
        running.stop(grace=None)


def user_client(tls_pki: TestTlsPki, port: int, user: str | None, **extra) -> Client:
    """A Client over mutual TLS with `user`'s certificate (None: the operator's)."""
    pair = tls_pki.operator() if user is None else tls_pki.user(user)
    security = ClientSecurity(
        ca=tls_pki.ca_pem,
        certificate=pair.certificate_pem,
        private_key=pair.private_key_pem,
        **extra,
    )
    return Client(f"127.0.0.1:{port}", security=security)
