"""What the console shows, read through the host's named queries (`DspHost.queries`).

Each read copies what it needs under the host's lock (a tuple of the fleet's records is a copy
of references; records are frozen and replaced, never changed), then filters and counts outside
it, so a page over a million devices does not hold up the requests. Every call blocks: the
handlers run them in worker threads, never on the event loop.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dccsim.server.core.codes import DccAlertCode
from dccsim.server.core.faults import FaultDecision, FaultRule
from dccsim.server.core.journal import Event, EventKind
from dccsim.server.core.records import CplEntry, CplStatus, SmiRecord, User
from dccsim.server.runtime.host import DspHost
from dccsim.server.runtime.queries import ClockView, journal_feed

# The most rows a fleet page shows; the rest are a "next" link away.
PAGE_SIZE = 100
# The most events the log sends at once (the page, or one message of the live stream).
EVENTS_PER_READ = 500
# How far back the campaign page looks in the journal for firmware activity.
CAMPAIGN_EVENT_WINDOW = 5_000
FIRMWARE_SRVS = ("11.1", "11.2", "11.3", "11.4")
# The DCC alerts of suspension (CPL-01) and firmware processing (FW-02 .. FW-07).
FIRMWARE_ALERTS = frozenset(
    {
        DccAlertCode.DEVICE_SUSPENDED,
        DccAlertCode.DEVICE_RESTORED,
        DccAlertCode.FIRMWARE_NO_LONGER_VALID,
        DccAlertCode.INVALID_FIRMWARE_VERSION,
        DccAlertCode.GSME_FIRMWARE_MISMATCH,
    }
)


@dataclass(frozen=True, slots=True)
class FleetQuery:
    status: str = ""
    device_type: str = ""
    firmware: str = ""
    search: str = ""  # a part of the device ID, MPxN, manufacturer or model (any case)
    offset: int = 0


@dataclass(frozen=True, slots=True)
class FleetRow:
    record: SmiRecord
    cpl_status: CplStatus | None  # the CPL status of its (manufacturer, model, firmware)


@dataclass(frozen=True, slots=True)
class FleetPage:
    rows: list[FleetRow]
    matched: int  # how many devices match the query in all
    total: int  # devices in the SMI
    by_status: list[tuple[str, int]]  # the whole fleet's statuses, most common first
    device_types: list[str]
    firmware_versions: list[str]


@dataclass(frozen=True, slots=True)
class FirmwareCount:
    device_type: str
    model: str
    firmware_version: str
    status: str
    cpl_status: str
    devices: int


@dataclass(frozen=True, slots=True)
class CampaignProgress:
    counts: list[FirmwareCount]
    suspended: int
    total: int
    requests: list[tuple[str, int]]  # firmware SRV -> accepted in the window
    alerts: list[tuple[str, int]]  # firmware DCC alert -> raised in the window
    window: int  # how many journal events were looked at
    recent: list[Event]  # the window's firmware events, newest first


def fleet_page(host: DspHost, query: FleetQuery, page_size: int = PAGE_SIZE) -> FleetPage:
    records = host.queries.devices()
    cpl = _cpl_statuses(host)
    needle = query.search.strip().lower()
    matched: list[SmiRecord] = []
    statuses: Counter[str] = Counter()
    types: set[str] = set()
    versions: set[str] = set()
    for record in records:
        statuses[record.status] += 1
        types.add(record.device_type)
        versions.add(record.firmware_version)
        if query.status and record.status != query.status:
            continue
        if query.device_type and record.device_type != query.device_type:
            continue
        if query.firmware and record.firmware_version != query.firmware:
            continue
        if needle and not _mentions(record, needle):
            continue
        matched.append(record)
    start = max(query.offset, 0)
    # The page's rows in device ID order, without sorting a whole million-device fleet.
    first = heapq.nsmallest(start + page_size, matched, key=lambda r: r.device_id)
    rows = [
        FleetRow(r, cpl.get((r.manufacturer, r.model, r.firmware_version))) for r in first[start:]
    ]
    return FleetPage(
        rows,
        len(matched),
        len(records),
        statuses.most_common(),
        sorted(types),
        sorted(versions),
    )


def _mentions(record: SmiRecord, needle: str) -> bool:
    return any(
        needle in value.lower()
        for value in (record.device_id, record.mpxn or "", record.manufacturer, record.model)
    )


def _cpl_statuses(host: DspHost) -> dict[tuple[str, str, str], CplStatus]:
    return {
        (e.manufacturer, e.model, e.firmware_version): e.status for e in host.queries.cpl_entries()
    }


def cpl_entries(host: DspHost) -> list[CplEntry]:
    entries = host.queries.cpl_entries()
    return sorted(entries, key=lambda e: (e.manufacturer, e.model, e.firmware_version))


def devices_on(host: DspHost) -> dict[tuple[str, str, str], int]:
    """How many devices run each (manufacturer, model, firmware version)."""
    records = host.queries.devices()
    return Counter((r.manufacturer, r.model, r.firmware_version) for r in records)


def fault_rules(host: DspHost) -> dict[int, FaultRule]:
    return host.queries.fault_rules()


def recent_decisions(host: DspHost, most: int = 50) -> list[FaultDecision]:
    """The latest fault decisions, newest first."""
    decisions = host.queries.fault_decisions()
    return list(reversed(decisions[-most:]))


def clock(host: DspHost) -> ClockView:
    return host.queries.clock()


def users(host: DspHost) -> list[User]:
    return sorted(host.queries.users(), key=lambda u: u.user_id)


def next_counter(host: DspHost, originator: str, target: str) -> int:
    """A RequestID counter the DSP will accept from `originator` to `target` now (REQ-02)."""
    return host.queries.next_counter(originator, target)


def last_event(host: DspHost) -> int:
    return host.queries.last_event()


def events_since(host: DspHost, after: int, most: int = EVENTS_PER_READ) -> list[Event]:
    """Up to `most` events after `after`, oldest first (the oldest ones if more are waiting)."""
    return list(host.queries.events_since(after, most))


def latest_events(host: DspHost, most: int = EVENTS_PER_READ) -> list[Event]:
    """The latest `most` events, oldest first."""
    return list(host.queries.latest_events(most))


def wait_for_events(host: DspHost, after: int, timeout: float) -> list[Event]:
    """Events after `after`; if there are none, wait up to `timeout` for some (a live log)."""
    host.wait_moved(journal_feed().probe, after, timeout)
    return events_since(host, after)


def campaign_progress(host: DspHost) -> CampaignProgress:
    records = host.queries.devices()
    cpl = _cpl_statuses(host)
    window = latest_events(host, CAMPAIGN_EVENT_WINDOW)
    tally: Counter[tuple[str, str, str, str, str]] = Counter()
    for r in records:
        key = (r.manufacturer, r.model, r.firmware_version)
        status = cpl.get(key)
        tally[(r.device_type, r.model, r.firmware_version, r.status, status or "not on CPL")] += 1
    counts = [FirmwareCount(*key, devices) for key, devices in sorted(tally.items())]
    requests: Counter[str] = Counter()
    alerts: Counter[str] = Counter()
    recent: list[Event] = []
    for event in window:
        srv = _firmware_srv(event)
        alert = _firmware_alert(event)
        if srv is not None and event.kind is EventKind.REQUEST:
            requests[srv] += 1
        if alert is not None:
            alerts[alert] += 1
        if srv is not None or alert is not None:
            recent.append(event)
    recent.reverse()
    return CampaignProgress(
        counts,
        sum(1 for r in records if r.status == "Suspended"),
        len(records),
        sorted(requests.items()),
        sorted(alerts.items()),
        len(window),
        recent[:100],
    )


def _firmware_srv(event: Event) -> str | None:
    for srv in FIRMWARE_SRVS:
        if f"SRV {srv} " in event.summary or event.summary.endswith(f"SRV {srv}"):
            return srv
    return None


def _firmware_alert(event: Event) -> str | None:
    if event.kind is not EventKind.DCC_ALERT:
        return None
    code = event.details.get("code")
    return code if code in FIRMWARE_ALERTS else None


def event_json(event: Event) -> dict[str, Any]:
    return {
        "sequence": event.sequence,
        "at": event.at.isoformat(),
        "kind": str(event.kind),
        "summary": event.summary,
        "details": dict(event.details),
    }


def events_json(events: Sequence[Event]) -> list[dict[str, Any]]:
    return [event_json(e) for e in events]
