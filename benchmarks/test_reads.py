"""pytest-benchmark suite for the meter-data reads (no gRPC): a full 4.8.1 cycle — submit, the
ESME's 48 half-hours worked out from its consumption model, delivery and the user's
acknowledgement — to compare with test_core.py's 11.2 cycle in the same run:

    python -m pytest benchmarks/test_core.py benchmarks/test_reads.py \
        --benchmark-columns=min,median

Target (not asserted: timings depend on the machine): a 4.8.1 cycle within 2x an 11.2 cycle.
"""

from __future__ import annotations

import itertools
from datetime import timedelta

from dccsim.devices.kinds import DeviceType
from dccsim.server.core.dsp import Dsp
from dccsim.server.core.fleet import EXAMPLE_DEVICE_IDS, SUPPLIER_A, example_fleet
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.requests import RequestId, ServiceRequest
from dccsim.server.core.services.reads import ReadActiveImportProfileData

ESME = EXAMPLE_DEVICE_IDS[DeviceType.ESME]


def test_full_4_8_1_cycle(benchmark) -> None:
    """Yesterday's 48 half-hours: submit, device read, delivery, acknowledgement."""
    dsp = Dsp()
    example_fleet().load_into(dsp)
    dsp.advance(timedelta(days=1))
    today = dsp.now().replace(hour=0, minute=0, second=0, microsecond=0)
    body = ReadActiveImportProfileData(today - timedelta(days=1), today)
    counters = itertools.count(1)

    def cycle():
        rid = RequestId(SUPPLIER_A, ESME, next(counters))
        answer = dsp.submit(ServiceRequest(rid, "4.8.1", CommandVariant.NON_CRITICAL_REMOTE, body))
        box = dsp.outbox(SUPPLIER_A)
        box.acknowledge(box.last_sequence)
        return answer

    answer = benchmark(cycle)
    assert answer.code == "I99"
    assert len(dsp.pending(SUPPLIER_A)) == 0
