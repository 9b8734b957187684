"""The DUIS documents dccsim sends: each shaped as DCC's are and valid against the official schema
of the recipient's interface version; device payloads in MMC form inside GBCSPayload."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from lxml import etree

from dccsim.devices.codes import AlertCode, MessageCode
from dccsim.devices.kinds import DeviceType
from dccsim.server.core.codes import DccAlertCode, ResponseCode
from dccsim.server.core.faults import FaultAction, FaultRule, FaultStage
from dccsim.server.core.matrix import SERVICE_MATRIX
from dccsim.server.core.messages import (
    DccAlertMessage,
    DeviceAlertMessage,
    DeviceStatusChange,
    FirmwareVersionMismatch,
    SyncAnswer,
)
from dccsim.server.core.records import DuisVersion
from dccsim.server.core.requests import RequestId, TopUpDevice
from dccsim.server.duis.build import build_outbox_message, build_sync_answer, read_gbcs_payload
from tests.conftest import (
    CHF,
    ESME,
    GPF,
    GSME,
    HCALCS,
    NEW_IMAGE_HASH,
    SUPPLIER_A,
    Sim,
)
from tests.duis.documents import (
    ALL_VERSIONS,
    COS_BODY,
    NS,
    RESPONSES_DIR,
    OfficialSchemas,
    count,
    mmc,
    outbox_documents,
    request_xml,
    served,
    signed_pre_command_xml,
    text,
    texts,
    tree,
)

V5_1, V5_2 = DuisVersion.V5_1, DuisVersion.V5_2
T0 = datetime(2026, 1, 1, tzinfo=UTC)
UNKNOWN_DEVICE = "00-DB-12-34-56-78-90-FF"


def _shape(element: etree._Element) -> list[str]:
    """An element's structure: the path of every element but the signature's, without values."""
    root = element.getroottree()
    paths = (root.getpath(e) for e in element.iter() if isinstance(e.tag, str))
    return [path for path in paths if "Signature" not in path]


def _sample(name: str) -> etree._Element:
    path = RESPONSES_DIR / name
    if not path.is_file():
        pytest.skip(f"DCC Boxed's response samples are not in {RESPONSES_DIR}")
    return etree.parse(str(path)).getroot()


# -- synchronous answers -------------------------------------------------------------------------


@pytest.mark.spec("REQ-03", "BAD-01")
def test_an_error_answer_is_shaped_like_dccs_acknowledgement(schemas: OfficialSchemas) -> None:
    sample = _sample("acknowledgement-error.xml")
    answer = SyncAnswer(RequestId(SUPPLIER_A, ESME, 1), "11.2", ResponseCode.E5, detail="why")
    document = build_sync_answer(answer, V5_1, at=T0)
    assert _shape(tree(document)) == _shape(sample)
    schemas.assert_valid(document, V5_1)
    assert text(document, "//sr:ResponseDateTime") == "2026-01-01T00:00:00.000Z"
    assert text(document, "//sr:ResponseCode") == "E5"
    assert texts(document, "//sr:ResponseMessage/*") == ["11.2", "11.2"]


@pytest.mark.spec("REQ-06", "VER-01")
@pytest.mark.parametrize("version", [V5_1, V5_2], ids=["v5.1", "v5.2"])
def test_an_answer_for_every_srv_in_the_matrix_is_schema_valid(
    schemas: OfficialSchemas, version: DuisVersion
) -> None:
    for srv in SERVICE_MATRIX:
        answer = SyncAnswer(RequestId(SUPPLIER_A, ESME, 1), srv, ResponseCode.E12)
        document = build_sync_answer(answer, version, at=T0)
        schemas.assert_valid(document, version)
        reference = text(document, "//sr:ServiceReference")
        assert srv == reference or srv.startswith(f"{reference}."), srv


@pytest.mark.spec("REQ-04", "CPL-01")
@pytest.mark.parametrize("version", ALL_VERSIONS, ids=lambda v: f"v{v.value}")
def test_read_inventory_reports_status_firmware_and_cpl_status(
    sim: Sim, schemas: OfficialSchemas, version: DuisVersion
) -> None:
    sim.remove_from_cpl(DeviceType.CHF)  # the CHF is suspended; its firmware Withdrawn
    body = "<sr:ReadInventory><sr:UPRN>100000000001</sr:UPRN></sr:ReadInventory>"
    document = request_xml("8.2", body, request_id=f"{SUPPLIER_A}:{sim.acb}:1", cv=8)
    _, answer, _ = served(sim.dsp, document)
    built = build_sync_answer(answer, version, at=sim.dsp.now())
    schemas.assert_valid(built, version)
    devices = {
        text(device, "sr:DeviceID"): device
        for device in tree(built).xpath("//sr:DSPInventory/sr:Device", namespaces=NS)
    }
    assert sorted(devices) == sorted([ESME, GSME, CHF, GPF, HCALCS, "00-DB-12-34-56-78-90-A4"])
    chf, esme = devices[CHF], devices[ESME]
    assert (text(chf, "sr:DeviceStatus"), text(chf, "sr:CPLStatus")) == ("Suspended", "Withdrawn")
    assert text(chf, "sr:DeviceFirmwareVersionStatus") == "Withdrawn"
    assert (text(esme, "sr:DeviceStatus"), text(esme, "sr:CPLStatus")) == ("Commissioned", "Active")
    assert text(esme, "sr:DeviceFirmwareVersion") == "0100"
    assert text(esme, "sr:ESMEVariant") == "A"
    assert text(esme, "sr:ImportMPxN") == "1100000000001"
    assert text(esme, "sr:SMETSCHTSVersion") == "SMETS2"


def test_read_inventory_is_shaped_like_dccs(sim: Sim, schemas: OfficialSchemas) -> None:
    sample = _sample("read-inventory-response-5.4.xml")
    body = f"<sr:ReadInventory><sr:DeviceID>{CHF}</sr:DeviceID></sr:ReadInventory>"
    document = request_xml("8.2", body, request_id=f"{SUPPLIER_A}:{sim.acb}:1", cv=8)
    _, answer, _ = served(sim.dsp, document, DuisVersion.V5_4)
    built = tree(build_sync_answer(answer, DuisVersion.V5_4, at=sim.dsp.now()))
    assert built.get("schemaVersion") == sample.get("schemaVersion") == "5.4"
    schemas.assert_valid(etree.tostring(built), DuisVersion.V5_4)
    ours = {etree.QName(e).localname for e in built.iter()}
    theirs = {etree.QName(e).localname for e in sample.iter() if isinstance(e.tag, str)}
    # dccsim writes what DCC writes, less what it does not simulate (PropertyFilter, CSPRegion,
    # DeviceGBCSVersion, HANVariant, ...), plus the CHF's ImportMPxN that DCC's sample lacks.
    assert ours - theirs == {"ImportMPxN"}


@pytest.mark.spec("DEV-02", "REQ-04")
def test_update_firmware_warnings_list_each_refused_device(
    sim: Sim, schemas: OfficialSchemas
) -> None:
    sim.remove_from_cpl(DeviceType.GSME, "0200")  # 0200 not applicable to the GSME
    body = (
        "<sr:UpdateFirmware><sr:FirmwareImage>aW1hZ2U=</sr:FirmwareImage>"
        "<sr:FirmwareVersion>0200</sr:FirmwareVersion>"
        f"<sr:DeviceIDList>{ESME},{UNKNOWN_DEVICE},{GSME}</sr:DeviceIDList></sr:UpdateFirmware>"
    )
    document = request_xml("11.1", body, request_id=f"{SUPPLIER_A}:{sim.acb}:1", cv=8)
    _, answer, built = served(sim.dsp, document)
    assert answer.code == "W110101"
    schemas.assert_valid(built, V5_2)
    warning = "//sr:DSPUpdateFirmwareWarning"
    assert text(built, f"{warning}/sr:InvalidDeviceIDList") == UNKNOWN_DEVICE
    assert text(built, f"{warning}/sr:NotApplicableFirmwareDeviceIDList") == GSME
    assert count(built, f"{warning}/*") == 2


@pytest.mark.spec("AUTH-09")
def test_local_delivery_answers_with_a_local_command(sim: Sim, schemas: OfficialSchemas) -> None:
    body = "<sr:TopUpDevice><sr:UTRN>12345678901234567890</sr:UTRN></sr:TopUpDevice>"
    document = request_xml("2.2", body, request_id=f"{SUPPLIER_A}:{ESME}:1", cv=2)
    _, answer, built = served(sim.dsp, document)
    assert answer.code == "I0"
    for version in (V5_1, V5_2):
        schemas.assert_valid(build_sync_answer(answer, version), version)
    assert texts(built, "//sr:LocalCommand/sr:GBCSPayload")


# -- device responses ----------------------------------------------------------------------------


def _ecs52_sample_shape() -> list[str]:
    return _shape(_sample("ECS52_11.2_SUCCESS_RESPONSE_DUIS.XML"))


@pytest.mark.spec("REQ-03", "FW-10")
def test_a_read_firmware_response_is_shaped_like_dccs(sim: Sim, schemas: OfficialSchemas) -> None:
    document = request_xml(
        "11.2", "<sr:ReadFirmwareVersion/>", request_id=f"{SUPPLIER_A}:{ESME}:9", cv=1
    )
    served(sim.dsp, document)
    [response] = outbox_documents(sim.dsp, SUPPLIER_A, V5_1)
    schemas.assert_valid(response, V5_1)
    assert _shape(tree(response)) == _ecs52_sample_shape()
    assert text(response, "//sr:RequestID") == f"{SUPPLIER_A}:{ESME}:9"
    assert text(response, "//sr:ResponseID") == f"{ESME}:{SUPPLIER_A}:9"
    inner = mmc(response)
    assert text(inner, "ra:Header/ra:BusinessOriginatorID") == ESME
    assert text(inner, "ra:Header/ra:BusinessTargetID") == SUPPLIER_A
    assert text(inner, "ra:Header/ra:OriginatorCounter") == "9"
    assert text(inner, "//ra:SMETSData/ra:ReadFirmwareVersionRsp/ra:FirmwareVersion") == "0100"


@pytest.mark.spec("DEV-06", "FW-10")
def test_a_gpf_read_carries_its_own_version(sim: Sim, schemas: OfficialSchemas) -> None:
    sim.dsp.device(GPF).firmware.running_version = "0300"
    document = request_xml(
        "11.2", "<sr:ReadFirmwareVersion/>", request_id=f"{SUPPLIER_A}:{GPF}:1", cv=1
    )
    served(sim.dsp, document)
    responses = [
        d for d in outbox_documents(sim.dsp, SUPPLIER_A, V5_2) if count(d, "//sr:ResponseID")
    ]
    [response] = responses
    schemas.assert_valid(response, V5_2)
    assert text(mmc(response), "//ra:ReadFirmwareVersionRsp/ra:FirmwareVersion") == "0300"


@pytest.mark.spec("FW-01", "DEV-02", "REQ-05")
def test_activation_responses_carry_the_asn1_response_code_and_version(
    sim: Sim, schemas: OfficialSchemas
) -> None:
    assert sim.distribute(ESME).code is ResponseCode.I99
    assert sim.activate(ESME).code is ResponseCode.I99
    assert sim.activate(ESME, NEW_IMAGE_HASH).code is ResponseCode.I99  # the retry
    documents = outbox_documents(sim.dsp, SUPPLIER_A, V5_2)[1:]  # after the 0x8F72 receipt
    codes = []
    for document in documents:
        schemas.assert_valid(document, V5_2)
        status = mmc(document).xpath(
            "//ra:ActivateFirmwareRsp/ra:ActivateImageResponseCode", namespaces=NS
        )
        assert len(status) == 1
        codes.append((status[0].get("ResponseCode"), text(status[0], "ra:ASN1Status")))
        assert text(mmc(document), "//ra:ActivateFirmwareRsp/ra:FirmwareVersion") == "0200"
    assert codes == [("0", "success"), ("1", "noImageHeld")]


@pytest.mark.spec("REQ-03")
@pytest.mark.parametrize(
    ("srv", "body", "cv", "element"),
    [
        (
            "2.2",
            "<sr:TopUpDevice><sr:UTRN>12345678901234567890</sr:UTRN></sr:TopUpDevice>",
            1,
            "TopUpDeviceRsp",
        ),
        ("6.23", COS_BODY, 1, "UpdateSecurityCredentialsCoSRsp"),
    ],
)
def test_responses_without_data_carry_their_mmc_element(
    sim: Sim, schemas: OfficialSchemas, srv: str, body: str, cv: int, element: str
) -> None:
    served(sim.dsp, request_xml(srv, body, request_id=f"{SUPPLIER_A}:{ESME}:1", cv=cv))
    [response] = outbox_documents(sim.dsp, SUPPLIER_A, V5_2)
    for version in (V5_1, V5_2):
        schemas.assert_valid(outbox_documents(sim.dsp, SUPPLIER_A, version)[0], version)
    assert count(mmc(response), f"//ra:SMETSData/ra:{element}") == 1
    assert text(mmc(response), "ra:Header/ra:ServiceReferenceVariant") == srv


# -- device alerts -------------------------------------------------------------------------------


@pytest.mark.spec("DEV-02", "DEV-05")
@pytest.mark.parametrize(
    ("device", "message_code"), [(ESME, "00CE"), (GSME, "00CF"), (HCALCS, "012C")]
)
def test_distribution_receipts_are_device_alert_messages(
    sim: Sim, schemas: OfficialSchemas, device: str, message_code: str
) -> None:
    sim.dsp.faults.add(
        FaultRule(
            FaultAction.FAIL_VERIFICATION, stage=FaultStage.DEVICE_ALERT, srv="11.1", first_n=1
        )
    )
    assert sim.distribute(device).code is ResponseCode.I99  # fails verification: 0x8F1C
    assert sim.distribute(device).code is ResponseCode.I99  # verifies: 0x8F72
    documents = outbox_documents(sim.dsp, SUPPLIER_A, V5_2)
    assert [text(d, "//sr:DeviceAlertMessage/sr:AlertCode") for d in documents] == ["8F1C", "8F72"]
    for document, description in zip(
        documents, ["Firmware Verification Failed", "Firmware Verification Successful"], strict=True
    ):
        schemas.assert_valid(document, V5_2)
        inner = mmc(document)
        assert text(inner, "ra:Header/ra:GBCSHexadecimalMessageCode") == message_code
        assert text(inner, "ra:Header/ra:BusinessOriginatorID") == device
        assert text(inner, "//ra:DeviceAlertContent/ra:AlertDescription") == description
        assert count(inner, "//ra:Payload/ra:FirmwareVerificationDeviceAlert") == 1
    for document in outbox_documents(sim.dsp, SUPPLIER_A, V5_1):
        schemas.assert_valid(document, V5_1)


@pytest.mark.spec("FW-08")
def test_a_future_dated_not_actioned_alert_is_a_future_dated_device_alert(
    schemas: OfficialSchemas,
) -> None:
    alert = DeviceAlertMessage(
        GSME,
        MessageCode.FUTURE_DATED_FIRMWARE_ACTIVATION,
        AlertCode.FUTURE_DATED_COMMAND_NOT_ACTIONED,
        T0,
        request_id=RequestId(SUPPLIER_A, GSME, 77),
    )
    for version in (V5_1, V5_2):
        document = build_outbox_message(alert, version)
        schemas.assert_valid(document, version)
        assert text(document, "//sr:FutureDatedAlertCode") == "8F67"
        assert text(document, "//sr:ResponseID") == f"{GSME}:{SUPPLIER_A}:77"
        inner = mmc(document)
        assert count(inner, "//ra:FirmwareActivationDeviceAlert/ra:FirmwareVersion") == 0
        assert text(inner, "//ra:GBCSHexAlertCode") == "8F67"


def test_an_alert_naming_no_request_goes_to_the_recipient(schemas: OfficialSchemas) -> None:
    alert = DeviceAlertMessage(
        ESME,
        MessageCode.FIRMWARE_DISTRIBUTION_RECEIPT_DLMS,
        AlertCode.FIRMWARE_VERIFICATION_SUCCESSFUL,
        T0,
    )
    document = build_outbox_message(alert, V5_2, recipient=SUPPLIER_A)
    schemas.assert_valid(document, V5_2)
    assert count(document, "//sr:RequestID | //sr:ResponseID") == 0
    assert text(mmc(document), "ra:Header/ra:BusinessTargetID") == SUPPLIER_A


# -- DCC alerts ----------------------------------------------------------------------------------


@pytest.mark.spec("ALERT-01", "FW-03", "FW-04", "FW-07")
@pytest.mark.parametrize("code", ["N50", "N51", "N52"])
@pytest.mark.parametrize("version", ALL_VERSIONS, ids=lambda v: f"v{v.value}")
def test_firmware_version_mismatch_alerts(
    schemas: OfficialSchemas, code: str, version: DuisVersion
) -> None:
    alert = DccAlertMessage(
        DccAlertCode(code), GSME, T0, FirmwareVersionMismatch(DeviceType.GSME, "0100", "0300")
    )
    document = build_outbox_message(alert, version)
    schemas.assert_valid(document, version)
    mismatch = "//sr:DCCAlertMessage/sr:DCCAlert/sr:FirmwareVersionMismatch"
    assert text(document, "//sr:DCCAlertCode") == code
    assert texts(document, f"{mismatch}/*") == [GSME, "GSME", "0100", "0300"]
    assert count(document, "//sr:RequestID | //sr:ResponseID") == 0


@pytest.mark.spec("ALERT-01", "CPL-01", "FW-02")
@pytest.mark.parametrize(
    ("restored", "code", "element"),
    [(False, "N28", "DeviceSuspended"), (True, "N29", "DeviceRestored")],
)
def test_device_status_change_alerts(
    schemas: OfficialSchemas, restored: bool, code: str, element: str
) -> None:
    alert = DccAlertMessage(DccAlertCode(code), ESME, T0, DeviceStatusChange(restored))
    for version in (V5_1, V5_2):
        document = build_outbox_message(alert, version)
        schemas.assert_valid(document, version)
        assert (
            count(document, f"//sr:DeviceStatusChangeEvent/sr:DeviceStatusChange/sr:{element}") == 1
        )
        assert text(document, "//sr:DeviceStatusChangeEvent/sr:DeviceID") == ESME


# -- the API -------------------------------------------------------------------------------------


def test_unknown_messages_and_versions_are_refused() -> None:
    answer = SyncAnswer(RequestId(SUPPLIER_A, ESME, 1), "11.2", ResponseCode.I99)
    with pytest.raises(ValueError, match="not a DUIS interface version"):
        build_sync_answer(answer, "6.0")
    with pytest.raises(TypeError, match="no DUIS form for TopUpDevice"):
        build_outbox_message(TopUpDevice("1" * 20), V5_2)  # type: ignore[arg-type]


def test_read_gbcs_payload_refuses_what_is_not_an_mmc_document() -> None:
    with pytest.raises(ValueError):
        read_gbcs_payload("RENDU0lNLUdCQ1M=")  # "DCCSIM-GBCS": an opaque PreCommand payload


@pytest.mark.spec("REQ-05", "REQ-03")
def test_commission_device_over_the_two_legs(sim: Sim, schemas: OfficialSchemas) -> None:
    body = (
        "<sr:CommissionDeviceSynchroniseClock><sr:CurrentDateTime>2026-01-01T00:00:00Z"
        "</sr:CurrentDateTime><sr:TolerancePeriod>60</sr:TolerancePeriod>"
        "</sr:CommissionDeviceSynchroniseClock>"
    )
    rid = f"{SUPPLIER_A}:{ESME}:1"
    _, answer, pre_command = served(sim.dsp, request_xml("8.1.1", body, request_id=rid, cv=4))
    assert answer.code == "I0"
    # The synchronous answer carries the RequestID and no ResponseID; its time is `at`.
    later = build_sync_answer(answer, V5_2, at=T0 + timedelta(seconds=1.5))
    assert text(later, "//sr:ResponseDateTime") == "2026-01-01T00:00:01.500Z"
    assert count(later, "//sr:ResponseID") == 0
    assert text(later, "//sr:ServiceReference") == "8.1"
    _, answer, _ = served(sim.dsp, signed_pre_command_xml(pre_command, rid, "8.1.1"))
    assert answer.code == "I99"
    [response] = outbox_documents(sim.dsp, SUPPLIER_A, V5_2)
    schemas.assert_valid(response, V5_2)
    rsp = "//ra:SMETSData/ra:CommissionDeviceSynchroniseClockRsp"
    assert text(mmc(response), f"{rsp}/ra:DeviceTime") == "2026-01-01T00:00:00.000Z"
