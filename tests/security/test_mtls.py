"""SEC-01: over mutual TLS a client certificate binds the client to a User; a request, a
subscription or an acknowledgement for another User is refused with PERMISSION_DENIED, and
changes nothing."""

from __future__ import annotations

import grpc
import pytest

from dccsim.clients.client import Client
from dccsim.clients.connection import ClientSecurity
from dccsim.server.core.fleet import SUPPLIER_A, SUPPLIER_B
from dccsim.server.keys.test_pki import TestPki
from dccsim.server.keys.tls import TestTlsPki
from dccsim.server.rpc.security import SecurityOptions, TlsCredentials
from dccsim.v1 import duis_pb2, duis_pb2_grpc, supplier_pb2
from tests.conftest import ESME, GSME, example_dsp
from tests.duis.documents import request_xml
from tests.security.conftest import user_client

pytestmark = pytest.mark.spec("SEC-01")

READ = supplier_pb2.ReadFirmwareVersion()


def read_request(user: str, counter: int) -> supplier_pb2.SubmitRequest:
    """11.2 to the meter the user supplies: A the ESME, B the GSME."""
    device = GSME if user == SUPPLIER_B else ESME
    return supplier_pb2.SubmitRequest(
        request_id=f"{user}:{device}:{counter}",
        service_reference_variant="11.2",
        command_variant=1,
        read_firmware_version=READ,
    )


@pytest.fixture
def server(start, mutual_tls, tls_pki):
    return start(
        example_dsp,
        max_workers=16,
        security=SecurityOptions(
            tls=mutual_tls, operator_certificates=(tls_pki.operator().certificate_pem,)
        ),
    )


@pytest.fixture
def supplier_a(server, tls_pki):
    with user_client(tls_pki, server.port, SUPPLIER_A) as client:
        yield client


def denied(call, *args) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as raised:
        result = call(*args)
        if hasattr(result, "__iter__") and not isinstance(result, bytes):
            list(result)
    assert raised.value.code() is grpc.StatusCode.PERMISSION_DENIED, raised.value.details()
    return raised.value


def test_a_user_sends_as_itself_and_is_refused_as_another(server, supplier_a, tls_pki):
    assert supplier_a.submit(read_request(SUPPLIER_A, 1)).code == "I99"
    error = denied(supplier_a.supplier.Submit, read_request(SUPPLIER_B, 1))
    assert SUPPLIER_A in error.details() and SUPPLIER_B in error.details()
    # Nothing changed: B's counter 1 is still unused, so B itself may send it.
    assert server.host.dsp.counters.get((SUPPLIER_B, GSME)) is None
    with user_client(tls_pki, server.port, SUPPLIER_B) as supplier_b:
        assert supplier_b.submit(read_request(SUPPLIER_B, 1)).code == "I99"


def test_a_batch_with_one_request_for_another_user_runs_none(server, supplier_a):
    batch = supplier_pb2.SubmitBatchRequest(
        requests=[read_request(SUPPLIER_A, 1), read_request(SUPPLIER_B, 1)]
    )
    denied(supplier_a.supplier.SubmitBatch, batch)
    assert server.host.dsp.counters == {}


def test_a_stream_ends_at_the_first_request_for_another_user(server, supplier_a):
    requests = [
        read_request(SUPPLIER_A, 1),
        read_request(SUPPLIER_B, 2),
        read_request(SUPPLIER_A, 3),
    ]
    call = supplier_a.supplier.SubmitStream(iter(requests))
    results = []
    with pytest.raises(grpc.RpcError) as raised:
        for result in call:
            results.append(result)
    assert raised.value.code() is grpc.StatusCode.PERMISSION_DENIED
    assert [r.response.response_code for r in results] == ["I99"]
    assert dict(server.host.dsp.counters) == {(SUPPLIER_A, ESME): 1}


