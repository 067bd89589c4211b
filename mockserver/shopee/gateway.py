"""The API gateway in front of every v2 call.

The checks run in this order, and the first failure answers (docs/fidelity.md):
1. the common parameters are present and well-formed: partner_id, timestamp, sign, then for shop
   APIs access_token and shop_id (each missing/invalid one has its own message);
2. the partner exists ("Invalid partner_id."), so a wrong sign from an unknown partner gets the
   partner error: without a partner there is no key to check the sign with;
3. the timestamp is within 5 minutes of the sandbox clock, either side;
4. the sign;
5. the app type may call this API (error_api_permission);
6. shop APIs: the shop is authorised to this partner ("Invalid partner_id or shopid."), a TW shop
   follows seed 000's app-type table (error_api_permission), the shop is not banned, and the
   access token is valid for this partner and shop ("Invalid access_token.").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping

from mockserver.shopee import errors as E
from mockserver.shopee import permissions, signing
from mockserver.shopee.errors import ShopeeError
from mockserver.shopee.models import Partner, Shop
from mockserver.shopee.params import UINT32_MAX
from mockserver.shopee.world import ShopeeWorld

# "Expires in 5 minutes" (common parameter timestamp): a timestamp 300 s old is accepted, 301 s
# is expired. A timestamp more than 300 s ahead of the clock is expired too, or a client with a
# fast clock could mint links that never expire.
TIMESTAMP_WINDOW = 300
COMMON_PUBLIC = ("partner_id", "timestamp", "sign")
COMMON_SHOP = COMMON_PUBLIC + ("access_token", "shop_id")
# Digits only: int() would also take " 12", "+12" and "1_2", which are not integers in a query.
_DIGITS = re.compile(r"[0-9]{1,10}")


@dataclass
class Caller:
    partner: Partner
    shop: Shop | None
    timestamp: int


def _uint32(query: Mapping[str, str], name: str, missing: tuple[str, str], bad: tuple[str, str]) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        raise ShopeeError.of(missing)
    if not _DIGITS.fullmatch(raw) or int(raw) > UINT32_MAX:
        raise ShopeeError.of(bad)
    return int(raw)


def authenticate(world: ShopeeWorld, query: Mapping[str, str], path: str, api_type: str,
                 allowed_app_types: tuple[str, ...] | None, now: int) -> Caller:
    """Checks a call the way Shopee's gateway does; raises ShopeeError with the common errors."""
    partner_id = _uint32(query, "partner_id", E.NO_PARTNER_ID, E.BAD_PARTNER_ID)
    timestamp = _uint32(query, "timestamp", E.NO_TIMESTAMP, E.BAD_TIMESTAMP)
    sign = query.get("sign")
    if not sign:
        raise ShopeeError.of(E.NO_SIGN)
    shop_id = None
    access_token = ""
    if api_type == "shop":
        access_token = query.get("access_token") or ""
        if not access_token:
            raise ShopeeError.of(E.NO_ACCESS_TOKEN)
        shop_id = _uint32(query, "shop_id", E.NO_SHOP_ID, E.BAD_SHOP_ID)
    partner = world.partner(partner_id)
    if partner is None:
        raise ShopeeError.of(E.UNKNOWN_PARTNER_ID)
    if abs(now - timestamp) > TIMESTAMP_WINDOW:
        raise ShopeeError.of(E.TIMESTAMP_EXPIRED)
    # The base string uses the query's own text, as the client signed it.
    if not signing.verify(partner.partner_key, sign, query["partner_id"], path, query["timestamp"],
                          access_token, query["shop_id"] if api_type == "shop" else ""):
        raise ShopeeError.of(E.WRONG_SIGN)
    if allowed_app_types is not None and partner.app_type not in allowed_app_types:
        raise ShopeeError.of(E.APP_TYPE_NO_PERMISSION)
    shop = None
    if api_type == "shop":
        shop = world.shop(shop_id)
        # The link before the token: a deauthorised shop, or a shop_id the partner never had,
        # says so rather than blaming the token.
        if shop is None or not world.is_authorised(partner_id, shop_id):
            raise ShopeeError.of(E.PARTNER_SHOP_NOT_LINKED)
        if shop.region == "TW" and not permissions.tw_allows(partner.app_type, path):
            raise ShopeeError.of(E.APP_TYPE_NO_PERMISSION)  # seed 000's table wins for TW shops
        if shop.status == "BANNED":
            raise ShopeeError.of(E.SHOP_BANNED)
        if not world.valid_access_token(access_token, partner_id, shop_id):
            raise ShopeeError.of(E.INVALID_ACCESS_TOKEN)
    return Caller(partner, shop, timestamp)
