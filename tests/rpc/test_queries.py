"""The runtime's named queries: what the transports read, as values that cannot change."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dccsim.devices.kinds import DeviceType
from dccsim.server.core import commands
from dccsim.server.core.errors import InvalidField, NotFound
from dccsim.server.core.faults import FaultAction, FaultRule, FaultStage
from dccsim.server.core.records import CplEntry, CplStatus, SmiStatus
from dccsim.server.runtime.host import DspHost
from dccsim.server.runtime.queries import journal_feed, outbox_feed
from tests.conftest import ESME, GSME, SUPPLIER_A, example_dsp


@pytest.fixture
def host() -> DspHost:
    return DspHost(example_dsp())


def test_users_are_checked_and_canonical(host: DspHost) -> None:
    queries = host.queries
    assert queries.known_user(SUPPLIER_A.lower()) == SUPPLIER_A
    with pytest.raises(NotFound):
        queries.known_user("90-B3-D5-1F-30-09-09-09")
    with pytest.raises(InvalidField) as caught:
        queries.known_user("nobody")
    assert caught.value.field == "user_id"
    assert SUPPLIER_A in {u.user_id for u in queries.users()}
    assert [u.user_id for u in queries.users()] == sorted(u.user_id for u in queries.users())
    assert queries.user_roles()[SUPPLIER_A] == host.dsp.state.users[SUPPLIER_A].roles
    assert queries.next_counter(SUPPLIER_A, ESME) == 1


def test_devices_filter_and_limit_in_smi_order(host: DspHost) -> None:
    queries = host.queries
    everything = queries.devices()
    assert isinstance(everything, tuple)
    assert len(everything) == queries.device_count() == len(host.dsp.state.smi)
    assert [r.device_id for r in queries.devices(device_type=DeviceType.GSME)] == [GSME]
    assert len(queries.devices(limit=2)) == 2
    assert queries.devices(status=SmiStatus.SUSPENDED) == ()
    assert queries.device(ESME.lower()).device_id == ESME
    assert queries.has_device(ESME.lower())
    assert not queries.has_device("00-DB-12-34-56-78-99-99")
    assert not queries.has_device("not an EUI")
    with pytest.raises(NotFound):
        queries.device("00-DB-12-34-56-78-99-99")


def test_device_ids_check_the_named_and_default_to_all(host: DspHost) -> None:
    queries = host.queries
    assert queries.device_ids([ESME.lower()]) == (ESME,)
    assert set(queries.device_ids()) == {r.device_id for r in host.dsp.state.smi}
    with pytest.raises(NotFound):
        queries.device_ids([ESME, "00-DB-12-34-56-78-99-99"])
    with pytest.raises(InvalidField) as caught:
        queries.device_ids(["nope"])
    assert caught.value.field == "device_ids"


def test_what_a_query_returned_does_not_move_with_the_dsp(host: DspHost) -> None:
    queries = host.queries
    cpl_before = queries.cpl_entries()
    clock_before = queries.clock()
    rules_before = queries.fault_rules()
    record = queries.device(ESME)
    host.run_one(
        commands.PutCplEntry(
            CplEntry(record.manufacturer, record.model, record.firmware_version, CplStatus.REMOVED)
        )
    )
    host.run_one(commands.Advance(timedelta(hours=1)))
    host.run_one(commands.AddFaultRule(FaultRule(FaultAction.DROP, FaultStage.DEVICE_RESPONSE)))
    assert queries.cpl_entries() != cpl_before
    assert queries.clock().now == clock_before.now + timedelta(hours=1)
    assert len(queries.fault_rules()) == len(rules_before) + 1
    assert queries.device(ESME).status is SmiStatus.SUSPENDED
    assert record.status is SmiStatus.COMMISSIONED  # the earlier answer is as it was
    assert queries.last_event() >= 1
    everything = queries.events_since(0, most=10_000)
    assert queries.events_since(0, most=2) == everything[:2]
    assert queries.latest_events(2) == everything[-2:]
    assert queries.fault_decisions() == ()


def _journal_something(host: DspHost) -> None:
    host.run_one(commands.PutCplEntry(CplEntry("M", "X", "01")))  # journalled


def test_events_since_a_sequence_beyond_the_journal_reads_from_its_start(host: DspHost) -> None:
    _journal_something(host)
    last = host.queries.last_event()
    assert host.queries.events_since(last + 100, most=1000) == host.queries.events_since(0, 1000)
    assert len(host.queries.events_since(0, most=1)) == 1


def test_the_feeds_read_and_probe_what_their_streams_follow(host: DspHost) -> None:
    outbox = outbox_feed(SUPPLIER_A, limit=1)
    journal = journal_feed()
    with host.lock:
        assert outbox.fetch(host.dsp, 0) == []
        assert outbox.probe(host.dsp) == 0
        seen = journal.probe(host.dsp)
    _journal_something(host)
    with host.lock:
        assert journal.probe(host.dsp) > seen
        assert journal.fetch(host.dsp, seen)
