"""/_sandbox/oneshop: accounts and settings, generated and explicit orders, status changes."""
from __future__ import annotations

import json

import pytest

from tests.oneshop.support import add_orders, detail, internal, list_orders, new_account, state, utc8, walk


def _bad(answer, status: int = 400, error: str = "invalid_field") -> None:
    assert answer.status == status, answer.body
    assert answer.body["error"] == error and answer.body["message"]


# ---- accounts ----------------------------------------------------------------------------------
def test_a_new_account_gets_defaults_and_works(shop):
    account = new_account(shop)
    assert account["enterprise"] is True and account["list_shape"] == "array" and account["ip_whitelist"] == []
    assert account["rate_limit"] == {"limit": 10, "window_seconds": 10}
    assert account["order_count"] == 0
    assert list_orders(shop, account).status == 200
    assert shop.admin("GET", f"/oneshop/accounts/{account['appid']}").body == account


def test_an_account_with_explicit_fields(shop):
    account = new_account(shop, appid="my-app_1", secret="s3cr3t!", enterprise=False, list_shape="object",
                          rate_limit={"limit": 2, "window_seconds": 1.5}, ip_whitelist=["10.0.0.1", "::1", "10.0.0.1"])
    assert (account["appid"], account["secret"], account["enterprise"], account["list_shape"]) == \
        ("my-app_1", "s3cr3t!", False, "object")
    assert account["rate_limit"] == {"limit": 2, "window_seconds": 1.5}
    assert account["ip_whitelist"] == ["10.0.0.1", "::1"]


def test_a_taken_appid_is_409(shop):
    answer = shop.admin("POST", "/oneshop/accounts", {"appid": shop.creds_oneshop["appid"]})
    _bad(answer, 409, "already_exists")


@pytest.mark.parametrize("body", [
    {"appid": ""}, {"appid": "has space"}, {"appid": 12}, {"appid": "x" * 65}, {"secret": ""}, {"secret": "a b"},
    {"secret": 5}, {"enterprise": "yes"}, {"enterprise": 1}, {"list_shape": "list"}, {"rate_limit": 10},
    {"rate_limit": {"limit": 0, "window_seconds": 10}}, {"rate_limit": {"limit": 10}},
    {"rate_limit": {"limit": 10, "window_seconds": 0}}, {"rate_limit": {"limit": 10, "window_seconds": 10, "x": 1}},
    {"rate_limit": {"limit": 1.5, "window_seconds": 10}}, {"ip_whitelist": "127.0.0.1"},
    {"ip_whitelist": ["127.0.0.300"]}, {"ip_whitelist": [f"10.0.0.{i}" for i in range(11)]}, {"ip_whitelist": [1]},
    {"name": "x"}])
def test_a_bad_account_field_is_400_and_creates_nothing(shop, body):
    before = state(shop)
    _bad(shop.admin("POST", "/oneshop/accounts", body))
    assert state(shop) == before


def test_settings_change_only_the_fields_given(shop):
    appid = shop.creds_oneshop["appid"]
    before = shop.admin("GET", f"/oneshop/accounts/{appid}").body
    after = shop.admin("POST", f"/oneshop/accounts/{appid}/settings", {"list_shape": "object"}).body
    assert after == {**before, "list_shape": "object"}


def test_a_new_secret_replaces_the_old_one(shop):
    appid = shop.creds_oneshop["appid"]
    shop.admin("POST", f"/oneshop/accounts/{appid}/settings", {"secret": "rotated"})
    assert list_orders(shop).body["success"] == -3
    assert list_orders(shop, {"appid": appid, "secret": "rotated"}).status == 200


@pytest.mark.parametrize("body", [{"appid": "x"}, {"list_shape": 1}, {"rate_limit": []}, {"secret": ""}])
def test_bad_settings_are_400_and_change_nothing(shop, body):
    appid = shop.creds_oneshop["appid"]
    before = shop.admin("GET", f"/oneshop/accounts/{appid}").body
    _bad(shop.admin("POST", f"/oneshop/accounts/{appid}/settings", body))
    assert shop.admin("GET", f"/oneshop/accounts/{appid}").body == before


@pytest.mark.parametrize("method,path,body", [
    ("GET", "/oneshop/accounts/nosuch", None), ("POST", "/oneshop/accounts/nosuch/settings", {"enterprise": True}),
    ("POST", "/oneshop/accounts/nosuch/orders", {"count": 1}), ("GET", "/oneshop/orders/QI2041900127", None),
    ("POST", "/oneshop/orders/QI2041900127/status", {"progress_status": "confirmed"})])
