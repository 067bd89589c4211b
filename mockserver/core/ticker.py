"""Runs the scheduler's due work (tracking numbers, auto-progress, expiry pushes) when it falls due
on the sandbox clock, without waiting for a request.

Requests and clock moves still run due work first thing (Store.tick), so a test that advances the
clock sees the effects before its next call returns; the ticker covers a client that only waits,
with the clock running on real time. One thread, started when work is scheduled, ended when there
is nothing it could run by itself (no jobs, or a frozen clock: only a clock move makes those due).
"""
from __future__ import annotations

import threading
import time
from typing import Callable

from mockserver.core.clock import SandboxClock
from mockserver.core.scheduler import Scheduler

IDLE_EXIT_SECONDS = 5.0
MAX_SLEEP = 5.0  # re-read the clock at least this often (its offset may be moved)


class Ticker:
    def __init__(self, clock: SandboxClock, scheduler: Scheduler, run_due: Callable[[], None]) -> None:
        self._clock = clock
        self._scheduler = scheduler
        self._run_due = run_due
        self._cv = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False
        self.errors: list[BaseException] = []
        scheduler.on_schedule = self.wake
        clock.on_change(self.wake)

    def wake(self) -> None:
        """Something was scheduled or the clock moved: (re)consider the next due time."""
        with self._cv:
            if self._closed:
                return
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="shop-sandbox-ticker", daemon=True)
                self._thread.start()
            self._cv.notify_all()

    def close(self) -> None:
        with self._cv:
            self._closed = True
            self._cv.notify_all()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5)

    def _loop(self) -> None:
        idle_since = time.monotonic()
        while True:
            with self._cv:
                if self._closed:
                    self._thread = None
                    return
                due = self._scheduler.next_due()
                wait = None if due is None else due - self._clock.now()
                if wait is None or (wait > 0 and self._clock.frozen):
                    # Nothing can fall due by itself: only a schedule or a clock move wakes us.
                    if time.monotonic() - idle_since >= IDLE_EXIT_SECONDS:
                        self._thread = None
                        return
                    self._cv.wait(IDLE_EXIT_SECONDS)
                    continue
                if wait > 0:
                    self._cv.wait(min(wait, MAX_SLEEP))
                    continue
            try:
                self._run_due()  # takes the store's lock; never under the ticker's
            except Exception as exc:  # a job's bug must not end the ticker; keep it for inspection
                self.errors.append(exc)
                del self.errors[:-20]
            idle_since = time.monotonic()
