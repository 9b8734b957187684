"""The records the DSP keeps: users, registrations, SMI devices and CPL entries.

Each record checks its own invariants when built (`__post_init__`), raising InvalidField naming
the record's field: every entry that makes one -- the control API, a fleet file, a Service
Request, Python -- gets the same rules, and a record that exists holds them. (A state file's
records are rebuilt by these constructors when read, so they hold them too.)
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache
from operator import attrgetter
from typing import NamedTuple

from dccsim.devices.kinds import DeviceType, SmetsVersion
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.eui import canonical_eui64
from dccsim.server.core.fields import check_uprn, check_xml_text
from dccsim.server.core.quick_init import quick_init


class UserRole(StrEnum):
    IMPORT_SUPPLIER = "IS"
    EXPORT_SUPPLIER = "ES"
    GAS_SUPPLIER = "GS"
    ELECTRICITY_DISTRIBUTOR = "ED"
    GAS_TRANSPORTER = "GT"
    REGISTERED_SUPPLIER_AGENT = "RSA"
    OTHER_USER = "OU"
    # SMKI role 8: sends 7.16 Limit APC Level (the corrected matrix, from the RTDS senders).
    LOAD_CONTROLLER = "LC"


SUPPLIER_ROLES = frozenset(
    {UserRole.IMPORT_SUPPLIER, UserRole.EXPORT_SUPPLIER, UserRole.GAS_SUPPLIER}
)


class UserStatus(StrEnum):
    ACTIVE = "Active"
    SUSPENDED = "Suspended"


class DuisVersion(StrEnum):
    """A user's DUIS interface version (VER-01). Users are never forced to move."""

    V5_1 = "5.1"
    V5_2 = "5.2"
    V5_3 = "5.3"
    V5_4 = "5.4"

    @property
    def carries_ecos_error_code(self) -> bool:
        """N26's optional ECoSErrorCode exists from DUIS 5.2 on (ALERT-02)."""
        return self is not DuisVersion.V5_1


@dataclass(frozen=True, slots=True)
class User:
    user_id: str
    roles: frozenset[UserRole]
    status: UserStatus = UserStatus.ACTIVE
    interface_version: DuisVersion = DuisVersion.V5_2
    name: str = ""
    # The date the user ceased to be a registered party; after 24 months it is refused (AUTH-05).
    ceased_on: date | None = None
    # Its Receive Response Service address (BOXED-02): the URL its responses and alerts are
    # POSTed to; "" when it takes them from the Subscribe streams instead.
    receive_url: str = ""

    def __post_init__(self) -> None:
        canonical_eui64(self.user_id, "user_id")
        # No role is a User the DSP knows but serves nothing (E1, AUTH-01): the control API and
        # fleet files refuse to make one, the core may hold one.
        if not isinstance(self.roles, frozenset):
            raise InvalidField("roles", f"{self.roles!r} is not a set of roles")
        for role in self.roles:
            _check_member(role, UserRole, "roles")
        _check_member(self.status, UserStatus, "status")
        _check_member(self.interface_version, DuisVersion, "interface_version")
        if not isinstance(self.name, str):
            raise InvalidField("name", f"{self.name!r} is not text")


@quick_init
@dataclass(frozen=True, slots=True)
class Registration:
    """One party appointed to one MPxN in one role, for a period (end exclusive; None = open)."""

    mpxn: str
    role: UserRole
    user_id: str
    start: datetime
    end: datetime | None = None

    def __post_init__(self) -> None:
        # A generated fleet makes two per device: the common case is a few type checks. (The
        # DSP checks the user_id as the registration enters it, Dsp.add_registration.)
        mpxn = self.mpxn
        if type(mpxn) is not str or not mpxn.isalnum():
            if not mpxn or not isinstance(mpxn, str):
                raise InvalidField("mpxn", "is required")
            check_xml_text(mpxn, "mpxn")
        if type(self.role) is not UserRole:
            _check_member(self.role, UserRole, "role")
        if not isinstance(self.start, datetime):
            raise InvalidField("start", "is required (a date and time)")
        if self.end is not None and not isinstance(self.end, datetime):
            raise InvalidField("end", f"{self.end!r} is not a date and time")

    def covers(self, when: datetime) -> bool:
        return self.start <= when and (self.end is None or when < self.end)


class SmiStatus(StrEnum):
    PENDING = "Pending"
    WHITELISTED = "Whitelisted"
    INSTALLED_NOT_COMMISSIONED = "InstalledNotCommissioned"
    COMMISSIONED = "Commissioned"
    DECOMMISSIONED = "Decommissioned"
    WITHDRAWN = "Withdrawn"
    SUSPENDED = "Suspended"
    RECOVERY = "Recovery"
    RECOVERED = "Recovered"


