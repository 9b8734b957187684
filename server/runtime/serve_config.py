"""What a server is made of, and how it starts: the composition root of `dccsim serve`.

A front end (the CLI, a campaign, a test) describes the server as one `ServeConfig`; `start`
builds the DSP factory, the state file, the keystore and the HTTP side from it, and starts the
gRPC server. The factory is the config's `make_dsp`: the DSP is built from one description, the
same at start, at a Reset and at a LoadFleet.

A value that cannot be served raises `ConfigError` naming the config field, before anything has
started; fields are named as `dccsim serve`'s options are (`state` is `--state`). A port (gRPC,
HTTP or SMKI) that cannot be listened on raises `CannotListen`, naming its field likewise.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from dccsim.server.core.baseline import Baseline
from dccsim.server.core.codes import PRE_COMMAND_REFUSED, REFUSED_SIGNATURE, ResponseCode
from dccsim.server.core.dsp import Dsp
from dccsim.server.core.errors import InvalidField, NotFound
from dccsim.server.core.faults import FaultAction, FaultPlan, FaultRule
from dccsim.server.core.fleet import Fleet, example_fleet
from dccsim.server.core.fleet_file import DEFAULT_MAX_DEVICES, parse_fleet
from dccsim.server.gbcs.payloads import PayloadForm
from dccsim.server.http.console.options import ConsoleOptions
from dccsim.server.runtime import build
from dccsim.server.store import StateFile, StateFileError
from dccsim.server.store.state_file import (
    DEFAULT_COMMIT_DELAY,
    DEFAULT_SNAPSHOT_EVERY,
    Synchronous,
)

if TYPE_CHECKING:  # grpc and the HTTP side load only when a server starts
    from dccsim.server.duis import DuisSchemas
    from dccsim.server.http.options import HttpOptions
    from dccsim.server.keys import KeyStore
    from dccsim.server.keys.export import ServerTlsFiles
    from dccsim.server.rpc.app import RunningServer
    from dccsim.server.rpc.limits import Limits
    from dccsim.server.rpc.security import SecurityOptions
    from dccsim.server.runtime.host import DspHost

log = logging.getLogger("dccsim.server")

# In the working directory, so that a restart in the same place carries on.
DEFAULT_STATE_FILE = Path("dccsim-state.sqlite3")
DEFAULT_PORT = 50051
DEFAULT_HTTP_PORT = 8079
DEFAULT_SMKI_PORT = 8083
# The DspXmlSign certificate of each DCC Boxed release a keystore may sign with.
DSP_SIGNING_KEYS = ("25.11", "1.4.1")


class ConfigError(ValueError):
    """A config value that cannot be served; `field` is the ServeConfig field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class CannotListen(OSError):
    """A port could not be listened on: `field` is the ServeConfig field that chose it (`port`,
    `http_port`, `smki_port`), `reason` the system's (e.g. address already in use)."""

    def __init__(self, field: str, address: str, reason: str) -> None:
        super().__init__(f"cannot listen on {address} ({field}): {reason}")
        self.field = field
        self.address = address
        self.reason = reason


# The ServeConfig field behind each HTTP-side listener (HttpService's Listener values).
_LISTENER_FIELDS = {"DUIS": "http_port", "SMKI": "smki_port"}


