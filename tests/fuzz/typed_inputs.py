"""dccsim.v1 messages for the typed-API fuzzers: SubmitRequests of every body kind, random and
near-valid (real user and device IDs, the SRV's own Command Variants, the right target), and
the control API's messages."""

from __future__ import annotations

from google.protobuf.duration_pb2 import Duration
from google.protobuf.timestamp_pb2 import Timestamp
from hypothesis import strategies as st

from dccsim.server.core.matrix import SERVICE_MATRIX
from dccsim.v1 import control_pb2, supplier_pb2, types_pb2
from tests.conftest import NEW_IMAGE, NEW_IMAGE_HASH
from tests.fuzz.harness import seasoned_dsp
from tests.fuzz.strategies import (
    ACB,
    DEVICE_IDS,
    SERVED,
    SRVS,
    USER_IDS,
    counters,
    eui,
    request_id_text,
    small_text,
    text_value,
)

INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)
UINT64_MAX = 2**64 - 1
# Virtual time starts at 2026-01-01; these are seconds since the epoch around it.
NOW_SECONDS = 1_767_225_600


def enum_value(members: int) -> st.SearchStrategy[int]:
    """A proto3 enum value: mostly a member (0 = unspecified), sometimes any int32 (open enums
    carry unknown values over the wire)."""
    return st.one_of(st.integers(0, members), st.integers(*INT32))


@st.composite
def timestamp(draw: st.DrawFn) -> Timestamp:
    """A google.protobuf.Timestamp: near virtual now, far in the past or future, the DUIS
    cancellation date, or outside what a datetime can hold."""
    seconds = draw(
        st.one_of(
            st.integers(NOW_SECONDS - 86_400 * 400, NOW_SECONDS + 86_400 * 400),
            st.sampled_from([0, -1, 32_535_129_600, 253_402_300_799, 253_402_300_800]),
            st.integers(*INT64),
        )
    )
    nanos = draw(st.one_of(st.just(0), st.integers(0, 999_999_999), st.integers(*INT32)))
    return Timestamp(seconds=seconds, nanos=nanos)


@st.composite
def duration(draw: st.DrawFn) -> Duration:
    seconds = draw(
        st.one_of(
            st.integers(-86_400, 86_400 * 30),
            st.sampled_from([0, 315_576_000_000, -315_576_000_000, 10**12]),
            st.integers(*INT64),
        )
    )
    nanos = draw(st.one_of(st.just(0), st.integers(-999_999_999, 999_999_999), st.integers(*INT32)))
    return Duration(seconds=seconds, nanos=nanos)


mpxn_text = st.one_of(
    st.sampled_from(["1100000000001", "2100000001", "1100000000002", "X", "1" * 13, "1" * 14]),
    st.text(max_size=15),
)
version_text = st.one_of(
    st.sampled_from(["0100", "0200", "0300", "12345678", "123456789"]), small_text
)


def _body(srv: str) -> st.SearchStrategy[tuple[str, object]]:
    """(oneof field name, message) for a body: usually the SRV's own kind, sometimes another."""
    own = {
        "2.2": "top_up_device",
        "6.23": "update_security_credentials_cos",
        "8.1.1": "commission_device",
        "8.2": "read_inventory",
        "8.4": "update_inventory",
        "11.1": "update_firmware",
        "11.2": "read_firmware_version",
        "11.3": "activate_firmware",
        "12.1": "request_wan_matrix",
    }.get(srv, "no_body")
    kinds = st.one_of(st.just(own), st.sampled_from(sorted(BODIES)), st.just("signed_pre_command"))
    return kinds.flatmap(lambda kind: BODIES[kind].map(lambda body: (kind, body)))


@st.composite
def _read_inventory(draw: st.DrawFn) -> supplier_pb2.ReadInventory:
    key = draw(st.sampled_from(["device_id", "mpxn", "uprn", None]))
    if key == "uprn":
        return supplier_pb2.ReadInventory(
            uprn=draw(st.one_of(st.integers(0, 10**13), st.integers(0, UINT64_MAX)))
        )
    if key == "device_id":
        return supplier_pb2.ReadInventory(device_id=draw(eui()))
    if key == "mpxn":
        return supplier_pb2.ReadInventory(mpxn=draw(mpxn_text))
    return supplier_pb2.ReadInventory()


@st.composite
def _device_details(draw: st.DrawFn) -> supplier_pb2.DeviceDetails:
    details = supplier_pb2.DeviceDetails(smets=draw(enum_value(2)))
    for name, values in (
        ("manufacturer", text_value()),
        ("model", text_value()),
        ("firmware_version", version_text),
        ("esme_variant", st.one_of(st.sampled_from(["A", "B", "ADEF", "Z", ""]), small_text)),
    ):
        if draw(st.booleans()):
            setattr(details, name, draw(values))
    return details


