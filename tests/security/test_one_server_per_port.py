"""SEC-04: a second server on a port in use fails to start (gRPC's default SO_REUSEPORT would
let it start, and the kernel would split clients between two simulators with different state)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from dccsim.server.rpc.app import start_server
from tests.conftest import example_dsp

pytestmark = pytest.mark.spec("SEC-04")


def test_start_server_refuses_a_port_in_use_before_loading_a_fleet(start):
    first = start(example_dsp, max_workers=8)
    loaded = []

    def factory():
        loaded.append(True)  # a big fleet takes seconds: the port is checked first
        return example_dsp()

    with pytest.raises(OSError, match="in use"):
        start_server(factory, address=f"127.0.0.1:{first.port}", max_workers=8)
    assert loaded == []


def test_dccsim_serve_on_a_port_in_use_exits_non_zero_saying_why(start):
    first = start(example_dsp, max_workers=8)
    command = [
        sys.executable,
        "-m",
        "dccsim.clients",
        "serve",
        "--port",
        str(first.port),
        "--in-memory",
        "--no-http",
        "--no-smki",
    ]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert finished.returncode != 0
    # The option that chose the port is named, as for the HTTP and SMKI ports.
    assert f"cannot listen on 127.0.0.1:{first.port} (--port): the port is in use" in (
        finished.stderr
    )
