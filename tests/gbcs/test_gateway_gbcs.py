"""The firmware story with real GBCS over the DUIS gateway (GBCS-01…05), every payload checked
by DCC's own GBCS parser (`tools/gbcs-parser/decode.js`) with the keys `dccsim keys export`
wrote: every payload parses, every MAC is valid, every signature true."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.faults import FaultAction, FaultRule, FaultStage
from dccsim.server.duis.build import read_gbcs_payload
from dccsim.server.gbcs import firmware
from dccsim.server.gbcs.crypto import MAC_LENGTH
from dccsim.server.gbcs.frame import Cra, parse_general_signing, unwrap_ciphering
from dccsim.server.gbcs.payloads import PayloadForm
from dccsim.server.gbcs.pre_command import sign
from dccsim.server.runtime.duis_gateway import AcknowledgementLost
from dccsim.server.runtime.gbcs_hooks import PRE_COMMAND_REFUSED
from tests.conftest import (
    CHF,
    ESME,
    GPF,
    GSME,
    HCALCS,
    NEW_IMAGE_HASH,
    PPMID,
    SUPPLIER_A,
    SUPPLIER_B,
)
from tests.duis.documents import request_xml, texts
from tests.gbcs.conftest import decode
from tests.gbcs.story import SMETS1_ESME, Story, gbcs_payloads, make_story

WRONG_HASH = bytes(32)


@pytest.fixture
def story(tmp_path: Path) -> Story:
    return make_story(tmp_path)


def _apdu(payload: bytes):
    """(header, content, MAC'd?) of a payload, read with dccsim's own reader."""
    if payload.startswith(b"\xdd"):
        apdu, _ = unwrap_ciphering(payload)
        return parse_general_signing(apdu), True
    return parse_general_signing(payload), False


def _assert_decoded_by_dccs_parser(story: Story, payloads: list[bytes]) -> list[dict]:
    results = decode([story.keys], payloads)
    for payload, result in zip(payloads, results, strict=True):
        assert result["error"] is None, (payload.hex(), result)
        parsed, macced = _apdu(payload)
        if macced:
            assert result["mac"] == "valid", payload.hex()
        if parsed.signature is not None:
            assert result["signature"] is True, payload.hex()
    return results


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
        parsed, macced = _apdu(payload)
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

    _assert_decoded_by_dccs_parser(story, payloads)


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
    _assert_decoded_by_dccs_parser(story, payloads)


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


def _refused_changing_nothing(story: Story, rid: str, returned: bytes, why: str) -> None:
    before = (
        story.dsp.pending_pre_commands,
        story.dsp.device(ESME).firmware.running_version,
        len(story.dsp.pending(SUPPLIER_A)),
        dict(story.dsp.counters),
    )
    reply = story.signed_leg(rid, returned)
    assert reply.answer.code == PRE_COMMAND_REFUSED
    assert why in reply.answer.detail
    assert texts(reply.document, "//sr:ResponseCode") == [str(PRE_COMMAND_REFUSED)]
    after = (
        story.dsp.pending_pre_commands,
        story.dsp.device(ESME).firmware.running_version,
        len(story.dsp.pending(SUPPLIER_A)),
        dict(story.dsp.counters),
    )
    assert after == before


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
