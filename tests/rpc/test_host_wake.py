"""A change wakes only the streams it concerns: a supplier's request wakes that supplier's
delivery stream, not every other supplier's (with a subscriber per supplier, waking them all on
every request cost more than the requests)."""

from __future__ import annotations

import threading
import time

from dccsim.server.core import commands
from dccsim.server.core.dsp import Dsp
from dccsim.server.core.fleet import NETWORK_OPERATOR
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.requests import ReadFirmwareVersion, RequestId, ServiceRequest
from dccsim.server.runtime.host import STREAM_WAKE_SECONDS, DspHost
from dccsim.server.runtime.queries import outbox_feed
from tests.conftest import ESME, SUPPLIER_A, example_dsp


class Caller:
    def __init__(self) -> None:
        self.active = True

    def is_active(self) -> bool:
        return self.active


class CountingFollower:
    """Follows one user's outbox on its own thread, counting how often it looks."""

    def __init__(self, host: DspHost, user_id: str) -> None:
        self.looks = 0
        self.received: list[int] = []
        self.caller = Caller()

        def fetch(dsp: Dsp, after: int):
            self.looks += 1
            return dsp.pending(user_id, after)

        def run() -> None:
            for entry in host.follow(self.caller, fetch, outbox_feed(user_id).probe, 0):
                self.received.append(entry.sequence)

        self.thread = threading.Thread(target=run)
        self.thread.start()

    def stop(self) -> None:
        self.caller.active = False
        self.thread.join(timeout=5)


def test_a_request_wakes_only_its_own_suppliers_stream() -> None:
    host = DspHost(example_dsp())
    host.start()
    supplier = CountingFollower(host, SUPPLIER_A)
    other = CountingFollower(host, NETWORK_OPERATOR)
    try:
        while other.looks == 0 or supplier.looks == 0:  # both are waiting
            time.sleep(0.001)
        started = time.monotonic()
        for counter in range(1, 41):
            request = ServiceRequest(
                RequestId(SUPPLIER_A, ESME, counter),
                "11.2",
                CommandVariant.NON_CRITICAL_REMOTE,
                ReadFirmwareVersion(),
            )
            assert host.run_one(commands.Submit(request)).code == "I99"
            time.sleep(0.005)  # time for any stream that was woken to look
        while len(supplier.received) < 40:
            time.sleep(0.001)
        elapsed = time.monotonic() - started
    finally:
        host.stop()
        supplier.stop()
        other.stop()
    assert supplier.received == list(range(1, 41))
    # The other stream looked once before the requests, and otherwise only on its periodic
    # check that its client is still there.
    assert other.looks <= 2 + elapsed / STREAM_WAKE_SECONDS
    assert supplier.looks > other.looks
