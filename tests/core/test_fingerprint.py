"""`fingerprint(dsp)`: equal for equal states, whatever the insertion or hash order; changed by
every kind of state, and by nothing else (a pure read or a rejected request)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from dccsim.devices.firmware import FirmwareImage
from dccsim.devices.kinds import DeviceType, SmetsVersion
from dccsim.server.core.baseline import Baseline
from dccsim.server.core.clock import VirtualClock
from dccsim.server.core.codes import DccAlertCode, ResponseCode
from dccsim.server.core.dsp import Dsp
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.faults import FaultAction, FaultPlan, FaultRule
from dccsim.server.core.fingerprint import digest, fingerprint
from dccsim.server.core.fleet import EXAMPLE_MPAN, example_fleet
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.messages import DccAlertMessage, DeviceStatusChange
from dccsim.server.core.records import (
    CplEntry,
    Registration,
    SmiRecord,
    SmiStatus,
    User,
    UserRole,
    UserStatus,
)
from dccsim.server.core.requests import (
    ActivateFirmware,
    DeviceDetailsChange,
    ReadFirmwareVersion,
    ReadInventory,
    RequestId,
    ServiceRequest,
    UpdateInventory,
)
from dccsim.server.core.scenario import run_mp105_scenario
from dccsim.server.core.schedules import ScheduleDetails, ScheduleFrequency
from tests.conftest import (
    ESME,
    EXAMPLE_FIRMWARE,
    EXAMPLE_MANUFACTURER,
    GPF,
    GSME,
    NEW_IMAGE,
    NEW_IMAGE_HASH,
    SUPPLIER_A,
    SUPPLIER_B,
    Sim,
    example_model,
    make_sim,
)

NEW_USER = "90-B3-D5-1F-30-09-00-00"
SMETS1_ESME = "00-DB-12-34-56-78-90-B0"
FUTURE = datetime(2026, 2, 1, tzinfo=UTC)
REPO = Path(__file__).resolve().parents[2]


def _still_clock() -> VirtualClock:
    """A clock whose real time never moves, so a rate can be set without time running."""
    return VirtualClock(monotonic=lambda: 0.0)


def _changed(before: dict[str, object], after: dict[str, object]) -> set[str]:
    return {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}


def _add_smets1_esme(dsp: Dsp) -> None:
    dsp.add_device(
        SmiRecord(
            SMETS1_ESME,
            DeviceType.ESME,
            SmetsVersion.SMETS1,
            EXAMPLE_MANUFACTURER,
            example_model(DeviceType.ESME),
            EXAMPLE_FIRMWARE,
            SmiStatus.COMMISSIONED,
            mpxn=EXAMPLE_MPAN,
        )
    )


def _put_fault_rule(sim: Sim) -> None:
    sim.dsp.faults.add(FaultRule(FaultAction.DROP, srv="11.2", device_ids=frozenset({ESME, GSME})))


def _draw_from_the_fault_plan(sim: Sim) -> None:
    """A probabilistic rule that never fires still moves the seeded generator: later draws
    differ, so the generator's position is state (FAULT-02)."""
    sim.dsp.faults.add(FaultRule(FaultAction.DROP, srv="11.2", probability=1e-12))
    before = fingerprint(sim.dsp)["faults"]
    sim.read_firmware(ESME)
    after = fingerprint(sim.dsp)["faults"]
    assert before["random_state"] != after["random_state"]  # type: ignore[index]


def _acknowledge(sim: Sim) -> None:
    sim.dsp.acknowledge(SUPPLIER_A, up_to=1)


def _suspend_by_cpl(sim: Sim) -> None:
    sim.remove_from_cpl(DeviceType.ESME)


