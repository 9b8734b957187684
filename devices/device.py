"""A simulated device: what it runs, what it holds, and how it answers the DSP.

Devices know nothing of users, authorisation or the SMI; the DSP decides whether a command reaches
a device and what to make of the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dccsim.devices.auxiliary_loads import AuxiliaryLoads
from dccsim.devices.cin import CustomerIdentification
from dccsim.devices.codes import AlertCode, MessageCode, receipt_message_code
from dccsim.devices.configuration import DeviceConfiguration
from dccsim.devices.credentials import DeviceCredentials
from dccsim.devices.display import DisplayState
from dccsim.devices.firmware import (
    ActivateImageResponseCode,
    ActivationResult,
    FirmwareImage,
    ScheduledOutcome,
    SingleStepFirmware,
    TwoStepFirmware,
)
from dccsim.devices.han import HanState
from dccsim.devices.kinds import DeviceType, SmetsVersion
from dccsim.devices.meter_data import MeterData
from dccsim.devices.network_data import GasNetworkDataLog
from dccsim.devices.prepayment import PrepaymentState
from dccsim.devices.service_opt import AcbCredentials
from dccsim.devices.sub_ghz import SubGhzRadio
from dccsim.devices.tariff import Tariff


@dataclass(frozen=True, slots=True)
class FirmwareReading:
    """An 11.2 answer. A GPF also reports the GSME firmware version it holds (DEV-06)."""

    firmware_version: str
    gsme_firmware_version: str | None = None


@dataclass(frozen=True, slots=True)
class DeviceAlert:
    """An alert raised by a device, as the DSP receives it."""

    device_id: str
    message_code: MessageCode
    alert_code: AlertCode
    firmware_version: str | None = None
    image_hash: bytes | None = None
    # A future-dated activation's outcome (GBCS 0x00CA carries it).
    activation_code: ActivateImageResponseCode | None = None


@dataclass(slots=True)
class SimulatedDevice:
    device_id: str
    device_type: DeviceType
    smets: SmetsVersion
    manufacturer: str
    model: str
    firmware: TwoStepFirmware
    # A GPF relays its GSME's firmware; it reads the version from the GSME it serves.
    gsme: SimulatedDevice | None = None
    # UTRNs applied, oldest first. Most devices never see one: they share the empty tuple, and a
    # list is made at the first top-up (an empty list per device is 56 bytes x the fleet).
    top_ups: list[str] | tuple[()] = ()
    supplier_credentials: str | None = None
    clock_set: bool = False
    # The remote parties' and its own security credentials (6.15-6.24): made at first use.
    credentials: DeviceCredentials | None = None
    # HAN joins and the CHF's device log (8.7-8.12): made at a device's first HAN command.
    han: HanState | None = None
    # The CHF's sub-GHz radio (6.28-6.32): made at its first 6.28 or 6.29.
    sub_ghz: SubGhzRadio | None = None
    # The CIN a meter shows (9.1) and a GSME's Network Data Log (14.1): made when first sent.
    cin: CustomerIdentification | None = None
    network_data: GasNetworkDataLog | None = None
    # The ACB credentials an ESME trusts when they are no longer the DCC's (8.5 Service Opt Out);
    # None: the DCC's own, as installed.
    acb_credentials: AcbCredentials | None = None
    # An ESME's auxiliary controllers, calendars and boost button (6.14.1-7.16): made at its
    # first auxiliary load SR.
    auxiliary_loads: AuxiliaryLoads | None = None
    # Tariffs, prices, TOU/block registers and billing (1.1-1.2, 1.7, 4.1.2-4.1.4, 4.4.2-4.4.3,
    # 4.11, 6.8, 6.26): made at a meter's first tariff SR.
    tariff: Tariff | None = None
    # Configuration and logs (6.2.x-6.25, 3.3) and the display (3.1-3.5): made at first write.
    configuration: DeviceConfiguration | None = None
    display: DisplayState | None = None
    # Maximum demand, load limiting and RMS voltage counter settings (6.4, 6.18, 6.27): made at
    # a meter's first such write; its readings are derived, never stored.
    meter_data: MeterData | None = None
    # Payment mode, credit, debt, top-up logs and the supply state (1.5-2.5, 4.3-4.18, 6.2.9,
    # 7.1-7.4): made at a meter's first prepayment or supply SR.
    prepayment: PrepaymentState | None = None

    @classmethod
    def create(
        cls,
        device_id: str,
        device_type: DeviceType,
        smets: SmetsVersion,
        manufacturer: str,
        model: str,
        firmware_version: str,
    ) -> SimulatedDevice:
        machine = (
            SingleStepFirmware(firmware_version)
            if smets is SmetsVersion.SMETS1
            else TwoStepFirmware(firmware_version)
        )
        return cls(device_id, device_type, smets, manufacturer, model, machine)

    @property
    def running_version(self) -> str:
        return self.firmware.running_version

    @property
    def raises_distribution_receipts(self) -> bool:
        """SMETS1 images never reach the device at 11.1, so no receipt is raised (DEV-03)."""
        return self.smets is SmetsVersion.SMETS2

    # -- firmware -------------------------------------------------------------------------------

    def receive_image(self, image: FirmwareImage, *, verifies: bool = True) -> DeviceAlert | None:
        receipt = self.firmware.receive(image, verifies=verifies)
        if not self.raises_distribution_receipts:
            return None
        alert_code = (
            AlertCode.FIRMWARE_VERIFICATION_SUCCESSFUL
            if receipt.verified
            else AlertCode.FIRMWARE_VERIFICATION_FAILED
        )
        return DeviceAlert(
            self.device_id,
            receipt_message_code(self.device_type),
            alert_code,
            image_hash=receipt.image_hash,
        )

    def activate_firmware(
        self, image_hash: bytes, execute_at: datetime | None = None
    ) -> ActivationResult:
        if execute_at is None:
            return self.firmware.activate(image_hash)
        return self.firmware.schedule(image_hash, execute_at)

    def cancel_firmware_activation(self) -> ActivationResult:
        return self.firmware.cancel()

    def run_due_activation(self, now: datetime) -> DeviceAlert | None:
        """Execute a future-dated activation whose time has come, raising 0x00CA (FW-08)."""
        outcome: ScheduledOutcome | None = self.firmware.run_due(now)
        if outcome is None:
            return None
        alert_code = (
            AlertCode.FUTURE_DATED_COMMAND_ACTIONED
            if outcome.actioned
            else AlertCode.FUTURE_DATED_COMMAND_NOT_ACTIONED
        )
        return DeviceAlert(
            self.device_id,
            MessageCode.FUTURE_DATED_FIRMWARE_ACTIVATION,
            alert_code,
            firmware_version=outcome.result.firmware_version,
            activation_code=outcome.result.code,
        )

    def read_firmware_version(self) -> FirmwareReading:
        if self.device_type is DeviceType.GPF:
            gsme_version = self.gsme.running_version if self.gsme is not None else None
            return FirmwareReading(self.running_version, gsme_version)
        return FirmwareReading(self.running_version)

    # -- other commands the simulator serves ----------------------------------------------------

    def top_up(self, utrn: str) -> None:
        if isinstance(self.top_ups, tuple):
            self.top_ups = []
        self.top_ups.append(utrn)

    def set_clock(self) -> None:
        """Commissioning (8.1.1) sets the device clock."""
        self.clock_set = True

    def replace_supplier_credentials(self, supplier_id: str) -> None:
        """6.23: the incoming supplier's certificates replace the outgoing one's."""
        self.supplier_credentials = supplier_id
