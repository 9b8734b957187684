"""A comparable picture of everything a `Dsp` keeps: `fingerprint(dsp) == fingerprint(other)` holds
exactly when the two would behave the same from here on.

Uses: the fuzz tests check that a rejected request changed nothing (BAD-01), and a state restored
from disk can be checked against the live one. So the picture is

- **complete**: the SMI (and its indexes), the CPL, users, registrations, RequestID counters, CV 4
  PreCommands awaiting their signed leg, every simulated device's firmware and other state, the
  outboxes, fault rules, decisions and the seeded random state, future-dated work, the clock and
  the ECoS refusals programmed;
- **deterministic**: plain JSON-able values (dicts, lists, strings, numbers, booleans, None), with
  every set and dictionary sorted, so it depends neither on insertion order nor on hash order
  (PYTHONHASHSEED);
- **about state only**: the journal is observability and is left out, and nothing that a pure read
  creates is in it (reading an unknown user's outbox creates an empty one: empty outboxes are
  left out).

Order is kept only where it is behaviour: outbox entries (delivery order), the registrations of
one MPxN in one role (the first registered is the Responsible Supplier or Network Operator),
fault decisions (a log), a device's top-ups, and future-dated work (run in due order, ties in
the order scheduled).

The picture reads some private attributes of the core's containers: it exists to see all of the
state, and a test (tests/core/test_fingerprint.py) fails if a kind of state stops showing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections import deque
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from enum import Enum
from functools import partial
from types import BuiltinFunctionType, FunctionType, MethodType
from typing import Any

from dccsim.devices.device import SimulatedDevice
from dccsim.server.core.dsp import Dsp
from dccsim.server.core.state import DspState

Plain = None | bool | int | float | str | list[Any] | dict[str, Any]

_COUNT = re.compile(r"count\((-?\d+)\)")


def fingerprint(dsp: Dsp) -> dict[str, Plain]:
    """Everything `dsp` keeps, as plain, sorted, JSON-able values (see the module docstring)."""
    state = dsp.state
    return {
        "config": {
            "baseline": _plain(state.baseline),
            "acb_id": state.acb_id,
            "strict_counters": dsp.strict_counters,
        },
        "clock": {"now": _plain(state.clock.now()), "rate": state.clock.rate},
        "users": [_plain(state.users[key]) for key in sorted(state.users)],
        "registrations": _registrations(state),
        "smi": [_plain(record) for record in sorted(state.smi, key=lambda r: r.device_id)],
        "smi_indexes": _smi_indexes(state),
        "cpl": _sorted([_plain(entry) for entry in state.cpl]),
        "devices": [_device(d) for d in sorted(state.network, key=lambda d: d.device_id)],
        "counters": [[o, t, c] for (o, t), c in sorted(dsp.counters.items())],
        "pending_pre_commands": sorted(str(rid) for rid in dsp.pending_pre_commands),
        "outboxes": _outboxes(state),
        "faults": _faults(state),
        "scheduler": _scheduler(state),
        "schedules": _schedules(state),
        "ecos_failures": {key: state.ecos_failures[key] for key in sorted(state.ecos_failures)},
        # Issued local commands, in issue order (the oldest is forgotten first when full).
        "local_commands": [_plain(issued) for issued in state.local_commands],
        "device_logs": _plain(state.device_logs),
    }


def digest(dsp: Dsp) -> str:
    """A short SHA-256 of the fingerprint, for logs and quick comparisons."""
    text = json.dumps(fingerprint(dsp), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


# -- the parts -----------------------------------------------------------------------------------


def _registrations(state: DspState) -> dict[str, Plain]:
    # By MPxN and role (both sorted); within one (MPxN, role) the order is kept: the first
    # party registered is the one `responsible_supplier` and `network_operator` return.
    by_key: dict[str, dict[str, list[Plain]]] = {}
    for registration in state.registrations.all():
        roles = by_key.setdefault(registration.mpxn, {})
        roles.setdefault(registration.role.value, []).append(_plain(registration))
    return {
        mpxn: {role: by_key[mpxn][role] for role in sorted(by_key[mpxn])} for mpxn in sorted(by_key)
    }


def _smi_indexes(state: DspState) -> dict[str, Plain]:
    """The SMI's lookup indexes: derived data, but a restore that rebuilt them wrongly would
    make 8.2 and CPL suspension (CPL-01) miss devices. Empty buckets are left out: removing a
    device's last index entry leaves one behind."""
    smi = state.smi
    by_key = [[_plain(key), sorted(ids)] for key, ids in smi._by_cpl_key.items() if ids]
    by_mpxn = {mpxn: sorted(ids) for mpxn, ids in smi._by_mpxn.items() if ids}
    return {"by_cpl_key": _sorted(by_key), "by_mpxn": {k: by_mpxn[k] for k in sorted(by_mpxn)}}


