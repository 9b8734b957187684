"""The gRPC service through a real channel: the MP105 story, streams, errors, health, reflection."""

from __future__ import annotations

import hashlib
import threading

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc
from grpc_status import rpc_status

from dccsim.server.core.faults import FaultAction, FaultRule
from dccsim.server.core.fleet import EXAMPLE_APC_ESME_ID
from dccsim.server.rpc.app import RunningServer
from dccsim.v1 import control_pb2, supplier_pb2, types_pb2
from tests.conftest import ESME, GSME, NETWORK_OPERATOR, SUPPLIER_A, SUPPLIER_B

ACB = "90-B3-D5-1F-30-00-00-02"
IMAGE = b"firmware 0200 over grpc"


def submit(stub, rid: str, srv: str, cv: int, **body) -> supplier_pb2.SubmitResponse:
    return stub.Submit(
        supplier_pb2.SubmitRequest(
            request_id=rid, service_reference_variant=srv, command_variant=cv, **body
        )
    )


def drain(stub, user: str, count: int, after: int = 0) -> list[supplier_pb2.Delivery]:
    """Read exactly `count` deliveries from a fresh subscription, then hang up."""
    call = stub.Subscribe(
        supplier_pb2.SubscribeRequest(user_id=user, after_sequence=after), timeout=10
    )
    received = []
    for delivery in call:
        received.append(delivery)
        if len(received) == count:
            call.cancel()
            break
    return received


def bad_request_field(error: grpc.RpcError) -> str:
    status = rpc_status.from_call(error)
    assert status is not None
    detail = error_details_pb2.BadRequest()
    assert status.details[0].Unpack(detail)
    return detail.field_violations[0].field


@pytest.mark.spec("FW-02", "FW-06", "DEV-07", "ALERT-01", "ALERT-03", "REQ-05")
def test_mp105_story_over_grpc(server: RunningServer, supplier, control) -> None:
    server.host.dsp.faults.add(FaultRule(FaultAction.DROP, srv="11.3"))
    removed = control.PutCplEntry(
        types_pb2.CplEntry(
            manufacturer="DCCSIM",
            model="ESME-S2",
            firmware_version="0100",
            status=types_pb2.CPL_STATUS_REMOVED,
        )
    )
    assert removed.devices_suspended == 1
    assert control.GetDevice(control_pb2.GetDeviceRequest(device_id=ESME)).status == (
        types_pb2.SMI_STATUS_SUSPENDED
    )

    update = supplier_pb2.UpdateFirmware(image=IMAGE, firmware_version="0200", device_ids=[ESME])
    assert (
        submit(supplier, f"{SUPPLIER_A}:{ACB}:1", "11.1", 8, update_firmware=update).response_code
        == "I99"
    )
    activate = supplier_pb2.ActivateFirmware(firmware_hash=hashlib.sha256(IMAGE).digest())
    pre = submit(supplier, f"{SUPPLIER_A}:{ESME}:2", "11.3", 4, activate_firmware=activate)
    assert pre.response_code == "I0" and pre.pre_command.payload
    signed = supplier_pb2.SignedPreCommand(payload=pre.pre_command.payload)
    assert (
        submit(
            supplier, f"{SUPPLIER_A}:{ESME}:2", "11.3", 5, signed_pre_command=signed
        ).response_code
        == "I99"
    )
    assert control.GetDevice(control_pb2.GetDeviceRequest(device_id=ESME)).status == (
        types_pb2.SMI_STATUS_SUSPENDED
    )

    read = supplier_pb2.ReadFirmwareVersion()
    assert (
        submit(
            supplier, f"{SUPPLIER_A}:{ESME}:3", "11.2", 1, read_firmware_version=read
        ).response_code
        == "I99"
    )

    device = control.GetDevice(control_pb2.GetDeviceRequest(device_id=ESME))
    assert (device.status, device.firmware_version) == (types_pb2.SMI_STATUS_COMMISSIONED, "0200")
    deliveries = drain(supplier, SUPPLIER_A, 4)
    kinds = [d.WhichOneof("message") for d in deliveries]
    assert kinds == ["dcc_alert", "device_alert", "service_response", "dcc_alert"]
    assert deliveries[2].service_response.firmware_version_read.firmware_version == "0200"
    assert deliveries[3].dcc_alert.dcc_alert_code == "N29"
    assert [d.dcc_alert.dcc_alert_code for d in drain(supplier, NETWORK_OPERATOR, 1)] == ["N29"]


