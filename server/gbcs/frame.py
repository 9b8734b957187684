"""The GBCS frame: the General-Signing grouping header (`DF 09`) and the General-Ciphering MAC
wrapper (`DD`) around it (GBCS §7.2; notes §3.1 decodes one field by field).

    DD 00 00 00 00 00 00  len  11 00 00 00 00  ┐ General-Ciphering (MAC only)
      DF 09 CRA counter(8) 08 originator 08 recipient  date-time  other-info  content  signature
    MAC(12)

Other information is the message code, then -- when the ACB sends a command on a User's behalf
and the device answers the ACB -- the User as supplementary remote party and its counter.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from dccsim.server.core.errors import InvalidField
from dccsim.server.gbcs import der
from dccsim.server.gbcs.crypto import MAC_LENGTH, SECURITY_HEADER, SIGNATURE_LENGTH

GENERAL_SIGNING = b"\xdf\x09"
GENERAL_CIPHERING = b"\xdd\x00\x00\x00\x00\x00\x00"


class Cra(IntEnum):
    """The CRA flag: what kind of message this is."""

    COMMAND = 1
    RESPONSE = 2
    ALERT = 3


@dataclass(frozen=True, slots=True)
class Supplementary:
    """The User on whose behalf the ACB sent the command (ACB form)."""

    party: bytes  # the User's EUI-64, 8 octets
    counter: int  # its DUIS RequestID counter


@dataclass(frozen=True, slots=True)
class GroupingHeader:
    cra: Cra
    counter: int  # the originator counter: for a response, that of the command it answers
    originator: bytes  # system titles: EUI-64s, 8 octets
    recipient: bytes
    message_code: int
    date_time: bytes | None = None  # a 12-octet DLMS date-time, when present
    supplementary: Supplementary | None = None

    def encode(self) -> bytes:
        """The header from `DF 09` to the end of other information."""
        other = self.message_code.to_bytes(2, "big")
        if self.supplementary is not None:
            other += self.supplementary.party + self.supplementary.counter.to_bytes(8, "big")
        date_time = b"\x00" if self.date_time is None else der.length(12) + self.date_time
        return b"".join(
            (
                GENERAL_SIGNING,
                bytes((self.cra,)),
                self.counter.to_bytes(8, "big"),
                b"\x08",
                self.originator,
                b"\x08",
                self.recipient,
                date_time,
                der.length(len(other)),
                other,
            )
        )


class FixedHeader:
    """A grouping header made once per originator, recipient and message code (the few octets
    of a response that differ per message are its counter and date-time): each message then
    costs two joins, not a GroupingHeader and its encoding (~4 us of an 11.2 payload's ~17).
    `encode(counter, date_time)` equals `GroupingHeader(cra, counter, originator, recipient,
    message_code, date_time, Supplementary(party, counter) if party else None).encode()` --
    with a party (the ACB's form) the supplementary counter is the header's, as dccsim sends
    them (tests/gbcs/test_frame.py holds them equal)."""

    __slots__ = ("_head", "_other", "_party", "_titles")

    def __init__(
        self,
        cra: Cra,
        originator: bytes,
        recipient: bytes,
        message_code: int,
        party: bytes | None = None,
    ) -> None:
        other = message_code.to_bytes(2, "big") + (party or b"")
        # With a party, its counter follows (8 octets), per message.
        other_length = len(other) + (0 if party is None else 8)
        self._head = GENERAL_SIGNING + bytes((cra,))
        self._titles = b"\x08" + originator + b"\x08" + recipient
        self._other = der.length(other_length) + other
        self._party = party is not None

    def encode(self, counter: int, date_time: bytes | None = None) -> bytes:
        octets = counter.to_bytes(8, "big")
        dated = b"\x00" if date_time is None else b"\x0c" + date_time  # 12 octets, DER length
        if self._party:
            return b"".join((self._head, octets, self._titles, dated, self._other, octets))
        return b"".join((self._head, octets, self._titles, dated, self._other))


def general_signing(header: GroupingHeader, content: bytes) -> bytes:
    """The APDU up to the end of its content (what a signature covers, after `DF`)."""
    return header.encode() + der.length(len(content)) + content


def with_signature(unsigned: bytes, signature: bytes | None) -> bytes:
    """The APDU with its signature field: `00` for none (a null signature), else `40` ‖ r ‖ s."""
    if signature is None:
        return unsigned + b"\x00"
    return unsigned + bytes((len(signature),)) + signature


def signed_part(unsigned: bytes) -> bytes:
    """What a GBCS signature covers: everything after the `DF` tag."""
    return unsigned[1:]


def general_ciphering(apdu: bytes, tag: bytes) -> bytes:
    """The MAC wrapper around a complete General-Signing APDU (signature field included)."""
    body = SECURITY_HEADER + apdu + tag
    return GENERAL_CIPHERING + der.length(len(body)) + body


@dataclass(frozen=True, slots=True)
class ParsedApdu:
    """A General-Signing APDU read back: its header, content, signature (None for a null one)
    and the unsigned bytes (`DF 09` to the end of the content)."""

    header: GroupingHeader
    content: bytes
    signature: bytes | None
    unsigned: bytes


def parse_general_signing(data: bytes, field: str = "GBCSPayload") -> ParsedApdu:
    """Read a General-Signing APDU; a missing signature field counts as null (DCC Boxed before
    1.4.1 omitted it). InvalidField naming `field` for anything else that is not one."""
    if not data.startswith(GENERAL_SIGNING):
        raise InvalidField(field, "is not a GBCS General-Signing APDU (DF 09)")
    try:
        cra = Cra(data[2])
    except (IndexError, ValueError):
        raise InvalidField(field, "has no CRA flag of 1, 2 or 3") from None
    if len(data) < 3 + 8 + 18 + 1:
        raise InvalidField(field, "is too short for a grouping header")
    counter = int.from_bytes(data[3:11], "big")
    if data[11] != 8 or data[20] != 8:
        raise InvalidField(field, "system titles are 8 octets")
    originator, recipient = data[12:20], data[21:29]
    offset = 29
    date_time = None
    if data[offset] == 12:
        date_time = data[offset + 1 : offset + 13]
        offset += 13
    elif data[offset] == 0:
        offset += 1
    else:
        raise InvalidField(field, "date-time is absent (00) or 12 octets")
    other_length, offset = der.read_length(data, offset, field)
    other = data[offset : offset + other_length]
    if other_length not in (2, 18) or len(other) != other_length:
        raise InvalidField(field, "other information is a message code, maybe with a party")
    offset += other_length
    supplementary = None
    if other_length == 18:
        supplementary = Supplementary(other[2:10], int.from_bytes(other[10:18], "big"))
    content_length, start = der.read_length(data, offset, field)
    end = start + content_length
    if end > len(data):
        raise InvalidField(field, "content is cut short")
    signature: bytes | None = None
    if end < len(data):
        size = data[end]
        if size not in (0, SIGNATURE_LENGTH) or len(data) != end + 1 + size:
            raise InvalidField(field, "the signature is null (00) or 64 octets (40 r s)")
        signature = data[end + 1 :] if size else None
    header = GroupingHeader(
        cra,
        counter,
        originator,
        recipient,
        int.from_bytes(other[:2], "big"),
        date_time,
        supplementary,
    )
    return ParsedApdu(header, data[start:end], signature, data[:end])


def unwrap_ciphering(data: bytes, field: str = "GBCSPayload") -> tuple[bytes, bytes]:
    """(General-Signing APDU, MAC) of a MAC-wrapped payload."""
    if not data.startswith(GENERAL_CIPHERING):
        raise InvalidField(field, "is not a General-Ciphering APDU (DD)")
    size, start = der.read_length(data, len(GENERAL_CIPHERING), field)
    body = data[start : start + size]
    if len(body) != size or not body.startswith(SECURITY_HEADER) or size < 5 + MAC_LENGTH:
        raise InvalidField(field, "the General-Ciphering body is malformed")
    return body[len(SECURITY_HEADER) : -MAC_LENGTH], body[-MAC_LENGTH:]
