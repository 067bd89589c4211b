"""v2.order.get_order_detail: order_sn_list, default fields, every response_optional_fields value."""
from __future__ import annotations

import pytest

from tests.conftest import T0
from tests.shopee.lenient_support import strict, warned
from tests.shopee.order_support import (DAY, assert_error, detail, event, make_order, make_orders,
                                        new_shop, order)

# "Return by default" in the reference (booking_sn only for advance-fulfilment orders, which the
# sandbox does not have).
DEFAULT_FIELDS = {"order_sn", "region", "currency", "cod", "order_status", "message_to_seller",
                  "create_time", "update_time", "days_to_ship", "ship_by_date"}

# response_optional_fields "Available values" of v2.order.get_order_detail.json, verbatim order,
# with the response fields each one adds.
REFERENCE_OPTIONAL_FIELDS = {
    "buyer_user_id": {"buyer_user_id"}, "buyer_username": {"buyer_username"},
    "estimated_shipping_fee": {"estimated_shipping_fee"}, "recipient_address": {"recipient_address"},
    "actual_shipping_fee": {"actual_shipping_fee"}, "goods_to_declare": {"goods_to_declare"},
    "note": {"note"}, "note_update_time": {"note_update_time"}, "item_list": {"item_list"},
    "pay_time": {"pay_time"}, "dropshipper": {"dropshipper"}, "dropshipper_phone": {"dropshipper_phone"},
    "split_up": {"split_up"}, "buyer_cancel_reason": {"buyer_cancel_reason"}, "cancel_by": {"cancel_by"},
    "cancel_reason": {"cancel_reason"}, "actual_shipping_fee_confirmed": {"actual_shipping_fee_confirmed"},
    "buyer_cpf_id": {"buyer_cpf_id"}, "fulfillment_flag": {"fulfillment_flag"},
    "pickup_done_time": {"pickup_done_time"}, "package_list": {"package_list"},
    "shipping_carrier": {"shipping_carrier"}, "payment_method": {"payment_method"},
    "total_amount": {"total_amount"}, "invoice_data": {"invoice_data"},
    "order_chargeable_weight_gram": {"order_chargeable_weight_gram"},
    "return_request_due_date": {"return_request_due_date"},
    "edt": {"edt_from", "edt_to"}, "payment_info": {"payment_info"},
    "international_label": {"is_international"},
}
BR_ONLY = {"edt", "payment_info", "international_label"}
ITEM_FIELDS = {"item_id", "item_name", "item_sku", "model_id", "model_name", "model_sku",
               "model_quantity_purchased", "model_original_price", "model_discounted_price", "wholesale",
               "weight", "add_on_deal", "main_item", "add_on_deal_id", "promotion_type", "promotion_id",
               "order_item_id", "promotion_group_id", "image_info", "product_location_id"}
ADDRESS_FIELDS = {"name", "phone", "town", "district", "city", "state", "region", "zipcode", "full_address"}


def get_detail(sandbox, order_sn_list=None, fields=None, creds=None, **extra):
    params = dict(extra)
    if order_sn_list is not None:
        params["order_sn_list"] = order_sn_list
    if fields is not None:
        params["response_optional_fields"] = fields
    return sandbox.shopee("GET", "order/get_order_detail", params, creds=creds)


def state_orders(sandbox) -> list[dict]:
    shop_id = sandbox.creds["shop_id"]
    return [o for o in sandbox.admin("GET", "/state").body["shopee"]["orders"] if o["shop_id"] == shop_id]


def completed_order(sandbox) -> str:
    return make_order(sandbox, status="COMPLETED")


# ---- default fields -------------------------------------------------------------------------
def test_default_fields_are_exactly_those_the_reference_returns_by_default(sandbox):
    sn = make_order(sandbox, message_to_seller="Gift wrap please")
    got = detail(sandbox, sn)
    assert set(got) == DEFAULT_FIELDS
    view = order(sandbox, sn)
    assert got["order_sn"] == sn and got["region"] == "TW" and got["currency"] == "TWD"
    assert got["order_status"] == "READY_TO_SHIP" and got["message_to_seller"] == "Gift wrap please"
    assert got["create_time"] == T0 and got["update_time"] == view["update_time"]
    assert got["ship_by_date"] == view["pay_time"] + got["days_to_ship"] * DAY
    assert got["cod"] is (view["payment_method"] == "Cash on Delivery")


