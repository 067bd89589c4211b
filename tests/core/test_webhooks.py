"""The outbound webhook engine: delivery intact, retries on the sandbox clock, dead-letter, isolation
of a hanging receiver, errors recorded, replay, flush, close, reset, suppression."""
from __future__ import annotations

import logging
import re
import socket
import time

import pytest

from mockserver.core.clock import SandboxClock
from mockserver.core.delivery_model import (
    FAILED,
    PENDING,
    SENDING,
    SUCCEEDED,
    SUPPRESSED,
    Policy,
)
from mockserver.core.webhooks import DeliveryBusy, EngineClosed, WebhookEngine
from mockserver.testing import Reply, WebhookInbox

T0 = 1_795_000_000
FAST = Policy("test", timeout=0.3, retry_delays=(10, 60))
# For tests about something other than timeouts: a 2-core CI box running the whole suite can take
# longer than FAST's 0.3 s to schedule a receiver thread, which would turn a success or a reset
# into a timeout.
ROOMY = Policy("test", timeout=5.0, retry_delays=(10, 60))


@pytest.fixture
def clock() -> SandboxClock:
    return SandboxClock(start=T0, frozen=True)


@pytest.fixture
def engine(clock):
    engine = WebhookEngine(clock, workers=4, seed=7)
    yield engine
    engine.close(timeout=2)
    assert engine.hook_errors == []


@pytest.fixture
def inbox():
    with WebhookInbox() as inbox:
        yield inbox


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---- one delivery ------------------------------------------------------------------------------
def test_a_delivery_arrives_with_its_headers_and_body_intact(engine, inbox):
    inbox.respond(Reply(200, body="received"))
    body = '{"shop_id":1,"note":"台北 ✓"}'.encode()
    headers = {"Content-Type": "application/json", "Authorization": "abc123", "X-Custom-Header": "a b,c"}
    delivery = engine.enqueue("test", inbox.url_for("/hook?x=1&y="), body, headers, event="order.status",
                              meta={"shop_id": 1}, policy=FAST)
    engine.flush()

    got, = inbox.received
    assert (got.method, got.path, got.query) == ("POST", "/hook", {"x": ["1"], "y": [""]})
    assert got.body == body
    assert {k: v for k, v in got.headers.items() if k not in ("Host", "Content-Length")} == headers
    assert got.header("content-length") == str(len(body))
    view = engine.get(delivery.id)
    assert view["status"] == SUCCEEDED and view["event"] == "order.status" and view["meta"] == {"shop_id": 1}
    attempt, = view["attempts"]
    assert attempt["status"] == 200 and attempt["ok"] and attempt["error"] is None
    assert attempt["at"] == T0 and attempt["latency_ms"] > 0
    assert attempt["response_excerpt"] == "received"


def test_the_response_excerpt_keeps_the_first_500_bytes(engine, inbox):
    inbox.respond(Reply(200, body="é" * 400))  # 800 bytes; the cut falls inside a character
    delivery = engine.enqueue("test", inbox.url, b"{}", policy=FAST)
    engine.flush()
    excerpt = engine.get(delivery.id)["attempts"][0]["response_excerpt"]
    assert excerpt == "é" * 250


def test_ids_are_dlv_and_24_hex_and_follow_the_seed(clock, inbox):
    first, second = WebhookEngine(clock, seed=3), WebhookEngine(clock, seed=3)
    ids = [first.enqueue("test", inbox.url, b"").id for _ in range(3)]
    assert ids == [second.enqueue("test", inbox.url, b"").id for _ in range(3)]
    assert len(set(ids)) == 3 and all(re.fullmatch(r"dlv_[0-9a-f]{24}", i) for i in ids)
    first.close(), second.close()


@pytest.mark.parametrize("url", ["ftp://example.com/", "/relative", "http:///nohost", "http://a b/"])
def test_a_url_the_engine_cannot_send_to_is_refused_at_enqueue(engine, url):
    with pytest.raises(ValueError):
        engine.enqueue("test", url, b"")
    assert engine.list()[0] == 0


