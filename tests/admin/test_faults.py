"""Injected faults (/_sandbox/faults): each platform's own envelope for 429 and 5xx, which requests a
rule fires on (skip, times, method, query, probability), broken bodies, latency, follow-up admin
calls between two requests, and the rule API itself (validation, counters, delete, reset)."""
from __future__ import annotations

import json
import time

import pytest

from mockserver.app import create_app
from tests.conftest import make_settings
from tests.support.clients import SandboxClient

ORDER_LIST = "/api/v2/order/get_order_list"
ALL = {"progress_status": "all", "payment_status": "all", "logistic_status": "all", "page": 1}


def _fault(client: SandboxClient, **rule) -> dict:
    answer = client.admin("POST", "/faults", rule)
    assert answer.status == 201, answer.body
    return answer.body


def _order_list(client: SandboxClient, **extra) -> object:
    now = client.now()
    params = {"time_range_field": "create_time", "time_from": now - 14 * 86400, "time_to": now, "page_size": 20,
              **extra}
    return client.shopee("GET", "order/get_order_list", params, validate=False)


def _oneshop_list(client: SandboxClient) -> object:
    return client.oneshop("order", ALL, validate=False)


# ---- the platforms' envelopes ---------------------------------------------------------------------
def test_a_429_on_a_shopee_path_is_shopees_rate_limit_error(sandbox):
    _fault(sandbox, path=ORDER_LIST, status=429)
    answer = _order_list(sandbox)
    assert answer.status == 429
    assert answer.body["error"] == "error_rate_limit"
    assert answer.body["message"] == "Too many requests. You have reached the rate limit. Please try again later."
    assert len(answer.body["request_id"]) == 32
    assert _order_list(sandbox).status == 200  # times defaults to 1


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_5xx_on_a_shopee_path_is_shopees_server_error_with_that_status(sandbox, status):
    _fault(sandbox, path=ORDER_LIST, status=status)
    answer = _order_list(sandbox)
    assert answer.status == status
    assert answer.body["error"] == "error_server" and answer.body["message"] == "System error. Please try again later."


def test_a_429_on_1shop_is_its_minus_9999_with_retry_after(sandbox):
    _fault(sandbox, path="/v1/order", status=429)
    answer = _oneshop_list(sandbox)
    assert (answer.status, answer.body, answer.headers["Retry-After"]) == (429, {"success": -9999}, "10")
    _fault(sandbox, path="/v1/order", status=429, retry_after=3)
    assert _oneshop_list(sandbox).headers["Retry-After"] == "3"


def test_a_5xx_on_1shop_is_its_server_error_envelope(sandbox):
    _fault(sandbox, path="/v1/order", status=503)
    answer = _oneshop_list(sandbox)
    assert answer.status == 503 and answer.body == {"success": -500, "data": [], "msg": "系統錯誤"}


def test_an_explicit_body_and_headers_replace_the_envelope(sandbox):
    _fault(sandbox, path="/v1/order", status=418, body={"teapot": True}, headers={"X-Why": "test"})
    answer = _oneshop_list(sandbox)
    assert (answer.status, answer.body, answer.headers["X-Why"]) == (418, {"teapot": True}, "test")
    _fault(sandbox, path="/v1/order", status=502, body="<html>Bad Gateway</html>")
    answer = _oneshop_list(sandbox)
    assert answer.status == 502 and answer.text == "<html>Bad Gateway</html>"
    assert answer.headers["Content-Type"].startswith("text/plain")


# ---- which requests a rule fires on --------------------------------------------------------------------
def test_skip_lets_requests_through_then_times_limits_the_faults(sandbox):
    rule = _fault(sandbox, path="/v1/order", status=500, skip=2, times=2)
    statuses = [_oneshop_list(sandbox).status for _ in range(6)]
    assert statuses == [200, 200, 500, 500, 200, 200]
    view = sandbox.admin("GET", f"/faults/{rule['id']}").body
    assert (view["matched"], view["fired"], view["remaining"]) == (6, 2, 0)


def test_times_null_fires_on_every_later_match(sandbox):
    _fault(sandbox, path="/v1/order", status=500, times=None)
    assert {_oneshop_list(sandbox).status for _ in range(5)} == {500}


def test_a_prefix_path_method_and_query_narrow_the_match(sandbox):
    appid = sandbox.creds_oneshop["appid"]
    _fault(sandbox, path="/v1/order*", method="get", query={"appid": "someone-else"}, status=500, times=None)
    assert _oneshop_list(sandbox).status == 200  # another appid
    _fault(sandbox, path="/v1/ord*", method="POST", status=500, times=None)
    assert _oneshop_list(sandbox).status == 200  # another method
    _fault(sandbox, path="/v1/order*", query={"appid": appid}, status=500)
    assert _oneshop_list(sandbox).status == 500
    assert sandbox.oneshop("order/NOPE", validate=False).success == -9  # that rule is spent


