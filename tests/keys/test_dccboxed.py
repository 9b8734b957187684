"""BOXED-05: the DCC Boxed test keystore loads, and the lookups the signing and GBCS parts need
find what DCC's own tools would (notes §2.1, §2.2, §2.4)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dccsim.server.keys import (
    ACB_EUI,
    DSP_XML_SIGN_1_4_1,
    DSP_XML_SIGN_25_11,
    CertificateRole,
    KeyStore,
    KeystoreFileError,
    KeyUsage,
    load_dccboxed_keystore,
)
from dccsim.server.keys.model import subject_eui
from tests.keys.conftest import DCCBOXED_KEYSTORE, SUPPLIER, SUPPLIER_2

pytestmark = pytest.mark.spec("BOXED-05")

# DCC's signing tool signs as 90-B3-D5-1F-30-01-00-00 with this certificate (notes §2.1).
SUPPLIER_XML_SIGN_SERIAL = 27572613927499351639968579586655397031


def test_finds_the_suppliers_xml_signing_certificate_by_eui_and_by_serial(dccboxed: KeyStore):
    by_eui = dccboxed.xml_signing(SUPPLIER)
    assert by_eui is not None
    assert by_eui.serial == SUPPLIER_XML_SIGN_SERIAL
    assert by_eui.name == "xml-sign-90B3D51F30010000-ds"
    assert by_eui.role is CertificateRole.XML_SIGN
    assert subject_eui(by_eui.certificate) == SUPPLIER
    assert by_eui.private_key is not None
    assert dccboxed.by_serial(SUPPLIER_XML_SIGN_SERIAL) == by_eui
    # EUIs as the keystore file and the certificate file names write them work too.
    assert dccboxed.xml_signing("90b3d51f30010000") == by_eui


def test_by_issuer_serial_matches_the_issuer_whatever_its_order_and_spacing(dccboxed: KeyStore):
    serial = SUPPLIER_XML_SIGN_SERIAL
    assert dccboxed.by_issuer_serial("CN=Z1,OU=07", serial) is not None  # Java's RFC 2253 form
    assert dccboxed.by_issuer_serial("OU=07, CN=Z1", serial) is not None
    assert dccboxed.by_issuer_serial("CN=U1, OU=07", serial) is None  # a template placeholder
    assert dccboxed.by_issuer_serial("CN=Z1,OU=07", serial + 1) is None


def test_a_user_without_an_xml_signing_certificate_signs_with_its_first_ds_one(
    dccboxed: KeyStore,
):
    credential = dccboxed.xml_signing(SUPPLIER_2)
    assert credential is not None
    assert credential.name == "Z1-supplier2-ds"
    assert credential.usage is KeyUsage.DIGITAL_SIGNATURE


def test_an_unknown_user_has_no_keys(dccboxed: KeyStore):
    assert dccboxed.xml_signing("00-11-22-33-44-55-66-77") is None
    assert dccboxed.organisation("00-11-22-33-44-55-66-77", KeyUsage.KEY_AGREEMENT) is None
    assert dccboxed.by_serial(12345) is None
    assert dccboxed.xml_signing("not an EUI") is None


def test_dsp_signing_is_dcc_boxed_25_11s_dspxmlsign_by_default(dccboxed: KeyStore):
    credential = dccboxed.dsp_signing()
    assert credential.serial == DSP_XML_SIGN_25_11
    assert credential.name == "Z1-accessControlBroker-dSPXmlSign"
    assert credential.role is CertificateRole.DSP_XML_SIGN
    assert credential.eui == ACB_EUI
    # 25.11 re-signed the 1.4.1 key: the private key is the one the keystore file holds.
    older = dccboxed.by_serial(DSP_XML_SIGN_1_4_1)
    assert older is not None and older.private_key is not None
    assert credential.private_key is not None
    assert credential.private_key.private_numbers() == older.private_key.private_numbers()


def test_dsp_signing_can_be_the_1_4_1_certificate():
    store = load_dccboxed_keystore(DCCBOXED_KEYSTORE, dsp_signing_serial=DSP_XML_SIGN_1_4_1)
    assert store.dsp_signing().serial == DSP_XML_SIGN_1_4_1
    with pytest.raises(KeyError):
        load_dccboxed_keystore(DCCBOXED_KEYSTORE, dsp_signing_serial=1).dsp_signing()


def test_organisation_keys_are_the_z1_ones_and_never_a_signing_or_prepayment_key(
    dccboxed: KeyStore,
):
    acb_ka = dccboxed.organisation(ACB_EUI, KeyUsage.KEY_AGREEMENT)
    assert acb_ka is not None and acb_ka.name == "Z1-accessControlBroker-ka"
    assert acb_ka.private_key is not None
    acb_ds = dccboxed.organisation(ACB_EUI, KeyUsage.DIGITAL_SIGNATURE)
    assert acb_ds is not None and acb_ds.name == "Z1-accessControlBroker-ds"
    supplier_ds = dccboxed.organisation(SUPPLIER, KeyUsage.DIGITAL_SIGNATURE)
    assert supplier_ds is not None and supplier_ds.name == "Z1-supplier-ds"
    supplier_ka = dccboxed.organisation(SUPPLIER, KeyUsage.KEY_AGREEMENT)
    assert supplier_ka is not None and supplier_ka.name == "Z1-supplier-ka"
    prepayment = dccboxed.prepayment(SUPPLIER)
    assert prepayment is not None and prepayment.name == "Z1-supplierPP-ka"


def test_expired_certificates_are_accepted(dccboxed: KeyStore):
    credential = dccboxed.organisation(SUPPLIER, KeyUsage.DIGITAL_SIGNATURE)
    assert credential is not None
    assert credential.certificate.not_valid_after_utc.year == 2025  # long gone by 2026-12


def test_devices_get_derived_keys_beside_the_dcc_boxed_keystore(dccboxed: KeyStore):
    device = dccboxed.device("00-DB-12-34-56-78-90-A4", KeyUsage.KEY_AGREEMENT)
    assert device is not None and device.is_device
    assert dccboxed.organisation("00-DB-12-34-56-78-90-A4", KeyUsage.KEY_AGREEMENT) is None


def test_the_mdr_certificates_cryptography_cannot_read_are_skipped_not_fatal(dccboxed: KeyStore):
    # 90-B3-D5-1F-30-01-00-09's two certificates carry a NULL parameter in their signature
    # algorithm; everything else loads.
    assert dccboxed.search("90-B3-D5-1F-30-01-00-09") == ()
    loaded = {c.serial for eui in dccboxed.organisations() for c in dccboxed.search(eui)}
    document = json.loads(DCCBOXED_KEYSTORE.read_text())
    in_file = {int(s) for usages in document.values() for e in usages.values() for s in e}
    assert in_file - loaded == {
        30888891657525916479869933105972500128,
        143760648054440290131736313218196740108,
    }
    assert loaded - in_file == {DSP_XML_SIGN_25_11}


@pytest.mark.parametrize(
    "content",
    ["not json", "[]", '{"zz": {"digitalSignature": {}}}', '{"90b3d51f30010000": {"x": {}}}'],
)
def test_a_file_that_is_not_a_dcc_boxed_keystore_is_refused(tmp_path: Path, content: str):
    path = tmp_path / "keystore.json"
    path.write_text(content)
    with pytest.raises(KeystoreFileError):
        load_dccboxed_keystore(path)
