"""POST /_sandbox/world: a document added to the running world, all or nothing, with located errors."""
from __future__ import annotations

from typing import Any

import pytest

from mockserver.app import create_app
from mockserver.settings import Settings


@pytest.fixture
def client() -> Any:
    app = create_app(Settings(seed=42))
    yield app.test_client()
    app.extensions["shop_sandbox"].webhooks.close(timeout=2)


def state(client: Any) -> Any:
    return client.get("/_sandbox/state").get_json()


GOOD = {"shopee": {"partners": [{"partner_id": 1400001, "partner_key": "shpk-posted"}],
                   "shops": [{"shop_id": 840001, "authorised_partners": [
                       {"partner_id": 1400001, "access_token": "posted-access"}]}]},
        "oneshop": {"accounts": [{"appid": "posted", "secret": "posted-secret"}]}}


def test_a_document_is_added(client: Any) -> None:
    answer = client.post("/_sandbox/world", json=GOOD)
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["added"]["shopee"] == {"partners": 1, "shops": 1, "orders": 0}
    shop = client.get("/_sandbox/shopee/shops/840001").get_json()
    assert shop["authorised_partners"] == [1400001]
    assert client.get("/_sandbox/oneshop/accounts/posted").get_json()["secret"] == "posted-secret"
    # The same ids again: taken now, and nothing changes.
    before = state(client)
    again = client.post("/_sandbox/world", json=GOOD)
    assert again.status_code == 400
    locations = {e["location"] for e in again.get_json()["errors"]}
    assert locations == {"shopee.partners[0].partner_id", "shopee.shops[0].shop_id",
                         "shopee.shops[0].authorised_partners[0].access_token", "oneshop.accounts[0].appid"}
    assert state(client) == before


def test_schema_errors_come_all_at_once_and_change_nothing(client: Any) -> None:
    before = state(client)
    answer = client.post("/_sandbox/world", json={"shopee": {"shops": [{"region": "XX"}, {"shop_id": "one"}]},
                                                  "extra": True})
    body = answer.get_json()
    assert answer.status_code == 400 and body["error"] == "invalid_world", body
    assert [(e["location"], e["message"][:20]) for e in body["errors"]] == [
        ("extra", "unknown field; known"),
        ("shopee.shops[0].region", "'XX' is not one of ["),
        ("shopee.shops[1].shop_id", "'one' is not of type"),
    ]
    assert body["message"].startswith("the world document has 3 problems: extra: unknown field")
    assert state(client) == before


def test_all_or_nothing_when_a_later_part_is_wrong(client: Any) -> None:
    """Good Shopee and 1shop parts, a SHOPLINE token for an unknown merchant: nothing is added."""
    before = state(client)
    document = {**GOOD, "shopline": {"tokens": [{"token": "t", "kind": "merchant", "merchant_id": "ghost"}]}}
    answer = client.post("/_sandbox/world", json=document)
    assert answer.status_code == 400
    assert [e["location"] for e in answer.get_json()["errors"]] == ["shopline.tokens[0].merchant_id"]
    assert state(client) == before
    assert client.get("/_sandbox/shopee/shops/840001").status_code == 404


@pytest.mark.parametrize(("body", "content_type", "status"), [
    ("[]", "application/json", 400),
    ("{", "application/json", 400),
    ("", "application/json", 400),
    ('{"shopee": {}}', "text/plain", 415),
])
def test_bodies_that_are_no_document(client: Any, body: str, content_type: str, status: int) -> None:
    answer = client.post("/_sandbox/world", data=body, content_type=content_type)
    assert answer.status_code == status
    assert answer.get_json()["error"] in ("invalid_body", "invalid_json", "unsupported_media_type")


def test_an_empty_document_adds_nothing(client: Any) -> None:
    before = state(client)
    answer = client.post("/_sandbox/world", json={})
    assert answer.status_code == 201
    assert state(client) == before


def test_posted_orders_raise_no_push(client: Any) -> None:
    """The document is the world's state, not news: no push for its orders, even to a subscribed app."""
    document = {"shopee": {"partners": [{"partner_id": 1400002, "push": {"callback_url": "http://127.0.0.1:9/p"}}],
                           "shops": [{"shop_id": 840002, "authorised_partners": [1400002],
                                      "generated_orders": {"count": 5}}]}}
    assert client.post("/_sandbox/world", json=document).status_code == 201
    assert client.get("/_sandbox/deliveries").get_json()["deliveries"] == []
    config = client.get("/_sandbox/shopee/partners/1400002/push").get_json()
    assert config["callback_url"] == "http://127.0.0.1:9/p" and 3 in config["push_config_on_list"]
