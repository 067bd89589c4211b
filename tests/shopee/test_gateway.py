"""The gateway's common errors (common_error_list of every v2 API), verbatim, with their HTTP
status, the order of the checks, and the answers for unknown, v1 and not-emulated paths."""
from __future__ import annotations

import pytest

from tests.shopee.auth_support import HOUR, advance, assert_error, new_partner, new_shop, raw_query
from tests.shopee.order_support import make_order, order

SHOP_INFO = "/api/v2/shop/get_shop_info"
SHOPS = "/api/v2/public/get_shops_by_partner"

NO_PARTNER_ID = ("error_param", "There is no partner_id in query.", 400)
BAD_PARTNER_ID = ("error_param", "Partner_id is invalid, should be an integer between 0 and 4294967295.", 400)
UNKNOWN_PARTNER_ID = ("error_param", "Invalid partner_id.", 400)
NO_TIMESTAMP = ("error_param", "no timestamp", 400)
BAD_TIMESTAMP = ("error_param", "Timestamp is invalid, should be an integer between 0 and 4294967295.", 400)
EXPIRED = ("error_param", "Timestamp is expired.", 400)
NO_SIGN = ("error_param", "There is no sign in query.", 400)
WRONG_SIGN = ("error_sign", "Wrong sign.", 403)
NO_ACCESS_TOKEN = ("error_param", "There is no access_token in query.", 400)
NO_SHOP_ID = ("error_param", "There is no shop_id in query.", 400)
BAD_SHOP_ID = ("error_param", "shop_id is invalid, should be an integer between 0 and 4294967295.", 400)
INVALID_TOKEN = ("error_auth", "Invalid access_token.", 403)
NOT_LINKED = ("error_auth", "Invalid partner_id or shopid.", 403)
NO_PERMISSION = ("error_api_permission", "This app type has no permission to this API.", 403)
UNKNOWN_PATH = ("error_param", "Permission denied. This API is currently offline or the request path is incorrect.", 404)
SUSPENDED = ("api_suspended", "The API is offline. Please call v2 API instead.", 404)


def call(sandbox, path=SHOP_INFO, shop=True, creds=None, timestamp=None, **kwargs):
    creds = creds or sandbox.creds
    now = sandbox.now() if timestamp is None else timestamp
    return sandbox.request("GET", path, raw_query(creds, path, now, shop=shop, **kwargs))


# ---- partner_id -------------------------------------------------------------------------------
@pytest.mark.parametrize("path,shop", [(SHOP_INFO, True), (SHOPS, False)])
def test_missing_partner_id(sandbox, path, shop):
    assert_error(call(sandbox, path, shop, drop=("partner_id",)), *NO_PARTNER_ID)
    assert_error(call(sandbox, path, shop, partner_id=""), *NO_PARTNER_ID)


@pytest.mark.parametrize("bad", ["abc", "-1", "4294967296", "99999999999", "1.5", "+2001887", " 2001887", "2_001"])
def test_invalid_partner_id(sandbox, bad):
    assert_error(call(sandbox, partner_id=bad), *BAD_PARTNER_ID)


def test_unknown_partner_id(sandbox):
    stranger = {**sandbox.creds, "partner_id": 4294967295}
    assert_error(call(sandbox, creds=stranger), *UNKNOWN_PARTNER_ID)
    assert_error(call(sandbox, SHOPS, False, creds=stranger), *UNKNOWN_PARTNER_ID)


# ---- timestamp --------------------------------------------------------------------------------
def test_missing_timestamp(sandbox):
    assert_error(call(sandbox, drop=("timestamp",)), *NO_TIMESTAMP)
    assert_error(call(sandbox, SHOPS, False, replace={"timestamp": ""}), *NO_TIMESTAMP)


@pytest.mark.parametrize("bad", ["abc", "-5", "1795000000.0", "4294967296", "1e9"])
def test_invalid_timestamp(sandbox, bad):
    assert_error(call(sandbox, replace={"timestamp": bad}), *BAD_TIMESTAMP)


def test_timestamp_older_than_five_minutes_is_expired(sandbox):
    now = sandbox.now()
    assert call(sandbox, timestamp=now - 300).status == 200
    assert_error(call(sandbox, timestamp=now - 301), *EXPIRED)
    assert_error(call(sandbox, SHOPS, False, timestamp=now - 301), *EXPIRED)