def test_a_header_with_a_line_break_is_refused_at_enqueue(engine, inbox):
    with pytest.raises(ValueError):
        engine.enqueue("test", inbox.url, b"", {"X-A": "1\r\nX-Injected: 2"})
    assert engine.list()[0] == 0


# ---- retries on the sandbox clock --------------------------------------------------------------
def test_retries_go_out_only_when_the_sandbox_clock_reaches_them(engine, clock, inbox):
    inbox.script([500, 500, 200])
    delivery = engine.enqueue("test", inbox.url, b"x", policy=FAST)
    engine.flush()
    assert len(inbox.received) == 1
    assert engine.get(delivery.id)["next_attempt_at"] == T0 + 10

    clock.advance(9.5)
    engine.flush()
    with pytest.raises(AssertionError):
        inbox.wait_for(2, timeout=0.2)  # the clock is frozen: real time passing sends nothing
    clock.advance(0.5)
    engine.flush()
    assert len(inbox.received) == 2
    clock.advance(59)
    engine.flush()
    assert len(inbox.received) == 2
    clock.advance(1)
    summary = engine.flush()

    assert len(inbox.received) == 3
    assert summary["succeeded"] == 1 and summary["deliveries"][0]["id"] == delivery.id
    view = engine.get(delivery.id)
    assert view["status"] == SUCCEEDED and view["next_attempt_at"] is None
    assert [(a["at"], a["status"], a["ok"]) for a in view["attempts"]] == [
        (T0, 500, False), (T0 + 10, 500, False), (T0 + 70, 200, True)]
    assert {r.body for r in inbox.received} == {b"x"}


def test_advancing_the_clock_wakes_the_workers_without_a_flush(engine, clock, inbox):
    inbox.script([500, 200])
    engine.enqueue("test", inbox.url, b"x", policy=FAST)
    engine.flush()  # the first attempt is recorded
    time.sleep(0.2)  # real time, not sandbox time: let every worker go back to its (5 s) wait
    clock.advance(10)
    inbox.wait_for(2, timeout=2)  # well before the workers' 5 s idle wake-up


def test_on_a_running_clock_a_retry_goes_out_when_its_time_comes(inbox):
    engine = WebhookEngine(SandboxClock(start=T0), seed=1)
    inbox.script([500, 200])
    engine.enqueue("test", inbox.url, b"x", policy=Policy("quick", timeout=0.3, retry_delays=(0.3,)))
    first, second = inbox.wait_for(2, timeout=3)
    assert second.received_at - first.received_at >= 0.25
    engine.close()


def test_after_the_last_retry_the_delivery_is_dead_lettered_and_the_hook_called(engine, clock, inbox):
    inbox.respond(503)
    attempts, dead = [], []
    policy = Policy("test", timeout=0.3, retry_delays=(5,), on_attempt=lambda d, a: attempts.append((d.id, a.ok)),
                    on_dead_letter=lambda d: dead.append((d.id, d.status, len(d.attempts))))
    delivery = engine.enqueue("test", inbox.url, b"x", policy=policy)
    engine.flush()
    assert dead == [] and engine.get(delivery.id)["status"] == PENDING
    clock.advance(5)
    summary = engine.flush()

    assert summary["failed"] == 1
    assert dead == [(delivery.id, FAILED, 2)]
    assert attempts == [(delivery.id, False), (delivery.id, False)]
    view = engine.get(delivery.id)
    assert view["status"] == FAILED and view["next_attempt_at"] is None
    clock.advance(3600)
    engine.flush()
    assert len(inbox.received) == 2 and len(dead) == 1


def test_a_custom_verdict_decides_success(engine, inbox):
    inbox.respond(Reply(200, body='{"ok":false}'))
    policy = Policy("strict", timeout=0.3, retry_delays=(), is_success=lambda a: a.status == 200
                    and '"ok":true' in a.response_excerpt)
    delivery = engine.enqueue("test", inbox.url, b"", policy=policy)
    engine.flush()
    assert engine.get(delivery.id)["status"] == FAILED


