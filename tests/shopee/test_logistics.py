"""v2.logistics: get_shipping_parameter, ship_order, get_tracking_number, get_tracking_info and
get_channel_list against the reference (v2.logistics.*.json) and the order-management guide."""
from __future__ import annotations

import re

import pytest

from tests.conftest import T0
from tests.shopee.order_support import (DAY, HOUR, advance, assert_error, comparable, detail, event, make_order,
                                        new_shop, order)

UTC8 = 8 * HOUR
NOT_READY_PARAMS = "Shipping parameters can only be obtained when package is ready to be shipped"
NOT_READY_SHIP = "The order status is not ready to ship."
ONE_WAY = "Please select just one way to ship order: pickup or dropoff or non_integrated."
SEFAZ = ("Please upload the invoice or verify the details of the document already submitted, which is currently "
         "flagged as invalid by SEFAZ. Correction is required to release the shipment.")
PENDING_INVOICE = "Pending invoice data, can not arrange shipment."
# TW channels of catalogue_data.CHANNELS
SEVEN_ELEVEN, BLACK_CAT, SHOPEE_STORE, OWN_COURIER = 30005, 30001, 30029, 30011


def params(sandbox, sn, creds=None, **extra):
    return sandbox.shopee("GET", "logistics/get_shipping_parameter", {"order_sn": sn, **extra}, creds=creds)


def ship(sandbox, sn, creds=None, **body):
    return sandbox.shopee("POST", "logistics/ship_order", {"order_sn": sn, **body}, creds=creds)


def tracking_number(sandbox, sn, creds=None, **extra):
    return sandbox.shopee("GET", "logistics/get_tracking_number", {"order_sn": sn, **extra}, creds=creds)


def tracking_info(sandbox, sn, **extra):
    return sandbox.shopee("GET", "logistics/get_tracking_info", {"order_sn": sn, **extra})


def pickup_body(sandbox, sn, slot=0, creds=None) -> dict:
    address = params(sandbox, sn, creds).body["response"]["pickup"]["address_list"][0]
    return {"address_id": address["address_id"], "pickup_time_id": address["time_slot_list"][slot]["pickup_time_id"]}


def refused_without_change(sandbox, sn, call, error, status=400, message=None):
    before = comparable(order(sandbox, sn))
    answer = call()
    assert_error(answer, error, status, message)
    assert comparable(order(sandbox, sn)) == before
    return answer


def two_line_order(sandbox) -> tuple[str, list[dict]]:
    sn = make_order(sandbox, items=[{"item_name": "Mug", "price": 100, "quantity": 1, "stock": 5},
                                    {"item_name": "Tea", "price": 300, "quantity": 2, "stock": 5}],
                    logistics_channel_id=SEVEN_ELEVEN)
    items = [{"item_id": i["item_id"], "model_id": i["model_id"]} for i in order(sandbox, sn)["items"]]
    return sn, items


def split(sandbox, sn, items) -> list[str]:
    answer = sandbox.shopee("POST", "order/split_order",
                            {"order_sn": sn, "package_list": [{"item_list": [item]} for item in items]})
    assert answer.status == 200, answer.body
    return [p["package_number"] for p in answer.body["response"]["package_list"]]


# ---- get_shipping_parameter ----------------------------------------------------------------------
@pytest.mark.parametrize("channel, needed", [
    (SEVEN_ELEVEN, {"dropoff": []}),
    (BLACK_CAT, {"pickup": ["address_id", "pickup_time_id"]}),
    (SHOPEE_STORE, {"dropoff": [], "pickup": ["address_id", "pickup_time_id"]}),
    (OWN_COURIER, {"non_integrated": ["tracking_number"]}),
])
def test_info_needed_follows_the_channel(sandbox, channel, needed):
    sn = make_order(sandbox, logistics_channel_id=channel)
    answer = params(sandbox, sn)
    assert answer.status == 200, answer.body
    response = answer.body["response"]
    assert response["info_needed"] == needed
    assert (response["pickup"] is not None) == ("pickup" in needed)
    # Like the reference sample: no dropoff object when a TW drop-off needs nothing to choose.
    assert response["dropoff"] is None


