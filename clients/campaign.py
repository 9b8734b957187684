"""Firmware campaigns (CAMP-01): roll new firmware across a fleet the way a supplier would,
through the public gRPC API only.

    distribute (11.1) -> collect receipts -> activate (11.3, two-leg) -> retry 11.3 where no
    response came -> read 11.2 for the rest -> classify every device from the SMI

Every step is an ordinary client call, so the campaign measures what a supplier's own rollout
would see, faults included. Requests to many devices go in batches (SubmitBatch), as a head-end
doing bulk work would send them.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from dccsim.clients.client import Answer, Client, build_request
from dccsim.v1 import supplier_pb2, types_pb2

# How long to wait, in wall time, for more deliveries once none have arrived.
DEFAULT_IDLE_SECONDS = 0.3
# Requests per SubmitBatch call.
BATCH_SIZE = 500


@dataclass(frozen=True, slots=True)
class CampaignPlan:
    user: str
    devices: tuple[str, ...]
    version: str
    image: bytes
    retries: int = 1
    read_remaining: bool = True
    # Future-dated activation: execute this long after sending; the campaign then advances the
    # virtual clock and collects the devices' 0x00CA alerts (0x8F66 carries the new version).
    execute_after: timedelta | None = None


# The final states, as stable snake_case keys: the JSON report is read by programs, so its keys
# must not change when the wording a person reads does (campaign_report.py holds the wording).
COMMISSIONED_ON_NEW = "commissioned_on_new_firmware"
STILL_SUSPENDED = "still_suspended"
UNKNOWN = "unknown"
FINAL_STATES = (COMMISSIONED_ON_NEW, STILL_SUSPENDED, UNKNOWN)


@dataclass(frozen=True, slots=True)
class DeviceOutcome:
    """A device the campaign did not bring onto the new firmware, as the SMI holds it at the end."""

    device_id: str
    smets: str  # "SMETS1" or "SMETS2"
    smi_status: str  # e.g. "Suspended", "Commissioned"
    firmware_version: str  # as the SMI records it


@dataclass
class CampaignReport:
    baseline: str
    devices: int
    firmware_version: str = ""
    final_states: dict[str, int] = field(default_factory=dict)
    requests_by_srv: dict[str, int] = field(default_factory=dict)
    alerts_by_code: dict[str, int] = field(default_factory=dict)
    activation_responses_missing: int = 0
    # Every device left behind, so a test manager can chase each one: the JSON lists them all.
    suspended_devices: list[DeviceOutcome] = field(default_factory=list)
    unknown_devices: list[DeviceOutcome] = field(default_factory=list)
    virtual_seconds: float = 0.0
    wall_seconds: float = 0.0

    @property
    def complete(self) -> bool:
        """Every device ended Commissioned on the new firmware."""
        return self.final_states.get(COMMISSIONED_ON_NEW, 0) == self.devices

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "complete": self.complete}


Progress = Callable[[str, int], None]  # (phase description, devices done in this step)


def _no_progress(description: str, advance: int) -> None:
    pass


class Campaign:
    def __init__(
        self,
        client: Client,
        plan: CampaignPlan,
        *,
        baseline: str = "",
        idle_seconds: float = DEFAULT_IDLE_SECONDS,
        progress: Progress = _no_progress,
    ) -> None:
        self.client = client
        self.plan = plan
        self.idle_seconds = idle_seconds
        self.progress = progress
        self.report = CampaignReport(
            baseline=baseline, devices=len(plan.devices), firmware_version=plan.version
        )
        self._requests: Counter[str] = Counter()
        self._alerts: Counter[str] = Counter()
        self._last_sequence = 0

    def run(self) -> CampaignReport:
        started_wall = time.monotonic()
        started_virtual = self._virtual_now()
        image_hash = hashlib.sha256(self.plan.image).digest()

        self._distribute()
        self._drain()  # receipts
        silent, confirmed = self._activate(self.plan.devices, image_hash, "activating (11.3)")
        for attempt in range(1, self.plan.retries + 1):
            if not silent:
                break
            silent, again = self._activate(sorted(silent), image_hash, f"retry {attempt} of 11.3")
            confirmed |= again
        if self.plan.execute_after is not None:
            confirmed |= self._await_future_dated_activations()
        self.report.activation_responses_missing = len(silent)
        # Read every device whose activation no response confirmed: lost responses, and
        # answers without the new version (a SMETS1 retry reports none).
        unconfirmed = sorted(set(self.plan.devices) - confirmed)
        if self.plan.read_remaining and unconfirmed:
            self._read(unconfirmed)
        self._classify()

        self.report.requests_by_srv = dict(sorted(self._requests.items()))
        self.report.alerts_by_code = dict(sorted(self._alerts.items()))
        self.report.virtual_seconds = (self._virtual_now() - started_virtual).total_seconds()
        self.report.wall_seconds = round(time.monotonic() - started_wall, 3)
        return self.report

    # -- steps ----------------------------------------------------------------------------------

    def _distribute(self) -> None:
        devices = list(self.plan.devices)
        for start in range(0, len(devices), 50_000):  # DUIS caps a DeviceIDList at 50,000 IDs
            chunk = devices[start : start + 50_000]
            self.client.update_firmware(
                user=self.plan.user, image=self.plan.image, version=self.plan.version, devices=chunk
            )
            self._requests["11.1"] += 1
            self.progress("distributing (11.1)", len(chunk))

    def _activate(
        self, devices: Iterable[str], image_hash: bytes, label: str
    ) -> tuple[set[str], set[str]]:
        """Send 11.3 to each device. Returns the devices that sent no response at all, and
        those whose response carried the new firmware version."""
        execute_at = (
            self._virtual_now() + self.plan.execute_after
            if self.plan.execute_after is not None
            else None
        )
        waiting: dict[str, str] = {}
        for chunk in _chunks(devices):
            outcomes = self.client.send_critical_batch(
                "11.3",
                user=self.plan.user,
                targets=chunk,
                body={"activate_firmware": {"firmware_hash": image_hash}},
                execute_at=execute_at,
            )
            for device, outcome in zip(chunk, outcomes, strict=True):
                if isinstance(outcome, Answer) and outcome.code == "I99":
                    waiting[outcome.request_id] = device
            self._requests["11.3"] += len(chunk)
            self.progress(label, len(chunk))
        answered = {
            d.service_response.request_id: d.service_response.firmware_activation.firmware_version
            for d in self._drain()
            if d.WhichOneof("message") == "service_response"
            and d.service_response.service_reference_variant == "11.3"
        }
        silent = {device for rid, device in waiting.items() if rid not in answered}
        confirmed = {
            device for rid, device in waiting.items() if answered.get(rid) == self.plan.version
        }
        return silent, confirmed

    def _await_future_dated_activations(self) -> set[str]:
        """Run the clock past the execution time; return the devices whose 0x8F66 alert
        reported the new version."""
        assert self.plan.execute_after is not None
        self.client.advance(self.plan.execute_after)
        return {
            d.device_alert.device_id
            for d in self._drain()
            if d.WhichOneof("message") == "device_alert"
            and d.device_alert.alert_code == 0x8F66
            and d.device_alert.firmware_version == self.plan.version
        }

    def _read(self, devices: Iterable[str]) -> None:
        for chunk in _chunks(devices):
            self.client.submit_batch(
                build_request(
                    "11.2",
                    user=self.plan.user,
                    target=device,
                    counter=self.client.next_counter(),
                    cv=1,
                    body={"read_firmware_version": {}},
                )
                for device in chunk
            )
            self._requests["11.2"] += len(chunk)
            self.progress("reading (11.2)", len(chunk))
        self._drain()

    def _classify(self) -> None:
        states: Counter[str] = Counter({state: 0 for state in FINAL_STATES})
        for device in self.plan.devices:
            record = self.client.device(device)
            if record.status == types_pb2.SMI_STATUS_SUSPENDED:
                states[STILL_SUSPENDED] += 1
                self.report.suspended_devices.append(_outcome(device, record))
            elif (
                record.status == types_pb2.SMI_STATUS_COMMISSIONED
                and record.firmware_version == self.plan.version
            ):
                states[COMMISSIONED_ON_NEW] += 1
            else:
                states[UNKNOWN] += 1
                self.report.unknown_devices.append(_outcome(device, record))
            self.progress("checking the SMI", 1)
        self.report.final_states = dict(states)

    # -- deliveries ---------------------------------------------------------------------------

    def _drain(self) -> list[supplier_pb2.Delivery]:
        """Read everything queued for the user until a whole pass brings nothing new (each
        pass ends at its deadline); count alerts; acknowledge what was read."""
        received = []
        while True:
            before = self._last_sequence
            for delivery in self.client.deliveries(
                self.plan.user, after=self._last_sequence, timeout=self.idle_seconds
            ):
                self._last_sequence = delivery.sequence
                received.append(delivery)
                kind = delivery.WhichOneof("message")
                if kind == "device_alert":
                    self._alerts[f"0x{delivery.device_alert.alert_code:04X}"] += 1
                elif kind == "dcc_alert":
                    self._alerts[delivery.dcc_alert.dcc_alert_code] += 1
            if self._last_sequence == before:
                return received
            self.client.acknowledge(self.plan.user, self._last_sequence)

    def _virtual_now(self) -> datetime:
        return self.client.clock().now.ToDatetime()


def _chunks(devices: Iterable[str]) -> Iterator[list[str]]:
    devices = list(devices)
    for start in range(0, len(devices), BATCH_SIZE):
        yield devices[start : start + BATCH_SIZE]


def _outcome(device: str, record: types_pb2.Device) -> DeviceOutcome:
    return DeviceOutcome(
        device,
        types_pb2.SmetsVersion.Name(record.smets).removeprefix("SMETS_VERSION_"),
        smi_status_name(record.status),
        record.firmware_version,
    )


def smi_status_name(status: types_pb2.SmiStatus.ValueType) -> str:
    """SMI_STATUS_INSTALLED_NOT_COMMISSIONED -> "Installed not commissioned"."""
    name = types_pb2.SmiStatus.Name(status).removeprefix("SMI_STATUS_")
    return name.replace("_", " ").capitalize()
