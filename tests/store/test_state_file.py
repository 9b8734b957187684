"""The state file: what is written, what a restart restores, and that replay is exact."""

from __future__ import annotations

import dataclasses
import gc
import itertools
import json
import random
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from dccsim.devices.kinds import DeviceType
from dccsim.server.core import commands
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.faults import FaultAction, FaultRule, FaultStage
from dccsim.server.core.fingerprint import fingerprint
from dccsim.server.core.fleet import EXAMPLE_DEVICE_IDS
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.records import CplEntry, CplStatus, UserRole
from dccsim.server.core.requests import (
    ActivateFirmware,
    ReadFirmwareVersion,
    ReadInventory,
    RequestId,
    ServiceRequest,
    SignedPreCommand,
    UpdateFirmware,
)
from dccsim.server.runtime.host import DspHost
from dccsim.server.store import StateFile, StateFileError
from dccsim.server.store import state_file as state_file_module
from dccsim.server.store.codec import Decoder, Encoder
from tests.conftest import (
    EXAMPLE_MANUFACTURER,
    NEW_IMAGE,
    NEW_IMAGE_HASH,
    SUPPLIER_A,
    example_dsp,
    example_model,
)

DEVICES = [EXAMPLE_DEVICE_IDS[t] for t in (DeviceType.ESME, DeviceType.GSME, DeviceType.CHF)]
ACB = "90-B3-D5-1F-30-00-00-02"


def open_host(path: Path, **options: object) -> DspHost:
    """What `start_server` does with a state file, without the gRPC server."""
    state_file = StateFile(path, **options)
    restored = state_file.restore()
    dsp = restored.dsp if restored is not None else example_dsp()
    if restored is None:
        state_file.snapshot(dsp)
    host = DspHost(dsp, state_file=state_file)
    host.start()
    return host


def crash(host: DspHost) -> None:
    """Stop as a SIGKILL would: what is durable stays, no final snapshot."""
    host.stop()
    host._state_file.close()  # what it was given is written; there is no final snapshot


class Workload:
    """A seeded random mix of everything a supplier and a test harness do."""

    def __init__(self, host: DspHost, seed: int) -> None:
        self.host = host
        self.random = random.Random(seed)
        self.counter = itertools.count(1_000)

    def request(self, srv: str, body, target: str, cv=CommandVariant.NON_CRITICAL_REMOTE, **kw):
        rid = RequestId(SUPPLIER_A, target, next(self.counter))
        return ServiceRequest(rid, srv, cv, body, **kw)

    def step(self) -> None:
        device = self.random.choice(DEVICES)
        match self.random.randrange(10):
            case 0:
                update = UpdateFirmware(NEW_IMAGE, "0200", (device,))
                self.submit(self.request("11.1", update, ACB, CommandVariant.NON_DEVICE))
            case 1 | 2:
                self.activate(device, future=self.random.random() < 0.3)
            case 3 | 4:
                self.submit(self.request("11.2", ReadFirmwareVersion(), device))
            case 5:
                self.submit(
                    self.request(
                        "8.2", ReadInventory(device_id=device), ACB, CommandVariant.NON_DEVICE
                    )
                )
            case 6:
                pending = self.host.dsp.pending(SUPPLIER_A)
                if pending:
                    up_to = self.random.choice(pending).sequence
                    self.host.run_one(commands.Acknowledge(SUPPLIER_A, up_to))
            case 7:
                minutes = self.random.choice([1, 30, 120])
                self.host.run_one(commands.Advance(timedelta(minutes=minutes)))
            case 8:
                device_type = self.random.choice([DeviceType.ESME, DeviceType.GSME])
                status = self.random.choice([CplStatus.REMOVED, CplStatus.CURRENT])
                version = self.random.choice(["0100", "0200"])
                entry = CplEntry(EXAMPLE_MANUFACTURER, example_model(device_type), version, status)
                self.host.run_one(commands.PutCplEntry(entry))
            case 9:
                # A running clock: held work falls due between commands, and every command
                # happens at its own instant.
                rate = self.random.choice([0.0, 600_000.0])
                self.host.run_one(commands.SetClockRate(rate))

    def submit(self, request: ServiceRequest):
        return self.host.run_one(commands.Submit(request))

    def activate(self, device: str, *, future: bool) -> None:
        when = self.host.dsp.now() + timedelta(hours=1) if future else None
        first = self.request(
            "11.3",
            ActivateFirmware(NEW_IMAGE_HASH),
            device,
            CommandVariant.CRITICAL_TRANSFORM,
            execution_datetime=when,
        )
        pre = self.submit(first)
        if pre.body is not None:
            signed = SignedPreCommand(pre.body.payload)
            cv = CommandVariant.CRITICAL_SIGNED_REMOTE
            self.submit(ServiceRequest(first.request_id, "11.3", cv, signed))