def test_unknown_accounts_and_orders_are_404(shop, method, path, body):
    _bad(shop.admin(method, path, body), 404, "not_found")


# ---- generated orders ----------------------------------------------------------------------------
def test_generated_orders_cover_the_codes_and_land_in_the_last_days(shop):
    account = new_account(shop, rate_limit=None)
    answer = shop.admin("POST", f"/oneshop/accounts/{account['appid']}/orders", {"count": 60, "days": 3})
    assert answer.status == 201 and answer.body["created"] == 60
    orders = walk(shop, account)
    assert sorted(o["order_number"] for o in orders) == sorted(answer.body["order_numbers"])
    assert len({o["payment"] for o in orders}) == 20 and len({o["logistic"] for o in orders}) == 18
    now = shop.now()
    assert all(now - 3 * 86400 <= utc8(o["create_date"]) <= now for o in orders)
    prefixes = {p["page_prefix"] for p in account["pages"]}
    assert {o["order_number"][:2] for o in orders} <= prefixes


@pytest.mark.parametrize("body", [{}, {"count": 0}, {"count": 10_001}, {"count": "5"}, {"count": 5, "days": 0},
                                  {"count": 5, "orders": [{}]}, {"orders": []}, {"orders": {}}, {"orders": [{}], "days": 3},
                                  {"count": True}])
def test_bad_order_batches_are_400_and_create_nothing(shop, body):
    before = state(shop)
    _bad(shop.admin("POST", f"/oneshop/accounts/{shop.creds_oneshop['appid']}/orders", body))
    assert state(shop) == before


# ---- explicit orders -------------------------------------------------------------------------------
def test_an_explicit_order_keeps_what_it_gives(shop):
    account = new_account(shop, rate_limit=None)
    page = account["pages"][1]
    (number,) = add_orders(shop, account["appid"], [{
        "create_time": utc8("2026-11-10 09:30:00"), "page_prefix": page["page_prefix"], "payment": "atm",
        "logistic": "uni", "name": "王小明", "gender": "male", "email": "ming@example.com", "phone": "0912345678",
        "tag": "fb20261101", "note": "請盡快", "shop_note": "VIP", "custom_fields": [{"label": "身高", "value": "180cm"}],
        "logistic_fee": 65, "payment_fee": 0,
        "products": [{"name": "蘋果", "per_cost": 10, "quantity": 3, "sku": "306041", "label": "滿額贈"},
                     {"product_type": "charge", "name": "包裝費", "per_cost": 20},
                     {"product_type": "bundle", "name": "ABC任選優惠", "per_cost": 100, "quantity": 2,
                      "bundle": [{"name": "蘋果", "sku": "306041", "quantity": 4}, {"name": "香蕉", "quantity": 2}]}]}])
    assert number.startswith(f"{page['page_prefix']}61110")
    data = detail(shop, number, account).body["data"]
    order, cart = data["order"], data["cart"]
    assert (order["create_date"], order["payment"], order["logistic"], order["name"], order["gender"]) == \
        ("2026-11-10 09:30:00", "atm", "uni", "王小明", "male")
    assert (order["email"], order["phone"], order["tag"], order["note"], order["shop_note"]) == \
        ("ming@example.com", "0912345678", "fb20261101", "請盡快", "VIP")
    assert order["custom_fields"] == [{"label": "身高", "value": "180cm"}]
    assert order["page_title"] == page["page_title"] and order["shop_url"] == page["shop_url"]
    assert (order["progress_status"], order["payment_status"], order["logistic_status"]) == ("pending",) * 3
    assert order["payment_date"] == "" and data["shipping_tracking"] == []
    assert order["cvs_store_name"].startswith("7-11") and order["address"] == ""
    assert cart["products"] == [
        {"product_type": "single", "quantity": 3, "per_cost": 10, "line_total": 30, "name": "蘋果", "sku": "306041",
         "label": "滿額贈", "inventory_status": 0},
        {"product_type": "charge", "quantity": 1, "per_cost": 20, "line_total": 20, "name": "包裝費", "label": ""},
        {"product_type": "bundle", "quantity": 2, "per_cost": 100, "line_total": 200, "name": "ABC任選優惠", "label": "",
         "bundle": [{"name": "蘋果", "sku": "306041", "quantity": 4, "label": "", "inventory_status": 0},
                    {"name": "香蕉", "sku": "", "quantity": 2, "label": "", "inventory_status": 0}]}]
    assert (cart["sub_total"], cart["logistic_fee"], cart["payment_fee"], cart["refund"], cart["total_price"]) == \
        (250, 65, 0, 0, 315)
    for receipt in data["receipt"]:
        assert receipt["email"] == "ming@example.com" and receipt["phone"] == "0912345678"


