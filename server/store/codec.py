"""The state file's record format: values of dccsim's schema (`schema.py`) as MessagePack.

MessagePack holds None, booleans, integers, floats, strings, bytes, lists and string-keyed maps
natively; everything else is an array whose first item is a *marker*, a MessagePack extension
value that no state holds:

- `[TAG n, field values...]`: a record, object or data class numbered n in the file's tag table
  `(name, kind, fields)`, its values in the table's field order; an enum member `[TAG n, value]`;
  held work `[TAG n, [arguments], {keywords}]`. An object, data class or shared record is
  written `[TAG n, id, values...]` the first time, and as the extension `REF id` after;
- `[TYPE t, ...]`: a tuple, set, frozenset, deque, time span, date, time of day, decimal,
  fraction, non-UTC instant or very big integer;
- the extension `UTC` is an instant of the virtual clock (microseconds since the epoch), and the
  extension `STATE` the DSP's state, to which held work refers (it is being read when its held
  work is).

Reading goes by names, never by code found in the file: each tag is looked up in this dccsim's
schema, and each field by name, so a file written before a field was added (with a default)
still reads, while a field or class that no longer exists is refused with a message naming it.
Nothing in a file can name a class or function outside the schema.

Encoding and decoding run in MessagePack's C code, which calls back here only for the values
it does not hold itself (`default`) and for each array it has read (`list_hook`): a million
devices take seconds, not minutes.
"""

from __future__ import annotations

import collections
import dataclasses
import functools
import operator
import struct
import types
import typing
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any, BinaryIO

import msgpack
from msgpack import ExtType

from dccsim.server.store.schema import Entry, Kind, Schema, schema

# Extension codes.
TAG, TYPE, UTC_INSTANT, REF, STATE, ENUM = 1, 2, 3, 4, 5, 6
# TYPE codes.
TUPLE, SET, FROZENSET, DEQUE, TIMEDELTA, DATE, TIME, DECIMAL, FRACTION, DATETIME, BIG_INT = range(
    1, 12
)

_UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_INSTANT = struct.Struct(">q")
_STATE_NAME = "state.DspState"  # the one object held work refers to (by STATE)

TableRow = tuple[str, str, tuple[str, ...]]  # name, kind, fields


class CodecError(ValueError):
    """A value this format cannot hold, or bytes that are not a value of it."""


def _marker(code: int, number: int) -> ExtType:
    return ExtType(code, number.to_bytes(4, "big"))


_TYPE_MARKERS = {code: _marker(TYPE, code) for code in range(1, 12)}
_STATE_EXT = ExtType(STATE, b"")