# (name, how to change the state, the parts of the fingerprint that must change). Each starts
# from the example fleet; `_prepare` below runs first where a case needs something to act on.
CHANGES: list[tuple[str, Callable[[Sim], object], set[str]]] = [
    ("clock advanced", lambda s: s.dsp.advance(timedelta(minutes=1)), {"clock"}),
    ("clock rate", lambda s: s.dsp.set_clock_rate(60), {"clock"}),
    (
        "user added",
        lambda s: s.dsp.add_user(User(NEW_USER, frozenset({UserRole.OTHER_USER}))),
        {"users"},
    ),
    (
        "user suspended",
        lambda s: s.dsp.add_user(
            replace(s.dsp.state.users[SUPPLIER_B], status=UserStatus.SUSPENDED)
        ),
        {"users"},
    ),
    (
        "user ceased",
        lambda s: s.dsp.add_user(
            replace(s.dsp.state.users[SUPPLIER_B], ceased_on=date(2024, 1, 1))
        ),
        {"users"},
    ),
    (
        "registration added",
        lambda s: s.dsp.add_registration(
            Registration(EXAMPLE_MPAN, UserRole.EXPORT_SUPPLIER, SUPPLIER_B, FUTURE)
        ),
        {"registrations"},
    ),
    (
        "SMI record changed (8.4 ESME Variant)",
        lambda s: s.send(
            "8.4",
            UpdateInventory(ESME, DeviceDetailsChange(esme_variant="B")),
            target=s.acb,
            cv=CommandVariant.NON_DEVICE,
        ),
        {"smi", "counters"},
    ),
    (
        "SMI index out of step",
        lambda s: s.dsp.state.smi._by_mpxn[EXAMPLE_MPAN].discard(ESME),
        {"smi_indexes"},
    ),
    (
        "CPL entry added",
        lambda s: s.dsp.put_cpl_entry(
            CplEntry(EXAMPLE_MANUFACTURER, "NEW-MODEL", "0300", image_hash=NEW_IMAGE_HASH)
        ),
        {"cpl"},
    ),
    ("CPL entry Removed: the ESME suspended", _suspend_by_cpl, {"cpl", "smi", "outboxes"}),
    (
        "device holds an image",
        lambda s: s.dsp.device(GSME).firmware.receive(FirmwareImage.from_bytes(NEW_IMAGE, "0200")),
        {"devices"},
    ),
    (
        "device pending activation",
        lambda s: s.dsp.device(GSME).firmware.schedule(NEW_IMAGE_HASH, FUTURE),
        {"devices"},
    ),
    (
        "device runs another version",
        lambda s: setattr(s.dsp.device(GSME).firmware, "running_version", "0200"),
        {"devices"},
    ),
    ("device topped up", lambda s: s.dsp.device(ESME).top_up("1" * 20), {"devices"}),
    (
        "device credentials replaced",
        lambda s: s.dsp.device(ESME).replace_supplier_credentials(SUPPLIER_B),
        {"devices"},
    ),
    ("device clock set", lambda s: s.dsp.device(ESME).set_clock(), {"devices"}),
    ("GPF unpaired", lambda s: setattr(s.dsp.device(GPF), "gsme", None), {"devices"}),
    (
        "SMETS1 image applied",
        lambda s: s.dsp.device(SMETS1_ESME).firmware._applied_hashes.add(NEW_IMAGE_HASH),
        {"devices"},
    ),
    (
        "counter consumed (8.2 read)",
        lambda s: s.send(
            "8.2", ReadInventory(device_id=ESME), target=s.acb, cv=CommandVariant.NON_DEVICE
        ),
        {"counters"},
    ),
    (
        "PreCommand pending (CV 4)",
        lambda s: s.send(
            "11.3",
            ActivateFirmware(NEW_IMAGE_HASH),
            target=ESME,
            cv=CommandVariant.CRITICAL_TRANSFORM,
        ),
        {"pending_pre_commands", "counters"},
    ),
    (
        "message queued",
        lambda s: s.dsp.state.deliver(
            SUPPLIER_B,
            DccAlertMessage(DccAlertCode.DEVICE_SUSPENDED, ESME, FUTURE, DeviceStatusChange(False)),
        ),
        {"outboxes"},
    ),
    ("message acknowledged", _acknowledge, {"outboxes"}),
    ("fault rule added", _put_fault_rule, {"faults"}),
    ("fault rule removed", lambda s: s.dsp.faults.remove(1), {"faults"}),
    ("fault plan drew a number", _draw_from_the_fault_plan, {"faults", "counters", "outboxes"}),
    (
        "future-dated work held",
        lambda s: s.send("11.2", ReadFirmwareVersion(), target=ESME, execution_datetime=FUTURE),
        {"scheduler", "counters"},
    ),
    (
        "ECoS refusal programmed",
        lambda s: s.dsp.program_ecos_failure(ESME, "E01"),
        {"ecos_failures"},
    ),
    (
        "DCC Schedule created (5.1)",
        lambda s: s.send(
            "5.1",
            ScheduleDetails(ESME, "4.12.1", ScheduleFrequency.DAILY, FUTURE.date()),
            target=s.acb,
            cv=CommandVariant.NON_DEVICE,
        ),
        {"schedules", "scheduler", "counters"},
    ),
    (
        "local command issued (CV 2)",
        lambda s: s.read_firmware(ESME, cv=CommandVariant.NON_CRITICAL_LOCAL),
        {"local_commands", "counters"},
    ),
]


