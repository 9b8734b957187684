"""The committed generated code must be exactly what `python protos/generate.py` makes."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

PROTOS = Path(__file__).resolve().parents[2] / "protos"


def _load_generator():
    spec = importlib.util.spec_from_file_location("dccsim_generate", PROTOS / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_code_is_not_stale(tmp_path: Path) -> None:
    pytest.importorskip("grpc_tools", reason="grpcio-tools (the test extra) regenerates the code")
    generator = _load_generator()
    fresh = generator.generate(tmp_path)
    assert fresh, "the generator produced nothing"
    # Every proto package: the public contract and the bench's echo baseline.
    assert {p.parent.as_posix() for p in fresh} == {"dccsim/v1", "dccsim/bench/v1"}
    missing = [str(p) for p in fresh if not generator.committed(p).exists()]
    assert not missing, f"generated files not committed: {missing}; run python protos/generate.py"
    stale = [
        str(p) for p in fresh if generator.committed(p).read_bytes() != (tmp_path / p).read_bytes()
    ]
    assert not stale, f"stale generated files: {stale}; run python protos/generate.py"
