"""Fault injection: seeded rules that decide what happens to a message on its way back.

A rule selects messages (by SRV, device type, SMETS version, device ID and stage) and applies an
action with a probability, to the first N matches, or both. Every decision is recorded so a run
can be explained (FAULT-01, FAULT-02). The headline use: drop a share of 11.3 responses (FAULT-03).
"""

from __future__ import annotations

import itertools
import random
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import cast

from dccsim.devices.alerts import CATALOGUE as ALERT_CATALOGUE
from dccsim.devices.kinds import DeviceType, SmetsVersion
from dccsim.server.core.clock import count_position
from dccsim.server.core.errors import InvalidField


class FaultStage(StrEnum):
    ACKNOWLEDGEMENT = "acknowledgement"
    DEVICE_RESPONSE = "device-response"
    DEVICE_ALERT = "device-alert"


class FaultAction(StrEnum):
    DROP = "drop"  # the device did the work; the DSP never hears of it (DEV-07)
    DELAY = "delay"  # the DSP hears of it `delay` later in virtual time
    DUPLICATE = "duplicate"  # the user receives the message twice (processed once)
    UNREACHABLE = "unreachable"  # the command never reaches the device: E20 to the user
    ERROR_CODE = "error-code"  # the device did the work; the response carries `error_code`
    FAIL_VERIFICATION = "fail-verification"  # 11.1: the device's image check fails (0x8F1C)
    # SRV-06: at `window_start`, a seeded share (`probability`) of the devices the rule selects
    # raise `alert_code` (server/core/device_alerts.py); never a decision about a message.
    RAISE_ALERT = "raise-alert"


