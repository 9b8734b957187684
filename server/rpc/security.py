"""Who may call what (SPEC SEC-01, SEC-02): TLS, the client certificate that binds a caller to
a User, and the operator credential that guards the control API.

- **TLS.** `TlsCredentials` serves gRPC over TLS; with `client_ca` set it is mutual TLS: every
  client presents a certificate that CA issued (grpc's own handshake refuses any other).
- **Binding (mTLS).** A client certificate names its User the way DCC's SMKI organisation
  certificates do: the EUI-64 in the subject's x500UniqueIdentifier. A call that acts for a User
  (a Service Request's originator, a subscription's or acknowledgement's `user_id`) from a
  certificate naming another User is refused with PERMISSION_DENIED before the servicer runs; a
  certificate naming no User may act for none, unless it is an operator certificate. A DUIS
  document carries its originator inside the XML, which only the gateway reads safely, so for
  DuisGateway.Submit the servicer hands the gateway `bound_user(context)` to check.
- **Operator (SEC-02).** With an operator token (sent as `authorization: Bearer <token>`) or
  operator certificates configured, every ControlService call without one of them is refused with
  UNAUTHENTICATED. With neither, the control API is open on loopback and closed (UNAUTHENTICATED,
  saying how to open it) beyond it, unless `open_control` opens it explicitly.

Health and reflection stay open: they reveal nothing a client could not learn by calling.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Never, TypeVar

import grpc
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from dccsim.server.core.errors import InvalidField
from dccsim.server.core.eui import parse_eui64
from dccsim.server.core.requests import RequestId
from dccsim.server.keys.model import subject_eui
from dccsim.server.keys.tls import TestTlsPki
from dccsim.server.rpc.handlers import checked_first

log = logging.getLogger("dccsim.security")

CONTROL_SERVICE = "dccsim.v1.ControlService"
# Services whose every method acts for one User (each listed in _ACTS_FOR / _STREAM_ACTS_FOR).
_USER_SERVICES = frozenset({"dccsim.v1.SupplierService", "dccsim.v1.DuisGateway"})
TOKEN_METADATA = "authorization"
TOKEN_SCHEME = "Bearer "
_PEER_CERTIFICATE = "x509_pem_cert"
# Parsed peer certificates kept per server: a handful of clients make every call.
_IDENTITY_CACHE = 256


@dataclass(frozen=True, slots=True)
class TlsCredentials:
    """A server's TLS certificate chain and key (PEM), and for mutual TLS the CA (PEM) whose
    certificates clients must present."""

    certificate_chain: bytes
    private_key: bytes
    client_ca: bytes | None = None

    def __post_init__(self) -> None:
        """Refuse what gRPC would refuse later with no useful message (ValueError)."""
        try:
            chain = x509.load_pem_x509_certificates(self.certificate_chain)
        except ValueError:
            raise ValueError("the TLS certificate is not a PEM certificate chain") from None
        try:
            key = serialization.load_pem_private_key(self.private_key, password=None)
        except (ValueError, TypeError):
            raise ValueError("the TLS key is not an unencrypted PEM private key") from None
        if chain[0].public_key() != key.public_key():
            raise ValueError("the TLS key is not the certificate's")
        if self.client_ca is not None:
            try:
                x509.load_pem_x509_certificates(self.client_ca)
            except ValueError:
                raise ValueError("the client CA is not a PEM certificate") from None

    @classmethod
    def from_files(cls, cert: Path, key: Path, client_ca: Path | None = None) -> TlsCredentials:
        """Read the PEM files; OSError names a file that cannot be read."""
        return cls(
            cert.read_bytes(),
            key.read_bytes(),
            None if client_ca is None else client_ca.read_bytes(),
        )

    @classmethod
    def from_test_pki(cls, tls: TestTlsPki, names: Iterable[str]) -> TlsCredentials:
        """Mutual TLS from dccsim's test PKI: its server certificate for `names` (host names
        and IP addresses), and its TLS CA for the clients' certificates."""
        pair = tls.server(names)
        return cls(pair.certificate_pem, pair.private_key_pem, tls.ca_pem)

    @property
    def mutual(self) -> bool:
        return self.client_ca is not None

    def server_credentials(self) -> grpc.ServerCredentials:
        return grpc.ssl_server_credentials(
            [(self.private_key, self.certificate_chain)],
            root_certificates=self.client_ca,
            require_client_auth=self.client_ca is not None,
        )