def faulty(host: DspHost) -> None:
    """The rules that make replay hardest: random draws, held (delayed) work, duplicates."""
    for rule in (
        FaultRule(FaultAction.DROP, srv="11.3", probability=0.2),
        FaultRule(FaultAction.DELAY, srv="11.2", probability=0.3, delay=timedelta(minutes=45)),
        FaultRule(FaultAction.DUPLICATE, stage=FaultStage.DEVICE_ALERT, probability=0.5),
    ):
        host.run_one(commands.AddFaultRule(rule))


@pytest.mark.parametrize("snapshot_every", [1_000_000, 25])
def test_a_restart_after_a_crash_restores_exactly_the_state_before_it(
    tmp_path, snapshot_every
) -> None:
    path = tmp_path / "state.sqlite3"
    host = open_host(path, snapshot_every=snapshot_every)
    faulty(host)
    workload = Workload(host, seed=7)
    for _ in range(400):
        workload.step()
    host.run_one(commands.SetClockRate(0.0))
    for _ in range(50):  # with the clock stopped, a delayed response stays held
        if len(host.dsp.state.scheduler):
            break
        workload.submit(workload.request("11.2", ReadFirmwareVersion(), DEVICES[0]))
    assert host.dsp.faults.decisions, "the workload should trip the fault rules"
    assert len(host.dsp.state.scheduler), "and leave future-dated work held"
    before = fingerprint(host.dsp)
    events = host.dsp.journal.last_sequence
    crash(host)

    restarted = open_host(path)
    assert fingerprint(restarted.dsp) == before
    # The event stream's numbering carries on (the events themselves are not kept).
    assert restarted.dsp.journal.last_sequence == events
    # ... and it carries on exactly as the original would have.
    Workload(restarted, seed=8).step()
    restarted.stop()
    restarted.close()


def test_snapshots_bound_the_replay(tmp_path) -> None:
    path = tmp_path / "state.sqlite3"
    host = open_host(path, snapshot_every=25)
    workload = Workload(host, seed=1)
    for _ in range(200):
        workload.step()
    # Snapshots are taken in the background: changes made while one is taken count towards
    # the next, which the next change starts.
    host._state_file.settle()
    workload.step()
    host._state_file.settle()
    host._state_file.flush()
    db = host._state_file._db  # the file is locked while it is open: look through its own
    (commands_held,) = db.execute(
        "SELECT coalesce(sum(last_seq - first_seq + 1), 0) FROM commands"
    ).fetchone()
    (snapshots,) = db.execute("SELECT count(*) FROM snapshots").fetchone()
    assert commands_held <= 25 + 10  # at most one interval (a step may be a few commands)
    assert snapshots == 1
    crash(host)
    restored = StateFile(path).restore()
    assert restored is not None and restored.replayed == commands_held


def test_a_rejected_command_is_not_written_and_changes_nothing(tmp_path) -> None:
    path = tmp_path / "state.sqlite3"
    host = open_host(path)
    before = fingerprint(host.dsp)
    appended = host._state_file.appended
    rid = RequestId(SUPPLIER_A, DEVICES[0], 5)
    bad = ServiceRequest(rid, "99.9", CommandVariant.NON_CRITICAL_REMOTE, ReadFirmwareVersion())
    outcomes = host.run([commands.Submit(bad), commands.Acknowledge(SUPPLIER_A, 10**6)])
    assert all(isinstance(o, InvalidField) for o in outcomes)
    assert host._state_file.appended == appended
    assert fingerprint(host.dsp) == before
    host.stop()
    host.close()


