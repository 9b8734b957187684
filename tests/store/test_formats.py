"""SEC-03: a state file holds data, not code. Crafted files run nothing; every format's fixture
opens (the pickled /3 once, migrated); damaged, gapped, empty and log-less files are refused
with a clear message and left as they were."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from dccsim.server.core.fingerprint import fingerprint
from dccsim.server.store import StateFile, StateFileError
from dccsim.server.store.codec import CodecError, Decoder, Encoder, decode_document
from dccsim.server.store.schema import schema
from dccsim.server.store.state_file import FORMAT
from tests.conftest import example_dsp
from tests.store.fixture_workload import facts

FIXTURES = Path(__file__).parent / "fixtures"
VERSIONS = sorted(int(p.stem.rsplit("-", 1)[1]) for p in FIXTURES.glob("dccsim-state-*.sqlite3"))


def fixture(version: int, tmp_path: Path) -> tuple[Path, dict]:
    path = tmp_path / f"state-{version}.sqlite3"
    shutil.copy(FIXTURES / f"dccsim-state-{version}.sqlite3", path)
    expected = json.loads((FIXTURES / f"dccsim-state-{version}.json").read_text())
    return path, expected


def restore(path: Path):
    state_file = StateFile(path)
    try:
        restored = state_file.restore()
    finally:
        state_file.close()
    return restored


def test_there_is_a_fixture_for_every_format_up_to_this_one() -> None:
    current = int(FORMAT.rsplit("/", 1)[1])
    assert list(range(3, current + 1)) == VERSIONS


@pytest.mark.spec("SEC-03")
@pytest.mark.parametrize("version", VERSIONS)
def test_the_fixture_of_every_format_opens_with_its_state(version: int, tmp_path) -> None:
    path, expected = fixture(version, tmp_path)
    restored = restore(path)
    assert restored is not None
    assert restored.replayed > 0 or version == 3  # the migration writes one snapshot of all
    assert json.loads(json.dumps(facts(restored.dsp))) == expected
    # Opened again (a /3 file is by now migrated): the same state, and nothing pickled is left.
    again = restore(path)
    assert fingerprint(again.dsp) == fingerprint(restored.dsp)
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone() == (FORMAT,)
        blobs = [b for (b,) in db.execute("SELECT commands FROM commands")]
        blobs += [b for (b,) in db.execute("SELECT data FROM snapshot_parts")]
    assert blobs and not any(b.startswith(b"\x80") for b in blobs)  # pickle's first byte


class _RunsACommand:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def legacy_file(path: Path, snapshot: bytes) -> None:
    """A file of the /3 layout holding `snapshot` as its pickled DSP."""
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute("INSERT INTO meta VALUES ('format', 'dccsim-state/3')")
        db.execute("CREATE TABLE snapshots (through_seq INTEGER PRIMARY KEY, taken_at, state)")
        db.execute(
            "CREATE TABLE commands (first_seq INTEGER PRIMARY KEY, last_seq, kinds, commands)"
        )
        db.execute("INSERT INTO snapshots VALUES (0, '2026-01-01', ?)", (snapshot,))


@pytest.mark.spec("SEC-03")
def test_a_crafted_pickled_file_runs_nothing_and_is_refused(tmp_path) -> None:
    marker = tmp_path / "ran"
    path = tmp_path / "state.sqlite3"
    legacy_file(path, pickle.dumps(_RunsACommand(marker)))
    before = path.read_bytes()
    with pytest.raises(StateFileError, match=r"refused: a state file may not name posix\.system"):
        StateFile(path)
    assert not marker.exists()
    assert path.read_bytes() == before


@pytest.mark.spec("SEC-03")
def test_a_crafted_pickle_cannot_call_dccsim_s_own_functions_while_it_loads(tmp_path) -> None:
    """Held work is allowed in a /3 file only as data: naming a core function to call it (a
    REDUCE of it) is refused before anything runs."""
    from dccsim.server.core.services import firmware

    class CallsWork:
        def __reduce__(self):
            return (firmware.run_scheduled_activation, (None, "x", None))

    path = tmp_path / "state.sqlite3"
    legacy_file(path, pickle.dumps(CallsWork()))
    with pytest.raises(StateFileError, match=r"may not call firmware\.run_scheduled_activation"):
        StateFile(path)


@pytest.mark.spec("SEC-03")
def test_a_value_naming_anything_outside_the_schema_is_refused() -> None:
    encoder = Encoder()
    blob = encoder.encode([1, 2])
    table = [("os.system", "work", ())]
    with pytest.raises(CodecError, match=r"'os\.system', which this dccsim does not know"):
        Decoder(table)
    with pytest.raises(CodecError, match="not part of dccsim's state schema"):
        Encoder().encode(Path("/"))
    assert Decoder(encoder.table).decode(blob) == [1, 2]


@pytest.mark.spec("SEC-03")
def test_a_whole_dsp_reads_back_equal() -> None:
    dsp = example_dsp()
    assert fingerprint(decode_document(Encoder().encode_document(dsp))) == fingerprint(dsp)


def test_a_record_renamed_or_a_field_dropped_is_named_in_the_refusal() -> None:
    (entry,) = [e for e in schema().by_name.values() if e.name == "records.CplEntry"]
    with pytest.raises(CodecError, match=r"records\.CplEntry has no field colour any more"):
        Decoder([("records.CplEntry", "record", (*entry.fields, "colour"))])
    with pytest.raises(
        CodecError, match=r"'records\.CplEntryOld', which this dccsim does not know"
    ):
        Decoder([("records.CplEntryOld", "record", entry.fields)])


@pytest.mark.spec("SEC-03")
def test_the_schema_of_every_fixture_still_reads() -> None:
    """Each format's tag table (the names and fields its files use) still reads: a class or
    field renamed or removed, or a field added without a default, fails here, by name, before
    it fails on a user's file. (Then: bump FORMAT, migrate, and add a fixture.)"""
    for version in VERSIONS:
        if version < 4:
            continue
        with closing(sqlite3.connect(FIXTURES / f"dccsim-state-{version}.sqlite3")) as db:
            rows = [
                (n, k, tuple(json.loads(f)))
                for n, k, f in db.execute("SELECT name, kind, fields FROM tags")
            ]
            document = b"".join(d for (d,) in db.execute("SELECT data FROM snapshot_parts"))
        Decoder(rows)
        decode_document(document)


