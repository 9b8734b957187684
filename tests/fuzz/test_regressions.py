"""What the fuzzers found, one test each: each input is now refused with INVALID_ARGUMENT naming
the field (or answered), and changes nothing. The two tests at the end are bugs found reading the
code after the fuzz runs (a delay rule near the end of time; a replaced GSME's GPF)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import grpc
import pytest
from google.protobuf.duration_pb2 import Duration
from google.protobuf.timestamp_pb2 import Timestamp

from dccsim.server.core.faults import FaultAction, FaultRule
from dccsim.server.core.fingerprint import fingerprint
from dccsim.server.core.fleet import SUPPLIER_A
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.requests import ReadFirmwareVersion, RequestId, ServiceRequest
from dccsim.server.rpc.app import start_server
from dccsim.server.rpc.duis_service import DuisGatewayService
from dccsim.server.rpc.services import ControlService, SupplierService
from dccsim.server.runtime.duis_gateway import DuisGateway
from dccsim.server.runtime.host import DspHost
from dccsim.v1 import control_pb2, duis_pb2, duis_pb2_grpc, supplier_pb2, types_pb2
from tests.conftest import ESME, GPF, GSME, example_dsp
from tests.duis.documents import request_xml
from tests.fuzz.harness import Aborted, FakeContext, field_violations, fresh_host, still_dsp
from tests.fuzz.test_duis_fuzz import read_duis_answer

ACB = "90-B3-D5-1F-30-00-00-02"


def _refused(host: DspHost, call, field: str) -> None:
    """The call is INVALID_ARGUMENT naming `field`, and the DSP is as it was."""
    before = fingerprint(host.dsp)
    with pytest.raises(Aborted) as refused:
        call()
    assert refused.value.code is grpc.StatusCode.INVALID_ARGUMENT
    assert [v.field for v in field_violations(refused.value.metadata)] == [field]
    assert fingerprint(host.dsp) == before


def _duis(host: DspHost, document: bytes) -> duis_pb2.DuisDocument:
    gateway = DuisGatewayService(host, DuisGateway(host))
    return gateway.Submit(duis_pb2.DuisDocument(xml=document), FakeContext())


# -- fixed: the DUIS parser ----------------------------------------------------------------------


@pytest.mark.spec("BAD-01", "BAD-02")
def test_command_variant_with_thousands_of_leading_zeros_is_refused_by_name() -> None:
    """Was ValueError (Python's 4,300-digit limit on int()) escaping as UNKNOWN."""
    host, _ = fresh_host()
    rid = f"{SUPPLIER_A}:{ESME}:5000"
    document = request_xml("11.2", "<sr:ReadFirmwareVersion/>", request_id=rid, cv=1)

    def with_cv(text: bytes) -> bytes:
        return document.replace(b">1</sr:CommandVariant>", b">" + text + b"</sr:CommandVariant>")

    _refused(host, lambda: _duis(host, with_cv(b"0" * 5000 + b"9")), "Header/CommandVariant")
    _refused(host, lambda: _duis(host, with_cv(b"1" * 5000)), "Header/CommandVariant")
    # Leading zeros, however many, still make an xs:integer Command Variant.
    assert read_duis_answer(_duis(host, with_cv(b"0" * 5000 + b"1"))).code == "I99"


@pytest.mark.spec("BAD-01", "BAD-02")
@pytest.mark.parametrize("srv", ["8.2", "12.1"])
def test_uprn_with_thousands_of_leading_zeros_is_refused_by_name(srv: str) -> None:
    """Was ValueError (int() of 4,301+ digits) escaping as UNKNOWN."""
    host, _ = fresh_host()
    body = "ReadInventory" if srv == "8.2" else "RequestWANMatrix"

    def document(uprn: str) -> bytes:
        return request_xml(
            srv,
            f"<sr:{body}><sr:UPRN>{uprn}</sr:UPRN></sr:{body}>",
            request_id=f"{SUPPLIER_A}:{ACB}:5000",
            cv=8,
        )

    _refused(host, lambda: _duis(host, document("0" * 5000 + "1" * 13)), f"Body/{body}/UPRN")
    _refused(host, lambda: _duis(host, document("0" * 5000)), f"Body/{body}/UPRN")
    # Leading zeros, however many, still make an xs:integer UPRN.
    assert read_duis_answer(_duis(host, document("0" * 5000 + "100000000001"))).code == "I0"


@pytest.mark.spec("BAD-01", "BAD-02")
@pytest.mark.parametrize("offset", ["+24:00", "-99:59", "+23:60"])
def test_execution_datetime_with_an_impossible_zone_offset_is_refused_by_name(offset: str) -> None:
    """Was ValueError from datetime.timezone() escaping as UNKNOWN."""
    host, _ = fresh_host()
    body = (
        "<sr:ReadFirmwareVersion><sr:ExecutionDateTime>2026-02-01T00:00:00"
        f"{offset}</sr:ExecutionDateTime></sr:ReadFirmwareVersion>"
    )
    document = request_xml("11.2", body, request_id=f"{SUPPLIER_A}:{ESME}:5000", cv=1)
    field = "Body/ReadFirmwareVersion/ExecutionDateTime"
    _refused(host, lambda: _duis(host, document), field)


@pytest.mark.spec("BAD-01")
def test_datetime_digits_are_ascii() -> None:
    """xs:dateTime digits are 0-9; Python's \\d and int() also take other scripts' digits."""
    host, _ = fresh_host()
    arabic = "".join(chr(0x0660 + int(c)) if c.isdigit() else c for c in "2026-02-01T00:00:00Z")
    body = (
        f"<sr:ReadFirmwareVersion><sr:ExecutionDateTime>{arabic}</sr:ExecutionDateTime>"
        "</sr:ReadFirmwareVersion>"
    )
    document = request_xml("11.2", body, request_id=f"{SUPPLIER_A}:{ESME}:5000", cv=1)
    _refused(host, lambda: _duis(host, document), "Body/ReadFirmwareVersion/ExecutionDateTime")


# -- fixed: the typed API ------------------------------------------------------------------------


def _submit(host: DspHost, **fields: object) -> supplier_pb2.SubmitResponse:
    return SupplierService(host).Submit(supplier_pb2.SubmitRequest(**fields), FakeContext())


@pytest.mark.spec("BAD-01", "BAD-02")
@pytest.mark.parametrize(
    "stamp",
    [
        Timestamp(seconds=1_767_225_600, nanos=-1),
        Timestamp(seconds=2**62),
        Timestamp(seconds=-(2**62)),
    ],
)
def test_execution_datetime_timestamp_out_of_range_is_refused_by_name(stamp: Timestamp) -> None:
    """Was ValueError / OverflowError from Timestamp.ToDatetime escaping as UNKNOWN."""
    host, _ = fresh_host()
    request = {
        "request_id": f"{SUPPLIER_A}:{ESME}:5000",
        "service_reference_variant": "11.2",
        "command_variant": 1,
        "read_firmware_version": supplier_pb2.ReadFirmwareVersion(),
        "execution_datetime": stamp,
    }
    _refused(host, lambda: _submit(host, **request), "execution_datetime")


@pytest.mark.spec("BAD-01", "BAD-02")
def test_wan_matrix_postcode_of_whitespace_is_refused_by_name() -> None:
    """Was IndexError in the 12.1 handler, raised after the counter was consumed."""
    host, _ = fresh_host()
    request = {
        "request_id": f"{SUPPLIER_A}:{ACB}:5000",
        "service_reference_variant": "12.1",
        "command_variant": 8,
        "request_wan_matrix": supplier_pb2.RequestWanMatrix(
            postcode="\t\t\t\t\t", address_identifier="1"
        ),
    }
    _refused(host, lambda: _submit(host, **request), "body.postcode")


@pytest.mark.spec("BAD-01", "BAD-02")
def test_firmware_version_xml_cannot_carry_is_refused_by_name() -> None:
    """11.1's version becomes a device's version, then every DUIS answer showing it failed."""
    host, _ = fresh_host()
    request = {
        "request_id": f"{SUPPLIER_A}:{ACB}:5000",
        "service_reference_variant": "11.1",
        "command_variant": 8,
        "update_firmware": supplier_pb2.UpdateFirmware(
            image=b"image", firmware_version="02\x0000", device_ids=[ESME]
        ),
    }
    _refused(host, lambda: _submit(host, **request), "body.firmware_version")


# -- fixed: the control API ----------------------------------------------------------------------


def _control(host: DspHost) -> ControlService:
    return ControlService(host, dsp_factory=still_dsp)


@pytest.mark.spec("BAD-01", "BAD-02")
@pytest.mark.parametrize("field", ["manufacturer", "model", "firmware_version", "mpxn"])
def test_put_device_with_text_xml_cannot_carry_is_refused_by_name(field: str) -> None:
    """Was accepted; every later DUIS 8.2 answer showing the device then failed (ValueError)."""
    host, _ = fresh_host()
    device = types_pb2.Device(
        device_id="00-DB-12-34-56-78-90-B7",
        device_type=types_pb2.DEVICE_TYPE_ESME,
        smets=types_pb2.SMETS_VERSION_SMETS2,
        manufacturer="DCCSIM",
        model="ESME-S2",
        firmware_version="0100",
        status=types_pb2.SMI_STATUS_COMMISSIONED,
        mpxn="1100000000001",
    )
    setattr(device, field, "X\x01")
    _refused(host, lambda: _control(host).PutDevice(device, FakeContext()), field)


@pytest.mark.spec("BAD-01", "BAD-02")
def test_put_cpl_entry_with_text_xml_cannot_carry_is_refused_by_name() -> None:
    host, _ = fresh_host()
    entry = types_pb2.CplEntry(
        manufacturer="DCCSIM", model="ESME-S2", firmware_version="\x1b[0m", status=1
    )
    _refused(host, lambda: _control(host).PutCplEntry(entry, FakeContext()), "firmware_version")


@pytest.mark.spec("BAD-01", "BAD-02")
@pytest.mark.parametrize(
    ("rule", "field"),
    [
        (
            control_pb2.FaultRule(action="drop", window_start=Timestamp(seconds=2**62)),
            "window_start",
        ),
        (control_pb2.FaultRule(action="drop", window_end=Timestamp(nanos=-5)), "window_end"),
        (control_pb2.FaultRule(action="delay", delay=Duration(seconds=2**62)), "delay"),
    ],
)
def test_fault_rule_times_out_of_range_are_refused_by_name(
    rule: control_pb2.FaultRule, field: str
) -> None:
    host, _ = fresh_host()
    _refused(host, lambda: _control(host).AddFaultRule(rule, FakeContext()), field)


@pytest.mark.spec("BAD-01", "BAD-02")
def test_registration_start_out_of_range_is_refused_by_name() -> None:
    host, _ = fresh_host()
    registration = control_pb2.Registration(
        mpxn="1100000000001", role=1, user_id=SUPPLIER_A, start=Timestamp(seconds=2**62)
    )
    _refused(host, lambda: _control(host).PutRegistration(registration, FakeContext()), "start")


# -- fixed in server/core/dsp.py and server/rpc/services.py ----------------------------------------


@pytest.mark.spec("REQ-02", "INV-05")
@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"read_inventory": supplier_pb2.ReadInventory(mpxn="999")}, "E080201"),
        (
            {"update_inventory": supplier_pb2.UpdateInventory(device_id=ESME, delete_device=True)},
            "E080407",
        ),
    ],
)
def test_non_device_error_codes_consume_no_counter(body: dict[str, object], code: str) -> None:
    """Decision (REQ-02): a rejected request consumes no counter; INV-05: E080407 changes
    nothing. Was: the counter was consumed before the handler decided on E080201/E080407/E4,
    so the same RequestID resent after fixing the input got E1000."""
    host, _ = fresh_host()
    srv = "8.2" if "read_inventory" in body else "8.4"
    before = fingerprint(host.dsp)
    answer = _submit(
        host,
        request_id=f"{SUPPLIER_A}:{ACB}:5000",
        service_reference_variant=srv,
        command_variant=8,
        **body,
    )
    assert answer.response_code == code
    assert fingerprint(host.dsp) == before


