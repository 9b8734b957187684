"""The GBCS frame reader and writer on their own: round trips, DER lengths, and bad input
refused with an error naming the field (GBCS-01)."""

from __future__ import annotations

import pytest

from dccsim.server.core.errors import InvalidField
from dccsim.server.gbcs import der
from dccsim.server.gbcs.frame import (
    Cra,
    FixedHeader,
    GroupingHeader,
    Supplementary,
    general_ciphering,
    general_signing,
    parse_general_signing,
    unwrap_ciphering,
    with_signature,
)

pytestmark = pytest.mark.spec("GBCS-01")

DEVICE = bytes.fromhex("00DB1234567890A0")
ACB = bytes.fromhex("90B3D51F30000002")
USER = bytes.fromhex("90B3D51F30010000")


@pytest.mark.parametrize("size", [0, 1, 127, 128, 255, 256, 300])
def test_a_long_content_round_trips_with_a_der_length(size: int) -> None:
    header = GroupingHeader(
        Cra.RESPONSE, 2**40, DEVICE, ACB, 0x0059, supplementary=Supplementary(USER, 7)
    )
    content = bytes(range(256)) * 2
    content = content[:size]
    apdu = with_signature(general_signing(header, content), bytes(64))
    parsed = parse_general_signing(apdu)
    assert parsed.header == header
    assert parsed.content == content
    assert parsed.signature == bytes(64)
    wrapped = general_ciphering(apdu, bytes(12))
    assert unwrap_ciphering(wrapped) == (apdu, bytes(12))


def test_der_lengths_and_integers_are_canonical() -> None:
    assert der.length(127) == b"\x7f"
    assert der.length(128) == b"\x81\x80"
    assert der.length(256) == b"\x82\x01\x00"
    assert der.integer(0x8F66) == b"\x02\x03\x00\x8f\x66"
    assert der.integer(0) == b"\x02\x01\x00"
    assert der.integer(1000) == b"\x02\x02\x03\xe8"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "DF 09"),
        (b"\xdf\x09\x07" + bytes(40), "CRA flag"),
        (b"\xdf\x09\x01" + bytes(8) + b"\x07" + bytes(30), "system titles"),
        (
            b"\xdf\x09\x01" + bytes(8) + b"\x08" + DEVICE + b"\x08" + ACB + b"\x05" + bytes(8),
            "date-time",
        ),
        (
            b"\xdf\x09\x01"
            + bytes(8)
            + b"\x08"
            + DEVICE
            + b"\x08"
            + ACB
            + b"\x00\x02\x00\x12\x05ab",
            "cut short",
        ),
        (
            b"\xdf\x09\x01"
            + bytes(8)
            + b"\x08"
            + DEVICE
            + b"\x08"
            + ACB
            + b"\x00\x02\x00\x12\x00\x10",
            "signature",
        ),
    ],
)
def test_what_is_not_a_general_signing_apdu_is_refused_naming_the_field(data, reason) -> None:
    with pytest.raises(InvalidField, match=reason) as caught:
        parse_general_signing(data, "SignedPreCommand.GBCSPayload")
    assert caught.value.field == "SignedPreCommand.GBCSPayload"


@pytest.mark.parametrize("counter", [0, 7, 2**40, 2**64 - 1])
@pytest.mark.parametrize("date_time", [None, bytes(range(12))])
@pytest.mark.parametrize("party", [None, USER])
def test_a_fixed_header_encodes_as_the_grouping_header(counter, date_time, party) -> None:
    # The payload encoders make each header from a FixedHeader (per device, User and message
    # code); it must give the GroupingHeader's bytes, the party's counter being the header's.
    supplementary = None if party is None else Supplementary(party, counter)
    header = GroupingHeader(Cra.RESPONSE, counter, DEVICE, ACB, 0x0059, date_time, supplementary)
    fixed = FixedHeader(Cra.RESPONSE, DEVICE, ACB, 0x0059, party=party)
    assert fixed.encode(counter, date_time) == header.encode()
