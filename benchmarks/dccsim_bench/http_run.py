"""`dccsim bench --mode http`: DUIS over HTTP end to end, as a DCC Boxed user drives it.

1. The receiver starts (every User's Receive Response Service, in the bench process), so the
   bench fleet can name each supplier's address; `dccsim serve` starts on that fleet with DUIS
   over HTTP on, and hands out the suppliers' XmlSign keys and the DSP's certificate (the
   control API's ExportKeys, as `dccsim keys export` gets them).
2. Before the window, a pool of distinct requests per client is signed (signing is the client's
   cost, and would otherwise hold the client's CPU), using every CPU: the server is idle then.
3. The window: each client POSTs its pool one request at a time; every delivered Service
   Response is matched to its request. After the drain, every delivered response that was kept
   (all by default; `verify_every`) and a sample of the synchronous answers have their DSP
   signatures checked, again on every CPU.
4. The HTTP echo baseline, on the same CPU as the server was, takes the same documents from the
   same client.

Each client sends as its own supplier, so the DSP's deliveries (one POST at a time per User, in
order) run side by side as the requests do.
"""

from __future__ import annotations

import math
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dccsim.bench import report as bench_report
from dccsim.bench import servers as bench_servers
from dccsim.bench.dsp_signatures import verify_dsp_signatures
from dccsim.bench.http_load import Receiver, run_http_load
from dccsim.bench.http_traffic import PemCredential, check_http_mix, sign_pool
from dccsim.bench.load import LoadSpec, Ticker
from dccsim.bench.mixes import interleave, parse_mix
from dccsim.bench.traffic import ACB_ID, fleet_yaml, lanes_of

if TYPE_CHECKING:  # run.py imports this module
    from dccsim.bench.run import BenchConfig


POOL_MARGIN = 1.25


def pool_per_client(
    clients: int, warmup: float, duration: float | None, requests: int | None, rate: float
) -> int:
    """Signed requests each client gets: enough for the window at up to `rate` SR/s in all, a
    quarter more since the clients do not all keep the same pace (a client that runs out stops,
    and the report says so)."""
    if requests is not None:
        wanted = requests + warmup * rate
    else:
        assert duration is not None
        wanted = (warmup + duration) * rate
    return max(1, math.ceil(wanted * POOL_MARGIN / clients))


def _credentials(address: str, users: list[str]) -> tuple[dict[str, PemCredential], bytes]:
    """Each supplier's XmlSign certificate and key, and the DSP's DspXmlSign certificate (the
    ACB's `-xmlsign.pem`), from the server's key export."""
    from dccsim.clients.client import Client
    from dccsim.server.keys import eui_hex

    files: dict[str, bytes] = {}
    with Client(address) as dcc:
        for _owner, owned in dcc.export_keys(no_devices=True):
            files.update((f.name, f.pem) for f in owned)
    credentials = {
        user: PemCredential(
            files[f"{eui_hex(user)}-xmlsign.pem"], files[f"{eui_hex(user)}-xmlsign.key"]
        )
        for user in users
    }
    return credentials, files[f"{eui_hex(ACB_ID)}-xmlsign.pem"]


async def measure_http(
    config: BenchConfig,
    figures: dict[str, Any],
    tick: Ticker,
    server_cpu: int | None,
    every_cpu: set[int],
) -> None:
    """Measure dccsim and the HTTP echo into `figures` (the report's `http` mode). `every_cpu`:
    the CPUs signing and checking may use (all the bench may use: nothing else runs then)."""
    mix = parse_mix(config.http_mix)
    check_http_mix(mix)
    cycle = interleave(mix)
    spec = LoadSpec(
        "http",
        config.clients,
        config.duration,
        config.requests,
        config.warmup,
        1,
        1,
        config.drain_timeout,
    )
    receiver = Receiver()
    await receiver.start()
    pools = None
    try:
        fleet_text = fleet_yaml(config.clients, config.clients, config.devices, receiver.url)
        lanes = lanes_of(fleet_text, config.clients)
        users = [lane.user for lane in lanes]
        per_client = pool_per_client(
            config.clients, config.warmup, config.duration, config.requests, config.http_pool_rate
        )
        with tempfile.TemporaryDirectory(prefix="dccsim-bench-http-") as workdir:
            fleet = Path(workdir) / "fleet.yaml"
            fleet.write_text(fleet_text)
            server = bench_servers.start_dccsim(
                fleet, Path(workdir), cpu=server_cpu, extra_args=config.server_args, http=True
            )
            try:
                credentials, dsp_certificate = _credentials(server.address, users)
                tick("http: signing the requests", 0, None)
                started = time.perf_counter()
                pools = sign_pool(
                    lanes,
                    cycle,
                    credentials,
                    time.time_ns() // 1000,
                    per_client,
                    cpus=every_cpu,
                    progress=lambda done, total: tick("http: signing", done, total),
                )
                signing_seconds = time.perf_counter() - started
                assert server.http_url is not None
                result = await run_http_load(
                    server.http_url,
                    pools,
                    spec,
                    receiver=receiver,
                    verify_every=config.verify_every,
                    server_cpu=server.cpu_seconds,
                    tick=lambda phase, done, total: tick(f"dccsim http: {phase}", done, total),
                )
            finally:
                server.stop()
        tick("http: checking the DSP's signatures", 0, None)
        started = time.perf_counter()
        delivered = verify_dsp_signatures(result.deliveries, dsp_certificate, cpus=every_cpu)
        answers = verify_dsp_signatures(result.sync_answers, dsp_certificate, cpus=every_cpu)
        verify_seconds = time.perf_counter() - started
        dccsim = bench_report.summarize(result.load)
        dccsim.update(
            signed_pool=per_client * config.clients,
            signing_seconds=round(signing_seconds, 2),
            pool_exhausted=result.pool_exhausted,
            deliveries_received=receiver.received,
            deliveries_checked=delivered.checked,
            deliveries_verified=delivered.verified,
            answers_checked=answers.checked,
            answers_verified=answers.verified,
            signature_failures=delivered.failures + answers.failures,
            verify_seconds=round(verify_seconds, 2),
        )
        figures["dccsim"] = dccsim
    finally:
        await receiver.stop()
    if not config.echo_processes or pools is None:
        return
    echo = bench_servers.start_http_echo(cpu=server_cpu)
    try:
        assert echo.http_url is not None
        baseline = await run_http_load(
            echo.http_url,
            pools,
            spec,
            receiver=None,
            server_cpu=echo.cpu_seconds,
            tick=lambda phase, done, total: tick(f"echo http: {phase}", done, total),
        )
    finally:
        echo.stop()
    echo_figures = bench_report.summarize(baseline.load)
    echo_figures["pool_exhausted"] = baseline.pool_exhausted
    figures["echo"] = {"1": echo_figures}
    figures["ratio"] = bench_report.ratio(figures["dccsim"], echo_figures)
