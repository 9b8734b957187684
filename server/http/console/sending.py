"""Sending a Service Request from the console as a chosen User: a DUIS template, or a typed SR.

A template (the console's own examples, DCC's RTDS files, or XML pasted in) is sent as the chosen
User: its RequestID's originator becomes that User and its counter one the DSP will accept now
(REQ-02: templates repeat their counters). When the server verifies request signatures
(BOXED-03) the console signs it with the User's XmlSign key, as DCC's signing tool would; it then
goes through the same DUIS gateway as `POST /api/v1/service*`.

A critical SR's CV 4 answer carries its pre-command; the console then offers the second leg,
as the User's system would send it (REQ-05, GBCS-03): the pre-command signed with the User's GBCS
DS key (dccsim's opaque token, for an SRV without a GBCS form, goes back as it came), returned
with CV 5 in a SignedPreCommand request, signed as XML like any other, through the same gateway.

A typed SR is one of the SRVs whose request carries no body fields (reads such as 11.2 and
4.1.1), sent with Command Variant 1 as the gRPC SupplierService's Submit sends it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric import ec

from dccsim.server.core import commands
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.eui import parse_eui64
from dccsim.server.core.matrix import SERVICE_MATRIX, CommandVariant
from dccsim.server.core.messages import SyncAnswer
from dccsim.server.core.requests import RequestId, ServiceRequest
from dccsim.server.core.services import REGISTRY
from dccsim.server.duis.signed_leg import signed_leg_document
from dccsim.server.duis.signing import SigningCredential, sign_document
from dccsim.server.gbcs.frame import GENERAL_SIGNING
from dccsim.server.gbcs.pre_command import sign as sign_pre_command
from dccsim.server.http.console import reads
from dccsim.server.keys.model import Credential, KeyUsage
from dccsim.server.runtime.duis_gateway import DuisGateway, DuisReply
from dccsim.server.runtime.host import DspHost

# The largest template the form takes: a firmware image in base64 fits (BOXED-01's limit).
MAX_TEMPLATE_BYTES = 16 * 1024 * 1024
_REQUEST_ID = re.compile(
    rb"(<(?:[A-Za-z_][\w.-]*:)?RequestID>)\s*([^<]*?)\s*(</(?:[A-Za-z_][\w.-]*:)?RequestID>)"
)


@dataclass(frozen=True, slots=True)
class Template:
    name: str  # what the form shows and sends back
    document: bytes


class UserKeys(Protocol):
    """What signing as a User needs of a keystore (`dccsim.server.keys.keystore.KeyStore`)."""

    def xml_signing(self, eui: str) -> SigningCredential | None: ...

    def organisation(self, eui: str, usage: KeyUsage) -> Credential | None: ...


class RequestSigner:
    """Signs as a User, as the User's own tools would: a request document with its XmlSign key
    (DS where it has none, as DCC's signing tool does), a GBCS pre-command with its DS key."""

    def __init__(self, keys: UserKeys) -> None:
        self._keys = keys

    def __call__(self, document: bytes, user_id: str) -> bytes:
        credential = self._keys.xml_signing(user_id)
        if credential is None:
            raise InvalidField("user", f"the keystore holds no XML signing key for {user_id}")
        return sign_document(document, credential)

    def pre_command(self, payload: bytes, user_id: str) -> bytes:
        if not payload.startswith(GENERAL_SIGNING):
            return payload  # dccsim's opaque token (an SRV without a GBCS form): as it came
        credential = self._keys.organisation(user_id, KeyUsage.DIGITAL_SIGNATURE)
        key = None if credential is None else credential.private_key
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise InvalidField("user", f"the keystore holds no GBCS DS private key for {user_id}")
        return sign_pre_command(payload, key)


def request_signer(keys: UserKeys) -> RequestSigner:
    return RequestSigner(keys)


# -- templates ---------------------------------------------------------------------------------


@cache
def examples() -> tuple[Template, ...]:
    """The console's own example requests (templates/duis/*.xml), read once."""
    folder = resources.files("dccsim.server.http.console") / "templates" / "duis"
    found = sorted(
        (entry for entry in folder.iterdir() if entry.name.endswith(".xml")),
        key=lambda entry: entry.name,
    )
    return tuple(Template(f"example/{entry.name}", entry.read_bytes()) for entry in found)


def template_names(folder: Path | None) -> list[str]:
    """The examples, then the XML files in `folder` (not its subfolders)."""
    names = [t.name for t in examples()]
    if folder is not None and folder.is_dir():
        names += sorted(
            f"dir/{path.name}"
            for path in folder.iterdir()
            if path.suffix.lower() == ".xml" and path.is_file()
        )
    return names


def load_template(name: str, folder: Path | None) -> bytes:
    """A template by the name `template_names` gave it; a name naming anything else is
    refused (no path from a form reaches the file system)."""
    for template in examples():
        if template.name == name:
            return template.document
    if folder is not None and name.startswith("dir/"):
        wanted = name[len("dir/") :]
        for path in folder.iterdir():
            if path.name == wanted and path.suffix.lower() == ".xml" and path.is_file():
                return path.read_bytes()
    raise InvalidField("template", f"no template {name!r}")


def as_user(document: bytes, user_id: str, counter_for: Callable[[str, str], int]) -> bytes:
    """The document with its RequestID's originator set to `user_id` and a fresh counter."""
    found = _REQUEST_ID.search(document)
    if found is None:
        raise InvalidField("document", "no RequestID in the template")
    parts = found.group(2).decode(errors="replace").split(":")
    if len(parts) != 3:
        raise InvalidField("RequestID", f"{found.group(2)!r} is not originator:target:counter")
    user = parse_eui64(user_id, "user")
    target = parse_eui64(parts[1].strip(), "RequestID target")
    request_id = f"{user}:{target}:{counter_for(user, target)}".encode()
    return document[: found.start(2)] + request_id + document[found.end(2) :]


def send_template(
    host: DspHost,
    gateway: DuisGateway,
    signer: RequestSigner | None,
    document: bytes,
    user_id: str,
) -> tuple[bytes, DuisReply]:
    """Send `document` as `user_id`; returns what was sent and the gateway's reply. Raises what
    the gateway raises (InvalidField for a document that is not a DUIS request, ...)."""
    if len(document) > MAX_TEMPLATE_BYTES:
        raise InvalidField("document", f"larger than {MAX_TEMPLATE_BYTES:,} bytes")
    sent = as_user(document, user_id, lambda u, t: reads.next_counter(host, u, t))
    return _submit_as(gateway, signer, sent, parse_eui64(user_id, "user"))


def send_signed_leg(
    gateway: DuisGateway,
    signer: RequestSigner | None,
    answer: bytes,
    user_id: str,
) -> tuple[bytes, DuisReply]:
    """Return a CV 4 answer's (`answer`, the document the gateway gave) PreCommand signed as
    `user_id`, with CV 5; what was sent and the gateway's reply."""
    user = parse_eui64(user_id, "user")

    def signed(payload: bytes) -> bytes:
        if signer is not None:
            return signer.pre_command(payload, user)
        if payload.startswith(GENERAL_SIGNING):
            raise InvalidField(
                "signature",
                "the console was given no keystore to sign the GBCS pre-command with: sign it "
                "with the User's DS key and send it with CV 5 yourself (`dccsim send --sign`)",
            )
        return payload  # dccsim's opaque token goes back as it came

    return _submit_as(gateway, signer, signed_leg_document(answer, signed), user)


def _submit_as(
    gateway: DuisGateway, signer: RequestSigner | None, document: bytes, user: str
) -> tuple[bytes, DuisReply]:
    """Sign `document` as `user` where the gateway verifies signatures, and submit it."""
    if gateway.verifies_signatures:
        if signer is None:
            raise InvalidField(
                "signature",
                "the server verifies request signatures and the console was given no keystore "
                "to sign with: sign the request with DCC's tool and POST it to /api/v1/service*",
            )
        document = signer(document, user)
    return document, gateway.submit(document, None)


# -- typed SRs ---------------------------------------------------------------------------------


@cache
def typed_srvs() -> tuple[tuple[str, str], ...]:
    """(SRV, name) of the SRVs a typed form can send: non-critical, CV 1, no body fields."""
    found = []
    for srv, spec in REGISTRY.items():
        definition = SERVICE_MATRIX[srv]
        if definition.critical or CommandVariant.NON_CRITICAL_REMOTE not in (
            definition.command_variants
        ):
            continue
        if dataclasses.is_dataclass(spec.body) and not dataclasses.fields(spec.body):
            found.append((srv, definition.name))
    return tuple(sorted(found, key=lambda item: [int(p) for p in item[0].split(".")]))


def send_typed(host: DspHost, user_id: str, device_id: str, srv: str) -> SyncAnswer:
    """Send a body-less SRV to a device as `user_id` (CV 1); the core's answer. Raises the
    core's InvalidField/NotFound for a request it rejects."""
    if srv not in dict(typed_srvs()):
        raise InvalidField("srv", f"{srv!r} cannot be sent from the typed form")
    user = parse_eui64(user_id, "user")
    device = parse_eui64(device_id, "device")
    request = ServiceRequest(
        RequestId(user, device, reads.next_counter(host, user, device)),
        srv,
        CommandVariant.NON_CRITICAL_REMOTE,
        REGISTRY[srv].body(),
    )
    answer: SyncAnswer = host.run_one(commands.Submit(request))  # run_one: Any, per command
    return answer
