"""Paths and methods under /v1, the envelope's wire format, crashes, and bad input never 5xx."""
from __future__ import annotations

import json

import pytest
import requests

from mockserver.oneshop import routes
from tests.oneshop.support import list_orders, list_params


@pytest.mark.parametrize("path", ["/v1", "/v1/", "/v1/orders", "/v1/order/", "/v1/order/a/b", "/v1//order",
                                  "/v1/Order", "/v1/order/QI2041900127/detail", "/v1/%ff", "/v1/order.json"])
def test_any_other_path_under_v1_is_minus_10(shop, path):
    answer = shop.oneshop(path, list_params())
    assert answer.status == 404  # routing, before any endpoint: not the API's HTTP 200 (seed 003)
    assert answer.body == {"success": -10, "data": [], "msg": "找不到此 API"}


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PROPFIND"])
@pytest.mark.parametrize("path", ["order", "order/QI2041900127"])
def test_a_method_other_than_get_is_minus_11_with_allow(shop, method, path):
    answer = shop.oneshop(path, list_params(), method=method)
    assert answer.status == 405
    assert answer.body == {"success": -11, "data": [], "msg": "不支援的 HTTP 方法"}
    assert answer.headers["Allow"] == "GET, HEAD"


def test_the_path_is_checked_before_the_credentials(shop):
    assert shop.oneshop("/v1/nope", None, {}).body["success"] == -10
    assert shop.oneshop("order", None, {}, method="POST").body["success"] == -11


def test_head_answers_like_get_without_a_body(shop):
    answer = shop.oneshop("order", list_params(), method="HEAD")
    assert answer.status == 200
    assert answer.text == ""
    assert answer.headers["Content-Type"] == "application/json; charset=utf-8"


def test_answers_are_compact_utf8_json_with_escaped_slashes_like_php(shop):
    answer = list_orders(shop)
    assert answer.headers["Content-Type"] == "application/json; charset=utf-8"
    assert answer.text.startswith('{"success":0,"data":{"order":[{"order_number":"')
    assert ": " not in answer.text.replace('": "', "")  # no separator spaces (values may hold ": ")
    order_number = answer.body["data"]["order"][0]["order_number"]
    raw = shop.oneshop(f"order/{order_number}").text
    assert '"shop_url":"https:\\/\\/' in raw  # seed: "https:\/\/test.1shop.tw\/"
    assert "https://" not in raw
    assert json.loads(raw)["data"]["order"]["shop_url"].startswith("https://")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in raw)  # Chinese as UTF-8, not \\u escapes


def test_an_error_answer_has_the_three_parts_with_empty_data_and_http_200(shop):
    """Seed 003: every answer has success / data / msg, data holds something only on success; HTTP 200
    unless rate-limited. The empty data is PHP's json_encode(array()): []."""
    answer = shop.oneshop("order", {}, None)
    assert answer.status == 200
    assert answer.text == '{"success":-5,"data":[],"msg":"缺少必填參數: progress_status"}'


def test_a_client_that_raises_for_status_reads_every_failure_from_the_body(live):
    """Issue 12 point 1 over real HTTP: a raise_for_status() client sees 200 and must read success."""
    creds = live.creds_oneshop
    base = creds["api_base"]
    cases = [(base + "/order", {}), (base + "/order", {"appid": creds["appid"], "secret": "wrong"}),
             (base + "/order/QI2041900127", {"appid": creds["appid"], "secret": creds["secret"]})]
    for url, params in cases:
        response = requests.get(url, params=params, timeout=10)
        response.raise_for_status()
        body = response.json()
        assert set(body) == {"success", "data", "msg"} and body["success"] < 0 and body["data"] == [], body


def test_a_crash_under_v1_is_a_json_minus_500(shop, app, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(routes, "list_orders", boom)
    answer = shop.oneshop("order", list_params())
    assert answer.status == 500  # the sandbox failing is no answer of the API: its status says so
    assert answer.body == {"success": -500, "data": [], "msg": "系統錯誤"}
    assert isinstance(app.extensions["shop_sandbox_errors"][-1], RuntimeError)


def test_admin_and_shopee_paths_keep_their_own_envelopes(shop):
    # Outside /v1, /_sandbox and SHOPLINE's paths the host is Shopee's (issue 11): its envelope.
    assert shop.request("GET", "/v2/order").body["error"] == "error_param"
    assert shop.request("GET", "/_sandbox/nope").body["error"] == "not_found"
    assert "request_id" in shop.request("GET", "/api/v2/nope").body


_WEIRD = ["", " ", "all ", "ALL", "0", "-1", "1.5", "1e3", "１", "9" * 5000, "null", "[]", "%00", "\x00", "全部",
          "all,pending", "'; DROP TABLE orders; --", "\ud7ff", "2026-11-18T00:00:00", "20261118"]
_NAMES = ["progress_status", "payment_status", "logistic_status", "create_date_start", "create_date_end", "page"]


@pytest.mark.parametrize("name", _NAMES)
def test_no_value_of_a_list_parameter_answers_5xx(shop, name):
    for value in _WEIRD:
        answer = shop.oneshop("order", {**list_params(), name: value})
        assert answer.status == 200, (name, value, answer.text[:200])
        assert answer.body["success"] in (0, -5, -6, -7, -8), (name, value, answer.body)


@pytest.mark.parametrize("number", ["x" * 2000, "%E6%B8%AC%E8%A9%A6", "QI2041900127%00", "..", "'", "<script>"])
def test_no_order_number_answers_5xx(shop, number):
    answer = shop.oneshop(f"order/{number}")
    assert answer.status == 200, answer.text[:200]
    assert answer.body["success"] in (-9, -10)


def test_bad_requests_over_http_are_json(live):
    base = live.creds_oneshop["api_base"]
    for url, params in [(base + "/order", {}), (base + "/nope", {}), (base + "/order/x", {"appid": "a", "secret": "b"})]:
        response = requests.get(url, params=params, timeout=10)
        assert response.status_code == (404 if url.endswith("/nope") else 200)
        assert response.headers["Content-Type"] == "application/json; charset=utf-8"
        assert response.json()["success"] < 0