@dataclass(frozen=True, slots=True)
class SecurityOptions:
    """How `start_server` guards its gRPC side. The default (no TLS, no operator credential)
    suits a developer's loopback server; a server listening beyond loopback without TLS warns
    at start, and closes its control API unless `open_control`."""

    tls: TlsCredentials | None = None
    # Control calls must carry this token (`authorization: Bearer <token>`).
    operator_token: str | None = None
    # Client certificates (PEM) whose holders are the operator: may call the control API and
    # act for any User. Needs mutual TLS.
    operator_certificates: tuple[bytes, ...] = ()
    # Beyond loopback with no operator credential: serve the control API to anyone anyway.
    open_control: bool = False

    def __post_init__(self) -> None:
        if self.operator_token is not None and not self.operator_token.strip():
            raise ValueError("the operator token is empty")
        if self.operator_certificates and (self.tls is None or not self.tls.mutual):
            raise ValueError("operator certificates need mutual TLS (a client CA)")
        for pem in self.operator_certificates:
            x509.load_pem_x509_certificate(pem)  # ValueError for one that is not a certificate

    @property
    def operator_fingerprints(self) -> frozenset[bytes]:
        return frozenset(
            _fingerprint(x509.load_pem_x509_certificate(p)) for p in self.operator_certificates
        )

    @property
    def has_operator_credential(self) -> bool:
        return self.operator_token is not None or bool(self.operator_certificates)


@dataclass(frozen=True, slots=True)
class Identity:
    """What a client certificate says about its holder."""

    user: str | None  # the User it is bound to (canonical EUI-64), if any
    operator: bool


def is_loopback(address: str) -> bool:
    """Whether a listening address ("host:port") is reachable from this machine only."""
    host = address.rsplit(":", 1)[0].strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name, or 0.0.0.0 / [::]: beyond loopback


def certificate_user(certificate: x509.Certificate) -> str | None:
    """The User a client certificate binds to: its subject's x500UniqueIdentifier EUI."""
    eui = subject_eui(certificate)
    if eui is None:
        return None
    try:
        return parse_eui64(eui, "certificate")
    except InvalidField:
        return None


def bound_user(context: grpc.ServicerContext) -> str | None:
    """The User the caller's client certificate names (None: no certificate, or one naming no
    User). What a servicer passes on to a check it cannot make before the request is parsed."""
    pem = _peer_pem(context)
    if pem is None:
        return None
    return certificate_user(x509.load_pem_x509_certificate(pem))


def _peer_pem(context: grpc.ServicerContext) -> bytes | None:
    # A servicer driven without a transport (tests' stand-in contexts) has no peer at all.
    auth_context = getattr(context, "auth_context", None)
    values = None if auth_context is None else auth_context().get(_PEER_CERTIFICATE)
    return values[0] if values else None


def _fingerprint(certificate: x509.Certificate) -> bytes:
    return hashlib.sha256(certificate.tbs_certificate_bytes + certificate.signature).digest()


# -- what a call acts for -----------------------------------------------------------------------


def _user_field(request: Any) -> str | None:
    try:
        return parse_eui64(request.user_id, "user_id")
    except InvalidField:
        return None  # the servicer refuses it, changing nothing


def _originator(request: Any) -> str | None:
    try:
        return RequestId.parse(request.request_id).originator
    except InvalidField:
        return None  # the servicer refuses it, changing nothing


def _originators(request: Any) -> list[str | None]:
    return [_originator(r) for r in request.requests]


