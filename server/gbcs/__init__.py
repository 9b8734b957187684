"""GBCS: the binary messages devices and the DCC exchange (SPEC §13, GBCS-01…05).

One module per job: `der` (the ASN.1 DER pieces GBCS contents use), `cosem` (DLMS COSEM and GBZ
content), `crypto` (the GBCS KDF, AES-128-GCM MACs from static ECDH, raw ECDSA signatures),
`frame` (the General-Signing grouping header and the General-Ciphering MAC wrapper),
`firmware` (the firmware use cases' contents), `payloads` (a device's response or alert as its
GBCS payload, with keys) and `pre_command` (CS06's pre-command and the check of the User's
signed copy).

Knows nothing of gRPC, HTTP, the store or DUIS; sits over the core's values.
"""
