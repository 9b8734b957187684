"""The workload behind the state file fixtures (tests/store/fixtures/), and the facts a fixture's
DSP must show when it is opened: every kind of state (SMI, CPL, outboxes with sequences, fault
rules and decisions, held work, the clock, the journal's numbering), in a form that does not
change when the code's internals do."""

from __future__ import annotations

from dccsim.server.core import commands
from dccsim.server.core.dsp import Dsp
from dccsim.server.core.requests import ReadFirmwareVersion
from dccsim.server.runtime.host import DspHost


def build(host: DspHost) -> dict[str, object]:
    """Run the seeded workload on `host`; return the facts of the DSP it leaves."""
    from tests.store.test_state_file import DEVICES, Workload, faulty

    faulty(host)
    workload = Workload(host, seed=11)
    for _ in range(300):
        workload.step()
    host.run_one(commands.SetClockRate(0.0))
    for _ in range(50):  # with the clock stopped, a delayed response stays held
        if len(host.dsp.state.scheduler):
            break
        workload.submit(workload.request("11.2", ReadFirmwareVersion(), DEVICES[0]))
    return facts(host.dsp)


def facts(dsp: Dsp) -> dict[str, object]:
    state = dsp.state
    return {
        "now": dsp.now().isoformat(),
        "devices": sorted(
            (record.device_id, str(record.status), record.firmware_version) for record in state.smi
        ),
        "running": sorted((d.device_id, d.firmware.running_version) for d in state.network),
        "cpl": sorted((e.model, e.firmware_version, str(e.status)) for e in state.cpl),
        "users": sorted(state.users),
        "outboxes": {
            user: [state.outboxes.last_sequence(user), len(state.outboxes.for_user(user))]
            for user in sorted(state.users)
        },
        "journal_sequence": state.journal.last_sequence,
        "held_work": [[due.isoformat(), label] for due, label in state.scheduler.pending()],
        "fault_rules": len(state.faults.rules()),
        "fault_decisions": len(state.faults.decisions),
        "counters": sorted([o, t, c] for (o, t), c in dsp.counters.items()),
    }
