"""The gRPC servicers: translate a call into core commands, run them on the host, translate back."""

from __future__ import annotations

import logging
import queue
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta

import grpc
from google.protobuf.duration_pb2 import Duration

from dccsim.server.core import commands
from dccsim.server.core.dsp import Dsp
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.fleet_file import DEFAULT_MAX_DEVICES, parse_fleet
from dccsim.server.core.messages import SyncAnswer
from dccsim.server.keys.export import export_files
from dccsim.server.keys.factory import smki_role
from dccsim.server.keys.keystore import KeyStore
from dccsim.server.rpc import convert
from dccsim.server.rpc import device_alerts as rpc_device_alerts
from dccsim.server.rpc.errors import (
    acknowledgement_lost_error,
    acknowledgement_lost_status,
    log_refusal,
    submit_error,
    translated_errors,
)
from dccsim.server.rpc.wire import DEVICE_TYPES, SMI_STATUSES, from_timestamp, timestamp
from dccsim.server.runtime.duis_gateway import GbcsForms, RequestRefused
from dccsim.server.runtime.host import REJECTIONS, Batching, DspHost, Rejection
from dccsim.server.runtime.queries import journal_feed, outbox_feed
from dccsim.v1 import control_pb2, control_pb2_grpc, supplier_pb2, supplier_pb2_grpc, types_pb2

log = logging.getLogger("dccsim.rpc")


def known_user(host: DspHost, user_id: str) -> str:
    return host.queries.known_user(user_id)


def acknowledge(
    host: DspHost,
    request: supplier_pb2.AcknowledgeRequest,
    context: grpc.ServicerContext,
    method: str,
) -> supplier_pb2.AcknowledgeResponse:
    """Acknowledge, shared by SupplierService and DuisGateway: one outbox, two wire forms."""
    with translated_errors(context, method):
        user_id = known_user(host, request.user_id)
        removed = host.run_one(commands.Acknowledge(user_id, request.up_to_sequence))
        return supplier_pb2.AcknowledgeResponse(removed=removed)


# Most submissions one SubmitStream round applies, and most results it holds back unsent.
STREAM_BATCH = 1000
DEFAULT_DELIVERY_BATCH = 500
# How a part-full delivery batch waits for more: 2 ms, and while it holds fewer than 16
# messages, up to 10 ms in all. With a subscriber per supplier each one's share of the traffic
# is small, and a message a delivery cost more than the requests: 16 clients as 16 suppliers
# (`dccsim bench --server … --users 16 --clients 16`, unary, state file, one run each) went from
# 2,203 SR/s with 2 ms flat to 2,864 with 10 ms flat, but 10 ms flat cost a single subscriber's
# batch mode 8% (19.9k against 18.2k SR/s; its batches are big at 2 ms already).
DELIVERY_LINGER_SECONDS = 0.002
DELIVERY_FEW = 16
DELIVERY_MOST_LINGER_SECONDS = 0.01


