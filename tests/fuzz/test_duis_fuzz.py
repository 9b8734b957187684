"""Fuzzing the DUIS gateway (BAD-01, BAD-02): mutated DCC templates, XML-ish noise and random
bytes go straight to the DuisGateway servicer. Each is answered with a DUIS response or an
allowed gRPC error naming the field, and a rejected one leaves the DSP's fingerprint as it was.
Accepted ones leave a DSP whose every queued message can still be written out as DUIS XML."""

from __future__ import annotations

import functools

import pytest
from hypothesis import given
from lxml import etree

from dccsim.server.duis import DuisSchemas
from dccsim.server.duis.names import SR_NS
from dccsim.server.rpc.duis_service import DuisGatewayService
from dccsim.server.runtime.duis_gateway import DuisGateway
from dccsim.v1 import duis_pb2
from tests.duis.documents import XSD_5_1, XSD_5_3A
from tests.fuzz.duis_inputs import (
    NO_TEMPLATES,
    TEMPLATES,
    mutated_template,
    noise,
    signed_leg,
    synthetic_documents,
)
from tests.fuzz.harness import (
    Answer,
    FakeContext,
    fresh_host,
    fuzz_settings,
    render_everything,
    run_checked,
    seasoned_dsp,
)

_SR = {"sr": SR_NS}
needs_templates = pytest.mark.skipif(not TEMPLATES, reason=NO_TEMPLATES)


@functools.cache
def _documents() -> list[bytes]:
    return [*TEMPLATES.values(), signed_leg(seasoned_dsp()), *synthetic_documents()]


@functools.cache
def _schemas() -> DuisSchemas:
    return DuisSchemas([XSD_5_1, XSD_5_3A])


def read_duis_answer(answer: object) -> Answer:
    """The code, SRV and RequestID of a DUIS answer; asserts it is an sr:Response."""
    assert isinstance(answer, duis_pb2.DuisDocument)
    root = etree.fromstring(answer.xml)
    assert root.tag == f"{{{SR_NS}}}Response", answer.xml[:200]
    (code,) = root.xpath("sr:Header/sr:ResponseCode/text()", namespaces=_SR)
    (request_id,) = root.xpath("sr:Header/sr:RequestID/text()", namespaces=_SR)
    srv = root.xpath(
        "string(sr:Body/sr:ResponseMessage/sr:ServiceReferenceVariant)", namespaces=_SR
    )
    return Answer(str(code), str(srv), str(request_id))


def submit_document(target: str, document: bytes, *, strict: bool = False) -> None:
    """One document through a fresh gateway on a fresh seasoned DSP, with the property checked."""
    host, _ = fresh_host()
    gateway = DuisGatewayService(host, DuisGateway(host, schemas=_schemas() if strict else None))
    request = duis_pb2.DuisDocument(xml=document)
    answer = run_checked(
        target, host, lambda: gateway.Submit(request, FakeContext()), read_duis_answer
    )
    if isinstance(answer, duis_pb2.DuisDocument):
        render_everything(host.dsp)


@needs_templates
@pytest.mark.spec("BAD-01", "BAD-02")
@fuzz_settings(share=1.0)
@given(data=mutated_template(_documents() if TEMPLATES else [b"<x/>"]))
def test_mutated_templates(data: bytes) -> None:
    submit_document("duis: mutated templates", data)


@pytest.mark.spec("BAD-01", "BAD-02")
@fuzz_settings(share=0.5)
@given(data=noise)
def test_noise_and_random_bytes(data: bytes) -> None:
    submit_document("duis: noise and random bytes", data)


@needs_templates
@pytest.mark.skipif(
    not (XSD_5_1.is_file() and XSD_5_3A.is_file()),
    reason="DCC's DUIS schemas are not in ../shared/duis-xsd",
)
@pytest.mark.spec("BAD-01", "BAD-02", "VER-01")
@fuzz_settings(share=0.25)
@given(data=mutated_template(_documents() if TEMPLATES else [b"<x/>"]))
def test_mutated_templates_in_strict_mode(data: bytes) -> None:
    """With the official schemas supplied (--duis-xsd): the same property, and every document
    the gateway writes is schema-valid (an invalid one would be INTERNAL, which fails)."""
    submit_document("duis: mutated templates, strict mode", data, strict=True)
