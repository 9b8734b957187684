"""The state file's record format: values of dccsim's schema (`schema.py`) as MessagePack.

A value is written as a tree MessagePack holds natively: None, booleans, integers, floats,
strings and bytes as themselves, and everything else as an array whose first item says what it
is -- a container or instant code below 32, or a *tag* (32 and up) naming an entry of the file's
tag table: `(name, kind, fields)`. A record is `[tag, field values...]` in the table's field
order; an enum member `[tag, value]`; a data class `[tag, {its to_data()}]`; held work
`[tag, [arguments], {keywords}]`. An object written once is referred to after by `[REF, n]`,
n counting the objects (and shared records, and data classes) in the order they were written.

Reading goes by names, never by code found in the file: each tag is looked up in this dccsim's
schema, and each field by name, so a file written before a field was added (with a default)
still reads, while a field or class that no longer exists is refused with a message naming it.
Nothing in a file can name a class or function outside the schema.
"""

from __future__ import annotations

import collections
import dataclasses
import functools
import operator
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

import msgpack

from dccsim.server.store.schema import Entry, Kind, Schema, schema

# Codes below FIRST_TAG: containers, instants and references.
LIST, TUPLE, DICT, SET, FROZENSET, DEQUE = 0, 1, 2, 3, 4, 5
UTC_INSTANT, DATETIME, DATE, TIME, TIMEDELTA, BIG_INT, REF = 6, 7, 8, 9, 10, 11, 12
DECIMAL, FRACTION = 13, 14
FIRST_TAG = 32

_UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_INT_RANGE = range(-(2**63), 2**64)

TableRow = tuple[str, str, tuple[str, ...]]  # name, kind, fields


class CodecError(ValueError):
    """A value this format cannot hold, or bytes that are not a value of it."""


def _utc_micros(value: datetime) -> int:
    return (value - _UNIX_EPOCH) // _MICROSECOND


