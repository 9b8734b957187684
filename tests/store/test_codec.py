"""The record format's reader: what a restore rebuilds is equal to what was written, shares its
texts and instants as the written DSP did, and refuses a record of the wrong length by name."""

from __future__ import annotations

import collections.abc
import typing
from datetime import UTC, datetime
from typing import Any, Literal, NewType, Optional, Protocol, TypeVar

import msgpack
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dccsim.devices.kinds import DeviceType, SmetsVersion
from dccsim.server.core.dsp import Dsp
from dccsim.server.core.fingerprint import fingerprint
from dccsim.server.core.fleet_file import parse_fleet
from dccsim.server.core.records import Registration, SmiStatus, UserRole
from dccsim.server.store.codec import (
    TAG,
    CodecError,
    Decoder,
    Encoder,
    _may_be_text,
    decode_document,
)
from dccsim.server.store.schema import schema

FLEET = """
users:
  - {id: 90-B3-D5-1F-30-01-00-00, roles: [IS]}
  - {id: 90-B3-D5-1F-30-02-00-00, roles: [ED]}
cpl:
  - {manufacturer: M, model: X, firmware: "0100"}
  - {manufacturer: N, model: Y, firmware: "0200"}
generate:
  - {count: 30, type: ESME, smets1_share: 0.2, manufacturer: M, model: X, firmware: "0100",
     id_prefix: 00-DB-09, supplier: 90-B3-D5-1F-30-01-00-00,
     network_operator: 90-B3-D5-1F-30-02-00-00}
  - {count: 20, type: ESME, manufacturer: N, model: Y, firmware: "0200", id_prefix: 00-DB-0A,
     supplier: 90-B3-D5-1F-30-01-00-00, network_operator: 90-B3-D5-1F-30-02-00-00}
"""


def round_trip(value: object) -> object:
    encoder = Encoder()
    blob = encoder.encode(value)
    return Decoder(encoder.table).decode(blob)


def one_object_per_value(values: list[object]) -> bool:
    return len({id(v) for v in values}) == len(set(values))


def test_a_restored_fleet_shares_its_texts_and_keeps_its_types() -> None:
    dsp = Dsp()
    parse_fleet(FLEET).load_into(dsp)
    restored = decode_document(Encoder().encode_document(dsp))
    assert isinstance(restored, Dsp)
    assert fingerprint(restored) == fingerprint(dsp)
    state = restored.state
    records = list(state.smi)
    registrations = state.registrations.all()
    assert len(records) == 50 and len(registrations) == 100
    for field in ("manufacturer", "model", "firmware_version", "added_by"):
        assert one_object_per_value([getattr(r, field) for r in records]), field
    assert one_object_per_value([r.user_id for r in registrations])
    mpxns = {r.mpxn: r.mpxn for r in records}
    for registration in registrations:
        assert registration.mpxn is mpxns[registration.mpxn]
    for record in records:
        device = state.network.get(record.device_id)
        assert device is not None and device.device_id is record.device_id
        assert device.manufacturer is record.manufacturer
        # StrEnum members equal their values: each must come back a member, not its text.
        assert type(record.status) is SmiStatus and type(device.smets) is SmetsVersion
        assert type(record.device_type) is DeviceType is type(device.device_type)
    assert all(type(r.role) is UserRole for r in registrations)
    assert one_object_per_value([r.start for r in registrations])  # one fleet load, one instant


instants = st.datetimes(
    min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59, 999999)
).map(lambda value: value.replace(tzinfo=UTC))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["1234567890123", "9876543210987", "100023"]),
            st.sampled_from(list(UserRole)),
            st.sampled_from(["90-B3-D5-1F-30-01-00-00", "U2", ""]),
            instants,
            st.none() | instants,
        ),
        max_size=12,
    )
)
def test_records_and_instants_read_back_equal_and_shared(rows: list[tuple[Any, ...]]) -> None:
    written = [Registration(*row) for row in rows]
    read = round_trip([written, [r.start for r in written]])
    assert read == [written, [r.start for r in written]]
    assert isinstance(read, list)
    back, starts = read
    assert all(type(r) is Registration and r.start.tzinfo is UTC for r in back)
    assert one_object_per_value([r.mpxn for r in back] + [r.user_id for r in back])
    assert one_object_per_value([r.start for r in back] + starts)


# The keys of a data class's to_data() are the file's (the schema lists a dataclass's fields).
DATA_KEYS = {"firmware.TwoStepFirmware": ("running_version", "held_image", "pending")}


def crafted(name: str, kind: str, items: list[object]) -> object:
    """`items` (after the tag) as a value of the one-row tag table naming `name`."""
    fields = DATA_KEYS.get(name, schema().by_name[name].fields)
    blob = msgpack.packb([msgpack.ExtType(TAG, (0).to_bytes(4, "big")), *items])
    return Decoder([(name, kind, fields)]).decode(blob)


@pytest.mark.spec("SEC-03")
@pytest.mark.parametrize(
    ("name", "kind", "items", "message"),
    [
        ("records.CplEntry", "record", ["M", "X", "0100"], "3 values for 5 fields"),
        ("records.CplEntry", "record", ["M", "X", "0100", None, None, 1], "6 values for 5"),
        ("device.SimulatedDevice", "object", [0, "00-DB-09-00-00-00-00-01"], "1 values for 22"),
        ("firmware.TwoStepFirmware", "data", [0, "0100", None], "2 values for 3 keys"),
    ],
)
def test_a_record_of_the_wrong_length_is_refused_by_name(
    name: str, kind: str, items: list[object], message: str
) -> None:
    with pytest.raises(CodecError, match=f"{name} has {message}"):
        crafted(name, kind, items)


def test_a_record_with_a_value_of_the_wrong_type_is_still_refused_by_its_checks() -> None:
    """Texts are shared only where a field may hold text; a text elsewhere still reaches the
    record's constructor, which refuses it (here: a role that is not a UserRole)."""
    with pytest.raises(CodecError, match="role"):
        crafted("records.Registration", "record", ["1234567890123", "IS", "U", None, None])


class _Named(Protocol):
    name: str


_T = TypeVar("_T")
_Id = NewType("_Id", str)


@pytest.mark.parametrize(
    ("hint", "may_be_text"),
    [
        (str, True),
        (str | None, True),
        (Optional[str], True),  # noqa: UP045 (the typing spelling, as a module may use it)
        (object, True),
        (Any, True),
        (Literal["a", "b"], True),
        (_T, True),
        (_Id, True),
        (collections.abc.Hashable, True),
        (collections.abc.Sequence[str], True),
        (_Named, True),
        (typing.Union[int, "str"], True),  # an annotation that did not resolve
        (int, False),
        (int | None, False),
        (None, False),
        (type(None), False),
        (bytes, False),
        (UserRole, False),  # a StrEnum: its members, never a plain str
        (datetime | None, False),
        (list[str], False),
        (list[str] | tuple[()], False),
        (dict[str, str], False),
        (Registration | None, False),
    ],
)
def test_which_fields_may_hold_text(hint: object, may_be_text: bool) -> None:
    assert _may_be_text(hint) is may_be_text
