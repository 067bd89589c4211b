"""v2.order.cancel_order and v2.order.handle_buyer_cancellation: reasons, regions, limits, stock."""
from __future__ import annotations

import pytest

from tests.conftest import T0
from tests.shopee.order_support import (HOUR, advance, assert_error, comparable, detail, event, make_order,
                                        new_shop, order)

# The reference's words (v2.order.cancel_order.json error_list), without seed 001's full stop (issue 11).
CANNOT_CANCEL = "Can not cancel this order"
NOT_IN_CANCEL = "Invalid order_status.The order status should be IN_CANCEL."


def cancel(sandbox, sn, reason="CUSTOMER_REQUEST", creds=None, **extra):
    return sandbox.shopee("POST", "order/cancel_order", {"order_sn": sn, "cancel_reason": reason, **extra},
                          creds=creds)


def handle(sandbox, sn, operation, creds=None):
    return sandbox.shopee("POST", "order/handle_buyer_cancellation", {"order_sn": sn, "operation": operation},
                          creds=creds)


def stock(sandbox, sn) -> int:
    """The stock of the order's only model."""
    [value] = order(sandbox, sn)["stock"].values()
    return value


def the_item(sandbox, sn) -> dict:
    [item] = order(sandbox, sn)["items"]
    return {"item_id": item["item_id"], "model_id": item["model_id"]}


def assert_refused_without_change(sandbox, sn, call, error, status=400, message=None):
    """`call()` is refused with `error` and the order (and its models' stock) stays as it was."""
    before = comparable(order(sandbox, sn))
    assert_error(call(), error, status, message)
    assert comparable(order(sandbox, sn)) == before


# ---- cancel_order ---------------------------------------------------------------------------
def test_cancel_for_customer_request_cancels_and_gives_the_stock_back(sandbox):
    sn = make_order(sandbox)  # 2 bought of a stock of 5
    assert stock(sandbox, sn) == 3
    advance(sandbox, 120)
    answer = cancel(sandbox, sn)
    assert answer.status == 200, answer.body
    assert answer.body["response"] == {"update_time": T0 + 120}
    assert stock(sandbox, sn) == 5
    got = detail(sandbox, sn, "cancel_by,cancel_reason,item_list")
    assert got["order_status"] == "CANCELLED" and got["update_time"] == T0 + 120
    assert got["cancel_by"] == "seller" and got["cancel_reason"] == "Buyer Request to Cancel"
    assert got["item_list"][0]["cancelled_qty"] == 2 and got["item_list"][0]["active_qty"] == 0


def test_restored_stock_shows_in_the_shops_catalogue(sandbox):
    sn = make_order(sandbox)
    shop_id = sandbox.creds["shop_id"]
    item = the_item(sandbox, sn)

    def catalogue_stock():
        models = sandbox.admin("GET", f"/shopee/shops/{shop_id}").body["models"]
        return next(m["stock"] for m in models if (m["item_id"], m["model_id"]) == (item["item_id"], item["model_id"]))

    assert catalogue_stock() == 3
    assert cancel(sandbox, sn).status == 200
    assert catalogue_stock() == 5


def test_cancel_an_unpaid_order(sandbox):
    sn = make_order(sandbox, status="UNPAID")
    assert cancel(sandbox, sn).status == 200
    assert order(sandbox, sn)["status"] == "CANCELLED"


def test_out_of_stock_with_the_orders_item_cancels(sandbox):
    sn = make_order(sandbox)
    answer = cancel(sandbox, sn, "OUT_OF_STOCK", item_list=[the_item(sandbox, sn)])
    assert answer.status == 200, answer.body
    got = detail(sandbox, sn, "cancel_reason")
    assert got["order_status"] == "CANCELLED" and got["cancel_reason"] == "Out of Stock"
    assert stock(sandbox, sn) == 5


@pytest.mark.parametrize("item_list", [None, []])
def test_out_of_stock_without_item_list_is_error_param(sandbox, item_list):
    sn = make_order(sandbox)
    extra = {} if item_list is None else {"item_list": item_list}
    assert_refused_without_change(sandbox, sn, lambda: cancel(sandbox, sn, "OUT_OF_STOCK", **extra), "error_param")


def test_out_of_stock_items_must_be_in_the_order(sandbox):
    sn = make_order(sandbox)
    other = make_order(sandbox, items=[{"item_name": "Other", "quantity": 1}])
    item = the_item(sandbox, sn)
    for wrong in (the_item(sandbox, other), {**item, "model_id": item["model_id"] + 1}):
        assert_refused_without_change(
            sandbox, sn, lambda: cancel(sandbox, sn, "OUT_OF_STOCK", item_list=[item, wrong]), "error_param")


