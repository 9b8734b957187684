"""The DCC's recovery process (AUTH-08) and Comms Hub links (CPL-04) through the ControlService
and the Python client."""

from __future__ import annotations

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from dccsim.clients.client import Client, InvalidRequest
from dccsim.server.core.journal import EventKind
from dccsim.server.rpc.app import RunningServer
from dccsim.v1 import control_pb2, types_pb2
from tests.conftest import CHF, ESME, GPF, GSME

ACTOR = "dcc-recovery@example"


def _bad_field(error: grpc.RpcError) -> str:
    status = rpc_status.from_call(error)
    assert status is not None
    detail = error_details_pb2.BadRequest()
    assert status.details[0].Unpack(detail)
    return detail.field_violations[0].field


def _get(control, device_id: str) -> types_pb2.Device:
    return control.GetDevice(control_pb2.GetDeviceRequest(device_id=device_id))


@pytest.mark.spec("AUTH-08")
def test_control_api_moves_a_device_into_recovery_and_on_to_recovered(
    server: RunningServer, control
) -> None:
    begun = control.BeginRecovery(
        control_pb2.BeginRecoveryRequest(device_id=ESME.lower(), actor=ACTOR, reason="ticket 7")
    )

    assert (begun.device_id, begun.status, begun.status_before_recovery) == (
        ESME,
        types_pb2.SMI_STATUS_RECOVERY,
        types_pb2.SMI_STATUS_COMMISSIONED,
    )
    assert _get(control, ESME) == begun

    done = control.CompleteRecovery(
        control_pb2.CompleteRecoveryRequest(device_id=ESME, actor=ACTOR, reason="closed")
    )

    assert (done.status, done.status_before_recovery) == (
        types_pb2.SMI_STATUS_RECOVERED,
        types_pb2.SMI_STATUS_COMMISSIONED,
    )
    assert _get(control, ESME) == done
    listed = control.ListDevices(
        control_pb2.ListDevicesRequest(status=types_pb2.SMI_STATUS_RECOVERED)
    ).devices
    assert [d.device_id for d in listed] == [ESME]
    audited = [
        (e.summary, e.details["actor"], e.details["reason"])
        for e in server.host.dsp.journal.events(EventKind.CONTROL)
        if "recovery" in e.summary
    ]
    assert audited == [
        ("recovery begun", ACTOR, "ticket 7"),
        ("recovery completed", ACTOR, "closed"),
    ]


@pytest.mark.spec("AUTH-08", "BAD-01")
def test_control_api_refuses_a_recovery_that_cannot_be_and_changes_nothing(control) -> None:
    before = _get(control, ESME)

    with pytest.raises(grpc.RpcError) as no_actor:
        control.BeginRecovery(control_pb2.BeginRecoveryRequest(device_id=ESME))
    with pytest.raises(grpc.RpcError) as not_in_recovery:
        control.CompleteRecovery(control_pb2.CompleteRecoveryRequest(device_id=ESME, actor=ACTOR))
    with pytest.raises(grpc.RpcError) as unknown:
        control.BeginRecovery(
            control_pb2.BeginRecoveryRequest(device_id="00-00-00-00-00-00-00-01", actor=ACTOR)
        )

    assert no_actor.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert _bad_field(no_actor.value) == "actor"
    assert not_in_recovery.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert _bad_field(not_in_recovery.value) == "device_id"
    assert unknown.value.code() is grpc.StatusCode.NOT_FOUND
    assert _get(control, ESME) == before


@pytest.mark.spec("AUTH-08")
def test_client_runs_the_recovery_process(server: RunningServer) -> None:
    with Client(f"127.0.0.1:{server.port}") as dcc:
        assert dcc.begin_recovery(GSME, actor=ACTOR).status == types_pb2.SMI_STATUS_RECOVERY
        with pytest.raises(InvalidRequest) as again:
            dcc.begin_recovery(GSME, actor=ACTOR)
        recovered = dcc.complete_recovery(GSME, actor=ACTOR, reason="done")

        assert again.value.field == "device_id"
        assert (recovered.status, recovered.status_before_recovery) == (
            types_pb2.SMI_STATUS_RECOVERED,
            types_pb2.SMI_STATUS_COMMISSIONED,
        )
        assert dcc.device(GSME) == recovered


@pytest.mark.spec("CPL-04")
def test_put_device_links_a_gpf_to_its_comms_hub(control) -> None:
    gpf = _get(control, GPF)
    gpf.comms_hub = CHF.lower()

    linked = control.PutDevice(gpf)

    assert linked.comms_hub == CHF
    assert _get(control, GPF).comms_hub == CHF
    removed = control.PutCplEntry(
        types_pb2.CplEntry(
            manufacturer="DCCSIM",
            model="CHF-S2",
            firmware_version="0100",
            status=types_pb2.CPL_STATUS_REMOVED,
        )
    )
    assert removed.devices_suspended == 2
    assert _get(control, GPF).status == types_pb2.SMI_STATUS_SUSPENDED


@pytest.mark.spec("CPL-04", "BAD-01")
def test_put_device_refuses_a_comms_hub_link_that_cannot_be(control) -> None:
    esme = _get(control, ESME)
    esme.comms_hub = CHF

    with pytest.raises(grpc.RpcError) as caught:
        control.PutDevice(esme)

    assert caught.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert _bad_field(caught.value) == "comms_hub"
    assert _get(control, ESME).comms_hub == ""