# Statuses in which a device can be communicated with (AUTH-06).
COMMUNICABLE = frozenset(
    {
        SmiStatus.COMMISSIONED,
        SmiStatus.INSTALLED_NOT_COMMISSIONED,
        SmiStatus.WHITELISTED,
        SmiStatus.PENDING,
        SmiStatus.RECOVERED,
    }
)

# Statuses the DCC's recovery process cannot start from (AUTH-08): a device already in it or
# through it, or one out of service.
_NO_RECOVERY_FROM = frozenset(
    {SmiStatus.RECOVERY, SmiStatus.RECOVERED, SmiStatus.DECOMMISSIONED, SmiStatus.WITHDRAWN}
)

ESME_VARIANTS = frozenset(
    [
        "A",
        "B",
        "C",
        "AD",
        "BD",
        "CD",
        "ADE",
        "BDE",
        "CDE",
        "ADF",
        "BDF",
        "CDF",
        "ADEF",
        "BDEF",
        "CDEF",
        "ADG",
        "ADEG",
        "AF",
        "BF",
        "CF",
        "AEF",
        "BEF",
        "CEF",
        "AG",
        "AEG",
    ]
)


@quick_init
@dataclass(frozen=True, slots=True)
class SmiRecord:
    """A device's Smart Metering Inventory record. Frozen: every change is a new record."""

    device_id: str
    device_type: DeviceType
    smets: SmetsVersion
    manufacturer: str
    model: str
    firmware_version: str
    status: SmiStatus
    mpxn: str | None = None
    esme_variant: str | None = None
    added_by: str | None = None
    uprn: int | None = None
    status_before_suspension: SmiStatus | None = None
    status_before_recovery: SmiStatus | None = None
    date_commissioned: date | None = None
    # A GPF's GSME, so that an 11.2 to the GPF can be compared with the GSME's record (FW-07).
    paired_gsme: str | None = None
    # A GPF's Communications Hub, by its CHF's device ID: the two run one firmware, so the GPF is
    # suspended and restored with its CHF (CPL-04). Last, so that a /3 state file written before
    # it existed (fields pickled in order) still migrates.
    comms_hub: str | None = None
    # An ESME opted out of DCC service (8.5) is Withdrawn; this is the status it held before, to
    # which 8.6 Service Opt In returns it. None: not opted out. (After comms_hub: see above.)
    status_before_opt_out: SmiStatus | None = None

    def __post_init__(self) -> None:
        # Cheap on the hot paths (`evolve` makes a record per change, 100,000 of them when a CPL
        # entry is Removed; a generated fleet a million): the product is checked once per
        # distinct (manufacturer, model, version), EUIs once per distinct text, the optional
        # fields only when set. The device ID is checked, and made canonical, by the DSP as the
        # record enters it (Dsp.add_device), as the hub link is: a million distinct IDs would
        # cost a pattern match each here, again.
        if (
            type(self.device_type) is not DeviceType
            or type(self.smets) is not SmetsVersion
            or type(self.status) is not SmiStatus
        ):
            _check_member(self.device_type, DeviceType, "device_type")
            _check_member(self.smets, SmetsVersion, "smets")
            _check_member(self.status, SmiStatus, "status")
        check_product(self.manufacturer, self.model, self.firmware_version)
        # What DUIS answers show (8.2) must be text XML can carry.
        if self.mpxn is not None:
            _check_short_text(self.mpxn, "mpxn")
        if self.esme_variant is not None:
            _check_short_text(self.esme_variant, "esme_variant")
        if self.added_by is not None:
            canonical_eui64(self.added_by, "added_by")
        if self.paired_gsme is not None:
            canonical_eui64(self.paired_gsme, "paired_gsme")
        if self.uprn is not None:
            check_uprn(self.uprn, "uprn")
        if self.status_before_suspension is not None:
            _check_member(self.status_before_suspension, SmiStatus, "status_before_suspension")
        if self.status_before_recovery is not None:
            _check_member(self.status_before_recovery, SmiStatus, "status_before_recovery")
        if self.status_before_opt_out is not None:
            _check_member(self.status_before_opt_out, SmiStatus, "status_before_opt_out")

    @property
    def effective_status(self) -> SmiStatus:
        """A Recovered device is checked with the status it held before Recovery (AUTH-08)."""
        if self.status is SmiStatus.RECOVERED and self.status_before_recovery is not None:
            return self.status_before_recovery
        return self.status

    @property
    def cpl_key(self) -> CplKey:
        return CplKey(self.manufacturer, self.model, self.firmware_version)

    @property
    def is_suspended(self) -> bool:
        """Suspended, or Recovered from Suspended: FW-02 and CPL-02 judge a Recovered device by
        the status it held before Recovery, like every other check (AUTH-08)."""
        status = self.status
        if status is SmiStatus.RECOVERED:
            return self.status_before_recovery is SmiStatus.SUSPENDED
        return status is SmiStatus.SUSPENDED

    def suspended(self) -> SmiRecord:
        return self.evolve(status=SmiStatus.SUSPENDED, status_before_suspension=self.status)

    def restored(self) -> SmiRecord:
        previous = self.status_before_suspension or SmiStatus.COMMISSIONED
        if self.status is SmiStatus.RECOVERED:
            # Recovered from Suspended: the restored status is the device's newest, so it
            # replaces Recovered (which only stood for the status it hid).
            return self.evolve(
                status=previous, status_before_suspension=None, status_before_recovery=None
            )
        return self.evolve(status=previous, status_before_suspension=None)

    @property
    def may_enter_recovery(self) -> bool:
        return self.status not in _NO_RECOVERY_FROM

    def in_recovery(self) -> SmiRecord:
        """The DCC's recovery process begins (AUTH-08): remember the status it interrupts."""
        return self.evolve(status=SmiStatus.RECOVERY, status_before_recovery=self.status)

    def recovered(self) -> SmiRecord:
        """The recovery process ends: Recovered, still judged by the status before Recovery."""
        return self.evolve(status=SmiStatus.RECOVERED)

    def evolve(self, **changes: object) -> SmiRecord:
        """`dataclasses.replace(self, **changes)`, a quarter cheaper: marking a CPL entry Removed
        makes a new record for every device of a model (100,000 of them in the benchmark)."""
        values = list(_smi_values(self))
        for name, value in changes.items():
            values[_SMI_FIELD_INDEX[name]] = value
        return SmiRecord(*values)