def test_a_registered_policy_applies_to_its_platform_only(engine, inbox):
    engine.register_policy("plat", Policy("plat-policy", timeout=0.3, retry_delays=(1, 2, 3, 4)))
    mine, other = engine.enqueue("plat", inbox.url, b""), engine.enqueue("else", inbox.url, b"")
    assert engine.get(mine.id)["policy"] == "plat-policy" and engine.get(mine.id)["max_attempts"] == 5
    assert engine.get(other.id)["policy"] == "default" and engine.get(other.id)["retry_delays_seconds"] == [10, 60, 300]


# ---- failures recorded -------------------------------------------------------------------------
def test_connection_refused_is_recorded_and_retried(engine):
    delivery = engine.enqueue("test", f"http://127.0.0.1:{_closed_port()}/", b"", policy=FAST)
    engine.flush()
    attempt = engine.get(delivery.id)["attempts"][0]
    assert attempt["error"] == "connection refused" and attempt["status"] is None and not attempt["ok"]
    assert engine.get(delivery.id)["status"] == PENDING


def test_a_dropped_connection_is_recorded_as_a_reset(engine, inbox):
    inbox.respond(Reply.dropped())
    delivery = engine.enqueue("test", inbox.url, b"x", policy=ROOMY)
    engine.flush()
    attempt = engine.get(delivery.id)["attempts"][0]
    assert attempt["error"] == "connection reset" and attempt["status"] is None
    assert len(inbox.received) == 1


def test_an_answer_slower_than_the_timeout_is_a_timeout_even_if_2xx(engine, inbox):
    inbox.respond(Reply.hang(1.0, status=200))
    delivery = engine.enqueue("test", inbox.url, b"x", policy=FAST)
    started = time.monotonic()
    engine.flush()
    assert 0.25 < time.monotonic() - started < 0.9  # bounded by the policy's timeout, in real seconds
    attempt = engine.get(delivery.id)["attempts"][0]
    assert attempt["error"] == "timeout" and not attempt["ok"] and attempt["latency_ms"] >= 250


def test_a_hanging_receiver_does_not_delay_another(engine, inbox):
    with WebhookInbox(reply=Reply.hang(1.0)) as slow:
        # More deliveries to the slow receiver than there are workers: it may hold only workers - 1.
        stuck = [engine.enqueue("test", slow.url, b"slow", policy=FAST) for _ in range(5)]
        slow.wait_for(3)
        started = time.time()
        engine.enqueue("test", inbox.url, b"fast", policy=FAST)
        fast, = inbox.wait_for(1, timeout=1)
        assert fast.received_at - started < 0.2
        assert sum(engine.delivery(d.id).status == SENDING for d in stuck) == 3  # still hanging
        engine.flush()
    assert all(engine.get(d.id)["attempts"][0]["error"] == "timeout" for d in stuck)


# ---- replay, flush, close, reset ---------------------------------------------------------------
def test_replay_keeps_the_id_and_appends_an_attempt(engine, clock, inbox):
    inbox.script([500, 500, 500])
    dead = []
    policy = Policy("test", timeout=0.3, retry_delays=(10, 60), on_dead_letter=dead.append)
    delivery = engine.enqueue("test", inbox.url, b"payload", {"X-Sig": "s"}, policy=policy)
    engine.flush(), clock.advance(10), engine.flush(), clock.advance(60), engine.flush()
    assert engine.get(delivery.id)["status"] == FAILED and len(dead) == 1

    view = engine.replay(delivery.id)
    assert view["id"] == delivery.id and view["status"] == SUCCEEDED
    assert [(a["number"], a["replay"]) for a in view["attempts"]] == [(1, False), (2, False), (3, False), (4, True)]
    assert inbox.received[-1].body == b"payload" and inbox.received[-1].header("x-sig") == "s"
    inbox.respond(500)
    view = engine.replay(delivery.id)
    assert view["status"] == FAILED and len(view["attempts"]) == 5
    assert len(dead) == 1  # a replay never dead-letters again
    assert engine.replay("dlv_unknown") is None


def test_a_pending_delivery_cannot_be_replayed(engine, inbox):
    inbox.respond(500)
    delivery = engine.enqueue("test", inbox.url, b"", policy=FAST)
    engine.flush()
    with pytest.raises(DeliveryBusy):
        engine.replay(delivery.id)
    assert len(engine.get(delivery.id)["attempts"]) == 1


