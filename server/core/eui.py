"""EUI-64 identifiers: eight hex octets joined by '-' (DUIS `sr:EUI`)."""

from __future__ import annotations

import re
from functools import lru_cache

from dccsim.server.core.errors import InvalidField

_EUI64 = re.compile(r"[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){7}")


def parse_eui64(text: object, field: str) -> str:
    """Return the canonical (upper-case) form of an EUI-64, or raise InvalidField naming `field`."""
    if not isinstance(text, str) or _EUI64.fullmatch(text) is None:
        raise InvalidField(field, f"{text!r} is not an EUI-64 (eight hex octets joined by '-')")
    return text.upper()


def canonical_eui64(text: object, field: str) -> str:
    """parse_eui64, remembering the answers for the EUIs a run keeps using (its users and
    devices): every request names two, and the pattern match is most of parsing a RequestID."""
    canonical = _known(text) if type(text) is str else None
    return canonical if canonical is not None else parse_eui64(text, field)


@lru_cache(maxsize=16_384)  # bounded: a stream of distinct EUIs cannot grow it
def _known(text: str) -> str | None:
    if _EUI64.fullmatch(text) is None:
        return None
    return text.upper()
