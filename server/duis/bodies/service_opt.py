"""DUIS bodies of service opt-out and opt-in: 8.5 ServiceOptOut and 8.6 ServiceOptIn in; the MMC
ServiceOptOutRsp and the DSPOptIn answer out."""

from __future__ import annotations

import datetime as dt
import re

from lxml import etree

from dccsim.devices.kinds import DeviceType
from dccsim.server.core.errors import InvalidField
from dccsim.server.core.eui import parse_eui64
from dccsim.server.core.records import DuisVersion
from dccsim.server.core.services.service_opt import (
    OptInCredentials,
    OptOutOutcome,
    ServiceOptIn,
    ServiceOptOut,
)
from dccsim.server.duis.bodies.family import BodyFamily
from dccsim.server.duis.reading import (
    BodyReading,
    base64_value,
    boolean_value,
    datetime_value,
    sequence,
    text_value,
    unsigned_value,
)
from dccsim.server.duis.writing import b64, ra, sub

# xs:date: a year, month and day, with an optional timezone.
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:Z|[+-][0-9]{2}:[0-9]{2})?")
_ACB = "ACB"  # RemotePartyRole
_ACB_BY_ACB = "ACBByACB"  # CredentialsReplacementMode of 8.5


def _opt_out(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(
        element,
        path,
        [
            ("ExecutionDateTime", 1, 1),  # MandatoryFutureDatedAbstractType
            ("ACBFloorSeqNumber", 1, 1),
            ("ReplacementCertificates", 1, 1),
            ("CertificationPathCertificates", 1, 1),
            ("ApplyTimeBasedCPVChecks", 1, 1),
        ],
    )
    when = datetime_value(parts["ExecutionDateTime"][0], f"{path}/ExecutionDateTime")
    floor_path = f"{path}/ACBFloorSeqNumber"
    floor = unsigned_value(parts["ACBFloorSeqNumber"][0], floor_path)
    replacement_path = f"{path}/ReplacementCertificates"
    replacement = sequence(
        parts["ReplacementCertificates"][0],
        replacement_path,
        [("DigitalSigningCertificate", 0, 1), ("KeyAgreementCertificate", 1, 1)],
    )
    ds_path = f"{replacement_path}/DigitalSigningCertificate"
    ka_path = f"{replacement_path}/KeyAgreementCertificate"
    signing = [base64_value(item, ds_path) for item in replacement["DigitalSigningCertificate"]]
    key_agreement = base64_value(replacement["KeyAgreementCertificate"][0], ka_path)
    chain_path = f"{path}/CertificationPathCertificates"
    chain = sequence(parts["CertificationPathCertificates"][0], chain_path, [("Certificate", 1, 3)])
    certificate_path = f"{chain_path}/Certificate"
    certificates = tuple(base64_value(item, certificate_path) for item in chain["Certificate"])
    cpv_path = f"{path}/ApplyTimeBasedCPVChecks"
    body = ServiceOptOut(
        acb_floor_sequence_number=floor,
        key_agreement_certificate=key_agreement,
        certification_path=certificates,
        apply_time_based_cpv_checks=boolean_value(parts["ApplyTimeBasedCPVChecks"][0], cpv_path),
        digital_signing_certificate=signing[0] if signing else None,
    )
    fields = {
        "body.acb_floor_sequence_number": floor_path,
        "body.key_agreement_certificate": ka_path,
        "body.digital_signing_certificate": ds_path,
        "body.certification_path": certificate_path,
        "body.apply_time_based_cpv_checks": cpv_path,
    }
    return body, when, fields


def _opt_in(element: etree._Element, path: str) -> BodyReading:
    parts = sequence(
        element,
        path,
        [("DeviceID", 1, 1), ("DeviceType", 1, 1), ("MPxNs", 1, 1), ("OptInDate", 1, 1)],
    )
    device_path = f"{path}/DeviceID"
    device_id = parse_eui64(text_value(parts["DeviceID"][0], device_path), device_path)
    type_path = f"{path}/DeviceType"
    type_text = text_value(parts["DeviceType"][0], type_path)
    try:
        device_type = DeviceType(type_text)
    except ValueError:
        raise InvalidField(type_path, f"{type_text!r} is not a DUIS DeviceType") from None
    mpxns_path = f"{path}/MPxNs"
    mpxns = sequence(
        parts["MPxNs"][0],
        mpxns_path,
        [("ImportMPxN", 1, 1), ("SecondaryImportMPAN", 0, 1), ("ExportMPAN", 0, 1)],
    )
    values = {
        name: text_value(items[0], f"{mpxns_path}/{name}") if items else None
        for name, items in mpxns.items()
    }
    date_path = f"{path}/OptInDate"
    body = ServiceOptIn(
        device_id=device_id,
        device_type=device_type,
        import_mpxn=values["ImportMPxN"] or "",
        opt_in_date=_date_value(parts["OptInDate"][0], date_path),
        secondary_import_mpan=values["SecondaryImportMPAN"],
        export_mpan=values["ExportMPAN"],
    )
    fields = {
        "body.device_id": device_path,
        "body.device_type": type_path,
        "body.import_mpxn": f"{mpxns_path}/ImportMPxN",
        "body.secondary_import_mpan": f"{mpxns_path}/SecondaryImportMPAN",
        "body.export_mpan": f"{mpxns_path}/ExportMPAN",
        "body.opt_in_date": date_path,
    }
    return body, None, fields


def _date_value(element: etree._Element, path: str) -> dt.date:
    text = text_value(element, path)
    match = _DATE.fullmatch(text)
    if match is None:
        raise InvalidField(path, f"{text!r} is not an xs:date (YYYY-MM-DD)")
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError as error:
        raise InvalidField(path, f"{text!r} is not a valid date: {error}") from None


def _opt_out_rsp(outcome: OptOutOutcome) -> etree._Element:
    element = etree.Element(ra("ServiceOptOutRsp"))
    if outcome.floor_sequence_number is None:  # a cancellation: nothing was executed
        return element
    execution = sub(element, "ExecutionOutcome")
    if outcome.authorising_counter is not None:
        sub(execution, "AuthorisingRemotePartyOriginatorCounter", str(outcome.authorising_counter))
    sub(execution, "CredentialsReplacementMode", _ACB_BY_ACB)
    change = sub(execution, "RemotePartySeqNumberChange")
    sub(change, "RemotePartyRole", _ACB)
    sub(change, "RemotePartyFloorSeqNumber", str(outcome.floor_sequence_number))
    for replacement in outcome.replacements:
        item = sub(execution, "ReplacementOutcome")
        status = sub(item, "StatusCode")
        status.set("ResponseCode", "0")
        sub(status, "ASN1Status", "success")
        sub(item, "CertificateType", replacement.purpose.value)
        sub(item, "RemotePartyRole", _ACB)
        if replacement.existing_hash:
            sub(item, "ExistingCertificateHash", b64(replacement.existing_hash))
        sub(item, "NewCertificateHash", b64(replacement.new_hash))
    return element


def _dsp_opt_in(message: etree._Element, answer: OptInCredentials, version: DuisVersion) -> None:
    element = sub(message, "DSPOptIn")
    sub(element, "DeviceID", answer.device_id)
    if answer.digital_signing_certificate is not None:
        sub(
            element,
            "DSPBrokerSecurityCredentialsDigitalSigning",
            b64(answer.digital_signing_certificate),
        )
    sub(element, "DSPBrokerSecurityCredentialsKeyAgreement", b64(answer.key_agreement_certificate))


FAMILY: BodyFamily = BodyFamily(
    readers={
        "8.5": ("ServiceOptOut", _opt_out),
        "8.6": ("ServiceOptIn", _opt_in),
    },
    sync_writers={OptInCredentials: _dsp_opt_in},
    mmc_writers={OptOutOutcome: _opt_out_rsp},
)
