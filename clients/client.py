"""A Python client for a running dccsim server, synchronous (`Client`) and asyncio
(`AsyncClient`).

    with Client("127.0.0.1:50051") as dcc:
        answer = dcc.read_firmware_version(user=SUPPLIER, device="00-DB-12-34-56-78-90-A0")
        for delivery in dcc.deliveries(SUPPLIER):
            ...

DUIS response codes come back as data (`Answer.code`); malformed input raises `InvalidRequest`
naming the field, an unknown user or device `NotFoundError`, an unsimulated SRV `NotSimulatedError`.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any, Self

import grpc
from google.protobuf import duration_pb2
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from dccsim.clients.connection import ClientSecurity, open_aio_channel, open_channel
from dccsim.clients.pre_command_signing import (
    GENERAL_SIGNING,
    MissingSigningKey,
    PreCommandSigner,
    load_ds_key,
)
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
    deadline, the server's limits) as it came."""
    if not isinstance(error, grpc.Call):
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


def build_request(
    srv: str,
    *,
    user: str,
    target: str,
    counter: int,
    cv: int,
    body: dict[str, Any],
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


def _signed_leg(
    first: supplier_pb2.SubmitRequest,
    pre: supplier_pb2.SubmitResponse,
    signer: Callable[[], PreCommandSigner] | None,
):
    """The CV 5 leg: a GBCS PreCommand signed with the User's DS key (GBCS-03); dccsim's opaque
    token (an SRV without a GBCS form, or a server without keys) goes back as it came."""
    payload = pre.pre_command.payload
    if signer is not None and payload.startswith(GENERAL_SIGNING):
        payload = signer().sign(first.request_id.split(":", 1)[0], payload)
    return supplier_pb2.SubmitRequest(
        request_id=first.request_id,
        service_reference_variant=first.service_reference_variant,
        command_variant=CRITICAL_SIGNED,
        signed_pre_command=supplier_pb2.SignedPreCommand(payload=payload),
    )


class Client:
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
        self._own_channel = channel is None
        self.channel = channel or open_channel(target, security)
        self.supplier = supplier_pb2_grpc.SupplierServiceStub(self.channel)
        self.control = control_pb2_grpc.ControlServiceStub(self.channel)
        self.next_counter = _Counters()
        self.signer = signer

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: tuple[type[BaseException], BaseException, TracebackType]) -> None:
        self.close()

    def close(self) -> None:
        if self._own_channel:
            self.channel.close()

    def _call(self, method: Callable[[Any], Any], request: Any) -> Any:
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
        body: dict[str, Any],
        counter: int | None = None,
        execute_at: datetime | None = None,
    ) -> Answer:
        """One Service Request. For a critical SR sent with CV 4, the PreCommand comes back;
        use `send_critical` to have the client return it signed (CV 5)."""
        return self.submit(
            build_request(
                srv,
                user=user,
                target=target,
                cv=cv,
                body=body,
                counter=counter or self.next_counter(),
                execute_at=execute_at,
            )
        )

    def send_critical(
        self,
        srv: str,
        *,
        user: str,
        target: str,
        body: dict[str, Any],
        execute_at: datetime | None = None,
    ) -> Answer:
        """The two-leg critical flow: CV 4 for the PreCommand, then CV 5 with it signed."""
        first = self._transform_leg(srv, user, target, body, execute_at)
        pre = self._call(self.supplier.Submit, first)
        if not pre.HasField("pre_command"):
            return Answer.of(pre)
        return self.submit(_signed_leg(first, pre, self.pre_command_signer))

    def _transform_leg(
        self, srv: str, user: str, target: str, body: dict[str, Any], execute_at: datetime | None
    ) -> supplier_pb2.SubmitRequest:
        """The CV 4 leg of a critical request, with a fresh counter."""
        return build_request(
            srv,
            user=user,
            target=target,
            cv=4,
            body=body,
            counter=self.next_counter(),
            execute_at=execute_at,
        )

    def read_firmware_version(self, *, user: str, device: str) -> Answer:
        return self.send("11.2", user=user, target=device, cv=1, body={"read_firmware_version": {}})

    def update_firmware(
        self, *, user: str, image: bytes, version: str, devices: list[str]
    ) -> Answer:
        body = {
            "update_firmware": {"image": image, "firmware_version": version, "device_ids": devices}
        }
        return self.send("11.1", user=user, target=ACB_ID, cv=8, body=body)

    def activate_firmware(
        self, *, user: str, device: str, image_hash: bytes, execute_at: datetime | None = None
    ) -> Answer:
        return self.send_critical(
            "11.3",
            user=user,
            target=device,
            body={"activate_firmware": {"firmware_hash": image_hash}},
            execute_at=execute_at,
        )

    def submit_batch(
        self, requests: Iterable[supplier_pb2.SubmitRequest]
    ) -> list[Answer | DccsimError]:
        """Many Service Requests in one call, run in order. Each gets its own outcome: an
        Answer, or the DccsimError a unary Submit would have raised (returned, not raised)."""
        batch = supplier_pb2.SubmitBatchRequest(requests=requests)
        response = self._call(self.supplier.SubmitBatch, batch)
        return [
            Answer.of(result.response) if result.HasField("response") else _refusal(result.error)
            for result in response.results
        ]

    def send_critical_batch(
        self,
        srv: str,
        *,
        user: str,
        targets: Iterable[str],
        body: dict[str, Any],
        execute_at: datetime | None = None,
    ) -> list[Answer | DccsimError]:
        """`send_critical` for many targets in two calls: every CV 4 leg in one batch, then every
        signed leg in another. One outcome per target, in order."""
        firsts = [self._transform_leg(srv, user, target, body, execute_at) for target in targets]
        outcomes = self.submit_batch(firsts)
        signed = {
            index: _signed_leg(first, outcome.message, self.pre_command_signer)
            for index, (first, outcome) in enumerate(zip(firsts, outcomes, strict=True))
            if isinstance(outcome, Answer) and outcome.message.HasField("pre_command")
        }
        for index, outcome in zip(signed, self.submit_batch(signed.values()), strict=True):
            outcomes[index] = outcome
        return outcomes

    # -- deliveries ---------------------------------------------------------------------------

    def deliveries(
        self, user: str, *, after: int = 0, timeout: float | None = None
    ) -> Iterator[supplier_pb2.Delivery]:
        """The user's messages in order, starting after `after`; blocks for new ones."""
        call = self.supplier.Subscribe(
            supplier_pb2.SubscribeRequest(user_id=user, after_sequence=after), timeout=timeout
        )
        try:
            yield from call
        except grpc.RpcError as error:
            if error.code() is grpc.StatusCode.DEADLINE_EXCEEDED:
                return
            raise _translate(error) from None
        finally:
            call.cancel()

    def delivery_batches(
        self, user: str, *, after: int = 0, max_batch: int = 500, timeout: float | None = None
    ) -> Iterator[list[supplier_pb2.Delivery]]:
        """`deliveries`, grouped: each list holds what was already queued, up to `max_batch`."""
        call = self.supplier.SubscribeBatches(
            supplier_pb2.SubscribeBatchesRequest(
                user_id=user, after_sequence=after, max_batch=max_batch
            ),
            timeout=timeout,
        )
        try:
            for batch in call:
                yield list(batch.deliveries)
        except grpc.RpcError as error:
            if error.code() is grpc.StatusCode.DEADLINE_EXCEEDED:
                return
            raise _translate(error) from None
        finally:
            call.cancel()

    def acknowledge(self, user: str, up_to: int) -> int:
        request = supplier_pb2.AcknowledgeRequest(user_id=user, up_to_sequence=up_to)
        return self._call(self.supplier.Acknowledge, request).removed

    # -- control ------------------------------------------------------------------------------

    def load_fleet(self, fleet_yaml: str) -> control_pb2.LoadFleetResponse:
        return self._call(
            self.control.LoadFleet, control_pb2.LoadFleetRequest(fleet_yaml=fleet_yaml)
        )

    def reset(self) -> int:
        """Return the server to its starting fleet; returns how many devices it holds."""
        return self._call(self.control.Reset, control_pb2.ResetRequest()).devices

    def device(self, device_id: str) -> types_pb2.Device:
        return self._call(self.control.GetDevice, control_pb2.GetDeviceRequest(device_id=device_id))

    def devices(
        self, *, status: int = 0, device_type: int = 0, limit: int = 0
    ) -> list[types_pb2.Device]:
        request = control_pb2.ListDevicesRequest(
            status=status, device_type=device_type, limit=limit
        )
        return list(self._call(self.control.ListDevices, request).devices)

    def cpl(self) -> list[types_pb2.CplEntry]:
        return list(self._call(self.control.ListCpl, control_pb2.ListCplRequest()).entries)

    def set_cpl_status(
        self, manufacturer: str, model: str, version: str, status: int
    ) -> control_pb2.PutCplEntryResponse:
        entry = types_pb2.CplEntry(
            manufacturer=manufacturer, model=model, firmware_version=version, status=status
        )
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
        self._call(
            self.control.RemoveFaultRule, control_pb2.RemoveFaultRuleRequest(rule_id=rule_id)
        )

    def fault_rules(self) -> list[control_pb2.FaultRuleEntry]:
        return list(
            self._call(self.control.ListFaultRules, control_pb2.ListFaultRulesRequest()).rules
        )

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
        request = control_pb2.RaiseDeviceAlertRequest(
            device_id=device_id, alert_code=alert_code, integrity_warning=integrity_warning
        )
        if interrupted_at is not None:
            request.interrupted_at.FromDatetime(interrupted_at)
        return self._call(self.control.RaiseDeviceAlert, request)

    def fault_decisions(self) -> list[control_pb2.FaultDecision]:
        request = control_pb2.ListFaultDecisionsRequest()
        return list(self._call(self.control.ListFaultDecisions, request).decisions)

    def clock(self) -> control_pb2.ClockState:
        return self._call(self.control.GetClock, control_pb2.GetClockRequest())

    def advance(self, delta: timedelta) -> control_pb2.ClockState:
        duration = duration_pb2.Duration()
        duration.FromTimedelta(delta)
        return self._call(self.control.SetClock, control_pb2.SetClockRequest(advance=duration))

    def set_clock_rate(self, rate: float) -> control_pb2.ClockState:
        return self._call(self.control.SetClock, control_pb2.SetClockRequest(rate=rate))

    def pre_command_signer(self) -> PreCommandSigner:
        """The signer given, else one holding the Users' DS keys as the simulator exports them
        (the one-shot convenience of REQ-05, signing for real): fetched once, when the first GBCS
        PreCommand needs signing. Needs the control API (SEC-02); pass `signer` where it is
        closed."""
        if self.signer is None:
            keys = {
                owner: load_ds_key(file.pem)
                for owner, files in self.export_keys(no_devices=True)
                if owner
                for file in files
                if file.name == f"{owner.replace('-', '').lower()}-ds.key"
            }
            self.signer = PreCommandSigner(keys)
        return self.signer

    def export_keys(
        self, *, device_ids: list[str] | None = None, no_devices: bool = False
    ) -> Iterator[tuple[str, list[control_pb2.KeyFile]]]:
        """(owner EUI, its PEM files) for the CAs (owner ""), the ACB, each User and each device
        (or only `device_ids`), streamed: a fleet of any size fits."""
        request = control_pb2.ExportKeysRequest(device_ids=device_ids or [], no_devices=no_devices)
        try:
            for response in self.control.ExportKeys(request):
                yield response.owner, list(response.files)
        except grpc.RpcError as error:
            raise _translate(error) from None


