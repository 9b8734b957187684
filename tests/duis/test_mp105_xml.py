"""The MP105 story over DUIS XML, end to end: every request a DUIS document, every answer and
message a DUIS document valid against DCC's schema for the user's interface version."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dccsim.devices.kinds import DeviceType
from dccsim.server.core.faults import FaultAction, FaultRule
from dccsim.server.core.fleet import SUPPLIER_A
from dccsim.server.core.records import DuisVersion, SmiStatus
from tests.conftest import (
    ESME,
    EXAMPLE_FIRMWARE,
    EXAMPLE_NEW_FIRMWARE,
    NETWORK_OPERATOR,
    NEW_IMAGE,
    NEW_IMAGE_HASH,
    Sim,
)
from tests.duis.documents import (
    OfficialSchemas,
    b64,
    count,
    mmc,
    outbox_documents,
    request_xml,
    served,
    signed_pre_command_xml,
    text,
)

ACB = "90-B3-D5-1F-30-00-00-02"
V5_2 = DuisVersion.V5_2  # SUPPLIER_A's and NETWORK_OPERATOR's interface version


def _update_firmware(counter: int) -> bytes:
    body = (
        f"<sr:UpdateFirmware><sr:FirmwareImage>{b64(NEW_IMAGE)}</sr:FirmwareImage>"
        f"<sr:FirmwareVersion>{EXAMPLE_NEW_FIRMWARE}</sr:FirmwareVersion>"
        f"<sr:DeviceIDList>{ESME}</sr:DeviceIDList></sr:UpdateFirmware>"
    )
    return request_xml("11.1", body, request_id=f"{SUPPLIER_A}:{ACB}:{counter}", cv=8)


def _activate_firmware(request_id: str, execution: str = "") -> bytes:
    when = f"<sr:ExecutionDateTime>{execution}</sr:ExecutionDateTime>" if execution else ""
    body = (
        f"<sr:ActivateFirmware>{when}<sr:FirmwareHash>{NEW_IMAGE_HASH.hex().upper()}"
        "</sr:FirmwareHash></sr:ActivateFirmware>"
    )
    return request_xml("11.3", body, request_id=request_id, cv=4)


def _read_firmware(counter: int) -> bytes:
    return request_xml(
        "11.2",
        "<sr:ReadFirmwareVersion/>",
        request_id=f"{SUPPLIER_A}:{ESME}:{counter}",
        cv=1,
        signed=False,
    )


@pytest.mark.spec("REQ-05", "CPL-01", "DEV-02", "DEV-07", "FAULT-03", "FW-02", "FW-06", "ALERT-01")
def test_mp105_story_over_duis_xml(sim: Sim, schemas: OfficialSchemas) -> None:
    dsp = sim.dsp
    # CPL Removed: the ESME is suspended and its supplier told (N28 DeviceSuspended).
    assert sim.remove_from_cpl(DeviceType.ESME) == 1
    [suspended] = outbox_documents(dsp, SUPPLIER_A, V5_2)
    schemas.assert_valid(suspended, V5_2)
    assert text(suspended, "//sr:DCCAlertCode") == "N28"
    assert text(suspended, "//sr:DeviceStatusChangeEvent/sr:DeviceID") == ESME
    assert count(suspended, "//sr:DeviceStatusChange/sr:DeviceSuspended") == 1
    dsp.acknowledge(SUPPLIER_A, up_to=1)

    # 11.1 in XML: I99, and the ESME's Firmware Distribution Receipt (0x8F72).
    _, answer, document = served(dsp, _update_firmware(2000))
    assert answer.code == "I99"
    schemas.assert_valid(document, V5_2)
    [receipt] = outbox_documents(dsp, SUPPLIER_A, V5_2)
    schemas.assert_valid(receipt, V5_2)
    assert text(receipt, "//sr:DeviceAlertMessage/sr:AlertCode") == "8F72"
    assert text(mmc(receipt), "//ra:GBCSHexAlertCode") == "8F72"
    assert text(mmc(receipt), "//ra:GBCSHexadecimalMessageCode") == "00CE"
    dsp.acknowledge(SUPPLIER_A, up_to=2)

    # 11.3 in XML, CV 4: the DSP answers with a PreCommand and executes nothing yet (REQ-05).
    rid = f"{SUPPLIER_A}:{ESME}:2001"
    _, answer, pre_command = served(dsp, _activate_firmware(rid))
    assert answer.code == "I0"
    schemas.assert_valid(pre_command, V5_2)
    assert dsp.device(ESME).running_version == EXAMPLE_FIRMWARE

    # CV 5 with the SignedPreCommand, its response lost (FAULT-03): the device still activates.
    dsp.faults.add(FaultRule(FaultAction.DROP, srv="11.3"))
    _, answer, acknowledgement = served(dsp, signed_pre_command_xml(pre_command, rid, "11.3"))
    assert answer.code == "I99"
    schemas.assert_valid(acknowledgement, V5_2)
    assert dsp.device(ESME).running_version == EXAMPLE_NEW_FIRMWARE
    assert sim.record(ESME).status is SmiStatus.SUSPENDED
    assert outbox_documents(dsp, SUPPLIER_A, V5_2) == []

    # 11.2 in XML restores the device (FW-06): the response, then N29 to supplier and network.
    _, answer, acknowledgement = served(dsp, _read_firmware(2002))
    assert answer.code == "I99"
    schemas.assert_valid(acknowledgement, V5_2)
    response, restored = outbox_documents(dsp, SUPPLIER_A, V5_2)
    for document in (response, restored):
        schemas.assert_valid(document, V5_2)
    assert text(response, "//sr:ResponseID") == f"{ESME}:{SUPPLIER_A}:2002"
    assert text(mmc(response), "//ra:ReadFirmwareVersionRsp/ra:FirmwareVersion") == "0200"
    assert text(restored, "//sr:DCCAlertCode") == "N29"
    assert text(restored, "//sr:DeviceStatusChangeEvent/sr:DeviceID") == ESME
    assert count(restored, "//sr:DeviceStatusChange/sr:DeviceRestored") == 1
    [to_network] = outbox_documents(dsp, NETWORK_OPERATOR, V5_2)
    schemas.assert_valid(to_network, V5_2)
    assert text(to_network, "//sr:DCCAlertCode") == "N29"
    record = sim.record(ESME)
    assert (record.status, record.firmware_version) == (SmiStatus.COMMISSIONED, "0200")

    # The same story's messages, built for a 5.1 user, are valid against DUIS 5.1.
    for document in outbox_documents(dsp, SUPPLIER_A, DuisVersion.V5_1):
        schemas.assert_valid(document, DuisVersion.V5_1)


@pytest.mark.spec("FW-08", "REQ-07", "REQ-05")
def test_future_dated_activation_reports_0x8f66_in_a_future_dated_device_alert(
    sim: Sim, schemas: OfficialSchemas
) -> None:
    dsp = sim.dsp
    assert served(dsp, _update_firmware(3000))[1].code == "I99"
    rid = f"{SUPPLIER_A}:{ESME}:3001"
    when = dsp.now() + timedelta(hours=2)
    _, _, pre_command = served(dsp, _activate_firmware(rid, when.strftime("%Y-%m-%dT%H:%M:%SZ")))
    assert served(dsp, signed_pre_command_xml(pre_command, rid, "11.3"))[1].code == "I99"
    dsp.acknowledge(SUPPLIER_A, up_to=1)  # the 0x8F72 receipt

    [accepted] = outbox_documents(dsp, SUPPLIER_A, V5_2)
    schemas.assert_valid(accepted, V5_2)
    # Accepted for later: an ActivateFirmwareRsp with no execution details.
    assert count(mmc(accepted), "//ra:ActivateFirmwareRsp") == 1
    assert count(mmc(accepted), "//ra:ActivateFirmwareRsp/*") == 0
    dsp.acknowledge(SUPPLIER_A, up_to=2)

    dsp.advance(timedelta(hours=3))
    [alert] = outbox_documents(dsp, SUPPLIER_A, V5_2)
    for version in (V5_2, DuisVersion.V5_1):
        schemas.assert_valid(outbox_documents(dsp, SUPPLIER_A, version)[0], version)
    assert text(alert, "//sr:RequestID") == rid
    assert text(alert, "//sr:ResponseMessage/sr:ServiceReferenceVariant") == "11.3"
    assert text(alert, "//sr:FutureDatedDeviceAlertMessage/sr:FutureDatedAlertCode") == "8F66"
    assert text(alert, "//sr:FutureDatedDeviceAlertMessage/sr:InstructionNumber") == "1"
    inner = mmc(alert)
    assert text(inner, "//ra:GBCSHexadecimalMessageCode") == "00CA"
    assert text(inner, "//ra:FirmwareActivationDeviceAlert/ra:FirmwareVersion") == "0200"
    assert text(inner, "//ra:FirmwareActivationDeviceAlert/ra:OriginatorCounterFromCommand") == (
        "3001"
    )
    assert sim.record(ESME).firmware_version == EXAMPLE_NEW_FIRMWARE
