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
