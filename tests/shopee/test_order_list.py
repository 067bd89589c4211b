"""v2.order.get_order_list and v2.order.get_shipment_list: time windows, paging, filters, shops."""
from __future__ import annotations

import pytest

from tests.conftest import T0
from tests.shopee.lenient_support import strict, warned
from tests.shopee.order_support import (DAY, HOUR, advance, assert_error, make_order, make_orders,
                                        new_shop)

WINDOW = 15 * DAY
INVALID_TIME = "Start time must be earlier than end time and diff in 15days."


def list_orders(sandbox, creds=None, **params):
    query = {"time_range_field": "create_time", "time_from": T0 - WINDOW, "time_to": T0, "page_size": 100}
    query.update(params)
    return sandbox.shopee("GET", "order/get_order_list", {k: v for k, v in query.items() if v is not None},
                          creds=creds)


def walk(sandbox, page_size: int, creds=None, **params) -> list[dict]:
    """Every page of a query, following next_cursor; checks the paging fields on the way."""
    rows, cursor, pages = [], "", 0
    while True:
        answer = list_orders(sandbox, creds, page_size=page_size, cursor=cursor, **params)
        assert answer.status == 200, answer.body
        body = answer.body["response"]
        assert len(body["order_list"]) <= page_size
        rows += body["order_list"]
        pages += 1
        assert pages < 100
        if not body["more"]:
            assert body["next_cursor"] == ""
            return rows
        assert body["next_cursor"] and len(body["order_list"]) == page_size
        cursor = body["next_cursor"]


def state_orders(sandbox, shop_id=None) -> list[dict]:
    shop_id = shop_id or sandbox.creds["shop_id"]
    return [o for o in sandbox.admin("GET", "/state").body["shopee"]["orders"] if o["shop_id"] == shop_id]


# ---- time window ----------------------------------------------------------------------------
def test_time_range_of_exactly_15_days_is_accepted(sandbox):
    assert list_orders(sandbox, time_from=T0 - WINDOW, time_to=T0).status == 200


@pytest.mark.parametrize("time_from,time_to", [
    (T0 - WINDOW - 1, T0),  # one second over 15 days
    (T0 - 30 * DAY, T0),
    (T0, T0),  # from must be earlier than to
    (T0, T0 - DAY),
])
def test_time_range_over_15_days_or_reversed_is_order_list_invalid_time(sandbox, time_from, time_to):
    answer = list_orders(sandbox, time_from=time_from, time_to=time_to)
    assert_error(answer, "order.order_list_invalid_time", message=INVALID_TIME)


@pytest.mark.parametrize("field", ["time_from", "time_to", "time_range_field"])
def test_missing_time_parameter_is_error_param(sandbox, field):
    assert_error(list_orders(sandbox, **{field: None}), "error_param")


@pytest.mark.parametrize("field,value", [("time_range_field", "pay_time"), ("time_from", "yesterday"),
                                         ("time_to", "1.5"), ("time_from", "-5")])
def test_bad_time_parameter_is_error_param(sandbox, field, value):
    assert_error(list_orders(sandbox, **{field: value}), "error_param")


# ---- page size and cursor -------------------------------------------------------------------
@pytest.mark.parametrize("page_size", [0, 101, "abc", "1.5", -1, None])
def test_page_size_outside_1_to_100_or_not_an_integer_is_error_param(sandbox, page_size):
    answer = list_orders(sandbox, page_size=page_size)
    assert_error(answer, "error_param")
    assert answer.message.startswith("Wrong parameters, detail: ")


@pytest.mark.parametrize("page_size", [1, 100])
def test_page_size_bounds_are_accepted(sandbox, page_size):
    # 50 default orders + 60 more: a page of 100 is full and has more.
    assert sandbox.admin("POST", f"/shopee/shops/{sandbox.creds['shop_id']}/orders", {"count": 60}).status == 201
    answer = list_orders(sandbox, page_size=page_size)
    assert answer.status == 200
    assert len(answer.body["response"]["order_list"]) == page_size
    assert answer.body["response"]["more"] is True


@pytest.mark.parametrize("page_size", [1, 7, 50])
def test_cursor_walk_collects_exactly_the_orders_of_the_window(sandbox, page_size):
    # A window that cuts the default world: from its 6th oldest order to its 6th newest, inclusive.
    times = sorted(o["create_time"] for o in state_orders(sandbox))
    time_from, time_to = times[5], times[-6]
    rows = walk(sandbox, page_size, time_from=time_from, time_to=time_to)
    sns = [r["order_sn"] for r in rows]
    assert len(sns) == len(set(sns)), "an order was listed twice"
    expected = {o["order_sn"] for o in state_orders(sandbox) if time_from <= o["create_time"] <= time_to}
    assert 10 < len(expected) < len(times) - 9
    assert set(sns) == expected


def test_single_page_has_no_more_and_an_empty_next_cursor(sandbox):
    body = list_orders(sandbox).body["response"]
    assert body["more"] is False and body["next_cursor"] == ""
    assert len(body["order_list"]) == len(state_orders(sandbox)) < 100


