"""Request verification: pass/fail over the journal, and near misses that say which part of the
description each close request missed."""
from __future__ import annotations

import pytest

from mockserver.plugin.sandbox import verify_message

LIST = "/api/v2/order/get_order_list"


def _verify(sandbox, match, count=None, status=200):
    body = {"match": match} if count is None else {"match": match, "count": count}
    answer = sandbox.admin("POST", "/requests/verify", body)
    assert answer.status == status, answer.body
    return answer.body


def _list(sandbox, status: str, **extra):
    return sandbox.shopee("GET", "order/get_order_list", {"time_range_field": "create_time",
                                                          "time_from": sandbox.now() - 86400 * 14,
                                                          "time_to": sandbox.now(), "page_size": 20,
                                                          "order_status": status, **extra})


def test_a_match_passes_and_counts(sandbox):
    _list(sandbox, "READY_TO_SHIP")
    _list(sandbox, "UNPAID")
    result = _verify(sandbox, {"method": "GET", "path": LIST, "params": {"order_status": "READY_TO_SHIP"}})
    assert result["passed"] and result["count"] == 1 and result["expected"] == "at least 1"
    assert _verify(sandbox, {"path": "/api/v2/order/*"}, 2)["passed"]
    assert _verify(sandbox, {"path": LIST, "platform": "shopee", "status": 200}, {"at_least": 1, "at_most": 2})["passed"]


def test_a_failure_names_the_closest_requests_and_what_they_missed(sandbox):
    _list(sandbox, "UNPAID")
    sandbox.shopee("GET", "shop/get_shop_info")
    result = _verify(sandbox, {"path": LIST, "params": {"order_status": "READY_TO_SHIP", "page_size": "50"}})
    assert not result["passed"] and result["count"] == 0
    closest = result["near_misses"][0]
    assert closest["path"] == LIST  # the same API with other values beats another API
    assert {m["part"]: (m["expected"], m["actual"]) for m in closest["missed"]} == {
        "params.order_status": ("READY_TO_SHIP", "UNPAID"), "params.page_size": ("50", "20")}
    assert result["near_misses"][1]["path"] == "/api/v2/shop/get_shop_info"


def test_too_many_matches_fail_an_exact_count_and_show_the_extra(sandbox):
    for _ in range(3):
        _list(sandbox, "UNPAID")
    result = _verify(sandbox, {"path": LIST}, 2)
    assert not result["passed"] and result["count"] == 3 and len(result["extra"]) == 1


def test_params_may_be_patterns_presence_or_every_value(sandbox):
    sandbox.request("GET", "/v1/order", query=[("page", "1"), ("page", "2")], validate=False)
    assert _verify(sandbox, {"path": "/v1/order", "params": {"page": ["1", "2"]}})["passed"]
    assert _verify(sandbox, {"path": "/v1/order", "params": {"page": {"matches": "[0-9]"}}})["passed"]
    assert _verify(sandbox, {"path": "/v1/order", "params": {"appid": {"present": False}}})["passed"]
    assert not _verify(sandbox, {"path": "/v1/order", "params": {"page": "1"}})["passed"]  # it came twice


def test_a_body_matches_when_it_holds_every_field_asked_for(sandbox):
    creds = sandbox.creds
    order_sn = _list(sandbox, "READY_TO_SHIP").body["response"]["order_list"][0]["order_sn"]
    sandbox.shopee("POST", "order/set_note", {"order_sn": order_sn, "note": "fragile"})
    assert _verify(sandbox, {"method": "POST", "path": "/api/v2/order/set_note", "body": {"note": "fragile"},
                             "tenant": f"shop_id={creds['shop_id']}"})["passed"]
    missed = _verify(sandbox, {"path": "/api/v2/order/set_note", "body": {"note": "glass"}})["near_misses"][0]["missed"]
    assert missed == [{"part": "body.note", "expected": "glass", "actual": "fragile"}]


@pytest.mark.parametrize("body,message", [
    ({"match": {"pth": "/x"}}, "unknown field match.pth"),
    ({"match": {"path": "/x"}, "count": -1}, "count should be"),
    ({"match": {"path": "/x"}, "count": {"at_least": 3, "at_most": 1}}, "below"),
    ({"match": {"params": {"a": {"matches": "("}}}}, "not a regular expression"),
    ({"match": {"params": "page=1"}}, "match.params should be an object"),
])
def test_a_description_the_verifier_cannot_use_is_a_400(sandbox, body, message):
    answer = sandbox.admin("POST", "/requests/verify", body)
    assert answer.status == 400 and message in answer.body["message"]


def test_the_assertion_message_reads_like_a_diff():
    result = {"passed": False, "count": 0, "expected": "at least 1", "searched": 2, "near_misses": [
        {"id": 7, "method": "GET", "path": LIST, "status": 200, "error": None, "platform": "shopee",
         "tenant": "shop_id=1", "missed": [{"part": "params.order_status", "expected": "READY_TO_SHIP",
                                            "actual": "UNPAID"}]}]}
    text = verify_message({"method": "GET", "path": LIST, "params": {"order_status": "READY_TO_SHIP"}}, result)
    assert text.splitlines() == [
        f"shop-sandbox: expected GET {LIST} with order_status='READY_TO_SHIP' at least 1 time(s); it was "
        "requested 0 time(s) (of 2 requests in the journal)",
        "closest requests:",
        f"  #7 GET {LIST} -> 200  [shopee shop_id=1]",
        "      params.order_status: expected 'READY_TO_SHIP', got 'UNPAID'"]
