"""The sandbox clock: real time by default; frozen, set or advanced through the admin API.

Every expiry, timeout and retry in platform code reads this clock, never time.time(), so a test
can move time instead of sleeping.
"""
from __future__ import annotations

import threading
import time
from typing import Callable


class SandboxClock:
    """Wall-clock time plus an offset, or a frozen instant."""

    def __init__(self, start: float | None = None, frozen: bool = False,
                 source: Callable[[], float] = time.time) -> None:
        self._source = source
        self._lock = threading.Lock()
        self._offset = 0.0 if start is None else start - source()
        # A clock started frozen stands exactly at `start` (freeze() would read the source again).
        self._frozen_at: float | None = (float(start) if start is not None else source()) if frozen else None
        self._listeners: list[Callable[[], None]] = []

    def now(self) -> float:
        frozen_at = self._frozen_at
        if frozen_at is not None:
            return frozen_at
        return self._source() + self._offset

    def now_int(self) -> int:
        return int(self.now())

    @property
    def frozen(self) -> bool:
        return self._frozen_at is not None

    def on_change(self, listener: Callable[[], None]) -> None:
        """Call listener after every freeze/advance/set (the store runs due work then)."""
        self._listeners.append(listener)

    def freeze(self) -> None:
        with self._lock:
            if self._frozen_at is None:
                self._frozen_at = self._source() + self._offset
        self._changed()

    def unfreeze(self) -> None:
        with self._lock:
            if self._frozen_at is not None:
                self._offset = self._frozen_at - self._source()
                self._frozen_at = None
        self._changed()

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the sandbox clock only moves forward")
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at += seconds
            else:
                self._offset += seconds
        self._changed()

    def set(self, now: float) -> None:
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at = float(now)
            else:
                self._offset = float(now) - self._source()
        self._changed()

    def real_time(self) -> None:
        """Back to the machine's time exactly, running (no offset, not frozen)."""
        with self._lock:
            self._offset = 0.0
            self._frozen_at = None
        self._changed()

    def state(self) -> dict:
        now = self.now()
        return {"now": int(now), "now_float": now, "frozen": self.frozen,
                "offset_seconds": round(now - self._source(), 3)}

    def export_state(self) -> dict:
        """For snapshots: the frozen instant, or the offset from real time of a running clock (a
        restored running clock goes on at real speed from where the saved one would be now)."""
        frozen_at = self._frozen_at
        return {"frozen_at": frozen_at} if frozen_at is not None else {"offset": self._offset}

    def restore_state(self, state: dict) -> None:
        with self._lock:
            if state.get("frozen_at") is not None:
                self._frozen_at = float(state["frozen_at"])
            else:
                self._frozen_at = None
                self._offset = float(state["offset"])
        self._changed()

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener()
