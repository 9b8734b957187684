"""DUIS bodies of the HAN SRVs: 8.7.x JoinService(Non)Critical, 8.8.x UnjoinService(Non)Critical,
8.9 ReadDeviceLog, 8.11 UpdateHANDeviceLog, 8.12.1 RestoreHANDeviceLog and 8.12.2
RestoreGPFDeviceLog in; the MMC JoinService*Rsp, UnjoinService*Rsp, ReadDeviceLogRsp,
UpdateHANDeviceLogRsp, RestoreHANDeviceLogRsp and RestoreGPFDeviceLogRsp out.

The join, unjoin and restore response codes are MMC `StatusASN1` values; their `ResponseCode`
integers are the positions of the statuses in the MMC schema's lists for those commands (the GBCS
ASN.1 enumerations): success 0, then the command's failures in the order the schema lists them.
"""

from __future__ import annotations

import re

from lxml import etree

from dccsim.devices.han import HanStatus, JoinedDevice, WhitelistEntry
from dccsim.devices.kinds import DeviceType
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.services.han import (
    ChfDeviceLogRead,
    ChfWhitelisting,
    DeviceLogRead,
    GpfLogRestored,
    HanLogRequest,
    HanLogRestored,
    HanLogUpdated,
    JoinDevice,
    JoinOperation,
    JoinOutcome,
    ReadDeviceLog,
    RestoreGpfDeviceLog,
    RestoreHanDeviceLog,
    UnjoinDevice,
    UpdateHanDeviceLog,
)
from dccsim.server.duis.bodies.family import BodyFamily
from dccsim.server.duis.names import format_datetime
from dccsim.server.duis.reading import (
    BodyReading,
    Reader,
    optional_datetime,
    sequence,
    text_value,
    unsigned_value,
)
from dccsim.server.duis.writing import ra, sub

_HEX = re.compile(r"(?:[0-9A-Fa-f]{2})*")

# -- reading -------------------------------------------------------------------------------------


def _join_reader(kind: type[JoinDevice] | type[UnjoinDevice]) -> Reader:
    """JoinOrUnjoinDevice: the one OtherDeviceID."""

    def read(element: etree._Element, path: str) -> BodyReading:
        parts = sequence(element, path, [("OtherDeviceID", 1, 1)])
        other_path = f"{path}/OtherDeviceID"
        other = text_value(parts["OtherDeviceID"][0], other_path)
        return kind(other), None, {"body.other_device_id": other_path}

    return read


