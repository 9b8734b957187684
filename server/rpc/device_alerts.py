"""gRPC forms of device-originated alerts (SRV-06): RaiseDeviceAlert's request and answer, and
what a delivered DeviceAlert carries of a device's own alert (its name and MMC payload)."""

from __future__ import annotations

from dccsim.devices.alerts import (
    DeviceAlertPayload,
    IntegrityWarning,
    IntegrityWarningKind,
    SupplyOutageRestore,
    alert_name,
)
from dccsim.server.core.commands import RaiseDeviceAlert
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.messages import DeviceAlertMessage
from dccsim.server.rpc.wire import from_timestamp, timestamp
from dccsim.v1 import control_pb2, supplier_pb2


def raise_device_alert(request: control_pb2.RaiseDeviceAlertRequest) -> RaiseDeviceAlert:
    """The core command for a RaiseDeviceAlertRequest; the core checks the device and the code."""
    if not request.device_id:
        raise InvalidField("device_id", "is required")
    if not request.alert_code:
        raise InvalidField("alert_code", "is required")
    payload: DeviceAlertPayload | None = None
    if request.HasField("interrupted_at"):
        payload = SupplyOutageRestore(from_timestamp(request.interrupted_at, "interrupted_at"))
    if request.integrity_warning:
        if payload is not None:
            raise InvalidField("integrity_warning", "an alert carries one payload")
        try:
            kind = IntegrityWarningKind(request.integrity_warning)
        except ValueError:
            allowed = ", ".join(k.value for k in IntegrityWarningKind)
            raise InvalidField(
                "integrity_warning", f"{request.integrity_warning!r} is not one of {allowed}"
            ) from None
        payload = IntegrityWarning(kind)
    return RaiseDeviceAlert(request.device_id, request.alert_code, payload)


def raised(
    command: RaiseDeviceAlert, recipients: tuple[str, ...]
) -> control_pb2.RaiseDeviceAlertResponse:
    return control_pb2.RaiseDeviceAlertResponse(
        device_id=command.device_id,
        alert_code=command.alert_code,
        alert_name=alert_name(command.alert_code),
        recipients=recipients,
    )


def fill_device_alert_payload(out: supplier_pb2.DeviceAlert, alert: DeviceAlertMessage) -> None:
    out.alert_name = alert_name(alert.alert_code)
    match alert.payload:
        case SupplyOutageRestore(interrupted_at=interrupted, restored_at=restored):
            out.supply_outage_restore.interrupted_at.CopyFrom(timestamp(interrupted))
            out.supply_outage_restore.restored_at.CopyFrom(timestamp(restored or interrupted))
        case IntegrityWarning(warning=warning):
            out.integrity_warning = str(warning)
