"""Stage 4 of the pipeline for firmware: what the DSP makes of a firmware version a device reports
(DUIS 3.8.119.4 / 3.8.120.4 as amended by MP105). Pure: it returns the new SMI record and the DCC
Alerts to raise; the caller applies them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from dccsim.devices.firmware import ActivateImageResponseCode
from dccsim.server.core.baseline import Baseline
from dccsim.server.core.codes import DccAlertCode
from dccsim.server.core.inventory import Cpl
from dccsim.server.core.messages import DccAlertBody, DeviceStatusChange, FirmwareVersionMismatch
from dccsim.server.core.quick_init import quick_init
from dccsim.server.core.records import CplStatus, SmiRecord


@dataclass(frozen=True, slots=True)
class AlertIntent:
    """A DCC Alert to raise; `to_network_operator` adds the ED/GT to the Responsible Supplier."""

    code: DccAlertCode
    body: DccAlertBody
    to_network_operator: bool = False


@quick_init
@dataclass(frozen=True, slots=True)
class FirmwareOutcome:
    record: SmiRecord  # the record after processing (the same object if nothing changed)
    alerts: tuple[AlertIntent, ...] = ()


# N29 Device Restored from Suspension, to the Responsible Supplier and the Network Operator.
DEVICE_RESTORED = AlertIntent(
    DccAlertCode.DEVICE_RESTORED, DeviceStatusChange(restored=True), to_network_operator=True
)


def process_reported_version(record: SmiRecord, reported: str | None, cpl: Cpl) -> FirmwareOutcome:
    """FW-02 to FW-05: reconcile the SMI with the version a device reports."""
    if reported is None:
        return FirmwareOutcome(record)  # FW-05
    entry = cpl.get(record.manufacturer, record.model, reported)
    if entry is not None and entry.status is CplStatus.CURRENT:  # FW-02
        if not record.is_suspended:  # a Recovered device as it was before Recovery (AUTH-08)
            if reported == record.firmware_version:
                return FirmwareOutcome(record)  # the usual read: nothing to change
            return FirmwareOutcome(replace(record, firmware_version=reported))
        restored = replace(record, firmware_version=reported).restored()
        return FirmwareOutcome(restored, (DEVICE_RESTORED,))
    if reported == record.firmware_version:
        return FirmwareOutcome(record)
    mismatch = FirmwareVersionMismatch(record.device_type, record.firmware_version, reported)
    if entry is not None:  # FW-03: on the CPL but Removed: update, do not suspend, warn
        updated = replace(record, firmware_version=reported)
        return FirmwareOutcome(
            updated, (AlertIntent(DccAlertCode.FIRMWARE_NO_LONGER_VALID, mismatch),)
        )
    # FW-04: not on the CPL at all: warn, leave the SMI alone.
    return FirmwareOutcome(record, (AlertIntent(DccAlertCode.INVALID_FIRMWARE_VERSION, mismatch),))


def process_activation(
    record: SmiRecord,
    code: ActivateImageResponseCode | None,
    reported: str | None,
    cpl: Cpl,
    baseline: Baseline,
) -> FirmwareOutcome:
    """FW-01: an 11.3 response. Since MP105 the ActivateImageResponseCode is not a criterion;
    under the pre-MP105 baseline only a reported success updates the SMI (AUTH-11)."""
    if baseline is Baseline.PRE_MP105 and code is not ActivateImageResponseCode.SUCCESS:
        return FirmwareOutcome(record)
    return process_reported_version(record, reported, cpl)


def restore_with_hub(gpf: SmiRecord) -> FirmwareOutcome:
    """CPL-04: FW-02 has restored the CHF of this GPF's Comms Hub. The two run one firmware, so
    a Suspended GPF is restored with it, to the status it held before suspension, with its own
    N29. Its firmware version is its own record's and stays as it is."""
    if not gpf.is_suspended:
        return FirmwareOutcome(gpf)
    return FirmwareOutcome(gpf.restored(), (DEVICE_RESTORED,))


def process_gpf_reading(gsme: SmiRecord, reported_gsme_version: str | None) -> FirmwareOutcome:
    """FW-07: a GPF's report of its GSME's firmware never restores the GSME; a mismatch with
    the GSME's SMI record raises N52 and changes nothing else."""
    if reported_gsme_version is None or reported_gsme_version == gsme.firmware_version:
        return FirmwareOutcome(gsme)
    mismatch = FirmwareVersionMismatch(
        gsme.device_type, gsme.firmware_version, reported_gsme_version
    )
    return FirmwareOutcome(gsme, (AlertIntent(DccAlertCode.GSME_FIRMWARE_MISMATCH, mismatch),))
