"""Stage 2 of the pipeline: validation against the matrix, then authorisation (DUIS Table 22 as
amended by MP105). A pure function of the request and the state it reads; it changes nothing.

Order (AUTH-10, a Decision): E12 -> E1 -> E2 -> E3 -> E19 -> E11 -> E4 -> E5 -> E17. DUIS lists
E19 last, but E11, E4 and E5 need the device record, so existence is checked before them. The first
failing check answers; no later check runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from dccsim.devices.kinds import SmetsVersion
from dccsim.server.core.baseline import Baseline
from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.inventory import Smi
from dccsim.server.core.matrix import CommandVariant, ServiceDefinition
from dccsim.server.core.quick_init import quick_init
from dccsim.server.core.records import (
    COMMUNICABLE,
    SUPPLIER_ROLES,
    SmiRecord,
    SmiStatus,
    User,
    UserRole,
    UserStatus,
)
from dccsim.server.core.registration import RegistrationData, roles_for_fuel
from dccsim.server.core.requests import ServiceRequest
from dccsim.server.core.services import REGISTRY

CHECK_ORDER = ("E12", "E1", "E2", "E3", "E19", "E11", "E4", "E5", "E17")

# Non-critical SRs a Suspended device still accepts (AUTH-07); 11.2 since MP105.
_SUSPENDED_EXCEPTIONS = frozenset({"11.1", "6.23"})
_SUSPENDED_EXCEPTIONS_MP105 = _SUSPENDED_EXCEPTIONS | {"11.2"}

_LOCAL_STATUSES_SUPPLIER = frozenset(
    {
        SmiStatus.PENDING,
        SmiStatus.WHITELISTED,
        SmiStatus.INSTALLED_NOT_COMMISSIONED,
        SmiStatus.COMMISSIONED,
    }
)
_LOCAL_STATUSES_OTHERS = frozenset({SmiStatus.INSTALLED_NOT_COMMISSIONED, SmiStatus.COMMISSIONED})

_SPECS = REGISTRY.by_srv
_ELIGIBLE_FOR_ANY_DEVICE = frozenset({UserRole.OTHER_USER, UserRole.LOAD_CONTROLLER})

# Preference when the request names no role: the role that matches the device's fuel first.
_ROLE_PREFERENCE = tuple(UserRole)


@quick_init
@dataclass(frozen=True, slots=True)
class Decision:
    code: ResponseCode | None  # None: authorised
    role: UserRole | None = None
    record: SmiRecord | None = None
    reason: str = ""

    @property
    def authorised(self) -> bool:
        return self.code is None


def _reject(code: ResponseCode, reason: str, role: UserRole | None = None) -> Decision:
    return Decision(code, role, None, reason)


def authorise(
    request: ServiceRequest,
    definition: ServiceDefinition,
    *,
    users: Mapping[str, User],
    smi: Smi,
    registrations: RegistrationData,
    acb_id: str,
    now: datetime,
    baseline: Baseline,
) -> Decision:
    cv = request.command_variant
    if cv not in definition.command_variants:
        allowed = ",".join(str(int(v)) for v in sorted(definition.command_variants))
        return _reject(ResponseCode.E12, f"SRV {definition.srv} takes Command Variant {allowed}")

    originator = request.request_id.originator
    if originator == acb_id:
        # REQ-08: the ACB is the DCC's own identity, never a User.
        return _reject(ResponseCode.E1, "the DCC Access Control Broker is not a User")
    user = users.get(originator)
    if user is None:
        return _reject(ResponseCode.E1, "originator is not a known user")
    target_record = None if definition.non_device else smi.get(request.request_id.target)
    role = _resolve_role(request, user, definition, target_record)
    if role is None:
        return _reject(ResponseCode.E1, f"user does not hold role {request.user_role}")
    if role not in definition.roles:
        return _reject(ResponseCode.E2, f"role {role} may not send SRV {definition.srv}", role)
    if user.status is UserStatus.SUSPENDED:
        return _reject(ResponseCode.E3, "user is suspended", role)

    if definition.non_device:
        if request.request_id.target != acb_id:
            return _reject(ResponseCode.E19, "a non-device SR must target the DCC ACB", role)
        # Non-device SRs carry their own rules (8.4's INV-*, 11.1's warning lists).
        return Decision(None, role)

    record = target_record
    if record is None:
        return _reject(ResponseCode.E19, "target device is not in the SMI", role)
    spec = _SPECS.get(definition.srv)
    if spec is not None and not spec.applies_to(record.device_type):
        return _reject(
            ResponseCode.E11, f"SRV {definition.srv} does not apply to a {record.device_type}", role
        )
    pertinent = request.execution_datetime if request.execution_datetime is not None else now
    if not cv.is_critical and not is_eligible(user, role, record, registrations, pertinent):
        return _reject(ResponseCode.E4, f"{role} is not an Eligible User for the device", role)
    if not device_status_allows(definition.srv, cv, record, baseline):
        return _reject(ResponseCode.E5, f"SMI status {record.status} does not allow the SR", role)
    if cv.is_local and not local_delivery_allows(request, role, record):
        return _reject(ResponseCode.E17, "not available for local delivery", role)
    return Decision(None, role, record)


def _resolve_role(
    request: ServiceRequest, user: User, definition: ServiceDefinition, record: SmiRecord | None
) -> UserRole | None:
    """The role the user acts in: the one named, or the best of the user's roles for this SR."""
    if request.user_role is not None:
        return request.user_role if request.user_role in user.roles else None
    fuel_roles = roles_for_fuel(record.device_type) if record is not None else None
    roles = user.roles if type(user.roles) is frozenset else frozenset(user.roles)  # hashable
    return _best_role(roles, definition.roles, fuel_roles)


