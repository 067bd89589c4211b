"""Issue 11, point 8: the reference's own words where its error examples give them, and the documented
error names whose condition the sandbox can reach (the auth ones: test_auth_flow.py)."""
from __future__ import annotations

import pytest

from tests.shopee.order_support import DAY, advance, assert_error, event, make_order


@pytest.mark.parametrize("api, body, name", [
    ("order/cancel_order", {"cancel_reason": "CUSTOMER_REQUEST"}, "order_sn"),
    ("order/handle_buyer_cancellation", {"operation": "ACCEPT"}, "order_sn"),
    ("order/set_note", {"order_sn": "X"}, "note"),
])
def test_a_missing_parameter_is_a_required_field_over_http(live, api, body, name):
    assert_error(live.shopee("POST", api, body), "error_param",
                 message=f"Wrong parameters, detail: {name} is a required field.")


@pytest.mark.parametrize("api", ["order/get_shipment_list", "order/get_order_list"])
def test_a_page_size_over_100_must_be_100_or_less(live, api):
    params = {"page_size": 101}
    if api == "order/get_order_list":
        params.update(time_range_field="create_time", time_from=1, time_to=2)
    assert_error(live.shopee("GET", api, params), "error_param",
                 message="Wrong parameters, detail: page_size must be 100 or less.")


@pytest.mark.parametrize("api, params", [
    ("order/get_order_detail", {"order_sn_list": "261118NOSUCH00"}),
    ("logistics/get_shipping_parameter", {"order_sn": "261118NOSUCH00"}),
])
def test_an_unknown_order_is_not_found_in_the_reference_s_words(live, api, params):
    assert_error(live.shopee("GET", api, params), "error_not_found", status=404,
                 message="Wrong parameters, detail: the order is not found.")


def test_cannot_cancel_is_written_as_the_reference_writes_it(live):
    sn = make_order(live, status="SHIPPED")
    answer = live.shopee("POST", "order/cancel_order", {"order_sn": sn, "cancel_reason": "CUSTOMER_REQUEST"})
    assert_error(answer, "order.error_limit", message="Can not cancel this order")


def _fresh(client) -> dict:
    """The default shop's credentials with a new access token (a token lasts 4 hours)."""
    creds = client.creds
    answer = client.shopee("POST", "auth/access_token/get", {"refresh_token": creds["refresh_token"],
                                                             "partner_id": creds["partner_id"],
                                                             "shop_id": creds["shop_id"]}, shop=False)
    assert answer.status == 200, answer.body
    return {**creds, "access_token": answer.body["access_token"]}


def test_set_note_on_an_archived_order_is_error_archived_order_update(live):
    """"Archived": final (COMPLETED or CANCELLED) for 15 days, the return window after completion."""
    completed, cancelled, open_order = (make_order(live, status=s) for s in ("COMPLETED", "CANCELLED", "PROCESSED"))
    advance(live, 15 * DAY - 1)
    creds = _fresh(live)
    for sn in (completed, cancelled):
        assert live.shopee("POST", "order/set_note", {"order_sn": sn, "note": "ok"}, creds=creds).status == 200
    advance(live, 1)
    for sn in (completed, cancelled):
        assert_error(live.shopee("POST", "order/set_note", {"order_sn": sn, "note": "late"}, creds=creds),
                     "error_archived_order_update", message="Cannot update old order")
    assert live.shopee("POST", "order/set_note", {"order_sn": open_order, "note": "ok"}, creds=creds).status == 200
    assert event(live, open_order, "pickup").status == 200  # still moving: never archived
