"""How core exceptions become gRPC statuses (documented in the README's error mapping).

DUIS response codes are never errors here: they travel in SubmitResponse.response_code.
"""

from __future__ import annotations

import grpc
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from dccsim.server.core.errors import InvalidField, NotFound, NotSimulated
from dccsim.v1 import supplier_pb2

# The message of the UNAVAILABLE a lost acknowledgement (fault injection) answers with.
ACKNOWLEDGEMENT_LOST = "acknowledgement lost (fault injection)"
# A status travels in HTTP/2 trailers, which clients cap (gRPC's default: 8 KiB, counting the
# percent-encoded message and the base64 details): a reason quoting a huge input would reach the
# client as RESOURCE_EXHAUSTED instead of INVALID_ARGUMENT. Longer texts keep their two ends.
MAX_STATUS_TEXT = 240


def bounded(text: str, limit: int = MAX_STATUS_TEXT) -> str:
    if len(text) <= limit:
        return text
    return f"{text[: limit - 70]}…[{len(text):,} characters]…{text[-40:]}"


def _status(code: int, message: str, detail: object | None = None) -> grpc.Status:
    status = status_pb2.Status(code=code, message=bounded(message))
    if detail is not None:
        packed = any_pb2.Any()
        packed.Pack(detail)
        status.details.append(packed)
    return rpc_status.to_status(status)


def invalid_argument(error: InvalidField) -> grpc.Status:
    violation = error_details_pb2.BadRequest.FieldViolation(
        field=bounded(error.field), description=bounded(error.reason)
    )
    return _status(
        code_pb2.INVALID_ARGUMENT,
        str(error),
        error_details_pb2.BadRequest(field_violations=[violation]),
    )


def submit_error(error: InvalidField | NotFound | NotSimulated) -> supplier_pb2.SubmitError:
    """The error `translated_errors` would raise, as one item of a batch or stream."""
    match error:
        case InvalidField():
            return supplier_pb2.SubmitError(
                code="INVALID_ARGUMENT", message=bounded(str(error)), field=bounded(error.field)
            )
        case NotFound():
            return supplier_pb2.SubmitError(code="NOT_FOUND", message=bounded(str(error)))
        case NotSimulated():
            return supplier_pb2.SubmitError(code="UNIMPLEMENTED", message=bounded(str(error)))


class translated_errors:  # lower case: it reads as a function, `with translated_errors(context):`
    """Answer a core exception with its gRPC status; let nothing else escape as UNKNOWN.

    A class rather than @contextlib.contextmanager: it wraps every call, and a generator-based
    context manager costs three times as much to enter and leave."""

    __slots__ = ("_context",)

    def __init__(self, context: grpc.ServicerContext) -> None:
        self._context = context

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: BaseException | None, traceback: object) -> bool:
        match error:
            case InvalidField():
                self._context.abort_with_status(invalid_argument(error))
            case NotFound():
                self._context.abort_with_status(_status(code_pb2.NOT_FOUND, str(error)))
            case NotSimulated():
                self._context.abort_with_status(_status(code_pb2.UNIMPLEMENTED, str(error)))
        return False