class Encoder:
    """Turns values into bytes, numbering the tags it meets in its table. One encoder may write
    many values sharing one table (the command log: the table is stored once in the file);
    `table` lists the tags in the order they were numbered."""

    def __init__(self, table: list[TableRow] | None = None, the_schema: Schema | None = None):
        self._schema = the_schema or schema()
        self.table: list[TableRow] = []
        self._tags: dict[str, int] = {}
        self._handlers: dict[type, Callable[[Any], object]] = {
            tuple: lambda v: [_TYPE_MARKERS[TUPLE], *v],
            set: lambda v: [_TYPE_MARKERS[SET], *v],
            frozenset: lambda v: [_TYPE_MARKERS[FROZENSET], *v],
            collections.deque: lambda v: [_TYPE_MARKERS[DEQUE], v.maxlen, *v],
            datetime: _datetime,
            date: lambda v: [_TYPE_MARKERS[DATE], v.toordinal()],
            time: _time,
            timedelta: lambda v: [_TYPE_MARKERS[TIMEDELTA], v // _MICROSECOND],
            Decimal: lambda v: [_TYPE_MARKERS[DECIMAL], str(v)],
            Fraction: lambda v: [_TYPE_MARKERS[FRACTION], v.numerator, v.denominator],
            int: lambda v: [_TYPE_MARKERS[BIG_INT], str(v)],  # only those MessagePack cannot
            functools.partial: self._work,
        }
        self._ids: dict[int, int] = {}
        self._state: object = None
        for row in table or ():
            self._tags[row[0]] = len(self.table)
            self.table.append(row)

    def encode(self, value: object) -> bytes:
        """One value, with object ids counted from 0 (each call stands alone)."""
        self._ids = {}
        try:
            packed: bytes = msgpack.packb(
                value, default=self._default, strict_types=True, use_bin_type=True
            )
            return packed
        except (TypeError, ValueError, OverflowError) as error:
            raise CodecError(str(error)) from None
        finally:
            self._ids = {}
            self._state = None

    def encode_document(self, value: object) -> bytes:
        """One value with its own tag table: a snapshot, which stands alone. The table comes
        after the value (it is complete only then), and its length last."""
        tree = self.encode(value)
        return tree + self.document_trailer()

    def stream(self, value: object, out: BinaryIO, *, depth: int = 6) -> None:
        """`encode(value)` into a file, a piece at a time: the bytes are the same, but the
        outer `depth` levels of the value -- a DSP's state, its SMI and its devices -- are
        written item by item, so only one item's bytes are ever held (a snapshot process
        writes a million devices' state without a second copy of it in memory)."""
        self._ids = {}
        packer = msgpack.Packer(default=self._default, strict_types=True, use_bin_type=True)
        try:
            self._stream(value, out, packer, depth)
        except (TypeError, ValueError, OverflowError) as error:
            raise CodecError(str(error)) from None
        finally:
            self._ids = {}
            self._state = None

    def _stream(self, value: object, out: BinaryIO, packer: msgpack.Packer, depth: int) -> None:
        kind = type(value)
        if depth and kind is list:
            out.write(packer.pack_array_header(len(value)))  # type: ignore[arg-type]
            for item in value:  # type: ignore[attr-defined]
                self._stream(item, out, packer, depth - 1)
        elif depth and kind is dict:
            out.write(packer.pack_map_header(len(value)))  # type: ignore[arg-type]
            for key, item in value.items():  # type: ignore[attr-defined]
                out.write(packer.pack(key))
                self._stream(item, out, packer, depth - 1)
        elif depth and kind in self._schema.by_target:
            # What `default` would give MessagePack (numbering the object now, as it would).
            self._stream(self._default(value), out, packer, depth - 1)
        else:
            out.write(packer.pack(value))

    def document_trailer(self) -> bytes:
        """What follows the value in a document: the tag table, then its length."""
        rows: bytes = msgpack.packb([[n, k, list(f)] for n, k, f in self.table], use_bin_type=True)
        return rows + struct.pack(">I", len(rows))

    def forget_after(self, size: int) -> None:
        """Drop the tags numbered after the first `size` (they were never written)."""
        for name, _, _ in self.table[size:]:
            del self._tags[name]
        del self.table[size:]

    # -- what MessagePack does not hold itself ----------------------------------------------

    def _default(self, value: object) -> object:
        kind = type(value)
        handler = self._handlers.get(kind)
        if handler is None:
            handler = self._handlers[kind] = self._handler_for(kind)
        return handler(value)

    def _work(self, value: functools.partial[object]) -> list[object]:
        entry = self._schema.by_target.get(value.func)
        if entry is None or entry.kind is not Kind.WORK:
            raise CodecError(f"held work must be a function of dccsim's core: {value.func!r}")
        return [self._tag(entry), list(value.args), dict(value.keywords)]

    def _tag(self, entry: Entry, fields: tuple[str, ...] | None = None) -> ExtType:
        number = self._tags.get(entry.name)
        if number is None:
            number = self._tags[entry.name] = len(self.table)
            written = entry.fields if fields is None else fields
            self.table.append((entry.name, str(entry.kind), written))
        return _marker(TAG, number)

    def _handler_for(self, kind: type) -> Callable[[Any], object]:
        entry = self._schema.by_target.get(kind)
        if entry is None:
            raise CodecError(
                f"{kind.__module__}.{kind.__qualname__} is not part of dccsim's state schema"
            )
        if entry.kind is Kind.ENUM:
            # One extension value per member: its tag, then its value in MessagePack.
            number = self._tag(entry).data
            written = {
                member: ExtType(ENUM, number + msgpack.packb(member.value))
                for member in kind  # type: ignore[attr-defined]
            }
            return written.__getitem__
        if entry.kind is Kind.DATA:
            return self._data_handler(entry)
        tag = self._tag(entry)
        names = entry.fields
        if not names:
            fields: Callable[[Any], tuple[object, ...]] = lambda obj: ()  # noqa: E731
        elif len(names) == 1:
            one = operator.attrgetter(names[0])
            fields = lambda obj: (one(obj),)  # noqa: E731
        else:
            fields = operator.attrgetter(*names)
        if entry.kind is Kind.RECORD:
            return lambda obj: [tag, *fields(obj)]
        is_state = entry.name == _STATE_NAME

        def referenced(obj: object) -> object:
            """In full the first time, with an id; then by the id (or, for the DSP's state,
            as STATE: held work refers to it from inside it)."""
            if is_state:
                if self._state is not None:
                    return _STATE_EXT
                self._state = obj
                return [tag, -1, *fields(obj)]
            ids = self._ids
            known = ids.get(id(obj))
            if known is not None:
                return ExtType(REF, known.to_bytes(4, "big"))
            number = ids[id(obj)] = len(ids)
            return [tag, number, *fields(obj)]

        return referenced

    def _data_handler(self, entry: Entry) -> Callable[[Any], object]:
        """A data class: its to_data() values, in the order of the first one's keys."""
        layout: list[tuple[str, ...]] = []
        tags: list[ExtType] = []

        def data(obj: Any) -> object:
            values = obj.to_data()
            keys = tuple(values)
            if not layout:
                layout.append(keys)
                tags.append(self._tag(entry, keys))
            elif keys != layout[0]:
                raise CodecError(f"{entry.name}.to_data() gave {keys}, before {layout[0]}")
            known = self._ids.get(id(obj))
            if known is not None:
                return ExtType(REF, known.to_bytes(4, "big"))
            number = self._ids[id(obj)] = len(self._ids)
            return [tags[0], number, *values.values()]

        return data


def _datetime(value: datetime) -> object:
    if value.tzinfo is UTC:  # every instant of the virtual clock
        return ExtType(UTC_INSTANT, _INSTANT.pack((value - _UNIX_EPOCH) // _MICROSECOND))
    return [_TYPE_MARKERS[DATETIME], value.isoformat()]


def _time(value: time) -> list[object]:
    if value.tzinfo is not None:
        raise CodecError(f"a time of day with a time zone cannot be stored: {value!r}")
    return [_TYPE_MARKERS[TIME], value.isoformat()]


def decode_document(data: bytes, the_schema: Schema | None = None) -> object:
    """A value `Encoder.encode_document` wrote."""
    view = memoryview(data)
    try:
        (size,) = struct.unpack_from(">I", view, len(view) - 4)
        if not 0 < size <= len(view) - 4:
            raise ValueError("its tag table does not fit")
        rows = msgpack.unpackb(view[len(view) - 4 - size : len(view) - 4], raw=False)
        table = [(str(name), str(kind), tuple(fields)) for name, kind, fields in rows]
    except (ValueError, TypeError, struct.error, msgpack.UnpackException) as error:
        raise CodecError(f"not a document of this format: {error}") from None
    return Decoder(table, the_schema).decode(view[: len(view) - 4 - size])


class _Marker:
    """What a TAG or TYPE extension value reads as: how to read the array it starts."""

    __slots__ = ("read",)

    def __init__(self, read: Callable[[list[Any]], object]) -> None:
        self.read = read


class Decoder:
    """Turns bytes back into values, by a tag table (the one the encoder made).

    A snapshot of a million devices calls back into Python some twenty million times (`_ext`,
    `_list`, the readers), so each call does little: a record's reader checks its length, shares
    the strings of the fields that may hold text and calls the constructor, in one step; values
    that repeat (enum members, instants of the virtual clock) are made once per decode."""

    def __init__(self, table: list[TableRow], the_schema: Schema | None = None) -> None:
        self._schema = the_schema or schema()
        self._readers: list[Callable[[list[Any]], object]] = []
        self._state: object = None
        # What one decode has read, emptied after it (not replaced: the readers hold them).
        # Objects by id; one string object per text, as in the DSP that was written (a million
        # devices' records repeat their manufacturer, model, version, MPxN and Users); and one
        # instant per time (a generated fleet's registrations all start at the same one).
        self._objects: dict[int, object] = {}
        self._strings: dict[str, str] = {}
        self._instants: dict[bytes, datetime] = {}
        # Extension payload -> what it reads as, made once per tag, type or enum member.
        self._tags: dict[bytes, _Marker] = {}
        self._types: dict[bytes, _Marker] = {}
        self._enums: dict[bytes, object] = {}
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

    def decode(self, data: bytes | memoryview) -> object:
        self._state = None
        try:
            return msgpack.unpackb(
                data,
                ext_hook=self._ext,
                list_hook=self._list,
                raw=False,
                strict_map_key=False,
            )
        except CodecError:
            raise
        except Exception as error:  # whatever damaged or crafted bytes make a class raise
            raise CodecError(
                f"a value does not read back: {type(error).__name__}: {error}"
            ) from None
        finally:
            self._objects.clear()
            self._strings.clear()
            self._instants.clear()
            self._state = None

    def _ext(self, code: int, data: bytes) -> object:
        # Most frequent first: a million devices make fifteen million of these calls.
        if code == ENUM:
            member = self._enums.get(data)
            return member if member is not None else self._enum(data)
        if code == TAG:
            marker = self._tags.get(data)
            return marker if marker is not None else self._tag(data)
        if code == UTC_INSTANT:
            instant = self._instants.get(data)
            if instant is None:
                # (timedelta * int: exact, and faster than timedelta(microseconds=...))
                instant = _UNIX_EPOCH + _MICROSECOND * _INSTANT.unpack(data)[0]
                self._instants[data] = instant
            return instant
        if code == REF:
            return self._objects[int.from_bytes(data, "big")]
        if code == TYPE:
            marker = self._types.get(data)
            if marker is None:
                read = _TYPE_READERS.get(int.from_bytes(data, "big"))
                if read is None:
                    raise CodecError(f"unknown type {data!r}")
                marker = self._types[data] = _Marker(read)
            return marker
        if code == STATE:
            return self._pending_state()
        raise CodecError(f"unknown extension {code}")

    def _tag(self, data: bytes) -> _Marker:
        number = int.from_bytes(data, "big")
        if number >= len(self._readers):
            raise CodecError(f"tag {number} is not in the file's tag table")
        marker = self._tags[data] = _Marker(self._readers[number])
        return marker

    def _enum(self, data: bytes) -> object:
        """An enum member: its tag's enum, by its value (each remembered once read)."""
        number = int.from_bytes(data[:4], "big")
        if number >= len(self._readers):
            raise CodecError(f"tag {number} is not in the file's tag table")
        member = self._readers[number]([None, msgpack.unpackb(data[4:], raw=False)])
        self._enums[data] = member
        return member

    @staticmethod
    def _list(items: list[Any]) -> object:
        if items:
            first = items[0]
            if type(first) is _Marker:
                return first.read(items)
        return items

    def _reader_for(
        self, name: str, kind: Kind, fields: tuple[str, ...]
    ) -> Callable[[list[Any]], object]:
        entry = self._schema.entry(name)
        if entry is None:
            raise CodecError(f"the file holds {name!r}, which this dccsim does not know")
        if entry.kind is not kind and {entry.kind, kind} != {Kind.RECORD, Kind.SHARED_RECORD}:
            raise CodecError(f"the file holds {name!r} as a {kind}; this dccsim has a {entry.kind}")
        target: Any = entry.target
        objects = self._objects
        if kind is Kind.ENUM:
            members = {member.value: member for member in target}
            return lambda items: members[items[1]]
        if kind is Kind.WORK:
            return lambda items: functools.partial(target, *items[1], **items[2])
        if kind is Kind.DATA:
            from_data = target.from_data

            def data(items: list[Any]) -> object:  # [TAG n, id, to_data() values...]
                if len(items) != 2 + len(fields):
                    raise CodecError(f"{name} has {len(items) - 2} values for {len(fields)} keys")
                # (counted above: zip's strict=, a keyword, would cost a third of this line)
                obj = from_data(dict(zip(fields, items[2:])))  # noqa: B905
                objects[items[1]] = obj
                return obj

            return data
        if name == _STATE_NAME:
            return self._state_reader(name, target, fields)
        build = _builder(name, target, fields)
        # One string object per text (see __init__), for the fields that may hold one: the
        # others (enum members, instants, numbers, records) are passed on as they are.
        shared = self._strings.setdefault
        texts = _text_positions(target, fields)
        # A record's items: [TAG n, field values...]; a shared record's: [TAG n, id, values...].
        start = 1 if kind is Kind.RECORD else 2

        def read(items: list[Any]) -> object:
            if len(items) != start + len(fields):
                raise CodecError(f"{name} has {len(items) - start} values for {len(fields)} fields")
            values = items[start:]
            for i in texts:
                text = values[i]
                if type(text) is str:
                    values[i] = shared(text, text)
            obj = build(*values)
            if start == 2:
                objects[items[1]] = obj
            return obj

        return read

    def _state_reader(
        self, name: str, cls: type, fields: tuple[str, ...]
    ) -> Callable[[list[Any]], object]:
        """The DSP's state is made first (see `_ext`): its fields fill it in at the end."""
        setters = _setters(name, cls, fields)

        def state(items: list[Any]) -> object:
            obj = self._pending_state()
            setters(obj, items[2:])
            return obj

        return state

    def _pending_state(self) -> object:
        """The DSP's state: made at the first reference to it, which may come from inside it."""
        if self._state is None:
            entry = self._schema.entry(_STATE_NAME)
            assert entry is not None and isinstance(entry.target, type)
            self._state = object.__new__(entry.target)
        return self._state


_TYPE_READERS: dict[int, Callable[[list[Any]], object]] = {
    TUPLE: lambda items: tuple(items[1:]),
    SET: lambda items: set(items[1:]),
    FROZENSET: lambda items: frozenset(items[1:]),
    DEQUE: lambda items: collections.deque(items[2:], maxlen=items[1]),
    TIMEDELTA: lambda items: timedelta(microseconds=items[1]),
    DATE: lambda items: date.fromordinal(items[1]),
    TIME: lambda items: time.fromisoformat(items[1]),
    DECIMAL: lambda items: Decimal(items[1]),
    FRACTION: lambda items: Fraction(items[1], items[2]),
    DATETIME: lambda items: datetime.fromisoformat(items[1]),
    BIG_INT: lambda items: int(items[1]),
}


def _text_positions(cls: type, fields: tuple[str, ...]) -> tuple[int, ...]:
    """The positions of the fields that may hold a str, by the class's annotations: all of
    them if these do not resolve."""
    try:
        hints = typing.get_type_hints(cls)
    except Exception:  # an annotation naming what the module imports only for type checking
        return tuple(range(len(fields)))
    return tuple(i for i, f in enumerate(fields) if _may_be_text(hints.get(f, Any)))


def _may_be_text(hint: object) -> bool:
    """Whether a value of this type may be a str: anything but None, a class that is not str or
    a base of it (an enum, a record, int, datetime, list[str]...), or a union of those."""
    if hint is Any:  # (a class, from Python 3.11 on: not a base of str)
        return True
    if hint is None or hint is type(None):
        return False
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        return any(_may_be_text(arg) for arg in typing.get_args(hint))
    if isinstance(origin, type):  # list[str], tuple[()], dict[str, int]...
        hint = origin
    if not isinstance(hint, type):
        return True  # Any, a Literal, a TypeVar, a NewType...
    try:
        return issubclass(str, hint)
    except TypeError:  # a protocol that cannot be checked at run time
        return True


def _builder(name: str, cls: type, fields: tuple[str, ...]) -> Callable[..., object]:
    """What builds a record or object from the file's field values (given as arguments), by its
    constructor (so a record checks its invariants): the class itself when the file's fields are
    the constructor's, in order. Fields added since the file was written take their defaults."""
    if not dataclasses.is_dataclass(cls):  # a NamedTuple
        names = cls._fields  # type: ignore[attr-defined]
        gone = [f for f in fields if f not in names]
        missing = [f for f in names if f not in fields and f not in cls._field_defaults]  # type: ignore[attr-defined]
        if gone or missing:
            raise CodecError(
                f"{name} has fields {list(names)}, the file {list(fields)}: it needs a migration"
            )
        if fields == names:
            return cls
        return lambda *values: cls(**dict(zip(fields, values, strict=True)))
    current = dataclasses.fields(cls)
    names = tuple(f.name for f in current)
    gone = [f for f in fields if f not in names]
    if gone:
        raise CodecError(
            f"{name} has no field {', '.join(gone)} any more: the file needs a migration"
        )
    if fields == names and all(f.init for f in current):
        return cls
    _check_defaults(name, current, fields)
    if all(f.init for f in current):
        return lambda *values: cls(**dict(zip(fields, values, strict=True)))
    # A field the constructor does not take: set every field as the state's are.
    setters = _setters(name, cls, fields)

    def build(*values: object) -> object:
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
) -> Callable[[object, Sequence[object]], None]:
    current = dataclasses.fields(cls)
    names = tuple(f.name for f in current)
    gone = [f for f in fields if f not in names]
    if gone:
        raise CodecError(
            f"{name} has no field {', '.join(gone)} any more: the file needs a migration"
        )
    _check_defaults(name, current, fields)
    missing = [f for f in current if f.name not in fields]
    setattr_ = object.__setattr__

    def set_all(obj: object, values: Sequence[object]) -> None:
        if len(values) != len(fields):
            raise CodecError(f"{name} has {len(values)} values for {len(fields)} fields")
        for field_name, value in zip(fields, values, strict=True):
            setattr_(obj, field_name, value)
        for f in missing:
            if f.default is not dataclasses.MISSING:
                default = f.default
            else:
                assert f.default_factory is not dataclasses.MISSING  # _check_defaults saw to it
                default = f.default_factory()
            setattr_(obj, f.name, default)

    return set_all
