"""The MMC payloads of device-originated alerts (SRV-06), inside a DeviceAlertContent's Payload
(ra:DeviceAlertMessagePayload): SupplyOutageRestoreAlert (0x8F35..0x8F3C: interruptionValue,
restorationValue) and SmartMeterIntegrityIssueWarningDeviceAlert (0x81A0: Warning). Most alerts
bring no data, and their DeviceAlertContent has no Payload (it is optional in MMC 5.1 and 5.3).
"""

from __future__ import annotations

from lxml import etree

from dccsim.devices.alerts import DeviceAlertPayload, IntegrityWarning, SupplyOutageRestore
from dccsim.server.duis.names import format_datetime
from dccsim.server.duis.writing import sub


def write_device_alert_payload(payload: etree._Element, data: DeviceAlertPayload) -> None:
    match data:
        case SupplyOutageRestore(interrupted_at=interrupted, restored_at=restored):
            element = sub(payload, "SupplyOutageRestoreAlert")
            sub(element, "interruptionValue", format_datetime(interrupted))
            sub(element, "restorationValue", format_datetime(restored or interrupted))
        case IntegrityWarning(warning=warning):
            element = sub(payload, "SmartMeterIntegrityIssueWarningDeviceAlert")
            sub(element, "Warning", str(warning))
        case other:  # pragma: no cover - DeviceAlertPayload is exhausted above
            raise TypeError(f"no MMC form for {type(other).__name__}")