@dataclass(frozen=True)
class ServeConfig:
    """Everything `dccsim serve` can be told. Ports: 0 is any free port; an HTTP or SMKI port of
    None switches that listener off. `state` None keeps no state file (a throwaway run)."""

    fleet: Fleet = field(default_factory=example_fleet)
    # The file `fleet` was read from, if any: named when a state file's state is served instead.
    fleet_file: Path | None = None
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    seed: int = 0
    baseline: Baseline = Baseline.CURRENT
    # Share of 11.3 Activate Firmware responses lost (the devices still activate).
    lose_activation_responses: float = 0.0
    strict_counters: bool = True
    duis_xsd: tuple[Path, ...] = ()
    state: Path | None = DEFAULT_STATE_FILE
    fresh: bool = False  # start from the fleet even when the state file holds a state
    sync: Synchronous = "normal"
    snapshot_every: int = DEFAULT_SNAPSHOT_EVERY
    commit_delay: float = DEFAULT_COMMIT_DELAY  # seconds
    http_port: int | None = DEFAULT_HTTP_PORT
    smki_port: int | None = DEFAULT_SMKI_PORT
    http_tls_cert: Path | None = None
    http_tls_key: Path | None = None
    receive_urls: tuple[tuple[str, str], ...] = ()  # (User ID, Receive Response Service address)
    verify_signatures: bool = True
    # BOXED-03, GBCS-03: the codes refusing a request's XML signature and a signed pre-command.
    # Decisions (DUIS gives neither a public code), configurable as issue 15 asks.
    signature_refused_code: ResponseCode = REFUSED_SIGNATURE
    pre_command_refused_code: ResponseCode = PRE_COMMAND_REFUSED
    keystore: Path | None = None  # DCC Boxed's keystore JSON; None: dccsim's own test PKI
    dsp_signing_key: str | None = None  # with `keystore`: one of DSP_SIGNING_KEYS
    # SEC-01: gRPC over TLS with this certificate and key (PEM); with `client_ca`, mutual TLS
    # (and on HTTP too, when HTTP has TLS). Read when the server starts.
    tls_cert: Path | None = None
    tls_key: Path | None = None
    client_ca: Path | None = None
    # SEC-01: mutual TLS on every listener from the test PKI beside the state file: a server
    # certificate for `host` and loopback, the operator's client certificate an operator's.
    tls_test_pki: bool = False
    # SEC-02: the control API's credentials, and opening it beyond loopback without one.
    operator_token: str | None = None
    operator_certs: tuple[Path, ...] = ()  # client certificates (PEM) of operators
    open_control: bool = False
    limits: Limits | None = None  # SEC-04; None: Limits()'s defaults
    console: ConsoleOptions = field(default_factory=ConsoleOptions)
    metrics: bool = True  # GET /metrics on the DUIS port
    gbcs_payload: PayloadForm = PayloadForm.GBCS  # GBCS-05: MMC for every SRV when asked

    def __post_init__(self) -> None:
        # Checked here, so a config that exists can be served as far as its values go.
        if (self.http_tls_cert is None) != (self.http_tls_key is None):
            raise ConfigError("http_tls_cert", "give both --http-tls-cert and --http-tls-key")
        self._check_security()
        if self.dsp_signing_key is not None:
            if self.keystore is None:
                raise ConfigError("dsp_signing_key", "needs --keystore")
            if self.dsp_signing_key not in DSP_SIGNING_KEYS:
                raise ConfigError("dsp_signing_key", f"is one of {', '.join(DSP_SIGNING_KEYS)}")
        if not 0.0 <= self.lose_activation_responses <= 1.0:
            raise ConfigError("lose_activation_responses", "is a share between 0 and 1")
        # Normalised as well as checked: a code may be given as text ("e1001") from Python.
        for name in ("signature_refused_code", "pre_command_refused_code"):
            object.__setattr__(self, name, error_code(getattr(self, name), name))
        for user, url in self.receive_urls:
            if not user or not url:
                raise ConfigError("receive_url", f"{user}={url} is not USER=URL")

    def _check_security(self) -> None:
        if (self.tls_cert is None) != (self.tls_key is None):
            raise ConfigError("tls_cert", "give both --tls-cert and --tls-key")
        if self.client_ca is not None and self.tls_cert is None:
            raise ConfigError("client_ca", "needs --tls-cert and --tls-key (or --tls-test-pki)")
        if self.tls_test_pki:
            if self.tls_cert is not None or self.http_tls_cert is not None:
                raise ConfigError(
                    "tls_test_pki",
                    "give it or a certificate (--tls-cert, --http-tls-cert), not both",
                )
            if self.state is None:
                raise ConfigError(
                    "tls_test_pki",
                    "needs a state file: the keys directory beside it holds the CA and the client "
                    "certificates clients connect with (drop --in-memory)",
                )
        if self.operator_certs and self.client_ca is None and not self.tls_test_pki:
            raise ConfigError("operator_cert", "needs mutual TLS: --client-ca, or --tls-test-pki")
        if self.operator_token is not None and not self.operator_token.strip():
            raise ConfigError("operator_token", "is empty")

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def http_tls(self) -> bool:
        return self.http_tls_cert is not None or self.tls_test_pki

    @property
    def tls_names(self) -> tuple[str, ...]:
        """The names the test PKI's server certificate is valid for."""
        return (self.host, "localhost", "127.0.0.1", "::1")

    def make_dsp(self) -> Dsp:
        """A new DSP holding the fleet: the server's factory (at start, Reset and LoadFleet)."""
        dsp = Dsp(
            baseline=self.baseline,
            faults=FaultPlan(seed=self.seed),
            strict_counters=self.strict_counters,
        )
        self.fleet.load_into(dsp)
        if self.lose_activation_responses > 0:
            dsp.faults.add(
                FaultRule(FaultAction.DROP, srv="11.3", probability=self.lose_activation_responses)
            )
        return dsp

    def http_options(self, test_pki_files: ServerTlsFiles | None = None) -> HttpOptions | None:
        """The HTTP side; with `test_pki_files` (--tls-test-pki), HTTPS from them, mutual."""
        from dccsim.server.http.options import HttpOptions

        if self.http_port is None and self.smki_port is None:
            return None
        tls_cert: Path | None = self.http_tls_cert
        tls_key: Path | None = self.http_tls_key
        client_ca = None if tls_cert is None else self.client_ca
        if test_pki_files is not None:
            tls_cert, tls_key = test_pki_files.certificate, test_pki_files.private_key
            client_ca = test_pki_files.client_ca
        options = HttpOptions(
            host=self.host,
            duis_port=self.http_port,
            smki_port=self.smki_port,
            tls_cert=tls_cert,
            tls_key=tls_key,
            client_ca=client_ca,
            console=self.console,
            metrics=self.metrics,
        )
        if self.limits is None:
            return options
        return replace(options, max_connections=self.limits.max_connections)

    def security_options(self, keystore: KeyStore) -> SecurityOptions:
        """The gRPC side's TLS and operator credentials (SEC-01, SEC-02), reading the PEM files
        (and, for --tls-test-pki, deriving them from `keystore`). ConfigError names the option
        whose file cannot be read or is not what it should be."""
        from dccsim.server.keys.export import tls_pki
        from dccsim.server.rpc.security import SecurityOptions, TlsCredentials

        tls = None
        operator_certificates = tuple(_read(path, "operator_cert") for path in self.operator_certs)
        if self.tls_test_pki:
            pki = tls_pki(keystore)
            if pki is None:
                raise ConfigError("tls_test_pki", "the keystore's keys are not dccsim's test PKI")
            tls = TlsCredentials.from_test_pki(pki, self.tls_names)
            operator_certificates += (pki.operator().certificate_pem,)
        elif self.tls_cert is not None and self.tls_key is not None:
            try:
                tls = TlsCredentials.from_files(self.tls_cert, self.tls_key, self.client_ca)
            except (ValueError, OSError) as error:
                raise ConfigError("tls_cert", _reason(error)) from None
        try:
            return SecurityOptions(
                tls=tls,
                operator_token=None if self.operator_token is None else self.operator_token.strip(),
                operator_certificates=operator_certificates,
                open_control=self.open_control,
            )
        except ValueError as error:  # an --operator-cert file that is not a certificate
            raise ConfigError("operator_cert", str(error)) from None


