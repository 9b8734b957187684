"""CS06's pre-command (GBCS-03): what a CV 4 returns, and the check of the signed copy a User
sends back with CV 5, 6 or 7.

The pre-command is the command as the User will send it, from the User to the device, with a
null signature (one `00` byte, as DUIS and DCC Boxed from 1.4.1 write it). The User signs it with
its GBCS digital-signature key -- ECDSA P-256/SHA-256 over the bytes after `DF`, raw r ‖ s --
and returns it; dccsim checks that it is the command it transformed, byte for byte, and that the
signature verifies with the DS certificate of the RequestID's originator.

A pure function of the request: no keys, no clock, so a replayed state file makes the same bytes.
"""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric import ec

from dccsim.server.core.errors import InvalidField
from dccsim.server.core.requests import ActivateFirmware, ServiceRequest
from dccsim.server.gbcs import crypto, der, firmware
from dccsim.server.gbcs.frame import (
    Cra,
    FixedHeader,
    GroupingHeader,
    general_signing,
    parse_general_signing,
    signed_part,
    with_signature,
)
from dccsim.server.gbcs.payloads import eui_octets


class PreCommandRefused(Exception):
    """A signed pre-command that is not the command dccsim transformed, or not signed by the
    User that asked for it. Nothing has changed."""


def unsigned_pre_command(request: ServiceRequest) -> bytes | None:
    """The GBCS command `request` transforms into, without its signature field, or None for an
    SRV dccsim has no GBCS form for (its PreCommand keeps the core's token)."""
    content = _content(request)
    if content is None:
        return None
    rid = request.request_id
    header = GroupingHeader(
        Cra.COMMAND, rid.counter, eui_octets(rid.originator), eui_octets(rid.target), firmware.CS06
    )
    return general_signing(header, content)


class PreCommands:
    """`unsigned_pre_command` with each (User, device)'s grouping header made once (a bounded
    few): the same bytes (tests/gbcs/test_rtds.py), without a GroupingHeader per CV 4."""

    def __init__(self, limit: int = 100_000) -> None:
        self._headers: dict[tuple[str, str], FixedHeader] = {}
        self._limit = limit

    def unsigned(self, request: ServiceRequest) -> bytes | None:
        content = _content(request)
        if content is None:
            return None
        rid = request.request_id
        key = (rid.originator, rid.target)
        header = self._headers.get(key)
        if header is None:
            header = FixedHeader(
                Cra.COMMAND, eui_octets(rid.originator), eui_octets(rid.target), firmware.CS06
            )
            if len(self._headers) >= self._limit:
                self._headers.clear()  # rare: more pairs than held; remade on use
            self._headers[key] = header
        return b"".join((header.encode(rid.counter), der.length(len(content)), content))


def _content(request: ServiceRequest) -> bytes | None:
    """CS06's content for an 11.3 request (None for any other)."""
    body = request.body
    if request.srv != "11.3" or not isinstance(body, ActivateFirmware):
        return None
    return firmware.cs06_pre_command(
        body.firmware_hash,
        request.request_id.counter,
        request.execution_datetime,
        cancel=request.is_cancellation,
    )


def pre_command(request: ServiceRequest) -> bytes | None:
    """What CV 4 returns: the unsigned command with a null signature (or None, as above)."""
    unsigned = unsigned_pre_command(request)
    return None if unsigned is None else with_signature(unsigned, None)


def sign(payload: bytes, key: ec.EllipticCurvePrivateKey) -> bytes:
    """What a User does with a PreCommand: sign its grouping header with its DS key. Takes the
    payload with or without its null signature byte."""
    parsed = parse_general_signing(payload, "pre_command.payload")
    return with_signature(parsed.unsigned, crypto.sign(key, signed_part(parsed.unsigned)))


def check_signed(
    returned: bytes,
    request: ServiceRequest,
    user_key: ec.EllipticCurvePublicKey | None,
    expected: bytes | None = None,
) -> None:
    """Raise PreCommandRefused unless `returned` is `request`'s command signed by its originator
    (`user_key`: the originator's DS public key, None when dccsim has no certificate for it).
    `expected`: `unsigned_pre_command(request)`, when the caller has it already."""
    expected = expected or unsigned_pre_command(request)
    if expected is None:
        raise PreCommandRefused(f"SRV {request.srv} has no GBCS pre-command")
    size = len(expected)
    if (
        len(returned) == size + 1 + crypto.SIGNATURE_LENGTH
        and returned[size] == crypto.SIGNATURE_LENGTH
        and returned.startswith(expected)
    ):
        # The usual case, without parsing (~12 us): the expected command (a well-formed APDU)
        # then a 64-octet signature field is exactly what the parse below would accept as it.
        signature: bytes | None = returned[size + 1 :]
    else:
        try:
            parsed = parse_general_signing(returned, "SignedPreCommand.GBCSPayload")
        except InvalidField as error:
            raise PreCommandRefused(f"{error.field} {error.reason}") from None
        if parsed.unsigned != expected:
            raise PreCommandRefused("is not the command dccsim transformed for this RequestID")
        signature = parsed.signature
    if signature is None:
        raise PreCommandRefused("is not signed (its signature is null)")
    originator = request.request_id.originator
    if user_key is None:
        raise PreCommandRefused(f"dccsim holds no DS certificate for {originator}")
    if not crypto.verify(user_key, signed_part(expected), signature):
        raise PreCommandRefused(f"its signature does not verify with {originator}'s DS certificate")
