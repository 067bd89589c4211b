"""The console's pages, server-side: / leads to them, each renders from the world (credentials one
click away), lists are paged, a missing record is a page that says so, and every page reports its
render time (Server-Timing)."""
from __future__ import annotations

import re

import pytest

from tests.support.clients import SandboxClient

PAGES = ["/_sandbox/ui", "/_sandbox/ui/webhooks", "/_sandbox/ui/requests", "/_sandbox/ui/faults"]


def _html(sandbox: SandboxClient, path: str, expected: int = 200, **query) -> str:
    answer = sandbox.request("GET", path, query=query)
    assert answer.status == expected, answer.text[:500]
    assert answer.headers["Content-Type"].startswith("text/html")
    return answer.text


def _rows(html: str, table_id: str) -> list[str]:
    body = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'data-href="([^"]+)"', body)


def test_the_root_redirects_a_browser_to_the_console(sandbox):
    answer = sandbox.request("GET", "/", validate=False)
    assert answer.status == 302 and answer.headers["Location"] == "/_sandbox/ui"
    posted = sandbox.request("POST", "/", validate=False)  # any other method stays Shopee's 404
    assert posted.status == 404 and posted.body["error"] == "error_param"


@pytest.mark.parametrize("path", PAGES)
def test_each_main_page_renders_with_its_render_time(sandbox, path):
    answer = sandbox.request("GET", path)
    assert answer.status == 200 and "<nav" in answer.text
    assert re.fullmatch(r"render;dur=\d+\.\d", answer.headers["Server-Timing"])
    assert "/_sandbox/ui/static/console.js" in answer.text and "https://" not in answer.text.split("<main>")[0]


def test_the_world_page_shows_every_platforms_credentials_with_copy_buttons(sandbox):
    html = _html(sandbox, "/_sandbox/ui")
    creds = sandbox.admin("GET", "/credentials").body
    shopee, oneshop, shopline = creds["shopee"], creds["oneshop"], creds["shopline"]
    for secret in (shopee["partner_key"], shopee["access_token"], oneshop["secret"],
                   shopline["openapi"]["app_secret"], shopline["openapi"]["access_token"], shopline["global"]["access_token"]):
        assert f'data-copy="{secret}"' in html, secret
    assert f'/_sandbox/ui/shopee/shops/{shopee["shop_id"]}' in html
    assert f'/_sandbox/ui/oneshop/accounts/{oneshop["appid"]}' in html
    assert f'<b id="seed">{sandbox.admin("GET", "/health").body["seed"]}</b>' in html


def test_a_shop_page_shows_one_page_of_its_orders(sandbox):
    shop_id = sandbox.creds["shop_id"]
    assert sandbox.admin("POST", f"/_sandbox/shopee/shops/{shop_id}/orders".removeprefix("/_sandbox"),
                         {"count": 120, "statuses": ["UNPAID"]}).status == 201
    total = sandbox.request("GET", f"/_sandbox/shopee/shops/{shop_id}/orders").body["total"]
    first = _rows(_html(sandbox, f"/_sandbox/ui/shopee/shops/{shop_id}"), "orders")
    assert len(first) == 50 and total > 120
    api_first = sandbox.request("GET", f"/_sandbox/shopee/shops/{shop_id}/orders", query={"limit": 50}).body
    assert first == [f"/_sandbox/ui/shopee/orders/{o['order_sn']}" for o in api_first["orders"]]
    last = _rows(_html(sandbox, f"/_sandbox/ui/shopee/shops/{shop_id}", offset=total - 3), "orders")
    assert len(last) == 3
    unpaid = _html(sandbox, f"/_sandbox/ui/shopee/shops/{shop_id}", status="UNPAID")
    assert "UNPAID" in unpaid and all("UNPAID" in row for row in unpaid.split('data-href="/_sandbox/ui/shopee/orders/')[1:])


def test_an_order_page_has_a_button_for_each_thing_that_may_happen_now(sandbox):
    shop_id = sandbox.creds["shop_id"]
    order_sn, = sandbox.admin("POST", f"/shopee/shops/{shop_id}/orders",
                              {"count": 1, "statuses": ["READY_TO_SHIP"]}).body["order_sns"]
    view = sandbox.admin("GET", f"/shopee/orders/{order_sn}").body
    html = _html(sandbox, f"/_sandbox/ui/shopee/orders/{order_sn}")
    buttons = re.findall(r'id="event-([a-z_]+)"', html)
    assert buttons == view["seller_actions"] + view["allowed_events"] and "ship" in buttons
    assert f'data-post="/_sandbox/shopee/orders/{order_sn}/ship"' in html
    assert f'data-live-rows="/_sandbox/ui/webhooks/rows?contains={order_sn}' in html


def test_a_final_order_has_no_button(sandbox):
    shop_id = sandbox.creds["shop_id"]
    order_sn, = sandbox.admin("POST", f"/shopee/shops/{shop_id}/orders",
                              {"count": 1, "statuses": ["CANCELLED"]}).body["order_sns"]
    html = _html(sandbox, f"/_sandbox/ui/shopee/orders/{order_sn}")
    assert 'id="event-' not in html and 'id="no-actions"' in html


def test_oneshop_pages_show_an_account_and_an_order(sandbox):
    appid = sandbox.creds_oneshop["appid"]
    html = _html(sandbox, f"/_sandbox/ui/oneshop/accounts/{appid}", payment_status="paid")
    rows = _rows(html, "oneshop-orders")
    api = sandbox.request("GET", f"/_sandbox/oneshop/accounts/{appid}/orders", query={"payment_status": "paid"}).body
    assert rows == [f"/_sandbox/ui/oneshop/orders/{o['order_number']}" for o in api["orders"]]
    order = _html(sandbox, rows[0])
    assert 'id="oneshop-status"' in order and 'data-initial="paid"' in order


@pytest.mark.parametrize("path", ["/_sandbox/ui/shopee/shops/1", "/_sandbox/ui/shopee/orders/NOSUCH",
                                  "/_sandbox/ui/oneshop/accounts/nosuch", "/_sandbox/ui/oneshop/orders/NOSUCH",
                                  "/_sandbox/ui/webhooks/dlv_nosuch", "/_sandbox/ui/requests/999999"])
def test_a_missing_record_is_a_page_that_says_so(sandbox, path):
    assert "Not found" in _html(sandbox, path, expected=404)


def test_a_request_page_shows_the_request_and_the_answer(sandbox):
    sandbox.shopee("GET", "order/get_order_detail", {"order_sn_list": "NOSUCHORDER1"})
    entry = sandbox.request("GET", "/_sandbox/requests").body["requests"][-1]
    html = _html(sandbox, f"/_sandbox/ui/requests/{entry['id']}")
    assert "GET /api/v2/order/get_order_detail" in html and "NOSUCHORDER1" in html
    assert entry["error"] and entry["error"] in html
    listed = _html(sandbox, "/_sandbox/ui/requests")
    assert f'data-after="{entry["id"]}"' in listed and f'data-href="/_sandbox/ui/requests/{entry["id"]}"' in listed


def test_the_delivery_rows_come_alone_for_the_live_table(sandbox):
    fragment = _html(sandbox, "/_sandbox/ui/webhooks/rows", contains="nothing-like-this")
    assert "<html" not in fragment and "No webhook" in fragment
