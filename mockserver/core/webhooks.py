"""Outbound webhooks for every platform: a queue, a dispatcher thread sending attempts side by side,
retries on the sandbox clock, a delivery log, replay, flush and an orderly close.

A platform registers a Policy (core/delivery_model.py) and enqueues deliveries; the engine knows
nothing about any platform. Guarantees:
- one slow or dead receiver never delays the others: at most `workers` attempts are in flight at
  once, a receiver (scheme://host:port) may occupy at most workers - 1 of them, and every attempt
  ends within its policy's timeout;
- at-least-once while the process lives: a delivery leaves the queue only when it succeeded, was
  suppressed or used its last retry; close() returns (and logs) every delivery still unfinished;
- retries fall due on the sandbox clock: moving the clock (SandboxClock.on_change) wakes the
  dispatcher, and with a frozen clock a retry waits until the clock is moved.

What the dispatcher's thread runs (its loop, an attempt's start and end) is
core/delivery_dispatch.py, the HTTP it drives core/delivery_transport.py; the bookkeeping every
caller does under the engine's lock (queue, settle, wake, evict), core/delivery_schedule.py.
"""
from __future__ import annotations

import logging
import random
import threading
import time
from typing import Any, Callable

from mockserver.core import delivery_http, delivery_pace, run_gate
from mockserver.core.clock import SandboxClock
from mockserver.core.delivery_queue import ReceiverQueues
from mockserver.core.delivery_schedule import DeliverySchedule
from mockserver.core.delivery_dispatch import DeliveryDispatch
from mockserver.core.delivery_model import (
    DEFAULT_POLICY,
    FAILED,
    PENDING,
    SENDING,
    STATUSES,
    SUCCEEDED,
    SUPPRESSED,
    UNFINISHED,
    Attempt,
    Delivery,
    Policy,
)

log = logging.getLogger(__name__)

MAX_UNFINISHED = 10_000


class EngineClosed(RuntimeError):
    """The engine was closed (the process is stopping): it takes no more work."""


class DeliveryBusy(RuntimeError):
    """A replay was asked for a delivery that is still pending or in flight."""


