"""v2.order.split_order and v2.order.unsplit_order: parcels, item rules, regions, statuses."""
from __future__ import annotations

import pytest

from tests.shopee.lenient_support import strict, warned
from tests.shopee.order_support import assert_error, comparable, detail, make_order, new_shop, order

LINES = [{"item_name": "A", "quantity": 2, "stock": 9}, {"item_name": "B", "quantity": 1},
         {"item_name": "C", "quantity": 1}]


def split(sandbox, sn, packages, creds=None):
    return sandbox.shopee("POST", "order/split_order", {"order_sn": sn, "package_list": packages}, creds=creds)


def unsplit(sandbox, sn, creds=None):
    return sandbox.shopee("POST", "order/unsplit_order", {"order_sn": sn}, creds=creds)


def lines(sandbox, sn) -> list[dict]:
    """The order's lines as split_order item entries (item_id, model_id)."""
    return [{"item_id": i["item_id"], "model_id": i["model_id"]} for i in order(sandbox, sn)["items"]]


def packages(*groups) -> list[dict]:
    return [{"item_list": list(group)} for group in groups]


def refused(sandbox, sn, call, error, message=None, status=400):
    """`call()` is refused with `error` and the order is unchanged."""
    before = comparable(order(sandbox, sn))
    assert_error(call(), error, status, message)
    assert comparable(order(sandbox, sn)) == before


def three_line_order(sandbox, shop_id=None, status="READY_TO_SHIP"):
    sn = make_order(sandbox, shop_id, status, items=[dict(line) for line in LINES])
    return sn, lines(sandbox, sn)


# ---- split_order ----------------------------------------------------------------------------
def test_split_into_two_parcels_places_every_item_once(sandbox):
    sn, (a, b, c) = three_line_order(sandbox)
    old_package = order(sandbox, sn)["packages"][0]["package_number"]
    answer = split(sandbox, sn, packages([a, b], [c]))
    assert answer.status == 200, answer.body
    body = answer.body["response"]
    assert body["order_sn"] == sn
    got = [[(i["item_id"], i["model_quantity"]) for i in p["item_list"]] for p in body["package_list"]]
    assert got == [[(a["item_id"], 2), (b["item_id"], 1)], [(c["item_id"], 1)]]
    numbers = [p["package_number"] for p in body["package_list"]]
    assert len(set(numbers)) == 2 and old_package not in numbers
    view = detail(sandbox, sn, "split_up,package_list")
    assert view["split_up"] is True and view["order_status"] == "READY_TO_SHIP"
    assert [p["package_number"] for p in view["package_list"]] == numbers


def test_unit_level_split_spreads_one_line_over_parcels_in_tw(sandbox):
    sn, (a, b, c) = three_line_order(sandbox)
    answer = split(sandbox, sn, packages([{**a, "model_quantity": 1}], [{**a, "model_quantity": 1}, b], [c]))
    assert answer.status == 200, answer.body
    quantities = [[i["model_quantity"] for i in p["item_list"]] for p in answer.body["response"]["package_list"]]
    assert quantities == [[1], [1, 1], [1]]


def test_unit_level_split_is_refused_outside_the_whitelisted_markets(sandbox):
    shop = new_shop(sandbox, "PH")
    sn, (a, b, c) = three_line_order(sandbox, shop["shop_id"])
    refused(sandbox, sn, lambda: split(sandbox, sn, packages([{**a, "model_quantity": 1}],
                                                             [{**a, "model_quantity": 1}, b, c]), creds=shop),
            "order.order_split_wrong_item_quantity")
    # A quantity that restates the whole line is fine.
    assert split(sandbox, sn, packages([{**a, "model_quantity": 2}], [b, c]), creds=shop).status == 200


def test_thirty_parcels_in_tw(sandbox):
    sn = make_order(sandbox, items=[{"item_name": f"I{n}", "quantity": 1} for n in range(31)])
    items = lines(sandbox, sn)
    refused(sandbox, sn, lambda: split(sandbox, sn, packages(*([i] for i in items))), "error_param",
            "The size of package list is over limit.")
    answer = split(sandbox, sn, packages(*([i] for i in items[:29]), items[29:]))
    assert answer.status == 200, answer.body
    assert len(answer.body["response"]["package_list"]) == 30