# The choice depends only on these three sets, of which there are few (role sets x SRVs x fuels),
# so it is worked out once per combination rather than on every request.
@lru_cache(maxsize=4096)
def _best_role(
    user_roles: frozenset[UserRole],
    srv_roles: frozenset[UserRole],
    fuel_roles: frozenset[UserRole] | None,
) -> UserRole | None:
    eligible = [r for r in _ROLE_PREFERENCE if r in user_roles and r in srv_roles]
    if fuel_roles is not None:
        eligible.sort(key=lambda r: r not in fuel_roles)
    if eligible:
        return eligible[0]
    # None of the user's roles may send this SRV: answer E2 in the user's first role.
    return next(r for r in _ROLE_PREFERENCE if r in user_roles) if user_roles else None


def _plus_24_months(day: date) -> date:
    try:
        return day.replace(year=day.year + 2)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 2, day=28)


def is_eligible(
    user: User, role: UserRole, record: SmiRecord, registrations: RegistrationData, when: datetime
) -> bool:
    """AUTH-05: an Eligible User for the device at the time the SR pertains to."""
    if user.ceased_on is not None and when.date() > _plus_24_months(user.ceased_on):
        return False
    if role in _ELIGIBLE_FOR_ANY_DEVICE:
        # Decision: an OU, and a Load Controller (no MPxN registration names one), is eligible
        # for any device for the SRs the matrix opens to its role.
        return True
    if role not in roles_for_fuel(record.device_type):
        return False
    return registrations.is_registered(record.mpxn, role, user.user_id, when)


def device_status_allows(
    srv: str, cv: CommandVariant, record: SmiRecord, baseline: Baseline
) -> bool:
    """AUTH-06/07/08: may an SR reach a device in this SMI status?"""
    if record.status is SmiStatus.RECOVERY:
        return False  # every SR relating to it, signed pre-commands included (AUTH-08)
    if srv in ("8.2", "12.1") or cv.is_critical:
        return True
    status = record.effective_status
    if status is SmiStatus.SUSPENDED:
        exceptions = (
            _SUSPENDED_EXCEPTIONS_MP105 if baseline is Baseline.CURRENT else _SUSPENDED_EXCEPTIONS
        )
        if srv in exceptions:
            return True
        return (
            srv == "2.2"
            and cv is CommandVariant.NON_CRITICAL_LOCAL
            and record.smets is SmetsVersion.SMETS1
        )
    return status in COMMUNICABLE


def local_delivery_allows(request: ServiceRequest, role: UserRole, record: SmiRecord) -> bool:
    """AUTH-09."""
    if request.srv == "8.1.1" or request.execution_datetime is not None:
        return False
    status = record.effective_status
    if status is SmiStatus.SUSPENDED:
        # Suspended is in neither list (AUTH-09 as clarified): only the one local exception
        # AUTH-07 grants a Suspended device, SMETS1 2.2 with CV 2, gets through.
        return (
            request.srv == "2.2"
            and request.command_variant is CommandVariant.NON_CRITICAL_LOCAL
            and record.smets is SmetsVersion.SMETS1
        )
    allowed = _LOCAL_STATUSES_SUPPLIER if role in SUPPLIER_ROLES else _LOCAL_STATUSES_OTHERS
    return status in allowed
