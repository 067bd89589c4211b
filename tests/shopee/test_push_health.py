"""The health rule (guide, "Push Mechanism Warning/Disable Logic"): more than 600 pushes in the
past 6 hours with under 70% success -> Warning, under 30% -> Suspended; nothing is sent while
suspended, what fell due meanwhile is never resent, and subscribing again restarts the count."""
from __future__ import annotations

from tests.conftest import T0
from tests.shopee.order_support import make_order
from tests.shopee.push_support import (advance, check_push, deliveries, flush, get_config, new_orders, order_event,
                                       push_admin, pushes, set_config, subscribe)

RULE_COUNT = 601  # "more than 600 pushes"


def _burst(sandbox, count: int = RULE_COUNT) -> None:
    """count code 3 pushes at once: one per order made."""
    new_orders(sandbox, sandbox.creds["shop_id"], count)
    flush(sandbox)


def test_600_pushes_are_not_enough_to_judge(sandbox, inbox):
    assert subscribe(sandbox, inbox.url, on=(3,)).status == 200
    inbox.respond(500)
    _burst(sandbox, 600)
    assert push_admin(sandbox, sandbox.creds["partner_id"])["health"]["pushes"] == 600
    assert get_config(sandbox)["live_push_status"] == "Normal"


def test_under_70_percent_success_over_600_pushes_is_a_warning_that_lifts_with_the_window(sandbox, inbox):
    assert subscribe(sandbox, inbox.url, on=(3,)).status == 200
    inbox.script([200] * 300 + [500] * 301)  # 300 of 601: 49.9%
    _burst(sandbox)
    config = get_config(sandbox)
    assert config["live_push_status"] == "Warning" and "suspended_time" not in config
    health = push_admin(sandbox, sandbox.creds["partner_id"])["health"]
    assert (health["pushes"], health["succeeded"]) == (601, 300)
    # A warning stops nothing.
    order_event(sandbox, make_order(sandbox, status="UNPAID"), "pay")
    flush(sandbox)
    assert len(inbox.received) == 1 + 601 + 2
    # Six hours on, the burst has left the window (the 301 retries that succeeded meanwhile remain).
    advance(sandbox, 6 * 3600 + 1)
    assert get_config(sandbox)["live_push_status"] == "Normal"


def test_under_30_percent_success_suspends_and_nothing_is_sent_until_the_app_subscribes_again(sandbox, inbox):
    assert subscribe(sandbox, inbox.url, on=(3,)).status == 200
    inbox.respond(500)
    advance(sandbox, 100)
    _burst(sandbox)
    config = get_config(sandbox)
    assert config["live_push_status"] == "Suspended" and config["suspended_time"] == T0 + 100
    sent = len(inbox.received)
    assert sent == 1 + 601

    # Suspended: a new push is not sent, and the failed pushes' retries are dropped when due.
    inbox.respond(200)
    order_event(sandbox, make_order(sandbox, status="UNPAID"), "pay")
    flush(sandbox)
    advance(sandbox, 60)
    assert len(inbox.received) == sent
    assert {d["status"] for d in deliveries(sandbox, event="order_status_push", limit=1000)} == {"suppressed"}

    # Subscribing again: Normal, statistics from zero, and what was missed is never resent.
    assert set_config(sandbox, callback_url=inbox.url).status == 200
    config = get_config(sandbox)
    assert config["live_push_status"] == "Normal" and "suspended_time" not in config
    assert push_admin(sandbox, sandbox.creds["partner_id"])["health"]["pushes"] == 0
    advance(sandbox, 3 * 3600)
    assert len(inbox.received) == sent + 1  # only the new verification push
    sn = make_order(sandbox, status="UNPAID")
    flush(sandbox)
    body = check_push(inbox.received[-1], sandbox.creds["partner_key"], inbox.url)
    assert body["code"] == 3 and body["data"]["ordersn"] == sn
    assert len(pushes(inbox, sandbox.creds["partner_key"], inbox.url, code=0)) == 2
