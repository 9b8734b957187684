"""`dccsim serve` as a real process: structured logs, health, graceful shutdown on SIGTERM, and
a state file that the next start carries on from."""

from __future__ import annotations

from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from dccsim.clients.client import Client
from dccsim.v1 import types_pb2

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ESME = "00-DB-12-34-56-78-90-A0"
SUPPLIER_A = "90-B3-D5-1F-30-01-00-00"


def test_serve_logs_json_answers_health_and_stops_on_sigterm(serve, tmp_path) -> None:
    served = serve("--fleet", str(EXAMPLES / "fleet.yaml"), "--state", str(tmp_path / "s.db"))
    assert served.serving["level"] == "INFO"
    assert "206 devices" in served.serving["message"]
    with grpc.insecure_channel(f"127.0.0.1:{served.port}") as channel:
        response = health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(), timeout=5
        )
    assert response.status == health_pb2.HealthCheckResponse.SERVING
    assert served.terminate()[-1]["message"] == "stopped"


def test_a_clean_stop_keeps_the_state_and_the_next_start_replays_nothing(serve, tmp_path) -> None:
    state = tmp_path / "state.sqlite3"
    served = serve("--state", str(state))
    with Client(f"127.0.0.1:{served.port}") as dcc:
        assert dcc.read_firmware_version(user=SUPPLIER_A, device=ESME).code == "I99"
        dcc.set_cpl_status("DCCSIM", "ESME-S2", "0100", types_pb2.CPL_STATUS_REMOVED)
    served.terminate()

    again = serve("--state", str(state))
    restored = next(line for line in again.lines if "restored" in line["message"])
    assert "and 0 commands" in restored["message"]  # the final snapshot held everything
    with Client(f"127.0.0.1:{again.port}") as dcc:
        assert dcc.device(ESME).status == types_pb2.SMI_STATUS_SUSPENDED
        delivered = [d.WhichOneof("message") for d in dcc.deliveries(SUPPLIER_A, timeout=2)]
    # Nothing was acknowledged: the 11.2 response and the N28 suspension alert both wait.
    assert delivered[:2] == ["service_response", "dcc_alert"]
    again.terminate()

    fresh = serve("--state", str(state), "--fresh")
    with Client(f"127.0.0.1:{fresh.port}") as dcc:
        assert dcc.device(ESME).status == types_pb2.SMI_STATUS_COMMISSIONED


def test_in_memory_writes_no_state_file(serve, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    served = serve("--in-memory")
    served.terminate()
    assert list(tmp_path.iterdir()) == []
