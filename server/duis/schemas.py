"""Strict mode: validation against official DUIS XML schemas that the user supplies.

dccsim ships no schema (they are DCC's). A user points it at the official XSD files, e.g. the
`DUIS_Schema_V5.1.xsd` and `DUIS_Schema_V5.3a.xsd` that DCC publishes with SEC Appendix AD; each
imports its MMC schema and `xmldsig-core-schema.xsd` by relative path, so those must sit beside it.

Each supplied schema serves one *family* of interface versions, found from the schema itself:
a schema whose ChangeOfSupplier alert body has the optional ECoSErrorCode (the DUIS v5.2 change)
serves users on 5.2 and later; one without it serves 5.1 users.

- A request is validated against the schema of its own family; if none was supplied, against any
  supplied schema (the request shapes of the Service Requests dccsim serves did not change between
  5.1 and 5.3a).
- A document for a user is validated only against a schema of that user's family: answering a 5.1
  user is never judged by a 5.2+ schema or the reverse. `validate_response` says whether a schema
  of the family was there to judge it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from dccsim.server.core.errors import InvalidField
from dccsim.server.core.records import DuisVersion
from dccsim.server.duis.names import SR_NS, duis_version, schema_version_value, uses_v5_1_shapes
from dccsim.server.duis.safe import load_document

_XS = "http://www.w3.org/2001/XMLSchema"
_XS_NS = {"xs": _XS}
# An lxml XMLSchema keeps the last validation's error log on itself: one validation at a time,
# so that a server's threads never read each other's errors.
_VALIDATING = threading.Lock()


class DuisSchema:
    """One compiled official DUIS XSD."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            document = etree.parse(
                str(self.path), etree.XMLParser(no_network=True, resolve_entities=False)
            )
            self.schema = etree.XMLSchema(document)
        except (OSError, etree.XMLSyntaxError, etree.XMLSchemaParseError) as error:
            raise ValueError(f"{self.path}: cannot load an XML schema: {error}") from None
        root = document.getroot()
        if root.get("targetNamespace") != SR_NS or not root.xpath(
            "xs:element[@name='Request']", namespaces=_XS_NS
        ):
            raise ValueError(f"{self.path}: not a DUIS schema (no sr:Request in {SR_NS})")
        self.carries_ecos_error_code = bool(
            root.xpath(
                "xs:complexType[@name='ChangeOfSupplier']//xs:element[@name='ECoSErrorCode']",
                namespaces=_XS_NS,
            )
        )

    def serves(self, version: DuisVersion) -> bool:
        return self.carries_ecos_error_code != uses_v5_1_shapes(version)

    def validate(self, document: etree._Element | etree._ElementTree | bytes) -> None:
        """Raise InvalidField naming the first element that breaks the schema."""
        validate_against(self.schema, document, self.path.name)


class DuisSchemas:
    """The official schemas a user supplied for strict mode (`--duis-xsd PATH`)."""

    def __init__(self, paths: Iterable[str | Path] | str | Path) -> None:
        if isinstance(paths, str | Path):
            paths = [paths]
        self.schemas = tuple(DuisSchema(path) for path in paths)
        if not self.schemas:
            raise ValueError("strict mode needs at least one DUIS schema")

    def for_version(self, version: DuisVersion | str) -> DuisSchema | None:
        """The schema of that version's family, or None if none was supplied."""
        version = duis_version(version)
        return next((s for s in self.schemas if s.serves(version)), None)

    def validate_request(self, document: etree._Element | etree._ElementTree) -> None:
        root = document.getroot() if isinstance(document, etree._ElementTree) else document
        version = schema_version_value(root.get("schemaVersion"))
        schema = (version and self.for_version(version)) or self.schemas[0]
        schema.validate(document)

    def validate_response(
        self, document: etree._Element | etree._ElementTree | bytes, version: DuisVersion | str
    ) -> bool:
        """Validate a document for a user on `version`; False if no schema of its family was
        supplied (it was then not judged)."""
        schema = self.for_version(version)
        if schema is None:
            return False
        schema.validate(document)
        return True


StrictSchema = DuisSchemas | DuisSchema | etree.XMLSchema


def validate_request_against(schema: StrictSchema, document: etree._ElementTree) -> None:
    """Strict mode for an incoming request, whichever form the schema was given in."""
    if isinstance(schema, DuisSchemas):
        schema.validate_request(document)
    elif isinstance(schema, DuisSchema):
        schema.validate(document)
    else:
        validate_against(schema, document, "the DUIS schema")


def validate_against(
    schema: etree.XMLSchema,
    document: etree._Element | etree._ElementTree | bytes,
    name: str,
) -> None:
    """Raise InvalidField naming the first element of `document` that breaks `schema`."""
    if isinstance(document, bytes | bytearray):
        document = load_document(bytes(document))
    with _VALIDATING:
        valid = schema.validate(document)
        # lxml-stubs lacks _ErrorLog.last_error (lxml has had it since 2.0)
        error = None if valid else schema.error_log.last_error  # type: ignore[attr-defined]
    if error is not None:
        raise InvalidField(
            _field_of(error.path), f"not valid against {name}: line {error.line}: {error.message}"
        )


def _field_of(xpath: str | None) -> str:
    """`/sr:Request/sr:Body/sr:UpdateFirmware/sr:FirmwareImage` -> `Body/UpdateFirmware/...`."""
    if not xpath:
        return "document"
    steps = [step.split(":", 1)[-1] for step in xpath.strip("/").split("/")]
    return "/".join(steps[1:]) or steps[0]
