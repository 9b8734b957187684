"""`dccsim bench`: the end-to-end load generator (`dccsim.bench`); this module only reads the
options."""

from __future__ import annotations

from pathlib import Path

import click

from dccsim.bench.mixes import DEFAULT_HTTP_MIX, DEFAULT_MIX

BENCH_MODES = ("unary", "stream", "batch", "http")
BENCH_MIX = DEFAULT_MIX


@click.command()
@click.option(
    "--mode",
    "modes",
    multiple=True,
    default=("unary",),
    show_default=True,
    type=click.Choice(BENCH_MODES),
    help="unary (Submit), stream (SubmitStream), batch (SubmitBatch), or http (signed DUIS "
    "POSTed to /api/v1/service*, responses POSTed back to a receiver). Repeatable.",
)
@click.option("--clients", default=8, show_default=True, type=click.IntRange(1), help="Clients.")
@click.option(
    "--users",
    default=1,
    show_default=True,
    type=click.IntRange(1),
    help="Suppliers the clients send as (client i as supplier i mod N); one subscriber each. "
    "HTTP: every client sends as its own supplier.",
)
@click.option(
    "--channels",
    type=click.IntRange(1),
    help="gRPC channels the clients share [default: 2, or 1 for one client].",
)
@click.option(
    "--duration",
    type=click.FloatRange(0, min_open=True),
    help="Measured seconds per mode and server [default: 5, unless --requests].",
)
@click.option("--requests", type=click.IntRange(1), help="Measured requests per mode and server.")
@click.option("--warmup", default=1.0, show_default=True, type=click.FloatRange(0))
@click.option(
    "--mix",
    help="SRVs and weights, or a named mix: `realistic` (the default: mostly 4.1.1, 4.8.1 and "
    f"4.6.1 meter reads, with 4.12.1, 11.2, 2.2, 6.2.7, 8.2 and 11.3: {DEFAULT_MIX}; over HTTP "
    f"without 11.3: {DEFAULT_HTTP_MIX}) or `firmware` (11.2=8,8.2=1,11.3=1). SRVs: 4.1.1, "
    "4.6.1, 4.8.1, 4.12.1, 6.2.7, 11.2, 8.2, 11.3 (CV 4 then the signed CV 5; not over HTTP), 2.2.",
)
@click.option(
    "--devices", default=1000, show_default=True, type=click.IntRange(1), help="Fleet size."
)
@click.option("--batch-size", default=100, show_default=True, type=click.IntRange(1, 100_000))
@click.option(
    "--window",
    default=32,
    show_default=True,
    type=click.IntRange(1),
    help="Stream mode: requests in flight per stream.",
)
@click.option("--server", help="Drive this running server (its fleet is replaced by the bench's).")
@click.option("--server-pid", type=click.IntRange(1), help="With --server: measure its CPU.")
@click.option(
    "--server-arg",
    "server_args",
    multiple=True,
    help="Extra `dccsim serve` option for the server the bench starts, e.g. "
    "--server-arg=--in-memory. Repeatable.",
)
@click.option(
    "--echo-processes",
    multiple=True,
    default=(1,),
    show_default=True,
    type=click.IntRange(1, 64),
    help="Echo baseline processes sharing one port (SO_REUSEPORT). Repeat to compare.",
)
@click.option("--no-echo", is_flag=True, help="Skip the echo baseline.")
@click.option("--echo-only", is_flag=True, help="Measure only the echo baseline.")
@click.option("--no-pin", is_flag=True, help="Pin nothing (default: server CPU 0, bench CPU 1).")
@click.option("--drain-timeout", default=10.0, show_default=True, type=click.FloatRange(0))
@click.option(
    "--verify-every",
    default=1,
    show_default=True,
    type=click.IntRange(1),
    help="HTTP: check the DSP's signature on one delivered response in N (after the window).",
)
@click.option(
    "--http-pool-rate",
    default=2000.0,
    show_default=True,
    type=click.FloatRange(0, min_open=True),
    help="HTTP: requests signed before the run, per second of warm-up and window (a window "
    "that uses them all ends early, and says so).",
)
@click.option(
    "--json",
    "json_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write every raw figure to this file.",
)
def bench(
    modes: tuple[str, ...],
    clients: int,
    users: int,
    channels: int | None,
    duration: float | None,
    requests: int | None,
    warmup: float,
    mix: str | None,
    devices: int,
    batch_size: int,
    window: int,
    server: str | None,
    server_pid: int | None,
    server_args: tuple[str, ...],
    echo_processes: tuple[int, ...],
    no_echo: bool,
    echo_only: bool,
    no_pin: bool,
    drain_timeout: float,
    verify_every: int,
    http_pool_rate: float,
    json_path: Path | None,
) -> None:
    """End-to-end load: CLIENTS clients over CHANNELS channels send a Service Request mix to a
    `dccsim serve` (or --server), every delivered response is matched to its request, and an
    empty echo service set up the same way is driven identically for the ratio. `--mode http`
    does it with signed DUIS over HTTP, checking the DSP's signature on every response."""
    from dccsim.bench.console import print_report, run_with_progress
    from dccsim.bench.run import BenchConfig

    if no_echo and echo_only:
        raise click.UsageError("--no-echo and --echo-only exclude each other")
    if duration is not None and requests is not None:
        raise click.UsageError("give --duration or --requests, not both")
    config = BenchConfig(
        modes=tuple(dict.fromkeys(modes)),  # type: ignore[arg-type]
        clients=clients,
        users=users,
        channels=channels,
        duration=duration if duration is not None or requests is not None else 5.0,
        requests=requests,
        warmup=warmup,
        mix=mix,
        devices=devices,
        batch_size=batch_size,
        window=window,
        server=server,
        server_pid=server_pid,
        server_args=server_args,
        dccsim=not echo_only,
        echo_processes=() if no_echo else tuple(dict.fromkeys(echo_processes)),
        pin=not no_pin,
        drain_timeout=drain_timeout,
        verify_every=verify_every,
        http_pool_rate=http_pool_rate,
    )
    try:
        config.check()
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    print_report(run_with_progress(config), json_path)
