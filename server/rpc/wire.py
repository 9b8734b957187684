"""The wire forms every conversion shares: core enums <-> proto enums, and times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Generic, TypeVar

from google.protobuf.duration_pb2 import Duration
from google.protobuf.timestamp_pb2 import Timestamp

from dccsim.devices.kinds import DeviceType, SmetsVersion
from dccsim.server.core import records
from dccsim.server.core.clock import UNIX_EPOCH
from dccsim.server.core.errors import InvalidField

E = TypeVar("E", bound=Enum)


class EnumMap(Generic[E]):
    """Core enum <-> proto enum, pairing members by position (proto value 0 is UNSPECIFIED)."""

    def __init__(self, core: type[E], proto_values: list[int]) -> None:
        members = list(core)
        if len(members) != len(proto_values):
            raise AssertionError(f"{core.__name__} and its proto enum differ")
        self._to_proto = dict(zip(members, proto_values, strict=True))
        self._to_core = dict(zip(proto_values, members, strict=True))

    def to_proto(self, value: E | None) -> int:
        return 0 if value is None else self._to_proto[value]

    def to_core(self, value: int, field: str, *, required: bool = True) -> E | None:
        if value == 0 and not required:
            return None
        try:
            return self._to_core[value]
        except KeyError:
            raise InvalidField(field, f"{value} is not a valid value") from None


DEVICE_TYPES = EnumMap(DeviceType, list(range(1, 9)))
SMETS = EnumMap(SmetsVersion, [1, 2])
SMI_STATUSES = EnumMap(records.SmiStatus, list(range(1, 10)))
USER_ROLES = EnumMap(records.UserRole, list(range(1, 9)))
CPL_STATUSES = EnumMap(records.CplStatus, [1, 2])


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
