"""The SHOPLINE world's state: apps, merchants, tokens and global shops, webhook subscriptions of both
flavours, and the rules a subscription must follow (reference/shopline.md A and B).

Every method here runs under the store's lock (the routes and hooks take it). Ids come from the
world's seeded RNG, so the same seed and the same calls give the same records.
"""
from __future__ import annotations

import base64
import random
import re
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from mockserver.core import delivery_http
from mockserver.core.clock import SandboxClock
from mockserver.core.ratelimit import SlidingWindowLimiter
from mockserver.core.taiwan import UTC8 as SHOP_TZ  # the default shop is in Taipei (fixture: TWD, zh-TW)
from mockserver.shopline import topics
from mockserver.shopline.policies import Removal

ACTIVE, REMOVED = "active", "removed"  # Open API statuses (reference A)
APP_TOKEN, MERCHANT_TOKEN = "app", "merchant"
DEFAULT_PER_PAGE, MAX_PER_PAGE = 24, 999
# Reference A: "webhookId ... fails to match the required pattern: /^[0-9a-fA-F]{24}$/".
WEBHOOK_ID = re.compile(r"[0-9a-fA-F]{24}")
# Global API versions look like v20210901 (seed 002's X-Shopline-API-Version example).
API_VERSION = re.compile(r"v(\d{4})(\d{2})(\d{2})")
DEFAULT_API_VERSION = "v20210901"
GLOBAL_ID = re.compile(r"[0-9]{1,30}")

# Reference B, read as: after the first attempt fails, up to 19 resends at these delays (counted
# from the previous attempt): 12 listed steps, then 4 h seven times -> 19. 20 attempts in all.
GLOBAL_RETRY_DELAYS: tuple[float, ...] = (0, 5, 10, 30, 45, 60, 120, 300, 720, 2280, 3600, 7200) + (14400,) * 7
# Reference A: "resends at most 3 times"; the schedule is unpublished: 1 min, 10 min, 1 h (our choice).
OPENAPI_RETRY_DELAYS: tuple[float, ...] = (60, 600, 3600)
OPENAPI_TIMEOUT, GLOBAL_TIMEOUT = 15.0, 5.0  # reference A "200 within 15 s", B "200 within 5 s"
VERIFICATION_TIMEOUT = 5.0  # our choice: the handshake answers a create/update request, keep it short
OPENAPI_RATE_LIMIT = (20, 1.0)  # reference A: 20 requests/s (per token here)


@dataclass
class App:
    app_id: str
    app_secret: str
    name: str


@dataclass
class Merchant:
    merchant_id: str
    handle: str
    name: str


@dataclass
class Token:
    """An Open API bearer token: an app's token for one merchant, or a merchant's own token."""

    token: str
    kind: str  # APP_TOKEN | MERCHANT_TOKEN
    merchant_id: str
    app_id: str | None  # None for a merchant token

    @property
    def owner(self) -> tuple[str, str | None]:
        return self.merchant_id, self.app_id


@dataclass
class Subscription:
    """An Open API webhook subscription (one address, many topics)."""

    id: str
    address: str
    topics: list[str]
    merchant_id: str
    app_id: str | None
    token_kind: str
    status: str
    created_at: float
    updated_at: float
    removed_reason: str | None = None
    webhook_version: str | None = None  # as the client sent it (shopline-sdk-python's Webhook model)

    @property
    def owner(self) -> tuple[str, str | None]:
        return self.merchant_id, self.app_id

    def view(self) -> dict[str, Any]:
        """The documented shape (reference A), plus webhook_version when the client gave one."""
        view = {"id": self.id, "format": "json", "address": self.address, "status": self.status,
                "merchant_id": self.merchant_id, "created_at": iso_z(self.created_at),
                "updated_at": iso_z(self.updated_at), "topics": list(self.topics)}
        if self.webhook_version is not None:
            view["webhook_version"] = self.webhook_version
        return view


