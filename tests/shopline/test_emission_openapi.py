"""SHOPLINE Open API webhooks out: every topic of seed 004 reaches a receiver, signed as reference A says
(checked by a verifier written here), with a payload that matches the topic's schema; overrides,
generated payloads, one-off `to` deliveries, merchant tokens, and what the trigger refuses."""
from __future__ import annotations

import hashlib
import hmac
import json
import re
import uuid
from functools import cache

import pytest
from jsonschema import Draft202012Validator

from mockserver.resources import data_dir
from tests.conftest import T0
from tests.shopline.emission_support import (
    b64,
    creds,
    delivery,
    flush,
    openapi,
    subscribe,
    trigger,
)

HEX64 = re.compile(r"^[0-9a-f]{64}$")


def verify(secret: str, received) -> dict:
    """The receiver's check, from reference A: sign = hex HMAC-SHA256(app_secret, "<timestamp>:<body
    re-serialised with keys sorted at every depth, compact separators, non-ASCII kept>")."""
    timestamp = received.header("X-Shopline-Developer-Event-Timestamp")
    assert timestamp and timestamp.isdigit()
    document = json.loads(received.body.decode("utf-8"))
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    expected = hmac.new(secret.encode(), f"{timestamp}:{canonical}".encode(), hashlib.sha256).hexdigest()
    sign, = received.query["sign"]
    assert HEX64.match(sign) and hmac.compare_digest(sign, expected), received.query
    return document


@cache
def _schema(topic: str) -> Draft202012Validator:
    with open(data_dir("contracts") / "shopline" / f"{topic}.schema.json", encoding="utf-8") as handle:
        return Draft202012Validator(json.load(handle))


def _fixture(topic: str) -> dict:
    with open(data_dir("fixtures") / "shopline" / f"{topic}.json", encoding="utf-8") as handle:
        return json.load(handle)


def _seed_topics() -> list[str]:
    folder = data_dir("fixtures") / "shopline"
    return sorted(p.relative_to(folder).with_suffix("").as_posix() for p in folder.rglob("*.json"))


def test_every_seed_topic_is_delivered_signed_and_matches_its_schema(sandbox, inbox):
    names = _seed_topics()
    assert len(names) == 47
    c = creds(sandbox)["openapi"]
    sub = subscribe(sandbox, inbox, names)
    ids = {name: trigger(sandbox, topic=name)["deliveries"][0]["id"] for name in names}
    now = sandbox.admin("GET", "/clock").body["now_float"]  # frozen near T0 (a few µs past it)
    result = flush(sandbox)
    assert result["succeeded"] == 47 and result["failed"] == 0
    deliveries = inbox.requests("/hook")[1:]  # after the handshake
    assert len(deliveries) == 47
    seen = {}
    for received in deliveries:
        assert received.method == "POST" and received.header("Content-Type") == "application/json"
        assert received.header("X-Shopline-Developer-Event-Timestamp") == str(T0)
        payload = verify(c["app_secret"], received)
        errors = list(_schema(payload["topic"]).iter_errors(payload))
        assert not errors, (payload["topic"], errors[0].message)
        fixture = _fixture(payload["topic"])
        # The documented example as a fresh event: its fields, new ids (times end now; issue 12).
        assert set(payload["resource"]) == set(fixture["resource"])
        for key in ("_id", "id"):
            if isinstance(fixture["resource"].get(key), str) and fixture["resource"][key]:
                assert payload["resource"][key] != fixture["resource"][key], payload["topic"]
        assert payload["merchant_id"] == c["merchant_id"] == sub["merchant_id"]
        assert uuid.UUID(payload["trace_id"]).version == 4 and payload["trace_id"] != fixture["trace_id"]
        assert payload["ts"] == str(round(now * 10**6) * 1000) and abs(int(payload["ts"]) - T0 * 10**9) < 10**6
        seen[payload["topic"]] = payload["trace_id"]
    assert sorted(seen) == names and len(set(seen.values())) == 47
    for name, delivery_id in ids.items():
        view = delivery(sandbox, delivery_id)
        assert view["status"] == "succeeded" and view["platform"] == "shopline" and view["event"] == name
        assert view["meta"]["subscription_id"] == sub["id"] and view["meta"]["trace_id"] == seen[name]


def test_the_seed_typo_topic_is_sent_under_the_payload_spelling(sandbox, inbox):
    subscribe(sandbox, inbox, ["promotion/redeeem"])
    answer = trigger(sandbox, topic="promotion/redeeem")
    assert answer["topic"] == "promotion/redeem" and len(answer["deliveries"]) == 1
    flush(sandbox)
    assert inbox.requests("/hook")[-1].json()["topic"] == "promotion/redeem"


def test_overrides_are_merged_into_the_resource(sandbox, inbox):
    c = creds(sandbox)["openapi"]
    subscribe(sandbox, inbox, ["order/create"])
    trigger(sandbox, topic="order/create", overrides={"status": "cancelled", "customer_name": None,
                                                       "order_remarks": "請小心輕放"})
    flush(sandbox)
    payload = verify(c["app_secret"], inbox.requests("/hook")[-1])  # non-ASCII kept in the signed text
    fixture = _fixture("order/create")["resource"]
    assert payload["resource"]["status"] == "cancelled" and "customer_name" not in payload["resource"]
    assert payload["resource"]["order_remarks"] == "請小心輕放"
    assert payload["resource"]["order_number"] == fixture["order_number"]
    assert "請小心輕放".encode() in inbox.requests("/hook")[-1].body  # UTF-8 on the wire, not \\u escapes


