"""The web console in a real browser (headless Chromium, Playwright): a person makes a test order in
a new shop, takes it from paid to delivered with the buttons, sees its pushes arrive, replays one,
advances the clock, watches requests come in and adds a fault. Each result is checked on the page
AND through the admin API. Screenshots of the main pages are saved (tests/support/browser.py)."""
from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
import requests
from playwright.sync_api import Page, expect

from mockserver.admin.guard import TOKEN_COOKIE, TOKEN_HEADER
from mockserver.app import create_app
from mockserver.server import BackgroundServer
from mockserver.testing.inbox import WebhookInbox
from tests.conftest import T0, make_settings
from tests.shopee.push_support import subscribe
from tests.support.browser import requires_chromium

pytestmark = requires_chromium

TOKEN = "console-t0ken"
JOURNEY = [("pay", "READY_TO_SHIP"), ("ship", "PROCESSED"), ("pickup", "SHIPPED"), ("deliver", "TO_CONFIRM_RECEIVE")]


def ready(page: Page) -> None:
    """The page's script is in place (its buttons act): wait for it before clicking."""
    expect(page.locator("html[data-console=ready]")).to_have_count(1)


def shoot(page: Page, folder, name: str) -> None:
    ready(page)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def utc(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M:%S")


@pytest.fixture
def inbox():
    with WebhookInbox() as receiver:
        yield receiver


def test_a_test_order_goes_from_paid_to_delivered_and_its_pushes_show(live, live_server, browser, inbox, screenshots):
    assert subscribe(live, inbox.url).status == 200  # the default partner takes codes 1, 2, 3, 4, 12
    page = browser
    page.goto(live_server.url + "/")
    expect(page).to_have_url(live_server.url + "/_sandbox/ui")  # / redirects to the console
    expect(page.locator("h1")).to_contain_text("The world")
    shoot(page, screenshots, "world")

    # A new TW shop, authorised to the default partner.
    page.select_option("#new-shop-region", "TW")
    page.click("#create-shop")
    page.wait_for_url(re.compile(r"/_sandbox/ui/shopee/shops/\d+$"))
    shop_id = int(page.url.rsplit("/", 1)[1])
    shop = live.admin("GET", f"/shopee/shops/{shop_id}").body
    assert (shop["region"], shop["authorised_partners"]) == ("TW", [live.creds["partner_id"]])

    # One unpaid order in it.
    ready(page)
    page.select_option("#order-status", "UNPAID")
    page.click("#create-orders-button")
    page.wait_for_url(re.compile(r"/_sandbox/ui/shopee/orders/\w+$"))
    order_sn = page.url.rsplit("/", 1)[1]
    expect(page.locator("#order-status")).to_have_text("UNPAID")
    assert live.admin("GET", f"/shopee/orders/{order_sn}").body["shop_id"] == shop_id

    for event, status in JOURNEY:
        ready(page)
        page.click(f"#event-{event}")
        expect(page.locator("#order-status")).to_have_text(status)
        view = live.admin("GET", f"/shopee/orders/{order_sn}").body
        assert view["status"] == status, (event, view["status"])
    expect(page.locator("#history li")).to_have_count(5)
    expect(page.locator(".tracking-number")).not_to_have_text("—")
    assert [s for _, s in live.admin("GET", f"/shopee/orders/{order_sn}").body["history"]] == [
        "UNPAID"] + [s for _, s in JOURNEY]

    # Its pushes appear on its page as they are delivered: code 3 for each status, code 4 for the
    # tracking number.
    rows = page.locator("#order-webhooks tbody tr[data-delivery]")
    expect(rows).to_have_count(6)
    expect(rows.locator(".delivery-status", has_text="succeeded")).to_have_count(6)
    listed = live.request("GET", "/_sandbox/deliveries", query={"contains": order_sn}).body
    assert listed["total"] == 6 and {d["status"] for d in listed["deliveries"]} == {"succeeded"}
    assert sorted(d["event"] for d in listed["deliveries"]) == ["order_status_push"] * 5 + ["order_trackingno_push"]
    received = [r.json() for r in inbox.received if order_sn in r.text()]
    assert sorted(b["data"].get("status", "") for b in received if b["code"] == 3) == sorted(
        ["UNPAID"] + [s for _, s in JOURNEY])
    shoot(page, screenshots, "order")

    # Replay the newest from its delivery page: a second attempt, marked replay, on the page and in the API.
    newest = listed["deliveries"][0]["id"]
    page.click(f'tr[data-delivery="{newest}"] a')
    page.wait_for_url(re.compile(f"/_sandbox/ui/webhooks/{newest}$"))
    expect(page.locator("#attempts tbody tr")).to_have_count(1)
    ready(page)
    page.click("#replay")
    expect(page.locator("#attempts tbody tr")).to_have_count(2)
    expect(page.locator("#attempts tbody tr").nth(1)).to_contain_text("replay")
    attempts = live.admin("GET", f"/deliveries/{newest}").body["attempts"]
    assert [a["replay"] for a in attempts] == [False, True] and attempts[1]["ok"]
    expect(page.locator("#signature")).to_contain_text("Authorization")
    shoot(page, screenshots, "delivery")

    page.goto(live_server.url + "/_sandbox/ui/webhooks")
    expect(page.locator("#deliveries tbody tr[data-delivery]").first).to_be_visible()
    shoot(page, screenshots, "webhooks")

    page.goto(f"{live_server.url}/_sandbox/ui/shopee/shops/{shop_id}")
    expect(page.locator("#orders tbody tr")).to_have_count(1)
    shoot(page, screenshots, "shop")

    # Advance the clock one hour from the Faults & clock page.
    page.goto(live_server.url + "/_sandbox/ui/faults")
    ready(page)
    page.fill("#advance-seconds", "3600")
    page.click("#advance-button")
    expect(page.locator("#clock-value")).to_contain_text(utc(T0 + 3600))
    assert live.admin("GET", "/clock").body["now"] == T0 + 3600
    expect(page.locator("#clock-now")).to_have_text(utc(T0 + 3600))  # the top bar too


def test_requests_appear_live_and_open_whole(live, live_server, browser, screenshots):
    page = browser
    page.goto(live_server.url + "/_sandbox/ui/requests")
    ready(page)
    expect(page.locator("#journal tbody tr.empty-row")).to_have_count(1)
    # A client calls while the page is open: the row appears on top, with its platform and error.
    good = live.shopee("GET", "order/get_order_list", {"time_range_field": "create_time",
                                                        "time_from": T0 - 86400, "time_to": T0, "page_size": 5})
    bad = live.shopee("GET", "order/get_order_detail", {"order_sn_list": "NOSUCHORDER1"})
    assert good.status == 200 and not good.body.get("error")
    assert bad.body.get("error"), bad.body
    journal = live.admin("GET", "/requests").body["requests"]
    newest = journal[-1]
    top = page.locator("#journal tbody tr").first
    expect(top).to_have_attribute("data-id", str(newest["id"]))
    expect(top).to_contain_text("/api/v2/order/get_order_detail")
    expect(top).to_contain_text("shopee")
    if newest["error"]:
        expect(top).to_contain_text(newest["error"])
    expect(page.locator("#journal tbody tr")).to_have_count(len(journal))
    shoot(page, screenshots, "requests")

    top.click()
    page.wait_for_url(re.compile(f"/_sandbox/ui/requests/{newest['id']}$"))
    entry = live.admin("GET", f"/requests/{newest['id']}").body
    expect(page.locator("h1")).to_contain_text("GET /api/v2/order/get_order_detail")
    answer = json.loads(entry["response"]["body"])
    expect(page.locator("#response-body")).to_contain_text(answer["request_id"])
    expect(page.locator("#response-body")).to_contain_text(answer["error"])
    expect(page.locator("table").first).to_contain_text("order_sn_list")


def test_a_fault_is_added_and_removed_from_the_page(live, live_server, browser, screenshots):
    page = browser
    page.goto(live_server.url + "/_sandbox/ui/faults")
    ready(page)
    page.fill("#fault-path", "/api/v2/order/get_order_list")
    page.fill("#fault-status", "503")
    page.click("#add-fault-button")
    expect(page.locator("#faults tbody tr")).to_contain_text("/api/v2/order/get_order_list")
    faults = live.admin("GET", "/faults").body["faults"]
    assert [(f["path"], f["status"]) for f in faults] == [("/api/v2/order/get_order_list", 503)]
    shoot(page, screenshots, "faults")
    ready(page)
    page.click("#faults tbody button")
    expect(page.locator("#faults tbody")).to_contain_text("No fault")
    assert live.admin("GET", "/faults").body["faults"] == []


def test_a_oneshop_order_changes_status_from_its_page(live, live_server, browser):
    appid = live.creds_oneshop["appid"]
    page = browser
    page.goto(f"{live_server.url}/_sandbox/ui/oneshop/accounts/{appid}?payment_status=pending")
    first = page.locator("#oneshop-orders tbody tr a").first
    order_number = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(f"/_sandbox/ui/oneshop/orders/{order_number}$"))
    ready(page)
    page.select_option("#select-payment_status", "paid")
    page.select_option("#select-progress_status", "confirmed")
    page.click("#oneshop-apply")
    expect(page.locator("#oneshop-payment_status")).to_have_text("paid")
    view = live.admin("GET", f"/oneshop/orders/{order_number}").body
    assert view["detail"]["order"]["payment_status"] == "paid" and view["payment_time"] is not None
    assert view["detail"]["order"]["progress_status"] == "confirmed"


