"""The hand-written shortcuts in the wire conversion give exactly what protobuf's own way gives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.requests import ReadFirmwareVersion, RequestId, ServiceRequest
from dccsim.server.rpc import convert
from dccsim.v1 import supplier_pb2
from tests.conftest import ESME, SUPPLIER_A, example_dsp


@pytest.mark.parametrize(
    "when",
    [
        datetime(1970, 1, 1, tzinfo=UTC),
        datetime(2026, 11, 21, 9, 40, 12, 345_678, tzinfo=UTC),
        datetime(1969, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),  # nanos stay non-negative
        datetime(1, 1, 1, tzinfo=UTC),
        datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
        datetime(2026, 6, 1, 12, 0, 0, 1, tzinfo=timezone(timedelta(hours=-5, minutes=-30))),
        datetime(2026, 6, 1, 12, 0, 0, 1),  # naive: taken as UTC, as FromDatetime does
    ],
)
def test_a_timestamp_is_what_from_datetime_makes(when: datetime) -> None:
    expected = Timestamp()
    expected.FromDatetime(when)
    assert convert.timestamp(when) == expected


def test_answers_and_deliveries_filled_in_place_equal_new_ones() -> None:
    dsp = example_dsp()
    request = ServiceRequest(
        RequestId(SUPPLIER_A, ESME, 1), "11.2", CommandVariant(1), ReadFirmwareVersion()
    )
    answer = dsp.submit(request)
    (entry,) = dsp.pending(SUPPLIER_A)

    result = supplier_pb2.SubmitResult()
    convert.submit_response(answer, into=result.response)
    assert result == supplier_pb2.SubmitResult(response=convert.submit_response(answer))
    assert result.response.response_code == "I99"

    batch = supplier_pb2.DeliveryBatch()
    convert.delivery(entry, into=batch.deliveries.add())
    assert batch == supplier_pb2.DeliveryBatch(deliveries=[convert.delivery(entry)])
    assert batch.deliveries[0].service_response.firmware_version_read.firmware_version


_ACB = "90-B3-D5-1F-30-00-00-02"


@pytest.mark.spec("SRV-01", "SRV-04")
@pytest.mark.parametrize(
    ("srv", "field", "message", "expected"),
    [
        (
            "8.3",
            "decommission_device",
            supplier_pb2.DecommissionDevice(device_id=ESME),
            "DecommissionDevice(device_id='00-DB-12-34-56-78-90-A0')",
        ),
        (
            "12.2",
            "device_prenotification",
            supplier_pb2.DevicePrenotification(
                device_id="00-DB-12-34-56-78-91-00",
                manufacturer="AB01",
                model="0A0B",
                device_type=1,
                esme_variant="A",
            ),
            "DevicePrenotification(device_id='00-DB-12-34-56-78-91-00', manufacturer='AB01', "
            "model='0A0B', device_type=<DeviceType.ESME: 'ESME'>, smets=<SmetsVersion.SMETS2: "
            "'SMETS2'>, firmware_version=None, esme_variant='A')",
        ),
        (
            "8.14.1",
            "hub_installed",
            supplier_pb2.HubInstalled(
                device_id="00-DB-12-34-56-78-90-A2", install_type="New", mpxn="1", location="Loft"
            ),
            "HubInstalled(device_id='00-DB-12-34-56-78-90-A2', install_type='New', mpxn='1', "
            "location='Loft')",
        ),
        (
            "8.14.4",
            "hub_returned",
            supplier_pb2.HubReturned(device_id="00-DB-12-34-56-78-90-A2", return_type="General"),
            "HubReturned(device_id='00-DB-12-34-56-78-90-A2', return_type='General', reason=None)",
        ),
    ],
)
def test_every_new_dsp_body_converts_to_its_core_body(
    srv: str, field: str, message: object, expected: str
) -> None:
    request = supplier_pb2.SubmitRequest(
        request_id=f"{SUPPLIER_A}:{_ACB}:1", service_reference_variant=srv, command_variant=8
    )
    getattr(request, field).CopyFrom(message)
    body = convert.service_request(request).body
    assert repr(body) == expected
    answer = example_dsp().submit(convert.service_request(request))
    assert answer.code in ("I99", "E120201", "E080302")  # answered, not UNIMPLEMENTED
