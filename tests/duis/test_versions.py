"""Interface versions (VER-01): every document is shaped for its recipient's DUIS version, and N26
carries ECoSErrorCode only for users on 5.2 or later (ALERT-02)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dccsim.server.core.fleet import SUPPLIER_A
from dccsim.server.core.messages import ChangeOfSupplier, DccAlertMessage
from dccsim.server.core.records import DuisVersion
from dccsim.server.duis.build import build_outbox_message, build_sync_answer
from tests.conftest import ESME, Sim
from tests.duis.documents import (
    ALL_VERSIONS,
    COS_BODY,
    OfficialSchemas,
    count,
    request_xml,
    served,
    text,
    texts,
    tree,
)

V5_1, V5_2 = DuisVersion.V5_1, DuisVersion.V5_2


def _refused_change_of_supplier(sim: Sim, counter: int = 4000) -> tuple[str, DccAlertMessage]:
    """A 6.23 in XML that the ECoS party refuses with E01: the N26 the user is sent."""
    sim.dsp.program_ecos_failure(ESME, "E01")
    rid = f"{SUPPLIER_A}:{ESME}:{counter}"
    _, answer, _ = served(sim.dsp, request_xml("6.23", COS_BODY, request_id=rid, cv=1))
    assert answer.code == "I99"
    [entry] = sim.dsp.pending(SUPPLIER_A)
    assert isinstance(entry.message, DccAlertMessage)
    return rid, entry.message


@pytest.mark.spec("ALERT-02", "VER-01")
def test_n26_with_ecos_error_code_is_valid_against_5_3a(sim: Sim, schemas: OfficialSchemas) -> None:
    rid, alert = _refused_change_of_supplier(sim)
    document = build_outbox_message(alert, V5_2)
    schemas.assert_valid(document, V5_2)
    assert text(document, "//sr:DCCAlertCode") == "N26"
    assert text(document, "//sr:ChangeOfSupplier/sr:ChangeOfSupplierServiceRequestID") == rid
    assert text(document, "//sr:ChangeOfSupplier/sr:ECoSErrorCode") == "E01"
    # The element does not exist in DUIS 5.1: this document would be invalid for a 5.1 user.
    assert not schemas.v5_1.validate(tree(document))


@pytest.mark.spec("ALERT-02", "VER-01")
def test_n26_without_ecos_error_code_is_valid_against_5_1(
    sim: Sim, schemas: OfficialSchemas
) -> None:
    user = sim.dsp.state.users[SUPPLIER_A]
    sim.dsp.add_user(replace(user, interface_version=V5_1))
    rid, alert = _refused_change_of_supplier(sim)
    assert alert.body == ChangeOfSupplier(alert.body.request_id, None)  # the core shaped it
    document = build_outbox_message(alert, V5_1)
    schemas.assert_valid(document, V5_1)
    assert text(document, "//sr:ChangeOfSupplier/sr:ChangeOfSupplierServiceRequestID") == rid
    assert count(document, "//sr:ECoSErrorCode") == 0


@pytest.mark.spec("ALERT-02", "VER-01")
@pytest.mark.parametrize("version", ALL_VERSIONS, ids=lambda v: f"v{v.value}")
def test_n26_is_shaped_for_each_interface_version(
    sim: Sim, schemas: OfficialSchemas, version: DuisVersion
) -> None:
    _, alert = _refused_change_of_supplier(sim)
    # Even handed a body with the code, the builder leaves it out for a 5.1 user.
    document = build_outbox_message(alert, version)
    schemas.assert_valid(document, version)
    assert tree(document).get("schemaVersion") == version.value
    assert texts(document, "//sr:ECoSErrorCode") == ([] if version is V5_1 else ["E01"])


@pytest.mark.spec("VER-01")
@pytest.mark.parametrize("version", ALL_VERSIONS, ids=lambda v: f"v{v.value}")
def test_wan_matrix_answer_is_shaped_for_each_interface_version(
    sim: Sim, schemas: OfficialSchemas, version: DuisVersion
) -> None:
    body = "<sr:RequestWANMatrix><sr:UPRN>100000000001</sr:UPRN></sr:RequestWANMatrix>"
    document = request_xml("12.1", body, request_id=f"{SUPPLIER_A}:{sim.acb}:5000", cv=8)
    _, answer, _ = served(sim.dsp, document)
    built = build_sync_answer(answer, version, at=sim.dsp.now())
    schemas.assert_valid(built, version)
    assert text(built, "//sr:DSPWANMatrix/sr:Request/sr:UPRN") == "100000000001"
    if version is V5_1:  # one flat answer
        assert count(built, "//sr:DSPWANMatrix/sr:CSPRegion") == 1
        assert count(built, "//sr:DSPWANMatrixResponse") == 0
        assert text(built, "//sr:DSPWANMatrix/sr:ConnectivityLikelihood") == "High"
    else:  # one DSPWANMatrixResponse per region, each with its response code
        assert text(built, "//sr:DSPWANMatrixResponse/sr:CSPRegionResponseCode") == "I0"
        assert text(built, "//sr:DSPWANMatrixResponse/sr:CoverageAvailability") == "true"
        assert text(built, "//sr:DSPWANMatrixResponse/sr:WANTechnology") == "Cellular 4G"


@pytest.mark.spec("VER-01")
@pytest.mark.parametrize("version", ALL_VERSIONS, ids=lambda v: f"v{v.value}")
def test_every_document_names_the_recipients_version(
    sim: Sim, schemas: OfficialSchemas, version: DuisVersion
) -> None:
    rid = f"{SUPPLIER_A}:{ESME}:6000"
    document = request_xml("11.2", "<sr:ReadFirmwareVersion/>", request_id=rid, cv=1)
    _, answer, _ = served(sim.dsp, document)
    acknowledgement = build_sync_answer(answer, version, at=sim.dsp.now())
    [entry] = sim.dsp.pending(SUPPLIER_A)
    response = build_outbox_message(entry.message, version)
    for built in (acknowledgement, response):
        schemas.assert_valid(built, version)  # checks schemaVersion == version too
    assert text(response, "//sr:ResponseID") == f"{ESME}:{SUPPLIER_A}:6000"