def test_timestamp_more_than_five_minutes_ahead_is_expired(sandbox):
    now = sandbox.now()
    assert call(sandbox, timestamp=now + 300).status == 200
    assert_error(call(sandbox, timestamp=now + 301), *EXPIRED)


def test_timestamp_expires_on_the_sandbox_clock(sandbox):
    """A query signed now stops working once the sandbox clock has moved 301 s, with no sleep."""
    now = sandbox.now()
    query = raw_query(sandbox.creds, SHOP_INFO, now)
    advance(sandbox, 300)
    assert sandbox.request("GET", SHOP_INFO, query).status == 200
    advance(sandbox, 1)
    assert_error(sandbox.request("GET", SHOP_INFO, query), *EXPIRED)


# ---- sign -------------------------------------------------------------------------------------
def test_missing_sign(sandbox):
    assert_error(call(sandbox, drop=("sign",)), *NO_SIGN)
    assert_error(call(sandbox, SHOPS, False, sign=""), *NO_SIGN)


def test_wrong_sign(sandbox):
    assert_error(call(sandbox, sign="0" * 64), *WRONG_SIGN)
    assert_error(call(sandbox, SHOPS, False, sign="0" * 64), *WRONG_SIGN)


# ---- access_token and shop_id -----------------------------------------------------------------
def test_missing_access_token(sandbox):
    assert_error(call(sandbox, drop=("access_token",)), *NO_ACCESS_TOKEN)
    assert_error(call(sandbox, access_token=""), *NO_ACCESS_TOKEN)


def test_missing_shop_id(sandbox):
    assert_error(call(sandbox, drop=("shop_id",)), *NO_SHOP_ID)


@pytest.mark.parametrize("bad", ["abc", "-1", "4294967296", "1.0"])
def test_invalid_shop_id(sandbox, bad):
    assert_error(call(sandbox, shop_id=bad), *BAD_SHOP_ID)


def test_public_api_needs_no_access_token_or_shop_id(sandbox):
    answer = call(sandbox, SHOPS, False)
    assert answer.status == 200 and answer.body["error"] == ""


def test_unknown_access_token_is_invalid(sandbox):
    creds = {**sandbox.creds, "access_token": "7a" * 16}
    assert_error(call(sandbox, creds=creds), *INVALID_TOKEN)


def test_access_token_expires_after_four_hours_on_the_sandbox_clock(sandbox):
    advance(sandbox, 4 * HOUR - 1)
    assert call(sandbox).status == 200
    advance(sandbox, 1)
    assert_error(call(sandbox), *INVALID_TOKEN)


def test_access_token_of_another_shop_is_invalid(sandbox):
    partner = {k: sandbox.creds[k] for k in ("partner_id", "partner_key")}
    second = new_shop(sandbox, partner)
    creds = {**second, "access_token": sandbox.creds["access_token"]}
    assert_error(call(sandbox, creds=creds), *INVALID_TOKEN)


def test_shop_not_authorised_to_the_partner(sandbox):
    stranger_shop = new_shop(sandbox)  # authorised to nobody
    creds = {**sandbox.creds, "shop_id": stranger_shop["shop_id"]}
    assert_error(call(sandbox, creds=creds), *NOT_LINKED)
    # A shop of another partner, with that partner's own valid token, still is not ours.
    other = new_partner(sandbox)
    theirs = new_shop(sandbox, other)
    assert_error(call(sandbox, creds={**sandbox.creds, "shop_id": theirs["shop_id"],
                                      "access_token": theirs["access_token"]}), *NOT_LINKED)
    assert_error(call(sandbox, creds={**sandbox.creds, "shop_id": 4294967295}), *NOT_LINKED)


# ---- the order of the checks ------------------------------------------------------------------
def test_unknown_partner_comes_before_wrong_sign(sandbox):
    assert_error(call(sandbox, partner_id=4294967295, sign="0" * 64), *UNKNOWN_PARTNER_ID)


def test_missing_parameters_come_before_the_partner_lookup(sandbox):
    assert_error(call(sandbox, partner_id=4294967295, drop=("sign",)), *NO_SIGN)
    assert_error(call(sandbox, partner_id=4294967295, drop=("access_token",)), *NO_ACCESS_TOKEN)
    assert_error(call(sandbox, drop=("partner_id", "timestamp", "sign")), *NO_PARTNER_ID)
    assert_error(call(sandbox, drop=("timestamp", "sign")), *NO_TIMESTAMP)


