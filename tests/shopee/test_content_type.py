"""Issue 11, point 13: every JSON answer says `Content-Type: application/json; charset=utf-8`, so a
client that decodes by the header (requests' .text) reads a Chinese shop name right, not as latin-1."""
from __future__ import annotations

import pytest
import requests

from tests.conftest import T0
from tests.support.shopee_signer import signed_query

JSON_UTF8 = "application/json; charset=utf-8"


def test_a_chinese_shop_name_decodes_as_utf8_over_http(live, live_server):
    path = "/api/v2/shop/get_shop_info"
    response = requests.get(live_server.url + path, params=signed_query(live.creds, path, T0), timeout=10)
    assert response.headers["Content-Type"] == JSON_UTF8
    assert response.encoding == "utf-8"
    name = live.admin("GET", f"/shopee/shops/{live.creds['shop_id']}").body["shop_name"]
    assert name.endswith("家小舖") and f'"shop_name":"{name}"' in response.text


@pytest.mark.parametrize("method, path", [
    ("GET", "/api/v2/order/get_order_list"),  # a Shopee error (no signature)
    ("GET", "/api/v2/nope/nope"),  # an unknown Shopee path
    ("GET", "/auth"),  # the authorisation link's error
    ("GET", "/nope"),  # any other path
    ("GET", "/_sandbox/credentials"),  # the admin API
    ("POST", "/api/v2/order/get_order_list"),  # a wrong method
])
def test_every_json_answer_names_the_charset_over_http(live_server, method, path):
    response = requests.request(method, live_server.url + path, timeout=10)
    assert response.headers["Content-Type"] == JSON_UTF8, (path, response.headers)
    response.json()