class SupplierService(supplier_pb2_grpc.SupplierServiceServicer):
    def __init__(self, host: DspHost, gbcs: GbcsForms | None = None) -> None:
        self._host = host
        self._gbcs = gbcs  # GBCS-03: the PreCommand in GBCS form, its signed copy checked

    def _submit(self, message: supplier_pb2.SubmitRequest) -> commands.Submit | SyncAnswer:
        """The command for a request, or the answer refusing its signed pre-command."""
        request = convert.service_request(message)
        if self._gbcs is not None:
            try:
                request = self._gbcs.incoming(request)
            except RequestRefused as refusal:
                rid = request.request_id
                return SyncAnswer(rid, request.srv, refusal.code, None, refusal.reason)
        return commands.Submit(request)

    def _outgoing(self, answer: SyncAnswer) -> SyncAnswer:
        return answer if self._gbcs is None else self._gbcs.outgoing(answer)

    def Submit(
        self, request: supplier_pb2.SubmitRequest, context: grpc.ServicerContext
    ) -> supplier_pb2.SubmitResponse:
        with translated_errors(context, "/dccsim.v1.SupplierService/Submit"):
            submit = self._submit(request)
            answer = submit if isinstance(submit, SyncAnswer) else self._host.run_one(submit)
            _log_answer(answer, logging.DEBUG)
            if answer.acknowledgement_lost:
                context.abort_with_status(acknowledgement_lost_status())
            return convert.submit_response(self._outgoing(answer))

    def SubmitBatch(
        self, request: supplier_pb2.SubmitBatchRequest, context: grpc.ServicerContext
    ) -> supplier_pb2.SubmitBatchResponse:
        method = "/dccsim.v1.SupplierService/SubmitBatch"
        # Each item answers for itself; the call fails only for what fails them all (the state
        # file cannot record them: UNAVAILABLE).
        with translated_errors(context, method):
            results, mark = self._submit_all(request.requests, context, method)
            self._host.wait_durable(mark)
            return supplier_pb2.SubmitBatchResponse(results=results)

    def SubmitStream(
        self, request_iterator: Iterator[supplier_pb2.SubmitRequest], context: grpc.ServicerContext
    ) -> Iterator[supplier_pb2.SubmitResult]:
        # Whatever has arrived goes through as one round: a busy stream gets a batch's
        # throughput, an idle one a unary call's latency. Results go out, in order, once their
        # round is durable; while more requests are waiting, they are applied first, so one
        # commit covers several rounds.
        inbox: queue.SimpleQueue[object] = queue.SimpleQueue()
        threading.Thread(
            target=_receive,
            args=(request_iterator, inbox),
            name="dccsim-stream-reader",
            daemon=True,
        ).start()
        unsent: list[supplier_pb2.SubmitResult] = []
        mark = 0
        method = "/dccsim.v1.SupplierService/SubmitStream"
        with translated_errors(context, method):  # the state file failing ends the stream
            while True:
                messages, ended = _next_round(inbox, STREAM_BATCH, block=not unsent)
                if messages:
                    results, mark = self._submit_all(messages, context, method, mark)
                    unsent += results
                if unsent and (ended or len(unsent) >= STREAM_BATCH or inbox.empty()):
                    self._host.wait_durable(mark)
                    yield from unsent
                    unsent = []
                if ended:
                    return

    def _submit_all(
        self,
        messages: Iterable[supplier_pb2.SubmitRequest],
        context: grpc.ServicerContext,
        method: str,
        mark: int = 0,
    ) -> tuple[list[supplier_pb2.SubmitResult], int]:
        """Each message answered on its own, in order; malformed ones change nothing (and the
        first refusal of a round is logged, one line: a round may hold a thousand). Also the
        mark after which the results may be sent (see `DspHost.apply`): `mark`, if nothing was
        recorded."""
        submits: list[commands.Submit | InvalidField | SyncAnswer] = []
        for message in messages:
            try:
                submits.append(self._submit(message))
            except InvalidField as error:
                # Without its traceback: that holds this frame, so `submits` (and every
                # message, a 16 MiB image perhaps) would wait for a full collection (SEC-04).
                submits.append(error.with_traceback(None))
        ran, recorded = self._host.apply([c for c in submits if isinstance(c, commands.Submit)])
        answers = iter(ran)
        outcomes = [next(answers) if isinstance(c, commands.Submit) else c for c in submits]
        if self._gbcs is not None:
            outcomes = [o if isinstance(o, REJECTIONS) else self._outgoing(o) for o in outcomes]
        refused = [o for o in outcomes if isinstance(o, REJECTIONS)]
        if refused:
            log_refusal(context, method, refused[0], also=len(refused) - 1)
        if log.isEnabledFor(logging.DEBUG):  # the tally costs more than building the results
            log.debug("submitted %d in one round: %s", len(outcomes), _tally(outcomes))
            for outcome in ran:
                if not isinstance(outcome, REJECTIONS):
                    _log_answer(outcome, logging.DEBUG)
        return [_submit_result(outcome) for outcome in outcomes], recorded or mark

    def Subscribe(
        self, request: supplier_pb2.SubscribeRequest, context: grpc.ServicerContext
    ) -> Iterator[supplier_pb2.Delivery]:
        with translated_errors(context, "/dccsim.v1.SupplierService/Subscribe"):
            user_id = known_user(self._host, request.user_id)
        log.info("subscribe %s after %d", user_id, request.after_sequence)
        for entries in self._host.follow_feed(
            context, outbox_feed(user_id), request.after_sequence
        ):
            for entry in entries:
                yield convert.delivery(entry)

    def SubscribeBatches(
        self, request: supplier_pb2.SubscribeBatchesRequest, context: grpc.ServicerContext
    ) -> Iterator[supplier_pb2.DeliveryBatch]:
        with translated_errors(context, "/dccsim.v1.SupplierService/SubscribeBatches"):
            user_id = known_user(self._host, request.user_id)
        limit = request.max_batch or DEFAULT_DELIVERY_BATCH
        log.info("subscribe %s after %d in batches of %d", user_id, request.after_sequence, limit)
        for entries in self._host.follow_feed(
            context,
            outbox_feed(user_id, limit),
            request.after_sequence,
            Batching(limit, DELIVERY_LINGER_SECONDS, DELIVERY_FEW, DELIVERY_MOST_LINGER_SECONDS),
        ):
            batch = supplier_pb2.DeliveryBatch()
            add = batch.deliveries.add
            for entry in entries:
                convert.delivery(entry, into=add())
            yield batch

    def Acknowledge(
        self, request: supplier_pb2.AcknowledgeRequest, context: grpc.ServicerContext
    ) -> supplier_pb2.AcknowledgeResponse:
        return acknowledge(self._host, request, context, "/dccsim.v1.SupplierService/Acknowledge")


