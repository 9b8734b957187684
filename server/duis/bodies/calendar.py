"""DUIS's calendar values, read and written alike by the families that hold them (tariffs'
switching tables and billing calendars, prepayment's non-disablement calendar): wildcard dates
(DateSpec), times of day, and `index` attributes."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta, timezone

from lxml import etree

from dccsim.devices.tariff import DateSpec, MonthDay
from dccsim.server.core.errors import InvalidField
from dccsim.server.duis.reading import empty_element, one_of, sequence, text_value, unsigned_value
from dccsim.server.duis.writing import sub

_TIME = re.compile(r"([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?")


_ELEC_DATE = ("Year", "Month", "DayOfMonth", "DayOfWeek")


_GAS_DATE = tuple(f"Gas{name}WithWildcards" for name in _ELEC_DATE)


def index_attribute(element: etree._Element, path: str) -> int:
    text = (element.get("index") or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 3:
        raise InvalidField(f"{path}/@index", f"{text!r} is not an index")
    return int(text)


def time_value(element: etree._Element, path: str) -> time:
    """An xs:time, held as the UTC time of day (a zone offset is applied)."""
    text = text_value(element, path)
    match = _TIME.fullmatch(text)
    if match is None:
        raise InvalidField(path, f"{text!r} is not an xs:time (hh:mm:ss[.s][Z])")
    hour, minute, second, zone = match.groups()
    if int(hour) > 23 or int(minute) > 59 or int(second) > 59:
        raise InvalidField(path, f"{text!r} is not a time of day")
    if zone in (None, "Z"):
        return time(int(hour), int(minute), int(second))
    sign = 1 if zone[0] == "+" else -1
    tz = timezone(sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])))
    local = datetime(2000, 1, 1, int(hour), int(minute), int(second), tzinfo=tz)
    return local.astimezone(UTC).time()


def date_spec(element: etree._Element, path: str, gas: bool) -> DateSpec:
    names = _GAS_DATE if gas else _ELEC_DATE
    parts = sequence(element, path, [(name, 1, 1) for name in names])
    year = _specified(parts[names[0]][0], f"{path}/{names[0]}", "SpecifiedYear")
    month = _specified(parts[names[1]][0], f"{path}/{names[1]}", "SpecifiedMonth")
    day = _day_of_month(parts[names[2]][0], f"{path}/{names[2]}", gas)
    weekday = _specified(parts[names[3]][0], f"{path}/{names[3]}", "SpecifiedDayOfWeek")
    return DateSpec(year, month, day, weekday)


def _specified(element: etree._Element, path: str, name: str) -> int | None:
    unspecified = "NonSpecified" + name.removeprefix("Specified")
    parts = sequence(element, path, [(name, 0, 1), (unspecified, 0, 1)])
    chosen = one_of(parts, (name, unspecified), path)
    if chosen == unspecified:
        empty_element(parts[unspecified][0], f"{path}/{unspecified}")
        return None
    return unsigned_value(parts[name][0], f"{path}/{name}")


_DAY_WORDS = {"LastDayOfMonth": MonthDay.LAST, "SecondLastDayOfMonth": MonthDay.SECOND_LAST}


def _day_of_month(element: etree._Element, path: str, gas: bool) -> int | MonthDay | None:
    unspecified = "GasNonSpecifiedDayOfMonth" if gas else "NonSpecifiedDayOfMonth"
    words = () if gas else tuple(_DAY_WORDS)
    names = ("SpecifiedDayOfMonth", *words, unspecified)
    parts = sequence(element, path, [(name, 0, 1) for name in names])
    chosen = one_of(parts, names, path)
    if chosen == "SpecifiedDayOfMonth":
        return unsigned_value(parts[chosen][0], f"{path}/{chosen}")
    empty_element(parts[chosen][0], f"{path}/{chosen}")
    return _DAY_WORDS.get(chosen)


def time_text(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}Z"


def write_date_spec(parent: etree._Element, spec: DateSpec, gas: bool) -> None:
    prefix = "Gas" if gas else ""
    suffix = "WithWildcards" if gas else ""
    _write_specified(sub(parent, f"{prefix}Year{suffix}"), "Year", spec.year)
    _write_specified(sub(parent, f"{prefix}Month{suffix}"), "Month", spec.month)
    day = sub(parent, f"{prefix}DayOfMonth{suffix}")
    if isinstance(spec.day, MonthDay):
        sub(day, spec.day.value)
    elif spec.day is None:
        sub(day, "GasNonSpecifiedDayOfMonth" if gas else "NonSpecifiedDayOfMonth")
    else:
        sub(day, "SpecifiedDayOfMonth", str(spec.day))
    _write_specified(sub(parent, f"{prefix}DayOfWeek{suffix}"), "DayOfWeek", spec.weekday)


def _write_specified(parent: etree._Element, name: str, value: int | None) -> None:
    if value is None:
        sub(parent, f"NonSpecified{name}")
    else:
        sub(parent, f"Specified{name}", str(value))