def test_orders_come_back_in_request_order_and_duplicates_once(sandbox):
    sns = [o["order_sn"] for o in state_orders(sandbox)][:3]
    answer = get_detail(sandbox, ",".join([sns[2], sns[0], sns[2], sns[1], sns[0]]))
    assert answer.status == 200, answer.body
    assert [o["order_sn"] for o in answer.body["response"]["order_list"]] == [sns[2], sns[0], sns[1]]


def fifty_order_sns(sandbox) -> list[str]:
    """50 order_sns of the default shop, in every status its world has."""
    sns = [o["order_sn"] for o in state_orders(sandbox)]
    if len(sns) < 50:
        created = sandbox.admin("POST", f"/shopee/shops/{sandbox.creds['shop_id']}/orders", {"count": 50 - len(sns)})
        sns += created.body["order_sns"]
    return sns[:50]


def test_fifty_order_sns_with_every_optional_field_validate_against_the_contract(sandbox):
    sns = fifty_order_sns(sandbox)
    answer = get_detail(sandbox, ",".join(sns), ",".join(REFERENCE_OPTIONAL_FIELDS))
    assert answer.status == 200, answer.body  # the client validated it against openapi.yaml
    assert len(answer.body["response"]["order_list"]) == 50


def test_br_orders_with_every_optional_field_validate_against_the_contract(sandbox):
    br = new_shop(sandbox, "BR")
    created = sandbox.admin("POST", f"/shopee/shops/{br['shop_id']}/orders", {"count": 15})
    assert created.status == 201, created.body
    answer = get_detail(sandbox, ",".join(created.body["order_sns"]), ",".join(REFERENCE_OPTIONAL_FIELDS),
                        creds=br)
    assert answer.status == 200, answer.body
    for got in answer.body["response"]["order_list"]:
        assert got["region"] == "BR" and got["currency"] == "BRL"
        assert {"edt_from", "edt_to", "payment_info", "is_international"} <= set(got)
        assert got["order_status"] != "INVOICE_PENDING"


# ---- order_sn_list --------------------------------------------------------------------------
def test_fifty_one_order_sns_is_error_param(sandbox):
    sns = fifty_order_sns(sandbox) + [make_order(sandbox)]
    assert len(set(sns)) == 51
    assert_error(get_detail(sandbox, ",".join(sns)), "error_param")


@pytest.mark.parametrize("value", [None, "", "A,,B", ","])
def test_missing_or_empty_order_sn_list_is_error_param(sandbox, value):
    assert_error(get_detail(sandbox, value), "error_param")


def test_unknown_order_sn_is_error_not_found(sandbox):
    assert_error(get_detail(sandbox, "261118NOSUCH00"), "error_not_found", status=404)


def test_order_of_another_shop_is_not_found_alone_and_listed_in_warning_in_a_batch(sandbox):
    """Issue 11, point 6: Shopee answers the orders it found and lists the rest in `warning`
    (guide api-calls.md: "some batch requests fail, the information will be reflected in this field")."""
    other = new_shop(sandbox)
    theirs = make_order(sandbox, other["shop_id"])
    mine = make_order(sandbox)
    assert_error(get_detail(sandbox, theirs), "error_not_found", status=404,
                 message="Wrong parameters, detail: the order is not found.")
    batch = get_detail(sandbox, f"{theirs},{mine},261118NOSUCH00")
    assert batch.status == 200 and batch.error == "", batch.body
    assert [o["order_sn"] for o in batch.body["response"]["order_list"]] == [mine]
    assert batch.body["warning"] == [f"order_sn {theirs}: the order is not found.",
                                     "order_sn 261118NOSUCH00: the order is not found."]
    assert "warning" not in get_detail(sandbox, mine).body
    assert detail(sandbox, theirs, creds=other)["order_sn"] == theirs  # its own shop sees it


# ---- response_optional_fields ---------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(set(REFERENCE_OPTIONAL_FIELDS) - BR_ONLY - {"return_request_due_date"}))
def test_each_reference_optional_field_adds_its_fields(sandbox, name):
    sn = make_order(sandbox)
    got = detail(sandbox, sn, name)
    assert set(got) == DEFAULT_FIELDS | REFERENCE_OPTIONAL_FIELDS[name]


