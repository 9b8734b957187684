"""The typed API carries what the DUIS documents carry for the part-1 SRVs' asynchronous
messages: a scheduled run's schedule ID, a schedule's removal, a future-dated 6.15.1's outcome."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dccsim.devices.codes import AlertCode, MessageCode
from dccsim.server.core.codes import DccAlertCode, ResponseCode
from dccsim.server.core.messages import (
    DccAlertMessage,
    DeviceAlertMessage,
    ScheduleRemoval,
    ServiceResponse,
)
from dccsim.server.core.outbox import OutboxEntry
from dccsim.server.core.requests import RequestId
from dccsim.server.rpc import convert
from tests.conftest import ESME, SUPPLIER_A

WHEN = datetime(2026, 1, 2, 2, tzinfo=UTC)
RID = RequestId(SUPPLIER_A, ESME, 10_000_001)


def _delivered(message: object):  # -> supplier_pb2.Delivery
    return convert.delivery(OutboxEntry(1, SUPPLIER_A, message))  # type: ignore[arg-type]


@pytest.mark.spec("SRV-04")
def test_a_scheduled_run_carries_its_schedule_id() -> None:
    response = ServiceResponse(
        RID, f"{ESME}:{SUPPLIER_A}:1", "14.1", ResponseCode.I0, ESME, WHEN, None, schedule_id=7
    )
    typed = _delivered(response).service_response
    assert typed.HasField("schedule_id") and typed.schedule_id == 7
    plain = ServiceResponse(RID, "x", "11.2", ResponseCode.I0, ESME, WHEN, None)
    assert not _delivered(plain).service_response.HasField("schedule_id")


@pytest.mark.spec("SRV-04")
def test_a_schedule_removal_is_a_typed_dcc_alert() -> None:
    alert = DccAlertMessage(DccAlertCode.SCHEDULE_REMOVED, ESME, WHEN, ScheduleRemoval(3))
    typed = _delivered(alert).dcc_alert
    assert typed.WhichOneof("body") == "schedule_removal"
    assert typed.schedule_removal.schedule_id == 3


@pytest.mark.spec("SRV-05")
def test_a_future_dated_credentials_alert_carries_its_outcome() -> None:
    from dccsim.devices.credentials import ExecutionOutcome, RemotePartyRole, ReplacementMode

    outcome = ExecutionOutcome(
        authorising_counter=RID.counter,
        mode=next(iter(ReplacementMode)),
        role=RemotePartyRole.SUPPLIER,
        floor_seq_number=5,
        top_up_floor_seq_number=None,
        replacements=(),
    )
    alert = DeviceAlertMessage(
        ESME,
        MessageCode.FUTURE_DATED_SECURITY_CREDENTIALS,
        AlertCode.FUTURE_DATED_COMMAND_ACTIONED,
        WHEN,
        request_id=RID,
        credentials_outcome=outcome,
    )
    typed = _delivered(alert).device_alert
    assert typed.HasField("credentials_outcome")
    assert typed.credentials_outcome.authorising_originator_counter == RID.counter
    assert typed.credentials_outcome.remote_party_role == RemotePartyRole.SUPPLIER.value
    assert typed.credentials_outcome.floor_seq_number == 5
    without = DeviceAlertMessage(ESME, MessageCode(0x00CA), AlertCode(0x8F66), WHEN)
    assert not _delivered(without).device_alert.HasField("credentials_outcome")