def test_another_users_deliveries_can_be_neither_read_nor_acknowledged(server, tls_pki):
    with user_client(tls_pki, server.port, SUPPLIER_B) as supplier_b:
        assert supplier_b.submit(read_request(SUPPLIER_B, 1)).code == "I99"
    queued = len(server.host.dsp.pending(SUPPLIER_B))
    assert queued >= 1
    with user_client(tls_pki, server.port, SUPPLIER_A) as supplier_a:
        subscribe = supplier_pb2.SubscribeRequest(user_id=SUPPLIER_B)
        denied(supplier_a.supplier.Subscribe, subscribe)
        batches = supplier_pb2.SubscribeBatchesRequest(user_id=SUPPLIER_B)
        denied(supplier_a.supplier.SubscribeBatches, batches)
        ack = supplier_pb2.AcknowledgeRequest(user_id=SUPPLIER_B, up_to_sequence=queued)
        denied(supplier_a.supplier.Acknowledge, ack)
        duis = duis_pb2_grpc.DuisGatewayStub(supplier_a.channel)
        denied(duis.Subscribe, subscribe)
        denied(duis.Acknowledge, ack)
        # Its own outbox it may read.
        assert list(supplier_a.deliveries(SUPPLIER_A, timeout=0.5)) == []
    assert len(server.host.dsp.pending(SUPPLIER_B)) == queued


def test_a_duis_document_from_another_user_is_refused(server, supplier_a):
    duis = duis_pb2_grpc.DuisGatewayStub(supplier_a.channel)
    document = request_xml(
        "11.2", "<sr:ReadFirmwareVersion/>", request_id=f"{SUPPLIER_B}:{ESME}:1", cv=1
    )
    error = denied(duis.Submit, duis_pb2.DuisDocument(xml=document))
    assert "originator" in error.details()
    assert server.host.dsp.counters == {}
    own = request_xml(
        "11.2", "<sr:ReadFirmwareVersion/>", request_id=f"{SUPPLIER_A}:{ESME}:1", cv=1
    )
    assert b"I99" in duis.Submit(duis_pb2.DuisDocument(xml=own)).xml


def test_the_operator_certificate_may_act_for_any_user(server, tls_pki):
    with user_client(tls_pki, server.port, None) as operator:
        assert operator.submit(read_request(SUPPLIER_B, 1)).code == "I99"
        assert operator.acknowledge(SUPPLIER_B, 0) == 0


def test_a_client_without_a_certificate_or_with_a_foreign_one_cannot_connect(server, tls_pki):
    no_certificate = ClientSecurity(ca=tls_pki.ca_pem)
    foreign = TestTlsPki(TestPki(b"another simulator's secret"))
    pair = foreign.user(SUPPLIER_A)
    impostor = ClientSecurity(
        ca=tls_pki.ca_pem, certificate=pair.certificate_pem, private_key=pair.private_key_pem
    )
    plaintext = None
    for security in (no_certificate, impostor, plaintext):
        with Client(f"127.0.0.1:{server.port}", security=security) as client:
            with pytest.raises(grpc.RpcError) as raised:
                client.supplier.Submit(read_request(SUPPLIER_A, 1), timeout=5)
            assert raised.value.code() is grpc.StatusCode.UNAVAILABLE
    assert server.host.dsp.counters == {}


def test_tls_without_client_certificates_serves_anyone(start, tls_pki):
    pair = tls_pki.server()
    server = start(
        example_dsp,
        max_workers=8,
        security=SecurityOptions(tls=TlsCredentials(pair.certificate_pem, pair.private_key_pem)),
    )
    with Client(f"127.0.0.1:{server.port}", security=ClientSecurity(ca=tls_pki.ca_pem)) as client:
        assert client.submit(read_request(SUPPLIER_B, 1)).code == "I99"


def test_every_user_facing_method_says_which_user_it_acts_for():
    """A method added without a binding would fail closed (operators only); this keeps the
    tables complete, so Users are not locked out of a new method by accident."""
    from dccsim.server.rpc import security
    from dccsim.v1 import duis_pb2 as duis
    from dccsim.v1 import supplier_pb2 as supplier

    methods = {
        f"/{service.full_name}/{method.name}"
        for module, name in ((supplier, "SupplierService"), (duis, "DuisGateway"))
        for service in [module.DESCRIPTOR.services_by_name[name]]
        for method in service.methods
    }
    assert methods == set(security._ACTS_FOR) | set(security._STREAM_ACTS_FOR)
