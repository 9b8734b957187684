"""dccsim.testing for suppliers' own test suites: the helpers, and the pytest plugin that an
installed dccsim registers (run here in a throwaway suite of its own, as a supplier's would be)."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import grpc
import pytest

from dccsim.clients.cli.campaign import campaign_fleet_yaml
from dccsim.clients.client import Client
from dccsim.devices.kinds import DeviceType
from dccsim.testing import (
    EXAMPLE_DEVICE_IDS,
    SUPPLIER_A,
    example_fleet_file,
    make_sim,
    serve_in_process,
)

pytest_plugins = ["pytester"]

ESME = EXAMPLE_DEVICE_IDS[DeviceType.ESME]

# One run of a suite covers every case: each pytest run costs seconds of imports and, in a
# subprocess, none of it leaks into this session (pytester's in-process runs unload the modules a
# run imported, which breaks the cryptography bindings the server loads).
A_SUPPLIERS_SUITE = f'''
import pytest

from dccsim.server.core.codes import ResponseCode
from dccsim.testing import SUPPLIER_A, InProcessServer, Sim


def test_the_dsp_in_process(dccsim_sim: Sim) -> None:
    assert dccsim_sim.read_firmware("{ESME}").code is ResponseCode.I99


def test_the_suites_own_fleet_from_the_ini_file(dccsim_client) -> None:
    assert len(dccsim_client.devices()) == 7


@pytest.mark.dccsim(fleet=None)
def test_a_server_on_the_example_fleet_and_its_client(
    dccsim_server: InProcessServer, dccsim_client
) -> None:
    assert dccsim_client.read_firmware_version(user=SUPPLIER_A, device="{ESME}").code == "I99"
    assert dccsim_server.duis_url.startswith("http://127.0.0.1:")
    assert dccsim_server.smki_url.startswith("http://127.0.0.1:")
    assert dccsim_server.host.dsp.baseline == "current"


@pytest.mark.dccsim(baseline="pre-MP105", http=False)
def test_the_marker_sets_the_server_up(dccsim_server: InProcessServer, dccsim_client) -> None:
    assert dccsim_server.host.dsp.baseline == "pre-MP105"
    assert dccsim_server.duis_url is None
    assert len(dccsim_client.devices()) == 7


@pytest.mark.dccsim("pre-MP105")
def test_a_marker_without_keywords_is_refused(dccsim_server) -> None:
    pass
'''


def test_an_installed_dccsim_registers_the_plugin_with_pytest() -> None:
    (entry,) = [e for e in metadata.entry_points(group="pytest11") if e.name == "dccsim"]
    assert entry.value == "dccsim.testing.plugin"


def test_a_suppliers_suite_gets_the_fixtures_without_a_conftest(
    pytester: pytest.Pytester,
) -> None:
    pytester.makefile(".yaml", fleet=campaign_fleet_yaml(7, 0.0))
    pytester.makeini("[pytest]\ndccsim_fleet = fleet.yaml\n")
    pytester.makepyfile(test_supplier=A_SUPPLIERS_SUITE)
    result = pytester.runpytest_subprocess("--strict-markers", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=4, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*UsageError: @pytest.mark.dccsim takes keywords only",
            "ERROR test_supplier.py::test_a_marker_without_keywords_is_refused*",
        ]
    )


def test_serve_in_process_serves_a_fleet_file_and_stops(tmp_path: Path) -> None:
    fleet = tmp_path / "fleet.yaml"
    fleet.write_text(campaign_fleet_yaml(3, 0.0), encoding="utf-8")
    with serve_in_process(fleet, http=False) as server, server.client() as client:
        assert len(client.devices()) == 3
        assert (server.duis_url, server.smki_url) == (None, None)
        address = server.address
    # Stopped: a new call finds nobody listening.
    with Client(address) as late, pytest.raises(grpc.RpcError) as failure:
        late.devices()
    assert failure.value.code() is grpc.StatusCode.UNAVAILABLE


def test_make_sim_drives_the_firmware_flow_in_process() -> None:
    sim = make_sim("pre-MP105")
    assert sim.dsp.baseline == "pre-MP105"
    assert sim.distribute(ESME).code.startswith("I")
    assert sim.record(ESME).firmware_version
    assert sim.messages(SUPPLIER_A)


def test_the_example_fleet_file_ships_with_the_package_and_serves() -> None:
    path = example_fleet_file()
    assert path.read_bytes() == (Path(__file__).parents[2] / "examples" / "fleet.yaml").read_bytes()
    with serve_in_process(path, http=False) as server, server.client() as client:
        assert len(client.devices()) > 200  # the dual-fuel home and 200 generated ESMEs