@st.composite
def _update_inventory(draw: st.DrawFn) -> supplier_pb2.UpdateInventory:
    message = supplier_pb2.UpdateInventory(device_id=draw(eui()))
    change = draw(
        st.sampled_from(["new_status", "device_details", "delete_device", "import_mpxn", None])
    )
    if change == "new_status":
        message.new_status = draw(enum_value(9))
    elif change == "device_details":
        message.device_details.CopyFrom(draw(_device_details()))
    elif change == "delete_device":
        message.delete_device = draw(st.booleans())
    elif change == "import_mpxn":
        message.import_mpxn = draw(mpxn_text)
    return message


@st.composite
def _wan_matrix(draw: st.DrawFn) -> supplier_pb2.RequestWanMatrix:
    message = supplier_pb2.RequestWanMatrix()
    if draw(st.booleans()):
        message.uprn = draw(st.one_of(st.integers(0, 10**13), st.integers(0, UINT64_MAX)))
    if draw(st.booleans()):
        message.postcode = draw(
            st.one_of(
                st.sampled_from(["SW1A 1AA", "EH1 1AA", "CF10 1AA", "\t\t\t\t\t", "     "]),
                text_value(),
            )
        )
    if draw(st.booleans()):
        message.address_identifier = draw(text_value())
    return message


# The payload of the seasoned DSP's pending PreCommand: the CV 5 leg that is accepted.
PAYLOADS = (seasoned_dsp().pre_command[1], b"DCCSIM-GBCS/11.3/")

BODIES: dict[str, st.SearchStrategy[object]] = {
    "top_up_device": st.builds(
        supplier_pb2.TopUpDevice,
        utrn=st.one_of(st.sampled_from(["73946144332040217315", "1" * 19, "1" * 21]), text_value()),
    ),
    "update_security_credentials_cos": st.builds(
        supplier_pb2.UpdateSecurityCredentialsCoS, import_mpxn=mpxn_text
    ),
    "commission_device": st.just(supplier_pb2.CommissionDevice()),
    "read_inventory": _read_inventory(),
    "update_inventory": _update_inventory(),
    "update_firmware": st.builds(
        supplier_pb2.UpdateFirmware,
        image=st.one_of(st.just(NEW_IMAGE), st.binary(max_size=64), st.just(b"")),
        firmware_version=version_text,
        device_ids=st.lists(eui(), max_size=5),
    ),
    "read_firmware_version": st.just(supplier_pb2.ReadFirmwareVersion()),
    "activate_firmware": st.builds(
        supplier_pb2.ActivateFirmware,
        firmware_hash=st.one_of(st.just(NEW_IMAGE_HASH), st.binary(max_size=40)),
    ),
    "request_wan_matrix": _wan_matrix(),
    "signed_pre_command": st.builds(
        supplier_pb2.SignedPreCommand,
        payload=st.one_of(st.sampled_from(PAYLOADS), st.binary(max_size=64)),
    ),
    "no_body": st.just(supplier_pb2.NoBody()),
}


@st.composite
def submit_request(draw: st.DrawFn) -> supplier_pb2.SubmitRequest:
    """A SubmitRequest: three times in four near-valid (a real user, an SRV of the matrix with
    one of its Command Variants, the target it needs), otherwise anything at all."""
    near = draw(st.integers(0, 3)) < 3
    srv = draw(
        st.one_of(st.sampled_from(SERVED), st.sampled_from(SRVS))
        if near
        else st.one_of(st.sampled_from(SRVS), small_text)
    )
    definition = SERVICE_MATRIX.get(srv)
    if near:
        originator = draw(st.sampled_from(USER_IDS))
        target = (
            ACB
            if definition is not None and definition.non_device
            else draw(st.sampled_from(DEVICE_IDS))
        )
        cvs = sorted(definition.command_variants) if definition is not None else [1]
        cv = int(draw(st.one_of(st.sampled_from(cvs), st.integers(0, 10))))
        request_id = f"{originator}:{target}:{draw(counters)}"
    else:
        cv = draw(st.one_of(st.integers(0, 10), st.integers(0, 2**32 - 1)))
        request_id = draw(request_id_text())
    message = supplier_pb2.SubmitRequest(
        request_id=request_id,
        service_reference_variant=srv,
        command_variant=cv,
        user_role=draw(st.one_of(st.just(0), enum_value(7))),
    )
    kind, body = draw(_body(srv) if draw(st.integers(0, 9)) < 9 else st.just((None, None)))
    if kind is not None:
        getattr(message, kind).CopyFrom(body)
    if draw(st.integers(0, 3)) == 3:
        message.execution_datetime.CopyFrom(draw(timestamp()))
    return message


