"""Fleet files (YAML): users, registrations, CPL entries and devices, listed one by one or
generated in bulk ("50,000 SMETS2 ESMEs of model X on firmware Y, 10% SMETS1").

The format is documented in docs/fleet-file.md; examples/fleet.yaml is a small realistic fleet.
A file is parsed completely before anything is loaded, so a bad file changes nothing.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import yaml

from dccsim.devices.alerts import parse_alert_code
from dccsim.devices.consumption import DEFAULT_PROFILES, ConsumptionModel, ConsumptionProfile
from dccsim.devices.kinds import DeviceType, SmetsVersion
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.eui import parse_eui64
from dccsim.server.core.faults import FaultAction, FaultRule, FaultStage
from dccsim.server.core.fleet import Fleet, cyclic_gc_paused
from dccsim.server.core.receive_address import normalise_receive_url
from dccsim.server.core.records import (
    CplEntry,
    CplStatus,
    DuisVersion,
    Registration,
    SmiRecord,
    SmiStatus,
    User,
    UserRole,
    UserStatus,
    check_product,
)

_DEFAULT_START = datetime(2020, 1, 1, tzinfo=UTC)
# The most devices one fleet may hold (SEC-04): a fleet is built in memory in full before it is
# loaded (about 1-2 KiB a device with its registrations), so a few hundred bytes of YAML asking
# for 10^9 devices would otherwise grow the server without limit. A million devices is the
# largest fleet the README measures; a caller with a larger machine passes its own bound.
DEFAULT_MAX_DEVICES = 1_000_000


def parse_fleet(text: str, *, seed: int = 0, max_devices: int = DEFAULT_MAX_DEVICES) -> Fleet:
    """Parse a fleet file; refuse one holding more than `max_devices` devices (listed and
    generated together) before any of them is made."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise InvalidField("fleet", f"not valid YAML: {error}") from None
    if document is None:
        document = {}
    if not isinstance(document, Mapping):
        raise InvalidField("fleet", "a fleet file is a mapping of users, cpl, devices, ...")
    unknown = set(document) - {
        "users",
        "registrations",
        "cpl",
        "devices",
        "generate",
        "faults",
        "consumption",
    }
    if unknown:
        raise InvalidField("fleet", f"unknown sections: {sorted(unknown)}")
    fleet = Fleet(
        users=[_user(u, f"users[{i}]") for i, u in enumerate(_list(document, "users"))],
        registrations=[
            _registration(r, f"registrations[{i}]")
            for i, r in enumerate(_list(document, "registrations"))
        ],
        cpl=[_cpl(c, f"cpl[{i}]") for i, c in enumerate(_list(document, "cpl"))],
        devices=[_device(d, f"devices[{i}]") for i, d in enumerate(_list(document, "devices"))],
        faults=[_fault(f, f"faults[{i}]") for i, f in enumerate(_list(document, "faults"))],
        consumption=_consumption(document, seed),
    )
    blocks = [_mapping(b, f"generate[{i}]") for i, b in enumerate(_list(document, "generate"))]
    _check_size(fleet, blocks, max_devices)
    rng = random.Random(seed)
    with cyclic_gc_paused():  # a block may make a million devices
        for i, block in enumerate(blocks):
            _generate(fleet, block, f"generate[{i}]", rng)
    ids = [d.device_id for d in fleet.devices]
    if len(ids) != len(set(ids)):
        raise InvalidField("devices", "device IDs must be unique")
    for i, item in enumerate(_list(document, "devices")):
        if isinstance(item, Mapping) and item.get("consumption") is not None:
            where = f"devices[{i}].consumption"
            fleet.consumption.overrides[ids[i]] = _profile(item["consumption"], where)
    return fleet


# Fleet files give daily figures in the units people quote: kWh of electricity, m3 of gas.
_WH_PER_KWH = 1000
_LITRES_PER_M3 = 1000


def _consumption(document: Mapping[str, Any], seed: int) -> ConsumptionModel:
    model = ConsumptionModel(seed=seed)
    section = _mapping(document.get("consumption") or {}, "consumption")
    for name, raw in section.items():
        device_type = _enum(DeviceType, name, "consumption")
        model.defaults[device_type] = _profile(raw, f"consumption.{name}", device_type)
    return model


