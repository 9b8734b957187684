"""The gRPC servicers: translate, call the core under the host's lock, translate back."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import grpc

from dccsim.server.core.dsp import Dsp
from dccsim.server.core.errors import InvalidField, NotFound
from dccsim.server.core.eui import parse_eui64
from dccsim.server.core.fleet_file import parse_fleet
from dccsim.server.rpc import convert
from dccsim.server.rpc.errors import translated_errors
from dccsim.server.rpc.host import DspHost
from dccsim.v1 import control_pb2, control_pb2_grpc, supplier_pb2, supplier_pb2_grpc

log = logging.getLogger("dccsim.rpc")


def known_user(host: DspHost, user_id: str) -> str:
    canonical = parse_eui64(user_id, "user_id")
    with host.lock:
        if canonical not in host.dsp.state.users:
            raise NotFound("user", canonical)
    return canonical


def acknowledge(host: DspHost, request, context) -> supplier_pb2.AcknowledgeResponse:
    """Acknowledge, shared by SupplierService and DuisGateway: one outbox, two wire forms."""
    with translated_errors(context):
        user_id = known_user(host, request.user_id)
        with host.lock:
            removed = host.dsp.acknowledge(user_id, request.up_to_sequence)
        return supplier_pb2.AcknowledgeResponse(removed=removed)


class SupplierService(supplier_pb2_grpc.SupplierServiceServicer):
    def __init__(self, host: DspHost) -> None:
        self._host = host

    def Submit(self, request, context):
        with translated_errors(context):
            service_request = convert.service_request(request)
            with self._host.lock:
                answer = self._host.dsp.submit(service_request)
            if answer.acknowledgement_lost:
                log.info("submit %s: acknowledgement lost (fault injection)", answer.request_id)
                context.abort(grpc.StatusCode.UNAVAILABLE, "acknowledgement lost (fault injection)")
            log.info(
                "submit %s SRV %s CV %d -> %s",
                answer.request_id,
                answer.srv,
                service_request.command_variant,
                answer.code,
            )
            return convert.submit_response(answer)

    def Subscribe(self, request, context) -> Iterator[supplier_pb2.Delivery]:
        with translated_errors(context):
            user_id = known_user(self._host, request.user_id)
        log.info("subscribe %s after %d", user_id, request.after_sequence)
        for entry in self._host.follow(
            context, lambda dsp, after: dsp.pending(user_id, after), request.after_sequence
        ):
            yield convert.delivery(entry)

    def Acknowledge(self, request, context):
        return acknowledge(self._host, request, context)


class ControlService(control_pb2_grpc.ControlServiceServicer):
    def __init__(self, host: DspHost, *, dsp_factory: Callable[[], Dsp]) -> None:
        self._host = host
        self._dsp_factory = dsp_factory

    @property
    def _dsp(self) -> Dsp:
        return self._host.dsp

    def LoadFleet(self, request, context):
        with translated_errors(context):
            fleet = parse_fleet(request.fleet_yaml)  # parse fully before anything changes
            dsp = self._dsp_factory()
            fleet.load_into(dsp)
            self._host.replace(dsp)
            log.info("fleet loaded: %d devices", len(fleet.devices))
            return control_pb2.LoadFleetResponse(
                users=len(fleet.users),
                registrations=len(fleet.registrations),
                cpl_entries=len(fleet.cpl),
                devices=len(fleet.devices),
            )

    def Reset(self, request, context):
        dsp = self._dsp_factory()
        self._host.replace(dsp)
        log.info("reset to the starting fleet: %d devices", len(dsp.state.smi))
        return control_pb2.ResetResponse(devices=len(dsp.state.smi))

    def PutUser(self, request, context):
        with translated_errors(context):
            user = convert.user(request)
            with self._host.lock:
                self._dsp.add_user(user)
            return convert.user_message(user)

    def PutRegistration(self, request, context):
        with translated_errors(context):
            registration = convert.registration(request)
            with self._host.lock:
                self._dsp.add_registration(registration)
            return request

    def PutDevice(self, request, context):
        with translated_errors(context):
            record = convert.smi_record(request)
            with self._host.lock:
                self._dsp.add_device(record)
                return convert.device(self._dsp.device_record(record.device_id))

    def GetDevice(self, request, context):
        with translated_errors(context), self._host.lock:
            return convert.device(self._dsp.device_record(request.device_id))

    def ListDevices(self, request, context):
        with translated_errors(context):
            status = convert.SMI_STATUSES.to_core(request.status, "status", required=False)
            device_type = convert.DEVICE_TYPES.to_core(
                request.device_type, "device_type", required=False
            )
            with self._host.lock:
                records = [
                    r
                    for r in self._dsp.state.smi
                    if (status is None or r.status is status)
                    and (device_type is None or r.device_type is device_type)
                ]
            if request.limit:
                records = records[: request.limit]
            return control_pb2.ListDevicesResponse(devices=[convert.device(r) for r in records])

    def PutCplEntry(self, request, context):
        with translated_errors(context):
            entry = convert.cpl_entry(request)
            with self._host.lock:
                suspended = self._dsp.put_cpl_entry(entry)
            return control_pb2.PutCplEntryResponse(
                entry=convert.cpl_message(entry), devices_suspended=suspended
            )

    def ListCpl(self, request, context):
        with self._host.lock:
            entries = [convert.cpl_message(e) for e in self._dsp.state.cpl]
        return control_pb2.ListCplResponse(entries=entries)

    def RestoreDevice(self, request, context):
        with translated_errors(context):
            with self._host.lock:
                record = self._dsp.restore_device(
                    request.device_id, actor=request.actor, reason=request.reason
                )
            return convert.device(record)

    def ProgramEcosFailure(self, request, context):
        with translated_errors(context), self._host.lock:
            self._dsp.program_ecos_failure(request.device_id, request.ecos_error_code)
            return control_pb2.ProgramEcosFailureResponse()

    def GetClock(self, request, context):
        with self._host.lock:
            return self._clock_state()

    def SetClock(self, request, context):
        with translated_errors(context), self._host.lock:
            match request.WhichOneof("change"):
                case "advance":
                    self._dsp.advance(request.advance.ToTimedelta())
                case "rate":
                    self._dsp.set_clock_rate(request.rate)
                case "set_to":
                    self._dsp.advance_to(convert.from_timestamp(request.set_to))
                case _:
                    raise InvalidField("change", "say how to change the clock")
            return self._clock_state()

    def _clock_state(self) -> control_pb2.ClockState:
        return control_pb2.ClockState(
            now=convert.timestamp(self._dsp.now()),
            rate=self._dsp.clock.rate,
            pending_actions=len(self._dsp.state.scheduler),
        )

    def StreamEvents(self, request, context) -> Iterator[control_pb2.Event]:
        with self._host.lock:
            start = self._dsp.journal.last_sequence
        for event in self._host.follow(context, lambda dsp, after: dsp.journal.since(after), start):
            yield convert.event(event)

    def AddFaultRule(self, request, context):
        with translated_errors(context):
            rule = convert.fault_rule(request)
            with self._host.lock:
                rule_id = self._dsp.faults.add(rule)
            log.info("fault rule %d added: %s", rule_id, rule)
            return convert.fault_rule_entry(rule_id, rule)

    def ListFaultRules(self, request, context):
        with self._host.lock:
            rules = self._dsp.faults.rules()
        return control_pb2.ListFaultRulesResponse(
            rules=[convert.fault_rule_entry(rule_id, rule) for rule_id, rule in rules.items()]
        )

    def RemoveFaultRule(self, request, context):
        with translated_errors(context), self._host.lock:
            try:
                self._dsp.faults.remove(request.rule_id)
            except KeyError:
                raise NotFound("fault rule", str(request.rule_id)) from None
            log.info("fault rule %d removed", request.rule_id)
            return control_pb2.RemoveFaultRuleResponse()

    def ListFaultDecisions(self, request, context):
        with self._host.lock:
            decisions = list(self._dsp.faults.decisions)
        return control_pb2.ListFaultDecisionsResponse(
            decisions=[convert.fault_decision(d) for d in decisions]
        )
