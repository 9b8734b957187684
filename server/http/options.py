"""What `dccsim serve` says about its HTTP side: ports, TLS, and how deliveries by POST retry."""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from pathlib import Path

from dccsim.server.http.console.options import ConsoleOptions

# DCC Boxed's ports: DUIS on 8079, SMKI on 8083 (notes/dcc-boxed-interface.md §1.1, §1.6).
DEFAULT_DUIS_PORT = 8079
DEFAULT_SMKI_PORT = 8083


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How a failed POST to a Receive Response Service address is retried (BOXED-02): after
    `first` seconds, then twice as long each time, never longer than `cap`. A POST that has had
    no complete answer after `timeout` seconds has failed."""

    timeout: float = 5.0
    first: float = 0.5
    cap: float = 30.0
    factor: float = 2.0

    def delay(self, failures: int) -> float:
        """The wait after the `failures`-th failure in a row (1, 2, ...)."""
        return min(self.cap, self.first * self.factor ** max(failures - 1, 0))


@dataclass(frozen=True, slots=True)
class HttpOptions:
    """The HTTP listeners beside the gRPC server, all on `host`. A port of None: that listener
    is off; 0: any free port (tests)."""

    host: str = "127.0.0.1"
    duis_port: int | None = DEFAULT_DUIS_PORT
    smki_port: int | None = DEFAULT_SMKI_PORT
    tls_cert: Path | None = None  # with tls_key: both listeners serve HTTPS
    tls_key: Path | None = None
    # Mutual TLS (SEC-01): clients must present a certificate this CA (PEM) issued, and a DUIS
    # request whose originator is not the User the certificate names is refused (403).
    client_ca: Path | None = None
    # Connections held at once on each listener (SEC-04); more are closed as they arrive.
    max_connections: int = 256
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    # The web console and /metrics on the DUIS port (issue 19).
    console: ConsoleOptions = field(default_factory=ConsoleOptions)
    metrics: bool = True

    def __post_init__(self) -> None:
        if (self.tls_cert is None) != (self.tls_key is None):
            raise ValueError("TLS needs both a certificate and its key")
        if self.max_connections < 1:
            raise ValueError("max_connections must be at least 1")
        if self.client_ca is not None and self.tls_cert is None:
            raise ValueError("client certificates need TLS: give a certificate and key too")

    def ssl_context(self) -> ssl.SSLContext | None:
        """The server's TLS context, or None for plain HTTP. Raises OSError / ssl.SSLError for
        a certificate or key that cannot be loaded."""
        if self.tls_cert is None or self.tls_key is None:
            return None
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(self.tls_cert, self.tls_key)
        if self.client_ca is not None:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(cafile=self.client_ca)
        return context