@pytest.mark.parametrize("item_list", [[{"item_id": "1", "model_id": 2}], [{"item_id": 1}], ["x"], "x",
                                       [{"item_id": 1, "model_id": 2, "colour": "red"}]])
def test_malformed_item_list_is_error_param(sandbox, item_list):
    sn = make_order(sandbox)
    assert_refused_without_change(sandbox, sn, lambda: cancel(sandbox, sn, "OUT_OF_STOCK", item_list=item_list),
                                  "error_param")


@pytest.mark.parametrize("region", ["TW", "MY"])
def test_undeliverable_area_is_accepted_in_tw_and_my(sandbox, region):
    shop = new_shop(sandbox, region)
    sn = make_order(sandbox, shop["shop_id"])
    assert cancel(sandbox, sn, "UNDELIVERABLE_AREA", creds=shop).status == 200
    assert detail(sandbox, sn, "cancel_reason", creds=shop)["cancel_reason"] == "Undeliverable Area"


@pytest.mark.parametrize("region", ["BR", "SG"])
def test_undeliverable_area_elsewhere_is_error_param(sandbox, region):
    shop = new_shop(sandbox, region)
    sn = make_order(sandbox, shop["shop_id"])
    assert_refused_without_change(sandbox, sn, lambda: cancel(sandbox, sn, "UNDELIVERABLE_AREA", creds=shop),
                                  "error_param")


def test_cod_not_supported_is_refused_in_br_only(sandbox):
    br = new_shop(sandbox, "BR")
    br_sn = make_order(sandbox, br["shop_id"])
    assert_refused_without_change(sandbox, br_sn, lambda: cancel(sandbox, br_sn, "COD_NOT_SUPPORTED", creds=br),
                                  "error_param")
    assert cancel(sandbox, br_sn, "CUSTOMER_REQUEST", creds=br).status == 200
    tw_sn = make_order(sandbox)
    assert cancel(sandbox, tw_sn, "COD_NOT_SUPPORTED").status == 200
    assert detail(sandbox, tw_sn, "cancel_reason")["cancel_reason"] == "COD Unsupported"


@pytest.mark.parametrize("reason", ["OTHER", "customer_request", "", 3])
def test_unknown_cancel_reason_is_error_param(sandbox, reason):
    sn = make_order(sandbox)
    assert_refused_without_change(sandbox, sn, lambda: cancel(sandbox, sn, reason), "error_param")


def test_cancelling_twice_is_error_limit(sandbox):
    sn = make_order(sandbox)
    assert cancel(sandbox, sn).status == 200
    assert stock(sandbox, sn) == 5
    assert_refused_without_change(sandbox, sn, lambda: cancel(sandbox, sn), "order.error_limit", message=CANNOT_CANCEL)
    assert stock(sandbox, sn) == 5  # not given back twice


def test_no_cancel_once_the_tracking_number_exists(sandbox):
    sn = make_order(sandbox, status="PROCESSED")  # shipped with the default 0 s tracking delay
    assert order(sandbox, sn)["packages"][0]["tracking_number"]
    assert_refused_without_change(sandbox, sn, lambda: cancel(sandbox, sn), "order.error_limit", message=CANNOT_CANCEL)


def test_arranged_order_without_tracking_number_yet_can_be_cancelled_and_never_gets_one(sandbox):
    assert sandbox.admin("POST", "/shopee/settings", {"tracking_delay_seconds": HOUR}).status == 200
    sn = make_order(sandbox, logistics_channel_id=30005)  # 7-ELEVEN: drop-off
    shipped = sandbox.shopee("POST", "logistics/ship_order", {"order_sn": sn, "dropoff": {}})
    assert shipped.status == 200, shipped.body
    assert order(sandbox, sn)["status"] == "PROCESSED"
    assert cancel(sandbox, sn).status == 200
    advance(sandbox, 2 * HOUR)  # the 3PL's answer comes after the cancellation
    view = order(sandbox, sn)
    assert view["status"] == "CANCELLED" and view["packages"][0]["tracking_number"] == ""
    assert view["packages"][0]["logistics_status"] == "LOGISTICS_REQUEST_CANCELED"


@pytest.mark.parametrize("status", ["SHIPPED", "TO_CONFIRM_RECEIVE", "COMPLETED", "TO_RETURN", "IN_CANCEL"])
def test_no_cancel_after_shipping_or_during_a_buyer_request(sandbox, status):
    sn = make_order(sandbox, status=status)
    assert_refused_without_change(sandbox, sn, lambda: cancel(sandbox, sn), "order.error_limit", message=CANNOT_CANCEL)


