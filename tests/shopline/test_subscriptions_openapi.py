"""SHOPLINE Open API subscriptions (reference A): POST|GET /v1/webhooks, GET|PUT|DELETE /v1/webhooks/<id>
with bearer tokens, the documented shapes, pagination, errors and the rate limit. Every answer is
validated against contracts/shopline/openapi.yaml by the test client."""
from __future__ import annotations

import re

import pytest

from mockserver.shopline import topics
from tests.conftest import T0
from tests.shopline.emission_support import (
    advance,
    b64,
    creds,
    no_rate_limit,
    openapi,
    subscribe,
    verifying,
)

HEX24 = re.compile(r"^[0-9a-f]{24}$")
ISO_MS_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
T0_ISO = "2026-11-18T11:06:40.000Z"  # T0 = 1_795_000_000


def _listed(sandbox, **query) -> dict:
    answer = openapi(sandbox, "GET", query=query or None)
    assert answer.status == 200, answer.body
    return answer.body


# ---- create, read ---------------------------------------------------------------------------------
def test_create_answers_the_documented_shape_and_stores_canonical_topics(sandbox, inbox):
    created = subscribe(sandbox, inbox, ["order/create", "promotion/redeeem", "order/create", "tax/create"])
    assert set(created) == {"id", "format", "address", "status", "merchant_id", "created_at", "updated_at", "topics"}
    assert HEX24.match(created["id"]) and created["format"] == "json" and created["status"] == "active"
    assert created["merchant_id"] == creds(sandbox)["openapi"]["merchant_id"]
    assert created["address"] == inbox.url_for("/hook")
    assert created["created_at"] == created["updated_at"] == T0_ISO and ISO_MS_Z.match(created["created_at"])
    # The seed's typo is accepted and stored as the payload's spelling; duplicates collapse; enum extras accepted.
    assert created["topics"] == ["order/create", "promotion/redeem", "tax/create"]
    got = openapi(sandbox, "GET", "/" + created["id"])
    assert got.status == 200 and got.body == created
    assert openapi(sandbox, "GET", "/" + created["id"].upper()).body == created  # the pattern allows A-F


def test_every_subscribable_topic_is_accepted_in_one_subscription(sandbox, inbox):
    created = subscribe(sandbox, inbox, list(topics.subscribable_topics()))
    assert created["topics"] == list(topics.SEED_TOPICS + topics.EXTRA_TOPICS + topics.REFERENCE_TOPICS)
    assert len(topics.SEED_TOPICS) == 47


def test_list_is_paginated_24_per_page_by_default_oldest_first(sandbox, inbox):
    no_rate_limit(sandbox)
    ids = [subscribe(sandbox, inbox, ["order/create"], path=f"/hook{i}")["id"] for i in range(26)]
    first = _listed(sandbox)
    assert first["pagination"] == {"current_page": 1, "per_page": 24, "total_count": 26, "total_pages": 2}
    assert [s["id"] for s in first["items"]] == ids[:24]
    second = _listed(sandbox, page=2)
    assert [s["id"] for s in second["items"]] == ids[24:]
    small = _listed(sandbox, page=3, per_page=10)
    assert small["pagination"] == {"current_page": 3, "per_page": 10, "total_count": 26, "total_pages": 3}
    assert [s["id"] for s in small["items"]] == ids[20:]
    assert _listed(sandbox, page=9)["items"] == []


def test_an_empty_list_has_no_pages(sandbox):
    assert _listed(sandbox) == {"items": [], "pagination": {"current_page": 1, "per_page": 24,
                                                            "total_count": 0, "total_pages": 0}}


@pytest.mark.parametrize("query,detail", [
    ({"page": "0"}, '"page" must be greater than or equal to 1'),
    ({"page": "x"}, '"page" must be a number'),
    ({"per_page": "1000"}, '"per_page" must be less than or equal to 999'),
    # Joi's number(): an empty value is not a number (the contract has no allowEmptyValue), nor is
    # what only Python's int() reads.
    ({"page": ""}, '"page" must be a number'),
    ({"per_page": ""}, '"per_page" must be a number'),
    ({"page": "1_0"}, '"page" must be a number'),
    ({"page": "\u0661"}, '"page" must be a number'),
])
def test_bad_pagination_is_a_422(sandbox, query, detail):
    answer = openapi(sandbox, "GET", query=query)
    assert answer.status == 422 and answer.body == {"message": f"Unable to process the changes [{detail}]"}


