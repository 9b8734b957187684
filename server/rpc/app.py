"""Assemble and run the gRPC server: the dccsim services, health checking and reflection."""

from __future__ import annotations

import gc
import logging
import signal
import threading
from collections.abc import Callable, Mapping
from concurrent import futures
from dataclasses import dataclass, replace
from functools import partial

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from dccsim.server.core import commands
from dccsim.server.core.dsp import Dsp
from dccsim.server.duis import DuisSchemas
from dccsim.server.duis.signing import SignatureSettings
from dccsim.server.gbcs.payloads import PayloadForm
from dccsim.server.http.console.sending import request_signer as console_signer
from dccsim.server.http.options import HttpOptions
from dccsim.server.http.service import HttpPorts, HttpService
from dccsim.server.http.smki_app import smki_backend
from dccsim.server.keys.keystore import KeyStore
from dccsim.server.rpc.duis_service import DuisGatewayService
from dccsim.server.rpc.limits import (
    MIN_RESERVED_WORKERS,
    Limits,
    LimitsInterceptor,
    fit_file_limit,
)
from dccsim.server.rpc.malformed import MalformedMessages
from dccsim.server.rpc.security import SecurityInterceptor, SecurityOptions, is_loopback
from dccsim.server.rpc.services import ControlService, SupplierService
from dccsim.server.runtime.duis_gateway import DuisGateway
from dccsim.server.runtime.gbcs_hooks import GbcsHooks
from dccsim.server.runtime.host import DspHost
from dccsim.server.runtime.signing_hooks import request_verifier, response_signer
from dccsim.server.runtime.starting import starting_dsp
from dccsim.server.store import StateFile
from dccsim.v1 import (
    control_pb2,
    control_pb2_grpc,
    duis_pb2,
    duis_pb2_grpc,
    supplier_pb2,
    supplier_pb2_grpc,
)

log = logging.getLogger("dccsim.server")

SERVICE_NAMES = (
    supplier_pb2.DESCRIPTOR.services_by_name["SupplierService"].full_name,
    control_pb2.DESCRIPTOR.services_by_name["ControlService"].full_name,
    duis_pb2.DESCRIPTOR.services_by_name["DuisGateway"].full_name,
)
# A firmware image may be 7.68 MB (10,240,000 base64 characters in DUIS).
MAX_MESSAGE_BYTES = Limits().max_message_bytes
# Each open delivery or event stream holds a worker thread; Limits keeps room for unary calls.
DEFAULT_WORKERS = Limits().workers


@dataclass
class RunningServer:
    server: grpc.Server
    host: DspHost
    port: int
    health: health.HealthServicer
    # DUIS over HTTP, SMKI and deliveries by POST (None: no HTTP side).
    http: HttpService | None = None

    @property
    def http_ports(self) -> HttpPorts:
        return HttpPorts(None, None) if self.http is None else self.http.ports

    def stop(self, grace: float | None = 5.0) -> None:
        """Stop taking calls, end the streams and deliveries, let in-flight calls finish, then
        write a final snapshot to the state file (if any) and close it."""
        for name in (*SERVICE_NAMES, ""):
            self.health.set(name, health_pb2.HealthCheckResponse.NOT_SERVING)
        self.host.stop()
        if self.http is not None:
            self.http.stop(grace)
        # Bounded (SEC-05): a handler that never returns (a stuck client stream) must not
        # keep the process from stopping; what it was doing was never answered.
        if not self.server.stop(grace).wait((grace or 0) + STOP_MARGIN_SECONDS):
            log.warning("stopping: calls still running after %.0f s; stopping anyway", grace or 0)
        self.host.close()


# How long, beyond the grace period, stopping waits for calls to end (SEC-05).
STOP_MARGIN_SECONDS = 5.0


