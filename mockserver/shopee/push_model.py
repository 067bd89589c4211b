"""The Push Mechanism's state, per partner (app): its config, its health and its lost pushes.

Kept apart from the sending (push_events.py) and the routes (push.py). The webhook engine's hooks
run on its dispatcher thread, so everything here is guarded by the book's own lock, never the
store's: recording an attempt never waits for a long admin request holding the store lock (and
every delivery with it).
Lock order where both are held: store lock, then the book's lock.
"""
from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from mockserver.shopee import permissions as P

NORMAL, WARNING, SUSPENDED = "Normal", "Warning", "Suspended"
# set_app_push_config's code list (reference v2.push.set_app_push_config, set_push_config_on).
PUSH_CODES = tuple(range(1, 14))
VERIFICATION = 0
# The names Shopee gives the push types; the sandbox uses them as the deliveries' `event`.
CODE_NAMES = {
    0: "verification", 1: "shop_authorization_push", 2: "shop_authorization_canceled_push",
    3: "order_status_push", 4: "order_trackingno_push", 5: "shopee_updates", 6: "banned_item_push",
    7: "item_promotion_push", 8: "reserved_stock_change_push", 9: "promotion_update_push",
    10: "webchat_push", 11: "video_upload_push", 12: "open_api_authorization_expiry",
    13: "brand_register_result",
}
# Partner-level pushes carry no shop_id (reference get_lost_push_message, push_message_list.shop_id).
PARTNER_LEVEL = (1, 2, 12)
_SHOPEE_PUSH = (1, 2, 5, 12)
# Which pushes each app type may subscribe to (guide push-mechanism-notifications.md, the table in
# "Subscribing to Push Mechanism"), restricted to the codes set_app_push_config lists.
AVAILABLE: dict[str, tuple[int, ...]] = {
    P.ERP: tuple(c for c in PUSH_CODES if c != 10),
    P.SELLER_IN_HOUSE: PUSH_CODES,
    P.PRODUCT: tuple(sorted(_SHOPEE_PUSH + (6, 7, 8, 9, 11, 13))),
    P.ORDER: tuple(sorted(_SHOPEE_PUSH + (3, 4))),
    P.ACCOUNTING: _SHOPEE_PUSH,
    P.MARKETING: tuple(sorted(_SHOPEE_PUSH + (6, 7, 8, 9))),
    P.CUSTOMER_SERVICE: tuple(sorted(_SHOPEE_PUSH + (10,))),
}

# Health rule (guide, "Push Mechanism Warning/Disable Logic"): more than 600 pushes in the past
# 6 hours with a success rate under 70% -> Warning, under 30% -> Suspended.
HEALTH_WINDOW = 6 * 3600
HEALTH_MIN_PUSHES = 600
WARNING_BELOW = 0.70
SUSPEND_BELOW = 0.30
# get_lost_push_message: "the earliest 100 lost push messages that were lost within 3 days".
LOST_WINDOW = 3 * 86400
LOST_PAGE = 100
# Lost message ids look like the reference sample's (176610): six digits and up, growing.
FIRST_MESSAGE_ID = 100_001

SIGN_URL_AND_BODY = "url_and_body"  # HMAC(partner key, callback_url + "|" + body): the guide's form
SIGN_BODY = "body"  # HMAC(push key, body): the separate push key some consoles issue (unconfirmed)
SIGNING_MODES = (SIGN_URL_AND_BODY, SIGN_BODY)


@dataclass
class LostPush:
    message_id: int
    shop_id: int | None
    code: int
    timestamp: int  # when it was lost (its last scheduled attempt failed), sandbox clock
    data: dict[str, Any]  # the whole push body, as the reference sample shows

    def view(self) -> dict[str, Any]:
        entry: dict[str, Any] = {} if self.shop_id is None else {"shop_id": self.shop_id}
        entry.update(code=self.code, timestamp=self.timestamp, data=self.data)
        return entry