def test_flush_returns_once_every_due_attempt_finished(engine, inbox):
    inbox.respond(Reply.hang(0.1))
    ids = [engine.enqueue("test", inbox.url, b"", policy=ROOMY).id for _ in range(6)]
    summary = engine.flush()
    assert summary["attempted"] == 6 and summary["succeeded"] == 6 and not summary["timed_out"]
    assert summary["unfinished"] == 0 and {d["id"] for d in summary["deliveries"]} == set(ids)
    assert all(engine.get(i)["status"] == SUCCEEDED for i in ids)


def test_close_reports_unfinished_deliveries_and_refuses_more(clock, inbox, caplog):
    engine = WebhookEngine(clock, seed=1)
    inbox.respond(500)
    retrying = engine.enqueue("test", inbox.url, b"", event="e1", policy=FAST)
    engine.flush()
    inbox.respond(200, path="/ok")
    done = engine.enqueue("test", inbox.url_for("/ok"), b"", policy=Policy("x", retry_delays=()))
    engine.flush()
    with caplog.at_level(logging.WARNING, logger="mockserver.core.webhooks"):
        unfinished = engine.close()
    assert [d["id"] for d in unfinished] == [retrying.id]
    assert retrying.id in caplog.text and done.id not in caplog.text
    with pytest.raises(EngineClosed):
        engine.enqueue("test", inbox.url, b"")


def test_close_lets_an_attempt_in_flight_finish(clock, inbox):
    engine = WebhookEngine(clock, seed=1)
    inbox.respond(Reply.hang(0.2))
    delivery = engine.enqueue("test", inbox.url, b"", policy=ROOMY)  # FAST's 0.3 s: a busy box times out
    inbox.wait_for(1)
    assert engine.close() == []
    assert engine.get(delivery.id)["status"] == SUCCEEDED


def test_reset_forgets_deliveries_queue_and_policies(engine, clock, inbox):
    inbox.respond(500)
    engine.register_policy("plat", FAST)
    delivery = engine.enqueue("plat", inbox.url, b"")
    engine.flush()
    engine.reset(seed=7)
    assert engine.get(delivery.id) is None and engine.list()[0] == 0
    assert engine.policy_for("plat").name == "default"
    clock.advance(3600)
    engine.flush()
    assert len(inbox.received) == 1  # the forgotten retry never goes out


def test_the_log_forgets_the_oldest_finished_deliveries_first(clock, inbox):
    # One worker: attempts end in the order they were queued, so "oldest finished" is the same
    # delivery however the threads are scheduled (with four, ids[0] could finish last under load).
    engine = WebhookEngine(clock, workers=1, seed=1, log_limit=10)
    inbox.respond(500, path="/never")
    stuck = engine.enqueue("test", inbox.url_for("/never"), b"", policy=FAST)
    ids = [engine.enqueue("test", inbox.url, b"").id for _ in range(30)]
    engine.flush()
    assert engine.list()[0] <= 11
    assert engine.get(stuck.id) is not None  # an unfinished delivery is never forgotten
    assert engine.get(ids[0]) is None and engine.get(ids[-1]) is not None
    engine.close()


# ---- suppression and hooks ---------------------------------------------------------------------
def test_a_suppressed_delivery_is_not_sent_and_stops_its_retries(engine, clock, inbox):
    suspended = {"on": True}
    policy = Policy("test", timeout=0.3, retry_delays=(10,), suppressed=lambda d: suspended["on"])
    muted = engine.enqueue("test", inbox.url, b"", policy=policy)
    engine.flush()
    assert engine.get(muted.id)["status"] == SUPPRESSED and inbox.received == []

    suspended["on"] = False
    inbox.respond(500)
    later = engine.enqueue("test", inbox.url, b"", policy=policy)
    engine.flush()
    suspended["on"] = True
    clock.advance(10)
    engine.flush()
    assert engine.get(later.id)["status"] == SUPPRESSED and len(inbox.received) == 1