@dataclass
class Shop:
    """A global-flavour shop (shopline.com): what its webhooks' X-Shopline-* headers carry."""

    shop_id: str  # 13 digits (seed 002: X-Shopline-Shop-Id 1610418123456)
    handle: str
    merchant_id: str  # seed 002: X-Shopline-Merchant-Id 2000001234
    name: str
    app_secret: str
    token: str
    signature_encoding: str = "hex"  # signing.DEFAULT_GLOBAL_ENCODING; base64 per shop on request

    @property
    def domain(self) -> str:
        return f"{self.handle}.myshopline.com"

    def view(self) -> dict[str, Any]:
        return {"shop_id": self.shop_id, "handle": self.handle, "domain": self.domain,
                "merchant_id": self.merchant_id, "name": self.name, "app_secret": self.app_secret,
                "access_token": self.token, "signature_encoding": self.signature_encoding}


@dataclass
class GlobalSubscription:
    """A global-flavour webhook (one topic per subscription)."""

    id: str
    shop_id: str
    address: str
    topic: str
    api_version: str
    created_at: float
    updated_at: float

    def view(self) -> dict[str, Any]:
        return {"id": self.id, "topic": self.topic, "address": self.address, "api_version": self.api_version,
                "created_at": iso_local(self.created_at), "updated_at": iso_local(self.updated_at)}


@dataclass
class EmissionSettings:
    """Per-world delivery settings (admin POST /_sandbox/shopline/settings changes them)."""

    openapi_timeout: float = OPENAPI_TIMEOUT
    openapi_retry_delays: tuple[float, ...] = OPENAPI_RETRY_DELAYS
    global_timeout: float = GLOBAL_TIMEOUT
    verification_timeout: float = VERIFICATION_TIMEOUT
    openapi_rate_limit: tuple[int, float] | None = OPENAPI_RATE_LIMIT
    # When a failing subscription goes (policies.py): after one message's last resend, by default.
    openapi_removal: Removal = Removal()
    global_removal: Removal = Removal()
    global_retry_delays: tuple[float, ...] = GLOBAL_RETRY_DELAYS  # reference B: fixed

    def view(self) -> dict[str, Any]:
        limit = self.openapi_rate_limit
        return {"openapi_timeout_seconds": self.openapi_timeout,
                "openapi_retry_delays": list(self.openapi_retry_delays),
                "global_timeout_seconds": self.global_timeout,
                "global_retry_delays": list(self.global_retry_delays),
                "verification_timeout_seconds": self.verification_timeout,
                "openapi_rate_limit": None if limit is None else {"limit": limit[0], "window_seconds": limit[1]},
                "openapi_removal": self.openapi_removal.view(), "global_removal": self.global_removal.view()}