def _prepare(sim: Sim, name: str) -> None:
    """What some cases need before the change under test."""
    if name == "message acknowledged":
        sim.read_firmware(ESME)
    elif name == "fault rule removed":
        _put_fault_rule(sim)
    elif name == "SMETS1 image applied":
        _add_smets1_esme(sim.dsp)


@pytest.mark.parametrize(("name", "change", "parts"), CHANGES, ids=[c[0] for c in CHANGES])
def test_each_kind_of_state_changes_its_part_and_only_that(
    name: str, change: Callable[[Sim], object], parts: set[str]
) -> None:
    sim = make_sim(clock=_still_clock())
    _prepare(sim, name)
    before = fingerprint(sim.dsp)
    change(sim)
    after = fingerprint(sim.dsp)
    assert _changed(before, after) == parts
    assert json.loads(json.dumps(after)) == after  # JSON-able, and nothing lost on the way


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("baseline", {"baseline": Baseline.PRE_MP105}),
        ("relaxed counters", {"strict_counters": False}),
        ("acb", {"acb_id": "90-B3-D5-1F-30-00-00-99"}),
        ("fault seed", {"faults": FaultPlan(seed=7)}),
        ("clock start", {"clock": VirtualClock(FUTURE)}),
    ],
)
def test_construction_options_show(name: str, options: dict[str, object]) -> None:
    assert fingerprint(make_sim(**options).dsp) != fingerprint(make_sim().dsp), name


def test_two_identically_built_dsps_are_equal() -> None:
    assert fingerprint(make_sim().dsp) == fingerprint(make_sim().dsp)
    first, _ = run_mp105_scenario()
    second, _ = run_mp105_scenario()
    assert fingerprint(first) == fingerprint(second)
    assert digest(first) == digest(second)
    assert fingerprint(first) != fingerprint(make_sim().dsp)


def test_insertion_order_does_not_matter() -> None:
    forward, backward = Dsp(), Dsp()
    fleet = example_fleet()
    for dsp, order in ((forward, 1), (backward, -1)):
        for user in fleet.users[::order]:
            dsp.add_user(user)
        # Reversed, but for one MPxN's registrations in one role: their order is state (the
        # first is the Responsible Supplier), as the next test shows. A stable sort keeps it.
        registrations = sorted(
            fleet.registrations, key=lambda r: (r.mpxn, r.role), reverse=order == -1
        )
        for registration in registrations:
            dsp.add_registration(registration)
        for entry in fleet.cpl[::order]:
            dsp.put_cpl_entry(entry)
        # The GSME first either way, so that the GPF is paired as it is added.
        gsme_first = sorted(fleet.devices, key=lambda r: r.device_type is not DeviceType.GSME)
        for record in [gsme_first[0], *gsme_first[1:][::order]]:
            dsp.add_device(record)
        dsp.faults.add(FaultRule(FaultAction.DROP, device_ids=frozenset({ESME, GSME, GPF})))
    assert fingerprint(forward) == fingerprint(backward)


