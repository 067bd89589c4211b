"""Issue 13, point 9: what the sandbox keeps for a flood is bounded (opened authorisation pages by
count and bytes, crashes, the request journal), and the console says when something is dropped."""
from __future__ import annotations

import io
from urllib.parse import quote

import mockserver.admin.errors
import mockserver.shopee.render
from mockserver.app import create_app
from mockserver.core.console import Console
from mockserver.shopee import auth
from tests.conftest import make_settings
from tests.shopee.auth_support import new_shop
from tests.support.clients import SandboxClient


def _sandbox(**settings) -> tuple[SandboxClient, io.StringIO, object]:
    app = create_app(make_settings(console=True, quiet=True, **settings))
    out = io.StringIO()
    app.extensions["shop_sandbox"].console.stream = out
    return SandboxClient(flask_client=app.test_client()), out, app


def test_the_console_says_a_drop_at_the_first_and_every_tenfold():
    out = io.StringIO()
    console = Console(out)
    for total in range(1, 1001):
        console.dropped("x_dropped", total, "something was dropped")
    lines = out.getvalue().splitlines()
    assert [line.split("(")[-1] for line in lines] == ["1 so far)", "10 so far)", "100 so far)", "1000 so far)"]
    assert all("something was dropped" in line for line in lines)


def test_open_authorisation_pages_are_bounded_by_bytes_and_the_console_says_so(monkeypatch):
    sandbox, out, app = _sandbox()
    monkeypatch.setattr(auth, "MAX_OPEN_PAGE_BYTES", 20_000)
    shop = new_shop(sandbox)
    redirect = "https://erp.example.com/cb?pad=" + "x" * 5_000  # a long redirect: ~5.3 kB a page
    link = f"auth_type=seller&partner_id={sandbox.creds['partner_id']}&redirect_uri={quote(redirect, safe='')}" \
           "&response_type=code"
    pages = [sandbox.request("GET", "/auth", query=link, validate=False).text for _ in range(6)]
    tickets = [page.split('name="ticket" value="')[1].split('"')[0] for page in pages]
    world = app.extensions["shop_sandbox"].backend("shopee")
    assert len(world.auth_pages) == 3 and world.auth_page_bytes <= 20_000
    assert world.auth_page_bytes == sum(p["size"] for p in world.auth_pages.values())
    form = {"shop_id": str(shop["shop_id"]), "password": shop["password"], "otp": "123456"}
    assert sandbox.request("POST", auth.CONFIRM_PATH, data={**form, "ticket": tickets[0]}).status == 410
    assert sandbox.request("POST", auth.CONFIRM_PATH, data={**form, "ticket": tickets[-1]}).status == 302
    assert world.auth_page_bytes == sum(p["size"] for p in world.auth_pages.values())  # a submit frees its page
    said = [line for line in out.getvalue().splitlines() if "authorisation page was dropped" in line]
    assert len(said) == 1 and "(1 so far)" in said[0]


def test_dropped_crash_records_are_said_on_the_console(monkeypatch):
    sandbox, out, _ = _sandbox()

    def broken(order, optional):
        raise ZeroDivisionError("renderer bug")

    monkeypatch.setattr(mockserver.shopee.render, "order_detail", broken)
    monkeypatch.setattr(mockserver.admin.errors, "KEEP", 2)
    sn = sandbox.admin("POST", f"/shopee/shops/{sandbox.creds['shop_id']}/orders",
                       {"orders": [{"items": [{"price": 5}]}]}).body["order_sns"][0]
    for _ in range(3):
        answer = sandbox.shopee("GET", "order/get_order_detail", {"order_sn_list": sn}, validate=False)
        assert answer.status == 500
    listed = sandbox.admin("GET", "/errors").body
    assert listed["total"] == 3
    assert "the oldest crash record was dropped" in out.getvalue()


def test_the_journal_says_when_it_drops_its_oldest_entries():
    sandbox, out, app = _sandbox(journal_max_bytes=60_000)
    for page in range(1, 40):
        sandbox.request("GET", "/v1/order", query={"appid": "x", "page": str(page), "pad": "p" * 5_000},
                        validate=False)
    journal = app.extensions["shop_sandbox"].journal
    assert journal.evicted >= 10 and journal.stats()["bytes"] <= 60_000
    said = [line for line in out.getvalue().splitlines() if "the request journal dropped its oldest entry" in line]
    assert [line.split("(")[-1] for line in said] == ["1 so far)", "10 so far)"]