@pytest.mark.spec("ALERT-03", "REQ-03")
def test_two_suppliers_see_only_their_own_messages(
    server: RunningServer, supplier, control
) -> None:
    # Supplier B takes over the gas meter's MPRN from now on, through the control API.
    control.PutRegistration(
        control_pb2.Registration(
            mpxn="2100000001",
            role=types_pb2.USER_ROLE_GS,
            user_id=SUPPLIER_B,
            start=control.GetClock(control_pb2.GetClockRequest()).now,
        )
    )
    read = supplier_pb2.ReadFirmwareVersion()
    assert (
        submit(
            supplier, f"{SUPPLIER_A}:{ESME}:1", "11.2", 1, read_firmware_version=read
        ).response_code
        == "I99"
    )
    assert (
        submit(
            supplier, f"{SUPPLIER_B}:{GSME}:1", "11.2", 1, read_firmware_version=read
        ).response_code
        == "I99"
    )
    (a,) = drain(supplier, SUPPLIER_A, 1)
    (b,) = drain(supplier, SUPPLIER_B, 1)
    assert a.service_response.device_id == ESME and a.user_id == SUPPLIER_A
    assert b.service_response.device_id == GSME and b.user_id == SUPPLIER_B


@pytest.mark.spec("ALERT-03")
def test_reconnect_resumes_after_the_last_acknowledged_message(
    server: RunningServer, supplier
) -> None:
    read = supplier_pb2.ReadFirmwareVersion()
    for counter in (1, 2, 3):
        submit(supplier, f"{SUPPLIER_A}:{ESME}:{counter}", "11.2", 1, read_firmware_version=read)
    first = drain(supplier, SUPPLIER_A, 2)
    assert [d.sequence for d in first] == [1, 2]
    supplier.Acknowledge(supplier_pb2.AcknowledgeRequest(user_id=SUPPLIER_A, up_to_sequence=2))
    # The client drops and reconnects from what it acknowledged: only message 3 comes back.
    again = drain(supplier, SUPPLIER_A, 1, after=0)
    assert [d.sequence for d in again] == [3]
    assert again[0].service_response.request_id.endswith(":3")


@pytest.mark.spec("ALERT-03")
def test_a_subscriber_waiting_receives_a_message_queued_later(
    server: RunningServer, supplier
) -> None:
    received: list[supplier_pb2.Delivery] = []
    listening = threading.Thread(target=lambda: received.extend(drain(supplier, SUPPLIER_A, 1)))
    listening.start()
    submit(
        supplier,
        f"{SUPPLIER_A}:{ESME}:1",
        "11.2",
        1,
        read_firmware_version=supplier_pb2.ReadFirmwareVersion(),
    )
    listening.join(timeout=10)
    assert [d.service_response.response_code for d in received] == ["I0"]


