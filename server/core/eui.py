"""EUI-64 identifiers: eight hex octets joined by '-' (DUIS `sr:EUI`)."""

from __future__ import annotations

import re

from dccsim.server.core.errors import InvalidField

_EUI64 = re.compile(r"[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){7}")


def parse_eui64(text: object, field: str) -> str:
    """Return the canonical (upper-case) form of an EUI-64, or raise InvalidField naming `field`."""
    if not isinstance(text, str) or _EUI64.fullmatch(text) is None:
        raise InvalidField(field, f"{text!r} is not an EUI-64 (eight hex octets joined by '-')")
    return text.upper()