@pytest.mark.spec("BAD-01", "BAD-02")
@pytest.mark.parametrize(
    "advance",
    [Duration(seconds=315_576_000_000), Duration(seconds=2**62)],
    ids=["past year 9999", "beyond a timedelta"],
)
def test_set_clock_advance_out_of_range_is_invalid_argument(advance: Duration) -> None:
    """Was OverflowError escaping SetClock as UNKNOWN: from Dsp.advance (virtual time past
    datetime.max) or from Duration.ToTimedelta in services.SetClock (no timedelta that long)."""
    host, _ = fresh_host()
    request = control_pb2.SetClockRequest(advance=advance)
    _refused(host, lambda: _control(host).SetClock(request, FakeContext()), "advance")


@pytest.mark.spec("BAD-01", "BAD-02")
@pytest.mark.parametrize("rate", [math.inf, 1e300])
def test_set_clock_rate_that_breaks_the_clock_is_refused(rate: float) -> None:
    """Was: a rate of infinity (or 1e300) was accepted, SetClock itself then failed as UNKNOWN
    and so did every later reading of the clock: the server stopped serving."""
    dsp = example_dsp()  # a real clock: time runs
    host = DspHost(dsp)
    request = control_pb2.SetClockRequest(rate=rate)
    with pytest.raises(Aborted) as refused:
        _control(host).SetClock(request, FakeContext())
    assert refused.value.code is grpc.StatusCode.INVALID_ARGUMENT
    dsp.now()