# Unary-request methods that act for a User: the Users each request names.
_ACTS_FOR: dict[str, Callable[[Any], list[str | None]]] = {
    "/dccsim.v1.SupplierService/Submit": lambda r: [_originator(r)],
    "/dccsim.v1.SupplierService/SubmitBatch": _originators,
    "/dccsim.v1.SupplierService/Subscribe": lambda r: [_user_field(r)],
    "/dccsim.v1.SupplierService/SubscribeBatches": lambda r: [_user_field(r)],
    "/dccsim.v1.SupplierService/Acknowledge": lambda r: [_user_field(r)],
    "/dccsim.v1.DuisGateway/Subscribe": lambda r: [_user_field(r)],
    "/dccsim.v1.DuisGateway/Acknowledge": lambda r: [_user_field(r)],
    # The originator is inside the XML: the gateway checks it (see bound_user).
    "/dccsim.v1.DuisGateway/Submit": lambda r: [],
}
# Request-streaming methods: each request message names the User it acts for.
_STREAM_ACTS_FOR: dict[str, Callable[[Any], str | None]] = {
    "/dccsim.v1.SupplierService/SubmitStream": _originator,
}


def acts_for(method: str, request: Any) -> list[str | None]:
    """The Users a unary request acts for (None: one the servicer will refuse as malformed)."""
    return _ACTS_FOR[method](request)


# -- the interceptor ------------------------------------------------------------------------------


# A method's request and response messages: the interceptor wraps every method's handler.
Req = TypeVar("Req")
Resp = TypeVar("Resp")


class SecurityInterceptor(grpc.ServerInterceptor):
    """Enforces SEC-01's binding and SEC-02's operator credential on every call."""

    def __init__(self, options: SecurityOptions, *, loopback: bool) -> None:
        self._options = options
        self._token = None if options.operator_token is None else options.operator_token.encode()
        self._operators = options.operator_fingerprints
        self._mutual = options.tls is not None and options.tls.mutual
        # Closed beyond loopback unless opened or guarded (SEC-02).
        self._control_closed = (
            not options.has_operator_credential and not loopback and not options.open_control
        )
        self._identity = lru_cache(maxsize=_IDENTITY_CACHE)(self._identify)

    def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], grpc.RpcMethodHandler[Req, Resp] | None],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler[Req, Resp] | None:
        method = handler_call_details.method
        handler = continuation(handler_call_details)
        if handler is None:
            return None
        service = method[1:].split("/", 1)[0]
        if service == CONTROL_SERVICE:
            return self._guard_control(handler, handler_call_details)
        if self._mutual and (method in _ACTS_FOR or method in _STREAM_ACTS_FOR):
            return self._bind(handler, method)
        if self._mutual and service in _USER_SERVICES:
            # A User-facing method this module does not know what it acts for: fail closed
            # (operators only) rather than let any certificate act for anyone.
            return checked_first(handler, lambda request, context: self._operator_only(context))
        return handler

    def _operator_only(self, context: grpc.ServicerContext) -> bool:
        identity = self._peer_identity(context)
        if identity is not None and identity.operator:
            return True
        context.abort(
            grpc.StatusCode.PERMISSION_DENIED,
            "this method does not say which User it acts for: operators only (SEC-01)",
        )
        return False

    # -- SEC-02 ---------------------------------------------------------------------------------

    def _guard_control(
        self, handler: grpc.RpcMethodHandler[Req, Resp], details: grpc.HandlerCallDetails
    ) -> grpc.RpcMethodHandler[Req, Resp]:
        if self._control_closed:
            return _refusing(
                handler,
                grpc.StatusCode.UNAUTHENTICATED,
                "the control API is closed on a server listening beyond loopback: configure an "
                "operator token or certificate, or open it explicitly (SEC-02)",
            )
        if not self._options.has_operator_credential:
            return handler
        if self._token is not None and self._token_matches(details.invocation_metadata):
            return handler
        if not self._operators:
            return _refusing(handler, grpc.StatusCode.UNAUTHENTICATED, _NO_CREDENTIAL)

        # An operator certificate is known only once the call runs (its peer).
        def check(context: grpc.ServicerContext) -> bool:
            identity = self._peer_identity(context)
            if identity is not None and identity.operator:
                return True
            context.abort(grpc.StatusCode.UNAUTHENTICATED, _NO_CREDENTIAL)
            return False

        return checked_first(handler, lambda request, context: check(context))

    def _token_matches(self, metadata: Iterable[tuple[str, str | bytes]] | None) -> bool:
        assert self._token is not None
        for key, value in metadata or ():
            if key == TOKEN_METADATA:
                text = value.encode() if isinstance(value, str) else value
                if text.startswith(TOKEN_SCHEME.encode()) and hmac.compare_digest(
                    text[len(TOKEN_SCHEME) :], self._token
                ):
                    return True
        return False

    # -- SEC-01 ---------------------------------------------------------------------------------

    def _bind(
        self, handler: grpc.RpcMethodHandler[Req, Resp], method: str
    ) -> grpc.RpcMethodHandler[Req, Resp]:
        if method in _STREAM_ACTS_FOR:
            return self._bind_stream(handler, _STREAM_ACTS_FOR[method])

        def check(request: Any, context: grpc.ServicerContext) -> bool:
            identity = self._peer_identity(context)
            if identity is not None and identity.operator:
                return True
            if identity is None or identity.user is None:  # (mutual TLS: always a certificate)
                return _deny(context, None, None)
            for user in acts_for(method, request):
                if user is not None and user != identity.user:
                    return _deny(context, identity.user, user)
            return True

        return checked_first(handler, check)

    def _bind_stream(
        self, handler: grpc.RpcMethodHandler[Req, Resp], user_of: Callable[[Any], str | None]
    ) -> grpc.RpcMethodHandler[Req, Resp]:
        """Each message of a request stream is checked as it arrives; the first one acting for
        another User ends the stream there (those before it were answered), PERMISSION_DENIED."""
        inner = handler.stream_stream
        assert inner is not None  # the methods of _STREAM_ACTS_FOR stream both ways

        def behaviour(
            request_iterator: Iterator[Req], context: grpc.ServicerContext
        ) -> Iterator[Resp]:
            identity = self._peer_identity(context)
            if identity is None or (identity.user is None and not identity.operator):
                _deny(context, None, None)
            return inner(_checked_stream(request_iterator, context, identity, user_of), context)

        return grpc.stream_stream_rpc_method_handler(
            behaviour,
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )

    def _peer_identity(self, context: grpc.ServicerContext) -> Identity | None:
        pem = _peer_pem(context)
        return None if pem is None else self._identity(pem)

    def _identify(self, pem: bytes) -> Identity:
        certificate = x509.load_pem_x509_certificate(pem)
        return Identity(certificate_user(certificate), _fingerprint(certificate) in self._operators)


