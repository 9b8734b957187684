"""quick_init keeps a frozen, slotted dataclass's behaviour while making it faster to build."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass, field

import pytest

from dccsim.server.core.quick_init import quick_init, replace


@quick_init
@dataclass(frozen=True, slots=True)
class Sample:
    a: int
    b: str = "b"
    c: tuple[int, ...] = field(default_factory=tuple)
    d: int = field(default=7, init=False)
    e: list[int] = field(default_factory=list, kw_only=True)


@quick_init
@dataclass(frozen=True, slots=True)
class Checked:
    value: int

    def __post_init__(self) -> None:
        if self.value < 0:
            raise ValueError("negative")


def test_builds_with_the_same_signature_and_defaults() -> None:
    sample = Sample(1)
    assert (sample.a, sample.b, sample.c, sample.d, sample.e) == (1, "b", (), 7, [])
    assert Sample(1, "x", (2,), e=[3]) == Sample(a=1, b="x", c=(2,), e=[3])
    assert Sample(1).e is not Sample(1).e  # a fresh default per instance
    with pytest.raises(TypeError):
        Sample()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Sample(1, "x", (2,), [3])  # type: ignore[misc]  # e is keyword-only


def test_stays_frozen_hashable_picklable_and_replaceable() -> None:
    sample = Sample(1, c=(4,))
    with pytest.raises(dataclasses.FrozenInstanceError):
        sample.a = 2  # type: ignore[misc]
    assert hash(Checked(3)) == hash(Checked(3))
    assert pickle.loads(pickle.dumps(sample)) == sample
    assert dataclasses.replace(sample, b="y") == Sample(1, "y", (4,))


def test_runs_post_init() -> None:
    with pytest.raises(ValueError, match="negative"):
        Checked(-1)


def test_refuses_what_it_cannot_speed_up() -> None:
    @dataclass(slots=True)
    class Unfrozen:
        a: int

    with pytest.raises(TypeError, match="frozen, slotted"):
        quick_init(Unfrozen)

    @dataclass(frozen=True, slots=True)
    class WithInitVar:
        a: int
        b: dataclasses.InitVar[int] = 0

        def __post_init__(self, b: int) -> None:
            pass

    with pytest.raises(TypeError, match="InitVars"):
        quick_init(WithInitVar)


@dataclass(frozen=True, slots=True)
class Plain:
    a: int
    b: str = "b"
    c: tuple[int, ...] = field(default_factory=tuple)
    d: int = field(default=7, init=False)
    e: list[int] = field(default_factory=list, kw_only=True)


def test_prints_exactly_as_dataclasses_do() -> None:
    """The core hashes a request's repr into its pre-command token: the text must not move."""
    assert repr(Sample(1, "x", (2,), e=[3])) == repr(Plain(1, "x", (2,), e=[3])).replace(
        "Plain", "Sample"
    )


def test_keeps_a_repr_the_class_wrote() -> None:
    @quick_init
    @dataclass(frozen=True, slots=True)
    class Own:
        a: int

        def __repr__(self) -> str:
            return "own"

    assert repr(Own(1)) == "own"


def test_replace_copies_with_changes_as_dataclasses_replace() -> None:
    sample = Sample(1, "x", (2,), e=[3])
    assert replace(sample, b="y") == dataclasses.replace(sample, b="y")
    assert replace(Plain(1), a=2) == Plain(2)  # any dataclass
    with pytest.raises(TypeError, match="unexpected"):
        replace(sample, z=1)
    with pytest.raises(ValueError, match="init=False"):
        replace(sample, d=1)
