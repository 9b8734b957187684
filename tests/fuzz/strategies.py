"""Hypothesis strategies for the fuzzers: values that are random, near-valid or hostile.

"Near-valid" matters most: a value that is almost right reaches deeper checks than noise does,
so every strategy mixes the real IDs of the example fleet, values of the right shape with one
thing wrong, boundary values and plain random text.
"""

from __future__ import annotations

import base64
import re

from hypothesis import strategies as st

from dccsim.server.core.fleet import (
    EXAMPLE_DEVICE_IDS,
    EXAMPLE_FIRMWARE,
    EXAMPLE_MPAN,
    EXAMPLE_MPRN,
    EXAMPLE_NEW_FIRMWARE,
    NETWORK_OPERATOR,
    OTHER_USER,
    SUPPLIER_A,
    SUPPLIER_B,
)
from dccsim.server.core.matrix import SERVICE_MATRIX
from dccsim.server.core.requests import MAX_COUNTER

ACB = "90-B3-D5-1F-30-00-00-02"
DEVICE_IDS = tuple(EXAMPLE_DEVICE_IDS.values())
USER_IDS = (SUPPLIER_A, SUPPLIER_B, NETWORK_OPERATOR, OTHER_USER)
UNKNOWN_EUI = "90-B3-D5-1F-30-0F-0F-0F"
SRVS = tuple(sorted(SERVICE_MATRIX))
SERVED = ("2.2", "6.23", "8.1.1", "8.2", "8.4", "11.1", "11.2", "11.3", "12.1")

# Digits that are not ASCII (Arabic-Indic, full-width): Python's int() and \d accept them; DUIS
# does not.
ARABIC_INDIC_DIGITS = "".join(chr(0x0660 + n) for n in range(10))
FULL_WIDTH_DIGITS = "".join(chr(0xFF10 + n) for n in range(10))
FOREIGN_DIGITS = ARABIC_INDIC_DIGITS + FULL_WIDTH_DIGITS

# -- small values --------------------------------------------------------------------------------

small_text = st.text(max_size=40)
hex_octet = st.text("0123456789ABCDEFabcdef", min_size=2, max_size=2)


@st.composite
def eui_like(draw: st.DrawFn) -> str:
    """EUI-64s: real ones, lower-case ones, and ones with one thing wrong."""
    choice = draw(st.integers(0, 5))
    if choice <= 1:
        return draw(st.sampled_from((*DEVICE_IDS, *USER_IDS, ACB)))
    if choice == 2:
        return draw(st.sampled_from((*DEVICE_IDS, *USER_IDS))).lower()
    octets = draw(st.lists(hex_octet, min_size=6, max_size=10))
    separator = draw(st.sampled_from(["-", "-", "-", ":", "", " - "]))
    return separator.join(octets)


def eui() -> st.SearchStrategy[str]:
    return st.one_of(eui_like(), st.just(UNKNOWN_EUI), small_text)


counters = st.one_of(
    st.integers(0, 5000),
    st.sampled_from([0, 1, 999, 1000, 1001, MAX_COUNTER, MAX_COUNTER + 1, 2**70]),
    st.integers(0, 2**66),
)


@st.composite
def counter_text(draw: st.DrawFn) -> str:
    choice = draw(st.integers(0, 7))
    if choice <= 3:
        return str(draw(counters))
    if choice == 4:
        return "0" * draw(st.sampled_from([1, 19, 20, 4300, 6000])) + str(draw(st.integers(0, 99)))
    if choice == 5:
        return "".join(draw(st.lists(st.sampled_from(FOREIGN_DIGITS), min_size=1, max_size=5)))
    if choice == 6:
        return str(-draw(st.integers(1, 10**6)))
    return draw(small_text)


@st.composite
def request_id_text(draw: st.DrawFn) -> str:
    """RequestIDs: mostly `originator:target:counter` from real IDs, some malformed."""
    if draw(st.integers(0, 9)) == 9:
        return draw(small_text)
    parts = [draw(eui()), draw(eui()), draw(counter_text())]
    if draw(st.integers(0, 9)) == 9:
        parts.append(draw(small_text))
    if draw(st.integers(0, 9)) == 9:
        parts = parts[: draw(st.integers(0, 2))]
    return ":".join(parts)


# Numbers, as text: the edges of each numeric type DUIS uses, leading zeros and other digits.
number_text = st.one_of(
    st.integers(-(10**25), 10**25).map(str),
    st.sampled_from(["0", "-0", "+1", "1e3", "1.5", "0x10", " 7 ", "NaN", "Infinity", "", "00"]),
    # Leading zeros, up to past Python's 4,300-digit limit on int() of a string.
    st.builds(
        lambda zeros, n: "0" * zeros + str(n),
        st.sampled_from([1, 2, 11, 12, 19, 20, 4299, 4300, 4301, 6000]),
        st.integers(0, 99),
    ),
    st.sampled_from(["1" * 4301, "9" * 25, "18446744073709551616"]),
    st.text(FOREIGN_DIGITS, min_size=1, max_size=13),
)


