"""Stage 1 of the pipeline: structural validation of a Service Request (BAD-01).

Everything here is about the request's own shape; nothing reads or changes simulator state. A
failure raises InvalidField naming the field, so a caller can answer INVALID_ARGUMENT (or a DUIS
code where one exists) knowing that nothing was queued, changed or consumed.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from dccsim.server.core.errors import InvalidField
from dccsim.server.core.eui import canonical_eui64
from dccsim.server.core.matrix import SERVICE_MATRIX, CommandVariant, ServiceDefinition
from dccsim.server.core.requests import (
    MAX_COUNTER,
    NoBody,
    RequestId,
    ServiceRequest,
    SignedPreCommand,
)
from dccsim.server.core.services import REGISTRY

_SPECS = REGISTRY.by_srv


def service_definition(srv: object) -> ServiceDefinition:
    definition = SERVICE_MATRIX.get(srv) if isinstance(srv, str) else None
    if definition is None:
        raise InvalidField("service_reference_variant", f"{srv!r} is not a DUIS SRV")
    return definition


def validate(request: ServiceRequest) -> tuple[ServiceRequest, ServiceDefinition]:
    """Check a request's shape; return it in canonical form (upper-case EUIs) with its matrix
    definition, or raise InvalidField."""
    canonical = _canonical_request_id(request.request_id)
    if canonical is not request.request_id:
        request = replace(request, request_id=canonical)
    definition = service_definition(request.srv)
    if not isinstance(request.command_variant, CommandVariant):
        raise InvalidField("command_variant", f"{request.command_variant!r} is not 1-8")
    if request.execution_datetime is not None:
        _check_execution_datetime(request, definition)
    body = request.body
    if isinstance(body, SignedPreCommand):
        if not body.payload:
            raise InvalidField("body.payload", "a signed pre-command needs its payload")
        return request, definition
    spec = _SPECS.get(request.srv)
    expected = NoBody if spec is None else spec.body
    if not isinstance(body, expected):
        raise InvalidField(
            "body", f"SRV {request.srv} takes a {expected.__name__} body, not {type(body).__name__}"
        )
    if spec is not None and spec.check is not None:
        spec.check(body)
    return request, definition


def _canonical_request_id(request_id: object) -> RequestId:
    """A RequestId built in code skips RequestId.parse, so check it the same way here. One that
    is already canonical is returned as it is (no copy)."""
    if not isinstance(request_id, RequestId):
        raise InvalidField("request_id", f"{request_id!r} is not a RequestId")
    counter = request_id.counter
    if not isinstance(counter, int) or isinstance(counter, bool) or not 0 <= counter <= MAX_COUNTER:
        raise InvalidField("request_id.counter", f"{counter!r} is not an unsigned 64-bit counter")
    originator = canonical_eui64(request_id.originator, "request_id.originator")
    target = canonical_eui64(request_id.target, "request_id.target")
    if originator == request_id.originator and target == request_id.target:
        return request_id
    return RequestId(originator, target, counter)


def _check_execution_datetime(request: ServiceRequest, definition: ServiceDefinition) -> None:
    when = request.execution_datetime
    if when is None:
        return
    if not isinstance(when, datetime) or when.tzinfo is None:
        raise InvalidField("execution_datetime", "must be a timezone-aware date and time")
    if not definition.can_be_future_dated:
        raise InvalidField("execution_datetime", f"SRV {definition.srv} cannot be future-dated")