def _device(device: SimulatedDevice) -> dict[str, Plain]:
    """Every field of the simulated device; its firmware state machine attribute by attribute
    (running version, held image, pending activation, SMETS1's applied hashes...)."""
    picture: dict[str, Plain] = {}
    for item in dataclasses.fields(device):
        value = getattr(device, item.name)
        if item.name == "gsme":  # the paired GSME, by ID (its own state is listed under its ID)
            picture["gsme"] = value.device_id if value is not None else None
        elif item.name == "firmware":
            machine = {name: _plain(v) for name, v in sorted(vars(value).items())}
            picture["firmware"] = {"kind": type(value).__name__, **machine}
        else:
            picture[item.name] = _plain(value)
    return picture


def _outboxes(state: DspState) -> dict[str, Plain]:
    pictures: dict[str, Plain] = {}
    for user_id, box in sorted(state.outboxes._boxes.items()):
        entries = box.pending()
        if box.last_sequence == 0 and box.acknowledged == 0 and not entries:
            continue  # created by a read (`Dsp.pending` of a user never written to)
        pictures[user_id] = {
            "last_sequence": box.last_sequence,
            "acknowledged": box.acknowledged,
            "pending": [
                {
                    "sequence": entry.sequence,
                    "recipient": entry.recipient,
                    "message": _plain(entry.message),
                }
                for entry in entries
            ],
        }
    return pictures


def _faults(state: DspState) -> dict[str, Plain]:
    plan = state.faults
    return {
        "seed": plan.seed,
        "next_rule_id": _next_count(plan._ids),
        # The seeded generator's position: it decides every later probabilistic rule (FAULT-02).
        "random_state": hashlib.sha256(repr(plan._random.getstate()).encode()).hexdigest(),
        "rules": [
            {"rule_id": rule_id, "matched": active.matched, "rule": _plain(active.rule)}
            for rule_id, active in sorted(plan._rules.items())
        ],
        "decisions": [_plain(decision) for decision in plan.decisions],
    }


def _scheduler(state: DspState) -> dict[str, Plain]:
    scheduler = state.scheduler
    return {
        "next_sequence": _next_count(scheduler._sequence),
        "pending": [
            {
                "due": _plain(timer.due),
                "sequence": timer.sequence,
                "label": timer.label,
                "action": _plain(timer.action),
            }
            for timer in sorted(scheduler._heap)
        ],
    }


def _schedules(state: DspState) -> dict[str, Plain]:
    """The DCC Schedules (5.1), by ID, and the last ID given (IDs are never reused)."""
    book = state.schedules
    return {"last_id": book.last_id, "schedules": [_plain(s) for s in book]}


def _next_count(counter: object) -> int | str:
    """The next value an itertools.count will give, read from its repr (reading it by `next`
    would consume it)."""
    match = _COUNT.fullmatch(repr(counter))
    return int(match.group(1)) if match else repr(counter)


# -- plain values --------------------------------------------------------------------------------


def _plain(value: object) -> Plain:
    """A JSON-able, deterministic form of a core value, recursively."""
    if isinstance(value, Enum):  # before str and int: StrEnum and IntEnum members are both
        return _plain(value.value)
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if value == value else "NaN"  # NaN != NaN would break equality
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return f"{value.days}d{value.seconds}s{value.microseconds}us"
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, DspState):
        return "<dsp state>"  # held work refers back to the state it runs on
    if isinstance(value, partial):
        return {
            "call": _callable_name(value.func),
            "args": [_plain(arg) for arg in value.args],
            "keywords": {key: _plain(value.keywords[key]) for key in sorted(value.keywords)},
        }
    if isinstance(value, FunctionType | BuiltinFunctionType | MethodType):
        return {"call": _callable_name(value)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"type": type(value).__name__, **fields}
    if isinstance(value, Mapping):
        items = [(_plain(k), _plain(v)) for k, v in value.items()]
        if all(isinstance(k, str) for k, _ in items):
            return {str(k): v for k, v in sorted(items, key=lambda kv: str(kv[0]))}
        return _sorted([[k, v] for k, v in items])
    if isinstance(value, set | frozenset):
        return _sorted([_plain(item) for item in value])
    if isinstance(value, list | tuple | deque):
        return [_plain(item) for item in value]
    # Unknown: its repr, unless that holds a memory address, which differs between equal states.
    text = repr(value)
    return {"type": type(value).__qualname__, "repr": None if " at 0x" in text else text}


def _callable_name(function: object) -> str:
    module = getattr(function, "__module__", None) or ""
    name = getattr(function, "__qualname__", None) or repr(function)
    return f"{module}.{name}"


def _sorted(items: Sequence[Plain]) -> list[Plain]:
    return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
