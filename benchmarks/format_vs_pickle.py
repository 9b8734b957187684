"""The state file's format (/4, MessagePack over the state schema) against the pickled format it
replaced (/3), on the same DSP in the same process: what a snapshot costs to encode and decode.

    python benchmarks/format_vs_pickle.py    # 200,000 ESMEs -> results/format-vs-pickle-200k.json
    python benchmarks/format_vs_pickle.py --devices 20000 --no-save

The /3 writer (pickle with its dispatch table of flat records) is read from the repository's
history (`git show 8f395f2:server/store/state_file.py`), so this runs from a clone. Each format is
timed twice, alternately; the machine is shared, so compare the two, not the figures with other
runs.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = Path(__file__).resolve().parents[1]
V3_WRITER = "8f395f2:server/store/state_file.py"


def _v3_writer():
    source = subprocess.run(
        ["git", "show", V3_WRITER], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    folder = tempfile.mkdtemp()
    path = Path(folder) / "state_file_v3.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("dccsim_state_file_v3", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def measure(devices: int) -> dict[str, object]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from fleet_load import fleet_yaml

    from dccsim.server.core.dsp import Dsp
    from dccsim.server.core.fleet_file import parse_fleet
    from dccsim.server.store.codec import Encoder, decode_document

    v3 = _v3_writer()
    dsp = Dsp()
    parse_fleet(fleet_yaml(devices)).load_into(dsp)
    gc.collect()
    rounds = []
    for _ in range(2):
        started = time.perf_counter()
        pickled = v3._dumps(dsp)
        v3_encode = time.perf_counter() - started
        started = time.perf_counter()
        pickle.loads(pickled)
        v3_decode = time.perf_counter() - started
        started = time.perf_counter()
        document = Encoder().encode_document(dsp)
        v4_encode = time.perf_counter() - started
        started = time.perf_counter()
        decode_document(document)
        v4_decode = time.perf_counter() - started
        rounds.append(
            {
                "v3_pickle": {
                    "encode_seconds": round(v3_encode, 2),
                    "decode_seconds": round(v3_decode, 2),
                    "mib": round(len(pickled) / 2**20, 1),
                },
                "v4_msgpack": {
                    "encode_seconds": round(v4_encode, 2),
                    "decode_seconds": round(v4_decode, 2),
                    "mib": round(len(document) / 2**20, 1),
                },
            }
        )
        del pickled, document
        gc.collect()
    return {"devices": devices, "rounds": rounds, "python": sys.version.split()[0]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=200_000)
    parser.add_argument("--no-save", action="store_true", help="print only")
    args = parser.parse_args(argv)
    result = measure(args.devices)
    result["command"] = " ".join(["python", "benchmarks/format_vs_pickle.py", *sys.argv[1:]])
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    text = json.dumps(result, indent=2)
    print(text)
    if not args.no_save:
        RESULTS.mkdir(exist_ok=True)
        name = f"{args.devices // 1000}k"
        (RESULTS / f"format-vs-pickle-{name}.json").write_text(text + "\n")


if __name__ == "__main__":
    main()
