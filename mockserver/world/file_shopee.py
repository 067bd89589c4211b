"""The Shopee part of a world document: checked against the running world, then applied with the
same model operations the admin API uses (factory.new_partner, new_shop, authorise, the admin's
order planner and generator).

check() finds every problem without changing anything; the plan it returns cannot fail when
applied under the same lock hold (ids are free, references resolve, stock is counted).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from mockserver.admin.http import AdminError
from mockserver.core import delivery_http
from mockserver.shopee import factory, push_model
from mockserver.shopee.models import Shop, Token
from mockserver.shopee.world import _MUTED, ACCESS_TOKEN_TTL, REFRESH_TOKEN_TTL, ShopeeWorld
from mockserver.world.file_problems import Path

Report = Callable[[Path, str], None]
_ORDER_INDEX = re.compile(r"^orders\[(\d+)\]\.?")


@dataclass
class ShopeePlan:
    section: dict[str, Any]
    # shop key (an explicit shop_id, or ("new", index)) -> checked explicit order plans / generated batches
    orders: dict[Any, list] = field(default_factory=dict)
    generated: list[tuple[Any, dict[str, Any]]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def check(section: dict[str, Any], world: ShopeeWorld, now: int, report: Report) -> ShopeePlan:
    plan = ShopeePlan(section)
    partners = _check_partners(section.get("partners", []), world, report)
    shops = _check_shops(section, world, partners, report)
    _check_orders(section, world, shops, now, plan, report)
    plan.counts = {"partners": len(section.get("partners", [])), "shops": len(section.get("shops", []))}
    return plan


def _check_partners(entries: list[dict[str, Any]], world: ShopeeWorld, report: Report) -> dict[int, str]:
    """partner_id -> app type of every partner the document may name (the world's and its own)."""
    known = {p.partner_id: p.app_type for p in world.partners.values()}
    for index, entry in enumerate(entries):
        here = ("shopee", "partners", index)
        partner_id = entry.get("partner_id")
        app_type = entry.get("app_type", factory.permissions.ERP)
        if partner_id is not None:
            if partner_id in known:
                report(here + ("partner_id",), f"partner_id {partner_id} is taken by another partner")
            known[partner_id] = app_type
        push = entry.get("push")
        if push is not None:
            try:
                delivery_http.check_url(push["callback_url"])
            except ValueError as exc:
                report(here + ("push", "callback_url"), f"not a callback URL the sandbox can send to: {exc}")
            available = push_model.AVAILABLE.get(app_type, push_model.PUSH_CODES)
            for position, code in enumerate(push.get("codes", [])):
                if code not in available:
                    report(here + ("push", "codes", position),
                           f"the {app_type} app type cannot subscribe to push code {code}")
    return known


def _check_shops(section: dict[str, Any], world: ShopeeWorld, partners: dict[int, str],
                 report: Report) -> dict[Any, Shop]:
    """shop key -> the shop (the world's, or a provisional one for the document's new shops)."""
    shops: dict[Any, Shop] = dict(world.shops)
    tokens: set[str] = set(world.tokens)
    entries = section.get("shops", [])
    limit = section.get("test_shop_limit", world.test_shop_limit)
    if limit is not None and len(world.shops) + len(entries) > limit:
        report(("shopee", "shops"), f"{len(entries)} shops and the world's {len(world.shops)} pass the test-shop "
                                    f"cap of {limit} (seed 000 step 5-1); set shopee.test_shop_limit (null: no cap)")
    for index, entry in enumerate(entries):
        here = ("shopee", "shops", index)
        shop_id = entry.get("shop_id")
        if shop_id is not None and shop_id in shops:
            report(here + ("shop_id",), f"shop_id {shop_id} is taken by another shop")
        provisional = Shop(shop_id=shop_id or 0, shop_name="", region=entry.get("region", "TW"), account="",
                           password="")
        shops.setdefault(shop_id if shop_id is not None else ("new", index), provisional)  # a duplicate: reported
        seen: set[int] = set()
        for position, grant in enumerate(entry.get("authorised_partners", [])):
            at = here + ("authorised_partners", position)
            grant = grant if isinstance(grant, dict) else {"partner_id": grant}
            partner_id = grant["partner_id"]
            if partner_id not in partners:
                report(at, f"partner {partner_id} is not a partner of the world or of this document")
            if partner_id in seen:
                report(at, f"partner {partner_id} is named twice for this shop")
            seen.add(partner_id)
            for kind in ("access_token", "refresh_token"):
                value = grant.get(kind)
                if value is not None:
                    if value in tokens:
                        report(at + (kind,), "this token is already another shop's or partner's token")
                    tokens.add(value)
    return shops


def _check_orders(section: dict[str, Any], world: ShopeeWorld, shops: dict[Any, Shop], now: int,
                  plan: ShopeePlan, report: Report) -> None:
    from mockserver.shopee.admin import _plan_orders

    wanted: dict[Any, list[tuple[Path, dict[str, Any]]]] = {}
    batches: list[tuple[Path, Any, dict[str, Any]]] = []
    for index, entry in enumerate(section.get("shops", [])):
        key = entry.get("shop_id", ("new", index))
        here = ("shopee", "shops", index)
        for position, order in enumerate(entry.get("orders", [])):
            wanted.setdefault(key, []).append((here + ("orders", position), order))
        if "generated_orders" in entry:
            batches.append((here + ("generated_orders",), key, entry["generated_orders"]))
    for position, order in enumerate(section.get("orders", [])):
        here = ("shopee", "orders", position)
        if order["shop_id"] not in shops:
            report(here + ("shop_id",), f"shop {order['shop_id']} is not a shop of the world or of this document")
            continue
        wanted.setdefault(order["shop_id"], []).append((here, {k: v for k, v in order.items() if k != "shop_id"}))
    for position, batch in enumerate(section.get("generated_orders", [])):
        here = ("shopee", "generated_orders", position)
        if batch["shop_id"] not in shops:
            report(here + ("shop_id",), f"shop {batch['shop_id']} is not a shop of the world or of this document")
            continue
        batches.append((here, batch["shop_id"], {k: v for k, v in batch.items() if k != "shop_id"}))
    for key, orders in wanted.items():
        # One planning per shop: the stock the orders take is counted across all of them.
        try:
            plan.orders[key] = _plan_orders(world, shops[key], [o for _, o in orders], now)
        except AdminError as exc:
            match = _ORDER_INDEX.match(exc.message)
            where = orders[int(match[1])][0] if match else orders[0][0][:-1]
            report(where, exc.message[match.end():] if match else exc.message)
    for where, key, batch in batches:
        shop = shops[key]
        try:
            factory.status_spread(shop, batch.get("statuses"))
        except ValueError as exc:
            report(where + ("statuses",), str(exc))
        if isinstance(key, int) and key in world.shops and not world.shop_models(key):
            report(where, f"shop {key} has no products to order")
        plan.generated.append((key, batch))


def apply(plan: ShopeePlan, world: ShopeeWorld, now: int) -> dict[str, int]:
    """Put the checked document in the world. Its making is the world's starting state, not news:
    no push goes out for it (as for the seeded world), but code 12 is scheduled for each new
    authorisation as it is for the seeded ones."""
    from mockserver.shopee.admin import _ensure_stock, place_orders

    section = plan.section
    events, world.events = world.events, _MUTED
    try:
        if "test_shop_limit" in section:
            world.test_shop_limit = section["test_shop_limit"]
        for entry in section.get("partners", []):
            app_type = entry.get("app_type", factory.permissions.ERP)
            partner = factory.new_partner(world, app_type, entry.get("name", app_type), entry.get("partner_id"),
                                          entry.get("partner_key"))
            if "push" in entry:
                _configure_push(world, partner, entry["push"])
        shops: dict[Any, Shop] = {}
        for index, entry in enumerate(section.get("shops", [])):
            shop = factory.new_shop(world, entry.get("region", "TW"), entry.get("shop_name"), entry.get("shop_id"),
                                    password=entry.get("password"))
            if "expire_time" in entry:
                shop.expire_time = entry["expire_time"]
            shops[entry.get("shop_id", ("new", index))] = shop
            for grant in entry.get("authorised_partners", []):
                grant = grant if isinstance(grant, dict) else {"partner_id": grant}
                _authorise(world, shop, grant, now)
        orders = 0
        for key, plans in plan.orders.items():
            orders += len(place_orders(world, shops.get(key) or world.shops[key], plans, now))
        for key, batch in plan.generated:
            shop = shops.get(key) or world.shops[key]
            _ensure_stock(world, shop, batch["count"])
            orders += len(factory.generate_orders(world, shop, batch["count"], now, batch.get("days", 13),
                                                  batch.get("statuses")))
    finally:
        world.events = events
    return {**plan.counts, "orders": orders}


def _authorise(world: ShopeeWorld, shop: Shop, grant: dict[str, Any], now: int) -> None:
    partner_id = grant["partner_id"]
    factory.authorise(world, partner_id, shop.shop_id, auth_time=now)
    # The file's tokens, or fresh ones: the lifetimes of auth/token/get's (4 h access, 30 days refresh).
    access = Token(grant.get("access_token") or world.hex_token(), "access", partner_id, shop.shop_id,
                   now + ACCESS_TOKEN_TTL)
    refresh = Token(grant.get("refresh_token") or world.hex_token(), "refresh", partner_id, shop.shop_id,
                    now + REFRESH_TOKEN_TTL)
    world.tokens[access.value] = access
    world.tokens[refresh.value] = refresh
    if world.pusher is not None:
        world.pusher.schedule_expiry(partner_id, shop.shop_id)


def _configure_push(world: ShopeeWorld, partner: Any, push: dict[str, Any]) -> None:
    """What a successful set_app_push_config would leave (the verification push is not sent)."""
    entry = world.push.of(partner.partner_id, partner.app_type)
    with world.push.lock:
        entry.callback_url = push["callback_url"]
        entry.on = set(push.get("codes", entry.available))
        entry.blocked = list(push.get("blocked_shop_ids", []))
        entry.resubscribe()
