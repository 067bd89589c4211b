"""SHOPLINE global-flavour webhooks out (reference B, seed 002): the order itself as the body,
X-Shopline-Hmac-Sha256 over the raw bytes (hex by default, base64 per shop; checked by a verifier
written here) and every X-Shopline-* header of seed 002."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re

import pytest
from jsonschema import Draft202012Validator

from mockserver.resources import data_dir
from mockserver.shopline import topics
from tests.shopline.emission_support import (
    VERSION,
    creds,
    delivery,
    flush,
    subscribe_global,
    trigger,
)

SEED_002_HEADERS = ["X-Shopline-Topic", "X-Shopline-Hmac-Sha256", "X-Shopline-Shop-Domain", "X-Shopline-Shop-Id",
                    "X-Shopline-Merchant-Id", "X-Shopline-API-Version", "X-Shopline-Webhook-Id"]


def verify(secret: str, received, encoding: str = "hex") -> dict:
    """The receiver's check, from reference B: HMAC-SHA256(app secret, raw body), hex or base64."""
    digest = hmac.new(secret.encode(), received.body, hashlib.sha256).digest()
    expected = digest.hex() if encoding == "hex" else base64.b64encode(digest).decode()
    assert hmac.compare_digest(received.header("X-Shopline-Hmac-Sha256"), expected)
    return json.loads(received.body)


def _schema() -> Draft202012Validator:
    with open(data_dir("contracts") / "shopline-global" / "orders-updated.schema.json", encoding="utf-8") as handle:
        return Draft202012Validator(json.load(handle))


def test_every_order_topic_is_delivered_with_seed_002_headers_and_a_valid_body(sandbox, inbox):
    shop = creds(sandbox)["global"]
    for topic in topics.GLOBAL_ORDER_BODY_TOPICS:
        subscribe_global(sandbox, inbox.url_for("/" + topic), topic)
        trigger(sandbox, topic=topic, flavour="global")
    assert flush(sandbox)["succeeded"] == len(topics.GLOBAL_ORDER_BODY_TOPICS) == 7
    webhook_ids = set()
    for topic in topics.GLOBAL_ORDER_BODY_TOPICS:
        received, = inbox.requests("/" + topic)
        assert [h for h in received.headers if h.startswith("X-Shopline-")] == SEED_002_HEADERS  # names as printed
        assert received.header("Content-Type") == "application/json"
        body = verify(shop["app_secret"], received)
        assert re.fullmatch(r"[0-9a-f]{64}", received.header("X-Shopline-Hmac-Sha256"))  # hex by default
        assert received.header("X-Shopline-Topic") == topic
        assert received.header("X-Shopline-Shop-Domain") == shop["domain"] == "xiaorizi.myshopline.com"
        assert received.header("X-Shopline-Shop-Id") == shop["shop_id"] and re.fullmatch(r"[0-9]{13}", shop["shop_id"])
        assert received.header("X-Shopline-Merchant-Id") == shop["merchant_id"]
        assert received.header("X-Shopline-API-Version") == VERSION
        assert re.fullmatch(r"[0-9a-f]{24}", received.header("X-Shopline-Webhook-Id"))
        webhook_ids.add(received.header("X-Shopline-Webhook-Id"))
        errors = list(_schema().iter_errors(body))
        assert not errors, errors[0].message
        assert body["store_id"] == shop["shop_id"] and "topic" not in body  # the order itself, no envelope
    assert len(webhook_ids) == 7


def test_the_subscriptions_api_version_and_the_shops_own_headers_are_used(sandbox, inbox):
    c = creds(sandbox)["global"]
    other = next(s for s in c["shops"] if s["shop_id"] != c["shop_id"])
    subscribe_global(sandbox, inbox.url_for("/mine"))
    created = sandbox.request("POST", "/admin/openapi/v20230601/webhooks.json", headers={
        "Authorization": f"Bearer {other['access_token']}"},
        json_body={"webhook": {"address": inbox.url_for("/theirs"), "topic": "orders/updated"}})
    assert created.status == 200
    assert len(trigger(sandbox, topic="orders/updated", flavour="global")["deliveries"]) == 2
    flush(sandbox)
    theirs, = inbox.requests("/theirs")
    body = verify(other["app_secret"], theirs)
    assert theirs.header("X-Shopline-API-Version") == "v20230601"
    assert theirs.header("X-Shopline-Shop-Domain") == other["domain"] == "shophub.myshopline.com"
    assert theirs.header("X-Shopline-Shop-Id") == other["shop_id"] == body["store_id"]
    assert inbox.requests("/mine")[0].header("X-Shopline-Shop-Id") == c["shop_id"]


