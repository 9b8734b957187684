"""What a server is made of, and how it starts: the composition root of `dccsim serve`.

A front end (the CLI, a campaign, a test) describes the server as one `ServeConfig`; `start`
builds the DSP factory, the state file, the keystore and the HTTP side from it, and starts the
gRPC server. The factory is the config's `make_dsp`: the DSP is built from one description, the
same at start, at a Reset and at a LoadFleet.

A value that cannot be served raises `ConfigError` naming the config field, before anything has
started; fields are named as `dccsim serve`'s options are (`state` is `--state`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:  # grpc and the HTTP side load only when a server starts
    from dccsim.server.duis import DuisSchemas
    from dccsim.server.http.options import HttpOptions
    from dccsim.server.keys import KeyStore
    from dccsim.server.rpc.app import RunningServer
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


@dataclass(frozen=True)
class ServeConfig:
    """Everything `dccsim serve` can be told. Ports: 0 is any free port; an HTTP or SMKI port of
    None switches that listener off. `state` None keeps no state file (a throwaway run)."""

    fleet: Fleet = field(default_factory=example_fleet)
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
    keystore: Path | None = None  # DCC Boxed's keystore JSON; None: dccsim's own test PKI
    dsp_signing_key: str | None = None  # with `keystore`: one of DSP_SIGNING_KEYS

    def __post_init__(self) -> None:
        # Checked here, so a config that exists can be served as far as its values go.
        if (self.http_tls_cert is None) != (self.http_tls_key is None):
            raise ConfigError("http_tls_cert", "give both --http-tls-cert and --http-tls-key")
        if self.dsp_signing_key is not None:
            if self.keystore is None:
                raise ConfigError("dsp_signing_key", "needs --keystore")
            if self.dsp_signing_key not in DSP_SIGNING_KEYS:
                raise ConfigError("dsp_signing_key", f"is one of {', '.join(DSP_SIGNING_KEYS)}")
        if not 0.0 <= self.lose_activation_responses <= 1.0:
            raise ConfigError("lose_activation_responses", "is a share between 0 and 1")
        for user, url in self.receive_urls:
            if not user or not url:
                raise ConfigError("receive_url", f"{user}={url} is not USER=URL")

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

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

    def http_options(self) -> HttpOptions | None:
        from dccsim.server.http.options import HttpOptions

        if self.http_port is None and self.smki_port is None:
            return None
        return HttpOptions(
            host=self.host,
            duis_port=self.http_port,
            smki_port=self.smki_port,
            tls_cert=self.http_tls_cert,
            tls_key=self.http_tls_key,
        )


def load_fleet(path: Path | None, seed: int) -> Fleet:
    """The fleet of a fleet file (YAML), or the embedded example fleet."""
    if path is None:
        return example_fleet()
    try:
        return parse_fleet(path.read_text(), seed=seed)
    except (InvalidField, OSError) as error:
        raise ConfigError("fleet", str(error)) from None


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
    ConfigError for a value that cannot be served, OSError for a port that cannot be bound."""
    from dccsim.server.duis.signing import SignatureSettings
    from dccsim.server.rpc.app import start_server  # grpc only when serving

    schemas = _schemas(config.duis_xsd)
    state_file = _state_file(config)
    try:
        keystore = _keystore(config)
        try:
            running = start_server(
                config.make_dsp,
                address=config.address,
                duis_schemas=schemas,
                state_file=state_file,
                http=config.http_options(),
                receive_urls=dict(config.receive_urls),
                signatures=None if config.verify_signatures else SignatureSettings(verify=False),
                keystore=keystore,
            )
        except (InvalidField, NotFound) as error:
            raise ConfigError("receive_url", str(error)) from None
    except BaseException:
        if state_file is not None:
            state_file.close()
        raise
    _register_users(keystore, running.host)
    return running


def announce(config: ServeConfig, running: RunningServer) -> None:
    """The line that says the server is up (tests and scripts wait for "serving on HOST:PORT")."""
    ports = running.http_ports
    dsp = running.host.dsp
    log.info(
        "dccsim serving on %s:%d: %d devices, %d users, baseline %s, state %s; "
        "DUIS over %s on %s, SMKI on %s",
        config.host,
        running.port,
        len(dsp.state.smi),
        len(dsp.state.users),
        dsp.baseline,
        "in memory" if config.state is None else config.state,
        "HTTPS" if config.http_tls_cert else "HTTP",
        "no port" if ports.duis is None else f"port {ports.duis}",
        "no port" if ports.smki is None else f"port {ports.smki}",
    )


def _schemas(paths: tuple[Path, ...]) -> DuisSchemas | None:
    if not paths:
        return None
    from dccsim.server.duis import DuisSchemas

    try:
        return DuisSchemas(paths)
    except (OSError, ValueError) as error:
        raise ConfigError("duis_xsd", str(error)) from None


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

    with host.lock:
        users = [(u.user_id, smki_role(u.roles)) for u in host.dsp.state.users.values()]
    for user_id, role in users:
        keystore.register(user_id, role)