def test_explicit_statuses_take_effect_at_create_time(shop):
    account = new_account(shop, rate_limit=None)
    when = utc8("2026-11-12 10:00:00")
    paid, shipped, cod = add_orders(shop, account["appid"], [
        {"create_time": when, "payment_status": "paid", "progress_status": "confirmed"},
        {"create_time": when, "payment_status": "paid", "logistic_status": "shipped", "logistic": "home"},
        {"create_time": when, "payment": "cod", "logistic": "home", "logistic_status": "received"}])
    assert detail(shop, paid, account).body["data"]["order"]["payment_date"] == "2026-11-12 10:00:00"
    tracking = detail(shop, shipped, account).body["data"]["shipping_tracking"]
    assert [t["provider"] for t in tracking] == ["黑貓宅急便"] and tracking[0]["shipping_date"] == "2026-11-12 10:00:00"
    assert detail(shop, cod, account).body["data"]["order"]["payment_status"] == "paid"


def test_the_default_explicit_order_is_a_pending_credit_card_home_delivery_created_now(shop):
    account = new_account(shop, rate_limit=None)
    (number,) = add_orders(shop, account["appid"], [{}])
    view = internal(shop, number)
    assert view["create_time"] == shop.now() and view["payment_time"] is None
    order = view["detail"]["order"]
    assert (order["payment"], order["logistic"], order["payment_status"]) == ("credit", "home", "pending")
    assert order["address"] and order["county_and_city"]


@pytest.mark.parametrize("entry", [
    {"payment": "cash"}, {"logistic": "ups"}, {"progress_status": "all"}, {"payment_status": "shipped"},
    {"gender": "x"}, {"create_time": -1}, {"create_time": 4_000_000_000}, {"page_prefix": "ZZZ"}, {"name": ""},
    {"name": 1}, {"products": []}, {"products": [{"name": "x"}]}, {"products": [{"per_cost": 1}]},
    {"products": [{"name": "x", "per_cost": -1}]}, {"products": [{"name": "x", "per_cost": 1, "quantity": 0}]},
    {"products": [{"name": "x", "per_cost": 1, "product_type": "gift"}]},
    {"products": [{"name": "x", "per_cost": 1, "product_type": "charge", "sku": "1"}]},
    {"products": [{"name": "x", "per_cost": 1, "product_type": "bundle"}]},
    {"products": [{"name": "x", "per_cost": 1, "product_type": "bundle", "bundle": [{"sku": "1"}]}]},
    {"products": [{"name": "x", "per_cost": 1, "bundle": [{"name": "y"}]}]},
    {"products": [{"name": "x", "per_cost": 1, "inventory_status": 2}]}, {"custom_fields": [{"label": "a"}]},
    {"custom_fields": "x"}, {"logistic_fee": -5}, {"payment_fee": 1.5}, {"order_number": "AB1"}, {"tracking": {}}])
def test_a_bad_explicit_order_is_400_and_the_whole_batch_is_refused(shop, entry):
    appid = shop.creds_oneshop["appid"]
    before = state(shop)
    _bad(shop.admin("POST", f"/oneshop/accounts/{appid}/orders", {"orders": [{}, entry]}))
    assert state(shop) == before


# ---- status changes ---------------------------------------------------------------------------------
def _one(shop, **fields) -> str:
    account_appid = shop.creds_oneshop["appid"]
    (number,) = add_orders(shop, account_appid, [fields])
    return number


def _status(shop, number: str, **body):
    answer = shop.admin("POST", f"/oneshop/orders/{number}/status", body)
    assert answer.status == 200, answer.body
    return answer.body["detail"]


