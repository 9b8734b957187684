"""Report how many inputs each fuzz target sent (the long run's README entry quotes these)."""

from __future__ import annotations

import pytest

from tests.fuzz.harness import EXAMPLES, RANDOM, SENT


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not SENT:
        return
    mode = "random" if RANDOM else "derandomized"
    terminalreporter.section(f"fuzz inputs (DCCSIM_FUZZ_EXAMPLES={EXAMPLES}, {mode})")
    for target, count in sorted(SENT.items()):
        terminalreporter.write_line(f"{count:>9,}  {target}")
    terminalreporter.write_line(f"{sum(SENT.values()):>9,}  in total")
