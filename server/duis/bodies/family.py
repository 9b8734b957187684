"""A family's DUIS bodies: what the DUIS layer reads and writes for each of the family's SRVs,
keyed by the SRV registry's SRVs and response types (a test fails when a served SRV has none)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from dccsim.server.core.records import DuisVersion
from dccsim.server.duis.reading import Reader

# Writes a synchronous answer's body into its ResponseMessage.
SyncWriter = Callable[[etree._Element, Any, DuisVersion], None]
# Makes the MMC response element of a device's response body.
MmcWriter = Callable[[Any], etree._Element]
# Writes a device response's ResponseMessage around its MMC payload (base64), where DUIS holds
# more than the GBCSPayload there (9.1's CINMessage).
ResponseMessageWriter = Callable[[etree._Element, Any, str], None]


@dataclass(frozen=True, slots=True)
class BodyFamily:
    # SRV -> (the body element's name, its reader)
    readers: Mapping[str, tuple[str, Reader]]
    sync_writers: Mapping[type, SyncWriter] = field(default_factory=dict)
    mmc_writers: Mapping[type, MmcWriter] = field(default_factory=dict)
    # SRV -> the MMC element of a device response with no content
    empty_responses: Mapping[str, str] = field(default_factory=dict)
    # device response body type -> its ResponseMessage writer (the default: a GBCSPayload)
    response_messages: Mapping[type, ResponseMessageWriter] = field(default_factory=dict)
