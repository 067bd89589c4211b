"""Per-platform helpers the plugin's fixtures hand out: a Shopee shop, a 1shop account and the
SHOPLINE app. Each goes only through the admin API and the platform APIs over HTTP, so they work
against the in-thread server and a container alike."""
from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Union

from mockserver.clients import (
    OneshopClient,
    ShopeeClient,
    ShoplineGlobalClient,
    ShoplineOpenApiClient,
)
from mockserver.clients.shopline import handshake_answer

if TYPE_CHECKING:
    from mockserver.plugin.sandbox import ShopSandbox
    from mockserver.testing import WebhookInbox

Target = Union[str, "WebhookInbox"]
SHOPEE_PUSH_CODES = (1, 2, 3, 4, 12)  # what the ERP System app type can subscribe to and the sandbox sends


def _require(answer: Any, what: str) -> dict[str, Any]:
    """A Shopee answer without error, else an AssertionError naming Shopee's error and message."""
    body = answer.json() if answer.body else {}
    if not answer.ok or (isinstance(body, dict) and body.get("error")):
        raise AssertionError(f"{what}: HTTP {answer.status} {body}")
    return body


class ShopeeShop:
    """A test shop authorised to a partner: credentials, a signed client, orders and their events."""

    def __init__(self, sandbox: ShopSandbox, partner: dict[str, Any], shop: dict[str, Any]) -> None:
        self.sandbox = sandbox
        self.partner_id: int = partner["partner_id"]
        self.partner_key: str = partner["partner_key"]
        self.shop_id: int = shop["shop_id"]
        self.region: str = shop["region"]
        self.shop_name: str = shop["shop_name"]
        self.account: str = shop["account"]
        self.password: str = shop["password"]
        # The sandbox clock, not the test machine's: a test that moves the clock keeps its calls valid.
        self.client = ShopeeClient(sandbox.url, self.partner_id, self.partner_key, self.shop_id,
                                   shop["access_token"], shop["refresh_token"],
                                   time_source=sandbox.clock.now_float)

    @classmethod
    def create(cls, sandbox: ShopSandbox, region: str = "TW", partner_id: int | None = None,
               **shop_fields: Any) -> ShopeeShop:
        """A new shop (no orders yet) authorised to partner_id (the default world's partner when None)."""
        creds = sandbox.credentials()["shopee"]
        partner_id = creds["partner_id"] if partner_id is None else partner_id
        partner = next((p for p in creds["partners"] if p["partner_id"] == partner_id), None)
        if partner is None:
            raise ValueError(f"no partner {partner_id} among {[p['partner_id'] for p in creds['partners']]}")
        shop = sandbox.admin.post("/shopee/shops", {"region": region, "authorize_partner_id": partner_id,
                                                    **shop_fields})
        return cls(sandbox, partner, shop)

    @property
    def access_token(self) -> str:
        return self.client.access_token or ""

    @property
    def refresh_token(self) -> str:
        return self.client.refresh_token or ""

    @property
    def credentials(self) -> dict[str, Any]:
        """What a client needs: base_url, partner_id, partner_key, shop_id, access_token, refresh_token."""
        return {"base_url": self.sandbox.url, "partner_id": self.partner_id, "partner_key": self.partner_key,
                "shop_id": self.shop_id, "access_token": self.access_token, "refresh_token": self.refresh_token,
                "region": self.region}

    # ---- orders ---------------------------------------------------------------------------------
    def create_orders(self, count: int | None = None, *, statuses: Iterable[str] | None = None,
                      days: int | None = None, orders: list[dict[str, Any]] | None = None) -> list[str]:
        """Generated orders (count, over `days` before now, spread over `statuses`) or explicit ones
        (orders: [{"status", "items": [...], ...}], see the admin contract); their order_sn."""
        if (count is None) == (orders is None):
            raise ValueError("give either count (generated orders) or orders (explicit orders)")
        body: dict[str, Any] = {"orders": orders} if orders is not None else {"count": count}
        if statuses is not None:
            body["statuses"] = list(statuses)
        if days is not None:
            body["days"] = days
        return self.sandbox.admin.post(f"/shopee/shops/{self.shop_id}/orders", body)["order_sns"]

    def create_order(self, status: str = "UNPAID", items: list[dict[str, Any]] | None = None,
                     **fields: Any) -> str:
        """One explicit order (one new item at 100 when items is None); its order_sn."""
        spec = {"status": status, "items": items or [{"item_name": "Sandbox item", "price": 100}], **fields}
        return self.create_orders(orders=[spec])[0]

    def order(self, order_sn: str) -> dict[str, Any]:
        """The sandbox's full view of an order (status, history, allowed events ...)."""
        return self.sandbox.admin.get(f"/shopee/orders/{order_sn}")

    def status(self, order_sn: str) -> str:
        return self.order(order_sn)["status"]

    def event(self, order_sn: str, event: str) -> dict[str, Any]:
        """What a buyer, a 3PL or Shopee does: pay, buyer_cancel, pickup, pickup_failed, deliver,
        confirm_receive, request_return, complete, system_cancel, issue_invoice. An event the
        order's status does not allow raises AdminApiError (409 illegal_transition)."""
        return self.sandbox.admin.post(f"/shopee/orders/{order_sn}/events", {"event": event})

    # ---- push -----------------------------------------------------------------------------------
    def subscribe_push(self, target: Target, codes: Iterable[int] = SHOPEE_PUSH_CODES) -> str:
        """push/set_app_push_config with this callback URL (a WebhookInbox: its URL) and these push
        codes on. Shopee first sends the URL a verification push (code 0) that must get a 2xx within
        3 s: a WebhookInbox answers 200. Returns the callback URL (it is part of every signature)."""
        url = target if isinstance(target, str) else target.url
        _require(self.client.post("push/set_app_push_config",
                                  {"callback_url": url, "set_push_config_on": list(codes)}),
                 "push/set_app_push_config")
        return url

    def push_authorization(self, callback_url: str, body: bytes) -> str:
        """The Authorization header Shopee puts on a push: hex HMAC-SHA256(partner key, url|body)."""
        return hmac.new(self.partner_key.encode(), callback_url.encode() + b"|" + body, hashlib.sha256).hexdigest()

    def __repr__(self) -> str:
        return f"<ShopeeShop {self.shop_id} ({self.region}) of partner {self.partner_id}>"


