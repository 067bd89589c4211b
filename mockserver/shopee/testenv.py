"""Shopee's test environment as seed 000 describes it: test shops and their limits.

- Step 5-1: "您最多可以創建8個測試賣場" (at most 8 test shops per developer account). The sandbox is one
  developer account: every shop counts, the default world's included. The admin API lifts the cap
  for big test worlds (POST /_sandbox/shopee/settings {"test_shop_limit": null}).
- Steps 5-2/5-3: a test shop has an expiration date; an expired one keeps its data ("We have saved
  the original shop data for you") until it is restored. What Shopee answers for an expired shop's
  calls is not documented: the sandbox answers them with a warning (strict: error_shop "shopid is
  invalid", from the order APIs' error lists), and POST /_sandbox/shopee/shops/{id}/restore gives
  it a new expiration date. How long a test shop lasts is not documented either (TEST_SHOP_DAYS).
- Mart and Outlet shops (get_shop_info's is_mart_shop / is_outlet_shop and their fields): an admin
  shop made with "outlet_of" is an Outlet of that Mart shop.
"""
from __future__ import annotations

from typing import Any

from mockserver.shopee import lenient
from mockserver.shopee.errors import ShopeeError
from mockserver.shopee.models import Shop

DAY = 86400
TEST_SHOP_LIMIT = 8
# Sandbox choice: the seed's screenshots show expiration dates but no lifetime.
TEST_SHOP_DAYS = 90
EXPIRED_SHOP = ("error_shop", "shopid is invalid")


class TestShopLimit(Exception):
    """A new shop would pass the developer account's cap."""

    __test__ = False  # not a pytest test class, whatever its name says


def check_room(world: Any) -> None:
    """Raise TestShopLimit when the world already has as many shops as the cap allows."""
    limit = world.test_shop_limit
    if limit is not None and len(world.shops) >= limit:
        raise TestShopLimit(f"a developer account may create at most {limit} test shops (seed 000 step 5-1); "
                            f"lift the cap with POST /_sandbox/shopee/settings {{\"test_shop_limit\": null}}")


def new_expiry(world: Any, now: int) -> int | None:
    """The expiration date of a shop made or restored now (None: it never expires)."""
    days = world.test_shop_days
    return None if days is None else now + days * DAY


def expired(shop: Shop, now: int) -> bool:
    return shop.expire_time is not None and now >= shop.expire_time


def restore(world: Any, shop: Shop, now: int) -> None:
    """Seed 000 step 5-3: "Restore" brings an expired test shop back with its data."""
    shop.expire_time = new_expiry(world, now)


def check_active(api: str, shop: Shop, now: int) -> None:
    """A call for an expired test shop: answered, with a warning (strict: error_shop)."""
    if expired(shop, now):
        lenient.note(api, f"test shop {shop.shop_id} expired at {shop.expire_time}; Shopee keeps an expired "
                          f"test shop's data until it is restored and may refuse its calls (seed 000 step "
                          f"5-3): POST /_sandbox/shopee/shops/{shop.shop_id}/restore",
                     ShopeeError.of(EXPIRED_SHOP))


def mart_fields(world: Any, shop: Shop) -> dict[str, Any]:
    """get_shop_info's Mart/Outlet fields: the mart_* ones only for a Mart or an Outlet shop
    ("Only returned when requesting a Mart/Outlet Shop")."""
    if shop.mart_shop_id is not None:
        return {"is_mart_shop": False, "is_outlet_shop": True, "mart_shop_id": shop.mart_shop_id,
                "mart_outlet_structure_type": "normal_outlet_shop"}
    outlets = sorted(s.shop_id for s in world.shops.values() if s.mart_shop_id == shop.shop_id)
    if outlets:
        return {"is_mart_shop": True, "is_outlet_shop": False,
                "outlet_shop_info_list": [{"outlet_shop_id": outlet} for outlet in outlets],
                "mart_outlet_structure_type": "normal_mart_shop"}
    return {"is_mart_shop": False, "is_outlet_shop": False}


def view(shop: Shop, now: int) -> dict[str, Any]:
    """The admin view's test-shop fields."""
    return {"expire_time": shop.expire_time, "expired": expired(shop, now), "outlet_of": shop.mart_shop_id}
