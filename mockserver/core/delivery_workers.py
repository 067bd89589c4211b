"""The webhook engine's workers (core/webhooks.py): the loop each worker thread runs, and one
attempt of a delivery, made without the engine's lock.

A part of WebhookEngine kept in a module of its own (the engine holds the queue, the log and the
public calls; this, what its threads do). It reads the engine's state the engine sets up: its
conditions `_cv` and `_ready` (one lock), `clock`, `_post`, the counters `_busy`, `_in_flight`,
`_fresh`, `_seq` and `_generation`, `_closing`, `_threads`, `observer` and `hook_errors`, and the
helpers every caller runs under `_cv` (core/delivery_schedule.py: `_take_due`, `_next_due`,
`_settle`, `_end_unsent`, `_schedule`, `_wake`, `_evict`).
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable

from mockserver.core.delivery_model import FAILED, SENDING, SUCCEEDED, SUPPRESSED, Attempt, Delivery

log = logging.getLogger("mockserver.core.webhooks")  # the engine's logger: one name for its messages
# A worker with nothing that can fall due by itself (empty queue, or a frozen clock) exits after
# this many real seconds; enqueue and clock changes start workers again. Keeps idle apps threadless.
IDLE_EXIT_SECONDS = 5.0


class DeliveryWorkers:
    """The worker threads' side of WebhookEngine (a base class of it; see the module's text)."""

    def _work(self) -> None:
        me = threading.current_thread()
        idle_since = time.monotonic()
        while True:
            with self._cv:
                while True:
                    if self._closing:
                        self._threads.discard(me)
                        self._cv.notify_all()
                        return
                    now = self.clock.now()
                    delivery = self._take_due(now)
                    if delivery is not None:
                        self._fresh -= not delivery.attempts and not delivery.replay_next
                        replay = delivery.replay_next
                        delivery.replay_next = False
                        delivery.status = SENDING
                        self._busy[delivery.target] = self._busy.get(delivery.target, 0) + 1
                        self._in_flight += 1
                        break
                    free, anything = self._next_due(free_only=True), self._next_due(free_only=False)
                    if free is not None and not self.clock.frozen:
                        # A running sandbox clock moves at real speed: sleep until the next due time.
                        wait, may_exit = min(max(free[0] - now, 0.0), IDLE_EXIT_SECONDS), False
                    else:
                        # Nothing falls due without a notify (enqueue, clock change, a finished
                        # attempt freeing a receiver's share); stay only while something is due.
                        wait = IDLE_EXIT_SECONDS
                        may_exit = anything is None or anything[0] > now
                    if may_exit and time.monotonic() - idle_since >= IDLE_EXIT_SECONDS:
                        self._threads.discard(me)
                        return
                    self._ready.wait(wait)
            try:
                self._attempt(delivery, replay)
            except Exception as exc:  # noqa: BLE001 - a bug of the engine's: the delivery fails, the worker lives
                self._crashed(delivery, exc)
            finally:
                with self._cv:
                    self._busy[delivery.target] -= 1
                    self._in_flight -= 1
                    self._evict()
                    self._cv.notify_all()  # a flush, replay or close waiting for attempts to end
                    if self._queues:
                        self._ready.notify()  # a worker the receiver's full share held back
            idle_since = time.monotonic()

    def _attempt(self, delivery: Delivery, replay: bool) -> None:
        """One attempt, without the engine's lock: suppressed check, HTTP, verdict, record, hooks."""
        policy, generation = delivery.policy, delivery.generation
        if policy.suppressed is not None:
            reason = self._call(policy.suppressed, delivery)
            if reason:
                said = reason if isinstance(reason, str) else f"the {delivery.platform} policy will not send it"
                delivery.suppressed_reason = said  # kept (its log entry shows why); this worker owns it now
                with self._cv:
                    if generation != self._generation:
                        return
                    view = self._end_unsent(delivery, SUPPRESSED)
                self._tell("delivery_ended", view, "suppressed", said)
                return
        at = self.clock.now()
        result = self._post(delivery.url, delivery.headers, delivery.body, policy.timeout)
        asked = Attempt(number=0, at=at, status=result.status, latency_ms=result.latency_ms,
                        response_excerpt=result.excerpt, error=result.error, detail=result.detail,
                        replay=replay)  # what the policy's verdict and note are asked about
        ok = bool(self._call(policy.is_success, asked))
        warning = self._call(policy.attempt_note, asked) if policy.attempt_note is not None else None
        dead = False
        retry_in = None
        with self._cv:
            if generation != self._generation:
                return  # reset while in flight: the old world's delivery is gone
            self._seq += 1
            # Made whole once (dataclasses.replace, twice an attempt, cost more than the rest of it).
            attempt = Attempt(number=len(delivery.attempts) + 1, at=at, status=result.status,
                              latency_ms=result.latency_ms, response_excerpt=result.excerpt, error=result.error,
                              detail=result.detail, ok=ok, replay=replay, warning=warning, seq=self._seq)
            delivery.attempts.append(attempt)
            delivery.suppressed_reason = None  # a replay that went out: no longer suppressed
            delivery.changed_seq = self._seq
            if ok:
                self._settle(delivery, SUCCEEDED)
            elif not replay and delivery.scheduled_failures < policy.max_attempts:
                delay = retry_in = policy.retry_delays[delivery.scheduled_failures - 1]
                # The delay counts from the attempt's start on the sandbox clock, so the schedule does
                # not depend on how long the exchange took or on the clock moving meanwhile.
                self._schedule(delivery, attempt.at + delay)
                self._wake()
            else:
                self._settle(delivery, FAILED)
                dead = not replay
            view = delivery.brief()
        self._tell("attempt", view, attempt.to_dict(), retry_in, attempt.warning)
        if dead:
            self._tell("delivery_ended", view, "gave_up",
                       f"{len(delivery.attempts)} attempts failed, the last {attempt.error or attempt.status}")
        if policy.on_attempt is not None:
            self._call(policy.on_attempt, delivery, attempt)
        if dead and policy.on_dead_letter is not None:
            self._call(policy.on_dead_letter, delivery)

    def _crashed(self, delivery: Delivery, exc: Exception) -> None:
        """An attempt that raised (post() and the hooks never do): logged and kept with the hook
        errors, its delivery failed, so that neither the delivery nor the thread is lost."""
        log.exception("webhook attempt of delivery %s failed inside the sandbox", delivery.id)
        with self._cv:
            self._keep_error(exc)
            if delivery.generation != self._generation or delivery.status != SENDING:
                return
            view = self._end_unsent(delivery, FAILED)
        self._tell("delivery_ended", view, "gave_up", f"the sandbox failed while sending it: {type(exc).__name__}: {exc}")

    def _tell(self, what: str, *args: Any) -> None:
        """The observer (the console), never under the engine's lock."""
        observer = self.observer
        if observer is not None:
            self._call(getattr(observer, what), *args)

    def _call(self, hook: Callable[..., Any], *args: Any) -> Any:
        try:
            return hook(*args)
        except Exception as exc:
            log.exception("webhook policy hook %r failed", hook)
            with self._cv:
                self._keep_error(exc)
            return None

    def _keep_error(self, exc: BaseException) -> None:
        """An error of a hook or of an attempt, kept for tests and the plugin (the newest 100);
        the caller holds `_cv`."""
        self.hook_errors.append(exc)
        del self.hook_errors[:-100]
