"""The MP105 story, told once as a supplier's test engineer would run it."""

from __future__ import annotations

import pytest

from dccsim.devices.kinds import DeviceType
from dccsim.server.core.codes import DccAlertCode, ResponseCode
from dccsim.server.core.faults import FaultAction, FaultRule
from dccsim.server.core.messages import DccAlertMessage, DeviceStatusChange, ServiceResponse
from dccsim.server.core.records import SmiStatus
from tests.conftest import (
    ESME,
    EXAMPLE_FIRMWARE,
    EXAMPLE_NEW_FIRMWARE,
    NETWORK_OPERATOR,
    SUPPLIER_A,
    Sim,
)


def _lose_activation_response(sim: Sim) -> None:
    """CPL Removed -> Suspended; 11.1 distributes; 11.3 activates but its response is lost."""
    assert sim.remove_from_cpl(DeviceType.ESME) == 1
    assert sim.record(ESME).status is SmiStatus.SUSPENDED
    assert sim.distribute(ESME).code is ResponseCode.I99
    sim.dsp.faults.add(FaultRule(FaultAction.DROP, srv="11.3"))
    assert sim.activate(ESME).code is ResponseCode.I99
    # DEV-07: the device runs the new firmware, but the DSP never heard: still Suspended.
    assert sim.dsp.device(ESME).running_version == EXAMPLE_NEW_FIRMWARE
    record = sim.record(ESME)
    assert (record.status, record.firmware_version) == (SmiStatus.SUSPENDED, EXAMPLE_FIRMWARE)
    assert not [m for m in sim.messages() if isinstance(m, ServiceResponse) and m.srv == "11.3"]


@pytest.mark.spec("CPL-01", "DEV-07", "FAULT-03", "AUTH-07", "FW-02", "FW-06", "FW-09", "ALERT-01")
def test_mp105_story_read_restores_a_device_whose_activation_response_was_lost(sim: Sim) -> None:
    _lose_activation_response(sim)

    answer = sim.read_firmware(ESME)

    assert answer.code is ResponseCode.I99
    record = sim.record(ESME)
    assert record.status is SmiStatus.COMMISSIONED  # the status held before suspension
    assert record.firmware_version == EXAMPLE_NEW_FIRMWARE
    restored = [
        m
        for m in sim.messages(SUPPLIER_A)
        if isinstance(m, DccAlertMessage) and m.code is DccAlertCode.DEVICE_RESTORED
    ]
    assert restored == [
        DccAlertMessage(
            DccAlertCode.DEVICE_RESTORED,
            ESME,
            restored[0].issued_at,
            DeviceStatusChange(restored=True),
        )
    ]
    assert [m.code for m in sim.messages(NETWORK_OPERATOR)] == [DccAlertCode.DEVICE_RESTORED]


@pytest.mark.spec("AUTH-11", "AUTH-07")
def test_mp105_story_under_pre_mp105_baseline_the_read_is_refused(pre_mp105_sim: Sim) -> None:
    sim = pre_mp105_sim
    _lose_activation_response(sim)

    answer = sim.read_firmware(ESME)

    assert answer.code is ResponseCode.E5
    assert sim.record(ESME).status is SmiStatus.SUSPENDED
    assert not [m for m in sim.messages(NETWORK_OPERATOR)]