def test_literal_empty_quotes_cursor_means_the_first_page(sandbox):
    """Shopee's own request samples send cursor="" (with the quotes)."""
    first = list_orders(sandbox, page_size=5).body["response"]["order_list"]
    assert list_orders(sandbox, page_size=5, cursor='""').body["response"]["order_list"] == first


@pytest.mark.parametrize("cursor", ["abc", "-5", "1.5", "5 ", "\u0665", "99999999999999999999999"])
def test_a_cursor_the_sandbox_never_issued_is_error_param(sandbox, cursor):
    assert_error(list_orders(sandbox, page_size=5, cursor=cursor), "error_param")


# ---- order, filters and fields --------------------------------------------------------------
def test_orders_are_listed_newest_created_first(sandbox):
    by_sn = {o["order_sn"]: o for o in state_orders(sandbox)}
    times = [by_sn[r["order_sn"]]["create_time"] for r in walk(sandbox, 9)]
    assert times == sorted(times, reverse=True)


def test_update_time_range_lists_by_update_time_newest_first(sandbox):
    # An order created 20 days ago and cancelled now: outside the create_time window, inside the
    # update_time one.
    old = make_orders(sandbox, sandbox.creds["shop_id"], [{"status": "UNPAID", "create_time": T0 - 20 * DAY,
                                                          "items": [{"item_name": "Old", "quantity": 1}]}])[0]
    advance(sandbox, HOUR)
    cancelled = sandbox.shopee("POST", "order/cancel_order", {"order_sn": old, "cancel_reason": "CUSTOMER_REQUEST"})
    assert cancelled.status == 200, cancelled.body
    now = T0 + HOUR
    by_create = {r["order_sn"] for r in walk(sandbox, 100, time_from=now - WINDOW, time_to=now)}
    assert old not in by_create
    rows = walk(sandbox, 4, time_range_field="update_time", time_from=now - WINDOW, time_to=now)
    assert rows[0]["order_sn"] == old
    updates = {o["order_sn"]: o["update_time"] for o in state_orders(sandbox)}
    assert {r["order_sn"] for r in rows} == {sn for sn, t in updates.items() if now - WINDOW <= t <= now}
    times = [updates[r["order_sn"]] for r in rows]
    assert times == sorted(times, reverse=True)
    # And a window before the cancellation does not see it.
    earlier = walk(sandbox, 100, time_range_field="update_time", time_from=now - WINDOW, time_to=now - 2 * HOUR)
    assert old not in {r["order_sn"] for r in earlier}


@pytest.mark.parametrize("status", ["UNPAID", "READY_TO_SHIP", "PROCESSED", "RETRY_SHIP", "SHIPPED",
                                    "TO_CONFIRM_RECEIVE", "COMPLETED", "IN_CANCEL", "CANCELLED", "TO_RETURN"])
def test_order_status_filter_lists_only_that_status(sandbox, status):
    make_order(sandbox, status=status)
    rows = walk(sandbox, 3, order_status=status, response_optional_fields="order_status")
    expected = {o["order_sn"] for o in state_orders(sandbox) if o["status"] == status}
    assert {r["order_sn"] for r in rows} == expected
    assert {r["order_status"] for r in rows} == {status}


def test_order_status_filter_with_an_unknown_status_is_error_param(sandbox):
    assert_error(list_orders(sandbox, order_status="SHIPPING"), "error_param")


def test_response_optional_fields_order_status_adds_each_orders_status(sandbox):
    statuses = {o["order_sn"]: o["status"] for o in state_orders(sandbox)}
    rows = list_orders(sandbox, response_optional_fields="order_status").body["response"]["order_list"]
    assert all(r["order_status"] == statuses[r["order_sn"]] for r in rows)
    plain = list_orders(sandbox).body["response"]["order_list"]
    assert all(set(r) == {"order_sn"} for r in plain)


@pytest.mark.parametrize("value", ["order_sn", "order_status,buyer_user_id", "ORDER_STATUS"])
def test_response_optional_fields_other_than_order_status_is_error_param_in_strict_mode(sandbox, value):
    strict(sandbox)
    assert_error(list_orders(sandbox, response_optional_fields=value), "error_param")


@pytest.mark.parametrize("value, with_status", [("order_sn", False), ("order_status,buyer_user_id", True),
                                                ("ORDER_STATUS", False)])
def test_response_optional_fields_other_than_order_status_are_ignored_with_a_warning(sandbox, value, with_status):
    answer = list_orders(sandbox, response_optional_fields=value)
    assert answer.status == 200, answer.body
    rows = answer.body["response"]["order_list"]
    assert rows and all(("order_status" in r) is with_status for r in rows)
    warned(sandbox, answer, "response_optional_fields", "ignored")


def test_unknown_query_parameter_is_error_param_in_strict_mode(sandbox):
    strict(sandbox)
    assert_error(list_orders(sandbox, shop_name="x"), "error_param")


