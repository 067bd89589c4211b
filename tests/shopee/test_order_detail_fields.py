"""Issue 11, points 2 and 7 for get_order_detail: every response_optional_fields name the reference
lists is accepted and returned, other names are ignored with a warning, and every field of the
reference's field table appears (masking, channel-only fields and BR invoices as it describes)."""
from __future__ import annotations

import pytest

from mockserver.core.contracts import load
from tests.shopee.lenient_support import raw_get, strict, warned
from tests.shopee.order_support import assert_error, detail, event, make_order, new_shop, order

SEVEN_ELEVEN, SHOPEE_STORE, OWN_COURIER, ENTREGA_TURBO = 30005, 30029, 30011, 90026


def table_fields() -> set[str]:
    """Every field of an order in the contract (the reference's field table, generated from it)."""
    schema = load("shopee/openapi.yaml")["components"]["schemas"]["OrderGetOrderDetailResponse"]
    response = schema["allOf"][1]["properties"]["response"]
    return set(response["properties"]["order_list"]["items"]["properties"])


def listed_names() -> list[str]:
    """response_optional_fields' enum in the contract: the "Available values" and every field name."""
    for param in load("shopee/openapi.yaml")["paths"]["/api/v2/order/get_order_detail"]["get"]["parameters"]:
        if param.get("name") == "response_optional_fields":
            return param["schema"]["items"]["enum"]
    raise AssertionError("no response_optional_fields")


def test_every_listed_name_is_accepted_and_every_field_of_the_table_is_returned_over_http(live):
    br = new_shop(live, "BR")
    sn = make_order(live, br["shop_id"], "COMPLETED")
    answer = raw_get(live, "order/get_order_detail", [("order_sn_list", sn),
                                                      ("response_optional_fields", ",".join(listed_names()))],
                     creds=br)
    assert answer.status == 200, answer.body
    got = answer.body["response"]["order_list"][0]
    assert set(got) == table_fields(), sorted(table_fields() ^ set(got))
    assert "X-Sandbox-Warning" not in answer.headers


@pytest.mark.parametrize("name", ["no_plastic_packing", "return_due_date", "tracking_number", "tracking_no",
                                  "credit_card_number"])
def test_names_production_clients_send_are_ignored_with_a_warning(live, name):
    sn = make_order(live)
    answer = raw_get(live, "order/get_order_detail", [("order_sn_list", sn),
                                                      ("response_optional_fields", f"item_list,{name}")])
    assert answer.status == 200, answer.body
    assert "item_list" in answer.body["response"]["order_list"][0] and name not in answer.body["response"]["order_list"][0]
    warned(live, answer, f"response_optional_fields '{name}'", "ignored")
    strict(live)
    assert_error(raw_get(live, "order/get_order_detail", [("order_sn_list", sn), ("response_optional_fields", name)]),
                 "error_param", message=f"Wrong parameters, detail: response_optional_fields has an unknown field {name}.")


def test_a_nested_field_name_brings_its_object_with_a_warning(sandbox):
    sn = make_order(sandbox)
    answer = sandbox.shopee("GET", "order/get_order_detail", {"order_sn_list": sn,
                                                              "response_optional_fields": "line_item_id"})
    assert answer.status == 200
    item, = answer.body["response"]["order_list"][0]["item_list"]
    assert item["line_item_id"] == item["order_item_id"]
    warned(sandbox, answer, "line_item_id is a field of item_list")


def test_fields_once_accepted_but_never_returned_are_returned(sandbox):
    sn = make_order(sandbox, status="READY_TO_SHIP", logistics_channel_id=SEVEN_ELEVEN)
    got = detail(sandbox, sn, "can_full_cancel_order,can_partial_cancel_order,pending_terms,pending_description,"
                              "booking_sn,item_list,package_list")
    assert got["can_full_cancel_order"] is True and got["can_partial_cancel_order"] is False
    assert got["pending_terms"] == [] and got["pending_description"] == [] and got["booking_sn"] == ""
    item, = got["item_list"]
    assert item["promotion_list"] == [] and item["hot_listing_item"] is False and item["consultation_id"] == ""
    package, = got["package_list"]
    # The field table's name and the sample's, both.
    assert package["parcel_chargeable_weight"] == package["parcel_chargeable_weight_gram"] > 0
    shipped = make_order(sandbox, status="SHIPPED")
    assert detail(sandbox, shipped, "can_full_cancel_order")["can_full_cancel_order"] is False


