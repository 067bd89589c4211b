"""The Shopee admin endpoints: partners, shops, orders (generated and explicit), order view, events,
authorisation and settings. Every refused request leaves the world as it was."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from mockserver.app import create_app
from tests.conftest import T0, make_settings
from tests.support.clients import SandboxClient

MAX_ID = 4_294_967_295


def _state(client) -> dict:
    return client.admin("GET", "/state").body


def _models(client, shop_id: int) -> list[dict]:
    return client.admin("GET", f"/shopee/shops/{shop_id}").body["models"]


def _order(client, order_sn: str) -> dict:
    answer = client.admin("GET", f"/shopee/orders/{order_sn}")
    assert answer.status == 200, answer.body
    return answer.body


def _refused(client, method: str, path: str, body, status: int, error: str):
    """The request is refused with status/error and the world (records and stock) is unchanged."""
    before = _state(client)
    answer = client.admin(method, path, body)
    assert answer.status == status, answer.body
    assert answer.error == error, answer.body
    assert answer.message
    assert _state(client) == before
    return answer


# ---- partners ---------------------------------------------------------------------------------
def test_a_new_partner_is_an_erp_app_by_default_and_can_sign_calls(sandbox):
    answer = sandbox.admin("POST", "/shopee/partners")
    assert answer.status == 201
    partner = answer.body
    assert partner["app_type"] == "ERP System"
    assert partner["partner_key"].startswith("shpk") and len(partner["partner_key"]) == 64
    creds = {**sandbox.creds, "partner_id": partner["partner_id"], "partner_key": partner["partner_key"]}
    shops = sandbox.shopee("GET", "public/get_shops_by_partner", creds=creds, shop=False)
    assert shops.status == 200, shops.body
    assert shops.body["authed_shop_list"] == []


def test_a_partner_takes_the_given_ids_key_name_and_app_type_spelling(sandbox):
    body = {"app_type": "order management", "partner_id": 1234567, "partner_key": "k" * 10, "name": "My ERP"}
    answer = sandbox.admin("POST", "/shopee/partners", body)
    assert answer.status == 201
    assert answer.body == {"partner_id": 1234567, "partner_key": "k" * 10, "app_type": "Order Management",
                           "name": "My ERP"}


@pytest.mark.parametrize("body", [
    {"app_type": "Shopping Robot"}, {"app_type": 3}, {"partner_id": 0}, {"partner_id": MAX_ID + 1},
    {"partner_id": "1234567"}, {"partner_key": ""}, {"name": "   "}, {"partner": 1},
])
def test_a_bad_partner_request_is_400(sandbox, body):
    _refused(sandbox, "POST", "/shopee/partners", body, 400, "invalid_field")


def test_a_taken_partner_id_is_409(sandbox):
    taken = sandbox.creds["partner_id"]
    answer = _refused(sandbox, "POST", "/shopee/partners", {"partner_id": taken}, 409, "already_exists")
    assert answer.body["partner_id"] == taken


# ---- shops ------------------------------------------------------------------------------------
def test_a_new_shop_is_a_tw_test_shop_with_a_stocked_catalogue(sandbox):
    answer = sandbox.admin("POST", "/shopee/shops")
    assert answer.status == 201
    shop = answer.body
    assert shop["region"] == "TW" and shop["status"] == "NORMAL"
    assert shop["account"].startswith("SANDBOX.") and shop["password"]
    assert shop["authorised_partners"] == []
    assert "access_token" not in shop
    assert shop["models"] and all(m["stock"] > 0 for m in shop["models"])
    assert sandbox.admin("GET", f"/shopee/shops/{shop['shop_id']}").body == shop


def test_a_shop_authorised_at_creation_gets_tokens_that_work(sandbox):
    partner_id = sandbox.creds["partner_id"]
    shop = sandbox.admin("POST", "/shopee/shops", {"region": "MY", "shop_id": 7654321, "shop_name": "Kedai",
                                                   "authorize_partner_id": partner_id}).body
    assert shop["shop_id"] == 7654321 and shop["shop_name"] == "Kedai" and shop["region"] == "MY"
    assert shop["authorised_partners"] == [partner_id]
    creds = {**sandbox.creds, "shop_id": shop["shop_id"], "access_token": shop["access_token"]}
    info = sandbox.shopee("GET", "shop/get_shop_info", creds=creds)
    assert info.status == 200, info.body
    assert info.body["region"] == "MY"


@pytest.mark.parametrize("body", [
    {"region": "US"}, {"region": "tw"}, {"shop_id": 0}, {"shop_id": MAX_ID + 1}, {"shop_id": True},
    {"shop_name": ""}, {"password": 123456}, {"regoin": "TW"},
])
def test_a_bad_shop_request_is_400(sandbox, body):
    _refused(sandbox, "POST", "/shopee/shops", body, 400, "invalid_field")


def test_a_taken_shop_id_is_409(sandbox):
    _refused(sandbox, "POST", "/shopee/shops", {"shop_id": sandbox.creds["shop_id"]}, 409, "already_exists")


def test_a_shop_for_an_unknown_partner_is_404_and_not_created(sandbox):
    _refused(sandbox, "POST", "/shopee/shops", {"authorize_partner_id": 999}, 404, "not_found")


def test_an_unknown_shop_is_404(sandbox):
    answer = sandbox.admin("GET", "/shopee/shops/1")
    assert answer.status == 404 and answer.error == "not_found"


# ---- generated orders -------------------------------------------------------------------------
def test_generated_orders_are_created_over_the_given_days_in_the_given_statuses(sandbox):
    shop_id = sandbox.creds["shop_id"]
    answer = sandbox.admin("POST", f"/shopee/shops/{shop_id}/orders",
                           {"count": 6, "statuses": ["COMPLETED", "UNPAID"], "days": 2})
    assert answer.status == 201
    assert answer.body["created"] == 6 and len(set(answer.body["order_sns"])) == 6
    orders = [_order(sandbox, sn) for sn in answer.body["order_sns"]]
    assert {o["status"] for o in orders} == {"COMPLETED", "UNPAID"}
    assert all(o["shop_id"] == shop_id and T0 - 2 * 86400 <= o["create_time"] <= T0 for o in orders)
    assert len(_state(sandbox)["shopee"]["orders"]) == 56


def test_generated_shipped_orders_have_tracking_numbers_despite_a_tracking_delay(sandbox):
    sandbox.admin("POST", "/shopee/settings", {"tracking_delay_seconds": 3600})
    answer = sandbox.admin("POST", f"/shopee/shops/{sandbox.creds['shop_id']}/orders",
                           {"count": 3, "statuses": ["SHIPPED"]})
    assert answer.status == 201, answer.body
    for sn in answer.body["order_sns"]:
        order = _order(sandbox, sn)
        assert order["status"] == "SHIPPED"
        assert all(p["tracking_number"] for p in order["packages"])
    assert sandbox.admin("GET", "/shopee/settings").body["tracking_delay_seconds"] == 3600


@pytest.mark.parametrize("body", [
    {"count": 0}, {"count": 1_000_001}, {"count": "5"}, {"count": 2.0}, {"count": 2, "days": 0},
    {"count": 2, "days": 366}, {"count": 2, "statuses": ["LOST"]}, {"count": 2, "statuses": "UNPAID"},
    {"count": 2, "statuses": ["INVOICE_PENDING"]},  # only BR orders wait for an invoice
    {"count": 2, "orders": [{"items": [{}]}]}, {}, {"count": 2, "colour": "red"},
])
def test_a_bad_generation_request_is_400(sandbox, body):
    _refused(sandbox, "POST", f"/shopee/shops/{sandbox.creds['shop_id']}/orders", body, 400, "invalid_field")


def test_orders_of_an_unknown_shop_are_404(sandbox):
    _refused(sandbox, "POST", "/shopee/shops/1/orders", {"count": 1}, 404, "not_found")


# ---- explicit orders --------------------------------------------------------------------------
def test_an_explicit_order_of_an_existing_model_sets_its_stock_and_takes_the_quantity(sandbox):
    shop_id = sandbox.creds["shop_id"]
    model = _models(sandbox, shop_id)[0]
    spec = {"status": "READY_TO_SHIP", "create_time": T0 - 3600, "payment_method": "Cash on Delivery",
            "logistics_channel_id": 30005, "message_to_seller": "hi",
            "items": [{"item_id": model["item_id"], "model_id": model["model_id"], "quantity": 2, "stock": 5}]}
    answer = sandbox.admin("POST", f"/shopee/shops/{shop_id}/orders", {"orders": [spec]})
    assert answer.status == 201, answer.body
    order = _order(sandbox, answer.body["order_sns"][0])
    assert order["status"] == "READY_TO_SHIP" and order["create_time"] == T0 - 3600
    assert order["cod"] is True and order["logistics_channel_id"] == 30005
    assert order["message_to_seller"] == "hi"
    assert [(i["item_id"], i["model_id"], i["quantity"]) for i in order["items"]] == [
        (model["item_id"], model["model_id"], 2)]
    assert order["stock"] == {f"{model['item_id']}:{model['model_id']}": 3}
    assert order["history"][0] == [T0 - 3600, "UNPAID"] and order["history"][-1][1] == "READY_TO_SHIP"


def test_an_explicit_order_can_bring_a_new_model(sandbox):
    shop_id = sandbox.creds["shop_id"]
    spec = {"items": [{"quantity": 3, "stock": 10, "price": 250, "item_name": "Tea", "model_name": "Green"}]}
    sn = sandbox.admin("POST", f"/shopee/shops/{shop_id}/orders", {"orders": [spec]}).body["order_sns"][0]
    order = _order(sandbox, sn)
    assert order["status"] == "UNPAID" and order["create_time"] == T0
    assert order["items"][0]["item_name"] == "Tea" and order["items"][0]["original_price"] == 250
    assert list(order["stock"].values()) == [7]
    assert any(m["item_name"] == "Tea" and m["stock"] == 7 for m in _models(sandbox, shop_id))


def test_a_br_order_asked_ready_to_ship_has_its_invoice(sandbox):
    shop = sandbox.admin("POST", "/shopee/shops", {"region": "BR"}).body
    orders = [{"status": "READY_TO_SHIP", "items": [{"quantity": 1}]},
              {"status": "INVOICE_PENDING", "items": [{"quantity": 1}]}]
    answer = sandbox.admin("POST", f"/shopee/shops/{shop['shop_id']}/orders", {"orders": orders})
    assert answer.status == 201, answer.body
    assert [_order(sandbox, sn)["status"] for sn in answer.body["order_sns"]] == ["READY_TO_SHIP", "INVOICE_PENDING"]


def test_a_batch_whose_second_order_is_short_of_stock_creates_nothing(sandbox):
    shop_id = sandbox.creds["shop_id"]
    model = _models(sandbox, shop_id)[0]
    line = {"item_id": model["item_id"], "model_id": model["model_id"]}
    batch = [{"items": [{**line, "quantity": 2, "stock": 3}]},
             {"items": [{"quantity": 1, "item_name": "New"}, {**line, "quantity": 2}]}]
    answer = _refused(sandbox, "POST", f"/shopee/shops/{shop_id}/orders", {"orders": batch}, 409, "out_of_stock")
    assert "orders[1].items[1]" in answer.message
    assert _models(sandbox, shop_id)[0]["stock"] == model["stock"]


def test_a_refused_batch_does_not_change_the_ids_of_later_orders():
    """A refused request consumes no random ids: the next orders are the ones a clean world makes."""
    clean, used = (SandboxClient(flask_client=create_app(make_settings()).test_client()) for _ in range(2))
    shop_id = clean.creds["shop_id"]
    good = {"orders": [{"status": "SHIPPED", "items": [{"quantity": 1}]}]}
    bad = {"orders": [{"items": [{"quantity": 1}]}, {"items": [{"quantity": 2, "stock": 1}]}]}
    assert used.admin("POST", f"/shopee/shops/{shop_id}/orders", bad).status == 409
    assert (used.admin("POST", f"/shopee/shops/{shop_id}/orders", good).body
            == clean.admin("POST", f"/shopee/shops/{shop_id}/orders", good).body)
    assert _state(used) == _state(clean)


def test_a_cancelled_order_of_the_batch_gives_its_stock_to_the_next(sandbox):
    shop_id = sandbox.creds["shop_id"]
    model = _models(sandbox, shop_id)[0]
    line = {"item_id": model["item_id"], "model_id": model["model_id"]}
    batch = [{"status": "CANCELLED", "items": [{**line, "quantity": 2, "stock": 2}]},
             {"items": [{**line, "quantity": 2}]}]
    answer = sandbox.admin("POST", f"/shopee/shops/{shop_id}/orders", {"orders": batch})
    assert answer.status == 201, answer.body
    assert _models(sandbox, shop_id)[0]["stock"] == 0


@pytest.mark.parametrize("spec", [
    {"items": []}, {"items": [{"quantity": 0}]}, {"items": [{"quantity": "1"}]}, {"items": ["x"]},
    {"items": [{"quantity": 1, "colour": "red"}]}, {"items": [{"quantity": 1, "price": 0}]},
    {"items": [{"quantity": 1, "stock": -1}]}, {"status": "LOST", "items": [{"quantity": 1}]},
    {"status": "INVOICE_PENDING", "items": [{"quantity": 1}]},
    {"create_time": T0 + 1, "items": [{"quantity": 1}]}, {"create_time": 0, "items": [{"quantity": 1}]},
    {"logistics_channel_id": 90001, "items": [{"quantity": 1}]}, {"payment_method": "", "items": [{"quantity": 1}]},
    {"message_to_seller": 5, "items": [{"quantity": 1}]}, {"note": "x", "items": [{"quantity": 1}]},
    {"payment_method": "Bitcoin", "items": [{"quantity": 1}]},
])
def test_a_bad_second_explicit_order_is_400_and_creates_nothing(sandbox, spec):
    batch = [{"items": [{"quantity": 1}]}, spec]
    answer = _refused(sandbox, "POST", f"/shopee/shops/{sandbox.creds['shop_id']}/orders", {"orders": batch},
                      400, "invalid_field")
    assert "orders[1]" in answer.message


def test_a_cod_order_goes_by_a_channel_that_carries_cod(sandbox):
    shop = sandbox.admin("POST", "/shopee/shops", {"region": "SG"}).body  # 90002 Express carries no COD
    path = f"/shopee/shops/{shop['shop_id']}/orders"
    cod = {"payment_method": "Cash on Delivery", "items": [{"quantity": 1}]}
    sns = sandbox.admin("POST", path, {"orders": [cod] * 8}).body["order_sns"]
    assert {_order(sandbox, sn)["logistics_channel_id"] for sn in sns} == {90001}
    assert all(_order(sandbox, sn)["cod"] for sn in sns)
    _refused(sandbox, "POST", path, {"orders": [{**cod, "logistics_channel_id": 90002}]}, 400, "invalid_field")


def test_a_br_order_cannot_be_cash_on_delivery(sandbox):
    """Seed 001: COD is not offered in Brazil."""
    shop = sandbox.admin("POST", "/shopee/shops", {"region": "BR"}).body
    _refused(sandbox, "POST", f"/shopee/shops/{shop['shop_id']}/orders",
             {"orders": [{"payment_method": "Cash on Delivery", "items": [{"quantity": 1}]}]}, 400, "invalid_field")


@pytest.mark.parametrize("orders", [[], "many", [5]])
def test_an_explicit_batch_should_be_a_list_of_orders(sandbox, orders):
    _refused(sandbox, "POST", f"/shopee/shops/{sandbox.creds['shop_id']}/orders", {"orders": orders},
             400, "invalid_field")


# ---- order view and events --------------------------------------------------------------------
def test_the_order_view_shows_history_stock_and_allowed_events(sandbox):
    shop_id = sandbox.creds["shop_id"]
    sn = sandbox.admin("POST", f"/shopee/shops/{shop_id}/orders",
                       {"orders": [{"items": [{"quantity": 1, "stock": 4}]}]}).body["order_sns"][0]
    order = _order(sandbox, sn)
    assert order["order_sn"] == sn and order["status"] == "UNPAID" and order["pay_time"] is None
    assert order["allowed_events"] == ["pay", "buyer_cancel", "system_cancel"]
    assert list(order["stock"].values()) == [3]
    assert order["total_amount"] == pytest.approx(
        sum(i["discounted_price"] * i["quantity"] for i in order["items"]) + order["estimated_shipping_fee"])


def test_an_unknown_order_is_404(sandbox):
    answer = sandbox.admin("GET", "/shopee/orders/2611180000000X")
    assert answer.status == 404 and answer.error == "not_found"


def test_an_event_moves_the_order(sandbox):
    sn = sandbox.admin("POST", f"/shopee/shops/{sandbox.creds['shop_id']}/orders",
                       {"orders": [{"items": [{"quantity": 1}]}]}).body["order_sns"][0]
    sandbox.admin("POST", "/clock", {"advance_seconds": 60})
    answer = sandbox.admin("POST", f"/shopee/orders/{sn}/events", {"event": "pay"})
    assert answer.status == 200
    assert answer.body == {"order_sn": sn, "event": "pay", "previous_status": "UNPAID",
                           "status": "READY_TO_SHIP", "update_time": T0 + 60}
    assert _order(sandbox, sn)["pay_time"] == T0 + 60


def test_an_illegal_event_is_409_with_the_current_status(sandbox):
    sn = sandbox.admin("POST", f"/shopee/shops/{sandbox.creds['shop_id']}/orders",
                       {"orders": [{"items": [{"quantity": 1}]}]}).body["order_sns"][0]
    answer = _refused(sandbox, "POST", f"/shopee/orders/{sn}/events", {"event": "deliver"}, 409,
                      "illegal_transition")
    assert answer.body["status"] == "UNPAID" and answer.body["event"] == "deliver"
    assert answer.body["order_sn"] == sn


@pytest.mark.parametrize("body", [{"event": "teleport"}, {"event": 1}, {}, {"event": "pay", "when": 1}])
def test_a_bad_event_is_400(sandbox, body):
    sn = _state(sandbox)["shopee"]["orders"][0]["order_sn"]
    _refused(sandbox, "POST", f"/shopee/orders/{sn}/events", body, 400, "invalid_field")


def test_an_event_for_an_unknown_order_is_404(sandbox):
    _refused(sandbox, "POST", "/shopee/orders/NOPE/events", {"event": "pay"}, 404, "not_found")


# ---- authorisation ----------------------------------------------------------------------------
def test_authorize_answers_the_redirect_with_a_code_the_app_can_exchange(sandbox):
    partner = sandbox.admin("POST", "/shopee/partners", {"app_type": "Order Management"}).body
    shop_id = sandbox.creds["shop_id"]
    answer = sandbox.admin("POST", "/shopee/authorize", {"partner_id": partner["partner_id"], "shop_id": shop_id,
                                                         "redirect": "https://app.example/cb?state=1"})
    assert answer.status == 200
    query = parse_qs(urlsplit(answer.body["url"]).query)
    assert query == {"state": ["1"], "code": [answer.body["code"]], "shop_id": [str(shop_id)]}
    assert answer.body["expires_at"] == T0 + 600
    creds = {**sandbox.creds, "partner_id": partner["partner_id"], "partner_key": partner["partner_key"]}
    token = sandbox.shopee("POST", "auth/token/get", {"code": answer.body["code"], "partner_id": partner["partner_id"],
                                                      "shop_id": shop_id}, creds=creds, shop=False)
    assert token.status == 200, token.body
    assert token.body["access_token"]


@pytest.mark.parametrize("body,status,error", [
    ({"partner_id": 1, "shop_id": None, "redirect": "https://a.example"}, 400, "invalid_field"),
    ({"partner_id": None, "shop_id": 1, "redirect": "https://a.example"}, 400, "invalid_field"),
    ({"redirect": "/relative"}, 400, "invalid_field"),
    ({"redirect": "javascript:alert(1)"}, 400, "invalid_field"),
    ({"partner_id": 1}, 404, "not_found"),
    ({"shop_id": 1}, 404, "not_found"),
])
def test_a_bad_authorize_request_is_refused(sandbox, body, status, error):
    full = {"partner_id": sandbox.creds["partner_id"], "shop_id": sandbox.creds["shop_id"],
            "redirect": "https://app.example/cb", **body}
    _refused(sandbox, "POST", "/shopee/authorize", {k: v for k, v in full.items() if v is not None}, status, error)


def test_deauthorize_ends_the_authorisation_and_its_tokens(sandbox):
    creds = sandbox.creds
    answer = sandbox.admin("POST", "/shopee/deauthorize", {"partner_id": creds["partner_id"], "shop_id": creds["shop_id"]})
    assert answer.status == 200
    assert answer.body == {"partner_id": creds["partner_id"], "shop_id": creds["shop_id"], "authorised": False}
    info = sandbox.shopee("GET", "shop/get_shop_info")
    assert info.status == 403 and info.body["error"] == "error_auth"
    _refused(sandbox, "POST", "/shopee/deauthorize", {"partner_id": creds["partner_id"], "shop_id": creds["shop_id"]},
             404, "not_found")


def test_the_auth_page_form_redirects_with_a_code_once_the_password_and_otp_match(sandbox):
    page = sandbox.shopee("GET", "shop/auth_partner", {"redirect": "https://app.example/cb"}, shop=False)
    assert page.status == 200 and page.headers["Content-Type"].startswith("text/html")
    ticket = page.text.split('name="ticket" value="')[1].split('"')[0]
    shop = sandbox.creds["shops"][0]
    form = {"ticket": ticket, "shop_id": str(shop["shop_id"]), "password": "wrong", "otp": "123456"}
    wrong = sandbox.request("POST", "/_sandbox/shopee/auth_page/submit", data=form)
    assert wrong.status == 400 and wrong.headers["Content-Type"].startswith("text/html")
    done = sandbox.request("POST", "/_sandbox/shopee/auth_page/submit", data={**form, "password": shop["password"]})
    assert done.status == 302
    query = parse_qs(urlsplit(done.headers["Location"]).query)
    assert query["shop_id"] == [str(shop["shop_id"])] and query["code"][0]
    again = sandbox.request("POST", "/_sandbox/shopee/auth_page/submit", data={**form, "password": shop["password"]})
    assert again.status == 410  # the ticket was used


# ---- settings ---------------------------------------------------------------------------------
# The defaults: no 3PL delay, no auto-progress, seed 000's 8 test shops lasting 90 days (testenv.py).
DEFAULTS = {"tracking_delay_seconds": 0, "auto_progress": False, "test_shop_limit": 8, "test_shop_days": 90}


def test_settings_change_until_the_next_reset(sandbox):
    assert sandbox.admin("GET", "/shopee/settings").body == DEFAULTS
    answer = sandbox.admin("POST", "/shopee/settings", {"tracking_delay_seconds": 120, "auto_progress": True})
    assert answer.status == 200
    assert answer.body == {**DEFAULTS, "tracking_delay_seconds": 120, "auto_progress": True}
    assert sandbox.admin("POST", "/shopee/settings", {"auto_progress": False}).body == {
        **DEFAULTS, "tracking_delay_seconds": 120, "auto_progress": False}
    assert sandbox.admin("POST", "/shopee/settings", {"test_shop_limit": None, "test_shop_days": 7}).body == {
        **DEFAULTS, "tracking_delay_seconds": 120, "test_shop_limit": None, "test_shop_days": 7}
    sandbox.admin("POST", "/reset")
    assert sandbox.admin("GET", "/shopee/settings").body == DEFAULTS


@pytest.mark.parametrize("body", [{"tracking_delay_seconds": -1}, {"tracking_delay_seconds": "60"},
                                  {"tracking_delay_seconds": 1.5}, {"auto_progress": "yes"},
                                  {"auto_progress": 1}, {"tracking_delay": 60}, {"test_shop_limit": 0},
                                  {"test_shop_limit": "8"}, {"test_shop_days": 0}, {"test_shop_days": 1.5}])
def test_a_bad_setting_is_400_and_changes_nothing(sandbox, body):
    answer = sandbox.admin("POST", "/shopee/settings", body)
    assert answer.status == 400 and answer.error == "invalid_field"
    assert sandbox.admin("GET", "/shopee/settings").body == DEFAULTS


def test_a_setting_change_is_atomic(sandbox):
    answer = sandbox.admin("POST", "/shopee/settings", {"tracking_delay_seconds": 60, "auto_progress": "on"})
    assert answer.status == 400
    assert sandbox.admin("GET", "/shopee/settings").body["tracking_delay_seconds"] == 0