def _timedelta(duration: Duration) -> timedelta:
    try:
        return duration.ToTimedelta()
    except OverflowError:
        raise InvalidField("advance", "longer than virtual time can go") from None


def _log_answer(answer: SyncAnswer, level: int) -> None:
    if not log.isEnabledFor(level):
        return
    if answer.acknowledgement_lost:
        log.log(level, "submit %s: acknowledgement lost (fault injection)", answer.request_id)
    log.log(level, "submit %s SRV %s -> %s", answer.request_id, answer.srv, answer.code)


def _submit_result(outcome: SyncAnswer | Rejection) -> supplier_pb2.SubmitResult:
    if isinstance(outcome, REJECTIONS):
        return supplier_pb2.SubmitResult(error=submit_error(outcome))
    if outcome.acknowledgement_lost:
        return supplier_pb2.SubmitResult(error=acknowledgement_lost_error())
    result = supplier_pb2.SubmitResult()
    convert.submit_response(outcome, into=result.response)
    return result


def _tally(outcomes: Iterable[SyncAnswer | Rejection]) -> str:
    counts = Counter(
        type(o).__name__ if isinstance(o, REJECTIONS) else str(o.code) for o in outcomes
    )
    return ", ".join(f"{name} x{count}" for name, count in counts.most_common())


_END = object()  # what the stream reader puts in the inbox when the client has finished


def _receive(iterator: Iterator[object], inbox: queue.SimpleQueue[object]) -> None:
    """Keep receiving a request stream while its rounds run."""
    try:
        for message in iterator:
            inbox.put(message)
    except grpc.RpcError:  # the client went away; the stream ends
        pass
    finally:
        inbox.put(_END)


def _next_round(
    inbox: queue.SimpleQueue[object], most: int, *, block: bool
) -> tuple[list[supplier_pb2.SubmitRequest], bool]:
    """Take what has arrived, up to `most` requests (blocking for the first one if `block`),
    and whether the stream has ended."""
    messages: list[supplier_pb2.SubmitRequest] = []
    try:
        item = inbox.get(block)
        while item is not _END:
            assert isinstance(item, supplier_pb2.SubmitRequest)  # all _receive puts but _END
            messages.append(item)
            if len(messages) == most:
                return messages, False
            item = inbox.get_nowait()
    except queue.Empty:
        return messages, False
    return messages, True