class Encoder:
    """Turns values into bytes, numbering the tags it meets in its table. One encoder may write
    many values sharing one table (the command log: the table is stored once in the file);
    `table` lists the tags in the order they were numbered."""

    def __init__(self, table: list[TableRow] | None = None, the_schema: Schema | None = None):
        self._schema = the_schema or schema()
        self.table: list[TableRow] = []
        self._tags: dict[str, int] = {}
        self._handlers: dict[type, Callable[[Any], object]] = {
            list: self._list,
            tuple: self._tuple,
            dict: self._dict,
            set: self._set,
            frozenset: self._frozenset,
            collections.deque: self._deque,
            datetime: self._datetime,
            date: lambda v: [DATE, v.toordinal()],
            time: self._time,
            timedelta: lambda v: [TIMEDELTA, v // _MICROSECOND],
            functools.partial: self._work,
            Decimal: lambda v: [DECIMAL, str(v)],
            Fraction: lambda v: [FRACTION, self._value(v.numerator), self._value(v.denominator)],
        }
        self._refs: dict[int, int] = {}
        for row in table or ():
            self._tags[row[0]] = len(self.table)
            self.table.append(row)

    def encode(self, value: object) -> bytes:
        """One value, with references numbered from 0 (each call stands alone)."""
        self._refs = {}
        try:
            return msgpack.packb(self._value(value), use_bin_type=True)
        finally:
            self._refs = {}

    def encode_document(self, value: object) -> bytes:
        """One value with its own tag table: a snapshot, which stands alone."""
        self._refs = {}
        try:
            tree = self._value(value)
            rows = [[name, kind, list(fields)] for name, kind, fields in self.table]
            return msgpack.packb([rows, tree], use_bin_type=True)
        finally:
            self._refs = {}

    def forget_after(self, size: int) -> None:
        """Drop the tags numbered after the first `size` (they were never written)."""
        for name, _, _ in self.table[size:]:
            del self._tags[name]
        del self.table[size:]

    # -- values ---------------------------------------------------------------------------

    def _value(self, value: object) -> object:
        kind = type(value)
        if kind is str or kind is float or kind is bool or value is None or kind is bytes:
            return value
        if kind is int:
            return value if value in _INT_RANGE else [BIG_INT, str(value)]
        handler = self._handlers.get(kind)
        if handler is None:
            handler = self._handlers[kind] = self._handler_for(kind)
        return handler(value)

    def _list(self, value: list[object]) -> list[object]:
        v = self._value
        return [LIST, *[v(item) for item in value]]

    def _tuple(self, value: tuple[object, ...]) -> list[object]:
        v = self._value
        return [TUPLE, *[v(item) for item in value]]

    def _dict(self, value: dict[object, object]) -> list[object]:
        v = self._value
        out: list[object] = [DICT]
        for key, item in value.items():
            out.append(v(key))
            out.append(v(item))
        return out

    def _set(self, value: set[object]) -> list[object]:
        v = self._value
        return [SET, *[v(item) for item in value]]

    def _frozenset(self, value: frozenset[object]) -> list[object]:
        v = self._value
        return [FROZENSET, *[v(item) for item in value]]

    def _deque(self, value: collections.deque[object]) -> list[object]:
        v = self._value
        return [DEQUE, value.maxlen, *[v(item) for item in value]]

    def _datetime(self, value: datetime) -> list[object]:
        if value.tzinfo is UTC:  # every instant of the virtual clock
            return [UTC_INSTANT, _utc_micros(value)]
        return [DATETIME, value.isoformat()]

    def _time(self, value: time) -> list[object]:
        if value.tzinfo is not None:
            raise CodecError(f"a time of day with a time zone cannot be stored: {value!r}")
        return [TIME, value.isoformat()]

    def _work(self, value: functools.partial[object]) -> list[object]:
        entry = self._schema.by_target.get(value.func)
        if entry is None or entry.kind is not Kind.WORK:
            raise CodecError(f"held work must be a function of dccsim's core: {value.func!r}")
        v = self._value
        return [
            self._tag(entry),
            [LIST, *[v(a) for a in value.args]],
            self._dict(value.keywords),
        ]

    def _tag(self, entry: Entry) -> int:
        number = self._tags.get(entry.name)
        if number is None:
            number = self._tags[entry.name] = len(self.table)
            self.table.append((entry.name, str(entry.kind), entry.fields))
        return FIRST_TAG + number

    def _handler_for(self, kind: type) -> Callable[[Any], object]:
        entry = self._schema.by_target.get(kind)
        if entry is None:
            raise CodecError(
                f"{kind.__module__}.{kind.__qualname__} is not part of dccsim's state schema"
            )
        tag = self._tag(entry)
        v = self._value
        if entry.kind is Kind.ENUM:
            return lambda member: [tag, v(member.value)]
        if entry.kind is Kind.DATA:
            return functools.partial(self._referenced, tag, lambda obj: [tag, v(obj.to_data())])
        names = entry.fields
        if not names:
            fields: Callable[[Any], tuple[object, ...]] = lambda obj: ()  # noqa: E731
        elif len(names) == 1:
            one = operator.attrgetter(names[0])
            fields = lambda obj: (one(obj),)  # noqa: E731
        else:
            fields = operator.attrgetter(*names)  # type: ignore[assignment]

        def record(obj: object) -> list[object]:
            return [tag, *[v(item) for item in fields(obj)]]

        if entry.kind is Kind.RECORD:
            return record
        return functools.partial(self._referenced, tag, record)

    def _referenced(self, tag: int, write: Callable[[Any], list[object]], obj: object) -> object:
        """An object (or data class, or shared record): in full the first time, then by number.
        Numbered before its fields are written, as the reader numbers it before reading them."""
        number = self._refs.get(id(obj))
        if number is not None:
            return [REF, number]
        self._refs[id(obj)] = len(self._refs)
        return write(obj)


def decode_document(data: bytes, the_schema: Schema | None = None) -> object:
    """A value `Encoder.encode_document` wrote."""
    try:
        rows, tree = msgpack.unpackb(data, use_list=True, raw=False, strict_map_key=False)
        table = [(str(name), str(kind), tuple(fields)) for name, kind, fields in rows]
    except (ValueError, TypeError, msgpack.UnpackException) as error:
        raise CodecError(f"not a document of this format: {error}") from None
    decoder = Decoder(table, the_schema)
    return decoder.decode_tree(tree)


class Decoder:
    """Turns bytes back into values, by a tag table (the one the encoder made)."""

    def __init__(self, table: list[TableRow], the_schema: Schema | None = None) -> None:
        self._schema = the_schema or schema()
        self._readers: list[Callable[[list[Any]], object]] = []
        self._refs: list[object] = []
        self.extend(table)

    def extend(self, rows: list[TableRow]) -> None:
        for name, kind, fields in rows:
            try:
                known = Kind(kind)
            except ValueError:
                raise CodecError(
                    f"the file holds {name!r} as a {kind!r}, not a kind of value"
                ) from None
            self._readers.append(self._reader_for(name, known, tuple(fields)))

    def decode(self, data: bytes) -> object:
        try:
            tree = msgpack.unpackb(data, use_list=True, raw=False, strict_map_key=False)
        except (ValueError, TypeError, msgpack.UnpackException) as error:
            raise CodecError(f"not a value of this format: {error}") from None
        return self.decode_tree(tree)

    def decode_tree(self, tree: object) -> object:
        self._refs = []
        try:
            return self._value(tree)
        except CodecError:
            raise
        except Exception as error:  # whatever a damaged or crafted value makes a class raise
            raise CodecError(
                f"a value does not read back: {type(error).__name__}: {error}"
            ) from None
        finally:
            self._refs = []

    def _value(self, node: object) -> object:
        if type(node) is not list:
            return node
        code = node[0]
        if code >= FIRST_TAG:
            return self._readers[code - FIRST_TAG](node)
        v = self._value
        if code == TUPLE:
            return tuple([v(item) for item in node[1:]])
        if code == LIST:
            return [v(item) for item in node[1:]]
        if code == UTC_INSTANT:
            return _UNIX_EPOCH + timedelta(microseconds=node[1])
        if code == DICT:
            items = node
            return {v(items[i]): v(items[i + 1]) for i in range(1, len(items), 2)}
        if code == REF:
            found = self._refs[node[1]]
            if found is None:
                raise CodecError("an object refers to itself before it is complete")
            return found
        if code == SET:
            return {v(item) for item in node[1:]}
        if code == FROZENSET:
            return frozenset([v(item) for item in node[1:]])
        if code == DEQUE:
            return collections.deque([v(item) for item in node[2:]], maxlen=node[1])
        if code == DATETIME:
            return datetime.fromisoformat(node[1])
        if code == DATE:
            return date.fromordinal(node[1])
        if code == TIME:
            return time.fromisoformat(node[1])
        if code == TIMEDELTA:
            return timedelta(microseconds=node[1])
        if code == BIG_INT:
            return int(node[1])
        if code == DECIMAL:
            return Decimal(node[1])
        if code == FRACTION:
            return Fraction(v(node[1]), v(node[2]))
        raise CodecError(f"unknown code {code}")

    def _reader_for(
        self, name: str, kind: Kind, fields: tuple[str, ...]
    ) -> Callable[[list[Any]], object]:
        entry = self._schema.entry(name)
        if entry is None:
            raise CodecError(f"the file holds {name!r}, which this dccsim does not know")
        if entry.kind is not kind and {entry.kind, kind} != {Kind.RECORD, Kind.SHARED_RECORD}:
            raise CodecError(f"the file holds {name!r} as a {kind}; this dccsim has a {entry.kind}")
        target: Any = entry.target
        v = self._value
        if kind is Kind.ENUM:
            return lambda node: target(v(node[1]))
        if kind is Kind.WORK:
            return lambda node: functools.partial(target, *v(node[1]), **v(node[2]))
        if kind is Kind.DATA:

            def data(node: list[Any]) -> object:
                number = len(self._refs)
                self._refs.append(None)
                obj = target.from_data(v(node[1]))
                self._refs[number] = obj
                return obj

            return data
        build = _builder(name, target, fields)
        if kind is Kind.RECORD:
            return lambda node: build([v(item) for item in node[1:]])
        if kind is Kind.SHARED_RECORD:

            def shared(node: list[Any]) -> object:
                number = len(self._refs)
                self._refs.append(None)
                obj = build([v(item) for item in node[1:]])
                self._refs[number] = obj
                return obj

            return shared
        setters = _setters(name, target, fields)

        def mutable(node: list[Any]) -> object:
            obj = target.__new__(target)
            self._refs.append(obj)  # numbered before its fields, which may refer to it
            setters(obj, [v(item) for item in node[1:]])
            return obj

        return mutable


def _builder(name: str, cls: type, fields: tuple[str, ...]) -> Callable[[list[object]], object]:
    """Build a frozen record from the file's field values, by its constructor (so it checks
    its invariants). Fields added since the file was written take their defaults."""
    if not dataclasses.is_dataclass(cls):  # a NamedTuple
        names = cls._fields  # type: ignore[attr-defined]
        gone = [f for f in fields if f not in names]
        missing = [f for f in names if f not in fields and f not in cls._field_defaults]  # type: ignore[attr-defined]
        if gone or missing:
            raise CodecError(
                f"{name} has fields {list(names)}, the file {list(fields)}: it needs a migration"
            )
        if fields == names:
            return lambda values: cls(*values)
        return lambda values: cls(**dict(zip(fields, values, strict=True)))
    current = dataclasses.fields(cls)  # type: ignore[arg-type]
    names = tuple(f.name for f in current)
    gone = [f for f in fields if f not in names]
    if gone:
        raise CodecError(
            f"{name} has no field {', '.join(gone)} any more: the file needs a migration"
        )
    if fields == names and all(f.init for f in current):
        return lambda values: cls(*values)
    _check_defaults(name, current, fields)
    if all(f.init for f in current):
        return lambda values: cls(**dict(zip(fields, values, strict=True)))
    # A field the constructor does not take: set every field as an object's are.
    setters = _setters(name, cls, fields)

    def build(values: list[object]) -> object:
        obj = cls.__new__(cls)
        setters(obj, values)
        return obj

    return build


def _check_defaults(
    name: str, current: tuple[dataclasses.Field[Any], ...], fields: tuple[str, ...]
) -> None:
    for f in current:
        if (
            f.name not in fields
            and f.default is dataclasses.MISSING
            and f.default_factory is dataclasses.MISSING
        ):
            raise CodecError(
                f"{name} has a field {f.name} with no default, which the file does not hold: "
                "the file needs a migration"
            )


def _setters(
    name: str, cls: type, fields: tuple[str, ...]
) -> Callable[[object, list[object]], None]:
    current = dataclasses.fields(cls)  # type: ignore[arg-type]
    names = tuple(f.name for f in current)
    gone = [f for f in fields if f not in names]
    if gone:
        raise CodecError(
            f"{name} has no field {', '.join(gone)} any more: the file needs a migration"
        )
    _check_defaults(name, current, fields)
    missing = [f for f in current if f.name not in fields]
    setattr_ = object.__setattr__

    def set_all(obj: object, values: list[object]) -> None:
        if len(values) != len(fields):
            raise CodecError(f"{name} has {len(values)} values for {len(fields)} fields")
        for field_name, value in zip(fields, values):  # noqa: B905 (checked above)
            setattr_(obj, field_name, value)
        for f in missing:
            default = f.default if f.default is not dataclasses.MISSING else f.default_factory()  # type: ignore[misc]
            setattr_(obj, f.name, default)

    return set_all
