"""Coverage-guided fuzzing of the DUIS gateway with atheris (optional: not a pytest test, and
atheris is not a project dependency).

    pip install atheris
    python -m tests.fuzz.atheris_duis -runs=200000 -max_len=20000

libFuzzer mutates the public DUIS templates (and the fuzz suite's synthetic documents), keeping
inputs that reach new code in dccsim's DUIS parser, safe loader and core validation. Each input
goes through the DuisGateway servicer on a fresh seasoned DSP with the fuzz suite's property
(tests/fuzz/harness.py): an answer or an allowed gRPC error, and no change on a rejection. A
failure stops the run and libFuzzer writes the input to a crash-* file.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

# Instrument dccsim's own code (not lxml's or grpc's) so libFuzzer sees its branches.
with atheris.instrument_imports(include=["dccsim.server.duis", "dccsim.server.core"]):
    from dccsim.server.duis.parse import parse_request  # noqa: F401  (instrumented import)
    from tests.fuzz.duis_inputs import TEMPLATES, signed_leg, synthetic_documents
    from tests.fuzz.harness import seasoned_dsp
    from tests.fuzz.test_duis_fuzz import submit_document


def one_input(data: bytes) -> None:
    submit_document("atheris: DUIS gateway", data)


def _seed_corpus() -> str:
    """A corpus folder holding the templates and the synthetic documents."""
    folder = Path(tempfile.mkdtemp(prefix="dccsim-duis-corpus-"))
    documents = [*TEMPLATES.values(), signed_leg(seasoned_dsp()), *synthetic_documents()]
    for index, document in enumerate(documents):
        (folder / f"seed-{index:02d}.xml").write_bytes(document)
    return str(folder)


def main() -> None:
    arguments = list(sys.argv)
    if not any(not a.startswith("-") for a in arguments[1:]):
        arguments.append(_seed_corpus())
    atheris.Setup(arguments, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