def test_acknowledged_means_durable(tmp_path) -> None:
    """`run` returns only when the file holds the command: drop the connection the moment it
    returns, as a SIGKILL would (whatever was only queued is lost), and read the file anew."""
    path = tmp_path / "state.sqlite3"
    host = open_host(path)
    workload = Workload(host, seed=3)
    workload.submit(workload.request("11.2", ReadFirmwareVersion(), DEVICES[0]))
    host._state_file._db.close()
    host.stop()
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        kinds = [k for (k,) in db.execute("SELECT kinds FROM commands ORDER BY first_seq")]
    assert kinds == ["Submit x1"]


def test_a_state_file_open_elsewhere_is_refused_until_it_is_closed(tmp_path) -> None:
    path = tmp_path / "state.sqlite3"
    first = StateFile(path)
    with pytest.raises(StateFileError, match="in use by another process"):
        StateFile(path)
    first.close()
    StateFile(path).close()  # free again


def test_a_state_file_of_another_format_is_refused(tmp_path) -> None:
    path = tmp_path / "state.sqlite3"
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute("INSERT INTO meta VALUES ('format', 'something-else/9')")
    with pytest.raises(StateFileError, match="something-else/9"):
        StateFile(path)


def test_a_file_that_is_not_a_database_is_refused(tmp_path) -> None:
    path = tmp_path / "state.sqlite3"
    path.write_bytes(b"not a database" * 100)
    with pytest.raises(StateFileError, match=r"state\.sqlite3"):
        StateFile(path)


def test_a_command_that_no_longer_replays_is_reported_with_its_place(tmp_path) -> None:
    path = tmp_path / "state.sqlite3"
    host = open_host(path)
    host.run_one(commands.Advance(timedelta(hours=1)))
    crash(host)
    # Tamper: a clock change back in time cannot apply.
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        table = [
            (n, k, tuple(json.loads(f)))
            for n, k, f in db.execute("SELECT name, kind, fields FROM tags")
        ]
        blob = db.execute("SELECT commands FROM commands").fetchone()[0]
        ((at, _),) = Decoder(table).decode(blob)
        tampered = Encoder(table).encode([(at, commands.Advance(timedelta(hours=-1)))])
        db.execute("UPDATE commands SET commands = ?", (tampered,))
    with pytest.raises(StateFileError, match=r"command 1 \(Advance\) did not replay"):
        StateFile(path).restore()


def test_a_big_fleet_snapshots_after_as_many_changes_as_it_has_devices(tmp_path) -> None:
    """A snapshot costs about as much per device as replay costs per change (README)."""
    state_file = StateFile(tmp_path / "state.sqlite3", snapshot_every=25)
    dsp = example_dsp()
    for _ in range(40):
        state_file.append_all([(dsp.now(), commands.Advance(timedelta(0)))])
    assert state_file.snapshot_due(devices=6)  # 40 >= max(25, 6)
    assert not state_file.snapshot_due(devices=1_000)  # 40 < max(25, 1,000)
    state_file.close()


@pytest.mark.parametrize(
    "instant",
    [
        datetime(2026, 1, 1, tzinfo=UTC),
        datetime(2026, 11, 21, 9, 40, 12, 345_678, tzinfo=UTC),
        datetime(1, 1, 1, tzinfo=UTC),  # before the epoch: floor division, exact
        datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
        datetime(2026, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=1))),  # ISO 8601
        datetime(2026, 6, 1, 12, 0),  # naive: ISO 8601
    ],
)
def test_every_instant_is_written_exactly(instant: datetime) -> None:
    """A UTC instant is written as microseconds since the epoch (cheaper than text); whatever
    the form, what comes back is equal, with the same time zone."""
    encoder = Encoder()
    blob = encoder.encode([instant])
    (back,) = Decoder(encoder.table).decode(blob)
    assert back == instant
    assert back.tzinfo == instant.tzinfo
    assert back.utcoffset() == instant.utcoffset()


def test_each_commit_says_what_it_holds(tmp_path) -> None:
    path = tmp_path / "state.sqlite3"
    state_file = StateFile(path)
    now = example_dsp().now()
    for _ in range(3):
        state_file.append_all([(now, commands.Advance(timedelta(0)))])
    state_file.flush()
    state_file.append_all(
        [
            (now, commands.Advance(timedelta(0))),
            (now, commands.RunDue()),
            (now, commands.Advance(timedelta(0))),
        ]
    )
    state_file.close()
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        kinds = [k for (k,) in db.execute("SELECT kinds FROM commands ORDER BY first_seq")]
    assert kinds == ["Advance x3", "Advance x2, RunDue x1"]


