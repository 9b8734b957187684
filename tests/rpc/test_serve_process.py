"""`dccsim serve` as a real process: structured logs, health, graceful shutdown on SIGTERM."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_serve_logs_json_answers_health_and_stops_on_sigterm() -> None:
    command = [
        sys.executable,
        "-m",
        "dccsim.clients",
        "serve",
        "--port",
        "0",
        "--fleet",
        str(EXAMPLES / "fleet.yaml"),
    ]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        first = json.loads(process.stderr.readline())
        assert first["level"] == "INFO"
        port = int(re.search(r"serving on [\d.]+:(\d+)", first["message"]).group(1))
        assert "206 devices" in first["message"]
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            response = health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(), timeout=5
            )
        assert response.status == health_pb2.HealthCheckResponse.SERVING
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
        rest = [json.loads(line) for line in process.stderr.read().splitlines() if line]
        assert [r["message"] for r in rest][-1] == "stopped"
    finally:
        if process.poll() is None:
            process.kill()
