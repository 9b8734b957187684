"""pytest-benchmark suites for the DSP core (no gRPC): one core, in-process.

    DCCSIM_BENCH_SCALE=full python -m pytest benchmarks \
        --benchmark-json benchmarks/results/core-full.json

Issue 6's targets, read from a full-scale run (never asserted here: timings depend on the
machine): >= 50,000 full 11.2 cycles per second (a mean under 20 us), CPL Removed over 100,000
devices, and a 1,000,000-device fleet load under 30 s (its peak memory, under 2 GiB, is measured
in a fresh process by benchmarks/fleet_load.py). benchmarks/soak.py checks that memory stays flat.
"""

from __future__ import annotations

import hashlib
import itertools

from dccsim.devices.kinds import DeviceType
from dccsim.server.core.authorisation import authorise
from dccsim.server.core.dsp import Dsp
from dccsim.server.core.fleet import (
    EXAMPLE_DEVICE_IDS,
    EXAMPLE_FIRMWARE,
    EXAMPLE_MANUFACTURER,
    NETWORK_OPERATOR,
    SUPPLIER_A,
    example_fleet,
    example_model,
)
from dccsim.server.core.fleet_file import parse_fleet
from dccsim.server.core.matrix import SERVICE_MATRIX, CommandVariant
from dccsim.server.core.records import CplEntry, CplStatus
from dccsim.server.core.requests import (
    ActivateFirmware,
    ReadFirmwareVersion,
    ReadInventory,
    RequestId,
    ServiceRequest,
    SignedPreCommand,
    UpdateFirmware,
)

ESME = EXAMPLE_DEVICE_IDS[DeviceType.ESME]
IMAGE = b"benchmark image"


def _example() -> Dsp:
    dsp = Dsp()
    example_fleet().load_into(dsp)
    return dsp


def _bulk_fleet_yaml(devices: int) -> str:
    """One bulk block: each ESME with its own MPAN, registered to a supplier and a DNO."""
    return f"""
users: [{{id: {SUPPLIER_A}, roles: [IS]}}, {{id: {NETWORK_OPERATOR}, roles: [ED]}}]
cpl: [{{manufacturer: M, model: X, firmware: "0100"}}]
generate:
  - {{count: {devices}, type: ESME, smets1_share: 0.1, manufacturer: M, model: X,
      firmware: "0100", id_prefix: 00-DB-09, supplier: {SUPPLIER_A},
      network_operator: {NETWORK_OPERATOR}}}
"""


def test_authorisation(benchmark) -> None:
    dsp = _example()
    request = ServiceRequest(
        RequestId(SUPPLIER_A, ESME, 1),
        "11.2",
        CommandVariant.NON_CRITICAL_REMOTE,
        ReadFirmwareVersion(),
    )
    definition = SERVICE_MATRIX["11.2"]
    state = dsp.state

    def check():
        return authorise(
            request,
            definition,
            users=state.users,
            smi=state.smi,
            registrations=state.registrations,
            acb_id=state.acb_id,
            now=dsp.now(),
            baseline=dsp.baseline,
        )

    assert benchmark(check).authorised


def test_full_11_2_cycle(benchmark) -> None:
    """Submit, device read, SMI processing, delivery, and the user's acknowledgement."""
    dsp = _example()
    counters = itertools.count(1)

    def cycle():
        rid = RequestId(SUPPLIER_A, ESME, next(counters))
        answer = dsp.submit(
            ServiceRequest(rid, "11.2", CommandVariant.NON_CRITICAL_REMOTE, ReadFirmwareVersion())
        )
        box = dsp.outbox(SUPPLIER_A)
        box.acknowledge(box.last_sequence)
        return answer

    assert benchmark(cycle).code == "I99"


def test_11_3_cycle_with_response_processing(benchmark) -> None:
    """CV 4 then CV 5; the device answers (noImageHeld with its version after the first) and
    the DSP processes the response against the CPL."""
    dsp = _example()
    counters = itertools.count(2)
    dsp.submit(
        ServiceRequest(
            RequestId(SUPPLIER_A, dsp.state.acb_id, 1),
            "11.1",
            CommandVariant.NON_DEVICE,
            UpdateFirmware(IMAGE, "0200", (ESME,)),
        )
    )
    firmware_hash = hashlib.sha256(IMAGE).digest()

    def cycle():
        rid = RequestId(SUPPLIER_A, ESME, next(counters))
        pre = dsp.submit(
            ServiceRequest(
                rid, "11.3", CommandVariant.CRITICAL_TRANSFORM, ActivateFirmware(firmware_hash)
            )
        )
        answer = dsp.submit(
            ServiceRequest(
                rid,
                "11.3",
                CommandVariant.CRITICAL_SIGNED_REMOTE,
                SignedPreCommand(pre.body.payload),
            )
        )
        box = dsp.outbox(SUPPLIER_A)
        box.acknowledge(box.last_sequence)
        return answer

    assert benchmark(cycle).code == "I99"


def test_read_inventory(benchmark) -> None:
    dsp = _example()
    counters = itertools.count(1)

    def read():
        rid = RequestId(SUPPLIER_A, dsp.state.acb_id, next(counters))
        return dsp.submit(
            ServiceRequest(rid, "8.2", CommandVariant.NON_DEVICE, ReadInventory(device_id=ESME))
        )

    assert benchmark(read).code == "I0"


def test_mark_cpl_entry_removed(benchmark, scale: int) -> None:
    """CPL-01 over `scale` devices: each suspended, its record replaced, an alert queued."""
    fleet = parse_fleet(_bulk_fleet_yaml(scale))

    def setup():
        dsp = Dsp()
        fleet.load_into(dsp)
        return (dsp,), {}

    def remove(dsp: Dsp) -> int:
        return dsp.put_cpl_entry(CplEntry("M", "X", "0100", CplStatus.REMOVED))

    suspended = benchmark.pedantic(remove, setup=setup, rounds=3)
    assert suspended == scale


def test_fleet_load(benchmark, fleet_scale: int) -> None:
    """Parse a generated fleet file and load it into a fresh Dsp; at full scale (1,000,000
    devices) a single round."""
    text = _bulk_fleet_yaml(fleet_scale)

    def load() -> Dsp:
        dsp = Dsp()
        parse_fleet(text).load_into(dsp)
        return dsp

    rounds = 1 if fleet_scale >= 100_000 else 3
    dsp = benchmark.pedantic(load, rounds=rounds, iterations=1)
    assert len(dsp.state.smi) == fleet_scale


def test_example_cpl_removal_is_counted() -> None:
    """Guards the benchmarks' own setup: the example fleet's ESME model is on the CPL."""
    dsp = _example()
    entry = CplEntry(
        EXAMPLE_MANUFACTURER, example_model(DeviceType.ESME), EXAMPLE_FIRMWARE, CplStatus.REMOVED
    )
    assert dsp.put_cpl_entry(entry) == 1
