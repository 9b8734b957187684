"""The contents of the firmware use cases (GBCS-02), byte for byte as DCC's RTDS 4.5.0 writes
them (checked by tests/gbcs/test_rtds.py):

| use case | message code | content |
|---|---|---|
| ECS52 read ESME / Comms Hub firmware version | 0x0059 | DLMS access-response, octet-string(4) |
| GCS38 read GSME firmware version | 0x0084 | GBZ: ZCL Read Attributes Response, 0x0702 |
| CS08 read PPMID / HCALCS firmware version | 0x0129 | SEQUENCE {OCTET STRING(4), INTEGER} |
| CS06 activate firmware: pre-command | 0x0012 | SEQUENCE {hash OCTET STRING(32), counter, [time]} |
| CS06 response | 0x0012 | SEQUENCE {responseCode, OCTET STRING(4)}; `05 00` accepted |
| future-dated activation alert | 0x00CA | SEQUENCE {alert, time, counter, {code, version}} |
| FDRA-DLMS receipt (ESME, Comms Hub) | 0x00CE | DLMS data-notification {alert, date-time, hash} |
| FDRA-ZigBee receipt (GSME) | 0x00CF | GBZ alert {alert, UTC time, hash} |
| FDRA HCALCS receipt | 0x012C | GBZ alert, as 0x00CF (GBCS publishes no other form) |
| CCS08 transfer alert (CHF to ACB) | 0x0128 | SEQUENCE {alert, time, entity, version, code} |

A firmware version travels in GBCS as 4 octets; dccsim's versions are text (`0100`), so
`version_octets` maps one to the other (see its doc).
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import IntEnum

from dccsim.devices.firmware import ActivateImageResponseCode
from dccsim.server.gbcs import cosem, der

ECS52 = 0x0059
GCS38 = 0x0084
CS08 = 0x0129
CS06 = 0x0012
FUTURE_DATED_ACTIVATION_ALERT = 0x00CA
FDRA_DLMS = 0x00CE
FDRA_ZIGBEE = 0x00CF
FDRA_HCALCS = 0x012C
CCS08 = 0x0128

METERING_CLUSTER = 0x0702
_HEX_VERSION = re.compile(r"[0-9A-Fa-f]{1,8}")
FIRMWARE_TRANSFER_SUCCESS = 0x8F8A


class ActivationCode(IntEnum):
    """CS06's responseCode (and the 0x00CA outcome's)."""

    SUCCESS = 0
    NO_IMAGE_HELD = 1
    HASH_MISMATCH = 2
    ACTIVATION_FAILURE = 3


ACTIVATION_CODES = {
    ActivateImageResponseCode.SUCCESS: ActivationCode.SUCCESS,
    ActivateImageResponseCode.NO_IMAGE_HELD: ActivationCode.NO_IMAGE_HELD,
    ActivateImageResponseCode.HASH_MISMATCH: ActivationCode.HASH_MISMATCH,
    ActivateImageResponseCode.ACTIVATION_FAILURE: ActivationCode.ACTIVATION_FAILURE,
}


def version_octets(version: str | None) -> bytes:
    """A firmware version as GBCS's 4 octets. Decision: a version of up to 8 hex digits is
    those octets, right-aligned (`0100` -> 00 00 01 00, as Parse & Correlate shows `00000100`);
    any other text is its first 4 UTF-8 octets, zero-padded. None (not known) is 4 zeros."""
    if not version:
        return bytes(4)
    if _HEX_VERSION.fullmatch(version):
        return int(version, 16).to_bytes(4, "big")
    return version.encode()[:4].ljust(4, b"\x00")


# -- 11.2 --------------------------------------------------------------------------------------


def ecs52_response(counter: int, version: str | None) -> bytes:
    """ECS52: the DLMS get of the firmware version's answer (octet-string of 4)."""
    return cosem.get_response(counter, cosem.dlms_octet_string(version_octets(version)))


def ecs52_error(counter: int, error: int = 1) -> bytes:
    """ECS52 failed: the get's data-access-result (1: hardware fault, as the RTDS)."""
    return cosem.get_error(counter, error)