def test_a_submit_is_written_exactly_with_every_field() -> None:
    """A Submit is written by its fields' names: every field comes back, with its type."""
    submit = commands.Submit(
        ServiceRequest(
            RequestId(SUPPLIER_A, DEVICES[0], 7),
            "11.3",
            CommandVariant.CRITICAL_TRANSFORM,
            ActivateFirmware(NEW_IMAGE_HASH),
            datetime(2026, 3, 1, 12, 30, tzinfo=UTC),
            UserRole.IMPORT_SUPPLIER,
        )
    )
    encoder = Encoder()
    blob = encoder.encode([submit])
    (back,) = Decoder(encoder.table).decode(blob)
    assert back == submit
    assert type(back.request.command_variant) is CommandVariant
    assert type(back.request.user_role) is UserRole


def test_once_a_commit_has_failed_no_change_is_made(tmp_path) -> None:
    """A change the file cannot record is not made: the DSP never runs ahead of its record."""
    host = open_host(tmp_path / "state.sqlite3")

    def failing_write(batch) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    host._state_file._write = failing_write  # type: ignore[method-assign]
    workload = Workload(host, seed=5)
    with pytest.raises(StateFileError, match="disk I/O error"):
        workload.submit(workload.request("11.2", ReadFirmwareVersion(), DEVICES[0]))
    before = fingerprint(host.dsp)
    with pytest.raises(StateFileError, match="cannot be written"):
        workload.submit(workload.request("11.2", ReadFirmwareVersion(), DEVICES[1]))
    assert fingerprint(host.dsp) == before
    host.stop()


@pytest.mark.spec("AUTH-08", "CPL-04")
def test_recovery_and_a_comms_hub_link_survive_a_restart(tmp_path) -> None:
    path = tmp_path / "state.sqlite3"
    host = open_host(path)
    chf, gpf = EXAMPLE_DEVICE_IDS[DeviceType.CHF], EXAMPLE_DEVICE_IDS[DeviceType.GPF]
    linked = dataclasses.replace(host.dsp.device_record(gpf), comms_hub=chf)
    host.run_one(commands.AddDevice(linked))
    host.run_one(commands.BeginRecovery(DEVICES[0], "ops", "ticket 7"))
    host.run_one(commands.CompleteRecovery(DEVICES[0], "ops", "ticket 7 closed"))
    before = fingerprint(host.dsp)
    crash(host)

    restarted = open_host(path)  # replays the commands after the first snapshot

    assert fingerprint(restarted.dsp) == before
    record = restarted.dsp.device_record(DEVICES[0])
    assert (record.status.value, record.status_before_recovery.value) == (
        "Recovered",
        "Commissioned",
    )
    assert restarted.dsp.state.smi.hub_gpf(chf) == restarted.dsp.device_record(gpf)
    restarted.stop()
    restarted.close()


def test_a_restore_reads_with_the_cyclic_collector_paused_and_leaves_it_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A restore makes millions of objects that live on, as a fleet load does: the collector
    is paused while the file is read (fleet.cyclic_gc_paused), and back on after, a refused
    file's read too."""
    path = tmp_path / "state.sqlite3"
    host = open_host(path)
    host.stop()
    host.close()
    enabled_while_reading: list[bool] = []
    read = state_file_module.read_durable

    def spying(*args: object) -> object:
        enabled_while_reading.append(gc.isenabled())
        return read(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(state_file_module, "read_durable", spying)
    assert gc.isenabled()
    restored = StateFile(path)
    try:
        assert restored.restore() is not None
    finally:
        restored.close()
    assert enabled_while_reading == [False] and gc.isenabled()

    with closing(sqlite3.connect(path)) as db:  # a damaged snapshot: refused, collector back on
        db.execute("UPDATE snapshot_parts SET data = x'00'")
        db.commit()
    with pytest.raises(StateFileError):
        StateFile(path)
    assert enabled_while_reading == [False, False] and gc.isenabled()
