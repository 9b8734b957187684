"""Service opt-out and opt-in: 8.5 Service Opt Out (a device SR, CS02b "ACB by ACB") takes an
ESME out of DCC service; 8.6 Service Opt In (answered by the DSP) brings it back (SRV-04).

8.5 replaces the DCC's Access Control Broker credentials on the ESME with another ACB's: from
then on the DCC's commands no longer verify on the device. 8.6 answers with the DCC's own ACB
credentials (`DSPOptIn`), which the supplier puts back on the device by its own means.

Decisions (DUIS's rules for these are not in the sources here; docs/decisions.md):
- 8.5 goes to ESMEs only (E11 otherwise), from an Import Supplier with CV 1; it is DSP
  future-dated: the DSP holds it until its ExecutionDateTime (mandatory in DUIS; a past one runs
  at once; the core runs one built without it at once too) and 3000-12-31 cancels the held one.
- When the DSP hears the device's success it records the opt-out in the SMI: the ESME becomes
  `Withdrawn` (the DUIS status of a device out of DCC service, which 8.2 shows: the DUIS
  inventory has no opt-out element), remembering the status it held (`status_before_opt_out`).
- An opted-out ESME is Withdrawn, so AUTH-06 refuses every non-critical device SR to it with E5
  (a second 8.5 included); it still takes what AUTH-06 does not check: 8.2 Read Inventory, the
  other non-device SRs (8.6 Service Opt In, 8.4) and, as AUTH-06 stands, critical SRs.
- 8.6: the device must be in the SMI (E080601), its DeviceType the SMI's and an ESME (E080604),
  its ImportMPxN the SMI's MPxN (E080606), the requester the Import Supplier registered for that
  MPAN now (E080607), and it must be opted out (E080602). Success: I0 with DSPOptIn carrying the
  DCC's ACB key agreement and digital signing certificates; the ESME returns to the status it
  held before 8.5, and (dccsim having no other route to the device) the simulated ESME trusts
  the DCC's ACB again. OptInDate is checked as a date but not held for: the supplier needs the
  credentials before it can re-credential the device. SecondaryImportMPAN and ExportMPAN are
  checked for form only (dccsim keeps one MPxN per device). A refusal changes nothing.
- dccsim has no SMKI PKI yet: the DCC ACB's certificates are the stand-ins every device is
  seeded with as its ACB trust anchor (`devices.credentials.stand_in_certificate`), so 8.5's
  ExistingCertificateHash and 6.24.1 report the same hashes; the replacing ACB's certificates
  are hashed as given (the device keeps them in `devices.service_opt.AcbCredentials`, which
  6.24.1 reports while the ESME is opted out).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from functools import partial

from dccsim.devices.credentials import CertificateUsage, stand_in_certificate
from dccsim.devices.device import SimulatedDevice
from dccsim.devices.kinds import DeviceType
from dccsim.devices.service_opt import AcbCredentials
from dccsim.server.core.codes import ResponseCode
from dccsim.server.core.delivery import Outcome, nothing
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.eui import parse_eui64
from dccsim.server.core.fields import check_int, check_mpxn
from dccsim.server.core.messages import SyncAnswer
from dccsim.server.core.records import SmiStatus, UserRole
from dccsim.server.core.requests import ServiceRequest
from dccsim.server.core.services.registry import Family
from dccsim.server.core.state import DspState

family: Family = Family()

MAX_FLOOR_SEQUENCE_NUMBER = 9_223_372_036_854_775_807  # floorSequenceNumber's maxInclusive
MAX_CERTIFICATE_BYTES = 4_096  # Decision: no SMKI certificate comes near it (BAD-01)
MAX_PATH_CERTIFICATES = 3  # CertificationPathCertificates holds 1 to 3


class CertificatePurpose(StrEnum):
    KEY_AGREEMENT = "KeyAgreement"
    DIGITAL_SIGNING = "DigitalSigning"


def acb_certificate(acb_id: str, purpose: CertificatePurpose) -> bytes:
    """A stand-in for the DCC ACB's certificate: the one every device is seeded with as its ACB
    trust anchor (devices.credentials), so 8.5's ExistingCertificateHash and 6.24.1 agree."""
    return stand_in_certificate(acb_id, CertificateUsage(purpose.value))


