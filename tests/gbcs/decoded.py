"""DCC's GBCS parser (`tools/gbcs-parser/decode.js`) as the GBCS tests' oracle: every payload
parses, its MAC is valid where dccsim MAC'd it and its signature true where dccsim signed it
(GBCS-04), and the fields it decoded, found by the names decode.js gives them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dccsim.server.gbcs.frame import ParsedApdu, parse_general_signing, unwrap_ciphering
from tests.gbcs.conftest import decode


def apdu(payload: bytes) -> tuple[ParsedApdu, bool]:
    """(the General-Signing APDU, MAC'd?) of a payload, read with dccsim's own reader."""
    if payload.startswith(b"\xdd"):
        inner, _ = unwrap_ciphering(payload)
        return parse_general_signing(inner), True
    return parse_general_signing(payload), False


def assert_decoded(keys: Path, payloads: list[bytes]) -> list[dict[str, Any]]:
    """decode.js's result for each payload, given the keys `dccsim keys export` wrote to `keys`:
    each parsed, with a `valid` MAC if MAC'd (else none) and a `true` signature if signed (else
    none)."""
    results = decode([keys], payloads)
    for payload, result in zip(payloads, results, strict=True):
        assert result["error"] is None, (payload.hex(), result)
        parsed, macced = apdu(payload)
        assert result["mac"] == ("valid" if macced else "absent"), (payload.hex(), result)
        signed = parsed.signature is not None
        assert result["signature"] is (True if signed else None), (payload.hex(), result)
    return results


def fields(node: object, name: str) -> list[dict[str, Any]]:
    """Every field decode.js named `name`, anywhere under `node` (a result or part of one)."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == name and isinstance(value, dict):
                found.append(value)
            found += fields(value, name)
    return found


def field(node: object, name: str) -> dict[str, Any]:
    """The one field named `name` under `node`."""
    [found] = fields(node, name)
    return found


def octets(node: dict[str, Any]) -> bytes:
    """A decoded field's bytes (decode.js gives them as spaced hex)."""
    return bytes.fromhex(node["hex"])


def message_code(result: dict[str, Any]) -> int:
    return int.from_bytes(octets(field(result["message"], "Message Code")), "big")


def counter(result: dict[str, Any]) -> int:
    """The grouping header's originator counter (a command's: its RequestID counter)."""
    grouping = result["message"]["Grouping Header"]
    return int.from_bytes(octets(field(grouping, "Originator Counter")), "big")


def version(node: dict[str, Any]) -> bytes:
    """A decoded firmware version's 4 octets (the field's last 4, after its type and length)."""
    return octets(node)[-4:]