def test_a_failing_hook_is_kept_and_the_worker_goes_on(clock, inbox):
    engine = WebhookEngine(clock, workers=1, seed=1)

    def broken(_delivery, _attempt):
        raise RuntimeError("hook bug")

    policy = Policy("test", timeout=0.3, on_attempt=broken)
    ids = [engine.enqueue("test", inbox.url, b"", policy=policy).id for _ in range(2)]
    engine.flush()
    assert [engine.get(i)["status"] for i in ids] == [SUCCEEDED, SUCCEEDED]
    assert [str(e) for e in engine.hook_errors] == ["hook bug", "hook bug"]
    engine.close()


def test_a_body_that_is_not_utf8_is_shown_as_base64(engine, inbox):
    delivery = engine.enqueue("test", inbox.url, b"\xff\x00ok", policy=FAST)
    view = engine.get(delivery.id)
    assert view["body_base64"] == "/wBvaw==" and view["body_size"] == 4
    assert "body_base64" not in engine.get(engine.enqueue("test", inbox.url, "ü").id)


def test_idle_workers_exit_and_a_clock_change_brings_them_back(clock, inbox, monkeypatch):
    from mockserver.core import delivery_dispatch

    monkeypatch.setattr(delivery_dispatch, "IDLE_EXIT_SECONDS", 0.05)
    engine = WebhookEngine(clock, workers=2, seed=1)
    inbox.script([500, 200])
    engine.enqueue("test", inbox.url, b"", policy=FAST)
    engine.flush()
    deadline = time.monotonic() + 3
    while engine._threads and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not engine._threads  # a frozen clock and nothing due: no thread waits for nothing
    clock.advance(10)
    inbox.wait_for(2, timeout=2)
    engine.close()


# ---- bounded backlog ------------------------------------------------------------------------------
def test_a_full_queue_drops_its_oldest_pending_delivery_and_says_so(clock):
    from mockserver.core.delivery_http import HttpResult
    from mockserver.core.delivery_model import DROPPED

    told = []

    class Observer:
        def attempt(self, *args):
            pass

        def delivery_ended(self, view, outcome, reason):
            told.append((view["id"], outcome, reason))

    refused = HttpResult(status=None, latency_ms=0.1, excerpt="", error="connection refused")
    engine = WebhookEngine(clock, workers=2, seed=7, post=lambda *a: refused)
    engine.observer = Observer()
    engine.max_unfinished = 3
    try:
        first = [engine.enqueue("custom", "http://127.0.0.1:1/hook", b"{}", policy=ROOMY).id for _ in range(3)]
        engine.flush()  # every first attempt failed: three retries wait on the frozen clock
        assert [engine.get(i)["status"] for i in first] == [PENDING] * 3
        newest = engine.enqueue("custom", "http://127.0.0.1:1/hook", b"{}", policy=ROOMY).id
        assert engine.get(first[0])["status"] == DROPPED
        assert engine.counts()[DROPPED] == 1 and engine.dropped_count == 1
        assert told == [(first[0], "dropped", "more than 3 deliveries were waiting: the oldest is dropped unsent")]
        assert engine.get(newest)["status"] in (PENDING, SENDING)
    finally:
        engine.close(timeout=5)


def test_an_attempt_that_raises_fails_its_delivery_and_the_worker_goes_on(clock):
    from mockserver.core.delivery_http import HttpResult
    from mockserver.core.delivery_model import FAILED

    calls = []

    def post(url, headers, body, timeout):
        calls.append(url)
        if len(calls) == 1:
            raise RuntimeError("a bug in the sandbox")
        return HttpResult(200, 0.1, "", None)

    engine = WebhookEngine(clock, workers=1, seed=7, post=post)  # one thread: it must survive
    try:
        first = engine.enqueue("custom", "http://127.0.0.1:1/one", b"{}", policy=ROOMY)
        engine.flush(timeout=30)
        assert engine.get(first.id)["status"] == FAILED
        assert [str(e) for e in engine.hook_errors] == ["a bug in the sandbox"]
        second = engine.enqueue("custom", "http://127.0.0.1:1/two", b"{}", policy=ROOMY)
        summary = engine.flush(timeout=30)
        assert not summary["timed_out"] and engine.get(second.id)["status"] == SUCCEEDED
    finally:
        engine.close(timeout=5)