def test_the_first_rule_that_fires_decides_and_every_matching_rule_counts(sandbox):
    first = _fault(sandbox, path="/v1/order", status=503)
    second = _fault(sandbox, path="/v1/order", status=429)
    assert [_oneshop_list(sandbox).status for _ in range(3)] == [503, 429, 200]
    views = {f["id"]: f for f in sandbox.admin("GET", "/faults").body["faults"]}
    assert (views[first["id"]]["matched"], views[first["id"]]["fired"]) == (3, 1)
    assert (views[second["id"]]["matched"], views[second["id"]]["fired"]) == (3, 1)


def _probability_run(seed: int) -> list[int]:
    client = SandboxClient(create_app(make_settings(seed=seed)).test_client())
    _fault(client, path="/v1/order", status=500, times=None, probability=0.5)
    return [_oneshop_list(client).status for _ in range(24)]


def test_probability_is_a_repeatable_draw_from_the_worlds_seed():
    run = _probability_run(7)
    assert run == _probability_run(7)
    assert 0 < run.count(500) < 24  # some fail, some pass
    assert run != _probability_run(8)


def test_admin_paths_are_never_faulted(sandbox):
    _fault(sandbox, path="/*", status=500, times=None)
    assert sandbox.admin("GET", "/health").status == 200
    assert _oneshop_list(sandbox).status == 500


