"""The 1shop world: accounts (appid/secret), their sales pages and orders, and the rate limiter.

Ids, secrets and order numbers come from one random.Random seeded from the store's seed, so the
same seed, clock and calls give the same data. Callers hold the store lock; the limiter has its own.
"""
from __future__ import annotations

import bisect
import random
from dataclasses import asdict
from datetime import datetime
from typing import Any

from mockserver.core.ratelimit import SlidingWindowLimiter
from mockserver.core.taiwan import UTC8
from mockserver.oneshop.models import Account, Order, SalesPage, jsonable

DAY = 86400
_LOWER = "abcdefghijklmnopqrstuvwxyz"
_UPPER = _LOWER.upper()
_SERIALS = 99_999  # five digits


class OneshopWorld:
    def __init__(self, rng: random.Random, clock, settings) -> None:
        self.rng = rng
        self.clock = clock
        self.settings = settings
        self.limiter = SlidingWindowLimiter(clock)
        self.accounts: dict[str, Account] = {}
        self.orders: dict[str, Order] = {}
        self.default_appid = ""
        self.pools: dict[str, tuple] = {}
        # appid -> [(create_time, order_number)] ascending, for date ranges over many orders
        self._by_create: dict[str, list[tuple[int, str]]] = {}
        self._prefixes: set[str] = set()

    # ---- time ---------------------------------------------------------------------------------
    def now(self) -> int:
        return self.clock.now_int()

    # ---- ids ----------------------------------------------------------------------------------
    def token(self, alphabet: str, length: int) -> str:
        """`length` of rng.choice(alphabet), drawn as Random.choice draws (getrandbits of the
        alphabet size's bit length, again while out of range), without its two calls a character:
        ids are most of a default world's draws, built at every start and reset."""
        size = len(alphabet)
        width, bits = size.bit_length(), self.rng.getrandbits
        out = []
        for _ in range(length):
            pick = bits(width)
            while pick >= size:
                pick = bits(width)
            out.append(alphabet[pick])
        return "".join(out)

    def digits(self, length: int) -> str:
        return self.token("0123456789", length)

    def new_appid(self) -> str:
        while True:
            appid = self.token("0123456789" + _LOWER, self.rng.randint(8, 10))
            if appid not in self.accounts:
                return appid

    def new_prefix(self) -> str:
        """Two capital letters (seed: "page_prefix": "AB"), unique in the world so order numbers are."""
        if len(self._prefixes) >= len(_UPPER) ** 2:
            raise RuntimeError("every two-letter page prefix is taken")
        while True:
            prefix = self.token(_UPPER, 2)
            if prefix not in self._prefixes:
                self._prefixes.add(prefix)
                return prefix

    def new_order_number(self, page: SalesPage, create_time: int) -> str:
        """Prefix + last digit of the year + MMDD (UTC+8) + the page's 5-digit running number:
        QI2041900127 is order 127 of page QI, created 2022-04-19."""
        day = datetime.fromtimestamp(create_time, UTC8)
        for _ in range(_SERIALS):
            # After 99999 the running number starts again at 00001: numbers keep their 12 characters.
            serial = (page.next_serial - 1) % _SERIALS + 1
            page.next_serial = serial + 1
            number = f"{page.prefix}{day.year % 10}{day:%m%d}{serial:05d}"
            if number not in self.orders:
                return number
        raise RuntimeError(f"page {page.prefix} has no free order number left on {day:%Y-%m-%d}")

    # ---- records ------------------------------------------------------------------------------
    def add_account(self, account: Account) -> Account:
        self.accounts[account.appid] = account
        self._by_create.setdefault(account.appid, [])
        return account

    def account(self, appid: str) -> Account | None:
        return self.accounts.get(appid)

    def add_order(self, order: Order) -> Order:
        self.orders[order.order_number] = order
        bisect.insort(self._by_create.setdefault(order.appid, []), order.sort_key())
        return order

    def order_of(self, appid: str, order_number: str) -> Order | None:
        order = self.orders.get(order_number)
        return order if order is not None and order.appid == appid else None

    def orders_between(self, appid: str, start: int | None, end: int | None) -> list[Order]:
        """An account's orders created in [start, end], newest first (ties: order_number descending)."""
        keys = self._by_create.get(appid, [])
        low = 0 if start is None else bisect.bisect_left(keys, (start, ""))
        high = len(keys) if end is None else bisect.bisect_right(keys, (end, "\U0010ffff"))
        orders = self.orders
        return [orders[key[1]] for key in reversed(keys[low:high])]

    def order_count(self, appid: str) -> int:
        return len(self._by_create.get(appid, []))

    # ---- views --------------------------------------------------------------------------------
    def credentials(self, base_url: str) -> dict[str, Any]:
        account = self.accounts[self.default_appid]
        return {"base_url": base_url, "api_base": base_url + "/v1", "appid": account.appid,
                "secret": account.secret, "rate_limit": rate_limit_view(account),
                "accounts": [{"appid": a.appid, "secret": a.secret, "enterprise": a.enterprise}
                             for a in self.accounts.values()]}

    # ---- snapshots (oneshop/snapshot.py) ---
    def export_state(self) -> dict[str, Any]:
        from mockserver.oneshop.snapshot import export_state

        return export_state(self)

    def rearm(self, data: dict[str, Any]) -> Any:
        from mockserver.oneshop.snapshot import rearm

        return rearm(self, data)

    def snapshot(self) -> dict[str, Any]:
        """Every record (not the limiter's counts: those are traffic, not data)."""
        return {"accounts": [jsonable(asdict(a)) for a in self.accounts.values()],
                "orders": [jsonable(asdict(self.orders[number]))
                           for appid in self.accounts for _, number in self._by_create[appid]]}


def rate_limit_view(account: Account) -> dict[str, Any] | None:
    if account.rate_limit is None:
        return None
    limit, window = account.rate_limit
    return {"limit": limit, "window_seconds": window}