def test_pickup_offers_the_shop_address_and_the_next_three_days_in_taiwan_time(sandbox):
    sn = make_order(sandbox, logistics_channel_id=BLACK_CAT)
    address_list = params(sandbox, sn).body["response"]["pickup"]["address_list"]
    assert len(address_list) == 1
    address = address_list[0]
    assert address["region"] == "TW" and address["zipcode"] and "pickup_address" in address["address_flag"]
    slots = address["time_slot_list"]
    next_midnight = (T0 + UTC8) // DAY * DAY + DAY - UTC8
    assert [s["date"] for s in slots] == [next_midnight, next_midnight + DAY, next_midnight + 2 * DAY]
    assert [s["pickup_time_id"] for s in slots] == [str(s["date"]) for s in slots]
    assert [s["flags"] for s in slots] == [["recommended"], [], []]


def test_br_dropoff_lists_branches_and_needs_one(sandbox):
    shop = new_shop(sandbox, "BR")
    sn = make_order(sandbox, shop["shop_id"], logistics_channel_id=90001)  # READY_TO_SHIP: invoice issued
    response = params(sandbox, sn, shop).body["response"]
    assert response["info_needed"]["dropoff"] == ["branch_id"]
    branches = response["dropoff"]["branch_list"]
    assert branches and all(b["region"] == "BR" for b in branches)
    refused_without_change(sandbox, sn, lambda: ship(sandbox, sn, shop, dropoff={}),
                           "logistics.ship_order_need_branch_id", message="Parameter branch_id is required.")
    refused_without_change(sandbox, sn, lambda: ship(sandbox, sn, shop, dropoff={"branch_id": 1}),
                           "logistics.error_param", message="Delivery store is not exist.")
    answer = ship(sandbox, sn, shop, dropoff={"branch_id": branches[-1]["branch_id"]})
    assert answer.status == 200, answer.body
    assert order(sandbox, sn)["status"] == "PROCESSED"


def test_shipping_parameter_of_a_cancelled_order_is_error_status(sandbox):
    sn = make_order(sandbox, status="CANCELLED")
    refused_without_change(sandbox, sn, lambda: params(sandbox, sn), "error_status",
                           message="The order has been cancelled.")


@pytest.mark.parametrize("status", ["UNPAID", "PROCESSED", "SHIPPED", "TO_CONFIRM_RECEIVE", "COMPLETED",
                                    "IN_CANCEL", "TO_RETURN"])
def test_shipping_parameter_only_for_a_parcel_ready_to_ship(sandbox, status):
    sn = make_order(sandbox, status=status)
    refused_without_change(sandbox, sn, lambda: params(sandbox, sn), "error_param", message=NOT_READY_PARAMS)


def test_retry_ship_order_gets_shipping_parameters_again(sandbox):
    sn = make_order(sandbox, status="RETRY_SHIP")
    answer = params(sandbox, sn)
    assert answer.status == 200 and answer.body["response"]["info_needed"]


def test_invoice_pending_br_order_lacks_invoice_data_in_both_apis(sandbox):
    shop = new_shop(sandbox, "BR")
    sn = make_order(sandbox, shop["shop_id"], status="UNPAID")
    assert event(sandbox, sn, "pay").body["status"] == "INVOICE_PENDING"
    refused_without_change(sandbox, sn, lambda: params(sandbox, sn, shop), "logistics.lack_of_invoice_data",
                           message=SEFAZ)
    refused_without_change(sandbox, sn, lambda: ship(sandbox, sn, shop, pickup={"address_id": 1, "pickup_time_id": "1"}),
                           "logistics.lack_of_invoice_data", message=PENDING_INVOICE)
    assert event(sandbox, sn, "issue_invoice").body["status"] == "READY_TO_SHIP"
    assert ship(sandbox, sn, shop, pickup=pickup_body(sandbox, sn, creds=shop)).status == 200