def test_becoming_paid_sets_payment_date_once_and_issues_the_invoice(shop):
    number = _one(shop, payment="credit")
    now = shop.now()
    data = _status(shop, number, payment_status="paid", progress_status="confirmed")
    assert data["order"]["payment_date"] == internal(shop, number)["detail"]["order"]["payment_date"]
    assert utc8(data["order"]["payment_date"]) == now
    assert data["order"]["payment_third_party"] == "ECPay" and data["order"]["payment_third_party_no"]
    assert all(r["status"] == 1 and r["invoice_number"] for r in data["receipt"])
    shop.admin("POST", "/clock", {"advance_seconds": 3600})
    again = _status(shop, number, payment_status="paid")
    assert again["order"]["payment_date"] == data["order"]["payment_date"]


def test_shipping_adds_one_tracking_entry_with_the_logistics_carrier(shop):
    for logistic, provider in (("home", "黑貓宅急便"), ("uni", "7-11"), ("fami", "全家"), ("hilife", "萊爾富"),
                               ("mailing", "中華郵政")):
        number = _one(shop, logistic=logistic, payment_status="paid")
        data = _status(shop, number, logistic_status="send")
        assert [t["provider"] for t in data["shipping_tracking"]] == [provider], logistic
        assert data["shipping_tracking"][0]["shipping_date"] == data["shipping_tracking"][0]["create_date"]
        data = _status(shop, number, logistic_status="shipped")
        assert len(data["shipping_tracking"]) == 1
    home = _one(shop, logistic="home")
    assert _status(shop, home, logistic_status="shipped")["shipping_tracking"][0]["url"] == \
        "http://www.t-cat.com.tw/Inquire/Trace.aspx"


def test_an_explicit_tracking_entry_is_added_with_its_number(shop):
    number = _one(shop, logistic="home", logistic_status="shipped")
    data = _status(shop, number, logistic_status="shipped", tracking={"tracking_number": "2222"})
    assert [t["tracking_number"] for t in data["shipping_tracking"]][-1] == "2222"
    assert len(data["shipping_tracking"]) == 2
    data = _status(shop, number, logistic_status="send", tracking={"provider": "新竹物流", "tracking_number": "9"})
    assert (data["shipping_tracking"][-1]["provider"], data["shipping_tracking"][-1]["url"]) == ("新竹物流", "")


def test_a_store_pickup_records_its_arrival(shop):
    number = _one(shop, logistic="fami", payment="c2c")
    _status(shop, number, logistic_status="shipped")
    assert _status(shop, number, logistic_status="shipped")["shipping_tracking"][0]["store_arrived_date"] == ""
    shop.admin("POST", "/clock", {"advance_seconds": 86400})
    data = _status(shop, number, logistic_status="delivered")
    assert utc8(data["shipping_tracking"][0]["store_arrived_date"]) == shop.now()
    assert data["order"]["payment_status"] == "cod"
    data = _status(shop, number, logistic_status="received", progress_status="completed")
    assert data["order"]["payment_status"] == "paid" and utc8(data["order"]["payment_date"]) == shop.now()


def test_a_refund_returns_the_whole_cart_and_voids_the_invoice(shop):
    number = _one(shop, payment="credit", payment_status="paid")
    data = _status(shop, number, payment_status="refunded", progress_status="cancelled")
    cart = data["cart"]
    assert cart["refund"] == cart["sub_total"] + cart["logistic_fee"] + cart["payment_fee"]
    assert cart["total_price"] == data["order"]["total_price"] == 0
    assert all(r["status"] == 2 for r in data["receipt"])


def test_a_status_change_shows_in_the_api(shop):
    number = _one(shop)
    _status(shop, number, progress_status="processing", logistic_status="prepare")
    order = detail(shop, number).body["data"]["order"]
    assert (order["progress_status"], order["logistic_status"]) == ("processing", "prepare")
    assert [o["order_number"] for o in walk(shop, logistic_status="prepare", progress_status="processing")
            if o["order_number"] == number] == [number]


@pytest.mark.parametrize("body", [{}, {"progress_status": "all"}, {"payment_status": "Paid"}, {"logistic_status": 1},
                                  {"tracking": {"tracking_number": "1"}},
                                  {"logistic_status": "pending", "tracking": {"tracking_number": "1"}},
                                  {"logistic_status": "send", "tracking": {"tracking_number": ""}},
                                  {"logistic_status": "send", "tracking": {"carrier": "x"}},
                                  {"logistic_status": "send", "tracking": "x"}, {"status": "paid"}])
