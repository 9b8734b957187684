"""The second leg of a critical Service Request as a User's system writes it (REQ-05, GBCS-03):
from a CV 4 answer, the CV 5 (6, 7) request returning its PreCommand signed. Used by the
client library (`dccsim.clients.pre_command_signing`) and by the web console, which sends as a
User; the request comes out unsigned as XML (sign it as the User, keeping its counter)."""

from __future__ import annotations

import base64
from collections.abc import Callable

from lxml import etree

from dccsim.server.duis.names import SR_NS as SR
from dccsim.server.duis.safe import load_document

# The signed GBCS pre-command from the unsigned one: what the User does with its DS key.
PayloadSigner = Callable[[bytes], bytes]


class NotACommandAnswer(ValueError):
    """The document is not a CV 4 answer carrying a PreCommand."""


def signed_leg_document(answer: bytes, sign: PayloadSigner, cv: int = 5) -> bytes:
    """The CV `cv` request that returns `answer`'s PreCommand as `sign` makes it: same RequestID,
    ServiceReference and Variant."""
    root = load_document(answer).getroot()  # InvalidField for what is not XML, as any DUIS input
    ns = {"sr": SR}

    def one(path: str) -> str:
        found = root.xpath(path, namespaces=ns)
        if not isinstance(found, list) or len(found) != 1:  # a text() path gives a list
            raise NotACommandAnswer(f"the CV 4 answer has no single {path.rsplit('/', 1)[-1]}")
        return str(found[0]).strip()

    try:
        payload = base64.b64decode(one("//sr:PreCommand/sr:GBCSPayload/text()"), validate=True)
    except ValueError as error:  # binascii.Error is one
        raise NotACommandAnswer(f"the PreCommand's GBCSPayload: {error}") from None
    signed = base64.b64encode(sign(payload)).decode()
    request = etree.Element(f"{{{SR}}}Request", nsmap={"sr": SR})
    request.set("schemaVersion", root.get("schemaVersion", "5.1"))
    header = etree.SubElement(request, f"{{{SR}}}Header")
    for name, value in (
        ("RequestID", one("//sr:Header/sr:RequestID/text()")),
        ("CommandVariant", str(cv)),
        ("ServiceReference", one("//sr:ResponseMessage/sr:ServiceReference/text()")),
        ("ServiceReferenceVariant", one("//sr:ResponseMessage/sr:ServiceReferenceVariant/text()")),
    ):
        etree.SubElement(header, f"{{{SR}}}{name}").text = value
    body = etree.SubElement(etree.SubElement(request, f"{{{SR}}}Body"), f"{{{SR}}}SignedPreCommand")
    etree.SubElement(body, f"{{{SR}}}GBCSPayload").text = signed
    return etree.tostring(request, xml_declaration=True, encoding="UTF-8")
