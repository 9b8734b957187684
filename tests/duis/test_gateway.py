"""The DuisGateway gRPC service: real DUIS documents in and out over a real channel."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from lxml import etree

from dccsim.server.core.dsp import Dsp
from dccsim.server.core.records import DuisVersion
from dccsim.server.duis import DuisSchemas
from dccsim.server.rpc.app import RunningServer, start_server
from dccsim.v1 import duis_pb2, duis_pb2_grpc, supplier_pb2
from tests.conftest import SUPPLIER_A, example_dsp
from tests.duis.documents import XSD_5_1, XSD_5_3A, OfficialSchemas, template_document

SR = "{http://www.dccinterface.co.uk/ServiceUserGateway}"


def _dsp() -> Dsp:
    return example_dsp(strict_counters=False)  # the templates reuse counters


@pytest.fixture
def strict_server(schemas: OfficialSchemas) -> Iterator[RunningServer]:
    running = start_server(_dsp, max_workers=8, duis_schemas=DuisSchemas([XSD_5_1, XSD_5_3A]))
    yield running
    running.stop(grace=None)


@pytest.fixture
def gateway(strict_server: RunningServer) -> Iterator[duis_pb2_grpc.DuisGatewayStub]:
    with grpc.insecure_channel(f"127.0.0.1:{strict_server.port}") as channel:
        yield duis_pb2_grpc.DuisGatewayStub(channel)


def _code(document: bytes) -> str:
    return etree.fromstring(document).findtext(f"{SR}Header/{SR}ResponseCode")


@pytest.mark.spec("VER-01", "REQ-03", "REQ-04")
def test_every_template_is_answered_schema_valid_in_strict_mode(
    gateway, templates: list[Path], schemas: OfficialSchemas
) -> None:
    codes = {}
    for path in templates:
        answer = gateway.Submit(duis_pb2.DuisDocument(xml=template_document(path))).xml
        schemas.assert_valid(answer, DuisVersion.V5_2)
        codes[path.name] = _code(answer)
    assert not {name: code for name, code in codes.items() if code in ("E1", "E2", "E3", "E4")}
    assert codes["ECS52_11.2_SUCCESS_REQUEST_DUIS.XML"] == "I99"
    assert codes["CS06_11.3_IMMEDIATE_SUCCESS_REQUEST_DUIS.XML"] == "I0"  # CV 4: a PreCommand
    deliveries = []
    for delivery in gateway.Subscribe(supplier_pb2.SubscribeRequest(user_id=SUPPLIER_A), timeout=2):
        schemas.assert_valid(delivery.xml, DuisVersion.V5_2)
        deliveries.append(delivery.sequence)
        if len(deliveries) >= 3:
            break
    assert deliveries == [1, 2, 3]
    removed = gateway.Acknowledge(
        supplier_pb2.AcknowledgeRequest(user_id=SUPPLIER_A, up_to_sequence=3)
    )
    assert removed.removed == 3


@pytest.mark.spec("BAD-01", "BAD-02")
@pytest.mark.parametrize(
    "xml",
    [
        b"this is not XML",
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
        b"<lolz>&lol2;</lolz>",
        b'<Request xmlns="urn:wrong"/>',
        b"<a>" * 200 + b"</a>" * 200,
    ],
)
def test_bad_documents_are_invalid_argument_and_the_gateway_keeps_serving(
    gateway, templates: list[Path], xml: bytes
) -> None:
    with pytest.raises(grpc.RpcError) as caught:
        gateway.Submit(duis_pb2.DuisDocument(xml=xml))
    assert caught.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    good = next(p for p in templates if p.name.startswith("ECS52"))
    assert _code(gateway.Submit(duis_pb2.DuisDocument(xml=good.read_bytes())).xml) == "I99"


def test_unknown_user_stream_is_not_found(gateway) -> None:
    with pytest.raises(grpc.RpcError) as caught:
        next(
            iter(
                gateway.Subscribe(
                    supplier_pb2.SubscribeRequest(user_id="90-B3-D5-1F-30-09-09-09"), timeout=2
                )
            )
        )
    assert caught.value.code() is grpc.StatusCode.NOT_FOUND