# ---- broken bodies, latency ---------------------------------------------------------------------------
def test_malformed_cuts_the_real_answer_so_it_is_no_longer_json(app):
    creds = app.test_client().get("/_sandbox/credentials").json["oneshop"]
    query = {"appid": creds["appid"], "secret": creds["secret"], **ALL}
    whole = app.test_client().get("/v1/order", query_string=query).get_data()
    SandboxClient(app.test_client()).admin("POST", "/faults", {"path": "/v1/order", "malformed": True})
    broken = app.test_client().get("/v1/order", query_string=query)
    assert broken.status_code == 200 and broken.content_type.startswith("application/json")
    assert broken.get_data() == whole[: len(whole) // 2]
    with pytest.raises(ValueError):
        json.loads(broken.get_data())


def test_delay_ms_holds_the_answer_back(sandbox):
    _fault(sandbox, path="/v1/order", delay_ms=60)
    started = time.perf_counter()
    assert _oneshop_list(sandbox).status == 200
    assert time.perf_counter() - started >= 0.06


# ---- admin calls between two requests ----------------------------------------------------------------
def test_then_runs_admin_calls_before_the_client_gets_the_answer(sandbox):
    """The way a status change lands between two pages of a list: the first page's request fires
    the rule, its admin call cancels the order, the next request sees the new status."""
    sn = sandbox.admin("POST", f"/shopee/shops/{sandbox.creds['shop_id']}/orders",
                       {"orders": [{"status": "READY_TO_SHIP", "items": [{"price": 5}]}]}).body["order_sns"][0]
    rule = _fault(sandbox, path=ORDER_LIST, then=[
        {"path": f"/_sandbox/shopee/orders/{sn}/events", "body": {"event": "buyer_cancel"}},
        {"method": "GET", "path": "/_sandbox/health"}])
    assert sandbox.admin("GET", f"/shopee/orders/{sn}").body["status"] == "READY_TO_SHIP"
    assert _order_list(sandbox).status == 200
    results = sandbox.admin("GET", f"/faults/{rule['id']}").body["then_results"]
    assert [(r["path"].rsplit("/", 1)[-1], r["status"]) for r in results] == [("events", 200), ("health", 200)]
    new_status = sandbox.admin("GET", f"/shopee/orders/{sn}").body["status"]
    assert new_status in ("IN_CANCEL", "CANCELLED") and new_status == results[0]["body"]["status"]


def test_a_failing_follow_up_call_is_recorded_not_raised(sandbox):
    rule = _fault(sandbox, path="/v1/order", then=[{"path": "/_sandbox/shopee/orders/NOPE/events",
                                                     "body": {"event": "pay"}}])
    assert _oneshop_list(sandbox).status == 200
    result, = sandbox.admin("GET", f"/faults/{rule['id']}").body["then_results"]
    assert result["status"] == 404 and result["body"]["error"] == "not_found"


# ---- the rule API --------------------------------------------------------------------------------------
@pytest.mark.parametrize("rule, message", [
    ({}, "path is required"),
    ({"path": "/_sandbox/health", "status": 500}, "path should be a platform path"),
    ({"path": "v1/order", "status": 500}, "path should be a platform path"),
    ({"path": "/v1/order"}, "a rule should do something"),
    ({"path": "/v1/order", "status": 404}, "needs a body"),
    ({"path": "/v1/order", "body": {}}, "body needs a status"),
    ({"path": "/v1/order", "status": 500, "malformed": True}, "not several"),
    ({"path": "/v1/order", "malformed": True, "drop": True}, "not several"),
    ({"path": "/v1/order", "status": 500, "probability": 0}, "probability should be > 0"),
    ({"path": "/v1/order", "status": 500, "times": 0}, "times should be >= 1"),
    ({"path": "/v1/order", "status": 500, "method": "BREW"}, "method should be one of"),
    ({"path": "/v1/order", "status": 500, "query": {"page": 1}}, "query should map names to strings"),
    ({"path": "/v1/order", "then": [{"path": "/v1/order"}]}, "should be an admin path"),
    ({"path": "/v1/order", "then": [{"path": "/_sandbox/faults"}]}, "should be an admin path"),
    ({"path": "/v1/order", "status": 500, "colour": "red"}, "unknown field colour"),
])
def test_a_rule_that_cannot_mean_anything_is_a_400_and_adds_nothing(sandbox, rule, message):
    answer = sandbox.admin("POST", "/faults", rule)
    assert answer.status == 400 and answer.body["error"] == "invalid_field", answer.body
    assert message in answer.body["message"]
    assert sandbox.admin("GET", "/faults").body == {"faults": []}


def test_rules_are_listed_fetched_deleted_and_cleared(sandbox):
    one = _fault(sandbox, path="/v1/order", status=500)
    two = _fault(sandbox, path=ORDER_LIST, status=429)
    assert [f["id"] for f in sandbox.admin("GET", "/faults").body["faults"]] == [one["id"], two["id"]]
    assert sandbox.admin("DELETE", f"/faults/{one['id']}").body == {"deleted": 1}
    assert sandbox.admin("GET", f"/faults/{one['id']}").status == 404
    assert sandbox.admin("DELETE", f"/faults/{one['id']}").status == 404
    assert _oneshop_list(sandbox).status == 200
    assert sandbox.admin("DELETE", "/faults").body == {"deleted": 1}
    assert _order_list(sandbox).status == 200


def test_a_reset_removes_every_rule(sandbox):
    _fault(sandbox, path="/v1/order", status=500, times=None)
    sandbox.admin("POST", "/reset", {})
    sandbox.forget_credentials()
    assert sandbox.admin("GET", "/faults").body == {"faults": []}
    assert _oneshop_list(sandbox).status == 200


# ---- the request journal --------------------------------------------------------------------------------
def test_the_journal_lists_platform_requests_in_order_with_the_faults_that_fired(sandbox):
    rule = _fault(sandbox, path="/v1/order", status=429)
    _oneshop_list(sandbox)
    _oneshop_list(sandbox)
    sandbox.oneshop("order/NOPE", validate=False)
    journal = sandbox.request("GET", "/_sandbox/requests", query={"path": "/v1/order*"}).body
    assert journal["count"] == 3
    assert [(e["path"], e["status"], e["fault"]) for e in journal["requests"]] == [
        ("/v1/order", 429, rule["id"]), ("/v1/order", 200, None), ("/v1/order/NOPE", 200, None)]
    assert journal["requests"][0]["query"]["page"] == "1" and journal["requests"][0]["method"] == "GET"
    assert all(not e["path"].startswith("/_sandbox") for e in
               sandbox.request("GET", "/_sandbox/requests").body["requests"])  # admin calls are not journaled
    latest = sandbox.request("GET", "/_sandbox/requests", query={"path": "/v1/order", "limit": 1}).body
    assert [e["status"] for e in latest["requests"]] == [200]


def test_the_journal_is_emptied_by_delete_and_by_a_reset(sandbox):
    _oneshop_list(sandbox)
    assert sandbox.admin("DELETE", "/requests").body == {"deleted": 1}
    _oneshop_list(sandbox)
    sandbox.admin("POST", "/reset", {})
    emptied = sandbox.request("GET", "/_sandbox/requests").body
    assert (emptied["requests"], emptied["count"], emptied["total"], emptied["bytes"]) == ([], 0, 0, 0)


def test_a_bad_journal_limit_is_a_400(sandbox):
    answer = sandbox.request("GET", "/_sandbox/requests", query={"limit": "0"})
    assert answer.status == 400 and answer.body["error"] == "invalid_field"


def test_shopline_paths_get_shoplines_own_fault_answers(sandbox):
    token = sandbox.admin("GET", "/credentials").body["shopline"]["openapi"]["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    _fault(sandbox, path="/v1/webhooks", status=429)
    limited = sandbox.request("GET", "/v1/webhooks", headers=auth, validate=False)
    assert (limited.status, limited.body) == (429, {
        "error": "Rate limit exceeded for attempts to access Open API. please try again later",
        "code": "RateLimitExceeded"})
    _fault(sandbox, path="/v1/webhooks", status=503)
    unavailable = sandbox.request("GET", "/v1/webhooks", headers=auth, validate=False)
    assert unavailable.status == 503 and unavailable.body["code"] == "ServiceUnavailable"
    _fault(sandbox, path="/admin/openapi/*", status=502)
    assert sandbox.request("GET", "/admin/openapi/v20250601/webhooks.json", validate=False).body == {
        "errors": "Bad Gateway"}