_NO_CREDENTIAL = "the control API needs the operator credential (SEC-02)"


def _deny(context: grpc.ServicerContext, bound: str | None, wanted: str | None) -> Never:
    if bound is None:
        message = "the client certificate names no User (SEC-01)"
    else:
        message = f"the client certificate is {bound}'s; this call acts for {wanted} (SEC-01)"
    context.abort(grpc.StatusCode.PERMISSION_DENIED, message)


def _checked_stream(
    requests: Iterator[Req],
    context: grpc.ServicerContext,
    identity: Identity,
    user_of: Callable[[Any], str | None],
) -> Iterator[Req]:
    for request in requests:
        user = user_of(request)
        if not identity.operator and user is not None and user != identity.user:
            # No abort here: this runs in the servicer's reader thread. The stream just ends;
            # the status says why once the servicer has answered what came before.
            context.set_code(grpc.StatusCode.PERMISSION_DENIED)
            context.set_details(
                f"the client certificate is {identity.user}'s; a request acts for {user} "
                "(SEC-01): the stream ended there"
            )
            return
        yield request


def _refusing(
    handler: grpc.RpcMethodHandler[Req, Resp], code: grpc.StatusCode, message: str
) -> grpc.RpcMethodHandler[Req, Resp]:
    """The handler's shape, refusing every call before reading anything of it."""

    def refuse(_request: object, context: grpc.ServicerContext) -> Never:
        context.abort(code, message)

    return checked_first(handler, refuse)
