"""DUIS bodies of 9.1 RequestCustomerIdentificationNumber and 14.1 RecordNetworkDataGAS in; the MMC
RequestCustomerIdentificationNumberRsp (empty: the CIN travels beside it, in the DUIS CINMessage
that carries the payload) and RecordNetworkDataGASRsp out."""

from __future__ import annotations

from lxml import etree

from dccsim.server.core.services.customer_and_network import (
    CustomerIdentificationNumberShown,
    NetworkDataLogStarted,
    RecordNetworkDataGas,
    RequestCustomerIdentificationNumber,
)
from dccsim.server.duis.bodies.family import BodyFamily
from dccsim.server.duis.reading import contentless
from dccsim.server.duis.writing import ra, sub


def _cin_rsp(shown: CustomerIdentificationNumberShown) -> etree._Element:
    return etree.Element(ra("RequestCustomerIdentificationNumberRsp"))


def _cin_message(
    message: etree._Element, shown: CustomerIdentificationNumberShown, payload: str
) -> None:
    """9.1's ResponseMessage: a CINMessage, the device's payload with the CIN it shows."""
    element = sub(message, "CINMessage")
    sub(element, "GBCSPayload", payload)
    sub(element, "CustomerIdentificationNumber", shown.cin)


def _network_data_rsp(started: NetworkDataLogStarted) -> etree._Element:
    element = etree.Element(ra("RecordNetworkDataGASRsp"))
    sub(element, "SampleID", str(started.sample_id))
    return element


FAMILY: BodyFamily = BodyFamily(
    readers={
        "9.1": (
            "RequestCustomerIdentificationNumber",
            contentless(RequestCustomerIdentificationNumber),
        ),
        "14.1": ("RecordNetworkDataGAS", contentless(RecordNetworkDataGas)),
    },
    mmc_writers={
        CustomerIdentificationNumberShown: _cin_rsp,
        NetworkDataLogStarted: _network_data_rsp,
    },
    response_messages={CustomerIdentificationNumberShown: _cin_message},
)
