"""Shop authorisation rules: codes, token exchange and refresh, deauthorisation."""
from __future__ import annotations

from mockserver.core.events import Event
from mockserver.shopee import errors as E
from mockserver.shopee.errors import ShopeeError
from mockserver.shopee.factory import authorise
from mockserver.shopee.models import AuthCode, Token
from mockserver.shopee.world import CODE_TTL, OLD_ACCESS_TOKEN_GRACE, ShopeeWorld

KEEP_SPENT = 40  # spent tokens (used refresh tokens, replaced access tokens) kept per shop and partner

TEST_SHOP_OTP = "123456"  # seed 000: test shops ask for OTP 123456
# error_list of v2.public.refresh_access_token (errors.py holds only the common ones).
SHOP_NOT_LINKED = ("shop_no_linked", "Partner and shop has no linked.")
SHOP_ACCESS_EXPIRED = ("shop_access_expired", "Your access to shop has expired.")
SHOP_REFRESH_TOKEN = ("error_shop_refresh_token", "Your refresh token is error ,please check refresh token or shopid.")
# error_list of v2.public.get_access_token.
CODE_USED_OR_EXPIRED = ("invalid_code", "The code is expired or used or invalid, please check the code.")
CODE_OTHER_SHOP = ("invalid_shop_id", "The code or shop_id is wrong, please check the code or the shop_id.")


def grant(world: ShopeeWorld, partner_id: int, shop_id: int) -> AuthCode:
    """The seller approved: the shop is authorised and a single-use code is issued."""
    now = world.now()
    authorise(world, partner_id, shop_id, auth_time=now)
    code = AuthCode(world.hex_token(), partner_id, shop_id, now + CODE_TTL)
    world.codes[code.code] = code
    world.events.publish(Event("shopee.shop_authorised", now, {"partner_id": partner_id, "shop_id": shop_id}))
    return code


def exchange_code(world: ShopeeWorld, code_value: str, partner_id: int, shop_id: int) -> tuple[Token, Token]:
    """auth/token/get: a code works once, for its partner and shop, for 10 minutes (valid while
    less than CODE_TTL old), and only while the shop is still authorised. A refused code is not
    used up. An unknown code (or another partner's) is error_auth "Invalid code" (the reference's
    error example); a used, expired or revoked one invalid_code; a code of another shop of the
    partner invalid_shop_id (both from the error_list)."""
    code = world.codes.get(code_value)
    now = world.now()
    if code is None or code.partner_id != partner_id:
        raise ShopeeError.of(E.INVALID_CODE)
    if code.shop_id != shop_id:
        raise ShopeeError.of(CODE_OTHER_SHOP)
    if code.used or code.expires_at <= now or not world.is_authorised(partner_id, shop_id):
        raise ShopeeError.of(CODE_USED_OR_EXPIRED)
    code.used = True
    return world.issue_token_pair(partner_id, shop_id)


def refresh(world: ShopeeWorld, refresh_value: str, partner_id: int, shop_id: int) -> tuple[Token, Token]:
    """auth/access_token/get. Checked in this order: the token is a refresh token of this partner
    (else "Invalid refresh_token.") and of this shop (else error_shop_refresh_token, "please check
    refresh token or shopid"); the shop is still linked (deauthorised: shop_no_linked) and its
    authorisation has not run out (shop_access_expired); the shop is not banned; the token was not
    used already; it is less than 30 days old (refresh_token_expired). Every error changes nothing."""
    token = world.tokens.get(refresh_value)
    now = world.now()
    if token is None or token.kind != "refresh" or token.partner_id != partner_id:
        raise ShopeeError.of(E.INVALID_REFRESH_TOKEN)
    if token.shop_id != shop_id:
        raise ShopeeError.of(SHOP_REFRESH_TOKEN)
    shop = world.shop(shop_id)
    if shop is None or partner_id not in shop.authorisations:
        raise ShopeeError.of(SHOP_NOT_LINKED)
    if not world.is_authorised(partner_id, shop_id):
        raise ShopeeError.of(SHOP_ACCESS_EXPIRED)
    if shop.status == "BANNED":
        raise ShopeeError.of(E.SHOP_BANNED)
    if token.used:
        raise ShopeeError.of(E.INVALID_REFRESH_TOKEN)
    if token.expires_at <= now:
        raise ShopeeError.of(E.REFRESH_TOKEN_EXPIRED)
    token.used = True
    # The old access tokens keep working five more minutes, then stop.
    spent = []
    for other in world.tokens.values():
        if other.partner_id == partner_id and other.shop_id == shop_id:
            if other.kind == "access":
                other.expires_at = min(other.expires_at, now + OLD_ACCESS_TOKEN_GRACE)
            if other.kind == "access" or other.used:
                spent.append(other.value)
    # A client refreshing every few seconds on a frozen clock must not grow the world for ever:
    # beyond KEEP_SPENT of them, the oldest spent tokens are forgotten. A forgotten refresh token
    # was used, and a used one is answered as an unknown one ("Invalid refresh_token."); a
    # forgotten access token was replaced KEEP_SPENT refreshes ago (its grace is 5 minutes).
    for value in spent[:-KEEP_SPENT]:
        del world.tokens[value]
    return world.issue_token_pair(partner_id, shop_id)


def deauthorise(world: ShopeeWorld, partner_id: int, shop_id: int) -> bool:
    """The seller cancelled the authorisation: the link and every token of it end now."""
    shop = world.shop(shop_id)
    if shop is None or partner_id not in shop.authorisations:
        return False
    del shop.authorisations[partner_id]
    now = world.now()
    for code in world.codes.values():  # a code not exchanged yet dies with the link
        if code.partner_id == partner_id and code.shop_id == shop_id:
            code.used = True
    for token in world.tokens.values():
        if token.partner_id == partner_id and token.shop_id == shop_id:
            token.expires_at = min(token.expires_at, now)
            token.used = token.used or token.kind == "refresh"
    world.events.publish(Event("shopee.shop_deauthorised", now, {"partner_id": partner_id, "shop_id": shop_id}))
    return True
