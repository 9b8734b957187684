"""The Smart Metering Inventory and the Central Products List."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from dccsim.server.core.records import CplEntry, CplKey, CplStatus, SmiRecord


class Smi:
    """Device records by ID, indexed by CPL key and MPxN so that bulk work stays cheap."""

    def __init__(self) -> None:
        self._records: dict[str, SmiRecord] = {}
        self._by_cpl_key: dict[CplKey, set[str]] = defaultdict(set)
        self._by_mpxn: dict[str, set[str]] = defaultdict(set)

    def __len__(self) -> int:
        return len(self._records)

    def __contains__(self, device_id: object) -> bool:
        return device_id in self._records

    def __iter__(self) -> Iterator[SmiRecord]:
        return iter(self._records.values())

    def get(self, device_id: str) -> SmiRecord | None:
        return self._records.get(device_id)

    def put(self, record: SmiRecord) -> None:
        """Add or replace a record, keeping the indexes in step."""
        old = self._records.get(record.device_id)
        if old is not None:
            self._unindex(old)
        self._records[record.device_id] = record
        self._by_cpl_key[record.cpl_key].add(record.device_id)
        if record.mpxn is not None:
            self._by_mpxn[record.mpxn].add(record.device_id)

    def delete(self, device_id: str) -> None:
        old = self._records.pop(device_id, None)
        if old is not None:
            self._unindex(old)

    def with_cpl_key(self, key: CplKey) -> list[SmiRecord]:
        return [self._records[d] for d in sorted(self._by_cpl_key.get(key, ()))]

    def with_mpxn(self, mpxn: str) -> list[SmiRecord]:
        return [self._records[d] for d in sorted(self._by_mpxn.get(mpxn, ()))]

    def _unindex(self, record: SmiRecord) -> None:
        self._by_cpl_key[record.cpl_key].discard(record.device_id)
        if record.mpxn is not None:
            self._by_mpxn[record.mpxn].discard(record.device_id)


class Cpl:
    def __init__(self, entries: Iterable[CplEntry] = ()) -> None:
        self._entries: dict[CplKey, CplEntry] = {}
        for entry in entries:
            self.put(entry)

    def __iter__(self) -> Iterator[CplEntry]:
        return iter(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def put(self, entry: CplEntry) -> None:
        self._entries[entry.key] = entry

    def get(self, manufacturer: str, model: str, firmware_version: str) -> CplEntry | None:
        return self._entries.get(CplKey(manufacturer, model, firmware_version))

    def status_of(self, key: CplKey) -> CplStatus | None:
        entry = self._entries.get(key)
        return entry.status if entry is not None else None