def test_unknown_or_other_shops_order_is_not_found(sandbox):
    other = new_shop(sandbox)
    theirs = make_order(sandbox, other["shop_id"])
    for sn in ("000000NOTREAL", theirs):
        assert_error(params(sandbox, sn), "error_not_found", 404)
        assert_error(ship(sandbox, sn, dropoff={}), "error_not_found", 404)
        assert_error(tracking_number(sandbox, sn), "logistics.invalid_error", message="The order is not exist.")
        assert_error(tracking_info(sandbox, sn), "logistics.invalid_error", message="The order is not exist.")
    assert order(sandbox, theirs)["status"] == "READY_TO_SHIP"


# ---- ship_order ------------------------------------------------------------------------------------
@pytest.mark.parametrize("body", [{}, {"pickup": {}, "dropoff": {}},
                                  {"pickup": {}, "dropoff": {}, "non_integrated": {}},
                                  {"dropoff": {}, "non_integrated": {}}])
def test_ship_order_takes_exactly_one_way(sandbox, body):
    sn = make_order(sandbox, logistics_channel_id=SHOPEE_STORE)
    refused_without_change(sandbox, sn, lambda: ship(sandbox, sn, **body),
                           "logistics.ship_order_only_support_one_type", message=ONE_WAY)


def test_ship_order_moves_the_order_to_processed_with_a_tracking_number(sandbox):
    sn = make_order(sandbox, logistics_channel_id=SEVEN_ELEVEN)
    advance(sandbox, 90)
    answer = ship(sandbox, sn, dropoff={})
    assert answer.status == 200, answer.body
    assert answer.body["error"] == "" and answer.body["message"] == "" and "response" not in answer.body
    view = order(sandbox, sn)
    assert view["status"] == "PROCESSED" and view["update_time"] == T0 + 90
    package = view["packages"][0]
    assert package["logistics_status"] == "LOGISTICS_REQUEST_CREATED" and package["shipped_with"] == "dropoff"
    assert detail(sandbox, sn)["order_status"] == "PROCESSED"
    assert tracking_number(sandbox, sn).body["response"]["tracking_number"] == package["tracking_number"] != ""


@pytest.mark.parametrize("pickup", [{}, {"address_id": 1}, {"pickup_time_id": "1"},
                                    {"address_id": 0, "pickup_time_id": "", "tracking_number": ""}])
def test_pickup_needs_address_id_and_pickup_time_id(sandbox, pickup):
    sn = make_order(sandbox, logistics_channel_id=BLACK_CAT)
    refused_without_change(sandbox, sn, lambda: ship(sandbox, sn, pickup=pickup),
                           "logistics.ship_order_need_address_pickup_time",
                           message="Parameter address_id and pickup_time_id are required.")


def test_pickup_address_and_slot_must_come_from_get_shipping_parameter(sandbox):
    sn = make_order(sandbox, logistics_channel_id=BLACK_CAT)
    good = pickup_body(sandbox, sn, slot=2)
    refused_without_change(sandbox, sn, lambda: ship(sandbox, sn, pickup={**good, "address_id": good["address_id"] + 1}),
                           "logistics.address_not_found", message="Address is not found.")
    refused_without_change(sandbox, sn, lambda: ship(sandbox, sn, pickup={**good, "pickup_time_id": str(T0)}),
                           "logistics.ship_order_pickup_time_invalid",
                           message="Invalid pickup time id. Please check the pick up time id.")
    assert ship(sandbox, sn, pickup=good).status == 200
    assert order(sandbox, sn)["packages"][0]["shipped_with"] == "pickup"