@pytest.mark.parametrize("name", sorted(BR_ONLY))
def test_br_only_optional_fields_add_their_fields_to_br_orders_only(sandbox, name):
    br = new_shop(sandbox, "BR")
    br_sn = make_order(sandbox, br["shop_id"])
    assert set(detail(sandbox, br_sn, name, creds=br)) == DEFAULT_FIELDS | REFERENCE_OPTIONAL_FIELDS[name]
    tw_sn = make_order(sandbox)
    assert set(detail(sandbox, tw_sn, name)) == DEFAULT_FIELDS  # "[Only for BR]"


def test_return_request_due_date_only_for_completed_orders(sandbox):
    sn = completed_order(sandbox)
    got = detail(sandbox, sn, "return_request_due_date")
    completed_at = max(t for t, s in order(sandbox, sn)["history"] if s == "COMPLETED")
    assert got["return_request_due_date"] > completed_at
    assert "return_request_due_date" not in detail(sandbox, make_order(sandbox), "return_request_due_date")


def test_several_optional_fields_with_spaces_and_duplicates(sandbox):
    sn = make_order(sandbox)
    got = detail(sandbox, sn, "item_list, note ,item_list,recipient_address")
    assert set(got) == DEFAULT_FIELDS | {"item_list", "note", "recipient_address"}


@pytest.mark.parametrize("value", ["order_status_text", "item_list,nonsense", "ITEM_LIST"])
def test_unknown_optional_field_is_error_param_in_strict_mode(sandbox, value):
    strict(sandbox)
    assert_error(get_detail(sandbox, make_order(sandbox), value), "error_param")


@pytest.mark.parametrize("value", ["order_status_text", "item_list,nonsense", "ITEM_LIST"])
def test_unknown_optional_field_is_ignored_with_a_warning(sandbox, value):
    answer = get_detail(sandbox, make_order(sandbox), value)
    assert answer.status == 200, answer.body
    got = answer.body["response"]["order_list"][0]
    assert set(got) == DEFAULT_FIELDS | ({"item_list"} if value.startswith("item_list") else set())
    warned(sandbox, answer, "response_optional_fields", "ignored")


def test_an_empty_optional_field_entry_is_error_param(sandbox):
    assert_error(get_detail(sandbox, make_order(sandbox), "item_list,"), "error_param")


def test_item_list_recipient_and_package_list_describe_the_order(sandbox):
    # The seller's own courier: TW masks the whole address of integrated-channel orders.
    sn = make_order(sandbox, items=[{"item_name": "Mug", "price": 120, "quantity": 2, "stock": 5},
                                    {"item_name": "Tea", "price": 80, "quantity": 1, "stock": 5}],
                    logistics_channel_id=30011)
    view = order(sandbox, sn)
    got = detail(sandbox, sn, "item_list,recipient_address,package_list,total_amount,pay_time")
    assert [(i["item_name"], i["model_quantity_purchased"], i["model_original_price"]) for i in got["item_list"]] \
        == [("Mug", 2, 120.0), ("Tea", 1, 80.0)]
    assert all(set(i) >= ITEM_FIELDS for i in got["item_list"])
    assert set(got["recipient_address"]) >= ADDRESS_FIELDS
    assert got["recipient_address"]["full_address"] == view["recipient"]["full_address"]
    [package] = got["package_list"]
    assert package["package_number"] == view["packages"][0]["package_number"]
    assert package["logistics_status"] == "LOGISTICS_READY"
    assert sorted((i["item_id"], i["model_quantity"]) for i in package["item_list"]) \
        == sorted((i["item_id"], i["quantity"]) for i in view["items"])
    assert got["total_amount"] == view["total_amount"]
    assert got["pay_time"] == view["pay_time"]


def test_unpaid_order_has_null_pay_time(sandbox):
    sn = make_order(sandbox, status="UNPAID")
    assert detail(sandbox, sn, "pay_time")["pay_time"] is None


