"""Shop authorisation routes: the auth pages, token exchange and refresh, shop lookups."""
from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import Response, redirect, render_template

from mockserver.shopee import accounts, lenient
from mockserver.shopee import errors as E
from mockserver.shopee.catalog import PERMISSIONS, api
from mockserver.shopee.errors import ShopeeError, wrong_param
from mockserver.shopee.params import missing
from mockserver.shopee import testenv
from mockserver.shopee.testenv import mart_fields
from mockserver.shopee.world import ACCESS_TOKEN_TTL, ShopeeWorld

PAGE_TTL = 30 * 60  # how long an opened authorisation page may be submitted
MAX_OPEN_PAGES = 1000
MAX_OPEN_PAGE_BYTES = 8_000_000  # what the open pages' redirects may hold together
PAGE_OVERHEAD = 300  # the bytes of a page's record beside its redirect (ticket, dict, ints)
CONFIRM_PATH = "/_sandbox/shopee/auth_page/submit"


def with_query(url: str, **params: Any) -> str:
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True) + [(k, str(v)) for k, v in params.items()]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _redirect_param(call) -> str:
    target = call.params.string("redirect")
    if not urlsplit(target).scheme:
        raise wrong_param("redirect should be an absolute URL")
    return target


def _open_page(call, kind: str) -> Response:
    return open_page(call.world, call.caller.partner.partner_id, _redirect_param(call), kind, call.now)


def open_page(world: ShopeeWorld, partner_id: int, target: str, kind: str, now: int) -> Response:
    """A new authorisation (kind "auth") or cancellation ("cancel") page; approval redirects to `target`."""
    ticket = world.hex_token()
    size = PAGE_OVERHEAD + len(target)
    world.auth_pages[ticket] = {"partner_id": partner_id, "redirect": target, "kind": kind,
                                "expires_at": now + PAGE_TTL, "size": size}
    world.auth_page_bytes += size
    _forget_old_pages(world, now)
    return render_page(world, ticket)


def _close_page(world: ShopeeWorld, ticket: str) -> dict:
    page = world.auth_pages.pop(ticket)
    world.auth_page_bytes -= page["size"]
    return page


def _forget_old_pages(world: ShopeeWorld, now: int) -> None:
    """Opened pages nobody submitted would pile up (the /auth link needs no signature, and a
    redirect may be long): expired ones go when a new one opens, and beyond MAX_OPEN_PAGES pages or
    MAX_OPEN_PAGE_BYTES the oldest go too, which the console says."""
    if len(world.auth_pages) > 64:
        for ticket in [t for t, page in world.auth_pages.items() if page["expires_at"] <= now]:
            _close_page(world, ticket)
    while len(world.auth_pages) > 1 and (len(world.auth_pages) > MAX_OPEN_PAGES
                                         or world.auth_page_bytes > MAX_OPEN_PAGE_BYTES):
        _close_page(world, next(iter(world.auth_pages)))  # dicts keep the opening order
        world.auth_pages_dropped += 1
        world.dropped("auth_pages_dropped", world.auth_pages_dropped,
                      f"Shopee: an unexpired authorisation page was dropped (more than {MAX_OPEN_PAGES} open "
                      f"or {MAX_OPEN_PAGE_BYTES // 1_000_000} MB of redirects); its link must be opened again")


def own_test_shops(world: ShopeeWorld, partner_id: int) -> list[Any]:
    """The shops the authorisation page offers a partner: its own test shops, i.e. those ever
    authorised to it (created for it, or approved on this page) and those nobody has claimed yet
    (a test shop made in the console without an app). Another partner's shops are not listed: the
    real page is a login form and shows a seller only their own account (docs/fidelity.md); the
    seller of such a shop types its account instead."""
    return [s for s in sorted(world.shops.values(), key=lambda s: s.shop_id)
            if not s.claimed_by or partner_id in s.claimed_by]


def _chosen_shop(world: ShopeeWorld, form) -> Any:
    """The shop the form names: by its login account when one is typed, else the listed shop picked."""
    account = form.get("account", "").strip()
    if account:
        return next((s for s in world.shops.values() if s.account == account), None)
    shop_id = form.get("shop_id", "")
    return world.shop(int(shop_id)) if shop_id.isascii() and shop_id.isdigit() and len(shop_id) <= 10 else None


def render_page(world: ShopeeWorld, ticket: str, error: str = "", selected: int | None = None,
                status: int = 200) -> Response:
    page = world.auth_pages[ticket]
    partner = world.partners[page["partner_id"]]
    if page["kind"] == "auth":
        shops = own_test_shops(world, partner.partner_id)
        title = "Authorize shop"
    else:
        shops = [s for s in sorted(world.shops.values(), key=lambda s: s.shop_id)
                 if partner.partner_id in s.authorisations]
        title = "Cancel shop authorization"
    html = render_template("auth_page.html", title=title, partner=partner, shops=shops, kind=page["kind"],
                           ticket=ticket, error=error, action=CONFIRM_PATH, selected=selected)
    return Response(html, status=status, mimetype="text/html")