# -- damaged files ------------------------------------------------------------------------------


def crashed_file(tmp_path: Path) -> Path:
    """A file as a SIGKILL leaves it: a snapshot, commands in the log, the write-ahead log."""
    path = tmp_path / "state.sqlite3"
    shutil.copy(FIXTURES / f"dccsim-state-{VERSIONS[-1]}.sqlite3", path)
    return path


def refused(path: Path, match: str) -> None:
    before = {p.name: p.read_bytes() for p in path.parent.iterdir() if p.is_file()}
    with pytest.raises(StateFileError, match=match):
        restore(path)
    after = {p.name: p.read_bytes() for p in path.parent.iterdir() if p.is_file()}
    assert after == before  # refused, not replaced


@pytest.mark.spec("SEC-03")
def test_an_empty_file_is_refused(tmp_path) -> None:
    path = tmp_path / "state.sqlite3"
    path.write_bytes(b"")
    refused(path, "is empty: it is not a dccsim state file")


@pytest.mark.spec("SEC-03")
def test_a_file_of_garbage_is_refused(tmp_path) -> None:
    path = tmp_path / "state.sqlite3"
    path.write_bytes(os.urandom(8192))
    refused(path, r"state\.sqlite3.*(not a database|damaged)")


@pytest.mark.spec("SEC-03")
def test_a_damaged_page_is_refused(tmp_path) -> None:
    path = crashed_file(tmp_path)
    data = bytearray(path.read_bytes())
    page = 4096
    data[3 * page : 3 * page + 200] = os.urandom(200)  # a page of a table, mid-file
    path.write_bytes(bytes(data))
    refused(path, "is damaged")


@pytest.mark.spec("SEC-03")
def test_a_snapshot_that_does_not_match_its_checksum_is_refused(tmp_path) -> None:
    path = crashed_file(tmp_path)
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        (data,) = db.execute("SELECT data FROM snapshot_parts").fetchone()
        flipped = bytes([data[0], data[1] ^ 1]) + data[2:]
        db.execute("UPDATE snapshot_parts SET data = ?", (flipped,))
    refused(path, "snapshot 0 does not match its checksum")


@pytest.mark.spec("SEC-03")
def test_a_gap_in_the_command_log_is_refused(tmp_path) -> None:
    path = crashed_file(tmp_path)
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        rows = db.execute("SELECT first_seq, last_seq FROM commands ORDER BY first_seq").fetchall()
        first, last = rows[len(rows) // 2]
        db.execute("DELETE FROM commands WHERE first_seq = ?", (first,))
    refused(path, f"is missing commands {first} to {last}")


@pytest.mark.spec("SEC-03")
def test_a_missing_write_ahead_log_is_refused(tmp_path) -> None:
    path = tmp_path / "state.sqlite3"
    state_file = StateFile(path)
    state_file.snapshot(example_dsp())
    state_file.flush()
    # A crash: the process dies with its log; then the log is deleted.
    wal = Path(f"{path}-wal")
    assert wal.exists()
    kept = tmp_path / "kept"
    kept.mkdir()
    shutil.copy(path, kept / path.name)
    state_file._db.close()  # (SQLite would checkpoint: the copy is the file as the crash left it)
    path.unlink()
    wal.unlink(missing_ok=True)
    shutil.copy(kept / path.name, path)
    refused(path, "its write-ahead log state.sqlite3-wal is missing")


@pytest.mark.spec("SEC-03")
def test_dccsim_serve_refuses_a_damaged_file_with_a_message_and_a_non_zero_exit(
    tmp_path,
) -> None:
    path = crashed_file(tmp_path)
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        (first,) = db.execute("SELECT min(first_seq) FROM commands").fetchone()
        db.execute("DELETE FROM commands WHERE first_seq = ?", (first,))
    served = subprocess.run(
        [sys.executable, "-m", "dccsim.clients", "serve", "--port", "0", "--state", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert served.returncode != 0
    assert "is missing commands" in served.stderr
    assert "Traceback" not in served.stderr
