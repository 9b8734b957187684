"""The embedded Service Request Matrix against the reference table in ../shared, row for row."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from dccsim.devices.kinds import DeviceType
from dccsim.server.core.matrix import SERVICE_MATRIX, CommandVariant
from dccsim.server.core.matrix_data import MATRIX_ROWS
from dccsim.server.core.records import UserRole
from dccsim.server.core.services import REGISTRY
from tests.conftest import SHARED

MATRIX_FILE = SHARED / "reference" / "duis-service-request-matrix.txt"
HEADER = (
    "SRV | Name | Critical | OnDemand | FutureDated | DCCScheduled | NonDevice | Roles"
    " | AllowedCV(XSD5.4 comment)"
)


@dataclass(frozen=True)
class ReferenceRow:
    srv: str
    name: str
    critical: bool
    future_dated: str
    dcc_scheduled: bool
    non_device: bool
    roles: str
    command_variants: frozenset[int]


def _yes(text: str) -> bool:
    assert text in ("Yes", "No"), text
    return text == "Yes"


def _read_reference(path: Path) -> list[ReferenceRow]:
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index(HEADER) + 1
    rows = []
    for line in lines[start:]:
        if not line.strip():
            break
        cells = [cell.strip() for cell in line.split(" | ")]
        assert len(cells) == 9, line
        srv, name, critical, _on_demand, future, scheduled, non_device, roles, cvs = cells
        rows.append(
            ReferenceRow(
                srv,
                name,
                _yes(critical),
                future,
                _yes(scheduled),
                _yes(non_device),
                roles,
                frozenset(int(cv) for cv in cvs.split(",")),
            )
        )
    return rows


@pytest.fixture(scope="module")
def reference() -> list[ReferenceRow]:
    if not MATRIX_FILE.is_file():
        pytest.skip(
            f"the reference matrix {MATRIX_FILE} is absent (tests read ../shared next to the "
            "repository); cannot compare the embedded matrix with it"
        )
    return _read_reference(MATRIX_FILE)


def _roles(text: str) -> frozenset[UserRole]:
    return frozenset(UserRole(role) for role in text.split(",") if role)


@pytest.mark.spec("AUTH-02", "REQ-06")
def test_reference_has_all_129_srvs_in_the_embedded_order(reference: list[ReferenceRow]) -> None:
    assert len(reference) == 129
    assert [row.srv for row in reference] == [row[0] for row in MATRIX_ROWS]
    assert list(SERVICE_MATRIX) == [row.srv for row in reference]


@pytest.mark.spec("AUTH-02", "REQ-06")
def test_embedded_rows_match_the_reference_row_for_row(reference: list[ReferenceRow]) -> None:
    mismatches = []
    for ref, row in zip(reference, MATRIX_ROWS, strict=True):
        srv, name, critical, future_dated, dcc_scheduled, non_device, roles, cvs = row
        embedded = ReferenceRow(
            srv,
            name,
            critical,
            future_dated,
            dcc_scheduled,
            non_device,
            roles,
            frozenset(int(cv) for cv in cvs.split(",")),
        )
        if embedded != ref:
            mismatches.append((ref, embedded))
    assert mismatches == []


@pytest.mark.spec("AUTH-02", "REQ-08")
def test_roles_match_the_reference(reference: list[ReferenceRow]) -> None:
    for ref in reference:
        assert SERVICE_MATRIX[ref.srv].roles == _roles(ref.roles), ref.srv


@pytest.mark.spec("AUTH-02")
def test_every_srv_has_roles_in_the_corrected_source(reference: list[ReferenceRow]) -> None:
    assert all(ref.roles for ref in reference)
    assert SERVICE_MATRIX["7.16"].roles == {UserRole.LOAD_CONTROLLER}
    assert SERVICE_MATRIX["8.5"].roles == SERVICE_MATRIX["8.6"].roles == {UserRole.IMPORT_SUPPLIER}


@pytest.mark.spec("AUTH-02")
def test_dcc_scheduled_srvs_follow_the_reference(reference: list[ReferenceRow]) -> None:
    for ref in reference:
        assert SERVICE_MATRIX[ref.srv].dcc_scheduled is ref.dcc_scheduled, ref.srv
    assert SERVICE_MATRIX["4.2"].dcc_scheduled


@pytest.mark.spec("REQ-06")
def test_command_variants_match_the_reference(reference: list[ReferenceRow]) -> None:
    for ref in reference:
        cvs = {int(cv) for cv in SERVICE_MATRIX[ref.srv].command_variants}
        assert cvs == ref.command_variants, ref.srv


@pytest.mark.spec("REQ-06", "REQ-04")
def test_non_device_srvs_take_cv8_and_device_srvs_never_do(reference: list[ReferenceRow]) -> None:
    for ref in reference:
        definition = SERVICE_MATRIX[ref.srv]
        assert definition.non_device is ref.non_device, ref.srv
        if ref.non_device:
            assert definition.command_variants == {CommandVariant.NON_DEVICE}, ref.srv
        else:
            assert CommandVariant.NON_DEVICE not in definition.command_variants, ref.srv


@pytest.mark.spec("REQ-05", "REQ-06")
def test_criticality_follows_the_reference(reference: list[ReferenceRow]) -> None:
    for ref in reference:
        definition = SERVICE_MATRIX[ref.srv]
        derived = any(cv.is_critical for cv in definition.command_variants)
        assert definition.critical is derived, ref.srv
        assert definition.critical is (ref.critical and not ref.non_device), ref.srv
    # The corrected rows (shared/reference notes them).
    assert SERVICE_MATRIX["7.12"].critical and SERVICE_MATRIX["7.13"].critical
    assert not SERVICE_MATRIX["7.14"].critical and not SERVICE_MATRIX["7.15"].critical


@pytest.mark.spec("REQ-07")
def test_future_dating_follows_the_reference(reference: list[ReferenceRow]) -> None:
    for ref in reference:
        definition = SERVICE_MATRIX[ref.srv]
        assert definition.future_dated == ref.future_dated, ref.srv
        assert definition.can_be_future_dated is (ref.future_dated != "No"), ref.srv
    assert SERVICE_MATRIX["11.3"].future_dated == "Device"
    assert SERVICE_MATRIX["11.2"].future_dated == "DSP"
    assert SERVICE_MATRIX["6.23"].future_dated == "DSP & Device"


@pytest.mark.spec("AUTH-02")
def test_spec_examples_of_role_eligibility() -> None:
    suppliers = {UserRole.IMPORT_SUPPLIER, UserRole.GAS_SUPPLIER}
    for srv in ("11.1", "11.3", "2.2", "6.23"):
        assert SERVICE_MATRIX[srv].roles == suppliers, srv
    seven_roles = set(UserRole) - {UserRole.LOAD_CONTROLLER}  # AUTH-02's "all seven roles"
    for srv in ("11.2", "8.2", "8.4", "12.1"):
        assert SERVICE_MATRIX[srv].roles == seven_roles, srv


@pytest.mark.spec("REQ-06", "AUTH-09")
def test_served_srvs_command_variants() -> None:
    expected = {
        "2.2": {1, 2, 3},
        "6.23": {1, 2, 3},
        "6.15.1": {4, 5, 6, 7},
        "6.15.2": {4, 5, 6, 7},
        "6.17": {4, 5, 6, 7},
        "6.21": {1, 2, 3},
        "6.24.1": {1, 2, 3},
        "6.24.2": {4, 5, 6, 7},
        "8.1.1": {4, 5},
        "8.2": {8},
        "8.4": {8},
        "11.1": {8},
        "11.2": {1, 2, 3},
        "11.3": {4, 5, 6, 7},
        "12.1": {8},
        "8.5": {1},
        "8.6": {8},
        "8.13": {8},
        "8.3": {8},
        "8.14.1": {8},
        "8.14.2": {8},
        "8.14.3": {8},
        "8.14.4": {8},
        "11.4": {8},
        "12.2": {8},
        "5.1": {8},
        "5.2": {8},
        "5.3": {8},
        "6.28": {1, 2, 3},
        "6.29": {1, 2, 3},
        "6.30": {1, 2, 3},
        "6.31": {1, 2, 3},
        "6.32": {1, 2, 3},
        "9.1": {1, 2, 3},
        "14.1": {1, 2, 3},
        "8.7.1": {4, 5, 6, 7},
        "8.7.2": {1, 2, 3},
        "8.8.1": {4, 5, 6, 7},
        "8.8.2": {1, 2, 3},
        "8.9": {1, 2, 3},
        "8.11": {1, 2, 3},
        "8.12.1": {1, 2, 3},
        "8.12.2": {1, 2, 3},
        # Auxiliary loads: 7.12/7.13 critical, 7.14/7.15 not (the matrix's corrections).
        "6.14.1": {4, 5, 6, 7},
        "6.14.2": {4, 5, 6, 7},
        "6.14.3": {4, 5, 6, 7},
        "7.5": {4, 5, 6, 7},
        "7.6": {4, 5, 6, 7},
        "7.7": {1, 2, 3},
        "7.8": {4, 5, 6, 7},
        "7.9": {1, 2, 3},
        "7.10": {1, 2, 3},
        "7.11": {1, 2, 3},
        "7.12": {4, 5, 6, 7},
        "7.13": {4, 5, 6, 7},
        "7.14": {1, 2, 3},
        "7.15": {1, 2, 3},
        "7.16": {4, 5, 6, 7},
        # Device configuration and display: 6.6, 6.7, 6.11 and 6.25 critical.
        **{srv: {1, 2, 3} for srv in ("3.1", "3.2", "3.3", "3.4", "3.5", "6.2.1", "6.2.2")},
        **{srv: {1, 2, 3} for srv in ("6.2.4", "6.2.5", "6.2.7", "6.2.8", "6.2.10", "6.5")},
        **{srv: {1, 2, 3} for srv in ("6.12", "6.13", "6.20.1", "6.20.2", "6.22")},
        **{srv: {4, 5, 6, 7} for srv in ("6.6", "6.7", "6.11", "6.25")},
        # Meter-data reads and their configuration: 6.4.1 critical.
        **{srv: {1, 2, 3} for srv in ("4.1.1", "4.2", "4.6.1", "4.6.2", "4.8.1", "4.8.2")},
        **{srv: {1, 2, 3} for srv in ("4.8.3", "4.10", "4.12.1", "4.12.2", "4.15", "4.16")},
        **{srv: {1, 2, 3} for srv in ("4.17", "6.4.2", "6.18.1", "6.18.2", "6.27")},
        "6.4.1": {4, 5, 6, 7},
        # Prepayment and supply: the reads and 2.2 non-critical, every write critical.
        **{srv: {4, 5, 6, 7} for srv in ("1.5", "1.6", "2.1", "2.3", "2.5", "7.1", "7.2", "7.3")},
        **{srv: {1, 2, 3} for srv in ("4.3", "4.4.4", "4.4.5", "4.13", "4.14", "4.18", "6.2.9")},
        "7.4": {1, 2, 3},
        # Tariffs and billing: every write critical, every read not.
        **{srv: {4, 5, 6, 7} for srv in ("1.1.1", "1.1.2", "1.2.1", "1.2.2", "1.7", "6.8", "6.26")},
        **{srv: {1, 2, 3} for srv in ("4.1.2", "4.1.3", "4.1.4", "4.4.2", "4.4.3", "4.11.1")},
        **{srv: {1, 2, 3} for srv in ("4.11.2", "6.2.3")},
    }
    assert set(expected) == set(REGISTRY)
    for srv, cvs in expected.items():
        assert {int(cv) for cv in SERVICE_MATRIX[srv].command_variants} == cvs, srv


@pytest.mark.spec("REQ-06")
def test_device_type_applicability_of_served_srvs() -> None:
    everything_but_ihd_cad = set(DeviceType) - {DeviceType.IHD, DeviceType.CAD}
    assert REGISTRY["11.2"].device_types == everything_but_ihd_cad
    assert REGISTRY["11.3"].device_types == {
        DeviceType.ESME,
        DeviceType.GSME,
        DeviceType.CHF,
        DeviceType.HCALCS,
    }
    for srv in ("2.2", "6.23", "8.1.1"):
        assert REGISTRY[srv].device_types == {DeviceType.ESME, DeviceType.GSME}, srv
    meters = {DeviceType.ESME, DeviceType.GSME, DeviceType.GPF}
    assert REGISTRY["4.1.1"].device_types == meters  # a GPF answers for its GSME (GCS13a)
    assert REGISTRY["4.2"].device_types == {DeviceType.ESME}
    assert not REGISTRY.applies_to("11.3", DeviceType.PPMID)
    assert not REGISTRY.applies_to("11.3", DeviceType.GPF)