def test_order_of_one_mpxns_registrations_shows() -> None:
    """The first IS registered for an MPAN is its Responsible Supplier: that order is state
    (while the order of different roles' registrations is not)."""
    first, second = make_sim().dsp, make_sim().dsp
    for dsp, users in ((first, (SUPPLIER_A, SUPPLIER_B)), (second, (SUPPLIER_B, SUPPLIER_A))):
        for user in users:
            dsp.add_registration(
                Registration("9900000000001", UserRole.IMPORT_SUPPLIER, user, FUTURE)
            )
    assert fingerprint(first) != fingerprint(second)


def test_pure_reads_change_nothing() -> None:
    sim = make_sim()
    sim.read_firmware(ESME)
    before = fingerprint(sim.dsp)
    sim.dsp.device_record(ESME)
    sim.dsp.device(GSME)
    sim.dsp.pending(SUPPLIER_A)
    sim.dsp.pending(SUPPLIER_B)  # creates SUPPLIER_B's (empty) outbox
    sim.dsp.pending(NEW_USER)  # and an outbox for a user that does not exist
    sim.dsp.acknowledge(NEW_USER, up_to=0)
    sim.dsp.journal.events()
    dict(sim.dsp.counters)
    list(sim.dsp.state.cpl)
    sim.dsp.state.smi.with_mpxn("no such MPxN")
    sim.dsp.state.smi.with_cpl_key(sim.record(ESME).cpl_key)
    sim.dsp.faults.rules()
    sim.dsp.state.scheduler.pending()
    sim.dsp.run_due()  # nothing is due on a frozen clock
    fingerprint(sim.dsp)
    assert fingerprint(sim.dsp) == before


def test_rejected_requests_change_nothing() -> None:
    sim = make_sim()
    sim.read_firmware(ESME)
    before = fingerprint(sim.dsp)
    stranger = ServiceRequest(
        RequestId(NEW_USER, ESME, 1),
        "11.2",
        CommandVariant.NON_CRITICAL_REMOTE,
        ReadFirmwareVersion(),
    )
    assert sim.dsp.submit(stranger).code is ResponseCode.E1
    replayed = ServiceRequest(
        RequestId(SUPPLIER_A, ESME, 1000),
        "11.2",
        CommandVariant.NON_CRITICAL_REMOTE,
        ReadFirmwareVersion(),
    )
    assert sim.dsp.submit(replayed).code is ResponseCode.E1000
    with pytest.raises(InvalidField):
        sim.dsp.submit(replace(replayed, srv="99.9"))
    assert fingerprint(sim.dsp) == before


def test_independent_of_hash_order_and_grpc_free() -> None:
    """The same state gives the same digest in processes with different string hashing (sets of
    roles and device IDs are sorted), and the module never imports grpc."""
    script = textwrap.dedent(
        """
        import sys
        from dccsim.server.core.faults import FaultAction, FaultRule
        from dccsim.server.core.fingerprint import digest
        from dccsim.server.core.scenario import run_mp105_scenario
        dsp, _ = run_mp105_scenario()
        ids = frozenset(f"00-DB-12-34-56-78-90-{n:02X}" for n in range(40))
        dsp.faults.add(FaultRule(FaultAction.DROP, device_ids=ids))
        assert "grpc" not in sys.modules, "fingerprint imports grpc"
        print(digest(dsp))
        """
    )
    digests = set()
    for seed in ("1", "2"):
        result = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
            cwd=REPO,
            check=True,
        )
        digests.add(result.stdout.strip())
    assert len(digests) == 1
