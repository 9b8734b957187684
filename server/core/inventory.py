"""The Smart Metering Inventory and the Central Products List."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from dccsim.server.core.records import CplEntry, CplKey, CplStatus, SmiRecord

# An MPxN usually has one device (a gas meter) or a handful (an electricity meter with its Comms
# Hub, PPMID and HCALCS), and a million-device fleet has a million MPxNs. One device is held as a
# 1-tuple (56 bytes), more as a set (216 bytes and up, but O(1) to change).
_Ids = tuple[str] | set[str]


def _cpl_key(record: SmiRecord) -> tuple[str, str, str]:
    """`record.cpl_key` as a plain tuple: equal to the CplKey, and four times cheaper to build."""
    return (record.manufacturer, record.model, record.firmware_version)


class Smi:
    """Device records by ID, indexed by CPL key and MPxN so that bulk work stays cheap."""

    def __init__(self) -> None:
        self._records: dict[str, SmiRecord] = {}
        self._by_cpl_key: dict[tuple[str, str, str], set[str]] = {}
        self._by_mpxn: dict[str, _Ids] = {}
        # A Comms Hub's CHF -> its GPF, for CPL-04 (one hub has one GPF; `Dsp.add_device`
        # refuses a second).
        self._gpf_by_hub: dict[str, str] = {}

    def __setstate__(self, state: dict[str, object]) -> None:
        """A /3 state file's SMI (pickled before the hub index existed) rebuilds it."""
        self.__dict__.update(state)
        if "_gpf_by_hub" not in state:
            self._gpf_by_hub = {}
            for record in self._records.values():
                if record.comms_hub is not None:
                    self._gpf_by_hub[record.comms_hub] = record.device_id

    # The snapshot contract (dccsim.server.store.codec): the records; the indexes follow.
    def to_data(self) -> dict[str, object]:
        return {"records": list(self._records.values())}

    @classmethod
    def from_data(cls, data: dict[str, object]) -> Smi:
        smi = cls()
        for record in data["records"]:  # type: ignore[attr-defined]
            smi.put(record)
        return smi

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
        device_id = record.device_id
        old = self._records.get(device_id)
        self._records[device_id] = record
        # Most changes (a status, a suspension) leave the indexed fields alone: skip the indexes.
        key = _cpl_key(record)
        if old is None or _cpl_key(old) != key:
            if old is not None:
                self._unindex_cpl_key(_cpl_key(old), device_id)
            self._index_cpl_key(key, device_id)
        if old is None or old.mpxn != record.mpxn:
            if old is not None and old.mpxn is not None:
                self._unindex_mpxn(old.mpxn, device_id)
            if record.mpxn is not None:
                self._index_mpxn(record.mpxn, device_id)
        hub = record.comms_hub
        if (old.comms_hub if old is not None else None) != hub:
            if old is not None and old.comms_hub is not None:
                self._unindex_hub(old.comms_hub, device_id)
            if hub is not None:
                self._gpf_by_hub[hub] = device_id

    def delete(self, device_id: str) -> None:
        old = self._records.pop(device_id, None)
        if old is not None:
            self._unindex_cpl_key(_cpl_key(old), device_id)
            if old.mpxn is not None:
                self._unindex_mpxn(old.mpxn, device_id)
            if old.comms_hub is not None:
                self._unindex_hub(old.comms_hub, device_id)

    def with_cpl_key(self, key: CplKey) -> list[SmiRecord]:
        return [self._records[d] for d in sorted(self._by_cpl_key.get(key, ()))]

    def with_mpxn(self, mpxn: str) -> list[SmiRecord]:
        return [self._records[d] for d in sorted(self._by_mpxn.get(mpxn, ()))]

    def hub_gpf(self, chf_id: str) -> SmiRecord | None:
        """The GPF whose record names this CHF as its Comms Hub (CPL-04), if any."""
        gpf_id = self._gpf_by_hub.get(chf_id)
        return self._records.get(gpf_id) if gpf_id is not None else None

    def _index_cpl_key(self, key: tuple[str, str, str], device_id: str) -> None:
        ids = self._by_cpl_key.get(key)
        if ids is None:
            self._by_cpl_key[key] = {device_id}
        else:
            ids.add(device_id)

    def _unindex_cpl_key(self, key: tuple[str, str, str], device_id: str) -> None:
        ids = self._by_cpl_key.get(key)
        if ids is not None:
            ids.discard(device_id)

    def _index_mpxn(self, mpxn: str, device_id: str) -> None:
        ids = self._by_mpxn.get(mpxn)
        if ids is None:
            self._by_mpxn[mpxn] = (device_id,)
        elif isinstance(ids, tuple):
            self._by_mpxn[mpxn] = {*ids, device_id}
        else:
            ids.add(device_id)

    def _unindex_hub(self, chf_id: str, device_id: str) -> None:
        if self._gpf_by_hub.get(chf_id) == device_id:
            del self._gpf_by_hub[chf_id]

    def _unindex_mpxn(self, mpxn: str, device_id: str) -> None:
        ids = self._by_mpxn.get(mpxn)
        if isinstance(ids, set):
            ids.discard(device_id)
        elif ids == (device_id,):
            del self._by_mpxn[mpxn]


class Cpl:
    def __init__(self, entries: Iterable[CplEntry] = ()) -> None:
        self._entries: dict[CplKey, CplEntry] = {}
        for entry in entries:
            self.put(entry)

    def __iter__(self) -> Iterator[CplEntry]:
        return iter(self._entries.values())

    # The snapshot contract (dccsim.server.store.codec).
    def to_data(self) -> dict[str, object]:
        return {"entries": list(self._entries.values())}

    @classmethod
    def from_data(cls, data: dict[str, object]) -> Cpl:
        return cls(data["entries"])  # type: ignore[arg-type]

    def __len__(self) -> int:
        return len(self._entries)

    def put(self, entry: CplEntry) -> None:
        self._entries[entry.key] = entry

    def get(self, manufacturer: str, model: str, firmware_version: str) -> CplEntry | None:
        # A plain tuple finds the CplKey entry (same hash, equal) without building a CplKey.
        found: CplEntry | None = self._entries.get((manufacturer, model, firmware_version))  # type: ignore[call-overload]
        return found

    def status_of(self, key: CplKey) -> CplStatus | None:
        entry = self._entries.get(key)
        return entry.status if entry is not None else None
