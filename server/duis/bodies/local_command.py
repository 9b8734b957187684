"""DUIS body of 8.13 ReturnLocalCommandResponse (answered I99: no data to write)."""

from __future__ import annotations

from lxml import etree

from dccsim.server.core.requests import RequestId
from dccsim.server.core.services.local_command import ReturnLocalCommandResponse
from dccsim.server.duis.bodies.family import BodyFamily
from dccsim.server.duis.reading import BodyReading, base64_value, sequence, text_value


def _return_local_command_response(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(element, path, [("OriginalRequestID", 0, 1), ("DeviceGBCSResponse", 1, 1)])
    original_path = f"{path}/OriginalRequestID"
    original = [
        RequestId.parse(text_value(item, original_path), original_path)
        for item in parts["OriginalRequestID"]
    ]
    response_path = f"{path}/DeviceGBCSResponse"
    body = ReturnLocalCommandResponse(
        device_response=base64_value(parts["DeviceGBCSResponse"][0], response_path),
        original_request_id=original[0] if original else None,
    )
    fields = {
        "body.original_request_id": original_path,
        "body.device_response": response_path,
    }
    return body, None, fields


FAMILY: BodyFamily = BodyFamily(
    readers={"8.13": ("ReturnLocalCommandResponse", _return_local_command_response)},
)