_SMI_FIELD_NAMES = tuple(f.name for f in fields(SmiRecord))
_SMI_FIELD_INDEX = {name: i for i, name in enumerate(_SMI_FIELD_NAMES)}
_smi_values = attrgetter(*_SMI_FIELD_NAMES)  # every field's value at once, in order


class CplStatus(StrEnum):
    """CPL entry status in the MP105 legal text's words."""

    CURRENT = "Current"
    REMOVED = "Removed"

    @property
    def duis_value(self) -> str:
        """Decision (SPEC §0): DUIS reports Current as Active and Removed as Withdrawn."""
        return "Active" if self is CplStatus.CURRENT else "Withdrawn"


class CplKey(NamedTuple):
    """What a CPL entry is about. A named tuple rather than a dataclass: it is hashed on every
    SMI change and every firmware report, and a tuple hashes and compares in C. A plain
    (manufacturer, model, firmware_version) tuple finds the same dictionary entry."""

    manufacturer: str
    model: str
    firmware_version: str


@dataclass(frozen=True, slots=True)
class CplEntry:
    manufacturer: str
    model: str
    firmware_version: str
    status: CplStatus = CplStatus.CURRENT
    # SHA-256 of the image, where known: 11.1 then checks the distributed image against it.
    image_hash: bytes | None = None

    def __post_init__(self) -> None:
        # A CPL entry's version can become a device's (11.3): the same rules as a device's.
        check_product(self.manufacturer, self.model, self.firmware_version)
        _check_member(self.status, CplStatus, "status")
        if self.image_hash is not None and (
            not isinstance(self.image_hash, bytes) or len(self.image_hash) != IMAGE_HASH_BYTES
        ):
            raise InvalidField("image_hash", "an image hash is 32 bytes (SHA-256)")

    @property
    def key(self) -> CplKey:
        return CplKey(self.manufacturer, self.model, self.firmware_version)


IMAGE_HASH_BYTES = 32  # SHA-256


def _check_member(value: object, kind: type, field: str) -> None:
    if not isinstance(value, kind):
        raise InvalidField(field, f"{value!r} is not a {kind.__name__}")


def _check_short_text(value: object, field: str) -> None:
    if not isinstance(value, str):
        raise InvalidField(field, f"{value!r} is not text")
    if not value.isalnum():  # an alphanumeric text holds nothing XML cannot carry
        check_xml_text(value, field)


def check_product(manufacturer: object, model: object, firmware_version: object) -> None:
    """The product a device or CPL entry is about: each part required, and text that the DUIS
    answers showing it (8.2, 11.2, CPL reports) can carry."""
    if type(manufacturer) is str and type(model) is str and type(firmware_version) is str:
        _check_product_text(manufacturer, model, firmware_version)
    else:
        _check_product_parts(manufacturer, model, firmware_version)


@lru_cache(maxsize=4_096)  # a fleet has few products; bounded, so junk input cannot grow it
def _check_product_text(manufacturer: str, model: str, firmware_version: str) -> None:
    _check_product_parts(manufacturer, model, firmware_version)


def _check_product_parts(manufacturer: object, model: object, firmware_version: object) -> None:
    for name, value in (
        ("manufacturer", manufacturer),
        ("model", model),
        ("firmware_version", firmware_version),
    ):
        if value == "" or value is None:
            raise InvalidField(name, "is required")
        if not isinstance(value, str):
            raise InvalidField(name, f"{value!r} is not text")
        check_xml_text(value, name)
