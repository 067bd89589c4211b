"""SHOPLINE global-flavour subscriptions (reference B): /admin/openapi/<version>/webhooks.json,
webhooks/count.json and <id>/webhooks.json, one topic per subscription, bearer tokens, {"errors"}
bodies. Answers are validated against contracts/shopline-global/openapi.yaml by the test client."""
from __future__ import annotations

import re

import pytest

from mockserver.shopline import topics
from tests.shopline.emission_support import (
    VERSION,
    advance,
    creds,
    global_api,
    subscribe_global,
)

URL = "https://receiver.example.com/shopline"


def _count(sandbox, token=None) -> int:
    return global_api(sandbox, "GET", "webhooks/count.json", token=token).body["count"]


def test_create_answers_the_webhook_envelope(sandbox):
    answer = global_api(sandbox, "POST", "webhooks.json",
                        {"webhook": {"address": URL, "api_version": "v20220301", "topic": "orders/updated"}})
    assert answer.status == 200, answer.body
    webhook = answer.body["webhook"]
    assert set(webhook) == {"id", "topic", "address", "api_version", "created_at", "updated_at"}
    assert re.fullmatch(r"[0-9]{19}", webhook["id"])
    assert (webhook["topic"], webhook["address"], webhook["api_version"]) == ("orders/updated", URL, "v20220301")
    assert webhook["created_at"] == webhook["updated_at"] == "2026-11-18T19:06:40+08:00"  # T0 in the shop's zone
    assert global_api(sandbox, "GET", f"{webhook['id']}/webhooks.json").body == {"webhook": webhook}


def test_api_version_defaults_to_the_paths_version(sandbox):
    answer = global_api(sandbox, "POST", "webhooks.json", {"webhook": {"address": URL, "topic": "orders/paid"}},
                        version="v20230601")
    assert answer.body["webhook"]["api_version"] == "v20230601"


def test_every_global_topic_can_be_subscribed_one_per_call(sandbox):
    ids = [subscribe_global(sandbox, URL, topic)["id"] for topic in topics.GLOBAL_TOPICS]
    listed = global_api(sandbox, "GET", "webhooks.json").body["webhooks"]
    assert [w["id"] for w in listed] == ids and [w["topic"] for w in listed] == list(topics.GLOBAL_TOPICS)
    assert _count(sandbox) == len(topics.GLOBAL_TOPICS)


def test_update_changes_only_the_given_fields(sandbox):
    created = subscribe_global(sandbox, URL)
    advance(sandbox, 60)
    answer = global_api(sandbox, "PUT", f"{created['id']}/webhooks.json", {"webhook": {"topic": "orders/paid"}})
    assert answer.status == 200
    assert answer.body["webhook"] == {**created, "topic": "orders/paid", "updated_at": "2026-11-18T19:07:40+08:00"}


@pytest.mark.parametrize("field", ["address", "topic", "api_version"])
def test_an_update_with_a_null_field_is_blank_not_left_out(sandbox, field):
    """null is a blank value (422), unlike a field left out (kept): the contract types none nullable."""
    created = subscribe_global(sandbox, URL)
    answer = global_api(sandbox, "PUT", f"{created['id']}/webhooks.json", {"webhook": {field: None}})
    assert answer.status == 422 and answer.body == {"errors": f"{field} can't be blank"}
    assert global_api(sandbox, "GET", f"{created['id']}/webhooks.json").body == {"webhook": created}


def test_delete_removes_it(sandbox):
    created = subscribe_global(sandbox, URL)
    answer = global_api(sandbox, "DELETE", f"{created['id']}/webhooks.json")
    assert answer.status == 200 and answer.body == {}
    assert global_api(sandbox, "GET", f"{created['id']}/webhooks.json").status == 404
    assert _count(sandbox) == 0


def test_a_shop_sees_only_its_own_subscriptions(sandbox):
    c = creds(sandbox)["global"]
    other = next(s["access_token"] for s in c["shops"] if s["shop_id"] != c["shop_id"])
    created = subscribe_global(sandbox, URL)
    assert global_api(sandbox, "GET", f"{created['id']}/webhooks.json", token=other).status == 404
    assert global_api(sandbox, "DELETE", f"{created['id']}/webhooks.json", token=other).status == 404
    assert _count(sandbox, other) == 0 and _count(sandbox) == 1


