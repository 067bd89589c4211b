"""POST /_sandbox/shopee/push/trigger: one push now, as the world would raise it, with data
overrides merged in, signed like every push; refused when the partner does not take the code."""
from __future__ import annotations

import pytest

from mockserver.testing import WebhookInbox
from tests.shopee.push_support import check_push, flush, subscribe, url_signature


@pytest.fixture
def inbox():
    with WebhookInbox() as receiver:
        yield receiver


def test_a_triggered_order_push_names_the_newest_order_and_takes_overrides(sandbox, inbox):
    assert subscribe(sandbox, inbox.url, on=(3,)).status == 200
    inbox.clear()
    answer = sandbox.admin("POST", "/shopee/push/trigger", {"code": 3, "data": {"status": "CANCELLED",
                                                                               "items": None}})
    assert answer.status == 200, answer.body
    delivery, = answer.body["deliveries"]
    assert delivery["event"] == "order_status_push" and delivery["meta"]["code"] == 3
    flush(sandbox)
    got, = inbox.received
    # Signed like every push; the overrides may break the code's schema on purpose (a null removes
    # a required field here): the receiver under test sees exactly what was asked for.
    assert got.header("Authorization") == url_signature(sandbox.creds["partner_key"], inbox.url, got.body)
    body = got.json()
    newest = sandbox.request("GET", f"/_sandbox/shopee/shops/{sandbox.creds['shop_id']}/orders",
                             query={"limit": 1}).body["orders"][0]
    assert body["shop_id"] == sandbox.creds["shop_id"] and body["data"]["ordersn"] == newest["order_sn"]
    assert body["data"]["status"] == "CANCELLED" and "items" not in body["data"]  # RFC 7386: null removes


def test_a_partner_level_push_carries_no_shop_id(sandbox, inbox):
    assert subscribe(sandbox, inbox.url, on=(1, 12)).status == 200
    inbox.clear()
    assert sandbox.admin("POST", "/shopee/push/trigger", {"code": 12}).status == 200
    flush(sandbox)
    body = check_push(inbox.received[0], sandbox.creds["partner_key"], inbox.url)
    assert "shop_id" not in body and body["data"]["shop_expire_soon"] == [sandbox.creds["shop_id"]]


def test_a_code_the_partner_does_not_take_is_409_and_sends_nothing(sandbox, inbox):
    refused = sandbox.admin("POST", "/shopee/push/trigger", {"code": 3})
    assert refused.status == 409 and refused.body["error"] == "push_not_subscribed"
    assert subscribe(sandbox, inbox.url, on=(3,)).status == 200
    assert sandbox.admin("POST", "/shopee/push/trigger", {"code": 4}).status == 409
    assert sandbox.request("GET", "/_sandbox/deliveries", query={"event": "order_trackingno_push"}).body["total"] == 0


@pytest.mark.parametrize("body", [{}, {"code": 5}, {"code": "3"}, {"code": 3, "data": []}, {"code": 3, "extra": 1}])
def test_a_bad_trigger_is_400(sandbox, body):
    assert sandbox.admin("POST", "/shopee/push/trigger", body).status == 400


def test_an_unknown_partner_or_shop_is_404(sandbox):
    assert sandbox.admin("POST", "/shopee/push/trigger", {"code": 3, "partner_id": 1}).status == 404
    assert sandbox.admin("POST", "/shopee/push/trigger", {"code": 3, "shop_id": 1}).status == 404
