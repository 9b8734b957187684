"""`dccsim bench --mode http`: signed DUIS documents, the DSP's signatures checked, and a short
end-to-end run against `dccsim serve` and the aiohttp echo."""

from __future__ import annotations

import json
import platform
from pathlib import Path

import pytest
from click.testing import CliRunner

from dccsim.bench.dsp_signatures import verify_dsp_signatures
from dccsim.bench.http_run import pool_per_client
from dccsim.bench.http_traffic import check_http_mix, lane_requests
from dccsim.bench.mixes import DEFAULT_HTTP_MIX, interleave, parse_mix
from dccsim.bench.report import summary_lines
from dccsim.bench.traffic import ACB_ID, Lane
from dccsim.clients.cli import main
from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.messages import SyncAnswer
from dccsim.server.core.requests import RequestId
from dccsim.server.duis import build_sync_answer, parse_request
from dccsim.server.duis.signing import sign_response
from dccsim.server.keys import ACB_EUI, KeyStore, TestPki
from dccsim.server.keys.export import certificate_pem
from tests.bench.scripts import run_script

USER = "90-B3-D5-1F-31-00-00-00"
DEVICES = ("00-DC-00-00-00-00-00-00", "00-DC-00-00-00-00-00-01")


def test_the_http_mix_leaves_out_what_cannot_be_signed_in_advance() -> None:
    check_http_mix(parse_mix(DEFAULT_HTTP_MIX))
    assert "11.3" not in parse_mix(DEFAULT_HTTP_MIX)
    with pytest.raises(ValueError, match=r"cannot send 11\.3"):
        check_http_mix(parse_mix("firmware"))


def test_a_clients_requests_are_duis_with_rising_counters_on_their_web_service() -> None:
    cycle = interleave(parse_mix("11.2=1,8.2=1,4.8.1=1"))
    requests = lane_requests(Lane(USER, DEVICES), cycle, 500, 6)
    counters = [int(rid.rsplit(":", 1)[1]) for _, _, rid, _ in requests]
    assert counters == list(range(500, 506))
    for document, service, rid, awaits in requests:
        request = parse_request(document).request  # what dccsim reads from it
        assert str(request.request_id) == rid
        if request.srv == "8.2":
            assert service == "serviceD" and rid.split(":")[1] == ACB_ID and not awaits
        else:
            assert service == "serviceS" and rid.split(":")[1] in DEVICES and awaits


def test_the_pool_covers_the_window_at_the_rate_given() -> None:
    # The window's share at the rate, and a quarter more: clients do not keep the same pace.
    assert pool_per_client(4, warmup=1, duration=4, requests=None, rate=1000) == 1563
    assert pool_per_client(4, warmup=0.5, duration=None, requests=400, rate=400) == 188


def test_dsp_signatures_are_checked_and_a_changed_document_fails() -> None:
    store = KeyStore(source=TestPki(b"bench signature test secret"))
    store.register(ACB_EUI)
    dsp = store.dsp_signing()
    rid = RequestId.parse(f"{USER}:{DEVICES[0]}:7")
    signed = sign_response(build_sync_answer(SyncAnswer(rid, "11.2", ResponseCode.I99), "5.2"), dsp)
    changed = signed.replace(b"<sr:ResponseCode>I99<", b"<sr:ResponseCode>I0<")
    assert changed != signed
    result = verify_dsp_signatures([signed, changed, signed], certificate_pem(dsp.certificate))
    assert (result.checked, result.verified) == (3, 2)
    assert len(result.failures) == 1
    other = KeyStore(source=TestPki(b"another test PKI secret for this"))
    other.register(ACB_EUI)
    foreign = verify_dsp_signatures([signed], certificate_pem(other.dsp_signing().certificate))
    assert foreign.verified == 0


