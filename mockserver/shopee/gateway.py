"""The API gateway in front of every v2 call: common parameters, timestamp, signature, app-type
permission, access token and the partner-shop link, checked in that order.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from mockserver.shopee import errors as E
from mockserver.shopee import signing
from mockserver.shopee.errors import ShopeeError
from mockserver.shopee.models import Partner, Shop
from mockserver.shopee.params import UINT32_MAX
from mockserver.shopee.world import ShopeeWorld

TIMESTAMP_WINDOW = 300  # "Expires in 5 minutes" (common parameter timestamp)
COMMON_PUBLIC = ("partner_id", "timestamp", "sign")
COMMON_SHOP = COMMON_PUBLIC + ("access_token", "shop_id")


@dataclass
class Caller:
    partner: Partner
    shop: Shop | None
    timestamp: int


def _uint32(query: Mapping[str, str], name: str, missing: tuple[str, str], bad: tuple[str, str]) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        raise ShopeeError.of(missing)
    try:
        value = int(raw)
    except ValueError:
        raise ShopeeError.of(bad) from None
    if not 0 <= value <= UINT32_MAX:
        raise ShopeeError.of(bad)
    return value


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
    if not signing.verify(partner.partner_key, sign, query["partner_id"], path, query["timestamp"],
                          access_token, query.get("shop_id", "") if api_type == "shop" else ""):
        raise ShopeeError.of(E.WRONG_SIGN)
    if allowed_app_types is not None and partner.app_type not in allowed_app_types:
        raise ShopeeError.of(E.APP_TYPE_NO_PERMISSION)
    shop = None
    if api_type == "shop":
        shop = world.shop(shop_id)
        if not world.valid_access_token(access_token, partner_id, shop_id):
            raise ShopeeError.of(E.INVALID_ACCESS_TOKEN)
        if shop is None or not world.is_authorised(partner_id, shop_id):
            raise ShopeeError.of(E.PARTNER_SHOP_NOT_LINKED)
        if shop.status == "BANNED":
            raise ShopeeError.of(E.SHOP_BANNED)
    return Caller(partner, shop, timestamp)