def iso_z(t: float) -> str:
    """Open API times: ISO 8601 UTC with milliseconds, like seed 004 ("2021-04-21T08:36:17.892Z")."""
    moment = datetime.fromtimestamp(round(t, 3), UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def iso_local(t: float) -> str:
    """Global-flavour times: ISO 8601 in the shop's zone, like the seed 002 order ("...+08:00")."""
    return datetime.fromtimestamp(int(t), SHOP_TZ).isoformat()


def check_address(address: Any) -> str:
    """A webhook address: an absolute http(s) URL the engine can send to, without a fragment (the
    Open API flavour appends ?sign= to it). ValueError otherwise. http is accepted: receivers in a
    sandbox are local."""
    if not isinstance(address, str) or len(address) > 2048:
        raise ValueError("not a URL")
    delivery_http.check_url(address)
    if urlsplit(address).fragment or address.endswith("#"):
        raise ValueError("a fragment cannot be sent")
    return address


def valid_api_version(version: Any) -> bool:
    if not isinstance(version, str):
        return False
    match = API_VERSION.fullmatch(version)
    if not match:
        return False
    try:
        datetime(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return False
    return True


class ShoplineWorld:
    """All SHOPLINE records of one sandbox world."""

    def __init__(self, rng: random.Random, clock: SandboxClock) -> None:
        self.rng = rng
        self.clock = clock
        self.settings = EmissionSettings()
        self.limiter = SlidingWindowLimiter(clock)
        self.apps: dict[str, App] = {}
        self.merchants: dict[str, Merchant] = {}
        self.tokens: dict[str, Token] = {}
        self.shops: dict[str, Shop] = {}
        self.subscriptions: dict[str, Subscription] = {}  # creation order
        self.global_subscriptions: dict[str, GlobalSubscription] = {}
        self.consecutive_failures: dict[str, int] = {}  # subscription id -> failed attempts in a row
        self.deleted_reasons: dict[str, str] = {}  # global subscription id -> why it went (bounded)
        self.default_app_id = ""
        self.default_merchant_id = ""
        self.default_shop_id = ""

    # ---- ids ---------------------------------------------------------------------------------
    def hex_id(self, taken: Any = ()) -> str:
        while True:
            candidate = format(self.rng.getrandbits(96), "024x")
            if candidate not in taken:
                return candidate

    def hex_token(self, length: int) -> str:
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(length))

    def digits(self, length: int, taken: Any = ()) -> str:
        while True:
            candidate = str(self.rng.randint(10 ** (length - 1), 10 ** length - 1))
            if candidate not in taken:
                return candidate

    def trace_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    # ---- records -----------------------------------------------------------------------------
    def add_app(self, app: App) -> App:
        self.apps[app.app_id] = app
        return app

    def add_merchant(self, merchant: Merchant) -> Merchant:
        self.merchants[merchant.merchant_id] = merchant
        return merchant

    def add_token(self, token: Token) -> Token:
        self.tokens[token.token] = token
        return token

    def add_shop(self, shop: Shop) -> Shop:
        self.shops[shop.shop_id] = shop
        return shop

    def token(self, value: str) -> Token | None:
        return self.tokens.get(value)

    def shop_by_token(self, value: str) -> Shop | None:
        return next((s for s in self.shops.values() if s.token == value), None)

    def verification_answer(self, token: Token) -> str:
        """What the receiver must answer the handshake with: base64 of the app id (app token) or of
        the merchant id (merchant token), reference A."""
        raw = token.app_id if token.kind == APP_TOKEN and token.app_id else token.merchant_id
        return base64.b64encode(raw.encode("utf-8")).decode("ascii")

    # ---- Open API subscriptions --------------------------------------------------------------
    def owned(self, token: Token) -> list[Subscription]:
        """A token sees the subscriptions of its own owner (merchant + app, or the merchant alone)."""
        return [s for s in self.subscriptions.values() if s.owner == token.owner]

    def owned_subscription(self, token: Token, subscription_id: str) -> Subscription | None:
        sub = self.subscriptions.get(subscription_id.lower())
        return sub if sub is not None and sub.owner == token.owner else None

    def create_subscription(self, token: Token, address: str, names: list[str],
                            webhook_version: str | None = None) -> Subscription:
        now = self.clock.now()
        sub = Subscription(id=self.hex_id(self.subscriptions), address=address, topics=names,
                           merchant_id=token.merchant_id, app_id=token.app_id, token_kind=token.kind,
                           status=ACTIVE, created_at=now, updated_at=now, webhook_version=webhook_version)
        self.subscriptions[sub.id] = sub
        return sub

    def overlap(self, token: Token, address: str, names: list[str], ignore: str | None = None
                ) -> tuple[Subscription, str] | None:
        """Another subscription of the same owner already sending one of these topics to this
        address (whatever its status: a removed one comes back on update), with that topic."""
        for sub in self.owned(token):
            if sub.id != ignore and sub.address == address:
                shared = next((name for name in names if name in sub.topics), None)
                if shared is not None:
                    return sub, shared
        return None

    def active_for(self, topic: str) -> list[Subscription]:
        return [s for s in self.subscriptions.values() if s.status == ACTIVE and topic in s.topics]

    def is_active(self, subscription_id: str) -> bool:
        sub = self.subscriptions.get(subscription_id)
        return sub is not None and sub.status == ACTIVE

    def disable(self, subscription_id: str, reason: str) -> bool:
        """The circuit breaker: the subscription stays visible with status removed."""
        sub = self.subscriptions.get(subscription_id)
        if sub is None or sub.status != ACTIVE:
            return False
        sub.status, sub.updated_at, sub.removed_reason = REMOVED, self.clock.now(), reason
        return True

    # ---- global subscriptions ----------------------------------------------------------------
    def shop_subscriptions(self, shop: Shop) -> list[GlobalSubscription]:
        return [s for s in self.global_subscriptions.values() if s.shop_id == shop.shop_id]

    def shop_subscription(self, shop: Shop, subscription_id: str) -> GlobalSubscription | None:
        sub = self.global_subscriptions.get(subscription_id)
        return sub if sub is not None and sub.shop_id == shop.shop_id else None

    def duplicate(self, shop: Shop, address: str, topic: str, ignore: str | None = None) -> bool:
        return any(s.address == address and s.topic == topic and s.id != ignore for s in self.shop_subscriptions(shop))

    def create_global(self, shop: Shop, address: str, topic: str, api_version: str) -> GlobalSubscription:
        now = self.clock.now()
        sub = GlobalSubscription(id=self.digits(19, self.global_subscriptions), shop_id=shop.shop_id,
                                 address=address, topic=topic, api_version=api_version,
                                 created_at=now, updated_at=now)
        self.global_subscriptions[sub.id] = sub
        return sub

    def global_for(self, topic: str) -> list[GlobalSubscription]:
        return [s for s in self.global_subscriptions.values() if s.topic == topic]

    # ---- admin views -------------------------------------------------------------------------
    def credentials(self, base_url: str) -> dict[str, Any]:
        app, merchant = self.apps[self.default_app_id], self.merchants[self.default_merchant_id]
        shop = self.shops[self.default_shop_id]
        tokens = [asdict(t) for t in self.tokens.values()]
        app_token = next(t.token for t in self.tokens.values()
                         if t.kind == APP_TOKEN and t.merchant_id == merchant.merchant_id)
        merchant_token = next(t.token for t in self.tokens.values()
                              if t.kind == MERCHANT_TOKEN and t.merchant_id == merchant.merchant_id)
        return {
            "openapi": {"api_base": base_url + "/v1", "app_id": app.app_id, "app_secret": app.app_secret,
                        "merchant_id": merchant.merchant_id, "merchant_handle": merchant.handle,
                        "access_token": app_token, "merchant_token": merchant_token,
                        "merchants": [asdict(m) for m in self.merchants.values()], "tokens": tokens},
            "global": {"api_base": f"{base_url}/admin/openapi/{DEFAULT_API_VERSION}",
                       "api_version": DEFAULT_API_VERSION, **shop.view(),
                       "shops": [s.view() for s in self.shops.values()]},
        }

    def admin_subscription(self, sub: Subscription) -> dict[str, Any]:
        return {**sub.view(), "app_id": sub.app_id, "token_kind": sub.token_kind,
                "removed_reason": sub.removed_reason}

    def admin_global(self, sub: GlobalSubscription) -> dict[str, Any]:
        return {**sub.view(), "shop_id": sub.shop_id}

    # ---- snapshots (shopline/snapshot.py) ---
    def export_state(self) -> dict[str, Any]:
        from mockserver.shopline.snapshot import export_state

        return export_state(self)

    def rearm(self, data: dict[str, Any]) -> Any:
        from mockserver.shopline.snapshot import rearm

        return rearm(self, data)

    def snapshot(self) -> dict[str, Any]:
        return {"apps": [asdict(a) for a in self.apps.values()],
                "merchants": [asdict(m) for m in self.merchants.values()],
                "tokens": [asdict(t) for t in self.tokens.values()],
                "shops": [s.view() for s in self.shops.values()],
                "subscriptions": [self.admin_subscription(s) for s in self.subscriptions.values()],
                "global_subscriptions": [self.admin_global(s) for s in self.global_subscriptions.values()],
                "settings": self.settings.view()}


def subscribable(name: Any) -> str | None:
    """The stored (canonical) name of an Open API topic, None when SHOPLINE does not list it."""
    if not isinstance(name, str) or not topics.is_subscribable(name):
        return None
    return topics.canonical(name)

