"""A family's gRPC messages: how the typed API's bodies become the core's, and the core's answers
become messages, for each of the family's SRVs. Keyed by the SRV registry's body and response
types; a test fails when a served SRV's body or response has no conversion."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dccsim.v1 import supplier_pb2

# A SubmitRequest body message -> the core's request body.
BodyReader = Callable[[Any], Any]
# Fills a SubmitResponse's body from a synchronous answer's body.
SyncFiller = Callable[[supplier_pb2.SubmitResponse, Any], None]
# Fills a delivered ServiceResponse's body from a device response body.
ResponseFiller = Callable[[supplier_pb2.ServiceResponse, Any], None]


@dataclass(frozen=True, slots=True)
class MessageFamily:
    # SubmitRequest's `body` oneof field -> (the core body type it makes, its reader)
    readers: Mapping[str, tuple[type, BodyReader]]
    sync_fillers: Mapping[type, SyncFiller] = field(default_factory=dict)
    response_fillers: Mapping[type, ResponseFiller] = field(default_factory=dict)