def test_a_token_sees_only_its_own_subscriptions(sandbox, inbox):
    c = creds(sandbox)["openapi"]
    mine = subscribe(sandbox, inbox, ["order/create"])
    other_app_token = next(t["token"] for t in c["tokens"] if t["kind"] == "app" and t["merchant_id"] != c["merchant_id"])
    for token in (other_app_token, c["merchant_token"]):
        assert openapi(sandbox, "GET", "/" + mine["id"], token=token).status == 404
        assert openapi(sandbox, "DELETE", "/" + mine["id"], token=token).status == 404
        assert openapi(sandbox, "GET", token=token).body["items"] == []
    assert openapi(sandbox, "GET", "/" + mine["id"]).status == 200


# ---- update, delete --------------------------------------------------------------------------------
def test_put_changes_topics_without_a_new_handshake_and_bumps_updated_at(sandbox, inbox):
    created = subscribe(sandbox, inbox, ["order/create"])
    advance(sandbox, 5)
    handshakes = len(inbox.received)
    updated = openapi(sandbox, "PUT", "/" + created["id"], {"topics": ["order/update", "product/create"]})
    assert updated.status == 200, updated.body
    assert updated.body["topics"] == ["order/update", "product/create"]
    assert updated.body["created_at"] == T0_ISO and updated.body["updated_at"] == "2026-11-18T11:06:45.000Z"
    assert len(inbox.received) == handshakes  # same address: no verification


def test_put_with_a_new_address_verifies_it_first(sandbox, inbox):
    created = subscribe(sandbox, inbox, ["order/create"])
    new_url = verifying(inbox, "/new", b64(creds(sandbox)["openapi"]["app_id"]))
    updated = openapi(sandbox, "PUT", "/" + created["id"], {"address": new_url})
    assert updated.status == 200 and updated.body["address"] == new_url
    assert [r.json() for r in inbox.requests("/new")] == [{"topic": "webhook/verification"}]


def test_delete_answers_the_record_as_removed_then_it_is_gone(sandbox, inbox):
    created = subscribe(sandbox, inbox, ["order/create"])
    deleted = openapi(sandbox, "DELETE", "/" + created["id"])
    assert deleted.status == 200 and deleted.body == {**created, "status": "removed"}
    assert openapi(sandbox, "GET", "/" + created["id"]).status == 404
    assert openapi(sandbox, "DELETE", "/" + created["id"]).status == 404
    assert _listed(sandbox)["pagination"]["total_count"] == 0


# ---- errors ----------------------------------------------------------------------------------------
def _state(sandbox) -> dict:
    return sandbox.admin("GET", "/shopline/subscriptions").body


@pytest.mark.parametrize("body,detail", [
    ({"address": "http://127.0.0.1:9/h", "topics": ["order/creat"]},
     '"topics[0]" must be one of [' + ", ".join(topics.subscribable_topics()) + "]"),
    ({"address": "http://127.0.0.1:9/h", "topics": ["order/create", 5]}, '"topics[1]" must be a string'),
    ({"address": "http://127.0.0.1:9/h", "topics": []}, '"topics" must contain at least 1 items'),
    ({"address": "http://127.0.0.1:9/h", "topics": "order/create"}, '"topics" must be an array'),
    ({"address": "not a url", "topics": ["order/create"]}, '"address" must be a valid uri'),
    ({"address": "ftp://example.com/h", "topics": ["order/create"]}, '"address" must be a valid uri'),
    ({"address": "http://example.com/h#x", "topics": ["order/create"]}, '"address" must be a valid uri'),
    ({"address": 5, "topics": ["order/create"]}, '"address" must be a string'),
    ({"topics": ["order/create"]}, '"address" is required'),
    ({"address": "http://127.0.0.1:9/h"}, '"topics" is required'),
    ({"address": "http://127.0.0.1:9/h", "topics": ["order/create"], "format": "xml"}, '"format" is not allowed'),
    ([], '"value" must be of type object'),
])
def test_a_bad_create_body_is_a_422_and_creates_nothing(sandbox, inbox, body, detail):
    answer = openapi(sandbox, "POST", body=body)
    assert answer.status == 422, answer.body
    assert answer.body == {"message": f"Unable to process the changes [{detail}]"}
    assert _state(sandbox)["openapi"] == [] and inbox.received == []  # not even a handshake


