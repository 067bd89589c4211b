"""Issue 11, point 3: the newer authorisation link a published SDK uses by default,
GET /auth?auth_type=seller&partner_id=…&redirect_uri=…&response_type=code (sandbox-testing-v2.md 2.2),
opens the same page as shop/auth_partner and redirects with code and shop_id."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from mockserver.shopee import auth
from tests.shopee.auth_support import new_shop, token_get
from tests.shopee.lenient_support import not_warned, strict, warned
from tests.shopee.test_auth_flow import SUBMIT, ticket_of

# Exactly the SDK's link: its parameter order, redirect_uri percent-encoded.
LINK = "auth_type=seller&partner_id={pid}&redirect_uri=https%3A%2F%2Ferp.example.com%2Fshopee%2Fcb%3Fstate%3Dx" \
       "&response_type=code"


def open_link(client, query: str):
    return client.request("GET", "/auth", query=query, validate=False)


def test_the_link_opens_the_page_and_the_approval_redirects_with_code_and_shop_id_over_http(live):
    creds = live.creds
    shop = new_shop(live)
    page = open_link(live, LINK.format(pid=creds["partner_id"]))
    assert page.status == 200 and page.headers["Content-Type"].startswith("text/html"), page.text[:300]
    assert f'action="{SUBMIT}"' in page.text and f'value="{shop["shop_id"]}"' in page.text
    not_warned(live, page)
    answer = live.request("POST", SUBMIT, data={"ticket": ticket_of(page.text), "shop_id": str(shop["shop_id"]),
                                                "password": shop["password"], "otp": "123456"})
    assert answer.status == 302, answer.text
    location = urlsplit(answer.headers["Location"])
    assert (location.scheme, location.netloc, location.path) == ("https", "erp.example.com", "/shopee/cb")
    query = parse_qs(location.query)
    assert query["state"] == ["x"] and query["shop_id"] == [str(shop["shop_id"])]
    tokens = token_get(live, creds, query["code"][0], shop["shop_id"])
    assert tokens.status == 200 and tokens.body["access_token"], tokens.body


@pytest.mark.parametrize("query, error, message", [
    ("auth_type=seller&redirect_uri=https%3A%2F%2Fe.com%2F&response_type=code",
     "error_param", "There is no partner_id in query."),
    ("auth_type=seller&partner_id=abc&redirect_uri=https%3A%2F%2Fe.com%2F&response_type=code",
     "error_param", "Partner_id is invalid, should be an integer between 0 and 4294967295."),
    ("auth_type=seller&partner_id=4294967295&redirect_uri=https%3A%2F%2Fe.com%2F&response_type=code",
     "error_param", "Invalid partner_id."),
    ("auth_type=seller&partner_id={pid}&response_type=code",
     "error_param", "Wrong parameters, detail: redirect_uri is a required field."),
    ("auth_type=seller&partner_id={pid}&redirect_uri=%2Fcb&response_type=code",
     "error_param", "Wrong parameters, detail: redirect_uri should be an absolute URL."),
])
def test_a_bad_link_answers_shopee_s_envelope(sandbox, query, error, message):
    answer = open_link(sandbox, query.format(pid=sandbox.creds["partner_id"]))
    assert answer.status == 400 and answer.headers["Content-Type"] == "application/json; charset=utf-8"
    assert (answer.body["error"], answer.body["message"]) == (error, message)
    assert len(answer.body["request_id"]) == 32


@pytest.mark.parametrize("change", ["response_type=token", "auth_type=merchant", "lang=zh-hant"])
def test_an_undocumented_value_or_parameter_opens_the_page_with_a_warning(sandbox, change):
    name = change.split("=")[0]
    query = "&".join(p for p in LINK.format(pid=sandbox.creds["partner_id"]).split("&")
                     if not p.startswith(name + "=")) + "&" + change
    page = open_link(sandbox, query)
    assert page.status == 200 and page.headers["Content-Type"].startswith("text/html")
    warned(sandbox, page, name)
    strict(sandbox)
    refused = open_link(sandbox, query)
    assert refused.status == 400 and refused.body["error"] == "error_param", refused.text[:300]


def test_only_get_opens_the_link(sandbox):
    answer = sandbox.request("POST", "/auth", query=LINK.format(pid=sandbox.creds["partner_id"]), validate=False)
    assert answer.status == 405 and answer.headers["Allow"] == "GET"
    assert answer.body["error"] == "error_param" and len(answer.body["request_id"]) == 32


def test_unsubmitted_pages_are_bounded(sandbox, monkeypatch):
    """The link needs no signature, so anyone may open pages: the oldest unsubmitted ones go."""
    monkeypatch.setattr(auth, "MAX_OPEN_PAGES", 3)
    shop = new_shop(sandbox)
    tickets = [ticket_of(open_link(sandbox, LINK.format(pid=sandbox.creds["partner_id"])).text) for _ in range(5)]
    form = {"shop_id": str(shop["shop_id"]), "password": shop["password"], "otp": "123456"}
    assert sandbox.request("POST", SUBMIT, data={**form, "ticket": tickets[0]}).status == 410
    assert sandbox.request("POST", SUBMIT, data={**form, "ticket": tickets[-1]}).status == 302
