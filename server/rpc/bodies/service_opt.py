"""gRPC messages of service opt-out and opt-in: 8.5 ServiceOptOut (its ServiceOptOutOutcome
response) and 8.6 ServiceOptIn (its OptInCredentials answer)."""

from __future__ import annotations

import datetime as dt
import re

from dccsim.server.core.errors import InvalidField
from dccsim.server.core.services.service_opt import (
    OptInCredentials,
    OptOutOutcome,
    ServiceOptIn,
    ServiceOptOut,
)
from dccsim.server.rpc.bodies.family import MessageFamily
from dccsim.server.rpc.wire import DEVICE_TYPES
from dccsim.v1 import service_opt_pb2, supplier_pb2

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _opt_out(message: service_opt_pb2.ServiceOptOut) -> ServiceOptOut:
    signing = message.digital_signing_certificate
    return ServiceOptOut(
        acb_floor_sequence_number=message.acb_floor_sequence_number,
        key_agreement_certificate=message.key_agreement_certificate,
        certification_path=tuple(message.certification_path),
        apply_time_based_cpv_checks=message.apply_time_based_cpv_checks,
        digital_signing_certificate=signing
        if message.HasField("digital_signing_certificate")
        else None,
    )


def _opt_in(message: service_opt_pb2.ServiceOptIn) -> ServiceOptIn:
    device_type = DEVICE_TYPES.to_core(message.device_type, "body.device_type")
    assert device_type is not None
    return ServiceOptIn(
        device_id=message.device_id,
        device_type=device_type,
        import_mpxn=message.import_mpxn,
        opt_in_date=_date(message.opt_in_date, "body.opt_in_date"),
        secondary_import_mpan=message.secondary_import_mpan
        if message.HasField("secondary_import_mpan")
        else None,
        export_mpan=message.export_mpan if message.HasField("export_mpan") else None,
    )


def _date(text: str, field: str) -> dt.date:
    if _DATE.fullmatch(text) is None:
        raise InvalidField(field, f"{text!r} is not a date (YYYY-MM-DD)")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise InvalidField(field, f"{text!r} is not a valid date: {error}") from None


def _opt_in_credentials(response: supplier_pb2.SubmitResponse, answer: OptInCredentials) -> None:
    out = response.opt_in_credentials
    out.device_id = answer.device_id
    out.key_agreement_certificate = answer.key_agreement_certificate
    if answer.digital_signing_certificate is not None:
        out.digital_signing_certificate = answer.digital_signing_certificate


def _opt_out_outcome(response: supplier_pb2.ServiceResponse, outcome: OptOutOutcome) -> None:
    out = response.service_opt_out_outcome
    out.SetInParent()  # a cancellation's outcome is empty, but still says what it is
    if outcome.floor_sequence_number is not None:
        out.floor_sequence_number = outcome.floor_sequence_number
    if outcome.authorising_counter is not None:
        out.authorising_counter = outcome.authorising_counter
    for replacement in outcome.replacements:
        out.replacements.add(
            certificate_type=replacement.purpose.value,
            existing_hash=replacement.existing_hash,
            new_hash=replacement.new_hash,
        )


FAMILY = MessageFamily(
    readers={
        "service_opt_out": (ServiceOptOut, _opt_out),
        "service_opt_in": (ServiceOptIn, _opt_in),
    },
    sync_fillers={OptInCredentials: _opt_in_credentials},
    response_fillers={OptOutOutcome: _opt_out_outcome},
)