@pytest.mark.parametrize("channel, way, error", [
    (SEVEN_ELEVEN, "pickup", "logistics.ship_order_unsupport_pickup"),
    (BLACK_CAT, "dropoff", "logistics.ship_order_unsupport_dropoff"),
    (SEVEN_ELEVEN, "non_integrated", "logistics.ship_order_unsupport_non_integrated"),
    (OWN_COURIER, "dropoff", "logistics.ship_order_unsupport_dropoff"),
])
def test_a_way_the_channel_does_not_offer_is_refused(sandbox, channel, way, error):
    sn = make_order(sandbox, logistics_channel_id=channel)
    refused_without_change(sandbox, sn, lambda: ship(sandbox, sn, **{way: {}}), error)


@pytest.mark.parametrize("status", ["UNPAID", "PROCESSED", "SHIPPED", "TO_CONFIRM_RECEIVE", "COMPLETED",
                                    "IN_CANCEL", "CANCELLED", "TO_RETURN"])
def test_ship_order_only_from_ready_to_ship_or_retry_ship(sandbox, status):
    sn = make_order(sandbox, status=status, logistics_channel_id=SEVEN_ELEVEN)
    refused_without_change(sandbox, sn, lambda: ship(sandbox, sn, dropoff={}), "logistics.error_param",
                           message=NOT_READY_SHIP)


def test_integrated_channels_refuse_a_sellers_tracking_number(sandbox):
    sn = make_order(sandbox, logistics_channel_id=SEVEN_ELEVEN)
    refused_without_change(sandbox, sn, lambda: ship(sandbox, sn, dropoff={"tracking_number": "TW123"}), "error_param",
                           message="Please do not request with tracking_no for this channel which does not require "
                                   "tracking_no.")


def test_non_integrated_keeps_the_sellers_tracking_number(sandbox):
    sn = make_order(sandbox, logistics_channel_id=OWN_COURIER)
    assert ship(sandbox, sn, non_integrated={"tracking_number": "AK224200239740W"}).status == 200
    assert tracking_number(sandbox, sn).body["response"]["tracking_number"] == "AK224200239740W"
    assert order(sandbox, sn)["status"] == "PROCESSED"


def test_non_integrated_tracking_number_is_unique_and_at_most_64_characters(sandbox):
    first = make_order(sandbox, logistics_channel_id=OWN_COURIER)
    second = make_order(sandbox, logistics_channel_id=OWN_COURIER)
    assert ship(sandbox, first, non_integrated={"tracking_number": "POST-0001"}).status == 200
    refused_without_change(sandbox, second, lambda: ship(sandbox, second, non_integrated={"tracking_number": "POST-0001"}),
                           "logistics.error_param", message="Please input a unique tracking number.")
    refused_without_change(sandbox, second, lambda: ship(sandbox, second, non_integrated={"tracking_number": "9" * 65}),
                           "logistics.ship_order_long_tracking_number",
                           message="Parameter tracking_number can not be longer than 64.")
    assert ship(sandbox, second, non_integrated={"tracking_number": "9" * 64}).status == 200


def test_non_integrated_without_a_number_gets_one_from_the_sandbox(sandbox):
    sn = make_order(sandbox, logistics_channel_id=OWN_COURIER)
    assert ship(sandbox, sn, non_integrated={}).status == 200
    assert tracking_number(sandbox, sn).body["response"]["tracking_number"]


def test_a_null_field_inside_an_object_is_a_wrong_type_not_an_absent_one(sandbox):
    """mockserver/shopee/params.py check_object: {"tracking_number": null} is refused, unlike {}."""
    sn = make_order(sandbox, logistics_channel_id=OWN_COURIER)
    answer = refused_without_change(sandbox, sn, lambda: ship(sandbox, sn, non_integrated={"tracking_number": None}),
                                    "error_param")
    assert answer.message == "Wrong parameters, detail: non_integrated.tracking_number should be a string."


