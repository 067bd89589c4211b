"""A flood of writes that queue webhooks waits for them a moment (core/delivery_pace.py): the engine
counts the deliveries whose first attempt no worker has taken yet, and pace() pauses by that count,
never below PACE_FROM and never longer than PACE_MAX."""
from __future__ import annotations

import threading
import time

import pytest

from mockserver.core import delivery_pace, webhooks
from mockserver.core.clock import SandboxClock
from mockserver.core.delivery_http import HttpResult
from mockserver.core.delivery_model import Policy
from mockserver.core.webhooks import WebhookEngine

POLICY = Policy("test", timeout=5.0, retry_delays=(10,))
URL = "http://127.0.0.1:9/hook"


def test_no_pause_below_the_threshold_and_never_beyond_the_longest():
    assert delivery_pace.pause_for(0) == delivery_pace.pause_for(delivery_pace.PACE_FROM) == 0.0
    assert 0 < delivery_pace.pause_for(delivery_pace.PACE_FROM + 10) < delivery_pace.pause_for(delivery_pace.PACE_FROM + 100)
    assert delivery_pace.pause_for(10**9) == delivery_pace.PACE_MAX


class _HeldPost:
    """A post the test lets through: each attempt waits for release(); answers `answer`."""

    def __init__(self, answer: HttpResult) -> None:
        self.answer = answer
        self.gate = threading.Event()
        self.calls = 0

    def __call__(self, url, headers, body, timeout):
        self.calls += 1
        self.gate.wait(30)
        return self.answer


def _until(predicate, limit: float = 30.0) -> None:
    deadline = time.monotonic() + limit
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


@pytest.fixture
def held():
    return _HeldPost(HttpResult(None, 0.1, "", "connection refused"))


@pytest.fixture
def engine(held):
    clock = SandboxClock(start=1_795_000_000, frozen=True)
    engine = WebhookEngine(clock, workers=1, seed=3, post=held)
    yield engine
    held.gate.set()
    engine.close(timeout=5)


def test_deliveries_count_as_unsent_until_a_worker_takes_their_first_attempt(engine, held):
    for _ in range(5):
        engine.enqueue("test", URL, b"{}", policy=POLICY)
    _until(lambda: held.calls == 1)  # the one worker holds the first; four wait
    assert engine.unsent == 4
    held.gate.set()
    engine.flush()
    assert engine.unsent == 0
    engine.clock.advance(10)  # every first attempt failed: their retries fall due
    engine.flush()
    assert held.calls == 10 and engine.unsent == 0  # a retry is no first attempt


def test_dropped_and_reset_deliveries_leave_the_count(engine, held):
    engine.max_unfinished = 3
    for _ in range(5):
        engine.enqueue("test", URL, b"{}", policy=POLICY)
    _until(lambda: held.calls == 1)
    assert engine.dropped_count == 2 and engine.unsent == 2  # five queued, one taken, two dropped
    engine.reset()
    assert engine.unsent == 0


def test_pace_pauses_by_the_unsent_count(engine, held, monkeypatch):
    monkeypatch.setattr(delivery_pace, "PACE_FROM", 2)
    for _ in range(6):
        engine.enqueue("test", URL, b"{}", policy=POLICY)
    _until(lambda: held.calls == 1)  # before time.sleep is replaced: _until sleeps
    slept = []
    monkeypatch.setattr(webhooks.time, "sleep", slept.append)  # nothing else of this test sleeps now
    engine.pace()
    assert slept == [delivery_pace.pause_for(5)] and slept[0] > 0


def test_pace_does_not_pause_with_few_unsent(engine, held, monkeypatch):
    monkeypatch.setattr(delivery_pace, "PACE_FROM", 2)
    engine.enqueue("test", URL, b"{}", policy=POLICY)
    engine.enqueue("test", URL, b"{}", policy=POLICY)
    slept = []
    monkeypatch.setattr(webhooks.time, "sleep", slept.append)
    engine.pace()
    assert slept == []
