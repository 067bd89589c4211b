"""1shop's order calls answered below Flask (oneshop/lean.py) answer exactly as Flask's path does.

Two sandboxes of the same seed and clock, one with the lean handler switched off, get the same
requests; status, body and the headers a client reads must be equal.
"""
from __future__ import annotations

import pytest

from mockserver.app import create_app
from mockserver.oneshop import lean
from tests.conftest import make_settings
from tests.oneshop.support import list_params
from tests.support.clients import SandboxClient

HEADERS = ("Content-Type", "X-Sandbox-Warning", "Retry-After", "Allow")


def _client() -> SandboxClient:
    return SandboxClient(flask_client=create_app(make_settings()).test_client())


def _pair(monkeypatch, limited: bool) -> tuple[SandboxClient, SandboxClient]:
    fast = _client()
    monkeypatch.setattr(lean, "handler", lambda store, on_crash: (lambda environ: None))
    slow = _client()
    if not limited:  # more than 10 calls at one frozen instant (the limit is tested apart)
        for client in (fast, slow):
            client.admin("POST", f"/oneshop/accounts/{client.creds_oneshop['appid']}/settings", {"rate_limit": None})
    return fast, slow


@pytest.fixture
def pair(monkeypatch) -> tuple[SandboxClient, SandboxClient]:
    return _pair(monkeypatch, limited=False)


def both(pair, path: str, params: dict | None = None, creds: dict | None = None, method: str = "GET"):
    fast, slow = (client.oneshop(path, params, creds, method=method, validate=False) for client in pair)
    assert (fast.status, fast.text) == (slow.status, slow.text), (path, params)
    for name in HEADERS:
        assert fast.headers.get(name) == slow.headers.get(name), name
    return fast


def test_lists_details_and_their_errors_answer_the_same(pair):
    listed = both(pair, "order", list_params())
    assert listed.status == 200 and listed.body["success"] == 0
    number = listed.body["data"]["order"][0]["order_number"]
    assert both(pair, f"order/{number}").body["data"]["order"]["order_number"] == number
    both(pair, "order", list_params(progress_status="completed", payment_status="paid"))
    both(pair, "order", list_params(create_date_start="2020-01-01", create_date_end="2030-12-31"))
    both(pair, "order", list_params(page=999))  # past the last page
    both(pair, "order", list_params(page="x"))
    both(pair, "order", list_params(progress_status="nonsense"))
    both(pair, "order", {"page": 1})  # a filter missing
    both(pair, "order/NO-SUCH-ORDER")
    both(pair, "order", list_params(), creds={})  # no appid nor secret
    both(pair, "order", list_params(), creds={"appid": pair[0].creds_oneshop["appid"], "secret": "wrong"})
    assert both(pair, "order", list_params(unheard_of="1")).status == 200
    # A repeated parameter: the last value, and a warning header, both ways.
    fast, slow = (client.request("GET", "/v1/order", validate=False, query=[
        *((k, client.creds_oneshop[k]) for k in ("appid", "secret")), *list_params(page=2).items(), ("page", "1")])
        for client in pair)
    assert (fast.status, fast.text, fast.headers.get("X-Sandbox-Warning")) == \
        (slow.status, slow.text, slow.headers.get("X-Sandbox-Warning"))
    assert fast.headers.get("X-Sandbox-Warning") and fast.body["data"]["page"]["correct_page"] == 1


def test_what_the_lean_path_leaves_to_flask_answers_the_same(pair):
    both(pair, "order", list_params(), method="HEAD")
    both(pair, "order", list_params(), method="POST")  # 405 with its Allow header
    both(pair, "order/", list_params())
    both(pair, "order/A/B", list_params())
    both(pair, "orders", list_params())


def test_the_rate_limit_answers_the_same(monkeypatch):
    answers = [[client.oneshop("order", list_params(), validate=False) for _ in range(11)]
               for client in _pair(monkeypatch, limited=True)]
    assert [(a.status, a.text, a.headers.get("Retry-After")) for a in answers[0]] == \
        [(a.status, a.text, a.headers.get("Retry-After")) for a in answers[1]]
    assert answers[0][-1].status == 429


def test_a_crash_below_flask_answers_1shops_envelope_and_is_recorded(monkeypatch):
    client = _client()

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(lean, "serve", broken)
    answer = client.oneshop("order", list_params(), validate=False)
    assert answer.status == 500 and answer.body["success"] < 0
    errors = client.admin("GET", "/errors").body
    assert any(e["path"] == "/v1/order" and "boom" in str(e) for e in errors["errors"])
