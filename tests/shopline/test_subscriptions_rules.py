"""Issue 12 on the Open API subscriptions REST: the rate limit after the clock goes back (point 2), a
repeated paging parameter (point 3), one address and topic subscribed twice (point 9), and
webhook_version (point 11). Every answer is checked against contracts/shopline/openapi.yaml."""
from __future__ import annotations

import pytest

from tests.shopline.emission_support import b64, creds, openapi, subscribe, verifying

WARNING = "X-Sandbox-Warning"


def _list(sandbox, query: list[tuple[str, str]]):
    token = creds(sandbox)["openapi"]["access_token"]
    return sandbox.request("GET", "/v1/webhooks", query=query, headers={"Authorization": f"Bearer {token}"})


# ---- point 2: the limiter never holds requests from the future -----------------------------------------
def test_requests_made_an_hour_ahead_do_not_block_after_the_clock_goes_back(sandbox):
    now = sandbox.now()
    sandbox.admin("POST", "/clock", {"now": now + 3600})
    for _ in range(20):
        assert openapi(sandbox, "GET").status == 200
    assert openapi(sandbox, "GET").status == 429
    sandbox.admin("POST", "/clock", {"now": now})
    answer = openapi(sandbox, "GET")
    assert answer.status == 200, (answer.status, answer.headers.get("Retry-After"))
    for _ in range(19):
        assert openapi(sandbox, "GET").status == 200
    refused = openapi(sandbox, "GET")
    assert refused.status == 429 and refused.headers["Retry-After"] == "1"  # never more than the window


# ---- point 3: repeated query parameters -------------------------------------------------------------------
def test_a_repeated_page_uses_the_first_value_and_says_so(sandbox, inbox):
    for i in range(3):
        subscribe(sandbox, inbox, ["order/create"], path=f"/h{i}")
    answer = _list(sandbox, [("per_page", "2"), ("page", "2"), ("page", "1")])
    assert answer.status == 200 and answer.body["pagination"]["current_page"] == 2
    assert len(answer.body["items"]) == 1
    warning = answer.headers[WARNING]
    assert "page" in warning and "'2', '1'" in warning and "first" in warning


def test_strict_mode_refuses_a_repeated_page_as_joi_refuses_an_array(sandbox):
    sandbox.admin("POST", "/strict", {"strict": True})
    answer = _list(sandbox, [("per_page", "5"), ("per_page", "5")])
    assert answer.status == 422
    assert answer.body == {"message": 'Unable to process the changes ["per_page" must be a number]'}


# ---- point 9: the same address and topic twice ---------------------------------------------------------------
def test_the_same_address_and_topic_cannot_be_subscribed_twice(sandbox, inbox):
    first = subscribe(sandbox, inbox, ["order/create", "order/update"])
    url = inbox.url_for("/hook")
    again = openapi(sandbox, "POST", body={"address": url, "topics": ["user/create", "order/update"]})
    assert again.status == 422
    assert again.body == {"message": 'Unable to process the changes ["address" is already subscribed to '
                                     f'"order/update" by webhook {first["id"]}]'}
    handshakes = len(inbox.requests("/hook"))
    assert handshakes == 1  # refused before the endpoint verification
    # Another topic to the same address, or the same topic to another address: both fine.
    assert openapi(sandbox, "POST", body={"address": url, "topics": ["user/create"]}).status == 200
    other = verifying(inbox, "/other", b64(creds(sandbox)["openapi"]["app_id"]))
    assert openapi(sandbox, "POST", body={"address": other, "topics": ["order/create"]}).status == 200


def test_an_update_cannot_make_a_duplicate_either(sandbox, inbox):
    first = subscribe(sandbox, inbox, ["order/create"], path="/a")
    second = subscribe(sandbox, inbox, ["user/create"], path="/b")
    moved = openapi(sandbox, "PUT", "/" + second["id"], body={"address": first["address"],
                                                             "topics": ["user/create", "order/create"]})
    assert moved.status == 422 and f"by webhook {first['id']}" in moved.body["message"]
    assert openapi(sandbox, "GET", "/" + second["id"]).body["address"] == second["address"]
    assert openapi(sandbox, "PUT", "/" + first["id"], body={"topics": ["order/create", "order/update"]}).status == 200


def test_a_trigger_reaches_one_subscription_once(sandbox, inbox):
    subscribe(sandbox, inbox, ["order/create"])
    answer = sandbox.admin("POST", "/shopline/trigger", {"topic": "order/create"})
    assert len(answer.body["deliveries"]) == 1


def test_another_owner_may_subscribe_the_same_address(sandbox, inbox):
    subscribe(sandbox, inbox, ["order/create"])
    merchant = creds(sandbox)["openapi"]["merchant_token"]
    url = verifying(inbox, "/m", b64(creds(sandbox)["openapi"]["merchant_id"]))
    assert openapi(sandbox, "POST", body={"address": url, "topics": ["order/create"]}, token=merchant).status == 200


# ---- point 11: webhook_version ------------------------------------------------------------------------------
def test_webhook_version_is_accepted_stored_and_returned(sandbox, inbox):
    url = verifying(inbox, "/hook", b64(creds(sandbox)["openapi"]["app_id"]))
    created = openapi(sandbox, "POST", body={"address": url, "topics": ["order/create"], "webhook_version": "v1"})
    assert created.status == 200 and created.body["webhook_version"] == "v1"
    sub_id = created.body["id"]
    assert openapi(sandbox, "GET", "/" + sub_id).body["webhook_version"] == "v1"
    assert openapi(sandbox, "GET").body["items"][0]["webhook_version"] == "v1"
    updated = openapi(sandbox, "PUT", "/" + sub_id, body={"webhook_version": "2024-01"})
    assert updated.status == 200 and updated.body["webhook_version"] == "2024-01"
    assert updated.body["topics"] == ["order/create"]  # the other fields kept
    kept = openapi(sandbox, "PUT", "/" + sub_id, body={"topics": ["order/update"]})
    assert kept.body["webhook_version"] == "2024-01"
    admin, = sandbox.admin("GET", "/shopline/subscriptions").body["openapi"]
    assert admin["webhook_version"] == "2024-01"


def test_a_subscription_without_webhook_version_does_not_show_one(sandbox, inbox):
    assert "webhook_version" not in subscribe(sandbox, inbox, ["order/create"])


@pytest.mark.parametrize("value", [1, None, ["v1"], {"v": 1}])
def test_webhook_version_must_be_a_string(sandbox, inbox, value):
    url = verifying(inbox, "/hook", b64(creds(sandbox)["openapi"]["app_id"]))
    answer = openapi(sandbox, "POST", body={"address": url, "topics": ["order/create"], "webhook_version": value})
    assert answer.status == 422
    assert answer.body == {"message": 'Unable to process the changes ["webhook_version" must be a string]'}