class AsyncClient:
    """The asyncio twin of `Client` for Service Requests and deliveries."""

    def __init__(
        self,
        target: str = DEFAULT_TARGET,
        *,
        security: ClientSecurity | None = None,
        signer: PreCommandSigner | None = None,
    ):
        self.channel = open_aio_channel(target, security)
        self.supplier = supplier_pb2_grpc.SupplierServiceStub(self.channel)
        self.control = control_pb2_grpc.ControlServiceStub(self.channel)
        self.next_counter = _Counters()
        self.signer = signer

    def pre_command_signer(self) -> PreCommandSigner:
        if self.signer is None:
            raise MissingSigningKey("a GBCS PreCommand needs the User's DS key: pass signer=")
        return self.signer

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.channel.close()

    async def submit(self, request: supplier_pb2.SubmitRequest) -> Answer:
        try:
            return Answer.of(await self.supplier.Submit(request))
        except grpc.RpcError as error:
            raise _translate(error) from None

    async def send(
        self,
        srv: str,
        *,
        user: str,
        target: str,
        cv: int,
        body: dict[str, Any],
        counter: int | None = None,
        execute_at: datetime | None = None,
    ) -> Answer:
        return await self.submit(
            build_request(
                srv,
                user=user,
                target=target,
                cv=cv,
                body=body,
                counter=counter or self.next_counter(),
                execute_at=execute_at,
            )
        )

    async def send_critical(
        self,
        srv: str,
        *,
        user: str,
        target: str,
        body: dict[str, Any],
        execute_at: datetime | None = None,
    ) -> Answer:
        first = build_request(
            srv,
            user=user,
            target=target,
            cv=4,
            body=body,
            counter=self.next_counter(),
            execute_at=execute_at,
        )
        pre = (await self.submit(first)).message
        if not pre.HasField("pre_command"):
            return Answer.of(pre)
        return await self.submit(_signed_leg(first, pre, self.pre_command_signer))

    async def read_firmware_version(self, *, user: str, device: str) -> Answer:
        return await self.send(
            "11.2", user=user, target=device, cv=1, body={"read_firmware_version": {}}
        )

    async def deliveries(
        self, user: str, *, after: int = 0
    ) -> AsyncIterator[supplier_pb2.Delivery]:
        call = self.supplier.Subscribe(
            supplier_pb2.SubscribeRequest(user_id=user, after_sequence=after)
        )
        try:
            async for delivery in call:
                yield delivery
        except grpc.RpcError as error:
            raise _translate(error) from None
        finally:
            call.cancel()

    async def acknowledge(self, user: str, up_to: int) -> int:
        request = supplier_pb2.AcknowledgeRequest(user_id=user, up_to_sequence=up_to)
        try:
            return (await self.supplier.Acknowledge(request)).removed
        except grpc.RpcError as error:
            raise _translate(error) from None
