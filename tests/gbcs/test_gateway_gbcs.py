"""The firmware story with real GBCS over the DUIS gateway (GBCS-01…05), every payload checked
by DCC's own GBCS parser (`tools/gbcs-parser/decode.js`) with the keys `dccsim keys export`
wrote: every payload parses, every MAC is valid, every signature true."""

from __future__ import annotations

import base64
from datetime import timedelta
from pathlib import Path

import pytest

from dccsim.server.core.codes import PRE_COMMAND_REFUSED, ResponseCode
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.faults import FaultAction, FaultRule, FaultStage
from dccsim.server.core.fingerprint import fingerprint
from dccsim.server.duis.build import read_gbcs_payload
from dccsim.server.gbcs import firmware
from dccsim.server.gbcs.crypto import MAC_LENGTH
from dccsim.server.gbcs.frame import Cra, parse_general_signing
from dccsim.server.gbcs.payloads import PayloadForm
from dccsim.server.gbcs.pre_command import sign
from dccsim.server.keys import ACB_EUI
from dccsim.server.runtime.duis_gateway import AcknowledgementLost, DuisReply
from tests.conftest import (
    CHF,
    ESME,
    EXAMPLE_FIRMWARE,
    EXAMPLE_NEW_FIRMWARE,
    GPF,
    GSME,
    HCALCS,
    NEW_IMAGE_HASH,
    PPMID,
    SUPPLIER_A,
    SUPPLIER_B,
)
from tests.duis.documents import b64, request_xml, texts
from tests.gbcs.conftest import decode
from tests.gbcs.decoded import (
    apdu,
    assert_decoded,
    counter,
    field,
    message_code,
    octets,
    version,
)
from tests.gbcs.story import SMETS1_ESME, Story, gbcs_payloads, key_hex, make_story

WRONG_HASH = bytes(32)


def eui(device: str) -> bytes:
    """An EUI-64 as its 8 octets, as a GBCS system title carries it."""
    return bytes.fromhex(key_hex(device))


@pytest.fixture
def story(tmp_path: Path) -> Story:
    return make_story(tmp_path)


@pytest.mark.spec("GBCS-01", "GBCS-02", "GBCS-04")
def test_the_firmware_story_is_real_gbcs_that_dccs_parser_accepts(story: Story) -> None:
    # 11.1 to SMETS2 devices of each receipt kind, and a SMETS1 ESME (which raises none).
    assert story.distribute(ESME, GSME, HCALCS, CHF, SMETS1_ESME).answer.code == "I99"
    # 11.2 to every device type, SMETS2 and SMETS1.
    for device in (ESME, GSME, GPF, CHF, PPMID, HCALCS, SMETS1_ESME):
        assert story.read_firmware(device).answer.code == "I99"
    # 11.3 immediate: success, hash mismatch, and a SMETS1 single-step activation.
    assert story.activate(ESME).answer.code == "I99"
    assert story.activate(CHF, image_hash=WRONG_HASH).answer.code == "I99"
    assert story.activate(SMETS1_ESME).answer.code == "I99"
    # 11.3 future-dated: accepted now, the 0x00CA alert when it falls due (8F66 and 8F67).
    when = story.dsp.now() + timedelta(hours=1)
    assert story.activate(GSME, when=when).answer.code == "I99"
    assert story.activate(HCALCS, image_hash=WRONG_HASH, when=when).answer.code == "I99"
    story.dsp.advance(timedelta(hours=2))
    # 11.3 again on the ESME, now running its new image: noImageHeld, with the running version.
    assert story.activate(ESME).answer.code == "I99"

    payloads = gbcs_payloads(story.documents())
    seen = {}
    for payload in payloads:
        parsed, macced = apdu(payload)
        seen.setdefault(parsed.header.message_code, []).append((parsed, macced))
    assert sorted(seen) == sorted(
        {
            firmware.ECS52: 0,
            firmware.GCS38: 0,
            firmware.CS08: 0,
            firmware.CS06: 0,
            firmware.FUTURE_DATED_ACTIVATION_ALERT: 0,
            firmware.FDRA_DLMS: 0,
            firmware.FDRA_ZIGBEE: 0,
            firmware.FDRA_HCALCS: 0,
        }
    )
    # 11.2: MAC'd responses to the ACB, the User as supplementary remote party; the rest signed.
    for parsed, macced in seen[firmware.ECS52] + seen[firmware.GCS38] + seen[firmware.CS08]:
        assert macced and parsed.signature is None
        assert parsed.header.recipient == bytes.fromhex("90B3D51F30000002")
        assert parsed.header.supplementary is not None
        assert parsed.header.supplementary.party == bytes.fromhex(SUPPLIER_A.replace("-", ""))
    for code in (firmware.CS06, firmware.FUTURE_DATED_ACTIVATION_ALERT, firmware.FDRA_DLMS):
        assert all(not m and p.signature is not None for p, m in seen[code])
    cs06 = [parsed.content for parsed, _ in seen[firmware.CS06]]
    assert firmware.CS06_ACCEPTED in cs06
    codes = {content[4] for content in cs06 if content.startswith(b"\x30")}
    assert codes >= {0, 1, 2}  # success, noImageHeld, hashMismatch
    alerts = [parsed.content for parsed, _ in seen[firmware.FUTURE_DATED_ACTIVATION_ALERT]]
    assert {alert[4:7] for alert in alerts} == {b"\x00\x8f\x66", b"\x00\x8f\x67"}
    assert all(p.header.cra is Cra.ALERT for p, _ in seen[firmware.FDRA_ZIGBEE])

    assert_decoded(story.keys, payloads)