# Which actions make sense at which stage.
STAGE_ACTIONS = {
    FaultStage.ACKNOWLEDGEMENT: frozenset({FaultAction.DROP}),
    FaultStage.DEVICE_RESPONSE: frozenset(
        {
            FaultAction.DROP,
            FaultAction.DELAY,
            FaultAction.DUPLICATE,
            FaultAction.UNREACHABLE,
            FaultAction.ERROR_CODE,
        }
    ),
    FaultStage.DEVICE_ALERT: frozenset(
        {
            FaultAction.DROP,
            FaultAction.DELAY,
            FaultAction.DUPLICATE,
            FaultAction.FAIL_VERIFICATION,
            FaultAction.RAISE_ALERT,
        }
    ),
}
# Error codes a rule may put in a device's response: DUIS's communication failures and time-out.
INJECTABLE_ERROR_CODES = frozenset({"E20", "E21", "E30"})


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
    # Active only inside this window of virtual time (either end open when None).
    window_start: datetime | None = None
    window_end: datetime | None = None
    delay: timedelta | None = None  # DELAY
    error_code: str | None = None  # ERROR_CODE
    # RAISE_ALERT: the GBCS alert code raised. Any other device-alert rule: the alert code it
    # selects (None: every alert).
    alert_code: int | None = None

    def __post_init__(self) -> None:
        if not 0.0 <= self.probability <= 1.0:
            raise InvalidField("probability", "must be between 0 and 1")
        if self.first_n is not None and self.first_n < 0:
            raise InvalidField("first_n", "cannot be negative")
        if self.action not in STAGE_ACTIONS[self.stage]:
            raise InvalidField("action", f"{self.action} does not apply at stage {self.stage}")
        if self.action is FaultAction.DELAY and (self.delay is None or self.delay <= timedelta(0)):
            raise InvalidField("delay", "a delay rule needs a positive delay")
        if self.action is FaultAction.ERROR_CODE and self.error_code not in INJECTABLE_ERROR_CODES:
            allowed = ", ".join(sorted(INJECTABLE_ERROR_CODES))
            raise InvalidField("error_code", f"{self.error_code!r} is not one of {allowed}")
        if self.action is FaultAction.RAISE_ALERT and self.alert_code not in ALERT_CATALOGUE:
            code = "none" if self.alert_code is None else f"{self.alert_code:#06X}"
            raise InvalidField("alert_code", f"{code} is not a supported device alert")
        if self.alert_code is not None and not 0 <= self.alert_code <= 0xFFFF:
            raise InvalidField("alert_code", f"{self.alert_code} is not a 16-bit GBCS alert code")
        for name in ("window_start", "window_end"):
            when = getattr(self, name)
            if when is not None and when.tzinfo is None:
                raise InvalidField(name, "must be timezone-aware")

    def active_at(self, when: datetime) -> bool:
        return (self.window_start is None or self.window_start <= when) and (
            self.window_end is None or when < self.window_end
        )

    def selects(self, message: FaultTarget) -> bool:
        return (
            self.stage is message.stage
            and (self.srv is None or self.srv == message.srv)
            and (self.device_type is None or self.device_type is message.device_type)
            and (self.smets is None or self.smets is message.smets)
            and (self.device_ids is None or message.device_id in self.device_ids)
            and (self.alert_code is None or self.alert_code == message.alert_code)
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
    alert_code: int | None = None  # a device alert's GBCS code (stage DEVICE_ALERT)


@dataclass(frozen=True, slots=True)
class FaultDecision:
    at: datetime
    rule_id: int
    action: FaultAction
    target: FaultTarget
    rule: FaultRule


@dataclass(slots=True)
class _ActiveRule:
    rule_id: int
    rule: FaultRule
    matched: int = 0


# Decisions held for ListFaultDecisions. Bounded, like the journal, so that a long run under
# heavy faults does not grow without end; the seed makes every decision reproducible (FAULT-02).
DECISION_LOG_CAPACITY = 100_000


def _decision_log() -> deque[FaultDecision]:
    return deque(maxlen=DECISION_LOG_CAPACITY)


@dataclass
class FaultPlan:
    seed: int = 0
    # The latest DECISION_LOG_CAPACITY decisions, oldest first.
    decisions: deque[FaultDecision] = field(default_factory=_decision_log)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)
        self._rules: dict[int, _ActiveRule] = {}
        self._ids = itertools.count(1)

    # The snapshot contract (dccsim.server.store.codec): the seed, the rules, the decisions, and
    # the generator's position, which decides every later probabilistic rule (FAULT-02).
    def to_data(self) -> dict[str, object]:
        return {
            "seed": self.seed,
            "decisions": self.decisions,
            "random": self._random.getstate(),
            "rules": [(a.rule_id, a.rule, a.matched) for a in self._rules.values()],
            "next_rule_id": count_position(self._ids),
        }

    @classmethod
    def from_data(cls, data: dict[str, object]) -> FaultPlan:
        plan = cls(int(data["seed"]), data["decisions"])  # type: ignore[arg-type, call-overload]
        version, internal, gauss = cast(tuple[int, list[int], float | None], data["random"])
        plan._random.setstate((version, tuple(internal), gauss))
        plan._rules = {i: _ActiveRule(i, rule, matched) for i, rule, matched in data["rules"]}  # type: ignore[attr-defined]
        plan._ids = itertools.count(int(data["next_rule_id"]))  # type: ignore[call-overload]
        return plan

    def add(self, rule: FaultRule) -> int:
        rule_id = next(self._ids)
        self._rules[rule_id] = _ActiveRule(rule_id, rule)
        return rule_id

    def remove(self, rule_id: int) -> None:
        if self._rules.pop(rule_id, None) is None:
            raise KeyError(rule_id)

    def record(self, decision: FaultDecision) -> None:
        """Log a decision taken outside `decide` (a RAISE_ALERT rule's chosen devices)."""
        self.decisions.append(decision)

    def rules(self) -> dict[int, FaultRule]:
        return {rule_id: active.rule for rule_id, active in self._rules.items()}

    @property
    def active(self) -> bool:
        """Whether any rule is set: the hot path skips fault work entirely when none is."""
        return bool(self._rules)

    def decide(self, target: FaultTarget, at: datetime) -> FaultDecision | None:
        """The decision for this message, or None to let it through. The first firing rule
        wins; rules are tried in the order they were added."""
        for active in self._rules.values():
            rule = active.rule
            if rule.action is FaultAction.RAISE_ALERT:  # scheduled work, not a message's fate
                continue
            if not rule.selects(target) or not rule.active_at(at):
                continue
            active.matched += 1
            if rule.first_n is not None and active.matched > rule.first_n:
                continue
            # Draw only for probabilistic rules, so adding a certain rule never shifts the
            # random sequence that other rules see.
            if rule.probability < 1.0 and self._random.random() >= rule.probability:
                continue
            decision = FaultDecision(at, active.rule_id, rule.action, target, rule)
            self.decisions.append(decision)
            return decision
        return None
