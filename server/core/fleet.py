"""Fleets: the users, registrations, CPL entries and devices a simulator starts with.

`example_fleet()` is the embedded default: the devices and users the public DUIS reference
templates address, so that a supplier's template set runs against a fresh simulator unchanged.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from dccsim.devices.consumption import ConsumptionModel
from dccsim.devices.kinds import DeviceType, SmetsVersion
from dccsim.server.core.device_alerts import add_fault_rule
from dccsim.server.core.dsp import Dsp
from dccsim.server.core.faults import FaultRule
from dccsim.server.core.records import (
    CplEntry,
    DuisVersion,
    Registration,
    SmiRecord,
    SmiStatus,
    User,
    UserRole,
)

SUPPLIER_A = "90-B3-D5-1F-30-01-00-00"
SUPPLIER_B = "90-B3-D5-1F-30-03-00-00"
NETWORK_OPERATOR = "90-B3-D5-1F-30-02-00-00"
# The other RTDS and DCC Boxed users: an Other User, and the Load Controller that sends 7.16.
OTHER_USER = "00-DB-12-34-56-78-00-04"
LOAD_CONTROLLER = "90-B3-D5-1F-30-01-00-08"
EXAMPLE_MPAN = "1100000000001"
EXAMPLE_MPRN = "2100000001"
EXAMPLE_MANUFACTURER = "DCCSIM"
EXAMPLE_FIRMWARE = "0100"
EXAMPLE_NEW_FIRMWARE = "0200"
_TEMPLATE_PREFIX = "00-DB-12-34-56-78-90-"
EXAMPLE_DEVICE_IDS = {
    DeviceType.ESME: _TEMPLATE_PREFIX + "A0",
    DeviceType.GSME: _TEMPLATE_PREFIX + "A1",
    DeviceType.CHF: _TEMPLATE_PREFIX + "A2",
    DeviceType.GPF: _TEMPLATE_PREFIX + "A3",
    DeviceType.PPMID: _TEMPLATE_PREFIX + "A4",
    DeviceType.HCALCS: _TEMPLATE_PREFIX + "A5",
}
# Decision: the RTDS templates of ECS46d (6.14.3 to an APC output) target -A6, an ESME use case,
# so the example fleet has -A6 as a second ESME on its own MPAN, with the same registrations.
# It has a model of its own, so that the CPL tests' "one device per model" holds.
EXAMPLE_APC_ESME_ID = _TEMPLATE_PREFIX + "A6"
EXAMPLE_APC_MPAN = "1100000000906"
EXAMPLE_APC_MODEL = "ESME-APC-S2"


@dataclass(slots=True)
class Fleet:
    users: list[User] = field(default_factory=list)
    registrations: list[Registration] = field(default_factory=list)
    cpl: list[CplEntry] = field(default_factory=list)
    devices: list[SmiRecord] = field(default_factory=list)
    faults: list[FaultRule] = field(default_factory=list)
    # What the meters measure: a profile per device type, per-device overrides, and the seed.
    consumption: ConsumptionModel = field(default_factory=ConsumptionModel)

    def load_into(self, dsp: Dsp) -> None:
        with cyclic_gc_paused():
            for user in self.users:
                dsp.add_user(user)
            for registration in self.registrations:
                dsp.add_registration(registration)
            for entry in self.cpl:
                dsp.put_cpl_entry(entry)
            # GSMEs first, so that a GPF can be paired with its GSME as it is added.
            for record in sorted(self.devices, key=lambda r: r.device_type is not DeviceType.GSME):
                dsp.add_device(record)
            for rule in self.faults:
                add_fault_rule(dsp.state, rule)  # a RAISE_ALERT rule is held on the clock
            dsp.state.network.consumption = self.consumption


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a fleet is built or loaded.

    A bulk load creates millions of objects that all live on; each generation-2 collection it
    triggers walks every object made so far, which made a 1,000,000-device load spend much of its
    time collecting nothing. Reference counting still frees what is dropped; cycles made meanwhile
    are collected after. The collector is process-wide, so it is re-enabled only if it was enabled
    on entry (a caller that turned it off keeps it off).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def example_model(device_type: DeviceType) -> str:
    return f"{device_type}-S2"


def example_fleet() -> Fleet:
    # Before every date the RTDS templates pertain to (their future-dated ones name 2015).
    since = datetime(2010, 1, 1, tzinfo=UTC)
    users = [
        User(
            SUPPLIER_A,
            # The RTDS templates send export (ES) SRVs from the same supplier.
            frozenset({UserRole.IMPORT_SUPPLIER, UserRole.EXPORT_SUPPLIER, UserRole.GAS_SUPPLIER}),
            interface_version=DuisVersion.V5_2,
            name="Supplier A",
        ),
        User(
            SUPPLIER_B,
            frozenset({UserRole.IMPORT_SUPPLIER, UserRole.GAS_SUPPLIER}),
            interface_version=DuisVersion.V5_1,
            name="Supplier B",
        ),
        User(
            NETWORK_OPERATOR,
            frozenset({UserRole.ELECTRICITY_DISTRIBUTOR, UserRole.GAS_TRANSPORTER}),
            interface_version=DuisVersion.V5_2,
            name="Network Operator",
        ),
        User(
            OTHER_USER,
            frozenset({UserRole.OTHER_USER}),
            interface_version=DuisVersion.V5_2,
            name="Other User",
        ),
        User(
            LOAD_CONTROLLER,
            frozenset({UserRole.LOAD_CONTROLLER}),
            interface_version=DuisVersion.V5_2,
            name="Load Controller",
        ),
    ]
    registrations = [
        Registration(EXAMPLE_MPAN, UserRole.IMPORT_SUPPLIER, SUPPLIER_A, since),
        Registration(EXAMPLE_MPAN, UserRole.ELECTRICITY_DISTRIBUTOR, NETWORK_OPERATOR, since),
        Registration(EXAMPLE_MPAN, UserRole.EXPORT_SUPPLIER, SUPPLIER_A, since),
        Registration(EXAMPLE_MPRN, UserRole.GAS_SUPPLIER, SUPPLIER_A, since),
        Registration(EXAMPLE_MPRN, UserRole.GAS_TRANSPORTER, NETWORK_OPERATOR, since),
        # A second gas supplier for the MPRN (RTDS's GCS16b reads it as Supplier B, an incoming
        # supplier); Supplier A, registered first, stays the Responsible Supplier.
        Registration(EXAMPLE_MPRN, UserRole.GAS_SUPPLIER, SUPPLIER_B, since),
        Registration(EXAMPLE_APC_MPAN, UserRole.IMPORT_SUPPLIER, SUPPLIER_A, since),
        Registration(EXAMPLE_APC_MPAN, UserRole.ELECTRICITY_DISTRIBUTOR, NETWORK_OPERATOR, since),
    ]
    models = [example_model(device_type) for device_type in EXAMPLE_DEVICE_IDS]
    cpl = [
        CplEntry(EXAMPLE_MANUFACTURER, model, version)
        for model in (*models, EXAMPLE_APC_MODEL)
        for version in (EXAMPLE_FIRMWARE, EXAMPLE_NEW_FIRMWARE)
    ]
    devices = [
        SmiRecord(
            device_id=device_id,
            device_type=device_type,
            smets=SmetsVersion.SMETS2,
            manufacturer=EXAMPLE_MANUFACTURER,
            model=example_model(device_type),
            firmware_version=EXAMPLE_FIRMWARE,
            status=SmiStatus.COMMISSIONED,
            mpxn=EXAMPLE_MPRN if device_type.is_gas else EXAMPLE_MPAN,
            esme_variant="A" if device_type is DeviceType.ESME else None,
            added_by=SUPPLIER_A,
            uprn=100000000001,
            paired_gsme=EXAMPLE_DEVICE_IDS[DeviceType.GSME]
            if device_type is DeviceType.GPF
            else None,
            # The CHF and the GPF are one Communications Hub (CPL-04).
            comms_hub=EXAMPLE_DEVICE_IDS[DeviceType.CHF] if device_type is DeviceType.GPF else None,
        )
        for device_type, device_id in EXAMPLE_DEVICE_IDS.items()
    ]
    esme = devices[0]
    devices.append(
        replace(
            esme,
            device_id=EXAMPLE_APC_ESME_ID,
            mpxn=EXAMPLE_APC_MPAN,
            model=EXAMPLE_APC_MODEL,
            uprn=100000000006,
        )
    )
    return Fleet(users, registrations, cpl, devices)
