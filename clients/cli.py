"""The `dccsim` command-line tool."""

from __future__ import annotations

import dataclasses
import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.table import Table

from dccsim.clients import logs
from dccsim.server.core.baseline import Baseline
from dccsim.server.core.dsp import Dsp
from dccsim.server.core.errors import InvalidField, NotFound
from dccsim.server.core.faults import FaultAction, FaultPlan, FaultRule
from dccsim.server.core.fleet import Fleet, example_fleet
from dccsim.server.core.fleet_file import parse_fleet
from dccsim.server.core.scenario import run_mp105_scenario
from dccsim.server.store import StateFile, StateFileError
from dccsim.server.store.state_file import (
    DEFAULT_COMMIT_DELAY,
    DEFAULT_SNAPSHOT_EVERY,
    Synchronous,
)

if TYPE_CHECKING:  # grpc is imported only by the commands that talk to a server
    from dccsim.clients.client import Client
    from dccsim.server.http.options import HttpOptions
    from dccsim.server.keys import KeyStore
    from dccsim.server.runtime.host import DspHost
    from dccsim.v1.supplier_pb2 import Delivery

log = logging.getLogger("dccsim.cli")
BASELINES = click.Choice([b.value for b in Baseline])
# In the working directory, so that a restart in the same place carries on.
DEFAULT_STATE_FILE = Path("dccsim-state.sqlite3")


@click.group()
@click.version_option(package_name="dccsim")
def main() -> None:
    """dccsim: a simulator of GB smart-metering DCC systems (DSP, SMI, CPL, devices)."""


@main.command()
@click.option(
    "--baseline",
    type=click.Choice([b.value for b in Baseline]),
    default=Baseline.CURRENT.value,
    show_default=True,
    help="Rule book: DUIS as amended by MP105, or the behaviour MP105 replaced.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the steps as JSON.")
def demo(baseline: str, as_json: bool) -> None:
    """Run the MP105 story on the embedded example fleet and show what the DSP did."""
    dsp, steps = run_mp105_scenario(Baseline(baseline))
    if as_json:
        click.echo(json.dumps([dataclasses.asdict(s) for s in steps], indent=2))
        return
    console = Console()
    table = Table(title=f"MP105 story on the example ESME (baseline: {baseline})")
    for column in ("step", "DSP answer", "SMI status", "SMI firmware", "device firmware"):
        table.add_column(column)
    for step in steps:
        table.add_row(
            step.action, step.answer, step.device_status, step.smi_firmware, step.device_firmware
        )
    console.print(table)
    for user_id, count in sorted(dsp.state.outboxes.snapshot().items()):
        codes = [_describe(entry.message) for entry in dsp.pending(user_id)]
        console.print(f"[bold]{user_id}[/bold]: {count} message(s) waiting: {', '.join(codes)}")


def _describe(message: object) -> str:
    code = getattr(message, "code", None) or getattr(message, "alert_code", None)
    kind = type(message).__name__.removesuffix("Message")
    return f"{kind} 0x{int(code):04X}" if isinstance(code, int) else f"{kind} {code}"


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the devices as JSON.")
def fleet(as_json: bool) -> None:
    """Show the embedded example fleet (the devices the public DUIS templates address)."""
    dsp = Dsp()
    example = example_fleet()
    example.load_into(dsp)
    records = list(dsp.state.smi)
    if as_json:
        click.echo(json.dumps([dataclasses.asdict(r) for r in records], indent=2, default=str))
        return
    table = Table(title=f"Example fleet: {len(records)} devices, {len(example.users)} users")
    for column in ("device", "type", "SMETS", "model", "firmware", "status", "MPxN"):
        table.add_column(column)
    for r in records:
        table.add_row(
            r.device_id, r.device_type, r.smets, r.model, r.firmware_version, r.status, r.mpxn or ""
        )
    Console().print(table)
    for user in example.users:
        roles = ",".join(sorted(user.roles))
        click.echo(f"user {user.user_id} {user.name} roles={roles} DUIS {user.interface_version}")


@main.command()
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


# -- commands that talk to a running server -----------------------------------------------------

_server_option = click.option(
    "--server",
    default="127.0.0.1:50051",
    show_default=True,
    envvar="DCCSIM_SERVER",
    help="Address of a running `dccsim serve`.",
)


