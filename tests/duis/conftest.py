"""Fixtures for the DUIS XML tests: DCC's official schemas and request templates, from
`../shared` (the tests that need them skip, saying why, when it is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.duis.documents import REQUESTS_DIR, XSD_5_1, XSD_5_3A, OfficialSchemas


@pytest.fixture(scope="session")
def schemas() -> OfficialSchemas:
    missing = [str(path) for path in (XSD_5_1, XSD_5_3A) if not path.is_file()]
    if missing:
        pytest.skip(f"DCC's DUIS schemas are not in ../shared/duis-xsd: {', '.join(missing)}")
    return OfficialSchemas.load()


@pytest.fixture(scope="session")
def templates() -> list[Path]:
    if not REQUESTS_DIR.is_dir():
        pytest.skip(f"DCC's DUIS request templates are not in {REQUESTS_DIR}")
    found = sorted(REQUESTS_DIR.glob("*.XML")) + sorted(REQUESTS_DIR.glob("*.xml"))
    if not found:
        pytest.skip(f"no DUIS request templates in {REQUESTS_DIR}")
    return found
