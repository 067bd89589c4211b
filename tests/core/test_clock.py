"""The sandbox clock: real time plus an offset, or a frozen instant; it only moves forward by
advance(), set() jumps anywhere, and listeners hear every change."""
from __future__ import annotations

import pytest

from mockserver.core.clock import SandboxClock


class FakeTime:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_a_clock_started_frozen_stands_exactly_at_its_start():
    assert SandboxClock(start=1_795_000_000, frozen=True).now() == 1_795_000_000


def test_a_running_clock_follows_its_source_with_an_offset():
    source = FakeTime(1000.0)
    clock = SandboxClock(start=5000.0, source=source)
    source.now += 2.5
    assert clock.now() == 5002.5


def test_freeze_advance_set_and_unfreeze():
    source = FakeTime(1000.0)
    clock = SandboxClock(source=source)
    clock.freeze()
    source.now += 60
    assert clock.now() == 1000.0 and clock.frozen
    clock.advance(30)
    assert clock.now() == 1030.0
    clock.set(2000)
    assert clock.now_int() == 2000
    clock.unfreeze()
    source.now += 1
    assert clock.now() == 2001.0 and not clock.frozen


def test_the_clock_never_moves_backwards_by_advance():
    with pytest.raises(ValueError):
        SandboxClock().advance(-1)


def test_listeners_hear_every_change():
    heard = []
    clock = SandboxClock(start=0, frozen=True)
    clock.on_change(lambda: heard.append(clock.now()))
    clock.advance(5)
    clock.set(100)
    assert heard == [5, 100]