def test_generated_payloads_validate_and_follow_the_seed(sandbox, inbox):
    c = creds(sandbox)["openapi"]
    subscribe(sandbox, inbox, ["order/create", "user/create"])
    for seed in (1, 1, 2):
        trigger(sandbox, topic="user/create", generate=True, seed=seed)
        flush(sandbox)
    first, again, other = (verify(c["app_secret"], r) for r in inbox.requests("/hook")[1:])
    for payload in (first, again, other):
        assert not list(_schema("user/create").iter_errors(payload))
    assert first["resource"] == again["resource"] and first["trace_id"] != again["trace_id"]
    assert other["resource"] != first["resource"] and first["resource"] != _fixture("user/create")["resource"]


def test_to_sends_once_to_a_url_without_a_subscription(sandbox, inbox):
    c = creds(sandbox)["openapi"]
    answer = trigger(sandbox, topic="product/update", to=inbox.url_for("/once?x=1"))
    queued, = answer["deliveries"]
    assert queued["subscription_id"] is None and queued["url"].startswith(inbox.url_for("/once?x=1&sign="))
    flush(sandbox)
    received, = inbox.received
    assert received.path == "/once" and received.query["x"] == ["1"]
    assert verify(c["app_secret"], received)["merchant_id"] == c["merchant_id"]
    assert sandbox.admin("GET", "/shopline/subscriptions").body["openapi"] == []


def test_only_active_subscriptions_naming_the_topic_receive_it(sandbox, inbox):
    subscribe(sandbox, inbox, ["order/create"], path="/a")
    subscribe(sandbox, inbox, ["order/update"], path="/b")
    gone = subscribe(sandbox, inbox, ["order/create"], path="/c")
    assert openapi(sandbox, "DELETE", "/" + gone["id"]).status == 200
    assert len(trigger(sandbox, topic="order/create")["deliveries"]) == 1
    flush(sandbox)
    assert [len(inbox.requests(p)) for p in ("/a", "/b", "/c")] == [2, 1, 1]  # handshake (+ delivery)


def test_one_event_per_merchant_and_merchant_token_deliveries_are_unsigned(sandbox, inbox):
    c = creds(sandbox)["openapi"]
    other_token = next(t for t in c["tokens"] if t["kind"] == "app" and t["merchant_id"] != c["merchant_id"])
    subscribe(sandbox, inbox, ["order/create"], path="/app")
    subscribe(sandbox, inbox, ["order/create"], path="/merchant", token=c["merchant_token"], answer=b64(c["merchant_id"]))
    subscribe(sandbox, inbox, ["order/create"], path="/other", token=other_token["token"])
    assert len(trigger(sandbox, topic="order/create")["deliveries"]) == 3
    flush(sandbox)
    app, merchant, other = (inbox.requests(p)[-1] for p in ("/app", "/merchant", "/other"))
    app_doc, other_doc = verify(c["app_secret"], app), verify(c["app_secret"], other)
    assert "sign" not in merchant.query and merchant.header("X-Shopline-Developer-Event-Timestamp") == str(T0)
    assert merchant.json()["trace_id"] == app_doc["trace_id"] != other_doc["trace_id"]
    assert other_doc["merchant_id"] == other_token["merchant_id"]
    assert other_doc["merchant_handle"] != app_doc["merchant_handle"] == c["merchant_handle"]


def test_no_subscription_means_no_delivery(sandbox):
    assert trigger(sandbox, topic="order/create")["deliveries"] == []
    assert sandbox.admin("GET", "/deliveries").body["total"] == 0


@pytest.mark.parametrize("body,fragment", [
    ({"topic": "order/creat"}, "is not a SHOPLINE openapi topic"),
    ({"topic": "order/split_order", "verbatim": True}, "documents no example of order/split_order"),
    ({"topic": "order/create", "verbatim": True, "overrides": {"x": 1}}, "overrides cannot apply"),
    ({"topic": "order/create", "verbatim": "yes"}, "verbatim should be a boolean"),
    ({"topic": "orders/updated"}, "is not a SHOPLINE openapi topic"),
    ({"topic": "order/create", "flavour": "legacy"}, "flavour should be one of openapi, global"),
    ({"topic": "order/create", "to": "ftp://x"}, "to should be an absolute http(s) URL"),
    ({"topic": "order/create", "overrides": []}, "overrides should be an object"),
    ({"topic": "order/create", "seed": -1}, "seed should be between 0"),
    ({"topic": "order/create", "generate": "yes"}, "generate should be a boolean"),
    ({"topic": "order/create", "topics": []}, "unknown field topics"),
    ({}, "topic is required"),
])
def test_a_bad_trigger_is_a_400_and_queues_nothing(sandbox, inbox, body, fragment):
    subscribe(sandbox, inbox, ["order/create", "order/split_order"])
    logged = sandbox.admin("GET", "/deliveries").body["total"]  # the subscription's verification
    answer = sandbox.admin("POST", "/shopline/trigger", body)
    assert answer.status == 400 and answer.error == "invalid_field" and fragment in answer.message, answer.body
    assert sandbox.admin("GET", "/deliveries").body["total"] == logged


def test_the_open_api_policy_is_15_seconds_and_3_resends(sandbox):
    queued, = trigger(sandbox, topic="order/create", to="http://127.0.0.1:9/")["deliveries"]
    view = delivery(sandbox, queued["id"])
    assert view["policy"] == "shopline" and view["policy_timeout_seconds"] == 15
    assert view["retry_delays_seconds"] == [60, 600, 3600] and view["max_attempts"] == 4