def error_code(value: object, field: str) -> ResponseCode:
    """The DUIS error ResponseCode `value` names (any case), one dccsim knows; ConfigError
    naming `field` for a code that is not one, or not an error (I0, W110101)."""
    errors = [code for code in ResponseCode if code.is_error]
    text = str(value).strip().upper()
    known = next((code for code in ResponseCode if code.value == text), None)
    if known is None or not known.is_error:
        what = "is not an error code" if known else "is not a DUIS response code dccsim knows"
        raise ConfigError(field, f"{value!r} {what}: give one of {', '.join(errors)}")
    return known


def load_fleet(path: Path | None, seed: int, max_devices: int = DEFAULT_MAX_DEVICES) -> Fleet:
    """The fleet of a fleet file (YAML), or the embedded example fleet; a file of more than
    `max_devices` devices is refused before any is made."""
    if path is None:
        return example_fleet()
    try:
        return parse_fleet(path.read_text(), seed=seed, max_devices=max_devices)
    except (InvalidField, OSError) as error:
        raise ConfigError("fleet", str(error)) from None


# The options that set a Limits field, by field (ConfigError names the option).
LIMIT_OPTIONS = {
    "workers": "workers",
    "max_streams": "max_streams",
    "max_streams_per_user": "max_streams_per_user",
    "max_connections": "max_connections",
    "outbox_per_user": "outbox_limit",
    "max_batch_requests": "max_batch",
    "max_fleet_devices": "max_fleet_devices",
}


