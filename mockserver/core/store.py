"""The world's state: one lock, one clock, one scheduler, and a backend per platform.

The core knows no platform: app.py registers a builder per platform name, and reset() rebuilds
every backend from the seed. Two apps in one process each have their own Store.
"""
from __future__ import annotations

import threading
import time
from typing import Any, Callable

from mockserver.core.clock import SandboxClock
from mockserver.core.console import Console
from mockserver.core.events import EventBus
from mockserver.core.faults import FaultBook
from mockserver.core.journal import Journal
from mockserver.core.scheduler import Scheduler
from mockserver.core.ticker import Ticker
from mockserver.core.webhooks import WebhookEngine
from mockserver.settings import Settings

Builder = Callable[["Store"], Any]
# A platform's backend from its part of a snapshot (world/snapshot.py): (staging store, data) -> backend.
Loader = Callable[[Any, Any], Any]


class Store:
    def __init__(self, settings: Settings, builders: dict[str, Builder],
                 loaders: dict[str, Loader] | None = None,
                 layers: tuple[Callable[["Store"], None], ...] = ()) -> None:
        self.settings = settings
        self.started_wall, self.started_monotonic = time.time(), time.monotonic()
        self.lock = threading.RLock()
        self.clock = SandboxClock(start=settings.clock_start, frozen=settings.clock_frozen)
        self.scheduler = Scheduler()
        # Outbound webhooks of every platform (SHOP_SANDBOX_WEBHOOK_WORKERS: attempts in flight at once).
        workers = settings.webhook_workers
        self.webhooks = WebhookEngine(self.clock, workers=int(workers), seed=settings.seed)
        # Injected faults (admin /_sandbox/faults); a reset clears them with the rest of the world.
        self.faults = FaultBook(settings.seed)
        # Platform requests, for tests that verify what a client sent.
        self.journal = Journal(max_bytes=settings.journal_max_bytes)
        self.console = Console(fmt=settings.log_format, quiet=settings.quiet, enabled=settings.console)
        self.webhooks.observer = self.console  # a line per webhook attempt
        self.journal.on_evict = lambda total: self.console.dropped(
            "journal_evicted", total, "the request journal dropped its oldest entry (bounded by "
            f"{self.journal.limit} entries and {self.journal.max_bytes // 1_000_000} MB; SHOP_SANDBOX_JOURNAL_MAX_BYTES)")
        self.webhooks.outbound_allow = frozenset(h.strip().lower() for h in settings.outbound_allow.split(",")
                                                 if h.strip())
        # Strict mode (core/warnings.py): the setting, or a test's choice until the next reset.
        self.strict = settings.strict
        self._builders = dict(builders)
        self.loaders = dict(loaders or {})
        # Bumped by every request that may change the world, and by reset and import: with the
        # webhook engine's and the scheduler's counters, it tells a saver whether to save.
        self.changes = 0
        # What is laid over the seeded worlds after each build (a world file: world/file_build.py).
        self.layers = tuple(layers)
        self.backends: dict[str, Any] = {}
        self.seed = settings.seed
        self.clock.on_change(self.tick)
        # Due work runs on the sandbox clock also when no request comes (a client that only waits).
        self.ticker = Ticker(self.clock, self.scheduler, self.tick)
        self.reset()

    def reset(self, seed: int | None = None) -> None:
        """Rebuild every platform's world from the seed (the current one when None)."""
        with self.lock:
            if seed is not None:
                self.seed = seed
            self.scheduler.clear()
            self.strict = self.settings.strict
            self.faults.reset(self.seed)
            self.journal.reset()
            self.webhooks.reset(self.seed)  # before the builders: they register their policies again
            self.events = EventBus()
            self.backends = {}
            for name, build in self._builders.items():
                self.backends[name] = build(self)
            for layer in self.layers:
                layer(self)
            self.changes += 1

    def change_mark(self) -> tuple[Any, ...]:
        """Differs from an earlier mark when the world may have changed since (cheap, no lock)."""
        return (self.changes, self.webhooks.change_seq, self.scheduler.ran, self.clock.export_state())

    def world_epoch(self) -> int:
        """The instant every seeded world's dates lead up to: settings.epoch, else 00:00 UTC of the
        clock's day (same seed and same day give the same data; the dates stay recent)."""
        if self.settings.epoch is not None:
            return int(self.settings.epoch)
        now = self.clock.now_int()
        return now - now % 86400

    def backend(self, name: str) -> Any:
        return self.backends[name]

    def tick(self) -> None:
        """Run the scheduled work that is due on the sandbox clock."""
        with self.lock:
            self.scheduler.run_due(self.clock.now())

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {name: backend.snapshot() for name, backend in self.backends.items()}
