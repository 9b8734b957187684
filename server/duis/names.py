"""What the DUIS XML codec shares: namespaces, interface versions, Service References, dates."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from dccsim.server.core.records import DuisVersion

SR_NS = "http://www.dccinterface.co.uk/ServiceUserGateway"  # DUIS (sr:)
RA_NS = "http://www.dccinterface.co.uk/ResponseAndAlert"  # MMC (ra:)
DS_NS = "http://www.w3.org/2000/09/xmldsig#"  # XML Signature (ds:)

# The schemaVersion values a request may carry (real adapters send all four), keyed by their
# decimal value so that "5.10" and "5.1" are the same version, as they are for xs:decimal.
_VERSIONS = {Decimal(v.value): v for v in DuisVersion}


def duis_version(value: DuisVersion | str) -> DuisVersion:
    """A DuisVersion from itself or its text ("5.1" ... "5.4"); ValueError otherwise."""
    if isinstance(value, DuisVersion):
        return value
    version = schema_version_value(value)
    if version is None:
        raise ValueError(f"{value!r} is not a DUIS interface version (5.1 to 5.4)")
    return version


def schema_version_value(text: object) -> DuisVersion | None:
    """The DuisVersion a `schemaVersion` attribute names, or None."""
    if not isinstance(text, str):
        return None
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        return None
    return _VERSIONS.get(number) if number.is_finite() else None


def uses_v5_1_shapes(version: DuisVersion) -> bool:
    """True for users answered in DUIS 5.1's shapes; 5.2 and later get DUIS 5.3a's (see build)."""
    return version is DuisVersion.V5_1


def service_reference(srv: str) -> str:
    """The Service Reference of a Service Reference Variant: its first two parts (8.1.1 -> 8.1)."""
    return ".".join(srv.split(".")[:2])


def format_datetime(when: datetime) -> str:
    """An xs:dateTime in UTC with milliseconds, as DCC writes them (2022-08-12T06:43:49.844Z)."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    # isoformat is C: "YYYY-MM-DDTHH:MM:SS.mmm+00:00" (milliseconds truncated, the year padded
    # to four digits), a fifth of formatting the fields one by one; a response writes a dozen.
    return when.astimezone(UTC).isoformat(timespec="milliseconds")[:-6] + "Z"


def now_utc() -> datetime:
    return datetime.now(UTC)
