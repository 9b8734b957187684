"""One spelling of the API's values in everything the CLI prints and reads.

Enums print in DUIS's own words (`Commissioned`, `ESME`, `SMETS2`, `Current`, `IS`), never as
the proto's names (`SMI_STATUS_COMMISSIONED`); they are read in either spelling, any case.
Messages print as protobuf's canonical JSON (camelCase names: `firmwareVersion`, as grpcurl
prints them) and are read with those or the .proto's names (`firmware_version`); bytes are
base64 both ways.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from typing import Any, TypeVar

from google.protobuf import json_format
from google.protobuf.descriptor import Descriptor, EnumDescriptor, FieldDescriptor
from google.protobuf.message import Message

from dccsim.server.rpc.wire import (
    CPL_STATUSES,
    DEVICE_TYPES,
    SMETS,
    SMI_STATUSES,
    USER_ROLES,
    E,
    EnumMap,
    V,
)

M = TypeVar("M", bound=Message)


def _duis_words(mapping: EnumMap[E, V]) -> tuple[str, dict[int, str]]:
    """The proto enum's full name, and its numbers' DUIS words (the core's enum values), in
    number order. The map pairs every number but 0 with a core member."""
    words = {mapping.to_proto(member): str(member.value) for member in mapping.core}
    return mapping.proto_name, dict(sorted(words.items()))


# proto enum full name -> {number: DUIS word}.
_WORDS: dict[str, dict[int, str]] = dict(
    [
        _duis_words(DEVICE_TYPES),
        _duis_words(SMETS),
        _duis_words(SMI_STATUSES),
        _duis_words(USER_ROLES),
        _duis_words(CPL_STATUSES),
    ]
)


class BadValue(ValueError):
    """Input that names no value of its type."""


class UnknownField(BadValue):
    """A JSON key that names no field of its message: `path` the fields leading to it (empty at
    the top), `fields` the message's field names (the .proto's), for a "did you mean"."""

    def __init__(self, name: str, path: tuple[str, ...], message: str, fields: list[str]) -> None:
        where = f" (in {'.'.join(path)})" if path else ""
        super().__init__(f"{message} has no field {name!r}{where}{did_you_mean(name, fields)}")
        self.name = name
        self.path = path
        self.fields = fields


def closest(text: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """The choices nearest `text` (difflib), nearest first, compared without case or
    underscores, so that a camelCase spelling finds its .proto name."""
    folded: dict[str, str] = {}
    for choice in choices:
        folded.setdefault(choice.replace("_", "").casefold(), choice)
    wanted = text.replace("_", "").replace("-", "").casefold()
    return [folded[f] for f in difflib.get_close_matches(wanted, list(folded), n=n, cutoff=0.6)]


def did_you_mean(text: str, choices: Iterable[str]) -> str:
    """The "; did you mean X?" (or "one of: X, Y?") that ends a message about `text`, or nothing
    when no choice is near it."""
    found = closest(text, choices)
    if len(found) > 1:
        return f"; did you mean one of: {', '.join(found)}?"
    return f"; did you mean {found[0]}?" if found else ""


def word(enum: EnumDescriptor, number: int) -> str:
    """The value `number` of `enum`, as the CLI prints it."""
    words = _WORDS.get(enum.full_name)
    if words is not None and number in words:
        return words[number]
    value = enum.values_by_number.get(number)
    return value.name if value is not None else str(number)


def parse_word(enum: EnumDescriptor, text: str) -> int:
    """The number of the `enum` value `text` names: its DUIS word or its proto name, any case."""
    wanted = text.strip().casefold()
    for number, known in _WORDS.get(enum.full_name, {}).items():
        if known.casefold() == wanted:
            return number
    for value in enum.values:
        if value.name.casefold() == wanted and value.number != 0:
            return value.number
    allowed = _WORDS.get(enum.full_name) or {v.number: v.name for v in enum.values if v.number != 0}
    raise BadValue(f"{text!r} is not one of {', '.join(allowed.values())}")


def message_dict(message: Message) -> dict[str, Any]:
    """`message` as a JSON object: camelCase field names, enums in DUIS's words."""
    data = json_format.MessageToDict(message)
    _walk(data, _descriptor(message), _enum_to_word)
    return data


