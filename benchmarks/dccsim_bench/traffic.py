"""What `dccsim bench` sends: a Service Request mix, and each client's share of the fleet.

Every client drives its own supplier and its own devices, one request after another in the
order it sends them (one unary call, one stream, or one batch at a time), so each (originator,
target) pair's RequestID counter rises in arrival order (REQ-02) without `--relaxed-counters`.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from dccsim.bench.mixes import SRVS
from dccsim.v1 import configuration_pb2, reads_pb2, supplier_pb2

ACB_ID = "90-B3-D5-1F-30-00-00-02"  # the DCC Access Control Broker: non-device SRs' target
NETWORK_OPERATOR = "90-B3-D5-1F-30-02-00-00"
SIGNED_CV = 5
_FIRMWARE_HASH = hashlib.sha256(b"dccsim bench: an image no device holds").digest()
_READ_FIRMWARE = supplier_pb2.ReadFirmwareVersion()

# One outgoing request: the message, its RequestID, and whether a Service Response for it will
# be delivered to the supplier's outbox (a device SR acknowledged with I99).
Outgoing = tuple[supplier_pb2.SubmitRequest, str, bool]
_Builder = Callable[[str, str, int], Outgoing]


def _read_firmware_version(user: str, device: str, counter: int) -> Outgoing:
    rid = f"{user}:{device}:{counter}"
    message = supplier_pb2.SubmitRequest(
        request_id=rid,
        service_reference_variant="11.2",
        command_variant=1,
        read_firmware_version=_READ_FIRMWARE,
    )
    return message, rid, True


def _read_inventory(user: str, device: str, counter: int) -> Outgoing:
    rid = f"{user}:{ACB_ID}:{counter}"
    message = supplier_pb2.SubmitRequest(
        request_id=rid,
        service_reference_variant="8.2",
        command_variant=8,
        read_inventory=supplier_pb2.ReadInventory(device_id=device),
    )
    return message, rid, False  # answered synchronously (I0 with the inventory)


def _activate_firmware(user: str, device: str, counter: int) -> Outgoing:
    rid = f"{user}:{device}:{counter}"
    message = supplier_pb2.SubmitRequest(
        request_id=rid,
        service_reference_variant="11.3",
        command_variant=4,  # critical: the PreCommand comes back, then the signed leg (CV 5)
        activate_firmware=supplier_pb2.ActivateFirmware(firmware_hash=_FIRMWARE_HASH),
    )
    return message, rid, False


def _top_up(user: str, device: str, counter: int) -> Outgoing:
    rid = f"{user}:{device}:{counter}"
    message = supplier_pb2.SubmitRequest(
        request_id=rid,
        service_reference_variant="2.2",
        command_variant=1,
        top_up_device=supplier_pb2.TopUpDevice(utrn=f"{counter % 10**20:020d}"),
    )
    return message, rid, True


# The meter reads ask for the day (4.8.1) and the week (4.6.1) before the bench's fleet starts
# its virtual clock: data every meter has, whatever the run's length.
_DAY_BEFORE = Timestamp(seconds=1_767_139_200)  # 2025-12-31T00:00:00Z
_CLOCK_START = Timestamp(seconds=1_767_225_600)  # 2026-01-01T00:00:00Z
_WEEK_BEFORE = Timestamp(seconds=1_767_225_600 - 7 * 86_400)


def _device_read(srv: str, field: str, body: Message) -> _Builder:
    """A non-critical read of the device whose body is `body`, in SubmitRequest field `field`."""

    def build(user: str, device: str, counter: int) -> Outgoing:
        rid = f"{user}:{device}:{counter}"
        message = supplier_pb2.SubmitRequest(
            request_id=rid, service_reference_variant=srv, command_variant=1
        )
        # The field is named at run time, so it is reached by name; copying into it sets it (and
        # so the `body` oneof) even when `body` is empty, as the constructor's keyword did.
        slot: Message = getattr(message, field)
        slot.CopyFrom(body)
        return message, rid, True

    return build


BUILDERS: dict[str, _Builder] = {
    "11.2": _read_firmware_version,
    "8.2": _read_inventory,
    "11.3": _activate_firmware,
    "2.2": _top_up,
    "4.1.1": _device_read(
        "4.1.1", "read_instantaneous_import_registers", reads_pb2.ReadInstantaneousImportRegisters()
    ),
    "4.6.1": _device_read(
        "4.6.1",
        "retrieve_import_daily_read_log",
        reads_pb2.MeterReadPeriod(start=_WEEK_BEFORE, end=_CLOCK_START),
    ),
    "4.8.1": _device_read(
        "4.8.1",
        "read_active_import_profile_data",
        reads_pb2.MeterReadPeriod(start=_DAY_BEFORE, end=_CLOCK_START),
    ),
    "4.12.1": _device_read(
        "4.12.1",
        "read_maximum_demand_import_registers",
        reads_pb2.ReadMaximumDemandImportRegisters(),
    ),
    "6.2.7": _device_read(
        "6.2.7", "read_device_configuration_mpxn", configuration_pb2.CfgReadMpxn()
    ),
}
_NON_DEVICE = frozenset({_read_inventory})
if set(BUILDERS) != set(SRVS):  # pragma: no cover - a module-level check on the two lists
    raise ImportError("the bench's SRV builders and dccsim.bench.mixes.SRVS disagree")


# (User, PreCommand payload) -> what the User returns with CV 5.
Signer = Callable[[str, bytes], bytes]


@dataclass(frozen=True, slots=True)
class Lane:
    """One client's share: the supplier it sends as, and the devices only it addresses."""

    user: str
    devices: tuple[str, ...]