@pytest.mark.spec("BAD-01", "BAD-02", "REQ-01")
@pytest.mark.parametrize(
    ("request_id", "srv", "cv", "body", "field"),
    [
        ("not-a-request-id", "11.2", 1, {"read_firmware_version": {}}, "request_id"),
        (
            f"90-B3-D5-1F-30-01-00:{ESME}:1",
            "11.2",
            1,
            {"read_firmware_version": {}},
            "request_id.originator",
        ),
        (
            f"{SUPPLIER_A}:{ESME}:1",
            "99.9",
            1,
            {"read_firmware_version": {}},
            "service_reference_variant",
        ),
        (f"{SUPPLIER_A}:{ESME}:1", "11.2", 9, {"read_firmware_version": {}}, "command_variant"),
        (f"{SUPPLIER_A}:{ESME}:1", "11.2", 1, {}, "body"),
        (f"{SUPPLIER_A}:{ESME}:1", "2.2", 1, {"top_up_device": {"utrn": "12"}}, "body.utrn"),
        (
            f"{SUPPLIER_A}:{ACB}:1",
            "11.1",
            8,
            {
                "update_firmware": {
                    "image": b"x" * 7_680_001,
                    "firmware_version": "0200",
                    "device_ids": [ESME],
                }
            },
            "body.image",
        ),
    ],
)
def test_bad_input_is_invalid_argument_naming_the_field_and_changes_nothing(
    server: RunningServer, supplier, request_id, srv, cv, body, field
) -> None:
    before = server.host.dsp.device_record(ESME)
    with pytest.raises(grpc.RpcError) as caught:
        supplier.Submit(
            supplier_pb2.SubmitRequest(
                request_id=request_id, service_reference_variant=srv, command_variant=cv, **body
            )
        )
    assert caught.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert bad_request_field(caught.value) == field
    assert server.host.dsp.device_record(ESME) == before
    assert server.host.dsp.state.outboxes.snapshot() == {}
    # BAD-02: still serving, and no counter was consumed.
    ok = submit(
        supplier,
        f"{SUPPLIER_A}:{ESME}:1",
        "11.2",
        1,
        read_firmware_version=supplier_pb2.ReadFirmwareVersion(),
    )
    assert ok.response_code == "I99"


@pytest.mark.spec("BAD-02")
@pytest.mark.parametrize(
    "payload",
    [
        b"\xff\xff\xff\xff garbage",
        # field 3 (command_variant, a varint) sent as a length-delimited string: a wrong type
        b"\x1a\x04five",
        # field 1 (request_id) claiming 100 bytes but carrying 3
        b"\x0a\x64abc",
    ],
)
def test_garbage_bytes_are_refused_and_the_server_keeps_serving(channel, supplier, payload) -> None:
    raw = channel.unary_unary("/dccsim.v1.SupplierService/Submit")
    with pytest.raises(grpc.RpcError) as caught:
        raw(payload)
    assert caught.value.code() in (grpc.StatusCode.INTERNAL, grpc.StatusCode.INVALID_ARGUMENT)
    ok = submit(
        supplier,
        f"{SUPPLIER_A}:{ESME}:1",
        "11.2",
        1,
        read_firmware_version=supplier_pb2.ReadFirmwareVersion(),
    )
    assert ok.response_code == "I99"


def test_duis_codes_are_data_not_errors(supplier) -> None:
    answer = submit(
        supplier,
        f"{NETWORK_OPERATOR}:{ESME}:1",
        "11.3",
        4,
        activate_firmware=supplier_pb2.ActivateFirmware(firmware_hash=b"\0" * 32),
    )
    assert answer.response_code == "E2"


def test_unknown_user_stream_is_not_found_and_a_missing_body_is_invalid(supplier) -> None:
    with pytest.raises(grpc.RpcError) as caught:
        next(
            iter(
                supplier.Subscribe(
                    supplier_pb2.SubscribeRequest(user_id="90-B3-D5-1F-30-09-09-09"), timeout=5
                )
            )
        )
    assert caught.value.code() is grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.RpcError) as caught:
        submit(supplier, f"{SUPPLIER_A}:{ESME}:1", "4.1.1", 1, no_body={})
    assert caught.value.code() is grpc.StatusCode.INVALID_ARGUMENT  # 4.1.1 takes its own body