def test_a_bad_status_change_is_400_and_changes_nothing(shop, body):
    number = _one(shop)
    before = internal(shop, number)
    _bad(shop.admin("POST", f"/oneshop/orders/{number}/status", body))
    assert internal(shop, number) == before


# ---- robustness -------------------------------------------------------------------------------------
_WEIRD = [None, True, -1, 0, 2**64, 1e308, "", "x" * 1000, [], [{}], {}, {"a": [None]}, "\u0000"]


def test_no_field_value_crashes_a_oneshop_admin_endpoint(shop):
    appid = shop.creds_oneshop["appid"]
    number = walk(shop)[0]["order_number"]
    targets = {"/oneshop/accounts": ("appid", "secret", "enterprise", "rate_limit", "list_shape", "ip_whitelist"),
               f"/oneshop/accounts/{appid}/settings": ("secret", "enterprise", "rate_limit", "list_shape", "ip_whitelist"),
               f"/oneshop/accounts/{appid}/orders": ("count", "days", "orders"),
               f"/oneshop/orders/{number}/status": ("progress_status", "payment_status", "logistic_status", "tracking")}
    for path, names in targets.items():
        for name in names:
            for value in _WEIRD:
                answer = shop.admin("POST", path, {name: value} if name != "days" else {"count": 1, name: value})
                assert answer.status < 500, (path, name, value, answer.body)
    for field in ("create_time", "products", "custom_fields", "name", "payment", "logistic_fee", "page_prefix"):
        for value in _WEIRD:
            answer = shop.admin("POST", f"/oneshop/accounts/{appid}/orders", {"orders": [{field: value}]})
            assert answer.status < 500, (field, value, answer.body)
            answer = shop.admin("POST", f"/oneshop/accounts/{appid}/orders",
                                {"orders": [{"products": [{"name": "x", "per_cost": 1, "bundle": [{field: value}],
                                                           "product_type": "bundle"}]}]})
            assert answer.status < 500, (field, value, answer.body)


def test_admin_bodies_must_be_json_objects(shop):
    appid = shop.creds_oneshop["appid"]
    answer = shop.request("POST", f"/_sandbox/oneshop/accounts/{appid}/orders", data=json.dumps([1]),
                          headers={"Content-Type": "application/json"})
    _bad(answer, 400, "invalid_body")
    answer = shop.request("POST", "/_sandbox/oneshop/accounts", data="appid=x",
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    _bad(answer, 415, "unsupported_media_type")


# ---- the paged order list (the web console's account page) -------------------------------------
def _page(shop, appid: str, **query):
    return shop.request("GET", f"/_sandbox/oneshop/accounts/{appid}/orders", query=query)


def _generate(shop, appid: str, count: int) -> None:
    assert shop.admin("POST", f"/oneshop/accounts/{appid}/orders", {"count": count}).status == 201


def test_the_order_list_is_paged_newest_first(shop):
    account = new_account(shop)
    _generate(shop, account["appid"], 30)
    first = _page(shop, account["appid"], limit=12).body
    assert (first["total"], first["count"]) == (30, 12)
    keys = [(o["create_time"], o["order_number"]) for o in first["orders"]]
    assert keys == sorted(keys, reverse=True)
    later = _page(shop, account["appid"], limit=12, offset=12).body["orders"] + \
        _page(shop, account["appid"], limit=12, offset=24).body["orders"]
    assert len({o["order_number"] for o in first["orders"] + later}) == 30


def test_the_order_list_filters_by_each_status(shop):
    account = new_account(shop)
    _generate(shop, account["appid"], 10)
    every = _page(shop, account["appid"], limit=1000).body["orders"]
    for name in ("progress_status", "payment_status", "logistic_status"):
        value = every[0][name]
        page = _page(shop, account["appid"], **{name: value}).body
        assert page["total"] == sum(1 for o in every if o[name] == value)
        assert {o[name] for o in page["orders"]} == {value}


@pytest.mark.parametrize("query", [{"payment_status": "free"}, {"logistic_status": ""}, {"limit": 0}, {"offset": "x"}, {"status": "paid"}])
def test_a_bad_order_list_query_is_400(shop, query):
    _bad(_page(shop, shop.creds_oneshop["appid"], **query))


def test_the_order_list_of_an_unknown_account_is_404(shop):
    assert _page(shop, "nosuchapp").status == 404
