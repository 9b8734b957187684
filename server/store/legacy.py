"""Reading a `dccsim-state/3` file -- pickled Python -- once, to migrate it to the current format.

Pickle can call anything it can name, so the loader names very little: dccsim's own records and
state classes (the state schema, `schema.py`), a few standard values (instants, containers, the
fault plan's random generator) and the two helpers the /3 writer used for compact instants and
Service Requests. Anything else -- `os.system`, `builtins.eval`, a class of another package -- is
refused before it is called, and the file with it. Held work (a function of the core with its
arguments) is read as a name only, never called while loading, and bound to the function when
the whole snapshot has been read.
"""

from __future__ import annotations

import collections
import datetime
import functools
import io
import itertools
import pickle
import random
from dataclasses import dataclass
from typing import Any

from dccsim.server.core import commands, records, requests
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.store.schema import Kind, schema

LEGACY_FORMAT = "dccsim-state/3"
_UNIX_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


class LegacyRefused(pickle.UnpicklingError):
    """The pickle names something outside dccsim's records."""


def _utc_instant(micros: int) -> datetime.datetime:
    return _UNIX_EPOCH + datetime.timedelta(microseconds=micros)


def _submit(
    originator: str,
    target: str,
    counter: int,
    srv: str,
    variant: int,
    body: requests.RequestBody,
    execution_datetime: datetime.datetime | None,
    user_role: records.UserRole | None,
) -> commands.Submit:
    request_id = requests.RequestId(originator, target, counter)
    return commands.Submit(
        requests.ServiceRequest(
            request_id, srv, CommandVariant(variant), body, execution_datetime, user_role
        )
    )


@dataclass(frozen=True, slots=True)
class _WorkName:
    """Held work as the pickle names it: bound to its function once loading is over. Calling
    one (a crafted pickle calling a function while it loads) is refused."""

    name: str

    def __call__(self, *args: object, **kwargs: object) -> None:
        raise LegacyRefused(f"a state file may not call {self.name} while it is read")


_STANDARD: dict[tuple[str, str], object] = {
    ("datetime", "datetime"): datetime.datetime,
    ("datetime", "date"): datetime.date,
    ("datetime", "time"): datetime.time,
    ("datetime", "timedelta"): datetime.timedelta,
    ("datetime", "timezone"): datetime.timezone,
    ("collections", "deque"): collections.deque,
    ("builtins", "set"): set,
    ("builtins", "frozenset"): frozenset,
    ("random", "Random"): random.Random,
    ("itertools", "count"): itertools.count,
    ("functools", "partial"): functools.partial,
    ("dccsim.server.store.state_file", "_utc_instant"): _utc_instant,
    ("dccsim.server.store.state_file", "_submit"): _submit,
}


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        standard = _STANDARD.get((module, name))
        if standard is not None:
            return standard
        if module.startswith("dccsim."):
            the_schema = schema()
            for entry in the_schema.by_name.values():
                target = entry.target
                if target.__module__ == module and target.__qualname__ == name:
                    if entry.kind is Kind.WORK:
                        return _WorkName(entry.name)
                    return target
        raise LegacyRefused(f"a state file may not name {module}.{name}")


def loads(data: bytes) -> Any:
    """Unpickle a /3 snapshot or command row, refusing anything outside dccsim's records."""
    return _bind_work(_Unpickler(io.BytesIO(data)).load())


def _bind_work(value: Any) -> Any:
    """Give held work its functions: the scheduler's timers and their arguments (nested work,
    such as what to do when a delayed response is heard)."""
    state = getattr(value, "state", None)
    scheduler = getattr(state, "scheduler", None)
    if scheduler is not None:
        for timer in scheduler._heap:
            timer.action = _bound(timer.action)
    return value


def _bound(value: Any) -> Any:
    if isinstance(value, functools.partial):
        func = value.func
        if isinstance(func, _WorkName):
            entry = schema().by_name[func.name]
            func = entry.target
        args = [_bound(a) for a in value.args]
        return functools.partial(func, *args, **{k: _bound(v) for k, v in value.keywords.items()})
    return value