def dcc_acb_credentials(acb_id: str) -> AcbCredentials:
    """The DCC's own ACB credentials, as every device holds them until an 8.5."""
    return AcbCredentials.from_certificates(
        acb_certificate(acb_id, CertificatePurpose.KEY_AGREEMENT),
        acb_certificate(acb_id, CertificatePurpose.DIGITAL_SIGNING),
        0,
    )


# -- 8.5 Service Opt Out -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ServiceOptOut:
    """8.5 ServiceOptOut (its ExecutionDateTime is the request's)."""

    acb_floor_sequence_number: int  # ACBFloorSeqNumber
    key_agreement_certificate: bytes  # ReplacementCertificates/KeyAgreementCertificate
    certification_path: tuple[bytes, ...]  # CertificationPathCertificates/Certificate, 1-3
    apply_time_based_cpv_checks: bool  # ApplyTimeBasedCPVChecks
    digital_signing_certificate: bytes | None = None  # ReplacementCertificates/DigitalSigning...


@dataclass(frozen=True, slots=True)
class CertificateReplacement:
    """One certificate the ESME replaced (MMC ReplacementOutcome)."""

    purpose: CertificatePurpose
    existing_hash: bytes  # SHA-1 of the certificate replaced
    new_hash: bytes  # SHA-1 of the certificate now trusted


@dataclass(frozen=True, slots=True)
class OptOutOutcome:
    """8.5 response body (ServiceOptOutRsp): what the ESME replaced, ACB by ACB. None: a
    cancellation, with no execution to report."""

    floor_sequence_number: int | None
    replacements: tuple[CertificateReplacement, ...]
    authorising_counter: int | None = None  # the originator counter of the command


def _check_certificate(value: object, field: str) -> None:
    if not isinstance(value, bytes) or not value:
        raise InvalidField(field, "a certificate is required (xs:base64Binary)")
    if len(value) > MAX_CERTIFICATE_BYTES:
        raise InvalidField(field, f"{len(value)} bytes is more than {MAX_CERTIFICATE_BYTES}")


def _check_opt_out(body: ServiceOptOut) -> None:
    check_int(
        body.acb_floor_sequence_number,
        "body.acb_floor_sequence_number",
        low=0,
        high=MAX_FLOOR_SEQUENCE_NUMBER,
    )
    _check_certificate(body.key_agreement_certificate, "body.key_agreement_certificate")
    if body.digital_signing_certificate is not None:
        _check_certificate(body.digital_signing_certificate, "body.digital_signing_certificate")
    path = body.certification_path
    if not isinstance(path, tuple) or not 1 <= len(path) <= MAX_PATH_CERTIFICATES:
        raise InvalidField("body.certification_path", "holds 1 to 3 certificates")
    for index, certificate in enumerate(path):
        _check_certificate(certificate, f"body.certification_path[{index}]")
    if not isinstance(body.apply_time_based_cpv_checks, bool):
        raise InvalidField("body.apply_time_based_cpv_checks", "must be true or false")


@family.device(
    "8.5",
    body=ServiceOptOut,
    check=_check_opt_out,
    device_types=(DeviceType.ESME,),
    responses=(OptOutOutcome,),
)
def opt_out(state: DspState, request: ServiceRequest, device: SimulatedDevice) -> Outcome:
    """The ESME replaces the ACB credentials it trusts; the DSP, hearing it, records the
    opt-out in the SMI."""
    body = request.body
    assert isinstance(body, ServiceOptOut)
    if request.is_cancellation:
        # The DSP has dropped the 8.5 it held (SRV-05): nothing reaches the credentials.
        return OptOutOutcome(None, ()), nothing
    existing = device.acb_credentials or dcc_acb_credentials(state.acb_id)
    new = AcbCredentials.from_certificates(
        body.key_agreement_certificate,
        body.digital_signing_certificate,
        body.acb_floor_sequence_number,
    )
    device.acb_credentials = new
    replacements = [
        CertificateReplacement(
            CertificatePurpose.KEY_AGREEMENT, existing.key_agreement_hash, new.key_agreement_hash
        )
    ]
    if new.digital_signing_hash is not None:
        replacements.append(
            CertificateReplacement(
                CertificatePurpose.DIGITAL_SIGNING,
                existing.digital_signing_hash or b"",
                new.digital_signing_hash,
            )
        )
    outcome = OptOutOutcome(
        new.floor_sequence_number, tuple(replacements), request.request_id.counter
    )
    return outcome, partial(_opted_out, state, device.device_id)


