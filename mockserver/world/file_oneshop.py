"""The 1shop part of a world document: accounts (fixed appid/secret, rate limit) and their orders,
checked with the admin API's own checks (oneshop/admin.py, explicit.py) and made with its factory."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from mockserver.admin.http import AdminError
from mockserver.oneshop import factory
from mockserver.oneshop.explicit import create_order
from mockserver.oneshop.models import Account
from mockserver.oneshop.world import DAY, OneshopWorld
from mockserver.world.file_problems import Path

Report = Callable[[Path, str], None]
_ORDER_INDEX = re.compile(r"^orders\[(\d+)\]\.?")


@dataclass
class OneshopPlan:
    accounts: list[tuple[dict[str, Any], list]] = field(default_factory=list)  # (entry, checked order plans)


def check(section: dict[str, Any], world: OneshopWorld, now: int, report: Report) -> OneshopPlan:
    from mockserver.oneshop.admin import _plans, _whitelist

    plan = OneshopPlan()
    appids = set(world.accounts)
    for index, entry in enumerate(section.get("accounts", [])):
        here = ("oneshop", "accounts", index)
        appid = entry.get("appid")
        if appid is not None:
            if appid in appids:
                report(here + ("appid",), f"appid {appid} is taken by another account")
            appids.add(appid)
        try:
            _whitelist(entry.get("ip_whitelist"))
        except AdminError as exc:
            report(here + ("ip_whitelist",), exc.message.removeprefix("ip_whitelist: "))
        orders: list = []
        if "orders" in entry:
            # A new account has no sales page yet: its orders are checked against an empty one.
            provisional = Account(appid=appid or "", secret="")
            try:
                orders = _plans(entry["orders"], provisional, now)
            except AdminError as exc:
                match = _ORDER_INDEX.match(exc.message)
                where = here + (("orders", int(match[1])) if match else ("orders",))
                report(where, exc.message[match.end():] if match else exc.message)
        plan.accounts.append((entry, orders))
    return plan


def apply(plan: OneshopPlan, world: OneshopWorld, now: int) -> dict[str, int]:
    from mockserver.oneshop.admin import _whitelist

    made = 0
    for entry, orders in plan.accounts:
        limit = entry.get("rate_limit", {"limit": factory.DEFAULT_RATE_LIMIT[0],
                                         "window_seconds": factory.DEFAULT_RATE_LIMIT[1]})
        account = factory.new_account(world, appid=entry.get("appid"), secret=entry.get("secret"),
                                      enterprise=entry.get("enterprise", True),
                                      rate_limit=None if limit is None else (limit["limit"], limit["window_seconds"]),
                                      list_shape=entry.get("list_shape", "array"),
                                      ip_whitelist=_whitelist(entry.get("ip_whitelist")))
        made += len([create_order(world, account, order) for order in orders])
        generated = entry.get("generated_orders")
        if generated is not None:
            days = generated.get("days", factory.DEFAULT_DAYS)
            made += len(factory.generate_orders(world, account, generated["count"], now - days * DAY, now))
    return {"accounts": len(plan.accounts), "orders": made}