def test_five_parcels_in_other_regions(sandbox):
    shop = new_shop(sandbox, "MY")
    sn = make_order(sandbox, shop["shop_id"], items=[{"item_name": f"I{n}", "quantity": 1} for n in range(6)])
    items = lines(sandbox, sn)
    refused(sandbox, sn, lambda: split(sandbox, sn, packages(*([i] for i in items)), creds=shop), "error_param",
            "The size of package list is over limit.")
    assert split(sandbox, sn, packages(*([i] for i in items[:4]), items[4:]), creds=shop).status == 200


@pytest.mark.parametrize("how", ["one parcel", "no parcel", "empty parcel"])
def test_fewer_than_two_parcels_or_an_empty_one_is_error_param(sandbox, how):
    sn, (a, b, c) = three_line_order(sandbox)
    package_list = {"one parcel": packages([a, b, c]), "no parcel": [],
                    "empty parcel": packages([a, b, c], [])}[how]
    refused(sandbox, sn, lambda: split(sandbox, sn, package_list), "error_param")


def test_duplicate_item_is_order_split_duplicate_item(sandbox):
    sn, (a, b, c) = three_line_order(sandbox)
    for package_list in (packages([a, a, b], [c]),  # twice in one parcel
                         packages([a, b], [a, c]),  # the whole line in two parcels
                         packages([a, b], [{**a, "model_quantity": 1}, c])):  # whole line, then a unit
        refused(sandbox, sn, lambda: split(sandbox, sn, package_list), "order.order_split_duplicate_item",
                "Cannot split order with duplicate items.")


def test_missing_item_is_order_split_package_missing_item(sandbox):
    sn, (a, b, c) = three_line_order(sandbox)
    refused(sandbox, sn, lambda: split(sandbox, sn, packages([a], [b])), "order.order_split_package_missing_item",
            "Cannot split order with missing items.")


def test_item_not_in_the_order_is_order_split_item_not_exist(sandbox):
    sn, (a, b, c) = three_line_order(sandbox)
    _, (stranger, _, _) = three_line_order(sandbox)
    for wrong in (stranger, {**c, "model_id": c["model_id"] + 1}, {**c, "order_item_id": 1}):
        refused(sandbox, sn, lambda: split(sandbox, sn, packages([a, b], [c, wrong] if wrong is stranger else [wrong])),
                "order.order_split_item_not_exist", "Cannot split order with invalid items.")


@pytest.mark.parametrize("quantities", [(1, 2), (2, 1), (1, 0), (0, 2), (3, None)])
def test_quantities_that_do_not_add_up_are_order_split_wrong_item_quantity(sandbox, quantities):
    sn, (a, b, c) = three_line_order(sandbox)
    first, second = ({**a, "model_quantity": q} if q is not None else a for q in quantities)
    package_list = packages([first, b], [c] + ([second] if quantities[1] is not None else []))
    refused(sandbox, sn, lambda: split(sandbox, sn, package_list), "order.order_split_wrong_item_quantity",
            "Cannot split order with wrong model quantity")


def test_an_order_splits_only_once(sandbox):
    sn, (a, b, c) = three_line_order(sandbox)
    assert split(sandbox, sn, packages([a], [b, c])).status == 200
    refused(sandbox, sn, lambda: split(sandbox, sn, packages([a, b], [c])), "order.order_has_been_split",
            "This order has already been split.")


@pytest.mark.parametrize("status", ["UNPAID", "PROCESSED", "SHIPPED", "IN_CANCEL", "CANCELLED"])
def test_only_ready_to_ship_orders_split(sandbox, status):
    sn, (a, b, c) = three_line_order(sandbox, status=status)
    refused(sandbox, sn, lambda: split(sandbox, sn, packages([a], [b, c])), "order.order_split_failed")


@pytest.mark.parametrize("status", ["INVOICE_PENDING", "READY_TO_SHIP"])
def test_br_orders_cannot_split(sandbox, status):
    """Seed 001: split_order is not used in Brazil."""
    br = new_shop(sandbox, "BR")
    sn, (a, b, c) = three_line_order(sandbox, br["shop_id"], status)
    refused(sandbox, sn, lambda: split(sandbox, sn, packages([a], [b, c]), creds=br), "order.order_cannot_split",
            "You don\u2019t have the permission to split order.")


