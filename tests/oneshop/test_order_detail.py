"""GET /v1/order/{order_number}: every field of the seed's example, the cart identity, and orders
whose statuses, dates, addresses, invoices and tracking agree with each other."""
from __future__ import annotations

import json
import re
from datetime import datetime

import pytest

from mockserver.app import create_app
from mockserver.core.taiwan import TW_PLACES
from mockserver.resources import data_dir
from tests.conftest import make_settings
from tests.oneshop.support import (SEED_BUNDLE_ITEM_FIELDS, SEED_CART_FIELDS, SEED_DETAIL_FIELDS,
                                   SEED_LINE_FIELDS, SEED_RECEIPT_FIELDS, SEED_TRACKING_FIELDS, add_orders,
                                   detail, new_account, walk)
from tests.support.clients import SandboxClient

DATE = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
CVS = {"uni", "uni_freeze", "fami", "fami_freeze", "hilife", "hilife_freeze", "ezship"}
ISLANDS = {"澎湖縣": {"馬公市": "880", "湖西鄉": "885"}, "金門縣": {"金城鎮": "893", "金湖鎮": "891"},
           "連江縣": {"南竿鄉": "209"}}


@pytest.fixture(scope="module")
def details() -> list[dict]:
    """data of the detail answer of every order of the default world (fetched once: the tests only read)."""
    client = SandboxClient(flask_client=create_app(make_settings()).test_client())
    client.admin("POST", f"/oneshop/accounts/{client.creds_oneshop['appid']}/settings", {"rate_limit": None})
    out = []
    for order in walk(client):
        answer = detail(client, order["order_number"])
        assert answer.status == 200, answer.body
        out.append(answer.body["data"])
    return out


def test_an_unknown_order_number_is_minus_9(shop):
    answer = detail(shop, "QI2041900127")
    assert answer.status == 200
    assert answer.body == {"success": -9, "data": [], "msg": "查無此訂單: QI2041900127"}


def test_another_accounts_order_is_minus_9(shop):
    account = new_account(shop, rate_limit=None)
    (number,) = add_orders(shop, account["appid"], [{}])
    assert detail(shop, number, account).status == 200
    assert detail(shop, number).body == {"success": -9, "data": [], "msg": f"查無此訂單: {number}"}


def test_the_detail_has_every_field_of_the_seeds_example_in_order(details):
    kinds = set()
    for data in details:
        assert list(data) == ["order", "cart", "receipt", "shipping_tracking"]
        assert list(data["order"]) == SEED_DETAIL_FIELDS
        assert list(data["cart"]) == SEED_CART_FIELDS
        for line in data["cart"]["products"]:
            kinds.add(line["product_type"])
            assert list(line) == SEED_LINE_FIELDS[line["product_type"]]
            for item in line.get("bundle", []):
                assert list(item) == SEED_BUNDLE_ITEM_FIELDS
        for receipt in data["receipt"]:
            assert list(receipt) == SEED_RECEIPT_FIELDS
        for entry in data["shipping_tracking"]:
            assert list(entry) == SEED_TRACKING_FIELDS
        for custom in data["order"]["custom_fields"]:
            assert list(custom) == ["label", "value"]
    assert kinds == {"single", "bundle", "charge"}


def test_the_seed_fixture_has_the_same_fields():
    fixture = data_dir("fixtures") / "oneshop" / "order-detail.json"
    if not fixture.is_file():
        pytest.skip("fixtures/oneshop/order-detail.json not written yet")
    seed = json.loads(fixture.read_text(encoding="utf-8"))["data"]
    assert list(seed["order"]) == SEED_DETAIL_FIELDS
    assert list(seed["cart"]) == SEED_CART_FIELDS
    assert {line["product_type"]: list(line) for line in seed["cart"]["products"]} == SEED_LINE_FIELDS
    assert list(seed["receipt"][0]) == SEED_RECEIPT_FIELDS
    assert list(seed["shipping_tracking"][0]) == SEED_TRACKING_FIELDS