class UserSequence:
    """What the clients sending as one supplier share: its RequestID counter, and a lock that
    admits one non-device SR (target: the ACB) at a time. Two clients' 8.2s in flight together
    could arrive in either order, and the later counter arriving first would make the other a
    replay (E1000); a device SR needs no lock, since only one client addresses each device."""

    __slots__ = ("acb", "counter")

    def __init__(self, first_counter: int) -> None:
        self.counter = itertools.count(first_counter)
        self.acb = asyncio.Lock()


class LaneTraffic:
    """The requests one client sends, in order. `answered` turns a CV 4 PreCommand into the
    signed CV 5 leg, which goes out before the next new request. Take a counter only after
    `needs_acb()`'s lock is held."""

    __slots__ = (
        "_counter",
        "_cycle",
        "_devices",
        "_follow_ups",
        "_i",
        "_j",
        "_sign",
        "_user",
        "acb",
    )

    def __init__(
        self,
        lane: Lane,
        cycle: Sequence[str],
        sequence: UserSequence,
        sign: Signer | None = None,
    ) -> None:
        self._sign = sign  # GBCS-03: the User signs a GBCS PreCommand before returning it
        self._user = lane.user
        self._devices = lane.devices
        self._cycle = [BUILDERS[srv] for srv in cycle]
        self._counter = sequence.counter
        self.acb = sequence.acb
        self._i = 0
        self._j = 0
        self._follow_ups: deque[supplier_pb2.SubmitRequest] = deque()

    def needs_acb(self) -> bool:
        """Whether the next request is a non-device SR (send it holding `acb`)."""
        return not self._follow_ups and self._cycle[self._i] in _NON_DEVICE

    def next(self) -> Outgoing:
        if self._follow_ups:
            message = self._follow_ups.popleft()
            return message, message.request_id, True
        builder = self._cycle[self._i]
        self._i = (self._i + 1) % len(self._cycle)
        device = self._devices[self._j]
        self._j = (self._j + 1) % len(self._devices)
        return builder(self._user, device, next(self._counter))

    def answered(
        self, message: supplier_pb2.SubmitRequest, response: supplier_pb2.SubmitResponse
    ) -> None:
        if response.HasField("pre_command"):
            payload = response.pre_command.payload
            if self._sign is not None:
                payload = self._sign(self._user, payload)
            self._follow_ups.append(
                supplier_pb2.SubmitRequest(
                    request_id=message.request_id,
                    service_reference_variant=message.service_reference_variant,
                    command_variant=SIGNED_CV,
                    signed_pre_command=supplier_pb2.SignedPreCommand(payload=payload),
                )
            )


def traffic_for(
    lanes: Sequence[Lane], cycle: Sequence[str], first_counter: int, sign: Signer | None = None
) -> list[LaneTraffic]:
    """Each lane's traffic; lanes of one supplier share its counter and ACB lock. `sign`:
    (User, PreCommand) -> the signed pre-command (`PreCommandSigner.sign`)."""
    sequences: dict[str, UserSequence] = {}
    return [
        LaneTraffic(lane, cycle, sequences.setdefault(lane.user, UserSequence(first_counter)), sign)
        for lane in lanes
    ]


def bench_users(users: int) -> list[str]:
    return [f"90-B3-D5-1F-31-00-{i >> 8:02X}-{i & 0xFF:02X}" for i in range(users)]


def _prefix(client: int) -> str:
    return f"00-DC-{client:02X}"


def fleet_yaml(
    clients: int, users: int, devices: int, receive_url: Callable[[str], str] | None = None
) -> str:
    """A fleet of `users` suppliers and one block of SMETS2 ESMEs per client (devices split as
    evenly as possible); client i sends as supplier i mod `users`, the Import Supplier of its
    block. `receive_url(user)`: each supplier's Receive Response Service address (DUIS over
    HTTP), if any."""
    suppliers = bench_users(users)

    def address(user: str) -> str:
        return f", receive_url: '{receive_url(user)}'" if receive_url else ""

    lines = [
        "users:",
        *(
            f"  - {{id: {u}, roles: [IS], name: Bench supplier {i}{address(u)}}}"
            for i, u in enumerate(suppliers)
        ),
        f"  - {{id: {NETWORK_OPERATOR}, roles: [ED], name: Network operator}}",
        "cpl:",
        '  - {manufacturer: DCCSIM, model: ESME-S2, firmware: "0100"}',
        "generate:",
    ]
    for i in range(clients):
        count = devices // clients + (1 if i < devices % clients else 0)
        lines.append(
            f"  - {{count: {count}, type: ESME, manufacturer: DCCSIM, model: ESME-S2, "
            f'firmware: "0100", id_prefix: {_prefix(i)}, supplier: {suppliers[i % users]}, '
            f"network_operator: {NETWORK_OPERATOR}, mpxn_start: {3_000_000_000_000 + i * 10**7}}}"
        )
    return "\n".join(lines) + "\n"


def lanes_of(fleet_text: str, clients: int) -> list[Lane]:
    """Each client's supplier and devices, read back through dccsim's own fleet parser."""
    from dccsim.server.core.fleet_file import parse_fleet

    fleet = parse_fleet(fleet_text)
    blocks: dict[str, list[str]] = {}
    owner: dict[str, str] = {}
    for device in fleet.devices:
        if device.added_by is None:  # fleet_yaml names every block's supplier
            raise ValueError(f"{device.device_id}: the fleet names no supplier for it")
        blocks.setdefault(device.device_id[:8], []).append(device.device_id)
        owner[device.device_id[:8]] = device.added_by
    return [Lane(owner[_prefix(i)], tuple(blocks[_prefix(i)])) for i in range(clients)]