def test_split_parcels_each_weigh_what_they_hold(sandbox):
    sn = make_order(sandbox, items=[{"item_name": "A", "quantity": 2}, {"item_name": "B", "quantity": 1}])
    items = order(sandbox, sn)["items"]
    split = sandbox.shopee("POST", "order/split_order", {"order_sn": sn, "package_list": [
        {"item_list": [{"item_id": i["item_id"], "model_id": i["model_id"]}]} for i in items]})
    assert split.status == 200, split.body
    got = detail(sandbox, sn, "package_list,order_chargeable_weight_gram")
    weights = [p["parcel_chargeable_weight_gram"] for p in got["package_list"]]
    assert weights == [int(round(i["weight"] * i["quantity"] * 1000)) for i in items]
    assert sum(weights) == got["order_chargeable_weight_gram"]


def test_invoice_pending_reads_ready_to_ship_in_order_detail(sandbox):
    """Seed 001: INVOICE_PENDING "appears only in get_order_list"."""
    br = new_shop(sandbox, "BR")
    sn = make_order(sandbox, br["shop_id"], "INVOICE_PENDING")
    assert detail(sandbox, sn, creds=br)["order_status"] == "READY_TO_SHIP"
    listed = sandbox.shopee("GET", "order/get_order_list", {
        "time_range_field": "create_time", "time_from": T0 - DAY, "time_to": T0, "page_size": 10,
        "response_optional_fields": "order_status"}, creds=br).body["response"]["order_list"]
    assert listed == [{"order_sn": sn, "order_status": "INVOICE_PENDING"}]
    assert event(sandbox, sn, "issue_invoice").status == 200
    assert order(sandbox, sn)["status"] == "READY_TO_SHIP"
    assert detail(sandbox, sn, creds=br)["order_status"] == "READY_TO_SHIP"


def test_in_cancel_order_shows_the_buyers_reason_and_requested_quantities(sandbox):
    sn = make_orders(sandbox, sandbox.creds["shop_id"], [{"status": "IN_CANCEL", "items": [
        {"item_name": "Mug", "quantity": 3, "stock": 3}]}])[0]
    got = detail(sandbox, sn, "buyer_cancel_reason,item_list")
    assert got["order_status"] == "IN_CANCEL" and got["buyer_cancel_reason"]
    assert got["item_list"][0]["cancel_requested_qty"] == 3


# ---- request shape --------------------------------------------------------------------------
def test_unknown_query_parameter_is_error_param_in_strict_mode(sandbox):
    strict(sandbox)
    assert_error(get_detail(sandbox, make_order(sandbox), order_sn="x"), "error_param",
                 message="Wrong parameters, detail: unknown parameter order_sn.")


def test_unknown_query_parameter_is_ignored_with_a_warning(sandbox):
    sn = make_order(sandbox)
    answer = get_detail(sandbox, sn, order_sn="x")
    assert answer.status == 200 and answer.body["response"]["order_list"][0]["order_sn"] == sn
    warned(sandbox, answer, "v2.order.get_order_detail: unknown parameter order_sn")


def test_request_order_status_pending_must_be_boolean(sandbox):
    sn = make_order(sandbox)
    assert get_detail(sandbox, sn, request_order_status_pending="true").status == 200
    assert_error(get_detail(sandbox, sn, request_order_status_pending="maybe"), "error_param")


def test_post_on_get_order_detail_is_405(sandbox):
    answer = sandbox.shopee("POST", "order/get_order_detail", {"order_sn_list": make_order(sandbox)})
    assert_error(answer, "error_param", status=405)


def test_the_default_fields_kept_as_json_follow_the_order(sandbox):
    """get_order_detail without optional fields answers from JSON kept per order (render.
    order_detail_json): the same fields as rendering the order anew, and a change of the order
    shows at once."""
    sn = make_order(sandbox, status="UNPAID")
    before = detail(sandbox, sn)
    assert before["order_status"] == "UNPAID"
    assert detail(sandbox, sn, fields="pay_time")["order_status"] == "UNPAID"  # the dict path agrees
    assert event(sandbox, sn, "pay").status == 200
    after = detail(sandbox, sn)
    assert after["order_status"] == "READY_TO_SHIP" and after["update_time"] >= before["update_time"]
    assert {k: v for k, v in detail(sandbox, sn, fields="pay_time").items() if k != "pay_time"} == after
