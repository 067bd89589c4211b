"""Issue 12, point 6, over HTTP: when the sandbox sends an example for the subscriber's merchant, the
resource's own references to a merchant (seller_id, merchant_id, a user's owner_id, a Merchant's
_id / id / handle and its URLs) name that merchant too, not the example's."""
from __future__ import annotations

import json

import pytest

from mockserver.shopline import topics, variation
from tests.shopline.emission_support import creds, flush, subscribe, trigger
from tests.shopline.test_emission_openapi import verify

TOPICS = ["merchant/update", "order/create", "product/inventory_update", "user/create", "order/complete",
          "return_order/create", "pos_return_order/update"]


@pytest.fixture
def second(sandbox) -> dict:
    """The world's second merchant (the app is installed there too) and its app token."""
    c = creds(sandbox)["openapi"]
    merchant = next(m for m in c["merchants"] if m["merchant_id"] != c["merchant_id"])
    token = next(t["token"] for t in c["tokens"] if t["kind"] == "app" and t["merchant_id"] == merchant["merchant_id"])
    return {**merchant, "token": token}


def _example_merchants(topic: str) -> set[str]:
    ids, _ = variation.merchant_refs(topics.fixture(topic))
    return ids


@pytest.mark.parametrize("generate", [False, True])
def test_every_merchant_reference_names_the_subscriber(sandbox, inbox, second, generate):
    c = creds(sandbox)["openapi"]
    subscribe(sandbox, inbox, TOPICS, token=second["token"])
    for topic in TOPICS:
        trigger(sandbox, topic=topic, generate=generate, seed=3)
    flush(sandbox)
    payloads = {p["topic"]: p for p in (verify(c["app_secret"], r) for r in inbox.requests("/hook")[1:])}
    assert sorted(payloads) == sorted(TOPICS)
    for topic, payload in payloads.items():
        assert payload["merchant_id"] == second["merchant_id"] and payload["merchant_handle"] == second["handle"]
        ids, handles = variation.merchant_refs(payload)
        assert ids == {second["merchant_id"]}, (topic, ids)
        assert handles <= {second["handle"]}, (topic, handles)
        if not generate:  # no trace of the example's merchants anywhere in the document
            text = json.dumps(payload["resource"])
            assert not any(old in text for old in _example_merchants(topic) - {second["merchant_id"]}), topic
    merchant = payloads["merchant/update"]["resource"]
    assert merchant["_id"] == merchant["id"] == second["merchant_id"] and merchant["handle"] == second["handle"]
    if not generate:
        assert merchant["brand_home_url"].startswith(f"https://{second['handle']}.")
    assert payloads["order/create"]["resource"]["seller_id"] == second["merchant_id"]
    assert payloads["product/inventory_update"]["resource"]["merchant_id"] == second["merchant_id"]
    assert payloads["user/create"]["resource"]["owner_id"] == second["merchant_id"]


def test_the_default_merchant_gets_its_own_references_too(sandbox, inbox):
    c = creds(sandbox)["openapi"]
    subscribe(sandbox, inbox, ["merchant/update"])
    trigger(sandbox, topic="merchant/update")
    flush(sandbox)
    resource = verify(c["app_secret"], inbox.requests("/hook")[-1])["resource"]
    assert resource["_id"] == resource["id"] == c["merchant_id"] and resource["handle"] == c["merchant_handle"]