@st.composite
def datetime_text(draw: st.DrawFn) -> str:
    """xs:dateTime-shaped text: valid, or with one part out of range (a day, an hour, a zone
    offset...), or in other digits."""
    parts = {
        "year": draw(st.integers(1, 9999)),
        "month": draw(st.integers(1, 12)),
        "day": draw(st.integers(1, 28)),
        "hour": draw(st.integers(0, 23)),
        "minute": draw(st.integers(0, 59)),
        "second": draw(st.integers(0, 59)),
        "zone_hours": draw(st.integers(0, 14)),
        "zone_minutes": draw(st.sampled_from([0, 30, 45])),
    }
    wrong = draw(st.sampled_from([None, *parts]))
    if wrong is not None:  # out of its range but still two (or four) digits
        parts[wrong] = draw(st.integers(0, 9999 if wrong == "year" else 99))
    fraction = draw(st.sampled_from(["", ".0", ".123", ".1234567", "." + "9" * 30]))
    sign = draw(st.sampled_from("+-"))
    offset = f"{sign}{parts['zone_hours']:02d}:{parts['zone_minutes']:02d}"
    zone = draw(st.sampled_from([offset, "Z", "", "z", "+00:00", "-00:00", offset[:-3]]))
    text = (
        f"{parts['year']:04d}-{parts['month']:02d}-{parts['day']:02d}T"
        f"{parts['hour']:02d}:{parts['minute']:02d}:{parts['second']:02d}{fraction}{zone}"
    )
    if draw(st.integers(0, 9)) == 9:  # the same shape in other digits
        digits = draw(st.sampled_from([ARABIC_INDIC_DIGITS, FULL_WIDTH_DIGITS]))
        text = text.translate(str.maketrans("0123456789", digits))
    return text


# Values with a special meaning somewhere in DUIS or dccsim.
SPECIAL_TEXT = (
    "3000-12-31T00:00:00Z",  # cancels a future-dated 11.3
    "2026-01-01T00:00:00Z",
    "2030-01-15T09:00:00.00Z",
    EXAMPLE_MPAN,
    EXAMPLE_MPRN,
    EXAMPLE_FIRMWARE,
    EXAMPLE_NEW_FIRMWARE,
    "73946144332040217315",  # a 20-digit UTRN
    "AA758690730934FF0685AA758690730934FF0685657788990011223344556677",
    "ZGVmYXVsdA==",
    "SMETS1",
    "SMETS2",
    "CHTS",
    "Pending",
    "InstalledNotCommissioned",
    "Commissioned",
    "Withdrawn",
    "Suspended",
    "A",
    "ADEF",
    "true",
    "false",
    "SW1A 1AA",
    "EH1 1AA",
    "\t\t\t\t\t\t",
    " " * 8,
    "\u00a0" * 6,
    "\u200b",
    "\ufeff",
    "".join(chr(0x1D7D8 + n) for n in range(3)),  # mathematical double-struck digits
)

# Too long for any field: each size crosses a limit somewhere (8, 13, 20, 30, 64, libxml2's
# 10,000,000-character text node is left to explicit tests: it costs time on every example).
HUGE_TEXT = tuple(
    fill * size for fill in ("9", "A", "0") for size in (9, 14, 21, 31, 65, 4301, 100_000)
)


def text_value() -> st.SearchStrategy[str]:
    """A value for any text field."""
    return st.one_of(
        small_text,
        st.sampled_from(SPECIAL_TEXT),
        number_text,
        datetime_text(),
        eui(),
        request_id_text(),
        st.sampled_from(SRVS),
        st.sampled_from(HUGE_TEXT),
    )


_DATETIME_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}T")
_EUI_SHAPE = re.compile(r"[0-9A-Fa-f]{2}(-[0-9A-Fa-f]{2}){7}")
_BASE64_SHAPE = re.compile(r"[A-Za-z0-9+/=\s]{8,}")


@st.composite
def value_like(draw: st.DrawFn, current: str) -> str:
    """A new value for a field now holding `current`: usually one of the same kind (a date for a
    date, a number for a number...), which reaches the field's own checks; otherwise anything."""
    current = current.strip()
    if draw(st.integers(0, 3)) == 3:
        return draw(text_value())
    if _DATETIME_SHAPE.match(current):
        return draw(datetime_text())
    if current.count(":") == 2:
        return draw(request_id_text())
    if _EUI_SHAPE.fullmatch(current) or "," in current:
        return ",".join(draw(st.lists(eui(), min_size=1, max_size=4)))
    if current.isdigit():
        return draw(number_text)
    if len(current) == 64:
        return draw(st.text("0123456789ABCDEFabcdefG ", min_size=62, max_size=66))
    if _BASE64_SHAPE.fullmatch(current):
        return draw(base64_text)
    return draw(text_value())


base64_text = st.one_of(
    st.binary(max_size=64).map(lambda data: base64.b64encode(data).decode()),
    st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/= \n", max_size=40),
)
