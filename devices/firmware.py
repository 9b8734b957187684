"""Firmware images and the two firmware state machines.

SMETS2 devices update in two steps (DEV-02): 11.1 distributes an image that the device verifies and
holds; 11.3 activates the held image. Most SMETS1 devices update in one step (DEV-03): the image is
staged outside the device and applied only when 11.3 is processed.

A state machine never runs an image whose verification failed: such an image is never held.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class ActivateImageResponseCode(StrEnum):
    """The `ActivateImageResponseCode` values of an 11.3 response (MMC StatusASN1)."""

    SUCCESS = "success"
    NO_IMAGE_HELD = "noImageHeld"
    HASH_MISMATCH = "hashMismatch"
    ACTIVATION_FAILURE = "activationFailure"


@dataclass(frozen=True, slots=True)
class FirmwareImage:
    """An image as distributed by 11.1: its bytes are not kept, only what identifies them."""

    version: str
    hash: bytes  # SHA-256 of the image, the value 11.3's FirmwareHash must match
    size: int

    @classmethod
    def from_bytes(cls, data: bytes, version: str) -> FirmwareImage:
        return cls(version=version, hash=hashlib.sha256(data).digest(), size=len(data))


@dataclass(frozen=True, slots=True)
class DistributionReceipt:
    """What a device reports after verifying a distributed image (0x8F72 / 0x8F1C)."""

    verified: bool
    image_hash: bytes


@dataclass(frozen=True, slots=True)
class ActivationResult:
    """An 11.3 outcome as the device reports it.

    `code` is None when the command was accepted for future-dated execution: the response then
    carries no execution details (MMC ActivateFirmwareRsp). `firmware_version` is None when the
    device reported no version (FW-05).
    """

    code: ActivateImageResponseCode | None
    firmware_version: str | None

    @property
    def accepted_for_later(self) -> bool:
        return self.code is None


@dataclass(frozen=True, slots=True)
class PendingActivation:
    image_hash: bytes
    execute_at: datetime


@dataclass(frozen=True, slots=True)
class ScheduledOutcome:
    """The outcome of a future-dated activation when its time came (alert 0x8F66 / 0x8F67)."""

    actioned: bool
    result: ActivationResult


class TwoStepFirmware:
    """SMETS2: distribute (verify and hold), then activate the held image."""

    def __init__(self, running_version: str) -> None:
        self.running_version = running_version
        self.held_image: FirmwareImage | None = None
        self.pending: PendingActivation | None = None

    # The snapshot contract (dccsim.server.store.codec).
    def to_data(self) -> dict[str, object]:
        return {
            "running_version": self.running_version,
            "held_image": self.held_image,
            "pending": self.pending,
        }

    @classmethod
    def from_data(cls, data: dict[str, object]) -> TwoStepFirmware:
        firmware = cls(str(data["running_version"]))
        firmware.held_image = data["held_image"]  # type: ignore[assignment]
        firmware.pending = data["pending"]  # type: ignore[assignment]
        return firmware

    def receive(self, image: FirmwareImage, *, verifies: bool = True) -> DistributionReceipt:
        # An image that fails verification is discarded, so it can never be activated.
        if verifies and image.size > 0:
            self.held_image = image
            return DistributionReceipt(verified=True, image_hash=image.hash)
        return DistributionReceipt(verified=False, image_hash=image.hash)

    def activate(self, image_hash: bytes) -> ActivationResult:
        held = self.held_image
        if held is None:
            # Typically a retry after a successful activation whose response was lost: the
            # device still reports what it runs, which MP105 lets the DSP use (FW-01).
            return ActivationResult(ActivateImageResponseCode.NO_IMAGE_HELD, self.running_version)
        if held.hash != image_hash:
            return ActivationResult(ActivateImageResponseCode.HASH_MISMATCH, self.running_version)
        self.running_version = held.version
        self.held_image = None
        return ActivationResult(ActivateImageResponseCode.SUCCESS, self.running_version)

    def schedule(self, image_hash: bytes, execute_at: datetime) -> ActivationResult:
        self.pending = PendingActivation(image_hash, execute_at)
        return ActivationResult(code=None, firmware_version=None)

    def cancel(self) -> ActivationResult:
        """Cancel a future-dated activation (11.3 with the cancellation date)."""
        if self.pending is None:
            return ActivationResult(ActivateImageResponseCode.NO_IMAGE_HELD, self.running_version)
        self.pending = None
        return ActivationResult(ActivateImageResponseCode.SUCCESS, self.running_version)

    def run_due(self, now: datetime) -> ScheduledOutcome | None:
        """Run the pending activation if its time has come; None if nothing was due."""
        pending = self.pending
        if pending is None or pending.execute_at > now:
            return None
        self.pending = None
        result = self.activate(pending.image_hash)
        return ScheduledOutcome(result.code is ActivateImageResponseCode.SUCCESS, result)


class SingleStepFirmware(TwoStepFirmware):
    """SMETS1: 11.1 does not reach the device; the staged image is applied at 11.3.

    A retry of 11.3 after the image was applied answers activationFailure *without* a firmware
    version (DEV-03, FW-05): the SMETS1 service provider has nothing left to apply.
    """

    def __init__(self, running_version: str) -> None:
        super().__init__(running_version)
        self._applied_hashes: set[bytes] = set()

    def to_data(self) -> dict[str, object]:
        return {**super().to_data(), "applied_hashes": self._applied_hashes}

    @classmethod
    def from_data(cls, data: dict[str, object]) -> SingleStepFirmware:
        firmware = super().from_data(data)
        assert isinstance(firmware, SingleStepFirmware)
        firmware._applied_hashes = set(data["applied_hashes"])  # type: ignore[call-overload]
        return firmware

    def activate(self, image_hash: bytes) -> ActivationResult:
        if self.held_image is None and image_hash in self._applied_hashes:
            return ActivationResult(ActivateImageResponseCode.ACTIVATION_FAILURE, None)
        result = super().activate(image_hash)
        if result.code is ActivateImageResponseCode.SUCCESS:
            self._applied_hashes.add(image_hash)
        return result