def start_server(
    dsp_factory: Callable[[], Dsp],
    *,
    address: str = "127.0.0.1:0",
    max_workers: int = DEFAULT_WORKERS,
    duis_schemas: DuisSchemas | None = None,
    state_file: StateFile | None = None,
    http: HttpOptions | None = None,
    receive_urls: Mapping[str, str] | None = None,
    keystore: KeyStore | None = None,
    signatures: SignatureSettings | None = None,
    gbcs_payload: PayloadForm = PayloadForm.GBCS,
    security: SecurityOptions | None = None,
    limits: Limits | None = None,
) -> RunningServer:
    """Serve a DSP: the one the state file holds, if it holds one, else a new one from the
    factory (recorded in the state file as its starting point).

    `http`: also serve DUIS over HTTP and SMKI, and deliver by POST (BOXED-01, -02, -06).
    `receive_urls`: User ID -> Receive Response Service address, set (as commands) at start.
    `keystore`: sign the DSP's documents with its DspXmlSign key (BOXED-04) and verify requests'
    signatures (BOXED-03) unless `signatures` switches checking off; DUIS then carries real GBCS
    where dccsim has an encoder, or the MMC form for every SRV with `gbcs_payload` MMC (GBCS-05).
    `security`: TLS, client certificates bound to Users, the operator credential (SEC-01, -02).
    `limits`: what clients can make the server hold (SEC-04); `max_workers`, when given and not
    the default, overrides `limits.workers`.

    Raises OSError when the address cannot be listened on (a port in use: one server per port)."""
    security = security or SecurityOptions()
    limits = limits or Limits()
    if max_workers != DEFAULT_WORKERS and max_workers != limits.workers:
        limits = _with_workers(limits, max_workers)
    loopback = is_loopback(address)
    fit_file_limit(limits.max_connections)
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=limits.workers, thread_name_prefix="dccsim-rpc"),
        interceptors=[
            MalformedMessages(),  # first: the others never see an undecodable message
            SecurityInterceptor(security, loopback=loopback),
            LimitsInterceptor(limits),
        ],
        options=[
            *limits.grpc_options(),
            # One server per port (SEC-04): without this, gRPC's default SO_REUSEPORT lets a
            # second server bind the same port and the kernel splits clients between the two.
            ("grpc.so_reuseport", 0),
        ],
    )
    # The port first: a port in use is refused at once, before a fleet is loaded or restored.
    port = _listen(server, address, security)
    try:
        return _serve(
            server,
            port,
            dsp_factory,
            address=address,
            loopback=loopback,
            duis_schemas=duis_schemas,
            state_file=state_file,
            http=http,
            receive_urls=receive_urls,
            keystore=keystore,
            signatures=signatures,
            gbcs_payload=gbcs_payload,
            security=security,
            limits=limits,
        )
    except BaseException:
        server.stop(None)  # the port is free again
        raise


def _serve(
    server: grpc.Server,
    port: int,
    dsp_factory: Callable[[], Dsp],
    *,
    address: str,
    loopback: bool,
    duis_schemas: DuisSchemas | None,
    state_file: StateFile | None,
    http: HttpOptions | None,
    receive_urls: Mapping[str, str] | None,
    keystore: KeyStore | None,
    signatures: SignatureSettings | None,
    gbcs_payload: PayloadForm,
    security: SecurityOptions,
    limits: Limits,
) -> RunningServer:
    """start_server's rest, once its port is bound."""
    host = DspHost(starting_dsp(dsp_factory, state_file), state_file=state_file)
    for user_id, url in (receive_urls or {}).items():
        host.run_one(commands.SetReceiveUrl(user_id, url))
    # GBCS-01…05: real GBCS needs the devices' keys, so only with a keystore.
    settings = signatures or SignatureSettings()
    gbcs = (
        None
        if keystore is None
        else GbcsHooks(keystore, host, gbcs_payload, refused_code=settings.pre_command_refused_code)
    )
    gateway = DuisGateway(
        host,
        schemas=duis_schemas,
        verifier=None if keystore is None else request_verifier(keystore, settings),
        signer=None if keystore is None else response_signer(keystore),
        gbcs=gbcs,
    )
    host.set_outbox_limit(limits.outbox_per_user)
    supplier_pb2_grpc.add_SupplierServiceServicer_to_server(SupplierService(host, gbcs), server)
    control_pb2_grpc.add_ControlServiceServicer_to_server(
        ControlService(
            host,
            dsp_factory=dsp_factory,
            keystore=keystore,
            max_fleet_devices=limits.max_fleet_devices,
        ),
        server,
    )
    duis_pb2_grpc.add_DuisGatewayServicer_to_server(DuisGatewayService(host, gateway), server)
    health_servicer = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    reflection.enable_server_reflection(
        (*SERVICE_NAMES, health.SERVICE_NAME, reflection.SERVICE_NAME), server
    )
    _warn_if_exposed(address, loopback, security)
    http_service = None
    if http is not None:
        http_service = HttpService(
            host,
            gateway,
            _console_follows(http, security),
            smki_backend(keystore, host),
            # Without it a console send is refused (E1001) whenever signatures are verified.
            request_signer=None if keystore is None else console_signer(keystore),
        )
        http_service.start()  # raises if a port cannot be bound: nothing is left running
        if not is_loopback(f"{http.host}:0") and http.tls_cert is None:
            log.warning(
                "INSECURE: DUIS over HTTP and SMKI listen on %s beyond loopback WITHOUT TLS: "
                "serve HTTPS with a certificate and key, and a client CA to bind clients to "
                "Users (SEC-01)",
                http.host,
            )
    server.start()
    host.start()
    # SERVING once the fleet is loaded: the factory loaded it before the server started.
    for name in (*SERVICE_NAMES, ""):
        health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    host.on_storage_change = partial(_storage_health, health_servicer)  # SEC-05
    return RunningServer(server, host, port, health_servicer, http_service)


