"""The Access Control Broker credentials an ESME trusts (8.5 Service Opt Out, 8.6 Service Opt In).

A device holds the ACB's certificates as trust anchors: the DCC's own, as installed, until an 8.5
Service Opt Out replaces them (CS02b, "ACB by ACB") with another ACB's, after which the DCC's
commands no longer verify on the device. dccsim has no certificate parser yet (SMKI comes later),
so a device keeps what it needs to answer 8.5's ExecutionOutcome: each certificate's SHA-1 hash
(the MMC's `ExistingCertificateHash` / `NewCertificateHash` are SHA-1) and the ACB's floor
sequence number.
"""

from __future__ import annotations

from dataclasses import dataclass

from dccsim.devices.credentials import certificate_hash  # the SHA-1 the MMC reports


@dataclass(frozen=True, slots=True)
class AcbCredentials:
    """An ACB's credentials as a device holds them."""

    key_agreement_hash: bytes
    digital_signing_hash: bytes | None
    floor_sequence_number: int

    @classmethod
    def from_certificates(
        cls, key_agreement: bytes, digital_signing: bytes | None, floor_sequence_number: int
    ) -> AcbCredentials:
        return cls(
            certificate_hash(key_agreement),
            None if digital_signing is None else certificate_hash(digital_signing),
            floor_sequence_number,
        )