def _read_device_log(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(element, path, [("ExecutionDateTime", 0, 1), ("ReadSecurityDetails", 0, 1)])
    for flag in parts["ReadSecurityDetails"]:  # an empty complexType
        sequence(flag, f"{path}/ReadSecurityDetails", [])
    body = ReadDeviceLog(read_security_details=bool(parts["ReadSecurityDetails"]))
    return body, optional_datetime(parts, path), {}


def _update_han_device_log(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(
        element,
        path,
        [
            ("ExecutionDateTime", 0, 1),
            ("DeviceID", 1, 1),
            ("RequestType", 1, 1),
            ("AddDeviceToCHFWhitelist", 0, 1),
        ],
    )
    type_path = f"{path}/RequestType"
    request_type = text_value(parts["RequestType"][0], type_path)
    try:
        kind = HanLogRequest(request_type)
    except ValueError:
        raise InvalidField(type_path, f"{request_type!r} is not Add or Remove") from None
    whitelist_path = f"{path}/AddDeviceToCHFWhitelist"
    whitelists = parts["AddDeviceToCHFWhitelist"]
    whitelist = _whitelisting(whitelists[0], whitelist_path) if whitelists else None
    body = UpdateHanDeviceLog(text_value(parts["DeviceID"][0], f"{path}/DeviceID"), kind, whitelist)
    fields = {
        "body.device_id": f"{path}/DeviceID",
        "body.request_type": type_path,
        "body.whitelist": whitelist_path,
        "body.whitelist.join_time_period": f"{whitelist_path}/JoinTimePeriod",
        "body.whitelist.install_code": f"{whitelist_path}/InstallCode",
        "body.whitelist.import_mpxn": f"{whitelist_path}/ImportMPxN",
        "body.whitelist.secondary_import_mpan": f"{whitelist_path}/SecondaryImportMPAN",
        "body.whitelist.export_mpan": f"{whitelist_path}/ExportMPAN",
    }
    return body, optional_datetime(parts, path), fields


def _whitelisting(element: etree._Element, path: str) -> ChfWhitelisting:
    parts = sequence(
        element,
        path,
        [
            ("JoinTimePeriod", 1, 1),
            ("InstallCode", 1, 1),
            ("ImportMPxN", 0, 1),
            ("SecondaryImportMPAN", 0, 1),
            ("ExportMPAN", 0, 1),
        ],
    )
    code_path = f"{path}/InstallCode"
    code = text_value(parts["InstallCode"][0], code_path)
    if _HEX.fullmatch(code) is None:
        raise InvalidField(code_path, "is not xs:hexBinary (pairs of hex digits)")

    def optional(name: str) -> str | None:
        found = parts[name]
        return text_value(found[0], f"{path}/{name}") if found else None

    return ChfWhitelisting(
        join_time_period=unsigned_value(parts["JoinTimePeriod"][0], f"{path}/JoinTimePeriod"),
        install_code=bytes.fromhex(code),
        import_mpxn=optional("ImportMPxN"),
        secondary_import_mpan=optional("SecondaryImportMPAN"),
        export_mpan=optional("ExportMPAN"),
    )


def _restore_reader(
    kind: type[RestoreHanDeviceLog] | type[RestoreGpfDeviceLog], element_name: str, field: str
) -> Reader:
    def read(element: etree._Element, path: str) -> BodyReading:
        parts = sequence(element, path, [(element_name, 1, 1)])
        old_path = f"{path}/{element_name}"
        return kind(text_value(parts[element_name][0], old_path)), None, {field: old_path}

    return read


# -- writing -------------------------------------------------------------------------------------

_JOIN_CODES = {
    HanStatus.SUCCESS: 0,
    HanStatus.INVALID_JOIN_METHOD_AND_ROLE: 2,
    HanStatus.INCOMPATIBLE_WITH_EXISTING_ENTRY: 3,
    HanStatus.DEVICE_LOG_FULL: 4,
}
_UNJOIN_CODES = {HanStatus.SUCCESS: 0, HanStatus.OTHER_DEVICE_NOT_IN_DEVICE_LOG: 1}
_RESPONSE_ELEMENTS = {
    (JoinOperation.JOIN, True): "JoinServiceCriticalRsp",
    (JoinOperation.JOIN, False): "JoinServiceNonCriticalRsp",
    (JoinOperation.UNJOIN, True): "UnjoinServiceCriticalRsp",
    (JoinOperation.UNJOIN, False): "UnjoinServiceNonCriticalRsp",
}
# The MMC DeviceType of a log entry: IHDs, CADs and devices the SMI does not hold are Type 2.
_LOG_DEVICE_TYPES = {
    DeviceType.ESME: "ESME",
    DeviceType.GSME: "GSME",
    DeviceType.GPF: "GPF",
    DeviceType.CHF: "CHF",
    DeviceType.HCALCS: "HCALCS",
    DeviceType.PPMID: "PPMID",
}


def _asn1_status(element: etree._Element, status: HanStatus, codes: dict[HanStatus, int]) -> None:
    element.set("ResponseCode", str(codes[status]))
    sub(element, "ASN1Status", status.value)


def _join_rsp(outcome: JoinOutcome) -> etree._Element:
    element = etree.Element(ra(_RESPONSE_ELEMENTS[outcome.operation, outcome.critical]))
    if outcome.operation is JoinOperation.JOIN:
        _asn1_status(sub(element, "joinResponseCode"), outcome.status, _JOIN_CODES)
    else:
        _asn1_status(sub(element, "unjoinResponseCode"), outcome.status, _UNJOIN_CODES)
    return element


def _log_entry(parent: etree._Element, name: str, entry: JoinedDevice) -> None:
    element = sub(parent, name)
    sub(element, "DeviceID", entry.device_id)
    label = _LOG_DEVICE_TYPES.get(entry.device_type) if entry.device_type else None
    sub(element, "DeviceType", label or "Type2")


def _device_log_rsp(read: DeviceLogRead) -> etree._Element:
    element = etree.Element(ra("ReadDeviceLogRsp"))
    entries = sub(element, "DeviceLogEntries")
    for entry in read.entries:
        _log_entry(entries, "LogEntry", entry)
    return element


def _chf_device_log_rsp(read: ChfDeviceLogRead) -> etree._Element:
    element = etree.Element(ra("ReadDeviceLogRsp"))
    if not read.security_details:
        log = sub(element, "CHFDeviceLog")
        for entry in read.entries:
            item = sub(log, "CHFDeviceLogEntry")
            sub(item, "DeviceID", entry.device_id)
            sub(item, "LastCommunicationsDateTime", format_datetime(entry.written_at))
        return element
    log = sub(element, "CHFConnectedDeviceLog")
    for name, entries in (
        ("CHFCurrentConnectedDeviceLogEntry", read.entries),
        ("CHFHistoricConnectedDeviceLogEntry", read.historic),
    ):
        for entry in entries:
            _connected_entry(sub(log, name), entry)
    return element


def _connected_entry(element: etree._Element, entry: WhitelistEntry) -> None:
    sub(element, "DeviceID", entry.device_id)
    # The install code is what the CHF holds to secure the device's joining (at most 16
    # octets: 32 hex digits, DeviceSecurityDetails' maxLength).
    sub(element, "DeviceSecurityDetails", entry.install_code.hex().upper())


def _message_success(name: str, status: HanStatus) -> etree._Element:
    """An MMC response with no content but MessageSuccess (ServiceRequestBaseType)."""
    element = etree.Element(ra(name))
    element.set("MessageSuccess", "true" if status is HanStatus.SUCCESS else "false")
    return element


def _update_log_rsp(updated: HanLogUpdated) -> etree._Element:
    return _message_success("UpdateHANDeviceLogRsp", updated.status)


def _restore_han_rsp(restored: HanLogRestored) -> etree._Element:
    return _message_success("RestoreHANDeviceLogRsp", restored.status)


def _restore_gpf_rsp(restored: GpfLogRestored) -> etree._Element:
    element = etree.Element(ra("RestoreGPFDeviceLogRsp"))
    for outcome in restored.outcomes:
        item = sub(element, "RestoreDeviceLogOutcome")
        _log_entry(item, "DeviceLogEntry", outcome.entry)
        _asn1_status(sub(item, "joinResponseCode"), outcome.status, _JOIN_CODES)
    return element


FAMILY: BodyFamily = BodyFamily(
    readers={
        "8.7.1": ("JoinServiceCritical", _join_reader(JoinDevice)),
        "8.7.2": ("JoinServiceNonCritical", _join_reader(JoinDevice)),
        "8.8.1": ("UnjoinServiceCritical", _join_reader(UnjoinDevice)),
        "8.8.2": ("UnjoinServiceNonCritical", _join_reader(UnjoinDevice)),
        "8.9": ("ReadDeviceLog", _read_device_log),
        "8.11": ("UpdateHANDeviceLog", _update_han_device_log),
        "8.12.1": (
            "RestoreHANDeviceLog",
            _restore_reader(RestoreHanDeviceLog, "OldCHFID", "body.old_chf_id"),
        ),
        "8.12.2": (
            "RestoreGPFDeviceLog",
            _restore_reader(RestoreGpfDeviceLog, "OldGPFID", "body.old_gpf_id"),
        ),
    },
    mmc_writers={
        JoinOutcome: _join_rsp,
        DeviceLogRead: _device_log_rsp,
        ChfDeviceLogRead: _chf_device_log_rsp,
        HanLogUpdated: _update_log_rsp,
        HanLogRestored: _restore_han_rsp,
        GpfLogRestored: _restore_gpf_rsp,
    },
)
