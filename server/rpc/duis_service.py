"""The DuisGateway servicer: DUIS XML in and out, around the same core as SupplierService."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import grpc

from dccsim.server.core import commands
from dccsim.server.core.eui import parse_eui64
from dccsim.server.core.records import DuisVersion
from dccsim.server.duis import DuisSchemas, build_outbox_message, build_sync_answer, parse_request
from dccsim.server.rpc.errors import ACKNOWLEDGEMENT_LOST, translated_errors
from dccsim.server.rpc.services import acknowledge, known_user, outbox_probe
from dccsim.server.runtime.host import DspHost
from dccsim.v1 import duis_pb2, duis_pb2_grpc

log = logging.getLogger("dccsim.duis")


class DuisGatewayService(duis_pb2_grpc.DuisGatewayServicer):
    def __init__(self, host: DspHost, *, schemas: DuisSchemas | None = None) -> None:
        self._host = host
        self._schemas = schemas  # strict mode (--duis-xsd)

    def Submit(self, request, context):
        with translated_errors(context):
            parsed = parse_request(request.xml, schema=self._schemas)
            answer = self._host.run_one(commands.Submit(parsed.request))
            with self._host.lock:
                now = self._host.dsp.now()
                version = self._version(parsed.request.request_id.originator, parsed.schema_version)
            if answer.acknowledgement_lost:
                context.abort(grpc.StatusCode.UNAVAILABLE, ACKNOWLEDGEMENT_LOST)
            document = build_sync_answer(answer, version, at=now)
            self._check_outgoing(document, version, context)
            log.debug("DUIS %s SRV %s -> %s", answer.request_id, answer.srv, answer.code)
            return duis_pb2.DuisDocument(xml=document)

    def Subscribe(self, request, context) -> Iterator[duis_pb2.DuisDelivery]:
        with translated_errors(context):
            user_id = known_user(self._host, request.user_id)
        with self._host.lock:
            version = self._version(user_id, DuisVersion.V5_2)
        for entry in self._host.follow(
            context,
            lambda dsp, after: dsp.pending(user_id, after),
            outbox_probe(user_id),
            request.after_sequence,
        ):
            document = build_outbox_message(entry.message, version, recipient=user_id)
            self._check_outgoing(document, version, context)
            yield duis_pb2.DuisDelivery(sequence=entry.sequence, xml=document)

    def Acknowledge(self, request, context):
        return acknowledge(self._host, request, context)

    def _version(self, user_id: str, fallback: DuisVersion) -> DuisVersion:
        """VER-01: answer each user in its own interface version; an unknown originator (E1)
        in the version its request was written in."""
        user = self._host.dsp.state.users.get(parse_eui64(user_id, "user_id"))
        return user.interface_version if user is not None else fallback

    def _check_outgoing(self, document: bytes, version: DuisVersion, context) -> None:
        if self._schemas is None:
            return
        try:
            self._schemas.validate_response(document, version)
        except ValueError as error:  # a dccsim bug, never the caller's
            log.error("emitted document fails the supplied schema: %s", error)
            context.abort(grpc.StatusCode.INTERNAL, f"emitted document fails the schema: {error}")
