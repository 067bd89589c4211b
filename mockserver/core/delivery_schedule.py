"""The webhook engine's bookkeeping under its lock (core/webhooks.py): putting a delivery in the
queue and taking the next due one, settling it, dropping what overflows the queue, waking the dispatcher,
and evicting the oldest finished deliveries from the log.

A part of WebhookEngine kept in a module of its own, as its dispatcher is (delivery_dispatch.py).
Every method here runs with the engine's `_cv` held. It reads the state the engine sets up:
`_deliveries`, `_unfinished`, `_queues`, `_busy`, `_threads`, `_ids`, the counters `_seq`, `_fresh`
and `dropped_count`, the bounds `max_unfinished`, `log_limit`, `per_receiver` and `workers`, the
conditions `_cv` and `_ready`, and `_closing`.
"""
from __future__ import annotations

import threading
from typing import Any

from mockserver.core.delivery_model import DROPPED, PENDING, UNFINISHED, Delivery


class DeliverySchedule:
    """The lock-held side of WebhookEngine (a base class of it; see the module's text)."""

    def _drop_overflow(self) -> list[dict[str, Any]]:
        """Keep at most max_unfinished deliveries waiting (a frozen clock or a dead receiver must not
        grow memory for ever): the oldest pending ones go, marked dropped; answers their views."""
        dropped = []
        if len(self._unfinished) <= self.max_unfinished:
            return dropped
        for delivery_id in list(self._unfinished):
            if len(self._unfinished) <= self.max_unfinished:
                break
            delivery = self._deliveries[delivery_id]
            if delivery.status == PENDING:  # one in flight finishes first
                self._fresh -= not delivery.attempts and not delivery.replay_next
                self.dropped_count += 1
                dropped.append(self._end_unsent(delivery, DROPPED))
        return dropped

    def _new_id(self) -> str:
        while True:
            candidate = "dlv_" + format(self._ids.getrandbits(96), "024x")
            if candidate not in self._deliveries:
                return candidate

    def _settle(self, delivery: Delivery, status: str) -> None:
        delivery.status, delivery.next_attempt_at = status, None
        self._unfinished.pop(delivery.id, None)

    def _end_unsent(self, delivery: Delivery, status: str) -> dict[str, Any]:
        """A delivery that ends without an attempt of its own (suppressed, dropped, or its attempt
        raised): settled and marked changed for flush; answers the view the observer is told."""
        self._settle(delivery, status)
        self._seq += 1
        delivery.changed_seq = self._seq
        return delivery.brief()

    def _schedule(self, delivery: Delivery, due: float) -> None:
        self._unfinished.setdefault(delivery.id, None)
        delivery.status = PENDING
        delivery.next_attempt_at = due
        delivery.version += 1
        self._seq += 1
        self._queues.push(delivery.target, (due, self._seq, delivery.id, delivery.version))

    def _live(self, entry: tuple[float, int, str, int]) -> bool:
        """Whether a queue entry is its delivery's next attempt (not rescheduled, reset or evicted since)."""
        delivery = self._deliveries.get(entry[2])
        return delivery is not None and delivery.version == entry[3] and delivery.status == PENDING

    def _next_due(self, free_only: bool) -> tuple[float, str] | None:
        """(due, receiver) of the earliest queued delivery, over receivers with a free share if asked."""
        if not free_only:
            return self._queues.next_due()
        return self._queues.next_due(lambda target: self._busy.get(target, 0) >= self.per_receiver)

    def _due(self, now: float) -> bool:
        head = self._next_due(free_only=False)
        return head is not None and head[0] <= now

    def _take_due(self, now: float) -> Delivery | None:
        """The earliest due delivery whose receiver has a free share of the attempts in flight."""
        head = self._next_due(free_only=True)
        if head is None or head[0] > now:
            return None
        return self._deliveries[self._queues.pop(head[1])]

    def _wake(self) -> None:
        """Start the dispatcher if it is not running (it exits when idle) and wake it when it
        waits: a delivery fell due, the clock moved, a flush or a restore."""
        if not self._closing and self._queues and not self._threads:
            thread = threading.Thread(target=self._dispatch, name="shop-sandbox-webhooks", daemon=True)
            self._threads.add(thread)
            thread.start()
        self._ready.notify()
        self._cv.notify_all()

    def _evict(self) -> None:
        """Keep the log near log_limit by forgetting the oldest finished deliveries (never unfinished)."""
        if len(self._deliveries) <= self.log_limit * 1.1:
            return
        excess = len(self._deliveries) - self.log_limit
        for delivery_id in [d.id for d in self._deliveries.values() if d.status not in UNFINISHED][:excess]:
            del self._deliveries[delivery_id]
