"""The admin order list of a shop (paged, filtered: a shop of many orders answers one page) and the
seller's ship step of the web console (ship_order's rules, nothing changed when refused)."""
from __future__ import annotations

import pytest

from tests.support.clients import SandboxClient


def _new_shop(sandbox: SandboxClient, **fields) -> int:
    answer = sandbox.admin("POST", "/shopee/shops", {"authorize_partner_id": sandbox.creds["partner_id"], **fields})
    assert answer.status == 201, answer.body
    return answer.body["shop_id"]


def _orders(sandbox: SandboxClient, shop_id: int, **query):
    return sandbox.request("GET", f"/_sandbox/shopee/shops/{shop_id}/orders", query=query)


def _make(sandbox: SandboxClient, shop_id: int, status: str, count: int = 1) -> list[str]:
    answer = sandbox.admin("POST", f"/shopee/shops/{shop_id}/orders", {"count": count, "statuses": [status]})
    assert answer.status == 201, answer.body
    return answer.body["order_sns"]


def test_the_list_is_paged_newest_first_and_counts_every_status(sandbox):
    shop_id = _new_shop(sandbox)
    _make(sandbox, shop_id, "UNPAID", 30)
    _make(sandbox, shop_id, "COMPLETED", 25)
    first = _orders(sandbox, shop_id, limit=20).body
    assert (first["total"], first["count"], first["offset"], first["limit"]) == (55, 20, 0, 20)
    assert first["status_counts"]["UNPAID"] == 30 and first["status_counts"]["COMPLETED"] == 25
    times = [o["create_time"] for o in first["orders"]]
    assert times == sorted(times, reverse=True)
    rest = _orders(sandbox, shop_id, limit=20, offset=20).body["orders"] + \
        _orders(sandbox, shop_id, limit=20, offset=40).body["orders"]
    seen = [o["order_sn"] for o in first["orders"] + rest]
    assert len(seen) == len(set(seen)) == 55
    assert _orders(sandbox, shop_id, offset=55).body["orders"] == []


def test_the_list_filters_by_status(sandbox):
    shop_id = _new_shop(sandbox)
    unpaid = _make(sandbox, shop_id, "UNPAID", 3)
    _make(sandbox, shop_id, "SHIPPED", 2)
    page = _orders(sandbox, shop_id, status="UNPAID").body
    assert page["total"] == 3 and sorted(o["order_sn"] for o in page["orders"]) == sorted(unpaid)
    assert {o["status"] for o in page["orders"]} == {"UNPAID"}


@pytest.mark.parametrize("query", [{"status": "PAID"}, {"status": ""}, {"limit": 0}, {"limit": 1001}, {"offset": -1}, {"page": 2}])
def test_a_bad_list_query_is_400(sandbox, query):
    answer = _orders(sandbox, sandbox.creds["shop_id"], **query)
    assert answer.status == 400 and answer.body["error"] == "invalid_field"


def test_the_list_of_an_unknown_shop_is_404(sandbox):
    assert _orders(sandbox, 1).status == 404


def test_ship_arranges_a_paid_order_as_ship_order_does(sandbox):
    shop_id = _new_shop(sandbox)
    order_sn, = _make(sandbox, shop_id, "READY_TO_SHIP")
    assert sandbox.admin("GET", f"/shopee/orders/{order_sn}").body["seller_actions"] == ["ship"]
    shipped = sandbox.admin("POST", f"/shopee/orders/{order_sn}/ship")
    assert shipped.status == 200, shipped.body
    assert (shipped.body["previous_status"], shipped.body["status"]) == ("READY_TO_SHIP", "PROCESSED")
    view = sandbox.admin("GET", f"/shopee/orders/{order_sn}").body
    assert view["status"] == "PROCESSED" and view["seller_actions"] == []
    assert view["packages"][0]["tracking_number"] in shipped.body["tracking_numbers"]  # no 3PL delay set
    assert "pickup" in view["allowed_events"]


def test_ship_refuses_an_unpaid_order_with_shopees_error_and_changes_nothing(sandbox):
    shop_id = _new_shop(sandbox)
    order_sn, = _make(sandbox, shop_id, "UNPAID")
    before = sandbox.admin("GET", f"/shopee/orders/{order_sn}").body
    assert before["seller_actions"] == []
    refused = sandbox.admin("POST", f"/shopee/orders/{order_sn}/ship")
    assert refused.status == 409 and refused.body["error"] == "illegal_transition"
    assert refused.body["shopee_error"] == "logistics.error_param"
    assert "The order status is not ready to ship." in refused.message
    assert sandbox.admin("GET", f"/shopee/orders/{order_sn}").body == before


def test_a_br_order_ships_only_with_its_invoice(sandbox):
    shop_id = _new_shop(sandbox, region="BR")
    order_sn, = _make(sandbox, shop_id, "INVOICE_PENDING")
    refused = sandbox.admin("POST", f"/shopee/orders/{order_sn}/ship")
    assert refused.status == 409 and refused.body["status"] == "INVOICE_PENDING"
    assert refused.body["shopee_error"] == "logistics.lack_of_invoice_data"
    assert sandbox.admin("POST", f"/shopee/orders/{order_sn}/events", {"event": "issue_invoice"}).status == 200
    assert sandbox.admin("POST", f"/shopee/orders/{order_sn}/ship").body["status"] == "PROCESSED"


def test_ship_takes_a_mode_the_channel_has_and_refuses_others(sandbox):
    shop_id = _new_shop(sandbox)
    order_sn, = _make(sandbox, shop_id, "READY_TO_SHIP")
    bad = sandbox.admin("POST", f"/shopee/orders/{order_sn}/ship", {"mode": "teleport"})
    assert bad.status == 400
    modes = ("pickup", "dropoff", "non_integrated")
    answers = {mode: sandbox.admin("POST", f"/shopee/orders/{order_sn}/ship", {"mode": mode}) for mode in modes}
    shipped = [m for m, a in answers.items() if a.status == 200]
    assert len(shipped) == 1, {m: a.body for m, a in answers.items()}  # the first that fits ships it
    assert answers[shipped[0]].body["mode"] == shipped[0]


def test_a_retry_after_a_failed_pickup_ships_again(sandbox):
    shop_id = _new_shop(sandbox)
    order_sn, = _make(sandbox, shop_id, "RETRY_SHIP")
    assert sandbox.admin("GET", f"/shopee/orders/{order_sn}").body["seller_actions"] == ["ship"]
    assert sandbox.admin("POST", f"/shopee/orders/{order_sn}/ship").body["status"] == "PROCESSED"


def test_ship_of_an_unknown_order_is_404(sandbox):
    assert sandbox.admin("POST", "/shopee/orders/NOSUCHORDER/ship").status == 404
