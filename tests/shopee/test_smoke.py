"""The default world answers a signed order list in-process and over HTTP."""
from __future__ import annotations

from tests.conftest import T0


def _list(client):
    return client.shopee("GET", "order/get_order_list", {
        "time_range_field": "create_time", "time_from": T0 - 15 * 86400, "time_to": T0,
        "page_size": 100, "response_optional_fields": "order_status"})


def test_default_world_lists_fifty_orders(sandbox):
    answer = _list(sandbox)
    assert answer.status == 200, answer.body
    assert len(answer.body["response"]["order_list"]) == 50


def test_default_world_over_http(live):
    answer = _list(live)
    assert answer.status == 200
    assert len(answer.body["response"]["order_list"]) == 50
