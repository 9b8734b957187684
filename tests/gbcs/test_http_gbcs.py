"""The firmware story with real GBCS over HTTP, as a DCC Boxed user lives it (GBCS-01…04):
requests POSTed to the web services, the PreCommand signed with the User's exported DS key,
every response and alert POSTed to the User's receiver carrying GBCS that DCC's parser decodes
with valid MACs and signatures."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from dccsim.devices.kinds import SmetsVersion
from dccsim.server.core import commands, views
from dccsim.server.core.codes import PRE_COMMAND_REFUSED
from dccsim.server.core.faults import FaultAction, FaultRule
from dccsim.server.duis.signing import SignatureSettings
from dccsim.server.gbcs import firmware
from dccsim.server.gbcs.pre_command import sign
from dccsim.server.keys import ACB_EUI, CertificateRole, KeyStore, TestPki, export_keys
from dccsim.server.rpc.app import RunningServer, start_server
from tests.conftest import (
    ESME,
    EXAMPLE_NEW_FIRMWARE,
    GSME,
    NEW_IMAGE,
    NEW_IMAGE_HASH,
    SUPPLIER_A,
    example_dsp,
)
from tests.duis.documents import ACB_ID, b64, request_xml, text, texts
from tests.gbcs.decoded import assert_decoded, counter, field, message_code, octets, version
from tests.gbcs.story import SMETS1_ESME, gbcs_payloads, key_hex
from tests.http.conftest import loopback
from tests.http.receivers import Answer, Receiver, post

pytestmark = pytest.mark.spec("GBCS-01", "GBCS-03", "GBCS-04")


@pytest.fixture
def keys(tmp_path: Path) -> tuple[KeyStore, Path]:
    store = KeyStore(source=TestPki(bytes(range(32))))
    store.register(ACB_EUI)
    store.register(SUPPLIER_A, CertificateRole.SUPPLIER)
    export_keys(store, [SUPPLIER_A], [ESME, GSME, SMETS1_ESME], tmp_path)
    return store, tmp_path


@pytest.fixture
def server(keys: tuple[KeyStore, Path], receiver: Receiver) -> Iterator[RunningServer]:
    running = start_server(
        example_dsp,
        max_workers=8,
        http=loopback(),
        keystore=keys[0],
        # The requests here are unsigned XML: the XML signature is BOXED-03's business.
        signatures=SignatureSettings(verify=False),
        receive_urls={SUPPLIER_A: receiver.url},
    )
    yield running
    running.stop(grace=None)


def _activate_body(when: str = "") -> str:
    at = f"<sr:ExecutionDateTime>{when}</sr:ExecutionDateTime>" if when else ""
    return (
        f"<sr:ActivateFirmware>{at}<sr:FirmwareHash>{NEW_IMAGE_HASH.hex().upper()}"
        "</sr:FirmwareHash></sr:ActivateFirmware>"
    )


def _signed_leg(rid: str, payload: bytes) -> bytes:
    body = (
        f"<sr:SignedPreCommand><sr:GBCSPayload>{b64(payload)}</sr:GBCSPayload>"
        "</sr:SignedPreCommand>"
    )
    return request_xml("11.3", body, request_id=rid, cv=5, signed=False)


def _url(server: RunningServer) -> str:
    return f"http://127.0.0.1:{server.http_ports.duis}/api/v1/"


def _code(answer: Answer) -> str:
    assert answer.status == 200, answer.text
    return text(answer.body, "//sr:Header/sr:ResponseCode")


def _user_key(directory: Path) -> ec.EllipticCurvePrivateKey:
    """The User's DS key as `dccsim keys export` wrote it."""
    key = load_pem_private_key((directory / f"{key_hex(SUPPLIER_A)}-ds.key").read_bytes(), None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return key


def _distribute(url: str, counter: int, *devices: str) -> str:
    update = request_xml(
        "11.1",
        f"<sr:UpdateFirmware><sr:FirmwareImage>{b64(NEW_IMAGE)}</sr:FirmwareImage>"
        f"<sr:FirmwareVersion>{EXAMPLE_NEW_FIRMWARE}</sr:FirmwareVersion>"
        f"<sr:DeviceIDList>{','.join(devices)}</sr:DeviceIDList></sr:UpdateFirmware>",
        request_id=f"{SUPPLIER_A}:{ACB_ID}:{counter}",
        cv=8,
        signed=False,
    )
    return _code(post(url + "serviceD", update))


def _pre_command(url: str, rid: str, when: str = "") -> bytes:
    """CV 4 to the Transform service: the PreCommand's GBCS payload."""
    xml = request_xml("11.3", _activate_body(when), request_id=rid, cv=4, signed=False)
    pre = post(url + "serviceT", xml)
    assert _code(pre) == "I0"
    [payload] = texts(pre.body, "//sr:PreCommand/sr:GBCSPayload")
    return base64.b64decode(payload)


def _activate(url: str, rid: str, key: ec.EllipticCurvePrivateKey, when: str = "") -> str:
    """CV 4, the PreCommand signed with the User's key, CV 5: the signed leg's code."""
    signed = sign(_pre_command(url, rid, when), key)
    return _code(post(url + "serviceS", _signed_leg(rid, signed)))


def _read(url: str, device: str, counter: int) -> str:
    read = request_xml(
        "11.2",
        "<sr:ReadFirmwareVersion/>",
        request_id=f"{SUPPLIER_A}:{device}:{counter}",
        cv=1,
        signed=False,
    )
    return _code(post(url + "serviceS", read))


def _received(receiver: Receiver, count: int) -> list[bytes]:
    """The GBCS payloads of the first `count` messages POSTed to the User's receiver."""
    receiver.wait_for(lambda r: len(r.accepted()) >= count)
    payloads = gbcs_payloads(receiver.accepted())
    assert len(payloads) == count
    return payloads


def _by_counter(results: list[dict]) -> dict[int, dict]:
    """decode.js's results by their originator counter (a response's: its RequestID's)."""
    found = {counter(result): result for result in results}
    assert len(found) == len(results)
    return found


def test_the_firmware_story_over_http_is_real_gbcs(
    server: RunningServer, keys: tuple[KeyStore, Path], receiver: Receiver
) -> None:
    directory = keys[1]
    user_key = _user_key(directory)
    url = _url(server)

    assert _distribute(url, 3000, ESME, GSME) == "I99"
    # 11.3, immediate, to the ESME: CV 4, sign, CV 5.
    rid = f"{SUPPLIER_A}:{ESME}:3001"
    unsigned = _pre_command(url, rid)
    # Sent back unsigned: refused, and nothing runs.
    assert _code(post(url + "serviceS", _signed_leg(rid, unsigned))) == str(PRE_COMMAND_REFUSED)
    assert _code(post(url + "serviceS", _signed_leg(rid, sign(unsigned, user_key)))) == "I99"
    # 11.3, future-dated, to the GSME; then the clock passes it: 0x00CA.
    when = (server.host.now() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert _activate(url, f"{SUPPLIER_A}:{GSME}:3002", user_key, when) == "I99"
    server.host.run_one(commands.Advance(timedelta(hours=2)))
    # 11.2 to both.
    assert _read(url, ESME, 3003) == "I99"
    assert _read(url, GSME, 3004) == "I99"

    # Two receipts, the ESME's 11.3 response, the GSME's accepted and its 0x00CA, two 11.2s.
    results = assert_decoded(directory, _received(receiver, 7))
    assert sum(result["mac"] == "valid" for result in results) == 2  # the 11.2 responses
    assert sum(result["signature"] is True for result in results) == 5


@pytest.mark.spec("GBCS-01", "GBCS-02", "GBCS-04", "DEV-03", "FW-05")
def test_a_smets1_firmware_story_over_http_is_real_gbcs(
    server: RunningServer, keys: tuple[KeyStore, Path], receiver: Receiver
) -> None:
    """A SMETS1 ESME's single-step firmware story over HTTP: 11.1 (no receipt: the image does
    not reach a SMETS1 device), 11.2, 11.3 applying the image, its retry (activationFailure
    with no version: 00000000) and 11.2 again, each decoded by DCC's parser."""
    directory = keys[1]
    user_key = _user_key(directory)
    url = _url(server)
    record = views.device(server.host.dsp, ESME)
    assert record is not None
    smets1 = replace(record, device_id=SMETS1_ESME, smets=SmetsVersion.SMETS1)
    server.host.run_one(commands.AddDevice(smets1))

    assert _distribute(url, 4000, SMETS1_ESME) == "I99"
    assert _read(url, SMETS1_ESME, 4001) == "I99"
    assert _activate(url, f"{SUPPLIER_A}:{SMETS1_ESME}:4002", user_key) == "I99"
    assert _activate(url, f"{SUPPLIER_A}:{SMETS1_ESME}:4003", user_key) == "I99"  # retry
    assert _read(url, SMETS1_ESME, 4004) == "I99"

    results = _by_counter(assert_decoded(directory, _received(receiver, 4)))
    assert sorted(results) == [4001, 4002, 4003, 4004]
    for result in results.values():
        grouping = result["message"]["Grouping Header"]
        assert octets(field(grouping, "Originator System Title"))[1:] == bytes.fromhex(
            key_hex(SMETS1_ESME)
        )
    # 11.2: ECS52, MAC'd for the ACB; before and after the activation.
    for at, running in ((4001, "00000100"), (4004, "00000200")):
        assert message_code(results[at]) == firmware.ECS52
        assert results[at]["mac"] == "valid"
        assert version(field(results[at], "[0] Octet String")) == bytes.fromhex(running)
    # 11.3: CS06 signed by the device, success with the new version, then activationFailure.
    outcomes = {at: field(results[at], "Execution Outcome") for at in (4002, 4003)}
    assert all(message_code(results[at]) == firmware.CS06 for at in outcomes)
    assert field(outcomes[4002], "Response Code")["notes"] == "Success"
    assert version(field(outcomes[4002], "Firmware Version")) == bytes.fromhex("00000200")
    assert field(outcomes[4003], "Response Code")["notes"] == "Activation Failure"
    assert version(field(outcomes[4003], "Firmware Version")) == bytes(4)
    with server.host.lock:
        record = views.device(server.host.dsp, SMETS1_ESME)
    assert record is not None and record.firmware_version == EXAMPLE_NEW_FIRMWARE  # FW-05


@pytest.mark.spec("GBCS-01", "GBCS-04", "FAULT-03", "DEV-07", "FW-06")
def test_a_lost_then_retried_activation_over_http_is_real_gbcs(
    server: RunningServer, keys: tuple[KeyStore, Path], receiver: Receiver
) -> None:
    """11.3's response dropped by a fault rule (the device still activated, DEV-07), the User's
    retry (noImageHeld with the running version) and the 11.2 read that recovers the picture,
    each payload decoded by DCC's parser; the dropped response is never POSTed."""
    directory = keys[1]
    user_key = _user_key(directory)
    url = _url(server)
    server.host.run_one(commands.AddFaultRule(FaultRule(FaultAction.DROP, srv="11.3", first_n=1)))

    assert _distribute(url, 5000, ESME) == "I99"
    assert _activate(url, f"{SUPPLIER_A}:{ESME}:5001", user_key) == "I99"  # response lost
    assert _activate(url, f"{SUPPLIER_A}:{ESME}:5002", user_key) == "I99"  # the retry
    assert _read(url, ESME, 5003) == "I99"

    # The receipt (an alert, counted in milliseconds), the retry's CS06 and the ECS52.
    results = _by_counter(assert_decoded(directory, _received(receiver, 3)))
    assert 5001 not in results
    receipt = next(r for r in results.values() if message_code(r) == firmware.FDRA_DLMS)
    assert field(receipt, "Alert Code")["notes"] == "Firmware Verification Successful"
    assert octets(field(receipt, "Calculated Manufacturer Hash"))[2:] == NEW_IMAGE_HASH
    assert message_code(results[5002]) == firmware.CS06
    outcome = field(results[5002], "Execution Outcome")
    assert field(outcome, "Response Code")["notes"] == "No Image Held"
    assert version(field(outcome, "Firmware Version")) == bytes.fromhex("00000200")
    assert message_code(results[5003]) == firmware.ECS52
    assert version(field(results[5003], "[0] Octet String")) == bytes.fromhex("00000200")
