"""`AsyncClient` offers every call `Client` does (issue 19), with the same arguments, and maps
refusals to the same exceptions: checked by introspection, then against an in-process server."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Iterator
from datetime import timedelta
from typing import TypeVar

import pytest

from dccsim.clients.client import (
    AcknowledgementLost,
    Answer,
    AsyncClient,
    Client,
    InvalidRequest,
    NotFoundError,
)
from dccsim.server.keys import ACB_EUI, CertificateRole, KeyStore, TestPki
from dccsim.server.rpc.app import RunningServer, start_server
from dccsim.v1 import control_pb2, types_pb2
from tests.conftest import (
    CHF,
    ESME,
    EXAMPLE_NEW_FIRMWARE,
    GSME,
    NEW_IMAGE,
    NEW_IMAGE_HASH,
    SUPPLIER_A,
    example_dsp,
)
from tests.rpc.test_batch import check_mixed, mixed_batch, read

T = TypeVar("T")


def public_calls(cls: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
    }


def test_the_async_client_has_every_call_of_the_client_and_no_other() -> None:
    sync, aio = public_calls(Client), public_calls(AsyncClient)
    assert sorted(set(sync) - set(aio)) == [], "calls AsyncClient lacks"
    assert sorted(set(aio) - set(sync)) == [], "calls Client lacks"
    for name, signature in sync.items():
        # The same parameters (names, kinds, defaults); the result awaited or iterated async.
        assert list(aio[name].parameters.values()) == list(signature.parameters.values()), name
        call = getattr(AsyncClient, name)
        if inspect.isgeneratorfunction(getattr(Client, name)):
            assert inspect.isasyncgenfunction(call), name
        else:
            assert inspect.iscoroutinefunction(call), name


def run(address: str, scenario: Callable[[AsyncClient], Awaitable[T]]) -> T:
    async def session() -> T:
        async with AsyncClient(address) as dcc:
            return await scenario(dcc)

    return asyncio.run(asyncio.wait_for(session(), 20))


@pytest.fixture
def address(server: RunningServer) -> str:
    return f"127.0.0.1:{server.port}"


def test_async_refusals_raise_what_the_client_raises(address: str) -> None:
    async def scenario(dcc: AsyncClient) -> None:
        with pytest.raises(NotFoundError):
            await dcc.device("00-00-00-00-00-00-00-01")
        with pytest.raises(InvalidRequest) as caught:
            await dcc.read_firmware_version(user="not-an-eui", device=ESME)
        assert caught.value.field == "request_id.originator"
        with pytest.raises(InvalidRequest) as bad_fleet:
            await dcc.load_fleet("devices: [{id: bad}]")
        assert bad_fleet.value.field == "devices[0].id"

    run(address, scenario)


def test_async_batches_and_batched_deliveries(address: str) -> None:
    async def scenario(dcc: AsyncClient) -> None:
        check_mixed(await dcc.submit_batch(mixed_batch()))
        async for delivered in dcc.delivery_batches(SUPPLIER_A, timeout=5):
            assert [d.service_response.request_id for d in delivered] == [
                f"{SUPPLIER_A}:{ESME}:100",
                f"{SUPPLIER_A}:{CHF}:103",
            ]
            break
        body = {"activate_firmware": {"firmware_hash": b"\x00" * 32}}
        esme, bad, gsme = await dcc.send_critical_batch(
            "11.3", user=SUPPLIER_A, targets=[ESME, "not-an-eui", GSME], body=body
        )
        assert isinstance(esme, Answer) and esme.code == "I99"
        assert isinstance(bad, InvalidRequest)
        assert isinstance(gsme, Answer) and gsme.code == "I99"
        await dcc.add_fault_rule(
            control_pb2.FaultRule(action="drop", stage="acknowledgement", srv="11.2")
        )
        assert [type(o) for o in await dcc.submit_batch([read(ESME, dcc.next_counter())])] == [
            AcknowledgementLost
        ]
        # A subscription's timeout ends it quietly, as the Client's does.
        assert len([d async for d in dcc.deliveries(SUPPLIER_A, after=10**6, timeout=0.5)]) == 0

    run(address, scenario)


def test_async_control_calls(address: str) -> None:
    async def scenario(dcc: AsyncClient) -> None:
        assert (await dcc.reset()) == 7
        assert (await dcc.device(ESME)).device_id == ESME
        esmes = await dcc.devices(device_type=types_pb2.DEVICE_TYPE_ESME)
        assert ESME in [d.device_id for d in esmes]
        assert {d.device_type for d in esmes} == {types_pb2.DEVICE_TYPE_ESME}
        assert len(await dcc.devices(limit=2)) == 2
        listed = {(e.manufacturer, e.model, e.firmware_version) for e in await dcc.cpl()}
        assert ("DCCSIM", "ESME-S2", "0100") in listed
        removed = await dcc.set_cpl_status(
            "DCCSIM", "ESME-S2", "0100", types_pb2.CPL_STATUS_REMOVED
        )
        assert removed.devices_suspended == 1
        suspended = await dcc.devices(status=types_pb2.SMI_STATUS_SUSPENDED)
        assert ESME in [d.device_id for d in suspended]
        assert {d.status for d in suspended} == {types_pb2.SMI_STATUS_SUSPENDED}
        recovering = await dcc.begin_recovery(GSME, actor="ops")
        assert recovering.status == types_pb2.SMI_STATUS_RECOVERY
        recovered = await dcc.complete_recovery(GSME, actor="ops", reason="done")
        assert recovered.status == types_pb2.SMI_STATUS_RECOVERED
        kept = await dcc.put_receive_url(SUPPLIER_A, "127.0.0.1:1880/smartdcc/duis")
        assert kept == "http://127.0.0.1:1880/smartdcc/duis"
        assert await dcc.put_receive_url(SUPPLIER_A, "") == ""
        rule_id = await dcc.add_fault_rule(control_pb2.FaultRule(action="drop", srv="6.2.1"))
        assert [r.rule_id for r in await dcc.fault_rules()] == [rule_id]
        await dcc.remove_fault_rule(rule_id)
        assert await dcc.fault_rules() == []
        with pytest.raises(NotFoundError):
            await dcc.remove_fault_rule(rule_id)
        raised = await dcc.raise_device_alert(GSME, 0x810D)
        assert list(raised.recipients) == [SUPPLIER_A]
        assert await dcc.fault_decisions() == []
        before = (await dcc.clock()).now.ToDatetime()
        advanced = await dcc.advance(timedelta(minutes=1))
        assert advanced.now.ToDatetime() - before >= timedelta(minutes=1)
        assert (await dcc.set_clock_rate(2.0)).rate == 2.0
        received = [d async for d in dcc.deliveries(SUPPLIER_A, timeout=1)]
        assert received[0].dcc_alert.dcc_alert_code == "N28"  # ESME suspended by the CPL
        assert received[-1].device_alert.alert_code == 0x810D
        assert await dcc.acknowledge(SUPPLIER_A, received[-1].sequence) == len(received)

    run(address, scenario)


@pytest.fixture
def keyed_server() -> Iterator[RunningServer]:
    store = KeyStore(source=TestPki(bytes(range(32))))
    store.register(ACB_EUI)
    store.register(SUPPLIER_A, CertificateRole.SUPPLIER)
    running = start_server(example_dsp, max_workers=4, keystore=store)
    yield running
    running.stop(grace=None)


@pytest.mark.spec("GBCS-03", "REQ-05")
def test_the_async_one_shot_signs_with_the_exported_ds_key(keyed_server: RunningServer) -> None:
    """As `Client`'s: without a signer given, the Users' DS keys are fetched from ExportKeys
    when the first GBCS PreCommand needs signing."""

    async def scenario(dcc: AsyncClient) -> tuple[str, str, bool]:
        owners = {owner async for owner, _files in dcc.export_keys(no_devices=True)}
        with pytest.raises(NotFoundError):
            async for _ in dcc.export_keys(device_ids=["11-22-33-44-55-66-77-88"]):
                pass
        updated = await dcc.update_firmware(
            user=SUPPLIER_A, image=NEW_IMAGE, version=EXAMPLE_NEW_FIRMWARE, devices=[ESME]
        )
        activated = await dcc.activate_firmware(
            user=SUPPLIER_A, device=ESME, image_hash=NEW_IMAGE_HASH
        )
        return updated.code, activated.code, SUPPLIER_A in owners and ESME not in owners

    address = f"127.0.0.1:{keyed_server.port}"
    assert run(address, scenario) == ("I99", "I99", True)