@pytest.mark.spec("GBCS-01", "GBCS-04", "FAULT-03")
def test_lost_and_retried_firmware_messages_are_real_gbcs_too(story: Story) -> None:
    story.distribute(ESME)
    # The 11.3 response is lost (DEV-07) and the User retries: the device now has no image.
    story.dsp.faults.add(FaultRule(FaultAction.DROP, srv="11.3", first_n=1))
    assert story.activate(ESME).answer.code == "I99"
    assert story.activate(ESME).answer.code == "I99"
    # An acknowledgement lost on the way back, then the 11.2 read that restores the picture.
    story.dsp.faults.add(
        FaultRule(FaultAction.DROP, stage=FaultStage.ACKNOWLEDGEMENT, srv="11.2", first_n=1)
    )
    with pytest.raises(AcknowledgementLost):
        story.read_firmware(ESME)
    assert story.read_firmware(ESME).answer.code == "I99"
    # A duplicated response is the same payload twice.
    story.dsp.faults.add(FaultRule(FaultAction.DUPLICATE, srv="11.2", first_n=1))
    story.read_firmware(GSME)
    payloads = gbcs_payloads(story.documents())
    assert len(payloads) >= 5
    assert_decoded(story.keys, payloads)


@pytest.mark.spec("GBCS-02", "GBCS-04", "DEV-03", "FW-05")
def test_a_smets1_retry_answers_activation_failure_in_gbcs_with_version_00000000(
    story: Story,
) -> None:
    """CS06 activationFailure as DCC's parser reads it: a SMETS1 device retried after its image
    was applied reports no version (DEV-03), and GBCS's 4-octet version then carries 00000000
    (docs/decisions.md); the SMI keeps the version the success set (FW-05)."""
    story.distribute(SMETS1_ESME)
    assert story.activate(SMETS1_ESME).answer.code == "I99"  # single-step: applied now
    assert story.activate(SMETS1_ESME).answer.code == "I99"  # the retry
    results = assert_decoded(story.keys, gbcs_payloads(story.documents()))
    success, failure = (field(r["message"], "Execution Outcome") for r in results)
    assert all(message_code(r) == firmware.CS06 for r in results)
    assert field(success, "Response Code")["notes"] == "Success"
    assert version(field(success, "Firmware Version")) == bytes.fromhex("00000200")
    code = field(failure, "Response Code")
    assert (octets(code), code["notes"]) == (bytes.fromhex("020103"), "Activation Failure")
    assert octets(field(failure, "Firmware Version")) == bytes.fromhex("0404") + bytes(4)
    for result in results:  # both signed by the SMETS1 ESME itself, to the User
        grouping = result["message"]["Grouping Header"]
        assert octets(field(grouping, "Originator System Title"))[1:] == eui(SMETS1_ESME)
        assert octets(field(grouping, "Recipient System Title"))[1:] == eui(SUPPLIER_A)
    record = story.dsp.state.smi.get(SMETS1_ESME)
    assert record is not None and record.firmware_version == EXAMPLE_NEW_FIRMWARE


