"""Regenerate the Python code for the dccsim.v1 protos: `python protos/generate.py`.

Writes *_pb2.py, *_pb2.pyi and *_pb2_grpc.py beside each .proto. The files are committed; a test
(tests/rpc/test_generated_code.py) regenerates them into a temporary folder and fails if the
committed ones differ.
"""

from __future__ import annotations

import sys
from pathlib import Path

from grpc_tools import protoc

PROTOS = Path(__file__).resolve().parent


def generate(out_dir: Path = PROTOS) -> list[Path]:
    sources = sorted((PROTOS / "dccsim" / "v1").glob("*.proto"))
    include = Path(protoc.__file__).parent / "_proto"  # google/protobuf/*.proto
    args = [
        "grpc_tools.protoc",
        f"-I{PROTOS}",
        f"-I{include}",
        f"--python_out={out_dir}",
        f"--pyi_out={out_dir}",
        f"--grpc_python_out={out_dir}",
        *(str(s.relative_to(PROTOS)) for s in sources),
    ]
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed")
    return sorted((out_dir / "dccsim" / "v1").glob("*_pb2*.py*"))


if __name__ == "__main__":
    for path in generate(Path(sys.argv[1]) if len(sys.argv) > 1 else PROTOS):
        print(path)