class WebhookEngine(DeliverySchedule, DeliveryDispatch):
    """One per Store: two apps in one process never share deliveries, workers or policies."""

    def __init__(self, clock: SandboxClock, workers: int = 4, log_limit: int = 10_000,
                 seed: int = 0, post: Callable[..., delivery_http.HttpResult] | None = None) -> None:
        if workers < 1:
            raise ValueError("the webhook engine needs at least one worker")
        self.clock = clock
        self.workers = workers  # attempts in flight at once
        # Any one receiver may use all shares but one, so a hanging receiver always leaves one for
        # the rest (with one worker there is nothing to spare).
        self.per_receiver = max(1, workers - 1)
        self.log_limit = log_limit
        # A blocking post(url, headers, body, timeout) to send with instead of libcurl (tests stand
        # in for HTTP so; each attempt then runs on a thread of its own, core/delivery_transport.py).
        self._post_given = post
        lock = threading.Lock()
        # Two conditions on the engine's one lock: the idle dispatcher waits on _ready, woken when
        # a delivery falls due; flush, replay and close wait on _cv for attempts to finish.
        self._cv = threading.Condition(lock)
        self._ready = threading.Condition(lock)
        self._threads: set[threading.Thread] = set()  # the dispatcher's, while it runs
        self._busy: dict[str, int] = {}  # receiver -> attempts in flight
        self._in_flight = 0
        self._closing = False
        self._seq = 0
        self._flushed_seq = 0  # the engine seq when the last flush ended
        self._generation = 0
        self.hook_errors: list[BaseException] = []
        # Told about every attempt and every delivery that ends unsent (core/console.py's Console),
        # with the delivery's brief() view.
        self.observer: Any = None
        # Deliveries waiting (pending or sending) at most; beyond, the oldest pending are dropped.
        self.max_unfinished = MAX_UNFINISHED
        self.dropped_count = 0
        # Hosts deliveries may go to (empty: any): names, IPs, or ".suffix" for a domain and below.
        self.outbound_allow: frozenset[str] = frozenset()
        self._reset_state(seed)
        clock.on_change(self._clock_changed)

    # ---- configuration -------------------------------------------------------------------------
    def register_policy(self, platform: str, policy: Policy) -> None:
        """The policy of a platform's deliveries (a platform's builder calls this after each reset)."""
        with self._cv:
            self._policies[platform] = policy

    def policy_for(self, platform: str) -> Policy:
        with self._cv:
            return self._policies.get(platform, DEFAULT_POLICY)

    def reset(self, seed: int = 0) -> None:
        """Forget every delivery, queued retry and policy (Store.reset, before the builders run).

        Attempts in flight finish, but their results and hooks are dropped: they belong to the old
        world, whose hooks must not touch the new one."""
        with self._cv:
            self._generation += 1
            self._reset_state(seed)
            self._cv.notify_all()
            self._ready.notify_all()

    def _reset_state(self, seed: int) -> None:
        self._deliveries: dict[str, Delivery] = {}  # creation order: newest last
        # Ids of pending and sending deliveries, oldest first: what a full queue drops first.
        self._unfinished: dict[str, None] = {}
        self._fresh = 0  # deliveries queued whose first attempt has not started yet (pace())
        self._queues = ReceiverQueues(self._live)
        self._policies: dict[str, Policy] = {}
        # Ids from a seeded generator: the same seed and the same enqueues give the same ids.
        self._ids = random.Random(f"shop-sandbox-webhooks:{seed}")

    def check_target(self, url: str) -> str:
        """The URL if the engine may send to it: a valid http(s) URL whose host the outbound
        allow-list (SHOP_SANDBOX_OUTBOUND_ALLOW) admits; ValueError naming the rule otherwise.
        Platforms call it where a callback URL is registered, to refuse it there."""
        delivery_http.check_url(url)
        if not delivery_http.host_permitted(url, self.outbound_allow):
            raise ValueError("the sandbox may not send to this host: SHOP_SANDBOX_OUTBOUND_ALLOW lists "
                             + ", ".join(sorted(self.outbound_allow)))
        return url

    # ---- snapshots (world/snapshot.py) ----------------------------------------------------------
    @property
    def change_seq(self) -> int:
        """Grows with every enqueue, attempt and schedule change: whether deliveries changed."""
        return self._seq

    def export_state(self) -> dict[str, Any]:
        """Every delivery in the log as data, and the id generator's state."""
        from mockserver.core.delivery_records import to_record
        from mockserver.world.snapshot_codec import rng_state

        with self._cv:
            now = self.clock.now()
            return {"ids": rng_state(self._ids), "dropped_count": self.dropped_count,
                    "deliveries": [to_record(d, now) for d in self._deliveries.values()]}

    def restore_state(self, ids: Any, dropped_count: int, deliveries: list[Delivery]) -> None:
        """After reset(): the deliveries of a snapshot (from_record), pending ones queued again at
        their next-attempt time. The policies are the platforms' registered ones."""
        with self._cv:
            self._ids.setstate(ids)
            self.dropped_count = dropped_count
            for delivery in deliveries:
                delivery.generation = self._generation
                delivery.policy = self._policies.get(delivery.platform, DEFAULT_POLICY)
                self._deliveries[delivery.id] = delivery
                if delivery.status == PENDING:
                    self._schedule(delivery, delivery.next_attempt_at)
                    self._fresh += not delivery.attempts
            self._flushed_seq = self._seq
            self._wake()

    # ---- enqueue, read -------------------------------------------------------------------------
    def enqueue(self, platform: str, url: str, body: bytes | str, headers: dict[str, str] | None = None,
                event: str = "", meta: dict[str, Any] | None = None, policy: Policy | None = None) -> Delivery:
        """Queue a delivery; its first attempt is due now. ValueError on a bad URL or header."""
        return self._enqueue(platform, url, body, headers, event, meta, policy, view=False)[0]

    def enqueue_view(self, platform: str, url: str, body: bytes | str, headers: dict[str, str] | None = None,
                     event: str = "", meta: dict[str, Any] | None = None) -> dict[str, Any]:
        """enqueue(), answering the delivery as it was queued (the dispatcher may already be sending it)."""
        return self._enqueue(platform, url, body, headers, event, meta, None, view=True)[1] or {}

    def _enqueue(self, platform: str, url: str, body: bytes | str, headers: dict[str, str] | None,
                 event: str, meta: dict[str, Any] | None, policy: Policy | None,
                 view: bool) -> tuple[Delivery, dict[str, Any] | None]:
        if not platform or not isinstance(platform, str):
            raise ValueError("platform should be a non-empty string")
        self.check_target(url)
        headers = delivery_http.check_headers(headers or {})
        payload = body.encode("utf-8") if isinstance(body, str) else bytes(body)
        with self._cv:
            if self._closing:
                raise EngineClosed("the webhook engine is closed")
            delivery = Delivery(id=self._new_id(), platform=platform, event=event, url=url, headers=headers,
                                body=payload, created_at=self.clock.now(),
                                policy=policy or self._policies.get(platform, DEFAULT_POLICY),
                                target=delivery_http.target_key(url), meta=dict(meta or {}),
                                generation=self._generation)
            self._deliveries[delivery.id] = delivery
            self._schedule(delivery, delivery.created_at)
            self._fresh += 1
            dropped = self._drop_overflow()
            snapshot = delivery.to_dict() if view else None
            self._wake()
        for view_of_dropped in dropped:
            self._tell("delivery_ended", view_of_dropped, "dropped",
                       f"more than {self.max_unfinished} deliveries were waiting: the oldest is dropped unsent")
        return delivery, snapshot

    @property
    def unsent(self) -> int:
        """Deliveries queued whose first attempt has not started yet."""
        return self._fresh

    def pace(self) -> None:
        """For a request that queued deliveries, after it let go of every lock: pause a moment
        while many wait for their first attempt, so the deliveries keep up (core/delivery_pace.py)."""
        pause = delivery_pace.pause_for(self._fresh)  # read without the lock: a hint
        if pause:
            with run_gate.released():  # other requests may run; the dispatcher gets the interpreter
                time.sleep(pause)

    def record(self, platform: str, url: str, body: bytes, headers: dict[str, str], result: delivery_http.HttpResult,
               ok: bool, at: float, event: str = "", meta: dict[str, Any] | None = None) -> str:
        """Log an exchange a platform made itself (an endpoint verification that must not wait for
        the dispatcher) as a finished delivery of one attempt, so the admin sees what the target answered
        while the platform's error message need not repeat it. Answers the delivery id."""
        policy = Policy(f"{platform}-verification", retry_delays=())
        with self._cv:
            self._seq += 1
            attempt = Attempt(number=1, at=at, status=result.status, latency_ms=result.latency_ms,
                              response_excerpt=result.excerpt, error=result.error, detail=result.detail,
                              ok=ok, seq=self._seq)
            delivery = Delivery(id=self._new_id(), platform=platform, event=event, url=url, headers=dict(headers),
                                body=body, created_at=at, policy=policy, target=delivery_http.target_key(url),
                                meta=dict(meta or {}), status=SUCCEEDED if ok else FAILED, attempts=[attempt],
                                generation=self._generation)  # changed_seq 0: settled before any flush
            self._deliveries[delivery.id] = delivery
            self._evict()
            view = delivery.brief()
        self._tell("attempt", view, attempt.to_dict(), None, None)
        return delivery.id

    def delivery(self, delivery_id: str) -> Delivery | None:
        """The live record (for platform code; read it, do not change it)."""
        with self._cv:
            return self._deliveries.get(delivery_id)

    def get(self, delivery_id: str) -> dict[str, Any] | None:
        with self._cv:
            delivery = self._deliveries.get(delivery_id)
            return None if delivery is None else delivery.to_dict()

    def list(self, platform: str | None = None, status: str | None = None, target: str | None = None,
             event: str | None = None, limit: int = 100, contains: bytes | None = None,
             offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
        """(how many match, `limit` of them from the `offset`-th newest, as summaries). target
        matches a URL prefix; contains, a part of the body (an order number: its webhooks)."""
        with self._cv:
            found = [d for d in reversed(self._deliveries.values())
                     if (platform is None or d.platform == platform) and (status is None or d.status == status)
                     and (event is None or d.event == event) and (target is None or d.url.startswith(target))
                     and (contains is None or contains in d.body)]
            return len(found), [d.summary() for d in found[offset:offset + limit]]

    def counts(self) -> dict[str, int]:
        with self._cv:
            counts = dict.fromkeys(STATUSES, 0)
            for delivery in self._deliveries.values():
                counts[delivery.status] += 1
            return counts

    # ---- replay, flush, close ------------------------------------------------------------------
    def replay(self, delivery_id: str, wait: bool = True, timeout: float | None = None) -> dict[str, Any] | None:
        """Send a finished delivery again now, once (same id, attempts appended); None if unknown.

        A replay uses no retry and never dead-letters again; the suppressed check still applies.
        With wait, returns after the attempt (bounded by timeout, default twice the policy's + 5 s)."""
        with self._cv:
            delivery = self._deliveries.get(delivery_id)
            if delivery is None:
                return None
            if self._closing:
                raise EngineClosed("the webhook engine is closed")
            if delivery.status in UNFINISHED:
                raise DeliveryBusy(f"delivery {delivery_id} is {delivery.status}")
            delivery.replay_next = True
            self._schedule(delivery, self.clock.now())
            self._wake()
            if wait:
                limit = timeout if timeout is not None else 2 * delivery.policy.timeout + 5
                with run_gate.released():
                    self._cv.wait_for(lambda: delivery.status not in UNFINISHED, timeout=limit)
            return delivery.to_dict()

    def flush(self, timeout: float = 60.0) -> dict[str, Any]:
        """Deliver everything due now (retries included), wait for those attempts, then summarise.

        Waits until no attempt is in flight and nothing is due at the flush's sandbox time (a retry
        scheduled later is not waited for), or timeout real seconds (timed_out: true). Reports every
        delivery attempted (or suppressed) since the previous flush: the dispatcher starts at enqueue,
        so a delivery may have been sent before the flush that a test calls right after enqueue.
        Never call it holding the store's lock: a hook waiting for that lock would stall it."""
        with self._cv:
            if self._closing:
                raise EngineClosed("the webhook engine is closed")
            since, now = self._flushed_seq, self.clock.now()
            self._wake()
            with run_gate.released():  # the attempts' hooks may need a request's turn
                timed_out = not self._cv.wait_for(lambda: not self._in_flight and not self._due(now),
                                                  timeout=timeout)
            self._flushed_seq = self._seq
            touched = sorted((d for d in self._deliveries.values() if d.changed_seq > since),
                             key=lambda d: d.changed_seq)
            views = [d.summary() for d in touched]
            unfinished = sum(1 for d in self._deliveries.values() if d.status in UNFINISHED)
        by_status = {s: sum(1 for v in views if v["status"] == s) for s in STATUSES}
        return {"attempted": len(views), "succeeded": by_status[SUCCEEDED], "failed": by_status[FAILED],
                "retrying": by_status[PENDING] + by_status[SENDING], "suppressed": by_status[SUPPRESSED],
                "unfinished": unfinished, "timed_out": timed_out, "deliveries": views}

    def close(self, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Stop: no new attempts; wait (up to timeout) for those in flight; report what is unfinished.

        The unfinished deliveries are logged with their ids and returned, never dropped silently."""
        deadline = time.monotonic() + timeout
        with self._cv:
            self._closing = True
            self._cv.notify_all()
            self._ready.notify_all()
            with run_gate.released():
                self._cv.wait_for(lambda: not self._in_flight, timeout=timeout)
            unfinished = [d.summary() for d in self._deliveries.values() if d.status in UNFINISHED]
            dispatchers = [t for t in self._threads if t is not threading.current_thread()]
        with run_gate.released():
            for thread in dispatchers:  # it closes the receivers' connections as it exits
                thread.join(max(0.0, deadline - time.monotonic()))
        if unfinished:  # bounded: a count and a few examples, whatever the backlog
            log.warning("webhook engine stopped with %d unfinished deliveries, e.g. %s", len(unfinished),
                        ", ".join(f"{v['id']} ({v['status']}, {v['platform']} {v['event']} -> {v['url']})"
                                  for v in unfinished[:5]))
        return unfinished

    def _clock_changed(self) -> None:
        with self._cv:
            self._wake()
