"""SEC-04: message, fleet and DUIS sizes are bounded; each refusal is clear, quick, and changes
nothing."""

from __future__ import annotations

import socket
import time

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from dccsim.clients.client import Client, InvalidRequest
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.fleet import SUPPLIER_A
from dccsim.server.core.fleet_file import parse_fleet
from dccsim.server.duis.safe import MAX_MARKUP, load_document
from dccsim.server.http.options import HttpOptions
from dccsim.server.rpc.limits import Limits
from dccsim.v1 import control_pb2, supplier_pb2
from tests.conftest import ESME, example_dsp

pytestmark = pytest.mark.spec("SEC-04")

# The probe's 416-byte LoadFleet: a billion devices.
FLEET_BOMB = """
generate:
  - count: 1000000000
    type: ESME
    id_prefix: 00-DB-01
    supplier: 90-B3-D5-1F-30-01-00-00
    manufacturer: DCCSIM
    model: ESME-S2
    firmware: "0100"
"""


def test_the_fleet_bomb_is_refused_before_any_device_is_made(start):
    server = start(example_dsp, max_workers=8)
    before = server.host.fingerprint()
    with Client(f"127.0.0.1:{server.port}") as client:
        began = time.monotonic()
        with pytest.raises(InvalidRequest, match="1,000,000,000 devices") as raised:
            client.load_fleet(FLEET_BOMB)
        assert time.monotonic() - began < 2
    assert raised.value.field == "generate"
    assert server.host.fingerprint() == before


def test_a_fleet_bound_counts_listed_and_generated_devices_together():
    small = FLEET_BOMB.replace("1000000000", "3")
    assert len(parse_fleet(small, max_devices=3).devices) == 3
    listed = small + (
        "devices:\n  - {id: 00-DB-02-00-00-00-00-01, type: ESME, manufacturer: DCCSIM, "
        'model: ESME-S2, firmware: "0100"}\n'
    )
    with pytest.raises(InvalidField, match="4 devices"):
        parse_fleet(listed, max_devices=3)


def test_load_fleet_takes_the_servers_device_bound(start):
    server = start(example_dsp, max_workers=8, limits=Limits(max_fleet_devices=3))
    before = server.host.fingerprint()
    with Client(f"127.0.0.1:{server.port}") as client:
        with pytest.raises(InvalidRequest, match="4 devices") as raised:
            client.load_fleet(FLEET_BOMB.replace("1000000000", "4"))
        assert raised.value.field == "generate"
        assert server.host.fingerprint() == before
        assert client.load_fleet(FLEET_BOMB.replace("1000000000", "3")).devices == 3


def test_a_fleet_yaml_larger_than_its_bound_is_refused_unparsed(start):
    server = start(example_dsp, max_workers=8, limits=Limits(max_fleet_yaml_bytes=1000))
    with Client(f"127.0.0.1:{server.port}") as client:
        with pytest.raises(InvalidRequest, match="max_fleet_yaml_bytes"):
            client.load_fleet("users: []\n" + "#" * 2000)
        assert client.load_fleet("users: []\n").devices == 0


def test_a_batch_larger_than_its_bound_is_refused_whole(start):
    server = start(example_dsp, max_workers=8, limits=Limits(max_batch_requests=2))
    request = supplier_pb2.SubmitRequest(
        request_id=f"{SUPPLIER_A}:{ESME}:1",
        service_reference_variant="11.2",
        command_variant=1,
        read_firmware_version=supplier_pb2.ReadFirmwareVersion(),
    )
    with (
        Client(f"127.0.0.1:{server.port}") as client,
        pytest.raises(InvalidRequest, match="max_batch_requests"),
    ):
        client.submit_batch([request] * 3)
    assert server.host.dsp.counters == {}


def test_a_message_larger_than_its_bound_is_refused(start):
    server = start(example_dsp, max_workers=8, limits=Limits(max_message_bytes=4096))
    with grpc.insecure_channel(f"127.0.0.1:{server.port}") as channel:
        load = channel.unary_unary(
            "/dccsim.v1.ControlService/LoadFleet",
            request_serializer=control_pb2.LoadFleetRequest.SerializeToString,
            response_deserializer=control_pb2.LoadFleetResponse.FromString,
        )
        with pytest.raises(grpc.RpcError) as raised:
            load(control_pb2.LoadFleetRequest(fleet_yaml="#" * 8192), timeout=5)
    assert raised.value.code() is grpc.StatusCode.RESOURCE_EXHAUSTED


def test_duis_markup_beyond_the_bound_is_refused_before_a_tree_is_built():
    # 12 MB of empty elements would be millions of tree nodes: refused by counting, in
    # milliseconds, whatever its depth or content.
    document = b"<sr:Request xmlns:sr='x'>" + b"<a/>" * 3_000_000 + b"</sr:Request>"
    began = time.monotonic()
    with pytest.raises(InvalidField, match=f"at most {MAX_MARKUP:,}"):
        load_document(document)
    assert time.monotonic() - began < 0.5


def test_connections_beyond_the_bound_are_closed_at_once(start):
    limits = Limits(workers=8, max_streams=4, max_connections=3)
    server = start(example_dsp, limits=limits)
    channels = [
        # A channel of its own per client: gRPC would otherwise share one connection.
        grpc.insecure_channel(
            f"127.0.0.1:{server.port}", options=[("grpc.use_local_subchannel_pool", 1)]
        )
        for _ in range(4)
    ]
    try:
        codes = []
        for channel in channels:
            health = health_pb2_grpc.HealthStub(channel)
            try:
                health.Check(health_pb2.HealthCheckRequest(), timeout=2)
                codes.append(grpc.StatusCode.OK)
            except grpc.RpcError as error:
                codes.append(error.code())
        assert codes == [grpc.StatusCode.OK] * 3 + [grpc.StatusCode.UNAVAILABLE]
    finally:
        for channel in channels:
            channel.close()


def test_http_connections_beyond_the_bound_are_closed_at_once(start):
    http = HttpOptions(duis_port=0, smki_port=None, max_connections=2)
    server = start(example_dsp, max_workers=8, http=http)
    address = ("127.0.0.1", server.http_ports.duis)
    held = [socket.create_connection(address, timeout=5) for _ in range(2)]
    try:
        time.sleep(0.2)  # the two are accepted and held
        with socket.create_connection(address, timeout=5) as third:
            third.sendall(b"POST /api/v1/serviceS HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
            try:
                answer = third.recv(100)
            except ConnectionResetError:
                answer = b""
            assert answer == b""  # closed, unanswered
        held[0].sendall(b"POST /api/v1/serviceS HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        assert held[0].recv(100).startswith(b"HTTP/1.1 400")  # the held ones are served
    finally:
        for connection in held:
            connection.close()
