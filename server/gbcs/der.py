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
        value = int.from_bytes(data[offset + 1 : offset + 1 + size], "big")
        if len(data) < offset + 1 + size:
            raise IndexError
        return value, offset + 1 + size
    except IndexError:
        raise InvalidField(field, "ends inside a length") from None


def read_tlv(data: bytes, offset: int, tag: int, field: str) -> tuple[bytes, int]:
    """(value, offset after it) of the element with `tag` at `offset`."""
    if offset >= len(data) or data[offset] != tag:
        found = "the end" if offset >= len(data) else f"tag 0x{data[offset]:02X}"
        raise InvalidField(field, f"expected tag 0x{tag:02X}, found {found}")
    size, start = read_length(data, offset + 1, field)
    end = start + size
    if end > len(data):
        raise InvalidField(field, "is cut short")
    return data[start:end], end


def read_integer(data: bytes, offset: int, field: str) -> tuple[int, int]:
    value, end = read_tlv(data, offset, INTEGER, field)
    if not value:
        raise InvalidField(field, "an INTEGER has at least one octet")
    return int.from_bytes(value, "big", signed=True), end


def read_generalized_time(data: bytes, offset: int, field: str) -> tuple[datetime | None, int]:
    """The time, or None for GBCS's 9999-12-31 23:59:59 (cancellation)."""
    value, end = read_tlv(data, offset, GENERALIZED_TIME, field)
    if value == b"99991231235959Z":
        return None, end
    try:
        return datetime.strptime(value.decode("ascii"), "%Y%m%d%H%M%SZ").replace(tzinfo=UTC), end
    except (UnicodeDecodeError, ValueError):
        raise InvalidField(field, f"{value!r} is not a GeneralizedTime") from None
