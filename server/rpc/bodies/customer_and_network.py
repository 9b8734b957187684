"""gRPC messages of 9.1 Request Customer Identification Number and 14.1 Record Network Data
(GAS) (customer_and_network.proto)."""

from __future__ import annotations

from dccsim.server.core.services.customer_and_network import (
    CustomerIdentificationNumberShown,
    NetworkDataLogStarted,
    RecordNetworkDataGas,
    RequestCustomerIdentificationNumber,
)
from dccsim.server.rpc.bodies.family import MessageFamily
from dccsim.v1 import supplier_pb2


def _cin(response: supplier_pb2.ServiceResponse, shown: CustomerIdentificationNumberShown) -> None:
    response.customer_identification_number.cin = shown.cin


def _network_data(response: supplier_pb2.ServiceResponse, started: NetworkDataLogStarted) -> None:
    response.network_data_log_started.sample_id = started.sample_id


FAMILY = MessageFamily(
    readers={
        "request_customer_identification_number": (
            RequestCustomerIdentificationNumber,
            lambda _: RequestCustomerIdentificationNumber(),
        ),
        "record_network_data_gas": (RecordNetworkDataGas, lambda _: RecordNetworkDataGas()),
    },
    response_fillers={
        CustomerIdentificationNumberShown: _cin,
        NetworkDataLogStarted: _network_data,
    },
)
