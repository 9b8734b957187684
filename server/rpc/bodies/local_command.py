"""gRPC message of 8.13 ReturnLocalCommandResponse (answered I99: no data)."""

from __future__ import annotations

from dccsim.server.core.requests import RequestId
from dccsim.server.core.services.local_command import ReturnLocalCommandResponse
from dccsim.server.rpc.bodies.family import MessageFamily
from dccsim.v1 import local_command_pb2


def _return(message: local_command_pb2.ReturnLocalCommandResponse) -> ReturnLocalCommandResponse:
    original = None
    if message.HasField("original_request_id"):
        original = RequestId.parse(message.original_request_id, "body.original_request_id")
    return ReturnLocalCommandResponse(message.device_response, original)


FAMILY = MessageFamily(
    readers={"return_local_command_response": (ReturnLocalCommandResponse, _return)},
)