def message_json(message: Message, *, indent: int | None = 2) -> str:
    return json.dumps(message_dict(message), indent=indent)


def parse_message(text: str, message: M) -> M:
    """`message` filled from JSON `text` (either field spelling, enums in either spelling).
    Raises BadValue naming the field at fault."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BadValue(f"not JSON: {error}") from None
    if not isinstance(data, dict):
        raise BadValue("not a JSON object")
    # Before protobuf reads it: its own error for a misspelt name lists every field there is.
    _check_names(data, _descriptor(message), ())
    _walk(data, _descriptor(message), _word_to_enum)
    try:
        return json_format.ParseDict(data, message)
    except json_format.ParseError as error:
        raise BadValue(str(error)) from None


def _check_names(data: dict[str, Any], descriptor: Descriptor, path: tuple[str, ...]) -> None:
    """Raise UnknownField for the first key of `data`, or of a message within it, that names no
    field (in either spelling)."""
    fields = {f.name: f for f in descriptor.fields} | {f.json_name: f for f in descriptor.fields}
    for key, value in data.items():
        found = fields.get(key)
        if found is None:
            names = [f.name for f in descriptor.fields]
            raise UnknownField(key, path, descriptor.name, names)
        message_type = found.message_type
        if message_type is None:
            continue  # a scalar or an enum
        if message_type.GetOptions().map_entry:
            message_type = message_type.fields_by_name["value"].message_type
            items = list(value.values()) if isinstance(value, dict) else []
        else:
            items = value if found.is_repeated and isinstance(value, list) else [value]
        if message_type is None or message_type.full_name.startswith("google.protobuf."):
            continue  # a map of scalars, or a well-known type with its own JSON form
        for item in items:
            if isinstance(item, dict):  # anything else: json_format says what is wrong
                _check_names(item, message_type, (*path, found.name))


def _descriptor(message: Message) -> Descriptor:
    descriptor = message.DESCRIPTOR
    # The stubs tell protobuf's pure-Python descriptors from upb's; at run time
    # google.protobuf.descriptor.Descriptor is the class in use.
    assert isinstance(descriptor, Descriptor)
    return descriptor


def _enum_to_word(enum: EnumDescriptor, value: Any) -> Any:
    if isinstance(value, str) and value in enum.values_by_name:
        return word(enum, enum.values_by_name[value].number)
    return value


def _word_to_enum(enum: EnumDescriptor, value: Any) -> Any:
    if isinstance(value, str) and value not in enum.values_by_name:
        try:
            return enum.values_by_number[parse_word(enum, value)].name
        except BadValue:
            return value  # json_format names the field and the value
    return value


def _walk(data: dict[str, Any], descriptor: Descriptor, convert: Any) -> None:
    """Apply `convert(enum, value)` to every enum value in `data`, in place."""
    fields = {f.name: f for f in descriptor.fields} | {f.json_name: f for f in descriptor.fields}
    for key, value in data.items():
        found = fields.get(key)
        if found is None:
            continue  # json_format reports it
        data[key] = _convert_field(found, value, convert)


def _convert_field(found: FieldDescriptor, value: Any, convert: Any) -> Any:
    if found.message_type is not None and found.message_type.GetOptions().map_entry:
        entry = found.message_type.fields_by_name["value"]
        if isinstance(value, dict):
            return {k: _convert_single(entry, v, convert) for k, v in value.items()}
        return value
    if found.is_repeated and isinstance(value, list):
        return [_convert_single(found, v, convert) for v in value]
    return _convert_single(found, value, convert)


def _convert_single(found: FieldDescriptor, value: Any, convert: Any) -> Any:
    if found.enum_type is not None:
        return convert(found.enum_type, value)
    message_type = found.message_type
    if (
        message_type is not None
        and isinstance(value, dict)
        and not message_type.full_name.startswith("google.protobuf.")  # their own JSON forms
    ):
        _walk(value, message_type, convert)
    return value
