"""`quick_init`: faster building, copying and printing of the frozen, slotted dataclasses made on
every request, and `replace`, which copies any dataclass with changes (quickly for these).

A frozen dataclass's generated `__init__` sets each field with `object.__setattr__`, which checks
on every call that it may bypass the class's own (refusing) `__setattr__`: on CPython 3.11 that is
most of the cost of making a small record, and a Service Request makes about ten of them (its
RequestId, the answer, the response, the outbox entry...). Setting each slot through its member
descriptor skips the check and keeps everything else: the instance is as frozen afterwards (the
class's `__setattr__` still refuses), with the same signature, defaults, `__post_init__`,
equality, hash, pickling and `dataclasses.replace`.

`dataclasses.replace` walks the fields' metadata on every call; the class's own `__replace__`
(Python 3.13's protocol for `copy.replace`) is made once, here, and names the fields outright.
The generated `__repr__` is dataclasses' text without its guard against a record that holds
itself, which these records (immutable values) cannot; the core hashes a request's repr to make
its pre-command token (`dccsim.server.core.dsp`), so the text must stay exactly dataclasses'.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")

_MISSING = dataclasses.MISSING


def quick_init(cls: type[T]) -> type[T]:
    """Give a `@dataclass(frozen=True, slots=True)` class the faster `__init__`, `__replace__`
    and `__repr__` (apply it above the `@dataclass` line)."""
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" not in cls.__dict__:
        raise TypeError(f"quick_init needs a frozen, slotted dataclass, not {cls.__name__}")
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    if len(fields) != len(cls.__dataclass_fields__):  # type: ignore[attr-defined]
        raise TypeError(f"quick_init does not take InitVars or ClassVars ({cls.__name__})")
    namespace: dict[str, Any] = {"_MISSING": _MISSING, "_cls": cls}
    _make(namespace, _init_source(fields, namespace, hasattr(cls, "__post_init__")))
    _make(namespace, _replace_source(fields))
    _install(cls, namespace, "__init__", "__replace__")
    if params.repr and _generated_repr(cls):
        _make(namespace, _repr_source(fields))
        _install(cls, namespace, "__repr__")
    return cls


def replace(record: T, /, **changes: Any) -> T:
    """`dataclasses.replace`, through the record's `__replace__` where it has one."""
    quick = getattr(record, "__replace__", None)
    if quick is None:
        return dataclasses.replace(record, **changes)  # type: ignore[type-var]
    return quick(**changes)  # type: ignore[no-any-return]


def _init_source(
    fields: tuple[dataclasses.Field[Any], ...], namespace: dict[str, Any], post_init: bool
) -> str:
    positional: list[str] = []
    keyword: list[str] = []
    body: list[str] = []
    for index, f in enumerate(fields):
        setter = f"_set{index}"
        namespace[setter] = None  # filled by _install, from the class's slots
        namespace[f"_slot{index}"] = f.name
        default = _default_expression(f, index, namespace)
        if not f.init:
            if default is not None:  # else never set by __init__ (as dataclasses leaves it)
                body.append(f"{setter}(self, {default})")
            continue
        parameter = f.name
        if f.default is not _MISSING:
            parameter += f"={default}"
            body.append(f"{setter}(self, {f.name})")
        elif f.default_factory is not _MISSING:
            parameter += "=_MISSING"
            body.append(f"{setter}(self, {default} if {f.name} is _MISSING else {f.name})")
        else:
            body.append(f"{setter}(self, {f.name})")
        (keyword if f.kw_only else positional).append(parameter)
    if post_init:
        body.append("self.__post_init__()")
    signature = ", ".join(["self", *positional, *(["*", *keyword] if keyword else [])])
    return f"def __init__({signature}):\n" + "".join(f"    {line}\n" for line in body or ["pass"])


def _replace_source(fields: tuple[dataclasses.Field[Any], ...]) -> str:
    arguments = [f"{f.name}=changes.pop({f.name!r}, self.{f.name})" for f in fields if f.init]
    refused = [f.name for f in fields if not f.init]
    return (
        "def __replace__(self, /, **changes):\n"
        + (f"    if changes.keys() & {set(refused)!r}:\n" if refused else "")
        + (
            "        raise ValueError('init=False fields cannot be given to replace()')\n"
            if refused
            else ""
        )
        + f"    copy = _cls({', '.join(arguments)})\n"
        + "    if changes:\n"
        + "        raise TypeError(f'unexpected field(s) {sorted(changes)} for replace()')\n"
        + "    return copy\n"
    )


def _repr_source(fields: tuple[dataclasses.Field[Any], ...]) -> str:
    parts = ", ".join(f"{f.name}={{self.{f.name}!r}}" for f in fields if f.repr)
    return f"def __repr__(self):\n    return f'{{type(self).__qualname__}}({parts})'\n"


def _default_expression(
    f: dataclasses.Field[Any], index: int, namespace: dict[str, Any]
) -> str | None:
    if f.default is not _MISSING:
        namespace[f"_default{index}"] = f.default
        return f"_default{index}"
    if f.default_factory is not _MISSING:
        namespace[f"_factory{index}"] = f.default_factory
        return f"_factory{index}()"
    return None


def _make(namespace: dict[str, Any], source: str) -> None:
    exec(source, namespace)  # as dataclasses itself makes its methods


def _install(cls: type, namespace: dict[str, Any], *names: str) -> None:
    for key in [k for k in namespace if k.startswith("_slot")]:
        index = key.removeprefix("_slot")
        namespace[f"_set{index}"] = cls.__dict__[namespace[key]].__set__
    for name in names:
        method = namespace[name]
        method.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(cls, name, method)


def _generated_repr(cls: type) -> bool:
    """Is the class's __repr__ the one dataclasses wrote (not the class body's own)?"""
    method = cls.__dict__.get("__repr__")
    code = getattr(getattr(method, "__wrapped__", method), "__code__", None)
    return code is not None and code.co_filename == "<string>"