@pytest.mark.spec("GBCS-02", "GBCS-04", "DEV-02", "DEV-05")
@pytest.mark.parametrize(
    ("device", "code", "hash_field"),
    [
        (ESME, firmware.FDRA_DLMS, "Calculated Manufacturer Hash"),
        (GSME, firmware.FDRA_ZIGBEE, "Calculated Manufacturer Hash"),
        # 0x012C: gbcs-parser does not know it and shows the GBZ receipt's hash generically.
        (HCALCS, firmware.FDRA_HCALCS, "GBZ Use Case Specific Components"),
    ],
    ids=["ESME-0x00CE", "GSME-0x00CF", "HCALCS-0x012C"],
)
def test_a_failed_verification_receipt_is_gbcs_alert_0x8f1c_with_the_hash(
    story: Story, device: str, code: int, hash_field: str
) -> None:
    """The 11.1 receipt of an image the device fails to verify (the `fail-verification` fault),
    as DCC's parser reads it: alert 0x8F1C with the calculated hash, signed by the device."""
    story.dsp.faults.add(
        FaultRule(
            FaultAction.FAIL_VERIFICATION, stage=FaultStage.DEVICE_ALERT, srv="11.1", first_n=1
        )
    )
    assert story.distribute(device).answer.code == "I99"
    [result] = assert_decoded(story.keys, gbcs_payloads(story.documents()))
    assert message_code(result) == code
    message = result["message"]
    assert field(message, "CRA Flag")["notes"] == "Alert"
    assert octets(field(message, "Originator System Title"))[1:] == eui(device)
    alert = field(message["Payload"], "Alert Code")
    assert octets(alert)[-2:] == b"\x8f\x1c"
    assert alert["notes"] == "Firmware Verification Failed"
    assert octets(field(message["Payload"], hash_field)) == b"\x09\x20" + NEW_IMAGE_HASH
    assert result["signature"] is True


@pytest.mark.spec("GBCS-03", "GBCS-04", "REQ-05")
def test_the_pre_command_is_gbcs_with_a_null_signature_and_the_signed_one_is_accepted(
    story: Story,
) -> None:
    story.distribute(ESME)
    rid, payload = story.pre_command(ESME)
    parsed = parse_general_signing(payload)
    assert payload.endswith(b"\x00") and parsed.signature is None  # the null signature
    assert parsed.header.cra is Cra.COMMAND and parsed.header.message_code == firmware.CS06
    assert parsed.header.originator == bytes.fromhex(SUPPLIER_A.replace("-", ""))
    assert parsed.content[4:36] == NEW_IMAGE_HASH
    signed = sign(payload, story.ds_key(SUPPLIER_A))
    # DCC's parser checks the User's signature with the exported DS certificate.
    [result] = decode([story.keys], [signed])
    assert result["error"] is None and result["signature"] is True
    reply = story.signed_leg(rid, signed)
    assert reply.answer.code == "I99"
    assert story.dsp.device(ESME).firmware.running_version != "0100"
    assert rid not in {str(r) for r in story.dsp.pending_pre_commands}


