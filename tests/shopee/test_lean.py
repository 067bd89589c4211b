"""The Shopee calls answered below Flask (shopee/lean.py) answer exactly as Flask's path does.

Two sandboxes of the same seed and clock, one with the lean handler switched off, get the same
requests; status, body and the headers a client reads must be equal.
"""
from __future__ import annotations

import pytest

from mockserver.app import create_app
from mockserver.shopee import lean
from tests.conftest import make_settings
from tests.support.clients import SandboxClient
from tests.support.shopee_signer import signed_query

HEADERS = ("Content-Type", "X-Sandbox-Warning", "Retry-After")


@pytest.fixture
def pair(monkeypatch) -> tuple[SandboxClient, SandboxClient]:
    fast = SandboxClient(flask_client=create_app(make_settings()).test_client())
    monkeypatch.setattr(lean, "handler", lambda store, on_crash: (lambda environ: None))
    slow = SandboxClient(flask_client=create_app(make_settings()).test_client())
    return fast, slow


def both(pair, method: str, path: str, **kwargs):
    answers = [client.request(method, path, validate=False, **kwargs) for client in pair]
    fast, slow = answers
    assert (fast.status, comparable(fast)) == (slow.status, comparable(slow)), path
    for name in HEADERS:
        assert fast.headers.get(name) == slow.headers.get(name), name
    return fast


def comparable(answer) -> object:
    """The body without its request_id (random per request, as Shopee's)."""
    if isinstance(answer.body, dict):
        return {k: v for k, v in answer.body.items() if k != "request_id"}
    return answer.text


def signed(pair, path: str, **extra) -> dict:
    creds = pair[0].creds
    return {**signed_query(creds, path, pair[0].now()), **extra}


def test_a_signed_list_and_its_detail_answer_the_same(pair):
    path = "/api/v2/order/get_order_list"
    query = signed(pair, path, time_range_field="create_time", time_from=pair[0].now() - 86400 * 14,
                   time_to=pair[0].now(), page_size=20)
    listed = both(pair, "GET", path, query=query)
    assert listed.status == 200 and listed.body["response"]["order_list"]
    first = listed.body["response"]["order_list"][0]["order_sn"]
    path = "/api/v2/order/get_order_detail"
    detail = both(pair, "GET", path, query=signed(pair, path, order_sn_list=first))
    assert detail.body["response"]["order_list"][0]["order_sn"] == first


def test_errors_and_warnings_answer_the_same(pair):
    path = "/api/v2/order/get_order_list"
    bad_sign = {**signed(pair, path), "sign": "0" * 64}
    assert both(pair, "GET", path, query=bad_sign).status == 403
    assert both(pair, "GET", path, query=signed(pair, path, page_size="x", unheard_of="1")).status == 400
    assert both(pair, "GET", "/api/v2/order/no_such_api", query=signed(pair, "/api/v2/order/no_such_api")).status == 404
    # Repeated parameters, an unknown one: accepted with a warning header both ways.
    path = "/api/v2/order/get_order_detail"
    answer = both(pair, "GET", path, query=signed(pair, path, order_sn_list="X1", extra_thing="1"))
    assert answer.headers.get("X-Sandbox-Warning")


def test_posts_with_json_with_other_bodies_and_without_one_answer_the_same(pair):
    path = "/api/v2/logistics/ship_order"
    both(pair, "POST", path, query=signed(pair, path), json_body={"order_sn": "NOPE"})
    both(pair, "POST", path, query=signed(pair, path), data="order_sn=NOPE",
         headers={"Content-Type": "application/x-www-form-urlencoded"})
    both(pair, "POST", path, query=signed(pair, path), data="{not json", headers={"Content-Type": "application/json"})
    both(pair, "POST", path, query=signed(pair, path))


def test_a_query_that_is_not_utf8_is_left_to_flask_and_its_body_is_unread(pair):
    path = "/api/v2/logistics/ship_order"
    query = "&".join(f"{k}={v}" for k, v in signed(pair, path).items()) + "&note=%ff%fe"
    for client in pair:
        response = client._flask.post(path + "?" + query, json={"order_sn": "NOPE"})
        assert response.status_code < 500
        assert response.is_json
    fast, slow = (client._flask.post(path + "?" + query, json={"order_sn": "NOPE"}).get_json() for client in pair)
    fast.pop("request_id"), slow.pop("request_id")
    assert fast == slow


def test_a_crash_below_flask_answers_the_platform_envelope_and_is_recorded(monkeypatch):
    app = create_app(make_settings())
    client = SandboxClient(flask_client=app.test_client())
    path = "/api/v2/order/get_order_list"
    query = signed_query(client.creds, path, client.now())

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(lean, "answer", broken)
    answer = client.request("GET", path, query=query, validate=False)
    assert answer.status == 500
    assert answer.body["error"] == "error_server"
    errors = client.admin("GET", "/errors").body
    assert any(e["path"] == path and "boom" in str(e) for e in errors["errors"])


def test_the_journal_keeps_a_lean_call_like_any_other(pair):
    path = "/api/v2/order/get_order_list"
    both(pair, "GET", path, query=signed(pair, path, page_size="x"))
    for client in pair:
        entries = client.admin("GET", "/requests").body["requests"]
        assert [(e["method"], e["path"], e["status"]) for e in entries][-1] == ("GET", path, 400)


def test_a_call_answered_below_flask_counts_as_a_change_for_the_state_dir_saver():
    """The saver of --state-dir saves only when store.changes moved: a Shopee call answered by
    lean.py (which no Flask hook sees) must move it, an admin read must not."""
    app = create_app(make_settings())
    store = app.extensions["shop_sandbox"]
    client = SandboxClient(flask_client=app.test_client())
    path = "/api/v2/logistics/ship_order"
    query = signed_query(client.creds, path, client.now())
    before = store.changes
    client.request("GET", "/_sandbox/health", validate=False)
    assert store.changes == before
    client.request("POST", path, query=query, json_body={"order_sn": "NOPE"}, validate=False)
    assert store.changes == before + 1