def submit_page(world: ShopeeWorld, form, now: int) -> Response:
    """The seller pressed the button: check the login and OTP, then redirect like Shopee."""
    ticket = form.get("ticket", "")
    page = world.auth_pages.get(ticket)
    if page is None or page["expires_at"] <= now:
        return Response("<!doctype html><p>This authorization page has expired. Open the link again.</p>",
                        status=410, mimetype="text/html")
    shop = _chosen_shop(world, form)
    shop_id = shop.shop_id if shop is not None else None
    if shop is None or form.get("password", "") != shop.password:
        return render_page(world, ticket, "Incorrect shop account or password.", shop_id, 400)
    if form.get("otp", "") != accounts.TEST_SHOP_OTP:
        return render_page(world, ticket, "Incorrect verification code (OTP).", shop_id, 400)
    if shop.status == "BANNED":  # "Permissions for shop authorization ... have been suspended"
        return render_page(world, ticket, E.SHOP_BANNED[1], shop_id, 403)
    try:
        testenv.check_active("shop authorisation page", shop, now)
    except ShopeeError:  # strict mode
        return render_page(world, ticket, "This test shop has expired. Restore it first.", shop_id, 403)
    _close_page(world, ticket)
    if page["kind"] == "auth":
        code = accounts.grant(world, page["partner_id"], shop_id)
        return redirect(with_query(page["redirect"], code=code.code, shop_id=shop_id), 302)
    accounts.deauthorise(world, page["partner_id"], shop_id)
    return redirect(with_query(page["redirect"], shop_id=shop_id, cancel=1), 302)


@api("/api/v2/shop/auth_partner", "GET", "public", ("redirect",), html=True)
def auth_partner(call) -> Response:
    return _open_page(call, "auth")


@api("/api/v2/shop/cancel_auth_partner", "GET", "public", ("redirect",), html=True)
def cancel_auth_partner(call) -> Response:
    return _open_page(call, "cancel")


def _same_partner(call) -> int:
    """The body's partner_id, which the reference requires ("This partner_id is put into the request
    body"). Sent only in the query (an ERP's exact request), the query's is used, with a warning."""
    if not call.params.present("partner_id"):
        lenient.note(call.api.name, "partner_id is missing from the body; the sandbox takes the query's "
                                    "partner_id (the reference asks for it in the body too)", missing("partner_id"))
        return call.caller.partner.partner_id
    partner_id = call.params.integer("partner_id")
    if partner_id != call.caller.partner.partner_id:
        raise wrong_param("partner_id in the body should be the partner_id of the query")
    return partner_id


@api("/api/v2/auth/token/get", "POST", "public", ("code", "partner_id", "shop_id", "main_account_id"))
def token_get(call) -> dict[str, Any]:
    code = call.params.string("code")
    partner_id = _same_partner(call)
    if call.params.integer("main_account_id", required=False) is not None:
        raise ShopeeError("error_not_found", "shop-sandbox does not emulate main accounts; use shop_id.", 404)
    shop_id = call.params.integer("shop_id")
    access, refresh = accounts.exchange_code(call.world, code, partner_id, shop_id)
    return {"access_token": access.value, "refresh_token": refresh.value, "expire_in": ACCESS_TOKEN_TTL}


@api("/api/v2/auth/access_token/get", "POST", "public",
     ("refresh_token", "partner_id", "shop_id", "merchant_id", "supplier_id", "user_id", "principal_id"))
def access_token_get(call) -> dict[str, Any]:
    value = call.params.string("refresh_token")
    partner_id = _same_partner(call)
    for other in ("merchant_id", "supplier_id", "user_id", "principal_id"):  # documented, not emulated
        if call.params.integer(other, required=False) is not None:
            raise ShopeeError("error_not_found", f"shop-sandbox does not emulate {other}; use shop_id.", 404)
    shop_id = call.params.integer("shop_id")
    access, refresh = accounts.refresh(call.world, value, partner_id, shop_id)
    return {"partner_id": partner_id, "shop_id": shop_id, "access_token": access.value,
            "refresh_token": refresh.value, "expire_in": ACCESS_TOKEN_TTL}


@api("/api/v2/public/get_shops_by_partner", "GET", "public", ("page_size", "page_no"))
def get_shops_by_partner(call) -> dict[str, Any]:
    page_size = call.params.integer("page_size", required=False, default=100, low=1, high=100)
    page_no = call.params.integer("page_no", required=False, default=1, low=1)
    partner_id = call.caller.partner.partner_id
    shops = [s for s in sorted(call.world.shops.values(), key=lambda s: s.shop_id)
             if call.world.is_authorised(partner_id, s.shop_id)]
    start = (page_no - 1) * page_size
    page = shops[start:start + page_size]
    # The field table says sip_affi_shop_list, the sample sip_affi_shops: both (docs/fidelity.md).
    return {"authed_shop_list": [{
        "region": s.region, "shop_id": s.shop_id, "auth_time": s.authorisations[partner_id][0],
        "expire_time": s.authorisations[partner_id][1], "sip_affi_shop_list": [], "sip_affi_shops": [],
    } for s in page], "more": start + page_size < len(shops)}


@api("/api/v2/shop/get_shop_info", "GET", "shop", (), PERMISSIONS["shop.get_shop_info"])
def get_shop_info(call) -> dict[str, Any]:
    shop = call.caller.shop
    auth_time, expire_time = shop.authorisations[call.caller.partner.partner_id]
    return {"shop_name": shop.shop_name, "region": shop.region, "status": shop.status,
            "sip_affi_shops": [], "is_cb": shop.is_cb, "is_sip": False, "auth_time": auth_time,
            "expire_time": expire_time, "is_upgraded_cbsc": False, "merchant_id": None,
            "shop_fulfillment_flag": "Pure - Non-FBS Shop", "is_main_shop": False,
            "is_direct_shop": False, "linked_main_shop_id": 0, "linked_direct_shop_list": [],
            "is_one_awb": False, **mart_fields(call.world, shop)}
