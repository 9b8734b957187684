"""Fault injection: seeded rules that decide what happens to a message on its way back.

A rule selects messages (by SRV, device type, SMETS version, device ID and stage) and applies an
action with a probability, to the first N matches, or both. Every decision is recorded so a run
can be explained (FAULT-01, FAULT-02). The headline use: drop a share of 11.3 responses (FAULT-03).
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from dccsim.devices.kinds import DeviceType, SmetsVersion


class FaultStage(StrEnum):
    ACKNOWLEDGEMENT = "acknowledgement"
    DEVICE_RESPONSE = "device-response"
    DEVICE_ALERT = "device-alert"


class FaultAction(StrEnum):
    DROP = "drop"  # the device did the work; the DSP never hears of it (DEV-07)
    FAIL_VERIFICATION = "fail-verification"  # 11.1: the device's image check fails (0x8F1C)


@dataclass(frozen=True, slots=True)
class FaultRule:
    action: FaultAction
    stage: FaultStage = FaultStage.DEVICE_RESPONSE
    srv: str | None = None
    device_type: DeviceType | None = None
    smets: SmetsVersion | None = None
    device_ids: frozenset[str] | None = None
    probability: float = 1.0
    first_n: int | None = None

    def __post_init__(self) -> None:
        if not 0.0 <= self.probability <= 1.0:
            raise ValueError("probability must be between 0 and 1")
        if self.first_n is not None and self.first_n < 0:
            raise ValueError("first_n cannot be negative")

    def selects(self, message: FaultTarget) -> bool:
        return (
            self.stage is message.stage
            and (self.srv is None or self.srv == message.srv)
            and (self.device_type is None or self.device_type is message.device_type)
            and (self.smets is None or self.smets is message.smets)
            and (self.device_ids is None or message.device_id in self.device_ids)
        )


@dataclass(frozen=True, slots=True)
class FaultTarget:
    """The message a fault decision is about."""

    stage: FaultStage
    srv: str
    device_id: str
    device_type: DeviceType
    smets: SmetsVersion
    request_id: str = ""


@dataclass(frozen=True, slots=True)
class FaultDecision:
    at: datetime
    rule_id: int
    action: FaultAction
    target: FaultTarget


@dataclass(slots=True)
class _ActiveRule:
    rule_id: int
    rule: FaultRule
    matched: int = 0


@dataclass
class FaultPlan:
    seed: int = 0
    decisions: list[FaultDecision] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)
        self._rules: dict[int, _ActiveRule] = {}
        self._ids = itertools.count(1)

    def add(self, rule: FaultRule) -> int:
        rule_id = next(self._ids)
        self._rules[rule_id] = _ActiveRule(rule_id, rule)
        return rule_id

    def remove(self, rule_id: int) -> None:
        if self._rules.pop(rule_id, None) is None:
            raise KeyError(rule_id)

    def rules(self) -> dict[int, FaultRule]:
        return {rule_id: active.rule for rule_id, active in self._rules.items()}

    def decide(self, target: FaultTarget, at: datetime) -> FaultAction | None:
        """The action for this message, or None to let it through. The first firing rule wins."""
        for active in self._rules.values():
            rule = active.rule
            if not rule.selects(target):
                continue
            active.matched += 1
            if rule.first_n is not None and active.matched > rule.first_n:
                continue
            # Draw only for probabilistic rules, so adding a certain rule never shifts the
            # random sequence that other rules see.
            if rule.probability < 1.0 and self._random.random() >= rule.probability:
                continue
            self.decisions.append(FaultDecision(at, active.rule_id, rule.action, target))
            return rule.action
        return None
