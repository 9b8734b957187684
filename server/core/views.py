"""Read-only views of a DSP for the layers around the core (the runtime's named queries): what
they may read of it, so that none of them reaches into `dsp.state`, and the state can be
rearranged without their noticing. Each is a function of the DSP as it stands; the caller holds
whatever makes that safe (the host's lock). Records are frozen; collections come back as tuples
or lazily, for the caller to copy what it keeps."""

from __future__ import annotations

from collections.abc import Iterator

from dccsim.server.core.dsp import Dsp
from dccsim.server.core.records import CplEntry, SmiRecord, User


def user(dsp: Dsp, user_id: str) -> User | None:
    """A User's record by its canonical ID; None for no such User."""
    return dsp.state.users.get(user_id)


def users(dsp: Dsp) -> tuple[User, ...]:
    """Every User's record, by User ID."""
    return tuple(sorted(dsp.state.users.values(), key=lambda u: u.user_id))


def has_device(dsp: Dsp, device_id: str) -> bool:
    """Whether the SMI holds a device, by its canonical ID."""
    return device_id in dsp.state.smi


def device(dsp: Dsp, device_id: str) -> SmiRecord | None:
    """A device's SMI record by its canonical ID; None for no such device."""
    return dsp.state.smi.get(device_id)


def acb_id(dsp: Dsp) -> str:
    """The DCC's own identity: the Access Control Broker's EUI (REQ-08)."""
    return dsp.state.acb_id


def devices(dsp: Dsp) -> Iterator[SmiRecord]:
    """The SMI's records in SMI order, lazily: a million-device SMI need not be copied to read a
    page of it."""
    return iter(dsp.state.smi)


def device_count(dsp: Dsp) -> int:
    return len(dsp.state.smi)


def cpl_entries(dsp: Dsp) -> tuple[CplEntry, ...]:
    return tuple(dsp.state.cpl)


def scheduled_actions(dsp: Dsp) -> int:
    """How much future-dated work the virtual clock holds."""
    return len(dsp.state.scheduler)


def outbox_last_sequence(dsp: Dsp, user_id: str) -> int:
    """The sequence of a (canonical) User's newest message: it moves whenever one is queued."""
    return dsp.state.outboxes.last_sequence(user_id)
