"""gRPC messages of the HAN SRVs: 8.7.x join, 8.8.x unjoin, 8.9 Read Device Log, 8.11 Update HAN
Device Log and 8.12.x Restore HAN / GPF Device Log (han.proto)."""

from __future__ import annotations

from typing import Literal

from dccsim.devices.han import JoinedDevice, WhitelistEntry
from dccsim.server.core.services.han import (
    ChfDeviceLogRead,
    ChfWhitelisting,
    DeviceLogRead,
    GpfLogRestored,
    HanLogRequest,
    HanLogRestored,
    HanLogUpdated,
    JoinDevice,
    JoinOutcome,
    ReadDeviceLog,
    RestoreGpfDeviceLog,
    RestoreHanDeviceLog,
    UnjoinDevice,
    UpdateHanDeviceLog,
)
from dccsim.server.rpc.bodies.family import MessageFamily
from dccsim.server.rpc.wire import DEVICE_TYPES, EnumMap, timestamp
from dccsim.v1 import han_pb2, supplier_pb2

REQUEST_TYPES = EnumMap(HanLogRequest, han_pb2.HanLogRequestType)

# -- requests ------------------------------------------------------------------------------------


def _join(message: han_pb2.JoinDevice) -> JoinDevice:
    return JoinDevice(message.other_device_id)


def _unjoin(message: han_pb2.UnjoinDevice) -> UnjoinDevice:
    return UnjoinDevice(message.other_device_id)


def _read_log(message: han_pb2.ReadDeviceLog) -> ReadDeviceLog:
    return ReadDeviceLog(message.read_security_details)


def _update_log(message: han_pb2.UpdateHanDeviceLog) -> UpdateHanDeviceLog:
    request_type = REQUEST_TYPES.to_core(message.request_type, "body.request_type")
    assert request_type is not None
    whitelist = _whitelisting(message.whitelist) if message.HasField("whitelist") else None
    return UpdateHanDeviceLog(message.device_id, request_type, whitelist)


def _whitelisting(message: han_pb2.ChfWhitelisting) -> ChfWhitelisting:
    def optional(
        name: Literal["import_mpxn", "secondary_import_mpan", "export_mpan"],
    ) -> str | None:
        return getattr(message, name) if message.HasField(name) else None

    return ChfWhitelisting(
        join_time_period=message.join_time_period,
        install_code=message.install_code,
        import_mpxn=optional("import_mpxn"),
        secondary_import_mpan=optional("secondary_import_mpan"),
        export_mpan=optional("export_mpan"),
    )


def _restore_han(message: han_pb2.RestoreHanDeviceLog) -> RestoreHanDeviceLog:
    return RestoreHanDeviceLog(message.old_chf_id)


def _restore_gpf(message: han_pb2.RestoreGpfDeviceLog) -> RestoreGpfDeviceLog:
    return RestoreGpfDeviceLog(message.old_gpf_id)


# -- device responses ----------------------------------------------------------------------------


def _log_entry(into: han_pb2.HanLogEntry, entry: JoinedDevice) -> None:
    into.device_id = entry.device_id
    into.device_type = DEVICE_TYPES.to_proto(entry.device_type)


def _chf_entry(into: han_pb2.ChfLogEntry, entry: WhitelistEntry, security: bool) -> None:
    into.device_id = entry.device_id
    into.last_written.CopyFrom(timestamp(entry.written_at))
    if security:
        into.install_code = entry.install_code


def _join_outcome(response: supplier_pb2.ServiceResponse, outcome: JoinOutcome) -> None:
    response.han_join_outcome.status = outcome.status.value


def _device_log(response: supplier_pb2.ServiceResponse, read: DeviceLogRead) -> None:
    out = response.device_log_read
    out.SetInParent()  # an empty log is still this answer
    for entry in read.entries:
        _log_entry(out.entries.add(), entry)


def _chf_device_log(response: supplier_pb2.ServiceResponse, read: ChfDeviceLogRead) -> None:
    out = response.chf_device_log_read
    out.security_details = read.security_details
    out.SetInParent()
    for entry in read.entries:
        _chf_entry(out.entries.add(), entry, read.security_details)
    for entry in read.historic:
        _chf_entry(out.historic.add(), entry, read.security_details)


def _log_updated(response: supplier_pb2.ServiceResponse, updated: HanLogUpdated) -> None:
    response.han_log_updated.status = updated.status.value


def _log_restored(response: supplier_pb2.ServiceResponse, restored: HanLogRestored) -> None:
    out = response.han_log_restored
    out.status = restored.status.value
    out.restored_device_ids.extend(restored.restored)


def _gpf_log_restored(response: supplier_pb2.ServiceResponse, restored: GpfLogRestored) -> None:
    out = response.gpf_log_restored
    out.SetInParent()
    for outcome in restored.outcomes:
        item = out.outcomes.add()
        _log_entry(item.entry, outcome.entry)
        item.status = outcome.status.value


FAMILY = MessageFamily(
    readers={
        "join_device": (JoinDevice, _join),
        "unjoin_device": (UnjoinDevice, _unjoin),
        "read_device_log": (ReadDeviceLog, _read_log),
        "update_han_device_log": (UpdateHanDeviceLog, _update_log),
        "restore_han_device_log": (RestoreHanDeviceLog, _restore_han),
        "restore_gpf_device_log": (RestoreGpfDeviceLog, _restore_gpf),
    },
    response_fillers={
        JoinOutcome: _join_outcome,
        DeviceLogRead: _device_log,
        ChfDeviceLogRead: _chf_device_log,
        HanLogUpdated: _log_updated,
        HanLogRestored: _log_restored,
        GpfLogRestored: _gpf_log_restored,
    },
)