def test_with_an_admin_token_a_person_signs_in_once(browser):
    server = BackgroundServer(create_app(make_settings(admin_token=TOKEN)), port=0).start()
    try:
        page = browser
        page.goto(server.url + "/")
        page.wait_for_url(re.compile(r"/_sandbox/ui/login\?next="))
        ready(page)
        page.fill("#token", "not-it")
        page.click("#sign-in")
        expect(page.locator("#flash .toast.error")).to_contain_text("admin_token_required")
        page.fill("#token", TOKEN)
        page.click("#sign-in")
        page.wait_for_url(server.url + "/_sandbox/ui")
        expect(page.locator("h1")).to_contain_text("The world")
        cookie, = [c for c in page.context.cookies() if c["name"] == TOKEN_COOKIE]
        assert (cookie["httpOnly"], cookie["sameSite"], cookie["path"]) == (True, "Strict", "/_sandbox")

        # The page's own calls carry the cookie: the clock moves.
        page.goto(server.url + "/_sandbox/ui/faults")
        ready(page)
        page.fill("#advance-seconds", "60")
        page.click("#advance-button")
        expect(page.locator("#clock-value")).to_contain_text(utc(T0 + 60))
        answer = requests.get(server.url + "/_sandbox/clock", headers={TOKEN_HEADER: TOKEN}, timeout=10)
        assert answer.json()["now"] == T0 + 60
        assert requests.get(server.url + "/_sandbox/clock", timeout=10).status_code == 401
    finally:
        server.close()
