"""A sliding-window rate limiter keyed by credential, on the sandbox clock.

"N requests in any W seconds": a request is accepted while fewer than N accepted requests lie in
the window (now - W, now]. Refused requests are not recorded, so they never extend the wait.

The sandbox clock can be set backwards (admin POST /_sandbox/clock, or the machine's own clock
stepping back). Requests recorded at a time later than `now` lie outside the window: they are
forgotten, so a window never holds requests from the future and Retry-After never exceeds W.
"""
from __future__ import annotations

import math
import threading
from collections import deque
from dataclasses import dataclass

from mockserver.core.clock import SandboxClock


@dataclass(frozen=True)
class Decision:
    allowed: bool
    # Whole seconds until a request would be accepted (0 when allowed). Waiting exactly this long
    # on the sandbox clock is enough: the oldest counted request has then left the window.
    retry_after: int
    remaining: int


class SlidingWindowLimiter:
    def __init__(self, clock: SandboxClock) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._accepted: dict[str, deque[float]] = {}

    def hit(self, key: str, limit: int | None, window: float) -> Decision:
        """Count one request for `key` if the limit allows it (limit None: no limit)."""
        if limit is None:
            return Decision(True, 0, -1)
        with self._lock:
            now = self._clock.now()
            times = self._accepted.setdefault(key, deque())
            # Times are appended in clock order, so after the clock went back the requests "from
            # the future" are the newest ones: drop them from the right (issue 12, point 2).
            while times and times[-1] > now:
                times.pop()
            while times and times[0] <= now - window:
                times.popleft()
            if len(times) < limit:
                times.append(now)
                return Decision(True, 0, limit - len(times))
            wait = times[0] + window - now if times else window
            return Decision(False, max(1, math.ceil(wait - 1e-9)), 0)

    def forget(self, key: str | None = None) -> None:
        with self._lock:
            if key is None:
                self._accepted.clear()
            else:
                self._accepted.pop(key, None)
