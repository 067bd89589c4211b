"""The request journal over HTTP: whole requests kept with secrets masked, every value of a
repeated parameter, one entry in detail, polling with `after`, and a bound in bytes that counts the
headers as they were sent."""
from __future__ import annotations

from mockserver.app import create_app
from tests.conftest import make_settings
from tests.support.clients import SandboxClient


def _journal(sandbox: SandboxClient, **query) -> dict:
    return sandbox.request("GET", "/_sandbox/requests", query=query).body


def test_secrets_in_the_query_headers_and_bodies_never_leave_the_journal(sandbox):
    creds = sandbox.admin("GET", "/credentials").body
    oneshop, shopee = creds["oneshop"], creds["shopee"]
    sandbox.request("GET", "/v1/order", query={"appid": oneshop["appid"], "secret": oneshop["secret"], "page": "1"},
                    headers={"Authorization": "Bearer abcdefghijklmnop"}, validate=False)
    sandbox.shopee("GET", "shop/get_shop_info")
    entries = _journal(sandbox)["requests"]
    dumped = str([sandbox.request("GET", f"/_sandbox/requests/{e['id']}").body for e in entries])
    for secret in (oneshop["secret"], shopee["access_token"], "abcdefghijklmnop"):
        assert secret not in dumped
    assert entries[0]["query"]["secret"] == oneshop["secret"][:4] + "***"
    assert entries[0]["query"]["appid"] == oneshop["appid"]  # not a secret
    detail = sandbox.request("GET", f"/_sandbox/requests/{entries[0]['id']}").body
    assert ["Authorization", "Bearer abcd***"] in detail["headers"]


def test_a_token_answer_is_kept_without_its_tokens(sandbox):
    creds = sandbox.admin("GET", "/credentials").body["shopee"]
    answer = sandbox.shopee("POST", "auth/access_token/get", {
        "refresh_token": creds["refresh_token"], "partner_id": creds["partner_id"], "shop_id": creds["shop_id"]},
        shop=False)
    assert answer.status == 200, answer.body
    entry = _journal(sandbox, path="/api/v2/auth/access_token/get")["requests"][-1]
    detail = sandbox.request("GET", f"/_sandbox/requests/{entry['id']}").body
    assert creds["refresh_token"] not in detail["body"] and answer.body["access_token"] not in detail["response"]["body"]
    assert '"access_token": "' in detail["response"]["body"]  # the field stays, its value is masked


def test_every_value_of_a_repeated_parameter_is_kept(sandbox):
    sandbox.request("GET", "/v1/order", query=[("page", "1"), ("page", "2"), ("page", "3")], validate=False)
    entry = _journal(sandbox)["requests"][-1]
    assert entry["query_all"]["page"] == ["1", "2", "3"] and entry["query"]["page"] == "1"


def test_after_answers_only_newer_entries_and_a_missing_entry_is_a_404(sandbox):
    for page in range(3):
        sandbox.request("GET", "/v1/order", query={"page": str(page)}, validate=False)
    first = _journal(sandbox)["requests"][0]["id"]
    assert [e["query"]["page"] for e in _journal(sandbox, after=first)["requests"]] == ["1", "2"]
    missing = sandbox.request("GET", "/_sandbox/requests/999999")
    assert missing.status == 404 and missing.body["error"] == "not_found"


def test_a_read_without_limit_answers_the_latest_hundred(sandbox):
    for _ in range(105):
        sandbox.request("GET", "/v1/nope", validate=False)
    body = _journal(sandbox)
    assert body["count"] == 100 and body["total"] == 105
    assert body["requests"][-1]["id"] == 105


def test_the_journal_is_bounded_by_bytes_and_cuts_a_huge_query():
    app = create_app(make_settings(journal_max_bytes=1_000_000))
    sandbox = SandboxClient(flask_client=app.test_client())
    big = "x" * 100_000
    for _ in range(200):  # 20 MB of queries
        sandbox.request("GET", "/v1/order", query={"note": big}, validate=False)
    body = _journal(sandbox, limit=10_000)
    assert body["bytes"] <= 1_000_000 and body["evicted"] > 0
    assert body["entries"] == body["total"] < 200
    assert len(body["requests"][-1]["query"]["note"]) < 20_000  # one entry keeps at most 16 kB of query


def test_headers_count_toward_the_bound_as_sent_and_read_named_masked_and_cut():
    app = create_app(make_settings(journal_max_bytes=1_000_000))
    sandbox = SandboxClient(flask_client=app.test_client())
    sandbox.request("GET", "/v1/order", query={"page": "1"}, validate=False,
                    headers={"X-Trace-Id": "t" * 2_000, "Authorization": "Bearer abcdefghijklmnop"})
    entry = _journal(sandbox)["requests"][-1]
    detail = dict(map(tuple, sandbox.request("GET", f"/_sandbox/requests/{entry['id']}").body["headers"]))
    assert detail["X-Trace-Id"] == "t" * 1024 and detail["Authorization"] == "Bearer abcd***"
    for _ in range(10):  # 100 kB of one header each, the query and answer small
        sandbox.request("GET", "/v1/order", query={"page": "1"}, validate=False, headers={"X-Pad": "p" * 100_000})
    body = _journal(sandbox, limit=10_000)
    assert body["bytes"] <= 1_000_000 and body["evicted"] > 0  # counted whole, though kept cut
