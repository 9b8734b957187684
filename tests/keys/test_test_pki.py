"""BOXED-05: dccsim's own test PKI — deterministic from its secret, shaped like ZAZ1's, device
keys derived lazily — and where `dccsim serve` keeps it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtensionOID

from dccsim.server.keys import (
    ACB_EUI,
    CertificateRole,
    KeysDirectoryError,
    KeyStore,
    KeyUsage,
    TestPki,
    keys_directory,
    keystore_for,
)
from dccsim.server.keys.model import device_eui, subject_eui, subject_role
from dccsim.server.keys.smki import certificate_search
from tests.keys.conftest import SECRET, SUPPLIER

pytestmark = pytest.mark.spec("BOXED-05")

DEVICE = "00-DB-12-34-56-78-90-A4"


def _der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.DER)


def _everything(pki: TestPki) -> list[bytes]:
    store = KeyStore(source=pki)
    organisations = [c for eui in (ACB_EUI, SUPPLIER) for c in store.register(eui)]
    devices = [pki.device(DEVICE, usage) for usage in KeyUsage]
    return [*map(_der, pki.authorities)] + [
        _der(c.certificate) + c.private_key.private_numbers().private_value.to_bytes(32, "big")
        for c in (*organisations, *devices)
        if c.private_key is not None
    ]


def test_the_same_secret_gives_byte_identical_keys_and_certificates():
    first, second = _everything(TestPki(SECRET)), _everything(TestPki(SECRET))
    assert len(first) == 2 + 6 + 2
    assert first == second
    other = _everything(TestPki(bytes(32)))
    assert not set(first) & set(other)


def test_every_certificate_verifies_against_the_test_ca(pki: TestPki, store: KeyStore):
    root, issuing = pki.authorities
    root.verify_directly_issued_by(root)
    issuing.verify_directly_issued_by(root)
    device = pki.device(DEVICE, KeyUsage.KEY_AGREEMENT)
    for credential in (*store.search(ACB_EUI), *store.search(SUPPLIER), device):
        credential.certificate.verify_directly_issued_by(issuing)
        with pytest.raises((ValueError, TypeError)):
            credential.certificate.verify_directly_issued_by(root)
        # The certificate holds the credential's own key.
        assert credential.private_key is not None
        assert credential.certificate.public_key() == credential.private_key.public_key()


def test_organisation_certificates_are_shaped_like_zaz1s(store: KeyStore):
    xml_sign, ds, ka = store.search(SUPPLIER)
    assert [c.role for c in (xml_sign, ds, ka)] == [
        CertificateRole.XML_SIGN,
        CertificateRole.SUPPLIER,
        CertificateRole.SUPPLIER,
    ]
    for credential in (xml_sign, ds, ka):
        certificate = credential.certificate
        assert subject_eui(certificate) == SUPPLIER
        assert subject_role(certificate) is credential.role
        assert isinstance(certificate.public_key(), ec.EllipticCurvePublicKey)
        assert certificate.public_key().curve.name == "secp256r1"
        assert certificate.signature_algorithm_oid.dotted_string == "1.2.840.10045.4.3.2"
        assert 0 < certificate.serial_number < 2**128
        extensions = {e.oid: e for e in certificate.extensions}
        assert extensions[ExtensionOID.KEY_USAGE].critical
        policies = extensions[ExtensionOID.CERTIFICATE_POLICIES]
        assert policies.critical
        assert [p.policy_identifier.dotted_string for p in policies.value] == [
            "1.2.826.0.1.8641679.1.2.1.4"
        ]
        assert len(extensions[ExtensionOID.SUBJECT_KEY_IDENTIFIER].value.digest) == 8
    # The OU is the role in hex: XmlSign is 87, supplier 02 (DCC Boxed's xml-sign-…: OU=87).
    assert xml_sign.certificate.subject.rfc4514_string().startswith("2.5.4.45=#")
    assert "OU=87" in xml_sign.certificate.subject.rfc4514_string()
    assert "OU=02" in ds.certificate.subject.rfc4514_string()
    assert ds.certificate.extensions.get_extension_for_class(x509.KeyUsage).value.digital_signature
    assert ka.certificate.extensions.get_extension_for_class(x509.KeyUsage).value.key_agreement


def test_the_dcc_has_its_dspxmlsign_and_the_acbs_ds_and_ka(store: KeyStore):
    dsp = store.dsp_signing()
    assert dsp.role is CertificateRole.DSP_XML_SIGN and dsp.eui == ACB_EUI
    assert "OU=89" in dsp.certificate.subject.rfc4514_string()
    for usage in KeyUsage:
        credential = store.organisation(ACB_EUI, usage)
        assert credential is not None
        assert credential.role is CertificateRole.ACCESS_CONTROL_BROKER
        assert credential.private_key is not None
    assert store.xml_signing(SUPPLIER).role is CertificateRole.XML_SIGN


def test_a_device_certificate_names_its_device_in_a_hardware_module_name(pki: TestPki):
    for usage in KeyUsage:
        credential = pki.device(DEVICE, usage)
        certificate = credential.certificate
        assert device_eui(certificate) == DEVICE
        assert certificate.subject == x509.Name([])
        san = certificate.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_ALTERNATIVE_NAME)
        assert san.critical
        assert certificate.not_valid_after_utc.year == 9999
        key_usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
        assert key_usage.digital_signature is (usage is KeyUsage.DIGITAL_SIGNATURE)
        assert key_usage.key_agreement is (usage is KeyUsage.KEY_AGREEMENT)
    ds, ka = (pki.device(DEVICE, usage) for usage in KeyUsage)
    assert ds.private_key.private_numbers() != ka.private_key.private_numbers()


def test_device_keys_are_derived_on_first_use_and_cached(pki: TestPki):
    assert pki.device_derivations == 0
    first = pki.device(DEVICE, KeyUsage.DIGITAL_SIGNATURE)
    assert pki.device_derivations == 1
    assert pki.device(DEVICE.lower(), KeyUsage.DIGITAL_SIGNATURE) is first
    assert pki.device_derivations == 1
    pki.device(DEVICE, KeyUsage.KEY_AGREEMENT)
    assert pki.device_derivations == 2


def test_the_cache_is_bounded_and_an_evicted_key_comes_back_the_same():
    pki = TestPki(SECRET, cache_size=2)
    first = pki.device("00-00-00-00-00-00-00-01", KeyUsage.DIGITAL_SIGNATURE)
    pki.device("00-00-00-00-00-00-00-02", KeyUsage.DIGITAL_SIGNATURE)
    pki.device("00-00-00-00-00-00-00-03", KeyUsage.DIGITAL_SIGNATURE)
    again = pki.device("00-00-00-00-00-00-00-01", KeyUsage.DIGITAL_SIGNATURE)
    assert pki.device_derivations == 4  # evicted, so made again ...
    assert _der(again.certificate) == _der(first.certificate)  # ... byte for byte the same


def test_a_million_device_fleet_costs_no_key_work_until_a_key_is_used(pki: TestPki):
    store = KeyStore(source=pki)
    fleet = frozenset(
        "00-DB-" + "-".join(f"{octet:02X}" for octet in i.to_bytes(4, "big")) + "-00-01"
        for i in range(1_000_000)
    )
    assert len(fleet) == 1_000_000
    assert pki.device_derivations == 0
    request = (
        b"<CertificateSearchRequest><CertificateSubjectAltName>00-db-00-0f-42-3f-00-01"
        b"</CertificateSubjectAltName></CertificateSearchRequest>"
    )
    status, _ = certificate_search(request, store, fleet)
    assert status == 200
    assert pki.device_derivations == 2  # that device's DS and KA; none of the other 999,999


def test_by_serial_remakes_any_certificate_it_issued_and_no_other(pki: TestPki):
    device = pki.device(DEVICE, KeyUsage.KEY_AGREEMENT)
    fresh = TestPki(SECRET)  # e.g. after a restart: nothing derived yet
    found = fresh.by_serial(device.serial)
    assert found is not None and _der(found.certificate) == _der(device.certificate)
    store = KeyStore(source=fresh)
    xml_sign = TestPki(SECRET).organisation(SUPPLIER, CertificateRole.SUPPLIER)[0]
    assert store.xml_signing(SUPPLIER) is None  # not registered: lookups do not derive
    found = store.by_serial(xml_sign.serial)
    assert found is not None and _der(found.certificate) == _der(xml_sign.certificate)
    assert store.xml_signing(SUPPLIER) is not None  # a serial it issued registers its owner
    # Serials nobody issued: a flipped tag bit, another secret's, out of range.
    assert fresh.by_serial(device.serial ^ 1) is None
    assert TestPki(bytes(32)).by_serial(device.serial) is None
    assert fresh.by_serial(0) is None and fresh.by_serial(2**200) is None


def test_keystore_for_keeps_the_pki_secret_beside_the_state_file(tmp_path: Path):
    state = tmp_path / "dccsim-state.sqlite3"
    first = keystore_for(state, [SUPPLIER], roles={SUPPLIER: CertificateRole.SUPPLIER})
    directory = keys_directory(state)
    secret_file = directory / "pki-secret"
    assert secret_file.exists()
    assert os.stat(secret_file).st_mode & 0o777 == 0o600
    # The Users' and the ACB's files are there for a User's tools.
    assert (directory / "90b3d51f30010000-xmlsign.key").exists()
    assert (directory / "90b3d51f30000002-ka.key").exists()
    again = keystore_for(state, [SUPPLIER], roles={SUPPLIER: CertificateRole.SUPPLIER})
    assert _der(again.xml_signing(SUPPLIER).certificate) == _der(
        first.xml_signing(SUPPLIER).certificate
    )
    ephemeral = keystore_for(None, [SUPPLIER])
    assert _der(ephemeral.dsp_signing().certificate) != _der(first.dsp_signing().certificate)
    assert list(tmp_path.iterdir()) == [directory]  # in memory: nothing written


def test_a_damaged_secret_is_refused_not_replaced(tmp_path: Path):
    state = tmp_path / "state.sqlite3"
    keystore_for(state, [])
    secret_file = keys_directory(state) / "pki-secret"
    secret_file.write_text("not a secret\n")
    with pytest.raises(KeysDirectoryError, match="pki-secret"):
        keystore_for(state, [])
    assert secret_file.read_text() == "not a secret\n"


def test_with_the_dcc_boxed_keystore_devices_keep_their_derived_keys_across_restarts(
    tmp_path: Path,
):
    from tests.keys.conftest import DCCBOXED_KEYSTORE

    state = tmp_path / "state.sqlite3"
    first = keystore_for(state, [SUPPLIER], dccboxed=DCCBOXED_KEYSTORE)
    second = keystore_for(state, [SUPPLIER], dccboxed=DCCBOXED_KEYSTORE)
    assert first.xml_signing(SUPPLIER).name == "xml-sign-90B3D51F30010000-ds"
    assert _der(first.device(DEVICE, KeyUsage.KEY_AGREEMENT).certificate) == _der(
        second.device(DEVICE, KeyUsage.KEY_AGREEMENT).certificate
    )
