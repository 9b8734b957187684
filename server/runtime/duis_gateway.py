"""The DUIS gateway every transport shares: a DUIS document in, the DUIS answer out.

gRPC (`DuisGateway`) and HTTP (`/api/v1/service{S,T,D}`) only translate: each hands the bytes it
received here and sends back what comes out, or turns one of this module's exceptions into its
own kind of failure. Here: parse (safely; strictly against the official schemas in strict mode),
route (E13 for the wrong web service), verify the request's signature (when a verifier is
given), submit to the core, shape the answer for the User's DUIS interface version (VER-01), sign
it (when a signer is given; the signer knows which documents are signed), and in strict mode
check what goes out.

Imports neither grpc nor aiohttp.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from lxml import etree

from dccsim.server.core import commands
from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.messages import OutboundMessage, SyncAnswer
from dccsim.server.core.outbox import OutboxEntry
from dccsim.server.core.records import DuisVersion
from dccsim.server.core.requests import ServiceRequest
from dccsim.server.core.web_services import WebService, wrong_service
from dccsim.server.duis import DuisSchemas, parse_request
from dccsim.server.duis.build import outbox_message_tree, sync_answer_tree
from dccsim.server.duis.writing import serialise
from dccsim.server.runtime.host import DspHost

log = logging.getLogger("dccsim.duis")


class AcknowledgementLost(Exception):
    """Fault injection: the request was accepted and acted on, but its answer never reaches the
    User. The transport fails the call (gRPC UNAVAILABLE, HTTP 503)."""


class EmittedDocumentInvalid(Exception):
    """Strict mode: a document dccsim built fails the official schema -- a dccsim bug, never the
    caller's (gRPC INTERNAL, HTTP 500)."""


class NotPermitted(Exception):
    """SEC-01: the request's originator is not the User the client's certificate binds it to.
    Nothing changes (gRPC PERMISSION_DENIED, HTTP 403)."""


class RequestRefused(Exception):
    """The request verifier refused a request (e.g. its XML signature): answered with `code`,
    unsigned, and nothing changes."""

    def __init__(self, code: ResponseCode | str, reason: str) -> None:
        super().__init__(reason)
        self.code = ResponseCode(code)
        self.reason = reason


# Checks a request document before it reaches the core; raises RequestRefused. Given the tree
# the parser read from the request's bytes (so they are parsed once), or the bytes themselves.
RequestVerifier = Callable[[bytes | etree._ElementTree], None]
# Signs a document the DSP sends (BOXED-04): given the tree just built (which it may change),
# returns the document serialised, with the DSP's enveloped XML signature, or without one when it
# is one the DSP does not sign (the signer's rule, e.g. error answers). A tree, not bytes: the
# document is serialised once instead of serialised, parsed and serialised again.
ResponseSigner = Callable[[etree._Element], bytes]


class GbcsForms(Protocol):
    """The GBCS side of DUIS (GBCS-01…05; `dccsim.server.runtime.gbcs_hooks.GbcsHooks`)."""

    def payload(self, message: OutboundMessage, recipient: str | None) -> bytes | None:
        """A message's GBCSPayload, or None for the MMC form."""
        ...

    def outgoing(self, answer: SyncAnswer) -> SyncAnswer:
        """A synchronous answer with its PreCommand in GBCS form."""
        ...

    def incoming(self, request: ServiceRequest) -> ServiceRequest:
        """The request to submit: a SignedPreCommand checked and turned into the core's token;
        raises RequestRefused."""
        ...


@dataclass(frozen=True, slots=True)
class DuisReply:
    """The synchronous answer to one DUIS request, as a document and as the core gave it."""

    document: bytes
    answer: SyncAnswer
    version: DuisVersion


