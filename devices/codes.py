"""GBCS message codes and device alert codes that the simulated devices raise.

Values from GBCS / MMC (see shared/reference/gbcs-message-and-alert-codes.txt); 0x012C is the
HCALCS Firmware Distribution Receipt Alert that MMC v5.2 introduced (DEV-05).
"""

from __future__ import annotations

from enum import IntEnum

from dccsim.devices.kinds import DeviceType


class MessageCode(IntEnum):
    """The GBCS message code a device alert travels in."""

    FUTURE_DATED_FIRMWARE_ACTIVATION = 0x00CA  # CS06 future-dated outcome alert
    FUTURE_DATED_SECURITY_CREDENTIALS = 0x00CB  # CS02b (6.15.1) future-dated outcome alert
    FUTURE_DATED_COSEM = 0x00CC  # a future-dated DLMS COSEM command's outcome alert
    FIRMWARE_DISTRIBUTION_RECEIPT_DLMS = 0x00CE  # ESME and Comms Hub (CHF/GPF)
    FIRMWARE_DISTRIBUTION_RECEIPT_ZIGBEE = 0x00CF  # GSME and PPMID
    FIRMWARE_DISTRIBUTION_RECEIPT_HCALCS = 0x012C  # MMC v5.2


class AlertCode(IntEnum):
    FIRMWARE_VERIFICATION_FAILED = 0x8F1C
    FIRMWARE_VERIFICATION_SUCCESSFUL = 0x8F72
    FUTURE_DATED_COMMAND_ACTIONED = 0x8F66
    FUTURE_DATED_COMMAND_NOT_ACTIONED = 0x8F67


def receipt_message_code(device_type: DeviceType) -> MessageCode:
    """The message code that carries a Firmware Distribution Receipt for this device type."""
    if device_type is DeviceType.HCALCS:
        return MessageCode.FIRMWARE_DISTRIBUTION_RECEIPT_HCALCS
    if device_type in (DeviceType.GSME, DeviceType.PPMID):
        return MessageCode.FIRMWARE_DISTRIBUTION_RECEIPT_ZIGBEE
    return MessageCode.FIRMWARE_DISTRIBUTION_RECEIPT_DLMS