def _console_follows(http: HttpOptions, security: SecurityOptions) -> HttpOptions:
    """The console and /metrics guarded as the control API is (SEC-02), unless told otherwise:
    the gRPC operator token is needed to read them and to change things through the console, and
    a control API opened explicitly opens their reads and the console's changes (not a console
    made read-only)."""
    console = http.console
    if console.operator_token is None and security.operator_token is not None:
        console = replace(console, operator_token=security.operator_token)
    if security.open_control:
        console = replace(console, open_reads=True)
        if console.allow_changes is None:
            console = replace(console, allow_changes=True)
    return replace(http, console=console)


def _storage_health(health_servicer: health.HealthServicer, writable: bool) -> None:
    """NOT_SERVING while the state file cannot be written (SEC-05): changes are refused with
    UNAVAILABLE, and a balancer or probe should send work elsewhere until it clears."""
    status = (
        health_pb2.HealthCheckResponse.SERVING
        if writable
        else health_pb2.HealthCheckResponse.NOT_SERVING
    )
    for name in (*SERVICE_NAMES, ""):
        health_servicer.set(name, status)


def _with_workers(limits: Limits, workers: int) -> Limits:
    """`limits` with this many workers, its stream cap lowered to keep a quarter of them (at
    least MIN_RESERVED_WORKERS) for unary calls."""
    reserve = max(MIN_RESERVED_WORKERS, workers // 4)
    return replace(limits, workers=workers, max_streams=min(limits.max_streams, workers - reserve))


class GrpcListenFailed(OSError):
    """The gRPC address could not be bound (grpcio says neither why nor which option chose it)."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.reason = "the port is in use (another server?) or the address is not this machine's"
        super().__init__(f"cannot listen on {address}: {self.reason}")


def _listen(server: grpc.Server, address: str, security: SecurityOptions) -> int:
    try:
        if security.tls is None:
            port = server.add_insecure_port(address)
        else:
            port = server.add_secure_port(address, security.tls.server_credentials())
    except RuntimeError:  # grpcio raises this for an address it cannot bind
        port = 0
    if port == 0:
        raise GrpcListenFailed(address)
    return port


def _warn_if_exposed(address: str, loopback: bool, security: SecurityOptions) -> None:
    """SEC-01, SEC-02: say loudly what a server reachable from other machines leaves open."""
    if loopback:
        return
    if security.tls is None:
        log.warning(
            "INSECURE: listening on %s beyond loopback WITHOUT TLS: anyone who can reach it can "
            "read and send traffic as any User; serve TLS with a certificate and key, and mutual "
            "TLS to bind clients to Users (SEC-01)",
            address,
        )
    elif not security.tls.mutual:
        log.warning(
            "listening on %s with TLS but no client certificates: any client may act as any "
            "User; give a client CA for mutual TLS (SEC-01)",
            address,
        )
    if security.open_control and not security.has_operator_credential:
        log.warning(
            "the control API (fleet, CPL, clock, faults, Reset, keys) is OPEN to anyone who can "
            "reach %s (SEC-02)",
            address,
        )
    elif not security.has_operator_credential:
        log.warning(
            "the control API is closed on %s: no operator credential is configured (SEC-02)",
            address,
        )


# The cyclic GC's first-generation threshold for a serving process. The DSP allocates many small
# objects per request and the default (700) runs the collector every few requests, over a heap
# that holds the whole fleet: measured with `dccsim bench`, raising it took batch throughput from
# 19.4k to 23.1k SR/s and p99 latency from 99 ms to 13 ms.
GC_THRESHOLD = (100_000, 50, 100)


def tune_gc() -> None:
    """Call once the fleet is loaded. (Not gc.freeze(): a Reset or LoadFleet drops the old DSP,
    whose cycles a frozen heap would never collect.)"""
    gc.collect()
    gc.set_threshold(*GC_THRESHOLD)


def serve_forever(
    running: RunningServer, *, announce: Callable[[], None] = lambda: None, grace: float = 5.0
) -> None:
    """Block until SIGINT or SIGTERM, then shut down gracefully. `announce` runs once the
    signals are handled, so whoever reads the announcement can stop the server at once."""
    stop = threading.Event()

    def request_stop(signum: int, _frame: object) -> None:
        log.info("received %s; finishing in-flight calls", signal.Signals(signum).name)
        stop.set()

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, request_stop)
    announce()
    stop.wait()
    running.stop(grace)
    log.info("stopped")
