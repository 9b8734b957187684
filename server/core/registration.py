"""Registration data: for each MPxN, who supplies it and who runs its network, and when."""

from __future__ import annotations

from datetime import datetime

from dccsim.devices.kinds import DeviceType
from dccsim.server.core.records import Registration, UserRole


def supplier_role(device_type: DeviceType) -> UserRole:
    """The Responsible Supplier's role: GS for gas devices, IS for the rest (SPEC §0)."""
    return UserRole.GAS_SUPPLIER if device_type.is_gas else UserRole.IMPORT_SUPPLIER


def network_operator_role(device_type: DeviceType) -> UserRole:
    return UserRole.GAS_TRANSPORTER if device_type.is_gas else UserRole.ELECTRICITY_DISTRIBUTOR


# Roles that can be eligible for a device of each fuel through registration data (AUTH-05).
_ELECTRICITY_ROLES = frozenset(
    {
        UserRole.IMPORT_SUPPLIER,
        UserRole.EXPORT_SUPPLIER,
        UserRole.ELECTRICITY_DISTRIBUTOR,
        UserRole.REGISTERED_SUPPLIER_AGENT,
    }
)
_GAS_ROLES = frozenset(
    {UserRole.GAS_SUPPLIER, UserRole.GAS_TRANSPORTER, UserRole.REGISTERED_SUPPLIER_AGENT}
)


_FUEL_ROLES = {t: _GAS_ROLES if t.is_gas else _ELECTRICITY_ROLES for t in DeviceType}


def roles_for_fuel(device_type: DeviceType) -> frozenset[UserRole]:
    return _FUEL_ROLES[device_type]


class RegistrationData:
    def __init__(self) -> None:
        # A tuple per MPxN, not a list: an MPxN has a few registrations (a supplier and a network
        # operator, a change of supplier now and then), and a million-MPxN fleet saves the lists'
        # spare capacity. Order matters: the first party registered is the responsible one.
        self._by_mpxn: dict[str, tuple[Registration, ...]] = {}

    # The snapshot contract (dccsim.server.store.codec): every registration, in order.
    def to_data(self) -> dict[str, object]:
        return {"registrations": self.all()}

    @classmethod
    def from_data(cls, data: dict[str, object]) -> RegistrationData:
        registrations = cls()
        for registration in data["registrations"]:  # type: ignore[attr-defined]
            registrations.add(registration)
        return registrations

    def add(self, registration: Registration) -> None:
        mpxn = registration.mpxn
        self._by_mpxn[mpxn] = (*self._by_mpxn.get(mpxn, ()), registration)

    def all(self) -> list[Registration]:
        return [r for periods in self._by_mpxn.values() for r in periods]

    def parties(self, mpxn: str | None, role: UserRole, when: datetime) -> list[str]:
        """Users registered for `mpxn` in `role` at `when`."""
        if mpxn is None:
            return []
        return [r.user_id for r in self._by_mpxn.get(mpxn, ()) if r.role is role and r.covers(when)]

    def is_registered(self, mpxn: str | None, role: UserRole, user_id: str, when: datetime) -> bool:
        if mpxn is None:
            return False
        for r in self._by_mpxn.get(mpxn, ()):  # a loop, not parties(): this is on every request
            if r.user_id == user_id and r.role is role and r.covers(when):
                return True
        return False

    def responsible_supplier(
        self, device_type: DeviceType, mpxn: str | None, when: datetime
    ) -> str | None:
        return self._first(mpxn, supplier_role(device_type), when)

    def network_operator(
        self, device_type: DeviceType, mpxn: str | None, when: datetime
    ) -> str | None:
        return self._first(mpxn, network_operator_role(device_type), when)

    def _first(self, mpxn: str | None, role: UserRole, when: datetime) -> str | None:
        """parties(...)[0] without the list: every DCC Alert asks for it."""
        if mpxn is None:
            return None
        for r in self._by_mpxn.get(mpxn, ()):
            if r.role is role and r.covers(when):
                return r.user_id
        return None
