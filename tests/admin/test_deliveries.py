"""The deliveries admin API: custom deliveries, flush, retries driven by /_sandbox/clock, filters,
detail, replay, reset, isolation between apps; every answer is checked against the admin contract."""
from __future__ import annotations

import pytest

from mockserver.app import create_app
from mockserver.core.delivery_model import Policy
from mockserver.testing import Reply, WebhookInbox
from tests.conftest import T0, make_settings
from tests.support.clients import SandboxClient


@pytest.fixture
def inbox():
    with WebhookInbox() as inbox:
        yield inbox


def _send(client: SandboxClient, url: str, **fields) -> dict:
    answer = client.admin("POST", "/deliveries", {"url": url, **fields})
    assert answer.status == 201, answer.body
    return answer.body


def _list(client: SandboxClient, **query) -> dict:
    answer = client.request("GET", "/_sandbox/deliveries", query=query)
    assert answer.status == 200, answer.body
    return answer.body


# ---- custom delivery and flush ---------------------------------------------------------------------
def test_a_custom_delivery_arrives_after_flush_with_its_headers_and_json_body(sandbox, inbox):
    created = _send(sandbox, inbox.url_for("/hook"), headers={"X-Token": "t"}, body={"code": 3, "name": "台北"},
                    event="demo")
    assert created["status"] == "pending" and created["attempts"] == [] and created["next_attempt_at"] == T0
    flushed = sandbox.admin("POST", "/deliveries/flush").body
    assert flushed["attempted"] == 1 and flushed["succeeded"] == 1 and not flushed["timed_out"]
    got, = inbox.received
    assert got.path == "/hook" and got.json() == {"code": 3, "name": "台北"}
    assert got.body == '{"code":3,"name":"台北"}'.encode()
    assert got.header("X-Token") == "t" and got.header("Content-Type") == "application/json"
    detail = sandbox.admin("GET", f"/deliveries/{created['id']}").body
    assert detail["status"] == "succeeded" and detail["platform"] == "custom" and detail["event"] == "demo"
    assert detail["body"] == '{"code":3,"name":"台北"}' and "body_base64" not in detail
    assert [a["status"] for a in detail["attempts"]] == [200]


def test_a_string_body_is_sent_as_is_as_text(sandbox, inbox):
    _send(sandbox, inbox.url_for("/1"), body='{"raw": true}', headers={"content-type": "application/json"})
    _send(sandbox, inbox.url_for("/2"), body="plain")
    sandbox.admin("POST", "/deliveries/flush")
    (first,), (second,) = inbox.requests("/1"), inbox.requests("/2")  # two workers: any order
    assert first.body == b'{"raw": true}' and first.header("Content-Type") == "application/json"
    assert second.body == b"plain" and second.header("Content-Type") == "text/plain; charset=utf-8"


@pytest.mark.parametrize("body", [
    {}, {"url": "ftp://example.com/"}, {"url": "not a url"}, {"url": 5},
    {"url": "http://127.0.0.1:9/", "platform": "shopee"},
    {"url": "http://127.0.0.1:9/", "headers": {"X-A": 1}},
    {"url": "http://127.0.0.1:9/", "headers": {"X-A": "a\r\nX-B: b"}},
    {"url": "http://127.0.0.1:9/", "headers": {"Bad Name": "v"}},
    {"url": "http://127.0.0.1:9/", "headers": ["X-A"]},
    {"url": "http://127.0.0.1:9/", "retries": 3},
])
def test_a_bad_custom_delivery_is_400_and_queues_nothing(sandbox, body):
    answer = sandbox.admin("POST", "/deliveries", body)
    assert answer.status == 400 and answer.error in ("invalid_field", "invalid_body")
    assert _list(sandbox)["total"] == 0


def test_a_non_json_create_body_is_415(sandbox):
    answer = sandbox.request("POST", "/_sandbox/deliveries", data="url=x", headers={"Content-Type": "text/plain"})
    assert answer.status == 415
    assert _list(sandbox)["total"] == 0


# ---- retries on the sandbox clock --------------------------------------------------------------------
def test_retries_follow_the_default_schedule_on_the_sandbox_clock(sandbox, inbox):
    inbox.script([500, 500, 200])
    delivery = _send(sandbox, inbox.url)
    sandbox.admin("POST", "/deliveries/flush")
    for advance, expected in ((9, 1), (1, 2), (59, 2), (1, 3)):
        sandbox.admin("POST", "/clock", {"advance_seconds": advance})
        sandbox.admin("POST", "/deliveries/flush")
        assert len(inbox.received) == expected, (advance, expected)
    detail = sandbox.admin("GET", f"/deliveries/{delivery['id']}").body
    assert detail["status"] == "succeeded"
    assert [(a["at"], a["status"]) for a in detail["attempts"]] == [(T0, 500), (T0 + 10, 500), (T0 + 70, 200)]