def _client(server: str) -> Client:
    from dccsim.clients.client import Client

    return Client(server)


def _fail(error: Exception) -> None:
    field = getattr(error, "field", None)
    raise click.ClickException(f"{error} (field: {field})" if field else str(error))


@main.command()
@_server_option
@click.argument("srv")
@click.option("--user", required=True, help="Originator EUI-64.")
@click.option("--target", help="Device EUI-64 (default: the DCC ACB, for non-device SRs).")
@click.option(
    "--cv",
    type=click.IntRange(1, 8),
    default=1,
    show_default=True,
    help="Command Variant. With --sign, CV 4 is sent and its PreCommand signed (CV 5).",
)
@click.option("--sign", is_flag=True, help="Critical SR: the two-leg CV 4 -> CV 5 flow.")
@click.option(
    "--body",
    "body_json",
    default="{}",
    help="Body as JSON, e.g. '{\"read_firmware_version\": {}}'.",
)
@click.option("--counter", type=int, help="RequestID counter (default: milliseconds now).")
@click.option("--json", "as_json", is_flag=True)
def send(
    server: str,
    srv: str,
    user: str,
    target: str | None,
    cv: int,
    sign: bool,
    body_json: str,
    counter: int | None,
    as_json: bool,
) -> None:
    """Send one Service Request and print the synchronous answer."""
    from google.protobuf import json_format

    from dccsim.clients.client import ACB_ID, DccsimError

    try:
        body = json.loads(body_json)
    except json.JSONDecodeError as error:
        raise click.BadParameter(f"not JSON: {error}", param_hint="--body") from None
    with _client(server) as dcc:
        try:
            if sign:
                answer = dcc.send_critical(srv, user=user, target=target or ACB_ID, body=body)
            else:
                answer = dcc.send(
                    srv, user=user, target=target or ACB_ID, cv=cv, body=body, counter=counter
                )
        except (DccsimError, ValueError, TypeError, json_format.ParseError) as error:
            _fail(error)
    if as_json:
        click.echo(json_format.MessageToJson(answer.message))
    else:
        detail = f" ({answer.detail})" if answer.detail else ""
        click.echo(f"{answer.request_id} SRV {answer.srv} -> {answer.code}{detail}")


@main.command()
@_server_option
@click.option("--user", required=True, help="Whose messages to watch.")
@click.option("--after", default=0, show_default=True, help="Resume after this sequence.")
@click.option(
    "--ack/--no-ack",
    default=False,
    show_default=True,
    help="Acknowledge each message once printed.",
)
@click.option("--count", type=int, help="Stop after this many messages.")
@click.option("--timeout", type=float, help="Stop after this many seconds.")
@click.option("--json", "as_json", is_flag=True)
def watch(
    server: str,
    user: str,
    after: int,
    ack: bool,
    count: int | None,
    timeout: float | None,
    as_json: bool,
) -> None:
    """Print a user's responses and alerts as they arrive."""
    from google.protobuf import json_format

    from dccsim.clients.client import DccsimError

    seen = 0
    with _client(server) as dcc:
        try:
            for delivery in dcc.deliveries(user, after=after, timeout=timeout):
                click.echo(
                    json_format.MessageToJson(delivery, indent=None)
                    if as_json
                    else describe_delivery(delivery)
                )
                if ack:
                    dcc.acknowledge(user, delivery.sequence)
                seen += 1
                if count is not None and seen >= count:
                    break
        except DccsimError as error:
            _fail(error)


def describe_delivery(delivery: Delivery) -> str:
    kind = delivery.WhichOneof("message")
    if kind == "service_response":
        r = delivery.service_response
        body = r.WhichOneof("body")
        extra = ""
        if body:
            from google.protobuf import text_format

            extra = f" {body} {{{text_format.MessageToString(getattr(r, body), as_one_line=True)}}}"
        return f"#{delivery.sequence} response {r.request_id} {r.response_code}{extra}"
    if kind == "device_alert":
        a = delivery.device_alert
        return (
            f"#{delivery.sequence} device alert 0x{a.alert_code:04X} "
            f"(message 0x{a.message_code:04X}) from {a.device_id}"
        )
    a = delivery.dcc_alert
    return f"#{delivery.sequence} DCC alert {a.dcc_alert_code} for {a.device_id}"


