"""`dccsim serve`: the simulator as a gRPC server (and DUIS over HTTP).

The options become one ServeConfig (server/runtime/serve_config.py), which builds and starts the
server; this module only reads options and reports what cannot be served.

Every option can also come from an environment variable, DCCSIM_ and the option's name
(`--state` from DCCSIM_STATE, `--no-http` from DCCSIM_NO_HTTP=1): a container or a service unit
sets them instead of a command line. To add an option, decorate `serve` with `serve_option` and
read it in `_config`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from dccsim.clients import logs
from dccsim.clients.cli.common import BASELINES
from dccsim.server.core.baseline import Baseline
from dccsim.server.core.fleet_file import DEFAULT_MAX_DEVICES
from dccsim.server.gbcs.payloads import PayloadForm
from dccsim.server.http.console.options import ConsoleOptions
from dccsim.server.runtime.serve_config import (
    DEFAULT_HTTP_PORT,
    DEFAULT_PORT,
    DEFAULT_SMKI_PORT,
    DEFAULT_STATE_FILE,
    DSP_SIGNING_KEYS,
    CannotListen,
    ConfigError,
    ServeConfig,
    announce,
    load_fleet,
    parse_receive_urls,
    serve_limits,
    start,
)
from dccsim.server.store.state_file import DEFAULT_COMMIT_DELAY, DEFAULT_SNAPSHOT_EVERY

F = TypeVar("F", bound=Callable[..., Any])
ENV_PREFIX = "DCCSIM_"


def serve_option(*declarations: str, **attributes: Any) -> Callable[[F], F]:
    """A click option that may also be set from DCCSIM_<OPTION NAME>, shown in --help."""
    name = next(d for d in declarations if d.startswith("--")).removeprefix("--")
    attributes.setdefault("envvar", ENV_PREFIX + name.replace("-", "_").upper())
    attributes.setdefault("show_envvar", True)
    return click.option(*declarations, **attributes)


EXISTING_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command(
    epilog="Every option can also be set in the environment: DCCSIM_ and the option's name in "
    "capitals, dashes as underscores (DCCSIM_STATE=/var/lib/dccsim/state.sqlite3, "
    "DCCSIM_NO_HTTP=1). A repeatable option takes several values, separated by spaces (file "
    "names by colons). The command line wins."
)
@serve_option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@serve_option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(0, 65535))
@serve_option(
    "--fleet",
    "fleet_file",
    type=EXISTING_FILE,
    help="Fleet file (YAML). Default: the embedded example fleet. Ignored, with a warning, when "
    "the state file already holds a state (see --state, --fresh).",
)
@serve_option("--seed", default=0, show_default=True, help="Seed for fault decisions and fleets.")
@serve_option("--baseline", type=BASELINES, default=Baseline.CURRENT.value, show_default=True)
@serve_option(
    "--lose-activation-responses",
    "loss",
    type=click.FloatRange(0.0, 1.0),
    default=0.0,
    show_default=True,
    help="Share of 11.3 Activate Firmware responses to lose; the devices still activate. "
    "Real life: about 0.2.",
)
@serve_option(
    "--duis-xsd",
    "duis_xsd",
    multiple=True,
    type=EXISTING_FILE,
    help="Strict mode: validate every DUIS document in and out against this official schema "
    "(give the 5.1 and the 5.3a schema to cover users on either). Repeatable.",
)
@serve_option(
    "--relaxed-counters",
    is_flag=True,
    help="Accept repeated RequestID counters (to replay fixed templates).",
)
@serve_option(
    "--log-level",
    default="INFO",
    show_default=True,
    type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
)
@serve_option(
    "--log-format", default="json", show_default=True, type=click.Choice(["json", "text"])
)
@serve_option(
    "--state",
    "state_path",
    default=DEFAULT_STATE_FILE,
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="State file (SQLite). Every change is written to it before it is acknowledged; a "
    "restart carries on from it. When it already holds a state, the fleet options are ignored "
    "(a warning names a --fleet ignored; start again with --fresh, or `dccsim reset --state`).",
)
@serve_option("--in-memory", is_flag=True, help="Keep no state file: a throwaway run.")
@serve_option("--fresh", is_flag=True, help="Delete the state file first and start from the fleet.")
@serve_option(
    "--sync",
    default="normal",
    show_default=True,
    type=click.Choice(["full", "normal"]),
    help="normal: an acknowledged change survives a crash of dccsim; after a power loss or OS "
    "crash the file is consistent but its last changes may be gone. full: it survives power "
    "loss too (an fsync per commit; slower, see the README).",
)
@serve_option(
    "--snapshot-every",
    default=DEFAULT_SNAPSHOT_EVERY,
    show_default=True,
    type=click.IntRange(1),
    help="Snapshot the state after this many changes, or after as many as there are devices if "
    "that is more (bounds the replay at restart; a snapshot pauses service while it is taken).",
)
@serve_option(
    "--commit-delay",
    "commit_delay_ms",
    default=DEFAULT_COMMIT_DELAY * 1000,
    show_default=True,
    type=click.FloatRange(0, 100),
    help="Milliseconds a busy server waits to gather more changes into one commit (an idle "
    "server's request is written at once). 0: commit at once, always.",
)
@serve_option(
    "--http-port",
    default=DEFAULT_HTTP_PORT,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="DUIS over HTTP, as DCC Boxed serves it: POST /api/v1/serviceS, serviceT, serviceD.",
)
@serve_option(
    "--smki-port",
    default=DEFAULT_SMKI_PORT,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="SMKI, as DCC Boxed serves it: POST /services/certificatesearch, retrievecertificate.",
)
@serve_option("--no-http", is_flag=True, help="No DUIS over HTTP and no deliveries by POST.")
@serve_option("--no-smki", is_flag=True, help="No SMKI listener.")
@serve_option(
    "--http-tls-cert",
    type=EXISTING_FILE,
    help="Serve HTTPS on the DUIS and SMKI ports with this certificate (PEM; with --http-tls-key).",
)
@serve_option(
    "--http-tls-key", type=EXISTING_FILE, help="The private key (PEM) of --http-tls-cert."
)
@serve_option(
    "--receive-url",
    "receive_urls",
    multiple=True,
    metavar="USER=URL",
    help="POST this User's responses and alerts to its Receive Response Service address "
    "(DCC Boxed's host:port/path form works too). Repeatable; kept in the state file.",
)
@serve_option(
    "--no-verify-signatures",
    is_flag=True,
    help="Accept requests without checking their XML signatures (DCC Boxed's \"DUIS Signature "
    'validation: Disable").',
)
@serve_option(
    "--signature-refused-code",
    metavar="CODE",
    default=ServeConfig.signature_refused_code.value,
    show_default=True,
    help="The DUIS response code that answers a request whose XML signature is missing, broken "
    "or not its originator's (a decision: DUIS gives no public code). Any DUIS error code "
    "dccsim knows, e.g. the one another DSP answers with.",
)
@serve_option(
    "--pre-command-refused-code",
    metavar="CODE",
    default=ServeConfig.pre_command_refused_code.value,
    show_default=True,
    help="The DUIS response code that answers a CV 5/6/7 whose SignedPreCommand is not the GBCS "
    "command dccsim transformed, signed by the User that asked (a decision, as "
    "--signature-refused-code; checked even with --no-verify-signatures).",
)
@serve_option(
    "--keystore",
    "keystore_path",
    type=EXISTING_FILE,
    help="Use DCC Boxed's test keystore (its JSON) for the Users' and the DCC's keys, so tools "
    "set up for DCC Boxed work unchanged. Default: dccsim's own test PKI, kept beside --state.",
)
@serve_option(
    "--dsp-signing-key",
    type=click.Choice(DSP_SIGNING_KEYS),
    help="With --keystore: sign responses with the DspXmlSign certificate of this DCC Boxed "
    "release (default: 25.11's).",
)
# -- SEC-01, SEC-02: TLS and the operator credential --------------------------------------------
@serve_option(
    "--tls-cert",
    type=EXISTING_FILE,
    help="Serve gRPC over TLS with this certificate (PEM chain; with --tls-key). HTTP has its "
    "own (--http-tls-cert).",
)
@serve_option("--tls-key", type=EXISTING_FILE, help="The private key (PEM) of --tls-cert.")
@serve_option(
    "--client-ca",
    type=EXISTING_FILE,
    help="Mutual TLS: clients present a certificate this CA (PEM) issued, and one naming a User "
    "(its EUI-64 as x500UniqueIdentifier) may act for that User only. Applies to HTTPS too.",
)
@serve_option(
    "--tls-test-pki",
    is_flag=True,
    help="Mutual TLS on every port from the test PKI beside --state: a server certificate for "
    "--host and loopback, the CA and every User's and the operator's client certificate in "
    "<state>.keys/ (and from `dccsim keys export`).",
)
@serve_option(
    "--operator-token-file",
    type=EXISTING_FILE,
    help="The control API, the web console (its pages and changes) and /metrics need this token "
    "(the file's text, whitespace stripped): `authorization: Bearer <token>`, or the console's "
    "log-in. Or set DCCSIM_OPERATOR_TOKEN.",
)
@serve_option(
    "--operator-token",
    hidden=True,  # the environment only: a command line is visible to every user (ps)
    help="The operator token itself, from DCCSIM_OPERATOR_TOKEN only.",
)
@serve_option(
    "--operator-cert",
    "operator_certs",
    multiple=True,
    type=EXISTING_FILE,
    help="A client certificate (PEM) whose holder is an operator: may call the control API and "
    "act for any User. Needs mutual TLS. Repeatable.",
)
@serve_option(
    "--open-control",
    is_flag=True,
    help="Beyond loopback with no operator credential, serve the control API (fleet, CPL, "
    "clock, faults, Reset, keys), the web console and /metrics to anyone who can reach them, "
    "instead of refusing them.",
)
# -- SEC-04: what clients can make the server hold --------------------------------------------
# The defaults shown are Limits()'s (a test keeps them so); None leaves Limits its own, and
# keeps grpc unimported by the client commands, which load this module too.
@serve_option(
    "--workers", type=click.IntRange(3), show_default="64", help="Threads serving gRPC calls."
)
@serve_option(
    "--max-streams",
    type=click.IntRange(1),
    show_default="48, fewer with fewer --workers",
    help="Open streams at once, at most --workers - 2.",
)
@serve_option(
    "--max-streams-per-user",
    type=click.IntRange(1),
    show_default="8",
    help="Open outbox streams for one User.",
)
@serve_option(
    "--max-connections",
    type=click.IntRange(1),
    show_default="256",
    help="Connections held at once by gRPC and by each HTTP listener.",
)
@serve_option(
    "--outbox-limit",
    type=click.IntRange(1),
    show_default="100000",
    help="Unacknowledged messages a User may hold before its new requests are answered E1003.",
)
@serve_option(
    "--max-batch", type=click.IntRange(1), show_default="10000", help="Requests in one SubmitBatch."
)
@serve_option(
    "--max-fleet-devices",
    type=click.IntRange(1),
    default=DEFAULT_MAX_DEVICES,
    show_default=True,
    help="Refuse a --fleet file, or a LoadFleet call, of more devices (listed and generated) "
    "than this.",
)
# -- issue 19: the web console and /metrics, on the DUIS HTTP port -----------------------------
@serve_option("--no-console", is_flag=True, help="No web console on the DUIS HTTP port.")
@serve_option(
    "--console-read-only",
    is_flag=True,
    help="The console shows but never changes (no sends, CPL, fault or clock changes), whatever "
    "the operator credential; who may read it is unchanged.",
)
@serve_option(
    "--console-templates",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A folder of DUIS request templates (e.g. DCC's RTDS samples) offered on the "
    "console's send page.",
)
@serve_option("--no-metrics", is_flag=True, help="No GET /metrics on the DUIS HTTP port.")
@serve_option(
    "--gbcs-payload",
    type=click.Choice([form.value for form in PayloadForm]),
    default=PayloadForm.GBCS.value,
    show_default=True,
    help="What GBCSPayload carries: gbcs, real GBCS where dccsim has an encoder (the firmware "
    "use cases) and the MMC document elsewhere; mmc, the MMC document for every SRV (for "
    "adapters that do not run Parse & Correlate).",
)
def serve(**options: Any) -> None:
    """Run the simulator as a gRPC server (and DUIS over HTTP) until SIGINT or SIGTERM."""
    # gRPC's C core writes lines of its own to stderr, one per client whose TLS handshake fails
    # (a plaintext client, a wrong CA): not JSON, and not the server's error. Read when grpc is
    # first imported, just below (so left alone once it is); GRPC_VERBOSITY given still wins.
    if "grpc" not in sys.modules:
        os.environ.setdefault("GRPC_VERBOSITY", "ERROR")
    from dccsim.server.rpc.app import serve_forever, tune_gc  # grpc only when serving

    logs.configure(options["log_level"], options["log_format"])
    try:
        config = _config(options)
        running = start(config)
    except ConfigError as error:
        raise click.BadParameter(str(error), param_hint=_option_name(error.field)) from None
    except CannotListen as error:  # say which option chose the port
        raise click.ClickException(
            f"cannot listen on {error.address} ({_option_name(error.field)}): {error.reason}"
        ) from None
    except OSError as error:  # a port in use, a TLS file that cannot be loaded
        raise click.ClickException(f"cannot serve: {error}") from None
    tune_gc()
    serve_forever(running, announce=lambda: announce(config, running))


def _config(options: dict[str, Any]) -> ServeConfig:
    """The server the options describe (ConfigError names the field at fault)."""
    return ServeConfig(
        fleet=load_fleet(options["fleet_file"], options["seed"], options["max_fleet_devices"]),
        fleet_file=options["fleet_file"],
        host=options["host"],
        port=options["port"],
        seed=options["seed"],
        baseline=Baseline(options["baseline"]),
        lose_activation_responses=options["loss"],
        strict_counters=not options["relaxed_counters"],
        duis_xsd=options["duis_xsd"],
        state=None if options["in_memory"] else options["state_path"],
        fresh=options["fresh"],
        sync=options["sync"],
        snapshot_every=options["snapshot_every"],
        commit_delay=options["commit_delay_ms"] / 1000,
        http_port=None if options["no_http"] else options["http_port"],
        smki_port=None if options["no_smki"] else options["smki_port"],
        http_tls_cert=options["http_tls_cert"],
        http_tls_key=options["http_tls_key"],
        receive_urls=parse_receive_urls(options["receive_urls"]),
        verify_signatures=not options["no_verify_signatures"],
        signature_refused_code=options["signature_refused_code"],
        pre_command_refused_code=options["pre_command_refused_code"],
        keystore=options["keystore_path"],
        dsp_signing_key=options["dsp_signing_key"],
        tls_cert=options["tls_cert"],
        tls_key=options["tls_key"],
        client_ca=options["client_ca"],
        tls_test_pki=options["tls_test_pki"],
        operator_token=_operator_token(options),
        operator_certs=options["operator_certs"],
        open_control=options["open_control"],
        limits=serve_limits(
            workers=options["workers"],
            max_streams=options["max_streams"],
            max_streams_per_user=options["max_streams_per_user"],
            max_connections=options["max_connections"],
            outbox_limit=options["outbox_limit"],
            max_batch=options["max_batch"],
            max_fleet_devices=options["max_fleet_devices"],
        ),
        console=ConsoleOptions(
            enabled=not options["no_console"],
            allow_changes=False if options["console_read_only"] else None,
            templates_dir=options["console_templates"],
        ),
        metrics=not options["no_metrics"],
        gbcs_payload=PayloadForm(options["gbcs_payload"]),
    )


def _operator_token(options: dict[str, Any]) -> str | None:
    """From --operator-token-file, or DCCSIM_OPERATOR_TOKEN; never from the command line, where
    every user of the machine could read it."""
    context = click.get_current_context()
    source = context.get_parameter_source("operator_token")
    if source is click.core.ParameterSource.COMMANDLINE:
        raise ConfigError(
            "operator_token",
            "--operator-token is not taken on the command line, where every user of the machine "
            "can read it: set DCCSIM_OPERATOR_TOKEN or give --operator-token-file",
        )
    path: Path | None = options["operator_token_file"]
    if path is not None:
        if options["operator_token"] is not None:
            raise ConfigError("operator_token_file", "give it or DCCSIM_OPERATOR_TOKEN, not both")
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError("operator_token_file", f"cannot be read: {error}") from None
        if not text.strip():
            raise ConfigError("operator_token_file", f"{path} is empty")
        return text.strip()
    token: str | None = options["operator_token"]
    if token is not None and not token.strip():
        raise ConfigError("operator_token", "is empty")
    return None if token is None else token.strip()


def _option_name(field: str) -> str:
    """The option a ServeConfig field comes from (they share their names); the operator token
    is named by its variable, its only proper source."""
    if field == "operator_token":
        return "DCCSIM_OPERATOR_TOKEN"
    return "--" + field.replace("_", "-")
