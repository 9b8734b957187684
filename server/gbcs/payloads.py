"""A device's response or alert as the GBCS payload DUIS carries in `GBCSPayload` (GBCS-01/02).

- 11.2 (ECS52, GCS38, CS08): the device answers the ACB, which sent the command on the User's
  behalf (DCC Boxed's form since 2022-08: the User as supplementary remote party, with its
  RequestID counter); MAC-wrapped with the device's and the ACB's KA keys, not signed.
- 11.3 (CS06): the User sent the command itself (it signed it), so the device answers the User
  directly, with its date-time, signed with its DS key and not MAC-wrapped (as the RTDS).
- Alerts 0x00CA, 0x00CE, 0x00CF, 0x012C: from the device to the User whose request caused them,
  signed with the device's DS key.

Decisions (GBCS-05 and where GBCS leaves dccsim a choice):
- The ACB's originator counter for a command it sends on a User's behalf is that User's DUIS
  RequestID counter: deterministic, and increasing for each User as REQ-02 demands.
- A device's own originator counter for an alert is the alert's virtual instant in milliseconds
  since 1970 (DCC Boxed's devices count in milliseconds too).
- Messages without an encoder here (`encode` returns None) keep the MMC form.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric import ec

from dccsim.devices.codes import AlertCode, MessageCode
from dccsim.devices.firmware import ActivateImageResponseCode
from dccsim.devices.kinds import DeviceType
from dccsim.server.core.messages import (
    DeviceAlertMessage,
    FirmwareActivation,
    FirmwareVersionRead,
    OutboundMessage,
    ServiceResponse,
)
from dccsim.server.gbcs import cosem, crypto, der, firmware
from dccsim.server.gbcs.frame import (
    Cra,
    FixedHeader,
    GroupingHeader,
    general_ciphering,
    general_signing,
    signed_part,
    with_signature,
)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND = timedelta(milliseconds=1)


class PayloadForm(StrEnum):
    """What `GBCSPayload` carries (GBCS-05): real GBCS where dccsim has an encoder, or the MMC
    document for every SRV (`--gbcs-payload mmc`, for adapters without Parse & Correlate)."""

    GBCS = "gbcs"
    MMC = "mmc"


class GbcsKeys(Protocol):
    """The keys the encoder needs (`dccsim.server.gbcs.keys.KeyStoreKeys` over a KeyStore)."""

    def device_ds(self, eui: str) -> ec.EllipticCurvePrivateKey: ...

    def device_ka(self, eui: str) -> ec.EllipticCurvePrivateKey: ...

    def organisation_ka(self, eui: str) -> ec.EllipticCurvePublicKey: ...


@lru_cache(maxsize=65_536)
def eui_octets(eui: str) -> bytes:
    """An EUI-64 as its 8 octets (a system title); cached, as the same few recur."""
    return bytes.fromhex(eui.replace("-", ""))


def counter_at(when: datetime) -> int:
    """A device's alert counter: milliseconds since 1970 (see the module doc)."""
    return (when - _EPOCH) // _MILLISECOND