def test_split_order_ships_parcel_by_parcel(sandbox):
    sn, items = two_line_order(sandbox)
    first, second = split(sandbox, sn, items)
    assert_error(params(sandbox, sn), "logistics.package_number_not_exist",
                 message="Please request with package_number for this split order.")
    refused_without_change(sandbox, sn, lambda: ship(sandbox, sn, dropoff={}),
                           "logistics.ship_order_need_pacakge_number",
                           message="Please request with package_number for this split order.")
    refused_without_change(sandbox, sn, lambda: ship(sandbox, sn, package_number="OFG1", dropoff={}),
                           "logistics.package_not_exist", message="The package is not exist.")
    assert params(sandbox, sn, package_number=first).body["response"]["info_needed"] == {"dropoff": []}
    body = {"dropoff": {}}
    assert ship(sandbox, sn, package_number=first, **body).status == 200
    assert order(sandbox, sn)["status"] == "READY_TO_SHIP"  # one parcel still to arrange
    refused_without_change(sandbox, sn, lambda: ship(sandbox, sn, package_number=first, **body),
                           "logistics.package_already_shipped")
    assert_error(params(sandbox, sn, package_number=first), "error_param", message=NOT_READY_PARAMS)
    assert_error(tracking_number(sandbox, sn), "logistics.package_number_not_exist")
    assert tracking_number(sandbox, sn, package_number=first).body["response"]["tracking_number"]
    assert tracking_number(sandbox, sn, package_number=second).body["response"]["tracking_number"] == ""
    assert ship(sandbox, sn, package_number=second, **body).status == 200
    assert order(sandbox, sn)["status"] == "PROCESSED"


# ---- tracking numbers ------------------------------------------------------------------------------
def test_tracking_number_is_empty_with_a_hint_until_shipped(sandbox):
    sn = make_order(sandbox, logistics_channel_id=SEVEN_ELEVEN)
    before = tracking_number(sandbox, sn)
    assert before.status == 200
    assert before.body["response"]["tracking_number"] == "" and before.body["response"]["hint"]
    ship(sandbox, sn, dropoff={})
    after = tracking_number(sandbox, sn).body["response"]
    assert re.fullmatch(r"TW\d{12}[A-Z]", after["tracking_number"]) and after["hint"] == ""


def test_tracking_number_optional_fields(sandbox):
    sn = make_order(sandbox, status="PROCESSED")
    plain = tracking_number(sandbox, sn).body["response"]
    assert "first_mile_tracking_number" not in plain and "plp_number" not in plain
    fields = "plp_number,first_mile_tracking_number,last_mile_tracking_number"
    rich = tracking_number(sandbox, sn, response_optional_fields=fields).body["response"]
    assert {"plp_number", "first_mile_tracking_number", "last_mile_tracking_number"} <= set(rich)
    assert rich["tracking_number"] == plain["tracking_number"]
    # pickup_code is in the response table ("Please select from the below response parameters").
    assert tracking_number(sandbox, sn, response_optional_fields="pickup_code").body["response"]["pickup_code"] == ""


def test_tracking_number_comes_after_the_configured_delay(sandbox):
    assert sandbox.admin("POST", "/shopee/settings", {"tracking_delay_seconds": 3600}).status == 200
    sn = make_order(sandbox, logistics_channel_id=SEVEN_ELEVEN)
    assert ship(sandbox, sn, dropoff={}).status == 200
    assert order(sandbox, sn)["status"] == "PROCESSED"
    assert tracking_number(sandbox, sn).body["response"]["tracking_number"] == ""
    advance(sandbox, 3599)
    assert tracking_number(sandbox, sn).body["response"]["tracking_number"] == ""
    advance(sandbox, 1)
    number = tracking_number(sandbox, sn).body["response"]["tracking_number"]
    assert number
    assert order(sandbox, sn)["update_time"] == T0 + 3600  # the 3PL's answer is a change of the order


def test_tracking_delay_never_numbers_a_cancelled_order(sandbox):
    sandbox.admin("POST", "/shopee/settings", {"tracking_delay_seconds": 600})
    sn = make_order(sandbox, logistics_channel_id=SEVEN_ELEVEN)
    ship(sandbox, sn, dropoff={})
    assert event(sandbox, sn, "system_cancel").status == 200
    advance(sandbox, 600)
    assert order(sandbox, sn)["packages"][0]["tracking_number"] == ""


