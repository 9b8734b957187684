"""HAN SRVs: 8.7.1 / 8.7.2 Join Service, 8.8.1 / 8.8.2 Unjoin Service, 8.9 Read Device Log,
8.11 Update HAN Device Log, 8.12.1 Restore HAN Device Log and 8.12.2 Restore GPF Device Log.

What the devices hold (`dccsim.devices.han`): the CHF keeps its device log (the HAN devices
allowed to join, with their install codes); every other device keeps the devices it is joined to.
The DSP keeps its own record of the CHF's and the GPF's device logs from the responses it hears
(`DspState.device_logs`): what 8.12.1 / 8.12.2 restore to a replacement CHF or GPF.

Device types (REQ-06, E11), from the GBCS use cases and the RTDS templates' targets:
- 8.7.1 / 8.8.1 (critical; CS03A1, CS03A2, CS03C, CS04AC): ESME, GSME, HCALCS.
- 8.7.2 / 8.8.2 (non-critical; CS03A2, CS03B, CS03C, CS04AC, CS04B): ESME, GSME, GPF, PPMID.
- 8.9 (CS07 to any device's log, CCS04-CCS07 to the CHF's): ESME, GSME, GPF, CHF, PPMID, HCALCS.
- 8.11 (CCS01, CCS02) and 8.12.1 (CCS03): CHF. 8.12.2 (GCS59): GPF.

Decisions (DUIS and SPEC are silent; docs/decisions.md "HAN join, unjoin and device logs"):
- The other device of a join need not be in the SMI: one that is not is taken as a Type 2 device
  (an IHD or CAD), which the DCC does not inventory. Joining a device to itself or to a CHF (whose
  log 8.11 manages) answers `invalidJoinMethodAndRole`; joining a device already joined as another
  kind of device answers `incompatibleWithExistingEntry`; a seventeenth entry `deviceLogFull`.
  Unjoining a device that is not joined answers `otherDeviceNotInDeviceLog`. Each join or unjoin
  changes only the target's own log: GBCS joins the two sides with a command to each.
- 8.11 Add needs AddDeviceToCHFWhitelist and Remove must not carry it (InvalidField otherwise).
  Adding a device already in the log rewrites its entry; a full log (16 entries, the MMC bound) or
  removing a device not in the log answers UpdateHANDeviceLogRsp with MessageSuccess="false", the
  log unchanged. A removed entry is kept in the CHF's history (CHFHistoricConnectedDeviceLog).
- 8.9 with ReadSecurityDetails to a CHF answers CHFConnectedDeviceLog (current entries with their
  install codes as DeviceSecurityDetails, and removed ones as historic); without it,
  CHFDeviceLog, each entry's LastCommunicationsDateTime being when it was last written (the
  simulated HAN has no traffic of its own). To another device it answers DeviceLogEntries
  (ReadSecurityDetails is ignored: only a CHF holds security details).
- 8.12.x restore the DSP's record of the old device's log (an old device it holds no record of
  restores nothing) by adding each entry to the target's log; the old device need not be in the
  SMI. The pipeline has no DSP-side refusal for device SRs, so no E0812xx code is given.
- A 3000-12-31 cancellation of a held 8.11 changes nothing; the device answers at once.
- A device starts with an empty HAN state: fleets carry no HAN bindings.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from functools import partial
from typing import TypeVar

from dccsim.devices.device import SimulatedDevice
from dccsim.devices.han import (
    DeviceLogEntry,
    HanStatus,
    JoinedDevice,
    WhitelistEntry,
    han_if_any,
    han_of,
)
from dccsim.devices.kinds import DeviceType
from dccsim.server.core.delivery import Outcome, nothing
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.eui import parse_eui64
from dccsim.server.core.fields import check_int, check_mpxn, check_text
from dccsim.server.core.requests import ServiceRequest
from dccsim.server.core.services.registry import Family
from dccsim.server.core.state import DspState

family: Family = Family()

T = TypeVar("T")

_CRITICAL_JOIN = (DeviceType.ESME, DeviceType.GSME, DeviceType.HCALCS)
_NON_CRITICAL_JOIN = (DeviceType.ESME, DeviceType.GSME, DeviceType.GPF, DeviceType.PPMID)
_HAS_DEVICE_LOG = (
    DeviceType.ESME,
    DeviceType.GSME,
    DeviceType.GPF,
    DeviceType.CHF,
    DeviceType.PPMID,
    DeviceType.HCALCS,
)
MAX_JOIN_TIME_PERIOD = 3600  # seconds (AddDeviceToCHFWhitelist/JoinTimePeriod)
INSTALL_CODE_OCTETS = (6, 16)  # xs:hexBinary minLength / maxLength
MPAN_LENGTH = 13


# -- request bodies ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class JoinDevice:
    """8.7.1 JoinServiceCritical / 8.7.2 JoinServiceNonCritical."""

    other_device_id: str


@dataclass(frozen=True, slots=True)
class UnjoinDevice:
    """8.8.1 UnjoinServiceCritical / 8.8.2 UnjoinServiceNonCritical."""

    other_device_id: str


@dataclass(frozen=True, slots=True)
class ReadDeviceLog:
    """8.9: `read_security_details` asks a CHF for its entries' install codes (CCS07)."""

    read_security_details: bool = False