def _opted_out(state: DspState, device_id: str) -> None:
    record = state.smi.get(device_id)
    if record is None or record.status_before_opt_out is not None:
        return
    state.store(
        record.evolve(status=SmiStatus.WITHDRAWN, status_before_opt_out=record.status),
        "8.5 Service Opt Out: out of DCC service",
    )


# -- 8.6 Service Opt In --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ServiceOptIn:
    """8.6 ServiceOptIn."""

    device_id: str
    device_type: DeviceType
    import_mpxn: str  # MPxNs/ImportMPxN
    opt_in_date: dt.date
    secondary_import_mpan: str | None = None  # MPxNs/SecondaryImportMPAN
    export_mpan: str | None = None  # MPxNs/ExportMPAN


@dataclass(frozen=True, slots=True)
class OptInCredentials:
    """8.6's answer (DSPOptIn): the DCC's ACB credentials to put back on the device."""

    device_id: str
    key_agreement_certificate: bytes
    digital_signing_certificate: bytes | None


def _check_mpan(value: object, field: str) -> None:
    """An MPAN: exactly 13 characters (sr:MPAN)."""
    if not isinstance(value, str) or len(value) != 13 or not value.isalnum():
        raise InvalidField(field, f"{value!r} is not an MPAN (13 characters)")


def _check_opt_in(body: ServiceOptIn) -> None:
    parse_eui64(body.device_id, "body.device_id")
    if not isinstance(body.device_type, DeviceType):
        raise InvalidField("body.device_type", f"{body.device_type!r} is not a DUIS DeviceType")
    check_mpxn(body.import_mpxn, "body.import_mpxn")
    if body.secondary_import_mpan is not None:
        _check_mpan(body.secondary_import_mpan, "body.secondary_import_mpan")
    if body.export_mpan is not None:
        _check_mpan(body.export_mpan, "body.export_mpan")
    if not isinstance(body.opt_in_date, dt.date) or isinstance(body.opt_in_date, dt.datetime):
        raise InvalidField("body.opt_in_date", "must be a date (xs:date)")


@family.dsp("8.6", body=ServiceOptIn, check=_check_opt_in, responses=(OptInCredentials,))
def opt_in(state: DspState, request: ServiceRequest) -> SyncAnswer:
    body = request.body
    assert isinstance(body, ServiceOptIn)
    refusal = _opt_in_refusal(state, request, body)
    if refusal is not None:
        code, reason = refusal
        return SyncAnswer(request.request_id, request.srv, code, detail=reason)
    record = state.smi.get(body.device_id.upper())
    assert record is not None and record.status_before_opt_out is not None
    state.store(
        record.evolve(status=record.status_before_opt_out, status_before_opt_out=None),
        "8.6 Service Opt In: back in DCC service",
    )
    device = state.network.get(record.device_id)
    if device is not None:
        device.acb_credentials = None  # the supplier has put the DCC's credentials back
    answer = OptInCredentials(
        record.device_id,
        acb_certificate(state.acb_id, CertificatePurpose.KEY_AGREEMENT),
        acb_certificate(state.acb_id, CertificatePurpose.DIGITAL_SIGNING),
    )
    return SyncAnswer(request.request_id, request.srv, ResponseCode.I0, answer)


def _opt_in_refusal(
    state: DspState, request: ServiceRequest, body: ServiceOptIn
) -> tuple[ResponseCode, str] | None:
    record = state.smi.get(body.device_id.upper())
    if record is None:
        return ResponseCode.E080601, "the device is not in the SMI"
    if body.device_type is not record.device_type or record.device_type is not DeviceType.ESME:
        return ResponseCode.E080604, f"the device is a {record.device_type}, not an ESME so named"
    if body.import_mpxn != record.mpxn:
        return ResponseCode.E080606, "ImportMPxN is not the device's MPxN in the SMI"
    originator = request.request_id.originator
    if not state.registrations.is_registered(
        record.mpxn, UserRole.IMPORT_SUPPLIER, originator, state.now()
    ):
        return ResponseCode.E080607, "the user is not the MPAN's registered Import Supplier"
    if record.status_before_opt_out is None:
        return ResponseCode.E080602, "the device is not opted out of DCC service"
    return None