def gcs38_response(version: str | None) -> bytes:
    """GCS38: ZCL Read Attributes Response of the metering cluster's firmware attribute."""
    zcl = (
        b"\x08\x00\x01"  # frame control (server to client), sequence 0, Read Attributes Response
        + b"\x06\x02"  # the attribute, as the RTDS writes it
        + b"\x00"  # status success
        + b"\x41\x04"  # octet string of 4
        + version_octets(version)
    )
    return cosem.GBZ_PROFILE + b"\x01" + cosem.gbz_component(0x01, METERING_CLUSTER, zcl)


def gcs38_error(status: int = 0xC0) -> bytes:
    """GCS38 failed: the attribute's ZCL status (0xC0 hardware failure, as the RTDS)."""
    zcl = b"\x08\x00\x01\x06\x02" + bytes((status,))
    return cosem.GBZ_PROFILE + b"\x01" + cosem.gbz_component(0x01, METERING_CLUSTER, zcl)


def cs08_response(version: str | None, code: int = 0) -> bytes:
    """CS08: SEQUENCE {firmwareVersion OCTET STRING(4), responseCode INTEGER}."""
    return der.sequence(der.octet_string(version_octets(version)), der.integer(code))


# -- 11.3 --------------------------------------------------------------------------------------


def cs06_pre_command(
    image_hash: bytes, counter: int, execution: datetime | None, *, cancel: bool = False
) -> bytes:
    """CS06's content: the manufacturer image hash, the command's counter and, future-dated,
    when to activate (9999-12-31 23:59:59 cancels)."""
    parts = [der.octet_string(image_hash), der.integer(counter)]
    if cancel:
        parts.append(der.NEVER)
    elif execution is not None:
        parts.append(der.generalized_time(execution))
    return der.sequence(*parts)


def cs06_response(code: ActivationCode, version: str | None) -> bytes:
    return der.sequence(der.integer(code), der.octet_string(version_octets(version)))


# A future-dated CS06 accepted for later: an ASN.1 NULL ("Command Accepted").
CS06_ACCEPTED = der.tlv(der.NULL, b"")


def activation_alert(
    alert_code: int,
    executed_at: datetime,
    command_counter: int,
    code: ActivationCode,
    version: str | None,
) -> bytes:
    """0x00CA: the future-dated activation's outcome (0x8F66 success / 0x8F67 failure)."""
    return der.sequence(
        der.integer(alert_code),
        der.generalized_time(executed_at),
        der.integer(command_counter),
        cs06_response(code, version),
    )


# -- 11.1 receipts -----------------------------------------------------------------------------


def fdra_dlms(alert_counter: int, alert_code: int, at: datetime, image_hash: bytes) -> bytes:
    """0x00CE: a DLMS data-notification of {alert code, date-time, calculated hash}."""
    body = (
        bytes((cosem.STRUCTURE, 3))
        + bytes((cosem.LONG_UNSIGNED,))
        + alert_code.to_bytes(2, "big")
        + cosem.dlms_octet_string(cosem.date_time(at))
        + cosem.dlms_octet_string(image_hash)
    )
    return cosem.data_notification(alert_counter, body)


def fdra_zigbee(alert_code: int, at: datetime, image_hash: bytes) -> bytes:
    """0x00CF (and 0x012C): the GBZ alert {alert code, UTC time, calculated hash}."""
    return (
        cosem.GBZ_PROFILE
        + b"\x01"  # alert, as the RTDS writes it
        + alert_code.to_bytes(2, "big")
        + cosem.zigbee_utc(at)
        + b"\x09"
        + bytes((len(image_hash),))
        + image_hash
    )


def ccs08_alert(at: datetime, entity: bytes, version: str | None, code: int = 0) -> bytes:
    """0x0128: the CHF's firmware transfer alert (to the ACB) for one device (`entity`)."""
    return der.sequence(
        der.integer(FIRMWARE_TRANSFER_SUCCESS),
        der.generalized_time(at),
        der.octet_string(entity),
        der.octet_string(version_octets(version)),
        der.integer(code),
    )
