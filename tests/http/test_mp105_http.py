"""The MP105 story end to end over HTTP, as a DCC Boxed user lives it: requests POSTed to the
three web services, every response and alert POSTed to the Users' receivers."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from dccsim.server.core.records import DuisVersion
from dccsim.server.rpc.app import RunningServer
from dccsim.v1 import control_pb2, types_pb2
from dccsim.v1.control_pb2_grpc import ControlServiceStub
from tests.conftest import (
    ESME,
    EXAMPLE_FIRMWARE,
    EXAMPLE_NEW_FIRMWARE,
    NETWORK_OPERATOR,
    NEW_IMAGE,
    NEW_IMAGE_HASH,
    SUPPLIER_A,
)
from tests.duis.documents import (
    ACB_ID,
    OfficialSchemas,
    b64,
    count,
    mmc,
    request_xml,
    signed_pre_command_xml,
    text,
)
from tests.http.receivers import Receiver, post

V5_2 = DuisVersion.V5_2


def _code(answer) -> str:
    assert answer.status == 200, answer.text
    return text(answer.body, "//sr:Header/sr:ResponseCode")


@pytest.mark.spec(
    "BOXED-01", "BOXED-02", "CPL-01", "FAULT-03", "DEV-07", "FW-06", "ALERT-01", "REQ-05"
)
def test_mp105_story_over_http(
    server: RunningServer,
    control: ControlServiceStub,
    duis: Callable[[str], str],
    receivers: Callable[..., Receiver],
    schemas: OfficialSchemas,
) -> None:
    supplier, network = receivers(), receivers()
    for user, receiver in ((SUPPLIER_A, supplier), (NETWORK_OPERATOR, network)):
        control.PutReceiveUrl(control_pb2.PutReceiveUrlRequest(user_id=user, url=receiver.url))

    # The CPL entry of the ESME's firmware is Removed: the ESME is Suspended, its supplier told.
    removed = types_pb2.CplEntry(
        manufacturer="DCCSIM",
        model="ESME-S2",
        firmware_version=EXAMPLE_FIRMWARE,
        status=types_pb2.CPL_STATUS_REMOVED,
    )
    assert control.PutCplEntry(removed).devices_suspended == 1
    supplier.wait_for(lambda r: len(r.accepted()) == 1)
    suspended = supplier.accepted()[0]
    schemas.assert_valid(suspended, V5_2)
    assert text(suspended, "//sr:DCCAlertCode") == "N28"
    assert count(suspended, "//sr:DeviceStatusChange/sr:DeviceSuspended") == 1

    # 11.1 to the Non-Device Service: the ESME's Firmware Distribution Receipt follows.
    body = (
        f"<sr:UpdateFirmware><sr:FirmwareImage>{b64(NEW_IMAGE)}</sr:FirmwareImage>"
        f"<sr:FirmwareVersion>{EXAMPLE_NEW_FIRMWARE}</sr:FirmwareVersion>"
        f"<sr:DeviceIDList>{ESME}</sr:DeviceIDList></sr:UpdateFirmware>"
    )
    update = request_xml("11.1", body, request_id=f"{SUPPLIER_A}:{ACB_ID}:2000", cv=8)
    assert _code(post(duis("serviceD"), update)) in ("I99", "W110101")
    supplier.wait_for(lambda r: len(r.accepted()) == 2)
    receipt = supplier.accepted()[1]
    schemas.assert_valid(receipt, V5_2)
    assert text(receipt, "//sr:DeviceAlertMessage/sr:AlertCode") == "8F72"

    # 11.3: CV 4 to the Transform Service, the PreCommand back with CV 5 to the Send Command
    # Service; its response is lost (FAULT-03) but the device activates.
    rid = f"{SUPPLIER_A}:{ESME}:2001"
    body = (
        f"<sr:ActivateFirmware><sr:FirmwareHash>{NEW_IMAGE_HASH.hex().upper()}"
        "</sr:FirmwareHash></sr:ActivateFirmware>"
    )
    pre_command = post(duis("serviceT"), request_xml("11.3", body, request_id=rid, cv=4))
    assert _code(pre_command) == "I0"
    control.AddFaultRule(control_pb2.FaultRule(action="drop", srv="11.3"))
    signed = signed_pre_command_xml(pre_command.body, rid, "11.3")
    assert _code(post(duis("serviceS"), signed)) == "I99"
    device = control.GetDevice(control_pb2.GetDeviceRequest(device_id=ESME))
    assert device.status == types_pb2.SMI_STATUS_SUSPENDED
    time.sleep(0.3)
    assert len(supplier.accepted()) == 2  # nothing came back

    # 11.2 to the Send Command Service restores the ESME (FW-06): the response, then N29 to the
    # supplier and to the network operator.
    read = request_xml(
        "11.2", "<sr:ReadFirmwareVersion/>", request_id=f"{SUPPLIER_A}:{ESME}:2002", cv=1
    )
    assert _code(post(duis("serviceS"), read)) == "I99"
    supplier.wait_for(lambda r: len(r.accepted()) == 4)
    response, restored = supplier.accepted()[2:]
    for document in (response, restored):
        schemas.assert_valid(document, V5_2)
    assert text(response, "//sr:ResponseID") == f"{ESME}:{SUPPLIER_A}:2002"
    assert text(mmc(response), "//ra:ReadFirmwareVersionRsp/ra:FirmwareVersion") == "0200"
    assert text(restored, "//sr:DCCAlertCode") == "N29"
    network.wait_for(lambda r: len(r.accepted()) == 1)
    [to_network] = network.accepted()
    schemas.assert_valid(to_network, V5_2)
    assert text(to_network, "//sr:DCCAlertCode") == "N29"
    assert count(to_network, "//sr:DeviceStatusChange/sr:DeviceRestored") == 1
    device = control.GetDevice(control_pb2.GetDeviceRequest(device_id=ESME))
    assert device.status == types_pb2.SMI_STATUS_COMMISSIONED
    assert device.firmware_version == EXAMPLE_NEW_FIRMWARE
    # Every message was POSTed once and acknowledged.
    assert len(supplier.received) == 4
    assert server.host.oldest_pending(SUPPLIER_A) == (None, 0)
