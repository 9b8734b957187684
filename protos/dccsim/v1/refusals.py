"""The contract's one error table: each way dccsim refuses a call, and the `google.rpc.Code` it
travels as -- in a failed call's status, and in a batch or stream item's
`SubmitError.status_code`. The server (dccsim.server.rpc.errors) raises by it and the client
(dccsim.clients.client) reads by it, so the two cannot drift apart.

Written by hand beside the generated code: it is part of the contract, not of either side. A DUIS
response code is an answer, never one of these.
"""

from __future__ import annotations

from enum import Enum

import grpc
from google.rpc import code_pb2

# The ErrorInfo domain of dccsim's refusals: a status carrying ErrorInfo(domain=DOMAIN) was
# decided by dccsim, not by the network (an UNAVAILABLE is either).
DOMAIN = "dccsim.v1"
# The message of a lost acknowledgement (fault injection).
ACKNOWLEDGEMENT_LOST_MESSAGE = "acknowledgement lost (fault injection)"


class Refusal(Enum):
    """Why a call was refused. Its name is the reason a refusal status's ErrorInfo carries (and a
    batch item's `SubmitError.reason`); `code` the `google.rpc.Code` it travels as. Two refusals
    may share a code (UNAVAILABLE): the reason tells them apart."""

    _value_: tuple[int, str]  # (google.rpc.Code, what it means); code_pb2's ints are untyped

    # Malformed input (BAD-01): the status's BadRequest (a batch item's `field`) names the field.
    MALFORMED = code_pb2.INVALID_ARGUMENT, "the input is malformed"
    # A control-API lookup named a user or device the simulator does not hold.
    NOT_FOUND = code_pb2.NOT_FOUND, "no such user or device"
    # A valid, authorised request for behaviour dccsim does not simulate.
    NOT_SIMULATED = code_pb2.UNIMPLEMENTED, "not simulated"
    # Fault injection lost the answer; the request itself ran.
    ACKNOWLEDGEMENT_LOST = code_pb2.UNAVAILABLE, "the answer was lost (fault injection)"
    # The state file cannot record the change (SEC-05): nothing changed; retry once the server's
    # health is SERVING again.
    STORAGE_UNAVAILABLE = code_pb2.UNAVAILABLE, "the state file cannot be written"

    @property
    def code(self) -> int:
        """The `google.rpc.Code` (an int, as `SubmitError.status_code` carries it)."""
        return self.value[0]

    @property
    def code_name(self) -> str:
        name: str = code_pb2.Code.Name(self.code)  # google.rpc's code_pb2 ships no stubs
        return name

    @property
    def status_code(self) -> grpc.StatusCode:
        return _STATUS_CODES[self.code]

    @classmethod
    def of(cls, code: int | grpc.StatusCode | None, reason: str = "") -> Refusal | None:
        """The refusal a code stands for, told apart by the ErrorInfo reason where two share it;
        None for a code (or code and reason) dccsim does not refuse with."""
        if isinstance(code, grpc.StatusCode):
            code = code.value[0]
        named = cls.__members__.get(reason)
        if named is not None:
            return named if named.code == code else None
        candidates = _BY_CODE.get(code, ())  # type: ignore[arg-type]
        return candidates[0] if len(candidates) == 1 else None


# grpc.StatusCode's value is (the google.rpc.Code, its name in lower case).
_STATUS_CODES = {status.value[0]: status for status in grpc.StatusCode}
_BY_CODE = {code: tuple(r for r in Refusal if r.code == code) for code in {r.code for r in Refusal}}
