"""DLMS COSEM and GBZ (ZigBee) pieces of GBCS contents: the access-response and
data-notification APDUs, DLMS date-times, and the GBZ frame around ZCL commands."""

from __future__ import annotations

from datetime import UTC, datetime

from dccsim.server.gbcs import der

ACCESS_RESPONSE = 0xDA
DATA_NOTIFICATION = 0x0F
# DLMS data types
STRUCTURE = 0x02
OCTET_STRING = 0x09
LONG_UNSIGNED = 0x12
# GBZ
GBZ_PROFILE = b"\x01\x09"
ZIGBEE_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def invoke_id(counter: int) -> bytes:
    """long-invoke-id-and-priority: 0x20 (high priority... as GBCS sets it) and the low 24 bits
    of the command's originator counter, which ties the answer to the command."""
    return (0x2000_0000 | (counter & 0x00FF_FFFF)).to_bytes(4, "big")


def date_time(when: datetime) -> bytes:
    """A 12-octet DLMS date-time in UTC, as the RTDS writes them: day of week and hundredths
    not specified (FF, 00), deviation not specified (80 00), clock status FF."""
    when = when.astimezone(UTC)
    return (
        when.year.to_bytes(2, "big")
        + bytes((when.month, when.day, 0xFF, when.hour, when.minute, when.second, 0x00))
        + b"\x80\x00\xff"
    )


def dlms_octet_string(value: bytes) -> bytes:
    return bytes((OCTET_STRING,)) + der.length(len(value)) + value


def get_response(counter: int, result: bytes) -> bytes:
    """A DLMS access-response to one get: the result (a DLMS data) and `get success`."""
    return b"".join(  # one join, not six copies: an 11.2 payload makes one of these
        (
            b"\xda",  # ACCESS_RESPONSE
            invoke_id(counter),
            b"\x00"  # date-time absent
            b"\x00"  # no access-request-specification
            b"\x01",  # one result
            result,
            b"\x01\x01\x00",  # one access-response-specification: get, success
        )
    )


def get_error(counter: int, error: int) -> bytes:
    """A DLMS access-response whose one get failed with a data-access-result."""
    return (
        bytes((ACCESS_RESPONSE,))
        + invoke_id(counter)
        + b"\x00\x00\x01\x00"  # date-time absent, no specification, one result: null-data
        + b"\x01\x01"
        + bytes((error,))
    )


def data_notification(counter: int, body: bytes) -> bytes:
    """A DLMS data-notification (alerts of DLMS devices): invoke id, date-time absent, body."""
    return bytes((DATA_NOTIFICATION,)) + invoke_id(counter) + b"\x00" + body


def zigbee_utc(when: datetime) -> bytes:
    """ZigBee UTCTime: seconds since 2000-01-01 00:00 UTC, 4 octets."""
    return int((when - ZIGBEE_EPOCH).total_seconds()).to_bytes(4, "big")


def gbz_component(control: int, cluster: int, zcl: bytes) -> bytes:
    """One GBZ use-case component: extended header control, cluster, length, ZCL frame."""
    return bytes((control,)) + cluster.to_bytes(2, "big") + len(zcl).to_bytes(2, "big") + zcl
