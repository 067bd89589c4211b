"""End to end over real HTTP (waitress in a thread): a new app is authorised, gets tokens, finds an
order, ships it and follows it to COMPLETED, with the sandbox clock driving every expiry."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from tests.conftest import T0


def _new_app_and_shop(live):
    partner = live.admin("POST", "/shopee/partners", {"app_type": "Order Management", "name": "OMS"}).body
    shop = live.admin("POST", "/shopee/shops", {"region": "TW"}).body
    return partner, shop


def test_authorise_then_token_then_ship_to_completion(live):
    partner, shop = _new_app_and_shop(live)
    auth = live.admin("POST", "/shopee/authorize", {"partner_id": partner["partner_id"], "shop_id": shop["shop_id"],
                                                    "redirect": "https://erp.example/callback?state=x"})
    assert auth.status == 200
    url = urlsplit(auth.body["url"])
    query = parse_qs(url.query)
    assert url.netloc == "erp.example" and query["state"] == ["x"]
    assert query["shop_id"] == [str(shop["shop_id"])]
    public = {"partner_id": partner["partner_id"], "partner_key": partner["partner_key"]}
    token = live.shopee("POST", "auth/token/get", {"code": query["code"][0], "partner_id": partner["partner_id"],
                                                   "shop_id": shop["shop_id"]}, creds=public, shop=False)
    assert token.status == 200 and token.body["expire_in"] == 14400
    creds = {**public, "shop_id": shop["shop_id"], "access_token": token.body["access_token"]}

    # The code was single-use.
    again = live.shopee("POST", "auth/token/get", {"code": query["code"][0], "partner_id": partner["partner_id"],
                                                   "shop_id": shop["shop_id"]}, creds=public, shop=False)
    assert (again.status, again.error) == (403, "invalid_code")  # used: v2.public.get_access_token error_list

    created = live.admin("POST", f"/shopee/shops/{shop['shop_id']}/orders",
                         {"orders": [{"status": "READY_TO_SHIP", "create_time": T0 - 7200,
                                      "items": [{"item_name": "手工鳳梨酥 12入", "price": 420, "quantity": 2, "stock": 5}]}]})
    assert created.status == 201
    sn = created.body["order_sns"][0]

    listing = live.shopee("GET", "order/get_order_list", {"time_range_field": "create_time", "time_from": T0 - 86400,
                                                          "time_to": T0, "page_size": 20,
                                                          "order_status": "READY_TO_SHIP"}, creds=creds)
    assert [o["order_sn"] for o in listing.body["response"]["order_list"]] == [sn]

    params = live.shopee("GET", "logistics/get_shipping_parameter", {"order_sn": sn}, creds=creds).body["response"]
    mode = next(iter(params["info_needed"]))
    body: dict = {"order_sn": sn, mode: {}}
    if mode == "pickup":
        address = params["pickup"]["address_list"][0]
        body["pickup"] = {"address_id": address["address_id"],
                          "pickup_time_id": address["time_slot_list"][0]["pickup_time_id"]}
    shipped = live.shopee("POST", "logistics/ship_order", body, creds=creds)
    assert shipped.status == 200 and shipped.error == ""
    tracking = live.shopee("GET", "logistics/get_tracking_number", {"order_sn": sn}, creds=creds)
    assert tracking.body["response"]["tracking_number"]

    for event in ("pickup", "deliver", "confirm_receive"):
        assert live.admin("POST", f"/shopee/orders/{sn}/events", {"event": event}).status == 200
    detail = live.shopee("GET", "order/get_order_detail", {"order_sn_list": sn,
                                                            "response_optional_fields": "item_list,total_amount"},
                         creds=creds).body["response"]["order_list"][0]
    assert detail["order_status"] == "COMPLETED"
    assert detail["total_amount"] == 840 + 60  # two boxes plus TW shipping
    assert detail["item_list"][0]["model_quantity_purchased"] == 2

    # An illegal event answers 409 with the current status and changes nothing.
    refused = live.admin("POST", f"/shopee/orders/{sn}/events", {"event": "pay"})
    assert refused.status == 409 and refused.body["status"] == "COMPLETED"


def test_access_token_expires_on_the_sandbox_clock(live):
    creds = live.creds
    ok = live.shopee("GET", "shop/get_shop_info", creds=creds)
    assert ok.status == 200
    live.admin("POST", "/clock", {"advance_seconds": 4 * 3600 + 1})
    expired = live.shopee("GET", "shop/get_shop_info", creds=creds)
    assert (expired.status, expired.error, expired.message) == (403, "error_auth", "Invalid access_token.")


def test_every_error_over_http_is_a_json_envelope(live):
    # (GET / is the web console's redirect: tests/ui/test_console_pages.py)
    for path in ("/api/v2/order/get_order_list", "/api/v2/nope", "/api/v1/orders/get", "/_sandbox/nope", "/index.html"):
        answer = live.request("GET", path)
        assert answer.status in (400, 404), path
        assert answer.headers["Content-Type"].startswith("application/json"), path
        assert "<html" not in answer.text.lower()
