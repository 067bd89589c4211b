"""Issue 11, point 9: one rule for BR's INVOICE_PENDING. Seed 001: it "atualmente aparece apenas na API
v2.get_order_list"; every other view (get_order_detail, get_shipment_list, get_tracking_info, push
code 3) reads READY_TO_SHIP, and shipping waits for the invoice (logistics.lack_of_invoice_data)."""
from __future__ import annotations

from tests.conftest import T0
from tests.shopee.order_support import DAY, assert_error, detail, event, make_order, new_shop
from tests.shopee.push_support import flush, pushes, subscribe


def test_every_view_but_get_order_list_reads_ready_to_ship(sandbox, inbox):
    br = new_shop(sandbox, "BR")
    assert subscribe(sandbox, inbox.url, on=(3,)).status == 200
    sn = make_order(sandbox, br["shop_id"], "UNPAID")
    assert event(sandbox, sn, "pay").body["status"] == "INVOICE_PENDING"
    flush(sandbox)

    listed = sandbox.shopee("GET", "order/get_order_list", {
        "time_range_field": "create_time", "time_from": T0 - DAY, "time_to": T0, "page_size": 10,
        "response_optional_fields": "order_status"}, creds=br).body["response"]["order_list"]
    assert listed == [{"order_sn": sn, "order_status": "INVOICE_PENDING"}]
    assert detail(sandbox, sn, creds=br)["order_status"] == "READY_TO_SHIP"
    shipments = sandbox.shopee("GET", "order/get_shipment_list", {"page_size": 10}, creds=br)
    assert [r["order_sn"] for r in shipments.body["response"]["order_list"]] == [sn]
    info = sandbox.shopee("GET", "logistics/get_tracking_info", {"order_sn": sn}, creds=br)
    assert info.status == 200 and info.body["response"]["tracking_info"] == [], info.body
    statuses = [p["data"]["status"] for p in pushes(inbox, sandbox.creds["partner_key"], inbox.url, code=3)
                if p["data"]["ordersn"] == sn]
    assert sorted(statuses) == ["READY_TO_SHIP", "UNPAID"]  # workers deliver in any order

    answer = sandbox.shopee("POST", "logistics/ship_order", {"order_sn": sn, "pickup": {}}, creds=br)
    assert_error(answer, "logistics.lack_of_invoice_data", message="Pending invoice data, can not arrange shipment.")

    assert event(sandbox, sn, "issue_invoice").body["status"] == "READY_TO_SHIP"
    flush(sandbox)
    statuses = [p["data"]["status"] for p in pushes(inbox, sandbox.creds["partner_key"], inbox.url, code=3)
                if p["data"]["ordersn"] == sn]
    assert sorted(statuses) == ["READY_TO_SHIP", "READY_TO_SHIP", "UNPAID"]  # the invoice is news too