class ControlService(control_pb2_grpc.ControlServiceServicer):
    def __init__(
        self,
        host: DspHost,
        *,
        dsp_factory: Callable[[], Dsp],
        keystore: KeyStore | None = None,
        max_fleet_devices: int = DEFAULT_MAX_DEVICES,
    ) -> None:
        self._host = host
        self._queries = host.queries
        self._dsp_factory = dsp_factory
        self._keystore = keystore
        self._max_fleet_devices = max_fleet_devices

    def ExportKeys(
        self, request: control_pb2.ExportKeysRequest, context: grpc.ServicerContext
    ) -> Iterator[control_pb2.ExportKeysResponse]:
        if self._keystore is None:
            context.abort(grpc.StatusCode.FAILED_PRECONDITION, "this server has no keystore")
        with translated_errors(context, "/dccsim.v1.ControlService/ExportKeys"):
            # Copies of the IDs: the keys are made without holding the host.
            named = self._queries.device_ids(request.device_ids) if request.device_ids else ()
            devices = [] if request.no_devices else list(named or self._queries.device_ids())
            users = {uid: smki_role(roles) for uid, roles in self._queries.user_roles().items()}
            for user_id, role in users.items():  # a User added while running gets its keys
                self._keystore.register(user_id, role)
        for owner, files in export_files(self._keystore, users, devices):
            if not context.is_active():
                return
            yield control_pb2.ExportKeysResponse(
                owner=owner, files=[control_pb2.KeyFile(name=f.name, pem=f.data) for f in files]
            )

    def LoadFleet(
        self, request: control_pb2.LoadFleetRequest, context: grpc.ServicerContext
    ) -> control_pb2.LoadFleetResponse:
        with translated_errors(context, "/dccsim.v1.ControlService/LoadFleet"):
            # Parsed fully (and its size bounded, SEC-04) before anything changes.
            fleet = parse_fleet(request.fleet_yaml, max_devices=self._max_fleet_devices)
            dsp = self._dsp_factory()
            fleet.load_into(dsp)
            self._host.replace(dsp)  # a new starting point: the state file snapshots it
            log.info("fleet loaded: %d devices", len(fleet.devices))
            return control_pb2.LoadFleetResponse(
                users=len(fleet.users),
                registrations=len(fleet.registrations),
                cpl_entries=len(fleet.cpl),
                devices=len(fleet.devices),
            )

    def Reset(
        self, request: control_pb2.ResetRequest, context: grpc.ServicerContext
    ) -> control_pb2.ResetResponse:
        self._host.replace(self._dsp_factory())
        devices = self._queries.device_count()
        log.info("reset to the starting fleet: %d devices", devices)
        return control_pb2.ResetResponse(devices=devices)

    def PutUser(self, request: types_pb2.User, context: grpc.ServicerContext) -> types_pb2.User:
        with translated_errors(context, "/dccsim.v1.ControlService/PutUser"):
            user = convert.user(request)
            self._host.run_one(commands.AddUser(user))
            return convert.user_message(user)

    def PutReceiveUrl(
        self, request: control_pb2.PutReceiveUrlRequest, context: grpc.ServicerContext
    ) -> control_pb2.PutReceiveUrlResponse:
        with translated_errors(context, "/dccsim.v1.ControlService/PutReceiveUrl"):
            user = self._host.run_one(commands.SetReceiveUrl(request.user_id, request.url))
            log.info("receive response service address of %s: %s", user.user_id, user.receive_url)
            return control_pb2.PutReceiveUrlResponse(user_id=user.user_id, url=user.receive_url)

    def PutRegistration(
        self, request: control_pb2.Registration, context: grpc.ServicerContext
    ) -> control_pb2.Registration:
        with translated_errors(context, "/dccsim.v1.ControlService/PutRegistration"):
            self._host.run_one(commands.AddRegistration(convert.registration(request)))
            return request

    def PutDevice(
        self, request: types_pb2.Device, context: grpc.ServicerContext
    ) -> types_pb2.Device:
        with translated_errors(context, "/dccsim.v1.ControlService/PutDevice"):
            record = self._host.run_one(commands.AddDevice(convert.smi_record(request)))
            return convert.device(record)

    def GetDevice(
        self, request: control_pb2.GetDeviceRequest, context: grpc.ServicerContext
    ) -> types_pb2.Device:
        with translated_errors(context, "/dccsim.v1.ControlService/GetDevice"):
            return convert.device(self._queries.device(request.device_id))

    def ListDevices(
        self, request: control_pb2.ListDevicesRequest, context: grpc.ServicerContext
    ) -> control_pb2.ListDevicesResponse:
        with translated_errors(context, "/dccsim.v1.ControlService/ListDevices"):
            records = self._queries.devices(
                status=SMI_STATUSES.to_core(request.status, "status", required=False),
                device_type=DEVICE_TYPES.to_core(
                    request.device_type, "device_type", required=False
                ),
                limit=request.limit,
            )
            return control_pb2.ListDevicesResponse(devices=[convert.device(r) for r in records])

    def PutCplEntry(
        self, request: types_pb2.CplEntry, context: grpc.ServicerContext
    ) -> control_pb2.PutCplEntryResponse:
        with translated_errors(context, "/dccsim.v1.ControlService/PutCplEntry"):
            entry = convert.cpl_entry(request)
            suspended = self._host.run_one(commands.PutCplEntry(entry))
            return control_pb2.PutCplEntryResponse(
                entry=convert.cpl_message(entry), devices_suspended=suspended
            )

    def ListCpl(
        self, request: control_pb2.ListCplRequest, context: grpc.ServicerContext
    ) -> control_pb2.ListCplResponse:
        entries = [convert.cpl_message(e) for e in self._queries.cpl_entries()]
        return control_pb2.ListCplResponse(entries=entries)

    def RestoreDevice(
        self, request: control_pb2.RestoreDeviceRequest, context: grpc.ServicerContext
    ) -> types_pb2.Device:
        with translated_errors(context, "/dccsim.v1.ControlService/RestoreDevice"):
            record = self._host.run_one(
                commands.RestoreDevice(request.device_id, request.actor, request.reason)
            )
            return convert.device(record)

    def BeginRecovery(
        self, request: control_pb2.BeginRecoveryRequest, context: grpc.ServicerContext
    ) -> types_pb2.Device:
        with translated_errors(context, "/dccsim.v1.ControlService/BeginRecovery"):
            record = self._host.run_one(
                commands.BeginRecovery(request.device_id, request.actor, request.reason)
            )
            return convert.device(record)

    def CompleteRecovery(
        self, request: control_pb2.CompleteRecoveryRequest, context: grpc.ServicerContext
    ) -> types_pb2.Device:
        with translated_errors(context, "/dccsim.v1.ControlService/CompleteRecovery"):
            record = self._host.run_one(
                commands.CompleteRecovery(request.device_id, request.actor, request.reason)
            )
            return convert.device(record)

    def ProgramEcosFailure(
        self, request: control_pb2.ProgramEcosFailureRequest, context: grpc.ServicerContext
    ) -> control_pb2.ProgramEcosFailureResponse:
        with translated_errors(context, "/dccsim.v1.ControlService/ProgramEcosFailure"):
            self._host.run_one(
                commands.ProgramEcosFailure(request.device_id, request.ecos_error_code)
            )
            return control_pb2.ProgramEcosFailureResponse()

    def RaiseDeviceAlert(
        self, request: control_pb2.RaiseDeviceAlertRequest, context: grpc.ServicerContext
    ) -> control_pb2.RaiseDeviceAlertResponse:
        with translated_errors(context, "/dccsim.v1.ControlService/RaiseDeviceAlert"):
            command = rpc_device_alerts.raise_device_alert(request)
            recipients = self._host.run_one(command)
            return rpc_device_alerts.raised(command, recipients)

    def GetClock(
        self, request: control_pb2.GetClockRequest, context: grpc.ServicerContext
    ) -> control_pb2.ClockState:
        return self._clock_state()

    def SetClock(
        self, request: control_pb2.SetClockRequest, context: grpc.ServicerContext
    ) -> control_pb2.ClockState:
        with translated_errors(context, "/dccsim.v1.ControlService/SetClock"):
            command: commands.Advance | commands.SetClockRate | commands.AdvanceTo
            match request.WhichOneof("change"):
                case "advance":
                    command = commands.Advance(_timedelta(request.advance))
                case "rate":
                    command = commands.SetClockRate(request.rate)
                case "set_to":
                    command = commands.AdvanceTo(from_timestamp(request.set_to, "set_to"))
                case _:
                    raise InvalidField("change", "say how to change the clock")
            self._host.run_one(command)
            return self._clock_state()

    def _clock_state(self) -> control_pb2.ClockState:
        clock = self._queries.clock()
        return control_pb2.ClockState(
            now=timestamp(clock.now),
            rate=clock.rate,
            pending_actions=clock.pending_actions,
        )

    def StreamEvents(
        self, request: control_pb2.StreamEventsRequest, context: grpc.ServicerContext
    ) -> Iterator[control_pb2.Event]:
        start = self._queries.last_event()
        for events in self._host.follow_feed(context, journal_feed(), start):
            for event in events:
                yield convert.event(event)

    def AddFaultRule(
        self, request: control_pb2.FaultRule, context: grpc.ServicerContext
    ) -> control_pb2.FaultRuleEntry:
        with translated_errors(context, "/dccsim.v1.ControlService/AddFaultRule"):
            rule = convert.fault_rule(request)
            rule_id = self._host.run_one(commands.AddFaultRule(rule))
            log.info("fault rule %d added: %s", rule_id, rule)
            return convert.fault_rule_entry(rule_id, rule)

    def ListFaultRules(
        self, request: control_pb2.ListFaultRulesRequest, context: grpc.ServicerContext
    ) -> control_pb2.ListFaultRulesResponse:
        rules = self._queries.fault_rules()
        return control_pb2.ListFaultRulesResponse(
            rules=[convert.fault_rule_entry(rule_id, rule) for rule_id, rule in rules.items()]
        )

    def RemoveFaultRule(
        self, request: control_pb2.RemoveFaultRuleRequest, context: grpc.ServicerContext
    ) -> control_pb2.RemoveFaultRuleResponse:
        with translated_errors(context, "/dccsim.v1.ControlService/RemoveFaultRule"):
            self._host.run_one(commands.RemoveFaultRule(request.rule_id))
            log.info("fault rule %d removed", request.rule_id)
            return control_pb2.RemoveFaultRuleResponse()

    def ListFaultDecisions(
        self, request: control_pb2.ListFaultDecisionsRequest, context: grpc.ServicerContext
    ) -> control_pb2.ListFaultDecisionsResponse:
        return control_pb2.ListFaultDecisionsResponse(
            decisions=[convert.fault_decision(d) for d in self._queries.fault_decisions()]
        )
