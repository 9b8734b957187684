"""Core enums and proto enums pair by name, and a mismatch fails when the map is built (import)."""

from __future__ import annotations

import importlib
import pkgutil
from enum import Enum, StrEnum

import pytest

import dccsim.server.rpc.bodies as bodies
import dccsim.v1 as v1
from dccsim.devices.kinds import DeviceType
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.records import UserRole
from dccsim.server.rpc import wire
from dccsim.server.rpc.wire import EnumMap, EnumMismatch
from dccsim.v1 import types_pb2


def _all_maps() -> list[EnumMap]:
    modules = [wire] + [
        importlib.import_module(f"{bodies.__name__}.{info.name}")
        for info in pkgutil.iter_modules(bodies.__path__)
    ]
    return [
        value for module in modules for value in vars(module).values() if isinstance(value, EnumMap)
    ]


def test_every_map_pairs_each_member_with_the_proto_value_of_its_name() -> None:
    maps = _all_maps()
    assert len(maps) >= 17  # the five record enums and the families' own
    for enum_map in maps:
        for member in enum_map.core:
            value = enum_map.to_proto(member)
            assert value != 0
            assert enum_map.to_core(value, "f") is member


def test_every_enum_of_the_contract_has_its_map() -> None:
    contract = {
        enum.full_name
        for info in pkgutil.iter_modules(v1.__path__)
        if info.name.endswith("_pb2")
        for enum in importlib.import_module(
            f"{v1.__name__}.{info.name}"
        ).DESCRIPTOR.enum_types_by_name.values()
    }
    assert len(contract) >= 18
    assert contract == {enum_map.proto_name for enum_map in _all_maps()}


def test_by_name_not_by_position() -> None:
    assert types_pb2.DeviceType.Name(wire.DEVICE_TYPES.to_proto(DeviceType.GSME)) == (
        "DEVICE_TYPE_GSME"
    )
    assert types_pb2.UserRole.Name(wire.USER_ROLES.to_proto(UserRole.OTHER_USER)) == (
        "USER_ROLE_OU"
    )


def test_a_core_member_the_proto_lacks_fails_when_built() -> None:
    class Grown(StrEnum):
        CURRENT = "Current"
        REMOVED = "Removed"
        RETIRED = "Retired"

    with pytest.raises(EnumMismatch, match=r"missing from the proto \['CPL_STATUS_RETIRED'\]"):
        EnumMap(Grown, types_pb2.CplStatus)


def test_a_proto_value_the_core_lacks_fails_when_built() -> None:
    class Shrunk(StrEnum):
        CURRENT = "Current"

    with pytest.raises(EnumMismatch, match=r"missing from the core \['CPL_STATUS_REMOVED'\]"):
        EnumMap(Shrunk, types_pb2.CplStatus)


def test_reordered_members_still_pair_by_name() -> None:
    class Reordered(Enum):
        REMOVED = 1
        CURRENT = 2

    mapping = EnumMap(Reordered, types_pb2.CplStatus)
    assert mapping.to_proto(Reordered.REMOVED) == types_pb2.CPL_STATUS_REMOVED
    assert mapping.to_core(types_pb2.CPL_STATUS_CURRENT, "status") is Reordered.CURRENT


def test_an_unknown_wire_value_names_the_field() -> None:
    with pytest.raises(InvalidField) as caught:
        wire.SMI_STATUSES.to_core(99, "status")
    assert caught.value.field == "status"
    assert wire.SMI_STATUSES.to_core(0, "status", required=False) is None