@pytest.mark.spec("BAD-01", "BAD-02")
@pytest.mark.parametrize(
    ("device_type", "device_id", "paired"),
    [
        (types_pb2.DEVICE_TYPE_ESME, "00-DB-12-34-56-78-90-B7", GSME),  # only a GPF pairs
        (types_pb2.DEVICE_TYPE_GPF, GPF, ESME),  # only with a GSME
    ],
)
def test_put_device_with_an_impossible_pairing_is_refused_and_changes_nothing(
    device_type: int, device_id: str, paired: str
) -> None:
    """Was: Dsp.add_device stored the record and the device, then DeviceNetwork.pair_gpf raised
    ValueError (UNKNOWN over gRPC) with the SMI already changed."""
    host = DspHost(still_dsp())
    device = types_pb2.Device(
        device_id=device_id,
        device_type=device_type,
        smets=types_pb2.SMETS_VERSION_SMETS2,
        manufacturer="DCCSIM",
        model="M",
        firmware_version="0100",
        status=types_pb2.SMI_STATUS_COMMISSIONED,
        paired_gsme=paired,
    )
    _refused(host, lambda: _control(host).PutDevice(device, FakeContext()), "paired_gsme")


# -- fixed: gRPC status size ---------------------------------------------------------------------


@pytest.fixture
def gateway() -> Iterator[duis_pb2_grpc.DuisGatewayStub]:
    running = start_server(still_dsp, max_workers=4)
    try:
        with grpc.insecure_channel(f"127.0.0.1:{running.port}") as channel:
            yield duis_pb2_grpc.DuisGatewayStub(channel)
    finally:
        running.stop(grace=None)


