"""The Shopee world: every partner, shop, token and order of one sandbox, and their ids.

Ids and secrets come from one random.Random seeded from the store's seed, so the same seed and
the same sequence of calls give the same data.
"""
from __future__ import annotations

import random
import string
from contextlib import contextmanager
from datetime import datetime
from dataclasses import asdict
from typing import Any, Iterable, Iterator

from mockserver.core.taiwan import UTC8 as _UTC8
from mockserver.shopee.errors import ShopeeError
from mockserver.shopee.models import AuthCode, Model, Order, Partner, Shop, Token
from mockserver.shopee.numbering import Serials
from mockserver.shopee.order_book import OrderBook
from mockserver.shopee.push_model import PushBook
from mockserver.shopee.testenv import TEST_SHOP_DAYS, TEST_SHOP_LIMIT

ACCESS_TOKEN_TTL = 4 * 3600  # expire_in of auth/token/get
REFRESH_TOKEN_TTL = 30 * 86400
CODE_TTL = 10 * 60
OLD_ACCESS_TOKEN_GRACE = 5 * 60  # an access token keeps working this long after a refresh
AUTHORISATION_DAYS = 365

_SN_ALPHABET = string.digits + string.ascii_uppercase


class ShopeeWorld:
    """All Shopee state of one sandbox. Callers hold the store lock."""

    def __init__(self, rng: random.Random, clock, scheduler, events, settings) -> None:
        self.rng = rng
        self.clock = clock
        self.scheduler = scheduler
        self.events = events
        self.settings = settings
        self.tracking_delay = settings.shopee_tracking_delay
        self.auto_progress = settings.shopee_auto_progress
        # The test environment (testenv.py): the cap on test shops and their lifetime in days.
        self.test_shop_limit: int | None = TEST_SHOP_LIMIT
        self.test_shop_days: int | None = TEST_SHOP_DAYS
        self.partners: dict[int, Partner] = {}
        self.shops: dict[int, Shop] = {}
        self.codes: dict[str, AuthCode] = {}
        self.tokens: dict[str, Token] = {}
        self.models: dict[tuple[int, int, int], Model] = {}  # (shop_id, item_id, model_id)
        # Every order by order_sn; generated ones are built when first used (order_book.py).
        self.orders = OrderBook(self._build_generated)
        self.auth_pages: dict[str, dict] = {}  # ticket -> an opened authorisation page
        self.auth_page_bytes = 0  # what the open pages hold (their redirects), bounded by auth.py
        self.auth_pages_dropped = 0  # unexpired pages let go to keep that bound
        # Says something about the sandbox on the console (kind, total, message): Console.dropped.
        self.dropped: Any = lambda kind, total, message: None
        self.default: dict[str, Any] = {}  # ids and tokens of the default world
        self.faker = None
        # The Push Mechanism: every app's push config, health and lost pushes (push_model), and the
        # Pusher (push_events) that factory.build_world installs on the store's webhook engine.
        self.push = PushBook()
        self.pusher: Any = None
        # True while factory.drive writes an order's past: its steps are history, not news, so they
        # raise no push (the order pushes once, as it is when it is made).
        self.writing_history = False
        self._used_numbers: set[str] = set()
        # Package and tracking numbers (numbering.py); a built generated order has its own.
        self.numbering: Any = Serials()
        self.replaying = False  # while a generated order is built: no stock moves, no events

    # ---- time -------------------------------------------------------------------------------
    def now(self) -> int:
        return self.clock.now_int()

    # ---- ids --------------------------------------------------------------------------------
    def hex_token(self, length: int = 32) -> str:
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(length))

    def unique_int(self, low: int, high: int) -> int:
        while True:
            value = self.rng.randint(low, high)
            if str(value) not in self._used_numbers:
                self._used_numbers.add(str(value))
                return value

    def new_order_sn(self, create_time: int) -> str:
        """yyMMdd (UTC+8, the Taiwan/SEA business day) + 8 characters, like 201218V2Y6E59M."""
        day = datetime.fromtimestamp(create_time, _UTC8).strftime("%y%m%d")
        while True:
            sn = day + "".join(self.rng.choice(_SN_ALPHABET) for _ in range(8))
            if sn not in self.orders:
                return sn

    def new_package_number(self) -> str:
        return self.numbering.next_package()

    def new_tracking_number(self, region: str) -> str:
        return self.numbering.next_tracking(region)

    # ---- generated orders -------------------------------------------------------------------
    def _build_generated(self, batch: Any, index: int, order_sn: str) -> Order:
        from mockserver.shopee.generated import build_generated

        return build_generated(self, batch, index, order_sn)

    @contextmanager
    def replaying_history(self, rng: random.Random, numbering: Any) -> Iterator[None]:
        """While a generated order is built: its own generator and numbers, no event, no stock
        move, no timer (all of that happened, once, when the batch was generated)."""
        saved = (self.rng, self.events, self.numbering, self.auto_progress, self.tracking_delay,
                 self.writing_history, self.replaying)
        self.rng, self.events, self.numbering = rng, _MUTED, numbering
        self.auto_progress, self.tracking_delay, self.writing_history, self.replaying = False, 0, True, True
        try:
            yield
        finally:
            (self.rng, self.events, self.numbering, self.auto_progress, self.tracking_delay,
             self.writing_history, self.replaying) = saved

    # ---- lookups ----------------------------------------------------------------------------
    def partner(self, partner_id: int) -> Partner | None:
        return self.partners.get(partner_id)

    def shop(self, shop_id: int) -> Shop | None:
        return self.shops.get(shop_id)

    def order_of_shop(self, shop_id: int, order_sn: str, error: tuple[str, str] | None = None) -> Order:
        """The shop's order; another shop's order_sn is as unknown as a made-up one."""
        order = self.orders.get(order_sn)
        if order is None or order.shop_id != shop_id:
            if error:
                raise ShopeeError.of(error)
            raise ShopeeError("error_not_found", "Wrong parameters, detail: the order is not found.")
        return order

    def is_authorised(self, partner_id: int, shop_id: int) -> bool:
        shop = self.shops.get(shop_id)
        if shop is None or partner_id not in shop.authorisations:
            return False
        return shop.authorisations[partner_id][1] > self.now()

    # ---- records ----------------------------------------------------------------------------
    def add_partner(self, partner: Partner) -> Partner:
        self.partners[partner.partner_id] = partner
        return partner

    def add_shop(self, shop: Shop) -> Shop:
        self.shops[shop.shop_id] = shop
        return shop

    def add_model(self, shop_id: int, model: Model) -> Model:
        self.models[(shop_id, model.item_id, model.model_id)] = model
        return model

    def shop_models(self, shop_id: int) -> list[Model]:
        return [m for (sid, _, _), m in self.models.items() if sid == shop_id]

    def add_order(self, order: Order) -> Order:
        return self.orders.add(order)

    def remove_order(self, order_sn: str) -> None:
        """Undo add_order (an admin request that failed half-way)."""
        self.orders.remove(order_sn)

    def orders_of_shop(self, shop_id: int) -> Iterable[Order]:
        """Every order of the shop, newest created first (generated ones are built: for small
        shops and admin views; lists read the index instead)."""
        for ordinal in self.orders.index.of_shop(shop_id):
            yield self.orders.at(ordinal)

    # ---- tokens -----------------------------------------------------------------------------
    def issue_token_pair(self, partner_id: int, shop_id: int) -> tuple[Token, Token]:
        now = self.now()
        access = Token(self.hex_token(), "access", partner_id, shop_id, now + ACCESS_TOKEN_TTL)
        refresh = Token(self.hex_token(), "refresh", partner_id, shop_id, now + REFRESH_TOKEN_TTL)
        self.tokens[access.value] = access
        self.tokens[refresh.value] = refresh
        return access, refresh

    def valid_access_token(self, value: str, partner_id: int, shop_id: int) -> bool:
        token = self.tokens.get(value)
        return (token is not None and token.kind == "access" and token.partner_id == partner_id
                and token.shop_id == shop_id and token.expires_at > self.now())

    def credentials(self, base_url: str) -> dict[str, Any]:
        """Everything a client needs to call the default world."""
        partner = self.partners[self.default["partner_id"]]
        return {
            "base_url": base_url,
            "partner_id": partner.partner_id,
            "partner_key": partner.partner_key,
            "app_type": partner.app_type,
            "shop_id": self.default["shop_id"],
            "access_token": self.default["access_token"],
            "refresh_token": self.default["refresh_token"],
            "test_shop_otp": "123456",
            "partners": [{"partner_id": p.partner_id, "partner_key": p.partner_key, "app_type": p.app_type}
                         for p in sorted(self.partners.values(), key=lambda p: p.partner_id)],
            "shops": [{"shop_id": s.shop_id, "shop_name": s.shop_name, "region": s.region,
                       "account": s.account, "password": s.password}
                      for s in sorted(self.shops.values(), key=lambda s: s.shop_id)],
        }

    # ---- snapshots (shopee/snapshot.py) -------------------------------------------------------
    def export_state(self) -> dict[str, Any]:
        from mockserver.shopee.snapshot import export_state

        return export_state(self)

    def rearm(self, data: dict[str, Any]) -> Any:
        from mockserver.shopee.snapshot import rearm

        return rearm(self, data)

    def job_armed(self, data: dict[str, Any], job: Any) -> None:
        from mockserver.shopee.snapshot import job_armed

        job_armed(self, data, job)

    # ---- admin view -------------------------------------------------------------------------
    def snapshot(self) -> dict[str, Any]:
        return {
            "partners": [asdict(p) for p in sorted(self.partners.values(), key=lambda p: p.partner_id)],
            "shops": [asdict(s) for s in sorted(self.shops.values(), key=lambda s: s.shop_id)],
            "tokens": [asdict(t) for t in self.tokens.values()],
            "models": [asdict(m) for m in self.models.values()],
            "orders": [self.orders.at(o).to_dict() for o in range(len(self.orders.index.order_sn))
                       if self.orders.index.order_sn[o] is not None],
            "push": self.push.snapshot(),
        }


class _MutedBus:
    """The event bus while history is replayed: what it would say was said when it happened."""

    recent: list = []

    def publish(self, event: Any) -> None:
        pass

    def subscribe(self, name: str, handler: Any) -> None:
        pass


_MUTED = _MutedBus()
