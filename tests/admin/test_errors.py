"""GET /_sandbox/errors: the sandbox's own crashes, for a client in another process."""
from __future__ import annotations

import pytest

import mockserver.shopee.render


@pytest.fixture
def broken_detail(monkeypatch):
    def broken(order, optional):
        raise ZeroDivisionError("renderer bug")

    monkeypatch.setattr(mockserver.shopee.render, "order_detail", broken)


def _crash(sandbox) -> None:
    sn = sandbox.admin("POST", f"/shopee/shops/{sandbox.creds['shop_id']}/orders",
                       {"orders": [{"items": [{"price": 5}]}]}).body["order_sns"][0]
    answer = sandbox.shopee("GET", "order/get_order_detail", {"order_sn_list": sn}, validate=False)
    assert answer.status == 500 and answer.error == "error_server"


def test_a_crash_is_listed_with_its_request_and_traceback(sandbox, broken_detail):
    assert sandbox.admin("GET", "/errors").body == {"errors": [], "total": 0}
    _crash(sandbox)
    listed = sandbox.admin("GET", "/errors").body
    crash, = listed["errors"]
    assert listed["total"] == 1 and crash["id"] == 1
    assert (crash["type"], crash["message"]) == ("ZeroDivisionError", "renderer bug")
    assert (crash["method"], crash["path"]) == ("GET", "/api/v2/order/get_order_detail")
    assert 'raise ZeroDivisionError("renderer bug")' in crash["traceback"]
    assert "shop-sandbox: while answering GET /api/v2/order/get_order_detail" in crash["traceback"]


def test_after_skips_the_crashes_seen_and_a_reset_keeps_them(sandbox, broken_detail):
    _crash(sandbox)
    _crash(sandbox)
    assert [c["id"] for c in sandbox.request("GET", "/_sandbox/errors", query={"after": 1}).body["errors"]] == [2]
    sandbox.admin("POST", "/reset", {})
    sandbox.forget_credentials()
    assert sandbox.admin("GET", "/errors").body["total"] == 2


def test_a_bad_after_is_a_400(sandbox):
    answer = sandbox.request("GET", "/_sandbox/errors", query={"after": "-1"})
    assert answer.status == 400 and answer.error == "invalid_field"
