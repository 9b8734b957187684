"""The SRV registry is the one home of each served SRV: every layer is keyed by it, and these
tests fail when a layer misses one of its SRVs (or serves one the registry does not have)."""

from __future__ import annotations

import pytest

from dccsim.devices.kinds import DeviceType
from dccsim.server.core.matrix import SERVICE_MATRIX
from dccsim.server.core.requests import SignedPreCommand
from dccsim.server.core.services import REGISTRY
from dccsim.server.duis import bodies, parse
from dccsim.server.rpc import convert

DEVICE_SRVS = sorted(srv for srv, spec in REGISTRY.items() if spec.run_on_device is not None)
DSP_SRVS = sorted(srv for srv, spec in REGISTRY.items() if spec.run_in_dsp is not None)


@pytest.mark.spec("SRV-01", "REQ-04")
def test_every_registered_srv_is_in_the_matrix_and_runs_where_the_matrix_says() -> None:
    for srv, spec in REGISTRY.items():
        definition = SERVICE_MATRIX[srv]
        assert (spec.run_in_dsp is not None) is definition.non_device, srv
        assert (spec.run_on_device is not None) is not definition.non_device, srv
        assert spec.srv == srv


@pytest.mark.spec("SRV-01")
def test_the_duis_reader_reads_exactly_the_registered_srvs() -> None:
    assert set(parse.BODY_READERS) == set(REGISTRY)


@pytest.mark.spec("SRV-01")
def test_the_grpc_conversion_reads_every_registered_body() -> None:
    readable = {body_type for body_type, _ in convert.BODY_READERS.values()}
    assert REGISTRY.body_types <= readable
    assert readable - REGISTRY.body_types == {SignedPreCommand}


@pytest.mark.spec("SRV-01", "SRV-02")
def test_the_duis_writer_writes_every_registered_response() -> None:
    for srv in DSP_SRVS:
        for response in REGISTRY[srv].responses:
            assert response in bodies.SYNC_WRITERS, (srv, response)
    for srv in DEVICE_SRVS:
        responses = REGISTRY[srv].responses
        if responses:
            assert all(response in bodies.MMC_WRITERS for response in responses), srv
        else:
            assert srv in bodies.EMPTY_RESPONSE_BODIES, srv


@pytest.mark.spec("SRV-01")
def test_no_layer_serves_an_srv_the_registry_lacks() -> None:
    assert set(bodies.EMPTY_RESPONSE_BODIES) <= set(DEVICE_SRVS)
    registered_responses = {r for spec in REGISTRY.values() for r in spec.responses}
    assert set(bodies.MMC_WRITERS) <= registered_responses
    assert set(bodies.SYNC_WRITERS) <= registered_responses


@pytest.mark.spec("REQ-06")
def test_device_types_live_in_the_registry() -> None:
    assert all(spec.device_types is None for srv, spec in REGISTRY.items() if srv in DSP_SRVS)
    # An SRV not (yet) served applies to any device type; 4.1.1, served, to meters only.
    unserved = [srv for srv in SERVICE_MATRIX if srv not in REGISTRY]
    for srv in unserved[:1]:
        assert REGISTRY.applies_to(srv, next(iter(REGISTRY["11.3"].device_types or ())))
    assert not REGISTRY.applies_to("4.1.1", DeviceType.HCALCS)


# The responses `convert` turns into messages itself (the first registry SRVs'); every other
# response comes with its family's filler (dccsim.server.rpc.bodies).
_CONVERTED_IN_CONVERT = {
    "InventoryResult",
    "UpdateFirmwareWarnings",
    "WanMatrixResult",
    "FirmwareVersionRead",
    "FirmwareActivation",
}


@pytest.mark.spec("SRV-01", "SRV-02")
def test_the_grpc_conversion_answers_every_registered_response() -> None:
    from dccsim.server.rpc import bodies as rpc_bodies

    for srv, spec in REGISTRY.items():
        for response in spec.responses:
            handled = (
                response.__name__ in _CONVERTED_IN_CONVERT
                or response in rpc_bodies.SYNC_FILLERS
                or response in rpc_bodies.RESPONSE_FILLERS
            )
            assert handled, (srv, response)
