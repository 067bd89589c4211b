"""Work due at a time on the sandbox clock (tracking numbers, auto-progress, expiry pushes).

Due work runs when a request arrives or the clock is moved, so a test that advances the clock sees
the effects before its next call returns, and on core/ticker.py's thread for a client that waits.
"""
from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass, field
from typing import Callable


@dataclass(order=True)
class Job:
    due: float
    seq: int
    action: Callable[[], None] = field(compare=False)
    cancelled: bool = field(default=False, compare=False)

    def cancel(self) -> None:
        self.cancelled = True


class Scheduler:
    """A heap of jobs ordered by due time; the caller holds the store lock while running them."""

    def __init__(self) -> None:
        self._heap: list[Job] = []
        self._seq = itertools.count()
        self.on_schedule: Callable[[], None] | None = None  # the ticker's wake-up

    def at(self, due: float, action: Callable[[], None]) -> Job:
        job = Job(due, next(self._seq), action)
        heapq.heappush(self._heap, job)
        if self.on_schedule is not None:
            self.on_schedule()
        return job

    def next_due(self) -> float | None:
        """When the earliest job falls due: a hint read without the store's lock, so it only reads
        (a cancelled job's time just wakes the ticker early; run_due skips it)."""
        try:
            return self._heap[0].due
        except IndexError:  # empty, or emptied by a run on another thread meanwhile
            return None

    def run_due(self, now: float) -> int:
        """Run every job due at or before now, in due order; returns how many ran."""
        ran = 0
        while self._heap and self._heap[0].due <= now:
            job = heapq.heappop(self._heap)
            if not job.cancelled:
                job.action()
                ran += 1
        return ran

    def pending(self) -> int:
        return sum(1 for job in self._heap if not job.cancelled)

    def clear(self) -> None:
        self._heap.clear()
