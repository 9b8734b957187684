"""Checks of single fields as the official DUIS schema types them, shared by every SRV's body
check. Each raises InvalidField naming the field; none reads or changes simulator state."""

from __future__ import annotations

import re
from decimal import Decimal

from dccsim.server.core.errors import InvalidField

# Letters and digits only (spaces aside): what the postcode area is read from (12.1).
_POSTCODE = re.compile(r"[A-Za-z0-9]{5,7}")
# What XML 1.0 cannot hold: C0 controls but tab, LF and CR; surrogates; U+FFFE and U+FFFF.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def check_mpxn(mpxn: object, field: str) -> None:
    if not isinstance(mpxn, str) or not 1 <= len(mpxn) <= 13 or not mpxn.isalnum():
        raise InvalidField(field, f"{mpxn!r} is not an MPAN or MPRN (1-13 characters)")


def is_postcode(value: object) -> bool:
    return isinstance(value, str) and _POSTCODE.fullmatch(value.replace(" ", "")) is not None


def check_uprn(uprn: object, field: str) -> None:
    if not isinstance(uprn, int) or isinstance(uprn, bool) or not 0 < uprn < 10**12:
        raise InvalidField(
            field, f"{uprn!r} is not a UPRN (a positive number of 12 digits or less)"
        )


def check_firmware_version(version: object, field: str) -> None:
    if not isinstance(version, str) or not 1 <= len(version) <= 8:
        raise InvalidField(field, f"{version!r} is not a firmware version (1-8 characters)")
    check_xml_text(version, field)


def check_xml_text(value: object, field: str) -> None:
    """Refuse text that no DUIS document can carry: once stored (a firmware version, a model...)
    it would make every later answer or delivery that shows it fail."""
    if isinstance(value, str) and _NOT_XML.search(value):
        raise InvalidField(field, f"{value!r} holds a character XML cannot carry")


def check_text(value: object, field: str, *, min_length: int = 1, max_length: int) -> None:
    """An xs:string restricted by length."""
    if not isinstance(value, str) or not min_length <= len(value) <= max_length:
        raise InvalidField(field, f"must be {min_length} to {max_length} characters")
    check_xml_text(value, field)


def check_int(value: object, field: str, *, low: int, high: int) -> None:
    """An integer type restricted by range (xs:unsignedByte, xs:unsignedShort, ...)."""
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise InvalidField(field, f"{value!r} is not an integer from {low} to {high}")


def check_decimal(
    value: object,
    field: str,
    *,
    low: Decimal,
    high: Decimal,
    fraction_digits: int,
    exclusive: bool = False,
) -> None:
    """An xs:decimal restricted by range (inclusive, or exclusive at both ends) and by
    fractionDigits (a value's, not its writing's: 1.30 has one fraction digit)."""
    if not isinstance(value, Decimal) or not value.is_finite():
        raise InvalidField(field, f"{value!r} is not a decimal number")
    inside = low < value < high if exclusive else low <= value <= high
    if not inside:
        words = ("between", "and") if exclusive else ("from", "to")
        raise InvalidField(field, f"{value} is not {words[0]} {low} {words[1]} {high}")
    if value != value.quantize(Decimal(1).scaleb(-fraction_digits)):
        raise InvalidField(field, f"{value} has more than {fraction_digits} fraction digit(s)")
