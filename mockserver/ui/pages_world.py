"""The World page: every platform's apps, shops and accounts with their credentials, the seed
and the clock."""
from __future__ import annotations

from itertools import islice
from typing import Any

from flask import request

from mockserver.oneshop.admin import account_view
from mockserver.shopee import permissions
from mockserver.shopee.admin_shops import _shop_view
from mockserver.shopee.catalogue_data import CURRENCY
from mockserver.ui.common import bp, page, paging, store


def _shopee(world: Any, limit: int, offset: int) -> dict[str, Any]:
    now = world.now()
    shops = sorted(world.shops.values(), key=lambda s: s.shop_id)
    partners = []
    for partner in sorted(world.partners.values(), key=lambda p: p.partner_id):
        entry = world.push.get(partner.partner_id)
        partners.append({"partner_id": partner.partner_id, "name": partner.name, "app_type": partner.app_type,
                         "partner_key": partner.partner_key,
                         "callback_url": entry.callback_url if entry else "",
                         "push_on": sorted(entry.on) if entry else []})
    return {"partners": partners, "shops": [_shop_view(s, now) for s in islice(shops, offset, offset + limit)],
            "shop_total": len(shops), "default": dict(world.default), "regions": list(CURRENCY),
            "app_types": list(permissions.APP_TYPES)}


def _shopline(world: Any, base_url: str) -> dict[str, Any]:
    creds = world.credentials(base_url)
    return {"openapi": creds["openapi"], "global": creds["global"],
            "apps": [{"app_id": a.app_id, "app_secret": a.app_secret, "name": a.name} for a in world.apps.values()],
            "subscriptions": [world.admin_subscription(s) for s in world.subscriptions.values()],
            "global_subscriptions": [world.admin_global(s) for s in world.global_subscriptions.values()]}


@bp.get("")
@bp.get("/")
def world_page() -> str:
    s = store()
    limit, offset = paging()
    base_url = request.host_url.rstrip("/")
    with s.lock:
        s.tick()
        shopee = _shopee(s.backend("shopee"), limit, offset)
        oneshop_world = s.backend("oneshop")
        oneshop = {"accounts": [account_view(oneshop_world, a) for a in oneshop_world.accounts.values()],
                   "default_appid": oneshop_world.default_appid, "api_base": base_url + "/v1"}
        shopline = _shopline(s.backend("shopline"), base_url)
    return page("world.html", title="World", nav="world", base_url=base_url, shopee=shopee, oneshop=oneshop,
                shopline=shopline, limit=limit, offset=offset)
