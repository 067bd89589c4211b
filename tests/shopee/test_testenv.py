"""Issue 11, point 10: seed 000's test environment. At most 8 test shops per developer account
(step 5-1), test shops that expire and are restored with their data (5-2, 5-3), and test orders
paid through the dummy payment channel (5-10)."""
from __future__ import annotations

from tests.conftest import T0
from tests.shopee.lenient_support import not_warned, strict, warned
from tests.shopee.order_support import DAY, advance, detail, make_order, new_shop, order
from tests.shopee.test_auth_flow import open_page, ticket_of

SUBMIT = "/_sandbox/shopee/auth_page/submit"


def shop_count(sandbox) -> int:
    return len(sandbox.admin("GET", "/credentials").body["shopee"]["shops"])


# ---- at most 8 test shops ------------------------------------------------------------------------
def test_the_ninth_test_shop_is_refused_until_the_cap_is_lifted_over_http(live):
    assert shop_count(live) == 1  # the default world's shop counts
    for _ in range(7):
        assert live.admin("POST", "/shopee/shops", {}).status == 201
    refused = live.admin("POST", "/shopee/shops", {"region": "SG"})
    assert refused.status == 409 and refused.error == "test_shop_limit", refused.body
    assert refused.body["test_shop_limit"] == 8 and "at most 8 test shops" in refused.message
    assert shop_count(live) == 8
    assert live.admin("POST", "/shopee/settings", {"test_shop_limit": None}).status == 200
    assert live.admin("POST", "/shopee/shops", {"region": "SG"}).status == 201
    assert live.admin("POST", "/shopee/settings", {"test_shop_limit": 3}).status == 200  # keeps the 9
    assert live.admin("POST", "/shopee/shops", {}).status == 409 and shop_count(live) == 9


# ---- expiry and restore ----------------------------------------------------------------------------
def test_a_test_shop_expires_after_90_days_unless_told_otherwise(sandbox):
    shop = sandbox.admin("POST", "/shopee/shops", {}).body
    assert (shop["expire_time"], shop["expired"]) == (T0 + 90 * DAY, False)
    assert sandbox.admin("POST", "/shopee/settings", {"test_shop_days": None}).status == 200
    assert sandbox.admin("POST", "/shopee/shops", {}).body["expire_time"] is None
    assert sandbox.admin("POST", "/shopee/shops", {"expire_time": T0 + 5}).body["expire_time"] == T0 + 5


def test_an_expired_test_shop_answers_with_a_warning_and_is_restored_over_http(live):
    creds = new_shop(live)
    assert live.admin("POST", "/shopee/settings", {"test_shop_days": 10}).status == 200
    shop_id = creds["shop_id"]
    live.admin("POST", f"/shopee/shops/{shop_id}/restore")  # a new expiration date: 10 days from now
    advance(live, 10 * DAY)
    assert live.admin("GET", f"/shopee/shops/{shop_id}").body["expired"] is True
    creds = {**creds, **_fresh_token(live, creds)}
    answer = live.shopee("GET", "shop/get_shop_info", creds=creds)
    assert answer.status == 200, answer.body
    warned(live, answer, f"test shop {shop_id} expired", "restore")
    strict(live)
    refused = live.shopee("GET", "shop/get_shop_info", creds=creds)
    assert (refused.status, refused.error, refused.message) == (400, "error_shop", "shopid is invalid")
    restored = live.admin("POST", f"/shopee/shops/{shop_id}/restore")
    assert restored.status == 200 and restored.body["expired"] is False
    assert restored.body["expire_time"] == live.now() + 10 * DAY
    answer = live.shopee("GET", "shop/get_shop_info", creds=creds)
    assert answer.status == 200
    not_warned(live, answer)


def _fresh_token(client, creds) -> dict:
    answer = client.shopee("POST", "auth/access_token/get", {"refresh_token": creds["refresh_token"],
                                                             "partner_id": creds["partner_id"],
                                                             "shop_id": creds["shop_id"]}, creds=creds, shop=False)
    assert answer.status == 200, answer.body
    return {"access_token": answer.body["access_token"], "refresh_token": answer.body["refresh_token"]}


def test_an_expired_shop_on_the_authorisation_page(sandbox):
    shop = sandbox.admin("POST", "/shopee/shops", {"expire_time": T0}).body
    assert shop["expired"] is True
    creds = sandbox.creds
    answer = sandbox.admin("POST", "/shopee/authorize", {"partner_id": creds["partner_id"], "shop_id": shop["shop_id"],
                                                         "redirect": "https://erp.example.com/cb"})
    assert answer.status == 200  # the admin shortcut is no login
    form = {"ticket": ticket_of(open_page(sandbox, creds).text), "shop_id": str(shop["shop_id"]),
            "password": shop["password"], "otp": "123456"}
    lenient = sandbox.request("POST", SUBMIT, data=form)
    assert lenient.status == 302 and "X-Sandbox-Warning" in lenient.headers
    strict(sandbox)
    form["ticket"] = ticket_of(open_page(sandbox, creds).text)
    refused = sandbox.request("POST", SUBMIT, data=form)
    assert refused.status == 403 and "expired" in refused.text


def test_restore_of_an_unknown_shop_is_404(sandbox):
    assert sandbox.admin("POST", "/shopee/shops/4294967295/restore").status == 404


# ---- the dummy payment channel ------------------------------------------------------------------------
def test_test_orders_are_paid_through_the_dummy_channel(live):
    sn = make_order(live)
    assert order(live, sn)["payment_method"] == "Dummy Channel"
    got = detail(live, sn, "payment_method")
    assert (got["payment_method"], got["cod"]) == ("Dummy Channel", False)
    br = new_shop(live, "BR")
    sn = make_order(live, br["shop_id"], payment_method="Dummy Channel")
    assert detail(live, sn, "payment_method", creds=br)["payment_method"] == "Dummy Channel"
    cod = make_order(live, payment_method="Cash on Delivery", logistics_channel_id=30005)
    assert order(live, cod)["cod"] is True  # naming another method still works