def test_cart_totals_add_up_for_every_order(details):
    for data in details:
        cart, order = data["cart"], data["order"]
        for line in cart["products"]:
            assert line["line_total"] == line["quantity"] * line["per_cost"]
            assert all(isinstance(line[k], int) for k in ("quantity", "per_cost", "line_total"))
        assert cart["sub_total"] == sum(line["line_total"] for line in cart["products"])
        assert cart["sub_total"] + cart["logistic_fee"] + cart["payment_fee"] - cart["refund"] == cart["total_price"]
        assert cart["total_price"] == order["total_price"] >= 0


def test_bundles_nest_their_items(details):
    bundles = [line for data in details for line in data["cart"]["products"] if line["product_type"] == "bundle"]
    assert bundles
    for line in bundles:
        assert line["bundle"] and all(item["quantity"] >= 1 and item["name"] for item in line["bundle"])


def test_dates_are_utc8_text_or_empty_when_unset(details):
    for data in details:
        order = data["order"]
        assert DATE.fullmatch(order["create_date"])
        paid = order["payment_status"] in ("paid", "refunded")
        assert bool(order["payment_date"]) == paid, order
        if paid:
            assert order["payment_date"] >= order["create_date"]
        for entry in data["shipping_tracking"]:
            assert DATE.fullmatch(entry["shipping_date"]) and DATE.fullmatch(entry["create_date"])
            assert entry["store_arrived_date"] == "" or DATE.fullmatch(entry["store_arrived_date"])


def test_order_numbers_are_page_prefix_year_digit_mmdd_and_a_5_digit_serial(details):
    for data in details:
        order = data["order"]
        created = datetime.strptime(order["create_date"], "%Y-%m-%d %H:%M:%S")
        expected = f"{order['page_prefix']}{created.year % 10}{created:%m%d}"
        assert re.fullmatch(r"[A-Z]{2}\d{10}", order["order_number"]), order["order_number"]
        assert order["order_number"][:7] == expected


def test_pay_on_delivery_orders_stay_cod_until_received(details):
    seen = set()
    for data in details:
        order = data["order"]
        if order["payment"] in ("cod", "c2c"):
            seen.add(order["payment"])
            if order["logistic_status"] == "received":
                assert order["payment_status"] == "paid"
            else:
                assert order["payment_status"] == "cod" and order["payment_date"] == ""
        if order["payment_status"] == "cod":
            assert order["payment"] in ("cod", "c2c")
    assert seen == {"cod", "c2c"}


def test_shipped_orders_have_a_tracking_entry_and_unshipped_ones_none(details):
    for data in details:
        order, tracking = data["order"], data["shipping_tracking"]
        if order["logistic"] in ("virtual", "local_pickup") or order["logistic_status"] in ("pending", "prepare", "delay"):
            assert tracking == []
        else:  # send, shipped, delivered, received, abnormal, returning, returned: went through a carrier
            assert len(tracking) == 1 and tracking[0]["provider"] and tracking[0]["tracking_number"]
        for entry in tracking:
            if order["logistic"] in CVS and order["logistic_status"] in ("delivered", "received"):
                assert entry["store_arrived_date"] >= entry["shipping_date"]
            if order["logistic"] not in CVS:
                assert entry["store_arrived_date"] == ""


def test_home_delivery_uses_the_seeds_carrier_and_trace_url(details):
    entries = [t for d in details if d["order"]["logistic"] == "home" for t in d["shipping_tracking"]]
    assert entries
    assert {(t["provider"], t["url"]) for t in entries} == {("黑貓宅急便", "http://www.t-cat.com.tw/Inquire/Trace.aspx")}


def test_cancelled_orders_are_refunded_or_never_paid(details):
    cancelled = [d for d in details if d["order"]["progress_status"] == "cancelled"]
    assert cancelled
    for data in cancelled:
        order = data["order"]
        assert order["payment_status"] in ("refunded", "pending", "cod")
        if order["payment_status"] == "refunded":
            assert data["cart"]["refund"] > 0 and order["total_price"] == 0
            assert all(r["status"] in (0, 2) for r in data["receipt"])
        else:
            assert order["payment_date"] == "" and data["cart"]["refund"] == 0


