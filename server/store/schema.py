"""What a state file may hold: dccsim's own records, state objects and held work, each by a
stable name.

The list is built from the packages that hold the DSP's state -- the core, its SRV registry and
the devices -- and nothing else: a state file naming anything outside it is refused, so opening
one can only ever build dccsim's own data. Names are class names (and, for held work, the
function's module and name), not import paths, so moving a class to another module does not
break a file; renaming one does, and needs an entry in `RENAMED` (old name -> new name) or a
migration.

Four kinds of entry:

- a *record*: a frozen dataclass (or a NamedTuple), written as its field values and rebuilt by
  its constructor (which checks its invariants);
- an *object*: a mutable dataclass, written as its field values; one may be referred to from
  several places (a GPF's GSME, the DSP's state from held work), and is restored once;
- a *data* class: a mutable class with a snapshot contract of its own, `to_data()` (a dict of
  values this schema can hold) and the classmethod `from_data(data)`;
- *work*: a module-level function of the core, held (in `functools.partial`) for the scheduler
  or for when a response is heard: written as its name and arguments.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import ModuleType

# The packages whose modules hold the DSP's state and the work it holds.
PACKAGES = ("dccsim.server.core", "dccsim.server.core.services", "dccsim.devices")
# Old name -> current name, for a class or function renamed since a file was written.
RENAMED: Mapping[str, str] = {}


class Kind(enum.StrEnum):
    RECORD = "record"
    SHARED_RECORD = "shared-record"  # a record many places share: restored once
    OBJECT = "object"
    DATA = "data"
    ENUM = "enum"
    WORK = "work"


# Frozen records that many places share (one consumption profile for thousands of meters):
# written once and referred to after, so a restore does not make a copy per place.
_SHARED_RECORDS = frozenset({"consumption.ConsumptionProfile"})


@dataclass(frozen=True, slots=True)
class Entry:
    name: str
    kind: Kind
    target: type | Callable[..., object]
    fields: tuple[str, ...]  # a dataclass's fields, in order; () for the other kinds


@dataclass(frozen=True, slots=True)
class Schema:
    by_name: Mapping[str, Entry]
    by_target: Mapping[object, Entry]

    def entry(self, name: str) -> Entry | None:
        return self.by_name.get(RENAMED.get(name, name))

    def describe(self) -> dict[str, dict[str, object]]:
        """Every entry as plain data: what a test pins, so a change is seen."""
        described: dict[str, dict[str, object]] = {}
        for name, entry in sorted(self.by_name.items()):
            item: dict[str, object] = {"kind": str(entry.kind)}
            if entry.fields:
                item["fields"] = list(entry.fields)
            if entry.kind is Kind.ENUM:
                assert isinstance(entry.target, enum.EnumMeta)
                members: list[enum.Enum] = list(entry.target)
                item["values"] = [m.value for m in members]
            described[name] = item
        return described


def _modules() -> Iterable[ModuleType]:
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        for info in pkgutil.iter_modules(package.__path__, package_name + "."):
            if not info.ispkg:
                yield importlib.import_module(info.name)


def _entry(value: object, module: ModuleType) -> Entry | None:
    # The module's own name (not its package) and the class's: "journal.Event" and
    # "prepayment.Event" are different records, and a package can move without breaking files.
    short = module.__name__.rsplit(".", 1)[1]
    # isroutine, not isfunction: in a build compiled with mypyc the core's functions are builtins.
    if inspect.isroutine(value):
        if module.__name__.startswith("dccsim.devices."):
            return None  # held work is the DSP's: devices hold none
        return Entry(f"{short}.{value.__name__}", Kind.WORK, value, ())
    if not isinstance(value, type):
        return None
    name = f"{short}.{value.__qualname__}"
    if issubclass(value, enum.Enum):
        return Entry(name, Kind.ENUM, value, ())
    if hasattr(value, "to_data") and hasattr(value, "from_data"):
        return Entry(name, Kind.DATA, value, ())
    if issubclass(value, tuple) and hasattr(value, "_fields"):  # a NamedTuple: a record
        return Entry(name, Kind.RECORD, value, tuple(value._fields))
    if dataclasses.is_dataclass(value):
        fields = tuple(f.name for f in dataclasses.fields(value))
        if value.__dataclass_params__.frozen:  # type: ignore[attr-defined]
            kind = Kind.SHARED_RECORD if name in _SHARED_RECORDS else Kind.RECORD
            return Entry(name, kind, value, fields)
        return Entry(name, Kind.OBJECT, value, fields)
    return None


@functools.cache
def schema() -> Schema:
    """The schema of this dccsim (built once: it is the code's, not state)."""
    by_name: dict[str, Entry] = {}
    by_target: dict[object, Entry] = {}
    for module in _modules():
        for value in vars(module).values():
            if getattr(value, "__module__", None) != module.__name__:
                continue  # imported from elsewhere: its own module lists it
            entry = _entry(value, module)
            if entry is None:
                continue
            clash = by_name.get(entry.name)
            if clash is not None and clash.target is not value:
                raise RuntimeError(
                    f"two classes or functions are named {entry.name!r} "
                    f"({clash.target!r}, {value!r}): rename one"
                )
            by_name[entry.name] = entry
            by_target[value] = entry
    return Schema(by_name, by_target)