def test_cancel_an_order_of_another_shop_is_not_found(sandbox):
    other = new_shop(sandbox)
    theirs = make_order(sandbox, other["shop_id"])
    assert_refused_without_change(sandbox, theirs, lambda: cancel(sandbox, theirs), "error_not_found", status=404)


# ---- handle_buyer_cancellation --------------------------------------------------------------
def requested(sandbox, status="READY_TO_SHIP") -> str:
    """An order whose buyer asked to cancel more than an hour after paying: IN_CANCEL."""
    sn = make_order(sandbox, status=status)
    advance(sandbox, HOUR + 1)
    answer = event(sandbox, sn, "buyer_cancel", reason="Need to change delivery address")
    assert answer.status == 200 and answer.body["status"] == "IN_CANCEL", answer.body
    return sn


def test_buyer_cancel_within_an_hour_of_payment_cancels_at_once(sandbox):
    sn = make_order(sandbox)
    advance(sandbox, HOUR - 60)
    answer = event(sandbox, sn, "buyer_cancel")
    assert answer.body["status"] == "CANCELLED"
    assert stock(sandbox, sn) == 5
    assert detail(sandbox, sn, "cancel_by")["cancel_by"] == "buyer"
    assert_refused_without_change(sandbox, sn, lambda: handle(sandbox, sn, "ACCEPT"), "order.order_status_invalid",
                                  message=NOT_IN_CANCEL)


def test_accept_cancels_and_gives_the_stock_back(sandbox):
    sn = requested(sandbox)
    assert stock(sandbox, sn) == 3
    advance(sandbox, 60)
    answer = handle(sandbox, sn, "ACCEPT")
    assert answer.status == 200, answer.body
    assert answer.body["response"] == {"update_time": T0 + HOUR + 61}
    assert stock(sandbox, sn) == 5
    got = detail(sandbox, sn, "cancel_by,buyer_cancel_reason")
    assert got["order_status"] == "CANCELLED" and got["cancel_by"] == "buyer"
    assert got["buyer_cancel_reason"] == "Need to change delivery address"


@pytest.mark.parametrize("status", ["READY_TO_SHIP", "PROCESSED"])
def test_reject_returns_the_order_to_its_status_before_the_request(sandbox, status):
    sn = requested(sandbox, status)
    before = stock(sandbox, sn)
    answer = handle(sandbox, sn, "REJECT")
    assert answer.status == 200, answer.body
    assert answer.body["response"]["update_time"] == T0 + HOUR + 1
    assert order(sandbox, sn)["status"] == status
    assert detail(sandbox, sn)["order_status"] == status
    assert stock(sandbox, sn) == before


def test_explicit_in_cancel_order_can_be_rejected_back_to_ready_to_ship(sandbox):
    sn = make_order(sandbox, status="IN_CANCEL")
    assert handle(sandbox, sn, "REJECT").status == 200
    assert order(sandbox, sn)["status"] == "READY_TO_SHIP"


@pytest.mark.parametrize("status", ["UNPAID", "READY_TO_SHIP", "PROCESSED", "SHIPPED", "COMPLETED", "CANCELLED"])
def test_handle_buyer_cancellation_outside_in_cancel_is_order_status_invalid(sandbox, status):
    sn = make_order(sandbox, status=status)
    for operation in ("ACCEPT", "REJECT"):
        assert_refused_without_change(sandbox, sn, lambda: handle(sandbox, sn, operation), "order.order_status_invalid",
                                      message=NOT_IN_CANCEL)


def test_second_answer_to_the_same_request_is_order_status_invalid(sandbox):
    sn = requested(sandbox)
    assert handle(sandbox, sn, "ACCEPT").status == 200
    assert_refused_without_change(sandbox, sn, lambda: handle(sandbox, sn, "REJECT"), "order.order_status_invalid")


@pytest.mark.parametrize("operation", ["accept", "CANCEL", "", None, 1])
def test_unknown_operation_is_error_param(sandbox, operation):
    sn = requested(sandbox)
    body = {"order_sn": sn} if operation is None else {"order_sn": sn, "operation": operation}
    assert_refused_without_change(
        sandbox, sn, lambda: sandbox.shopee("POST", "order/handle_buyer_cancellation", body), "error_param")


def test_handle_an_order_of_another_shop_is_not_found(sandbox):
    other = new_shop(sandbox)
    theirs = make_order(sandbox, other["shop_id"], status="IN_CANCEL")
    assert_refused_without_change(sandbox, theirs, lambda: handle(sandbox, theirs, "ACCEPT"), "error_not_found", 404)
    assert handle(sandbox, theirs, "ACCEPT", creds=other).status == 200
