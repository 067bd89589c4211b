"""Issue 11, point 7 beyond get_order_detail: every field of the reference's tables (and samples)
in get_channel_list, get_tracking_info, get_tracking_number, get_shop_info and get_shops_by_partner."""
from __future__ import annotations

from mockserver.core.contracts import load
from tests.shopee.order_support import event, make_order, new_shop
from tests.shopee.test_order_detail_fields import OWN_COURIER

# The reference's get_channel_list field table (v2.logistics.get_channel_list.json), every level.
CHANNEL_FIELDS = {
    "logistics_channel_id", "logistics_channel_name", "cod_enabled", "enabled", "fee_type", "size_list",
    "weight_limit", "item_max_dimension", "volume_limit", "logistics_description", "force_enable",
    "mask_channel_id", "block_seller_cover_shipping_fee", "support_cross_border",
    "seller_logistic_has_configuration", "logistics_capability", "preprint", "service_type_identifier",
    "auto_call_driver_setting", "support_pause", "compulsory_channel", "channel_relation_rules",
}


def _response_properties(schema_name: str) -> set[str]:
    schema = load("shopee/openapi.yaml")["components"]["schemas"][schema_name]
    for part in schema.get("allOf", [schema]):
        if "response" in part.get("properties", {}):
            return set(part["properties"]["response"]["properties"])
    raise AssertionError(schema_name)


def test_channel_list_has_every_field_of_the_table_and_the_sample_over_http(live):
    answer = live.shopee("GET", "logistics/get_channel_list")
    assert answer.status == 200, answer.body
    channels = answer.body["response"]["logistics_channel_list"]
    assert channels and all(set(c) == CHANNEL_FIELDS for c in channels), set(channels[0]) ^ CHANNEL_FIELDS
    own = next(c for c in channels if c["logistics_channel_id"] == OWN_COURIER)
    assert own["logistics_capability"] == {"seller_logistics": True}
    assert all(c["logistics_capability"] == {"seller_logistics": False} for c in channels if c is not own)
    assert set(channels[0]["auto_call_driver_setting"]) == {"auto_call_driver_eligible", "auto_call_driver_enabled",
                                                            "preparation_time", "preparation_time_limit"}


def test_tracking_info_has_the_return_fields_and_fills_them_for_a_returned_parcel(live):
    sn = make_order(live, status="TO_RETURN")
    answer = live.shopee("GET", "logistics/get_tracking_info", {"order_sn": sn})
    assert answer.status == 200, answer.body
    info = answer.body["response"]
    assert set(info) == _response_properties("LogisticsGetTrackingInfoResponse")
    assert info["reversed_tracking_number"].startswith("TWR") and info["reversed_courier_name"]
    assert [e["description"] for e in info["reversed_tracking_info"]] == ["買家已申請退貨"]
    assert all(e["return_code"] == "" for e in info["tracking_info"]) and info["collection_pin_code"] == ""
    assert event(live, sn, "complete").status == 200
    back = live.shopee("GET", "logistics/get_tracking_info", {"order_sn": sn}).body["response"]
    assert [e["description"] for e in back["reversed_tracking_info"]] == ["退貨包裹已送回賣家", "買家已申請退貨"]
    plain = live.shopee("GET", "logistics/get_tracking_info", {"order_sn": make_order(live, status="SHIPPED")})
    assert (plain.body["response"]["reversed_tracking_number"], plain.body["response"]["reversed_tracking_info"]) \
        == ("", [])


def test_tracking_number_returns_pickup_code_when_asked(sandbox):
    sn = make_order(sandbox, status="PROCESSED")
    got = sandbox.shopee("GET", "logistics/get_tracking_number",
                         {"order_sn": sn, "response_optional_fields": "pickup_code,plp_number"}).body["response"]
    assert set(got) == {"tracking_number", "hint", "pickup_code", "plp_number"} and got["pickup_code"] == ""


def test_shop_info_has_the_linked_fields_and_mart_outlet_fields_for_mart_and_outlet_shops(sandbox):
    info = sandbox.shopee("GET", "shop/get_shop_info").body
    assert (info["linked_main_shop_id"], info["linked_direct_shop_list"]) == (0, [])
    assert (info["is_mart_shop"], info["is_outlet_shop"]) == (False, False) and "mart_shop_id" not in info
    outlet = sandbox.admin("POST", "/shopee/shops", {"outlet_of": sandbox.creds["shop_id"],
                                                     "authorize_partner_id": sandbox.creds["partner_id"]}).body
    mart = sandbox.shopee("GET", "shop/get_shop_info").body
    assert mart["is_mart_shop"] is True and mart["outlet_shop_info_list"] == [{"outlet_shop_id": outlet["shop_id"]}]
    assert mart["mart_outlet_structure_type"] == "normal_mart_shop"
    creds = {**sandbox.creds, "shop_id": outlet["shop_id"], "access_token": outlet["access_token"]}
    got = sandbox.shopee("GET", "shop/get_shop_info", creds=creds).body
    assert (got["is_outlet_shop"], got["mart_shop_id"]) == (True, sandbox.creds["shop_id"])
    assert sandbox.admin("POST", "/shopee/shops", {"outlet_of": outlet["shop_id"]}).status == 400


def test_shops_by_partner_carries_the_table_s_and_the_sample_s_affiliate_list(sandbox):
    new_shop(sandbox)
    answer = sandbox.shopee("GET", "public/get_shops_by_partner", shop=False)
    assert answer.status == 200
    assert all(s["sip_affi_shop_list"] == [] and s["sip_affi_shops"] == [] for s in answer.body["authed_shop_list"])
