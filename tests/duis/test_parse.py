"""Reading DUIS requests: each served body becomes exactly the core request it says, in every
accepted schemaVersion, with or without a signature; strict mode uses the user's own schemas."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dccsim.server.core.errors import InvalidField
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.records import DuisVersion, SmetsVersion, SmiStatus
from dccsim.server.core.requests import (
    CANCELLATION_DATETIME,
    ActivateFirmware,
    CommissionDevice,
    DeleteDevice,
    DeviceDetailsChange,
    MpxnChange,
    ReadFirmwareVersion,
    ReadInventory,
    RequestBody,
    RequestWanMatrix,
    SignedPreCommand,
    StatusChange,
    TopUpDevice,
    UpdateFirmware,
    UpdateInventory,
    UpdateSecurityCredentialsCoS,
)
from dccsim.server.duis.parse import parse_request
from dccsim.server.duis.schemas import DuisSchemas
from tests.conftest import CHF, ESME, GSME, SUPPLIER_A, Sim
from tests.duis.documents import COS_BODY, XSD_5_1, XSD_5_3A, XSD_DIR, request_xml, served

ACB = "90-B3-D5-1F-30-00-00-02"
HASH = bytes(range(32))
WHEN = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)


def _inventory(change: str, device: str = ESME) -> str:
    return f"<sr:UpdateInventory><sr:DeviceID>{device}</sr:DeviceID>{change}</sr:UpdateInventory>"


# srv, command variant, target, body XML, the core body, its ExecutionDateTime
BODIES: list[tuple[str, int, str, str, RequestBody, datetime | None]] = [
    (
        "2.2",
        1,
        ESME,
        "<sr:TopUpDevice><sr:UTRN>12345678901234567890</sr:UTRN></sr:TopUpDevice>",
        TopUpDevice("12345678901234567890"),
        None,
    ),
    (
        "6.23",
        1,
        ESME,
        COS_BODY.replace(
            "<sr:SupplierFloorSeqNumber>",
            "<sr:ExecutionDateTime>2030-01-02T03:04:05Z</sr:ExecutionDateTime>"
            "<sr:SupplierFloorSeqNumber>",
        ),
        UpdateSecurityCredentialsCoS("1100000000001"),
        WHEN,
    ),
    (
        "8.1.1",
        4,
        ESME,
        "<sr:CommissionDeviceSynchroniseClock><sr:CurrentDateTime>2014-12-31T23:59:10.00Z"
        "</sr:CurrentDateTime><sr:TolerancePeriod>60</sr:TolerancePeriod>"
        "</sr:CommissionDeviceSynchroniseClock>",
        CommissionDevice(),
        None,
    ),
    (
        "8.2",
        8,
        ACB,
        f"<sr:ReadInventory><sr:DeviceID>{CHF.lower()}</sr:DeviceID></sr:ReadInventory>",
        ReadInventory(device_id=CHF),
        None,
    ),
    (
        "8.2",
        8,
        ACB,
        "<sr:ReadInventory><sr:MPxN>1100000000001</sr:MPxN></sr:ReadInventory>",
        ReadInventory(mpxn="1100000000001"),
        None,
    ),
    (
        "8.2",
        8,
        ACB,
        "<sr:ReadInventory><sr:UPRN>100000000001</sr:UPRN></sr:ReadInventory>",
        ReadInventory(uprn=100000000001),
        None,
    ),
    (
        "8.4",
        8,
        ACB,
        _inventory("<sr:UpdateDeviceStatusExceptCH>Pending</sr:UpdateDeviceStatusExceptCH>"),
        UpdateInventory(ESME, StatusChange(SmiStatus.PENDING)),
        None,
    ),
    (
        "8.4",
        8,
        ACB,
        _inventory("<sr:UpdateDeviceStatusCH>Withdrawn</sr:UpdateDeviceStatusCH>", CHF),
        UpdateInventory(CHF, StatusChange(SmiStatus.WITHDRAWN)),
        None,
    ),
    (
        "8.4",
        8,
        ACB,
        _inventory(
            "<sr:UpdateDeviceDetails><sr:DeviceManufacturer>ACME</sr:DeviceManufacturer>"
            "<sr:DeviceModel>M1</sr:DeviceModel><sr:SMETSCHTSVersion>SMETS1 v1.2"
            "</sr:SMETSCHTSVersion><sr:FirmwareVersion>0300</sr:FirmwareVersion>"
            "<sr:ESMEVariant>AD</sr:ESMEVariant></sr:UpdateDeviceDetails>"
        ),
        UpdateInventory(ESME, DeviceDetailsChange("ACME", "M1", SmetsVersion.SMETS1, "0300", "AD")),
        None,
    ),
    (
        "8.4",
        8,
        ACB,
        _inventory(
            "<sr:UpdateDeviceDetails><sr:ESMEVariant>B</sr:ESMEVariant></sr:UpdateDeviceDetails>"
        ),
        UpdateInventory(ESME, DeviceDetailsChange(esme_variant="B")),
        None,
    ),
    ("8.4", 8, ACB, _inventory("<sr:DeleteDevice/>"), UpdateInventory(ESME, DeleteDevice()), None),
    (
        "8.4",
        8,
        ACB,
        _inventory("<sr:UpdateMPxN><sr:ImportMPxN>1100000000009</sr:ImportMPxN></sr:UpdateMPxN>"),
        UpdateInventory(ESME, MpxnChange("1100000000009")),
        None,
    ),
    (
        "11.1",
        8,
        ACB,
        "<sr:UpdateFirmware><sr:FirmwareImage>aW1h\n Z2U=</sr:FirmwareImage>"
        f"<sr:FirmwareVersion>0200</sr:FirmwareVersion><sr:DeviceIDList>{ESME},{GSME}"
        "</sr:DeviceIDList></sr:UpdateFirmware>",
        UpdateFirmware(b"image", "0200", (ESME, GSME)),
        None,
    ),
    (
        "11.2",
        1,
        ESME,
        "<sr:ReadFirmwareVersion><sr:ExecutionDateTime>2030-01-02T04:04:05.123456789+01:00"
        "</sr:ExecutionDateTime></sr:ReadFirmwareVersion>",
        ReadFirmwareVersion(),
        WHEN.replace(microsecond=123456),
    ),
    (
        "11.3",
        4,
        ESME,
        f"<sr:ActivateFirmware><sr:FirmwareHash>{HASH.hex()}</sr:FirmwareHash>"
        "</sr:ActivateFirmware>",
        ActivateFirmware(HASH),
        None,
    ),
    (
        "11.3",
        4,
        ESME,
        "<sr:ActivateFirmware><sr:ExecutionDateTime>3000-12-31T00:00:00.00Z</sr:ExecutionDateTime>"
        f"<sr:FirmwareHash>{HASH.hex().upper()}</sr:FirmwareHash></sr:ActivateFirmware>",
        ActivateFirmware(HASH),
        CANCELLATION_DATETIME,
    ),
    (
        "12.1",
        8,
        ACB,
        "<sr:RequestWANMatrix><sr:UPRN>100000000001</sr:UPRN></sr:RequestWANMatrix>",
        RequestWanMatrix(uprn=100000000001),
        None,
    ),
    (
        "12.1",
        8,
        ACB,
        "<sr:RequestWANMatrix><sr:PartialAddress><sr:PostCode>EH1 1AA</sr:PostCode>"
        "<sr:AddressIdentifier>1 High Street</sr:AddressIdentifier></sr:PartialAddress>"
        "</sr:RequestWANMatrix>",
        RequestWanMatrix(postcode="EH1 1AA", address_identifier="1 High Street"),
        None,
    ),
    (
        "11.3",
        7,
        ESME,
        "<sr:SignedPreCommand><sr:ExecutionDateTime>2030-01-02T03:04:05Z</sr:ExecutionDateTime>"
        "<sr:GBCSPayload>cGF5bG9hZA==</sr:GBCSPayload></sr:SignedPreCommand>",
        SignedPreCommand(b"payload"),
        WHEN,
    ),
]


@pytest.mark.spec("REQ-01", "REQ-05")
@pytest.mark.parametrize(
    ("srv", "cv", "target", "body", "expected", "when"),
    BODIES,
    ids=[f"{row[0]}-{type(row[4]).__name__}-{i}" for i, row in enumerate(BODIES)],
)
def test_each_served_body_becomes_the_core_request_it_says(
    srv: str,
    cv: int,
    target: str,
    body: str,
    expected: RequestBody,
    when: datetime | None,
) -> None:
    rid = f"{SUPPLIER_A.lower()}:{target}:18446744073709551615"
    parsed = parse_request(request_xml(srv, body, request_id=rid, cv=cv))
    request = parsed.request
    assert request.body == expected
    assert request.execution_datetime == when
    assert (request.srv, request.command_variant) == (srv, CommandVariant(cv))
    assert str(request.request_id) == f"{SUPPLIER_A}:{target}:18446744073709551615"
    assert request.user_role is None


@pytest.mark.spec("REQ-07")
def test_the_cancellation_date_cancels(sim: Sim) -> None:
    body = (
        "<sr:ActivateFirmware><sr:ExecutionDateTime>3000-12-31T00:00:00Z</sr:ExecutionDateTime>"
        f"<sr:FirmwareHash>{HASH.hex()}</sr:FirmwareHash></sr:ActivateFirmware>"
    )
    parsed = parse_request(request_xml("11.3", body, request_id=f"{SUPPLIER_A}:{ESME}:1", cv=4))
    assert parsed.request.is_cancellation


@pytest.mark.parametrize("version", ["5.1", "5.2", "5.3", "5.4", "5.10"])
def test_schema_versions_5_1_to_5_4_are_accepted(version: str) -> None:
    document = request_xml(
        "11.2",
        "<sr:ReadFirmwareVersion/>",
        request_id=f"{SUPPLIER_A}:{ESME}:1",
        cv=1,
        schema_version=version,
    )
    assert parse_request(document).schema_version is DuisVersion(version.rstrip("0"))


@pytest.mark.parametrize("version", ["5.0", "5.5", "6", "five", ""])
def test_other_schema_versions_are_refused(version: str) -> None:
    document = request_xml(
        "11.2", "<sr:ReadFirmwareVersion/>", request_id=f"{SUPPLIER_A}:{ESME}:1", cv=1
    ).replace(b'schemaVersion="5.4"', f'schemaVersion="{version}"'.encode())
    with pytest.raises(InvalidField) as refused:
        parse_request(document)
    assert refused.value.field == "Request/@schemaVersion"


@pytest.mark.spec("REQ-05")
def test_requests_with_and_without_a_signature_are_accepted() -> None:
    rid = f"{SUPPLIER_A}:{ESME}:1"
    signed = parse_request(request_xml("11.2", "<sr:ReadFirmwareVersion/>", request_id=rid, cv=1))
    unsigned = parse_request(
        request_xml("11.2", "<sr:ReadFirmwareVersion/>", request_id=rid, cv=1, signed=False)
    )
    assert (signed.signed, unsigned.signed) == (True, False)
    assert signed.request == unsigned.request


def test_comments_header_options_and_xsi_attributes_are_accepted() -> None:
    document = (
        request_xml(
            "11.2",
            "<!-- read it --><sr:ReadFirmwareVersion><!-- now --></sr:ReadFirmwareVersion>",
            request_id=f"{SUPPLIER_A}:{ESME}:1",
            cv=1,
        )
        .replace(
            b"<sr:CommandVariant>",
            b"<sr:FirstInSequence>true</sr:FirstInSequence><sr:PrecedingServiceRequestID>"
            + f"{SUPPLIER_A}:{ESME}:0".encode()
            + b"</sr:PrecedingServiceRequestID><sr:CommandVariant>",
        )
        .replace(
            b'schemaVersion="5.4"',
            b'schemaVersion="5.4" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            b'xsi:schemaLocation="http://www.dccinterface.co.uk/ServiceUserGateway duis.xsd"',
        )
    )
    assert parse_request(document).request.body == ReadFirmwareVersion()
    with pytest.raises(InvalidField) as refused:
        parse_request(document.replace(b"xsi:schemaLocation", b"version"))
    assert refused.value.field == "Request/@version"


@pytest.mark.spec("SRV-01", "REQ-07")
def test_a_future_dated_read_is_read_with_its_execution_datetime(sim: Sim) -> None:
    body = (
        "<sr:ReadInstantaneousImportTOUMatrices><sr:ExecutionDateTime>2030-01-02T03:04:05Z"
        "</sr:ExecutionDateTime></sr:ReadInstantaneousImportTOUMatrices>"
    )
    document = request_xml("4.1.2", body, request_id=f"{SUPPLIER_A}:{ESME}:1", cv=1)
    parsed = parse_request(document)
    assert parsed.request.srv == "4.1.2"
    assert parsed.request.execution_datetime == WHEN
    assert parsed.body_element == "ReadInstantaneousImportTOUMatrices"
    assert served(sim.dsp, document)[1].code == "I99"  # held by the DSP until 2030 (SRV-05)


@pytest.mark.spec("BAD-01")
@pytest.mark.parametrize(
    ("srv", "cv", "target", "body", "field", "reason"),
    [
        (
            "8.2",
            8,
            ACB,
            "<sr:ReadInventory><sr:PropertyFilter><sr:PostCode>EH1 1AA</sr:PostCode>"
            "<sr:AddressIdentifier>1</sr:AddressIdentifier></sr:PropertyFilter></sr:ReadInventory>",
            "Body/ReadInventory/PropertyFilter",
            "not simulated",
        ),
        (
            "8.4",
            8,
            ACB,
            _inventory(
                "<sr:UpdateMPxN><sr:ExportMPAN>1100000000009</sr:ExportMPAN></sr:UpdateMPxN>"
            ),
            "Body/UpdateInventory/UpdateMPxN/ExportMPAN",
            "not simulated",
        ),
        (
            "8.4",
            8,
            ACB,
            _inventory(
                "<sr:UpdateDeviceDetails><sr:ESMEVariant>Z</sr:ESMEVariant>"
                "</sr:UpdateDeviceDetails>"
            ),
            "Body/UpdateInventory/UpdateDeviceDetails/ESMEVariant",
            "'Z' is not an ESME Variant",
        ),
        (
            "8.4",
            8,
            ACB,
            _inventory("<sr:UpdateDeviceDetails/>"),
            "Body/UpdateInventory/UpdateDeviceDetails",
            "needs at least one field",
        ),
        (
            "8.4",
            8,
            ACB,
            _inventory("<sr:UpdateDeviceStatusCH>Pending</sr:UpdateDeviceStatusCH>"),
            "Body/UpdateInventory/UpdateDeviceStatusCH",
            "'Pending' is not one of Commissioned, Withdrawn, InstalledNotCommissioned",
        ),
        (
            "8.2",
            8,
            ACB,
            "<sr:ReadInventory><sr:MPxN>11000000000019</sr:MPxN></sr:ReadInventory>",
            "Body/ReadInventory/MPxN",
            "is not an MPAN or MPRN",
        ),
        (
            "11.1",
            8,
            ACB,
            "<sr:UpdateFirmware><sr:FirmwareImage>aW1hZ2U=</sr:FirmwareImage>"
            f"<sr:FirmwareVersion>123456789</sr:FirmwareVersion><sr:DeviceIDList>{ESME}"
            "</sr:DeviceIDList></sr:UpdateFirmware>",
            "Body/UpdateFirmware/FirmwareVersion",
            "is not a firmware version",
        ),
        (
            "11.1",
            8,
            ACB,
            "<sr:UpdateFirmware><sr:FirmwareImage></sr:FirmwareImage>"
            f"<sr:FirmwareVersion>0200</sr:FirmwareVersion><sr:DeviceIDList>{ESME}"
            "</sr:DeviceIDList></sr:UpdateFirmware>",
            "Body/UpdateFirmware/FirmwareImage",
            "a firmware image is required",
        ),
        (
            "12.1",
            8,
            ACB,
            "<sr:RequestWANMatrix><sr:PartialAddress><sr:PostCode>EH1</sr:PostCode>"
            "<sr:AddressIdentifier>1</sr:AddressIdentifier></sr:PartialAddress>"
            "</sr:RequestWANMatrix>",
            "Body/RequestWANMatrix/PartialAddress/PostCode",
            "is not 6 to 8 characters",
        ),
        (
            "6.2.1",
            1,
            ESME,
            "<sr:ReadDeviceConfigurationVoltage><sr:ExecutionDateTime>2030-01-02T03:04:05Z"
            "</sr:ExecutionDateTime></sr:ReadDeviceConfigurationVoltage>",
            "Body/ReadDeviceConfigurationVoltage/ExecutionDateTime",
            "is not expected here",  # 6.2.1's schema has no ExecutionDateTime
        ),
        (
            "6.11",
            1,
            ESME,
            "<sr:ReadFirmwareVersion/>",
            "Body/ReadFirmwareVersion",
            "SRV 6.11 takes a SynchroniseClock body, not ReadFirmwareVersion",
        ),
        (
            "8.1.1",
            4,
            ESME,
            "<sr:CommissionDeviceSynchroniseClock><sr:CurrentDateTime>2014-12-31T23:59:10Z"
            "</sr:CurrentDateTime><sr:TolerancePeriod>86401</sr:TolerancePeriod>"
            "</sr:CommissionDeviceSynchroniseClock>",
            "Body/CommissionDeviceSynchroniseClock/TolerancePeriod",
            "over 86400",
        ),
    ],
)
def test_values_are_refused_naming_their_element(
    srv: str, cv: int, target: str, body: str, field: str, reason: str
) -> None:
    document = request_xml(srv, body, request_id=f"{SUPPLIER_A}:{target}:1", cv=cv)
    with pytest.raises(InvalidField) as refused:
        parse_request(document)
    assert refused.value.field == field
    assert reason in refused.value.reason


def test_strict_schemas_serve_the_family_of_interface_versions_they_define() -> None:
    if not XSD_DIR.is_dir():
        pytest.skip("DCC's DUIS schemas are not in ../shared/duis-xsd")
    strict = DuisSchemas([XSD_5_1, XSD_5_3A])
    assert [s.carries_ecos_error_code for s in strict.schemas] == [False, True]
    assert strict.for_version("5.1").path == XSD_5_1
    for version in ("5.2", "5.3", DuisVersion.V5_4):
        assert strict.for_version(version).path == XSD_5_3A
    only_new = DuisSchemas(XSD_5_3A)
    assert only_new.for_version(DuisVersion.V5_1) is None
    document = request_xml(
        "11.2", "<sr:ReadFirmwareVersion/>", request_id=f"{SUPPLIER_A}:{ESME}:1", cv=1
    )
    # A 5.1 request is judged by the only schema there is; a document for a 5.1 user is not.
    parse_request(document.replace(b'"5.4"', b'"5.1"'), schema=only_new)
    assert only_new.validate_response(document, DuisVersion.V5_1) is False


def test_strict_mode_refuses_files_that_are_not_duis_schemas(tmp_path) -> None:
    if not XSD_DIR.is_dir():
        pytest.skip("DCC's DUIS schemas are not in ../shared/duis-xsd")
    with pytest.raises(ValueError, match="not a DUIS schema"):
        DuisSchemas(XSD_DIR / "xmldsig-core-schema.xsd")
    with pytest.raises(ValueError, match="cannot load an XML schema"):
        DuisSchemas(tmp_path / "missing.xsd")
    with pytest.raises(ValueError, match="at least one"):
        DuisSchemas([])