class GbcsPayloads:
    """Encodes the messages it has a GBCS form for; thread-safe (its cache is)."""

    def __init__(
        self,
        keys: GbcsKeys,
        device_type: Callable[[str], DeviceType | None],
        acb_id: str,
        limit: int = 100_000,
    ) -> None:
        self._keys = keys
        self._device_type = device_type
        self._acb = acb_id
        self._acb_title = eui_octets(acb_id)
        self._contexts = crypto.MacContexts()
        # Per (device, User, message code): the fixed header and, MAC'd, the pair's MacContext.
        # Pure functions of their keys (a device's type picks the code, so it is in the key).
        self._frames: dict[tuple[str, str, int], tuple[FixedHeader, crypto.MacContext | None]]
        self._frames = {}
        # Per (message code, response code, version): the content, where it depends on no more.
        self._contents: dict[tuple[int, ActivateImageResponseCode | None, str | None], bytes] = {}
        self._limit = limit

    def encode(self, message: OutboundMessage, recipient: str | None = None) -> bytes | None:
        """The GBCS payload of a message, or None where dccsim has no GBCS form for it."""
        match message:
            case ServiceResponse(body=FirmwareVersionRead() as body):
                return self._firmware_read(message, body)
            case ServiceResponse(body=FirmwareActivation() as body):
                return self._activation_response(message, body)
            case DeviceAlertMessage(request_id=rid) if rid is not None:
                return self._alert(message, rid.originator)
        return None

    # -- 11.2 -------------------------------------------------------------------------------

    def _firmware_read(self, response: ServiceResponse, body: FirmwareVersionRead) -> bytes | None:
        device_id = response.device_id
        kind = self._device_type(device_id)
        rid = response.request_id
        version = body.firmware_version
        if kind in (DeviceType.ESME, DeviceType.CHF, DeviceType.GPF):
            code = firmware.ECS52
            result = self._content(code, None, version, _ecs52_result)
            content = cosem.get_response(rid.counter, result)
        elif kind is DeviceType.GSME:
            code = firmware.GCS38
            content = self._content(code, None, version, _gcs38)
        elif kind in (DeviceType.PPMID, DeviceType.HCALCS):
            code = firmware.CS08
            content = self._content(code, None, version, _cs08)
        else:
            return None
        # The ACB's form: the device answers the ACB, the User as supplementary remote party
        # with its counter (FixedHeader's party), MAC-wrapped with the pair's keys.
        key = (device_id, rid.originator, code)
        held = self._frames.get(key)
        if held is None:
            title = eui_octets(device_id)
            header = FixedHeader(
                Cra.RESPONSE, title, self._acb_title, code, party=eui_octets(rid.originator)
            )
            held = self._hold(key, header, self._mac_context(device_id, title))
        header, context = held
        assert context is not None
        counter = rid.counter
        apdu = b"".join(
            (header.encode(counter), der.length(len(content)), content, b"\x00")  # null sig.
        )
        return general_ciphering(apdu, context.tag(Cra.RESPONSE, counter, self._acb_title, apdu))

    def _content(
        self,
        message_code: int,
        code: ActivateImageResponseCode | None,
        version: str | None,
        make: Callable[[ActivateImageResponseCode | None, str | None], bytes],
    ) -> bytes:
        """A content that is a pure function of (message code, response code, version): made
        once (`make(code, version)`), as the same few versions recur."""
        key = (message_code, code, version)
        content = self._contents.get(key)
        if content is None:
            content = make(code, version)
            if len(self._contents) >= self._limit:
                self._contents.clear()
            self._contents[key] = content
        return content

    def _hold(
        self,
        key: tuple[str, str, int],
        header: FixedHeader,
        context: crypto.MacContext | None,
    ) -> tuple[FixedHeader, crypto.MacContext | None]:
        if len(self._frames) >= self._limit:
            self._frames.clear()  # rare: more (device, User) pairs than held; remade on use
        held = self._frames[key] = (header, context)
        return held

    def _mac_context(self, device_id: str, originator: bytes) -> crypto.MacContext:
        return self._contexts.get(
            (device_id, self._acb),
            lambda: crypto.MacContext(
                crypto.shared_secret(
                    self._keys.device_ka(device_id), self._keys.organisation_ka(self._acb)
                ),
                originator,
            ),
        )

    def mac_wrapped(self, device_id: str, header: GroupingHeader, content: bytes) -> bytes:
        """A device's unsigned message to the ACB, MAC-wrapped (General-Ciphering)."""
        apdu = with_signature(general_signing(header, content), None)
        context = self._mac_context(device_id, header.originator)
        tag = context.tag(header.cra, header.counter, header.recipient, apdu)
        return general_ciphering(apdu, tag)

    # -- 11.3 -------------------------------------------------------------------------------

    def _activation_response(self, response: ServiceResponse, body: FirmwareActivation) -> bytes:
        rid = response.request_id
        device_id = response.device_id
        version = body.firmware_version
        if version is None and body.code is None:
            content = firmware.CS06_ACCEPTED  # future-dated (or cancelled): accepted
        else:
            content = self._content(firmware.CS06, body.code, version, _cs06)
        # The device answers the User directly (it signed the command), with its date-time.
        key = (device_id, rid.originator, firmware.CS06)
        held = self._frames.get(key)
        if held is None:
            header = FixedHeader(
                Cra.RESPONSE, eui_octets(device_id), eui_octets(rid.originator), firmware.CS06
            )
            held = self._hold(key, header, None)
        unsigned = b"".join(
            (
                held[0].encode(rid.counter, cosem.date_time(response.issued_at)),
                der.length(len(content)),
                content,
            )
        )
        return self._signed(device_id, unsigned)

    def device_signed(self, device_id: str, header: GroupingHeader, content: bytes) -> bytes:
        """A device's message signed with its DS key (critical responses, alerts)."""
        return self._signed(device_id, general_signing(header, content))

    def _signed(self, device_id: str, unsigned: bytes) -> bytes:
        return with_signature(
            unsigned, crypto.sign(self._keys.device_ds(device_id), signed_part(unsigned))
        )

    # -- alerts -----------------------------------------------------------------------------

    def _alert(self, alert: DeviceAlertMessage, user: str) -> bytes | None:
        code = alert.message_code
        counter = counter_at(alert.issued_at)
        if code == MessageCode.FUTURE_DATED_FIRMWARE_ACTIVATION:
            assert alert.request_id is not None
            actioned = alert.alert_code == AlertCode.FUTURE_DATED_COMMAND_ACTIONED
            outcome = (
                firmware.ACTIVATION_CODES[alert.activation_code]
                if alert.activation_code is not None
                else firmware.ActivationCode.SUCCESS
                if actioned
                else firmware.ActivationCode.ACTIVATION_FAILURE
            )
            content = firmware.activation_alert(
                int(alert.alert_code),
                alert.issued_at,
                alert.request_id.counter,
                outcome,
                alert.firmware_version,
            )
        elif alert.image_hash is None:
            return None
        elif code == MessageCode.FIRMWARE_DISTRIBUTION_RECEIPT_DLMS:
            content = firmware.fdra_dlms(
                counter, int(alert.alert_code), alert.issued_at, alert.image_hash
            )
        elif code in (
            MessageCode.FIRMWARE_DISTRIBUTION_RECEIPT_ZIGBEE,
            MessageCode.FIRMWARE_DISTRIBUTION_RECEIPT_HCALCS,
        ):
            content = firmware.fdra_zigbee(int(alert.alert_code), alert.issued_at, alert.image_hash)
        else:
            return None
        header = GroupingHeader(
            Cra.ALERT, counter, eui_octets(alert.device_id), eui_octets(user), int(code)
        )
        return self.device_signed(alert.device_id, header, content)


def _ecs52_result(_: object, version: str | None) -> bytes:
    """ECS52's get result: the version as a DLMS octet-string (the rest holds the counter)."""
    return cosem.dlms_octet_string(firmware.version_octets(version))


def _gcs38(_: object, version: str | None) -> bytes:
    return firmware.gcs38_response(version)


def _cs08(_: object, version: str | None) -> bytes:
    return firmware.cs08_response(version)


def _cs06(code: ActivateImageResponseCode | None, version: str | None) -> bytes:
    """CS06's response content for a device's activation result (no code: a failure)."""
    outcome = (
        firmware.ActivationCode.ACTIVATION_FAILURE
        if code is None
        else firmware.ACTIVATION_CODES[code]
    )
    return firmware.cs06_response(outcome, version)