@main.command()
@_server_option
@click.option("--status", help="Only devices in this SMI status, e.g. Suspended.")
@click.option("--json", "as_json", is_flag=True)
def devices(server: str, status: str | None, as_json: bool) -> None:
    """List the SMI's devices."""
    from google.protobuf import json_format

    from dccsim.v1 import types_pb2

    wanted = 0
    if status:
        name = (
            "SMI_STATUS_"
            + "".join(f"_{c}" if c.isupper() and i else c for i, c in enumerate(status)).upper()
        )
        try:
            wanted = types_pb2.SmiStatus.Value(name)
        except ValueError:
            raise click.BadParameter(f"unknown status {status!r}", param_hint="--status") from None
    with _client(server) as dcc:
        found = dcc.devices(status=wanted)
    if as_json:
        click.echo(json.dumps([json_format.MessageToDict(d) for d in found], indent=2))
        return
    table = Table(title=f"{len(found)} device(s)")
    for column in ("device", "type", "firmware", "status", "MPxN"):
        table.add_column(column)
    for d in found:
        table.add_row(
            d.device_id,
            types_pb2.DeviceType.Name(d.device_type).removeprefix("DEVICE_TYPE_"),
            d.firmware_version,
            types_pb2.SmiStatus.Name(d.status).removeprefix("SMI_STATUS_"),
            d.mpxn,
        )
    Console().print(table)


@main.command("raise-alert")
@_server_option
@click.argument("device_id")
@click.argument("alert_code")
@click.option(
    "--interrupted-at",
    type=click.DateTime(["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S"]),
    help="Outage restored (0x8F35..0x8F3C): when the supply went (UTC if no offset).",
)
@click.option("--warning", default="", help='Integrity warning (0x81A0), e.g. "Error RAM".')
def raise_alert(
    server: str, device_id: str, alert_code: str, interrupted_at: datetime | None, warning: str
) -> None:
    """A device raises one of its own alerts (SRV-06), e.g. `raise-alert <ESME> 8F57` or
    `raise-alert <ESME> supply-interrupted`; prints who it is for."""
    from dccsim.clients.client import DccsimError
    from dccsim.devices.alerts import parse_alert_code

    try:
        code = parse_alert_code(alert_code)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="ALERT_CODE") from None
    if interrupted_at is not None and interrupted_at.tzinfo is None:
        interrupted_at = interrupted_at.replace(tzinfo=UTC)
    with _client(server) as dcc:
        try:
            raised = dcc.raise_device_alert(
                device_id, code, interrupted_at=interrupted_at, integrity_warning=warning
            )
        except DccsimError as error:
            _fail(error)
            return
    recipients = ", ".join(raised.recipients) or "no one registered"
    click.echo(f"{raised.alert_code:04X} {raised.alert_name} on {raised.device_id}: {recipients}")


@main.command()
@_server_option
@click.option(
    "--remove",
    nargs=3,
    metavar="MANUFACTURER MODEL VERSION",
    help="Mark a CPL entry Removed (suspends its devices).",
)
@click.option("--json", "as_json", is_flag=True)
def cpl(server: str, remove: tuple[str, str, str] | None, as_json: bool) -> None:
    """Show the Central Products List, or mark an entry Removed."""
    from google.protobuf import json_format

    from dccsim.clients.client import DccsimError
    from dccsim.v1 import types_pb2

    with _client(server) as dcc:
        if remove:
            try:
                result = dcc.set_cpl_status(*remove, types_pb2.CPL_STATUS_REMOVED)
            except DccsimError as error:
                _fail(error)
            click.echo(f"marked Removed; {result.devices_suspended} device(s) suspended")
            return
        entries = dcc.cpl()
    if as_json:
        click.echo(json.dumps([json_format.MessageToDict(e) for e in entries], indent=2))
        return
    for e in entries:
        status = types_pb2.CplStatus.Name(e.status).removeprefix("CPL_STATUS_").title()
        click.echo(f"{e.manufacturer} {e.model} {e.firmware_version} {status}")


