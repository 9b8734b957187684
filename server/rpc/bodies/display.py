"""gRPC messages of the display SRVs, 3.1-3.5 (display.proto); their answers carry no data."""

from __future__ import annotations

from dccsim.server.core.errors import InvalidField
from dccsim.server.core.services.display import (
    ClearEventLog,
    DisablePrivacyPin,
    DisplayMessage,
    EventLogType,
    RestrictAccessForChangeOfTenancy,
    UpdateSupplierName,
)
from dccsim.server.rpc.bodies.family import MessageFamily
from dccsim.server.rpc.wire import from_timestamp
from dccsim.v1 import display_pb2


def _restrict(
    message: display_pb2.RestrictAccessForChangeOfTenancy,
) -> RestrictAccessForChangeOfTenancy:
    if not message.HasField("restriction_datetime"):
        raise InvalidField("body.restriction_datetime", "is required")
    when = from_timestamp(message.restriction_datetime, "body.restriction_datetime")
    return RestrictAccessForChangeOfTenancy(when)


def _clear(message: display_pb2.ClearEventLog) -> ClearEventLog:
    if not message.HasField("log"):
        return ClearEventLog()
    try:
        return ClearEventLog(EventLogType(message.log))
    except ValueError:
        raise InvalidField("body.log", f"{message.log[:40]!r} is not ESME or ALCS") from None


FAMILY = MessageFamily(
    readers={
        "display_message": (DisplayMessage, lambda m: DisplayMessage(m.message)),
        "restrict_access_for_change_of_tenancy": (RestrictAccessForChangeOfTenancy, _restrict),
        "clear_event_log": (ClearEventLog, _clear),
        "update_supplier_name": (
            UpdateSupplierName,
            lambda m: UpdateSupplierName(m.name, m.telephone),
        ),
        "disable_privacy_pin": (DisablePrivacyPin, lambda _: DisablePrivacyPin()),
    },
)
