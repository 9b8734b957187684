"""The DSP's state, and the few operations every stage shares: storing a record, delivering a
message to a user's outbox, and raising DCC Alerts to exactly the recipients SPEC names."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from dccsim.devices.han import DeviceLogEntry
from dccsim.devices.kinds import DeviceType
from dccsim.devices.network import DeviceNetwork
from dccsim.server.core.baseline import Baseline
from dccsim.server.core.clock import Scheduler, VirtualClock
from dccsim.server.core.codes import DccAlertCode
from dccsim.server.core.faults import FaultPlan
from dccsim.server.core.firmware_processing import AlertIntent, restore_with_hub
from dccsim.server.core.inventory import Cpl, Smi
from dccsim.server.core.journal import EventKind, Journal
from dccsim.server.core.local_commands import LocalCommands
from dccsim.server.core.messages import ChangeOfSupplier, DccAlertMessage, OutboundMessage
from dccsim.server.core.outbox import Outboxes
from dccsim.server.core.records import SmiRecord, User
from dccsim.server.core.registration import RegistrationData
from dccsim.server.core.schedules import ScheduleBook

# The DCC Access Control Broker: the target of every non-device SR (AUTH-04).
DEFAULT_ACB_ID = "90-B3-D5-1F-30-00-00-02"


@dataclass
class DspState:
    clock: VirtualClock = field(default_factory=VirtualClock)
    baseline: Baseline = Baseline.CURRENT
    acb_id: str = DEFAULT_ACB_ID
    faults: FaultPlan = field(default_factory=FaultPlan)
    users: dict[str, User] = field(default_factory=dict)
    registrations: RegistrationData = field(default_factory=RegistrationData)
    smi: Smi = field(default_factory=Smi)
    cpl: Cpl = field(default_factory=Cpl)
    network: DeviceNetwork = field(default_factory=DeviceNetwork)
    outboxes: Outboxes = field(default_factory=Outboxes)
    journal: Journal = field(default_factory=Journal)
    scheduler: Scheduler = field(default_factory=Scheduler)
    # Device ID -> ECoSErrorCode: the ECoS party will refuse the next 6.23 for that device.
    ecos_failures: dict[str, str] = field(default_factory=dict)
    # The local commands issued (CV 2/6), for 8.13 Return Local Command Response to answer.
    local_commands: LocalCommands = field(default_factory=LocalCommands)
    # The DCC Schedules of 5.1 Create Schedule (SRV-04); each held timer runs one of them.
    schedules: ScheduleBook = field(default_factory=ScheduleBook)
    # The DSP's record of device logs (a CHF's whitelist, a GPF's joins), kept from the device
    # responses it hears: what 8.12.1 / 8.12.2 restore to a replacement device.
    device_logs: dict[str, tuple[DeviceLogEntry, ...]] = field(default_factory=dict)
    # Device ID -> when its supply was interrupted (0x8F57 raised, SRV-06), until an outage-restored
    # alert reports the outage with that start.
    supply_interruptions: dict[str, datetime] = field(default_factory=dict)

    def now(self) -> datetime:
        return self.clock.now()

    def store(self, record: SmiRecord, why: str) -> None:
        old = self.smi.get(record.device_id)
        self.smi.put(record)
        if old is None or old.status is not record.status:
            self.journal.record(
                self.now(),
                EventKind.SMI_CHANGE,
                why,
                device=record.device_id,
                status=record.status,
                was=old.status if old else "",
            )
        elif old.firmware_version != record.firmware_version:
            self.journal.record(
                self.now(),
                EventKind.SMI_CHANGE,
                why,
                device=record.device_id,
                firmware=record.firmware_version,
                was=old.firmware_version,
            )

    def deliver(self, recipient: str, message: OutboundMessage) -> None:
        """Queue a message for a user, shaped for that user's DUIS version (VER-01)."""
        user = self.users.get(recipient)
        if user is None:
            self.journal.record(
                self.now(),
                EventKind.DECISION,
                "no such user; not delivered",
                recipient=recipient,
                message=type(message).__name__,
            )
            return
        if (
            isinstance(message, DccAlertMessage)
            and isinstance(message.body, ChangeOfSupplier)
            and not user.interface_version.carries_ecos_error_code
        ):
            message = DccAlertMessage(
                message.code,
                message.device_id,
                message.issued_at,
                ChangeOfSupplier(message.body.request_id, None),
            )
        self.outboxes.deliver(recipient, message)

    def raise_alerts(self, record: SmiRecord, intents: tuple[AlertIntent, ...]) -> None:
        """ALERT-01: each DCC Alert to the Responsible Supplier, and to the Network Operator
        where the intent says so (N29).

        A CHF's N29 says FW-02 has restored it, whichever response did (11.2, 11.3, 0x00CA):
        its Comms Hub's GPF is restored with it (CPL-04), here, so that every path that applies
        a firmware outcome does so without knowing about hubs."""
        now = self.now()
        for intent in intents:
            supplier = self.registrations.responsible_supplier(record.device_type, record.mpxn, now)
            recipients = () if supplier is None else (supplier,)
            if intent.to_network_operator:
                operator = self.registrations.network_operator(record.device_type, record.mpxn, now)
                if operator is not None and operator != supplier:
                    recipients = (*recipients, operator)
            message = DccAlertMessage(intent.code, record.device_id, now, intent.body)
            for recipient in recipients:
                self.deliver(recipient, message)
            self.journal.record(
                now,
                EventKind.DCC_ALERT,
                f"{intent.code} for {record.device_id}",
                code=intent.code,
                device=record.device_id,
                recipients=",".join(recipients) or "none registered",
            )
        if record.device_type is DeviceType.CHF and any(
            intent.code is DccAlertCode.DEVICE_RESTORED for intent in intents
        ):
            self._restore_hub_gpf(record.device_id)

    def _restore_hub_gpf(self, chf_id: str) -> None:
        """CPL-04: a GPF is never restored on its own, only with its hub's CHF."""
        gpf = self.smi.hub_gpf(chf_id)
        if gpf is None:
            return
        outcome = restore_with_hub(gpf)
        if outcome.record is not gpf:
            self.store(outcome.record, f"restored with its Comms Hub {chf_id} (CPL-04)")
            self.raise_alerts(outcome.record, outcome.alerts)