def _profile(
    raw: object, where: str, device_type: DeviceType = DeviceType.ESME
) -> ConsumptionProfile:
    item = _mapping(raw, where)
    known = {"daily_kwh", "daily_m3", "export_daily_kwh", "spread", "seasonal", "jitter"}
    if unknown := set(item) - known:
        raise InvalidField(where, f"unknown keys: {sorted(unknown)}")
    base = DEFAULT_PROFILES.get(device_type, DEFAULT_PROFILES[DeviceType.ESME])
    try:
        daily = base.daily
        if "daily_kwh" in item:
            daily = round(float(item["daily_kwh"]) * _WH_PER_KWH)
        if "daily_m3" in item:
            daily = round(float(item["daily_m3"]) * _LITRES_PER_M3)
        return ConsumptionProfile(
            daily=daily,
            export_daily=round(float(item.get("export_daily_kwh", 0)) * _WH_PER_KWH),
            spread=float(item.get("spread", base.spread)),
            seasonal=float(item.get("seasonal", base.seasonal)),
            jitter=float(item.get("jitter", base.jitter)),
        )
    except (TypeError, ValueError, OverflowError) as error:
        raise InvalidField(where, str(error)) from None


def _list(document: Mapping[str, Any], key: str) -> list[Any]:
    value = document.get(key) or []
    if not isinstance(value, list):
        raise InvalidField(key, "must be a list")
    return value


