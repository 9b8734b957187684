"""The DuisGateway servicer: DUIS XML in and out over gRPC, around the shared `DuisGateway`."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import grpc

from dccsim.server.rpc.errors import acknowledgement_lost_status, translated_errors
from dccsim.server.rpc.security import bound_user
from dccsim.server.rpc.services import acknowledge, known_user
from dccsim.server.runtime.duis_gateway import (
    AcknowledgementLost,
    DuisGateway,
    EmittedDocumentInvalid,
    NotPermitted,
)
from dccsim.server.runtime.host import DspHost
from dccsim.server.runtime.queries import outbox_feed
from dccsim.v1 import duis_pb2, duis_pb2_grpc, supplier_pb2

log = logging.getLogger("dccsim.duis")


class DuisGatewayService(duis_pb2_grpc.DuisGatewayServicer):
    def __init__(self, host: DspHost, gateway: DuisGateway) -> None:
        self._host = host
        self._gateway = gateway

    def Submit(
        self, request: duis_pb2.DuisDocument, context: grpc.ServicerContext
    ) -> duis_pb2.DuisDocument:
        with translated_errors(context, "/dccsim.v1.DuisGateway/Submit"):
            try:
                reply = self._gateway.submit(request.xml, caller=bound_user(context))
            except NotPermitted as error:  # SEC-01: another User's request
                context.abort(grpc.StatusCode.PERMISSION_DENIED, str(error))
            except AcknowledgementLost:
                context.abort_with_status(acknowledgement_lost_status())
            except EmittedDocumentInvalid as error:  # a dccsim bug, never the caller's
                context.abort(grpc.StatusCode.INTERNAL, str(error))
            return duis_pb2.DuisDocument(xml=reply.document)

    def Subscribe(
        self, request: supplier_pb2.SubscribeRequest, context: grpc.ServicerContext
    ) -> Iterator[duis_pb2.DuisDelivery]:
        with translated_errors(context, "/dccsim.v1.DuisGateway/Subscribe"):
            user_id = known_user(self._host, request.user_id)
        version = self._gateway.user_version(user_id)  # VER-01, decided by the gateway
        for entries in self._host.follow_feed(
            context, outbox_feed(user_id), request.after_sequence
        ):
            for entry in entries:
                try:
                    document = self._gateway.outbox_document(entry, version)
                except EmittedDocumentInvalid as error:
                    context.abort(grpc.StatusCode.INTERNAL, str(error))
                yield duis_pb2.DuisDelivery(sequence=entry.sequence, xml=document)

    def Acknowledge(
        self, request: supplier_pb2.AcknowledgeRequest, context: grpc.ServicerContext
    ) -> supplier_pb2.AcknowledgeResponse:
        return acknowledge(self._host, request, context, "/dccsim.v1.DuisGateway/Acknowledge")