# -- the control API -----------------------------------------------------------------------------


@st.composite
def device_message(draw: st.DrawFn) -> types_pb2.Device:
    return types_pb2.Device(
        device_id=draw(st.one_of(st.sampled_from([*DEVICE_IDS, "00-DB-12-34-56-78-90-B7"]), eui())),
        device_type=draw(enum_value(8)),
        smets=draw(enum_value(2)),
        manufacturer=draw(st.one_of(st.just("DCCSIM"), text_value())),
        model=draw(st.one_of(st.sampled_from(["ESME-S2", "GSME-S2", "GPF-S2"]), text_value())),
        firmware_version=draw(version_text),
        status=draw(enum_value(9)),
        mpxn=draw(mpxn_text),
        esme_variant=draw(st.one_of(st.sampled_from(["", "A", "Q"]), small_text)),
        added_by=draw(st.one_of(st.sampled_from(["", *USER_IDS]), small_text)),
        uprn=draw(st.integers(0, UINT64_MAX)),
        status_before_suspension=draw(enum_value(9)),
        paired_gsme=draw(st.one_of(st.sampled_from(["", *DEVICE_IDS]), small_text)),
    )


cpl_message = st.builds(
    types_pb2.CplEntry,
    manufacturer=st.one_of(st.just("DCCSIM"), text_value()),
    model=st.one_of(st.sampled_from(["ESME-S2", "GSME-S2", "CHF-S2"]), text_value()),
    firmware_version=version_text,
    status=enum_value(2),
    image_hash=st.one_of(st.just(b""), st.just(NEW_IMAGE_HASH), st.binary(max_size=40)),
)

user_message = st.builds(
    types_pb2.User,
    user_id=eui(),
    roles=st.lists(enum_value(7), max_size=4),
    suspended=st.booleans(),
    interface_version=st.one_of(
        st.sampled_from(["", "5.1", "5.2", "5.3", "5.4", "5.10", "6"]), small_text
    ),
    name=text_value(),
)


@st.composite
def registration_message(draw: st.DrawFn) -> control_pb2.Registration:
    message = control_pb2.Registration(
        mpxn=draw(mpxn_text), role=draw(enum_value(7)), user_id=draw(eui())
    )
    if draw(st.integers(0, 5)) < 5:
        message.start.CopyFrom(draw(timestamp()))
    if draw(st.booleans()):
        message.end.CopyFrom(draw(timestamp()))
    return message


@st.composite
def fault_rule_message(draw: st.DrawFn) -> control_pb2.FaultRule:
    message = control_pb2.FaultRule(
        action=draw(
            st.one_of(
                st.sampled_from(
                    ["drop", "delay", "duplicate", "unreachable", "error-code", "fail-verification"]
                ),
                small_text,
            )
        ),
        stage=draw(
            st.one_of(
                st.sampled_from(["", "device-response", "device-alert", "acknowledgement"]),
                small_text,
            )
        ),
        srv=draw(st.one_of(st.sampled_from(["", *SERVED]), small_text)),
        device_type=draw(enum_value(8)),
        smets=draw(enum_value(2)),
        device_ids=draw(st.lists(eui(), max_size=3)),
        error_code=draw(st.one_of(st.sampled_from(["", "E20", "E21", "E30", "E1"]), small_text)),
    )
    if draw(st.booleans()):
        message.probability = draw(
            st.one_of(st.floats(0, 1), st.floats(allow_nan=True, allow_infinity=True))
        )
    if draw(st.booleans()):
        message.first_n = draw(st.integers(0, 2**32 - 1))
    if draw(st.integers(0, 3)) == 3:
        message.window_start.CopyFrom(draw(timestamp()))
    if draw(st.integers(0, 3)) == 3:
        message.window_end.CopyFrom(draw(timestamp()))
    if draw(st.booleans()):
        message.delay.CopyFrom(draw(duration()))
    return message


@st.composite
def set_clock_message(draw: st.DrawFn) -> control_pb2.SetClockRequest:
    change = draw(st.sampled_from(["advance", "rate", "set_to", None]))
    message = control_pb2.SetClockRequest()
    if change == "advance":
        message.advance.CopyFrom(draw(duration()))
    elif change == "rate":
        message.rate = draw(
            st.one_of(
                st.sampled_from([0.0, 1.0, 60.0, -1.0]),
                st.floats(allow_nan=True, allow_infinity=True),
            )
        )
    elif change == "set_to":
        message.set_to.CopyFrom(draw(timestamp()))
    return message