def _refused_changing_nothing(
    story: Story, rid: str, returned: bytes, why: str, cv: int = 5
) -> None:
    def state() -> tuple:
        return (
            fingerprint(story.dsp),
            story.dsp.pending_pre_commands,
            story.dsp.device(ESME).firmware.running_version,
            len(story.dsp.pending(SUPPLIER_A)),
            dict(story.dsp.counters),
        )

    before = state()
    reply = story.signed_leg(rid, returned, cv=cv)
    assert reply.answer.code == PRE_COMMAND_REFUSED
    assert why in reply.answer.detail
    assert texts(reply.document, "//sr:ResponseCode") == [str(PRE_COMMAND_REFUSED)]
    assert state() == before


@pytest.mark.spec("GBCS-03")
def test_a_pre_command_not_signed_by_its_user_or_altered_is_refused_and_changes_nothing(
    story: Story,
) -> None:
    story.distribute(ESME)
    rid, payload = story.pre_command(ESME)
    ours = sign(payload, story.ds_key(SUPPLIER_A))
    # Unsigned: the PreCommand sent back as it came (or without its null signature byte).
    _refused_changing_nothing(story, rid, payload, "not signed")
    _refused_changing_nothing(story, rid, payload[:-1], "not signed")
    # Signed by another User.
    _refused_changing_nothing(story, rid, sign(payload, story.ds_key(SUPPLIER_B)), "signature")
    # A flipped byte in the command (the image hash), then in the signature.
    at = payload.index(NEW_IMAGE_HASH)
    altered = bytearray(payload)
    altered[at] ^= 0x01
    forged = sign(bytes(altered), story.ds_key(SUPPLIER_A))
    _refused_changing_nothing(story, rid, forged, "not the command dccsim transformed")
    flipped = bytearray(ours)
    flipped[-1] ^= 0x01
    _refused_changing_nothing(story, rid, bytes(flipped), "signature does not verify")
    # Not GBCS at all.
    _refused_changing_nothing(story, rid, b"DCCSIM-GBCS/11.3/forged", "General-Signing")
    # The real one still goes through: nothing was consumed by the refusals.
    assert story.signed_leg(rid, ours).answer.code == "I99"
    # And cannot be replayed.
    with pytest.raises(InvalidField, match="PreCommand"):
        story.signed_leg(rid, ours)


def _return_local_command_response(story: Story, rid: str, stand_in: bytes) -> DuisReply:
    """8.13 for a CV 6's LocalCommand: no hand-held terminal carried the command to a device, so
    a harness has no device response to return but a stand-in, named by OriginalRequestID."""
    body = (
        f"<sr:ReturnLocalCommandResponse><sr:OriginalRequestID>{rid}</sr:OriginalRequestID>"
        f"<sr:DeviceGBCSResponse>{b64(stand_in)}</sr:DeviceGBCSResponse>"
        "</sr:ReturnLocalCommandResponse>"
    )
    return story.submit(
        request_xml("8.13", body, request_id=story.rid(ACB_EUI), cv=8, signed=False)
    )