@main.command()
@_server_option
@click.option("--advance", type=float, help="Move virtual time forward by this many seconds.")
@click.option(
    "--rate", type=float, help="Run virtual time at this multiple of real time (0 freezes)."
)
@click.option("--json", "as_json", is_flag=True)
def clock(server: str, advance: float | None, rate: float | None, as_json: bool) -> None:
    """Show or change the simulator's virtual clock."""
    from datetime import timedelta

    from dccsim.clients.client import DccsimError

    with _client(server) as dcc:
        try:
            state = dcc.clock()
            if advance is not None:
                state = dcc.advance(timedelta(seconds=advance))
            if rate is not None:
                state = dcc.set_clock_rate(rate)
        except DccsimError as error:
            _fail(error)
    now = state.now.ToDatetime().isoformat() + "Z"
    if as_json:
        click.echo(json.dumps({"now": now, "rate": state.rate, "pending": state.pending_actions}))
    else:
        click.echo(f"{now} rate {state.rate:g}x, {state.pending_actions} future-dated action(s)")


# -- firmware campaigns -------------------------------------------------------------------------

CAMPAIGN_SUPPLIER = "90-B3-D5-1F-30-01-00-00"


def campaign_fleet_yaml(devices: int, smets1_share: float) -> str:
    """The fleet an embedded campaign runs on: one supplier, ESMEs on firmware 0100, with 0100
    and 0200 both Current on the CPL until the campaign marks 0100 Removed."""
    return f"""
users: [{{id: {CAMPAIGN_SUPPLIER}, roles: [IS], name: Campaign supplier}},
        {{id: 90-B3-D5-1F-30-02-00-00, roles: [ED], name: Network operator}}]
cpl:
  - {{manufacturer: DCCSIM, model: ESME-S2, firmware: "0100"}}
  - {{manufacturer: DCCSIM, model: ESME-S2, firmware: "0200"}}
generate:
  - {{count: {devices}, type: ESME, smets1_share: {smets1_share}, manufacturer: DCCSIM,
      model: ESME-S2, firmware: "0100", id_prefix: 00-DB-07, supplier: {CAMPAIGN_SUPPLIER},
      network_operator: 90-B3-D5-1F-30-02-00-00}}
"""


@main.command()
@click.option(
    "--devices",
    "device_count",
    default=1000,
    show_default=True,
    type=click.IntRange(1, 1_000_000),
    help="ESMEs in the embedded campaign fleet.",
)
@click.option("--smets1-share", default=0.1, show_default=True, type=click.FloatRange(0, 1))
@click.option(
    "--lose-activation-responses",
    "loss",
    default=0.2,
    show_default=True,
    type=click.FloatRange(0, 1),
    help="Share of 11.3 responses lost.",
)
@click.option("--seed", default=0, show_default=True)
@click.option("--baseline", type=BASELINES, default=Baseline.CURRENT.value, show_default=True)
@click.option(
    "--compare-baselines",
    is_flag=True,
    help="Run the current and the pre-MP105 baseline on identical seeds, side by side.",
)
@click.option(
    "--retries",
    default=1,
    show_default=True,
    type=click.IntRange(0, 10),
    help="How often to retry 11.3 where no response came.",
)
@click.option("--no-read", is_flag=True, help="Skip the final 11.2 reads.")
@click.option(
    "--future-dated",
    "execute_after",
    type=click.FloatRange(min=1),
    metavar="SECONDS",
    help="Activate future-dated, this many virtual seconds after sending.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report(s) as JSON.")
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a bar chart of the final states to this HTML file.",
)
def campaign(
    device_count: int,
    smets1_share: float,
    loss: float,
    seed: int,
    baseline: str,
    compare_baselines: bool,
    retries: int,
    no_read: bool,
    execute_after: float | None,
    as_json: bool,
    html_path: Path | None,
) -> None:
    """Roll firmware 0200 across a fleet through the gRPC API, with the old firmware Removed
    from the CPL (so the devices start Suspended), and report how every device ends up."""
    from rich.progress import Progress

    from dccsim.clients.campaign import Campaign, CampaignPlan
    from dccsim.clients.campaign_report import report_html, report_table
    from dccsim.clients.client import Client
    from dccsim.server.rpc.app import start_server
    from dccsim.v1 import types_pb2

    fleet = parse_fleet(campaign_fleet_yaml(device_count, smets1_share), seed=seed)
    baselines = (
        [Baseline.CURRENT, Baseline.PRE_MP105] if compare_baselines else [Baseline(baseline)]
    )
    reports = []
    console = Console(stderr=True)
    for chosen in baselines:

        def make_dsp(chosen: Baseline = chosen) -> Dsp:
            dsp = Dsp(baseline=chosen, faults=FaultPlan(seed=seed))
            fleet.load_into(dsp)
            if loss > 0:
                dsp.faults.add(FaultRule(FaultAction.DROP, srv="11.3", probability=loss))
            return dsp

        running = start_server(make_dsp)
        try:
            with (
                Client(f"127.0.0.1:{running.port}") as dcc,
                Progress(console=console, transient=True, disable=as_json) as bar,
            ):
                dcc.set_cpl_status("DCCSIM", "ESME-S2", "0100", types_pb2.CPL_STATUS_REMOVED)
                devices = tuple(d.device_id for d in fleet.devices)
                task = bar.add_task(f"[{chosen}] starting", total=len(devices))
                phases: dict[str, int] = {}

                def progress(
                    phase: str,
                    advance: int,
                    task: int = task,
                    phases: dict[str, int] = phases,
                    total: int = len(devices),
                    label: str = chosen,
                ) -> None:
                    if phase not in phases:
                        phases[phase] = 0
                        bar.reset(task, total=total, description=f"[{label}] {phase}")
                    bar.advance(task, advance)

                plan = CampaignPlan(
                    CAMPAIGN_SUPPLIER,
                    devices,
                    "0200",
                    b"dccsim campaign image 0200",
                    retries,
                    not no_read,
                    timedelta(seconds=execute_after) if execute_after is not None else None,
                )
                reports.append(Campaign(dcc, plan, baseline=chosen, progress=progress).run())
        finally:
            running.stop(grace=None)
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in reports], indent=2))
    else:
        Console().print(report_table(reports))
    if html_path is not None:
        html_path.write_text(report_html(reports))
        if not as_json:
            click.echo(f"chart written to {html_path}")