def serve_limits(
    *,
    workers: int | None = None,
    max_streams: int | None = None,
    max_streams_per_user: int | None = None,
    max_connections: int | None = None,
    outbox_limit: int | None = None,
    max_batch: int | None = None,
    max_fleet_devices: int | None = None,
) -> Limits:
    """Limits with the values given (None: the default). Fewer workers than the default lower
    the default stream cap with them, keeping a quarter of the workers (at least
    MIN_RESERVED_WORKERS) for unary calls, as start_server does for `max_workers`."""
    from dccsim.server.rpc.limits import MIN_RESERVED_WORKERS, Limits

    given = {
        "workers": workers,
        "max_streams": max_streams,
        "max_streams_per_user": max_streams_per_user,
        "max_connections": max_connections,
        "outbox_per_user": outbox_limit,
        "max_batch_requests": max_batch,
        "max_fleet_devices": max_fleet_devices,
    }
    values = {name: value for name, value in given.items() if value is not None}
    if workers is not None and max_streams is None:
        reserve = max(MIN_RESERVED_WORKERS, workers // 4)
        values["max_streams"] = min(Limits().max_streams, max(workers - reserve, 1))
    try:
        return Limits(**values)
    except ValueError as error:
        named = next((n for n in LIMIT_OPTIONS if str(error).startswith(n + " ")), "max_streams")
        if named == "max_streams" and max_streams is None:
            named = "workers"  # the stream cap derived from too few workers
        raise ConfigError(LIMIT_OPTIONS[named], str(error)) from None


def _read(path: Path, option: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise ConfigError(option, _reason(error)) from None


def _reason(error: Exception) -> str:
    """One line: an OSError's reason and file name, or the message."""
    if isinstance(error, OSError) and error.strerror:
        return f"{error.filename}: {error.strerror}" if error.filename else error.strerror
    return str(error)


def parse_receive_urls(items: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """`USER=URL` items, as `--receive-url` takes them."""
    pairs = []
    for item in items:
        user, sep, url = item.partition("=")
        if not sep or not user.strip() or not url.strip():
            raise ConfigError("receive_url", f"{item!r} is not USER=URL")
        pairs.append((user.strip(), url.strip()))
    return tuple(pairs)


def start(config: ServeConfig) -> RunningServer:
    """Start serving `config`: nothing is left running or open when this raises. Raises
    ConfigError for a value that cannot be served, CannotListen for a port that cannot be
    bound."""
    from dccsim.server.duis.signing import SignatureSettings
    from dccsim.server.http.service import ListenFailed
    from dccsim.server.rpc.app import GrpcListenFailed, start_server  # grpc only when serving

    schemas = _schemas(config.duis_xsd)
    held = _holds_state(config)
    state_file = _state_file(config)
    try:
        keystore = _keystore(config)
        security = config.security_options(keystore)
        try:
            running = start_server(
                config.make_dsp,
                address=config.address,
                duis_schemas=schemas,
                state_file=state_file,
                http=config.http_options(_test_pki_files(config, keystore)),
                receive_urls=dict(config.receive_urls),
                signatures=SignatureSettings(
                    verify=config.verify_signatures,
                    refused_code=config.signature_refused_code.value,
                    pre_command_refused_code=config.pre_command_refused_code.value,
                ),
                keystore=keystore,
                security=security,
                limits=config.limits,
                gbcs_payload=config.gbcs_payload,
            )
        except (InvalidField, NotFound) as error:
            raise ConfigError("receive_url", str(error)) from None
        except ListenFailed as failed:
            field = _LISTENER_FIELDS[failed.listener]
            raise CannotListen(field, failed.address, failed.reason) from None
        except GrpcListenFailed as failed:
            raise CannotListen("port", failed.address, failed.reason) from None
    except BaseException:
        if state_file is not None:
            state_file.close()
        raise
    if held and config.fleet_file is not None:
        # Documented, and still easy to miss: the fleet file was read, and is not what serves.
        log.warning(
            "state file %s already holds a state: serving it, and ignoring the fleet %s "
            "(start with --fresh to start again from the fleet, or `dccsim reset --state`)",
            config.state,
            config.fleet_file,
        )
    _register_users(keystore, running.host)
    return running


def announce(config: ServeConfig, running: RunningServer) -> None:
    """The line that says the server is up (tests and scripts wait for "serving on HOST:PORT")."""
    ports = running.http_ports
    queries = running.host.queries
    log.info(
        "dccsim serving on %s:%d (%s): %d devices, %d users, baseline %s, state %s; "
        "DUIS over %s on %s, SMKI on %s; %s; %s",
        config.host,
        running.port,
        _grpc_transport(config),
        queries.device_count(),
        len(queries.users()),
        queries.baseline(),
        "in memory" if config.state is None else config.state,
        "HTTPS" if config.http_tls else "HTTP",
        "no port" if ports.duis is None else f"port {ports.duis}",
        "no port" if ports.smki is None else f"port {ports.smki}",
        _console_and_metrics(config, ports.duis),
        build.describe(build.compiled_modules()),
    )


def _grpc_transport(config: ServeConfig) -> str:
    if config.tls_test_pki or config.client_ca is not None:
        return "mutual TLS"
    return "plaintext" if config.tls_cert is None else "TLS"


def _console_and_metrics(config: ServeConfig, duis_port: int | None) -> str:
    """Where a browser finds the console and a scraper /metrics (on the DUIS port)."""
    if duis_port is None or (not config.console.enabled and not config.metrics):
        return "no console, no metrics"
    # A wildcard address is reached, from this machine, on loopback.
    host = "127.0.0.1" if config.host in ("0.0.0.0", "", "::", "[::]") else config.host
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    base = f"{'https' if config.http_tls else 'http'}://{host}:{duis_port}"
    console = f"web console at {base}/" if config.console.enabled else "no console"
    metrics = f"metrics at {base}/metrics" if config.metrics else "no metrics"
    return f"{console}, {metrics}"


def _test_pki_files(config: ServeConfig, keystore: KeyStore) -> ServerTlsFiles | None:
    """--tls-test-pki with an HTTP side: the server's certificate, key and the clients' CA,
    written into the keys directory beside the state file for the HTTP listeners to load."""
    if not config.tls_test_pki or config.state is None or config.http_options() is None:
        return None
    from dccsim.server.keys import keys_directory
    from dccsim.server.keys.export import tls_pki, write_server_tls

    pki = tls_pki(keystore)
    if pki is None:
        raise ConfigError("tls_test_pki", "the keystore's keys are not dccsim's test PKI")
    try:
        return write_server_tls(pki, config.tls_names, keys_directory(config.state))
    except OSError as error:
        raise ConfigError("state", _reason(error)) from None


def _schemas(paths: tuple[Path, ...]) -> DuisSchemas | None:
    if not paths:
        return None
    from dccsim.server.duis import DuisSchemas

    try:
        return DuisSchemas(paths)
    except (OSError, ValueError) as error:
        raise ConfigError("duis_xsd", str(error)) from None


def _holds_state(config: ServeConfig) -> bool:
    """Whether the server will carry on from the state file rather than start from the fleet:
    the file is there (an empty one is refused) and --fresh does not delete it. A first start
    writes its state before serving, so a state file that exists holds one."""
    if config.state is None or config.fresh:
        return False
    try:
        return config.state.stat().st_size > 0
    except OSError:
        return False  # not there; or unreadable, which opening it will report


def _state_file(config: ServeConfig) -> StateFile | None:
    if config.state is None:
        return None
    try:
        if config.fresh:
            StateFile.remove(config.state)
        return StateFile(
            config.state,
            synchronous=config.sync,
            snapshot_every=config.snapshot_every,
            commit_delay=config.commit_delay,
        )
    except (StateFileError, OSError) as error:
        raise ConfigError("state", str(error)) from None


def _keystore(config: ServeConfig) -> KeyStore:
    from dccsim.server.keys import (
        DSP_XML_SIGN_1_4_1,
        DSP_XML_SIGN_25_11,
        KeysDirectoryError,
        KeystoreFileError,
        keystore_for,
        smki_role,
    )

    serials: Mapping[str, int] = {"25.11": DSP_XML_SIGN_25_11, "1.4.1": DSP_XML_SIGN_1_4_1}
    users = config.fleet.users
    try:
        return keystore_for(
            config.state,
            [user.user_id for user in users],
            dccboxed=config.keystore,
            roles={user.user_id: smki_role(user.roles) for user in users},
            dsp_signing_serial=serials.get(config.dsp_signing_key or ""),
        )
    except KeystoreFileError as error:
        raise ConfigError("keystore", str(error)) from None
    except (KeysDirectoryError, OSError) as error:
        raise ConfigError("state", str(error)) from None


def _register_users(keystore: KeyStore, host: DspHost) -> None:
    """A state file may hold Users the fleet file does not: give them their keys too."""
    from dccsim.server.keys import smki_role

    users = [(u.user_id, smki_role(u.roles)) for u in host.queries.users()]
    for user_id, role in users:
        keystore.register(user_id, role)
