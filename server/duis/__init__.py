"""DUIS XML: parse real DUIS request documents into core requests, and build DUIS responses and
alerts shaped for each user's interface version. Uses lxml; never imports grpc.

- `parse.parse_request(xml, schema=None) -> ParsedRequest` reads an `sr:Request` (5.1 to 5.4).
- `build.build_sync_answer(answer, version, at=None)` and
  `build.build_outbox_message(message, version, recipient=None)` write `sr:Response` documents.
- `schemas.DuisSchemas(paths)` is strict mode: the official XSDs a user supplies.
- `safe.load_document(xml)` is the one safe way in for untrusted XML.
- `signing.verify_request(xml, lookup)` checks a request's XML signature (BOXED-03);
  `signing.sign_response(xml, credential)` signs what the DSP sends (BOXED-04).
"""

from dccsim.server.duis.build import build_outbox_message, build_sync_answer, read_gbcs_payload
from dccsim.server.duis.parse import ParsedRequest, parse_request
from dccsim.server.duis.schemas import DuisSchema, DuisSchemas

__all__ = [
    "DuisSchema",
    "DuisSchemas",
    "ParsedRequest",
    "build_outbox_message",
    "build_sync_answer",
    "parse_request",
    "read_gbcs_payload",
]