class HanLogRequest(StrEnum):
    """UpdateHANDeviceLog/RequestType."""

    ADD = "Add"
    REMOVE = "Remove"


@dataclass(frozen=True, slots=True)
class ChfWhitelisting:
    """AddDeviceToCHFWhitelist: what the CHF needs to let the device join."""

    join_time_period: int  # seconds, 1-3600
    install_code: bytes  # 6-16 octets
    import_mpxn: str | None = None
    secondary_import_mpan: str | None = None
    export_mpan: str | None = None


@dataclass(frozen=True, slots=True)
class UpdateHanDeviceLog:
    """8.11: add a device to (or remove one from) the CHF's device log."""

    device_id: str
    request_type: HanLogRequest
    whitelist: ChfWhitelisting | None = None


@dataclass(frozen=True, slots=True)
class RestoreHanDeviceLog:
    """8.12.1: the replacement CHF gets the old CHF's device log, as the DSP holds it."""

    old_chf_id: str


@dataclass(frozen=True, slots=True)
class RestoreGpfDeviceLog:
    """8.12.2: the replacement GPF gets the old GPF's device log, as the DSP holds it."""

    old_gpf_id: str


# -- response bodies -----------------------------------------------------------------------------


class JoinOperation(StrEnum):
    JOIN = "join"
    UNJOIN = "unjoin"


@dataclass(frozen=True, slots=True)
class JoinOutcome:
    """8.7.x / 8.8.x: the device's join or unjoin response code."""

    operation: JoinOperation
    critical: bool
    status: HanStatus


@dataclass(frozen=True, slots=True)
class DeviceLogRead:
    """8.9 to a device other than a CHF: the devices it is joined to."""

    entries: tuple[JoinedDevice, ...]