@pytest.mark.parametrize("package_list", ["x", [{"item_list": "x"}], [{"item_list": [{"item_id": 1}]}] * 2])
def test_malformed_package_list_is_error_param(sandbox, package_list):
    sn, _ = three_line_order(sandbox)
    refused(sandbox, sn, lambda: split(sandbox, sn, package_list), "error_param")


@pytest.mark.parametrize("package_list", [[{"items": []}, {"items": []}],
                                          [{"item_list": [{"item_id": "1", "model_id": 1}]}] * 2])
def test_unknown_fields_and_digit_strings_are_error_param_in_strict_mode(sandbox, package_list):
    strict(sandbox)
    sn, _ = three_line_order(sandbox)
    refused(sandbox, sn, lambda: split(sandbox, sn, package_list), "error_param")


def test_digit_strings_for_ids_are_read_as_integers_with_a_warning(sandbox):
    """Issue 11: what the reference does not say Shopee refuses is accepted and warned."""
    sn, (a, b, c) = three_line_order(sandbox)
    as_strings = [{"item_list": [{"item_id": str(i["item_id"]), "model_id": str(i["model_id"])}
                                 for i in parcel]} for parcel in ([a], [b, c])]
    answer = split(sandbox, sn, as_strings)
    assert answer.status == 200, answer.body
    warned(sandbox, answer, "package_list[0].item_list[0].item_id is the string")


def test_split_an_order_of_another_shop_is_not_found(sandbox):
    other = new_shop(sandbox)
    sn, (a, b, c) = three_line_order(sandbox, other["shop_id"])
    refused(sandbox, sn, lambda: split(sandbox, sn, packages([a], [b, c])), "error_not_found", status=404)


# ---- unsplit_order --------------------------------------------------------------------------
def test_unsplit_puts_everything_back_in_one_parcel(sandbox):
    sn, (a, b, c) = three_line_order(sandbox)
    assert split(sandbox, sn, packages([a], [b], [c])).status == 200
    answer = unsplit(sandbox, sn)
    assert answer.status == 200, answer.body
    assert "response" not in answer.body and answer.body["error"] == ""
    view = detail(sandbox, sn, "split_up,package_list")
    assert view["split_up"] is False
    [package] = view["package_list"]
    assert sorted((i["item_id"], i["model_quantity"]) for i in package["item_list"]) \
        == sorted([(a["item_id"], 2), (b["item_id"], 1), (c["item_id"], 1)])
    # And it may be split again.
    assert split(sandbox, sn, packages([a, b], [c])).status == 200


def test_unsplit_an_order_that_is_not_split_is_order_cannot_undo_split(sandbox):
    sn, _ = three_line_order(sandbox)
    refused(sandbox, sn, lambda: unsplit(sandbox, sn), "order.order_cannot_undo_split",
            "Cannot undo split this order.")


def test_unsplit_once_a_parcel_is_arranged_is_order_cannot_undo_split(sandbox):
    sn = make_order(sandbox, items=[dict(line) for line in LINES], logistics_channel_id=30005)
    a, b, c = lines(sandbox, sn)
    first = split(sandbox, sn, packages([a], [b, c])).body["response"]["package_list"][0]["package_number"]
    shipped = sandbox.shopee("POST", "logistics/ship_order",
                             {"order_sn": sn, "package_number": first, "dropoff": {}})
    assert shipped.status == 200, shipped.body
    assert order(sandbox, sn)["status"] == "READY_TO_SHIP"  # one parcel of two is arranged
    refused(sandbox, sn, lambda: unsplit(sandbox, sn), "order.order_cannot_undo_split")


def test_unsplit_in_br_is_order_cannot_undo_split(sandbox):
    br = new_shop(sandbox, "BR")
    sn, _ = three_line_order(sandbox, br["shop_id"])
    refused(sandbox, sn, lambda: unsplit(sandbox, sn, creds=br), "order.order_cannot_undo_split")
