"""Issue 11, point 11: for TW shops seed 000's app-type table wins over the reference's wider lists,
and TW has no chat API ("請注意！TW僅開放給第三方系統供應商開發者和商城賣家，且不開放Chat API權限")."""
from __future__ import annotations

import pytest

from mockserver.shopee import blueprint, catalog
from tests.shopee.test_permissions import (ACCOUNTING, APP_TYPES, ARGS, CS, ERP, MARKETING, NO_PERMISSION, ORDER,
                                           PRODUCT, SIH, allowed, app, call)
from tests.shopee.auth_support import assert_error

# Seed 000's table, read for the emulated APIs of a TW shop (shop APIs only: the public, push and
# auth modules carry no shop). Customer Service: "All Chat APIs" (none in TW), GetItemDetail,
# GetOrderDetail. Accounting: Payment, GetOrderDetail. Order Management: Order, Logistics. Product
# Management: Shop (v1 shop module), no Logistics. Marketing: TopPicks, Discount.
TW_SHOP_APIS = {
    "/api/v2/order/get_order_list": {ERP, SIH, ORDER},
    "/api/v2/order/get_shipment_list": {ERP, SIH, ORDER},
    "/api/v2/order/get_order_detail": {ERP, SIH, ORDER, ACCOUNTING, CS},
    "/api/v2/order/cancel_order": {ERP, SIH, ORDER},
    "/api/v2/order/handle_buyer_cancellation": {ERP, SIH, ORDER},
    "/api/v2/order/split_order": {ERP, SIH, ORDER},
    "/api/v2/order/unsplit_order": {ERP, SIH, ORDER},
    "/api/v2/order/set_note": {ERP, SIH, ORDER},
    "/api/v2/logistics/get_shipping_parameter": {ERP, SIH, ORDER},
    "/api/v2/logistics/ship_order": {ERP, SIH, ORDER},
    "/api/v2/logistics/get_tracking_number": {ERP, SIH, ORDER},
    "/api/v2/logistics/get_tracking_info": {ERP, SIH, ORDER},
    "/api/v2/logistics/get_channel_list": {ERP, SIH, ORDER},
    "/api/v2/shop/get_shop_info": {ERP, SIH, PRODUCT},
}


def test_the_table_covers_every_emulated_shop_api():
    assert blueprint.bp  # importing the blueprint registers every emulated API
    shop_apis = {path for path, entry in catalog.REGISTRY.items() if entry.api_type == "shop"}
    assert shop_apis == set(TW_SHOP_APIS)


@pytest.mark.parametrize("app_type", APP_TYPES)
def test_each_app_type_calls_exactly_what_seed_000_allows_on_a_tw_shop(sandbox, app_type):
    creds = app(sandbox, app_type, "TW")
    mismatches = []
    for path, who in sorted(TW_SHOP_APIS.items()):
        params = ARGS.get(path) or ({"order_sn_list": creds["order_sn"]} if "get_order_detail" in path else None)
        answer = call(sandbox, creds, path, params=params)
        if allowed(answer) != (app_type in who):
            mismatches.append((path, app_type in who, answer.status, answer.error))
        if app_type not in who:
            assert_error(answer, *NO_PERMISSION)
    assert mismatches == []


def test_customer_service_on_a_tw_shop_reads_order_detail_only(sandbox):
    creds = app(sandbox, CS, "TW")
    detail = call(sandbox, creds, "/api/v2/order/get_order_detail", params={"order_sn_list": creds["order_sn"]})
    assert detail.status == 200 and detail.body["response"]["order_list"][0]["order_sn"] == creds["order_sn"]
    assert_error(call(sandbox, creds, "/api/v2/order/get_order_list", params=ARGS["/api/v2/order/get_order_list"]),
                 *NO_PERMISSION)
    assert_error(call(sandbox, creds, "/api/v2/logistics/get_tracking_info", params={"order_sn": creds["order_sn"]}),
                 *NO_PERMISSION)
    # GetItemDetail is in its row: not emulated, so past the gateway to the "not emulated" answer.
    assert call(sandbox, creds, "/api/v2/product/get_item_base_info").error == "error_not_found"


def test_the_same_customer_service_app_keeps_the_reference_list_on_a_sg_shop(sandbox):
    creds = app(sandbox, CS, "SG")
    answer = call(sandbox, creds, "/api/v2/order/get_order_list", params=ARGS["/api/v2/order/get_order_list"])
    assert answer.status == 200, answer.body


@pytest.mark.parametrize("app_type", [ERP, SIH, CS])
def test_no_app_type_has_the_chat_api_on_a_tw_shop(sandbox, app_type):
    creds = app(sandbox, app_type, "TW")
    assert_error(call(sandbox, creds, "/api/v2/sellerchat/get_conversation_list"), *NO_PERMISSION)
    sg = app(sandbox, app_type, "SG")
    assert call(sandbox, sg, "/api/v2/sellerchat/get_conversation_list").error == "error_not_found"


@pytest.mark.parametrize("app_type, path, allowed_in_tw", [
    (MARKETING, "/api/v2/discount/add_discount", True),
    (MARKETING, "/api/v2/product/get_item_promotion", True),
    (ACCOUNTING, "/api/v2/payment/get_escrow_detail", True),
    (ORDER, "/api/v2/first_mile/get_unbind_order_list", True),
    (ORDER, "/api/v2/shop/get_profile", False),
    (PRODUCT, "/api/v2/product/get_item_list", True),
])
def test_not_emulated_apis_on_a_tw_shop_follow_the_seed_table(sandbox, app_type, path, allowed_in_tw):
    creds = app(sandbox, app_type, "TW")
    answer = call(sandbox, creds, path)
    if allowed_in_tw:
        assert answer.error == "error_not_found", answer.body
    else:
        assert_error(answer, *NO_PERMISSION)