@dataclass
class PartnerPush:
    """One app's push subscription. Callers hold the book's lock."""

    partner_id: int
    available: tuple[int, ...]
    callback_url: str = ""
    on: set[int] = field(default_factory=set)
    blocked: list[int] = field(default_factory=list)
    signing: str = SIGN_URL_AND_BODY
    push_key: str = ""
    suspended_time: int | None = None
    # Bumped by every successful set call: the statistics restart with the new subscription
    # (guide: "Success rate calculation ... will be restarted based on records from your new
    # subscription"), so attempts of older pushes no longer count.
    subscription: int = 0
    outcomes: deque = field(default_factory=deque)  # (sandbox time, ok) of attempts in the window
    succeeded: int = 0  # ok entries in outcomes
    # Subscriptions that were suspended: their pushes are never sent, even once the app subscribed
    # again (guide: "You will not receive Push Mechanism notifications missed during the period
    # where your subscription was disabled").
    suspended_subscriptions: set[int] = field(default_factory=set)
    lost: list[LostPush] = field(default_factory=list)  # unconsumed, oldest first
    issued: set[int] = field(default_factory=set)  # every lost message id ever recorded

    # ---- config ---------------------------------------------------------------------------------
    def off_list(self) -> list[int]:
        return sorted(set(self.available) - self.on)

    def wants(self, code: int, shop_id: int | None) -> bool:
        """A push of this code (about this shop) goes out: a callback, the code on, the shop not blocked."""
        return bool(self.callback_url) and code in self.on and (shop_id is None or shop_id not in self.blocked)

    def resubscribe(self) -> None:
        self.subscription += 1
        self.suspended_time = None
        self.outcomes.clear()
        self.succeeded = 0

    # ---- health ---------------------------------------------------------------------------------
    def _prune(self, now: float) -> None:
        start = now - HEALTH_WINDOW
        while self.outcomes and self.outcomes[0][0] <= start:
            _, ok = self.outcomes.popleft()
            self.succeeded -= ok

    def health(self, now: float) -> dict[str, Any]:
        self._prune(now)
        count = len(self.outcomes)
        return {"window_seconds": HEALTH_WINDOW, "pushes": count, "succeeded": self.succeeded,
                "success_rate": None if not count else round(self.succeeded / count, 4)}

    def status(self, now: float) -> str:
        """Suspended sticks until the app subscribes again; Warning lasts while the rule holds."""
        if self.suspended_time is not None:
            return SUSPENDED
        self._prune(now)
        count = len(self.outcomes)
        if count > HEALTH_MIN_PUSHES and self.succeeded / count < WARNING_BELOW:
            return WARNING
        return NORMAL

    def record(self, at: float, ok: bool, now: float) -> None:
        self.outcomes.append((at, ok))
        self.succeeded += ok
        self._prune(now)
        count = len(self.outcomes)
        if (self.suspended_time is None and count > HEALTH_MIN_PUSHES
                and self.succeeded / count < SUSPEND_BELOW):
            self.suspended_time = int(now)
            self.suspended_subscriptions.add(self.subscription)

    # ---- lost pushes ----------------------------------------------------------------------------
    def _expire_lost(self, now: float) -> None:
        start = now - LOST_WINDOW
        self.lost = [m for m in self.lost if m.timestamp >= start]

    def lost_page(self, now: float) -> tuple[list[LostPush], bool, int]:
        """(earliest 100 unconsumed lost pushes, more than 100?, the last one's id or 0)."""
        self._expire_lost(now)
        page = self.lost[:LOST_PAGE]
        return page, len(self.lost) > LOST_PAGE, page[-1].message_id if page else 0

    def confirm(self, last_message_id: int) -> bool:
        """Drop every lost push up to this id; False when the partner was never given that id."""
        if last_message_id not in self.issued:
            return False
        self.lost = [m for m in self.lost if m.message_id > last_message_id]
        return True

    def view(self, now: float) -> dict[str, Any]:
        """get_app_push_config's response (suspended_time only while suspended, as documented)."""
        status = self.status(now)
        view: dict[str, Any] = {"callback_url": self.callback_url, "live_push_status": status}
        if status == SUSPENDED:
            view["suspended_time"] = self.suspended_time
        view.update(blocked_shop_id=list(self.blocked), push_config_on_list=sorted(self.on),
                    push_config_off_list=self.off_list())
        return view


class PushBook:
    """Every partner's PartnerPush, created on first use (a new app has pushes off, no callback)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._partners: dict[int, PartnerPush] = {}
        self._next_message_id = FIRST_MESSAGE_ID

    def of(self, partner_id: int, app_type: str) -> PartnerPush:
        with self.lock:
            entry = self._partners.get(partner_id)
            if entry is None:
                entry = PartnerPush(partner_id, AVAILABLE.get(app_type, PUSH_CODES))
                self._partners[partner_id] = entry
            return entry

    def get(self, partner_id: int) -> PartnerPush | None:
        with self.lock:
            return self._partners.get(partner_id)

    def subscribed(self) -> list[PartnerPush]:
        with self.lock:
            return [p for p in self._partners.values() if p.callback_url]

    def record_attempt(self, partner_id: int, subscription: int, at: float, ok: bool, now: float) -> None:
        with self.lock:
            entry = self._partners.get(partner_id)
            if entry is not None and entry.subscription == subscription:
                entry.record(at, ok, now)

    def suppressed(self, partner_id: int, subscription: int) -> bool:
        """No push while the app is suspended, nor later for a push of a suspended subscription."""
        with self.lock:
            entry = self._partners.get(partner_id)
            return entry is not None and (entry.suspended_time is not None
                                          or subscription in entry.suspended_subscriptions)

    def add_lost(self, partner_id: int, shop_id: int | None, code: int, data: dict[str, Any], now: int) -> None:
        with self.lock:
            entry = self._partners.get(partner_id)
            if entry is None:
                return
            message = LostPush(self._next_message_id, shop_id, code, now, data)
            self._next_message_id += 1
            entry.lost.append(message)
            entry.issued.add(message.message_id)

    def snapshot(self) -> list[dict[str, Any]]:
        """The configs that differ from a new app's, for /_sandbox/state (so reading a config, or a
        refused set, leaves the state as it was; statistics and lost pushes depend on thread timing)."""
        with self.lock:
            return [{"partner_id": p.partner_id, "callback_url": p.callback_url,
                     "push_config_on_list": sorted(p.on), "blocked_shop_id": list(p.blocked),
                     "signing": p.signing}
                    for p in sorted(self._partners.values(), key=lambda p: p.partner_id)
                    if p.callback_url or p.on or p.blocked or p.signing != SIGN_URL_AND_BODY or p.push_key]
