"""The Shopee authorisation page in a real browser: headless Chromium (Debian's), driven by Playwright
(tests/support/browser.py: nothing downloaded), against the live server. Only loopback is used:
the redirect points back at the live server."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit

from playwright.sync_api import expect

from tests.shopee.auth_support import new_shop, shop_info, token_get
from tests.support.browser import requires_chromium
from tests.support.shopee_signer import shopee_sign

pytestmark = requires_chromium


def test_seller_authorises_a_shop_in_chromium_and_the_code_gets_tokens(live, live_server, browser):
    creds = live.creds
    shop = new_shop(live)  # a shop not yet authorised to the default partner
    redirect = f"{live_server.url}/_sandbox/health?x=1"
    path = "/api/v2/shop/auth_partner"
    now = live.now()
    link = f"{live_server.url}{path}?" + urlencode({
        "partner_id": creds["partner_id"], "timestamp": now, "redirect": redirect,
        "sign": shopee_sign(creds["partner_key"], creds["partner_id"], path, now)})

    browser.goto(link)
    expect(browser.locator("h1")).to_contain_text("Authorize shop")
    browser.select_option("#shop_id", str(shop["shop_id"]))

    # A wrong password re-renders the page with an error and grants nothing.
    browser.fill("#password", "not-the-password")
    browser.fill("#otp", "123456")
    browser.click("#approve")
    expect(browser.locator('[role="alert"]')).to_contain_text(re.compile("password", re.I))
    assert urlsplit(browser.url).path == "/_sandbox/shopee/auth_page/submit"
    listed = live.shopee("GET", "public/get_shops_by_partner", shop=False).body["authed_shop_list"]
    assert shop["shop_id"] not in [s["shop_id"] for s in listed]

    # The page keeps the chosen shop; the right password and OTP 123456 redirect with a code.
    browser.fill("#password", shop["password"])
    browser.fill("#otp", "123456")
    browser.click("#approve")
    browser.wait_for_url(re.compile("^" + re.escape(redirect)))
    landed = urlsplit(browser.url)
    query = parse_qs(landed.query)
    assert (landed.path, query["x"], query["shop_id"]) == ("/_sandbox/health", ["1"], [str(shop["shop_id"])])
    expect(browser.locator("body")).to_contain_text('"status"')  # the health JSON, rendered
    assert '"status":"ok"' in browser.inner_text("body").replace(" ", "")

    pair = token_get(live, creds, query["code"][0], shop["shop_id"])
    assert pair.status == 200, pair.body
    assert pair.body["expire_in"] == 14400
    info = shop_info(live, {**creds, "shop_id": shop["shop_id"], "access_token": pair.body["access_token"]})
    assert info.status == 200 and info.body["shop_name"] == shop_name(live, shop["shop_id"])


def shop_name(live, shop_id: int) -> str:
    return next(s["shop_name"] for s in live.admin("GET", "/credentials").body["shopee"]["shops"]
                if s["shop_id"] == shop_id)