def test_a_body_that_is_not_json_is_a_422(sandbox):
    answer = openapi(sandbox, "POST", raw=b"{not json")
    assert answer.status == 422 and answer.body["message"] == 'Unable to process the changes ["value" must be of type object]'


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_a_malformed_id_answers_the_documented_message(sandbox, method):
    answer = openapi(sandbox, method, "/abc123", body={"topics": ["order/create"]} if method == "PUT" else None)
    assert answer.status == 422
    # Reference A's message, verbatim (the sandbox writes its JSON compact, as a Node server does).
    assert answer.body == {"message": 'Unable to process the changes ["webhookId" with value "abc123" '
                                      'fails to match the required pattern: /^[0-9a-fA-F]{24}$/]'}


def test_an_unknown_id_is_a_404(sandbox):
    answer = openapi(sandbox, "GET", "/0123456789abcdef01234567")
    assert answer.status == 404 and answer.body == {"error": "Webhook not found", "code": "NotFound"}


def test_a_bad_update_changes_nothing(sandbox, inbox):
    created = subscribe(sandbox, inbox, ["order/create"])
    for body, status in (({}, 422), ({"topics": ["nope/nope"]}, 422), ({"address": "x"}, 422), ({"status": "removed"}, 422)):
        assert openapi(sandbox, "PUT", "/" + created["id"], body).status == status
    assert openapi(sandbox, "GET", "/" + created["id"]).body == created


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"},
                                     {"Authorization": "Bearer "}])
def test_a_missing_or_wrong_token_is_a_401(sandbox, headers):
    for method, path in (("GET", "/v1/webhooks"), ("POST", "/v1/webhooks"), ("GET", "/v1/webhooks/x"),
                         ("DELETE", "/v1/webhooks/0123456789abcdef01234567")):
        answer = sandbox.request(method, path, headers=headers, json_body={} if method == "POST" else None)
        assert answer.status == 401, (method, path, answer.body)
        assert answer.body == {"error": "Invalid or missing access token", "code": "Unauthorized"}
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_method_is_a_405_in_shoplines_shape(sandbox):
    answer = openapi(sandbox, "PATCH", "/0123456789abcdef01234567")
    assert answer.status == 405 and answer.body["code"] == "MethodNotAllowed"
    assert answer.headers["Allow"] == "GET, HEAD, PUT, DELETE"
    assert openapi(sandbox, "DELETE").headers["Allow"] == "GET, HEAD, POST"


def test_the_rate_limit_is_20_requests_a_second_per_token(sandbox):
    for _ in range(20):
        assert openapi(sandbox, "GET").status == 200
    refused = openapi(sandbox, "GET")
    assert refused.status == 429
    assert refused.body == {"error": "Rate limit exceeded for attempts to access Open API. please try again later",
                            "code": "RateLimitExceeded"}
    assert refused.headers["Retry-After"] == "1"
    assert openapi(sandbox, "GET", token=creds(sandbox)["openapi"]["merchant_token"]).status == 200  # per token
    advance(sandbox, 1)
    assert openapi(sandbox, "GET").status == 200


def test_times_follow_the_sandbox_clock(sandbox, inbox):
    advance(sandbox, 0.25)
    created = subscribe(sandbox, inbox, ["order/create"])
    assert created["created_at"] == "2026-11-18T11:06:40.250Z"
    assert sandbox.now() == T0