@pytest.mark.spec("BAD-01")
@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("A" * 5000, "PostCode"),  # a value quoted in the reason
        ("\u4e2d" * 3000, "PostCode"),  # and one that percent-encoding makes 9 times longer
        ("1", "X" * 5000),  # an element named in the field
    ],
    ids=["long value", "long non-ASCII value", "long element name"],
)
def test_a_refusal_quoting_a_huge_input_reaches_the_client_as_invalid_argument(
    gateway: duis_pb2_grpc.DuisGatewayStub, value: str, name: str
) -> None:
    """Was RESOURCE_EXHAUSTED on the client ("received metadata size exceeds soft limit"): the
    status message and BadRequest quoted the whole value, beyond gRPC's 8 KiB trailer limit."""
    body = (
        "<sr:RequestWANMatrix><sr:PartialAddress>"
        f"<sr:{name}>{value}</sr:{name}><sr:AddressIdentifier>1</sr:AddressIdentifier>"
        "</sr:PartialAddress></sr:RequestWANMatrix>"
    )
    document = request_xml("12.1", body, request_id=f"{SUPPLIER_A}:{ACB}:5000", cv=8)
    with pytest.raises(grpc.RpcError) as refused:
        gateway.Submit(duis_pb2.DuisDocument(xml=document), timeout=10)
    assert refused.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    (violation,) = field_violations(tuple(refused.value.trailing_metadata()))
    assert violation.field.startswith("Body/RequestWANMatrix/PartialAddress/")
    assert "characters]" in violation.description + violation.field  # shortened, and says so


# -- found reading the code after the fuzz runs ---------------------------------------------------


@pytest.mark.spec("BAD-02", "FAULT-01")
def test_a_delay_rule_near_the_end_of_time_does_not_break_a_request() -> None:
    """Virtual time may be set to 9999-12-31T23:00 (SetClock set_to); a DELAY rule of 2 days
    then makes the next matching request raise OverflowError inside Dsp.submit, after its
    counter was consumed (UNKNOWN over gRPC). Expected: the request is answered (the delayed
    response simply never falls due, or the rule is refused)."""
    dsp = still_dsp()
    dsp.advance_to(datetime(9999, 12, 31, 23, 0, tzinfo=UTC))
    dsp.faults.add(FaultRule(FaultAction.DELAY, delay=timedelta(days=2)))
    request = ServiceRequest(
        RequestId(SUPPLIER_A, ESME, 5000),
        "11.2",
        CommandVariant.NON_CRITICAL_REMOTE,
        ReadFirmwareVersion(),
    )
    assert dsp.submit(request).code == "I99"


@pytest.mark.spec("DEV-06", "FW-07")
def test_a_replaced_gsme_is_the_one_its_gpf_relays() -> None:
    """PutDevice of an existing GSME puts a new simulated device on the network, but the GPF
    keeps relaying the old object: an 11.2 to the GPF then reports a GSME version the GSME no
    longer runs (and FW-07 compares the SMI with it)."""
    dsp = still_dsp()
    dsp.add_device(replace(dsp.device_record(GSME), firmware_version="0200"))
    assert dsp.device(GPF).gsme is dsp.device(GSME)
