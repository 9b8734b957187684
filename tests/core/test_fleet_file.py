"""Fleet files: the documented YAML format, bulk generation and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from dccsim.devices.kinds import DeviceType, SmetsVersion
from dccsim.server.core.dsp import Dsp
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.fleet_file import parse_fleet
from dccsim.server.core.records import SmiStatus

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "fleet.yaml"


def test_example_fleet_file_loads_with_template_devices_and_generated_esmes() -> None:
    fleet = parse_fleet(EXAMPLE.read_text())
    dsp = Dsp()
    fleet.load_into(dsp)
    assert len(dsp.state.smi) == 206
    assert dsp.device_record("00-DB-12-34-56-78-90-A3").paired_gsme == "00-DB-12-34-56-78-90-A1"
    assert dsp.device("00-DB-12-34-56-78-90-A3").gsme is dsp.device("00-DB-12-34-56-78-90-A1")
    generated = [r for r in dsp.state.smi if r.device_id.startswith("00-DB-01")]
    assert len(generated) == 200
    assert all(r.status is SmiStatus.COMMISSIONED for r in generated)


def test_bulk_generation_is_seeded_and_honours_the_smets1_share() -> None:
    text = """
generate:
  - {count: 5000, type: ESME, smets1_share: 0.1, manufacturer: M, model: X, firmware: "01",
     id_prefix: 00-DB-02, supplier: 90-B3-D5-1F-30-01-00-00}
"""
    first, again = parse_fleet(text, seed=3), parse_fleet(text, seed=3)
    assert [d.smets for d in first.devices] == [d.smets for d in again.devices]
    smets1 = sum(d.smets is SmetsVersion.SMETS1 for d in first.devices)
    assert 400 <= smets1 <= 600  # 10% of 5,000, well within binomial bounds
    assert len({d.device_id for d in first.devices}) == 5000
    assert {d.device_type for d in first.devices} == {DeviceType.ESME}
    assert len(first.registrations) == 5000


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("users: [{id: 90-B3-D5-1F-30-01-00-00}]", "users[0].roles"),
        ("users: [{id: nope, roles: [IS]}]", "users[0].id"),
        ("users: [{id: 90-B3-D5-1F-30-01-00-00, roles: [XX]}]", "users[0].roles"),
        ("devices: [{id: 00-DB-12-34-56-78-90-A0, type: TOASTER}]", "devices[0].type"),
        ("cpl: [{manufacturer: M, model: X}]", "cpl[0].firmware"),
        ("generate: [{count: 0}]", "generate[0].count"),
        ("surprise: 1", "fleet"),
        ("[1, 2", "fleet"),
    ],
)
def test_a_bad_fleet_file_names_the_field(text: str, field: str) -> None:
    with pytest.raises(InvalidField) as caught:
        parse_fleet(text)
    assert caught.value.field == field


_HUB_FLEET = """
cpl:
  - {manufacturer: M, model: CH-1, firmware: "01"}
  - {manufacturer: M, model: GPF-1, firmware: "01"}
devices:
  - {id: 00-DB-12-34-56-78-90-C3, type: GPF, manufacturer: M, model: GPF-1, firmware: "01",
     hub: 00-db-12-34-56-78-90-c2}
  - {id: 00-DB-12-34-56-78-90-C2, type: CHF, manufacturer: M, model: CH-1, firmware: "01"}
"""


@pytest.mark.spec("CPL-04")
def test_a_gpf_names_its_comms_hub_with_hub() -> None:
    dsp = Dsp()
    parse_fleet(_HUB_FLEET).load_into(dsp)  # the CHF comes after its GPF

    gpf = dsp.device_record("00-DB-12-34-56-78-90-C3")
    assert gpf.comms_hub == "00-DB-12-34-56-78-90-C2"
    assert dsp.state.smi.hub_gpf("00-DB-12-34-56-78-90-C2") == gpf


@pytest.mark.spec("CPL-04", "BAD-01")
def test_a_malformed_hub_is_refused_by_name() -> None:
    with pytest.raises(InvalidField) as error:
        parse_fleet(_HUB_FLEET.replace("hub: 00-db-12-34-56-78-90-c2", "hub: chf"))

    assert error.value.field == "devices[0].hub"


# -- consumption (what the meters measure) ------------------------------------------------------


@pytest.mark.spec("SRV-03")
def test_consumption_defaults_and_per_device_overrides_reach_the_meters() -> None:
    text = """
consumption:
  ESME: {daily_kwh: 10, spread: 0}
  GSME: {daily_m3: 2.5, seasonal: 0.5}
devices:
  - {id: 00-DB-12-34-56-78-90-B0, type: ESME, manufacturer: M, model: X, firmware: "01"}
  - {id: 00-DB-12-34-56-78-90-B1, type: ESME, manufacturer: M, model: X, firmware: "01",
     consumption: {daily_kwh: 3, export_daily_kwh: 4}}
"""
    fleet = parse_fleet(text, seed=7)
    model = fleet.consumption
    assert model.seed == 7
    assert model.defaults[DeviceType.ESME].daily == 10_000
    assert model.defaults[DeviceType.ESME].spread == 0
    assert model.defaults[DeviceType.GSME].daily == 2_500
    assert model.overrides["00-DB-12-34-56-78-90-B1"].export_daily == 4_000
    dsp = Dsp()
    fleet.load_into(dsp)
    assert dsp.state.network.consumption is model
    meter = dsp.state.network.readings(dsp.device("00-DB-12-34-56-78-90-B1"))
    assert meter is not None and meter.exported.daily > 0


@pytest.mark.spec("BAD-01")
@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("consumption: {TOASTER: {daily_kwh: 1}}", "consumption"),
        ("consumption: {ESME: {daily_kwh: -1}}", "consumption.ESME"),
        ("consumption: {ESME: {daily_kwh: lots}}", "consumption.ESME"),
        ("consumption: {ESME: {watts: 1}}", "consumption.ESME"),
        (
            "devices:\n  - {id: 00-DB-12-34-56-78-90-B0, type: ESME, manufacturer: M, model: X,"
            " firmware: '01', consumption: {seasonal: 0.9, jitter: 0.2}}",
            "devices[0].consumption",
        ),
    ],
)
def test_a_bad_consumption_profile_is_refused_by_name(text: str, field: str) -> None:
    with pytest.raises(InvalidField) as caught:
        parse_fleet(text)
    assert caught.value.field == field
