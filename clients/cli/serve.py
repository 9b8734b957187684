"""`dccsim serve`: the simulator as a gRPC server (and DUIS over HTTP)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import click

from dccsim.clients import logs
from dccsim.clients.cli.common import BASELINES
from dccsim.server.core.baseline import Baseline
from dccsim.server.core.dsp import Dsp
from dccsim.server.core.errors import InvalidField, NotFound
from dccsim.server.core.faults import FaultAction, FaultPlan, FaultRule
from dccsim.server.core.fleet import Fleet, example_fleet
from dccsim.server.core.fleet_file import parse_fleet
from dccsim.server.store import StateFile, StateFileError
from dccsim.server.store.state_file import (
    DEFAULT_COMMIT_DELAY,
    DEFAULT_SNAPSHOT_EVERY,
    Synchronous,
)

if TYPE_CHECKING:
    from dccsim.server.http.options import HttpOptions
    from dccsim.server.keys import KeyStore
    from dccsim.server.runtime.host import DspHost


log = logging.getLogger("dccsim.cli")
# In the working directory, so that a restart in the same place carries on.
DEFAULT_STATE_FILE = Path("dccsim-state.sqlite3")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=50051, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--fleet",
    "fleet_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Fleet file (YAML). Default: the embedded example fleet.",
)
@click.option("--seed", default=0, show_default=True, help="Seed for fault decisions and fleets.")
@click.option("--baseline", type=BASELINES, default=Baseline.CURRENT.value, show_default=True)
@click.option(
    "--lose-activation-responses",
    "loss",
    type=click.FloatRange(0.0, 1.0),
    default=0.0,
    show_default=True,
    help="Share of 11.3 Activate Firmware responses to lose; the devices still activate. "
    "Real life: about 0.2.",
)
@click.option(
    "--duis-xsd",
    "duis_xsd",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Strict mode: validate every DUIS document in and out against this official schema "
    "(give the 5.1 and the 5.3a schema to cover users on either). Repeatable.",
)
@click.option(
    "--relaxed-counters",
    is_flag=True,
    help="Accept repeated RequestID counters (to replay fixed templates).",
)
@click.option(
    "--log-level",
    default="INFO",
    show_default=True,
    type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
)
@click.option(
    "--log-format", default="json", show_default=True, type=click.Choice(["json", "text"])
)
@click.option(
    "--state",
    "state_path",
    default=DEFAULT_STATE_FILE,
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="State file (SQLite). Every change is written to it before it is acknowledged; a "
    "restart carries on from it. When it already holds a state, the fleet options are ignored.",
)
@click.option("--in-memory", is_flag=True, help="Keep no state file: a throwaway run.")
@click.option("--fresh", is_flag=True, help="Delete the state file first and start from the fleet.")
@click.option(
    "--sync",
    default="normal",
    show_default=True,
    type=click.Choice(["full", "normal"]),
    help="normal: an acknowledged change survives a crash of dccsim; after a power loss or OS "
    "crash the file is consistent but its last changes may be gone. full: it survives power "
    "loss too (an fsync per commit; slower, see the README).",
)
@click.option(
    "--snapshot-every",
    default=DEFAULT_SNAPSHOT_EVERY,
    show_default=True,
    type=click.IntRange(1),
    help="Snapshot the state after this many changes, or after as many as there are devices if "
    "that is more (bounds the replay at restart; a snapshot pauses service while it is taken).",
)
@click.option(
    "--commit-delay",
    "commit_delay_ms",
    default=DEFAULT_COMMIT_DELAY * 1000,
    show_default=True,
    type=click.FloatRange(0, 100),
    help="Milliseconds a busy server waits to gather more changes into one commit (an idle "
    "server's request is written at once). 0: commit at once, always.",
)
@click.option(
    "--http-port",
    default=8079,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="DUIS over HTTP, as DCC Boxed serves it: POST /api/v1/serviceS, serviceT, serviceD.",
)
@click.option(
    "--smki-port",
    default=8083,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="SMKI, as DCC Boxed serves it: POST /services/certificatesearch, retrievecertificate.",
)
@click.option("--no-http", is_flag=True, help="No DUIS over HTTP and no deliveries by POST.")
@click.option("--no-smki", is_flag=True, help="No SMKI listener.")
@click.option(
    "--http-tls-cert",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Serve HTTPS on the DUIS and SMKI ports with this certificate (PEM; with --http-tls-key).",
)
@click.option(
    "--http-tls-key",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The private key (PEM) of --http-tls-cert.",
)
@click.option(
    "--receive-url",
    "receive_urls",
    multiple=True,
    metavar="USER=URL",
    help="POST this User's responses and alerts to its Receive Response Service address "
    "(DCC Boxed's host:port/path form works too). Repeatable; kept in the state file.",
)
@click.option(
    "--no-verify-signatures",
    is_flag=True,
    help="Accept requests without checking their XML signatures (DCC Boxed's \"DUIS Signature "
    'validation: Disable").',
)
@click.option(
    "--keystore",
    "keystore_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Use DCC Boxed's test keystore (its JSON) for the Users' and the DCC's keys, so tools "
    "set up for DCC Boxed work unchanged. Default: dccsim's own test PKI, kept beside --state.",
)
@click.option(
    "--dsp-signing-key",
    type=click.Choice(["25.11", "1.4.1"]),
    help="With --keystore: sign responses with the DspXmlSign certificate of this DCC Boxed "
    "release (default: 25.11's).",
)
def serve(
    host: str,
    port: int,
    fleet_file: Path | None,
    seed: int,
    baseline: str,
    loss: float,
    duis_xsd: tuple[Path, ...],
    relaxed_counters: bool,
    log_level: str,
    log_format: str,
    state_path: Path,
    in_memory: bool,
    fresh: bool,
    sync: Synchronous,
    snapshot_every: int,
    commit_delay_ms: float,
    http_port: int,
    smki_port: int,
    no_http: bool,
    no_smki: bool,
    http_tls_cert: Path | None,
    http_tls_key: Path | None,
    receive_urls: tuple[str, ...],
    no_verify_signatures: bool,
    keystore_path: Path | None,
    dsp_signing_key: str | None,
) -> None:
    """Run the simulator as a gRPC server (and DUIS over HTTP) until SIGINT or SIGTERM."""
    from dccsim.server.duis.signing import SignatureSettings
    from dccsim.server.rpc.app import (  # grpc only when serving
        serve_forever,
        start_server,
        tune_gc,
    )

    logs.configure(log_level, log_format)
    fleet = _load_fleet(fleet_file, seed)

    def make_dsp() -> Dsp:
        dsp = Dsp(
            baseline=Baseline(baseline),
            faults=FaultPlan(seed=seed),
            strict_counters=not relaxed_counters,
        )
        fleet.load_into(dsp)
        if loss > 0:
            dsp.faults.add(FaultRule(FaultAction.DROP, srv="11.3", probability=loss))
        return dsp

    schemas = None
    if duis_xsd:
        from dccsim.server.duis import DuisSchemas

        try:
            schemas = DuisSchemas(duis_xsd)
        except (OSError, ValueError) as error:
            raise click.BadParameter(str(error), param_hint="--duis-xsd") from None
    state_file = None
    if not in_memory:
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{state_path}{suffix}").unlink(missing_ok=True)
        try:
            state_file = StateFile(
                state_path,
                synchronous=sync,
                snapshot_every=snapshot_every,
                commit_delay=commit_delay_ms / 1000,
            )
        except StateFileError as error:
            raise click.BadParameter(str(error), param_hint="--state") from None
    http, addresses = _http_options(
        host, http_port, smki_port, no_http, no_smki, http_tls_cert, http_tls_key, receive_urls
    )
    keystore = _keystore(
        None if state_file is None else state_path, fleet, keystore_path, dsp_signing_key
    )
    try:
        running = start_server(
            make_dsp,
            address=f"{host}:{port}",
            duis_schemas=schemas,
            state_file=state_file,
            http=http,
            receive_urls=addresses,
            signatures=SignatureSettings(verify=False) if no_verify_signatures else None,
            keystore=keystore,
        )
    except (InvalidField, NotFound) as error:
        raise click.BadParameter(str(error), param_hint="--receive-url") from None
    except OSError as error:  # a port in use, a TLS file that cannot be loaded
        raise click.ClickException(f"cannot serve: {error}") from None

    tune_gc()
    _register_users(keystore, running.host)

    def announce() -> None:
        ports = running.http_ports
        scheme = "HTTPS" if http_tls_cert else "HTTP"
        log.info(
            "dccsim serving on %s:%d: %d devices, %d users, baseline %s, state %s; "
            "DUIS over %s on %s, SMKI on %s",
            host,
            running.port,
            len(running.host.dsp.state.smi),
            len(running.host.dsp.state.users),
            running.host.dsp.baseline,
            "in memory" if state_file is None else state_file.path,
            scheme,
            "no port" if ports.duis is None else f"port {ports.duis}",
            "no port" if ports.smki is None else f"port {ports.smki}",
        )

    serve_forever(running, announce=announce)


def _http_options(
    host: str,
    http_port: int,
    smki_port: int,
    no_http: bool,
    no_smki: bool,
    cert: Path | None,
    key: Path | None,
    receive_urls: tuple[str, ...],
) -> tuple[HttpOptions | None, dict[str, str]]:
    from dccsim.server.http.options import HttpOptions

    if (cert is None) != (key is None):
        raise click.BadParameter(
            "give both or neither", param_hint="--http-tls-cert/--http-tls-key"
        )
    addresses = {}
    for item in receive_urls:
        user, sep, url = item.partition("=")
        if not sep or not user or not url:
            raise click.BadParameter(f"{item!r} is not USER=URL", param_hint="--receive-url")
        addresses[user.strip()] = url.strip()
    if no_http and no_smki:
        return None, addresses
    options = HttpOptions(
        host=host,
        duis_port=None if no_http else http_port,
        smki_port=None if no_smki else smki_port,
        tls_cert=cert,
        tls_key=key,
    )
    return options, addresses


def _keystore(
    state_path: Path | None, fleet: Fleet, dccboxed: Path | None, dsp_signing_key: str | None
) -> KeyStore:
    from dccsim.server.keys import (
        DSP_XML_SIGN_1_4_1,
        DSP_XML_SIGN_25_11,
        KeysDirectoryError,
        KeystoreFileError,
        keystore_for,
        smki_role,
    )

    if dsp_signing_key is not None and dccboxed is None:
        raise click.BadParameter("needs --keystore", param_hint="--dsp-signing-key")
    serial = {"25.11": DSP_XML_SIGN_25_11, "1.4.1": DSP_XML_SIGN_1_4_1}.get(dsp_signing_key or "")
    try:
        return keystore_for(
            state_path,
            [user.user_id for user in fleet.users],
            dccboxed=dccboxed,
            roles={user.user_id: smki_role(user.roles) for user in fleet.users},
            dsp_signing_serial=serial,
        )
    except KeystoreFileError as error:
        raise click.BadParameter(str(error), param_hint="--keystore") from None
    except (KeysDirectoryError, OSError) as error:
        raise click.BadParameter(str(error), param_hint="--state") from None


def _register_users(keystore: KeyStore, host: DspHost) -> None:
    """A state file may hold Users the fleet file does not: give them their keys too."""
    from dccsim.server.keys import smki_role

    with host.lock:
        users = [(u.user_id, smki_role(u.roles)) for u in host.dsp.state.users.values()]
    for user_id, role in users:
        keystore.register(user_id, role)


def _load_fleet(path: Path | None, seed: int) -> Fleet:
    if path is None:
        return example_fleet()
    try:
        return parse_fleet(path.read_text(), seed=seed)
    except InvalidField as error:
        raise click.BadParameter(str(error), param_hint="--fleet") from None
