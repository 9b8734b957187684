"""The project's own files, as tests read them: its root and pyproject.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def project_config() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def compiled_module_list() -> list[str]:
    """The modules a DCCSIM_USE_MYPYC=1 build compiles (`[tool.dccsim] mypyc`)."""
    return list(project_config()["tool"]["dccsim"]["mypyc"])