# ---- tracking info ---------------------------------------------------------------------------------
def test_tracking_info_grows_as_the_parcel_moves(sandbox):
    sn = make_order(sandbox, logistics_channel_id=SEVEN_ELEVEN)
    empty = tracking_info(sandbox, sn).body["response"]
    assert empty["tracking_info"] == [] and empty["logistics_status"] == "LOGISTICS_READY"
    ship(sandbox, sn, dropoff={})
    shipped = tracking_info(sandbox, sn).body["response"]
    assert shipped["logistics_status"] == "LOGISTICS_REQUEST_CREATED"
    assert [t["logistics_status"] for t in shipped["tracking_info"]] == ["PICKUP_REQUESTED", "ORDER_CREATED"]
    steps = [("pickup", "LOGISTICS_PICKUP_DONE", "PICKED_UP"), ("deliver", "LOGISTICS_DELIVERY_DONE", "DELIVERED")]
    seen = len(shipped["tracking_info"])
    for name, package_status, code in steps:
        advance(sandbox, HOUR)
        assert event(sandbox, sn, name).status == 200
        now = tracking_info(sandbox, sn).body["response"]
        assert now["logistics_status"] == package_status
        assert len(now["tracking_info"]) == seen + 1
        newest = now["tracking_info"][0]  # newest first
        assert newest["logistics_status"] == code and newest["update_time"] == sandbox.now()
        assert re.search(r"[\u4e00-\u9fff]", newest["description"])  # a TW parcel is tracked in Chinese
        seen += 1
    assert now["order_sn"] == sn and now["package_number"] == order(sandbox, sn)["packages"][0]["package_number"]


@pytest.mark.parametrize("region, status", [("TW", "UNPAID"), ("BR", "UNPAID")])
def test_tracking_info_before_the_parcel_can_ship_is_status_invalid(sandbox, region, status):
    shop = new_shop(sandbox, region)
    sn = make_order(sandbox, shop["shop_id"], status=status)
    answer = sandbox.shopee("GET", "logistics/get_tracking_info", {"order_sn": sn}, creds=shop)
    assert_error(answer, "logistics.error_status_limit",
                 message="The order status is invalid. Please check the order status.")


def test_lost_parcel_is_tracked_as_lost(sandbox):
    sn = make_order(sandbox, status="SHIPPED")
    assert event(sandbox, sn, "system_cancel").body["status"] == "CANCELLED"
    info = tracking_info(sandbox, sn).body["response"]
    assert info["logistics_status"] == "LOGISTICS_LOST" and info["tracking_info"][0]["logistics_status"] == "LOST"


# ---- channels --------------------------------------------------------------------------------------
def test_channel_list_of_a_tw_shop(sandbox):
    answer = sandbox.shopee("GET", "logistics/get_channel_list")
    assert answer.status == 200, answer.body
    channels = {c["logistics_channel_id"]: c for c in answer.body["response"]["logistics_channel_list"]}
    assert set(channels) == {SEVEN_ELEVEN, 30006, 30007, BLACK_CAT, SHOPEE_STORE, OWN_COURIER}
    assert channels[SEVEN_ELEVEN]["logistics_channel_name"] == "7-ELEVEN"
    assert channels[SHOPEE_STORE]["logistics_channel_name"] == "蝦皮店到店"
    assert channels[OWN_COURIER]["cod_enabled"] is False
    assert all(c["enabled"] for c in channels.values())


def test_every_tw_order_uses_a_listed_channel(sandbox):
    listed = {c["logistics_channel_id"]: c["logistics_channel_name"]
              for c in sandbox.shopee("GET", "logistics/get_channel_list").body["response"]["logistics_channel_list"]}
    orders = sandbox.admin("GET", "/state").body["shopee"]["orders"]
    assert {o["logistics_channel_id"] for o in orders} <= set(listed)
    assert all(listed[o["logistics_channel_id"]] == o["shipping_carrier"] for o in orders)
    assert all(not o["cod"] for o in orders if o["logistics_channel_id"] == OWN_COURIER)
