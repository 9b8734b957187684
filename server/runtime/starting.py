"""The DSP a server starts from: the one its state file holds, or a new one from the fleet."""

from __future__ import annotations

import logging
from collections.abc import Callable

from dccsim.server.core import views
from dccsim.server.core.dsp import Dsp
from dccsim.server.store import StateFile

log = logging.getLogger("dccsim.server")


def starting_dsp(dsp_factory: Callable[[], Dsp], state_file: StateFile | None) -> Dsp:
    """The state file's DSP if it holds one; else a new one from the factory, written to the
    state file as its starting point before the first call."""
    if state_file is None:
        return dsp_factory()
    restored = state_file.restore()
    if restored is None:
        dsp = dsp_factory()
        state_file.snapshot(dsp)
        state_file.flush()
        log.info("state file %s: new, starting from the fleet", state_file.path)
        return dsp
    log.info(
        "state file %s: restored %d devices from snapshot %d and %d commands in %.2f s",
        state_file.path,
        views.device_count(restored.dsp),
        restored.snapshot_seq,
        restored.replayed,
        restored.seconds,
    )
    return restored.dsp