def test_an_http_run_delivers_and_verifies_every_response_beside_the_echo(tmp_path: Path):
    out = tmp_path / "bench.json"
    result = CliRunner().invoke(
        main,
        [
            "bench",
            "--mode",
            "http",
            "--clients",
            "2",
            "--devices",
            "6",
            "--requests",
            "60",
            "--warmup",
            "0.2",
            "--http-pool-rate",
            "400",  # above what the server does (~250 SR/s): a run's pool must not run out
            "--no-pin",
            "--drain-timeout",
            "10",
            "--server-arg=--in-memory",
            "--server-arg=--log-level=WARNING",
            "--json",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(out.read_text())["modes"]["http"]
    dccsim, echo = figures["dccsim"], figures["echo"]["1"]
    assert dccsim["sent"] >= 60 and dccsim["answered"] == dccsim["sent"]
    assert set(dccsim["codes"]) == {"I99", "I0"}, dccsim["codes"]  # I0: the 8.2s
    assert dccsim["awaited"] > 0 and dccsim["undelivered"] == 0
    assert not dccsim["pool_exhausted"]
    # Every delivered response (warm-up's too) was kept and carries the DSP's signature.
    assert dccsim["deliveries_checked"] == dccsim["deliveries_received"] >= dccsim["delivered"]
    assert dccsim["deliveries_verified"] == dccsim["deliveries_checked"]
    assert 0 < dccsim["answers_verified"] == dccsim["answers_checked"]
    assert dccsim["signature_failures"] == []
    assert echo["answered"] == echo["sent"] >= 60 and echo["codes"] == {"I99": echo["sent"]}
    assert figures["ratio"] == pytest.approx(
        dccsim["requests_per_second"] / echo["requests_per_second"], rel=1e-2
    )
    http = next(line for line in result.output.splitlines() if line.startswith("http: "))
    assert "DSP signatures verified" in http


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--mix", "firmware"], "cannot send 11.3"),
        (["--server", "127.0.0.1:1"], "cannot drive --server"),
        (["--echo-only"], "no --echo-only"),
    ],
)
def test_bad_http_options_are_clear_usage_errors(args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["bench", "--mode", "http", *args])
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_the_http_breakdown_times_every_step_of_a_signed_request() -> None:
    result = json.loads(run_script("http_breakdown.py", "--requests", "40", "--no-save"))
    steps = result["steps"]
    assert result["requests"] == 40 and result["cpu_us_per_request"] > 0
    assert result["host_speed"]["before"]["p256_sign_us"] > 0
    assert result["host_speed"]["after"]["python_loop_ns"] > 0
    assert result["interpreter"]["version"] == platform.python_version()
    assert steps["answer: verify the request"]["calls"] == 40
    assert steps["answer: sign"]["calls"] == 40  # every answer an I99 or I0: all signed
    delivered = steps["delivery: host Delivered"]["calls"]
    assert delivered == steps["delivery: sign"]["calls"] > 0
    assert sum(s["calls"] for n, s in steps.items() if n.startswith("answer: host Submit")) == 40


def test_the_http_breakdown_answers_from_threads_and_counts_every_answer() -> None:
    """`--threads`: every request answered (none refused for its counter: a lane's requests stay
    in order within one thread) from each number of threads in turn."""
    args = ["--requests", "40", "--no-save", "--threads", "1", "--threads", "2", "--rounds", "1"]
    result = json.loads(run_script("http_breakdown.py", *args))
    runs = result["threads"]
    assert [run["threads"] for run in runs] == [1, 2]
    assert {run["lanes"] for run in runs} == {4}  # the same suppliers for every count compared
    for run in runs:
        assert run["requests"] == 40 and run["cpu_us_per_request"] > 0
        assert set(run["codes"]) <= {"I0", "I99"} and sum(run["codes"].values()) == 40


def test_the_summary_says_when_deliveries_fell_behind_the_answers() -> None:
    """An answered SR/s is only sustained end to end when its deliveries keep pace in the
    window; when they do not, the summary says so beside it."""

    def http(answered: float, delivered: float) -> dict[str, dict[str, object]]:
        figures = {"requests_per_second": answered, "deliveries_per_second": delivered,
                   "delivered": 100, "awaited": 100}  # fmt: skip
        return {"http": {"dccsim": figures}}

    (behind,) = summary_lines(http(480.0, 380.0))
    assert "480 SR/s" in behind
    assert "deliveries fell behind: 380/s in the window, the rest drained after it" in behind
    (kept_up,) = summary_lines(http(480.0, 470.0))
    assert "fell behind" not in kept_up
