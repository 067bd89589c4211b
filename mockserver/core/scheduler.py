"""Work due at a time on the sandbox clock (tracking numbers, auto-progress, expiry pushes).

Due work runs when a request arrives or the clock is moved, so a test that advances the clock sees
the effects before its next call returns, and on core/ticker.py's thread for a client that waits.
"""
from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass(order=True)
class Job:
    due: float
    seq: int
    action: Callable[[], None] = field(compare=False)
    cancelled: bool = field(default=False, compare=False)
    # The job as data (JSON), for snapshots: its owner re-creates the action from it on import.
    data: dict[str, Any] | None = field(default=None, compare=False)

    def cancel(self) -> None:
        self.cancelled = True


class Scheduler:
    """A heap of jobs ordered by due time; the caller holds the store lock while running them."""

    def __init__(self) -> None:
        self._heap: list[Job] = []
        self._seq = itertools.count()
        self.on_schedule: Callable[[], None] | None = None  # the ticker's wake-up
        self.ran = 0  # jobs run so far (a saver's hint that the world changed)

    def at(self, due: float, action: Callable[[], None], data: dict[str, Any] | None = None) -> Job:
        """Run action at `due`; `data` describes it for snapshots ({"platform": ..., ...}: that
        platform's rearm(data) makes the action again)."""
        job = Job(due, next(self._seq), action, data=data)
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
                self.ran += 1
        return ran

    def pending(self) -> int:
        return sum(1 for job in self._heap if not job.cancelled)

    def export_jobs(self) -> list[dict[str, Any]]:
        """Every live job as {"due", "data"}, in the order they would run (seq numbers are not
        kept: re-adding the jobs in this order keeps their order). A job without data cannot be
        saved and is left out (every platform job carries data)."""
        return [{"due": job.due, "data": job.data} for job in sorted(self._heap)
                if not job.cancelled and job.data is not None]

    def clear(self) -> None:
        self._heap.clear()
