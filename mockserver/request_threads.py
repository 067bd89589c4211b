"""Threads for the requests that may wait on something other than Python (mockserver/server.py).

A request that may wait (a delay fault, a verification sent to a receiver, a flush, a batch being
planned) runs on one of these, so that granian's own thread goes on serving the rest. They start as
such requests come and find none idle, up to `most`, and end after `idle_seconds` without work.
Daemon threads: a request stuck on a long delay fault never keeps the process from exiting.
"""
from __future__ import annotations

import logging
import threading
from collections import deque
from typing import Any, Callable

log = logging.getLogger(__name__)


class RequestThreads:
    def __init__(self, most: int, idle_seconds: float, name: str = "shop-sandbox-request") -> None:
        self._most = max(1, most)
        self._idle_seconds = idle_seconds
        self._name = name
        self._jobs: deque[tuple[Callable[..., Any], tuple[Any, ...]]] = deque()
        self._ready = threading.Condition(threading.Lock())
        self._threads = 0
        self._idle = 0

    def submit(self, job: Callable[..., Any], *args: Any) -> None:
        """Run job(*args) on an idle thread, a new one while there are fewer than `most`, else on
        the first to come free. What job raises is logged; the thread goes on."""
        with self._ready:
            self._jobs.append((job, args))
            if len(self._jobs) > self._idle and self._threads < self._most:
                self._threads += 1
                threading.Thread(target=self._work, name=f"{self._name}-{self._threads}", daemon=True).start()
            else:
                self._ready.notify()

    def _work(self) -> None:
        while True:
            with self._ready:
                while not self._jobs:
                    self._idle += 1
                    try:
                        woken = self._ready.wait(self._idle_seconds)
                    finally:
                        self._idle -= 1
                    if not woken and not self._jobs:
                        self._threads -= 1
                        return
                job, args = self._jobs.popleft()
            try:
                job(*args)
            except Exception:  # noqa: BLE001 - one request's failure must not end the thread
                log.exception("a request failed outside the app's own error handling")