@pytest.mark.parametrize("body,status,errors", [
    ({"webhook": {"address": URL, "topic": "order/create"}}, 422, "topic is invalid"),
    ({"webhook": {"address": URL, "topic": 7}}, 422, "topic is invalid"),
    ({"webhook": {"address": URL}}, 422, "topic can't be blank"),
    ({"webhook": {"address": "not a url", "topic": "orders/updated"}}, 422, "address is invalid"),
    ({"webhook": {"topic": "orders/updated"}}, 422, "address can't be blank"),
    ({"webhook": {"address": URL, "topic": "orders/updated", "api_version": "2021-09"}}, 422, "api_version is invalid"),
    ({"webhook": {"address": URL, "topic": "orders/updated", "api_version": "v20211301"}}, 422, "api_version is invalid"),
    ({"webhook": {"address": URL, "topic": None}}, 422, "topic can't be blank"),
    ({"webhook": {"address": URL, "topic": "orders/updated", "api_version": None}}, 422, "api_version can't be blank"),
    ({"address": URL, "topic": "orders/updated"}, 400, "Required parameter missing or invalid: webhook"),
    ([], 400, "Required parameter missing or invalid: webhook"),
])
def test_a_bad_create_is_refused_with_errors_and_creates_nothing(sandbox, body, status, errors):
    answer = global_api(sandbox, "POST", "webhooks.json", body)
    assert answer.status == status and answer.body == {"errors": errors}
    assert _count(sandbox) == 0


def test_the_same_address_and_topic_twice_is_a_422(sandbox):
    created = subscribe_global(sandbox, URL)
    again = global_api(sandbox, "POST", "webhooks.json", {"webhook": {"address": URL, "topic": "orders/updated"}})
    assert again.status == 422 and again.body == {"errors": "address for this topic has already been taken"}
    other = subscribe_global(sandbox, URL, "orders/paid")
    clash = global_api(sandbox, "PUT", f"{other['id']}/webhooks.json", {"webhook": {"topic": "orders/updated"}})
    assert clash.status == 422
    assert global_api(sandbox, "GET", f"{created['id']}/webhooks.json").body["webhook"] == created
    assert _count(sandbox) == 2


@pytest.mark.parametrize("webhook_id", ["abc", "1234567890123456789", "12a"])
def test_an_unknown_or_malformed_id_is_a_404(sandbox, webhook_id):
    for method in ("GET", "PUT", "DELETE"):
        answer = global_api(sandbox, method, f"{webhook_id}/webhooks.json",
                            {"webhook": {"topic": "orders/paid"}} if method == "PUT" else None)
        assert answer.status == 404 and answer.body == {"errors": "Not Found"}


@pytest.mark.parametrize("token", ["", "nope"])
def test_a_missing_or_wrong_token_is_a_401(sandbox, token):
    for method, path in (("GET", "webhooks.json"), ("POST", "webhooks.json"), ("GET", "webhooks/count.json"),
                         ("GET", "1/webhooks.json")):
        answer = global_api(sandbox, method, path, {"webhook": {}} if method == "POST" else None, token=token)
        assert answer.status == 401 and answer.body == {
            "errors": "Invalid API key or access token (unrecognized login or wrong password)"}


@pytest.mark.parametrize("version", ["v1", "2021-09", "v2021090", "v20211332"])
def test_an_unknown_version_is_a_404(sandbox, version):
    answer = global_api(sandbox, "GET", "webhooks.json", version=version)
    assert answer.status == 404 and answer.body == {"errors": "Not Found"}


def test_other_paths_and_methods_answer_errors_json(sandbox):
    answer = sandbox.request("GET", f"/admin/openapi/{VERSION}/orders.json")
    assert answer.status == 404 and answer.body == {"errors": "Not Found"}
    wrong = global_api(sandbox, "PATCH", "webhooks.json")
    assert wrong.status == 405 and wrong.body == {"errors": "Method Not Allowed"}