def test_base64_signatures_are_a_per_shop_option(sandbox, inbox):
    c = creds(sandbox)["global"]
    changed = sandbox.admin("POST", f"/shopline/shops/{c['shop_id']}", {"signature_encoding": "base64"})
    assert changed.status == 200 and changed.body["signature_encoding"] == "base64"
    trigger(sandbox, topic="orders/updated", flavour="global", to=inbox.url_for("/b64"))
    flush(sandbox)
    received, = inbox.received
    assert len(received.header("X-Shopline-Hmac-Sha256")) == 44
    verify(c["app_secret"], received, "base64")
    with pytest.raises(AssertionError):
        verify(c["app_secret"], received, "hex")


def test_overrides_and_generated_bodies(sandbox, inbox):
    c = creds(sandbox)["global"]
    trigger(sandbox, topic="orders/paid", flavour="global", to=inbox.url_for("/o"),
            overrides={"financial_status": "paid", "note": "禮物包裝", "tags": None})
    trigger(sandbox, topic="orders/paid", flavour="global", to=inbox.url_for("/g"), generate=True, seed=5)
    flush(sandbox)
    overridden, generated = verify(c["app_secret"], inbox.requests("/o")[0]), verify(c["app_secret"], inbox.requests("/g")[0])
    assert overridden["financial_status"] == "paid" and overridden["note"] == "禮物包裝" and "tags" not in overridden
    assert not list(_schema().iter_errors(generated))
    assert generated["store_id"] == c["shop_id"]


@pytest.mark.parametrize("topic,extra,fragment", [
    ("orders/delete", {"verbatim": True}, "documents no body for the global topic orders/delete"),
    ("orders/cancelled", {"verbatim": True}, "seed 002 documents no example of orders/cancelled"),
    ("orders/updated", {"verbatim": True, "overrides": {"note": "x"}}, "overrides cannot apply"),
    ("orders/updated", {"verbatim": True, "generate": True}, "cannot be generated too"),
    ("order/create", {}, "is not a SHOPLINE global topic"),
])
def test_bad_global_triggers_are_refused(sandbox, topic, extra, fragment):
    answer = sandbox.admin("POST", "/shopline/trigger", {"topic": topic, "flavour": "global", "to": "http://127.0.0.1:9/",
                                                         **extra})
    assert answer.status == 400 and fragment in answer.message
    assert sandbox.admin("GET", "/deliveries").body["total"] == 0


def test_a_bad_shop_option_is_refused(sandbox):
    shop_id = creds(sandbox)["global"]["shop_id"]
    assert sandbox.admin("POST", f"/shopline/shops/{shop_id}", {"signature_encoding": "hex2"}).status == 400
    assert sandbox.admin("POST", "/shopline/shops/1", {"signature_encoding": "hex"}).status == 404
    assert creds(sandbox)["global"]["signature_encoding"] == "hex"


def test_the_global_policy_is_5_seconds_and_19_resends(sandbox):
    queued, = trigger(sandbox, topic="orders/updated", flavour="global", to="http://127.0.0.1:9/")["deliveries"]
    view = delivery(sandbox, queued["id"])
    assert view["policy"] == "shopline-global" and view["policy_timeout_seconds"] == 5
    assert view["retry_delays_seconds"] == [0, 5, 10, 30, 45, 60, 120, 300, 720, 2280, 3600, 7200] + [14400] * 7
    assert view["max_attempts"] == 20
    assert view["headers"]["X-Shopline-Webhook-Id"] == queued["webhook_id"]