def _mapping(value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidField(where, "must be a mapping")
    return value


def _required(item: Mapping[str, Any], key: str, where: str) -> Any:
    if item.get(key) in (None, ""):
        raise InvalidField(f"{where}.{key}", "is required")
    return item[key]


def _enum(enum_type: Any, value: object, field: str) -> Any:
    try:
        return enum_type(str(value))
    except ValueError:
        allowed = ", ".join(m.value for m in enum_type)
        raise InvalidField(field, f"{value!r} is not one of {allowed}") from None


def _when(value: object, field: str) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        raise InvalidField(field, f"{value!r} is not an ISO 8601 date and time") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


# A record's own field names (records.py checks each record's invariants as it is built) as a
# fleet file spells them, so that a refusal names the file's key: `devices[3].firmware`.
_USER_KEYS = {"user_id": "id", "interface_version": "duis"}
_REGISTRATION_KEYS = {"user_id": "user"}
_CPL_KEYS = {"firmware_version": "firmware"}
_DEVICE_KEYS = {
    "device_id": "id",
    "device_type": "type",
    "firmware_version": "firmware",
    "paired_gsme": "gsme",
    "comms_hub": "hub",
}


@contextmanager
def _record_at(where: str, keys: Mapping[str, str]) -> Iterator[None]:
    """Name a record's refusal by where it is in the file and the file's key for the field."""
    try:
        yield
    except InvalidField as error:
        if error.field.startswith(f"{where}."):
            raise  # the file's own reading named it already
        raise InvalidField(f"{where}.{keys.get(error.field, error.field)}", error.reason) from None


def _user(raw: object, where: str) -> User:
    with _record_at(where, _USER_KEYS):
        return _read_user(raw, where)


def _read_user(raw: object, where: str) -> User:
    item = _mapping(raw, where)
    roles = item.get("roles") or []
    if not isinstance(roles, list) or not roles:
        raise InvalidField(f"{where}.roles", "a user needs a list of roles (IS, GS, ED, ...)")
    return User(
        user_id=parse_eui64(_required(item, "id", where), f"{where}.id"),
        roles=frozenset(_enum(UserRole, r, f"{where}.roles") for r in roles),
        status=UserStatus.SUSPENDED if item.get("suspended") else UserStatus.ACTIVE,
        interface_version=_enum(DuisVersion, item.get("duis", "5.2"), f"{where}.duis"),
        name=str(item.get("name", "")),
        receive_url=normalise_receive_url(
            str(item.get("receive_url") or ""), f"{where}.receive_url"
        ),
    )


def _registration(raw: object, where: str) -> Registration:
    with _record_at(where, _REGISTRATION_KEYS):
        return _read_registration(raw, where)


def _read_registration(raw: object, where: str) -> Registration:
    item = _mapping(raw, where)
    end = item.get("end")
    return Registration(
        mpxn=str(_required(item, "mpxn", where)),
        role=_enum(UserRole, _required(item, "role", where), f"{where}.role"),
        user_id=parse_eui64(_required(item, "user", where), f"{where}.user"),
        start=_when(item.get("start", _DEFAULT_START), f"{where}.start"),
        end=_when(end, f"{where}.end") if end is not None else None,
    )


def _cpl(raw: object, where: str) -> CplEntry:
    with _record_at(where, _CPL_KEYS):
        return _read_cpl(raw, where)


def _read_cpl(raw: object, where: str) -> CplEntry:
    item = _mapping(raw, where)
    return CplEntry(
        manufacturer=str(_required(item, "manufacturer", where)),
        model=str(_required(item, "model", where)),
        firmware_version=str(_required(item, "firmware", where)),
        status=_enum(CplStatus, item.get("status", "Current"), f"{where}.status"),
    )


def _device(raw: object, where: str) -> SmiRecord:
    with _record_at(where, _DEVICE_KEYS):
        return _read_device(raw, where)


def _read_device(raw: object, where: str) -> SmiRecord:
    item = _mapping(raw, where)
    device_id = parse_eui64(_required(item, "id", where), f"{where}.id")
    paired = item.get("gsme")
    hub = item.get("hub")
    return SmiRecord(
        device_id=device_id,
        device_type=_enum(DeviceType, _required(item, "type", where), f"{where}.type"),
        smets=_enum(SmetsVersion, item.get("smets", "SMETS2"), f"{where}.smets"),
        manufacturer=str(_required(item, "manufacturer", where)),
        model=str(_required(item, "model", where)),
        firmware_version=str(_required(item, "firmware", where)),
        status=_enum(SmiStatus, item.get("status", "Commissioned"), f"{where}.status"),
        mpxn=str(item["mpxn"]) if item.get("mpxn") is not None else None,
        esme_variant=item.get("esme_variant"),
        added_by=parse_eui64(item["added_by"], f"{where}.added_by")
        if item.get("added_by")
        else None,
        uprn=int(item["uprn"]) if item.get("uprn") is not None else None,
        paired_gsme=parse_eui64(paired, f"{where}.gsme") if paired else None,
        comms_hub=parse_eui64(hub, f"{where}.hub") if hub else None,
    )


def _alert_code(raw: object, where: str) -> int:
    """SRV-06: `alert_code: 8F57`, `0x8F57` or `supply-interrupted`."""
    try:
        return parse_alert_code(raw)
    except ValueError as error:
        raise InvalidField(where, str(error)) from None


def _fault(raw: object, where: str) -> FaultRule:
    item = _mapping(raw, where)
    known = {
        "action",
        "stage",
        "srv",
        "device_type",
        "smets",
        "device_ids",
        "probability",
        "first_n",
        "window_start",
        "window_end",
        "delay_seconds",
        "error_code",
        "alert_code",
    }
    if unknown := set(item) - known:
        raise InvalidField(where, f"unknown keys: {sorted(unknown)}")
    device_ids = item.get("device_ids")
    try:
        return FaultRule(
            action=_enum(FaultAction, _required(item, "action", where), f"{where}.action"),
            stage=_enum(FaultStage, item.get("stage", "device-response"), f"{where}.stage"),
            srv=str(item["srv"]) if item.get("srv") is not None else None,
            device_type=_enum(DeviceType, item["device_type"], f"{where}.device_type")
            if item.get("device_type")
            else None,
            smets=_enum(SmetsVersion, item["smets"], f"{where}.smets")
            if item.get("smets")
            else None,
            device_ids=frozenset(parse_eui64(d, f"{where}.device_ids") for d in device_ids)
            if device_ids
            else None,
            probability=float(item.get("probability", 1.0)),
            first_n=int(item["first_n"]) if item.get("first_n") is not None else None,
            window_start=_when(item["window_start"], f"{where}.window_start")
            if item.get("window_start")
            else None,
            window_end=_when(item["window_end"], f"{where}.window_end")
            if item.get("window_end")
            else None,
            delay=timedelta(seconds=float(item["delay_seconds"]))
            if item.get("delay_seconds") is not None
            else None,
            error_code=item.get("error_code"),
            alert_code=_alert_code(item["alert_code"], f"{where}.alert_code")
            if item.get("alert_code") is not None
            else None,
        )
    except InvalidField as error:
        raise InvalidField(f"{where}.{error.field}", error.reason) from None
    except (TypeError, ValueError) as error:
        raise InvalidField(where, str(error)) from None


def _check_size(fleet: Fleet, blocks: list[Mapping[str, Any]], max_devices: int) -> None:
    total = len(fleet.devices)
    for block in blocks:
        count = block.get("count")
        if isinstance(count, int) and not isinstance(count, bool) and count > 0:
            total += count  # a bad count is refused, naming its field, by _generate
    if total > max_devices:
        raise InvalidField(
            "generate" if blocks else "devices",
            f"the fleet would hold {total:,} devices; at most {max_devices:,} may be loaded at "
            "once (SEC-04)",
        )


def _generate(fleet: Fleet, block: Mapping[str, Any], where: str, rng: random.Random) -> None:
    """A bulk block: `count` devices of one type and model, each with its own MPxN registered to
    the named supplier and network operator; `smets1_share` of them SMETS1."""
    count = _required(block, "count", where)
    if not isinstance(count, int) or count < 1:
        raise InvalidField(f"{where}.count", "must be a positive whole number")
    device_type = _enum(DeviceType, _required(block, "type", where), f"{where}.type")
    share = float(block.get("smets1_share", 0.0))
    if not 0.0 <= share <= 1.0:
        raise InvalidField(f"{where}.smets1_share", "must be between 0 and 1")
    prefix = str(_required(block, "id_prefix", where)).upper()
    if len(prefix.split("-")) != 3:
        raise InvalidField(f"{where}.id_prefix", "three octets, e.g. 00-DB-01")
    parse_eui64(f"{prefix}-00-00-00-00-00", f"{where}.id_prefix")
    if count > 2**40:
        raise InvalidField(f"{where}.count", "too many devices for the ID prefix")
    supplier = parse_eui64(_required(block, "supplier", where), f"{where}.supplier")
    operator = block.get("network_operator")
    operator = parse_eui64(operator, f"{where}.network_operator") if operator else None
    manufacturer = str(_required(block, "manufacturer", where))
    model = str(_required(block, "model", where))
    firmware = str(_required(block, "firmware", where))
    with _record_at(where, _DEVICE_KEYS):  # the block's one product, refused before any device
        check_product(manufacturer, model, firmware)
    status = _enum(SmiStatus, block.get("status", "Commissioned"), f"{where}.status")
    mpxn_base = int(block.get("mpxn_start", 3_000_000_000_000 if not device_type.is_gas else 0))
    supplier_role = UserRole.GAS_SUPPLIER if device_type.is_gas else UserRole.IMPORT_SUPPLIER
    operator_role = (
        UserRole.GAS_TRANSPORTER if device_type.is_gas else UserRole.ELECTRICITY_DISTRIBUTOR
    )
    width = 10 if device_type.is_gas else 13
    for n in range(count):
        suffix = f"{n:010X}"
        device_id = (
            f"{prefix}-{suffix[0:2]}-{suffix[2:4]}-{suffix[4:6]}-{suffix[6:8]}-{suffix[8:10]}"
        )
        mpxn = f"{(mpxn_base + n) % 10**width:0{width}d}"
        smets = SmetsVersion.SMETS1 if rng.random() < share else SmetsVersion.SMETS2
        fleet.devices.append(
            SmiRecord(
                device_id,
                device_type,
                smets,
                manufacturer,
                model,
                firmware,
                status,
                mpxn=mpxn,
                added_by=supplier,
            )
        )
        fleet.registrations.append(Registration(mpxn, supplier_role, supplier, _DEFAULT_START))
        if operator is not None:
            fleet.registrations.append(Registration(mpxn, operator_role, operator, _DEFAULT_START))
