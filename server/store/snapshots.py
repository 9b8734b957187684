"""Snapshots off the request path: a copy-on-write child process encodes the DSP while the server
goes on serving.

Encoding a million devices takes tens of seconds, and the DSP must not change while it is read.
`fork()` gives the child a consistent copy at the cost of copying the page tables (tens of
milliseconds, under the server's lock): the child encodes its copy into a file beside the state
file and exits; the server goes on changing its own. A thread of the server then waits for the
child and hands the file to the state file, which stores it in parts between commits (each part
its own short transaction), and records the snapshot -- deleting the commands it covers -- in
the next commit.

The child runs only this module's encoding: no logging, no threads, no locks of the parent's
(the parent held the server's lock, and the child holds nothing else), and it leaves by
`os._exit`, so nothing of the parent's (gRPC, the SQLite connection) is shut down twice.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import signal
from dataclasses import dataclass
from pathlib import Path

from dccsim.server.core.dsp import Dsp
from dccsim.server.store.codec import Encoder

# A child that exits with this status could not write its file (a full disk, most likely).
_FAILED = 70


@dataclass(frozen=True, slots=True)
class Written:
    """A snapshot document a child wrote: where, how big, and its SHA-256."""

    path: Path
    size: int
    sha256: str


def can_fork() -> bool:
    return hasattr(os, "fork")


def start(dsp: Dsp, path: Path) -> int:
    """Fork a child that writes `dsp`'s snapshot document to `path` (the caller holds the
    server's lock, and the clock pinned); return the child's process id."""
    pid = os.fork()
    if pid == 0:  # the child
        status = _FAILED
        try:
            gc.disable()  # short-lived: collecting would only touch (and copy) the parent's pages
            _write(dsp, path)
            status = 0
        finally:
            os._exit(status)
    return pid


def _write(dsp: Dsp, path: Path) -> None:
    """The snapshot document (`Encoder.encode_document`'s bytes), streamed into `path`."""
    encoder = Encoder()
    with path.open("wb") as out:
        encoder.stream(dsp, out)
        out.write(encoder.document_trailer())
        out.flush()
        os.fsync(out.fileno())
    digest = hashlib.sha256()
    with path.open("rb") as document:  # (from the page cache: it was just written)
        while chunk := document.read(1 << 20):
            digest.update(chunk)
    # What the parent checks the file against, written last: a file without it is incomplete.
    Path(f"{path}.sha256").write_text(f"{path.stat().st_size} {digest.hexdigest()}")


def wait(pid: int, path: Path) -> Written | None:
    """Wait for the child; what it wrote, or None if it failed."""
    _, status = os.waitpid(pid, 0)
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        return None
    try:
        size, sha256 = Path(f"{path}.sha256").read_text().split()
    except (OSError, ValueError):
        return None
    return Written(path, int(size), sha256)


def cancel(pid: int) -> None:
    """Stop a child still writing (the server is stopping, or a newer snapshot replaces it)."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def discard(path: Path) -> None:
    for name in (path, Path(f"{path}.sha256")):
        name.unlink(missing_ok=True)