def test_request_order_status_pending_returns_pending_terms(sandbox):
    sn = make_order(sandbox)
    answer = sandbox.shopee("GET", "order/get_order_detail", {"order_sn_list": sn,
                                                              "request_order_status_pending": "true"})
    got = answer.body["response"]["order_list"][0]
    assert got["pending_terms"] == [] and got["pending_description"] == []


def test_tw_non_integrated_order_has_a_virtual_number_and_masks_the_buyer(sandbox):
    sn = make_order(sandbox, logistics_channel_id=OWN_COURIER)
    view = order(sandbox, sn)
    got = detail(sandbox, sn, "package_list,recipient_address,buyer_username,buyer_user_id")
    package, = got["package_list"]
    assert package["virtual_contact_number"].startswith("09") and len(package["virtual_contact_number"]) == 10
    assert package["package_query_number"].isdigit()
    assert got["recipient_address"] == {**view["recipient"], "phone": "****"}
    assert (got["buyer_username"], got["buyer_user_id"]) == ("****", 0)


def test_tw_integrated_order_recipient_is_all_masked(sandbox):
    sn = make_order(sandbox, logistics_channel_id=SEVEN_ELEVEN)
    got = detail(sandbox, sn, "recipient_address,package_list,buyer_username")
    assert set(got["recipient_address"].values()) == {"****", "TW"} and got["recipient_address"]["region"] == "TW"
    assert "virtual_contact_number" not in got["package_list"][0]
    assert got["buyer_username"] == order(sandbox, sn)["buyer_username"]


def test_a_completed_order_is_masked_as_the_reference_sample(sandbox):
    sg = new_shop(sandbox, "SG")
    sn = make_order(sandbox, sg["shop_id"], "COMPLETED")
    raw = order(sandbox, sn)["recipient"]
    got = detail(sandbox, sn, "recipient_address", creds=sg)["recipient_address"]
    assert got["name"] == raw["name"][0] + "******" + raw["name"][-1]
    assert got["phone"] == "******" + raw["phone"][-2:]
    assert got["full_address"] == raw["full_address"][:2] + "******"
    assert (got["city"], got["zipcode"], got["region"]) == (raw["city"], raw["zipcode"], "SG")


def test_sorting_group_appears_on_a_30029_parcel_once_arranged(sandbox):
    sn = make_order(sandbox, logistics_channel_id=SHOPEE_STORE)
    assert "sorting_group" not in detail(sandbox, sn, "package_list")["package_list"][0]
    assert sandbox.shopee("POST", "logistics/ship_order", {"order_sn": sn, "dropoff": {}}).status == 200
    assert detail(sandbox, sn, "package_list")["package_list"][0]["sorting_group"] in (
        "North", "Central", "South", "East")


def test_a_90026_order_has_geolocation_and_the_service_code(sandbox):
    br = new_shop(sandbox, "BR")
    sn = make_order(sandbox, br["shop_id"], logistics_channel_id=ENTREGA_TURBO)
    got = detail(sandbox, sn, "recipient_address,shipping_carrier", creds=br)
    location = got["recipient_address"]["geolocation"]
    assert -25 < location["latitude"] < -22 and -48 < location["longitude"] < -45
    assert got["shipping_carrier"] == "Entrega Turbo - M1020"
    other = make_order(sandbox, br["shop_id"], logistics_channel_id=90001)
    assert "geolocation" not in detail(sandbox, other, "recipient_address", creds=br)["recipient_address"]


def test_br_invoice_data_is_pending_then_valid(sandbox):
    br = new_shop(sandbox, "BR")
    sn = make_order(sandbox, br["shop_id"], "INVOICE_PENDING")
    pending = detail(sandbox, sn, "invoice_data", creds=br)["invoice_data"]
    assert pending["status"] == "pending" and pending["number"] == ""
    assert event(sandbox, sn, "issue_invoice").status == 200
    valid = detail(sandbox, sn, "invoice_data,total_amount", creds=br)
    assert valid["invoice_data"]["status"] == "valid" and valid["invoice_data"]["access_key"].isdigit()
    assert len(valid["invoice_data"]["access_key"]) == 44
    assert valid["invoice_data"]["issue_date"] == order(sandbox, sn)["update_time"]
    assert valid["invoice_data"]["total_value"] == valid["total_amount"]
    assert detail(sandbox, make_order(sandbox), "invoice_data")["invoice_data"] is None  # TW: none
