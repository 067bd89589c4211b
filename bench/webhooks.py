"""Outbound webhooks, to a receiver in another process that answers 200 at once (bench/receiver.py:
a counter whose HTTP granian parses; the SHOPLINE trigger also to the plugin's WebhookInbox):

- Shopee pushes end to end: a running sandbox with the default partner's push on (code 3, the
  callback verified), N orders created in one admin call (one push each); from the call to the
  last push received.
- The webhook engine alone (mockserver.core.webhooks in this process, Shopee's push policy): N
  pushes queued, until flush() has every attempt finished.
- SHOPLINE triggers: wrk POSTs /_sandbox/shopline/trigger (order/create to the receiver's URL);
  triggers answered per second, then how long until every delivery arrived.
"""
from __future__ import annotations

import json
import time
from typing import Any, Callable

from bench import wrk
from bench.calls import Calls
from bench.machine import load
from bench.procs import Receiver, http_json, sandbox
from mockserver.core.clock import SandboxClock
from mockserver.core.delivery_model import Policy
from mockserver.core.webhooks import WebhookEngine
from mockserver.shopee import push_events

WAIT = 300.0  # seconds to wait for deliveries to arrive before giving up on the figure
TRIGGER = {"topic": "order/create"}
PUSH_BODY = {"code": 3, "shop_id": 123456, "timestamp": 1_795_000_000,
             "data": {"items": [], "ordersn": "2611180001ABCD", "status": "READY_TO_SHIP", "completed_scenario": "",
                      "update_time": 1_795_000_000}}


def _wait_for(receiver: Receiver, count: int) -> tuple[int, float]:
    """Poll the receiver until it has `count` requests (or WAIT passed): (count, when)."""
    deadline = time.perf_counter() + WAIT
    seen = receiver.count()
    while seen < count and time.perf_counter() < deadline:
        time.sleep(0.01)
        seen = receiver.count()
    return seen, time.perf_counter()


def shopee_push(server_url: str, receiver: Receiver, orders: int) -> dict[str, Any]:
    """Pushes of `orders` new orders, sent by the sandbox process."""
    calls = Calls(server_url)
    answer = http_json(calls.public_url("/api/v2/push/set_app_push_config"),
                       {"callback_url": receiver.url, "set_push_config_on": [3]})
    if answer.get("error"):
        raise RuntimeError(f"set_app_push_config answered {answer}")
    base = receiver.count()  # the verification push
    before = load()
    started = time.perf_counter()
    http_json(f"{server_url}/_sandbox/shopee/shops/{calls.shop['shop_id']}/orders", {"count": orders})
    seeded = time.perf_counter() - started
    seen, ended = _wait_for(receiver, base + orders)
    elapsed = ended - started
    counts = http_json(f"{server_url}/_sandbox/deliveries?platform=shopee&limit=1").get("counts", {})
    return {"pushes": orders, "received": seen - base, "seconds": round(elapsed, 3),
            "seed_seconds": round(seeded, 3), "per_second": round((seen - base) / elapsed, 1),
            "counts": counts, "load": before}


def engine_alone(receiver_url: str, deliveries: int, workers: int = 4) -> dict[str, Any]:
    """A bare WebhookEngine (frozen clock, Shopee's push timeout and retries) sending `deliveries`
    copies of a code-3 push; from the first enqueue to the end of flush()."""
    engine = WebhookEngine(SandboxClock(start=1_795_000_000, frozen=True), workers=workers,
                           log_limit=deliveries + 100)
    policy = Policy("shopee", timeout=push_events.TIMEOUT, retry_delays=push_events.RETRY_DELAYS)
    body = push_events.encode(PUSH_BODY)
    headers = {"Content-Type": "application/json", "Authorization": "0" * 64}
    try:
        for _ in range(50):  # warm-up: threads started, code paths hot
            engine.enqueue("shopee", receiver_url, body, headers, policy=policy)
        engine.flush()
        before = load()
        started = time.perf_counter()
        for _ in range(deliveries):
            engine.enqueue("shopee", receiver_url, body, headers, event="order_status_push", policy=policy)
        summary = engine.flush(timeout=WAIT)
        elapsed = time.perf_counter() - started
    finally:
        engine.close()
    return {"deliveries": deliveries, "succeeded": summary.get("succeeded"), "workers": workers,
            "seconds": round(elapsed, 3), "per_second": round(deliveries / elapsed, 1), "load": before}


def shopline_trigger(server_url: str, receiver: Receiver, seconds: float) -> dict[str, Any]:
    """wrk on the trigger admin API, each trigger one delivery to the receiver."""
    body = {**TRIGGER, "to": receiver.url}
    before_first = receiver.count()  # before the trigger: its delivery may arrive at once
    answer = http_json(server_url + "/_sandbox/shopline/trigger", body)
    if len(answer.get("deliveries", [])) != 1:
        raise RuntimeError(f"the trigger queued {answer}")
    base, _ = _wait_for(receiver, before_first + 1)
    before = load()
    started = time.perf_counter()
    figures = wrk.run(server_url + "/_sandbox/shopline/trigger", seconds, body=body)
    wrk_done = time.perf_counter()
    wanted = base + figures.get("requests", 0)
    seen, ended = _wait_for(receiver, wanted)
    flushed = http_json(server_url + "/_sandbox/deliveries/flush", {})
    return {**figures, "load": before, "delivered": seen - base,
            "drain_seconds": round(ended - wrk_done, 3),
            "delivered_per_second": round((seen - base) / (ended - started), 1),
            "flush": {k: v for k, v in flushed.items() if isinstance(v, (int, bool))}}


def run(profile: Any, log: Callable[[str], None]) -> dict[str, Any]:
    """The webhook phase: one receiver process; one sandbox process for the end-to-end figures."""
    result: dict[str, Any] = {}
    with Receiver() as receiver:
        with sandbox() as server:
            result["shopee_push"] = shopee_push(server.url, receiver, profile.push_orders)
            log(f"  Shopee pushes end to end: {json.dumps(result['shopee_push'])}")
            if wrk.available():
                result["shopline_trigger"] = shopline_trigger(server.url, receiver, profile.trigger_seconds)
                log(f"  SHOPLINE trigger: {json.dumps(result['shopline_trigger'])}")
                with Receiver(inbox=True) as inbox:
                    result["shopline_trigger_inbox"] = shopline_trigger(server.url, inbox, profile.trigger_seconds)
                log(f"  SHOPLINE trigger, to a WebhookInbox: {json.dumps(result['shopline_trigger_inbox'])}")
        result["engine"] = engine_alone(receiver.url, profile.engine_deliveries)
        log(f"  webhook engine alone: {json.dumps(result['engine'])}")
    return result
