"""The log and profile read bodies (4.6.1, 4.6.2, 4.8.1-4.8.3), built from one string of markup
for speed (`bodies.reads._logged`): held to the element-by-element writer they replaced, as
standalone elements and inside a Service Response document."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from lxml import etree

from dccsim.server.core.services.reads import (
    ActiveImportProfile,
    ExportDailyReadLog,
    ExportProfile,
    ExportProfileEntry,
    ImportDailyReadLog,
    LogValue,
    ReactiveImportProfile,
)
from dccsim.server.duis.bodies import reads
from dccsim.server.duis.names import RA_NS, SR_NS, format_datetime
from dccsim.server.duis.writing import ra, sub

T0 = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # a clock change day: times stay UTC
HALF_HOUR = timedelta(minutes=30)


# -- the writer they replaced (the oracle) --------------------------------------------------------


def _decimal(value: int | Decimal) -> str:
    return f"{value:f}" if isinstance(value, Decimal) else str(value)


def old_import_daily_log(read: ImportDailyReadLog) -> etree._Element:
    element = etree.Element(ra("RetrieveImportDailyReadLogRsp"))
    for entry in read.entries:
        item = sub(element, "LogEntry")
        sub(item, "Timestamp", format_datetime(entry.timestamp))
        if read.gas:
            sub(sub(item, "Gas"), "GasActiveImportRegisterConsumption", _decimal(entry.value))
        else:
            sub(sub(item, "Electricity"), "ElecActiveImportRegisterConsumption", str(entry.value))
    return element


def old_export_daily_log(read: ExportDailyReadLog) -> etree._Element:
    element = etree.Element(ra("RetrieveExportDailyReadLogRsp"))
    for entry in read.entries:
        item = sub(element, "LogEntry")
        sub(item, "ActiveExportRegisterValue", str(entry.value))
        sub(item, "TimeStamp", format_datetime(entry.timestamp))
    return element


def old_active_profile(read: ActiveImportProfile) -> etree._Element:
    element = etree.Element(ra("ReadActiveImportProfileDataRsp"))
    fuel = "Gas" if read.gas else "Electricity"
    for entry in read.entries:
        item = sub(element, "LogEntry")
        sub(item, "Timestamp", format_datetime(entry.timestamp))
        sub(sub(item, fuel), "PrimaryValue", _decimal(entry.value))
    return element


def old_reactive_profile(read: ReactiveImportProfile) -> etree._Element:
    element = etree.Element(ra("ReadReactiveImportProfileDataRsp"))
    for entry in read.entries:
        item = sub(element, "LogEntry")
        sub(item, "ReactiveEnergyImportedValue", str(entry.value))
        sub(item, "Timestamp", format_datetime(entry.timestamp))
    return element


def old_export_profile(read: ExportProfile) -> etree._Element:
    element = etree.Element(ra("ReadExportProfileDataRsp"))
    for entry in read.entries:
        item = sub(element, "LogEntry")
        sub(item, "ActiveEnergyExportedValue", str(entry.active))
        sub(item, "ReactiveEnergyExportedValue", str(entry.reactive))
        sub(item, "Timestamp", format_datetime(entry.timestamp))
    return element


# -- reads -----------------------------------------------------------------------------------------


def _values(count: int) -> tuple[int, ...]:
    return tuple((i * 7919) % 100_003 for i in range(count))


def _log(count: int, gas: bool) -> tuple[LogValue, ...]:
    def value(i: int) -> int | Decimal:
        return Decimal(i * 1234) / 1000 if gas else i * 1234

    return tuple(LogValue(T0 + i * timedelta(days=1), value(i)) for i in range(count))


def _cases() -> dict[str, tuple[object, object, object]]:
    cases: dict[str, tuple[object, object, object]] = {}
    for count in (0, 1, 48):
        for gas in (False, True):
            fuel = "gas" if gas else "electricity"
            cases[f"4.8.1 {fuel} x{count}"] = (
                ActiveImportProfile(gas, T0, _values(count)),
                reads._active_profile,
                old_active_profile,
            )
            cases[f"4.6.1 {fuel} x{count}"] = (
                ImportDailyReadLog(gas, _log(count, gas)),
                reads._import_daily_log,
                old_import_daily_log,
            )
        cases[f"4.6.2 x{count}"] = (
            ExportDailyReadLog(_log(count, False)),
            reads._export_daily_log,
            old_export_daily_log,
        )
        cases[f"4.8.2 x{count}"] = (
            ReactiveImportProfile(T0, _values(count)),
            reads._reactive_profile,
            old_reactive_profile,
        )
        cases[f"4.8.3 x{count}"] = (
            ExportProfile(
                tuple(ExportProfileEntry(T0 + i * HALF_HOUR, i * 3, i * 5) for i in range(count))
            ),
            reads._export_profile,
            old_export_profile,
        )
    # Gas volumes as the core makes them: Decimals with exponents and trailing zeros.
    cases["4.6.1 gas, awkward decimals"] = (
        ImportDailyReadLog(
            True,
            tuple(
                LogValue(T0, value)
                for value in (Decimal("1E+3"), Decimal("0.000"), Decimal("-1.50"), Decimal(7))
            ),
        ),
        reads._import_daily_log,
        old_import_daily_log,
    )
    return cases


CASES = _cases()


@pytest.mark.parametrize("case", list(CASES))
def test_log_bodies_are_the_element_by_element_writers(case: str) -> None:
    read, new, old = CASES[case]
    built, expected = new(read), old(read)  # type: ignore[operator]
    assert etree.tostring(built) == etree.tostring(expected)
    assert built.nsmap == expected.nsmap
    # As a Service Response body is: appended to a document that names RA_NS `ra:`.
    documents = []
    for body in (built, expected):
        root = etree.Element(f"{{{SR_NS}}}Response", nsmap={"sr": SR_NS, "ra": RA_NS})
        etree.SubElement(root, f"{{{SR_NS}}}Body").append(body)
        documents.append(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    assert documents[0] == documents[1]
    assert (b"<ra:LogEntry>" in documents[0]) == bool(len(expected))
