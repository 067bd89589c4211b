"""The sliding-window limiter: N in any W seconds, refused requests not counted, exact Retry-After,
keys independent, exact under real threads."""
from __future__ import annotations

import threading

from mockserver.core.clock import SandboxClock
from mockserver.core.ratelimit import SlidingWindowLimiter


def _frozen(now: float = 1_000_000.0) -> SandboxClock:
    return SandboxClock(start=now, frozen=True)


def test_the_eleventh_request_in_a_window_is_refused_with_the_wait():
    clock = _frozen()
    limiter = SlidingWindowLimiter(clock)
    for i in range(10):
        decision = limiter.hit("a", 10, 10)
        assert decision.allowed and decision.remaining == 9 - i
    refused = limiter.hit("a", 10, 10)
    assert not refused.allowed and refused.retry_after == 10


def test_waiting_exactly_retry_after_is_enough():
    clock = _frozen()
    limiter = SlidingWindowLimiter(clock)
    limiter.hit("a", 10, 10)
    clock.advance(3.4)
    for _ in range(9):
        assert limiter.hit("a", 10, 10).allowed
    refused = limiter.hit("a", 10, 10)
    assert refused.retry_after == 7  # the first request leaves the window in 6.6 s: rounded up
    clock.advance(6.5)
    assert not limiter.hit("a", 10, 10).allowed
    clock.advance(refused.retry_after - 6.5)
    assert limiter.hit("a", 10, 10).allowed


def test_the_window_slides_rather_than_resets():
    clock = _frozen()
    limiter = SlidingWindowLimiter(clock)
    for _ in range(5):
        assert limiter.hit("a", 10, 10).allowed
    clock.advance(6)
    for _ in range(5):
        assert limiter.hit("a", 10, 10).allowed
    clock.advance(5)  # the first five left the window; the second five are 5 s old
    for _ in range(5):
        assert limiter.hit("a", 10, 10).allowed
    assert not limiter.hit("a", 10, 10).allowed


def test_refused_requests_do_not_count():
    clock = _frozen()
    limiter = SlidingWindowLimiter(clock)
    for _ in range(10):
        limiter.hit("a", 10, 10)
    for _ in range(50):
        assert not limiter.hit("a", 10, 10).allowed
    clock.advance(10)
    for _ in range(10):
        assert limiter.hit("a", 10, 10).allowed


def test_keys_are_independent_and_none_means_no_limit():
    limiter = SlidingWindowLimiter(_frozen())
    for _ in range(10):
        limiter.hit("a", 10, 10)
    assert not limiter.hit("a", 10, 10).allowed
    assert limiter.hit("b", 10, 10).allowed
    assert all(limiter.hit("c", None, 10).allowed for _ in range(1000))


def test_exact_under_sixteen_threads():
    limiter = SlidingWindowLimiter(_frozen())
    accepted = []
    barrier = threading.Barrier(16)

    def client() -> None:
        barrier.wait()
        for _ in range(20):
            if limiter.hit("shared", 10, 10).allowed:
                accepted.append(1)

    threads = [threading.Thread(target=client) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(accepted) == 10


def test_requests_from_the_future_leave_the_window_when_the_clock_goes_back():
    """Issue 12 point 2: 10 requests an hour ahead, then back to the present: the window is empty,
    not blocked for an hour."""
    clock = _frozen()
    limiter = SlidingWindowLimiter(clock)
    clock.set(1_000_000.0 + 3600)
    for _ in range(10):
        assert limiter.hit("a", 10, 10).allowed
    assert limiter.hit("a", 10, 10).retry_after == 10
    clock.set(1_000_000.0)
    for i in range(10):
        decision = limiter.hit("a", 10, 10)
        assert decision.allowed and decision.remaining == 9 - i
    refused = limiter.hit("a", 10, 10)
    assert not refused.allowed and refused.retry_after == 10  # never more than the window


def test_going_back_keeps_the_requests_still_in_the_past():
    clock = _frozen()
    limiter = SlidingWindowLimiter(clock)
    for _ in range(6):
        limiter.hit("a", 10, 10)
    clock.advance(5)
    for _ in range(4):
        limiter.hit("a", 10, 10)
    clock.set(1_000_000.0 + 2)  # the last four now lie 3 s in the future, the first six 2 s ago
    for _ in range(4):
        assert limiter.hit("a", 10, 10).allowed
    refused = limiter.hit("a", 10, 10)
    assert not refused.allowed and refused.retry_after == 8  # the first six leave at +10


def test_a_clock_that_goes_back_and_forth_never_gives_a_wait_longer_than_the_window():
    clock = _frozen()
    limiter = SlidingWindowLimiter(clock)
    for offset in (0, 7200, 30, 3600, 1, 86400, 0):
        clock.set(1_000_000.0 + offset)
        for _ in range(12):
            decision = limiter.hit("a", 10, 10)
            assert decision.allowed or 1 <= decision.retry_after <= 10