class DuisGateway:
    def __init__(
        self,
        host: DspHost,
        *,
        schemas: DuisSchemas | None = None,
        verifier: RequestVerifier | None = None,
        signer: ResponseSigner | None = None,
        gbcs: GbcsForms | None = None,
    ) -> None:
        self._host = host
        self._gbcs = gbcs
        self._schemas = schemas  # strict mode (--duis-xsd)
        self._verifier = verifier
        self._signer = signer

    def submit(
        self, xml: bytes, service: WebService | None = None, *, caller: str | None = None
    ) -> DuisReply:
        """Answer one request document. `service`: the web service it came to (HTTP), or None
        for a transport without web services (gRPC). `caller`: the User the client's
        certificate binds it to (mutual TLS), or None when no certificate names one. Raises the
        core's InvalidField for a document that is not a DUIS request (nothing changes),
        NotPermitted, AcknowledgementLost and EmittedDocumentInvalid (see above)."""
        parsed = parse_request(xml, schema=self._schemas)
        request = parsed.request
        if caller is not None and request.request_id.originator != caller:
            raise NotPermitted(
                f"the client certificate is {caller}'s; the request's originator is "
                f"{request.request_id.originator} (SEC-01)"
            )
        answer = None if service is None else wrong_service(request, service)
        if answer is None and self._verifier is not None:
            try:
                self._verifier(xml if parsed.document is None else parsed.document)
            except RequestRefused as refusal:
                answer = SyncAnswer(
                    request.request_id, request.srv, refusal.code, None, refusal.reason
                )
        if answer is None and self._gbcs is not None:
            try:
                request = self._gbcs.incoming(request)
            except RequestRefused as refusal:
                answer = SyncAnswer(
                    request.request_id, request.srv, refusal.code, None, refusal.reason
                )
        if answer is None:
            answer = self._host.run_one(commands.Submit(request))
            if answer.acknowledgement_lost:
                raise AcknowledgementLost(str(request.request_id))
            if self._gbcs is not None:
                answer = self._gbcs.outgoing(answer)
        else:
            self._host.count_refusal(answer)  # the metrics count it with the core's answers
            if log.isEnabledFor(logging.INFO):
                log.info(
                    "DUIS %s SRV %s refused: %s %s",
                    request.request_id,
                    request.srv,
                    answer.code,
                    answer.detail,
                )
        # VER-01: answer a User in its own version; an unknown originator (E1) in the version
        # its request was written in.
        version = self._host.user_version(request.request_id.originator) or parsed.schema_version
        document = self._finish(sync_answer_tree(answer, version, at=self._host.now()))
        self._check_outgoing(document, version)
        log.debug("DUIS %s SRV %s -> %s", answer.request_id, answer.srv, answer.code)
        return DuisReply(document, answer, version)

    @property
    def verifies_signatures(self) -> bool:
        """Whether requests must carry their User's XML signature (BOXED-03): the console then
        signs what it sends."""
        return self._verifier is not None

    def user_version(self, user_id: str) -> DuisVersion:
        """The version a User's asynchronous messages are built for (5.2 for no such User)."""
        return self._host.user_version(user_id) or DuisVersion.V5_2

    def outbox_document(self, entry: OutboxEntry, version: DuisVersion) -> bytes:
        """An asynchronous message (response or alert) as the DUIS document its recipient gets:
        built for its version and signed (BOXED-04)."""
        payload = None if self._gbcs is None else self._gbcs.payload(entry.message, entry.recipient)
        document = self._finish(
            outbox_message_tree(
                entry.message, version, recipient=entry.recipient, gbcs_payload=payload
            )
        )
        self._check_outgoing(document, version)
        return document

    def _finish(self, root: etree._Element) -> bytes:
        """A document built here as it goes out: signed where the signer signs it, serialised."""
        return serialise(root) if self._signer is None else self._signer(root)

    def _check_outgoing(self, document: bytes, version: DuisVersion) -> None:
        if self._schemas is None:
            return
        try:
            self._schemas.validate_response(document, version)
        except ValueError as error:
            log.error("emitted document fails the supplied schema: %s", error)
            raise EmittedDocumentInvalid(f"emitted document fails the schema: {error}") from None
