"""Codes the DSP answers with: DUIS response codes and DCC Alert codes."""

from __future__ import annotations

from enum import StrEnum


class ResponseCode(StrEnum):
    """The DUIS `sr:ResponseCode` values the simulator uses (shared/reference lists them all)."""

    I0 = "I0"  # success
    I99 = "I99"  # acknowledgement; or non-device success with no XML data
    E1 = "E1"  # invalid user / user role
    E2 = "E2"  # user role not permitted to send this SRV
    E3 = "E3"  # invalid user status
    E4 = "E4"  # user / role not authorised for the device at the required time
    E5 = "E5"  # device SMI status incompatible with the SRV
    E11 = "E11"  # SRV not compatible with the device type
    E12 = "E12"  # SRV / Command Variant combination invalid
    E13 = "E13"  # request type invalid for the URL (BOXED-01: the wrong web service)
    E17 = "E17"  # not available for local delivery
    E19 = "E19"  # device does not exist
    E20 = "E20"  # communications failure: unable to communicate with the device
    E21 = "E21"  # communications failure: no response received from the device
    E30 = "E30"  # time-out of a future-dated command
    # Decision (REQ-02): DUIS gives E1000 no public meaning; dccsim answers a replayed or
    # non-increasing RequestID counter with it, so it cannot be mistaken for a documented code.
    E1000 = "E1000"
    # Decision (BOXED-03): E1001, also listed by DUIS without a public meaning, answers a request
    # whose XML signature is missing, broken or not its originator's (configurable:
    # dccsim.server.duis.signing.SignatureSettings).
    E1001 = "E1001"
    # Decision (GBCS-03): E1002, likewise without a public meaning, answers a CV 5/6/7 whose
    # SignedPreCommand is not the GBCS command dccsim transformed, signed with the DS key of the
    # User that asked for it (dccsim.server.runtime.gbcs_hooks).
    E1002 = "E1002"
    # Decision (SEC-04): E1003, listed by DUIS without a public meaning, refuses a Service
    # Request from a User whose outbox holds its limit of unacknowledged messages.
    E1003 = "E1003"
    # Decisions (DUIS gives these no public meaning; server/core/services/schedules.py):
    E050101 = "E050101"  # 5.1: scheduled SR, its Service Reference or user's version disagree
    E050102 = "E050102"  # 5.1: ScheduleStartDate before today
    E050103 = "E050103"  # 5.1: no due time between ScheduleStartDate and ScheduleEndDate
    E050105 = "E050105"  # 5.1: the log period starts after it ends
    E050107 = "E050107"  # 5.1: the User already holds 99 schedules for the device
    E050108 = "E050108"  # 5.1: no DSPScheduleID left to give
    E050201 = "E050201"  # 5.2: no such schedule
    E050202 = "E050202"  # 5.2: the schedule is another User's
    W050201 = "W050201"  # 5.2 by DeviceID: the User has no schedule for the device
    E050301 = "E050301"  # 5.3: no such schedule
    E050302 = "E050302"  # 5.3: the schedule is another User's
    W050301 = "W050301"  # 5.3 by DeviceID: the User has no schedule for the device
    E080201 = "E080201"  # Decision: 8.2 found no device for the search key
    E080301 = "E080301"  # Decision: 8.3's device is not in the SMI
    E080302 = "E080302"  # Decision: 8.3 by a user who is not its Responsible Supplier, or from a
    # status that cannot be decommissioned
    E080407 = "E080407"  # 8.4: device not in SMI, or status not valid for the update (INV-05)
    # Decisions (DUIS gives these no public meaning; server/core/services/service_opt.py):
    E080601 = "E080601"  # 8.6: the device is not in the SMI
    E080602 = "E080602"  # 8.6: the device is not opted out of DCC service
    E080604 = "E080604"  # 8.6: DeviceType is not the SMI's (or not an ESME)
    E080606 = "E080606"  # 8.6: ImportMPxN is not the device's MPxN in the SMI
    E080607 = "E080607"  # 8.6: the user is not the MPAN's registered Import Supplier
    # Decisions (server/core/services/local_command.py):
    E081301 = "E081301"  # 8.13: answers no local command dccsim issued to this user
    E081302 = "E081302"  # 8.13: the GBCS response's header does not match that command
    E081303 = "E081303"  # 8.13: that local command's response was already returned
    E081401 = "E081401"  # Decision: 8.14.x's device is not a CHF in the SMI
    E081402 = "E081402"  # Decision: 8.14.x from a CHF status the update cannot start from
    E120201 = "E120201"  # Decision: 12.2 pre-notifies a device already in the SMI
    W110101 = "W110101"  # 11.1 accepted with warnings (DSPUpdateFirmwareWarning)
    W110401 = "W110401"  # 11.4 accepted with warnings (DSPUpdatePPMIDFirmwareWarning)

    @property
    def is_error(self) -> bool:
        return self.startswith("E")


REPLAYED_COUNTER = ResponseCode.E1000
REFUSED_SIGNATURE = ResponseCode.E1001
# Decision (GBCS-03): DUIS gives no public code for a signed pre-command that fails its check;
# dccsim answers E1002, next to E1001 for a failed XML signature. Both configurable
# (`dccsim serve --signature-refused-code`, `--pre-command-refused-code`).
PRE_COMMAND_REFUSED = ResponseCode.E1002
OUTBOX_FULL = ResponseCode.E1003


class DccAlertCode(StrEnum):
    """DCC Alert codes the simulator raises."""

    # Decision: the sources name N29 for restoration but give no code for the CPL suspension
    # alert; dccsim sends the DeviceStatusChangeEvent/DeviceSuspended body with N28.
    DEVICE_SUSPENDED = "N28"
    DEVICE_RESTORED = "N29"  # Device Restored from Suspension (FW-02)
    CHANGE_OF_SUPPLIER_FAILED = "N26"  # Update Security Credentials (CoS) failed (ALERT-02)
    FIRMWARE_NO_LONGER_VALID = "N50"  # firmware version no longer valid on the CPL (FW-03)
    INVALID_FIRMWARE_VERSION = "N51"  # firmware version matches no CPL entry (FW-04)
    GSME_FIRMWARE_MISMATCH = "N52"  # GPF reports a GSME version unlike the SMI's (FW-07)
    # Decision: the sources give no code for the DSPScheduleRemoval alert (SRV-04).
    SCHEDULE_REMOVED = "N12"