def test_the_default_schedule_ends_in_failed_after_four_attempts(sandbox, inbox):
    inbox.respond(500)
    delivery = _send(sandbox, inbox.url)
    sandbox.admin("POST", "/deliveries/flush")
    for advance in (10, 60, 300):
        sandbox.admin("POST", "/clock", {"advance_seconds": advance})
        flushed = sandbox.admin("POST", "/deliveries/flush").body
    assert flushed["failed"] == 1 and flushed["unfinished"] == 0
    detail = sandbox.admin("GET", f"/deliveries/{delivery['id']}").body
    assert detail["status"] == "failed" and detail["max_attempts"] == 4 and len(detail["attempts"]) == 4
    sandbox.admin("POST", "/clock", {"advance_seconds": 86400})
    sandbox.admin("POST", "/deliveries/flush")
    assert len(inbox.received) == 4


# ---- list and detail ---------------------------------------------------------------------------------
def test_the_list_is_newest_first_and_filters_combine(sandbox, inbox):
    inbox.respond(500, path="/bad")
    ok_a = _send(sandbox, inbox.url_for("/good"), event="a")
    bad_a = _send(sandbox, inbox.url_for("/bad"), event="a")
    ok_b = _send(sandbox, inbox.url_for("/good"), event="b")
    sandbox.admin("POST", "/deliveries/flush")

    everything = _list(sandbox)
    assert [d["id"] for d in everything["deliveries"]] == [ok_b["id"], bad_a["id"], ok_a["id"]]
    assert everything["counts"]["succeeded"] == 2 and everything["counts"]["pending"] == 1
    assert [d["id"] for d in _list(sandbox, event="a")["deliveries"]] == [bad_a["id"], ok_a["id"]]
    assert [d["id"] for d in _list(sandbox, status="pending")["deliveries"]] == [bad_a["id"]]
    assert [d["id"] for d in _list(sandbox, target=inbox.url_for("/good"), event="b")["deliveries"]] == [ok_b["id"]]
    assert _list(sandbox, platform="custom")["total"] == 3 and _list(sandbox, platform="shopee")["total"] == 0
    limited = _list(sandbox, limit=1)
    assert limited["total"] == 3 and limited["count"] == 1 and limited["deliveries"][0]["id"] == ok_b["id"]
    assert limited["deliveries"][0]["last_attempt"]["status"] == 200


@pytest.mark.parametrize("query", [{"status": "done"}, {"limit": "0"}, {"limit": "1001"}, {"limit": "x"},
                                   {"colour": "red"}])
def test_a_bad_list_query_is_400(sandbox, query):
    answer = sandbox.request("GET", "/_sandbox/deliveries", query=query)
    assert answer.status == 400 and answer.error == "invalid_field"


def test_an_unknown_delivery_is_404(sandbox):
    assert sandbox.admin("GET", "/deliveries/dlv_000000000000000000000000").status == 404
    assert sandbox.admin("POST", "/deliveries/dlv_000000000000000000000000/replay").status == 404


def test_a_binary_body_is_shown_as_text_and_base64(app, inbox):
    client = SandboxClient(flask_client=app.test_client())
    delivery = app.extensions["shop_sandbox"].webhooks.enqueue("custom", inbox.url, b"\x89PNG\xff")
    detail = client.admin("GET", f"/deliveries/{delivery.id}").body
    assert detail["body_base64"] == "iVBOR/8=" and detail["body_size"] == 5


# ---- replay --------------------------------------------------------------------------------------------
def test_replay_keeps_the_id_and_appends_the_attempt(sandbox, inbox):
    inbox.respond(500)
    delivery = _send(sandbox, inbox.url, body={"n": 1})
    sandbox.admin("POST", "/deliveries/flush")
    busy = sandbox.admin("POST", f"/deliveries/{delivery['id']}/replay")
    assert busy.status == 409 and busy.error == "delivery_pending" and busy.body["delivery_status"] == "pending"

    for advance in (10, 60, 300):
        sandbox.admin("POST", "/clock", {"advance_seconds": advance})
        sandbox.admin("POST", "/deliveries/flush")
    inbox.respond(200)
    replayed = sandbox.admin("POST", f"/deliveries/{delivery['id']}/replay")
    assert replayed.status == 200
    assert replayed.body["id"] == delivery["id"] and replayed.body["status"] == "succeeded"
    assert [a["replay"] for a in replayed.body["attempts"]] == [False, False, False, False, True]
    assert len(inbox.received) == 5 and {r.body for r in inbox.received} == {b'{"n":1}'}
    assert _list(sandbox)["total"] == 1


