"""App types (seed 000's table) and each API's `api_permission` (the reference JSONs): who may call
what, checked through real calls; and the catalogue's transcription of the reference."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from mockserver.shopee import catalog
from tests.conftest import T0
from tests.shopee.auth_support import DAY, assert_error, new_partner, new_shop, raw_query
from tests.shopee.order_support import make_order

REFERENCE_DIR = Path(__file__).resolve().parents[3] / "shared" / "reference" / "shopee-v2-api"
APP_TYPES = ("ERP System", "Seller In House System", "Product Management", "Order Management",
             "Accounting And Finance", "Marketing", "Customer Service")
ERP, SIH, PRODUCT, ORDER, ACCOUNTING, MARKETING, CS = APP_TYPES
NO_PERMISSION = ("error_api_permission", "This app type has no permission to this API.", 403)
# Paths of the emulated APIs with no reference JSON: the pages every app type opens.
PAGES = {"/api/v2/shop/auth_partner", "/api/v2/shop/cancel_auth_partner", "/api/v2/push/set_push_config"}
# Minimal valid-looking arguments so an allowed call gets past the gateway into the handler.
ARGS = {
    "/api/v2/order/get_order_list": {"time_range_field": "create_time", "time_from": T0 - DAY, "time_to": T0,
                                     "page_size": 10},
    "/api/v2/order/get_shipment_list": {"page_size": 10},
    "/api/v2/shop/auth_partner": {"redirect": "https://erp.example.com/cb"},
    "/api/v2/shop/cancel_auth_partner": {"redirect": "https://erp.example.com/cb"},
}


def reference_files():
    if not REFERENCE_DIR.is_dir():
        pytest.skip(f"the reference JSONs are not at {REFERENCE_DIR}")
    return [json.loads(p.read_text()) for p in sorted(REFERENCE_DIR.glob("v2.*.json"))]


def reference_permissions() -> dict[str, set[str]]:
    return {doc["path"]: set(doc["api_permission"]) & set(APP_TYPES) for doc in reference_files()}


def app(sandbox, app_type, region="SG"):
    """A partner of this app type, a shop of `region` authorised to it, and one order of that shop.
    The reference's api_permission lists apply outside TW; TW shops follow seed 000's table
    (test_permissions_tw.py)."""
    partner = new_partner(sandbox, app_type)
    creds = new_shop(sandbox, partner, region)
    creds["order_sn"] = make_order(sandbox, creds["shop_id"])
    return creds


def call(sandbox, creds, path, method=None, params=None):
    entry = catalog.REGISTRY.get(path)
    real = catalog.real_api(path, method or "GET")
    method = method or (entry.method if entry else real.method)
    api_type = entry.api_type if entry else real.api_type
    query = raw_query(creds, path, sandbox.now(), shop=api_type == "shop")
    if method == "GET":
        query.update(params or {})
        return sandbox.request("GET", path, query)
    return sandbox.request(method, path, query, json_body=params or {})


def allowed(answer) -> bool:
    """Past the gateway: anything but the permission error, and no other gateway error either."""
    assert answer.error not in ("error_sign", "error_auth"), answer.body
    assert not answer.message.startswith(("There is no", "Timestamp", "Invalid partner")), answer.body
    return answer.error != "error_api_permission"


# ---- the catalogue against the reference -----------------------------------------------------
def test_catalog_reference_table_matches_the_reference_jsons():
    docs = reference_files()
    assert set(catalog.REFERENCE) == {doc["path"] for doc in docs}
    for doc in docs:
        entry = catalog.REFERENCE[doc["path"]]
        assert entry.method == ("GET" if doc["method"] == 2 else "POST"), doc["path"]
        assert entry.api_type == doc["api_type"].lower(), doc["path"]
        assert set(entry.permissions) == set(doc["api_permission"]) & set(APP_TYPES), doc["path"]


def test_emulated_apis_carry_the_reference_method_type_and_permission():
    refs = {doc["path"]: doc for doc in reference_files()}
    for path, entry in catalog.REGISTRY.items():
        if path in PAGES:
            assert entry.permissions is None
            continue
        doc = refs[path]
        assert entry.method == ("GET" if doc["method"] == 2 else "POST"), path
        assert entry.api_type == doc["api_type"].lower(), path
        wanted = set(doc["api_permission"]) & set(APP_TYPES)
        assert set(entry.permissions or APP_TYPES) == wanted, path


# ---- every emulated API, every app type, through real calls ---------------------------------
@pytest.mark.parametrize("app_type", APP_TYPES)
def test_each_app_type_calls_exactly_the_emulated_apis_its_reference_permission_allows(sandbox, app_type):
    perms = reference_permissions()
    creds = app(sandbox, app_type)
    mismatches = []
    for path in sorted(catalog.REGISTRY):
        wanted = app_type in perms.get(path, set(APP_TYPES))
        answer = call(sandbox, creds, path, params=ARGS.get(path))
        if allowed(answer) != wanted:
            mismatches.append((path, wanted, answer.status, answer.error, answer.message))
        if not wanted:
            assert_error(answer, *NO_PERMISSION)
    assert mismatches == []


def test_order_management_may_not_call_product_apis(sandbox):
    creds = app(sandbox, ORDER)
    assert_error(call(sandbox, creds, "/api/v2/product/get_item_list"), *NO_PERMISSION)
    assert_error(call(sandbox, creds, "/api/v2/product/update_stock", "POST"), *NO_PERMISSION)
    ok = call(sandbox, creds, "/api/v2/order/get_order_detail", params={"order_sn_list": creds["order_sn"]})
    assert ok.status == 200, ok.body


def test_accounting_may_call_get_order_detail_but_not_get_order_list(sandbox):
    creds = app(sandbox, ACCOUNTING)
    detail = call(sandbox, creds, "/api/v2/order/get_order_detail", params={"order_sn_list": creds["order_sn"]})
    assert detail.status == 200, detail.body
    assert detail.body["response"]["order_list"][0]["order_sn"] == creds["order_sn"]
    assert_error(call(sandbox, creds, "/api/v2/order/get_order_list", params=ARGS["/api/v2/order/get_order_list"]),
                 *NO_PERMISSION)


def test_product_management_may_not_call_order_apis(sandbox):
    creds = app(sandbox, PRODUCT)
    for path, method in (("/api/v2/order/get_order_list", None), ("/api/v2/order/get_order_detail", None),
                         ("/api/v2/order/cancel_order", None), ("/api/v2/logistics/ship_order", None),
                         ("/api/v2/order/get_package_detail", None)):
        assert_error(call(sandbox, creds, path, method), *NO_PERMISSION)
    assert call(sandbox, creds, "/api/v2/shop/get_shop_info").status == 200
    assert call(sandbox, creds, "/api/v2/logistics/get_channel_list").status == 200


@pytest.mark.parametrize("app_type", [ERP, SIH])
def test_erp_and_seller_in_house_call_every_emulated_api(sandbox, app_type):
    creds = app(sandbox, app_type)
    for path in sorted(catalog.REGISTRY):
        answer = call(sandbox, creds, path, params=ARGS.get(path))
        assert allowed(answer), (path, answer.body)
    detail = call(sandbox, creds, "/api/v2/order/get_order_detail", params={"order_sn_list": creds["order_sn"]})
    assert detail.status == 200, detail.body


# ---- APIs the sandbox does not emulate keep their permission ----------------------------------
# Seed 000's table for modules outside the reference (v1 groups mapped to v2 modules, "Other APIs").
SEED_TABLE = {
    "/api/v2/product/get_item_list": {ERP, SIH, PRODUCT},
    "/api/v2/product/get_item_base_info": {ERP, SIH, PRODUCT, ORDER, ACCOUNTING, MARKETING, CS},
    "/api/v2/product/get_comment": {ERP, SIH, PRODUCT, ORDER, ACCOUNTING},
    "/api/v2/payment/get_escrow_detail": {ERP, SIH, ACCOUNTING},
    "/api/v2/discount/get_discount": {ERP, SIH, MARKETING, ORDER, ACCOUNTING},
    "/api/v2/discount/add_discount": {ERP, SIH, MARKETING},
    "/api/v2/sellerchat/get_conversation_list": {ERP, SIH, CS},
    "/api/v2/first_mile/get_unbind_order_list": {ERP, SIH, ORDER},
    "/api/v2/returns/get_return_list": {ERP, SIH},
}


@pytest.mark.parametrize("app_type", APP_TYPES)
def test_not_emulated_apis_answer_permission_or_not_emulated_by_app_type(sandbox, app_type):
    creds = app(sandbox, app_type)
    perms = reference_permissions()
    table = dict(SEED_TABLE)
    table.update({p: perms[p] for p in ("/api/v2/shop/get_profile", "/api/v2/shop/get_shop_notification",
                                        "/api/v2/order/get_package_detail", "/api/v2/public/get_shopee_ip_ranges")})
    for path, who in table.items():
        answer = call(sandbox, creds, path)
        if app_type in who:
            assert (answer.status, answer.error) == (404, "error_not_found"), (path, answer.body)
            assert "does not emulate" in answer.message
        else:
            assert_error(answer, *NO_PERMISSION)


# ---- app types at the admin API ----------------------------------------------------------------
@pytest.mark.parametrize("spelling,name", [("Order Management", ORDER), ("accounting and finance", ACCOUNTING),
                                           ("Seller In-house System", SIH), ("ERP", ERP)])
def test_admin_partner_app_type_spellings(sandbox, spelling, name):
    assert new_partner(sandbox, spelling)["app_type"] == name


def test_admin_refuses_an_unknown_app_type(sandbox):
    answer = sandbox.admin("POST", "/shopee/partners", {"app_type": "Ads Service"})
    assert answer.status == 400, answer.body
