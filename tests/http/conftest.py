"""A dccsim server in this process with its HTTP side on loopback ports, and test receivers."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import grpc
import pytest

from dccsim.server.core.dsp import Dsp
from dccsim.server.http.options import HttpOptions, RetryPolicy
from dccsim.server.rpc.app import RunningServer, start_server
from dccsim.v1 import control_pb2_grpc
from tests.conftest import example_dsp
from tests.duis.documents import XSD_5_1, XSD_5_3A, OfficialSchemas
from tests.http.receivers import Receiver

# Short waits, so that retries show within a test's patience: a POST has 0.5 s to be answered,
# and the backoff runs 0.05, 0.1, 0.2, 0.2, ... s.
FAST_RETRY = RetryPolicy(timeout=0.5, first=0.05, cap=0.2)


def loopback(**options: object) -> HttpOptions:
    return HttpOptions(duis_port=0, smki_port=0, retry=FAST_RETRY, **options)


def relaxed_dsp() -> Dsp:
    return example_dsp(strict_counters=False)  # the templates reuse counters


@pytest.fixture
def server() -> Iterator[RunningServer]:
    running = start_server(relaxed_dsp, max_workers=8, http=loopback())
    yield running
    running.stop(grace=None)


@pytest.fixture
def duis(server: RunningServer) -> Callable[[str], str]:
    """The URL of one of the server's DUIS web services: duis("serviceS")."""
    return lambda service: f"http://127.0.0.1:{server.http_ports.duis}/api/v1/{service}"


@pytest.fixture
def control(server: RunningServer) -> Iterator[control_pb2_grpc.ControlServiceStub]:
    with grpc.insecure_channel(f"127.0.0.1:{server.port}") as channel:
        yield control_pb2_grpc.ControlServiceStub(channel)


@pytest.fixture
def receivers() -> Iterator[Callable[..., Receiver]]:
    """Make started receivers; all are closed at the end."""
    made: list[Receiver] = []

    def make(*args: object, **kwargs: object) -> Receiver:
        receiver = Receiver(*args, **kwargs).start()
        made.append(receiver)
        return receiver

    yield make
    for receiver in made:
        receiver.close()


@pytest.fixture(scope="session")
def schemas() -> OfficialSchemas:
    missing = [str(path) for path in (XSD_5_1, XSD_5_3A) if not path.is_file()]
    if missing:
        pytest.skip(f"DCC's DUIS schemas are not in ../shared/duis-xsd: {', '.join(missing)}")
    return OfficialSchemas.load()
