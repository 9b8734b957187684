"""The wire forms every conversion shares: core enums <-> proto enums, and times."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from enum import Enum
from operator import attrgetter
from typing import TYPE_CHECKING, Generic, TypeVar

from google.protobuf.duration_pb2 import Duration
from google.protobuf.timestamp_pb2 import Timestamp

from dccsim.devices.kinds import DeviceType, SmetsVersion
from dccsim.server.core import records
from dccsim.server.core.clock import UNIX_EPOCH
from dccsim.server.core.errors import InvalidField
from dccsim.v1 import types_pb2

if TYPE_CHECKING:
    # The stubs' generic form of a proto enum's metaclass (mypy-protobuf's enums are classes
    # with it as metaclass); it exists only in the stubs.
    from google.protobuf.internal.enum_type_wrapper import _EnumTypeWrapper

E = TypeVar("E", bound=Enum)
# A proto enum's value type: an int at run time, mypy-protobuf's `ValueType` NewType to mypy.
V = TypeVar("V", bound=int)

# The proto enums' zero value: "not set", which no core member maps to.
_UNSPECIFIED = "UNSPECIFIED"


class EnumMismatch(AssertionError):
    """A core enum and its proto enum no longer pair up member for member: raised at import, so
    a member added on one side only fails loudly instead of mapping to the wrong value."""


class EnumMap(Generic[E, V]):
    """Core enum <-> proto enum, pairing members by name: core member `ESME` is proto
    `DEVICE_TYPE_ESME` (the proto enum's prefix, read off its `..._UNSPECIFIED` zero value,
    then the member's name; `name` picks another key, e.g. the member's value). Checked when
    built, so at import: every core member has its proto value and every proto value but the
    zero one its core member."""

    def __init__(
        self,
        core: type[E],
        proto: _EnumTypeWrapper[V],
        *,
        name: Callable[[E], str] = attrgetter("name"),
    ) -> None:
        numbers = dict(proto.items())
        zero = next((n for n, v in numbers.items() if v == 0), "")
        if not zero.endswith(_UNSPECIFIED):
            raise EnumMismatch(f"{proto.DESCRIPTOR.full_name} has no ..._UNSPECIFIED zero value")
        prefix = zero.removesuffix(_UNSPECIFIED)
        wanted = {member: prefix + str(name(member)).upper() for member in core}
        missing = sorted(n for n in wanted.values() if n not in numbers)
        extra = sorted(set(numbers) - set(wanted.values()) - {zero})
        if missing or extra:
            raise EnumMismatch(
                f"{core.__name__} and {proto.DESCRIPTOR.full_name} differ: "
                f"missing from the proto {missing}, missing from the core {extra}"
            )
        self.core = core
        self.proto_name = proto.DESCRIPTOR.full_name
        self._unspecified = numbers[zero]
        self._to_proto = {member: numbers[n] for member, n in wanted.items()}
        self._to_core = {value: member for member, value in self._to_proto.items()}

    def to_proto(self, value: E | None) -> V:
        return self._unspecified if value is None else self._to_proto[value]

    def to_core(self, value: V, field: str, *, required: bool = True) -> E | None:
        if value == 0 and not required:
            return None
        try:
            return self._to_core[value]
        except KeyError:
            raise InvalidField(field, f"{value} is not a valid value") from None


DEVICE_TYPES = EnumMap(DeviceType, types_pb2.DeviceType)
SMETS = EnumMap(SmetsVersion, types_pb2.SmetsVersion)
SMI_STATUSES = EnumMap(records.SmiStatus, types_pb2.SmiStatus)
# The proto names roles by their DUIS abbreviations (USER_ROLE_IS), the core by their words.
USER_ROLES = EnumMap(records.UserRole, types_pb2.UserRole, name=attrgetter("value"))
CPL_STATUSES = EnumMap(records.CplStatus, types_pb2.CplStatus)


def timestamp(when: datetime) -> Timestamp:
    # What Timestamp.FromDatetime does (a naive datetime is UTC), at a third of its cost: every
    # delivered message carries one.
    delta = (when if when.tzinfo is not None else when.replace(tzinfo=UTC)) - UNIX_EPOCH
    return Timestamp(seconds=delta.days * 86_400 + delta.seconds, nanos=delta.microseconds * 1000)


def from_timestamp(stamp: Timestamp, field: str = "timestamp") -> datetime:
    # A Timestamp off the wire may hold any int64 seconds and int32 nanos; protobuf raises
    # ValueError (or OverflowError) for what a datetime cannot hold.
    try:
        return stamp.ToDatetime(tzinfo=UTC)
    except (ValueError, OverflowError) as error:
        raise InvalidField(field, f"is not a valid timestamp: {error}") from None


def from_duration(duration: Duration, field: str) -> timedelta:
    try:
        return duration.ToTimedelta()
    except (ValueError, OverflowError) as error:
        raise InvalidField(field, f"is not a valid duration: {error}") from None
