"""The webhook engine's dispatcher (core/webhooks.py): the one thread that takes due deliveries,
starts their attempts on the transport (core/delivery_transport.py), and records each attempt as
it ends, without the engine's lock while it sends.

A part of WebhookEngine kept in a module of its own (the engine holds the queue, the log and the
public calls; this, what its thread does). It reads the engine's state the engine sets up: its
conditions `_cv` and `_ready` (one lock), `clock`, `_post_given`, the counters `_busy`,
`_in_flight`, `_fresh`, `_seq` and `_generation`, `workers`, `_closing`, `_threads`, `observer` and
`hook_errors`, and the helpers every caller runs under `_cv` (core/delivery_schedule.py:
`_take_due`, `_next_due`, `_settle`, `_end_unsent`, `_schedule`, `_evict`).

At most `workers` attempts are in flight at once, and at most `per_receiver` of them to one
receiver. The policies' hooks and the observer run on the dispatcher's thread: a hook that waits
(for the store's lock, say) holds every delivery back meanwhile, so hooks stay short.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable

from mockserver.core.delivery_model import FAILED, SENDING, SUCCEEDED, SUPPRESSED, Attempt, Delivery

log = logging.getLogger("mockserver.core.webhooks")  # the engine's logger: one name for its messages
# A dispatcher with nothing in flight and nothing that can fall due by itself (empty queue, or a
# frozen clock) exits after this many real seconds; enqueue and clock changes start it again.
# Keeps idle apps threadless.
IDLE_EXIT_SECONDS = 5.0
# While attempts are in flight the dispatcher waits on their sockets, not on the queue: it looks
# for newly due deliveries at least this often (real seconds).
LOOK_SECONDS = 0.002

Token = tuple[Delivery, bool, float]  # (the delivery, whether a replay, when the attempt began)


class DeliveryDispatch:
    """The dispatcher's side of WebhookEngine (a base class of it; see the module's text)."""

    def _dispatch(self) -> None:
        from mockserver.core import curl_post, delivery_transport  # libcurl loads with the first delivery

        me = threading.current_thread()
        transport: Any = None  # made for the first attempt; closed (its connections too) when idle
        idle_since = time.monotonic()
        try:
            while True:
                sending = transport is not None and len(transport) > 0
                close_at = idle_since + curl_post.IDLE_SECONDS if transport is not None and not sending else None
                taken = self._take_batch(me, sending, idle_since, close_at)
                if taken is None:
                    return
                if close_at is not None and not taken and time.monotonic() >= close_at:
                    transport.close()  # nothing sent for a while: the receivers' connections go
                    transport = None
                    continue
                if taken and transport is None:
                    transport = (delivery_transport.CallTransport(self._post_given) if self._post_given
                                 else delivery_transport.CurlTransport())
                for delivery, replay in taken:
                    self._begin(transport, delivery, replay)
                ended = transport.finished(LOOK_SECONDS) if transport is not None and len(transport) else []
                for token, outcome in ended:
                    self._end(token, outcome)
                if taken or ended:
                    idle_since = time.monotonic()
        finally:
            if transport is not None:
                transport.close()

    def _take_batch(self, me: threading.Thread, sending: bool, idle_since: float,
                    until: float | None) -> list[tuple[Delivery, bool]] | None:
        """The due deliveries that fit in the free shares (marked sending). While nothing is in
        flight, waits for one, but not beyond `until` (monotonic; then answers none); None when
        the dispatcher should exit (closed, or idle long enough)."""
        taken: list[tuple[Delivery, bool]] = []
        with self._cv:
            while True:
                if self._closing and not sending:
                    self._threads.discard(me)
                    self._cv.notify_all()
                    return None
                now = self.clock.now()
                while not self._closing and self._in_flight < self.workers:
                    delivery = self._take_due(now)
                    if delivery is None:
                        break
                    self._fresh -= not delivery.attempts and not delivery.replay_next
                    taken.append((delivery, delivery.replay_next))
                    delivery.replay_next = False
                    delivery.status = SENDING
                    self._busy[delivery.target] = self._busy.get(delivery.target, 0) + 1
                    self._in_flight += 1
                if taken or sending:
                    return taken
                free, anything = self._next_due(free_only=True), self._next_due(free_only=False)
                if free is not None and not self.clock.frozen:
                    # A running sandbox clock moves at real speed: sleep until the next due time.
                    wait, may_exit = min(max(free[0] - now, 0.0), IDLE_EXIT_SECONDS), False
                else:
                    # Nothing falls due without a notify (enqueue, clock change); stay only while
                    # something is due.
                    wait = IDLE_EXIT_SECONDS
                    may_exit = anything is None or anything[0] > now
                if may_exit and time.monotonic() - idle_since >= IDLE_EXIT_SECONDS:
                    self._threads.discard(me)
                    return None
                if until is not None:
                    left = until - time.monotonic()
                    if left <= 0:
                        return taken
                    wait = min(wait, left)
                self._ready.wait(wait)

    def _begin(self, transport: Any, delivery: Delivery, replay: bool) -> None:
        """Start an attempt, unless the policy suppresses it."""
        try:
            policy = delivery.policy
            if policy.suppressed is not None:
                reason = self._call(policy.suppressed, delivery)
                if reason:
                    said = reason if isinstance(reason, str) else f"the {delivery.platform} policy will not send it"
                    delivery.suppressed_reason = said  # kept (its log entry shows why); the dispatcher owns it now
                    with self._cv:
                        current = delivery.generation == self._generation
                        view = self._end_unsent(delivery, SUPPRESSED) if current else None
                    if view is not None:
                        self._tell("delivery_ended", view, "suppressed", said)
                    self._release(delivery)
                    return
            transport.start((delivery, replay, self.clock.now()), delivery.url, delivery.headers, delivery.body,
                            policy.timeout)
        except Exception as exc:  # noqa: BLE001 - a bug of the engine's: the delivery fails, the dispatcher lives
            self._crashed(delivery, exc)
            self._release(delivery)

    def _end(self, token: Token, outcome: Any) -> None:
        delivery, replay, at = token
        try:
            if isinstance(outcome, BaseException):
                raise outcome
            self._record(delivery, replay, at, outcome)
        except Exception as exc:  # noqa: BLE001 - as in _begin
            self._crashed(delivery, exc)
        finally:
            self._release(delivery)

    def _release(self, delivery: Delivery) -> None:
        """The attempt's share of those in flight is free again (after its hooks ran: a flush that
        returns has seen them)."""
        with self._cv:
            self._busy[delivery.target] -= 1
            self._in_flight -= 1
            self._evict()
            self._cv.notify_all()  # a flush, replay or close waiting for attempts to end

    def _record(self, delivery: Delivery, replay: bool, at: float, result: Any) -> None:
        """An attempt that ended: verdict, the log, a retry or the end, the observer, the hooks."""
        policy, generation = delivery.policy, delivery.generation
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
        """An attempt that raised (the transport and the hooks never do): logged and kept with the
        hook errors, its delivery failed, so that neither the delivery nor the dispatcher is lost."""
        log.exception("webhook attempt of delivery %s failed inside the sandbox", delivery.id, exc_info=exc)
        with self._cv:
            self._keep_error(exc)
            if delivery.generation != self._generation or delivery.status != SENDING:
                return
            view = self._end_unsent(delivery, FAILED)
        self._tell("delivery_ended", view, "gave_up",
                   f"the sandbox failed while sending it: {type(exc).__name__}: {exc}")

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