class OneshopAccount:
    """A 1shop account: appid/secret, a client, orders, status changes and its rate limit."""

    def __init__(self, sandbox: ShopSandbox, view: dict[str, Any]) -> None:
        self.sandbox = sandbox
        self.view = view
        self.appid: str = view["appid"]
        self.secret: str = view["secret"]
        self.client = OneshopClient(sandbox.url, self.appid, self.secret)

    @classmethod
    def create(cls, sandbox: ShopSandbox, **fields: Any) -> OneshopAccount:
        """A new account (no orders yet); fields: appid, secret, enterprise, rate_limit, list_shape, ip_whitelist."""
        return cls(sandbox, sandbox.admin.post("/oneshop/accounts", fields))

    @property
    def credentials(self) -> dict[str, Any]:
        return {"base_url": self.sandbox.url, "api_base": self.sandbox.url + "/v1", "appid": self.appid,
                "secret": self.secret}

    def refresh(self) -> dict[str, Any]:
        """The account as the sandbox has it now (settings, sales pages, order_count)."""
        self.view = self.sandbox.admin.get(f"/oneshop/accounts/{self.appid}")
        return self.view

    def settings(self, **changes: Any) -> dict[str, Any]:
        """Change secret, enterprise, rate_limit, list_shape or ip_whitelist (fields given only)."""
        self.view = self.sandbox.admin.post(f"/oneshop/accounts/{self.appid}/settings", changes)
        self.secret = self.client.secret = self.view["secret"]
        return self.view

    def set_rate_limit(self, limit: int | None, window_seconds: float = 10) -> dict[str, Any]:
        """limit requests per window_seconds of the sandbox clock; None turns the limit off."""
        return self.settings(rate_limit=None if limit is None else {"limit": limit, "window_seconds": window_seconds})

    def create_orders(self, count: int | None = None, *, days: int | None = None,
                      orders: list[dict[str, Any]] | None = None) -> list[str]:
        """Generated orders (count, over `days` before now) or explicit ones; their order numbers."""
        if (count is None) == (orders is None):
            raise ValueError("give either count (generated orders) or orders (explicit orders)")
        body: dict[str, Any] = {"orders": orders} if orders is not None else {"count": count}
        if days is not None:
            body["days"] = days
        return self.sandbox.admin.post(f"/oneshop/accounts/{self.appid}/orders", body)["order_numbers"]

    def order(self, order_number: str) -> dict[str, Any]:
        return self.sandbox.admin.get(f"/oneshop/orders/{order_number}")

    def set_status(self, order_number: str, *, progress_status: str | None = None, payment_status: str | None = None,
                   logistic_status: str | None = None, tracking: dict[str, str] | None = None) -> dict[str, Any]:
        """What the shop, buyer or carrier does, as status changes (a shipment adds a tracking entry)."""
        body = {k: v for k, v in {"progress_status": progress_status, "payment_status": payment_status,
                                  "logistic_status": logistic_status, "tracking": tracking}.items() if v is not None}
        return self.sandbox.admin.post(f"/oneshop/orders/{order_number}/status", body)

    def __repr__(self) -> str:
        return f"<OneshopAccount {self.appid}>"