@main.command()
@_server_option
@click.option(
    "--add",
    "add_json",
    metavar="JSON",
    help='Add a rule, e.g. \'{"action": "drop", "srv": "11.3", "probability": 0.2}\'.',
)
@click.option("--remove", "remove_id", type=int, metavar="RULE_ID", help="Remove a rule.")
@click.option("--decisions", is_flag=True, help="List every decision the rules made.")
@click.option("--json", "as_json", is_flag=True, help="JSON (an export of rules or decisions).")
def faults(
    server: str, add_json: str | None, remove_id: int | None, decisions: bool, as_json: bool
) -> None:
    """List, add and remove fault rules, or export their decisions."""
    from google.protobuf import json_format

    from dccsim.clients.client import DccsimError
    from dccsim.v1 import control_pb2

    with _client(server) as dcc:
        try:
            if add_json is not None:
                rule_id = dcc.add_fault_rule(json_format.Parse(add_json, control_pb2.FaultRule()))
                click.echo(f"rule {rule_id} added")
                return
            if remove_id is not None:
                dcc.remove_fault_rule(remove_id)
                click.echo(f"rule {remove_id} removed")
                return
            rows = dcc.fault_decisions() if decisions else dcc.fault_rules()
        except json_format.ParseError as error:
            raise click.BadParameter(str(error), param_hint="--add") from None
        except DccsimError as error:
            _fail(error)
    if as_json:
        click.echo(json.dumps([json_format.MessageToDict(r) for r in rows], indent=2))
        return
    for row in rows:
        click.echo(json_format.MessageToJson(row, indent=None))


# -- end-to-end load generator ------------------------------------------------------------------

BENCH_MODES = ("unary", "stream", "batch")
# dccsim.clients.bench_traffic.DEFAULT_MIX, without importing grpc at start.
BENCH_MIX = "4.1.1=6,4.8.1=4,4.6.1=3,4.12.1=1,11.2=2,2.2=1,6.2.7=1,8.2=1,11.3=1"


