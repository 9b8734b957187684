"""How a refused call is answered: one table (`REFUSALS`, core exception -> the contract's
`Refusal`, dccsim.v1.refusals) for a failed call's status and a batch item's SubmitError alike,
and one log line per refusal (documented in the README's error mapping).

DUIS response codes are never errors here: they travel in SubmitResponse.response_code.
"""

from __future__ import annotations

import logging
from typing import Literal

import grpc
from google.protobuf import any_pb2
from google.protobuf.message import Message
from google.rpc import error_details_pb2, status_pb2
from grpc_status import rpc_status

from dccsim.server.core.errors import InvalidField, NotFound, NotSimulated
from dccsim.server.runtime import refusal_log
from dccsim.server.store import StateFileError
from dccsim.v1 import supplier_pb2
from dccsim.v1.refusals import ACKNOWLEDGEMENT_LOST_MESSAGE, DOMAIN, Refusal

log = logging.getLogger("dccsim.rpc")

# The message of the UNAVAILABLE a lost acknowledgement (fault injection) answers with.
ACKNOWLEDGEMENT_LOST = ACKNOWLEDGEMENT_LOST_MESSAGE
# A status travels in HTTP/2 trailers, which clients cap (gRPC's default: 8 KiB, counting the
# percent-encoded message and the base64 details): a reason quoting a huge input would reach the
# client as RESOURCE_EXHAUSTED instead of INVALID_ARGUMENT. Longer texts keep their two ends.
MAX_STATUS_TEXT = 240
# The server half of the error table: what each core exception a call may be refused with is.
REFUSALS: dict[type[Exception], Refusal] = {
    InvalidField: Refusal.MALFORMED,
    NotFound: Refusal.NOT_FOUND,
    NotSimulated: Refusal.NOT_SIMULATED,
    StateFileError: Refusal.STORAGE_UNAVAILABLE,  # SEC-05: nothing changed; retry later
}
RefusedError = InvalidField | NotFound | NotSimulated | StateFileError


def refusal_of(error: BaseException) -> Refusal | None:
    """The refusal a core exception (or a subclass of one) is; None for anything else: a bug."""
    for kind in type(error).__mro__:
        refusal = REFUSALS.get(kind)
        if refusal is not None:
            return refusal
    return None


def bounded(text: str, limit: int = MAX_STATUS_TEXT) -> str:
    if len(text) <= limit:
        return text
    return f"{text[: limit - 70]}…[{len(text):,} characters]…{text[-40:]}"


def refusal_status(refusal: Refusal, message: str, field: str | None = None) -> grpc.Status:
    """The status a refused call fails with: its code, the message, an ErrorInfo saying which
    refusal it is (an UNAVAILABLE may also come from the network), and for MALFORMED a
    BadRequest naming the field."""
    status = status_pb2.Status(code=refusal.code, message=bounded(message))
    details: list[Message] = []
    if field is not None:  # first: a reader of one detail finds the field
        violation = error_details_pb2.BadRequest.FieldViolation(
            field=bounded(field), description=bounded(message)
        )
        details.append(error_details_pb2.BadRequest(field_violations=[violation]))
    details.append(error_details_pb2.ErrorInfo(reason=refusal.name, domain=DOMAIN))
    for detail in details:
        packed = any_pb2.Any()
        packed.Pack(detail)
        status.details.append(packed)
    converted: grpc.Status = rpc_status.to_status(status)  # grpc_status is untyped
    return converted


def _message(error: RefusedError) -> str:
    if isinstance(error, StateFileError):  # the disk's reason, said to be the store's
        return f"storage unavailable: {error}"
    return str(error)


def status_of(error: RefusedError) -> grpc.Status:
    refusal = refusal_of(error)
    assert refusal is not None
    field = error.field if isinstance(error, InvalidField) else None
    return refusal_status(refusal, _message(error), field)


def submit_error(error: RefusedError) -> supplier_pb2.SubmitError:
    """The error `translated_errors` would raise, as one item of a batch or stream."""
    refusal = refusal_of(error)
    assert refusal is not None
    return _submit_error(
        refusal, _message(error), error.field if isinstance(error, InvalidField) else None
    )


def acknowledgement_lost_error() -> supplier_pb2.SubmitError:
    return _submit_error(Refusal.ACKNOWLEDGEMENT_LOST, ACKNOWLEDGEMENT_LOST)


def acknowledgement_lost_status() -> grpc.Status:
    return refusal_status(Refusal.ACKNOWLEDGEMENT_LOST, ACKNOWLEDGEMENT_LOST)


def _submit_error(
    refusal: Refusal, message: str, field: str | None = None
) -> supplier_pb2.SubmitError:
    return supplier_pb2.SubmitError(
        status_code=refusal.code,
        reason=refusal.name,
        code=refusal.code_name,
        message=bounded(message),
        field=bounded(field or ""),
    )


def peer_of(context: object) -> str:
    """Who called, for a log line ("?" for a context that cannot say, e.g. a test's)."""
    peer = getattr(context, "peer", None)
    try:
        return str(peer()) if callable(peer) else "?"
    except Exception:  # a log line must not fail the call it describes
        return "?"


def log_refusal(context: object, method: str, error: Exception, *, also: int = 0) -> None:
    """One line for a refused call (runtime/refusal_log.py): the peer, the method, the reason."""
    refusal_log.log_refusal(log, peer_of(context), method, str(error), also=also)


class translated_errors:  # lower case: it reads as a function, `with translated_errors(context):`
    """Answer a core exception with its gRPC status, logging one line (the peer, the method and
    the reason); let nothing else escape as UNKNOWN. Anything else propagates: a bug, which
    gRPC logs with its traceback.

    A class rather than @contextlib.contextmanager: it wraps every call, and a generator-based
    context manager costs three times as much to enter and leave."""

    __slots__ = ("_context", "_method")

    def __init__(self, context: grpc.ServicerContext, method: str = "?") -> None:
        self._context = context
        self._method = method

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: object, error: BaseException | None, traceback: object
    ) -> Literal[False]:  # never swallows: a refusal aborts (raises), anything else propagates
        if error is None or refusal_of(error) is None:
            return False  # no error, or a bug: it propagates
        assert isinstance(error, InvalidField | NotFound | NotSimulated | StateFileError)
        if isinstance(error, StateFileError):  # SEC-05: the server's condition, not the caller's
            log.warning("unavailable method=%s reason=%s", self._method, bounded(str(error)))
        else:
            log_refusal(self._context, self._method, error)
        self._context.abort_with_status(status_of(error))
        return False
