"""A Python client for a running dccsim server, synchronous (`Client`) and asyncio
(`AsyncClient`, the same calls as coroutines and async iterators).

    with Client("127.0.0.1:50051") as dcc:
        answer = dcc.read_firmware_version(user=SUPPLIER, device="00-DB-12-34-56-78-90-A0")
        for delivery in dcc.deliveries(SUPPLIER):
            ...

DUIS response codes come back as data (`Answer.code`); malformed input raises `InvalidRequest`
naming the field, an unknown user or device `NotFoundError`, an unsimulated SRV `NotSimulatedError`.

The two clients share everything but the I/O: the requests are built, the answers read and the
refusals mapped by the module's functions and `_Requests`, so they cannot drift apart.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Self, TypeVar

import grpc
import grpc.aio
from google.protobuf import duration_pb2
from google.protobuf.message import Message
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from dccsim.clients.connection import ClientSecurity, open_aio_channel, open_channel
from dccsim.clients.pre_command_signing import PreCommandSigner, load_ds_key
from dccsim.server.gbcs.frame import GENERAL_SIGNING
from dccsim.v1 import (
    control_pb2,
    control_pb2_grpc,
    supplier_pb2,
    supplier_pb2_grpc,
    types_pb2,
)
from dccsim.v1.refusals import DOMAIN, Refusal

DEFAULT_TARGET = "127.0.0.1:50051"
ACB_ID = "90-B3-D5-1F-30-00-00-02"
CRITICAL_SIGNED = 5

Req = TypeVar("Req", bound=Message)
Resp = TypeVar("Resp", bound=Message)


class DccsimError(Exception):
    """A call the simulator refused (as opposed to a DUIS error code, which is an answer)."""


class InvalidRequest(DccsimError):
    def __init__(self, message: str, field: str | None) -> None:
        super().__init__(message)
        self.field = field


class NotFoundError(DccsimError):
    pass


class NotSimulatedError(DccsimError):
    pass


class AcknowledgementLost(DccsimError):
    """Fault injection lost the acknowledgement; the request itself ran."""


class StorageUnavailable(DccsimError):
    """The server's state file cannot record changes (SEC-05): nothing changed; retry once its
    health is SERVING again."""


# The client half of the contract's error table (dccsim.v1.refusals): the exception each refusal
# is raised as, whether it came as a failed call's status or as a batch item's SubmitError.
_EXCEPTIONS: dict[Refusal, Callable[[str, str | None], DccsimError]] = {
    Refusal.MALFORMED: InvalidRequest,
    Refusal.NOT_FOUND: lambda message, _field: NotFoundError(message),
    Refusal.NOT_SIMULATED: lambda message, _field: NotSimulatedError(message),
    Refusal.ACKNOWLEDGEMENT_LOST: lambda message, _field: AcknowledgementLost(message),
    Refusal.STORAGE_UNAVAILABLE: lambda message, _field: StorageUnavailable(message),
}


def _translate(error: grpc.RpcError) -> Exception:
    """A failed call as the DccsimError its refusal is; any other failure (the network, a
    deadline, the server's limits) as it came. grpc.aio's AioRpcError is no `grpc.Call`, but
    carries the same code, details and trailing metadata."""
    if not isinstance(error, grpc.Call | grpc.aio.AioRpcError):
        return error
    status = rpc_status.from_call(error)
    reason = ""  # dccsim's ErrorInfo names the refusal; none: the network, a limit, gRPC itself
    field = None
    for detail in status.details if status else ():
        info = error_details_pb2.ErrorInfo()
        if detail.Unpack(info) and info.domain == DOMAIN:
            reason = info.reason
        bad = error_details_pb2.BadRequest()
        if detail.Unpack(bad) and bad.field_violations:
            field = bad.field_violations[0].field
    refusal = Refusal.of(error.code(), reason)
    if refusal is None or (refusal.status_code is grpc.StatusCode.UNAVAILABLE and not reason):
        return error  # an UNAVAILABLE dccsim did not decide is the network's
    return _EXCEPTIONS[refusal](error.details() or "", field)


def _stream_timed_out(error: grpc.RpcError) -> bool:
    """A subscription's `timeout` passing ends it quietly: the caller asked for that."""
    return isinstance(error, grpc.Call | grpc.aio.AioRpcError) and (
        error.code() is grpc.StatusCode.DEADLINE_EXCEEDED
    )


def _refusal(error: supplier_pb2.SubmitError) -> DccsimError:
    """One refused item of a batch, as the exception a unary Submit would have raised."""
    refusal = Refusal.of(error.status_code, error.reason)
    if refusal is None:
        return DccsimError(f"{error.code or error.status_code}: {error.message}")
    return _EXCEPTIONS[refusal](error.message, error.field or None)


@dataclass(frozen=True, slots=True)
class Answer:
    """The synchronous answer to a Service Request."""

    request_id: str
    srv: str
    code: str
    detail: str
    message: supplier_pb2.SubmitResponse

    @classmethod
    def of(cls, response: supplier_pb2.SubmitResponse) -> Answer:
        return cls(
            response.request_id,
            response.service_reference_variant,
            response.response_code,
            response.detail,
            response,
        )


def _outcomes(response: supplier_pb2.SubmitBatchResponse) -> list[Answer | DccsimError]:
    return [
        Answer.of(result.response) if result.HasField("response") else _refusal(result.error)
        for result in response.results
    ]


def build_request(
    srv: str,
    *,
    user: str,
    target: str,
    counter: int,
    cv: int,
    # Field name -> a message or a dict of its fields: which fields depends on the SRV.
    body: Mapping[str, Any],
    execute_at: datetime | None = None,
) -> supplier_pb2.SubmitRequest:
    """`body` maps one SubmitRequest body field to its message or a dict of its fields, e.g.
    {"read_firmware_version": {}}."""
    request = supplier_pb2.SubmitRequest(
        request_id=f"{user}:{target}:{counter}",
        service_reference_variant=srv,
        command_variant=cv,
        **body,
    )
    if execute_at is not None:
        request.execution_datetime.FromDatetime(execute_at)
    return request


class _Counters:
    """RequestID counters: milliseconds since the epoch, as DCC Boxed uses, never repeating."""

    def __init__(self) -> None:
        self._next = itertools.count(time.time_ns() // 1_000_000)

    def __call__(self) -> int:
        return next(self._next)


def _needs_signing(pre: supplier_pb2.SubmitResponse) -> bool:
    """Whether the PreCommand is GBCS, for the User's DS key; dccsim's opaque token (an SRV
    without a GBCS form, or a server without keys) goes back as it came."""
    return pre.pre_command.payload.startswith(GENERAL_SIGNING)


def _signed_leg(
    first: supplier_pb2.SubmitRequest,
    pre: supplier_pb2.SubmitResponse,
    signer: PreCommandSigner | None,
) -> supplier_pb2.SubmitRequest:
    """The CV 5 leg: a GBCS PreCommand signed with the User's DS key (GBCS-03). `signer` is
    needed only where `_needs_signing(pre)`."""
    payload = pre.pre_command.payload
    if signer is not None and _needs_signing(pre):
        payload = signer.sign(first.request_id.split(":", 1)[0], payload)
    return supplier_pb2.SubmitRequest(
        request_id=first.request_id,
        service_reference_variant=first.service_reference_variant,
        command_variant=CRITICAL_SIGNED,
        signed_pre_command=supplier_pb2.SignedPreCommand(payload=payload),
    )


def _awaiting_signature(
    firsts: Sequence[supplier_pb2.SubmitRequest], outcomes: Sequence[Answer | DccsimError]
) -> dict[int, tuple[supplier_pb2.SubmitRequest, supplier_pb2.SubmitResponse]]:
    """The CV 4 legs of a critical batch that came back with a PreCommand, by position."""
    return {
        index: (first, outcome.message)
        for index, (first, outcome) in enumerate(zip(firsts, outcomes, strict=True))
        if isinstance(outcome, Answer) and outcome.message.HasField("pre_command")
    }


def _merged(
    outcomes: list[Answer | DccsimError],
    positions: Iterable[int],
    seconds: Iterable[Answer | DccsimError],
) -> list[Answer | DccsimError]:
    """The first legs' outcomes, each signed leg's in place of its PreCommand."""
    for index, outcome in zip(positions, seconds, strict=True):
        outcomes[index] = outcome
    return outcomes


def _exported_signer(exported: Iterable[tuple[str, list[control_pb2.KeyFile]]]) -> PreCommandSigner:
    """A signer holding each User's DS key, from ExportKeys' answer."""
    return PreCommandSigner(
        {
            owner: load_ds_key(file.pem)
            for owner, files in exported
            if owner
            for file in files
            if file.name == f"{owner.replace('-', '').lower()}-ds.key"
        }
    )


class _Requests:
    """What both clients share: the request counter, the signer and the requests they build."""

    def __init__(self, signer: PreCommandSigner | None) -> None:
        self.next_counter = _Counters()
        self.signer = signer

    def _request(
        self,
        srv: str,
        user: str,
        target: str,
        cv: int,
        body: Mapping[str, Any],
        counter: int | None = None,
        execute_at: datetime | None = None,
    ) -> supplier_pb2.SubmitRequest:
        """A Service Request, with a fresh counter unless one is given."""
        return build_request(
            srv,
            user=user,
            target=target,
            cv=cv,
            body=body,
            counter=counter or self.next_counter(),
            execute_at=execute_at,
        )

    def _transform_leg(
        self,
        srv: str,
        user: str,
        target: str,
        body: Mapping[str, Any],
        execute_at: datetime | None,
    ) -> supplier_pb2.SubmitRequest:
        """The CV 4 leg of a critical request, with a fresh counter."""
        return self._request(srv, user, target, 4, body, execute_at=execute_at)

    def _firmware_version_read(self, user: str, device: str) -> supplier_pb2.SubmitRequest:
        return self._request("11.2", user, device, 1, {"read_firmware_version": {}})

    def _firmware_update(
        self, user: str, image: bytes, version: str, devices: Iterable[str]
    ) -> supplier_pb2.SubmitRequest:
        body = {
            "update_firmware": {
                "image": image,
                "firmware_version": version,
                "device_ids": list(devices),
            }
        }
        return self._request("11.1", user, ACB_ID, 8, body)


# -- control requests, the same for both clients ---------------------------------------------------


def _list_devices(
    status: types_pb2.SmiStatus.ValueType, device_type: types_pb2.DeviceType.ValueType, limit: int
) -> control_pb2.ListDevicesRequest:
    return control_pb2.ListDevicesRequest(status=status, device_type=device_type, limit=limit)


def _cpl_entry(
    manufacturer: str, model: str, version: str, status: types_pb2.CplStatus.ValueType
) -> types_pb2.CplEntry:
    return types_pb2.CplEntry(
        manufacturer=manufacturer, model=model, firmware_version=version, status=status
    )


def _device_alert(
    device_id: str, alert_code: int, interrupted_at: datetime | None, integrity_warning: str
) -> control_pb2.RaiseDeviceAlertRequest:
    request = control_pb2.RaiseDeviceAlertRequest(
        device_id=device_id, alert_code=alert_code, integrity_warning=integrity_warning
    )
    if interrupted_at is not None:
        request.interrupted_at.FromDatetime(interrupted_at)
    return request


def _advance(delta: timedelta) -> control_pb2.SetClockRequest:
    duration = duration_pb2.Duration()
    duration.FromTimedelta(delta)
    return control_pb2.SetClockRequest(advance=duration)


def _subscription(user: str, after: int) -> supplier_pb2.SubscribeRequest:
    return supplier_pb2.SubscribeRequest(user_id=user, after_sequence=after)


def _batch_subscription(
    user: str, after: int, max_batch: int
) -> supplier_pb2.SubscribeBatchesRequest:
    return supplier_pb2.SubscribeBatchesRequest(
        user_id=user, after_sequence=after, max_batch=max_batch
    )


def _key_export(
    device_ids: Iterable[str] | None, no_devices: bool
) -> control_pb2.ExportKeysRequest:
    return control_pb2.ExportKeysRequest(device_ids=device_ids or [], no_devices=no_devices)


class Client(_Requests):
    def __init__(
        self,
        target: str = DEFAULT_TARGET,
        *,
        channel: grpc.Channel | None = None,
        security: ClientSecurity | None = None,
        signer: PreCommandSigner | None = None,
    ) -> None:
        """`security`: TLS, a client certificate (mutual TLS) and the operator token (SEC-01,
        SEC-02); plaintext without it. `signer`: the Users' DS keys, with which `send_critical`
        signs each GBCS PreCommand (GBCS-03), e.g. `PreCommandSigner(directory=exported_keys)`."""
        super().__init__(signer)
        self._own_channel = channel is None
        self.channel = channel or open_channel(target, security)
        self.supplier = supplier_pb2_grpc.SupplierServiceStub(self.channel)
        self.control = control_pb2_grpc.ControlServiceStub(self.channel)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._own_channel:
            self.channel.close()

    def _call(self, method: grpc.UnaryUnaryMultiCallable[Req, Resp], request: Req) -> Resp:
        try:
            return method(request)
        except grpc.RpcError as error:
            raise _translate(error) from None

    # -- Service Requests ---------------------------------------------------------------------

    def submit(self, request: supplier_pb2.SubmitRequest) -> Answer:
        return Answer.of(self._call(self.supplier.Submit, request))

    def send(
        self,
        srv: str,
        *,
        user: str,
        target: str,
        cv: int,
        body: Mapping[str, Any],
        counter: int | None = None,
        execute_at: datetime | None = None,
    ) -> Answer:
        """One Service Request. For a critical SR sent with CV 4, the PreCommand comes back;
        use `send_critical` to have the client return it signed (CV 5)."""
        return self.submit(self._request(srv, user, target, cv, body, counter, execute_at))

    def send_critical(
        self,
        srv: str,
        *,
        user: str,
        target: str,
        body: Mapping[str, Any],
        execute_at: datetime | None = None,
    ) -> Answer:
        """The two-leg critical flow: CV 4 for the PreCommand, then CV 5 with it signed."""
        first = self._transform_leg(srv, user, target, body, execute_at)
        pre = self._call(self.supplier.Submit, first)
        if not pre.HasField("pre_command"):
            return Answer.of(pre)
        return self.submit(_signed_leg(first, pre, self._signer_for(pre)))

    def _signer_for(self, pre: supplier_pb2.SubmitResponse) -> PreCommandSigner | None:
        return self.pre_command_signer() if _needs_signing(pre) else None

    def read_firmware_version(self, *, user: str, device: str) -> Answer:
        return self.submit(self._firmware_version_read(user, device))

    def update_firmware(
        self, *, user: str, image: bytes, version: str, devices: Iterable[str]
    ) -> Answer:
        return self.submit(self._firmware_update(user, image, version, devices))

    def activate_firmware(
        self, *, user: str, device: str, image_hash: bytes, execute_at: datetime | None = None
    ) -> Answer:
        body = {"activate_firmware": {"firmware_hash": image_hash}}
        return self.send_critical(
            "11.3", user=user, target=device, body=body, execute_at=execute_at
        )

    def submit_batch(
        self, requests: Iterable[supplier_pb2.SubmitRequest]
    ) -> list[Answer | DccsimError]:
        """Many Service Requests in one call, run in order. Each gets its own outcome: an
        Answer, or the DccsimError a unary Submit would have raised (returned, not raised)."""
        batch = supplier_pb2.SubmitBatchRequest(requests=requests)
        return _outcomes(self._call(self.supplier.SubmitBatch, batch))

    def send_critical_batch(
        self,
        srv: str,
        *,
        user: str,
        targets: Iterable[str],
        body: Mapping[str, Any],
        execute_at: datetime | None = None,
    ) -> list[Answer | DccsimError]:
        """`send_critical` for many targets in two calls: every CV 4 leg in one batch, then every
        signed leg in another. One outcome per target, in order."""
        firsts = [self._transform_leg(srv, user, target, body, execute_at) for target in targets]
        outcomes = self.submit_batch(firsts)
        waiting = _awaiting_signature(firsts, outcomes)
        seconds = [
            _signed_leg(first, pre, self._signer_for(pre)) for first, pre in waiting.values()
        ]
        return _merged(outcomes, waiting, self.submit_batch(seconds))

    # -- deliveries ---------------------------------------------------------------------------

    def deliveries(
        self, user: str, *, after: int = 0, timeout: float | None = None
    ) -> Iterator[supplier_pb2.Delivery]:
        """The user's messages in order, starting after `after`; blocks for new ones."""
        call = self.supplier.Subscribe(_subscription(user, after), timeout=timeout)
        try:
            yield from call
        except grpc.RpcError as error:
            if _stream_timed_out(error):
                return
            raise _translate(error) from None
        finally:
            call.cancel()

    def delivery_batches(
        self, user: str, *, after: int = 0, max_batch: int = 500, timeout: float | None = None
    ) -> Iterator[list[supplier_pb2.Delivery]]:
        """`deliveries`, grouped: each list holds what was already queued, up to `max_batch`."""
        request = _batch_subscription(user, after, max_batch)
        call = self.supplier.SubscribeBatches(request, timeout=timeout)
        try:
            for batch in call:
                yield list(batch.deliveries)
        except grpc.RpcError as error:
            if _stream_timed_out(error):
                return
            raise _translate(error) from None
        finally:
            call.cancel()

    def acknowledge(self, user: str, up_to: int) -> int:
        request = supplier_pb2.AcknowledgeRequest(user_id=user, up_to_sequence=up_to)
        return self._call(self.supplier.Acknowledge, request).removed

    # -- control ------------------------------------------------------------------------------

    def load_fleet(self, fleet_yaml: str) -> control_pb2.LoadFleetResponse:
        request = control_pb2.LoadFleetRequest(fleet_yaml=fleet_yaml)
        return self._call(self.control.LoadFleet, request)

    def reset(self) -> int:
        """Return the server to its starting fleet; returns how many devices it holds."""
        return self._call(self.control.Reset, control_pb2.ResetRequest()).devices

    def device(self, device_id: str) -> types_pb2.Device:
        return self._call(self.control.GetDevice, control_pb2.GetDeviceRequest(device_id=device_id))

    def devices(
        self,
        *,
        status: types_pb2.SmiStatus.ValueType = types_pb2.SMI_STATUS_UNSPECIFIED,
        device_type: types_pb2.DeviceType.ValueType = types_pb2.DEVICE_TYPE_UNSPECIFIED,
        limit: int = 0,
    ) -> list[types_pb2.Device]:
        """The SMI's devices; unspecified status or type: any; a limit of 0: all."""
        request = _list_devices(status, device_type, limit)
        return list(self._call(self.control.ListDevices, request).devices)

    def cpl(self) -> list[types_pb2.CplEntry]:
        return list(self._call(self.control.ListCpl, control_pb2.ListCplRequest()).entries)

    def set_cpl_status(
        self, manufacturer: str, model: str, version: str, status: types_pb2.CplStatus.ValueType
    ) -> control_pb2.PutCplEntryResponse:
        entry = _cpl_entry(manufacturer, model, version, status)
        return self._call(self.control.PutCplEntry, entry)

    def begin_recovery(self, device_id: str, *, actor: str, reason: str = "") -> types_pb2.Device:
        """Move a device into Recovery (AUTH-08): every SR relating to it is refused."""
        request = control_pb2.BeginRecoveryRequest(device_id=device_id, actor=actor, reason=reason)
        return self._call(self.control.BeginRecovery, request)

    def complete_recovery(
        self, device_id: str, *, actor: str, reason: str = ""
    ) -> types_pb2.Device:
        """Recovery -> Recovered: checked from then on with `status_before_recovery`."""
        request = control_pb2.CompleteRecoveryRequest(
            device_id=device_id, actor=actor, reason=reason
        )
        return self._call(self.control.CompleteRecovery, request)

    def put_receive_url(self, user_id: str, url: str) -> str:
        """Set a User's Receive Response Service address ("" removes it); the address as kept."""
        request = control_pb2.PutReceiveUrlRequest(user_id=user_id, url=url)
        return self._call(self.control.PutReceiveUrl, request).url

    def add_fault_rule(self, rule: control_pb2.FaultRule) -> int:
        return self._call(self.control.AddFaultRule, rule).rule_id

    def remove_fault_rule(self, rule_id: int) -> None:
        request = control_pb2.RemoveFaultRuleRequest(rule_id=rule_id)
        self._call(self.control.RemoveFaultRule, request)

    def fault_rules(self) -> list[control_pb2.FaultRuleEntry]:
        request = control_pb2.ListFaultRulesRequest()
        return list(self._call(self.control.ListFaultRules, request).rules)

    def raise_device_alert(
        self,
        device_id: str,
        alert_code: int,
        *,
        interrupted_at: datetime | None = None,
        integrity_warning: str = "",
    ) -> control_pb2.RaiseDeviceAlertResponse:
        """SRV-06: the device raises one of its own alerts (e.g. 0x8F57 Supply interrupted);
        the answer names who it is for."""
        request = _device_alert(device_id, alert_code, interrupted_at, integrity_warning)
        return self._call(self.control.RaiseDeviceAlert, request)

    def fault_decisions(self) -> list[control_pb2.FaultDecision]:
        request = control_pb2.ListFaultDecisionsRequest()
        return list(self._call(self.control.ListFaultDecisions, request).decisions)

    def clock(self) -> control_pb2.ClockState:
        return self._call(self.control.GetClock, control_pb2.GetClockRequest())

    def advance(self, delta: timedelta) -> control_pb2.ClockState:
        return self._call(self.control.SetClock, _advance(delta))

    def set_clock_rate(self, rate: float) -> control_pb2.ClockState:
        return self._call(self.control.SetClock, control_pb2.SetClockRequest(rate=rate))

    def pre_command_signer(self) -> PreCommandSigner:
        """The signer given, else one holding the Users' DS keys as the simulator exports them
        (the one-shot convenience of REQ-05, signing for real): fetched once, when the first GBCS
        PreCommand needs signing. Needs the control API (SEC-02); pass `signer` where it is
        closed."""
        if self.signer is None:
            self.signer = _exported_signer(self.export_keys(no_devices=True))
        return self.signer

    def export_keys(
        self, *, device_ids: Iterable[str] | None = None, no_devices: bool = False
    ) -> Iterator[tuple[str, list[control_pb2.KeyFile]]]:
        """(owner EUI, its PEM files) for the CAs (owner ""), the ACB, each User and each device
        (or only `device_ids`), streamed: a fleet of any size fits."""
        try:
            for response in self.control.ExportKeys(_key_export(device_ids, no_devices)):
                yield response.owner, list(response.files)
        except grpc.RpcError as error:
            raise _translate(error) from None


class AsyncClient(_Requests):
    """The asyncio twin of `Client`: every call of its, with the same arguments, as a coroutine
    (or, for the streams, an async iterator), refused with the same exceptions."""

    def __init__(
        self,
        target: str = DEFAULT_TARGET,
        *,
        channel: grpc.aio.Channel | None = None,
        security: ClientSecurity | None = None,
        signer: PreCommandSigner | None = None,
    ) -> None:
        super().__init__(signer)
        self._own_channel = channel is None
        self.channel = channel or open_aio_channel(target, security)
        self.supplier = supplier_pb2_grpc.SupplierServiceStub(self.channel)
        self.control = control_pb2_grpc.ControlServiceStub(self.channel)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self._own_channel:
            await self.channel.close()

    async def _call(
        self, method: grpc.aio.UnaryUnaryMultiCallable[Req, Resp], request: Req
    ) -> Resp:
        try:
            return await method(request)
        except grpc.RpcError as error:
            raise _translate(error) from None

    # -- Service Requests ---------------------------------------------------------------------

    async def submit(self, request: supplier_pb2.SubmitRequest) -> Answer:
        return Answer.of(await self._call(self.supplier.Submit, request))

    async def send(
        self,
        srv: str,
        *,
        user: str,
        target: str,
        cv: int,
        body: Mapping[str, Any],
        counter: int | None = None,
        execute_at: datetime | None = None,
    ) -> Answer:
        request = self._request(srv, user, target, cv, body, counter, execute_at)
        return await self.submit(request)

    async def send_critical(
        self,
        srv: str,
        *,
        user: str,
        target: str,
        body: Mapping[str, Any],
        execute_at: datetime | None = None,
    ) -> Answer:
        first = self._transform_leg(srv, user, target, body, execute_at)
        pre = await self._call(self.supplier.Submit, first)
        if not pre.HasField("pre_command"):
            return Answer.of(pre)
        return await self.submit(_signed_leg(first, pre, await self._signer_for(pre)))

    async def _signer_for(self, pre: supplier_pb2.SubmitResponse) -> PreCommandSigner | None:
        return await self.pre_command_signer() if _needs_signing(pre) else None

    async def read_firmware_version(self, *, user: str, device: str) -> Answer:
        return await self.submit(self._firmware_version_read(user, device))

    async def update_firmware(
        self, *, user: str, image: bytes, version: str, devices: Iterable[str]
    ) -> Answer:
        return await self.submit(self._firmware_update(user, image, version, devices))

    async def activate_firmware(
        self, *, user: str, device: str, image_hash: bytes, execute_at: datetime | None = None
    ) -> Answer:
        body = {"activate_firmware": {"firmware_hash": image_hash}}
        return await self.send_critical(
            "11.3", user=user, target=device, body=body, execute_at=execute_at
        )

    async def submit_batch(
        self, requests: Iterable[supplier_pb2.SubmitRequest]
    ) -> list[Answer | DccsimError]:
        batch = supplier_pb2.SubmitBatchRequest(requests=requests)
        return _outcomes(await self._call(self.supplier.SubmitBatch, batch))

    async def send_critical_batch(
        self,
        srv: str,
        *,
        user: str,
        targets: Iterable[str],
        body: Mapping[str, Any],
        execute_at: datetime | None = None,
    ) -> list[Answer | DccsimError]:
        firsts = [self._transform_leg(srv, user, target, body, execute_at) for target in targets]
        outcomes = await self.submit_batch(firsts)
        waiting = _awaiting_signature(firsts, outcomes)
        seconds = [
            _signed_leg(first, pre, await self._signer_for(pre)) for first, pre in waiting.values()
        ]
        return _merged(outcomes, waiting, await self.submit_batch(seconds))

    # -- deliveries ---------------------------------------------------------------------------

    async def deliveries(
        self, user: str, *, after: int = 0, timeout: float | None = None
    ) -> AsyncIterator[supplier_pb2.Delivery]:
        call = self.supplier.Subscribe(_subscription(user, after), timeout=timeout)
        try:
            async for delivery in call:
                yield delivery
        except grpc.RpcError as error:
            if _stream_timed_out(error):
                return
            raise _translate(error) from None
        finally:
            call.cancel()

    async def delivery_batches(
        self, user: str, *, after: int = 0, max_batch: int = 500, timeout: float | None = None
    ) -> AsyncIterator[list[supplier_pb2.Delivery]]:
        request = _batch_subscription(user, after, max_batch)
        call = self.supplier.SubscribeBatches(request, timeout=timeout)
        try:
            async for batch in call:
                yield list(batch.deliveries)
        except grpc.RpcError as error:
            if _stream_timed_out(error):
                return
            raise _translate(error) from None
        finally:
            call.cancel()

    async def acknowledge(self, user: str, up_to: int) -> int:
        request = supplier_pb2.AcknowledgeRequest(user_id=user, up_to_sequence=up_to)
        return (await self._call(self.supplier.Acknowledge, request)).removed

    # -- control ------------------------------------------------------------------------------

    async def load_fleet(self, fleet_yaml: str) -> control_pb2.LoadFleetResponse:
        request = control_pb2.LoadFleetRequest(fleet_yaml=fleet_yaml)
        return await self._call(self.control.LoadFleet, request)

    async def reset(self) -> int:
        return (await self._call(self.control.Reset, control_pb2.ResetRequest())).devices

    async def device(self, device_id: str) -> types_pb2.Device:
        request = control_pb2.GetDeviceRequest(device_id=device_id)
        return await self._call(self.control.GetDevice, request)

    async def devices(
        self,
        *,
        status: types_pb2.SmiStatus.ValueType = types_pb2.SMI_STATUS_UNSPECIFIED,
        device_type: types_pb2.DeviceType.ValueType = types_pb2.DEVICE_TYPE_UNSPECIFIED,
        limit: int = 0,
    ) -> list[types_pb2.Device]:
        request = _list_devices(status, device_type, limit)
        return list((await self._call(self.control.ListDevices, request)).devices)

    async def cpl(self) -> list[types_pb2.CplEntry]:
        request = control_pb2.ListCplRequest()
        return list((await self._call(self.control.ListCpl, request)).entries)

    async def set_cpl_status(
        self, manufacturer: str, model: str, version: str, status: types_pb2.CplStatus.ValueType
    ) -> control_pb2.PutCplEntryResponse:
        entry = _cpl_entry(manufacturer, model, version, status)
        return await self._call(self.control.PutCplEntry, entry)

    async def begin_recovery(
        self, device_id: str, *, actor: str, reason: str = ""
    ) -> types_pb2.Device:
        request = control_pb2.BeginRecoveryRequest(device_id=device_id, actor=actor, reason=reason)
        return await self._call(self.control.BeginRecovery, request)

    async def complete_recovery(
        self, device_id: str, *, actor: str, reason: str = ""
    ) -> types_pb2.Device:
        request = control_pb2.CompleteRecoveryRequest(
            device_id=device_id, actor=actor, reason=reason
        )
        return await self._call(self.control.CompleteRecovery, request)

    async def put_receive_url(self, user_id: str, url: str) -> str:
        request = control_pb2.PutReceiveUrlRequest(user_id=user_id, url=url)
        return (await self._call(self.control.PutReceiveUrl, request)).url

    async def add_fault_rule(self, rule: control_pb2.FaultRule) -> int:
        return (await self._call(self.control.AddFaultRule, rule)).rule_id

    async def remove_fault_rule(self, rule_id: int) -> None:
        request = control_pb2.RemoveFaultRuleRequest(rule_id=rule_id)
        await self._call(self.control.RemoveFaultRule, request)

    async def fault_rules(self) -> list[control_pb2.FaultRuleEntry]:
        request = control_pb2.ListFaultRulesRequest()
        return list((await self._call(self.control.ListFaultRules, request)).rules)

    async def raise_device_alert(
        self,
        device_id: str,
        alert_code: int,
        *,
        interrupted_at: datetime | None = None,
        integrity_warning: str = "",
    ) -> control_pb2.RaiseDeviceAlertResponse:
        request = _device_alert(device_id, alert_code, interrupted_at, integrity_warning)
        return await self._call(self.control.RaiseDeviceAlert, request)

    async def fault_decisions(self) -> list[control_pb2.FaultDecision]:
        request = control_pb2.ListFaultDecisionsRequest()
        return list((await self._call(self.control.ListFaultDecisions, request)).decisions)

    async def clock(self) -> control_pb2.ClockState:
        return await self._call(self.control.GetClock, control_pb2.GetClockRequest())

    async def advance(self, delta: timedelta) -> control_pb2.ClockState:
        return await self._call(self.control.SetClock, _advance(delta))

    async def set_clock_rate(self, rate: float) -> control_pb2.ClockState:
        request = control_pb2.SetClockRequest(rate=rate)
        return await self._call(self.control.SetClock, request)

    async def pre_command_signer(self) -> PreCommandSigner:
        """As `Client.pre_command_signer`: the signer given, else the exported DS keys."""
        if self.signer is None:
            exported = [pair async for pair in self.export_keys(no_devices=True)]
            self.signer = _exported_signer(exported)
        return self.signer

    async def export_keys(
        self, *, device_ids: Iterable[str] | None = None, no_devices: bool = False
    ) -> AsyncIterator[tuple[str, list[control_pb2.KeyFile]]]:
        try:
            async for response in self.control.ExportKeys(_key_export(device_ids, no_devices)):
                yield response.owner, list(response.files)
        except grpc.RpcError as error:
            raise _translate(error) from None