@main.command()
@click.option(
    "--mode",
    "modes",
    multiple=True,
    default=("unary",),
    show_default=True,
    type=click.Choice(BENCH_MODES),
    help="unary (Submit), stream (SubmitStream) or batch (SubmitBatch). Repeatable.",
)
@click.option("--clients", default=8, show_default=True, type=click.IntRange(1), help="Clients.")
@click.option(
    "--users",
    default=1,
    show_default=True,
    type=click.IntRange(1),
    help="Suppliers the clients send as (client i as supplier i mod N); one subscriber each.",
)
@click.option("--channels", default=2, show_default=True, type=click.IntRange(1))
@click.option(
    "--duration",
    type=click.FloatRange(0, min_open=True),
    help="Measured seconds per mode and server [default: 5, unless --requests].",
)
@click.option("--requests", type=click.IntRange(1), help="Measured requests per mode and server.")
@click.option("--warmup", default=1.0, show_default=True, type=click.FloatRange(0))
@click.option(
    "--mix",
    default=BENCH_MIX,
    show_default=True,
    help="SRVs and weights, or a named mix: `realistic` (the default: mostly 4.1.1, 4.8.1 and "
    "4.6.1 meter reads, with 4.12.1, 11.2, 2.2, 6.2.7, 8.2 and 11.3) or `firmware` "
    "(11.2=8,8.2=1,11.3=1). SRVs: 4.1.1, 4.6.1, 4.8.1, 4.12.1, 6.2.7, 11.2, 8.2, "
    "11.3 (CV 4 then the signed CV 5), 2.2.",
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
    "--json",
    "json_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write every raw figure to this file.",
)
def bench(
    modes: tuple[str, ...],
    clients: int,
    users: int,
    channels: int,
    duration: float | None,
    requests: int | None,
    warmup: float,
    mix: str,
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
    json_path: Path | None,
) -> None:
    """End-to-end load: CLIENTS clients over CHANNELS channels send a Service Request mix to a
    `dccsim serve` (or --server), every delivered response is matched to its request, and an
    empty echo service set up the same way is driven identically for the ratio."""
    import shlex
    import sys

    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from dccsim.clients.bench import BenchConfig, run_bench
    from dccsim.clients.bench_report import contention_notes, report_table

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
    )
    try:
        config.check()
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[figure]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        refresh_per_second=4,
    ) as bar:
        task = bar.add_task("starting", total=None, figure="")

        def tick(phase: str, done: float, total: float | None) -> None:
            figure = f"{done:,.1f} / {total:,.1f}" if total else ""
            bar.update(task, description=phase, completed=done, total=total, figure=figure)

        report = run_bench(config, tick).as_dict()
    report["command"] = shlex.join(["dccsim", *sys.argv[1:]])
    Console().print(report_table(report))
    for mode, met in report["targets"].items():
        click.echo(f"{mode}: " + ", ".join(f"{k}={'yes' if v else 'NO'}" for k, v in met.items()))
    for note in contention_notes(report):
        click.echo(f"warning: {note}", err=True)
    if json_path is not None:
        json_path.write_text(json.dumps(report, indent=2) + "\n")
        click.echo(f"figures written to {json_path}")


@main.group()
def keys() -> None:
    """Keys and certificates of a running server (BOXED-05)."""


@keys.command("export")
@_server_option
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--device",
    "device_ids",
    multiple=True,
    metavar="EUI",
    help="Only this device's certificates (repeatable). Default: every device of the fleet.",
)
@click.option("--no-devices", is_flag=True, help="Only the CAs', the ACB's and the Users' files.")
def keys_export(
    server: str, directory: Path, device_ids: tuple[str, ...], no_devices: bool
) -> None:
    """Write the PEM files a User's tools need into DIRECTORY: every User's, the ACB's and each
    device's certificates, the Users' and the ACB's private keys (PKCS#8), named as DCC's GBCS
    parser reads them: <eui>-ds.pem, <eui>-ka.pem, <eui>-ds.key, <eui>-xmlsign.pem, ..."""
    import grpc

    from dccsim.clients.client import DccsimError
    from dccsim.server.keys import KeyFile, write_files

    written = owners = 0
    try:
        with _client(server) as client:
            for owner, files in client.export_keys(
                device_ids=list(device_ids), no_devices=no_devices
            ):
                written += len(write_files([KeyFile(f.name, f.pem) for f in files], directory))
                owners += 1 if owner else 0
    except grpc.RpcError as error:
        raise click.ClickException(f"{error.code().name}: {error.details()}") from None
    except (DccsimError, ValueError, OSError) as error:
        _fail(error)
    click.echo(f"{written} files for {owners} owners written to {directory}")
