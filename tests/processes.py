"""`dccsim serve` in a child process, for tests that need a real process (signals, crashes)."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator

import pytest


class Served:
    """`dccsim serve` in a child process, and the JSON log lines it has written so far."""

    def __init__(self, *args: str) -> None:
        # Any free ports, HTTP's too: tests (and their processes) run side by side.
        ports = ("--port", "0", "--http-port", "0", "--smki-port", "0")
        command = [sys.executable, "-m", "dccsim.clients", "serve", *ports, *args]
        self.process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
        self.lines: list[dict] = []
        while True:
            line = self._read()
            if match := re.search(r"serving on [\d.]+:(\d+)", line["message"]):
                self.port = int(match.group(1))
                self.address = f"127.0.0.1:{self.port}"
                self.serving = line
                break
        # Keep reading, or a chatty server would block once the pipe is full.
        self._reader = threading.Thread(target=self._read_rest, daemon=True)
        self._reader.start()

    def _read_rest(self) -> None:
        assert self.process.stderr is not None
        for text in self.process.stderr:
            if text.strip():
                self.lines.append(json.loads(text))

    def _read(self) -> dict:
        assert self.process.stderr is not None
        text = self.process.stderr.readline()
        if not text:
            raise AssertionError(f"dccsim serve exited: {self.lines}")
        line = json.loads(text)
        self.lines.append(line)
        return line

    def terminate(self) -> list[dict]:
        """SIGTERM; wait for a clean exit; return every log line."""
        self.process.send_signal(signal.SIGTERM)
        assert self.process.wait(timeout=15) == 0
        self._reader.join(timeout=5)
        return self.lines

    def kill(self) -> None:
        """SIGKILL: no handler runs, nothing is flushed."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


@pytest.fixture
def serve() -> Iterator[Callable[..., Served]]:
    started: list[Served] = []

    def start(*args: str) -> Served:
        started.append(Served(*args))
        return started[-1]

    yield start
    for served in started:
        served.kill()