def test_addresses_follow_the_logistic(details):
    for data in details:
        order = data["order"]
        logistic = order["logistic"]
        if logistic in CVS:
            assert order["address"] == "" and order["cvs_store_id"] and order["cvs_store_name"]
            assert order["cvs_store_address"].startswith(order["county_and_city"] + order["area"])
        else:
            assert order["cvs_store_id"] == order["cvs_store_name"] == order["cvs_store_address"] == ""
        if logistic.startswith("oversea"):
            assert order["country"] != "TW" and order["address_oversea"]
            assert order["county_and_city"] == order["area"] == order["zip_code"] == order["address"] == ""
        else:
            assert order["country"] == "TW" and order["address_oversea"] == ""
        if logistic in ("virtual", "local_pickup"):
            assert order["county_and_city"] == order["address"] == ""
        elif not logistic.startswith("oversea"):
            places = ISLANDS if logistic.startswith("island") else {c: dict(p) for c, p in TW_PLACES.items()}
            assert places[order["county_and_city"]][order["area"]] == order["zip_code"]
        if logistic in ("home", "home_refrige", "home_freeze", "mailing") or logistic.startswith("island"):
            assert re.search(r"\d+號", order["address"])


def test_store_names_and_ids_look_like_the_chains(details):
    for data in details:
        order = data["order"]
        chain = order["logistic"].split("_")[0]
        if chain == "uni":
            assert re.fullmatch(r"7-11\w+門市", order["cvs_store_name"]) and re.fullmatch(r"\d{6}", order["cvs_store_id"])
        elif chain == "fami":
            assert re.fullmatch(r"全家\w+店", order["cvs_store_name"]) and re.fullmatch(r"\d{6}", order["cvs_store_id"])
        elif chain == "hilife":
            assert re.fullmatch(r"萊爾富\w+店", order["cvs_store_name"])


def test_customers_are_taiwanese(details):
    for data in details:
        order = data["order"]
        assert re.fullmatch(r"09\d{8}", order["phone"])
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,4}", order["name"]), order["name"]
        assert order["gender"] in ("none", "male", "female")
        assert re.fullmatch(r"\d{1,3}(\.\d{1,3}){3}", order["order_ip"])
        assert "@" in order["email"]


def test_invoices_are_issued_when_paid_and_wait_otherwise(details):
    receipts = [(d["order"], r) for d in details for r in d["receipt"]]
    assert {r["type"] for _, r in receipts} == {0, 1, 2}
    for order, receipt in receipts:
        assert receipt["status"] in (0, 1, 2) and receipt["tax_type"] in (1, 2, 3, 4)
        if receipt["status"] == 0:
            assert receipt["invoice_number"] == receipt["invoice_date"] == "" and receipt["sales_amount"] == 0
        else:
            assert re.fullmatch(r"[A-Z]{2}\d{8}", receipt["invoice_number"]) and DATE.fullmatch(receipt["invoice_date"])
            assert re.fullmatch(r"\d{4}", receipt["random_number"])
        if order["payment_status"] == "paid":
            assert receipt["status"] == 1 and receipt["sales_amount"] == order["total_price"]
        if receipt["type"] == 1:
            assert re.fullmatch(r"\d{3,7}", receipt["love_code"])
        if receipt["type"] == 2:
            assert receipt["receipt_title"] and _ubn_ok(receipt["tax_num"])
        if receipt["type"] == 0 and receipt["carruer_type"] == 1:
            assert re.fullmatch(r"/[0-9A-Z+\-.]{7}", receipt["carruer_num"])


def _ubn_ok(number: str) -> bool:
    weights = (1, 2, 1, 2, 1, 2, 4, 1)
    total = sum(sum(divmod(int(d) * w, 10)) for d, w in zip(number, weights))
    return len(number) == 8 and (total % 10 == 0 or (number[6] == "7" and (total + 1) % 10 == 0))


def test_third_party_numbers_appear_once_paid_or_shipped(details):
    for data in details:
        order = data["order"]
        if order["payment_status"] in ("pending", "need_confirm", "cod"):
            assert order["payment_third_party_no"] == ""
        if order["logistic"] in CVS and data["shipping_tracking"]:
            assert re.fullmatch(r"[A-Z]\d{8}", order["logistics_shipping_no"])
        if order["logistic_status"] == "pending" and order["progress_status"] != "cancelled":
            assert order["logistics_third_party_no"] == ""
        assert order["shop_url"].startswith("https://") and order["order_url"].startswith("https://tinyurl.com/")