@pytest.mark.spec("GBCS-03", "GBCS-04", "SRV-04")
@pytest.mark.parametrize(("cv", "answer"), [(6, "I0"), (7, "I99")])
def test_a_pre_command_signed_and_returned_with_cv6_or_cv7_is_checked_and_answered_in_gbcs(
    story: Story, cv: int, answer: str
) -> None:
    """GBCS-03 with CV 6 (local delivery: I0 with the LocalCommand; the device's CS06 response
    is delivered once 8.13 returns it) and CV 7 (I99; the response delivered as for CV 5): the
    User's signed pre-command accepted, and the device's CS06 response decoded by DCC's parser."""
    story.distribute(ESME)
    receipts = len(story.documents())
    rid, payload = story.pre_command(ESME)
    signed = sign(payload, story.ds_key(SUPPLIER_A))
    reply = story.signed_leg(rid, signed, cv=cv)
    assert reply.answer.code == answer
    assert rid not in {str(r) for r in story.dsp.pending_pre_commands}
    if cv == 6:
        [local] = texts(reply.document, "//sr:LocalCommand/sr:GBCSPayload")
        # What the User carries to the device: the command it signed, as GBCS, not a token.
        assert base64.b64decode(local) == signed
        [command] = assert_decoded(story.keys, [base64.b64decode(local)])
        assert message_code(command) == firmware.CS06 and command["signature"] is True
        # Not executed until the device's response comes back (SRV-04).
        assert story.dsp.device(ESME).firmware.running_version == EXAMPLE_FIRMWARE
        assert len(story.documents()) == receipts
        returned = _return_local_command_response(story, rid, b"a hand-held terminal's stand-in")
        assert returned.answer.code == "I99"
    payloads = gbcs_payloads(story.documents())[receipts:]
    [result] = assert_decoded(story.keys, payloads)
    assert message_code(result) == firmware.CS06
    assert counter(result) == int(rid.rsplit(":", 1)[1])
    assert result["signature"] is True  # the ESME's DS signature
    outcome = field(result["message"], "Execution Outcome")
    assert field(outcome, "Response Code")["notes"] == "Success"
    assert version(field(outcome, "Firmware Version")) == bytes.fromhex("00000200")
    assert story.dsp.device(ESME).firmware.running_version == EXAMPLE_NEW_FIRMWARE


@pytest.mark.spec("GBCS-03")
@pytest.mark.parametrize("cv", [6, 7])
def test_an_unsigned_pre_command_returned_with_cv6_or_cv7_is_refused_and_changes_nothing(
    story: Story, cv: int
) -> None:
    story.distribute(ESME)
    rid, payload = story.pre_command(ESME)
    _refused_changing_nothing(story, rid, payload, "not signed", cv=cv)
    _refused_changing_nothing(story, rid, payload[:-1], "not signed", cv=cv)
    # The signed one still goes through: the refusals consumed nothing.
    reply = story.signed_leg(rid, sign(payload, story.ds_key(SUPPLIER_A)), cv=cv)
    assert reply.answer.code == ("I0" if cv == 6 else "I99")


@pytest.mark.spec("GBCS-05")
def test_the_mmc_setting_gives_the_mmc_form_everywhere(tmp_path: Path) -> None:
    story = make_story(tmp_path, PayloadForm.MMC)
    story.distribute(ESME)
    story.read_firmware(ESME)
    rid, payload = story.pre_command(ESME)
    assert payload.startswith(b"DCCSIM-GBCS/11.3/")  # the core's opaque token
    assert story.signed_leg(rid, payload).answer.code == "I99"  # returned unchanged
    for document in story.documents():
        [text] = texts(document, "//sr:GBCSPayload")
        assert read_gbcs_payload(text).tag.endswith("GBCSResponse")


@pytest.mark.spec("GBCS-05")
def test_srvs_without_an_encoder_keep_the_mmc_form(story: Story) -> None:
    # 4.1.1 (and every SRV but the firmware ones) has no GBCS encoder yet: it stays MMC.
    reply = story.submit(
        request_xml(
            "4.1.1",
            "<sr:ReadInstantaneousImportRegisters/>",
            request_id=story.rid(ESME),
            cv=1,
            signed=False,
        )
    )
    if reply.answer.code != "I99":
        pytest.skip(f"4.1.1 not accepted here: {reply.answer.code}")
    [text] = texts(story.documents()[-1], "//sr:GBCSPayload")
    assert read_gbcs_payload(text).tag.endswith("GBCSResponse")


def test_mac_length_is_gbcs() -> None:
    assert MAC_LENGTH == 12
    assert ResponseCode(PRE_COMMAND_REFUSED).is_error
