"""Bad input (SPEC §10): every malformed request is refused naming the field and changes nothing;
no request, however malformed or large, stops the DSP serving others."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from dccsim.devices.kinds import DeviceType
from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.journal import EventKind
from dccsim.server.core.matrix import SERVICE_MATRIX, CommandVariant
from dccsim.server.core.messages import ServiceResponse, UpdateFirmwareWarnings
from dccsim.server.core.records import Registration, SmiStatus, User, UserRole
from dccsim.server.core.requests import (
    MAX_FIRMWARE_IMAGE_BYTES,
    ActivateFirmware,
    CommissionDevice,
    DeleteDevice,
    DeviceDetailsChange,
    MpxnChange,
    NoBody,
    ReadFirmwareVersion,
    ReadInventory,
    RequestId,
    RequestWanMatrix,
    ServiceRequest,
    SignedPreCommand,
    StatusChange,
    TopUpDevice,
    UpdateFirmware,
    UpdateInventory,
    UpdateSecurityCredentialsCoS,
)
from dccsim.server.core.services import REGISTRY
from dccsim.server.core.services.reads import ReadInstantaneousImportRegisters
from tests.conftest import (
    ESME,
    EXAMPLE_NEW_FIRMWARE,
    GSME,
    NETWORK_OPERATOR,
    NEW_IMAGE,
    NEW_IMAGE_HASH,
    SUPPLIER_A,
    Sim,
)

CV = CommandVariant
UTRN = "12345678901234567890"
ACB = "ACB"  # stands for the sim's ACB ID in the table below
COUNTER = 1_000_000  # above every counter the sim fixture hands out
SOON = datetime(2026, 1, 2, tzinfo=UTC)


@dataclass(frozen=True)
class Bad:
    """One malformed request: what is sent, and the field the error must name."""

    srv: object
    body: object
    field: str
    cv: object = CV.NON_CRITICAL_REMOTE
    target: str = ESME
    execution_datetime: object = None


_BAD = {
    # unknown SRV
    "unknown srv": Bad("99.9", NoBody(), "service_reference_variant"),
    "srv with spaces": Bad(" 11.2", ReadFirmwareVersion(), "service_reference_variant"),
    "srv not a string": Bad(11.2, ReadFirmwareVersion(), "service_reference_variant"),
    "srv missing": Bad(None, ReadFirmwareVersion(), "service_reference_variant"),
    # command variant
    "cv out of range": Bad("11.2", ReadFirmwareVersion(), "command_variant", cv=9),
    "cv as text": Bad("11.2", ReadFirmwareVersion(), "command_variant", cv="1"),
    "cv missing": Bad("11.2", ReadFirmwareVersion(), "command_variant", cv=None),
    # missing or wrong body
    "no body": Bad("11.2", None, "body"),
    "no body for 2.2": Bad("2.2", None, "body"),
    "wrong body for 11.2": Bad("11.2", TopUpDevice(UTRN), "body"),
    "wrong body for 11.3": Bad("11.3", ReadFirmwareVersion(), "body", cv=CV(4)),
    "empty body for 2.2": Bad("2.2", NoBody(), "body"),
    "body for unserved srv": Bad("4.1.1", TopUpDevice(UTRN), "body"),
    "body as a dict": Bad("11.2", {"firmware": "0100"}, "body"),
    # bad EUIs
    "short eui in 8.2": Bad(
        "8.2", ReadInventory(device_id="00-DB-12"), "body.device_id", CV(8), ACB
    ),
    "eui with colons in 8.2": Bad(
        "8.2", ReadInventory(device_id=ESME.replace("-", ":")), "body.device_id", CV(8), ACB
    ),
    "bad eui in 8.4": Bad(
        "8.4", UpdateInventory("not-an-eui", DeleteDevice()), "body.device_id", CV(8), ACB
    ),
    "bad eui in 11.1 list": Bad(
        "11.1",
        UpdateFirmware(NEW_IMAGE, EXAMPLE_NEW_FIRMWARE, (ESME, "00-DB-12-34-56-78-90-GG")),
        "body.device_ids[1]",
        CV(8),
        ACB,
    ),
    # oversized or missing firmware image
    "oversized image": Bad(
        "11.1",
        UpdateFirmware(bytes(MAX_FIRMWARE_IMAGE_BYTES + 1), EXAMPLE_NEW_FIRMWARE, (ESME,)),
        "body.image",
        CV(8),
        ACB,
    ),
    "empty image": Bad(
        "11.1", UpdateFirmware(b"", EXAMPLE_NEW_FIRMWARE, (ESME,)), "body.image", CV(8), ACB
    ),
    "image as text": Bad(
        "11.1", UpdateFirmware("image", EXAMPLE_NEW_FIRMWARE, (ESME,)), "body.image", CV(8), ACB
    ),
    "firmware version too long": Bad(
        "11.1", UpdateFirmware(NEW_IMAGE, "012345678", (ESME,)), "body.firmware_version", CV(8), ACB
    ),
    "empty device list": Bad(
        "11.1", UpdateFirmware(NEW_IMAGE, EXAMPLE_NEW_FIRMWARE, ()), "body.device_ids", CV(8), ACB
    ),
    # UTRN
    "short utrn": Bad("2.2", TopUpDevice("1234"), "body.utrn"),
    "long utrn": Bad("2.2", TopUpDevice(UTRN + "1"), "body.utrn"),
    "utrn with letters": Bad("2.2", TopUpDevice("1234567890123456789A"), "body.utrn"),
    "utrn as a number": Bad("2.2", TopUpDevice(12345678901234567890), "body.utrn"),
    "utrn with arabic-indic digits": Bad("2.2", TopUpDevice("\u0661" * 20), "body.utrn"),
    # firmware hash
    "hash too short": Bad("11.3", ActivateFirmware(bytes(31)), "body.firmware_hash", CV(4)),
    "hash too long": Bad("11.3", ActivateFirmware(bytes(33)), "body.firmware_hash", CV(4)),
    "hash as hex text": Bad(
        "11.3", ActivateFirmware(NEW_IMAGE_HASH.hex()), "body.firmware_hash", CV(4)
    ),
    # execution date and time
    "naive execution datetime": Bad(
        "11.2", ReadFirmwareVersion(), "execution_datetime", execution_datetime=datetime(2026, 2, 1)
    ),
    "execution datetime as text": Bad(
        "11.2", ReadFirmwareVersion(), "execution_datetime", execution_datetime="2026-02-01"
    ),
    "future-dated 2.2": Bad(
        "2.2", TopUpDevice(UTRN), "execution_datetime", execution_datetime=SOON
    ),
    "future-dated 8.1.1": Bad(
        "8.1.1", CommissionDevice(), "execution_datetime", CV(4), execution_datetime=SOON
    ),
    "future-dated 8.2": Bad(
        "8.2",
        ReadInventory(device_id=ESME),
        "execution_datetime",
        CV(8),
        ACB,
        execution_datetime=SOON,
    ),
    "future-dated 11.1": Bad(
        "11.1",
        UpdateFirmware(NEW_IMAGE, EXAMPLE_NEW_FIRMWARE, (ESME,)),
        "execution_datetime",
        CV(8),
        ACB,
        execution_datetime=SOON,
    ),
    # other fields
    "cos mpxn empty": Bad("6.23", UpdateSecurityCredentialsCoS(""), "body.import_mpxn"),
    "cos mpxn too long": Bad("6.23", UpdateSecurityCredentialsCoS("1" * 14), "body.import_mpxn"),
    "8.2 two keys": Bad("8.2", ReadInventory(device_id=ESME, uprn=1), "body", CV(8), ACB),
    "8.2 no key": Bad("8.2", ReadInventory(), "body", CV(8), ACB),
    "8.2 bad uprn": Bad("8.2", ReadInventory(uprn=10**12), "body.uprn", CV(8), ACB),
    "8.2 bool uprn": Bad("8.2", ReadInventory(uprn=True), "body.uprn", CV(8), ACB),
    "8.2 bad mpxn": Bad("8.2", ReadInventory(mpxn="11-00"), "body.mpxn", CV(8), ACB),
    "8.4 no change": Bad("8.4", UpdateInventory(ESME, None), "body.change", CV(8), ACB),
    "8.4 change as text": Bad("8.4", UpdateInventory(ESME, "Pending"), "body.change", CV(8), ACB),
    "8.4 empty details": Bad(
        "8.4", UpdateInventory(ESME, DeviceDetailsChange()), "body.change", CV(8), ACB
    ),
    "8.4 unknown esme variant": Bad(
        "8.4",
        UpdateInventory(ESME, DeviceDetailsChange(esme_variant="Z")),
        "body.change.esme_variant",
        CV(8),
        ACB,
    ),
    "8.4 long manufacturer": Bad(
        "8.4",
        UpdateInventory(ESME, DeviceDetailsChange(manufacturer="M" * 31)),
        "body.change.manufacturer",
        CV(8),
        ACB,
    ),
    "8.4 empty model": Bad(
        "8.4", UpdateInventory(ESME, DeviceDetailsChange(model="")), "body.change.model", CV(8), ACB
    ),
    "8.4 long firmware version": Bad(
        "8.4",
        UpdateInventory(ESME, DeviceDetailsChange(firmware_version="123456789")),
        "body.change.firmware_version",
        CV(8),
        ACB,
    ),
    "8.4 status not settable": Bad(
        "8.4",
        UpdateInventory(ESME, StatusChange(SmiStatus.SUSPENDED)),
        "body.change.new_status",
        CV(8),
        ACB,
    ),
    "8.4 bad mpxn": Bad(
        "8.4", UpdateInventory(ESME, MpxnChange("11 00")), "body.change.import_mpxn", CV(8), ACB
    ),
    "12.1 no key": Bad("12.1", RequestWanMatrix(), "body", CV(8), ACB),
    "12.1 postcode only": Bad("12.1", RequestWanMatrix(postcode="EH1 1AA"), "body", CV(8), ACB),
    "12.1 uprn and address": Bad(
        "12.1",
        RequestWanMatrix(uprn=7, postcode="EH1 1AA", address_identifier="1"),
        "body",
        CV(8),
        ACB,
    ),
    "12.1 bad postcode": Bad(
        "12.1", RequestWanMatrix(postcode="X", address_identifier="1"), "body.postcode", CV(8), ACB
    ),
    "12.1 zero uprn": Bad("12.1", RequestWanMatrix(uprn=0), "body.uprn", CV(8), ACB),
    # the second leg of a critical SR
    "empty signed payload": Bad("11.3", SignedPreCommand(b""), "body.payload", CV(5)),
}


def _target(sim: Sim, bad: Bad) -> str:
    return sim.acb if bad.target == ACB else bad.target


def _request(sim: Sim, bad: Bad, counter: int = COUNTER) -> ServiceRequest:
    return ServiceRequest(
        RequestId(SUPPLIER_A, _target(sim, bad), counter),
        bad.srv,  # type: ignore[arg-type]
        bad.cv,  # type: ignore[arg-type]
        bad.body,  # type: ignore[arg-type]
        execution_datetime=bad.execution_datetime,  # type: ignore[arg-type]
    )


def _good(sim: Sim, target: str, counter: int = COUNTER):
    """A request that is accepted for `target`, using a counter the caller chooses."""
    if target == sim.acb:
        body, srv, cv = ReadInventory(device_id=ESME), "8.2", CV(8)
    else:
        body, srv, cv = ReadFirmwareVersion(), "11.2", CV(1)
    return sim.dsp.submit(ServiceRequest(RequestId(SUPPLIER_A, target, counter), srv, cv, body))


@dataclass(frozen=True)
class _Snapshot:
    smi: list[object]
    outboxes: dict[str, int]
    journal: list[object]
    scheduled: list[object]
    devices: list[tuple[object, ...]]

    @classmethod
    def of(cls, sim: Sim) -> _Snapshot:
        state = sim.dsp.state
        return cls(
            smi=list(state.smi),
            outboxes=state.outboxes.snapshot(),
            journal=state.journal.events(),
            scheduled=state.scheduler.pending(),
            devices=[
                (
                    d.device_id,
                    d.running_version,
                    d.firmware.held_image,
                    d.firmware.pending,
                    tuple(d.top_ups),
                    d.supplier_credentials,
                    d.clock_set,
                )
                for d in state.network
            ],
        )


def _busy_sim(sim: Sim) -> Sim:
    """Some history first, so that 'nothing changed' is checked against a non-empty state."""
    assert sim.read_firmware(ESME).code is ResponseCode.I99
    assert sim.read_firmware(GSME, execution_datetime=SOON).code is ResponseCode.I99
    return sim


# -- BAD-01 -------------------------------------------------------------------------------------


@pytest.mark.spec("BAD-01")
@pytest.mark.parametrize("case", list(_BAD), ids=str)
def test_malformed_request_names_the_field(sim: Sim, case: str) -> None:
    bad = _BAD[case]

    with pytest.raises(InvalidField) as caught:
        sim.dsp.submit(_request(sim, bad))

    assert caught.value.field == bad.field
    assert caught.value.reason
    assert str(caught.value) == f"{bad.field}: {caught.value.reason}"


@pytest.mark.spec("BAD-01")
@pytest.mark.parametrize("case", list(_BAD), ids=str)
def test_malformed_request_changes_nothing(sim: Sim, case: str) -> None:
    bad = _BAD[case]
    _busy_sim(sim)
    before = _Snapshot.of(sim)

    with pytest.raises(InvalidField):
        sim.dsp.submit(_request(sim, bad))

    assert _Snapshot.of(sim) == before  # the journal included: no request was accepted
    # No counter consumed: a good request with the very same counter is still accepted.
    assert _good(sim, _target(sim, bad)).code in (ResponseCode.I0, ResponseCode.I99)


@pytest.mark.spec("BAD-01")
def test_firmware_image_of_exactly_the_duis_limit_is_accepted(sim: Sim) -> None:
    assert MAX_FIRMWARE_IMAGE_BYTES == 7_680_000
    body = UpdateFirmware(bytes(MAX_FIRMWARE_IMAGE_BYTES), EXAMPLE_NEW_FIRMWARE, (ESME,))

    answer = sim.send("11.1", body, target=sim.acb, cv=CV(8))

    assert answer.code is ResponseCode.I99
    held = sim.dsp.device(ESME).firmware.held_image
    assert held is not None
    assert held.size == MAX_FIRMWARE_IMAGE_BYTES


@pytest.mark.spec("BAD-01")
def test_more_than_50000_device_ids_is_invalid(sim: Sim) -> None:
    ids = tuple(f"00-DB-12-34-56-{i >> 8 & 0xFF:02X}-{i & 0xFF:02X}-00" for i in range(50_001))
    body = UpdateFirmware(NEW_IMAGE, EXAMPLE_NEW_FIRMWARE, ids)

    with pytest.raises(InvalidField) as caught:
        sim.send("11.1", body, target=sim.acb, cv=CV(8))

    assert caught.value.field == "body.device_ids"
    assert "50000" in caught.value.reason


@pytest.mark.spec("BAD-01")
def test_malformed_request_does_not_run_due_work(sim: Sim) -> None:
    sim.read_firmware(GSME, execution_datetime=SOON)
    sim.dsp.clock.advance(timedelta(days=2))  # due, but nobody has asked the DSP to run it

    with pytest.raises(InvalidField):
        sim.send("99.9", NoBody(), target=ESME)

    assert len(sim.dsp.state.scheduler) == 1
    assert [m for m in sim.messages() if isinstance(m, ServiceResponse)] == []


# -- valid but not served -----------------------------------------------------------------------


ALL_ROLES_USER = "90-B3-D5-1F-30-0B-00-00"
GAS_ROLES = {UserRole.GAS_SUPPLIER, UserRole.GAS_TRANSPORTER}


def _all_roles_user(sim: Sim) -> str:
    sim.dsp.add_user(User(ALL_ROLES_USER, frozenset(UserRole)))
    since = datetime(2020, 1, 1, tzinfo=UTC)
    for mpxn, roles in (
        ("1100000000001", ("IS", "ES", "ED", "RSA")),
        ("2100000001", ("GS", "GT", "RSA")),
    ):
        for role in roles:
            sim.dsp.add_registration(Registration(mpxn, UserRole(role), ALL_ROLES_USER, since))
    return ALL_ROLES_USER


@pytest.mark.spec("BAD-02", "AUTH-02", "REQ-06")
@pytest.mark.parametrize(
    ("user_roles", "cv", "code"),
    [
        ({UserRole.EXPORT_SUPPLIER}, CV(1), ResponseCode.E2),
        ({UserRole.OTHER_USER}, CV(1), ResponseCode.E2),
        ({UserRole.REGISTERED_SUPPLIER_AGENT}, CV(1), ResponseCode.E2),
        ({UserRole.IMPORT_SUPPLIER}, CV(4), ResponseCode.E12),
        ({UserRole.IMPORT_SUPPLIER}, CV(8), ResponseCode.E12),
    ],
)
def test_a_read_is_validated_and_authorised_like_every_srv(
    sim: Sim, user_roles: set[UserRole], cv: CV, code: ResponseCode
) -> None:
    user = "90-B3-D5-1F-30-0C-00-00"
    sim.dsp.add_user(User(user, frozenset(user_roles)))

    answer = sim.send("4.1.1", ReadInstantaneousImportRegisters(), target=ESME, user=user, cv=cv)

    assert answer.code is code
    assert (user, ESME) not in sim.dsp.counters  # refused: no counter consumed


@pytest.mark.spec("BAD-02", "AUTH-04", "AUTH-05", "AUTH-06")
def test_a_read_gets_the_device_checks(sim: Sim) -> None:
    body = ReadInstantaneousImportRegisters()
    assert sim.send("4.1.1", body, target="00-DB-12-34-56-78-90-FF").code is ResponseCode.E19
    assert sim.send("4.1.1", body, target=ESME, user="90-B3-D5-1F-30-03-00-00").code is (
        ResponseCode.E4
    )
    assert sim.send("4.1.1", body, target=ESME, user=NETWORK_OPERATOR).code is ResponseCode.I99


@pytest.mark.spec("SRV-01")
def test_every_srv_of_the_matrix_is_served() -> None:
    """Nothing answers "not simulated" (UNIMPLEMENTED) any more: the registry covers the matrix."""
    assert set(REGISTRY) == set(SERVICE_MATRIX)


# -- BAD-02 -------------------------------------------------------------------------------------


@pytest.mark.spec("BAD-02")
def test_dsp_keeps_serving_after_many_malformed_requests(sim: Sim) -> None:
    counters = itertools.count(1)
    for _ in range(5):
        for bad in _BAD.values():
            with pytest.raises(InvalidField):
                sim.dsp.submit(_request(sim, bad, next(counters)))
        assert sim.send("4.1.1", ReadInstantaneousImportRegisters(), target=ESME).code is (
            ResponseCode.I99
        )
        assert sim.send("11.2", ReadFirmwareVersion(), target=ESME, cv=CV(4)).code is (
            ResponseCode.E12
        )

    answer = sim.read_firmware(ESME)

    assert answer.code is ResponseCode.I99
    [response] = [m for m in sim.messages() if isinstance(m, ServiceResponse) and m.srv == "11.2"]
    assert response.request_id == answer.request_id
    assert sim.dsp.journal.events(EventKind.REQUEST)[-1].details["request"] == str(
        answer.request_id
    )


@pytest.mark.spec("BAD-02")
def test_dsp_serves_the_largest_valid_device_list(sim: Sim) -> None:
    unknown = tuple(f"00-DB-12-34-56-{i >> 8 & 0xFF:02X}-{i & 0xFF:02X}-00" for i in range(49_999))

    answer = sim.distribute(ESME, *unknown)

    assert answer.code is ResponseCode.W110101
    assert isinstance(answer.body, UpdateFirmwareWarnings)
    assert answer.body.invalid_device_ids == unknown
    assert sim.dsp.device(ESME).firmware.held_image is not None
    assert sim.read_firmware(ESME).code is ResponseCode.I99


@pytest.mark.spec("BAD-02")
def test_smi_record_without_a_simulated_device_does_not_stop_the_dsp(sim: Sim) -> None:
    """A device in the SMI with no simulated device behind it: the DSP acknowledges, journals
    the gap, and goes on serving."""
    sim.dsp.state.network.remove(ESME)

    assert sim.read_firmware(ESME).code is ResponseCode.I99
    assert sim.dsp.journal.events(EventKind.DECISION)[-1].summary == "no simulated device"
    assert sim.read_firmware(GSME).code is ResponseCode.I99
    assert sim.record(ESME).device_type is DeviceType.ESME
