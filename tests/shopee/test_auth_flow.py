"""Shop authorisation: codes, token exchange and refresh, deauthorisation, the authorised-shop
list, shop info, and the authorisation page driven through the Flask client."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import T0
from tests.shopee.auth_support import (DAY, HOUR, advance, assert_error, authorize_code, creds_of, new_partner,
                                       new_shop, raw_query, refresh, shop_info, token_get)

INVALID_CODE = ("error_auth", "Invalid code", 403)
# error_list of v2.public.get_access_token / refresh_access_token (issue 11, point 8).
USED_CODE = ("invalid_code", "The code is expired or used or invalid, please check the code.", 403)
OTHER_SHOPS_CODE = ("invalid_shop_id", "The code or shop_id is wrong, please check the code or the shop_id.", 403)
OTHER_SHOPS_REFRESH = ("error_shop_refresh_token",
                       "Your refresh token is error ,please check refresh token or shopid.", 403)
INVALID_REFRESH = ("error_auth", "Invalid refresh_token.", 403)
REFRESH_EXPIRED = ("refresh_token_expired", "Your refresh_token expired.", 403)
INVALID_TOKEN = ("error_auth", "Invalid access_token.", 403)
NOT_LINKED = ("error_auth", "Invalid partner_id or shopid.", 403)
AUTH_PARTNER = "/api/v2/shop/auth_partner"
CANCEL_AUTH = "/api/v2/shop/cancel_auth_partner"
SUBMIT = "/_sandbox/shopee/auth_page/submit"


@pytest.fixture
def partner(sandbox):
    return new_partner(sandbox, "ERP System")


@pytest.fixture
def shop(sandbox):
    return new_shop(sandbox)  # authorised to nobody yet


def linked_shop_ids(sandbox, creds, **params):
    answer = sandbox.shopee("GET", "public/get_shops_by_partner", params, creds=creds, shop=False)
    assert answer.status == 200, answer.body
    return [s["shop_id"] for s in answer.body["authed_shop_list"]]


def exchange(sandbox, partner, shop_id):
    answer = token_get(sandbox, partner, authorize_code(sandbox, partner["partner_id"], shop_id), shop_id)
    assert answer.status == 200, answer.body
    return answer.body


# ---- codes ------------------------------------------------------------------------------------
def test_authorize_returns_the_redirect_url_with_code_and_shop_id(sandbox, partner, shop):
    answer = sandbox.admin("POST", "/shopee/authorize", {"partner_id": partner["partner_id"], "shop_id": shop["shop_id"],
                                                         "redirect": "https://erp.example.com/cb?state=s1"})
    assert answer.status == 200, answer.body
    url = urlsplit(answer.body["url"])
    assert (url.scheme, url.netloc, url.path) == ("https", "erp.example.com", "/cb")
    query = parse_qs(url.query)
    assert query["state"] == ["s1"] and query["shop_id"] == [str(shop["shop_id"])]
    assert query["code"] == [answer.body["code"]] and len(answer.body["code"]) == 32


def test_token_get_exchanges_the_code_for_a_token_pair_at_top_level(sandbox, partner, shop):
    code = authorize_code(sandbox, partner["partner_id"], shop["shop_id"])
    answer = token_get(sandbox, partner, code, shop["shop_id"])
    assert answer.status == 200, answer.body
    body = answer.body
    assert body["error"] == "" and "response" not in body
    assert body["expire_in"] == 14400
    assert body["access_token"] and body["refresh_token"] and body["access_token"] != body["refresh_token"]
    info = shop_info(sandbox, creds_of(partner, shop["shop_id"], body["access_token"]))
    assert info.status == 200 and info.body["auth_time"] == T0


def test_code_is_single_use(sandbox, partner, shop):
    code = authorize_code(sandbox, partner["partner_id"], shop["shop_id"])
    assert token_get(sandbox, partner, code, shop["shop_id"]).status == 200
    assert_error(token_get(sandbox, partner, code, shop["shop_id"]), *USED_CODE)


def test_code_expires_after_ten_minutes_on_the_sandbox_clock(sandbox, partner, shop):
    first = authorize_code(sandbox, partner["partner_id"], shop["shop_id"])
    second = authorize_code(sandbox, partner["partner_id"], shop["shop_id"])
    advance(sandbox, 599)
    assert token_get(sandbox, partner, first, shop["shop_id"]).status == 200
    advance(sandbox, 1)
    assert_error(token_get(sandbox, partner, second, shop["shop_id"]), *USED_CODE)


def test_code_for_another_shop_or_partner_is_invalid_and_stays_usable(sandbox, partner, shop):
    code = authorize_code(sandbox, partner["partner_id"], shop["shop_id"])
    assert_error(token_get(sandbox, partner, code, sandbox.creds["shop_id"]), *OTHER_SHOPS_CODE)
    assert_error(token_get(sandbox, partner, code, 4294967295), *OTHER_SHOPS_CODE)
    assert_error(token_get(sandbox, sandbox.creds, code, shop["shop_id"]), *INVALID_CODE)
    assert_error(token_get(sandbox, partner, "0" * 32, shop["shop_id"]), *INVALID_CODE)
    assert token_get(sandbox, partner, code, shop["shop_id"]).status == 200


def test_code_refused_by_the_gateway_is_not_used_up(sandbox, partner, shop):
    code = authorize_code(sandbox, partner["partner_id"], shop["shop_id"])
    path = "/api/v2/auth/token/get"
    body = {"code": code, "partner_id": partner["partner_id"], "shop_id": shop["shop_id"]}
    bad = sandbox.request("POST", path, raw_query(partner, path, sandbox.now(), shop=False, sign="0" * 64),
                          json_body=body)
    assert_error(bad, "error_sign", "Wrong sign.", 403)
    assert token_get(sandbox, partner, code, shop["shop_id"]).status == 200


def test_token_get_body_partner_must_be_the_caller(sandbox, partner, shop):
    code = authorize_code(sandbox, partner["partner_id"], shop["shop_id"])
    answer = sandbox.shopee("POST", "auth/token/get", {"code": code, "partner_id": partner["partner_id"] + 1,
                                                       "shop_id": shop["shop_id"]}, creds=partner, shop=False)
    assert answer.status == 400 and answer.error == "error_param"
    assert answer.message.startswith("Wrong parameters, detail: ")
    assert token_get(sandbox, partner, code, shop["shop_id"]).status == 200


# ---- refresh ----------------------------------------------------------------------------------
def test_refresh_returns_a_new_pair_each_time(sandbox, partner, shop):
    pair = exchange(sandbox, partner, shop["shop_id"])
    seen = {pair["access_token"], pair["refresh_token"]}
    for _ in range(3):
        answer = refresh(sandbox, partner, pair["refresh_token"], shop["shop_id"])
        assert answer.status == 200, answer.body
        pair = answer.body
        assert "response" not in pair and pair["expire_in"] == 14400
        assert (pair["partner_id"], pair["shop_id"]) == (partner["partner_id"], shop["shop_id"])
        assert not seen & {pair["access_token"], pair["refresh_token"]}
        seen |= {pair["access_token"], pair["refresh_token"]}
    assert shop_info(sandbox, creds_of(partner, shop["shop_id"], pair["access_token"])).status == 200


def test_refresh_token_is_single_use(sandbox):
    creds = sandbox.creds
    assert refresh(sandbox, creds, creds["refresh_token"], creds["shop_id"]).status == 200
    assert_error(refresh(sandbox, creds, creds["refresh_token"], creds["shop_id"]), *INVALID_REFRESH)


def test_refresh_token_of_another_shop_or_an_access_token_is_invalid(sandbox, partner, shop):
    creds = sandbox.creds
    assert_error(refresh(sandbox, creds, creds["refresh_token"], shop["shop_id"]), *OTHER_SHOPS_REFRESH)
    assert_error(refresh(sandbox, creds, creds["access_token"], creds["shop_id"]), *INVALID_REFRESH)
    other = {**creds, **{k: partner[k] for k in ("partner_id", "partner_key")}}
    assert_error(refresh(sandbox, other, creds["refresh_token"], creds["shop_id"]), *INVALID_REFRESH)
    assert refresh(sandbox, creds, creds["refresh_token"], creds["shop_id"]).status == 200


def test_refresh_token_expires_after_thirty_days(sandbox):
    creds = sandbox.creds
    advance(sandbox, 30 * DAY - 1)
    first = refresh(sandbox, creds, creds["refresh_token"], creds["shop_id"])
    assert first.status == 200, first.body
    advance(sandbox, 30 * DAY - 1)
    assert refresh(sandbox, creds, first.body["refresh_token"], creds["shop_id"]).status == 200
    sandbox.admin("POST", "/reset", {})
    sandbox.forget_credentials()
    creds = sandbox.creds
    advance(sandbox, 30 * DAY)
    assert_error(refresh(sandbox, creds, creds["refresh_token"], creds["shop_id"]), *REFRESH_EXPIRED)


def test_old_access_token_works_five_more_minutes_after_a_refresh(sandbox):
    creds = sandbox.creds
    new = refresh(sandbox, creds, creds["refresh_token"], creds["shop_id"]).body
    advance(sandbox, 299)
    assert shop_info(sandbox, creds).status == 200
    advance(sandbox, 1)
    assert_error(shop_info(sandbox, creds), *INVALID_TOKEN)
    assert shop_info(sandbox, {**creds, "access_token": new["access_token"]}).status == 200


def test_new_access_token_lasts_four_hours_from_the_refresh(sandbox):
    creds = sandbox.creds
    advance(sandbox, 3 * HOUR)
    new = refresh(sandbox, creds, creds["refresh_token"], creds["shop_id"]).body
    fresh = {**creds, "access_token": new["access_token"]}
    advance(sandbox, 4 * HOUR - 1)
    assert shop_info(sandbox, fresh).status == 200
    advance(sandbox, 1)
    assert_error(shop_info(sandbox, fresh), *INVALID_TOKEN)


# ---- deauthorisation --------------------------------------------------------------------------
def test_deauthorize_ends_the_link_and_its_tokens(sandbox):
    creds = sandbox.creds
    code = authorize_code(sandbox, creds["partner_id"], creds["shop_id"])  # not exchanged yet
    answer = sandbox.admin("POST", "/shopee/deauthorize", {"partner_id": creds["partner_id"],
                                                           "shop_id": creds["shop_id"]})
    assert answer.status == 200, answer.body
    assert_error(shop_info(sandbox, creds), *NOT_LINKED)
    assert_error(refresh(sandbox, creds, creds["refresh_token"], creds["shop_id"]),
                 "shop_no_linked", "Partner and shop has no linked.", 403)
    assert_error(token_get(sandbox, creds, code, creds["shop_id"]), *USED_CODE)
    assert creds["shop_id"] not in linked_shop_ids(sandbox, creds)
    # Authorising again gives a new pair; the old tokens stay dead.
    again = exchange(sandbox, creds, creds["shop_id"])
    assert shop_info(sandbox, {**creds, "access_token": again["access_token"]}).status == 200
    assert_error(shop_info(sandbox, creds), *INVALID_TOKEN)
    assert_error(refresh(sandbox, creds, creds["refresh_token"], creds["shop_id"]), *INVALID_REFRESH)


def test_deauthorize_of_a_shop_not_linked_is_a_404(sandbox, partner, shop):
    answer = sandbox.admin("POST", "/shopee/deauthorize", {"partner_id": partner["partner_id"],
                                                           "shop_id": shop["shop_id"]})
    assert answer.status == 404


# ---- authorised shops and shop info -----------------------------------------------------------
def test_get_shops_by_partner_lists_authorised_shops_with_365_days(sandbox, partner):
    shops = [new_shop(sandbox) for _ in range(3)]
    for i, shop in enumerate(shops):
        advance(sandbox, 60)
        exchange(sandbox, partner, shop["shop_id"])
    new_shop(sandbox, new_partner(sandbox))  # another partner's shop is not listed
    answer = sandbox.shopee("GET", "public/get_shops_by_partner", creds=partner, shop=False)
    assert answer.status == 200, answer.body
    body = answer.body
    assert "response" not in body and body["more"] is False
    listed = {s["shop_id"]: s for s in body["authed_shop_list"]}
    assert set(listed) == {s["shop_id"] for s in shops}
    for i, shop in enumerate(shops):
        entry = listed[shop["shop_id"]]
        assert entry["region"] == "TW"
        assert entry["auth_time"] == T0 + 60 * (i + 1)
        assert entry["expire_time"] == entry["auth_time"] + 365 * DAY


def test_get_shops_by_partner_pages(sandbox, partner):
    ids = sorted(new_shop(sandbox, partner)["shop_id"] for _ in range(3))
    pages = []
    for page_no in (1, 2, 3, 4):
        answer = sandbox.shopee("GET", "public/get_shops_by_partner", {"page_size": 1, "page_no": page_no},
                                creds=partner, shop=False)
        assert answer.status == 200, answer.body
        pages.append(([s["shop_id"] for s in answer.body["authed_shop_list"]], answer.body["more"]))
    assert pages == [([ids[0]], True), ([ids[1]], True), ([ids[2]], False), ([], False)]
    two = sandbox.shopee("GET", "public/get_shops_by_partner", {"page_size": 2, "page_no": 2},
                         creds=partner, shop=False).body
    assert [s["shop_id"] for s in two["authed_shop_list"]] == [ids[2]] and two["more"] is False


@pytest.mark.parametrize("params", [{"page_size": 0}, {"page_size": 101}, {"page_no": 0}, {"page_size": "x"}])
def test_get_shops_by_partner_bad_paging(sandbox, params):
    answer = sandbox.shopee("GET", "public/get_shops_by_partner", params, shop=False)
    assert answer.status == 400 and answer.error == "error_param", answer.body
    assert answer.message.startswith("Wrong parameters, detail: ")


def test_authorisation_runs_out_after_365_days(sandbox, partner, shop):
    pair = exchange(sandbox, partner, shop["shop_id"])
    advance(sandbox, 365 * DAY - 1)
    assert shop["shop_id"] in linked_shop_ids(sandbox, partner)
    advance(sandbox, 1)
    assert shop["shop_id"] not in linked_shop_ids(sandbox, partner)
    assert_error(refresh(sandbox, partner, pair["refresh_token"], shop["shop_id"]),
                 "shop_access_expired", "Your access to shop has expired.", 403)


def test_get_shop_info_is_flat(sandbox):
    answer = shop_info(sandbox, sandbox.creds)
    assert answer.status == 200, answer.body
    body = answer.body
    assert "response" not in body and body["error"] == ""
    shop = next(s for s in sandbox.creds["shops"] if s["shop_id"] == sandbox.creds["shop_id"])
    assert (body["shop_name"], body["region"], body["status"]) == (shop["shop_name"], "TW", "NORMAL")
    assert body["is_cb"] is False and body["expire_time"] == body["auth_time"] + 365 * DAY


# ---- the authorisation page (Flask client; the browser test drives the same page) --------------
def open_page(sandbox, creds, path=AUTH_PARTNER, redirect="https://erp.example.com/cb?state=s1"):
    query = raw_query(creds, path, sandbox.now(), shop=False, redirect=redirect)
    return sandbox.request("GET", path, query)


def ticket_of(html: str) -> str:
    match = re.search(r'name="ticket" value="([0-9a-f]+)"', html)
    assert match, html
    return match.group(1)


def submit(sandbox, ticket, shop, password=None, otp="123456"):
    form = {"ticket": ticket, "shop_id": str(shop["shop_id"]),
            "password": shop["password"] if password is None else password, "otp": otp}
    return sandbox.request("POST", SUBMIT, data=form)


def test_auth_page_is_html_with_a_form_to_the_submit_endpoint(sandbox, partner, shop):
    page = open_page(sandbox, partner)
    assert page.status == 200 and page.headers["Content-Type"].startswith("text/html")
    assert f'action="{SUBMIT}"' in page.text and 'method="post"' in page.text
    assert f'value="{shop["shop_id"]}"' in page.text and 'name="otp"' in page.text
    assert str(partner["partner_id"]) in page.text


@pytest.mark.parametrize("change,expected", [
    ({"sign": "0" * 64}, ("error_sign", "Wrong sign.", 403)),
    ({"partner_id": 4294967295}, ("error_param", "Invalid partner_id.", 400)),
])
def test_auth_page_with_a_bad_link_answers_the_gateway_error(sandbox, partner, change, expected):
    query = raw_query(partner, AUTH_PARTNER, sandbox.now(), shop=False, redirect="https://e.com/", **change)
    assert_error(sandbox.request("GET", AUTH_PARTNER, query), *expected)


@pytest.mark.parametrize("redirect", [None, "", "/relative/cb"])
def test_auth_page_needs_an_absolute_redirect(sandbox, partner, redirect):
    query = raw_query(partner, AUTH_PARTNER, sandbox.now(), shop=False)
    if redirect is not None:
        query["redirect"] = redirect
    answer = sandbox.request("GET", AUTH_PARTNER, query)
    assert answer.status == 400 and answer.error == "error_param", answer.text
    assert "redirect" in answer.message


@pytest.mark.parametrize("password,otp", [("wrong-password", "123456"), (None, "654321"), (None, "")])
def test_auth_page_wrong_password_or_otp_rerenders_and_grants_nothing(sandbox, partner, shop, password, otp):
    ticket = ticket_of(open_page(sandbox, partner).text)
    answer = submit(sandbox, ticket, shop, password, otp)
    assert answer.status == 400 and answer.headers["Content-Type"].startswith("text/html")
    assert 'role="alert"' in answer.text and ticket_of(answer.text) == ticket
    assert "Location" not in answer.headers
    assert linked_shop_ids(sandbox, partner) == []
    # The same page still works with the right login.
    assert submit(sandbox, ticket, shop).status == 302


def test_auth_page_login_redirects_with_a_code_that_token_get_accepts(sandbox, partner, shop):
    ticket = ticket_of(open_page(sandbox, partner).text)
    answer = submit(sandbox, ticket, shop)
    assert answer.status == 302, answer.text
    url = urlsplit(answer.headers["Location"])
    assert (url.scheme, url.netloc, url.path) == ("https", "erp.example.com", "/cb")
    query = parse_qs(url.query)
    assert query["state"] == ["s1"] and query["shop_id"] == [str(shop["shop_id"])]
    assert linked_shop_ids(sandbox, partner) == [shop["shop_id"]]
    pair = token_get(sandbox, partner, query["code"][0], shop["shop_id"])
    assert pair.status == 200, pair.body
    assert shop_info(sandbox, creds_of(partner, shop["shop_id"], pair.body["access_token"])).status == 200
    # The page was used up.
    assert submit(sandbox, ticket, shop).status == 410


def test_auth_page_expires_after_thirty_minutes(sandbox, partner, shop):
    ticket = ticket_of(open_page(sandbox, partner).text)
    advance(sandbox, 30 * 60)
    assert submit(sandbox, ticket, shop).status == 410
    assert linked_shop_ids(sandbox, partner) == []


def test_cancel_auth_page_ends_the_link_and_its_tokens(sandbox):
    creds = sandbox.creds
    shop = next(s for s in creds["shops"] if s["shop_id"] == creds["shop_id"])
    page = open_page(sandbox, creds, CANCEL_AUTH, redirect="https://erp.example.com/bye")
    assert page.status == 200 and "Cancel" in page.text
    assert submit(sandbox, ticket_of(page.text), shop, otp="000000").status == 400
    assert shop_info(sandbox, creds).status == 200
    answer = submit(sandbox, ticket_of(page.text), shop)
    assert answer.status == 302
    url = urlsplit(answer.headers["Location"])
    assert (url.netloc, url.path) == ("erp.example.com", "/bye")
    assert parse_qs(url.query)["shop_id"] == [str(shop["shop_id"])]
    assert_error(shop_info(sandbox, creds), *NOT_LINKED)
    assert creds["shop_id"] not in linked_shop_ids(sandbox, creds)


def _listed(html: str) -> set[int]:
    return {int(v) for v in re.findall(r'<option value="(\d+)"', html)}


def test_auth_page_lists_only_the_partners_own_and_unclaimed_test_shops(sandbox, partner, shop):
    other = new_partner(sandbox)
    others_shop = new_shop(sandbox, other)  # created for the other partner
    mine = new_shop(sandbox, partner)
    default_shop = sandbox.creds["shop_id"]  # the default partner's
    page = open_page(sandbox, partner).text
    assert _listed(page) == {shop["shop_id"], mine["shop_id"]}  # unclaimed, and its own
    assert others_shop["account"] not in page and str(default_shop) not in page
    # Approving an unclaimed shop claims it: the other partner no longer sees it.
    assert submit(sandbox, ticket_of(page), shop).status == 302
    assert _listed(open_page(sandbox, other).text) == {others_shop["shop_id"]}
    # ...and it stays the partner's after a cancellation.
    cancel = open_page(sandbox, partner, CANCEL_AUTH).text
    assert _listed(cancel) == {shop["shop_id"], mine["shop_id"]}
    assert submit(sandbox, ticket_of(cancel), shop).status == 302
    assert shop["shop_id"] in _listed(open_page(sandbox, partner).text)


def test_another_partners_shop_can_still_log_in_by_its_account(sandbox, partner):
    other_shop = new_shop(sandbox, new_partner(sandbox))
    ticket = ticket_of(open_page(sandbox, partner).text)
    form = {"ticket": ticket, "account": other_shop["account"], "password": "wrong", "otp": "123456"}
    assert sandbox.request("POST", SUBMIT, data=form).status == 400
    form["password"] = other_shop["password"]
    answer = sandbox.request("POST", SUBMIT, data=form)
    assert answer.status == 302 and parse_qs(urlsplit(answer.headers["Location"]).query)["shop_id"] == [
        str(other_shop["shop_id"])]
    assert other_shop["shop_id"] in linked_shop_ids(sandbox, partner)


@pytest.mark.parametrize("shop_id", ["١٢٣", "²", "9" * 5000, "-1", ""])
def test_a_form_shop_id_that_is_not_ascii_digits_is_a_wrong_login(sandbox, partner, shop_id):
    ticket = ticket_of(open_page(sandbox, partner).text)
    answer = sandbox.request("POST", SUBMIT, data={"ticket": ticket, "shop_id": shop_id, "password": "x", "otp": "123456"})
    assert answer.status == 400 and "Incorrect shop account or password." in answer.text


# ---- banned shops (no admin endpoint bans a shop yet: set it on the in-process world) ----------
BANNED = ("shop_banned", "The\xa0shop account has been banned. Permissions for shop authorization and API calls "
          "have been suspended until the shop account is restored.", 403)


def ban(app, shop_id):
    store = app.extensions["shop_sandbox"]
    with store.lock:
        store.backend("shopee").shops[shop_id].status = "BANNED"


def test_banned_shop_is_refused_by_the_gateway_refresh_and_page(app, sandbox, partner, shop):
    creds = sandbox.creds
    ban(app, creds["shop_id"])
    assert_error(shop_info(sandbox, creds), *BANNED)
    assert_error(refresh(sandbox, creds, creds["refresh_token"], creds["shop_id"]), *BANNED)
    ban(app, shop["shop_id"])
    answer = submit(sandbox, ticket_of(open_page(sandbox, partner).text), shop)
    assert answer.status == 403 and "banned" in answer.text
    assert linked_shop_ids(sandbox, partner) == []


def test_refreshing_for_ever_keeps_a_bounded_number_of_tokens(app, sandbox):
    """Spent tokens beyond accounts.KEEP_SPENT per shop are forgotten; what a client can still
    use (the newest pair, the access tokens within their grace) keeps working, and a forgotten
    refresh token is answered as a used one."""
    from mockserver.shopee.accounts import KEEP_SPENT

    world = app.extensions["shop_sandbox"].backend("shopee")
    creds = sandbox.creds
    first_refresh, pair = creds["refresh_token"], creds
    for _ in range(3 * KEEP_SPENT):
        answer = refresh(sandbox, creds, pair["refresh_token"], creds["shop_id"])
        assert answer.status == 200, answer.body
        pair = answer.body
    mine = [t for t in world.tokens.values() if t.shop_id == creds["shop_id"]]
    assert len(mine) <= KEEP_SPENT + 2
    assert shop_info(sandbox, {**creds, "access_token": pair["access_token"]}).status == 200
    assert_error(refresh(sandbox, creds, first_refresh, creds["shop_id"]), *INVALID_REFRESH)
    assert refresh(sandbox, creds, pair["refresh_token"], creds["shop_id"]).status == 200