@dataclass(frozen=True, slots=True)
class ChfDeviceLogRead:
    """8.9 to a CHF: its device log; with security details, also the entries it removed."""

    entries: tuple[WhitelistEntry, ...]
    security_details: bool
    historic: tuple[WhitelistEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class HanLogUpdated:
    """8.11: UpdateHANDeviceLogRsp carries no data but whether the CHF did it."""

    status: HanStatus


@dataclass(frozen=True, slots=True)
class HanLogRestored:
    """8.12.1: the entries the CHF took; `status` is the first failure, if any."""

    restored: tuple[str, ...]
    status: HanStatus


@dataclass(frozen=True, slots=True)
class RestoreOutcome:
    entry: JoinedDevice
    status: HanStatus


@dataclass(frozen=True, slots=True)
class GpfLogRestored:
    """8.12.2: one outcome per entry of the old GPF's log."""

    outcomes: tuple[RestoreOutcome, ...]


# -- checks --------------------------------------------------------------------------------------


def _check_join(body: JoinDevice | UnjoinDevice) -> None:
    parse_eui64(body.other_device_id, "body.other_device_id")


def _check_read_log(body: ReadDeviceLog) -> None:
    if not isinstance(body.read_security_details, bool):
        raise InvalidField("body.read_security_details", "must be true or false")


def _check_update_log(body: UpdateHanDeviceLog) -> None:
    parse_eui64(body.device_id, "body.device_id")
    if not isinstance(body.request_type, HanLogRequest):
        raise InvalidField("body.request_type", f"{body.request_type!r} is not Add or Remove")
    if body.request_type is HanLogRequest.REMOVE:
        if body.whitelist is not None:
            raise InvalidField("body.whitelist", "a Remove carries no AddDeviceToCHFWhitelist")
        return
    if not isinstance(body.whitelist, ChfWhitelisting):
        raise InvalidField("body.whitelist", "an Add needs AddDeviceToCHFWhitelist")
    _check_whitelisting(body.whitelist)


def _check_whitelisting(whitelist: ChfWhitelisting) -> None:
    check_int(
        whitelist.join_time_period,
        "body.whitelist.join_time_period",
        low=1,
        high=MAX_JOIN_TIME_PERIOD,
    )
    code = whitelist.install_code
    low, high = INSTALL_CODE_OCTETS
    if not isinstance(code, bytes) or not low <= len(code) <= high:
        raise InvalidField("body.whitelist.install_code", f"must be {low} to {high} octets")
    if whitelist.import_mpxn is not None:
        check_mpxn(whitelist.import_mpxn, "body.whitelist.import_mpxn")
    for name in ("secondary_import_mpan", "export_mpan"):
        value = getattr(whitelist, name)
        if value is not None:
            check_text(
                value, f"body.whitelist.{name}", min_length=MPAN_LENGTH, max_length=MPAN_LENGTH
            )


def _check_restore_han(body: RestoreHanDeviceLog) -> None:
    parse_eui64(body.old_chf_id, "body.old_chf_id")


def _check_restore_gpf(body: RestoreGpfDeviceLog) -> None:
    parse_eui64(body.old_gpf_id, "body.old_gpf_id")


# -- 8.7 join and 8.8 unjoin ---------------------------------------------------------------------


def _other_device(state: DspState, other_id: str) -> JoinedDevice:
    """The other device as the target's log will hold it: its SMI device type, or a Type 2
    device (None) when the SMI does not hold it."""
    record = state.smi.get(other_id)
    return JoinedDevice(other_id, None if record is None else record.device_type)


def _join(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    body = request.body
    assert isinstance(body, JoinDevice)
    other = _other_device(state, body.other_device_id.upper())
    critical = request.srv == "8.7.1"
    if other.device_id == device.device_id or other.device_type is DeviceType.CHF:
        status = HanStatus.INVALID_JOIN_METHOD_AND_ROLE
    else:
        status = han_of(device).join(other)
    on_heard = nothing
    if status is HanStatus.SUCCESS and device.device_type is DeviceType.GPF:
        on_heard = partial(_record_added, state, device.device_id, (other,))
    return JoinOutcome(JoinOperation.JOIN, critical, status), on_heard


def _unjoin(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    body = request.body
    assert isinstance(body, UnjoinDevice)
    other_id = body.other_device_id.upper()
    critical = request.srv == "8.8.1"
    han = han_if_any(device)
    status = HanStatus.OTHER_DEVICE_NOT_IN_DEVICE_LOG if han is None else han.unjoin(other_id)
    on_heard = nothing
    if status is HanStatus.SUCCESS and device.device_type is DeviceType.GPF:
        on_heard = partial(_record_removed, state, device.device_id, other_id)
    return JoinOutcome(JoinOperation.UNJOIN, critical, status), on_heard


@family.device(
    "8.7.1",
    body=JoinDevice,
    check=_check_join,
    device_types=_CRITICAL_JOIN,
    responses=(JoinOutcome,),
)
def join_critical(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    return _join(state, request, device)


@family.device(
    "8.7.2",
    body=JoinDevice,
    check=_check_join,
    device_types=_NON_CRITICAL_JOIN,
    responses=(JoinOutcome,),
)
def join_non_critical(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    return _join(state, request, device)


@family.device(
    "8.8.1",
    body=UnjoinDevice,
    check=_check_join,
    device_types=_CRITICAL_JOIN,
    responses=(JoinOutcome,),
)
def unjoin_critical(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    return _unjoin(state, request, device)


@family.device(
    "8.8.2",
    body=UnjoinDevice,
    check=_check_join,
    device_types=_NON_CRITICAL_JOIN,
    responses=(JoinOutcome,),
)
def unjoin_non_critical(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    return _unjoin(state, request, device)


# -- 8.9 Read Device Log -------------------------------------------------------------------------


@family.device(
    "8.9",
    body=ReadDeviceLog,
    check=_check_read_log,
    device_types=_HAS_DEVICE_LOG,
    responses=(DeviceLogRead, ChfDeviceLogRead),
)
def read_device_log(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    body = request.body
    assert isinstance(body, ReadDeviceLog)
    han = han_if_any(device)  # a read of an untouched device makes no state
    if device.device_type is DeviceType.CHF:
        if han is None:
            return ChfDeviceLogRead((), body.read_security_details), nothing
        historic = tuple(han.removed) if body.read_security_details else ()
        return ChfDeviceLogRead(han.log(), body.read_security_details, historic), nothing
    return DeviceLogRead(() if han is None else han.joined_devices()), nothing


# -- 8.11 Update HAN Device Log ------------------------------------------------------------------


@family.device(
    "8.11",
    body=UpdateHanDeviceLog,
    check=_check_update_log,
    device_types=(DeviceType.CHF,),
    responses=(HanLogUpdated,),
)
def update_han_device_log(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    body = request.body
    assert isinstance(body, UpdateHanDeviceLog)
    if request.is_cancellation:
        # The DSP has dropped the 8.11 it held (SRV-05): nothing reaches the CHF's log.
        return HanLogUpdated(HanStatus.SUCCESS), nothing
    device_id = body.device_id.upper()
    han = han_of(device)
    if body.request_type is HanLogRequest.REMOVE:
        status = han.remove_from_log(device_id)
        on_heard = partial(_record_removed, state, device.device_id, device_id)
    else:
        assert body.whitelist is not None
        entry = WhitelistEntry(
            device_id, body.whitelist.install_code, body.whitelist.join_time_period, state.now()
        )
        status = han.add_to_log(entry)
        on_heard = partial(_record_added, state, device.device_id, (entry,))
    return HanLogUpdated(status), on_heard if status is HanStatus.SUCCESS else nothing


# -- 8.12 Restore HAN / GPF Device Log -----------------------------------------------------------


@family.device(
    "8.12.1",
    body=RestoreHanDeviceLog,
    check=_check_restore_han,
    device_types=(DeviceType.CHF,),
    responses=(HanLogRestored,),
)
def restore_han_device_log(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    body = request.body
    assert isinstance(body, RestoreHanDeviceLog)
    now = state.now()
    han = han_of(device)
    restored: list[WhitelistEntry] = []
    status = HanStatus.SUCCESS
    for entry in _recorded(state, body.old_chf_id, WhitelistEntry):
        written = replace(entry, written_at=now)
        result = han.add_to_log(written)
        if result is HanStatus.SUCCESS:
            restored.append(written)
        elif status is HanStatus.SUCCESS:
            status = result
    on_heard = partial(_record_added, state, device.device_id, tuple(restored))
    ids = tuple(entry.device_id for entry in restored)
    return HanLogRestored(ids, status), on_heard if restored else nothing


@family.device(
    "8.12.2",
    body=RestoreGpfDeviceLog,
    check=_check_restore_gpf,
    device_types=(DeviceType.GPF,),
    responses=(GpfLogRestored,),
)
def restore_gpf_device_log(
    state: DspState, request: ServiceRequest, device: SimulatedDevice
) -> Outcome:
    body = request.body
    assert isinstance(body, RestoreGpfDeviceLog)
    han = han_of(device)
    outcomes = tuple(
        RestoreOutcome(entry, han.join(entry))
        for entry in _recorded(state, body.old_gpf_id, JoinedDevice)
    )
    joined = tuple(o.entry for o in outcomes if o.status is HanStatus.SUCCESS)
    on_heard = partial(_record_added, state, device.device_id, joined)
    return GpfLogRestored(outcomes), on_heard if joined else nothing


# -- the DSP's record of device logs -------------------------------------------------------------


def _recorded(state: DspState, device_id: str, kind: type[T]) -> list[T]:
    return [e for e in state.device_logs.get(device_id.upper(), ()) if isinstance(e, kind)]


def _record_added(state: DspState, device_id: str, entries: tuple[DeviceLogEntry, ...]) -> None:
    """On hearing a success: the entries are in the device's log (an entry for the same device
    replaces the one held)."""
    added = {entry.device_id for entry in entries}
    kept = tuple(e for e in state.device_logs.get(device_id, ()) if e.device_id not in added)
    state.device_logs[device_id] = kept + entries


def _record_removed(state: DspState, device_id: str, removed_id: str) -> None:
    kept = tuple(e for e in state.device_logs.get(device_id, ()) if e.device_id != removed_id)
    if kept:
        state.device_logs[device_id] = kept
    else:
        state.device_logs.pop(device_id, None)