class ShoplineApp:
    """The default world's SHOPLINE app (Open API flavour) and global shop: subscriptions and triggers."""

    def __init__(self, sandbox: ShopSandbox) -> None:
        self.sandbox = sandbox
        self.credentials: dict[str, Any] = sandbox.credentials()["shopline"]
        openapi, shop = self.credentials["openapi"], self.credentials["global"]
        self.app_id: str = openapi["app_id"]
        self.app_secret: str = openapi["app_secret"]
        self.merchant_id: str = openapi["merchant_id"]
        self.shop_id: str = shop["shop_id"]
        self.shop_secret: str = shop["app_secret"]
        self.openapi = ShoplineOpenApiClient(sandbox.url, openapi["access_token"])
        self.global_api = ShoplineGlobalClient(sandbox.url, shop["access_token"], shop["api_version"])

    @property
    def handshake_answer(self) -> str:
        """What an Open API endpoint answers the verification request with (base64 of the app id)."""
        return handshake_answer(self.app_id)

    def subscribe(self, target: Target, topics: str | Iterable[str], *, flavour: str = "openapi",
                  path: str = "/shopline") -> dict[str, Any] | list[dict[str, Any]]:
        """Subscribe through the flavour's own REST API. target: a URL (its receiver must pass the
        Open API endpoint verification itself) or a WebhookInbox, which is then told to answer the
        verification on `path` (so script that path's replies with inbox.script(..., path=path)).
        Open API: one subscription for all topics; global: one subscription per topic (a list)."""
        names = [topics] if isinstance(topics, str) else list(topics)
        if isinstance(target, str):
            url = target
        else:
            from mockserver.testing import Reply

            url = target.url_for(path)
            if flavour == "openapi":
                target.respond(Reply(body=self.handshake_answer), path=path)
        if flavour == "openapi":
            answer = self.openapi.create_webhook(url, names)
            if answer.status != 200:
                raise AssertionError(f"POST /v1/webhooks: HTTP {answer.status} {answer.text[:300]}")
            return answer.json()
        if flavour != "global":
            raise ValueError("flavour is openapi or global")
        created = []
        for name in names:
            answer = self.global_api.create_webhook(url, name)
            if answer.status != 200:
                raise AssertionError(f"POST webhooks.json: HTTP {answer.status} {answer.text[:300]}")
            created.append(answer.json()["webhook"])
        return created

    def trigger(self, topic: str, *, flavour: str = "openapi", overrides: dict[str, Any] | None = None,
                generate: bool = False, seed: int | None = None, to: Target | None = None,
                flush: bool = True, verbatim: bool = False) -> dict[str, Any]:
        """Send a webhook now (POST /_sandbox/shopline/trigger) to the topic's subscriptions, or to
        `to` alone (a URL or a WebhookInbox). flush: wait until the first attempts finished.
        By default the documented example arrives as a fresh event (new ids, times ending now);
        verbatim: the documented example byte for byte."""
        body: dict[str, Any] = {"topic": topic, "flavour": flavour, "generate": generate}
        if verbatim:
            body["verbatim"] = True
        if overrides is not None:
            body["overrides"] = overrides
        if seed is not None:
            body["seed"] = seed
        if to is not None:
            body["to"] = to if isinstance(to, str) else to.url
        result = self.sandbox.admin.post("/shopline/trigger", body)
        if flush:
            self.sandbox.flush()
        return result

    def subscriptions(self) -> dict[str, list[dict[str, Any]]]:
        """Every subscription of both flavours ({"openapi": [...], "global": [...]})."""
        return self.sandbox.admin.get("/shopline/subscriptions")

    def settings(self, **changes: Any) -> dict[str, Any]:
        """Delivery timeouts, the Open API resend schedule, the subscriptions API's rate limit."""
        return self.sandbox.admin.post("/shopline/settings", changes) if changes else \
            self.sandbox.admin.get("/shopline/settings")

    def __repr__(self) -> str:
        return f"<ShoplineApp {self.app_id} / shop {self.shop_id}>"
