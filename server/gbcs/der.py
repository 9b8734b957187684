"""The few ASN.1 DER pieces GBCS's ASN.1 contents are made of (GBCS's own lengths are DER too).

Written by hand rather than with an ASN.1 library: the contents are a handful of fixed shapes,
built thousands of times a second, and these few lines are all of DER that they need.
"""

from __future__ import annotations

from datetime import UTC, datetime

from dccsim.server.core.errors import InvalidField

INTEGER = 0x02
OCTET_STRING = 0x04
NULL = 0x05
SEQUENCE = 0x30
GENERALIZED_TIME = 0x18


def length(n: int) -> bytes:
    """A DER length: one byte below 128, else 0x81/0x82 and the length."""
    if n < 0x80:
        return bytes((n,))
    if n <= 0xFF:
        return bytes((0x81, n))
    if n <= 0xFFFF:
        return bytes((0x82, n >> 8, n & 0xFF))
    raise ValueError(f"{n} bytes is too long for a GBCS length")


def tlv(tag: int, value: bytes) -> bytes:
    return bytes((tag,)) + length(len(value)) + value


def integer(value: int) -> bytes:
    """A DER INTEGER: the fewest two's-complement octets (so 0x8F66 is `02 03 00 8F 66`)."""
    size = max(1, (value.bit_length() + 8) // 8)
    return tlv(INTEGER, value.to_bytes(size, "big", signed=True))


def octet_string(value: bytes) -> bytes:
    return tlv(OCTET_STRING, value)


def sequence(*parts: bytes) -> bytes:
    return tlv(SEQUENCE, b"".join(parts))


def generalized_time(when: datetime) -> bytes:
    """`YYYYMMDDHHMMSSZ`, in UTC, as GBCS writes execution and alert times."""
    return tlv(GENERALIZED_TIME, when.astimezone(UTC).strftime("%Y%m%d%H%M%SZ").encode())


# GBCS's "cancel the future-dated command" date-time (RTDS CS06 cancellation).
NEVER = tlv(GENERALIZED_TIME, b"99991231235959Z")


def read_length(data: bytes, offset: int, field: str) -> tuple[int, int]:
    """(length, offset after it) of the DER length at `offset`."""
    try:
        first = data[offset]
        if first < 0x80:
            return first, offset + 1
        size = first & 0x7F
        if size not in (1, 2):
            raise InvalidField(field, f"length form 0x{first:02X} is not one GBCS uses")
        if len(data) < offset + 1 + size:
            raise IndexError
        return int.from_bytes(data[offset + 1 : offset + 1 + size], "big"), offset + 1 + size
    except IndexError:
        raise InvalidField(field, "ends inside a length") from None
