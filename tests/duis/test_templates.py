"""DCC's public DUIS request templates run against the example fleet unchanged, and every document
dccsim answers with is valid against DCC's official schemas: DUIS 5.3a for users on 5.2 and later,
DUIS 5.1 for users on 5.1 (VER-01)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dccsim.server.core.dsp import Dsp
from dccsim.server.core.fleet import NETWORK_OPERATOR, OTHER_USER, SUPPLIER_A
from dccsim.server.core.messages import (
    DeviceAlertMessage,
    PreCommand,
    ServiceResponse,
)
from dccsim.server.core.records import DuisVersion, SmiStatus
from dccsim.server.duis.build import build_outbox_message, build_sync_answer
from dccsim.server.duis.parse import BODY_READERS, parse_request
from dccsim.server.duis.schemas import DuisSchemas
from tests.conftest import CHF, ESME, example_dsp
from tests.duis.documents import (
    REQUESTS_DIR,
    XSD_5_1,
    XSD_5_3A,
    OfficialSchemas,
    signed_pre_command_xml,
    template_document,
    text,
    texts,
)

AFTER_ALL_FUTURE_DATES = datetime(2030, 2, 1, tzinfo=UTC)

# What each template is answered, given the example fleet: the synchronous code, and for CV 4
# the code of the CV 5 leg that returns the PreCommand signed (REQ-05).
EXPECTED = {
    "11.1_UPDATE_FIRMWARE_REQUEST_DUIS.XML": ("W110101", None),  # 00000000 is not on the CPL
    "12.1_REQUEST_WAN_MATRIX_ADDRESS_REQUEST_DUIS.XML": ("I0", None),
    "8.2_READ_INVENTORY_REQUEST_DUIS.XML": ("I0", None),
    "8.4_UPDATE_INVENTORY_REQUEST_DUIS.XML": ("E080407", None),  # deletes a Commissioned ESME
    "CS01a_2.2_SUCCESS_REQUEST_DUIS.XML": ("I99", None),
    "CS01b_2.2_SUCCESS_REQUEST_DUIS.XML": ("I99", None),
    "CS02bSupplierByTransCoS_6.23_FUTURE_DATED_SUCCESS_REQUEST_DUIS.XML": ("I99", None),
    "CS02bSupplierByTransCoS_6.23_IMMEDIATE_SUCCESS_REQUEST_DUIS.XML": ("I99", None),
    "CS06_11.3_CANCELLATION_SUCCESS_REQUEST_DUIS.XML": ("I0", "I99"),
    "CS06_11.3_FUTURE_DATED_SUCCESS_REQUEST_DUIS.XML": ("I0", "I99"),
    "CS06_11.3_IMMEDIATE_SUCCESS_REQUEST_DUIS.XML": ("I0", "I99"),
    "CS08_11.2_SUCCESS_REQUEST_DUIS.XML": ("I99", None),
    "ECS52_11.2_SUCCESS_REQUEST_DUIS.XML": ("I99", None),
    "ECS70Commission_8.1.1_SUCCESS_REQUEST_DUIS.XML": ("I0", "I99"),
    "GCS38_11.2_SUCCESS_REQUEST_DUIS.XML": ("I99", None),
}


def _template_dsp() -> Dsp:
    # Templates reuse counters (1000, 1001, ...): a harness replaying them relaxes REQ-02.
    return example_dsp(strict_counters=False)


@pytest.mark.spec("REQ-01", "VER-01")
def test_every_template_parses_structurally_and_strictly(templates: list[Path]) -> None:
    if not (XSD_5_1.is_file() and XSD_5_3A.is_file()):
        pytest.skip("DCC's DUIS schemas are not in ../shared/duis-xsd")
    strict = DuisSchemas([XSD_5_1, XSD_5_3A])
    for path in templates:
        document = template_document(path)
        parsed = parse_request(document)
        assert parse_request(document, schema=strict) == parsed, path.name
        request = parsed.request
        assert text(document, "//sr:ServiceReferenceVariant") == request.srv, path.name
        assert str(request.request_id) == text(document, "//sr:RequestID"), path.name
        assert parsed.signed, path.name  # every template carries a (placeholder) ds:Signature
        assert parsed.schema_version is DuisVersion.V5_4, path.name
        assert parsed.body_element == BODY_READERS[request.srv][0], path.name


@pytest.mark.spec("VER-01", "REQ-03", "REQ-04", "REQ-05", "REQ-07")
def test_every_template_is_answered_with_documents_valid_for_5_3a_and_5_1(
    templates: list[Path], schemas: OfficialSchemas
) -> None:
    dsp = _template_dsp()
    for path in templates:
        document = template_document(path)
        parsed = parse_request(document)
        answer = dsp.submit(parsed.request)
        expected, signed_leg = EXPECTED.get(path.name, (None, None))
        if expected is None:  # a template added to ../shared since: it must at least be accepted
            assert answer.code.startswith(("I", "W")), f"{path.name}: {answer.code}"
        else:
            assert answer.code == expected, f"{path.name}: {answer.code} {answer.detail}"
        for version in (DuisVersion.V5_2, DuisVersion.V5_1):
            built = build_sync_answer(answer, version, at=dsp.now())
            schemas.assert_valid(built, version)
            assert text(built, "//sr:ResponseCode") == answer.code
            assert text(built, "//sr:RequestID") == str(parsed.request.request_id)
        if isinstance(answer.body, PreCommand):
            pre_command = build_sync_answer(answer, DuisVersion.V5_2, at=dsp.now())
            leg = signed_pre_command_xml(
                pre_command, str(parsed.request.request_id), parsed.request.srv
            )
            signed = dsp.submit(parse_request(leg).request)
            assert signed.code == signed_leg, f"{path.name} CV 5 leg: {signed.detail}"
            schemas.assert_valid(build_sync_answer(signed, DuisVersion.V5_2), DuisVersion.V5_2)
    dsp.advance(AFTER_ALL_FUTURE_DATES - dsp.now())

    messages = []
    for user in (SUPPLIER_A, NETWORK_OPERATOR, OTHER_USER):
        for entry in dsp.pending(user):
            messages.append(entry.message)
            for version in (DuisVersion.V5_2, DuisVersion.V5_1):
                schemas.assert_valid(build_outbox_message(entry.message, version), version)
    responses = sorted(m.srv for m in messages if isinstance(m, ServiceResponse))
    # 2.2 x2; 6.23 immediate and (at 2030-01-02) future-dated; 8.1.1; 11.2 to ESME, GSME, PPMID;
    # 11.3 cancellation, future-dated (accepted) and immediate.
    assert responses == sorted(
        ["2.2", "2.2", "6.23", "6.23", "8.1.1", "11.2", "11.2", "11.2", "11.3", "11.3", "11.3"]
    )
    alerts = [m for m in messages if isinstance(m, DeviceAlertMessage)]
    # The future-dated activation falls due in 2030: its hash matches no image the ESME holds.
    assert [(a.device_id, f"{a.alert_code:04X}") for a in alerts] == [(ESME, "8F67")]


@pytest.mark.spec("REQ-04")
def test_template_answers_carry_the_non_device_bodies(
    templates: list[Path], schemas: OfficialSchemas
) -> None:
    dsp = _template_dsp()
    answers = {}
    for path in templates:
        parsed = parse_request(template_document(path))
        answers[path.name] = build_sync_answer(
            dsp.submit(parsed.request), DuisVersion.V5_2, at=dsp.now()
        )
    inventory = answers["8.2_READ_INVENTORY_REQUEST_DUIS.XML"]
    assert texts(inventory, "//sr:DSPInventory/sr:Device/sr:DeviceID") == [CHF]
    assert text(inventory, "//sr:Device/sr:DeviceType") == "CHF"
    assert text(inventory, "//sr:Device/sr:CPLStatus") == "Active"
    warning = answers["11.1_UPDATE_FIRMWARE_REQUEST_DUIS.XML"]
    assert text(warning, "//sr:NotApplicableFirmwareDeviceIDList") == ESME
    wan = answers["12.1_REQUEST_WAN_MATRIX_ADDRESS_REQUEST_DUIS.XML"]
    assert text(wan, "//sr:DSPWANMatrix/sr:Request/sr:PartialAddress/sr:PostCode") == "M22 0RR"
    assert text(wan, "//sr:DSPWANMatrixResponse/sr:CSPRegion") == "Central"  # M: Manchester
    pre_command = answers["CS06_11.3_IMMEDIATE_SUCCESS_REQUEST_DUIS.XML"]
    assert text(pre_command, "//sr:PreCommand/sr:GBCSVersion") == "4.0"
    assert texts(pre_command, "//sr:PreCommand/sr:GBCSPayload")
    for document in answers.values():
        schemas.assert_valid(document, DuisVersion.V5_2)


@pytest.mark.spec("REQ-04")
def test_the_delete_template_is_accepted_for_a_pending_device(
    templates: list[Path], schemas: OfficialSchemas
) -> None:
    dsp = _template_dsp()
    dsp.add_device(replace(dsp.device_record(ESME), status=SmiStatus.PENDING))
    path = REQUESTS_DIR / "8.4_UPDATE_INVENTORY_REQUEST_DUIS.XML"
    if path not in templates:
        pytest.skip(f"{path.name} is not among the templates")
    answer = dsp.submit(parse_request(template_document(path)).request)
    assert answer.code == "I99"
    schemas.assert_valid(build_sync_answer(answer, DuisVersion.V5_2), DuisVersion.V5_2)
    assert ESME not in {record.device_id for record in dsp.state.smi}


@pytest.mark.spec("REQ-08")
def test_the_default_fleet_authorises_every_template(templates: list[Path]) -> None:
    dsp = example_dsp(strict_counters=False)
    refused = {}
    for path in templates:
        answer = dsp.submit(parse_request(template_document(path)).request)
        if answer.code in ("E1", "E2", "E3", "E4", "E19"):
            refused[path.name] = answer.code
    assert refused == {}
