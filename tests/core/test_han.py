"""HAN SRVs: 8.7.x join, 8.8.x unjoin, 8.9 Read Device Log, 8.11 Update HAN Device Log and 8.12.x
restore (dccsim.server.core.services.han): what the devices hold, what the DSP records, what the
responses carry in the core, in DUIS XML and over gRPC, and how bad input is refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from dccsim.devices.han import DEVICE_LOG_CAPACITY, HanStatus, JoinedDevice
from dccsim.devices.kinds import DeviceType
from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.faults import FaultAction, FaultRule
from dccsim.server.core.fingerprint import fingerprint
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.messages import ServiceResponse
from dccsim.server.core.records import DuisVersion
from dccsim.server.core.requests import CANCELLATION_DATETIME, RequestBody
from dccsim.server.core.services.han import (
    ChfDeviceLogRead,
    ChfWhitelisting,
    DeviceLogRead,
    GpfLogRestored,
    HanLogRequest,
    HanLogRestored,
    HanLogUpdated,
    JoinDevice,
    JoinOperation,
    JoinOutcome,
    ReadDeviceLog,
    RestoreGpfDeviceLog,
    RestoreHanDeviceLog,
    RestoreOutcome,
    UnjoinDevice,
    UpdateHanDeviceLog,
)
from dccsim.server.duis.build import build_outbox_message
from dccsim.server.duis.parse import parse_request
from dccsim.server.rpc import convert
from dccsim.v1 import han_pb2, supplier_pb2
from tests.conftest import CHF, ESME, GPF, GSME, HCALCS, PPMID, SUPPLIER_A, Sim
from tests.duis.documents import XSD_5_3A, OfficialSchemas, mmc, request_xml

NEW_CHF = "00-DB-12-34-56-78-91-A2"
NEW_GPF = "00-DB-12-34-56-78-91-A3"
IHD = "00-DB-12-34-56-78-90-9A"  # not in the SMI: a Type 2 device
INSTALL_CODE = bytes.fromhex("30313233343536373839414243444546")
OTHER_CODE = bytes.fromhex("A1B2C3D4E5F6")


# -- helpers -------------------------------------------------------------------------------------


def _answer(sim: Sim, srv: str, body: RequestBody, target: str, **extra: object) -> object:
    """Send a device SR (critical ones by the two-leg flow) and return the device's response
    body, checking it was acknowledged I99 and answered I0."""
    if srv in ("8.7.1", "8.8.1"):
        ack = sim.send_critical(srv, body, target=target, **extra)
    else:
        ack = sim.send(srv, body, target=target, **extra)
    assert ack.code is ResponseCode.I99, (srv, ack.code, ack.detail)
    response = _last_response(sim, ack.request_id)
    assert response.code is ResponseCode.I0
    return response.body


def _last_response(sim: Sim, request_id: object) -> ServiceResponse:
    found = [
        m for m in sim.messages() if isinstance(m, ServiceResponse) and m.request_id == request_id
    ]
    assert found, f"no response to {request_id}"
    return found[-1]


def _add(install_code: bytes = INSTALL_CODE, period: int = 90) -> ChfWhitelisting:
    return ChfWhitelisting(period, install_code, import_mpxn="1100000000001")


def _whitelist(sim: Sim, device_id: str, code: bytes = INSTALL_CODE) -> object:
    body = UpdateHanDeviceLog(device_id, HanLogRequest.ADD, _add(code))
    return _answer(sim, "8.11", body, CHF)


def _add_device(sim: Sim, template: str, device_id: str) -> None:
    """A replacement device, like the template but for its ID."""
    record = replace(sim.record(template), device_id=device_id)
    if getattr(record, "comms_hub", None) is not None:  # a hub has one GPF (CPL-04)
        record = replace(record, comms_hub=None)
    sim.dsp.add_device(record)


# -- SRV-01: served, on the right devices --------------------------------------------------------


@pytest.mark.spec("SRV-01", "REQ-06")
@pytest.mark.parametrize(
    ("srv", "body", "target"),
    [
        ("8.7.1", JoinDevice(PPMID), ESME),
        ("8.7.1", JoinDevice(PPMID), GSME),
        ("8.7.1", JoinDevice(ESME), HCALCS),
        ("8.7.2", JoinDevice(ESME), PPMID),
        ("8.7.2", JoinDevice(GSME), GPF),
        ("8.8.1", UnjoinDevice(PPMID), ESME),
        ("8.8.2", UnjoinDevice(IHD), GSME),
        ("8.9", ReadDeviceLog(), CHF),
        ("8.9", ReadDeviceLog(), HCALCS),
        ("8.11", UpdateHanDeviceLog(PPMID, HanLogRequest.ADD, _add()), CHF),
        ("8.12.1", RestoreHanDeviceLog(NEW_CHF), CHF),
        ("8.12.2", RestoreGpfDeviceLog(NEW_GPF), GPF),
    ],
)
def test_each_han_srv_is_acknowledged_and_answered(
    sim: Sim, srv: str, body: RequestBody, target: str
) -> None:
    assert _answer(sim, srv, body, target) is not None


@pytest.mark.spec("SRV-01", "REQ-06")
@pytest.mark.parametrize(
    ("srv", "body", "target"),
    [
        ("8.7.1", JoinDevice(PPMID), PPMID),  # a PPMID joins by the non-critical variant
        ("8.7.2", JoinDevice(ESME), HCALCS),  # an HCALCS by the critical one
        ("8.7.2", JoinDevice(ESME), CHF),
        ("8.8.1", UnjoinDevice(ESME), GPF),
        ("8.11", UpdateHanDeviceLog(PPMID, HanLogRequest.REMOVE), ESME),
        ("8.12.1", RestoreHanDeviceLog(NEW_CHF), GPF),
        ("8.12.2", RestoreGpfDeviceLog(NEW_GPF), CHF),
    ],
)
def test_a_han_srv_to_a_device_type_it_does_not_apply_to_is_e11(
    sim: Sim, srv: str, body: RequestBody, target: str
) -> None:
    before = fingerprint(sim.dsp)
    cv = CommandVariant.CRITICAL_TRANSFORM if srv in ("8.7.1", "8.8.1") else None
    answer = sim.send(srv, body, target=target, **({"cv": cv} if cv else {}))
    assert answer.code is ResponseCode.E11
    assert fingerprint(sim.dsp) == before


# -- SRV-02 / SRV-03: joins and the device logs they write ---------------------------------------


@pytest.mark.spec("SRV-02", "SRV-03")
def test_a_join_is_read_back_from_the_device_log_and_an_unjoin_removes_it(sim: Sim) -> None:
    assert _answer(sim, "8.7.1", JoinDevice(PPMID), ESME) == JoinOutcome(
        JoinOperation.JOIN, True, HanStatus.SUCCESS
    )
    _answer(sim, "8.7.1", JoinDevice(IHD.lower()), ESME)
    read = _answer(sim, "8.9", ReadDeviceLog(), ESME)
    # The other device's type comes from the SMI; one the SMI does not hold is a Type 2 device.
    assert read == DeviceLogRead((JoinedDevice(PPMID, DeviceType.PPMID), JoinedDevice(IHD, None)))

    assert _answer(sim, "8.8.1", UnjoinDevice(PPMID), ESME) == JoinOutcome(
        JoinOperation.UNJOIN, True, HanStatus.SUCCESS
    )
    assert _answer(sim, "8.9", ReadDeviceLog(), ESME) == DeviceLogRead(((JoinedDevice(IHD, None)),))
    again = _answer(sim, "8.8.1", UnjoinDevice(PPMID), ESME)
    assert again.status is HanStatus.OTHER_DEVICE_NOT_IN_DEVICE_LOG


@pytest.mark.spec("SRV-03")
def test_each_side_of_a_join_keeps_its_own_log(sim: Sim) -> None:
    _answer(sim, "8.7.2", JoinDevice(ESME), PPMID)
    assert _answer(sim, "8.9", ReadDeviceLog(), PPMID) == DeviceLogRead(
        (JoinedDevice(ESME, DeviceType.ESME),)
    )
    # GBCS joins the two sides with a command each: the ESME has not joined the PPMID.
    assert _answer(sim, "8.9", ReadDeviceLog(), ESME) == DeviceLogRead(())


@pytest.mark.spec("SRV-02")
@pytest.mark.parametrize(
    ("other", "status"),
    [
        (ESME, HanStatus.INVALID_JOIN_METHOD_AND_ROLE),  # itself
        (CHF, HanStatus.INVALID_JOIN_METHOD_AND_ROLE),  # a CHF's log is 8.11's
    ],
)
def test_a_join_the_device_cannot_make_answers_its_asn1_status(
    sim: Sim, other: str, status: HanStatus
) -> None:
    assert _answer(sim, "8.7.1", JoinDevice(other), ESME).status is status
    assert _answer(sim, "8.9", ReadDeviceLog(), ESME) == DeviceLogRead(())


@pytest.mark.spec("SRV-02")
def test_a_full_device_log_refuses_another_join(sim: Sim) -> None:
    others = [f"00-DB-12-34-56-78-92-{n:02X}" for n in range(DEVICE_LOG_CAPACITY + 1)]
    for other in others[:-1]:
        assert _answer(sim, "8.7.2", JoinDevice(other), GPF).status is HanStatus.SUCCESS
    assert _answer(sim, "8.7.2", JoinDevice(others[-1]), GPF).status is (HanStatus.DEVICE_LOG_FULL)
    assert len(_answer(sim, "8.9", ReadDeviceLog(), GPF).entries) == DEVICE_LOG_CAPACITY


# -- SRV-03: the CHF's device log ---------------------------------------------------------------


@pytest.mark.spec("SRV-02", "SRV-03")
def test_update_han_device_log_is_read_back_with_and_without_security_details(sim: Sim) -> None:
    assert _whitelist(sim, PPMID) == HanLogUpdated(HanStatus.SUCCESS)
    written_at = sim.dsp.now()
    sim.dsp.advance(timedelta(minutes=5))
    _whitelist(sim, ESME, OTHER_CODE)

    read = _answer(sim, "8.9", ReadDeviceLog(), CHF)
    assert isinstance(read, ChfDeviceLogRead)
    assert [(e.device_id, e.install_code) for e in read.entries] == [
        (PPMID, INSTALL_CODE),
        (ESME, OTHER_CODE),
    ]
    assert read.entries[0].written_at == written_at
    assert read.entries[1].written_at == written_at + timedelta(minutes=5)

    removed = _answer(sim, "8.11", UpdateHanDeviceLog(PPMID, HanLogRequest.REMOVE), CHF)
    assert removed == HanLogUpdated(HanStatus.SUCCESS)
    secure = _answer(sim, "8.9", ReadDeviceLog(read_security_details=True), CHF)
    assert [e.device_id for e in secure.entries] == [ESME]
    assert [e.device_id for e in secure.historic] == [PPMID]
    # Removing it again: the CHF says it did not (MessageSuccess false), nothing changes.
    again = _answer(sim, "8.11", UpdateHanDeviceLog(PPMID, HanLogRequest.REMOVE), CHF)
    assert again.status is HanStatus.OTHER_DEVICE_NOT_IN_DEVICE_LOG


@pytest.mark.spec("SRV-03")
def test_adding_a_device_again_rewrites_its_entry_and_a_full_log_refuses_more(sim: Sim) -> None:
    _whitelist(sim, PPMID)
    _whitelist(sim, PPMID, OTHER_CODE)
    [entry] = _answer(sim, "8.9", ReadDeviceLog(), CHF).entries
    assert entry.install_code == OTHER_CODE
    for n in range(DEVICE_LOG_CAPACITY - 1):
        assert _whitelist(sim, f"00-DB-12-34-56-78-92-{n:02X}").status is HanStatus.SUCCESS
    assert _whitelist(sim, IHD) == HanLogUpdated(HanStatus.DEVICE_LOG_FULL)
    assert IHD not in {e.device_id for e in _answer(sim, "8.9", ReadDeviceLog(), CHF).entries}


# -- SRV-04: the DSP's record, and 8.12 restoring it ---------------------------------------------


@pytest.mark.spec("SRV-04", "SRV-03")
def test_restore_han_device_log_gives_a_replacement_chf_the_old_chfs_log(sim: Sim) -> None:
    _add_device(sim, CHF, NEW_CHF)
    _whitelist(sim, PPMID)
    _whitelist(sim, ESME, OTHER_CODE)
    assert [e.device_id for e in sim.dsp.state.device_logs[CHF]] == [PPMID, ESME]

    restored = _answer(sim, "8.12.1", RestoreHanDeviceLog(CHF), NEW_CHF)
    assert restored == HanLogRestored((PPMID, ESME), HanStatus.SUCCESS)
    read = _answer(sim, "8.9", ReadDeviceLog(read_security_details=True), NEW_CHF)
    assert [(e.device_id, e.install_code) for e in read.entries] == [
        (PPMID, INSTALL_CODE),
        (ESME, OTHER_CODE),
    ]
    assert [e.device_id for e in sim.dsp.state.device_logs[NEW_CHF]] == [PPMID, ESME]


@pytest.mark.spec("SRV-04", "FAULT-01")
def test_the_dsp_records_only_the_log_changes_it_hears(sim: Sim) -> None:
    """The CHF adds the entry whether or not its response is lost (DEV-07); the DSP's record,
    and so what 8.12.1 restores, holds only what it heard."""
    sim.dsp.faults.add(FaultRule(FaultAction.DROP, srv="8.11"))
    ack = sim.send("8.11", UpdateHanDeviceLog(PPMID, HanLogRequest.ADD, _add()), target=CHF)
    assert ack.code is ResponseCode.I99
    assert CHF not in sim.dsp.state.device_logs
    assert [e.device_id for e in _answer(sim, "8.9", ReadDeviceLog(), CHF).entries] == [PPMID]
    _add_device(sim, CHF, NEW_CHF)
    assert _answer(sim, "8.12.1", RestoreHanDeviceLog(CHF), NEW_CHF).restored == ()


@pytest.mark.spec("SRV-04", "SRV-03")
def test_restore_gpf_device_log_rejoins_what_the_old_gpf_had_joined(sim: Sim) -> None:
    _add_device(sim, GPF, NEW_GPF)
    _answer(sim, "8.7.2", JoinDevice(GSME), GPF)
    _answer(sim, "8.7.2", JoinDevice(IHD), GPF)
    _answer(sim, "8.7.2", JoinDevice(PPMID), GPF)
    _answer(sim, "8.8.2", UnjoinDevice(PPMID), GPF)
    restored = _answer(sim, "8.12.2", RestoreGpfDeviceLog(GPF), NEW_GPF)
    assert restored == GpfLogRestored(
        (
            RestoreOutcome(JoinedDevice(GSME, DeviceType.GSME), HanStatus.SUCCESS),
            RestoreOutcome(JoinedDevice(IHD, None), HanStatus.SUCCESS),
        )
    )
    assert _answer(sim, "8.9", ReadDeviceLog(), NEW_GPF) == DeviceLogRead(
        (JoinedDevice(GSME, DeviceType.GSME), JoinedDevice(IHD, None))
    )
    assert sim.dsp.state.device_logs[NEW_GPF] == sim.dsp.state.device_logs[GPF]


@pytest.mark.spec("SRV-04")
def test_restoring_from_a_device_the_dsp_holds_no_record_of_restores_nothing(sim: Sim) -> None:
    assert _answer(sim, "8.12.2", RestoreGpfDeviceLog(NEW_GPF), GPF) == GpfLogRestored(())
    assert _answer(sim, "8.12.1", RestoreHanDeviceLog(NEW_CHF), CHF) == HanLogRestored(
        (), HanStatus.SUCCESS
    )
    assert sim.dsp.state.device_logs == {}


# -- SRV-05: future dating (the matrix's "DSP" pattern for 8.9 and 8.11) --------------------------


@pytest.mark.spec("SRV-05")
def test_a_future_dated_update_is_held_by_the_dsp_until_its_time(sim: Sim) -> None:
    when = sim.dsp.now() + timedelta(hours=2)
    body = UpdateHanDeviceLog(PPMID, HanLogRequest.ADD, _add())
    ack = sim.send("8.11", body, target=CHF, execution_datetime=when)
    assert ack.code is ResponseCode.I99
    assert sim.dsp.device(CHF).han is None  # nothing has reached the CHF
    sim.dsp.advance_to(when)
    assert _last_response(sim, ack.request_id).body == HanLogUpdated(HanStatus.SUCCESS)
    [entry] = _answer(sim, "8.9", ReadDeviceLog(), CHF).entries
    assert entry.written_at == when


@pytest.mark.spec("SRV-05")
def test_a_cancelled_update_never_reaches_the_chf(sim: Sim) -> None:
    when = sim.dsp.now() + timedelta(hours=2)
    body = UpdateHanDeviceLog(PPMID, HanLogRequest.ADD, _add())
    assert sim.send("8.11", body, target=CHF, execution_datetime=when).code is ResponseCode.I99
    cancel = sim.send("8.11", body, target=CHF, execution_datetime=CANCELLATION_DATETIME)
    assert cancel.code is ResponseCode.I99
    sim.dsp.advance_to(when + timedelta(minutes=1))
    assert _answer(sim, "8.9", ReadDeviceLog(), CHF) == ChfDeviceLogRead((), False)
    assert CHF not in sim.dsp.state.device_logs


@pytest.mark.spec("SRV-05", "BAD-01")
@pytest.mark.parametrize("srv", ["8.7.2", "8.8.2", "8.12.1"])
def test_srvs_the_matrix_does_not_future_date_refuse_an_execution_datetime(
    sim: Sim, srv: str
) -> None:
    body = {
        "8.7.2": JoinDevice(ESME),
        "8.8.2": UnjoinDevice(ESME),
        "8.12.1": RestoreHanDeviceLog(NEW_CHF),
    }[srv]
    target = CHF if srv == "8.12.1" else PPMID
    with pytest.raises(InvalidField) as error:
        sim.send(srv, body, target=target, execution_datetime=sim.dsp.now() + timedelta(hours=1))
    assert error.value.field == "execution_datetime"


# -- BAD-01 --------------------------------------------------------------------------------------


def _bad_add(**changes: object) -> UpdateHanDeviceLog:
    return UpdateHanDeviceLog(PPMID, HanLogRequest.ADD, replace(_add(), **changes))


@pytest.mark.spec("BAD-01")
@pytest.mark.parametrize(
    ("srv", "body", "target", "field"),
    [
        ("8.7.2", JoinDevice("00-DB-12-34-56-78-90"), PPMID, "body.other_device_id"),
        ("8.8.2", UnjoinDevice("not an EUI"), PPMID, "body.other_device_id"),
        ("8.9", ReadDeviceLog("yes"), CHF, "body.read_security_details"),  # type: ignore[arg-type]
        ("8.11", UpdateHanDeviceLog("A0", HanLogRequest.REMOVE), CHF, "body.device_id"),
        ("8.11", UpdateHanDeviceLog(PPMID, "Add"), CHF, "body.request_type"),  # type: ignore[arg-type]
        ("8.11", UpdateHanDeviceLog(PPMID, HanLogRequest.ADD), CHF, "body.whitelist"),
        (
            "8.11",
            UpdateHanDeviceLog(PPMID, HanLogRequest.REMOVE, _add()),
            CHF,
            "body.whitelist",
        ),
        ("8.11", _bad_add(join_time_period=0), CHF, "body.whitelist.join_time_period"),
        ("8.11", _bad_add(join_time_period=3601), CHF, "body.whitelist.join_time_period"),
        ("8.11", _bad_add(install_code=b"12345"), CHF, "body.whitelist.install_code"),
        ("8.11", _bad_add(install_code=bytes(17)), CHF, "body.whitelist.install_code"),
        ("8.11", _bad_add(import_mpxn="1" * 14), CHF, "body.whitelist.import_mpxn"),
        (
            "8.11",
            _bad_add(secondary_import_mpan="1" * 12),
            CHF,
            "body.whitelist.secondary_import_mpan",
        ),
        ("8.11", _bad_add(export_mpan="1" * 14), CHF, "body.whitelist.export_mpan"),
        ("8.12.1", RestoreHanDeviceLog(""), CHF, "body.old_chf_id"),
        ("8.12.2", RestoreGpfDeviceLog("00-DB-12-34-56-78-90-ZZ"), GPF, "body.old_gpf_id"),
    ],
)
def test_a_malformed_han_body_names_its_field_and_changes_nothing(
    sim: Sim, srv: str, body: RequestBody, target: str, field: str
) -> None:
    before = fingerprint(sim.dsp)
    with pytest.raises(InvalidField) as error:
        sim.send(srv, body, target=target)
    assert error.value.field == field
    assert fingerprint(sim.dsp) == before  # no counter consumed, nothing queued or changed


@pytest.mark.spec("BAD-01")
@pytest.mark.parametrize(
    ("body", "path"),
    [
        (
            "<sr:UpdateHANDeviceLog><sr:DeviceID>00-DB-12-34-56-78-90-A4</sr:DeviceID>"
            "<sr:RequestType>Replace</sr:RequestType></sr:UpdateHANDeviceLog>",
            "Body/UpdateHANDeviceLog/RequestType",
        ),
        (
            "<sr:UpdateHANDeviceLog><sr:DeviceID>00-DB-12-34-56-78-90-A4</sr:DeviceID>"
            "<sr:RequestType>Add</sr:RequestType><sr:AddDeviceToCHFWhitelist>"
            "<sr:JoinTimePeriod>90</sr:JoinTimePeriod><sr:InstallCode>XYZ</sr:InstallCode>"
            "</sr:AddDeviceToCHFWhitelist></sr:UpdateHANDeviceLog>",
            "Body/UpdateHANDeviceLog/AddDeviceToCHFWhitelist/InstallCode",
        ),
        (
            "<sr:ReadDeviceLog><sr:ReadSecurityDetails><sr:X/></sr:ReadSecurityDetails>"
            "</sr:ReadDeviceLog>",
            "Body/ReadDeviceLog/ReadSecurityDetails/X",
        ),
    ],
)
def test_a_malformed_han_document_names_its_element(body: str, path: str) -> None:
    srv = "8.9" if "ReadDeviceLog" in body else "8.11"
    document = request_xml(srv, body, request_id=f"{SUPPLIER_A}:{CHF}:1", cv=1)
    with pytest.raises(InvalidField) as error:
        parse_request(document)
    assert error.value.field == path


@pytest.mark.spec("BAD-01")
@pytest.mark.parametrize(
    ("srv", "body", "path"),
    [
        (
            "8.11",
            "<sr:UpdateHANDeviceLog><sr:DeviceID>00-DB-12-34-56-78-90-A4</sr:DeviceID>"
            "<sr:RequestType>Add</sr:RequestType><sr:AddDeviceToCHFWhitelist>"
            "<sr:JoinTimePeriod>4000</sr:JoinTimePeriod><sr:InstallCode>001122334455</sr:InstallCode>"
            "</sr:AddDeviceToCHFWhitelist></sr:UpdateHANDeviceLog>",
            "Body/UpdateHANDeviceLog/AddDeviceToCHFWhitelist/JoinTimePeriod",
        ),
        (
            "8.7.2",
            "<sr:JoinServiceNonCritical><sr:OtherDeviceID>00-DB</sr:OtherDeviceID>"
            "</sr:JoinServiceNonCritical>",
            "Body/JoinServiceNonCritical/OtherDeviceID",
        ),
        (
            "8.12.2",
            "<sr:RestoreGPFDeviceLog><sr:OldGPFID>x</sr:OldGPFID></sr:RestoreGPFDeviceLog>",
            "Body/RestoreGPFDeviceLog/OldGPFID",
        ),
    ],
)
def test_a_core_refusal_of_a_duis_body_names_the_element(srv: str, body: str, path: str) -> None:
    document = request_xml(srv, body, request_id=f"{SUPPLIER_A}:{CHF}:1", cv=1)
    with pytest.raises(InvalidField) as error:
        parse_request(document)
    assert error.value.field == path


# -- DUIS response content -----------------------------------------------------------------------

NS = {"ra": "http://www.dccinterface.co.uk/ResponseAndAlert"}


@pytest.fixture(scope="module")
def schemas() -> OfficialSchemas:
    if not XSD_5_3A.is_file():
        pytest.skip("the official DUIS schemas are not in ../shared/duis-xsd")
    return OfficialSchemas.load()


def _mmc_of(sim: Sim, schemas: OfficialSchemas, request_id: object) -> object:
    response = _last_response(sim, request_id)
    documents = {
        version: build_outbox_message(response, version, recipient=SUPPLIER_A)
        for version in (DuisVersion.V5_1, DuisVersion.V5_2)
    }
    for version, document in documents.items():
        schemas.assert_valid(document, version)
    return mmc(documents[DuisVersion.V5_2])


def _send(sim: Sim, srv: str, body: RequestBody, target: str) -> object:
    if srv in ("8.7.1", "8.8.1"):
        return sim.send_critical(srv, body, target=target).request_id
    return sim.send(srv, body, target=target).request_id


@pytest.mark.spec("SRV-02")
def test_duis_read_device_log_responses_carry_the_logs(sim: Sim, schemas: OfficialSchemas) -> None:
    _whitelist(sim, PPMID)
    _whitelist(sim, ESME, OTHER_CODE)
    _answer(sim, "8.11", UpdateHanDeviceLog(ESME, HanLogRequest.REMOVE), CHF)
    _answer(sim, "8.7.1", JoinDevice(PPMID), ESME)
    _answer(sim, "8.7.1", JoinDevice(IHD), ESME)

    chf = _mmc_of(sim, schemas, _send(sim, "8.9", ReadDeviceLog(), CHF))
    assert chf.xpath("//ra:CHFDeviceLogEntry/ra:DeviceID/text()", namespaces=NS) == [PPMID]
    assert chf.xpath("//ra:LastCommunicationsDateTime/text()", namespaces=NS)

    secure = _mmc_of(sim, schemas, _send(sim, "8.9", ReadDeviceLog(True), CHF))
    current = "//ra:CHFCurrentConnectedDeviceLogEntry"
    assert secure.xpath(f"{current}/ra:DeviceID/text()", namespaces=NS) == [PPMID]
    assert secure.xpath(f"{current}/ra:DeviceSecurityDetails/text()", namespaces=NS) == [
        INSTALL_CODE.hex().upper()
    ]
    historic = "//ra:CHFHistoricConnectedDeviceLogEntry"
    assert secure.xpath(f"{historic}/ra:DeviceSecurityDetails/text()", namespaces=NS) == [
        OTHER_CODE.hex().upper()
    ]

    esme = _mmc_of(sim, schemas, _send(sim, "8.9", ReadDeviceLog(), ESME))
    entries = esme.xpath("//ra:DeviceLogEntries/ra:LogEntry", namespaces=NS)
    assert [(e[0].text, e[1].text) for e in entries] == [(PPMID, "PPMID"), (IHD, "Type2")]


@pytest.mark.spec("SRV-02")
def test_duis_join_update_and_restore_responses_carry_their_outcomes(
    sim: Sim, schemas: OfficialSchemas
) -> None:
    join = _mmc_of(sim, schemas, _send(sim, "8.7.1", JoinDevice(ESME), ESME))
    code = join.xpath("//ra:JoinServiceCriticalRsp/ra:joinResponseCode", namespaces=NS)[0]
    assert (code.get("ResponseCode"), code[0].text) == ("2", "invalidJoinMethodAndRole")

    unjoin = _mmc_of(sim, schemas, _send(sim, "8.8.2", UnjoinDevice(IHD), PPMID))
    status = "//ra:UnjoinServiceNonCriticalRsp/ra:unjoinResponseCode/ra:ASN1Status/text()"
    assert unjoin.xpath(status, namespaces=NS) == ["otherDeviceNotInDeviceLog"]

    remove = UpdateHanDeviceLog(PPMID, HanLogRequest.REMOVE)
    update = _mmc_of(sim, schemas, _send(sim, "8.11", remove, CHF))
    assert update.xpath("//ra:UpdateHANDeviceLogRsp/@MessageSuccess", namespaces=NS) == ["false"]

    _answer(sim, "8.7.2", JoinDevice(GSME), GPF)
    _add_device(sim, GPF, NEW_GPF)
    restore = _mmc_of(sim, schemas, _send(sim, "8.12.2", RestoreGpfDeviceLog(GPF), NEW_GPF))
    outcome = "//ra:RestoreGPFDeviceLogRsp/ra:RestoreDeviceLogOutcome"
    assert restore.xpath(f"{outcome}/ra:DeviceLogEntry/ra:DeviceID/text()", namespaces=NS) == [GSME]
    assert restore.xpath(f"{outcome}/ra:DeviceLogEntry/ra:DeviceType/text()", namespaces=NS) == [
        "GSME"
    ]
    assert restore.xpath(f"{outcome}/ra:joinResponseCode/ra:ASN1Status/text()", namespaces=NS) == [
        "success"
    ]


# -- state is seen by the fingerprint ------------------------------------------------------------


@pytest.mark.spec("SRV-03", "SRV-04")
def test_han_state_shows_in_the_fingerprint(sim: Sim) -> None:
    before = fingerprint(sim.dsp)
    _answer(sim, "8.7.2", JoinDevice(ESME), PPMID)
    joined = fingerprint(sim.dsp)
    assert joined["devices"] != before["devices"]
    assert joined["device_logs"] == before["device_logs"]
    _whitelist(sim, PPMID)
    assert fingerprint(sim.dsp)["device_logs"] != joined["device_logs"]


# -- gRPC ----------------------------------------------------------------------------------------


@pytest.mark.spec("SRV-01", "SRV-02")
def test_grpc_han_bodies_convert_and_responses_fill() -> None:
    request = supplier_pb2.SubmitRequest(
        request_id=f"{SUPPLIER_A}:{CHF}:1", service_reference_variant="8.11", command_variant=1
    )
    request.update_han_device_log.CopyFrom(
        han_pb2.UpdateHanDeviceLog(
            device_id=PPMID,
            request_type=han_pb2.HAN_LOG_REQUEST_TYPE_ADD,
            whitelist=han_pb2.ChfWhitelisting(
                join_time_period=90, install_code=INSTALL_CODE, export_mpan="1" * 13
            ),
        )
    )
    assert convert.service_request(request).body == UpdateHanDeviceLog(
        PPMID,
        HanLogRequest.ADD,
        ChfWhitelisting(90, INSTALL_CODE, export_mpan="1" * 13),
    )
    request.update_han_device_log.request_type = han_pb2.HAN_LOG_REQUEST_TYPE_UNSPECIFIED
    with pytest.raises(InvalidField):
        convert.service_request(request)

    simple = {
        "join_device": (han_pb2.JoinDevice(other_device_id=ESME), JoinDevice(ESME)),
        "unjoin_device": (han_pb2.UnjoinDevice(other_device_id=ESME), UnjoinDevice(ESME)),
        "read_device_log": (han_pb2.ReadDeviceLog(read_security_details=True), ReadDeviceLog(True)),
        "restore_han_device_log": (
            han_pb2.RestoreHanDeviceLog(old_chf_id=NEW_CHF),
            RestoreHanDeviceLog(NEW_CHF),
        ),
        "restore_gpf_device_log": (
            han_pb2.RestoreGpfDeviceLog(old_gpf_id=NEW_GPF),
            RestoreGpfDeviceLog(NEW_GPF),
        ),
    }
    for field, (message, expected) in simple.items():
        submit = supplier_pb2.SubmitRequest(
            request_id=f"{SUPPLIER_A}:{CHF}:1", service_reference_variant="8.9", command_variant=1
        )
        getattr(submit, field).CopyFrom(message)
        assert convert.service_request(submit).body == expected, field


@pytest.mark.spec("SRV-02")
def test_grpc_delivers_the_han_response_content(sim: Sim) -> None:
    _whitelist(sim, PPMID)
    _answer(sim, "8.9", ReadDeviceLog(True), CHF)
    _answer(sim, "8.7.2", JoinDevice(IHD), GPF)
    _answer(sim, "8.9", ReadDeviceLog(), GPF)
    entries = list(sim.dsp.pending(SUPPLIER_A))
    by_body = {type(e.message.body): convert.delivery(e) for e in entries}

    chf = by_body[ChfDeviceLogRead].service_response.chf_device_log_read
    assert chf.security_details
    assert [(e.device_id, e.install_code) for e in chf.entries] == [(PPMID, INSTALL_CODE)]
    gpf = by_body[DeviceLogRead].service_response.device_log_read
    assert [(e.device_id, e.device_type) for e in gpf.entries] == [(IHD, 0)]  # Type 2
    assert by_body[JoinOutcome].service_response.han_join_outcome.status == "success"
    assert by_body[HanLogUpdated].service_response.han_log_updated.status == "success"
