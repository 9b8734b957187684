"""DUIS bodies of the security credential SRVs: 6.23 UpdateSecurityCredentialsCoS."""

from __future__ import annotations

from lxml import etree

from dccsim.server.core.requests import (
    UpdateSecurityCredentialsCoS,
)
from dccsim.server.duis.bodies.family import BodyFamily
from dccsim.server.duis.reading import (
    BodyReading,
    boolean_value,
    optional_datetime,
    sequence,
    text_value,
    unsigned_value,
)


def _change_of_supplier(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(
        element,
        path,
        [
            ("ExecutionDateTime", 0, 1),
            ("SupplierFloorSeqNumber", 1, 1),
            ("SupplierPrepaymentTopUpFloorSeqNumber", 0, 1),
            ("SupplierReplacementCertificates", 1, 1),
            ("CertificationPathCertificates", 1, 1),
            ("ApplyTimeBasedCPVChecks", 1, 1),
            ("ImportMPxN", 1, 1),
        ],
    )
    for name in ("SupplierFloorSeqNumber", "SupplierPrepaymentTopUpFloorSeqNumber"):
        for item in parts[name]:
            unsigned_value(item, f"{path}/{name}")
    boolean_value(parts["ApplyTimeBasedCPVChecks"][0], f"{path}/ApplyTimeBasedCPVChecks")
    mpxn = text_value(parts["ImportMPxN"][0], f"{path}/ImportMPxN")
    body = UpdateSecurityCredentialsCoS(mpxn)
    return body, optional_datetime(parts, path), {"body.import_mpxn": f"{path}/ImportMPxN"}


FAMILY = BodyFamily(
    readers={"6.23": ("UpdateSecurityCredentialsCoS", _change_of_supplier)},
    empty_responses={"6.23": "UpdateSecurityCredentialsCoSRsp"},
)
