"""Keys: the test PKI dccsim makes for its fleet, the DCC Boxed keystore it can load instead,
the keystore the other parts look keys up in, export for a User's tools, and SMKI content
(BOXED-05, BOXED-06)."""

from dccsim.server.keys.dccboxed import (
    DSP_XML_SIGN_1_4_1,
    DSP_XML_SIGN_25_11,
    KeystoreFileError,
    load_dccboxed_keystore,
)
from dccsim.server.keys.export import KeyFile, export_files, export_keys, write_files
from dccsim.server.keys.factory import KeysDirectoryError, keys_directory, keystore_for, smki_role
from dccsim.server.keys.keystore import CredentialSource, KeyStore
from dccsim.server.keys.model import (
    ACB_EUI,
    CertificateRole,
    Credential,
    KeyUsage,
    canonical_eui,
    eui_hex,
)
from dccsim.server.keys.test_pki import TestPki

__all__ = [
    "ACB_EUI",
    "DSP_XML_SIGN_1_4_1",
    "DSP_XML_SIGN_25_11",
    "CertificateRole",
    "Credential",
    "CredentialSource",
    "KeyFile",
    "KeyStore",
    "KeyUsage",
    "KeysDirectoryError",
    "KeystoreFileError",
    "TestPki",
    "canonical_eui",
    "eui_hex",
    "export_files",
    "export_keys",
    "keys_directory",
    "keystore_for",
    "load_dccboxed_keystore",
    "smki_role",
    "write_files",
]
