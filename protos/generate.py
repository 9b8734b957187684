"""Regenerate the Python code for dccsim's protos: `python protos/generate.py`.

Two proto packages, each generated beside its .proto:
- `dccsim.v1`, the public contract: `protos/dccsim/v1/*.proto`;
- `dccsim.bench.v1`, the bench's echo baseline (not part of the contract):
  `benchmarks/dccsim_bench/v1/*.proto`, seen by protoc as `dccsim/bench/v1/` (a mapped include
  path), so its generated code imports as `dccsim.bench.v1`, the package it installs as.

Writes *_pb2.py and *_pb2_grpc.py, and their typed stubs *_pb2.pyi and *_pb2_grpc.pyi
(mypy-protobuf). The files are committed; a test
(tests/rpc/test_generated_code.py) regenerates them into a temporary folder and fails if the
committed ones differ.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from grpc_tools import protoc

PROTOS = Path(__file__).resolve().parent
ROOT = PROTOS.parent
# Where each proto package's sources and committed generated code live, by its path for protoc.
PACKAGES = {
    Path("dccsim/v1"): PROTOS / "dccsim" / "v1",
    Path("dccsim/bench/v1"): ROOT / "benchmarks" / "dccsim_bench" / "v1",
}


def committed(generated: Path) -> Path:
    """Where a file `generate` wrote (relative to its out_dir) is committed."""
    return PACKAGES[generated.parent] / generated.name


def _plugin(name: str) -> str:
    """mypy-protobuf's protoc plugin, installed beside this Python (a venv's bin/)."""
    found = Path(sys.executable).parent / name
    if not found.exists():
        found_on_path = shutil.which(name)
        if found_on_path is None:
            raise SystemExit(f"{name} not found: pip install '.[test]' (mypy-protobuf)")
        return found_on_path
    return str(found)


def generate(out_dir: Path) -> list[Path]:
    """Generate every package's code under `out_dir` (as `dccsim/v1/…`, `dccsim/bench/v1/…`);
    the paths written, relative to `out_dir`."""
    include = Path(protoc.__file__).parent / "_proto"  # google/protobuf/*.proto
    sources = [
        virtual / source.name
        for virtual, folder in PACKAGES.items()
        for source in sorted(folder.glob("*.proto"))
    ]
    args = [
        "grpc_tools.protoc",
        f"-I{PROTOS}",
        f"-Idccsim/bench/v1={PACKAGES[Path('dccsim/bench/v1')]}",
        f"-I{include}",
        f"--python_out={out_dir}",
        f"--grpc_python_out={out_dir}",
        # Typed stubs for mypy --strict, the messages' and the services' (mypy-protobuf).
        f"--plugin=protoc-gen-mypy={_plugin('protoc-gen-mypy')}",
        f"--plugin=protoc-gen-mypy_grpc={_plugin('protoc-gen-mypy_grpc')}",
        f"--mypy_out=quiet:{out_dir}",
        f"--mypy_grpc_out=quiet:{out_dir}",
        *(str(s) for s in sources),
    ]
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed")
    return sorted(
        path.relative_to(out_dir)
        for virtual in PACKAGES
        for path in (out_dir / virtual).glob("*_pb2*.py*")
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        for path in generate(Path(scratch)):
            target = committed(path)
            shutil.copyfile(Path(scratch) / path, target)
            print(target.relative_to(ROOT))


if __name__ == "__main__":
    sys.exit(main())