def test_replay_takes_no_fields(sandbox, inbox):
    delivery = _send(sandbox, inbox.url)
    sandbox.admin("POST", "/deliveries/flush")
    assert sandbox.admin("POST", f"/deliveries/{delivery['id']}/replay", {"now": True}).status == 400
    assert len(sandbox.admin("GET", f"/deliveries/{delivery['id']}").body["attempts"]) == 1


# ---- isolation, reset, over HTTP -----------------------------------------------------------------------
def test_reset_clears_the_log_and_the_queue(sandbox, inbox):
    inbox.respond(500)
    _send(sandbox, inbox.url)
    sandbox.admin("POST", "/deliveries/flush")
    sandbox.admin("POST", "/reset")
    assert _list(sandbox)["total"] == 0
    sandbox.admin("POST", "/clock", {"advance_seconds": 3600})
    sandbox.admin("POST", "/deliveries/flush")
    assert len(inbox.received) == 1


def test_two_apps_do_not_share_deliveries(inbox):
    first = SandboxClient(flask_client=create_app(make_settings()).test_client())
    second = SandboxClient(flask_client=create_app(make_settings()).test_client())
    delivery = _send(first, inbox.url)
    assert second.admin("POST", "/deliveries/flush").body["attempted"] == 0
    assert _list(second)["total"] == 0 and second.admin("GET", f"/deliveries/{delivery['id']}").status == 404
    assert first.admin("POST", "/deliveries/flush").body["attempted"] == 1


def test_a_hanging_receiver_does_not_hold_the_flush_longer_than_its_timeout(app, inbox):
    # The default policy waits 5 s; a shorter one keeps the suite fast (the rule is the same).
    app.extensions["shop_sandbox"].webhooks.register_policy("custom", Policy("short", timeout=0.3))
    sandbox = SandboxClient(flask_client=app.test_client())
    with WebhookInbox(reply=Reply.hang(30)) as slow:
        hanging = _send(sandbox, slow.url)
        _send(sandbox, inbox.url)
        inbox.wait_for(1, timeout=2)  # the fast one arrives while the slow one hangs
        flushed = sandbox.admin("POST", "/deliveries/flush").body
    assert flushed["succeeded"] == 1 and flushed["retrying"] == 1
    detail = sandbox.admin("GET", f"/deliveries/{hanging['id']}").body
    assert detail["attempts"][0]["error"] == "timeout" and 250 <= detail["attempts"][0]["latency_ms"] < 1000


def test_deliveries_work_over_http(live, inbox):
    created = live.admin("POST", "/deliveries", {"url": inbox.url, "body": {"over": "http"}})
    assert created.status == 201
    assert live.admin("POST", "/deliveries/flush").body["succeeded"] == 1
    assert inbox.received[0].json() == {"over": "http"}
    assert live.admin("GET", f"/deliveries/{created.body['id']}").body["status"] == "succeeded"


# ---- the web console's filters: a part of the body, and pages ----------------------------------------
def test_deliveries_filter_on_a_part_of_the_body_and_page(sandbox, inbox):
    for number in range(5):
        _send(sandbox, inbox.url, body={"ordersn": f"ORDER{number}", "n": number})
    assert sandbox.admin("POST", "/deliveries/flush").body["succeeded"] == 5
    one = _list(sandbox, contains="ORDER3")
    assert one["total"] == 1 and '"ORDER3"' in sandbox.admin("GET", f"/deliveries/{one['deliveries'][0]['id']}").body["body"]
    assert _list(sandbox, contains="台北")["total"] == 0
    every = [d["id"] for d in _list(sandbox)["deliveries"]]
    pages = [d["id"] for offset in (0, 2, 4) for d in _list(sandbox, limit=2, offset=offset)["deliveries"]]
    assert pages == every and len(every) == 5
    assert _list(sandbox, offset=5)["deliveries"] == [] and _list(sandbox, offset=5)["total"] == 5
