"""A record's invariants hold whichever way it enters: the control API, a fleet file, Python."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dccsim.devices.kinds import DeviceType, SmetsVersion
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.fleet_file import parse_fleet
from dccsim.server.core.records import (
    CplEntry,
    CplStatus,
    Registration,
    SmiRecord,
    SmiStatus,
    User,
    UserRole,
)
from dccsim.server.rpc import convert
from dccsim.v1 import control_pb2, types_pb2

DEVICE = "00-DB-12-34-56-78-90-B7"
SUPPLIER = "90-B3-D5-1F-30-01-00-00"
BAD = "ESME\x01"


def _refused(make, field: str) -> str:
    with pytest.raises(InvalidField) as caught:
        make()
    assert caught.value.field == field
    return caught.value.reason


def _device_yaml(**changes: str) -> str:
    item = {"id": DEVICE, "type": "ESME", "manufacturer": "M", "model": "X", "firmware": "01"}
    item.update(changes)
    pairs = ", ".join(f'{k}: "{v}"' for k, v in item.items())
    return f"devices: [{{{pairs}}}]"


@pytest.mark.spec("BAD-01")
def test_a_model_xml_cannot_carry_is_refused_by_every_entry_naming_the_field() -> None:
    # The fleet file (YAML's "\x01" escape), PutDevice's conversion, and Python alike.
    fleet_reason = _refused(
        lambda: parse_fleet(_device_yaml(model="ESME\\x01")), "devices[0].model"
    )
    rpc_reason = _refused(
        lambda: convert.smi_record(
            types_pb2.Device(
                device_id=DEVICE,
                device_type=types_pb2.DEVICE_TYPE_ESME,
                smets=types_pb2.SMETS_VERSION_SMETS2,
                manufacturer="M",
                model=BAD,
                firmware_version="01",
                status=types_pb2.SMI_STATUS_COMMISSIONED,
            )
        ),
        "model",
    )
    python_reason = _refused(
        lambda: SmiRecord(
            DEVICE, DeviceType.ESME, SmetsVersion.SMETS2, "M", BAD, "01", SmiStatus.COMMISSIONED
        ),
        "model",
    )
    assert fleet_reason == rpc_reason == python_reason
    assert "XML cannot carry" in python_reason


@pytest.mark.spec("BAD-01")
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"firmware": "0\\x1b1"}, "devices[0].firmware"),
        ({"manufacturer": ""}, "devices[0].manufacturer"),
        ({"mpxn": "12\\x00"}, "devices[0].mpxn"),
        ({"esme_variant": "A\\x02"}, "devices[0].esme_variant"),
        ({"added_by": "nobody"}, "devices[0].added_by"),
    ],
)
def test_a_fleet_file_device_is_refused_by_its_key(changes: dict[str, str], field: str) -> None:
    _refused(lambda: parse_fleet(_device_yaml(**changes)), field)


@pytest.mark.spec("BAD-01")
def test_a_fleet_files_generated_block_is_refused_before_any_device_is_made() -> None:
    text = f"""
generate:
  - {{count: 3, type: ESME, id_prefix: 00-DB-01, supplier: {SUPPLIER},
     manufacturer: M, model: "X\\x01", firmware: "01"}}
"""
    _refused(lambda: parse_fleet(text), "generate[0].model")


@pytest.mark.spec("BAD-01")
def test_a_fleet_files_cpl_entry_is_refused_by_its_key() -> None:
    text = 'cpl: [{manufacturer: M, model: X, firmware: "0\\x01"}]'
    _refused(lambda: parse_fleet(text), "cpl[0].firmware")


@pytest.mark.spec("BAD-01")
def test_cpl_entries_are_refused_alike_by_the_control_api_and_python() -> None:
    message = types_pb2.CplEntry(
        manufacturer="M", model="X", firmware_version="01", status=1, image_hash=b"short"
    )
    _refused(lambda: convert.cpl_entry(message), "image_hash")
    _refused(lambda: CplEntry("M", "X", "01", CplStatus.CURRENT, b"short"), "image_hash")
    _refused(lambda: CplEntry("M", "", "01"), "model")


@pytest.mark.spec("BAD-01")
def test_users_and_registrations_hold_their_invariants() -> None:
    assert User(SUPPLIER, frozenset()).roles == frozenset()  # served nothing: E1 (AUTH-01)
    _refused(lambda: convert.user(types_pb2.User(user_id=SUPPLIER)), "roles")
    _refused(lambda: User("nobody", frozenset({UserRole.IMPORT_SUPPLIER})), "user_id")
    _refused(lambda: User(SUPPLIER, frozenset({"IS"})), "roles")  # type: ignore[arg-type]
    _refused(lambda: parse_fleet("users: [{id: nobody, roles: [IS]}]"), "users[0].id")
    start = datetime(2020, 1, 1, tzinfo=UTC)
    _refused(lambda: Registration("", UserRole.IMPORT_SUPPLIER, SUPPLIER, start), "mpxn")
    _refused(
        lambda: convert.registration(
            control_pb2.Registration(
                role=types_pb2.USER_ROLE_IS, user_id=SUPPLIER, start=convert.timestamp(start)
            )
        ),
        "mpxn",
    )
    _refused(
        lambda: parse_fleet("registrations: [{mpxn: 1, role: IS, user: x}]"),
        "registrations[0].user",
    )


def test_records_that_hold_their_invariants_are_made() -> None:
    record = SmiRecord(
        DEVICE.lower(),  # any case: Dsp.add_device keeps the canonical form
        DeviceType.ESME,
        SmetsVersion.SMETS2,
        "M",
        "X",
        "01",
        SmiStatus.COMMISSIONED,
        mpxn="1100000000001",
        uprn=12,
    )
    assert record.evolve(status=SmiStatus.SUSPENDED).status is SmiStatus.SUSPENDED