def test_expired_timestamp_comes_before_wrong_sign(sandbox):
    assert_error(call(sandbox, timestamp=sandbox.now() - 301, sign="0" * 64), *EXPIRED)


def test_wrong_sign_comes_before_token_and_shop_checks(sandbox):
    assert_error(call(sandbox, access_token="nope", shop_id=4294967295), *WRONG_SIGN)


def test_app_type_permission_comes_before_the_shop_checks(sandbox):
    accounting = new_partner(sandbox, "Accounting And Finance")
    creds = {**accounting, "shop_id": 4294967295, "access_token": "nope"}
    path = "/api/v2/order/get_order_list"
    assert_error(call(sandbox, path, creds=creds), *NO_PERMISSION)


def test_shop_link_comes_before_the_access_token(sandbox):
    creds = {**sandbox.creds, "shop_id": 4294967295, "access_token": "nope"}
    assert_error(call(sandbox, creds=creds), *NOT_LINKED)


def test_a_refused_call_changes_nothing(sandbox):
    order_sn = make_order(sandbox)
    before = order(sandbox, order_sn)
    for kwargs in ({"sign": "0" * 64}, {"timestamp": sandbox.now() - 301}, {"access_token": "nope"}):
        path = "/api/v2/order/cancel_order"
        timestamp = kwargs.pop("timestamp", sandbox.now())
        query = raw_query(sandbox.creds, path, timestamp, **kwargs)
        answer = sandbox.request("POST", path, query, json_body={"order_sn": order_sn,
                                                                 "cancel_reason": "OUT_OF_STOCK"})
        assert answer.status in (400, 403) and answer.error, answer.body
    after = order(sandbox, order_sn)
    assert after == before


# ---- paths ------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/api/v2/", "/api/v2/nothing", "/api/v2/foo/bar", "/api/v2/order/get_ordr_list",
                                  "/api/v2/order/get_order_list/extra", "/api/v2/shop/get_shop_info/",
                                  "/api/v2/Order/get_order_list", "/api/v2/auth/token/refresh"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_unknown_path_under_v2(sandbox, path, method):
    answer = sandbox.request(method, path, raw_query(sandbox.creds, path, sandbox.now()))
    assert_error(answer, *UNKNOWN_PATH)
    assert answer.headers["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("path", ["/api/v1/orders/basics", "/api/v1/shop/auth_partner", "/api/v1/x"])
def test_v1_paths_are_suspended(sandbox, path):
    assert_error(sandbox.request("POST", path, json_body={}), *SUSPENDED)


def test_unknown_v2_and_v1_paths_over_http(live):
    assert_error(live.request("GET", "/api/v2/foo/bar"), *UNKNOWN_PATH)
    assert_error(live.request("POST", "/api/v1/orders/basics", json_body={}), *SUSPENDED)


@pytest.mark.parametrize("path,method,shop", [
    ("/api/v2/product/get_item_list", "GET", True),          # module outside the reference (seed 000)
    ("/api/v2/logistics/get_address_list", "GET", True),     # in the reference, not emulated
    ("/api/v2/shop/update_profile", "POST", True),
    ("/api/v2/public/get_shopee_ip_ranges", "GET", False),   # public sign
    ("/api/v2/public/get_merchants_by_partner", "GET", False),
])
def test_real_api_not_emulated_is_checked_then_refused_in_json(sandbox, path, method, shop):
    now = sandbox.now()
    assert_error(sandbox.request(method, path, raw_query(sandbox.creds, path, now, shop=shop, drop=("sign",))),
                 *NO_SIGN)
    assert_error(sandbox.request(method, path, raw_query(sandbox.creds, path, now, shop=shop, sign="0" * 64)),
                 *WRONG_SIGN)
    answer = sandbox.request(method, path, raw_query(sandbox.creds, path, now, shop=shop),
                             json_body={} if method == "POST" else None)
    name = "v2." + path.removeprefix("/api/v2/").replace("/", ".")
    assert_error(answer, "error_not_found",
                 f"shop-sandbox does not emulate {name}; see the README's list of emulated APIs.", 404)
    assert answer.headers["Content-Type"].startswith("application/json")


def test_real_api_not_emulated_keeps_its_method(sandbox):
    path = "/api/v2/shop/get_profile"  # GET in the reference
    answer = sandbox.request("POST", path, raw_query(sandbox.creds, path, sandbox.now()), json_body={})
    assert answer.status == 405 and answer.error == "error_param", answer.body
