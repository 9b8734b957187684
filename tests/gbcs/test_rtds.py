"""GBCS-02: dccsim's encoders against DCC's Reference Test Data Set 4.5.0, byte for byte.

The RTDS messages were made with the RTDS devices' keys; their certificates and the
organisations' private keys are public, so a MAC (static ECDH is symmetric) is recomputed here
from the recipient's private key and the device's certificate, and must equal the RTDS's. A
device's signature is ECDSA (randomised) made with a device key nobody publishes, so for signed
messages the unsigned bytes must be equal and the RTDS signature must verify over what dccsim
signs (the bytes after DF)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.requests import ActivateFirmware, RequestId, ServiceRequest
from dccsim.server.gbcs import crypto, firmware
from dccsim.server.gbcs.frame import (
    Cra,
    GroupingHeader,
    Supplementary,
    general_ciphering,
    general_signing,
    parse_general_signing,
    signed_part,
    with_signature,
)
from dccsim.server.gbcs.pre_command import PreCommands, pre_command, unsigned_pre_command
from tests.gbcs.conftest import rtds, rtds_private, rtds_public

pytestmark = pytest.mark.spec("GBCS-02")

ESME, GSME, CHF, PPMID = (bytes.fromhex(f"00DB1234567890A{n}") for n in "0124")
SUPPLIER = bytes.fromhex("90B3D51F30010000")
ACB = bytes.fromhex("90B3D51F30000002")
VERSION = "0123ABCD"
IMAGE_HASH = bytes.fromhex("AA758690730934FF0685AA758690730934FF0685657788990011223344556677")
JAN_2015 = datetime(2015, 1, 1, tzinfo=UTC)


def mac_wrapped(header: GroupingHeader, content: bytes, recipient_ka: str, device_ka: str):
    apdu = with_signature(general_signing(header, content), None)
    z = crypto.shared_secret(rtds_private(recipient_ka, "ka"), rtds_public(device_ka, "ka"))
    key = crypto.mac_key(z, header.originator, header.cra, header.counter, header.recipient)
    return general_ciphering(apdu, crypto.mac(key, header.originator, apdu))


@pytest.mark.parametrize(
    ("name", "counter", "content"),
    [
        ("ECS52_11.2_SUCCESS_RESPONSE_GBCS.HEX", 1000, firmware.ecs52_response(1000, VERSION)),
        ("ECS52_11.2_ERROR_RESPONSE_GBCS.HEX", 1002, firmware.ecs52_error(1002)),
    ],
)
def test_ecs52_responses_are_byte_equal(name: str, counter: int, content: bytes):
    header = GroupingHeader(Cra.RESPONSE, counter, ESME, SUPPLIER, firmware.ECS52)
    made = mac_wrapped(header, content, "90b3d51f30010000", "00db1234567890a0")
    assert made == rtds(f"11.2_ECS52/{name}")


@pytest.mark.parametrize(
    ("name", "counter", "content"),
    [
        ("GCS38_11.2_SUCCESS_RESPONSE_GBCS.HEX", 1000, firmware.gcs38_response(VERSION)),
        ("GCS38_11.2_ERROR_RESPONSE_GBCS.HEX", 1002, firmware.gcs38_error()),
    ],
)
def test_gcs38_responses_are_byte_equal(name: str, counter: int, content: bytes):
    header = GroupingHeader(Cra.RESPONSE, counter, GSME, SUPPLIER, firmware.GCS38)
    made = mac_wrapped(header, content, "90b3d51f30010000", "00db1234567890a1")
    assert made == rtds(f"11.2_GCS38/{name}")


def test_cs08_response_in_the_acb_form_is_byte_equal():
    # The ACB sent the command on the supplier's behalf; the PPMID answers the ACB.
    header = GroupingHeader(
        Cra.RESPONSE, 1300, PPMID, ACB, firmware.CS08, supplementary=Supplementary(SUPPLIER, 1000)
    )
    made = mac_wrapped(
        header, firmware.cs08_response(VERSION), "90b3d51f30000002", "00db1234567890a4"
    )
    assert made == rtds("11.2_CS08/CS08_11.2_SUCCESS_RESPONSE_GBCS.HEX")


def _cs06(counter: int, when: datetime | None = None) -> ServiceRequest:
    rid = RequestId("90-B3-D5-1F-30-01-00-00", "00-DB-12-34-56-78-90-A0", counter)
    return ServiceRequest(
        rid, "11.3", CommandVariant.CRITICAL_TRANSFORM, ActivateFirmware(IMAGE_HASH), when
    )


@pytest.mark.parametrize(
    ("name", "request_"),
    [
        ("CS06_11.3_IMMEDIATE_SUCCESS_PRECOMMAND_GBCS.HEX", _cs06(1000)),
        ("CS06_11.3_IMMEDIATE_ERROR_PRECOMMAND_GBCS.HEX", _cs06(1005)),
        (
            "CS06_11.3_FUTURE_DATED_SUCCESS_PRECOMMAND_GBCS.HEX",
            _cs06(1001, datetime(2030, 1, 15, 9, tzinfo=UTC)),
        ),
        (
            "CS06_11.3_FUTURE_DATED_ERROR_PRECOMMAND_GBCS.HEX",
            _cs06(1004, datetime(2030, 1, 1, tzinfo=UTC)),
        ),
        (
            "CS06_11.3_CANCELLATION_SUCCESS_PRECOMMAND_GBCS.HEX",
            _cs06(1002, datetime(3000, 12, 31, tzinfo=UTC)),
        ),
    ],
)
def test_cs06_pre_commands_are_byte_equal(name: str, request_: ServiceRequest):
    # The RTDS writes a pre-command without its signature field (as DCC Boxed before 1.4.1);
    # dccsim appends the null signature DUIS asks for.
    reference = rtds(f"11.3_CS06/{name}")
    assert unsigned_pre_command(request_) == reference
    assert pre_command(request_) == reference + b"\x00"
    # The hooks' form, with the pair's header made once: the same bytes, also the second time.
    pre_commands = PreCommands()
    assert pre_commands.unsigned(request_) == pre_commands.unsigned(request_) == reference


@pytest.mark.parametrize(
    "case", ["IMMEDIATE_SUCCESS", "FUTURE_DATED_SUCCESS", "CANCELLATION_SUCCESS"]
)
def test_cs06_commands_are_the_pre_command_signed_by_the_supplier(case: str):
    command = rtds(f"11.3_CS06/CS06_11.3_{case}_COMMAND_GBCS.HEX")
    apdu = parse_general_signing(command[command.index(b"\xdf\x09") : -crypto.MAC_LENGTH])
    assert apdu.unsigned == rtds(f"11.3_CS06/CS06_11.3_{case}_PRECOMMAND_GBCS.HEX")
    assert apdu.signature is not None
    supplier_ds = rtds_private("90b3d51f30010000", "ds").public_key()
    assert crypto.verify(supplier_ds, signed_part(apdu.unsigned), apdu.signature)


def _check_device_signed(reference: bytes, header: GroupingHeader, content: bytes, device: str):
    unsigned = general_signing(header, content)
    assert reference[: len(unsigned)] == unsigned
    signature = reference[len(unsigned) + 1 :]
    assert reference[len(unsigned)] == 0x40 and len(signature) == 64
    assert crypto.verify(rtds_public(device, "ds"), signed_part(unsigned), signature)


@pytest.mark.parametrize(
    ("name", "counter", "content"),
    [
        (
            "CS06_11.3_IMMEDIATE_SUCCESS_RESPONSE_GBCS.HEX",
            1000,
            firmware.cs06_response(firmware.ActivationCode.SUCCESS, "0123ABCE"),
        ),
        (
            "CS06_11.3_IMMEDIATE_ERROR_RESPONSE_GBCS.HEX",
            1005,
            firmware.cs06_response(firmware.ActivationCode.NO_IMAGE_HELD, "0123ABCF"),
        ),
        ("CS06_11.3_FUTURE_DATED_SUCCESS_RESPONSE_GBCS.HEX", 1001, firmware.CS06_ACCEPTED),
        ("CS06_11.3_CANCELLATION_SUCCESS_RESPONSE_GBCS.HEX", 1002, firmware.CS06_ACCEPTED),
    ],
)
def test_cs06_responses_are_byte_equal_but_for_the_device_signature(name, counter, content):
    header = GroupingHeader(
        Cra.RESPONSE,
        counter,
        ESME,
        SUPPLIER,
        firmware.CS06,
        date_time=firmware.cosem.date_time(JAN_2015),
    )
    _check_device_signed(rtds(f"11.3_CS06/{name}"), header, content, "00db1234567890a0")


@pytest.mark.parametrize(
    ("name", "alert", "at", "counter", "command", "code", "version"),
    [
        (
            "CS06_11.3_8F66_FUTURE_DATED_SUCCESS_ALERT_GBCS.HEX",
            0x8F66,
            datetime(2030, 1, 15, 9, tzinfo=UTC),
            2000,
            1001,
            firmware.ActivationCode.SUCCESS,
            "0123ABCF",
        ),
        (
            "CS06_11.3_8F67_FUTURE_DATED_ERROR_ALERT_GBCS.HEX",
            0x8F67,
            datetime(2030, 1, 1, tzinfo=UTC),
            2001,
            1004,
            firmware.ActivationCode.HASH_MISMATCH,
            "0123ABCF",
        ),
    ],
)
def test_future_dated_activation_alerts_are_byte_equal_but_for_the_signature(
    name, alert, at, counter, command, code, version
):
    header = GroupingHeader(
        Cra.ALERT, counter, ESME, SUPPLIER, firmware.FUTURE_DATED_ACTIVATION_ALERT
    )
    content = firmware.activation_alert(alert, at, command, code, version)
    _check_device_signed(rtds(f"11.3_CS06/{name}"), header, content, "00db1234567890a0")


def test_fdra_dlms_receipt_is_byte_equal_but_for_the_signature():
    header = GroupingHeader(Cra.ALERT, 2000, ESME, SUPPLIER, firmware.FDRA_DLMS)
    content = firmware.fdra_dlms(2000, 0x8F72, JAN_2015, bytes([1]) * 32)
    reference = rtds("NA_FDRA-DLMS/FDRA-DLMS_NA_8F72_ALERT_GBCS.HEX")
    _check_device_signed(reference, header, content, "00db1234567890a0")


def test_fdra_zigbee_receipt_is_byte_equal_but_for_the_signature():
    header = GroupingHeader(Cra.ALERT, 3000, GSME, SUPPLIER, firmware.FDRA_ZIGBEE)
    content = firmware.fdra_zigbee(0x8F72, JAN_2015, bytes([0xA1]) * 32)
    reference = rtds("NA_FDRA-ZigBee/FDRA-ZigBee_NA_8F72_ALERT_GBCS.HEX")
    _check_device_signed(reference, header, content, "00db1234567890a1")


def test_ccs08_firmware_transfer_alert_is_byte_equal_but_for_the_signature():
    header = GroupingHeader(Cra.ALERT, 4000, CHF, ACB, firmware.CCS08)
    content = firmware.ccs08_alert(JAN_2015, PPMID, VERSION)
    reference = rtds("NA_CCS08/CCS08_NA_NA_ALERT_GBCS.HEX")
    _check_device_signed(reference, header, content, "00db1234567890a2")