def test_concurrent_clients_on_the_same_device_lose_no_request(
    server: RunningServer, supplier
) -> None:
    def reads(first: int) -> list[str]:
        return [
            submit(
                supplier,
                f"{SUPPLIER_A}:{ESME}:{n}",
                "11.2",
                1,
                read_firmware_version=supplier_pb2.ReadFirmwareVersion(),
            ).response_code
            for n in range(first, first + 50)
        ]

    results: list[list[str]] = []
    threads = [
        threading.Thread(target=lambda f=f: results.append(reads(f))) for f in (1, 1001, 2001, 3001)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    codes = [c for batch in results for c in batch]
    # Counters interleave, so some are replays (E1000); every I99 produced exactly one response.
    accepted = codes.count("I99")
    assert accepted >= 50 and set(codes) <= {"I99", "E1000"}
    assert len(server.host.dsp.pending(SUPPLIER_A)) == accepted


def test_reset_returns_to_the_starting_fleet(server: RunningServer, supplier, control) -> None:
    control.PutCplEntry(
        types_pb2.CplEntry(
            manufacturer="DCCSIM",
            model="ESME-S2",
            firmware_version="0100",
            status=types_pb2.CPL_STATUS_REMOVED,
        )
    )
    submit(
        supplier,
        f"{SUPPLIER_A}:{ESME}:7",
        "11.2",
        1,
        read_firmware_version=supplier_pb2.ReadFirmwareVersion(),
    )
    assert control.Reset(control_pb2.ResetRequest()).devices == 7
    device = control.GetDevice(control_pb2.GetDeviceRequest(device_id=ESME))
    assert device.status == types_pb2.SMI_STATUS_COMMISSIONED
    # Emptied; the numbering carries on (SEC-04), so the supplier's box is kept, empty.
    assert not any(server.host.dsp.state.outboxes.snapshot().values())
    # A fresh DSP: counters start again, so the same RequestID is accepted.
    assert (
        submit(
            supplier,
            f"{SUPPLIER_A}:{ESME}:7",
            "11.2",
            1,
            read_firmware_version=supplier_pb2.ReadFirmwareVersion(),
        ).response_code
        == "I99"
    )


def test_control_clock_and_listing(control) -> None:
    state = control.SetClock(control_pb2.SetClockRequest(advance={"seconds": 3600}))
    assert state.now.ToSeconds() == control.GetClock(control_pb2.GetClockRequest()).now.ToSeconds()
    listed = control.ListDevices(
        control_pb2.ListDevicesRequest(device_type=types_pb2.DEVICE_TYPE_ESME)
    )
    assert [d.device_id for d in listed.devices] == [ESME, EXAMPLE_APC_ESME_ID]
    with pytest.raises(grpc.RpcError) as caught:
        control.SetClock(control_pb2.SetClockRequest(rate=-1))
    assert caught.value.code() is grpc.StatusCode.INVALID_ARGUMENT


def test_health_is_serving_and_reflection_lists_the_services(channel) -> None:
    health = health_pb2_grpc.HealthStub(channel)
    for service in ("", "dccsim.v1.SupplierService", "dccsim.v1.ControlService"):
        response = health.Check(health_pb2.HealthCheckRequest(service=service))
        assert response.status == health_pb2.HealthCheckResponse.SERVING
    stub = reflection_pb2_grpc.ServerReflectionStub(channel)
    responses = stub.ServerReflectionInfo(
        iter([reflection_pb2.ServerReflectionRequest(list_services="")])
    )
    names = {s.name for r in responses for s in r.list_services_response.service}
    assert {
        "dccsim.v1.SupplierService",
        "dccsim.v1.ControlService",
        "grpc.health.v1.Health",
    } <= names


@pytest.mark.spec("ALERT-02", "VER-01")
def test_programmed_ecos_failure_raises_n26_over_grpc(
    server: RunningServer, supplier, control
) -> None:
    control.ProgramEcosFailure(
        control_pb2.ProgramEcosFailureRequest(device_id=ESME, ecos_error_code="E01")
    )
    answer = submit(
        supplier,
        f"{SUPPLIER_A}:{ESME}:1",
        "6.23",
        1,
        update_security_credentials_cos={"import_mpxn": "1100000000001"},
    )
    assert answer.response_code == "I99"
    (delivery,) = drain(supplier, SUPPLIER_A, 1)
    alert = delivery.dcc_alert
    assert (alert.dcc_alert_code, alert.change_of_supplier.ecos_error_code) == ("N26", "E01")
    with pytest.raises(grpc.RpcError) as caught:
        control.ProgramEcosFailure(
            control_pb2.ProgramEcosFailureRequest(device_id=ESME, ecos_error_code="E1")
        )
    assert caught.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert bad_request_field(caught.value) == "ecos_error_code"