def test_unknown_query_parameter_is_ignored_with_a_warning(sandbox):
    answer = list_orders(sandbox, shop_name="x")
    assert answer.status == 200 and answer.body["response"]["order_list"], answer.body
    warned(sandbox, answer, "unknown parameter shop_name")


def test_post_on_get_order_list_is_405(sandbox):
    answer = sandbox.shopee("POST", "order/get_order_list", {"time_range_field": "create_time"})
    assert_error(answer, "error_param", status=405)


def test_orders_of_another_shop_are_never_listed(sandbox):
    other = new_shop(sandbox)
    created = sandbox.admin("POST", f"/shopee/shops/{other['shop_id']}/orders", {"count": 12})
    assert created.status == 201, created.body
    theirs = set(created.body["order_sns"])
    mine = {r["order_sn"] for r in walk(sandbox, 100)}
    assert mine == {o["order_sn"] for o in state_orders(sandbox)}
    assert not mine & theirs
    assert {r["order_sn"] for r in walk(sandbox, 5, creds=other)} == theirs


def test_invoice_pending_is_listed_and_filterable_in_a_br_shop(sandbox):
    br = new_shop(sandbox, "BR")
    sn = make_order(sandbox, br["shop_id"], "INVOICE_PENDING")  # a paid BR order waiting for its invoice
    make_order(sandbox, br["shop_id"], "READY_TO_SHIP")
    rows = walk(sandbox, 10, creds=br, order_status="INVOICE_PENDING", response_optional_fields="order_status")
    assert rows == [{"order_sn": sn, "order_status": "INVOICE_PENDING"}]


def test_pending_filter_is_accepted_and_finds_nothing(sandbox):
    """PENDING exists behind request_order_status_pending; the sandbox never holds an order in it."""
    answer = list_orders(sandbox, order_status="PENDING", request_order_status_pending="true")
    assert answer.status == 200 and answer.body["response"]["order_list"] == []


# ---- get_shipment_list ----------------------------------------------------------------------
def shipments(sandbox, creds=None, **params):
    return sandbox.shopee("GET", "order/get_shipment_list", {"page_size": 100, **params}, creds=creds)


def walk_shipments(sandbox, page_size: int, creds=None) -> list[dict]:
    rows, cursor = [], ""
    for _ in range(100):
        answer = shipments(sandbox, creds, page_size=page_size, cursor=cursor)
        assert answer.status == 200, answer.body
        body = answer.body["response"]
        rows += body["order_list"]
        if not body["more"]:
            assert body["next_cursor"] == ""
            return rows
        assert len(body["order_list"]) == page_size
        cursor = body["next_cursor"]
    raise AssertionError("paging never ended")


@pytest.mark.parametrize("page_size", [1, 4, 100])
def test_shipment_list_holds_every_ready_to_ship_and_retry_ship_package_once(sandbox, page_size):
    for status in ("READY_TO_SHIP", "RETRY_SHIP", "PROCESSED", "UNPAID", "IN_CANCEL"):
        make_order(sandbox, status=status)
    rows = walk_shipments(sandbox, page_size)
    expected = {(o["order_sn"], p["package_number"]) for o in state_orders(sandbox)
                if o["status"] in ("READY_TO_SHIP", "RETRY_SHIP") for p in o["packages"]}
    assert len(expected) >= 2
    got = [(r["order_sn"], r["package_number"]) for r in rows]
    assert len(got) == len(set(got))
    assert set(got) == expected


def test_shipment_list_shows_each_parcel_of_a_split_order_and_never_another_shop(sandbox):
    other = new_shop(sandbox)
    theirs = make_order(sandbox, other["shop_id"])
    sn = make_order(sandbox, items=[{"item_name": "A", "quantity": 1}, {"item_name": "B", "quantity": 1}])
    items = [(i["item_id"], i["model_id"]) for i in sandbox.admin("GET", f"/shopee/orders/{sn}").body["items"]]
    split = sandbox.shopee("POST", "order/split_order", {"order_sn": sn, "package_list": [
        {"item_list": [{"item_id": i, "model_id": m}]} for i, m in items]})
    assert split.status == 200, split.body
    packages = {p["package_number"] for p in split.body["response"]["package_list"]}
    rows = walk_shipments(sandbox, 3)
    assert {r["package_number"] for r in rows if r["order_sn"] == sn} == packages
    assert theirs not in {r["order_sn"] for r in rows}
    assert [r["order_sn"] for r in walk_shipments(sandbox, 3, creds=other)] == [theirs]


@pytest.mark.parametrize("page_size", [0, 101, "abc", None])
def test_shipment_list_page_size_outside_1_to_100_is_error_param(sandbox, page_size):
    params = {} if page_size is None else {"page_size": page_size}
    answer = sandbox.shopee("GET", "order/get_shipment_list", params)
    assert_error(answer, "error_param")


def test_shipment_list_bad_cursor_is_error_param(sandbox):
    assert_error(shipments(sandbox, cursor="next"), "error_param")
